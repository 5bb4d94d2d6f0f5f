/* ladle-server-event.h
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

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef enum
{
  LADLE_SERVER_EVENT_HTTP,
  LADLE_SERVER_EVENT_WEBSOCKET,
  LADLE_SERVER_EVENT_ABORTED,
} LadleServerEventKind;

#define LADLE_SERVER_EVENT_BODY_HEAD_MAX (64 * 1024)

#define LADLE_TYPE_SERVER_EVENT (ladle_server_event_get_type ())

G_DECLARE_FINAL_TYPE (LadleServerEvent, ladle_server_event, LADLE, SERVER_EVENT, GObject)

LadleServerEventKind  ladle_server_event_get_kind            (LadleServerEvent *self);
gint64                ladle_server_event_get_time            (LadleServerEvent *self);
const char           *ladle_server_event_get_peer            (LadleServerEvent *self);
const char           *ladle_server_event_get_method          (LadleServerEvent *self);
const char           *ladle_server_event_get_path            (LadleServerEvent *self);
guint                 ladle_server_event_get_status          (LadleServerEvent *self);
guint64               ladle_server_event_get_request_bytes   (LadleServerEvent *self);
guint64               ladle_server_event_get_response_bytes  (LadleServerEvent *self);
gint64                ladle_server_event_get_duration        (LadleServerEvent *self);
SoupMessageHeaders   *ladle_server_event_get_request_headers (LadleServerEvent *self);
GBytes               *ladle_server_event_get_request_body    (LadleServerEvent *self);
char                 *ladle_server_event_format_log_line     (LadleServerEvent *self);

G_END_DECLS
