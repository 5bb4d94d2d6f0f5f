/* ladle-websocket-client.h
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

#include "ladle-request.h"
#include "ladle-websocket-event.h"

G_BEGIN_DECLS

#define LADLE_WEBSOCKET_CLIENT_DEFAULT_MAX_INCOMING (G_GUINT64_CONSTANT (64) * 1024 * 1024)
#define LADLE_WEBSOCKET_MAX_PING_PAYLOAD            125

typedef enum
{
  LADLE_WEBSOCKET_STATE_CLOSED,
  LADLE_WEBSOCKET_STATE_CONNECTING,
  LADLE_WEBSOCKET_STATE_OPEN,
  LADLE_WEBSOCKET_STATE_CLOSING,
} LadleWebsocketState;

GType ladle_websocket_state_get_type (void) G_GNUC_CONST;
#define LADLE_TYPE_WEBSOCKET_STATE (ladle_websocket_state_get_type ())

/* LadleWebsocketClient: one WebSocket connection at a time, used from the thread that called
 * ladle_websocket_client_connect_async() (timers, notifies and the transcript live there). */
#define LADLE_TYPE_WEBSOCKET_CLIENT (ladle_websocket_client_get_type ())
G_DECLARE_FINAL_TYPE (LadleWebsocketClient, ladle_websocket_client, LADLE, WEBSOCKET_CLIENT, GObject)

LadleWebsocketClient *ladle_websocket_client_new                 (void);

/* Settings, read when connecting (ping-interval and max-incoming-payload-size also apply live). */
void                  ladle_websocket_client_add_header          (LadleWebsocketClient  *self,
                                                                  const char            *name,
                                                                  const char            *value);
void                  ladle_websocket_client_set_origin          (LadleWebsocketClient  *self,
                                                                  const char            *origin);
void                  ladle_websocket_client_set_protocols       (LadleWebsocketClient  *self,
                                                                  const char * const    *protocols);
void                  ladle_websocket_client_set_deflate         (LadleWebsocketClient  *self,
                                                                  gboolean               deflate);
void                  ladle_websocket_client_set_connect_timeout (LadleWebsocketClient  *self,
                                                                  double                 seconds);
void                  ladle_websocket_client_set_verify_tls      (LadleWebsocketClient  *self,
                                                                  gboolean               verify_tls);
gboolean              ladle_websocket_client_set_transport       (LadleWebsocketClient  *self,
                                                                  LadleRequest          *request,
                                                                  GError               **error);
double                ladle_websocket_client_get_ping_interval   (LadleWebsocketClient  *self);
void                  ladle_websocket_client_set_ping_interval   (LadleWebsocketClient  *self,
                                                                  double                 seconds);
guint64               ladle_websocket_client_get_max_incoming_payload_size
                                                                 (LadleWebsocketClient  *self);
void                  ladle_websocket_client_set_max_incoming_payload_size
                                                                 (LadleWebsocketClient  *self,
                                                                  guint64                size);

/* Live state */
LadleWebsocketState   ladle_websocket_client_get_state           (LadleWebsocketClient  *self);
const char           *ladle_websocket_client_get_url             (LadleWebsocketClient  *self);
const char           *ladle_websocket_client_get_protocol        (LadleWebsocketClient  *self);
guint                 ladle_websocket_client_get_close_code      (LadleWebsocketClient  *self);
const char           *ladle_websocket_client_get_close_reason    (LadleWebsocketClient  *self);
const GError         *ladle_websocket_client_get_error           (LadleWebsocketClient  *self);
GListModel           *ladle_websocket_client_get_transcript      (LadleWebsocketClient  *self);
void                  ladle_websocket_client_clear_transcript    (LadleWebsocketClient  *self);

void                  ladle_websocket_client_connect_async       (LadleWebsocketClient  *self,
                                                                  const char            *url,
                                                                  GCancellable          *cancellable,
                                                                  GAsyncReadyCallback    callback,
                                                                  gpointer               user_data);
gboolean              ladle_websocket_client_connect_finish      (LadleWebsocketClient  *self,
                                                                  GAsyncResult          *result,
                                                                  GError               **error);

gboolean              ladle_websocket_client_send_text           (LadleWebsocketClient  *self,
                                                                  const char            *text,
                                                                  gssize                 length,
                                                                  GError               **error);
gboolean              ladle_websocket_client_send_text_bytes     (LadleWebsocketClient  *self,
                                                                  GBytes                *text,
                                                                  GError               **error);
gboolean              ladle_websocket_client_send_binary         (LadleWebsocketClient  *self,
                                                                  GBytes                *bytes,
                                                                  GError               **error);
void                  ladle_websocket_client_send_file_async     (LadleWebsocketClient  *self,
                                                                  GFile                 *file,
                                                                  GCancellable          *cancellable,
                                                                  GAsyncReadyCallback    callback,
                                                                  gpointer               user_data);
gboolean              ladle_websocket_client_send_file_finish    (LadleWebsocketClient  *self,
                                                                  GAsyncResult          *result,
                                                                  GError               **error);
gboolean              ladle_websocket_client_ping                (LadleWebsocketClient  *self,
                                                                  GBytes                *payload,
                                                                  GError               **error);
void                  ladle_websocket_client_close               (LadleWebsocketClient  *self,
                                                                  guint                  code,
                                                                  const char            *reason);

G_END_DECLS
