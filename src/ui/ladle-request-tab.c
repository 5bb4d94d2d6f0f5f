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
#include "ladle-http-syntax.h"
#include "ladle-request-editor.h"
#include "ladle-request-tab.h"
#include "ladle-response-view.h"

/* One tab of the Requests bench: a request bar (method, address, Send/Cancel, menu), the request
 * editor and the response pane side by side in a wide window, one over the other in a narrow one.
 *
 * The tab owns the request being edited and the send in flight; the HTTP client is the page's,
 * shared by its tabs. Each send works on a copy of the request, so edits made while it runs do
 * not change what is sent. A finished send (not a cancelled one) is reported with ::sent, for the
 * history; every edit with ::changed, for saving the tabs. */

#define WIDE_LAYOUT_MIN_WIDTH 760

struct _LadleRequestTab
{
  AdwBin              parent_instance;

  /* Template widgets */
  LadleRequestEditor *editor;
  GtkEntry           *method_entry;
  GtkPaned           *paned;
  LadleResponseView  *response_view;
  GtkStack           *send_stack;
  GtkStack           *send_stack_narrow;
  GtkEntry           *url_entry;

  /* Owned references */
  LadleRequest       *request;
  LadleHttpClient    *client;
  GSettings          *settings;
  GBindingGroup      *bindings;
  GSignalGroup       *signals;
  GCancellable       *cancellable;   /* of the send in flight; NULL when idle */
  char               *title;
  guint               curl_idle_id;
  guint               layout_idle_id;
  gboolean            layout_done;    /* the paned got its first position */
};

G_DEFINE_FINAL_TYPE (LadleRequestTab, ladle_request_tab, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_BUSY,
  PROP_TITLE,
  N_PROPS
};

enum {
  CHANGED,
  SENT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
update_actions (LadleRequestTab *self)
{
  gboolean busy = self->cancellable != NULL;

  g_assert (LADLE_IS_REQUEST_TAB (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "request.send", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "request.cancel", busy);
  gtk_stack_set_visible_child_name (self->send_stack, busy ? "cancel" : "send");
  gtk_stack_set_visible_child_name (self->send_stack_narrow, busy ? "cancel" : "send");
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
  if (*url == '\0')
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

static void
on_request_changed (LadleRequestTab *self)
{
  g_assert (LADLE_IS_REQUEST_TAB (self));

  update_title (self);
  g_signal_emit (self, signals[CHANGED], 0);
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

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autoptr(LadleHistoryEntry) entry = NULL;
      gint64 sent_time = g_get_real_time () -
                         (gint64) (ladle_exchange_get_elapsed (send->exchange) * G_USEC_PER_SEC);

      entry = ladle_history_entry_new (ladle_exchange_get_request (send->exchange),
                                       response != NULL ? ladle_response_get_status (response) : 0,
                                       error != NULL ? error->message : NULL,
                                       sent_time, g_get_real_time () - sent_time);
      g_signal_emit (self, signals[SENT], 0, entry);
    }
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
  Send *send;

  if (self->cancellable != NULL)
    return;

  /* The client copies the request (edits made while it runs do not change what is sent), checks
   * it, and refuses at once what cannot be sent: the exchange has then failed already. */
  cancellable = g_cancellable_new ();
  send = g_new0 (Send, 1);
  send->self = g_object_ref (self);
  send->exchange = g_object_ref (ladle_http_client_send_async (self->client, self->request, NULL,
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

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ladle_request_tab_cancel (LADLE_REQUEST_TAB (widget));
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
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ladle_response_view_begin_search (LADLE_REQUEST_TAB (widget)->response_view);
}

/* Wide: editor | response. Narrow: editor over response. Changed after the allocation, not in
 * it, so the new orientation gets a layout pass of its own. */
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
      gtk_orientable_set_orientation (GTK_ORIENTABLE (self->paned), orientation);
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
       !self->layout_done) &&
      self->layout_idle_id == 0 && width > 1)
    self->layout_idle_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, update_layout_cb, self, NULL);
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
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The request was edited (or replaced). */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* A send finished, with a response or an error (not when cancelled). */
  signals[SENT] = g_signal_new ("sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                NULL, NULL, NULL, G_TYPE_NONE, 1, LADLE_TYPE_HISTORY_ENTRY);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ladle/Ladle/ladle-request-tab.ui");
  gtk_widget_class_bind_template_child (widget_class, LadleRequestTab, editor);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestTab, method_entry);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestTab, paned);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestTab, response_view);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestTab, send_stack);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestTab, send_stack_narrow);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestTab, url_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_url_changed);

  gtk_widget_class_install_action (widget_class, "request.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "request.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "request.set-method", "s", set_method_action);
  gtk_widget_class_install_action (widget_class, "request.copy-curl", NULL, copy_curl_action);
  gtk_widget_class_install_action (widget_class, "request.find", NULL, find_action);

  g_type_ensure (LADLE_TYPE_REQUEST_EDITOR);
  g_type_ensure (LADLE_TYPE_RESPONSE_VIEW);
}

static void
ladle_request_tab_init (LadleRequestTab *self)
{
  const GBindingFlags flags = G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE;

  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);
  gtk_widget_init_template (GTK_WIDGET (self));

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
                           G_CALLBACK (on_request_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (ladle_request_get_headers (request), "items-changed",
                           G_CALLBACK (on_request_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (ladle_request_get_form (request), "items-changed",
                           G_CALLBACK (on_request_changed), self, G_CONNECT_SWAPPED);
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
