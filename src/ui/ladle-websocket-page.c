/* ladle-websocket-page.c
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

#include "ladle-binary-text.h"
#include "ladle-body-view.h"
#include "ladle-websocket-event-row.h"
#include "ladle-websocket-format.h"
#include "ladle-websocket-page.h"

/* The WebSocket bench: a connect bar, the live transcript with a filter, the selected message in
 * full, and a composer.
 *
 * The model is a LadleWebsocketRequest: the websocket-* settings are bound straight to its
 * properties, and the connection options' widgets to it through one GBindingGroup (the headers are
 * a text view, one "Name: value" a line, bound to its headers-text). Each connection uses a fresh
 * LadleWebsocketClient that the request sets up, because the client reads its options when
 * connecting and cannot forget headers once added. The transcripts of all the
 * connections since the last "Clear" stay on screen, one after the other: a GListStore of the
 * clients' transcripts, flattened, then filtered.
 *
 * The transcript's rows and its filter never read more than LADLE_WEBSOCKET_DISPLAY_LIMIT bytes
 * of a message, so big messages cost no more than small ones. The selected message is shown by a
 * LadleBodyView, as responses are: text, pretty JSON (Raw shows it as sent), hexadecimal for
 * binary, and the virtualised viewer for large ones.
 *
 * A binary message is typed as hexadecimal or Base64 (ladle-binary-text), checked at every change:
 * the line under the composer says how many bytes it makes or, in words, where it is wrong, and
 * Send is off until it is right. Switching between the two rewrites valid bytes in the other. */

#define STICK_THRESHOLD 8.0   /* px from the bottom that still counts as "at the newest" */

struct _LadleWebsocketPage
{
  AdwBin                parent_instance;

  /* Template widgets */
  GtkToggleButton      *base64_toggle;
  LadleBodyView        *body;
  GtkBox               *binary_box;
  GtkLabel             *binary_status_label;
  GtkToggleButton      *binary_toggle;
  GtkMenuButton        *close_button;
  GtkSpinButton        *close_code_spin;
  GtkPopover           *close_popover;
  AdwEntryRow          *close_reason_row;
  GtkShortcutController *composer_shortcuts;
  GtkTextView          *composer_view;
  GtkSpinButton        *connect_timeout_spin;
  GtkStack             *connect_stack;
  GtkToggleButton      *control_toggle;
  GtkSwitch            *deflate_switch;
  GtkBox               *detail_box;
  GtkLabel             *detail_title;
  AdwStatusPage        *empty_page;
  GtkLabel             *error_label;
  GtkRevealer          *error_revealer;
  GtkSearchEntry       *filter_entry;
  GtkTextView          *headers_view;
  GtkToggleButton      *hex_toggle;
  GtkToggleButton      *in_toggle;
  GtkLabel             *info_label;
  AdwEntryRow          *origin_row;
  GtkToggleButton      *out_toggle;
  GtkPaned             *paned;
  GtkSpinButton        *ping_interval_spin;
  AdwEntryRow          *protocols_row;
  GtkToggleButton      *raw_toggle;
  GtkLabel             *state_label;
  GtkScrolledWindow    *transcript_scroller;
  GtkStack             *transcript_stack;
  GtkListView          *transcript_view;
  GtkEntry             *url_entry;
  GtkSwitch            *verify_tls_switch;

  /* Owned references */
  GSettings            *settings;
  LadleWebsocketRequest *request;
  GBindingGroup        *bindings;         /* widgets <-> request */
  LadleWebsocketClient *client;
  GListStore           *transcripts;      /* of GListModel: one per connection */
  GtkFlattenListModel  *transcript;
  GtkCustomFilter      *filter;
  GtkFilterListModel   *filtered;
  GtkSingleSelection   *selection;
  GtkFileChooserNative *file_chooser;
  GCancellable         *cancellable;      /* cancelled when the page goes away */
  char                 *needle;           /* casefolded filter text */
  GBytes               *binary_bytes;     /* the composer's bytes, when Binary and valid */
  gboolean              base64;           /* the encoding the composer's text is in */

  /* Auto-scroll: follow the newest event unless the user scrolled up. */
  gboolean              stick_to_bottom;
  gboolean              scrolling;
  gboolean              layout_changed;
  guint                 scroll_tick_id;
};

G_DEFINE_FINAL_TYPE (LadleWebsocketPage, ladle_websocket_page, ADW_TYPE_BIN)

static LadleWebsocketState
current_state (LadleWebsocketPage *self)
{
  return self->client != NULL ? ladle_websocket_client_get_state (self->client)
                              : LADLE_WEBSOCKET_STATE_CLOSED;
}

static void
show_error (LadleWebsocketPage *self,
            const char         *message)
{
  g_assert (LADLE_IS_WEBSOCKET_PAGE (self));

  /* A late callback after the page went away. */
  if (self->error_label == NULL)
    return;

  gtk_label_set_text (self->error_label, message);
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL && message[0] != '\0');
}

/* Text is always sendable; Binary when its text parses. */
static gboolean
composer_sendable (LadleWebsocketPage *self)
{
  return !gtk_toggle_button_get_active (self->binary_toggle) || self->binary_bytes != NULL;
}

static void
update_actions (LadleWebsocketPage *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  LadleWebsocketState state = current_state (self);
  g_autofree char *url = g_strstrip (g_strdup (ladle_websocket_request_get_url (self->request)));
  gboolean open = state == LADLE_WEBSOCKET_STATE_OPEN;
  gboolean selected;

  if (self->selection == NULL)
    return;
  selected = gtk_single_selection_get_selected_item (self->selection) != NULL;

  gtk_widget_action_set_enabled (widget, "websocket.connect",
                                 state == LADLE_WEBSOCKET_STATE_CLOSED && url[0] != '\0');
  gtk_widget_action_set_enabled (widget, "websocket.disconnect",
                                 state == LADLE_WEBSOCKET_STATE_CONNECTING || open);
  gtk_widget_action_set_enabled (widget, "websocket.send", open && composer_sendable (self));
  gtk_widget_action_set_enabled (widget, "websocket.send-file", open);
  gtk_widget_action_set_enabled (widget, "websocket.ping", open);
  gtk_widget_action_set_enabled (widget, "websocket.close", open);
  /* A menu button has no action of its own to follow. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->close_button), open);
  if (!open)
    gtk_popover_popdown (self->close_popover);
  gtk_widget_action_set_enabled (widget, "websocket.clear",
                                 g_list_model_get_n_items (G_LIST_MODEL (self->transcript)) > 0);
  gtk_widget_action_set_enabled (widget, "websocket.copy-message", selected);
  gtk_widget_action_set_enabled (widget, "websocket.unselect", selected);
}

static void
update_state (LadleWebsocketPage *self)
{
  static const char *classes[] = { "closed", "connecting", "open", "closing" };
  LadleWebsocketState state = current_state (self);
  g_autofree char *info = NULL;
  const char *label;

  g_assert (LADLE_IS_WEBSOCKET_PAGE (self));

  switch (state)
    {
    case LADLE_WEBSOCKET_STATE_CONNECTING:
      label = _("Connecting…");
      info = g_strdup (ladle_websocket_client_get_url (self->client));
      break;
    case LADLE_WEBSOCKET_STATE_OPEN:
      {
        const char *protocol = ladle_websocket_client_get_protocol (self->client);

        label = _("Open");
        if (protocol != NULL && protocol[0] != '\0')
          /* Translators: the WebSocket address, then the subprotocol the server chose. */
          info = g_strdup_printf (_("%s · protocol %s"),
                                  ladle_websocket_client_get_url (self->client), protocol);
        else
          info = g_strdup (ladle_websocket_client_get_url (self->client));
      }
      break;
    case LADLE_WEBSOCKET_STATE_CLOSING:
      label = _("Closing…");
      info = g_strdup (ladle_websocket_client_get_url (self->client));
      break;
    case LADLE_WEBSOCKET_STATE_CLOSED:
    default:
      label = _("Disconnected");
      if (self->client != NULL && ladle_websocket_client_get_close_code (self->client) != 0)
        {
          guint code = ladle_websocket_client_get_close_code (self->client);
          const char *reason = ladle_websocket_client_get_close_reason (self->client);

          if (reason != NULL && reason[0] != '\0')
            /* Translators: a WebSocket close code, then the close reason. */
            info = g_strdup_printf (_("Closed with code %u · “%s”"), code, reason);
          else
            info = g_strdup_printf (_("Closed with code %u"), code);
        }
      break;
    }

  gtk_label_set_text (self->state_label, label);
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    {
      if (i == (guint) state)
        gtk_widget_add_css_class (GTK_WIDGET (self->state_label), classes[i]);
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), classes[i]);
    }
  gtk_label_set_text (self->info_label, info != NULL ? info : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->info_label), info);

  gtk_stack_set_visible_child_name (self->connect_stack,
                                    state == LADLE_WEBSOCKET_STATE_CLOSED ? "connect"
                                                                          : "disconnect");

  /* A connection that ended in an error ("No pong within 30 s") says so in words. */
  if (state == LADLE_WEBSOCKET_STATE_CLOSED && self->client != NULL &&
      ladle_websocket_client_get_error (self->client) != NULL)
    {
      const GError *error = ladle_websocket_client_get_error (self->client);

      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
    }

  update_actions (self);
}

static void
client_notify_cb (LadleWebsocketPage *self,
                  GParamSpec         *pspec,
                  gpointer            client)
{
  g_assert (LADLE_IS_WEBSOCKET_PAGE (self));

  update_state (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Transcript */

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  LadleWebsocketPage *self = user_data;
  LadleWebsocketEvent *event = item;
  LadleWebsocketEventKind kind = ladle_websocket_event_get_kind (event);

  if (kind != LADLE_WEBSOCKET_EVENT_TEXT && kind != LADLE_WEBSOCKET_EVENT_BINARY)
    {
      if (!gtk_toggle_button_get_active (self->control_toggle))
        return FALSE;
    }
  else if (ladle_websocket_event_get_direction (event) == LADLE_WEBSOCKET_DIRECTION_IN)
    {
      if (!gtk_toggle_button_get_active (self->in_toggle))
        return FALSE;
    }
  else if (!gtk_toggle_button_get_active (self->out_toggle))
    return FALSE;

  return ladle_websocket_event_matches (event, self->needle);
}

static void
filter_changed_cb (LadleWebsocketPage *self)
{
  const char *text;
  g_autofree char *normalized = NULL;

  g_assert (LADLE_IS_WEBSOCKET_PAGE (self));

  if (self->filter == NULL)
    return;

  text = gtk_editable_get_text (GTK_EDITABLE (self->filter_entry));
  normalized = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);
  g_free (self->needle);
  self->needle = normalized != NULL ? g_utf8_casefold (normalized, -1) : NULL;

  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
update_empty (LadleWebsocketPage *self)
{
  guint total = g_list_model_get_n_items (G_LIST_MODEL (self->transcript));
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));

  if (total > 0 && shown == 0)
    {
      adw_status_page_set_title (self->empty_page, _("No Matching Events"));
      adw_status_page_set_description (self->empty_page,
                                       _("Change the filter to see more of the transcript"));
    }
  else
    {
      adw_status_page_set_title (self->empty_page, _("No Messages"));
      adw_status_page_set_description (self->empty_page,
                                       _("Connect to a WebSocket server, then send a message"));
    }
  gtk_stack_set_visible_child_name (self->transcript_stack, shown > 0 ? "list" : "empty");
}

/* GtkListView (4.8) recomputes the adjustment from its anchor row while it allocates, so a value
 * set from inside that is lost; the scroll happens at the start of the next frame instead. Value
 * changes that come with a layout change are the list's own, not the user's. */
static void
scroll_to_bottom (LadleWebsocketPage *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->transcript_scroller);

  self->scrolling = TRUE;
  gtk_adjustment_set_value (adj,
                            gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj));
  self->scrolling = FALSE;
}

static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  LadleWebsocketPage *self = user_data;

  g_assert (LADLE_IS_WEBSOCKET_PAGE (self));

  self->scroll_tick_id = 0;
  self->layout_changed = FALSE;
  if (self->stick_to_bottom)
    scroll_to_bottom (self);
  return G_SOURCE_REMOVE;
}

static void
queue_scroll_to_bottom (LadleWebsocketPage *self)
{
  if (self->scroll_tick_id == 0)
    self->scroll_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self->transcript_view),
                                                         scroll_tick_cb, self, NULL);
}

static void
vadjustment_changed_cb (LadleWebsocketPage *self,
                        GtkAdjustment      *adj)
{
  g_assert (LADLE_IS_WEBSOCKET_PAGE (self));

  self->layout_changed = TRUE;
  queue_scroll_to_bottom (self);
}

static void
vadjustment_value_changed_cb (LadleWebsocketPage *self,
                              GtkAdjustment      *adj)
{
  g_assert (LADLE_IS_WEBSOCKET_PAGE (self));

  if (self->scrolling || self->layout_changed)
    return;
  self->stick_to_bottom = gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) >=
                          gtk_adjustment_get_upper (adj) - STICK_THRESHOLD;
}

static void
filtered_items_changed_cb (LadleWebsocketPage *self,
                           guint               position,
                           guint               removed,
                           guint               added,
                           GListModel         *model)
{
  g_assert (LADLE_IS_WEBSOCKET_PAGE (self));

  update_empty (self);
  update_actions (self);
  if (self->stick_to_bottom && added > 0)
    queue_scroll_to_bottom (self);
}

static void
transcript_items_changed_cb (LadleWebsocketPage *self)
{
  g_assert (LADLE_IS_WEBSOCKET_PAGE (self));

  /* Also when the filter hides what arrived: the empty page's words and Clear depend on it. */
  update_empty (self);
  update_actions (self);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  gtk_list_item_set_child (item, ladle_websocket_event_row_new ());
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  ladle_websocket_event_row_set_event (LADLE_WEBSOCKET_EVENT_ROW (gtk_list_item_get_child (item)),
                                       gtk_list_item_get_item (item));
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  ladle_websocket_event_row_set_event (LADLE_WEBSOCKET_EVENT_ROW (gtk_list_item_get_child (item)),
                                       NULL);
}

/* The selected event in full: a message's payload as a body (text, JSON, or bytes in
 * hexadecimal), a control frame's words. */
static void
show_detail (LadleWebsocketPage  *self,
             LadleWebsocketEvent *event)
{
  GBytes *payload = ladle_websocket_event_get_payload (event);
  g_autofree char *title = ladle_websocket_format_title (event);

  gtk_label_set_text (self->detail_title, title);

  switch (ladle_websocket_event_get_kind (event))
    {
    case LADLE_WEBSOCKET_EVENT_TEXT:
      ladle_body_view_set_bytes (self->body, payload, NULL, 0);
      break;

    case LADLE_WEBSOCKET_EVENT_BINARY:
    case LADLE_WEBSOCKET_EVENT_PING:
    case LADLE_WEBSOCKET_EVENT_PONG:
      ladle_body_view_set_bytes (self->body, payload, "application/octet-stream", 0);
      break;

    case LADLE_WEBSOCKET_EVENT_CLOSE:
    case LADLE_WEBSOCKET_EVENT_OPEN:
    case LADLE_WEBSOCKET_EVENT_ERROR:
    case LADLE_WEBSOCKET_EVENT_STATE:
    default:
      {
        gboolean truncated = FALSE;
        g_autofree char *text = ladle_websocket_format_detail (event, &truncated);
        g_autoptr(GBytes) bytes = g_bytes_new_take (text, strlen (text));

        text = NULL;
        ladle_body_view_set_bytes (self->body, bytes, "text/plain", 0);
      }
      break;
    }
}

static void
selection_changed_cb (LadleWebsocketPage *self)
{
  LadleWebsocketEvent *event;

  g_assert (LADLE_IS_WEBSOCKET_PAGE (self));

  event = gtk_single_selection_get_selected_item (self->selection);
  update_actions (self);
  if (event == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->detail_box), FALSE);
      ladle_body_view_clear (self->body);
      return;
    }

  show_detail (self, event);
  gtk_widget_set_visible (GTK_WIDGET (self->detail_box), TRUE);

  /* The transcript gets most of the height by default; a large payload needs room. A split the
   * user made themselves, lower than this, stays. */
  if (ladle_body_view_get_in_viewer (self->body))
    {
      int height = gtk_widget_get_height (GTK_WIDGET (self->paned));
      gboolean position_set = FALSE;

      g_object_get (self->paned, "position-set", &position_set, NULL);
      if (height > 0 && (!position_set || gtk_paned_get_position (self->paned) > height * 2 / 5))
        gtk_paned_set_position (self->paned, height * 2 / 5);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Connecting */

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(LadleWebsocketPage) self = user_data;
  g_autoptr(GError) error = NULL;

  g_assert (LADLE_IS_WEBSOCKET_PAGE (self));

  if (ladle_websocket_client_connect_finish (LADLE_WEBSOCKET_CLIENT (object), result, &error))
    return;
  /* Cancelled by Disconnect, or the page went away: nothing to say. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_cancellable_is_cancelled (self->cancellable) ||
      self->client != LADLE_WEBSOCKET_CLIENT (object))
    return;

  show_error (self, error->message);
}

static void
connect_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LadleWebsocketPage *self = LADLE_WEBSOCKET_PAGE (widget);
  g_autoptr(LadleWebsocketClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  url = g_strstrip (g_strdup (ladle_websocket_request_get_url (self->request)));
  if (url[0] == '\0' || current_state (self) != LADLE_WEBSOCKET_STATE_CLOSED)
    return;

  client = ladle_websocket_client_new ();
  if (!ladle_websocket_request_apply (self->request, client, &error))
    {
      show_error (self, error->message);
      return;
    }
  show_error (self, NULL);

  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_set_object (&self->client, client);
  g_signal_connect_object (client, "notify::state", G_CALLBACK (client_notify_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (client, "notify::protocol", G_CALLBACK (client_notify_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (client, "notify::close-code", G_CALLBACK (client_notify_cb), self,
                           G_CONNECT_SWAPPED);
  g_list_store_append (self->transcripts, ladle_websocket_client_get_transcript (client));

  self->stick_to_bottom = TRUE;
  ladle_websocket_client_connect_async (client, url, self->cancellable, connect_cb,
                                        g_object_ref (self));
  update_state (self);
}

static void
disconnect_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  LadleWebsocketPage *self = LADLE_WEBSOCKET_PAGE (widget);

  if (self->client != NULL)
    ladle_websocket_client_close (self->client, 1000, NULL);
}

static void
url_entry_activate_cb (LadleWebsocketPage *self)
{
  g_assert (LADLE_IS_WEBSOCKET_PAGE (self));

  gtk_widget_activate_action (GTK_WIDGET (self), "websocket.connect", NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Sending */

static char *
dup_composer_text (LadleWebsocketPage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->composer_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
parse_binary (const char  *text,
              gboolean     base64,
              GBytes     **out,
              GError     **error)
{
  return base64 ? ladle_binary_text_parse_base64 (text, -1, out, error)
                : ladle_binary_text_parse_hex (text, -1, out, error);
}

/* Binary: reads the composer's text as the chosen encoding, says what it makes (a size, or where
 * and why it is wrong), and keeps the bytes for Send. */
static void
check_composer (LadleWebsocketPage *self)
{
  GtkWidget *status = GTK_WIDGET (self->binary_status_label);
  gboolean binary = gtk_toggle_button_get_active (self->binary_toggle);

  g_assert (LADLE_IS_WEBSOCKET_PAGE (self));

  g_clear_pointer (&self->binary_bytes, g_bytes_unref);
  gtk_widget_set_visible (GTK_WIDGET (self->binary_box), binary);
  if (binary)
    {
      g_autofree char *text = dup_composer_text (self);
      g_autoptr(GError) error = NULL;

      if (parse_binary (text, self->base64, &self->binary_bytes, &error))
        {
          g_autofree char *size =
            ladle_websocket_format_size (g_bytes_get_size (self->binary_bytes));

          gtk_label_set_text (self->binary_status_label, size);
          gtk_widget_remove_css_class (status, "error");
          gtk_widget_add_css_class (status, "dim-label");
        }
      else
        {
          gtk_label_set_text (self->binary_status_label, error->message);
          gtk_widget_remove_css_class (status, "dim-label");
          gtk_widget_add_css_class (status, "error");
        }
    }
  update_actions (self);
}

/* Hex ⇄ Base64: valid bytes are rewritten in the other encoding (one step of undo, and switching
 * back gives the same bytes again); anything else stays as typed, to be read (and corrected) in
 * the new one. */
static void
encoding_toggled_cb (LadleWebsocketPage *self)
{
  gboolean base64 = gtk_toggle_button_get_active (self->base64_toggle);
  g_autofree char *text = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_assert (LADLE_IS_WEBSOCKET_PAGE (self));

  if (base64 == self->base64)
    return;
  self->base64 = base64;

  text = dup_composer_text (self);
  if (text[0] != '\0' && parse_binary (text, !base64, &bytes, NULL))
    {
      g_autofree char *converted = base64 ? ladle_binary_text_format_base64 (bytes)
                                          : ladle_binary_text_format_hex (bytes);

      GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->composer_view);
      GtkTextIter start, end;

      /* Not gtk_text_buffer_set_text(), which cannot be undone. */
      gtk_text_buffer_begin_user_action (buffer);
      gtk_text_buffer_get_bounds (buffer, &start, &end);
      gtk_text_buffer_delete (buffer, &start, &end);
      gtk_text_buffer_insert (buffer, &start, converted, -1);
      gtk_text_buffer_end_user_action (buffer);
    }
  check_composer (self);
}

/* Ctrl+Enter when Send is off (not connected, or bytes that do not parse): a bell, and no new
 * line in the message. Tried after the shortcut to websocket.send, which fails when it is off. */
static gboolean
refuse_send_cb (GtkWidget *widget,
                GVariant  *args,
                gpointer   user_data)
{
  gtk_widget_error_bell (widget);
  return TRUE;
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LadleWebsocketPage *self = LADLE_WEBSOCKET_PAGE (widget);
  g_autoptr(GError) error = NULL;
  gboolean sent;

  if (current_state (self) != LADLE_WEBSOCKET_STATE_OPEN)
    return;
  if (!composer_sendable (self))
    {
      /* The reason is on screen, under the composer. */
      gtk_widget_error_bell (widget);
      return;
    }

  self->stick_to_bottom = TRUE;
  if (gtk_toggle_button_get_active (self->binary_toggle))
    sent = ladle_websocket_client_send_binary (self->client, self->binary_bytes, &error);
  else
    {
      g_autofree char *text = dup_composer_text (self);

      sent = ladle_websocket_client_send_text (self->client, text, -1, &error);
    }

  if (!sent)
    show_error (self, error->message);
  else
    show_error (self, NULL);
}

static void
send_file_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(LadleWebsocketPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ladle_websocket_client_send_file_finish (LADLE_WEBSOCKET_CLIENT (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !g_cancellable_is_cancelled (self->cancellable))
    show_error (self, error->message);
}

static void
file_chooser_response_cb (LadleWebsocketPage   *self,
                          int                   response,
                          GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  g_assert (LADLE_IS_WEBSOCKET_PAGE (self));

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->file_chooser);

  if (file != NULL && current_state (self) == LADLE_WEBSOCKET_STATE_OPEN)
    {
      self->stick_to_bottom = TRUE;
      ladle_websocket_client_send_file_async (self->client, file, self->cancellable,
                                              send_file_cb, g_object_ref (self));
    }
}

static void
send_file_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  LadleWebsocketPage *self = LADLE_WEBSOCKET_PAGE (widget);
  GtkNative *native = gtk_widget_get_native (widget);

  if (self->file_chooser != NULL)
    return;

  self->file_chooser = gtk_file_chooser_native_new (_("Send a File"),
                                                    GTK_IS_WINDOW (native) ? GTK_WINDOW (native)
                                                                           : NULL,
                                                    GTK_FILE_CHOOSER_ACTION_OPEN,
                                                    _("_Send"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->file_chooser), TRUE);
  g_signal_connect_object (self->file_chooser, "response", G_CALLBACK (file_chooser_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->file_chooser));
}

static void
ping_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LadleWebsocketPage *self = LADLE_WEBSOCKET_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (current_state (self) != LADLE_WEBSOCKET_STATE_OPEN)
    return;

  self->stick_to_bottom = TRUE;
  if (!ladle_websocket_client_ping (self->client, NULL, &error))
    show_error (self, error->message);
}

static gboolean
close_code_valid (guint code)
{
  /* What a client may send (RFC 6455 §7.4.1), as ladle_websocket_client_close() checks. */
  return code == 1005 ||
         (code >= 1000 && code <= 1003) ||
         (code >= 1007 && code <= 1010) ||
         (code >= 3000 && code <= 4999);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  LadleWebsocketPage *self = LADLE_WEBSOCKET_PAGE (widget);
  guint code;
  const char *reason;

  if (current_state (self) != LADLE_WEBSOCKET_STATE_OPEN)
    return;

  gtk_spin_button_update (self->close_code_spin);
  code = (guint) gtk_spin_button_get_value_as_int (self->close_code_spin);
  reason = gtk_editable_get_text (GTK_EDITABLE (self->close_reason_row));

  if (!close_code_valid (code))
    {
      g_autofree char *message =
        g_strdup_printf (_("Close code %u is reserved; use 1000–1003, 1007–1010 or 3000–4999"),
                         code);

      show_error (self, message);
      return;
    }
  if (strlen (reason) > 123)
    {
      show_error (self, _("The close reason can have at most 123 bytes"));
      return;
    }

  show_error (self, NULL);
  gtk_popover_popdown (self->close_popover);
  self->stick_to_bottom = TRUE;
  ladle_websocket_client_close (self->client, code, reason[0] != '\0' ? reason : NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Transcript actions */

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  LadleWebsocketPage *self = LADLE_WEBSOCKET_PAGE (widget);

  g_list_store_remove_all (self->transcripts);
  if (self->client != NULL)
    {
      GListModel *transcript = ladle_websocket_client_get_transcript (self->client);

      /* The client's transcript is a GListStore (documented in ladle-websocket-client.c). */
      g_list_store_remove_all (G_LIST_STORE (transcript));
      g_list_store_append (self->transcripts, transcript);
    }
  self->stick_to_bottom = TRUE;
  update_actions (self);
}

static void
copy_message_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  LadleWebsocketPage *self = LADLE_WEBSOCKET_PAGE (widget);
  LadleWebsocketEvent *event = gtk_single_selection_get_selected_item (self->selection);
  g_autofree char *text = NULL;
  gboolean truncated;

  if (event == NULL)
    return;

  /* A text message is copied whole, without a copy of ours. */
  if (ladle_websocket_event_get_kind (event) == LADLE_WEBSOCKET_EVENT_TEXT &&
      ladle_websocket_event_get_payload (event) != NULL)
    {
      g_autoptr(GdkContentProvider) content =
        gdk_content_provider_new_for_bytes ("text/plain;charset=utf-8",
                                            ladle_websocket_event_get_payload (event));

      gdk_clipboard_set_content (gtk_widget_get_clipboard (widget), content);
      return;
    }

  /* A binary message is copied whole, as the composer reads it: pasted back, it sends the same
   * bytes. */
  if (ladle_websocket_event_get_kind (event) == LADLE_WEBSOCKET_EVENT_BINARY &&
      ladle_websocket_event_get_payload (event) != NULL)
    {
      GBytes *payload = ladle_websocket_event_get_payload (event);

      text = self->base64 ? ladle_binary_text_format_base64 (payload)
                          : ladle_binary_text_format_hex (payload);
      gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
      return;
    }

  text = ladle_websocket_format_detail (event, &truncated);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
}

static void
unselect_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  LadleWebsocketPage *self = LADLE_WEBSOCKET_PAGE (widget);

  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

/* ------------------------------------------------------------------------------------------ */
/* GObject */

static void
ladle_websocket_page_dispose (GObject *object)
{
  LadleWebsocketPage *self = LADLE_WEBSOCKET_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  if (self->file_chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->file_chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->file_chooser));
      g_clear_object (&self->file_chooser);
    }
  if (self->scroll_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self->transcript_view), self->scroll_tick_id);
      self->scroll_tick_id = 0;
    }
  if (self->transcript != NULL)
    g_signal_handlers_disconnect_by_data (self->transcript, self);
  if (self->filtered != NULL)
    g_signal_handlers_disconnect_by_data (self->filtered, self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->bindings != NULL)
    g_binding_group_set_source (self->bindings, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), LADLE_TYPE_WEBSOCKET_PAGE);

  if (self->filter != NULL)
    gtk_custom_filter_set_filter_func (self->filter, NULL, NULL, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->transcript);
  g_clear_object (&self->transcripts);
  /* Closing is the client's dispose: an open connection gets a "going away" close. */
  g_clear_object (&self->client);
  g_clear_object (&self->bindings);
  g_clear_object (&self->settings);
  g_clear_object (&self->request);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->needle, g_free);
  g_clear_pointer (&self->binary_bytes, g_bytes_unref);

  G_OBJECT_CLASS (ladle_websocket_page_parent_class)->dispose (object);
}

static void
ladle_websocket_page_class_init (LadleWebsocketPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ladle_websocket_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ladle/Ladle/ladle-websocket-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, base64_toggle);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, binary_box);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, binary_status_label);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, binary_toggle);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, close_button);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, close_code_spin);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, close_popover);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, close_reason_row);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, composer_shortcuts);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, composer_view);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, connect_stack);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, connect_timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, control_toggle);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, deflate_switch);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, body);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, detail_box);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, detail_title);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, headers_view);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, hex_toggle);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, in_toggle);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, info_label);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, origin_row);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, out_toggle);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, paned);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, ping_interval_spin);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, protocols_row);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, raw_toggle);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, state_label);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, transcript_scroller);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, transcript_stack);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, transcript_view);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, url_entry);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketPage, verify_tls_switch);
  gtk_widget_class_bind_template_callback (widget_class, check_composer);
  gtk_widget_class_bind_template_callback (widget_class, encoding_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, url_entry_activate_cb);

  gtk_widget_class_install_action (widget_class, "websocket.connect", NULL, connect_action);
  gtk_widget_class_install_action (widget_class, "websocket.disconnect", NULL, disconnect_action);
  gtk_widget_class_install_action (widget_class, "websocket.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "websocket.send-file", NULL, send_file_action);
  gtk_widget_class_install_action (widget_class, "websocket.ping", NULL, ping_action);
  gtk_widget_class_install_action (widget_class, "websocket.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "websocket.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "websocket.copy-message", NULL,
                                   copy_message_action);
  gtk_widget_class_install_action (widget_class, "websocket.unselect", NULL, unselect_action);

  g_type_ensure (LADLE_TYPE_BODY_VIEW);
  g_type_ensure (LADLE_TYPE_WEBSOCKET_EVENT_ROW);
}

static void
ladle_websocket_page_init (LadleWebsocketPage *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;
  GtkAdjustment *vadj;
  struct {
    const char *key;
    const char *property;
    gpointer    target;
    const char *target_property;
  } options[] = {
    { "websocket-url", "url", NULL, "text" },
    { "websocket-protocols", "protocols", NULL, "text" },
    { "websocket-origin", "origin", NULL, "text" },
    { "websocket-headers", "headers-text", NULL, "text" },
    { "websocket-deflate", "deflate", NULL, "active" },
    { "websocket-verify-tls", "verify-tls", NULL, "active" },
    { "websocket-connect-timeout", "connect-timeout", NULL, "value" },
    { "websocket-ping-interval", "ping-interval", NULL, "value" },
  };

  gtk_widget_init_template (GTK_WIDGET (self));
  g_object_bind_property (self->raw_toggle, "active", self->body, "raw",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->body, "can-pretty", self->raw_toggle, "visible",
                          G_BINDING_SYNC_CREATE);

  self->cancellable = g_cancellable_new ();
  self->stick_to_bottom = TRUE;

  /* transcripts (one per connection) → flattened → filtered → selection → list view */
  self->transcripts = g_list_store_new (G_TYPE_LIST_MODEL);
  self->transcript = gtk_flatten_list_model_new (g_object_ref (G_LIST_MODEL (self->transcripts)));
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->transcript)),
                                              g_object_ref (GTK_FILTER (self->filter)));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_object (self->transcript, "items-changed",
                           G_CALLBACK (transcript_items_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filtered, "items-changed",
                           G_CALLBACK (filtered_items_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), NULL);
  gtk_list_view_set_factory (self->transcript_view, factory);
  gtk_list_view_set_model (self->transcript_view, GTK_SELECTION_MODEL (self->selection));

  vadj = gtk_scrolled_window_get_vadjustment (self->transcript_scroller);
  g_signal_connect_object (vadj, "changed", G_CALLBACK (vadjustment_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (vadj, "value-changed", G_CALLBACK (vadjustment_value_changed_cb), self,
                           G_CONNECT_SWAPPED);

  /* settings <-> request <-> widgets */
  options[0].target = self->url_entry;
  options[1].target = self->protocols_row;
  options[2].target = self->origin_row;
  options[3].target = gtk_text_view_get_buffer (self->headers_view);
  options[4].target = self->deflate_switch;
  options[5].target = self->verify_tls_switch;
  options[6].target = self->connect_timeout_spin;
  options[7].target = self->ping_interval_spin;
  self->request = ladle_websocket_request_new ();
  self->settings = g_settings_new (APP_ID);
  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    g_settings_bind (self->settings, options[i].key, self->request, options[i].property,
                     G_SETTINGS_BIND_DEFAULT);
  self->bindings = g_binding_group_new ();
  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    g_binding_group_bind (self->bindings, options[i].property, options[i].target,
                          options[i].target_property,
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_binding_group_set_source (self->bindings, self->request);
  g_signal_connect_object (self->request, "notify::url", G_CALLBACK (update_actions), self,
                           G_CONNECT_SWAPPED);

  /* The composer: Binary checked as typed; Ctrl+Enter never a new line. */
  g_signal_connect_object (gtk_text_view_get_buffer (self->composer_view), "changed",
                           G_CALLBACK (check_composer), self, G_CONNECT_SWAPPED);
  gtk_shortcut_controller_add_shortcut (self->composer_shortcuts,
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string (
                                                            "<Control>Return|<Control>KP_Enter"),
                                                          gtk_callback_action_new (refuse_send_cb,
                                                                                   NULL, NULL)));

  update_empty (self);
  update_state (self);
  check_composer (self);
}

/**
 * ladle_websocket_page_get_client:
 *
 * Returns: (transfer none) (nullable): the client of the current (or last) connection
 */
LadleWebsocketClient *
ladle_websocket_page_get_client (LadleWebsocketPage *self)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_PAGE (self), NULL);

  return self->client;
}

/**
 * ladle_websocket_page_get_request:
 *
 * Returns: (transfer none): the connection options the page edits
 */
LadleWebsocketRequest *
ladle_websocket_page_get_request (LadleWebsocketPage *self)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_PAGE (self), NULL);

  return self->request;
}

/**
 * ladle_websocket_page_get_transcript:
 *
 * Returns: (transfer none): every event since the last Clear, all connections in order
 */
GListModel *
ladle_websocket_page_get_transcript (LadleWebsocketPage *self)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_PAGE (self), NULL);

  return G_LIST_MODEL (self->transcript);
}

/**
 * ladle_websocket_page_get_visible:
 *
 * Returns: (transfer none): the events that pass the filter, as the list shows them
 */
GListModel *
ladle_websocket_page_get_visible (LadleWebsocketPage *self)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_PAGE (self), NULL);

  return G_LIST_MODEL (self->filtered);
}
