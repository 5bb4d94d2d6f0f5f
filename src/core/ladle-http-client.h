/* ladle-http-client.h
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
#include <libsoup/soup.h>

#include "ladle-exchange.h"
#include "ladle-oauth2.h"
#include "ladle-request.h"
#include "ladle-response.h"

G_BEGIN_DECLS

#define LADLE_HTTP_CLIENT_DEFAULT_MEMORY_LIMIT (G_GUINT64_CONSTANT (8) * 1024 * 1024)
/* Connections to one host at a time (libsoup's default is 2), and so `ladle run --parallel`'s
 * ceiling. */
#define LADLE_HTTP_CLIENT_MAX_PER_HOST 64

#define LADLE_TYPE_HTTP_CLIENT (ladle_http_client_get_type ())
G_DECLARE_FINAL_TYPE (LadleHttpClient, ladle_http_client, LADLE, HTTP_CLIENT, GObject)

LadleHttpClient *ladle_http_client_new              (void);
guint64          ladle_http_client_get_memory_limit (LadleHttpClient     *self);
guint            ladle_http_client_get_n_sessions   (LadleHttpClient     *self);
void             ladle_http_client_set_memory_limit (LadleHttpClient     *self,
                                                     guint64              memory_limit);
LadleExchange   *ladle_http_client_send_async       (LadleHttpClient     *self,
                                                     LadleRequest        *request,
                                                     GFile               *output_file,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
LadleResponse   *ladle_http_client_send_finish      (LadleHttpClient     *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
LadleOauth2Client *ladle_http_client_get_oauth2_client (LadleHttpClient   *self);
gboolean         ladle_open_in_browser              (const char          *uri,
                                                     GError             **error);
SoupCookieJar   *ladle_http_client_get_cookie_jar   (LadleHttpClient     *self);
void             ladle_http_client_set_cookie_jar   (LadleHttpClient     *self,
                                                     SoupCookieJar       *jar);

G_END_DECLS
