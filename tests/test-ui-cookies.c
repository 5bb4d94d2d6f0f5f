/* test-ui-cookies.c
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
#include <json-glib/json-glib.h>

#include "ladle-application.h"
#include "ladle-cookie-store.h"
#include "ladle-cookies-view.h"
#include "ladle-data-dir.h"
#include "ladle-request-tab.h"
#include "ladle-requests-page.h"
#include "ladle-response-view.h"
#include "ladle-test-input.h"
#include "ladle-test-ui.h"
#include "ladle-window.h"
#include "ladle-workspace-sidebar.h"

/* The Cookies window as hands use it (real X input events), against Ladle's own server on
 * 127.0.0.1: Ctrl+Shift+K opens it on the jar the Requests bench sends with; a cookie that
 * /cookies/set sets is listed, live; deleted by a click it is no longer sent; its value edited
 * there is what the server sees next; Delete All is undone from the toast; a past expiry removes
 * the cookie. The Options page's Cookies switch, off, neither sends nor stores. A workspace's jar
 * outlives the window (a new window on the workspace shows and sends its cookies, another
 * workspace has its own, a damaged jar is set aside). Screenshots wide and narrow, light and
 * dark, in English and Russian. */

typedef struct
{
  LadleServer       *server;
  char              *uploads;
  char              *base;
  GtkWindow         *window;
  LadleRequestsPage *page;
} Fixture;

static GtkWidget *
find (gpointer    root,
      const char *name)
{
  return ladle_test_ui_get (root, name);
}

static LadleRequestTab *
tab (Fixture *f)
{
  return ladle_requests_page_get_current_tab (f->page);
}

static LadleResponseView *
response_view (Fixture *f)
{
  return LADLE_RESPONSE_VIEW (find (tab (f), "response_view"));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *dir = ladle_data_dir_dup (APP_ID);

  ladle_test_rm_rf (dir);
  f->uploads = ladle_test_make_tmpdir ("ladle-ui-cookies-XXXXXX");
  f->server = ladle_test_ui_start_server (f->uploads, &f->base);
  f->window = ladle_test_ui_requests_window (NULL, 1100, 720, &f->page);
  ladle_test_input_focus_window (f->window);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *dir = ladle_data_dir_dup (APP_ID);
  GtkWindow *view = ladle_test_ui_find_toplevel (LADLE_TYPE_COOKIES_VIEW);

  if (view != NULL)
    gtk_window_destroy (view);
  if (f->window != NULL)
    ladle_test_ui_destroy_window (f->window);
  ladle_test_ui_stop_server (f->server);
  ladle_test_rm_rf (f->uploads);
  ladle_test_rm_rf (dir);
  g_free (f->uploads);
  g_free (f->base);
}

/* Types @path's URL in the main window and sends it (Ctrl+Enter); returns the cookies the
 * server's /cookies echoed, "a=1,b=2", or "" */
static char *
send (Fixture    *f,
      const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) names = NULL;
  LadleResponse *response;
  GBytes *bytes;
  JsonObject *cookies;
  GString *out = g_string_new (NULL);

  ladle_test_input_focus_window (f->window);
  ladle_test_ui_type_url (f->page, f->base, path);
  ladle_test_input_key ("ctrl+Return");
  LADLE_TEST_WAIT_UNTIL (!ladle_requests_page_get_busy (f->page) &&
                         ladle_response_view_get_response (response_view (f)) != NULL, 10000);
  response = ladle_response_view_get_response (response_view (f));
  g_assert_cmpuint (ladle_response_get_status (response), ==, 200);
  bytes = ladle_response_get_body_bytes (response);
  g_assert_nonnull (bytes);
  json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                              &error);
  g_assert_no_error (error);
  cookies = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                           "cookies");
  names = g_list_sort (json_object_get_members (cookies), (GCompareFunc) g_strcmp0);
  for (GList *l = names; l != NULL; l = l->next)
    g_string_append_printf (out, "%s%s=%s", out->len > 0 ? "," : "", (const char *) l->data,
                            json_object_get_string_member (cookies, l->data));
  return g_string_free (out, FALSE);
}

static LadleCookiesView *
open_view (Fixture *f)
{
  GtkWindow *view;

  ladle_test_input_focus_window (f->window);
  ladle_test_input_key ("ctrl+shift+K");
  LADLE_TEST_WAIT_UNTIL (ladle_test_ui_find_toplevel (LADLE_TYPE_COOKIES_VIEW) != NULL, 5000);
  view = ladle_test_ui_find_toplevel (LADLE_TYPE_COOKIES_VIEW);
  ladle_test_ui_wait_for_draw (GTK_WIDGET (view));
  return LADLE_COOKIES_VIEW (view);
}

static GtkWidget *
row_of (LadleCookiesView *view,
        const char       *name)
{
  return (GtkWidget *) ladle_cookies_view_find_row (view, "127.0.0.1", "/", name);
}

static char *
jar_cookie_value (Fixture    *f,
                  const char *name)
{
  GtkWindow *toplevel = ladle_test_ui_find_toplevel (LADLE_TYPE_COOKIES_VIEW);
  LadleCookiesView *view = LADLE_COOKIES_VIEW (toplevel);
  GSList *all = soup_cookie_jar_all_cookies (ladle_cookies_view_get_jar (view));
  char *value = NULL;

  for (GSList *l = all; l != NULL; l = l->next)
    if (g_strcmp0 (soup_cookie_get_name (l->data), name) == 0)
      value = g_strdup (soup_cookie_get_value (l->data));
  g_slist_free_full (all, (GDestroyNotify) soup_cookie_free);
  return value;
}

/* Opens @row (a click on its header) and types @text into its entry row @entry_name, then Enter */
static void
edit_row (LadleCookiesView *view,
          GtkWidget        *row,
          const char       *entry_name,
          const char       *text)
{
  GtkWidget *entry = find (row, entry_name);

  ladle_test_input_focus_window (GTK_WINDOW (view));
  if (!adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row)))
    {
      ladle_test_input_click (row);
      LADLE_TEST_WAIT_UNTIL (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row)), 2000);
    }
  /* Until the expander's animation has ended, the rows move */
  {
    GtkWidget *revealer = ladle_test_ui_find_by_type (row, GTK_TYPE_REVEALER);

    g_assert_nonnull (revealer);
    LADLE_TEST_WAIT_UNTIL (gtk_revealer_get_child_revealed (GTK_REVEALER (revealer)), 2000);
  }
  LADLE_TEST_WAIT_UNTIL (gtk_widget_get_mapped (entry) && gtk_widget_get_height (entry) > 0, 2000);
  ladle_test_ui_wait_for_draw (GTK_WIDGET (view));
  ladle_test_input_scroll_to (find (view, "scroller"), entry);
  ladle_test_input_click (entry);
  LADLE_TEST_WAIT_UNTIL (ladle_test_ui_has_focus_in (entry), 2000);
  ladle_test_input_key ("ctrl+a");
  ladle_test_input_type_text (text);
  ladle_test_input_key ("Return");
}

static gboolean
jar_has (Fixture    *f,
         const char *name,
         const char *value)
{
  g_autofree char *actual = jar_cookie_value (f, name);

  return g_strcmp0 (actual, value) == 0;
}

static gboolean
shows_label_starting (GtkWidget  *root,
                      const char *prefix)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && gtk_widget_get_mapped (child) &&
          g_str_has_prefix (gtk_label_get_text (GTK_LABEL (child)), prefix))
        return TRUE;
      if (shows_label_starting (child, prefix))
        return TRUE;
    }
  return FALSE;
}

static GtkWidget *
find_label_starting (GtkWidget  *root,
                     const char *prefix)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_LABEL (child) && gtk_widget_get_mapped (child) &&
          g_str_has_prefix (gtk_label_get_text (GTK_LABEL (child)), prefix))
        return child;
      if ((found = find_label_starting (child, prefix)) != NULL)
        return found;
    }
  return NULL;
}

/* A toast's label that has stopped moving: at the same place over three frames (a toast slides
 * in, and a click during that would miss it). */
typedef struct
{
  gint64           frame;
  graphene_point_t point;
  guint            still;
} Settling;

static gboolean
label_settled (GtkWidget  *root,
               const char *prefix,
               Settling   *settling)
{
  GtkWidget *label = find_label_starting (root, prefix);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (root);
  graphene_point_t point;
  gint64 frame;

  if (label == NULL || clock == NULL ||
      !gtk_widget_compute_point (label, root, &GRAPHENE_POINT_INIT (0, 0), &point))
    return FALSE;
  frame = gdk_frame_clock_get_frame_counter (clock);
  if (frame == settling->frame)
    {
      /* A window with nothing moving draws no frame: ask for one, or the label that has
       * already stopped (a loaded machine saw the end of the slide-in late) never counts */
      gtk_widget_queue_draw (root);
      return FALSE;
    }
  settling->frame = frame;
  if (graphene_point_equal (&point, &settling->point))
    settling->still++;
  else
    settling->still = 0;
  settling->point = point;
  return settling->still >= 3;
}

static void
test_delete_and_edit (Fixture       *f,
                      gconstpointer  data)
{
  LadleCookiesView *view;
  GtkWidget *row;
  g_autofree char *sent = NULL;
  g_autofree char *sent2 = NULL;
  g_autofree char *sent3 = NULL;
  g_autofree char *sent4 = NULL;

  sent = send (f, "/cookies/set?flavour=mint");
  g_assert_cmpstr (sent, ==, "flavour=mint");

  /* Ctrl+Shift+K: the cookie, with its value, where and how */
  view = open_view (f);
  row = row_of (view, "flavour");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "flavour");
  g_assert_nonnull (strstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), "127.0.0.1"));
  g_assert_nonnull (strstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), "session"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find (row, "value_row"))), ==, "mint");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find (row, "expiry_row"))), ==, "");
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (find (view, "window_title"))),
                   ==, "1 cookie");

  /* Deleted by a click: gone from the window and the jar, not sent again */
  ladle_test_input_focus_window (GTK_WINDOW (view));
  ladle_test_input_click (find (row, "delete_button"));
  LADLE_TEST_WAIT_UNTIL (row_of (view, "flavour") == NULL, 2000);
  g_assert_true (jar_has (f, "flavour", NULL));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (find (view, "stack"))), ==,
                   "empty");
  sent2 = send (f, "/cookies");
  g_assert_cmpstr (sent2, ==, "");

  /* Live: set again while the window is open */
  g_free (send (f, "/cookies/set?flavour=mint&other=1"));
  LADLE_TEST_WAIT_UNTIL (row_of (view, "flavour") != NULL, 2000);
  g_assert_nonnull (row_of (view, "other"));

  /* The value edited by hand is what the server sees */
  edit_row (view, row_of (view, "flavour"), "value_row", "lemon zest");
  LADLE_TEST_WAIT_UNTIL (jar_has (f, "flavour", "lemon zest"), 2000);
  sent3 = send (f, "/cookies");
  g_assert_cmpstr (sent3, ==, "flavour=lemon zest,other=1");

  /* A value the Cookie header cannot carry is refused, and the cookie kept as it was */
  edit_row (view, row_of (view, "flavour"), "value_row", "a;b");
  LADLE_TEST_WAIT_UNTIL (gtk_widget_has_css_class (find (row_of (view, "flavour"), "value_row"),
                                                   "error"), 2000);
  g_assert_true (jar_has (f, "flavour", "lemon zest"));

  /* An expiry in the past removes it; a date that is not one is refused */
  edit_row (view, row_of (view, "other"), "expiry_row", "someday");
  LADLE_TEST_WAIT_UNTIL (gtk_widget_has_css_class (find (row_of (view, "other"), "expiry_row"),
                                                   "error"), 2000);
  edit_row (view, row_of (view, "other"), "expiry_row", "2001-02-03 04:05");
  LADLE_TEST_WAIT_UNTIL (row_of (view, "other") == NULL, 2000);

  /* Delete All, then Undo in the toast */
  ladle_test_input_focus_window (GTK_WINDOW (view));
  ladle_test_input_click (find (view, "delete_all_button"));
  LADLE_TEST_WAIT_UNTIL (row_of (view, "flavour") == NULL, 2000);
  sent4 = send (f, "/cookies");
  g_assert_cmpstr (sent4, ==, "");
  ladle_test_input_focus_window (GTK_WINDOW (view));
  /* (the toast may wait for the one before it, then slides in) */
  {
    Settling settling = { -1, GRAPHENE_POINT_INIT (0, 0), 0 };

    LADLE_TEST_WAIT_UNTIL (label_settled (GTK_WIDGET (view), "Undo", &settling), 5000);
  }
  ladle_test_input_click_label (GTK_WIDGET (view), "Undo");
  LADLE_TEST_WAIT_UNTIL (row_of (view, "flavour") != NULL, 2000);
  g_assert_true (jar_has (f, "flavour", "lemon zest"));

  /* Escape closes it; Ctrl+Shift+K opens it again, on the same jar */
  ladle_test_input_key ("Escape");
  LADLE_TEST_WAIT_UNTIL (ladle_test_ui_find_toplevel (LADLE_TYPE_COOKIES_VIEW) == NULL, 2000);
  view = open_view (f);
  g_assert_nonnull (row_of (view, "flavour"));
}

/* The Options page's Cookies switch, off: the jar's cookies are not sent, and a cookie set in
 * the answer is not kept (the window stays empty). */
static void
test_switch_off (Fixture       *f,
                 gconstpointer  data)
{
  LadleCookiesView *view;
  GtkWidget *editor = find (tab (f), "editor_stack");
  GtkWidget *switch_;
  g_autofree char *sent = NULL;
  g_autofree char *sent2 = NULL;
  g_autofree char *sent3 = NULL;

  g_free (send (f, "/cookies/set?kept=1"));
  view = open_view (f);
  g_assert_nonnull (row_of (view, "kept"));

  ladle_test_input_focus_window (f->window);
  ladle_test_input_click (ladle_test_ui_button_titled (find (tab (f), "editor_switcher"),
                                                       "Options"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (editor)), ==, "options");
  switch_ = find (tab (f), "cookies_switch");
  ladle_test_input_scroll_to (gtk_widget_get_ancestor (switch_, GTK_TYPE_SCROLLED_WINDOW),
                              switch_);
  ladle_test_input_click (switch_);
  LADLE_TEST_WAIT_UNTIL (!ladle_request_get_use_cookies (ladle_request_tab_get_request (tab (f))),
                         2000);

  sent = send (f, "/cookies/set?stored=no");
  g_assert_cmpstr (sent, ==, ""); /* "kept" not sent, "stored" not kept for the redirect */
  sent2 = send (f, "/cookies");
  g_assert_cmpstr (sent2, ==, "");
  g_assert_null (row_of (view, "stored"));
  g_assert_true (jar_has (f, "stored", NULL));
  g_assert_nonnull (row_of (view, "kept"));

  /* On again: the jar's cookie goes */
  ladle_test_input_click (ladle_test_ui_button_titled (find (tab (f), "editor_switcher"),
                                                       "Options"));
  ladle_test_input_scroll_to (gtk_widget_get_ancestor (switch_, GTK_TYPE_SCROLLED_WINDOW),
                              switch_);
  ladle_test_input_click (switch_);
  LADLE_TEST_WAIT_UNTIL (ladle_request_get_use_cookies (ladle_request_tab_get_request (tab (f))),
                         2000);
  sent3 = send (f, "/cookies");
  g_assert_cmpstr (sent3, ==, "kept=1");
}

/* The main window: "Cookies…" in the main menu, by clicks, opens the window on the Requests
 * bench's jar. */
static void
test_main_menu (Fixture       *f,
                gconstpointer  data)
{
  LadleWindow *window = ladle_window_new (NULL);
  GtkWidget *button;
  GtkPopover *popover;
  GtkWindow *view;

  ladle_test_ui_show (GTK_WINDOW (window), 1100, 720);
  ladle_test_input_focus_window (GTK_WINDOW (window));
  button = find (window, "menu_button");
  ladle_test_input_click (button);
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));
  g_assert_nonnull (popover);
  LADLE_TEST_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (popover)), 5000);
  ladle_test_ui_wait_for_draw (GTK_WIDGET (window));
  ladle_test_input_click_label (GTK_WIDGET (popover), "Cookies…");
  LADLE_TEST_WAIT_UNTIL (ladle_test_ui_find_toplevel (LADLE_TYPE_COOKIES_VIEW) != NULL, 5000);
  view = ladle_test_ui_find_toplevel (LADLE_TYPE_COOKIES_VIEW);
  g_assert_true (gtk_window_get_transient_for (view) == GTK_WINDOW (window));
  gtk_window_destroy (view);

  /* and Ctrl+Shift+K from another bench */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.bench", "s", "server"));
  ladle_test_input_focus_window (GTK_WINDOW (window));
  ladle_test_input_key ("ctrl+shift+K");
  LADLE_TEST_WAIT_UNTIL (ladle_test_ui_find_toplevel (LADLE_TYPE_COOKIES_VIEW) != NULL, 5000);
  gtk_window_destroy (ladle_test_ui_find_toplevel (LADLE_TYPE_COOKIES_VIEW));
  ladle_test_ui_destroy_window (window);
}

static void
open_workspace (Fixture    *f,
                const char *folder)
{
  ladle_workspace_sidebar_open (ladle_requests_page_get_workspace_sidebar (f->page), folder);
}

static const char *
view_subtitle (LadleCookiesView *view)
{
  return adw_window_title_get_subtitle (ADW_WINDOW_TITLE (find (view, "window_title")));
}

/* Whose jar the window says it shows */
static const char *
view_owner (LadleCookiesView *view)
{
  GtkWidget *label = find (view, "owner_label");

  g_assert_true (gtk_widget_get_visible (label));
  return gtk_label_get_label (GTK_LABEL (label));
}

/* A cookie got in a workspace is kept in the data folder (not in the workspace), read back by the
 * next window on that workspace — shown in the Cookies window, which says whose jar it is, and
 * sent; another workspace has its own jar, a damaged one set aside with its good cookies; with no
 * workspace the session's jar is used. */
static void
test_workspace_jar (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *dir = ladle_test_make_tmpdir ("ladle-ui-cookie-ws-XXXXXX");
  g_autofree char *ws_a = g_build_filename (dir, "api-a", NULL);
  g_autofree char *ws_b = g_build_filename (dir, "api-b", NULL);
  g_autofree char *http_a = g_build_filename (ws_a, "a.http", NULL);
  g_autofree char *data_dir = ladle_data_dir_dup (APP_ID);
  g_autofree char *jar_a = ladle_cookie_store_dup_workspace_path (data_dir, ws_a);
  g_autofree char *jar_b = ladle_cookie_store_dup_workspace_path (data_dir, ws_b);
  g_autofree char *jar_b_folder = g_path_get_dirname (jar_b);
  g_autofree char *text = NULL;
  g_autofree char *sent = NULL;
  LadleCookieStore *store;
  LadleCookiesView *view;
  GStatBuf st;

  g_assert_cmpint (g_mkdir (ws_a, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (ws_b, 0700), ==, 0);
  g_assert_true (g_file_set_contents (http_a, "GET http://127.0.0.1/get\n", -1, NULL));

  /* A cookie got in workspace A */
  open_workspace (f, ws_a);
  sent = send (f, "/cookies/set?ws=a1");
  g_assert_cmpstr (sent, ==, "ws=a1");

  /* The window closes: the jar is written (at once, not after the save's delay), and its store
   * goes with the window */
  store = ladle_cookie_store_dup_shared (jar_a);
  g_assert_true (ladle_cookie_store_get_loaded (store));
  g_object_add_weak_pointer (G_OBJECT (store), (gpointer *) &store);
  g_object_unref (store);
  ladle_test_ui_close_requests_window (f->window, f->page);
  f->window = NULL;
  LADLE_TEST_WAIT_UNTIL (store == NULL, 5000);
  g_assert_true (g_file_get_contents (jar_a, &text, NULL, NULL));
  g_test_message ("%s:\n%s", jar_a, text);
  g_assert_nonnull (strstr (text, "127.0.0.1\tFALSE\t/\tFALSE\t0\tws\ta1\n"));
  g_assert_cmpint (g_stat (jar_a, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  /* nothing written into the workspace */
  g_assert_cmpuint (ladle_test_count_entries (ws_a), ==, 1);

  /* What the next window reads is the file: a line added by hand comes in too */
  {
    g_autofree char *more = g_strconcat (text, "127.0.0.1\tFALSE\t/\tFALSE\t0\tfromfile\tyes\n",
                                         NULL);

    g_assert_true (g_file_set_contents (jar_a, more, -1, NULL));
  }

  f->window = ladle_test_ui_requests_window (NULL, 1100, 720, &f->page);
  ladle_test_input_focus_window (f->window);
  open_workspace (f, ws_a);
  view = open_view (f);
  g_assert_nonnull (row_of (view, "ws"));
  g_assert_nonnull (row_of (view, "fromfile"));
  g_assert_cmpstr (view_subtitle (view), ==, "2 cookies");
  g_assert_cmpstr (view_owner (view), ==, "Cookies of the workspace “api-a”");
  ladle_test_ui_show (GTK_WINDOW (view), 620, 560);
  ladle_test_ui_wait_for_draw (GTK_WIDGET (view));
  ladle_test_ui_assert_layout (GTK_WIDGET (view), FALSE, NULL, "cookies view of a workspace");
  g_free (ladle_test_ui_screenshot (GTK_WIDGET (view), "cookies-workspace-en-light-wide"));
  g_clear_pointer (&sent, g_free);
  sent = send (f, "/cookies");
  g_assert_cmpstr (sent, ==, "fromfile=yes,ws=a1");

  /* Workspace B: a jar of its own, damaged (a bad line): set aside, its good cookie loaded. The
   * open Cookies window follows. */
  g_assert_cmpint (g_mkdir_with_parents (jar_b_folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (jar_b, "# Netscape HTTP Cookie File\n"
                                      "127.0.0.1\tFALSE\t/\tFALSE\t0\told\tb0\n"
                                      "this line is not a cookie\n", -1, NULL));
  open_workspace (f, ws_b);
  LADLE_TEST_WAIT_UNTIL (row_of (view, "old") != NULL, 5000);
  g_assert_null (row_of (view, "ws"));
  g_assert_cmpstr (view_subtitle (view), ==, "1 cookie");
  g_assert_cmpstr (view_owner (view), ==, "Cookies of the workspace “api-b”");
  {
    g_autofree char *prefix = g_strconcat (jar_b, ".corrupt-", NULL);
    g_autofree char *base = g_path_get_basename (prefix);
    g_autoptr(GDir) d = g_dir_open (jar_b_folder, 0, NULL);
    const char *name;
    gboolean found = FALSE;

    while ((name = g_dir_read_name (d)) != NULL)
      found = found || g_str_has_prefix (name, base);
    g_assert_true (found);
  }
  g_clear_pointer (&sent, g_free);
  sent = send (f, "/cookies");
  g_assert_cmpstr (sent, ==, "old=b0");
  g_clear_pointer (&sent, g_free);
  sent = send (f, "/cookies/set?ws=b1");
  g_assert_cmpstr (sent, ==, "old=b0,ws=b1");

  /* Back to A: its cookies, not B's */
  open_workspace (f, ws_a);
  g_clear_pointer (&sent, g_free);
  sent = send (f, "/cookies");
  g_assert_cmpstr (sent, ==, "fromfile=yes,ws=a1");

  /* No workspace: the session's jar */
  open_workspace (f, NULL);
  g_assert_cmpstr (view_subtitle (view), ==, "");
  g_assert_cmpstr (view_owner (view), ==, "No workspace open: the session’s cookies");
  g_clear_pointer (&sent, g_free);
  sent = send (f, "/cookies");
  g_assert_cmpstr (sent, ==, "");

  gtk_window_destroy (GTK_WINDOW (view));
  ladle_test_rm_rf (dir);
}

/* A damaged session jar, found when a window starts: a toast says what is wrong and where it was
 * kept, and the good cookie is in the jar. */
static void
test_damaged_jar_toast (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *data_dir = ladle_data_dir_dup (APP_ID);
  g_autofree char *path = ladle_cookie_store_dup_session_path (data_dir);
  g_autofree char *folder = g_path_get_dirname (path);
  LadleCookieStore *store;
  LadleWindow *window;
  LadleCookiesView *view;

  /* The fixture's window has the session's jar loaded: it goes first */
  store = ladle_cookie_store_dup_shared (path);
  g_object_add_weak_pointer (G_OBJECT (store), (gpointer *) &store);
  g_object_unref (store);
  ladle_test_ui_close_requests_window (f->window, f->page);
  f->window = NULL;
  LADLE_TEST_WAIT_UNTIL (store == NULL, 5000);

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "# Netscape HTTP Cookie File\n"
                                      "127.0.0.1\tFALSE\t/\tFALSE\t0\tkept\tyes\n"
                                      "127.0.0.1\tFALSE\t/\tFALSE\tsoon\tbad\tline\n", -1, NULL));

  window = ladle_window_new (NULL);
  ladle_test_ui_show (GTK_WINDOW (window), 1100, 720);
  LADLE_TEST_WAIT_UNTIL (shows_label_starting (GTK_WIDGET (window),
                                               "The cookie jar needs attention: Cookies… "
                                               "(Ctrl+Shift+K) says why"),
                         5000);
  ladle_test_ui_wait_for_draw (GTK_WIDGET (window));
  g_free (ladle_test_ui_screenshot (GTK_WIDGET (window), "cookies-damaged-jar-toast-en"));

  ladle_test_input_focus_window (GTK_WINDOW (window));
  ladle_test_input_key ("ctrl+shift+K");
  LADLE_TEST_WAIT_UNTIL (ladle_test_ui_find_toplevel (LADLE_TYPE_COOKIES_VIEW) != NULL, 5000);
  view = LADLE_COOKIES_VIEW (ladle_test_ui_find_toplevel (LADLE_TYPE_COOKIES_VIEW));
  g_assert_nonnull (row_of (view, "kept"));
  g_assert_null (row_of (view, "bad"));
  /* the whole story there: which line, and where the file was kept */
  {
    GtkWidget *label = find (view, "problem_label");
    const char *text = gtk_label_get_label (GTK_LABEL (label));

    g_assert_true (gtk_widget_get_visible (label));
    g_test_message ("%s", text);
    g_assert_true (g_str_has_prefix (text, "The cookie jar has lines that do not read ("));
    g_assert_nonnull (strstr (text, "session.txt:3: the expiry field is not a number"));
    g_assert_nonnull (strstr (text, "session.txt.corrupt-"));
    g_assert_nonnull (strstr (text, "its 1 other cookie was loaded"));
  }
  ladle_test_ui_show (GTK_WINDOW (view), 620, 560);
  ladle_test_ui_wait_for_draw (GTK_WIDGET (view));
  ladle_test_ui_assert_layout (GTK_WIDGET (view), FALSE, NULL, "cookies view with a problem");
  g_free (ladle_test_ui_screenshot (GTK_WIDGET (view), "cookies-damaged-jar-en"));
  gtk_window_destroy (GTK_WINDOW (view));
  ladle_test_ui_destroy_window (window);
}

/* The whole application, quit with Ctrl+Q right after a cookie came (before the save's delay):
 * GTK does not destroy the windows, and the jar is written at the application's shutdown. */
typedef struct
{
  Fixture      *f;
  GApplication *app;
  gboolean      driven;
} QuitRun;

static void
quit_drive (gpointer data)
{
  QuitRun *run = data;
  GtkWindow *window = NULL;
  LadleRequestsPage *page;

  LADLE_TEST_WAIT_UNTIL ((window = gtk_application_get_active_window (GTK_APPLICATION (run->app)))
                         != NULL, 10000);
  ladle_window_set_bench (LADLE_WINDOW (window), "requests");
  ladle_test_ui_wait_for_draw (GTK_WIDGET (window));
  page = LADLE_REQUESTS_PAGE (ladle_window_get_page (LADLE_WINDOW (window), "requests"));
  ladle_test_input_focus_window (window);
  ladle_test_ui_type_url (page, run->f->base, "/cookies/set?quit=saved");
  ladle_test_input_key ("ctrl+Return");
  LADLE_TEST_WAIT_UNTIL (!ladle_requests_page_get_busy (page), 10000);
  run->driven = TRUE;
  ladle_test_input_focus_window (window);
  ladle_test_input_key ("ctrl+q");
}

static void
quit_activated_cb (GApplication *app,
                   QuitRun      *run)
{
  if (!run->driven)
    g_idle_add_once (quit_drive, run);
}

static void
test_app_quit (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *data_dir = ladle_data_dir_dup (APP_ID);
  g_autofree char *path = ladle_cookie_store_dup_session_path (data_dir);
  g_autofree char *text = NULL;
  QuitRun run = { f, NULL, FALSE };
  GList *toplevels;

  /* The fixture's window would keep the session's jar open: this one is the application's */
  ladle_test_ui_close_requests_window (f->window, f->page);
  f->window = NULL;

  run.app = g_object_new (LADLE_TYPE_APPLICATION,
                          "application-id", APP_ID,
                          "resource-base-path", "/io/github/ladle/Ladle",
                          "flags", G_APPLICATION_NON_UNIQUE,
                          NULL);
  g_signal_connect_after (run.app, "activate", G_CALLBACK (quit_activated_cb), &run);
  g_assert_cmpint (g_application_run (run.app, 0, NULL), ==, 0);
  g_assert_true (run.driven);

  /* Written by the shutdown, the window still there */
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\tquit\tsaved\n"));
  /* The open tabs too (their save was still pending: it waits 1 s after a change) */
  {
    g_autofree char *tabs_path = g_build_filename (data_dir, "tabs.json", NULL);
    g_autofree char *tabs = NULL;

    g_assert_true (g_file_get_contents (tabs_path, &tabs, NULL, NULL));
    g_assert_nonnull (strstr (tabs, "/cookies/set?quit=saved"));
  }

  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (LADLE_IS_WINDOW (l->data))
      gtk_window_destroy (l->data);
  g_list_free (toplevels);
  ladle_test_ui_spin (200);
  g_object_unref (run.app);
}

static void
add_cookie (SoupCookieJar *jar,
            const char    *name,
            const char    *value,
            const char    *domain,
            const char    *path,
            int            max_age,
            gboolean       secure,
            gboolean       http_only)
{
  SoupCookie *cookie = soup_cookie_new (name, value, domain, path, max_age);

  soup_cookie_set_secure (cookie, secure);
  soup_cookie_set_http_only (cookie, http_only);
  soup_cookie_jar_add_cookie (jar, cookie);
}

static void
test_screenshots (Fixture       *f,
                  gconstpointer  data)
{
  const char *languages[] = { "en", "ru" };
  SoupCookieJar *jar;
  LadleCookiesView *view = open_view (f);

  /* Empty first */
  ladle_test_ui_show (GTK_WINDOW (view), 620, 560);
  g_free (ladle_test_ui_screenshot (GTK_WIDGET (view), "cookies-empty-en-light-wide"));
  jar = ladle_cookies_view_get_jar (view);
  gtk_window_destroy (GTK_WINDOW (view));

  add_cookie (jar, "session_id", "3f9a0c1e-8b7d-4c2a-9e61-0d5b7f2a4c88", "127.0.0.1", "/", -1,
              FALSE, TRUE);
  add_cookie (jar, "theme", "dark", ".example.com", "/", 30 * 24 * 3600, TRUE, FALSE);
  add_cookie (jar, "cart", "item=42&qty=1", "shop.example.com", "/checkout/basket", 3600, TRUE,
              TRUE);

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    for (guint dark = 0; dark < 2; dark++)
      for (guint narrow = 0; narrow < 2; narrow++)
        {
          g_autofree char *name = NULL;
          GtkWidget *row;

          ladle_test_ui_set_language (languages[l]);
          ladle_test_ui_set_dark (dark);
          g_autofree char *owner = NULL;

          view = ladle_cookies_view_new (f->window, jar);
          /* whose jar, as the Requests page words it */
          owner = g_strdup_printf (_("Cookies of the workspace “%s”"), "payments-api");
          ladle_cookies_view_set_jar (view, jar, owner);
          ladle_test_ui_show (GTK_WINDOW (view), narrow ? 360 : 620, 560);
          row = (GtkWidget *) ladle_cookies_view_find_row (view, "shop.example.com",
                                                          "/checkout/basket", "cart");
          g_assert_nonnull (row);
          adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
          ladle_test_ui_spin (300); /* the expander's animation */
          ladle_test_ui_wait_for_draw (GTK_WIDGET (view));
          ladle_test_ui_assert_layout (GTK_WIDGET (view), FALSE, NULL, "cookies view");
          name = g_strdup_printf ("cookies-%s-%s-%s", languages[l], dark ? "dark" : "light",
                                  narrow ? "narrow" : "wide");
          g_free (ladle_test_ui_screenshot (GTK_WIDGET (view), name));
          gtk_window_destroy (GTK_WINDOW (view));
        }
  ladle_test_ui_set_language (NULL);
  ladle_test_ui_set_dark (FALSE);
}

int
main (int   argc,
      char *argv[])
{
  if (!ladle_test_ui_init (&argc, &argv) || !ladle_test_input_available ())
    {
      g_test_add_func ("/ladle/ui-cookies/no-display", (GTestFunc) g_test_incomplete);
      return ladle_test_run ();
    }

  g_test_add ("/ladle/ui-cookies/delete-and-edit", Fixture, NULL, fixture_setup,
              test_delete_and_edit, fixture_teardown);
  g_test_add ("/ladle/ui-cookies/switch-off", Fixture, NULL, fixture_setup,
              test_switch_off, fixture_teardown);
  g_test_add ("/ladle/ui-cookies/main-menu", Fixture, NULL, fixture_setup,
              test_main_menu, fixture_teardown);
  g_test_add ("/ladle/ui-cookies/workspace-jar", Fixture, NULL, fixture_setup,
              test_workspace_jar, fixture_teardown);
  g_test_add ("/ladle/ui-cookies/damaged-jar-toast", Fixture, NULL, fixture_setup,
              test_damaged_jar_toast, fixture_teardown);
  g_test_add ("/ladle/ui-cookies/app-quit", Fixture, NULL, fixture_setup,
              test_app_quit, fixture_teardown);
  g_test_add ("/ladle/ui-cookies/screenshots", Fixture, NULL, fixture_setup,
              test_screenshots, fixture_teardown);

  return ladle_test_run ();
}
