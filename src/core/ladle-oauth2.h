/* ladle-oauth2.h
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

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "ladle-request.h"

G_BEGIN_DECLS

/* LadleOauth2Grant is the request model's (ladle-request.h): one list of grants for both. */

/* How a client with a secret authenticates to the token endpoint (RFC 6749 §2.3.1). */
typedef enum
{
  LADLE_OAUTH2_CLIENT_AUTH_BASIC,
  LADLE_OAUTH2_CLIENT_AUTH_BODY,
} LadleOauth2ClientAuth;

/**
 * LadleOauth2Config:
 * @grant: the grant to run when no usable token is cached
 * @authorization_url: the authorization endpoint (authorization code)
 * @token_url: the token endpoint (every grant)
 * @device_url: the device authorization endpoint (device code)
 * @client_id: the client's id
 * @client_secret: (nullable): the client's secret, for confidential clients
 * @client_auth: how the secret is sent
 * @scope: (nullable): space-separated scopes
 * @username: (nullable): the resource owner's name (password grant)
 * @password: (nullable): and password
 * @pkce: send a PKCE S256 challenge with the authorization code grant
 * @audience: (nullable): an "audience" parameter (Auth0 and others), sent with every request
 * @extra_params: (nullable): "name=value" strings added to the authorization and token requests
 * @callback_port: the loopback listener's port, 0 for any free one
 *
 * What a token is fetched with. Plain data: the caller keeps it; every function copies what it
 * needs.
 */
typedef struct
{
  LadleOauth2Grant       grant;
  char                  *authorization_url;
  char                  *token_url;
  char                  *device_url;
  char                  *client_id;
  char                  *client_secret;
  LadleOauth2ClientAuth  client_auth;
  char                  *scope;
  char                  *username;
  char                  *password;
  gboolean               pkce;
  char                  *audience;
  char                 **extra_params;
  guint                  callback_port;
} LadleOauth2Config;

/**
 * LadleOauth2Token:
 * @access_token: the token
 * @token_type: as the server gave it ("Bearer")
 * @refresh_token: (nullable): the refresh token
 * @scope: (nullable): the scopes granted (those asked for when the server did not say)
 * @id_token: (nullable): an OpenID Connect ID token
 * @expires_at: real time in µs when it expires, 0 when the server did not say
 * @obtained_at: real time in µs when it came
 */
typedef struct
{
  char   *access_token;
  char   *token_type;
  char   *refresh_token;
  char   *scope;
  char   *id_token;
  gint64  expires_at;
  gint64  obtained_at;
} LadleOauth2Token;

/**
 * LadleOauth2DeviceCode:
 * What the user is asked to do in the device flow: open @verification_uri (or
 * @verification_uri_complete, which has the code in it) and type @user_code.
 */
typedef struct
{
  const char *user_code;
  const char *verification_uri;
  const char *verification_uri_complete;   /* nullable */
  guint       expires_in;                  /* seconds */
} LadleOauth2DeviceCode;

/* Called to show the authorization page: the CLI and the window open it in the user's browser
 * (g_app_info_launch_default_for_uri()); tests fetch it themselves. */
typedef void (*LadleOauth2OpenUriFunc)   (const char                  *uri,
                                          gpointer                     user_data);
typedef void (*LadleOauth2DeviceFunc)    (const LadleOauth2DeviceCode *code,
                                          gpointer                     user_data);

#define LADLE_TYPE_OAUTH2_CONFIG (ladle_oauth2_config_get_type ())
#define LADLE_TYPE_OAUTH2_TOKEN  (ladle_oauth2_token_get_type ())

GType              ladle_oauth2_config_get_type      (void) G_GNUC_CONST;
LadleOauth2Config *ladle_oauth2_config_new           (LadleOauth2Grant         grant);
/* The request's oauth2-* settings (the password grant takes auth-username and auth-password) */
LadleOauth2Config *ladle_oauth2_config_new_from_request (LadleRequest         *request);
LadleOauth2Config *ladle_oauth2_config_copy          (const LadleOauth2Config *config);
void               ladle_oauth2_config_free          (LadleOauth2Config       *config);
char              *ladle_oauth2_config_dup_cache_key (const LadleOauth2Config *config);
const char        *ladle_oauth2_grant_to_string      (LadleOauth2Grant         grant);
gboolean           ladle_oauth2_grant_from_string    (const char              *text,
                                                      LadleOauth2Grant        *out_grant);

GType              ladle_oauth2_token_get_type       (void) G_GNUC_CONST;
LadleOauth2Token  *ladle_oauth2_token_copy           (const LadleOauth2Token  *token);
void               ladle_oauth2_token_free           (LadleOauth2Token        *token);
gboolean           ladle_oauth2_token_is_expired     (const LadleOauth2Token  *token,
                                                      gint64                   now);
char              *ladle_oauth2_token_dup_authorization (const LadleOauth2Token *token);
char              *ladle_oauth2_token_describe       (const LadleOauth2Token  *token,
                                                      gint64                   now);
JsonObject        *ladle_oauth2_token_dup_id_claims  (const LadleOauth2Token  *token,
                                                      GError                 **error);

/* Redaction, for history and logs: secrets and tokens never leave in clear. */
char              *ladle_oauth2_redact_form          (const char              *form);
char              *ladle_oauth2_redact_authorization (const char              *value);
char              *ladle_oauth2_redact_text          (const char              *text,
                                                      const LadleOauth2Config *config,
                                                      const LadleOauth2Token  *token);

#define LADLE_TYPE_OAUTH2_CLIENT (ladle_oauth2_client_get_type ())
G_DECLARE_FINAL_TYPE (LadleOauth2Client, ladle_oauth2_client, LADLE, OAUTH2_CLIENT, GObject)

LadleOauth2Client *ladle_oauth2_client_new              (SoupSession             *session);
void               ladle_oauth2_client_set_open_uri_func (LadleOauth2Client      *self,
                                                         LadleOauth2OpenUriFunc  func,
                                                         gpointer                user_data,
                                                         GDestroyNotify          destroy);
void               ladle_oauth2_client_set_device_func  (LadleOauth2Client      *self,
                                                         LadleOauth2DeviceFunc   func,
                                                         gpointer                user_data,
                                                         GDestroyNotify          destroy);
void               ladle_oauth2_client_set_callback_timeout (LadleOauth2Client  *self,
                                                         guint                   seconds);
void               ladle_oauth2_client_get_token_async  (LadleOauth2Client      *self,
                                                         const LadleOauth2Config *config,
                                                         gboolean                force_new,
                                                         GCancellable           *cancellable,
                                                         GAsyncReadyCallback     callback,
                                                         gpointer                user_data);
LadleOauth2Token  *ladle_oauth2_client_get_token_finish (LadleOauth2Client      *self,
                                                         GAsyncResult           *result,
                                                         GError                **error);
void               ladle_oauth2_client_refresh_async    (LadleOauth2Client      *self,
                                                         const LadleOauth2Config *config,
                                                         const char             *refresh_token,
                                                         GCancellable           *cancellable,
                                                         GAsyncReadyCallback     callback,
                                                         gpointer                user_data);
LadleOauth2Token  *ladle_oauth2_client_refresh_finish   (LadleOauth2Client      *self,
                                                         GAsyncResult           *result,
                                                         GError                **error);
void               ladle_oauth2_client_discover_async   (LadleOauth2Client      *self,
                                                         const LadleOauth2Config *config,
                                                         const char             *issuer,
                                                         GCancellable           *cancellable,
                                                         GAsyncReadyCallback     callback,
                                                         gpointer                user_data);
LadleOauth2Config *ladle_oauth2_client_discover_finish  (LadleOauth2Client      *self,
                                                         GAsyncResult           *result,
                                                         GError                **error);
LadleOauth2Token  *ladle_oauth2_client_lookup           (LadleOauth2Client      *self,
                                                         const LadleOauth2Config *config);
void               ladle_oauth2_client_forget           (LadleOauth2Client      *self,
                                                         const LadleOauth2Config *config);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LadleOauth2Config, ladle_oauth2_config_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LadleOauth2Token, ladle_oauth2_token_free)

G_END_DECLS
