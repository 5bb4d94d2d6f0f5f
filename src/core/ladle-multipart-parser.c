/* ladle-multipart-parser.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* memmem() is a GNU extension. */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif

#include "config.h"

#include "ladle-multipart-parser.h"

#include "ladle-error.h"

#include <glib/gi18n.h>
#include <string.h>

/* RFC 2046 §5.1.1: a boundary is 1 to 70 characters. */
#define BOUNDARY_MAX 70
/* "\r\n--" + boundary */
#define DELIMITER_MAX (BOUNDARY_MAX + 4)
/* Header bytes of one part, not counting the blank line that ends them. */
#define HEADERS_MAX (16 * 1024)
/* Real clients send no preamble at all; a body that shows no boundary within this many bytes is
 * not multipart data, and saying so early spares reading (say) a whole 1 GiB upload. */
#define PREAMBLE_MAX (64 * 1024)

typedef enum
{
  STATE_PREAMBLE,
  STATE_AFTER_DELIMITER,   /* just after "\r\n--boundary" */
  STATE_AFTER_DASH,        /* "\r\n--boundary-" */
  STATE_PADDING,           /* transport padding (spaces, tabs) before the line's CRLF */
  STATE_EXPECT_LF,         /* the CR of the delimiter line's CRLF was seen */
  STATE_HEADERS,
  STATE_BODY,
  STATE_DONE,              /* the closing delimiter was seen; the rest is epilogue */
  STATE_FAILED,
} ParserState;

struct _LadleMultipartParser
{
  LadleMultipartCallbacks  callbacks;
  gpointer                 user_data;

  ParserState              state;
  gboolean                 in_part;
  guint64                  preamble_len;

  char                    *boundary;
  guint8                   delimiter[DELIMITER_MAX];
  gsize                    delimiter_len;

  /* Bytes at the end of the previous chunk that may be the start of a delimiter; always fewer
   * than delimiter_len. */
  guint8                   carry[DELIMITER_MAX];
  gsize                    carry_len;

  /* "\r\n" (standing in for the delimiter line's end) followed by the part's header bytes. */
  GByteArray              *headers;
};

static gboolean
boundary_is_valid (const char *boundary)
{
  gsize len = strlen (boundary);

  if (len == 0 || len > BOUNDARY_MAX)
    return FALSE;

  /* RFC 2046 allows a restricted ASCII set; we only refuse what would break framing (controls,
   * which include CR and LF) and a trailing space, and accept the odd characters some clients
   * put in their boundaries. */
  for (gsize i = 0; i < len; i++)
    {
      guchar c = boundary[i];

      if (c < 0x20 || c == 0x7f)
        return FALSE;
    }

  return boundary[len - 1] != ' ';
}

/**
 * ladle_multipart_parser_new:
 * @boundary: the "boundary" parameter of the Content-Type, without the leading "--"
 * @callbacks: the functions to call as parts are found; copied
 * @user_data: passed to @callbacks
 * @error: return location for a #GError
 *
 * Creates a push parser for a multipart body (RFC 2046, as used by multipart/form-data).
 *
 * Returns: (transfer full) (nullable): a new parser, or %NULL with @error set if @boundary is
 *   empty, longer than 70 bytes or contains control characters
 */
LadleMultipartParser *
ladle_multipart_parser_new (const char                    *boundary,
                            const LadleMultipartCallbacks *callbacks,
                            gpointer                       user_data,
                            GError                       **error)
{
  LadleMultipartParser *self;
  gsize boundary_len;

  g_return_val_if_fail (callbacks != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (boundary == NULL || !boundary_is_valid (boundary))
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                   _("The multipart boundary is missing or invalid (it must be 1 to 70 "
                     "printable characters)"));
      return NULL;
    }

  boundary_len = strlen (boundary);

  self = g_new0 (LadleMultipartParser, 1);
  self->callbacks = *callbacks;
  self->user_data = user_data;
  self->state = STATE_PREAMBLE;
  self->boundary = g_strdup (boundary);
  self->headers = g_byte_array_sized_new (256);

  memcpy (self->delimiter, "\r\n--", 4);
  memcpy (self->delimiter + 4, boundary, boundary_len);
  self->delimiter_len = boundary_len + 4;

  /* A virtual CRLF before the first byte lets a body that starts with "--boundary" match the
   * delimiter like every later boundary does. */
  memcpy (self->carry, "\r\n", 2);
  self->carry_len = 2;

  return self;
}

void
ladle_multipart_parser_free (LadleMultipartParser *self)
{
  if (self == NULL)
    return;

  g_free (self->boundary);
  g_byte_array_unref (self->headers);
  g_free (self);
}

static gboolean
fail (LadleMultipartParser  *self,
      GError               **error,
      GError                *local_error)
{
  self->state = STATE_FAILED;
  g_propagate_error (error, local_error);
  return FALSE;
}

/* A callback that returned FALSE without setting its error still gets a message to show. */
static gboolean
callback_failed (LadleMultipartParser  *self,
                 GError               **error,
                 GError                *local_error)
{
  if (local_error == NULL)
    local_error = g_error_new_literal (LADLE_ERROR, LADLE_ERROR_FAILED,
                                       _("Processing the multipart body was stopped"));
  return fail (self, error, local_error);
}

/* Passes bytes that are certainly not part of a delimiter on: to part_data inside a part, nowhere
 * in the preamble. */
static gboolean
emit (LadleMultipartParser  *self,
      const guint8          *data,
      gsize                  len,
      GError               **error)
{
  if (len == 0)
    return TRUE;

  if (self->state == STATE_PREAMBLE)
    {
      self->preamble_len += len;
      if (self->preamble_len > PREAMBLE_MAX)
        {
          return fail (self, error,
                       g_error_new (LADLE_ERROR, LADLE_ERROR_PARSE,
                                    _("The request body is not multipart data: its boundary "
                                      "“--%s” was not found in the first %u KiB"),
                                    self->boundary, PREAMBLE_MAX / 1024));
        }
      return TRUE;
    }

  g_assert (self->state == STATE_BODY);

  if (self->callbacks.part_data != NULL)
    {
      GError *local_error = NULL;

      if (!self->callbacks.part_data (data, len, self->user_data, &local_error))
        return callback_failed (self, error, local_error);
    }

  return TRUE;
}

/* The length of the longest suffix of @data that is a proper prefix of the delimiter: the bytes
 * that must wait for the next chunk to tell whether they start a delimiter. */
static gsize
partial_delimiter_len (LadleMultipartParser *self,
                       const guint8         *data,
                       gsize                 len)
{
  gsize max = MIN (len, self->delimiter_len - 1);

  for (gsize k = max; k > 0; k--)
    {
      const guint8 *start = data + len - k;

      if (*start == '\r' && memcmp (start, self->delimiter, k) == 0)
        return k;
    }

  return 0;
}

static void
set_carry (LadleMultipartParser *self,
           const guint8         *data,
           gsize                 len)
{
  g_assert (len < self->delimiter_len);

  memmove (self->carry, data, len);
  self->carry_len = len;
}

/* Looks for the delimiter in carry + @data, passing the bytes before it on. Only a tail shorter
 * than the delimiter is ever copied: the chunk itself is searched and emitted in place. */
static gboolean
scan_for_delimiter (LadleMultipartParser  *self,
                    const guint8          *data,
                    gsize                  len,
                    gsize                 *out_consumed,
                    gboolean              *out_found,
                    GError               **error)
{
  const gsize dlen = self->delimiter_len;
  const guint8 *hit;
  gsize keep;

  *out_found = FALSE;
  *out_consumed = 0;

  if (self->carry_len > 0)
    {
      guint8 window[2 * DELIMITER_MAX];
      gsize carry_len = self->carry_len;
      gsize n = MIN (len, dlen - 1);
      gsize window_len = carry_len + n;

      memcpy (window, self->carry, carry_len);
      memcpy (window + carry_len, data, n);

      /* The carry holds no whole delimiter, so the first match here is the first in the
       * stream, whether it starts in the carry or in the chunk. */
      hit = memmem (window, window_len, self->delimiter, dlen);
      if (hit != NULL)
        {
          gsize pos = hit - window;

          self->carry_len = 0;
          if (!emit (self, window, pos, error))
            return FALSE;

          *out_consumed = pos + dlen - carry_len;
          *out_found = TRUE;
          return TRUE;
        }

      if (n == len)
        {
          /* The whole chunk fits in the window and holds no delimiter. */
          keep = partial_delimiter_len (self, window, window_len);
          self->carry_len = 0;
          if (!emit (self, window, window_len - keep, error))
            return FALSE;

          set_carry (self, window + window_len - keep, keep);
          *out_consumed = len;
          return TRUE;
        }

      /* A delimiter starting in the carry would have ended inside the window: the carry is
       * all data. */
      self->carry_len = 0;
      if (!emit (self, window, carry_len, error))
        return FALSE;
    }

  hit = memmem (data, len, self->delimiter, dlen);
  if (hit != NULL)
    {
      gsize pos = hit - data;

      if (!emit (self, data, pos, error))
        return FALSE;

      *out_consumed = pos + dlen;
      *out_found = TRUE;
      return TRUE;
    }

  keep = partial_delimiter_len (self, data, len);
  if (!emit (self, data, len - keep, error))
    return FALSE;

  set_carry (self, data + len - keep, keep);
  *out_consumed = len;
  return TRUE;
}

static gboolean
begin_part (LadleMultipartParser  *self,
            gsize                  headers_len,
            GError               **error)
{
  g_autoptr(SoupMessageHeaders) headers = NULL;

  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);

  /* soup_headers_parse() skips a first line (normally the request line); ours is the empty line
   * made by the "\r\n" the buffer starts with. */
  if (!soup_headers_parse ((const char *) self->headers->data, (int) headers_len, headers))
    {
      return fail (self, error,
                   g_error_new_literal (LADLE_ERROR, LADLE_ERROR_PARSE,
                                        _("The headers of a multipart part are malformed")));
    }

  g_byte_array_set_size (self->headers, 0);
  self->state = STATE_BODY;
  self->in_part = TRUE;

  if (self->callbacks.part_begin != NULL)
    {
      GError *local_error = NULL;

      if (!self->callbacks.part_begin (headers, self->user_data, &local_error))
        return callback_failed (self, error, local_error);
    }

  return TRUE;
}

static gboolean
scan_headers (LadleMultipartParser  *self,
              const guint8          *data,
              gsize                  len,
              gsize                 *out_consumed,
              GError               **error)
{
  /* seed CRLF + headers + the blank line's CRLF */
  const gsize limit = 2 + HEADERS_MAX + 2;
  gsize old_len = self->headers->len;
  gsize take = MIN (len, limit - old_len);
  gsize search_from = old_len >= 3 ? old_len - 3 : 0;
  const guint8 *end;

  g_byte_array_append (self->headers, data, take);

  end = memmem (self->headers->data + search_from, self->headers->len - search_from,
                "\r\n\r\n", 4);
  if (end != NULL)
    {
      gsize pos = end - self->headers->data;

      *out_consumed = pos + 4 - old_len;
      return begin_part (self, pos + 2, error);
    }

  if (self->headers->len >= limit)
    {
      return fail (self, error,
                   g_error_new (LADLE_ERROR, LADLE_ERROR_PARSE,
                                _("Part headers are too large (more than %u KiB)"),
                                HEADERS_MAX / 1024));
    }

  *out_consumed = take;
  return TRUE;
}

static gboolean
end_part (LadleMultipartParser  *self,
          GError               **error)
{
  if (!self->in_part)
    return TRUE;

  self->in_part = FALSE;

  if (self->callbacks.part_end != NULL)
    {
      GError *local_error = NULL;

      if (!self->callbacks.part_end (self->user_data, &local_error))
        return callback_failed (self, error, local_error);
    }

  return TRUE;
}

static gboolean
malformed_delimiter_line (LadleMultipartParser  *self,
                          GError               **error)
{
  return fail (self, error,
               g_error_new (LADLE_ERROR, LADLE_ERROR_PARSE,
                            _("The multipart boundary line “--%s” is followed by unexpected "
                              "characters"),
                            self->boundary));
}

/**
 * ladle_multipart_parser_feed:
 * @self: a #LadleMultipartParser
 * @data: (array length=len): the next bytes of the body
 * @len: the length of @data
 * @error: return location for a #GError
 *
 * Parses the next bytes of the body, calling the callbacks as parts are found. Body bytes are
 * passed to part_data straight from @data where possible; at most one delimiter's length of
 * bytes is held back across calls. Bytes after the closing delimiter are ignored.
 *
 * Returns: %FALSE with @error set (%LADLE_ERROR_PARSE, or the error of the callback that
 *   failed) when the body is malformed or a callback failed; the parser then refuses more input
 */
gboolean
ladle_multipart_parser_feed (LadleMultipartParser  *self,
                             const guint8          *data,
                             gsize                  len,
                             GError               **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->state == STATE_FAILED)
    {
      g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                           _("The multipart body could not be parsed"));
      return FALSE;
    }

  while (len > 0 && self->state != STATE_DONE)
    {
      gsize consumed = 1;

      switch (self->state)
        {
        case STATE_PREAMBLE:
        case STATE_BODY:
          {
            gboolean found;

            if (!scan_for_delimiter (self, data, len, &consumed, &found, error))
              return FALSE;

            if (found)
              {
                if (!end_part (self, error))
                  return FALSE;
                self->state = STATE_AFTER_DELIMITER;
              }
          }
          break;

        case STATE_AFTER_DELIMITER:
          if (*data == '-')
            self->state = STATE_AFTER_DASH;
          else if (*data == ' ' || *data == '\t')
            self->state = STATE_PADDING;
          else if (*data == '\r')
            self->state = STATE_EXPECT_LF;
          else
            return malformed_delimiter_line (self, error);
          break;

        case STATE_AFTER_DASH:
          if (*data != '-')
            return malformed_delimiter_line (self, error);
          self->state = STATE_DONE;
          break;

        case STATE_PADDING:
          if (*data == '\r')
            self->state = STATE_EXPECT_LF;
          else if (*data != ' ' && *data != '\t')
            return malformed_delimiter_line (self, error);
          break;

        case STATE_EXPECT_LF:
          if (*data != '\n')
            return malformed_delimiter_line (self, error);
          g_byte_array_set_size (self->headers, 0);
          g_byte_array_append (self->headers, (const guint8 *) "\r\n", 2);
          self->state = STATE_HEADERS;
          break;

        case STATE_HEADERS:
          if (!scan_headers (self, data, len, &consumed, error))
            return FALSE;
          break;

        case STATE_DONE:
        case STATE_FAILED:
        default:
          g_assert_not_reached ();
        }

      g_assert (consumed <= len);
      data += consumed;
      len -= consumed;
    }

  return TRUE;
}

/**
 * ladle_multipart_parser_finish:
 * @self: a #LadleMultipartParser
 * @error: return location for a #GError
 *
 * Tells the parser the body has ended.
 *
 * Returns: %TRUE if the closing delimiter was seen; otherwise %FALSE with @error set
 *   (%LADLE_ERROR_PARSE)
 */
gboolean
ladle_multipart_parser_finish (LadleMultipartParser  *self,
                               GError               **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  switch (self->state)
    {
    case STATE_DONE:
      return TRUE;

    case STATE_FAILED:
      g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                           _("The multipart body could not be parsed"));
      return FALSE;

    case STATE_PREAMBLE:
      return fail (self, error,
                   g_error_new (LADLE_ERROR, LADLE_ERROR_PARSE,
                                _("The request body is not multipart data: its boundary “--%s” "
                                  "was not found"),
                                self->boundary));

    case STATE_AFTER_DELIMITER:
    case STATE_AFTER_DASH:
    case STATE_PADDING:
    case STATE_EXPECT_LF:
    case STATE_HEADERS:
    case STATE_BODY:
    default:
      return fail (self, error,
                   g_error_new_literal (LADLE_ERROR, LADLE_ERROR_PARSE,
                                        _("The multipart body ended before its closing "
                                          "boundary")));
    }
}

/**
 * ladle_multipart_parser_is_complete:
 * @self: a #LadleMultipartParser
 *
 * Returns: whether the closing delimiter has been seen
 */
gboolean
ladle_multipart_parser_is_complete (LadleMultipartParser *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->state == STATE_DONE;
}

/**
 * ladle_multipart_part_get_names:
 * @part_headers: the headers of one part
 * @out_field: (out) (optional) (transfer full) (nullable): the form field name, or %NULL
 * @out_filename: (out) (optional) (transfer full) (nullable): the file name as sent (hostile:
 *   sanitize it before use), "" for a file input with no file chosen, or %NULL when the part is
 *   not a file
 *
 * Reads the "name" and "filename" parameters of the part's Content-Disposition; libsoup decodes
 * filename*=UTF-8''… (which wins over a plain filename) and strips anything up to a '/'.
 */
void
ladle_multipart_part_get_names (SoupMessageHeaders  *part_headers,
                                char               **out_field,
                                char               **out_filename)
{
  g_autofree char *disposition = NULL;
  GHashTable *params = NULL;
  const char *field = NULL;
  const char *filename = NULL;

  g_return_if_fail (part_headers != NULL);

  if (soup_message_headers_get_content_disposition (part_headers, &disposition, &params))
    {
      field = g_hash_table_lookup (params, "name");
      filename = g_hash_table_lookup (params, "filename");
    }

  if (out_field != NULL)
    *out_field = g_strdup (field);
  if (out_filename != NULL)
    *out_filename = g_strdup (filename);

  g_clear_pointer (&params, g_hash_table_destroy);
}
