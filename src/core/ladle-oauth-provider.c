/* ladle-oauth-provider.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* An offline OAuth 2.0 / OpenID Connect provider, for testing clients against `ladle serve`.
 *
 *  GET  /.well-known/openid-configuration   discovery (also /.well-known/oauth-authorization-server)
 *  GET  /oauth/authorize                    a consent page (approve/deny); prompt=none approves
 *  POST /oauth/authorize                    the page's decision: 302 to redirect_uri
 *  POST /oauth/token                        authorization_code (PKCE S256/plain), client_credentials,
 *                                           password, refresh_token, device_code (RFC 8628)
 *  POST /oauth/device_authorization         device and user codes
 *  GET  /oauth/device, POST                 the device verification page and its decision
 *  GET  /oauth/userinfo                     claims of a Bearer access token
 *  GET  /oauth/jwks                         the RS256 public key
 *
 * Knobs, in the query of the endpoint's URL (so a client configured with that URL uses them):
 * /oauth/token?expires_in=N sets the lifetime of the access tokens it issues (1…86400 s, default
 * 3600), to test refreshing; /oauth/device_authorization?interval=N&expires_in=N sets the polling
 * interval (0…60 s, default 5) and the device code's lifetime (1…3600 s, default 600).
 *
 * Accepted clients and users: see ladle-oauth-provider.h. Everything is kept in memory for the
 * life of the server, bounded (LADLE_OAUTH_PROVIDER_MAX_ENTRIES of each kind, the oldest forgotten
 * first); the RSA signing key is made when first needed (the first id_token or /oauth/jwks) and
 * lives as long as the server. Error descriptions are protocol text: RFC 6749 allows ASCII only,
 * so they are not translated, and neither are the two small pages, like the server's upload form.
 *
 * Threading: a provider belongs to the thread that runs its SoupServer; nothing is locked. */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <json-glib/json-glib.h>

#include "ladle-error.h"
#include "ladle-httpbin.h"
#include "ladle-json.h"
#include "ladle-jwt.h"
#include "ladle-oauth-provider.h"

#define CODE_LIFETIME_S            60
#define DEFAULT_TOKEN_LIFETIME_S   3600
#define MAX_TOKEN_LIFETIME_S       86400
#define REFRESH_LIFETIME_S         (14 * 86400)
#define DEFAULT_DEVICE_INTERVAL_S  5
#define MAX_DEVICE_INTERVAL_S      60
#define DEFAULT_DEVICE_LIFETIME_S  600
#define MAX_DEVICE_LIFETIME_S      3600
#define MAX_PARAM_LENGTH           2048
#define DEVICE_TRIES_MAX           20

typedef enum
{
  DEVICE_PENDING,
  DEVICE_APPROVED,
  DEVICE_DENIED,
} DeviceState;

/* One code, token or device grant: what was granted, to whom, until when. */
typedef struct
{
  char        *client_id;
  char        *subject;         /* NULL for client_credentials */
  char        *scope;           /* may be "" */
  char        *nonce;
  char        *redirect_uri;    /* codes */
  char        *challenge;       /* codes with PKCE */
  char        *method;
  char        *user_code;       /* device grants */
  DeviceState  device_state;
  gint64       interval;        /* device grants: seconds between polls */
  gint64       last_poll;       /* µs, monotonic */
  gint64       issued;          /* µs, monotonic */
  gint64       expires;         /* µs, monotonic */
  gint64       auth_time;       /* s, real time */
} Entry;

struct _LadleOauthProvider
{
  GHashTable  *codes;           /* code → Entry */
  GHashTable  *access;          /* access token → Entry */
  GHashTable  *refresh;         /* refresh token → Entry */
  GHashTable  *devices;         /* device code → Entry */
  LadleJwtKey *key;             /* made on first need */
};

/* An answer refused with RFC 6749's error JSON. */
typedef struct
{
  guint       status;
  const char *error;
  char       *description;
} OauthError;

static void
entry_free (Entry *e)
{
  g_free (e->client_id);
  g_free (e->subject);
  g_free (e->scope);
  g_free (e->nonce);
  g_free (e->redirect_uri);
  g_free (e->challenge);
  g_free (e->method);
  g_free (e->user_code);
  g_free (e);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Entry, entry_free)

static GHashTable *
new_table (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) entry_free);
}

LadleOauthProvider *
ladle_oauth_provider_new (void)
{
  LadleOauthProvider *self = g_new0 (LadleOauthProvider, 1);

  self->codes = new_table ();
  self->access = new_table ();
  self->refresh = new_table ();
  self->devices = new_table ();
  return self;
}

void
ladle_oauth_provider_free (LadleOauthProvider *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->codes);
  g_hash_table_unref (self->access);
  g_hash_table_unref (self->refresh);
  g_hash_table_unref (self->devices);
  g_clear_pointer (&self->key, ladle_jwt_key_free);
  g_free (self);
}

/* Drops expired entries and, when the table is still full, the oldest one. */
static void
table_insert (GHashTable *table,
              char       *key,
              Entry      *entry)
{
  if (g_hash_table_size (table) >= LADLE_OAUTH_PROVIDER_MAX_ENTRIES)
    {
      gint64 now = g_get_monotonic_time ();
      GHashTableIter iter;
      Entry *e;
      const char *oldest = NULL;
      gint64 oldest_time = G_MAXINT64;

      g_hash_table_iter_init (&iter, table);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &e))
        if (e->expires <= now)
          g_hash_table_iter_remove (&iter);
      g_hash_table_iter_init (&iter, table);
      while (g_hash_table_size (table) >= LADLE_OAUTH_PROVIDER_MAX_ENTRIES &&
             g_hash_table_iter_next (&iter, (gpointer *) &oldest, (gpointer *) &e))
        if (e->issued < oldest_time)
          oldest_time = e->issued;
      if (g_hash_table_size (table) >= LADLE_OAUTH_PROVIDER_MAX_ENTRIES)
        {
          g_hash_table_iter_init (&iter, table);
          while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &e))
            if (e->issued == oldest_time)
              {
                g_hash_table_iter_remove (&iter);
                break;
              }
        }
    }
  g_hash_table_insert (table, key, entry);
}

static char *
random_token (const char *prefix)
{
  guint8 bytes[32];
  g_autofree char *text = NULL;

  if (gnutls_rnd (GNUTLS_RND_RANDOM, bytes, sizeof bytes) < 0)
    g_error ("gnutls_rnd failed");
  text = ladle_base64url_encode (bytes, sizeof bytes);
  return g_strconcat (prefix, text, NULL);
}

/* ------------------------------------------------------------------------------------------------
 * Answers
 */

static void
set_json (SoupServerMessage *msg,
          guint              status,
          JsonNode          *node)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  char *data;
  gsize len;

  data = ladle_json_to_pretty (node, &len);
  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Pragma", "no-cache");
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, data, len);
}

static void
set_json_object (SoupServerMessage *msg,
                 guint              status,
                 JsonObject        *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  set_json (msg, status, node);
}

static void
oauth_error_set (OauthError *err,
                 guint       status,
                 const char *error,
                 const char *format,
                 ...) G_GNUC_PRINTF (4, 5);

static void
oauth_error_set (OauthError *err,
                 guint       status,
                 const char *error,
                 const char *format,
                 ...)
{
  va_list args;

  err->status = status;
  err->error = error;
  g_free (err->description);
  va_start (args, format);
  err->description = g_strdup_vprintf (format, args);
  va_end (args);
}

static void
send_oauth_error (SoupServerMessage *msg,
                  OauthError        *err)
{
  g_autoptr(JsonObject) object = json_object_new ();
  GString *ascii = g_string_new (NULL);

  /* error_description is ASCII without '"' and '\' (RFC 6749 §5.2) */
  for (const char *p = err->description; p != NULL && *p != '\0'; p++)
    g_string_append_c (ascii, (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\') ? *p : '?');
  json_object_set_string_member (object, "error", err->error);
  json_object_set_string_member (object, "error_description", ascii->str);
  g_string_free (ascii, TRUE);
  if (err->status == SOUP_STATUS_UNAUTHORIZED)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "WWW-Authenticate", "Basic realm=\"ladle\"");
  set_json_object (msg, err->status, object);
  g_clear_pointer (&err->description, g_free);
}

static void
set_html (SoupServerMessage *msg,
          guint              status,
          const char        *title,
          const char        *body_html)
{
  g_autofree char *escaped = g_markup_escape_text (title, -1);
  char *page;
  SoupMessageHeaders *headers;

  page = g_strdup_printf ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                          "<title>%s</title>"
                          "<style>body{font-family:sans-serif;max-width:36em;margin:3em auto}"
                          "button{font-size:1.1em;margin-right:1em}</style></head>\n"
                          "<body><h1>%s</h1>\n%s</body></html>\n",
                          escaped, escaped, body_html);
  headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  /* A consent page must not be framed by another site (clickjacking) */
  soup_message_headers_replace (headers, "X-Frame-Options", "DENY");
  soup_message_headers_replace (headers, "Content-Security-Policy", "frame-ancestors 'none'");
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE, page,
                                    strlen (page));
}

static void
set_html_error (SoupServerMessage *msg,
                const char        *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  g_autofree char *body = g_strdup_printf ("<p id=\"error\">%s</p>\n", escaped);

  set_html (msg, SOUP_STATUS_BAD_REQUEST, "Request refused", body);
}

/* The provider's base URL, from the request: http(s)://HOST:PORT */
static char *
dup_issuer (SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);

  return g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                     g_uri_get_port (uri), "", NULL, NULL);
}

static const char *
param (GHashTable *form,
       const char *name)
{
  const char *value = g_hash_table_lookup (form, name);

  return value != NULL && *value != '\0' ? value : NULL;
}

/* Parameters are short: each at most MAX_PARAM_LENGTH bytes. */
static gboolean
check_lengths (GHashTable *form,
               OauthError *err)
{
  GHashTableIter iter;
  const char *name, *value;

  g_hash_table_iter_init (&iter, form);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, (gpointer *) &value))
    if (strlen (value) > MAX_PARAM_LENGTH)
      {
        oauth_error_set (err, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                         "The parameter %.64s is longer than %u bytes", name, MAX_PARAM_LENGTH);
        return FALSE;
      }
  return TRUE;
}

static GHashTable *
parse_query (SoupServerMessage *msg,
             OauthError        *err)
{
  g_autoptr(GError) error = NULL;
  GHashTable *form = ladle_form_decode (g_uri_get_query (soup_server_message_get_uri (msg)), -1,
                                        &error);

  if (form == NULL)
    {
      oauth_error_set (err, SOUP_STATUS_BAD_REQUEST, "invalid_request", "The query is not valid");
      return NULL;
    }
  if (!check_lengths (form, err))
    g_clear_pointer (&form, g_hash_table_unref);
  return form;
}

static GHashTable *
parse_body (SoupServerMessage *msg,
            OauthError        *err)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  GHashTable *form;
  gsize size;
  const char *data;

  if (body->length > LADLE_FORM_MAX_SIZE)
    {
      oauth_error_set (err, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "invalid_request",
                       "The body is larger than %u bytes", (guint) LADLE_FORM_MAX_SIZE);
      return NULL;
    }
  if (body->length > 0 &&
      g_strcmp0 (content_type, "application/x-www-form-urlencoded") != 0)
    {
      oauth_error_set (err, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                       "The body must be application/x-www-form-urlencoded");
      return NULL;
    }
  bytes = soup_message_body_flatten (body);
  data = g_bytes_get_data (bytes, &size);
  form = ladle_form_decode (data, size, &error);
  if (form == NULL)
    {
      /* The reasons are worded for people; the protocol's text stays English. */
      oauth_error_set (err, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                       g_error_matches (error, LADLE_ERROR, LADLE_ERROR_TOO_LARGE)
                       ? "The form has too many fields" : "The form is not valid (a repeated "
                         "field, a broken escape, a NUL byte or text that is not UTF-8)");
      return NULL;
    }
  if (!check_lengths (form, err))
    g_clear_pointer (&form, g_hash_table_unref);
  return form;
}

static gint64
query_knob (GHashTable *query,
            const char *name,
            gint64      min,
            gint64      max,
            gint64      fallback)
{
  const char *text = query != NULL ? param (query, name) : NULL;
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, min, max, &value, NULL))
    return fallback;
  return value;
}

static gboolean
scope_has (const char *scope,
           const char *word)
{
  g_auto(GStrv) words = NULL;

  if (scope == NULL)
    return FALSE;
  words = g_strsplit (scope, " ", 64);
  return g_strv_contains ((const char * const *) words, word);
}

/* Every word of @wanted is in @granted. */
static gboolean
scope_within (const char *wanted,
              const char *granted)
{
  g_auto(GStrv) words = g_strsplit (wanted, " ", 64);

  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0' && !scope_has (granted, words[i]))
      return FALSE;
  return TRUE;
}

/* ------------------------------------------------------------------------------------------------
 * Discovery and keys
 */

static LadleJwtKey *
get_key (LadleOauthProvider *self,
         GError            **error)
{
  if (self->key == NULL)
    self->key = ladle_jwt_key_generate (error);
  return self->key;
}

static void
add_strings (JsonObject *object,
             const char *name,
             ...)
{
  JsonArray *array = json_array_new ();
  va_list args;

  va_start (args, name);
  for (const char *s = va_arg (args, const char *); s != NULL; s = va_arg (args, const char *))
    json_array_add_string_element (array, s);
  va_end (args);
  json_object_set_array_member (object, name, array);
}

static void
handle_discovery (SoupServerMessage *msg)
{
  g_autofree char *issuer = dup_issuer (msg);
  g_autoptr(JsonObject) object = json_object_new ();
  struct { const char *name; const char *path; } endpoints[] = {
    { "authorization_endpoint", "/oauth/authorize" },
    { "token_endpoint", "/oauth/token" },
    { "userinfo_endpoint", "/oauth/userinfo" },
    { "jwks_uri", "/oauth/jwks" },
    { "device_authorization_endpoint", "/oauth/device_authorization" },
  };

  json_object_set_string_member (object, "issuer", issuer);
  for (guint i = 0; i < G_N_ELEMENTS (endpoints); i++)
    {
      g_autofree char *url = g_strconcat (issuer, endpoints[i].path, NULL);

      json_object_set_string_member (object, endpoints[i].name, url);
    }
  add_strings (object, "response_types_supported", "code", NULL);
  add_strings (object, "grant_types_supported", "authorization_code", "client_credentials",
               "password", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code", NULL);
  add_strings (object, "subject_types_supported", "public", NULL);
  add_strings (object, "id_token_signing_alg_values_supported", "RS256", NULL);
  add_strings (object, "scopes_supported", "openid", "profile", "email", "offline_access", NULL);
  add_strings (object, "token_endpoint_auth_methods_supported", "client_secret_basic",
               "client_secret_post", "none", NULL);
  add_strings (object, "code_challenge_methods_supported", "S256", "plain", NULL);
  add_strings (object, "claims_supported", "sub", "iss", "aud", "exp", "iat", "auth_time", "nonce",
               "name", "preferred_username", "email", "email_verified", NULL);
  set_json_object (msg, SOUP_STATUS_OK, object);
}

static void
handle_jwks (LadleOauthProvider *self,
             SoupServerMessage  *msg)
{
  g_autoptr(GError) error = NULL;
  LadleJwtKey *key = get_key (self, &error);
  g_autoptr(JsonObject) object = json_object_new ();
  JsonArray *keys;

  if (key == NULL)
    {
      OauthError err = { 0 };

      oauth_error_set (&err, SOUP_STATUS_INTERNAL_SERVER_ERROR, "server_error", "%s",
                       error->message);
      send_oauth_error (msg, &err);
      return;
    }
  keys = json_array_new ();
  json_array_add_element (keys, ladle_jwt_key_dup_jwk (key));
  json_object_set_array_member (object, "keys", keys);
  set_json_object (msg, SOUP_STATUS_OK, object);
}

/* ------------------------------------------------------------------------------------------------
 * Tokens
 */

static Entry *
entry_new (const char *client_id,
           const char *subject,
           const char *scope,
           gint64      lifetime_s)
{
  Entry *e = g_new0 (Entry, 1);

  e->client_id = g_strdup (client_id);
  e->subject = g_strdup (subject);
  e->scope = g_strdup (scope != NULL ? scope : "");
  e->issued = g_get_monotonic_time ();
  e->expires = e->issued + lifetime_s * G_USEC_PER_SEC;
  e->auth_time = g_get_real_time () / G_USEC_PER_SEC;
  return e;
}

static gboolean
entry_expired (Entry *e)
{
  return g_get_monotonic_time () >= e->expires;
}

static char *
make_id_token (LadleOauthProvider *self,
               SoupServerMessage  *msg,
               Entry              *grant,
               gint64              lifetime_s,
               GError            **error)
{
  LadleJwtKey *key = get_key (self, error);
  g_autoptr(JsonObject) claims = json_object_new ();
  g_autofree char *issuer = dup_issuer (msg);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (key == NULL)
    return NULL;
  json_object_set_string_member (claims, "iss", issuer);
  json_object_set_string_member (claims, "sub", grant->subject);
  json_object_set_string_member (claims, "aud", grant->client_id);
  json_object_set_int_member (claims, "iat", now);
  json_object_set_int_member (claims, "exp", now + lifetime_s);
  json_object_set_int_member (claims, "auth_time", grant->auth_time);
  if (grant->nonce != NULL)
    json_object_set_string_member (claims, "nonce", grant->nonce);
  if (scope_has (grant->scope, "profile"))
    {
      json_object_set_string_member (claims, "name", "Ladle User");
      json_object_set_string_member (claims, "preferred_username", grant->subject);
    }
  if (scope_has (grant->scope, "email"))
    {
      json_object_set_string_member (claims, "email", "user@example.com");
      json_object_set_boolean_member (claims, "email_verified", TRUE);
    }
  return ladle_jwt_sign (key, claims, error);
}

/* Issues an access token (and a refresh token when a user is involved, and an id_token when the
 * scope has "openid") for @grant, and answers with them. */
static void
issue_tokens (LadleOauthProvider *self,
              SoupServerMessage  *msg,
              const Entry        *grant,
              gint64              lifetime_s)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autofree char *access = random_token ("at-");
  Entry *entry;

  if (grant->subject != NULL && scope_has (grant->scope, "openid"))
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *id_token = make_id_token (self, msg, (Entry *) grant, lifetime_s, &error);

      if (id_token == NULL)
        {
          OauthError err = { 0 };

          oauth_error_set (&err, SOUP_STATUS_INTERNAL_SERVER_ERROR, "server_error", "%s",
                           error->message);
          send_oauth_error (msg, &err);
          return;
        }
      json_object_set_string_member (object, "id_token", id_token);
    }

  entry = entry_new (grant->client_id, grant->subject, grant->scope, lifetime_s);
  json_object_set_string_member (object, "access_token", access);
  json_object_set_string_member (object, "token_type", "Bearer");
  json_object_set_int_member (object, "expires_in", lifetime_s);
  if (*grant->scope != '\0')
    json_object_set_string_member (object, "scope", grant->scope);
  table_insert (self->access, g_steal_pointer (&access), entry);

  if (grant->subject != NULL)
    {
      char *refresh = random_token ("rt-");

      entry = entry_new (grant->client_id, grant->subject, grant->scope, REFRESH_LIFETIME_S);
      entry->nonce = NULL;
      json_object_set_string_member (object, "refresh_token", refresh);
      table_insert (self->refresh, refresh, entry);
    }

  set_json_object (msg, SOUP_STATUS_OK, object);
}

/* One part of HTTP Basic credentials: "+" is a space, then %-escapes; NULL when broken */
static char *
form_unescape_part (const char *text)
{
  g_autofree char *plus = g_strdup (text);
  char *decoded;

  g_strdelimit (plus, "+", ' ');
  decoded = g_uri_unescape_string (plus, NULL);
  if (decoded != NULL && !g_utf8_validate (decoded, -1, NULL))
    g_clear_pointer (&decoded, g_free);
  return decoded;
}

/* RFC 6749 §2.3.1: HTTP Basic (both parts form-encoded) or client_id/client_secret in the body,
 * not both. Any client_id is accepted; a secret given must be the provider's. */
static gboolean
authenticate_client (SoupServerMessage  *msg,
                     GHashTable         *form,
                     char              **out_client_id,
                     gboolean           *out_confidential,
                     OauthError         *err)
{
  const char *authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                            "Authorization");
  g_autofree char *client_id = g_strdup (param (form, "client_id"));
  g_autofree char *secret = g_strdup (param (form, "client_secret"));

  if (authorization != NULL && g_ascii_strncasecmp (authorization, "Basic ", 6) == 0)
    {
      gsize len = 0;
      g_autofree guchar *decoded = NULL;
      g_autofree char *text = NULL;
      char *colon;

      if (secret != NULL)
        {
          oauth_error_set (err, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                           "The client authenticated twice (HTTP Basic and client_secret)");
          return FALSE;
        }
      if (strlen (authorization) < 4 * MAX_PARAM_LENGTH)
        decoded = g_base64_decode (authorization + 6, &len);
      text = decoded != NULL ? g_strndup ((const char *) decoded, len) : NULL;
      colon = text != NULL && strlen (text) == len ? strchr (text, ':') : NULL;
      if (colon == NULL)
        {
          oauth_error_set (err, SOUP_STATUS_UNAUTHORIZED, "invalid_client",
                           "The Basic credentials are not valid");
          return FALSE;
        }
      *colon = '\0';
      /* user-id and password are form-encoded (RFC 6749 §2.3.1) */
      g_free (client_id);
      client_id = form_unescape_part (text);
      g_free (secret);
      secret = form_unescape_part (colon + 1);
      if (client_id == NULL || secret == NULL || *client_id == '\0' ||
          (param (form, "client_id") != NULL && !g_str_equal (param (form, "client_id"), client_id)))
        {
          gboolean differs = client_id != NULL && *client_id != '\0' && secret != NULL;

          oauth_error_set (err, differs ? SOUP_STATUS_BAD_REQUEST : SOUP_STATUS_UNAUTHORIZED,
                           differs ? "invalid_request" : "invalid_client",
                           differs ? "client_id differs from the client of the Basic credentials"
                                   : "The Basic credentials are not valid");
          return FALSE;
        }
      /* "id:" is a public client that uses Basic for its id alone */
      if (*secret == '\0')
        g_clear_pointer (&secret, g_free);
    }

  if (client_id == NULL)
    {
      oauth_error_set (err, SOUP_STATUS_UNAUTHORIZED, "invalid_client",
                       "No client_id (in the body or HTTP Basic)");
      return FALSE;
    }
  if (secret != NULL && !g_str_equal (secret, LADLE_OAUTH_PROVIDER_CLIENT_SECRET))
    {
      oauth_error_set (err, SOUP_STATUS_UNAUTHORIZED, "invalid_client",
                       "Client authentication failed (wrong client secret)");
      return FALSE;
    }
  *out_client_id = g_steal_pointer (&client_id);
  *out_confidential = secret != NULL;
  return TRUE;
}

static gboolean
verify_pkce (Entry      *code,
             const char *verifier,
             OauthError *err)
{
  g_autofree char *computed = NULL;
  gsize n;

  if (code->challenge == NULL)
    {
      if (verifier != NULL)
        {
          oauth_error_set (err, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                           "code_verifier given, but the authorization request had no "
                           "code_challenge");
          return FALSE;
        }
      return TRUE;
    }
  if (verifier == NULL)
    {
      oauth_error_set (err, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                       "The authorization request had a code_challenge: code_verifier is missing");
      return FALSE;
    }
  n = strlen (verifier);
  if (n < 43 || n > 128 || strspn (verifier, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                             "0123456789-._~") != n)
    {
      oauth_error_set (err, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                       "code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~");
      return FALSE;
    }
  if (g_str_equal (code->method, "S256"))
    {
      g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
      guint8 digest[32];
      gsize len = sizeof digest;

      g_checksum_update (checksum, (const guchar *) verifier, n);
      g_checksum_get_digest (checksum, digest, &len);
      computed = ladle_base64url_encode (digest, len);
    }
  else
    computed = g_strdup (verifier);
  if (!g_str_equal (computed, code->challenge))
    {
      oauth_error_set (err, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                       "PKCE verification failed: code_verifier does not match the "
                       "code_challenge (%s)", code->method);
      return FALSE;
    }
  return TRUE;
}

#define DEVICE_GRANT "urn:ietf:params:oauth:grant-type:device_code"

static void
handle_token (LadleOauthProvider *self,
              SoupServerMessage  *msg)
{
  OauthError err = { 0 };
  g_autoptr(GHashTable) query = parse_query (msg, &err);
  g_autoptr(GHashTable) form = query != NULL ? parse_body (msg, &err) : NULL;
  g_autofree char *client_id = NULL;
  gboolean confidential = FALSE;
  const char *grant_type;
  gint64 lifetime;
  Entry *e;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      oauth_error_set (&err, SOUP_STATUS_METHOD_NOT_ALLOWED, "invalid_request",
                       "The token endpoint takes POST");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                    "POST");
      send_oauth_error (msg, &err);
      return;
    }
  if (form == NULL || !authenticate_client (msg, form, &client_id, &confidential, &err))
    {
      send_oauth_error (msg, &err);
      return;
    }
  lifetime = query_knob (query, "expires_in", 1, MAX_TOKEN_LIFETIME_S, DEFAULT_TOKEN_LIFETIME_S);
  grant_type = param (form, "grant_type");

  if (grant_type == NULL)
    {
      oauth_error_set (&err, SOUP_STATUS_BAD_REQUEST, "invalid_request", "grant_type is missing");
    }
  else if (g_str_equal (grant_type, "authorization_code"))
    {
      const char *code = param (form, "code");

      e = code != NULL ? g_hash_table_lookup (self->codes, code) : NULL;
      if (code == NULL)
        oauth_error_set (&err, SOUP_STATUS_BAD_REQUEST, "invalid_request", "code is missing");
      else if (e == NULL || entry_expired (e))
        oauth_error_set (&err, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                         "The authorization code is unknown, used or expired");
      else if (!g_str_equal (e->client_id, client_id))
        oauth_error_set (&err, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                         "The authorization code was issued to another client");
      else if (g_strcmp0 (e->redirect_uri, param (form, "redirect_uri")) != 0)
        oauth_error_set (&err, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                         "redirect_uri differs from the authorization request's");
      else if (verify_pkce (e, param (form, "code_verifier"), &err))
        {
          issue_tokens (self, msg, e, lifetime);
          g_hash_table_remove (self->codes, code);
          return;
        }
      /* A code is single use, even when the exchange fails (RFC 6749 §4.1.2) */
      if (e != NULL)
        g_hash_table_remove (self->codes, code);
    }
  else if (g_str_equal (grant_type, "client_credentials"))
    {
      if (!confidential)
        oauth_error_set (&err, SOUP_STATUS_UNAUTHORIZED, "invalid_client",
                         "client_credentials needs the client secret");
      else
        {
          g_autoptr(Entry) grant = entry_new (client_id, NULL, param (form, "scope"), 0);

          issue_tokens (self, msg, grant, lifetime);
          return;
        }
    }
  else if (g_str_equal (grant_type, "password"))
    {
      const char *username = param (form, "username");
      const char *password = g_hash_table_lookup (form, "password");

      if (username == NULL || password == NULL)
        oauth_error_set (&err, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                         "username and password are required");
      else if (!g_str_equal (username, LADLE_OAUTH_PROVIDER_USER) ||
               !g_str_equal (password, LADLE_OAUTH_PROVIDER_PASSWORD))
        oauth_error_set (&err, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                         "Wrong username or password");
      else
        {
          g_autoptr(Entry) grant = entry_new (client_id, username, param (form, "scope"), 0);

          issue_tokens (self, msg, grant, lifetime);
          return;
        }
    }
  else if (g_str_equal (grant_type, "refresh_token"))
    {
      const char *token = param (form, "refresh_token");
      const char *scope = param (form, "scope");

      e = token != NULL ? g_hash_table_lookup (self->refresh, token) : NULL;
      if (token == NULL)
        oauth_error_set (&err, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                         "refresh_token is missing");
      else if (e == NULL || entry_expired (e))
        oauth_error_set (&err, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                         "The refresh token is unknown, used or expired");
      else if (!g_str_equal (e->client_id, client_id))
        oauth_error_set (&err, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                         "The refresh token was issued to another client");
      else if (scope != NULL && !scope_within (scope, e->scope))
        oauth_error_set (&err, SOUP_STATUS_BAD_REQUEST, "invalid_scope",
                         "The scope asked for is wider than the one granted");
      else
        {
          g_autoptr(Entry) grant = entry_new (client_id, e->subject,
                                              scope != NULL ? scope : e->scope, 0);

          grant->auth_time = e->auth_time;
          /* Refresh tokens rotate: the old one is spent */
          g_hash_table_remove (self->refresh, token);
          issue_tokens (self, msg, grant, lifetime);
          return;
        }
    }
  else if (g_str_equal (grant_type, DEVICE_GRANT))
    {
      const char *device_code = param (form, "device_code");
      gint64 now = g_get_monotonic_time ();

      e = device_code != NULL ? g_hash_table_lookup (self->devices, device_code) : NULL;
      if (device_code == NULL)
        oauth_error_set (&err, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                         "device_code is missing");
      else if (e == NULL)
        oauth_error_set (&err, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                         "The device code is unknown or used");
      else if (!g_str_equal (e->client_id, client_id))
        oauth_error_set (&err, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                         "The device code was issued to another client");
      else if (entry_expired (e))
        {
          oauth_error_set (&err, SOUP_STATUS_BAD_REQUEST, "expired_token",
                           "The device code has expired");
          g_hash_table_remove (self->devices, device_code);
        }
      else if (e->device_state == DEVICE_DENIED)
        {
          oauth_error_set (&err, SOUP_STATUS_BAD_REQUEST, "access_denied",
                           "The user denied the request");
          g_hash_table_remove (self->devices, device_code);
        }
      else if (e->device_state == DEVICE_APPROVED)
        {
          issue_tokens (self, msg, e, lifetime);
          g_hash_table_remove (self->devices, device_code);
          return;
        }
      else if (e->last_poll != 0 && now - e->last_poll < e->interval * G_USEC_PER_SEC)
        {
          /* RFC 8628 §3.5: the client waits 5 s more from now on */
          e->interval += 5;
          e->last_poll = now;
          oauth_error_set (&err, SOUP_STATUS_BAD_REQUEST, "slow_down",
                           "Polled sooner than the interval; it is now %u s", (guint) e->interval);
        }
      else
        {
          e->last_poll = now;
          oauth_error_set (&err, SOUP_STATUS_BAD_REQUEST, "authorization_pending",
                           "The user has not approved the request yet");
        }
    }
  else
    oauth_error_set (&err, SOUP_STATUS_BAD_REQUEST, "unsupported_grant_type",
                     "The grant type %.64s is not supported", grant_type);

  send_oauth_error (msg, &err);
}

/* ------------------------------------------------------------------------------------------------
 * Authorization endpoint
 */

static const char * const authorize_params[] = {
  "response_type", "client_id", "redirect_uri", "scope", "state", "nonce", "code_challenge",
  "code_challenge_method",
};

/* A redirect_uri Ladle sends a browser to: absolute, no fragment, not javascript: or data:. */
static gboolean
redirect_uri_acceptable (const char *text)
{
  g_autoptr(GUri) uri = text != NULL ? g_uri_parse (text, G_URI_FLAGS_NONE, NULL) : NULL;
  const char *scheme;

  if (uri == NULL || g_uri_get_fragment (uri) != NULL)
    return FALSE;
  scheme = g_uri_get_scheme (uri);
  return g_ascii_strcasecmp (scheme, "javascript") != 0 &&
         g_ascii_strcasecmp (scheme, "data") != 0 &&
         g_ascii_strcasecmp (scheme, "vbscript") != 0;
}

static void
redirect_with (SoupServerMessage *msg,
               const char        *redirect_uri,
               const char        *first_name,
               ...) G_GNUC_NULL_TERMINATED;

static void
redirect_with (SoupServerMessage *msg,
               const char        *redirect_uri,
               const char        *first_name,
               ...)
{
  GString *location = g_string_new (redirect_uri);
  GString *form = g_string_new (NULL);
  va_list args;

  va_start (args, first_name);
  for (const char *name = first_name; name != NULL; name = va_arg (args, const char *))
    ladle_form_append (form, name, va_arg (args, const char *));
  va_end (args);
  g_string_append_c (location, strchr (redirect_uri, '?') != NULL ? '&' : '?');
  g_string_append (location, form->str);
  g_string_free (form, TRUE);
  soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, location->str);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  g_string_free (location, TRUE);
}

static void
issue_code (LadleOauthProvider *self,
            SoupServerMessage  *msg,
            GHashTable         *form)
{
  char *code = random_token ("ac-");
  Entry *e = entry_new (param (form, "client_id"), LADLE_OAUTH_PROVIDER_USER,
                        param (form, "scope"), CODE_LIFETIME_S);

  e->redirect_uri = g_strdup (param (form, "redirect_uri"));
  e->nonce = g_strdup (param (form, "nonce"));
  if (param (form, "code_challenge") != NULL)
    {
      e->challenge = g_strdup (param (form, "code_challenge"));
      e->method = g_strdup (param (form, "code_challenge_method") != NULL
                            ? param (form, "code_challenge_method") : "plain");
    }
  redirect_with (msg, e->redirect_uri, "code", code, "state", param (form, "state"), NULL);
  table_insert (self->codes, code, e);
}

static void
handle_authorize (LadleOauthProvider *self,
                  SoupServerMessage  *msg)
{
  const char *method = soup_server_message_get_method (msg);
  gboolean is_post = method == SOUP_METHOD_POST;
  OauthError err = { 0 };
  g_autoptr(GHashTable) form = NULL;
  const char *redirect_uri, *state, *challenge, *challenge_method, *decision;

  if (!is_post && method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                    "GET, HEAD, POST");
      return;
    }
  form = is_post ? parse_body (msg, &err) : parse_query (msg, &err);
  if (form == NULL)
    {
      set_html_error (msg, err.description);
      g_free (err.description);
      return;
    }

  /* Errors about the client or its redirect_uri are shown, never redirected (RFC 6749 §4.1.2.1) */
  redirect_uri = param (form, "redirect_uri");
  if (param (form, "client_id") == NULL)
    {
      set_html_error (msg, "The request has no client_id.");
      return;
    }
  if (!redirect_uri_acceptable (redirect_uri))
    {
      set_html_error (msg, "The request has no redirect_uri, or one that is not an absolute URI "
                           "without a fragment.");
      return;
    }

  state = param (form, "state");
  challenge = param (form, "code_challenge");
  challenge_method = param (form, "code_challenge_method");
  if (g_strcmp0 (param (form, "response_type"), "code") != 0)
    {
      redirect_with (msg, redirect_uri, "error", "unsupported_response_type",
                     "error_description", "Only response_type=code is supported",
                     "state", state, NULL);
      return;
    }
  if (challenge_method != NULL && challenge == NULL)
    {
      redirect_with (msg, redirect_uri, "error", "invalid_request",
                     "error_description", "code_challenge_method without code_challenge",
                     "state", state, NULL);
      return;
    }
  if (challenge != NULL &&
      ((challenge_method != NULL && !g_str_equal (challenge_method, "S256") &&
        !g_str_equal (challenge_method, "plain")) ||
       strlen (challenge) < 43 || strlen (challenge) > 128))
    {
      redirect_with (msg, redirect_uri, "error", "invalid_request",
                     "error_description", "code_challenge must be 43 to 128 characters and "
                     "code_challenge_method S256 or plain",
                     "state", state, NULL);
      return;
    }

  decision = param (form, "decision");
  if (g_strcmp0 (param (form, "prompt"), "none") == 0 ||
      (is_post && g_strcmp0 (decision, "approve") == 0))
    {
      issue_code (self, msg, form);
      return;
    }
  if (is_post)
    {
      redirect_with (msg, redirect_uri, "error", "access_denied",
                     "error_description", "The user denied the request", "state", state, NULL);
      return;
    }

  /* The consent page: the request again as hidden fields, and two buttons. */
  {
    GString *body = g_string_new (NULL);
    g_autofree char *client = g_markup_escape_text (param (form, "client_id"), -1);
    g_autofree char *scope = g_markup_escape_text (param (form, "scope") != NULL
                                                   ? param (form, "scope") : "", -1);

    g_string_append_printf (body, "<p>The application <b id=\"client\">%s</b> asks to act as "
                                  "<b>%s</b> with the scope <code id=\"scope\">%s</code>.</p>\n",
                            client, LADLE_OAUTH_PROVIDER_USER, scope);
    g_string_append (body, "<form method=\"post\" action=\"/oauth/authorize\">\n");
    for (guint i = 0; i < G_N_ELEMENTS (authorize_params); i++)
      {
        const char *value = param (form, authorize_params[i]);
        g_autofree char *escaped = NULL;

        if (value == NULL)
          continue;
        escaped = g_markup_escape_text (value, -1);
        g_string_append_printf (body, "<input type=\"hidden\" name=\"%s\" value=\"%s\">\n",
                                authorize_params[i], escaped);
      }
    g_string_append (body, "<button type=\"submit\" name=\"decision\" value=\"approve\">Approve"
                           "</button>\n<button type=\"submit\" name=\"decision\" value=\"deny\">"
                           "Deny</button>\n</form>\n");
    set_html (msg, SOUP_STATUS_OK, "Ladle: authorize access", body->str);
    g_string_free (body, TRUE);
  }
}

/* ------------------------------------------------------------------------------------------------
 * Device authorization (RFC 8628)
 */

static char *
make_user_code (void)
{
  /* No vowels (no words), no digits that look like letters */
  static const char alphabet[] = "BCDFGHJKLMNPQRSTVWXZ";
  guint8 bytes[8];
  GString *code = g_string_new (NULL);

  if (gnutls_rnd (GNUTLS_RND_NONCE, bytes, sizeof bytes) < 0)
    g_error ("gnutls_rnd failed");
  for (guint i = 0; i < 8; i++)
    {
      if (i == 4)
        g_string_append_c (code, '-');
      g_string_append_c (code, alphabet[bytes[i] % (sizeof alphabet - 1)]);
    }
  return g_string_free (code, FALSE);
}

/* Upper case, without '-' and white space, at most 16 characters. */
static char *
normalize_user_code (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0' && out->len < 16; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (out, g_ascii_toupper (*p));
  return g_string_free (out, FALSE);
}

static Entry *
find_device (LadleOauthProvider *self,
             const char         *user_code)
{
  g_autofree char *wanted = normalize_user_code (user_code);
  GHashTableIter iter;
  Entry *e;

  g_hash_table_iter_init (&iter, self->devices);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &e))
    {
      g_autofree char *code = normalize_user_code (e->user_code);

      if (g_str_equal (code, wanted) && !entry_expired (e) && e->device_state == DEVICE_PENDING)
        return e;
    }
  return NULL;
}

static void
handle_device_authorization (LadleOauthProvider *self,
                             SoupServerMessage  *msg)
{
  OauthError err = { 0 };
  g_autoptr(GHashTable) query = parse_query (msg, &err);
  g_autoptr(GHashTable) form = query != NULL ? parse_body (msg, &err) : NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *issuer = dup_issuer (msg);
  g_autofree char *uri = NULL;
  g_autofree char *complete = NULL;
  g_autoptr(JsonObject) object = json_object_new ();
  gboolean confidential;
  gint64 lifetime, interval;
  char *device_code;
  Entry *e;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      oauth_error_set (&err, SOUP_STATUS_METHOD_NOT_ALLOWED, "invalid_request",
                       "The device authorization endpoint takes POST");
      send_oauth_error (msg, &err);
      return;
    }
  if (form == NULL || !authenticate_client (msg, form, &client_id, &confidential, &err))
    {
      send_oauth_error (msg, &err);
      return;
    }
  lifetime = query_knob (query, "expires_in", 1, MAX_DEVICE_LIFETIME_S, DEFAULT_DEVICE_LIFETIME_S);
  interval = query_knob (query, "interval", 0, MAX_DEVICE_INTERVAL_S, DEFAULT_DEVICE_INTERVAL_S);

  e = entry_new (client_id, LADLE_OAUTH_PROVIDER_USER, param (form, "scope"), lifetime);
  e->interval = interval;
  e->user_code = make_user_code ();
  device_code = random_token ("dc-");
  uri = g_strconcat (issuer, "/oauth/device", NULL);
  complete = g_strconcat (uri, "?user_code=", e->user_code, NULL);

  json_object_set_string_member (object, "device_code", device_code);
  json_object_set_string_member (object, "user_code", e->user_code);
  json_object_set_string_member (object, "verification_uri", uri);
  json_object_set_string_member (object, "verification_uri_complete", complete);
  json_object_set_int_member (object, "expires_in", lifetime);
  json_object_set_int_member (object, "interval", interval);
  table_insert (self->devices, device_code, e);
  set_json_object (msg, SOUP_STATUS_OK, object);
}

static void
handle_device_page (LadleOauthProvider *self,
                    SoupServerMessage  *msg)
{
  const char *method = soup_server_message_get_method (msg);
  OauthError err = { 0 };
  g_autoptr(GHashTable) form = NULL;
  const char *user_code;
  g_autofree char *escaped = NULL;
  g_autofree char *body = NULL;
  Entry *e;

  form = method == SOUP_METHOD_POST ? parse_body (msg, &err) : parse_query (msg, &err);
  if (form == NULL)
    {
      set_html_error (msg, err.description);
      g_free (err.description);
      return;
    }
  user_code = param (form, "user_code");

  if (method == SOUP_METHOD_POST)
    {
      const char *decision = param (form, "decision");

      e = user_code != NULL ? find_device (self, user_code) : NULL;
      if (e == NULL)
        {
          set_html_error (msg, "The code is unknown, used or expired.");
          return;
        }
      e->device_state = g_strcmp0 (decision, "approve") == 0 ? DEVICE_APPROVED : DEVICE_DENIED;
      set_html (msg, SOUP_STATUS_OK, e->device_state == DEVICE_APPROVED ? "Device approved"
                                                                       : "Device denied",
                "<p id=\"done\">You can go back to your device.</p>\n");
      return;
    }

  escaped = g_markup_escape_text (user_code != NULL ? user_code : "", -1);
  body = g_strdup_printf ("<form method=\"post\" action=\"/oauth/device\">\n"
                          "<p><label>Code shown on the device: <input name=\"user_code\" "
                          "value=\"%s\" autocomplete=\"off\"></label></p>\n"
                          "<button type=\"submit\" name=\"decision\" value=\"approve\">Approve"
                          "</button>\n<button type=\"submit\" name=\"decision\" value=\"deny\">"
                          "Deny</button>\n</form>\n", escaped);
  set_html (msg, SOUP_STATUS_OK, "Ladle: connect a device", body);
}

/* ------------------------------------------------------------------------------------------------
 * UserInfo
 */

static void
handle_userinfo (LadleOauthProvider *self,
                 SoupServerMessage  *msg)
{
  const char *authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                            "Authorization");
  g_autoptr(JsonObject) object = json_object_new ();
  Entry *e = NULL;

  if (authorization != NULL && g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0)
    {
      const char *token = authorization + 7;

      while (*token == ' ')
        token++;
      e = g_hash_table_lookup (self->access, token);
    }
  if (e == NULL || entry_expired (e))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate",
                                    authorization == NULL
                                    ? "Bearer realm=\"ladle\""
                                    : "Bearer realm=\"ladle\", error=\"invalid_token\", "
                                      "error_description=\"The access token is unknown or "
                                      "expired\"");
      json_object_set_string_member (object, "error", "invalid_token");
      json_object_set_string_member (object, "error_description",
                                     authorization == NULL ? "No Bearer access token"
                                                           : "The access token is unknown or expired");
      set_json_object (msg, SOUP_STATUS_UNAUTHORIZED, object);
      return;
    }

  json_object_set_string_member (object, "sub", e->subject != NULL ? e->subject : e->client_id);
  if (e->subject != NULL && scope_has (e->scope, "profile"))
    {
      json_object_set_string_member (object, "name", "Ladle User");
      json_object_set_string_member (object, "preferred_username", e->subject);
    }
  if (e->subject != NULL && scope_has (e->scope, "email"))
    {
      json_object_set_string_member (object, "email", "user@example.com");
      json_object_set_boolean_member (object, "email_verified", TRUE);
    }
  set_json_object (msg, SOUP_STATUS_OK, object);
}

/* ------------------------------------------------------------------------------------------------
 * Dispatch
 */

/**
 * ladle_oauth_provider_handle:
 * @path: the request's path
 *
 * Answers @msg when @path is one of the provider's.
 *
 * Returns: whether it did
 */
gboolean
ladle_oauth_provider_handle (LadleOauthProvider *self,
                             SoupServerMessage  *msg,
                             const char         *path)
{
  const char *method = soup_server_message_get_method (msg);
  gboolean is_get = method == SOUP_METHOD_GET || method == SOUP_METHOD_HEAD;

  if (g_str_equal (path, "/.well-known/openid-configuration") ||
      g_str_equal (path, "/.well-known/oauth-authorization-server"))
    {
      if (is_get)
        handle_discovery (msg);
      else
        soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
    }
  else if (g_str_equal (path, "/oauth/authorize"))
    handle_authorize (self, msg);
  else if (g_str_equal (path, "/oauth/token"))
    handle_token (self, msg);
  else if (g_str_equal (path, "/oauth/device_authorization"))
    handle_device_authorization (self, msg);
  else if (g_str_equal (path, "/oauth/device"))
    {
      if (is_get || method == SOUP_METHOD_POST)
        handle_device_page (self, msg);
      else
        soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
    }
  else if (g_str_equal (path, "/oauth/userinfo"))
    {
      if (is_get || method == SOUP_METHOD_POST)
        handle_userinfo (self, msg);
      else
        soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
    }
  else if (g_str_equal (path, "/oauth/jwks"))
    {
      if (is_get)
        handle_jwks (self, msg);
      else
        soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
    }
  else
    return FALSE;
  return TRUE;
}

static void
attached_handler (SoupServer        *soup,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  LadleOauthProvider *self = user_data;

  ladle_httpbin_add_cors_headers (msg);
  if (!ladle_oauth_provider_handle (self, msg, path))
    {
      g_autoptr(JsonObject) object = json_object_new ();

      json_object_set_string_member (object, "error", _("Not found"));
      set_json_object (msg, SOUP_STATUS_NOT_FOUND, object);
    }
}

/**
 * ladle_oauth_provider_attach:
 *
 * Gives @soup a provider of its own, living as long as it, and its handlers for /oauth and the
 * discovery documents. Call it on the thread that runs @soup.
 */
void
ladle_oauth_provider_attach (SoupServer *soup)
{
  LadleOauthProvider *self = ladle_oauth_provider_new ();

  g_object_set_data_full (G_OBJECT (soup), "ladle-oauth-provider", self,
                          (GDestroyNotify) ladle_oauth_provider_free);
  soup_server_add_handler (soup, "/oauth", attached_handler, self, NULL);
  soup_server_add_handler (soup, "/.well-known/openid-configuration", attached_handler, self,
                           NULL);
  soup_server_add_handler (soup, "/.well-known/oauth-authorization-server", attached_handler,
                           self, NULL);
}
