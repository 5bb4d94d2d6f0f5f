/* ladle-body-format.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Showing bytes safely, without GTK: what a body is (text, JSON, image, binary), the hexadecimal
 * dump (as `hexdump -C` writes it), long lines broken for a text view, and valid UTF-8 for one.
 * The window's body view (src/ui/ladle-body-view.c) and the virtualised viewer's rows use these,
 * for responses, the server's request bodies and WebSocket messages alike. */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ladle-body-format.h"

/**
 * ladle_body_dup_mime_type:
 * @content_type: (nullable): a Content-Type value, parameters included
 *
 * Returns: (transfer full) (nullable): its media type alone, lower case, or %NULL
 */
char *
ladle_body_dup_mime_type (const char *content_type)
{
  const char *semi;
  g_autofree char *type = NULL;

  if (content_type == NULL)
    return NULL;
  semi = strchr (content_type, ';');
  type = g_strstrip (semi != NULL ? g_strndup (content_type, semi - content_type)
                                  : g_strdup (content_type));
  if (*type == '\0')
    return NULL;
  return g_ascii_strdown (type, -1);
}

/**
 * ladle_body_is_json_type:
 * @content_type: (nullable): a Content-Type value
 *
 * Returns: whether it names JSON: application/json, or a structured type ending in +json
 */
gboolean
ladle_body_is_json_type (const char *content_type)
{
  g_autofree char *type = ladle_body_dup_mime_type (content_type);

  return type != NULL &&
         (g_str_equal (type, "application/json") ||
          (g_str_has_prefix (type, "application/") && g_str_has_suffix (type, "+json")));
}

/**
 * ladle_body_looks_like_json:
 *
 * Returns: whether the first character that is not white space (within the first 256 bytes)
 *   opens an object or an array
 */
gboolean
ladle_body_looks_like_json (const guint8 *data,
                            gsize         len)
{
  for (gsize i = 0; i < len && i < 256; i++)
    {
      if (g_ascii_isspace (data[i]))
        continue;
      return data[i] == '{' || data[i] == '[';
    }
  return FALSE;
}

/**
 * ladle_body_looks_binary:
 * @complete: %FALSE when @data is the head of a longer body: a character cut at its end is then
 *   not a fault
 *
 * Returns: whether @data holds a NUL byte or is not UTF-8
 */
gboolean
ladle_body_looks_binary (const guint8 *data,
                         gsize         len,
                         gboolean      complete)
{
  const char *end = NULL;

  if (len == 0)
    return FALSE;
  if (memchr (data, '\0', len) != NULL)
    return TRUE;
  if (g_utf8_validate_len ((const char *) data, len, &end))
    return FALSE;
  /* A multi-byte character cut by the end of a head is still text */
  return complete || len - (gsize) (end - (const char *) data) >= 4 ||
         g_utf8_get_char_validated (end, len - (end - (const char *) data)) != (gunichar) -2;
}

/**
 * ladle_body_sniff:
 * @content_type: (nullable): what the body says it is
 * @data: its first bytes (or all of it)
 * @complete: whether @data is the whole body
 *
 * Returns: how to show the body. Binary bytes win over any type but an image's (a JSON type on
 *   bytes that are not UTF-8 is shown in hexadecimal), and application/octet-stream is binary
 *   whatever its bytes; an untyped or plain text body that looks like JSON is JSON.
 */
LadleBodySniff
ladle_body_sniff (const char   *content_type,
                  const guint8 *data,
                  gsize         len,
                  gboolean      complete)
{
  g_autofree char *type = ladle_body_dup_mime_type (content_type);

  if (type != NULL && g_str_has_prefix (type, "image/") && !g_str_equal (type, "image/svg+xml"))
    return LADLE_BODY_SNIFF_IMAGE;
  /* Said to be bytes (a binary WebSocket message, a download): bytes, whatever they look like */
  if (g_strcmp0 (type, "application/octet-stream") == 0 ||
      ladle_body_looks_binary (data, len, complete))
    return LADLE_BODY_SNIFF_BINARY;
  if (ladle_body_is_json_type (type))
    return LADLE_BODY_SNIFF_JSON;
  if ((type == NULL || g_str_equal (type, "text/plain")) && ladle_body_looks_like_json (data, len))
    return LADLE_BODY_SNIFF_JSON;
  return LADLE_BODY_SNIFF_TEXT;
}

/**
 * ladle_body_append_hex_row:
 * @len: at most %LADLE_BODY_HEX_WIDTH
 *
 * Appends one row as `hexdump -C` writes it, without a newline:
 * `00000010  48 65 6c 6c 6f 2c 20 57  6f 72 6c 64 0a           |Hello, World.|`
 */
void
ladle_body_append_hex_row (GString      *out,
                           guint64       offset,
                           const guint8 *data,
                           gsize         len)
{
  static const char digits[] = "0123456789abcdef";

  g_return_if_fail (len <= LADLE_BODY_HEX_WIDTH);

  g_string_append_printf (out, "%08" G_GINT64_MODIFIER "x  ", offset);
  for (gsize i = 0; i < LADLE_BODY_HEX_WIDTH; i++)
    {
      if (i < len)
        {
          g_string_append_c (out, digits[data[i] >> 4]);
          g_string_append_c (out, digits[data[i] & 0xf]);
          g_string_append_c (out, ' ');
        }
      else
        g_string_append (out, "   ");
      if (i == 7)
        g_string_append_c (out, ' ');
    }
  g_string_append (out, " |");
  for (gsize i = 0; i < len; i++)
    g_string_append_c (out, data[i] >= 0x20 && data[i] < 0x7f ? (char) data[i] : '.');
  g_string_append_c (out, '|');
}

/**
 * ladle_body_hex_dump:
 *
 * Returns: (transfer full): @data as hexadecimal rows, each ended by a newline
 */
char *
ladle_body_hex_dump (const guint8 *data,
                     gsize         len)
{
  GString *out = g_string_sized_new ((len / LADLE_BODY_HEX_WIDTH + 1) * 80);

  for (gsize row = 0; row < len; row += LADLE_BODY_HEX_WIDTH)
    {
      ladle_body_append_hex_row (out, row, data + row, MIN (LADLE_BODY_HEX_WIDTH, len - row));
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

/**
 * ladle_body_break_long_lines:
 * @text: valid UTF-8, @len bytes
 * @max_line: the longest line kept whole, in bytes
 * @out_len: (out): the length of the result
 * @out_broken: (out) (optional): whether a line was broken
 *
 * Returns: (transfer full): @text with a newline inserted, at a character boundary, so that no
 *   line is longer than @max_line bytes (a character longer than that stays whole)
 */
char *
ladle_body_break_long_lines (const char *text,
                             gsize       len,
                             gsize       max_line,
                             gsize      *out_len,
                             gboolean   *out_broken)
{
  GString *out = NULL;
  const char *line = text;
  const char *end = text + len;

  g_return_val_if_fail (max_line >= 4, NULL);

  if (out_broken != NULL)
    *out_broken = FALSE;
  while (line < end)
    {
      const char *nl = memchr (line, '\n', end - line);
      const char *line_end = nl != NULL ? nl : end;

      if ((gsize) (line_end - line) > max_line)
        {
          if (out == NULL)
            out = g_string_new_len (text, line - text);
          while ((gsize) (line_end - line) > max_line)
            {
              const char *cut = line + max_line;

              /* Back to the start of the character the limit falls in */
              while (cut > line && ((guchar) *cut & 0xc0) == 0x80)
                cut--;
              if (cut == line)
                cut = line + max_line;
              g_string_append_len (out, line, cut - line);
              g_string_append_c (out, '\n');
              line = cut;
            }
          if (out_broken != NULL)
            *out_broken = TRUE;
        }
      if (out != NULL)
        g_string_append_len (out, line, line_end - line + (nl != NULL ? 1 : 0));
      line = nl != NULL ? nl + 1 : end;
    }

  if (out == NULL)
    {
      *out_len = len;
      return g_strndup (text, len);
    }
  *out_len = out->len;
  return g_string_free (out, FALSE);
}

/**
 * ladle_body_dup_valid_text:
 * @out_len: (out): the length of the result
 *
 * Returns: (transfer full): @data as valid UTF-8 (invalid bytes replaced by U+FFFD), which a text
 *   view requires (doc/STACK.md §11)
 */
char *
ladle_body_dup_valid_text (const guint8 *data,
                           gsize         len,
                           gsize        *out_len)
{
  char *text;

  if (g_utf8_validate_len ((const char *) data, len, NULL))
    {
      *out_len = len;
      return g_strndup ((const char *) data, len);
    }
  text = g_utf8_make_valid ((const char *) data, len);
  *out_len = strlen (text);
  return text;
}

/**
 * ladle_body_dup_partial_notice:
 *
 * Returns: (transfer full) (nullable): "Showing the first 64.0 kB of 2.1 MB.", or %NULL when
 *   @shown is the whole body
 */
char *
ladle_body_dup_partial_notice (guint64 shown,
                               guint64 total)
{
  g_autofree char *shown_text = NULL;
  g_autofree char *total_text = NULL;

  if (shown >= total)
    return NULL;
  shown_text = g_format_size (shown);
  total_text = g_format_size (total);
  /* Translators: "Showing the first 5.2 MB of 40.1 MB." */
  return g_strdup_printf (_("Showing the first %s of %s."), shown_text, total_text);
}
