/* test-oauth2.c
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

#include <string.h>

#include <json-glib/json-glib.h>

#include "ladle-error.h"
#include "ladle-json.h"
#include "ladle-jwt.h"
#include "ladle-oauth2-private.h"
#include "ladle-oauth2.h"
#include "ladle-server.h"
#include "ladle-test-utils.h"

/* Ladle's OAuth 2.0 client against Ladle's own provider, in this process: the provider on the
 * server's thread, the client on the test's main context, and the "browser" on a thread of its
 * own (it must not block the loopback listener it is redirected to). */

static LadleServer *server;
static char *base;
static char *tmpdir;

typedef enum
{
  BROWSER_APPROVE,
  BROWSER_DENY,
  BROWSER_FORGE_STATE,
  BROWSER_NOTHING,
} BrowserMode;

typedef struct
{
  BrowserMode  mode;
  char        *uri;
  GThread     *thread;
  guint        final_status;   /* atomic */
  char        *final_body;
} Browser;

/* ------------------------------------------------------------------------------------------------
 * The "browser": the consent page, as a person would use it
 */

static GBytes *
browse (SoupSession *session,
        const char  *method,
        const char  *url,
        const char  *form,
        gboolean     follow,
        guint       *out_status,
        char       **out_location)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  g_assert_nonnull (msg);
  if (!follow)
    soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  if (form != NULL)
    {
      g_autoptr(GBytes) body = g_bytes_new (form, strlen (form));

      soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", body);
    }
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *out_status = soup_message_get_status (msg);
  if (out_location != NULL)
    *out_location = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                            "Location"));
  return bytes;
}

static gpointer
browser_thread (gpointer data)
{
  Browser *browser = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GBytes) page = NULL;
  g_autoptr(GBytes) last = NULL;
  GString *form = g_string_new (NULL);
  const char *html, *p;
  guint status = 0;

  g_main_context_push_thread_default (context);
  session = soup_session_new ();

  if (browser->mode == BROWSER_FORGE_STATE)
    {
      g_autofree char *url = g_strconcat (browser->uri, "&prompt=none", NULL);
      g_autofree char *location = NULL;
      g_autoptr(GUri) uri = NULL;
      g_autoptr(GHashTable) params = NULL;
      g_autofree char *forged = NULL;
      g_autofree char *callback = NULL;

      page = browse (session, "GET", url, NULL, FALSE, &status, &location);
      g_assert_cmpuint (status, ==, 302);
      uri = g_uri_parse (location, G_URI_FLAGS_ENCODED, NULL);
      params = ladle_form_decode (g_uri_get_query (uri), -1, NULL);
      forged = ladle_form_encode ("code", g_hash_table_lookup (params, "code"),
                                  "state", "forged-state", NULL);
      callback = g_strdup_printf ("http://127.0.0.1:%d%s?%s", g_uri_get_port (uri),
                                  g_uri_get_path (uri), forged);
      last = browse (session, "GET", callback, NULL, TRUE, &status, NULL);
    }
  else
    {
      page = browse (session, "GET", browser->uri, NULL, TRUE, &status, NULL);
      g_assert_cmpuint (status, ==, 200);
      html = g_bytes_get_data (page, NULL);
      for (p = strstr (html, "type=\"hidden\""); p != NULL; p = strstr (p + 1, "type=\"hidden\""))
        {
          const char *name = strstr (p, "name=\"") + 6;
          const char *value = strstr (p, "value=\"") + 7;
          g_autofree char *n = g_strndup (name, strchr (name, '"') - name);
          g_autofree char *v = g_strndup (value, strchr (value, '"') - value);

          ladle_form_append (form, n, v);
        }
      ladle_form_append (form, "decision", browser->mode == BROWSER_APPROVE ? "approve" : "deny");
      {
        g_autofree char *action = g_strconcat (base, "/oauth/authorize", NULL);

        /* The provider's 302 takes the browser to Ladle's loopback listener */
        last = browse (session, "POST", action, form->str, TRUE, &status, NULL);
      }
    }
  browser->final_body = g_strndup (g_bytes_get_data (last, NULL), g_bytes_get_size (last));
  g_atomic_int_set (&browser->final_status, status);
  g_string_free (form, TRUE);
  g_clear_object (&session);
  g_main_context_pop_thread_default (context);
  return NULL;
}

static void
open_uri (const char *uri,
          gpointer    user_data)
{
  Browser *browser = user_data;

  g_assert_null (browser->thread);
  browser->uri = g_strdup (uri);
  if (browser->mode != BROWSER_NOTHING)
    browser->thread = g_thread_new ("browser", browser_thread, browser);
}

static void
browser_clear (Browser *browser)
{
  if (browser->thread != NULL)
    g_thread_join (browser->thread);
  g_free (browser->uri);
  g_free (browser->final_body);
}

/* ------------------------------------------------------------------------------------------------
 * Helpers
 */

static LadleOauth2Config *
config_new (LadleOauth2Grant grant)
{
  LadleOauth2Config *config = ladle_oauth2_config_new (grant);

  config->authorization_url = g_strconcat (base, "/oauth/authorize", NULL);
  config->token_url = g_strconcat (base, "/oauth/token", NULL);
  config->device_url = g_strconcat (base, "/oauth/device_authorization?interval=1", NULL);
  config->client_id = g_strdup ("ladle-test");
  return config;
}

static LadleOauth2Token *
get_token (LadleOauth2Client       *client,
           const LadleOauth2Config *config,
           gboolean                 force_new,
           GError                 **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ladle_oauth2_client_get_token_async (client, config, force_new, NULL, ladle_test_async_done,
                                       &result);
  LADLE_TEST_WAIT_UNTIL (result != NULL, 30000);
  return ladle_oauth2_client_get_token_finish (client, result, error);
}

static void
assert_form (const GError *error,
             const char   *kind,
             const char   *arg1,
             const char   *arg2)
{
  const char * const *form = ladle_error_get_form (error);
  g_autofree char *words = NULL;

  g_assert_nonnull (error);
  if (form == NULL)
    g_error ("no form: %s", error->message);
  g_assert_cmpstr (form[0], ==, kind);
  if (arg1 != NULL)
    g_assert_cmpstr (form[1], ==, arg1);
  if (arg2 != NULL)
    g_assert_cmpstr (form[2], ==, arg2);
  /* The form words the message again */
  words = ladle_error_format_form (form);
  g_assert_cmpstr (words, ==, error->message);
}

static JsonObject *
fetch_jwks (void)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (base, "/oauth/jwks", NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) node = NULL;
  guint status;

  bytes = ladle_test_fetch (session, "GET", url, NULL, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  node = ladle_json_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL);
  return json_object_ref (json_node_get_object (node));
}

/* ------------------------------------------------------------------------------------------------
 * Tests
 */

static void
test_client_credentials (void)
{
  g_autoptr(LadleOauth2Client) client = ladle_oauth2_client_new (NULL);
  g_autoptr(LadleOauth2Config) config = config_new (LADLE_OAUTH2_GRANT_CLIENT_CREDENTIALS);
  g_autoptr(LadleOauth2Token) token = NULL;
  g_autoptr(LadleOauth2Token) again = NULL;
  g_autoptr(LadleOauth2Token) fresh = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *authorization = NULL;

  config->client_secret = g_strdup ("secret");
  config->scope = g_strdup ("read write");
  for (guint i = 0; i < 2; i++)
    {
      config->client_auth = i == 0 ? LADLE_OAUTH2_CLIENT_AUTH_BASIC : LADLE_OAUTH2_CLIENT_AUTH_BODY;
      g_clear_pointer (&token, ladle_oauth2_token_free);
      token = get_token (client, config, FALSE, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (token->token_type, ==, "Bearer");
      g_assert_cmpstr (token->scope, ==, "read write");
      g_assert_null (token->refresh_token);
      g_assert_cmpint (token->expires_at - token->obtained_at, ==, (gint64) 3600 * G_USEC_PER_SEC);
    }

  /* Cached: the same token again, until asked for a new one */
  again = get_token (client, config, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->access_token, ==, token->access_token);
  fresh = get_token (client, config, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fresh->access_token, !=, token->access_token);
  authorization = ladle_oauth2_token_dup_authorization (fresh);
  g_assert_true (g_str_has_prefix (authorization, "Bearer at-"));

  /* The provider's error, verbatim */
  g_free (config->client_secret);
  config->client_secret = g_strdup ("wrong");
  g_assert_null (get_token (client, config, FALSE, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_FAILED);
  assert_form (error, "oauth2-error", "invalid_client",
               "Client authentication failed (wrong client secret)");
  g_assert_nonnull (strstr (error->message, "invalid_client"));
}

static void
test_password (void)
{
  g_autoptr(LadleOauth2Client) client = ladle_oauth2_client_new (NULL);
  g_autoptr(LadleOauth2Config) config = config_new (LADLE_OAUTH2_GRANT_PASSWORD);
  g_autoptr(LadleOauth2Token) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) jwks = fetch_jwks ();

  config->username = g_strdup ("user");
  config->password = g_strdup ("passwd");
  config->scope = g_strdup ("openid email");
  token = get_token (client, config, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token->refresh_token);
  g_assert_true (ladle_jwt_verify (token->id_token, jwks, NULL, &error));
  g_assert_no_error (error);

  g_free (config->password);
  config->password = g_strdup ("nope");
  g_assert_null (get_token (client, config, FALSE, &error));
  assert_form (error, "oauth2-error", "invalid_grant", "Wrong username or password");
}

static void
run_authorization_code (BrowserMode        mode,
                        LadleOauth2Token **out_token,
                        GError           **error,
                        Browser           *browser)
{
  g_autoptr(LadleOauth2Client) client = ladle_oauth2_client_new (NULL);
  g_autoptr(LadleOauth2Config) config = config_new (LADLE_OAUTH2_GRANT_AUTHORIZATION_CODE);

  config->scope = g_strdup ("openid profile");
  browser->mode = mode;
  ladle_oauth2_client_set_open_uri_func (client, open_uri, browser, NULL);
  if (mode == BROWSER_NOTHING)
    ladle_oauth2_client_set_callback_timeout (client, 1);
  *out_token = get_token (client, config, FALSE, error);
}

static void
test_authorization_code (void)
{
  Browser browser = { 0 };
  g_autoptr(LadleOauth2Token) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) jwks = fetch_jwks ();
  g_autoptr(JsonObject) claims = NULL;

  run_authorization_code (BROWSER_APPROVE, &token, &error, &browser);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  g_assert_nonnull (strstr (browser.uri, "code_challenge_method=S256"));
  g_assert_nonnull (strstr (browser.uri, "redirect_uri=http%3A%2F%2F127.0.0.1%3A"));
  g_assert_true (ladle_jwt_verify (token->id_token, jwks, &claims, &error));
  g_assert_cmpstr (json_object_get_string_member (claims, "aud"), ==, "ladle-test");
  /* OpenID Connect: a nonce was sent, and came back (the client checked it) */
  {
    g_autoptr(JsonObject) shown = ladle_oauth2_token_dup_id_claims (token, &error);
    g_autoptr(GUri) uri = g_uri_parse (browser.uri, G_URI_FLAGS_ENCODED, NULL);
    g_autoptr(GHashTable) params = ladle_form_decode (g_uri_get_query (uri), -1, NULL);

    g_assert_no_error (error);
    g_assert_nonnull (g_hash_table_lookup (params, "nonce"));
    g_assert_cmpstr (json_object_get_string_member (shown, "nonce"), ==,
                     g_hash_table_lookup (params, "nonce"));
  }
  LADLE_TEST_WAIT_UNTIL (g_atomic_int_get (&browser.final_status) != 0, 10000);
  g_assert_cmpuint (browser.final_status, ==, 200);
  browser_clear (&browser);
}

static void
test_authorization_denied (void)
{
  Browser browser = { 0 };
  g_autoptr(LadleOauth2Token) token = NULL;
  g_autoptr(GError) error = NULL;

  run_authorization_code (BROWSER_DENY, &token, &error, &browser);
  g_assert_null (token);
  assert_form (error, "oauth2-redirect-error", "access_denied", "The user denied the request");
  LADLE_TEST_WAIT_UNTIL (g_atomic_int_get (&browser.final_status) != 0, 10000);
  g_assert_cmpuint (browser.final_status, ==, 400);
  browser_clear (&browser);
}

static void
test_wrong_state (void)
{
  Browser browser = { 0 };
  g_autoptr(LadleOauth2Token) token = NULL;
  g_autoptr(GError) error = NULL;

  run_authorization_code (BROWSER_FORGE_STATE, &token, &error, &browser);
  g_assert_null (token);
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
  assert_form (error, "oauth2-state", NULL, NULL);
  LADLE_TEST_WAIT_UNTIL (g_atomic_int_get (&browser.final_status) != 0, 10000);
  g_assert_cmpuint (browser.final_status, ==, 400);
  g_assert_nonnull (strstr (browser.final_body, "state"));
  browser_clear (&browser);
}

/* A provider that answers with an ID token for another nonce */
static void
replay_handler (SoupServer        *soup,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  if (g_str_equal (path, "/authorize"))
    {
      g_autoptr(GHashTable) params = ladle_form_decode (g_uri_get_query (soup_server_message_get_uri (msg)),
                                                        -1, NULL);
      g_autofree char *tail = ladle_form_encode ("code", "c", "state",
                                                 g_hash_table_lookup (params, "state"), NULL);
      g_autofree char *location = g_strconcat (g_hash_table_lookup (params, "redirect_uri"), "?",
                                               tail, NULL);

      soup_server_message_set_redirect (msg, 302, location);
      return;
    }
  {
    const char *claims = "{\"sub\":\"user\",\"nonce\":\"an-old-nonce\"}";
    g_autofree char *payload = ladle_base64url_encode ((const guint8 *) claims, strlen (claims));
    g_autofree char *answer = g_strdup_printf ("{\"access_token\":\"a\",\"token_type\":"
                                               "\"Bearer\",\"id_token\":\"eyJhbGciOiJub25lIn0."
                                               "%s.\"}", payload);

    soup_server_message_set_status (msg, 200, NULL);
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, answer,
                                      strlen (answer));
  }
}

static void
replay_setup (SoupServer *soup,
              gpointer    user_data)
{
  soup_server_add_handler (soup, NULL, replay_handler, NULL, NULL);
}

static gpointer
follow_thread (gpointer data)
{
  Browser *browser = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GBytes) last = NULL;
  guint status = 0;

  g_main_context_push_thread_default (context);
  session = soup_session_new ();
  last = browse (session, "GET", browser->uri, NULL, TRUE, &status, NULL);
  g_atomic_int_set (&browser->final_status, status);
  g_clear_object (&session);
  g_main_context_pop_thread_default (context);
  return NULL;
}

static void
open_uri_follow (const char *uri,
                 gpointer    user_data)
{
  Browser *browser = user_data;

  browser->uri = g_strdup (uri);
  browser->thread = g_thread_new ("browser", follow_thread, browser);
}

static void
test_wrong_nonce (void)
{
  g_autoptr(LadleTestServer) fake = ladle_test_server_new (replay_setup, NULL);
  g_autoptr(LadleOauth2Client) client = ladle_oauth2_client_new (NULL);
  g_autoptr(LadleOauth2Config) config = config_new (LADLE_OAUTH2_GRANT_AUTHORIZATION_CODE);
  g_autoptr(LadleOauth2Token) token = NULL;
  g_autoptr(GError) error = NULL;
  Browser browser = { 0 };

  g_free (config->authorization_url);
  config->authorization_url = g_strconcat (ladle_test_server_get_url (fake), "/authorize", NULL);
  g_free (config->token_url);
  config->token_url = g_strconcat (ladle_test_server_get_url (fake), "/token", NULL);
  config->scope = g_strdup ("openid");
  ladle_oauth2_client_set_open_uri_func (client, open_uri_follow, &browser, NULL);
  token = get_token (client, config, FALSE, &error);
  g_assert_null (token);
  assert_form (error, "oauth2-nonce", NULL, NULL);
  g_assert_null (ladle_oauth2_client_lookup (client, config));
  browser_clear (&browser);
  g_assert_cmpuint (browser.final_status, ==, 200);
}

static void
test_callback_timeout (void)
{
  Browser browser = { 0 };
  g_autoptr(LadleOauth2Token) token = NULL;
  g_autoptr(GError) error = NULL;

  run_authorization_code (BROWSER_NOTHING, &token, &error, &browser);
  g_assert_null (token);
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_TIMED_OUT);
  assert_form (error, "oauth2-callback-timeout", "1", NULL);
  browser_clear (&browser);
}

static void
test_refresh (void)
{
  g_autoptr(LadleOauth2Client) client = ladle_oauth2_client_new (NULL);
  g_autoptr(LadleOauth2Config) config = config_new (LADLE_OAUTH2_GRANT_PASSWORD);
  g_autoptr(LadleOauth2Token) first = NULL;
  g_autoptr(LadleOauth2Token) second = NULL;
  g_autoptr(LadleOauth2Token) cached = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  g_free (config->token_url);
  config->token_url = g_strconcat (base, "/oauth/token?expires_in=1", NULL);
  config->username = g_strdup ("user");
  config->password = g_strdup ("passwd");
  first = get_token (client, config, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (first->expires_at - first->obtained_at, ==, G_USEC_PER_SEC);

  LADLE_TEST_WAIT_UNTIL (ladle_oauth2_token_is_expired (first, g_get_real_time ()), 5000);
  /* Expired: refreshed with its refresh token (which rotates) */
  second = get_token (client, config, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (second->access_token, !=, first->access_token);
  g_assert_nonnull (second->refresh_token);
  g_assert_cmpstr (second->refresh_token, !=, first->refresh_token);
  cached = ladle_oauth2_client_lookup (client, config);
  g_assert_cmpstr (cached->access_token, ==, second->access_token);

  /* The spent refresh token, explicitly: the provider's refusal verbatim */
  ladle_oauth2_client_refresh_async (client, config, first->refresh_token, NULL,
                                     ladle_test_async_done, &result);
  LADLE_TEST_WAIT_UNTIL (result != NULL, 10000);
  g_assert_null (ladle_oauth2_client_refresh_finish (client, result, &error));
  assert_form (error, "oauth2-error", "invalid_grant", NULL);
  g_clear_error (&error);

  ladle_oauth2_client_forget (client, config);
  g_assert_null (ladle_oauth2_client_lookup (client, config));
}

static void
approve_device (const LadleOauth2DeviceCode *code,
                gpointer                     user_data)
{
  const char *decision = user_data;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *form = ladle_form_encode ("user_code", code->user_code, "decision", decision,
                                             NULL);
  g_autofree char *url = g_strconcat (base, "/oauth/device", NULL);
  g_autoptr(GBytes) body = g_bytes_new (form, strlen (form));
  g_autoptr(GBytes) page = NULL;
  guint status;

  g_assert_true (g_str_has_prefix (code->verification_uri, base));
  g_assert_nonnull (code->verification_uri_complete);
  /* The provider runs on its own thread: a blocking request is fine here */
  page = ladle_test_fetch (session, "POST", url, "application/x-www-form-urlencoded", body,
                           &status, NULL);
  g_assert_cmpuint (status, ==, 200);
}

static void
test_device (void)
{
  g_autoptr(LadleOauth2Client) client = ladle_oauth2_client_new (NULL);
  g_autoptr(LadleOauth2Config) config = config_new (LADLE_OAUTH2_GRANT_DEVICE_CODE);
  g_autoptr(LadleOauth2Token) token = NULL;
  g_autoptr(GError) error = NULL;

  config->scope = g_strdup ("openid");
  ladle_oauth2_client_set_device_func (client, approve_device, (gpointer) "approve", NULL);
  token = get_token (client, config, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token->id_token);
  g_assert_cmpstr (token->scope, ==, "openid");

  ladle_oauth2_client_set_device_func (client, approve_device, (gpointer) "deny", NULL);
  g_assert_null (get_token (client, config, TRUE, &error));
  assert_form (error, "oauth2-error", "access_denied", "The user denied the request");
}

static void
note_device (const LadleOauth2DeviceCode *code,
             gpointer                     user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
note_uri (const char *uri,
          gpointer    user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* Cancelled while waiting (for the user, for the browser): at once, not at the next poll */
static void
test_cancel_waiting (void)
{
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(LadleOauth2Client) client = ladle_oauth2_client_new (NULL);
      g_autoptr(LadleOauth2Config) config = config_new (i == 0 ? LADLE_OAUTH2_GRANT_DEVICE_CODE
                                                                : LADLE_OAUTH2_GRANT_AUTHORIZATION_CODE);
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      gboolean asked = FALSE;
      gint64 start;

      g_free (config->device_url);
      config->device_url = g_strconcat (base, "/oauth/device_authorization?interval=30", NULL);
      ladle_oauth2_client_set_device_func (client, note_device, &asked, NULL);
      ladle_oauth2_client_set_open_uri_func (client, note_uri, &asked, NULL);
      ladle_oauth2_client_get_token_async (client, config, FALSE, cancellable,
                                           ladle_test_async_done, &result);
      LADLE_TEST_WAIT_UNTIL (asked, 10000);
      start = g_get_monotonic_time ();
      g_cancellable_cancel (cancellable);
      LADLE_TEST_WAIT_UNTIL (result != NULL, 5000);
      g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
      g_assert_null (ladle_oauth2_client_get_token_finish (client, result, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    }
}

/* A device flow server that asks to slow down once: the client must wait 5 s more (RFC 8628 §3.5).
 * Polls' times are recorded on the server's thread. */
typedef struct
{
  GMutex  mutex;
  gint64  polls[4];
  guint   n_polls;
} SlowDown;

static void
slow_down_handler (SoupServer        *soup,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  SlowDown *sd = user_data;
  const char *answer;
  guint n;

  if (g_str_equal (path, "/device"))
    answer = "{\"device_code\":\"d\",\"user_code\":\"U\",\"verification_uri\":"
             "\"http://127.0.0.1/\",\"expires_in\":60,\"interval\":0}";
  else
    {
      g_mutex_lock (&sd->mutex);
      n = sd->n_polls;
      if (n < G_N_ELEMENTS (sd->polls))
        sd->polls[sd->n_polls++] = g_get_monotonic_time ();
      g_mutex_unlock (&sd->mutex);
      answer = n == 0 ? "{\"error\":\"authorization_pending\"}"
             : n == 1 ? "{\"error\":\"slow_down\"}"
             : "{\"access_token\":\"done\",\"token_type\":\"Bearer\"}";
      soup_server_message_set_status (msg, n < 2 ? 400 : 200, NULL);
    }
  if (soup_server_message_get_status (msg) == 0)
    soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, answer,
                                    strlen (answer));
}

static void
slow_down_setup (SoupServer *soup,
                 gpointer    user_data)
{
  soup_server_add_handler (soup, NULL, slow_down_handler, user_data, NULL);
}

static void
test_slow_down (void)
{
  SlowDown sd = { 0 };
  g_autoptr(LadleTestServer) fake = NULL;
  g_autoptr(LadleOauth2Client) client = ladle_oauth2_client_new (NULL);
  g_autoptr(LadleOauth2Config) config = config_new (LADLE_OAUTH2_GRANT_DEVICE_CODE);
  g_autoptr(LadleOauth2Token) token = NULL;
  g_autoptr(GError) error = NULL;

  g_mutex_init (&sd.mutex);
  fake = ladle_test_server_new (slow_down_setup, &sd);
  g_free (config->device_url);
  config->device_url = g_strconcat (ladle_test_server_get_url (fake), "/device", NULL);
  g_free (config->token_url);
  config->token_url = g_strconcat (ladle_test_server_get_url (fake), "/token", NULL);
  token = get_token (client, config, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token->access_token, ==, "done");
  g_assert_cmpuint (sd.n_polls, ==, 3);
  /* interval 0: the pending poll is repeated soon; after slow_down, 5 s later */
  g_assert_cmpint (sd.polls[1] - sd.polls[0], <, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (sd.polls[2] - sd.polls[1], >=, 5 * G_USEC_PER_SEC - 100000);
  g_clear_pointer (&fake, ladle_test_server_free);
  g_mutex_clear (&sd.mutex);
}

static void
test_not_json (void)
{
  LadleTestCanned *canned = ladle_test_canned_new ("HTTP/1.1 200 OK\r\n"
                                                   "Content-Type: text/html\r\n"
                                                   "Content-Length: 14\r\n"
                                                   "Connection: close\r\n\r\n"
                                                   "<html>hi</html", FALSE);
  g_autoptr(LadleOauth2Client) client = ladle_oauth2_client_new (NULL);
  g_autoptr(LadleOauth2Config) config = config_new (LADLE_OAUTH2_GRANT_CLIENT_CREDENTIALS);
  g_autoptr(GError) error = NULL;

  g_free (config->token_url);
  config->token_url = g_strdup (ladle_test_canned_get_url (canned));
  config->client_secret = g_strdup ("s3cret-value");
  g_assert_null (get_token (client, config, FALSE, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  assert_form (error, "oauth2-not-json", "200", "text/html");
  ladle_test_canned_free (canned);
}

/* A token endpoint that redirects elsewhere: the secret is not sent on, the redirect is the answer */
static void
test_no_redirect (void)
{
  LadleTestRawListener *elsewhere = ladle_test_raw_listener_new ();
  g_autofree char *target = ladle_test_raw_listener_dup_url (elsewhere, "/token");
  g_autofree char *answer = g_strdup_printf ("HTTP/1.1 307 Temporary Redirect\r\n"
                                             "Location: %s\r\nContent-Length: 0\r\n"
                                             "Connection: close\r\n\r\n", target);
  LadleTestCanned *canned = ladle_test_canned_new (answer, FALSE);
  g_autoptr(LadleOauth2Client) client = ladle_oauth2_client_new (NULL);
  g_autoptr(LadleOauth2Config) config = config_new (LADLE_OAUTH2_GRANT_CLIENT_CREDENTIALS);
  g_autoptr(GError) error = NULL;

  g_free (config->token_url);
  config->token_url = g_strdup (ladle_test_canned_get_url (canned));
  config->client_secret = g_strdup ("s3cret-value");
  g_assert_null (get_token (client, config, FALSE, &error));
  assert_form (error, "oauth2-not-json", "307", "-");
  ladle_test_raw_listener_poll (elsewhere);
  g_assert_cmpuint (elsewhere->received->len, ==, 0);
  ladle_test_canned_free (canned);
  ladle_test_raw_listener_free (elsewhere);
}

static char *
strip_trailing_slash (const char *url)
{
  char *copy = g_strdup (url);

  if (g_str_has_suffix (copy, "/"))
    copy[strlen (copy) - 1] = '\0';
  return copy;
}

static LadleOauth2Config *
discover (LadleOauth2Client       *client,
          const LadleOauth2Config *config,
          const char              *issuer,
          GError                 **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ladle_oauth2_client_discover_async (client, config, issuer, NULL, ladle_test_async_done,
                                      &result);
  LADLE_TEST_WAIT_UNTIL (result != NULL, 10000);
  return ladle_oauth2_client_discover_finish (client, result, error);
}

static void
test_discovery (void)
{
  g_autoptr(LadleOauth2Client) client = ladle_oauth2_client_new (NULL);
  g_autoptr(LadleOauth2Config) bare = ladle_oauth2_config_new (LADLE_OAUTH2_GRANT_PASSWORD);
  g_autoptr(LadleOauth2Config) found = NULL;
  g_autoptr(LadleOauth2Config) again = NULL;
  g_autoptr(LadleOauth2Token) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token_url = g_strconcat (base, "/oauth/token", NULL);
  g_autofree char *slash = g_strconcat (base, "/", NULL);
  g_autofree char *document = g_strconcat (base, "/.well-known/openid-configuration", NULL);
  g_autofree char *localhost = g_strdup_printf ("http://localhost:%u",
                                                ladle_server_get_bound_port (server));
  LadleTestCanned *canned = ladle_test_canned_new ("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                                                   "Content-Length: 2\r\nConnection: close\r\n"
                                                   "\r\nhi", FALSE);

  bare->client_id = g_strdup ("disco");
  bare->username = g_strdup ("user");
  bare->password = g_strdup ("passwd");
  found = discover (client, bare, slash, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->token_url, ==, token_url);
  g_assert_true (g_str_has_suffix (found->authorization_url, "/oauth/authorize"));
  g_assert_true (g_str_has_suffix (found->device_url, "/oauth/device_authorization"));
  token = get_token (client, found, FALSE, &error);
  g_assert_no_error (error);

  /* A URL already set is kept; the document's own URL works too */
  g_free (bare->token_url);
  bare->token_url = g_strdup ("http://127.0.0.1:1/elsewhere");
  again = discover (client, bare, document, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->token_url, ==, "http://127.0.0.1:1/elsewhere");

  /* The provider's issuer is the address it was asked at */
  g_clear_pointer (&again, ladle_oauth2_config_free);
  again = discover (client, bare, localhost, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (again->device_url, localhost));

  /* A document that names another issuer */
  {
    LadleTestCanned *other = ladle_test_canned_new ("HTTP/1.1 200 OK\r\n"
                                                    "Content-Type: application/json\r\n"
                                                    "Content-Length: 32\r\nConnection: close\r\n"
                                                    "\r\n{\"issuer\":\"http://evil.example\"}",
                                                    FALSE);
    g_autofree char *asked = strip_trailing_slash (ladle_test_canned_get_url (other));

    g_assert_null (discover (client, bare, ladle_test_canned_get_url (other), &error));
    assert_form (error, "oauth2-issuer", asked, "http://evil.example");
    g_clear_error (&error);
    ladle_test_canned_free (other);
  }

  /* Not a discovery document */
  g_assert_null (discover (client, bare, ladle_test_canned_get_url (canned), &error));
  assert_form (error, "oauth2-discovery", NULL, "200");
  ladle_test_canned_free (canned);
}

static void
test_bad_config (void)
{
  g_autoptr(LadleOauth2Client) client = ladle_oauth2_client_new (NULL);
  g_autoptr(LadleOauth2Config) config = config_new (LADLE_OAUTH2_GRANT_CLIENT_CREDENTIALS);
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&config->token_url, g_free);
  g_assert_null (get_token (client, config, FALSE, &error));
  assert_form (error, "oauth2-missing", "token_url", NULL);
  g_clear_error (&error);
  config->token_url = g_strdup ("ftp://example/token");
  g_assert_null (get_token (client, config, FALSE, &error));
  assert_form (error, "oauth2-bad-url", "ftp://example/token", NULL);
  g_clear_error (&error);

  /* No browser to open the page with */
  config->grant = LADLE_OAUTH2_GRANT_AUTHORIZATION_CODE;
  g_free (config->token_url);
  config->token_url = g_strconcat (base, "/oauth/token", NULL);
  g_assert_null (get_token (client, config, FALSE, &error));
  assert_form (error, "oauth2-no-browser", NULL, NULL);
}

static void
test_parse_token (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LadleOauth2Token) token = NULL;
  const char *ok = "{\"access_token\":\"abc\",\"token_type\":\"bearer\",\"expires_in\":\"60\"}";
  g_autofree char *deep = NULL;
  g_autofree char *authorization = NULL;

  token = _ladle_oauth2_parse_token (200, "application/json", ok, strlen (ok), "a b", 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpint (token->expires_at, ==, 1000 + 60 * G_USEC_PER_SEC);
  g_assert_cmpstr (token->scope, ==, "a b");
  authorization = ladle_oauth2_token_dup_authorization (token);
  g_assert_cmpstr (authorization, ==, "Bearer abc");
  g_clear_pointer (&token, ladle_oauth2_token_free);

  /* A lifetime beyond any integer (a double JSON number) is clamped, not cast */
  {
    const char *huge = "{\"access_token\":\"abc\",\"expires_in\":3e60}";
    const char *negative = "{\"access_token\":\"abc\",\"expires_in\":-1.5e300}";

    token = _ladle_oauth2_parse_token (200, "application/json", huge, strlen (huge), NULL, 1000,
                                       &error);
    g_assert_no_error (error);
    g_assert_cmpint (token->expires_at, >, 1000 + 60 * G_USEC_PER_SEC);
    g_clear_pointer (&token, ladle_oauth2_token_free);
    token = _ladle_oauth2_parse_token (200, "application/json", negative, strlen (negative), NULL,
                                       1000, &error);
    g_assert_no_error (error);
    g_assert_cmpint (token->expires_at, ==, 1000);
    g_clear_pointer (&token, ladle_oauth2_token_free);
  }

  /* GitHub's form answers */
  token = _ladle_oauth2_parse_token (200, "application/x-www-form-urlencoded",
                                     "access_token=x%2By&scope=repo&token_type=bearer", 47, NULL, 0,
                                     &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token->access_token, ==, "x+y");
  g_clear_pointer (&token, ladle_oauth2_token_free);

  g_assert_null (_ladle_oauth2_parse_token (200, "application/json", "{}", 2, NULL, 0, &error));
  assert_form (error, "oauth2-no-token", NULL, NULL);
  g_clear_error (&error);
  g_assert_null (_ladle_oauth2_parse_token (502, "application/json", "{}", 2, NULL, 0, &error));
  assert_form (error, "oauth2-status", "502", NULL);
  g_clear_error (&error);
  g_assert_null (_ladle_oauth2_parse_token (400, NULL, "{\"error\":\"x\"}", 13, NULL, 0, &error));
  assert_form (error, "oauth2-error", "x", "");
  g_clear_error (&error);
  deep = g_strnfill (100000, '[');
  g_assert_null (_ladle_oauth2_parse_token (200, "application/json", deep, 100000, NULL, 0,
                                            &error));
  assert_form (error, "oauth2-not-json", "200", "application/json");
  g_clear_error (&error);
  g_assert_null (_ladle_oauth2_parse_token (200, NULL, "\0", 1, NULL, 0, &error));
  assert_form (error, "oauth2-not-json", "200", "-");
}

static void
test_redaction (void)
{
  g_autoptr(LadleOauth2Config) config = config_new (LADLE_OAUTH2_GRANT_PASSWORD);
  g_autoptr(LadleOauth2Config) other = NULL;
  LadleOauth2Token token = { (char *) "at-TOKEN-VALUE", (char *) "Bearer",
                             (char *) "rt-REFRESH", NULL, NULL, 0, 0 };
  g_autofree char *form = NULL;
  g_autofree char *auth = NULL;
  g_autofree char *text = NULL;
  g_autofree char *key = NULL;
  g_autofree char *other_key = NULL;
  g_autofree char *description = NULL;

  config->client_secret = g_strdup ("top secret");
  config->password = g_strdup ("hunter2");
  form = ladle_oauth2_redact_form ("grant_type=password&username=user&password=hunter2"
                                   "&client_secret=top+secret&code_verifier=v&scope=a");
  g_assert_cmpstr (form, ==, "grant_type=password&username=user&password=[redacted]"
                             "&client_secret=[redacted]&code_verifier=[redacted]&scope=a");
  auth = ladle_oauth2_redact_authorization ("Bearer at-TOKEN-VALUE");
  g_assert_cmpstr (auth, ==, "Bearer [redacted]");
  text = ladle_oauth2_redact_text ("secret=top%20secret pw=hunter2 Basic bGFkbGUtdGVzdDp0b3Agc2VjcmV0 "
                                   "token at-TOKEN-VALUE rt-REFRESH",
                                   config, &token);
  g_assert_null (strstr (text, "hunter2"));
  g_assert_null (strstr (text, "top"));
  g_assert_null (strstr (text, "TOKEN-VALUE"));
  g_assert_null (strstr (text, "REFRESH"));
  g_assert_null (strstr (text, "bGFkbGUtdGVzdDp0b3Agc2VjcmV0"));

  /* The cache key changes with the secret and does not hold it */
  key = ladle_oauth2_config_dup_cache_key (config);
  other = ladle_oauth2_config_copy (config);
  g_free (other->client_secret);
  other->client_secret = g_strdup ("top secreT");
  other_key = ladle_oauth2_config_dup_cache_key (other);
  g_assert_cmpstr (key, !=, other_key);
  g_assert_null (strstr (key, "secret"));

  token.expires_at = 200 * G_USEC_PER_SEC;
  token.scope = (char *) "openid";
  description = ladle_oauth2_token_describe (&token, 100 * G_USEC_PER_SEC);
  g_assert_cmpstr (description, ==, "Bearer, expires in 100 s, scope: openid, with a refresh token");
  g_assert_null (strstr (description, "REFRESH"));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  ladle_test_init (&argc, &argv);

  tmpdir = ladle_test_make_tmpdir ("oauth2-XXXXXX");
  server = ladle_server_new ();
  ladle_server_set_port (server, 0);
  ladle_server_set_host (server, "127.0.0.1");
  ladle_server_set_uploads_dir (server, tmpdir);
  g_assert_true (ladle_server_start (server, &error));
  g_assert_no_error (error);
  base = g_strdup_printf ("http://127.0.0.1:%u", ladle_server_get_bound_port (server));

  g_test_add_func ("/oauth2/client-credentials", test_client_credentials);
  g_test_add_func ("/oauth2/password", test_password);
  g_test_add_func ("/oauth2/authorization-code", test_authorization_code);
  g_test_add_func ("/oauth2/authorization-denied", test_authorization_denied);
  g_test_add_func ("/oauth2/wrong-state", test_wrong_state);
  g_test_add_func ("/oauth2/wrong-nonce", test_wrong_nonce);
  g_test_add_func ("/oauth2/callback-timeout", test_callback_timeout);
  g_test_add_func ("/oauth2/refresh", test_refresh);
  g_test_add_func ("/oauth2/device", test_device);
  g_test_add_func ("/oauth2/cancel-waiting", test_cancel_waiting);
  g_test_add_func ("/oauth2/slow-down", test_slow_down);
  g_test_add_func ("/oauth2/not-json", test_not_json);
  g_test_add_func ("/oauth2/no-redirect", test_no_redirect);
  g_test_add_func ("/oauth2/discovery", test_discovery);
  g_test_add_func ("/oauth2/bad-config", test_bad_config);
  g_test_add_func ("/oauth2/parse-token", test_parse_token);
  g_test_add_func ("/oauth2/redaction", test_redaction);
  ret = g_test_run ();

  ladle_server_stop (server);
  g_clear_object (&server);
  ladle_test_rm_rf (tmpdir);
  g_free (tmpdir);
  g_free (base);
  return ret;
}
