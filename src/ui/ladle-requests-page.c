/* ladle-requests-page.c
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
#include "ladle-history.h"
#include "ladle-http-client.h"
#include "ladle-request-editor.h"
#include "ladle-requests-page.h"
#include "ladle-response-view.h"
#include "ladle-window.h"

/* The Requests bench: a request bar (method, address, Send/Cancel, menu), the request editor and
 * the response pane side by side in a wide window, one over the other in a narrow one.
 *
 * The page owns the request being edited, the HTTP client and the send in flight. Each send works
 * on a copy of the request, so edits made while it runs do not change what is sent.
 *
 * Every finished send (not a cancelled one) goes into the history sidebar, which all pages of the
 * process share; the history and the draft (the request being edited) are kept in
 * g_get_user_data_dir()/ladle and saved in the background, shortly after they change. */

#define WIDE_LAYOUT_MIN_WIDTH 760
#define HISTORY_SAVE_DELAY_MS 500
#define DRAFT_SAVE_DELAY_MS   1000

struct _LadleRequestsPage
{
  AdwBin              parent_instance;

  /* Template widgets */
  LadleRequestEditor *editor;
  AdwFlap            *flap;
  GtkListView        *history_list;
  GtkSearchEntry     *history_search;
  GtkStack           *history_stack;
  GtkEntry           *method_entry;
  GtkPaned           *paned;
  LadleResponseView  *response_view;
  GtkStack           *send_stack;
  GtkEntry           *url_entry;

  /* Owned references */
  LadleRequest       *request;
  LadleHttpClient    *client;
  GSettings          *settings;
  GBindingGroup      *bindings;
  GSignalGroup       *signals;
  GCancellable       *cancellable;   /* of the send in flight; NULL when idle */
  LadleResponse      *last_response;
  guint               curl_idle_id;
  guint               layout_idle_id;
  gboolean            layout_done;    /* the paned got its first position */

  /* History and draft */
  LadleHistory       *history;        /* shared by the pages of the process */
  GtkFilterListModel *history_filter;
  GtkCustomFilter    *history_search_filter;
  LadleRequest       *sent_request;   /* the copy in flight */
  gint64              sent_time;
  GCancellable       *load_cancellable;
  guint               history_save_id;
  guint               draft_save_id;
  gboolean            draft_dirty;    /* edited since the draft was last saved */
  gboolean            edited;         /* edited since the page was made: the saved draft
                                       * must not replace the user's work */
};

G_DEFINE_FINAL_TYPE (LadleRequestsPage, ladle_requests_page, ADW_TYPE_BIN)

static void
update_actions (LadleRequestsPage *self)
{
  gboolean busy = self->cancellable != NULL;

  g_assert (LADLE_IS_REQUESTS_PAGE (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "request.send", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "request.cancel", busy);
  gtk_stack_set_visible_child_name (self->send_stack, busy ? "cancel" : "send");
}

static void
toast (LadleRequestsPage *self,
       const char        *title)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), LADLE_TYPE_WINDOW);

  g_assert (LADLE_IS_REQUESTS_PAGE (self));

  if (window != NULL)
    ladle_window_add_toast (LADLE_WINDOW (window), title);
}

static void
apply_default_timeouts (LadleRequestsPage *self,
                        LadleRequest      *request)
{
  g_assert (LADLE_IS_REQUESTS_PAGE (self));

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

/* Flags the address entry when the URL cannot be sent, with the reason as its tooltip. */
static gboolean
validate_url (LadleRequestsPage  *self,
              GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *url = NULL;
  const char *text;

  g_assert (LADLE_IS_REQUESTS_PAGE (self));

  text = gtk_editable_get_text (GTK_EDITABLE (self->url_entry));
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

static gboolean
import_curl_cb (gpointer data)
{
  LadleRequestsPage *self = data;
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LadleRequest) request = NULL;
  g_autofree char *command = NULL;

  g_assert (LADLE_IS_REQUESTS_PAGE (self));

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
  ladle_requests_page_set_request (self, request);

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
on_request_url_changed (LadleRequestsPage *self)
{
  g_assert (LADLE_IS_REQUESTS_PAGE (self));

  if (self->curl_idle_id == 0)
    validate_url (self, NULL);
}

static void
on_url_changed (LadleRequestsPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->url_entry));

  g_assert (LADLE_IS_REQUESTS_PAGE (self));

  while (g_ascii_isspace (*text))
    text++;

  /* A pasted curl command becomes the request, once the entry has finished changing. */
  if (g_str_has_prefix (text, "curl ") && self->curl_idle_id == 0)
    {
      self->curl_idle_id = g_idle_add (import_curl_cb, self);
    }
}

static void
on_entry_activate (LadleRequestsPage *self)
{
  g_assert (LADLE_IS_REQUESTS_PAGE (self));

  gtk_widget_activate_action (GTK_WIDGET (self), "request.send", NULL);
}

/* History */

static LadleHistory *shared_history;

static void
history_saved_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!ladle_history_save_finish (LADLE_HISTORY (source), result, &error))
    g_warning ("Could not save the history: %s", error->message);
}

static void
draft_saved_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!ladle_history_save_draft_finish (LADLE_HISTORY (source), result, &error))
    g_warning ("Could not save the draft: %s", error->message);
}

static gboolean
save_history_cb (gpointer data)
{
  LadleRequestsPage *self = data;

  self->history_save_id = 0;
  ladle_history_save_async (self->history, NULL, history_saved_cb, NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
save_draft_cb (gpointer data)
{
  LadleRequestsPage *self = data;

  self->draft_save_id = 0;
  self->draft_dirty = FALSE;
  ladle_history_save_draft_async (self->history, self->request, NULL, draft_saved_cb, NULL);
  return G_SOURCE_REMOVE;
}

static void
on_request_changed (LadleRequestsPage *self)
{
  g_assert (LADLE_IS_REQUESTS_PAGE (self));

  self->edited = TRUE;
  self->draft_dirty = TRUE;
  g_clear_handle_id (&self->draft_save_id, g_source_remove);
  self->draft_save_id = g_timeout_add (DRAFT_SAVE_DELAY_MS, save_draft_cb, self);
}

static void
add_to_history (LadleRequestsPage *self,
                LadleResponse     *response,
                const GError      *error)
{
  g_autoptr(LadleHistoryEntry) entry = NULL;

  g_assert (LADLE_IS_REQUESTS_PAGE (self));

  if (self->history == NULL || self->sent_request == NULL)
    return;

  entry = ladle_history_entry_new (self->sent_request,
                                   response != NULL ? ladle_response_get_status (response) : 0,
                                   error != NULL ? error->message : NULL,
                                   self->sent_time, g_get_real_time () - self->sent_time);
  ladle_history_add (self->history, entry);
  if (self->history_save_id == 0)
    self->history_save_id = g_timeout_add (HISTORY_SAVE_DELAY_MS, save_history_cb, self);
}

static char *
format_relative_time (gint64 time)
{
  g_autoptr(GDateTime) then = g_date_time_new_from_unix_local (time / G_USEC_PER_SEC);
  gint64 ago = (g_get_real_time () - time) / G_USEC_PER_SEC;

  if (ago < 60)
    return g_strdup (_("Just now"));
  if (ago < 60 * 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago",
                                         ago / 60), (int) (ago / 60));
  if (ago < 24 * 60 * 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago",
                                         ago / 3600), (int) (ago / 3600));
  if (then == NULL)
    return g_strdup ("");
  /* Translators: the date of an older request in the history, see strftime(3) */
  return g_date_time_format (then, _("%b %e, %H:%M"));
}

static void
setup_history_row (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *url = gtk_label_new (NULL);
  GtkWidget *method = gtk_label_new (NULL);
  GtkWidget *status = gtk_label_new (NULL);
  GtkWidget *time = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_label_set_xalign (GTK_LABEL (url), 0);
  gtk_label_set_ellipsize (GTK_LABEL (url), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (url), 30);
  gtk_widget_add_css_class (method, "caption-heading");
  gtk_widget_add_css_class (status, "caption");
  gtk_widget_add_css_class (status, "status-badge");
  gtk_label_set_ellipsize (GTK_LABEL (status), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (status), 24);
  gtk_label_set_xalign (GTK_LABEL (time), 1);
  gtk_widget_set_hexpand (time, TRUE);
  gtk_widget_add_css_class (time, "caption");
  gtk_widget_add_css_class (time, "dim-label");
  gtk_box_append (GTK_BOX (line), method);
  gtk_box_append (GTK_BOX (line), status);
  gtk_box_append (GTK_BOX (line), time);
  gtk_box_append (GTK_BOX (box), url);
  gtk_box_append (GTK_BOX (box), line);
  gtk_list_item_set_child (item, box);
}

static void
bind_history_row (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  user_data)
{
  static const char *classes[] = { "success", "redirect", "client-error", "server-error",
                                   "failed" };
  LadleHistoryEntry *entry = gtk_list_item_get_item (item);
  LadleRequest *request = ladle_history_entry_get_request (entry);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *url = gtk_widget_get_first_child (box);
  GtkWidget *line = gtk_widget_get_next_sibling (url);
  GtkWidget *method = gtk_widget_get_first_child (line);
  GtkWidget *status = gtk_widget_get_next_sibling (method);
  GtkWidget *time = gtk_widget_get_next_sibling (status);
  guint code = ladle_history_entry_get_status (entry);
  g_autofree char *status_text = NULL;
  g_autofree char *time_text = format_relative_time (ladle_history_entry_get_time (entry));
  g_autoptr(GDateTime) then = NULL;

  gtk_label_set_text (GTK_LABEL (url), ladle_request_get_url (request));
  gtk_widget_set_tooltip_text (url, ladle_request_get_url (request));
  gtk_label_set_text (GTK_LABEL (method), ladle_request_get_method (request));

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (status, classes[i]);
  if (code != 0)
    {
      status_text = g_strdup_printf ("%u", code);
      if (code >= 200 && code < 600)
        gtk_widget_add_css_class (status, classes[code / 100 - 2]);
      gtk_widget_set_tooltip_text (status, NULL);
    }
  else
    {
      const char *error = ladle_history_entry_get_error (entry);

      status_text = g_strdup (error != NULL ? error : _("Failed"));
      gtk_widget_add_css_class (status, "failed");
      gtk_widget_set_tooltip_text (status, status_text);
    }
  gtk_label_set_text (GTK_LABEL (status), status_text);

  gtk_label_set_text (GTK_LABEL (time), time_text);
  then = g_date_time_new_from_unix_local (ladle_history_entry_get_time (entry) / G_USEC_PER_SEC);
  if (then != NULL)
    {
      g_autofree char *full = g_date_time_format (then, "%c");

      gtk_widget_set_tooltip_text (time, full);
    }
}

static gboolean
match_history_entry (gpointer item,
                     gpointer user_data)
{
  LadleRequestsPage *self = user_data;
  LadleHistoryEntry *entry = item;
  LadleRequest *request = ladle_history_entry_get_request (entry);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->history_search));
  g_autofree char *needle = NULL;
  g_autofree char *haystack = NULL;
  g_autofree char *folded = NULL;

  if (text == NULL || *text == '\0')
    return TRUE;

  needle = g_utf8_casefold (text, -1);
  haystack = g_strdup_printf ("%s %s %u %s", ladle_request_get_method (request),
                              ladle_request_get_url (request),
                              ladle_history_entry_get_status (entry),
                              ladle_history_entry_get_error (entry) != NULL
                              ? ladle_history_entry_get_error (entry) : "");
  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, needle) != NULL;
}

static void
on_history_search_changed (LadleRequestsPage *self)
{
  g_assert (LADLE_IS_REQUESTS_PAGE (self));

  gtk_filter_changed (GTK_FILTER (self->history_search_filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
update_history_stack (LadleRequestsPage *self)
{
  g_assert (LADLE_IS_REQUESTS_PAGE (self));

  gtk_stack_set_visible_child_name (self->history_stack,
                                    g_list_model_get_n_items (G_LIST_MODEL (self->history_filter)) > 0
                                    ? "list" : "empty");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.clear",
                                 g_list_model_get_n_items (G_LIST_MODEL (self->history)) > 0);
}

static void
on_history_activate (LadleRequestsPage *self,
                     guint              position)
{
  g_autoptr(LadleHistoryEntry) entry = NULL;
  g_autoptr(LadleRequest) request = NULL;

  g_assert (LADLE_IS_REQUESTS_PAGE (self));

  entry = g_list_model_get_item (G_LIST_MODEL (self->history_filter), position);
  if (entry == NULL)
    return;

  request = ladle_request_copy (ladle_history_entry_get_request (entry));
  ladle_requests_page_set_request (self, request);
  on_request_changed (self);
  if (adw_flap_get_folded (self->flap))
    adw_flap_set_reveal_flap (self->flap, FALSE);
}

static void
clear_history_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  LadleRequestsPage *self = LADLE_REQUESTS_PAGE (widget);

  ladle_history_clear (self->history);
  g_clear_handle_id (&self->history_save_id, g_source_remove);
  ladle_history_save_async (self->history, NULL, history_saved_cb, NULL);
}

static void
history_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!ladle_history_load_finish (LADLE_HISTORY (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      LadleRequestsPage *self = user_data;

      /* The file was set aside (the user is told where); the history starts empty. */
      g_message ("%s", error->message);
      if (self != NULL)
        toast (self, error->message);
    }
  g_clear_object (&user_data);
}

static void
draft_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(LadleRequestsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(LadleRequest) draft = NULL;

  draft = ladle_history_load_draft_finish (LADLE_HISTORY (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;

  if (error != NULL)
    {
      g_message ("%s", error->message);
      toast (self, error->message);
    }
  else if (draft != NULL && !self->edited)
    {
      ladle_requests_page_set_request (self, draft);
      self->draft_dirty = FALSE;
    }
}

/* The history is shared by the pages of the process, and loaded once. */
static LadleHistory *
dup_shared_history (LadleRequestsPage *self)
{
  if (shared_history != NULL)
    return g_object_ref (shared_history);

  shared_history = ladle_history_new (NULL);
  g_object_add_weak_pointer (G_OBJECT (shared_history), (gpointer *) &shared_history);
  ladle_history_load_async (shared_history, NULL, history_loaded_cb, g_object_ref (self));
  return shared_history;
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(LadleRequestsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(LadleResponse) response = NULL;

  response = ladle_http_client_send_finish (LADLE_HTTP_CLIENT (source), result, &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    add_to_history (self, response, error);
  g_clear_object (&self->sent_request);
  g_clear_object (&self->cancellable);
  update_actions (self);

  if (gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;

  if (response != NULL)
    {
      g_set_object (&self->last_response, response);
      ladle_response_view_show_response (self->response_view, response);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* The user's cancel is not an error: back to what was shown before. */
      if (self->last_response != NULL)
        ladle_response_view_show_response (self->response_view, self->last_response);
      else
        ladle_response_view_show_empty (self->response_view);
    }
  else
    {
      g_clear_object (&self->last_response);
      ladle_response_view_show_error (self->response_view, error->message);
    }
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LadleRequestsPage *self = LADLE_REQUESTS_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(LadleRequest) copy = NULL;
  LadleExchange *exchange;

  if (self->cancellable != NULL)
    return;

  if (!validate_url (self, &error))
    {
      ladle_response_view_show_error (self->response_view, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->url_entry));
      return;
    }

  if (ladle_request_get_body_kind (self->request) == LADLE_BODY_JSON)
    {
      guint line = 0, column = 0;

      if (!ladle_request_check_json_body (self->request, &line, &column, &error))
        {
          g_autofree char *message = g_strdup_printf (_("The JSON body is not valid: %s"),
                                                      error->message);

          ladle_response_view_show_error (self->response_view, message);
          ladle_request_editor_show_body_at (self->editor, line, column);
          return;
        }
    }

  copy = ladle_request_copy (self->request);
  g_set_object (&self->sent_request, copy);
  self->sent_time = g_get_real_time ();
  self->cancellable = g_cancellable_new ();
  exchange = ladle_http_client_send_async (self->client, copy, NULL, self->cancellable, sent_cb,
                                           g_object_ref (self));
  ladle_response_view_show_exchange (self->response_view, exchange);
  update_actions (self);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LadleRequestsPage *self = LADLE_REQUESTS_PAGE (widget);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
set_method_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  LadleRequestsPage *self = LADLE_REQUESTS_PAGE (widget);

  ladle_request_set_method (self->request, g_variant_get_string (parameter, NULL));
}

static void
copy_curl_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  LadleRequestsPage *self = LADLE_REQUESTS_PAGE (widget);
  g_autofree char *command = ladle_curl_export (self->request);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), command);
  toast (self, _("Copied as a curl command"));
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  LadleRequestsPage *self = LADLE_REQUESTS_PAGE (widget);
  g_autoptr(LadleRequest) request = ladle_request_new ();

  apply_default_timeouts (self, request);
  ladle_requests_page_set_request (self, request);
  g_clear_object (&self->last_response);
  if (self->cancellable == NULL)
    ladle_response_view_show_empty (self->response_view);
  gtk_widget_grab_focus (GTK_WIDGET (self->url_entry));
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ladle_response_view_begin_search (LADLE_REQUESTS_PAGE (widget)->response_view);
}

/* Wide: editor | response. Narrow: editor over response. Changed after the allocation, not in
 * it, so the new orientation gets a layout pass of its own. */
static gboolean
update_layout_cb (gpointer data)
{
  LadleRequestsPage *self = data;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  GtkOrientation orientation = width >= WIDE_LAYOUT_MIN_WIDTH ? GTK_ORIENTATION_HORIZONTAL
                                                              : GTK_ORIENTATION_VERTICAL;

  self->layout_idle_id = 0;
  if (gtk_orientable_get_orientation (GTK_ORIENTABLE (self->paned)) != orientation ||
      !self->layout_done)
    {
      self->layout_done = TRUE;
      gtk_orientable_set_orientation (GTK_ORIENTABLE (self->paned), orientation);
      gtk_paned_set_position (self->paned, orientation == GTK_ORIENTATION_HORIZONTAL
                                           ? width * 9 / 20 : height / 3);
    }
  return G_SOURCE_REMOVE;
}

/* AdwBin lays out through a GtkBinLayout, which would bypass size_allocate: the page measures and
 * allocates its child itself so that it sees its width. */
static void
ladle_requests_page_measure (GtkWidget      *widget,
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
ladle_requests_page_size_allocate (GtkWidget *widget,
                                   int        width,
                                   int        height,
                                   int        baseline)
{
  LadleRequestsPage *self = LADLE_REQUESTS_PAGE (widget);
  GtkOrientation wanted = width >= WIDE_LAYOUT_MIN_WIDTH ? GTK_ORIENTATION_HORIZONTAL
                                                         : GTK_ORIENTATION_VERTICAL;
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL)
    gtk_widget_allocate (child, width, height, baseline, NULL);

  if ((gtk_orientable_get_orientation (GTK_ORIENTABLE (self->paned)) != wanted ||
       !self->layout_done) &&
      self->layout_idle_id == 0 && width > 1)
    self->layout_idle_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, update_layout_cb, self, NULL);
}

static void
ladle_requests_page_dispose (GObject *object)
{
  LadleRequestsPage *self = LADLE_REQUESTS_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->load_cancellable);
  g_clear_handle_id (&self->curl_idle_id, g_source_remove);
  if (self->history != NULL)
    {
      /* The history may be large: its pending save goes on in the background. The draft is one
       * small request: it is written here, synchronously but safely (g_file_set_contents_full,
       * CONSISTENT: a temporary file renamed over the old one), so that quitting keeps it. */
      if (self->history_save_id != 0)
        {
          g_clear_handle_id (&self->history_save_id, g_source_remove);
          ladle_history_save_async (self->history, NULL, history_saved_cb, NULL);
        }
      g_clear_handle_id (&self->draft_save_id, g_source_remove);
      if (self->draft_dirty && self->request != NULL)
        {
          g_autoptr(GError) error = NULL;

          self->draft_dirty = FALSE;
          if (!ladle_history_save_draft (self->history, self->request, &error))
            g_warning ("Could not save the draft: %s", error->message);
        }
    }
  g_clear_handle_id (&self->layout_idle_id, g_source_remove);
  if (self->bindings != NULL)
    g_binding_group_set_source (self->bindings, NULL);
  if (self->signals != NULL)
    g_signal_group_set_target (self->signals, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (object), LADLE_TYPE_REQUESTS_PAGE);

  g_clear_object (&self->bindings);
  g_clear_object (&self->signals);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->history_filter);
  g_clear_object (&self->history_search_filter);
  g_clear_object (&self->history);
  g_clear_object (&self->sent_request);
  g_clear_object (&self->client);
  g_clear_object (&self->last_response);
  g_clear_object (&self->request);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ladle_requests_page_parent_class)->dispose (object);
}

static void
ladle_requests_page_class_init (LadleRequestsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ladle_requests_page_dispose;
  widget_class->measure = ladle_requests_page_measure;
  widget_class->size_allocate = ladle_requests_page_size_allocate;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ladle/Ladle/ladle-requests-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LadleRequestsPage, editor);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestsPage, flap);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestsPage, history_list);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestsPage, history_search);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestsPage, history_stack);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestsPage, method_entry);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestsPage, paned);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestsPage, response_view);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestsPage, send_stack);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestsPage, url_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_history_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_history_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_url_changed);

  gtk_widget_class_install_action (widget_class, "request.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "request.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "request.set-method", "s", set_method_action);
  gtk_widget_class_install_action (widget_class, "request.copy-curl", NULL, copy_curl_action);
  gtk_widget_class_install_action (widget_class, "request.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "request.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "history.clear", NULL, clear_history_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "request.send", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "request.send", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "request.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "request.find", NULL);

  g_type_ensure (LADLE_TYPE_REQUEST_EDITOR);
  g_type_ensure (LADLE_TYPE_RESPONSE_VIEW);
}

static void
ladle_requests_page_init (LadleRequestsPage *self)
{
  const GBindingFlags flags = G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE;
  g_autoptr(LadleRequest) request = ladle_request_new ();

  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->client = ladle_http_client_new ();
  self->settings = g_settings_new (APP_ID);

  self->bindings = g_binding_group_new ();
  g_binding_group_bind (self->bindings, "method", self->method_entry, "text", flags);
  g_binding_group_bind (self->bindings, "url", self->url_entry, "text", flags);
  self->signals = g_signal_group_new (LADLE_TYPE_REQUEST);
  g_signal_group_connect_object (self->signals, "notify::url",
                                 G_CALLBACK (on_request_url_changed), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->signals, "notify",
                                 G_CALLBACK (on_request_changed), self, G_CONNECT_SWAPPED);

  apply_default_timeouts (self, request);
  ladle_requests_page_set_request (self, request);
  update_actions (self);

  /* History sidebar */
  {
    g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
    g_autoptr(GtkNoSelection) selection = NULL;

    self->history = dup_shared_history (self);
    g_settings_bind (self->settings, "history-size", self->history, "max-size",
                     G_SETTINGS_BIND_GET);
    self->history_search_filter = gtk_custom_filter_new (match_history_entry, self, NULL);
    self->history_filter = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->history)),
                                                      g_object_ref (GTK_FILTER (self->history_search_filter)));
    g_signal_connect_object (self->history_filter, "items-changed",
                             G_CALLBACK (update_history_stack), self, G_CONNECT_SWAPPED);
    g_signal_connect (factory, "setup", G_CALLBACK (setup_history_row), NULL);
    g_signal_connect (factory, "bind", G_CALLBACK (bind_history_row), NULL);
    selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->history_filter)));
    gtk_list_view_set_model (self->history_list, GTK_SELECTION_MODEL (selection));
    gtk_list_view_set_factory (self->history_list, factory);
    update_history_stack (self);
  }

  /* The request the user was editing last time, unless the user starts on another first. */
  self->edited = FALSE;
  self->draft_dirty = FALSE;
  self->load_cancellable = g_cancellable_new ();
  ladle_history_load_draft_async (self->history, self->load_cancellable, draft_loaded_cb,
                                  g_object_ref (self));
}

/**
 * ladle_requests_page_get_request:
 *
 * Returns: (transfer none): the request being edited
 */
LadleRequest *
ladle_requests_page_get_request (LadleRequestsPage *self)
{
  g_return_val_if_fail (LADLE_IS_REQUESTS_PAGE (self), NULL);
  return self->request;
}

/* Edits @request from now on (a pasted curl command, a request from elsewhere). */
void
ladle_requests_page_set_request (LadleRequestsPage *self,
                                 LadleRequest      *request)
{
  g_return_if_fail (LADLE_IS_REQUESTS_PAGE (self));
  g_return_if_fail (LADLE_IS_REQUEST (request));

  if (!g_set_object (&self->request, request))
    return;

  g_binding_group_set_source (self->bindings, request);
  g_signal_group_set_target (self->signals, request);
  g_signal_connect_object (ladle_request_get_params (request), "items-changed",
                           G_CALLBACK (on_request_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (ladle_request_get_headers (request), "items-changed",
                           G_CALLBACK (on_request_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (ladle_request_get_form (request), "items-changed",
                           G_CALLBACK (on_request_changed), self, G_CONNECT_SWAPPED);
  ladle_request_editor_set_request (self->editor, request);
  validate_url (self, NULL);
}

gboolean
ladle_requests_page_get_busy (LadleRequestsPage *self)
{
  g_return_val_if_fail (LADLE_IS_REQUESTS_PAGE (self), FALSE);
  return self->cancellable != NULL;
}

/* Uses @settings (the window's) for the default timeouts instead of the page's own. */
void
ladle_requests_page_set_settings (LadleRequestsPage *self,
                                  GSettings         *settings)
{
  g_return_if_fail (LADLE_IS_REQUESTS_PAGE (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  if (g_set_object (&self->settings, settings))
    g_settings_bind (self->settings, "history-size", self->history, "max-size",
                     G_SETTINGS_BIND_GET);
}

/**
 * ladle_requests_page_get_history:
 *
 * Returns: (transfer none): the history the sidebar shows (shared by the pages of the process)
 */
LadleHistory *
ladle_requests_page_get_history (LadleRequestsPage *self)
{
  g_return_val_if_fail (LADLE_IS_REQUESTS_PAGE (self), NULL);
  return self->history;
}
