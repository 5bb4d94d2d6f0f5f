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

#include <gio/gunixinputstream.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ladle-error.h"
#include "ladle-server.h"
#include "ladle-test-utils.h"
#include "ladle-websocket-client.h"
#include "ladle-websocket-codec.h"

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

/* What the user adds to the handshake (headers, origin, subprotocols) cannot smuggle a line onto
 * the wire: the client refuses to connect, with the reason, and the server sees nothing. */
static void
test_bad_handshake_input (Fixture       *f,
                          gconstpointer  data)
{
  LadleTestRawWsServer *raw = ladle_test_raw_ws_server_new ();
  g_autofree char *url = g_strdup_printf ("ws://127.0.0.1:%u/", raw->port);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(LadleWebsocketClient) client = ladle_websocket_client_new ();
      g_autoptr(GError) error = NULL;
      const char *protocols[] = { "chat\r\nX-Injected: 1", NULL };

      if (i == 0)
        ladle_websocket_client_add_header (client, "X-A", "1\r\nX-Injected: 2");
      else if (i == 1)
        ladle_websocket_client_set_origin (client, "http://a\r\nX-Injected: 2");
      else
        ladle_websocket_client_set_protocols (client, protocols);

      g_assert_false (connect_sync (client, url, &error));
      g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
      g_assert_cmpint (ladle_websocket_client_get_state (client), ==, LADLE_WEBSOCKET_STATE_CLOSED);
    }

  g_assert_cmpint (g_atomic_int_get (&raw->handshakes), ==, 0);
  ladle_test_raw_ws_server_free (raw);
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

typedef struct
{
  const char   *frames;
  gsize         len;
  guint         code;       /* the client's close code */
  const char   *message;    /* the error, on Ladle's engine */
  gboolean      own_only;   /* libsoup's engine cannot see it before the message ends */
} ProtocolCase;

/* A server that breaks the protocol and then answers nothing (no close frame): the client sends
 * its close frame with the right code, reports what went wrong, and ends the connection at once,
 * not after its 5 s wait for the server's close frame. On libsoup's engine (with deflate) the
 * error is libsoup's, which does not say which rule was broken. */
static void
test_protocol_errors (Fixture       *f,
                      gconstpointer  data)
{
  const char *prefix = "The server broke the WebSocket protocol";
  const ProtocolCase cases[] = {
    { "\x81\x02\xff\xfe", 4, 1007, "The server sent text that is not valid UTF-8", FALSE },
    { "\x01\x03ok\xff", 5, 1007, "The server sent text that is not valid UTF-8", TRUE },
    { "\x01\x04ok\xe2\x82\x00\x01A", 9, 1007, "The server sent text that is not valid UTF-8",
      TRUE },
    { "\x81\x82\x01\x02\x03\x04\x69\x6b", 8, 1002,
      ": it sent a masked frame (servers must not mask)", FALSE },
    { "\x88\x02\x03\xed", 4, 1002, ": its close frame has the reserved code 1005", FALSE },
    { "\x88\x02\x03\xee", 4, 1002, ": its close frame has the reserved code 1006", FALSE },
    { "\x88\x02\x03\xf7", 4, 1002, ": its close frame has the reserved code 1015", FALSE },
    { "\x88\x02\x03\xe7", 4, 1002, ": its close frame has the invalid code 999", FALSE },
    { "\x88\x02\x13\x88", 4, 1002, ": its close frame has the invalid code 5000", FALSE },
    { "\x88\x01\x03", 3, 1002, ": it sent a close frame with a 1-byte payload", FALSE },
    { "\x88\x04\x03\xe8\xc0\xaf", 6, 1007, ": its close reason is not valid UTF-8", FALSE },
    { "\x83\x02hi", 4, 1002, ": it sent a frame with the reserved opcode 0x3", FALSE },
    { "\x8b\x00", 2, 1002, ": it sent a frame with the reserved opcode 0xB", FALSE },
    { "\xc1\x02hi", 4, 1002, ": it set reserved bits in a frame header", FALSE },
    { "\x09\x00", 2, 1002, ": it sent a fragmented control frame", FALSE },
    { "\x80\x02hi", 4, 1002, ": it sent a continuation frame outside a message", FALSE },
    { "\x01\x01h\x81\x01i", 6, 1002, ": it began a new message inside a fragmented one", FALSE },
  };

  for (guint deflate = 0; deflate < 2; deflate++)
    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        LadleTestRawWsServer *raw = NULL;
        g_autoptr(LadleWebsocketClient) client = ladle_websocket_client_new ();
        g_autofree char *url = NULL;
        g_autofree char *expected = NULL;
        g_autoptr(GError) error = NULL;
        const GError *failure;
        gint64 deadline;
        gint64 start;
        guint code;

        if (deflate && cases[i].own_only)
          continue;
        g_test_message ("case %u, %s engine", i, deflate ? "libsoup's" : "Ladle's");
        raw = ladle_test_raw_ws_server_new_full ((const guint8 *) cases[i].frames, cases[i].len);
        url = g_strdup_printf ("ws://127.0.0.1:%u/", raw->port);
        ladle_websocket_client_set_deflate (client, deflate);
        g_assert_true (connect_sync (client, url, &error));
        g_assert_no_error (error);

        start = g_get_monotonic_time ();
        deadline = start + 10 * G_USEC_PER_SEC;
        while (ladle_websocket_client_get_state (client) != LADLE_WEBSOCKET_STATE_CLOSED &&
               g_get_monotonic_time () < deadline)
          {
            g_main_context_iteration (NULL, FALSE);
            g_usleep (1000);
          }
        g_assert_cmpint (ladle_websocket_client_get_state (client), ==,
                         LADLE_WEBSOCKET_STATE_CLOSED);
        g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);

        failure = ladle_websocket_client_get_error (client);
        g_assert_error (failure, LADLE_ERROR, LADLE_ERROR_FAILED);
        /* libsoup answers a close reason that is not UTF-8 with 1002, and does not say why */
        code = deflate && cases[i].message[0] == ':' ? 1002 : cases[i].code;
        if (deflate && cases[i].message[0] == ':')
          expected = g_strdup (prefix);
        else if (cases[i].message[0] == ':')
          expected = g_strconcat (prefix, cases[i].message, NULL);
        else
          expected = g_strdup (cases[i].message);
        g_assert_cmpstr (failure->message, ==, expected);
        /* The transcript: the error, our close frame, and no (valid) close frame from the
         * server (1006). */
        assert_event (event_at (client, n_events (client) - 3), LADLE_WEBSOCKET_DIRECTION_NONE,
                      LADLE_WEBSOCKET_EVENT_ERROR);
        assert_event (event_at (client, n_events (client) - 2), LADLE_WEBSOCKET_DIRECTION_OUT,
                      LADLE_WEBSOCKET_EVENT_CLOSE);
        g_assert_cmpuint (ladle_websocket_event_get_close_code (event_at (client,
                                                                          n_events (client) - 2)),
                          ==, code);
        g_assert_cmpuint (ladle_websocket_client_get_close_code (client), ==, 1006);

        LADLE_TEST_WAIT_UNTIL (g_atomic_int_get (&raw->close_code) >= 0, 5000);
        g_assert_cmpint (g_atomic_int_get (&raw->close_code), ==, (int) code);
        g_clear_object (&client);
        ladle_test_raw_ws_server_free (raw);
      }
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


/* --- Our engine (no deflate): the codec in the client role, and the handshake ----------------- */

/* A hand-written server peer on its own thread: it reads the handshake, answers with what
 * @answer builds (NULL: a good 101), then runs @script on the blocking connection. */
typedef struct _Peer Peer;
typedef char *(*PeerAnswer) (const char *key);
typedef void  (*PeerScript) (Peer *peer, GInputStream *in, GOutputStream *out);

struct _Peer
{
  GSocketListener *listener;
  guint            port;
  GThread         *thread;
  PeerAnswer       answer;
  PeerScript       script;
  char            *request;   /* the handshake request, as read */
  /* What the script saw, checked by the test on the main thread once joined */
  guint            frames;
  guint            masked;
  guint            distinct_keys;
  gboolean         payload_ok;
  guint            close_code;
  char            *close_reason;
};

static gboolean
read_exact (GInputStream *in,
            void         *buffer,
            gsize         len)
{
  gsize got = 0;

  return g_input_stream_read_all (in, buffer, len, &got, NULL, NULL) && got == len;
}

/* Reads one frame; returns its payload, unmasked. */
static GBytes *
peer_read_frame (GInputStream *in,
                 guint8       *b0,
                 gboolean     *masked,
                 guint8        key[4],
                 GBytes      **raw)
{
  guint8 h[2];
  guint64 len;
  guint8 *payload;
  guint8 k[4] = { 0 };

  if (!read_exact (in, h, 2))
    return NULL;
  len = h[1] & 0x7f;
  if (len == 126)
    {
      guint8 e[2];

      g_assert_true (read_exact (in, e, 2));
      len = (guint64) e[0] << 8 | e[1];
    }
  else if (len == 127)
    {
      guint8 e[8];

      g_assert_true (read_exact (in, e, 8));
      len = 0;
      for (guint i = 0; i < 8; i++)
        len = len << 8 | e[i];
    }
  if (h[1] & 0x80)
    g_assert_true (read_exact (in, k, 4));
  payload = g_malloc (len + 1);
  g_assert_true (read_exact (in, payload, len));
  if (raw != NULL)
    *raw = g_bytes_new (payload, len);
  for (guint64 i = 0; i < len; i++)
    payload[i] ^= k[i & 3];
  *b0 = h[0];
  *masked = (h[1] & 0x80) != 0;
  if (key != NULL)
    memcpy (key, k, 4);
  return g_bytes_new_take (payload, len);
}

static GBytes *
frame_new (guint8        b0,
           gboolean      mask,
           const void   *data,
           gsize         len)
{
  GByteArray *frame = g_byte_array_new ();
  guint8 h[14];
  gsize n = 2;
  const guint8 key[4] = { 0x11, 0x22, 0x33, 0x44 };

  h[0] = b0;
  if (len < 126)
    h[1] = len;
  else if (len <= G_MAXUINT16)
    {
      h[1] = 126;
      h[2] = len >> 8;
      h[3] = len & 0xff;
      n = 4;
    }
  else
    {
      h[1] = 127;
      for (guint i = 0; i < 8; i++)
        h[2 + i] = ((guint64) len >> (56 - 8 * i)) & 0xff;
      n = 10;
    }
  if (mask)
    {
      h[1] |= 0x80;
      memcpy (h + n, key, 4);
      n += 4;
    }
  g_byte_array_append (frame, h, n);
  g_byte_array_append (frame, data, len);
  if (mask)
    for (gsize i = 0; i < len; i++)
      frame->data[frame->len - len + i] ^= key[i & 3];
  return g_byte_array_free_to_bytes (frame);
}

static void
peer_write (GOutputStream *out,
            GBytes        *bytes)
{
  g_output_stream_write_all (out, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL,
                             NULL, NULL);
}

static void
peer_send (GOutputStream *out,
           guint8         b0,
           const void    *data,
           gsize          len)
{
  g_autoptr(GBytes) frame = frame_new (b0, FALSE, data, len);

  peer_write (out, frame);
}

static gpointer
peer_thread (gpointer data)
{
  Peer *peer = data;
  g_autoptr(GSocketConnection) conn = NULL;
  GInputStream *in;
  GOutputStream *out;
  GString *request = g_string_new (NULL);
  g_autofree char *key = NULL;
  g_autofree char *answer = NULL;
  const char *line;

  conn = g_socket_listener_accept (peer->listener, NULL, NULL, NULL);
  if (conn == NULL)
    return NULL;
  in = g_io_stream_get_input_stream (G_IO_STREAM (conn));
  out = g_io_stream_get_output_stream (G_IO_STREAM (conn));
  while (!g_str_has_suffix (request->str, "\r\n\r\n"))
    {
      char c;

      if (!read_exact (in, &c, 1))
        break;
      g_string_append_c (request, c);
    }
  peer->request = g_string_free (request, FALSE);
  line = strstr (peer->request, "Sec-WebSocket-Key: ");
  if (line != NULL)
    key = g_strndup (line + 19, strcspn (line + 19, "\r"));

  if (peer->answer != NULL)
    answer = peer->answer (key);
  else
    {
      g_autofree char *accept = ladle_test_websocket_accept (key);

      answer = g_strdup_printf ("HTTP/1.1 101 Switching Protocols\r\n"
                                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                                "Sec-WebSocket-Accept: %s\r\n\r\n", accept);
    }
  g_output_stream_write_all (out, answer, strlen (answer), NULL, NULL, NULL);
  if (peer->script != NULL)
    peer->script (peer, in, out);
  else
    {
      char buffer[4096];

      while (g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL) > 0)
        ;
    }
  return NULL;
}

static Peer *
peer_new (PeerAnswer answer,
          PeerScript script)
{
  Peer *peer = g_new0 (Peer, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  peer->answer = answer;
  peer->script = script;
  peer->listener = g_socket_listener_new ();
  g_socket_listener_add_address (peer->listener, address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  peer->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  peer->thread = g_thread_new ("ws-peer", peer_thread, peer);
  return peer;
}

/* After this, the peer's fields can be read: its thread is over. */
static void
peer_join (Peer *peer)
{
  if (peer->thread != NULL)
    g_thread_join (g_steal_pointer (&peer->thread));
}

static void
peer_free (Peer *peer)
{
  peer_join (peer);
  g_socket_listener_close (peer->listener);
  g_object_unref (peer->listener);
  g_free (peer->request);
  g_free (peer->close_reason);
  g_free (peer);
}

static char *
peer_url (Peer *peer)
{
  return g_strdup_printf ("ws://127.0.0.1:%u/raw?x=1", peer->port);
}

/* Reads 3 data frames, checks their masks, echoes them unmasked, then closes with 4002. */
static void
masking_script (Peer          *peer,
                GInputStream  *in,
                GOutputStream *out)
{
  guint8 keys[3][4];

  peer->payload_ok = TRUE;
  for (guint i = 0; i < 3; i++)
    {
      guint8 b0;
      gboolean masked;
      g_autoptr(GBytes) raw = NULL;
      g_autoptr(GBytes) payload = peer_read_frame (in, &b0, &masked, keys[i], &raw);
      gsize len;
      const guint8 *p;

      if (payload == NULL)
        return;
      peer->frames++;
      if (masked)
        peer->masked++;
      p = g_bytes_get_data (payload, &len);
      /* The payload is the sender's pattern once unmasked, and not on the wire. */
      for (gsize j = 0; j < len; j++)
        if (p[j] != (guint8) (j % 251))
          peer->payload_ok = FALSE;
      if (len > 16 && memcmp (g_bytes_get_data (raw, NULL), p, 16) == 0)
        peer->payload_ok = FALSE;
      peer_send (out, b0, p, len);
    }
  peer->distinct_keys = 1 + (memcmp (keys[0], keys[1], 4) != 0) +
                        (memcmp (keys[1], keys[2], 4) != 0);

  {
    const guint8 close[] = { 4002 >> 8, 4002 & 0xff,
                             's', 'e', 'r', 'v', 'e', 'r', ' ', 'b', 'y', 'e' };
    guint8 b0;
    gboolean masked;
    g_autoptr(GBytes) answer = NULL;

    peer_send (out, 0x88, close, sizeof close);
    answer = peer_read_frame (in, &b0, &masked, NULL, NULL);
    if (answer != NULL && b0 == 0x88 && masked && g_bytes_get_size (answer) >= 2)
      {
        const guint8 *a = g_bytes_get_data (answer, NULL);

        peer->close_code = a[0] << 8 | a[1];
      }
  }
}

static GBytes *
pattern (gsize size)
{
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = i % 251;
  return g_bytes_new_take (data, size);
}

static void
test_own_masking_wire (Fixture       *f,
                       gconstpointer  data)
{
  Peer *peer = peer_new (NULL, masking_script);
  g_autofree char *url = peer_url (peer);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) a = pattern (5);
  g_autoptr(GBytes) b = pattern (300);
  g_autoptr(GBytes) c = pattern (200 * 1000);

  g_assert_true (connect_sync (f->client, url, &error));
  g_assert_no_error (error);
  g_assert_true (ladle_websocket_client_send_binary (f->client, a, &error));
  g_assert_true (ladle_websocket_client_send_binary (f->client, b, &error));
  g_assert_true (ladle_websocket_client_send_binary (f->client, c, &error));
  LADLE_TEST_WAIT_UNTIL (ladle_websocket_client_get_state (f->client) ==
                         LADLE_WEBSOCKET_STATE_CLOSED, 10000);
  peer_join (peer);

  g_assert_true (g_str_has_prefix (peer->request, "GET /raw?x=1 HTTP/1.1\r\n"));
  g_assert_nonnull (strstr (peer->request, "\r\nSec-WebSocket-Version: 13\r\n"));
  g_assert_null (strstr (peer->request, "Sec-WebSocket-Extensions"));
  /* The echoes came back whole, and the server's close code and reason were taken. */
  g_assert_true (g_bytes_equal (ladle_websocket_event_get_payload (event_at (f->client,
                                                                             find_incoming (f->client, 2))),
                                c));
  g_assert_cmpuint (ladle_websocket_client_get_close_code (f->client), ==, 4002);
  g_assert_cmpstr (ladle_websocket_client_get_close_reason (f->client), ==, "server bye");

  g_assert_cmpuint (peer->frames, ==, 3);
  g_assert_cmpuint (peer->masked, ==, 3);
  g_assert_cmpuint (peer->distinct_keys, ==, 3);
  g_assert_true (peer->payload_ok);
  /* The client answered the server's close with the same code, masked. */
  g_assert_cmpuint (peer->close_code, ==, 4002);
  peer_free (peer);
}

/* Sends a masked frame: a server must not. */
static void
masked_script (Peer          *peer,
               GInputStream  *in,
               GOutputStream *out)
{
  g_autoptr(GBytes) frame = frame_new (0x81, TRUE, "hi", 2);
  g_autoptr(GBytes) close = NULL;
  guint8 b0;
  gboolean masked;

  peer_write (out, frame);
  close = peer_read_frame (in, &b0, &masked, NULL, NULL);
  if (close != NULL && b0 == 0x88 && g_bytes_get_size (close) >= 2)
    {
      const guint8 *p = g_bytes_get_data (close, NULL);

      peer->close_code = p[0] << 8 | p[1];
      peer->close_reason = g_strndup ((const char *) p + 2, g_bytes_get_size (close) - 2);
      peer_send (out, 0x88, p, 2);
    }
}

static void
test_own_masked_from_server (Fixture       *f,
                             gconstpointer  data)
{
  Peer *peer = peer_new (NULL, masked_script);
  g_autofree char *url = peer_url (peer);
  g_autoptr(GError) error = NULL;
  const GError *failure;

  g_assert_true (connect_sync (f->client, url, &error));
  LADLE_TEST_WAIT_UNTIL (ladle_websocket_client_get_state (f->client) ==
                         LADLE_WEBSOCKET_STATE_CLOSED, 10000);
  g_assert_cmpint (find_incoming (f->client, 0), ==, -1);
  failure = ladle_websocket_client_get_error (f->client);
  g_assert_error (failure, LADLE_ERROR, LADLE_ERROR_FAILED);
  g_assert_cmpstr (failure->message, ==,
                   "The server broke the WebSocket protocol: it sent a masked frame "
                   "(servers must not mask)");
  /* The client ended the connection once its close frame went, without waiting for the
   * server's answer (RFC 6455 §7.1.7): no close frame from the server, 1006. */
  g_assert_cmpuint (ladle_websocket_client_get_close_code (f->client), ==, 1006);
  peer_join (peer);
  g_assert_cmpuint (peer->close_code, ==, 1002);
  g_assert_cmpstr (peer->close_reason, ==, "Server frames must not be masked");
  peer_free (peer);
}

static char *
wrong_accept_answer (const char *key)
{
  return g_strdup ("HTTP/1.1 101 Switching Protocols\r\n"
                   "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Accept: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
}

static char *
unoffered_protocol_answer (const char *key)
{
  g_autofree char *accept = ladle_test_websocket_accept (key);

  return g_strdup_printf ("HTTP/1.1 101 Switching Protocols\r\n"
                          "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Protocol: mqtt\r\n"
                          "Sec-WebSocket-Accept: %s\r\n\r\n", accept);
}

/* A 101 with a protocol we offered, and a first message in the same write. */
static char *
greeting_answer (const char *key)
{
  g_autofree char *accept = ladle_test_websocket_accept (key);
  g_autoptr(GString) answer = g_string_new (NULL);

  g_string_append_printf (answer, "HTTP/1.1 101 Switching Protocols\r\n"
                                  "upgrade: WebSocket\r\nconnection: keep-alive, Upgrade\r\n"
                                  "sec-websocket-protocol: chat\r\n"
                                  "sec-websocket-accept: %s\r\n\r\n", accept);
  g_string_append_len (answer, "\x81\x05hello", 7);
  return g_string_free (g_steal_pointer (&answer), FALSE);
}

static void
test_own_handshake_checks (Fixture       *f,
                           gconstpointer  data)
{
  const char *protocols[] = { "superchat", "chat", NULL };
  Peer *peer;
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;
  LadleWebsocketEvent *event;

  peer = peer_new (wrong_accept_answer, NULL);
  url = peer_url (peer);
  g_assert_false (connect_sync (f->client, url, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_CONNECTION_REFUSED);
  g_assert_cmpstr (error->message, ==,
                   "The server sent an invalid WebSocket handshake: wrong Sec-WebSocket-Accept key");
  event = event_at (f->client, n_events (f->client) - 1);
  assert_event (event, LADLE_WEBSOCKET_DIRECTION_NONE, LADLE_WEBSOCKET_EVENT_ERROR);
  g_assert_cmpint (ladle_websocket_client_get_state (f->client), ==, LADLE_WEBSOCKET_STATE_CLOSED);
  g_clear_error (&error);
  g_clear_pointer (&url, g_free);
  peer_free (peer);

  peer = peer_new (unoffered_protocol_answer, NULL);
  url = peer_url (peer);
  ladle_websocket_client_set_protocols (f->client, protocols);
  g_assert_false (connect_sync (f->client, url, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_CONNECTION_REFUSED);
  g_assert_cmpstr (error->message, ==,
                   "The server sent an invalid WebSocket handshake: "
                   "the server chose the subprotocol “mqtt”, which was not offered");
  g_assert_nonnull (strstr (peer->request, "\r\nSec-WebSocket-Protocol: superchat, chat\r\n"));
  g_clear_error (&error);
  g_clear_pointer (&url, g_free);
  peer_free (peer);

  /* Header names and tokens in any case; data in the same packet as the answer is not lost. */
  peer = peer_new (greeting_answer, NULL);
  url = peer_url (peer);
  g_assert_true (connect_sync (f->client, url, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (ladle_websocket_client_get_protocol (f->client), ==, "chat");
  LADLE_TEST_WAIT_UNTIL (find_incoming (f->client, 0) >= 0, 5000);
  assert_payload (event_at (f->client, find_incoming (f->client, 0)), "hello");
  ladle_websocket_client_close (f->client, 1000, NULL);
  LADLE_TEST_WAIT_UNTIL (ladle_websocket_client_get_state (f->client) ==
                         LADLE_WEBSOCKET_STATE_CLOSED, 10000);
  peer_free (peer);
}

static void
test_own_big_text (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *url = url_for (f, "/websocket/echo");
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  LadleWebsocketEvent *in;

  while (text->len < 1024 * 1024)
    g_string_append (text, "ü€𝄞 ascii ");
  g_assert_true (connect_sync (f->client, url, &error));
  g_assert_true (ladle_websocket_client_send_text (f->client, text->str, text->len, &error));
  LADLE_TEST_WAIT_UNTIL (find_incoming (f->client, 0) >= 0, 30000);
  in = event_at (f->client, find_incoming (f->client, 0));
  assert_event (in, LADLE_WEBSOCKET_DIRECTION_IN, LADLE_WEBSOCKET_EVENT_TEXT);
  assert_payload (in, text->str);
}

static void
test_own_size_limit (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *url = url_for (f, "/websocket/echo");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) big = pattern (5000);
  const GError *failure;

  ladle_websocket_client_set_max_incoming_payload_size (f->client, 4096);
  g_assert_true (connect_sync (f->client, url, &error));
  g_assert_true (ladle_websocket_client_send_binary (f->client, big, &error));
  LADLE_TEST_WAIT_UNTIL (ladle_websocket_client_get_state (f->client) ==
                         LADLE_WEBSOCKET_STATE_CLOSED, 10000);
  g_assert_cmpint (find_incoming (f->client, 0), ==, -1);
  failure = ladle_websocket_client_get_error (f->client);
  g_assert_error (failure, LADLE_ERROR, LADLE_ERROR_TOO_LARGE);
  g_assert_cmpstr (failure->message, ==,
                   "The server sent a message over the size limit (4.1\302\240kB)");
  /* The server answered the client's 1009. */
  g_assert_cmpuint (ladle_websocket_client_get_close_code (f->client), ==, 1009);
}

/* The codec in the client role, fed through a socket pair at every split of a frame sequence. */
typedef struct
{
  GPtrArray *messages;
  GPtrArray *pongs;
  guint      errors;
  gushort    error_code;
  gboolean   closed;
} Seen2;

static void
seen2_message (LadleWebsocketCodec  *codec,
               LadleWebsocketOpcode  opcode,
               const guint8         *data,
               gsize                 len,
               gpointer              user_data)
{
  Seen2 *seen = user_data;

  g_ptr_array_add (seen->messages, g_bytes_new (data, len));
}

static void
seen2_pong (LadleWebsocketCodec *codec,
            const guint8        *data,
            gsize                len,
            gpointer             user_data)
{
  Seen2 *seen = user_data;

  g_ptr_array_add (seen->pongs, g_bytes_new (data, len));
}

static void
seen2_error (LadleWebsocketCodec               *codec,
             const LadleWebsocketProtocolError *error,
             gpointer                           user_data)
{
  Seen2 *seen = user_data;

  seen->errors++;
  seen->error_code = error->code;
}

static void
seen2_closed (LadleWebsocketCodec *codec,
              gpointer             user_data)
{
  Seen2 *seen = user_data;

  seen->closed = TRUE;
}

static const LadleWebsocketCodecCallbacks seen2_callbacks = {
  .message = seen2_message,
  .pong = seen2_pong,
  .error = seen2_error,
  .closed = seen2_closed,
};

static GIOStream *
socket_pair (int *peer_fd)
{
  int fds[2];
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
  socket = g_socket_new_from_fd (fds[0], &error);
  g_assert_no_error (error);
  *peer_fd = fds[1];
  return G_IO_STREAM (g_socket_connection_factory_create_connection (socket));
}

static void
spin (void)
{
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
}

static void
write_fd (int           fd,
          const guint8 *data,
          gsize         len)
{
  while (len > 0)
    {
      gssize n = write (fd, data, len);

      g_assert_cmpint (n, >, 0);
      data += n;
      len -= n;
    }
}

static void
test_codec_client_split (void)
{
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  g_autoptr(GBytes) b300 = pattern (300);
  g_autoptr(GBytes) b70k = pattern (70000);
  gsize small_end;
  const char *parts[] = { "h\xc3", "\xa9llo w", "\xc3\xb6rld" };

#define APPEND(b0, d, l) G_STMT_START { \
    g_autoptr(GBytes) fr = frame_new ((b0), FALSE, (d), (l)); \
    g_byte_array_append (stream, g_bytes_get_data (fr, NULL), g_bytes_get_size (fr)); \
  } G_STMT_END

  /* A text message in three fragments (cut inside characters) with a ping between them, a
   * binary message with a 16-bit length, a pong, and one with a 64-bit length. */
  APPEND (0x01, parts[0], strlen (parts[0]));
  APPEND (0x89, "p", 1);
  APPEND (0x00, parts[1], strlen (parts[1]));
  APPEND (0x80, parts[2], strlen (parts[2]));
  APPEND (0x82, g_bytes_get_data (b300, NULL), 300);
  APPEND (0x8a, "x", 1);
  small_end = stream->len;
  APPEND (0x82, g_bytes_get_data (b70k, NULL), 70000);
#undef APPEND

  for (gsize split = 1; split < stream->len; split++)
    {
      Seen2 seen = { g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref),
                     g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref), 0, 0, FALSE };
      g_autoptr(GIOStream) io = NULL;
      g_autoptr(GSocket) peer_socket = NULL;
      g_autoptr(GInputStream) peer_in = NULL;
      LadleWebsocketCodec *codec;
      int peer_fd;
      guint8 b0;
      gboolean masked;
      guint8 key[4];
      g_autoptr(GBytes) pong = NULL;

      /* Every split in the small frames and the big frame's header; some in its payload. */
      if (split > small_end + 16 && split < stream->len - 16 && split % 4999 != 0)
        continue;

      io = socket_pair (&peer_fd);
      codec = ladle_websocket_codec_new (io, 0, 0, &seen2_callbacks, &seen);
      ladle_websocket_codec_set_role (codec, LADLE_WEBSOCKET_ROLE_CLIENT);
      ladle_websocket_codec_start (codec);
      write_fd (peer_fd, stream->data, split);
      spin ();
      write_fd (peer_fd, stream->data + split, stream->len - split);
      LADLE_TEST_WAIT_UNTIL (seen.messages->len == 3, 5000);

      g_assert_cmpuint (seen.errors, ==, 0);
      g_assert_cmpmem (g_bytes_get_data (seen.messages->pdata[0], NULL),
                       g_bytes_get_size (seen.messages->pdata[0]),
                       "héllo wörld", strlen ("héllo wörld"));
      g_assert_true (g_bytes_equal (seen.messages->pdata[1], b300));
      g_assert_true (g_bytes_equal (seen.messages->pdata[2], b70k));
      g_assert_cmpuint (seen.pongs->len, ==, 1);
      g_assert_cmpuint (g_bytes_get_size (seen.pongs->pdata[0]), ==, 1);

      /* The ping was answered with a masked pong carrying its payload. */
      peer_socket = g_socket_new_from_fd (peer_fd, NULL);
      peer_in = G_INPUT_STREAM (g_unix_input_stream_new (peer_fd, FALSE));
      pong = peer_read_frame (peer_in, &b0, &masked, key, NULL);
      g_assert_nonnull (pong);
      g_assert_cmpuint (b0, ==, 0x8a);
      g_assert_true (masked);
      g_assert_cmpmem (g_bytes_get_data (pong, NULL), g_bytes_get_size (pong), "p", 1);

      ladle_websocket_codec_release (codec);
      g_ptr_array_unref (seen.messages);
      g_ptr_array_unref (seen.pongs);
    }
}

static void
test_codec_client_masked_input (void)
{
  Seen2 seen = { g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref),
                 g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref), 0, 0, FALSE };
  g_autoptr(GIOStream) io = NULL;
  g_autoptr(GSocket) peer_socket = NULL;
  g_autoptr(GInputStream) peer_in = NULL;
  g_autoptr(GBytes) frame = frame_new (0x82, TRUE, "abc", 3);
  g_autoptr(GBytes) close = NULL;
  LadleWebsocketCodec *codec;
  int peer_fd;
  guint8 b0;
  gboolean masked;

  io = socket_pair (&peer_fd);
  codec = ladle_websocket_codec_new (io, 0, 0, &seen2_callbacks, &seen);
  ladle_websocket_codec_set_role (codec, LADLE_WEBSOCKET_ROLE_CLIENT);
  ladle_websocket_codec_start (codec);
  write_fd (peer_fd, g_bytes_get_data (frame, NULL), g_bytes_get_size (frame));
  LADLE_TEST_WAIT_UNTIL (seen.errors > 0, 5000);
  g_assert_cmpuint (seen.error_code, ==, 1002);
  g_assert_cmpuint (seen.messages->len, ==, 0);
  g_assert_false (ladle_websocket_codec_is_open (codec));

  peer_socket = g_socket_new_from_fd (peer_fd, NULL);
  peer_in = G_INPUT_STREAM (g_unix_input_stream_new (peer_fd, FALSE));
  close = peer_read_frame (peer_in, &b0, &masked, NULL, NULL);
  g_assert_cmpuint (b0, ==, 0x88);
  g_assert_true (masked);
  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (close, NULL))[0] << 8 |
                    ((const guint8 *) g_bytes_get_data (close, NULL))[1], ==, 1002);

  ladle_websocket_codec_release (codec);
  g_ptr_array_unref (seen.messages);
  g_ptr_array_unref (seen.pongs);
}

/* wss:// against a bare SoupServer with a self-signed certificate. */
static void
tls_echo_cb (SoupServer              *server,
             SoupServerMessage       *msg,
             const char              *path,
             SoupWebsocketConnection *conn,
             gpointer                 data)
{
  g_object_ref (conn);
  g_signal_connect (conn, "message", G_CALLBACK (soup_websocket_connection_send_message), NULL);
  g_signal_connect (conn, "closed", G_CALLBACK (g_object_unref), NULL);
}

static void
tls_setup (SoupServer *server,
           gpointer    data)
{
  guint *port = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autofree char *cert_path = g_test_build_filename (G_TEST_DIST, "data", "test-cert.pem", NULL);
  g_autofree char *key_path = g_test_build_filename (G_TEST_DIST, "data", "test-key.pem", NULL);
  GSList *uris;

  soup_server_add_websocket_handler (server, "/tls", NULL, NULL, tls_echo_cb, NULL, NULL);
  cert = g_tls_certificate_new_from_files (cert_path, key_path, &error);
  g_assert_no_error (error);
  g_object_set (server, "tls-certificate", cert, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS,
                            &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  *port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

static void
test_own_tls (Fixture       *f,
              gconstpointer  data)
{
  guint port = 0;
  g_autoptr(LadleTestServer) server = ladle_test_server_new (tls_setup, &port);
  g_autofree char *url = g_strdup_printf ("wss://127.0.0.1:%u/tls", port);
  g_autoptr(GError) error = NULL;

  g_assert_false (connect_sync (f->client, url, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_TLS);
  g_assert_true (g_str_has_prefix (error->message, "TLS certificate problem: "));
  g_clear_error (&error);

  ladle_websocket_client_set_verify_tls (f->client, FALSE);
  g_assert_true (connect_sync (f->client, url, &error));
  g_assert_no_error (error);
  g_assert_true (ladle_websocket_client_send_text (f->client, "over TLS", -1, &error));
  LADLE_TEST_WAIT_UNTIL (find_incoming (f->client, 0) >= 0, 5000);
  assert_payload (event_at (f->client, find_incoming (f->client, 0)), "over TLS");
  ladle_websocket_client_close (f->client, 1000, NULL);
  LADLE_TEST_WAIT_UNTIL (ladle_websocket_client_get_state (f->client) ==
                         LADLE_WEBSOCKET_STATE_CLOSED, 8000);
  g_assert_cmpuint (ladle_websocket_client_get_close_code (f->client), ==, 1000);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);
  /* Some cases send libsoup close reasons that are not UTF-8, which it logs as they are. */
  ladle_test_log_valid_utf8 ("libsoup");

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
  ADD ("bad-handshake-input", test_bad_handshake_input);
  ADD ("dead-peer", test_dead_peer);
  ADD ("protocol-errors", test_protocol_errors);
  ADD ("ping", test_ping);
  ADD ("send-file", test_send_file);
  ADD ("deflate", test_deflate);
  ADD ("headers-protocol", test_headers_protocol);
  ADD ("own/masking-wire", test_own_masking_wire);
  ADD ("own/masked-from-server", test_own_masked_from_server);
  ADD ("own/handshake-checks", test_own_handshake_checks);
  ADD ("own/big-text", test_own_big_text);
  ADD ("own/size-limit", test_own_size_limit);
  ADD ("own/tls", test_own_tls);

#undef ADD

  g_test_add_func ("/ladle/websocket-client/codec/client-split", test_codec_client_split);
  g_test_add_func ("/ladle/websocket-client/codec/client-masked-input",
                   test_codec_client_masked_input);

  return ladle_test_run ();
}
