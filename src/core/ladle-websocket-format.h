/* ladle-websocket-format.h
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

#include "ladle-websocket-event.h"

G_BEGIN_DECLS

/* How much of a payload the WebSocket page ever reads for display or filtering: a 64 MB message
 * costs no more than this. */
#define LADLE_WEBSOCKET_DISPLAY_LIMIT (64 * 1024)

const char *ladle_websocket_format_kind      (LadleWebsocketEventKind  kind);
char       *ladle_websocket_format_time      (gint64                   timestamp);
char       *ladle_websocket_format_size      (guint64                  size);
char       *ladle_websocket_format_preview   (LadleWebsocketEvent     *event);
char       *ladle_websocket_format_title     (LadleWebsocketEvent     *event);
char       *ladle_websocket_format_detail    (LadleWebsocketEvent     *event,
                                              gboolean                *truncated);
gboolean    ladle_websocket_event_matches    (LadleWebsocketEvent     *event,
                                              const char              *casefolded_needle);

G_END_DECLS
