/* test-ui-request-editor.c
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
#include "ladle-jwt.h"
#include "ladle-key-value-row.h"
#include "ladle-request-editor.h"
#include "ladle-request-tab.h"
#include "ladle-requests-page.h"
#include "ladle-response-view.h"
#include "ladle-test-input.h"
#include "ladle-test-ui.h"

/* The request editor as hands use it (real X input events, tests/ladle-test-input.h), against a
 * logging server on 127.0.0.1: the Params table and the address bar are one query, Add Header /
 * Parameter / Field put the cursor in the new row, a file field shows the file's name, a GET with
 * a body says it is sent, and the headers Ladle adds are listed. What was sent is read from the
 * server's log. */

typedef struct
{
  LadleTestLogServer *server;
  char               *uploads;
  char               *base;
  GtkWindow          *window;
  LadleRequestsPage  *page;
} Fixture;

/* The widget under @root named @name; the test fails if there is none. */
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

static GtkWidget *
tab_find (Fixture    *f,
          const char *name)
{
  return find (tab (f), name);
}

static LadleRequest *
request (Fixture *f)
{
  return ladle_request_tab_get_request (tab (f));
}

static const char *
url_text (Fixture *f)
{
  return gtk_editable_get_text (GTK_EDITABLE (tab_find (f, "url_entry")));
}

static void
show_page (Fixture    *f,
           const char *title,
           const char *name)
{
  ladle_test_input_click (ladle_test_ui_button_titled (tab_find (f, "editor_switcher"), title));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (tab_find (f, "editor_stack"))),
                   ==, name);
}

/* "name=value|name=value" as the rows of @list show them (disabled rows as "!name=value") */
static char *
rows_of (GtkWidget *list)
{
  GString *text = g_string_new (NULL);
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), i)) != NULL; i++)
    {
      LadleKeyValue *kv;

      if (!LADLE_IS_KEY_VALUE_ROW (row))
        continue;
      kv = ladle_key_value_row_get_item (LADLE_KEY_VALUE_ROW (row));
      g_string_append_printf (text, "%s%s%s=%s", text->len > 0 ? "|" : "",
                              ladle_key_value_get_enabled (kv) ? "" : "!",
                              gtk_editable_get_text (GTK_EDITABLE (find (row, "name_entry"))),
                              gtk_editable_get_text (GTK_EDITABLE (find (row, "value_entry"))));
    }
  return g_string_free (text, FALSE);
}

static GtkWidget *
last_row (GtkWidget *list)
{
  GtkListBoxRow *row = NULL;
  GtkListBoxRow *next;

  for (int i = 0; (next = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), i)) != NULL; i++)
    row = next;
  g_assert_nonnull (row);
  return GTK_WIDGET (row);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *dir = ladle_data_dir_dup (APP_ID);

  f->uploads = ladle_test_make_tmpdir ("ladle-ui-editor-XXXXXX");
  f->server = ladle_test_log_server_new (f->uploads, 0);
  f->base = g_strdup (ladle_test_log_server_get_url (f->server));
  if (g_str_has_suffix (f->base, "/"))
    f->base[strlen (f->base) - 1] = '\0';
  ladle_test_rm_rf (dir);

  f->window = ladle_test_ui_requests_window (NULL, 1100, 720, &f->page);
  ladle_test_input_focus_window (f->window);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *dir = ladle_data_dir_dup (APP_ID);

  ladle_test_ui_destroy_window (f->window);
  ladle_test_log_server_free (f->server);
  ladle_test_rm_rf (f->uploads);
  ladle_test_rm_rf (dir);
  g_free (f->uploads);
  g_free (f->base);
}

/* Ctrl+Enter, and what reached the server (one request) */
static const LadleTestLogged *
send_and_log (Fixture *f)
{
  GPtrArray *log = ladle_test_log_server_get_log (f->server);

  g_ptr_array_set_size (log, 0);
  ladle_test_input_key ("ctrl+Return");
  LADLE_TEST_WAIT_UNTIL (!ladle_requests_page_get_busy (f->page) && log->len > 0, 10000);
  ladle_test_log_server_settle (f->server);
  g_assert_cmpuint (log->len, ==, 1);
  return g_ptr_array_index (log, 0);
}

/* A query typed in the address bar is the Params table's rows, in order, duplicates and a key
 * without "=" kept, decoded for display; the rows follow every keystroke without touching the
 * text being typed. */
static void
test_url_to_rows (Fixture       *f,
                  gconstpointer  data)
{
  GtkWidget *list = tab_find (f, "params_list");
  g_autofree char *rows = NULL;
  g_autofree char *after = NULL;

  ladle_test_ui_type_url (f->page, f->base, "/get?a=1&a=2&b&q=x%20y&t={{token}}#top");
  rows = rows_of (list);
  g_assert_cmpstr (rows, ==, "a=1|a=2|b=|q=x y|t={{token}}");

  /* Typing on: the cursor stays at the end (what is typed lands there) */
  ladle_test_input_key ("BackSpace");
  ladle_test_input_key ("BackSpace");
  ladle_test_input_key ("BackSpace");
  ladle_test_input_key ("BackSpace");
  ladle_test_input_type ("&c=3");
  after = rows_of (list);
  g_assert_cmpstr (after, ==, "a=1|a=2|b=|q=x y|t={{token}}|c=3");
  g_assert_true (g_str_has_suffix (url_text (f), "/get?a=1&a=2&b&q=x%20y&t={{token}}&c=3"));

  /* A query too long for rows is left to the address bar, and kept whole */
  {
    g_autoptr(GString) long_url = g_string_new (f->base);
    g_autofree char *none = NULL;
    g_autofree char *back = NULL;

    g_string_append (long_url, "/get?");
    for (guint i = 0; i < 2000; i++)
      g_string_append_printf (long_url, "k%u=%u&", i, i);
    ladle_request_set_url (request (f), long_url->str);
    none = rows_of (list);
    g_assert_cmpstr (none, ==, "");
    g_assert_true (gtk_widget_get_visible (tab_find (f, "params_too_many")));
    g_assert_false (gtk_widget_get_sensitive (tab_find (f, "params_add")));
    g_assert_cmpstr (url_text (f), ==, long_url->str);

    ladle_test_ui_type_url (f->page, f->base, "/get?a=1");
    back = rows_of (list);
    g_assert_cmpstr (back, ==, "a=1");
    g_assert_true (gtk_widget_get_sensitive (tab_find (f, "params_add")));
    g_assert_false (gtk_widget_get_visible (tab_find (f, "params_too_many")));
  }
}

/* Add Parameter puts the cursor in the new row's name; the URL gets what is typed there, encoded
 * where needed, and the request goes out with the query once. */
static void
test_add_parameter (Fixture       *f,
                    gconstpointer  data)
{
  GtkWidget *list = tab_find (f, "params_list");
  const LadleTestLogged *logged;
  g_autofree char *rows = NULL;
  g_autofree char *expected = NULL;
  GtkWidget *row;

  ladle_test_ui_type_url (f->page, f->base, "/get?a=1");
  ladle_test_input_click (tab_find (f, "params_add"));
  row = last_row (list);
  g_assert_true (ladle_test_ui_has_focus_in (find (row, "name_entry")));
  ladle_test_input_type ("q&");
  ladle_test_input_key ("Tab");
  ladle_test_input_type ("x y+1");
  rows = rows_of (list);
  g_assert_cmpstr (rows, ==, "a=1|q&=x y+1");
  expected = g_strconcat (f->base, "/get?a=1&q%26=x%20y%2B1", NULL);
  g_assert_cmpstr (url_text (f), ==, expected);

  /* Switched off: out of the URL, kept in the table (a switch moves once its animation ends) */
  ladle_test_input_click (find (row, "enabled_switch"));
  g_clear_pointer (&expected, g_free);
  expected = g_strconcat (f->base, "/get?a=1", NULL);
  LADLE_TEST_WAIT_UNTIL (g_strcmp0 (url_text (f), expected) == 0, 2000);
  g_clear_pointer (&rows, g_free);
  rows = rows_of (list);
  g_assert_cmpstr (rows, ==, "a=1|!q&=x y+1");
  ladle_test_input_click (find (row, "enabled_switch"));
  LADLE_TEST_WAIT_UNTIL (g_strcmp0 (url_text (f), expected) != 0, 2000);

  ladle_test_input_click (tab_find (f, "url_entry"));
  logged = send_and_log (f);
  g_assert_cmpstr (logged->path, ==, "/get?a=1&q%26=x%20y%2B1");
}

/* A tab restored from a session saved before the rows and the URL were linked: its rows move into
 * the URL, and are sent once. */
static void
test_saved_rows (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(LadleRequest) saved = ladle_request_new ();
  g_autoptr(LadleKeyValue) q = ladle_key_value_new ("q", "a b");
  g_autoptr(LadleKeyValue) off = ladle_key_value_new ("off", "1");
  g_autofree char *url = g_strconcat (f->base, "/get?x=1", NULL);
  g_autofree char *expected = g_strconcat (f->base, "/get?x=1&q=a%20b", NULL);
  g_autofree char *rows = NULL;
  const LadleTestLogged *logged;

  ladle_request_set_url (saved, url);
  ladle_key_value_set_enabled (off, FALSE);
  g_list_store_append (ladle_request_get_params (saved), q);
  g_list_store_append (ladle_request_get_params (saved), off);
  ladle_request_tab_set_request (tab (f), saved);

  g_assert_cmpstr (url_text (f), ==, expected);
  rows = rows_of (tab_find (f, "params_list"));
  g_assert_cmpstr (rows, ==, "x=1|q=a b|!off=1");

  ladle_test_input_click (tab_find (f, "url_entry"));
  logged = send_and_log (f);
  g_assert_cmpstr (logged->path, ==, "/get?x=1&q=a%20b");
}

/* Add Header and Add Field: what is typed next is the new row's name. */
static void
test_add_focus (Fixture       *f,
                gconstpointer  data)
{
  GtkWidget *headers = tab_find (f, "headers_list");
  GtkWidget *form = tab_find (f, "form_list");
  g_autofree char *header_rows = NULL;
  g_autofree char *form_rows = NULL;

  show_page (f, "Headers", "headers");
  ladle_test_input_click (tab_find (f, "headers_add"));
  g_assert_true (ladle_test_ui_has_focus_in (find (last_row (headers), "name_entry")));
  ladle_test_input_type ("X-Trace");
  ladle_test_input_key ("Tab");
  ladle_test_input_type ("abc");
  header_rows = rows_of (headers);
  g_assert_cmpstr (header_rows, ==, "X-Trace=abc");

  ladle_request_set_body_kind (request (f), LADLE_BODY_FORM);
  show_page (f, "Body", "body");
  ladle_test_input_click (tab_find (f, "form_add"));
  g_assert_true (ladle_test_ui_has_focus_in (find (last_row (form), "name_entry")));
  ladle_test_input_type ("title");
  form_rows = rows_of (form);
  g_assert_cmpstr (form_rows, ==, "title=");
}

/* A multipart file field shows the file's name, however long the path; the path is the tooltip,
 * as plain text. */
static void
test_file_name (Fixture       *f,
                gconstpointer  data)
{
  const char *path = "/home/someone/Documents/projects/2026/quarterly reports/final/"
                     "<i>draft & report-2026.pdf";
  g_autoptr(LadleKeyValue) file = ladle_key_value_new_file ("upload", path);
  GtkWidget *label;
  PangoLayout *layout;

  ladle_request_set_body_kind (request (f), LADLE_BODY_MULTIPART);
  g_list_store_append (ladle_request_get_form (request (f)), file);
  show_page (f, "Body", "body");
  ladle_test_input_resize (f->window, 600, 600);

  label = find (last_row (tab_find (f, "form_list")), "file_label");
  ladle_test_ui_wait_for_draw (label);
  g_assert_true (gtk_widget_get_mapped (label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "<i>draft & report-2026.pdf");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (label), ==, path);
  /* The end of the name is what shows when the row is narrow */
  layout = gtk_label_get_layout (GTK_LABEL (label));
  if (pango_layout_is_ellipsized (layout))
    g_assert_cmpint (gtk_label_get_ellipsize (GTK_LABEL (label)), ==, PANGO_ELLIPSIZE_START);
  ladle_test_ui_screenshot (GTK_WIDGET (f->window), "editor-file-field");
}

/* POST → GET with a body: the editor says the body is still sent (and it is), and Remove Body
 * takes it off. */
static void
test_get_with_body (Fixture       *f,
                    gconstpointer  data)
{
  GtkWidget *notice;
  GtkWidget *method = tab_find (f, "method_entry");
  const LadleTestLogged *logged;

  ladle_test_ui_type_url (f->page, f->base, "/anything");
  ladle_request_set_method (request (f), "POST");
  ladle_request_set_body_kind (request (f), LADLE_BODY_JSON);
  ladle_request_set_body_text (request (f), "{\"a\": 1}");
  notice = tab_find (f, "body_notice");
  g_assert_false (gtk_widget_get_visible (notice));

  ladle_test_input_click (method);
  ladle_test_input_key ("ctrl+a");
  ladle_test_input_type ("GET");
  g_assert_cmpstr (ladle_request_get_method (request (f)), ==, "GET");
  ladle_test_ui_wait_for_draw (notice);
  g_assert_true (gtk_widget_get_mapped (notice));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (tab_find (f, "body_notice_label"))),
                            "GET"));
  ladle_test_ui_screenshot (GTK_WIDGET (f->window), "editor-get-with-body");

  /* What it says is what happens */
  logged = send_and_log (f);
  g_assert_cmpstr (logged->method, ==, "GET");
  g_assert_cmpuint (g_bytes_get_size (logged->body), ==, strlen ("{\"a\": 1}"));

  ladle_test_input_click (tab_find (f, "body_notice_remove"));
  g_assert_cmpint (ladle_request_get_body_kind (request (f)), ==, LADLE_BODY_NONE);
  g_assert_false (gtk_widget_get_visible (notice));
}

static GtkWidget *
auto_row (Fixture    *f,
          const char *name)
{
  return ladle_test_ui_find (tab_find (f, "auto_headers_list"), name);
}

static const char *
auto_value (Fixture    *f,
            const char *name)
{
  GtkWidget *row = auto_row (f, name);
  GtkWidget *box;

  if (row == NULL)
    return NULL;
  box = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));
  return gtk_label_get_text (GTK_LABEL (gtk_widget_get_last_child (box)));
}

static gboolean
auto_struck (Fixture    *f,
             const char *name)
{
  GtkWidget *box = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (auto_row (f, name)));
  PangoAttrList *attrs = gtk_label_get_attributes (GTK_LABEL (gtk_widget_get_first_child (box)));
  g_autoptr(PangoAttrIterator) iter = NULL;

  if (attrs == NULL)
    return FALSE;
  iter = pango_attr_list_get_iterator (attrs);
  return pango_attr_iterator_get (iter, PANGO_ATTR_STRIKETHROUGH) != NULL;
}

/* The Headers tab lists what Ladle adds, with the values sent; a header of the user's with the
 * same name replaces one, which is then struck through. */
static void
test_automatic_headers (Fixture       *f,
                        gconstpointer  data)
{
  const LadleTestLogged *logged;
  const char *port;

  ladle_test_ui_type_url (f->page, f->base, "/headers");
  show_page (f, "Headers", "headers");
  LADLE_TEST_WAIT_UNTIL (auto_row (f, "Connection") != NULL, 2000);
  ladle_test_ui_wait_for_draw (auto_row (f, "Connection"));
  g_assert_true (gtk_widget_get_mapped (auto_row (f, "User-Agent")));
  g_assert_cmpstr (auto_value (f, "Accept-Encoding"), ==, "gzip, deflate");
  g_assert_cmpstr (auto_value (f, "Connection"), ==, "Keep-Alive");
  port = strrchr (f->base, ':');
  g_assert_true (g_str_has_suffix (auto_value (f, "Host"), port));
  g_assert_null (auto_row (f, "Content-Type"));

  ladle_request_set_body_kind (request (f), LADLE_BODY_JSON);
  ladle_request_set_body_text (request (f), "{}");
  LADLE_TEST_WAIT_UNTIL (auto_row (f, "Content-Type") != NULL, 2000);
  g_assert_cmpstr (auto_value (f, "Content-Type"), ==, "application/json");
  g_assert_cmpstr (auto_value (f, "Content-Length"), ==, "2");

  ladle_test_input_click (tab_find (f, "headers_add"));
  ladle_test_input_type ("Accept-Encoding");
  ladle_test_input_key ("Tab");
  ladle_test_input_type ("identity");
  LADLE_TEST_WAIT_UNTIL (auto_struck (f, "Accept-Encoding"), 2000);
  g_assert_false (auto_struck (f, "Connection"));

  /* The user's User-Agent replaces Ladle's, as curl's -A does */
  ladle_test_input_click (tab_find (f, "headers_add"));
  ladle_test_input_type ("User-Agent");
  ladle_test_input_key ("Tab");
  ladle_test_input_type ("mine");
  LADLE_TEST_WAIT_UNTIL (auto_struck (f, "User-Agent"), 2000);
  g_assert_false (gtk_widget_has_css_class (find (last_row (tab_find (f, "headers_list")),
                                                  "name_entry"), "warning"));
  ladle_test_ui_screenshot (GTK_WIDGET (f->window), "editor-automatic-headers");

  /* The values shown are the values sent */
  ladle_test_input_click (tab_find (f, "url_entry"));
  logged = send_and_log (f);
  g_assert_cmpstr (soup_message_headers_get_one (logged->headers, "Accept-Encoding"), ==,
                   "identity");
  g_assert_cmpstr (soup_message_headers_get_one (logged->headers, "User-Agent"), ==, "mine");
  g_assert_cmpstr (soup_message_headers_get_one (logged->headers, "Connection"), ==,
                   auto_value (f, "Connection"));
  g_assert_cmpstr (soup_message_headers_get_one (logged->headers, "Content-Type"), ==,
                   "application/json");
}

/* --- The Auth page ---------------------------------------------------------------------- */

/* Opens the AdwComboRow @name with a click and clicks the item showing @label, as hands do */
static void
choose_in_row (Fixture    *f,
               const char *name,
               const char *label)
{
  GtkWidget *row = tab_find (f, name);
  GtkWidget *popover;

  ladle_test_input_click (row);
  popover = ladle_test_ui_find_by_type (row, GTK_TYPE_POPOVER);
  g_assert_nonnull (popover);
  LADLE_TEST_WAIT_UNTIL (gtk_widget_get_mapped (popover), 5000);
  ladle_test_input_click_label (popover, label);
  LADLE_TEST_WAIT_UNTIL (!gtk_widget_get_mapped (popover), 5000);
  ladle_test_input_settle ();
}

/* Clicks the entry row @name and types @text in place of what it shows */
static void
type_into_row (Fixture    *f,
               const char *name,
               const char *text)
{
  GtkWidget *row = tab_find (f, name);

  ladle_test_input_scroll_to (gtk_widget_get_ancestor (row, GTK_TYPE_SCROLLED_WINDOW), row);
  ladle_test_input_click (row);
  LADLE_TEST_WAIT_UNTIL (ladle_test_ui_has_focus_in (row), 5000);
  ladle_test_input_key ("ctrl+a");
  ladle_test_input_type (text);
  ladle_test_input_settle ();
  if (!g_str_equal (gtk_editable_get_text (GTK_EDITABLE (row)), text))
    {
      ladle_test_ui_screenshot (GTK_WIDGET (f->window), "editor-auth-typing-failed");
      g_error ("%s shows “%s”, not “%s”", name, gtk_editable_get_text (GTK_EDITABLE (row)), text);
    }
}

static gboolean
shown (Fixture    *f,
       const char *name)
{
  return gtk_widget_is_visible (tab_find (f, name));
}

/* Ctrl+Enter; the requests that reached the server, once the answer is shown */
static GPtrArray *
send_and_log_all (Fixture *f)
{
  GPtrArray *log = ladle_test_log_server_get_log (f->server);

  g_ptr_array_set_size (log, 0);
  ladle_test_input_click (tab_find (f, "url_entry"));
  ladle_test_input_key ("ctrl+Return");
  LADLE_TEST_WAIT_UNTIL (!ladle_requests_page_get_busy (f->page) && log->len > 0, 10000);
  ladle_test_log_server_settle (f->server);
  return log;
}

/* Each kind chosen in the drop-down by a click shows its rows only; what is typed is the model;
 * Digest and API keys reach the server. */
static void
test_auth_kinds (Fixture       *f,
                 gconstpointer  data)
{
  GPtrArray *log;
  const LadleTestLogged *logged;
  const char *authorization;

  ladle_test_ui_type_url (f->page, f->base, "/digest-auth/auth/user/passwd/SHA-256");
  show_page (f, "Auth", "auth");
  g_assert_false (shown (f, "auth_user_row"));
  g_assert_false (shown (f, "oauth2_group"));

  /* Digest: user name and password, answered to the challenge */
  choose_in_row (f, "auth_kind_row", "Digest");
  g_assert_cmpint (ladle_request_get_auth_kind (request (f)), ==, LADLE_AUTH_DIGEST);
  g_assert_true (shown (f, "auth_user_row"));
  g_assert_true (shown (f, "auth_password_row"));
  g_assert_false (shown (f, "auth_token_row"));
  g_assert_false (shown (f, "auth_key_name_row"));
  type_into_row (f, "auth_user_row", "user");
  type_into_row (f, "auth_password_row", "passwd");
  g_assert_cmpstr (ladle_request_get_auth_username (request (f)), ==, "user");
  g_assert_cmpstr (ladle_request_get_auth_password (request (f)), ==, "passwd");
  show_page (f, "Headers", "headers");
  LADLE_TEST_WAIT_UNTIL (auto_row (f, "Authorization") != NULL, 2000);
  g_assert_nonnull (strstr (auto_value (f, "Authorization"), "Digest"));
  ladle_test_ui_screenshot (GTK_WIDGET (f->window), "editor-auth-digest-headers");

  log = send_and_log_all (f);
  g_assert_cmpuint (log->len, ==, 2);
  logged = g_ptr_array_index (log, 0);
  g_assert_cmpuint (logged->status, ==, 401);
  g_assert_null (soup_message_headers_get_one (logged->headers, "Authorization"));
  logged = g_ptr_array_index (log, 1);
  g_assert_cmpuint (logged->status, ==, 200);
  authorization = soup_message_headers_get_one (logged->headers, "Authorization");
  g_assert_nonnull (authorization);
  g_assert_true (g_str_has_prefix (authorization, "Digest username=\"user\""));
  g_assert_nonnull (strstr (authorization, "algorithm=SHA-256"));

  /* API key in a header, then in the query */
  show_page (f, "Auth", "auth");
  choose_in_row (f, "auth_kind_row", "API Key");
  g_assert_cmpint (ladle_request_get_auth_kind (request (f)), ==, LADLE_AUTH_API_KEY);
  g_assert_false (shown (f, "auth_user_row"));
  g_assert_true (shown (f, "auth_key_name_row"));
  g_assert_true (shown (f, "auth_key_value_row"));
  g_assert_true (shown (f, "auth_key_in_row"));
  type_into_row (f, "auth_key_name_row", "X-Api-Key");
  type_into_row (f, "auth_key_value_row", "k-123");
  show_page (f, "Headers", "headers");
  LADLE_TEST_WAIT_UNTIL (auto_row (f, "X-Api-Key") != NULL, 2000);
  g_assert_cmpstr (auto_value (f, "X-Api-Key"), ==, "k-123");
  g_assert_null (auto_row (f, "Authorization"));
  ladle_request_set_url (request (f), "");
  ladle_test_ui_type_url (f->page, f->base, "/headers");
  log = send_and_log_all (f);
  g_assert_cmpuint (log->len, ==, 1);
  logged = g_ptr_array_index (log, 0);
  g_assert_cmpstr (soup_message_headers_get_one (logged->headers, "X-Api-Key"), ==, "k-123");

  show_page (f, "Auth", "auth");
  choose_in_row (f, "auth_kind_row", "API Key");
  choose_in_row (f, "auth_key_in_row", "Query");
  g_assert_cmpint (ladle_request_get_auth_key_in (request (f)), ==, LADLE_API_KEY_IN_QUERY);
  log = send_and_log_all (f);
  logged = g_ptr_array_index (log, 0);
  g_assert_null (soup_message_headers_get_one (logged->headers, "X-Api-Key"));
  g_assert_cmpstr (logged->path, ==, "/headers?X-Api-Key=k-123");

  /* A header name that cannot be one is marked */
  show_page (f, "Auth", "auth");
  choose_in_row (f, "auth_key_in_row", "Header");
  type_into_row (f, "auth_key_name_row", "X-Api-Key bad");
  g_assert_true (gtk_widget_has_css_class (tab_find (f, "auth_key_name_row"), "error"));
  /* …and not sent: Ctrl+Enter elsewhere brings the Auth page back */
  show_page (f, "Params", "params");
  {
    GPtrArray *before = ladle_test_log_server_get_log (f->server);

    g_ptr_array_set_size (before, 0);
    ladle_test_input_click (tab_find (f, "url_entry"));
    ladle_test_input_key ("ctrl+Return");
    LADLE_TEST_WAIT_UNTIL (g_strcmp0 (gtk_stack_get_visible_child_name (
                             GTK_STACK (tab_find (f, "editor_stack"))), "auth") == 0, 5000);
    g_assert_false (ladle_requests_page_get_busy (f->page));
    ladle_test_log_server_settle (f->server);
    g_assert_cmpuint (before->len, ==, 0);
  }
  type_into_row (f, "auth_key_name_row", "X-Api-Key");
  g_assert_false (gtk_widget_has_css_class (tab_find (f, "auth_key_name_row"), "error"));

  /* OAuth 2.0: the rows of the chosen grant only, both ways */
  choose_in_row (f, "auth_kind_row", "OAuth 2.0");
  g_assert_cmpint (ladle_request_get_auth_kind (request (f)), ==, LADLE_AUTH_OAUTH2);
  g_assert_true (shown (f, "oauth2_group"));
  g_assert_false (shown (f, "auth_key_name_row"));
  g_assert_true (shown (f, "oauth2_token_url_row"));
  g_assert_true (shown (f, "oauth2_client_id_row"));
  g_assert_true (shown (f, "oauth2_client_secret_row"));
  g_assert_false (shown (f, "oauth2_auth_url_row"));
  g_assert_false (shown (f, "oauth2_pkce_row"));
  g_assert_false (shown (f, "oauth2_user_row"));
  g_assert_true (gtk_widget_get_sensitive (tab_find (f, "oauth2_get_token_button")));  /* oauth2-token */
  type_into_row (f, "oauth2_token_url_row", "http://127.0.0.1:1/token");
  type_into_row (f, "oauth2_client_id_row", "my-client");
  type_into_row (f, "oauth2_client_secret_row", "s3cret");
  g_assert_cmpstr (ladle_request_get_oauth2_token_url (request (f)), ==,
                   "http://127.0.0.1:1/token");
  g_assert_cmpstr (ladle_request_get_oauth2_client_id (request (f)), ==, "my-client");
  g_assert_cmpstr (ladle_request_get_oauth2_client_secret (request (f)), ==, "s3cret");

  choose_in_row (f, "oauth2_grant_row", "Authorization Code");
  g_assert_cmpint (ladle_request_get_oauth2_grant (request (f)), ==,
                   LADLE_OAUTH2_GRANT_AUTHORIZATION_CODE);
  g_assert_true (shown (f, "oauth2_auth_url_row"));
  g_assert_true (shown (f, "oauth2_pkce_row"));
  g_assert_false (shown (f, "oauth2_device_url_row"));
  ladle_test_input_scroll_to (gtk_widget_get_ancestor (tab_find (f, "oauth2_pkce_switch"),
                                                       GTK_TYPE_SCROLLED_WINDOW),
                              tab_find (f, "oauth2_pkce_switch"));
  ladle_test_input_click (tab_find (f, "oauth2_pkce_switch"));
  LADLE_TEST_WAIT_UNTIL (ladle_request_get_oauth2_pkce (request (f)), 2000);
  type_into_row (f, "oauth2_auth_url_row", "http://127.0.0.1:1/authorize");
  g_assert_cmpstr (ladle_request_get_oauth2_auth_url (request (f)), ==,
                   "http://127.0.0.1:1/authorize");

  choose_in_row (f, "oauth2_grant_row", "Password");
  g_assert_true (shown (f, "oauth2_user_row"));
  g_assert_true (shown (f, "oauth2_password_row"));
  g_assert_false (shown (f, "oauth2_pkce_row"));
  /* The same model as Basic's rows: the name typed for Digest is there */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tab_find (f, "oauth2_user_row"))), ==,
                   "user");

  choose_in_row (f, "oauth2_grant_row", "Device Code");
  g_assert_true (shown (f, "oauth2_device_url_row"));
  g_assert_false (shown (f, "oauth2_user_row"));
  type_into_row (f, "oauth2_device_url_row", "http://127.0.0.1:1/device");
  g_assert_cmpstr (ladle_request_get_oauth2_device_url (request (f)), ==,
                   "http://127.0.0.1:1/device");

  /* The model drives the rows too */
  ladle_request_set_oauth2_grant (request (f), LADLE_OAUTH2_GRANT_CLIENT_CREDENTIALS);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (tab_find (f, "oauth2_grant_row"))),
                    ==, 0);
  g_assert_false (shown (f, "oauth2_device_url_row"));

  /* Basic and Bearer, and back to none */
  choose_in_row (f, "auth_kind_row", "Basic");
  g_assert_true (shown (f, "auth_user_row"));
  g_assert_false (shown (f, "oauth2_group"));
  choose_in_row (f, "auth_kind_row", "Bearer Token");
  g_assert_true (shown (f, "auth_token_row"));
  g_assert_false (shown (f, "auth_user_row"));
  choose_in_row (f, "auth_kind_row", "None");
  g_assert_cmpint (ladle_request_get_auth_kind (request (f)), ==, LADLE_AUTH_NONE);
  g_assert_false (shown (f, "auth_token_row"));
}

/* The page switcher shows its five tabs whole, without scrolling: each button inside what its
 * scrolled window shows, and each label's whole text on one line (check_labels() does not look
 * into scrolled windows, where a label may be scrolled out of sight) */
static void
assert_switcher_fits (Fixture    *f,
                      const char *what)
{
  GtkWidget *switcher = tab_find (f, "editor_switcher");
  GtkWidget *scrolled = gtk_widget_get_ancestor (switcher, GTK_TYPE_SCROLLED_WINDOW);
  g_autoptr(GString) problems = g_string_new (NULL);
  guint n = 0;

  g_assert_nonnull (scrolled);
  for (GtkWidget *button = gtk_widget_get_first_child (switcher); button != NULL;
       button = gtk_widget_get_next_sibling (button))
    {
      GtkWidget *label = ladle_test_ui_find_by_type (button, GTK_TYPE_LABEL);
      graphene_rect_t bounds;
      int text_width;

      if (!gtk_widget_get_visible (button))
        continue;
      n++;
      g_assert_true (gtk_widget_compute_bounds (button, scrolled, &bounds));
      g_assert_nonnull (label);
      pango_layout_get_pixel_size (gtk_label_get_layout (GTK_LABEL (label)), &text_width, NULL);
      g_test_message ("%s: tab “%s” at x %.0f–%.0f of 0–%d", what,
                      gtk_label_get_text (GTK_LABEL (label)), bounds.origin.x,
                      bounds.origin.x + bounds.size.width, gtk_widget_get_width (scrolled));
      if (bounds.origin.x < 0 ||
          bounds.origin.x + bounds.size.width > gtk_widget_get_width (scrolled))
        g_string_append_printf (problems, "  tab “%s” at x %.0f–%.0f, the switcher shows 0–%d\n",
                                gtk_label_get_text (GTK_LABEL (label)), bounds.origin.x,
                                bounds.origin.x + bounds.size.width,
                                gtk_widget_get_width (scrolled));
      if (gtk_widget_get_width (label) < text_width)
        g_string_append_printf (problems, "  tab “%s”: %d px for %d px of text\n",
                                gtk_label_get_text (GTK_LABEL (label)),
                                gtk_widget_get_width (label), text_width);
    }
  g_assert_cmpuint (n, ==, 5);
  if (problems->len > 0)
    g_error ("%s: the page switcher is cut\n%s", what, problems->str);
}

/* The Auth page for each new kind, to be looked at: 360 px and wide, light and dark, English and
 * Russian; no label cut. */
static void
test_auth_screenshots (Fixture       *f,
                       gconstpointer  data)
{
  const char *languages[] = { "en", "ru" };
  const struct
  {
    const char       *name;
    LadleAuthKind     kind;
    LadleOauth2Grant  grant;
  } kinds[] = {
    { "digest", LADLE_AUTH_DIGEST, 0 },
    { "api-key", LADLE_AUTH_API_KEY, 0 },
    { "oauth2-code", LADLE_AUTH_OAUTH2, LADLE_OAUTH2_GRANT_AUTHORIZATION_CODE },
    { "oauth2-password", LADLE_AUTH_OAUTH2, LADLE_OAUTH2_GRANT_PASSWORD },
  };

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    for (guint dark = 0; dark < 2; dark++)
      for (guint narrow = 0; narrow < 2; narrow++)
        {
          ladle_test_ui_set_language (languages[l]);
          ladle_test_ui_set_dark (dark);
          gtk_window_destroy (f->window);
          f->window = ladle_test_ui_requests_window (NULL, narrow ? 360 : 1100, 720, &f->page);

          for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
            {
              g_autoptr(LadleRequest) fresh = ladle_request_new ();
              g_autofree char *name = NULL;
              g_autofree char *what = NULL;

              ladle_request_set_url (fresh, "http://127.0.0.1/get");
              ladle_request_set_auth_kind (fresh, kinds[k].kind);
              ladle_request_set_auth_username (fresh, "Mufasa");
              ladle_request_set_auth_password (fresh, "Circle of Life");
              ladle_request_set_auth_key_name (fresh, "X-Api-Key");
              ladle_request_set_auth_key_value (fresh, "k-123");
              ladle_request_set_oauth2_grant (fresh, kinds[k].grant);
              ladle_request_set_oauth2_token_url (fresh, "https://id.example.com/oauth/token");
              ladle_request_set_oauth2_client_id (fresh, "ladle");
              ladle_request_set_oauth2_pkce (fresh, TRUE);
              ladle_request_tab_set_request (tab (f), fresh);
              gtk_stack_set_visible_child_name (GTK_STACK (tab_find (f, "editor_stack")), "auth");
              /* Narrow, the editor is over the response: give it the room the user would */
              if (narrow)
                gtk_paned_set_position (GTK_PANED (tab_find (f, "paned")), 560);
              ladle_test_ui_wait_for_draw (GTK_WIDGET (f->window));
              name = g_strdup_printf ("editor-auth-%s-%s-%s-%s", kinds[k].name, languages[l],
                                      dark ? "dark" : "light", narrow ? "narrow" : "wide");
              ladle_test_ui_screenshot (GTK_WIDGET (f->window), name);
              what = g_strdup_printf ("the Auth page (%s)", name);
              ladle_test_ui_assert_layout (tab_find (f, "editor_stack"), FALSE, NULL, what);
              assert_switcher_fits (f, name);
            }
        }
  ladle_test_ui_set_language (NULL);
  ladle_test_ui_set_dark (FALSE);
}

/* The changed editor, to be looked at: wide and narrow, light and dark, English and Russian. */
static void
test_screenshots (Fixture       *f,
                  gconstpointer  data)
{
  const char *languages[] = { "en", "ru" };

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    for (guint dark = 0; dark < 2; dark++)
      for (guint narrow = 0; narrow < 2; narrow++)
        {
          g_autofree char *name = NULL;
          g_autofree char *url = g_strconcat (f->base, "/get?a=1&a=2&b&q=x%20y", NULL);
          g_autoptr(LadleKeyValue) file = NULL;
          g_autoptr(LadleRequest) fresh = NULL;

          /* A new page, so that its labels are in the language */
          ladle_test_ui_set_language (languages[l]);
          ladle_test_ui_set_dark (dark);
          fresh = ladle_request_new ();
          ladle_request_set_url (fresh, url);
          ladle_request_set_method (fresh, "GET");
          ladle_request_set_body_kind (fresh, LADLE_BODY_MULTIPART);
          file = ladle_key_value_new_file ("upload", "/home/someone/Documents/a long folder "
                                           "name/another one/report-2026-final.pdf");
          g_list_store_append (ladle_request_get_form (fresh), file);
          gtk_window_destroy (f->window);
          f->window = ladle_test_ui_requests_window (NULL, narrow ? 420 : 1100, 720, &f->page);
          ladle_request_tab_set_request (tab (f), fresh);

          gtk_stack_set_visible_child_name (GTK_STACK (tab_find (f, "editor_stack")), "params");
          ladle_test_ui_wait_for_draw (GTK_WIDGET (f->window));
          name = g_strdup_printf ("editor-params-%s-%s-%s", languages[l],
                                  dark ? "dark" : "light", narrow ? "narrow" : "wide");
          ladle_test_ui_screenshot (GTK_WIDGET (f->window), name);
          g_clear_pointer (&name, g_free);

          gtk_stack_set_visible_child_name (GTK_STACK (tab_find (f, "editor_stack")), "headers");
          ladle_test_ui_wait_for_draw (GTK_WIDGET (f->window));
          LADLE_TEST_WAIT_UNTIL (auto_row (f, "Connection") != NULL, 2000);
          ladle_test_ui_wait_for_draw (GTK_WIDGET (f->window));
          name = g_strdup_printf ("editor-headers-%s-%s-%s", languages[l],
                                  dark ? "dark" : "light", narrow ? "narrow" : "wide");
          ladle_test_ui_screenshot (GTK_WIDGET (f->window), name);
          g_clear_pointer (&name, g_free);

          gtk_stack_set_visible_child_name (GTK_STACK (tab_find (f, "editor_stack")), "body");
          ladle_test_ui_wait_for_draw (GTK_WIDGET (f->window));
          name = g_strdup_printf ("editor-body-%s-%s-%s", languages[l],
                                  dark ? "dark" : "light", narrow ? "narrow" : "wide");
          ladle_test_ui_screenshot (GTK_WIDGET (f->window), name);
        }
  ladle_test_ui_set_language (NULL);
  ladle_test_ui_set_dark (FALSE);
}

/* Issue 14, the Options page's transport rows as hands use them: a certificate path typed in its
 * row fails the send with the file's own message; Proxy set to Manual makes its rows sensitive,
 * a proxy that is down is named in the error, the no-proxy list goes around it (the request then
 * reaches the server); HTTP/1.1 is chosen from its list. Then the page is looked at. */
static const char *
error_text (Fixture *f)
{
  return gtk_label_get_text (GTK_LABEL (tab_find (f, "error_label")));
}

static void
type_in_row (Fixture    *f,
             const char *row_name,
             const char *text)
{
  GtkWidget *row = tab_find (f, row_name);

  ladle_test_input_scroll_to (tab_find (f, "options_bin"), row);
  ladle_test_input_click (row);
  g_assert_true (ladle_test_ui_has_focus_in (row));
  ladle_test_input_key ("ctrl+a");
  if (*text == '\0')
    ladle_test_input_key ("Delete");
  else
    ladle_test_input_type (text);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, text);
}

static void
choose_in_option_row (Fixture    *f,
                      const char *row_name,
                      const char *label)
{
  GtkWidget *row = tab_find (f, row_name);

  ladle_test_input_scroll_to (tab_find (f, "options_bin"), row);
  ladle_test_input_click (row);
  ladle_test_input_click_label (row, label);
  ladle_test_input_settle ();
}

static void
test_transport_options (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (f->uploads, "missing.pem", NULL);
  g_autofree char *dead = g_strdup_printf ("http://127.0.0.1:%u", ladle_test_unused_port ());
  GPtrArray *log = ladle_test_log_server_get_log (f->server);

  ladle_test_ui_type_url (f->page, f->base, "/get");
  show_page (f, "Options", "options");

  /* A certificate that cannot be read: nothing is sent, the file is named */
  type_in_row (f, "cert_file_row", missing);
  g_assert_cmpstr (ladle_request_get_tls_cert_file (request (f)), ==, missing);
  g_ptr_array_set_size (log, 0);
  ladle_test_input_key ("ctrl+Return");
  LADLE_TEST_WAIT_UNTIL (!ladle_requests_page_get_busy (f->page), 10000);
  g_assert_nonnull (strstr (error_text (f), "missing.pem: cannot read the file"));
  g_assert_cmpuint (log->len, ==, 0);
  /* Refused before sending: the editor shows the Options page, where the cause is */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (tab_find (f, "editor_stack"))), ==,
                   "options");
  type_in_row (f, "cert_file_row", "");
  g_assert_cmpstr (ladle_request_get_tls_cert_file (request (f)), ==, "");

  /* Manual proxy: its rows become sensitive; one that is down is named */
  g_assert_false (gtk_widget_get_sensitive (tab_find (f, "proxy_url_row")));
  choose_in_option_row (f, "proxy_mode_row", "Manual");
  g_assert_cmpint (ladle_request_get_proxy_mode (request (f)), ==, LADLE_PROXY_MANUAL);
  g_assert_true (gtk_widget_get_sensitive (tab_find (f, "proxy_url_row")));
  type_in_row (f, "proxy_url_row", dead);
  type_in_row (f, "proxy_user_row", "me");
  g_assert_cmpstr (ladle_request_get_proxy_username (request (f)), ==, "me");
  ladle_test_input_key ("ctrl+Return");
  LADLE_TEST_WAIT_UNTIL (!ladle_requests_page_get_busy (f->page), 10000);
  g_assert_nonnull (strstr (error_text (f), "Connection refused by the proxy http://127.0.0.1:"));

  /* The no-proxy list goes around it: the request reaches the server */
  type_in_row (f, "no_proxy_row", "127.0.0.1");
  g_assert_cmpstr (ladle_request_get_no_proxy (request (f)), ==, "127.0.0.1");
  (void) send_and_log (f);

  /* HTTP/1.1 only */
  choose_in_option_row (f, "http_version_row", "HTTP/1.1");
  g_assert_cmpint (ladle_request_get_http_version (request (f)), ==, LADLE_HTTP_VERSION_1_1);

  /* None: the no-proxy list is not used either */
  choose_in_option_row (f, "proxy_mode_row", "None");
  g_assert_false (gtk_widget_get_sensitive (tab_find (f, "no_proxy_row")));
  g_assert_false (gtk_widget_get_sensitive (tab_find (f, "proxy_user_row")));
}

/* The Options page with the transport rows filled: wide and narrow (360 px), light and dark,
 * English and Russian */
static void
test_options_screenshots (Fixture       *f,
                          gconstpointer  data)
{
  const char *languages[] = { "en", "ru" };

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    for (guint dark = 0; dark < 2; dark++)
      for (guint narrow = 0; narrow < 2; narrow++)
        {
          g_autofree char *name = NULL;
          g_autoptr(LadleRequest) fresh = ladle_request_new ();
          GtkWidget *options;

          ladle_test_ui_set_language (languages[l]);
          ladle_test_ui_set_dark (dark);
          ladle_request_set_url (fresh, "https://api.example.com/v1/things");
          ladle_request_set_tls_cert_file (fresh, "/home/someone/certs/client.p12");
          ladle_request_set_tls_cert_password (fresh, "secret");
          ladle_request_set_tls_ca_file (fresh, "/home/someone/certs/company-ca.pem");
          ladle_request_set_proxy_mode (fresh, LADLE_PROXY_MANUAL);
          ladle_request_set_proxy_url (fresh, "socks5h://127.0.0.1:1080");
          ladle_request_set_proxy_username (fresh, "me");
          ladle_request_set_proxy_password (fresh, "pw");
          ladle_request_set_no_proxy (fresh, "localhost,.internal");
          ladle_request_set_http_version (fresh, LADLE_HTTP_VERSION_1_1);
          gtk_window_destroy (f->window);
          f->window = ladle_test_ui_requests_window (NULL, narrow ? 360 : 1100, 720, &f->page);
          ladle_request_tab_set_request (tab (f), fresh);

          gtk_stack_set_visible_child_name (GTK_STACK (tab_find (f, "editor_stack")), "options");
          ladle_test_ui_wait_for_draw (GTK_WIDGET (f->window));
          options = tab_find (f, "options_bin");
          ladle_test_input_scroll_to (options, tab_find (f, "ca_file_row"));
          ladle_test_ui_wait_for_draw (GTK_WIDGET (f->window));
          name = g_strdup_printf ("editor-options-tls-%s-%s-%s", languages[l],
                                  dark ? "dark" : "light", narrow ? "narrow" : "wide");
          ladle_test_ui_screenshot (GTK_WIDGET (f->window), name);
          g_clear_pointer (&name, g_free);

          ladle_test_input_scroll_to (options, tab_find (f, "http_version_row"));
          ladle_test_ui_wait_for_draw (GTK_WIDGET (f->window));
          name = g_strdup_printf ("editor-options-proxy-%s-%s-%s", languages[l],
                                  dark ? "dark" : "light", narrow ? "narrow" : "wide");
          ladle_test_ui_screenshot (GTK_WIDGET (f->window), name);
          ladle_test_ui_assert_layout (options, FALSE, NULL, name);
        }
  ladle_test_ui_set_language (NULL);
  ladle_test_ui_set_dark (FALSE);
}

/* OAuth 2.0 by hand: the grant's settings typed, "Get New Token" clicked, the token described
 * (never shown), the send carrying it, "Forget" clicked; a refused client in the server's words. */
static void
test_oauth2_token (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *token_url = g_strconcat (f->base, "/oauth/token", NULL);
  AdwActionRow *token_row;
  GPtrArray *log;
  const LadleTestLogged *logged;
  const char *authorization;

  ladle_test_ui_type_url (f->page, f->base, "/bearer");
  show_page (f, "Auth", "auth");
  choose_in_row (f, "auth_kind_row", "OAuth 2.0");
  g_assert_cmpint (ladle_request_get_auth_kind (request (f)), ==, LADLE_AUTH_OAUTH2);
  type_into_row (f, "oauth2_token_url_row", token_url);
  type_into_row (f, "oauth2_client_id_row", "ladle-ui");
  type_into_row (f, "oauth2_client_secret_row", "secret");
  type_into_row (f, "oauth2_scope_row", "read write");
  g_assert_cmpstr (ladle_request_get_oauth2_token_url (request (f)), ==, token_url);

  token_row = ADW_ACTION_ROW (tab_find (f, "oauth2_token_row"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (token_row), "None yet"));
  g_assert_false (shown (f, "oauth2_forget_button"));
  ladle_test_input_click (tab_find (f, "oauth2_get_token_button"));
  LADLE_TEST_WAIT_UNTIL (strstr (adw_action_row_get_subtitle (token_row), "scope") != NULL,
                         10000);
  g_test_message ("token row: %s", adw_action_row_get_subtitle (token_row));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (token_row), "read write"));
  g_assert_true (shown (f, "oauth2_forget_button"));
  ladle_test_ui_screenshot (GTK_WIDGET (f->window), "editor-auth-oauth2-token");

  /* The send uses the token fetched by the click */
  log = send_and_log_all (f);
  logged = g_ptr_array_index (log, log->len - 1);
  g_assert_cmpuint (logged->status, ==, 200);
  authorization = soup_message_headers_get_one (logged->headers, "Authorization");
  g_assert_nonnull (authorization);
  g_assert_true (g_str_has_prefix (authorization, "Bearer "));
  /* The row describes the token and never shows it */
  g_assert_null (strstr (adw_action_row_get_subtitle (token_row), authorization + 7));

  show_page (f, "Auth", "auth");
  ladle_test_input_click (tab_find (f, "oauth2_forget_button"));
  LADLE_TEST_WAIT_UNTIL (strstr (adw_action_row_get_subtitle (token_row), "None yet") != NULL,
                         5000);

  /* A refused client: the token endpoint's words on the row */
  type_into_row (f, "oauth2_client_secret_row", "wrong");
  ladle_test_input_click (tab_find (f, "oauth2_get_token_button"));
  LADLE_TEST_WAIT_UNTIL (gtk_widget_has_css_class (GTK_WIDGET (token_row), "error"), 10000);
  g_test_message ("token row: %s", adw_action_row_get_subtitle (token_row));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (token_row), "invalid_client"));
  ladle_test_ui_screenshot (GTK_WIDGET (f->window), "editor-auth-oauth2-refused");
}

/* The device code grant by hand: "Get New Token" clicked, the code shown on the Access Token row
 * (the browser cannot open here), approved on the provider's page as a user would, the token
 * then described. */
static void
test_oauth2_device (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *token_url = g_strconcat (f->base, "/oauth/token", NULL);
  g_autofree char *device_url = g_strconcat (f->base, "/oauth/device_authorization", NULL);
  g_autofree char *page_url = g_strconcat (f->base, "/oauth/device", NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autofree char *form = NULL;
  g_autofree char *user_code = NULL;
  AdwActionRow *token_row;
  const char *subtitle;
  guint status = 0;

  ladle_test_ui_type_url (f->page, f->base, "/bearer");
  show_page (f, "Auth", "auth");
  choose_in_row (f, "auth_kind_row", "OAuth 2.0");
  ladle_request_set_oauth2_grant (request (f), LADLE_OAUTH2_GRANT_DEVICE_CODE);
  ladle_request_set_oauth2_token_url (request (f), token_url);
  ladle_request_set_oauth2_device_url (request (f), device_url);
  ladle_request_set_oauth2_client_id (request (f), "ladle-tv");
  g_assert_true (shown (f, "oauth2_device_url_row"));

  token_row = ADW_ACTION_ROW (tab_find (f, "oauth2_token_row"));
  ladle_test_input_click (tab_find (f, "oauth2_get_token_button"));
  LADLE_TEST_WAIT_UNTIL (g_str_has_prefix (adw_action_row_get_subtitle (token_row),
                                           "Enter the code "), 10000);
  subtitle = adw_action_row_get_subtitle (token_row);
  g_test_message ("token row: %s", subtitle);
  g_assert_nonnull (strstr (subtitle, page_url));
  user_code = g_strndup (subtitle + strlen ("Enter the code "),
                         strcspn (subtitle + strlen ("Enter the code "), " "));
  ladle_test_ui_screenshot (GTK_WIDGET (f->window), "editor-auth-oauth2-device");

  /* Approved on the provider's page (its own thread: a blocking request is fine) */
  form = ladle_form_encode ("user_code", user_code, "decision", "approve", NULL);
  body = g_bytes_new (form, strlen (form));
  answer = ladle_test_fetch (session, "POST", page_url, "application/x-www-form-urlencoded", body,
                             &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  LADLE_TEST_WAIT_UNTIL (strstr (adw_action_row_get_subtitle (token_row), "expires") != NULL,
                         30000);
  g_test_message ("token row: %s", adw_action_row_get_subtitle (token_row));
}

int
main (int   argc,
      char *argv[])
{
  if (!ladle_test_ui_init (&argc, &argv) || !ladle_test_input_available ())
    {
      g_test_add_func ("/ladle/ui-request-editor/no-display", (GTestFunc) g_test_incomplete);
      return ladle_test_run ();
    }

  g_test_add ("/ladle/ui-request-editor/url-to-rows", Fixture, NULL, fixture_setup,
              test_url_to_rows, fixture_teardown);
  g_test_add ("/ladle/ui-request-editor/add-parameter", Fixture, NULL, fixture_setup,
              test_add_parameter, fixture_teardown);
  g_test_add ("/ladle/ui-request-editor/saved-rows", Fixture, NULL, fixture_setup,
              test_saved_rows, fixture_teardown);
  g_test_add ("/ladle/ui-request-editor/add-focus", Fixture, NULL, fixture_setup,
              test_add_focus, fixture_teardown);
  g_test_add ("/ladle/ui-request-editor/file-name", Fixture, NULL, fixture_setup,
              test_file_name, fixture_teardown);
  g_test_add ("/ladle/ui-request-editor/get-with-body", Fixture, NULL, fixture_setup,
              test_get_with_body, fixture_teardown);
  g_test_add ("/ladle/ui-request-editor/automatic-headers", Fixture, NULL, fixture_setup,
              test_automatic_headers, fixture_teardown);
  g_test_add ("/ladle/ui-request-editor/screenshots", Fixture, NULL, fixture_setup,
              test_screenshots, fixture_teardown);
  g_test_add ("/ladle/ui-request-editor/auth-kinds", Fixture, NULL, fixture_setup,
              test_auth_kinds, fixture_teardown);
  g_test_add ("/ladle/ui-request-editor/auth-screenshots", Fixture, NULL, fixture_setup,
              test_auth_screenshots, fixture_teardown);
  g_test_add ("/ladle/ui-request-editor/oauth2-token", Fixture, NULL, fixture_setup,
              test_oauth2_token, fixture_teardown);
  g_test_add ("/ladle/ui-request-editor/oauth2-device", Fixture, NULL, fixture_setup,
              test_oauth2_device, fixture_teardown);
  g_test_add ("/ladle/ui-request-editor/transport-options", Fixture, NULL, fixture_setup,
              test_transport_options, fixture_teardown);
  g_test_add ("/ladle/ui-request-editor/options-screenshots", Fixture, NULL, fixture_setup,
              test_options_screenshots, fixture_teardown);

  return ladle_test_run ();
}
