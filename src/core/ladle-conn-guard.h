/* ladle-conn-guard.h
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

typedef struct _LadleConnGuard LadleConnGuard;

LadleConnGuard *ladle_conn_guard_new               (guint              idle_timeout_ms,
                                                    guint              keepalive_timeout_ms);
void            ladle_conn_guard_free              (LadleConnGuard    *self);
gboolean        ladle_conn_guard_can_keep_alive    (LadleConnGuard    *self);
void            ladle_conn_guard_reading           (LadleConnGuard    *self,
                                                    SoupServerMessage *msg);
void            ladle_conn_guard_progress          (LadleConnGuard    *self,
                                                    SoupServerMessage *msg);
void            ladle_conn_guard_busy              (LadleConnGuard    *self,
                                                    SoupServerMessage *msg);
void            ladle_conn_guard_idle              (LadleConnGuard    *self,
                                                    SoupServerMessage *msg);
void            ladle_conn_guard_forget            (LadleConnGuard    *self,
                                                    GSocket           *socket);
guint           ladle_conn_guard_get_n_connections (LadleConnGuard    *self);

G_END_DECLS
