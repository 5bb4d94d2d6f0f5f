/* ladle-listener.h
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

#include "ladle-server-conn.h"

G_BEGIN_DECLS

/* Hands an accepted connection's stream on (to libsoup) */
typedef void (*LadleListenerAcceptFunc) (LadleServerConn *conn,
                                         GIOStream       *stream,
                                         gpointer         user_data);

LadleListener *ladle_listener_new                (GSocket                    *socket,
                                                  guint                       max_connections,
                                                  LadleListenerAcceptFunc     accept,
                                                  LadleServerConnRefusedFunc  refused,
                                                  gpointer                    user_data);
void           ladle_listener_start              (LadleListener              *self);
void           ladle_listener_stop               (LadleListener              *self);
void           ladle_listener_free               (LadleListener              *self);
guint          ladle_listener_get_n_connections  (LadleListener              *self);
guint          ladle_listener_get_n_refused      (LadleListener              *self);
guint          ladle_listener_get_max_connections (LadleListener             *self);

guint          ladle_fd_limit_raise              (void);
guint          ladle_listener_default_max_connections (void);

G_END_DECLS
