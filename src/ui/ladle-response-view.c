/* ladle-response-view.c
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

#include "ladle-body-view.h"
#include "ladle-error.h"
#include "ladle-headers-view.h"
#include "ladle-response-view.h"
#include "ladle-timing-view.h"
#include "ladle-ui-util.h"

/* The response pane, a function of one LadleExchange: while it runs, its phase and progress; once
 * done, the response (status, size, time; the body in a LadleBodyView, headers, the timing
 * waterfall and redirects); once failed, the error in words. A cancelled exchange says so, how long
 * it had run and what had arrived, with the last finished one a click away. */

struct _LadleResponseView
{
  AdwBin                  parent_instance;

  /* Template widgets */
  AdwBin                 *body_bin;
  LadleBodyView          *body;           /* made with the first response (see ensure_body) */
  GtkLabel               *error_label;
  GtkLabel               *cancelled_label;
  GtkLabel               *cancelled_title;
  GtkButton              *previous_button;
  GtkButton              *start_server_button;
  GtkLabel               *redirect_note_label;
  LadleHeadersView       *headers_list;
  GtkLabel               *phase_label;
  GtkProgressBar         *progress_bar;
  GtkLabel               *progress_label;
  GtkToggleButton        *raw_button;
  LadleHeadersView       *redirects_list;
  GtkButton              *search_button;
  GtkLabel               *size_label;
  GtkLabel               *sizes_label;
  GtkSpinner             *spinner;
  GtkStack               *state_stack;
  GtkLabel               *status_badge;
  GtkLabel               *time_label;
  LadleTimingView        *timing_view;
  GtkStack               *view_stack;
  GtkStackSwitcher       *view_switcher;

  /* Owned references */
  LadleExchange          *exchange;       /* followed */
  LadleExchange          *shown;          /* the last one that finished with an answer or error */
  LadleExchangePhase      last_phase;     /* of the followed one, before it ended */
};

G_DEFINE_FINAL_TYPE (LadleResponseView, ladle_response_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_EXCHANGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
format_duration (gint64 usec)
{
  if (usec < G_USEC_PER_SEC)
    /* Translators: a duration in milliseconds */
    return g_strdup_printf (_("%.0f ms"), usec / 1000.0);
  /* Translators: a duration in seconds */
  return g_strdup_printf (_("%.2f s"), usec / (double) G_USEC_PER_SEC);
}

/* ------------------------------------------------------------------------------------------------
 * Headers, timing, redirects
 */

static void
show_details (LadleResponseView *self,
              LadleResponse     *response)
{
  const LadleSizes *sizes = ladle_response_get_sizes (response);
  g_autofree char *sent_headers = g_format_size (sizes->request_header_bytes);
  g_autofree char *sent_body = g_format_size (sizes->request_body_bytes);
  g_autofree char *got_headers = g_format_size (sizes->response_header_bytes);
  g_autofree char *got_body = g_format_size (sizes->response_body_wire_bytes);
  g_autofree char *decoded = g_format_size (sizes->response_body_decoded_bytes);
  g_autofree char *sizes_text = NULL;

  g_assert (LADLE_IS_RESPONSE_VIEW (self));

  ladle_headers_view_show_headers (self->headers_list, response);
  ladle_timing_view_set_timing (self->timing_view, ladle_response_get_timing (response));
  /* Translators: sizes such as "312 bytes" or "1.2 kB" */
  sizes_text = g_strdup_printf (_("Sent %s of headers and %s of body; received %s of headers and "
                                  "%s of body (%s decoded)."),
                                sent_headers, sent_body, got_headers, got_body, decoded);
  gtk_label_set_text (self->sizes_label, sizes_text);
  ladle_headers_view_show_redirects (self->redirects_list, response);
}

static void
show_status (LadleResponseView *self,
             LadleResponse     *response)
{
  static const char *classes[] = { "success", "redirect", "client-error", "server-error",
                                   "failed" };
  guint status = ladle_response_get_status (response);
  const char *reason = ladle_response_get_reason (response);
  const LadleTiming *timing = ladle_response_get_timing (response);
  g_autofree char *badge = NULL;
  g_autofree char *time = format_duration (timing->response_end);
  g_autofree char *size = g_format_size (ladle_response_get_body_size (response));

  g_assert (LADLE_IS_RESPONSE_VIEW (self));

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_badge), classes[i]);
  if (status >= 200 && status < 600)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_badge), classes[status / 100 - 2]);

  badge = reason != NULL && *reason != '\0' ? g_strdup_printf ("%u %s", status, reason)
                                            : g_strdup_printf ("%u", status);
  gtk_label_set_text (self->status_badge, badge);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_badge), badge);
  gtk_label_set_text (self->time_label, time);
  gtk_label_set_text (self->size_label, size);
}

/* ------------------------------------------------------------------------------------------------
 * Running exchange
 */

static const char *
phase_text (LadleExchangePhase phase)
{
  switch (phase)
    {
    case LADLE_EXCHANGE_PHASE_PENDING:
      return _("Starting…");
    case LADLE_EXCHANGE_PHASE_RESOLVING:
      return _("Resolving the host name…");
    case LADLE_EXCHANGE_PHASE_CONNECTING:
      return _("Connecting…");
    case LADLE_EXCHANGE_PHASE_TLS:
      return _("Securing the connection…");
    case LADLE_EXCHANGE_PHASE_SENDING:
      return _("Sending the request…");
    case LADLE_EXCHANGE_PHASE_WAITING:
      return _("Waiting for the answer…");
    case LADLE_EXCHANGE_PHASE_RECEIVING:
      return _("Receiving the answer…");
    case LADLE_EXCHANGE_PHASE_DONE:
    case LADLE_EXCHANGE_PHASE_FAILED:
    case LADLE_EXCHANGE_PHASE_CANCELLED:
    default:
      return _("Finishing…");
    }
}

static void
update_progress (LadleResponseView *self)
{
  LadleExchange *exchange = self->exchange;
  LadleExchangePhase phase;
  guint64 received, sent;
  gint64 expected;
  g_autofree char *text = NULL;
  g_autofree char *elapsed = NULL;

  g_assert (LADLE_IS_RESPONSE_VIEW (self));

  if (exchange == NULL)
    return;

  phase = ladle_exchange_get_phase (exchange);
  received = ladle_exchange_get_bytes_received (exchange);
  sent = ladle_exchange_get_bytes_sent (exchange);
  expected = ladle_exchange_get_expected_length (exchange);
  elapsed = format_duration ((gint64) (ladle_exchange_get_elapsed (exchange) * G_USEC_PER_SEC));

  gtk_label_set_text (self->phase_label, phase_text (phase));

  if (phase == LADLE_EXCHANGE_PHASE_RECEIVING && expected > 0)
    {
      g_autofree char *got = g_format_size (received);
      g_autofree char *total = g_format_size (expected);

      /* Translators: "1.2 MB of 4.0 MB · 0.8 s" */
      text = g_strdup_printf (_("%s of %s · %s"), got, total, elapsed);
      gtk_progress_bar_set_fraction (self->progress_bar, MIN (1.0, (double) received / expected));
      gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
    }
  else if (received > 0)
    {
      g_autofree char *got = g_format_size (received);

      /* Translators: "1.2 MB received · 0.8 s" */
      text = g_strdup_printf (_("%s received · %s"), got, elapsed);
      gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
    }
  else if (sent > 0)
    {
      g_autofree char *out = g_format_size (sent);

      /* Translators: "1.2 MB sent · 0.8 s" */
      text = g_strdup_printf (_("%s sent · %s"), out, elapsed);
      gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
    }
  else
    {
      text = g_steal_pointer (&elapsed);
      gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
    }

  gtk_label_set_text (self->progress_label, text);
}

/* ------------------------------------------------------------------------------------------------
 * The exchange shown
 */

static void on_body_ready (LadleResponseView *self);

/* The body view (a GtkSourceView, a viewer for large bodies, search…) is made when the first
 * response or error is shown, not with the pane: a new tab's first frame does not show it, and
 * it was a good part of the window's start-up (bench/README.md). */
static LadleBodyView *
ensure_body (LadleResponseView *self)
{
  if (self->body != NULL)
    return self->body;

  self->body = g_object_new (LADLE_TYPE_BODY_VIEW, NULL);
  gtk_widget_set_name (GTK_WIDGET (self->body), "body");
  g_signal_connect_object (self->body, "notify::ready", G_CALLBACK (on_body_ready), self,
                           G_CONNECT_SWAPPED);
  /* Raw is the body's; the button shows only for a body that has a pretty form */
  g_object_bind_property (self->raw_button, "active", self->body, "raw",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->body, "can-pretty", self->raw_button, "visible",
                          G_BINDING_SYNC_CREATE);
  adw_bin_set_child (self->body_bin, GTK_WIDGET (self->body));
  return self->body;
}

/* A request refused by this machine on the port the Server page serves on: the server is
 * probably just not running, and the pane offers to start it. */
static gboolean
refused_by_local_server (const GError *error)
{
  const char * const *form = ladle_error_get_form (error);
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GInetAddress) address = NULL;
  guint port;

  if (form == NULL || g_strcmp0 (form[0], "refused") != 0 || form[1] == NULL || form[2] == NULL)
    return FALSE;
  address = g_inet_address_new_from_string (form[1]);
  if (g_ascii_strcasecmp (form[1], "localhost") != 0 &&
      (address == NULL || !g_inet_address_get_is_loopback (address)))
    return FALSE;
  port = (guint) g_ascii_strtoull (form[2], NULL, 10);
  settings = g_settings_new (APP_ID);
  return port != 0 && port == g_settings_get_uint (settings, "server-port");
}

static void
show_finished (LadleResponseView *self,
               LadleExchange     *exchange)
{
  LadleResponse *response = exchange != NULL ? ladle_exchange_get_response (exchange) : NULL;

  g_assert (LADLE_IS_RESPONSE_VIEW (self));

  gtk_spinner_stop (self->spinner);

  if (exchange == NULL)
    {
      if (self->body != NULL)
        ladle_body_view_clear (self->body);
      gtk_stack_set_visible_child_name (self->state_stack, "empty");
      return;
    }

  if (response == NULL)
    {
      const GError *error = ladle_exchange_get_error (exchange);

      /* Errors are words in the pane, never dialogs. */
      if (self->body != NULL)
        ladle_body_view_clear (self->body);
      gtk_label_set_text (self->error_label, error != NULL ? error->message : "");
      gtk_widget_set_visible (GTK_WIDGET (self->start_server_button),
                              error != NULL && refused_by_local_server (error));
      gtk_stack_set_visible_child_name (self->state_stack, "error");
      return;
    }

  show_status (self, response);
  show_details (self, response);
  /* An empty body says why, where the method or status explains it (HEAD, 204, 304) */
  ensure_body (self);
  ladle_body_view_set_empty_reason (self->body,
                                    ladle_request_get_method (ladle_exchange_get_request (exchange)),
                                    ladle_response_get_status (response));
  /* A 3xx shown because its redirect was not followed says why */
  {
    const char *note = ladle_exchange_get_redirect_note (exchange);

    gtk_label_set_text (self->redirect_note_label, note != NULL ? note : "");
    gtk_widget_set_visible (GTK_WIDGET (self->redirect_note_label), note != NULL);
  }
  if (ladle_response_get_body_bytes (response) != NULL)
    ladle_body_view_set_bytes (self->body, ladle_response_get_body_bytes (response),
                               ladle_response_get_content_type (response),
                               ladle_response_get_body_size (response));
  else if (ladle_response_get_body_file (response) != NULL)
    ladle_body_view_set_file (self->body, ladle_response_get_body_file (response),
                              ladle_response_get_content_type (response),
                              ladle_response_get_body_size (response),
                              ladle_response_get_head (response));
  else
    {
      g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);

      ladle_body_view_set_bytes (self->body, empty, NULL, 0);
    }

  /* No crossfade into a large body: the fade draws the whole pane twice into offscreen groups on
   * every frame of its 200 ms, just when the viewer builds its first rows (10–20 ms a frame with
   * software rendering, the longest main-loop stalls of bench/body.sh) */
  gtk_stack_set_visible_child_full (self->state_stack, "response",
                                    ladle_body_view_get_in_viewer (self->body)
                                    ? GTK_STACK_TRANSITION_TYPE_NONE
                                    : GTK_STACK_TRANSITION_TYPE_CROSSFADE);
}

/* The user's cancel is not an error, but it is said: how long the send had run and what had
 * arrived by then; the response shown before stays one click away. */
static void
show_cancelled (LadleResponseView *self,
                LadleExchange     *exchange)
{
  g_autofree char *title = NULL;
  g_autofree char *detail = NULL;
  const char *reason = NULL;
  guint status = ladle_exchange_get_status (exchange, &reason);
  guint64 received = ladle_exchange_get_bytes_received (exchange);
  gint64 expected = ladle_exchange_get_expected_length (exchange);

  gtk_spinner_stop (self->spinner);
  {
    char seconds[G_ASCII_DTOSTR_BUF_SIZE];
    const char *form[] = { "cancelled", seconds, NULL };

    /* Worded as the history words it */
    g_ascii_dtostr (seconds, sizeof seconds, ladle_exchange_get_elapsed (exchange));
    title = ladle_error_format_form (form);
  }

  if (status != 0)
    {
      g_autofree char *size = g_format_size (received);

      if (expected >= 0)
        {
          g_autofree char *total = g_format_size ((guint64) expected);

          /* Translators: %u %s is a status line (200 OK), then what had arrived of the body:
           * "1.2 MB of 5.0 MB" */
          detail = g_strdup_printf (_("The server had answered %u %s; %s of %s of the body had "
                                      "arrived."), status, reason != NULL ? reason : "", size,
                                    total);
        }
      else
        /* Translators: %u %s is a status line (200 OK), then how much of the body had arrived */
        detail = g_strdup_printf (_("The server had answered %u %s; %s of the body had arrived."),
                                  status, reason != NULL ? reason : "", size);
    }
  else if (self->last_phase == LADLE_EXCHANGE_PHASE_WAITING ||
           self->last_phase == LADLE_EXCHANGE_PHASE_SENDING)
    detail = g_strdup (_("The request had been sent; no answer had arrived yet."));
  else
    detail = g_strdup (_("Nothing had been sent: Ladle was still connecting to the server."));

  if (self->body != NULL)
    ladle_body_view_clear (self->body);
  gtk_label_set_text (self->cancelled_title, title);
  gtk_label_set_text (self->cancelled_label, detail);
  gtk_widget_set_visible (GTK_WIDGET (self->previous_button), self->shown != NULL);
  gtk_stack_set_visible_child_name (self->state_stack, "cancelled");
}

static void
on_show_previous (LadleResponseView *self)
{
  if (self->shown != NULL)
    show_finished (self, self->shown);
}

/* The exchange's phase decides the state shown */
static void
on_phase (LadleResponseView *self)
{
  LadleExchange *exchange = self->exchange;

  g_assert (LADLE_IS_RESPONSE_VIEW (self));

  switch (ladle_exchange_get_phase (exchange))
    {
    case LADLE_EXCHANGE_PHASE_DONE:
    case LADLE_EXCHANGE_PHASE_FAILED:
      g_set_object (&self->shown, exchange);
      show_finished (self, exchange);
      break;

    case LADLE_EXCHANGE_PHASE_CANCELLED:
      show_cancelled (self, exchange);
      break;

    case LADLE_EXCHANGE_PHASE_PENDING:
    case LADLE_EXCHANGE_PHASE_RESOLVING:
    case LADLE_EXCHANGE_PHASE_CONNECTING:
    case LADLE_EXCHANGE_PHASE_TLS:
    case LADLE_EXCHANGE_PHASE_SENDING:
    case LADLE_EXCHANGE_PHASE_WAITING:
    case LADLE_EXCHANGE_PHASE_RECEIVING:
    default:
      if (!gtk_spinner_get_spinning (self->spinner))
        {
          gtk_progress_bar_set_fraction (self->progress_bar, 0);
          gtk_spinner_start (self->spinner);
        }
      self->last_phase = ladle_exchange_get_phase (exchange);
      update_progress (self);
      gtk_stack_set_visible_child_name (self->state_stack, "running");
      break;
    }
}

/* ------------------------------------------------------------------------------------------------
 * The body tab
 */

static void
on_view_changed (LadleResponseView *self)
{
  g_assert (LADLE_IS_RESPONSE_VIEW (self));

  /* Search only applies to the body. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->search_button),
                            g_strcmp0 (gtk_stack_get_visible_child_name (self->view_stack),
                                       "body") == 0);
}

static void
on_body_ready (LadleResponseView *self)
{
  /* Nothing to do here: the property is read through ladle_response_view_get_body_ready() */
}

/* ------------------------------------------------------------------------------------------------
 * GObject
 */

static void
ladle_response_view_dispose (GObject *object)
{
  LadleResponseView *self = LADLE_RESPONSE_VIEW (object);

  if (self->exchange != NULL)
    g_signal_handlers_disconnect_by_data (self->exchange, self);
  g_clear_object (&self->exchange);
  g_clear_object (&self->shown);

  /* state_stack is the bin's child: let AdwBin drop it before the template does. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), LADLE_TYPE_RESPONSE_VIEW);

  G_OBJECT_CLASS (ladle_response_view_parent_class)->dispose (object);
}

static void
ladle_response_view_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  LadleResponseView *self = LADLE_RESPONSE_VIEW (object);

  switch (prop_id)
    {
    case PROP_EXCHANGE:
      g_value_set_object (value, self->exchange);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_response_view_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  LadleResponseView *self = LADLE_RESPONSE_VIEW (object);

  switch (prop_id)
    {
    case PROP_EXCHANGE:
      ladle_response_view_set_exchange (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_response_view_class_init (LadleResponseViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ladle_response_view_dispose;
  object_class->get_property = ladle_response_view_get_property;
  object_class->set_property = ladle_response_view_set_property;

  /* The exchange the pane follows: NULL for an empty pane. */
  properties[PROP_EXCHANGE] =
    g_param_spec_object ("exchange", NULL, NULL, LADLE_TYPE_EXCHANGE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ladle/Ladle/ladle-response-view.ui");
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, body_bin);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, error_label);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, cancelled_label);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, cancelled_title);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, previous_button);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, start_server_button);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, redirect_note_label);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, headers_list);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, phase_label);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, progress_label);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, raw_button);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, redirects_list);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, search_button);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, size_label);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, sizes_label);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, spinner);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, state_stack);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, status_badge);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, time_label);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, timing_view);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, view_stack);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, view_switcher);
  gtk_widget_class_bind_template_callback (widget_class, ladle_response_view_begin_search);
  gtk_widget_class_bind_template_callback (widget_class, on_show_previous);
  gtk_widget_class_bind_template_callback (widget_class, on_view_changed);

  g_type_ensure (LADLE_TYPE_BODY_VIEW);
  g_type_ensure (LADLE_TYPE_HEADERS_VIEW);
  g_type_ensure (LADLE_TYPE_TIMING_VIEW);
}

static void
ladle_response_view_init (LadleResponseView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  ladle_ui_compact_switcher (self->view_switcher);
}

/**
 * ladle_response_view_set_exchange:
 * @exchange: (nullable): the exchange to follow, running or finished; %NULL empties the pane
 *
 * From now on the pane shows @exchange: live while it runs, then its response or its error, or,
 * if it is cancelled, how far it got (the exchange shown before it a click away).
 */
void
ladle_response_view_set_exchange (LadleResponseView *self,
                                  LadleExchange     *exchange)
{
  g_return_if_fail (LADLE_IS_RESPONSE_VIEW (self));
  g_return_if_fail (exchange == NULL || LADLE_IS_EXCHANGE (exchange));

  if (self->exchange == exchange)
    return;

  if (self->exchange != NULL)
    g_signal_handlers_disconnect_by_data (self->exchange, self);
  g_set_object (&self->exchange, exchange);

  if (exchange == NULL)
    {
      g_clear_object (&self->shown);
      show_finished (self, NULL);
    }
  else
    {
      g_signal_connect_object (exchange, "notify::phase", G_CALLBACK (on_phase), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (exchange, "notify", G_CALLBACK (update_progress), self,
                               G_CONNECT_SWAPPED);
      on_phase (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXCHANGE]);
}

/**
 * ladle_response_view_get_exchange:
 *
 * Returns: (transfer none) (nullable): the exchange followed
 */
LadleExchange *
ladle_response_view_get_exchange (LadleResponseView *self)
{
  g_return_val_if_fail (LADLE_IS_RESPONSE_VIEW (self), NULL);
  return self->exchange;
}

/**
 * ladle_response_view_get_response:
 *
 * Returns: (transfer none) (nullable): the response on display, if any
 */
LadleResponse *
ladle_response_view_get_response (LadleResponseView *self)
{
  g_return_val_if_fail (LADLE_IS_RESPONSE_VIEW (self), NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->state_stack), "response") != 0 ||
      self->shown == NULL)
    return NULL;
  return ladle_exchange_get_response (self->shown);
}

/* TRUE once the body view holds everything it will show. */
gboolean
ladle_response_view_get_body_ready (LadleResponseView *self)
{
  g_return_val_if_fail (LADLE_IS_RESPONSE_VIEW (self), FALSE);
  return ladle_response_view_get_response (self) != NULL &&
         self->body != NULL && ladle_body_view_get_ready (self->body);
}

void
ladle_response_view_begin_search (LadleResponseView *self)
{
  g_return_if_fail (LADLE_IS_RESPONSE_VIEW (self));

  if (ladle_response_view_get_response (self) == NULL)
    return;
  gtk_stack_set_visible_child_name (self->view_stack, "body");
  ladle_body_view_begin_search (ensure_body (self));
}
