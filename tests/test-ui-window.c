/* test-ui-window.c
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

#include "ladle-data-dir.h"
#include "ladle-preferences-window.h"
#include "ladle-requests-page.h"
#include "ladle-server-event.h"
#include "ladle-server-event-private.h"
#include "ladle-server-page.h"
#include "ladle-test-ui.h"
#include "ladle-websocket-page.h"
#include "ladle-window.h"

static const char *benches[] = { "requests", "server", "websocket" };

static LadleWindow *
new_window (int width,
            int height)
{
  LadleWindow *window;
  g_autofree char *data = ladle_data_dir_dup (APP_ID);

  /* Each window starts without the tabs the ones before left. */
  ladle_test_rm_rf (data);
  window = ladle_window_new (NULL);

  ladle_test_ui_show (GTK_WINDOW (window), width, height);
  return window;
}

static void
destroy_window (LadleWindow *window)
{
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  LADLE_TEST_WAIT_UNTIL (window == NULL, 5000);
}

/* Ctrl+1/2/3 go through this action. */
static void
test_switch_benches (void)
{
  LadleWindow *window = new_window (1100, 720);

  for (guint i = 0; i < G_N_ELEMENTS (benches); i++)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.bench", "s",
                                                 benches[i]));
      g_assert_cmpstr (ladle_window_get_bench (window), ==, benches[i]);
      g_assert_nonnull (ladle_window_get_page (window, benches[i]));
    }

  /* An unknown name leaves the bench as it is. */
  ladle_window_set_bench (window, "nonsense");
  g_assert_cmpstr (ladle_window_get_bench (window), ==, "websocket");

  destroy_window (window);
}

/* Narrow windows move the view switcher from the header to a bar at the bottom. */
static void
test_narrow_switcher (void)
{
  LadleWindow *window = new_window (360, 640);
  GtkWidget *title = ladle_test_ui_find (GTK_WIDGET (window), "switcher_title");

  g_assert_nonnull (title);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 400);
  g_assert_true (adw_view_switcher_title_get_title_visible (ADW_VIEW_SWITCHER_TITLE (title)));

  destroy_window (window);
}

static guint
n_tabs (LadleWindow *window)
{
  LadleRequestsPage *page = LADLE_REQUESTS_PAGE (ladle_window_get_page (window, "requests"));

  return adw_tab_view_get_n_pages (ladle_requests_page_get_tab_view (page));
}

/* Ctrl+T and Ctrl+W: a new tab from any bench; on the Requests bench Ctrl+W closes the tab (the
 * last one leaves an empty tab and the window), elsewhere it closes the window. */
static void
test_tab_shortcuts (void)
{
  LadleWindow *window = new_window (1100, 720);
  LadleWindow *weak = window;

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &weak);
  ladle_window_set_bench (window, "server");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-tab", NULL));
  g_assert_cmpstr (ladle_window_get_bench (window), ==, "requests");
  g_assert_cmpuint (n_tabs (window), ==, 2);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL));
  g_assert_cmpuint (n_tabs (window), ==, 1);
  ladle_test_ui_spin (100);
  g_assert_nonnull (weak);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));

  ladle_window_set_bench (window, "websocket");
  g_object_ref (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL));
  LADLE_TEST_WAIT_UNTIL (!gtk_widget_get_visible (GTK_WIDGET (window)), 2000);
  g_object_unref (window);
  LADLE_TEST_WAIT_UNTIL (weak == NULL, 5000);
}

/* Only the Requests page is built with the window (start-up time): the Server and WebSocket pages
 * when first shown or asked for, the Server page also when the server starts with Ladle. */
static void
test_lazy_pages (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  LadleWindow *window;
  GtkWidget *server_page;

  g_settings_reset (settings, "bench");
  window = new_window (1100, 720);
  g_assert_cmpstr (ladle_window_get_bench (window), ==, "requests");
  g_assert_null (ladle_test_ui_find_by_type (GTK_WIDGET (window), LADLE_TYPE_SERVER_PAGE));
  g_assert_null (ladle_test_ui_find_by_type (GTK_WIDGET (window), LADLE_TYPE_WEBSOCKET_PAGE));

  ladle_window_set_bench (window, "websocket");
  g_assert_nonnull (ladle_test_ui_find_by_type (GTK_WIDGET (window), LADLE_TYPE_WEBSOCKET_PAGE));
  g_assert_null (ladle_test_ui_find_by_type (GTK_WIDGET (window), LADLE_TYPE_SERVER_PAGE));
  server_page = ladle_window_get_page (window, "server");
  g_assert_true (LADLE_IS_SERVER_PAGE (server_page));
  g_assert_true (ladle_test_ui_find_by_type (GTK_WIDGET (window), LADLE_TYPE_SERVER_PAGE) ==
                 server_page);
  g_assert_cmpstr (ladle_window_get_bench (window), ==, "websocket");
  destroy_window (window);

  /* Set to start with Ladle: the page is there at once, and has started the server. */
  g_settings_reset (settings, "bench");
  g_settings_set_uint (settings, "server-port", 0);
  g_settings_set_boolean (settings, "server-autostart", TRUE);
  window = new_window (1100, 720);
  g_assert_cmpstr (ladle_window_get_bench (window), ==, "requests");
  g_assert_nonnull (ladle_test_ui_find_by_type (GTK_WIDGET (window), LADLE_TYPE_SERVER_PAGE));
  LADLE_TEST_WAIT_UNTIL (ladle_server_get_running (ladle_window_get_server (window)), 5000);
  destroy_window (window);
  g_settings_reset (settings, "server-autostart");
  g_settings_reset (settings, "server-port");
  g_settings_reset (settings, "bench");
}

/* A request from the server's log opens in a new tab, aimed at the server. */
static void
test_open_in_requests (void)
{
  LadleWindow *window = new_window (1100, 720);
  LadleRequestsPage *page = LADLE_REQUESTS_PAGE (ladle_window_get_page (window, "requests"));
  GtkWidget *server_page = ladle_window_get_page (window, "server");
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autoptr(GBytes) body = g_bytes_new_static ("{\"a\": 1}", 8);
  g_autoptr(LadleServerEvent) event = NULL;
  LadleRequest *request;

  soup_message_headers_append (headers, "Content-Type", "application/json");
  soup_message_headers_append (headers, "X-Trace", "abc");
  event = _ladle_server_event_new (LADLE_SERVER_EVENT_HTTP, g_get_real_time (), "127.0.0.1",
                                   "POST", "/post?from=log", 200, 8, 100, 1000, headers, body);

  /* The first tab in use: the request gets a tab of its own. */
  ladle_request_set_url (ladle_requests_page_get_request (page), "http://127.0.0.1:1/busy");
  ladle_window_set_bench (window, "server");
  g_signal_emit_by_name (server_page, "open-in-requests", event);
  g_assert_cmpstr (ladle_window_get_bench (window), ==, "requests");
  g_assert_cmpuint (n_tabs (window), ==, 2);
  request = ladle_requests_page_get_request (page);
  g_assert_cmpstr (ladle_request_get_method (request), ==, "POST");
  g_assert_true (g_str_has_suffix (ladle_request_get_url (request), "/post?from=log"));
  g_assert_cmpint (ladle_request_get_body_kind (request), ==, LADLE_BODY_JSON);
  g_assert_cmpstr (ladle_request_get_body_text (request), ==, "{\"a\": 1}");

  destroy_window (window);
}

static gboolean
shows_label (GtkWidget  *widget,
             const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_label (child, text))
      return TRUE;
  return FALSE;
}

/* Pages raise toasts through "win.toast", without knowing the window. */
static void
test_toast (void)
{
  LadleWindow *window = new_window (1100, 720);
  LadleServer *server = ladle_window_get_server (window);
  GtkWidget *server_page = ladle_window_get_page (window, "server");
  g_autofree char *uploads = ladle_test_make_tmpdir ("ladle-ui-window-XXXXXX");
  g_autoptr(GError) error = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toast", "s", "Hello"));
  LADLE_TEST_WAIT_UNTIL (shows_label (GTK_WIDGET (window), "Hello"), 5000);

  ladle_window_set_bench (window, "server");
  ladle_server_set_port (server, 0);
  ladle_server_set_uploads_dir (server, uploads);
  g_assert_true (ladle_server_start (server, &error));
  g_assert_no_error (error);
  g_assert_true (gtk_widget_activate_action (server_page, "server.copy-url", NULL));
  LADLE_TEST_WAIT_UNTIL (shows_label (GTK_WIDGET (window), "Address copied"), 5000);

  destroy_window (window);
  ladle_test_rm_rf (uploads);
}

static GtkWindow *
find_shortcuts_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_SHORTCUTS_WINDOW (window))
        return window;
    }
  return NULL;
}

/* The shortcuts window is built when first asked for, not with the window (start-up time), and
 * then shown again; it goes with its window. */
static void
test_shortcuts_window (void)
{
  LadleWindow *window = new_window (1100, 720);
  GtkWindow *shortcuts;

  g_assert_null (find_shortcuts_window ());
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  shortcuts = find_shortcuts_window ();
  g_assert_nonnull (shortcuts);
  g_assert_true (gtk_window_get_transient_for (shortcuts) == GTK_WINDOW (window));
  LADLE_TEST_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (shortcuts)), 5000);
  g_assert_true (shows_label (GTK_WIDGET (shortcuts), "Requests bench"));
  g_assert_true (shows_label (GTK_WIDGET (shortcuts), "Go to the address bar"));
  ladle_test_ui_wait_for_draw (GTK_WIDGET (shortcuts));
  g_free (ladle_test_ui_screenshot (GTK_WIDGET (shortcuts), "window-shortcuts"));

  gtk_window_close (shortcuts);
  LADLE_TEST_WAIT_UNTIL (!gtk_widget_get_visible (GTK_WIDGET (shortcuts)), 5000);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  g_assert_true (find_shortcuts_window () == shortcuts);
  LADLE_TEST_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (shortcuts)), 5000);

  destroy_window (window);
  LADLE_TEST_WAIT_UNTIL (find_shortcuts_window () == NULL, 5000);
}

/* The main menu's popover is made when it first opens (start-up time), with its items. */
static void
test_main_menu (void)
{
  LadleWindow *window = new_window (1100, 720);
  GtkMenuButton *button = GTK_MENU_BUTTON (ladle_test_ui_find (GTK_WIDGET (window),
                                                               "menu_button"));
  GtkPopover *popover;

  g_assert_nonnull (button);
  g_assert_null (gtk_menu_button_get_popover (button));
  gtk_menu_button_popup (button);
  popover = gtk_menu_button_get_popover (button);
  g_assert_nonnull (popover);
  LADLE_TEST_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (popover)), 5000);
  g_assert_true (shows_label (GTK_WIDGET (popover), "Keyboard Shortcuts"));
  gtk_menu_button_popdown (button);
  LADLE_TEST_WAIT_UNTIL (!gtk_widget_get_mapped (GTK_WIDGET (popover)), 5000);
  gtk_menu_button_popup (button);
  g_assert_true (gtk_menu_button_get_popover (button) == popover);
  LADLE_TEST_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (popover)), 5000);
  gtk_menu_button_popdown (button);

  destroy_window (window);
}

/* What may be cut or overlap in the checks below (ids, widget names or type names; see
 * ladle_test_ui_check_labels()). At the default size: nothing. At 400 pixels: the address
 * field's placeholder ("Address, or paste a curl command") is longer than the field a phone
 * leaves it; it ellipsizes by design, and the field shows what is typed in full by scrolling. */
static const char *wide_allowed[] = { NULL };
static const char *narrow_allowed[] = { "url_entry", NULL };

/* One PNG per bench, wide and narrow, light and dark, English and Russian: look at them. And
 * check what they show: at the default size every label on screen shows all of its text, in
 * English and in Russian; at 400 pixels the window is no wider, no label is cut and nothing
 * overlaps its neighbours in a box. */
static void
test_screenshots (void)
{
  static const struct { const char *size; int width; int height; } sizes[] = {
    { "wide", 1100, 720 },
    { "narrow", 400, 640 },
  };
  static const char *languages[] = { NULL, "ru" };

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    for (guint d = 0; d < 2; d++)
      for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
        {
          LadleWindow *window;

          /* Russian: both themes, wide only; English: everything. */
          if (languages[l] != NULL && s == 1 && d == 1)
            continue;

          ladle_test_ui_set_language (languages[l]);
          ladle_test_ui_set_dark (d == 1);
          window = new_window (sizes[s].width, sizes[s].height);

          for (guint b = 0; b < G_N_ELEMENTS (benches); b++)
            {
              g_autofree char *name = g_strdup_printf ("window-%s-%s-%s-%s", benches[b],
                                                       sizes[s].size, d ? "dark" : "light",
                                                       languages[l] ? languages[l] : "en");
              g_autofree char *path = NULL;

              ladle_window_set_bench (window, benches[b]);
              path = ladle_test_ui_screenshot (GTK_WIDGET (window), name);
              g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
              g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, sizes[s].width);
              ladle_test_ui_assert_layout (GTK_WIDGET (window), s == 1,
                                           s == 1 ? narrow_allowed : wide_allowed, name);
            }

          destroy_window (window);
        }

  ladle_test_ui_set_language (NULL);
  ladle_test_ui_set_dark (FALSE);
}

/* The preferences edit GSettings directly: a control changed is a key changed. */
static void
test_preferences (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  LadlePreferencesWindow *prefs = ladle_preferences_window_new (NULL, settings);
  GtkWidget *scheme = ladle_test_ui_find (GTK_WIDGET (prefs), "color_scheme_row");
  GtkWidget *connect = ladle_test_ui_find (GTK_WIDGET (prefs), "connect_timeout");
  g_autofree char *value = NULL;
  g_autofree char *path = NULL;

  ladle_test_ui_show (GTK_WINDOW (prefs), 560, 640);
  g_assert_nonnull (scheme);
  g_assert_nonnull (connect);

  adw_combo_row_set_selected (ADW_COMBO_ROW (scheme), 2);
  value = g_settings_get_string (settings, "color-scheme");
  g_assert_cmpstr (value, ==, "dark");

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (connect), 2.5);
  g_assert_cmpfloat (g_settings_get_double (settings, "connect-timeout"), ==, 2.5);

  /* And the other way round. */
  g_settings_set_double (settings, "connect-timeout", 7);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (connect)), ==, 7);

  path = ladle_test_ui_screenshot (GTK_WIDGET (prefs), "preferences");
  g_settings_reset (settings, "color-scheme");
  g_settings_reset (settings, "connect-timeout");
  gtk_window_destroy (GTK_WINDOW (prefs));
}

int
main (int   argc,
      char *argv[])
{
  if (!ladle_test_ui_init (&argc, &argv))
    {
      g_test_add_func ("/ladle/ui-window/no-display", (GTestFunc) g_test_incomplete);
      return ladle_test_run ();
    }

  g_test_add_func ("/ladle/ui-window/switch-benches", test_switch_benches);
  g_test_add_func ("/ladle/ui-window/narrow-switcher", test_narrow_switcher);
  g_test_add_func ("/ladle/ui-window/preferences", test_preferences);
  g_test_add_func ("/ladle/ui-window/tab-shortcuts", test_tab_shortcuts);
  g_test_add_func ("/ladle/ui-window/open-in-requests", test_open_in_requests);
  g_test_add_func ("/ladle/ui-window/toast", test_toast);
  g_test_add_func ("/ladle/ui-window/shortcuts-window", test_shortcuts_window);
  g_test_add_func ("/ladle/ui-window/lazy-pages", test_lazy_pages);
  g_test_add_func ("/ladle/ui-window/main-menu", test_main_menu);
  g_test_add_func ("/ladle/ui-window/screenshots", test_screenshots);

  return ladle_test_run ();
}
