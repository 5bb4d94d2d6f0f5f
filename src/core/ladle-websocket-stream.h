/* ladle-websocket-stream.h
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

#define LADLE_TYPE_WEBSOCKET_STREAM (ladle_websocket_stream_get_type ())

G_DECLARE_FINAL_TYPE (LadleWebsocketStream, ladle_websocket_stream, LADLE, WEBSOCKET_STREAM,
                      GIOStream)

LadleWebsocketStream *ladle_websocket_stream_new             (GIOStream            *base,
                                                              guint64               max_message_size,
                                                              gboolean              deflate);
GIOStream            *ladle_websocket_stream_get_base_stream (LadleWebsocketStream *self);
gboolean              ladle_websocket_stream_get_too_big     (LadleWebsocketStream *self);
void                  ladle_websocket_stream_abort           (LadleWebsocketStream *self,
                                                              const GError         *error);

gboolean ladle_websocket_server_process_handshake (SoupServerMessage  *msg,
                                                   GPtrArray          *supported_extensions,
                                                   GList             **accepted_extensions);

G_END_DECLS
