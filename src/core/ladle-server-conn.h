/* ladle-server-conn.h
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

typedef struct _LadleServerConn LadleServerConn;
typedef struct _LadleListener LadleListener;

/* How a connection ended, for the listener */
typedef void (*LadleServerConnClosedFunc) (LadleServerConn *conn,
                                           gpointer         user_data);
/* A request refused before libsoup saw its head (the gate's verdict), for the log */
typedef void (*LadleServerConnRefusedFunc) (LadleServerConn *conn,
                                            guint            status,
                                            const char      *request_line,
                                            const char      *message,
                                            gpointer         user_data);

LadleServerConn *ladle_server_conn_new                (GSocket                    *socket,
                                                       LadleServerConnClosedFunc   closed,
                                                       LadleServerConnRefusedFunc  refused,
                                                       gpointer                    user_data,
                                                       GIOStream                 **out_stream,
                                                       GError                    **error);
LadleServerConn *ladle_server_conn_ref                (LadleServerConn            *self);
void             ladle_server_conn_unref              (LadleServerConn            *self);
LadleServerConn *ladle_server_conn_from_message       (SoupServerMessage          *msg);
gboolean         ladle_server_conn_start_tls          (LadleServerConn            *self,
                                                       GTlsCertificate            *certificate,
                                                       GError                    **error);
GTlsConnection  *ladle_server_conn_get_tls            (LadleServerConn            *self);
GSocket         *ladle_server_conn_get_socket         (LadleServerConn            *self);
GSocketAddress  *ladle_server_conn_get_remote_address (LadleServerConn            *self);
GSocketAddress  *ladle_server_conn_get_local_address  (LadleServerConn            *self);
const char      *ladle_server_conn_get_peer           (LadleServerConn            *self);
gboolean         ladle_server_conn_is_closed          (LadleServerConn            *self);
void             ladle_server_conn_refuse             (LadleServerConn            *self,
                                                       guint                       status,
                                                       const char                 *message);
void             ladle_server_conn_refuse_now         (LadleServerConn            *self,
                                                       guint                       status,
                                                       const char                 *message,
                                                       guint                       linger_ms);
guint            ladle_server_conn_get_refusal        (LadleServerConn            *self,
                                                       const char                **message);
void             ladle_server_conn_upgraded           (LadleServerConn            *self);
void             ladle_server_conn_close              (LadleServerConn            *self);
void             ladle_server_conn_abandon            (LadleServerConn            *self);
GBytes          *ladle_server_conn_build_response     (guint                       status,
                                                       const char                 *message);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LadleServerConn, ladle_server_conn_unref)

G_END_DECLS
