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
#include <unistd.h>

#include <glib/gstdio.h>

#include "ladle-error.h"
#include "ladle-http-file.h"
#include "ladle-key-value.h"
#include "ladle-request.h"

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

/* format(entry) parsed again is one entry that formats the same (a fixed point). */
static void
assert_format_fixed_point (const LadleHttpEntry *entry,
                           const char           *newline)
{
  g_autofree char *first = ladle_http_entry_format (entry, newline);
  g_autoptr(LadleHttpFile) again = ladle_http_file_parse (NULL, first, -1);
  g_autofree char *second = NULL;

  if (ladle_http_file_get_entries (again)->len != 1)
    g_error ("formatted entry reads as %u entries:\n%s", ladle_http_file_get_entries (again)->len, first);
  second = ladle_http_entry_format (entry_at (again, 0), newline);
  g_assert_cmpstr (second, ==, first);
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


static const LadleHttpScript *
script_at (LadleHttpEntry *entry,
           guint           index)
{
  g_assert_cmpuint (index, <, entry->scripts->len);
  return g_ptr_array_index (entry->scripts, index);
}

static const LadleHttpAssertLine *
assertion_at (LadleHttpEntry *entry,
              guint           index)
{
  g_assert_cmpuint (index, <, entry->assertions->len);
  return g_ptr_array_index (entry->assertions, index);
}

static guint
n_entries (LadleHttpFile *file)
{
  return ladle_http_file_get_entries (file)->len;
}

static guint
n_diagnostics (LadleHttpFile *file)
{
  return ladle_http_file_get_diagnostics (file)->len;
}

static char *
file_text (LadleHttpFile *file)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (ladle_http_file_get_text (file), &length);

  return g_strndup (data != NULL ? data : "", length);
}

static void
test_short_form_and_methods (void)
{
  g_autoptr(LadleHttpFile) file = parse ("http://127.0.0.1:8080/a\n"
                                         "###\n"
                                         "  PROPFIND http://127.0.0.1/dav  \n"
                                         "###\n"
                                         "VERSION-CONTROL http://127.0.0.1/v\n"
                                         "###\n"
                                         "get http://127.0.0.1/lower\n"
                                         "###\n"
                                         "{{host}}/b HTTP/2\n");

  assert_no_diagnostics (file);
  g_assert_cmpuint (n_entries (file), ==, 5);
  g_assert_cmpstr (entry_at (file, 0)->method, ==, "GET");
  g_assert_cmpstr (entry_at (file, 0)->url, ==, "http://127.0.0.1:8080/a");
  g_assert_cmpuint (entry_at (file, 0)->url_column, ==, 1);
  g_assert_null (entry_at (file, 0)->http_version);
  g_assert_cmpstr (entry_at (file, 1)->method, ==, "PROPFIND");
  g_assert_cmpstr (entry_at (file, 1)->url, ==, "http://127.0.0.1/dav");
  g_assert_cmpuint (entry_at (file, 1)->url_column, ==, 12);
  g_assert_cmpstr (entry_at (file, 2)->method, ==, "VERSION-CONTROL");
  /* A method is all capitals; anything else is the short form's URL. */
  g_assert_cmpstr (entry_at (file, 3)->method, ==, "GET");
  g_assert_cmpstr (entry_at (file, 3)->url, ==, "get http://127.0.0.1/lower");
  g_assert_cmpstr (entry_at (file, 4)->url, ==, "{{host}}/b");
  g_assert_cmpstr (entry_at (file, 4)->http_version, ==, "HTTP/2");
}

static void
test_method_without_url (void)
{
  g_autoptr(LadleHttpFile) file = parse ("### Привет\nDELETE\n");

  g_assert_cmpuint (n_entries (file), ==, 1);
  g_assert_cmpstr (entry_at (file, 0)->method, ==, "DELETE");
  g_assert_cmpstr (entry_at (file, 0)->url, ==, "");
  assert_diagnostic (file, 0, 2, 7, "expected a URL after the method “DELETE”");
}

/* Problems are listed in the order of the text, whichever step found them. */
static void
test_diagnostic_order (void)
{
  g_autoptr(LadleHttpFile) file = parse ("GET\nX\xFF: x\n");
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (n_diagnostics (file), ==, 3);
  assert_diagnostic (file, 0, 1, 4, "expected a URL");
  assert_diagnostic (file, 1, 2, 1, "“X\xEF\xBF\xBD” is not a valid header name");
  assert_diagnostic (file, 2, 2, 2, "not UTF-8");
  g_assert_false (ladle_http_file_check (file, &error));
  g_assert_cmpstr (error->message, ==, "test.http:1:4: expected a URL after the method “GET”");
}

static void
test_http_versions (void)
{
  const struct { const char *line; const char *url; const char *version; } cases[] = {
    { "GET http://127.0.0.1/ HTTP/1.1", "http://127.0.0.1/", "HTTP/1.1" },
    { "GET http://127.0.0.1/ HTTP/1.0", "http://127.0.0.1/", "HTTP/1.0" },
    { "GET http://127.0.0.1/   HTTP/2  ", "http://127.0.0.1/", "HTTP/2" },
    { "GET http://127.0.0.1/ HTTP/2.0", "http://127.0.0.1/", "HTTP/2.0" },
    { "GET http://127.0.0.1/HTTP/1.1", "http://127.0.0.1/HTTP/1.1", NULL },
    { "GET http://127.0.0.1/ HTTP/", "http://127.0.0.1/ HTTP/", NULL },
    { "GET HTTP/1.1", "HTTP/1.1", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LadleHttpFile) file = parse (cases[i].line);

      g_assert_cmpuint (n_entries (file), ==, 1);
      g_assert_cmpstr (entry_at (file, 0)->url, ==, cases[i].url);
      g_assert_cmpstr (entry_at (file, 0)->http_version, ==, cases[i].version);
    }
}

static void
test_query_continuation (void)
{
  g_autoptr(LadleHttpFile) file = parse ("GET http://127.0.0.1:8080/get\n"
                                         "    ?page=2\n"
                                         "\t&sort=name HTTP/1.1\n"
                                         "Accept: */*\n"
                                         "  &late=1\n"
                                         "\n"
                                         "###\n"
                                         "GET http://127.0.0.1:8080\n"
                                         "    /api\n"
                                         "    /html\n"
                                         "    ?firstname=John&\n"
                                         "    lastname=Doe\n"
                                         "  X-Indented: header\n"
                                         "  not: a URL any more\n");
  LadleHttpEntry *entry = entry_at (file, 0);

  g_assert_cmpuint (n_entries (file), ==, 2);
  g_assert_cmpstr (entry->url, ==, "http://127.0.0.1:8080/get?page=2&sort=name&late=1");
  g_assert_cmpstr (entry->http_version, ==, "HTTP/1.1");
  g_assert_cmpuint (entry->headers->len, ==, 1);
  entry = entry_at (file, 1);
  g_assert_cmpstr (entry->url, ==, "http://127.0.0.1:8080/api/html?firstname=John&lastname=Doe");
  g_assert_cmpuint (entry->headers->len, ==, 2);
  g_assert_cmpstr (header_at (entry, 0)->name, ==, "X-Indented");
  g_assert_cmpstr (header_at (entry, 1)->name, ==, "not");
  g_assert_cmpstr (header_at (entry, 1)->value, ==, "a URL any more");
  assert_no_diagnostics (file);
}

static void
test_headers (void)
{
  g_autoptr(LadleHttpFile) file = parse ("GET http://127.0.0.1/\n"
                                         "Accept:application/json  \n"
                                         "# a comment\n"
                                         "// another\n"
                                         "X-Dup: 1\n"
                                         "x-dup :  2\n"
                                         "Bad Name: x\n"
                                         "\n"
                                         "body\n");
  LadleHttpEntry *entry = entry_at (file, 0);

  g_assert_cmpuint (entry->headers->len, ==, 3);
  g_assert_cmpstr (header_at (entry, 0)->value, ==, "application/json");
  g_assert_cmpuint (header_at (entry, 0)->value_column, ==, 8);
  g_assert_cmpstr (header_at (entry, 1)->name, ==, "X-Dup");
  g_assert_cmpstr (header_at (entry, 2)->name, ==, "x-dup");
  g_assert_cmpstr (header_at (entry, 2)->value, ==, "2");
  g_assert_cmpuint (header_at (entry, 2)->line, ==, 6);
  g_assert_cmpuint (header_at (entry, 2)->value_column, ==, 10);
  /* Not a header: read as the body, with a diagnostic; nothing is lost. */
  assert_diagnostic (file, 0, 7, 1, "expected a header “Name: value” or a blank line");
  g_assert_cmpuint (n_diagnostics (file), ==, 1);
  g_assert_cmpuint (entry->body->len, ==, 1);
  g_assert_cmpstr (part_at (entry, 0)->text, ==, "Bad Name: x\n\nbody");
  g_assert_cmpuint (part_at (entry, 0)->line, ==, 7);
}

static void
test_bad_header_name (void)
{
  g_autoptr(LadleHttpFile) file = parse ("GET http://127.0.0.1/\n"
                                         "  X-Заметка: да\n"
                                         "X(1): 2\n"
                                         "X-Ok: 3\n"
                                         "{\"a\": 1}\n");
  LadleHttpEntry *entry = entry_at (file, 0);

  g_assert_cmpuint (n_diagnostics (file), ==, 3);
  assert_diagnostic (file, 0, 2, 3, "“X-Заметка” is not a valid header name");
  assert_diagnostic (file, 1, 3, 1, "“X(1)” is not a valid header name");
  /* A JSON body without its blank line */
  assert_diagnostic (file, 2, 5, 1, "expected a header");
  g_assert_cmpuint (entry->headers->len, ==, 1);
  g_assert_cmpstr (header_at (entry, 0)->name, ==, "X-Ok");
  g_assert_cmpstr (part_at (entry, 0)->text, ==, "{\"a\": 1}");
}

/* The bytes of each body: what httpyac 6 sends for the same lines. */
static void
test_body_bytes (void)
{
  const struct
  {
    const char *content_type;
    const char *body;
    const char *parts[6];       /* "T:text" or "F:path" or "E:path" */
  } cases[] = {
    { "application/json", "\n\n{\n  \"a\": 1\n}\n\n\n", { "T:{\n  \"a\": 1\n}" } },
    { "text/plain", "a\n\n  b  \n", { "T:a\n\n  b  " } },
    { "text/plain", "a\n< ./f.bin\nb\n", { "T:a\n", "F:./f.bin", "T:\nb" } },
    { "text/plain", "< ./f.bin\n", { "F:./f.bin" } },
    { "text/plain", "<  ./my file.bin  \n", { "F:./my file.bin" } },
    { "text/plain", "< ./a\n< ./b\n", { "F:./a", "T:\n", "F:./b" } },
    { "text/plain", "< ./a\n\n< ./b\n", { "F:./a", "T:\n\n", "F:./b" } },
    { "text/plain", "x\n <not-a-file\n<no-space\n<\n", { "T:x\n <not-a-file\n<no-space\n<" } },
    { "application/json", "<@ ./t.json\n", { "E:./t.json" } },
    { "application/json", "<@latin1 ./t.txt\n", { "E:./t.txt" } },
    { "application/x-ndjson", "{\"a\":1}\n{\"b\":2}\n\n", { "T:{\"a\":1}\n{\"b\":2}\n" } },
    { "application/x-ndjson", "{\"a\":1}\n< ./more\n", { "T:{\"a\":1}\n", "F:./more" } },
    { "application/x-www-form-urlencoded", "  a = 1 \n  & b=2&c =3\n\n",
      { "T:a=1&b=2&c=3" } },
    { "application/x-www-form-urlencoded", "a=1\nb=2\n", { "T:a=1b=2" } },
    /* Joined lines that would read as something else once written on one line */
    { "application/x-www-form-urlencoded", "##\n#a\n", { "T:###a" } },
    { "application/x-www-form-urlencoded", "?\n?x\n", { "T:??x" } },
    { "application/x-www-form-urlencoded", "<\n>x\n", { "T:<>x" } },
    { "application/x-www-form-urlencoded", " < x\n", { "T:< x" } },
    { "application/x-www-form-urlencoded", " <@a x\n", { "T:<@a x" } },
    { "application/x-www-form-urlencoded", "> me = x\n", { "T:> me=x" } },
    { "application/x-www-form-urlencoded", "> a =\n", { "T:> a=" } },
    { "application/x-www-form-urlencoded", ">\n> a = b\n", { "T:>> a=b" } },
    { "multipart/form-data; boundary=B",
      "--B\nContent-Disposition: form-data; name=\"a\"\n\n1\n--B\n"
      "Content-Disposition: form-data; name=\"f\"; filename=\"f\"\n\n< ./f\n--B--\n",
      { "T:--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--B\r\n"
        "Content-Disposition: form-data; name=\"f\"; filename=\"f\"\r\n\r\n",
        "F:./f", "T:\r\n--B--" } },
    { "MULTIPART/FORM-DATA ; boundary=B", "--B\n--B--\n", { "T:--B\r\n--B--" } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("POST http://127.0.0.1/\nContent-Type: %s\n\n%s",
                                               cases[i].content_type, cases[i].body);
      g_autoptr(LadleHttpFile) file = parse (text);
      LadleHttpEntry *entry = entry_at (file, 0);
      guint n = 0;

      g_test_message ("case %u: %s", i, cases[i].content_type);
      assert_no_diagnostics (file);
      while (n < G_N_ELEMENTS (cases[i].parts) && cases[i].parts[n] != NULL)
        n++;
      g_assert_cmpuint (entry->body->len, ==, n);
      for (guint k = 0; k < n; k++)
        {
          const LadleHttpBodyPart *part = part_at (entry, k);
          const char *want = cases[i].parts[k];

          g_assert_cmpint (part->kind, ==,
                           want[0] == 'T' ? LADLE_HTTP_PART_TEXT
                           : want[0] == 'F' ? LADLE_HTTP_PART_FILE : LADLE_HTTP_PART_FILE_EXPAND);
          g_assert_cmpstr (part->text, ==, want + 2);
        }
      assert_format_fixed_point (entry, "\n");
    }
}

static void
test_body_details (void)
{
  g_autoptr(LadleHttpFile) file = parse ("POST http://127.0.0.1/\r\n"
                                         "Content-Type: text/plain\r\n"
                                         "\r\n"
                                         "\r\n"
                                         "one\r\n"
                                         "<@latin1 ./l.txt\r\n"
                                         "two\r\n"
                                         "\r\n");
  LadleHttpEntry *entry = entry_at (file, 0);

  g_assert_cmpstr (ladle_http_file_get_newline (file), ==, "\r\n");
  g_assert_cmpuint (entry->body->len, ==, 3);
  /* CRLF in the file, "\n" on the wire (as httpyac on Linux) */
  g_assert_cmpstr (part_at (entry, 0)->text, ==, "one\n");
  g_assert_cmpuint (part_at (entry, 0)->line, ==, 5);
  g_assert_cmpstr (part_at (entry, 1)->encoding, ==, "latin1");
  g_assert_cmpuint (part_at (entry, 1)->line, ==, 6);
  g_assert_cmpstr (part_at (entry, 2)->text, ==, "\ntwo");
  g_assert_cmpuint (part_at (entry, 2)->line, ==, 7);
  g_assert_cmpstr (header_at (entry, 0)->value, ==, "text/plain");
}

static void
test_variables (void)
{
  g_autoptr(LadleHttpFile) file = parse ("@host = http://127.0.0.1:8080\n"
                                         "@empty =\n"
                                         "  @spaced   =   a b  \n"
                                         "# a comment\n"
                                         "### first\n"
                                         "@id := 42\n"
                                         "@token=abc=def\n"
                                         "@ = nameless\n"
                                         "@no-equals\n"
                                         "GET {{host}}/{{id}}\n"
                                         "###\n"
                                         "@later = {{host}}/x\n");
  GPtrArray *variables = ladle_http_file_get_variables (file);
  LadleHttpEntry *entry = entry_at (file, 0);
  const LadleHttpVariable *variable;

  g_assert_cmpuint (n_entries (file), ==, 1);
  g_assert_cmpuint (variables->len, ==, 4);
  variable = g_ptr_array_index (variables, 0);
  g_assert_cmpstr (variable->name, ==, "host");
  g_assert_cmpstr (variable->value, ==, "http://127.0.0.1:8080");
  g_assert_cmpuint (variable->line, ==, 1);
  variable = g_ptr_array_index (variables, 1);
  g_assert_cmpstr (variable->name, ==, "empty");
  g_assert_cmpstr (variable->value, ==, "");
  variable = g_ptr_array_index (variables, 2);
  g_assert_cmpstr (variable->name, ==, "spaced");
  g_assert_cmpstr (variable->value, ==, "a b");
  g_assert_cmpuint (variable->line, ==, 3);
  variable = g_ptr_array_index (variables, 3);
  g_assert_cmpstr (variable->name, ==, "later");
  g_assert_cmpuint (variable->line, ==, 12);

  g_assert_cmpuint (entry->variables->len, ==, 2);
  variable = g_ptr_array_index (entry->variables, 0);
  g_assert_cmpstr (variable->name, ==, "id");
  g_assert_cmpstr (variable->value, ==, "42");
  g_assert_cmpuint (variable->line, ==, 6);
  variable = g_ptr_array_index (entry->variables, 1);
  g_assert_cmpstr (variable->name, ==, "token");
  g_assert_cmpstr (variable->value, ==, "abc=def");

  g_assert_cmpuint (n_diagnostics (file), ==, 2);
  assert_diagnostic (file, 0, 8, 2, "a variable needs a name");
  assert_diagnostic (file, 1, 9, 1, "expected a variable “@name = value”");
}

static void
test_names_and_directives (void)
{
  g_autoptr(LadleHttpFile) file = parse ("### Log in\n"
                                         "# @name login\n"
                                         "# @no-redirect\n"
                                         "// @timeout 5\n"
                                         "#@connection-timeout   2.5  \n"
                                         "# @total-timeout=30\n"
                                         "# @ not a directive\n"
                                         "POST http://127.0.0.1/login\n"
                                         "\n"
                                         "###   Items  \n"
                                         "GET http://127.0.0.1/items\n"
                                         "###\n"
                                         "# @name=profile\n"
                                         "GET http://127.0.0.1/profile\n"
                                         "###\n"
                                         "# @name\n"
                                         "GET http://127.0.0.1/none\n");
  LadleHttpEntry *entry = entry_at (file, 0);
  const LadleHttpDirective *directive;

  assert_no_diagnostics (file);
  g_assert_cmpuint (n_entries (file), ==, 4);
  g_assert_cmpstr (entry->separator_name, ==, "Log in");
  g_assert_cmpstr (entry->name, ==, "login");
  g_assert_cmpuint (entry->directives->len, ==, 5);
  directive = g_ptr_array_index (entry->directives, 0);
  g_assert_cmpstr (directive->name, ==, "name");
  g_assert_cmpstr (directive->argument, ==, "login");
  g_assert_cmpuint (directive->line, ==, 2);
  directive = g_ptr_array_index (entry->directives, 1);
  g_assert_cmpstr (directive->name, ==, "no-redirect");
  g_assert_null (directive->argument);
  g_assert_true (ladle_http_entry_has_directive (entry, "no-redirect"));
  g_assert_cmpstr (ladle_http_entry_get_directive (entry, "no-redirect"), ==, "");
  g_assert_cmpstr (ladle_http_entry_get_directive (entry, "timeout"), ==, "5");
  g_assert_cmpstr (ladle_http_entry_get_directive (entry, "connection-timeout"), ==, "2.5");
  g_assert_cmpstr (ladle_http_entry_get_directive (entry, "total-timeout"), ==, "30");
  g_assert_false (ladle_http_entry_has_directive (entry, "no-cookie-jar"));

  g_assert_cmpstr (entry_at (file, 1)->separator_name, ==, "Items");
  g_assert_cmpstr (entry_at (file, 1)->name, ==, "Items");
  g_assert_cmpstr (entry_at (file, 2)->name, ==, "profile");
  g_assert_null (entry_at (file, 3)->name);

  g_assert_true (ladle_http_file_find_entry (file, "login") == entry);
  g_assert_true (ladle_http_file_find_entry (file, "Items") == entry_at (file, 1));
  g_assert_true (ladle_http_file_find_entry (file, "profile") == entry_at (file, 2));
  g_assert_null (ladle_http_file_find_entry (file, "Log in"));
  g_assert_null (ladle_http_file_find_entry (file, "nothing"));
}

static void
test_scripts (void)
{
  g_autoptr(LadleHttpFile) file = parse ("### scripts\n"
                                         "< {%\n"
                                         "  request.variables.set(\"a\", \"1\");\n"
                                         "%}\n"
                                         "< ./pre.js\n"
                                         "{{\n"
                                         "  exports.x = 1;\n"
                                         "}}\n"
                                         "GET http://127.0.0.1/\n"
                                         "> {% client.global.set(\"b\", \"2\"); %}\n"
                                         "\n"
                                         "> {%\n"
                                         "  client.test(\"ok\", () => {});\n"
                                         "  ?? not an assertion\n"
                                         "  %}\n"
                                         "> ./post.js\n"
                                         ">> ./out.json\n"
                                         ">>! ./out.json\n"
                                         "<> ./previous.json\n"
                                         "{{@response\n"
                                         "  console.info(response);\n"
                                         "}}\n"
                                         "?? status == 200\n");
  LadleHttpEntry *entry = entry_at (file, 0);
  const LadleHttpScriptKind kinds[] = {
    LADLE_HTTP_SCRIPT_PRE, LADLE_HTTP_SCRIPT_PRE, LADLE_HTTP_SCRIPT_INLINE,
    LADLE_HTTP_SCRIPT_POST, LADLE_HTTP_SCRIPT_POST, LADLE_HTTP_SCRIPT_POST,
    LADLE_HTTP_SCRIPT_OTHER, LADLE_HTTP_SCRIPT_OTHER, LADLE_HTTP_SCRIPT_OTHER,
    LADLE_HTTP_SCRIPT_INLINE,
  };
  const guint lines[] = { 2, 5, 6, 10, 12, 16, 17, 18, 19, 20 };

  assert_no_diagnostics (file);
  g_assert_cmpuint (entry->request_line, ==, 9);
  g_assert_cmpuint (entry->scripts->len, ==, G_N_ELEMENTS (kinds));
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_assert_cmpint (script_at (entry, i)->kind, ==, kinds[i]);
      g_assert_cmpuint (script_at (entry, i)->line, ==, lines[i]);
    }
  g_assert_cmpstr (script_at (entry, 0)->text, ==,
                   "< {%\n  request.variables.set(\"a\", \"1\");\n%}");
  g_assert_cmpstr (script_at (entry, 1)->text, ==, "< ./pre.js");
  g_assert_cmpstr (script_at (entry, 2)->text, ==, "{{\n  exports.x = 1;\n}}");
  g_assert_cmpstr (script_at (entry, 3)->text, ==, "> {% client.global.set(\"b\", \"2\"); %}");
  g_assert_cmpstr (script_at (entry, 4)->text, ==,
                   "> {%\n  client.test(\"ok\", () => {});\n  ?? not an assertion\n  %}");
  g_assert_cmpstr (script_at (entry, 7)->text, ==, ">>! ./out.json");
  g_assert_cmpstr (script_at (entry, 8)->text, ==, "<> ./previous.json");
  g_assert_cmpuint (entry->assertions->len, ==, 1);
  g_assert_cmpuint (assertion_at (entry, 0)->line, ==, 23);
  g_assert_cmpuint (entry->body->len, ==, 0);
}

static void
test_unterminated_blocks (void)
{
  g_autoptr(LadleHttpFile) file = parse ("### open pre-request script\n"
                                         "  < {%\n"
                                         "  request.variables.set(\"a\", \"1\");\n"
                                         "\n"
                                         "###\n"
                                         "GET http://127.0.0.1/a\n"
                                         "\n"
                                         "> {%\n"
                                         "client.test();\n"
                                         "?? status == 200\n"
                                         "\n"
                                         "\n"
                                         "### Ещё\n"
                                         "GET http://127.0.0.1/b\n"
                                         "{{\n"
                                         "x\n"
                                         "### after\n"
                                         "GET http://127.0.0.1/c\n");
  LadleHttpEntry *entry;

  g_assert_cmpuint (n_diagnostics (file), ==, 3);
  assert_diagnostic (file, 0, 2, 5, "this “{%” block is not closed");
  assert_diagnostic (file, 1, 8, 3, "this “{%” block is not closed");
  assert_diagnostic (file, 2, 15, 1, "this “{{” block is not closed");
  /* The first region has no request (its script swallowed the rest); the others are read. */
  g_assert_cmpuint (n_entries (file), ==, 3);
  entry = entry_at (file, 0);
  g_assert_cmpstr (entry->url, ==, "http://127.0.0.1/a");
  g_assert_cmpuint (entry->scripts->len, ==, 1);
  g_assert_cmpstr (script_at (entry, 0)->text, ==, "> {%\nclient.test();\n?? status == 200");
  g_assert_cmpuint (entry->assertions->len, ==, 0);
  entry = entry_at (file, 1);
  g_assert_cmpstr (script_at (entry, 0)->text, ==, "{{\nx");
  g_assert_cmpstr (entry_at (file, 2)->url, ==, "http://127.0.0.1/c");
}

static void
test_assertions (void)
{
  g_autoptr(LadleHttpFile) file = parse ("GET http://127.0.0.1/\n"
                                         "??status == 200\n"
                                         "Accept: */*\n"
                                         "\n"
                                         "body\n"
                                         "   ??   header content-type includes json   \n"
                                         "?? js response.parsedBody.a == 1\n"
                                         "more body\n"
                                         "??\n");
  LadleHttpEntry *entry = entry_at (file, 0);

  assert_no_diagnostics (file);
  g_assert_cmpuint (entry->assertions->len, ==, 4);
  g_assert_cmpstr (assertion_at (entry, 0)->text, ==, "status == 200");
  g_assert_cmpuint (assertion_at (entry, 0)->line, ==, 2);
  g_assert_cmpuint (assertion_at (entry, 0)->column, ==, 3);
  g_assert_cmpstr (assertion_at (entry, 1)->text, ==, "header content-type includes json");
  g_assert_cmpuint (assertion_at (entry, 1)->column, ==, 9);
  g_assert_cmpstr (assertion_at (entry, 2)->text, ==, "js response.parsedBody.a == 1");
  g_assert_cmpuint (assertion_at (entry, 2)->column, ==, 4);
  g_assert_cmpstr (assertion_at (entry, 3)->text, ==, "");
  g_assert_cmpuint (entry->headers->len, ==, 1);
  g_assert_cmpstr (part_at (entry, 0)->text, ==, "body\nmore body");
}

static void
test_regions (void)
{
  const char *text = "\xEF\xBB\xBF@a = 1\n"
                     "\n"
                     "### one\n"
                     "GET http://127.0.0.1/1\n"
                     "\n"
                     "### only comments\n"
                     "# nothing here\n"
                     "@b = 2\n"
                     "  ### two\n"
                     "GET http://127.0.0.1/2";
  g_autoptr(LadleHttpFile) file = parse (text);
  LadleHttpEntry *entry;
  gsize one = strstr (text, "### one") - text;
  gsize only = strstr (text, "### only") - text;
  gsize two = strstr (text, "  ### two") - text;

  assert_no_diagnostics (file);
  g_assert_cmpuint (ladle_http_file_get_variables (file)->len, ==, 2);
  g_assert_cmpuint (n_entries (file), ==, 2);
  entry = entry_at (file, 0);
  g_assert_cmpuint (entry->start, ==, one);
  g_assert_cmpuint (entry->end, ==, only);
  g_assert_cmpuint (entry->first_line, ==, 3);
  g_assert_cmpuint (entry->request_line, ==, 4);
  entry = entry_at (file, 1);
  g_assert_cmpuint (entry->start, ==, two);
  g_assert_cmpuint (entry->end, ==, strlen (text));
  g_assert_cmpuint (entry->first_line, ==, 9);
  g_assert_cmpstr (entry->separator_name, ==, "two");
  g_assert_cmpstr (ladle_http_file_get_newline (file), ==, "\n");

  /* The first region starts at byte 0, with or without `###`. */
  {
    g_autoptr(LadleHttpFile) first = parse ("\n# c\nGET http://127.0.0.1/\n###\nGET http://127.0.0.1/x\n");

    g_assert_cmpuint (entry_at (first, 0)->start, ==, 0);
    g_assert_cmpuint (entry_at (first, 0)->end, ==, strlen ("\n# c\nGET http://127.0.0.1/\n"));
    g_assert_null (entry_at (first, 0)->separator_name);
    g_assert_cmpuint (entry_at (first, 1)->first_line, ==, 4);
  }
}

static void
test_empty_inputs (void)
{
  const char *texts[] = { "", "\n", "###", "###\n###\n", "# only a comment\n", "@a = 1", "\r\n" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(LadleHttpFile) file = parse (texts[i]);
      g_autofree char *text = file_text (file);

      g_assert_cmpuint (n_entries (file), ==, 0);
      assert_no_diagnostics (file);
      g_assert_cmpstr (text, ==, texts[i]);
    }
}

static void
test_encoding (void)
{
  /* Cyrillic before the bad byte: the column counts characters. */
  static const char text[] = "GET http://127.0.0.1/\n"
                             "X-A: Привет\xFF мир\n"
                             "X-B: \xD0\n"
                             "\n"
                             "тело\0после нуля\n";
  g_autoptr(LadleHttpFile) file = ladle_http_file_parse ("t.http", text, sizeof text - 1);
  LadleHttpEntry *entry = entry_at (file, 0);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (n_diagnostics (file), ==, 3);
  assert_diagnostic (file, 0, 2, 12, "not UTF-8");
  assert_diagnostic (file, 1, 3, 6, "not UTF-8");
  assert_diagnostic (file, 2, 5, 5, "NUL byte");
  g_assert_false (ladle_http_file_check (file, &error));
  g_assert_cmpstr (error->message, ==,
                   "t.http:2:12: this is not UTF-8 text (byte 0xFF): save the file as UTF-8");
  /* The tree is valid UTF-8 all the same. */
  g_assert_cmpstr (header_at (entry, 0)->value, ==, "Привет\xEF\xBF\xBD мир");
  g_assert_true (g_utf8_validate (part_at (entry, 0)->text, -1, NULL));
  g_assert_cmpstr (part_at (entry, 0)->text, ==, "тело\xEF\xBF\xBDпосле нуля");
}

static char *
write_temp (const char *dir,
            const char *name,
            const char *text,
            gssize      length)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, length, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_load (void)
{
  g_autofree char *dir = ladle_test_make_tmpdir ("http-file-load-XXXXXX");
  g_autofree char *good = write_temp (dir, "good.http", "GET http://127.0.0.1/\nX: Ж\n", -1);
  g_autofree char *bad = write_temp (dir, "bad.http", "GET http://127.0.0.1/\n\nЖ\xC3(\n", -1);
  g_autofree char *nul = write_temp (dir, "nul.http", "GET http://127.0.0.1/\n\0", 23);
  g_autofree char *big = g_build_filename (dir, "big.http", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.http", NULL);
  g_autoptr(LadleHttpFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  FILE *stream;

  file = ladle_http_file_load (good, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ladle_http_file_get_path (file), ==, good);
  g_assert_cmpstr (header_at (entry_at (file, 0), 0)->value, ==, "Ж");

  g_assert_null (ladle_http_file_load (bad, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  message = g_strdup_printf ("%s:3:2: this is not UTF-8 text (byte 0xC3): save the file as UTF-8",
                             bad);
  g_assert_cmpstr (error->message, ==, message);
  g_clear_error (&error);

  g_assert_null (ladle_http_file_load (nul, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, nul));
  g_assert_nonnull (strstr (error->message, ":2:1: a NUL byte"));
  g_clear_error (&error);

  g_assert_null (ladle_http_file_load (missing, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (error->message, missing));
  g_clear_error (&error);

  g_assert_null (ladle_http_file_load (dir, &error));
  g_assert_nonnull (strstr (error->message, "it is a folder"));
  g_clear_error (&error);

  /* 64 MiB and one byte: a sparse file, refused before it is read. */
  stream = fopen (big, "w");
  g_assert_nonnull (stream);
  g_assert_cmpint (fseek (stream, 64 * 1024 * 1024, SEEK_SET), ==, 0);
  g_assert_cmpint (fputc ('\n', stream), ==, '\n');
  fclose (stream);
  g_assert_null (ladle_http_file_load (big, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_TOO_LARGE);
  g_assert_true (g_str_has_prefix (error->message, big));
  g_assert_nonnull (strstr (error->message, "64 MiB"));
  g_clear_error (&error);

  ladle_test_rm_rf (dir);
}

static void
test_replace_and_remove (void)
{
  const char *text = "@host = http://127.0.0.1\n"
                     "\n"
                     "### one\n"
                     "GET {{host}}/1\n"
                     "\n"
                     "### two\r\n"
                     "GET {{host}}/2\n"
                     "### three\n"
                     "GET {{host}}/3";
  g_autoptr(LadleHttpFile) file = parse (text);
  g_autoptr(LadleHttpFile) replaced = NULL;
  g_autoptr(LadleHttpFile) appended = NULL;
  g_autoptr(LadleHttpFile) removed = NULL;
  g_autoptr(LadleHttpFile) glued = NULL;
  g_autofree char *replaced_text = NULL;
  g_autofree char *appended_text = NULL;
  g_autofree char *removed_text = NULL;
  g_autofree char *glued_text = NULL;
  g_autofree char *original = NULL;

  g_assert_cmpuint (n_entries (file), ==, 3);

  replaced = ladle_http_file_replace_entry (file, 1, "### TWO\nPOST {{host}}/2\n\n");
  replaced_text = file_text (replaced);
  g_assert_cmpstr (replaced_text, ==,
                   "@host = http://127.0.0.1\n\n### one\nGET {{host}}/1\n\n"
                   "### TWO\nPOST {{host}}/2\n\n### three\nGET {{host}}/3");
  g_assert_cmpuint (n_entries (replaced), ==, 3);
  g_assert_cmpstr (entry_at (replaced, 1)->method, ==, "POST");
  /* @self is unchanged */
  original = file_text (file);
  g_assert_cmpstr (original, ==, text);

  /* Appending after a last line without its line break adds one first. */
  appended = ladle_http_file_replace_entry (file, 3, "### four\nGET {{host}}/4\n");
  appended_text = file_text (appended);
  g_assert_cmpstr (appended_text, ==, "@host = http://127.0.0.1\n\n### one\nGET {{host}}/1\n\n"
                   "### two\r\nGET {{host}}/2\n### three\nGET {{host}}/3\n"
                   "### four\nGET {{host}}/4\n");
  g_assert_cmpuint (n_entries (appended), ==, 4);

  /* A text without a final line break does not swallow the next `###` line. */
  glued = ladle_http_file_replace_entry (file, 0, "### one\nGET {{host}}/one");
  glued_text = file_text (glued);
  g_assert_cmpstr (glued_text, ==, "@host = http://127.0.0.1\n\n### one\nGET {{host}}/one\n"
                   "### two\r\nGET {{host}}/2\n### three\nGET {{host}}/3");
  g_assert_cmpuint (n_entries (glued), ==, 3);

  removed = ladle_http_file_remove_entry (file, 1);
  removed_text = file_text (removed);
  g_assert_cmpstr (removed_text, ==, "@host = http://127.0.0.1\n\n### one\nGET {{host}}/1\n\n"
                   "### three\nGET {{host}}/3");
  g_assert_cmpuint (n_entries (removed), ==, 2);
  g_assert_cmpuint (ladle_http_file_get_variables (removed)->len, ==, 1);

  {
    g_autoptr(LadleHttpFile) empty = parse ("");
    g_autoptr(LadleHttpFile) one = ladle_http_file_replace_entry (empty, 0, "GET http://127.0.0.1/\n");
    g_autofree char *one_text = file_text (one);

    g_assert_cmpstr (one_text, ==, "GET http://127.0.0.1/\n");
    g_assert_cmpuint (n_entries (one), ==, 1);
  }
}

static void
check_round_trip (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LadleHttpFile) file = ladle_http_file_load (path, &error);
  g_autofree char *contents = NULL;
  gsize length = 0;
  GBytes *bytes;
  const char *newline;

  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  bytes = ladle_http_file_get_text (file);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), contents, length);
  assert_no_diagnostics (file);
  g_assert_cmpuint (n_entries (file), >, 0);
  newline = ladle_http_file_get_newline (file);

  for (guint i = 0; i < n_entries (file); i++)
    {
      LadleHttpEntry *entry = entry_at (file, i);
      g_autofree char *region = ladle_http_entry_format (entry, newline);
      g_autoptr(LadleHttpFile) replaced = ladle_http_file_replace_entry (file, i, region);
      gsize new_length = 0;
      const char *new_text = g_bytes_get_data (ladle_http_file_get_text (replaced), &new_length);
      gsize tail = length - entry->end;
      LadleHttpEntry *new_entry;
      g_autofree char *new_region = NULL;

      g_test_message ("%s: entry %u", path, i);
      /* Every byte outside the region is as it was. */
      g_assert_cmpmem (new_text, entry->start, contents, entry->start);
      g_assert_cmpmem (new_text + entry->start, strlen (region), region, strlen (region));
      g_assert_cmpuint (new_length, ==, entry->start + strlen (region) + tail);
      g_assert_cmpmem (new_text + new_length - tail, tail, contents + entry->end, tail);
      g_assert_cmpuint (n_entries (replaced), ==, n_entries (file));
      assert_no_diagnostics (replaced);

      /* The request reads back the same. */
      new_entry = entry_at (replaced, i);
      new_region = ladle_http_entry_format (new_entry, newline);
      g_assert_cmpstr (new_region, ==, region);
      g_assert_cmpstr (new_entry->method, ==, entry->method);
      g_assert_cmpstr (new_entry->url, ==, entry->url);
      g_assert_cmpstr (new_entry->name, ==, entry->name);
      g_assert_cmpuint (new_entry->headers->len, ==, entry->headers->len);
      g_assert_cmpuint (new_entry->body->len, ==, entry->body->len);
      for (guint k = 0; k < entry->body->len; k++)
        g_assert_cmpstr (part_at (new_entry, k)->text, ==, part_at (entry, k)->text);
      g_assert_cmpuint (new_entry->assertions->len, ==, entry->assertions->len);
      g_assert_cmpuint (new_entry->scripts->len, ==, entry->scripts->len);

      assert_format_fixed_point (entry, newline);
    }
}

static void
test_corpus_round_trip (void)
{
  g_autofree char *folder = g_test_build_filename (G_TEST_DIST, "data", "http", NULL);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".http") || g_str_has_suffix (name, ".rest"))
      g_ptr_array_add (names, g_strdup (name));
  g_assert_cmpuint (names->len, >=, 30);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (folder, g_ptr_array_index (names, i), NULL);

      check_round_trip (path);
    }
}

/* The corpus's constructs, by file: a few exact checks that the files say what they show. */
static LadleHttpFile *
load_corpus (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "http", name, NULL);
  g_autoptr(GError) error = NULL;
  LadleHttpFile *file = ladle_http_file_load (path, &error);

  g_assert_no_error (error);
  return file;
}

static void
test_corpus_files (void)
{
  g_autoptr(LadleHttpFile) crlf = load_corpus ("23-crlf.http");
  g_autoptr(LadleHttpFile) multipart = load_corpus ("10-multipart.http");
  g_autoptr(LadleHttpFile) everything = load_corpus ("30-everything.http");
  g_autoptr(LadleHttpFile) chaining = load_corpus ("17-chaining.http");
  g_autoptr(LadleHttpFile) cyrillic = load_corpus ("24-cyrillic.http");
  LadleHttpEntry *entry;

  g_assert_cmpstr (ladle_http_file_get_newline (crlf), ==, "\r\n");
  entry = entry_at (crlf, 0);
  g_assert_cmpstr (entry->name, ==, "crlf");
  g_assert_cmpstr (header_at (entry, 0)->value, ==, "application/json");
  g_assert_cmpstr (part_at (entry, 0)->text, ==, "{\n  \"a\": 1\n}");

  entry = entry_at (multipart, 0);
  g_assert_cmpuint (entry->body->len, ==, 5);
  g_assert_cmpint (part_at (entry, 1)->kind, ==, LADLE_HTTP_PART_FILE);
  g_assert_cmpstr (part_at (entry, 1)->text, ==, "./files/item.json");
  g_assert_cmpstr (part_at (entry, 4)->text, ==, "\r\n--WebAppBoundary--");

  entry = entry_at (everything, 0);
  g_assert_cmpstr (entry->name, ==, "everything");
  g_assert_cmpstr (entry->method, ==, "PUT");
  g_assert_cmpstr (entry->url, ==, "{{host}}/anything/{{local}}?a=1&b=2");
  g_assert_cmpstr (entry->http_version, ==, "HTTP/1.1");
  g_assert_cmpuint (entry->variables->len, ==, 1);
  g_assert_cmpuint (entry->scripts->len, ==, 2);
  g_assert_cmpuint (entry->assertions->len, ==, 2);
  g_assert_cmpuint (ladle_http_file_get_variables (everything)->len, ==, 1);

  g_assert_nonnull (ladle_http_file_find_entry (chaining, "login"));
  g_assert_cmpstr (header_at (entry_at (chaining, 2), 0)->value, ==,
                   "Bearer {{login.response.body.$.json.token}}");

  entry = ladle_http_file_find_entry (cyrillic, "Текст");
  g_assert_nonnull (entry);
  g_assert_true (g_str_has_prefix (part_at (entry, 0)->text, "Съешь"));
}

/* A model the window would make: what it writes reads back the same. */
static void
test_format_model (void)
{
  g_autoptr(LadleHttpEntry) entry = ladle_http_entry_new ();
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  g_autoptr(GPtrArray) variables = g_ptr_array_new ();
  LadleHttpVariable host = { (char *) "host", (char *) "http://127.0.0.1:8080", 0 };
  g_autoptr(LadleHttpFile) file = NULL;
  g_autoptr(LadleHttpFile) again = NULL;
  g_autofree char *text = NULL;
  g_autofree char *region = NULL;
  LadleHttpEntry *read;

  g_free (entry->method);
  entry->method = g_strdup ("POST");
  g_free (entry->url);
  entry->url = g_strdup ("{{host}}/post");
  entry->name = g_strdup ("upload");
  ladle_http_entry_add_directive (entry, "no-redirect", NULL);
  ladle_http_entry_add_directive (entry, "timeout", "5");
  ladle_http_entry_add_variable (entry, "id", "7");
  ladle_http_entry_add_header (entry, "Content-Type", "multipart/form-data; boundary=B");
  ladle_http_entry_add_body_part (entry, LADLE_HTTP_PART_TEXT, "--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n\r\n");
  ladle_http_entry_add_body_part (entry, LADLE_HTTP_PART_FILE, "./a.bin");
  ladle_http_entry_add_body_part (entry, LADLE_HTTP_PART_TEXT, "\r\n--B--");
  ladle_http_entry_add_assertion (entry, "status == 200");
  ladle_http_entry_add_script (entry, LADLE_HTTP_SCRIPT_PRE, "< {%\n  request.variables.set(\"a\", \"1\");\n%}");
  ladle_http_entry_add_script (entry, LADLE_HTTP_SCRIPT_POST, "> {%\n  client.log(1);");
  ladle_http_entry_add_script (entry, LADLE_HTTP_SCRIPT_OTHER, ">> ./out.json");

  g_ptr_array_add (entries, entry);
  g_ptr_array_add (variables, &host);
  file = ladle_http_file_new_from_entries ("new.http", variables, entries, "\r\n");
  text = file_text (file);
  g_assert_cmpstr (text, ==,
                   "@host = http://127.0.0.1:8080\r\n"
                   "\r\n"
                   "### upload\r\n"
                   "# @name upload\r\n"
                   "# @no-redirect\r\n"
                   "# @timeout 5\r\n"
                   "@id = 7\r\n"
                   "< {%\r\n"
                   "  request.variables.set(\"a\", \"1\");\r\n"
                   "%}\r\n"
                   "POST {{host}}/post\r\n"
                   "Content-Type: multipart/form-data; boundary=B\r\n"
                   "\r\n"
                   "--B\r\n"
                   "Content-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n"
                   "\r\n"
                   "< ./a.bin\r\n"
                   "--B--\r\n"
                   "\r\n"
                   "> {%\r\n"
                   "  client.log(1);\r\n"
                   "%}\r\n"
                   ">> ./out.json\r\n"
                   "?? status == 200\r\n"
                   "\r\n");
  g_assert_cmpuint (entry->start, ==, strlen ("@host = http://127.0.0.1:8080\r\n\r\n"));
  g_assert_cmpuint (entry->first_line, ==, 3);

  again = ladle_http_file_parse ("new.http", text, -1);
  assert_no_diagnostics (again);
  g_assert_cmpuint (n_entries (again), ==, 1);
  g_assert_cmpuint (ladle_http_file_get_variables (again)->len, ==, 1);
  read = entry_at (again, 0);
  g_assert_cmpstr (read->name, ==, "upload");
  g_assert_cmpuint (read->body->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (part_at (read, i)->text, ==, part_at (entry, i)->text);
  region = ladle_http_entry_format (read, "\r\n");
  g_assert_cmpmem (region, strlen (region), text + entry->start, strlen (text) - entry->start);
  assert_format_fixed_point (entry, "\n");
}

/* A multipart request from the window: the bytes httpyac would send for the lines written. */
static void
test_from_request_multipart (void)
{
  g_autoptr(LadleRequest) request = ladle_request_new ();
  GListStore *form = ladle_request_get_form (request);
  g_autoptr(LadleKeyValue) field = ladle_key_value_new ("note", "two\nlines");
  g_autoptr(LadleKeyValue) upload = ladle_key_value_new_file ("file", "/tmp/a.bin");
  g_autoptr(LadleHttpEntry) entry = NULL;
  g_autofree char *region = NULL;
  g_autoptr(LadleHttpFile) file = NULL;
  LadleHttpEntry *read;

  ladle_request_set_method (request, "POST");
  ladle_request_set_url (request, "http://127.0.0.1:8080/post");
  ladle_request_set_follow_redirects (request, FALSE);
  g_list_store_append (form, field);
  g_list_store_append (form, upload);
  ladle_request_set_body_kind (request, LADLE_BODY_MULTIPART);

  entry = ladle_http_entry_new_from_request (request, "upload");
  g_assert_cmpstr (entry->method, ==, "POST");
  g_assert_true (ladle_http_entry_has_directive (entry, "no-redirect"));
  g_assert_cmpuint (entry->body->len, ==, 3);
  g_assert_cmpstr (part_at (entry, 0)->text, ==,
                   "--LadleBoundary7MA4YWxkTrZu0gW\r\n"
                   "Content-Disposition: form-data; name=\"note\"\r\n\r\ntwo\r\nlines\r\n"
                   "--LadleBoundary7MA4YWxkTrZu0gW\r\n"
                   "Content-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n\r\n");
  g_assert_cmpint (part_at (entry, 1)->kind, ==, LADLE_HTTP_PART_FILE);
  g_assert_cmpstr (part_at (entry, 1)->text, ==, "/tmp/a.bin");
  g_assert_cmpstr (part_at (entry, 2)->text, ==, "\r\n--LadleBoundary7MA4YWxkTrZu0gW--");

  region = ladle_http_entry_format (entry, "\n");
  file = ladle_http_file_parse ("m.http", region, -1);
  assert_no_diagnostics (file);
  read = entry_at (file, 0);
  g_assert_cmpstr (read->name, ==, "upload");
  g_assert_cmpuint (read->body->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (part_at (read, i)->text, ==, part_at (entry, i)->text);
  assert_format_fixed_point (entry, "\n");
}

/* Digest auth is written as JetBrains' shorthand; an API key as a header or in the URL */
static void
test_from_request_auth (void)
{
  g_autoptr(LadleRequest) request = ladle_request_new ();
  g_autoptr(LadleHttpEntry) digest = NULL;
  g_autoptr(LadleHttpEntry) colon = NULL;
  g_autoptr(LadleHttpEntry) header = NULL;
  g_autoptr(LadleHttpEntry) query = NULL;
  LadleHttpHeader *h;

  ladle_request_set_url (request, "http://127.0.0.1/a");
  ladle_request_set_auth_kind (request, LADLE_AUTH_DIGEST);
  ladle_request_set_auth_username (request, "Mufasa");
  ladle_request_set_auth_password (request, "Circle of Life");
  digest = ladle_http_entry_new_from_request (request, NULL);
  g_assert_cmpuint (digest->headers->len, ==, 1);
  h = g_ptr_array_index (digest->headers, 0);
  g_assert_cmpstr (h->name, ==, "Authorization");
  g_assert_cmpstr (h->value, ==, "Digest Mufasa Circle of Life");

  /* A name with a blank needs the colon form */
  ladle_request_set_auth_username (request, "Mu fasa");
  colon = ladle_http_entry_new_from_request (request, NULL);
  h = g_ptr_array_index (colon->headers, 0);
  g_assert_cmpstr (h->value, ==, "Digest Mu fasa:Circle of Life");

  ladle_request_set_auth_kind (request, LADLE_AUTH_API_KEY);
  ladle_request_set_auth_key_name (request, "X-Api-Key");
  ladle_request_set_auth_key_value (request, "k");
  header = ladle_http_entry_new_from_request (request, NULL);
  g_assert_cmpuint (header->headers->len, ==, 1);
  h = g_ptr_array_index (header->headers, 0);
  g_assert_cmpstr (h->name, ==, "X-Api-Key");
  g_assert_cmpstr (h->value, ==, "k");

  ladle_request_set_auth_key_in (request, LADLE_API_KEY_IN_QUERY);
  ladle_request_set_url (request, "{{host}}/a?b=1");
  query = ladle_http_entry_new_from_request (request, NULL);
  g_assert_cmpuint (query->headers->len, ==, 0);
  g_assert_cmpstr (query->url, ==, "{{host}}/a?b=1&X-Api-Key=k");
}

static void
test_hostile_long_line (void)
{
  gsize size = 10 * 1024 * 1024;
  g_autofree char *text = g_malloc (size + 64);
  gint64 start;
  gint64 elapsed;
  g_autoptr(LadleHttpFile) file = NULL;

  /* A 10 MB URL, then a 10 MB header line, then a 10 MB body line. */
  memcpy (text, "GET http://127.0.0.1/", 21);
  memset (text + 21, 'a', size - 21);
  text[size] = '\0';
  start = g_get_monotonic_time ();
  file = parse (text);
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("10 MB line: %" G_GINT64_FORMAT " ms", elapsed / 1000);
  g_assert_cmpuint (strlen (entry_at (file, 0)->url), ==, size - 4);
  g_assert_cmpint (elapsed, <, 5 * G_USEC_PER_SEC);
  g_clear_pointer (&file, ladle_http_file_unref);

  /* One line of `{{{{{{…` and of `{%{%{%…` */
  for (gsize i = 0; i < size; i++)
    text[i] = i % 2 == 0 ? '{' : (i % 4 == 1 ? '{' : '%');
  memcpy (text, "< ", 2);
  start = g_get_monotonic_time ();
  file = parse (text);
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("10 MB of {{ and {%%: %" G_GINT64_FORMAT " ms", elapsed / 1000);
  g_assert_cmpint (elapsed, <, 5 * G_USEC_PER_SEC);
  g_clear_pointer (&file, ladle_http_file_unref);

  memset (text, '{', size);
  start = g_get_monotonic_time ();
  file = parse (text);
  elapsed = g_get_monotonic_time () - start;
  g_assert_cmpint (elapsed, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (n_entries (file), ==, 1);
  g_assert_cmpuint (strlen (entry_at (file, 0)->url), ==, size);
}

static void
test_hostile_many_lines (void)
{
  GString *text = g_string_new (NULL);
  g_autoptr(LadleHttpFile) file = NULL;
  gint64 start;
  gint64 elapsed;

  for (guint i = 0; i < 100000; i++)
    g_string_append (text, "###\n");
  start = g_get_monotonic_time ();
  file = parse (text->str);
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("100 000 `###` lines: %" G_GINT64_FORMAT " ms", elapsed / 1000);
  g_assert_cmpuint (n_entries (file), ==, 0);
  g_assert_cmpint (elapsed, <, 5 * G_USEC_PER_SEC);
  g_clear_pointer (&file, ladle_http_file_unref);

  g_string_truncate (text, 0);
  for (guint i = 0; i < 100000; i++)
    g_string_append (text, "###\nGET http://127.0.0.1/\n");
  start = g_get_monotonic_time ();
  file = parse (text->str);
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("100 000 requests: %" G_GINT64_FORMAT " ms", elapsed / 1000);
  g_assert_cmpuint (n_entries (file), ==, 100000);
  g_assert_cmpuint (entry_at (file, 99999)->request_line, ==, 200000);
  /* A few milliseconds; the bound is for the sanitizers' slow allocations (quadratic work would
   * take minutes). */
  g_assert_cmpint (elapsed, <, 30 * G_USEC_PER_SEC);
  g_clear_pointer (&file, ladle_http_file_unref);

  /* 100 000 lines that are each a problem: the list of problems stops. */
  g_string_assign (text, "GET http://127.0.0.1/\n");
  for (guint i = 0; i < 100000; i++)
    g_string_append (text, "X(: 1\n");
  g_string_append (text, "\n");
  for (guint i = 0; i < 100000; i++)
    g_string_append (text, "> {%\n");
  file = parse (text->str);
  g_assert_cmpuint (n_diagnostics (file), ==, 1001);
  assert_diagnostic (file, 1000, 1002, 1, "too many problems");
  g_clear_pointer (&file, ladle_http_file_unref);

  /* Unclosed blocks one after another in one region: each swallows the rest. */
  g_string_assign (text, "GET http://127.0.0.1/\n\n");
  for (guint i = 0; i < 100000; i++)
    g_string_append (text, "{{\n{{{{{{\n< {%\n");
  start = g_get_monotonic_time ();
  file = parse (text->str);
  elapsed = g_get_monotonic_time () - start;
  g_assert_cmpuint (n_diagnostics (file), ==, 1);
  g_assert_cmpuint (entry_at (file, 0)->scripts->len, ==, 1);
  g_assert_cmpint (elapsed, <, 5 * G_USEC_PER_SEC);

  g_string_free (text, TRUE);
}

static void
test_hostile_bytes (void)
{
  GRand *rand = g_rand_new_with_seed (11);

  /* Random texts of the syntax's own pieces, and bytes: no crash, valid UTF-8 out, fixed point. */
  const char *pieces[] = { "###", "GET ", "http://127.0.0.1/", "\n", "\r\n", "\r", "{{", "}}",
                           "{%", "%}", "< ", "> ", ">> ", "<> ", "<@", "?? ", "@a = 1", "# @name x",
                           ":", " ", "\t", "&a=1", "?b", "Content-Type: multipart/form-data",
                           "Content-Type: application/x-www-form-urlencoded", "\xFF", "Ж", "=",
                           "HTTP/1.1", "//", "#", "\0" };

  for (guint round = 0; round < 3000; round++)
    {
      GString *text = g_string_new (NULL);
      guint n = g_rand_int_range (rand, 1, 40);
      g_autoptr(LadleHttpFile) file = NULL;
      gsize length = 0;

      for (guint i = 0; i < n; i++)
        {
          const char *piece = pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))];

          if (piece[0] == '\0')
            g_string_append_c (text, '\0');
          else
            g_string_append (text, piece);
        }
      file = ladle_http_file_parse ("r.http", text->str, text->len);
      g_assert_nonnull (g_bytes_get_data (ladle_http_file_get_text (file), &length));
      g_assert_cmpuint (length, ==, text->len);
      for (guint i = 0; i < n_entries (file); i++)
        {
          LadleHttpEntry *entry = entry_at (file, i);

          g_assert_true (entry->start < entry->end);
          g_assert_cmpuint (entry->end, <=, text->len);
          if (i > 0)
            g_assert_cmpuint (entry_at (file, i - 1)->end, <=, entry->start);
          g_assert_true (g_utf8_validate (entry->url, -1, NULL));
          for (guint k = 0; k < entry->body->len; k++)
            g_assert_true (g_utf8_validate (part_at (entry, k)->text, -1, NULL));
          assert_format_fixed_point (entry, ladle_http_file_get_newline (file));
        }
      g_string_free (text, TRUE);
    }

  g_rand_free (rand);
}

static void
test_save (void)
{
  g_autofree char *dir = ladle_test_make_tmpdir ("http-file-save-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "a.http", NULL);
  g_autofree char *other = g_build_filename (dir, "b.http", NULL);
  g_autofree char *link = g_build_filename (dir, "link.http", NULL);
  g_autofree char *under_file = g_build_filename (path, "c.http", NULL);
  g_autoptr(LadleHttpFile) file = NULL;
  g_autoptr(LadleHttpFile) edited = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  const char *text = "### one\r\nGET http://127.0.0.1/\r\n";
  GStatBuf st;

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  g_assert_cmpint (g_chmod (path, 0640), ==, 0);
  file = ladle_http_file_load (path, &error);
  g_assert_no_error (error);

  /* Over itself: the same bytes, the same mode. */
  g_assert_true (ladle_http_file_save (file, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, text);
  g_clear_pointer (&contents, g_free);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0640);

  edited = ladle_http_file_replace_entry (file, 1, "### two\r\nGET http://127.0.0.1/2\r\n");
  g_assert_true (ladle_http_file_save (edited, NULL, &error));
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "### one\r\nGET http://127.0.0.1/\r\n### two\r\nGET http://127.0.0.1/2\r\n");
  g_clear_pointer (&contents, g_free);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0640);

  /* Elsewhere */
  g_assert_true (ladle_http_file_save (file, other, &error));
  g_assert_true (g_file_get_contents (other, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, text);
  g_clear_pointer (&contents, g_free);

  /* Through a symbolic link: the link stays a link. */
  g_assert_cmpint (symlink (other, link), ==, 0);
  g_assert_true (ladle_http_file_save (edited, link, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  g_assert_true (g_file_get_contents (other, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "### one\r\nGET http://127.0.0.1/\r\n### two\r\nGET http://127.0.0.1/2\r\n");
  g_clear_pointer (&contents, g_free);

  /* Into a folder that is a file: a clear error, nothing left behind. */
  g_assert_false (ladle_http_file_save (file, under_file, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_NOT_WRITABLE);
  g_assert_true (g_str_has_prefix (error->message, under_file));
  g_assert_nonnull (strstr (error->message, "could not save the file"));
  g_clear_error (&error);

  /* Into a read-only folder (root may write anyway: then there is nothing to see). */
  g_assert_cmpint (g_chmod (dir, 0555), ==, 0);
  if (geteuid () != 0)
    {
      g_assert_false (ladle_http_file_save (edited, path, &error));
      g_assert_error (error, LADLE_ERROR, LADLE_ERROR_NOT_WRITABLE);
      g_assert_true (g_str_has_prefix (error->message, path));
      g_clear_error (&error);
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      g_assert_cmpstr (contents, ==, "### one\r\nGET http://127.0.0.1/\r\n### two\r\nGET http://127.0.0.1/2\r\n");
      g_clear_pointer (&contents, g_free);
    }
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);

  /* No temporary file anywhere. */
  {
    g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
    const char *name;
    guint count = 0;

    while ((name = g_dir_read_name (listing)) != NULL)
      {
        g_assert_true (g_str_equal (name, "a.http") || g_str_equal (name, "b.http")
                       || g_str_equal (name, "link.http"));
        count++;
      }
    g_assert_cmpuint (count, ==, 3);
  }

  {
    g_autoptr(LadleHttpFile) unnamed = ladle_http_file_parse (NULL, "x", -1);

    g_assert_false (ladle_http_file_save (unnamed, NULL, &error));
    g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
  }

  ladle_test_rm_rf (dir);
}

/* A request's own comments are part of it: formatting it again (saving an edit) keeps them */
static void
test_comments_kept (void)
{
  static const char text[] =
    "### Get\n"
    "# why this request exists\n"
    "// and in the other spelling\n"
    "# @name get\n"
    "GET http://127.0.0.1/get\n"
    "# among the headers\n"
    "Accept: */*\n";
  g_autoptr(LadleHttpFile) file = ladle_http_file_parse ("c.http", text, -1);
  LadleHttpEntry *entry = g_ptr_array_index (ladle_http_file_get_entries (file), 0);
  g_autofree char *formatted = ladle_http_entry_format (entry, "\n");
  g_autoptr(LadleHttpFile) again = ladle_http_file_parse ("c.http", formatted, -1);
  LadleHttpEntry *reread = g_ptr_array_index (ladle_http_file_get_entries (again), 0);
  g_autofree char *formatted_again = ladle_http_entry_format (reread, "\n");

  g_assert_cmpuint (entry->comments->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (entry->comments, 0), ==, "# why this request exists");
  g_assert_cmpstr (g_ptr_array_index (entry->comments, 1), ==, "// and in the other spelling");
  g_assert_cmpstr (g_ptr_array_index (entry->comments, 2), ==, "# among the headers");
  g_assert_cmpstr (entry->name, ==, "get");
  g_assert_nonnull (strstr (formatted, "# why this request exists\n"));
  g_assert_nonnull (strstr (formatted, "# among the headers\n"));
  g_assert_cmpstr (formatted_again, ==, formatted);
}

/* Saving from the window: a request whose text would read back as another is refused */
static void
test_format_checked (void)
{
  g_autoptr(LadleHttpEntry) plain = ladle_http_entry_new ();
  g_autoptr(LadleHttpEntry) separator = ladle_http_entry_new ();
  g_autoptr(LadleHttpEntry) assertion = ladle_http_entry_new ();
  g_autoptr(LadleHttpEntry) newline_url = ladle_http_entry_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_free (plain->method);
  plain->method = g_strdup ("POST");
  g_free (plain->url);
  plain->url = g_strdup ("{{host}}/post");
  ladle_http_entry_add_header (plain, "Content-Type", "application/json");
  ladle_http_entry_add_body_part (plain, LADLE_HTTP_PART_TEXT, "{\n  \"a\": 1\n}\n");
  text = ladle_http_entry_format_checked (plain, "\n", &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, "POST {{host}}/post\n"));

  ladle_http_entry_add_body_part (separator, LADLE_HTTP_PART_TEXT, "first\n### second\nthird");
  g_assert_null (ladle_http_entry_format_checked (separator, "\n", &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "###"));
  g_clear_error (&error);

  ladle_http_entry_add_body_part (assertion, LADLE_HTTP_PART_TEXT, "text\n?? status == 200");
  g_assert_null (ladle_http_entry_format_checked (assertion, "\n", &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_free (newline_url->url);
  newline_url->url = g_strdup ("http://127.0.0.1/a\nHost: evil");
  g_assert_null (ladle_http_entry_format_checked (newline_url, "\r\n", &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  g_test_add_func ("/http-file/simple", test_simple);
  g_test_add_func ("/http-file/diagnostic-columns", test_diagnostic_columns);
  g_test_add_func ("/http-file/short-form-and-methods", test_short_form_and_methods);
  g_test_add_func ("/http-file/method-without-url", test_method_without_url);
  g_test_add_func ("/http-file/diagnostic-order", test_diagnostic_order);
  g_test_add_func ("/http-file/http-versions", test_http_versions);
  g_test_add_func ("/http-file/query-continuation", test_query_continuation);
  g_test_add_func ("/http-file/headers", test_headers);
  g_test_add_func ("/http-file/bad-header-name", test_bad_header_name);
  g_test_add_func ("/http-file/body-bytes", test_body_bytes);
  g_test_add_func ("/http-file/body-details", test_body_details);
  g_test_add_func ("/http-file/variables", test_variables);
  g_test_add_func ("/http-file/names-and-directives", test_names_and_directives);
  g_test_add_func ("/http-file/scripts", test_scripts);
  g_test_add_func ("/http-file/unterminated-blocks", test_unterminated_blocks);
  g_test_add_func ("/http-file/assertions", test_assertions);
  g_test_add_func ("/http-file/regions", test_regions);
  g_test_add_func ("/http-file/empty-inputs", test_empty_inputs);
  g_test_add_func ("/http-file/encoding", test_encoding);
  g_test_add_func ("/http-file/load", test_load);
  g_test_add_func ("/http-file/replace-and-remove", test_replace_and_remove);
  g_test_add_func ("/http-file/corpus-round-trip", test_corpus_round_trip);
  g_test_add_func ("/http-file/corpus-files", test_corpus_files);
  g_test_add_func ("/http-file/format-model", test_format_model);
  g_test_add_func ("/http-file/from-request-multipart", test_from_request_multipart);
  g_test_add_func ("/http-file/hostile-long-line", test_hostile_long_line);
  g_test_add_func ("/http-file/hostile-many-lines", test_hostile_many_lines);
  g_test_add_func ("/http-file/hostile-bytes", test_hostile_bytes);
  g_test_add_func ("/http-file/save", test_save);
  g_test_add_func ("/http-file/format-checked", test_format_checked);
  g_test_add_func ("/http-file/comments-kept", test_comments_kept);
  g_test_add_func ("/http-file/from-request-auth", test_from_request_auth);

  return ladle_test_run ();
}
