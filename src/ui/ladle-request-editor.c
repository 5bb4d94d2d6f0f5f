/* ladle-request-editor.c
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
#include <gtksourceview/gtksource.h>

#include "ladle-http-syntax.h"
#include "ladle-http-vars.h"
#include "ladle-key-value-row.h"
#include "ladle-request-editor.h"
#include "ladle-ui-util.h"
#include "ladle-url-query.h"

/* The tabs under the request bar: params, headers, body, auth, options. Every widget is bound to a
 * property of the LadleRequest through one GBindingGroup, so setting another request (a pasted
 * curl command, a request from history) rebinds everything at once. What would go into a header
 * (the header rows, the bearer token, the content type) is checked as it is typed and marked
 * where it is typed, as the JSON body is. */

#define JSON_CHECK_DELAY_MS 300

struct _LadleRequestEditor
{
  AdwBin             parent_instance;

  /* Template widgets */
  AdwEntryRow       *auth_user_row;
  AdwComboRow       *auth_kind_row;
  AdwPasswordEntryRow *auth_password_row;
  AdwPasswordEntryRow *auth_token_row;
  AdwEntryRow       *auth_key_name_row;
  AdwPasswordEntryRow *auth_key_value_row;
  AdwComboRow       *auth_key_in_row;
  AdwPreferencesGroup *oauth2_group;
  AdwComboRow       *oauth2_grant_row;
  AdwEntryRow       *oauth2_auth_url_row;
  AdwEntryRow       *oauth2_device_url_row;
  AdwEntryRow       *oauth2_token_url_row;
  AdwEntryRow       *oauth2_client_id_row;
  AdwPasswordEntryRow *oauth2_client_secret_row;
  AdwEntryRow       *oauth2_scope_row;
  AdwActionRow      *oauth2_pkce_row;
  GtkSwitch         *oauth2_pkce_switch;
  AdwEntryRow       *oauth2_user_row;
  AdwPasswordEntryRow *oauth2_password_row;
  AdwActionRow      *oauth2_token_row;
  GtkButton         *oauth2_get_token_button;
  GtkButton         *oauth2_forget_button;
  LadleOauth2Client *oauth2_client;     /* the tab's client's, tokens cached there */
  GCancellable      *oauth2_cancellable; /* a "Get New Token" under way */
  guint              oauth2_token_id;   /* the row's update after typing, coalesced */
  LadleRequestExpandFunc expand;         /* the request as sent (the tab's), or NULL */
  gpointer           expand_data;
  GtkSourceBuffer   *body_buffer;       /* made by ensure_body_view () with the view */
  GtkLabel          *body_file_label;
  GtkDropDown       *body_kind_dropdown;
  GtkStack          *body_stack;
  GtkScrolledWindow *body_scroller;
  GtkSourceView     *body_view;         /* made by ensure_body_view () */
  LadleVariableResolver resolve;
  gpointer          resolve_data;
  guint             variables_id;
  GtkSpinButton     *connect_timeout_spin;
  GtkEntry          *content_type_entry;
  GtkSwitch         *cookies_switch;
  GtkStack          *editor_stack;
  AdwBin            *options_bin;       /* the Options page, made by ensure_options () */
  AdwComboRow       *proxy_mode_row;    /* the Options page's transport rows (issue 14) */
  GtkStackSwitcher  *editor_switcher;
  GtkSwitch         *follow_switch;
  GtkButton         *form_add;
  GtkListBox        *form_list;
  GtkButton         *headers_add;
  GtkListBox        *headers_list;
  GtkSpinButton     *idle_timeout_spin;
  GtkLabel          *json_status;
  GtkWidget         *send_anyway_button;
  GtkSpinButton     *max_redirects_spin;
  GtkButton         *params_add;
  GtkListBox        *params_list;
  GtkSpinButton     *total_timeout_spin;
  GtkSwitch         *verify_tls_switch;
  GtkListBox        *auto_headers_list;
  GtkWidget         *body_notice;
  GtkLabel          *body_notice_label;
  GtkWidget         *params_too_many;

  /* Owned references */
  LadleRequest      *request;
  GBindingGroup     *bindings;
  GSignalGroup      *signals;
  GtkFileChooserNative *chooser;
  guint              json_check_id;
  guint              auto_headers_id;
  GtkSizeGroup      *auto_names;
  GListStore        *watched_params;
  GListStore        *watched_headers;
  guint              syncing;
  gboolean           query_too_long;
  gboolean           form_allows_files;
};

G_DEFINE_FINAL_TYPE (LadleRequestEditor, ladle_request_editor, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_REQUEST,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The drop-down's order (None, JSON, Text, …) is not the enum's. */
static const LadleBodyKind body_kinds[] = {
  LADLE_BODY_NONE, LADLE_BODY_JSON, LADLE_BODY_TEXT, LADLE_BODY_FORM, LADLE_BODY_MULTIPART,
  LADLE_BODY_FILE, LADLE_BODY_PARTS,
};

static gboolean
kind_to_selected (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      data)
{
  int kind = g_value_get_enum (from);

  for (guint i = 0; i < G_N_ELEMENTS (body_kinds); i++)
    if ((int) body_kinds[i] == kind)
      {
        g_value_set_uint (to, i);
        return TRUE;
      }
  return FALSE;
}

static gboolean
selected_to_kind (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      data)
{
  guint selected = g_value_get_uint (from);

  if (selected >= G_N_ELEMENTS (body_kinds))
    return FALSE;
  g_value_set_enum (to, body_kinds[selected]);
  return TRUE;
}

static gboolean
enum_to_uint (GBinding     *binding,
              const GValue *from,
              GValue       *to,
              gpointer      data)
{
  g_value_set_uint (to, g_value_get_enum (from));
  return TRUE;
}

static gboolean
uint_to_enum (GBinding     *binding,
              const GValue *from,
              GValue       *to,
              gpointer      data)
{
  if (g_value_get_uint (from) == GTK_INVALID_LIST_POSITION)
    return FALSE;
  g_value_set_enum (to, g_value_get_uint (from));
  return TRUE;
}

static void
check_json_now (LadleRequestEditor *self)
{
  g_autoptr(GError) error = NULL;

  g_assert (LADLE_IS_REQUEST_EDITOR (self));

  gtk_widget_remove_css_class (GTK_WIDGET (self->json_status), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->json_status), "success");

  if (self->request == NULL || ladle_request_get_body_kind (self->request) != LADLE_BODY_JSON)
    {
      gtk_label_set_text (self->json_status, "");
      gtk_widget_set_visible (self->send_anyway_button, FALSE);
      return;
    }

  if (*ladle_request_get_body_text (self->request) == '\0')
    gtk_label_set_text (self->json_status, "");
  else if (ladle_request_check_json_body (self->request, NULL, NULL, &error))
    {
      gtk_label_set_text (self->json_status, _("Valid JSON"));
      gtk_widget_add_css_class (GTK_WIDGET (self->json_status), "success");
    }
  else
    {
      gtk_label_set_text (self->json_status, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->json_status), "error");
    }
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->json_status),
                               error != NULL ? error->message : NULL);
  /* Malformed JSON is refused by Send, but may be sent on purpose (to test a server) */
  gtk_widget_set_visible (self->send_anyway_button, error != NULL);
}

static gboolean
json_check_cb (gpointer data)
{
  LadleRequestEditor *self = data;

  self->json_check_id = 0;
  check_json_now (self);
  return G_SOURCE_REMOVE;
}

/* {{…}} in the headers' values, as in the body; the tooltip says what they stand for (unless
 * the value is marked invalid: then the reason stays). */
static void
highlight_header_values (LadleRequestEditor *self)
{
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->headers_list, i)) != NULL; i++)
    {
      GtkWidget *entry;
      g_autofree char *tooltip = NULL;

      if (!LADLE_IS_KEY_VALUE_ROW (row))
        continue;
      entry = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (row), LADLE_TYPE_KEY_VALUE_ROW,
                                             "value_entry");
      if (!GTK_IS_ENTRY (entry))
        continue;
      tooltip = ladle_ui_mark_variables (GTK_ENTRY (entry), self->resolve, self->resolve_data);
      if (!gtk_widget_has_css_class (entry, "error"))
        gtk_widget_set_tooltip_text (entry, tooltip);
    }
}

/* {{…}} of the body: bold, or underlined as an error when nothing defines them. */
static gboolean
highlight_variables_cb (gpointer data)
{
  LadleRequestEditor *self = data;
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->body_buffer);
  GtkTextTag *known = NULL;
  GtkTextTag *unknown = NULL;
  GtkTextIter start, end;
  g_autofree char *text = NULL;
  g_autoptr(GArray) spans = NULL;

  self->variables_id = 0;
  highlight_header_values (self);
  /* No text body yet: nothing of the body to mark */
  if (buffer == NULL)
    return G_SOURCE_REMOVE;
  known = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "ladle-variable");
  unknown = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer),
                                       "ladle-variable-undefined");
  if (known == NULL)
    {
      GdkRGBA red = { 0.88, 0.11, 0.14, 1.0 };

      known = gtk_text_buffer_create_tag (buffer, "ladle-variable", "weight", PANGO_WEIGHT_BOLD,
                                          NULL);
      unknown = gtk_text_buffer_create_tag (buffer, "ladle-variable-undefined",
                                            "underline", PANGO_UNDERLINE_ERROR,
                                            "underline-rgba", &red, NULL);
    }
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag (buffer, known, &start, &end);
  gtk_text_buffer_remove_tag (buffer, unknown, &start, &end);
  if (self->resolve == NULL)
    return G_SOURCE_REMOVE;

  /* Bounded: a body of many megabytes is not scanned on every edit. */
  if (gtk_text_buffer_get_char_count (buffer) > 256 * 1024)
    return G_SOURCE_REMOVE;
  text = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
  spans = ladle_http_find_variables (text, -1);
  for (guint i = 0; i < spans->len && i < 1000; i++)
    {
      const LadleHttpVarSpan *span = &g_array_index (spans, LadleHttpVarSpan, i);
      gboolean resolved = FALSE;
      g_autofree char *what = self->resolve (span->name, &resolved, self->resolve_data);
      GtkTextIter from, to;

      gtk_text_buffer_get_iter_at_offset (buffer, &from,
                                          g_utf8_pointer_to_offset (text, text + span->start));
      gtk_text_buffer_get_iter_at_offset (buffer, &to,
                                          g_utf8_pointer_to_offset (text, text + span->end));
      gtk_text_buffer_apply_tag (buffer, resolved ? known : unknown, &from, &to);
    }
  return G_SOURCE_REMOVE;
}

static void
schedule_variables (LadleRequestEditor *self)
{
  if (self->variables_id == 0)
    self->variables_id = g_timeout_add (150, highlight_variables_cb, self);
}

/* The tooltip of a {{…}}: what it stands for, and where that comes from. */
static gboolean
on_body_query_tooltip (LadleRequestEditor *self,
                       int                 x,
                       int                 y,
                       gboolean            keyboard,
                       GtkTooltip         *tooltip)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->body_buffer);
  GtkTextTag *known = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer),
                                                 "ladle-variable");
  GtkTextTag *unknown = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer),
                                                   "ladle-variable-undefined");
  GtkTextIter iter, from, to;
  GtkTextTag *tag = NULL;
  int bx, by;
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;
  g_autofree char *what = NULL;
  gboolean resolved;

  if (self->resolve == NULL || known == NULL || keyboard)
    return FALSE;
  gtk_text_view_window_to_buffer_coords (GTK_TEXT_VIEW (self->body_view), GTK_TEXT_WINDOW_WIDGET,
                                         x, y, &bx, &by);
  if (!gtk_text_view_get_iter_at_location (GTK_TEXT_VIEW (self->body_view), &iter, bx, by))
    return FALSE;
  if (gtk_text_iter_has_tag (&iter, known))
    tag = known;
  else if (gtk_text_iter_has_tag (&iter, unknown))
    tag = unknown;
  else
    return FALSE;
  from = to = iter;
  if (!gtk_text_iter_starts_tag (&from, tag))
    gtk_text_iter_backward_to_tag_toggle (&from, tag);
  gtk_text_iter_forward_to_tag_toggle (&to, tag);
  text = gtk_text_iter_get_text (&from, &to);
  if (!g_str_has_prefix (text, "{{") || !g_str_has_suffix (text, "}}") || strlen (text) < 4)
    return FALSE;
  name = g_strstrip (g_strndup (text + 2, strlen (text) - 4));
  what = self->resolve (name, &resolved, self->resolve_data);
  if (what == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, what);
  return TRUE;
}

static void
on_body_text_changed (LadleRequestEditor *self)
{
  g_assert (LADLE_IS_REQUEST_EDITOR (self));

  schedule_variables (self);

  g_clear_handle_id (&self->json_check_id, g_source_remove);
  self->json_check_id = g_timeout_add (JSON_CHECK_DELAY_MS, json_check_cb, self);
}

/* The error style and the reason as the tooltip, or neither (then @tooltip). */
static void
mark_widget (GtkWidget    *widget,
             const GError *error,
             const char   *tooltip)
{
  if (error != NULL)
    gtk_widget_add_css_class (widget, "error");
  else
    gtk_widget_remove_css_class (widget, "error");
  gtk_widget_set_tooltip_text (widget, error != NULL ? error->message : tooltip);
}

/* An API key for a header: a header's name and value rules, as ladle_request_validate() checks */
static void
check_api_key (LadleRequestEditor *self)
{
  g_autoptr(GError) name_error = NULL;
  g_autoptr(GError) value_error = NULL;

  if (ladle_request_get_auth_kind (self->request) == LADLE_AUTH_API_KEY &&
      ladle_request_get_auth_key_in (self->request) == LADLE_API_KEY_IN_HEADER)
    {
      const char *name = ladle_request_get_auth_key_name (self->request);

      if (name != NULL && name[0] != '\0')
        ladle_http_check_header_name (name, &name_error);
      ladle_http_check_header_value (name, ladle_request_get_auth_key_value (self->request),
                                     &value_error);
    }
  mark_widget (GTK_WIDGET (self->auth_key_name_row), name_error, NULL);
  mark_widget (GTK_WIDGET (self->auth_key_value_row), value_error, NULL);
}

/* The token and the content type go into headers of their own: the same rule as a header row's
 * value, checked only while they are sent. */
static void
check_derived_headers (LadleRequestEditor *self)
{
  g_autoptr(GError) token_error = NULL;
  g_autoptr(GError) type_error = NULL;
  LadleBodyKind kind;

  g_assert (LADLE_IS_REQUEST_EDITOR (self));

  if (self->request == NULL)
    return;

  if (ladle_request_get_auth_kind (self->request) == LADLE_AUTH_BEARER)
    ladle_http_check_header_value ("Authorization", ladle_request_get_auth_token (self->request),
                                   &token_error);
  check_api_key (self);
  kind = ladle_request_get_body_kind (self->request);
  if (kind == LADLE_BODY_TEXT || kind == LADLE_BODY_FILE)
    ladle_http_check_header_value ("Content-Type",
                                   ladle_request_get_body_content_type (self->request),
                                   &type_error);

  mark_widget (GTK_WIDGET (self->auth_token_row), token_error, NULL);
  mark_widget (GTK_WIDGET (self->content_type_entry), type_error, _("Content type"));
}

/* The Options page (timeouts, redirects, TLS, cookies) is built when it is first shown, from a
 * builder file of its own: the first frame shows Params, and the page was a good part of a tab's
 * start-up (bench/README.md). Its widgets are bound to the request like the others. */
static void bind_transport_options (LadleRequestEditor *self,
                                    GtkBuilder         *builder);

static void
ensure_options (LadleRequestEditor *self)
{
  const GBindingFlags flags = G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE;
  g_autoptr(GtkBuilder) builder = NULL;

  if (self->connect_timeout_spin != NULL)
    return;

  builder = gtk_builder_new_from_resource ("/io/github/ladle/Ladle/ladle-request-options.ui");
  self->connect_timeout_spin = GTK_SPIN_BUTTON (gtk_builder_get_object (builder,
                                                                        "connect_timeout_spin"));
  self->idle_timeout_spin = GTK_SPIN_BUTTON (gtk_builder_get_object (builder,
                                                                     "idle_timeout_spin"));
  self->total_timeout_spin = GTK_SPIN_BUTTON (gtk_builder_get_object (builder,
                                                                      "total_timeout_spin"));
  self->follow_switch = GTK_SWITCH (gtk_builder_get_object (builder, "follow_switch"));
  self->max_redirects_spin = GTK_SPIN_BUTTON (gtk_builder_get_object (builder,
                                                                      "max_redirects_spin"));
  self->verify_tls_switch = GTK_SWITCH (gtk_builder_get_object (builder, "verify_tls_switch"));
  self->cookies_switch = GTK_SWITCH (gtk_builder_get_object (builder, "cookies_switch"));
  adw_bin_set_child (self->options_bin,
                     GTK_WIDGET (gtk_builder_get_object (builder, "options_page")));

  {
    const struct { const char *property; gpointer target; const char *target_property; } rows[] = {
      { "connect-timeout", self->connect_timeout_spin, "value" },
      { "idle-timeout", self->idle_timeout_spin, "value" },
      { "total-timeout", self->total_timeout_spin, "value" },
      { "follow-redirects", self->follow_switch, "active" },
      { "max-redirects", self->max_redirects_spin, "value" },
      { "verify-tls", self->verify_tls_switch, "active" },
      { "use-cookies", self->cookies_switch, "active" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
      g_binding_group_bind (self->bindings, rows[i].property, rows[i].target,
                            rows[i].target_property, flags);
  }
  g_object_bind_property (self->follow_switch, "active", self->max_redirects_spin, "sensitive",
                          G_BINDING_SYNC_CREATE);
  bind_transport_options (self, builder);
}

/* Options page, transport (issue 14): a file row's button opens a chooser that fills the row's
 * property (tls-cert-file, tls-key-file, tls-ca-file) */
#define CHOSEN_PROPERTY "ladle-chosen-property"

static void
on_option_file_chosen (LadleRequestEditor *self,
                       int                 response,
                       GtkNativeDialog    *chooser)
{
  g_assert (LADLE_IS_REQUEST_EDITOR (self));

  if (response == GTK_RESPONSE_ACCEPT && self->request != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
      const char *property = g_object_get_data (G_OBJECT (chooser), CHOSEN_PROPERTY);

      if (path != NULL && property != NULL)
        g_object_set (self->request, property, path, NULL);
    }

  g_clear_object (&self->chooser);
}

static void
on_option_file_clicked (GtkButton          *button,
                        LadleRequestEditor *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  const char *property = g_object_get_data (G_OBJECT (button), CHOSEN_PROPERTY);

  g_assert (LADLE_IS_REQUEST_EDITOR (self));

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (gtk_widget_get_tooltip_text (GTK_WIDGET (button)),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Select"), _("_Cancel"));
  g_object_set_data (G_OBJECT (self->chooser), CHOSEN_PROPERTY, (gpointer) property);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_option_file_chosen), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static gboolean
proxy_is_manual (GBinding     *binding,
                 const GValue *from,
                 GValue       *to,
                 gpointer      data)
{
  g_value_set_boolean (to, g_value_get_uint (from) == LADLE_PROXY_MANUAL);
  return TRUE;
}

static gboolean
proxy_is_used (GBinding     *binding,
               const GValue *from,
               GValue       *to,
               gpointer      data)
{
  g_value_set_boolean (to, g_value_get_uint (from) != LADLE_PROXY_NONE);
  return TRUE;
}

/* The transport rows of the Options page: client certificate, CA bundle, proxy, HTTP version */
static void
bind_transport_options (LadleRequestEditor *self,
                        GtkBuilder         *builder)
{
  const GBindingFlags flags = G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE;
  const struct { const char *property; const char *row; } texts[] = {
    { "tls-cert-file", "cert_file_row" },
    { "tls-key-file", "key_file_row" },
    { "tls-cert-password", "cert_password_row" },
    { "tls-ca-file", "ca_file_row" },
    { "proxy-url", "proxy_url_row" },
    { "proxy-username", "proxy_user_row" },
    { "proxy-password", "proxy_password_row" },
    { "no-proxy", "no_proxy_row" },
  };
  const struct { const char *property; const char *button; } files[] = {
    { "tls-cert-file", "cert_file_button" },
    { "tls-key-file", "key_file_button" },
    { "tls-ca-file", "ca_file_button" },
  };
  const char * const manual_rows[] = { "proxy_url_row", "proxy_user_row", "proxy_password_row" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    g_binding_group_bind (self->bindings, texts[i].property,
                          gtk_builder_get_object (builder, texts[i].row), "text", flags);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      GObject *button = gtk_builder_get_object (builder, files[i].button);

      g_object_set_data (button, CHOSEN_PROPERTY, (gpointer) files[i].property);
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_option_file_clicked), self, 0);
    }

  self->proxy_mode_row = ADW_COMBO_ROW (gtk_builder_get_object (builder, "proxy_mode_row"));
  g_binding_group_bind_full (self->bindings, "proxy-mode", self->proxy_mode_row, "selected",
                             flags, enum_to_uint, uint_to_enum, NULL, NULL);
  g_binding_group_bind_full (self->bindings, "http-version",
                             gtk_builder_get_object (builder, "http_version_row"), "selected",
                             flags, enum_to_uint, uint_to_enum, NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (manual_rows); i++)
    g_object_bind_property_full (self->proxy_mode_row, "selected",
                                 gtk_builder_get_object (builder, manual_rows[i]), "sensitive",
                                 G_BINDING_SYNC_CREATE, proxy_is_manual, NULL, NULL, NULL);
  g_object_bind_property_full (self->proxy_mode_row, "selected",
                               gtk_builder_get_object (builder, "no_proxy_row"), "sensitive",
                               G_BINDING_SYNC_CREATE, proxy_is_used, NULL, NULL, NULL);
}

static void update_oauth2_token (LadleRequestEditor *self);

static void
on_editor_page_changed (LadleRequestEditor *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->editor_stack);

  if (g_strcmp0 (name, "options") == 0)
    ensure_options (self);
  else if (g_strcmp0 (name, "auth") == 0)
    update_oauth2_token (self);   /* a send may have fetched one meanwhile */
}

/* The body's text view and buffer are made when a text or JSON body is first chosen, not with
 * the editor: a new tab's first frame does not show them, and GtkSourceView's set-up
 * (gtk_source_init() ~11 ms, the first buffer with its style schemes ~3 ms, the first view
 * ~2 ms) was a good part of the window's start-up (bench/README.md). */
static GtkSourceView *
ensure_body_view (LadleRequestEditor *self)
{
  if (self->body_view != NULL)
    return self->body_view;

  gtk_source_init ();
  self->body_buffer = gtk_source_buffer_new (NULL);
  ladle_ui_follow_style (self->body_buffer);
  g_binding_group_bind (self->bindings, "body-text", self->body_buffer, "text",
                        G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  self->body_view = g_object_new (GTK_SOURCE_TYPE_VIEW,
                                  "buffer", self->body_buffer,
                                  "monospace", TRUE,
                                  "show-line-numbers", TRUE,
                                  "auto-indent", TRUE,
                                  "tab-width", 2,
                                  "insert-spaces-instead-of-tabs", TRUE,
                                  "wrap-mode", GTK_WRAP_WORD_CHAR,
                                  "top-margin", 6,
                                  "bottom-margin", 6,
                                  "has-tooltip", TRUE,
                                  NULL);
  gtk_widget_set_name (GTK_WIDGET (self->body_view), "body_view");
  g_signal_connect_object (self->body_view, "query-tooltip", G_CALLBACK (on_body_query_tooltip),
                           self, G_CONNECT_SWAPPED);
  gtk_scrolled_window_set_child (self->body_scroller, GTK_WIDGET (self->body_view));
  return self->body_view;
}

static void
update_body_kind (LadleRequestEditor *self)
{
  LadleBodyKind kind;
  const char *page;
  gboolean allow_files;

  g_assert (LADLE_IS_REQUEST_EDITOR (self));

  if (self->request == NULL)
    return;

  kind = ladle_request_get_body_kind (self->request);
  switch (kind)
    {
    case LADLE_BODY_TEXT:
    case LADLE_BODY_JSON:
      page = "text";
      break;
    case LADLE_BODY_FORM:
    case LADLE_BODY_MULTIPART:
    case LADLE_BODY_PARTS:
      page = "form";
      break;
    case LADLE_BODY_FILE:
      page = "file";
      break;
    case LADLE_BODY_NONE:
    default:
      page = "none";
      break;
    }
  if (g_str_equal (page, "text"))
    ensure_body_view (self);
  gtk_stack_set_visible_child_name (self->body_stack, page);
  gtk_widget_set_visible (GTK_WIDGET (self->content_type_entry),
                          kind == LADLE_BODY_TEXT || kind == LADLE_BODY_FILE ||
                          kind == LADLE_BODY_PARTS);
  gtk_widget_set_visible (GTK_WIDGET (self->json_status), kind == LADLE_BODY_JSON);
  if (self->body_buffer != NULL)
    gtk_source_buffer_set_language (self->body_buffer,
                                    kind == LADLE_BODY_JSON
                                    ? gtk_source_language_manager_get_language (
                                        gtk_source_language_manager_get_default (), "json")
                                    : NULL);

  /* Only multipart rows and a `.http` body's parts (text and `< file` lines, in order) can
   * carry files. */
  allow_files = kind == LADLE_BODY_MULTIPART || kind == LADLE_BODY_PARTS;
  if (allow_files != self->form_allows_files)
    {
      self->form_allows_files = allow_files;
      ladle_key_value_list_bind (self->form_list, self->form_add,
                                 ladle_request_get_form (self->request),
                                 allow_files ? LADLE_KEY_VALUE_ROW_FILES : 0,
                                 _("No form fields"));
    }

  check_json_now (self);
  check_derived_headers (self);
}

/* What the token of the request as it is sent is fetched with: a workspace request's settings
 * are often {{variables}} of its environment. NULL with @error when they cannot be expanded. */
static LadleOauth2Config *
dup_oauth2_config (LadleRequestEditor  *self,
                   GError             **error)
{
  const char *settings[] = {
    ladle_request_get_oauth2_auth_url (self->request),
    ladle_request_get_oauth2_token_url (self->request),
    ladle_request_get_oauth2_device_url (self->request),
    ladle_request_get_oauth2_client_id (self->request),
    ladle_request_get_oauth2_client_secret (self->request),
    ladle_request_get_oauth2_scope (self->request),
    ladle_request_get_auth_username (self->request),
    ladle_request_get_auth_password (self->request),
  };
  gboolean has_variables = FALSE;
  g_autoptr(LadleRequest) expanded = NULL;

  /* Expanding reads the workspace's environment files: only when a setting needs it */
  for (guint i = 0; i < G_N_ELEMENTS (settings) && !has_variables; i++)
    has_variables = settings[i] != NULL && strstr (settings[i], "{{") != NULL;
  if (self->expand == NULL || !has_variables)
    return ladle_oauth2_config_new_from_request (self->request);
  expanded = self->expand (self->expand_data, error);
  if (expanded == NULL)
    return NULL;
  return ladle_oauth2_config_new_from_request (expanded);
}

static gboolean
update_oauth2_token_cb (gpointer data)
{
  LadleRequestEditor *self = data;

  self->oauth2_token_id = 0;
  update_oauth2_token (self);
  return G_SOURCE_REMOVE;
}

/* A setting was typed: the row follows once typing pauses, not at each key (the lookup may
 * expand the request, which reads the environment files) */
static void
schedule_oauth2_token (LadleRequestEditor *self)
{
  if (self->oauth2_token_id == 0)
    self->oauth2_token_id = g_timeout_add (200, update_oauth2_token_cb, self);
}

/* The Access Token row: the cached token for the request's settings (expiry, scopes), or none;
 * never the token itself. */
static void
update_oauth2_token (LadleRequestEditor *self)
{
  g_clear_handle_id (&self->oauth2_token_id, g_source_remove);
  g_autoptr(LadleOauth2Config) config = NULL;
  g_autoptr(LadleOauth2Token) token = NULL;
  g_autofree char *described = NULL;

  if (self->request == NULL || self->oauth2_cancellable != NULL)
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->oauth2_get_token_button),
                            self->oauth2_client != NULL);
  if (self->oauth2_client != NULL &&
      ladle_request_get_auth_kind (self->request) == LADLE_AUTH_OAUTH2)
    {
      config = dup_oauth2_config (self, NULL);
      if (config != NULL)
        token = ladle_oauth2_client_lookup (self->oauth2_client, config);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->oauth2_forget_button), token != NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (self->oauth2_token_row), "error");
  if (token != NULL)
    described = ladle_oauth2_token_describe (token, g_get_real_time ());
  adw_action_row_set_subtitle (self->oauth2_token_row,
                               described != NULL ? described
                                                 : _("None yet: one is fetched when the request "
                                                     "is sent"));
}

static void
oauth2_token_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      data)
{
  g_autoptr(LadleRequestEditor) self = data;
  g_autoptr(LadleOauth2Token) token = NULL;
  g_autoptr(GError) error = NULL;

  token = ladle_oauth2_client_get_token_finish (LADLE_OAUTH2_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->oauth2_cancellable == NULL)
    return;   /* the editor went away */
  g_clear_object (&self->oauth2_cancellable);
  gtk_button_set_label (self->oauth2_get_token_button, _("Get New Token"));
  update_oauth2_token (self);
  if (token == NULL)
    {
      /* The token endpoint's own words (error, error_description) */
      adw_action_row_set_subtitle (self->oauth2_token_row, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->oauth2_token_row), "error");
    }
}

/* "Get New Token" runs the grant again (the browser opens for the authorization code grant);
 * clicked again while it waits, it cancels. */
static void
on_oauth2_get_token_clicked (LadleRequestEditor *self)
{
  g_autoptr(LadleOauth2Config) config = NULL;
  g_autoptr(GError) error = NULL;

  if (self->oauth2_cancellable != NULL)
    {
      g_cancellable_cancel (self->oauth2_cancellable);
      return;
    }

  if (self->oauth2_client == NULL || self->request == NULL)
    return;

  config = dup_oauth2_config (self, &error);
  if (config == NULL)
    {
      adw_action_row_set_subtitle (self->oauth2_token_row, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->oauth2_token_row), "error");
      return;
    }
  self->oauth2_cancellable = g_cancellable_new ();
  gtk_button_set_label (self->oauth2_get_token_button, _("Cancel"));
  gtk_widget_remove_css_class (GTK_WIDGET (self->oauth2_token_row), "error");
  adw_action_row_set_subtitle (self->oauth2_token_row,
                               ladle_request_get_oauth2_grant (self->request) ==
                               LADLE_OAUTH2_GRANT_PASSWORD ||
                               ladle_request_get_oauth2_grant (self->request) ==
                               LADLE_OAUTH2_GRANT_CLIENT_CREDENTIALS
                               ? _("Asking the token endpoint…")
                               : _("Waiting for the approval in the browser…"));
  ladle_oauth2_client_get_token_async (self->oauth2_client, config, TRUE,
                                       self->oauth2_cancellable, oauth2_token_cb,
                                       g_object_ref (self));
}

static void
on_oauth2_forget_clicked (LadleRequestEditor *self)
{
  g_autoptr(LadleOauth2Config) config = NULL;

  if (self->oauth2_client == NULL || self->request == NULL)
    return;
  config = dup_oauth2_config (self, NULL);
  if (config != NULL)
    ladle_oauth2_client_forget (self->oauth2_client, config);
  update_oauth2_token (self);
}

static void
update_auth_kind (LadleRequestEditor *self)
{
  LadleAuthKind kind;
  LadleOauth2Grant grant;
  gboolean user;

  g_assert (LADLE_IS_REQUEST_EDITOR (self));

  if (self->request == NULL)
    return;
  kind = ladle_request_get_auth_kind (self->request);
  grant = ladle_request_get_oauth2_grant (self->request);
  user = kind == LADLE_AUTH_BASIC || kind == LADLE_AUTH_DIGEST;
  gtk_widget_set_visible (GTK_WIDGET (self->auth_user_row), user);
  gtk_widget_set_visible (GTK_WIDGET (self->auth_password_row), user);
  gtk_widget_set_visible (GTK_WIDGET (self->auth_token_row), kind == LADLE_AUTH_BEARER);
  gtk_widget_set_visible (GTK_WIDGET (self->auth_key_name_row), kind == LADLE_AUTH_API_KEY);
  gtk_widget_set_visible (GTK_WIDGET (self->auth_key_value_row), kind == LADLE_AUTH_API_KEY);
  gtk_widget_set_visible (GTK_WIDGET (self->auth_key_in_row), kind == LADLE_AUTH_API_KEY);

  /* OAuth 2.0: the rows of the chosen grant only */
  gtk_widget_set_visible (GTK_WIDGET (self->oauth2_group), kind == LADLE_AUTH_OAUTH2);
  gtk_widget_set_visible (GTK_WIDGET (self->oauth2_auth_url_row),
                          grant == LADLE_OAUTH2_GRANT_AUTHORIZATION_CODE);
  gtk_widget_set_visible (GTK_WIDGET (self->oauth2_pkce_row),
                          grant == LADLE_OAUTH2_GRANT_AUTHORIZATION_CODE);
  gtk_widget_set_visible (GTK_WIDGET (self->oauth2_device_url_row),
                          grant == LADLE_OAUTH2_GRANT_DEVICE_CODE);
  gtk_widget_set_visible (GTK_WIDGET (self->oauth2_user_row), grant == LADLE_OAUTH2_GRANT_PASSWORD);
  gtk_widget_set_visible (GTK_WIDGET (self->oauth2_password_row),
                          grant == LADLE_OAUTH2_GRANT_PASSWORD);
  update_oauth2_token (self);
  check_derived_headers (self);
}

static void
update_body_file (LadleRequestEditor *self)
{
  const char *path;

  g_assert (LADLE_IS_REQUEST_EDITOR (self));

  if (self->request == NULL)
    return;
  path = ladle_request_get_body_file (self->request);
  gtk_label_set_text (self->body_file_label,
                      path != NULL && *path != '\0' ? path : _("No file chosen"));
}

static void
on_chooser_response (LadleRequestEditor *self,
                     int                 response,
                     GtkNativeDialog    *chooser)
{
  g_assert (LADLE_IS_REQUEST_EDITOR (self));

  if (response == GTK_RESPONSE_ACCEPT && self->request != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        ladle_request_set_body_file (self->request, path);
    }

  g_clear_object (&self->chooser);
}

static void
on_body_file_clicked (LadleRequestEditor *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  g_assert (LADLE_IS_REQUEST_EDITOR (self));

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Send a File"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Params and the URL: one query. The URL is what is sent (ladle_request_set_params_in_url());
 * the rows show its items, decoded, with the disabled rows kept between them. Each row keeps the
 * raw text of its item, so that an edit re-encodes only what the user changed and the rest of
 * the query stays byte for byte as typed. A change on one side writes the other under
 * `syncing`, so neither echoes back; typing in the address bar only ever rewrites rows, never the
 * text under the cursor. */

#define RAW_KEY "ladle-url-query-raw"
#define MAX_QUERY_ROWS 500

typedef struct
{
  char     *name;
  char     *value;        /* NULL: the item has no "=" */
  gboolean  keep_empty;   /* an empty item typed in the URL ("a&&b"), until edited */
} RawItem;

static void
raw_item_free (gpointer data)
{
  RawItem *raw = data;

  g_free (raw->name);
  g_free (raw->value);
  g_free (raw);
}

static RawItem *
get_raw (LadleKeyValue *kv)
{
  return g_object_get_data (G_OBJECT (kv), RAW_KEY);
}

static void
set_raw (LadleKeyValue *kv,
         const char    *name,
         const char    *value,
         gboolean       keep_empty)
{
  RawItem *raw = g_new0 (RawItem, 1);

  raw->name = g_strdup (name);
  raw->value = g_strdup (value);
  raw->keep_empty = keep_empty;
  g_object_set_data_full (G_OBJECT (kv), RAW_KEY, raw, raw_item_free);
}

/* Whether a row stands for an item of the URL's query: a fresh empty row does not, yet. */
static gboolean
row_in_url (LadleKeyValue *kv)
{
  RawItem *raw = get_raw (kv);

  if (!ladle_key_value_get_enabled (kv))
    return FALSE;
  return *ladle_key_value_get_name (kv) != '\0' || *ladle_key_value_get_value (kv) != '\0' ||
         (raw != NULL && (raw->keep_empty || raw->value != NULL));
}

/* The raw text of a row: kept where the shown text still decodes from it, else encoded anew. */
static void
update_raw (LadleKeyValue *kv)
{
  RawItem *raw = get_raw (kv);
  const char *name = ladle_key_value_get_name (kv);
  const char *value = ladle_key_value_get_value (kv);
  g_autofree char *new_name = NULL;
  g_autofree char *new_value = NULL;

  if (raw != NULL)
    {
      g_autofree char *shown_name = ladle_url_query_decode (raw->name);
      g_autofree char *shown_value = raw->value != NULL ? ladle_url_query_decode (raw->value)
                                                        : g_strdup ("");

      new_name = g_strcmp0 (shown_name, name) == 0 ? g_strdup (raw->name)
                                                   : ladle_url_query_encode (name, TRUE);
      if (raw->value == NULL && *value == '\0')
        new_value = NULL;
      else if (raw->value != NULL && g_strcmp0 (shown_value, value) == 0)
        new_value = g_strdup (raw->value);
      else
        new_value = ladle_url_query_encode (value, FALSE);
    }
  else
    {
      new_name = ladle_url_query_encode (name, TRUE);
      new_value = *value != '\0' ? ladle_url_query_encode (value, FALSE) : NULL;
    }
  set_raw (kv, new_name, new_value, FALSE);
}

static void
write_url_from_rows (LadleRequestEditor *self)
{
  GListModel *params;
  g_autoptr(LadleUrlParts) parts = NULL;
  g_autofree char *url = NULL;
  guint n;

  if (self->request == NULL || self->syncing > 0 || self->query_too_long)
    return;

  params = G_LIST_MODEL (ladle_request_get_params (self->request));
  parts = ladle_url_parts_split (ladle_request_get_url (self->request));
  g_ptr_array_set_size (parts->items, 0);
  n = g_list_model_get_n_items (params);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LadleKeyValue) kv = g_list_model_get_item (params, i);
      RawItem *raw;

      if (!row_in_url (kv))
        continue;
      if (get_raw (kv) == NULL)
        update_raw (kv);
      raw = get_raw (kv);
      ladle_url_parts_add (parts, raw->name, raw->value);
    }
  parts->has_query = parts->items->len > 0;
  url = ladle_url_parts_join (parts);

  self->syncing++;
  ladle_request_set_url (self->request, url);
  self->syncing--;
}

static void
on_param_edited (LadleRequestEditor *self,
                 GParamSpec         *pspec,
                 LadleKeyValue      *kv)
{
  if (self->syncing > 0)
    return;
  if (g_strcmp0 (g_param_spec_get_name (pspec), "enabled") != 0)
    update_raw (kv);
  write_url_from_rows (self);
}

static void
watch_param (LadleRequestEditor *self,
             LadleKeyValue      *kv)
{
  const char *notifies[] = { "notify::name", "notify::value", "notify::enabled" };

  g_signal_handlers_disconnect_by_func (kv, on_param_edited, self);
  for (guint i = 0; i < G_N_ELEMENTS (notifies); i++)
    g_signal_connect_object (kv, notifies[i], G_CALLBACK (on_param_edited), self,
                             G_CONNECT_SWAPPED);
}

static void
on_params_changed (LadleRequestEditor *self,
                   guint               position,
                   guint               removed,
                   guint               added,
                   GListModel         *params)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(LadleKeyValue) kv = g_list_model_get_item (params, i);

      watch_param (self, kv);
    }
  write_url_from_rows (self);
}

/* More items than rows are worth (a pasted 10 MB URL): counted before anything is cut */
static gboolean
too_many_items (const char *url)
{
  guint n = 0;

  for (const char *p = strchr (url, '&'); p != NULL; p = strchr (p + 1, '&'))
    if (++n >= MAX_QUERY_ROWS)
      return TRUE;
  return FALSE;
}

static LadleKeyValue *
new_param_row (LadleUrlQueryItem *item)
{
  g_autofree char *name = ladle_url_query_decode (item->name);
  g_autofree char *value = item->value != NULL ? ladle_url_query_decode (item->value)
                                               : g_strdup ("");
  LadleKeyValue *kv = ladle_key_value_new (name, value);

  set_raw (kv, item->name, item->value, *item->name == '\0' && item->value == NULL);
  return kv;
}

/* The rows from the URL: the rows that stand for items take the items in order (edited in place,
 * so that a row being looked at stays), extra ones go, missing ones are appended; disabled and
 * fresh empty rows stay where they are. */
static void
read_rows_from_url (LadleRequestEditor *self)
{
  GListStore *store;
  g_autoptr(LadleUrlParts) parts = NULL;
  guint next = 0;
  guint i = 0;

  if (self->request == NULL || self->syncing > 0)
    return;

  store = ladle_request_get_params (self->request);
  self->query_too_long = too_many_items (ladle_request_get_url (self->request));
  gtk_widget_set_visible (GTK_WIDGET (self->params_too_many), self->query_too_long);
  gtk_widget_set_sensitive (GTK_WIDGET (self->params_add), !self->query_too_long);
  parts = ladle_url_parts_split (self->query_too_long ? "" : ladle_request_get_url (self->request));
  self->syncing++;

  while (i < g_list_model_get_n_items (G_LIST_MODEL (store)))
    {
      g_autoptr(LadleKeyValue) kv = g_list_model_get_item (G_LIST_MODEL (store), i);

      if (!row_in_url (kv))
        i++;
      else if (next < parts->items->len)
        {
          LadleUrlQueryItem *item = g_ptr_array_index (parts->items, next++);
          g_autofree char *name = ladle_url_query_decode (item->name);
          g_autofree char *value = item->value != NULL ? ladle_url_query_decode (item->value)
                                                       : g_strdup ("");

          set_raw (kv, item->name, item->value, *item->name == '\0' && item->value == NULL);
          ladle_key_value_set_name (kv, name);
          ladle_key_value_set_value (kv, value);
          i++;
        }
      else
        g_list_store_remove (store, i);
    }

  if (next < parts->items->len)
    {
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);

      for (; next < parts->items->len; next++)
        g_ptr_array_add (rows, new_param_row (g_ptr_array_index (parts->items, next)));
      g_list_store_splice (store, g_list_model_get_n_items (G_LIST_MODEL (store)), 0,
                           rows->pdata, rows->len);
    }

  self->syncing--;
}

/* A request saved before the rows and the URL were linked had its enabled rows appended when
 * sent: they move into the URL, so that it is sent the same, once. */
static void
link_params (LadleRequestEditor *self)
{
  GListStore *store = ladle_request_get_params (self->request);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LadleKeyValue) kv = g_list_model_get_item (G_LIST_MODEL (store), i);

      watch_param (self, kv);
    }

  if (!ladle_request_get_params_in_url (self->request))
    {
      const char *typed = ladle_request_get_url (self->request);
      g_autoptr(LadleUrlParts) parts = ladle_url_parts_split (typed);
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
      g_autofree char *url = NULL;

      /* The URL's own items first (new rows), then the rows, as they were sent */
      if (!too_many_items (typed))
        for (guint i = 0; i < parts->items->len; i++)
          g_ptr_array_add (rows, new_param_row (g_ptr_array_index (parts->items, i)));
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(LadleKeyValue) kv = g_list_model_get_item (G_LIST_MODEL (store), i);
          g_autofree char *name = NULL;
          g_autofree char *value = NULL;

          if (!row_in_url (kv))
            continue;
          name = ladle_url_query_encode (ladle_key_value_get_name (kv), TRUE);
          value = ladle_url_query_encode (ladle_key_value_get_value (kv), FALSE);
          set_raw (kv, name, value, FALSE);
          ladle_url_parts_add (parts, name, value);
        }
      url = ladle_url_parts_join (parts);

      self->syncing++;
      g_list_store_splice (store, 0, 0, rows->pdata, rows->len);
      ladle_request_set_url (self->request, url);
      ladle_request_set_params_in_url (self->request, TRUE);
      self->syncing--;
    }

  read_rows_from_url (self);
}

/* A GET (HEAD, TRACE) with a body: Ladle sends it, as Postman and curl do, although browsers
 * cannot and many servers ignore it; say so where the request is edited. */
static void
update_body_notice (LadleRequestEditor *self)
{
  const char *method;
  gboolean unusual;

  if (self->request == NULL)
    return;
  method = ladle_request_get_method (self->request);
  unusual = ladle_request_get_body_kind (self->request) != LADLE_BODY_NONE &&
            (g_ascii_strcasecmp (method, "GET") == 0 || g_ascii_strcasecmp (method, "HEAD") == 0 ||
             g_ascii_strcasecmp (method, "TRACE") == 0);
  if (unusual)
    {
      g_autofree char *upper = g_ascii_strup (method, -1);
      g_autofree char *text = NULL;

      /* Translators: %s is a method, GET, HEAD or TRACE */
      text = g_strdup_printf (_("%s requests usually have no body, but this one is sent with "
                                "its body"), upper);
      gtk_label_set_text (self->body_notice_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->body_notice), unusual);
}

static void
on_remove_body_clicked (LadleRequestEditor *self)
{
  g_assert (LADLE_IS_REQUEST_EDITOR (self));

  if (self->request != NULL)
    ladle_request_set_body_kind (self->request, LADLE_BODY_NONE);
}

/* The headers the client adds, greyed under the user's own; one the user's row replaces is struck
 * through. */
static gboolean
update_auto_headers_cb (gpointer data)
{
  LadleRequestEditor *self = data;
  g_autoptr(GArray) automatic = NULL;
  GListModel *headers;
  GtkWidget *child;
  guint n;

  self->auto_headers_id = 0;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->auto_headers_list))) != NULL)
    gtk_list_box_remove (self->auto_headers_list, child);
  if (self->request == NULL)
    return G_SOURCE_REMOVE;

  automatic = ladle_request_dup_automatic_headers (self->request);
  headers = G_LIST_MODEL (ladle_request_get_headers (self->request));
  n = g_list_model_get_n_items (headers);
  for (guint i = 0; i < automatic->len; i++)
    {
      LadleAutoHeader *header = &g_array_index (automatic, LadleAutoHeader, i);
      gboolean replaced = FALSE;
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *name = gtk_label_new (header->name);
      GtkWidget *value = gtk_label_new (header->value);
      const char *tooltip = NULL;

      for (guint j = 0; j < n && !replaced; j++)
        {
          g_autoptr(LadleKeyValue) kv = g_list_model_get_item (headers, j);

          replaced = ladle_key_value_get_enabled (kv) &&
                     g_ascii_strcasecmp (ladle_key_value_get_name (kv), header->name) == 0;
        }

      if (replaced && !header->fixed)
        {
          PangoAttrList *struck = pango_attr_list_new ();

          pango_attr_list_insert (struck, pango_attr_strikethrough_new (TRUE));
          gtk_label_set_attributes (GTK_LABEL (name), struck);
          gtk_label_set_attributes (GTK_LABEL (value), struck);
          pango_attr_list_unref (struck);
          tooltip = _("Not sent: your header of the same name replaces it");
        }
      else if (replaced)
        tooltip = _("Sent as shown: a header of the same name does not replace it");

      gtk_widget_add_css_class (name, "dim-label");
      gtk_widget_add_css_class (value, "dim-label");
      gtk_label_set_xalign (GTK_LABEL (name), 0);
      gtk_label_set_xalign (GTK_LABEL (value), 0);
      gtk_label_set_ellipsize (GTK_LABEL (value), PANGO_ELLIPSIZE_END);
      gtk_widget_set_hexpand (value, TRUE);
      gtk_widget_set_size_request (name, 140, -1);
      gtk_size_group_add_widget (self->auto_names, name);
      gtk_widget_set_tooltip_text (row, tooltip != NULL ? tooltip : header->value);
      gtk_widget_set_margin_start (box, 12);
      gtk_widget_set_margin_end (box, 12);
      gtk_widget_set_margin_top (box, 9);
      gtk_widget_set_margin_bottom (box, 9);
      gtk_box_append (GTK_BOX (box), name);
      gtk_box_append (GTK_BOX (box), value);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_widget_set_name (row, header->name);
      gtk_list_box_append (self->auto_headers_list, row);
    }

  /* The user's rows that the client writes over */
  for (int i = 0; ; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->headers_list, i);
      const char *note = NULL;
      LadleKeyValue *kv;

      if (row == NULL)
        break;
      if (!LADLE_IS_KEY_VALUE_ROW (row))
        continue;
      kv = ladle_key_value_row_get_item (LADLE_KEY_VALUE_ROW (row));
      for (guint j = 0; j < automatic->len && note == NULL; j++)
        {
          LadleAutoHeader *header = &g_array_index (automatic, LadleAutoHeader, j);

          if (header->fixed && ladle_key_value_get_enabled (kv) &&
              g_ascii_strcasecmp (ladle_key_value_get_name (kv), header->name) == 0)
            note = _("Not sent: Ladle sets this header itself (see Sent Automatically)");
        }
      ladle_key_value_row_set_note (LADLE_KEY_VALUE_ROW (row), note);
    }
  return G_SOURCE_REMOVE;
}

static void
schedule_auto_headers (LadleRequestEditor *self)
{
  if (self->auto_headers_id == 0)
    self->auto_headers_id = g_idle_add (update_auto_headers_cb, self);
}

static void
watch_header (LadleRequestEditor *self,
              LadleKeyValue      *kv)
{
  g_signal_handlers_disconnect_by_func (kv, schedule_auto_headers, self);
  g_signal_connect_object (kv, "notify::name", G_CALLBACK (schedule_auto_headers), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (kv, "notify::enabled", G_CALLBACK (schedule_auto_headers), self,
                           G_CONNECT_SWAPPED);
}

static void
on_headers_changed (LadleRequestEditor *self,
                    guint               position,
                    guint               removed,
                    guint               added,
                    GListModel         *headers)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(LadleKeyValue) kv = g_list_model_get_item (headers, i);

      watch_header (self, kv);
    }
  schedule_auto_headers (self);
}

/* Lets go of the previous request's tables and their rows. */
static void
unwatch_stores (LadleRequestEditor *self)
{
  GListStore *stores[2] = { self->watched_params, self->watched_headers };

  for (guint s = 0; s < G_N_ELEMENTS (stores); s++)
    {
      guint n;

      if (stores[s] == NULL)
        continue;
      g_signal_handlers_disconnect_by_data (stores[s], self);
      n = g_list_model_get_n_items (G_LIST_MODEL (stores[s]));
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (stores[s]), i);

          g_signal_handlers_disconnect_by_data (item, self);
        }
    }
  g_clear_object (&self->watched_params);
  g_clear_object (&self->watched_headers);
}

static void
ladle_request_editor_dispose (GObject *object)
{
  LadleRequestEditor *self = LADLE_REQUEST_EDITOR (object);

  g_clear_handle_id (&self->json_check_id, g_source_remove);
  g_clear_handle_id (&self->variables_id, g_source_remove);
  g_clear_handle_id (&self->oauth2_token_id, g_source_remove);
  g_clear_handle_id (&self->auto_headers_id, g_source_remove);
  if (self->oauth2_cancellable != NULL)
    {
      GCancellable *cancellable = g_steal_pointer (&self->oauth2_cancellable);

      g_cancellable_cancel (cancellable);
      g_object_unref (cancellable);
    }
  g_clear_object (&self->oauth2_client);
  unwatch_stores (self);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->bindings != NULL)
    g_binding_group_set_source (self->bindings, NULL);
  if (self->signals != NULL)
    g_signal_group_set_target (self->signals, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), LADLE_TYPE_REQUEST_EDITOR);

  g_clear_object (&self->bindings);
  g_clear_object (&self->signals);
  g_clear_object (&self->request);
  g_clear_object (&self->auto_names);
  g_clear_object (&self->body_buffer);

  G_OBJECT_CLASS (ladle_request_editor_parent_class)->dispose (object);
}

static void
ladle_request_editor_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  LadleRequestEditor *self = LADLE_REQUEST_EDITOR (object);

  switch (prop_id)
    {
    case PROP_REQUEST:
      g_value_set_object (value, self->request);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_request_editor_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  LadleRequestEditor *self = LADLE_REQUEST_EDITOR (object);

  switch (prop_id)
    {
    case PROP_REQUEST:
      ladle_request_editor_set_request (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_request_editor_class_init (LadleRequestEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ladle_request_editor_dispose;
  object_class->get_property = ladle_request_editor_get_property;
  object_class->set_property = ladle_request_editor_set_property;

  properties[PROP_REQUEST] =
    g_param_spec_object ("request", NULL, NULL, LADLE_TYPE_REQUEST,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ladle/Ladle/ladle-request-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, auth_kind_row);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, auth_password_row);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, auth_token_row);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, auth_user_row);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, auth_key_name_row);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, auth_key_value_row);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, auth_key_in_row);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, oauth2_group);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, oauth2_grant_row);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, oauth2_auth_url_row);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, oauth2_device_url_row);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, oauth2_token_url_row);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, oauth2_client_id_row);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, oauth2_client_secret_row);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, oauth2_scope_row);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, oauth2_pkce_row);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, oauth2_pkce_switch);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, oauth2_user_row);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, oauth2_token_row);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, oauth2_get_token_button);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, oauth2_forget_button);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, oauth2_password_row);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, body_file_label);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, body_kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, body_stack);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, body_scroller);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, content_type_entry);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, editor_stack);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, options_bin);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, editor_switcher);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, form_add);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, form_list);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, headers_add);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, headers_list);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, json_status);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, send_anyway_button);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, params_add);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, params_list);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, auto_headers_list);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, body_notice);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, body_notice_label);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestEditor, params_too_many);
  gtk_widget_class_bind_template_callback (widget_class, on_body_file_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_body_clicked);

  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
}

static void
ladle_request_editor_init (LadleRequestEditor *self)
{
  const GBindingFlags flags = G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The text fields of the always-built pages; the body's buffer and the Options page are
   * bound when they are made (ensure_body_view (), ensure_options ()). */
  self->bindings = g_binding_group_new ();
  {
    const struct { const char *property; gpointer target; } texts[] = {
      { "body-content-type", self->content_type_entry },
      { "auth-username", self->auth_user_row },
      { "auth-password", self->auth_password_row },
      { "auth-token", self->auth_token_row },
      { "auth-key-name", self->auth_key_name_row },
      { "auth-key-value", self->auth_key_value_row },
      { "oauth2-auth-url", self->oauth2_auth_url_row },
      { "oauth2-device-url", self->oauth2_device_url_row },
      { "oauth2-token-url", self->oauth2_token_url_row },
      { "oauth2-client-id", self->oauth2_client_id_row },
      { "oauth2-client-secret", self->oauth2_client_secret_row },
      { "oauth2-scope", self->oauth2_scope_row },
      { "auth-username", self->oauth2_user_row },
      { "auth-password", self->oauth2_password_row },
    };

    for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
      g_binding_group_bind (self->bindings, texts[i].property, texts[i].target, "text", flags);
  }
  g_binding_group_bind_full (self->bindings, "body-kind", self->body_kind_dropdown, "selected",
                             flags, kind_to_selected, selected_to_kind, NULL, NULL);
  g_binding_group_bind_full (self->bindings, "auth-kind", self->auth_kind_row, "selected",
                             flags, enum_to_uint, uint_to_enum, NULL, NULL);
  g_binding_group_bind_full (self->bindings, "auth-key-in", self->auth_key_in_row, "selected",
                             flags, enum_to_uint, uint_to_enum, NULL, NULL);
  g_binding_group_bind_full (self->bindings, "oauth2-grant", self->oauth2_grant_row, "selected",
                             flags, enum_to_uint, uint_to_enum, NULL, NULL);
  g_binding_group_bind (self->bindings, "oauth2-pkce", self->oauth2_pkce_switch, "active", flags);

  self->signals = g_signal_group_new (LADLE_TYPE_REQUEST);
  g_signal_group_connect_object (self->signals, "notify::body-kind",
                                 G_CALLBACK (update_body_kind), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->signals, "notify::body-text",
                                 G_CALLBACK (on_body_text_changed), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->signals, "notify::auth-kind",
                                 G_CALLBACK (update_auth_kind), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->signals, "notify::body-file",
                                 G_CALLBACK (update_body_file), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->signals, "notify::auth-token",
                                 G_CALLBACK (check_derived_headers), self, G_CONNECT_SWAPPED);
  {
    static const char * const token_settings[] = {
      "notify::oauth2-token-url", "notify::oauth2-auth-url", "notify::oauth2-device-url",
      "notify::oauth2-client-id", "notify::oauth2-client-secret", "notify::oauth2-scope",
      "notify::oauth2-pkce", "notify::auth-username", "notify::auth-password",
    };

    /* Another token for other settings: the row shows the one cached for these */
    for (guint i = 0; i < G_N_ELEMENTS (token_settings); i++)
      g_signal_group_connect_object (self->signals, token_settings[i],
                                     G_CALLBACK (schedule_oauth2_token), self, G_CONNECT_SWAPPED);
  }
  g_signal_connect_object (self->oauth2_get_token_button, "clicked",
                           G_CALLBACK (on_oauth2_get_token_clicked), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->oauth2_forget_button, "clicked",
                           G_CALLBACK (on_oauth2_forget_clicked), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->signals, "notify::oauth2-grant",
                                 G_CALLBACK (update_auth_kind), self, G_CONNECT_SWAPPED);
  {
    const char *api_key[] = {
      "notify::auth-key-name", "notify::auth-key-value", "notify::auth-key-in",
    };

    for (guint i = 0; i < G_N_ELEMENTS (api_key); i++)
      {
        g_signal_group_connect_object (self->signals, api_key[i],
                                       G_CALLBACK (check_derived_headers), self,
                                       G_CONNECT_SWAPPED);
        g_signal_group_connect_object (self->signals, api_key[i],
                                       G_CALLBACK (schedule_auto_headers), self,
                                       G_CONNECT_SWAPPED);
      }
  }
  g_signal_group_connect_object (self->signals, "notify::body-content-type",
                                 G_CALLBACK (check_derived_headers), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->signals, "notify::url",
                                 G_CALLBACK (read_rows_from_url), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->signals, "notify::method",
                                 G_CALLBACK (update_body_notice), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->signals, "notify::body-kind",
                                 G_CALLBACK (update_body_notice), self, G_CONNECT_SWAPPED);
  {
    const char *automatic[] = {
      "notify::url", "notify::body-kind", "notify::body-text", "notify::body-content-type",
      "notify::auth-kind",
    };

    for (guint i = 0; i < G_N_ELEMENTS (automatic); i++)
      g_signal_group_connect_object (self->signals, automatic[i],
                                     G_CALLBACK (schedule_auto_headers), self,
                                     G_CONNECT_SWAPPED);
  }
  self->auto_names = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);

  ladle_ui_compact_switcher (self->editor_switcher);
  g_signal_connect_object (self->editor_stack, "notify::visible-child-name",
                           G_CALLBACK (on_editor_page_changed), self, G_CONNECT_SWAPPED);
}

LadleRequest *
ladle_request_editor_get_request (LadleRequestEditor *self)
{
  g_return_val_if_fail (LADLE_IS_REQUEST_EDITOR (self), NULL);
  return self->request;
}

void
ladle_request_editor_set_request (LadleRequestEditor *self,
                                  LadleRequest       *request)
{
  g_return_if_fail (LADLE_IS_REQUEST_EDITOR (self));
  g_return_if_fail (request == NULL || LADLE_IS_REQUEST (request));

  if (!g_set_object (&self->request, request))
    return;

  unwatch_stores (self);
  g_binding_group_set_source (self->bindings, request);
  g_signal_group_set_target (self->signals, request);

  if (request != NULL)
    {
      ladle_key_value_list_bind (self->params_list, self->params_add,
                                 ladle_request_get_params (request), 0,
                                 _("No query parameters"));
      ladle_key_value_list_bind (self->headers_list, self->headers_add,
                                 ladle_request_get_headers (request),
                                 LADLE_KEY_VALUE_ROW_HEADERS, _("No extra headers"));
      self->form_allows_files = ladle_request_get_body_kind (request) == LADLE_BODY_MULTIPART;
      ladle_key_value_list_bind (self->form_list, self->form_add,
                                 ladle_request_get_form (request),
                                 self->form_allows_files ? LADLE_KEY_VALUE_ROW_FILES : 0,
                                 _("No form fields"));
      update_body_kind (self);
      update_auth_kind (self);
      update_body_file (self);

      self->watched_params = g_object_ref (ladle_request_get_params (request));
      self->watched_headers = g_object_ref (ladle_request_get_headers (request));
      g_signal_connect_object (self->watched_params, "items-changed",
                               G_CALLBACK (on_params_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->watched_headers, "items-changed",
                               G_CALLBACK (on_headers_changed), self, G_CONNECT_SWAPPED);
      on_headers_changed (self, 0, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->watched_headers)),
                          G_LIST_MODEL (self->watched_headers));
      link_params (self);
      update_body_notice (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUEST]);
}

void
ladle_request_editor_show_body_at (LadleRequestEditor *self,
                                   guint               line,
                                   guint               column)
{
  GtkTextIter iter;

  g_return_if_fail (LADLE_IS_REQUEST_EDITOR (self));

  gtk_stack_set_visible_child_name (self->editor_stack, "body");
  ensure_body_view (self);
  gtk_text_buffer_get_iter_at_line_offset (GTK_TEXT_BUFFER (self->body_buffer), &iter,
                                           line > 0 ? line - 1 : 0, column > 0 ? column - 1 : 0);
  gtk_text_buffer_place_cursor (GTK_TEXT_BUFFER (self->body_buffer), &iter);
  gtk_text_view_scroll_to_iter (GTK_TEXT_VIEW (ensure_body_view (self)), &iter, 0.1, FALSE, 0, 0);
  gtk_widget_grab_focus (GTK_WIDGET (self->body_view));
}

/* The first widget marked invalid, and the page it is on. */
static GtkWidget *
find_invalid (LadleRequestEditor  *self,
              const char         **out_page)
{
  GtkWidget *row;

  for (int i = 0; (row = GTK_WIDGET (gtk_list_box_get_row_at_index (self->headers_list, i))); i++)
    {
      GtkWidget *entry = ladle_key_value_row_get_invalid_entry (LADLE_KEY_VALUE_ROW (row));

      if (entry != NULL)
        {
          *out_page = "headers";
          return entry;
        }
    }

  if (gtk_widget_has_css_class (GTK_WIDGET (self->auth_token_row), "error"))
    {
      *out_page = "auth";
      return GTK_WIDGET (self->auth_token_row);
    }
  for (GtkWidget **key = (GtkWidget *[]) { GTK_WIDGET (self->auth_key_name_row),
                                           GTK_WIDGET (self->auth_key_value_row), NULL };
       *key != NULL; key++)
    if (gtk_widget_has_css_class (*key, "error"))
      {
        *out_page = "auth";
        return *key;
      }

  /* A client certificate, CA bundle or proxy that cannot be used (issue 14): the Options page */
  if (!gtk_widget_has_css_class (GTK_WIDGET (self->content_type_entry), "error") &&
      self->request != NULL &&
      (*ladle_request_get_tls_cert_file (self->request) != '\0' ||
       *ladle_request_get_tls_ca_file (self->request) != '\0' ||
       ladle_request_get_proxy_mode (self->request) == LADLE_PROXY_MANUAL))
    {
      *out_page = "options";
      return NULL;
    }

  /* Else the content type, or a file part's type (which only an imported command sets) */
  *out_page = "body";
  return gtk_widget_has_css_class (GTK_WIDGET (self->content_type_entry), "error")
         ? GTK_WIDGET (self->content_type_entry) : NULL;
}

/**
 * ladle_request_editor_show_invalid:
 *
 * Shows the tab with the first header (or token, or content type) marked invalid, and puts the
 * cursor there: Send refused the request because of it.
 */
void
ladle_request_editor_show_invalid (LadleRequestEditor *self)
{
  const char *page = NULL;
  GtkWidget *widget;

  g_return_if_fail (LADLE_IS_REQUEST_EDITOR (self));

  widget = find_invalid (self, &page);
  gtk_stack_set_visible_child_name (self->editor_stack, page);
  if (widget != NULL)
    gtk_widget_grab_focus (widget);
}

void
ladle_request_editor_set_variable_resolver (LadleRequestEditor   *self,
                                            LadleVariableResolver resolve,
                                            gpointer              user_data)
{
  g_return_if_fail (LADLE_IS_REQUEST_EDITOR (self));

  self->resolve = resolve;
  self->resolve_data = user_data;
  schedule_variables (self);
}

void
ladle_request_editor_update_variables (LadleRequestEditor *self)
{
  g_return_if_fail (LADLE_IS_REQUEST_EDITOR (self));
  schedule_variables (self);
}

/**
 * ladle_request_editor_set_oauth2_client:
 * @client: (nullable): the OAuth 2.0 client whose tokens the request's sends use
 *
 * Enables "Get New Token" and shows the token cached there for the request's settings.
 */
void
ladle_request_editor_set_oauth2_client (LadleRequestEditor *self,
                                        LadleOauth2Client  *client)
{
  g_return_if_fail (LADLE_IS_REQUEST_EDITOR (self));
  g_return_if_fail (client == NULL || LADLE_IS_OAUTH2_CLIENT (client));

  g_set_object (&self->oauth2_client, client);
  update_oauth2_token (self);
}

/**
 * ladle_request_editor_set_expand_func:
 * @expand: (nullable): gives the request as it is sent, its {{variables}} expanded
 *
 * The OAuth 2.0 token row and "Get New Token" use the request as it is sent, so that a workspace
 * request's settings from its environment find the token its sends use.
 */
void
ladle_request_editor_set_expand_func (LadleRequestEditor    *self,
                                      LadleRequestExpandFunc expand,
                                      gpointer               user_data)
{
  g_return_if_fail (LADLE_IS_REQUEST_EDITOR (self));

  self->expand = expand;
  self->expand_data = user_data;
  update_oauth2_token (self);
}

/**
 * ladle_request_editor_show_device_code:
 *
 * The device code grant's user code and where to enter it, on the Access Token row of an editor
 * whose request uses that grant (the token is being fetched: by "Get New Token" or a send).
 */
void
ladle_request_editor_show_device_code (LadleRequestEditor *self,
                                       const char         *user_code,
                                       const char         *uri)
{
  g_autofree char *text = NULL;

  g_return_if_fail (LADLE_IS_REQUEST_EDITOR (self));

  if (self->request == NULL ||
      ladle_request_get_auth_kind (self->request) != LADLE_AUTH_OAUTH2 ||
      ladle_request_get_oauth2_grant (self->request) != LADLE_OAUTH2_GRANT_DEVICE_CODE)
    return;
  /* Translators: the OAuth 2.0 device code grant: the first %s is a code like "WDJB-MJHT",
   * the second the page where it is entered */
  text = g_strdup_printf (_("Enter the code %s at %s"), user_code, uri);
  gtk_widget_remove_css_class (GTK_WIDGET (self->oauth2_token_row), "error");
  adw_action_row_set_subtitle (self->oauth2_token_row, text);
}
