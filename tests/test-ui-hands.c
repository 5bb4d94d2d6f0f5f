/* test-ui-hands.c
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

#include "ladle-data-dir.h"
#include "ladle-request-editor.h"
#include "ladle-request-tab.h"
#include "ladle-requests-page.h"
#include "ladle-response-view.h"
#include "ladle-server.h"
#include "ladle-test-input.h"
#include "ladle-test-ui.h"
#include "ladle-window.h"

/* The Requests bench driven only by real X input events (tests/ladle-test-input.h), against an
 * embedded LadleServer on 127.0.0.1: what the user's hands do — clicks, typing, key chords — and
 * so focus and key handling as they really are. The widgets are only read, never driven. */

typedef struct
{
  LadleServer       *server;
  char              *uploads;
  char              *base;
  GtkWindow         *window;
  LadleRequestsPage *page;
} Fixture;

/* The widget under @root named @name; the test fails if there is none. */
static GtkWidget *
find (gpointer    root,
      const char *name)
{
  return ladle_test_ui_get (root, name);
}

static GtkWidget *
tab_find (Fixture    *f,
          const char *name)
{
  return find (ladle_requests_page_get_current_tab (f->page), name);
}

static LadleResponseView *
response_view (Fixture *f)
{
  return LADLE_RESPONSE_VIEW (tab_find (f, "response_view"));
}

static const char *
state (Fixture *f)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (find (response_view (f), "state_stack")));
}

static gboolean
busy (Fixture *f)
{
  return ladle_requests_page_get_busy (f->page);
}

static char *
response_body (Fixture *f)
{
  return ladle_test_ui_dup_text (find (response_view (f), "body_view"));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *dir = ladle_data_dir_dup (APP_ID);

  f->uploads = ladle_test_make_tmpdir ("ladle-ui-hands-XXXXXX");
  f->server = ladle_test_ui_start_server (f->uploads, &f->base);
  ladle_test_rm_rf (dir);

  f->window = ladle_test_ui_requests_window (NULL, 1100, 720, &f->page);
  ladle_test_input_focus_window (f->window);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  ladle_test_ui_close_requests_window (f->window, f->page);
  ladle_test_ui_stop_server (f->server);
  ladle_test_rm_rf (f->uploads);
  g_free (f->uploads);
  g_free (f->base);
}

static void
wait_for_response (Fixture *f)
{
  LADLE_TEST_WAIT_UNTIL (!busy (f), 10000);
  g_assert_cmpstr (state (f), ==, "response");
  LADLE_TEST_WAIT_UNTIL (ladle_response_view_get_body_ready (response_view (f)), 5000);
}

/* The tutorial's first steps by hand: type the address, Ctrl+Enter, read the answer, then the
 * Body tab, a JSON body typed in, and Ctrl+Enter again. */
static void
test_story (Fixture       *f,
            gconstpointer  data)
{
  GtkWidget *body_view;
  g_autofree char *text = NULL;

  ladle_test_ui_type_url (f->page, f->base, "/");
  ladle_test_input_key ("ctrl+Return");
  wait_for_response (f);
  text = response_body (f);
  g_assert_cmpstr (text, ==, "Hello, World!");
  g_clear_pointer (&text, g_free);

  /* The Body tab of the request, by a click; its kind stays "none" until picked. */
  ladle_test_input_click (ladle_test_ui_button_titled (tab_find (f, "editor_switcher"), "Body"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (tab_find (f, "editor_stack"))),
                   ==, "body");
  /* The response's Headers tab, by a click. */
  ladle_test_input_click (ladle_test_ui_button_titled (find (response_view (f), "view_switcher"),
                                                       "Headers"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (find (response_view (f),
                                                                      "view_stack"))),
                   !=, "body");
  ladle_test_input_click (ladle_test_ui_button_titled (find (response_view (f), "view_switcher"),
                                                       "Body"));

  /* A JSON body: the kind set from the drop-down's model (a popover list, not this test's
   * subject), the text typed by hand. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (tab_find (f, "body_kind_dropdown")), 1);
  body_view = tab_find (f, "body_view");
  LADLE_TEST_WAIT_UNTIL (gtk_widget_get_mapped (body_view), 5000);
  ladle_test_ui_type_url (f->page, f->base, "/post");
  ladle_test_input_click (body_view);
  g_assert_true (gtk_widget_has_focus (body_view));
  ladle_test_input_type ("{\"key\": \"value\"}");
  text = ladle_test_ui_dup_text (body_view);
  g_assert_cmpstr (text, ==, "{\"key\": \"value\"}");
  g_clear_pointer (&text, g_free);
  ladle_test_ui_screenshot (GTK_WIDGET (f->window), "hands-story");
}

/* Issue 12, defect 1: after a mouse click on Send (which turns into Cancel), Escape cancels and
 * Ctrl+Enter sends again, without clicking into a field first. */
static void
test_keys_after_click_on_send (Fixture       *f,
                               gconstpointer  data)
{
  ladle_test_ui_type_url (f->page, f->base, "/delay/5");
  ladle_test_input_click (tab_find (f, "send_button"));
  LADLE_TEST_WAIT_UNTIL (busy (f), 5000);
  g_assert_nonnull (gtk_root_get_focus (GTK_ROOT (f->window)));

  ladle_test_input_key ("Escape");
  LADLE_TEST_WAIT_UNTIL (!busy (f), 2000);

  ladle_test_input_key ("ctrl+Return");
  LADLE_TEST_WAIT_UNTIL (busy (f), 2000);

  /* And the same with the Cancel button clicked: Ctrl+Enter sends afterwards. */
  ladle_test_input_click (tab_find (f, "cancel_button"));
  LADLE_TEST_WAIT_UNTIL (!busy (f), 2000);
  ladle_test_input_key ("ctrl+Return");
  LADLE_TEST_WAIT_UNTIL (busy (f), 2000);
  ladle_test_input_key ("Escape");
  LADLE_TEST_WAIT_UNTIL (!busy (f), 2000);
}

/* Issue 12, defect 2: Ctrl+Enter in the body editor sends, and adds no line break. */
static void
test_send_from_body_editor (Fixture       *f,
                            gconstpointer  data)
{
  GtkWidget *body_view;
  g_autofree char *text = NULL;
  g_autofree char *echoed = NULL;

  /* The method from its menu's action (the menu is not this test's subject). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "request.set-method", "s",
                                             "POST"));
  ladle_test_ui_type_url (f->page, f->base, "/post");
  ladle_test_input_click (ladle_test_ui_button_titled (tab_find (f, "editor_switcher"), "Body"));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (tab_find (f, "body_kind_dropdown")), 1);
  body_view = tab_find (f, "body_view");
  LADLE_TEST_WAIT_UNTIL (gtk_widget_get_mapped (body_view), 5000);
  ladle_test_input_click (body_view);
  g_assert_true (gtk_widget_has_focus (body_view));
  ladle_test_input_type ("{\"n\": 1}");

  ladle_test_input_key ("ctrl+Return");
  text = ladle_test_ui_dup_text (body_view);
  g_assert_cmpstr (text, ==, "{\"n\": 1}");
  LADLE_TEST_WAIT_UNTIL (g_strcmp0 (state (f), "response") == 0 && !busy (f), 10000);
  LADLE_TEST_WAIT_UNTIL (ladle_response_view_get_body_ready (response_view (f)), 5000);
  echoed = response_body (f);
  g_assert_nonnull (strstr (echoed, "\"n\""));
  /* The focus stays where the user was typing. */
  g_assert_true (gtk_widget_has_focus (body_view));
}

/* Issue 12, defect 10: Escape during a send says "Cancelled after N s" and what had arrived
 * (here the status line and part of a dripping body), and the history keeps the request. */
static void
test_cancel_says_so (Fixture       *f,
                     gconstpointer  data)
{
  LadleHistory *history = ladle_requests_page_get_history (f->page);
  g_autoptr(LadleHistoryEntry) latest = NULL;
  const char *detail;

  ladle_test_ui_type_url (f->page, f->base, "/drip?duration=8&numbytes=80");
  ladle_test_input_key ("ctrl+Return");
  LADLE_TEST_WAIT_UNTIL (busy (f), 5000);
  /* Some of the body has arrived */
  LADLE_TEST_WAIT_UNTIL (ladle_exchange_get_bytes_received (
                           ladle_response_view_get_exchange (response_view (f))) > 0, 10000);
  ladle_test_input_key ("Escape");
  LADLE_TEST_WAIT_UNTIL (!busy (f), 5000);
  g_assert_cmpstr (state (f), ==, "cancelled");
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (find (response_view (f),
                                                                        "cancelled_title"))),
                                   "Cancelled after "));
  detail = gtk_label_get_text (GTK_LABEL (find (response_view (f), "cancelled_label")));
  g_assert_true (g_str_has_prefix (detail, "The server had answered 200 OK; "));
  g_assert_nonnull (strstr (detail, " of 80 bytes of the body had arrived."));
  ladle_test_ui_screenshot (GTK_WIDGET (f->window), "hands-cancelled");

  latest = g_list_model_get_item (G_LIST_MODEL (history), 0);
  g_assert_nonnull (latest);
  g_assert_true (g_str_has_prefix (ladle_history_entry_get_error (latest), "Cancelled after "));
}

/* Issue 12, item 11: the keyboard starts in the address bar, and Ctrl+L (Alt+D, F6) takes it
 * back there from anywhere, with the address selected, as in a browser. */
static void
test_address_keys (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *entry = tab_find (f, "url_entry");
  const char *chords[] = { "ctrl+l", "alt+d", "F6" };

  LADLE_TEST_WAIT_UNTIL (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), entry)
                         || gtk_widget_has_focus (entry), 5000);
  /* Typed at once, the address lands in the bar */
  ladle_test_input_type ("127.0.0.1:1/x");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "127.0.0.1:1/x");

  for (guint i = 0; i < G_N_ELEMENTS (chords); i++)
    {
      int start = 0, end = 0;

      /* Somewhere else first (Tab: the next control) */
      ladle_test_input_key ("Tab");
      g_assert_false (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), entry));
      ladle_test_input_key (chords[i]);
      g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), entry));
      g_assert_true (gtk_editable_get_selection_bounds (GTK_EDITABLE (entry), &start, &end));
      g_assert_cmpint (end - start, ==, (int) strlen ("127.0.0.1:1/x"));
    }
  /* …so typing replaces it */
  ladle_test_input_type ("127.0.0.1:2/y");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "127.0.0.1:2/y");
}

/* …and after another bench (Ctrl+2, Ctrl+1: the window's bench action) the keyboard is in the
 * address bar again. */
static void
test_address_after_bench_switch (void)
{
  g_autofree char *data = ladle_data_dir_dup (APP_ID);
  LadleWindow *window;
  LadleRequestsPage *page;
  GtkWidget *entry;

  ladle_test_rm_rf (data);
  window = ladle_window_new (NULL);
  ladle_test_ui_show (GTK_WINDOW (window), 1100, 720);
  ladle_test_input_focus_window (GTK_WINDOW (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.bench", "s", "requests"));
  page = LADLE_REQUESTS_PAGE (ladle_window_get_page (window, "requests"));
  entry = find (ladle_requests_page_get_current_tab (page), "url_entry");
  LADLE_TEST_WAIT_UNTIL (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), entry),
                         5000);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.bench", "s", "server"));
  ladle_test_input_settle ();
  g_assert_false (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), entry));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.bench", "s", "requests"));
  LADLE_TEST_WAIT_UNTIL (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), entry),
                         5000);
  ladle_test_input_type ("127.0.0.1:1/z");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "127.0.0.1:1/z");

  ladle_test_ui_destroy_window (window);
  ladle_test_rm_rf (data);
}

/* Issue 12, item 11: the history shows the request just sent, although the list was scrolled
 * down to older ones. */
static void
test_history_shows_new (Fixture       *f,
                        gconstpointer  data)
{
  LadleHistory *history = ladle_requests_page_get_history (f->page);
  GtkWidget *list = find (f->page, "history_list");
  GtkAdjustment *adjustment;

  for (guint i = 0; i < 80; i++)
    {
      g_autofree char *url = g_strdup_printf ("http://127.0.0.1:1/old/%u", i);
      g_autoptr(LadleRequest) request = ladle_request_new ();
      g_autoptr(LadleHistoryEntry) entry = NULL;

      ladle_request_set_url (request, url);
      entry = ladle_history_entry_new (request, 200, NULL, 1700000000000000 + i, 1000);
      ladle_history_add (history, entry);
    }
  ladle_test_input_click (find (f->page, "history_button"));
  /* The sidebar slides in: clicked once it is in place */
  LADLE_TEST_WAIT_UNTIL (adw_flap_get_reveal_progress (ADW_FLAP (find (f->page, "flap"))) >= 1.0,
                         5000);
  ladle_test_input_click (ladle_test_ui_button_titled (find (f->page, "sidebar_switcher"),
                                                       "History"));
  LADLE_TEST_WAIT_UNTIL (gtk_widget_get_mapped (list), 5000);
  adjustment = gtk_scrolled_window_get_vadjustment (
                 GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (list, GTK_TYPE_SCROLLED_WINDOW)));
  LADLE_TEST_WAIT_UNTIL (gtk_adjustment_get_upper (adjustment) >
                         gtk_adjustment_get_page_size (adjustment) * 2, 5000);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), >, 0);

  ladle_test_ui_type_url (f->page, f->base, "/get?new=1");
  ladle_test_input_key ("ctrl+Return");
  wait_for_response (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 81);
  LADLE_TEST_WAIT_UNTIL (gtk_adjustment_get_value (adjustment) == 0, 5000);
}

/* Ctrl+L, @url typed, Ctrl+Enter, and the wait for the error shown when it is refused */
static void
send_refused (LadleRequestsPage *page,
              LadleResponseView *view,
              const char        *url)
{
  GtkStack *state_stack = GTK_STACK (find (view, "state_stack"));

  ladle_test_input_key ("ctrl+l");
  ladle_test_input_type (url);
  ladle_test_input_key ("ctrl+Return");
  LADLE_TEST_WAIT_UNTIL (!ladle_requests_page_get_busy (page) &&
                         g_strcmp0 (gtk_stack_get_visible_child_name (state_stack), "error") == 0,
                         10000);
}

/* Issue 12, item 11: a request refused on the Server page's port offers to start the server;
 * one click starts it and sends again. */
static void
test_start_local_server (void)
{
  g_autofree char *data = ladle_data_dir_dup (APP_ID);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  guint port = ladle_test_unused_port ();
  g_autofree char *url = g_strdup_printf ("127.0.0.1:%u/get?started=1", port);
  LadleWindow *window;
  LadleRequestsPage *page;
  LadleResponseView *view;
  GtkWidget *button;
  gboolean running = FALSE;

  ladle_test_rm_rf (data);
  g_settings_set_uint (settings, "server-port", port);
  g_settings_set_boolean (settings, "server-autostart", FALSE);
  g_settings_set_string (settings, "bench", "requests");
  window = ladle_window_new (NULL);
  ladle_test_ui_show (GTK_WINDOW (window), 1100, 720);
  ladle_test_input_focus_window (GTK_WINDOW (window));
  page = LADLE_REQUESTS_PAGE (ladle_window_get_page (window, "requests"));
  view = LADLE_RESPONSE_VIEW (find (ladle_requests_page_get_current_tab (page), "response_view"));
  button = find (view, "start_server_button");

  send_refused (page, view, url);
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  ladle_test_ui_screenshot (GTK_WIDGET (window), "hands-start-local-server");

  ladle_test_input_click (button);
  g_object_get (ladle_window_get_page (window, "server"), "running", &running, NULL);
  g_assert_true (running);
  LADLE_TEST_WAIT_UNTIL (!ladle_requests_page_get_busy (page) &&
                         ladle_response_view_get_response (view) != NULL, 10000);
  g_assert_cmpuint (ladle_response_get_status (ladle_response_view_get_response (view)), ==, 200);
  g_assert_cmpstr (ladle_window_get_bench (window), ==, "requests");

  /* Refused elsewhere: no such offer */
  {
    g_autofree char *other = g_strdup_printf ("127.0.0.1:%u/get", ladle_test_unused_port ());

    send_refused (page, view, other);
    g_assert_false (gtk_widget_get_visible (button));
  }

  ladle_test_ui_destroy_window (window);
  g_settings_reset (settings, "server-port");
  g_settings_reset (settings, "server-autostart");
  ladle_test_rm_rf (data);
}

/* The method menu and the request menu get their items when first opened (start-up): a click
 * opens them, and a click on an item does what it says. */
static void
test_menus_on_first_open (Fixture       *f,
                          gconstpointer  data)
{
  GtkMenuButton *method = GTK_MENU_BUTTON (tab_find (f, "method_button"));
  GtkMenuButton *more = GTK_MENU_BUTTON (tab_find (f, "more_button"));
  GtkPopover *popover;

  g_assert_null (gtk_menu_button_get_menu_model (method));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (method)));
  ladle_test_input_click (GTK_WIDGET (method));
  LADLE_TEST_WAIT_UNTIL ((popover = gtk_menu_button_get_popover (method)) != NULL &&
                         gtk_widget_get_mapped (GTK_WIDGET (popover)), 5000);
  ladle_test_input_click_label (GTK_WIDGET (popover), "PATCH");
  LADLE_TEST_WAIT_UNTIL (g_strcmp0 (ladle_request_get_method (ladle_requests_page_get_request (f->page)),
                                    "PATCH") == 0, 5000);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tab_find (f, "method_entry"))), ==,
                   "PATCH");

  g_assert_null (gtk_menu_button_get_menu_model (more));
  ladle_test_input_click (GTK_WIDGET (more));
  LADLE_TEST_WAIT_UNTIL ((popover = gtk_menu_button_get_popover (more)) != NULL &&
                         gtk_widget_get_mapped (GTK_WIDGET (popover)), 5000);
  g_assert_nonnull (gtk_menu_button_get_menu_model (more));
  ladle_test_input_key ("Escape");
  LADLE_TEST_WAIT_UNTIL (!gtk_widget_get_mapped (GTK_WIDGET (popover)), 5000);
}

/* The hands' own resize: the window takes the size given to its X window, and back. */
static void
test_resize (Fixture       *f,
             gconstpointer  data)
{
  GtkWidget *entry = tab_find (f, "url_entry");
  int wide = gtk_widget_get_width (entry);

  ladle_test_input_resize (f->window, 800, 600);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->window)), <=, 800);
  g_assert_cmpint (gtk_widget_get_width (entry), <, wide);
  ladle_test_input_resize (f->window, 1100, 720);
  g_assert_cmpint (gtk_widget_get_width (entry), ==, wide);
}

/* Issue 12, defect 3: narrowing the window to a phone's width and widening it again brings the
 * layout back as it was: the sidebar stays closed unless the user opened it, and the response
 * pane gets its share of the width again (the status badge readable, not "…"). */
static void
test_narrow_and_back (Fixture       *f,
                      gconstpointer  data)
{
  GtkWidget *flap = find (f->page, "flap");
  GtkWidget *tab_widget = GTK_WIDGET (ladle_requests_page_get_current_tab (f->page));
  GtkWidget *response = GTK_WIDGET (response_view (f));
  int tab_width = gtk_widget_get_width (tab_widget);
  int response_width = gtk_widget_get_width (response);

  g_assert_false (adw_flap_get_reveal_flap (ADW_FLAP (flap)));
  g_assert_cmpint (response_width, >=, tab_width * 2 / 5);

  for (guint round = 0; round < 2; round++)
    {
      ladle_test_input_resize (f->window, 400, 700);
      LADLE_TEST_WAIT_UNTIL (gtk_orientable_get_orientation (GTK_ORIENTABLE (tab_find (f, "paned")))
                             == GTK_ORIENTATION_VERTICAL, 5000);
      ladle_test_input_resize (f->window, 1100, 720);
      LADLE_TEST_WAIT_UNTIL (gtk_orientable_get_orientation (GTK_ORIENTABLE (tab_find (f, "paned")))
                             == GTK_ORIENTATION_HORIZONTAL, 5000);
      ladle_test_input_settle ();
      g_assert_false (adw_flap_get_reveal_flap (ADW_FLAP (flap)));
      LADLE_TEST_WAIT_UNTIL (gtk_widget_get_width (response) >= tab_width * 2 / 5, 5000);
    }

  /* The sidebar opened by the user stays open across the same round trip. */
  ladle_test_input_click (find (f->page, "history_button"));
  g_assert_true (adw_flap_get_reveal_flap (ADW_FLAP (flap)));
  ladle_test_input_resize (f->window, 400, 700);
  ladle_test_input_resize (f->window, 1100, 720);
  ladle_test_input_settle ();
  LADLE_TEST_WAIT_UNTIL (!adw_flap_get_folded (ADW_FLAP (flap)), 5000);
  g_assert_true (adw_flap_get_reveal_flap (ADW_FLAP (flap)));
  LADLE_TEST_WAIT_UNTIL (gtk_widget_get_width (response) >= gtk_widget_get_width (tab_widget) * 2 / 5,
                         5000);
}

int
main (int   argc,
      char *argv[])
{
  if (!ladle_test_ui_init (&argc, &argv) || !ladle_test_input_available ())
    {
      g_test_add_func ("/ladle/ui-hands/no-display", (GTestFunc) g_test_incomplete);
      return ladle_test_run ();
    }

  g_test_add ("/ladle/ui-hands/story", Fixture, NULL, fixture_setup, test_story,
              fixture_teardown);
  g_test_add ("/ladle/ui-hands/keys-after-click-on-send", Fixture, NULL, fixture_setup,
              test_keys_after_click_on_send, fixture_teardown);
  g_test_add ("/ladle/ui-hands/send-from-body-editor", Fixture, NULL, fixture_setup,
              test_send_from_body_editor, fixture_teardown);
  g_test_add ("/ladle/ui-hands/narrow-and-back", Fixture, NULL, fixture_setup,
              test_narrow_and_back, fixture_teardown);
  g_test_add ("/ladle/ui-hands/cancel-says-so", Fixture, NULL, fixture_setup,
              test_cancel_says_so, fixture_teardown);
  g_test_add ("/ladle/ui-hands/address-keys", Fixture, NULL, fixture_setup,
              test_address_keys, fixture_teardown);
  g_test_add_func ("/ladle/ui-hands/address-after-bench-switch", test_address_after_bench_switch);
  g_test_add ("/ladle/ui-hands/history-shows-new", Fixture, NULL, fixture_setup,
              test_history_shows_new, fixture_teardown);
  g_test_add_func ("/ladle/ui-hands/start-local-server", test_start_local_server);
  g_test_add ("/ladle/ui-hands/menus-on-first-open", Fixture, NULL, fixture_setup,
              test_menus_on_first_open, fixture_teardown);
  g_test_add ("/ladle/ui-hands/resize", Fixture, NULL, fixture_setup, test_resize,
              fixture_teardown);

  return ladle_test_run ();
}
