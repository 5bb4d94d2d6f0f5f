/* ladle-websocket-request.h
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

#include "ladle-key-value.h"
#include "ladle-websocket-client.h"

G_BEGIN_DECLS

/* LadleWebsocketRequest: what the user sets up for a WebSocket connection, as properties the UI
 * and the settings bind to. */
#define LADLE_TYPE_WEBSOCKET_REQUEST (ladle_websocket_request_get_type ())
G_DECLARE_FINAL_TYPE (LadleWebsocketRequest, ladle_websocket_request, LADLE, WEBSOCKET_REQUEST,
                      GObject)

LadleWebsocketRequest *ladle_websocket_request_new (void);

const char  *ladle_websocket_request_get_url             (LadleWebsocketRequest *self);
void         ladle_websocket_request_set_url             (LadleWebsocketRequest *self,
                                                          const char            *url);
/* Subprotocols as typed: names separated by commas or spaces. */
const char  *ladle_websocket_request_get_protocols       (LadleWebsocketRequest *self);
void         ladle_websocket_request_set_protocols       (LadleWebsocketRequest *self,
                                                          const char            *protocols);
char       **ladle_websocket_request_dup_protocol_list   (LadleWebsocketRequest *self);
const char  *ladle_websocket_request_get_origin          (LadleWebsocketRequest *self);
void         ladle_websocket_request_set_origin          (LadleWebsocketRequest *self,
                                                          const char            *origin);
/* (transfer none): the handshake's extra headers, LadleKeyValue rows made from headers-text */
GListModel  *ladle_websocket_request_get_headers         (LadleWebsocketRequest *self);
/* The same headers as text, one "Name: value" a line, kept as typed. */
const char  *ladle_websocket_request_get_headers_text    (LadleWebsocketRequest *self);
void         ladle_websocket_request_set_headers_text    (LadleWebsocketRequest *self,
                                                          const char            *text);
void         ladle_websocket_request_add_header          (LadleWebsocketRequest *self,
                                                          const char            *name,
                                                          const char            *value);
gboolean     ladle_websocket_request_get_deflate         (LadleWebsocketRequest *self);
void         ladle_websocket_request_set_deflate         (LadleWebsocketRequest *self,
                                                          gboolean               deflate);
gboolean     ladle_websocket_request_get_verify_tls      (LadleWebsocketRequest *self);
void         ladle_websocket_request_set_verify_tls      (LadleWebsocketRequest *self,
                                                          gboolean               verify);
/* Seconds, fractions allowed; 0 = off. */
double       ladle_websocket_request_get_connect_timeout (LadleWebsocketRequest *self);
void         ladle_websocket_request_set_connect_timeout (LadleWebsocketRequest *self,
                                                          double                 seconds);
double       ladle_websocket_request_get_ping_interval   (LadleWebsocketRequest *self);
void         ladle_websocket_request_set_ping_interval   (LadleWebsocketRequest *self,
                                                          double                 seconds);

gboolean     ladle_websocket_request_apply               (LadleWebsocketRequest *self,
                                                          LadleWebsocketClient  *client,
                                                          GError               **error);

G_END_DECLS
