/* test-line-model.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ladle-body-format.h"
#include "ladle-line-index.h"
#include "ladle-line-model.h"
#include "ladle-test-utils.h"

/* LadleLineModel: text rows over a LadleLineIndex (made valid UTF-8, long lines as continuation
 * rows, growing with the index) and 16-byte hex rows over a file. */

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->dir = ladle_test_make_tmpdir ("ladle-line-model-XXXXXX");
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  ladle_test_rm_rf (fixture->dir);
  g_free (fixture->dir);
}

static GFile *
write_file (Fixture    *fixture,
            const char *data,
            gsize       len)
{
  g_autofree char *path = g_build_filename (fixture->dir, "body", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, (gssize) len, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

/* Builds the index in its worker thread and waits for it, with a deadline. */
static void
build (LadleLineIndex *index)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ladle_line_index_build_async (index, NULL, ladle_test_async_done, &result);
  LADLE_TEST_WAIT_UNTIL (result != NULL, 30000);
  g_assert_true (ladle_line_index_build_finish (index, result, &error));
  g_assert_no_error (error);
  g_assert_true (ladle_line_index_is_built (index));
}

static LadleLineIndex *
index_text (Fixture    *fixture,
            const char *text,
            gsize       len,
            guint       max_line)
{
  g_autoptr(GFile) file = write_file (fixture, text, len);
  g_autoptr(LadleLineIndex) index = ladle_line_index_new (file, max_line);

  build (index);
  return g_steal_pointer (&index);
}

/* Row @position of @model: its text (also through dup_text()), line number, offset and
 * continuation flag. */
static void
assert_row (LadleLineModel *model,
            guint           position,
            const char     *text,
            guint64         number,
            guint64         offset,
            gboolean        continuation)
{
  g_autoptr(LadleBodyLine) line = g_list_model_get_item (G_LIST_MODEL (model), position);
  g_autofree char *dup = ladle_line_model_dup_text (model, position);

  g_assert_nonnull (line);
  g_assert_true (LADLE_IS_BODY_LINE (line));
  g_assert_cmpstr (ladle_body_line_get_text (line), ==, text);
  g_assert_true (g_utf8_validate (ladle_body_line_get_text (line), -1, NULL));
  g_assert_cmpstr (dup, ==, text);
  g_assert_cmpuint (ladle_body_line_get_position (line), ==, position);
  g_assert_cmpuint (ladle_body_line_get_number (line), ==, number);
  g_assert_cmpuint (ladle_body_line_get_offset (line), ==, offset);
  g_assert_cmpint (ladle_body_line_is_continuation (line), ==, continuation);
}

static void
assert_past_end (LadleLineModel *model)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (model));

  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), n));
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), n + 1000));
  g_assert_null (ladle_line_model_dup_text (model, n));
  g_assert_null (ladle_line_model_dup_text (model, G_MAXUINT));
}

/* The items-changed emissions of a model, and its size as each was emitted */
typedef struct
{
  guint position;
  guint removed;
  guint added;
  guint n_items;
} Change;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GArray     *changes)
{
  Change change = { position, removed, added, g_list_model_get_n_items (model) };

  g_array_append_val (changes, change);
}

static void
assert_change (GArray *changes,
               guint   i,
               guint   position,
               guint   removed,
               guint   added,
               guint   n_items)
{
  const Change *change;

  g_assert_cmpuint (i, <, changes->len);
  change = &g_array_index (changes, Change, i);
  g_assert_cmpuint (change->position, ==, position);
  g_assert_cmpuint (change->removed, ==, removed);
  g_assert_cmpuint (change->added, ==, added);
  g_assert_cmpuint (change->n_items, ==, n_items);
}

static void
test_text (Fixture       *fixture,
           gconstpointer  data)
{
  /* An empty line, CRLF, multi-byte UTF-8, two bytes that are not UTF-8, no final newline */
  static const char text[] =
    "first\n"
    "\n"
    "crlf\r\n"
    "ünïcødé ✓\n"
    "bad \xff\xfe byte\n"
    "last";
  g_autoptr(LadleLineIndex) index = index_text (fixture, text, sizeof text - 1, 4096);
  g_autoptr(LadleLineModel) model = ladle_line_model_new_text (index);

  g_assert_true (G_IS_LIST_MODEL (model));
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == LADLE_TYPE_BODY_LINE);
  g_assert_false (ladle_line_model_is_hex (model));
  g_assert_true (ladle_line_model_get_index (model) == index);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 6);

  assert_row (model, 0, "first", 0, 0, FALSE);
  assert_row (model, 1, "", 1, 6, FALSE);
  assert_row (model, 2, "crlf", 2, 7, FALSE);
  assert_row (model, 3, "ünïcødé ✓", 3, 13, FALSE);
  /* Each byte that is not UTF-8 shows as U+FFFD */
  assert_row (model, 4, "bad \xef\xbf\xbd\xef\xbf\xbd byte", 4, 13 + strlen ("ünïcødé ✓\n"),
              FALSE);
  assert_row (model, 5, "last", 5, sizeof text - 1 - strlen ("last"), FALSE);
  assert_past_end (model);

  /* The rows again, last first: read from the cache or the file, the same */
  for (guint i = 6; i-- > 0;)
    {
      g_autoptr(LadleBodyLine) line = g_list_model_get_item (G_LIST_MODEL (model), i);

      g_assert_cmpuint (ladle_body_line_get_position (line), ==, i);
      g_assert_cmpuint (ladle_body_line_get_number (line), ==, i);
    }
}

static void
test_trailing_newline (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(LadleLineIndex) with = index_text (fixture, "a\nb\n", 4, 4096);
  g_autoptr(LadleLineModel) with_model = ladle_line_model_new_text (with);
  g_autoptr(LadleLineIndex) empty = index_text (fixture, "", 0, 4096);
  g_autoptr(LadleLineModel) empty_model = ladle_line_model_new_text (empty);

  /* A final newline does not make an empty last row */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (with_model)), ==, 2);
  assert_row (with_model, 1, "b", 1, 2, FALSE);
  assert_past_end (with_model);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (empty_model)), ==, 0);
  assert_past_end (empty_model);
}

static void
test_continuation (Fixture       *fixture,
                   gconstpointer  data)
{
  /* With 8-byte entries: a 20-byte line is three rows; "abc✓✓" (9 bytes) is cut before the
   * second ✓ rather than inside it */
  static const char text[] = "abcdefghijklmnopqrst\nnext\nabc✓✓\n12345678\nend";
  g_autoptr(LadleLineIndex) index = index_text (fixture, text, sizeof text - 1, 8);
  g_autoptr(LadleLineModel) model = ladle_line_model_new_text (index);

  g_assert_cmpuint (ladle_line_index_get_max_line (index), ==, 8);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 8);

  assert_row (model, 0, "abcdefgh", 0, 0, FALSE);
  assert_row (model, 1, "ijklmnop", 0, 8, TRUE);
  assert_row (model, 2, "qrst", 0, 16, TRUE);
  assert_row (model, 3, "next", 1, 21, FALSE);
  assert_row (model, 4, "abc✓", 2, 26, FALSE);
  assert_row (model, 5, "✓", 2, 32, TRUE);
  /* Exactly max_line bytes: one row */
  assert_row (model, 6, "12345678", 3, 36, FALSE);
  assert_row (model, 7, "end", 4, 45, FALSE);
  assert_past_end (model);
}

/* Many rows, read out of order: blocks are read and dropped from the cache, rows stay right. */
static void
test_many_rows (Fixture       *fixture,
                gconstpointer  data)
{
  const guint n_lines = 3000;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GArray) offsets = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(LadleLineIndex) index = NULL;
  g_autoptr(LadleLineModel) model = NULL;

  for (guint i = 0; i < n_lines; i++)
    {
      guint64 offset = text->len;

      g_array_append_val (offsets, offset);
      g_string_append_printf (text, "line %u%s\n", i, i % 7 == 0 ? " ✓" : "");
    }
  index = index_text (fixture, text->str, text->len, 4096);
  model = ladle_line_model_new_text (index);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n_lines);

  /* 1009 is prime to 3000: every row once, jumping between blocks */
  for (guint k = 0, i = 0; k < n_lines; k++, i = (i + 1009) % n_lines)
    {
      g_autofree char *expected = g_strdup_printf ("line %u%s", i, i % 7 == 0 ? " ✓" : "");

      assert_row (model, i, expected, i, g_array_index (offsets, guint64, i), FALSE);
    }
  assert_past_end (model);
}

static void
test_hex (Fixture       *fixture,
          gconstpointer  data)
{
  /* 20 bytes; rows as `hexdump -C` prints them */
  static const char bytes[] = "Ladle\0\001\177\377 hex dump\n!";
  static const char *const row0 =
    "00000000  4c 61 64 6c 65 00 01 7f  ff 20 68 65 78 20 64 75  |Ladle.... hex du|";
  static const char *const row1_17 =
    "00000010  6d                                                |m|";
  static const char *const row1_20 =
    "00000010  6d 70 0a 21                                       |mp.!|";
  static const char *const only =
    "00000000  4c                                                |L|";
  const struct
  {
    guint64 size;
    guint n_rows;
  } sizes[] = { { 0, 0 }, { 1, 1 }, { 16, 1 }, { 17, 2 }, { 20, 2 } };
  g_autoptr(GFile) file = write_file (fixture, bytes, sizeof bytes - 1);

  g_assert_cmpuint (sizeof bytes - 1, ==, 20);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LadleLineModel) model = ladle_line_model_new_hex (file, sizes[i].size, &error);

      g_test_message ("size %" G_GUINT64_FORMAT, sizes[i].size);
      g_assert_no_error (error);
      g_assert_nonnull (model);
      g_assert_true (ladle_line_model_is_hex (model));
      g_assert_null (ladle_line_model_get_index (model));
      g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == LADLE_TYPE_BODY_LINE);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, sizes[i].n_rows);
      assert_past_end (model);

      /* number and offset are the row's byte offset */
      switch (sizes[i].size)
        {
        case 1:
          assert_row (model, 0, only, 0, 0, FALSE);
          break;
        case 16:
          assert_row (model, 0, row0, 0, 0, FALSE);
          break;
        case 17:
          assert_row (model, 0, row0, 0, 0, FALSE);
          assert_row (model, 1, row1_17, 16, 16, FALSE);
          break;
        case 20:
          assert_row (model, 1, row1_20, 16, 16, FALSE);
          assert_row (model, 0, row0, 0, 0, FALSE);
          break;
        default:
          break;
        }
    }
}

/* Hex rows across many blocks, read out of order, are those of ladle_body_append_hex_row(). */
static void
test_hex_many_rows (Fixture       *fixture,
                    gconstpointer  data)
{
  const gsize size = 2000 * LADLE_BODY_HEX_WIDTH + 7;
  g_autofree guint8 *bytes = g_malloc (size);
  g_autoptr(GFile) file = NULL;
  g_autoptr(LadleLineModel) model = NULL;
  g_autoptr(GError) error = NULL;
  guint n_rows;

  for (gsize i = 0; i < size; i++)
    bytes[i] = (guint8) ((i * 7 + i / 251) & 0xff);
  file = write_file (fixture, (const char *) bytes, size);
  model = ladle_line_model_new_hex (file, size, &error);
  g_assert_no_error (error);

  n_rows = g_list_model_get_n_items (G_LIST_MODEL (model));
  g_assert_cmpuint (n_rows, ==, 2001);

  /* Every row in order (a block read every 128 rows), then some rows out of order (a block read
   * for nearly each) */
  for (guint k = 0; k < n_rows + 300; k++)
    {
      guint i = k < n_rows ? k : (k - n_rows) * 613 % n_rows;
      g_autoptr(GString) expected = g_string_new (NULL);
      guint64 offset = (guint64) i * LADLE_BODY_HEX_WIDTH;

      ladle_body_append_hex_row (expected, offset, bytes + offset,
                                 MIN (LADLE_BODY_HEX_WIDTH, size - offset));
      assert_row (model, i, expected->str, offset, offset, FALSE);
    }
  assert_past_end (model);
}

static void
test_hex_errors (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "missing", NULL);
  g_autoptr(GFile) missing = g_file_new_for_path (path);
  g_autoptr(GFile) remote = g_file_new_for_uri ("resource:///org/example/body");
  g_autoptr(GError) error = NULL;

  g_assert_null (ladle_line_model_new_hex (missing, 10, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_null (g_file_get_path (remote));
  g_assert_null (ladle_line_model_new_hex (remote, 10, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
}

/* ladle_line_model_dup_text() over a range: the rows' texts, and NULL past the end */
static void
test_dup_text (Fixture       *fixture,
               gconstpointer  data)
{
  static const char text[] = "zero\none\ntwo\nthree\nfour";
  const char *const expected[] = { "zero", "one", "two", "three", "four" };
  g_autoptr(LadleLineIndex) index = index_text (fixture, text, sizeof text - 1, 4096);
  g_autoptr(LadleLineModel) model = ladle_line_model_new_text (index);
  g_autoptr(GString) joined = g_string_new (NULL);

  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *row = ladle_line_model_dup_text (model, i);

      g_assert_nonnull (row);
      g_string_append_printf (joined, "%s%s", i > 1 ? "\n" : "", row);
    }
  g_assert_cmpstr (joined->str, ==, "one\ntwo\nthree");

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *row = ladle_line_model_dup_text (model, i);

      g_assert_cmpstr (row, ==, expected[i]);
    }
  g_assert_null (ladle_line_model_dup_text (model, G_N_ELEMENTS (expected)));
}

static void
write_more (GOutputStream *out,
            const char    *data)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (out, data, strlen (data), NULL, NULL, &error);
  g_assert_no_error (error);
}

/* A model over an index that grows while its file is written: refresh() adds the rows that are
 * complete, once each, with items-changed at the end; the unfinished last line is left out. */
static void
test_refresh_append (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GFile) file = write_file (fixture, "", 0);
  g_autoptr(LadleLineIndex) index = ladle_line_index_new (file, 4096);
  g_autoptr(LadleLineModel) model = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(GError) error = NULL;
  const char *pieces[] = { "one\ntw", "o\nthr", "ee\nfour" };

  out = g_file_append_to (file, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ladle_line_index_begin_append (index, &error));
  g_assert_no_error (error);

  model = ladle_line_model_new_text (index);
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), changes);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  ladle_line_model_refresh (model);
  g_assert_cmpuint (changes->len, ==, 0);

  /* "one" is complete, "tw" is not */
  write_more (G_OUTPUT_STREAM (out), pieces[0]);
  ladle_line_index_append (index, pieces[0], strlen (pieces[0]));
  ladle_line_model_refresh (model);
  g_assert_cmpuint (changes->len, ==, 1);
  assert_change (changes, 0, 0, 0, 1, 1);
  /* Reads a block that holds the unfinished "tw" too */
  assert_row (model, 0, "one", 0, 0, FALSE);
  assert_past_end (model);

  /* Nothing new: no signal */
  ladle_line_model_refresh (model);
  g_assert_cmpuint (changes->len, ==, 1);

  /* "two" is complete now, and shows whole */
  write_more (G_OUTPUT_STREAM (out), pieces[1]);
  ladle_line_index_append (index, pieces[1], strlen (pieces[1]));
  ladle_line_model_refresh (model);
  g_assert_cmpuint (changes->len, ==, 2);
  assert_change (changes, 1, 1, 0, 1, 2);
  assert_row (model, 1, "two", 1, 4, FALSE);
  assert_row (model, 0, "one", 0, 0, FALSE);
  assert_past_end (model);

  write_more (G_OUTPUT_STREAM (out), pieces[2]);
  ladle_line_index_append (index, pieces[2], strlen (pieces[2]));
  ladle_line_model_refresh (model);
  g_assert_cmpuint (changes->len, ==, 3);
  assert_change (changes, 2, 2, 0, 1, 3);
  assert_row (model, 2, "three", 2, 8, FALSE);

  /* The end: the last line, without a newline, is a row */
  g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error);
  g_assert_no_error (error);
  ladle_line_index_end_append (index);
  ladle_line_model_refresh (model);
  g_assert_cmpuint (changes->len, ==, 4);
  assert_change (changes, 3, 3, 0, 1, 4);
  assert_row (model, 3, "four", 3, 14, FALSE);
  assert_row (model, 1, "two", 1, 4, FALSE);
  assert_past_end (model);

  ladle_line_model_refresh (model);
  g_assert_cmpuint (changes->len, ==, 4);
}

/* A model made before its index is built is empty; refresh() adds all rows in one change. */
static void
test_refresh_build (Fixture       *fixture,
                    gconstpointer  data)
{
  static const char text[] = "alpha\nbeta\ngamma\n";
  g_autoptr(GFile) file = write_file (fixture, text, sizeof text - 1);
  g_autoptr(LadleLineIndex) index = ladle_line_index_new (file, 4096);
  g_autoptr(LadleLineModel) model = ladle_line_model_new_text (index);
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));

  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), changes);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  assert_past_end (model);

  build (index);
  /* Until refresh() the model keeps its size */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  g_assert_cmpuint (changes->len, ==, 0);

  ladle_line_model_refresh (model);
  g_assert_cmpuint (changes->len, ==, 1);
  assert_change (changes, 0, 0, 0, 3, 3);
  assert_row (model, 0, "alpha", 0, 0, FALSE);
  assert_row (model, 2, "gamma", 2, 11, FALSE);
  assert_past_end (model);

  ladle_line_model_refresh (model);
  g_assert_cmpuint (changes->len, ==, 1);
}

/* Hex rows do not change: refresh() emits nothing */
static void
test_refresh_hex (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GFile) file = write_file (fixture, "0123456789abcdefXYZ", 19);
  g_autoptr(GError) error = NULL;
  g_autoptr(LadleLineModel) model = ladle_line_model_new_hex (file, 19, &error);
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));

  g_assert_no_error (error);
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), changes);
  ladle_line_model_refresh (model);
  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/ladle/line-model/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("text", test_text);
  ADD ("trailing-newline", test_trailing_newline);
  ADD ("continuation", test_continuation);
  ADD ("many-rows", test_many_rows);
  ADD ("hex", test_hex);
  ADD ("hex-many-rows", test_hex_many_rows);
  ADD ("hex-errors", test_hex_errors);
  ADD ("dup-text", test_dup_text);
  ADD ("refresh-append", test_refresh_append);
  ADD ("refresh-build", test_refresh_build);
  ADD ("refresh-hex", test_refresh_hex);

#undef ADD

  return ladle_test_run ();
}
