/* test-http-file.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The `.http` parser (ladle-http-file).
 *
 * The corpus in tests/data/http/ holds `.http` and `.rest` files written the way JetBrains' HTTP
 * Client and httpyac document them: one construct or theme a file (short form, methods, HTTP
 * versions, query continuation lines, headers, JSON/text/form/multipart bodies, `< file` and `<@`
 * bodies with their files in files/, variables, environments, dynamic variables, names and
 * directives, chaining, `??` assertions, JavaScript blocks, comments, a CRLF file, Cyrillic text).
 * Every URL in it is a loopback address ({{host}} is http://127.0.0.1:PORT in
 * http-client.env.json). test_corpus_round_trip() reads every file there; the other tests check
 * exact positions on small texts of their own. */

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "ladle-error.h"
#include "ladle-http-file.h"

#include "ladle-test-utils.h"

static LadleHttpFile *
parse (const char *text)
{
  return ladle_http_file_parse ("test.http", text, -1);
}

static LadleHttpEntry *
entry_at (LadleHttpFile *file,
          guint          index)
{
  GPtrArray *entries = ladle_http_file_get_entries (file);

  g_assert_cmpuint (index, <, entries->len);
  return g_ptr_array_index (entries, index);
}

static const LadleHttpHeader *
header_at (LadleHttpEntry *entry,
           guint           index)
{
  g_assert_cmpuint (index, <, entry->headers->len);
  return g_ptr_array_index (entry->headers, index);
}

static const LadleHttpBodyPart *
part_at (LadleHttpEntry *entry,
         guint           index)
{
  g_assert_cmpuint (index, <, entry->body->len);
  return g_ptr_array_index (entry->body, index);
}

static void
assert_no_diagnostics (LadleHttpFile *file)
{
  g_autoptr(GError) error = NULL;

  ladle_http_file_check (file, &error);
  g_assert_no_error (error);
}

/* "LINE:COL: message" of diagnostic @index */
static void
assert_diagnostic (LadleHttpFile *file,
                   guint          index,
                   guint          line,
                   guint          column,
                   const char    *part_of_message)
{
  GPtrArray *diagnostics = ladle_http_file_get_diagnostics (file);
  const LadleHttpDiagnostic *diagnostic;

  g_assert_cmpuint (index, <, diagnostics->len);
  diagnostic = g_ptr_array_index (diagnostics, index);
  g_assert_cmpuint (diagnostic->line, ==, line);
  g_assert_cmpuint (diagnostic->column, ==, column);
  if (strstr (diagnostic->message, part_of_message) == NULL)
    g_error ("diagnostic “%s” does not contain “%s”", diagnostic->message, part_of_message);
}

static void
test_simple (void)
{
  g_autoptr(LadleHttpFile) file = parse ("GET http://127.0.0.1:8080/items HTTP/1.1\n"
                                         "Accept: application/json\n"
                                         "X-Empty:\n"
                                         "\n"
                                         "{\"a\": 1}\n"
                                         "\n");
  LadleHttpEntry *entry;

  assert_no_diagnostics (file);
  g_assert_cmpuint (ladle_http_file_get_entries (file)->len, ==, 1);
  entry = entry_at (file, 0);
  g_assert_cmpstr (entry->method, ==, "GET");
  g_assert_cmpstr (entry->url, ==, "http://127.0.0.1:8080/items");
  g_assert_cmpstr (entry->http_version, ==, "HTTP/1.1");
  g_assert_cmpuint (entry->request_line, ==, 1);
  g_assert_cmpuint (entry->url_column, ==, 5);
  g_assert_cmpuint (entry->start, ==, 0);
  g_assert_cmpuint (entry->end, ==, strlen ("GET http://127.0.0.1:8080/items HTTP/1.1\n"
                                            "Accept: application/json\nX-Empty:\n\n"
                                            "{\"a\": 1}\n\n"));
  g_assert_cmpuint (entry->headers->len, ==, 2);
  g_assert_cmpstr (header_at (entry, 0)->name, ==, "Accept");
  g_assert_cmpstr (header_at (entry, 0)->value, ==, "application/json");
  g_assert_cmpuint (header_at (entry, 0)->line, ==, 2);
  g_assert_cmpuint (header_at (entry, 0)->value_column, ==, 9);
  g_assert_cmpstr (header_at (entry, 1)->value, ==, "");
  g_assert_cmpuint (entry->body->len, ==, 1);
  g_assert_cmpint (part_at (entry, 0)->kind, ==, LADLE_HTTP_PART_TEXT);
  g_assert_cmpstr (part_at (entry, 0)->text, ==, "{\"a\": 1}");
  g_assert_cmpuint (part_at (entry, 0)->line, ==, 5);
  g_assert_null (entry->name);
}

/* Cyrillic before the problem: columns count characters. */
static void
test_diagnostic_columns (void)
{
  g_autoptr(LadleHttpFile) file = parse ("### Привет\n"
                                         "GET http://127.0.0.1/\n"
                                         "X-Ok: да\n"
                                         "Заголовок без двоеточия\n");
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (ladle_http_file_get_diagnostics (file)->len, ==, 1);
  assert_diagnostic (file, 0, 4, 1, "expected a header");
  g_assert_false (ladle_http_file_check (file, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, "test.http:4:1: "));
  g_assert_cmpuint (header_at (entry_at (file, 0), 0)->value_column, ==, 7);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  g_test_add_func ("/http-file/simple", test_simple);
  g_test_add_func ("/http-file/diagnostic-columns", test_diagnostic_columns);

  return ladle_test_run ();
}
