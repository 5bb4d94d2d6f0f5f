/* test-ui-server.c
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

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ladle-body-view.h"
#include "ladle-data-dir.h"
#include "ladle-httpbin.h"
#include "ladle-route-editor.h"
#include "ladle-server-page.h"
#include "ladle-stored-file.h"
#include "ladle-test-input.h"
#include "ladle-test-ui.h"
#include "ladle-tls-cert.h"

#define BURST 2000

typedef struct
{
  GtkWindow       *window;
  LadleServerPage *page;
  LadleServer     *server;
  GSettings       *settings;
  char            *uploads;
} Fixture;

static GtkWidget *
find (Fixture    *fixture,
      const char *id)
{
  GtkWidget *widget = ladle_test_ui_find (GTK_WIDGET (fixture->page), id);

  g_assert_nonnull (widget);
  return widget;
}

static AdwLeaflet *
get_leaflet (Fixture *fixture)
{
  return ADW_LEAFLET (find (fixture, "leaflet"));
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->settings = g_settings_new (APP_ID);
  g_settings_reset (fixture->settings, "server-port");
  g_settings_reset (fixture->settings, "server-host");
  g_settings_reset (fixture->settings, "server-autostart");
  g_settings_reset (fixture->settings, "server-routes-file");
  g_settings_reset (fixture->settings, "server-allow-any-body-file");
  fixture->uploads = ladle_test_make_tmpdir ("ladle-ui-server-XXXXXX");
  g_settings_set_string (fixture->settings, "server-uploads-dir", fixture->uploads);

  /* The page alone, set up as LadleWindow does it, so that this test does not depend on the
   * other benches. */
  fixture->server = ladle_server_new ();
  fixture->page = g_object_new (LADLE_TYPE_SERVER_PAGE, NULL);
  ladle_server_page_set_server (fixture->page, fixture->server);
  ladle_server_page_set_settings (fixture->page, fixture->settings);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_titlebar (fixture->window, adw_header_bar_new ());
  gtk_window_set_title (fixture->window, "Ladle");
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->page));
  ladle_test_ui_show (fixture->window, 1100, 720);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkWindow *window = fixture->window;
  LadleServerPage *page = fixture->page;

  ladle_server_stop (fixture->server);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  g_object_add_weak_pointer (G_OBJECT (page), (gpointer *) &page);
  gtk_window_destroy (window);
  /* The page lives on until its last folder listing has returned. */
  LADLE_TEST_WAIT_UNTIL (window == NULL && page == NULL, 5000);
  g_assert_finalize_object (fixture->server);

  g_settings_reset (fixture->settings, "server-uploads-dir");
  g_settings_reset (fixture->settings, "server-routes-file");
  g_settings_reset (fixture->settings, "server-allow-any-body-file");
  g_clear_object (&fixture->settings);
  ladle_test_rm_rf (fixture->uploads);
  g_clear_pointer (&fixture->uploads, g_free);
}

/* Sets the port the way a user would, and flips the switch on. */
static void
start_on_port (Fixture *fixture,
               guint    port)
{
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find (fixture, "port_spin")), port);
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "server-port"), ==, port);
  gtk_switch_set_active (GTK_SWITCH (find (fixture, "running_switch")), TRUE);
}

static char *
dup_url (Fixture *fixture)
{
  return g_strdup_printf ("http://127.0.0.1:%u/", ladle_server_get_bound_port (fixture->server));
}

static LadleServerEvent *
find_event (GListModel *log,
            const char *method,
            const char *path)
{
  guint n = g_list_model_get_n_items (log);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LadleServerEvent) event = g_list_model_get_item (log, i);

      if (g_strcmp0 (ladle_server_event_get_method (event), method) == 0 &&
          g_strcmp0 (ladle_server_event_get_path (event), path) == 0)
        return event;
    }
  return NULL;
}

static guint
find_position (GListModel       *log,
               LadleServerEvent *event)
{
  guint n = g_list_model_get_n_items (log);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LadleServerEvent) item = g_list_model_get_item (log, i);

      if (item == event)
        return i;
    }
  g_assert_not_reached ();
}

static void
open_in_requests_cb (LadleServerPage   *page,
                     LadleServerEvent  *event,
                     LadleServerEvent **out)
{
  g_set_object (out, event);
}

static char *
dup_detail_text (Fixture *fixture)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (find (fixture, "detail_view")));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
has_upload (GListModel *uploads,
            const char *name)
{
  guint n = g_list_model_get_n_items (uploads);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LadleStoredFile) file = g_list_model_get_item (uploads, i);

      if (g_strcmp0 (ladle_stored_file_get_name (file), name) == 0)
        return TRUE;
    }
  return FALSE;
}

/* ------------------------------------------------------------------------------------------------
 * A burst of keep-alive requests from a worker thread, on a raw socket.
 */

typedef struct
{
  guint port;
  guint n;
  guint done;   /* atomic */
} Burst;

static gpointer
burst_thread (gpointer data)
{
  Burst *burst = data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  GOutputStream *out;

  conn = g_socket_client_connect_to_host (client, "127.0.0.1", burst->port, NULL, &error);
  g_assert_no_error (error);
  out = g_io_stream_get_output_stream (G_IO_STREAM (conn));
  in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (conn)));
  g_data_input_stream_set_newline_type (in, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);

  for (guint i = 0; i < burst->n; i++)
    {
      g_autofree char *request = g_strdup_printf ("GET /?burst=%u HTTP/1.1\r\n"
                                                  "Host: 127.0.0.1\r\n\r\n", i);
      gsize content_length = 0;
      g_autoptr(GBytes) body = NULL;

      g_output_stream_write_all (out, request, strlen (request), NULL, NULL, &error);
      g_assert_no_error (error);

      for (;;)
        {
          g_autofree char *line = g_data_input_stream_read_line (in, NULL, NULL, &error);

          g_assert_no_error (error);
          g_assert_nonnull (line);
          if (line[0] == '\0')
            break;
          if (g_ascii_strncasecmp (line, "Content-Length:", 15) == 0)
            content_length = g_ascii_strtoull (line + 15, NULL, 10);
        }

      body = g_input_stream_read_bytes (G_INPUT_STREAM (in), content_length, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_bytes_get_size (body), ==, content_length);
      g_atomic_int_inc (&burst->done);
    }

  g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
  return NULL;
}

/* ------------------------------------------------------------------------------------------------
 * Cases
 */

/* The first label under @widget showing @text */
static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_start_log_stop (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("user-agent", "ladle-ui-test",
                                                                  NULL);
  GListModel *log = ladle_server_page_get_log (fixture->page);
  GtkColumnView *column_view = GTK_COLUMN_VIEW (find (fixture, "column_view"));
  GtkSelectionModel *selection = gtk_column_view_get_model (column_view);
  g_autofree char *url = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *upload_url = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SoupMultipart) multipart = NULL;
  g_autoptr(GBytes) part = NULL;
  g_autoptr(GBytes) form = NULL;
  SoupMessageHeaders *form_headers = NULL;
  LadleServerEvent *event;
  LadleTestStall stall;
  Burst burst = { 0 };
  GThread *thread;
  guint before;
  guint status = 0;

  start_on_port (fixture, 0);
  g_assert_true (ladle_server_get_running (fixture->server));
  g_assert_cmpuint (ladle_server_get_bound_port (fixture->server), >, 0);

  /* The address row shows the URL. */
  url = dup_url (fixture);
  g_assert_true (gtk_widget_get_visible (find (fixture, "url_row")));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (find (fixture, "url_row"))),
                   ==, url);
  g_assert_false (gtk_widget_get_sensitive (find (fixture, "port_row")));

  /* A request appears in the log. */
  body = ladle_test_fetch (session, "GET", url, NULL, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  LADLE_TEST_WAIT_UNTIL (find_event (log, "GET", "/") != NULL, 5000);
  event = find_event (log, "GET", "/");
  g_assert_cmpuint (ladle_server_event_get_status (event), ==, 200);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==,
                    g_list_model_get_n_items (log));

  /* Its method is bold, at the size of the other columns (issue 12, item 11) */
  {
    GtkWidget *method = NULL, *status_label = NULL;
    const PangoFontDescription *method_font, *other_font;

    LADLE_TEST_WAIT_UNTIL ((method = find_label (GTK_WIDGET (column_view), "GET")) != NULL &&
                           (status_label = find_label (GTK_WIDGET (column_view), "200")) != NULL,
                           5000);
    method_font = pango_context_get_font_description (gtk_widget_get_pango_context (method));
    other_font = pango_context_get_font_description (gtk_widget_get_pango_context (status_label));
    g_assert_cmpint (pango_font_description_get_size (method_font), ==,
                     pango_font_description_get_size (other_font));
  }

  /* Selecting it shows its headers. */
  gtk_selection_model_select_item (selection, find_position (log, event), TRUE);
  detail = dup_detail_text (fixture);
  g_assert_true (g_str_has_prefix (detail, "GET /\n"));
  g_assert_nonnull (strstr (detail, "User-Agent: ladle-ui-test"));
  g_assert_true (gtk_widget_get_visible (find (fixture, "detail_label")));

  /* "Open as a new request" hands the event to whoever listens (the window). */
  {
    g_autoptr(LadleServerEvent) opened = NULL;

    g_signal_connect (fixture->page, "open-in-requests", G_CALLBACK (open_in_requests_cb), &opened);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page),
                                               "server.open-in-requests", NULL));
    g_assert_true (opened == event);
    g_signal_handlers_disconnect_by_func (fixture->page, open_in_requests_cb, &opened);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "server.copy-url", NULL));
  ladle_test_ui_wait_for_draw (GTK_WIDGET (fixture->window));

  /* A burst of keep-alive requests all reach the log, and the window keeps drawing. */
  before = g_list_model_get_n_items (log);
  burst.port = ladle_server_get_bound_port (fixture->server);
  burst.n = BURST;
  ladle_test_ui_stall_start (&stall, 1);
  thread = g_thread_new ("burst", burst_thread, &burst);
  LADLE_TEST_WAIT_UNTIL (g_list_model_get_n_items (log) >= before + BURST, 60000);
  g_thread_join (thread);
  ladle_test_ui_stall_stop (&stall);
  g_assert_cmpuint (g_atomic_int_get (&burst.done), ==, BURST);
  g_assert_cmpuint (g_list_model_get_n_items (log), ==, before + BURST);
  g_test_message ("longest main-loop stall during %u requests: %.1f ms", BURST,
                  stall.longest / 1000.0);
  g_assert_cmpint (stall.longest, <, 2 * G_USEC_PER_SEC);
  ladle_test_ui_wait_for_draw (GTK_WIDGET (fixture->window));

  /* An upload shows up in the uploads list. */
  multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  part = g_bytes_new_static ("hello, uploads\n", 15);
  soup_multipart_append_form_file (multipart, "file", "hello.txt", "text/plain", part);
  form_headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_multipart_to_message (multipart, form_headers, &form);
  upload_url = g_strconcat (url, "upload", NULL);
  {
    g_autoptr(GBytes) answer = NULL;

    answer = ladle_test_fetch (session, "POST", upload_url,
                               soup_message_headers_get_one (form_headers, "Content-Type"), form,
                               &status, NULL);
    g_assert_cmpuint (status, ==, 200);
  }
  soup_message_headers_unref (form_headers);
  LADLE_TEST_WAIT_UNTIL (has_upload (ladle_server_page_get_uploads (fixture->page), "hello.txt"),
                         5000);
  g_assert_true (g_file_test (fixture->uploads, G_FILE_TEST_IS_DIR));

  /* Clearing the log empties it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "server.clear-log", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (log), ==, 0);

  /* Switched off: stopped, the address is gone, the settings are editable again. */
  gtk_switch_set_active (GTK_SWITCH (find (fixture, "running_switch")), FALSE);
  g_assert_false (ladle_server_get_running (fixture->server));
  g_assert_false (gtk_widget_get_visible (find (fixture, "url_row")));
  g_assert_true (gtk_widget_get_sensitive (find (fixture, "port_row")));
}

/* A port that is taken: the error is shown in the page, and the switch goes back off. */
static void
test_start_error (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *error_label = find (fixture, "error_label");
  guint port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  g_socket_listen (socket, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  g_assert_false (gtk_widget_is_visible (error_label));
  start_on_port (fixture, port);

  g_assert_false (ladle_server_get_running (fixture->server));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (find (fixture, "running_switch"))));
  g_assert_true (gtk_widget_is_visible (error_label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), !=, "");
  g_test_message ("start error: %s", gtk_label_get_text (GTK_LABEL (error_label)));

  /* Once the port is free, starting works and the error goes away. */
  g_socket_close (socket, NULL);
  gtk_switch_set_active (GTK_SWITCH (find (fixture, "running_switch")), TRUE);
  g_assert_true (ladle_server_get_running (fixture->server));
  g_assert_false (gtk_widget_is_visible (error_label));
  ladle_server_stop (fixture->server);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (find (fixture, "running_switch"))));
}

/* ------------------------------------------------------------------------------------------------
 * Mock routes
 */

static guint
n_rows (Fixture *fixture)
{
  GtkWidget *list = find (fixture, "routes_list");
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (list);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (ADW_IS_ACTION_ROW (child) && gtk_widget_get_visible (child))
      n++;
  return n;
}

static GtkListBoxRow *
nth_row (Fixture *fixture,
         int      index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (find (fixture, "routes_list")),
                                                      index);

  g_assert_nonnull (row);
  return row;
}

/* The route editor the page opened, if one is open. */
static LadleRouteEditor *
find_editor (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (LADLE_IS_ROUTE_EDITOR (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return LADLE_ROUTE_EDITOR (window);
    }
  return NULL;
}

static GtkWidget *
editor_find (LadleRouteEditor *editor,
             const char       *id)
{
  GtkWidget *widget = ladle_test_ui_find (GTK_WIDGET (editor), id);

  g_assert_nonnull (widget);
  return widget;
}

static void
editor_set_text (LadleRouteEditor *editor,
                 const char       *id,
                 const char       *text)
{
  GtkWidget *widget = editor_find (editor, id);

  if (GTK_IS_TEXT_VIEW (widget))
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget)), text, -1);
  else
    gtk_editable_set_text (GTK_EDITABLE (widget), text);
}

/* Clicks Save and waits for the editor to close. */
static void
editor_save (LadleRouteEditor *editor)
{
  GtkWidget *save = editor_find (editor, "save_button");

  g_assert_true (gtk_widget_is_sensitive (save));
  g_signal_emit_by_name (save, "clicked");
  LADLE_TEST_WAIT_UNTIL (find_editor () == NULL, 5000);
}

static char *
dup_route_url (Fixture    *fixture,
               const char *path)
{
  return g_strdup_printf ("http://127.0.0.1:%u%s", ladle_server_get_bound_port (fixture->server),
                          path);
}

/* The routes in the file on disk, or NULL if it does not load. */
static GListStore *
load_saved (const char *path)
{
  return ladle_mock_routes_load_file (path, NULL);
}

static gboolean
saved_route_has_status (const char *path,
                        guint       index,
                        guint       status)
{
  g_autoptr(GListStore) routes = load_saved (path);
  g_autoptr(LadleMockRoute) route = NULL;

  if (routes == NULL || index >= g_list_model_get_n_items (G_LIST_MODEL (routes)))
    return FALSE;
  route = g_list_model_get_item (G_LIST_MODEL (routes), index);
  return ladle_mock_route_get_status (route) == status;
}

static gboolean
saved_route_has_cors (const char *path,
                      guint       index,
                      gboolean    cors)
{
  g_autoptr(GListStore) routes = load_saved (path);
  g_autoptr(LadleMockRoute) route = NULL;

  if (routes == NULL || index >= g_list_model_get_n_items (G_LIST_MODEL (routes)))
    return FALSE;
  route = g_list_model_get_item (G_LIST_MODEL (routes), index);
  return ladle_mock_route_get_cors (route) == cors;
}

static guint
n_saved (const char *path)
{
  g_autoptr(GListStore) routes = load_saved (path);

  return routes != NULL ? g_list_model_get_n_items (G_LIST_MODEL (routes)) : G_MAXUINT;
}

static GtkWidget *
find_by_tooltip (GtkWidget  *root,
                 const char *tooltip)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) &&
          g_strcmp0 (gtk_widget_get_tooltip_text (child), tooltip) == 0)
        return child;
      if ((found = find_by_tooltip (child, tooltip)) != NULL)
        return found;
    }
  return NULL;
}

/* Mock routes from a file are listed, and answered while the server runs. */
static void
test_mock_routes (Fixture       *fixture,
                  gconstpointer  data)
{
  static const char routes[] =
    "{\"version\": 1, \"routes\": ["
    " {\"method\": \"GET\", \"path\": \"/hello/{name}\", \"status\": 201, \"body\": \"hi {name}\"},"
    " {\"method\": \"POST\", \"path\": \"/orders\", \"status\": 202, \"delay\": 0.1}"
    "]}";
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *path = g_build_filename (fixture->uploads, ".routes.json", NULL);
  g_autofree char *url = NULL;
  g_autoptr(GBytes) body = NULL;
  GtkWidget *file_label = find (fixture, "routes_file_label");
  guint status = 0;

  g_assert_true (g_file_set_contents (path, routes, -1, NULL));

  /* No file yet: an empty list that says so, and no file named. */
  g_assert_true (gtk_widget_get_visible (find (fixture, "routes_list")));
  g_assert_false (gtk_widget_get_visible (file_label));
  g_assert_cmpuint (n_rows (fixture), ==, 0);

  g_settings_set_string (fixture->settings, "server-routes-file", path);
  LADLE_TEST_WAIT_UNTIL (n_rows (fixture) == 2, 5000);
  g_assert_true (gtk_widget_get_visible (file_label));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (file_label)), ".routes.json"));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (nth_row (fixture, 0))), ==,
                   "GET /hello/{name}");

  start_on_port (fixture, 0);
  url = dup_route_url (fixture, "/hello/ladle");
  body = ladle_test_fetch (session, "GET", url, NULL, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 201);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "hi ladle", 8);

  /* Stop using the file: no routes, no file named, the server answers 404 again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "server.forget-routes",
                                             NULL));
  LADLE_TEST_WAIT_UNTIL (n_rows (fixture) == 0, 5000);
  g_assert_false (gtk_widget_get_visible (file_label));
  g_clear_pointer (&body, g_bytes_unref);
  body = ladle_test_fetch (session, "GET", url, NULL, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 404);
}

static gboolean
routes_file_is_set (Fixture *fixture)
{
  g_autofree char *path = g_settings_get_string (fixture->settings, "server-routes-file");

  return path[0] != '\0';
}

/* Add, edit, remove and undo through the editor: the running server answers each change at once,
 * and the routes file (the default one, as the user had none) follows. */
static void
test_routes_edit (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *data_dir = ladle_data_dir_dup (APP_ID);
  g_autofree char *default_path = g_build_filename (data_dir, "routes.json", NULL);
  g_autofree char *url = NULL;
  g_autofree char *setting = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) body = NULL;
  SoupMessageHeaders *headers = NULL;
  LadleRouteEditor *editor;
  GtkWidget *remove;
  guint status = 0;

  g_assert_false (g_file_test (default_path, G_FILE_TEST_EXISTS));
  start_on_port (fixture, 0);
  url = dup_route_url (fixture, "/orders/42");
  body = ladle_test_fetch (session, "POST", url, NULL, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 404);

  /* Add */
  g_assert_null (find_editor ());
  g_signal_emit_by_name (find (fixture, "add_route_button"), "clicked");
  editor = find_editor ();
  g_assert_nonnull (editor);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (editor)), ==, "New Route");
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (editor)) == fixture->window);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (editor)));
  ladle_test_ui_wait_for_draw (GTK_WIDGET (editor));
  /* The method from the drop-down's menu. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.set-method", "s",
                                             "POST"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor_find (editor, "method_row"))), ==,
                   "POST");
  editor_set_text (editor, "path_row", "/orders/{id}");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (editor_find (editor, "status_spin")), 201);
  editor_set_text (editor, "content_type_row", "application/json");
  editor_set_text (editor, "headers_view", "X-Mock: yes\n\nX-Order: {id}");
  editor_set_text (editor, "body_view", "{\"id\": \"{id}\"}");
  editor_save (editor);

  g_assert_cmpuint (n_rows (fixture), ==, 1);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (nth_row (fixture, 0))), ==,
                   "POST /orders/{id}");
  g_clear_pointer (&body, g_bytes_unref);
  body = ladle_test_fetch (session, "POST", url, NULL, NULL, &status, &headers);
  g_assert_cmpuint (status, ==, 201);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "{\"id\": \"42\"}", 12);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "X-Mock"), ==, "yes");
  g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==, "application/json");
  g_clear_pointer (&headers, soup_message_headers_unref);

  /* Saved to the default file, which became the setting (once a worker found the name free). */
  LADLE_TEST_WAIT_UNTIL (routes_file_is_set (fixture), 5000);
  setting = g_settings_get_string (fixture->settings, "server-routes-file");
  g_assert_cmpstr (setting, ==, default_path);
  LADLE_TEST_WAIT_UNTIL (saved_route_has_status (default_path, 0, 201), 5000);
  g_assert_true (g_file_get_contents (default_path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "/orders/{id}"));
  g_assert_nonnull (strstr (contents, "X-Order"));
  g_assert_true (gtk_widget_get_visible (find (fixture, "routes_file_label")));

  /* Edit: the row opens the editor with the route in it. */
  g_signal_emit_by_name (find (fixture, "routes_list"), "row-activated", nth_row (fixture, 0));
  editor = find_editor ();
  g_assert_nonnull (editor);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (editor)), ==, "Edit Route");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor_find (editor, "path_row"))), ==,
                   "/orders/{id}");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (editor_find (editor,
                                                                                   "status_spin"))),
                   ==, 201);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (editor_find (editor, "status_spin")), 202);
  editor_set_text (editor, "content_type_row", "");
  editor_set_text (editor, "body_view", "changed {id}");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (editor_find (editor, "delay_spin")), 0.2);
  editor_save (editor);

  g_assert_cmpuint (n_rows (fixture), ==, 1);
  g_clear_pointer (&body, g_bytes_unref);
  body = ladle_test_fetch (session, "POST", url, NULL, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 202);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "changed 42", 10);
  LADLE_TEST_WAIT_UNTIL (saved_route_has_status (default_path, 0, 202), 5000);

  /* Cross-origin headers, on by default as httpbin's, can be turned off per route (issue 13) */
  {
    SoupMessageHeaders *answer = NULL;

    g_clear_pointer (&body, g_bytes_unref);
    body = ladle_test_fetch (session, "POST", url, NULL, NULL, &status, &answer);
    g_assert_cmpstr (soup_message_headers_get_one (answer, "Access-Control-Allow-Origin"), ==, "*");
    g_clear_pointer (&answer, soup_message_headers_unref);

    g_signal_emit_by_name (find (fixture, "routes_list"), "row-activated", nth_row (fixture, 0));
    editor = find_editor ();
    g_assert_true (gtk_switch_get_active (GTK_SWITCH (editor_find (editor, "cors_switch"))));
    gtk_switch_set_active (GTK_SWITCH (editor_find (editor, "cors_switch")), FALSE);
    editor_save (editor);
    g_clear_pointer (&body, g_bytes_unref);
    body = ladle_test_fetch (session, "POST", url, NULL, NULL, &status, &answer);
    g_assert_cmpuint (status, ==, 202);
    g_assert_null (soup_message_headers_get_one (answer, "Access-Control-Allow-Origin"));
    g_clear_pointer (&answer, soup_message_headers_unref);
    LADLE_TEST_WAIT_UNTIL (saved_route_has_cors (default_path, 0, FALSE), 5000);
  }

  /* Cancel changes nothing. */
  g_signal_emit_by_name (find (fixture, "routes_list"), "row-activated", nth_row (fixture, 0));
  editor = find_editor ();
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (editor_find (editor, "status_spin")), 500);
  g_signal_emit_by_name (editor_find (editor, "cancel_button"), "clicked");
  LADLE_TEST_WAIT_UNTIL (find_editor () == NULL, 5000);
  ladle_test_ui_spin (200);
  g_assert_true (saved_route_has_status (default_path, 0, 202));

  /* Remove with the row's button: 404 at once, and gone from the file. */
  remove = find_by_tooltip (GTK_WIDGET (nth_row (fixture, 0)), "Remove Route");
  g_assert_nonnull (remove);
  g_signal_emit_by_name (remove, "clicked");
  g_assert_cmpuint (n_rows (fixture), ==, 0);
  g_clear_pointer (&body, g_bytes_unref);
  body = ladle_test_fetch (session, "POST", url, NULL, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 404);
  LADLE_TEST_WAIT_UNTIL (n_saved (default_path) == 0, 5000);

  /* Undo (the toast's button) brings it back, on the server and on disk. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "server.undo-remove",
                                             NULL));
  g_assert_cmpuint (n_rows (fixture), ==, 1);
  g_clear_pointer (&body, g_bytes_unref);
  body = ladle_test_fetch (session, "POST", url, NULL, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 202);
  LADLE_TEST_WAIT_UNTIL (n_saved (default_path) == 1, 5000);

  /* A restart: a new page and server over the same settings serve the same route. */
  {
    g_autoptr(LadleServer) server = ladle_server_new ();
    g_autoptr(GError) error = NULL;
    LadleServerPage *page = g_object_ref_sink (g_object_new (LADLE_TYPE_SERVER_PAGE, NULL));
    g_autofree char *url2 = NULL;
    GtkWidget *list;

    ladle_server_page_set_server (page, server);
    ladle_server_page_set_settings (page, fixture->settings);
    list = ladle_test_ui_find (GTK_WIDGET (page), "routes_list");
    LADLE_TEST_WAIT_UNTIL (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0) != NULL, 5000);
    g_assert_cmpstr (adw_preferences_row_get_title (
                       ADW_PREFERENCES_ROW (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list),
                                                                           0))),
                     ==, "POST /orders/{id}");
    ladle_server_set_port (server, 0);
    g_assert_true (ladle_server_start (server, &error));
    g_assert_no_error (error);
    url2 = g_strdup_printf ("http://127.0.0.1:%u/orders/7", ladle_server_get_bound_port (server));
    g_clear_pointer (&body, g_bytes_unref);
    body = ladle_test_fetch (session, "POST", url2, NULL, NULL, &status, NULL);
    g_assert_cmpuint (status, ==, 202);
    g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "changed 7", 9);
    ladle_server_stop (server);
    g_object_add_weak_pointer (G_OBJECT (page), (gpointer *) &page);
    g_object_unref (page);
    LADLE_TEST_WAIT_UNTIL (page == NULL, 5000);
  }

  g_unlink (default_path);
}

/* What the core refuses is shown in the editor, under the field at fault, and cannot be saved. */
static void
test_routes_invalid (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->uploads, ".routes.json", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  LadleRouteEditor *editor;
  GtkWidget *path_row;
  GtkWidget *request_error;
  GtkWidget *headers_error;
  GtkWidget *save;

  g_assert_true (g_file_set_contents (path, "{\"version\": 1, \"routes\": [{\"path\": \"/a\"}]}",
                                      -1, NULL));
  g_settings_set_string (fixture->settings, "server-routes-file", path);
  LADLE_TEST_WAIT_UNTIL (n_rows (fixture) == 1, 5000);
  g_assert_true (g_file_get_contents (path, &before, NULL, NULL));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "server.add-route",
                                             NULL));
  editor = find_editor ();
  g_assert_nonnull (editor);
  path_row = editor_find (editor, "path_row");
  request_error = editor_find (editor, "request_error");
  headers_error = editor_find (editor, "headers_error");
  save = editor_find (editor, "save_button");

  /* A new route starts valid. */
  g_assert_false (gtk_widget_get_visible (request_error));
  g_assert_true (gtk_widget_is_sensitive (save));

  /* A path without its slash. */
  editor_set_text (editor, "path_row", "orders");
  g_assert_true (gtk_widget_get_visible (request_error));
  g_assert_true (gtk_widget_has_css_class (path_row, "error"));
  g_test_message ("path error: %s", gtk_label_get_text (GTK_LABEL (request_error)));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (request_error)), "“orders”"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (request_error)), "“/”"));
  g_assert_false (gtk_widget_is_sensitive (save));
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  g_assert_true (find_editor () == editor);

  /* A placeholder cut in half. */
  editor_set_text (editor, "path_row", "/orders/{id");
  g_assert_true (gtk_widget_get_visible (request_error));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (request_error)), "{id"));

  /* A bad method. */
  editor_set_text (editor, "path_row", "/orders");
  g_assert_false (gtk_widget_get_visible (request_error));
  g_assert_false (gtk_widget_has_css_class (path_row, "error"));
  editor_set_text (editor, "method_row", "GE T");
  g_assert_true (gtk_widget_get_visible (request_error));
  g_assert_true (gtk_widget_has_css_class (editor_find (editor, "method_row"), "error"));
  g_assert_false (gtk_widget_is_sensitive (save));
  editor_set_text (editor, "method_row", "GET");

  /* A header line without a colon, and one the server sets itself: named by line. */
  editor_set_text (editor, "headers_view", "X-Good: 1\nno colon here");
  g_assert_true (gtk_widget_get_visible (headers_error));
  g_test_message ("header error: %s", gtk_label_get_text (GTK_LABEL (headers_error)));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (headers_error)), "Line 2: "));
  g_assert_false (gtk_widget_is_sensitive (save));
  editor_set_text (editor, "headers_view", "Content-Length: 5");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (headers_error)), "Content-Length"));
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  g_assert_true (find_editor () == editor);

  /* Nothing was saved, nothing was added. */
  gtk_window_close (GTK_WINDOW (editor));
  LADLE_TEST_WAIT_UNTIL (find_editor () == NULL, 5000);
  ladle_test_ui_spin (300);
  g_assert_cmpuint (n_rows (fixture), ==, 1);
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, before);
}

/* A file that does not load: a notice with the place, the file left alone until the user changes
 * the routes, and then kept aside rather than written over. */
static void
test_routes_corrupt (Fixture       *fixture,
                     gconstpointer  data)
{
  static const char broken[] = "{\"version\": 1, \"routes\": [\n  {\"path\": \"/a\",}\n]}\n";
  g_autofree char *path = g_build_filename (fixture->uploads, ".bad.json", NULL);
  g_autofree char *aside = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *contents = NULL;
  GtkWidget *error_label = find (fixture, "routes_error_label");
  LadleRouteEditor *editor;

  g_assert_true (g_file_set_contents (path, broken, -1, NULL));
  start_on_port (fixture, 0);
  g_settings_set_string (fixture->settings, "server-routes-file", path);
  LADLE_TEST_WAIT_UNTIL (gtk_widget_get_visible (error_label), 5000);
  g_test_message ("routes error: %s", gtk_label_get_text (GTK_LABEL (error_label)));
  expected = g_strconcat (path, ":2:", NULL);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (error_label)), expected));
  g_assert_cmpuint (n_rows (fixture), ==, 0);
  /* The server's start/stop errors are elsewhere: this notice stays. */
  g_assert_false (gtk_widget_get_visible (find (fixture, "error_group")));

  /* Restarting the server and waiting write nothing. */
  gtk_switch_set_active (GTK_SWITCH (find (fixture, "running_switch")), FALSE);
  gtk_switch_set_active (GTK_SWITCH (find (fixture, "running_switch")), TRUE);
  ladle_test_ui_spin (300);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, broken);
  g_clear_pointer (&contents, g_free);
  g_assert_true (gtk_widget_get_visible (error_label));

  /* The user adds a route: the broken file is kept aside, the new one written. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "server.add-route",
                                             NULL));
  editor = find_editor ();
  editor_set_text (editor, "path_row", "/fresh");
  editor_save (editor);
  LADLE_TEST_WAIT_UNTIL (n_saved (path) == 1 && !gtk_widget_get_visible (error_label), 5000);
  {
    g_autoptr(GDir) dir = g_dir_open (fixture->uploads, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (dir)) != NULL)
      if (g_str_has_prefix (name, ".bad.json.corrupt-"))
        {
          g_assert_null (aside);
          aside = g_build_filename (fixture->uploads, name, NULL);
        }
  }
  g_assert_nonnull (aside);
  g_assert_true (g_file_get_contents (aside, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, broken);
}

static char *
fetch_text (Fixture    *fixture,
            const char *path,
            guint      *out_status)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = dup_route_url (fixture, path);
  g_autoptr(GBytes) body = ladle_test_fetch (session, "GET", url, NULL, NULL, out_status, NULL);

  return g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

/* Shows the end of the editor (the body) and saves a picture of it. */
static void
editor_screenshot (LadleRouteEditor *editor,
                   const char       *name)
{
  g_autofree char *path = NULL;
  GtkWidget *scroller = editor_find (editor, "page");
  GtkAdjustment *adj;

  ladle_test_ui_show (GTK_WINDOW (editor), 560, 720);
  while (scroller != NULL && !GTK_IS_SCROLLED_WINDOW (scroller))
    scroller = gtk_widget_get_first_child (scroller);
  g_assert_nonnull (scroller);
  adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  ladle_test_ui_spin (300);
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
  ladle_test_ui_spin (300);
  path = ladle_test_ui_screenshot (GTK_WIDGET (editor), name);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

/* Body files stay in the routes file's folder unless the user turns the switch on: at load (a
 * notice with the place), at each request, and in the editor, where the switch is. The editor
 * also refuses 1xx statuses, bodies for a 204, and control characters in headers. */
static void
test_routes_body_folder (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *mock = g_build_filename (fixture->uploads, ".mock", NULL);
  g_autofree char *path = g_build_filename (mock, "routes.json", NULL);
  g_autofree char *inside = g_build_filename (mock, "inside.txt", NULL);
  g_autofree char *secret = g_build_filename (fixture->uploads, ".secret.txt", NULL);
  g_autofree char *text = NULL;
  GtkWidget *error_label = find (fixture, "routes_error_label");
  LadleRouteEditor *editor;
  GtkWidget *body_error;
  GtkWidget *save;
  GtkSwitch *any;
  guint status = 0;

  g_assert_cmpint (g_mkdir (mock, 0755), ==, 0);
  g_assert_true (g_file_set_contents (inside, "inside", -1, NULL));
  g_assert_true (g_file_set_contents (secret, "secret", -1, NULL));
  g_assert_true (g_file_set_contents (path, "{\"version\": 1, \"routes\": [\n"
                                      "  {\"path\": \"/in\", \"body_file\": \"inside.txt\"},\n"
                                      "  {\"path\": \"/out\", \"body_file\": \"../.secret.txt\"}\n"
                                      "]}\n", -1, NULL));

  /* Off by default: the file does not load, and the notice says where and how to allow it. */
  g_assert_false (g_settings_get_boolean (fixture->settings, "server-allow-any-body-file"));
  g_settings_set_string (fixture->settings, "server-routes-file", path);
  LADLE_TEST_WAIT_UNTIL (gtk_widget_get_visible (error_label), 5000);
  text = g_strconcat (path, ":3:3: route 2: ", NULL);
  g_test_message ("%s", gtk_label_get_text (GTK_LABEL (error_label)));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (error_label)), text));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error_label)), secret));
  g_assert_cmpuint (n_rows (fixture), ==, 0);
  g_clear_pointer (&text, g_free);

  /* On: the file is read again, and the server sends the file from outside. */
  g_settings_set_boolean (fixture->settings, "server-allow-any-body-file", TRUE);
  LADLE_TEST_WAIT_UNTIL (n_rows (fixture) == 2, 5000);
  g_assert_false (gtk_widget_get_visible (error_label));
  start_on_port (fixture, 0);
  text = fetch_text (fixture, "/out", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (text, ==, "secret");
  g_clear_pointer (&text, g_free);

  /* Off again: the server refuses it at once; the file inside is still served. */
  g_settings_set_boolean (fixture->settings, "server-allow-any-body-file", FALSE);
  text = fetch_text (fixture, "/out", &status);
  g_assert_cmpuint (status, ==, 500);
  g_assert_nonnull (strstr (text, "outside"));
  g_clear_pointer (&text, g_free);
  text = fetch_text (fixture, "/in", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (text, ==, "inside");
  g_clear_pointer (&text, g_free);

  /* The editor says so where the body file is chosen, next to the switch. */
  g_signal_emit_by_name (find (fixture, "routes_list"), "row-activated", nth_row (fixture, 1));
  editor = find_editor ();
  g_assert_nonnull (editor);
  body_error = editor_find (editor, "body_error");
  save = editor_find (editor, "save_button");
  any = GTK_SWITCH (editor_find (editor, "any_body_file_switch"));
  g_assert_true (gtk_widget_get_visible (body_error));
  g_test_message ("body error: %s", gtk_label_get_text (GTK_LABEL (body_error)));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (body_error)), ".secret.txt"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (body_error)), "outside"));
  g_assert_false (gtk_widget_is_sensitive (save));
  g_assert_false (gtk_switch_get_active (any));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (editor_find (editor,
                                                          "any_body_file_row"))), mock));
  editor_screenshot (editor, "server-route-editor-body-file-outside");

  /* The switch is the setting. */
  gtk_switch_set_active (any, TRUE);
  g_assert_true (g_settings_get_boolean (fixture->settings, "server-allow-any-body-file"));
  g_assert_false (gtk_widget_get_visible (body_error));
  g_assert_true (gtk_widget_is_sensitive (save));
  gtk_switch_set_active (any, FALSE);
  g_assert_true (gtk_widget_get_visible (body_error));

  /* A 1xx, then a 204 with its body file, then a control character in a header. */
  gtk_switch_set_active (any, TRUE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (editor_find (editor, "status_spin")), 101);
  g_assert_true (gtk_widget_get_visible (editor_find (editor, "response_error")));
  g_test_message ("status error: %s",
                  gtk_label_get_text (GTK_LABEL (editor_find (editor, "response_error"))));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (editor_find (editor,
                                                                         "response_error"))),
                            "1xx"));
  g_assert_false (gtk_widget_is_sensitive (save));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (editor_find (editor, "status_spin")), 204);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (editor_find (editor,
                                                                         "response_error"))),
                            "204"));
  g_assert_false (gtk_widget_is_sensitive (save));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (editor_find (editor, "status_spin")), 200);
  g_assert_false (gtk_widget_get_visible (editor_find (editor, "response_error")));
  g_assert_true (gtk_widget_is_sensitive (save));
  editor_set_text (editor, "headers_view", "X-Ok: 1\nX-Bell: ring\a");
  g_test_message ("header error: %s",
                  gtk_label_get_text (GTK_LABEL (editor_find (editor, "headers_error"))));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (editor_find (editor,
                                                                                "headers_error"))),
                                   "Line 2: "));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (editor_find (editor,
                                                                         "headers_error"))),
                            "\\x07"));
  g_assert_false (gtk_widget_is_sensitive (save));
  gtk_window_close (GTK_WINDOW (editor));
  LADLE_TEST_WAIT_UNTIL (find_editor () == NULL, 5000);

  /* The same, in Russian: the switch off and a 1xx. */
  g_settings_set_boolean (fixture->settings, "server-allow-any-body-file", FALSE);
  ladle_test_ui_set_language ("ru");
  g_signal_emit_by_name (find (fixture, "routes_list"), "row-activated", nth_row (fixture, 1));
  editor = find_editor ();
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (editor_find (editor, "status_spin")), 101);
  editor_screenshot (editor, "server-route-editor-body-file-outside-ru");
  g_test_message ("ru: %s / %s",
                  gtk_label_get_text (GTK_LABEL (editor_find (editor, "response_error"))),
                  gtk_label_get_text (GTK_LABEL (editor_find (editor, "body_error"))));
  gtk_window_close (GTK_WINDOW (editor));
  LADLE_TEST_WAIT_UNTIL (find_editor () == NULL, 5000);
  ladle_test_ui_set_language (NULL);
}

/* Wide and narrow, light and dark, running with a few requests in the log: look at them. */
static void
test_screenshots (Fixture       *fixture,
                  gconstpointer  data)
{
  static const struct { const char *size; int width; int height; } sizes[] = {
    { "wide", 1100, 720 },
    { "narrow", 400, 640 },
  };
  /* What may be cut or overlap (see ladle_test_ui_check_labels()). Nothing. */
  static const char *allowed[] = { NULL };
  static const char *paths[] = {
    "", "users/7", "get?page=2", "status/404", "anything/orders/42", "json", "bytes/512", "nope",
    "headers",
  };
  g_autoptr(SoupSession) session = soup_session_new_with_options ("user-agent", "ladle-ui-test",
                                                                  NULL);
  GListModel *log = ladle_server_page_get_log (fixture->page);
  g_autofree char *url = NULL;
  guint status;

  {
    g_autofree char *routes = g_test_build_filename (G_TEST_DIST, "data", "routes-example.json",
                                                     NULL);

    g_settings_set_string (fixture->settings, "server-routes-file", routes);
  }
  LADLE_TEST_WAIT_UNTIL (n_rows (fixture) > 0, 5000);
  start_on_port (fixture, 0);
  url = dup_url (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *request_url = g_strconcat (url, paths[i], NULL);
      g_autoptr(GBytes) body = ladle_test_fetch (session, "GET", request_url, NULL, NULL,
                                                 &status, NULL);
    }
  {
    g_autofree char *post_url = g_strconcat (url, "post", NULL);
    g_autoptr(GBytes) json = g_bytes_new_static ("{\"name\": \"Ladle\", \"tags\": [1, 2]}", 33);
    g_autoptr(GBytes) body = ladle_test_fetch (session, "POST", post_url, "application/json",
                                               json, &status, NULL);
  }
  LADLE_TEST_WAIT_UNTIL (g_list_model_get_n_items (log) == G_N_ELEMENTS (paths) + 1, 5000);
  gtk_selection_model_select_item (
    gtk_column_view_get_model (GTK_COLUMN_VIEW (find (fixture, "column_view"))),
    G_N_ELEMENTS (paths), TRUE);

  for (guint d = 0; d < 2; d++)
    for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
      {
        g_autofree char *name = g_strdup_printf ("server-%s-%s", sizes[s].size,
                                                 d ? "dark" : "light");
        g_autofree char *path = NULL;

        ladle_test_ui_set_dark (d == 1);
        gtk_window_set_default_size (fixture->window, sizes[s].width,
                                     sizes[s].height);
        ladle_test_ui_show (fixture->window, sizes[s].width, sizes[s].height);
        ladle_test_ui_spin (300);
        /* The page fits a phone: nothing in it asks for more than 360 pixels. */
        g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=,
                         sizes[s].width + 10);
        path = ladle_test_ui_screenshot (GTK_WIDGET (fixture->window), name);
        g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
        /* Every label whole; at 400 pixels nothing overlapping either. */
        ladle_test_ui_assert_layout (GTK_WIDGET (fixture->window), s == 1, allowed, name);

        /* Further down the settings column: the mock routes. */
          {
            g_autofree char *end_name = g_strdup_printf ("server-%s-routes-%s", sizes[s].size,
                                                         d ? "dark" : "light");
            g_autofree char *end_path = NULL;
            GtkWidget *column = find (fixture, "settings_column");
            GtkWidget *scroller = column;
            GtkAdjustment *adj;

            while (scroller != NULL && !GTK_IS_SCROLLED_WINDOW (scroller))
              scroller = gtk_widget_get_first_child (scroller);
            g_assert_nonnull (scroller);
            adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
            {
              double x, y;

              g_assert_true (gtk_widget_translate_coordinates (find (fixture, "mock_routes_group"),
                                                               scroller, 0, 0, &x, &y));
              gtk_adjustment_set_value (adj, gtk_adjustment_get_value (adj) + y - 12);
            }
            ladle_test_ui_spin (300);
            end_path = ladle_test_ui_screenshot (GTK_WIDGET (fixture->window), end_name);
            g_assert_true (g_file_test (end_path, G_FILE_TEST_IS_REGULAR));
            ladle_test_ui_assert_layout (GTK_WIDGET (fixture->window), s == 1, allowed, end_name);
            gtk_adjustment_set_value (adj, 0);
          }

        /* Folded: the log is one step further. */
        if (adw_leaflet_get_folded (get_leaflet (fixture)))
          {
            g_autofree char *log_name = g_strdup_printf ("server-%s-log-%s", sizes[s].size,
                                                         d ? "dark" : "light");
            g_autofree char *log_path = NULL;

            adw_leaflet_set_visible_child (get_leaflet (fixture),
                                           find (fixture, "log_pane"));
            ladle_test_ui_spin (500);
            log_path = ladle_test_ui_screenshot (GTK_WIDGET (fixture->window), log_name);
            g_assert_true (g_file_test (log_path, G_FILE_TEST_IS_REGULAR));
            ladle_test_ui_assert_layout (GTK_WIDGET (fixture->window), s == 1, allowed, log_name);
            adw_leaflet_navigate (get_leaflet (fixture),
                                  ADW_NAVIGATION_DIRECTION_BACK);
            ladle_test_ui_spin (500);
          }
      }

  /* The editor, for the first example route (which has headers, a JSON body and a delay). */
  for (guint d = 0; d < 2; d++)
    for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
      {
        g_autofree char *name = g_strdup_printf ("server-route-editor-%s-%s", sizes[s].size,
                                                 d ? "dark" : "light");
        g_autofree char *path = NULL;
        LadleRouteEditor *editor;

        ladle_test_ui_set_dark (d == 1);
        g_signal_emit_by_name (find (fixture, "routes_list"), "row-activated",
                               nth_row (fixture, 0));
        editor = find_editor ();
        g_assert_nonnull (editor);
        /* One field at fault, to see how it is shown. */
        if (s == 1)
          editor_set_text (editor, "path_row", "users/{id}");
        ladle_test_ui_show (GTK_WINDOW (editor), s == 0 ? 560 : sizes[s].width,
                            s == 0 ? sizes[s].height : sizes[s].height);
        ladle_test_ui_spin (300);
        g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (editor)), <=,
                         (s == 0 ? 560 : sizes[s].width) + 10);
        path = ladle_test_ui_screenshot (GTK_WIDGET (editor), name);
        g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
        ladle_test_ui_assert_layout (GTK_WIDGET (editor), s == 1, allowed, name);
        /* Its end: the body. */
        if (s == 0)
          {
            g_autofree char *end_name = g_strdup_printf ("server-route-editor-wide-body-%s",
                                                         d ? "dark" : "light");
            g_autofree char *end_path = NULL;
            GtkWidget *scroller = editor_find (editor, "page");
            GtkAdjustment *adj;

            while (scroller != NULL && !GTK_IS_SCROLLED_WINDOW (scroller))
              scroller = gtk_widget_get_first_child (scroller);
            g_assert_nonnull (scroller);
            adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
            gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
            ladle_test_ui_spin (300);
            end_path = ladle_test_ui_screenshot (GTK_WIDGET (editor), end_name);
            g_assert_true (g_file_test (end_path, G_FILE_TEST_IS_REGULAR));
            ladle_test_ui_assert_layout (GTK_WIDGET (editor), FALSE, allowed, end_name);
          }
        gtk_window_close (GTK_WINDOW (editor));
        LADLE_TEST_WAIT_UNTIL (find_editor () == NULL, 5000);
      }

  ladle_test_ui_set_dark (FALSE);
  g_settings_reset (fixture->settings, "server-routes-file");
}

/* The text a body view shows (in its text view) */
static char *
dup_body_text (Fixture *fixture)
{
  GtkWidget *body = find (fixture, "body");
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (ladle_test_ui_find (body,
                                                                                         "body_view")));
  GtkTextIter start, end;

  LADLE_TEST_WAIT_UNTIL (ladle_body_view_get_ready (LADLE_BODY_VIEW (body)), 10000);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* A 2 MiB POST: the server keeps the head of its body, which the detail shows under the headers
 * (with a note saying so), searchable, as it came; a small JSON body shows pretty, and as it came
 * with Raw. */
static void
test_large_body (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("user-agent", "ladle-ui-test",
                                                                  NULL);
  GListModel *log = ladle_server_page_get_log (fixture->page);
  GtkSelectionModel *selection =
    gtk_column_view_get_model (GTK_COLUMN_VIEW (find (fixture, "column_view")));
  LadleBodyView *body = LADLE_BODY_VIEW (find (fixture, "body"));
  g_autoptr(GString) json = g_string_new ("[\n");
  g_autoptr(GBytes) big = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autofree char *url = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *small_url = NULL;
  g_autofree char *text = NULL;
  LadleServerEvent *event;
  guint status = 0;

  start_on_port (fixture, 0);
  url = g_strdup_printf ("http://127.0.0.1:%u/post", ladle_server_get_bound_port (fixture->server));

  for (guint i = 0; json->len < 2 * 1024 * 1024; i++)
    g_string_append_printf (json, "  {\"id\": %u, \"name\": \"item %u\", \"ok\": true},\n", i, i);
  g_string_append (json, "  {\"id\": -1}\n]\n");
  big = g_bytes_new (json->str, json->len);

  answer = ladle_test_fetch (session, "POST", url, "application/json", big, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  LADLE_TEST_WAIT_UNTIL (find_event (log, "POST", "/post") != NULL, 10000);
  event = find_event (log, "POST", "/post");
  g_assert_cmpuint (ladle_server_event_get_request_bytes (event), ==, g_bytes_get_size (big));

  gtk_selection_model_select_item (selection, find_position (log, event), TRUE);
  g_assert_true (gtk_widget_get_visible (find (fixture, "body_box")));
  /* The headers stay in the text view, the body is not in it. */
  detail = dup_detail_text (fixture);
  g_assert_true (g_str_has_prefix (detail, "POST /post\n"));
  g_assert_null (strstr (detail, "\"id\": 0,"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find (fixture, "body_notice"))), ==,
                   "Showing the first 65.5\u00a0kB of 2.1\u00a0MB.");

  /* Its first lines on screen, as they came (a head cut short is not JSON): no Raw switch */
  text = dup_body_text (fixture);
  g_assert_true (g_str_has_prefix (text, "[\n  {\"id\": 0, \"name\": \"item 0\", \"ok\": true},\n"));
  g_assert_false (gtk_widget_get_visible (find (fixture, "raw_toggle")));
  g_free (ladle_test_ui_screenshot (GTK_WIDGET (fixture->window), "server-large-body-wide-light"));

  /* Search reaches a line far down the head. */
  ladle_body_view_begin_search (body);
  gtk_editable_set_text (GTK_EDITABLE (find (fixture, "search_entry")), "\"id\": 900,");
  LADLE_TEST_WAIT_UNTIL (g_strcmp0 (gtk_label_get_text (GTK_LABEL (find (fixture, "search_label"))),
                                    "1 match") == 0, 10000);
  g_free (ladle_test_ui_screenshot (GTK_WIDGET (fixture->window), "server-large-body-search"));
  gtk_editable_set_text (GTK_EDITABLE (find (fixture, "search_entry")), "");

  /* A small JSON body: pretty, and as it came with Raw */
  small_url = g_strdup_printf ("http://127.0.0.1:%u/anything",
                               ladle_server_get_bound_port (fixture->server));
  {
    g_autoptr(GBytes) small = g_bytes_new_static ("{\"small\": true}", 15);
    g_autoptr(GBytes) small_answer = NULL;

    small_answer = ladle_test_fetch (session, "POST", small_url, "application/json", small,
                                     &status, NULL);
  }
  LADLE_TEST_WAIT_UNTIL (find_event (log, "POST", "/anything") != NULL, 10000);
  event = find_event (log, "POST", "/anything");
  gtk_selection_model_select_item (selection, find_position (log, event), TRUE);
  g_assert_true (gtk_widget_get_visible (find (fixture, "body_box")));
  g_free (detail);
  detail = dup_detail_text (fixture);
  g_assert_null (strstr (detail, "small"));
  g_free (text);
  text = dup_body_text (fixture);
  g_assert_cmpstr (text, ==, "{\n  \"small\": true\n}");
  g_assert_true (gtk_widget_get_visible (find (fixture, "raw_toggle")));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find (fixture, "raw_toggle")), TRUE);
  g_free (text);
  text = dup_body_text (fixture);
  g_assert_cmpstr (text, ==, "{\"small\": true}");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find (fixture, "raw_toggle")), FALSE);
}

/* HTTPS from the Server bench, with real clicks: the switch (kept in the settings), the https
 * address, a client that trusts only the certificate the page copies, and screenshots wide and
 * narrow, in English and in Russian. */
static void
read_text_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static void
https_screenshots (GtkWindow  *window,
                   const char *suffix)
{
  static const struct { const char *size; int width; int height; } sizes[] = {
    { "wide", 1100, 720 },
    { "narrow", 400, 640 },
  };
  static const char *allowed[] = { NULL };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autofree char *name = g_strdup_printf ("server-https-%s%s", sizes[s].size, suffix);
      g_autofree char *path = NULL;

      gtk_window_set_default_size (window, sizes[s].width, sizes[s].height);
      ladle_test_ui_show (window, sizes[s].width, sizes[s].height);
      ladle_test_ui_spin (300);
      path = ladle_test_ui_screenshot (GTK_WIDGET (window), name);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
      ladle_test_ui_assert_layout (GTK_WIDGET (window), s == 1, allowed, name);
    }
}

static void
test_https (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *tls_dir = ladle_tls_cert_dup_default_dir (APP_ID);
  g_autofree char *cert_path = g_build_filename (tls_dir, LADLE_TLS_CERT_FILE_NAME, NULL);
  g_autofree char *cert_file = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *ca_path = NULL;
  g_autofree char *url = NULL;
  g_autofree char *tmp = ladle_test_make_tmpdir ("ladle-ui-https-XXXXXX");
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupSession) untrusting = soup_session_new ();
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *log = ladle_server_page_get_log (fixture->page);
  GtkWidget *https_switch = find (fixture, "https_switch");
  GtkWidget *copy_button = find (fixture, "copy_certificate_button");
  guint status = 0;

  if (!ladle_test_input_available ())
    {
      g_test_skip ("no XTest: real input is not possible");
      return;
    }

  g_settings_reset (fixture->settings, "server-https");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find (fixture, "port_spin")), 0);
  ladle_test_input_focus_window (fixture->window);

  /* Off, the certificate cannot be copied; a click turns HTTPS on, and the setting keeps it */
  g_assert_false (gtk_widget_is_sensitive (copy_button));
  ladle_test_input_click (https_switch);
  LADLE_TEST_WAIT_UNTIL (g_settings_get_boolean (fixture->settings, "server-https"), 5000);
  LADLE_TEST_WAIT_UNTIL (gtk_widget_is_sensitive (copy_button), 5000);

  /* Started with a click: the address is https, and the HTTPS switch locked while it runs */
  ladle_test_input_click (find (fixture, "running_switch"));
  LADLE_TEST_WAIT_UNTIL (ladle_server_get_running (fixture->server), 5000);
  url = g_strdup_printf ("https://127.0.0.1:%u/", ladle_server_get_bound_port (fixture->server));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (find (fixture, "url_row"))),
                   ==, url);
  g_assert_false (gtk_widget_is_sensitive (https_switch));
  g_assert_true (gtk_widget_is_sensitive (copy_button));
  g_assert_true (g_file_test (cert_path, G_FILE_TEST_IS_REGULAR));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (find (fixture,
                                                                             "https_row"))),
                            "SHA-256 "));

  /* Copy Certificate puts the PEM of the data folder's certificate on the clipboard */
  ladle_test_input_click (copy_button);
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (copy_button), NULL, read_text_done,
                                 &copied);
  LADLE_TEST_WAIT_UNTIL (copied != NULL, 5000);
  g_assert_true (g_file_get_contents (cert_path, &cert_file, NULL, NULL));
  g_assert_cmpstr (copied, ==, cert_file);
  g_assert_null (strstr (copied, "PRIVATE KEY"));

  /* A client that trusts only the copied certificate gets its answer; one that does not, none */
  ca_path = g_build_filename (tmp, "ca.pem", NULL);
  g_assert_true (g_file_set_contents (ca_path, copied, -1, NULL));
  database = g_tls_file_database_new (ca_path, &error);
  g_assert_no_error (error);
  session = soup_session_new_with_options ("tls-database", database, "user-agent", "ladle-ui-test",
                                           NULL);
  body = ladle_test_fetch (session, "GET", url, NULL, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  LADLE_TEST_WAIT_UNTIL (find_event (log, "GET", "/") != NULL, 5000);
  {
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
    g_autoptr(GBytes) refused = soup_session_send_and_read (untrusting, msg, NULL, &error);

    g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
    g_clear_error (&error);
  }

  https_screenshots (fixture->window, "");

  /* Stopped and off again: plain http at the next start */
  ladle_test_input_click (find (fixture, "running_switch"));
  LADLE_TEST_WAIT_UNTIL (!ladle_server_get_running (fixture->server), 5000);
  LADLE_TEST_WAIT_UNTIL (gtk_widget_is_sensitive (https_switch), 5000);
  ladle_test_input_click (https_switch);
  LADLE_TEST_WAIT_UNTIL (!g_settings_get_boolean (fixture->settings, "server-https"), 5000);
  gtk_switch_set_active (GTK_SWITCH (find (fixture, "running_switch")), TRUE);
  g_assert_true (ladle_server_get_running (fixture->server));
  g_assert_null (ladle_server_get_tls_certificate (fixture->server));
  g_clear_pointer (&url, g_free);
  url = dup_url (fixture);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (find (fixture, "url_row"))),
                   ==, url);
  gtk_switch_set_active (GTK_SWITCH (find (fixture, "running_switch")), FALSE);

  /* In Russian: a page of its own, running HTTPS */
  {
    g_autoptr(LadleServer) server = ladle_server_new ();
    LadleServerPage *page;
    GtkWindow *window;

    g_settings_set_boolean (fixture->settings, "server-https", TRUE);
    ladle_test_ui_set_language ("ru");
    page = g_object_new (LADLE_TYPE_SERVER_PAGE, NULL);
    ladle_server_page_set_server (page, server);
    ladle_server_page_set_settings (page, fixture->settings);
    window = GTK_WINDOW (gtk_window_new ());
    gtk_window_set_titlebar (window, adw_header_bar_new ());
    gtk_window_set_title (window, "Ladle");
    gtk_window_set_child (window, GTK_WIDGET (page));
    ladle_test_ui_show (window, 1100, 720);
    gtk_switch_set_active (GTK_SWITCH (ladle_test_ui_find (GTK_WIDGET (page), "running_switch")),
                           TRUE);
    g_assert_true (ladle_server_get_running (server));
    https_screenshots (window, "-ru");
    ladle_server_stop (server);
    ladle_test_ui_destroy_window (window);
    ladle_test_ui_set_language (NULL);
  }

  g_settings_reset (fixture->settings, "server-https");
  ladle_test_rm_rf (tmp);
}

/* Issue 14: the route list has the OAuth 2.0 provider's endpoints, each with its description in
 * the language of the day; looked at in English and Russian, wide and narrow, with the list
 * opened at them. */
static GtkWidget *
find_row (GtkWidget  *root,
          const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (ADW_IS_ACTION_ROW (child) &&
          g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), title) == 0)
        return child;
      if ((found = find_row (child, title)) != NULL)
        return found;
    }
  return NULL;
}

/* The expander row titled @title under @root */
static GtkWidget *
find_expander (GtkWidget  *root,
               const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (ADW_IS_EXPANDER_ROW (child) &&
          g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), title) == 0)
        return child;
      found = find_expander (child, title);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
endpoint_screenshots (GtkWindow  *window,
                      GtkWidget  *page,
                      const char *language)
{
  static const char *const patterns[] = {
    "/.well-known/openid-configuration", "/oauth/authorize", "/oauth/token",
    "/oauth/device_authorization", "/oauth/device", "/oauth/userinfo", "/oauth/jwks",
  };
  static const struct { const char *size; int width; int height; } sizes[] = {
    { "wide", 1100, 720 },
    { "narrow", 360, 640 },
  };
  const LadleHttpbinEndpoint *endpoints = ladle_httpbin_get_endpoints ();
  GtkWidget *expander = find_expander (page, dgettext (GETTEXT_PACKAGE, "OAuth 2.0 Provider"));
  GtkWidget *first;

  /* Their own expander: httpbin's counts only httpbin's */
  g_assert_nonnull (expander);
  g_assert_null (find_row (find_expander (page, dgettext (GETTEXT_PACKAGE, "httpbin Endpoints")),
                           "/oauth/token"));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);
  for (gsize i = 0; i < G_N_ELEMENTS (patterns); i++)
    {
      GtkWidget *row = find_row (expander, patterns[i]);
      const char *description = NULL;

      if (row == NULL)
        g_error ("%s is not in the Server bench's list", patterns[i]);
      for (gsize n = 0; endpoints[n].pattern != NULL; n++)
        if (g_str_equal (endpoints[n].pattern, patterns[i]))
          description = endpoints[n].description;
      g_assert_nonnull (description);
      /* Translated (the catalogue is complete: po-complete) */
      g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                       dgettext (GETTEXT_PACKAGE, description));
      if (g_str_equal (language, "ru"))
        g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), !=, description);
    }

  first = find_row (expander, patterns[0]);
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autofree char *name = g_strdup_printf ("server-oauth-endpoints-%s-%s", language,
                                               sizes[s].size);
      GtkWidget *scroller = gtk_widget_get_ancestor (first, GTK_TYPE_SCROLLED_WINDOW);
      GtkAdjustment *adj;
      double x, y;

      gtk_window_set_default_size (window, sizes[s].width, sizes[s].height);
      ladle_test_ui_show (window, sizes[s].width, sizes[s].height);
      ladle_test_ui_spin (300);
      g_assert_nonnull (scroller);
      adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
      g_assert_true (gtk_widget_translate_coordinates (first, scroller, 0, 0, &x, &y));
      gtk_adjustment_set_value (adj, gtk_adjustment_get_value (adj) + y - 12);
      ladle_test_ui_spin (300);
      g_free (ladle_test_ui_screenshot (GTK_WIDGET (window), name));
      ladle_test_ui_assert_layout (GTK_WIDGET (window), FALSE, NULL, name);
    }
}

static void
test_oauth_endpoints (Fixture       *fixture,
                      gconstpointer  data)
{
  endpoint_screenshots (fixture->window, GTK_WIDGET (fixture->page), "en");

  /* In Russian: a page of its own, its rows made in that language */
  {
    g_autoptr(LadleServer) server = ladle_server_new ();
    LadleServerPage *page;
    GtkWindow *window;

    ladle_test_ui_set_language ("ru");
    page = g_object_new (LADLE_TYPE_SERVER_PAGE, NULL);
    ladle_server_page_set_server (page, server);
    ladle_server_page_set_settings (page, fixture->settings);
    window = GTK_WINDOW (gtk_window_new ());
    gtk_window_set_titlebar (window, adw_header_bar_new ());
    gtk_window_set_title (window, "Ladle");
    gtk_window_set_child (window, GTK_WIDGET (page));
    ladle_test_ui_show (window, 1100, 720);
    endpoint_screenshots (window, GTK_WIDGET (page), "ru");
    ladle_test_ui_destroy_window (window);
    ladle_test_ui_set_language (NULL);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkCssProvider) css = NULL;

  if (!ladle_test_ui_init (&argc, &argv))
    {
      g_test_add_func ("/ladle/ui-server/no-display", (GTestFunc) g_test_incomplete);
      return ladle_test_run ();
    }

  /* What AdwApplication loads for the real window. */
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/io/github/ladle/Ladle/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  g_test_add ("/ladle/ui-server/start-log-stop", Fixture, NULL,
              fixture_setup, test_start_log_stop, fixture_teardown);
  g_test_add ("/ladle/ui-server/start-error", Fixture, NULL,
              fixture_setup, test_start_error, fixture_teardown);
  g_test_add ("/ladle/ui-server/mock-routes", Fixture, NULL,
              fixture_setup, test_mock_routes, fixture_teardown);
  g_test_add ("/ladle/ui-server/routes-edit", Fixture, NULL,
              fixture_setup, test_routes_edit, fixture_teardown);
  g_test_add ("/ladle/ui-server/routes-invalid", Fixture, NULL,
              fixture_setup, test_routes_invalid, fixture_teardown);
  g_test_add ("/ladle/ui-server/routes-corrupt", Fixture, NULL,
              fixture_setup, test_routes_corrupt, fixture_teardown);
  g_test_add ("/ladle/ui-server/routes-body-folder", Fixture, NULL,
              fixture_setup, test_routes_body_folder, fixture_teardown);
  g_test_add ("/ladle/ui-server/large-body", Fixture, NULL,
              fixture_setup, test_large_body, fixture_teardown);
  g_test_add ("/ladle/ui-server/screenshots", Fixture, NULL,
              fixture_setup, test_screenshots, fixture_teardown);
  g_test_add ("/ladle/ui-server/oauth-endpoints", Fixture, NULL,
              fixture_setup, test_oauth_endpoints, fixture_teardown);
  g_test_add ("/ladle/ui-server/https", Fixture, NULL,
              fixture_setup, test_https, fixture_teardown);

  return ladle_test_run ();
}
