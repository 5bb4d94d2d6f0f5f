/* test-line-index.c
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

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ladle-line-index.h"
#include "ladle-test-utils.h"

#define MIB (1024 * 1024)

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->dir = ladle_test_make_tmpdir ("ladle-line-index-XXXXXX");
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

static LadleLineIndex *
build_index (GFile *file,
             guint  max_line)
{
  g_autoptr(LadleLineIndex) index = ladle_line_index_new (file, max_line);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (ladle_line_index_is_built (index));
  ladle_line_index_build_async (index, NULL, ladle_test_async_done, &result);
  LADLE_TEST_WAIT_UNTIL (result != NULL, 60000);
  g_assert_true (ladle_line_index_build_finish (index, result, &error));
  g_assert_no_error (error);
  g_assert_true (ladle_line_index_is_built (index));
  return g_steal_pointer (&index);
}

static LadleLineIndex *
index_text (Fixture    *fixture,
            const char *text,
            guint       max_line)
{
  g_autoptr(GFile) file = write_file (fixture, text, strlen (text));

  return build_index (file, max_line);
}

static void
assert_lines (LadleLineIndex     *index,
              guint64             first,
              guint               n,
              const char * const *expected)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = ladle_line_index_read_lines (index, first, n, &error);

  g_assert_no_error (error);
  g_assert_nonnull (lines);
  g_assert_cmpstrv (lines, expected);
}

static void
test_newlines (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(LadleLineIndex) index = index_text (fixture, "a\nbb\n\nccc", 4096);
  const char * const all[] = { "a", "bb", "", "ccc", NULL };
  const char * const middle[] = { "bb", "", NULL };
  const char * const none[] = { NULL };

  g_assert_cmpuint (ladle_line_index_get_n_lines (index), ==, 4);
  g_assert_cmpuint (ladle_line_index_get_size (index), ==, 9);
  g_assert_cmpuint (ladle_line_index_get_line_offset (index, 0), ==, 0);
  g_assert_cmpuint (ladle_line_index_get_line_offset (index, 1), ==, 2);
  g_assert_cmpuint (ladle_line_index_get_line_offset (index, 2), ==, 5);
  g_assert_cmpuint (ladle_line_index_get_line_offset (index, 3), ==, 6);
  g_assert_cmpuint (ladle_line_index_get_line_offset (index, 4), ==, 9);
  for (guint i = 0; i < 4; i++)
    g_assert_false (ladle_line_index_is_continuation (index, i));

  assert_lines (index, 0, 100, all);
  assert_lines (index, 1, 2, middle);
  assert_lines (index, 4, 1, none);
  assert_lines (index, 1000, 1, none);
  assert_lines (index, 0, 0, none);
}

static void
test_crlf (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(LadleLineIndex) index = index_text (fixture, "a\r\nbb\r\n\r\nc\rd\r\n", 4096);
  const char * const all[] = { "a", "bb", "", "c\rd", NULL };

  g_assert_cmpuint (ladle_line_index_get_n_lines (index), ==, 4);
  assert_lines (index, 0, 10, all);
}

static void
test_trailing_newline (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(LadleLineIndex) with = index_text (fixture, "x\ny\n", 4096);
  g_autoptr(LadleLineIndex) without = index_text (fixture, "x\ny", 4096);
  g_autoptr(LadleLineIndex) only = index_text (fixture, "\n", 4096);
  const char * const xy[] = { "x", "y", NULL };
  const char * const empty_line[] = { "", NULL };

  g_assert_cmpuint (ladle_line_index_get_n_lines (with), ==, 2);
  g_assert_cmpuint (ladle_line_index_get_n_lines (without), ==, 2);
  g_assert_cmpuint (ladle_line_index_get_n_lines (only), ==, 1);
  assert_lines (with, 0, 5, xy);
  assert_lines (without, 0, 5, xy);
  assert_lines (only, 0, 5, empty_line);
}

static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(LadleLineIndex) index = index_text (fixture, "", 4096);
  const char * const none[] = { NULL };

  g_assert_cmpuint (ladle_line_index_get_n_lines (index), ==, 0);
  g_assert_cmpuint (ladle_line_index_get_size (index), ==, 0);
  g_assert_cmpuint (ladle_line_index_line_at_offset (index, 0), ==, 0);
  assert_lines (index, 0, 10, none);
}

static void
check_giant_line (Fixture    *fixture,
                  const char *unit,
                  guint       repeat,
                  guint       max_line)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) joined = g_string_new (NULL);
  g_autoptr(LadleLineIndex) index = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  guint64 n;
  gsize line_len;

  for (guint i = 0; i < repeat; i++)
    g_string_append (text, unit);
  line_len = text->len;
  g_string_append (text, "\r\nend\n");

  index = index_text (fixture, text->str, max_line);
  n = ladle_line_index_get_n_lines (index);
  g_assert_cmpuint (n, >=, (line_len + max_line - 1) / max_line + 1);
  g_assert_cmpuint (n, <=, line_len / (max_line - 3) + 2);

  lines = ladle_line_index_read_lines (index, 0, (guint) n, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (lines), ==, n);

  for (guint64 i = 0; i + 1 < n; i++)
    {
      /* Every piece is whole characters and at most max_line bytes */
      g_assert_true (g_utf8_validate (lines[i], -1, NULL));
      g_assert_cmpuint (strlen (lines[i]), <=, max_line);
      if (i + 2 < n)
        g_assert_cmpuint (strlen (lines[i]), >, max_line - 4);
      g_assert_cmpint (ladle_line_index_is_continuation (index, i), ==, i > 0);
      g_string_append (joined, lines[i]);
    }
  g_assert_cmpstr (lines[n - 1], ==, "end");
  g_assert_false (ladle_line_index_is_continuation (index, n - 1));
  g_assert_cmpuint (joined->len, ==, line_len);
  g_assert_true (strncmp (joined->str, text->str, line_len) == 0);
}

static void
test_giant_line (Fixture       *fixture,
                 gconstpointer  data)
{
  /* Two-byte Cyrillic: an odd max_line would cut inside a character */
  for (guint max_line = 4093; max_line <= 4098; max_line++)
    check_giant_line (fixture, "ж", 20000, max_line);
  /* Four-byte emoji and mixed widths */
  for (guint max_line = 4093; max_line <= 4098; max_line++)
    check_giant_line (fixture, "😀aé", 7000, max_line);
  check_giant_line (fixture, "ж", 20000, 4);
  check_giant_line (fixture, "😀", 100, 5);
}

static void
test_exact_length (Fixture       *fixture,
                   gconstpointer  data)
{
  /* A line of exactly max_line bytes is one line, with either ending */
  g_autoptr(LadleLineIndex) lf = index_text (fixture, "abcd\nefgh\n", 4);
  g_autoptr(LadleLineIndex) crlf = index_text (fixture, "abcd\r\nefgh\r\n", 4);
  g_autoptr(LadleLineIndex) over = index_text (fixture, "abcde\n", 4);
  const char * const two[] = { "abcd", "efgh", NULL };
  const char * const cut[] = { "abcd", "e", NULL };

  g_assert_cmpuint (ladle_line_index_get_n_lines (lf), ==, 2);
  g_assert_cmpuint (ladle_line_index_get_n_lines (crlf), ==, 2);
  g_assert_cmpuint (ladle_line_index_get_n_lines (over), ==, 2);
  assert_lines (lf, 0, 10, two);
  assert_lines (crlf, 0, 10, two);
  assert_lines (over, 0, 10, cut);
  g_assert_true (ladle_line_index_is_continuation (over, 1));
}

static void
test_read_positions (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(LadleLineIndex) index = NULL;
  const char * const start[] = { "line 0", "line 1", "line 2", NULL };
  const char * const middle[] = { "line 500", "line 501", "line 502", NULL };
  const char * const end[] = { "line 998", "line 999", NULL };

  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (text, "line %u\n", i);

  index = index_text (fixture, text->str, 4096);
  g_assert_cmpuint (ladle_line_index_get_n_lines (index), ==, 1000);
  assert_lines (index, 0, 3, start);
  assert_lines (index, 500, 3, middle);
  assert_lines (index, 998, 5, end);
}

static void
test_line_at_offset (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(LadleLineIndex) index = index_text (fixture, "a\nbb\n\nccc", 4096);

  g_assert_cmpuint (ladle_line_index_line_at_offset (index, 0), ==, 0);
  g_assert_cmpuint (ladle_line_index_line_at_offset (index, 1), ==, 0);
  g_assert_cmpuint (ladle_line_index_line_at_offset (index, 2), ==, 1);
  g_assert_cmpuint (ladle_line_index_line_at_offset (index, 4), ==, 1);
  g_assert_cmpuint (ladle_line_index_line_at_offset (index, 5), ==, 2);
  g_assert_cmpuint (ladle_line_index_line_at_offset (index, 6), ==, 3);
  g_assert_cmpuint (ladle_line_index_line_at_offset (index, 8), ==, 3);
  g_assert_cmpuint (ladle_line_index_line_at_offset (index, 1000), ==, 3);
}

static gboolean
find (LadleLineIndex  *index,
      const char      *needle,
      gboolean         ignore_case,
      guint64          from,
      gboolean         backwards,
      guint64         *out_offset,
      guint64         *out_line,
      GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ladle_line_index_find_async (index, needle, ignore_case, from, backwards, NULL,
                               ladle_test_async_done, &result);
  LADLE_TEST_WAIT_UNTIL (result != NULL, 60000);
  return ladle_line_index_find_finish (index, result, out_offset, out_line, error);
}

static guint64
find_ok (LadleLineIndex *index,
         const char     *needle,
         gboolean        ignore_case,
         guint64         from,
         gboolean        backwards)
{
  g_autoptr(GError) error = NULL;
  guint64 offset = G_MAXUINT64;
  guint64 line = G_MAXUINT64;

  g_assert_true (find (index, needle, ignore_case, from, backwards, &offset, &line, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (line, ==, ladle_line_index_line_at_offset (index, offset));
  return offset;
}

static void
find_none (LadleLineIndex *index,
           const char     *needle,
           gboolean        ignore_case,
           guint64         from,
           gboolean        backwards)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (find (index, needle, ignore_case, from, backwards, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static guint64
count (LadleLineIndex *index,
       const char     *needle,
       gboolean        ignore_case)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint64 n = G_MAXUINT64;

  ladle_line_index_count_async (index, needle, ignore_case, NULL, ladle_test_async_done, &result);
  LADLE_TEST_WAIT_UNTIL (result != NULL, 60000);
  g_assert_true (ladle_line_index_count_finish (index, result, &n, &error));
  g_assert_no_error (error);
  return n;
}

static void
test_find_blocks (Fixture       *fixture,
                  gconstpointer  data)
{
  gsize size = 3 * MIB + 100;
  g_autofree char *text = g_malloc (size);
  g_autoptr(GFile) file = NULL;
  g_autoptr(LadleLineIndex) index = NULL;
  /* One straddles the first forward block boundary, one the first backward one */
  guint64 first = MIB - 3;
  guint64 second = 2 * MIB + 100 - 3;
  guint64 size_line;

  for (gsize i = 0; i < size; i++)
    text[i] = "xyz abc\n"[i % 8];
  memcpy (text + first, "NEEDLE", 6);
  memcpy (text + second, "NEEDLE", 6);

  file = write_file (fixture, text, size);
  index = build_index (file, 4096);

  g_assert_cmpuint (find_ok (index, "NEEDLE", FALSE, 0, FALSE), ==, first);
  g_assert_cmpuint (find_ok (index, "NEEDLE", FALSE, first, FALSE), ==, first);
  g_assert_cmpuint (find_ok (index, "NEEDLE", FALSE, first + 1, FALSE), ==, second);
  find_none (index, "NEEDLE", FALSE, second + 1, FALSE);

  g_assert_cmpuint (find_ok (index, "NEEDLE", FALSE, size, TRUE), ==, second);
  g_assert_cmpuint (find_ok (index, "NEEDLE", FALSE, G_MAXUINT64, TRUE), ==, second);
  g_assert_cmpuint (find_ok (index, "NEEDLE", FALSE, second, TRUE), ==, first);
  g_assert_cmpuint (find_ok (index, "NEEDLE", FALSE, second + 1, TRUE), ==, second);
  find_none (index, "NEEDLE", FALSE, first, TRUE);

  /* Case */
  find_none (index, "needle", FALSE, 0, FALSE);
  g_assert_cmpuint (find_ok (index, "needle", TRUE, 0, FALSE), ==, first);
  g_assert_cmpuint (find_ok (index, "nEeDlE", TRUE, size, TRUE), ==, second);
  g_assert_cmpuint (find_ok (index, "XYZ ABC", TRUE, 0, FALSE), ==, 0);

  /* The line numbers come from the index */
  size_line = ladle_line_index_line_at_offset (index, first);
  g_assert_cmpuint (size_line, ==, first / 8);

  g_assert_cmpuint (count (index, "NEEDLE", FALSE), ==, 2);
  g_assert_cmpuint (count (index, "needle", FALSE), ==, 0);
  g_assert_cmpuint (count (index, "needle", TRUE), ==, 2);
  g_assert_cmpuint (count (index, "\n", FALSE), ==, ladle_line_index_get_n_lines (index) - 1);
}

static void
test_count_overlaps (Fixture       *fixture,
                     gconstpointer  data)
{
  gsize size = 2 * MIB + 10;
  g_autofree char *text = g_malloc (size);
  g_autoptr(GFile) file = NULL;
  g_autoptr(LadleLineIndex) index = NULL;

  /* "aaaa…" across the block boundary: non-overlapping matches only */
  memset (text, 'a', size);
  file = write_file (fixture, text, size);
  index = build_index (file, 4096);

  g_assert_cmpuint (count (index, "a", FALSE), ==, size);
  g_assert_cmpuint (count (index, "aa", FALSE), ==, size / 2);
  g_assert_cmpuint (count (index, "aaa", FALSE), ==, size / 3);
  g_assert_cmpuint (count (index, "AAAAAAA", TRUE), ==, size / 7);
  g_assert_cmpuint (find_ok (index, "aaa", FALSE, size, TRUE), ==, size - 3);
  g_assert_cmpuint (find_ok (index, "aaa", FALSE, MIB, FALSE), ==, MIB);
  find_none (index, "aaa", FALSE, size - 2, FALSE);
  find_none (index, "b", FALSE, 0, FALSE);
}

static void
test_big_file (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "big", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GString) chunk = g_string_new (NULL);
  g_autoptr(LadleLineIndex) index = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  guint64 total = 0;
  guint n = 0;
  guint64 marker;
  char expected[64];

  stream = g_file_create (file, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  while (total < 50 * MIB)
    {
      g_string_truncate (chunk, 0);
      for (guint i = 0; i < 10000; i++, n++)
        g_string_append_printf (chunk, "%08u some text here, строка\n", n);
      g_assert_true (g_output_stream_write_all (G_OUTPUT_STREAM (stream), chunk->str, chunk->len,
                                                NULL, NULL, &error));
      g_assert_no_error (error);
      total += chunk->len;
    }
  g_assert_true (g_output_stream_write_all (G_OUTPUT_STREAM (stream), "MARKER", 6, NULL, NULL,
                                            &error));
  g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, &error));
  g_assert_no_error (error);

  index = build_index (file, 4096);
  g_assert_cmpuint (ladle_line_index_get_n_lines (index), ==, n + 1);
  g_assert_cmpuint (ladle_line_index_get_size (index), ==, total + 6);

  lines = ladle_line_index_read_lines (index, n - 1, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_snprintf (expected, sizeof expected, "%08u some text here, строка", n - 1);
  g_assert_cmpstr (lines[0], ==, expected);
  g_assert_cmpstr (lines[1], ==, "MARKER");

  marker = find_ok (index, "marker", TRUE, 0, FALSE);
  g_assert_cmpuint (marker, ==, total);
  g_assert_cmpuint (ladle_line_index_line_at_offset (index, marker), ==, n);
  g_snprintf (expected, sizeof expected, "%08u some", n / 2);
  g_assert_cmpuint (ladle_line_index_line_at_offset (index, find_ok (index, expected, FALSE,
                                                                     total + 6, TRUE)),
                    ==, n / 2);
  g_assert_cmpuint (count (index, "строка", FALSE), ==, n);
}

static void
test_errors (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "missing", NULL);
  g_autoptr(GFile) missing = g_file_new_for_path (path);
  g_autoptr(GFile) file = write_file (fixture, "a\nb\n", 4);
  g_autoptr(LadleLineIndex) index = ladle_line_index_new (missing, 4096);
  g_autoptr(LadleLineIndex) cancelled = ladle_line_index_new (file, 4096);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ladle_line_index_build_async (index, NULL, ladle_test_async_done, &result);
  LADLE_TEST_WAIT_UNTIL (result != NULL, 10000);
  g_assert_false (ladle_line_index_build_finish (index, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpuint (ladle_line_index_get_n_lines (index), ==, 0);
  g_clear_error (&error);
  g_clear_object (&result);

  find (index, "x", FALSE, 0, FALSE, NULL, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_cancellable_cancel (cancellable);
  ladle_line_index_build_async (cancelled, cancellable, ladle_test_async_done, &result);
  LADLE_TEST_WAIT_UNTIL (result != NULL, 10000);
  g_assert_false (ladle_line_index_build_finish (cancelled, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (ladle_line_index_is_built (cancelled));
}

static void
test_lifecycle (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GFile) file = write_file (fixture, "one\ntwo\n", 8);
  LadleLineIndex *index = build_index (file, 4096);

  g_assert_true (ladle_line_index_get_file (index) == file);
  g_assert_cmpuint (ladle_line_index_get_max_line (index), ==, 4096);
  g_assert_finalize_object (index);
}

static void
test_append (Fixture       *fixture,
             gconstpointer  data)
{
  static const char text[] = "short\na line longer than eight\r\n\nxy\nanother long line at the end";
  gsize len = strlen (text);
  g_autoptr(GFile) file = write_file (fixture, text, len);
  g_autoptr(LadleLineIndex) built = build_index (file, 8);
  guint64 n = ladle_line_index_get_n_lines (built);
  guint64 line = 0;

  /* Line numbers skip soft breaks, and each line maps back to its first entry */
  for (guint64 entry = 0; entry < n; entry++)
    {
      if (entry > 0 && !ladle_line_index_is_continuation (built, entry))
        line++;
      g_assert_cmpuint (ladle_line_index_get_line_number (built, entry), ==, line);
      if (!ladle_line_index_is_continuation (built, entry))
        g_assert_cmpuint (ladle_line_index_get_entry_for_line (built, line), ==, entry);
    }
  g_assert_cmpuint (line, ==, 4);
  g_assert_cmpuint (ladle_line_index_get_entry_for_line (built, 5), ==, n);

  /* Fed in pieces of every size, as a writer would, the index is the same */
  for (gsize piece = 1; piece <= len; piece++)
    {
      g_autoptr(LadleLineIndex) grown = ladle_line_index_new (file, 8);
      g_autoptr(GError) error = NULL;

      g_assert_true (ladle_line_index_begin_append (grown, &error));
      g_assert_no_error (error);
      for (gsize at = 0; at < len; at += piece)
        {
          ladle_line_index_append (grown, text + at, MIN (piece, len - at));
          g_assert_false (ladle_line_index_is_built (grown));
          g_assert_cmpuint (ladle_line_index_get_size (grown), ==, MIN (at + piece, len));
        }
      ladle_line_index_end_append (grown);
      g_assert_true (ladle_line_index_is_built (grown));
      g_assert_cmpuint (ladle_line_index_get_n_lines (grown), ==, n);
      for (guint64 entry = 0; entry < n; entry++)
        {
          g_assert_cmpuint (ladle_line_index_get_line_offset (grown, entry), ==,
                            ladle_line_index_get_line_offset (built, entry));
          g_assert_cmpint (ladle_line_index_is_continuation (grown, entry), ==,
                           ladle_line_index_is_continuation (built, entry));
        }
      {
        g_auto(GStrv) lines = ladle_line_index_read_lines (grown, 0, (guint) n, &error);

        g_assert_no_error (error);
        g_assert_cmpstr (lines[0], ==, "short");
        g_assert_cmpstr (lines[1], ==, "a line l");
      }
    }
}

/* The sparse index: every entry is found again by reading forward from a checkpoint (one per 128
 * entries), so offsets, continuation marks and line numbers must match a plain one-pass split
 * at every entry, at and between checkpoints, built at once or grown piece by piece. */

typedef struct
{
  guint64  offset;
  guint64  line;
  gboolean continuation;
} Expected;

/* The rule of ladle-line-index.c, the simple way: the whole text at once */
static GArray *
split_text (const char *text,
            gsize       len,
            gsize       max_line)
{
  GArray *entries = g_array_new (FALSE, FALSE, sizeof (Expected));
  Expected entry = { 0, 0, FALSE };

  if (len == 0)
    return entries;

  g_array_append_val (entries, entry);
  for (;;)
    {
      gsize s = (gsize) entry.offset;
      const char *nl = memchr (text + s, '\n', len - s);
      gsize at = nl != NULL ? (gsize) (nl - text) : len;

      if (nl != NULL && (at - s <= max_line || (at - s == max_line + 1 && text[at - 1] == '\r')))
        {
          if (at + 1 == len)
            break;
          entry.offset = at + 1;
          entry.line++;
          entry.continuation = FALSE;
        }
      else if (len - s > max_line)
        {
          gsize cut = s + max_line;

          while (((guchar) text[cut] & 0xC0) == 0x80)
            cut--;
          entry.offset = cut;
          entry.continuation = TRUE;
        }
      else
        break;
      g_array_append_val (entries, entry);
    }

  return entries;
}

static char *
make_sparse_text (guint n_lines,
                  gsize max_line)
{
  GString *text = g_string_new (NULL);
  GRand *rand = g_rand_new_with_seed (42);
  static const char * const units[] = { "a", "ж", "😀", " ", "{", "\"", "é" };

  for (guint i = 0; i < n_lines; i++)
    {
      /* Mostly short lines, some several times max_line (runs of continuation rows that span
       * checkpoints), some empty, some with "\r\n" */
      gboolean longer = g_rand_int_range (rand, 0, 10) == 0;
      guint length = (guint) g_rand_int_range (rand, 0, (gint32) ((longer ? 20 : 1) * max_line));

      for (gsize start = text->len; text->len - start < length; )
        g_string_append (text, units[g_rand_int_range (rand, 0, G_N_ELEMENTS (units))]);
      g_string_append (text, g_rand_int_range (rand, 0, 7) == 0 ? "\r\n" : "\n");
    }
  /* The last line has no newline */
  g_string_append (text, "the end");

  g_rand_free (rand);
  return g_string_free (text, FALSE);
}

static void
check_against (LadleLineIndex *index,
               const char     *text,
               GArray         *expected,
               guint64         n)
{
  g_autoptr(GError) error = NULL;
  g_autofree LadleLineEntry *entries = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_cmpuint (n, <=, expected->len);

  /* Everything in one read */
  lines = ladle_line_index_read_entries (index, 0, (guint) n, &entries, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (lines), ==, n);
  for (guint64 i = 0; i < n; i++)
    {
      const Expected *want = &g_array_index (expected, Expected, i);

      g_assert_cmpuint (entries[i].offset, ==, want->offset);
      g_assert_cmpuint (entries[i].line, ==, want->line);
      g_assert_cmpint (entries[i].continuation, ==, want->continuation);
      g_assert_true (strncmp (lines[i], text + want->offset, strlen (lines[i])) == 0);
    }
}

static void
test_sparse (Fixture       *fixture,
             gconstpointer  data)
{
  gsize max_line = 16;
  g_autofree char *text = make_sparse_text (3000, max_line);
  gsize len = strlen (text);
  g_autoptr(GArray) expected = split_text (text, len, max_line);
  g_autoptr(GFile) file = write_file (fixture, text, len);
  g_autoptr(LadleLineIndex) index = build_index (file, (guint) max_line);
  guint64 n = expected->len;
  guint64 lines_seen = 0;

  g_assert_cmpuint (n, >, 128 * 30);
  g_assert_cmpuint (ladle_line_index_get_n_lines (index), ==, n);
  check_against (index, text, expected, n);

  for (guint64 i = 0; i < n; i++)
    {
      const Expected *want = &g_array_index (expected, Expected, i);
      guint64 end = i + 1 < n ? g_array_index (expected, Expected, i + 1).offset : len;

      /* One entry at a time: at a checkpoint (i % 128 == 0) or up to 127 entries after it */
      g_assert_cmpuint (ladle_line_index_get_line_offset (index, i), ==, want->offset);
      g_assert_cmpint (ladle_line_index_is_continuation (index, i), ==, want->continuation);
      g_assert_cmpuint (ladle_line_index_get_line_number (index, i), ==, want->line);
      g_assert_cmpuint (ladle_line_index_line_at_offset (index, want->offset), ==, i);
      g_assert_cmpuint (ladle_line_index_line_at_offset (index, end - 1), ==, i);
      if (!want->continuation)
        {
          g_assert_cmpuint (ladle_line_index_get_entry_for_line (index, want->line), ==, i);
          lines_seen++;
        }
    }
  g_assert_cmpuint (lines_seen, ==, 3001);
  g_assert_cmpuint (ladle_line_index_get_line_offset (index, n), ==, len);
  g_assert_cmpuint (ladle_line_index_get_entry_for_line (index, 3001), ==, n);
  g_assert_cmpuint (ladle_line_index_line_at_offset (index, len + 100), ==, n - 1);

  /* Reads that start at, just before and just after checkpoints, and the last line */
  for (guint64 first = 0; first < n; first += 61)
    {
      g_autoptr(GError) error = NULL;
      g_autofree LadleLineEntry *entries = NULL;
      g_auto(GStrv) lines = ladle_line_index_read_entries (index, first, 130, &entries, &error);
      guint64 count = MIN (130, n - first);

      g_assert_no_error (error);
      g_assert_cmpuint (g_strv_length (lines), ==, count);
      for (guint64 i = 0; i < count; i++)
        {
          const Expected *want = &g_array_index (expected, Expected, first + i);

          g_assert_cmpuint (entries[i].offset, ==, want->offset);
          g_assert_cmpuint (entries[i].line, ==, want->line);
        }
      if (first + count == n)
        g_assert_cmpstr (lines[count - 1], ==, "the end");
    }
}

static void
test_sparse_append (Fixture       *fixture,
                    gconstpointer  data)
{
  gsize max_line = 16;
  g_autofree char *text = make_sparse_text (1000, max_line);
  gsize len = strlen (text);
  g_autoptr(GArray) expected = split_text (text, len, max_line);
  g_autoptr(GFile) file = write_file (fixture, text, len);
  g_autoptr(LadleLineIndex) index = ladle_line_index_new (file, (guint) max_line);
  g_autoptr(GError) error = NULL;
  GRand *rand = g_rand_new_with_seed (7);
  gsize at = 0;

  g_assert_true (ladle_line_index_begin_append (index, &error));
  g_assert_no_error (error);
  while (at < len)
    {
      gsize piece = (gsize) g_rand_int_range (rand, 1, 700);
      guint64 n;

      piece = MIN (piece, len - at);
      ladle_line_index_append (index, text + at, piece);
      at += piece;

      /* The entries before the last (unfinished) one are final, and readable meanwhile */
      n = ladle_line_index_get_n_lines (index);
      g_assert_cmpuint (n, >=, 1);
      check_against (index, text, expected, n - 1);
    }
  ladle_line_index_end_append (index);
  g_rand_free (rand);

  g_assert_cmpuint (ladle_line_index_get_n_lines (index), ==, expected->len);
  check_against (index, text, expected, expected->len);
}

static void
test_sparse_empty (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GFile) file = write_file (fixture, "", 0);
  g_autoptr(LadleLineIndex) built = build_index (file, 16);
  g_autoptr(LadleLineIndex) grown = ladle_line_index_new (file, 16);
  g_autoptr(GError) error = NULL;
  g_autofree LadleLineEntry *entries = NULL;
  g_auto(GStrv) lines = NULL;

  lines = ladle_line_index_read_entries (built, 0, 10, &entries, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (lines), ==, 0);
  g_assert_cmpuint (ladle_line_index_get_entry_for_line (built, 0), ==, 0);
  g_assert_cmpuint (ladle_line_index_get_line_offset (built, 0), ==, 0);
  g_assert_false (ladle_line_index_is_continuation (built, 0));

  g_assert_true (ladle_line_index_begin_append (grown, &error));
  g_assert_cmpuint (ladle_line_index_get_n_lines (grown), ==, 1);
  ladle_line_index_end_append (grown);
  g_assert_cmpuint (ladle_line_index_get_n_lines (grown), ==, 0);

  /* 128 lines and a final newline: the dropped empty entry would have been a checkpoint */
  {
    g_autoptr(GString) text = g_string_new (NULL);
    g_autoptr(GFile) lines_file = NULL;
    g_autoptr(LadleLineIndex) index = NULL;

    for (guint i = 0; i < 128; i++)
      g_string_append_printf (text, "%u\n", i);
    lines_file = write_file (fixture, text->str, text->len);
    index = build_index (lines_file, 16);
    g_assert_cmpuint (ladle_line_index_get_n_lines (index), ==, 128);
    g_assert_cmpuint (ladle_line_index_line_at_offset (index, text->len), ==, 127);
    g_assert_cmpuint (ladle_line_index_get_line_number (index, 127), ==, 127);
    g_assert_cmpuint (ladle_line_index_get_entry_for_line (index, 128), ==, 128);
  }
}

static int
thread_nice (void)
{
  errno = 0;
  return getpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid));
}

static void
nice_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_task_return_int (task, thread_nice ());
}

static void
nice_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  int *out = user_data;

  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  *out = (int) g_task_propagate_int (G_TASK (result), NULL);
}

/* Scans and searches run below the main thread's priority, which stays as it was; the result
 * comes back in the main context */
static void
test_background_priority (Fixture       *fixture,
                          gconstpointer  data)
{
  int before = thread_nice ();
  int worker = G_MININT;

  if (before > 14)
    {
      g_test_skip ("The tests already run at the lowest priorities");
      return;
    }
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GTask) task = g_task_new (NULL, NULL, nice_done_cb, &worker);

      worker = G_MININT;
      ladle_run_in_background_thread (task, nice_thread);
      g_clear_object (&task);
      LADLE_TEST_WAIT_UNTIL (worker != G_MININT, 5000);
      g_assert_cmpint (worker, >, before);
      g_assert_cmpint (thread_nice (), ==, before);
    }
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/ladle/line-index/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("newlines", test_newlines);
  ADD ("crlf", test_crlf);
  ADD ("trailing-newline", test_trailing_newline);
  ADD ("empty", test_empty);
  ADD ("giant-line", test_giant_line);
  ADD ("exact-length", test_exact_length);
  ADD ("read-positions", test_read_positions);
  ADD ("line-at-offset", test_line_at_offset);
  ADD ("find-blocks", test_find_blocks);
  ADD ("count-overlaps", test_count_overlaps);
  ADD ("big-file", test_big_file);
  ADD ("errors", test_errors);
  ADD ("lifecycle", test_lifecycle);
  ADD ("append", test_append);
  ADD ("sparse", test_sparse);
  ADD ("sparse-append", test_sparse_append);
  ADD ("sparse-empty", test_sparse_empty);
  ADD ("background-priority", test_background_priority);

#undef ADD

  return ladle_test_run ();
}
