/* test-binary-text.c
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

#include "ladle-binary-text.h"
#include "ladle-error.h"
#include "ladle-test-utils.h"

/* Bytes typed as hexadecimal or Base64: what is accepted, the bytes it makes, and the words and
 * places of every refusal (characters counted from 1, not bytes). */

typedef gboolean (*ParseFunc) (const char *text,
                               gssize      length,
                               GBytes    **out,
                               GError    **error);

static void
assert_bytes (ParseFunc   parse,
              const char *text,
              const char *expected,
              gsize       expected_size)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  if (!parse (text, -1, &bytes, &error))
    g_error ("“%s” was refused: %s", text, error->message);
  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  if (g_bytes_get_size (bytes) != expected_size ||
      (expected_size > 0 && memcmp (g_bytes_get_data (bytes, NULL), expected, expected_size) != 0))
    {
      g_autofree char *got = ladle_binary_text_format_hex (bytes);

      g_error ("“%s” gave %s", text, got);
    }
}

static void
assert_refused (ParseFunc   parse,
                const char *text,
                gssize      length,
                const char *message)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (parse (text, length, &bytes, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  g_assert_null (bytes);
  g_assert_cmpstr (error->message, ==, message);
}

#define HEX ladle_binary_text_parse_hex
#define B64 ladle_binary_text_parse_base64
#define DEADBEEF "\xde\xad\xbe\xef", 4

static void
test_hex (void)
{
  assert_bytes (HEX, "de ad be ef", DEADBEEF);
  assert_bytes (HEX, "DE AD BE EF", DEADBEEF);
  assert_bytes (HEX, "deadbeef", DEADBEEF);
  assert_bytes (HEX, "dead beef", DEADBEEF);
  assert_bytes (HEX, "0xDEADBEEF", DEADBEEF);
  assert_bytes (HEX, "0xde 0xad 0Xbe 0xef", DEADBEEF);
  assert_bytes (HEX, "0xde,0xad, 0xbe, 0xef", DEADBEEF);
  assert_bytes (HEX, "de:ad:be:ef", DEADBEEF);
  assert_bytes (HEX, "  de\tad\r\nbe\n\nef\n", DEADBEEF);
  /* A no-break space pasted from a web page is white space too. */
  assert_bytes (HEX, "de\xc2\xa0" "ad be ef", DEADBEEF);
  assert_bytes (HEX, "00 0a ff", "\0\n\xff", 3);
  assert_bytes (HEX, "", "", 0);
  assert_bytes (HEX, " \n ", "", 0);
}

static void
test_hex_refused (void)
{
  /* Half a byte, at its place. */
  assert_refused (HEX, "de ad b", -1,
                  "Character 7: “b” is half a byte: each byte takes two hexadecimal digits");
  assert_refused (HEX, "dea dbeef", -1,
                  "Character 1: “dea” has an odd number of digits: each byte takes two "
                  "hexadecimal digits");
  assert_refused (HEX, "0123456789abcdef0", -1,
                  "Character 1: “0123456789abcdef…” has an odd number of digits: each byte "
                  "takes two hexadecimal digits");
  assert_refused (HEX, "0xabc", -1,
                  "Character 1: “0xabc” has an odd number of digits: each byte takes two "
                  "hexadecimal digits");
  /* A character that is not a digit: the place counts characters, not bytes. */
  assert_refused (HEX, "de ad be eg", -1,
                  "Character 11: “g” is not a hexadecimal digit");
  assert_refused (HEX, "ÿÿ de g", -1, "Character 1: “ÿ” is not a hexadecimal digit");
  assert_refused (HEX, "de ад", -1, "Character 4: “а” is not a hexadecimal digit");
  assert_refused (HEX, "дд de g", -1, "Character 1: “д” is not a hexadecimal digit");
  assert_refused (HEX, "ab ab ab — cd", -1, "Character 10: “—” is not a hexadecimal digit");
  /* Lines: the line and the character in it. */
  assert_refused (HEX, "de ad\nbe eg", -1,
                  "Line 2, character 5: “g” is not a hexadecimal digit");
  assert_refused (HEX, "de\n\nад", -1, "Line 3, character 1: “а” is not a hexadecimal digit");
  assert_refused (HEX, "de ad\nb", -1,
                  "Line 2, character 1: “b” is half a byte: each byte takes two hexadecimal "
                  "digits");
  /* What cannot be seen is named by its code point. */
  assert_refused (HEX, "de\xe2\x80\x8b" "ad", -1,
                  "Character 3: U+200B is not a hexadecimal digit");
  assert_refused (HEX, "de\0ad", 5, "Character 3: U+0000 is not a hexadecimal digit");
  assert_refused (HEX, "de\x01", -1, "Character 3: U+0001 is not a hexadecimal digit");
  /* "0x" without digits. */
  assert_refused (HEX, "de 0x", -1, "Character 4: “0x” is not followed by hexadecimal digits");
  assert_refused (HEX, "0x ad", -1, "Character 1: “0x” is not followed by hexadecimal digits");
  assert_refused (HEX, "0xzz", -1, "Character 3: “z” is not a hexadecimal digit");
  assert_refused (HEX, "de0xad", -1, "Character 4: “x” is not a hexadecimal digit");
  assert_refused (HEX, "-de", -1, "Character 1: “-” is not a hexadecimal digit");
  /* Not UTF-8. */
  assert_refused (HEX, "de \xff", -1, "Character 4: not valid UTF-8");
  assert_refused (HEX, "de \xd0", -1, "Character 4: not valid UTF-8");
}

static void
test_base64 (void)
{
  assert_bytes (B64, "3q2+7w==", DEADBEEF);
  assert_bytes (B64, "3q2+7w", DEADBEEF);
  assert_bytes (B64, "3q2-7w", DEADBEEF);       /* URL-safe */
  assert_bytes (B64, "3q2-7w==", DEADBEEF);
  assert_bytes (B64, " 3q2+\n7w = =\n", DEADBEEF);
  assert_bytes (B64, "/w==", "\xff", 1);
  assert_bytes (B64, "_w", "\xff", 1);
  assert_bytes (B64, "//8=", "\xff\xff", 2);
  assert_bytes (B64, "__8", "\xff\xff", 2);
  assert_bytes (B64, "SGVsbG8sIHdvcmxkIQ==", "Hello, world!", 13);
  assert_bytes (B64, "AAAA", "\0\0\0", 3);
  assert_bytes (B64, "", "", 0);
  assert_bytes (B64, "\n", "", 0);
  /* Unused bits of the last character are ignored. */
  assert_bytes (B64, "3q2+7x==", DEADBEEF);
}

static void
test_base64_refused (void)
{
  assert_refused (B64, "3q2+7w!=", -1, "Character 7: “!” is not a Base64 character");
  assert_refused (B64, "3q2+ж7w", -1, "Character 5: “ж” is not a Base64 character");
  assert_refused (B64, "3q2+\n7w.", -1, "Line 2, character 3: “.” is not a Base64 character");
  assert_refused (B64, "3q\xe2\x80\x8b" "2+", -1, "Character 3: U+200B is not a Base64 character");
  assert_refused (B64, "3q==7w==", -1,
                  "Character 5: “7” comes after the padding “=”, which can only end the text");
  assert_refused (B64, "3q2+7", -1,
                  "Character 5: “7” is alone in the last group of four: a byte takes at least "
                  "two Base64 characters");
  assert_refused (B64, "3q2+7===", -1,
                  "Character 5: “7” is alone in the last group of four: a byte takes at least "
                  "two Base64 characters");
  assert_refused (B64, "3q2+7w=", -1,
                  "Character 7: the last group needs two “=” of padding, or none");
  assert_refused (B64, "3q2+7w===", -1,
                  "Character 7: the last group needs two “=” of padding, or none");
  assert_refused (B64, "3q2+7w8==", -1,
                  "Character 8: the last group needs one “=” of padding, or none");
  assert_refused (B64, "3q2+=", -1,
                  "Character 5: “=” pads a group of four that is already complete");
  assert_refused (B64, "=", -1, "Character 1: “=” pads a group of four that is already complete");
  assert_refused (B64, "3q2+\xc3", -1, "Character 5: not valid UTF-8");
}

static void
test_format (void)
{
  g_autoptr(GBytes) deadbeef = g_bytes_new_static (DEADBEEF);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) all = NULL;
  g_autofree char *hex = ladle_binary_text_format_hex (deadbeef);
  g_autofree char *base64 = ladle_binary_text_format_base64 (deadbeef);
  g_autofree char *empty_hex = ladle_binary_text_format_hex (empty);
  g_autofree char *empty_base64 = ladle_binary_text_format_base64 (empty);
  guint8 every[256];

  g_assert_cmpstr (hex, ==, "de ad be ef");
  g_assert_cmpstr (base64, ==, "3q2+7w==");
  g_assert_cmpstr (empty_hex, ==, "");
  g_assert_cmpstr (empty_base64, ==, "");

  /* Every byte value, both ways. */
  for (guint i = 0; i < 256; i++)
    every[i] = (guint8) i;
  for (gsize n = 0; n <= sizeof every; n++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (every, n);
      g_autofree char *as_hex = ladle_binary_text_format_hex (bytes);
      g_autofree char *as_base64 = ladle_binary_text_format_base64 (bytes);
      g_autoptr(GBytes) from_hex = NULL;
      g_autoptr(GBytes) from_base64 = NULL;

      g_assert_true (ladle_binary_text_parse_hex (as_hex, -1, &from_hex, NULL));
      g_assert_true (ladle_binary_text_parse_base64 (as_base64, -1, &from_base64, NULL));
      g_assert_true (g_bytes_equal (from_hex, bytes));
      g_assert_true (g_bytes_equal (from_base64, bytes));
      g_assert_cmpuint (strlen (as_hex), ==, n == 0 ? 0 : n * 3 - 1);
    }
}

/* A long text is read in one pass: 8 MB of hexadecimal, and an error at its very end. */
static void
test_large (void)
{
  gsize n = 4 * 1024 * 1024;
  g_autoptr(GString) text = g_string_sized_new (n * 2 + 8);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;

  for (gsize i = 0; i < n; i++)
    g_string_append (text, "a5");
  g_assert_true (ladle_binary_text_parse_hex (text->str, text->len, &bytes, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, n);
  g_clear_pointer (&bytes, g_bytes_unref);

  g_string_append (text, " x");
  g_assert_false (ladle_binary_text_parse_hex (text->str, text->len, &bytes, &error));
  expected = g_strdup_printf ("Character %" G_GSIZE_FORMAT ": “x” is not a hexadecimal digit",
                              n * 2 + 2);
  g_assert_cmpstr (error->message, ==, expected);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  g_test_add_func ("/ladle/binary-text/hex", test_hex);
  g_test_add_func ("/ladle/binary-text/hex-refused", test_hex_refused);
  g_test_add_func ("/ladle/binary-text/base64", test_base64);
  g_test_add_func ("/ladle/binary-text/base64-refused", test_base64_refused);
  g_test_add_func ("/ladle/binary-text/format", test_format);
  g_test_add_func ("/ladle/binary-text/large", test_large);

  return ladle_test_run ();
}
