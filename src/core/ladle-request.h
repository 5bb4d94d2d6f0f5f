/* ladle-request.h
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
#include <json-glib/json-glib.h>

#include "ladle-key-value.h"

G_BEGIN_DECLS

typedef enum
{
  LADLE_BODY_NONE,
  LADLE_BODY_TEXT,        /* body-text sent with body-content-type */
  LADLE_BODY_JSON,        /* body-text, checked before sending, application/json */
  LADLE_BODY_FORM,        /* form fields, application/x-www-form-urlencoded */
  LADLE_BODY_MULTIPART,   /* form fields, files streamed from disk */
  LADLE_BODY_FILE,        /* the file at body-file as the raw body */
  LADLE_BODY_PARTS,       /* the form rows' values in order, a file row's file streamed: the
                           * raw body of a `.http` request with `< file` lines; Content-Type
                           * only from body-content-type or the headers, none by default */
} LadleBodyKind;

typedef enum
{
  LADLE_AUTH_NONE,
  LADLE_AUTH_BASIC,
  LADLE_AUTH_BEARER,
  LADLE_AUTH_DIGEST,      /* username and password, answered to the server's challenge */
  LADLE_AUTH_API_KEY,     /* auth-key-name = auth-key-value, in a header or the query */
  LADLE_AUTH_OAUTH2,      /* a token fetched with the oauth2-* settings, sent as Bearer */
} LadleAuthKind;

typedef enum
{
  LADLE_API_KEY_IN_HEADER,
  LADLE_API_KEY_IN_QUERY,
} LadleApiKeyPlace;

typedef enum
{
  LADLE_OAUTH2_GRANT_CLIENT_CREDENTIALS,
  LADLE_OAUTH2_GRANT_PASSWORD,            /* with auth-username and auth-password */
  LADLE_OAUTH2_GRANT_AUTHORIZATION_CODE,  /* with PKCE when oauth2-pkce */
  LADLE_OAUTH2_GRANT_DEVICE_CODE,
} LadleOauth2Grant;

typedef enum
{
  LADLE_PROXY_SYSTEM,     /* GNOME's proxy settings, or http_proxy/https_proxy/no_proxy */
  LADLE_PROXY_NONE,       /* straight to the server */
  LADLE_PROXY_MANUAL,     /* proxy-url (http://, https://, socks5://, socks5h://) */
} LadleProxyMode;

typedef enum
{
  LADLE_HTTP_VERSION_ANY, /* HTTP/2 when TLS negotiates it, else HTTP/1.1 */
  LADLE_HTTP_VERSION_1_1, /* HTTP/1.1 only */
} LadleHttpVersion;

#define LADLE_TYPE_BODY_KIND (ladle_body_kind_get_type ())
#define LADLE_TYPE_AUTH_KIND (ladle_auth_kind_get_type ())
#define LADLE_TYPE_API_KEY_PLACE (ladle_api_key_place_get_type ())
#define LADLE_TYPE_OAUTH2_GRANT (ladle_oauth2_grant_get_type ())
#define LADLE_TYPE_PROXY_MODE (ladle_proxy_mode_get_type ())
#define LADLE_TYPE_HTTP_VERSION (ladle_http_version_get_type ())

GType ladle_body_kind_get_type (void) G_GNUC_CONST;
GType ladle_auth_kind_get_type (void) G_GNUC_CONST;
GType ladle_api_key_place_get_type (void) G_GNUC_CONST;
GType ladle_oauth2_grant_get_type (void) G_GNUC_CONST;
GType ladle_proxy_mode_get_type (void) G_GNUC_CONST;
GType ladle_http_version_get_type (void) G_GNUC_CONST;

/* LadleKeyValue: one row of a table the user edits (query parameter, header, form field). */
#define LADLE_TYPE_REQUEST (ladle_request_get_type ())
G_DECLARE_FINAL_TYPE (LadleRequest, ladle_request, LADLE, REQUEST, GObject)

/* Redirects followed at the most (curl 50, Python's requests 30, browsers 20) */
#define LADLE_REQUEST_DEFAULT_MAX_REDIRECTS 30

LadleRequest  *ladle_request_new                   (void);
LadleRequest  *ladle_request_copy                  (LadleRequest  *self);

const char    *ladle_request_get_method            (LadleRequest  *self);
void           ladle_request_set_method            (LadleRequest  *self,
                                                    const char    *method);
const char    *ladle_request_get_url               (LadleRequest  *self);
void           ladle_request_set_url               (LadleRequest  *self,
                                                    const char    *url);
/* (transfer none): GListStore of LadleKeyValue, edited in place */
GListStore    *ladle_request_get_params            (LadleRequest  *self);
GListStore    *ladle_request_get_headers           (LadleRequest  *self);
GListStore    *ladle_request_get_form              (LadleRequest  *self);
/* TRUE: the params rows are a view of the URL's query, and only the URL is sent; FALSE (the
 * default, and requests saved before): the enabled rows are appended to the URL. */
gboolean       ladle_request_get_params_in_url     (LadleRequest  *self);
void           ladle_request_set_params_in_url     (LadleRequest  *self,
                                                    gboolean       in_url);

LadleBodyKind  ladle_request_get_body_kind         (LadleRequest  *self);
void           ladle_request_set_body_kind         (LadleRequest  *self,
                                                    LadleBodyKind  kind);
const char    *ladle_request_get_body_text         (LadleRequest  *self);
void           ladle_request_set_body_text         (LadleRequest  *self,
                                                    const char    *text);
const char    *ladle_request_get_body_content_type (LadleRequest  *self);
void           ladle_request_set_body_content_type (LadleRequest  *self,
                                                    const char    *content_type);
const char    *ladle_request_get_body_file         (LadleRequest  *self);
void           ladle_request_set_body_file         (LadleRequest  *self,
                                                    const char    *path);

LadleAuthKind  ladle_request_get_auth_kind         (LadleRequest  *self);
void           ladle_request_set_auth_kind         (LadleRequest  *self,
                                                    LadleAuthKind  kind);
const char    *ladle_request_get_auth_username     (LadleRequest  *self);
void           ladle_request_set_auth_username     (LadleRequest  *self,
                                                    const char    *username);
const char    *ladle_request_get_auth_password     (LadleRequest  *self);
void           ladle_request_set_auth_password     (LadleRequest  *self,
                                                    const char    *password);
const char    *ladle_request_get_auth_token        (LadleRequest  *self);
void           ladle_request_set_auth_token        (LadleRequest  *self,
                                                    const char    *token);

/* API key: a header (name: value) or a query parameter (name=value, percent-encoded) */
const char    *ladle_request_get_auth_key_name     (LadleRequest  *self);
void           ladle_request_set_auth_key_name     (LadleRequest  *self,
                                                    const char    *name);
const char    *ladle_request_get_auth_key_value    (LadleRequest  *self);
void           ladle_request_set_auth_key_value    (LadleRequest  *self,
                                                    const char    *value);
LadleApiKeyPlace ladle_request_get_auth_key_in     (LadleRequest  *self);
void           ladle_request_set_auth_key_in       (LadleRequest  *self,
                                                    LadleApiKeyPlace place);

/* OAuth 2.0: where and how the token is fetched. The password grant uses auth-username and
 * auth-password. The client secret is not written to the history (ladle_request_to_json_full). */
LadleOauth2Grant ladle_request_get_oauth2_grant    (LadleRequest  *self);
void           ladle_request_set_oauth2_grant      (LadleRequest  *self,
                                                    LadleOauth2Grant grant);
const char    *ladle_request_get_oauth2_auth_url   (LadleRequest  *self);
void           ladle_request_set_oauth2_auth_url   (LadleRequest  *self,
                                                    const char    *url);
const char    *ladle_request_get_oauth2_token_url  (LadleRequest  *self);
void           ladle_request_set_oauth2_token_url  (LadleRequest  *self,
                                                    const char    *url);
const char    *ladle_request_get_oauth2_device_url (LadleRequest  *self);
void           ladle_request_set_oauth2_device_url (LadleRequest  *self,
                                                    const char    *url);
const char    *ladle_request_get_oauth2_client_id  (LadleRequest  *self);
void           ladle_request_set_oauth2_client_id  (LadleRequest  *self,
                                                    const char    *client_id);
const char    *ladle_request_get_oauth2_client_secret (LadleRequest *self);
void           ladle_request_set_oauth2_client_secret (LadleRequest *self,
                                                       const char   *secret);
const char    *ladle_request_get_oauth2_scope      (LadleRequest  *self);
void           ladle_request_set_oauth2_scope      (LadleRequest  *self,
                                                    const char    *scope);
gboolean       ladle_request_get_oauth2_pkce       (LadleRequest  *self);
void           ladle_request_set_oauth2_pkce       (LadleRequest  *self,
                                                    gboolean       pkce);

/* TLS: a client certificate (PEM certificate + key, or PKCS#12 in tls-cert-file alone; the
 * password opens an encrypted key or PKCS#12) and a CA bundle trusted besides the system's. */
const char    *ladle_request_get_tls_cert_file     (LadleRequest  *self);
void           ladle_request_set_tls_cert_file     (LadleRequest  *self,
                                                    const char    *path);
const char    *ladle_request_get_tls_key_file      (LadleRequest  *self);
void           ladle_request_set_tls_key_file      (LadleRequest  *self,
                                                    const char    *path);
const char    *ladle_request_get_tls_cert_password (LadleRequest  *self);
void           ladle_request_set_tls_cert_password (LadleRequest  *self,
                                                    const char    *password);
const char    *ladle_request_get_tls_ca_file       (LadleRequest  *self);
void           ladle_request_set_tls_ca_file       (LadleRequest  *self,
                                                    const char    *path);

/* Proxy: the system's (default), none, or proxy-url with its own credentials; no-proxy lists
 * hosts (curl's --noproxy: comma-separated, ".example.com" or "example.com" covers subdomains,
 * "*" all) reached directly. */
LadleProxyMode ladle_request_get_proxy_mode        (LadleRequest  *self);
void           ladle_request_set_proxy_mode        (LadleRequest  *self,
                                                    LadleProxyMode mode);
const char    *ladle_request_get_proxy_url         (LadleRequest  *self);
void           ladle_request_set_proxy_url         (LadleRequest  *self,
                                                    const char    *url);
const char    *ladle_request_get_proxy_username    (LadleRequest  *self);
void           ladle_request_set_proxy_username    (LadleRequest  *self,
                                                    const char    *username);
const char    *ladle_request_get_proxy_password    (LadleRequest  *self);
void           ladle_request_set_proxy_password    (LadleRequest  *self,
                                                    const char    *password);
const char    *ladle_request_get_no_proxy          (LadleRequest  *self);
void           ladle_request_set_no_proxy          (LadleRequest  *self,
                                                    const char    *hosts);

LadleHttpVersion ladle_request_get_http_version    (LadleRequest  *self);
void           ladle_request_set_http_version      (LadleRequest  *self,
                                                    LadleHttpVersion version);

gboolean       ladle_request_get_follow_redirects  (LadleRequest  *self);
void           ladle_request_set_follow_redirects  (LadleRequest  *self,
                                                    gboolean       follow);
guint          ladle_request_get_max_redirects     (LadleRequest  *self);
void           ladle_request_set_max_redirects     (LadleRequest  *self,
                                                    guint          max_redirects);
gboolean       ladle_request_get_verify_tls        (LadleRequest  *self);
void           ladle_request_set_verify_tls        (LadleRequest  *self,
                                                    gboolean       verify);
/* Whether a JSON body with a syntax error is refused when sent (TRUE, the default); not saved. */
gboolean       ladle_request_get_check_json        (LadleRequest  *self);
void           ladle_request_set_check_json        (LadleRequest  *self,
                                                    gboolean       check);
gboolean       ladle_request_get_use_cookies       (LadleRequest  *self);
void           ladle_request_set_use_cookies       (LadleRequest  *self,
                                                    gboolean       use_cookies);
/* Seconds, fractions allowed; 0 = off. */
double         ladle_request_get_connect_timeout   (LadleRequest  *self);
void           ladle_request_set_connect_timeout   (LadleRequest  *self,
                                                    double         seconds);
double         ladle_request_get_idle_timeout      (LadleRequest  *self);
void           ladle_request_set_idle_timeout      (LadleRequest  *self,
                                                    double         seconds);
double         ladle_request_get_total_timeout     (LadleRequest  *self);
void           ladle_request_set_total_timeout     (LadleRequest  *self,
                                                    double         seconds);

/* The URL with the enabled query parameters appended (percent-encoded; not when the params are
 * in the URL), or NULL with an error that says what is wrong with the URL (no scheme, not
 * http/https, no host...). */
char          *ladle_request_dup_url_as_typed      (LadleRequest  *request);
char          *ladle_request_dup_effective_url     (LadleRequest  *self,
                                                    GError       **error);
/* "localhost:8080/get" as "http://localhost:8080/get", as browsers read it; NULL when the text
 * names a scheme, holds a {{variable}} or needs nothing. */
char          *ladle_request_dup_url_with_scheme   (const char    *text);
/* What goes into the request's head (method, headers, and those Ladle derives: auth, content
 * types) is valid HTTP: a %LADLE_ERROR_INVALID_ARGUMENT error names the first bad part. */
gboolean       ladle_request_validate              (LadleRequest  *self,
                                                    GError       **error);
/* For LADLE_BODY_JSON: checks the body; the error message starts with "LINE:COL: ". */
gboolean       ladle_request_check_json_body       (LadleRequest  *self,
                                                    guint         *out_line,
                                                    guint         *out_column,
                                                    GError       **error);

/* A header the client sends besides the Headers table's rows: @fixed when a row of the same name
 * does not replace it. */
typedef struct
{
  char       *name;
  char       *value;
  gboolean    fixed;
} LadleAutoHeader;

char          *ladle_request_dup_default_user_agent (void);
GArray        *ladle_request_dup_automatic_headers (LadleRequest  *self);

/* Versioned JSON ({"version": 1, ...}) for history and collections. */
JsonNode      *ladle_request_to_json               (LadleRequest  *self);
/* With @with_secrets FALSE (the history), the secrets Ladle does not keep there are left out:
 * the OAuth 2.0 client secret, the proxy password and the certificate's password. */
JsonNode      *ladle_request_to_json_full          (LadleRequest  *self,
                                                    gboolean       with_secrets);
LadleRequest  *ladle_request_new_from_json         (JsonNode      *node,
                                                    GError       **error);

G_END_DECLS
