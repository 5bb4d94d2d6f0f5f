/* test-websocket-request.c
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
#include "ladle-websocket-request.h"

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
assert_row (LadleWebsocketRequest *request,
            guint                  position,
            const char            *name,
            const char            *value)
{
  GListModel *headers = ladle_websocket_request_get_headers (request);
  g_autoptr(LadleKeyValue) row = g_list_model_get_item (headers, position);

  g_assert_nonnull (row);
  g_assert_cmpstr (ladle_key_value_get_name (row), ==, name);
  g_assert_cmpstr (ladle_key_value_get_value (row), ==, value);
}

static void
test_defaults (void)
{
  g_autoptr(LadleWebsocketRequest) request = ladle_websocket_request_new ();
  g_auto(GStrv) protocols = ladle_websocket_request_dup_protocol_list (request);

  g_assert_cmpstr (ladle_websocket_request_get_url (request), ==, "");
  g_assert_cmpstr (ladle_websocket_request_get_origin (request), ==, "");
  g_assert_cmpstr (ladle_websocket_request_get_headers_text (request), ==, "");
  g_assert_cmpuint (g_list_model_get_n_items (ladle_websocket_request_get_headers (request)), ==,
                    0);
  g_assert_cmpuint (g_strv_length (protocols), ==, 0);
  g_assert_false (ladle_websocket_request_get_deflate (request));
  g_assert_true (ladle_websocket_request_get_verify_tls (request));
  g_assert_cmpfloat (ladle_websocket_request_get_connect_timeout (request), ==, 10);
  g_assert_cmpfloat (ladle_websocket_request_get_ping_interval (request), ==, 0);
}

/* The rows follow the text, which stays as typed; notifications come with changes only. */
static void
test_headers_text (void)
{
  g_autoptr(LadleWebsocketRequest) request = ladle_websocket_request_new ();
  GListModel *headers = ladle_websocket_request_get_headers (request);
  guint n_notify = 0;

  g_signal_connect (request, "notify::headers-text", G_CALLBACK (count_notify), &n_notify);

  ladle_websocket_request_set_headers_text (request, "  X-One:  1 \n\nX-Two:two: parts\n  ");
  g_assert_cmpuint (n_notify, ==, 1);
  g_assert_cmpstr (ladle_websocket_request_get_headers_text (request), ==,
                   "  X-One:  1 \n\nX-Two:two: parts\n  ");
  g_assert_cmpuint (g_list_model_get_n_items (headers), ==, 2);
  assert_row (request, 0, "X-One", "1");
  assert_row (request, 1, "X-Two", "two: parts");

  ladle_websocket_request_set_headers_text (request, "  X-One:  1 \n\nX-Two:two: parts\n  ");
  g_assert_cmpuint (n_notify, ==, 1);

  /* A header added in code is a line too. */
  ladle_websocket_request_set_headers_text (request, "X-One: 1");
  ladle_websocket_request_add_header (request, "X-Three", "3");
  g_assert_cmpstr (ladle_websocket_request_get_headers_text (request), ==, "X-One: 1\nX-Three: 3");
  g_assert_cmpuint (g_list_model_get_n_items (headers), ==, 2);
  assert_row (request, 1, "X-Three", "3");
  g_assert_cmpuint (n_notify, ==, 3);

  ladle_websocket_request_set_headers_text (request, NULL);
  g_assert_cmpstr (ladle_websocket_request_get_headers_text (request), ==, "");
  g_assert_cmpuint (g_list_model_get_n_items (headers), ==, 0);
}

static void
test_protocols (void)
{
  g_autoptr(LadleWebsocketRequest) request = ladle_websocket_request_new ();
  g_auto(GStrv) protocols = NULL;

  g_object_set (request, "protocols", " chat,superchat \tv2.x ,", NULL);
  protocols = ladle_websocket_request_dup_protocol_list (request);
  g_assert_cmpuint (g_strv_length (protocols), ==, 3);
  g_assert_cmpstr (protocols[0], ==, "chat");
  g_assert_cmpstr (protocols[1], ==, "superchat");
  g_assert_cmpstr (protocols[2], ==, "v2.x");
}

/* What cannot go into the handshake's head is refused before a connection is tried, and named. */
static void
test_apply_refuses (void)
{
  static const struct {
    const char *headers;
    const char *origin;
    const char *message;
  } cases[] = {
    { "X-Good: yes\nno colon here", "", "Header line 2" },
    { ": no name", "", "Header line 1" },
    { "Bad Name: x", "", "Bad Name" },
    { "X-Split: a\rb", "", "X-Split" },
    { "X-Good: yes", "http://a\r\nX-Evil: 1", "Origin" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LadleWebsocketRequest) request = ladle_websocket_request_new ();
      g_autoptr(LadleWebsocketClient) client = ladle_websocket_client_new ();
      g_autoptr(GError) error = NULL;

      ladle_websocket_request_set_headers_text (request, cases[i].headers);
      ladle_websocket_request_set_origin (request, cases[i].origin);
      ladle_websocket_request_set_ping_interval (request, 25);
      g_assert_false (ladle_websocket_request_apply (request, client, &error));
      g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, cases[i].message));
      /* Untouched */
      g_assert_cmpfloat (ladle_websocket_client_get_ping_interval (client), ==, 0);
    }
}

static void
request_logged_cb (LadleServer       *server,
                   LadleServerEvent  *event,
                   LadleServerEvent **out)
{
  if (g_strcmp0 (ladle_server_event_get_path (event), "/ws") == 0)
    g_set_object (out, event);
}

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (ladle_websocket_client_connect_finish (LADLE_WEBSOCKET_CLIENT (object), result,
                                                        &error));
  g_assert_no_error (error);
  *done = TRUE;
}

/* A client set up from the request connects with its options: the server sees them. */
static void
test_apply_connects (void)
{
  g_autofree char *uploads = ladle_test_make_tmpdir ("ladle-websocket-request-XXXXXX");
  g_autoptr(LadleServer) server = ladle_server_new ();
  g_autoptr(LadleWebsocketRequest) request = ladle_websocket_request_new ();
  g_autoptr(LadleWebsocketClient) client = ladle_websocket_client_new ();
  g_autoptr(LadleServerEvent) upgrade = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  SoupMessageHeaders *headers;
  gboolean done = FALSE;

  ladle_server_set_port (server, 0);
  ladle_server_set_uploads_dir (server, uploads);
  g_assert_true (ladle_server_start (server, &error));
  g_assert_no_error (error);
  g_signal_connect (server, "request-logged", G_CALLBACK (request_logged_cb), &upgrade);
  url = g_strdup_printf ("ws://127.0.0.1:%u/ws", ladle_server_get_bound_port (server));

  g_object_set (request,
                "url", url,
                "headers-text", "X-Ladle-Test: applied\nX-Second: 2",
                "protocols", "chat, superchat",
                "origin", "http://ladle.test",
                "connect-timeout", 7.0,
                "ping-interval", 25.0,
                NULL);
  g_assert_true (ladle_websocket_request_apply (request, client, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (ladle_websocket_client_get_ping_interval (client), ==, 25);

  ladle_websocket_client_connect_async (client, ladle_websocket_request_get_url (request), NULL,
                                        connect_cb, &done);
  LADLE_TEST_WAIT_UNTIL (done && upgrade != NULL, 10000);
  headers = ladle_server_event_get_request_headers (upgrade);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "X-Ladle-Test"), ==, "applied");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "X-Second"), ==, "2");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Origin"), ==, "http://ladle.test");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Sec-WebSocket-Protocol"), ==,
                   "chat, superchat");

  ladle_websocket_client_close (client, 1000, NULL);
  LADLE_TEST_WAIT_UNTIL (ladle_websocket_client_get_state (client) == LADLE_WEBSOCKET_STATE_CLOSED,
                         10000);
  g_signal_handlers_disconnect_by_func (server, request_logged_cb, &upgrade);
  ladle_server_stop (server);
  ladle_test_rm_rf (uploads);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  g_test_add_func ("/ladle/websocket-request/defaults", test_defaults);
  g_test_add_func ("/ladle/websocket-request/headers-text", test_headers_text);
  g_test_add_func ("/ladle/websocket-request/protocols", test_protocols);
  g_test_add_func ("/ladle/websocket-request/apply-refuses", test_apply_refuses);
  g_test_add_func ("/ladle/websocket-request/apply-connects", test_apply_connects);

  return ladle_test_run ();
}
