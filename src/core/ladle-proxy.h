/* ladle-proxy.h
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

#include <glib.h>

G_BEGIN_DECLS

/* A request's proxy setting, made into what GIO's proxy resolvers take, and curl's --noproxy. */
char     *ladle_proxy_resolver_uri  (const char  *url,
                                     const char  *username,
                                     const char  *password,
                                     GError     **error);
char     *ladle_proxy_display_uri   (const char  *url);
char     *ladle_proxy_uri_without_password (const char *url);
gboolean  ladle_proxy_host_bypassed (const char  *no_proxy,
                                     const char  *host);

G_END_DECLS
