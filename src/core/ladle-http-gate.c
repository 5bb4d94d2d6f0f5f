/* ladle-http-gate.c
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

#include <glib/gi18n.h>

#include "ladle-http-gate.h"
#include "ladle-http-syntax.h"

/* LadleHttpGate checks the framing of the requests a client sends before libsoup reads them, and
 * holds back any request whose length two readers could disagree on. libsoup 3.2's server is
 * lenient where RFC 9112 asks a server to refuse, and some of its leniencies let one request hide
 * inside another (request smuggling) or desynchronise the connection:
 *
 *  - Content-Length together with Transfer-Encoding is accepted, and the connection kept;
 *  - of two different Content-Lengths the last wins; a negative or overflowing one hangs;
 *  - an unknown transfer coding next to a Content-Length is ignored;
 *  - a chunk size that is not hexadecimal ("zz", "-1", "0x10", too many digits) reads as a number
 *    or as 0, and what follows is parsed as a new request;
 *  - the line after a chunk's data is skipped whatever it holds, and the first trailer line ends
 *    the body, so the following lines are read as a new request;
 *  - NUL bytes inside header lines are deleted, lines without a colon or with spaces before it are
 *    ignored, folded lines are joined, and two Host headers are accepted.
 *
 * The gate sits between the socket and libsoup (see ladle-server-conn.c). It lets bytes through
 * only once it has seen them make sense: a request head is held until it is complete and valid
 * (with libsoup's own rule for where a head ends), body bytes pass as they come, chunk-size lines
 * and the line after each chunk are checked first, and trailer fields are checked and dropped (so
 * that libsoup sees "0\r\n\r\n"). Everything it refuses is refused before libsoup has seen any of
 * the request's head, or in the middle of the body of one libsoup is reading; the connection then
 * answers with the gate's status and closes.
 *
 * A request that asks for an upgrade (WebSocket) is passed, and nothing after it is examined
 * until the server says whether it switched protocols: from then on bytes pass untouched. */

typedef enum
{
  STEP_HEAD,
  STEP_BODY,
  STEP_CHUNK_SIZE,
  STEP_CHUNK_DATA,
  STEP_CHUNK_END,
  STEP_TRAILERS,
  STEP_WAITING,
  STEP_PASSTHROUGH,
  STEP_REFUSED,
} Step;

struct _LadleHttpGate
{
  Step      step;
  guint64   remaining;       /* STEP_BODY, STEP_CHUNK_DATA */
  gsize     scanned;         /* STEP_HEAD: complete lines of the held head, in bytes */
  gsize     trailer_bytes;   /* STEP_TRAILERS */
  gboolean  upgrade;         /* the request being passed asked for an upgrade */
  guint     n_requests;

  guint     refusal_status;
  char     *refusal_message;
  char     *refusal_line;     /* escaped, made when refusing */
  gboolean  refusal_in_body;
  char      request_line[LADLE_HTTP_GATE_LINE_MAX + 1];   /* of the request being passed */
};

typedef struct
{
  guint64  content_length;
  gboolean has_content_length;
  gboolean chunked;
  gboolean upgrade;
} Framing;

LadleHttpGate *
ladle_http_gate_new (void)
{
  return g_new0 (LadleHttpGate, 1);
}

void
ladle_http_gate_free (LadleHttpGate *self)
{
  if (self == NULL)
    return;

  g_free (self->refusal_message);
  g_free (self->refusal_line);
  g_free (self);
}

static LadleHttpGateState
refuse (LadleHttpGate *self,
        guint          status,
        char          *message)
{
  g_free (self->refusal_line);
  self->refusal_line = ladle_http_escape_for_display (self->request_line, -1, 200);
  self->step = STEP_REFUSED;
  self->refusal_status = status;
  g_free (self->refusal_message);
  self->refusal_message = message;

  return LADLE_HTTP_GATE_REFUSED;
}

static LadleHttpGateState
refuse_in_body (LadleHttpGate *self,
                char          *message)
{
  self->refusal_in_body = TRUE;
  return refuse (self, 400, message);
}

/* "  a b\t" → "a b" */
static void
trim_ows (const char **start,
          const char **end)
{
  while (*start < *end && (**start == ' ' || **start == '\t'))
    (*start)++;
  while (*end > *start && ((*end)[-1] == ' ' || (*end)[-1] == '\t'))
    (*end)--;
}

static gboolean
name_is (const char *name,
         gsize       len,
         const char *expected)
{
  return strlen (expected) == len && g_ascii_strncasecmp (name, expected, len) == 0;
}

static gboolean
only_digits (const char *p,
             const char *end)
{
  if (p == end)
    return FALSE;
  for (; p < end; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

/* The transfer codings of all Transfer-Encoding lines, comma-joined: only a single "chunked" is
 * something libsoup and every other reader agree on. */
static guint
check_transfer_codings (GPtrArray  *codings,
                        char      **message)
{
  guint n_chunked = 0;

  for (guint i = 0; i < codings->len; i++)
    {
      const char *coding = g_ptr_array_index (codings, i);

      if (g_ascii_strcasecmp (coding, "chunked") == 0)
        {
          n_chunked++;
          continue;
        }

      if (*coding == '\0')
        *message = g_strdup (_("The request has an empty Transfer-Encoding"));
      else
        {
          g_autofree char *shown = ladle_http_escape_for_display (coding, -1, 60);

          *message = g_strdup_printf (_("The transfer coding “%s” is not supported (only chunked "
                                        "is)"), shown);
          return 501;
        }
      return 400;
    }

  if (n_chunked != 1 || codings->len != 1)
    {
      *message = g_strdup (_("The length of the body cannot be known: chunked must be the only "
                             "transfer coding, once"));
      return 400;
    }

  return 0;
}

static void
add_codings (GPtrArray  *codings,
             const char *value,
             const char *end)
{
  const char *p = value;

  while (p <= end)
    {
      const char *comma = memchr (p, ',', end - p);
      const char *item_end = comma != NULL ? comma : end;
      const char *item = p;

      trim_ows (&item, &item_end);
      g_ptr_array_add (codings, g_strndup (item, item_end - item));
      if (comma == NULL)
        break;
      p = comma + 1;
    }
}

/* Parses the request line's version the way libsoup does ("HTTP/1.0"), only to know whether it is
 * HTTP/1.0; anything libsoup refuses it answers itself, and closes. */
static gboolean
is_http_1_0 (const char *line,
             const char *end)
{
  const char *p = line;

  for (guint field = 0; field < 2; field++)
    {
      while (p < end && *p != ' ' && *p != '\t')
        p++;
      while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    }

  return end - p >= 8 && strncmp (p, "HTTP/1.0", 8) == 0 &&
         (end - p == 8 || !g_ascii_isdigit (p[8]));
}

/* A header value holds no control character but tab (NUL and CR were refused for the whole head) */
static gboolean
value_is_clean (const char *p,
                const char *end)
{
  for (; p < end; p++)
    if ((guchar) *p < 0x20 ? *p != '\t' : *p == 0x7f)
      return FALSE;
  return TRUE;
}

/* Keeps the request line as it came (at most 200 bytes), to show it if the request is refused */
static void
set_request_line (char       *line,
                  const char *start,
                  const char *end)
{
  gsize len = MIN ((gsize) (end - start), LADLE_HTTP_GATE_LINE_MAX);

  memcpy (line, start, len);
  line[len] = '\0';
}

/* Checks a complete head (@len bytes, the line that ends it included). Returns 0, or the status to
 * refuse it with and a message. */
static guint
check_head (const char  *head,
            gsize        len,
            Framing     *framing,
            char        *out_line,
            char       **message)
{
  const char *end = head + len;
  const char *p = head;
  const char *line_end;
  const char *method_end;
  g_autoptr(GPtrArray) codings = NULL;
  g_autoptr(GError) error = NULL;
  const char *content_length = NULL;
  gsize content_length_len = 0;
  guint n_host = 0;
  gboolean http_1_0;
  guint status;

  memset (framing, 0, sizeof *framing);

  /* Empty lines before the request line are skipped, as libsoup does */
  while (p < end && (*p == '\r' || *p == '\n'))
    p++;
  if (p == end)
    {
      out_line[0] = '\0';
      *message = g_strdup (_("The request has no request line"));
      return 400;
    }

  line_end = memchr (p, '\n', end - p);
  g_assert (line_end != NULL);
  set_request_line (out_line, p, (line_end > p && line_end[-1] == '\r' ? line_end - 1 : line_end));

  if (memchr (head, '\0', len) != NULL)
    {
      *message = g_strdup (_("The request head contains a NUL byte"));
      return 400;
    }
  for (const char *cr = memchr (head, '\r', len); cr != NULL;
       cr = memchr (cr + 1, '\r', end - cr - 1))
    {
      if (cr + 1 >= end || cr[1] != '\n')
        {
          *message = g_strdup (_("The request head contains a carriage return that does not end a "
                                 "line"));
          return 400;
        }
    }

  /* The method: libsoup takes whatever comes before the first blank and writes nothing back, but
   * the log, mock routes and users read it. */
  method_end = p;
  while (method_end < line_end && *method_end != ' ' && *method_end != '\t')
    method_end++;
  if (!ladle_http_is_token (p, method_end - p))
    {
      g_autofree char *method = g_strndup (p, method_end - p);

      ladle_http_check_method (method, &error);
      *message = g_strdup (error != NULL ? error->message : "");
      return 400;
    }
  http_1_0 = is_http_1_0 (p, line_end > p && line_end[-1] == '\r' ? line_end - 1 : line_end);

  /* The header lines */
  for (p = line_end + 1; p < end; p = line_end + 1)
    {
      const char *content_end;
      const char *colon;
      const char *value;
      const char *value_end;

      line_end = memchr (p, '\n', end - p);
      g_assert (line_end != NULL);
      content_end = line_end > p && line_end[-1] == '\r' ? line_end - 1 : line_end;
      if (content_end == p)
        break;

      if (*p == ' ' || *p == '\t')
        {
          *message = g_strdup (_("A header line is folded onto the next line (obsolete line "
                                 "folding is not accepted)"));
          return 400;
        }

      colon = memchr (p, ':', content_end - p);
      if (colon == NULL)
        {
          g_autofree char *shown = ladle_http_escape_for_display (p, content_end - p, 60);

          *message = g_strdup_printf (_("The header line “%s” has no colon"), shown);
          return 400;
        }
      value = colon + 1;
      value_end = content_end;
      trim_ows (&value, &value_end);
      if (!ladle_http_is_token (p, colon - p) || !value_is_clean (value, value_end))
        {
          g_autofree char *name = g_strndup (p, colon - p);
          g_autofree char *value_text = g_strndup (value, value_end - value);

          if (ladle_http_check_header_name (name, &error))
            ladle_http_check_header_value (name, value_text, &error);
          *message = g_strdup (error != NULL ? error->message : "");
          return 400;
        }

      if (name_is (p, colon - p, "Content-Length"))
        {
          if (content_length != NULL &&
              (content_length_len != (gsize) (value_end - value) ||
               memcmp (content_length, value, content_length_len) != 0))
            {
              *message = g_strdup (_("The request has two different Content-Length headers"));
              return 400;
            }
          content_length = value;
          content_length_len = value_end - value;
        }
      else if (name_is (p, colon - p, "Transfer-Encoding"))
        {
          if (codings == NULL)
            codings = g_ptr_array_new_with_free_func (g_free);
          add_codings (codings, value, value_end);
        }
      else if (name_is (p, colon - p, "Host"))
        n_host++;
      else if (name_is (p, colon - p, "Upgrade"))
        framing->upgrade = TRUE;
    }

  if (n_host > 1)
    {
      *message = g_strdup (_("The request has more than one Host header"));
      return 400;
    }

  if (content_length != NULL)
    {
      const char *digits = content_length;
      guint64 value = 0;

      if (!only_digits (digits, digits + content_length_len))
        {
          g_autofree char *shown = ladle_http_escape_for_display (content_length,
                                                                  content_length_len, 40);

          *message = g_strdup_printf (_("The Content-Length “%s” is not a number of bytes"), shown);
          return 400;
        }
      for (const char *d = digits; d < digits + content_length_len; d++)
        {
          if (value > (G_MAXINT64 - 9) / 10)
            {
              *message = g_strdup (_("The Content-Length is too large"));
              return 400;
            }
          value = value * 10 + (*d - '0');
        }
      framing->content_length = value;
      framing->has_content_length = TRUE;
    }

  if (codings != NULL)
    {
      if (content_length != NULL)
        {
          *message = g_strdup (_("The request has both Content-Length and Transfer-Encoding, so "
                                 "its length is ambiguous"));
          return 400;
        }
      if (http_1_0)
        {
          *message = g_strdup (_("Transfer-Encoding is not allowed in an HTTP/1.0 request"));
          return 400;
        }
      status = check_transfer_codings (codings, message);
      if (status != 0)
        return status;
      framing->chunked = TRUE;
    }

  return 0;
}

/* Where the held head ends by libsoup 3.2's rule (it reads lines and stops at an empty one, "\n"
 * or "\r\n", that follows at least two or three bytes of head), or 0 when it has not ended yet. */
static gsize
find_head_end (LadleHttpGate *self,
               const guint8  *data,
               gsize          len)
{
  while (self->scanned < len)
    {
      const guint8 *nl = memchr (data + self->scanned, '\n', len - self->scanned);
      gsize line_len;

      if (nl == NULL)
        return 0;

      line_len = nl - (data + self->scanned) + 1;
      if ((line_len == 1 && self->scanned >= 2) ||
          (line_len == 2 && data[self->scanned] == '\r' && self->scanned >= 3))
        return self->scanned + line_len;

      self->scanned += line_len;
    }

  return 0;
}

static void
message_done (LadleHttpGate *self)
{
  self->step = self->upgrade ? STEP_WAITING : STEP_HEAD;
  self->upgrade = FALSE;
}

static LadleHttpGateState
advance_head (LadleHttpGate *self,
              GByteArray    *buffer,
              gsize         *passable)
{
  const guint8 *data = buffer->data + *passable;
  gsize len = buffer->len - *passable;
  gsize head_len = find_head_end (self, data, len);
  Framing framing;
  char *message = NULL;
  guint status;

  if (head_len == 0)
    {
      /* Everything held belongs to this head */
      if (len > LADLE_HTTP_GATE_MAX_HEAD)
        return refuse (self, 431, g_strdup_printf (_("The request head is larger than %u KiB"),
                                                   LADLE_HTTP_GATE_MAX_HEAD / 1024));
      return LADLE_HTTP_GATE_NEED_MORE;
    }

  if (head_len > LADLE_HTTP_GATE_MAX_HEAD)
    return refuse (self, 431, g_strdup_printf (_("The request head is larger than %u KiB"),
                                               LADLE_HTTP_GATE_MAX_HEAD / 1024));

  status = check_head ((const char *) data, head_len, &framing, self->request_line, &message);
  if (status != 0)
    return refuse (self, status, message);

  *passable += head_len;
  self->scanned = 0;
  self->n_requests++;
  self->upgrade = framing.upgrade;

  if (framing.chunked)
    self->step = STEP_CHUNK_SIZE;
  else if (framing.content_length > 0)
    {
      self->step = STEP_BODY;
      self->remaining = framing.content_length;
    }
  else
    message_done (self);

  return LADLE_HTTP_GATE_NEED_MORE;
}

/* "1a2b;name=value\r\n" */
static LadleHttpGateState
advance_chunk_size (LadleHttpGate *self,
                    GByteArray    *buffer,
                    gsize         *passable)
{
  const guint8 *data = buffer->data + *passable;
  gsize len = buffer->len - *passable;
  const guint8 *nl = memchr (data, '\n', MIN (len, LADLE_HTTP_GATE_MAX_CHUNK_LINE));
  const guint8 *p = data;
  guint64 size = 0;
  guint digits = 0;

  if (nl == NULL)
    {
      if (len >= LADLE_HTTP_GATE_MAX_CHUNK_LINE)
        return refuse_in_body (self, g_strdup_printf (_("A chunk-size line of the body is longer "
                                                        "than %u bytes"),
                                                      LADLE_HTTP_GATE_MAX_CHUNK_LINE));
      return LADLE_HTTP_GATE_NEED_MORE;
    }

  if (nl == data || nl[-1] != '\r')
    goto invalid;

  while (p < nl - 1 && g_ascii_isxdigit (*p))
    {
      if (size != 0 || *p != '0')
        digits++;
      if (digits > 15)
        return refuse_in_body (self, g_strdup (_("A chunk of the body is larger than a server "
                                                 "can read")));
      size = size * 16 + g_ascii_xdigit_value (*p);
      p++;
    }
  if (p == data)
    goto invalid;

  /* Chunk extensions, which libsoup ignores: checked for what must never be in a line */
  while (p < nl - 1 && (*p == ' ' || *p == '\t'))
    p++;
  if (p < nl - 1)
    {
      if (*p != ';')
        goto invalid;
      for (; p < nl - 1; p++)
        if (*p != '\t' && (*p < 0x20 || *p == 0x7f))
          goto invalid;
    }

  *passable += nl - data + 1;
  if (size > 0)
    {
      self->step = STEP_CHUNK_DATA;
      self->remaining = size;
    }
  else
    {
      self->step = STEP_TRAILERS;
      self->trailer_bytes = 0;
    }
  return LADLE_HTTP_GATE_NEED_MORE;

invalid:
  {
    g_autofree char *shown = ladle_http_escape_for_display ((const char *) data, nl - data + 1, 40);

    return refuse_in_body (self, g_strdup_printf (_("“%s” is not a valid chunk-size line in the "
                                                    "chunked body"), shown));
  }
}

static LadleHttpGateState
advance_trailers (LadleHttpGate *self,
                  GByteArray    *buffer,
                  gsize         *passable)
{
  const guint8 *data = buffer->data + *passable;
  gsize len = buffer->len - *passable;
  const guint8 *nl = memchr (data, '\n', len);
  const char *colon;
  g_autoptr(GError) error = NULL;

  if (nl == NULL)
    {
      if (self->trailer_bytes + len > LADLE_HTTP_GATE_MAX_TRAILERS)
        goto too_big;
      return LADLE_HTTP_GATE_NEED_MORE;
    }

  if (nl == data || nl[-1] != '\r')
    goto invalid;

  if (nl == data + 1)
    {
      *passable += 2;
      message_done (self);
      return LADLE_HTTP_GATE_NEED_MORE;
    }

  self->trailer_bytes += nl - data + 1;
  if (self->trailer_bytes > LADLE_HTTP_GATE_MAX_TRAILERS)
    goto too_big;

  colon = memchr (data, ':', nl - 1 - data);
  if (colon == NULL)
    goto invalid;
  {
    g_autofree char *name = g_strndup ((const char *) data, colon - (const char *) data);
    g_autofree char *value = g_strndup (colon + 1, (const char *) nl - 1 - (colon + 1));

    if (!ladle_http_check_header (name, value, &error))
      goto invalid;
  }

  /* libsoup ends the body at the first line after the last chunk and would read the rest as the
   * next request: drop the trailer fields (nothing in Ladle reads them). */
  g_byte_array_remove_range (buffer, *passable, nl - data + 1);
  return LADLE_HTTP_GATE_NEED_MORE;

invalid:
  return refuse_in_body (self, g_strdup (_("A trailer field after the chunked body is not a valid "
                                           "header line")));
too_big:
  return refuse_in_body (self, g_strdup_printf (_("The trailer fields after the chunked body are "
                                                  "larger than %u KiB"),
                                                LADLE_HTTP_GATE_MAX_TRAILERS / 1024));
}

/**
 * ladle_http_gate_advance:
 * @buffer: bytes received and not yet handed on; those before @passable were approved already
 * @passable: (inout): how many bytes at the start of @buffer may be handed on
 *
 * Examines what follows @passable and moves it forward over everything that may be handed on:
 * complete, valid heads, body bytes, checked chunk lines. It may remove bytes from @buffer (trailer
 * fields). It stops at an incomplete head or line, at a violation, and after a request that asked
 * for an upgrade.
 */
LadleHttpGateState
ladle_http_gate_advance (LadleHttpGate *self,
                         GByteArray    *buffer,
                         gsize         *passable)
{
  g_return_val_if_fail (self != NULL, LADLE_HTTP_GATE_REFUSED);
  g_return_val_if_fail (*passable <= buffer->len, LADLE_HTTP_GATE_REFUSED);

  for (;;)
    {
      gsize len = buffer->len - *passable;
      gsize old_passable = *passable;
      guint old_len = buffer->len;
      Step old_step = self->step;
      LadleHttpGateState state = LADLE_HTTP_GATE_NEED_MORE;

      switch (self->step)
        {
        case STEP_HEAD:
          if (len == 0)
            return LADLE_HTTP_GATE_NEED_MORE;
          state = advance_head (self, buffer, passable);
          break;

        case STEP_BODY:
        case STEP_CHUNK_DATA:
          {
            guint64 n = MIN ((guint64) len, self->remaining);

            *passable += n;
            ladle_http_gate_consume_body (self, n);
          }
          break;

        case STEP_CHUNK_SIZE:
          if (len == 0)
            return LADLE_HTTP_GATE_NEED_MORE;
          state = advance_chunk_size (self, buffer, passable);
          break;

        case STEP_CHUNK_END:
          if (len >= 1 && buffer->data[*passable] != '\r')
            return refuse_in_body (self, g_strdup (_("A chunk of the body is not followed by "
                                                     "CRLF")));
          if (len < 2)
            return LADLE_HTTP_GATE_NEED_MORE;
          if (buffer->data[*passable + 1] != '\n')
            return refuse_in_body (self, g_strdup (_("A chunk of the body is not followed by "
                                                     "CRLF")));
          *passable += 2;
          self->step = STEP_CHUNK_SIZE;
          break;

        case STEP_TRAILERS:
          if (len == 0)
            return LADLE_HTTP_GATE_NEED_MORE;
          state = advance_trailers (self, buffer, passable);
          break;

        case STEP_WAITING:
          return LADLE_HTTP_GATE_WAITING;

        case STEP_PASSTHROUGH:
          *passable = buffer->len;
          return LADLE_HTTP_GATE_NEED_MORE;

        case STEP_REFUSED:
          return LADLE_HTTP_GATE_REFUSED;

        default:
          g_assert_not_reached ();
        }

      if (state != LADLE_HTTP_GATE_NEED_MORE)
        return state;

      /* No progress: wait for more bytes */
      if (*passable == old_passable && buffer->len == old_len && self->step == old_step)
        return LADLE_HTTP_GATE_NEED_MORE;
    }
}

/**
 * ladle_http_gate_body_remaining:
 *
 * Returns: how many bytes may pass unexamined from here (the rest of a body or of a chunk's data),
 *   so that they can be read straight into the reader's buffer; %G_MAXUINT64 when passing through
 */
guint64
ladle_http_gate_body_remaining (LadleHttpGate *self)
{
  if (self->step == STEP_BODY || self->step == STEP_CHUNK_DATA)
    return self->remaining;
  if (self->step == STEP_PASSTHROUGH)
    return G_MAXUINT64;
  return 0;
}

/**
 * ladle_http_gate_consume_body:
 *
 * Records @n bytes passed without being buffered (at most ladle_http_gate_body_remaining()).
 */
void
ladle_http_gate_consume_body (LadleHttpGate *self,
                              gsize          n)
{
  if (self->step == STEP_PASSTHROUGH)
    return;

  g_return_if_fail (self->step == STEP_BODY || self->step == STEP_CHUNK_DATA);
  g_return_if_fail (n <= self->remaining);

  self->remaining -= n;
  if (self->remaining > 0)
    return;

  if (self->step == STEP_BODY)
    message_done (self);
  else
    self->step = STEP_CHUNK_END;
}

/**
 * ladle_http_gate_resume:
 *
 * The request that asked for an upgrade was answered without one: check what follows it.
 */
void
ladle_http_gate_resume (LadleHttpGate *self)
{
  if (self->step == STEP_WAITING)
    self->step = STEP_HEAD;
}

/**
 * ladle_http_gate_set_passthrough:
 *
 * The connection switched protocols: everything from here passes untouched.
 */
void
ladle_http_gate_set_passthrough (LadleHttpGate *self)
{
  if (self->step != STEP_REFUSED)
    self->step = STEP_PASSTHROUGH;
}

gboolean
ladle_http_gate_get_passthrough (LadleHttpGate *self)
{
  return self->step == STEP_PASSTHROUGH;
}

gboolean
ladle_http_gate_is_refused (LadleHttpGate *self)
{
  return self->step == STEP_REFUSED;
}

/**
 * ladle_http_gate_get_refusal:
 * @message: (out) (optional): why, in words for people
 * @in_body: (out) (optional): whether it was found in the body of a request whose head was passed
 * @request_line: (out) (optional) (nullable): the request line of the refused request, escaped
 *
 * Returns: the status to answer with, or 0 when nothing was refused
 */
guint
ladle_http_gate_get_refusal (LadleHttpGate  *self,
                             const char    **message,
                             gboolean       *in_body,
                             const char    **request_line)
{
  if (message != NULL)
    *message = self->refusal_message;
  if (in_body != NULL)
    *in_body = self->refusal_in_body;
  if (request_line != NULL)
    *request_line = self->refusal_line;

  return self->step == STEP_REFUSED ? self->refusal_status : 0;
}

/**
 * ladle_http_gate_get_n_requests:
 *
 * Returns: how many request heads were passed so far
 */
guint
ladle_http_gate_get_n_requests (LadleHttpGate *self)
{
  return self->n_requests;
}
