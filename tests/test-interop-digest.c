/* test-interop-digest.c
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

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ladle-exchange.h"
#include "ladle-http-client.h"
#include "ladle-test-utils.h"

/* Ladle's Digest client against two servers it did not write the client for: Debian's
 * python3-httpbin 0.7 (werkzeug's Digest checking) and `ladle serve` (its own /digest-auth, a
 * separate process). Each /digest-auth/{qop}/{user}/{passwd}/{algorithm} must answer 200 with
 * {"authenticated": true} after exactly one 401; a wrong password must end on the server's 401
 * after one answer, not loop. */

typedef struct
{
  char           *tmpdir;
  GSubprocess    *httpbin;
  char           *httpbin_base;
  LadleTestServe  serve;
  char           *ladle_base;
  LadleHttpClient *client;
} Fixture;

static const char httpbin_runner[] =
  "import logging\n"
  "from werkzeug.serving import make_server\n"
  "import httpbin\n"
  "logging.getLogger('werkzeug').setLevel(logging.ERROR)\n"
  "server = make_server('127.0.0.1', 0, httpbin.app, threaded=True)\n"
  "print(server.server_port, flush=True)\n"
  "server.serve_forever()\n";

static gboolean
httpbin_installed (void)
{
  const char *argv[] = { ladle_test_get_python (), "-c", "import httpbin, werkzeug", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  return ladle_test_run_command (argv, NULL, &out, &err) == 0;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *port = NULL;
  g_autofree char *uploads = NULL;
  const char *serve_args[] = { "--quiet", NULL };
  const char * const env[] = { "PYTHONDONTWRITEBYTECODE", "1", NULL };

  fixture->tmpdir = ladle_test_make_tmpdir ("ladle-interop-digest-XXXXXX");
  uploads = g_build_filename (fixture->tmpdir, "uploads", NULL);
  g_assert_cmpint (g_mkdir (uploads, 0755), ==, 0);
  ladle_test_serve_start (&fixture->serve, uploads, serve_args, NULL);
  fixture->ladle_base = g_strdup_printf ("http://127.0.0.1:%u", fixture->serve.port);
  fixture->client = ladle_http_client_new ();

  if (!httpbin_installed ())
    return;
  launcher = ladle_test_new_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE, env);
  g_subprocess_launcher_set_cwd (launcher, fixture->tmpdir);
  fixture->httpbin = g_subprocess_launcher_spawn (launcher, &error, ladle_test_get_python (),
                                                  "-c", httpbin_runner, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fixture->httpbin));
  port = ladle_test_read_line (out);
  g_assert_nonnull (port);
  g_assert_cmpuint (g_ascii_strtoull (port, NULL, 10), >, 0);
  fixture->httpbin_base = g_strdup_printf ("http://127.0.0.1:%s", port);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_assert_finalize_object (fixture->client);
  ladle_test_serve_stop (&fixture->serve, SIGTERM);
  if (fixture->httpbin != NULL)
    {
      g_subprocess_force_exit (fixture->httpbin);
      g_assert_true (g_subprocess_wait (fixture->httpbin, NULL, NULL));
      g_clear_object (&fixture->httpbin);
    }
  ladle_test_rm_rf (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->httpbin_base);
  g_free (fixture->ladle_base);
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

/* Sends GET @url with Digest credentials; returns the response, its note in @out_note. */
static LadleResponse *
send_digest (Fixture     *fixture,
             const char  *url,
             const char  *password,
             char       **out_note)
{
  g_autoptr(LadleRequest) request = ladle_request_new ();
  g_autoptr(LadleExchange) exchange = NULL;
  Result r = { 0, };

  ladle_request_set_url (request, url);
  ladle_request_set_auth_kind (request, LADLE_AUTH_DIGEST);
  ladle_request_set_auth_username (request, "user");
  ladle_request_set_auth_password (request, password);
  exchange = g_object_ref (ladle_http_client_send_async (fixture->client, request, NULL, NULL,
                                                         send_cb, &r));
  LADLE_TEST_WAIT_UNTIL (r.done, 20000);
  g_assert_no_error (r.error);
  *out_note = g_strdup (ladle_exchange_get_redirect_note (exchange));
  return r.response;
}

static void
check_server (Fixture    *fixture,
              const char *base)
{
  static const char * const paths[] = {
    "/digest-auth/auth/user/passwd",
    "/digest-auth/auth/user/passwd/MD5",
    "/digest-auth/auth-int/user/passwd/MD5",
    "/digest-auth/auth/user/passwd/SHA-256",
    "/digest-auth/auth-int/user/passwd/SHA-256",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *url = g_strconcat (base, paths[i], NULL);
      g_autoptr(LadleResponse) good = NULL;
      g_autoptr(LadleResponse) bad = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *note = NULL;
      g_autofree char *bad_note = NULL;
      GBytes *body;
      JsonObject *object;

      g_test_message ("%s", url);
      good = send_digest (fixture, url, "passwd", &note);
      g_assert_cmpuint (ladle_response_get_status (good), ==, 200);
      g_assert_null (note);
      g_assert_cmpuint (ladle_response_get_n_redirects (good), ==, 1);
      g_assert_cmpuint (ladle_response_get_redirect_status (good, 0), ==, 401);
      body = ladle_response_get_body_bytes (good);
      json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                  &error);
      g_assert_no_error (error);
      object = json_node_get_object (json_parser_get_root (parser));
      g_assert_true (json_object_get_boolean_member (object, "authenticated"));
      g_assert_cmpstr (json_object_get_string_member (object, "user"), ==, "user");

      bad = send_digest (fixture, url, "wrong", &bad_note);
      g_assert_cmpuint (ladle_response_get_status (bad), ==, 401);
      g_assert_cmpuint (ladle_response_get_n_redirects (bad), ==, 1);
      g_assert_nonnull (bad_note);
    }
}

static void
test_ladle_serve (Fixture       *fixture,
                  gconstpointer  data)
{
  check_server (fixture, fixture->ladle_base);
}

static void
test_httpbin (Fixture       *fixture,
              gconstpointer  data)
{
  if (fixture->httpbin == NULL)
    {
      g_test_skip ("python3-httpbin is not installed (tools/deps.sh test installs it)");
      return;
    }
  check_server (fixture, fixture->httpbin_base);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  g_test_add ("/interop-digest/httpbin", Fixture, NULL, fixture_setup, test_httpbin,
              fixture_teardown);
  g_test_add ("/interop-digest/ladle-serve", Fixture, NULL, fixture_setup, test_ladle_serve,
              fixture_teardown);

  return ladle_test_run ();
}
