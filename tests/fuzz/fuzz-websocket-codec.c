/* fuzz-websocket-codec.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A libFuzzer harness for Ladle's WebSocket frame codec (src/core/ladle-websocket-codec.c), in both
 * roles.
 *
 * The first input byte picks the setting: bit 0 the role (0: server, parsing the masked frames of a
 * client; 1: client, parsing the unmasked frames of a server), bits 1-2 the message size limit,
 * bits 3-7 how the rest is cut into reads. The rest is the peer's stream, fed in those pieces
 * through _ladle_websocket_codec_receive() (the codec's reads without a socket or a main loop). The
 * codec answers into a memory stream: pongs, close frames, and an echo of each message, as the echo
 * server sends. At the end the harness closes the connection, as an owner may at any time.
 *
 * Besides crashes and leaks it checks what the codec promises: a text message is valid UTF-8, a
 * message is within the limit, nothing is delivered once the peer broke the protocol (or the
 * limit), and every frame the codec wrote is whole and well formed (masked in the client role
 * only). */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>

#include "ladle-websocket-codec-private.h"

static const guint64 limits[] = { 16, 1000, 70000, 16 * 1024 * 1024 };

typedef struct
{
  LadleWebsocketRole role;
  guint64            limit;
  gboolean           failed;     /* the codec reported an error (and is closing) */
  guint              messages;
} Run;

static void
on_message (LadleWebsocketCodec  *codec,
            LadleWebsocketOpcode  opcode,
            const guint8         *data,
            gsize                 len,
            gpointer              user_data)
{
  Run *run = user_data;
  static const char prefix[] = "Message received: ";

  if (opcode != LADLE_WEBSOCKET_OPCODE_TEXT && opcode != LADLE_WEBSOCKET_OPCODE_BINARY)
    g_error ("a message with opcode %d", opcode);
  if (opcode == LADLE_WEBSOCKET_OPCODE_TEXT && !ladle_websocket_utf8_validate (data, len))
    g_error ("a text message that is not UTF-8");
  if (len > run->limit)
    g_error ("a message of %" G_GSIZE_FORMAT " bytes over the limit", len);
  if (run->failed)
    g_error ("a message after a protocol error");

  /* Every other one with the /ws prefix, as the echo server's two routes answer. */
  if (run->messages++ % 2 == 0)
    ladle_websocket_codec_send (codec, opcode, prefix, sizeof prefix - 1, data, len);
  else
    ladle_websocket_codec_send (codec, opcode, NULL, 0, data, len);
}

static void
on_error (LadleWebsocketCodec               *codec,
          const LadleWebsocketProtocolError *error,
          gpointer                           user_data)
{
  Run *run = user_data;

  if (error->code != 1002 && error->code != 1007 && error->code != 1009)
    g_error ("a protocol error answered with %u", error->code);
  if (error->reason == NULL || strlen (error->reason) > 123)
    g_error ("a close reason that does not fit");
  if (run->failed)
    g_error ("a second protocol error");
  run->failed = TRUE;
}

static const LadleWebsocketCodecCallbacks callbacks = {
  .message = on_message,
  .error = on_error,
};

static gboolean
close_code_sendable (guint code)
{
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
         (code >= 3000 && code <= 4999);
}

/* Parses what the codec wrote: whole frames, each final, masked only by a client. */
static void
check_output (const guint8 *data,
              gsize         len,
              LadleWebsocketRole   role)
{
  gsize pos = 0;

  while (pos < len)
    {
      const guint8 *h = data + pos;
      gsize avail = len - pos;
      guint8 opcode;
      guint64 payload;
      gsize header = 2;
      gboolean masked;

      if (avail < 2)
        g_error ("output ends inside a frame header");
      opcode = h[0] & 0x0f;
      masked = (h[1] & 0x80) != 0;
      if ((h[0] & 0xf0) != 0x80)
        g_error ("an output frame that is not final, or has reserved bits: 0x%02x", h[0]);
      if (opcode != 0x1 && opcode != 0x2 && opcode != 0x8 && opcode != 0x9 && opcode != 0xa)
        g_error ("an output frame with opcode 0x%x", opcode);
      if (masked != (role == LADLE_WEBSOCKET_ROLE_CLIENT))
        g_error ("an output frame masked wrongly for the role");

      payload = h[1] & 0x7f;
      if (payload == 126)
        {
          if (avail < 4)
            g_error ("output ends inside a frame header");
          payload = (guint64) h[2] << 8 | h[3];
          header = 4;
          if (payload < 126)
            g_error ("a 16-bit length for a short payload");
        }
      else if (payload == 127)
        {
          if (avail < 10)
            g_error ("output ends inside a frame header");
          payload = 0;
          for (guint k = 0; k < 8; k++)
            payload = payload << 8 | h[2 + k];
          header = 10;
          if (payload <= G_MAXUINT16)
            g_error ("a 64-bit length for a short payload");
        }
      if (masked)
        header += 4;
      if (avail < header || avail - header < payload)
        g_error ("output ends inside a frame");
      if ((opcode & 0x8) && payload > 125)
        g_error ("an output control frame over 125 bytes");

      if (opcode == 0x8 && payload > 0)
        {
          guint8 close[125];
          guint code;

          if (masked)
            ladle_websocket_mask_copy (close, h + header, payload, h + header - 4, 0);
          else
            memcpy (close, h + header, payload);
          code = payload >= 2 ? (guint) close[0] << 8 | close[1] : 0;
          if (payload < 2 || !close_code_sendable (code))
            g_error ("an output close frame with code %u", code);
          if (!ladle_websocket_utf8_validate (close + 2, payload - 2))
            g_error ("an output close reason that is not UTF-8");
        }
      pos += header + payload;
    }
}

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  /* A g_return_if_fail() or a warning is a finding too. */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GIOStream) io = NULL;
  LadleWebsocketCodec *codec;
  Run run = { 0 };
  guint32 cuts;

  if (size < 1)
    return 0;

  run.role = (data[0] & 1) ? LADLE_WEBSOCKET_ROLE_CLIENT : LADLE_WEBSOCKET_ROLE_SERVER;
  run.limit = limits[(data[0] >> 1) & 3];
  cuts = (data[0] >> 3) * 2654435761u + (guint32) size;
  data++;
  size--;

  /* The client role's masking keys come from GLib's generator: the same ones for each run. */
  g_random_set_seed (cuts);

  in = g_memory_input_stream_new ();
  out = g_memory_output_stream_new_resizable ();
  io = g_simple_io_stream_new (in, out);
  codec = ladle_websocket_codec_new (io, run.limit, 0, &callbacks, &run);
  ladle_websocket_codec_set_role (codec, run.role);

  while (size > 0)
    {
      gsize piece;

      /* Mostly small reads, to cut headers and characters anywhere; now and then all of it. */
      cuts = cuts * 1103515245u + 12345u;
      piece = (cuts >> 16) % 8 == 0 ? size : 1 + (cuts >> 16) % 23;
      piece = MIN (piece, size);
      _ladle_websocket_codec_receive (codec, data, piece);
      data += piece;
      size -= piece;
    }

  ladle_websocket_codec_close (codec, 1000, "bye");
  ladle_websocket_codec_release (codec);

  check_output (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)), run.role);

  return 0;
}
