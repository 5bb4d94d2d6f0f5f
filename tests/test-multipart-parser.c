/* test-multipart-parser.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* memmem() is a GNU extension. */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif

#include "config.h"

#include "ladle-multipart-parser.h"

#include "ladle-error.h"
#include "ladle-test-utils.h"

#include <string.h>

#define BOUNDARY "----LadleTestBoundary7MA4YWxkTrZu0gW"
#define CYRILLIC_NAME "отчёт за май.txt"
/* The longest boundary RFC 2046 allows */
#define SEVENTY "0123456789012345678901234567890123456789012345678901234567890123456789"

/* What the callbacks saw, in a form that can be compared. */
typedef struct
{
  char       *headers_text;
  char       *content_type;
  char       *field;
  char       *filename;
  GByteArray *data;
  gboolean    ended;
} Part;

typedef struct
{
  GPtrArray    *parts;
  Part         *current;
  guint         n_data_calls;
  /* For the streaming checks: the chunk being fed right now */
  const guint8 *chunk;
  gsize         chunk_len;
  gsize         bytes_from_chunk;
  /* For the abort check: the index of the part whose part_begin fails, or -1 */
  int           fail_on_begin;
} Collector;

static void
part_free (gpointer data)
{
  Part *part = data;

  g_free (part->headers_text);
  g_free (part->content_type);
  g_free (part->field);
  g_free (part->filename);
  g_byte_array_unref (part->data);
  g_free (part);
}

static void
collector_init (Collector *c)
{
  memset (c, 0, sizeof *c);
  c->parts = g_ptr_array_new_with_free_func (part_free);
  c->fail_on_begin = -1;
}

static void
collector_clear (Collector *c)
{
  g_clear_pointer (&c->parts, g_ptr_array_unref);
}

static void
append_header (const char *name,
               const char *value,
               gpointer    user_data)
{
  g_string_append_printf (user_data, "%s: %s\n", name, value);
}

static gboolean
on_part_begin (SoupMessageHeaders  *headers,
               gpointer             user_data,
               GError             **error)
{
  Collector *c = user_data;
  Part *part;
  GString *text;

  g_assert_null (c->current);

  if (c->fail_on_begin == (int) c->parts->len)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "disk full (test)");
      return FALSE;
    }

  part = g_new0 (Part, 1);
  text = g_string_new (NULL);
  soup_message_headers_foreach (headers, append_header, text);
  part->headers_text = g_string_free (text, FALSE);
  part->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  ladle_multipart_part_get_names (headers, &part->field, &part->filename);
  part->data = g_byte_array_new ();

  g_ptr_array_add (c->parts, part);
  c->current = part;
  return TRUE;
}

static gboolean
on_part_data (const guint8  *data,
              gsize          len,
              gpointer       user_data,
              GError       **error)
{
  Collector *c = user_data;

  g_assert_nonnull (c->current);
  g_assert_false (c->current->ended);
  g_assert_cmpuint (len, >, 0);

  c->n_data_calls++;
  if (c->chunk != NULL && data >= c->chunk && data + len <= c->chunk + c->chunk_len)
    c->bytes_from_chunk += len;

  g_byte_array_append (c->current->data, data, len);
  return TRUE;
}

static gboolean
on_part_end (gpointer   user_data,
             GError   **error)
{
  Collector *c = user_data;

  g_assert_nonnull (c->current);
  c->current->ended = TRUE;
  c->current = NULL;
  return TRUE;
}

static const LadleMultipartCallbacks callbacks = {
  on_part_begin,
  on_part_data,
  on_part_end,
};

/* ------------------------------------------------------------------------------------------- */
/* The sample body */

/* A boundary one character short: what a body may hold right before a mismatch */
#define ALMOST_BOUNDARY "----LadleTestBoundary7MA4YWxkTrZu0g"

static GBytes *
make_binary_content (void)
{
  GByteArray *b = g_byte_array_new ();
  const char *traps[] = {
    "\r\n--",
    "\r\n--" ALMOST_BOUNDARY "X",     /* all but the last byte of a delimiter */
    "\r\r\n--" ALMOST_BOUNDARY,
    "\r\n-",
    " --" BOUNDARY,                   /* the boundary, but not at a line start */
    "\n--" BOUNDARY,                  /* LF only */
    "\r\n\r\n",
  };

  for (guint i = 0; i < 256; i++)
    {
      guint8 byte = i;
      g_byte_array_append (b, &byte, 1);
    }

  for (guint i = 0; i < G_N_ELEMENTS (traps); i++)
    {
      g_byte_array_append (b, (const guint8 *) traps[i], strlen (traps[i]));
      g_byte_array_append (b, (const guint8 *) "payload", 7);
    }

  /* A fake partial boundary right before the real delimiter */
  g_byte_array_append (b, (const guint8 *) "\r\n--" BOUNDARY, 12);

  return g_byte_array_free_to_bytes (b);
}

typedef struct
{
  const char *field;
  const char *filename;
  const char *content_type;
  GBytes     *data;
} ExpectedPart;

static void
expected_parts_clear (ExpectedPart *parts,
                      guint         n)
{
  for (guint i = 0; i < n; i++)
    g_clear_pointer (&parts[i].data, g_bytes_unref);
}

#define N_SAMPLE_PARTS 6

static void
make_sample_parts (ExpectedPart *parts)
{
  static const char notes[] = "line one\r\nline two\r\n--not the boundary\r\n";

  parts[0] = (ExpectedPart) { "title", NULL, NULL, g_bytes_new_static ("Hello, world", 12) };
  parts[1] = (ExpectedPart) { "notes", NULL, NULL, g_bytes_new_static (notes, strlen (notes)) };
  parts[2] = (ExpectedPart) { "binary", "data.bin", "application/octet-stream",
                              make_binary_content () };
  parts[3] = (ExpectedPart) { "empty", "empty.txt", "text/plain", g_bytes_new_static ("", 0) };
  parts[4] = (ExpectedPart) { "report", CYRILLIC_NAME, "text/plain",
                              g_bytes_new_static ("отчёт\n", strlen ("отчёт\n")) };
  parts[5] = (ExpectedPart) { "last", NULL, NULL, g_bytes_new_static ("ends with CR\r", 13) };
}

/* Builds a body by hand (not with libsoup) so that it can hold a preamble, an epilogue and the
 * raw UTF-8 file name that browsers send. */
static GBytes *
make_sample_body (const ExpectedPart *parts,
                  guint               n)
{
  GByteArray *b = g_byte_array_new ();

#define APPEND(s) g_byte_array_append (b, (const guint8 *) (s), strlen (s))
  APPEND ("This is the preamble; it is ignored, and so is --" BOUNDARY " in it.\r\n");

  for (guint i = 0; i < n; i++)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (parts[i].data, &len);

      APPEND ("\r\n--" BOUNDARY "\r\n");
      APPEND ("Content-Disposition: form-data; name=\"");
      APPEND (parts[i].field);
      APPEND ("\"");
      if (parts[i].filename != NULL)
        {
          APPEND ("; filename=\"");
          APPEND (parts[i].filename);
          APPEND ("\"");
        }
      APPEND ("\r\n");
      if (parts[i].content_type != NULL)
        {
          APPEND ("Content-Type: ");
          APPEND (parts[i].content_type);
          APPEND ("\r\n");
        }
      APPEND ("\r\n");
      g_byte_array_append (b, data, len);
    }

  APPEND ("\r\n--" BOUNDARY "--\r\nThe epilogue is ignored too.\r\n--" BOUNDARY "\r\n"
          "Content-Disposition: form-data; name=\"ghost\"\r\n\r\nboo\r\n");
#undef APPEND

  return g_byte_array_free_to_bytes (b);
}

static void
assert_parts_match (Collector          *c,
                    const ExpectedPart *expected,
                    guint               n)
{
  g_assert_cmpuint (c->parts->len, ==, n);
  g_assert_null (c->current);

  for (guint i = 0; i < n; i++)
    {
      Part *part = g_ptr_array_index (c->parts, i);
      gsize len;
      const guint8 *data = g_bytes_get_data (expected[i].data, &len);

      g_assert_cmpstr (part->field, ==, expected[i].field);
      g_assert_cmpstr (part->filename, ==, expected[i].filename);
      g_assert_cmpstr (part->content_type, ==, expected[i].content_type);
      g_assert_true (part->ended);
      g_assert_cmpmem (part->data->data, part->data->len, data, len);
    }
}

static void
assert_collectors_equal (Collector *a,
                         Collector *b)
{
  g_assert_cmpuint (a->parts->len, ==, b->parts->len);

  for (guint i = 0; i < a->parts->len; i++)
    {
      Part *pa = g_ptr_array_index (a->parts, i);
      Part *pb = g_ptr_array_index (b->parts, i);

      g_assert_cmpstr (pa->headers_text, ==, pb->headers_text);
      g_assert_cmpstr (pa->field, ==, pb->field);
      g_assert_cmpstr (pa->filename, ==, pb->filename);
      g_assert_cmpint (pa->ended, ==, pb->ended);
      g_assert_cmpmem (pa->data->data, pa->data->len, pb->data->data, pb->data->len);
    }
}

/* Feeds @body in pieces whose sizes come from @sizes (cycled; 0 = the rest), then finishes. */
static gboolean
parse_pieces (GBytes      *body,
              const char  *boundary,
              const gsize *sizes,
              guint        n_sizes,
              Collector   *c,
              GError     **error)
{
  g_autoptr(LadleMultipartParser) parser = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (body, &len);
  gsize offset = 0;

  parser = ladle_multipart_parser_new (boundary, &callbacks, c, error);
  g_assert_nonnull (parser);

  for (guint i = 0; offset < len; i++)
    {
      gsize size = n_sizes > 0 ? sizes[i % n_sizes] : 0;

      if (size == 0 || size > len - offset)
        size = len - offset;

      if (!ladle_multipart_parser_feed (parser, data + offset, size, error))
        return FALSE;
      offset += size;
    }

  return ladle_multipart_parser_finish (parser, error);
}

/* ------------------------------------------------------------------------------------------- */

typedef struct
{
  ExpectedPart  expected[N_SAMPLE_PARTS];
  GBytes       *body;
  Collector     reference;
} SampleFixture;

static void
sample_setup (SampleFixture *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  make_sample_parts (f->expected);
  f->body = make_sample_body (f->expected, N_SAMPLE_PARTS);

  collector_init (&f->reference);
  g_assert_true (parse_pieces (f->body, BOUNDARY, NULL, 0, &f->reference, &error));
  g_assert_no_error (error);
}

static void
sample_teardown (SampleFixture *f,
                 gconstpointer  data)
{
  collector_clear (&f->reference);
  g_clear_pointer (&f->body, g_bytes_unref);
  expected_parts_clear (f->expected, N_SAMPLE_PARTS);
}

static void
test_whole (SampleFixture *f,
            gconstpointer  data)
{
  assert_parts_match (&f->reference, f->expected, N_SAMPLE_PARTS);

  /* The binary part really does hold the traps this test is about. */
  {
    gsize len;
    const char *bin = g_bytes_get_data (f->expected[2].data, &len);

    g_assert_nonnull (memmem (bin, len, "\r\n--" ALMOST_BOUNDARY "X",
                              5 + strlen (ALMOST_BOUNDARY)));
    g_assert_nonnull (memmem (bin, len, "--" BOUNDARY, 2 + strlen (BOUNDARY)));
    g_assert_null (memmem (bin, len, "\r\n--" BOUNDARY, 4 + strlen (BOUNDARY)));
  }
}

static void
test_every_split (SampleFixture *f,
                  gconstpointer  data)
{
  gsize len = g_bytes_get_size (f->body);

  for (gsize split = 0; split <= len; split++)
    {
      g_autoptr(GError) error = NULL;
      gsize sizes[] = { split, 0 };
      Collector c;

      collector_init (&c);
      /* A size of 0 means "the rest", so split 0 is the whole body in one piece. */
      g_assert_true (parse_pieces (f->body, BOUNDARY, sizes, split == 0 ? 1 : 2, &c, &error));
      g_assert_no_error (error);
      assert_collectors_equal (&c, &f->reference);
      collector_clear (&c);
    }
}

static void
test_byte_at_a_time (SampleFixture *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gsize one = 1;
  Collector c;

  collector_init (&c);
  g_assert_true (parse_pieces (f->body, BOUNDARY, &one, 1, &c, &error));
  g_assert_no_error (error);
  assert_collectors_equal (&c, &f->reference);
  assert_parts_match (&c, f->expected, N_SAMPLE_PARTS);
  collector_clear (&c);
}

static void
test_random_chunks (SampleFixture *f,
                    gconstpointer  data)
{
  for (guint round = 0; round < 200; round++)
    {
      g_autoptr(GError) error = NULL;
      gsize sizes[64];
      gint32 max = round % 2 == 0 ? 8 : 300;
      Collector c;

      for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
        sizes[i] = g_test_rand_int_range (1, max + 1);

      collector_init (&c);
      g_assert_true (parse_pieces (f->body, BOUNDARY, sizes, G_N_ELEMENTS (sizes), &c, &error));
      g_assert_no_error (error);
      assert_collectors_equal (&c, &f->reference);
      collector_clear (&c);
    }
}

/* Every cut before the end of "--boundary--" is an incomplete body; finish() must say so. */
static void
test_truncated (SampleFixture *f,
                gconstpointer  data)
{
  gsize len;
  const char *body = g_bytes_get_data (f->body, &len);
  const char *close = memmem (body, len, "\r\n--" BOUNDARY "--", 6 + strlen (BOUNDARY));
  gsize complete_at = (close - body) + 6 + strlen (BOUNDARY);

  for (gsize cut = 0; cut <= complete_at; cut++)
    {
      g_autoptr(LadleMultipartParser) parser = NULL;
      g_autoptr(GError) error = NULL;
      Collector c;

      collector_init (&c);
      parser = ladle_multipart_parser_new (BOUNDARY, &callbacks, &c, &error);
      g_assert_true (ladle_multipart_parser_feed (parser, (const guint8 *) body, cut, &error));
      g_assert_no_error (error);

      if (cut < complete_at)
        {
          g_assert_false (ladle_multipart_parser_is_complete (parser));
          g_assert_false (ladle_multipart_parser_finish (parser, &error));
          g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
        }
      else
        {
          g_assert_true (ladle_multipart_parser_is_complete (parser));
          g_assert_true (ladle_multipart_parser_finish (parser, &error));
          g_assert_no_error (error);
        }
      collector_clear (&c);
    }
}

/* libsoup parses the same body to the same parts. */
static void
test_libsoup_reads_sample (SampleFixture *f,
                           gconstpointer  data)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autoptr(SoupMultipart) multipart = NULL;

  soup_message_headers_replace (headers, "Content-Type",
                                "multipart/form-data; boundary=\"" BOUNDARY "\"");
  multipart = soup_multipart_new_from_message (headers, f->body);
  g_assert_nonnull (multipart);
  g_assert_cmpint (soup_multipart_get_length (multipart), ==, N_SAMPLE_PARTS);

  for (guint i = 0; i < N_SAMPLE_PARTS; i++)
    {
      SoupMessageHeaders *part_headers;
      GBytes *part_body;
      Part *ours = g_ptr_array_index (f->reference.parts, i);

      g_assert_true (soup_multipart_get_part (multipart, i, &part_headers, &part_body));
      g_assert_cmpmem (ours->data->data, ours->data->len,
                       g_bytes_get_data (part_body, NULL), g_bytes_get_size (part_body));
    }
}

/* ------------------------------------------------------------------------------------------- */

static void
test_libsoup_multipart (void)
{
  g_autoptr(SoupMultipart) multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) binary = make_binary_content ();
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) text = g_bytes_new_static ("plain\n", 6);
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GError) error = NULL;
  const char *boundary;
  gsize sizes[] = { 7, 1, 3, 100 };
  Collector c;

  soup_multipart_append_form_string (multipart, "greeting", "hello");
  soup_multipart_append_form_file (multipart, "binary", "data.bin", "application/octet-stream",
                                   binary);
  soup_multipart_append_form_file (multipart, "empty", "empty.txt", "text/plain", empty);
  soup_multipart_append_form_file (multipart, "report", CYRILLIC_NAME, "text/plain", text);
  soup_multipart_to_message (multipart, headers, &body);

  g_assert_cmpstr (soup_message_headers_get_content_type (headers, &params), ==,
                   "multipart/form-data");
  boundary = g_hash_table_lookup (params, "boundary");
  g_assert_nonnull (boundary);

  collector_init (&c);
  g_assert_true (parse_pieces (body, boundary, sizes, G_N_ELEMENTS (sizes), &c, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (c.parts->len, ==, soup_multipart_get_length (multipart));

  for (guint i = 0; i < c.parts->len; i++)
    {
      Part *part = g_ptr_array_index (c.parts, i);
      SoupMessageHeaders *part_headers;
      GBytes *part_body;
      g_autofree char *field = NULL;
      g_autofree char *filename = NULL;

      g_assert_true (soup_multipart_get_part (multipart, i, &part_headers, &part_body));
      ladle_multipart_part_get_names (part_headers, &field, &filename);
      g_assert_cmpstr (part->field, ==, field);
      g_assert_cmpstr (part->filename, ==, filename);
      g_assert_cmpstr (part->content_type, ==,
                       soup_message_headers_get_content_type (part_headers, NULL));
      g_assert_cmpmem (part->data->data, part->data->len,
                       g_bytes_get_data (part_body, NULL), g_bytes_get_size (part_body));
    }

  /* libsoup sends the Cyrillic name as filename*=UTF-8''… */
  g_assert_cmpstr (((Part *) g_ptr_array_index (c.parts, 3))->filename, ==, CYRILLIC_NAME);
  g_assert_cmpstr (((Part *) g_ptr_array_index (c.parts, 0))->field, ==, "greeting");
  g_assert_null (((Part *) g_ptr_array_index (c.parts, 0))->filename);
  collector_clear (&c);
}

static gboolean
parse_string (const char  *body,
              Collector   *c,
              GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  return parse_pieces (bytes, "b", NULL, 0, c, error);
}

static void
test_no_boundary (void)
{
  g_autoptr(GError) error = NULL;
  Collector c;

  collector_init (&c);
  g_assert_false (parse_string ("name=value&other=1\r\nno boundary here\r\n", &c, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "--b"));
  g_assert_cmpuint (c.parts->len, ==, 0);
  collector_clear (&c);
}

static void
test_long_garbage (void)
{
  g_autoptr(LadleMultipartParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *junk = g_malloc (1024);
  gboolean ok = TRUE;
  guint i;
  Collector c;

  memset (junk, 'j', 1024);
  collector_init (&c);
  parser = ladle_multipart_parser_new ("b", &callbacks, &c, &error);

  /* Refused while reading, long before the body ends */
  for (i = 0; i < 1024 && ok; i++)
    ok = ladle_multipart_parser_feed (parser, junk, 1024, &error);
  g_assert_false (ok);
  g_assert_cmpuint (i, <=, 65);
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  g_clear_error (&error);

  /* A failed parser stays failed. */
  g_assert_false (ladle_multipart_parser_feed (parser, (const guint8 *) "\r\n--b--", 7, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_false (ladle_multipart_parser_finish (parser, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  collector_clear (&c);
}

static void
test_missing_close (void)
{
  g_autoptr(GError) error = NULL;
  Collector c;

  collector_init (&c);
  g_assert_false (parse_string ("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"
                                "value\r\n--b\r\n", &c, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, "The multipart body ended before its closing boundary");
  g_assert_cmpuint (c.parts->len, ==, 1);
  collector_clear (&c);
}

static void
test_large_headers (void)
{
  for (guint size = 16 * 1024 - 64; size <= 16 * 1024 + 64; size += 128)
    {
      g_autoptr(GString) body = g_string_new ("--b\r\nX-Big: ");
      g_autoptr(GError) error = NULL;
      gboolean ok;
      gsize sizes[] = { 1000, 1, 5000 };
      g_autoptr(GBytes) bytes = NULL;
      Collector c;

      /* header bytes = "X-Big: " + value + CRLF */
      for (gsize i = strlen ("X-Big: ") + 2; i < size; i++)
        g_string_append_c (body, 'v');
      g_string_append (body, "\r\n\r\ndata\r\n--b--\r\n");
      bytes = g_bytes_new (body->str, body->len);

      collector_init (&c);
      ok = parse_pieces (bytes, "b", sizes, G_N_ELEMENTS (sizes), &c, &error);
      if (size <= 16 * 1024)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpuint (c.parts->len, ==, 1);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
          g_assert_nonnull (strstr (error->message, "Part headers are too large"));
          g_assert_cmpuint (c.parts->len, ==, 0);
        }
      collector_clear (&c);
    }
}

static void
test_delimiter_lines (void)
{
  struct {
    const char *body;
    gboolean    ok;
    guint       n_parts;
  } cases[] = {
    /* transport padding after the boundary */
    { "--b \t \r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b\t\r\n\r\n2\r\n--b--",
      TRUE, 2 },
    /* a part without headers */
    { "--b\r\n\r\nno headers\r\n--b--\r\n", TRUE, 1 },
    /* no parts at all */
    { "--b--", TRUE, 0 },
    /* the boundary followed by something else */
    { "--b\r\n\r\nx\r\n--bc\r\n\r\ny\r\n--b--", FALSE, 1 },
    { "--b\r\n\r\nx\r\n--b-\r\n", FALSE, 1 },
    { "--b\r\n\r\nx\r\n--b \r\r\n", FALSE, 1 },
    { "--bX\r\n", FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      Collector c;

      collector_init (&c);
      g_assert_cmpint (parse_string (cases[i].body, &c, &error), ==, cases[i].ok);
      if (cases[i].ok)
        g_assert_no_error (error);
      else
        g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
      g_assert_cmpuint (c.parts->len, ==, cases[i].n_parts);
      collector_clear (&c);
    }
}

static void
test_invalid_boundary (void)
{
  const char *invalid[] = { "", "a\r\nb", "tab\there", "trailing ", SEVENTY "X" };
  const char *valid[] = { "b", "----WebKitFormBoundary7MA4YWxkTrZu0gW", "with space", SEVENTY };
  Collector c;

  collector_init (&c);

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      LadleMultipartParser *parser = ladle_multipart_parser_new (invalid[i], &callbacks, &c,
                                                                 &error);

      g_assert_null (parser);
      g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
    }

  {
    g_autoptr(GError) error = NULL;

    g_assert_null (ladle_multipart_parser_new (NULL, &callbacks, &c, &error));
    g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  }

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GString) body = g_string_new (NULL);
      g_autoptr(GBytes) bytes = NULL;

      g_string_printf (body, "--%s\r\n\r\nvalue\r\n--%s--\r\n", valid[i], valid[i]);
      bytes = g_bytes_new (body->str, body->len);
      g_assert_true (parse_pieces (bytes, valid[i], NULL, 0, &c, &error));
      g_assert_no_error (error);
    }

  g_assert_cmpuint (c.parts->len, ==, G_N_ELEMENTS (valid));
  collector_clear (&c);
}

/* Body bytes go out straight from the caller's chunk, and at most a delimiter's worth waits. */
static void
test_streaming (void)
{
  g_autoptr(LadleMultipartParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *chunk = g_malloc (8192);
  const char *head = "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x\"\r\n\r\n";
  Part *part;
  Collector c;

  collector_init (&c);
  parser = ladle_multipart_parser_new ("b", &callbacks, &c, &error);
  g_assert_true (ladle_multipart_parser_feed (parser, (const guint8 *) head, strlen (head),
                                              &error));
  g_assert_cmpuint (c.parts->len, ==, 1);
  part = g_ptr_array_index (c.parts, 0);

  memset (chunk, 'x', 8192);
  c.chunk = chunk;
  c.chunk_len = 8192;
  g_assert_true (ladle_multipart_parser_feed (parser, chunk, 8192, &error));
  g_assert_cmpuint (part->data->len, ==, 8192);
  g_assert_cmpuint (c.bytes_from_chunk, ==, 8192);
  g_assert_cmpuint (c.n_data_calls, ==, 1);

  /* Ends with a possible delimiter start: only those 4 bytes wait. */
  memcpy (chunk + 8188, "\r\n--", 4);
  c.bytes_from_chunk = 0;
  g_assert_true (ladle_multipart_parser_feed (parser, chunk, 8192, &error));
  g_assert_cmpuint (part->data->len, ==, 8192 + 8188);
  g_assert_cmpuint (c.bytes_from_chunk, ==, 8188);

  /* Not a delimiter after all: the held bytes come out, the rest from the new chunk. */
  memset (chunk, 'y', 8192);
  c.bytes_from_chunk = 0;
  g_assert_true (ladle_multipart_parser_feed (parser, chunk, 8192, &error));
  g_assert_cmpuint (part->data->len, ==, 2 * 8192 + 8192);
  g_assert_cmpuint (c.bytes_from_chunk, >=, 8192 - 4);
  g_assert_cmpmem (part->data->data + 8192 + 8188, 5, "\r\n--y", 5);
  c.chunk = NULL;

  g_assert_true (ladle_multipart_parser_feed (parser, (const guint8 *) "\r\n--b--", 7, &error));
  g_assert_true (part->ended);
  g_assert_true (ladle_multipart_parser_is_complete (parser));

  /* The epilogue is ignored, however it looks. */
  g_assert_true (ladle_multipart_parser_feed (parser, (const guint8 *) "\r\n--b\r\n\r\nz", 10,
                                              &error));
  g_assert_true (ladle_multipart_parser_finish (parser, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (c.parts->len, ==, 1);
  g_assert_cmpuint (part->data->len, ==, 3 * 8192);
  collector_clear (&c);
}

static void
test_callback_abort (void)
{
  g_autoptr(LadleMultipartParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  const char *body = "--b\r\n\r\none\r\n--b\r\n\r\ntwo\r\n--b--";
  Collector c;

  collector_init (&c);
  c.fail_on_begin = 1;
  parser = ladle_multipart_parser_new ("b", &callbacks, &c, &error);
  g_assert_false (ladle_multipart_parser_feed (parser, (const guint8 *) body, strlen (body),
                                               &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_cmpuint (c.parts->len, ==, 1);
  g_clear_error (&error);

  g_assert_false (ladle_multipart_parser_feed (parser, (const guint8 *) "x", 1, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_false (ladle_multipart_parser_finish (parser, &error));
  collector_clear (&c);
}

static SoupMessageHeaders *
parse_part_headers (const char *text)
{
  SoupMessageHeaders *headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
  g_autofree char *full = g_strconcat ("\r\n", text, "\r\n", NULL);

  g_assert_true (soup_headers_parse (full, strlen (full), headers));
  return headers;
}

static void
test_names (void)
{
  struct {
    const char *header;
    const char *field;
    const char *filename;
  } cases[] = {
    { "Content-Disposition: form-data; name=\"title\"", "title", NULL },
    { "Content-Disposition: form-data; name=\"f\"; filename=\"" CYRILLIC_NAME "\"",
      "f", CYRILLIC_NAME },
    { "Content-Disposition: form-data; name=\"f\"; filename*=UTF-8''"
      "%D0%BE%D1%82%D1%87%D1%91%D1%82%20%D0%B7%D0%B0%20%D0%BC%D0%B0%D0%B9.txt",
      "f", CYRILLIC_NAME },
    /* filename* wins over the ASCII fallback, whatever the order */
    { "Content-Disposition: form-data; name=\"f\"; filename*=UTF-8''%D0%BC%D0%B0%D0%B9.txt; "
      "filename=\"may.txt\"", "f", "май.txt" },
    { "Content-Disposition: form-data; name=\"f\"; filename=\"may.txt\"; "
      "filename*=utf-8''%D0%BC%D0%B0%D0%B9.txt", "f", "май.txt" },
    { "Content-Disposition: form-data; name=\"f\"; filename=\"\"", "f", "" },
    { "Content-Disposition: form-data; name=\"with \\\"quotes\\\"\"", "with \"quotes\"", NULL },
    { "Content-Disposition: form-data; name=f; filename=plain.txt", "f", "plain.txt" },
    { "Content-Type: text/plain", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SoupMessageHeaders) headers = parse_part_headers (cases[i].header);
      g_autofree char *field = NULL;
      g_autofree char *filename = NULL;

      ladle_multipart_part_get_names (headers, &field, &filename);
      g_assert_cmpstr (field, ==, cases[i].field);
      g_assert_cmpstr (filename, ==, cases[i].filename);
    }

  /* Both outputs are optional. */
  {
    g_autoptr(SoupMessageHeaders) headers = parse_part_headers (cases[1].header);
    g_autofree char *filename = NULL;

    ladle_multipart_part_get_names (headers, NULL, &filename);
    g_assert_cmpstr (filename, ==, CYRILLIC_NAME);
    ladle_multipart_part_get_names (headers, NULL, NULL);
  }
}

/* An encoded name through the whole parser, and a part with CR/LF-only bodies */
static void
test_encoded_filename_body (void)
{
  g_autoptr(GError) error = NULL;
  Part *part;
  Collector c;

  collector_init (&c);
  g_assert_true (parse_string ("preamble\r\n--b\r\nContent-Disposition: form-data; name=\"up\"; "
                               "filename*=UTF-8''%D0%BE%D1%82%D1%87%D1%91%D1%82%20%D0%B7%D0%B0"
                               "%20%D0%BC%D0%B0%D0%B9.txt\r\n\r\n\r\n\r\n\r\n--b--", &c, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (c.parts->len, ==, 1);
  part = g_ptr_array_index (c.parts, 0);
  g_assert_cmpstr (part->field, ==, "up");
  g_assert_cmpstr (part->filename, ==, CYRILLIC_NAME);
  g_assert_cmpmem (part->data->data, part->data->len, "\r\n\r\n", 4);
  collector_clear (&c);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  g_test_add ("/ladle/multipart-parser/whole", SampleFixture, NULL,
              sample_setup, test_whole, sample_teardown);
  g_test_add ("/ladle/multipart-parser/every-split", SampleFixture, NULL,
              sample_setup, test_every_split, sample_teardown);
  g_test_add ("/ladle/multipart-parser/byte-at-a-time", SampleFixture, NULL,
              sample_setup, test_byte_at_a_time, sample_teardown);
  g_test_add ("/ladle/multipart-parser/random-chunks", SampleFixture, NULL,
              sample_setup, test_random_chunks, sample_teardown);
  g_test_add ("/ladle/multipart-parser/truncated", SampleFixture, NULL,
              sample_setup, test_truncated, sample_teardown);
  g_test_add ("/ladle/multipart-parser/libsoup-reads-sample", SampleFixture, NULL,
              sample_setup, test_libsoup_reads_sample, sample_teardown);
  g_test_add_func ("/ladle/multipart-parser/libsoup-multipart", test_libsoup_multipart);
  g_test_add_func ("/ladle/multipart-parser/no-boundary", test_no_boundary);
  g_test_add_func ("/ladle/multipart-parser/long-garbage", test_long_garbage);
  g_test_add_func ("/ladle/multipart-parser/missing-close", test_missing_close);
  g_test_add_func ("/ladle/multipart-parser/large-headers", test_large_headers);
  g_test_add_func ("/ladle/multipart-parser/delimiter-lines", test_delimiter_lines);
  g_test_add_func ("/ladle/multipart-parser/invalid-boundary", test_invalid_boundary);
  g_test_add_func ("/ladle/multipart-parser/streaming", test_streaming);
  g_test_add_func ("/ladle/multipart-parser/callback-abort", test_callback_abort);
  g_test_add_func ("/ladle/multipart-parser/names", test_names);
  g_test_add_func ("/ladle/multipart-parser/encoded-filename", test_encoded_filename_body);

  return ladle_test_run ();
}
