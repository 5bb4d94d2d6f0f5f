/* ladle-ws-stream.h
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
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define LADLE_TYPE_WS_STREAM (ladle_ws_stream_get_type ())

G_DECLARE_FINAL_TYPE (LadleWsStream, ladle_ws_stream, LADLE, WS_STREAM, GIOStream)

LadleWsStream *ladle_ws_stream_new              (GIOStream     *base,
                                                 guint64        max_message_size,
                                                 gboolean       deflate);
GIOStream     *ladle_ws_stream_get_base_stream  (LadleWsStream *self);
gboolean       ladle_ws_stream_get_too_big      (LadleWsStream *self);
void           ladle_ws_stream_abort            (LadleWsStream *self,
                                                 const GError  *error);

gboolean       ladle_ws_server_process_handshake (SoupServerMessage  *msg,
                                                  GPtrArray          *supported_extensions,
                                                  GList             **accepted_extensions);

G_END_DECLS
