/* test-interop-http1.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* HTTP/1.1 only, against Debian's nginx with `http2` on a TLS listener: by default libsoup
 * negotiates h2 with ALPN; a request set to HTTP/1.1 offers only http/1.1 and gets it, on its
 * own connection (nginx's access log tells the protocol of each request); both kinds mixed on one
 * client keep their versions; `ladle send --http1.1` does the same. The server's certificate is
 * trusted with a CA bundle. */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "ladle-error.h"
#include "ladle-http-client.h"
#include "ladle-test-utils.h"

static char *dir;

static void
run_openssl (const char * const *argv)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (ladle_test_run_command (argv, NULL, &out, &err) != 0)
    g_error ("openssl: %s", err);
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

/* Returns "VERSION body" */
static char *
fetch (LadleHttpClient  *client,
       const char       *url,
       LadleHttpVersion  version)
{
  g_autoptr(LadleRequest) request = ladle_request_new ();
  g_autofree char *ca = g_build_filename (dir, "server.pem", NULL);
  Result r = { NULL, NULL, FALSE };
  GBytes *body;
  char *text;

  ladle_request_set_method (request, "GET");
  ladle_request_set_url (request, url);
  ladle_request_set_tls_ca_file (request, ca);
  ladle_request_set_http_version (request, version);
  ladle_http_client_send_async (client, request, NULL, NULL, send_cb, &r);
  LADLE_TEST_WAIT_UNTIL (r.done, 30000);
  g_assert_no_error (r.error);
  g_assert_cmpuint (ladle_response_get_status (r.response), ==, 200);
  body = ladle_response_get_body_bytes (r.response);
  text = g_strdup_printf ("%s %.*s", ladle_response_get_http_version (r.response),
                          (int) g_bytes_get_size (body), (const char *) g_bytes_get_data (body, NULL));
  g_strchomp (text);
  g_test_message ("%s (%s): %s", url, version == LADLE_HTTP_VERSION_1_1 ? "1.1" : "any", text);
  g_object_unref (r.response);
  return text;
}

static void
test_nginx_h2_and_http1 (void)
{
  g_autofree char *nginx = g_find_program_in_path ("nginx");
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *pem = g_build_filename (dir, "server.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "server.key", NULL);
  g_autofree char *conf_path = g_build_filename (dir, "nginx.conf", NULL);
  g_autofree char *log_path = g_build_filename (dir, "access.log", NULL);
  g_autofree char *conf = NULL, *url = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LadleHttpClient) client = NULL;
  guint port = ladle_test_unused_port ();
  char *text;

  if (nginx == NULL && g_file_test ("/usr/sbin/nginx", G_FILE_TEST_IS_EXECUTABLE))
    nginx = g_strdup ("/usr/sbin/nginx");
  if (nginx == NULL || openssl == NULL)
    {
      g_test_skip ("nginx or openssl is not installed (Debian packages nginx-light, openssl)");
      return;
    }

  {
    const char *argv[] = { "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                           "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", pem,
                           "-days", "30", "-subj", "/CN=localhost", "-addext",
                           "subjectAltName=DNS:localhost,IP:127.0.0.1", NULL };

    run_openssl (argv);
  }
  conf = g_strdup_printf ("daemon off;\n"
                          "master_process off;\n"
                          "worker_processes 1;\n"
                          "error_log %s/error.log;\n"
                          "pid %s/nginx.pid;\n"
                          "events { worker_connections 64; }\n"
                          "http {\n"
                          "  log_format proto '$request $server_protocol';\n"
                          "  access_log %s proto;\n"
                          "  client_body_temp_path %s;\n"
                          "  proxy_temp_path %s;\n"
                          "  fastcgi_temp_path %s;\n"
                          "  uwsgi_temp_path %s;\n"
                          "  scgi_temp_path %s;\n"
                          "  server {\n"
                          "    listen 127.0.0.1:%u ssl http2;\n"
                          "    ssl_certificate %s;\n"
                          "    ssl_certificate_key %s;\n"
                          "    location / { default_type text/plain; return 200 \"$server_protocol\\n\"; }\n"
                          "  }\n"
                          "}\n",
                          dir, dir, log_path, dir, dir, dir, dir, dir, port, pem, key);
  g_assert_true (g_file_set_contents (conf_path, conf, -1, NULL));
  {
    g_autoptr(GSubprocessLauncher) launcher =
      ladle_test_new_launcher (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                               G_SUBPROCESS_FLAGS_STDERR_SILENCE, NULL);

    proc = g_subprocess_launcher_spawn (launcher, &error, nginx, "-p", dir, "-c", conf_path,
                                        NULL);
  }
  g_assert_no_error (error);
  LADLE_TEST_WAIT_UNTIL (ladle_test_port_open (port), 10000);

  url = g_strdup_printf ("https://127.0.0.1:%u/", port);
  client = ladle_http_client_new ();

  /* By default: h2 */
  text = fetch (client, url, LADLE_HTTP_VERSION_ANY);
  g_assert_cmpstr (text, ==, "HTTP/2 HTTP/2.0");
  g_free (text);

  /* HTTP/1.1 only: its own connection, http/1.1 by ALPN, while the h2 one is still open */
  text = fetch (client, url, LADLE_HTTP_VERSION_1_1);
  g_assert_cmpstr (text, ==, "HTTP/1.1 HTTP/1.1");
  g_free (text);

  /* Mixed, again, on the same client: each keeps its version */
  for (guint i = 0; i < 3; i++)
    {
      text = fetch (client, url, LADLE_HTTP_VERSION_ANY);
      g_assert_cmpstr (text, ==, "HTTP/2 HTTP/2.0");
      g_free (text);
      text = fetch (client, url, LADLE_HTTP_VERSION_1_1);
      g_assert_cmpstr (text, ==, "HTTP/1.1 HTTP/1.1");
      g_free (text);
    }

  /* nginx's own log agrees */
  LADLE_TEST_WAIT_UNTIL (ladle_test_count_in_file (log_path, "GET / HTTP/2.0 HTTP/2.0") +
                         ladle_test_count_in_file (log_path, "GET / HTTP/1.1 HTTP/1.1") >= 8, 10000);
  g_assert_cmpuint (ladle_test_count_in_file (log_path, "GET / HTTP/2.0 HTTP/2.0"), ==, 4);
  g_assert_cmpuint (ladle_test_count_in_file (log_path, "GET / HTTP/1.1 HTTP/1.1"), ==, 4);

  /* The same from `ladle send`: --verbose shows the negotiated version on the status line */
  {
    const char *ladle = g_getenv ("LADLE_BIN");
    const char *h2[] = { ladle, "send", "-v", "--cacert", pem, url, NULL };
    const char *h1[] = { ladle, "send", "-v", "--cacert", pem, "--http1.1", url, NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_nonnull (ladle);
    g_assert_cmpint (ladle_test_run_command (h2, NULL, &out, &err), ==, 0);
    g_assert_nonnull (strstr (err, "HTTP/2 200"));
    g_assert_cmpstr (out, ==, "HTTP/2.0\n");
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (ladle_test_run_command (h1, NULL, &out, &err), ==, 0);
    g_assert_nonnull (strstr (err, "HTTP/1.1 200"));
    g_assert_cmpstr (out, ==, "HTTP/1.1\n");
  }

  g_subprocess_send_signal (proc, SIGTERM);
  g_subprocess_wait (proc, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  ladle_test_init (&argc, &argv);
  dir = ladle_test_make_tmpdir ("ladle-http1-XXXXXX");
  g_chmod (dir, 0755);

  g_test_add_func ("/http1/nginx-h2-and-http1", test_nginx_h2_and_http1);

  status = ladle_test_run ();
  ladle_test_rm_rf (dir);
  g_free (dir);
  return status;
}
