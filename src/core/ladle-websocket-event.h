/* ladle-websocket-event.h
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

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  LADLE_WEBSOCKET_DIRECTION_NONE,
  LADLE_WEBSOCKET_DIRECTION_IN,
  LADLE_WEBSOCKET_DIRECTION_OUT,
} LadleWebsocketDirection;

GType ladle_websocket_direction_get_type (void) G_GNUC_CONST;
#define LADLE_TYPE_WEBSOCKET_DIRECTION (ladle_websocket_direction_get_type ())

typedef enum
{
  LADLE_WEBSOCKET_EVENT_TEXT,
  LADLE_WEBSOCKET_EVENT_BINARY,
  LADLE_WEBSOCKET_EVENT_PING,
  LADLE_WEBSOCKET_EVENT_PONG,
  LADLE_WEBSOCKET_EVENT_CLOSE,
  LADLE_WEBSOCKET_EVENT_OPEN,
  LADLE_WEBSOCKET_EVENT_ERROR,
  LADLE_WEBSOCKET_EVENT_STATE,
} LadleWebsocketEventKind;

GType ladle_websocket_event_kind_get_type (void) G_GNUC_CONST;
#define LADLE_TYPE_WEBSOCKET_EVENT_KIND (ladle_websocket_event_kind_get_type ())

/* LadleWebsocketEvent: one immutable item of a WebSocket transcript. */
#define LADLE_TYPE_WEBSOCKET_EVENT (ladle_websocket_event_get_type ())
G_DECLARE_FINAL_TYPE (LadleWebsocketEvent, ladle_websocket_event, LADLE, WEBSOCKET_EVENT, GObject)

LadleWebsocketEvent     *ladle_websocket_event_new              (LadleWebsocketDirection  direction,
                                                                 LadleWebsocketEventKind  kind,
                                                                 GBytes                  *payload,
                                                                 const char              *summary);
LadleWebsocketEvent     *ladle_websocket_event_new_close        (LadleWebsocketDirection  direction,
                                                                 guint                    code,
                                                                 const char              *reason);
LadleWebsocketDirection  ladle_websocket_event_get_direction    (LadleWebsocketEvent     *self);
LadleWebsocketEventKind  ladle_websocket_event_get_kind         (LadleWebsocketEvent     *self);
guint64                  ladle_websocket_event_get_size         (LadleWebsocketEvent     *self);
gint64                   ladle_websocket_event_get_timestamp    (LadleWebsocketEvent     *self);
GBytes                  *ladle_websocket_event_get_payload      (LadleWebsocketEvent     *self);
guint                    ladle_websocket_event_get_close_code   (LadleWebsocketEvent     *self);
const char              *ladle_websocket_event_get_close_reason (LadleWebsocketEvent     *self);
const char              *ladle_websocket_event_get_summary      (LadleWebsocketEvent     *self);

G_END_DECLS
