/* ladle-server.h
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

#include "ladle-server-event.h"

G_BEGIN_DECLS

#define LADLE_SERVER_DEFAULT_HOST              "127.0.0.1"
#define LADLE_SERVER_DEFAULT_PORT              8080
#define LADLE_SERVER_DEFAULT_UPLOADS_DIR       "uploads"
#define LADLE_SERVER_DEFAULT_MAX_UPLOAD_SIZE   (G_GUINT64_CONSTANT (8) * 1024 * 1024 * 1024)
#define LADLE_SERVER_DEFAULT_MAX_BODY_SIZE     (G_GUINT64_CONSTANT (10) * 1024 * 1024)
#define LADLE_SERVER_DEFAULT_MAX_WS_MESSAGE    (G_GUINT64_CONSTANT (16) * 1024 * 1024)
#define LADLE_SERVER_DEFAULT_IDLE_TIMEOUT      30.0
#define LADLE_SERVER_DEFAULT_KEEPALIVE_TIMEOUT 60.0
#define LADLE_SERVER_DEFAULT_WS_PING_INTERVAL  30
/* 0: worked out from the limit on open files (see ladle_listener_default_max_connections()) */
#define LADLE_SERVER_DEFAULT_MAX_CONNECTIONS   0
#define LADLE_SERVER_DEFAULT_MAX_BODY_MEMORY   (G_GUINT64_CONSTANT (64) * 1024 * 1024)

/* The built-in upload route: GET answers a form, a multipart POST stores its files in the uploads
 * folder and reports them with LadleServer::files-stored (unless a mock route answers it). */
#define LADLE_SERVER_UPLOAD_PATH               "/upload"

typedef struct
{
  guint   n_connections;     /* HTTP connections the idle guard follows */
  guint   n_open;            /* accepted sockets still open, closing ones included */
  guint   n_refused;         /* clients turned away over the connection ceiling */
  guint   max_connections;   /* the ceiling in force */
  guint64 body_memory;       /* bytes of request bodies held in memory now */
  guint64 body_memory_peak;  /* and at most, since the start */
  guint   n_tls_handshakes;  /* TLS handshakes completed, since the start (HTTPS) */
  guint   n_tls_failed;      /* and failed or timed out */
} LadleServerStats;

#define LADLE_TYPE_SERVER (ladle_server_get_type ())

G_DECLARE_FINAL_TYPE (LadleServer, ladle_server, LADLE, SERVER, GObject)

LadleServer *ladle_server_new                     (void);
gboolean     ladle_server_start                   (LadleServer  *self,
                                                   GError      **error);
void         ladle_server_stop                    (LadleServer  *self);
gboolean     ladle_server_get_running             (LadleServer  *self);
guint        ladle_server_get_bound_port          (LadleServer  *self);
char        *ladle_server_dup_url                 (LadleServer  *self);
const char  *ladle_server_get_host                (LadleServer  *self);
void         ladle_server_set_host                (LadleServer  *self,
                                                   const char   *host);
guint        ladle_server_get_port                (LadleServer  *self);
void         ladle_server_set_port                (LadleServer  *self,
                                                   guint         port);
const char  *ladle_server_get_uploads_dir         (LadleServer  *self);
void         ladle_server_set_uploads_dir         (LadleServer  *self,
                                                   const char   *uploads_dir);
guint64      ladle_server_get_max_upload_size     (LadleServer  *self);
void         ladle_server_set_max_upload_size     (LadleServer  *self,
                                                   guint64       max_upload_size);
guint64      ladle_server_get_max_ws_message_size (LadleServer  *self);
void         ladle_server_set_max_ws_message_size (LadleServer  *self,
                                                   guint64       max_ws_message_size);
guint        ladle_server_get_ws_ping_interval    (LadleServer  *self);
void         ladle_server_set_ws_ping_interval    (LadleServer  *self,
                                                   guint         seconds);
guint64      ladle_server_get_max_body_size       (LadleServer  *self);
void         ladle_server_set_max_body_size       (LadleServer  *self,
                                                   guint64       max_body_size);
double       ladle_server_get_idle_timeout        (LadleServer  *self);
void         ladle_server_set_idle_timeout        (LadleServer  *self,
                                                   double        seconds);
gboolean     ladle_server_get_log_requests        (LadleServer  *self);
void         ladle_server_set_log_requests        (LadleServer  *self,
                                                   gboolean      log_requests);
void         ladle_server_set_routes              (LadleServer  *self,
                                                   GListModel   *routes);
guint        ladle_server_get_max_connections     (LadleServer  *self);
void         ladle_server_set_max_connections     (LadleServer  *self,
                                                   guint         max_connections);
guint64      ladle_server_get_max_body_memory     (LadleServer  *self);
void         ladle_server_set_max_body_memory     (LadleServer  *self,
                                                   guint64       max_body_memory);
guint        ladle_server_get_n_connections       (LadleServer  *self);
void         ladle_server_set_tls_certificate     (LadleServer     *self,
                                                   GTlsCertificate *certificate);
GTlsCertificate *ladle_server_get_tls_certificate (LadleServer     *self);
void         ladle_server_get_stats               (LadleServer      *self,
                                                   LadleServerStats *stats);

G_END_DECLS
