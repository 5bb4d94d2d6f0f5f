/* test-cli-ws.c
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

#include <libsoup/soup.h>

#include <json-glib/json-glib.h>

#include "ladle-server.h"

#include "ladle-test-utils.h"

/* `ladle ws` (the real executable, LADLE_BIN) against an in-process LadleServer on port 0 (on a
 * thread of its own), a raw handshake-only server, and the tutorial's aiohttp server. */

typedef struct
{
  LadleServer *server;
  char        *tmpdir;
  char        *ws_url;     /* ws://127.0.0.1:PORT, no trailing slash */
} Fixture;

typedef struct
{
  int     status;
  char   *out;
  char   *err;
  double  elapsed;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->tmpdir = ladle_test_make_tmpdir ("ladle-cli-ws-XXXXXX");
  f->server = ladle_server_new ();
  ladle_server_set_port (f->server, 0);
  ladle_server_set_uploads_dir (f->server, f->tmpdir);
  g_assert_true (ladle_server_start (f->server, &error));
  g_assert_no_error (error);
  f->ws_url = g_strdup_printf ("ws://127.0.0.1:%u", ladle_server_get_bound_port (f->server));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  ladle_server_stop (f->server);
  g_assert_finalize_object (f->server);
  ladle_test_rm_rf (f->tmpdir);
  g_free (f->tmpdir);
  g_free (f->ws_url);
}

/* Runs `ladle ws ARGS...`; @input (nullable) is written to its stdin, which is then closed. */
static void
run_ws (Run                *run,
        const char         *input,
        const char * const *args)
{
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE |
                           (input != NULL ? G_SUBPROCESS_FLAGS_STDIN_PIPE : 0);
  g_autoptr(GSubprocessLauncher) launcher = ladle_test_new_launcher (flags, NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  g_strv_builder_add_many (builder, g_getenv ("LADLE_BIN"), "ws", NULL);
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);

  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (proc, input, NULL, ladle_test_async_done, &result);
  LADLE_TEST_WAIT_UNTIL (result != NULL, 30000);
  g_subprocess_communicate_utf8_finish (proc, result, &run->out, &run->err, &error);
  g_assert_no_error (error);
  /* Its output first: if it did not exit normally, its stderr says why */
  g_test_message ("ladle ws: stdout:\n%s\nstderr:\n%s", run->out, run->err);
  run->status = ladle_test_wait_exit (proc);
  run->elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_test_message ("ladle ws → %d", run->status);
}

/* --- Tests ---------------------------------------------------------------------------------- */

static void
test_send_twice (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *url = g_strconcat (f->ws_url, "/ws", NULL);
  const char *args[] = { url, "--send", "Hello, server", "--send", "second", NULL };
  g_auto(Run) run = { 0 };

  run_ws (&run, NULL, args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "Message received: Hello, server\nMessage received: second\n");
  g_assert_cmpstr (run.err, ==, "");
}

static void
test_stdin (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *url = g_strconcat (f->ws_url, "/ws", NULL);
  const char *args[] = { url, NULL };
  g_auto(Run) run = { 0 };

  run_ws (&run, "first line\r\nsecond line\n", args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "Message received: first line\nMessage received: second line\n");
}

static void
test_send_file (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *url = g_strconcat (f->ws_url, "/websocket/echo", NULL);
  g_autofree char *path = g_build_filename (f->tmpdir, "blob", NULL);
  const char *args[] = { url, "--send", "text first", "--send-file", path, NULL };
  const char *missing[] = { url, "--send-file", "/nonexistent/ladle", NULL };
  g_auto(Run) run = { 0 };
  g_auto(Run) run2 = { 0 };
  g_autofree char *contents = g_malloc0 (70000);

  g_assert_true (g_file_set_contents (path, contents, 70000, NULL));
  run_ws (&run, NULL, args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "text first\n<binary 70000 bytes>\n");

  run_ws (&run2, NULL, missing);
  g_assert_cmpint (run2.status, ==, 1);
  g_assert_nonnull (strstr (run2.err, "/nonexistent/ladle"));
}

static void
test_verbose (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *url = g_strconcat (f->ws_url, "/ws", NULL);
  const char *args[] = { url, "--send", "hi", "--verbose", NULL };
  const char *with_close[] = { url, "--send", "hi", "-v", "--close", "4000:bye", NULL };
  g_auto(Run) run = { 0 };
  g_auto(Run) run2 = { 0 };
  g_autoptr(GRegex) out_line = g_regex_new ("^\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d > text 2 bytes$",
                                            G_REGEX_MULTILINE, 0, NULL);

  run_ws (&run, NULL, args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "Message received: hi\n");
  g_assert_true (g_regex_match (out_line, run.err, 0, NULL));
  g_assert_nonnull (strstr (run.err, "< text 20 bytes\n"));
  g_assert_nonnull (strstr (run.err, "> close 1000 “”\n"));
  g_assert_nonnull (strstr (run.err, "< close 1000 “”\n"));
  g_assert_nonnull (strstr (run.err, "* open: HTTP 101"));

  run_ws (&run2, NULL, with_close);
  g_assert_cmpint (run2.status, ==, 0);
  g_assert_nonnull (strstr (run2.err, "> close 4000 “bye”\n"));
  g_assert_nonnull (strstr (run2.err, "< close 4000 “bye”\n"));
}

static void
test_timeout (Fixture       *f,
              gconstpointer  data)
{
  LadleTestRawWsServer *raw = ladle_test_raw_ws_server_new ();
  g_autofree char *url = NULL;
  g_auto(Run) run = { 0 };

  url = g_strdup_printf ("ws://127.0.0.1:%u/", raw->port);

  {
    const char *args[] = { url, "--send", "anyone?", "--timeout", "1", NULL };

    run_ws (&run, NULL, args);
  }
  g_assert_cmpint (run.status, ==, 4);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_true (g_str_has_prefix (run.err, "ladle ws: Timed out after 1 s"));
  g_assert_cmpfloat (run.elapsed, >=, 1.0);
  g_assert_cmpfloat (run.elapsed, <, 4.0);

  /* The client is gone, so the raw server's read ends. */
  ladle_test_raw_ws_server_free (raw);
}

/* A server that breaks the protocol (and then answers nothing, not even a close frame): ladle ws
 * sends its close frame, says what went wrong and exits 1 at once, on both client engines
 * (Ladle's own, and libsoup's with --deflate); not 4 once --timeout is over. */
static void
test_protocol_error (Fixture       *f,
                     gconstpointer  data)
{
  static const guint8 bad_text[] = { 0x81, 0x02, 0xff, 0xfe };
  static const guint8 masked[] = { 0x81, 0x82, 0x01, 0x02, 0x03, 0x04, 'h' ^ 0x01, 'i' ^ 0x02 };
  static const guint8 close_1005[] = { 0x88, 0x02, 0x03, 0xed };
  static const guint8 opcode_3[] = { 0x83, 0x02, 'h', 'i' };
  const char *generic = "The server broke the WebSocket protocol";
  const struct
  {
    const guint8 *frame;
    gsize         len;
    guint         code;
    const char   *own;
    const char   *libsoup;
  } cases[] = {
    { bad_text, sizeof bad_text, 1007, "The server sent text that is not valid UTF-8",
      "The server sent text that is not valid UTF-8" },
    { masked, sizeof masked, 1002,
      "The server broke the WebSocket protocol: it sent a masked frame (servers must not mask)",
      generic },
    { close_1005, sizeof close_1005, 1002,
      "The server broke the WebSocket protocol: its close frame has the reserved code 1005",
      generic },
    { opcode_3, sizeof opcode_3, 1002,
      "The server broke the WebSocket protocol: it sent a frame with the reserved opcode 0x3",
      generic },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (guint deflate = 0; deflate < 2; deflate++)
      {
        LadleTestRawWsServer *raw = ladle_test_raw_ws_server_new_full (cases[i].frame,
                                                                       cases[i].len);
        g_autofree char *url = g_strdup_printf ("ws://127.0.0.1:%u/", raw->port);
        const char *args[] = { url, "--send", "x", "--timeout", "4",
                               deflate ? "--deflate" : NULL, NULL };
        g_autofree char *expected = g_strdup_printf ("ladle ws: %s\n",
                                                     deflate ? cases[i].libsoup : cases[i].own);
        g_auto(Run) run = { 0 };

        run_ws (&run, NULL, args);
        g_assert_cmpint (run.status, ==, 1);
        g_assert_cmpstr (run.err, ==, expected);
        g_assert_cmpstr (run.out, ==, "");

        /* The client's close frame said why. */
        LADLE_TEST_WAIT_UNTIL (g_atomic_int_get (&raw->close_code) >= 0, 10000);
        g_assert_cmpint (g_atomic_int_get (&raw->close_code), ==, (int) cases[i].code);
        ladle_test_raw_ws_server_free (raw);
      }
}

static void
test_usage (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *url = g_strconcat (f->ws_url, "/ws", NULL);
  const char *no_url[] = { "--send", "x", NULL };
  const char *bad_scheme[] = { "ftp://127.0.0.1/ws", NULL };
  const char *not_url[] = { "not a url", NULL };
  const char *two_urls[] = { url, url, NULL };
  const char *bad_close[] = { url, "--close", "999", NULL };
  const char *bad_timeout[] = { url, "--timeout", "soon", NULL };
  const char *bad_header[] = { url, "-H", "nocolon", NULL };
  /* A line break would end the header there and start another on the wire */
  const char *split_header[] = { url, "-H", "X-A: 1\r\nX-Injected: 2", NULL };
  const char *bad_name[] = { url, "-H", "X A: 1", NULL };
  const char *unknown[] = { url, "--frobnicate", NULL };
  const char * const *cases[] = { no_url, bad_scheme, not_url, two_urls, bad_close, bad_timeout,
                                  bad_header, split_header, bad_name, unknown };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0 };

      run_ws (&run, NULL, cases[i]);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_true (g_str_has_prefix (run.err, "ladle ws: "));
      g_assert_nonnull (strstr (run.err, "ladle ws --help"));
    }
}

/* The usage line names the URL once (see test-cli-send.c's help test). */
static void
test_help (Fixture       *f,
           gconstpointer  data)
{
  const char *args[] = { "--help", NULL };
  g_auto(Run) run = { 0 };
  g_auto(GStrv) lines = NULL;
  const char *usage = NULL;

  run_ws (&run, NULL, args);
  g_assert_cmpint (run.status, ==, 0);
  lines = g_strsplit (run.out, "\n", -1);
  for (guint i = 0; lines[i] != NULL && usage == NULL; i++)
    if (g_str_has_prefix (lines[i], "  ladle ws ["))
      usage = lines[i];
  g_assert_nonnull (usage);
  g_assert_true (g_str_has_suffix (usage, "] URL"));
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *closed_url = g_strdup_printf ("ws://127.0.0.1:%u/ws",
                                                 ladle_test_unused_port ());
  g_autofree char *get_url = g_strconcat (f->ws_url, "/get", NULL);
  g_autofree char *missing_url = g_strconcat (f->ws_url, "/missing", NULL);
  const char *closed[] = { closed_url, "--send", "x", NULL };
  const char *get[] = { get_url, "--send", "x", NULL };
  const char *missing[] = { missing_url, NULL };
  g_auto(Run) run = { 0 };
  g_auto(Run) run2 = { 0 };
  g_auto(Run) run3 = { 0 };

  run_ws (&run, NULL, closed);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_true (g_str_has_prefix (run.err, "ladle ws: Connection refused by 127.0.0.1:"));

  run_ws (&run2, NULL, get);
  g_assert_cmpint (run2.status, ==, 3);
  g_assert_cmpstr (run2.err, ==,
                   "ladle ws: The server refused the WebSocket handshake: HTTP 200 OK\n");

  run_ws (&run3, "never sent\n", missing);
  g_assert_cmpint (run3.status, ==, 3);
  g_assert_nonnull (strstr (run3.err, "HTTP 404"));
}

/* The tutorial's own aiohttp server (tests/seed/server_ws.py). */
static void
test_aiohttp (Fixture       *f,
              gconstpointer  data)
{
  const char *check[] = { ladle_test_get_python (), "-c", "import aiohttp", NULL };
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GAsyncResult) exited = NULL;
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *script = g_build_filename (g_getenv ("LADLE_SEED_DIR"), "server_ws.py", NULL);
  g_autofree char *port_text = NULL;
  g_autofree char *url = NULL;
  g_auto(Run) run = { 0 };
  gint64 deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  guint port = ladle_test_unused_port ();

  if (ladle_test_run_command (check, NULL, NULL, NULL) != 0)
    {
      g_test_skip ("Debian’s python3 cannot import aiohttp (install python3-aiohttp)");
      return;
    }

  port_text = g_strdup_printf ("%u", port);
  launcher = ladle_test_new_launcher (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, NULL);
  g_subprocess_launcher_set_cwd (launcher, f->tmpdir);
  {
    const char *argv[] = { ladle_test_get_python (), script, "--port", port_text, NULL };

    proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
    g_assert_no_error (error);
  }
  g_subprocess_wait_async (proc, NULL, ladle_test_async_done, &exited);

  for (;;)
    {
      g_autoptr(GSocketConnection) connection = NULL;

      connection = g_socket_client_connect_to_host (socket_client, "127.0.0.1", port, NULL, NULL);
      if (connection != NULL)
        break;
      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (exited != NULL)
        g_error ("server_ws.py exited before it listened on port %u", port);
      if (g_get_monotonic_time () > deadline)
        g_error ("server_ws.py did not listen on port %u in time", port);
      g_usleep (20 * 1000);
    }

  url = g_strdup_printf ("http://127.0.0.1:%u/ws", port);
  {
    const char *args[] = { url, "--send", "Hello, server", NULL };

    run_ws (&run, NULL, args);
  }

  g_subprocess_send_signal (proc, SIGTERM);
  LADLE_TEST_WAIT_UNTIL (exited != NULL, 10000);

  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "Message received: Hello, server\n");
}

/* --repeat N: the messages go out N times over, each after the previous reply (so the replies
 * come back in order), --stats prints JSON figures; a text file is sent as a text message. */
static void
test_repeat (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *url = g_strconcat (f->ws_url, "/ws", NULL);
  g_autofree char *dir = ladle_test_make_tmpdir ("ladle-cli-ws-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "text.txt", NULL);
  g_autofree char *binary = g_build_filename (dir, "binary.bin", NULL);
  const char *args[] = { url, "--send", "a", "--send", "b", "--repeat", "3", "--stats", NULL };
  const char *with_file[] = { url, "--send-text-file", path, "-n", "2", NULL };
  const char *not_text[] = { url, "--send-text-file", binary, NULL };
  const char *no_send[] = { url, "--repeat", "2", NULL };
  const char *zero[] = { url, "--send", "a", "--repeat", "0", NULL };
  const char *stats_alone[] = { url, "--send", "a", "--stats", NULL };
  g_auto(Run) run = { 0 };
  g_auto(Run) run2 = { 0 };
  g_auto(Run) run3 = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *stats;

  run_ws (&run, NULL, args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==,
                   "Message received: a\nMessage received: b\nMessage received: a\n"
                   "Message received: b\nMessage received: a\nMessage received: b\n");
  g_assert_true (json_parser_load_from_data (parser, run.err, -1, &error));
  g_assert_no_error (error);
  stats = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (stats, "messages"), ==, 6);
  g_assert_cmpfloat (json_object_get_double_member (stats, "msgs_per_s"), >, 0);
  g_assert_cmpfloat (json_object_get_double_member (stats, "lat_p99_us"), >=,
                     json_object_get_double_member (stats, "lat_p50_us"));

  g_assert_true (g_file_set_contents (path, "Привет\nfrom a file", -1, NULL));
  run_ws (&run2, NULL, with_file);
  g_assert_cmpint (run2.status, ==, 0);
  g_assert_cmpstr (run2.out, ==,
                   "Message received: Привет\nfrom a file\nMessage received: Привет\nfrom a file\n");

  g_assert_true (g_file_set_contents (binary, "\xff\xfe", 2, NULL));
  run_ws (&run3, NULL, not_text);
  g_assert_cmpint (run3.status, ==, 1);
  g_assert_nonnull (strstr (run3.err, "not UTF-8"));

  for (guint i = 0; i < 3; i++)
    {
      const char **cases[] = { no_send, zero, stats_alone };
      g_auto(Run) bad = { 0 };

      run_ws (&bad, NULL, cases[i]);
      g_assert_cmpint (bad.status, ==, 2);
    }

  ladle_test_rm_rf (dir);
}

/* --- Transport options (issue 14) ----------------------------------------------------------- */

/* A CA, a server certificate for "localhost" only (so that wss://127.0.0.1 is a wrong name) and
 * a client certificate, both signed by the CA, in @dir. */
static void
run_openssl (const char * const *argv)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (ladle_test_run_command (argv, NULL, &out, &err) != 0)
    g_error ("openssl: %s", err);
}

static void
make_leaf (const char *dir,
           const char *name,
           const char *subject,
           const char *extensions)
{
  g_autofree char *ca = g_build_filename (dir, "ca.pem", NULL);
  g_autofree char *ca_key = g_build_filename (dir, "ca.key", NULL);
  g_autofree char *pem = g_strdup_printf ("%s/%s.pem", dir, name);
  g_autofree char *key = g_strdup_printf ("%s/%s.key", dir, name);
  g_autofree char *csr = g_strdup_printf ("%s/%s.csr", dir, name);
  g_autofree char *ext = g_strdup_printf ("%s/%s.ext", dir, name);
  const char *req[] = { "openssl", "req", "-new", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", csr,
                        "-subj", subject, NULL };
  const char *sign[] = { "openssl", "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key,
                         "-CAcreateserial", "-days", "30", "-extfile", ext, "-out", pem, NULL };

  g_assert_true (g_file_set_contents (ext, extensions, -1, NULL));
  run_openssl (req);
  run_openssl (sign);
}

static void
make_pki (const char *dir)
{
  g_autofree char *ca = g_build_filename (dir, "ca.pem", NULL);
  g_autofree char *ca_key = g_build_filename (dir, "ca.key", NULL);
  const char *ca_argv[] = { "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                            "ec_paramgen_curve:P-256", "-nodes", "-keyout", ca_key, "-out", ca,
                            "-days", "30", "-subj", "/CN=Ladle test CA", NULL };

  run_openssl (ca_argv);
  make_leaf (dir, "server", "/CN=localhost",
             "basicConstraints=CA:FALSE\nsubjectAltName=DNS:localhost\n"
             "extendedKeyUsage=serverAuth\n");
  make_leaf (dir, "client", "/CN=ladle-client",
             "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n");
}

typedef struct
{
  const char *dir;
  guint       https_port;
} TlsTarget;

/* Each text message comes back as "cookie=COOKIE cert=SUBJECT|TEXT": what the handshake sent */
static void
tls_ws_message_cb (SoupWebsocketConnection *conn,
                   int                      type,
                   GBytes                  *message,
                   gpointer                 data)
{
  const char *prefix = g_object_get_data (G_OBJECT (conn), "ladle-prefix");
  g_autofree char *reply = g_strdup_printf ("%s|%.*s", prefix, (int) g_bytes_get_size (message),
                                            (const char *) g_bytes_get_data (message, NULL));

  soup_websocket_connection_send_text (conn, reply);
}

static void
tls_ws_handler (SoupServer              *server,
                SoupServerMessage       *msg,
                const char              *path,
                SoupWebsocketConnection *conn,
                gpointer                 data)
{
  const char *cookie = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Cookie");
  GTlsCertificate *peer = soup_server_message_get_tls_peer_certificate (msg);
  g_autofree char *subject = peer != NULL ? g_tls_certificate_get_subject_name (peer) : NULL;

  g_object_set_data_full (G_OBJECT (conn), "ladle-prefix",
                          g_strdup_printf ("cookie=%s cert=%s", cookie != NULL ? cookie : "none",
                                           subject != NULL ? subject : "none"),
                          g_free);
  g_signal_connect (conn, "message", G_CALLBACK (tls_ws_message_cb), NULL);
  /* Kept until it closes */
  g_signal_connect (conn, "closed", G_CALLBACK (g_object_unref), NULL);
  g_object_ref (conn);
}

/* A SoupServer over TLS that requires a client certificate signed by the test CA */
static void
tls_target_setup (SoupServer *server,
                  gpointer    user_data)
{
  TlsTarget *target = user_data;
  g_autofree char *pem = g_build_filename (target->dir, "server.pem", NULL);
  g_autofree char *key = g_build_filename (target->dir, "server.key", NULL);
  g_autofree char *ca = g_build_filename (target->dir, "ca.pem", NULL);

  soup_server_add_websocket_handler (server, "/ws", NULL, NULL, tls_ws_handler, NULL, NULL);
  target->https_port = ladle_test_server_listen_mtls (server, pem, key, ca);
}

/* wss:// with --cacert (trusted besides the system's CAs, the host checked), --cert/--key (the
 * server requires one) and -b (a Cookie header, and a cookie file's cookies for the host), on
 * both engines (Ladle's own; libsoup's with --deflate) */
static void
test_tls (Fixture       *f,
          gconstpointer  data)
{
  TlsTarget target = { f->tmpdir, 0 };
  LadleTestServer *server;
  g_autofree char *url = NULL;
  g_autofree char *ip_url = NULL;
  g_autofree char *ca = g_build_filename (f->tmpdir, "ca.pem", NULL);
  g_autofree char *cert = g_build_filename (f->tmpdir, "client.pem", NULL);
  g_autofree char *key = g_build_filename (f->tmpdir, "client.key", NULL);
  g_autofree char *jar = g_build_filename (f->tmpdir, "cookies.txt", NULL);

  if (!ladle_test_have_program ("openssl", "openssl"))
    return;
  make_pki (f->tmpdir);
  server = ladle_test_server_new (tls_target_setup, &target);
  url = g_strdup_printf ("wss://localhost:%u/ws", target.https_port);
  ip_url = g_strdup_printf ("wss://127.0.0.1:%u/ws", target.https_port);
  g_assert_true (g_file_set_contents (jar,
                                      "# Netscape HTTP Cookie File\n"
                                      "localhost\tFALSE\t/\tTRUE\t0\tsid\tsecret\n"
                                      "localhost\tFALSE\t/\tFALSE\t0\ta\tfrom-file\n"
                                      "example.com\tFALSE\t/\tFALSE\t0\tother\thost\n", -1, NULL));

  for (guint deflate = 0; deflate < 2; deflate++)
    {
      const char *engine = deflate ? "--deflate" : NULL;
      g_auto(Run) ok = { 0 };
      g_auto(Run) untrusted = { 0 };
      g_auto(Run) wrong_name = { 0 };
      g_auto(Run) no_cert = { 0 };
      g_auto(Run) files = { 0 };

      {
        const char *args[] = { url, "--cacert", ca, "--cert", cert, "--key", key,
                               "-b", "a=1; b=2", "--send", "hi", engine, NULL };

        run_ws (&ok, NULL, args);
        g_assert_cmpint (ok.status, ==, 0);
        g_assert_cmpstr (ok.out, ==, "cookie=a=1; b=2 cert=CN=ladle-client|hi\n");
      }

      /* The cookie file's cookies for localhost (the Secure one too, over wss://); a=1 from the
       * command line wins over the file's a */
      {
        const char *args[] = { url, "--cacert", ca, "-E", cert, "--key", key, "-b", jar,
                               "--cookie", "a=1", "--send", "hi", engine, NULL };

        run_ws (&files, NULL, args);
        g_assert_cmpint (files.status, ==, 0);
        g_assert_cmpstr (files.out, ==, "cookie=a=1; sid=secret cert=CN=ladle-client|hi\n");
      }

      /* Without the CA bundle, the system's CAs do not know the server's */
      {
        const char *args[] = { url, "--cert", cert, "--key", key, "--send", "hi", engine, NULL };

        run_ws (&untrusted, NULL, args);
        g_assert_cmpint (untrusted.status, ==, 3);
        g_assert_nonnull (strstr (untrusted.err, "not signed by a trusted authority"));
      }

      /* The bundle does not make a certificate for localhost good for 127.0.0.1 */
      {
        const char *args[] = { ip_url, "--cacert", ca, "--cert", cert, "--key", key,
                               "--send", "hi", engine, NULL };

        run_ws (&wrong_name, NULL, args);
        g_assert_cmpint (wrong_name.status, ==, 3);
        g_assert_nonnull (strstr (wrong_name.err, "does not match the host name"));
        g_assert_null (strstr (wrong_name.err, "trusted authority"));
      }

      /* The server requires a client certificate */
      {
        const char *args[] = { url, "--cacert", ca, "--send", "hi", "--timeout", "5", engine,
                               NULL };

        run_ws (&no_cert, NULL, args);
        g_assert_cmpint (no_cert.status, ==, 3);
        g_assert_nonnull (strstr (no_cert.err, "requires a client certificate"));
        g_assert_cmpstr (no_cert.out, ==, "");
      }
    }

  /* A certificate file that cannot be used is reported before connecting, with its name */
  {
    g_autofree char *missing = g_build_filename (f->tmpdir, "missing.pem", NULL);
    const char *args[] = { url, "--cert", missing, "--send", "hi", NULL };
    const char *key_alone[] = { url, "--key", key, "--send", "hi", NULL };
    const char *bad_ca[] = { url, "--cacert", key, "--send", "hi", NULL };
    g_auto(Run) run = { 0 };
    g_auto(Run) run2 = { 0 };
    g_auto(Run) run3 = { 0 };

    run_ws (&run, NULL, args);
    g_assert_cmpint (run.status, ==, 3);
    g_assert_true (g_str_has_prefix (run.err, "ladle ws: "));
    g_assert_nonnull (strstr (run.err, missing));

    run_ws (&run2, NULL, key_alone);
    g_assert_cmpint (run2.status, ==, 2);
    g_assert_nonnull (strstr (run2.err, "--key goes with --cert"));

    run_ws (&run3, NULL, bad_ca);
    g_assert_cmpint (run3.status, ==, 3);
    g_assert_nonnull (strstr (run3.err, key));
  }

  /* Cookies from standard input go with --send only (stdin carries the messages otherwise) */
  {
    const char *no_send[] = { url, "--cacert", ca, "--cert", cert, "--key", key, "-b", "-", NULL };
    const char *with_send[] = { url, "--cacert", ca, "--cert", cert, "--key", key, "-b", "-",
                                "--send", "hi", NULL };
    g_auto(Run) run = { 0 };
    g_auto(Run) run2 = { 0 };

    run_ws (&run, "", no_send);
    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "-b - reads cookies from standard input"));

    run_ws (&run2, "localhost\tFALSE\t/\tFALSE\t0\tfrom\tstdin\n", with_send);
    g_assert_cmpint (run2.status, ==, 0);
    g_assert_cmpstr (run2.out, ==, "cookie=from=stdin cert=CN=ladle-client|hi\n");
  }

  ladle_test_server_free (server);
}

/* wss:// through tinyproxy's CONNECT tunnel (its log shows it) with the CA bundle and the client
 * certificate, both engines; with credentials; --noproxy goes around; a proxy that is down is
 * named. Then SOCKS5 through dante. */
static void
test_proxy (Fixture       *f,
            gconstpointer  data)
{
  TlsTarget target = { f->tmpdir, 0 };
  LadleTestServer *server;
  g_autofree char *url = NULL;
  g_autofree char *ca = g_build_filename (f->tmpdir, "ca.pem", NULL);
  g_autofree char *cert = g_build_filename (f->tmpdir, "client.pem", NULL);
  g_autofree char *key = g_build_filename (f->tmpdir, "client.key", NULL);
  g_autofree char *tp_log = g_build_filename (f->tmpdir, "tinyproxy.log", NULL);
  g_autofree char *tp_text = NULL;
  g_autofree char *proxy = NULL;
  g_autofree char *dead = NULL;
  const char *expected = "cookie=none cert=CN=ladle-client|through\n";
  guint tp_port = ladle_test_unused_port ();
  GSubprocess *tp;

  if (!ladle_test_have_program ("openssl", "openssl") || !ladle_test_have_program ("tinyproxy", "tinyproxy"))
    return;
  make_pki (f->tmpdir);
  server = ladle_test_server_new (tls_target_setup, &target);
  url = g_strdup_printf ("wss://localhost:%u/ws", target.https_port);

  tp_text = g_strdup_printf ("LogFile \"%s\"\nBasicAuth ladle s3cret\n", tp_log);
  tp = ladle_test_start_tinyproxy (f->tmpdir, "tinyproxy", tp_port, tp_text);
  proxy = g_strdup_printf ("http://127.0.0.1:%u", tp_port);

  for (guint deflate = 0; deflate < 2; deflate++)
    {
      const char *engine = deflate ? "--deflate" : NULL;
      guint before = ladle_test_count_in_file (tp_log, "CONNECT");
      g_auto(Run) run = { 0 };
      g_auto(Run) in_url = { 0 };
      g_auto(Run) no_auth = { 0 };
      g_auto(Run) around = { 0 };

      {
        const char *args[] = { url, "--proxy", proxy, "--proxy-user", "ladle:s3cret",
                               "--cacert", ca, "--cert", cert, "--key", key, "--send", "through",
                               engine, NULL };

        run_ws (&run, NULL, args);
        g_assert_cmpint (run.status, ==, 0);
        g_assert_cmpstr (run.out, ==, expected);
        g_assert_cmpuint (ladle_test_count_in_file (tp_log, "CONNECT"), >, before);
      }

      /* The credentials in the proxy's URL */
      {
        g_autofree char *with_user = g_strdup_printf ("http://ladle:s3cret@127.0.0.1:%u",
                                                      tp_port);
        const char *args[] = { url, "-x", with_user, "--cacert", ca, "--cert", cert, "--key",
                               key, "--send", "through", engine, NULL };

        run_ws (&in_url, NULL, args);
        g_assert_cmpint (in_url.status, ==, 0);
        g_assert_cmpstr (in_url.out, ==, expected);
        g_assert_null (strstr (in_url.err, "s3cret"));
      }

      /* No credentials: the proxy refuses the tunnel, and says so */
      {
        const char *args[] = { url, "--proxy", proxy, "--cacert", ca, "--cert", cert, "--key",
                               key, "--send", "through", engine, NULL };

        run_ws (&no_auth, NULL, args);
        g_assert_cmpint (no_auth.status, ==, 3);
        g_assert_nonnull (strstr (no_auth.err, "needs a user name and password"));
      }

      /* --noproxy: straight to the server, the proxy not asked */
      {
        const char *args[] = { url, "--proxy", proxy, "--noproxy", "example.com,localhost",
                               "--cacert", ca, "--cert", cert, "--key", key, "--send", "through",
                               engine, NULL };
        guint seen = ladle_test_count_in_file (tp_log, "CONNECT");

        run_ws (&around, NULL, args);
        g_assert_cmpint (around.status, ==, 0);
        g_assert_cmpstr (around.out, ==, expected);
        g_assert_cmpuint (ladle_test_count_in_file (tp_log, "CONNECT"), ==, seen);
      }
    }
  ladle_test_stop_peer (tp);

  /* A proxy that is not running */
  dead = g_strdup_printf ("http://127.0.0.1:%u", ladle_test_unused_port ());
  for (guint deflate = 0; deflate < 2; deflate++)
    {
      const char *args[] = { url, "--proxy", dead, "--cacert", ca, "--send", "x",
                             deflate ? "--deflate" : NULL, NULL };
      g_autofree char *expected_err = g_strdup_printf ("ladle ws: Connection refused by the "
                                                       "proxy %s (is it running?)\n", dead);
      g_auto(Run) run = { 0 };

      run_ws (&run, NULL, args);
      g_assert_cmpint (run.status, ==, 3);
      g_assert_cmpstr (run.err, ==, expected_err);
    }

  /* SOCKS5 through dante */
  if (g_file_test ("/usr/sbin/danted", G_FILE_TEST_IS_EXECUTABLE))
    {
      guint port = ladle_test_unused_port ();
      g_autofree char *log = g_build_filename (f->tmpdir, "danted.log", NULL);
      g_autofree char *socks = g_strdup_printf ("socks5h://127.0.0.1:%u", port);
      GSubprocess *dante;

      dante = ladle_test_start_dante (f->tmpdir, port, FALSE, log);
      for (guint deflate = 0; deflate < 2; deflate++)
        {
          const char *args[] = { url, "--proxy", socks, "--cacert", ca, "--cert", cert,
                                 "--key", key, "--send", "through",
                                 deflate ? "--deflate" : NULL, NULL };
          guint before = ladle_test_count_in_file (log, "pass");
          g_auto(Run) run = { 0 };

          run_ws (&run, NULL, args);
          g_assert_cmpint (run.status, ==, 0);
          g_assert_cmpstr (run.out, ==, expected);
          LADLE_TEST_WAIT_UNTIL (ladle_test_count_in_file (log, "pass") > before, 5000);
        }
      ladle_test_stop_peer (dante);
    }
  else
    g_test_message ("dante-server is not installed: SOCKS5 not tried");

  ladle_test_server_free (server);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  if (g_getenv ("LADLE_BIN") == NULL)
    g_error ("LADLE_BIN must name the ladle executable (meson test sets it)");

#define ADD(path, func) \
  g_test_add ("/ladle/cli-ws/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("send-twice", test_send_twice);
  ADD ("stdin", test_stdin);
  ADD ("send-file", test_send_file);
  ADD ("verbose", test_verbose);
  ADD ("timeout", test_timeout);
  ADD ("protocol-error", test_protocol_error);
  ADD ("help", test_help);
  ADD ("usage", test_usage);
  ADD ("refused", test_refused);
  ADD ("aiohttp", test_aiohttp);
  ADD ("repeat", test_repeat);
  ADD ("tls", test_tls);
  ADD ("proxy", test_proxy);

#undef ADD

  return ladle_test_run ();
}
