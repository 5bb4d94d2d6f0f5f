/* test-server-tls.c
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

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ladle-http-client.h"
#include "ladle-server.h"
#include "ladle-tls-cert.h"
#include "ladle-test-utils.h"

/* Ladle's server over HTTPS, seen by clients that verify its certificate (a trust database made of
 * the self-signed certificate itself): every kind of route, uploads, the WebSocket echo over wss://,
 * one handshake per keep-alive connection, the gate's early answers through TLS, and clients that
 * fail the handshake or never start it. */

typedef struct
{
  char            *dir;
  char            *uploads;
  char            *cert_path;
  LadleTlsCert    *cert;
  LadleServer     *server;
  GTlsDatabase    *database;
  SoupSession     *session;
  guint            port;
  char            *url;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tls_dir = NULL;

  f->dir = ladle_test_make_tmpdir ("ladle-server-tls-XXXXXX");
  f->uploads = g_build_filename (f->dir, "uploads", NULL);
  tls_dir = g_build_filename (f->dir, "tls", NULL);
  f->cert = ladle_tls_cert_ensure (tls_dir, &error);
  g_assert_no_error (error);
  f->cert_path = g_strdup (f->cert->cert_path);
  f->database = g_tls_file_database_new (f->cert_path, &error);
  g_assert_no_error (error);

  f->server = ladle_server_new ();
  ladle_server_set_port (f->server, 0);
  ladle_server_set_uploads_dir (f->server, f->uploads);
  /* Room for a slow handshake (sanitizers, a busy machine): it is bounded by the idle timeout */
  ladle_server_set_idle_timeout (f->server, 10.0);
  ladle_server_set_tls_certificate (f->server, f->cert->certificate);
  g_assert_true (ladle_server_start (f->server, &error));
  g_assert_no_error (error);
  f->port = ladle_server_get_bound_port (f->server);
  f->url = ladle_server_dup_url (f->server);

  f->session = soup_session_new_with_options ("tls-database", f->database, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->session);
  ladle_server_stop (f->server);
  g_clear_object (&f->server);
  g_clear_object (&f->database);
  g_clear_pointer (&f->cert, ladle_tls_cert_free);
  ladle_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->uploads);
  g_free (f->cert_path);
  g_free (f->url);
}

static char *
fetch_text (Fixture    *f,
            const char *method,
            const char *path,
            guint      *out_status)
{
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u%s", f->port, path);
  g_autoptr(GBytes) body = ladle_test_fetch (f->session, method, url, NULL, NULL, out_status,
                                             NULL);

  return body != NULL ? g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body)) : NULL;
}

static void
test_routes (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *expected_url = g_strdup_printf ("\"url\": \"https://127.0.0.1:%u/get?a=1\"",
                                                   f->port);
  g_autofree char *hello = NULL;
  g_autofree char *get = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *form = NULL;
  guint status = 0;

  g_assert_true (g_str_has_prefix (f->url, "https://127.0.0.1:"));

  hello = fetch_text (f, "GET", "/", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (hello, ==, "Hello, World!");

  /* httpbin's URL is what the client asked for, https included */
  get = fetch_text (f, "GET", "/get?a=1", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (get, expected_url));

  form = fetch_text (f, "GET", LADLE_SERVER_UPLOAD_PATH, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (form, "<form"));

  missing = fetch_text (f, "GET", "/no-such-route", &status);
  g_assert_cmpuint (status, ==, 404);
}

static void
test_absolute_redirect (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u/absolute-redirect/1", f->port);
  g_autofree char *expected = g_strdup_printf ("https://127.0.0.1:%u/get", f->port);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  body = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 302);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                 "Location"), ==, expected);
}

/* Many requests, one keep-alive connection: one handshake */
static void
test_one_handshake (Fixture       *f,
                    gconstpointer  data)
{
  LadleServerStats stats;

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *text = NULL;
      guint status = 0;

      text = fetch_text (f, "GET", "/", &status);
      g_assert_cmpuint (status, ==, 200);
    }

  ladle_server_get_stats (f->server, &stats);
  g_assert_cmpuint (stats.n_tls_handshakes, ==, 1);
  g_assert_cmpuint (stats.n_tls_failed, ==, 0);
}

/* Ladle's own client, as the window and `ladle send` use it: two requests on one kept-alive
 * connection, with the server's certificate as the CA bundle and with verification off. The
 * timing waterfall shows a TLS step (tls_start to connect_end) only on the connection's first
 * request; the second has no DNS, connect or TLS step at all. */
typedef struct
{
  LadleResponse *response;
  GError        *error;
  gboolean       done;
} ClientResult;

static void
client_send_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  ClientResult *r = user_data;

  r->response = ladle_http_client_send_finish (LADLE_HTTP_CLIENT (object), result, &r->error);
  r->done = TRUE;
}

static LadleResponse *
client_get (LadleHttpClient *client,
            const char      *url,
            const char      *ca_file,
            gboolean         verify)
{
  g_autoptr(LadleRequest) request = ladle_request_new ();
  ClientResult r = { NULL, NULL, FALSE };

  ladle_request_set_method (request, "GET");
  ladle_request_set_url (request, url);
  ladle_request_set_tls_ca_file (request, ca_file);
  ladle_request_set_verify_tls (request, verify);
  ladle_http_client_send_async (client, request, NULL, NULL, client_send_cb, &r);
  LADLE_TEST_WAIT_UNTIL (r.done, 30000);
  g_assert_no_error (r.error);
  g_assert_cmpuint (ladle_response_get_status (r.response), ==, 200);
  return r.response;
}

static void
test_client_timing (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(LadleHttpClient) client = ladle_http_client_new ();
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u/get", f->port);
  LadleServerStats stats;

  for (guint round = 0; round < 2; round++)
    {
      /* With the CA bundle, then (another session, so another connection) without verifying */
      const char *ca_file = round == 0 ? f->cert_path : NULL;
      gboolean verify = round == 0;
      g_autoptr(LadleResponse) first = client_get (client, url, ca_file, verify);
      g_autoptr(LadleResponse) second = client_get (client, url, ca_file, verify);
      const LadleTiming *t1 = ladle_response_get_timing (first);
      const LadleTiming *t2 = ladle_response_get_timing (second);

      g_test_message ("round %u: first connect %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT
                      " tls %" G_GINT64_FORMAT ", request %" G_GINT64_FORMAT "; second connect %"
                      G_GINT64_FORMAT "..%" G_GINT64_FORMAT " tls %" G_GINT64_FORMAT
                      ", request %" G_GINT64_FORMAT, round, t1->connect_start, t1->connect_end,
                      t1->tls_start, t1->request_start, t2->connect_start, t2->connect_end,
                      t2->tls_start, t2->request_start);

      /* The first request made the connection: connect, then TLS, then the request */
      g_assert_cmpint (t1->connect_start, >, 0);
      g_assert_cmpint (t1->tls_start, >=, t1->connect_start);
      g_assert_cmpint (t1->connect_end, >, t1->tls_start);
      g_assert_cmpint (t1->request_start, >=, t1->connect_end);
      g_assert_cmpint (t1->response_end, >=, t1->response_start);
      /* A loopback TCP connect is a fraction of a TLS setup (glib-networking copies a trust list
       * into each connection, then the handshake): the TLS step starts once TCP is up, not at
       * libsoup's TLS_HANDSHAKING event, which left that setup in "Connect" (21 ms against 2) */
      g_assert_cmpint (t1->tls_start - t1->connect_start, <, t1->connect_end - t1->tls_start);

      /* The second reused it: no DNS, connect or TLS step, only wait and download */
      g_assert_cmpint (t2->dns_start, ==, 0);
      g_assert_cmpint (t2->dns_end, ==, 0);
      g_assert_cmpint (t2->connect_start, ==, 0);
      g_assert_cmpint (t2->connect_end, ==, 0);
      g_assert_cmpint (t2->tls_start, ==, 0);
      g_assert_cmpint (t2->request_start, >, 0);
      g_assert_cmpint (t2->response_start, >=, t2->request_start);
    }

  /* One handshake per connection, one connection per setting */
  ladle_server_get_stats (f->server, &stats);
  g_assert_cmpuint (stats.n_tls_handshakes, ==, 2);
  g_assert_cmpuint (stats.n_tls_failed, ==, 0);
}

/* A 3 MB multipart upload: body bytes come through TLS and the gate into the uploads folder */
static void
test_upload (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u%s", f->port,
                                          LADLE_SERVER_UPLOAD_PATH);
  g_autofree char *stored = g_build_filename (f->uploads, "big.bin", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(SoupMultipart) multipart = soup_multipart_new ("multipart/form-data");
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) file = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  guint8 *data_bytes = g_malloc (3 * 1024 * 1024);
  gsize len = 0;

  for (gsize i = 0; i < 3 * 1024 * 1024; i++)
    data_bytes[i] = (guint8) (i * 31 + (i >> 12));
  file = g_bytes_new_take (data_bytes, 3 * 1024 * 1024);
  soup_multipart_append_form_file (multipart, "file", "big.bin", "application/octet-stream", file);
  msg = soup_message_new_from_multipart (url, multipart);
  answer = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);

  g_assert_true (g_file_get_contents (stored, &contents, &len, NULL));
  g_assert_cmpuint (len, ==, g_bytes_get_size (file));
  g_assert_cmpmem (contents, len, g_bytes_get_data (file, NULL), len);
}

typedef struct
{
  SoupWebsocketConnection *conn;
  GError                  *error;
  char                    *received;
} WsState;

static void
ws_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  WsState *ws = user_data;

  ws->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &ws->error);
}

static void
ws_message (SoupWebsocketConnection *conn,
            SoupWebsocketDataType    type,
            GBytes                  *message,
            gpointer                 user_data)
{
  WsState *ws = user_data;

  g_free (ws->received);
  ws->received = g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message));
}

static void
check_wss (Fixture    *f,
           const char *path,
           gboolean    deflate)
{
  g_autofree char *url = g_strdup_printf ("wss://127.0.0.1:%u%s", f->port, path);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autofree char *big = g_strnfill (100000, 'w');
  WsState ws = { 0 };

  if (!deflate)
    soup_session_remove_feature_by_type (f->session, SOUP_TYPE_WEBSOCKET_EXTENSION_MANAGER);
  soup_session_websocket_connect_async (f->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        ws_connected, &ws);
  LADLE_TEST_WAIT_UNTIL (ws.conn != NULL || ws.error != NULL, 5000);
  g_assert_no_error (ws.error);
  g_signal_connect (ws.conn, "message", G_CALLBACK (ws_message), &ws);

  soup_websocket_connection_send_text (ws.conn, "over TLS");
  LADLE_TEST_WAIT_UNTIL (ws.received != NULL, 5000);
  g_assert_cmpstr (ws.received, ==, "over TLS");

  /* Larger than a TLS record */
  g_clear_pointer (&ws.received, g_free);
  soup_websocket_connection_send_text (ws.conn, big);
  LADLE_TEST_WAIT_UNTIL (ws.received != NULL, 5000);
  g_assert_cmpstr (ws.received, ==, big);

  soup_websocket_connection_close (ws.conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  LADLE_TEST_WAIT_UNTIL (soup_websocket_connection_get_state (ws.conn) == SOUP_WEBSOCKET_STATE_CLOSED,
                         5000);
  g_clear_object (&ws.conn);
  g_free (ws.received);
}

static void
test_wss_echo (Fixture       *f,
               gconstpointer  data)
{
  /* With permessage-deflate (libsoup's connection on the server) */
  check_wss (f, "/websocket/echo", TRUE);
  /* Without (Ladle's own codec, reading the TLS stream) */
  check_wss (f, "/websocket/echo", FALSE);
}

static GIOStream *
tls_connect (Fixture  *f,
             GError  **error)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) tcp = NULL;
  g_autoptr(GIOStream) tls = NULL;
  g_autoptr(GSocketConnectable) identity = g_network_address_new ("127.0.0.1", f->port);

  tcp = g_socket_client_connect_to_host (client, "127.0.0.1", f->port, NULL, error);
  if (tcp == NULL)
    return NULL;
  tls = g_tls_client_connection_new (G_IO_STREAM (tcp), identity, error);
  if (tls == NULL)
    return NULL;
  g_tls_connection_set_database (G_TLS_CONNECTION (tls), f->database);
  if (!g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, error))
    return NULL;
  return g_steal_pointer (&tls);
}

static char *
read_all (GIOStream *stream)
{
  GInputStream *in = g_io_stream_get_input_stream (stream);
  GString *out = g_string_new (NULL);
  char buf[4096];
  gssize n;

  while ((n = g_input_stream_read (in, buf, sizeof buf, NULL, NULL)) > 0 && out->len < 1024 * 1024)
    g_string_append_len (out, buf, n);

  return g_string_free (out, FALSE);
}

/* The gate refuses a request whose framing reads two ways: its answer goes out through TLS */
static void
test_gate_answer (Fixture       *f,
                  gconstpointer  data)
{
  static const char request[] =
    "POST /post HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n"
    "0\r\n\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOStream) tls = tls_connect (f, &error);
  g_autofree char *answer = NULL;

  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (tls), request,
                                            strlen (request), NULL, NULL, &error));
  answer = read_all (tls);
  g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 400"));
  g_assert_nonnull (strstr (answer, "both Content-Length and Transfer-Encoding"));
}

/* A body in whole 16 KiB TLS records, the client then silent until answered: nothing of a record
 * may stay decrypted and unread inside the server's TLS library while it waits for the socket */
static void
test_body_records (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOStream) tls = tls_connect (f, &error);
  g_autoptr(GString) request = g_string_new (NULL);
  g_autofree char *answer = NULL;
  gsize body_len = 3 * 16384 + 100;

  g_assert_no_error (error);
  g_string_append_printf (request, "POST /anything HTTP/1.1\r\nHost: a\r\nConnection: close\r\n"
                          "Content-Type: text/plain\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n\r\n",
                          body_len);
  for (gsize i = 0; i < body_len; i++)
    g_string_append_c (request, 'a' + i % 26);
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (tls), request->str,
                                            request->len, NULL, NULL, &error));
  g_assert_no_error (error);
  answer = read_all (tls);
  g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 200"));
  g_assert_nonnull (strstr (answer, "xyzabc"));
}

/* Clients that connect and stay silent hold no handshake thread: with more of them than GTask's
 * pool has threads, a real client is still answered at once; stopping drops them. */
static void
test_silent_clients (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hello = NULL;
  int silent[40];
  guint status = 0;
  gint64 start;

  ladle_server_stop (f->server);
  ladle_server_set_idle_timeout (f->server, 20.0);
  ladle_server_set_port (f->server, f->port);
  g_assert_true (ladle_server_start (f->server, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (silent); i++)
    {
      silent[i] = ladle_test_raw_connect (f->port);
      g_assert_cmpint (silent[i], >=, 0);
    }

  start = g_get_monotonic_time ();
  hello = fetch_text (f, "GET", "/", &status);
  g_assert_cmpuint (status, ==, 200);
  g_test_message ("answered in %.1f ms beside %u silent clients",
                  (g_get_monotonic_time () - start) / 1000.0, (guint) G_N_ELEMENTS (silent));
  /* Held behind them, it would wait for their 20 s idle timeout: half of it tells the two apart
   * even under a sanitizer on a loaded machine (the time itself is measured, not asserted) */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);

  /* Stopping with their handshakes never begun: no wait for them, nothing left */
  start = g_get_monotonic_time ();
  ladle_server_stop (f->server);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  for (guint i = 0; i < G_N_ELEMENTS (silent); i++)
    close (silent[i]);
}

/* A client that refuses the certificate, one that speaks plain HTTP, one that says nothing: none
 * harms the next */
static void
test_bad_clients (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(SoupSession) untrusting = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u/", f->port);
  g_autofree char *plain_url = g_strdup_printf ("http://127.0.0.1:%u/", f->port);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(SoupMessage) plain = soup_message_new ("GET", plain_url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hello = NULL;
  LadleServerStats stats;
  guint status = 0;
  int silent;
  gint64 deadline;

  /* A short idle timeout, for the silent client below */
  ladle_server_stop (f->server);
  ladle_server_set_idle_timeout (f->server, 1.0);
  ladle_server_set_port (f->server, f->port);
  g_assert_true (ladle_server_start (f->server, &error));
  g_assert_no_error (error);

  /* The system's trust does not know this certificate */
  body = soup_session_send_and_read (untrusting, msg, NULL, &error);
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  g_clear_error (&error);
  g_clear_pointer (&body, g_bytes_unref);

  /* Plain HTTP on the HTTPS port: no answer, an error */
  soup_session_abort (untrusting);
  body = soup_session_send_and_read (untrusting, plain, NULL, &error);
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* Silent: closed after the idle timeout (1 s here) */
  silent = ladle_test_raw_connect (f->port);
  g_assert_cmpint (silent, >=, 0);
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  for (;;)
    {
      char c;
      ssize_t n = recv (silent, &c, 1, MSG_DONTWAIT);

      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (10000);
    }
  close (silent);

  hello = fetch_text (f, "GET", "/", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (hello, ==, "Hello, World!");

  ladle_server_get_stats (f->server, &stats);
  g_assert_cmpuint (stats.n_tls_failed, >=, 3);
  g_assert_cmpuint (stats.n_tls_handshakes, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/server-tls/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("routes", test_routes);
  ADD ("absolute-redirect", test_absolute_redirect);
  ADD ("one-handshake", test_one_handshake);
  ADD ("client-timing", test_client_timing);
  ADD ("upload", test_upload);
  ADD ("wss-echo", test_wss_echo);
  ADD ("gate-answer", test_gate_answer);
  ADD ("body-records", test_body_records);
  ADD ("silent-clients", test_silent_clients);
  ADD ("bad-clients", test_bad_clients);

#undef ADD

  return ladle_test_run ();
}
