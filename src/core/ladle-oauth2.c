/* ladle-oauth2.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* An OAuth 2.0 client (RFC 6749, 7636, 8252, 8628), GTK-free, over the caller's SoupSession.
 *
 *  - Every grant is one async operation (a GTask on the caller's thread-default context):
 *    client_credentials and password post to the token endpoint; authorization code opens a
 *    one-shot loopback listener on http://127.0.0.1:PORT/callback (RFC 8252 §7.3), has the caller
 *    open the authorization page (a callback, so no GTK here), checks the redirect's state and
 *    exchanges the code with its PKCE verifier; device code asks for codes, has the caller show
 *    them, and polls at the server's interval (slow_down adds 5 s, RFC 8628 §3.5).
 *  - Tokens are cached in memory per configuration (the key is a SHA-256 of every field, so the
 *    secret is not kept in clear in it). A cached token that expired is refreshed with its refresh
 *    token; when the refresh is refused (invalid_grant) the grant runs again.
 *  - The token endpoint's errors come back verbatim (error, error_description) as a Ladle error
 *    with a language-free form, as do an answer that is not JSON, a redirect whose state differs,
 *    and the rest; see _ladle_oauth2_format_form().
 *  - Answers are read up to LADLE_OAUTH2_MAX_RESPONSE bytes, JSON with bounded depth.
 *  - Nothing here logs a secret or a token; ladle_oauth2_redact_*() are for the history.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <json-glib/json-glib.h>

#include "ladle-error.h"
#include "ladle-error-private.h"
#include "ladle-json.h"
#include "ladle-jwt.h"
#include "ladle-oauth2-private.h"

#define DEFAULT_CALLBACK_TIMEOUT_S 300
#define DEFAULT_DEVICE_INTERVAL_S  5
#define MAX_DEVICE_INTERVAL_S      600
#define SLOW_DOWN_STEP_S           5
#define MAX_EXPIRES_IN_S           (10 * 365 * 86400)
#define READ_BLOCK                 (64 * 1024)
#define REDACTED                   "[redacted]"

#define DEVICE_GRANT "urn:ietf:params:oauth:grant-type:device_code"

/* ------------------------------------------------------------------------------------------------
 * Errors
 */

/**
 * _ladle_oauth2_format_form:
 *
 * Returns: (transfer full) (nullable): the words for an "oauth2-…" form
 */
static char *
_ladle_oauth2_format_form (const char * const *form)
{
  const char *kind = form[0];
  const char *a = form[1];
  const char *b = a != NULL ? form[2] : NULL;

  if (g_str_equal (kind, "oauth2-state"))
    return g_strdup (_("The authorization redirect’s state does not match the one sent: the "
                       "redirect is forged or belongs to another request"));
  if (g_str_equal (kind, "oauth2-no-code"))
    return g_strdup (_("The authorization redirect has neither a code nor an error"));
  if (g_str_equal (kind, "oauth2-no-token"))
    return g_strdup (_("The token endpoint’s answer has no access_token"));
  if (g_str_equal (kind, "oauth2-nonce"))
    return g_strdup (_("The ID token’s nonce does not match the one sent: the token was issued "
                       "for another request"));
  if (g_str_equal (kind, "oauth2-no-browser"))
    return g_strdup (_("There is no way to open the authorization page in a browser"));
  if (g_str_equal (kind, "oauth2-no-device-code"))
    return g_strdup (_("The device authorization answer lacks device_code, user_code or "
                       "verification_uri"));
  if (a == NULL)
    return NULL;
  if (g_str_equal (kind, "oauth2-missing"))
    /* Translators: %s is a setting's name, e.g. token_url */
    return g_strdup_printf (_("The OAuth 2.0 settings lack %s"), a);
  if (g_str_equal (kind, "oauth2-bad-url"))
    return g_strdup_printf (_("Not a valid http or https URL: %s"), a);
  if (g_str_equal (kind, "oauth2-callback-timeout"))
    return g_strdup_printf (_("No authorization redirect came within %s s"), a);
  if (g_str_equal (kind, "oauth2-device-expired"))
    return g_strdup_printf (_("The device code expired after %s s without approval"), a);
  if (g_str_equal (kind, "oauth2-too-large"))
    return g_strdup_printf (_("The token endpoint’s answer is larger than %s bytes"), a);
  if (g_str_equal (kind, "oauth2-status"))
    return g_strdup_printf (_("The token endpoint answered HTTP %s without an OAuth error"), a);
  if (b == NULL)
    return NULL;
  if (g_str_equal (kind, "oauth2-error"))
    {
      if (*b == '\0')
        /* Translators: %s is the server's error code, as sent (invalid_grant) */
        return g_strdup_printf (_("The token endpoint answered “%s”"), a);
      /* Translators: the server's error code and its description, both as sent */
      return g_strdup_printf (_("The token endpoint answered “%s”: %s"), a, b);
    }
  if (g_str_equal (kind, "oauth2-redirect-error"))
    {
      if (*b == '\0')
        return g_strdup_printf (_("The authorization server answered “%s”"), a);
      return g_strdup_printf (_("The authorization server answered “%s”: %s"), a, b);
    }
  if (g_str_equal (kind, "oauth2-discovery"))
    /* Translators: a URL and an HTTP status */
    return g_strdup_printf (_("No valid discovery document at %s (HTTP %s)"), a, b);
  if (g_str_equal (kind, "oauth2-issuer"))
    /* Translators: two URLs */
    return g_strdup_printf (_("The discovery document is for the issuer “%2$s”, not “%1$s”"), a, b);
  if (g_str_equal (kind, "oauth2-not-json"))
    /* Translators: an HTTP status ("200") and a content type ("text/html") */
    return g_strdup_printf (_("The token endpoint’s answer is not JSON (HTTP %s, %s)"), a, b);
  return NULL;
}

_LADLE_ERROR_FORMS (oauth2, "oauth2-", _ladle_oauth2_format_form)

/* ------------------------------------------------------------------------------------------------
 * Config and token
 */

G_DEFINE_BOXED_TYPE (LadleOauth2Config, ladle_oauth2_config, ladle_oauth2_config_copy,
                     ladle_oauth2_config_free)
G_DEFINE_BOXED_TYPE (LadleOauth2Token, ladle_oauth2_token, ladle_oauth2_token_copy,
                     ladle_oauth2_token_free)

LadleOauth2Config *
ladle_oauth2_config_new (LadleOauth2Grant grant)
{
  LadleOauth2Config *config = g_new0 (LadleOauth2Config, 1);

  config->grant = grant;
  config->pkce = TRUE;
  return config;
}

LadleOauth2Config *
ladle_oauth2_config_copy (const LadleOauth2Config *config)
{
  LadleOauth2Config *copy = g_new0 (LadleOauth2Config, 1);

  *copy = *config;
  copy->authorization_url = g_strdup (config->authorization_url);
  copy->token_url = g_strdup (config->token_url);
  copy->device_url = g_strdup (config->device_url);
  copy->client_id = g_strdup (config->client_id);
  copy->client_secret = g_strdup (config->client_secret);
  copy->scope = g_strdup (config->scope);
  copy->username = g_strdup (config->username);
  copy->password = g_strdup (config->password);
  copy->audience = g_strdup (config->audience);
  copy->extra_params = g_strdupv (config->extra_params);
  return copy;
}

void
ladle_oauth2_config_free (LadleOauth2Config *config)
{
  if (config == NULL)
    return;
  g_free (config->authorization_url);
  g_free (config->token_url);
  g_free (config->device_url);
  g_free (config->client_id);
  g_free (config->client_secret);
  g_free (config->scope);
  g_free (config->username);
  g_free (config->password);
  g_free (config->audience);
  g_strfreev (config->extra_params);
  g_free (config);
}

static void
checksum_field (GChecksum  *checksum,
                const char *value)
{
  /* length-prefixed, so that no two configurations hash the same text */
  char prefix[32];

  g_snprintf (prefix, sizeof prefix, "%" G_GSIZE_FORMAT ":", value != NULL ? strlen (value) : 0);
  g_checksum_update (checksum, (const guchar *) (value != NULL ? prefix : "-:"), -1);
  if (value != NULL)
    g_checksum_update (checksum, (const guchar *) value, -1);
}

/**
 * ladle_oauth2_config_dup_cache_key:
 *
 * Returns: (transfer full): a key that differs when anything of @config differs (a SHA-256 in
 *   hexadecimal: the secret and password are not in it in clear)
 */
char *
ladle_oauth2_config_dup_cache_key (const LadleOauth2Config *config)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  char numbers[64];

  g_snprintf (numbers, sizeof numbers, "%d/%d/%d/%u", config->grant, config->client_auth,
              config->pkce, config->callback_port);
  checksum_field (checksum, numbers);
  checksum_field (checksum, config->authorization_url);
  checksum_field (checksum, config->token_url);
  checksum_field (checksum, config->device_url);
  checksum_field (checksum, config->client_id);
  checksum_field (checksum, config->client_secret);
  checksum_field (checksum, config->scope);
  checksum_field (checksum, config->username);
  checksum_field (checksum, config->password);
  checksum_field (checksum, config->audience);
  for (guint i = 0; config->extra_params != NULL && config->extra_params[i] != NULL; i++)
    checksum_field (checksum, config->extra_params[i]);
  return g_strdup (g_checksum_get_string (checksum));
}

static const char * const grant_names[] = {
  [LADLE_OAUTH2_GRANT_CLIENT_CREDENTIALS] = "client_credentials",
  [LADLE_OAUTH2_GRANT_PASSWORD] = "password",
  [LADLE_OAUTH2_GRANT_AUTHORIZATION_CODE] = "authorization_code",
  [LADLE_OAUTH2_GRANT_DEVICE_CODE] = "device_code",
};

static char *
dup_or_null (const char *text)
{
  return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

/**
 * ladle_oauth2_config_new_from_request:
 *
 * Returns: (transfer full): what a token for @request is fetched with: its oauth2-* settings,
 *   and its user name and password for the password grant
 */
LadleOauth2Config *
ladle_oauth2_config_new_from_request (LadleRequest *request)
{
  LadleOauth2Config *config;

  g_return_val_if_fail (LADLE_IS_REQUEST (request), NULL);

  config = ladle_oauth2_config_new (ladle_request_get_oauth2_grant (request));
  config->authorization_url = dup_or_null (ladle_request_get_oauth2_auth_url (request));
  config->token_url = dup_or_null (ladle_request_get_oauth2_token_url (request));
  config->device_url = dup_or_null (ladle_request_get_oauth2_device_url (request));
  config->client_id = dup_or_null (ladle_request_get_oauth2_client_id (request));
  config->client_secret = dup_or_null (ladle_request_get_oauth2_client_secret (request));
  config->scope = dup_or_null (ladle_request_get_oauth2_scope (request));
  config->pkce = ladle_request_get_oauth2_pkce (request);
  if (config->grant == LADLE_OAUTH2_GRANT_PASSWORD)
    {
      config->username = g_strdup (ladle_request_get_auth_username (request));
      config->password = g_strdup (ladle_request_get_auth_password (request));
    }
  return config;
}

/**
 * ladle_oauth2_grant_to_string:
 *
 * Returns: the grant's name as saved and typed: client_credentials, password,
 *   authorization_code, device_code
 */
const char *
ladle_oauth2_grant_to_string (LadleOauth2Grant grant)
{
  g_return_val_if_fail ((guint) grant < G_N_ELEMENTS (grant_names), NULL);
  return grant_names[grant];
}

gboolean
ladle_oauth2_grant_from_string (const char       *text,
                                LadleOauth2Grant *out_grant)
{
  for (guint i = 0; i < G_N_ELEMENTS (grant_names); i++)
    if (g_strcmp0 (text, grant_names[i]) == 0)
      {
        *out_grant = i;
        return TRUE;
      }
  return FALSE;
}

LadleOauth2Token *
ladle_oauth2_token_copy (const LadleOauth2Token *token)
{
  LadleOauth2Token *copy = g_new0 (LadleOauth2Token, 1);

  *copy = *token;
  copy->access_token = g_strdup (token->access_token);
  copy->token_type = g_strdup (token->token_type);
  copy->refresh_token = g_strdup (token->refresh_token);
  copy->scope = g_strdup (token->scope);
  copy->id_token = g_strdup (token->id_token);
  return copy;
}

void
ladle_oauth2_token_free (LadleOauth2Token *token)
{
  if (token == NULL)
    return;
  g_free (token->access_token);
  g_free (token->token_type);
  g_free (token->refresh_token);
  g_free (token->scope);
  g_free (token->id_token);
  g_free (token);
}

/**
 * ladle_oauth2_token_is_expired:
 * @now: real time, µs
 *
 * A token counts as expired a little before its end (a tenth of its life, 30 s at the most), so
 * that it does not expire on its way. One without an expiry never expires.
 */
gboolean
ladle_oauth2_token_is_expired (const LadleOauth2Token *token,
                               gint64                  now)
{
  gint64 leeway;

  if (token->expires_at == 0)
    return FALSE;
  leeway = MIN ((token->expires_at - token->obtained_at) / 10, 30 * G_USEC_PER_SEC);
  return now >= token->expires_at - MAX (leeway, 0);
}

/**
 * ladle_oauth2_token_dup_authorization:
 *
 * Returns: (transfer full): the Authorization header's value: "Bearer TOKEN" (a token_type of
 *   "bearer" in any case is written "Bearer", as RFC 6750 spells it)
 */
char *
ladle_oauth2_token_dup_authorization (const LadleOauth2Token *token)
{
  const char *type = token->token_type;

  if (type == NULL || g_ascii_strcasecmp (type, "bearer") == 0)
    type = "Bearer";
  return g_strconcat (type, " ", token->access_token, NULL);
}

/**
 * ladle_oauth2_token_describe:
 *
 * Returns: (transfer full): a line about @token without any secret in it, for people
 *   ("Bearer, expires in 59 min, scope: openid profile, with a refresh token")
 */
char *
ladle_oauth2_token_describe (const LadleOauth2Token *token,
                             gint64                  now)
{
  GString *text = g_string_new (token->token_type != NULL ? token->token_type : "Bearer");

  if (token->expires_at != 0)
    {
      gint64 left = (token->expires_at - now) / G_USEC_PER_SEC;

      if (left <= 0)
        g_string_append (text, _(", expired"));
      else if (left < 120)
        g_string_append_printf (text, _(", expires in %u s"), (guint) left);
      else
        g_string_append_printf (text, _(", expires in %u min"), (guint) (left / 60));
    }
  if (token->scope != NULL && *token->scope != '\0')
    g_string_append_printf (text, _(", scope: %s"), token->scope);
  if (token->refresh_token != NULL)
    g_string_append (text, _(", with a refresh token"));
  if (token->id_token != NULL)
    g_string_append (text, _(", with an ID token"));
  return g_string_free (text, FALSE);
}

/**
 * ladle_oauth2_token_dup_id_claims:
 *
 * The claims of @token's ID token, to show them. They are read, not verified: the signature
 * is the provider's to vouch for (ladle_jwt_verify() checks it against a JWKS).
 *
 * Returns: (transfer full) (nullable): the claims, or %NULL without an ID token (no error) or
 *   with one that cannot be read (@error set)
 */
JsonObject *
ladle_oauth2_token_dup_id_claims (const LadleOauth2Token  *token,
                                  GError                 **error)
{
  JsonObject *claims = NULL;

  if (token->id_token == NULL)
    return NULL;
  if (!ladle_jwt_decode (token->id_token, NULL, &claims, error))
    return NULL;
  return claims;
}

/* ------------------------------------------------------------------------------------------------
 * Redaction
 */

static const char * const secret_fields[] = {
  "client_secret", "password", "code", "code_verifier", "refresh_token", "access_token",
  "id_token", "device_code", "assertion", "client_assertion",
};

/**
 * ladle_oauth2_redact_form:
 * @form: an application/x-www-form-urlencoded body (a token request)
 *
 * Returns: (transfer full): @form with the values of client_secret, password, code,
 *   code_verifier, refresh_token, access_token, id_token, device_code and assertions replaced
 *   by "[redacted]"; everything else kept as it was
 */
char *
ladle_oauth2_redact_form (const char *form)
{
  g_auto(GStrv) pairs = g_strsplit (form, "&", -1);

  for (guint i = 0; pairs[i] != NULL; i++)
    {
      char *eq = strchr (pairs[i], '=');
      g_autofree char *name = NULL;

      if (eq == NULL)
        continue;
      name = g_uri_unescape_segment (pairs[i], eq, NULL);
      if (name != NULL && g_strv_contains (secret_fields, name))
        {
          char *redacted = g_strdup_printf ("%.*s=" REDACTED, (int) (eq - pairs[i]), pairs[i]);

          g_free (pairs[i]);
          pairs[i] = redacted;
        }
    }
  return g_strjoinv ("&", pairs);
}

/**
 * ladle_oauth2_redact_authorization:
 * @value: an Authorization header's value
 *
 * Returns: (transfer full): its scheme, then "[redacted]" ("Bearer [redacted]")
 */
char *
ladle_oauth2_redact_authorization (const char *value)
{
  const char *space = strchr (value, ' ');

  if (space == NULL)
    return g_strdup (REDACTED);
  return g_strdup_printf ("%.*s " REDACTED, (int) MIN (space - value, 32), value);
}

static void
replace_all (GString    *text,
             const char *secret)
{
  /* Short values would redact ordinary words; secrets and tokens are longer. */
  if (secret != NULL && strlen (secret) >= 4)
    g_string_replace (text, secret, REDACTED, 0);
}

/**
 * ladle_oauth2_redact_text:
 * @config: (nullable): whose client secret and password to hide
 * @token: (nullable): whose tokens to hide
 *
 * Returns: (transfer full): @text with every occurrence of those secrets, as they are and
 *   percent-encoded, replaced by "[redacted]"
 */
char *
ladle_oauth2_redact_text (const char              *text,
                          const LadleOauth2Config *config,
                          const LadleOauth2Token  *token)
{
  GString *out = g_string_new (text);
  const char *secrets[5] = { NULL };

  if (config != NULL)
    {
      secrets[0] = config->client_secret;
      secrets[1] = config->password;
    }
  if (token != NULL)
    {
      secrets[2] = token->access_token;
      secrets[3] = token->refresh_token;
      secrets[4] = token->id_token;
    }
  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    {
      g_autofree char *escaped = NULL;

      if (secrets[i] == NULL)
        continue;
      replace_all (out, secrets[i]);
      escaped = g_uri_escape_string (secrets[i], NULL, TRUE);
      replace_all (out, escaped);
      if (config != NULL && config->client_id != NULL && secrets[i] == config->client_secret)
        {
          /* HTTP Basic: base64 of "id:secret" */
          g_autofree char *pair = g_strconcat (config->client_id, ":", secrets[i], NULL);
          g_autofree char *b64 = g_base64_encode ((const guchar *) pair, strlen (pair));

          replace_all (out, b64);
        }
    }
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------------------------------------
 * Reading the token endpoint's answer
 */

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* A number, or a string of digits (some servers quote expires_in) */
static gboolean
member_seconds (JsonObject *object,
                const char *name,
                gint64      max,
                gint64     *out)
{
  JsonNode *node = json_object_get_member (object, name);
  guint64 value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *out = CLAMP (json_node_get_int (node), 0, max);
      return TRUE;
    }
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      double seconds = json_node_get_double (node);

      /* Clamped as a double: a double beyond gint64's range (3e60) has no integer value */
      if (!(seconds > 0))
        *out = 0;
      else if (seconds >= (double) max)
        *out = max;
      else
        *out = (gint64) seconds;
      return TRUE;
    }
  if (json_node_get_value_type (node) == G_TYPE_STRING &&
      g_ascii_string_to_unsigned (json_node_get_string (node), 10, 0, max, &value, NULL))
    {
      *out = value;
      return TRUE;
    }
  return FALSE;
}

static char *
status_string (guint status)
{
  return g_strdup_printf ("%u", status);
}

/* The answer as a JSON object, or as a form (GitHub answers forms unless asked for JSON). */
static JsonObject *
parse_object (guint        status,
              const char  *content_type,
              const char  *data,
              gsize        len,
              GError     **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *code = status_string (status);

  if (g_strcmp0 (content_type, "application/x-www-form-urlencoded") == 0)
    {
      g_autoptr(GHashTable) form = ladle_form_decode (data, len, NULL);
      JsonObject *object;
      GHashTableIter iter;
      const char *name, *value;

      if (form != NULL)
        {
          object = json_object_new ();
          g_hash_table_iter_init (&iter, form);
          while (g_hash_table_iter_next (&iter, (gpointer *) &name, (gpointer *) &value))
            json_object_set_string_member (object, name, value);
          return object;
        }
    }
  else if (len <= LADLE_OAUTH2_MAX_RESPONSE)
    node = ladle_json_parse (data, len, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_propagate_error (error, ladle_error_new_form (LADLE_ERROR_PARSE, "oauth2-not-json", code,
                                                      content_type != NULL ? content_type : "-",
                                                      NULL));
      return NULL;
    }
  return json_object_ref (json_node_get_object (node));
}

/* error and error_description, verbatim, as a form; NULL when @object has no "error" */
static GError *
oauth_error_from (JsonObject *object)
{
  const char *code = member_string (object, "error");
  const char *description = member_string (object, "error_description");

  if (code == NULL)
    return NULL;
  return ladle_error_new_form (LADLE_ERROR_FAILED, "oauth2-error", code,
                               description != NULL ? description : "", NULL);
}

/**
 * _ladle_oauth2_parse_token:
 * @requested_scope: (nullable): the scope asked for, kept when the answer names none
 * @now: real time, µs
 *
 * Returns: (transfer full) (nullable): the token in a token endpoint's answer
 */
LadleOauth2Token *
_ladle_oauth2_parse_token (guint        status,
                           const char  *content_type,
                           const char  *data,
                           gsize        len,
                           const char  *requested_scope,
                           gint64       now,
                           GError     **error)
{
  g_autoptr(JsonObject) object = parse_object (status, content_type, data, len, error);
  g_autoptr(LadleOauth2Token) token = NULL;
  GError *oauth_error;
  gint64 seconds;

  if (object == NULL)
    return NULL;
  oauth_error = oauth_error_from (object);
  if (oauth_error != NULL)
    {
      g_propagate_error (error, oauth_error);
      return NULL;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_autofree char *code = status_string (status);

      g_propagate_error (error, ladle_error_new_form (LADLE_ERROR_FAILED, "oauth2-status", code,
                                                      NULL));
      return NULL;
    }
  if (member_string (object, "access_token") == NULL ||
      *member_string (object, "access_token") == '\0')
    {
      g_propagate_error (error, ladle_error_new_form (LADLE_ERROR_PARSE, "oauth2-no-token", NULL));
      return NULL;
    }

  token = g_new0 (LadleOauth2Token, 1);
  token->access_token = g_strdup (member_string (object, "access_token"));
  token->token_type = g_strdup (member_string (object, "token_type") != NULL
                                ? member_string (object, "token_type") : "Bearer");
  token->refresh_token = g_strdup (member_string (object, "refresh_token"));
  token->id_token = g_strdup (member_string (object, "id_token"));
  token->scope = g_strdup (member_string (object, "scope") != NULL
                           ? member_string (object, "scope") : requested_scope);
  token->obtained_at = now;
  if (member_seconds (object, "expires_in", MAX_EXPIRES_IN_S, &seconds))
    token->expires_at = now + seconds * G_USEC_PER_SEC;
  return g_steal_pointer (&token);
}

/* ------------------------------------------------------------------------------------------------
 * The client
 */

struct _LadleOauth2Client
{
  GObject                 parent_instance;

  SoupSession            *session;
  GHashTable             *cache;            /* cache key → LadleOauth2Token */
  LadleOauth2OpenUriFunc  open_uri;
  gpointer                open_uri_data;
  GDestroyNotify          open_uri_destroy;
  LadleOauth2DeviceFunc   device;
  gpointer                device_data;
  GDestroyNotify          device_destroy;
  guint                   callback_timeout;
};

G_DEFINE_FINAL_TYPE (LadleOauth2Client, ladle_oauth2_client, G_TYPE_OBJECT)

static void
ladle_oauth2_client_finalize (GObject *object)
{
  LadleOauth2Client *self = LADLE_OAUTH2_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->cache, g_hash_table_unref);
  if (self->open_uri_destroy != NULL)
    self->open_uri_destroy (self->open_uri_data);
  if (self->device_destroy != NULL)
    self->device_destroy (self->device_data);

  G_OBJECT_CLASS (ladle_oauth2_client_parent_class)->finalize (object);
}

static void
ladle_oauth2_client_class_init (LadleOauth2ClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ladle_oauth2_client_finalize;
}

static void
ladle_oauth2_client_init (LadleOauth2Client *self)
{
  self->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) ladle_oauth2_token_free);
  self->callback_timeout = DEFAULT_CALLBACK_TIMEOUT_S;
}

/**
 * ladle_oauth2_client_new:
 * @session: (nullable): the session to send with; a new one when %NULL
 */
LadleOauth2Client *
ladle_oauth2_client_new (SoupSession *session)
{
  LadleOauth2Client *self = g_object_new (LADLE_TYPE_OAUTH2_CLIENT, NULL);

  self->session = session != NULL ? g_object_ref (session) : soup_session_new ();
  return self;
}

void
ladle_oauth2_client_set_open_uri_func (LadleOauth2Client      *self,
                                       LadleOauth2OpenUriFunc  func,
                                       gpointer                user_data,
                                       GDestroyNotify          destroy)
{
  if (self->open_uri_destroy != NULL)
    self->open_uri_destroy (self->open_uri_data);
  self->open_uri = func;
  self->open_uri_data = user_data;
  self->open_uri_destroy = destroy;
}

void
ladle_oauth2_client_set_device_func (LadleOauth2Client     *self,
                                     LadleOauth2DeviceFunc  func,
                                     gpointer               user_data,
                                     GDestroyNotify         destroy)
{
  if (self->device_destroy != NULL)
    self->device_destroy (self->device_data);
  self->device = func;
  self->device_data = user_data;
  self->device_destroy = destroy;
}

/**
 * ladle_oauth2_client_set_callback_timeout:
 *
 * How long the authorization code grant waits for the browser's redirect (default 300 s).
 */
void
ladle_oauth2_client_set_callback_timeout (LadleOauth2Client *self,
                                          guint              seconds)
{
  self->callback_timeout = MAX (seconds, 1);
}

/**
 * ladle_oauth2_client_lookup:
 *
 * Returns: (transfer full) (nullable): a copy of the cached token for @config, expired or not
 */
LadleOauth2Token *
ladle_oauth2_client_lookup (LadleOauth2Client       *self,
                            const LadleOauth2Config *config)
{
  g_autofree char *key = ladle_oauth2_config_dup_cache_key (config);
  LadleOauth2Token *token = g_hash_table_lookup (self->cache, key);

  return token != NULL ? ladle_oauth2_token_copy (token) : NULL;
}

void
ladle_oauth2_client_forget (LadleOauth2Client       *self,
                            const LadleOauth2Config *config)
{
  g_autofree char *key = ladle_oauth2_config_dup_cache_key (config);

  g_hash_table_remove (self->cache, key);
}

/* ------------------------------------------------------------------------------------------------
 * One operation
 */

typedef struct
{
  LadleOauth2Client *client;
  LadleOauth2Config *config;
  char              *cache_key;
  gboolean           refreshing;      /* a refresh_async, or a get_token that tries one first */
  gboolean           refresh_only;    /* refresh_async: no fallback to the grant */
  char              *refresh_token;

  /* One POST at a time */
  SoupMessage       *msg;
  GInputStream      *stream;
  GByteArray        *body;
  void             (*post_done) (GTask *task, guint status, const char *content_type,
                                 GBytes *body);

  /* Authorization code */
  SoupServer        *listener;
  char              *redirect_uri;
  char              *state;
  char              *verifier;
  GSource           *timeout;
  gboolean           callback_seen;

  /* Device code */
  char              *device_code;
  gint64             interval;        /* seconds */
  gint64             device_deadline; /* µs, monotonic */
  guint              device_expires_in;
  GSource           *poll;

  GSource           *cancel_source;   /* while waiting for the browser or the next poll */

  char              *issuer;          /* discovery: the issuer the document must name */
  char              *nonce;           /* OpenID Connect: sent, and expected in the ID token */
} Op;

static void
op_free (Op *op)
{
  if (op->timeout != NULL)
    {
      g_source_destroy (op->timeout);
      g_source_unref (op->timeout);
    }
  if (op->poll != NULL)
    {
      g_source_destroy (op->poll);
      g_source_unref (op->poll);
    }
  if (op->cancel_source != NULL)
    {
      g_source_destroy (op->cancel_source);
      g_source_unref (op->cancel_source);
    }
  if (op->listener != NULL)
    {
      soup_server_disconnect (op->listener);
      g_object_unref (op->listener);
    }
  g_clear_object (&op->msg);
  g_clear_object (&op->stream);
  g_clear_pointer (&op->body, g_byte_array_unref);
  g_clear_object (&op->client);
  g_clear_pointer (&op->config, ladle_oauth2_config_free);
  g_free (op->cache_key);
  g_free (op->refresh_token);
  g_free (op->redirect_uri);
  g_free (op->state);
  g_free (op->verifier);
  g_free (op->device_code);
  g_free (op->issuer);
  g_free (op->nonce);
  g_free (op);
}

static char *
random_string (gsize n_bytes)
{
  guint8 bytes[64];

  g_assert (n_bytes <= sizeof bytes);
  if (gnutls_rnd (GNUTLS_RND_RANDOM, bytes, n_bytes) < 0)
    g_error ("gnutls_rnd failed");
  return ladle_base64url_encode (bytes, n_bytes);
}

static gboolean
url_ok (const char *url)
{
  g_autoptr(GUri) uri = url != NULL ? g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL) : NULL;

  return uri != NULL && g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0' &&
         (g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0 ||
          g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0);
}

static gboolean
check_url (GTask      *task,
           const char *url,
           const char *setting)
{
  if (url == NULL || *url == '\0')
    {
      g_task_return_error (task, ladle_error_new_form (LADLE_ERROR_INVALID_ARGUMENT,
                                                       "oauth2-missing", setting, NULL));
      return FALSE;
    }
  if (!url_ok (url))
    {
      g_task_return_error (task, ladle_error_new_form (LADLE_ERROR_INVALID_ARGUMENT,
                                                       "oauth2-bad-url", url, NULL));
      return FALSE;
    }
  return TRUE;
}

static void
append_extras (GString                 *form,
               const LadleOauth2Config *config)
{
  ladle_form_append (form, "audience", config->audience);
  for (guint i = 0; config->extra_params != NULL && config->extra_params[i] != NULL; i++)
    {
      const char *pair = config->extra_params[i];
      const char *eq = strchr (pair, '=');
      g_autofree char *name = g_strndup (pair, eq != NULL ? (gsize) (eq - pair) : strlen (pair));

      if (*name != '\0')
        ladle_form_append (form, name, eq != NULL ? eq + 1 : "");
    }
}

static void
read_next (GTask *task);
static GTask *op_task_new (LadleOauth2Client       *self,
                           const LadleOauth2Config *config,
                           GCancellable            *cancellable,
                           GAsyncReadyCallback      callback,
                           gpointer                 user_data,
                           gpointer                 source_tag);

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result,
                                                               &error);
  g_autoptr(GBytes) whole = NULL;
  const char *content_type;

  if (bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_bytes_get_size (bytes) > 0)
    {
      g_byte_array_append (op->body, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      if (op->body->len > LADLE_OAUTH2_MAX_RESPONSE)
        {
          g_autofree char *max = g_strdup_printf ("%u", (guint) LADLE_OAUTH2_MAX_RESPONSE);

          g_task_return_error (task, ladle_error_new_form (LADLE_ERROR_TOO_LARGE,
                                                           "oauth2-too-large", max, NULL));
          return;
        }
      read_next (g_steal_pointer (&task));
      return;
    }

  content_type = soup_message_headers_get_content_type (soup_message_get_response_headers (op->msg),
                                                        NULL);
  whole = g_byte_array_free_to_bytes (g_steal_pointer (&op->body));
  g_clear_object (&op->stream);
  op->post_done (g_steal_pointer (&task), soup_message_get_status (op->msg), content_type, whole);
}

static void
read_next (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (op->stream, READ_BLOCK, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), on_read, task);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  op->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (op->stream == NULL)
    {
      GUri *uri = soup_message_get_uri (op->msg);
      GError *classified = ladle_error_classify_network (error, 0, g_uri_get_host (uri),
                                                         g_uri_get_port (uri));

      g_task_return_error (task, classified != NULL ? classified : g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  op->body = g_byte_array_new ();
  read_next (task);
}

/* POSTs @form to @url, authenticating the client as configured; @done gets the answer. The task
 * reference is passed on to @done. */
static void
post_form (GTask      *task,
           const char *url,
           GString    *form,
           void      (*done) (GTask *, guint, const char *, GBytes *))
{
  Op *op = g_task_get_task_data (task);
  const LadleOauth2Config *config = op->config;
  g_autoptr(GBytes) body = NULL;
  SoupMessageHeaders *headers;

  if (config->client_secret != NULL && config->client_auth == LADLE_OAUTH2_CLIENT_AUTH_BASIC)
    {
      /* Both parts form-encoded first (RFC 6749 §2.3.1) */
      g_autofree char *id = g_uri_escape_string (config->client_id != NULL ? config->client_id : "",
                                                 NULL, TRUE);
      g_autofree char *secret = g_uri_escape_string (config->client_secret, NULL, TRUE);
      g_autofree char *pair = g_strconcat (id, ":", secret, NULL);
      g_autofree char *b64 = g_base64_encode ((const guchar *) pair, strlen (pair));
      g_autofree char *value = g_strconcat ("Basic ", b64, NULL);

      g_clear_object (&op->msg);
      op->msg = soup_message_new (SOUP_METHOD_POST, url);
      soup_message_headers_replace (soup_message_get_request_headers (op->msg), "Authorization",
                                    value);
    }
  else
    {
      g_clear_object (&op->msg);
      op->msg = soup_message_new (SOUP_METHOD_POST, url);
      ladle_form_append (form, "client_id", config->client_id);
      ladle_form_append (form, "client_secret", config->client_secret);
    }
  if (op->msg == NULL)
    {
      g_task_return_error (task, ladle_error_new_form (LADLE_ERROR_INVALID_ARGUMENT,
                                                       "oauth2-bad-url", url, NULL));
      g_object_unref (task);
      return;
    }
  /* Credentials go to the endpoint configured and nowhere else: a redirect is an answer */
  soup_message_add_flags (op->msg, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (op->msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  body = g_bytes_new (form->str, form->len);
  soup_message_set_request_body_from_bytes (op->msg, "application/x-www-form-urlencoded", body);
  op->post_done = done;
  soup_session_send_async (op->client->session, op->msg, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), on_sent, task);
}

/* ------------------------------------------------------------------------------------------------
 * Discovery (OpenID Connect Discovery 1.0, RFC 8414)
 */

static char *
strip_slash (const char *url)
{
  char *copy = g_strdup (url);
  gsize len = strlen (copy);

  while (len > 0 && copy[len - 1] == '/')
    copy[--len] = '\0';
  return copy;
}

static void
on_discovery_answer (GTask      *task,
                     guint       status,
                     const char *content_type,
                     GBytes     *body)
{
  Op *op = g_task_get_task_data (task);
  g_autofree char *url = g_uri_to_string (soup_message_get_uri (op->msg));
  g_autofree char *code = status_string (status);
  g_autoptr(JsonObject) object = NULL;
  LadleOauth2Config *config;
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  const char *issuer;
  struct { const char *member; char **field; } endpoints[] = {
    { "authorization_endpoint", &op->config->authorization_url },
    { "token_endpoint", &op->config->token_url },
    { "device_authorization_endpoint", &op->config->device_url },
  };

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    object = parse_object (status, content_type, data != NULL ? data : "", len, NULL);
  if (object == NULL)
    {
      g_task_return_error (task, ladle_error_new_form (LADLE_ERROR_PARSE, "oauth2-discovery", url,
                                                       code, NULL));
      g_object_unref (task);
      return;
    }
  /* The document names the issuer it was asked for (OpenID Connect Discovery §4.3) */
  issuer = member_string (object, "issuer");
  if (op->issuer != NULL)
    {
      g_autofree char *expected = strip_slash (op->issuer);
      g_autofree char *got = issuer != NULL ? strip_slash (issuer) : g_strdup ("");

      if (!g_str_equal (expected, got))
        {
          g_task_return_error (task, ladle_error_new_form (LADLE_ERROR_INVALID_ARGUMENT,
                                                           "oauth2-issuer", expected, got, NULL));
          g_object_unref (task);
          return;
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (endpoints); i++)
    {
      const char *value = member_string (object, endpoints[i].member);

      if (*endpoints[i].field == NULL && value != NULL && url_ok (value))
        *endpoints[i].field = g_strdup (value);
    }
  config = ladle_oauth2_config_copy (op->config);
  g_task_return_pointer (task, config, (GDestroyNotify) ladle_oauth2_config_free);
  g_object_unref (task);
}

/**
 * ladle_oauth2_client_discover_async:
 * @issuer: the issuer ("https://accounts.example.com"), or the discovery document's own URL
 *   (one with "/.well-known/" in it)
 *
 * Reads the issuer's discovery document and gives back a copy of @config whose endpoints (the
 * authorization, token and device authorization URLs) are filled in where @config had none.
 * Asked for an issuer, the document must name that issuer.
 */
void
ladle_oauth2_client_discover_async (LadleOauth2Client       *self,
                                    const LadleOauth2Config *config,
                                    const char              *issuer,
                                    GCancellable            *cancellable,
                                    GAsyncReadyCallback      callback,
                                    gpointer                 user_data)
{
  GTask *task = op_task_new (self, config, cancellable, callback, user_data,
                             ladle_oauth2_client_discover_async);
  Op *op = g_task_get_task_data (task);
  g_autofree char *url = NULL;

  if (strstr (issuer, "/.well-known/") != NULL)
    url = g_strdup (issuer);
  else
    {
      g_autofree char *base = strip_slash (issuer);

      url = g_strconcat (base, "/.well-known/openid-configuration", NULL);
      op->issuer = g_strdup (issuer);
    }
  if (!check_url (task, url, "issuer"))
    {
      g_object_unref (task);
      return;
    }
  op->msg = soup_message_new (SOUP_METHOD_GET, url);
  soup_message_headers_replace (soup_message_get_request_headers (op->msg), "Accept",
                                "application/json");
  op->post_done = on_discovery_answer;
  soup_session_send_async (self->session, op->msg, G_PRIORITY_DEFAULT, cancellable, on_sent, task);
}

/**
 * ladle_oauth2_client_discover_finish:
 *
 * Returns: (transfer full) (nullable): the configuration with the discovered endpoints
 */
LadleOauth2Config *
ladle_oauth2_client_discover_finish (LadleOauth2Client  *self,
                                     GAsyncResult       *result,
                                     GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
finish_with_token (GTask            *task,
                   LadleOauth2Token *token)
{
  Op *op = g_task_get_task_data (task);

  /* A refresh answer without a new refresh token keeps the old one (RFC 6749 §6) */
  if (token->refresh_token == NULL && op->refresh_token != NULL)
    token->refresh_token = g_strdup (op->refresh_token);
  g_hash_table_replace (op->client->cache, g_strdup (op->cache_key),
                        ladle_oauth2_token_copy (token));
  g_task_return_pointer (task, token, (GDestroyNotify) ladle_oauth2_token_free);
}

static void run_grant (GTask *task);

static void
on_token_answer (GTask      *task,
                 guint       status,
                 const char *content_type,
                 GBytes     *body)
{
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  LadleOauth2Token *token;
  gsize len;
  const char *data = g_bytes_get_data (body, &len);

  token = _ladle_oauth2_parse_token (status, content_type, data != NULL ? data : "", len,
                                     op->config->scope, g_get_real_time (), &error);
  if (token != NULL && op->nonce != NULL && token->id_token != NULL)
    {
      g_autoptr(JsonObject) claims = ladle_oauth2_token_dup_id_claims (token, NULL);

      /* OpenID Connect Core §3.1.3.7: the nonce sent comes back in the ID token */
      if (claims == NULL || g_strcmp0 (member_string (claims, "nonce"), op->nonce) != 0)
        {
          ladle_oauth2_token_free (token);
          g_task_return_error (task, ladle_error_new_form (LADLE_ERROR_INVALID_ARGUMENT,
                                                           "oauth2-nonce", NULL));
          g_object_unref (task);
          return;
        }
    }
  if (token != NULL)
    finish_with_token (task, token);
  else if (op->refreshing && !op->refresh_only && ladle_error_get_form (error) != NULL &&
           g_str_equal (ladle_error_get_form (error)[0], "oauth2-error") &&
           g_str_equal (ladle_error_get_form (error)[1], "invalid_grant"))
    {
      /* The refresh token is spent or revoked: the grant again */
      op->refreshing = FALSE;
      g_clear_pointer (&op->refresh_token, g_free);
      g_hash_table_remove (op->client->cache, op->cache_key);
      run_grant (g_steal_pointer (&task));
      return;
    }
  else
    g_task_return_error (task, g_steal_pointer (&error));
  g_object_unref (task);
}

static void
start_refresh (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  GString *form = g_string_new (NULL);

  if (!check_url (task, op->config->token_url, "token_url"))
    {
      g_string_free (form, TRUE);
      g_object_unref (task);
      return;
    }
  op->refreshing = TRUE;
  ladle_form_append (form, "grant_type", "refresh_token");
  ladle_form_append (form, "refresh_token", op->refresh_token);
  post_form (task, op->config->token_url, form, on_token_answer);
  g_string_free (form, TRUE);
}

/* ------------------------------------------------------------------------------------------------
 * Authorization code: the loopback listener
 */

static void
callback_page (SoupServerMessage *msg,
               guint              status,
               const char        *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  char *page = g_strdup_printf ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                                "<title>Ladle</title></head><body><p>%s</p></body></html>\n",
                                escaped);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE, page,
                                    strlen (page));
}

typedef struct
{
  GTask  *task;     /* a reference */
  GError *error;    /* or: */
  char   *code;
} CallbackResult;

/* The browser has its answer: carry on (the listener is torn down with the operation). */
static void
on_callback_finished (SoupServer        *server,
                      SoupServerMessage *msg,
                      gpointer           user_data)
{
  CallbackResult *result = g_object_get_data (G_OBJECT (msg), "ladle-oauth2-result");
  GTask *task;
  Op *op;
  GString *form;

  if (result == NULL)
    return;
  g_object_steal_data (G_OBJECT (msg), "ladle-oauth2-result");
  task = result->task;
  op = g_task_get_task_data (task);
  g_signal_handlers_disconnect_by_func (server, on_callback_finished, NULL);

  if (result->error != NULL)
    {
      g_task_return_error (task, result->error);
      g_object_unref (task);
      g_free (result);
      return;
    }

  form = g_string_new (NULL);
  ladle_form_append (form, "grant_type", "authorization_code");
  ladle_form_append (form, "code", result->code);
  ladle_form_append (form, "redirect_uri", op->redirect_uri);
  ladle_form_append (form, "code_verifier", op->verifier);
  append_extras (form, op->config);
  post_form (task, op->config->token_url, form, on_token_answer);
  g_string_free (form, TRUE);
  g_free (result->code);
  g_free (result);
}

static void
on_callback (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) params = NULL;
  CallbackResult *result;
  const char *error_code;

  if (!g_str_equal (path, "/callback") || op->callback_seen)
    {
      /* favicon.ico, a second redirect */
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  op->callback_seen = TRUE;
  if (op->timeout != NULL)
    {
      g_source_destroy (op->timeout);
      g_clear_pointer (&op->timeout, g_source_unref);
    }

  result = g_new0 (CallbackResult, 1);
  result->task = task;
  params = ladle_form_decode (g_uri_get_query (soup_server_message_get_uri (msg)), -1,
                              &result->error);
  error_code = params != NULL ? g_hash_table_lookup (params, "error") : NULL;
  if (result->error != NULL)
    ;
  else if (g_strcmp0 (g_hash_table_lookup (params, "state"), op->state) != 0)
    result->error = ladle_error_new_form (LADLE_ERROR_INVALID_ARGUMENT, "oauth2-state", NULL);
  else if (error_code != NULL)
    {
      const char *description = g_hash_table_lookup (params, "error_description");

      result->error = ladle_error_new_form (LADLE_ERROR_FAILED, "oauth2-redirect-error",
                                            error_code, description != NULL ? description : "",
                                            NULL);
    }
  else if (g_hash_table_lookup (params, "code") == NULL ||
           *(const char *) g_hash_table_lookup (params, "code") == '\0')
    result->error = ladle_error_new_form (LADLE_ERROR_PARSE, "oauth2-no-code", NULL);
  else
    result->code = g_strdup (g_hash_table_lookup (params, "code"));

  if (result->error != NULL)
    callback_page (msg, SOUP_STATUS_BAD_REQUEST, result->error->message);
  else
    callback_page (msg, SOUP_STATUS_OK,
                   _("Ladle received the authorization. You can close this page."));
  g_object_set_data (G_OBJECT (msg), "ladle-oauth2-result", result);
  /* Carry on once the browser has this page (or went away) */
  g_signal_connect (server, "request-finished", G_CALLBACK (on_callback_finished), NULL);
  g_signal_connect (server, "request-aborted", G_CALLBACK (on_callback_finished), NULL);
}

static gboolean
on_callback_timeout (gpointer user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autofree char *seconds = g_strdup_printf ("%u", op->client->callback_timeout);

  g_clear_pointer (&op->timeout, g_source_unref);
  op->callback_seen = TRUE;
  g_task_return_error (task, ladle_error_new_form (LADLE_ERROR_TIMED_OUT,
                                                   "oauth2-callback-timeout", seconds, NULL));
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

/* Cancelled while waiting for the browser or for the next poll (a request in flight is cancelled by
 * libsoup, and fails through its own path). */
static gboolean
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);
  gboolean waiting_browser = op->listener != NULL && !op->callback_seen;
  gboolean waiting_poll = op->poll != NULL;

  g_clear_pointer (&op->cancel_source, g_source_unref);
  if (!waiting_browser && !waiting_poll)
    return G_SOURCE_REMOVE;
  op->callback_seen = TRUE;
  if (op->timeout != NULL)
    {
      g_source_destroy (op->timeout);
      g_clear_pointer (&op->timeout, g_source_unref);
    }
  if (op->poll != NULL)
    {
      g_source_destroy (op->poll);
      g_clear_pointer (&op->poll, g_source_unref);
    }
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static void
watch_cancellable (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  if (g_task_get_cancellable (task) == NULL || op->cancel_source != NULL)
    return;
  op->cancel_source = g_cancellable_source_new (g_task_get_cancellable (task));
  g_source_set_callback (op->cancel_source, (GSourceFunc) (void (*) (void)) on_cancelled, task,
                         NULL);
  g_source_attach (op->cancel_source, g_task_get_context (task));
}

static gboolean
scope_has_openid (const char *scope)
{
  g_auto(GStrv) words = scope != NULL ? g_strsplit (scope, " ", 64) : NULL;

  return words != NULL && g_strv_contains ((const char * const *) words, "openid");
}

static void
start_authorization_code (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  LadleOauth2Client *client = op->client;
  const LadleOauth2Config *config = op->config;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *challenge = NULL;
  GString *url;

  if (!check_url (task, config->authorization_url, "authorization_url") ||
      !check_url (task, config->token_url, "token_url"))
    {
      g_object_unref (task);
      return;
    }
  if (client->open_uri == NULL)
    {
      g_task_return_error (task, ladle_error_new_form (LADLE_ERROR_FAILED, "oauth2-no-browser",
                                                       NULL));
      g_object_unref (task);
      return;
    }

  op->listener = soup_server_new (NULL, NULL);
  if (!soup_server_listen_local (op->listener, config->callback_port,
                                 SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  uris = soup_server_get_uris (op->listener);
  op->redirect_uri = g_strdup_printf ("http://127.0.0.1:%d/callback",
                                      g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  soup_server_add_handler (op->listener, NULL, on_callback, task, NULL);

  op->state = random_string (16);
  if (config->pkce)
    {
      g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
      guint8 digest[32];
      gsize len = sizeof digest;

      op->verifier = random_string (32);
      g_checksum_update (checksum, (const guchar *) op->verifier, -1);
      g_checksum_get_digest (checksum, digest, &len);
      challenge = ladle_base64url_encode (digest, len);
    }

  url = g_string_new (NULL);
  ladle_form_append (url, "response_type", "code");
  ladle_form_append (url, "client_id", config->client_id);
  ladle_form_append (url, "redirect_uri", op->redirect_uri);
  ladle_form_append (url, "scope", config->scope);
  ladle_form_append (url, "state", op->state);
  if (scope_has_openid (config->scope))
    {
      op->nonce = random_string (16);
      ladle_form_append (url, "nonce", op->nonce);
    }
  if (challenge != NULL)
    {
      ladle_form_append (url, "code_challenge", challenge);
      ladle_form_append (url, "code_challenge_method", "S256");
    }
  append_extras (url, config);
  g_string_prepend_c (url, strchr (config->authorization_url, '?') != NULL ? '&' : '?');
  g_string_prepend (url, config->authorization_url);

  op->timeout = g_timeout_source_new_seconds (client->callback_timeout);
  g_source_set_callback (op->timeout, on_callback_timeout, task, NULL);
  g_source_attach (op->timeout, g_task_get_context (task));
  watch_cancellable (task);

  client->open_uri (url->str, client->open_uri_data);
  g_string_free (url, TRUE);
}

/* ------------------------------------------------------------------------------------------------
 * Device code
 */

static void poll_device (GTask *task);

static gboolean
on_poll_time (gpointer user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);

  g_clear_pointer (&op->poll, g_source_unref);
  poll_device (task);
  return G_SOURCE_REMOVE;
}

static void
schedule_poll (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  if (g_get_monotonic_time () + op->interval * G_USEC_PER_SEC > op->device_deadline)
    {
      g_autofree char *seconds = g_strdup_printf ("%u", op->device_expires_in);

      g_task_return_error (task, ladle_error_new_form (LADLE_ERROR_TIMED_OUT,
                                                       "oauth2-device-expired", seconds, NULL));
      g_object_unref (task);
      return;
    }
  /* Milliseconds, not g_timeout_source_new_seconds(), which may fire up to 250 ms early: a
   * server counts a poll before the interval as one too many (slow_down) */
  op->poll = g_timeout_source_new (op->interval > 0 ? op->interval * 1000 + 50 : 100);
  g_source_set_callback (op->poll, on_poll_time, task, NULL);
  g_source_attach (op->poll, g_task_get_context (task));
  watch_cancellable (task);
}

static void
on_device_poll_answer (GTask      *task,
                       guint       status,
                       const char *content_type,
                       GBytes     *body)
{
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  LadleOauth2Token *token;
  const char * const *form;
  gsize len;
  const char *data = g_bytes_get_data (body, &len);

  token = _ladle_oauth2_parse_token (status, content_type, data != NULL ? data : "", len,
                                     op->config->scope, g_get_real_time (), &error);
  if (token != NULL)
    {
      finish_with_token (task, token);
      g_object_unref (task);
      return;
    }
  form = ladle_error_get_form (error);
  if (form != NULL && g_str_equal (form[0], "oauth2-error") &&
      (g_str_equal (form[1], "authorization_pending") || g_str_equal (form[1], "slow_down")))
    {
      if (g_str_equal (form[1], "slow_down"))
        op->interval = MIN (op->interval + SLOW_DOWN_STEP_S, MAX_DEVICE_INTERVAL_S);
      schedule_poll (task);
      return;
    }
  g_task_return_error (task, g_steal_pointer (&error));
  g_object_unref (task);
}

static void
poll_device (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  GString *form = g_string_new (NULL);

  ladle_form_append (form, "grant_type", DEVICE_GRANT);
  ladle_form_append (form, "device_code", op->device_code);
  append_extras (form, op->config);
  post_form (task, op->config->token_url, form, on_device_poll_answer);
  g_string_free (form, TRUE);
}

static void
on_device_answer (GTask      *task,
                  guint       status,
                  const char *content_type,
                  GBytes     *body)
{
  Op *op = g_task_get_task_data (task);
  LadleOauth2Client *client = op->client;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = NULL;
  LadleOauth2DeviceCode code = { NULL };
  gint64 expires_in = 1800, interval = DEFAULT_DEVICE_INTERVAL_S;
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  GError *oauth_error;

  object = parse_object (status, content_type, data != NULL ? data : "", len, &error);
  if (object == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  oauth_error = oauth_error_from (object);
  if (oauth_error != NULL)
    {
      g_task_return_error (task, oauth_error);
      g_object_unref (task);
      return;
    }
  code.user_code = member_string (object, "user_code");
  /* Google says verification_url */
  code.verification_uri = member_string (object, "verification_uri") != NULL
                          ? member_string (object, "verification_uri")
                          : member_string (object, "verification_url");
  code.verification_uri_complete = member_string (object, "verification_uri_complete");
  if (!SOUP_STATUS_IS_SUCCESSFUL (status) || member_string (object, "device_code") == NULL ||
      code.user_code == NULL || code.verification_uri == NULL)
    {
      g_task_return_error (task, ladle_error_new_form (LADLE_ERROR_PARSE, "oauth2-no-device-code",
                                                       NULL));
      g_object_unref (task);
      return;
    }
  member_seconds (object, "expires_in", 86400, &expires_in);
  member_seconds (object, "interval", MAX_DEVICE_INTERVAL_S, &interval);
  op->device_code = g_strdup (member_string (object, "device_code"));
  op->interval = interval;
  op->device_expires_in = expires_in;
  op->device_deadline = g_get_monotonic_time () + expires_in * G_USEC_PER_SEC;
  code.expires_in = expires_in;

  if (client->device != NULL)
    client->device (&code, client->device_data);
  schedule_poll (task);
}

static void
start_device_code (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  GString *form;

  if (!check_url (task, op->config->device_url, "device_url") ||
      !check_url (task, op->config->token_url, "token_url"))
    {
      g_object_unref (task);
      return;
    }
  form = g_string_new (NULL);
  ladle_form_append (form, "scope", op->config->scope);
  append_extras (form, op->config);
  post_form (task, op->config->device_url, form, on_device_answer);
  g_string_free (form, TRUE);
}

/* ------------------------------------------------------------------------------------------------
 * Entry points
 */

static void
run_grant (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  const LadleOauth2Config *config = op->config;
  GString *form;

  if (config->client_id == NULL || *config->client_id == '\0')
    {
      g_task_return_error (task, ladle_error_new_form (LADLE_ERROR_INVALID_ARGUMENT,
                                                       "oauth2-missing", "client_id", NULL));
      g_object_unref (task);
      return;
    }

  switch (config->grant)
    {
    case LADLE_OAUTH2_GRANT_AUTHORIZATION_CODE:
      start_authorization_code (task);
      return;
    case LADLE_OAUTH2_GRANT_DEVICE_CODE:
      start_device_code (task);
      return;
    case LADLE_OAUTH2_GRANT_CLIENT_CREDENTIALS:
    case LADLE_OAUTH2_GRANT_PASSWORD:
    default:
      break;
    }

  if (!check_url (task, config->token_url, "token_url"))
    {
      g_object_unref (task);
      return;
    }
  form = g_string_new (NULL);
  if (config->grant == LADLE_OAUTH2_GRANT_PASSWORD)
    {
      if (config->username == NULL)
        {
          g_task_return_error (task, ladle_error_new_form (LADLE_ERROR_INVALID_ARGUMENT,
                                                           "oauth2-missing", "username", NULL));
          g_object_unref (task);
          g_string_free (form, TRUE);
          return;
        }
      ladle_form_append (form, "grant_type", "password");
      ladle_form_append (form, "username", config->username);
      ladle_form_append (form, "password", config->password != NULL ? config->password : "");
    }
  else
    ladle_form_append (form, "grant_type", "client_credentials");
  ladle_form_append (form, "scope", config->scope);
  append_extras (form, config);
  post_form (task, config->token_url, form, on_token_answer);
  g_string_free (form, TRUE);
}

static GTask *
op_task_new (LadleOauth2Client       *self,
             const LadleOauth2Config *config,
             GCancellable            *cancellable,
             GAsyncReadyCallback      callback,
             gpointer                 user_data,
             gpointer                 source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Op *op = g_new0 (Op, 1);

  g_task_set_source_tag (task, source_tag);
  op->client = g_object_ref (self);
  op->config = ladle_oauth2_config_copy (config);
  op->cache_key = ladle_oauth2_config_dup_cache_key (config);
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  return task;
}

/**
 * ladle_oauth2_client_get_token_async:
 * @force_new: run the grant even when a token is cached
 *
 * Gets a token for @config: the cached one while it is valid, else a refreshed one when it has
 * a refresh token, else a new one from the grant. Runs on the thread-default main context.
 */
void
ladle_oauth2_client_get_token_async (LadleOauth2Client       *self,
                                     const LadleOauth2Config *config,
                                     gboolean                 force_new,
                                     GCancellable            *cancellable,
                                     GAsyncReadyCallback      callback,
                                     gpointer                 user_data)
{
  GTask *task;
  Op *op;
  LadleOauth2Token *cached;

  g_return_if_fail (LADLE_IS_OAUTH2_CLIENT (self));
  g_return_if_fail (config != NULL);

  task = op_task_new (self, config, cancellable, callback, user_data,
                      ladle_oauth2_client_get_token_async);
  op = g_task_get_task_data (task);
  cached = force_new ? NULL : g_hash_table_lookup (self->cache, op->cache_key);
  if (cached != NULL && !ladle_oauth2_token_is_expired (cached, g_get_real_time ()))
    {
      g_task_return_pointer (task, ladle_oauth2_token_copy (cached),
                             (GDestroyNotify) ladle_oauth2_token_free);
      g_object_unref (task);
      return;
    }
  if (cached != NULL && cached->refresh_token != NULL)
    {
      op->refresh_token = g_strdup (cached->refresh_token);
      start_refresh (task);
      return;
    }
  run_grant (task);
}

/**
 * ladle_oauth2_client_get_token_finish:
 *
 * Returns: (transfer full) (nullable): the token
 */
LadleOauth2Token *
ladle_oauth2_client_get_token_finish (LadleOauth2Client  *self,
                                      GAsyncResult       *result,
                                      GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ladle_oauth2_client_refresh_async:
 * @refresh_token: (nullable): the refresh token; the cached token's when %NULL
 *
 * Refreshes a token (grant_type=refresh_token), with no fallback to the grant.
 */
void
ladle_oauth2_client_refresh_async (LadleOauth2Client       *self,
                                   const LadleOauth2Config *config,
                                   const char              *refresh_token,
                                   GCancellable            *cancellable,
                                   GAsyncReadyCallback      callback,
                                   gpointer                 user_data)
{
  GTask *task = op_task_new (self, config, cancellable, callback, user_data,
                             ladle_oauth2_client_refresh_async);
  Op *op = g_task_get_task_data (task);
  LadleOauth2Token *cached = g_hash_table_lookup (self->cache, op->cache_key);

  op->refresh_only = TRUE;
  op->refresh_token = g_strdup (refresh_token != NULL ? refresh_token
                                : cached != NULL ? cached->refresh_token : NULL);
  if (op->refresh_token == NULL)
    {
      g_task_return_error (task, ladle_error_new_form (LADLE_ERROR_INVALID_ARGUMENT,
                                                       "oauth2-missing", "refresh_token", NULL));
      g_object_unref (task);
      return;
    }
  start_refresh (task);
}

LadleOauth2Token *
ladle_oauth2_client_refresh_finish (LadleOauth2Client  *self,
                                    GAsyncResult       *result,
                                    GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
