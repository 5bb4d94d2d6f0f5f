/* ladle-json-indenter.c
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

#include <glib/gi18n.h>

#include "ladle-json-indenter.h"

#include "ladle-error.h"

/* A byte-level state machine: json-glib would build the whole tree (doc/STACK.md §12), this keeps
 * only the container stack, so memory is O(depth) whatever the size of the document. Strings,
 * numbers and literals are copied byte for byte; only whitespace between tokens changes. */

#define STREAM_CHUNK (64 * 1024)

typedef enum
{
  STATE_VALUE_TOP,     /* the document's value */
  STATE_VALUE_MEMBER,  /* a member's value, after ':' */
  STATE_ARRAY_FIRST,   /* after '[': a value or ']' */
  STATE_ARRAY_NEXT,    /* after ',' in an array: a value */
  STATE_OBJECT_FIRST,  /* after '{': a member name or '}' */
  STATE_OBJECT_NEXT,   /* after ',' in an object: a member name */
  STATE_COLON,         /* after a member name */
  STATE_AFTER_VALUE,   /* ',' or the closing bracket */
  STATE_DONE,          /* only whitespace may follow */
} State;

typedef enum
{
  TOKEN_NONE,
  TOKEN_STRING,
  TOKEN_NUMBER,
  TOKEN_LITERAL,
} Token;

typedef enum
{
  NUM_MINUS,      /* '-': a digit must follow */
  NUM_ZERO,       /* a leading 0: no more integer digits */
  NUM_INT,
  NUM_DOT,        /* '.': a digit must follow */
  NUM_FRAC,
  NUM_E,          /* 'e': a sign or a digit must follow */
  NUM_E_SIGN,     /* a digit must follow */
  NUM_EXP,
} NumberState;

#define MAX_LITERAL 8

struct _LadleJsonIndenter
{
  guint        indent;
  State        state;
  Token        token;
  GByteArray  *stack;      /* '{' or '[' per open container */

  /* Strings */
  gboolean     is_key;
  gboolean     escape;
  guint        hex_left;   /* hex digits still expected after \u */
  guint        utf8_left;  /* continuation bytes still expected in a multi-byte character */
  guchar       utf8_lo;    /* the range the next continuation byte must be in */
  guchar       utf8_hi;

  /* Numbers and literals */
  NumberState  number;
  char         literal[MAX_LITERAL + 1];
  guint        literal_len;

  /* Position of the current character (1-based; columns count characters) and of the token */
  guint64      line;
  guint64      col;
  guint64      token_line;
  guint64      token_col;

  gboolean     failed;
};

/**
 * ladle_json_indenter_new:
 * @indent: spaces per nesting level
 *
 * Returns: (transfer full): a re-indenter for one document
 */
LadleJsonIndenter *
ladle_json_indenter_new (guint indent)
{
  LadleJsonIndenter *self = g_new0 (LadleJsonIndenter, 1);

  self->indent = indent;
  self->state = STATE_VALUE_TOP;
  self->token = TOKEN_NONE;
  self->stack = g_byte_array_new ();
  self->line = 1;
  self->col = 0;

  return self;
}

void
ladle_json_indenter_free (LadleJsonIndenter *self)
{
  if (self == NULL)
    return;

  g_byte_array_unref (self->stack);
  g_free (self);
}

static gboolean
set_error_at (LadleJsonIndenter  *self,
              guint64             line,
              guint64             col,
              GError            **error,
              const char         *message)
{
  self->failed = TRUE;
  g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
               "%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT ": %s", line, col, message);
  return FALSE;
}

static gboolean
set_error (LadleJsonIndenter  *self,
           GError            **error,
           const char         *message)
{
  return set_error_at (self, self->line, self->col, error, message);
}

static char *
describe_char (guchar c)
{
  if (c >= 0x20 && c < 0x7f)
    return g_strdup_printf ("%c", c);
  if (c < 0x80)
    return g_strdup_printf ("U+%04X", c);
  return g_strdup_printf ("0x%02X", c);
}

static gboolean
unexpected (LadleJsonIndenter  *self,
            guchar              c,
            GError            **error)
{
  g_autofree char *what = describe_char (c);
  g_autofree char *message = NULL;

  switch (self->state)
    {
    case STATE_VALUE_TOP:
    case STATE_VALUE_MEMBER:
    case STATE_ARRAY_FIRST:
    case STATE_ARRAY_NEXT:
      if (c == ',' || c == ']' || c == '}' || c == ':')
        message = g_strdup_printf (_("missing value before “%s”"), what);
      else
        message = g_strdup_printf (_("unexpected character “%s”, expected a value"), what);
      break;

    case STATE_OBJECT_FIRST:
    case STATE_OBJECT_NEXT:
      message = g_strdup_printf (
        _("unexpected character “%s”, expected a member name in double quotes"), what);
      break;

    case STATE_COLON:
      message = g_strdup_printf (_("unexpected character “%s”, expected “:”"), what);
      break;

    case STATE_AFTER_VALUE:
      if (self->stack->data[self->stack->len - 1] == '{')
        message = g_strdup_printf (_("unexpected character “%s”, expected “,” or “}”"), what);
      else
        message = g_strdup_printf (_("unexpected character “%s”, expected “,” or “]”"), what);
      break;

    case STATE_DONE:
    default:
      message = g_strdup_printf (_("unexpected character “%s” after the end of the document"),
                                 what);
      break;
    }

  return set_error (self, error, message);
}

static void
newline_indent (LadleJsonIndenter *self,
                GString           *out)
{
  gsize n = (gsize) self->stack->len * self->indent;

  g_string_append_c (out, '\n');
  /* Fast path for the common small depths */
  while (n > 0)
    {
      static const char spaces[] = "                                ";
      gsize step = MIN (n, sizeof spaces - 1);

      g_string_append_len (out, spaces, step);
      n -= step;
    }
}

static void
value_done (LadleJsonIndenter *self)
{
  self->token = TOKEN_NONE;
  self->state = self->stack->len == 0 ? STATE_DONE : STATE_AFTER_VALUE;
}

static gboolean
literal_done (LadleJsonIndenter  *self,
              GString            *out,
              GError            **error)
{
  self->literal[self->literal_len] = '\0';

  if (strcmp (self->literal, "true") != 0 &&
      strcmp (self->literal, "false") != 0 &&
      strcmp (self->literal, "null") != 0)
    {
      g_autofree char *message = g_strdup_printf (_("invalid literal “%s”"), self->literal);

      return set_error_at (self, self->token_line, self->token_col, error, message);
    }

  g_string_append_len (out, self->literal, self->literal_len);
  value_done (self);
  return TRUE;
}

static gboolean
number_is_complete (LadleJsonIndenter *self)
{
  return self->number == NUM_ZERO || self->number == NUM_INT ||
         self->number == NUM_FRAC || self->number == NUM_EXP;
}

/* Returns TRUE when @c belongs to the number (and was copied); FALSE when the number ended before
 * @c (then @c must be processed as the next token), or on error (then @error is set). */
static gboolean
number_char (LadleJsonIndenter  *self,
             guchar              c,
             GString            *out,
             gboolean           *ended,
             GError            **error)
{
  gboolean digit = g_ascii_isdigit (c);
  NumberState next = self->number;

  *ended = FALSE;

  switch (self->number)
    {
    case NUM_MINUS:
      if (digit)
        next = c == '0' ? NUM_ZERO : NUM_INT;
      else
        goto bad;
      break;

    case NUM_ZERO:
    case NUM_INT:
      if (digit && self->number == NUM_ZERO)
        goto bad;
      else if (digit)
        next = NUM_INT;
      else if (c == '.')
        next = NUM_DOT;
      else if (c == 'e' || c == 'E')
        next = NUM_E;
      else
        goto end;
      break;

    case NUM_DOT:
      if (digit)
        next = NUM_FRAC;
      else
        goto bad;
      break;

    case NUM_FRAC:
      if (digit)
        next = NUM_FRAC;
      else if (c == 'e' || c == 'E')
        next = NUM_E;
      else
        goto end;
      break;

    case NUM_E:
      if (digit)
        next = NUM_EXP;
      else if (c == '+' || c == '-')
        next = NUM_E_SIGN;
      else
        goto bad;
      break;

    case NUM_E_SIGN:
      if (digit)
        next = NUM_EXP;
      else
        goto bad;
      break;

    case NUM_EXP:
      if (digit)
        next = NUM_EXP;
      else
        goto end;
      break;

    default:
      g_assert_not_reached ();
    }

  self->number = next;
  g_string_append_c (out, c);
  return TRUE;

end:
  /* "1x" or "1.5." is a bad number, not a bad separator */
  if (g_ascii_isalnum (c) || c == '.' || c == '+' || c == '-')
    goto bad;
  value_done (self);
  *ended = TRUE;
  return FALSE;

bad:
  return set_error (self, error, _("invalid number"));
}

/* One byte of a string's text, as g_utf8_validate() would judge it (no overlong forms, no
 * surrogates, nothing past U+10FFFF): JSON text is UTF-8, and json-glib refuses anything else. */
static gboolean
utf8_byte (LadleJsonIndenter *self,
           guchar             c)
{
  if (self->utf8_left > 0)
    {
      if (c < self->utf8_lo || c > self->utf8_hi)
        return FALSE;
      self->utf8_left--;
      self->utf8_lo = 0x80;
      self->utf8_hi = 0xBF;
      return TRUE;
    }

  self->utf8_lo = 0x80;
  self->utf8_hi = 0xBF;
  if (c < 0x80)
    return TRUE;
  if (c >= 0xC2 && c <= 0xDF)
    self->utf8_left = 1;
  else if (c == 0xE0)
    {
      self->utf8_left = 2;
      self->utf8_lo = 0xA0;
    }
  else if (c == 0xED)
    {
      self->utf8_left = 2;
      self->utf8_hi = 0x9F;
    }
  else if (c >= 0xE1 && c <= 0xEF)
    self->utf8_left = 2;
  else if (c == 0xF0)
    {
      self->utf8_left = 3;
      self->utf8_lo = 0x90;
    }
  else if (c >= 0xF1 && c <= 0xF3)
    self->utf8_left = 3;
  else if (c == 0xF4)
    {
      self->utf8_left = 3;
      self->utf8_hi = 0x8F;
    }
  else
    return FALSE;

  return TRUE;
}

static gboolean
string_char (LadleJsonIndenter  *self,
             guchar              c,
             GString            *out,
             GError            **error)
{
  if (self->hex_left == 0 && !self->escape && (self->utf8_left > 0 || c >= 0x80))
    {
      if (!utf8_byte (self, c))
        return set_error (self, error, _("invalid UTF-8 in a string"));
      if (c >= 0x80)
        {
          g_string_append_c (out, c);
          return TRUE;
        }
    }

  if (self->hex_left > 0)
    {
      if (!g_ascii_isxdigit (c))
        return set_error (self, error, _("invalid \\u escape in a string: expected 4 hex digits"));
      self->hex_left--;
    }
  else if (self->escape)
    {
      self->escape = FALSE;
      switch (c)
        {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
          break;
        case 'u':
          self->hex_left = 4;
          break;
        default:
          {
            g_autofree char *what = describe_char (c);
            g_autofree char *message = g_strdup_printf (_("invalid escape “\\%s” in a string"),
                                                        what);
            return set_error (self, error, message);
          }
        }
    }
  else if (c == '\\')
    {
      self->escape = TRUE;
    }
  else if (c == '"')
    {
      g_string_append_c (out, c);
      if (self->is_key)
        {
          self->token = TOKEN_NONE;
          self->state = STATE_COLON;
        }
      else
        {
          value_done (self);
        }
      return TRUE;
    }
  else if (c < 0x20)
    {
      if (c == '\n')
        return set_error_at (
          self, self->token_line, self->token_col, error,
          _("unterminated string (a line break in a string must be written \\n)"));
      return set_error (self, error, _("control character in a string (it must be escaped)"));
    }

  g_string_append_c (out, c);
  return TRUE;
}

static void
begin_token (LadleJsonIndenter *self,
             Token              token)
{
  self->token = token;
  self->token_line = self->line;
  self->token_col = self->col;
}

static gboolean
push (LadleJsonIndenter  *self,
      guchar              c,
      GError            **error)
{
  if (self->stack->len >= LADLE_JSON_INDENTER_MAX_DEPTH)
    {
      g_autofree char *message = g_strdup_printf (_("nesting deeper than %u levels"),
                                                  (guint) LADLE_JSON_INDENTER_MAX_DEPTH);

      return set_error (self, error, message);
    }

  g_byte_array_append (self->stack, &c, 1);
  return TRUE;
}

/* A value starts with @c; the state is one of the STATE_VALUE_* or STATE_ARRAY_* ones. */
static gboolean
begin_value (LadleJsonIndenter  *self,
             guchar              c,
             GString            *out,
             GError            **error)
{
  if (c != '{' && c != '[' && c != '"' && c != '-' && !g_ascii_isalnum (c))
    return unexpected (self, c, error);

  if (self->state == STATE_ARRAY_FIRST || self->state == STATE_ARRAY_NEXT)
    newline_indent (self, out);

  switch (c)
    {
    case '{':
      if (!push (self, c, error))
        return FALSE;
      g_string_append_c (out, c);
      self->state = STATE_OBJECT_FIRST;
      break;

    case '[':
      if (!push (self, c, error))
        return FALSE;
      g_string_append_c (out, c);
      self->state = STATE_ARRAY_FIRST;
      break;

    case '"':
      begin_token (self, TOKEN_STRING);
      self->is_key = FALSE;
      self->escape = FALSE;
      self->hex_left = 0;
      g_string_append_c (out, c);
      break;

    case '-':
      begin_token (self, TOKEN_NUMBER);
      self->number = NUM_MINUS;
      g_string_append_c (out, c);
      break;

    default:
      if (g_ascii_isdigit (c))
        {
          begin_token (self, TOKEN_NUMBER);
          self->number = c == '0' ? NUM_ZERO : NUM_INT;
          g_string_append_c (out, c);
        }
      else
        {
          begin_token (self, TOKEN_LITERAL);
          self->literal[0] = (char) c;
          self->literal_len = 1;
        }
      break;
    }

  return TRUE;
}

static gboolean
close_container (LadleJsonIndenter  *self,
                 guchar              c,
                 GString            *out,
                 GError            **error)
{
  guchar open = c == '}' ? '{' : '[';
  gboolean empty = self->state == STATE_OBJECT_FIRST || self->state == STATE_ARRAY_FIRST;

  if (self->stack->data[self->stack->len - 1] != open)
    return unexpected (self, c, error);

  g_byte_array_set_size (self->stack, self->stack->len - 1);
  if (!empty)
    newline_indent (self, out);
  g_string_append_c (out, c);
  value_done (self);
  return TRUE;
}

static gboolean
structural_char (LadleJsonIndenter  *self,
                 guchar              c,
                 GString            *out,
                 GError            **error)
{
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
    return TRUE;

  switch (self->state)
    {
    case STATE_VALUE_TOP:
    case STATE_VALUE_MEMBER:
    case STATE_ARRAY_NEXT:
      return begin_value (self, c, out, error);

    case STATE_ARRAY_FIRST:
      if (c == ']')
        return close_container (self, c, out, error);
      return begin_value (self, c, out, error);

    case STATE_OBJECT_FIRST:
    case STATE_OBJECT_NEXT:
      if (c == '}' && self->state == STATE_OBJECT_FIRST)
        return close_container (self, c, out, error);
      if (c != '"')
        return unexpected (self, c, error);
      newline_indent (self, out);
      begin_token (self, TOKEN_STRING);
      self->is_key = TRUE;
      self->escape = FALSE;
      self->hex_left = 0;
      g_string_append_c (out, c);
      return TRUE;

    case STATE_COLON:
      if (c != ':')
        return unexpected (self, c, error);
      g_string_append (out, ": ");
      self->state = STATE_VALUE_MEMBER;
      return TRUE;

    case STATE_AFTER_VALUE:
      if (c == ',')
        {
          g_string_append_c (out, ',');
          self->state = self->stack->data[self->stack->len - 1] == '{' ?
                        STATE_OBJECT_NEXT : STATE_ARRAY_NEXT;
          return TRUE;
        }
      if (c == '}' || c == ']')
        return close_container (self, c, out, error);
      return unexpected (self, c, error);

    case STATE_DONE:
    default:
      return unexpected (self, c, error);
    }
}

static gboolean
process_char (LadleJsonIndenter  *self,
              guchar              c,
              GString            *out,
              GError            **error)
{
  switch (self->token)
    {
    case TOKEN_STRING:
      return string_char (self, c, out, error);

    case TOKEN_NUMBER:
      {
        gboolean ended;

        if (number_char (self, c, out, &ended, error))
          return TRUE;
        if (!ended)
          return FALSE;
        return structural_char (self, c, out, error);
      }

    case TOKEN_LITERAL:
      if (g_ascii_isalnum (c))
        {
          if (self->literal_len == MAX_LITERAL)
            {
              self->literal[self->literal_len] = '\0';
              return literal_done (self, out, error);
            }
          self->literal[self->literal_len++] = (char) c;
          return TRUE;
        }
      if (!literal_done (self, out, error))
        return FALSE;
      return structural_char (self, c, out, error);

    case TOKEN_NONE:
    default:
      return structural_char (self, c, out, error);
    }
}

/**
 * ladle_json_indenter_feed:
 * @self: a #LadleJsonIndenter
 * @data: the next bytes of the document, cut anywhere
 * @len: length of @data
 * @out: the re-indented text is appended here
 * @error: a %LADLE_ERROR_PARSE error whose message starts with "LINE:COL: "
 *
 * Returns: %FALSE if the document is not valid JSON; the indenter is then unusable
 */
gboolean
ladle_json_indenter_feed (LadleJsonIndenter  *self,
                          const char         *data,
                          gsize               len,
                          GString            *out,
                          GError            **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (!self->failed, FALSE);

  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) data[i];

      /* Fast path: the bytes of a string with nothing to check */
      if (self->token == TOKEN_STRING && !self->escape && self->hex_left == 0)
        {
          gsize j = i;

          while (j < len && (guchar) data[j] >= 0x20 && data[j] != '"' && data[j] != '\\')
            {
              guchar b = (guchar) data[j];

              if (b >= 0x80 || self->utf8_left > 0)
                {
                  if (!utf8_byte (self, b))
                    break;
                }
              if ((b & 0xC0) != 0x80)
                self->col++;
              j++;
            }
          g_string_append_len (out, data + i, j - i);
          if (j == len)
            break;
          i = j;
          c = (guchar) data[i];
        }

      if ((c & 0xC0) != 0x80)
        self->col++;

      if (!process_char (self, c, out, error))
        return FALSE;

      if (c == '\n')
        {
          self->line++;
          self->col = 0;
        }
    }

  return TRUE;
}

/**
 * ladle_json_indenter_finish:
 * @self: a #LadleJsonIndenter
 * @out: the rest of the text and a final newline are appended here
 * @error: a %LADLE_ERROR_PARSE error when the document is incomplete
 *
 * Returns: %TRUE when the input was one complete JSON value
 */
gboolean
ladle_json_indenter_finish (LadleJsonIndenter  *self,
                            GString            *out,
                            GError            **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (!self->failed, FALSE);

  /* Errors at the end point just past the last character */
  self->col++;

  switch (self->token)
    {
    case TOKEN_STRING:
      return set_error_at (self, self->token_line, self->token_col, error,
                           _("unterminated string"));

    case TOKEN_NUMBER:
      if (!number_is_complete (self))
        return set_error (self, error, _("invalid number"));
      value_done (self);
      break;

    case TOKEN_LITERAL:
      if (!literal_done (self, out, error))
        return FALSE;
      break;

    case TOKEN_NONE:
    default:
      break;
    }

  if (self->state == STATE_VALUE_TOP)
    return set_error (self, error, _("no JSON value (the input is empty)"));
  if (self->state != STATE_DONE)
    return set_error (self, error, _("unexpected end of input"));

  g_string_append_c (out, '\n');
  self->failed = TRUE;  /* one document per indenter */
  return TRUE;
}

/**
 * ladle_json_indent_stream:
 * @in: the JSON document
 * @out: receives the re-indented copy
 * @indent: spaces per nesting level
 * @cancellable: (nullable): a #GCancellable
 * @progress: (nullable): called after each chunk with the count of bytes read so far
 * @user_data: data for @progress
 * @error: a #GError
 *
 * Blocking: meant for a worker thread (g_task_run_in_thread). Neither stream is closed.
 *
 * Returns: %TRUE on success
 */
gboolean
ladle_json_indent_stream (GInputStream             *in,
                          GOutputStream            *out,
                          guint                     indent,
                          GCancellable             *cancellable,
                          LadleJsonIndentProgress   progress,
                          gpointer                  user_data,
                          GError                  **error)
{
  g_autoptr(LadleJsonIndenter) indenter = NULL;
  g_autoptr(GString) text = NULL;
  g_autofree char *buffer = NULL;
  guint64 done = 0;

  g_return_val_if_fail (G_IS_INPUT_STREAM (in), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);

  indenter = ladle_json_indenter_new (indent);
  text = g_string_sized_new (STREAM_CHUNK * 2);
  buffer = g_malloc (STREAM_CHUNK);

  for (;;)
    {
      gssize n;

      /* Memory streams never look at the cancellable themselves */
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      n = g_input_stream_read (in, buffer, STREAM_CHUNK, cancellable, error);
      if (n < 0)
        return FALSE;
      if (n == 0)
        break;

      done += (guint64) n;
      if (!ladle_json_indenter_feed (indenter, buffer, (gsize) n, text, error))
        return FALSE;
      if (!g_output_stream_write_all (out, text->str, text->len, NULL, cancellable, error))
        return FALSE;
      g_string_truncate (text, 0);

      if (progress != NULL)
        progress (done, user_data);
    }

  if (!ladle_json_indenter_finish (indenter, text, error))
    return FALSE;

  return g_output_stream_write_all (out, text->str, text->len, NULL, cancellable, error);
}
