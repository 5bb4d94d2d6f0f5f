/* fuzz-httpbin-headers.c
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

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "ladle-httpbin-private.h"

/* libFuzzer harness for the header parsers of the httpbin endpoints: Range, Authorization:
 * Digest, Cookie, If-Match/If-None-Match. Each input is one header value (up to its first NUL,
 * as a header cannot hold one). None may crash or read past the value; what they return must hold
 * together: positions within their cap, digest credentials complete, cookie names trimmed and
 * without ';' or '=', and a cookie value quoted as werkzeug quotes it must read back unchanged. */

#define MAX_INPUT_SIZE (LADLE_HTTPBIN_MAX_HEADER + 64)

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

G_GNUC_NORETURN static void
fail (const char *what,
      const char *input)
{
  g_autofree char *escaped = g_strescape (input, NULL);

  fprintf (stderr, "fuzz-httpbin-headers: %s\n  input: \"%s\"\n", what, escaped);
  abort ();
}

static void
check_range (const char *text)
{
  LadleHttpbinRange range;

  ladle_httpbin_parse_range (text, &range);
  if ((range.has_first && (range.first > G_MAXINT32 || range.first < -(gint64) G_MAXINT32)) ||
      (range.has_last && (range.last > G_MAXINT32 || range.last < -(gint64) G_MAXINT32)))
    fail ("a range position beyond its cap", text);
  if ((range.has_first || range.has_last) && strstr (text, "bytes") == NULL)
    fail ("a range without \"bytes\"", text);
}

static void
check_digest (const char *text)
{
  g_auto(LadleHttpbinDigest) digest = { 0 };
  size_t len = strlen (text);

  if (!ladle_httpbin_parse_digest (text, &digest))
    {
      if (digest.username != NULL || digest.nonce != NULL || digest.response != NULL)
        fail ("refused credentials left behind", text);
      return;
    }

  if (digest.username == NULL || digest.realm == NULL || digest.nonce == NULL ||
      digest.uri == NULL || digest.response == NULL)
    fail ("accepted credentials are incomplete", text);
  if (digest.qop != NULL && (digest.nc == NULL || digest.cnonce == NULL))
    fail ("qop without nc and cnonce", text);
  if (strlen (digest.username) > len || strlen (digest.response) > len)
    fail ("a parameter longer than the header", text);
}

static void
check_cookies (const char *text)
{
  g_autoptr(GPtrArray) pairs = ladle_httpbin_parse_cookies (text);
  size_t len = strlen (text);

  if (pairs->len % 2 != 0)
    fail ("names and values do not pair up", text);
  if (pairs->len / 2 > len + 1)
    fail ("more cookies than the header can hold", text);
  for (guint i = 0; i < pairs->len; i += 2)
    {
      const char *name = g_ptr_array_index (pairs, i);
      const char *value = g_ptr_array_index (pairs, i + 1);

      if (*name == '\0' || strpbrk (name, ";=") != NULL || g_ascii_isspace (name[0]) ||
          g_ascii_isspace (name[strlen (name) - 1]))
        fail ("a cookie name that is empty, untrimmed or holds ';' or '='", text);
      if (strlen (value) > len)
        fail ("a cookie value longer than the header", text);
    }
}

static void
check_cookie_round_trip (const char *text)
{
  g_autofree char *quoted = NULL;
  g_autofree char *header = NULL;
  g_autoptr(GPtrArray) pairs = NULL;

  if (!g_utf8_validate (text, -1, NULL))
    return;

  quoted = ladle_httpbin_cookie_quote (text);
  for (const char *p = quoted; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 || (guchar) *p >= 0x7f)
        fail ("a quoted cookie value with a control or non-ASCII byte", text);
    }

  header = g_strconcat ("k=", quoted, "; after=1", NULL);
  if (strlen (header) > LADLE_HTTPBIN_MAX_HEADER)
    return;
  pairs = ladle_httpbin_parse_cookies (header);
  if (pairs->len != 4 || !g_str_equal (g_ptr_array_index (pairs, 0), "k") ||
      !g_str_equal (g_ptr_array_index (pairs, 1), text) ||
      !g_str_equal (g_ptr_array_index (pairs, 2), "after"))
    fail ("a quoted cookie value does not read back", text);
}

static void
check_etags (const char *text)
{
  g_autoptr(GPtrArray) tags = ladle_httpbin_parse_etags (text);
  guint commas = 0;

  for (const char *p = text; *p != '\0'; p++)
    commas += *p == ',';
  if (tags->len > commas + 1)
    fail ("more tags than parts", text);
  for (guint i = 0; i < tags->len; i++)
    {
      if (strchr (g_ptr_array_index (tags, i), '"') != NULL)
        fail ("a tag with a quote", text);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;

  if (size > MAX_INPUT_SIZE)
    return 0;

  text = g_strndup ((const char *) data, size);
  check_range (text);
  check_digest (text);
  check_cookies (text);
  check_cookie_round_trip (text);
  check_etags (text);
  return 0;
}
