/* ladle-request-tab.c
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

#include "ladle-curl.h"
#include "ladle-error.h"
#include "ladle-history.h"
#include "ladle-http-file.h"
#include "ladle-http-syntax.h"
#include "ladle-http-vars.h"
#include "ladle-request-editor.h"
#include "ladle-request-tab.h"
#include "ladle-response-view.h"
#include "ladle-ui-util.h"
#include "ladle-workspace.h"

/* One tab of the Requests bench: a request bar (method, address, Send/Cancel, menu), the request
 * editor and the response pane side by side in a wide window, one over the other in a narrow one.
 *
 * The tab owns the request being edited and the send in flight; the HTTP client is the page's,
 * shared by its tabs. Each send works on a copy of the request, so edits made while it runs do
 * not change what is sent. A finished send, or one the user cancelled (not one stopped by closing
 * the tab), is reported with ::sent, for the history; every edit with ::changed, for saving the tabs. */

#define WIDE_LAYOUT_MIN_WIDTH 760

struct _LadleRequestTab
{
  AdwBin              parent_instance;

  /* Template widgets */
  LadleRequestEditor *editor;
  GtkEntry           *method_entry;
  GtkPaned           *paned;
  GtkMenuButton      *method_button;
  GtkMenuButton      *more_button;
  GMenuModel         *method_menu;
  GMenuModel         *request_menu;
  LadleResponseView  *response_view;
  GtkStack           *send_stack;
  GtkStack           *send_stack_narrow;
  GtkEntry           *url_entry;
  GtkInfoBar         *changed_bar;
  GtkLabel           *changed_label;
  GtkWidget          *origin_bar;
  GtkLabel           *origin_label;
  GtkWidget          *dirty_label;

  /* Owned references */
  LadleRequest       *request;
  LadleHttpClient    *client;
  GSettings          *settings;
  GBindingGroup      *bindings;
  GSignalGroup       *signals;
  GCancellable       *cancellable;   /* of the send in flight; NULL when idle */
  gboolean            user_cancelled; /* …and the user stopped it */
  char               *title;
  guint               curl_idle_id;
  guint               layout_idle_id;
  gboolean            layout_done;    /* the paned got its first orientation */
  gboolean            position_pending; /* …and its divider is to be placed after a pass */

  /* A request of a workspace's file: where it lives, the entry it was read from, and the text
   * it would be saved as then (to tell unsaved edits). */
  LadleWorkspace     *workspace;
  char               *origin_path;
  guint               origin_index;
  LadleHttpEntry     *origin_entry;
  char               *saved_text;
  gboolean            dirty;
  gboolean            loading;
  GtkFileChooserNative *save_chooser;
  char               *environment;    /* the workspace's, for {{…}}; NULL for none */
  LadleHttpScope     *scope;          /* for the highlighting, dropped when things change */
  /* Set while "Send Anyway" sends a body that is not valid JSON */
  gboolean            send_unchecked;
};

G_DEFINE_FINAL_TYPE (LadleRequestTab, ladle_request_tab, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_BUSY,
  PROP_TITLE,
  PROP_DIRTY,
  N_PROPS
};

enum {
  CHANGED,
  SENT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The send stack (wide or narrow) holding the keyboard focus, if one does. */
static GtkStack *
send_stack_with_focus (LadleRequestTab *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (focus == NULL)
    return NULL;
  if (gtk_widget_is_ancestor (focus, GTK_WIDGET (self->send_stack)))
    return self->send_stack;
  if (gtk_widget_is_ancestor (focus, GTK_WIDGET (self->send_stack_narrow)))
    return self->send_stack_narrow;
  return NULL;
}

static void
update_actions (LadleRequestTab *self)
{
  gboolean busy = self->cancellable != NULL;
  GtkStack *focused;

  g_assert (LADLE_IS_REQUEST_TAB (self));

  /* Send turns into Cancel and back under the pointer: the focus goes along to the new button.
   * Left on the one made insensitive, it would drop to nowhere, and the page's shortcuts
   * (Ctrl+Enter, Escape) would do nothing until the user clicked into a field. */
  focused = send_stack_with_focus (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "request.send", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "request.send-anyway", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "request.cancel", busy);
  gtk_stack_set_visible_child_name (self->send_stack, busy ? "cancel" : "send");
  gtk_stack_set_visible_child_name (self->send_stack_narrow, busy ? "cancel" : "send");
  if (focused != NULL && !gtk_widget_grab_focus (gtk_stack_get_visible_child (focused)))
    gtk_widget_grab_focus (GTK_WIDGET (self->url_entry));
}

static void
set_busy (LadleRequestTab *self,
          GCancellable    *cancellable)
{
  g_assert (LADLE_IS_REQUEST_TAB (self));

  if (self->cancellable == cancellable)
    return;
  g_set_object (&self->cancellable, cancellable);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* "New Request" for an empty address; else the method and the address's path, or its host for
 * the root (the tab's tooltip has the whole address). */
static void
update_title (LadleRequestTab *self)
{
  const char *url;
  g_autofree char *title = NULL;

  g_assert (LADLE_IS_REQUEST_TAB (self));

  url = ladle_request_get_url (self->request);
  while (g_ascii_isspace (*url))
    url++;
  if (self->origin_entry != NULL && self->origin_entry->name != NULL &&
      self->origin_entry->name[0] != '\0')
    title = g_strdup (self->origin_entry->name);
  else if (*url == '\0')
    title = g_strdup (_("New Request"));
  else
    {
      const char *scheme_end = strstr (url, "://");
      const char *host = scheme_end != NULL ? scheme_end + 3 : url;
      const char *path = strchr (host, '/');
      g_autofree char *short_url = NULL;

      if (path != NULL && path[1] != '\0')
        short_url = g_strdup (path);
      else
        short_url = path != NULL ? g_strndup (host, path - host) : g_strdup (host);
      title = g_strdup_printf ("%s %s", ladle_request_get_method (self->request), short_url);
    }
  if (self->dirty)
    {
      /* Translators: the title of a tab with unsaved edits */
      g_autofree char *marked = g_strdup_printf (_("• %s"), title);

      g_free (title);
      title = g_steal_pointer (&marked);
    }

  if (g_strcmp0 (title, self->title) == 0)
    return;
  g_free (self->title);
  self->title = g_steal_pointer (&title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

static void
toast (LadleRequestTab *self,
       const char      *title)
{
  g_assert (LADLE_IS_REQUEST_TAB (self));

  /* A notice at the bottom of the window ("win.toast", where there is one). */
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", title);
}

static void
apply_default_timeouts (LadleRequestTab *self,
                        LadleRequest    *request)
{
  g_assert (LADLE_IS_REQUEST_TAB (self));

  if (ladle_request_get_connect_timeout (request) == 0)
    ladle_request_set_connect_timeout (request,
                                       g_settings_get_double (self->settings, "connect-timeout"));
  if (ladle_request_get_idle_timeout (request) == 0)
    ladle_request_set_idle_timeout (request,
                                    g_settings_get_double (self->settings, "idle-timeout"));
  if (ladle_request_get_total_timeout (request) == 0)
    ladle_request_set_total_timeout (request,
                                     g_settings_get_double (self->settings, "total-timeout"));
}

static void update_url_variables (LadleRequestTab *self);

/* Flags the address entry when the URL cannot be sent, with the reason as its tooltip. */
static gboolean
validate_url (LadleRequestTab  *self,
              GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *url = NULL;
  const char *text;

  g_assert (LADLE_IS_REQUEST_TAB (self));

  text = gtk_editable_get_text (GTK_EDITABLE (self->url_entry));
  if (self->origin_path != NULL && strstr (text, "{{") != NULL)
    {
      /* Checked once expanded, when sent; meanwhile the tooltip tells what {{…}} become. */
      gtk_widget_remove_css_class (GTK_WIDGET (self->url_entry), "error");
      update_url_variables (self);
      return TRUE;
    }
  url = ladle_request_dup_effective_url (self->request, &local_error);

  if (url != NULL || *text == '\0')
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->url_entry), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->url_entry), NULL);
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->url_entry), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->url_entry), local_error->message);
    }

  if (url == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* Flags the method entry when the method is not a token, with the reason as its tooltip. */
static void
validate_method (LadleRequestTab *self)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *entry = GTK_WIDGET (self->method_entry);

  g_assert (LADLE_IS_REQUEST_TAB (self));

  if (ladle_http_check_method (ladle_request_get_method (self->request), &error))
    {
      gtk_widget_remove_css_class (entry, "error");
      gtk_widget_set_tooltip_text (entry, _("Method"));
    }
  else
    {
      gtk_widget_add_css_class (entry, "error");
      gtk_widget_set_tooltip_text (entry, error->message);
    }
}

static gboolean
import_curl_cb (gpointer data)
{
  LadleRequestTab *self = data;
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LadleRequest) request = NULL;
  g_autofree char *command = NULL;

  g_assert (LADLE_IS_REQUEST_TAB (self));

  self->curl_idle_id = 0;
  command = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_entry)));
  request = ladle_curl_parse (command, &warnings, &error);
  if (request == NULL)
    {
      g_autofree char *tooltip = g_strdup_printf (_("Could not read the curl command: %s"),
                                                  error->message);

      gtk_widget_add_css_class (GTK_WIDGET (self->url_entry), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->url_entry), tooltip);
      return G_SOURCE_REMOVE;
    }

  apply_default_timeouts (self, request);
  ladle_request_tab_set_request (self, request);
  g_signal_emit (self, signals[CHANGED], 0);

  if (warnings != NULL && warnings->len > 0)
    {
      g_autofree char *title = g_strdup_printf (_("Imported the curl command, except: %s"),
                                                (const char *) g_ptr_array_index (warnings, 0));

      toast (self, title);
    }
  else
    toast (self, _("Imported the curl command"));

  return G_SOURCE_REMOVE;
}

static void
on_request_url_changed (LadleRequestTab *self)
{
  g_assert (LADLE_IS_REQUEST_TAB (self));

  if (self->curl_idle_id == 0)
    validate_url (self, NULL);
}

/* The text the request would be saved as, over its entry. */
static char *
dup_entry_text (LadleRequestTab *self)
{
  g_autoptr(LadleHttpEntry) entry = NULL;

  if (self->origin_entry == NULL)
    return NULL;
  entry = ladle_workspace_entry_from_request (self->request, self->origin_entry, NULL);
  return ladle_http_entry_format (entry, "\n");
}

static void
update_dirty (LadleRequestTab *self)
{
  g_autofree char *text = NULL;
  gboolean dirty;

  if (self->loading || self->origin_entry == NULL)
    return;
  text = dup_entry_text (self);
  dirty = g_strcmp0 (text, self->saved_text) != 0;
  gtk_widget_set_visible (self->dirty_label, dirty);
  if (dirty == self->dirty)
    return;
  self->dirty = dirty;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRTY]);
}

static void
on_request_changed (LadleRequestTab *self)
{
  g_assert (LADLE_IS_REQUEST_TAB (self));

  update_dirty (self);
  update_title (self);
  if (self->origin_path != NULL)
    ladle_request_editor_update_variables (self->editor);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Edits of a row (a header's value) count as edits of the request. */
static void
watch_rows (LadleRequestTab *self,
            GListModel      *rows)
{
  guint n = g_list_model_get_n_items (rows);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) row = g_list_model_get_item (rows, i);

      g_signal_handlers_disconnect_by_func (row, on_request_changed, self);
      g_signal_connect_object (row, "notify", G_CALLBACK (on_request_changed), self,
                               G_CONNECT_SWAPPED);
    }
}

static void
on_rows_changed (GListModel      *rows,
                 guint            position,
                 guint            removed,
                 guint            added,
                 LadleRequestTab *self)
{
  watch_rows (self, rows);
  on_request_changed (self);
}

/* {{…}} */

static const char *
source_label (LadleHttpSource source)
{
  switch (source)
    {
    case LADLE_HTTP_SOURCE_OVERRIDE:
      return _("set for this run");
    case LADLE_HTTP_SOURCE_REQUEST:
      return _("a variable of the request");
    case LADLE_HTTP_SOURCE_FILE:
      return _("a variable of the file");
    case LADLE_HTTP_SOURCE_PRIVATE_ENV:
      return "http-client.private.env.json";
    case LADLE_HTTP_SOURCE_ENV:
      return "http-client.env.json";
    case LADLE_HTTP_SOURCE_DOTENV:
      return ".env";
    case LADLE_HTTP_SOURCE_DYNAMIC:
      return _("made anew for each send");
    case LADLE_HTTP_SOURCE_RESPONSE:
    default:
      return _("the response of another request");
    }
}

static LadleHttpScope *
get_scope (LadleRequestTab *self)
{
  if (self->scope == NULL && self->origin_path != NULL && self->workspace != NULL)
    self->scope = ladle_request_tab_dup_scope (self, NULL);
  return self->scope;
}

static void
drop_scope (LadleRequestTab *self)
{
  g_clear_pointer (&self->scope, ladle_http_scope_unref);
  update_url_variables (self);
  ladle_request_editor_update_variables (self->editor);
}

/* "{{name}} = value (where from)", the value of a secret masked; or why it has none. */
static char *
describe_variable (const char *name,
                   gboolean   *out_resolved,
                   gpointer    user_data)
{
  LadleRequestTab *self = user_data;
  LadleHttpScope *scope = get_scope (self);
  LadleWorkspaceNode *file_node;
  LadleHttpFile *file = NULL;
  LadleHttpSource source = LADLE_HTTP_SOURCE_ENV;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  *out_resolved = FALSE;
  if (scope == NULL)
    return NULL;
  if (name[0] == '$')
    {
      /* {{$uuid}}, {{$timestamp}}…: made when sent. */
      *out_resolved = TRUE;
      return g_strdup_printf ("{{%s}} — %s", name, source_label (LADLE_HTTP_SOURCE_DYNAMIC));
    }
  file_node = ladle_workspace_find_file (self->workspace, self->origin_path);
  if (file_node != NULL)
    file = ladle_workspace_node_get_file (file_node);
  value = ladle_http_scope_resolve (scope, file, self->origin_entry, name, &source, &error);
  if (value == NULL)
    return g_strdup (error->message);
  *out_resolved = TRUE;
  if (source == LADLE_HTTP_SOURCE_PRIVATE_ENV)
    return g_strdup_printf ("{{%s}} = •••••• (%s)", name, source_label (source));
  if (g_utf8_strlen (value, -1) > 200)
    {
      g_autofree char *cut = g_utf8_substring (value, 0, 200);

      return g_strdup_printf ("{{%s}} = %s… (%s)", name, cut, source_label (source));
    }
  return g_strdup_printf ("{{%s}} = %s (%s)", name, value, source_label (source));
}

/* The URL's {{…}}: bold when defined, underlined as an error when not; the tooltip says what
 * each stands for. */
static void
update_url_variables (LadleRequestTab *self)
{
  g_autofree char *tooltip = NULL;

  if (self->origin_path == NULL)
    {
      gtk_entry_set_attributes (self->url_entry, NULL);
      return;
    }
  tooltip = ladle_ui_mark_variables (self->url_entry, describe_variable, self);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->url_entry), tooltip);
}

static void
on_url_changed (LadleRequestTab *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->url_entry));

  g_assert (LADLE_IS_REQUEST_TAB (self));

  while (g_ascii_isspace (*text))
    text++;

  /* A pasted curl command becomes the request, once the entry has finished changing. */
  if (g_str_has_prefix (text, "curl ") && self->curl_idle_id == 0)
    self->curl_idle_id = g_idle_add (import_curl_cb, self);
  update_url_variables (self);
}

static void
on_entry_activate (LadleRequestTab *self)
{
  g_assert (LADLE_IS_REQUEST_TAB (self));

  gtk_widget_activate_action (GTK_WIDGET (self), "request.send", NULL);
}

/* A send: the tab, and whether the client refused it before anything went out */
typedef struct
{
  LadleRequestTab *self;
  LadleExchange   *exchange;
  gboolean         refused;
} Send;

static void
send_free (Send *send)
{
  g_clear_object (&send->self);
  g_clear_object (&send->exchange);
  g_free (send);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Send, send_free)

/* The response pane follows the exchange by itself: here, the history and the buttons. */
static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(Send) send = user_data;
  LadleRequestTab *self = send->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(LadleResponse) response = NULL;

  response = ladle_http_client_send_finish (LADLE_HTTP_CLIENT (source), result, &error);
  if (send->refused)
    return;

  /* What ended, the history keeps: answered, failed, or cancelled by the user (not a send that
   * stopped because its tab was closed). */
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->user_cancelled)
    {
      g_autoptr(LadleHistoryEntry) entry = NULL;
      double elapsed = ladle_exchange_get_elapsed (send->exchange);
      gint64 sent_time = g_get_real_time () - (gint64) (elapsed * G_USEC_PER_SEC);
      gint64 duration = g_get_real_time () - sent_time;

      if (response != NULL)
        entry = ladle_history_entry_new (ladle_exchange_get_request (send->exchange),
                                         ladle_response_get_status (response), NULL,
                                         sent_time, duration);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          char seconds[G_ASCII_DTOSTR_BUF_SIZE];
          g_autoptr(GError) cancelled = NULL;

          g_ascii_dtostr (seconds, sizeof seconds, elapsed);
          cancelled = ladle_error_new_form (LADLE_ERROR_CANCELLED, "cancelled", seconds, NULL);
          entry = ladle_history_entry_new_failed (ladle_exchange_get_request (send->exchange),
                                                  cancelled, sent_time, duration);
        }
      else
        entry = ladle_history_entry_new_failed (ladle_exchange_get_request (send->exchange),
                                                error, sent_time, duration);
      g_signal_emit (self, signals[SENT], 0, entry);
    }
  self->user_cancelled = FALSE;
  set_busy (self, NULL);
}

/* The client refused the request before sending it (the pane says why): the user is taken to
 * what is wrong. The checks run again here, on this rare path only. */
static void
show_refusal (LadleRequestTab *self,
              const GError    *error)
{
  if (!validate_url (self, NULL))
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->url_entry));
      return;
    }

  if (g_error_matches (error, LADLE_ERROR, LADLE_ERROR_PARSE) &&
      ladle_request_get_body_kind (self->request) == LADLE_BODY_JSON)
    {
      guint line = 0, column = 0;

      ladle_request_check_json_body (self->request, &line, &column, NULL);
      ladle_request_editor_show_body_at (self->editor, line, column);
      return;
    }

  if (gtk_widget_has_css_class (GTK_WIDGET (self->method_entry), "error"))
    gtk_widget_grab_focus (GTK_WIDGET (self->method_entry));
  else
    ladle_request_editor_show_invalid (self->editor);
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LadleRequestTab *self = LADLE_REQUEST_TAB (widget);
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(LadleRequest) expanded = NULL;
  g_autoptr(LadleRequest) unchecked = NULL;
  LadleRequest *request = self->request;
  Send *send;

  if (self->cancellable != NULL)
    return;

  /* "localhost:8080/get" is sent as http://…: the address bar shows what was assumed */
  {
    g_autofree char *with_scheme =
      ladle_request_dup_url_with_scheme (ladle_request_get_url (self->request));

    if (with_scheme != NULL)
      ladle_request_set_url (self->request, with_scheme);
  }

  /* A workspace request is sent with its {{…}} expanded; the tab keeps them as written. */
  if (self->origin_path != NULL && self->workspace != NULL)
    {
      g_autoptr(GError) error = NULL;

      expanded = ladle_request_tab_dup_request_to_send (self, &error);
      if (expanded == NULL)
        {
          gtk_widget_add_css_class (GTK_WIDGET (self->url_entry), "error");
          gtk_widget_set_tooltip_text (GTK_WIDGET (self->url_entry), error->message);
          toast (self, error->message);
          return;
        }
      apply_default_timeouts (self, expanded);
      request = expanded;
    }

  if (self->send_unchecked)
    {
      unchecked = ladle_request_copy (request);
      ladle_request_set_check_json (unchecked, FALSE);
      request = unchecked;
    }

  /* The client copies the request (edits made while it runs do not change what is sent), checks
   * it, and refuses at once what cannot be sent: the exchange has then failed already. */
  cancellable = g_cancellable_new ();
  send = g_new0 (Send, 1);
  send->self = g_object_ref (self);
  send->exchange = g_object_ref (ladle_http_client_send_async (self->client, request, NULL,
                                                               cancellable, sent_cb, send));
  ladle_response_view_set_exchange (self->response_view, send->exchange);

  if (ladle_exchange_get_phase (send->exchange) == LADLE_EXCHANGE_PHASE_FAILED)
    {
      send->refused = TRUE;
      show_refusal (self, ladle_exchange_get_error (send->exchange));
      return;
    }
  set_busy (self, cancellable);
}

/* The JSON body as written, although it is not valid ("Send Anyway" by the JSON check) */
static void
send_anyway_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  LadleRequestTab *self = LADLE_REQUEST_TAB (widget);

  self->send_unchecked = TRUE;
  send_action (widget, action_name, parameter);
  self->send_unchecked = FALSE;
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LadleRequestTab *self = LADLE_REQUEST_TAB (widget);

  /* The user's Cancel: said in the pane, and kept in the history */
  if (self->cancellable != NULL)
    {
      self->user_cancelled = TRUE;
      g_cancellable_cancel (self->cancellable);
    }
}

static void
set_method_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  LadleRequestTab *self = LADLE_REQUEST_TAB (widget);

  ladle_request_set_method (self->request, g_variant_get_string (parameter, NULL));
}

static void
copy_curl_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  LadleRequestTab *self = LADLE_REQUEST_TAB (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *command = ladle_curl_export (self->request, &error);

  if (command == NULL)
    {
      g_autofree char *title = g_strdup_printf (_("Could not copy as a curl command: %s"),
                                                error->message);

      toast (self, title);
      return;
    }

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), command);
  toast (self, _("Copied as a curl command"));
}

static void
copy_http_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  LadleRequestTab *self = LADLE_REQUEST_TAB (widget);
  g_autoptr(LadleHttpEntry) entry = ladle_http_entry_new_from_request (self->request, NULL);
  g_autofree char *text = ladle_http_entry_format (entry, "\n");

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  toast (self, _("Copied as a .http request"));
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ladle_response_view_begin_search (LADLE_REQUEST_TAB (widget)->response_view);
}

/* Wide: editor | response. Narrow: editor over response. Changed after the allocation, not in
 * it, so the new orientation gets a layout pass of its own; the divider is placed only after
 * that pass, because GtkPaned scales a position it is given by the ratio of its new length to
 * the last one it had — which, right after a turn, is its length the other way (a narrow
 * window's height would push the divider of the wide one almost to its right edge). */
static gboolean
update_layout_cb (gpointer data)
{
  LadleRequestTab *self = data;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  GtkOrientation orientation = width >= WIDE_LAYOUT_MIN_WIDTH ? GTK_ORIENTATION_HORIZONTAL
                                                              : GTK_ORIENTATION_VERTICAL;

  self->layout_idle_id = 0;
  if (gtk_orientable_get_orientation (GTK_ORIENTABLE (self->paned)) != orientation ||
      !self->layout_done)
    {
      self->layout_done = TRUE;
      self->position_pending = TRUE;
      gtk_orientable_set_orientation (GTK_ORIENTABLE (self->paned), orientation);
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }
  else if (self->position_pending)
    {
      self->position_pending = FALSE;
      gtk_paned_set_position (self->paned, orientation == GTK_ORIENTATION_HORIZONTAL
                                           ? width * 9 / 20 : height / 3);
    }
  return G_SOURCE_REMOVE;
}

/* AdwBin lays out through a GtkBinLayout, which would bypass size_allocate: the tab measures and
 * allocates its child itself so that it sees its width. */
static void
ladle_request_tab_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL)
    gtk_widget_measure (child, orientation, for_size, minimum, natural, minimum_baseline,
                        natural_baseline);
}

static void
ladle_request_tab_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  LadleRequestTab *self = LADLE_REQUEST_TAB (widget);
  GtkOrientation wanted = width >= WIDE_LAYOUT_MIN_WIDTH ? GTK_ORIENTATION_HORIZONTAL
                                                         : GTK_ORIENTATION_VERTICAL;
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL)
    gtk_widget_allocate (child, width, height, baseline, NULL);

  if ((gtk_orientable_get_orientation (GTK_ORIENTABLE (self->paned)) != wanted ||
       !self->layout_done || self->position_pending) &&
      self->layout_idle_id == 0 && width > 1)
    self->layout_idle_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, update_layout_cb, self, NULL);
}

/* Workspace requests */

static void
update_origin (LadleRequestTab *self)
{
  g_autofree char *base = NULL;
  g_autofree char *text = NULL;

  gtk_widget_set_visible (self->origin_bar, self->origin_path != NULL);
  if (self->origin_path == NULL)
    return;
  base = g_filename_display_basename (self->origin_path);
  if (self->origin_entry != NULL && self->origin_entry->name != NULL &&
      self->origin_entry->name[0] != '\0')
    /* Translators: where a request lives: FILE › REQUEST */
    text = g_strdup_printf (_("%s › %s"), base, self->origin_entry->name);
  else
    /* Translators: where a request without a name lives: FILE › request NUMBER */
    text = g_strdup_printf (_("%s › request %u"), base, self->origin_index + 1);
  gtk_label_set_text (self->origin_label, text);
  gtk_widget_set_tooltip_text (self->origin_bar, self->origin_path);
}

static void
set_origin (LadleRequestTab      *self,
            const char           *path,
            guint                 index,
            const LadleHttpEntry *entry)
{
  if (path != self->origin_path)
    {
      g_free (self->origin_path);
      self->origin_path = g_strdup (path);
    }
  self->origin_index = index;
  g_clear_pointer (&self->origin_entry, ladle_http_entry_unref);
  self->origin_entry = ladle_http_entry_ref ((LadleHttpEntry *) entry);
}

/* Takes @entry (request @index of @path) as what the tab edits, its edits dropped. */
static void
load_entry (LadleRequestTab      *self,
            const char           *path,
            guint                 index,
            const LadleHttpEntry *entry)
{
  g_autoptr(LadleRequest) request = ladle_workspace_entry_to_request (entry);

  set_origin (self, path, index, entry);
  self->loading = TRUE;
  ladle_request_tab_set_request (self, request);
  self->loading = FALSE;
  g_free (self->saved_text);
  self->saved_text = dup_entry_text (self);
  self->dirty = FALSE;
  gtk_widget_set_visible (self->dirty_label, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRTY]);
  update_origin (self);
  update_title (self);
  ladle_request_editor_set_variable_resolver (self->editor, describe_variable, self);
  drop_scope (self);
}

/* Takes @entry (request @index of @path) as where the tab's request lives, the request kept as it
 * is: dirty if it differs from @entry. */
static void
link_entry (LadleRequestTab      *self,
            const char           *path,
            guint                 index,
            const LadleHttpEntry *entry)
{
  g_autoptr(LadleRequest) unedited = ladle_workspace_entry_to_request (entry);
  g_autoptr(LadleHttpEntry) baseline = NULL;

  set_origin (self, path, index, entry);
  /* What the entry would be saved as unedited, as load_entry() measures it. */
  baseline = ladle_workspace_entry_from_request (unedited, entry, NULL);
  g_free (self->saved_text);
  self->saved_text = ladle_http_entry_format (baseline, "\n");
  update_dirty (self);
  update_origin (self);
  update_title (self);
  ladle_request_editor_set_variable_resolver (self->editor, describe_variable, self);
  drop_scope (self);
}

/* The request's node in the workspace now: at its index if it is still the same request (same
 * name), else the one of that name. */
static LadleWorkspaceNode *
find_origin (LadleRequestTab *self)
{
  LadleWorkspaceNode *file_node;
  LadleHttpFile *file;
  GPtrArray *entries;
  const char *name;

  if (self->workspace == NULL || self->origin_path == NULL)
    return NULL;
  file_node = ladle_workspace_find_file (self->workspace, self->origin_path);
  if (file_node == NULL || (file = ladle_workspace_node_get_file (file_node)) == NULL)
    return NULL;
  entries = ladle_http_file_get_entries (file);
  name = self->origin_entry != NULL ? self->origin_entry->name : NULL;
  if (self->origin_index < entries->len)
    {
      const LadleHttpEntry *entry = g_ptr_array_index (entries, self->origin_index);

      if (g_strcmp0 (entry->name, name) == 0)
        return ladle_workspace_find_request (self->workspace, self->origin_path,
                                             self->origin_index);
    }
  for (guint i = 0; name != NULL && i < entries->len; i++)
    {
      const LadleHttpEntry *entry = g_ptr_array_index (entries, i);

      if (g_strcmp0 (entry->name, name) == 0)
        return ladle_workspace_find_request (self->workspace, self->origin_path, i);
    }
  return NULL;
}

static void
reload (LadleRequestTab *self)
{
  LadleWorkspaceNode *node = find_origin (self);

  if (node == NULL)
    {
      gtk_label_set_text (self->changed_label,
                          _("The request is no longer in its file; saving adds it back"));
      gtk_info_bar_set_response_sensitive (self->changed_bar, 1, FALSE);
      gtk_info_bar_set_revealed (self->changed_bar, TRUE);
      return;
    }
  gtk_info_bar_set_revealed (self->changed_bar, FALSE);
  load_entry (self, self->origin_path, ladle_workspace_node_get_index (node),
              ladle_workspace_node_get_entry (node));
}

static void
on_changed_bar_response (LadleRequestTab *self,
                         int              response)
{
  if (response == 1)
    reload (self);
  else
    {
      /* Keep Mine: the edits stay, to be saved over the request. */
      LadleWorkspaceNode *node = find_origin (self);

      if (node != NULL)
        self->origin_index = ladle_workspace_node_get_index (node);
      gtk_info_bar_set_revealed (self->changed_bar, FALSE);
    }
}

gboolean
ladle_request_tab_save (LadleRequestTab  *self,
                        GError          **error)
{
  g_autoptr(LadleHttpEntry) entry = NULL;
  LadleWorkspaceNode *node;
  LadleWorkspaceNode *file_node;
  LadleHttpFile *file;

  g_return_val_if_fail (LADLE_IS_REQUEST_TAB (self), FALSE);

  if (self->workspace == NULL || self->origin_path == NULL)
    {
      g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                           _("This request is not in a workspace file"));
      return FALSE;
    }
  entry = ladle_workspace_entry_from_request (self->request, self->origin_entry, NULL);
  node = find_origin (self);
  if (node != NULL)
    {
      /* The write replaces the file's request nodes: @node may be gone after it. */
      guint index = ladle_workspace_node_get_index (node);

      if (!ladle_workspace_replace_entry (self->workspace, self->origin_path, index, entry, error))
        return FALSE;
      node = ladle_workspace_find_request (self->workspace, self->origin_path, index);
    }
  else
    {
      int index;

      /* Gone from its file meanwhile: added back at its end. */
      file_node = ladle_workspace_find_file (self->workspace, self->origin_path);
      if (file_node == NULL)
        {
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_FAILED,
                       _("%s is no longer in the workspace"), self->origin_path);
          return FALSE;
        }
      index = ladle_workspace_append_entry (self->workspace, file_node, entry, error);
      if (index < 0)
        return FALSE;
      node = ladle_workspace_find_request (self->workspace, self->origin_path, index);
    }
  gtk_info_bar_set_revealed (self->changed_bar, FALSE);
  if (node != NULL && (file = ladle_workspace_node_get_file (node)) != NULL)
    {
      /* The edits stay as they are; the baseline is what was written. */
      g_clear_pointer (&self->origin_entry, ladle_http_entry_unref);
      self->origin_entry = ladle_http_entry_ref (ladle_workspace_node_get_entry (node));
      self->origin_index = ladle_workspace_node_get_index (node);
      g_free (self->saved_text);
      self->saved_text = dup_entry_text (self);
      update_dirty (self);
      update_origin (self);
      update_title (self);
    }
  return TRUE;
}

/* "Save To…": appends the request to the file at @path (created when missing); a file of the
 * workspace becomes where the tab's request lives. */
gboolean
ladle_request_tab_save_to (LadleRequestTab  *self,
                           const char       *path,
                           GError          **error)
{
  g_autoptr(LadleRequest) request = ladle_request_copy (self->request);
  g_autoptr(LadleHttpEntry) entry = NULL;
  LadleWorkspaceNode *file_node = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *name = g_path_get_basename (path);

  /* The default timeouts a new tab starts with are the window's, not the request's. */
  if (self->origin_entry == NULL)
    {
      if (ladle_request_get_connect_timeout (request) ==
          g_settings_get_double (self->settings, "connect-timeout"))
        ladle_request_set_connect_timeout (request, 0);
      if (ladle_request_get_idle_timeout (request) ==
          g_settings_get_double (self->settings, "idle-timeout"))
        ladle_request_set_idle_timeout (request, 0);
      if (ladle_request_get_total_timeout (request) ==
          g_settings_get_double (self->settings, "total-timeout"))
        ladle_request_set_total_timeout (request, 0);
    }
  entry = ladle_workspace_entry_from_request (request, self->origin_entry, NULL);

  if (self->workspace != NULL)
    {
      file_node = ladle_workspace_find_file (self->workspace, path);
      if (file_node == NULL && !g_file_test (path, G_FILE_TEST_EXISTS))
        {
          LadleWorkspaceNode *folder = ladle_workspace_find_folder (self->workspace, dir);

          if (folder != NULL)
            {
              file_node = ladle_workspace_new_file (self->workspace, folder, name, error);
              if (file_node == NULL)
                return FALSE;
            }
        }
    }

  if (file_node != NULL)
    {
      int index = ladle_workspace_append_entry (self->workspace, file_node, entry, error);
      LadleWorkspaceNode *node;

      if (index < 0)
        return FALSE;
      node = ladle_workspace_find_request (self->workspace,
                                           ladle_workspace_node_get_path (file_node), index);
      if (node != NULL)
        load_entry (self, ladle_workspace_node_get_path (file_node), index,
                    ladle_workspace_node_get_entry (node));
      return TRUE;
    }
  else
    {
      /* Outside the workspace: the file is written, the tab stays as it is. */
      g_autoptr(LadleHttpFile) file = NULL;
      g_autoptr(LadleHttpFile) changed = NULL;
      g_autofree char *text = NULL;

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        {
          file = ladle_http_file_load (path, error);
          if (file == NULL)
            return FALSE;
        }
      else
        file = ladle_http_file_parse (path, "", 0);
      text = ladle_http_entry_format_checked (entry, ladle_http_file_get_newline (file), error);
      if (text == NULL)
        return FALSE;
      changed = ladle_http_file_replace_entry (file, ladle_http_file_get_entries (file)->len, text);
      if (changed == NULL)
        {
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_FAILED,
                       _("%s: the file could not be changed"), path);
          return FALSE;
        }
      return ladle_http_file_save (changed, path, error);
    }
}

static void
on_save_chooser_response (LadleRequestTab      *self,
                          int                   response,
                          GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
      g_autoptr(GError) error = NULL;

      if (path != NULL)
        {
          if (!ladle_workspace_is_http_file (path))
            {
              g_autofree char *with_suffix = g_strconcat (path, ".http", NULL);

              g_free (path);
              path = g_steal_pointer (&with_suffix);
            }
          if (!ladle_request_tab_save_to (self, path, &error))
            toast (self, error->message);
          else
            {
              g_autofree char *display = g_filename_display_name (path);
              g_autofree char *title = g_strdup_printf (_("Saved to %s"), display);

              toast (self, title);
            }
        }
    }
  g_clear_object (&self->save_chooser);
}

static void
save_to_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LadleRequestTab *self = LADLE_REQUEST_TAB (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->save_chooser != NULL)
    return;
  self->save_chooser = gtk_file_chooser_native_new (_("Save To"),
                                                    GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                         : NULL,
                                                    GTK_FILE_CHOOSER_ACTION_SAVE,
                                                    _("_Save"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("HTTP Files"));
  gtk_file_filter_add_pattern (filter, "*.http");
  gtk_file_filter_add_pattern (filter, "*.rest");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->save_chooser), filter);
  if (self->workspace != NULL)
    {
      g_autoptr(GFile) folder = g_file_new_for_path (ladle_workspace_get_folder (self->workspace));

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->save_chooser), folder, NULL);
    }
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->save_chooser), "requests.http");
  g_signal_connect_object (self->save_chooser, "response",
                           G_CALLBACK (on_save_chooser_response), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->save_chooser));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LadleRequestTab *self = LADLE_REQUEST_TAB (widget);
  g_autoptr(GError) error = NULL;

  if (self->origin_path == NULL)
    {
      save_to_action (widget, "request.save-to", NULL);
      return;
    }
  if (!ladle_request_tab_save (self, &error))
    toast (self, error->message);
}

static void
ladle_request_tab_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  LadleRequestTab *self = LADLE_REQUEST_TAB (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, ladle_request_tab_get_busy (self));
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_DIRTY:
      g_value_set_boolean (value, self->dirty);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_request_tab_dispose (GObject *object)
{
  LadleRequestTab *self = LADLE_REQUEST_TAB (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->curl_idle_id, g_source_remove);
  g_clear_handle_id (&self->layout_idle_id, g_source_remove);
  if (self->bindings != NULL)
    g_binding_group_set_source (self->bindings, NULL);
  if (self->signals != NULL)
    g_signal_group_set_target (self->signals, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (object), LADLE_TYPE_REQUEST_TAB);

  g_clear_object (&self->bindings);
  g_clear_object (&self->signals);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->request);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->title, g_free);
  if (self->save_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->save_chooser));
  g_clear_object (&self->save_chooser);
  g_clear_object (&self->workspace);
  g_clear_pointer (&self->origin_path, g_free);
  g_clear_pointer (&self->origin_entry, ladle_http_entry_unref);
  g_clear_pointer (&self->saved_text, g_free);
  g_clear_pointer (&self->environment, g_free);
  g_clear_pointer (&self->scope, ladle_http_scope_unref);

  G_OBJECT_CLASS (ladle_request_tab_parent_class)->dispose (object);
}

static void
ladle_request_tab_class_init (LadleRequestTabClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ladle_request_tab_dispose;
  object_class->get_property = ladle_request_tab_get_property;
  widget_class->measure = ladle_request_tab_measure;
  widget_class->size_allocate = ladle_request_tab_size_allocate;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Edits of a workspace request not saved to its file. */
  properties[PROP_DIRTY] =
    g_param_spec_boolean ("dirty", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The request was edited (or replaced). */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* A send finished, with a response or an error, or the user cancelled it. */
  signals[SENT] = g_signal_new ("sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                NULL, NULL, NULL, G_TYPE_NONE, 1, LADLE_TYPE_HISTORY_ENTRY);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ladle/Ladle/ladle-request-tab.ui");
  gtk_widget_class_bind_template_child (widget_class, LadleRequestTab, editor);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestTab, method_entry);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestTab, paned);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestTab, method_button);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestTab, more_button);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestTab, method_menu);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestTab, request_menu);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestTab, response_view);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestTab, send_stack);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestTab, send_stack_narrow);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestTab, url_entry);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestTab, changed_bar);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestTab, changed_label);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestTab, origin_bar);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestTab, origin_label);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestTab, dirty_label);
  gtk_widget_class_bind_template_callback (widget_class, on_changed_bar_response);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_url_changed);

  gtk_widget_class_install_action (widget_class, "request.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "request.send-anyway", NULL, send_anyway_action);
  gtk_widget_class_install_action (widget_class, "request.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "request.set-method", "s", set_method_action);
  gtk_widget_class_install_action (widget_class, "request.copy-curl", NULL, copy_curl_action);
  gtk_widget_class_install_action (widget_class, "request.copy-http", NULL, copy_http_action);
  gtk_widget_class_install_action (widget_class, "request.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "request.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "request.save-to", NULL, save_to_action);

  g_type_ensure (LADLE_TYPE_REQUEST_EDITOR);
  g_type_ensure (LADLE_TYPE_RESPONSE_VIEW);
}

static void
ladle_request_tab_init (LadleRequestTab *self)
{
  const GBindingFlags flags = G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE;

  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  ladle_ui_menu_on_first_open (self->method_button, self->method_menu);
  ladle_ui_menu_on_first_open (self->more_button, self->request_menu);

  self->bindings = g_binding_group_new ();
  g_binding_group_bind (self->bindings, "method", self->method_entry, "text", flags);
  g_binding_group_bind (self->bindings, "url", self->url_entry, "text", flags);
  self->signals = g_signal_group_new (LADLE_TYPE_REQUEST);
  g_signal_group_connect_object (self->signals, "notify::url",
                                 G_CALLBACK (on_request_url_changed), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->signals, "notify::method",
                                 G_CALLBACK (validate_method), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->signals, "notify",
                                 G_CALLBACK (on_request_changed), self, G_CONNECT_SWAPPED);
  update_actions (self);
}

static LadleRequest *
expand_request (gpointer   user_data,
                GError   **error)
{
  return ladle_request_tab_dup_request_to_send (user_data, error);
}

LadleRequestTab *
ladle_request_tab_new (LadleHttpClient *client,
                       GSettings       *settings,
                       LadleRequest    *request)
{
  LadleRequestTab *self;
  g_autoptr(LadleRequest) fresh = NULL;

  g_return_val_if_fail (LADLE_IS_HTTP_CLIENT (client), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (request == NULL || LADLE_IS_REQUEST (request), NULL);

  self = g_object_new (LADLE_TYPE_REQUEST_TAB, NULL);
  self->client = g_object_ref (client);
  self->settings = g_object_ref (settings);
  ladle_request_editor_set_oauth2_client (self->editor, ladle_http_client_get_oauth2_client (client));
  ladle_request_editor_set_expand_func (self->editor, expand_request, self);
  if (request == NULL)
    {
      request = fresh = ladle_request_new ();
      apply_default_timeouts (self, request);
    }
  ladle_request_tab_set_request (self, request);
  return self;
}

/**
 * ladle_request_tab_get_request:
 *
 * Returns: (transfer none): the request being edited
 */
LadleRequest *
ladle_request_tab_get_request (LadleRequestTab *self)
{
  g_return_val_if_fail (LADLE_IS_REQUEST_TAB (self), NULL);
  return self->request;
}

/* Edits @request from now on (a pasted curl command, a request from elsewhere). */
void
ladle_request_tab_set_request (LadleRequestTab *self,
                               LadleRequest    *request)
{
  g_return_if_fail (LADLE_IS_REQUEST_TAB (self));
  g_return_if_fail (LADLE_IS_REQUEST (request));

  if (!g_set_object (&self->request, request))
    return;

  g_binding_group_set_source (self->bindings, request);
  g_signal_group_set_target (self->signals, request);
  g_signal_connect_object (ladle_request_get_params (request), "items-changed",
                           G_CALLBACK (on_rows_changed), self, 0);
  g_signal_connect_object (ladle_request_get_headers (request), "items-changed",
                           G_CALLBACK (on_rows_changed), self, 0);
  g_signal_connect_object (ladle_request_get_form (request), "items-changed",
                           G_CALLBACK (on_rows_changed), self, 0);
  watch_rows (self, G_LIST_MODEL (ladle_request_get_params (request)));
  watch_rows (self, G_LIST_MODEL (ladle_request_get_headers (request)));
  watch_rows (self, G_LIST_MODEL (ladle_request_get_form (request)));
  ladle_request_editor_set_request (self->editor, request);
  validate_url (self, NULL);
  validate_method (self);
  update_title (self);
}

void
ladle_request_tab_set_settings (LadleRequestTab *self,
                                GSettings       *settings)
{
  g_return_if_fail (LADLE_IS_REQUEST_TAB (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  g_set_object (&self->settings, settings);
}

gboolean
ladle_request_tab_get_busy (LadleRequestTab *self)
{
  g_return_val_if_fail (LADLE_IS_REQUEST_TAB (self), FALSE);
  return self->cancellable != NULL;
}

const char *
ladle_request_tab_get_title (LadleRequestTab *self)
{
  g_return_val_if_fail (LADLE_IS_REQUEST_TAB (self), NULL);
  return self->title;
}

gboolean
ladle_request_tab_is_blank (LadleRequestTab *self)
{
  const char *url;

  g_return_val_if_fail (LADLE_IS_REQUEST_TAB (self), FALSE);

  url = ladle_request_get_url (self->request);
  return self->cancellable == NULL && (url == NULL || *url == '\0');
}

/* Stops the send in flight, if any: silently, as the user's Cancel. */
void
ladle_request_tab_cancel (LadleRequestTab *self)
{
  g_return_if_fail (LADLE_IS_REQUEST_TAB (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

void
ladle_request_tab_focus_url (LadleRequestTab *self)
{
  g_return_if_fail (LADLE_IS_REQUEST_TAB (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->url_entry));
}

/* The tab edits request @node of @workspace: its {{…}} as written; Ctrl+S writes it back. */
void
ladle_request_tab_open_entry (LadleRequestTab    *self,
                              LadleWorkspace     *workspace,
                              LadleWorkspaceNode *node)
{
  g_return_if_fail (LADLE_IS_REQUEST_TAB (self));
  g_return_if_fail (LADLE_IS_WORKSPACE (workspace));
  g_return_if_fail (LADLE_IS_WORKSPACE_NODE (node));
  g_return_if_fail (ladle_workspace_node_get_entry (node) != NULL);

  g_set_object (&self->workspace, workspace);
  gtk_info_bar_set_revealed (self->changed_bar, FALSE);
  load_entry (self, ladle_workspace_node_get_path (node), ladle_workspace_node_get_index (node),
              ladle_workspace_node_get_entry (node));
}

/* The tab's request, kept as it is (with the edits it has), becomes request @node of @workspace,
 * as if opened from it: the tab is dirty when its request differs from the file's. For a tab
 * restored at start. */
void
ladle_request_tab_link_entry (LadleRequestTab    *self,
                              LadleWorkspace     *workspace,
                              LadleWorkspaceNode *node)
{
  g_return_if_fail (LADLE_IS_REQUEST_TAB (self));
  g_return_if_fail (LADLE_IS_WORKSPACE (workspace));
  g_return_if_fail (LADLE_IS_WORKSPACE_NODE (node));
  g_return_if_fail (ladle_workspace_node_get_entry (node) != NULL);

  g_set_object (&self->workspace, workspace);
  gtk_info_bar_set_revealed (self->changed_bar, FALSE);
  link_entry (self, ladle_workspace_node_get_path (node), ladle_workspace_node_get_index (node),
              ladle_workspace_node_get_entry (node));
}

/* The workspace "Save To…" starts in (nullable). A tab of another workspace's request forgets
 * where it came from. */
void
ladle_request_tab_set_workspace (LadleRequestTab *self,
                                 LadleWorkspace  *workspace)
{
  g_return_if_fail (LADLE_IS_REQUEST_TAB (self));

  if (self->workspace == workspace)
    return;
  g_set_object (&self->workspace, workspace);
  if (self->origin_path != NULL &&
      (workspace == NULL || ladle_workspace_find_file (workspace, self->origin_path) == NULL))
    {
      g_clear_pointer (&self->origin_path, g_free);
      g_clear_pointer (&self->origin_entry, ladle_http_entry_unref);
      g_clear_pointer (&self->saved_text, g_free);
      self->dirty = FALSE;
      gtk_widget_set_visible (self->dirty_label, FALSE);
      gtk_info_bar_set_revealed (self->changed_bar, FALSE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRTY]);
      update_origin (self);
      update_title (self);
      ladle_request_editor_set_variable_resolver (self->editor, NULL, NULL);
    }
  drop_scope (self);
}

LadleWorkspace *
ladle_request_tab_get_workspace (LadleRequestTab *self)
{
  g_return_val_if_fail (LADLE_IS_REQUEST_TAB (self), NULL);
  return self->workspace;
}

const char *
ladle_request_tab_get_origin_path (LadleRequestTab *self)
{
  g_return_val_if_fail (LADLE_IS_REQUEST_TAB (self), NULL);
  return self->origin_path;
}

/* The index of the request in its file (meaningful with an origin path). */
guint
ladle_request_tab_get_origin_index (LadleRequestTab *self)
{
  g_return_val_if_fail (LADLE_IS_REQUEST_TAB (self), 0);
  return self->origin_index;
}

/**
 * ladle_request_tab_get_origin_entry:
 *
 * Returns: (transfer none) (nullable): the entry the request was read from (or last saved as)
 */
LadleHttpEntry *
ladle_request_tab_get_origin_entry (LadleRequestTab *self)
{
  g_return_val_if_fail (LADLE_IS_REQUEST_TAB (self), NULL);
  return self->origin_entry;
}

gboolean
ladle_request_tab_get_dirty (LadleRequestTab *self)
{
  g_return_val_if_fail (LADLE_IS_REQUEST_TAB (self), FALSE);
  return self->dirty;
}

gboolean
ladle_request_tab_get_file_changed_shown (LadleRequestTab *self)
{
  g_return_val_if_fail (LADLE_IS_REQUEST_TAB (self), FALSE);
  return gtk_info_bar_get_revealed (self->changed_bar);
}

/* The request's file changed on disk: a tab without edits follows it; one with edits asks. */
void
ladle_request_tab_file_changed (LadleRequestTab *self)
{
  g_return_if_fail (LADLE_IS_REQUEST_TAB (self));

  if (self->origin_path == NULL)
    return;
  drop_scope (self);
  if (!self->dirty)
    {
      reload (self);
      return;
    }
  gtk_label_set_text (self->changed_label, _("The file changed on disk"));
  gtk_info_bar_set_response_sensitive (self->changed_bar, 1, TRUE);
  gtk_info_bar_set_revealed (self->changed_bar, TRUE);
}

/* The environment {{…}} are expanded with (nullable: none). */
void
ladle_request_tab_set_environment (LadleRequestTab *self,
                                   const char      *environment)
{
  g_return_if_fail (LADLE_IS_REQUEST_TAB (self));

  if (environment != NULL && environment[0] == '\0')
    environment = NULL;
  g_free (self->environment);
  self->environment = g_strdup (environment);
  drop_scope (self);
}

/* What {{…}} refer to for this tab's request: its file's folder's environments (up to the
 * workspace's folder) and the tab's environment. */
LadleHttpScope *
ladle_request_tab_dup_scope (LadleRequestTab  *self,
                             GError          **error)
{
  g_autofree char *folder = NULL;
  g_autoptr(LadleHttpEnvironments) environments = NULL;

  g_return_val_if_fail (LADLE_IS_REQUEST_TAB (self), NULL);

  if (self->origin_path == NULL || self->workspace == NULL)
    return ladle_http_scope_new (NULL, NULL);
  folder = ladle_http_environments_find_folder (self->origin_path,
                                                ladle_workspace_get_folder (self->workspace));
  environments = ladle_http_environments_load (folder, error);
  if (environments == NULL)
    return NULL;
  return ladle_http_scope_new (environments, self->environment);
}

/* The request to send: for a workspace request, the entry made from the tab's request with every
 * {{…}} expanded; else a copy of the request. */
LadleRequest *
ladle_request_tab_dup_request_to_send (LadleRequestTab  *self,
                                       GError          **error)
{
  g_autoptr(LadleHttpScope) scope = NULL;
  g_autoptr(LadleHttpEntry) entry = NULL;
  LadleWorkspaceNode *file_node;
  LadleHttpFile *file = NULL;

  g_return_val_if_fail (LADLE_IS_REQUEST_TAB (self), NULL);

  if (self->origin_path == NULL || self->workspace == NULL)
    return ladle_request_copy (self->request);
  scope = ladle_request_tab_dup_scope (self, error);
  if (scope == NULL)
    return NULL;
  entry = ladle_workspace_entry_from_request (self->request, self->origin_entry, NULL);
  file_node = ladle_workspace_find_file (self->workspace, self->origin_path);
  if (file_node != NULL)
    file = ladle_workspace_node_get_file (file_node);
  return ladle_http_scope_build_request (scope, file, entry, error);
}

/**
 * ladle_request_tab_get_editor:
 *
 * Returns: (transfer none): the tab's request editor
 */
LadleRequestEditor *
ladle_request_tab_get_editor (LadleRequestTab *self)
{
  g_return_val_if_fail (LADLE_IS_REQUEST_TAB (self), NULL);

  return self->editor;
}
