/* test-ui-requests.c
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
#include <gtksourceview/gtksource.h>

#include "ladle-data-dir.h"
#include "ladle-mock-routes.h"
#include "ladle-request-editor.h"
#include "ladle-request-tab.h"
#include "ladle-requests-page.h"
#include "ladle-response-view.h"
#include "ladle-server.h"
#include "ladle-test-ui.h"
#include "ladle-timing-view.h"

/* The Requests bench against an embedded LadleServer on an ephemeral port, driven the way a user
 * would: typing into entries, picking from drop-downs, pressing Send. */

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

static void
open_window (Fixture *f,
             int      width,
             int      height)
{
  /* The page alone in a window like Ladle's, so that other benches' work does not matter here
   * (Ladle's style sheet is loaded by ladle_test_ui_init(), as AdwApplication would). */
  f->window = ladle_test_ui_requests_window ("Ladle", width, height, &f->page);
}

/* The selected tab's widgets. */
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

static LadleRequestEditor *
editor (Fixture *f)
{
  return LADLE_REQUEST_EDITOR (tab_find (f, "editor"));
}

static AdwTabView *
tab_view (Fixture *f)
{
  return ladle_requests_page_get_tab_view (f->page);
}

static guint
n_tabs (Fixture *f)
{
  return adw_tab_view_get_n_pages (tab_view (f));
}

static LadleRequestTab *
nth_tab (Fixture *f,
         guint    n)
{
  return LADLE_REQUEST_TAB (adw_tab_page_get_child (adw_tab_view_get_nth_page (tab_view (f), n)));
}

static void
close_window (Fixture *f)
{
  ladle_test_ui_close_requests_window (f->window, f->page);
  f->window = NULL;
}

/* XDG_DATA_HOME/APP_ID, where the page keeps its history and tabs. */
static char *
data_dir (void)
{
  return ladle_data_dir_dup (APP_ID);
}

static void
clear_data (Fixture *f)
{
  g_autofree char *dir = data_dir ();

  ladle_test_rm_rf (dir);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->uploads = ladle_test_make_tmpdir ("ladle-ui-requests-XXXXXX");
  f->server = ladle_test_ui_start_server (f->uploads, &f->base);
  /* Each case starts without the history and draft of the ones before. */
  {
    g_autofree char *dir = data_dir ();

    ladle_test_rm_rf (dir);
  }
  open_window (f, 1100, 720);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->window != NULL)
    close_window (f);
  ladle_test_ui_stop_server (f->server);
  ladle_test_rm_rf (f->uploads);
  g_free (f->uploads);
  g_free (f->base);
  ladle_test_ui_set_dark (FALSE);
}

static void
set_url (Fixture    *f,
         const char *path)
{
  g_autofree char *url = g_strconcat (f->base, path, NULL);

  gtk_editable_set_text (GTK_EDITABLE (tab_find (f, "url_entry")), url);
}

static const char *
state (Fixture *f)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (find (response_view (f), "state_stack")));
}

static char *
body_text (Fixture *f)
{
  return ladle_test_ui_dup_text (find (response_view (f), "body_view"));
}

/* Presses Enter in the address entry and waits for the whole answer to be shown. */
static void
send_and_wait (Fixture *f)
{
  g_signal_emit_by_name (tab_find (f, "url_entry"), "activate");
  g_assert_true (ladle_requests_page_get_busy (f->page));
  LADLE_TEST_WAIT_UNTIL (!ladle_requests_page_get_busy (f->page), 10000);
  if (g_strcmp0 (state (f), "response") == 0)
    LADLE_TEST_WAIT_UNTIL (ladle_response_view_get_body_ready (response_view (f)), 5000);
}

static void
set_body_kind (Fixture  *f,
               guint     position)
{
  gtk_drop_down_set_selected (GTK_DROP_DOWN (find (editor (f), "body_kind_dropdown")), position);
}

static void
test_get_hello (Fixture       *f,
                gconstpointer  data)
{
  GtkWidget *badge;
  g_autofree char *text = NULL;

  g_assert_cmpstr (state (f), ==, "empty");
  set_url (f, "/");
  send_and_wait (f);

  g_assert_cmpstr (state (f), ==, "response");
  text = body_text (f);
  g_assert_nonnull (strstr (text, "Hello, World!"));
  badge = find (response_view (f), "status_badge");
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (badge)), "200"));
  g_assert_true (gtk_widget_has_css_class (badge, "success"));
}

static void
test_post_json (Fixture       *f,
                gconstpointer  data)
{
  GtkTextView *editor_view;
  g_autofree char *text = NULL;

  /* The body's text view is made when a text body is first chosen (start-up) */
  g_assert_null (ladle_test_ui_find (GTK_WIDGET (editor (f)), "body_view"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "request.set-method", "s",
                                             "POST"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tab_find (f, "method_entry"))), ==,
                   "POST");
  set_url (f, "/post");
  set_body_kind (f, 1);   /* JSON */
  editor_view = GTK_TEXT_VIEW (find (editor (f), "body_view"));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (editor_view),
                            "{\"ключ\": \"значение\"}", -1);
  g_assert_cmpint (ladle_request_get_body_kind (ladle_requests_page_get_request (f->page)), ==,
                   LADLE_BODY_JSON);
  send_and_wait (f);

  g_assert_cmpstr (state (f), ==, "response");
  text = body_text (f);
  /* Echoed, and pretty: one member per line, indented. */
  g_assert_nonnull (strstr (text, "\"ключ\": \"значение\""));
  g_assert_nonnull (strstr (text, "\n  \"json\": {\n"));
  g_assert_true (gtk_widget_get_visible (find (response_view (f), "raw_button")));

  /* Raw shows it as it came. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find (response_view (f), "raw_button")), TRUE);
  LADLE_TEST_WAIT_UNTIL (ladle_response_view_get_body_ready (response_view (f)), 5000);
  g_clear_pointer (&text, g_free);
  text = body_text (f);
  {
    GBytes *bytes = ladle_response_get_body_bytes (ladle_response_view_get_response (response_view (f)));
    g_autofree char *raw = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

    g_assert_cmpstr (text, ==, raw);
  }
}

static void
test_invalid_json (Fixture       *f,
                   gconstpointer  data)
{
  GtkTextView *editor_view;
  GtkTextBuffer *buffer;
  GtkWidget *status = find (editor (f), "json_status");
  GtkWidget *send_anyway = find (editor (f), "send_anyway_button");
  GtkTextIter cursor;

  set_url (f, "/post");
  gtk_widget_activate_action (GTK_WIDGET (f->page), "request.set-method", "s", "POST");
  set_body_kind (f, 1);
  editor_view = GTK_TEXT_VIEW (find (editor (f), "body_view"));
  buffer = gtk_text_view_get_buffer (editor_view);
  gtk_text_buffer_set_text (buffer, "{\n  \"a\": 1,\n  \"b\" 2\n}", -1);

  /* Checked as the user types… */
  LADLE_TEST_WAIT_UNTIL (gtk_widget_has_css_class (status, "error"), 2000);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (status)), "3:"));

  /* …and on send, which does not go out and points at the place. */
  g_signal_emit_by_name (tab_find (f, "url_entry"), "activate");
  g_assert_false (ladle_requests_page_get_busy (f->page));
  g_assert_cmpstr (state (f), ==, "error");
  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  g_assert_cmpint (gtk_text_iter_get_line (&cursor), ==, 2);
  /* In Ladle's words, not json-glib's */
  g_assert_null (strstr (gtk_label_get_text (GTK_LABEL (status)), "Parse error"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (status)), "“:”"));

  /* It can still be sent as written: testing how a server takes malformed JSON */
  g_assert_true (gtk_widget_get_visible (send_anyway));
  g_signal_emit_by_name (send_anyway, "clicked");
  g_assert_true (ladle_requests_page_get_busy (f->page));
  LADLE_TEST_WAIT_UNTIL (!ladle_requests_page_get_busy (f->page), 10000);
  g_assert_cmpstr (state (f), ==, "response");
  LADLE_TEST_WAIT_UNTIL (ladle_response_view_get_body_ready (response_view (f)), 5000);
  {
    g_autofree char *text = body_text (f);
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *answer;

    g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
    answer = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpstr (json_object_get_string_member (answer, "data"), ==,
                     "{\n  \"a\": 1,\n  \"b\" 2\n}");
  }
  /* Send alone still refuses it */
  g_signal_emit_by_name (tab_find (f, "url_entry"), "activate");
  g_assert_false (ladle_requests_page_get_busy (f->page));
  g_assert_cmpstr (state (f), ==, "error");

  gtk_text_buffer_set_text (buffer, "{\"a\": 1}", -1);
  LADLE_TEST_WAIT_UNTIL (gtk_widget_has_css_class (status, "success"), 2000);
  g_assert_false (gtk_widget_get_visible (send_anyway));
}

static void
test_total_timeout (Fixture       *f,
                    gconstpointer  data)
{
  GtkLabel *error_label = GTK_LABEL (find (response_view (f), "error_label"));
  gint64 start;

  /* The Options page is built when first shown (start-up) */
  g_assert_null (ladle_test_ui_find (GTK_WIDGET (editor (f)), "total_timeout_spin"));
  gtk_stack_set_visible_child_name (GTK_STACK (find (editor (f), "editor_stack")), "options");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find (editor (f), "total_timeout_spin")), 2);
  g_assert_cmpfloat (ladle_request_get_total_timeout (ladle_requests_page_get_request (f->page)),
                     ==, 2);
  set_url (f, "/delay/5");
  start = g_get_monotonic_time ();
  g_signal_emit_by_name (tab_find (f, "url_entry"), "activate");

  /* While it runs: the phase and a live elapsed time, and Cancel instead of Send. */
  LADLE_TEST_WAIT_UNTIL (g_strcmp0 (state (f), "running") == 0, 1000);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (tab_find (f, "send_stack"))),
                   ==, "cancel");
  LADLE_TEST_WAIT_UNTIL (strlen (gtk_label_get_text (GTK_LABEL (find (response_view (f),
                                                                       "progress_label")))) > 0,
                         2000);

  LADLE_TEST_WAIT_UNTIL (g_strcmp0 (state (f), "error") == 0, 5000);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 1900 * 1000);
  g_assert_cmpstr (gtk_label_get_text (error_label), ==,
                   "Timed out after 2 s (total)");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (tab_find (f, "send_stack"))),
                   ==, "send");
  LADLE_TEST_WAIT_UNTIL (!ladle_requests_page_get_busy (f->page), 1000);
}

static void
test_multipart_upload (Fixture       *f,
                       gconstpointer  data)
{
  LadleRequest *request = ladle_requests_page_get_request (f->page);
  g_autofree char *dir = ladle_test_make_tmpdir ("ladle-ui-file-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "ladle-ui-upload.txt", NULL);
  g_autofree char *stored = g_build_filename (f->uploads, "ladle-ui-upload.txt", NULL);
  g_autofree char *text = NULL;
  g_autofree char *contents = NULL;
  GtkListBox *form_list = GTK_LIST_BOX (find (editor (f), "form_list"));
  LadleKeyValue *item;
  GtkWidget *row;

  g_assert_true (g_file_set_contents (path, "uploaded from the window\n", -1, NULL));

  gtk_widget_activate_action (GTK_WIDGET (f->page), "request.set-method", "s", "POST");
  set_url (f, "/upload");
  set_body_kind (f, 4);   /* Multipart */
  g_signal_emit_by_name (find (editor (f), "form_add"), "clicked");
  row = GTK_WIDGET (gtk_list_box_get_row_at_index (form_list, 0));
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_get_visible (find (row, "file_button")));
  gtk_editable_set_text (GTK_EDITABLE (find (row, "name_entry")), "file");
  /* The file chooser is a native dialog: set what it would. */
  item = g_list_model_get_item (G_LIST_MODEL (ladle_request_get_form (request)), 0);
  ladle_key_value_set_is_file (item, TRUE);
  ladle_key_value_set_value (item, path);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find (row, "value_entry"))), ==, path);
  g_object_unref (item);

  send_and_wait (f);
  g_assert_cmpstr (state (f), ==, "response");
  text = body_text (f);
  g_assert_nonnull (strstr (text, "ladle-ui-upload.txt"));
  g_assert_true (g_file_get_contents (stored, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "uploaded from the window\n");

  ladle_test_rm_rf (dir);
}

static void
clipboard_text_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);

  *(char **) data = text != NULL ? text : g_strdup ("");
}

static void
test_paste_curl (Fixture       *f,
                 gconstpointer  data)
{
  GtkWidget *method = tab_find (f, "method_entry");
  g_autofree char *command = g_strdup_printf ("curl -X POST -d a=1 %s/post", f->base);
  g_autofree char *expected_url = g_strdup_printf ("%s/post", f->base);
  GtkListBox *form_list = GTK_LIST_BOX (find (editor (f), "form_list"));
  GtkWidget *row;

  gtk_editable_set_text (GTK_EDITABLE (tab_find (f, "url_entry")), command);
  LADLE_TEST_WAIT_UNTIL (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (method)), "POST") == 0,
                         2000);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tab_find (f, "url_entry"))), ==,
                   expected_url);
  g_assert_cmpint (gtk_drop_down_get_selected (GTK_DROP_DOWN (find (editor (f),
                                                                    "body_kind_dropdown"))),
                   ==, 3);   /* Form */
  row = GTK_WIDGET (gtk_list_box_get_row_at_index (form_list, 0));
  g_assert_nonnull (row);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find (row, "name_entry"))), ==, "a");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find (row, "value_entry"))), ==, "1");
  g_assert_false (gtk_widget_has_css_class (tab_find (f, "url_entry"), "error"));

  /* And it goes out as a form. */
  send_and_wait (f);
  {
    g_autofree char *text = body_text (f);

    g_assert_nonnull (strstr (text, "\"a\": \"1\""));
  }

  /* Copy as cURL does the reverse. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "request.copy-curl", NULL));

  /* Copy as .http gives the request as a workspace file writes it */
  {
    GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (f->page));
    char *copied = NULL;

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "request.copy-http", NULL));
    gdk_clipboard_read_text_async (clipboard, NULL, clipboard_text_cb, &copied);
    LADLE_TEST_WAIT_UNTIL (copied != NULL, 5000);
    g_test_message ("copied: %s", copied);
    /* the options that differ from a .http file's defaults come as directives: curl without
     * -L does not follow redirects */
    g_assert_true (g_str_has_prefix (copied, "###\n# @no-redirect\n"));
    g_assert_nonnull (strstr (copied, "\nPOST http://127.0.0.1:"));
    g_assert_nonnull (strstr (copied, "\nContent-Type: application/x-www-form-urlencoded\n\na=1"));
    g_free (copied);
  }
}

static void
test_invalid_url (Fixture       *f,
                  gconstpointer  data)
{
  GtkWidget *entry = tab_find (f, "url_entry");

  gtk_editable_set_text (GTK_EDITABLE (entry), "ftp://example.com/");
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
  g_assert_nonnull (gtk_widget_get_tooltip_text (entry));

  g_signal_emit_by_name (entry, "activate");
  g_assert_false (ladle_requests_page_get_busy (f->page));
  g_assert_cmpstr (state (f), ==, "error");

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
  set_url (f, "/get");
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
  g_assert_null (gtk_widget_get_tooltip_text (entry));
}

/* "127.0.0.1:PORT/get" is sent as http://…, and the address bar shows it was added. */
static void
test_no_scheme (Fixture       *f,
                gconstpointer  data)
{
  GtkWidget *entry = tab_find (f, "url_entry");
  g_autofree char *typed = g_strconcat (f->base + strlen ("http://"), "/get?typed=1", NULL);
  g_autofree char *expected = g_strconcat (f->base, "/get?typed=1", NULL);
  g_autofree char *text = NULL;

  gtk_editable_set_text (GTK_EDITABLE (entry), typed);
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
  send_and_wait (f);
  g_assert_cmpstr (state (f), ==, "response");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, expected);
  text = body_text (f);
  g_assert_nonnull (strstr (text, "\"typed\""));

  /* A scheme that is not HTTP is not replaced */
  gtk_editable_set_text (GTK_EDITABLE (entry), "ftp://127.0.0.1/get");
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpstr (state (f), ==, "error");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "ftp://127.0.0.1/get");
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  set_url (f, "/delay/5");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "request.send", NULL));
  LADLE_TEST_WAIT_UNTIL (g_strcmp0 (state (f), "running") == 0, 1000);
  ladle_test_ui_spin (300);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "request.cancel", NULL));
  LADLE_TEST_WAIT_UNTIL (!ladle_requests_page_get_busy (f->page), 2000);
  /* The pane says it was cancelled, after how long, and how far it got (issue 12, defect 10) */
  g_assert_cmpstr (state (f), ==, "cancelled");
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (find (response_view (f),
                                                                        "cancelled_title"))),
                                   "Cancelled after "));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find (response_view (f), "cancelled_label"))),
                   ==, "The request had been sent; no answer had arrived yet.");
  g_assert_false (gtk_widget_get_visible (find (response_view (f), "previous_button")));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (tab_find (f, "send_stack"))),
                   ==, "send");
  /* …and the history keeps it */
  {
    LadleHistory *history = ladle_requests_page_get_history (f->page);
    g_autoptr(LadleHistoryEntry) latest = g_list_model_get_item (G_LIST_MODEL (history), 0);

    g_assert_nonnull (latest);
    g_assert_true (g_str_has_prefix (ladle_history_entry_get_error (latest), "Cancelled after "));
    g_assert_nonnull (strstr (ladle_request_get_url (ladle_history_entry_get_request (latest)),
                              "/delay/5"));
  }

  /* After an answer, a cancelled send says so, and the answer before is one click away */
  {
    LadleResponse *previous;
    g_autofree char *text = NULL;

    set_url (f, "/get?before=1");
    send_and_wait (f);
    previous = ladle_response_view_get_response (response_view (f));
    g_assert_nonnull (previous);

    set_url (f, "/delay/5");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "request.send", NULL));
    LADLE_TEST_WAIT_UNTIL (g_strcmp0 (state (f), "running") == 0, 1000);
    g_assert_null (ladle_response_view_get_response (response_view (f)));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "request.cancel", NULL));
    LADLE_TEST_WAIT_UNTIL (!ladle_requests_page_get_busy (f->page), 2000);
    g_assert_cmpstr (state (f), ==, "cancelled");
    g_assert_true (gtk_widget_get_visible (find (response_view (f), "previous_button")));
    g_signal_emit_by_name (find (response_view (f), "previous_button"), "clicked");
    g_assert_cmpstr (state (f), ==, "response");
    g_assert_true (ladle_response_view_get_response (response_view (f)) == previous);
    LADLE_TEST_WAIT_UNTIL (ladle_response_view_get_body_ready (response_view (f)), 5000);
    text = body_text (f);
    g_assert_nonnull (strstr (text, "\"before\""));
  }
}

/* A redirect that is not followed is the response, and the pane says why (issue 13) */
static void
test_redirect_note (Fixture       *f,
                    gconstpointer  data)
{
  GtkWidget *note = find (response_view (f), "redirect_note_label");

  ladle_request_set_follow_redirects (ladle_requests_page_get_request (f->page), FALSE);
  set_url (f, "/redirect/1");
  send_and_wait (f);
  g_assert_cmpuint (ladle_response_get_status (ladle_response_view_get_response (response_view (f))),
                    ==, 302);
  g_assert_true (gtk_widget_get_visible (note));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (note)), "following redirects is off"));

  ladle_request_set_follow_redirects (ladle_requests_page_get_request (f->page), TRUE);
  send_and_wait (f);
  g_assert_cmpuint (ladle_response_get_status (ladle_response_view_get_response (response_view (f))),
                    ==, 200);
  g_assert_false (gtk_widget_get_visible (note));
}

static void
test_headers_timing (Fixture       *f,
                     gconstpointer  data)
{
  GtkStack *views = GTK_STACK (find (response_view (f), "view_stack"));
  LadleTimingView *timing = LADLE_TIMING_VIEW (find (response_view (f), "timing_view"));
  /* The lists inside the two LadleHeadersViews */
  GtkListBox *headers = GTK_LIST_BOX (ladle_test_ui_find_by_type (
                                        find (response_view (f), "headers_list"),
                                        GTK_TYPE_LIST_BOX));
  GtkListBox *redirects = GTK_LIST_BOX (ladle_test_ui_find_by_type (
                                          find (response_view (f), "redirects_list"),
                                          GTK_TYPE_LIST_BOX));
  g_autofree char *total = NULL;

  set_url (f, "/redirect/2");
  send_and_wait (f);

  g_assert_nonnull (gtk_list_box_get_row_at_index (headers, 0));
  total = ladle_timing_view_dup_row (timing, LADLE_TIMING_VIEW_N_ROWS - 1);
  g_assert_nonnull (total);
  g_assert_true (g_str_has_suffix (total, " ms"));
  /* Two hops and the final address. */
  g_assert_nonnull (gtk_list_box_get_row_at_index (redirects, 2));
  g_assert_null (gtk_list_box_get_row_at_index (redirects, 3));

  gtk_stack_set_visible_child_name (views, "headers");
  g_free (ladle_test_ui_screenshot (GTK_WIDGET (f->window), "requests-headers-wide-light"));
  gtk_stack_set_visible_child_name (views, "timing");
  g_free (ladle_test_ui_screenshot (GTK_WIDGET (f->window), "requests-timing-wide-light"));
  gtk_stack_set_visible_child_name (views, "redirects");
  g_free (ladle_test_ui_screenshot (GTK_WIDGET (f->window), "requests-redirects-wide-light"));
}

static void
test_binary_and_image (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *text = NULL;

  set_url (f, "/bytes/2048?seed=1");
  send_and_wait (f);
  text = body_text (f);
  g_assert_true (g_str_has_prefix (text, "00000000  "));
  g_assert_true (gtk_widget_get_visible (find (response_view (f), "body_notice")));
}

/* A JSON answer nested 200 000 levels deep used to overflow json-glib's stack while the view
 * pretty-printed it, and take the window down: now it is shown as it came, with the reason. */
static void
test_deep_json (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GListStore) routes = g_list_store_new (LADLE_TYPE_MOCK_ROUTE);
  g_autoptr(LadleMockRoute) route = ladle_mock_route_new ("GET", "/deep");
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autofree char *text = NULL;
  GtkWidget *notice;

  for (guint i = 0; i < 200000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (deep, ']');
  ladle_mock_route_set_body (route, deep->str);
  ladle_mock_route_set_content_type (route, "application/json");
  g_list_store_append (routes, route);
  ladle_server_set_routes (f->server, G_LIST_MODEL (routes));

  set_url (f, "/deep");
  send_and_wait (f);
  g_assert_cmpstr (state (f), ==, "response");
  text = body_text (f);
  g_assert_true (g_str_has_prefix (text, "[[[[[[[["));
  notice = find (response_view (f), "body_notice");
  g_assert_true (gtk_widget_get_visible (notice));
}

static GListModel *
history_rows (Fixture *f)
{
  return G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (find (f->page, "history_list"))));
}

static const char *
history_url (Fixture *f,
             guint    position)
{
  g_autoptr(LadleHistoryEntry) entry = g_list_model_get_item (history_rows (f), position);

  g_assert_nonnull (entry);
  /* The history keeps the entry alive. */
  return ladle_request_get_url (ladle_history_entry_get_request (entry));
}

/* Sends POST /post?first then GET /get?second, and opens the sidebar. */
static void
send_two (Fixture *f)
{
  gtk_widget_activate_action (GTK_WIDGET (f->page), "request.set-method", "s", "POST");
  set_url (f, "/post?first");
  send_and_wait (f);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "request.set-method", "s", "GET");
  set_url (f, "/status/404?second");
  send_and_wait (f);
  g_signal_emit_by_name (find (f->page, "history_button"), "clicked");
  g_assert_true (adw_flap_get_reveal_flap (ADW_FLAP (find (f->page, "flap"))));
  ladle_test_ui_spin (300);
}

static void
test_history (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *first = g_strconcat (f->base, "/post?first", NULL);
  g_autofree char *second = g_strconcat (f->base, "/status/404?second", NULL);
  GtkEditable *search = GTK_EDITABLE (find (f->page, "history_search"));
  GtkStack *stack = GTK_STACK (find (f->page, "history_stack"));
  g_autoptr(LadleHistoryEntry) newest = NULL;

  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  g_assert_false (gtk_widget_is_sensitive (find (f->page, "history_clear")));
  send_two (f);

  /* Two rows, newest first, with what came back. */
  g_assert_cmpuint (g_list_model_get_n_items (history_rows (f)), ==, 2);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "list");
  g_assert_cmpstr (history_url (f, 0), ==, second);
  g_assert_cmpstr (history_url (f, 1), ==, first);
  newest = g_list_model_get_item (history_rows (f), 0);
  g_assert_cmpuint (ladle_history_entry_get_status (newest), ==, 404);
  g_assert_cmpstr (ladle_request_get_method (ladle_history_entry_get_request (newest)), ==, "GET");
  g_assert_cmpint (ladle_history_entry_get_duration (newest), >, 0);
  g_free (ladle_test_ui_screenshot (GTK_WIDGET (f->window), "requests-history-wide-light"));

  /* Search filters. */
  gtk_editable_set_text (search, "FIRST");
  LADLE_TEST_WAIT_UNTIL (g_list_model_get_n_items (history_rows (f)) == 1, 2000);
  g_assert_cmpstr (history_url (f, 0), ==, first);
  gtk_editable_set_text (search, "nothing like it");
  LADLE_TEST_WAIT_UNTIL (g_list_model_get_n_items (history_rows (f)) == 0, 2000);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  gtk_editable_set_text (search, "");
  LADLE_TEST_WAIT_UNTIL (g_list_model_get_n_items (history_rows (f)) == 2, 2000);

  /* Activating the older entry brings it back as a copy, in a new tab: the one open is in use. */
  g_assert_cmpuint (n_tabs (f), ==, 1);
  g_signal_emit_by_name (find (f->page, "history_list"), "activate", 1);
  g_assert_cmpuint (n_tabs (f), ==, 2);
  g_assert_true (ladle_requests_page_get_current_tab (f->page) == nth_tab (f, 1));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tab_find (f, "url_entry"))), ==, first);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tab_find (f, "method_entry"))), ==,
                   "POST");
  set_url (f, "/post?edited");
  g_assert_cmpstr (history_url (f, 1), ==, first);
  g_assert_cmpstr (ladle_request_get_url (ladle_request_tab_get_request (nth_tab (f, 0))), ==,
                   second);

  /* An empty tab is reused rather than another opened. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "tabs.new", NULL));
  g_assert_cmpuint (n_tabs (f), ==, 3);
  g_signal_emit_by_name (find (f->page, "history_list"), "activate", 0);
  g_assert_cmpuint (n_tabs (f), ==, 3);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tab_find (f, "url_entry"))), ==, second);

  /* Clear empties it. */
  g_assert_true (gtk_widget_is_sensitive (find (f->page, "history_clear")));
  g_signal_emit_by_name (find (f->page, "history_clear"), "clicked");
  g_assert_cmpuint (g_list_model_get_n_items (history_rows (f)), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
}

static void
test_history_restart (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *second = g_strconcat (f->base, "/status/404?second", NULL);
  g_autofree char *draft = g_strconcat (f->base, "/anything/draft", NULL);
  g_autofree char *dir = data_dir ();
  g_autofree char *path = g_build_filename (dir, "history.json", NULL);
  g_autofree char *contents = NULL;
  GtkEditable *url;

  send_two (f);
  set_url (f, "/anything/draft");
  gtk_widget_activate_action (GTK_WIDGET (f->page), "request.set-method", "s", "PUT");
  close_window (f);

  /* Saved... */
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "/status/404?second"));

  /* ...and back in a new window: the history and the request being edited. */
  open_window (f, 1100, 720);
  url = GTK_EDITABLE (tab_find (f, "url_entry"));
  LADLE_TEST_WAIT_UNTIL (g_strcmp0 (gtk_editable_get_text (url), draft) == 0, 5000);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tab_find (f, "method_entry"))), ==,
                   "PUT");
  LADLE_TEST_WAIT_UNTIL (g_list_model_get_n_items (history_rows (f)) == 2, 5000);
  g_assert_cmpstr (history_url (f, 0), ==, second);

  /* Narrow and dark, with a failed send in the list. */
  close_window (f);
  ladle_test_ui_set_dark (TRUE);
  open_window (f, 360, 640);
  LADLE_TEST_WAIT_UNTIL (g_list_model_get_n_items (history_rows (f)) == 2, 5000);
  gtk_editable_set_text (GTK_EDITABLE (tab_find (f, "url_entry")), "http://127.0.0.1:1/refused");
  send_and_wait (f);
  g_assert_cmpuint (g_list_model_get_n_items (history_rows (f)), ==, 3);
  {
    g_autoptr(LadleHistoryEntry) failed = g_list_model_get_item (history_rows (f), 0);

    g_assert_cmpuint (ladle_history_entry_get_status (failed), ==, 0);
    g_assert_nonnull (ladle_history_entry_get_error (failed));
  }
  g_signal_emit_by_name (find (f->page, "history_button"), "clicked");
  ladle_test_ui_spin (400);
  g_free (ladle_test_ui_screenshot (GTK_WIDGET (f->window), "requests-history-narrow-dark"));
}

static void
test_history_corrupt (Fixture       *f,
                      gconstpointer  data)
{
  static const char broken[] = "{\"version\": 1, \"entries\": [{\"request\": ";
  g_autofree char *dir = data_dir ();
  g_autofree char *path = g_build_filename (dir, "history.json", NULL);
  g_autofree char *aside = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(GDir) listing = NULL;
  const char *name;

  close_window (f);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, broken, -1, NULL));

  open_window (f, 1100, 720);
  LADLE_TEST_WAIT_UNTIL (!g_file_test (path, G_FILE_TEST_EXISTS), 5000);
  listing = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_prefix (name, "history.json.corrupt-"))
      aside = g_build_filename (dir, name, NULL);
  g_assert_nonnull (aside);
  g_assert_true (g_file_get_contents (aside, &kept, NULL, NULL));
  g_assert_cmpstr (kept, ==, broken);
  g_assert_cmpuint (g_list_model_get_n_items (history_rows (f)), ==, 0);

  /* The page works, and a new history starts. */
  set_url (f, "/get");
  send_and_wait (f);
  g_assert_cmpstr (state (f), ==, "response");
  g_assert_cmpuint (g_list_model_get_n_items (history_rows (f)), ==, 1);
}

static const char *
tab_title (Fixture *f,
           guint    n)
{
  return adw_tab_page_get_title (adw_tab_view_get_nth_page (tab_view (f), n));
}

static const char *
tab_url (Fixture *f,
         guint    n)
{
  return ladle_request_get_url (ladle_request_tab_get_request (nth_tab (f, n)));
}

static guint
n_history (Fixture *f)
{
  return g_list_model_get_n_items (G_LIST_MODEL (ladle_requests_page_get_history (f->page)));
}

/* Ctrl+T and Ctrl+W are these actions; the last tab closed leaves an empty one. */
static void
test_tabs_new_close (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *title = NULL;

  g_assert_cmpuint (n_tabs (f), ==, 1);
  g_assert_cmpstr (tab_title (f, 0), ==, "New Request");
  g_assert_true (gtk_widget_is_visible (find (f->page, "tab_bar")));
  g_assert_true (gtk_widget_is_visible (find (f->page, "new_tab_button")));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "tabs.new", NULL));
  g_assert_cmpuint (n_tabs (f), ==, 2);
  g_assert_true (ladle_requests_page_get_current_tab (f->page) == nth_tab (f, 1));
  /* Ready to type the address. */
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)),
                                         tab_find (f, "url_entry")));

  /* The title follows the request. */
  set_url (f, "/get?tab=2");
  gtk_widget_activate_action (GTK_WIDGET (f->page), "request.set-method", "s", "DELETE");
  title = g_strdup ("DELETE /get?tab=2");
  g_assert_cmpstr (tab_title (f, 1), ==, title);
  g_assert_cmpstr (adw_tab_page_get_tooltip (adw_tab_view_get_nth_page (tab_view (f), 1)), ==,
                   tab_url (f, 1));
  /* The root: the host. */
  set_url (f, "/");
  {
    g_autofree char *root = g_strconcat ("DELETE ", f->base + strlen ("http://"), NULL);

    g_assert_cmpstr (tab_title (f, 1), ==, root);
  }
  set_url (f, "/get?tab=2");
  g_assert_cmpstr (tab_title (f, 0), ==, "New Request");
  g_assert_cmpstr (ladle_request_get_method (ladle_request_tab_get_request (nth_tab (f, 0))), ==,
                   "GET");

  /* The "+" button is the same action. */
  g_signal_emit_by_name (find (f->page, "new_tab_button"), "clicked");
  g_assert_cmpuint (n_tabs (f), ==, 3);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "tabs.close", NULL));
  g_assert_cmpuint (n_tabs (f), ==, 2);
  g_assert_cmpstr (tab_title (f, 1), ==, title);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "tabs.close", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "tabs.close", NULL));
  g_assert_cmpuint (n_tabs (f), ==, 1);
  g_assert_cmpstr (tab_title (f, 0), ==, "New Request");
  g_assert_cmpstr (tab_url (f, 0), ==, "");
  g_assert_nonnull (ladle_requests_page_get_current_tab (f->page));
}

/* Two tabs, two requests running at once; each keeps its own response. */
static void
test_tabs_two_sends (Fixture       *f,
                     gconstpointer  data)
{
  LadleRequestTab *first;
  LadleRequestTab *second;
  LadleResponseView *first_view;
  LadleResponseView *second_view;
  g_autofree char *first_text = NULL;
  g_autofree char *second_text = NULL;

  set_url (f, "/delay/1?tab=one");
  first = ladle_requests_page_get_current_tab (f->page);
  first_view = response_view (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "request.send", NULL));
  g_assert_true (ladle_request_tab_get_busy (first));
  g_assert_true (adw_tab_page_get_loading (adw_tab_view_get_nth_page (tab_view (f), 0)));

  gtk_widget_activate_action (GTK_WIDGET (f->page), "tabs.new", NULL);
  second = ladle_requests_page_get_current_tab (f->page);
  second_view = response_view (f);
  g_assert_true (second != first);
  g_assert_false (ladle_requests_page_get_busy (f->page));
  set_url (f, "/anything/two");
  send_and_wait (f);
  /* The first is still running: its own send, its own Cancel button. */
  g_assert_true (ladle_request_tab_get_busy (first));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (find (first, "send_stack"))), ==,
                   "cancel");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (find (second, "send_stack"))), ==,
                   "send");

  LADLE_TEST_WAIT_UNTIL (!ladle_request_tab_get_busy (first), 5000);
  LADLE_TEST_WAIT_UNTIL (ladle_response_view_get_body_ready (first_view), 5000);
  g_assert_false (adw_tab_page_get_loading (adw_tab_view_get_nth_page (tab_view (f), 0)));
  /* The second tab shows its own answer... */
  g_assert_true (response_view (f) == second_view);
  second_text = body_text (f);
  g_assert_nonnull (strstr (second_text, "/anything/two"));
  g_assert_null (strstr (second_text, "tab=one"));

  /* ...and the first, selected again, its own. */
  adw_tab_view_set_selected_page (tab_view (f), adw_tab_view_get_nth_page (tab_view (f), 0));
  g_assert_true (response_view (f) == first_view);
  first_text = body_text (f);
  g_assert_nonnull (strstr (first_text, "\"tab\": \"one\""));
  g_assert_null (strstr (first_text, "/anything/two"));
  g_assert_cmpuint (n_history (f), ==, 2);
}

/* Closing a tab whose request runs stops the request. */
static void
test_tabs_close_running (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(LadleRequestTab) tab = NULL;
  gint64 start;

  gtk_widget_activate_action (GTK_WIDGET (f->page), "tabs.new", NULL);
  set_url (f, "/delay/5");
  tab = g_object_ref (ladle_requests_page_get_current_tab (f->page));
  gtk_widget_activate_action (GTK_WIDGET (f->page), "request.send", NULL);
  LADLE_TEST_WAIT_UNTIL (g_strcmp0 (state (f), "running") == 0, 1000);
  ladle_test_ui_spin (200);
  g_assert_true (ladle_request_tab_get_busy (tab));

  start = g_get_monotonic_time ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "tabs.close", NULL));
  g_assert_cmpuint (n_tabs (f), ==, 1);
  g_assert_true (ladle_requests_page_get_current_tab (f->page) != tab);
  LADLE_TEST_WAIT_UNTIL (!ladle_request_tab_get_busy (tab), 2000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  /* Cancelled, not failed: nothing in the history. */
  ladle_test_ui_spin (200);
  g_assert_cmpuint (n_history (f), ==, 0);
}

/* The open tabs, their drafts and the selected one come back after a restart. */
static void
test_tabs_restart (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *dir = data_dir ();
  g_autofree char *path = g_build_filename (dir, "tabs.json", NULL);
  g_autofree char *one = g_strconcat (f->base, "/get?one", NULL);
  g_autofree char *two = g_strconcat (f->base, "/post?two", NULL);
  g_autofree char *title_two = NULL;
  GtkTextView *body;

  set_url (f, "/get?one");
  gtk_widget_activate_action (GTK_WIDGET (f->page), "tabs.new", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "request.set-method", "s", "POST");
  set_url (f, "/post?two");
  set_body_kind (f, 1);
  body = GTK_TEXT_VIEW (find (editor (f), "body_view"));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (body), "{\"kept\": true}", -1);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "tabs.new", NULL);
  adw_tab_view_set_selected_page (tab_view (f), adw_tab_view_get_nth_page (tab_view (f), 1));
  title_two = g_strdup (tab_title (f, 1));
  close_window (f);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  open_window (f, 1100, 720);
  LADLE_TEST_WAIT_UNTIL (n_tabs (f) == 3 && g_strcmp0 (tab_url (f, 0), one) == 0, 5000);
  g_assert_cmpstr (tab_url (f, 1), ==, two);
  g_assert_cmpstr (tab_url (f, 2), ==, "");
  g_assert_cmpstr (tab_title (f, 1), ==, title_two);
  g_assert_cmpstr (tab_title (f, 2), ==, "New Request");
  g_assert_true (ladle_requests_page_get_current_tab (f->page) == nth_tab (f, 1));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tab_find (f, "url_entry"))), ==, two);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tab_find (f, "method_entry"))), ==,
                   "POST");
  g_assert_cmpstr (ladle_request_get_body_text (ladle_requests_page_get_request (f->page)), ==,
                   "{\"kept\": true}");

  /* Closing one is saved too. */
  gtk_widget_activate_action (GTK_WIDGET (f->page), "tabs.close", NULL);
  close_window (f);
  open_window (f, 1100, 720);
  LADLE_TEST_WAIT_UNTIL (n_tabs (f) == 2 && g_strcmp0 (tab_url (f, 0), one) == 0, 5000);
  g_assert_cmpstr (tab_url (f, 1), ==, "");
}

/* A Ladle from before tabs left its request in draft.json: it becomes the first tab. */
static void
test_tabs_from_draft (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *dir = data_dir ();
  g_autofree char *draft_path = g_build_filename (dir, "draft.json", NULL);
  g_autofree char *url = g_strconcat (f->base, "/put?draft", NULL);
  g_autoptr(LadleRequest) request = ladle_request_new ();
  g_autoptr(GError) error = NULL;

  close_window (f);
  ladle_request_set_method (request, "PUT");
  ladle_request_set_url (request, url);
  {
    g_autoptr(JsonNode) node = ladle_request_to_json (request);
    g_autofree char *text = json_to_string (node, FALSE);
    g_autofree char *draft = g_strdup_printf ("{\"version\": 1, \"request\": %s}", text);

    g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
    g_assert_true (g_file_set_contents (draft_path, draft, -1, &error));
    g_assert_no_error (error);
  }

  open_window (f, 1100, 720);
  LADLE_TEST_WAIT_UNTIL (g_strcmp0 (tab_url (f, 0), url) == 0, 5000);
  g_assert_cmpuint (n_tabs (f), ==, 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tab_find (f, "method_entry"))), ==, "PUT");
  /* Once the tabs are saved, the draft has served. */
  gtk_widget_activate_action (GTK_WIDGET (f->page), "tabs.new", NULL);
  close_window (f);
  g_assert_false (g_file_test (draft_path, G_FILE_TEST_EXISTS));
  open_window (f, 1100, 720);
  LADLE_TEST_WAIT_UNTIL (n_tabs (f) == 2, 5000);
  g_assert_cmpstr (tab_url (f, 0), ==, url);
}

/* A damaged tabs file is set aside; the page starts with one empty tab and works. */
static void
test_tabs_corrupt (Fixture       *f,
                   gconstpointer  data)
{
  static const char broken[] = "{\"version\": 1, \"tabs\": [{\"request\": ";
  g_autofree char *dir = data_dir ();
  g_autofree char *path = g_build_filename (dir, "tabs.json", NULL);
  g_autofree char *kept = NULL;
  g_autoptr(GDir) listing = NULL;
  const char *name;
  gboolean found = FALSE;

  close_window (f);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, broken, -1, NULL));

  open_window (f, 1100, 720);
  LADLE_TEST_WAIT_UNTIL (!g_file_test (path, G_FILE_TEST_EXISTS), 5000);
  listing = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_prefix (name, "tabs.json.corrupt-"))
      {
        g_autofree char *aside = g_build_filename (dir, name, NULL);

        g_assert_true (g_file_get_contents (aside, &kept, NULL, NULL));
        g_assert_cmpstr (kept, ==, broken);
        found = TRUE;
      }
  g_assert_true (found);
  g_assert_cmpuint (n_tabs (f), ==, 1);
  g_assert_cmpstr (tab_title (f, 0), ==, "New Request");

  set_url (f, "/get");
  send_and_wait (f);
  g_assert_cmpstr (state (f), ==, "response");
}

static const char *
shown_error (Fixture *f)
{
  return gtk_label_get_text (GTK_LABEL (find (response_view (f), "error_label")));
}

/* Marks what a user could type that would smuggle a request: a method that is not a token, a
 * header row with a space in its name or a line break in its value. Each is marked where it is
 * typed, and Send refuses with the reason, taking the user there. @english: also check the
 * words. */
static void
mark_invalid_head (Fixture  *f,
                   gboolean  english)
{
  LadleRequest *request = ladle_requests_page_get_request (f->page);
  GtkWidget *method = tab_find (f, "method_entry");
  GtkListBox *headers = GTK_LIST_BOX (find (editor (f), "headers_list"));
  GtkStack *pages = GTK_STACK (find (editor (f), "editor_stack"));
  GtkWidget *row;
  GtkWidget *name;
  GtkWidget *value;

  set_url (f, "/get");

  /* The method, as typed */
  gtk_editable_set_text (GTK_EDITABLE (method), "GE T");
  g_assert_cmpstr (ladle_request_get_method (request), ==, "GE T");
  g_assert_true (gtk_widget_has_css_class (method, "error"));
  if (english)
    g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (method),
                              "“GE T” is not a valid HTTP method"));
  g_signal_emit_by_name (tab_find (f, "url_entry"), "activate");
  g_assert_false (ladle_requests_page_get_busy (f->page));
  g_assert_cmpstr (state (f), ==, "error");
  g_assert_cmpstr (shown_error (f), ==, gtk_widget_get_tooltip_text (method));
  g_assert_true (ladle_test_ui_has_focus_in (method));

  gtk_editable_set_text (GTK_EDITABLE (method), "PATCH");
  g_assert_false (gtk_widget_has_css_class (method, "error"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (method), ==,
                   english ? "Method" : gtk_widget_get_tooltip_text (method));

  /* A header row: a new, empty one is no error; a name with a space is */
  g_signal_emit_by_name (find (editor (f), "headers_add"), "clicked");
  row = GTK_WIDGET (gtk_list_box_get_row_at_index (headers, 0));
  name = find (row, "name_entry");
  value = find (row, "value_entry");
  g_assert_false (gtk_widget_has_css_class (name, "error"));
  gtk_editable_set_text (GTK_EDITABLE (name), "X Trace");
  gtk_editable_set_text (GTK_EDITABLE (value), "1");
  g_assert_true (gtk_widget_has_css_class (name, "error"));
  g_assert_false (gtk_widget_has_css_class (value, "error"));
  if (english)
    g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (name),
                              "“X Trace” is not a valid header name"));

  gtk_stack_set_visible_child_name (pages, "body");
  g_signal_emit_by_name (tab_find (f, "url_entry"), "activate");
  g_assert_false (ladle_requests_page_get_busy (f->page));
  g_assert_cmpstr (state (f), ==, "error");
  g_assert_cmpstr (shown_error (f), ==, gtk_widget_get_tooltip_text (name));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (pages), ==, "headers");
  g_assert_true (ladle_test_ui_has_focus_in (name));

  /* Switched off, it is not sent, so not marked (the click takes the focus to the switch) */
  gtk_widget_grab_focus (find (row, "enabled_switch"));
  gtk_switch_set_active (GTK_SWITCH (find (row, "enabled_switch")), FALSE);
  g_assert_false (gtk_widget_has_css_class (name, "error"));
  gtk_switch_set_active (GTK_SWITCH (find (row, "enabled_switch")), TRUE);
  g_assert_true (gtk_widget_has_css_class (name, "error"));

  /* A line break in the value (pasted, or from a saved request) */
  gtk_editable_set_text (GTK_EDITABLE (name), "X-Trace");
  g_assert_false (gtk_widget_has_css_class (name, "error"));
  gtk_editable_set_text (GTK_EDITABLE (value), "1\r\nSet-Cookie: stolen=1");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (value)), ==, "1\r\nSet-Cookie: stolen=1");
  g_assert_true (gtk_widget_has_css_class (value, "error"));
  if (english)
    g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (value),
                              "“X-Trace” contains a line break"));
  g_signal_emit_by_name (tab_find (f, "url_entry"), "activate");
  g_assert_false (ladle_requests_page_get_busy (f->page));
  g_assert_true (ladle_test_ui_has_focus_in (value));

  /* Both at once, for the screenshot */
  gtk_editable_set_text (GTK_EDITABLE (method), "GET /x HTTP/1.1");
  g_assert_true (gtk_widget_has_css_class (method, "error"));
  g_signal_emit_by_name (tab_find (f, "url_entry"), "activate");
  g_assert_cmpstr (state (f), ==, "error");
  gtk_stack_set_visible_child_name (pages, "headers");

  /* Nothing went out. */
  g_assert_cmpuint (n_history (f), ==, 0);
}

static void
test_invalid_head (Fixture       *f,
                   gconstpointer  data)
{
  mark_invalid_head (f, TRUE);
  g_free (ladle_test_ui_screenshot (GTK_WIDGET (f->window), "requests-invalid-head-wide-en"));
  close_window (f);

  ladle_test_ui_set_language ("ru");
  clear_data (f);
  open_window (f, 1100, 720);
  mark_invalid_head (f, FALSE);
  g_assert_null (strstr (gtk_widget_get_tooltip_text (tab_find (f, "method_entry")), "valid"));
  g_free (ladle_test_ui_screenshot (GTK_WIDGET (f->window), "requests-invalid-head-wide-ru"));
  close_window (f);
  ladle_test_ui_set_language (NULL);
}

/* The bearer token and the content type go into headers too: marked where they are typed. */
static void
test_invalid_derived (Fixture       *f,
                      gconstpointer  data)
{
  LadleRequest *request = ladle_requests_page_get_request (f->page);
  GtkWidget *token = find (editor (f), "auth_token_row");
  GtkWidget *content_type = find (editor (f), "content_type_entry");
  GtkStack *pages = GTK_STACK (find (editor (f), "editor_stack"));

  set_url (f, "/post");
  ladle_request_set_auth_token (request, "t\nX-Injected: 1");
  g_assert_false (gtk_widget_has_css_class (token, "error"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (find (editor (f), "auth_kind_row")),
                              LADLE_AUTH_BEARER);
  g_assert_true (gtk_widget_has_css_class (token, "error"));
  g_signal_emit_by_name (tab_find (f, "url_entry"), "activate");
  g_assert_false (ladle_requests_page_get_busy (f->page));
  g_assert_nonnull (strstr (shown_error (f), "bearer token"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (pages), ==, "auth");
  gtk_editable_set_text (GTK_EDITABLE (token), "abc");
  g_assert_false (gtk_widget_has_css_class (token, "error"));

  set_body_kind (f, 2);   /* Text */
  gtk_editable_set_text (GTK_EDITABLE (content_type), "text/plain\nX-Injected: 1");
  g_assert_true (gtk_widget_has_css_class (content_type, "error"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (content_type), "“Content-Type”"));
  set_body_kind (f, 1);   /* JSON: the content type is not sent */
  g_assert_false (gtk_widget_has_css_class (content_type, "error"));
  set_body_kind (f, 2);
  gtk_stack_set_visible_child_name (pages, "params");
  g_signal_emit_by_name (tab_find (f, "url_entry"), "activate");
  g_assert_false (ladle_requests_page_get_busy (f->page));
  g_assert_nonnull (strstr (shown_error (f), "Content-Type"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (pages), ==, "body");
  g_assert_cmpuint (n_history (f), ==, 0);
}

static void
test_screenshots (Fixture       *f,
                  gconstpointer  data)
{
  static const struct { const char *size; int width; int height; } sizes[] = {
    { "wide", 1100, 720 },
    { "narrow", 400, 640 },
  };
  /* What may be cut or overlap (see ladle_test_ui_check_labels()), at 400 pixels only: the
   * address field, whose URL is longer than the field a phone leaves it (it scrolls), and the
   * titles of three tabs (method and URL), which libadwaita's tab bar fades out when the tabs
   * share a narrow window (it scrolls too; the tooltip has the whole title). */
  static const char *allowed[] = { "url_entry", "AdwTab", NULL };
  g_autofree char *dir = data_dir ();

  close_window (f);

  for (guint d = 0; d < 2; d++)
    for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
      {
        g_autofree char *name = g_strdup_printf ("requests-json-%s-%s", sizes[s].size,
                                                 d ? "dark" : "light");
        GtkTextView *editor_view;

        ladle_test_ui_set_dark (d == 1);
        ladle_test_rm_rf (dir);
        open_window (f, sizes[s].width, sizes[s].height);
        /* Three tabs: two others, and the JSON POST selected. */
        set_url (f, "/get?tab=1");
        gtk_widget_activate_action (GTK_WIDGET (f->page), "tabs.new", NULL);
        gtk_widget_activate_action (GTK_WIDGET (f->page), "request.set-method", "s", "PUT");
        set_url (f, "/anything/second-tab");
        gtk_widget_activate_action (GTK_WIDGET (f->page), "tabs.new", NULL);
        gtk_widget_activate_action (GTK_WIDGET (f->page), "request.set-method", "s", "POST");
        set_url (f, "/post?page=1");
        set_body_kind (f, 1);
        editor_view = GTK_TEXT_VIEW (find (editor (f), "body_view"));
        gtk_text_buffer_set_text (gtk_text_view_get_buffer (editor_view),
                                  "{\n  \"name\": \"Ladle\",\n  \"tags\": [\"http\", \"gtk\"]\n}",
                                  -1);
        gtk_stack_set_visible_child_name (GTK_STACK (find (editor (f), "editor_stack")), "body");
        send_and_wait (f);
        g_free (ladle_test_ui_screenshot (GTK_WIDGET (f->window), name));
        /* Every label whole, and at 400 pixels nothing overlapping, the window no wider. */
        g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->window)), <=, sizes[s].width);
        ladle_test_ui_assert_layout (GTK_WIDGET (f->window), s == 1, s == 1 ? allowed : NULL,
                                     name);
        close_window (f);
      }

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autofree char *name = g_strdup_printf ("requests-timeout-%s-light", sizes[s].size);

      ladle_test_ui_set_dark (FALSE);
      ladle_test_rm_rf (dir);
      open_window (f, sizes[s].width, sizes[s].height);
      gtk_stack_set_visible_child_name (GTK_STACK (find (editor (f), "editor_stack")), "options");
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (find (editor (f), "total_timeout_spin")), 1);
      set_url (f, "/delay/3");
      send_and_wait (f);
      g_assert_cmpstr (state (f), ==, "error");
      g_free (ladle_test_ui_screenshot (GTK_WIDGET (f->window), name));
      g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->window)), <=, sizes[s].width);
      ladle_test_ui_assert_layout (GTK_WIDGET (f->window), s == 1, s == 1 ? allowed : NULL,
                                   name);
      close_window (f);
    }
}

/* User text is never markup: "&" and "<" in a URL give no warning (a warning fails the test, as
 * the tests run with fatal warnings) and the tab shows them as typed. */
static void
test_tab_markup (Fixture       *f,
                 gconstpointer  data)
{
  const char *tooltip;
  g_autofree char *title = NULL;
  g_autofree char *tooltip_text = NULL;

  set_url (f, "/get?a=1&b=<x>");
  title = g_strdup ("GET /get?a=1&b=<x>");
  LADLE_TEST_WAIT_UNTIL (ladle_test_ui_has_label (find (f->page, "tab_bar"), title), 5000);
  tooltip = adw_tab_page_get_tooltip (adw_tab_view_get_nth_page (tab_view (f), 0));
  g_assert_true (pango_parse_markup (tooltip, -1, 0, NULL, &tooltip_text, NULL, NULL));
  g_assert_cmpstr (tooltip_text, ==, tab_url (f, 0));
  g_assert_nonnull (strstr (tab_url (f, 0), "a=1&b=<x>"));

  send_and_wait (f);
  g_assert_cmpstr (state (f), ==, "response");
  g_assert_true (ladle_test_ui_has_label (find (f->page, "tab_bar"), title));
}

int
main (int   argc,
      char *argv[])
{
  if (!ladle_test_ui_init (&argc, &argv))
    {
      g_test_add_func ("/ladle/ui-requests/no-display", (GTestFunc) g_test_incomplete);
      return ladle_test_run ();
    }

#define ADD(path, func) \
  g_test_add ("/ladle/ui-requests/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("get-hello", test_get_hello);
  ADD ("post-json", test_post_json);
  ADD ("invalid-json", test_invalid_json);
  ADD ("total-timeout", test_total_timeout);
  ADD ("multipart-upload", test_multipart_upload);
  ADD ("paste-curl", test_paste_curl);
  ADD ("invalid-url", test_invalid_url);
  ADD ("no-scheme", test_no_scheme);
  ADD ("cancel", test_cancel);
  ADD ("redirect-note", test_redirect_note);
  ADD ("headers-timing", test_headers_timing);
  ADD ("binary", test_binary_and_image);
  ADD ("deep-json", test_deep_json);
  ADD ("history", test_history);
  ADD ("history-restart", test_history_restart);
  ADD ("history-corrupt", test_history_corrupt);
  ADD ("tabs-new-close", test_tabs_new_close);
  ADD ("tabs-two-sends", test_tabs_two_sends);
  ADD ("tabs-close-running", test_tabs_close_running);
  ADD ("tabs-restart", test_tabs_restart);
  ADD ("tabs-from-draft", test_tabs_from_draft);
  ADD ("tabs-corrupt", test_tabs_corrupt);
  ADD ("invalid-head", test_invalid_head);
  ADD ("invalid-derived", test_invalid_derived);
  ADD ("tab-markup", test_tab_markup);
  ADD ("screenshots", test_screenshots);
#undef ADD

  return ladle_test_run ();
}
