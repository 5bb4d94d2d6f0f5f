/* test-auth.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The Auth tab's kinds end to end through LadleHttpClient: Digest answered to Ladle's own
 * /digest-auth and to a test server's challenges (stale nonce, wrong password, a body sent again,
 * redirects), API keys in a header and in the query, and no credential of the Auth tab crossing
 * to another origin on a redirect. */

#include "config.h"

#include <string.h>

#include "ladle-error.h"
#include "ladle-exchange.h"
#include "ladle-http-client.h"
#include "ladle-server.h"
#include "ladle-test-utils.h"

typedef struct
{
  LadleServer     *server;      /* Ladle's own: /digest-auth, /headers, /get */
  LadleTestServer *a;           /* challenges and redirects */
  LadleTestServer *b;           /* another origin: echoes the headers it gets */
  LadleHttpClient *client;
  char            *base;
  char            *uploads;
  gint             n_requests;  /* to a, atomic */
} Fixture;

typedef struct
{
  LadleResponse *response;
  GError        *error;
  gboolean       done;
  char          *note;
} Result;

static void
result_clear (Result *r)
{
  g_clear_object (&r->response);
  g_clear_error (&r->error);
  g_clear_pointer (&r->note, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

/* Request headers, one "name: value" line each, names in lower case, then the body */
static void
echo_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;
  GString *out = g_string_new (NULL);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  gsize len;

  soup_message_headers_iter_init (&iter, soup_server_message_get_request_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      g_autofree char *lower = g_ascii_strdown (name, -1);

      g_string_append_printf (out, "%s: %s\n", lower, value);
    }
  g_string_append_printf (out, "body: %.*s\n", (int) g_bytes_get_size (body),
                          (const char *) g_bytes_get_data (body, NULL));
  len = out->len;
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_TAKE,
                                    g_string_free (out, FALSE), len);
}

static void
challenge (SoupServerMessage *msg,
           const char        *nonce,
           gboolean           stale)
{
  g_autofree char *value = g_strdup_printf ("Basic realm=\"t\", Digest realm=\"t\", "
                                            "nonce=\"%s\", qop=\"auth\", algorithm=SHA-256%s",
                                            nonce, stale ? ", stale=true" : "");

  soup_message_headers_append (soup_server_message_get_response_headers (msg),
                               "WWW-Authenticate", value);
  soup_server_message_set_status (msg, SOUP_STATUS_UNAUTHORIZED, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "who?", 4);
}

/* /dg?to=URL: a Digest challenge (nonce n1), then, answered, a 302 to URL or the echo.
 * /stale: n1 is stale at once; n2 is taken. /never: every answer is stale. */
static void
digest_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  Fixture *f = user_data;
  const char *authorization = soup_message_headers_get_one (
    soup_server_message_get_request_headers (msg), "Authorization");
  const char *to = query != NULL ? g_hash_table_lookup (query, "to") : NULL;

  g_atomic_int_inc (&f->n_requests);
  if (authorization == NULL || !g_str_has_prefix (authorization, "Digest ") ||
      strstr (authorization, "username=\"u\"") == NULL)
    {
      challenge (msg, "n1", FALSE);
      return;
    }
  if (g_str_equal (path, "/stale") && strstr (authorization, "nonce=\"n1\"") != NULL)
    {
      challenge (msg, "n2", TRUE);
      return;
    }
  if (g_str_equal (path, "/realm2") && strstr (authorization, "nonce=\"r2\"") == NULL)
    {
      challenge (msg, "r2", FALSE);
      return;
    }
  if (g_str_equal (path, "/never"))
    {
      challenge (msg, "n3", TRUE);
      return;
    }
  if (to != NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location",
                                    to);
      soup_server_message_set_status (msg, SOUP_STATUS_FOUND, NULL);
      return;
    }
  echo_handler (server, msg, path, query, user_data);
}

/* /redirect?to=URL */
static void
redirect_handler (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  const char *to = query != NULL ? g_hash_table_lookup (query, "to") : NULL;

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location",
                                to != NULL ? to : "/");
  soup_server_message_set_status (msg, SOUP_STATUS_TEMPORARY_REDIRECT, NULL);
}

static void
a_setup (SoupServer *server,
         gpointer    user_data)
{
  soup_server_add_handler (server, "/dg", digest_handler, user_data, NULL);
  soup_server_add_handler (server, "/stale", digest_handler, user_data, NULL);
  soup_server_add_handler (server, "/never", digest_handler, user_data, NULL);
  soup_server_add_handler (server, "/realm2", digest_handler, user_data, NULL);
  soup_server_add_handler (server, "/redirect", redirect_handler, user_data, NULL);
  soup_server_add_handler (server, "/echo", echo_handler, user_data, NULL);
}

static void
b_setup (SoupServer *server,
         gpointer    user_data)
{
  soup_server_add_handler (server, "/echo", echo_handler, user_data, NULL);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->uploads = ladle_test_make_tmpdir ("ladle-auth-XXXXXX");
  f->server = ladle_server_new ();
  ladle_server_set_port (f->server, 0);
  ladle_server_set_uploads_dir (f->server, f->uploads);
  g_assert_true (ladle_server_start (f->server, &error));
  g_assert_no_error (error);
  f->base = g_strdup_printf ("http://127.0.0.1:%u", ladle_server_get_bound_port (f->server));
  f->a = ladle_test_server_new (a_setup, f);
  f->b = ladle_test_server_new (b_setup, f);
  g_assert_cmpuint (ladle_test_server_get_port (f->a), !=, ladle_test_server_get_port (f->b));
  f->client = ladle_http_client_new ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->client);
  ladle_test_server_free (f->a);
  ladle_test_server_free (f->b);
  ladle_server_stop (f->server);
  g_clear_object (&f->server);
  ladle_test_rm_rf (f->uploads);
  g_free (f->uploads);
  g_free (f->base);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Result *r = user_data;

  r->response = ladle_http_client_send_finish (LADLE_HTTP_CLIENT (object), result, &r->error);
  r->done = TRUE;
}

static void
run (Fixture      *f,
     LadleRequest *request,
     Result       *r)
{
  g_autoptr(LadleExchange) exchange = NULL;

  exchange = g_object_ref (ladle_http_client_send_async (f->client, request, NULL, NULL, send_cb,
                                                         r));
  LADLE_TEST_WAIT_UNTIL (r->done, 30000);
  g_assert_no_error (r->error);
  g_assert_nonnull (r->response);
  r->note = g_strdup (ladle_exchange_get_redirect_note (exchange));
}

static LadleRequest *
request_new (const char *method,
             const char *url)
{
  LadleRequest *request = ladle_request_new ();

  ladle_request_set_method (request, method);
  ladle_request_set_url (request, url);
  return request;
}

static char *
server_url (Fixture         *f,
            LadleTestServer *server,
            const char      *path)
{
  return g_strdup_printf ("http://127.0.0.1:%u%s", ladle_test_server_get_port (server), path);
}

static char *
body_text (LadleResponse *response)
{
  GBytes *bytes = ladle_response_get_body_bytes (response);

  g_assert_nonnull (bytes);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
set_oauth2 (Fixture      *f,
            LadleRequest *request,
            const char   *secret)
{
  g_autofree char *token_url = g_strconcat (f->base, "/oauth/token", NULL);

  ladle_request_set_oauth2_grant (request, LADLE_OAUTH2_GRANT_CLIENT_CREDENTIALS);
  ladle_request_set_oauth2_token_url (request, token_url);
  ladle_request_set_oauth2_client_id (request, "ladle-tests");
  ladle_request_set_oauth2_client_secret (request, secret);
  ladle_request_set_oauth2_scope (request, "read");
}

static void
set_digest (LadleRequest *request,
            const char   *user,
            const char   *password)
{
  ladle_request_set_auth_kind (request, LADLE_AUTH_DIGEST);
  ladle_request_set_auth_username (request, user);
  ladle_request_set_auth_password (request, password);
}

/* Ladle's own /digest-auth, as httpbin's: qop auth and auth-int, MD5 and SHA-256 */
static void
test_digest_ladle_server (Fixture       *f,
                          gconstpointer  data)
{
  static const char * const paths[] = {
    "/digest-auth/auth/u/p", "/digest-auth/auth-int/u/p", "/digest-auth/auth/u/p/SHA-256",
    "/digest-auth/auth-int/u/p/SHA-256", "/digest-auth/auth/u/p/MD5", "/digest-auth/x/u/p/SHA-512",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *url = g_strconcat (f->base, paths[i], NULL);
      g_autoptr(LadleRequest) request = request_new ("GET", url);
      g_autoptr(LadleRequest) wrong = request_new ("GET", url);
      g_auto(Result) r = { 0, };
      g_auto(Result) r2 = { 0, };
      g_autofree char *text = NULL;

      g_test_message ("%s", paths[i]);
      set_digest (request, "u", "p");
      run (f, request, &r);
      text = body_text (r.response);
      g_assert_cmpuint (ladle_response_get_status (r.response), ==, 200);
      g_assert_nonnull (strstr (text, "\"authenticated\""));
      g_assert_cmpuint (ladle_response_get_n_redirects (r.response), ==, 1);
      g_assert_cmpuint (ladle_response_get_redirect_status (r.response, 0), ==, 401);
      g_assert_null (r.note);

      /* A wrong password: the server's 401 after one answer, and a note */
      set_digest (wrong, "u", "wrong");
      run (f, wrong, &r2);
      g_assert_cmpuint (ladle_response_get_status (r2.response), ==, 401);
      g_assert_cmpuint (ladle_response_get_n_redirects (r2.response), ==, 1);
      g_assert_nonnull (r2.note);
      g_assert_nonnull (strstr (r2.note, "refused the Digest answer"));
    }
}

static void
test_digest_stale_and_body (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *stale_url = server_url (f, f->a, "/stale");
  g_autofree char *never_url = server_url (f, f->a, "/never");
  g_autoptr(LadleRequest) stale = request_new ("POST", stale_url);
  g_autoptr(LadleRequest) never = request_new ("GET", never_url);
  g_auto(Result) r = { 0, };
  g_auto(Result) r2 = { 0, };
  g_autofree char *text = NULL;

  /* A stale nonce is answered once more with the new one; the body goes each time */
  set_digest (stale, "u", "p");
  ladle_request_set_body_kind (stale, LADLE_BODY_TEXT);
  ladle_request_set_body_text (stale, "the body");
  g_atomic_int_set (&f->n_requests, 0);
  run (f, stale, &r);
  g_assert_cmpuint (ladle_response_get_status (r.response), ==, 200);
  g_assert_cmpint (g_atomic_int_get (&f->n_requests), ==, 3);
  g_assert_cmpuint (ladle_response_get_n_redirects (r.response), ==, 2);
  text = body_text (r.response);
  g_assert_nonnull (strstr (text, "nonce=\"n2\""));
  g_assert_nonnull (strstr (text, "algorithm=SHA-256"));
  g_assert_nonnull (strstr (text, "nc=00000001"));
  g_assert_nonnull (strstr (text, "body: the body\n"));

  /* Stale every time: at most one retry for it, then the server's 401 */
  set_digest (never, "u", "p");
  g_atomic_int_set (&f->n_requests, 0);
  run (f, never, &r2);
  g_assert_cmpuint (ladle_response_get_status (r2.response), ==, 401);
  g_assert_cmpint (g_atomic_int_get (&f->n_requests), ==, 3);
  g_assert_nonnull (r2.note);
}

static void
test_digest_errors (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *url = g_strconcat (f->base, "/basic-auth/u/p", NULL);
  g_autoptr(LadleRequest) request = request_new ("GET", url);
  g_auto(Result) r = { 0, };

  /* Basic asked for, Digest given: the 401 stays, with why */
  set_digest (request, "u", "p");
  run (f, request, &r);
  g_assert_cmpuint (ladle_response_get_status (r.response), ==, 401);
  g_assert_cmpuint (ladle_response_get_n_redirects (r.response), ==, 0);
  g_assert_nonnull (r.note);
  g_assert_nonnull (strstr (r.note, "did not ask for Digest authentication: it offers Basic"));

  /* libsoup's SoupAuthManager does not answer with credentials in the URL: the Auth tab's
   * (wrong) password is the one tried, once, and the server's 401 stays */
  {
    g_autofree char *with_user = g_strdup_printf ("http://user:passwd@%s"
                                                  "/digest-auth/auth/user/passwd",
                                                  f->base + strlen ("http://"));
    g_autoptr(LadleRequest) in_url = request_new ("GET", with_user);
    g_auto(Result) r2 = { 0, };

    set_digest (in_url, "user", "wrong");
    run (f, in_url, &r2);
    g_assert_cmpuint (ladle_response_get_status (r2.response), ==, 401);
    g_assert_cmpuint (ladle_response_get_n_redirects (r2.response), ==, 1);
  }
}

/* After the answer, a redirect to the same origin carries an answer to the same nonce (nc 2) */
static void
test_digest_same_origin_redirect (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *url = server_url (f, f->a, "/dg?to=/dg");
  g_autoptr(LadleRequest) request = request_new ("GET", url);
  g_auto(Result) r = { 0, };
  g_autofree char *text = NULL;

  set_digest (request, "u", "p");
  g_atomic_int_set (&f->n_requests, 0);
  run (f, request, &r);
  g_assert_cmpuint (ladle_response_get_status (r.response), ==, 200);
  g_assert_cmpint (g_atomic_int_get (&f->n_requests), ==, 3);
  text = body_text (r.response);
  g_assert_nonnull (strstr (text, "nc=00000002"));

  /* Where that answer is refused (another realm, another nonce), the new challenge is answered */
  {
    g_autofree char *other_url = server_url (f, f->a, "/dg?to=/realm2");
    g_autoptr(LadleRequest) other = request_new ("GET", other_url);
    g_auto(Result) r2 = { 0, };
    g_autofree char *other_text = NULL;

    set_digest (other, "u", "p");
    g_atomic_int_set (&f->n_requests, 0);
    run (f, other, &r2);
    g_assert_cmpuint (ladle_response_get_status (r2.response), ==, 200);
    g_assert_cmpint (g_atomic_int_get (&f->n_requests), ==, 4);
    other_text = body_text (r2.response);
    g_assert_nonnull (strstr (other_text, "nonce=\"r2\""));
    g_assert_nonnull (strstr (other_text, "nc=00000001"));
  }
}

/* The rule: no Authorization (nor API key header) of the Auth tab crosses to another
 * origin on a redirect, whatever the kind. */
static void
test_no_credentials_cross_origin (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *other = server_url (f, f->b, "/echo");
  g_autofree char *escaped = g_uri_escape_string (other, NULL, FALSE);
  g_autofree char *via_redirect = g_strdup_printf ("http://127.0.0.1:%u/redirect?to=%s",
                                                   ladle_test_server_get_port (f->a), escaped);
  g_autofree char *via_digest = g_strdup_printf ("http://127.0.0.1:%u/dg?to=%s",
                                                 ladle_test_server_get_port (f->a), escaped);

  for (LadleAuthKind kind = LADLE_AUTH_BASIC; kind <= LADLE_AUTH_OAUTH2; kind++)
    {
      g_autoptr(LadleRequest) request = NULL;
      g_auto(Result) r = { 0, };
      g_autofree char *text = NULL;

      request = request_new ("GET", kind == LADLE_AUTH_DIGEST ? via_digest : via_redirect);
      set_oauth2 (f, request, "secret");
      ladle_request_set_auth_kind (request, kind);
      ladle_request_set_auth_username (request, "u");
      ladle_request_set_auth_password (request, "p");
      ladle_request_set_auth_token (request, "secret-token");
      ladle_request_set_auth_key_name (request, "X-Api-Key");
      ladle_request_set_auth_key_value (request, "secret-key");
      ladle_request_set_auth_key_in (request, LADLE_API_KEY_IN_HEADER);
      run (f, request, &r);
      g_assert_cmpuint (ladle_response_get_status (r.response), ==, 200);
      g_assert_cmpstr (ladle_response_get_final_url (r.response), ==, other);
      text = body_text (r.response);
      g_test_message ("kind %d: %s", kind, text);
      g_assert_null (strstr (text, "authorization:"));
      g_assert_null (strstr (text, "x-api-key"));
      g_assert_null (strstr (text, "secret"));
    }

  /* The same redirect within the origin keeps them (so the test above can fail) */
  {
    g_autofree char *same = server_url (f, f->a, "/redirect?to=/echo");
    g_autoptr(LadleRequest) request = request_new ("GET", same);
    g_auto(Result) r = { 0, };
    g_autofree char *text = NULL;

    ladle_request_set_auth_kind (request, LADLE_AUTH_API_KEY);
    ladle_request_set_auth_key_name (request, "X-Api-Key");
    ladle_request_set_auth_key_value (request, "secret-key");
    run (f, request, &r);
    text = body_text (r.response);
    g_assert_nonnull (strstr (text, "x-api-key: secret-key\n"));
  }
}

/* OAuth 2.0: the token comes from Ladle's own provider (client credentials) before the request
 * is sent, goes as Bearer, is cached, and the client secret stays out of the history. */
static void
test_oauth2 (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *bearer_url = g_strconcat (f->base, "/bearer", NULL);
  g_autofree char *echo_url = server_url (f, f->a, "/dg");  /* counts what reaches it */
  g_autoptr(LadleRequest) request = request_new ("GET", bearer_url);
  g_autoptr(LadleRequest) wrong = request_new ("GET", echo_url);
  g_autoptr(LadleOauth2Config) config = NULL;
  g_autoptr(LadleOauth2Token) cached = NULL;
  g_autoptr(JsonNode) history = NULL;
  g_autofree char *history_text = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;
  g_autoptr(LadleExchange) exchange = NULL;
  g_auto(Result) r = { 0, };
  g_auto(Result) r2 = { 0, };
  g_auto(Result) r3 = { 0, };

  set_oauth2 (f, request, "secret");
  ladle_request_set_auth_kind (request, LADLE_AUTH_OAUTH2);
  run (f, request, &r);
  g_assert_cmpuint (ladle_response_get_status (r.response), ==, 200);
  text = body_text (r.response);
  g_assert_nonnull (strstr (text, "\"authenticated\": true"));

  config = ladle_oauth2_config_new_from_request (request);
  cached = ladle_oauth2_client_lookup (ladle_http_client_get_oauth2_client (f->client), config);
  g_assert_nonnull (cached);
  g_assert_nonnull (strstr (text, cached->access_token));

  /* The second send uses the cached token */
  run (f, request, &r2);
  text2 = body_text (r2.response);
  g_assert_nonnull (strstr (text2, cached->access_token));

  history = ladle_request_to_json_full (request, FALSE);
  history_text = json_to_string (history, FALSE);
  g_assert_null (strstr (history_text, "\"secret\""));
  g_assert_nonnull (strstr (history_text, "oauth2_token_url"));

  /* A refused client: the token endpoint's words, and nothing reaches the request's server */
  set_oauth2 (f, wrong, "not-the-secret");
  ladle_request_set_auth_kind (wrong, LADLE_AUTH_OAUTH2);
  ladle_request_set_oauth2_client_id (wrong, "another-client");
  exchange = g_object_ref (ladle_http_client_send_async (f->client, wrong, NULL, NULL, send_cb,
                                                         &r3));
  LADLE_TEST_WAIT_UNTIL (r3.done, 30000);
  g_assert_null (r3.response);
  g_assert_nonnull (r3.error);
  g_test_message ("%s", r3.error->message);
  g_assert_nonnull (strstr (r3.error->message, "invalid_client"));
  g_assert_null (strstr (r3.error->message, "not-the-secret"));
  g_assert_cmpint (g_atomic_int_get (&f->n_requests), ==, 0);
  g_assert_cmpint (ladle_exchange_get_phase (exchange), ==, LADLE_EXCHANGE_PHASE_FAILED);
}

static void
test_api_key (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *headers_url = g_strconcat (f->base, "/headers", NULL);
  g_autofree char *get_url = g_strconcat (f->base, "/get?page=2", NULL);
  g_autoptr(LadleRequest) in_header = request_new ("GET", headers_url);
  g_autoptr(LadleRequest) in_query = request_new ("GET", get_url);
  g_autoptr(LadleKeyValue) row = ladle_key_value_new ("x-api-key", "from the table");
  g_autoptr(LadleKeyValue) param = ladle_key_value_new ("q", "1");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_auto(Result) r = { 0, };
  g_auto(Result) r2 = { 0, };
  g_autofree char *text = NULL;
  g_autofree char *effective = NULL;
  JsonObject *object;

  /* In a header: the Auth tab's key wins over a row of the same name */
  ladle_request_set_auth_kind (in_header, LADLE_AUTH_API_KEY);
  ladle_request_set_auth_key_name (in_header, "X-Api-Key");
  ladle_request_set_auth_key_value (in_header, "k3y");
  g_list_store_append (ladle_request_get_headers (in_header), row);
  run (f, in_header, &r);
  text = body_text (r.response);
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  object = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                          "headers");
  g_assert_cmpstr (json_object_get_string_member (object, "X-Api-Key"), ==, "k3y");

  /* In the query: after the parameters, percent-encoded */
  ladle_request_set_auth_kind (in_query, LADLE_AUTH_API_KEY);
  ladle_request_set_auth_key_in (in_query, LADLE_API_KEY_IN_QUERY);
  ladle_request_set_auth_key_name (in_query, "api key");
  ladle_request_set_auth_key_value (in_query, "a&b=c/é");
  g_list_store_append (ladle_request_get_params (in_query), param);
  effective = ladle_request_dup_effective_url (in_query, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (effective, "/get?page=2&q=1&api%20key=a%26b%3Dc%2F%C3%A9"));
  run (f, in_query, &r2);
  g_free (text);
  text = body_text (r2.response);
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  object = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                          "args");
  g_assert_cmpstr (json_object_get_string_member (object, "api key"), ==, "a&b=c/é");
  g_assert_cmpstr (json_object_get_string_member (object, "page"), ==, "2");
  g_assert_false (strstr (text, "X-Api-Key") != NULL);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  g_test_add ("/auth/digest/ladle-server", Fixture, NULL, fixture_setup,
              test_digest_ladle_server, fixture_teardown);
  g_test_add ("/auth/digest/stale-and-body", Fixture, NULL, fixture_setup,
              test_digest_stale_and_body, fixture_teardown);
  g_test_add ("/auth/digest/errors", Fixture, NULL, fixture_setup,
              test_digest_errors, fixture_teardown);
  g_test_add ("/auth/digest/same-origin-redirect", Fixture, NULL, fixture_setup,
              test_digest_same_origin_redirect, fixture_teardown);
  g_test_add ("/auth/no-credentials-cross-origin", Fixture, NULL, fixture_setup,
              test_no_credentials_cross_origin, fixture_teardown);
  g_test_add ("/auth/api-key", Fixture, NULL, fixture_setup, test_api_key, fixture_teardown);
  g_test_add ("/auth/oauth2", Fixture, NULL, fixture_setup, test_oauth2, fixture_teardown);

  return ladle_test_run ();
}
