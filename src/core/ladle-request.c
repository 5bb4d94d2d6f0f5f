/* ladle-request.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "ladle-error.h"
#include "ladle-http-syntax.h"
#include "ladle-json.h"
#include "ladle-proxy.h"
#include "ladle-request.h"

/* The request model the editor binds to and the client engine sends. Plain data: the setters take
 * anything (the editor holds half-typed text); the checks (the URL, a JSON body, the method and
 * headers) are separate calls, and the engine makes them before sending.
 * Not thread-safe: copy it (ladle_request_copy) before handing it to another thread. */

#define DEFAULT_METHOD        "GET"
#define DEFAULT_CONTENT_TYPE  "text/plain; charset=utf-8"
#define FORMAT_VERSION        1

G_DEFINE_ENUM_TYPE (LadleBodyKind, ladle_body_kind,
                    G_DEFINE_ENUM_VALUE (LADLE_BODY_NONE, "none"),
                    G_DEFINE_ENUM_VALUE (LADLE_BODY_TEXT, "text"),
                    G_DEFINE_ENUM_VALUE (LADLE_BODY_JSON, "json"),
                    G_DEFINE_ENUM_VALUE (LADLE_BODY_FORM, "form"),
                    G_DEFINE_ENUM_VALUE (LADLE_BODY_MULTIPART, "multipart"),
                    G_DEFINE_ENUM_VALUE (LADLE_BODY_FILE, "file"),
                    G_DEFINE_ENUM_VALUE (LADLE_BODY_PARTS, "parts"))

G_DEFINE_ENUM_TYPE (LadleAuthKind, ladle_auth_kind,
                    G_DEFINE_ENUM_VALUE (LADLE_AUTH_NONE, "none"),
                    G_DEFINE_ENUM_VALUE (LADLE_AUTH_BASIC, "basic"),
                    G_DEFINE_ENUM_VALUE (LADLE_AUTH_BEARER, "bearer"),
                    G_DEFINE_ENUM_VALUE (LADLE_AUTH_DIGEST, "digest"),
                    G_DEFINE_ENUM_VALUE (LADLE_AUTH_API_KEY, "api-key"),
                    G_DEFINE_ENUM_VALUE (LADLE_AUTH_OAUTH2, "oauth2"))

G_DEFINE_ENUM_TYPE (LadleApiKeyPlace, ladle_api_key_place,
                    G_DEFINE_ENUM_VALUE (LADLE_API_KEY_IN_HEADER, "header"),
                    G_DEFINE_ENUM_VALUE (LADLE_API_KEY_IN_QUERY, "query"))

G_DEFINE_ENUM_TYPE (LadleOauth2Grant, ladle_oauth2_grant,
                    G_DEFINE_ENUM_VALUE (LADLE_OAUTH2_GRANT_CLIENT_CREDENTIALS, "client-credentials"),
                    G_DEFINE_ENUM_VALUE (LADLE_OAUTH2_GRANT_PASSWORD, "password"),
                    G_DEFINE_ENUM_VALUE (LADLE_OAUTH2_GRANT_AUTHORIZATION_CODE, "authorization-code"),
                    G_DEFINE_ENUM_VALUE (LADLE_OAUTH2_GRANT_DEVICE_CODE, "device-code"))

G_DEFINE_ENUM_TYPE (LadleProxyMode, ladle_proxy_mode,
                    G_DEFINE_ENUM_VALUE (LADLE_PROXY_SYSTEM, "system"),
                    G_DEFINE_ENUM_VALUE (LADLE_PROXY_NONE, "none"),
                    G_DEFINE_ENUM_VALUE (LADLE_PROXY_MANUAL, "manual"))

G_DEFINE_ENUM_TYPE (LadleHttpVersion, ladle_http_version,
                    G_DEFINE_ENUM_VALUE (LADLE_HTTP_VERSION_ANY, "any"),
                    G_DEFINE_ENUM_VALUE (LADLE_HTTP_VERSION_1_1, "1.1"))

/* Replaces *dest with a copy of @src; TRUE when the value changed. */
static gboolean
set_string (char       **dest,
            const char  *src)
{
  if (g_strcmp0 (*dest, src) == 0)
    return FALSE;

  g_free (*dest);
  *dest = g_strdup (src);
  return TRUE;
}

/* LadleRequest */

struct _LadleRequest
{
  GObject        parent_instance;

  char          *method;
  char          *url;
  GListStore    *params;
  gboolean       params_in_url;
  GListStore    *headers;
  GListStore    *form;

  LadleBodyKind  body_kind;
  char          *body_text;
  char          *body_content_type;
  char          *body_file;

  LadleAuthKind  auth_kind;
  char          *auth_username;
  char          *auth_password;
  char          *auth_token;
  LadleApiKeyPlace auth_key_in;
  LadleOauth2Grant oauth2_grant;
  gboolean       oauth2_pkce;

  /* The settings of issue 14 that are plain strings, listed in string_settings[] */
  char          *auth_key_name;
  char          *auth_key_value;
  char          *oauth2_auth_url;
  char          *oauth2_token_url;
  char          *oauth2_device_url;
  char          *oauth2_client_id;
  char          *oauth2_client_secret;
  char          *oauth2_scope;
  char          *tls_cert_file;
  char          *tls_key_file;
  char          *tls_cert_password;
  char          *tls_ca_file;
  char          *proxy_url;
  char          *proxy_username;
  char          *proxy_password;
  char          *no_proxy;

  LadleProxyMode proxy_mode;
  LadleHttpVersion http_version;

  gboolean       follow_redirects;
  guint          max_redirects;
  gboolean       verify_tls;
  gboolean       use_cookies;
  double         connect_timeout;
  double         idle_timeout;
  double         total_timeout;
  /* Not saved: a choice for one send */
  gboolean       check_json;
};

G_DEFINE_FINAL_TYPE (LadleRequest, ladle_request, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_METHOD,
  PROP_URL,
  PROP_PARAMS,
  PROP_HEADERS,
  PROP_FORM,
  PROP_BODY_KIND,
  PROP_BODY_TEXT,
  PROP_BODY_CONTENT_TYPE,
  PROP_BODY_FILE,
  PROP_AUTH_KIND,
  PROP_AUTH_USERNAME,
  PROP_AUTH_PASSWORD,
  PROP_AUTH_TOKEN,
  PROP_FOLLOW_REDIRECTS,
  PROP_MAX_REDIRECTS,
  PROP_VERIFY_TLS,
  PROP_USE_COOKIES,
  PROP_CONNECT_TIMEOUT,
  PROP_IDLE_TIMEOUT,
  PROP_TOTAL_TIMEOUT,
  PROP_AUTH_KEY_IN,
  PROP_OAUTH2_GRANT,
  PROP_OAUTH2_PKCE,
  PROP_PROXY_MODE,
  PROP_HTTP_VERSION,
  PROP_FIRST_STRING_SETTING,
  /* … one per string_settings[] entry */
  N_PROPS = PROP_FIRST_STRING_SETTING + 16
};

/* String settings, all alike: "" by default, saved under "auth" or "options" in the request's
 * JSON; @secret ones are left out of the history (ladle_request_to_json_full()). */
typedef struct
{
  const char *property;
  const char *group;
  const char *key;
  gsize       offset;
  gboolean    secret;
} StringSetting;

#define STRING_SETTING(prop, group, field, secret) \
  { prop, group, #field, G_STRUCT_OFFSET (LadleRequest, field), secret }

static const StringSetting string_settings[] = {
  STRING_SETTING ("auth-key-name", "auth", auth_key_name, FALSE),
  STRING_SETTING ("auth-key-value", "auth", auth_key_value, FALSE),
  STRING_SETTING ("oauth2-auth-url", "auth", oauth2_auth_url, FALSE),
  STRING_SETTING ("oauth2-token-url", "auth", oauth2_token_url, FALSE),
  STRING_SETTING ("oauth2-device-url", "auth", oauth2_device_url, FALSE),
  STRING_SETTING ("oauth2-client-id", "auth", oauth2_client_id, FALSE),
  STRING_SETTING ("oauth2-client-secret", "auth", oauth2_client_secret, TRUE),
  STRING_SETTING ("oauth2-scope", "auth", oauth2_scope, FALSE),
  STRING_SETTING ("tls-cert-file", "options", tls_cert_file, FALSE),
  STRING_SETTING ("tls-key-file", "options", tls_key_file, FALSE),
  STRING_SETTING ("tls-cert-password", "options", tls_cert_password, TRUE),
  STRING_SETTING ("tls-ca-file", "options", tls_ca_file, FALSE),
  STRING_SETTING ("proxy-url", "options", proxy_url, FALSE),
  STRING_SETTING ("proxy-username", "options", proxy_username, FALSE),
  STRING_SETTING ("proxy-password", "options", proxy_password, TRUE),
  STRING_SETTING ("no-proxy", "options", no_proxy, FALSE),
};

G_STATIC_ASSERT (G_N_ELEMENTS (string_settings) == N_PROPS - PROP_FIRST_STRING_SETTING);

#define STRING_FIELD(self, i) G_STRUCT_MEMBER (char *, (self), string_settings[i].offset)

static GParamSpec *properties[N_PROPS];

static void
ladle_request_finalize (GObject *object)
{
  LadleRequest *self = LADLE_REQUEST (object);

  g_clear_pointer (&self->method, g_free);
  g_clear_pointer (&self->url, g_free);
  g_clear_object (&self->params);
  g_clear_object (&self->headers);
  g_clear_object (&self->form);
  g_clear_pointer (&self->body_text, g_free);
  g_clear_pointer (&self->body_content_type, g_free);
  g_clear_pointer (&self->body_file, g_free);
  g_clear_pointer (&self->auth_username, g_free);
  g_clear_pointer (&self->auth_password, g_free);
  g_clear_pointer (&self->auth_token, g_free);
  for (guint i = 0; i < G_N_ELEMENTS (string_settings); i++)
    g_clear_pointer (&STRING_FIELD (self, i), g_free);

  G_OBJECT_CLASS (ladle_request_parent_class)->finalize (object);
}

static void
set_string_setting (LadleRequest *self,
                    guint         index,
                    const char   *value)
{
  if (set_string (&STRING_FIELD (self, index), value != NULL ? value : ""))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIRST_STRING_SETTING + index]);
}

static void
ladle_request_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  LadleRequest *self = LADLE_REQUEST (object);

  switch (prop_id)
    {
    case PROP_METHOD:
      g_value_set_string (value, self->method);
      break;

    case PROP_URL:
      g_value_set_string (value, self->url);
      break;

    case PROP_PARAMS:
      g_value_set_object (value, self->params);
      break;

    case PROP_HEADERS:
      g_value_set_object (value, self->headers);
      break;

    case PROP_FORM:
      g_value_set_object (value, self->form);
      break;

    case PROP_BODY_KIND:
      g_value_set_enum (value, self->body_kind);
      break;

    case PROP_BODY_TEXT:
      g_value_set_string (value, self->body_text);
      break;

    case PROP_BODY_CONTENT_TYPE:
      g_value_set_string (value, self->body_content_type);
      break;

    case PROP_BODY_FILE:
      g_value_set_string (value, self->body_file);
      break;

    case PROP_AUTH_KIND:
      g_value_set_enum (value, self->auth_kind);
      break;

    case PROP_AUTH_USERNAME:
      g_value_set_string (value, self->auth_username);
      break;

    case PROP_AUTH_PASSWORD:
      g_value_set_string (value, self->auth_password);
      break;

    case PROP_AUTH_TOKEN:
      g_value_set_string (value, self->auth_token);
      break;

    case PROP_FOLLOW_REDIRECTS:
      g_value_set_boolean (value, self->follow_redirects);
      break;

    case PROP_MAX_REDIRECTS:
      g_value_set_uint (value, self->max_redirects);
      break;

    case PROP_VERIFY_TLS:
      g_value_set_boolean (value, self->verify_tls);
      break;

    case PROP_USE_COOKIES:
      g_value_set_boolean (value, self->use_cookies);
      break;

    case PROP_CONNECT_TIMEOUT:
      g_value_set_double (value, self->connect_timeout);
      break;

    case PROP_IDLE_TIMEOUT:
      g_value_set_double (value, self->idle_timeout);
      break;

    case PROP_TOTAL_TIMEOUT:
      g_value_set_double (value, self->total_timeout);
      break;

    case PROP_AUTH_KEY_IN:
      g_value_set_enum (value, self->auth_key_in);
      break;

    case PROP_OAUTH2_GRANT:
      g_value_set_enum (value, self->oauth2_grant);
      break;

    case PROP_OAUTH2_PKCE:
      g_value_set_boolean (value, self->oauth2_pkce);
      break;

    case PROP_PROXY_MODE:
      g_value_set_enum (value, self->proxy_mode);
      break;

    case PROP_HTTP_VERSION:
      g_value_set_enum (value, self->http_version);
      break;

    default:
      if (prop_id >= PROP_FIRST_STRING_SETTING && prop_id < N_PROPS)
        g_value_set_string (value, STRING_FIELD (self, prop_id - PROP_FIRST_STRING_SETTING));
      else
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_request_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  LadleRequest *self = LADLE_REQUEST (object);

  switch (prop_id)
    {
    case PROP_METHOD:
      ladle_request_set_method (self, g_value_get_string (value));
      break;

    case PROP_URL:
      ladle_request_set_url (self, g_value_get_string (value));
      break;

    case PROP_BODY_KIND:
      ladle_request_set_body_kind (self, g_value_get_enum (value));
      break;

    case PROP_BODY_TEXT:
      ladle_request_set_body_text (self, g_value_get_string (value));
      break;

    case PROP_BODY_CONTENT_TYPE:
      ladle_request_set_body_content_type (self, g_value_get_string (value));
      break;

    case PROP_BODY_FILE:
      ladle_request_set_body_file (self, g_value_get_string (value));
      break;

    case PROP_AUTH_KIND:
      ladle_request_set_auth_kind (self, g_value_get_enum (value));
      break;

    case PROP_AUTH_USERNAME:
      ladle_request_set_auth_username (self, g_value_get_string (value));
      break;

    case PROP_AUTH_PASSWORD:
      ladle_request_set_auth_password (self, g_value_get_string (value));
      break;

    case PROP_AUTH_TOKEN:
      ladle_request_set_auth_token (self, g_value_get_string (value));
      break;

    case PROP_FOLLOW_REDIRECTS:
      ladle_request_set_follow_redirects (self, g_value_get_boolean (value));
      break;

    case PROP_MAX_REDIRECTS:
      ladle_request_set_max_redirects (self, g_value_get_uint (value));
      break;

    case PROP_VERIFY_TLS:
      ladle_request_set_verify_tls (self, g_value_get_boolean (value));
      break;

    case PROP_USE_COOKIES:
      ladle_request_set_use_cookies (self, g_value_get_boolean (value));
      break;

    case PROP_CONNECT_TIMEOUT:
      ladle_request_set_connect_timeout (self, g_value_get_double (value));
      break;

    case PROP_IDLE_TIMEOUT:
      ladle_request_set_idle_timeout (self, g_value_get_double (value));
      break;

    case PROP_TOTAL_TIMEOUT:
      ladle_request_set_total_timeout (self, g_value_get_double (value));
      break;

    case PROP_AUTH_KEY_IN:
      ladle_request_set_auth_key_in (self, g_value_get_enum (value));
      break;

    case PROP_OAUTH2_GRANT:
      ladle_request_set_oauth2_grant (self, g_value_get_enum (value));
      break;

    case PROP_OAUTH2_PKCE:
      ladle_request_set_oauth2_pkce (self, g_value_get_boolean (value));
      break;

    case PROP_PROXY_MODE:
      ladle_request_set_proxy_mode (self, g_value_get_enum (value));
      break;

    case PROP_HTTP_VERSION:
      ladle_request_set_http_version (self, g_value_get_enum (value));
      break;

    default:
      if (prop_id >= PROP_FIRST_STRING_SETTING && prop_id < N_PROPS)
        set_string_setting (self, prop_id - PROP_FIRST_STRING_SETTING, g_value_get_string (value));
      else
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_request_class_init (LadleRequestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = ladle_request_finalize;
  object_class->get_property = ladle_request_get_property;
  object_class->set_property = ladle_request_set_property;

  properties[PROP_METHOD] =
    g_param_spec_string ("method", NULL, NULL, DEFAULT_METHOD, rw);
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, "", rw);
  properties[PROP_PARAMS] =
    g_param_spec_object ("params", NULL, NULL, G_TYPE_LIST_STORE, ro);
  properties[PROP_HEADERS] =
    g_param_spec_object ("headers", NULL, NULL, G_TYPE_LIST_STORE, ro);
  properties[PROP_FORM] =
    g_param_spec_object ("form", NULL, NULL, G_TYPE_LIST_STORE, ro);
  properties[PROP_BODY_KIND] =
    g_param_spec_enum ("body-kind", NULL, NULL, LADLE_TYPE_BODY_KIND, LADLE_BODY_NONE, rw);
  properties[PROP_BODY_TEXT] =
    g_param_spec_string ("body-text", NULL, NULL, "", rw);
  properties[PROP_BODY_CONTENT_TYPE] =
    g_param_spec_string ("body-content-type", NULL, NULL, DEFAULT_CONTENT_TYPE, rw);
  properties[PROP_BODY_FILE] =
    g_param_spec_string ("body-file", NULL, NULL, NULL, rw);
  properties[PROP_AUTH_KIND] =
    g_param_spec_enum ("auth-kind", NULL, NULL, LADLE_TYPE_AUTH_KIND, LADLE_AUTH_NONE, rw);
  properties[PROP_AUTH_USERNAME] =
    g_param_spec_string ("auth-username", NULL, NULL, "", rw);
  properties[PROP_AUTH_PASSWORD] =
    g_param_spec_string ("auth-password", NULL, NULL, "", rw);
  properties[PROP_AUTH_TOKEN] =
    g_param_spec_string ("auth-token", NULL, NULL, "", rw);
  properties[PROP_FOLLOW_REDIRECTS] =
    g_param_spec_boolean ("follow-redirects", NULL, NULL, TRUE, rw);
  properties[PROP_MAX_REDIRECTS] =
    g_param_spec_uint ("max-redirects", NULL, NULL, 0, G_MAXUINT, LADLE_REQUEST_DEFAULT_MAX_REDIRECTS, rw);
  properties[PROP_VERIFY_TLS] =
    g_param_spec_boolean ("verify-tls", NULL, NULL, TRUE, rw);
  properties[PROP_USE_COOKIES] =
    g_param_spec_boolean ("use-cookies", NULL, NULL, TRUE, rw);
  properties[PROP_CONNECT_TIMEOUT] =
    g_param_spec_double ("connect-timeout", NULL, NULL, 0, G_MAXDOUBLE, 0, rw);
  properties[PROP_IDLE_TIMEOUT] =
    g_param_spec_double ("idle-timeout", NULL, NULL, 0, G_MAXDOUBLE, 0, rw);
  properties[PROP_TOTAL_TIMEOUT] =
    g_param_spec_double ("total-timeout", NULL, NULL, 0, G_MAXDOUBLE, 0, rw);
  properties[PROP_AUTH_KEY_IN] =
    g_param_spec_enum ("auth-key-in", NULL, NULL, LADLE_TYPE_API_KEY_PLACE,
                       LADLE_API_KEY_IN_HEADER, rw);
  properties[PROP_OAUTH2_GRANT] =
    g_param_spec_enum ("oauth2-grant", NULL, NULL, LADLE_TYPE_OAUTH2_GRANT,
                       LADLE_OAUTH2_GRANT_CLIENT_CREDENTIALS, rw);
  properties[PROP_OAUTH2_PKCE] =
    g_param_spec_boolean ("oauth2-pkce", NULL, NULL, TRUE, rw);
  properties[PROP_PROXY_MODE] =
    g_param_spec_enum ("proxy-mode", NULL, NULL, LADLE_TYPE_PROXY_MODE, LADLE_PROXY_SYSTEM, rw);
  properties[PROP_HTTP_VERSION] =
    g_param_spec_enum ("http-version", NULL, NULL, LADLE_TYPE_HTTP_VERSION,
                       LADLE_HTTP_VERSION_ANY, rw);
  /* Static: the names live in string_settings[] */
  for (guint i = 0; i < G_N_ELEMENTS (string_settings); i++)
    properties[PROP_FIRST_STRING_SETTING + i] =
      g_param_spec_string (string_settings[i].property, NULL, NULL, "", rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ladle_request_init (LadleRequest *self)
{
  self->method = g_strdup (DEFAULT_METHOD);
  self->url = g_strdup ("");
  self->params = g_list_store_new (LADLE_TYPE_KEY_VALUE);
  self->headers = g_list_store_new (LADLE_TYPE_KEY_VALUE);
  self->form = g_list_store_new (LADLE_TYPE_KEY_VALUE);
  self->body_kind = LADLE_BODY_NONE;
  self->body_text = g_strdup ("");
  self->body_content_type = g_strdup (DEFAULT_CONTENT_TYPE);
  self->auth_kind = LADLE_AUTH_NONE;
  self->auth_username = g_strdup ("");
  self->auth_password = g_strdup ("");
  self->auth_token = g_strdup ("");
  self->follow_redirects = TRUE;
  self->max_redirects = LADLE_REQUEST_DEFAULT_MAX_REDIRECTS;
  self->verify_tls = TRUE;
  self->use_cookies = TRUE;
  self->check_json = TRUE;
  self->oauth2_pkce = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (string_settings); i++)
    STRING_FIELD (self, i) = g_strdup ("");
}

/**
 * ladle_request_new:
 *
 * Returns: (transfer full): a GET request with an empty URL and the default options
 */
LadleRequest *
ladle_request_new (void)
{
  return g_object_new (LADLE_TYPE_REQUEST, NULL);
}

static void
copy_store (GListStore *from,
            GListStore *to)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (from));
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LadleKeyValue) kv = g_list_model_get_item (G_LIST_MODEL (from), i);

      g_ptr_array_add (items, ladle_key_value_copy (kv));
    }

  g_list_store_splice (to, 0, g_list_model_get_n_items (G_LIST_MODEL (to)),
                       items->pdata, items->len);
}

/**
 * ladle_request_copy:
 *
 * Returns: (transfer full): a deep copy: the rows are new objects, so editing the copy's tables
 *   leaves @self alone
 */
LadleRequest *
ladle_request_copy (LadleRequest *self)
{
  LadleRequest *copy;

  g_return_val_if_fail (LADLE_IS_REQUEST (self), NULL);

  copy = ladle_request_new ();
  set_string (&copy->method, self->method);
  set_string (&copy->url, self->url);
  copy_store (self->params, copy->params);
  copy->params_in_url = self->params_in_url;
  copy_store (self->headers, copy->headers);
  copy_store (self->form, copy->form);
  copy->body_kind = self->body_kind;
  set_string (&copy->body_text, self->body_text);
  set_string (&copy->body_content_type, self->body_content_type);
  set_string (&copy->body_file, self->body_file);
  copy->auth_kind = self->auth_kind;
  set_string (&copy->auth_username, self->auth_username);
  set_string (&copy->auth_password, self->auth_password);
  set_string (&copy->auth_token, self->auth_token);
  copy->follow_redirects = self->follow_redirects;
  copy->max_redirects = self->max_redirects;
  copy->verify_tls = self->verify_tls;
  copy->use_cookies = self->use_cookies;
  copy->connect_timeout = self->connect_timeout;
  copy->idle_timeout = self->idle_timeout;
  copy->total_timeout = self->total_timeout;
  copy->check_json = self->check_json;
  copy->auth_key_in = self->auth_key_in;
  copy->oauth2_grant = self->oauth2_grant;
  copy->oauth2_pkce = self->oauth2_pkce;
  copy->proxy_mode = self->proxy_mode;
  copy->http_version = self->http_version;
  for (guint i = 0; i < G_N_ELEMENTS (string_settings); i++)
    set_string (&STRING_FIELD (copy, i), STRING_FIELD (self, i));
  return copy;
}

/* The string setters share one shape: NULL means "" except where the property is nullable. */
#define DEFINE_STRING_ACCESSORS(field, prop, nullable)                                  \
  const char *                                                                          \
  ladle_request_get_##field (LadleRequest *self)                                        \
  {                                                                                     \
    g_return_val_if_fail (LADLE_IS_REQUEST (self), NULL);                               \
    return self->field;                                                                 \
  }                                                                                     \
                                                                                        \
  void                                                                                  \
  ladle_request_set_##field (LadleRequest *self,                                        \
                             const char   *value)                                       \
  {                                                                                     \
    g_return_if_fail (LADLE_IS_REQUEST (self));                                         \
    if (value == NULL && !(nullable))                                                   \
      value = "";                                                                       \
    if (set_string (&self->field, value))                                               \
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);                     \
  }

DEFINE_STRING_ACCESSORS (url, PROP_URL, FALSE)
DEFINE_STRING_ACCESSORS (body_text, PROP_BODY_TEXT, FALSE)
DEFINE_STRING_ACCESSORS (body_content_type, PROP_BODY_CONTENT_TYPE, FALSE)
DEFINE_STRING_ACCESSORS (body_file, PROP_BODY_FILE, TRUE)
DEFINE_STRING_ACCESSORS (auth_username, PROP_AUTH_USERNAME, FALSE)
DEFINE_STRING_ACCESSORS (auth_password, PROP_AUTH_PASSWORD, FALSE)
DEFINE_STRING_ACCESSORS (auth_token, PROP_AUTH_TOKEN, FALSE)

#undef DEFINE_STRING_ACCESSORS

/* The string settings' accessors, by their index in string_settings[] */
#define DEFINE_SETTING_ACCESSORS(field, index)                                          \
  const char *                                                                          \
  ladle_request_get_##field (LadleRequest *self)                                        \
  {                                                                                     \
    g_return_val_if_fail (LADLE_IS_REQUEST (self), NULL);                               \
    return self->field;                                                                 \
  }                                                                                     \
                                                                                        \
  void                                                                                  \
  ladle_request_set_##field (LadleRequest *self,                                        \
                             const char   *value)                                       \
  {                                                                                     \
    g_return_if_fail (LADLE_IS_REQUEST (self));                                         \
    g_assert (string_settings[index].offset == G_STRUCT_OFFSET (LadleRequest, field));  \
    set_string_setting (self, index, value);                                            \
  }

DEFINE_SETTING_ACCESSORS (auth_key_name, 0)
DEFINE_SETTING_ACCESSORS (auth_key_value, 1)
DEFINE_SETTING_ACCESSORS (oauth2_auth_url, 2)
DEFINE_SETTING_ACCESSORS (oauth2_token_url, 3)
DEFINE_SETTING_ACCESSORS (oauth2_device_url, 4)
DEFINE_SETTING_ACCESSORS (oauth2_client_id, 5)
DEFINE_SETTING_ACCESSORS (oauth2_client_secret, 6)
DEFINE_SETTING_ACCESSORS (oauth2_scope, 7)
DEFINE_SETTING_ACCESSORS (tls_cert_file, 8)
DEFINE_SETTING_ACCESSORS (tls_key_file, 9)
DEFINE_SETTING_ACCESSORS (tls_cert_password, 10)
DEFINE_SETTING_ACCESSORS (tls_ca_file, 11)
DEFINE_SETTING_ACCESSORS (proxy_url, 12)
DEFINE_SETTING_ACCESSORS (proxy_username, 13)
DEFINE_SETTING_ACCESSORS (proxy_password, 14)
DEFINE_SETTING_ACCESSORS (no_proxy, 15)

#undef DEFINE_SETTING_ACCESSORS

/* Enum and boolean settings of issue 14, all alike */
#define DEFINE_VALUE_ACCESSORS(type, field, prop)                                       \
  type                                                                                  \
  ladle_request_get_##field (LadleRequest *self)                                        \
  {                                                                                     \
    g_return_val_if_fail (LADLE_IS_REQUEST (self), 0);                                  \
    return self->field;                                                                 \
  }                                                                                     \
                                                                                        \
  void                                                                                  \
  ladle_request_set_##field (LadleRequest *self,                                        \
                             type          value)                                       \
  {                                                                                     \
    g_return_if_fail (LADLE_IS_REQUEST (self));                                         \
    if (self->field == value)                                                           \
      return;                                                                           \
    self->field = value;                                                                \
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);                       \
  }

DEFINE_VALUE_ACCESSORS (LadleApiKeyPlace, auth_key_in, PROP_AUTH_KEY_IN)
DEFINE_VALUE_ACCESSORS (LadleOauth2Grant, oauth2_grant, PROP_OAUTH2_GRANT)
DEFINE_VALUE_ACCESSORS (LadleProxyMode, proxy_mode, PROP_PROXY_MODE)
DEFINE_VALUE_ACCESSORS (LadleHttpVersion, http_version, PROP_HTTP_VERSION)

#undef DEFINE_VALUE_ACCESSORS

gboolean
ladle_request_get_oauth2_pkce (LadleRequest *self)
{
  g_return_val_if_fail (LADLE_IS_REQUEST (self), FALSE);

  return self->oauth2_pkce;
}

void
ladle_request_set_oauth2_pkce (LadleRequest *self,
                               gboolean      pkce)
{
  g_return_if_fail (LADLE_IS_REQUEST (self));

  pkce = !!pkce;
  if (self->oauth2_pkce == pkce)
    return;
  self->oauth2_pkce = pkce;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OAUTH2_PKCE]);
}

const char *
ladle_request_get_method (LadleRequest *self)
{
  g_return_val_if_fail (LADLE_IS_REQUEST (self), NULL);

  return self->method;
}

/**
 * ladle_request_set_method:
 * @method: (nullable): an HTTP method, stored as typed; %NULL or "" means GET
 *
 * Stored unchecked, so that the editor can hold a half-typed method; ladle_request_validate()
 * checks it, and the engine calls that before sending.
 */
void
ladle_request_set_method (LadleRequest *self,
                          const char   *method)
{
  g_return_if_fail (LADLE_IS_REQUEST (self));

  if (method == NULL || *method == '\0')
    method = DEFAULT_METHOD;

  if (set_string (&self->method, method))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_METHOD]);
}

/**
 * ladle_request_set_params_in_url:
 *
 * Whether the params rows are a view of the URL's query (the window keeps the two in step, and
 * its disabled rows are not in the URL): then only the URL is sent. Else (a request built by a
 * command line, or saved before the two were linked) the enabled rows are appended to the URL.
 */
void
ladle_request_set_params_in_url (LadleRequest *self,
                                 gboolean      in_url)
{
  g_return_if_fail (LADLE_IS_REQUEST (self));

  /* Not a property: nothing shows it, and it changes only with the URL */
  self->params_in_url = !!in_url;
}

gboolean
ladle_request_get_params_in_url (LadleRequest *self)
{
  g_return_val_if_fail (LADLE_IS_REQUEST (self), FALSE);
  return self->params_in_url;
}

/**
 * ladle_request_get_params:
 *
 * Returns: (transfer none): the query parameters, a #GListStore of #LadleKeyValue
 */
GListStore *
ladle_request_get_params (LadleRequest *self)
{
  g_return_val_if_fail (LADLE_IS_REQUEST (self), NULL);

  return self->params;
}

/**
 * ladle_request_get_headers:
 *
 * Returns: (transfer none): the headers, a #GListStore of #LadleKeyValue
 */
GListStore *
ladle_request_get_headers (LadleRequest *self)
{
  g_return_val_if_fail (LADLE_IS_REQUEST (self), NULL);

  return self->headers;
}

/**
 * ladle_request_get_form:
 *
 * Returns: (transfer none): the form fields of FORM and MULTIPART bodies
 */
GListStore *
ladle_request_get_form (LadleRequest *self)
{
  g_return_val_if_fail (LADLE_IS_REQUEST (self), NULL);

  return self->form;
}

LadleBodyKind
ladle_request_get_body_kind (LadleRequest *self)
{
  g_return_val_if_fail (LADLE_IS_REQUEST (self), LADLE_BODY_NONE);

  return self->body_kind;
}

void
ladle_request_set_body_kind (LadleRequest  *self,
                             LadleBodyKind  kind)
{
  g_return_if_fail (LADLE_IS_REQUEST (self));
  g_return_if_fail (kind >= LADLE_BODY_NONE && kind <= LADLE_BODY_PARTS);

  if (self->body_kind == kind)
    return;

  self->body_kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BODY_KIND]);
}

LadleAuthKind
ladle_request_get_auth_kind (LadleRequest *self)
{
  g_return_val_if_fail (LADLE_IS_REQUEST (self), LADLE_AUTH_NONE);

  return self->auth_kind;
}

void
ladle_request_set_auth_kind (LadleRequest  *self,
                             LadleAuthKind  kind)
{
  g_return_if_fail (LADLE_IS_REQUEST (self));
  g_return_if_fail (kind >= LADLE_AUTH_NONE && kind <= LADLE_AUTH_OAUTH2);

  if (self->auth_kind == kind)
    return;

  self->auth_kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTH_KIND]);
}

#define DEFINE_BOOLEAN_ACCESSORS(field, prop)                                           \
  gboolean                                                                              \
  ladle_request_get_##field (LadleRequest *self)                                        \
  {                                                                                     \
    g_return_val_if_fail (LADLE_IS_REQUEST (self), FALSE);                              \
    return self->field;                                                                 \
  }                                                                                     \
                                                                                        \
  void                                                                                  \
  ladle_request_set_##field (LadleRequest *self,                                        \
                             gboolean      value)                                       \
  {                                                                                     \
    g_return_if_fail (LADLE_IS_REQUEST (self));                                         \
    value = !!value;                                                                    \
    if (self->field == value)                                                           \
      return;                                                                           \
    self->field = value;                                                                \
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);                       \
  }

DEFINE_BOOLEAN_ACCESSORS (follow_redirects, PROP_FOLLOW_REDIRECTS)
DEFINE_BOOLEAN_ACCESSORS (verify_tls, PROP_VERIFY_TLS)
DEFINE_BOOLEAN_ACCESSORS (use_cookies, PROP_USE_COOKIES)

#undef DEFINE_BOOLEAN_ACCESSORS

guint
ladle_request_get_max_redirects (LadleRequest *self)
{
  g_return_val_if_fail (LADLE_IS_REQUEST (self), 0);

  return self->max_redirects;
}

void
ladle_request_set_max_redirects (LadleRequest *self,
                                 guint         max_redirects)
{
  g_return_if_fail (LADLE_IS_REQUEST (self));

  if (self->max_redirects == max_redirects)
    return;

  self->max_redirects = max_redirects;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_REDIRECTS]);
}

#define DEFINE_TIMEOUT_ACCESSORS(field, prop)                                           \
  double                                                                                \
  ladle_request_get_##field (LadleRequest *self)                                        \
  {                                                                                     \
    g_return_val_if_fail (LADLE_IS_REQUEST (self), 0);                                  \
    return self->field;                                                                 \
  }                                                                                     \
                                                                                        \
  void                                                                                  \
  ladle_request_set_##field (LadleRequest *self,                                        \
                             double        seconds)                                     \
  {                                                                                     \
    g_return_if_fail (LADLE_IS_REQUEST (self));                                         \
    g_return_if_fail (isfinite (seconds) && seconds >= 0);                              \
    if (self->field == seconds)                                                         \
      return;                                                                           \
    self->field = seconds;                                                              \
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);                       \
  }

DEFINE_TIMEOUT_ACCESSORS (connect_timeout, PROP_CONNECT_TIMEOUT)
DEFINE_TIMEOUT_ACCESSORS (idle_timeout, PROP_IDLE_TIMEOUT)
DEFINE_TIMEOUT_ACCESSORS (total_timeout, PROP_TOTAL_TIMEOUT)

#undef DEFINE_TIMEOUT_ACCESSORS

/* Effective URL */

static gboolean
host_is_valid (const char *host)
{
  if (host == NULL || *host == '\0')
    return FALSE;

  /* After g_uri_parse the host is ASCII (IDN is converted) or an IP literal without brackets. */
  for (const char *p = host; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr ("-._:%", *p) == NULL)
        return FALSE;
    }

  return TRUE;
}

/**
 * ladle_request_dup_url_with_scheme:
 * @text: a URL as typed
 *
 * Browsers and HTTP tools read "localhost:8080/get", "127.0.0.1/x" or "[::1]:8080" as http://
 * URLs. Text that names a scheme ("ftp://x", "mailto:x"), starts with "/" or holds a {{variable}}
 * (which may expand to a scheme) is left alone.
 *
 * Returns: (transfer full) (nullable): @text (trimmed) with "http://" in front when it has no
 *   scheme and one is assumed; else %NULL
 */
char *
ladle_request_dup_url_with_scheme (const char *text)
{
  g_autofree char *trimmed = NULL;
  const char *scheme;

  g_return_val_if_fail (text != NULL, NULL);

  trimmed = g_strstrip (g_strdup (text));
  if (*trimmed == '\0' || *trimmed == '/' || strstr (trimmed, "{{") != NULL)
    return NULL;

  scheme = g_uri_peek_scheme (trimmed);
  if (scheme != NULL)
    {
      /* "localhost:8080/get" reads as the scheme "localhost": a port follows the colon there */
      const char *rest = trimmed + strlen (scheme) + 1;
      const char *p = rest;

      while (g_ascii_isdigit (*p) && p - rest < 5)
        p++;
      if (p == rest || (*p != '\0' && strchr ("/?#", *p) == NULL))
        return NULL;
    }

  return g_strconcat ("http://", trimmed, NULL);
}

/**
 * ladle_request_dup_effective_url:
 *
 * The enabled query parameters are appended, then an API key meant for the query (name=value).
 * The URL is parsed with %G_URI_FLAGS_ENCODED so that the user's own percent-encoding is kept
 * byte for byte (decoding "%26" in a query would change its meaning); spaces and non-ASCII are
 * percent-encoded and international host names converted to punycode.
 *
 * Returns: (transfer full) (nullable): the URL to send, or %NULL with @error set
 */
char *
ladle_request_dup_effective_url (LadleRequest  *self,
                                 GError       **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) result = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) query = NULL;
  g_autofree char *trimmed = NULL;
  g_autofree char *completed = NULL;
  const char *scheme;
  const char *path;
  guint n;

  g_return_val_if_fail (LADLE_IS_REQUEST (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  trimmed = g_strstrip (g_strdup (self->url));
  if (*trimmed == '\0')
    {
      g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                           _("The URL is empty"));
      return NULL;
    }

  completed = ladle_request_dup_url_with_scheme (trimmed);
  if (completed != NULL)
    {
      g_free (trimmed);
      trimmed = g_steal_pointer (&completed);
    }

  scheme = g_uri_peek_scheme (trimmed);
  if (scheme == NULL)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                   _("The URL “%s” has no scheme: it must start with http:// or https://"),
                   trimmed);
      return NULL;
    }

  if (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                   _("The URL scheme “%s” is not supported: use http:// or https://"), scheme);
      return NULL;
    }

  uri = g_uri_parse (trimmed, G_URI_FLAGS_ENCODED, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                   _("The URL “%s” is not valid: %s"), trimmed, local_error->message);
      return NULL;
    }

  if (!host_is_valid (g_uri_get_host (uri)))
    {
      if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
        g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                     _("The URL “%s” has no host name"), trimmed);
      else
        g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                     _("The host name “%s” is not valid"), g_uri_get_host (uri));
      return NULL;
    }

  if (g_uri_get_query (uri) != NULL)
    query = g_string_new (g_uri_get_query (uri));

  n = self->params_in_url ? 0 : g_list_model_get_n_items (G_LIST_MODEL (self->params));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LadleKeyValue) kv = g_list_model_get_item (G_LIST_MODEL (self->params), i);
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (!ladle_key_value_get_enabled (kv))
        continue;

      name = g_uri_escape_string (ladle_key_value_get_name (kv), NULL, FALSE);
      value = g_uri_escape_string (ladle_key_value_get_value (kv), NULL, FALSE);
      if (query == NULL)
        query = g_string_new (NULL);
      else if (query->len > 0)
        g_string_append_c (query, '&');
      g_string_append_printf (query, "%s=%s", name, value);
    }

  /* An API key for the query goes last, percent-encoded as the parameters are */
  if (self->auth_kind == LADLE_AUTH_API_KEY && self->auth_key_in == LADLE_API_KEY_IN_QUERY &&
      self->auth_key_name != NULL && *self->auth_key_name != '\0')
    {
      g_autofree char *name = g_uri_escape_string (self->auth_key_name, NULL, FALSE);
      g_autofree char *value = g_uri_escape_string (self->auth_key_value != NULL
                                                    ? self->auth_key_value : "", NULL, FALSE);

      if (query == NULL)
        query = g_string_new (NULL);
      else if (query->len > 0)
        g_string_append_c (query, '&');
      g_string_append_printf (query, "%s=%s", name, value);
    }

  path = g_uri_get_path (uri);
  if (*path == '\0')
    path = "/";

  result = g_uri_build (G_URI_FLAGS_ENCODED,
                        g_uri_get_scheme (uri),
                        g_uri_get_userinfo (uri),
                        g_uri_get_host (uri),
                        g_uri_get_port (uri),
                        path,
                        query != NULL ? query->str : NULL,
                        g_uri_get_fragment (uri));

  /* With G_URI_FLAGS_ENCODED, GLib leaves some bytes that are not allowed in a URL as typed
   * ("{", "|", "\\", non-ASCII in the user info...); escape those, and only those. */
  {
    g_autofree char *str = g_uri_to_string (result);

    return g_uri_escape_string (str, ":/?#[]@!$&'()*+,;=%", FALSE);
  }
}

/* Method and headers */

/* Ladle writes these into a header line itself, so they follow a header value's rule. */
static gboolean
fits_in_header (const char *text)
{
  return ladle_http_check_header_value (NULL, text, NULL);
}

static gboolean
check_derived_headers (LadleRequest  *self,
                       GError       **error)
{
  guint n;

  if (self->auth_kind == LADLE_AUTH_BEARER && !fits_in_header (self->auth_token))
    {
      g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                           _("The bearer token contains a line break or another control "
                             "character, which the “Authorization” header cannot carry"));
      return FALSE;
    }

  if (self->auth_kind == LADLE_AUTH_API_KEY)
    {
      g_autofree char *shown = ladle_http_escape_for_display (self->auth_key_name, -1, 80);

      if (*self->auth_key_name == '\0')
        {
          g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                               _("The API key has no name: give the header or query parameter "
                                 "that carries it"));
          return FALSE;
        }
      if (self->auth_key_in == LADLE_API_KEY_IN_HEADER &&
          !ladle_http_check_header_name (self->auth_key_name, NULL))
        {
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                       _("The API key’s header name “%s” is not a valid header name"), shown);
          return FALSE;
        }
      if (self->auth_key_in == LADLE_API_KEY_IN_HEADER && !fits_in_header (self->auth_key_value))
        {
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                       _("The API key for “%s” contains a line break or another control "
                         "character, which a header cannot carry"), shown);
          return FALSE;
        }
    }

  if ((self->body_kind == LADLE_BODY_TEXT || self->body_kind == LADLE_BODY_FILE ||
       self->body_kind == LADLE_BODY_PARTS) &&
      !fits_in_header (self->body_content_type))
    {
      g_autofree char *shown = ladle_http_escape_for_display (self->body_content_type, -1, 80);

      g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                   _("The content type “%s” contains a line break or another control character, "
                     "which the “Content-Type” header cannot carry"), shown);
      return FALSE;
    }

  if (self->body_kind != LADLE_BODY_MULTIPART)
    return TRUE;

  /* A file part's type goes into the part's own header. */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->form));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LadleKeyValue) kv = g_list_model_get_item (G_LIST_MODEL (self->form), i);
      const char *name = ladle_key_value_get_name (kv);
      const char *type = ladle_key_value_get_content_type (kv);

      if (ladle_key_value_get_enabled (kv) && *name != '\0' && ladle_key_value_get_is_file (kv) &&
          type != NULL && !fits_in_header (type))
        {
          g_autofree char *shown_type = ladle_http_escape_for_display (type, -1, 80);
          g_autofree char *shown_name = ladle_http_escape_for_display (name, -1, 80);

          g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                       _("The content type “%s” of the form field “%s” contains a line break or "
                         "another control character"), shown_type, shown_name);
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * ladle_request_validate:
 *
 * Checks what goes into the request's head, which libsoup writes as given: the method (an
 * RFC 9110 token: "GET /x HTTP/1.1\r\n\r\nDELETE" would put two requests on the wire), the
 * enabled header rows, and what Ladle derives from the request (the bearer token, the body's
 * content type, a file part's type). The URL and a JSON body have checks of their own.
 *
 * Returns: %TRUE when the request may be sent; else %FALSE with a
 *   %LADLE_ERROR_INVALID_ARGUMENT error that names the first bad part
 */
gboolean
ladle_request_validate (LadleRequest  *self,
                        GError       **error)
{
  guint n;

  g_return_val_if_fail (LADLE_IS_REQUEST (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!ladle_http_check_method (self->method, error))
    return FALSE;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->headers));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LadleKeyValue) kv = g_list_model_get_item (G_LIST_MODEL (self->headers), i);

      if (!ladle_key_value_check_header (kv, error))
        return FALSE;
    }

  return check_derived_headers (self, error);
}

/* JSON body check */

/**
 * ladle_request_set_check_json:
 * @check: whether a JSON body with a syntax error is refused (the default)
 *
 * Sending malformed JSON on purpose tests how a server handles it: with @check %FALSE the body is
 * sent as written. This is a choice for one send: it is copied with the request, not saved.
 */
void
ladle_request_set_check_json (LadleRequest *self,
                              gboolean      check)
{
  g_return_if_fail (LADLE_IS_REQUEST (self));

  self->check_json = !!check;
}

gboolean
ladle_request_get_check_json (LadleRequest *self)
{
  g_return_val_if_fail (LADLE_IS_REQUEST (self), TRUE);

  return self->check_json;
}

/* json-glib counts a column in bytes: this is the 1-based column in characters of the byte
 * @byte_column of @line in @text (a multibyte character counts once). */
static guint
json_column_in_chars (const char  *text,
                      guint        line,
                      guint        byte_column,
                      const char **out_at)
{
  const char *start = text != NULL ? text : "";
  const char *end;

  for (guint i = 1; i < line; i++)
    {
      const char *next = strchr (start, '\n');

      if (next == NULL)
        return byte_column;
      start = next + 1;
    }

  end = strchr (start, '\n');
  if (end == NULL)
    end = start + strlen (start);
  if (byte_column == 0)
    return 0;
  if ((gsize) (byte_column - 1) < (gsize) (end - start))
    *out_at = start + byte_column - 1;

  return g_utf8_strlen (start, MIN ((gsize) (byte_column - 1), (gsize) (end - start))) + 1;
}

/* The token json-glib quotes in "character `x'", "number `1'", "identifier `tru'" or
 * "string constant \"a\"", or NULL (end of file, an escaped byte, anything else). */
static char *
json_token (const char *description)
{
  const char *open;
  const char *close;

  if ((open = strchr (description, '`')) != NULL && (close = strrchr (open, '\'')) != NULL &&
      close > open + 1 && memchr (open + 1, '\\', close - open - 1) == NULL)
    return g_strndup (open + 1, close - open - 1);

  if (g_str_has_prefix (description, "string constant \"") &&
      (close = strrchr (description, '"')) > description + strlen ("string constant \""))
    return g_strndup (description + strlen ("string constant "),
                      close - description - strlen ("string constant ") + 1);

  return NULL;
}

/* json-glib 1.6 words its errors as GScanner does ("Parse error: unexpected character `}',
 * expected character `]'"), and its error codes often name the wrong fault: the message is
 * rewritten from what was found and what was expected. */
static char *
describe_json_error (const char *message,
                     const char *at)
{
  g_autofree char *found_part = NULL;
  g_autofree char *found = NULL;
  g_autofree char *wanted = NULL;
  const char *expected;
  gboolean at_end;

  if (g_str_has_prefix (message, "Parse error: "))
    message += strlen ("Parse error: ");

  if (g_str_has_prefix (message, "scanner: unterminated string"))
    return g_strdup (_("a text in double quotes is not closed"));
  if (!g_str_has_prefix (message, "unexpected "))
    return g_strdup (message);

  message += strlen ("unexpected ");
  expected = strstr (message, ", expected ");
  if (expected == NULL)
    return g_strdup (_("unexpected text here"));
  found_part = g_strndup (message, expected - message);
  expected += strlen (", expected ");
  found = json_token (found_part);
  at_end = g_str_has_prefix (found_part, "end of");
  /* A non-ASCII character json-glib quotes as an escaped byte: the character itself */
  if (found == NULL && !at_end && at != NULL && (guchar) *at >= 0x80)
    {
      gunichar c = g_utf8_get_char_validated (at, -1);

      if (c != (gunichar) -1 && c != (gunichar) -2)
        found = g_strndup (at, g_utf8_next_char (at) - at);
    }

  if (g_str_has_prefix (expected, "character "))
    {
      wanted = json_token (expected);
      if (wanted == NULL)
        return g_strdup (_("unexpected text here"));
      if (at_end)
        /* Translators: %s is a character such as } */
        return g_strdup_printf (_("the text ends where “%s” was expected"), wanted);
      if (found == NULL)
        /* Translators: %s is a character such as } */
        return g_strdup_printf (_("“%s” was expected here"), wanted);
      if (g_str_equal (found, wanted))
        /* Translators: %s is a character such as } */
        return g_strdup_printf (_("a value was expected before “%s”"), found);
      /* Translators: the first %s is what was expected, such as “,”; the second what was found */
      return g_strdup_printf (_("“%s” was expected here, not “%s”"), wanted, found);
    }

  if (at_end)
    return g_strdup (_("the text ends too early"));
  if (found == NULL)
    return g_strdup (_("unexpected text here"));

  if (g_str_has_prefix (expected, "value"))
    /* Translators: %s is a word such as tru */
    return g_strdup_printf (_("“%s” is not a JSON value (values are numbers, texts in double "
                              "quotes, true, false, null, objects and arrays)"), found);
  if (g_str_has_prefix (expected, "end of"))
    /* Translators: %s is the text found, such as garbage */
    return g_strdup_printf (_("“%s” follows the end of the JSON value"), found);
  if (g_str_has_prefix (expected, "string constant"))
    /* Translators: %s is the text found, such as name */
    return g_strdup_printf (_("a member name in double quotes was expected here, not “%s”"), found);
  if (g_str_has_prefix (expected, "number"))
    /* Translators: %s is the text found, such as - */
    return g_strdup_printf (_("a number was expected here, not “%s”"), found);

  /* Translators: %s is the text found */
  return g_strdup_printf (_("unexpected “%s” here"), found);
}

/**
 * ladle_request_check_json_body:
 * @out_line: (out) (optional): 1-based line of the first error
 * @out_column: (out) (optional): 1-based column of the first error
 *
 * Parses the body text as JSON. An empty (or blank) body is an error here, because sending it with
 * a JSON Content-Type is almost always a mistake.
 *
 * Returns: %TRUE when the body is valid JSON; else %FALSE with a %LADLE_ERROR_PARSE error whose
 *   message starts with "LINE:COL: "
 */
gboolean
ladle_request_check_json_body (LadleRequest  *self,
                               guint         *out_line,
                               guint         *out_column,
                               GError       **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *at = NULL;
  guint line = 1;
  guint column = 1;

  g_return_val_if_fail (LADLE_IS_REQUEST (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (out_line != NULL)
    *out_line = 0;
  if (out_column != NULL)
    *out_column = 0;

  parser = json_parser_new_immutable ();
  if (ladle_json_parser_load (parser, self->body_text, -1, &local_error))
    {
      if (json_parser_get_root (parser) != NULL)
        return TRUE;

      /* json-glib accepts empty input with a NULL root (doc/STACK.md §12) */
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, "1:1: %s",
                   _("The JSON body is empty"));
    }
  else
    {
      const char *message = local_error->message;
      const char *p = message;
      char *end;

      /* "<data>:LINE:COL: Parse error: ..." */
      if (g_str_has_prefix (p, "<data>:"))
        p += strlen ("<data>:");

      line = strtoul (p, &end, 10);
      if (end != p && *end == ':')
        {
          const char *col_start = end + 1;

          column = strtoul (col_start, &end, 10);
          if (end != col_start && *end == ':')
            {
              message = end + 1;
              while (*message == ' ')
                message++;
            }
          else
            line = 0;
        }
      else
        line = 0;

      if (line == 0)
        {
          line = 1;
          column = 1;
        }
      else
        column = json_column_in_chars (self->body_text, line, column, &at);

      {
        g_autofree char *detail = describe_json_error (message, at);
        /* json-glib may cut the token it quotes inside a character */
        g_autofree char *valid = g_utf8_make_valid (detail, -1);

        g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, "%u:%u: %s", line, column, valid);
      }
    }

  if (out_line != NULL)
    *out_line = line;
  if (out_column != NULL)
    *out_column = column;

  return FALSE;
}

/* JSON (de)serialisation */

static const char *
enum_nick (GType type,
           int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *ev = g_enum_get_value (klass, value);

  return ev != NULL ? ev->value_nick : NULL;
}

static JsonNode *
key_values_to_json (GListStore *store,
                    gboolean    with_file)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));

  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LadleKeyValue) kv = g_list_model_get_item (G_LIST_MODEL (store), i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, ladle_key_value_get_name (kv));
      json_builder_set_member_name (builder, "value");
      json_builder_add_string_value (builder, ladle_key_value_get_value (kv));
      json_builder_set_member_name (builder, "enabled");
      json_builder_add_boolean_value (builder, ladle_key_value_get_enabled (kv));
      if (with_file)
        {
          json_builder_set_member_name (builder, "file");
          json_builder_add_boolean_value (builder, ladle_key_value_get_is_file (kv));
          json_builder_set_member_name (builder, "content_type");
          if (ladle_key_value_get_content_type (kv) != NULL)
            json_builder_add_string_value (builder, ladle_key_value_get_content_type (kv));
          else
            json_builder_add_null_value (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  return json_builder_get_root (builder);
}

/**
 * ladle_request_to_json:
 *
 * Returns: (transfer full): `{"version": 1, ...}`, readable by ladle_request_new_from_json()
 */
JsonNode *
ladle_request_to_json (LadleRequest *self)
{
  return ladle_request_to_json_full (self, TRUE);
}

/* The string settings of @group, "" ones left out (so files stay as they were for requests that
 * use none), and secret ones only @with_secrets. */
static void
add_string_settings (JsonBuilder  *builder,
                     LadleRequest *self,
                     const char   *group,
                     gboolean      with_secrets)
{
  for (guint i = 0; i < G_N_ELEMENTS (string_settings); i++)
    {
      const char *value = STRING_FIELD (self, i);

      if (strcmp (string_settings[i].group, group) != 0 || *value == '\0' ||
          (string_settings[i].secret && !with_secrets))
        continue;
      json_builder_set_member_name (builder, string_settings[i].key);
      /* A password typed into the proxy's URL is as secret as proxy-password */
      if (!with_secrets && strcmp (string_settings[i].property, "proxy-url") == 0)
        {
          g_autofree char *kept = ladle_proxy_uri_without_password (value);

          json_builder_add_string_value (builder, kept);
          continue;
        }
      json_builder_add_string_value (builder, value);
    }
}

/**
 * ladle_request_to_json_full:
 * @with_secrets: whether the secrets the history does not keep are written
 *
 * Returns: (transfer full): as ladle_request_to_json(), without the OAuth 2.0 client secret,
 *   the proxy's password and the certificate's password unless @with_secrets
 */
JsonNode *
ladle_request_to_json_full (LadleRequest *self,
                            gboolean      with_secrets)
{
  g_autoptr(JsonBuilder) builder = NULL;

  g_return_val_if_fail (LADLE_IS_REQUEST (self), NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, FORMAT_VERSION);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, self->method);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, self->url);
  json_builder_set_member_name (builder, "params");
  json_builder_add_value (builder, key_values_to_json (self->params, FALSE));
  json_builder_set_member_name (builder, "params_in_url");
  json_builder_add_boolean_value (builder, self->params_in_url);
  json_builder_set_member_name (builder, "headers");
  json_builder_add_value (builder, key_values_to_json (self->headers, FALSE));

  json_builder_set_member_name (builder, "body");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, enum_nick (LADLE_TYPE_BODY_KIND, self->body_kind));
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, self->body_text);
  json_builder_set_member_name (builder, "content_type");
  json_builder_add_string_value (builder, self->body_content_type);
  json_builder_set_member_name (builder, "fields");
  json_builder_add_value (builder, key_values_to_json (self->form, TRUE));
  json_builder_set_member_name (builder, "file");
  if (self->body_file != NULL)
    json_builder_add_string_value (builder, self->body_file);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "auth");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, enum_nick (LADLE_TYPE_AUTH_KIND, self->auth_kind));
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, self->auth_username);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, self->auth_password);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, self->auth_token);
  if (self->auth_key_in != LADLE_API_KEY_IN_HEADER)
    {
      json_builder_set_member_name (builder, "key_in");
      json_builder_add_string_value (builder, enum_nick (LADLE_TYPE_API_KEY_PLACE,
                                                         self->auth_key_in));
    }
  if (self->auth_kind == LADLE_AUTH_OAUTH2 ||
      self->oauth2_grant != LADLE_OAUTH2_GRANT_CLIENT_CREDENTIALS || !self->oauth2_pkce)
    {
      json_builder_set_member_name (builder, "oauth2_grant");
      json_builder_add_string_value (builder, enum_nick (LADLE_TYPE_OAUTH2_GRANT,
                                                         self->oauth2_grant));
      json_builder_set_member_name (builder, "oauth2_pkce");
      json_builder_add_boolean_value (builder, self->oauth2_pkce);
    }
  add_string_settings (builder, self, "auth", with_secrets);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "options");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "follow_redirects");
  json_builder_add_boolean_value (builder, self->follow_redirects);
  json_builder_set_member_name (builder, "max_redirects");
  json_builder_add_int_value (builder, self->max_redirects);
  json_builder_set_member_name (builder, "verify_tls");
  json_builder_add_boolean_value (builder, self->verify_tls);
  json_builder_set_member_name (builder, "use_cookies");
  json_builder_add_boolean_value (builder, self->use_cookies);
  json_builder_set_member_name (builder, "connect_timeout");
  json_builder_add_double_value (builder, self->connect_timeout);
  json_builder_set_member_name (builder, "idle_timeout");
  json_builder_add_double_value (builder, self->idle_timeout);
  json_builder_set_member_name (builder, "total_timeout");
  json_builder_add_double_value (builder, self->total_timeout);
  if (self->proxy_mode != LADLE_PROXY_SYSTEM)
    {
      json_builder_set_member_name (builder, "proxy_mode");
      json_builder_add_string_value (builder, enum_nick (LADLE_TYPE_PROXY_MODE, self->proxy_mode));
    }
  if (self->http_version != LADLE_HTTP_VERSION_ANY)
    {
      json_builder_set_member_name (builder, "http_version");
      json_builder_add_string_value (builder, enum_nick (LADLE_TYPE_HTTP_VERSION,
                                                         self->http_version));
    }
  add_string_settings (builder, self, "options", with_secrets);
  json_builder_end_object (builder);

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Readers for one member: absent or null leaves *out alone; a wrong type is an error naming the
 * member by its path ("body.fields[2].name"). */

static gboolean
type_error (GError     **error,
            const char  *path,
            const char  *expected)
{
  g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
               /* Translators: the first %s is a key like "body.kind", the second a JSON type */
               _("The request’s “%s” must be %s"), path, expected);
  return FALSE;
}

static JsonNode *
get_member (JsonObject *object,
            const char *key)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return node;
}

static gboolean
read_string (JsonObject  *object,
             const char  *prefix,
             const char  *key,
             char       **out,
             GError     **error)
{
  JsonNode *node = get_member (object, key);

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_autofree char *path = g_strconcat (prefix, key, NULL);

      return type_error (error, path, _("a string"));
    }

  set_string (out, json_node_get_string (node));
  return TRUE;
}

static gboolean
read_boolean (JsonObject  *object,
              const char  *prefix,
              const char  *key,
              gboolean    *out,
              GError     **error)
{
  JsonNode *node = get_member (object, key);

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_autofree char *path = g_strconcat (prefix, key, NULL);

      return type_error (error, path, _("true or false"));
    }

  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
read_number (JsonObject  *object,
             const char  *prefix,
             const char  *key,
             gboolean     integer,
             double       max,
             double      *out,
             GError     **error)
{
  JsonNode *node = get_member (object, key);
  GType type;
  double value;

  if (node == NULL)
    return TRUE;

  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type == G_TYPE_INT64)
    value = json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE && !integer)
    value = json_node_get_double (node);
  else
    value = -1;

  if (value < 0 || value > max || !isfinite (value))
    {
      g_autofree char *path = g_strconcat (prefix, key, NULL);

      return type_error (error, path,
                         integer ? _("a whole number, zero or more")
                                 : _("a number of seconds, zero or more"));
    }

  *out = value;
  return TRUE;
}

static gboolean
read_object (JsonObject  *object,
             const char  *prefix,
             const char  *key,
             JsonObject **out,
             GError     **error)
{
  JsonNode *node = get_member (object, key);

  *out = NULL;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *path = g_strconcat (prefix, key, NULL);

      return type_error (error, path, _("an object"));
    }

  *out = json_node_get_object (node);
  return TRUE;
}

static gboolean
read_enum (JsonObject  *object,
           const char  *prefix,
           const char  *key,
           GType        type,
           int         *out,
           GError     **error)
{
  g_autofree char *nick = NULL;
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *ev;

  if (!read_string (object, prefix, key, &nick, error))
    return FALSE;
  if (nick == NULL)
    return TRUE;

  klass = g_type_class_ref (type);
  ev = g_enum_get_value_by_nick (klass, nick);
  if (ev == NULL)
    {
      g_autofree char *path = g_strconcat (prefix, key, NULL);

      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                   _("The request’s “%s” has an unknown value “%s”"), path, nick);
      return FALSE;
    }

  *out = ev->value;
  return TRUE;
}

static gboolean
read_key_values (JsonObject  *object,
                 const char  *prefix,
                 const char  *key,
                 gboolean     with_file,
                 GListStore  *store,
                 GError     **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  JsonNode *node = get_member (object, key);
  JsonArray *array;
  guint n;

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_autofree char *path = g_strconcat (prefix, key, NULL);

      return type_error (error, path, _("an array"));
    }

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *path = g_strdup_printf ("%s%s[%u]", prefix, key, i);
      g_autofree char *member_prefix = g_strconcat (path, ".", NULL);
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;
      g_autofree char *content_type = NULL;
      gboolean enabled = TRUE;
      gboolean is_file = FALSE;
      LadleKeyValue *kv;
      JsonObject *row;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return type_error (error, path, _("an object"));

      row = json_node_get_object (element);
      if (!read_string (row, member_prefix, "name", &name, error) ||
          !read_string (row, member_prefix, "value", &value, error) ||
          !read_boolean (row, member_prefix, "enabled", &enabled, error))
        return FALSE;

      if (with_file &&
          (!read_boolean (row, member_prefix, "file", &is_file, error) ||
           !read_string (row, member_prefix, "content_type", &content_type, error)))
        return FALSE;

      kv = ladle_key_value_new (name, value);
      ladle_key_value_set_enabled (kv, enabled);
      ladle_key_value_set_is_file (kv, is_file);
      ladle_key_value_set_content_type (kv, content_type);
      g_ptr_array_add (items, kv);
    }

  g_list_store_splice (store, 0, 0, items->pdata, items->len);
  return TRUE;
}

static gboolean
read_string_settings (JsonObject    *object,
                      const char    *group,
                      LadleRequest  *self,
                      GError       **error)
{
  g_autofree char *prefix = g_strconcat (group, ".", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (string_settings); i++)
    if (strcmp (string_settings[i].group, group) == 0 &&
        !read_string (object, prefix, string_settings[i].key, &STRING_FIELD (self, i), error))
      return FALSE;
  return TRUE;
}

/**
 * ladle_request_new_from_json:
 * @node: what ladle_request_to_json() wrote, possibly by a newer Ladle of the same format version
 *
 * Unknown members are ignored and missing ones keep their defaults, so that a file written by a
 * newer Ladle with extra keys still loads. A member of the wrong type, an unknown body or auth
 * kind, or a newer format version is an error.
 *
 * Returns: (transfer full) (nullable): a new request, or %NULL with a %LADLE_ERROR_PARSE error
 */
LadleRequest *
ladle_request_new_from_json (JsonNode  *node,
                             GError   **error)
{
  g_autoptr(LadleRequest) self = NULL;
  JsonObject *root;
  JsonObject *body = NULL;
  JsonObject *auth = NULL;
  JsonObject *options = NULL;
  JsonNode *version;
  double max_redirects;
  int kind;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                           _("A saved request must be a JSON object"));
      return NULL;
    }

  root = json_node_get_object (node);
  version = get_member (root, "version");
  if (version == NULL || !JSON_NODE_HOLDS_VALUE (version) ||
      json_node_get_value_type (version) != G_TYPE_INT64 || json_node_get_int (version) < 1)
    {
      g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                           _("The saved request has no valid “version”"));
      return NULL;
    }

  if (json_node_get_int (version) > FORMAT_VERSION)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                   _("The saved request uses format version %lld, which is newer than this "
                     "version of Ladle supports (%d)"),
                   (long long) json_node_get_int (version), FORMAT_VERSION);
      return NULL;
    }

  self = ladle_request_new ();

  if (!read_string (root, "", "method", &self->method, error) ||
      !read_string (root, "", "url", &self->url, error) ||
      !read_key_values (root, "", "params", FALSE, self->params, error) ||
      !read_boolean (root, "", "params_in_url", &self->params_in_url, error) ||
      !read_key_values (root, "", "headers", FALSE, self->headers, error) ||
      !read_object (root, "", "body", &body, error) ||
      !read_object (root, "", "auth", &auth, error) ||
      !read_object (root, "", "options", &options, error))
    return NULL;

  if (*self->method == '\0')
    set_string (&self->method, DEFAULT_METHOD);

  if (body != NULL)
    {
      kind = self->body_kind;
      if (!read_enum (body, "body.", "kind", LADLE_TYPE_BODY_KIND, &kind, error) ||
          !read_string (body, "body.", "text", &self->body_text, error) ||
          !read_string (body, "body.", "content_type", &self->body_content_type, error) ||
          !read_key_values (body, "body.", "fields", TRUE, self->form, error) ||
          !read_string (body, "body.", "file", &self->body_file, error))
        return NULL;
      self->body_kind = kind;
    }

  if (auth != NULL)
    {
      kind = self->auth_kind;
      if (!read_enum (auth, "auth.", "kind", LADLE_TYPE_AUTH_KIND, &kind, error) ||
          !read_string (auth, "auth.", "username", &self->auth_username, error) ||
          !read_string (auth, "auth.", "password", &self->auth_password, error) ||
          !read_string (auth, "auth.", "token", &self->auth_token, error))
        return NULL;
      self->auth_kind = kind;

      kind = self->auth_key_in;
      if (!read_enum (auth, "auth.", "key_in", LADLE_TYPE_API_KEY_PLACE, &kind, error))
        return NULL;
      self->auth_key_in = kind;
      kind = self->oauth2_grant;
      if (!read_enum (auth, "auth.", "oauth2_grant", LADLE_TYPE_OAUTH2_GRANT, &kind, error) ||
          !read_boolean (auth, "auth.", "oauth2_pkce", &self->oauth2_pkce, error) ||
          !read_string_settings (auth, "auth", self, error))
        return NULL;
      self->oauth2_grant = kind;
    }

  if (options != NULL)
    {
      max_redirects = self->max_redirects;
      if (!read_boolean (options, "options.", "follow_redirects", &self->follow_redirects, error) ||
          !read_number (options, "options.", "max_redirects", TRUE, G_MAXUINT, &max_redirects,
                        error) ||
          !read_boolean (options, "options.", "verify_tls", &self->verify_tls, error) ||
          !read_boolean (options, "options.", "use_cookies", &self->use_cookies, error) ||
          !read_number (options, "options.", "connect_timeout", FALSE, G_MAXDOUBLE,
                        &self->connect_timeout, error) ||
          !read_number (options, "options.", "idle_timeout", FALSE, G_MAXDOUBLE,
                        &self->idle_timeout, error) ||
          !read_number (options, "options.", "total_timeout", FALSE, G_MAXDOUBLE,
                        &self->total_timeout, error))
        return NULL;
      self->max_redirects = (guint) max_redirects;

      kind = self->proxy_mode;
      if (!read_enum (options, "options.", "proxy_mode", LADLE_TYPE_PROXY_MODE, &kind, error))
        return NULL;
      self->proxy_mode = kind;
      kind = self->http_version;
      if (!read_enum (options, "options.", "http_version", LADLE_TYPE_HTTP_VERSION, &kind,
                      error) ||
          !read_string_settings (options, "options", self, error))
        return NULL;
      self->http_version = kind;
    }

  return g_steal_pointer (&self);
}

/**
 * ladle_request_dup_url_as_typed:
 *
 * Returns: (transfer full): the effective URL; or, when the URL is not valid, the URL as typed
 *   with the enabled parameters appended as the effective URL would have them, so that nothing is
 *   lost (cURL export writes this)
 */
char *
ladle_request_dup_url_as_typed (LadleRequest *request)
{
  GListModel *params = G_LIST_MODEL (ladle_request_get_params (request));
  guint n = request->params_in_url ? 0 : g_list_model_get_n_items (params);
  char *effective = ladle_request_dup_effective_url (request, NULL);
  GString *url;

  if (effective != NULL)
    return effective;

  url = g_string_new (ladle_request_get_url (request));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LadleKeyValue) kv = g_list_model_get_item (params, i);
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (!ladle_key_value_get_enabled (kv))
        continue;
      name = g_uri_escape_string (ladle_key_value_get_name (kv), NULL, FALSE);
      value = g_uri_escape_string (ladle_key_value_get_value (kv), NULL, FALSE);
      g_string_append_printf (url, "%c%s=%s", strchr (url->str, '?') != NULL ? '&' : '?',
                              name, value);
    }
  if (request->auth_kind == LADLE_AUTH_API_KEY && request->auth_key_in == LADLE_API_KEY_IN_QUERY &&
      request->auth_key_name != NULL && *request->auth_key_name != '\0')
    {
      g_autofree char *name = g_uri_escape_string (request->auth_key_name, NULL, FALSE);
      g_autofree char *value = g_uri_escape_string (request->auth_key_value != NULL
                                                    ? request->auth_key_value : "", NULL, FALSE);

      g_string_append_printf (url, "%c%s=%s", strchr (url->str, '?') != NULL ? '&' : '?',
                              name, value);
    }

  return g_string_free (url, FALSE);
}

static gboolean
is_empty (const char *text)
{
  return text == NULL || *text == '\0';
}

static void
add_automatic (GArray     *headers,
               const char *name,
               char       *value,
               gboolean    fixed)
{
  LadleAutoHeader header = { g_strdup (name), value, fixed };

  g_array_append_val (headers, header);
}

static void
clear_automatic (gpointer data)
{
  LadleAutoHeader *header = data;

  g_free (header->name);
  g_free (header->value);
}

/**
 * ladle_request_dup_default_user_agent:
 *
 * Returns: (transfer full): the User-Agent sent when a request gives none: "Ladle" and the
 *   libsoup it runs with ("Ladle libsoup/3.2.3")
 */
char *
ladle_request_dup_default_user_agent (void)
{
  return g_strdup_printf ("Ladle libsoup/%u.%u.%u", soup_get_major_version (),
                          soup_get_minor_version (), soup_get_micro_version ());
}

/**
 * ladle_request_dup_automatic_headers:
 *
 * The headers that are sent besides the Headers table's rows, as the client adds them: Host,
 * Ladle's User-Agent (ladle_request_dup_default_user_agent()), Accept-Encoding
 * (libsoup's content decoder), Connection, Authorization (the Auth tab) and the body's
 * Content-Type and Content-Length (ladle-request-message.c).
 *
 * Returns: (transfer full): an array of #LadleAutoHeader, in the order they are listed
 */
GArray *
ladle_request_dup_automatic_headers (LadleRequest *self)
{
  GArray *headers;
  g_autofree char *url = NULL;
  const char *type = NULL;

  g_return_val_if_fail (LADLE_IS_REQUEST (self), NULL);

  headers = g_array_new (FALSE, TRUE, sizeof (LadleAutoHeader));
  g_array_set_clear_func (headers, clear_automatic);

  url = ladle_request_dup_effective_url (self, NULL);
  if (url != NULL)
    {
      g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
      const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

      if (host != NULL)
        {
          int port = g_uri_get_port (uri);
          gboolean ipv6 = strchr (host, ':') != NULL;
          gboolean default_port = port == -1 ||
                                  (port == 80 && g_strcmp0 (g_uri_get_scheme (uri), "http") == 0) ||
                                  (port == 443 && g_strcmp0 (g_uri_get_scheme (uri), "https") == 0);
          g_autofree char *value = NULL;

          value = g_strdup_printf (ipv6 ? "[%s]" : "%s", host);
          if (!default_port)
            {
              g_autofree char *with_port = g_strdup_printf ("%s:%d", value, port);

              g_free (value);
              value = g_steal_pointer (&with_port);
            }
          add_automatic (headers, "Host", g_steal_pointer (&value), FALSE);
        }
    }

  /* Ladle's, unless a header of the user's gives one */
  add_automatic (headers, "User-Agent", ladle_request_dup_default_user_agent (), FALSE);
  add_automatic (headers, "Accept-Encoding", g_strdup ("gzip, deflate"), FALSE);
  add_automatic (headers, "Connection", g_strdup ("Keep-Alive"), FALSE);

  if (self->auth_kind == LADLE_AUTH_BASIC)
    add_automatic (headers, "Authorization", g_strdup (_("Basic, from the Auth tab")), TRUE);
  else if (self->auth_kind == LADLE_AUTH_BEARER)
    add_automatic (headers, "Authorization", g_strdup (_("Bearer, from the Auth tab")), TRUE);
  else if (self->auth_kind == LADLE_AUTH_DIGEST)
    add_automatic (headers, "Authorization",
                   g_strdup (_("Digest, answered to the server’s challenge")), TRUE);
  else if (self->auth_kind == LADLE_AUTH_OAUTH2)
    add_automatic (headers, "Authorization",
                   g_strdup (_("Bearer, an OAuth 2.0 token from the Auth tab")), TRUE);
  else if (self->auth_kind == LADLE_AUTH_API_KEY &&
           self->auth_key_in == LADLE_API_KEY_IN_HEADER && *self->auth_key_name != '\0')
    add_automatic (headers, self->auth_key_name,
                   g_strdup (self->auth_key_value), TRUE);

  switch (self->body_kind)
    {
    case LADLE_BODY_JSON:
      type = "application/json";
      break;
    case LADLE_BODY_TEXT:
      type = !is_empty (self->body_content_type) ? self->body_content_type
                                                 : "text/plain; charset=utf-8";
      break;
    case LADLE_BODY_FORM:
      type = "application/x-www-form-urlencoded";
      break;
    case LADLE_BODY_MULTIPART:
      break;
    case LADLE_BODY_FILE:
      type = !is_empty (self->body_content_type) ? self->body_content_type
                                                 : "application/octet-stream";
      break;
    case LADLE_BODY_PARTS:
      type = !is_empty (self->body_content_type) ? self->body_content_type : NULL;
      break;
    case LADLE_BODY_NONE:
    default:
      break;
    }
  if (self->body_kind == LADLE_BODY_MULTIPART)
    add_automatic (headers, "Content-Type",
                   g_strdup (_("multipart/form-data; boundary=(made when sent)")), TRUE);
  else if (type != NULL)
    add_automatic (headers, "Content-Type", g_strdup (type), FALSE);

  if (self->body_kind == LADLE_BODY_TEXT || self->body_kind == LADLE_BODY_JSON)
    add_automatic (headers, "Content-Length",
                   g_strdup_printf ("%zu", self->body_text != NULL ? strlen (self->body_text)
                                                                   : (gsize) 0),
                   TRUE);
  else if (self->body_kind != LADLE_BODY_NONE)
    add_automatic (headers, "Content-Length", g_strdup (_("(counted when sent)")), TRUE);

  return headers;
}
