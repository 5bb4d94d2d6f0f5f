/* ladle-ws-codec.h
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
  LADLE_WS_OPCODE_CONTINUATION = 0x0,
  LADLE_WS_OPCODE_TEXT         = 0x1,
  LADLE_WS_OPCODE_BINARY       = 0x2,
  LADLE_WS_OPCODE_CLOSE        = 0x8,
  LADLE_WS_OPCODE_PING         = 0x9,
  LADLE_WS_OPCODE_PONG         = 0xa,
} LadleWsOpcode;

typedef enum
{
  LADLE_WS_ROLE_SERVER,   /* incoming frames must be masked, outgoing ones are not */
  LADLE_WS_ROLE_CLIENT,   /* outgoing frames are masked, incoming ones must not be */
} LadleWsRole;

/* What the peer did wrong (see LadleWsCodecCallbacks.error) */
typedef enum
{
  LADLE_WS_VIOLATION_TOO_BIG,             /* a data message over the size limit (1009) */
  LADLE_WS_VIOLATION_TEXT_UTF8,           /* a text message that is not UTF-8 (1007) */
  LADLE_WS_VIOLATION_CLOSE_REASON_UTF8,   /* a close reason that is not UTF-8 (1007) */
  LADLE_WS_VIOLATION_RESERVED_BITS,       /* RSV1-3 without an extension; from here on 1002 */
  LADLE_WS_VIOLATION_RESERVED_OPCODE,
  LADLE_WS_VIOLATION_UNMASKED,            /* a client frame without a mask */
  LADLE_WS_VIOLATION_MASKED,              /* a server frame with a mask */
  LADLE_WS_VIOLATION_FRAGMENTED_CONTROL,
  LADLE_WS_VIOLATION_LONG_CONTROL,        /* a control frame over 125 bytes */
  LADLE_WS_VIOLATION_STRAY_CONTINUATION,  /* a continuation frame outside a message */
  LADLE_WS_VIOLATION_NESTED_MESSAGE,      /* a new message inside a fragmented one */
  LADLE_WS_VIOLATION_FRAME_LENGTH,        /* a 64-bit length with its top bit set */
  LADLE_WS_VIOLATION_CLOSE_PAYLOAD,       /* a close frame with a 1-byte payload */
  LADLE_WS_VIOLATION_CLOSE_CODE,          /* a close code that may not be sent */
} LadleWsViolation;

typedef struct
{
  LadleWsViolation  violation;
  gushort           code;     /* the close code the codec answers with: 1002, 1007 or 1009 */
  guint             value;    /* the opcode or close code at fault, otherwise 0 */
  const char       *reason;   /* English, for logs: the reason in the codec's close frame */
} LadleWsProtocolError;

typedef struct _LadleWsCodec LadleWsCodec;

typedef struct
{
  /* A whole data message (text already checked as UTF-8). @data is valid during the call only. */
  void (*message) (LadleWsCodec  *codec,
                   LadleWsOpcode  opcode,
                   const guint8  *data,
                   gsize          len,
                   gpointer       user_data);
  /* A data message went over the size limit; the codec is closing with 1009. */
  void (*too_big) (LadleWsCodec  *codec,
                   gpointer       user_data);
  /* The peer stopped answering pings; the codec dropped the connection. */
  void (*dead)    (LadleWsCodec  *codec,
                   gpointer       user_data);
  /* The connection is closed (handshake done, dropped, or failed); called from an idle. */
  void (*closed)  (LadleWsCodec  *codec,
                   gpointer       user_data);
  /* A pong arrived. @data is valid during the call only. (optional) */
  void (*pong)    (LadleWsCodec  *codec,
                   const guint8  *data,
                   gsize          len,
                   gpointer       user_data);
  /* The peer's close frame arrived while open (@code 1005 when it had none); the codec answers
   * it and then ends the connection. (optional) */
  void (*peer_close) (LadleWsCodec *codec,
                      gushort       code,
                      const char   *reason,
                      gpointer      user_data);
  /* The peer broke the protocol (or the size limit); the codec is closing with @error->code.
   * @error is valid during the call only. (optional) */
  void (*error)   (LadleWsCodec               *codec,
                   const LadleWsProtocolError *error,
                   gpointer                    user_data);
} LadleWsCodecCallbacks;

gboolean      ladle_ws_codec_can_use          (GIOStream                   *stream);
LadleWsCodec *ladle_ws_codec_new              (GIOStream                   *stream,
                                               guint64                      max_message_size,
                                               guint                        ping_interval,
                                               const LadleWsCodecCallbacks *callbacks,
                                               gpointer                     user_data);
void          ladle_ws_codec_set_role         (LadleWsCodec                *self,
                                               LadleWsRole                  role);
void          ladle_ws_codec_set_socket       (LadleWsCodec                *self,
                                               GSocket                     *socket);
void          ladle_ws_codec_set_max_message_size
                                              (LadleWsCodec                *self,
                                               guint64                      max_message_size);
void          ladle_ws_codec_start            (LadleWsCodec                *self);
void          ladle_ws_codec_start_with_data  (LadleWsCodec                *self,
                                               const guint8                *data,
                                               gsize                        len);
void          ladle_ws_codec_send             (LadleWsCodec                *self,
                                               LadleWsOpcode                opcode,
                                               const void                  *prefix,
                                               gsize                        prefix_len,
                                               const void                  *data,
                                               gsize                        len);
void          ladle_ws_codec_ping             (LadleWsCodec                *self,
                                               const void                  *data,
                                               gsize                        len);
void          ladle_ws_codec_close            (LadleWsCodec                *self,
                                               gushort                      code,
                                               const char                  *reason);
gboolean      ladle_ws_codec_is_open          (LadleWsCodec                *self);
guint8       *ladle_ws_codec_steal_message    (LadleWsCodec                *self);
gushort       ladle_ws_codec_get_close_code   (LadleWsCodec                *self);
const char   *ladle_ws_codec_get_close_reason (LadleWsCodec                *self);
void          ladle_ws_codec_release          (LadleWsCodec                *self);

/* Internal: for the fuzzing harness and tests only */
void          _ladle_ws_codec_receive         (LadleWsCodec                *self,
                                               const guint8                *data,
                                               gsize                        len);

gboolean      ladle_ws_utf8_validate          (const guint8                *data,
                                               gsize                        len);
gboolean      ladle_ws_utf8_check_prefix      (const guint8                *data,
                                               gsize                        len,
                                               gsize                       *out_whole);
void          ladle_ws_unmask                 (guint8                      *data,
                                               gsize                        len,
                                               const guint8                 key[4],
                                               guint64                      offset);
void          ladle_ws_mask_copy              (guint8                      *dest,
                                               const guint8                *src,
                                               gsize                        len,
                                               const guint8                 key[4],
                                               guint64                      offset);

G_END_DECLS
