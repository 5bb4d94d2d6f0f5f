/* test-cli-serve.c
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

#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "ladle-test-utils.h"
#include "ladle-tls-cert.h"

/* `ladle serve` as a user runs it: a real process, its stdout, its exit status. */


/* --- Shared helper (the interop tests carry a copy) ------------------------------------------ */


/* --- Fixture --------------------------------------------------------------------------------- */

typedef struct
{
  char        *tmpdir;
  char        *uploads;
  SoupSession *session;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->tmpdir = ladle_test_make_tmpdir ("ladle-cli-serve-XXXXXX");
  fixture->uploads = g_build_filename (fixture->tmpdir, "uploads", NULL);
  g_assert_cmpint (g_mkdir (fixture->uploads, 0755), ==, 0);
  fixture->session = soup_session_new ();
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->session);
  ladle_test_rm_rf (fixture->tmpdir);
  g_free (fixture->uploads);
  g_free (fixture->tmpdir);
}

static char *
fetch_text (Fixture    *fixture,
            const char *url,
            guint      *out_status)
{
  g_autoptr(GBytes) body = ladle_test_fetch (fixture->session, "GET", url, NULL, NULL, out_status,
                                             NULL);

  return g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

static void
assert_one_line (const char *text)
{
  const char *newline = strchr (text, '\n');

  g_assert_nonnull (newline);
  g_assert_cmpstr (newline, ==, "\n");
}

/* Asserts @text is one message line (with a "ladle…:" prefix) followed by the --help hint. */
static void
assert_usage_error (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_true (g_str_has_prefix (lines[0], "ladle serve: "));
  g_assert_true (g_str_has_prefix (lines[1], "Run “ladle serve --help”"));
  g_assert_cmpstr (lines[2], ==, "");
}

/* --- Tests ----------------------------------------------------------------------------------- */

static void
test_serving_line_and_log (Fixture       *fixture,
                           gconstpointer  data)
{
  LadleTestServe serve;
  g_autofree char *expected = NULL;
  g_autofree char *root = NULL;
  g_autofree char *body = NULL;
  g_autofree char *log = NULL;
  guint status = 0;

  ladle_test_serve_start (&serve, fixture->uploads, NULL, NULL);

  /* The default host is loopback, and the line names the real port. */
  expected = g_strdup_printf ("Serving on http://127.0.0.1:%u/", serve.port);
  g_assert_cmpstr (serve.first_line, ==, expected);

  root = g_strconcat (serve.url, "/", NULL);
  body = fetch_text (fixture, root, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (body, ==, "Hello, World!");

  log = ladle_test_read_line (serve.out);
  g_assert_nonnull (log);
  g_assert_nonnull (strstr (log, " 127.0.0.1 GET / 200 "));
  g_assert_true (g_regex_match_simple ("^[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3} .* 13B [0-9.]+ms$",
                                       log, 0, 0));

  ladle_test_serve_stop (&serve, SIGTERM);
}

/* In a fresh process too (libsoup 3.2's private connection type is registered lazily), the
 * server keeps connections alive: two requests on one connection, no "Connection: close". */
static void
test_keep_alive (Fixture       *fixture,
                 gconstpointer  data)
{
  LadleTestServe serve;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GError) error = NULL;
  GInputStream *in;
  GOutputStream *out;

  ladle_test_serve_start (&serve, fixture->uploads, NULL, NULL);
  conn = g_socket_client_connect_to_host (client, "127.0.0.1", serve.port, NULL, &error);
  g_assert_no_error (error);
  in = g_io_stream_get_input_stream (G_IO_STREAM (conn));
  out = g_io_stream_get_output_stream (G_IO_STREAM (conn));

  for (guint i = 0; i < 2; i++)
    {
      static const char request[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
      g_autoptr(GString) response = g_string_new (NULL);
      char buf[1024];

      g_assert_true (g_output_stream_write_all (out, request, strlen (request), NULL, NULL,
                                                &error));
      while (strstr (response->str, "Hello, World!") == NULL)
        {
          gssize n = g_input_stream_read (in, buf, sizeof buf, NULL, &error);

          g_assert_no_error (error);
          g_assert_cmpint (n, >, 0);
          g_string_append_len (response, buf, n);
        }
      g_assert_true (g_str_has_prefix (response->str, "HTTP/1.1 200"));
      g_assert_null (strcasestr (response->str, "Connection: close"));
    }

  ladle_test_serve_stop (&serve, SIGTERM);
}

static void
test_sigint (Fixture       *fixture,
             gconstpointer  data)
{
  LadleTestServe serve;

  ladle_test_serve_start (&serve, fixture->uploads, NULL, NULL);
  ladle_test_serve_stop (&serve, SIGINT);
}

static void
test_sigterm_during_upload (Fixture       *fixture,
                            gconstpointer  data)
{
  const gsize file_size = 10 * 1024 * 1024;
  const char *boundary = "ladle-test-boundary";
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *part_head = NULL;
  g_autofree char *tail = NULL;
  g_autofree char *head = NULL;
  g_autofree char *chunk = g_malloc0 (256 * 1024);
  GOutputStream *out;
  LadleTestServe serve;

  ladle_test_serve_start (&serve, fixture->uploads, NULL, NULL);

  part_head = g_strdup_printf ("--%s\r\nContent-Disposition: form-data; name=\"file\"; "
                               "filename=\"big.bin\"\r\nContent-Type: application/octet-stream"
                               "\r\n\r\n", boundary);
  tail = g_strdup_printf ("\r\n--%s--\r\n", boundary);
  head = g_strdup_printf ("POST /upload HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
                          "Content-Type: multipart/form-data; boundary=%s\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n%s",
                          serve.port, boundary, strlen (part_head) + file_size + strlen (tail),
                          part_head);

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", serve.port, NULL, &error);
  g_assert_no_error (error);
  out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_output_stream_write_all (out, head, strlen (head), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (out, chunk, 256 * 1024, NULL, NULL, &error);
  g_assert_no_error (error);

  /* The upload is in flight once its temporary file exists. */
  LADLE_TEST_WAIT_UNTIL (ladle_test_count_entries (fixture->uploads) > 0, 10000);

  ladle_test_serve_stop (&serve, SIGTERM);
  g_assert_cmpuint (ladle_test_count_entries (fixture->uploads), ==, 0);
}

static void
test_port_in_use (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *port = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (socket, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_strdup_printf ("%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  {
    const char *argv[] = { g_getenv ("LADLE_BIN"), "serve", "--port", port,
                           "--uploads", fixture->uploads, NULL };

    g_assert_cmpint (ladle_test_run_command (argv, NULL, &out, &err), ==, 1);
  }

  g_assert_cmpstr (out, ==, "");
  assert_one_line (err);
  g_assert_nonnull (strstr (err, "already in use"));
  g_assert_nonnull (strstr (err, port));
  g_assert_null (strstr (err, "Trace"));
  g_assert_null (strstr (err, "CRITICAL"));
}

static void
test_uploads_not_writable (Fixture       *fixture,
                           gconstpointer  data)
{
  /* Root ignores permissions, but not a regular file in the middle of a path. */
  g_autofree char *file = g_build_filename (fixture->tmpdir, "a-file", NULL);
  g_autofree char *uploads = g_build_filename (file, "uploads", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { g_getenv ("LADLE_BIN"), "serve", "--port", "0",
                         "--uploads", uploads, NULL };

  g_assert_true (g_file_set_contents (file, "", 0, NULL));
  g_assert_cmpint (ladle_test_run_command (argv, NULL, &out, &err), ==, 1);

  g_assert_cmpstr (out, ==, "");
  assert_one_line (err);
  g_assert_nonnull (strstr (err, uploads));
}

static void
test_bad_options (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *cases[][2] = {
    { "--bogus", NULL },
    { "--port", "70000" },
    { "--max-upload-size", "12X" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *argv[] = { g_getenv ("LADLE_BIN"), "serve", "--uploads", fixture->uploads,
                             cases[i][0], cases[i][1], NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_test_message ("ladle serve %s %s", cases[i][0], cases[i][1] ? cases[i][1] : "");
      g_assert_cmpint (ladle_test_run_command (argv, NULL, &out, &err), ==, 2);
      g_assert_cmpstr (out, ==, "");
      g_assert_nonnull (strstr (err, cases[i][1] != NULL ? cases[i][1] : cases[i][0]));
      assert_usage_error (err);
    }
}

static void
test_routes_broken (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *routes = g_build_filename (fixture->tmpdir, "routes.json", NULL);
  g_autofree char *escaped = g_regex_escape_string (routes, -1);
  g_autofree char *pattern = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { g_getenv ("LADLE_BIN"), "serve", "--port", "0",
                         "--uploads", fixture->uploads, "--routes", routes, NULL };

  g_assert_true (g_file_set_contents (routes, "{\n  \"version\": 1,\n  \"routes\": [ {\n", -1,
                                      NULL));
  g_assert_cmpint (ladle_test_run_command (argv, NULL, &out, &err), ==, 1);
  g_assert_cmpstr (out, ==, "");
  assert_one_line (err);

  pattern = g_strdup_printf ("%s:[0-9]+:[0-9]+: ", escaped);
  g_assert_true (g_regex_match_simple (pattern, err, 0, 0));
  g_assert_null (strstr (err, "CRITICAL"));
}

static void
test_routes_good (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *routes = g_build_filename (fixture->tmpdir, "routes.json", NULL);
  const char *args[] = { "--routes", routes, NULL };
  g_autofree char *hello = NULL;
  g_autofree char *root = NULL;
  g_autofree char *body = NULL;
  guint status = 0;
  LadleTestServe serve;

  g_assert_true (g_file_set_contents (routes,
                                      "{ \"version\": 1, \"routes\": [\n"
                                      "  { \"method\": \"GET\", \"path\": \"/hello/{name}\",\n"
                                      "    \"body\": \"hi {name}\" },\n"
                                      "  { \"method\": \"GET\", \"path\": \"/\",\n"
                                      "    \"status\": 202, \"body\": \"mocked root\" }\n"
                                      "] }\n", -1, NULL));
  ladle_test_serve_start (&serve, fixture->uploads, args, NULL);

  hello = g_strconcat (serve.url, "/hello/ladle", NULL);
  body = fetch_text (fixture, hello, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (body, ==, "hi ladle");
  g_clear_pointer (&body, g_free);

  root = g_strconcat (serve.url, "/", NULL);
  body = fetch_text (fixture, root, &status);
  g_assert_cmpuint (status, ==, 202);
  g_assert_cmpstr (body, ==, "mocked root");

  ladle_test_serve_stop (&serve, SIGTERM);
}

/* Runs `ladle serve --routes @routes` (and @extra, if any), which must refuse to start: exit
 * status 1 and one line that names @routes, quickly. Returns that line. */
static char *
run_refused (Fixture    *fixture,
             const char *routes,
             const char *extra)
{
  const char *argv[] = { g_getenv ("LADLE_BIN"), "serve", "--port", "0",
                         "--uploads", fixture->uploads, "--routes", routes, extra, NULL };
  g_autofree char *out = NULL;
  char *err = NULL;

  g_assert_cmpint (ladle_test_run_command (argv, NULL, &out, &err), ==, 1);
  g_test_message ("%s", err);
  g_assert_cmpstr (out, ==, "");
  assert_one_line (err);
  g_assert_true (g_str_has_prefix (err, "ladle serve: "));
  g_assert_nonnull (strstr (err, routes));
  g_assert_null (strstr (err, "CRITICAL"));
  return err;
}

/* Routes files that would hurt the server are refused before it starts: not a regular file
 * (read forever, or waited on), a 1xx status (sent in a loop), a control character in a
 * header. */
static void
test_routes_refused (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *fifo = g_build_filename (fixture->tmpdir, "routes.fifo", NULL);
  g_autofree char *routes = g_build_filename (fixture->tmpdir, "routes.json", NULL);
  g_autofree char *err = NULL;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  err = run_refused (fixture, fifo, NULL);
  g_assert_nonnull (strstr (err, "named pipe"));
  g_clear_pointer (&err, g_free);

  err = run_refused (fixture, "/dev/zero", NULL);
  g_assert_nonnull (strstr (err, "character device"));
  g_clear_pointer (&err, g_free);

  err = run_refused (fixture, fixture->uploads, NULL);
  g_assert_nonnull (strstr (err, "folder"));
  g_clear_pointer (&err, g_free);

  g_assert_true (g_file_set_contents (routes, "{ \"version\": 1, \"routes\": [\n"
                                      "  { \"path\": \"/a\", \"status\": 100 }\n] }\n", -1, NULL));
  err = run_refused (fixture, routes, NULL);
  g_assert_nonnull (strstr (err, "routes.json:2:3: route 1: "));
  g_assert_nonnull (strstr (err, "1xx"));
  g_clear_pointer (&err, g_free);

  g_assert_true (g_file_set_contents (routes, "{ \"version\": 1, \"routes\": [\n"
                                      "  { \"path\": \"/a\", \"headers\": { \"X-A\": \"1\\u0007\" } }"
                                      "\n] }\n", -1, NULL));
  err = run_refused (fixture, routes, NULL);
  g_assert_nonnull (strstr (err, "routes.json:2:3: route 1: "));
  g_assert_nonnull (strstr (err, "\\x07"));
}

/* Body files stay in the routes file's folder unless the user says otherwise on the command
 * line, which the help tells. */
static void
test_routes_body_file_anywhere (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *mock = g_build_filename (fixture->tmpdir, "mock", NULL);
  g_autofree char *routes = g_build_filename (mock, "routes.json", NULL);
  g_autofree char *secret = g_build_filename (fixture->tmpdir, "secret.txt", NULL);
  g_autofree char *inside = g_build_filename (mock, "inside.txt", NULL);
  const char *help[] = { g_getenv ("LADLE_BIN"), "serve", "--help", NULL };
  const char *args[] = { "--routes", routes, "--allow-any-body-file", NULL };
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;
  g_autofree char *url = NULL;
  g_autofree char *body = NULL;
  guint status = 0;
  LadleTestServe serve;

  g_assert_cmpint (g_mkdir (mock, 0755), ==, 0);
  g_assert_true (g_file_set_contents (secret, "secret", -1, NULL));
  g_assert_true (g_file_set_contents (inside, "inside", -1, NULL));
  g_assert_true (g_file_set_contents (routes, "{ \"version\": 1, \"routes\": [\n"
                                      "  { \"path\": \"/in\", \"body_file\": \"inside.txt\" },\n"
                                      "  { \"path\": \"/out\", \"body_file\": \"../secret.txt\" }\n"
                                      "] }\n", -1, NULL));

  err = run_refused (fixture, routes, NULL);
  g_assert_nonnull (strstr (err, "routes.json:3:3: route 2: "));
  g_assert_nonnull (strstr (err, secret));
  g_assert_nonnull (strstr (err, "--allow-any-body-file"));

  ladle_test_serve_start (&serve, fixture->uploads, args, NULL);
  url = g_strconcat (serve.url, "/out", NULL);
  body = fetch_text (fixture, url, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (body, ==, "secret");
  ladle_test_serve_stop (&serve, SIGTERM);

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ladle_test_run_command (help, NULL, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "--allow-any-body-file"));
  g_assert_nonnull (strstr (out, "16 MiB"));
}

static void
test_max_upload_size (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *args[] = { "--max-upload-size", "1K", NULL };
  g_autoptr(SoupMultipart) multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  g_autoptr(GBytes) file = g_bytes_new_take (g_malloc0 (10 * 1024), 10 * 1024);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *upload = NULL;
  LadleTestServe serve;

  ladle_test_serve_start (&serve, fixture->uploads, args, NULL);

  soup_multipart_append_form_file (multipart, "file", "ten.bin", "application/octet-stream", file);
  upload = g_strconcat (serve.url, "/upload", NULL);
  msg = soup_message_new_from_multipart (upload, multipart);
  body = soup_session_send_and_read (fixture->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
  g_assert_cmpuint (ladle_test_count_entries (fixture->uploads), ==, 0);

  ladle_test_serve_stop (&serve, SIGTERM);
}

static void
test_translation (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *build_dir = g_path_get_dirname (g_getenv ("LADLE_BIN"));
  g_autofree char *top = g_path_get_dirname (build_dir);
  g_autofree char *localedir = g_build_filename (top, "po", NULL);
  g_autofree char *mo = g_build_filename (localedir, "ru", "LC_MESSAGES", "ladle.mo", NULL);
  /* glibc honours LANGUAGE under C.UTF-8 (only the plain "C" locale makes it ignored), so no
   * Russian locale needs to be installed. */
  const char *env[] = { "LC_ALL", "C.UTF-8", "LANGUAGE", "ru", "LADLE_LOCALEDIR", localedir, NULL };
  g_autofree char *expected = NULL;
  LadleTestServe serve;

  if (!g_file_test (mo, G_FILE_TEST_IS_REGULAR))
    {
      g_test_skip ("no compiled Russian catalogue in the build folder (gettext not built?)");
      return;
    }

  ladle_test_serve_start (&serve, fixture->uploads, NULL, env);
  expected = g_strdup_printf ("Сервер работает на http://127.0.0.1:%u/", serve.port);
  g_assert_cmpstr (serve.first_line, ==, expected);
  ladle_test_serve_stop (&serve, SIGTERM);
}

/* Sends a GET on @fd and returns the status line of the answer, waiting at most @timeout_ms */
static char *
raw_get_status (int fd,
                int timeout_ms)
{
  static const char request[] = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  GString *buf = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  g_assert_cmpint (send (fd, request, sizeof request - 1, MSG_NOSIGNAL), ==, sizeof request - 1);
  while (strstr (buf->str, "\r\n") == NULL)
    {
      struct pollfd pfd = { fd, POLLIN, 0 };
      char chunk[1024];
      gssize n;
      int left = (int) ((deadline - g_get_monotonic_time ()) / 1000);

      if (left <= 0 || poll (&pfd, 1, left) <= 0)
        break;
      n = recv (fd, chunk, sizeof chunk, 0);
      if (n <= 0)
        break;
      g_string_append_len (buf, chunk, n);
    }

  if (strstr (buf->str, "\r\n") != NULL)
    *strstr (buf->str, "\r\n") = '\0';
  return g_string_free (buf, FALSE);
}

/* libsoup 3.2 stops accepting for good at the first failed accept(). With the server out of file
 * descriptors (a limit of 64, the ceiling set above it) and clients still arriving, then gone, a
 * new client must be served again. */
static void
test_fd_exhaustion (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *args[] = { "--max-connections", "1000", NULL };
  LadleTestServe serve;
  int fds[100];
  int fd;
  g_autofree char *status = NULL;

  ladle_test_set_child_nofile (64, 64);
  ladle_test_serve_start (&serve, fixture->uploads, args, NULL);
  ladle_test_set_child_nofile (0, 0);

  for (guint i = 0; i < G_N_ELEMENTS (fds); i++)
    fds[i] = ladle_test_raw_connect (serve.port);
  /* Some are in, until the server has no descriptor left; the rest wait in the listen queue */
  {
    g_autofree char *fd_dir = g_strdup_printf ("/proc/%s/fd",
                                               g_subprocess_get_identifier (serve.proc));

    LADLE_TEST_WAIT_UNTIL (ladle_test_count_entries (fd_dir) >= 64, 20000);
  }
  /* Then all leave */
  for (guint i = 0; i < G_N_ELEMENTS (fds); i++)
    close (fds[i]);

  fd = ladle_test_raw_connect (serve.port);
  status = raw_get_status (fd, 20000);
  close (fd);
  g_assert_cmpstr (status, ==, "HTTP/1.1 200 OK");

  ladle_test_serve_stop (&serve, SIGTERM);
}

/* The soft limit on open files is raised to the hard one: with a soft limit of 64 and a hard one
 * of 4096, 300 clients at once are all served. */
static void
test_fd_limit_raised (Fixture       *fixture,
                      gconstpointer  data)
{
  LadleTestServe serve;
  int fds[300];

  ladle_test_set_child_nofile (64, 4096);
  ladle_test_serve_start (&serve, fixture->uploads, NULL, NULL);
  ladle_test_set_child_nofile (0, 0);

  for (guint i = 0; i < G_N_ELEMENTS (fds); i++)
    fds[i] = ladle_test_raw_connect (serve.port);
  for (guint i = 0; i < G_N_ELEMENTS (fds); i++)
    {
      g_autofree char *status = raw_get_status (fds[i], 20000);

      if (g_strcmp0 (status, "HTTP/1.1 200 OK") != 0)
        g_error ("client %u got “%s”", i, status);
    }
  for (guint i = 0; i < G_N_ELEMENTS (fds); i++)
    close (fds[i]);

  ladle_test_serve_stop (&serve, SIGTERM);
}

/* --tls-cert/--tls-key with files that will not do: one line naming the file and the problem,
 * exit status 1 (2 for options that do not go together), nothing on stdout; an expired
 * certificate serves, with a warning. The self-signed pair is the data folder's, and a broken one
 * is reported, not replaced. */
static void
test_tls_errors (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *cert_a = NULL, *key_a = NULL, *cert_b = NULL, *key_b = NULL;
  g_autofree char *cert_path = g_build_filename (fixture->tmpdir, "a.crt", NULL);
  g_autofree char *key_path = g_build_filename (fixture->tmpdir, "b.key", NULL);
  g_autofree char *missing = g_build_filename (fixture->tmpdir, "missing.pem", NULL);
  g_autofree char *data_home = g_build_filename (fixture->tmpdir, "data", NULL);
  g_autofree char *stored_dir = g_build_filename (data_home, APP_ID, LADLE_TLS_CERT_DIR_NAME,
                                                  NULL);
  g_autofree char *stored_cert = g_build_filename (stored_dir, LADLE_TLS_CERT_FILE_NAME, NULL);
  g_autofree char *contents = NULL;
  const char *env[] = { "XDG_DATA_HOME", data_home, NULL };
  const struct { const char *args[5]; int status; const char *expect; } cases[] = {
    { { "--tls-key", key_path, NULL }, 2, "--tls-key needs --tls-cert" },
    { { "--tls-cert", missing, NULL }, 1, "Could not read " },
    { { "--tls-cert", cert_path, "--tls-key", cert_path, NULL }, 1,
      "this is a certificate, not a private key" },
    { { "--tls-cert", cert_path, "--tls-key", key_path, NULL }, 1,
      "the private key does not match the certificate in" },
    { { "--tls", NULL }, 1, "not a PEM certificate" },
  };
  g_autoptr(GError) error = NULL;

  g_assert_true (ladle_tls_cert_generate_pem (&cert_a, &key_a, &error));
  g_assert_true (ladle_tls_cert_generate_pem (&cert_b, &key_b, &error));
  g_assert_true (g_file_set_contents (cert_path, cert_a, -1, NULL));
  g_assert_true (g_file_set_contents (key_path, key_b, -1, NULL));
  g_assert_cmpint (g_mkdir_with_parents (stored_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (stored_cert, "not a certificate\n", -1, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *argv[16] = { g_getenv ("LADLE_BIN"), "serve", "--port", "0",
                               "--uploads", fixture->uploads };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      guint n = 6;

      for (guint a = 0; cases[i].args[a] != NULL; a++)
        argv[n++] = cases[i].args[a];
      argv[n] = NULL;

      g_test_message ("ladle serve %s", cases[i].args[0]);
      g_assert_cmpint (ladle_test_run_command (argv, env, &out, &err), ==, cases[i].status);
      g_assert_cmpstr (out, ==, "");
      g_assert_nonnull (strstr (err, cases[i].expect));
      if (cases[i].status == 1)
        assert_one_line (err);
    }

  /* The broken stored certificate was left as it was */
  g_assert_true (g_file_get_contents (stored_cert, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "not a certificate\n");
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  if (g_getenv ("LADLE_BIN") == NULL)
    g_error ("LADLE_BIN must name the ladle executable (meson test sets it)");

#define ADD(path, func) \
  g_test_add ("/ladle/cli-serve/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("serving-line-and-log", test_serving_line_and_log);
  ADD ("keep-alive", test_keep_alive);
  ADD ("sigint", test_sigint);
  ADD ("sigterm-during-upload", test_sigterm_during_upload);
  ADD ("port-in-use", test_port_in_use);
  ADD ("uploads-not-writable", test_uploads_not_writable);
  ADD ("bad-options", test_bad_options);
  ADD ("routes-broken", test_routes_broken);
  ADD ("routes-good", test_routes_good);
  ADD ("routes-refused", test_routes_refused);
  ADD ("routes-body-file-anywhere", test_routes_body_file_anywhere);
  ADD ("max-upload-size", test_max_upload_size);
  ADD ("translation", test_translation);
  ADD ("fd-exhaustion", test_fd_exhaustion);
  ADD ("fd-limit-raised", test_fd_limit_raised);
  ADD ("tls-errors", test_tls_errors);

#undef ADD

  return ladle_test_run ();
}
