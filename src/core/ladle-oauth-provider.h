/* ladle-oauth-provider.h
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

/* Who the offline provider accepts: any client_id; a client secret, when one is given (HTTP Basic
 * or client_secret in the body), must be LADLE_OAUTH_PROVIDER_CLIENT_SECRET, and the
 * client_credentials grant needs one. One resource owner, as httpbin's basic-auth examples:
 * user "user", password "passwd". */
#define LADLE_OAUTH_PROVIDER_CLIENT_SECRET "secret"
#define LADLE_OAUTH_PROVIDER_USER          "user"
#define LADLE_OAUTH_PROVIDER_PASSWORD      "passwd"

/* Bounds of the provider's state: each kind (codes, access tokens, refresh tokens, device codes)
 * keeps at most this many; the oldest is forgotten first. */
#define LADLE_OAUTH_PROVIDER_MAX_ENTRIES   2048

typedef struct _LadleOauthProvider LadleOauthProvider;

LadleOauthProvider *ladle_oauth_provider_new    (void);
void                ladle_oauth_provider_free   (LadleOauthProvider *self);
gboolean            ladle_oauth_provider_handle (LadleOauthProvider *self,
                                                 SoupServerMessage  *msg,
                                                 const char         *path);
void                ladle_oauth_provider_attach (SoupServer         *soup);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LadleOauthProvider, ladle_oauth_provider_free)

G_END_DECLS
