/* test-oauth-provider.c
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
#include "ladle-oauth-provider.h"
#include "ladle-server.h"
#include "ladle-test-utils.h"

/* The provider inside LadleServer (its own thread), reached with blocking SoupSession calls. */

#define VERIFIER "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-this-is-long-enough"

static LadleServer *server;
static SoupSession *session;
static char *base;   /* http://127.0.0.1:PORT */
static char *tmpdir;

typedef struct
{
  guint       status;
  JsonObject *json;
  char       *body;
  char       *location;
} Answer;

static void
answer_clear (Answer *a)
{
  g_clear_pointer (&a->json, json_object_unref);
  g_clear_pointer (&a->body, g_free);
  g_clear_pointer (&a->location, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Answer, answer_clear)

/* @path may have a query; @auth "id:secret" for HTTP Basic, or NULL */
static void
request (Answer     *a,
         const char *method,
         const char *path,
         const char *content_type,
         const char *body,
         const char *auth,
         const char *bearer)
{
  g_autofree char *url = g_strconcat (base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *data;
  gsize size;

  g_assert_nonnull (msg);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  if (body != NULL)
    {
      g_autoptr(GBytes) b = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, content_type, b);
    }
  if (auth != NULL)
    {
      g_autofree char *b64 = g_base64_encode ((const guchar *) auth, strlen (auth));
      g_autofree char *value = g_strconcat ("Basic ", b64, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    value);
    }
  if (bearer != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", bearer, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    value);
    }
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  a->status = soup_message_get_status (msg);
  data = g_bytes_get_data (bytes, &size);
  a->body = g_strndup (data != NULL ? data : "", size);
  a->location = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                        "Location"));
  if (g_strcmp0 (soup_message_headers_get_content_type (soup_message_get_response_headers (msg),
                                                        NULL), "application/json") == 0)
    {
      g_autoptr(JsonNode) node = ladle_json_parse (a->body, -1, &error);

      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      a->json = json_object_ref (json_node_get_object (node));
    }
}

static void
post_form (Answer     *a,
           const char *path,
           const char *form,
           const char *auth)
{
  request (a, "POST", path, "application/x-www-form-urlencoded", form, auth, NULL);
}

static const char *
str (Answer     *a,
     const char *member)
{
  g_assert_nonnull (a->json);
  if (!json_object_has_member (a->json, member))
    return NULL;
  return json_object_get_string_member (a->json, member);
}

static void
assert_oauth_error (Answer     *a,
                    guint       status,
                    const char *error)
{
  if (a->status != status || g_strcmp0 (str (a, "error"), error) != 0)
    g_error ("expected %u %s, got %u: %s", status, error, a->status, a->body);
  g_assert_nonnull (str (a, "error_description"));
}

/* The value of @name in the query of @url */
static char *
query_param (const char *url,
             const char *name)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  g_autoptr(GHashTable) form = NULL;

  g_assert_nonnull (uri);
  form = ladle_form_decode (g_uri_get_query (uri), -1, NULL);
  g_assert_nonnull (form);
  return g_strdup (g_hash_table_lookup (form, name));
}

static char *
s256 (const char *verifier)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize len = sizeof digest;

  g_checksum_update (checksum, (const guchar *) verifier, -1);
  g_checksum_get_digest (checksum, digest, &len);
  return ladle_base64url_encode (digest, len);
}

static JsonObject *
fetch_jwks (void)
{
  g_auto(Answer) a = { 0 };

  request (&a, "GET", "/oauth/jwks", NULL, NULL, NULL, NULL);
  g_assert_cmpuint (a.status, ==, 200);
  return json_object_ref (a.json);
}

static void
test_discovery (void)
{
  g_auto(Answer) a = { 0 };
  g_autofree char *token = g_strconcat (base, "/oauth/token", NULL);

  request (&a, "GET", "/.well-known/openid-configuration", NULL, NULL, NULL, NULL);
  g_assert_cmpuint (a.status, ==, 200);
  g_assert_cmpstr (str (&a, "issuer"), ==, base);
  g_assert_cmpstr (str (&a, "token_endpoint"), ==, token);
  g_assert_true (g_str_has_suffix (str (&a, "jwks_uri"), "/oauth/jwks"));
  g_assert_true (g_str_has_suffix (str (&a, "device_authorization_endpoint"),
                                   "/oauth/device_authorization"));
}

static void
test_password_id_token (void)
{
  g_auto(Answer) a = { 0 };
  g_auto(Answer) info = { 0 };
  g_autoptr(JsonObject) jwks = fetch_jwks ();
  g_autoptr(JsonObject) claims = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tampered = NULL;
  char *dot;

  post_form (&a, "/oauth/token",
             "grant_type=password&username=user&password=passwd&scope=openid+profile"
             "&client_id=app", NULL);
  g_assert_cmpuint (a.status, ==, 200);
  g_assert_cmpstr (str (&a, "token_type"), ==, "Bearer");
  g_assert_cmpint (json_object_get_int_member (a.json, "expires_in"), ==, 3600);
  g_assert_cmpstr (str (&a, "scope"), ==, "openid profile");
  g_assert_nonnull (str (&a, "refresh_token"));

  /* The id_token verifies against the JWKS and says who and for whom */
  g_assert_true (ladle_jwt_verify (str (&a, "id_token"), jwks, &claims, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (claims, "sub"), ==, "user");
  g_assert_cmpstr (json_object_get_string_member (claims, "aud"), ==, "app");
  g_assert_cmpstr (json_object_get_string_member (claims, "iss"), ==, base);
  g_assert_cmpint (json_object_get_int_member (claims, "exp"), >,
                   g_get_real_time () / G_USEC_PER_SEC);

  /* A changed payload does not verify */
  tampered = g_strdup (str (&a, "id_token"));
  dot = strchr (tampered, '.');
  dot[2] = dot[2] == 'A' ? 'B' : 'A';
  g_assert_false (ladle_jwt_verify (tampered, jwks, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  request (&info, "GET", "/oauth/userinfo", NULL, NULL, NULL, str (&a, "access_token"));
  g_assert_cmpuint (info.status, ==, 200);
  g_assert_cmpstr (str (&info, "sub"), ==, "user");
  g_assert_cmpstr (str (&info, "preferred_username"), ==, "user");

  answer_clear (&a);
  post_form (&a, "/oauth/token",
             "grant_type=password&username=user&password=wrong&client_id=app", NULL);
  assert_oauth_error (&a, 400, "invalid_grant");
  answer_clear (&a);
  post_form (&a, "/oauth/token", "grant_type=password&username=user&client_id=app", NULL);
  assert_oauth_error (&a, 400, "invalid_request");
}

static void
test_client_credentials (void)
{
  g_auto(Answer) a = { 0 };

  post_form (&a, "/oauth/token", "grant_type=client_credentials&scope=read", "svc:secret");
  g_assert_cmpuint (a.status, ==, 200);
  g_assert_null (str (&a, "refresh_token"));
  g_assert_null (str (&a, "id_token"));
  g_assert_cmpstr (str (&a, "scope"), ==, "read");

  /* client_secret_post */
  answer_clear (&a);
  post_form (&a, "/oauth/token",
             "grant_type=client_credentials&client_id=svc&client_secret=secret", NULL);
  g_assert_cmpuint (a.status, ==, 200);

  /* Basic parts are form-encoded: "a b%3A" is the client "a b:" */
  answer_clear (&a);
  post_form (&a, "/oauth/token", "grant_type=client_credentials", "a+b%3A:secret");
  g_assert_cmpuint (a.status, ==, 200);
  /* "id:" alone is a public client: no secret, so no client_credentials, but password works */
  answer_clear (&a);
  post_form (&a, "/oauth/token", "grant_type=client_credentials", "svc:");
  assert_oauth_error (&a, 401, "invalid_client");
  answer_clear (&a);
  post_form (&a, "/oauth/token", "grant_type=password&username=user&password=passwd", "svc:");
  g_assert_cmpuint (a.status, ==, 200);
  answer_clear (&a);
  post_form (&a, "/oauth/token", "grant_type=password&client_id=other", "svc:secret");
  assert_oauth_error (&a, 400, "invalid_request");
  answer_clear (&a);
  post_form (&a, "/oauth/token", "grant_type=client_credentials", "svc:wrong");
  assert_oauth_error (&a, 401, "invalid_client");
  answer_clear (&a);
  post_form (&a, "/oauth/token", "grant_type=client_credentials&client_id=svc", NULL);
  assert_oauth_error (&a, 401, "invalid_client");
  answer_clear (&a);
  post_form (&a, "/oauth/token", "grant_type=client_credentials&client_secret=secret",
             "svc:secret");
  assert_oauth_error (&a, 400, "invalid_request");
}

/* Goes through the consent page as a browser would; returns the redirect. */
static char *
consent (const char *authorize_query,
         const char *decision)
{
  g_auto(Answer) page = { 0 };
  g_auto(Answer) post = { 0 };
  g_autofree char *path = g_strconcat ("/oauth/authorize?", authorize_query, NULL);
  g_autofree char *form = NULL;
  GString *fields = g_string_new (NULL);
  const char *p;

  request (&page, "GET", path, NULL, NULL, NULL, NULL);
  g_assert_cmpuint (page.status, ==, 200);
  g_assert_nonnull (strstr (page.body, "<form method=\"post\" action=\"/oauth/authorize\">"));
  /* The hidden fields, as the browser would post them */
  for (p = strstr (page.body, "type=\"hidden\""); p != NULL; p = strstr (p + 1, "type=\"hidden\""))
    {
      const char *name = strstr (p, "name=\"") + 6;
      const char *value = strstr (p, "value=\"") + 7;
      g_autofree char *n = g_strndup (name, strchr (name, '"') - name);
      g_autofree char *v = g_strndup (value, strchr (value, '"') - value);
      g_autofree char *unescaped = NULL;

      /* Values come back from HTML: only &amp; &quot; &lt; &gt; &#39; can occur */
      {
        g_auto(GStrv) parts = g_strsplit (v, "&amp;", -1);

        unescaped = g_strjoinv ("&", parts);
      }
      ladle_form_append (fields, n, unescaped);
    }
  ladle_form_append (fields, "decision", decision);
  form = g_string_free (fields, FALSE);
  post_form (&post, "/oauth/authorize", form, NULL);
  g_assert_cmpuint (post.status, ==, 302);
  return g_steal_pointer (&post.location);
}

static void
test_authorization_code_pkce (void)
{
  g_autofree char *challenge = s256 (VERIFIER);
  g_autofree char *query = g_strdup_printf ("response_type=code&client_id=web&redirect_uri="
                                            "http%%3A%%2F%%2F127.0.0.1%%3A9%%2Fcallback&scope=openid"
                                            "&state=xyz&nonce=n-1&code_challenge=%s"
                                            "&code_challenge_method=S256", challenge);
  g_autofree char *location = consent (query, "approve");
  g_autofree char *code = query_param (location, "code");
  g_autofree char *state = query_param (location, "state");
  g_autofree char *form = NULL;
  g_autoptr(JsonObject) jwks = fetch_jwks ();
  g_autoptr(JsonObject) claims = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Answer) a = { 0 };

  g_assert_true (g_str_has_prefix (location, "http://127.0.0.1:9/callback?"));
  g_assert_cmpstr (state, ==, "xyz");
  g_assert_nonnull (code);

  form = ladle_form_encode ("grant_type", "authorization_code", "code", code, "client_id", "web",
                            "redirect_uri", "http://127.0.0.1:9/callback", "code_verifier",
                            VERIFIER, NULL);
  post_form (&a, "/oauth/token", form, NULL);
  g_assert_cmpuint (a.status, ==, 200);
  g_assert_true (ladle_jwt_verify (str (&a, "id_token"), jwks, &claims, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (claims, "nonce"), ==, "n-1");

  /* A code is used once */
  answer_clear (&a);
  post_form (&a, "/oauth/token", form, NULL);
  assert_oauth_error (&a, 400, "invalid_grant");
}

static void
test_pkce_mismatch (void)
{
  g_autofree char *challenge = s256 (VERIFIER);
  const char *methods[] = { "S256", "plain" };

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      g_autofree char *query = g_strdup_printf ("response_type=code&client_id=web&redirect_uri="
                                                "http%%3A%%2F%%2Flocalhost%%2Fcb&state=s"
                                                "&code_challenge=%s&code_challenge_method=%s&"
                                                "prompt=none",
                                                i == 0 ? challenge : VERIFIER, methods[i]);
      g_autofree char *path = g_strconcat ("/oauth/authorize?", query, NULL);
      g_autofree char *code = NULL;
      g_autofree char *wrong = NULL;
      g_autofree char *right = NULL;
      g_autofree char *missing = NULL;
      g_auto(Answer) redirect = { 0 };
      g_auto(Answer) a = { 0 };

      request (&redirect, "GET", path, NULL, NULL, NULL, NULL);
      g_assert_cmpuint (redirect.status, ==, 302);
      code = query_param (redirect.location, "code");
      wrong = ladle_form_encode ("grant_type", "authorization_code", "code", code,
                                 "client_id", "web", "redirect_uri", "http://localhost/cb",
                                 "code_verifier", VERIFIER "x", NULL);
      post_form (&a, "/oauth/token", wrong, NULL);
      assert_oauth_error (&a, 400, "invalid_grant");
      g_assert_nonnull (strstr (str (&a, "error_description"), "PKCE"));

      /* and the code is spent by the failed attempt */
      right = ladle_form_encode ("grant_type", "authorization_code", "code", code,
                                 "client_id", "web", "redirect_uri", "http://localhost/cb",
                                 "code_verifier", VERIFIER, NULL);
      answer_clear (&a);
      post_form (&a, "/oauth/token", right, NULL);
      assert_oauth_error (&a, 400, "invalid_grant");

      /* A fresh code with no verifier at all */
      answer_clear (&redirect);
      request (&redirect, "GET", path, NULL, NULL, NULL, NULL);
      g_free (code);
      code = query_param (redirect.location, "code");
      missing = ladle_form_encode ("grant_type", "authorization_code", "code", code,
                                   "client_id", "web", "redirect_uri", "http://localhost/cb", NULL);
      answer_clear (&a);
      post_form (&a, "/oauth/token", missing, NULL);
      assert_oauth_error (&a, 400, "invalid_grant");

      /* and one that is right (plain: the verifier is the challenge) */
      answer_clear (&redirect);
      request (&redirect, "GET", path, NULL, NULL, NULL, NULL);
      g_free (code);
      code = query_param (redirect.location, "code");
      g_free (right);
      right = ladle_form_encode ("grant_type", "authorization_code", "code", code,
                                 "client_id", "web", "redirect_uri", "http://localhost/cb",
                                 "code_verifier", VERIFIER, NULL);
      answer_clear (&a);
      post_form (&a, "/oauth/token", right, NULL);
      g_assert_cmpuint (a.status, ==, 200);
    }
}

static void
test_authorize_errors (void)
{
  g_autofree char *location = consent ("response_type=code&client_id=web&redirect_uri="
                                       "http%3A%2F%2Flocalhost%2Fcb%3Fkeep%3D1&state=s%20t",
                                       "deny");
  g_autofree char *error = query_param (location, "error");
  g_autofree char *state = query_param (location, "state");
  g_autofree char *keep = query_param (location, "keep");
  g_auto(Answer) a = { 0 };

  g_assert_cmpstr (error, ==, "access_denied");
  g_assert_cmpstr (state, ==, "s t");
  g_assert_cmpstr (keep, ==, "1");

  /* No redirect to a URI that is not acceptable: a page instead */
  request (&a, "GET", "/oauth/authorize?response_type=code&client_id=web&redirect_uri="
           "javascript%3Aalert(1)", NULL, NULL, NULL, NULL);
  g_assert_cmpuint (a.status, ==, 400);
  g_assert_null (a.location);
  answer_clear (&a);
  request (&a, "GET", "/oauth/authorize?response_type=token&client_id=web&redirect_uri="
           "http%3A%2F%2Flocalhost%2Fcb&prompt=none", NULL, NULL, NULL, NULL);
  g_assert_cmpuint (a.status, ==, 302);
  g_assert_nonnull (strstr (a.location, "error=unsupported_response_type"));
  answer_clear (&a);
  request (&a, "GET", "/oauth/authorize?response_type=code&client_id=web&redirect_uri="
           "http%3A%2F%2Flocalhost%2Fcb&code_challenge=short&prompt=none",
           NULL, NULL, NULL, NULL);
  g_assert_cmpuint (a.status, ==, 302);
  g_assert_nonnull (strstr (a.location, "error=invalid_request"));
  /* Markup in parameters is escaped on the page */
  answer_clear (&a);
  request (&a, "GET", "/oauth/authorize?response_type=code&client_id=%3Cscript%3E&redirect_uri="
           "http%3A%2F%2Flocalhost%2Fcb&state=%22%3E%3Cb%3E", NULL, NULL, NULL, NULL);
  g_assert_cmpuint (a.status, ==, 200);
  g_assert_null (strstr (a.body, "<script>"));
  g_assert_nonnull (strstr (a.body, "&lt;script&gt;"));
  g_assert_null (strstr (a.body, "\"><b>"));
}

static void
test_refresh (void)
{
  g_auto(Answer) a = { 0 };
  g_auto(Answer) b = { 0 };
  g_auto(Answer) info = { 0 };
  g_autofree char *form = NULL;
  gint64 deadline;

  /* The knob: one-second tokens */
  post_form (&a, "/oauth/token?expires_in=1",
             "grant_type=password&username=user&password=passwd&client_id=app&scope=openid", NULL);
  g_assert_cmpuint (a.status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (a.json, "expires_in"), ==, 1);

  /* It expires */
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  do
    {
      answer_clear (&info);
      g_usleep (50000);
      request (&info, "GET", "/oauth/userinfo", NULL, NULL, NULL, str (&a, "access_token"));
    }
  while (info.status == 200 && g_get_monotonic_time () < deadline);
  g_assert_cmpuint (info.status, ==, 401);
  g_assert_cmpstr (str (&info, "error"), ==, "invalid_token");

  form = ladle_form_encode ("grant_type", "refresh_token", "refresh_token",
                            str (&a, "refresh_token"), "client_id", "app", NULL);
  post_form (&b, "/oauth/token", form, NULL);
  g_assert_cmpuint (b.status, ==, 200);
  g_assert_cmpstr (str (&b, "access_token"), !=, str (&a, "access_token"));
  g_assert_cmpstr (str (&b, "refresh_token"), !=, str (&a, "refresh_token"));
  g_assert_nonnull (str (&b, "id_token"));
  answer_clear (&info);
  request (&info, "GET", "/oauth/userinfo", NULL, NULL, NULL, str (&b, "access_token"));
  g_assert_cmpuint (info.status, ==, 200);

  /* Rotated: the old refresh token is spent */
  answer_clear (&b);
  post_form (&b, "/oauth/token", form, NULL);
  assert_oauth_error (&b, 400, "invalid_grant");
}

static void
poll_device (Answer     *a,
             const char *device_code)
{
  g_autofree char *form = ladle_form_encode ("grant_type",
                                             "urn:ietf:params:oauth:grant-type:device_code",
                                             "device_code", device_code, "client_id", "tv", NULL);

  answer_clear (a);
  post_form (a, "/oauth/token", form, NULL);
}

static void
test_device (void)
{
  g_auto(Answer) d = { 0 };
  g_auto(Answer) a = { 0 };
  g_auto(Answer) page = { 0 };
  g_autofree char *form = NULL;
  g_autofree char *uri_path = NULL;
  gint64 deadline;

  post_form (&d, "/oauth/device_authorization?interval=1", "client_id=tv&scope=openid", NULL);
  g_assert_cmpuint (d.status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (d.json, "interval"), ==, 1);
  g_assert_true (g_str_has_prefix (str (&d, "verification_uri"), base));

  poll_device (&a, str (&d, "device_code"));
  assert_oauth_error (&a, 400, "authorization_pending");
  poll_device (&a, str (&d, "device_code"));
  assert_oauth_error (&a, 400, "slow_down");

  /* The verification page, then the user approves (lower case and without the dash works) */
  uri_path = g_strdup (str (&d, "verification_uri_complete") + strlen (base));
  request (&page, "GET", uri_path, NULL, NULL, NULL, NULL);
  g_assert_cmpuint (page.status, ==, 200);
  g_assert_nonnull (strstr (page.body, str (&d, "user_code")));
  {
    g_autofree char *lower = g_ascii_strdown (str (&d, "user_code"), -1);
    g_auto(GStrv) halves = g_strsplit (lower, "-", 2);
    g_autofree char *typed = g_strconcat (halves[0], halves[1], NULL);

    form = ladle_form_encode ("user_code", typed, "decision", "approve", NULL);
  }
  answer_clear (&page);
  post_form (&page, "/oauth/device", form, NULL);
  g_assert_cmpuint (page.status, ==, 200);
  g_assert_nonnull (strstr (page.body, "approved"));

  poll_device (&a, str (&d, "device_code"));
  g_assert_cmpuint (a.status, ==, 200);
  g_assert_nonnull (str (&a, "id_token"));
  g_assert_nonnull (str (&a, "refresh_token"));
  poll_device (&a, str (&d, "device_code"));
  assert_oauth_error (&a, 400, "invalid_grant");

  /* Denied */
  answer_clear (&d);
  post_form (&d, "/oauth/device_authorization?interval=0", "client_id=tv", NULL);
  g_free (form);
  form = ladle_form_encode ("user_code", str (&d, "user_code"), "decision", "deny", NULL);
  answer_clear (&page);
  post_form (&page, "/oauth/device", form, NULL);
  g_assert_cmpuint (page.status, ==, 200);
  poll_device (&a, str (&d, "device_code"));
  assert_oauth_error (&a, 400, "access_denied");
  /* The code is no longer pending: the page refuses it */
  answer_clear (&page);
  post_form (&page, "/oauth/device", form, NULL);
  g_assert_cmpuint (page.status, ==, 400);

  /* Expired */
  answer_clear (&d);
  post_form (&d, "/oauth/device_authorization?interval=0&expires_in=1", "client_id=tv", NULL);
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  do
    {
      g_usleep (50000);
      poll_device (&a, str (&d, "device_code"));
    }
  while (g_strcmp0 (str (&a, "error"), "authorization_pending") == 0 &&
         g_get_monotonic_time () < deadline);
  assert_oauth_error (&a, 400, "expired_token");
}

static void
test_token_errors (void)
{
  g_auto(Answer) a = { 0 };
  GString *many = g_string_new ("grant_type=password");
  g_autofree char *huge = NULL;

  post_form (&a, "/oauth/token", "client_id=app", NULL);
  assert_oauth_error (&a, 400, "invalid_request");
  answer_clear (&a);
  post_form (&a, "/oauth/token", "grant_type=implicit&client_id=app", NULL);
  assert_oauth_error (&a, 400, "unsupported_grant_type");
  answer_clear (&a);
  post_form (&a, "/oauth/token", "grant_type=password", NULL);
  assert_oauth_error (&a, 401, "invalid_client");
  answer_clear (&a);
  post_form (&a, "/oauth/token", "grant_type=password&grant_type=password&client_id=a", NULL);
  assert_oauth_error (&a, 400, "invalid_request");
  answer_clear (&a);
  post_form (&a, "/oauth/token", "grant_type=password&client_id=a%", NULL);
  assert_oauth_error (&a, 400, "invalid_request");
  answer_clear (&a);
  post_form (&a, "/oauth/token", "grant_type=password&client_id=a%00", NULL);
  assert_oauth_error (&a, 400, "invalid_request");
  answer_clear (&a);
  request (&a, "POST", "/oauth/token", "application/json", "{\"grant_type\":\"password\"}", NULL,
           NULL);
  assert_oauth_error (&a, 400, "invalid_request");
  answer_clear (&a);
  request (&a, "GET", "/oauth/token", NULL, NULL, NULL, NULL);
  assert_oauth_error (&a, 405, "invalid_request");
  answer_clear (&a);
  post_form (&a, "/oauth/token", "grant_type=authorization_code&code=nope&client_id=a", NULL);
  assert_oauth_error (&a, 400, "invalid_grant");
  answer_clear (&a);
  post_form (&a, "/oauth/token", "grant_type=refresh_token&refresh_token=nope&client_id=a", NULL);
  assert_oauth_error (&a, 400, "invalid_grant");

  /* Bounds: fields, length of one, size of all */
  for (guint i = 0; i < LADLE_FORM_MAX_FIELDS; i++)
    g_string_append_printf (many, "&f%u=1", i);
  answer_clear (&a);
  post_form (&a, "/oauth/token", many->str, NULL);
  assert_oauth_error (&a, 400, "invalid_request");
  g_string_free (many, TRUE);
  huge = g_strnfill (LADLE_FORM_MAX_SIZE + 1, 'a');
  answer_clear (&a);
  post_form (&a, "/oauth/token", huge, NULL);
  assert_oauth_error (&a, 413, "invalid_request");
  huge[5000] = '\0';
  memcpy (huge, "client_id=", 10);
  answer_clear (&a);
  post_form (&a, "/oauth/token", huge, NULL);
  assert_oauth_error (&a, 400, "invalid_request");

  answer_clear (&a);
  request (&a, "GET", "/oauth/userinfo", NULL, NULL, NULL, NULL);
  g_assert_cmpuint (a.status, ==, 401);
  answer_clear (&a);
  request (&a, "GET", "/oauth/userinfo", NULL, NULL, NULL, "not-a-token");
  g_assert_cmpuint (a.status, ==, 401);
  answer_clear (&a);
  request (&a, "GET", "/oauth/nothing", NULL, NULL, NULL, NULL);
  g_assert_cmpuint (a.status, ==, 404);
}

/* The codes kept are bounded: past the bound, the oldest is forgotten. */
static void
test_bounded_state (void)
{
  const char *path = "/oauth/authorize?response_type=code&client_id=web&redirect_uri="
                     "http%3A%2F%2Flocalhost%2Fcb&prompt=none";
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  g_autofree char *form = NULL;
  g_auto(Answer) a = { 0 };

  for (guint i = 0; i <= LADLE_OAUTH_PROVIDER_MAX_ENTRIES + 1; i++)
    {
      answer_clear (&a);
      request (&a, "GET", path, NULL, NULL, NULL, NULL);
      g_assert_cmpuint (a.status, ==, 302);
      if (i == 0)
        first = query_param (a.location, "code");
    }
  last = query_param (a.location, "code");
  form = ladle_form_encode ("grant_type", "authorization_code", "code", first, "client_id", "web",
                            "redirect_uri", "http://localhost/cb", NULL);
  answer_clear (&a);
  post_form (&a, "/oauth/token", form, NULL);
  assert_oauth_error (&a, 400, "invalid_grant");
  g_free (form);
  form = ladle_form_encode ("grant_type", "authorization_code", "code", last, "client_id", "web",
                            "redirect_uri", "http://localhost/cb", NULL);
  answer_clear (&a);
  post_form (&a, "/oauth/token", form, NULL);
  g_assert_cmpuint (a.status, ==, 200);
}

static void
test_jwt_units (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LadleJwtKey) key = ladle_jwt_key_generate (&error);
  g_autoptr(JsonObject) claims = json_object_new ();
  g_autoptr(JsonObject) jwks = json_object_new ();
  g_autoptr(JsonObject) read = NULL;
  g_autoptr(GBytes) bytes = NULL;
  JsonArray *keys = json_array_new ();
  g_autofree char *jwt = NULL;
  g_autofree char *none = NULL;
  g_autofree char *enc = NULL;
  const guint8 raw[] = { 0xfb, 0xff, 0x00, 0x3e };

  g_assert_no_error (error);
  json_object_set_string_member (claims, "sub", "x");
  jwt = ladle_jwt_sign (key, claims, &error);
  g_assert_no_error (error);
  json_array_add_element (keys, ladle_jwt_key_dup_jwk (key));
  json_object_set_array_member (jwks, "keys", keys);
  g_assert_true (ladle_jwt_verify (jwt, jwks, &read, &error));
  g_assert_cmpstr (json_object_get_string_member (read, "sub"), ==, "x");

  /* alg "none" is refused, however it is dressed */
  none = g_strconcat ("eyJhbGciOiJub25lIn0.", strchr (jwt, '.') + 1, NULL);
  g_assert_false (ladle_jwt_verify (none, jwks, NULL, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (ladle_jwt_decode ("a.b", NULL, NULL, &error));
  g_clear_error (&error);
  g_assert_false (ladle_jwt_decode ("e30.e30.x.y", NULL, NULL, &error));
  g_clear_error (&error);
  g_assert_true (ladle_jwt_decode ("e30.e30.", NULL, NULL, &error));
  g_assert_false (ladle_jwt_decode ("W10.e30.", NULL, NULL, &error));
  g_clear_error (&error);

  enc = ladle_base64url_encode (raw, sizeof raw);
  g_assert_cmpstr (enc, ==, "-_8APg");
  bytes = ladle_base64url_decode (enc, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), raw, sizeof raw);
  g_assert_null (ladle_base64url_decode ("abcde", -1, &error));
  g_clear_error (&error);
  g_assert_null (ladle_base64url_decode ("ab+c", -1, &error));
  g_clear_error (&error);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  ladle_test_init (&argc, &argv);

  tmpdir = ladle_test_make_tmpdir ("oauth-provider-XXXXXX");
  server = ladle_server_new ();
  ladle_server_set_port (server, 0);
  ladle_server_set_host (server, "127.0.0.1");
  ladle_server_set_uploads_dir (server, tmpdir);
  g_assert_true (ladle_server_start (server, &error));
  g_assert_no_error (error);
  base = g_strdup_printf ("http://127.0.0.1:%u", ladle_server_get_bound_port (server));
  session = soup_session_new ();

  g_test_add_func ("/oauth-provider/discovery", test_discovery);
  g_test_add_func ("/oauth-provider/password-id-token", test_password_id_token);
  g_test_add_func ("/oauth-provider/client-credentials", test_client_credentials);
  g_test_add_func ("/oauth-provider/authorization-code-pkce", test_authorization_code_pkce);
  g_test_add_func ("/oauth-provider/pkce-mismatch", test_pkce_mismatch);
  g_test_add_func ("/oauth-provider/authorize-errors", test_authorize_errors);
  g_test_add_func ("/oauth-provider/refresh", test_refresh);
  g_test_add_func ("/oauth-provider/device", test_device);
  g_test_add_func ("/oauth-provider/token-errors", test_token_errors);
  g_test_add_func ("/oauth-provider/bounded-state", test_bounded_state);
  g_test_add_func ("/oauth-provider/jwt", test_jwt_units);
  ret = g_test_run ();

  g_clear_object (&session);
  ladle_server_stop (server);
  g_clear_object (&server);
  ladle_test_rm_rf (tmpdir);
  g_free (tmpdir);
  g_free (base);
  return ret;
}
