/* test-http-syntax.c
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

#include "ladle-error.h"
#include "ladle-http-syntax.h"
#include "ladle-test-utils.h"

static void
test_token (void)
{
  const char *good[] = { "GET", "PROPFIND", "M-SEARCH", "x!#$%&'*+-.^_`|~9", "a" };
  const char *bad[] = { "", "GET /x", "GET\r\n", "A:B", "(x)", "\"q\"", "Ĝ", "a\tb", "a@b" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (ladle_http_is_token (good[i], -1));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (ladle_http_is_token (bad[i], -1));
  g_assert_false (ladle_http_is_token (NULL, -1));
  /* Lengths are honoured: a NUL inside is not a token character */
  g_assert_false (ladle_http_is_token ("GE\0T", 4));
  g_assert_true (ladle_http_is_token ("GET /", 3));
}

static void
test_method (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ladle_http_check_method ("DELETE", &error));
  g_assert_no_error (error);

  /* The smuggling case of the report: two requests on the wire */
  g_assert_false (ladle_http_check_method ("GET /x HTTP/1.1\r\nHost: a\r\n\r\nDELETE", &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "“GET /x HTTP/1.1\\r\\nHost: a\\r\\n\\r\\nDELETE”"));
  g_clear_error (&error);

  g_assert_false (ladle_http_check_method ("", &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
}

static void
test_header (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ladle_http_check_header ("X-Id", "a\tb ä ©", &error));
  g_assert_true (ladle_http_check_header ("X-Empty", "", &error));
  g_assert_no_error (error);

  g_assert_false (ladle_http_check_header ("X-Evil", "a\r\nSet-Cookie: x=1", &error));
  g_assert_nonnull (strstr (error->message, "line break"));
  g_clear_error (&error);
  g_assert_false (ladle_http_check_header ("X-Evil", "a\nb", &error));
  g_clear_error (&error);
  g_assert_false (ladle_http_check_header ("X-Bell", "a\007b", &error));
  g_assert_nonnull (strstr (error->message, "\\x07"));
  g_clear_error (&error);
  g_assert_false (ladle_http_check_header ("Bad Name", "v", &error));
  g_assert_nonnull (strstr (error->message, "“Bad Name”"));
  g_clear_error (&error);
  g_assert_false (ladle_http_check_header ("X:Y", "v", &error));
  g_clear_error (&error);
  g_assert_false (ladle_http_check_header ("", "v", &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
}

static void
test_escape (void)
{
  g_autofree char *a = ladle_http_escape_for_display ("a\r\nb\tc\\d", -1, 0);
  g_autofree char *b = ladle_http_escape_for_display ("ключ \xff\x01 \xc2\x85", -1, 0);
  g_autofree char *c = ladle_http_escape_for_display ("abcdefgh", -1, 4);
  g_autofree char *d = ladle_http_escape_for_display ("a\0b", 3, 0);

  g_assert_cmpstr (a, ==, "a\\r\\nb\\tc\\\\d");
  g_assert_cmpstr (b, ==, "ключ \\xff\\x01 \\x85");
  g_assert_cmpstr (c, ==, "abcd…");
  g_assert_cmpstr (d, ==, "a\\x00b");
}

/* Loopback hosts are the ones reached without a proxy */
static void
test_loopback (void)
{
  static const char * const loopback[] = { "127.0.0.1", "127.1.2.3", "::1", "localhost",
                                           "LOCALHOST", "localhost.", "api.localhost",
                                           "::ffff:127.0.0.1", "0:0:0:0:0:0:0:1" };
  static const char * const other[] = { "", "128.0.0.1", "10.0.0.1", "::2", "example.com",
                                        "localhost.example.com", "notlocalhost", "xlocalhost",
                                        "::ffff:10.0.0.1", "[::1]", "127.0.0.1.example" };

  for (guint i = 0; i < G_N_ELEMENTS (loopback); i++)
    {
      g_test_message ("%s", loopback[i]);
      g_assert_true (ladle_http_host_is_loopback (loopback[i]));
    }
  for (guint i = 0; i < G_N_ELEMENTS (other); i++)
    {
      g_test_message ("%s", other[i]);
      g_assert_false (ladle_http_host_is_loopback (other[i]));
    }
  g_assert_false (ladle_http_host_is_loopback (NULL));
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  g_test_add_func ("/http-syntax/token", test_token);
  g_test_add_func ("/http-syntax/method", test_method);
  g_test_add_func ("/http-syntax/header", test_header);
  g_test_add_func ("/http-syntax/escape", test_escape);
  g_test_add_func ("/http-syntax/loopback", test_loopback);

  return ladle_test_run ();
}
