/* fuzz-http-assert.c
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

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ladle-error.h"
#include "ladle-http-assert.h"
#include "ladle-response-private.h"

/* libFuzzer harness for httpyac's `??` assertions (ladle-http-assert). An input (up to 64 KiB) is
 * the text after `??` (made valid UTF-8, as the `.http` parser gives it), then optionally a NUL
 * byte and the response body; without one the body is a fixed JSON object. The response is built
 * in memory: 200 OK, Content-Type application/json, X-Id: 7. It is also the response of the
 * request "login", so that {{login.…}} in an expected value reads it; {{v}} is "7".
 *
 * Checked: no crash, hang (`matches` included: PCRE2's match limit bounds a regular expression)
 * or leak; ladle_http_assert_validate() says FALSE with a LADLE_ERROR or TRUE, and agrees with the
 * check: a line it refuses never passes; without a response a line is never passed nor failed;
 * a result keeps the text and line, has a message unless it passed, and its message is UTF-8. */

#define MAX_INPUT_SIZE (64 * 1024)

static const char default_body[] =
  "{\"ключ\": \"значение\", \"n\": 7, \"ok\": true, \"none\": null, \"list\": [1, \"two\"], "
  "\"obj\": {\"a\": 1}, \"text\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\"}";

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* G_DEBUG=fatal-warnings turns a critical into a SIGTRAP, which libFuzzer does not catch: abort
 * instead, so that it saves the input. */
static void
on_trap (int signum)
{
  abort ();
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  signal (SIGTRAP, on_trap);
  return 0;
}

static LadleResponse *
make_response (const char *body,
               gsize       length)
{
  LadleResponse *response = _ladle_response_new ();
  g_autoptr(GPtrArray) headers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GBytes) bytes = g_bytes_new (body, length);
  g_autoptr(GBytes) head = g_bytes_new (body, MIN (length, 512));

  g_ptr_array_add (headers, g_strdup ("Content-Type"));
  g_ptr_array_add (headers, g_strdup ("application/json"));
  g_ptr_array_add (headers, g_strdup ("X-Id"));
  g_ptr_array_add (headers, g_strdup ("7"));
  _ladle_response_set_status (response, "HTTP/1.1", 200, "OK", headers, "application/json",
                              "http://127.0.0.1/anything");
  _ladle_response_set_body (response, bytes, NULL, FALSE, length, head);
  return response;
}

static void
check_result (const LadleHttpAssertResult *result,
              const LadleHttpAssertLine   *line)
{
  g_assert_nonnull (result);
  g_assert_cmpstr (result->text, ==, line->text);
  g_assert_cmpuint (result->line, ==, line->line);
  g_assert_cmpint (result->verdict, >=, LADLE_HTTP_VERDICT_PASSED);
  g_assert_cmpint (result->verdict, <=, LADLE_HTTP_VERDICT_ERROR);
  if (result->verdict == LADLE_HTTP_VERDICT_PASSED)
    g_assert_null (result->message);
  else
    {
      g_assert_nonnull (result->message);
      g_assert_true (g_utf8_validate (result->message, -1, NULL));
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char http[] = "# @name login\nGET http://127.0.0.1/anything\n";
  g_autoptr(LadleHttpFile) file = NULL;
  g_autoptr(LadleHttpScope) scope = NULL;
  g_autoptr(LadleResponse) response = NULL;
  g_autoptr(LadleHttpAssertResult) without = NULL;
  g_autoptr(LadleHttpAssertResult) with = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *nul;
  LadleHttpEntry *entry;
  LadleHttpAssertLine line;
  gboolean valid;

  if (size > MAX_INPUT_SIZE)
    return 0;

  nul = memchr (data, '\0', size);
  text = g_utf8_make_valid ((const char *) data,
                           nul != NULL ? (gssize) (nul - (const char *) data) : (gssize) size);
  if (nul != NULL)
    response = make_response (nul + 1, size - (nul + 1 - (const char *) data));
  else
    response = make_response (default_body, strlen (default_body));

  file = ladle_http_file_parse ("/fuzz/assert.http", http, -1);
  entry = g_ptr_array_index (ladle_http_file_get_entries (file), 0);
  scope = ladle_http_scope_new (NULL, NULL);
  ladle_http_scope_set_override (scope, "v", "7");
  ladle_http_scope_set_response (scope, file, "login", response);

  valid = ladle_http_assert_validate (text, &error);
  if (!valid)
    {
      if (error == NULL || error->domain != LADLE_ERROR)
        {
          fprintf (stderr, "fuzz-http-assert: “%s” is refused without a LADLE_ERROR\n", text);
          abort ();
        }
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
  else
    g_assert_no_error (error);

  line.text = text;
  line.line = 3;
  line.column = 4;

  without = ladle_http_assert_check (scope, file, entry, &line, NULL, 12.5);
  check_result (without, &line);
  g_assert_cmpint (without->verdict, !=, LADLE_HTTP_VERDICT_PASSED);
  g_assert_cmpint (without->verdict, !=, LADLE_HTTP_VERDICT_FAILED);

  with = ladle_http_assert_check (scope, file, entry, &line, response, 12.5);
  check_result (with, &line);
  if (!valid)
    g_assert_cmpint (with->verdict, !=, LADLE_HTTP_VERDICT_PASSED);

  return 0;
}
