/* ladle-websocket-codec.c
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

#include "ladle-websocket-codec-private.h"

/* LadleWebsocketCodec is RFC 6455 without extensions on an open connection. In the server role (the
 * default) it serves Ladle's echo routes on a stolen connection when the peer did not negotiate
 * permessage-deflate (those keep libsoup's SoupWebsocketConnection behind a LadleWebsocketStream);
 * in the client role it carries LadleWebsocketClient's connections that do not ask for deflate:
 * outgoing frames are masked with keys from a xorshift generator seeded per connection (RFC 6455
 * §5.3 wants them unpredictable to the peer's intermediaries, not secret), and a masked incoming
 * frame is a protocol error. libsoup 3.2 reads its input 1 KiB per recv(), unmasks and checks UTF-8
 * a byte at a time and allocates fresh buffers per message (doc/STACK.md §5, §13); here:
 *
 *  - reads are non-blocking and 64 KiB at a time, into a buffer on the stack; the payload of a
 *    large data frame is read straight into the message buffer, which is kept between messages
 *    (and freed after 2 s without a large message);
 *  - unmasking goes a 64-bit word at a time; text is checked as UTF-8 as it arrives (each byte
 *    once, with an ASCII fast path), so that a message fails at the first fragment that can no
 *    longer become valid UTF-8, not when its last fragment comes;
 *  - a reply is written with one writev() of header, prefix and payload; only what the socket
 *    does not take at once is copied and queued. Reading pauses while more than 1 MiB waits to be
 *    written, so a peer that does not read cannot make the server buffer without bound;
 *  - the limit holds for whole messages (fragments added up): over it, close 1009, and the rest
 *    of the message is read and dropped, never stored;
 *  - protocol errors close with 1002, invalid UTF-8 (messages or close reasons) with 1007. A
 *    client then ends the connection as soon as its close frame is written (RFC 6455 §7.1.7:
 *    a server that broke the protocol is not waited for); so does a server whose peer's close
 *    frame was the broken one, as that frame was the peer's half of the closing handshake
 *    (§7.1.1). Otherwise a server waits (up to 5 s) for the client's close frame, reading and
 *    dropping what comes before it, so that the client is not cut off before it read ours;
 *  - pings are answered; with a ping interval the codec pings the peer and drops it when no pong
 *    came for two intervals and a second.
 *
 * Everything runs on the thread-default context of the caller of ladle_websocket_codec_new(). */

#define READ_SIZE          (64 * 1024)
#define DIRECT_READ_MIN    (16 * 1024)
#define DIRECT_READ_MAX    (4 * 1024 * 1024)
#define RESERVE_MAX        (16 * 1024 * 1024)
#define OUT_HIGH_WATER     (1024 * 1024)
#define KEEP_BUFFER_SIZE   (64 * 1024)
#define TRIM_DELAY_MS      2000
#define CLOSE_TIMEOUT_MS   5000
#define READS_PER_DISPATCH 16

typedef enum
{
  STATE_OPEN,
  STATE_CLOSING,       /* we sent a close frame and wait for the peer's */
  STATE_PEER_CLOSED,   /* the peer sent one; we answer, then end the connection */
  STATE_CLOSED,
} State;

typedef enum
{
  DEST_MESSAGE,
  DEST_CONTROL,
  DEST_DISCARD,
} Dest;

struct _LadleWebsocketCodec
{
  guint                         ref_count;
  GIOStream                    *stream;
  GPollableInputStream         *in;
  GPollableOutputStream        *out;
  GMainContext                 *context;
  LadleWebsocketCodecCallbacks  cb;
  gpointer                      user_data;
  guint64                       limit;
  guint                         ping_interval;
  LadleWebsocketRole            role;
  guint64                       rng;

  State     state;
  gboolean  broken;       /* closing because the peer broke the protocol */
  gushort   close_code;   /* the peer's */
  char     *close_reason; /* the peer's */
  gboolean  paused;

  GSource *read_source;
  GSource *write_source;
  GSource *ping_source;
  GSource *close_timer;
  GSource *closed_idle;
  GSource *trim_source;

  /* The frame being parsed */
  guint8   hdr[14];
  gsize    hdr_len;
  gboolean in_payload;
  guint8   opcode;
  gboolean fin;
  gboolean masked;
  guint8   key[4];
  guint64  remaining;
  guint64  offset;
  Dest     dest;

  /* The message being assembled */
  gboolean  in_message;
  guint8    msg_opcode;
  guint8   *msg;
  gsize     msg_len;
  gsize     text_checked; /* of a text message: bytes known to be whole characters */
  gsize     msg_cap;
  gint64    last_large;
  guint8    ctrl[125];
  gsize     ctrl_len;

  /* The socket under the stream, when reads from the stream add no buffering of their own: its
   * source is polled instead of the stream's (see start_reading()) */
  GSocket *socket;

  /* Output the socket did not take yet */
  GByteArray *pending;
  gsize       pending_off;
  gboolean    shutdown_after_flush;

  gint64 last_pong;
};

static void shutdown_codec (LadleWebsocketCodec     *self);
static void fail           (LadleWebsocketCodec *self,
                            gushort              code,
                            const char          *reason);
static void protocol_error (LadleWebsocketCodec     *self,
                            LadleWebsocketViolation  violation,
                            guint                    value);

/* ------------------------------------------------------------------------------------------------
 * Helpers
 */

/**
 * ladle_websocket_unmask:
 * @data: bytes to unmask in place
 * @key: the frame's masking key
 * @offset: where @data starts in the frame's payload
 *
 * XORs @data with @key, a 64-bit word at a time.
 */
void
ladle_websocket_unmask (guint8       *data,
                        gsize         len,
                        const guint8  key[4],
                        guint64       offset)
{
  ladle_websocket_mask_copy (data, data, len, key, offset);
}

/**
 * ladle_websocket_mask_copy:
 * @dest: where the masked bytes go: @src itself, or memory that does not overlap it
 * @key: the frame's masking key
 * @offset: where @src starts in the frame's payload
 *
 * Copies @src to @dest XORed with @key, a 64-bit word at a time.
 */
void
ladle_websocket_mask_copy (guint8       *dest,
                           const guint8 *src,
                           gsize         len,
                           const guint8  key[4],
                           guint64       offset)
{
  guint8 k[8];
  guint64 word;
  gsize i = 0;

  for (guint j = 0; j < 8; j++)
    k[j] = key[(offset + j) & 3];
  memcpy (&word, k, 8);

  for (; i + 8 <= len; i += 8)
    {
      guint64 d;

      memcpy (&d, src + i, 8);
      d ^= word;
      memcpy (dest + i, &d, 8);
    }
  for (; i < len; i++)
    dest[i] = src[i] ^ k[i & 7];
}

/* Returns how many bytes at the start of @data are whole, valid characters (RFC 3629: no
 * overlong forms, surrogates or code points over U+10FFFF): all of them, or up to the first
 * byte that does not start one. */
static inline gsize
utf8_whole_length (const guint8 *data,
                   gsize         len)
{
  const guint8 *p = data;
  const guint8 *end;

  /* An empty message may have no buffer: NULL + 0 is undefined behaviour in C. */
  if (len == 0)
    return 0;

  end = data + len;
  while (p < end)
    {
      guint8 c, c1;

      if (end - p >= 16)
        {
          guint64 a, b;

          memcpy (&a, p, 8);
          memcpy (&b, p + 8, 8);
          if (((a | b) & G_GUINT64_CONSTANT (0x8080808080808080)) == 0)
            {
              p += 16;
              continue;
            }
        }

      c = *p;
      if (c < 0x80)
        {
          p++;
          continue;
        }
      if (c < 0xc2)
        break;
      if (c < 0xe0)
        {
          if (end - p < 2 || (p[1] & 0xc0) != 0x80)
            break;
          p += 2;
          continue;
        }
      if (c < 0xf0)
        {
          if (end - p < 3)
            break;
          c1 = p[1];
          if ((c1 & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
            break;
          if ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 > 0x9f))
            break;
          p += 3;
          continue;
        }
      if (c < 0xf5)
        {
          if (end - p < 4)
            break;
          c1 = p[1];
          if ((c1 & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80)
            break;
          if ((c == 0xf0 && c1 < 0x90) || (c == 0xf4 && c1 > 0x8f))
            break;
          p += 4;
          continue;
        }
      break;
    }

  return p - data;
}

/* Whether @data (fewer than 4 bytes) are the first bytes of a valid character, cut short. */
static gboolean
utf8_is_cut_character (const guint8 *data,
                       gsize         len)
{
  guint8 c = data[0];
  gsize need;

  if (c >= 0xc2 && c < 0xe0)
    need = 2;
  else if (c >= 0xe0 && c < 0xf0)
    need = 3;
  else if (c >= 0xf0 && c < 0xf5)
    need = 4;
  else
    return FALSE;

  if (len >= need)
    return FALSE;
  for (gsize k = 1; k < len; k++)
    if ((data[k] & 0xc0) != 0x80)
      return FALSE;
  /* The second byte's narrower ranges: no overlong forms, surrogates or code points over
   * U+10FFFF (RFC 3629 §4). */
  if (len >= 2 &&
      ((c == 0xe0 && data[1] < 0xa0) || (c == 0xed && data[1] > 0x9f) ||
       (c == 0xf0 && data[1] < 0x90) || (c == 0xf4 && data[1] > 0x8f)))
    return FALSE;

  return TRUE;
}

/**
 * ladle_websocket_utf8_validate:
 *
 * Checks UTF-8 as RFC 3629 defines it (no overlong forms, surrogates or code points over
 * U+10FFFF); unlike g_utf8_validate(), NUL is a valid character.
 *
 * Returns: whether @data is valid UTF-8
 */
gboolean
ladle_websocket_utf8_validate (const guint8 *data,
                               gsize         len)
{
  return utf8_whole_length (data, len) == len;
}

/**
 * ladle_websocket_utf8_check_prefix:
 * @out_whole: (out): how many bytes at the start of @data are whole characters
 *
 * Checks text that may go on: @data must be valid UTF-8 (as ladle_websocket_utf8_validate() sees
 * it) but for a character cut at its end, whose bytes so far must be the start of a valid one.
 *
 * Returns: whether more bytes could still make @data valid UTF-8
 */
gboolean
ladle_websocket_utf8_check_prefix (const guint8 *data,
                                   gsize         len,
                                   gsize        *out_whole)
{
  gsize whole = utf8_whole_length (data, len);

  *out_whole = whole;
  return whole == len || (len - whole < 4 && utf8_is_cut_character (data + whole, len - whole));
}

static gboolean
close_code_is_valid (guint code)
{
  return (code >= 1000 && code <= 1003) ||
         (code >= 1007 && code <= 1014) ||
         (code >= 3000 && code <= 4999);
}

static LadleWebsocketCodec *
codec_ref (LadleWebsocketCodec *self)
{
  self->ref_count++;
  return self;
}

static void
codec_unref (LadleWebsocketCodec *self)
{
  if (--self->ref_count > 0)
    return;

  g_assert (self->read_source == NULL && self->write_source == NULL);
  g_clear_object (&self->stream);
  g_clear_object (&self->socket);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->pending, g_byte_array_unref);
  g_free (self->close_reason);
  g_free (self->msg);
  g_free (self);
}

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
free_message_buffer (LadleWebsocketCodec *self)
{
  g_clear_pointer (&self->msg, g_free);
  self->msg_cap = 0;
  self->msg_len = 0;
}

static void
reserve_message (LadleWebsocketCodec *self,
                 gsize                extra)
{
  gsize need = self->msg_len + extra;

  if (need <= self->msg_cap)
    return;
  /* Grow by at least half for fragmented messages; a single frame gets exactly its size. */
  need = MAX (need, self->msg_len > 0 ? self->msg_cap + self->msg_cap / 2 : need);
  self->msg = g_realloc (self->msg, need);
  self->msg_cap = need;
}

/* ------------------------------------------------------------------------------------------------
 * Output
 */

static gboolean on_writable (GObject  *stream,
                             gpointer  user_data);
static void     start_reading (LadleWebsocketCodec *self);

static void
after_flush (LadleWebsocketCodec *self)
{
  if (self->pending->len > self->pending_off)
    return;

  if (self->shutdown_after_flush)
    {
      shutdown_codec (self);
      return;
    }
  if (self->paused && self->state != STATE_PEER_CLOSED)
    {
      self->paused = FALSE;
      start_reading (self);
    }
}

static void
queue_output (LadleWebsocketCodec *self,
              const GOutputVector *vectors,
              guint                n_vectors,
              gsize                skip)
{
  for (guint i = 0; i < n_vectors; i++)
    {
      gsize size = vectors[i].size;

      if (skip >= size)
        {
          skip -= size;
          continue;
        }
      g_byte_array_append (self->pending, (const guint8 *) vectors[i].buffer + skip, size - skip);
      skip = 0;
    }

  if (self->write_source == NULL)
    {
      self->write_source = g_pollable_output_stream_create_source (self->out, NULL);
      g_source_set_name (self->write_source, "[ladle] websocket write");
      g_source_set_callback (self->write_source, G_SOURCE_FUNC (on_writable),
                             self, NULL);
      g_source_attach (self->write_source, self->context);
    }

  /* A peer that does not read: stop reading its input until it catches up. */
  if (self->pending->len - self->pending_off > OUT_HIGH_WATER && !self->paused)
    {
      self->paused = TRUE;
      clear_source (&self->read_source);
    }
}

/* xorshift64*: fast, and seeded per connection from GLib's generator. */
static guint32
next_mask_key (LadleWebsocketCodec *self)
{
  guint64 x = self->rng;

  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  self->rng = x;
  return (guint32) ((x * G_GUINT64_CONSTANT (2685821657736338717)) >> 32);
}

/* The client role: the payload has to be copied to be masked, so the frame is built in the
 * output buffer (behind what already waits there) and written from it; what the socket does not
 * take at once simply stays there. */
static void
send_masked_frame (LadleWebsocketCodec *self,
                   guint8              *header,
                   gsize                header_len,
                   const void          *prefix,
                   gsize                prefix_len,
                   const void          *data,
                   gsize                len)
{
  guint32 key_word = next_mask_key (self);
  guint8 key[4];
  gboolean idle = self->pending->len == self->pending_off;
  gsize start;
  guint8 *p;
  gssize n;
  g_autoptr(GError) error = NULL;

  memcpy (key, &key_word, 4);
  header[1] |= 0x80;

  if (idle)
    {
      g_byte_array_set_size (self->pending, 0);
      self->pending_off = 0;
    }
  start = self->pending->len;
  g_byte_array_set_size (self->pending, start + header_len + 4 + prefix_len + len);
  p = self->pending->data + start;
  memcpy (p, header, header_len);
  p += header_len;
  memcpy (p, key, 4);
  p += 4;
  if (prefix_len > 0)
    ladle_websocket_mask_copy (p, prefix, prefix_len, key, 0);
  p += prefix_len;
  if (len > 0)
    ladle_websocket_mask_copy (p, data, len, key, prefix_len);

  if (!idle)
    {
      queue_output (self, NULL, 0, 0);
      return;
    }

  n = g_pollable_output_stream_write_nonblocking (self->out, self->pending->data,
                                                  self->pending->len, NULL, &error);
  if (n < 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_debug ("WebSocket write failed: %s", error->message);
          shutdown_codec (self);
          return;
        }
      n = 0;
    }

  self->pending_off = n;
  if (self->pending_off == self->pending->len)
    {
      self->pending_off = 0;
      if (self->pending->len > RESERVE_MAX)
        {
          g_byte_array_unref (self->pending);
          self->pending = g_byte_array_new ();
        }
      else
        {
          g_byte_array_set_size (self->pending, 0);
        }
      return;
    }
  queue_output (self, NULL, 0, 0);
}

static void
send_frame (LadleWebsocketCodec *self,
            guint8               opcode,
            const void          *prefix,
            gsize                prefix_len,
            const void          *data,
            gsize                len)
{
  guint8 header[10];
  gsize header_len;
  gsize total = prefix_len + len;
  GOutputVector vectors[3];
  guint n_vectors = 0;
  gsize written = 0;
  g_autoptr(GError) error = NULL;

  if (self->state == STATE_CLOSED)
    return;

  header[0] = 0x80 | opcode;
  if (total < 126)
    {
      header[1] = total;
      header_len = 2;
    }
  else if (total <= G_MAXUINT16)
    {
      header[1] = 126;
      header[2] = total >> 8;
      header[3] = total & 0xff;
      header_len = 4;
    }
  else
    {
      header[1] = 127;
      for (guint k = 0; k < 8; k++)
        header[2 + k] = ((guint64) total >> (56 - 8 * k)) & 0xff;
      header_len = 10;
    }

  if (self->role == LADLE_WEBSOCKET_ROLE_CLIENT)
    {
      send_masked_frame (self, header, header_len, prefix, prefix_len, data, len);
      return;
    }

  vectors[n_vectors++] = (GOutputVector) { header, header_len };
  if (prefix_len > 0)
    vectors[n_vectors++] = (GOutputVector) { prefix, prefix_len };
  if (len > 0)
    vectors[n_vectors++] = (GOutputVector) { data, len };

  if (self->pending->len > self->pending_off)
    {
      queue_output (self, vectors, n_vectors, 0);
      return;
    }

  switch (g_pollable_output_stream_writev_nonblocking (self->out, vectors, n_vectors, &written,
                                                       NULL, &error))
    {
    case G_POLLABLE_RETURN_OK:
      if (written < header_len + total)
        queue_output (self, vectors, n_vectors, written);
      break;
    case G_POLLABLE_RETURN_WOULD_BLOCK:
      queue_output (self, vectors, n_vectors, 0);
      break;
    case G_POLLABLE_RETURN_FAILED:
    default:
      g_debug ("WebSocket write failed: %s", error ? error->message : "?");
      shutdown_codec (self);
      break;
    }
}

static gboolean
on_writable (GObject  *stream,
             gpointer  user_data)
{
  LadleWebsocketCodec *self = user_data;
  g_autoptr(GError) error = NULL;
  gssize n;

  n = g_pollable_output_stream_write_nonblocking (self->out,
                                                  self->pending->data + self->pending_off,
                                                  self->pending->len - self->pending_off,
                                                  NULL, &error);
  if (n < 0)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return G_SOURCE_CONTINUE;
      g_debug ("WebSocket write failed: %s", error->message);
      codec_ref (self);
      shutdown_codec (self);
      codec_unref (self);
      return G_SOURCE_REMOVE;
    }

  self->pending_off += n;
  if (self->pending_off < self->pending->len)
    return G_SOURCE_CONTINUE;

  self->pending_off = 0;
  if (self->pending->len > KEEP_BUFFER_SIZE)
    {
      g_byte_array_unref (self->pending);
      self->pending = g_byte_array_new ();
    }
  else
    {
      g_byte_array_set_size (self->pending, 0);
    }
  clear_source (&self->write_source);

  codec_ref (self);
  after_flush (self);
  codec_unref (self);

  return G_SOURCE_REMOVE;
}

/* ------------------------------------------------------------------------------------------------
 * Closing
 */

static gboolean
emit_closed (gpointer user_data)
{
  LadleWebsocketCodec *self = user_data;

  g_clear_pointer (&self->closed_idle, g_source_unref);
  if (self->cb.closed != NULL)
    self->cb.closed (self, self->user_data);

  return G_SOURCE_REMOVE;
}

/* Ends the connection at once, without (more of) a close handshake. */
static void
shutdown_codec (LadleWebsocketCodec *self)
{
  if (self->state == STATE_CLOSED)
    return;
  self->state = STATE_CLOSED;

  clear_source (&self->read_source);
  clear_source (&self->write_source);
  clear_source (&self->ping_source);
  clear_source (&self->close_timer);
  clear_source (&self->trim_source);
  g_io_stream_close (self->stream, NULL, NULL);
  free_message_buffer (self);

  self->closed_idle = g_idle_source_new ();
  g_source_set_priority (self->closed_idle, G_PRIORITY_DEFAULT);
  g_source_set_name (self->closed_idle, "[ladle] websocket closed");
  g_source_set_callback (self->closed_idle, emit_closed, codec_ref (self),
                         (GDestroyNotify) codec_unref);
  g_source_attach (self->closed_idle, self->context);
}

static gboolean
on_close_timeout (gpointer user_data)
{
  LadleWebsocketCodec *self = user_data;

  g_clear_pointer (&self->close_timer, g_source_unref);
  codec_ref (self);
  shutdown_codec (self);
  codec_unref (self);

  return G_SOURCE_REMOVE;
}

static void
send_close (LadleWebsocketCodec *self,
            gushort              code,
            const char          *reason)
{
  guint8 payload[125];
  gsize len = 0;

  if (code != 0)
    {
      payload[0] = code >> 8;
      payload[1] = code & 0xff;
      len = 2;
      if (reason != NULL)
        {
          const char *end = reason + MIN (strlen (reason), sizeof payload - 2);

          /* Cut at a character boundary: the reason must stay UTF-8. */
          g_utf8_validate (reason, end - reason, &end);
          memcpy (payload + 2, reason, end - reason);
          len += end - reason;
        }
    }
  send_frame (self, LADLE_WEBSOCKET_OPCODE_CLOSE, NULL, 0, payload, len);
}

/* A client that sent a close frame still takes the server's messages until its close frame
 * (RFC 6455 §1.4: the replies to what it sent before may be on their way). A server stops
 * reading data once it started closing. */
static gboolean
takes_data (LadleWebsocketCodec *self)
{
  return self->state == STATE_OPEN ||
         (self->state == STATE_CLOSING && self->role == LADLE_WEBSOCKET_ROLE_CLIENT &&
          !self->broken);
}

/* Sends a close frame and waits (a while) for the peer's. */
static void
fail (LadleWebsocketCodec *self,
      gushort              code,
      const char          *reason)
{
  if (self->state != STATE_OPEN)
    return;

  send_close (self, code, reason);
  if (self->state == STATE_CLOSED)
    return;
  self->state = STATE_CLOSING;
  if (!takes_data (self))
    {
      self->in_message = FALSE;
      self->msg_len = 0;
      self->text_checked = 0;
      if (self->in_payload && self->dest == DEST_MESSAGE)
        self->dest = DEST_DISCARD;
    }
  clear_source (&self->ping_source);

  self->close_timer = g_timeout_source_new (CLOSE_TIMEOUT_MS);
  g_source_set_name (self->close_timer, "[ladle] websocket close timeout");
  g_source_set_callback (self->close_timer, on_close_timeout, self, NULL);
  g_source_attach (self->close_timer, self->context);
}

static gushort
violation_code (LadleWebsocketViolation violation)
{
  switch (violation)
    {
    case LADLE_WEBSOCKET_VIOLATION_TOO_BIG:
      return 1009;
    case LADLE_WEBSOCKET_VIOLATION_TEXT_UTF8:
    case LADLE_WEBSOCKET_VIOLATION_CLOSE_REASON_UTF8:
      return 1007;
    default:
      return 1002;
    }
}

/* English, for logs and the reason of our close frame (it fits in one) */
static void
describe_violation (LadleWebsocketViolation  violation,
                    guint                    value,
                    char                    *buffer,
                    gsize                    size)
{
  static const char * const reasons[] = {
    [LADLE_WEBSOCKET_VIOLATION_TOO_BIG] = "Message too big",
    [LADLE_WEBSOCKET_VIOLATION_TEXT_UTF8] = "Invalid UTF-8 in a text message",
    [LADLE_WEBSOCKET_VIOLATION_CLOSE_REASON_UTF8] = "Invalid UTF-8 in the close reason",
    [LADLE_WEBSOCKET_VIOLATION_RESERVED_BITS] = "Reserved bits set",
    [LADLE_WEBSOCKET_VIOLATION_RESERVED_OPCODE] = "Reserved opcode",
    [LADLE_WEBSOCKET_VIOLATION_UNMASKED] = "Client frames must be masked",
    [LADLE_WEBSOCKET_VIOLATION_MASKED] = "Server frames must not be masked",
    [LADLE_WEBSOCKET_VIOLATION_FRAGMENTED_CONTROL] = "Fragmented control frame",
    [LADLE_WEBSOCKET_VIOLATION_LONG_CONTROL] = "Control frame over 125 bytes",
    [LADLE_WEBSOCKET_VIOLATION_STRAY_CONTINUATION] = "Continuation frame outside a message",
    [LADLE_WEBSOCKET_VIOLATION_NESTED_MESSAGE] = "New message inside a fragmented message",
    [LADLE_WEBSOCKET_VIOLATION_FRAME_LENGTH] = "Invalid frame length",
    [LADLE_WEBSOCKET_VIOLATION_CLOSE_PAYLOAD] = "Close frame with a 1-byte payload",
    [LADLE_WEBSOCKET_VIOLATION_CLOSE_CODE] = "Invalid close code",
  };

  if (violation == LADLE_WEBSOCKET_VIOLATION_RESERVED_OPCODE)
    g_snprintf (buffer, size, "Reserved opcode 0x%X", value);
  else if (violation == LADLE_WEBSOCKET_VIOLATION_CLOSE_CODE)
    g_snprintf (buffer, size, "Invalid close code %u", value);
  else
    g_strlcpy (buffer, reasons[violation], size);
}

/* The peer broke the protocol (or the size limit): tell the owner, then close. */
static void
protocol_error (LadleWebsocketCodec     *self,
                LadleWebsocketViolation  violation,
                guint                    value)
{
  char reason[64];
  LadleWebsocketProtocolError error = { violation, violation_code (violation), value, reason };
  gboolean peer_closed = violation == LADLE_WEBSOCKET_VIOLATION_CLOSE_PAYLOAD ||
                         violation == LADLE_WEBSOCKET_VIOLATION_CLOSE_CODE ||
                         violation == LADLE_WEBSOCKET_VIOLATION_CLOSE_REASON_UTF8;

  if (self->state != STATE_OPEN)
    return;

  describe_violation (violation, value, reason, sizeof reason);
  self->broken = TRUE;
  if (self->cb.error != NULL)
    self->cb.error (self, &error, self->user_data);
  fail (self, error.code, reason);

  /* See the top of the file: when not to wait for the peer's close frame. A message over the
   * limit breaks no rule, so a client still waits for the server's answer to its 1009. */
  if (self->state == STATE_CLOSING &&
      (peer_closed ||
       (self->role == LADLE_WEBSOCKET_ROLE_CLIENT &&
        violation != LADLE_WEBSOCKET_VIOLATION_TOO_BIG)))
    {
      self->shutdown_after_flush = TRUE;
      after_flush (self);
    }
}


/* ------------------------------------------------------------------------------------------------
 * Input
 */

static gboolean
on_trim (gpointer user_data)
{
  LadleWebsocketCodec *self = user_data;

  if (g_get_monotonic_time () - self->last_large < TRIM_DELAY_MS * 1000)
    return G_SOURCE_CONTINUE;

  if (!self->in_message)
    free_message_buffer (self);
  g_clear_pointer (&self->trim_source, g_source_unref);

  return G_SOURCE_REMOVE;
}

static void
message_done (LadleWebsocketCodec *self)
{
  self->in_message = FALSE;

  /* Its bytes were checked as they came: only a character cut at the very end is left. */
  if (self->msg_opcode == LADLE_WEBSOCKET_OPCODE_TEXT && self->text_checked != self->msg_len)
    {
      protocol_error (self, LADLE_WEBSOCKET_VIOLATION_TEXT_UTF8, 0);
      return;
    }

  if (self->cb.message != NULL)
    self->cb.message (self, self->msg_opcode, self->msg, self->msg_len, self->user_data);
  self->msg_len = 0;

  if (self->msg_cap > KEEP_BUFFER_SIZE)
    {
      self->last_large = g_get_monotonic_time ();
      if (self->trim_source == NULL && self->state != STATE_CLOSED)
        {
          self->trim_source = g_timeout_source_new (TRIM_DELAY_MS);
          g_source_set_name (self->trim_source, "[ladle] websocket trim");
          g_source_set_callback (self->trim_source, on_trim, self, NULL);
          g_source_attach (self->trim_source, self->context);
        }
    }
}

static void
control_done (LadleWebsocketCodec *self)
{
  if (self->state != STATE_OPEN)
    {
      /* Closing: only the peer's close frame matters now. */
      if (self->opcode == LADLE_WEBSOCKET_OPCODE_CLOSE)
        {
          if (self->ctrl_len >= 2)
            {
              self->close_code = (gushort) (self->ctrl[0] << 8 | self->ctrl[1]);
              g_free (self->close_reason);
              self->close_reason = g_utf8_make_valid ((const char *) self->ctrl + 2,
                                                      self->ctrl_len - 2);
            }
          else
            {
              self->close_code = 1005;
            }
          shutdown_codec (self);
        }
      return;
    }

  switch (self->opcode)
    {
    case LADLE_WEBSOCKET_OPCODE_PING:
      send_frame (self, LADLE_WEBSOCKET_OPCODE_PONG, NULL, 0, self->ctrl, self->ctrl_len);
      break;

    case LADLE_WEBSOCKET_OPCODE_PONG:
      self->last_pong = g_get_monotonic_time ();
      if (self->cb.pong != NULL)
        self->cb.pong (self, self->ctrl, self->ctrl_len, self->user_data);
      break;

    case LADLE_WEBSOCKET_OPCODE_CLOSE:
      if (self->ctrl_len == 1)
        {
          protocol_error (self, LADLE_WEBSOCKET_VIOLATION_CLOSE_PAYLOAD, 0);
          return;
        }
      if (self->ctrl_len >= 2)
        {
          guint code = self->ctrl[0] << 8 | self->ctrl[1];

          if (!close_code_is_valid (code))
            {
              protocol_error (self, LADLE_WEBSOCKET_VIOLATION_CLOSE_CODE, code);
              return;
            }
          if (!ladle_websocket_utf8_validate (self->ctrl + 2, self->ctrl_len - 2))
            {
              protocol_error (self, LADLE_WEBSOCKET_VIOLATION_CLOSE_REASON_UTF8, 0);
              return;
            }
          self->close_code = code;
          g_free (self->close_reason);
          self->close_reason = g_strndup ((const char *) self->ctrl + 2, self->ctrl_len - 2);
        }
      else
        {
          self->close_code = 1005;
        }

      if (self->cb.peer_close != NULL)
        {
          self->cb.peer_close (self, self->close_code, self->close_reason, self->user_data);
          if (self->state != STATE_OPEN)
            return;
        }

      /* Echo the code and reason, as libsoup does, then end the connection once written. */
      self->state = STATE_PEER_CLOSED;
      clear_source (&self->read_source);
      clear_source (&self->ping_source);
      send_frame (self, LADLE_WEBSOCKET_OPCODE_CLOSE, NULL, 0, self->ctrl, self->ctrl_len);
      self->shutdown_after_flush = TRUE;
      if (self->state != STATE_CLOSED)
        after_flush (self);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
frame_done (LadleWebsocketCodec *self)
{
  self->in_payload = FALSE;
  self->hdr_len = 0;

  if (self->opcode & 0x8)
    {
      if (self->dest == DEST_CONTROL || self->opcode == LADLE_WEBSOCKET_OPCODE_CLOSE)
        control_done (self);
    }
  else if (self->fin && self->dest == DEST_MESSAGE && takes_data (self))
    {
      message_done (self);
    }
}

/* Checks a whole frame header and sets up where its payload goes. */
static void
header_done (LadleWebsocketCodec *self)
{
  guint8 b0 = self->hdr[0];
  guint8 b1 = self->hdr[1];
  gboolean masked = (b1 & 0x80) != 0;
  guint64 len = b1 & 0x7f;
  gsize pos = 2;
  gboolean control;

  if (len == 126)
    {
      len = (guint64) self->hdr[2] << 8 | self->hdr[3];
      pos = 4;
    }
  else if (len == 127)
    {
      len = 0;
      for (guint k = 0; k < 8; k++)
        len = len << 8 | self->hdr[2 + k];
      pos = 10;
    }
  self->masked = masked;
  if (masked)
    memcpy (self->key, self->hdr + pos, 4);
  else
    memset (self->key, 0, 4);

  self->fin = (b0 & 0x80) != 0;
  self->opcode = b0 & 0x0f;
  self->remaining = len;
  self->offset = 0;
  self->in_payload = TRUE;
  self->dest = DEST_DISCARD;
  control = (self->opcode & 0x8) != 0;

  if (len >> 63)
    {
      /* Not even framing can go on from here. */
      if (self->state == STATE_OPEN)
        protocol_error (self, LADLE_WEBSOCKET_VIOLATION_FRAME_LENGTH, 0);
      shutdown_codec (self);
      return;
    }

  if (takes_data (self) && !(control && self->state != STATE_OPEN))
    {
      int violation = -1;

      if ((b0 & 0x70) != 0)
        violation = LADLE_WEBSOCKET_VIOLATION_RESERVED_BITS;
      else if (self->opcode > LADLE_WEBSOCKET_OPCODE_PONG ||
               (self->opcode > LADLE_WEBSOCKET_OPCODE_BINARY && !control))
        violation = LADLE_WEBSOCKET_VIOLATION_RESERVED_OPCODE;
      else if (self->role == LADLE_WEBSOCKET_ROLE_SERVER && !masked)
        violation = LADLE_WEBSOCKET_VIOLATION_UNMASKED;
      else if (self->role == LADLE_WEBSOCKET_ROLE_CLIENT && masked)
        violation = LADLE_WEBSOCKET_VIOLATION_MASKED;
      else if (control && !self->fin)
        violation = LADLE_WEBSOCKET_VIOLATION_FRAGMENTED_CONTROL;
      else if (control && len > 125)
        violation = LADLE_WEBSOCKET_VIOLATION_LONG_CONTROL;
      else if (self->opcode == LADLE_WEBSOCKET_OPCODE_CONTINUATION && !self->in_message)
        violation = LADLE_WEBSOCKET_VIOLATION_STRAY_CONTINUATION;
      else if (!control && self->opcode != LADLE_WEBSOCKET_OPCODE_CONTINUATION && self->in_message)
        violation = LADLE_WEBSOCKET_VIOLATION_NESTED_MESSAGE;

      if (violation >= 0)
        {
          protocol_error (self, violation,
                          violation == LADLE_WEBSOCKET_VIOLATION_RESERVED_OPCODE ?
                            self->opcode : 0);
        }
      else if (control)
        {
          self->dest = DEST_CONTROL;
          self->ctrl_len = 0;
        }
      else
        {
          if (self->opcode != LADLE_WEBSOCKET_OPCODE_CONTINUATION)
            {
              self->in_message = TRUE;
              self->msg_opcode = self->opcode;
              self->msg_len = 0;
              self->text_checked = 0;
            }
          if (len > self->limit || self->msg_len + len > self->limit)
            {
              if (self->cb.too_big != NULL)
                self->cb.too_big (self, self->user_data);
              protocol_error (self, LADLE_WEBSOCKET_VIOLATION_TOO_BIG, 0);
            }
          else
            {
              self->dest = DEST_MESSAGE;
              reserve_message (self, MIN (len, RESERVE_MAX));
            }
        }
    }

  /* Closing: payloads are skipped, except the peer's close frame. */
  if (self->state != STATE_OPEN && self->opcode == LADLE_WEBSOCKET_OPCODE_CLOSE && len <= 125)
    {
      self->dest = DEST_CONTROL;
      self->ctrl_len = 0;
    }

  if (self->remaining == 0 && self->state != STATE_CLOSED)
    frame_done (self);
}

/* Checks what came of a text message since the last call: it must still be able to become
 * valid UTF-8 (its last character may be cut). Each byte is looked at once, but for the at most
 * three of a cut character. */
static gboolean
text_can_be_valid (LadleWebsocketCodec *self)
{
  gsize whole = 0;
  gboolean ok = ladle_websocket_utf8_check_prefix (self->msg + self->text_checked,
                                                   self->msg_len - self->text_checked, &whole);

  self->text_checked += whole;
  return ok;
}

/* @n bytes of the payload were added, unmasked, at the end of the message buffer. */
static void
payload_added (LadleWebsocketCodec *self,
               gsize                n)
{
  self->msg_len += n;
  self->remaining -= n;
  self->offset += n;
  if (self->msg_opcode == LADLE_WEBSOCKET_OPCODE_TEXT && !text_can_be_valid (self))
    {
      /* The rest of this frame is not kept; fail at this fragment, not at the message's end. */
      self->dest = DEST_DISCARD;
      protocol_error (self, LADLE_WEBSOCKET_VIOLATION_TEXT_UTF8, 0);
    }
  if (self->remaining == 0)
    frame_done (self);
}

/* @n bytes of the payload were read, as they came, to the end of the message buffer. */
static void
payload_stored (LadleWebsocketCodec *self,
                gsize                n)
{
  if (self->masked)
    ladle_websocket_unmask (self->msg + self->msg_len, n, self->key, self->offset);
  payload_added (self, n);
}

/* Takes in bytes read from the socket. */
static void
feed (LadleWebsocketCodec *self,
      const guint8        *data,
      gsize                len)
{
  while (len > 0 && self->state != STATE_CLOSED && self->state != STATE_PEER_CLOSED)
    {
      if (!self->in_payload)
        {
          gsize need;
          gsize take;

          if (self->hdr_len < 2)
            {
              take = MIN (len, 2 - self->hdr_len);
              memcpy (self->hdr + self->hdr_len, data, take);
              self->hdr_len += take;
              data += take;
              len -= take;
              if (self->hdr_len < 2)
                break;
            }

          /* Now the full size of the header is known. */
          need = 2;
          if ((self->hdr[1] & 0x7f) == 126)
            need += 2;
          else if ((self->hdr[1] & 0x7f) == 127)
            need += 8;
          if (self->hdr[1] & 0x80)
            need += 4;

          take = MIN (len, need - self->hdr_len);
          memcpy (self->hdr + self->hdr_len, data, take);
          self->hdr_len += take;
          data += take;
          len -= take;
          if (self->hdr_len == need)
            header_done (self);
        }
      else
        {
          gsize take = MIN ((guint64) len, self->remaining);

          switch (self->dest)
            {
            case DEST_MESSAGE:
              /* Copied and unmasked in one pass */
              reserve_message (self, take);
              if (self->masked)
                ladle_websocket_mask_copy (self->msg + self->msg_len, data, take, self->key,
                                           self->offset);
              else
                memcpy (self->msg + self->msg_len, data, take);
              payload_added (self, take);
              data += take;
              len -= take;
              continue;
            case DEST_CONTROL:
              if (self->masked)
                ladle_websocket_mask_copy (self->ctrl + self->ctrl_len, data, take, self->key,
                                           self->offset);
              else
                memcpy (self->ctrl + self->ctrl_len, data, take);
              self->ctrl_len += take;
              break;
            case DEST_DISCARD:
            default:
              break;
            }
          data += take;
          len -= take;
          self->remaining -= take;
          self->offset += take;
          if (self->remaining == 0)
            frame_done (self);
        }
    }
}

/* Whether the next bytes are a large payload, to be read straight into the message buffer */
static inline gboolean
reads_direct (LadleWebsocketCodec *self)
{
  return self->in_payload && self->dest == DEST_MESSAGE && self->remaining >= DIRECT_READ_MIN;
}

/* Reads what there is; returns whether the socket may still have more right now. */
static gboolean
read_once (LadleWebsocketCodec *self)
{
  guint8 buffer[READ_SIZE];
  g_autoptr(GError) error = NULL;
  gssize n;
  gsize want;

  if (reads_direct (self))
    {
      want = MIN (self->remaining, DIRECT_READ_MAX);
      reserve_message (self, want);
      n = g_pollable_input_stream_read_nonblocking (self->in, self->msg + self->msg_len, want,
                                                    NULL, &error);
      if (n > 0)
        payload_stored (self, n);
    }
  else
    {
      want = sizeof buffer;
      n = g_pollable_input_stream_read_nonblocking (self->in, buffer, want, NULL, &error);
      if (n > 0)
        feed (self, buffer, n);
    }

  if (n < 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_debug ("WebSocket read failed: %s", error->message);
          shutdown_codec (self);
        }
      return FALSE;
    }
  if (n == 0)
    {
      /* The peer went away without (finishing) the close handshake. */
      shutdown_codec (self);
      return FALSE;
    }

  return (gsize) n == want;
}

static gboolean
on_readable (GObject  *stream,
             gpointer  user_data)
{
  LadleWebsocketCodec *self = user_data;

  codec_ref (self);
  for (guint i = 0; i < READS_PER_DISPATCH; i++)
    {
      if (!read_once (self) || self->read_source == NULL)
        break;
    }
  codec_unref (self);

  return G_SOURCE_CONTINUE;
}

static gboolean
on_socket_readable (GSocket      *socket,
                    GIOCondition  condition,
                    gpointer      user_data)
{
  return on_readable (NULL, user_data);
}

static void
start_reading (LadleWebsocketCodec *self)
{
  if (self->read_source != NULL || self->state == STATE_CLOSED ||
      self->state == STATE_PEER_CLOSED)
    return;

  /* GLib blocks a source while it dispatches it (unless it may recurse): it takes the
   * descriptors out of the poll set and puts them back after, each time waking the context through
   * its eventfd. A pollable stream's source has a socket source as a child, dispatched too: six
   * write() calls per message, measured. When the socket under the stream is known (see
   * ladle_websocket_codec_set_socket()), one socket source, allowed to recurse, does the same job
   * with none; on_readable() runs no nested loop, so recursion is harmless. */
  if (self->socket != NULL)
    {
      self->read_source = g_socket_create_source (self->socket, G_IO_IN, NULL);
      g_source_set_callback (self->read_source, G_SOURCE_FUNC (on_socket_readable), self, NULL);
    }
  else
    {
      self->read_source = g_pollable_input_stream_create_source (self->in, NULL);
      g_source_set_callback (self->read_source, G_SOURCE_FUNC (on_readable), self, NULL);
    }
  g_source_set_name (self->read_source, "[ladle] websocket read");
  g_source_set_can_recurse (self->read_source, TRUE);
  g_source_attach (self->read_source, self->context);
}

static gboolean
on_ping_timer (gpointer user_data)
{
  LadleWebsocketCodec *self = user_data;
  gint64 deadline = (2 * (gint64) self->ping_interval + 1) * G_USEC_PER_SEC;

  if (g_get_monotonic_time () - self->last_pong > deadline)
    {
      /* A peer that does not answer pings will not answer a close frame either. */
      g_clear_pointer (&self->ping_source, g_source_unref);
      codec_ref (self);
      if (self->cb.dead != NULL)
        self->cb.dead (self, self->user_data);
      shutdown_codec (self);
      codec_unref (self);
      return G_SOURCE_REMOVE;
    }

  send_frame (self, LADLE_WEBSOCKET_OPCODE_PING, NULL, 0, "ladle", 5);

  return G_SOURCE_CONTINUE;
}

/**
 * _ladle_websocket_codec_receive:
 * @data: bytes of the peer's stream
 *
 * Takes in @data as if it had been read from the connection, in reads as read_once() makes
 * them (large payloads straight into the message buffer), without a socket or a main loop: for
 * the fuzzing harness and tests. What the codec answers goes to its output stream.
 */
void
_ladle_websocket_codec_receive (LadleWebsocketCodec *self,
                                const guint8        *data,
                                gsize                len)
{
  g_return_if_fail (self != NULL);

  codec_ref (self);
  while (len > 0 && self->state != STATE_CLOSED && self->state != STATE_PEER_CLOSED)
    {
      gsize n;

      if (reads_direct (self))
        {
          n = (gsize) MIN ((guint64) MIN (len, DIRECT_READ_MAX), self->remaining);
          reserve_message (self, n);
          memcpy (self->msg + self->msg_len, data, n);
          payload_stored (self, n);
        }
      else
        {
          n = MIN (len, READ_SIZE);
          feed (self, data, n);
        }
      data += n;
      len -= n;
    }
  codec_unref (self);
}

/* ------------------------------------------------------------------------------------------------
 * Public API
 */

/**
 * ladle_websocket_codec_can_use:
 * @stream: a connection just after the WebSocket handshake
 *
 * Returns: whether both sides of @stream can be polled, as the codec needs
 */
gboolean
ladle_websocket_codec_can_use (GIOStream *stream)
{
  GInputStream *in = g_io_stream_get_input_stream (stream);
  GOutputStream *out = g_io_stream_get_output_stream (stream);

  return G_IS_POLLABLE_INPUT_STREAM (in) &&
         g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (in)) &&
         G_IS_POLLABLE_OUTPUT_STREAM (out) &&
         g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (out));
}

/**
 * ladle_websocket_codec_new:
 * @stream: a WebSocket connection just after the handshake (no extension); the server side
 *   unless ladle_websocket_codec_set_role() says otherwise
 * @max_message_size: the largest data message, in bytes; 0 for no limit
 * @ping_interval: seconds between pings to the peer, 0 for none
 * @callbacks: what to call; copied
 *
 * Returns: (transfer full): a codec; call ladle_websocket_codec_start() to begin reading, and
 *   ladle_websocket_codec_release() to let it go
 */
LadleWebsocketCodec *
ladle_websocket_codec_new (GIOStream                          *stream,
                           guint64                             max_message_size,
                           guint                               ping_interval,
                           const LadleWebsocketCodecCallbacks *callbacks,
                           gpointer                            user_data)
{
  LadleWebsocketCodec *self;

  g_return_val_if_fail (G_IS_IO_STREAM (stream), NULL);
  g_return_val_if_fail (ladle_websocket_codec_can_use (stream), NULL);
  g_return_val_if_fail (callbacks != NULL, NULL);

  self = g_new0 (LadleWebsocketCodec, 1);
  self->ref_count = 1;
  self->stream = g_object_ref (stream);
  self->in = G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (stream));
  self->out = G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (stream));
  self->context = g_main_context_ref_thread_default ();
  self->cb = *callbacks;
  self->user_data = user_data;
  self->limit = max_message_size > 0 ? max_message_size : G_MAXUINT64;
  self->ping_interval = ping_interval;
  self->pending = g_byte_array_new ();
  self->last_pong = g_get_monotonic_time ();
  self->role = LADLE_WEBSOCKET_ROLE_SERVER;
  self->rng = ((guint64) g_random_int () << 32 | g_random_int ()) | 1;
  if (G_IS_SOCKET_CONNECTION (stream))
    self->socket = g_object_ref (g_socket_connection_get_socket (G_SOCKET_CONNECTION (stream)));

  return self;
}

/**
 * ladle_websocket_codec_set_socket:
 * @socket: the socket under the codec's stream
 *
 * Tells the codec which socket its stream reads from, so that it can wait on the socket itself
 * (cheaper than the stream's pollable source). Only for a stream that, once the bytes it holds
 * are drained, reads straight from @socket: a plain connection or a buffering stream over one
 * (libsoup's stolen server connection), never TLS. Call before starting the codec; a
 * #GSocketConnection needs no call.
 */
void
ladle_websocket_codec_set_socket (LadleWebsocketCodec *self,
                                  GSocket             *socket)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (G_IS_SOCKET (socket));
  g_return_if_fail (self->read_source == NULL);

  g_set_object (&self->socket, socket);
}

/**
 * ladle_websocket_codec_set_role:
 *
 * Chooses which side of the connection the codec speaks for; call before starting it.
 */
void
ladle_websocket_codec_set_role (LadleWebsocketCodec *self,
                                LadleWebsocketRole   role)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (self->read_source == NULL);

  self->role = role;
}

/**
 * ladle_websocket_codec_set_max_message_size:
 * @max_message_size: the largest data message, in bytes; 0 for no limit
 *
 * Applies from the next frame on.
 */
void
ladle_websocket_codec_set_max_message_size (LadleWebsocketCodec *self,
                                            guint64              max_message_size)
{
  g_return_if_fail (self != NULL);

  self->limit = max_message_size > 0 ? max_message_size : G_MAXUINT64;
}

/**
 * ladle_websocket_codec_start:
 *
 * Reads what already arrived, then waits for more; starts the pings.
 */
void
ladle_websocket_codec_start (LadleWebsocketCodec *self)
{
  g_return_if_fail (self != NULL);

  ladle_websocket_codec_start_with_data (self, NULL, 0);
}

/**
 * ladle_websocket_codec_start_with_data:
 * @data: (nullable): bytes of the connection that were read along with the handshake
 *
 * Like ladle_websocket_codec_start(), taking in @data first.
 */
void
ladle_websocket_codec_start_with_data (LadleWebsocketCodec *self,
                                       const guint8        *data,
                                       gsize                len)
{
  g_return_if_fail (self != NULL);

  codec_ref (self);

  if (len > 0)
    feed (self, data, len);

  /* Drain until the stream would block: a buffering stream (libsoup's SoupFilterInputStream)
   * gives a source that fires at once while it holds data, so poll only once it is empty. */
  while (self->state == STATE_OPEN && read_once (self))
    ;
  start_reading (self);

  if (self->ping_interval > 0 && self->state == STATE_OPEN)
    {
      self->ping_source = g_timeout_source_new (self->ping_interval * 1000);
      g_source_set_name (self->ping_source, "[ladle] websocket ping");
      g_source_set_callback (self->ping_source, on_ping_timer, self, NULL);
      g_source_attach (self->ping_source, self->context);
    }

  codec_unref (self);
}

/**
 * ladle_websocket_codec_send:
 * @prefix: (nullable): bytes sent before @data in the same message
 *
 * Sends one unfragmented data message: @prefix then @data. Ignored unless the connection is open.
 */
void
ladle_websocket_codec_send (LadleWebsocketCodec  *self,
                            LadleWebsocketOpcode  opcode,
                            const void           *prefix,
                            gsize                 prefix_len,
                            const void           *data,
                            gsize                 len)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (opcode == LADLE_WEBSOCKET_OPCODE_TEXT ||
                    opcode == LADLE_WEBSOCKET_OPCODE_BINARY);

  if (self->state != STATE_OPEN)
    return;
  send_frame (self, opcode, prefix, prefix_len, data, len);
}

/**
 * ladle_websocket_codec_ping:
 * @data: (nullable): the payload, at most 125 bytes
 *
 * Sends a ping. Ignored unless the connection is open.
 */
void
ladle_websocket_codec_ping (LadleWebsocketCodec *self,
                            const void          *data,
                            gsize                len)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (len <= 125);

  if (self->state != STATE_OPEN)
    return;
  send_frame (self, LADLE_WEBSOCKET_OPCODE_PING, NULL, 0, data, len);
}

/**
 * ladle_websocket_codec_close:
 * @code: the close code to send, or 0 for a close frame without a code
 * @reason: (nullable): the reason, UTF-8, cut to fit a control frame
 *
 * Starts the close handshake; the connection ends when the peer answers, or after 5 s.
 */
void
ladle_websocket_codec_close (LadleWebsocketCodec *self,
                             gushort              code,
                             const char          *reason)
{
  g_return_if_fail (self != NULL);

  codec_ref (self);
  fail (self, code, reason);
  codec_unref (self);
}

gboolean
ladle_websocket_codec_is_open (LadleWebsocketCodec *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->state == STATE_OPEN;
}

/**
 * ladle_websocket_codec_get_close_code:
 *
 * Returns: the close code the peer sent (1005 for a close frame without one), or 0
 */
gushort
ladle_websocket_codec_get_close_code (LadleWebsocketCodec *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->close_code;
}

/**
 * ladle_websocket_codec_steal_message:
 *
 * Only from the message callback: takes the buffer that holds the message (g_free() it), so
 * that a large message need not be copied. The codec allocates a new one for the next message.
 *
 * Returns: (transfer full): the message's bytes, trimmed to its length
 */
guint8 *
ladle_websocket_codec_steal_message (LadleWebsocketCodec *self)
{
  guint8 *data;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (self->msg != NULL, NULL);

  data = self->msg_cap > self->msg_len ? g_realloc (self->msg, MAX (self->msg_len, 1))
                                       : self->msg;
  self->msg = NULL;
  self->msg_cap = 0;
  self->msg_len = 0;
  return data;
}

/**
 * ladle_websocket_codec_get_close_reason:
 *
 * Returns: (nullable): the reason in the peer's close frame (made valid UTF-8), or %NULL
 */
const char *
ladle_websocket_codec_get_close_reason (LadleWebsocketCodec *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->close_reason;
}

/**
 * ladle_websocket_codec_release:
 *
 * Ends the connection if it is still there (writing what is queued first when the socket takes
 * it at once), calls nothing more, and drops the caller's reference.
 */
void
ladle_websocket_codec_release (LadleWebsocketCodec *self)
{
  g_return_if_fail (self != NULL);

  memset (&self->cb, 0, sizeof self->cb);
  if (self->write_source != NULL)
    on_writable (G_OBJECT (self->out), self);
  shutdown_codec (self);
  clear_source (&self->closed_idle);
  codec_unref (self);
}
