/* ladle-websocket-codec.h
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  LADLE_WEBSOCKET_OPCODE_CONTINUATION = 0x0,
  LADLE_WEBSOCKET_OPCODE_TEXT         = 0x1,
  LADLE_WEBSOCKET_OPCODE_BINARY       = 0x2,
  LADLE_WEBSOCKET_OPCODE_CLOSE        = 0x8,
  LADLE_WEBSOCKET_OPCODE_PING         = 0x9,
  LADLE_WEBSOCKET_OPCODE_PONG         = 0xa,
} LadleWebsocketOpcode;

typedef enum
{
  LADLE_WEBSOCKET_ROLE_SERVER,   /* incoming frames must be masked, outgoing ones are not */
  LADLE_WEBSOCKET_ROLE_CLIENT,   /* outgoing frames are masked, incoming ones must not be */
} LadleWebsocketRole;

/* What the peer did wrong (see LadleWebsocketCodecCallbacks.error) */
typedef enum
{
  LADLE_WEBSOCKET_VIOLATION_TOO_BIG,             /* a data message over the size limit (1009) */
  LADLE_WEBSOCKET_VIOLATION_TEXT_UTF8,           /* a text message that is not UTF-8 (1007) */
  LADLE_WEBSOCKET_VIOLATION_CLOSE_REASON_UTF8,   /* a close reason that is not UTF-8 (1007) */
  LADLE_WEBSOCKET_VIOLATION_RESERVED_BITS,       /* RSV1-3 without an extension; from here on 1002 */
  LADLE_WEBSOCKET_VIOLATION_RESERVED_OPCODE,
  LADLE_WEBSOCKET_VIOLATION_UNMASKED,            /* a client frame without a mask */
  LADLE_WEBSOCKET_VIOLATION_MASKED,              /* a server frame with a mask */
  LADLE_WEBSOCKET_VIOLATION_FRAGMENTED_CONTROL,
  LADLE_WEBSOCKET_VIOLATION_LONG_CONTROL,        /* a control frame over 125 bytes */
  LADLE_WEBSOCKET_VIOLATION_STRAY_CONTINUATION,  /* a continuation frame outside a message */
  LADLE_WEBSOCKET_VIOLATION_NESTED_MESSAGE,      /* a new message inside a fragmented one */
  LADLE_WEBSOCKET_VIOLATION_FRAME_LENGTH,        /* a 64-bit length with its top bit set */
  LADLE_WEBSOCKET_VIOLATION_CLOSE_PAYLOAD,       /* a close frame with a 1-byte payload */
  LADLE_WEBSOCKET_VIOLATION_CLOSE_CODE,          /* a close code that may not be sent */
} LadleWebsocketViolation;

typedef struct
{
  LadleWebsocketViolation  violation;
  gushort                  code;     /* the close code the codec answers with: 1002, 1007 or 1009 */
  guint                    value;    /* the opcode or close code at fault, otherwise 0 */
  const char              *reason;   /* English, for logs: the reason in the codec's close frame */
} LadleWebsocketProtocolError;

typedef struct _LadleWebsocketCodec LadleWebsocketCodec;

typedef struct
{
  /* A whole data message (text already checked as UTF-8). @data is valid during the call only. */
  void (*message)    (LadleWebsocketCodec               *codec,
                      LadleWebsocketOpcode               opcode,
                      const guint8                      *data,
                      gsize                              len,
                      gpointer                           user_data);
  /* A data message went over the size limit; the codec is closing with 1009. */
  void (*too_big)    (LadleWebsocketCodec               *codec,
                      gpointer                           user_data);
  /* The peer stopped answering pings; the codec dropped the connection. */
  void (*dead)       (LadleWebsocketCodec               *codec,
                      gpointer                           user_data);
  /* The connection is closed (handshake done, dropped, or failed); called from an idle. */
  void (*closed)     (LadleWebsocketCodec               *codec,
                      gpointer                           user_data);
  /* A pong arrived. @data is valid during the call only. (optional) */
  void (*pong)       (LadleWebsocketCodec               *codec,
                      const guint8                      *data,
                      gsize                              len,
                      gpointer                           user_data);
  /* The peer's close frame arrived while open (@code 1005 when it had none); the codec answers
   * it and then ends the connection. (optional) */
  void (*peer_close) (LadleWebsocketCodec               *codec,
                      gushort                            code,
                      const char                        *reason,
                      gpointer                           user_data);
  /* The peer broke the protocol (or the size limit); the codec is closing with @error->code.
   * @error is valid during the call only. (optional) */
  void (*error)      (LadleWebsocketCodec               *codec,
                      const LadleWebsocketProtocolError *error,
                      gpointer                           user_data);
} LadleWebsocketCodecCallbacks;

gboolean             ladle_websocket_codec_can_use (GIOStream                          *stream);
LadleWebsocketCodec *ladle_websocket_codec_new     (GIOStream                          *stream,
                                                    guint64                             max_message_size,
                                                    guint                               ping_interval,
                                                    const LadleWebsocketCodecCallbacks *callbacks,
                                                    gpointer                            user_data);

void        ladle_websocket_codec_set_role             (LadleWebsocketCodec  *self,
                                                        LadleWebsocketRole    role);
void        ladle_websocket_codec_set_socket           (LadleWebsocketCodec  *self,
                                                        GSocket              *socket);
void        ladle_websocket_codec_set_max_message_size (LadleWebsocketCodec  *self,
                                                        guint64               max_message_size);
void        ladle_websocket_codec_start                (LadleWebsocketCodec  *self);
void        ladle_websocket_codec_start_with_data      (LadleWebsocketCodec  *self,
                                                        const guint8         *data,
                                                        gsize                 len);
void        ladle_websocket_codec_send                 (LadleWebsocketCodec  *self,
                                                        LadleWebsocketOpcode  opcode,
                                                        const void           *prefix,
                                                        gsize                 prefix_len,
                                                        const void           *data,
                                                        gsize                 len);
void        ladle_websocket_codec_ping                 (LadleWebsocketCodec  *self,
                                                        const void           *data,
                                                        gsize                 len);
void        ladle_websocket_codec_close                (LadleWebsocketCodec  *self,
                                                        gushort               code,
                                                        const char           *reason);
gboolean    ladle_websocket_codec_is_open              (LadleWebsocketCodec  *self);
guint8     *ladle_websocket_codec_steal_message        (LadleWebsocketCodec  *self);
gushort     ladle_websocket_codec_get_close_code       (LadleWebsocketCodec  *self);
const char *ladle_websocket_codec_get_close_reason     (LadleWebsocketCodec  *self);
void        ladle_websocket_codec_release              (LadleWebsocketCodec  *self);

gboolean ladle_websocket_utf8_validate     (const guint8 *data,
                                            gsize         len);
gboolean ladle_websocket_utf8_check_prefix (const guint8 *data,
                                            gsize         len,
                                            gsize        *out_whole);
void     ladle_websocket_unmask            (guint8       *data,
                                            gsize         len,
                                            const guint8  key[4],
                                            guint64       offset);
void     ladle_websocket_mask_copy         (guint8       *dest,
                                            const guint8 *src,
                                            gsize         len,
                                            const guint8  key[4],
                                            guint64       offset);

G_END_DECLS
