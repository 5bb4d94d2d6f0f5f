/* ladle-websocket-stream.c
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

#include "ladle-websocket-codec.h"
#include "ladle-websocket-stream.h"

/* LadleWebsocketStream sits between a server-side WebSocket's socket and libsoup 3.2's
 * SoupWebsocketConnection, which has two problems we cannot fix inside libsoup (doc/STACK.md §5):
 *
 *  - it reads its input 1 KiB per recv(). We read the socket in 64 KiB blocks and serve libsoup's
 *    small non-blocking reads from that buffer.
 *  - it limits each frame, not each message: fragments and permessage-deflate make a message of
 *    any size. We parse the frame headers going by (the client's frames, always masked) and count
 *    the size of the current data message; compressed payloads are inflated into a scratch buffer
 *    only to count their size. A message over the limit is not passed on: its frames are dropped
 *    (control frames in between still go through, so the close handshake works) and
 *    "message-too-big" is emitted once, for the owner to close the connection with 1009.
 *
 *  - it checks the UTF-8 of a text message only once the message is whole: a client can send
 *    fragments of invalid text for as long as it likes. We check the text of every fragment but
 *    the last (libsoup checks that one) as it passes, and a fragment that cannot become valid
 *    UTF-8 any more is passed on marked as the message's last: libsoup then checks the message
 *    and fails the connection with 1007 at once (or 1002 when a compressed fragment ends inside a
 *    deflate block, which then cannot be inflated on its own). The rest of the message is
 *    dropped here.
 *
 * Frames are only ever passed on or dropped whole, so libsoup's parser stays in step. An
 * uncompressed frame is judged by its header and streamed; a compressed frame, and a text
 * fragment that is not the last, is held back until it has been inflated (or checked) entirely,
 * so it is bounded by the limit too (a frame whose compressed payload alone is over the limit is
 * dropped at its header).
 *
 * The opening handshake is here too (ladle_websocket_server_process_handshake()): libsoup 3.2
 * answers every permessage-deflate offer of a client that made several (RFC 7692 §5: fallbacks, in
 * order of preference), which such clients refuse, and fails the whole handshake on a single offer
 * it cannot accept. */

#define READ_BLOCK_SIZE   (64 * 1024)
#define INFLATE_OUT_SIZE  (16 * 1024)
#define UNMASK_CHUNK_SIZE 4096

G_DECLARE_FINAL_TYPE (LadleWebsocketInputStream, ladle_websocket_input_stream, LADLE,
                      WEBSOCKET_INPUT_STREAM, GInputStream)

typedef enum
{
  PARSE_HEADER,
  PARSE_PAYLOAD,
} ParseState;

struct _LadleWebsocketInputStream
{
  GInputStream   parent_instance;

  /* Owned references */
  GInputStream  *base;
  GByteArray    *buf;
  GCancellable  *abort;
  GError        *abort_error;
  GConverter    *inflater;

  /* Borrowed references */
  LadleWebsocketStream *owner;

  guint64        limit;
  gboolean       deflate;
  gboolean       eof;

  /* buf: [0, ready) may be handed out, from rd on; [ready, parsed) is a compressed frame held
   * back while it is counted; [parsed, len) is not parsed yet (part of a frame header). */
  gsize          rd;
  gsize          ready;
  gsize          parsed;

  ParseState     state;
  guint64        remaining;       /* of the current frame's payload */
  guint64        payload_offset;
  guint8         mask[4];
  gboolean       frame_fin;
  gboolean       frame_drop;
  gboolean       frame_hold;      /* compressed: held back from ready and inflated */
  gsize          frame_start;     /* buf index of a held frame's header */

  gboolean       in_message;
  gboolean       message_compressed;
  gboolean       message_drop;
  guint64        message_size;    /* inflated size when compressed */
  gboolean       inflater_broken;
  gboolean       too_big;

  /* The text of a text message, checked as held fragments pass */
  gboolean       message_text;
  gboolean       text_invalid;
  guint8         text_tail[4];    /* a character cut at the end of what was checked */
  gsize          text_tail_len;
};

struct _LadleWebsocketStream
{
  GIOStream           parent_instance;

  /* Owned references */
  GIOStream                 *base;
  LadleWebsocketInputStream *input;
};

enum {
  MESSAGE_TOO_BIG,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void ladle_websocket_input_stream_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LadleWebsocketInputStream, ladle_websocket_input_stream,
                               G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      ladle_websocket_input_stream_pollable_init))
G_DEFINE_FINAL_TYPE (LadleWebsocketStream, ladle_websocket_stream, G_TYPE_IO_STREAM)

/* ------------------------------------------------------------------------------------------------
 * Frame accounting
 */

static void
report_too_big (LadleWebsocketInputStream *self)
{
  g_assert (LADLE_IS_WEBSOCKET_INPUT_STREAM (self));

  if (self->too_big)
    return;

  self->too_big = TRUE;
  if (self->owner != NULL)
    g_signal_emit (self->owner, signals[MESSAGE_TOO_BIG], 0);
}

/* Checks the next piece of a text message's (inflated, unmasked) bytes; notes when the text can
 * no longer become valid UTF-8. */
static void
check_text (LadleWebsocketInputStream *self,
            const guint8              *data,
            gsize                      len)
{
  gsize whole = 0;

  /* First the rest of a character cut at the end of the previous piece, a byte at a time. */
  while (self->text_tail_len > 0 && len > 0 && !self->text_invalid)
    {
      self->text_tail[self->text_tail_len++] = *data++;
      len--;
      if (!ladle_websocket_utf8_check_prefix (self->text_tail, self->text_tail_len, &whole))
        self->text_invalid = TRUE;
      else if (whole == self->text_tail_len)
        self->text_tail_len = 0;
    }
  if (len == 0 || self->text_invalid)
    return;

  if (!ladle_websocket_utf8_check_prefix (data, len, &whole))
    {
      self->text_invalid = TRUE;
      return;
    }
  memcpy (self->text_tail, data + whole, len - whole);
  self->text_tail_len = len - whole;
}

/* Checks the (masked) payload bytes of a held, uncompressed text fragment. */
static void
check_plain_text (LadleWebsocketInputStream *self,
                  const guint8              *data,
                  gsize                      len)
{
  guint8 chunk[UNMASK_CHUNK_SIZE];

  while (len > 0 && !self->text_invalid)
    {
      gsize n = MIN (len, sizeof chunk);

      /* (an unmasked frame has a mask of zeros) */
      ladle_websocket_mask_copy (chunk, data, n, self->mask, self->payload_offset);
      check_text (self, chunk, n);
      self->payload_offset += n;
      data += n;
      len -= n;
    }
}

/* Counts what @data (masked payload bytes) inflates to; FALSE when the message went over the
 * limit, or cannot be counted any more. The text of a text message is checked on the way. */
static gboolean
count_inflated (LadleWebsocketInputStream *self,
                const guint8              *data,
                gsize                      len,
                gboolean                   masked)
{
  guint8 in[UNMASK_CHUNK_SIZE];
  g_autofree guint8 *out = NULL;

  g_assert (LADLE_IS_WEBSOCKET_INPUT_STREAM (self));

  if (self->inflater_broken)
    return FALSE;

  if (self->inflater == NULL)
    self->inflater = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW));

  out = g_malloc (INFLATE_OUT_SIZE);

  while (len > 0)
    {
      gsize n = MIN (len, sizeof in);
      const guint8 *p = in;
      gsize left = n;

      for (gsize k = 0; k < n; k++)
        in[k] = masked ? data[k] ^ self->mask[(self->payload_offset + k) & 3] : data[k];
      self->payload_offset += n;
      data += n;
      len -= n;

      for (;;)
        {
          g_autoptr(GError) error = NULL;
          gsize bytes_read = 0, bytes_written = 0;
          GConverterResult res;

          res = g_converter_convert (self->inflater, p, left, out, INFLATE_OUT_SIZE,
                                     G_CONVERTER_NO_FLAGS, &bytes_read, &bytes_written, &error);
          if (res == G_CONVERTER_ERROR)
            {
              if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
                break;
              /* Corrupt data: libsoup fails on it as well. We cannot count later messages. */
              self->inflater_broken = TRUE;
              return TRUE;
            }

          self->message_size += bytes_written;
          if (self->message_size > self->limit)
            return FALSE;
          if (self->message_text && !self->text_invalid)
            check_text (self, out, bytes_written);

          p += bytes_read;
          left -= bytes_read;

          /* A final deflate block: the peer starts a new stream for the next message. */
          if (res == G_CONVERTER_FINISHED)
            g_converter_reset (self->inflater);

          if (left == 0 && bytes_written < INFLATE_OUT_SIZE)
            break;
        }
    }

  return TRUE;
}

static void
drop_range (LadleWebsocketInputStream *self,
            gsize                      at,
            gsize                      len)
{
  g_byte_array_remove_range (self->buf, at, len);
}

/* The held compressed frame turned out too big: forget all of it. */
static gsize
drop_held_frame (LadleWebsocketInputStream *self,
                 gsize                      end)
{
  gsize start = self->frame_start;

  drop_range (self, start, end - start);
  self->frame_hold = FALSE;
  self->frame_drop = TRUE;
  self->message_drop = TRUE;
  /* Our inflater has lost the peer's context; later compressed messages cannot be counted. */
  self->inflater_broken = TRUE;
  report_too_big (self);

  return start;
}

static void
finish_frame (LadleWebsocketInputStream *self,
              gsize                     *i)
{
  static const guint8 trailer[] = { 0x00, 0x00, 0xff, 0xff };

  if (self->frame_hold && self->frame_fin && self->message_compressed)
    {
      /* RFC 7692 §7.2.2: the sender removed this trailer from the end of each message. */
      if (!count_inflated (self, trailer, sizeof trailer, FALSE))
        *i = drop_held_frame (self, *i);
    }
  else if (self->frame_hold && self->text_invalid && !self->message_drop)
    {
      /* See the top of the file: libsoup is to check the message now. */
      self->buf->data[self->frame_start] |= 0x80;
      self->message_drop = TRUE;
    }

  self->frame_hold = FALSE;
  self->frame_drop = FALSE;
  self->state = PARSE_HEADER;
}

static gboolean
parse_header (LadleWebsocketInputStream *self,
              gsize                     *i)
{
  const guint8 *h = self->buf->data + *i;
  gsize avail = self->buf->len - *i;
  gsize hlen;
  guint64 payload_len;
  guint8 opcode;
  gboolean masked, rsv1, control;

  if (avail < 2)
    return FALSE;

  masked = (h[1] & 0x80) != 0;
  hlen = 2 + ((h[1] & 0x7f) == 126 ? 2 : (h[1] & 0x7f) == 127 ? 8 : 0) + (masked ? 4 : 0);
  if (avail < hlen)
    return FALSE;

  switch (h[1] & 0x7f)
    {
    case 126:
      payload_len = ((guint64) h[2] << 8) | h[3];
      break;
    case 127:
      payload_len = 0;
      for (guint k = 2; k < 10; k++)
        payload_len = (payload_len << 8) | h[k];
      break;
    default:
      payload_len = h[1] & 0x7f;
      break;
    }

  if (masked)
    memcpy (self->mask, h + hlen - 4, 4);
  else
    memset (self->mask, 0, 4);

  self->frame_fin = (h[0] & 0x80) != 0;
  rsv1 = (h[0] & 0x40) != 0;
  opcode = h[0] & 0x0f;
  control = (opcode & 0x08) != 0;
  self->frame_drop = FALSE;
  self->frame_hold = FALSE;
  self->remaining = payload_len;
  self->payload_offset = 0;
  self->state = PARSE_PAYLOAD;

  /* Control frames (close, ping, pong) pass as they are: libsoup checks them. */
  if (!control)
    {
      if (opcode != 0 || !self->in_message)
        {
          self->in_message = TRUE;
          self->message_size = 0;
          self->message_drop = FALSE;
          self->message_compressed = rsv1 && self->deflate;
          self->message_text = opcode == 0x1;
          self->text_invalid = FALSE;
          self->text_tail_len = 0;
        }

      if (!self->message_compressed)
        self->message_size = payload_len > G_MAXUINT64 - self->message_size ?
                             G_MAXUINT64 : self->message_size + payload_len;

      if (self->message_drop)
        {
          self->frame_drop = TRUE;
        }
      else if (payload_len > self->limit || self->message_size > self->limit ||
               (self->message_compressed && self->inflater_broken))
        {
          self->frame_drop = TRUE;
          self->message_drop = TRUE;
          if (self->message_compressed)
            self->inflater_broken = TRUE;
          report_too_big (self);
        }
      else if (self->message_compressed || (self->message_text && !self->frame_fin))
        {
          self->frame_hold = TRUE;
          self->frame_start = *i;
        }

      if (self->frame_fin)
        self->in_message = FALSE;
    }

  if (self->frame_drop)
    drop_range (self, *i, hlen);
  else
    *i += hlen;

  return TRUE;
}

static void
parse (LadleWebsocketInputStream *self)
{
  gsize i = self->parsed;

  while (i < self->buf->len || (self->state == PARSE_PAYLOAD && self->remaining == 0))
    {
      if (self->state == PARSE_HEADER)
        {
          if (!parse_header (self, &i))
            break;
        }
      else
        {
          gsize n = (gsize) MIN (self->remaining, (guint64) (self->buf->len - i));

          if (self->frame_drop)
            {
              drop_range (self, i, n);
            }
          else
            {
              if (self->frame_hold && !self->message_compressed)
                {
                  check_plain_text (self, self->buf->data + i, n);
                }
              else if (self->frame_hold &&
                       !count_inflated (self, self->buf->data + i, n, TRUE))
                {
                  self->remaining -= n;
                  i = drop_held_frame (self, i + n);
                  if (self->remaining == 0)
                    finish_frame (self, &i);
                  continue;
                }
              i += n;
            }

          self->remaining -= n;
          if (self->remaining == 0)
            finish_frame (self, &i);
        }

      if (!self->frame_hold)
        self->ready = i;
    }

  if (self->frame_hold)
    self->ready = self->frame_start;
  self->parsed = i;
}

/* ------------------------------------------------------------------------------------------------
 * LadleWebsocketInputStream
 */

static gboolean
fill (LadleWebsocketInputStream  *self,
      gboolean                    blocking,
      GCancellable               *cancellable,
      GError                    **error)
{
  gsize len;
  gssize n;

  if (self->rd > 0)
    {
      drop_range (self, 0, self->rd);
      self->ready -= self->rd;
      self->parsed -= self->rd;
      if (self->frame_hold)
        self->frame_start -= self->rd;
      self->rd = 0;
    }

  len = self->buf->len;
  g_byte_array_set_size (self->buf, len + READ_BLOCK_SIZE);
  if (blocking)
    n = g_input_stream_read (self->base, self->buf->data + len, READ_BLOCK_SIZE,
                             cancellable, error);
  else
    n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (self->base),
                                                  self->buf->data + len, READ_BLOCK_SIZE,
                                                  cancellable, error);
  g_byte_array_set_size (self->buf, len + MAX (n, 0));
  if (self->buf->len == 0)
    {
      /* Nothing came: do not keep the block allocated for an idle connection. */
      g_byte_array_unref (self->buf);
      self->buf = g_byte_array_new ();
    }

  if (n < 0)
    return FALSE;
  if (n == 0)
    self->eof = TRUE;
  else
    parse (self);

  return TRUE;
}

static gssize
read_internal (LadleWebsocketInputStream  *self,
               void                       *buffer,
               gsize                       count,
               gboolean                    blocking,
               GCancellable               *cancellable,
               GError                    **error)
{
  gsize n;

  if (self->abort_error != NULL)
    {
      g_set_error_literal (error, self->abort_error->domain, self->abort_error->code,
                           self->abort_error->message);
      return -1;
    }

  while (self->ready == self->rd && !self->eof)
    {
      if (!fill (self, blocking, cancellable, error))
        return -1;
    }

  n = MIN (count, self->ready - self->rd);
  if (n > 0)
    {
      memcpy (buffer, self->buf->data + self->rd, n);
      self->rd += n;
    }

  /* Keep the 64 KiB block only while it holds something: idle connections cost nothing. */
  if (self->rd == self->buf->len && self->buf->len > 0)
    {
      g_byte_array_unref (self->buf);
      self->buf = g_byte_array_new ();
      self->rd = self->ready = self->parsed = 0;
    }

  return n;
}

static gssize
ladle_websocket_input_stream_read (GInputStream  *stream,
                                   void          *buffer,
                                   gsize          count,
                                   GCancellable  *cancellable,
                                   GError       **error)
{
  return read_internal (LADLE_WEBSOCKET_INPUT_STREAM (stream), buffer, count, TRUE, cancellable,
                        error);
}

static gboolean
ladle_websocket_input_stream_close (GInputStream  *stream,
                                    GCancellable  *cancellable,
                                    GError       **error)
{
  /* The base stream is closed with the LadleWebsocketStream's base GIOStream. */
  return TRUE;
}

static gboolean
ladle_websocket_input_stream_can_poll (GPollableInputStream *stream)
{
  LadleWebsocketInputStream *self = LADLE_WEBSOCKET_INPUT_STREAM (stream);

  return g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (self->base));
}

static gboolean
has_pending (LadleWebsocketInputStream *self)
{
  return self->ready > self->rd || self->eof || self->abort_error != NULL;
}

static gboolean
ladle_websocket_input_stream_is_readable (GPollableInputStream *stream)
{
  LadleWebsocketInputStream *self = LADLE_WEBSOCKET_INPUT_STREAM (stream);

  return has_pending (self) ||
         g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (self->base));
}

static GSource *
ladle_websocket_input_stream_create_source (GPollableInputStream *stream,
                                            GCancellable         *cancellable)
{
  LadleWebsocketInputStream *self = LADLE_WEBSOCKET_INPUT_STREAM (stream);
  g_autoptr(GSource) base_source = NULL;
  g_autoptr(GSource) abort_source = NULL;
  GSource *source;

  if (!has_pending (self))
    base_source = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (self->base),
                                                         NULL);

  source = g_pollable_source_new_full (self, base_source, cancellable);
  if (base_source == NULL)
    g_source_set_ready_time (source, 0);

  /* ladle_websocket_stream_abort() wakes a reader that waits on the socket. */
  abort_source = g_cancellable_source_new (self->abort);
  g_source_set_dummy_callback (abort_source);
  g_source_add_child_source (source, abort_source);

  return source;
}

static gssize
ladle_websocket_input_stream_read_nonblocking (GPollableInputStream  *stream,
                                               void                  *buffer,
                                               gsize                  count,
                                               GError               **error)
{
  return read_internal (LADLE_WEBSOCKET_INPUT_STREAM (stream), buffer, count, FALSE, NULL, error);
}

static void
ladle_websocket_input_stream_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = ladle_websocket_input_stream_can_poll;
  iface->is_readable = ladle_websocket_input_stream_is_readable;
  iface->create_source = ladle_websocket_input_stream_create_source;
  iface->read_nonblocking = ladle_websocket_input_stream_read_nonblocking;
}

static void
ladle_websocket_input_stream_finalize (GObject *object)
{
  LadleWebsocketInputStream *self = (LadleWebsocketInputStream *) object;

  g_clear_object (&self->base);
  g_clear_pointer (&self->buf, g_byte_array_unref);
  g_clear_object (&self->abort);
  g_clear_error (&self->abort_error);
  g_clear_object (&self->inflater);

  G_OBJECT_CLASS (ladle_websocket_input_stream_parent_class)->finalize (object);
}

static void
ladle_websocket_input_stream_class_init (LadleWebsocketInputStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *input_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = ladle_websocket_input_stream_finalize;
  input_class->read_fn = ladle_websocket_input_stream_read;
  input_class->close_fn = ladle_websocket_input_stream_close;
}

static void
ladle_websocket_input_stream_init (LadleWebsocketInputStream *self)
{
  self->buf = g_byte_array_new ();
  self->abort = g_cancellable_new ();
}

/* ------------------------------------------------------------------------------------------------
 * LadleWebsocketStream
 */

static GInputStream *
ladle_websocket_stream_get_input_stream (GIOStream *stream)
{
  LadleWebsocketStream *self = LADLE_WEBSOCKET_STREAM (stream);

  return G_INPUT_STREAM (self->input);
}

static GOutputStream *
ladle_websocket_stream_get_output_stream (GIOStream *stream)
{
  LadleWebsocketStream *self = LADLE_WEBSOCKET_STREAM (stream);

  return g_io_stream_get_output_stream (self->base);
}

static gboolean
ladle_websocket_stream_close (GIOStream     *stream,
                              GCancellable  *cancellable,
                              GError       **error)
{
  LadleWebsocketStream *self = LADLE_WEBSOCKET_STREAM (stream);

  g_input_stream_close (G_INPUT_STREAM (self->input), NULL, NULL);
  return g_io_stream_close (self->base, cancellable, error);
}

/* GIOStream's default runs close() in a worker thread; closing a socket does not block, so do it
 * here, on the caller's context. */
static void
ladle_websocket_stream_close_async (GIOStream           *stream,
                                    int                  io_priority,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, ladle_websocket_stream_close_async);
  if (ladle_websocket_stream_close (stream, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static gboolean
ladle_websocket_stream_close_finish (GIOStream     *stream,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
ladle_websocket_stream_dispose (GObject *object)
{
  LadleWebsocketStream *self = (LadleWebsocketStream *) object;

  if (self->input != NULL)
    self->input->owner = NULL;

  G_OBJECT_CLASS (ladle_websocket_stream_parent_class)->dispose (object);
}

static void
ladle_websocket_stream_finalize (GObject *object)
{
  LadleWebsocketStream *self = (LadleWebsocketStream *) object;

  g_clear_object (&self->input);
  g_clear_object (&self->base);

  G_OBJECT_CLASS (ladle_websocket_stream_parent_class)->finalize (object);
}

static void
ladle_websocket_stream_class_init (LadleWebsocketStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GIOStreamClass *io_class = G_IO_STREAM_CLASS (klass);

  object_class->dispose = ladle_websocket_stream_dispose;
  object_class->finalize = ladle_websocket_stream_finalize;
  io_class->get_input_stream = ladle_websocket_stream_get_input_stream;
  io_class->get_output_stream = ladle_websocket_stream_get_output_stream;
  io_class->close_fn = ladle_websocket_stream_close;
  io_class->close_async = ladle_websocket_stream_close_async;
  io_class->close_finish = ladle_websocket_stream_close_finish;

  /**
   * LadleWebsocketStream::message-too-big:
   *
   * Emitted once, from within a read, when a data message goes over the limit. Its frames are
   * no longer passed on; the owner should close the connection with 1009, from an idle.
   */
  signals[MESSAGE_TOO_BIG] =
    g_signal_new ("message-too-big",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
ladle_websocket_stream_init (LadleWebsocketStream *self)
{
}

/**
 * ladle_websocket_stream_new:
 * @base: the server side of a WebSocket connection, just after the handshake
 * @max_message_size: the largest data message passed on, in bytes (inflated size); 0 for no limit
 * @deflate: whether permessage-deflate was negotiated (RSV1 marks compressed messages)
 *
 * Returns: (transfer full): a stream to give soup_websocket_connection_new()
 */
LadleWebsocketStream *
ladle_websocket_stream_new (GIOStream *base,
                            guint64    max_message_size,
                            gboolean   deflate)
{
  LadleWebsocketStream *self;
  GInputStream *base_input;

  g_return_val_if_fail (G_IS_IO_STREAM (base), NULL);

  base_input = g_io_stream_get_input_stream (base);
  g_return_val_if_fail (G_IS_POLLABLE_INPUT_STREAM (base_input), NULL);

  self = g_object_new (LADLE_TYPE_WEBSOCKET_STREAM, NULL);
  self->base = g_object_ref (base);
  self->input = g_object_new (ladle_websocket_input_stream_get_type (), NULL);
  self->input->base = g_object_ref (base_input);
  self->input->owner = self;
  self->input->limit = max_message_size > 0 ? max_message_size : G_MAXUINT64;
  self->input->deflate = deflate;

  return self;
}

/**
 * ladle_websocket_stream_get_base_stream:
 *
 * Returns: (transfer none): the stream this one reads from and writes to
 */
GIOStream *
ladle_websocket_stream_get_base_stream (LadleWebsocketStream *self)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_STREAM (self), NULL);
  return self->base;
}

/**
 * ladle_websocket_stream_get_too_big:
 *
 * Returns: whether a message went over the limit
 */
gboolean
ladle_websocket_stream_get_too_big (LadleWebsocketStream *self)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_STREAM (self), FALSE);
  return self->input->too_big;
}

/**
 * ladle_websocket_stream_abort:
 * @error: what reads report from now on
 *
 * Makes every later read fail with @error and wakes a reader waiting for input. libsoup then
 * closes the connection at once, without a close handshake: for peers that stopped answering.
 */
void
ladle_websocket_stream_abort (LadleWebsocketStream *self,
                              const GError         *error)
{
  g_return_if_fail (LADLE_IS_WEBSOCKET_STREAM (self));
  g_return_if_fail (error != NULL);

  if (self->input->abort_error != NULL)
    return;

  self->input->abort_error = g_error_copy (error);
  g_cancellable_cancel (self->input->abort);
}

/* ------------------------------------------------------------------------------------------------
 * The opening handshake
 */

/* Whether the server side of @klass can be configured with @params (the text after the
 * extension's name and ";", or NULL): libsoup's own rules, as it will apply them. */
static gboolean
offer_acceptable (SoupWebsocketExtensionClass *klass,
                  const char                  *params)
{
  g_autoptr(GHashTable) table = NULL;
  g_autoptr(SoupWebsocketExtension) extension = NULL;

  if (params != NULL)
    {
      /* NULL for a parameter given twice (RFC 7692 §7: decline the offer) */
      table = soup_header_parse_semi_param_list_strict (params);
      if (table == NULL)
        return FALSE;
    }
  extension = g_object_new (G_TYPE_FROM_CLASS (klass), NULL);
  return soup_websocket_extension_configure (extension, SOUP_WEBSOCKET_CONNECTION_SERVER, table,
                                             NULL);
}

/* Keeps, of each supported extension, the first offer that can be accepted; returns them as a
 * header value, or NULL when none is left. */
static char *
choose_offers (const char *offers,
               GPtrArray  *supported)
{
  GSList *list = soup_header_parse_list (offers);
  g_autoptr(GPtrArray) chosen = g_ptr_array_new ();
  GString *kept = g_string_new (NULL);

  for (GSList *l = list; l != NULL; l = l->next)
    {
      const char *offer = l->data;
      const char *semicolon;
      g_autofree char *name = NULL;
      SoupWebsocketExtensionClass *klass = NULL;

      while (g_ascii_isspace (*offer))
        offer++;
      semicolon = strchr (offer, ';');
      name = g_strstrip (semicolon != NULL ? g_strndup (offer, semicolon - offer)
                                           : g_strdup (offer));

      for (guint k = 0; supported != NULL && k < supported->len && klass == NULL; k++)
        {
          SoupWebsocketExtensionClass *candidate = g_ptr_array_index (supported, k);

          if (g_str_equal (candidate->name, name))
            klass = candidate;
        }
      if (klass == NULL || g_ptr_array_find (chosen, klass, NULL) ||
          !offer_acceptable (klass, semicolon != NULL ? semicolon + 1 : NULL))
        continue;

      g_ptr_array_add (chosen, klass);
      if (kept->len > 0)
        g_string_append (kept, ", ");
      g_string_append (kept, offer);
    }
  soup_header_free_list (list);

  if (kept->len == 0)
    {
      g_string_free (kept, TRUE);
      return NULL;
    }
  return g_string_free (kept, FALSE);
}

/**
 * ladle_websocket_server_process_handshake:
 * @msg: a WebSocket handshake request
 * @supported_extensions: (element-type GObject.TypeClass): the extensions the server supports
 * @accepted_extensions: (out) (element-type SoupWebsocketExtension): the extensions accepted
 *
 * soup_websocket_server_process_handshake() (any origin, no subprotocol) that accepts at most one
 * offer of each extension, the first one that it can (RFC 7692 §5), and declines the others
 * instead of failing the handshake on them. @msg's request headers are left as they came.
 *
 * Returns: whether @msg was a valid handshake, answered with 101; otherwise it was answered with
 *   400 (or 403), as libsoup does
 */
gboolean
ladle_websocket_server_process_handshake (SoupServerMessage  *msg,
                                          GPtrArray          *supported_extensions,
                                          GList             **accepted_extensions)
{
  SoupMessageHeaders *headers;
  g_autofree char *offers = NULL;
  g_autofree char *chosen = NULL;
  gboolean ok;

  g_return_val_if_fail (SOUP_IS_SERVER_MESSAGE (msg), FALSE);

  headers = soup_server_message_get_request_headers (msg);
  offers = g_strdup (soup_message_headers_get_list (headers, "Sec-WebSocket-Extensions"));
  if (offers == NULL)
    return soup_websocket_server_process_handshake (msg, NULL, NULL, supported_extensions,
                                                    accepted_extensions);

  /* libsoup reads the offers from the request: let it see only the chosen ones. */
  chosen = choose_offers (offers, supported_extensions);
  if (chosen != NULL)
    soup_message_headers_replace (headers, "Sec-WebSocket-Extensions", chosen);
  else
    soup_message_headers_remove (headers, "Sec-WebSocket-Extensions");
  ok = soup_websocket_server_process_handshake (msg, NULL, NULL, supported_extensions,
                                                accepted_extensions);
  soup_message_headers_replace (headers, "Sec-WebSocket-Extensions", offers);

  return ok;
}
