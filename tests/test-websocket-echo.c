/* test-websocket-echo.c
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

#include "ladle-server.h"
#include "ladle-test-utils.h"

typedef struct
{
  LadleServer             *server;
  char                    *uploads;
  guint                    port;
  SoupSession             *session;
  SoupWebsocketConnection *conn;
  GPtrArray               *received;   /* GBytes */
  GPtrArray               *kinds;      /* GINT_TO_POINTER (type) */
  GPtrArray               *events;
  gboolean                 closed;
} Fixture;

static void
on_request_logged (LadleServer      *server,
                   LadleServerEvent *event,
                   gpointer          user_data)
{
  Fixture *f = user_data;

  g_ptr_array_add (f->events, g_object_ref (event));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->uploads = ladle_test_make_tmpdir ("ladle-ws-XXXXXX");
  f->server = ladle_server_new ();
  ladle_server_set_port (f->server, 0);
  ladle_server_set_uploads_dir (f->server, f->uploads);
  f->events = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (f->server, "request-logged", G_CALLBACK (on_request_logged), f);
  g_assert_true (ladle_server_start (f->server, &error));
  f->port = ladle_server_get_bound_port (f->server);
  f->session = soup_session_new ();
  f->received = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  f->kinds = g_ptr_array_new ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->conn);
  g_clear_object (&f->session);
  ladle_server_stop (f->server);
  g_assert_finalize_object (f->server);
  g_ptr_array_unref (f->received);
  g_ptr_array_unref (f->kinds);
  g_ptr_array_unref (f->events);
  ladle_test_rm_rf (f->uploads);
  g_free (f->uploads);
}

static void
on_message (SoupWebsocketConnection *conn,
            gint                     type,
            GBytes                  *message,
            gpointer                 user_data)
{
  Fixture *f = user_data;

  g_ptr_array_add (f->received, g_bytes_ref (message));
  g_ptr_array_add (f->kinds, GINT_TO_POINTER (type));
}

static void
on_closed (SoupWebsocketConnection *conn,
           gpointer                 user_data)
{
  Fixture *f = user_data;

  f->closed = TRUE;
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Fixture *f = user_data;
  g_autoptr(GError) error = NULL;

  f->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
}

static void
connect_to (Fixture    *f,
            const char *path)
{
  g_autofree char *url = g_strdup_printf ("ws://127.0.0.1:%u%s", f->port, path);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);

  soup_session_websocket_connect_async (f->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        connected_cb, f);
  LADLE_TEST_WAIT_UNTIL (f->conn != NULL, 5000);
  soup_websocket_connection_set_max_incoming_payload_size (f->conn, 32 * 1024 * 1024);
  g_signal_connect (f->conn, "message", G_CALLBACK (on_message), f);
  g_signal_connect (f->conn, "closed", G_CALLBACK (on_closed), f);
}

static void
assert_text (GBytes     *bytes,
             const char *expected)
{
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   expected, strlen (expected));
}

/* The tutorial's story: "Hello, server" → "Message received: Hello, server". */
static void
test_seed_echo (Fixture       *f,
                gconstpointer  data)
{
  LadleServerEvent *event;

  connect_to (f, "/ws");
  soup_websocket_connection_send_text (f->conn, "Hello, server");
  LADLE_TEST_WAIT_UNTIL (f->received->len == 1, 5000);
  assert_text (g_ptr_array_index (f->received, 0), "Message received: Hello, server");
  g_assert_cmpint (GPOINTER_TO_INT (g_ptr_array_index (f->kinds, 0)), ==,
                   SOUP_WEBSOCKET_DATA_TEXT);

  soup_websocket_connection_send_text (f->conn, "Привет");
  LADLE_TEST_WAIT_UNTIL (f->received->len == 2, 5000);
  assert_text (g_ptr_array_index (f->received, 1), "Message received: Привет");

  LADLE_TEST_WAIT_UNTIL (f->events->len >= 1, 5000);
  event = g_ptr_array_index (f->events, 0);
  g_assert_cmpint (ladle_server_event_get_kind (event), ==, LADLE_SERVER_EVENT_WEBSOCKET);
  g_assert_cmpuint (ladle_server_event_get_status (event), ==, 101);
  g_assert_cmpstr (ladle_server_event_get_path (event), ==, "/ws");
}

static void
test_plain_echo_and_binary (Fixture       *f,
                            gconstpointer  data)
{
  static const guint8 blob[] = { 0, 1, 2, 0xff, 0xfe, '\n' };

  connect_to (f, "/websocket/echo");
  soup_websocket_connection_send_text (f->conn, "as is");
  soup_websocket_connection_send_binary (f->conn, blob, sizeof blob);
  LADLE_TEST_WAIT_UNTIL (f->received->len == 2, 5000);
  assert_text (g_ptr_array_index (f->received, 0), "as is");
  g_assert_cmpint (GPOINTER_TO_INT (g_ptr_array_index (f->kinds, 1)), ==,
                   SOUP_WEBSOCKET_DATA_BINARY);
  g_assert_cmpmem (g_bytes_get_data (g_ptr_array_index (f->received, 1), NULL),
                   g_bytes_get_size (g_ptr_array_index (f->received, 1)), blob, sizeof blob);
}

/* libsoup's default per-frame cap is 128 KiB; Ladle accepts up to 16 MiB. */
static void
test_large_message (Fixture       *f,
                    gconstpointer  data)
{
  gsize size = 8 * 1024 * 1024;
  g_autofree guint8 *payload = g_malloc (size);
  GBytes *echo;

  for (gsize i = 0; i < size; i++)
    payload[i] = i * 7;

  connect_to (f, "/ws");
  soup_websocket_connection_send_binary (f->conn, payload, size);
  LADLE_TEST_WAIT_UNTIL (f->received->len == 1 || f->closed, 20000);
  g_assert_false (f->closed);
  echo = g_ptr_array_index (f->received, 0);
  g_assert_cmpmem (g_bytes_get_data (echo, NULL), g_bytes_get_size (echo), payload, size);
}

/* A client's close code and reason are honoured: the server answers with the same code. */
static void
test_close_code (Fixture       *f,
                 gconstpointer  data)
{
  connect_to (f, "/ws");
  soup_websocket_connection_close (f->conn, 4000, "bye now");
  LADLE_TEST_WAIT_UNTIL (f->closed, 5000);
  g_assert_cmpuint (soup_websocket_connection_get_close_code (f->conn), ==, 4000);
}

static void
test_ping_answered (Fixture       *f,
                    gconstpointer  data)
{
  guint pongs = 0;

  connect_to (f, "/ws");
  g_signal_connect_swapped (f->conn, "pong", G_CALLBACK (g_atomic_int_inc), &pongs);
  /* libsoup's keepalive sends a ping every second; the server must answer each. */
  soup_websocket_connection_set_keepalive_interval (f->conn, 1);
  LADLE_TEST_WAIT_UNTIL (pongs >= 1, 5000);
  soup_websocket_connection_set_keepalive_interval (f->conn, 0);
}

static void
test_server_stop_closes (Fixture       *f,
                         gconstpointer  data)
{
  connect_to (f, "/ws");
  ladle_server_stop (f->server);
  LADLE_TEST_WAIT_UNTIL (f->closed, 5000);
  g_assert_cmpuint (soup_websocket_connection_get_close_code (f->conn), ==,
                    SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  g_test_add ("/ladle/websocket-echo/seed", Fixture, NULL,
              fixture_setup, test_seed_echo, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/plain-and-binary", Fixture, NULL,
              fixture_setup, test_plain_echo_and_binary, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/large-message", Fixture, NULL,
              fixture_setup, test_large_message, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/close-code", Fixture, NULL,
              fixture_setup, test_close_code, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/ping-answered", Fixture, NULL,
              fixture_setup, test_ping_answered, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/server-stop-closes", Fixture, NULL,
              fixture_setup, test_server_stop_closes, fixture_teardown);

  return g_test_run ();
}
