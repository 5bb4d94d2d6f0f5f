/* ladle-binary-text.c
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

#include "ladle-binary-text.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ladle-error.h"

/* Both parsers read the text one character at a time (a single pass, no recursion, nothing kept
 * but the output), so their cost is linear in the text, whatever it holds.
 *
 * Hexadecimal: groups of digits between separators (white space, commas, colons), each group an
 * even number of digits, with an optional "0x" before it: "de ad be ef", "deadbeef", "0xde,0xad",
 * "DE:AD:BE:EF". A group with an odd number of digits is an error rather than a guess: "1 2 3"
 * might mean 01 02 03 or 12 3?, so Ladle asks.
 *
 * Base64 (RFC 4648): the standard and the URL-safe alphabets, even mixed; white space anywhere;
 * padding optional, but when present it must be what the last group needs, and only at the end.
 * Unused bits of the last character are ignored, as most decoders do. */

#define QUOTE_MAX_CHARS 16

typedef struct
{
  const char *p;
  const char *end;
  guint       line;       /* of the character at p, from 1 */
  guint       column;     /* in characters, from 1 */
  gboolean    multiline;
} Cursor;

/* What the cursor returns for bytes that are not UTF-8. */
#define NOT_UTF8 ((gunichar) -1)

static void
cursor_init (Cursor     *c,
             const char *text,
             gssize      length)
{
  gsize size = length < 0 ? strlen (text) : (gsize) length;

  c->p = text;
  c->end = text + size;
  c->line = 1;
  c->column = 1;
  c->multiline = memchr (text, '\n', size) != NULL;
}

/* The character at the cursor, and its size in bytes. A NUL byte is U+0000. */
static gunichar
cursor_peek (const Cursor *c,
             gsize        *size)
{
  guchar first = (guchar) *c->p;
  gunichar ch;

  if (first < 0x80)
    {
      *size = 1;
      return first;
    }
  ch = g_utf8_get_char_validated (c->p, c->end - c->p);
  if (ch == (gunichar) -1 || ch == (gunichar) -2)
    {
      *size = 1;
      return NOT_UTF8;
    }
  *size = g_utf8_next_char (c->p) - c->p;
  return ch;
}

static void
cursor_advance (Cursor   *c,
                gunichar  ch,
                gsize     size)
{
  c->p += size;
  if (ch == '\n')
    {
      c->line = c->line < G_MAXUINT ? c->line + 1 : c->line;
      c->column = 1;
    }
  else if (c->column < G_MAXUINT)
    c->column++;
}

/* "Character 7" or "Line 2, character 5" */
static char *
position (const Cursor *c,
          guint         line,
          guint         column)
{
  if (!c->multiline)
    /* Translators: where a mistake is in the message being typed; counted from 1. */
    return g_strdup_printf (_("Character %u"), column);
  /* Translators: where a mistake is in the message being typed; both counted from 1. */
  return g_strdup_printf (_("Line %u, character %u"), line, column);
}

/* A character as a message shows it: quoted when it can be seen, else its code point. */
static char *
describe_char (gunichar ch)
{
  if (g_unichar_isgraph (ch))
    {
      char buffer[8] = { 0 };

      g_unichar_to_utf8 (ch, buffer);
      /* Translators: one character or a few, quoted in a message. */
      return g_strdup_printf (_("“%s”"), buffer);
    }
  return g_strdup_printf ("U+%04X", ch);
}

static gboolean
fail_not_utf8 (const Cursor  *c,
               GError       **error)
{
  g_autofree char *where = position (c, c->line, c->column);

  /* Translators: %s is a place such as "Character 7". */
  g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, _("%s: not valid UTF-8"), where);
  return FALSE;
}

static gboolean
is_separator (gunichar ch)
{
  return g_unichar_isspace (ch) || ch == ',' || ch == ':';
}

/**
 * ladle_binary_text_parse_hex:
 * @text: the text, UTF-8
 * @length: its size in bytes, or -1 when NUL-terminated
 * @out: (out): the bytes
 *
 * Returns: FALSE with a LADLE_ERROR_PARSE when @text is not hexadecimal bytes
 */
gboolean
ladle_binary_text_parse_hex (const char  *text,
                             gssize       length,
                             GBytes     **out,
                             GError     **error)
{
  g_autoptr(GByteArray) bytes = NULL;
  Cursor c;

  g_return_val_if_fail (text != NULL || length == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  cursor_init (&c, text != NULL ? text : "", length);
  bytes = g_byte_array_sized_new ((guint) MIN ((gsize) (c.end - c.p) / 2, 64 * 1024));

  while (c.p < c.end)
    {
      const char *group_start = c.p;
      guint group_line = c.line;
      guint group_column = c.column;
      int pending = -1;
      gsize size;
      gunichar ch = cursor_peek (&c, &size);

      if (ch == NOT_UTF8)
        return fail_not_utf8 (&c, error);
      if (is_separator (ch))
        {
          cursor_advance (&c, ch, size);
          continue;
        }

      /* A group: "0x" perhaps, then digits up to a separator or the end. */
      if (ch == '0' && c.end - c.p >= 2 && (c.p[1] == 'x' || c.p[1] == 'X'))
        {
          gunichar next = 0;

          cursor_advance (&c, '0', 1);
          cursor_advance (&c, 'x', 1);
          if (c.p < c.end)
            next = cursor_peek (&c, &size);
          if (c.p == c.end || (next != NOT_UTF8 && is_separator (next)))
            {
              g_autofree char *where = position (&c, group_line, group_column);
              g_autofree char *prefix = g_strndup (group_start, 2);
              g_autofree char *shown = NULL;

              /* Translators: the quotes of a quoted text, as in “%s”. */
              shown = g_strdup_printf (_("“%s”"), prefix);
              /* Translators: the first %s is a place such as "Character 7", the second "0x". */
              g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                           _("%s: %s is not followed by hexadecimal digits"), where, shown);
              return FALSE;
            }
        }

      while (c.p < c.end)
        {
          int value;

          ch = cursor_peek (&c, &size);
          if (ch == NOT_UTF8)
            return fail_not_utf8 (&c, error);
          if (is_separator (ch))
            break;
          value = ch < 0x80 ? g_ascii_xdigit_value ((char) ch) : -1;
          if (value < 0)
            {
              g_autofree char *where = position (&c, c.line, c.column);
              g_autofree char *shown = describe_char (ch);

              /* Translators: the first %s is a place such as "Character 7", the second the
               * character, quoted. */
              g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                           _("%s: %s is not a hexadecimal digit"), where, shown);
              return FALSE;
            }
          if (pending < 0)
            pending = value;
          else
            {
              guint8 byte = (guint8) (pending << 4 | value);

              g_byte_array_append (bytes, &byte, 1);
              pending = -1;
            }
          cursor_advance (&c, ch, size);
        }

      if (pending >= 0)
        {
          g_autofree char *where = position (&c, group_line, group_column);
          gsize group_size = c.p - group_start;   /* ASCII digits only, after the loop above */
          g_autofree char *group = NULL;
          g_autofree char *shown = NULL;

          if (group_size > QUOTE_MAX_CHARS)
            group = g_strdup_printf ("%.*s…", QUOTE_MAX_CHARS, group_start);
          else
            group = g_strndup (group_start, group_size);
          shown = g_strdup_printf (_("“%s”"), group);
          if (group_size == 1)
            /* Translators: the first %s is a place such as "Character 7", the second one
             * hexadecimal digit, quoted. */
            g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                         _("%s: %s is half a byte: each byte takes two hexadecimal digits"),
                         where, shown);
          else
            /* Translators: the first %s is a place such as "Character 7", the second a group of
             * hexadecimal digits, quoted. */
            g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                         _("%s: %s has an odd number of digits: each byte takes two hexadecimal digits"),
                         where, shown);
          return FALSE;
        }
    }

  *out = g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
  return TRUE;
}

static int
base64_value (gunichar ch)
{
  if (ch >= 'A' && ch <= 'Z')
    return ch - 'A';
  if (ch >= 'a' && ch <= 'z')
    return ch - 'a' + 26;
  if (ch >= '0' && ch <= '9')
    return ch - '0' + 52;
  if (ch == '+' || ch == '-')
    return 62;
  if (ch == '/' || ch == '_')
    return 63;
  return -1;
}

/**
 * ladle_binary_text_parse_base64:
 * @text: the text, UTF-8
 * @length: its size in bytes, or -1 when NUL-terminated
 * @out: (out): the bytes
 *
 * Returns: FALSE with a LADLE_ERROR_PARSE when @text is not Base64
 */
gboolean
ladle_binary_text_parse_base64 (const char  *text,
                                gssize       length,
                                GBytes     **out,
                                GError     **error)
{
  g_autoptr(GByteArray) bytes = NULL;
  guint64 n_data = 0;
  guint n_padding = 0;
  guint pad_line = 0, pad_column = 0;
  guint last_line = 0, last_column = 0;
  gunichar last = 0;
  guint accumulator = 0;
  guint n_bits = 0;
  Cursor c;

  g_return_val_if_fail (text != NULL || length == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  cursor_init (&c, text != NULL ? text : "", length);
  bytes = g_byte_array_sized_new ((guint) MIN ((gsize) (c.end - c.p) / 4 * 3, 64 * 1024));

  while (c.p < c.end)
    {
      gsize size;
      gunichar ch = cursor_peek (&c, &size);
      int value;

      if (ch == NOT_UTF8)
        return fail_not_utf8 (&c, error);
      if (g_unichar_isspace (ch))
        {
          cursor_advance (&c, ch, size);
          continue;
        }
      if (ch == '=')
        {
          if (n_padding == 0)
            {
              pad_line = c.line;
              pad_column = c.column;
            }
          n_padding++;
          cursor_advance (&c, ch, size);
          continue;
        }

      value = base64_value (ch);
      if (value < 0)
        {
          g_autofree char *where = position (&c, c.line, c.column);
          g_autofree char *shown = describe_char (ch);

          /* Translators: the first %s is a place such as "Character 7", the second the
           * character, quoted. */
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                       _("%s: %s is not a Base64 character"), where, shown);
          return FALSE;
        }
      if (n_padding > 0)
        {
          g_autofree char *where = position (&c, c.line, c.column);
          g_autofree char *shown = describe_char (ch);

          /* Translators: the first %s is a place such as "Character 7", the second the
           * character, quoted. */
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                       _("%s: %s comes after the padding “=”, which can only end the text"),
                       where, shown);
          return FALSE;
        }

      accumulator = ((accumulator << 6) | (guint) value) & 0xfff;
      n_bits += 6;
      if (n_bits >= 8)
        {
          guint8 byte;

          n_bits -= 8;
          byte = (guint8) (accumulator >> n_bits);
          g_byte_array_append (bytes, &byte, 1);
        }
      n_data++;
      last = ch;
      last_line = c.line;
      last_column = c.column;
      cursor_advance (&c, ch, size);
    }

  switch (n_data % 4)
    {
    case 1:
      {
        g_autofree char *where = position (&c, last_line, last_column);
        g_autofree char *shown = describe_char (last);

        /* Translators: the first %s is a place such as "Character 7", the second the
         * character, quoted. */
        g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                     _("%s: %s is alone in the last group of four: a byte takes at least two Base64 characters"),
                     where, shown);
        return FALSE;
      }

    case 0:
      if (n_padding > 0)
        {
          g_autofree char *where = position (&c, pad_line, pad_column);

          /* Translators: %s is a place such as "Character 7". */
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                       _("%s: “=” pads a group of four that is already complete"), where);
          return FALSE;
        }
      break;

    default:
      if (n_padding > 0 && n_padding != 4 - n_data % 4)
        {
          g_autofree char *where = position (&c, pad_line, pad_column);

          if (n_data % 4 == 3)
            /* Translators: %s is a place such as "Character 7". */
            g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                         _("%s: the last group needs one “=” of padding, or none"), where);
          else
            /* Translators: %s is a place such as "Character 7". */
            g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                         _("%s: the last group needs two “=” of padding, or none"), where);
          return FALSE;
        }
      break;
    }

  *out = g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
  return TRUE;
}

/**
 * ladle_binary_text_format_hex:
 *
 * Returns: (transfer full): @bytes as "de ad be ef" ("" for none)
 */
char *
ladle_binary_text_format_hex (GBytes *bytes)
{
  static const char digits[] = "0123456789abcdef";
  gsize size;
  const guint8 *data;
  char *text, *p;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &size);
  if (size == 0)
    return g_strdup ("");
  p = text = g_malloc (size * 3);
  for (gsize i = 0; i < size; i++)
    {
      if (i > 0)
        *p++ = ' ';
      *p++ = digits[data[i] >> 4];
      *p++ = digits[data[i] & 0xf];
    }
  *p = '\0';
  return text;
}

/**
 * ladle_binary_text_format_base64:
 *
 * Returns: (transfer full): @bytes in standard, padded Base64 ("" for none)
 */
char *
ladle_binary_text_format_base64 (GBytes *bytes)
{
  gsize size;
  const guint8 *data;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &size);
  if (size == 0)
    return g_strdup ("");
  return g_base64_encode (data, size);
}
