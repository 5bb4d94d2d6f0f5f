/* test-ui-story.c
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

#include "ladle-request-editor.h"
#include "ladle-requests-page.h"
#include "ladle-response-view.h"
#include "ladle-server-page.h"
#include "ladle-test-ui.h"
#include "ladle-websocket-page.h"
#include "ladle-window.h"

/* The tutorial's whole story, in one window, the way a user clicks through it: start the server
 * in the Server bench; GET / and see Hello, World!; POST JSON to /post and see it echoed; a 2 s
 * total timeout against /delay/5; upload a file and see it in the uploads list and on disk;
 * connect to /ws, send "Hello, server" and read the answer in the transcript. */

static GtkWidget *
find (gpointer    root,
      const char *name)
{
  GtkWidget *widget = ladle_test_ui_find (GTK_WIDGET (root), name);

  if (widget == NULL)
    g_error ("no widget “%s”", name);
  return widget;
}

typedef struct
{
  LadleWindow        *window;
  LadleRequestsPage  *requests;
  LadleResponseView  *response;
  LadleRequestEditor *editor;
  char               *base;
} Story;

static char *
body_text (Story *s)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (find (s->response,
                                                                         "body_view")));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static const char *
response_state (Story *s)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (find (s->response, "state_stack")));
}

static void
send (Story      *s,
      const char *path)
{
  g_autofree char *url = g_strconcat (s->base, path, NULL);

  gtk_editable_set_text (GTK_EDITABLE (find (s->requests, "url_entry")), url);
  g_signal_emit_by_name (find (s->requests, "url_entry"), "activate");
  LADLE_TEST_WAIT_UNTIL (!ladle_requests_page_get_busy (s->requests), 10000);
  if (g_strcmp0 (response_state (s), "response") == 0)
    LADLE_TEST_WAIT_UNTIL (ladle_response_view_get_body_ready (s->response), 5000);
}

static void
test_story (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *uploads = ladle_test_make_tmpdir ("ladle-story-XXXXXX");
  g_autofree char *files = ladle_test_make_tmpdir ("ladle-story-files-XXXXXX");
  g_autofree char *upload_path = g_build_filename (files, "отчёт.txt", NULL);
  g_autofree char *stored = g_build_filename (uploads, "отчёт.txt", NULL);
  g_autofree char *text = NULL;
  Story s = { 0 };
  LadleServerPage *server_page;
  LadleWebsocketPage *ws_page;
  LadleServer *server;
  LadleKeyValue *item;
  GtkWidget *row;
  gint64 start;

  /* A free port and a private uploads folder, as a user would type them in. */
  g_settings_set_string (settings, "server-uploads-dir", uploads);
  g_settings_set_uint (settings, "server-port", 0);

  s.window = ladle_window_new (NULL);
  ladle_test_ui_show (GTK_WINDOW (s.window), 1100, 720);
  server = ladle_window_get_server (s.window);

  /* 1. The Server bench: flip the switch. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (s.window), "win.bench", "s", "server"));
  server_page = LADLE_SERVER_PAGE (ladle_window_get_page (s.window, "server"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find (server_page, "port_spin")), 0);
  gtk_switch_set_active (GTK_SWITCH (find (server_page, "running_switch")), TRUE);
  LADLE_TEST_WAIT_UNTIL (ladle_server_get_running (server), 5000);
  s.base = g_strdup_printf ("http://127.0.0.1:%u", ladle_server_get_bound_port (server));
  ladle_test_ui_screenshot (GTK_WIDGET (s.window), "story-1-server");

  /* 2. GET / in the Requests bench. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (s.window), "win.bench", "s", "requests"));
  s.requests = LADLE_REQUESTS_PAGE (ladle_window_get_page (s.window, "requests"));
  s.response = LADLE_RESPONSE_VIEW (find (s.requests, "response_view"));
  s.editor = LADLE_REQUEST_EDITOR (find (s.requests, "editor"));
  send (&s, "/");
  g_assert_cmpstr (response_state (&s), ==, "response");
  text = body_text (&s);
  g_assert_cmpstr (text, ==, "Hello, World!");
  g_clear_pointer (&text, g_free);

  /* 3. POST JSON to /post. */
  gtk_widget_activate_action (GTK_WIDGET (s.requests), "request.set-method", "s", "POST");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (find (s.editor, "body_kind_dropdown")), 1);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (find (s.editor, "body_view"))),
                            "{\"ключ\": \"значение\"}", -1);
  send (&s, "/post");
  text = body_text (&s);
  g_assert_nonnull (strstr (text, "\"ключ\" : \"значение\""));
  g_clear_pointer (&text, g_free);
  ladle_test_ui_screenshot (GTK_WIDGET (s.window), "story-2-post-json");

  /* 4. The 2-second total timeout against /delay/5. */
  gtk_widget_activate_action (GTK_WIDGET (s.requests), "request.set-method", "s", "GET");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (find (s.editor, "body_kind_dropdown")), 0);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find (s.editor, "total_timeout_spin")), 2);
  start = g_get_monotonic_time ();
  send (&s, "/delay/5");
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 1900 * 1000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 4500 * 1000);
  g_assert_cmpstr (response_state (&s), ==, "error");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find (s.response, "error_label"))), ==,
                   "Timed out after 2 s (total)");
  ladle_test_ui_screenshot (GTK_WIDGET (s.window), "story-3-timeout");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find (s.editor, "total_timeout_spin")), 0);

  /* 5. Upload a file with a multipart body. */
  g_assert_true (g_file_set_contents (upload_path, "Привет из окна\n", -1, NULL));
  gtk_widget_activate_action (GTK_WIDGET (s.requests), "request.set-method", "s", "POST");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (find (s.editor, "body_kind_dropdown")), 4);
  g_signal_emit_by_name (find (s.editor, "form_add"), "clicked");
  row = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (find (s.editor, "form_list")), 0));
  gtk_editable_set_text (GTK_EDITABLE (find (row, "name_entry")), "file");
  /* The file chooser is a native dialog: set what it would. */
  item = g_list_model_get_item (G_LIST_MODEL (ladle_request_get_form (
                                  ladle_requests_page_get_request (s.requests))), 0);
  ladle_key_value_set_is_file (item, TRUE);
  ladle_key_value_set_value (item, upload_path);
  g_object_unref (item);
  send (&s, "/upload");
  text = body_text (&s);
  g_assert_nonnull (strstr (text, "отчёт.txt"));
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (stored, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "Привет из окна\n");
  g_clear_pointer (&text, g_free);
  /* ...and in the Server bench's uploads list. */
  LADLE_TEST_WAIT_UNTIL (g_list_model_get_n_items (ladle_server_page_get_uploads (server_page)) >= 1,
                         5000);

  /* 6. The WebSocket bench: "Hello, server". */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (s.window), "win.bench", "s", "websocket"));
  ws_page = LADLE_WEBSOCKET_PAGE (ladle_window_get_page (s.window, "websocket"));
  {
    g_autofree char *url = g_strdup_printf ("ws://127.0.0.1:%u/ws",
                                            ladle_server_get_bound_port (server));
    GListModel *transcript;
    gboolean found = FALSE;

    gtk_editable_set_text (GTK_EDITABLE (find (ws_page, "url_entry")), url);
    g_signal_emit_by_name (find (ws_page, "connect_button"), "clicked");
    LADLE_TEST_WAIT_UNTIL (ladle_websocket_page_get_client (ws_page) != NULL &&
                           ladle_websocket_client_get_state (ladle_websocket_page_get_client (ws_page))
                             == LADLE_WEBSOCKET_STATE_OPEN, 5000);
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (find (ws_page,
                                                                             "composer_view"))),
                              "Hello, server", -1);
    g_signal_emit_by_name (find (ws_page, "send_button"), "clicked");

    transcript = ladle_websocket_client_get_transcript (ladle_websocket_page_get_client (ws_page));
    for (gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
         !found && g_get_monotonic_time () < deadline; )
      {
        g_main_context_iteration (NULL, FALSE);
        for (guint i = 0; i < g_list_model_get_n_items (transcript); i++)
          {
            g_autoptr(LadleWebsocketEvent) event = g_list_model_get_item (transcript, i);
            GBytes *payload = ladle_websocket_event_get_payload (event);

            if (ladle_websocket_event_get_direction (event) == LADLE_WEBSOCKET_DIRECTION_IN &&
                payload != NULL &&
                g_bytes_get_size (payload) == strlen ("Message received: Hello, server") &&
                memcmp (g_bytes_get_data (payload, NULL), "Message received: Hello, server",
                        g_bytes_get_size (payload)) == 0)
              found = TRUE;
          }
      }
    g_assert_true (found);
  }
  ladle_test_ui_screenshot (GTK_WIDGET (s.window), "story-4-websocket");

  /* The log saw it: GET /, POST /post, POST /upload and the WebSocket handshake (the abandoned
   * /delay/5 is logged only when the server notices, after its 5 s). */
  LADLE_TEST_WAIT_UNTIL (g_list_model_get_n_items (ladle_server_page_get_log (server_page)) >= 4,
                         5000);

  {
    LadleWindow *window = s.window;

    g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
    gtk_window_destroy (GTK_WINDOW (window));
    LADLE_TEST_WAIT_UNTIL (window == NULL, 5000);
  }

  g_settings_reset (settings, "server-uploads-dir");
  g_settings_reset (settings, "server-port");
  ladle_test_rm_rf (uploads);
  ladle_test_rm_rf (files);
  g_free (s.base);
}

int
main (int   argc,
      char *argv[])
{
  if (!ladle_test_ui_init (&argc, &argv))
    {
      g_test_add_func ("/ladle/ui-story/no-display", (GTestFunc) g_test_incomplete);
      return ladle_test_run ();
    }

  g_test_add_func ("/ladle/ui-story/seed", test_story);

  return ladle_test_run ();
}
