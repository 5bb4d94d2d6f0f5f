/* test-interop-tls.c
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
#include <unistd.h>

#include <glib/gstdio.h>

#include "ladle-http-client.h"
#include "ladle-tls-cert.h"
#include "ladle-test-utils.h"

/* HTTPS with independent peers, on loopback only:
 *  - Debian's nginx, `listen … ssl http2` with a certificate made by ladle-tls-cert: Ladle's core
 *    (LadleHttpClient, verification off) and `ladle send --verbose` get HTTP/2 ("HTTP/2 200", as
 *    curl prints it); the same nginx over plain http stays HTTP/1.1.
 *  - `ladle serve --tls`: `ladle send` (HTTP/1.1: SoupServer speaks no h2), curl with --cacert
 *    (the printed certificate verifies, for 127.0.0.1 and localhost) and -k, the fingerprint it
 *    prints is the certificate's, and Python's ssl module does a wss:// echo.
 * Skipped, with a message, when nginx or curl is missing. */

#define NGINX "/usr/sbin/nginx"
#define CURL  "/usr/bin/curl"

static const char nginx_conf[] =
  "%s\n"
  "worker_processes 1;\n"
  "daemon off;\n"
  "pid %s/nginx.pid;\n"
  "error_log %s/nginx-error.log warn;\n"
  "events { worker_connections 64; }\n"
  "http {\n"
  "  access_log off;\n"
  "  client_body_temp_path %s/body;\n"
  "  proxy_temp_path %s/proxy;\n"
  "  fastcgi_temp_path %s/fastcgi;\n"
  "  uwsgi_temp_path %s/uwsgi;\n"
  "  scgi_temp_path %s/scgi;\n"
  "  server {\n"
  "    listen 127.0.0.1:%u ssl http2;\n"
  "    listen 127.0.0.1:%u;\n"
  "    ssl_certificate %s;\n"
  "    ssl_certificate_key %s;\n"
  "    location = / { default_type text/plain; return 200 \"Hello, World!\"; }\n"
  "  }\n"
  "}\n";

/* A wss:// echo with nothing but Python's standard library: handshake, one masked text frame,
 * the echoed frame back. argv: host port cafile */
static const char wss_script[] =
  "import base64, os, socket, ssl, sys\n"
  "host, port, cafile = sys.argv[1], int(sys.argv[2]), sys.argv[3]\n"
  "ctx = ssl.create_default_context(cafile=cafile)\n"
  "s = ctx.wrap_socket(socket.create_connection((host, port), timeout=10), server_hostname=host)\n"
  "key = base64.b64encode(os.urandom(16)).decode()\n"
  "s.sendall(('GET /websocket/echo HTTP/1.1\\r\\nHost: %s:%d\\r\\nUpgrade: websocket\\r\\n'\n"
  "           'Connection: Upgrade\\r\\nSec-WebSocket-Key: %s\\r\\nSec-WebSocket-Version: 13\\r\\n\\r\\n'\n"
  "           % (host, port, key)).encode())\n"
  "head = b''\n"
  "while b'\\r\\n\\r\\n' not in head:\n"
  "    chunk = s.recv(1)\n"
  "    if not chunk: sys.exit('closed during the handshake')\n"
  "    head += chunk\n"
  "if not head.startswith(b'HTTP/1.1 101'): sys.exit('no upgrade: %r' % head)\n"
  "payload = b'hello over wss'\n"
  "mask = os.urandom(4)\n"
  "s.sendall(bytes([0x81, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))\n"
  "frame = b''\n"
  "while len(frame) < 2 or len(frame) < 2 + (frame[1] & 0x7f):\n"
  "    chunk = s.recv(64)\n"
  "    if not chunk: sys.exit('closed before the echo')\n"
  "    frame += chunk\n"
  "print('%s %s' % (s.version(), frame[2:2 + (frame[1] & 0x7f)].decode()))\n";

typedef struct
{
  char         *dir;
  LadleTlsCert *cert;
  GSubprocess  *nginx;
  guint         tls_port;
  guint         plain_port;
} Fixture;

static gboolean
port_answers (guint port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = g_socket_client_connect_to_host (client, "127.0.0.1", port,
                                                                        NULL, NULL);

  return conn != NULL;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tls_dir = NULL;
  g_autofree char *conf_path = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *user_line = NULL;
  g_autofree char *error_log = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  gint64 deadline;

  f->dir = ladle_test_make_tmpdir ("ladle-interop-tls-XXXXXX");
  tls_dir = g_build_filename (f->dir, "tls", NULL);
  f->cert = ladle_tls_cert_ensure (tls_dir, &error);
  g_assert_no_error (error);

  if (!g_file_test (NGINX, G_FILE_TEST_IS_EXECUTABLE))
    return;

  /* As root, nginx's worker would become nobody, who cannot read the key: stay this user */
  if (getuid () == 0)
    user_line = g_strdup ("user root root;");
  else
    user_line = g_strdup ("");

  f->tls_port = ladle_test_unused_port ();
  do
    f->plain_port = ladle_test_unused_port ();
  while (f->plain_port == f->tls_port);
  conf = g_strdup_printf (nginx_conf, user_line, f->dir, f->dir, f->dir, f->dir, f->dir, f->dir,
                          f->dir, f->tls_port, f->plain_port, f->cert->cert_path,
                          f->cert->key_path);
  conf_path = g_build_filename (f->dir, "nginx.conf", NULL);
  g_assert_true (g_file_set_contents (conf_path, conf, -1, NULL));
  error_log = g_build_filename (f->dir, "nginx-error.log", NULL);

  launcher = ladle_test_new_launcher (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                      G_SUBPROCESS_FLAGS_STDERR_SILENCE, NULL);
  f->nginx = g_subprocess_launcher_spawn (launcher, &error, NGINX, "-e", error_log, "-p", f->dir,
                                          "-c", conf_path, NULL);
  g_assert_no_error (error);

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!port_answers (f->tls_port) || !port_answers (f->plain_port))
    {
      if (g_get_monotonic_time () > deadline)
        {
          g_autofree char *log = NULL;

          g_file_get_contents (error_log, &log, NULL, NULL);
          g_error ("nginx did not listen within 10 s: %s", log != NULL ? log : "(no log)");
        }
      g_usleep (10000);
    }
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->nginx != NULL)
    {
      g_subprocess_send_signal (f->nginx, SIGTERM);
      ladle_test_wait_exit (f->nginx);
      g_clear_object (&f->nginx);
    }
  g_clear_pointer (&f->cert, ladle_tls_cert_free);
  ladle_test_rm_rf (f->dir);
  g_free (f->dir);
}

static gboolean
skip_without (const char *program)
{
  if (g_file_test (program, G_FILE_TEST_IS_EXECUTABLE))
    return FALSE;

  g_test_skip_printf ("%s is missing (apt-get install %s)", program,
                      g_str_has_suffix (program, "nginx") ? "nginx-light" : "curl");
  return TRUE;
}

static void
core_send (const char  *url,
           LadleResponse **out_response,
           GError     **error)
{
  g_autoptr(LadleHttpClient) client = ladle_http_client_new ();
  g_autoptr(LadleRequest) request = ladle_request_new ();
  g_autoptr(GAsyncResult) result = NULL;

  ladle_request_set_method (request, "GET");
  ladle_request_set_url (request, url);
  /* Trusting a custom CA is not what this test is about */
  ladle_request_set_verify_tls (request, FALSE);
  ladle_http_client_send_async (client, request, NULL, NULL, ladle_test_async_done, &result);
  LADLE_TEST_WAIT_UNTIL (result != NULL, 10000);
  *out_response = ladle_http_client_send_finish (client, result, error);
}

static void
test_nginx_core (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *tls_url = NULL;
  g_autofree char *plain_url = NULL;
  g_autoptr(LadleResponse) h2 = NULL;
  g_autoptr(LadleResponse) h1 = NULL;
  g_autoptr(GError) error = NULL;

  if (skip_without (NGINX))
    return;

  tls_url = g_strdup_printf ("https://127.0.0.1:%u/", f->tls_port);
  plain_url = g_strdup_printf ("http://127.0.0.1:%u/", f->plain_port);

  core_send (tls_url, &h2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ladle_response_get_status (h2), ==, 200);
  g_assert_cmpstr (ladle_response_get_http_version (h2), ==, "HTTP/2");

  core_send (plain_url, &h1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ladle_response_get_status (h1), ==, 200);
  g_assert_cmpstr (ladle_response_get_http_version (h1), ==, "HTTP/1.1");
}

static char *
first_line (const char *text)
{
  const char *end = strchr (text, '\n');

  return end != NULL ? g_strndup (text, end - text) : g_strdup (text);
}

static void
test_nginx_cli (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *tls_url = NULL;
  g_autofree char *plain_url = NULL;
  g_autofree char *out = NULL, *err = NULL, *line = NULL;

  if (skip_without (NGINX))
    return;

  tls_url = g_strdup_printf ("https://127.0.0.1:%u/", f->tls_port);
  plain_url = g_strdup_printf ("http://127.0.0.1:%u/", f->plain_port);

  {
    const char *argv[] = { g_getenv ("LADLE_BIN"), "send", "--verbose", "-k", tls_url, NULL };

    g_assert_cmpint (ladle_test_run_command (argv, NULL, &out, &err), ==, 0);
    g_assert_cmpstr (out, ==, "Hello, World!");
    line = first_line (err);
    g_assert_cmpstr (line, ==, "HTTP/2 200");
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&line, g_free);

  {
    const char *argv[] = { g_getenv ("LADLE_BIN"), "send", "--verbose", plain_url, NULL };

    g_assert_cmpint (ladle_test_run_command (argv, NULL, &out, &err), ==, 0);
    line = first_line (err);
    g_assert_cmpstr (line, ==, "HTTP/1.1 200 OK");
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* curl sees the same: h2 over TLS (-k: nginx's certificate is Ladle's self-signed one) */
  if (g_file_test (CURL, G_FILE_TEST_IS_EXECUTABLE))
    {
      const char *argv[] = { CURL, "-sS", "-o", "/dev/null", "-w", "%{http_version}",
                             "--cacert", f->cert->cert_path, tls_url, NULL };

      g_assert_cmpint (ladle_test_run_command (argv, NULL, &out, &err), ==, 0);
      g_assert_cmpstr (out, ==, "2");
    }
}

/* `ladle serve --tls` with its data folder in the test's folder */
typedef struct
{
  GSubprocess      *proc;
  GDataInputStream *out;
  char             *url;
  char             *cert_path;
  char             *fingerprint;
  guint             port;
} Serve;

static void
serve_start (Fixture *f,
             Serve   *serve)
{
  g_autofree char *data_home = g_build_filename (f->dir, "data", NULL);
  g_autofree char *uploads = g_build_filename (f->dir, "uploads", NULL);
  const char *env[] = { "XDG_DATA_HOME", data_home, NULL };
  g_autoptr(GSubprocessLauncher) launcher = ladle_test_new_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                                                     env);
  g_autoptr(GRegex) regex = g_regex_new ("^Serving on (https://127\\.0\\.0\\.1:([0-9]+))/$", 0, 0,
                                         NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *port = NULL;

  serve->proc = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("LADLE_BIN"), "serve",
                                             "--tls", "--port", "0", "--uploads", uploads,
                                             "--quiet", NULL);
  g_assert_no_error (error);
  serve->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (serve->proc));

  line = ladle_test_read_line (serve->out);
  g_assert_nonnull (line);
  g_assert_true (g_regex_match (regex, line, 0, &match));
  serve->url = g_match_info_fetch (match, 1);
  port = g_match_info_fetch (match, 2);
  serve->port = (guint) g_ascii_strtoull (port, NULL, 10);
  g_clear_pointer (&line, g_free);

  line = ladle_test_read_line (serve->out);
  g_assert_true (g_str_has_prefix (line, "Certificate: "));
  serve->cert_path = g_strdup (line + strlen ("Certificate: "));
  if (g_str_has_suffix (serve->cert_path, " (self-signed, made now)"))
    serve->cert_path[strlen (serve->cert_path) - strlen (" (self-signed, made now)")] = '\0';
  g_assert_true (g_str_has_prefix (serve->cert_path, data_home));
  g_clear_pointer (&line, g_free);

  line = ladle_test_read_line (serve->out);
  g_assert_true (g_str_has_prefix (line, "SHA-256 fingerprint: "));
  serve->fingerprint = g_strdup (line + strlen ("SHA-256 fingerprint: "));
}

static void
serve_stop (Serve *serve)
{
  g_subprocess_send_signal (serve->proc, SIGTERM);
  g_assert_cmpint (ladle_test_wait_exit (serve->proc), ==, 0);
  g_clear_object (&serve->out);
  g_clear_object (&serve->proc);
  g_free (serve->url);
  g_free (serve->cert_path);
  g_free (serve->fingerprint);
}

static void
test_serve_tls (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(LadleTlsCert) printed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL, *line = NULL;
  g_autofree char *get_url = NULL;
  g_autofree char *localhost_url = NULL;
  g_autofree char *port_text = NULL;
  g_autofree char *cert_dir = NULL;
  g_autofree char *key_path = NULL;
  Serve serve = { 0 };

  serve_start (f, &serve);
  get_url = g_strdup_printf ("%s/get", serve.url);
  localhost_url = g_strdup_printf ("https://localhost:%u/", serve.port);
  port_text = g_strdup_printf ("%u", serve.port);

  /* The fingerprint printed is the one of the certificate file printed (its key beside it) */
  cert_dir = g_path_get_dirname (serve.cert_path);
  key_path = g_build_filename (cert_dir, LADLE_TLS_KEY_FILE_NAME, NULL);
  printed = ladle_tls_cert_load (serve.cert_path, key_path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (printed->fingerprint, ==, serve.fingerprint);

  /* ladle send: HTTP/1.1 (SoupServer has no h2) */
  {
    const char *argv[] = { g_getenv ("LADLE_BIN"), "send", "--verbose", "-k", get_url, NULL };

    g_assert_cmpint (ladle_test_run_command (argv, NULL, &out, &err), ==, 0);
    line = first_line (err);
    g_assert_cmpstr (line, ==, "HTTP/1.1 200 OK");
    g_assert_nonnull (strstr (out, "\"url\": \"https://127.0.0.1:"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  if (g_file_test (CURL, G_FILE_TEST_IS_EXECUTABLE))
    {
      /* Verified against the printed certificate, by IP and by name */
      const char *cacert[] = { CURL, "-sS", "--cacert", serve.cert_path, get_url, NULL };
      const char *by_name[] = { CURL, "-sS", "--cacert", serve.cert_path, localhost_url, NULL };
      const char *insecure[] = { CURL, "-sS", "-k", "-o", "/dev/null", "-w", "%{http_code} %{http_version}",
                                 get_url, NULL };
      const char *untrusted[] = { CURL, "-sS", "-o", "/dev/null", get_url, NULL };

      g_assert_cmpint (ladle_test_run_command (cacert, NULL, &out, &err), ==, 0);
      g_assert_nonnull (strstr (out, "\"url\": \"https://127.0.0.1:"));
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);

      g_assert_cmpint (ladle_test_run_command (by_name, NULL, &out, &err), ==, 0);
      g_assert_cmpstr (out, ==, "Hello, World!");
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);

      g_assert_cmpint (ladle_test_run_command (insecure, NULL, &out, &err), ==, 0);
      g_assert_cmpstr (out, ==, "200 1.1");
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);

      /* Without either: curl refuses it (exit 60), as it must */
      g_assert_cmpint (ladle_test_run_command (untrusted, NULL, &out, &err), ==, 60);
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
    }

  /* wss:// from Python's ssl module, verifying the certificate */
  {
    const char *argv[] = { ladle_test_get_python (), "-c", wss_script, "127.0.0.1", port_text,
                           serve.cert_path, NULL };

    g_assert_cmpint (ladle_test_run_command (argv, NULL, &out, &err), ==, 0);
    g_assert_true (g_str_has_suffix (out, " hello over wss\n"));
    g_assert_true (g_str_has_prefix (out, "TLSv1."));
  }

  serve_stop (&serve);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/interop-tls/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("nginx-h2-core", test_nginx_core);
  ADD ("nginx-h2-cli", test_nginx_cli);
  ADD ("serve-tls", test_serve_tls);

#undef ADD

  return ladle_test_run ();
}
