/* ladle-websocket-event-row.h
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

#include <adwaita.h>

#include "ladle-websocket-event.h"

G_BEGIN_DECLS

#define LADLE_TYPE_WEBSOCKET_EVENT_ROW (ladle_websocket_event_row_get_type ())

G_DECLARE_FINAL_TYPE (LadleWebsocketEventRow, ladle_websocket_event_row,
                      LADLE, WEBSOCKET_EVENT_ROW, GtkWidget)

GtkWidget           *ladle_websocket_event_row_new       (void);
LadleWebsocketEvent *ladle_websocket_event_row_get_event (LadleWebsocketEventRow *self);
void                 ladle_websocket_event_row_set_event (LadleWebsocketEventRow *self,
                                                          LadleWebsocketEvent    *event);

G_END_DECLS
