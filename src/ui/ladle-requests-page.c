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

#include <glib/gi18n.h>

#include "ladle-curl.h"
#include "ladle-http-client.h"
#include "ladle-request-editor.h"
#include "ladle-requests-page.h"
#include "ladle-response-view.h"
#include "ladle-window.h"

/* The Requests bench: a request bar (method, address, Send/Cancel, menu), the request editor and
 * the response pane side by side in a wide window, one over the other in a narrow one.
 *
 * The page owns the request being edited, the HTTP client and the send in flight. Each send works
 * on a copy of the request, so edits made while it runs do not change what is sent. */

#define WIDE_LAYOUT_MIN_WIDTH 760

struct _LadleRequestsPage
{
  AdwBin              parent_instance;

  /* Template widgets */
  LadleRequestEditor *editor;
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

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(LadleRequestsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(LadleResponse) response = NULL;

  response = ladle_http_client_send_finish (LADLE_HTTP_CLIENT (source), result, &error);

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
  g_clear_handle_id (&self->curl_idle_id, g_source_remove);
  g_clear_handle_id (&self->layout_idle_id, g_source_remove);
  if (self->bindings != NULL)
    g_binding_group_set_source (self->bindings, NULL);
  if (self->signals != NULL)
    g_signal_group_set_target (self->signals, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (object), LADLE_TYPE_REQUESTS_PAGE);

  g_clear_object (&self->bindings);
  g_clear_object (&self->signals);
  g_clear_object (&self->cancellable);
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
  gtk_widget_class_bind_template_child (widget_class, LadleRequestsPage, method_entry);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestsPage, paned);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestsPage, response_view);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestsPage, send_stack);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestsPage, url_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_url_changed);

  gtk_widget_class_install_action (widget_class, "request.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "request.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "request.set-method", "s", set_method_action);
  gtk_widget_class_install_action (widget_class, "request.copy-curl", NULL, copy_curl_action);
  gtk_widget_class_install_action (widget_class, "request.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "request.find", NULL, find_action);

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

  apply_default_timeouts (self, request);
  ladle_requests_page_set_request (self, request);
  update_actions (self);
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

  g_set_object (&self->settings, settings);
}
