/* test-websocket-client.c
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

#include "ladle-error.h"
#include "ladle-server.h"
#include "ladle-test-utils.h"
#include "ladle-websocket-client.h"

/* LadleWebsocketClient against the embedded LadleServer (/ws answers "Message received: X",
 * /websocket/echo echoes), a bare SoupServer, and a raw handshake-only TCP server. */

typedef struct
{
  LadleServer          *server;
  char                 *uploads;
  guint                 port;
  LadleWebsocketClient *client;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->uploads = ladle_test_make_tmpdir ("ladle-wsc-XXXXXX");
  f->server = ladle_server_new ();
  ladle_server_set_port (f->server, 0);
  ladle_server_set_uploads_dir (f->server, f->uploads);
  g_assert_true (ladle_server_start (f->server, &error));
  g_assert_no_error (error);
  f->port = ladle_server_get_bound_port (f->server);
  f->client = ladle_websocket_client_new ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->client);
  ladle_server_stop (f->server);
  g_assert_finalize_object (f->server);
  ladle_test_rm_rf (f->uploads);
  g_free (f->uploads);
}

static void
on_result (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static gboolean
connect_sync (LadleWebsocketClient  *client,
              const char            *url,
              GError               **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ladle_websocket_client_connect_async (client, url, NULL, on_result, &result);
  LADLE_TEST_WAIT_UNTIL (result != NULL, 20000);
  return ladle_websocket_client_connect_finish (client, result, error);
}

static char *
url_for (Fixture    *f,
         const char *path)
{
  return g_strdup_printf ("ws://127.0.0.1:%u%s", f->port, path);
}

static guint
n_events (LadleWebsocketClient *client)
{
  return g_list_model_get_n_items (ladle_websocket_client_get_transcript (client));
}

/* Returns: (transfer none): the event at @i (the transcript keeps it alive) */
static LadleWebsocketEvent *
event_at (LadleWebsocketClient *client,
          guint                 i)
{
  g_autoptr(LadleWebsocketEvent) event =
    g_list_model_get_item (ladle_websocket_client_get_transcript (client), i);

  g_assert_nonnull (event);
  return event;
}

/* Index of the @nth incoming message (text or binary), or -1. */
static int
find_incoming (LadleWebsocketClient *client,
               guint                 nth)
{
  for (guint i = 0; i < n_events (client); i++)
    {
      LadleWebsocketEvent *event = event_at (client, i);
      LadleWebsocketEventKind kind = ladle_websocket_event_get_kind (event);

      if (ladle_websocket_event_get_direction (event) == LADLE_WEBSOCKET_DIRECTION_IN &&
          (kind == LADLE_WEBSOCKET_EVENT_TEXT || kind == LADLE_WEBSOCKET_EVENT_BINARY) &&
          nth-- == 0)
        return (int) i;
    }
  return -1;
}

static void
assert_event (LadleWebsocketEvent     *event,
              LadleWebsocketDirection  direction,
              LadleWebsocketEventKind  kind)
{
  g_assert_cmpint (ladle_websocket_event_get_direction (event), ==, direction);
  g_assert_cmpint (ladle_websocket_event_get_kind (event), ==, kind);
}

static void
assert_payload (LadleWebsocketEvent *event,
                const char          *text)
{
  GBytes *payload = ladle_websocket_event_get_payload (event);
  gsize len = 0;
  const char *data = g_bytes_get_data (payload, &len);

  g_assert_nonnull (payload);
  g_assert_cmpmem (data, len, text, strlen (text));
  g_assert_cmpuint (ladle_websocket_event_get_size (event), ==, strlen (text));
}

/* --- Tests ---------------------------------------------------------------------------------- */

static void
test_tutorial (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *url = url_for (f, "/ws");
  g_autoptr(GError) error = NULL;
  gint64 before = g_get_real_time ();
  int in;

  g_assert_cmpint (ladle_websocket_client_get_state (f->client), ==, LADLE_WEBSOCKET_STATE_CLOSED);
  g_assert_true (connect_sync (f->client, url, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ladle_websocket_client_get_state (f->client), ==, LADLE_WEBSOCKET_STATE_OPEN);
  g_assert_cmpstr (ladle_websocket_client_get_url (f->client), ==, url);

  g_assert_true (ladle_websocket_client_send_text (f->client, "Hello, server", -1, &error));
  g_assert_no_error (error);
  LADLE_TEST_WAIT_UNTIL (find_incoming (f->client, 0) >= 0, 5000);

  ladle_websocket_client_close (f->client, 1000, NULL);
  g_assert_cmpint (ladle_websocket_client_get_state (f->client), ==, LADLE_WEBSOCKET_STATE_CLOSING);
  LADLE_TEST_WAIT_UNTIL (ladle_websocket_client_get_state (f->client) ==
                         LADLE_WEBSOCKET_STATE_CLOSED, 8000);
  g_assert_cmpuint (ladle_websocket_client_get_close_code (f->client), ==, 1000);
  g_assert_null (ladle_websocket_client_get_error (f->client));

  /* The transcript, in order: connecting, open, out text, in text, out close, in close. */
  g_assert_cmpuint (n_events (f->client), ==, 6);
  assert_event (event_at (f->client, 0), LADLE_WEBSOCKET_DIRECTION_NONE, LADLE_WEBSOCKET_EVENT_STATE);
  assert_event (event_at (f->client, 1), LADLE_WEBSOCKET_DIRECTION_NONE, LADLE_WEBSOCKET_EVENT_OPEN);
  g_assert_true (g_str_has_prefix (ladle_websocket_event_get_summary (event_at (f->client, 1)),
                                   "HTTP 101"));
  assert_event (event_at (f->client, 2), LADLE_WEBSOCKET_DIRECTION_OUT, LADLE_WEBSOCKET_EVENT_TEXT);
  assert_payload (event_at (f->client, 2), "Hello, server");
  in = find_incoming (f->client, 0);
  g_assert_cmpint (in, ==, 3);
  assert_event (event_at (f->client, 3), LADLE_WEBSOCKET_DIRECTION_IN, LADLE_WEBSOCKET_EVENT_TEXT);
  assert_payload (event_at (f->client, 3), "Message received: Hello, server");
  assert_event (event_at (f->client, 4), LADLE_WEBSOCKET_DIRECTION_OUT, LADLE_WEBSOCKET_EVENT_CLOSE);
  g_assert_cmpuint (ladle_websocket_event_get_close_code (event_at (f->client, 4)), ==, 1000);
  assert_event (event_at (f->client, 5), LADLE_WEBSOCKET_DIRECTION_IN, LADLE_WEBSOCKET_EVENT_CLOSE);
  g_assert_cmpuint (ladle_websocket_event_get_close_code (event_at (f->client, 5)), ==, 1000);

  for (guint i = 0; i < 6; i++)
    {
      gint64 t = ladle_websocket_event_get_timestamp (event_at (f->client, i));

      g_assert_cmpint (t, >=, before);
      g_assert_cmpint (t, <=, g_get_real_time ());
      if (i > 0)
        g_assert_cmpint (t, >=, ladle_websocket_event_get_timestamp (event_at (f->client, i - 1)));
    }
}

static void
test_text_binary (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *url = url_for (f, "/websocket/echo");
  g_autoptr(GError) error = NULL;
  guint8 raw[256];
  g_autoptr(GBytes) bytes = NULL;
  LadleWebsocketEvent *event;

  for (guint i = 0; i < sizeof raw; i++)
    raw[i] = i;
  bytes = g_bytes_new (raw, sizeof raw);

  g_assert_true (connect_sync (f->client, url, &error));
  g_assert_true (ladle_websocket_client_send_text (f->client, "plain ünïcode", -1, &error));
  g_assert_true (ladle_websocket_client_send_binary (f->client, bytes, &error));
  g_assert_no_error (error);
  LADLE_TEST_WAIT_UNTIL (find_incoming (f->client, 1) >= 0, 5000);

  event = event_at (f->client, find_incoming (f->client, 0));
  assert_event (event, LADLE_WEBSOCKET_DIRECTION_IN, LADLE_WEBSOCKET_EVENT_TEXT);
  assert_payload (event, "plain ünïcode");
  event = event_at (f->client, find_incoming (f->client, 1));
  assert_event (event, LADLE_WEBSOCKET_DIRECTION_IN, LADLE_WEBSOCKET_EVENT_BINARY);
  g_assert_true (g_bytes_equal (ladle_websocket_event_get_payload (event), bytes));

  /* Invalid UTF-8 is refused as text, before anything is sent. */
  g_assert_false (ladle_websocket_client_send_text (f->client, "\xff\xfe", 2, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  ladle_websocket_client_close (f->client, 1000, NULL);
  LADLE_TEST_WAIT_UNTIL (ladle_websocket_client_get_state (f->client) ==
                         LADLE_WEBSOCKET_STATE_CLOSED, 8000);

  /* Sending on a closed client is an error, not a crash. */
  g_assert_false (ladle_websocket_client_send_text (f->client, "late", -1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED);
}

static void
test_big_message (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *url = url_for (f, "/websocket/echo");
  g_autoptr(GError) error = NULL;
  gsize size = 8 * 1024 * 1024;
  guint8 *raw = g_malloc (size);
  g_autoptr(GBytes) bytes = NULL;
  LadleWebsocketEvent *out;
  LadleWebsocketEvent *in;

  for (gsize i = 0; i < size; i++)
    raw[i] = (guint8) (i * 7 + (i >> 12));
  bytes = g_bytes_new_take (raw, size);

  g_assert_true (connect_sync (f->client, url, &error));
  g_assert_true (ladle_websocket_client_send_binary (f->client, bytes, &error));
  g_assert_no_error (error);

  /* The outgoing event keeps the caller's bytes: no copy. */
  out = event_at (f->client, n_events (f->client) - 1);
  assert_event (out, LADLE_WEBSOCKET_DIRECTION_OUT, LADLE_WEBSOCKET_EVENT_BINARY);
  g_assert_true (ladle_websocket_event_get_payload (out) == bytes);
  g_assert_cmpuint (ladle_websocket_event_get_size (out), ==, size);

  LADLE_TEST_WAIT_UNTIL (find_incoming (f->client, 0) >= 0, 30000);
  in = event_at (f->client, find_incoming (f->client, 0));
  g_assert_cmpuint (ladle_websocket_event_get_size (in), ==, size);
  g_assert_true (g_bytes_equal (ladle_websocket_event_get_payload (in), bytes));
  g_assert_cmpint (ladle_websocket_client_get_state (f->client), ==, LADLE_WEBSOCKET_STATE_OPEN);
}

static void
test_close_by_client (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *url = url_for (f, "/websocket/echo");
  g_autoptr(GError) error = NULL;
  LadleWebsocketEvent *event;
  guint n;

  g_assert_true (connect_sync (f->client, url, &error));
  ladle_websocket_client_close (f->client, 4000, "bye");
  LADLE_TEST_WAIT_UNTIL (ladle_websocket_client_get_state (f->client) ==
                         LADLE_WEBSOCKET_STATE_CLOSED, 8000);

  n = n_events (f->client);
  event = event_at (f->client, n - 2);
  assert_event (event, LADLE_WEBSOCKET_DIRECTION_OUT, LADLE_WEBSOCKET_EVENT_CLOSE);
  g_assert_cmpuint (ladle_websocket_event_get_close_code (event), ==, 4000);
  g_assert_cmpstr (ladle_websocket_event_get_close_reason (event), ==, "bye");
  g_assert_cmpuint (ladle_websocket_event_get_size (event), ==, 5);
  /* The server echoes the code back (RFC 6455 §5.5.1). */
  event = event_at (f->client, n - 1);
  assert_event (event, LADLE_WEBSOCKET_DIRECTION_IN, LADLE_WEBSOCKET_EVENT_CLOSE);
  g_assert_cmpuint (ladle_websocket_event_get_close_code (event), ==, 4000);
  g_assert_cmpuint (ladle_websocket_client_get_close_code (f->client), ==, 4000);
}

static void
on_state_notify (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    data)
{
  GArray *states = data;
  LadleWebsocketState state = ladle_websocket_client_get_state (LADLE_WEBSOCKET_CLIENT (object));

  g_array_append_val (states, state);
}

static void
test_close_by_server (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *url = url_for (f, "/ws");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (LadleWebsocketState));
  LadleWebsocketEvent *event;

  g_signal_connect (f->client, "notify::state", G_CALLBACK (on_state_notify), states);
  g_assert_true (connect_sync (f->client, url, &error));
  ladle_server_stop (f->server);
  LADLE_TEST_WAIT_UNTIL (ladle_websocket_client_get_state (f->client) ==
                         LADLE_WEBSOCKET_STATE_CLOSED, 8000);
  g_signal_handlers_disconnect_by_data (f->client, states);

  g_assert_cmpuint (ladle_websocket_client_get_close_code (f->client), ==, 1001);
  event = event_at (f->client, n_events (f->client) - 1);
  assert_event (event, LADLE_WEBSOCKET_DIRECTION_IN, LADLE_WEBSOCKET_EVENT_CLOSE);
  g_assert_cmpuint (ladle_websocket_event_get_close_code (event), ==, 1001);

  /* connecting → open → closing → closed, each notified once. */
  g_assert_cmpuint (states->len, ==, 4);
  g_assert_cmpint (g_array_index (states, LadleWebsocketState, 0), ==, LADLE_WEBSOCKET_STATE_CONNECTING);
  g_assert_cmpint (g_array_index (states, LadleWebsocketState, 1), ==, LADLE_WEBSOCKET_STATE_OPEN);
  g_assert_cmpint (g_array_index (states, LadleWebsocketState, 2), ==, LADLE_WEBSOCKET_STATE_CLOSING);
  g_assert_cmpint (g_array_index (states, LadleWebsocketState, 3), ==, LADLE_WEBSOCKET_STATE_CLOSED);
}

static void
test_handshake_refused (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *get_url = url_for (f, "/get");
  g_autofree char *missing_url = url_for (f, "/no/such/path");
  g_autoptr(GError) error = NULL;
  LadleWebsocketEvent *event;

  g_assert_false (connect_sync (f->client, get_url, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_CONNECTION_REFUSED);
  g_assert_cmpstr (error->message, ==, "The server refused the WebSocket handshake: HTTP 200 OK");
  g_assert_cmpint (ladle_websocket_client_get_state (f->client), ==, LADLE_WEBSOCKET_STATE_CLOSED);
  event = event_at (f->client, n_events (f->client) - 1);
  assert_event (event, LADLE_WEBSOCKET_DIRECTION_NONE, LADLE_WEBSOCKET_EVENT_ERROR);
  g_assert_cmpstr (ladle_websocket_event_get_summary (event), ==, error->message);
  g_clear_error (&error);

  /* The client can connect again after a failure. */
  g_assert_false (connect_sync (f->client, missing_url, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_CONNECTION_REFUSED);
  g_assert_nonnull (strstr (error->message, "HTTP 404 Not Found"));
  g_assert_cmpstr (ladle_websocket_client_get_error (f->client)->message, ==, error->message);
}

static void
test_bad_url (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (connect_sync (f->client, "ftp://127.0.0.1/x", &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (connect_sync (f->client, "not a url", &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
}

static void
test_http_scheme (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/ws", f->port);
  g_autoptr(GError) error = NULL;

  g_assert_true (connect_sync (f->client, url, &error));
  g_assert_no_error (error);
  ladle_websocket_client_close (f->client, 1000, NULL);
  LADLE_TEST_WAIT_UNTIL (ladle_websocket_client_get_state (f->client) ==
                         LADLE_WEBSOCKET_STATE_CLOSED, 8000);
}

static void
test_connect_refused (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("ws://127.0.0.1:%u/ws", ladle_test_unused_port ());
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (connect_sync (f->client, url, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_CONNECTION_REFUSED);
  g_assert_true (g_str_has_prefix (error->message, "Connection refused by 127.0.0.1:"));
}

static void
test_connect_timeout (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) fillers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  gint64 start;
  double elapsed;

  listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                           &error);
  g_assert_no_error (error);
  g_socket_bind (listener, any, TRUE, &error);
  g_assert_no_error (error);
  g_socket_set_listen_backlog (listener, 0);
  g_socket_listen (listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (listener, &error);

  /* Fill the accept queue: the kernel then drops further SYNs and connect() hangs. */
  for (guint i = 0; i < 4; i++)
    {
      GSocket *s = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL);

      g_socket_set_blocking (s, FALSE);
      g_socket_connect (s, bound, NULL, NULL);
      g_ptr_array_add (fillers, s);
    }
  g_usleep (100 * 1000);

  url = g_strdup_printf ("ws://127.0.0.1:%u/ws",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  ladle_websocket_client_set_connect_timeout (f->client, 1);
  start = g_get_monotonic_time ();
  g_assert_false (connect_sync (f->client, url, &error));
  elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_TIMEOUT_CONNECT);
  g_assert_cmpstr (error->message, ==, "Timed out after 1 s (connect)");
  g_assert_cmpfloat_with_epsilon (elapsed, 1.0, 0.4);
  g_assert_cmpint (ladle_websocket_client_get_state (f->client), ==, LADLE_WEBSOCKET_STATE_CLOSED);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *url = url_for (f, "/ws");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ladle_websocket_client_connect_async (f->client, url, cancellable, on_result, &result);
  g_cancellable_cancel (cancellable);
  LADLE_TEST_WAIT_UNTIL (result != NULL, 5000);
  g_assert_false (ladle_websocket_client_connect_finish (f->client, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (ladle_websocket_client_get_state (f->client), ==, LADLE_WEBSOCKET_STATE_CLOSED);
}

static void
test_dead_peer (Fixture       *f,
                gconstpointer  data)
{
  LadleTestRawWsServer *raw = ladle_test_raw_ws_server_new ();
  g_autofree char *url = g_strdup_printf ("ws://127.0.0.1:%u/", raw->port);
  g_autoptr(GError) error = NULL;
  const GError *dead;
  gint64 start;
  double elapsed;
  guint pings = 0;

  ladle_websocket_client_set_ping_interval (f->client, 0.5);
  g_assert_true (connect_sync (f->client, url, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_atomic_int_get (&raw->handshakes), ==, 1);

  start = g_get_monotonic_time ();
  LADLE_TEST_WAIT_UNTIL (ladle_websocket_client_get_state (f->client) ==
                         LADLE_WEBSOCKET_STATE_CLOSED, 5000);
  elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  /* One ping at 0.5 s, no pong by the next tick at 1 s. */
  g_assert_cmpfloat_with_epsilon (elapsed, 1.0, 0.3);
  dead = ladle_websocket_client_get_error (f->client);
  g_assert_error (dead, LADLE_ERROR, LADLE_ERROR_TIMED_OUT);
  g_assert_cmpstr (dead->message, ==, "No pong within 0.5 s");
  g_assert_cmpuint (ladle_websocket_client_get_close_code (f->client), ==, 1006);

  for (guint i = 0; i < n_events (f->client); i++)
    {
      LadleWebsocketEvent *event = event_at (f->client, i);

      if (ladle_websocket_event_get_kind (event) == LADLE_WEBSOCKET_EVENT_PING)
        pings++;
      g_assert_cmpint (ladle_websocket_event_get_kind (event), !=, LADLE_WEBSOCKET_EVENT_PONG);
    }
  g_assert_cmpuint (pings, ==, 1);

  /* Dropping the connection closed the socket: the raw server's read ends. */
  ladle_test_raw_ws_server_free (raw);
}

static guint
count_kind (LadleWebsocketClient    *client,
            LadleWebsocketEventKind  kind)
{
  guint n = 0;

  for (guint i = 0; i < n_events (client); i++)
    if (ladle_websocket_event_get_kind (event_at (client, i)) == kind)
      n++;
  return n;
}

static void
test_ping (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *url = url_for (f, "/websocket/echo");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) payload = g_bytes_new_static ("abc", 3);
  g_autoptr(GBytes) too_big = g_bytes_new_take (g_malloc0 (126), 126);
  LadleWebsocketEvent *event;

  g_assert_true (connect_sync (f->client, url, &error));
  g_assert_true (ladle_websocket_client_ping (f->client, payload, &error));
  g_assert_no_error (error);
  LADLE_TEST_WAIT_UNTIL (count_kind (f->client, LADLE_WEBSOCKET_EVENT_PONG) == 1, 5000);
  event = event_at (f->client, n_events (f->client) - 1);
  assert_event (event, LADLE_WEBSOCKET_DIRECTION_IN, LADLE_WEBSOCKET_EVENT_PONG);
  assert_payload (event, "abc");

  g_assert_false (ladle_websocket_client_ping (f->client, too_big, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Keep-alive against a live peer: pongs keep coming, nothing fails. */
  ladle_websocket_client_set_ping_interval (f->client, 0.2);
  LADLE_TEST_WAIT_UNTIL (count_kind (f->client, LADLE_WEBSOCKET_EVENT_PONG) >= 5, 5000);
  g_assert_cmpint (ladle_websocket_client_get_state (f->client), ==, LADLE_WEBSOCKET_STATE_OPEN);
  g_assert_null (ladle_websocket_client_get_error (f->client));

  /* The connection still carries messages. */
  g_assert_true (ladle_websocket_client_send_text (f->client, "after pings", -1, &error));
  LADLE_TEST_WAIT_UNTIL (find_incoming (f->client, 0) >= 0, 5000);
  assert_payload (event_at (f->client, find_incoming (f->client, 0)), "after pings");
  ladle_websocket_client_set_ping_interval (f->client, 0);
}

static void
test_send_file (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *url = url_for (f, "/websocket/echo");
  g_autofree char *path = g_build_filename (f->uploads, "blob.bin", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) missing = g_file_new_for_path ("/nonexistent/ladle/file");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) expected = NULL;
  g_autofree char *contents = g_malloc (300 * 1000);

  for (guint i = 0; i < 300 * 1000; i++)
    contents[i] = (char) (i % 251);
  g_assert_true (g_file_set_contents (path, contents, 300 * 1000, &error));
  expected = g_bytes_new (contents, 300 * 1000);

  g_assert_true (connect_sync (f->client, url, &error));
  ladle_websocket_client_send_file_async (f->client, file, NULL, on_result, &result);
  LADLE_TEST_WAIT_UNTIL (result != NULL, 5000);
  g_assert_true (ladle_websocket_client_send_file_finish (f->client, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  LADLE_TEST_WAIT_UNTIL (find_incoming (f->client, 0) >= 0, 5000);
  g_assert_true (g_bytes_equal (ladle_websocket_event_get_payload (event_at (f->client,
                                                                             find_incoming (f->client, 0))),
                                expected));

  ladle_websocket_client_send_file_async (f->client, missing, NULL, on_result, &result);
  LADLE_TEST_WAIT_UNTIL (result != NULL, 5000);
  g_assert_false (ladle_websocket_client_send_file_finish (f->client, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_deflate (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *url = url_for (f, "/websocket/echo");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) zeros = g_bytes_new_take (g_malloc0 (1024 * 1024), 1024 * 1024);
  g_autoptr(GBytes) payload = g_bytes_new_static ("z", 1);
  LadleWebsocketEvent *open;

  ladle_websocket_client_set_deflate (f->client, TRUE);
  g_assert_true (connect_sync (f->client, url, &error));
  open = event_at (f->client, 1);
  assert_event (open, LADLE_WEBSOCKET_DIRECTION_NONE, LADLE_WEBSOCKET_EVENT_OPEN);
  g_assert_nonnull (strstr (ladle_websocket_event_get_summary (open), "permessage-deflate"));

  g_assert_true (ladle_websocket_client_send_binary (f->client, zeros, &error));
  /* A ping is not compressed: the server still answers it. */
  g_assert_true (ladle_websocket_client_ping (f->client, payload, &error));
  LADLE_TEST_WAIT_UNTIL (find_incoming (f->client, 0) >= 0 &&
                         count_kind (f->client, LADLE_WEBSOCKET_EVENT_PONG) == 1, 5000);
  g_assert_true (g_bytes_equal (ladle_websocket_event_get_payload (event_at (f->client,
                                                                             find_incoming (f->client, 0))),
                                zeros));
  ladle_websocket_client_close (f->client, 1000, NULL);
  LADLE_TEST_WAIT_UNTIL (ladle_websocket_client_get_state (f->client) ==
                         LADLE_WEBSOCKET_STATE_CLOSED, 8000);

  /* Without deflate, nothing is offered. */
  ladle_websocket_client_set_deflate (f->client, FALSE);
  g_assert_true (connect_sync (f->client, url, &error));
  g_assert_cmpuint (count_kind (f->client, LADLE_WEBSOCKET_EVENT_OPEN), ==, 2);
  open = event_at (f->client, n_events (f->client) - 1);
  g_assert_cmpint (ladle_websocket_event_get_kind (open), ==, LADLE_WEBSOCKET_EVENT_OPEN);
  g_assert_null (strstr (ladle_websocket_event_get_summary (open), "deflate"));
}

/* Headers, Origin and subprotocols, seen by a bare SoupServer. */
typedef struct
{
  GMutex  mutex;
  char   *header;
  char   *origin;
  char   *offered;
} Seen;

static void
seen_ws_cb (SoupServer              *server,
            SoupServerMessage       *msg,
            const char              *path,
            SoupWebsocketConnection *conn,
            gpointer                 data)
{
  Seen *seen = data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  g_mutex_lock (&seen->mutex);
  seen->header = g_strdup (soup_message_headers_get_one (headers, "X-Ladle-Test"));
  seen->origin = g_strdup (soup_message_headers_get_one (headers, "Origin"));
  seen->offered = g_strdup (soup_message_headers_get_one (headers, "Sec-WebSocket-Protocol"));
  g_mutex_unlock (&seen->mutex);
}

static void
seen_setup (SoupServer *server,
            gpointer    data)
{
  const char *protocols[] = { "chat", NULL };

  soup_server_add_websocket_handler (server, "/p", NULL, (char **) protocols, seen_ws_cb, data,
                                     NULL);
}

static void
test_headers_protocol (Fixture       *f,
                       gconstpointer  data)
{
  Seen seen = { 0 };
  g_autoptr(LadleTestServer) server = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;
  const char *protocols[] = { "superchat", "chat", NULL };

  g_mutex_init (&seen.mutex);
  server = ladle_test_server_new (seen_setup, &seen);
  url = g_strdup_printf ("ws://127.0.0.1:%u/p", ladle_test_server_get_port (server));

  ladle_websocket_client_add_header (f->client, "X-Ladle-Test", "yes");
  ladle_websocket_client_set_origin (f->client, "http://example.test");
  ladle_websocket_client_set_protocols (f->client, protocols);
  g_assert_true (connect_sync (f->client, url, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (ladle_websocket_client_get_protocol (f->client), ==, "chat");

  g_mutex_lock (&seen.mutex);
  g_assert_cmpstr (seen.header, ==, "yes");
  g_assert_cmpstr (seen.origin, ==, "http://example.test");
  g_assert_cmpstr (seen.offered, ==, "superchat, chat");
  g_mutex_unlock (&seen.mutex);

  /* The server dropped its connection object: the client ends closed, without a close frame. */
  LADLE_TEST_WAIT_UNTIL (ladle_websocket_client_get_state (f->client) ==
                         LADLE_WEBSOCKET_STATE_CLOSED, 8000);
  g_clear_pointer (&server, ladle_test_server_free);
  g_free (seen.header);
  g_free (seen.origin);
  g_free (seen.offered);
  g_mutex_clear (&seen.mutex);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/ladle/websocket-client/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("tutorial", test_tutorial);
  ADD ("text-binary", test_text_binary);
  ADD ("big-message", test_big_message);
  ADD ("close-by-client", test_close_by_client);
  ADD ("close-by-server", test_close_by_server);
  ADD ("handshake-refused", test_handshake_refused);
  ADD ("bad-url", test_bad_url);
  ADD ("http-scheme", test_http_scheme);
  ADD ("connect-refused", test_connect_refused);
  ADD ("connect-timeout", test_connect_timeout);
  ADD ("cancel", test_cancel);
  ADD ("dead-peer", test_dead_peer);
  ADD ("ping", test_ping);
  ADD ("send-file", test_send_file);
  ADD ("deflate", test_deflate);
  ADD ("headers-protocol", test_headers_protocol);

#undef ADD

  return g_test_run ();
}
