/* test-ui-workspace.c
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

#include <glib/gstdio.h>

#include "ladle-data-dir.h"
#include "ladle-error.h"
#include "ladle-request-tab.h"
#include "ladle-requests-page.h"
#include "ladle-server.h"
#include "ladle-server-event.h"
#include "ladle-test-ui.h"
#include "ladle-window.h"
#include "ladle-workspace-sidebar.h"

/* The Requests bench with a workspace: a temporary folder of .http files in the sidebar, its
 * requests opened in tabs, saved with Ctrl+S, sent to an embedded LadleServer on 127.0.0.1. */

typedef struct
{
  LadleServer       *server;
  char              *uploads;
  char              *base;
  char              *dir;
  GtkWindow         *window;
  LadleRequestsPage *page;
  GPtrArray         *logged;     /* LadleServerEvent */
} Fixture;

static GtkWidget *
find (gpointer    root,
      const char *name)
{
  GtkWidget *widget = ladle_test_ui_find (GTK_WIDGET (root), name);

  g_assert_nonnull (widget);
  return widget;
}

static void
open_window (Fixture *f,
             int      width,
             int      height)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *overlay = adw_toast_overlay_new ();
  static GtkCssProvider *css = NULL;

  if (css == NULL)
    {
      css = gtk_css_provider_new ();
      gtk_css_provider_load_from_resource (css, "/io/github/ladle/Ladle/style.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                  GTK_STYLE_PROVIDER (css),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    }
  f->window = GTK_WINDOW (adw_window_new ());
  f->page = g_object_new (LADLE_TYPE_REQUESTS_PAGE, "vexpand", TRUE, NULL);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new ("Ladle", NULL));
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (f->page));
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), box);
  adw_window_set_content (ADW_WINDOW (f->window), overlay);
  ladle_test_ui_show (f->window, width, height);
  adw_flap_set_reveal_flap (ADW_FLAP (find (f->page, "flap")), TRUE);
}

static void
close_window (Fixture *f)
{
  GtkWindow *window = f->window;

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (window);
  LADLE_TEST_WAIT_UNTIL (window == NULL, 5000);
  f->window = NULL;
}

static void
on_request_logged (LadleServer      *server,
                   LadleServerEvent *event,
                   Fixture          *f)
{
  g_ptr_array_add (f->logged, g_object_ref (event));
}

static void
write_file (Fixture    *f,
            const char *relative,
            const char *text)
{
  g_autofree char *path = g_build_filename (f->dir, relative, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
}

static char *
read_file (Fixture    *f,
           const char *relative)
{
  g_autofree char *path = g_build_filename (f->dir, relative, NULL);
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->uploads = ladle_test_make_tmpdir ("ladle-ui-workspace-up-XXXXXX");
  f->dir = ladle_test_make_tmpdir ("ladle-ui-workspace-XXXXXX");
  f->logged = g_ptr_array_new_with_free_func (g_object_unref);
  f->server = ladle_server_new ();
  ladle_server_set_port (f->server, 0);
  ladle_server_set_uploads_dir (f->server, f->uploads);
  g_signal_connect (f->server, "request-logged", G_CALLBACK (on_request_logged), f);
  g_assert_true (ladle_server_start (f->server, &error));
  g_assert_no_error (error);
  f->base = g_strdup_printf ("http://127.0.0.1:%u", ladle_server_get_bound_port (f->server));
  {
    g_autofree char *data_dir = ladle_data_dir_dup (APP_ID);

    ladle_test_rm_rf (data_dir);
  }
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->window != NULL)
    close_window (f);
  ladle_server_stop (f->server);
  g_signal_handlers_disconnect_by_data (f->server, f);
  g_assert_finalize_object (f->server);
  g_ptr_array_unref (f->logged);
  ladle_test_rm_rf (f->uploads);
  ladle_test_rm_rf (f->dir);
  g_free (f->uploads);
  g_free (f->dir);
  g_free (f->base);
  ladle_test_ui_set_dark (FALSE);
}

static LadleWorkspaceSidebar *
sidebar (Fixture *f)
{
  return ladle_requests_page_get_workspace_sidebar (f->page);
}

static GListModel *
rows (Fixture *f)
{
  return ladle_workspace_sidebar_get_rows (sidebar (f));
}

/* The rows' names, joined with "|", expanded children indented by "  ". */
static char *
row_names (Fixture *f)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (rows (f)); i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows (f), i);
      g_autoptr(LadleWorkspaceNode) node = gtk_tree_list_row_get_item (row);

      if (i > 0)
        g_string_append_c (out, '|');
      for (guint d = 0; d < gtk_tree_list_row_get_depth (row); d++)
        g_string_append (out, "  ");
      g_string_append (out, ladle_workspace_node_get_name (node));
    }
  return g_string_free (out, FALSE);
}

static gboolean
rows_are (Fixture    *f,
          const char *expected)
{
  g_autofree char *names = row_names (f);

  return strcmp (names, expected) == 0;
}

static void
expand_row (Fixture *f,
            guint    position)
{
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows (f), position);

  gtk_tree_list_row_set_expanded (row, TRUE);
}

static LadleWorkspace *
open_workspace (Fixture *f)
{
  LadleWorkspace *workspace;

  ladle_workspace_sidebar_open (sidebar (f), f->dir);
  workspace = ladle_workspace_sidebar_get_workspace (sidebar (f));
  g_assert_nonnull (workspace);
  LADLE_TEST_WAIT_UNTIL (!ladle_workspace_get_loading (workspace), 10000);
  return workspace;
}

static gboolean
parser_reads_requests (void)
{
  g_autoptr(LadleHttpFile) file = ladle_http_file_parse (NULL, "GET http://a/\n", -1);

  return ladle_http_file_get_entries (file)->len == 1;
}

/* Activates the page's shortcut for @accel (e.g. "<Control>s") as a key press would: through the
 * widget's shortcut controllers. */
static void
press_shortcut (GtkWidget  *widget,
                const char *accel)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  g_autoptr(GtkShortcutTrigger) wanted = gtk_shortcut_trigger_parse_string (accel);

  g_assert_nonnull (wanted);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted))
            {
              g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0,
                                                           widget,
                                                           gtk_shortcut_get_arguments (shortcut)));
              return;
            }
        }
    }
  g_error ("no shortcut %s on %s", accel, G_OBJECT_TYPE_NAME (widget));
}

static void
test_tree (Fixture       *f,
           gconstpointer  data)
{
  write_file (f, "b.http", "### one\nGET http://127.0.0.1/one\n\n### two\nPOST http://127.0.0.1/two\n");
  write_file (f, "api/users.http", "### list users\nGET http://127.0.0.1/users\n");
  write_file (f, "node_modules/x.http", "GET http://127.0.0.1/x\n");
  open_window (f, 1100, 720);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (find (sidebar (f), "stack"))), ==,
                   "none");

  open_workspace (f);
  LADLE_TEST_WAIT_UNTIL (rows_are (f, "api|b.http"), 5000);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (find (sidebar (f), "stack"))), ==,
                   "tree");
  expand_row (f, 0);
  g_assert_true (rows_are (f, "api|  users.http|b.http"));

  if (!parser_reads_requests ())
    return;

  expand_row (f, 2);
  g_assert_true (rows_are (f, "api|  users.http|b.http|  one|  two"));
  /* The filter keeps the parents of what matches (by name or URL). */
  ladle_workspace_sidebar_set_filter (sidebar (f), "USERS");
  LADLE_TEST_WAIT_UNTIL (rows_are (f, "api|  users.http|    list users"), 2000);
  ladle_workspace_sidebar_set_filter (sidebar (f), "127.0.0.1/two");
  LADLE_TEST_WAIT_UNTIL (rows_are (f, "b.http|  two"), 2000);
  ladle_workspace_sidebar_set_filter (sidebar (f), "nothing like it");
  LADLE_TEST_WAIT_UNTIL (g_list_model_get_n_items (rows (f)) == 0, 2000);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (find (sidebar (f), "stack"))), ==,
                   "no-match");
  ladle_workspace_sidebar_set_filter (sidebar (f), "");
  LADLE_TEST_WAIT_UNTIL (rows_are (f, "api|b.http"), 2000);
  ladle_test_ui_screenshot (GTK_WIDGET (f->window), "workspace-tree");
}

static void
test_open_and_save (Fixture       *f,
                    gconstpointer  data)
{
  const char *text =
    "@host = http://127.0.0.1\n"
    "\n"
    "### first\n"
    "GET {{host}}/first\n"
    "\n"
    "### second\n"
    "# a comment that stays\n"
    "POST {{host}}/second\n"
    "Content-Type: application/json\n"
    "\n"
    "{\"a\": 1, \"at\": \"{{host}}\"}\n"
    "\n"
    "?? status == 200\n"
    "\n"
    "### third\n"
    "GET {{host}}/third\n";
  LadleRequestTab *tab;
  LadleRequest *request;
  g_autofree char *after = NULL;
  const char *first_end;
  const char *third_start;

  if (!parser_reads_requests ())
    {
      g_test_skip ("the .http parser of this build reads no requests");
      return;
    }
  write_file (f, "api.http", text);
  open_window (f, 1100, 720);
  open_workspace (f);
  LADLE_TEST_WAIT_UNTIL (rows_are (f, "api.http"), 5000);
  expand_row (f, 0);
  g_assert_true (rows_are (f, "api.http|  first|  second|  third"));

  /* Activating a request opens it in the (blank) tab, {{…}} as written. */
  g_signal_emit_by_name (find (sidebar (f), "list_view"), "activate", 2);
  tab = ladle_requests_page_get_current_tab (f->page);
  g_assert_cmpuint (adw_tab_view_get_n_pages (ladle_requests_page_get_tab_view (f->page)), ==, 1);
  request = ladle_request_tab_get_request (tab);
  g_assert_cmpstr (ladle_request_get_method (request), ==, "POST");
  g_assert_cmpstr (ladle_request_get_url (request), ==, "{{host}}/second");
  g_assert_cmpint (ladle_request_get_body_kind (request), ==, LADLE_BODY_JSON);
  g_assert_cmpstr (ladle_request_get_body_text (request), ==, "{\"a\": 1, \"at\": \"{{host}}\"}");
  {
    /* The body's {{host}} (a file variable) is marked as defined. */
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (find (tab, "body_view")));
    GtkTextTag *tag;
    GtkTextIter iter;

    LADLE_TEST_WAIT_UNTIL (gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer),
                                                      "ladle-variable") != NULL, 5000);
    tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "ladle-variable");
    gtk_text_buffer_get_iter_at_offset (buffer, &iter, strlen ("{\"a\": 1, \"at\": \"{{"));
    LADLE_TEST_WAIT_UNTIL (gtk_text_iter_has_tag (&iter, tag), 5000);
    gtk_text_buffer_get_iter_at_offset (buffer, &iter, 2);
    g_assert_false (gtk_text_iter_has_tag (&iter, tag));
  }
  g_assert_false (ladle_request_tab_get_dirty (tab));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find (tab, "origin_label"))), ==,
                   "api.http › second");
  g_assert_cmpstr (ladle_request_tab_get_title (tab), ==, "second");

  /* Activating it again selects the same tab. */
  g_signal_emit_by_name (find (sidebar (f), "list_view"), "activate", 2);
  g_assert_cmpuint (adw_tab_view_get_n_pages (ladle_requests_page_get_tab_view (f->page)), ==, 1);

  /* An edit marks the tab; Ctrl+S writes only that request's bytes. */
  gtk_editable_set_text (GTK_EDITABLE (find (tab, "url_entry")), "{{host}}/second-edited");
  g_assert_true (ladle_request_tab_get_dirty (tab));
  g_assert_true (g_str_has_prefix (ladle_request_tab_get_title (tab), "• "));
  press_shortcut (GTK_WIDGET (f->page), "<Control>s");
  g_assert_false (ladle_request_tab_get_dirty (tab));
  after = read_file (f, "api.http");
  first_end = strstr (text, "### second");
  third_start = strstr (text, "### third");
  g_assert_true (g_str_has_prefix (after, "@host = http://127.0.0.1\n\n### first\nGET {{host}}/first\n\n"));
  g_assert_true (strncmp (after, text, first_end - text) == 0);
  g_assert_true (g_str_has_suffix (after, third_start));
  g_assert_nonnull (strstr (after, "POST {{host}}/second-edited\n"));
  /* What the tab does not show is kept. */
  g_assert_nonnull (strstr (after, "?? status == 200"));
  g_assert_null (strstr (after, "{{host}}/second\n"));
  /* The sidebar follows. */
  LADLE_TEST_WAIT_UNTIL (rows_are (f, "api.http|  first|  second|  third"), 2000);

  /* A body that would not read back as the same request is not written: the file stays, the
   * edit stays unsaved. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *before = read_file (f, "api.http");
    g_autofree char *unchanged = NULL;

    ladle_request_set_body_text (request, "{\"a\": 1}\n### not a request\n");
    g_assert_true (ladle_request_tab_get_dirty (tab));
    g_assert_false (ladle_request_tab_save (tab, &error));
    g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
    unchanged = read_file (f, "api.http");
    g_assert_cmpstr (unchanged, ==, before);
    g_assert_true (ladle_request_tab_get_dirty (tab));
    ladle_request_set_body_text (request, "{\"a\": 1, \"at\": \"{{host}}\"}");
  }
  ladle_test_ui_screenshot (GTK_WIDGET (f->window), "workspace-saved");
}

static void
test_external_change (Fixture       *f,
                      gconstpointer  data)
{
  LadleWorkspace *workspace;

  write_file (f, "a.http", "### a\nGET http://127.0.0.1/a\n");
  open_window (f, 1100, 720);
  workspace = open_workspace (f);
  ladle_workspace_set_debounce (workspace, 50);
  LADLE_TEST_WAIT_UNTIL (rows_are (f, "a.http"), 5000);

  /* A file made outside shows up within 5 s. */
  write_file (f, "b.http", "### b\nGET http://127.0.0.1/b\n");
  LADLE_TEST_WAIT_UNTIL (rows_are (f, "a.http|b.http"), 5000);

  if (!parser_reads_requests ())
    return;

  /* A clean tab follows its file; a tab with edits asks, losing nothing. */
  expand_row (f, 0);
  g_signal_emit_by_name (find (sidebar (f), "list_view"), "activate", 1);
  {
    LadleRequestTab *tab = ladle_requests_page_get_current_tab (f->page);
    LadleRequest *request;

    write_file (f, "a.http", "### a\nGET http://127.0.0.1/a-outside\n");
    LADLE_TEST_WAIT_UNTIL (g_strcmp0 (ladle_request_get_url (ladle_request_tab_get_request (tab)),
                                      "http://127.0.0.1/a-outside") == 0, 5000);
    g_assert_false (ladle_request_tab_get_file_changed_shown (tab));

    gtk_editable_set_text (GTK_EDITABLE (find (tab, "url_entry")), "http://127.0.0.1/mine");
    write_file (f, "a.http", "### a\nGET http://127.0.0.1/a-outside-again\n");
    LADLE_TEST_WAIT_UNTIL (ladle_request_tab_get_file_changed_shown (tab), 5000);
    request = ladle_request_tab_get_request (tab);
    g_assert_cmpstr (ladle_request_get_url (request), ==, "http://127.0.0.1/mine");
    ladle_test_ui_screenshot (GTK_WIDGET (f->window), "workspace-changed-on-disk");
    /* Reload takes the file's. */
    gtk_info_bar_response (GTK_INFO_BAR (find (tab, "changed_bar")), 1);
    g_assert_cmpstr (ladle_request_get_url (ladle_request_tab_get_request (tab)), ==,
                     "http://127.0.0.1/a-outside-again");
    g_assert_false (ladle_request_tab_get_dirty (tab));
  }
}

static gboolean
logged_path (Fixture    *f,
             const char *path)
{
  for (guint i = 0; i < f->logged->len; i++)
    {
      const char *logged = ladle_server_event_get_path (g_ptr_array_index (f->logged, i));
      gsize length = strcspn (logged, "?");

      if (length == strlen (path) && strncmp (logged, path, length) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
attributes_have (GtkWidget  *entry,
                 const char *needle)
{
  PangoAttrList *list = gtk_entry_get_attributes (GTK_ENTRY (entry));
  g_autofree char *text = list != NULL ? pango_attr_list_to_string (list) : NULL;

  return text != NULL && strstr (text, needle) != NULL;
}

/* The environment chosen decides what {{host}} becomes in the request sent; the tab keeps
 * {{host}}. */
static void
test_environment (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *env = NULL;
  LadleRequestTab *tab;

  if (!parser_reads_requests ())
    {
      g_test_skip ("the .http parser of this build reads no requests");
      return;
    }
  env = g_strdup_printf ("{\"dev\": {\"host\": \"%s\"}, \"staging\": {\"host\": \"%s/staging\"}}",
                         f->base, f->base);
  write_file (f, "http-client.env.json", env);
  write_file (f, "api.http", "### check\nGET {{host}}/env-check?who={{who}}\nX-Host: {{host}}\n");
  write_file (f, "http-client.private.env.json", "{\"$shared\": {\"who\": \"me\"}}");
  open_window (f, 1100, 720);
  open_workspace (f);
  LADLE_TEST_WAIT_UNTIL (rows_are (f, "api.http"), 5000);
  {
    GListModel *names = ladle_requests_page_get_environments (f->page);

    LADLE_TEST_WAIT_UNTIL (g_list_model_get_n_items (names) == 3, 5000);
    g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (names), 1), ==, "dev");
    g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (names), 2), ==, "staging");
  }
  expand_row (f, 0);
  g_signal_emit_by_name (find (sidebar (f), "list_view"), "activate", 1);
  tab = ladle_requests_page_get_current_tab (f->page);

  ladle_requests_page_set_environment (f->page, "dev");
  {
    GtkWidget *url = find (tab, "url_entry");
    const char *tooltip = gtk_widget_get_tooltip_text (url);
    g_autofree char *expected = g_strdup_printf ("{{host}} = %s (http-client.env.json)", f->base);
    g_autofree char *attributes = pango_attr_list_to_string (gtk_entry_get_attributes (GTK_ENTRY (url)));

    /* What {{…}} stand for, a secret's value masked; both shown in bold. */
    g_assert_nonnull (tooltip);
    g_assert_nonnull (strstr (tooltip, expected));
    g_assert_nonnull (strstr (tooltip, "{{who}} = •••••• (http-client.private.env.json)"));
    g_assert_nonnull (strstr (attributes, "weight bold"));
    g_assert_null (strstr (attributes, "underline error"));
  }
  {
    /* The header's value too. */
    GtkWidget *headers = find (tab, "headers_list");
    GtkWidget *row = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (headers), 0));
    GtkWidget *value = find (row, "value_entry");

    LADLE_TEST_WAIT_UNTIL (gtk_entry_get_attributes (GTK_ENTRY (value)) != NULL, 5000);
    {
      g_autofree char *attributes = pango_attr_list_to_string (gtk_entry_get_attributes (GTK_ENTRY (value)));

      g_assert_nonnull (strstr (attributes, "weight bold"));
      g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (value), "{{host}} = "));
    }
  }
  gtk_widget_activate_action (GTK_WIDGET (f->page), "request.send", NULL);
  LADLE_TEST_WAIT_UNTIL (logged_path (f, "/env-check"), 10000);
  LADLE_TEST_WAIT_UNTIL (!ladle_request_tab_get_busy (tab), 10000);

  ladle_requests_page_set_environment (f->page, "staging");
  gtk_widget_activate_action (GTK_WIDGET (f->page), "request.send", NULL);
  LADLE_TEST_WAIT_UNTIL (logged_path (f, "/staging/env-check"), 10000);
  LADLE_TEST_WAIT_UNTIL (!ladle_request_tab_get_busy (tab), 10000);
  {
    LadleServerEvent *last = g_ptr_array_index (f->logged, f->logged->len - 1);

    g_assert_true (g_str_has_suffix (ladle_server_event_get_path (last), "?who=me"));
  }
  /* The tab still shows what the file says. */
  g_assert_cmpstr (ladle_request_get_url (ladle_request_tab_get_request (tab)), ==,
                   "{{host}}/env-check?who={{who}}");
  g_assert_false (ladle_request_tab_get_dirty (tab));

  /* Without an environment, {{host}} is not defined: nothing goes out, the user is told where. */
  ladle_requests_page_set_environment (f->page, NULL);
  {
    GtkWidget *url = find (tab, "url_entry");
    g_autofree char *attributes = pango_attr_list_to_string (gtk_entry_get_attributes (GTK_ENTRY (url)));

    GtkWidget *header = find (GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (find (tab, "headers_list")), 0)),
                              "value_entry");

    /* {{host}} is underlined as an error now ({{who}} is in $shared: still defined), in the
     * address and in the header. */
    g_assert_nonnull (strstr (attributes, "underline error"));
    LADLE_TEST_WAIT_UNTIL (attributes_have (header, "underline error"), 5000);
    g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (url), "host"));
    g_free (ladle_test_ui_screenshot (GTK_WIDGET (f->window), "workspace-undefined-variable"));
  }
  gtk_widget_activate_action (GTK_WIDGET (f->page), "request.send", NULL);
  g_assert_false (ladle_request_tab_get_busy (tab));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (find (tab, "url_entry")), "host"));
}

static GtkWidget *
list_row (GtkWidget *list,
          int        index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), index);

  g_assert_nonnull (row);
  return GTK_WIDGET (row);
}

/* Running a folder: every request of its files, each with its assertions, a summary; a failed
 * one opens in a tab. */
static void
test_run_folder (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *env = NULL;
  LadleRunnerView *view;
  GtkWidget *list;
  GListModel *items;

  if (!parser_reads_requests ())
    {
      g_test_skip ("the .http parser of this build reads no requests");
      return;
    }
  env = g_strdup_printf ("{\"dev\": {\"host\": \"%s\"}}", f->base);
  write_file (f, "http-client.env.json", env);
  write_file (f, "api/a.http",
              "### ok\nGET {{host}}/get\n\n?? status == 200\n\n"
              "### wrong\nGET {{host}}/status/404\n\n?? status == 200\n");
  write_file (f, "api/b.http", "### teapot\nGET {{host}}/status/418\n\n?? status == 418\n");
  write_file (f, "other.http", "### not-run\nGET {{host}}/get?other\n");
  open_window (f, 1100, 720);
  open_workspace (f);
  LADLE_TEST_WAIT_UNTIL (rows_are (f, "api|other.http"), 5000);
  ladle_requests_page_set_environment (f->page, "dev");

  /* The folder's row menu: Run. */
  ladle_workspace_sidebar_set_menu_row (sidebar (f), 0);
  gtk_widget_activate_action (GTK_WIDGET (sidebar (f)), "row.run", NULL);
  view = ladle_requests_page_get_runner_view (f->page);
  g_assert_nonnull (view);
  LADLE_TEST_WAIT_UNTIL (!ladle_runner_view_get_running (view), 20000);
  items = ladle_http_runner_get_items (ladle_runner_view_get_runner (view));
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 3);
  g_assert_nonnull (strstr (ladle_runner_view_get_summary (view), "2 passed"));
  g_assert_nonnull (strstr (ladle_runner_view_get_summary (view), "1 failed"));
  g_assert_false (logged_path (f, "/get?other"));

  /* Each request's row, the failed assertion under it. */
  list = find (view, "list");
  ladle_test_ui_wait_for_draw (GTK_WIDGET (view));
  {
    g_autofree char *shot = ladle_test_ui_screenshot (GTK_WIDGET (view), "workspace-runner");
    GtkWidget *failed = list_row (list, 1);
    GtkWidget *title = g_object_get_data (G_OBJECT (failed), "title");
    GtkWidget *checks = g_object_get_data (G_OBJECT (failed), "checks");
    GtkWidget *line = gtk_widget_get_first_child (checks);
    GtkWidget *label = gtk_widget_get_last_child (line);

    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (title)), ==, "wrong");
    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "404"));

    /* Activating it opens it in a tab. */
    g_signal_emit_by_name (list, "row-activated", failed);
    g_assert_cmpstr (ladle_request_get_url (ladle_request_tab_get_request (
                       ladle_requests_page_get_current_tab (f->page))), ==,
                     "{{host}}/status/404");
  }
  gtk_window_destroy (GTK_WINDOW (view));
  g_assert_null (ladle_requests_page_get_runner_view (f->page));

  /* F9 runs the file of the tab's request: a.http's two. */
  press_shortcut (GTK_WIDGET (f->page), "F9");
  view = ladle_requests_page_get_runner_view (f->page);
  g_assert_nonnull (view);
  LADLE_TEST_WAIT_UNTIL (!ladle_runner_view_get_running (view), 20000);
  g_assert_cmpuint (g_list_model_get_n_items (ladle_http_runner_get_items (ladle_runner_view_get_runner (view))),
                    ==, 2);
  gtk_window_destroy (GTK_WINDOW (view));
}

/* The environment editor: a table per environment; a secret value goes to the private file. */
static void
test_env_editor (Fixture       *f,
                 gconstpointer  data)
{
  LadleEnvEditor *editor;
  GtkWidget *list;
  g_autofree char *shared = NULL;
  g_autofree char *private = NULL;
  g_autoptr(GError) error = NULL;

  write_file (f, "http-client.env.json", "{\"dev\": {\"host\": \"http://127.0.0.1:1\"}}");
  write_file (f, "a.http", "GET {{host}}/\n");
  open_window (f, 1100, 720);
  open_workspace (f);
  LADLE_TEST_WAIT_UNTIL (g_list_model_get_n_items (ladle_requests_page_get_environments (f->page)) == 2,
                         5000);
  ladle_requests_page_set_environment (f->page, "dev");
  gtk_widget_activate_action (GTK_WIDGET (sidebar (f)), "workspace.edit-environments", NULL);
  editor = ladle_requests_page_get_env_editor (f->page);
  g_assert_nonnull (editor);
  list = find (editor, "list");
  /* dev's own variable, shown. */
  g_assert_nonnull (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0));
  g_assert_null (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 1));
  {
    GtkWidget *row = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0));

    g_assert_cmpstr (gtk_editable_get_text (g_object_get_data (G_OBJECT (row), "name-entry")), ==,
                     "host");
  }

  /* A secret, masked, into the private file; a new environment into the shared one. */
  {
    GtkWidget *row = ladle_env_editor_add_row (editor, "token", "s3cret", TRUE);

    g_assert_false (gtk_entry_get_visibility (GTK_ENTRY (g_object_get_data (G_OBJECT (row),
                                                                            "value-entry"))));
  }
  ladle_test_ui_show (GTK_WINDOW (editor), 680, 520);
  g_free (ladle_test_ui_screenshot (GTK_WIDGET (editor), "workspace-env-editor"));
  gtk_editable_set_text (GTK_EDITABLE (find (editor, "new_env_entry")), "prod");
  g_signal_emit_by_name (find (editor, "new_env_entry"), "activate");
  ladle_env_editor_add_row (editor, "host", "https://prod.invalid", FALSE);
  g_assert_true (ladle_env_editor_save (editor, &error));
  g_assert_no_error (error);

  shared = read_file (f, "http-client.env.json");
  private = read_file (f, "http-client.private.env.json");
  g_assert_nonnull (strstr (private, "s3cret"));
  g_assert_null (strstr (shared, "s3cret"));
  g_assert_nonnull (strstr (shared, "prod.invalid"));
  g_assert_nonnull (strstr (shared, "127.0.0.1:1"));
  /* The switcher knows the new environment at once. */
  g_assert_cmpuint (g_list_model_get_n_items (ladle_requests_page_get_environments (f->page)), ==, 3);
  gtk_window_destroy (GTK_WINDOW (editor));
}

/* The row widget (a GtkTreeExpander) that shows @name. */
static GtkWidget *
find_expander (GtkWidget  *root,
               const char *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_TREE_EXPANDER (child))
        {
          GtkTreeListRow *row = gtk_tree_expander_get_list_row (GTK_TREE_EXPANDER (child));
          g_autoptr(LadleWorkspaceNode) node = row != NULL ? gtk_tree_list_row_get_item (row) : NULL;

          if (node != NULL && strcmp (ladle_workspace_node_get_name (node), name) == 0)
            return child;
        }
      found = find_expander (child, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Drops the request shown as @dragged onto the row shown as @onto, at @y in it. */
static void
drop_row (Fixture    *f,
          const char *dragged,
          const char *onto,
          double      y)
{
  GtkWidget *list = find (sidebar (f), "list_view");
  GtkWidget *from = find_expander (list, dragged);
  GtkWidget *to = find_expander (list, onto);
  g_autoptr(GListModel) controllers = NULL;
  g_autoptr(LadleWorkspaceNode) node = NULL;
  GValue value = G_VALUE_INIT;
  gboolean done = FALSE;

  g_assert_nonnull (from);
  g_assert_nonnull (to);
  node = gtk_tree_list_row_get_item (gtk_tree_expander_get_list_row (GTK_TREE_EXPANDER (from)));
  g_value_init (&value, LADLE_TYPE_WORKSPACE_NODE);
  g_value_set_object (&value, node);
  controllers = gtk_widget_observe_controllers (to);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        {
          g_signal_emit_by_name (controller, "drop", &value, 1.0, y, &done);
          break;
        }
    }
  g_value_unset (&value);
  g_assert_true (done);
}

/* Requests move by drag and drop, within a file and to another; the other bytes stay. */
static void
test_drag_and_drop (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  if (!parser_reads_requests ())
    {
      g_test_skip ("the .http parser of this build reads no requests");
      return;
    }
  write_file (f, "a.http", "### one\nGET http://127.0.0.1/1\n\n### two\nGET http://127.0.0.1/2\n\n"
                           "### three\nGET http://127.0.0.1/3\n");
  write_file (f, "b.http", "# kept\n### four\nGET http://127.0.0.1/4\n");
  open_window (f, 1100, 720);
  open_workspace (f);
  LADLE_TEST_WAIT_UNTIL (rows_are (f, "a.http|b.http"), 5000);
  expand_row (f, 0);
  expand_row (f, 4);
  g_assert_true (rows_are (f, "a.http|  one|  two|  three|b.http|  four"));
  ladle_test_ui_wait_for_draw (GTK_WIDGET (f->window));

  /* "three" onto the upper half of "one": first. */
  drop_row (f, "three", "one", 1.0);
  LADLE_TEST_WAIT_UNTIL (rows_are (f, "a.http|  three|  one|  two|b.http|  four"), 2000);
  a = read_file (f, "a.http");
  g_assert_cmpstr (a, ==, "### three\nGET http://127.0.0.1/3\n### one\nGET http://127.0.0.1/1\n\n"
                          "### two\nGET http://127.0.0.1/2\n\n");

  /* "one" onto the file b.http: at its end. */
  ladle_test_ui_wait_for_draw (GTK_WIDGET (f->window));
  drop_row (f, "one", "b.http", 1.0);
  LADLE_TEST_WAIT_UNTIL (rows_are (f, "a.http|  three|  two|b.http|  four|  one"), 2000);
  b = read_file (f, "b.http");
  g_assert_true (g_str_has_prefix (b, "# kept\n### four\nGET http://127.0.0.1/4\n"));
  g_assert_nonnull (strstr (b, "### one\nGET http://127.0.0.1/1\n"));
}

/* The dialog a row action opened, answered with @text. */
static void
answer_name_dialog (const char *text)
{
  AdwMessageDialog *dialog = NULL;
  GListModel *toplevels = gtk_window_get_toplevels ();   /* (transfer none) */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        dialog = ADW_MESSAGE_DIALOG (window);
    }
  g_assert_nonnull (dialog);
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), text);
  /* The dialog closes itself once answered. */
  adw_message_dialog_response (dialog, "ok");
}

static guint
row_index (Fixture    *f,
           const char *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (rows (f)); i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows (f), i);
      g_autoptr(LadleWorkspaceNode) node = gtk_tree_list_row_get_item (row);

      if (strcmp (ladle_workspace_node_get_name (node), name) == 0)
        return i;
    }
  g_error ("no row %s", name);
  return 0;
}

/* The row menu: new file, new request, rename, duplicate, delete. */
static void
test_row_actions (Fixture       *f,
                  gconstpointer  data)
{
  GtkWidget *bar;
  g_autofree char *text = NULL;
  g_autofree char *created = NULL;

  if (!parser_reads_requests ())
    {
      g_test_skip ("the .http parser of this build reads no requests");
      return;
    }
  write_file (f, "a.http", "@host = http://127.0.0.1\n\n### one\nGET {{host}}/1\n\n### two\nGET {{host}}/2\n");
  write_file (f, "sub/b.http", "GET http://127.0.0.1/b\n");
  open_window (f, 1100, 720);
  open_workspace (f);
  bar = GTK_WIDGET (sidebar (f));
  LADLE_TEST_WAIT_UNTIL (rows_are (f, "sub|a.http"), 5000);

  /* New file in a folder. */
  ladle_workspace_sidebar_set_menu_row (sidebar (f), 0);
  gtk_widget_activate_action (bar, "row.new-file", NULL);
  answer_name_dialog ("made here");
  expand_row (f, 0);
  g_assert_true (rows_are (f, "sub|  b.http|  made here.http|a.http"));
  created = g_build_filename (f->dir, "sub", "made here.http", NULL);
  g_assert_true (g_file_test (created, G_FILE_TEST_IS_REGULAR));

  /* Rename and duplicate a request: only its bytes change, a copy follows it. */
  expand_row (f, row_index (f, "a.http"));
  ladle_workspace_sidebar_set_menu_row (sidebar (f), row_index (f, "one"));
  gtk_widget_activate_action (bar, "row.rename", NULL);
  answer_name_dialog ("first one");
  text = read_file (f, "a.http");
  g_assert_true (g_str_has_prefix (text, "@host = http://127.0.0.1\n\n### first one\n"));
  g_assert_true (g_str_has_suffix (text, "### two\nGET {{host}}/2\n"));
  ladle_workspace_sidebar_set_menu_row (sidebar (f), row_index (f, "first one"));
  gtk_widget_activate_action (bar, "row.duplicate", NULL);
  g_assert_true (rows_are (f, "sub|  b.http|  made here.http|a.http|  first one|  first one copy|  two"));

  /* Delete (the toast offers Undo). */
  ladle_workspace_sidebar_set_menu_row (sidebar (f), row_index (f, "first one copy"));
  gtk_widget_activate_action (bar, "row.delete", NULL);
  g_assert_true (rows_are (f, "sub|  b.http|  made here.http|a.http|  first one|  two"));

  /* New request: appended, opened in a tab. */
  ladle_workspace_sidebar_set_menu_row (sidebar (f), row_index (f, "a.http"));
  gtk_widget_activate_action (bar, "row.new-request", NULL);
  g_assert_true (rows_are (f, "sub|  b.http|  made here.http|a.http|  first one|  two|  New request"));
  g_assert_cmpstr (ladle_request_tab_get_origin_path (ladle_requests_page_get_current_tab (f->page)),
                   ==, ladle_workspace_node_get_path (ladle_workspace_find_file (
                     ladle_workspace_sidebar_get_workspace (sidebar (f)),
                     ladle_request_tab_get_origin_path (ladle_requests_page_get_current_tab (f->page)))));
  g_free (text);
  text = read_file (f, "a.http");
  g_assert_true (g_str_has_suffix (text, "### New request\nGET https://\n\n"));
}

/* "Save To…" of a scratch tab: into a new file of the workspace (the tab then lives there), or a
 * file elsewhere (appended). */
static void
test_save_to (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *inside = g_build_filename (f->dir, "saved.http", NULL);
  g_autofree char *outside_dir = ladle_test_make_tmpdir ("ladle-ui-workspace-out-XXXXXX");
  g_autofree char *outside = g_build_filename (outside_dir, "elsewhere.http", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  LadleRequestTab *tab;

  if (!parser_reads_requests ())
    {
      g_test_skip ("the .http parser of this build reads no requests");
      return;
    }
  write_file (f, "a.http", "GET http://127.0.0.1/a\n");
  open_window (f, 1100, 720);
  open_workspace (f);
  LADLE_TEST_WAIT_UNTIL (rows_are (f, "a.http"), 5000);
  tab = ladle_requests_page_get_current_tab (f->page);
  gtk_editable_set_text (GTK_EDITABLE (find (tab, "url_entry")), "http://127.0.0.1/scratch");

  g_assert_true (ladle_request_tab_save_to (tab, inside, &error));
  g_assert_no_error (error);
  g_assert_true (rows_are (f, "a.http|saved.http"));
  g_assert_cmpstr (ladle_request_tab_get_origin_path (tab), ==, inside);
  g_assert_false (ladle_request_tab_get_dirty (tab));
  text = read_file (f, "saved.http");
  g_assert_nonnull (strstr (text, "GET http://127.0.0.1/scratch\n"));

  /* Outside the workspace: written (twice: appended), the tab stays where it was. */
  g_assert_true (g_file_set_contents (outside, "GET http://127.0.0.1/first", -1, NULL));
  g_assert_true (ladle_request_tab_save_to (tab, outside, &error));
  g_assert_no_error (error);
  g_free (text);
  g_assert_true (g_file_get_contents (outside, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "GET http://127.0.0.1/first\n###"));
  g_assert_nonnull (strstr (text, "GET http://127.0.0.1/scratch\n"));
  g_assert_null (strstr (text, "timeout"));
  g_assert_cmpstr (ladle_request_tab_get_origin_path (tab), ==, inside);
  ladle_test_rm_rf (outside_dir);
}

/* Population of a workspace of 2 000 requests in 200 files: the time until the sidebar has every
 * file, and the longest stall of the main loop meanwhile. */
static LadleRequestTab *
nth_tab (Fixture *f,
         guint    n)
{
  AdwTabView *view = ladle_requests_page_get_tab_view (f->page);

  return LADLE_REQUEST_TAB (adw_tab_page_get_child (adw_tab_view_get_nth_page (view, n)));
}

static guint
n_tabs (Fixture *f)
{
  return adw_tab_view_get_n_pages (ladle_requests_page_get_tab_view (f->page));
}

/* A tab of a workspace's request comes back after a restart still linked to it, with its unsaved
 * edits: Ctrl+S writes into the file, sending expands the environment's {{…}}. */
static void
test_tabs_restart (Fixture       *f,
                   gconstpointer  data)
{
  const char *text =
    "### first\n"
    "GET {{host}}/first\n"
    "\n"
    "### second\n"
    "POST {{host}}/second\n"
    "Content-Type: application/json\n"
    "\n"
    "{\"a\": 1}\n"
    "\n"
    "###\n"
    "GET {{host}}/unnamed\n";
  g_autofree char *env = NULL;
  g_autofree char *api = g_build_filename (f->dir, "api.http", NULL);
  g_autofree char *data_dir = ladle_data_dir_dup (APP_ID);
  g_autofree char *tabs_path = g_build_filename (data_dir, "tabs.json", NULL);
  g_autofree char *saved = NULL;
  g_autofree char *after = NULL;
  g_autofree char *scratch = NULL;
  LadleRequestTab *tab;

  if (!parser_reads_requests ())
    {
      g_test_skip ("the .http parser of this build reads no requests");
      return;
    }
  env = g_strdup_printf ("{\"dev\": {\"host\": \"%s\"}}", f->base);
  write_file (f, "http-client.env.json", env);
  write_file (f, "api.http", text);
  open_window (f, 1100, 720);
  open_workspace (f);
  LADLE_TEST_WAIT_UNTIL (rows_are (f, "api.http"), 5000);
  expand_row (f, 0);
  g_assert_true (rows_are (f, "api.http|  first|  second|  GET {{host}}/unnamed"));
  ladle_requests_page_set_environment (f->page, "dev");

  /* second (edited, unsaved), first (clean), the unnamed one, and a new request. */
  g_signal_emit_by_name (find (sidebar (f), "list_view"), "activate", 2);
  tab = ladle_requests_page_get_current_tab (f->page);
  gtk_editable_set_text (GTK_EDITABLE (find (tab, "url_entry")), "{{host}}/second-edited");
  g_assert_true (ladle_request_tab_get_dirty (tab));
  g_signal_emit_by_name (find (sidebar (f), "list_view"), "activate", 1);
  g_signal_emit_by_name (find (sidebar (f), "list_view"), "activate", 3);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "tabs.new", NULL);
  scratch = g_strconcat (f->base, "/scratch", NULL);
  gtk_editable_set_text (GTK_EDITABLE (find (ladle_requests_page_get_current_tab (f->page),
                                             "url_entry")), scratch);
  g_assert_cmpuint (n_tabs (f), ==, 4);
  g_assert_cmpstr (ladle_request_tab_get_origin_path (nth_tab (f, 1)), ==, api);
  g_assert_cmpstr (ladle_request_tab_get_origin_path (nth_tab (f, 2)), ==, api);
  {
    AdwTabView *view = ladle_requests_page_get_tab_view (f->page);

    adw_tab_view_set_selected_page (view, adw_tab_view_get_nth_page (view, 0));
  }
  close_window (f);
  g_assert_true (g_file_get_contents (tabs_path, &saved, NULL, NULL));
  g_assert_nonnull (strstr (saved, "\"origin\""));
  /* Unsaved: the file is as it was. */
  after = read_file (f, "api.http");
  g_assert_cmpstr (after, ==, text);
  g_clear_pointer (&after, g_free);

  /* Meanwhile a request comes before them: the named ones are found by name; the unnamed one is
   * no longer at its index and stays a new request, its contents kept. */
  {
    g_autofree char *moved = g_strconcat ("### zero\nGET {{host}}/zero\n\n", text, NULL);

    write_file (f, "api.http", moved);
  }

  open_window (f, 1100, 720);
  LADLE_TEST_WAIT_UNTIL (n_tabs (f) == 4 &&
                         ladle_request_tab_get_origin_path (nth_tab (f, 0)) != NULL, 10000);
  tab = nth_tab (f, 0);
  g_assert_true (ladle_requests_page_get_current_tab (f->page) == tab);
  g_assert_cmpstr (ladle_request_tab_get_origin_path (tab), ==, api);
  g_assert_cmpstr (ladle_request_tab_get_origin_entry (tab)->name, ==, "second");
  g_assert_cmpuint (ladle_request_tab_get_origin_index (tab), ==, 2);
  g_assert_cmpstr (ladle_request_get_url (ladle_request_tab_get_request (tab)), ==,
                   "{{host}}/second-edited");
  g_assert_cmpstr (ladle_request_get_body_text (ladle_request_tab_get_request (tab)), ==,
                   "{\"a\": 1}");
  g_assert_true (ladle_request_tab_get_dirty (tab));
  g_assert_true (g_str_has_prefix (ladle_request_tab_get_title (tab), "• "));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find (tab, "origin_label"))), ==,
                   "api.http › second");

  g_assert_cmpstr (ladle_request_tab_get_origin_path (nth_tab (f, 1)), ==, api);
  g_assert_cmpstr (ladle_request_tab_get_origin_entry (nth_tab (f, 1))->name, ==, "first");
  g_assert_false (ladle_request_tab_get_dirty (nth_tab (f, 1)));
  g_assert_null (ladle_request_tab_get_origin_path (nth_tab (f, 2)));
  g_assert_cmpstr (ladle_request_get_url (ladle_request_tab_get_request (nth_tab (f, 2))), ==,
                   "{{host}}/unnamed");
  g_assert_null (ladle_request_tab_get_origin_path (nth_tab (f, 3)));
  g_assert_cmpstr (ladle_request_get_url (ladle_request_tab_get_request (nth_tab (f, 3))), ==,
                   scratch);

  /* Sent with the environment's {{host}}. */
  gtk_widget_activate_action (GTK_WIDGET (f->page), "request.send", NULL);
  LADLE_TEST_WAIT_UNTIL (logged_path (f, "/second-edited"), 10000);
  LADLE_TEST_WAIT_UNTIL (!ladle_request_tab_get_busy (tab), 10000);

  /* Ctrl+S writes the edit into its request of the file, the others as they were. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "request.save", NULL));
  g_assert_false (ladle_request_tab_get_dirty (tab));
  after = read_file (f, "api.http");
  g_assert_true (g_str_has_prefix (after, "### zero\nGET {{host}}/zero\n\n"
                                          "### first\nGET {{host}}/first\n\n"));
  g_assert_nonnull (strstr (after, "POST {{host}}/second-edited\n"));
  g_assert_null (strstr (after, "{{host}}/second\n"));
  g_assert_true (g_str_has_suffix (after, "###\nGET {{host}}/unnamed\n"));

  /* Saved again without the origin of the tab that lost it: a restart keeps the links left. */
  gtk_widget_activate_action (GTK_WIDGET (f->page), "tabs.new", NULL);
  close_window (f);
  {
    g_autofree char *again = NULL;
    g_auto(GStrv) parts = NULL;

    g_assert_true (g_file_get_contents (tabs_path, &again, NULL, NULL));
    parts = g_strsplit (again, "\"origin\"", -1);
    g_assert_cmpuint (g_strv_length (parts), ==, 3);
  }
  open_window (f, 1100, 720);
  LADLE_TEST_WAIT_UNTIL (n_tabs (f) == 5 &&
                         ladle_request_tab_get_origin_path (nth_tab (f, 0)) != NULL, 10000);
  g_assert_false (ladle_request_tab_get_dirty (nth_tab (f, 0)));
  g_assert_cmpstr (ladle_request_tab_get_origin_entry (nth_tab (f, 1))->name, ==, "first");
  g_assert_null (ladle_request_tab_get_origin_path (nth_tab (f, 2)));
  ladle_requests_page_set_environment (f->page, NULL);
}

static void
test_population (Fixture       *f,
                 gconstpointer  data)
{
  LadleTestStall stall;
  gint64 start, elapsed, longest;
  LadleWorkspace *workspace;

  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *name = g_strdup_printf ("group%02u/file%03u.http", i / 20, i);
      GString *text = g_string_new (NULL);

      for (guint j = 0; j < 10; j++)
        g_string_append_printf (text, "### request %u\nGET http://127.0.0.1/%u/%u\nAccept: */*\n\n",
                                j, i, j);
      write_file (f, name, text->str);
      g_string_free (text, TRUE);
    }
  open_window (f, 1100, 720);

  ladle_test_ui_stall_start (&stall, 5);
  start = g_get_monotonic_time ();
  ladle_workspace_sidebar_open (sidebar (f), f->dir);
  workspace = ladle_workspace_sidebar_get_workspace (sidebar (f));
  LADLE_TEST_WAIT_UNTIL (!ladle_workspace_get_loading (workspace), 10000);
  elapsed = g_get_monotonic_time () - start;
  ladle_test_ui_wait_for_draw (GTK_WIDGET (f->window));
  longest = ladle_test_ui_stall_stop (&stall);
  g_test_message ("2000 requests in 200 files: populated in %" G_GINT64_FORMAT " ms, longest "
                  "main-loop stall %" G_GINT64_FORMAT " ms (%u requests read)",
                  elapsed / 1000, longest / 1000, ladle_workspace_get_n_requests (workspace));
  g_assert_cmpuint (ladle_workspace_get_n_files (workspace), ==, 200);
  if (parser_reads_requests ())
    g_assert_cmpuint (ladle_workspace_get_n_requests (workspace), ==, 2000);
  g_assert_cmpint (elapsed, <, 2 * G_USEC_PER_SEC);   /* loose: a shared, sanitized machine */
  g_assert_cmpint (longest, <, 250 * 1000);
}

/* Screenshots of the sidebar, the environment editor and the runner view: wide and narrow, light
 * and dark, English and Russian (G_TEST_BUILDDIR/screenshots/workspace-shot-*.png). */
static void
test_screenshots (Fixture       *f,
                  gconstpointer  data)
{
  static const struct { const char *size; int width; int height; } sizes[] = {
    { "wide", 1280, 800 },
    { "narrow", 400, 760 },
  };
  static const char *languages[] = { NULL, "ru" };
  g_autofree char *env = NULL;

  if (!parser_reads_requests ())
    {
      g_test_skip ("the .http parser of this build reads no requests");
      return;
    }
  env = g_strdup_printf ("{\"dev\": {\"host\": \"%s\", \"user\": \"ada\"}, "
                         "\"prod\": {\"host\": \"https://api.example.invalid\"}}", f->base);
  write_file (f, "http-client.env.json", env);
  write_file (f, "http-client.private.env.json", "{\"dev\": {\"token\": \"s3cret\"}}");
  write_file (f, "users/accounts.http",
              "### List users\nGET {{host}}/get?user={{user}}\nAuthorization: Bearer {{token}}\n\n"
              "?? status == 200\n\n"
              "### Create a user\nPOST {{host}}/post\nContent-Type: application/json\n\n"
              "{\"name\": \"{{user}}\", \"role\": \"admin\"}\n\n?? status == 201\n\n"
              "### Delete the user\nDELETE {{host}}/delete\n\n?? status == 200\n");
  write_file (f, "users/sessions.http",
              "### Log in\nPOST {{host}}/post\n\n?? status == 200\n\n"
              "### Missing page\nGET {{host}}/status/404\n\n?? status == 200\n");
  write_file (f, "health.http", "### Health\nGET {{host}}/get\n\n### Teapot\nGET {{host}}/status/418\n");

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    for (guint d = 0; d < 2; d++)
      for (guint z = 0; z < G_N_ELEMENTS (sizes); z++)
        {
          g_autofree char *suffix = g_strdup_printf ("%s-%s-%s", sizes[z].size,
                                                     d ? "dark" : "light",
                                                     languages[l] ? languages[l] : "en");
          g_autofree char *name = NULL;
          LadleWindow *window;
          LadleRequestsPage *page;
          LadleEnvEditor *editor;
          LadleRunnerView *view;
          LadleWorkspaceSidebar *bar;
          GListModel *tree;

          ladle_test_ui_set_language (languages[l]);
          ladle_test_ui_set_dark (d == 1);
          {
            g_autofree char *data_dir = ladle_data_dir_dup (APP_ID);

            ladle_test_rm_rf (data_dir);
          }
          window = ladle_window_new (NULL);
          ladle_test_ui_show (GTK_WINDOW (window), sizes[z].width, sizes[z].height);
          page = LADLE_REQUESTS_PAGE (ladle_window_get_page (window, "requests"));
          bar = ladle_requests_page_get_workspace_sidebar (page);
          ladle_workspace_sidebar_open (bar, NULL);
          name = g_strdup_printf ("workspace-shot-empty-%s", suffix);
          adw_flap_set_reveal_flap (ADW_FLAP (find (page, "flap")), TRUE);
          ladle_test_ui_spin (300);
          g_free (ladle_test_ui_screenshot (GTK_WIDGET (window), name));

          ladle_workspace_sidebar_open (bar, f->dir);
          LADLE_TEST_WAIT_UNTIL (!ladle_workspace_get_loading (ladle_workspace_sidebar_get_workspace (bar)),
                                 10000);
          LADLE_TEST_WAIT_UNTIL (g_list_model_get_n_items (ladle_requests_page_get_environments (page)) == 3,
                                 5000);
          ladle_requests_page_set_environment (page, "dev");
          tree = ladle_workspace_sidebar_get_rows (bar);
          {
            g_autoptr(GtkTreeListRow) first = g_list_model_get_item (tree, 0);

            gtk_tree_list_row_set_expanded (first, TRUE);
          }
          for (guint i = 0; i < g_list_model_get_n_items (tree); i++)
            {
              g_autoptr(GtkTreeListRow) row = g_list_model_get_item (tree, i);
              g_autoptr(LadleWorkspaceNode) node = gtk_tree_list_row_get_item (row);

              if (ladle_workspace_node_get_kind (node) == LADLE_WORKSPACE_NODE_FILE &&
                  strcmp (ladle_workspace_node_get_name (node), "accounts.http") == 0)
                gtk_tree_list_row_set_expanded (row, TRUE);
            }
          /* Open "Create a user" (the row after "List users"). */
          for (guint i = 0; i < g_list_model_get_n_items (tree); i++)
            {
              g_autoptr(GtkTreeListRow) row = g_list_model_get_item (tree, i);
              g_autoptr(LadleWorkspaceNode) node = gtk_tree_list_row_get_item (row);

              if (strcmp (ladle_workspace_node_get_name (node), "Create a user") == 0)
                {
                  g_signal_emit_by_name (find (bar, "list_view"), "activate", i);
                  break;
                }
            }
          adw_flap_set_reveal_flap (ADW_FLAP (find (page, "flap")), TRUE);
          ladle_test_ui_spin (400);
          g_free (name);
          name = g_strdup_printf ("workspace-shot-sidebar-%s", suffix);
          g_free (ladle_test_ui_screenshot (GTK_WIDGET (window), name));
          adw_flap_set_reveal_flap (ADW_FLAP (find (page, "flap")), FALSE);
          ladle_test_ui_spin (400);
          g_free (name);
          name = g_strdup_printf ("workspace-shot-tab-%s", suffix);
          g_free (ladle_test_ui_screenshot (GTK_WIDGET (window), name));

          ladle_requests_page_edit_environments (page);
          editor = ladle_requests_page_get_env_editor (page);
          g_assert_nonnull (editor);
          ladle_test_ui_show (GTK_WINDOW (editor), MIN (sizes[z].width, 680), 520);
          g_free (name);
          name = g_strdup_printf ("workspace-shot-env-editor-%s", suffix);
          g_free (ladle_test_ui_screenshot (GTK_WIDGET (editor), name));
          gtk_window_destroy (GTK_WINDOW (editor));

          ladle_requests_page_run (page, ladle_workspace_get_root (ladle_workspace_sidebar_get_workspace (bar)));
          view = ladle_requests_page_get_runner_view (page);
          g_assert_nonnull (view);
          LADLE_TEST_WAIT_UNTIL (!ladle_runner_view_get_running (view), 20000);
          ladle_test_ui_show (GTK_WINDOW (view), MIN (sizes[z].width, 720), 600);
          g_free (name);
          name = g_strdup_printf ("workspace-shot-runner-%s", suffix);
          g_free (ladle_test_ui_screenshot (GTK_WIDGET (view), name));
          gtk_window_destroy (GTK_WINDOW (view));

          {
            GtkWindow *gone = GTK_WINDOW (window);

            g_object_add_weak_pointer (G_OBJECT (gone), (gpointer *) &gone);
            gtk_window_destroy (gone);
            LADLE_TEST_WAIT_UNTIL (gone == NULL, 5000);
          }
        }
  ladle_test_ui_set_language (NULL);
  ladle_test_ui_set_dark (FALSE);
}

/* OAuth 2.0 in a `.http` file (httpyac's `Authorization: oauth2 …`, settings from the
 * environment): the Auth page shows the kind, "Get New Token" (a real click) fetches the token of
 * the request as it is sent, and the send uses it. */
static void
test_oauth2 (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *env = NULL;
  LadleRequestTab *tab;
  GtkWidget *row;
  LadleServerEvent *last;

  if (!parser_reads_requests ())
    {
      g_test_skip ("the .http parser of this build reads no requests");
      return;
    }
  env = g_strdup_printf ("{\"dev\": {\"host\": \"%s\", \"oauth2_tokenEndpoint\": "
                         "\"%s/oauth/token\", \"oauth2_clientId\": \"ui\", "
                         "\"oauth2_scope\": \"read\"}}", f->base, f->base);
  write_file (f, "http-client.env.json", env);
  write_file (f, "http-client.private.env.json", "{\"dev\": {\"oauth2_clientSecret\": \"secret\"}}");
  write_file (f, "api.http", "### me\nGET {{host}}/bearer\nAuthorization: oauth2 client_credentials\n");
  open_window (f, 1100, 720);
  open_workspace (f);
  LADLE_TEST_WAIT_UNTIL (rows_are (f, "api.http"), 5000);
  expand_row (f, 0);
  g_signal_emit_by_name (find (sidebar (f), "list_view"), "activate", 1);
  tab = ladle_requests_page_get_current_tab (f->page);
  ladle_requests_page_set_environment (f->page, "dev");
  g_assert_cmpint (ladle_request_get_auth_kind (ladle_request_tab_get_request (tab)), ==,
                   LADLE_AUTH_OAUTH2);

  /* Through the widgets' API here (this window is not one the input helpers place);
   * ui-request-editor/oauth2-token clicks the same button by real input */
  gtk_stack_set_visible_child_name (GTK_STACK (find (tab, "editor_stack")), "auth");
  row = find (tab, "oauth2_token_row");
  g_assert_true (gtk_widget_get_sensitive (find (tab, "oauth2_get_token_button")));
  gtk_widget_activate (find (tab, "oauth2_get_token_button"));
  LADLE_TEST_WAIT_UNTIL (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "scope: read")
                         != NULL || gtk_widget_has_css_class (row, "error"), 10000);
  g_test_message ("token row: %s", adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
  g_assert_false (gtk_widget_has_css_class (row, "error"));

  /* The send goes with a token (/bearer answers 401 without one) */
  gtk_widget_activate_action (GTK_WIDGET (f->page), "request.send", NULL);
  LADLE_TEST_WAIT_UNTIL (logged_path (f, "/bearer"), 10000);
  LADLE_TEST_WAIT_UNTIL (!ladle_request_tab_get_busy (tab), 10000);
  last = g_ptr_array_index (f->logged, f->logged->len - 1);
  g_assert_cmpuint (ladle_server_event_get_status (last), ==, 200);
}

int
main (int   argc,
      char *argv[])
{
  if (!ladle_test_ui_init (&argc, &argv))
    {
      g_test_add_func ("/ladle/ui-workspace/no-display", (GTestFunc) g_test_incomplete);
      return ladle_test_run ();
    }

#define ADD(path, func) \
  g_test_add ("/ladle/ui-workspace/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("tree", test_tree);
  ADD ("open-and-save", test_open_and_save);
  ADD ("external-change", test_external_change);
  ADD ("environment", test_environment);
  ADD ("run-folder", test_run_folder);
  ADD ("env-editor", test_env_editor);
  ADD ("drag-and-drop", test_drag_and_drop);
  ADD ("row-actions", test_row_actions);
  ADD ("save-to", test_save_to);
  ADD ("tabs-restart", test_tabs_restart);
  ADD ("population", test_population);
  ADD ("screenshots", test_screenshots);
  ADD ("oauth2", test_oauth2);
#undef ADD

  return ladle_test_run ();
}
