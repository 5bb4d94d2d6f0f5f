/* ladle-server-event-private.h
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

#include "ladle-server-event.h"

G_BEGIN_DECLS

/* Used by the server (on its own thread) to fill an event. */
LadleServerEvent     *_ladle_server_event_new                (LadleServerEventKind  kind,
                                                              gint64                time,
                                                              const char           *peer,
                                                              const char           *method,
                                                              const char           *path,
                                                              guint                 status,
                                                              guint64               request_bytes,
                                                              guint64               response_bytes,
                                                              gint64                duration,
                                                              SoupMessageHeaders   *request_headers,
                                                              GBytes               *request_body);
const char           *_ladle_server_message_get_peer         (SoupServerMessage    *msg);

G_END_DECLS
