/* ladle-exchange-private.h
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

#include "ladle-exchange.h"

G_BEGIN_DECLS

/* For LadleHttpClient only */
/* The session's client certificate (set by the exchange, for libsoup's CONNECT messages) */
#define LADLE_SESSION_CLIENT_CERTIFICATE "ladle-client-certificate"

LadleExchange *_ladle_exchange_new     (LadleRequest  *request,
                                        GFile         *output_file,
                                        guint64        memory_limit,
                                        GHashTable    *sockets);
SoupMessage   *_ladle_exchange_prepare (LadleExchange *exchange,
                                        GTask         *task,
                                        GCancellable  *cancellable);
void           _ladle_exchange_send    (LadleExchange *exchange,
                                        SoupSession   *session);
void           _ladle_exchange_set_authorization (LadleExchange *exchange,
                                                  const char    *authorization);
void           _ladle_exchange_fail_unsent       (LadleExchange *exchange,
                                                  GTask         *task,
                                                  GCancellable  *cancellable,
                                                  GError        *error);
void           _ladle_exchange_fail    (LadleExchange *exchange,
                                        GError        *error);

/* For tests */
char          *_ladle_exchange_merge_cookies (const char *user,
                                              const char *jar);
char          *_ladle_exchange_escape_header (const char *text);

G_END_DECLS
