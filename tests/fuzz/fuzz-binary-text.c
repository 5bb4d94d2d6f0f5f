/* fuzz-binary-text.c
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

#include "ladle-binary-text.h"
#include "ladle-error.h"

/* libFuzzer harness for bytes typed as hexadecimal or Base64 (ladle-binary-text). Each input is
 * read three ways: as hexadecimal text, as Base64 text, and as bytes to format.
 * - A text either parses, and then its bytes formatted and parsed again are the same bytes, and
 *   no more of them than the text allows; or it is refused with a LADLE_ERROR_PARSE whose message
 *   is valid UTF-8 and starts with its place ("Character N" or "Line N, character M", within the
 *   text).
 * - Any bytes formatted as hexadecimal or Base64 (and as URL-safe Base64 without padding) parse
 *   back to themselves. */

#define MAX_INPUT_SIZE (256 * 1024)

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void G_GNUC_NORETURN
fail (const char    *what,
      const uint8_t *data,
      size_t         size,
      const char    *detail)
{
  fprintf (stderr, "fuzz-binary-text: %s (%zu bytes of input)\n--- %s\n", what, size,
           detail != NULL ? detail : "");
  fwrite (data, 1, size, stderr);
  fputc ('\n', stderr);
  abort ();
}

/* The message names a place inside the text: a line up to the number of lines, a character up to
 * the text's length in characters (+1 at most, for the place after the last). */
static void
check_error (const GError  *error,
             const uint8_t *data,
             size_t         size)
{
  guint line = 0, column = 0;
  guint n_lines = 1;

  if (error == NULL || !g_error_matches (error, LADLE_ERROR, LADLE_ERROR_PARSE))
    fail ("refused without a LADLE_ERROR_PARSE", data, size, error != NULL ? error->message : NULL);
  if (!g_utf8_validate (error->message, -1, NULL))
    fail ("the message is not UTF-8", data, size, NULL);
  for (size_t i = 0; i < size; i++)
    n_lines += data[i] == '\n';
  if (sscanf (error->message, "Line %u, character %u:", &line, &column) == 2)
    {
      if (n_lines == 1 || line < 1 || line > n_lines || column < 1 || column > size + 1)
        fail ("the place is outside the text", data, size, error->message);
    }
  else if (sscanf (error->message, "Character %u:", &column) == 1)
    {
      if (n_lines != 1 || column < 1 || column > size + 1)
        fail ("the place is outside the text", data, size, error->message);
    }
  else
    fail ("the message does not start with its place", data, size, error->message);
}

static void
check_text (gboolean     (*parse) (const char *, gssize, GBytes **, GError **),
            char        *(*format) (GBytes *),
            gsize          max_bytes,
            const uint8_t *data,
            size_t         size)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *formatted = NULL;

  if (!parse ((const char *) data, size, &bytes, &error))
    {
      if (bytes != NULL)
        fail ("refused, with bytes", data, size, NULL);
      check_error (error, data, size);
      return;
    }
  if (error != NULL || bytes == NULL)
    fail ("accepted, without bytes or with an error", data, size, NULL);
  if (g_bytes_get_size (bytes) > max_bytes)
    fail ("more bytes than the text can hold", data, size, NULL);
  formatted = format (bytes);
  if (!parse (formatted, -1, &again, &error))
    fail ("the formatted bytes do not parse", data, size, error->message);
  if (!g_bytes_equal (bytes, again))
    fail ("the round trip changed the bytes", data, size, formatted);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) input = NULL;

  if (size > MAX_INPUT_SIZE)
    return 0;

  /* The text that GTK gives is UTF-8, but the parsers must not trust it. */
  check_text (ladle_binary_text_parse_hex, ladle_binary_text_format_hex, size / 2, data, size);
  check_text (ladle_binary_text_parse_base64, ladle_binary_text_format_base64, size * 3 / 4,
              data, size);

  input = g_bytes_new (data, size);
  {
    g_autofree char *hex = ladle_binary_text_format_hex (input);
    g_autofree char *base64 = ladle_binary_text_format_base64 (input);
    g_autoptr(GBytes) from_hex = NULL;
    g_autoptr(GBytes) from_base64 = NULL;
    g_autoptr(GBytes) from_url = NULL;
    g_autoptr(GError) error = NULL;

    if (!ladle_binary_text_parse_hex (hex, -1, &from_hex, &error) ||
        !g_bytes_equal (from_hex, input))
      fail ("bytes do not come back from hexadecimal", data, size, hex);
    if (!ladle_binary_text_parse_base64 (base64, -1, &from_base64, &error) ||
        !g_bytes_equal (from_base64, input))
      fail ("bytes do not come back from Base64", data, size, base64);

    /* URL-safe, without padding */
    for (char *p = base64; *p != '\0'; p++)
      {
        if (*p == '+')
          *p = '-';
        else if (*p == '/')
          *p = '_';
        else if (*p == '=')
          *p = '\0';
      }
    if (!ladle_binary_text_parse_base64 (base64, -1, &from_url, &error) ||
        !g_bytes_equal (from_url, input))
      fail ("bytes do not come back from URL-safe Base64", data, size, base64);
  }

  return 0;
}
