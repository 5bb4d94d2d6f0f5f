/* test-ui-websocket.c
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

#include "ladle-body-view.h"
#include "ladle-body-viewer.h"
#include "ladle-server.h"
#include "ladle-test-input.h"
#include "ladle-test-ui.h"
#include "ladle-websocket-event-row.h"
#include "ladle-websocket-page.h"
#include "ladle-window.h"

/* The WebSocket bench driven like a user would, against a LadleServer of the test's own on an
 * ephemeral port (/ws answers "Message received: X"). */

typedef struct
{
  LadleServer        *server;
  char               *uploads;
  guint               port;
  LadleWindow        *window;
  LadleWebsocketPage *page;
} Fixture;

/* The connection options are kept in GSettings (memory backend: shared by the whole process), so
 * each case starts from the defaults. */
static void
reset_options (void)
{
  static const char *keys[] = {
    "websocket-url", "websocket-protocols", "websocket-origin", "websocket-headers",
    "websocket-deflate", "websocket-verify-tls", "websocket-connect-timeout",
    "websocket-ping-interval",
  };
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_reset (settings, keys[i]);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const int *size = data;

  reset_options ();
  f->uploads = ladle_test_make_tmpdir ("ladle-ui-ws-XXXXXX");
  f->server = ladle_server_new ();
  ladle_server_set_port (f->server, 0);
  ladle_server_set_uploads_dir (f->server, f->uploads);
  g_assert_true (ladle_server_start (f->server, &error));
  g_assert_no_error (error);
  f->port = ladle_server_get_bound_port (f->server);

  f->window = ladle_window_new (NULL);
  ladle_window_set_bench (f->window, "websocket");
  ladle_test_ui_show (GTK_WINDOW (f->window), size != NULL ? size[0] : 1100,
                      size != NULL ? size[1] : 720);
  f->page = LADLE_WEBSOCKET_PAGE (ladle_window_get_page (f->window, "websocket"));
  g_assert_nonnull (f->page);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  LadleWindow *window = f->window;

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  LADLE_TEST_WAIT_UNTIL (window == NULL, 5000);
  ladle_test_ui_forget_icons ();

  ladle_server_stop (f->server);
  g_assert_finalize_object (f->server);
  ladle_test_rm_rf (f->uploads);
  g_free (f->uploads);
  reset_options ();
}

static GtkWidget *
find (Fixture    *f,
      const char *name)
{
  GtkWidget *widget = ladle_test_ui_find (GTK_WIDGET (f->page), name);

  g_assert_nonnull (widget);
  return widget;
}

static LadleWebsocketState
state (Fixture *f)
{
  LadleWebsocketClient *client = ladle_websocket_page_get_client (f->page);

  return client != NULL ? ladle_websocket_client_get_state (client)
                        : LADLE_WEBSOCKET_STATE_CLOSED;
}

static void
click (Fixture    *f,
       const char *button)
{
  GtkWidget *widget = find (f, button);

  g_assert_true (gtk_widget_is_sensitive (widget));
  g_signal_emit_by_name (widget, "clicked");
}

static void
connect_to (Fixture    *f,
            const char *path)
{
  g_autofree char *url = g_strdup_printf ("ws://127.0.0.1:%u%s", f->port, path);

  gtk_editable_set_text (GTK_EDITABLE (find (f, "url_entry")), url);
  click (f, "connect_button");
}

static void
compose (Fixture    *f,
         const char *text)
{
  GtkTextView *view = GTK_TEXT_VIEW (find (f, "composer_view"));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text, -1);
}

/* Index of the first event in @model with this direction, kind and payload text (or summary
 * when @text is NULL), or -1. */
static int
find_event (GListModel              *model,
            LadleWebsocketDirection  direction,
            LadleWebsocketEventKind  kind,
            const char              *text)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(LadleWebsocketEvent) event = g_list_model_get_item (model, i);
      GBytes *payload = ladle_websocket_event_get_payload (event);

      if (ladle_websocket_event_get_direction (event) != direction ||
          ladle_websocket_event_get_kind (event) != kind)
        continue;
      if (text == NULL)
        return (int) i;
      if (payload != NULL && g_bytes_get_size (payload) == strlen (text) &&
          memcmp (g_bytes_get_data (payload, NULL), text, strlen (text)) == 0)
        return (int) i;
    }
  return -1;
}

static int
find_close (GListModel              *model,
            LadleWebsocketDirection  direction,
            guint                    code,
            const char              *reason)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(LadleWebsocketEvent) event = g_list_model_get_item (model, i);

      if (ladle_websocket_event_get_direction (event) == direction &&
          ladle_websocket_event_get_kind (event) == LADLE_WEBSOCKET_EVENT_CLOSE &&
          ladle_websocket_event_get_close_code (event) == code &&
          g_strcmp0 (ladle_websocket_event_get_close_reason (event), reason) == 0)
        return (int) i;
    }
  return -1;
}

static void
collect_rows (GtkWidget *widget,
              GPtrArray *labels)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (LADLE_IS_WEBSOCKET_EVENT_ROW (child))
        {
          GtkWidget *label = ladle_test_ui_find (child, "preview_label");

          if (ladle_websocket_event_row_get_event (LADLE_WEBSOCKET_EVENT_ROW (child)) != NULL &&
              gtk_widget_get_child_visible (gtk_widget_get_parent (child)) &&
              gtk_widget_get_mapped (child))
            g_ptr_array_add (labels, g_strdup (gtk_label_get_text (GTK_LABEL (label))));
        }
      else
        collect_rows (child, labels);
    }
}

/* The preview labels of the transcript rows on screen. */
static GPtrArray *
visible_rows (Fixture *f)
{
  GPtrArray *labels = g_ptr_array_new_with_free_func (g_free);

  ladle_test_ui_wait_for_draw (GTK_WIDGET (f->window));
  collect_rows (find (f, "transcript_view"), labels);
  return labels;
}

static gboolean
row_shown (Fixture    *f,
           const char *label)
{
  g_autoptr(GPtrArray) rows = visible_rows (f);

  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (g_ptr_array_index (rows, i), label) == 0)
      return TRUE;
  return FALSE;
}

static const char *
label_text (Fixture    *f,
            const char *name)
{
  return gtk_label_get_text (GTK_LABEL (find (f, name)));
}

/* The whole story of the brief: connect, send, ping, filter, close. */
/* The text the selected event's body view shows, once it is all there */
static char *
dup_body_text (Fixture *f)
{
  GtkWidget *body = find (f, "body");
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (ladle_test_ui_find (body,
                                                                                         "body_view")));
  GtkTextIter start, end;

  LADLE_TEST_WAIT_UNTIL (ladle_body_view_get_ready (LADLE_BODY_VIEW (body)), 10000);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
test_conversation (Fixture       *f,
                   gconstpointer  data)
{
  GListModel *transcript = ladle_websocket_page_get_transcript (f->page);
  GListModel *visible = ladle_websocket_page_get_visible (f->page);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(LadleWebsocketEvent) only = NULL;

  g_assert_cmpstr (label_text (f, "state_label"), ==, "Disconnected");
  connect_to (f, "/ws");
  LADLE_TEST_WAIT_UNTIL (state (f) == LADLE_WEBSOCKET_STATE_OPEN, 10000);
  g_assert_cmpstr (label_text (f, "state_label"), ==, "Open");
  g_assert_true (gtk_widget_has_css_class (find (f, "state_label"), "open"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (find (f, "connect_stack"))), ==,
                   "disconnect");

  /* Send with the Send button. */
  compose (f, "Hello, server");
  click (f, "send_button");
  LADLE_TEST_WAIT_UNTIL (find_event (transcript, LADLE_WEBSOCKET_DIRECTION_IN,
                                     LADLE_WEBSOCKET_EVENT_TEXT,
                                     "Message received: Hello, server") >= 0, 10000);
  g_assert_cmpint (find_event (transcript, LADLE_WEBSOCKET_DIRECTION_OUT,
                               LADLE_WEBSOCKET_EVENT_TEXT, "Hello, server"), >=, 0);
  LADLE_TEST_WAIT_UNTIL (row_shown (f, "Message received: Hello, server"), 5000);
  g_assert_true (row_shown (f, "Hello, server"));

  /* Ctrl+Enter in the composer: a shortcut to the same action. */
  compose (f, "Second");
  {
    GtkWidget *composer = find (f, "composer_view");
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (composer);
    GtkShortcut *shortcut = NULL;

    for (guint i = 0; i < g_list_model_get_n_items (controllers) && shortcut == NULL; i++)
      {
        g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

        if (GTK_IS_SHORTCUT_CONTROLLER (controller))
          shortcut = g_list_model_get_item (G_LIST_MODEL (controller), 0);
      }
    g_assert_nonnull (shortcut);
    g_assert_cmpstr (gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut)), ==,
                     "<Control>Return|<Control>KP_Enter");
    g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, composer,
                                                 NULL));
    g_object_unref (shortcut);
  }
  LADLE_TEST_WAIT_UNTIL (find_event (transcript, LADLE_WEBSOCKET_DIRECTION_IN,
                                     LADLE_WEBSOCKET_EVENT_TEXT,
                                     "Message received: Second") >= 0, 10000);

  /* Ping → pong. */
  click (f, "ping_button");
  LADLE_TEST_WAIT_UNTIL (find_event (transcript, LADLE_WEBSOCKET_DIRECTION_IN,
                                     LADLE_WEBSOCKET_EVENT_PONG, NULL) >= 0, 10000);
  g_assert_cmpint (find_event (transcript, LADLE_WEBSOCKET_DIRECTION_OUT,
                               LADLE_WEBSOCKET_EVENT_PING, NULL), >=, 0);

  /* The filter: only the matching row remains, in the model and on screen. */
  gtk_editable_set_text (GTK_EDITABLE (find (f, "filter_entry")), "received: hello");
  LADLE_TEST_WAIT_UNTIL (g_list_model_get_n_items (visible) == 1, 5000);
  only = g_list_model_get_item (visible, 0);
  g_assert_cmpint (ladle_websocket_event_get_direction (only), ==, LADLE_WEBSOCKET_DIRECTION_IN);
  ladle_test_ui_spin (100);
  rows = visible_rows (f);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (rows, 0), ==, "Message received: Hello, server");
  g_clear_pointer (&rows, g_ptr_array_unref);

  gtk_editable_set_text (GTK_EDITABLE (find (f, "filter_entry")), "received");
  LADLE_TEST_WAIT_UNTIL (g_list_model_get_n_items (visible) == 2, 5000);

  /* The direction toggles: hide received messages. */
  gtk_editable_set_text (GTK_EDITABLE (find (f, "filter_entry")), "");
  LADLE_TEST_WAIT_UNTIL (g_list_model_get_n_items (visible) ==
                         g_list_model_get_n_items (transcript), 5000);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find (f, "in_toggle")), FALSE);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find (f, "control_toggle")), FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 2);   /* the two sent messages */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find (f, "in_toggle")), TRUE);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find (f, "control_toggle")), TRUE);

  /* Selecting a message shows it in full. */
  {
    GtkSelectionModel *selection =
      gtk_list_view_get_model (GTK_LIST_VIEW (find (f, "transcript_view")));
    int index = find_event (visible, LADLE_WEBSOCKET_DIRECTION_IN, LADLE_WEBSOCKET_EVENT_TEXT,
                            "Message received: Hello, server");
    g_autofree char *text = NULL;

    g_assert_cmpint (index, >=, 0);
    gtk_selection_model_select_item (selection, index, TRUE);
    g_assert_true (gtk_widget_get_visible (find (f, "detail_box")));
    text = dup_body_text (f);
    g_assert_cmpstr (text, ==, "Message received: Hello, server");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "websocket.unselect", NULL));
    g_assert_false (gtk_widget_get_visible (find (f, "detail_box")));
  }

  /* Close with 4000 "bye". */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find (f, "close_code_spin")), 4000);
  gtk_editable_set_text (GTK_EDITABLE (find (f, "close_reason_row")), "bye");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "websocket.close", NULL));
  LADLE_TEST_WAIT_UNTIL (state (f) == LADLE_WEBSOCKET_STATE_CLOSED, 10000);
  g_assert_cmpint (find_close (transcript, LADLE_WEBSOCKET_DIRECTION_OUT, 4000, "bye"), >=, 0);
  g_assert_cmpint (find_close (transcript, LADLE_WEBSOCKET_DIRECTION_IN, 4000, "bye"), >=, 0);
  g_assert_cmpstr (label_text (f, "state_label"), ==, "Disconnected");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (find (f, "connect_stack"))), ==,
                   "connect");
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (find (f, "error_revealer"))));
  LADLE_TEST_WAIT_UNTIL (row_shown (f, "4000 · “bye”"), 5000);
}

/* Connecting to something that is not a WebSocket says so in words, in the page. */
static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  GtkWidget *revealer;
  const char *message;

  connect_to (f, "/get");
  LADLE_TEST_WAIT_UNTIL (state (f) == LADLE_WEBSOCKET_STATE_CLOSED &&
                         gtk_revealer_get_reveal_child (GTK_REVEALER (find (f, "error_revealer"))),
                         10000);
  revealer = find (f, "error_revealer");
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  message = label_text (f, "error_label");
  g_assert_true (g_str_has_prefix (message, "The server refused the WebSocket handshake: HTTP "));
  g_assert_cmpstr (label_text (f, "state_label"), ==, "Disconnected");

  /* The error is also in the transcript, and a good connection clears the message. */
  g_assert_cmpint (find_event (ladle_websocket_page_get_transcript (f->page),
                               LADLE_WEBSOCKET_DIRECTION_NONE, LADLE_WEBSOCKET_EVENT_ERROR,
                               NULL), >=, 0);
  connect_to (f, "/ws");
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  LADLE_TEST_WAIT_UNTIL (state (f) == LADLE_WEBSOCKET_STATE_OPEN, 10000);

  /* An impossible close code is refused in words too, and the connection stays open. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find (f, "close_code_spin")), 1004);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "websocket.close", NULL));
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  g_assert_true (strstr (label_text (f, "error_label"), "1004") != NULL);
  g_assert_cmpint (state (f), ==, LADLE_WEBSOCKET_STATE_OPEN);

  /* A bad header line is caught before connecting. */
  click (f, "disconnect_button");
  LADLE_TEST_WAIT_UNTIL (state (f) == LADLE_WEBSOCKET_STATE_CLOSED, 10000);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (find (f, "headers_view"))),
                            "X-Good: yes\nno colon here", -1);
  click (f, "connect_button");
  g_assert_true (strstr (label_text (f, "error_label"), "Header line 2") != NULL);
  g_assert_cmpint (state (f), ==, LADLE_WEBSOCKET_STATE_CLOSED);
}

/* Binary messages, big payloads and Clear. */
static void
test_binary_and_large (Fixture       *f,
                       gconstpointer  data)
{
  GListModel *transcript = ladle_websocket_page_get_transcript (f->page);
  GListModel *visible = ladle_websocket_page_get_visible (f->page);
  GtkSelectionModel *selection;
  g_autoptr(GString) big = g_string_new (NULL);
  GtkTextBuffer *buffer;
  gint64 start_time;
  int index;

  connect_to (f, "/websocket/echo");
  LADLE_TEST_WAIT_UNTIL (state (f) == LADLE_WEBSOCKET_STATE_OPEN, 10000);

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find (f, "binary_toggle")), TRUE);
  compose (f, "41 42 43");
  click (f, "send_button");
  LADLE_TEST_WAIT_UNTIL (find_event (transcript, LADLE_WEBSOCKET_DIRECTION_IN,
                                     LADLE_WEBSOCKET_EVENT_BINARY, "ABC") >= 0, 10000);
  LADLE_TEST_WAIT_UNTIL (row_shown (f, "3 bytes · 41 42 43"), 5000);

  /* 2 MB of text in one line: the row and the selected view only read the start of it. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find (f, "text_toggle")), TRUE);
  for (guint i = 0; i < 2 * 1024 * 1024 / 16; i++)
    g_string_append (big, "0123456789abcdef");
  compose (f, "");
  {
    LadleWebsocketClient *client = ladle_websocket_page_get_client (f->page);

    g_assert_true (ladle_websocket_client_send_text (client, big->str, big->len, NULL));
  }
  LADLE_TEST_WAIT_UNTIL (find_event (transcript, LADLE_WEBSOCKET_DIRECTION_IN,
                                     LADLE_WEBSOCKET_EVENT_TEXT, big->str) >= 0, 20000);
  index = find_event (visible, LADLE_WEBSOCKET_DIRECTION_IN, LADLE_WEBSOCKET_EVENT_TEXT, big->str);
  selection = gtk_list_view_get_model (GTK_LIST_VIEW (find (f, "transcript_view")));
  start_time = g_get_monotonic_time ();
  gtk_selection_model_select_item (selection, index, TRUE);
  /* Selecting hands the payload to the viewer's worker: it does not wait for it. (The first
   * frame that follows lays out rows of 2 KiB: slow under the sanitizers, so only reported.) */
  g_assert_cmpint (g_get_monotonic_time () - start_time, <, G_USEC_PER_SEC / 2);
  ladle_test_ui_wait_for_draw (GTK_WIDGET (f->window));
  g_test_message ("selecting a 2 MB one-line message and drawing it took %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start_time) / 1000);
  /* Too large for the text view: the whole message is in the body viewer, its one line cut
   * into rows. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (find (f, "body_stack"))), ==,
                   "viewer");
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (find (f, "body_view")));
  g_assert_cmpint (gtk_text_buffer_get_char_count (buffer), ==, 0);
  g_assert_false (gtk_widget_get_visible (find (f, "raw_toggle")));
  LADLE_TEST_WAIT_UNTIL (ladle_test_ui_viewer_shows (find (f, "body_viewer"), "0123456789abcdef0123"), 10000);

  /* Filtering searches only the start of big messages, quickly. */
  start_time = g_get_monotonic_time ();
  gtk_editable_set_text (GTK_EDITABLE (find (f, "filter_entry")), "ABCDEF");
  LADLE_TEST_WAIT_UNTIL (g_list_model_get_n_items (visible) == 2, 5000);
  g_assert_cmpint (g_get_monotonic_time () - start_time, <, 3 * G_USEC_PER_SEC);
  gtk_editable_set_text (GTK_EDITABLE (find (f, "filter_entry")), "");

  /* Clear empties the list, and new events still arrive. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "websocket.clear", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (transcript), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (find (f, "transcript_stack"))), ==,
                   "empty");
  compose (f, "after clear");
  click (f, "send_button");
  LADLE_TEST_WAIT_UNTIL (find_event (transcript, LADLE_WEBSOCKET_DIRECTION_IN,
                                     LADLE_WEBSOCKET_EVENT_TEXT, "after clear") >= 0, 10000);
}

/* A 3 MiB JSON message, echoed by the server: selected, it shows whole in the body viewer, pretty,
 * from its first lines, and the viewer's search finds a line near its end. Raw shows it as it
 * came; a small message keeps the text view. */
static void
test_large_json (Fixture       *f,
                 gconstpointer  data)
{
  GListModel *transcript = ladle_websocket_page_get_transcript (f->page);
  GListModel *visible = ladle_websocket_page_get_visible (f->page);
  LadleWebsocketClient *client;
  GtkSelectionModel *selection;
  GtkWidget *viewer = find (f, "body_viewer");
  g_autoptr(GString) json = g_string_new ("[");
  g_autofree char *needle = NULL;
  GtkWidget *entry;
  guint n = 0;
  int index;

  connect_to (f, "/websocket/echo");
  LADLE_TEST_WAIT_UNTIL (state (f) == LADLE_WEBSOCKET_STATE_OPEN, 10000);
  client = ladle_websocket_page_get_client (f->page);

  for (n = 0; json->len < 3 * 1024 * 1024; n++)
    g_string_append_printf (json, "%s{\"id\":%u,\"name\":\"item %u\",\"tags\":[\"a\",\"b\"]}",
                            n > 0 ? "," : "", n, n);
  g_string_append (json, "]");
  g_assert_true (ladle_websocket_client_send_text (client, json->str, json->len, NULL));
  LADLE_TEST_WAIT_UNTIL (find_event (transcript, LADLE_WEBSOCKET_DIRECTION_IN,
                                     LADLE_WEBSOCKET_EVENT_TEXT, json->str) >= 0, 30000);

  /* The row stays a one-line preview. */
  {
    g_autofree char *start = g_strndup (json->str, 40);
    g_autoptr(GPtrArray) rows = visible_rows (f);
    gboolean found = FALSE;

    for (guint i = 0; i < rows->len; i++)
      found |= g_str_has_prefix (g_ptr_array_index (rows, i), start) &&
               strlen (g_ptr_array_index (rows, i)) < 4096;
    g_assert_true (found);
  }

  index = find_event (visible, LADLE_WEBSOCKET_DIRECTION_IN, LADLE_WEBSOCKET_EVENT_TEXT, json->str);
  selection = gtk_list_view_get_model (GTK_LIST_VIEW (find (f, "transcript_view")));
  gtk_selection_model_select_item (selection, index, TRUE);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (find (f, "body_stack"))), ==,
                   "viewer");
  g_assert_true (gtk_widget_get_visible (find (f, "raw_toggle")));
  g_assert_cmpint (ladle_body_viewer_get_mode (LADLE_BODY_VIEWER (viewer)), ==,
                   LADLE_BODY_VIEWER_PRETTY);

  /* Pretty, from the first lines */
  LADLE_TEST_WAIT_UNTIL (ladle_test_ui_viewer_shows (viewer, "\"id\": 0,") &&
                         ladle_test_ui_viewer_shows (viewer, "\"name\": \"item 0\","), 10000);
  g_assert_false (ladle_test_ui_viewer_shows (viewer, "{\"id\":0,"));
  ladle_test_ui_wait_for_draw (GTK_WIDGET (f->window));
  g_free (ladle_test_ui_screenshot (GTK_WIDGET (f->window), "websocket-large-json-wide-light"));

  /* Search finds the last item, far below. */
  LADLE_TEST_WAIT_UNTIL (!ladle_body_viewer_get_busy (LADLE_BODY_VIEWER (viewer)), 60000);
  needle = g_strdup_printf ("\"item %u\"", n - 1);
  g_assert_false (ladle_test_ui_viewer_shows (viewer, needle));
  g_assert_true (gtk_widget_activate_action (viewer, "viewer.search", NULL));
  entry = ladle_test_ui_find_by_type (viewer, GTK_TYPE_SEARCH_ENTRY);
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), needle);
  LADLE_TEST_WAIT_UNTIL (ladle_test_ui_viewer_shows (viewer, needle), 20000);
  ladle_test_ui_wait_for_draw (GTK_WIDGET (f->window));
  g_free (ladle_test_ui_screenshot (GTK_WIDGET (f->window), "websocket-large-json-search"));
  gtk_editable_set_text (GTK_EDITABLE (entry), "");

  /* Raw: the message as it came. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find (f, "raw_toggle")), TRUE);
  g_assert_cmpint (ladle_body_viewer_get_mode (LADLE_BODY_VIEWER (viewer)), ==,
                   LADLE_BODY_VIEWER_RAW);
  LADLE_TEST_WAIT_UNTIL (ladle_test_ui_viewer_shows (viewer, "[{\"id\":0,\"name\":\"item 0\""), 10000);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find (f, "raw_toggle")), FALSE);

  /* A small message: the text view, pretty like any JSON body, and as it came with Raw. */
  compose (f, "{\"small\": true}");
  click (f, "send_button");
  LADLE_TEST_WAIT_UNTIL (find_event (transcript, LADLE_WEBSOCKET_DIRECTION_IN,
                                     LADLE_WEBSOCKET_EVENT_TEXT, "{\"small\": true}") >= 0, 10000);
  index = find_event (visible, LADLE_WEBSOCKET_DIRECTION_IN, LADLE_WEBSOCKET_EVENT_TEXT,
                      "{\"small\": true}");
  gtk_selection_model_select_item (selection, index, TRUE);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (find (f, "body_stack"))), ==,
                   "text");
  {
    g_autofree char *text = dup_body_text (f);

    g_assert_cmpstr (text, ==, "{\n  \"small\": true\n}");
    g_assert_true (gtk_widget_get_visible (find (f, "raw_toggle")));
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find (f, "raw_toggle")), TRUE);
    g_free (text);
    text = dup_body_text (f);
    g_assert_cmpstr (text, ==, "{\"small\": true}");
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find (f, "raw_toggle")), FALSE);
  }
}

/* A few messages on screen, for people to look at. */
static void
fill_transcript (Fixture *f)
{
  GListModel *transcript = ladle_websocket_page_get_transcript (f->page);
  static const char *messages[] = {
    "Hello, server",
    "{\"type\": \"subscribe\", \"channel\": \"prices\", \"symbols\": [\"BTC\", \"ETH\", \"SOL\"]}",
    "A longer message that goes on and on, to see how a row ellipsizes text that does not fit",
  };

  connect_to (f, "/ws");
  LADLE_TEST_WAIT_UNTIL (state (f) == LADLE_WEBSOCKET_STATE_OPEN, 10000);
  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    {
      g_autofree char *reply = g_strconcat ("Message received: ", messages[i], NULL);

      compose (f, messages[i]);
      click (f, "send_button");
      LADLE_TEST_WAIT_UNTIL (find_event (transcript, LADLE_WEBSOCKET_DIRECTION_IN,
                                         LADLE_WEBSOCKET_EVENT_TEXT, reply) >= 0, 10000);
    }
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find (f, "binary_toggle")), TRUE);
  compose (f, "62 69 6e 61 72 79 20 01 02 20 70 61 79 6c 6f 61 64");
  click (f, "send_button");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find (f, "text_toggle")), TRUE);
  click (f, "ping_button");
  LADLE_TEST_WAIT_UNTIL (find_event (transcript, LADLE_WEBSOCKET_DIRECTION_IN,
                                     LADLE_WEBSOCKET_EVENT_PONG, NULL) >= 0, 10000);
  compose (f, "{\"type\": \"ping\"}");
}

static gboolean
at_bottom (Fixture *f)
{
  GtkAdjustment *adj =
    gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (find (f, "transcript_scroller")));

  return gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) >=
         gtk_adjustment_get_upper (adj) - 1;
}

/* The list follows the newest event, unless the user scrolled up to read. */
static void
test_autoscroll (Fixture       *f,
                 gconstpointer  data)
{
  GListModel *transcript = ladle_websocket_page_get_transcript (f->page);
  GtkAdjustment *adj =
    gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (find (f, "transcript_scroller")));

  fill_transcript (f);
  ladle_test_ui_spin (200);
  LADLE_TEST_WAIT_UNTIL (at_bottom (f), 5000);
  g_assert_cmpfloat (gtk_adjustment_get_upper (adj), >, gtk_adjustment_get_page_size (adj));

  /* The user scrolls to the top; new traffic leaves the view where it is. (Sending from the
   * composer does jump to the newest, as in a chat.) */
  gtk_adjustment_set_value (adj, 0);
  g_assert_true (ladle_websocket_client_send_text (ladle_websocket_page_get_client (f->page),
                                                   "while reading", -1, NULL));
  LADLE_TEST_WAIT_UNTIL (find_event (transcript, LADLE_WEBSOCKET_DIRECTION_IN,
                                     LADLE_WEBSOCKET_EVENT_TEXT,
                                     "Message received: while reading") >= 0, 10000);
  ladle_test_ui_spin (200);
  ladle_test_ui_wait_for_draw (GTK_WIDGET (f->window));
  g_assert_cmpfloat (gtk_adjustment_get_value (adj), <, 1);

  /* Back at the bottom, it follows again. */
  gtk_adjustment_set_value (adj,
                            gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj));
  ladle_test_ui_wait_for_draw (GTK_WIDGET (f->window));
  g_assert_true (ladle_websocket_client_send_text (ladle_websocket_page_get_client (f->page),
                                                   "following", -1, NULL));
  LADLE_TEST_WAIT_UNTIL (find_event (transcript, LADLE_WEBSOCKET_DIRECTION_IN,
                                     LADLE_WEBSOCKET_EVENT_TEXT,
                                     "Message received: following") >= 0, 10000);
  ladle_test_ui_spin (200);
  LADLE_TEST_WAIT_UNTIL (at_bottom (f), 5000);
  LADLE_TEST_WAIT_UNTIL (row_shown (f, "Message received: following"), 5000);
}

static void
test_screenshots (Fixture       *f,
                  gconstpointer  data)
{
  const int *size = data;
  const char *size_name = size[0] > 600 ? "wide" : "narrow";

  fill_transcript (f);
  for (guint d = 0; d < 2; d++)
    {
      g_autofree char *name = g_strdup_printf ("websocket-%s-%s", size_name, d ? "dark" : "light");
      g_autofree char *path = NULL;

      ladle_test_ui_set_dark (d == 1);
      path = ladle_test_ui_screenshot (GTK_WIDGET (f->window), name);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    }

  /* A selected message. */
  {
    GListModel *visible = ladle_websocket_page_get_visible (f->page);
    GtkSelectionModel *selection =
      gtk_list_view_get_model (GTK_LIST_VIEW (find (f, "transcript_view")));
    int index = find_event (visible, LADLE_WEBSOCKET_DIRECTION_IN, LADLE_WEBSOCKET_EVENT_TEXT,
                            "Message received: {\"type\": \"subscribe\", \"channel\": \"prices\", "
                            "\"symbols\": [\"BTC\", \"ETH\", \"SOL\"]}");
    g_autofree char *name = g_strdup_printf ("websocket-%s-selected-light", size_name);
    g_autofree char *path = NULL;

    ladle_test_ui_set_dark (FALSE);
    gtk_selection_model_select_item (selection, index, TRUE);
    path = ladle_test_ui_screenshot (GTK_WIDGET (f->window), name);
  }

  /* An error. */
  {
    g_autofree char *name = g_strdup_printf ("websocket-%s-refused-dark", size_name);
    g_autofree char *path = NULL;

    click (f, "disconnect_button");
    LADLE_TEST_WAIT_UNTIL (state (f) == LADLE_WEBSOCKET_STATE_CLOSED, 10000);
    connect_to (f, "/get");
    LADLE_TEST_WAIT_UNTIL (state (f) == LADLE_WEBSOCKET_STATE_CLOSED &&
                           gtk_revealer_get_reveal_child (
                             GTK_REVEALER (find (f, "error_revealer"))),
                           10000);
    ladle_test_ui_set_dark (TRUE);
    path = ladle_test_ui_screenshot (GTK_WIDGET (f->window), name);
  }

  ladle_test_ui_set_dark (FALSE);
}

static void
test_empty_screenshot (Fixture       *f,
                       gconstpointer  data)
{
  static const char *popovers[] = { "options_button", "close_button" };
  g_autofree char *path = ladle_test_ui_screenshot (GTK_WIDGET (f->window),
                                                    "websocket-narrow-empty-light");

  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  /* The two popovers, on their own. */
  connect_to (f, "/ws");
  LADLE_TEST_WAIT_UNTIL (state (f) == LADLE_WEBSOCKET_STATE_OPEN, 10000);
  for (guint i = 0; i < G_N_ELEMENTS (popovers); i++)
    {
      GtkMenuButton *button = GTK_MENU_BUTTON (find (f, popovers[i]));
      GtkWidget *popover = GTK_WIDGET (gtk_menu_button_get_popover (button));
      g_autofree char *name = g_strdup_printf ("websocket-popover-%s-light", popovers[i]);
      g_autofree char *popover_path = NULL;

      gtk_menu_button_popup (button);
      ladle_test_ui_wait_for_draw (popover);
      popover_path = ladle_test_ui_screenshot (popover, name);
      gtk_menu_button_popdown (button);
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

/* Every connection option the page offers survives a restart (a new page over the same settings),
 * and the restored options are the ones the next connection uses. */
static void
test_options_restored (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(LadleServerEvent) upgrade = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *url = g_strdup_printf ("ws://127.0.0.1:%u/ws", f->port);
  g_autofree char *headers = NULL;
  LadleWebsocketPage *page;
  GtkWidget *window;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  SoupMessageHeaders *request_headers;

  /* Set everything the way a user would, in the window's page. */
  gtk_editable_set_text (GTK_EDITABLE (find (f, "url_entry")), url);
  gtk_editable_set_text (GTK_EDITABLE (find (f, "protocols_row")), "chat, superchat");
  gtk_editable_set_text (GTK_EDITABLE (find (f, "origin_row")), "http://ladle.test");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (find (f, "headers_view"))),
                            "X-Ladle-Test: restored\nX-Second: 2", -1);
  gtk_switch_set_active (GTK_SWITCH (find (f, "deflate_switch")), TRUE);
  gtk_switch_set_active (GTK_SWITCH (find (f, "verify_tls_switch")), FALSE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find (f, "connect_timeout_spin")), 7);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find (f, "ping_interval_spin")), 25);
  g_assert_cmpstr (g_settings_get_string (settings, "websocket-origin"), ==, "http://ladle.test");
  g_assert_cmpfloat (g_settings_get_double (settings, "websocket-ping-interval"), ==, 25);

  /* "Restart": a new page of its own, over the same settings. */
  page = g_object_new (LADLE_TYPE_WEBSOCKET_PAGE, NULL);
  window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  ladle_test_ui_show (GTK_WINDOW (window), 800, 600);

#define FIND(name) ladle_test_ui_find (GTK_WIDGET (page), name)
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (FIND ("url_entry"))), ==, url);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (FIND ("protocols_row"))), ==,
                   "chat, superchat");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (FIND ("origin_row"))), ==,
                   "http://ladle.test");
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (FIND ("headers_view")));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  headers = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_cmpstr (headers, ==, "X-Ladle-Test: restored\nX-Second: 2");
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (FIND ("deflate_switch"))));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (FIND ("verify_tls_switch"))));
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (FIND ("connect_timeout_spin"))),
                     ==, 7);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (FIND ("ping_interval_spin"))),
                     ==, 25);

  /* The restored page connects with them: the server saw the headers and the origin. */
  g_signal_connect (f->server, "request-logged", G_CALLBACK (request_logged_cb), &upgrade);
  g_signal_emit_by_name (FIND ("connect_button"), "clicked");
  LADLE_TEST_WAIT_UNTIL (ladle_websocket_page_get_client (page) != NULL &&
                         ladle_websocket_client_get_state (ladle_websocket_page_get_client (page))
                         == LADLE_WEBSOCKET_STATE_OPEN, 10000);
  g_assert_cmpfloat (ladle_websocket_client_get_ping_interval (ladle_websocket_page_get_client (page)),
                     ==, 25);
  LADLE_TEST_WAIT_UNTIL (upgrade != NULL, 5000);
  request_headers = ladle_server_event_get_request_headers (upgrade);
  g_assert_cmpstr (soup_message_headers_get_one (request_headers, "X-Ladle-Test"), ==, "restored");
  g_assert_cmpstr (soup_message_headers_get_one (request_headers, "Origin"), ==,
                   "http://ladle.test");
  g_assert_nonnull (strstr (soup_message_headers_get_one (request_headers,
                                                          "Sec-WebSocket-Protocol"), "superchat"));
  g_signal_handlers_disconnect_by_func (f->server, request_logged_cb, &upgrade);
  g_signal_emit_by_name (FIND ("disconnect_button"), "clicked");
#undef FIND

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  LADLE_TEST_WAIT_UNTIL (window == NULL, 5000);
}

/* ------------------------------------------------------------------------------------------ */
/* Binary messages typed by hand (real X input events), as hexadecimal or Base64. */

/* Clicks the address bar, types the echo endpoint's address and presses Return to connect. */
static void
hands_connect (Fixture *f)
{
  g_autofree char *url = g_strdup_printf ("ws://127.0.0.1:%u/websocket/echo", f->port);
  GtkWidget *entry = find (f, "url_entry");

  ladle_test_input_focus_window (GTK_WINDOW (f->window));
  ladle_test_input_click (entry);
  ladle_test_input_key ("ctrl+a");
  ladle_test_input_type (url);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, url);
  ladle_test_input_key ("Return");
  LADLE_TEST_WAIT_UNTIL (state (f) == LADLE_WEBSOCKET_STATE_OPEN, 10000);
}

/* Clicks into the composer, empties it and types @text. */
static void
hands_compose (Fixture    *f,
               const char *text)
{
  GtkWidget *composer = find (f, "composer_view");
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (composer));
  GtkTextIter start, end;
  g_autofree char *typed = NULL;

  ladle_test_input_click (composer);
  g_assert_true (gtk_widget_has_focus (composer));
  ladle_test_input_key ("ctrl+a");
  ladle_test_input_key ("Delete");
  ladle_test_input_type (text);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  typed = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_cmpstr (typed, ==, text);
}

/* How many binary events went in @direction. */
static guint
count_binary (Fixture                 *f,
              LadleWebsocketDirection  direction)
{
  GListModel *transcript = ladle_websocket_page_get_transcript (f->page);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (transcript); i++)
    {
      g_autoptr(LadleWebsocketEvent) event = g_list_model_get_item (transcript, i);

      if (ladle_websocket_event_get_kind (event) == LADLE_WEBSOCKET_EVENT_BINARY &&
          ladle_websocket_event_get_direction (event) == direction)
        n++;
    }
  return n;
}

/* The echo endpoint sent back exactly DE AD BE EF (so it received exactly that), once, and the
 * transcript shows the bytes as they were typed. */
static void
assert_deadbeef_echoed (Fixture *f)
{
  GListModel *transcript = ladle_websocket_page_get_transcript (f->page);

  LADLE_TEST_WAIT_UNTIL (count_binary (f, LADLE_WEBSOCKET_DIRECTION_IN) > 0, 10000);
  g_assert_cmpuint (count_binary (f, LADLE_WEBSOCKET_DIRECTION_IN), ==, 1);
  g_assert_cmpuint (count_binary (f, LADLE_WEBSOCKET_DIRECTION_OUT), ==, 1);
  g_assert_cmpint (find_event (transcript, LADLE_WEBSOCKET_DIRECTION_OUT,
                               LADLE_WEBSOCKET_EVENT_BINARY, "\xde\xad\xbe\xef"), >=, 0);
  g_assert_cmpint (find_event (transcript, LADLE_WEBSOCKET_DIRECTION_IN,
                               LADLE_WEBSOCKET_EVENT_BINARY, "\xde\xad\xbe\xef"), >=, 0);
  LADLE_TEST_WAIT_UNTIL (row_shown (f, "4 bytes · de ad be ef"), 5000);
}

/* Binary is typed as hexadecimal by default: "de ad be ef" is 4 bytes, sent with Ctrl+Enter. */
static void
test_hands_binary_hex (Fixture       *f,
                       gconstpointer  data)
{
  if (!ladle_test_input_available ())
    {
      g_test_skip ("no XTest on this display");
      return;
    }

  hands_connect (f);
  ladle_test_input_click (find (f, "binary_toggle"));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (find (f, "binary_toggle"))));
  hands_compose (f, "de ad be ef");
  ladle_test_input_key ("ctrl+Return");
  assert_deadbeef_echoed (f);

  /* The composer said what it would send, and hexadecimal is the default. */
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (find (f, "hex_toggle"))));
  g_assert_cmpstr (label_text (f, "binary_status_label"), ==, "4 bytes");
  g_assert_true (gtk_widget_get_mapped (find (f, "binary_status_label")));
}

/* Base64, chosen with a click, "3q2+7w==" sent with a click on Send. */
static void
test_hands_binary_base64 (Fixture       *f,
                          gconstpointer  data)
{
  if (!ladle_test_input_available ())
    {
      g_test_skip ("no XTest on this display");
      return;
    }

  hands_connect (f);
  ladle_test_input_click (find (f, "binary_toggle"));
  ladle_test_input_click (find (f, "base64_toggle"));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (find (f, "base64_toggle"))));
  hands_compose (f, "3q2+7w==");
  g_assert_cmpstr (label_text (f, "binary_status_label"), ==, "4 bytes");
  ladle_test_input_click (find (f, "send_button"));
  assert_deadbeef_echoed (f);

  /* Switching to hexadecimal shows the same bytes in hexadecimal, and back. */
  ladle_test_input_click (find (f, "hex_toggle"));
  {
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (find (f, "composer_view")));
    GtkTextIter start, end;
    g_autofree char *hex = NULL;
    g_autofree char *base64 = NULL;

    gtk_text_buffer_get_bounds (buffer, &start, &end);
    hex = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_cmpstr (hex, ==, "de ad be ef");
    ladle_test_input_click (find (f, "base64_toggle"));
    gtk_text_buffer_get_bounds (buffer, &start, &end);
    base64 = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_cmpstr (base64, ==, "3q2+7w==");

    /* A rewrite is one step of undo. */
    ladle_test_input_click (find (f, "hex_toggle"));
    ladle_test_input_click (find (f, "composer_view"));
    ladle_test_input_key ("ctrl+z");
    g_clear_pointer (&hex, g_free);
    gtk_text_buffer_get_bounds (buffer, &start, &end);
    hex = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_cmpstr (hex, ==, "3q2+7w==");
    g_assert_true (gtk_widget_has_css_class (find (f, "binary_status_label"), "error"));
  }
}

/* "de ad b" is refused as typed, with the place and the reason; Send is off and Ctrl+Enter
 * sends nothing. Completed to "de ad be ef", it is sent, and it is the only message sent. */
static void
test_hands_binary_invalid (Fixture       *f,
                           gconstpointer  data)
{
  GtkWidget *send_button;

  if (!ladle_test_input_available ())
    {
      g_test_skip ("no XTest on this display");
      return;
    }

  hands_connect (f);
  send_button = find (f, "send_button");
  ladle_test_input_click (find (f, "binary_toggle"));
  hands_compose (f, "de ad b");
  g_assert_cmpstr (label_text (f, "binary_status_label"), ==,
                   "Character 7: “b” is half a byte: each byte takes two hexadecimal digits");
  g_assert_true (gtk_widget_has_css_class (find (f, "binary_status_label"), "error"));
  g_assert_false (gtk_widget_is_sensitive (send_button));
  ladle_test_input_key ("ctrl+Return");
  {
    /* Ctrl+Enter added no line to the hexadecimal. */
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (find (f, "composer_view")));
    GtkTextIter start, end;
    g_autofree char *text = NULL;

    gtk_text_buffer_get_bounds (buffer, &start, &end);
    text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_cmpstr (text, ==, "de ad b");
  }

  /* Another bad character, somewhere else. */
  hands_compose (f, "de ad\nbe eg");
  g_assert_cmpstr (label_text (f, "binary_status_label"), ==,
                   "Line 2, character 5: “g” is not a hexadecimal digit");
  g_assert_false (gtk_widget_is_sensitive (send_button));

  hands_compose (f, "de ad be ef");
  g_assert_cmpstr (label_text (f, "binary_status_label"), ==, "4 bytes");
  g_assert_false (gtk_widget_has_css_class (find (f, "binary_status_label"), "error"));
  g_assert_true (gtk_widget_is_sensitive (send_button));
  ladle_test_input_key ("ctrl+Return");
  assert_deadbeef_echoed (f);
}

/* The label of @widget's child (a button made with a label) is shown whole: allocated at least
 * its natural width. */
static void
assert_label_fits (GtkWidget  *root,
                   const char *name)
{
  GtkWidget *widget = ladle_test_ui_find (root, name);
  GtkWidget *label;
  int natural = 0;

  g_assert_nonnull (widget);
  label = GTK_IS_LABEL (widget) ? widget : ladle_test_ui_find_by_type (widget, GTK_TYPE_LABEL);
  g_assert_nonnull (label);
  gtk_widget_measure (label, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  if (gtk_widget_get_width (label) < natural)
    g_error ("“%s” (%s) is cut: %d px of %d", gtk_label_get_text (GTK_LABEL (label)), name,
             gtk_widget_get_width (label), natural);
}

/* The composer in Binary, and the transcript's filter, wide and at 400 px, light and dark, in
 * English and Russian: every button's words fit (the filter's full Russian words too), the window
 * is not pushed wider than asked, and the screenshots are there to be looked at. */
static void
test_binary_screenshots (Fixture       *f,
                         gconstpointer  data)
{
  static const char *languages[] = { NULL, "ru" };
  static const struct { const char *name; int width; int height; } sizes[] = {
    { "wide", 1100, 720 },
    { "narrow", 400, 700 },
  };
  static const char *buttons[] = {
    "in_toggle", "out_toggle", "control_toggle", "text_toggle", "binary_toggle", "hex_toggle",
    "base64_toggle", "send_button", "disconnect_button",
  };
  g_autofree char *url = g_strdup_printf ("ws://127.0.0.1:%u/websocket/echo", f->port);

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    for (guint z = 0; z < G_N_ELEMENTS (sizes); z++)
      {
        LadleWindow *window;
        LadleWebsocketPage *page;
        GtkWidget *root;
        GListModel *transcript;
        int minimum = 0;

        ladle_test_ui_set_language (languages[l]);
        window = ladle_window_new (NULL);
        ladle_window_set_bench (window, "websocket");
        ladle_test_ui_show (GTK_WINDOW (window), sizes[z].width, sizes[z].height);
        page = LADLE_WEBSOCKET_PAGE (ladle_window_get_page (window, "websocket"));
        root = GTK_WIDGET (page);
        transcript = ladle_websocket_page_get_transcript (page);
        if (languages[l] != NULL)
          g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (ladle_test_ui_find (root,
                                                                                 "in_toggle"))),
                           ==, "Входящие");

        gtk_editable_set_text (GTK_EDITABLE (ladle_test_ui_find (root, "url_entry")), url);
        g_assert_true (gtk_widget_activate_action (root, "websocket.connect", NULL));
        LADLE_TEST_WAIT_UNTIL (ladle_websocket_page_get_client (page) != NULL &&
                               ladle_websocket_client_get_state (
                                 ladle_websocket_page_get_client (page)) ==
                               LADLE_WEBSOCKET_STATE_OPEN, 10000);
        gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (ladle_test_ui_find (root,
                                                                             "binary_toggle")),
                                      TRUE);
        gtk_text_buffer_set_text (gtk_text_view_get_buffer (
                                    GTK_TEXT_VIEW (ladle_test_ui_find (root, "composer_view"))),
                                  "de ad be ef", -1);
        g_assert_true (gtk_widget_activate_action (root, "websocket.send", NULL));
        LADLE_TEST_WAIT_UNTIL (find_event (transcript, LADLE_WEBSOCKET_DIRECTION_IN,
                                           LADLE_WEBSOCKET_EVENT_BINARY,
                                           "\xde\xad\xbe\xef") >= 0, 10000);

        /* A mistake, in words, light and dark. */
        gtk_text_buffer_set_text (gtk_text_view_get_buffer (
                                    GTK_TEXT_VIEW (ladle_test_ui_find (root, "composer_view"))),
                                  "de ad be ef\n01 02 0g", -1);
        for (guint d = 0; d < 2; d++)
          {
            g_autofree char *name = g_strdup_printf ("websocket-binary-%s-%s-%s",
                                                     languages[l] != NULL ? languages[l] : "en",
                                                     sizes[z].name, d ? "dark" : "light");

            ladle_test_ui_set_dark (d == 1);
            ladle_test_ui_wait_for_draw (GTK_WIDGET (window));
            g_free (ladle_test_ui_screenshot (GTK_WIDGET (window), name));
            g_test_message ("%s: %s", name,
                            gtk_label_get_text (GTK_LABEL (ladle_test_ui_find (
                                                  root, "binary_status_label"))));
          }
        ladle_test_ui_set_dark (FALSE);

        /* Base64, valid. */
        gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (ladle_test_ui_find (root,
                                                                             "base64_toggle")),
                                      TRUE);
        gtk_text_buffer_set_text (gtk_text_view_get_buffer (
                                    GTK_TEXT_VIEW (ladle_test_ui_find (root, "composer_view"))),
                                  "SGVsbG8sIHdvcmxkIQ==", -1);
        ladle_test_ui_wait_for_draw (GTK_WIDGET (window));
        {
          g_autofree char *name = g_strdup_printf ("websocket-binary-base64-%s-%s-light",
                                                   languages[l] != NULL ? languages[l] : "en",
                                                   sizes[z].name);

          g_free (ladle_test_ui_screenshot (GTK_WIDGET (window), name));
        }

        for (guint b = 0; b < G_N_ELEMENTS (buttons); b++)
          assert_label_fits (root, buttons[b]);
        gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL,
                            NULL, NULL);
        g_assert_cmpint (minimum, <=, sizes[z].width);
        g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, sizes[z].width);

        g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
        gtk_window_destroy (GTK_WINDOW (window));
        LADLE_TEST_WAIT_UNTIL (window == NULL, 5000);
      }
  ladle_test_ui_set_language (NULL);
}

int
main (int   argc,
      char *argv[])
{
  static const int wide[] = { 1100, 720 };
  static const int narrow[] = { 360, 640 };
  g_autoptr(GtkCssProvider) css = NULL;

  if (!ladle_test_ui_init (&argc, &argv))
    {
      g_test_add_func ("/ladle/ui-websocket/no-display", (GTestFunc) g_test_incomplete);
      return ladle_test_run ();
    }
  /* A critical in a callback that outlived its case (seen once at the start of
   * conversation-narrow) prints where it came from */
  ladle_test_explain_fatal_logs ();

  /* What LadleApplication loads from its resource base path. */
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/io/github/ladle/Ladle/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  g_test_add ("/ladle/ui-websocket/conversation", Fixture, wide,
              fixture_setup, test_conversation, fixture_teardown);
  g_test_add ("/ladle/ui-websocket/conversation-narrow", Fixture, narrow,
              fixture_setup, test_conversation, fixture_teardown);
  g_test_add ("/ladle/ui-websocket/refused", Fixture, wide,
              fixture_setup, test_refused, fixture_teardown);
  g_test_add ("/ladle/ui-websocket/binary-and-large", Fixture, wide,
              fixture_setup, test_binary_and_large, fixture_teardown);
  g_test_add ("/ladle/ui-websocket/large-json", Fixture, wide,
              fixture_setup, test_large_json, fixture_teardown);
  g_test_add ("/ladle/ui-websocket/autoscroll", Fixture, narrow,
              fixture_setup, test_autoscroll, fixture_teardown);
  g_test_add ("/ladle/ui-websocket/options-restored", Fixture, wide,
              fixture_setup, test_options_restored, fixture_teardown);
  g_test_add ("/ladle/ui-websocket/hands-binary-hex", Fixture, wide,
              fixture_setup, test_hands_binary_hex, fixture_teardown);
  g_test_add ("/ladle/ui-websocket/hands-binary-base64", Fixture, wide,
              fixture_setup, test_hands_binary_base64, fixture_teardown);
  g_test_add ("/ladle/ui-websocket/hands-binary-invalid", Fixture, narrow,
              fixture_setup, test_hands_binary_invalid, fixture_teardown);
  g_test_add ("/ladle/ui-websocket/binary-screenshots", Fixture, wide,
              fixture_setup, test_binary_screenshots, fixture_teardown);
  g_test_add ("/ladle/ui-websocket/screenshots-wide", Fixture, wide,
              fixture_setup, test_screenshots, fixture_teardown);
  g_test_add ("/ladle/ui-websocket/screenshots-narrow", Fixture, narrow,
              fixture_setup, test_screenshots, fixture_teardown);
  g_test_add ("/ladle/ui-websocket/screenshot-empty", Fixture, narrow,
              fixture_setup, test_empty_screenshot, fixture_teardown);

  return ladle_test_run ();
}
