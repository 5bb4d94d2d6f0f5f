/* test-body-format.c
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
#include "ladle-test-utils.h"

#define B(s) ((const guint8 *) (s)), (sizeof (s) - 1)

static void
test_types (void)
{
  g_autofree char *a = ladle_body_dup_mime_type ("Application/JSON; charset=utf-8");
  g_autofree char *b = ladle_body_dup_mime_type ("  text/plain  ");
  g_autofree char *c = ladle_body_dup_mime_type (" ; x=y");

  g_assert_cmpstr (a, ==, "application/json");
  g_assert_cmpstr (b, ==, "text/plain");
  g_assert_null (c);
  g_assert_null (ladle_body_dup_mime_type (NULL));

  g_assert_true (ladle_body_is_json_type ("application/json"));
  g_assert_true (ladle_body_is_json_type ("application/problem+json; charset=utf-8"));
  g_assert_true (ladle_body_is_json_type ("APPLICATION/JSON"));
  g_assert_false (ladle_body_is_json_type ("application/jsonp"));
  g_assert_false (ladle_body_is_json_type ("text/json+x"));
  g_assert_false (ladle_body_is_json_type (NULL));

  g_assert_true (ladle_body_looks_like_json (B ("  \n{\"a\": 1}")));
  g_assert_true (ladle_body_looks_like_json (B ("[1]")));
  g_assert_false (ladle_body_looks_like_json (B ("hello {")));
  g_assert_false (ladle_body_looks_like_json (B ("   ")));
}

static void
test_binary (void)
{
  /* "привет" cut inside its last character: text while it is a head, not when complete */
  const char *cut = "\xd0\xbf\xd1\x80\xd0";

  g_assert_false (ladle_body_looks_binary (B ("plain text\n"), TRUE));
  g_assert_false (ladle_body_looks_binary (B ("текст"), TRUE));
  g_assert_true (ladle_body_looks_binary (B ("a\0b"), TRUE));
  g_assert_true (ladle_body_looks_binary (B ("\xff\xfe"), FALSE));
  g_assert_false (ladle_body_looks_binary ((const guint8 *) cut, 5, FALSE));
  g_assert_true (ladle_body_looks_binary ((const guint8 *) cut, 5, TRUE));
  g_assert_false (ladle_body_looks_binary (NULL, 0, TRUE));

  g_assert_cmpint (ladle_body_sniff ("application/json", B ("{}"), TRUE), ==,
                   LADLE_BODY_SNIFF_JSON);
  g_assert_cmpint (ladle_body_sniff ("application/json", B ("\x01\x00\x02"), TRUE), ==,
                   LADLE_BODY_SNIFF_BINARY);
  g_assert_cmpint (ladle_body_sniff (NULL, B (" [1, 2]"), TRUE), ==, LADLE_BODY_SNIFF_JSON);
  g_assert_cmpint (ladle_body_sniff ("text/plain", B ("{\"a\": 1}"), TRUE), ==,
                   LADLE_BODY_SNIFF_JSON);
  g_assert_cmpint (ladle_body_sniff ("text/html", B ("{\"a\": 1}"), TRUE), ==,
                   LADLE_BODY_SNIFF_TEXT);
  g_assert_cmpint (ladle_body_sniff ("application/octet-stream", B ("{\"a\": 1}"), TRUE), ==,
                   LADLE_BODY_SNIFF_BINARY);
  g_assert_cmpint (ladle_body_sniff (NULL, B ("plain words"), TRUE), ==, LADLE_BODY_SNIFF_TEXT);
  g_assert_cmpint (ladle_body_sniff ("image/png", B ("\x89PNG"), TRUE), ==,
                   LADLE_BODY_SNIFF_IMAGE);
  g_assert_cmpint (ladle_body_sniff ("image/svg+xml", B ("<svg/>"), TRUE), ==,
                   LADLE_BODY_SNIFF_TEXT);
}

static void
test_hex (void)
{
  g_autofree char *dump = ladle_body_hex_dump (B ("Ladle\0\1\2;BIPW^elHello"));
  g_autofree char *empty = ladle_body_hex_dump (NULL, 0);
  g_autoptr(GString) row = g_string_new (NULL);
  guint8 all[256];

  g_assert_cmpstr (dump, ==,
                   "00000000  4c 61 64 6c 65 00 01 02  3b 42 49 50 57 5e 65 6c  |Ladle...;BIPW^el|\n"
                   "00000010  48 65 6c 6c 6f                                    |Hello|\n");
  g_assert_cmpstr (empty, ==, "");

  ladle_body_append_hex_row (row, G_GUINT64_CONSTANT (0x123456789), B ("\x7f\x80 ~"));
  g_assert_cmpstr (row->str, ==,
                   "123456789  7f 80 20 7e                                       |.. ~|");

  /* Every byte value: one row per 16, printable ASCII as itself */
  for (guint i = 0; i < 256; i++)
    all[i] = i;
  {
    g_autofree char *whole = ladle_body_hex_dump (all, sizeof all);
    g_auto(GStrv) lines = g_strsplit (whole, "\n", -1);

    g_assert_cmpuint (g_strv_length (lines), ==, 17);
    g_assert_cmpstr (lines[4], ==,
                     "00000040  40 41 42 43 44 45 46 47  48 49 4a 4b 4c 4d 4e 4f  |@ABCDEFGHIJKLMNO|");
    g_assert_true (g_utf8_validate (whole, -1, NULL));
  }
}

static void
test_break_lines (void)
{
  gsize len = 0;
  gboolean broken = TRUE;
  g_autofree char *same = ladle_body_break_long_lines ("ab\ncd", 5, 4, &len, &broken);
  g_autofree char *cut = NULL;
  g_autofree char *utf8 = NULL;
  g_autofree char *exact = NULL;

  g_assert_cmpstr (same, ==, "ab\ncd");
  g_assert_cmpuint (len, ==, 5);
  g_assert_false (broken);

  cut = ladle_body_break_long_lines ("abcdefghij\nxy", 13, 4, &len, &broken);
  g_assert_cmpstr (cut, ==, "abcd\nefgh\nij\nxy");
  g_assert_cmpuint (len, ==, strlen (cut));
  g_assert_true (broken);

  /* Never inside a character: "ааааа" is 10 bytes; at 5 bytes a line keeps 2 letters */
  utf8 = ladle_body_break_long_lines ("ааааа", 10, 5, &len, NULL);
  g_assert_cmpstr (utf8, ==, "аа\nаа\nа");
  g_assert_true (g_utf8_validate (utf8, len, NULL));

  exact = ladle_body_break_long_lines ("abcd\nabcd", 9, 4, &len, &broken);
  g_assert_cmpstr (exact, ==, "abcd\nabcd");
  g_assert_false (broken);
}

static void
test_valid_text (void)
{
  gsize len = 0;
  g_autofree char *ok = ladle_body_dup_valid_text (B ("ok"), &len);
  g_autofree char *bad = NULL;

  g_assert_cmpstr (ok, ==, "ok");
  g_assert_cmpuint (len, ==, 2);
  bad = ladle_body_dup_valid_text (B ("a\xffz"), &len);
  g_assert_cmpstr (bad, ==, "a\xef\xbf\xbdz");
  g_assert_cmpuint (len, ==, 5);
}

static void
test_partial_notice (void)
{
  g_autofree char *notice = ladle_body_dup_partial_notice (65536, 2 * 1000 * 1000);

  g_assert_null (ladle_body_dup_partial_notice (10, 10));
  g_assert_cmpstr (notice, ==, "Showing the first 65.5\u00a0kB of 2.0\u00a0MB.");
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  g_test_add_func ("/body-format/types", test_types);
  g_test_add_func ("/body-format/binary", test_binary);
  g_test_add_func ("/body-format/hex", test_hex);
  g_test_add_func ("/body-format/break-lines", test_break_lines);
  g_test_add_func ("/body-format/valid-text", test_valid_text);
  g_test_add_func ("/body-format/partial-notice", test_partial_notice);

  return ladle_test_run ();
}
