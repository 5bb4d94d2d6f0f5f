/* test-interop-proxy.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Manual proxies against Debian's tinyproxy (HTTP, CONNECT, BasicAuth) and dante-server (SOCKS5,
 * with and without a user name), each started here on loopback with a generated configuration;
 * the target is a SoupServer on loopback (plain and TLS). That the request went through the proxy
 * is seen by the target (tinyproxy's Via header) or in the proxy's log (dante's "pass" lines);
 * a proxy that is down, that refuses the target or wants credentials gives its own message;
 * --noproxy goes around. The system's proxies (http_proxy, no_proxy) and an https:// proxy
 * (stunnel4 in front of tinyproxy) are used in child processes of this program (run_child()),
 * whose environment or default TLS database differ from the suite's. */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "ladle-error.h"
#include "ladle-http-client.h"
#include "ladle-proxy.h"
#include "ladle-test-utils.h"

static char *dir;
static const char *ca_file;   /* when set, fetch() verifies TLS with it as the CA bundle */
static const char *cert_file; /* when set, fetch() presents it as the client certificate */
static gboolean use_system;   /* when set, fetch() uses the system's proxies */

typedef struct
{
  guint http_port;
  guint https_port;
} Target;

static void
echo_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  const char *via = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                  "Via");
  g_autofree char *text = g_strdup_printf ("via=%s", via != NULL ? via : "none");

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, text, strlen (text));
}

static void
target_setup (SoupServer *server,
              gpointer    user_data)
{
  Target *target = user_data;
  g_autofree char *pem = g_build_filename (dir, "server.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "server.key", NULL);
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  cert = g_tls_certificate_new_from_files (pem, key, &error);
  g_assert_no_error (error);
  g_object_set (server, "tls-certificate", cert, NULL);
  soup_server_add_handler (server, NULL, echo_handler, NULL, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS,
                            &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  target->https_port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  for (GSList *l = uris; l != NULL; l = l->next)
    if (g_strcmp0 (g_uri_get_scheme (l->data), "http") == 0)
      target->http_port = g_uri_get_port (l->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

/* A target that requires a client certificate signed by client-ca.pem (make_server_cert()) */
static void
mtls_target_setup (SoupServer *server,
                   gpointer    user_data)
{
  Target *target = user_data;
  g_autofree char *pem = g_build_filename (dir, "server.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "server.key", NULL);
  g_autofree char *client = g_build_filename (dir, "client-ca.pem", NULL);

  soup_server_add_handler (server, NULL, echo_handler, NULL, NULL);
  target->https_port = ladle_test_server_listen_mtls (server, pem, key, client);
}

static void
make_server_cert (void)
{
  g_autofree char *pem = g_build_filename (dir, "server.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "server.key", NULL);
  const char *argv[] = { "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                         "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", pem,
                         "-days", "30", "-subj", "/CN=localhost", "-addext",
                         "subjectAltName=DNS:localhost,IP:127.0.0.1", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_autofree char *ca_pem = g_build_filename (dir, "client-ca.pem", NULL);
  g_autofree char *ca_key = g_build_filename (dir, "client-ca.key", NULL);
  g_autofree char *client_key = g_build_filename (dir, "client.key", NULL);
  g_autofree char *client_csr = g_build_filename (dir, "client.csr", NULL);
  g_autofree char *client_crt = g_build_filename (dir, "client.crt", NULL);
  g_autofree char *client_pem = g_build_filename (dir, "client.pem", NULL);
  const char *ca_argv[] = { "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                            "ec_paramgen_curve:P-256", "-nodes", "-keyout", ca_key, "-out", ca_pem,
                            "-days", "30", "-subj", "/CN=Ladle test client CA", NULL };
  const char *csr_argv[] = { "openssl", "req", "-new", "-newkey", "ec", "-pkeyopt",
                             "ec_paramgen_curve:P-256", "-nodes", "-keyout", client_key, "-out",
                             client_csr, "-subj", "/CN=ladle client", NULL };
  const char *sign_argv[] = { "openssl", "x509", "-req", "-in", client_csr, "-CA", ca_pem,
                              "-CAkey", ca_key, "-CAcreateserial", "-out", client_crt, "-days",
                              "30", NULL };
  const char * const *steps[] = { argv, ca_argv, csr_argv, sign_argv };
  g_autofree char *crt_text = NULL;
  g_autofree char *key_text = NULL;
  g_autofree char *both = NULL;
  g_autoptr(GError) error = NULL;

  /* The server's certificate; a CA and a client certificate it signed (client.pem: the
   * certificate and its key in one file) */
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
      if (ladle_test_run_command (steps[i], NULL, &out, &err) != 0)
        g_error ("openssl: %s", err);
    }
  g_file_get_contents (client_crt, &crt_text, NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (client_key, &key_text, NULL, &error);
  g_assert_no_error (error);
  both = g_strconcat (crt_text, key_text, NULL);
  g_file_set_contents (client_pem, both, -1, &error);
  g_assert_no_error (error);
}

typedef struct
{
  LadleResponse *response;
  GError        *error;
  gboolean       done;
} Result;

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Result *r = user_data;

  r->response = ladle_http_client_send_finish (LADLE_HTTP_CLIENT (object), result, &r->error);
  r->done = TRUE;
}

/* GET @url through @proxy (NULL: none); returns "STATUS body" or NULL with @error */
static char *
fetch (LadleHttpClient *client,
       const char      *url,
       const char      *proxy,
       const char      *user,
       const char      *password,
       const char      *no_proxy,
       GError         **error)
{
  g_autoptr(LadleRequest) request = ladle_request_new ();
  Result r = { NULL, NULL, FALSE };
  GBytes *body;
  char *text;

  ladle_request_set_method (request, "GET");
  ladle_request_set_url (request, url);
  ladle_request_set_verify_tls (request, ca_file != NULL);
  ladle_request_set_tls_ca_file (request, ca_file);
  ladle_request_set_tls_cert_file (request, cert_file);
  ladle_request_set_proxy_mode (request, use_system ? LADLE_PROXY_SYSTEM
                                        : proxy != NULL ? LADLE_PROXY_MANUAL : LADLE_PROXY_NONE);
  ladle_request_set_proxy_url (request, proxy);
  ladle_request_set_proxy_username (request, user);
  ladle_request_set_proxy_password (request, password);
  ladle_request_set_no_proxy (request, no_proxy);
  ladle_http_client_send_async (client, request, NULL, NULL, send_cb, &r);
  LADLE_TEST_WAIT_UNTIL (r.done, 30000);
  if (r.error != NULL)
    {
      g_test_message ("%s via %s: %s", url, proxy, r.error->message);
      g_propagate_error (error, r.error);
      return NULL;
    }
  body = ladle_response_get_body_bytes (r.response);
  text = g_strdup_printf ("%u %.*s", ladle_response_get_status (r.response),
                          (int) g_bytes_get_size (body), (const char *) g_bytes_get_data (body, NULL));
  g_test_message ("%s via %s: %s", url, proxy, text);
  g_object_unref (r.response);
  return text;
}

static void
test_tinyproxy (void)
{
  Target target = { 0, 0 };
  LadleTestServer *server;
  g_autoptr(LadleHttpClient) client = ladle_http_client_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *http_url = NULL, *https_url = NULL, *proxy = NULL, *strict = NULL;
  g_autofree char *dead = NULL, *authed = NULL, *limit = NULL;
  guint port = ladle_test_unused_port ();
  guint strict_port, auth_port;
  GSubprocess *tp, *tp_strict, *tp_auth;
  char *text;

  if (!ladle_test_have_program ("tinyproxy", "tinyproxy") || !ladle_test_have_program ("openssl", "openssl"))
    return;

  server = ladle_test_server_new (target_setup, &target);
  http_url = g_strdup_printf ("http://127.0.0.1:%u/hello", target.http_port);
  https_url = g_strdup_printf ("https://127.0.0.1:%u/hello", target.https_port);

  tp = ladle_test_start_tinyproxy (dir, "tinyproxy", port, NULL);
  proxy = g_strdup_printf ("http://127.0.0.1:%u", port);

  /* Plain HTTP: the target sees tinyproxy's Via header, although it is on loopback */
  text = fetch (client, http_url, proxy, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (text, "200 via="));
  g_assert_nonnull (strstr (text, "tinyproxy"));
  g_free (text);

  /* Without a scheme, http:// */
  {
    g_autofree char *bare = g_strdup_printf ("127.0.0.1:%u", port);

    text = fetch (client, http_url, bare, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (strstr (text, "tinyproxy"));
    g_free (text);
  }

  /* HTTPS: a CONNECT tunnel (nothing added to the request inside it) */
  text = fetch (client, https_url, proxy, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "200 via=none");
  g_free (text);

  /* Through the tunnel, the server's certificate is checked for the server's name: trusted
   * with its CA bundle, refused without */
  {
    g_autofree char *pem = g_build_filename (dir, "server.pem", NULL);
    g_autofree char *localhost_url = g_strdup_printf ("https://localhost:%u/hello",
                                                      target.https_port);

    ca_file = pem;
    text = fetch (client, localhost_url, proxy, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (text, ==, "200 via=none");
    g_free (text);
    ca_file = "";
    text = fetch (client, localhost_url, proxy, NULL, NULL, NULL, &error);
    g_assert_null (text);
    g_assert_error (error, LADLE_ERROR, LADLE_ERROR_TLS);
    g_assert_nonnull (strstr (error->message, "not signed by a trusted authority"));
    g_clear_error (&error);
    ca_file = NULL;
  }

  /* --noproxy goes around it: straight, no Via */
  text = fetch (client, http_url, proxy, NULL, NULL, "example.com,127.0.0.1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "200 via=none");
  g_free (text);

  /* A proxy that is not running */
  dead = g_strdup_printf ("http://127.0.0.1:%u", ladle_test_unused_port ());
  text = fetch (client, http_url, dead, NULL, NULL, NULL, &error);
  g_assert_null (text);
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_CONNECTION_REFUSED);
  g_assert_nonnull (strstr (error->message, "Connection refused by the proxy http://127.0.0.1:"));
  g_clear_error (&error);
  text = fetch (client, https_url, dead, NULL, NULL, NULL, &error);
  g_assert_null (text);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "Connection refused by the proxy"));
  g_clear_error (&error);

  /* A proxy that refuses the target: CONNECT only to port 443 */
  strict_port = ladle_test_unused_port ();
  tp_strict = ladle_test_start_tinyproxy (dir, "strict", strict_port, "ConnectPort 443\n");
  strict = g_strdup_printf ("http://127.0.0.1:%u", strict_port);
  text = fetch (client, https_url, strict, NULL, NULL, NULL, &error);
  g_assert_null (text);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "proxy"));
  g_clear_error (&error);
  ladle_test_stop_peer (tp_strict);

  /* A proxy that wants credentials */
  auth_port = ladle_test_unused_port ();
  tp_auth = ladle_test_start_tinyproxy (dir, "auth", auth_port, "BasicAuth ladle s3cr.et\n");
  authed = g_strdup_printf ("http://127.0.0.1:%u", auth_port);
  text = fetch (client, http_url, authed, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (text, "407 "));
  g_free (text);
  text = fetch (client, https_url, authed, NULL, NULL, NULL, &error);
  g_assert_null (text);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "needs a user name and password"));
  g_clear_error (&error);
  /* tinyproxy answers wrong credentials with 401 */
  text = fetch (client, http_url, authed, "ladle", "wrong", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (text, "407 ") || g_str_has_prefix (text, "401 "));
  g_free (text);
  text = fetch (client, https_url, authed, "ladle", "wrong", NULL, &error);
  g_assert_null (text);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "proxy"));
  g_clear_error (&error);
  g_free (text);
  text = fetch (client, http_url, authed, "ladle", "s3cr.et", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (text, "200 via="));
  g_assert_nonnull (strstr (text, "tinyproxy"));
  g_free (text);
  text = fetch (client, https_url, authed, "ladle", "s3cr.et", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "200 via=none");
  g_free (text);
  /* A client certificate through the tunnel of a proxy that asked for credentials: libsoup makes
   * the TLS connection for its own CONNECT message, which must carry the certificate too */
  {
    Target mtls = { 0, 0 };
    LadleTestServer *mtls_server = ladle_test_server_new (mtls_target_setup, &mtls);
    g_autofree char *client_pem = g_build_filename (dir, "client.pem", NULL);
    g_autofree char *mtls_url = g_strdup_printf ("https://127.0.0.1:%u/hello", mtls.https_port);

    text = fetch (client, mtls_url, authed, "ladle", "s3cr.et", NULL, &error);
    g_assert_null (text);
    g_assert_nonnull (error);
    g_test_message ("without a certificate: %s", error->message);
    g_clear_error (&error);
    cert_file = client_pem;
    text = fetch (client, mtls_url, NULL, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (text, ==, "200 via=none");
    g_free (text);
    text = fetch (client, mtls_url, authed, "ladle", "s3cr.et", NULL, &error);
    cert_file = NULL;
    g_assert_no_error (error);
    g_assert_cmpstr (text, ==, "200 via=none");
    g_free (text);
    ladle_test_server_free (mtls_server);
  }
  /* Credentials in the URL, percent-encoded */
  {
    g_autofree char *in_url = g_strdup_printf ("http://ladle:s3cr%%2Eet@127.0.0.1:%u", auth_port);

    text = fetch (client, http_url, in_url, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (g_str_has_prefix (text, "200 via="));
    g_free (text);
  }
  ladle_test_stop_peer (tp_auth);

  g_assert_cmpuint (ladle_http_client_get_n_sessions (client), <=, 8);

  ladle_test_stop_peer (tp);
  ladle_test_server_free (server);
}

static void
test_dante (void)
{
  Target target = { 0, 0 };
  LadleTestServer *server;
  g_autoptr(LadleHttpClient) client = ladle_http_client_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *http_url = NULL, *https_url = NULL, *proxy = NULL, *dead = NULL;
  g_autofree char *log_path = g_build_filename (dir, "danted.log", NULL);
  guint port = ladle_test_unused_port ();
  GSubprocess *danted;
  char *text;

  if (!ladle_test_have_program ("/usr/sbin/danted", "dante-server") || !ladle_test_have_program ("openssl", "openssl"))
    return;

  server = ladle_test_server_new (target_setup, &target);
  http_url = g_strdup_printf ("http://127.0.0.1:%u/hello", target.http_port);
  https_url = g_strdup_printf ("https://127.0.0.1:%u/hello", target.https_port);

  danted = ladle_test_start_dante (dir, port, FALSE, log_path);
  proxy = g_strdup_printf ("socks5://127.0.0.1:%u", port);

  text = fetch (client, http_url, proxy, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "200 via=none");
  g_free (text);
  /* dante writes a "pass" line for each connection it makes */
  LADLE_TEST_WAIT_UNTIL (ladle_test_count_in_file (log_path, "pass(") >= 1, 10000);

  g_free (proxy);
  proxy = g_strdup_printf ("socks5h://127.0.0.1:%u", port);
  text = fetch (client, https_url, proxy, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "200 via=none");
  g_free (text);
  LADLE_TEST_WAIT_UNTIL (ladle_test_count_in_file (log_path, "pass(") >= 2, 10000);

  ladle_test_stop_peer (danted);

  /* A SOCKS server that is down (a new client: the old one keeps its tunnelled connection) */
  g_clear_object (&client);
  client = ladle_http_client_new ();
  dead = g_strdup_printf ("socks5://127.0.0.1:%u", port);
  text = fetch (client, http_url, dead, NULL, NULL, NULL, &error);
  g_assert_null (text);
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_CONNECTION_REFUSED);
  g_assert_nonnull (strstr (error->message, "Connection refused by the proxy socks5://127.0.0.1:"));
  g_clear_error (&error);

  ladle_test_server_free (server);
}

/* SOCKS5 with a user name: dante checks it against the system's users, so the test makes one
 * (root only, as CI runs) and removes it at the end */
static void
test_dante_username (void)
{
  Target target = { 0, 0 };
  LadleTestServer *server;
  g_autoptr(LadleHttpClient) client = ladle_http_client_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *http_url = NULL, *proxy = NULL;
  g_autofree char *log_path = g_build_filename (dir, "danted-user.log", NULL);
  const char *user = "ladle-socks-test";
  guint port = ladle_test_unused_port ();
  GSubprocess *danted;
  char *text;

  if (!ladle_test_have_program ("/usr/sbin/danted", "dante-server") || !ladle_test_have_program ("openssl", "openssl"))
    return;
  if (getuid () != 0 || !ladle_test_have_program ("useradd", "passwd") || !ladle_test_have_program ("chpasswd", "passwd"))
    {
      if (getuid () != 0)
        g_test_skip ("SOCKS5 user names are checked against the system's users: root only");
      return;
    }

  {
    const char *add[] = { "useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                          user, NULL };
    const char *del[] = { "userdel", user, NULL };
    g_autofree char *out = NULL, *err = NULL;

    ladle_test_run_command (del, NULL, NULL, NULL);
    g_assert_cmpint (ladle_test_run_command (add, NULL, &out, &err), ==, 0);
  }
  {
    g_autoptr(GSubprocess) chpasswd = NULL;

    chpasswd = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE, &error, "chpasswd", NULL);
    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (chpasswd, "ladle-socks-test:pa ss", NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_get_successful (chpasswd));
  }

  server = ladle_test_server_new (target_setup, &target);
  http_url = g_strdup_printf ("http://127.0.0.1:%u/hello", target.http_port);
  danted = ladle_test_start_dante (dir, port, TRUE, log_path);
  proxy = g_strdup_printf ("socks5://127.0.0.1:%u", port);

  text = fetch (client, http_url, proxy, user, "pa ss", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "200 via=none");
  g_free (text);
  LADLE_TEST_WAIT_UNTIL (ladle_test_count_in_file (log_path, "pass(") >= 1, 10000);

  text = fetch (client, http_url, proxy, user, "wrong", NULL, &error);
  g_assert_null (text);
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_CONNECTION_REFUSED);
  g_assert_nonnull (strstr (error->message, "did not accept the user name and password"));
  g_clear_error (&error);

  text = fetch (client, http_url, proxy, NULL, NULL, NULL, &error);
  g_assert_null (text);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "proxy"));
  g_clear_error (&error);

  ladle_test_stop_peer (danted);
  ladle_test_server_free (server);
  {
    const char *del[] = { "userdel", user, NULL };

    ladle_test_run_command (del, NULL, NULL, NULL);
  }
}

static void
test_no_proxy (void)
{
  static const struct { const char *list; const char *host; gboolean bypassed; } cases[] = {
    { NULL, "example.com", FALSE },
    { "", "example.com", FALSE },
    { "*", "example.com", TRUE },
    { "example.com", "example.com", TRUE },
    { "example.com", "api.example.com", TRUE },
    { ".example.com", "api.example.com", TRUE },
    { ".example.com", "example.com", TRUE },
    { "example.com", "badexample.com", FALSE },
    { "a.org, example.com", "EXAMPLE.COM", TRUE },
    { "127.0.0.1", "127.0.0.1", TRUE },
    { "127.0.0.1", "127.0.0.10", FALSE },
    { "::1", "::1", TRUE },
    { "[::1]", "::1", TRUE },
    { "localhost", "localhost.", TRUE },
    { "*.example.com", "api.example.com", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (ladle_proxy_host_bypassed (cases[i].list, cases[i].host), ==,
                     cases[i].bypassed);
}

static void
test_proxy_uri (void)
{
  static const struct { const char *url, *user, *pass, *expected; } cases[] = {
    { "http://proxy.example:3128", NULL, NULL, "http://proxy.example:3128" },
    { "proxy.example", NULL, NULL, "http://proxy.example:1080" },
    { "socks5h://127.0.0.1:1080", "u", "p", "socks5://u:p@127.0.0.1:1080" },
    { "socks5://a%40b:c@127.0.0.1:9", NULL, NULL, "socks5://a%40b:c@127.0.0.1:9" },
    { "http://x:y@h:1", "me", "p:w", "http://me:p%3Aw@h:1" },
    { "HTTPS://proxy.example:8443", "u", "p", "https://u:p@proxy.example:8443" },
  };
  static const char *bad[] = { "ftp://proxy.example", "http://", "" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *uri = ladle_proxy_resolver_uri (cases[i].url, cases[i].user, cases[i].pass,
                                                       &error);

      g_assert_no_error (error);
      g_assert_cmpstr (uri, ==, cases[i].expected);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *uri = ladle_proxy_resolver_uri (bad[i], NULL, NULL, &error);

      g_assert_null (uri);
      g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
      g_test_message ("%s: %s", bad[i], error->message);
    }
}

/* The system's proxies (LADLE_PROXY_SYSTEM: GIO's default GProxyResolver; here glib-networking's
 * libproxy module, which reads http_proxy/no_proxy from the environment). Ladle reaches loopback
 * targets directly in that mode, so the target is a name under .test that nothing resolves:
 * tinyproxy (named by http_proxy) hands every request to its Upstream, the target server on
 * loopback, which answers the absolute-form request; with an upstream, tinyproxy does not resolve
 * the target's name (it connects only to the upstream's address: seen with strace). The default
 * resolver is made once per process, from the environment it finds then, and the suite runs with
 * GIO_USE_PROXY_RESOLVER=dummy and NO_PROXY=*: the half that needs the environment runs in a
 * child process with its own. */
#define SYSTEM_PROXY_NAME "ladle-system-proxy.test"

/* glib-networking's proxy modules read GSettings to choose between them (GNOME's settings win in
 * a GNOME session): the system's schemas are needed (the test's XDG dirs are its own) */
static void
system_schemas (void)
{
  g_setenv ("GSETTINGS_SCHEMA_DIR", "/usr/share/glib-2.0/schemas", TRUE);
}

static void
test_system_child (void)
{
  g_autoptr(LadleHttpClient) client = ladle_http_client_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_auto(GStrv) way = NULL;
  const char *port = g_getenv ("LADLE_TEST_SYSTEM_TARGET_PORT");
  char *text;

  g_assert_nonnull (port);
  g_assert_null (g_getenv ("GIO_USE_PROXY_RESOLVER"));
  system_schemas ();
  url = g_strdup_printf ("http://" SYSTEM_PROXY_NAME ":%s/system", port);

  /* The default resolver names tinyproxy for the name */
  way = g_proxy_resolver_lookup (g_proxy_resolver_get_default (), url, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (way[0], ==, g_getenv ("http_proxy"));

  /* Ladle's request in System mode goes through it: the upstream (the target) sees tinyproxy's
   * Via */
  use_system = TRUE;
  text = fetch (client, url, NULL, NULL, NULL, NULL, &error);
  use_system = FALSE;
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (text, "200 via="));
  g_assert_nonnull (strstr (text, "tinyproxy"));
  g_free (text);
}

/* no_proxy naming the host: the resolver says direct (the request itself is not sent: it would
 * ask the system's resolver, and so maybe DNS, for a name that is not on this machine) */
static void
test_system_no_proxy_child (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) way = NULL;

  g_assert_null (g_getenv ("GIO_USE_PROXY_RESOLVER"));
  system_schemas ();
  way = g_proxy_resolver_lookup (g_proxy_resolver_get_default (),
                                 "http://" SYSTEM_PROXY_NAME "/system", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (way[0], ==, "direct://");
}

/* This program again, running only @path, with the system's proxies in its environment (read by
 * main() before the tests start) */
static void
run_child (const char *path,
           const char *http_proxy,
           const char *no_proxy,
           const char *target_port,
           const char *default_ca)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *out = NULL;
  const char *argv[] = { self, "-p", path, NULL };

  g_assert_nonnull (self);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  if (http_proxy != NULL)
    g_subprocess_launcher_setenv (launcher, "LADLE_TEST_SYSTEM_HTTP_PROXY", http_proxy, TRUE);
  if (default_ca != NULL)
    g_subprocess_launcher_setenv (launcher, "LADLE_TEST_DEFAULT_CA", default_ca, TRUE);
  g_subprocess_launcher_setenv (launcher, "LADLE_TEST_DIR", dir, TRUE);
  if (no_proxy != NULL)
    g_subprocess_launcher_setenv (launcher, "LADLE_TEST_SYSTEM_NO_PROXY", no_proxy, TRUE);
  g_subprocess_launcher_setenv (launcher, "LADLE_TEST_SYSTEM_TARGET_PORT", target_port, TRUE);
  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%s: %s", path, out);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  /* it ran, and did not skip */
  g_assert_nonnull (strstr (out, "ok 1 "));
  g_assert_null (strstr (out, "# SKIP"));
}

static void
test_system (void)
{
  Target target = { 0, 0 };
  g_autoptr(LadleTestServer) server = NULL;
  g_autofree char *upstream = NULL, *proxy = NULL, *target_port = NULL;
  guint port = ladle_test_unused_port ();
  GSubprocess *tp;

  if (!ladle_test_have_program ("tinyproxy", "tinyproxy") || !ladle_test_have_program ("openssl", "openssl"))
    return;

  server = ladle_test_server_new (target_setup, &target);
  upstream = g_strdup_printf ("Upstream http 127.0.0.1:%u", target.http_port);
  tp = ladle_test_start_tinyproxy (dir, "tinyproxy-system", port, upstream);
  proxy = g_strdup_printf ("http://127.0.0.1:%u", port);
  target_port = g_strdup_printf ("%u", target.http_port);

  run_child ("/proxy/system/subprocess/through", proxy, NULL, target_port, NULL);
  run_child ("/proxy/system/subprocess/no-proxy", proxy, "example.com," SYSTEM_PROXY_NAME,
             target_port, NULL);
  ladle_test_stop_peer (tp);
}

/* An https:// proxy: stunnel (TLS, with server.pem: CN localhost, IP 127.0.0.1) in front of
 * tinyproxy (BasicAuth). GIO's "https" GProxy checks the proxy's certificate against GIO's default
 * TLS database only, the system's CAs: the child that uses the proxy has server.pem put there
 * (as a system CA would be); the request's own CA bundle and "verify off" do not apply to it. */
static void
https_proxy_child (void)
{
  g_autoptr(LadleHttpClient) client = ladle_http_client_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *http_url = g_strdup_printf ("http://127.0.0.1:%s/hello",
                                               g_getenv ("LADLE_TEST_HTTP_PORT"));
  g_autofree char *https_url = g_strdup_printf ("https://127.0.0.1:%s/hello",
                                                g_getenv ("LADLE_TEST_HTTPS_PORT"));
  const char *proxy = g_getenv ("LADLE_TEST_HTTPS_PROXY");
  g_autofree char *by_name = NULL;
  char *text;

  g_assert_nonnull (proxy);
  /* http:// through the tunnel too (tinyproxy's Via is not added inside a tunnel) */
  text = fetch (client, http_url, proxy, "ladle", "s3cret", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "200 via=none");
  g_free (text);
  text = fetch (client, https_url, proxy, "ladle", "s3cret", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "200 via=none");
  g_free (text);
  /* The proxy checks the credentials (tinyproxy refuses the CONNECT with 401, which GIO gives as
   * a failure with the status) */
  text = fetch (client, http_url, proxy, "ladle", "wrong", NULL, &error);
  g_assert_null (text);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "The proxy https://127.0.0.1:"));
  g_assert_nonnull (strstr (error->message, "401"));
  g_clear_error (&error);
  /* The proxy's name is checked: "localhost" is in its certificate */
  by_name = g_strdup_printf ("https://localhost:%s", g_getenv ("LADLE_TEST_HTTPS_PROXY_PORT"));
  text = fetch (client, http_url, by_name, "ladle", "s3cret", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "200 via=none");
  g_free (text);
}

/* Without the proxy's CA among the system's, the proxy is refused, even with verification off */
static void
https_proxy_untrusted_child (void)
{
  g_autoptr(LadleHttpClient) client = ladle_http_client_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *http_url = g_strdup_printf ("http://127.0.0.1:%s/hello",
                                               g_getenv ("LADLE_TEST_HTTP_PORT"));
  char *text;

  g_autofree char *pem = g_build_filename (g_getenv ("LADLE_TEST_DIR"), "server.pem", NULL);

  /* verification off (fetch() without a CA bundle) */
  text = fetch (client, http_url, g_getenv ("LADLE_TEST_HTTPS_PROXY"), "ladle", "s3cret", NULL,
                &error);
  g_assert_null (text);
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, "Unacceptable TLS certificate"));
  g_clear_error (&error);
  /* the proxy's certificate as the request's CA bundle */
  ca_file = pem;
  text = fetch (client, http_url, g_getenv ("LADLE_TEST_HTTPS_PROXY"), "ladle", "s3cret", NULL,
                &error);
  ca_file = NULL;
  g_assert_null (text);
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_TLS);
}

static void
test_https_proxy (void)
{
  Target target = { 0, 0 };
  g_autoptr(LadleTestServer) server = NULL;
  g_autofree char *pem = g_build_filename (dir, "server.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "server.key", NULL);
  g_autofree char *conf_path = g_build_filename (dir, "stunnel.conf", NULL);
  g_autofree char *conf = NULL, *proxy = NULL, *port_text = NULL;
  guint tp_port = ladle_test_unused_port ();
  guint port = ladle_test_unused_port ();
  const char *argv[] = { "stunnel4", conf_path, NULL };
  GSubprocess *tp, *st;

  if (!ladle_test_have_program ("tinyproxy", "tinyproxy") || !ladle_test_have_program ("openssl", "openssl") ||
      !ladle_test_have_program ("stunnel4", "stunnel4"))
    return;

  server = ladle_test_server_new (target_setup, &target);
  tp = ladle_test_start_tinyproxy (dir, "tinyproxy-behind-tls", tp_port, "BasicAuth ladle s3cret");
  conf = g_strdup_printf ("foreground = yes\npid =\n[proxy]\naccept = 127.0.0.1:%u\n"
                          "connect = 127.0.0.1:%u\ncert = %s\nkey = %s\n",
                          port, tp_port, pem, key);
  g_assert_true (g_file_set_contents (conf_path, conf, -1, NULL));
  st = ladle_test_start_peer (port, argv);
  proxy = g_strdup_printf ("https://127.0.0.1:%u", port);
  port_text = g_strdup_printf ("%u", port);
  {
    g_autofree char *http_port = g_strdup_printf ("%u", target.http_port);
    g_autofree char *https_port = g_strdup_printf ("%u", target.https_port);

    g_setenv ("LADLE_TEST_HTTP_PORT", http_port, TRUE);
    g_setenv ("LADLE_TEST_HTTPS_PORT", https_port, TRUE);
    g_setenv ("LADLE_TEST_HTTPS_PROXY", proxy, TRUE);
    g_setenv ("LADLE_TEST_HTTPS_PROXY_PORT", port_text, TRUE);
  }
  run_child ("/proxy/https-proxy/subprocess/trusted", NULL, NULL, "0", pem);
  run_child ("/proxy/https-proxy/subprocess/untrusted", NULL, NULL, "0", NULL);

  ladle_test_stop_peer (st);
  ladle_test_stop_peer (tp);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_autofree char *system_proxy = g_strdup (g_getenv ("LADLE_TEST_SYSTEM_HTTP_PROXY"));
  g_autofree char *system_no_proxy = g_strdup (g_getenv ("LADLE_TEST_SYSTEM_NO_PROXY"));
  g_autofree char *default_ca = g_strdup (g_getenv ("LADLE_TEST_DEFAULT_CA"));

  ladle_test_init (&argc, &argv);
  /* A child of test_system(): GIO's default proxy resolver, told by the environment (before any
   * thread starts) */
  if (system_proxy != NULL)
    {
      g_unsetenv ("XDG_CURRENT_DESKTOP");
      g_unsetenv ("GIO_USE_PROXY_RESOLVER");
      g_unsetenv ("NO_PROXY");
      g_unsetenv ("no_proxy");
      g_setenv ("http_proxy", system_proxy, TRUE);
      if (system_no_proxy != NULL)
        g_setenv ("no_proxy", system_no_proxy, TRUE);
    }
  /* A child of a test (run_child()): GIO's default TLS database (the system's CAs) is the file */
  if (default_ca != NULL)
    {
      g_autoptr(GTlsDatabase) db = g_tls_file_database_new (default_ca, NULL);

      g_assert_nonnull (db);
      g_tls_backend_set_default_database (g_tls_backend_get_default (), db);
    }
  dir = ladle_test_make_tmpdir ("ladle-proxy-XXXXXX");
  /* Readable by any user the proxies might run as */
  g_chmod (dir, 0755);
  {
    g_autofree char *openssl = g_find_program_in_path ("openssl");

    if (openssl != NULL)
      make_server_cert ();
  }

  g_test_add_func ("/proxy/no-proxy", test_no_proxy);
  g_test_add_func ("/proxy/uri", test_proxy_uri);
  g_test_add_func ("/proxy/tinyproxy", test_tinyproxy);
  g_test_add_func ("/proxy/dante", test_dante);
  g_test_add_func ("/proxy/dante-username", test_dante_username);
  g_test_add_func ("/proxy/system", test_system);
  g_test_add_func ("/proxy/https-proxy", test_https_proxy);
  g_test_add_func ("/proxy/https-proxy/subprocess/trusted", https_proxy_child);
  g_test_add_func ("/proxy/https-proxy/subprocess/untrusted", https_proxy_untrusted_child);
  g_test_add_func ("/proxy/system/subprocess/through", test_system_child);
  g_test_add_func ("/proxy/system/subprocess/no-proxy", test_system_no_proxy_child);

  status = ladle_test_run ();
  ladle_test_rm_rf (dir);
  g_free (dir);
  return status;
}
