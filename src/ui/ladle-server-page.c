/* ladle-server-page.c
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

#include <errno.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ladle-body-format.h"
#include "ladle-body-view.h"
#include "ladle-data-dir.h"
#include "ladle-httpbin.h"
#include "ladle-mock-routes.h"
#include "ladle-route-editor.h"
#include "ladle-server-page.h"
#include "ladle-stored-file.h"
#include "ladle-tls-cert.h"

/* The Server bench: a settings column (start/stop, address, settings bound to GSettings, received
 * uploads, the routes the server answers) and the request log with a detail view of the selected
 * request. The two fold into one column on narrow windows (AdwLeaflet).
 *
 * The model is the LadleServer: the server-* settings are bound straight to its properties (it
 * copies them when it starts), the widgets that show its state are bound to it through one
 * GBindingGroup, and "server.running" (a stateful action over the page's "running" property)
 * starts and stops it. The uploads list shows the newest files of the uploads folder when the
 * page opens, then what the server reports with ::files-stored.
 *
 * The server delivers "request-logged" once per request, in batches, on our thread. The page only
 * queues the events there and moves them into the log's GListStore at most every
 * FLUSH_INTERVAL_MS, in chunks sized to a few milliseconds of work, so a flood of thousands of
 * requests costs the list a few items-changed emissions a second rather than one per request
 * (see flush_pending() for what a splice costs GtkColumnView; measured: one 1500-row splice
 * stalled the loop for 160 ms). */

#define FLUSH_INTERVAL_MS   100
#define FLUSH_CHUNK_MIN     16
#define FLUSH_CHUNK_FIRST   32
#define FLUSH_CHUNK_MAX     256
#define FLUSH_BUDGET_US     6000
#define FLUSH_CHUNK_GAP_MS  16
#define DROP_SLACK          2000  /* rows above the maximum before the oldest are dropped */
#define MAX_UPLOAD_ROWS     100
#define MIB                 (G_GUINT64_CONSTANT (1024) * 1024)

typedef enum
{
  COLUMN_TIME,
  COLUMN_METHOD,
  COLUMN_PATH,
  COLUMN_STATUS,
  COLUMN_SIZE,
  COLUMN_DURATION,
} Column;

struct _LadleServerPage
{
  AdwBin               parent_instance;

  /* Template widgets */
  GtkSwitch           *autostart_switch;
  LadleBodyView       *body;
  GtkWidget           *body_box;
  GtkToggleButton     *raw_toggle;
  GtkColumnView       *column_view;
  GtkLabel            *count_label;
  GtkLabel            *detail_label;
  GtkScrolledWindow   *detail_scroller;
  GtkStack            *detail_stack;
  GtkTextView         *detail_view;
  AdwPreferencesGroup *error_group;
  GtkLabel            *error_label;
  AdwActionRow        *folder_row;
  AdwEntryRow         *host_row;
  AdwActionRow        *https_row;
  GtkSwitch           *https_switch;
  AdwActionRow        *limit_row;
  GtkSpinButton       *limit_spin;
  GtkWidget           *log_pane;
  GtkPaned            *log_paned;
  AdwActionRow        *log_row;
  GtkScrolledWindow   *log_scroller;
  GtkStack            *log_stack;
  AdwActionRow        *port_row;
  GtkSpinButton       *port_spin;
  GtkLabel            *routes_error_label;
  GtkLabel            *routes_file_label;
  AdwPreferencesGroup *routes_group;
  GtkListBox          *routes_list;
  GtkSwitch           *running_switch;
  GtkWidget           *settings_column;
  AdwPreferencesGroup *settings_group;
  AdwActionRow        *switch_row;
  GtkListBox          *uploads_list;
  AdwActionRow        *url_row;

  /* Owned references */
  LadleServer         *server;
  GBindingGroup       *bindings;         /* widgets <- server */
  GSettings           *settings;
  GListStore          *log;
  GtkSingleSelection  *selection;
  GPtrArray           *pending;          /* LadleServerEvent not yet in the log */
  GListStore          *uploads;          /* LadleStoredFile, newest first */
  GListStore          *routes;           /* LadleMockRoute, from server-routes-file */
  LadleJsonStore      *routes_store;     /* reads and writes routes_path */
  GCancellable        *routes_cancellable;
  LadleMockRoute      *removed_route;    /* for Undo */
  GCancellable        *uploads_cancellable;
  GtkFileChooserNative *chooser;
  char                *routes_path;      /* the file self->routes belongs to; "" for none */
  LadleTlsCert        *tls_cert;         /* the self-signed pair, once loaded or made */

  /* Borrowed references */
  AdwToast            *undo_toast;

  guint                flush_id;
  guint                flush_chunk;      /* rows per splice, adapted to FLUSH_BUDGET_US */
  guint                removed_position;
  guint                routes_loading : 1;
  guint                routes_naming : 1;  /* a name for the first routes file is being found */
  guint                routes_broken : 1;  /* the file did not load */
};

G_DEFINE_FINAL_TYPE (LadleServerPage, ladle_server_page, ADW_TYPE_BIN)

enum {
  OPEN_IN_REQUESTS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void show_error (LadleServerPage *self,
                        const char      *message);

/* ------------------------------------------------------------------------------------------------
 * Helpers
 */

static char *
resolve_uploads_dir (const char *setting)
{
  const char *downloads;

  if (setting != NULL && setting[0] != '\0')
    return g_strdup (setting);

  /* A folder name, not a sentence: kept as is so it does not move when the language changes. */
  downloads = g_get_user_special_dir (G_USER_DIRECTORY_DOWNLOAD);
  if (downloads != NULL)
    return g_build_filename (downloads, "Ladle uploads", NULL);

  {
    g_autofree char *data = ladle_data_dir_dup (APP_ID);

    return g_build_filename (data, "uploads", NULL);
  }
}

static char *
format_duration (gint64 usec)
{
  if (usec < G_USEC_PER_SEC)
    /* Translators: a duration in milliseconds */
    return g_strdup_printf (_("%.1f ms"), usec / 1000.0);
  /* Translators: a duration in seconds */
  return g_strdup_printf (_("%.2f s"), usec / (double) G_USEC_PER_SEC);
}

static char *
format_time (gint64 usec)
{
  /* The log binds thousands of rows a second from the same few seconds: a GDateTime each
   * (a time zone lookup and a format) is the dearest part of a bind. Main thread only. */
  static gint64 cached_second = -1;
  static char *cached_hms = NULL;
  gint64 second = usec / G_USEC_PER_SEC;

  if (second != cached_second || cached_hms == NULL)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (second);

      g_free (cached_hms);
      cached_hms = g_date_time_format (dt, "%H:%M:%S");
      cached_second = second;
    }

  return g_strdup_printf ("%s.%03d", cached_hms, (int) ((usec / 1000) % 1000));
}

static const char *
status_class (LadleServerEvent *event)
{
  guint status = ladle_server_event_get_status (event);

  if (ladle_server_event_get_kind (event) == LADLE_SERVER_EVENT_ABORTED)
    return "failed";
  if (status >= 500)
    return "server-error";
  if (status >= 400)
    return "client-error";
  if (status >= 300)
    return "redirect";
  return "success";
}

static const char *
get_uploads_dir (LadleServerPage *self)
{
  return self->server != NULL ? ladle_server_get_uploads_dir (self->server) : NULL;
}

static void
open_uri (LadleServerPage *self,
          const char      *uri)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

/* ------------------------------------------------------------------------------------------------
 * Running state
 */

static gboolean
get_running (LadleServerPage *self)
{
  return self->server != NULL && ladle_server_get_running (self->server);
}

static void
update_actions (LadleServerPage *self)
{
  gboolean running = get_running (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "server.copy-url", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "server.open-url", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "server.copy-certificate",
                                 self->settings != NULL &&
                                 g_settings_get_boolean (self->settings, "server-https"));
  /* The server copies its settings when it starts. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "server.choose-folder", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "server.open-in-requests",
                                 gtk_single_selection_get_selected_item (self->selection) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "server.clear-log",
                                 g_list_model_get_n_items (G_LIST_MODEL (self->log)) > 0);
}

static void
show_error (LadleServerPage *self,
            const char      *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_group), message != NULL);
}

/* The self-signed pair of the data folder, loaded (or made) once */
static LadleTlsCert *
ensure_tls_cert (LadleServerPage  *self,
                 GError          **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *subtitle = NULL;

  if (self->tls_cert != NULL)
    return self->tls_cert;

  dir = ladle_tls_cert_dup_default_dir (APP_ID);
  self->tls_cert = ladle_tls_cert_ensure (dir, error);
  if (self->tls_cert == NULL)
    return NULL;

  /* The fingerprint, for a client to pin; the whole of it is in the copied certificate */
  subtitle = g_strdup_printf (_("Self-signed · SHA-256 %.11s…"), self->tls_cert->fingerprint);
  adw_action_row_set_subtitle (self->https_row, subtitle);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->https_row), self->tls_cert->fingerprint);

  return self->tls_cert;
}

/* HTTPS when the setting says so: the server copies its certificate when it starts */
static gboolean
prepare_tls (LadleServerPage  *self,
             GError          **error)
{
  LadleTlsCert *cert;

  if (self->settings == NULL || !g_settings_get_boolean (self->settings, "server-https"))
    {
      ladle_server_set_tls_certificate (self->server, NULL);
      return TRUE;
    }

  cert = ensure_tls_cert (self, error);
  if (cert == NULL)
    return FALSE;
  ladle_server_set_tls_certificate (self->server, cert->certificate);
  return TRUE;
}

/* What "server.running" changes: starting can fail (an address in use), which the page shows. */
static void
set_running (LadleServerPage *self,
             gboolean         running)
{
  g_autoptr(GError) error = NULL;

  if (self->server == NULL || running == ladle_server_get_running (self->server))
    return;

  if (!running)
    {
      ladle_server_stop (self->server);
      return;
    }

  if (!prepare_tls (self, &error) || !ladle_server_start (self->server, &error))
    show_error (self, error->message);
  else
    show_error (self, NULL);
}

static void
server_running_changed_cb (LadleServerPage *self)
{
  g_assert (LADLE_IS_SERVER_PAGE (self));

  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/* The switch asks for a state through "server.running" and then shows the one the server is in,
 * so that a start that failed puts it back off. The server's own changes reach it through the
 * binding group. */
static gboolean
running_switch_state_set_cb (LadleServerPage *self,
                             gboolean         state,
                             GtkSwitch       *running_switch)
{
  gboolean running;

  g_assert (LADLE_IS_SERVER_PAGE (self));

  /* Starting makes the settings insensitive: a keyboard focus in them would be dropped to
   * nowhere (keys then reach nothing until a click), so it goes to the switch. */
  if (state && !get_running (self))
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

      if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->settings_group)))
        gtk_widget_grab_focus (GTK_WIDGET (running_switch));
    }

  if (state != get_running (self))
    gtk_widget_activate_action (GTK_WIDGET (self), "server.running", NULL);

  running = get_running (self);
  gtk_switch_set_state (running_switch, running);
  gtk_switch_set_active (running_switch, running);
  return TRUE;
}

static gboolean
running_to_subtitle (GBinding     *binding,
                     const GValue *from_value,
                     GValue       *to_value,
                     gpointer      user_data)
{
  g_value_set_string (to_value, g_value_get_boolean (from_value) ? _("Running") : _("Stopped"));
  return TRUE;
}

static gboolean
running_to_description (GBinding     *binding,
                        const GValue *from_value,
                        GValue       *to_value,
                        gpointer      user_data)
{
  g_value_set_string (to_value, g_value_get_boolean (from_value)
                                  ? _("Stop the server to change these") : NULL);
  return TRUE;
}

static gboolean
bound_port_to_url (GBinding     *binding,
                   const GValue *from_value,
                   GValue       *to_value,
                   gpointer      user_data)
{
  LadleServer *server = LADLE_SERVER (g_binding_dup_source (binding));
  g_autofree char *url = ladle_server_dup_url (server);

  g_object_unref (server);
  g_value_set_string (to_value, url != NULL ? url : "");
  return TRUE;
}

/* GSettings -> LadleServer: an empty host is the default one, an empty folder the default
 * uploads folder. */
static gboolean
host_get_mapping (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  g_autofree char *host = g_strstrip (g_variant_dup_string (variant, NULL));

  g_value_set_string (value, host[0] != '\0' ? host : LADLE_SERVER_DEFAULT_HOST);
  return TRUE;
}

static gboolean
uploads_dir_get_mapping (GValue   *value,
                         GVariant *variant,
                         gpointer  user_data)
{
  g_value_take_string (value, resolve_uploads_dir (g_variant_get_string (variant, NULL)));
  return TRUE;
}

/* The settings the server copies when it starts; settings win, the server never writes them. */
static const struct {
  const char              *key;
  const char              *property;
  GSettingsBindGetMapping  get_mapping;
} server_settings[] = {
  { "server-host", "host", host_get_mapping },
  { "server-port", "port", NULL },
  { "server-uploads-dir", "uploads-dir", uploads_dir_get_mapping },
  { "server-max-upload-size", "max-upload-size", NULL },
};

static void
bind_server_settings (LadleServerPage *self,
                      gboolean         bind)
{
  if (self->server == NULL || self->settings == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (server_settings); i++)
    {
      if (bind)
        g_settings_bind_with_mapping (self->settings, server_settings[i].key, self->server,
                                      server_settings[i].property, G_SETTINGS_BIND_GET,
                                      server_settings[i].get_mapping, NULL, NULL, NULL);
      else
        g_settings_unbind (self->server, server_settings[i].property);
    }
}

/* ------------------------------------------------------------------------------------------------
 * Request log
 */

static void
update_count (LadleServerPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->log));
  g_autofree char *text = NULL;

  if (n > 0)
    text = g_strdup_printf (ngettext ("%u request", "%u requests", n), n);

  gtk_label_set_text (self->count_label, text ? text : "");
  adw_action_row_set_subtitle (self->log_row, text ? text : _("No requests yet"));
  gtk_stack_set_visible_child_name (self->log_stack, n > 0 ? "log" : "empty");
  update_actions (self);
}

static GtkWidget *
find_list_view (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      return child;
  return NULL;
}

static void
release_events_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  GPtrArray *events = task_data;

  /* The events' last references go here, in the worker (the task itself may end elsewhere). */
  g_ptr_array_set_size (events, 0);
  g_task_return_boolean (task, TRUE);
}

/* Dropping thousands of events at once costs the main loop several µs each (their headers and
 * bodies); they are immutable and no longer shown, so their last references go in a worker. */
static void
release_events (GPtrArray *events)
{
  g_autoptr(GTask) task = NULL;

  if (events->len == 0)
    {
      g_ptr_array_unref (events);
      return;
    }

  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_source_tag (task, release_events);
  g_task_set_task_data (task, events, (GDestroyNotify) g_ptr_array_unref);
  g_task_run_in_thread (task, release_events_thread);
}

static void
drop_oldest_rows (LadleServerPage *self,
                  guint            n_drop)
{
  GPtrArray *dropped = g_ptr_array_new_full (n_drop, g_object_unref);

  for (guint i = 0; i < n_drop; i++)
    g_ptr_array_add (dropped, g_list_model_get_item (G_LIST_MODEL (self->log), i));
  g_list_store_splice (self->log, 0, n_drop, NULL, 0);
  release_events (dropped);
}

static gboolean
flush_pending (gpointer data)
{
  LadleServerPage *self = data;
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->log_scroller);
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->log));
  guint n_new;
  gboolean at_bottom;
  GtkWidget *list_view;
  gint64 start, elapsed;

  g_assert (LADLE_IS_SERVER_PAGE (self));

  self->flush_id = 0;
  if (self->pending->len == 0)
    return G_SOURCE_REMOVE;

  start = g_get_monotonic_time ();

  /* Follow the newest row unless the user scrolled up to read older ones. */
  at_bottom = n_items == 0 ||
              gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) >=
              gtk_adjustment_get_upper (adj) - 48;

  /* What a splice costs GtkColumnView (GTK 4.8, measured under a wrk flood):
   * - it binds every row appended near its anchor (it keeps up to 200 rows bound there), about
   *   50 µs a row with the cheap binds below, so a backlog goes in chunks sized to
   *   FLUSH_BUDGET_US with a frame's time between them;
   * - removing rows at the start costs a relayout of the bound rows (about 30 ms) whatever their
   *   number, so the oldest go DROP_SLACK at a time rather than with every chunk;
   * - taking the model away during the splice is no cheaper: both setting it to NULL and putting
   *   it back cost O(rows), 100-250 ms with 10 000 rows. */
  n_new = MIN (self->pending->len, self->flush_chunk);

  if (n_items + n_new > LADLE_SERVER_PAGE_MAX_LOG_ROWS + DROP_SLACK)
    {
      guint n_drop = n_items + n_new - LADLE_SERVER_PAGE_MAX_LOG_ROWS;

      drop_oldest_rows (self, n_drop);
      n_items -= n_drop;
    }
  g_list_store_splice (self->log, n_items, 0, self->pending->pdata, n_new);
  g_ptr_array_remove_range (self->pending, 0, n_new);

  update_count (self);

  list_view = find_list_view (GTK_WIDGET (self->column_view));
  if (at_bottom && list_view != NULL)
    gtk_widget_activate_action (list_view, "list.scroll-to-item", "u",
                                g_list_model_get_n_items (G_LIST_MODEL (self->log)) - 1);

  /* Aim the next chunk at the budget: first rows (new widgets) cost more than later ones. */
  elapsed = MAX (g_get_monotonic_time () - start, 1);
  self->flush_chunk = CLAMP ((guint) (n_new * FLUSH_BUDGET_US / elapsed),
                             FLUSH_CHUNK_MIN, FLUSH_CHUNK_MAX);

  /* The rest after a frame's time, so that the window can draw in between. (Not an idle: a busy
   * loop at the default priority would starve it.) */
  if (self->pending->len > 0)
    self->flush_id = g_timeout_add (FLUSH_CHUNK_GAP_MS, flush_pending, self);

  return G_SOURCE_REMOVE;
}

static void
server_request_logged_cb (LadleServerPage  *self,
                          LadleServerEvent *event)
{
  g_assert (LADLE_IS_SERVER_PAGE (self));

  g_ptr_array_add (self->pending, g_object_ref (event));

  /* A burst larger than the log itself: only its tail will be shown. */
  if (self->pending->len > 2 * LADLE_SERVER_PAGE_MAX_LOG_ROWS)
    {
      guint n_old = self->pending->len - LADLE_SERVER_PAGE_MAX_LOG_ROWS;
      GPtrArray *old = g_ptr_array_new_full (n_old, g_object_unref);

      /* The references move to @old; the pending array only forgets the pointers. */
      g_ptr_array_set_free_func (self->pending, NULL);
      for (guint i = 0; i < n_old; i++)
        g_ptr_array_add (old, g_ptr_array_index (self->pending, i));
      g_ptr_array_remove_range (self->pending, 0, n_old);
      g_ptr_array_set_free_func (self->pending, g_object_unref);
      release_events (old);
    }

  if (self->flush_id == 0)
    self->flush_id = g_timeout_add (FLUSH_INTERVAL_MS, flush_pending, self);
}

/* The path's tooltip is read from the label when asked for (and only when the path is cut),
 * rather than set on every bind. */
static gboolean
path_query_tooltip_cb (GtkLabel   *label,
                       int         x,
                       int         y,
                       gboolean    keyboard_mode,
                       GtkTooltip *tooltip,
                       gpointer    user_data)
{
  if (!pango_layout_is_ellipsized (gtk_label_get_layout (label)))
    return FALSE;
  gtk_tooltip_set_text (tooltip, gtk_label_get_text (label));
  return TRUE;
}

static void
column_setup_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  switch (column)
    {
    case COLUMN_PATH:
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (label), 12);
      gtk_widget_set_has_tooltip (label, TRUE);
      g_signal_connect (label, "query-tooltip", G_CALLBACK (path_query_tooltip_cb), NULL);
      break;
    case COLUMN_METHOD:
      /* Bold at the size of the other columns (the "heading" style class is larger too) */
      {
        PangoAttrList *attrs = pango_attr_list_new ();

        pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
        gtk_label_set_attributes (GTK_LABEL (label), attrs);
        pango_attr_list_unref (attrs);
      }
      break;
    case COLUMN_STATUS:
      gtk_widget_set_halign (label, GTK_ALIGN_START);
      break;
    case COLUMN_SIZE:
    case COLUMN_DURATION:
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_widget_add_css_class (label, "numeric");
      break;
    case COLUMN_TIME:
    default:
      gtk_widget_add_css_class (label, "numeric");
      gtk_widget_add_css_class (label, "dim-label");
      break;
    }

  gtk_list_item_set_child (item, label);
}

static void
column_bind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  LadleServerEvent *event = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  g_autofree char *text = NULL;

  switch (column)
    {
    case COLUMN_TIME:
      text = format_time (ladle_server_event_get_time (event));
      break;
    case COLUMN_METHOD:
      if (ladle_server_event_get_kind (event) == LADLE_SERVER_EVENT_WEBSOCKET)
        gtk_label_set_text (label, "WS");
      else
        gtk_label_set_text (label, ladle_server_event_get_method (event));
      return;
    case COLUMN_PATH:
      gtk_label_set_text (label, ladle_server_event_get_path (event));
      return;
    case COLUMN_STATUS:
      {
        const char *classes[] = { "status-badge", "numeric", status_class (event), NULL };

        if (ladle_server_event_get_kind (event) == LADLE_SERVER_EVENT_ABORTED)
          /* Translators: a request that the client gave up before it was answered */
          text = g_strdup (_("Aborted"));
        else
          text = g_strdup_printf ("%u", ladle_server_event_get_status (event));
        /* A change of classes restyles the label: only when the kind of status changes. */
        if (g_object_get_data (G_OBJECT (label), "ladle-status-class") != classes[2])
          {
            gtk_widget_set_css_classes (GTK_WIDGET (label), classes);
            g_object_set_data (G_OBJECT (label), "ladle-status-class", (gpointer) classes[2]);
          }
      }
      break;
    case COLUMN_SIZE:
      text = g_format_size (ladle_server_event_get_response_bytes (event));
      break;
    case COLUMN_DURATION:
    default:
      text = format_duration (ladle_server_event_get_duration (event));
      break;
    }

  gtk_label_set_text (label, text ? text : "");
}

/* The width of the widest text a column shows, in its style, plus the cell's padding. */
static int
column_width (LadleServerPage *self,
              const char      *title,
              Column           column)
{
  g_autofree char *time = format_time (g_get_real_time ());
  g_autofree char *size = g_format_size (999949);
  g_autofree char *duration = format_duration (999949);
  const char *samples[] = {
    [COLUMN_TIME] = time,
    [COLUMN_METHOD] = "OPTIONS",
    [COLUMN_PATH] = "/some/path/of/a/request",
    [COLUMN_STATUS] = _("Aborted"),
    [COLUMN_SIZE] = size,
    [COLUMN_DURATION] = duration,
  };
  g_autoptr(PangoLayout) layout = NULL;
  PangoAttrList *attrs = pango_attr_list_new ();
  int sample_width, title_width;

  /* Bold for the method and the titles, tabular figures for the numbers: both at their widest */
  pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self->column_view), samples[column]);
  pango_layout_set_attributes (layout, attrs);
  pango_layout_get_pixel_size (layout, &sample_width, NULL);
  pango_layout_set_text (layout, title, -1);
  pango_layout_get_pixel_size (layout, &title_width, NULL);
  pango_attr_list_unref (attrs);

  /* Cells have 6 px of padding on each side; the status badge 8 more; the header its arrow */
  return MAX (sample_width + (column == COLUMN_STATUS ? 28 : 12), title_width + 28);
}

static void
add_column (LadleServerPage *self,
            const char      *title,
            Column           column,
            gboolean         expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) view_column = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (column_setup_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (column_bind_cb), GINT_TO_POINTER (column));

  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  /* With fixed widths, a column never measures its cells: otherwise every splice re-measures
   * the labels of all the bound rows (some 1200) to find the widest. */
  gtk_column_view_column_set_fixed_width (view_column, column_width (self, title, column));
  gtk_column_view_append_column (self->column_view, view_column);
}

/* With a body, shows it in the body view under the headers (which then take only the room they
 * need, up to a limit); without, puts the headers back alone. */
static void
show_body (LadleServerPage  *self,
           LadleServerEvent *event)
{
  GBytes *body = event != NULL ? ladle_server_event_get_request_body (event) : NULL;
  gboolean has_body = body != NULL && g_bytes_get_size (body) > 0;

  g_assert (LADLE_IS_SERVER_PAGE (self));

  gtk_widget_set_vexpand (GTK_WIDGET (self->detail_scroller), !has_body);
  gtk_scrolled_window_set_propagate_natural_height (self->detail_scroller, has_body);
  gtk_scrolled_window_set_max_content_height (self->detail_scroller, has_body ? 120 : -1);
  gtk_widget_set_visible (self->body_box, has_body);

  if (!has_body)
    {
      ladle_body_view_clear (self->body);
      return;
    }

  /* The log gets most of the height by default; a body needs room. The user's own split stays. */
  {
    int height = gtk_widget_get_height (GTK_WIDGET (self->log_paned));
    gboolean position_set = FALSE;

    g_object_get (self->log_paned, "position-set", &position_set, NULL);
    if (height > 0 && (!position_set || gtk_paned_get_position (self->log_paned) > height * 2 / 5))
      gtk_paned_set_position (self->log_paned, height * 2 / 5);
  }

  /* The server keeps the head of a large body: the view says how much of it this is */
  ladle_body_view_set_bytes (self->body, body,
                             soup_message_headers_get_content_type (
                               ladle_server_event_get_request_headers (event), NULL),
                             ladle_server_event_get_request_bytes (event));
}

static void
show_event (LadleServerPage  *self,
            LadleServerEvent *event)
{
  g_autoptr(GString) text = NULL;
  g_autofree char *time = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *summary = NULL;
  const char *peer;
  SoupMessageHeadersIter iter;
  const char *name, *value;

  g_assert (LADLE_IS_SERVER_PAGE (self));

  if (event == NULL)
    {
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->detail_view), "", 0);
      show_body (self, NULL);
      return;
    }

  time = format_time (ladle_server_event_get_time (event));
  duration = format_duration (ladle_server_event_get_duration (event));
  /* Translators: the selected request: its client's address, time, and duration */
  peer = ladle_server_event_get_peer (event);
  summary = g_strdup_printf (_("From %s at %s, %s"), peer ? peer : "?", time, duration);
  gtk_label_set_text (self->detail_label, summary);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->detail_label), summary);

  text = g_string_new (NULL);
  g_string_append_printf (text, "%s %s\n",
                          ladle_server_event_get_method (event),
                          ladle_server_event_get_path (event));
  soup_message_headers_iter_init (&iter, ladle_server_event_get_request_headers (event));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_string_append_printf (text, "%s: %s\n", name, value);

  show_body (self, event);

  /* Header values come from the network: never hand invalid UTF-8 to the text view. */
  {
    gsize len = 0;
    g_autofree char *valid = ladle_body_dup_valid_text ((const guint8 *) text->str, text->len,
                                                        &len);

    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->detail_view), valid, len);
  }

  gtk_stack_set_visible_child_name (self->detail_stack, "detail");
}

static void
selection_changed_cb (LadleServerPage *self)
{
  g_assert (LADLE_IS_SERVER_PAGE (self));

  show_event (self, gtk_single_selection_get_selected_item (self->selection));
  update_actions (self);
}

/* ------------------------------------------------------------------------------------------------
 * Uploads
 */

static int
compare_mtime (gconstpointer a,
               gconstpointer b)
{
  GFileInfo *fa = *(GFileInfo **) a;
  GFileInfo *fb = *(GFileInfo **) b;
  guint64 ta = g_file_info_get_attribute_uint64 (fa, G_FILE_ATTRIBUTE_TIME_MODIFIED);
  guint64 tb = g_file_info_get_attribute_uint64 (fb, G_FILE_ATTRIBUTE_TIME_MODIFIED);

  if (ta != tb)
    return ta > tb ? -1 : 1;
  return g_strcmp0 (g_file_info_get_name (fa), g_file_info_get_name (fb));
}

/* The files already in the folder when the page opens (or the folder changes), newest first. */
static void
list_uploads_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  g_autoptr(GFile) dir = g_file_new_for_path (task_data);
  g_autoptr(GFileEnumerator) enumerator = NULL;
  g_autoptr(GPtrArray) infos = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  GFileInfo *info;

  enumerator = g_file_enumerate_children (dir,
                                          G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                          G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                          G_FILE_ATTRIBUTE_STANDARD_IS_HIDDEN ","
                                          G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                                          G_FILE_ATTRIBUTE_TIME_MODIFIED,
                                          G_FILE_QUERY_INFO_NONE, cancellable, NULL);
  /* A folder that does not exist yet simply holds no uploads. */
  while (enumerator != NULL &&
         (info = g_file_enumerator_next_file (enumerator, cancellable, NULL)) != NULL)
    {
      if (g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR &&
          !g_file_info_get_is_hidden (info))
        g_ptr_array_add (infos, info);
      else
        g_object_unref (info);
    }

  g_ptr_array_sort (infos, compare_mtime);
  for (guint i = 0; i < infos->len && i < MAX_UPLOAD_ROWS; i++)
    {
      GFileInfo *item = g_ptr_array_index (infos, i);
      g_autofree char *path = g_build_filename (task_data, g_file_info_get_name (item), NULL);
      guint64 mtime = g_file_info_get_attribute_uint64 (item, G_FILE_ATTRIBUTE_TIME_MODIFIED);

      g_ptr_array_add (files, ladle_stored_file_new (path, NULL, NULL, g_file_info_get_size (item),
                                                     NULL, (gint64) mtime * G_USEC_PER_SEC));
    }

  g_task_return_pointer (task, g_steal_pointer (&files), (GDestroyNotify) g_ptr_array_unref);
}

static gboolean
has_upload (LadleServerPage *self,
            const char      *path)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->uploads));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LadleStoredFile) file = g_list_model_get_item (G_LIST_MODEL (self->uploads), i);

      if (g_strcmp0 (ladle_stored_file_get_path (file), path) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
trim_uploads (LadleServerPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->uploads));

  if (n > MAX_UPLOAD_ROWS)
    g_list_store_splice (self->uploads, MAX_UPLOAD_ROWS, n - MAX_UPLOAD_ROWS, NULL, 0);
}

/* Files the server reported while the folder was being read are newer: they stay first. */
static void
list_uploads_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(LadleServerPage) self = user_data;
  g_autoptr(GPtrArray) files = g_task_propagate_pointer (G_TASK (result), NULL);

  if (files == NULL || self->uploads == NULL)
    return;

  for (guint i = 0; i < files->len; i++)
    {
      LadleStoredFile *file = g_ptr_array_index (files, i);

      if (!has_upload (self, ladle_stored_file_get_path (file)))
        g_list_store_append (self->uploads, file);
    }
  trim_uploads (self);
}

static void
list_uploads (LadleServerPage *self)
{
  g_autoptr(GTask) task = NULL;

  g_assert (LADLE_IS_SERVER_PAGE (self));

  g_cancellable_cancel (self->uploads_cancellable);
  g_clear_object (&self->uploads_cancellable);
  g_list_store_remove_all (self->uploads);
  if (get_uploads_dir (self) == NULL)
    return;

  self->uploads_cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->uploads_cancellable, list_uploads_cb, g_object_ref (self));
  g_task_set_source_tag (task, list_uploads);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_set_task_data (task, g_strdup (get_uploads_dir (self)), g_free);
  g_task_run_in_thread (task, list_uploads_thread);
}

/* What an upload stored, as the server says, newest first. */
static void
server_files_stored_cb (LadleServerPage *self,
                        GListModel      *files)
{
  guint n = g_list_model_get_n_items (files);

  g_assert (LADLE_IS_SERVER_PAGE (self));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LadleStoredFile) file = g_list_model_get_item (files, i);

      g_list_store_insert (self->uploads, i, file);
    }
  trim_uploads (self);
}

static void
show_in_folder_clicked_cb (LadleServerPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "server.open-folder", NULL);
}

static GtkWidget *
create_upload_row (gpointer item,
                   gpointer user_data)
{
  LadleServerPage *self = user_data;
  LadleStoredFile *file = item;
  g_autoptr(GDateTime) mtime = NULL;
  g_autofree char *size = g_format_size (ladle_stored_file_get_size (file));
  g_autofree char *name = g_filename_display_name (ladle_stored_file_get_name (file));
  g_autofree char *when = NULL;
  g_autofree char *subtitle = NULL;
  GtkWidget *row, *button;

  mtime = g_date_time_new_from_unix_local (ladle_stored_file_get_time (file) / G_USEC_PER_SEC);
  when = g_date_time_format (mtime, "%x %X");
  /* Translators: an uploaded file's size and when it arrived, e.g. "1.2 MB, 12/31/26 10:00:00" */
  subtitle = g_strdup_printf (_("%s, %s"), size, when);

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 1);

  button = gtk_button_new_from_icon_name ("folder-open-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Show in Folder"));
  gtk_widget_add_css_class (button, "flat");
  g_signal_connect_object (button, "clicked", G_CALLBACK (show_in_folder_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  return row;
}

/* ------------------------------------------------------------------------------------------------
 * Routes
 */

static GtkWidget *
new_route_row (const char *pattern,
               const char *description)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), pattern);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), description);
  return row;
}

static void
populate_routes (LadleServerPage *self)
{
  const LadleHttpbinEndpoint *endpoints = ladle_httpbin_get_endpoints ();
  GtkWidget *expander;
  GtkWidget *oauth;
  guint n = 0;
  guint n_oauth = 0;
  g_autofree char *subtitle = NULL;
  g_autofree char *oauth_subtitle = NULL;

  adw_preferences_group_add (self->routes_group,
                             new_route_row ("/", _("Answers “Hello, World!”")));
  adw_preferences_group_add (self->routes_group,
                             new_route_row (LADLE_SERVER_UPLOAD_PATH,
                                            _("A form to upload files; files posted as "
                                              "multipart/form-data are saved to the uploads "
                                              "folder")));
  adw_preferences_group_add (self->routes_group,
                             new_route_row ("/ws",
                                            _("WebSocket: answers each message with “Message "
                                              "received: …”")));
  adw_preferences_group_add (self->routes_group,
                             new_route_row ("/websocket/echo",
                                            _("WebSocket: sends each message back as it is")));

  /* httpbin's, then the OAuth 2.0 provider's (its paths start so), each in its own expander */
  expander = adw_expander_row_new ();
  oauth = adw_expander_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), _("httpbin Endpoints"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (oauth), _("OAuth 2.0 Provider"));
  for (guint i = 0; endpoints[i].pattern != NULL; i++)
    {
      gboolean is_oauth = g_str_has_prefix (endpoints[i].pattern, "/oauth/") ||
                          g_str_has_prefix (endpoints[i].pattern, "/.well-known/");

      adw_expander_row_add_row (ADW_EXPANDER_ROW (is_oauth ? oauth : expander),
                                new_route_row (endpoints[i].pattern,
                                               _(endpoints[i].description)));
      if (is_oauth)
        n_oauth++;
      else
        n++;
    }
  subtitle = g_strdup_printf (ngettext ("%u endpoint that works like httpbin.org",
                                        "%u endpoints that work like httpbin.org", n), n);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), subtitle);
  adw_preferences_group_add (self->routes_group, expander);
  oauth_subtitle = g_strdup_printf (ngettext ("%u endpoint of an offline OAuth 2.0 and OpenID "
                                              "Connect provider",
                                              "%u endpoints of an offline OAuth 2.0 and OpenID "
                                              "Connect provider", n_oauth), n_oauth);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (oauth), oauth_subtitle);
  adw_preferences_group_add (self->routes_group, oauth);
}

/* ------------------------------------------------------------------------------------------------
 * Mock routes
 *
 * self->routes is what the server answers and what the editor changes. Each change is handed to
 * the server at once and then saved by the core (ladle_mock_routes_save_async(): a worker thread,
 * coalesced, atomic) to the routes file: the one the user chose, or routes.json in the data
 * folder, which then becomes the setting. A file that does not load is reported with its position
 * and left alone until the user changes the routes; the first save then sets it aside as
 * NAME.corrupt-STAMP (LadleJsonStore) rather than writing over it, and the page says so.
 *
 * Body files are confined to the folder of that file (the data folder's, when the user chose
 * none), as `ladle serve` does, unless server-allow-any-body-file is on: every route handed to
 * the server carries that folder, so that the router checks again at each request.
 */

static void save_routes             (LadleServerPage *self);
static void remove_route_clicked_cb (LadleServerPage *self,
                                     GtkButton       *button);

static void
update_routes_actions (LadleServerPage *self)
{
  gboolean has_file = self->routes_path != NULL && self->routes_path[0] != '\0';

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "server.add-route", !self->routes_loading);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "server.edit-route", !self->routes_loading);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "server.remove-route",
                                 !self->routes_loading);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "server.undo-remove",
                                 !self->routes_loading && self->removed_route != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "server.reload-routes", has_file);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "server.forget-routes", has_file);
}

static void
show_routes_error (LadleServerPage *self,
                   const char      *message)
{
  gtk_label_set_text (self->routes_error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->routes_error_label), message != NULL);
}

static void
update_routes_file_label (LadleServerPage *self)
{
  gboolean has_file = self->routes_path != NULL && self->routes_path[0] != '\0';

  if (has_file)
    {
      g_autofree char *display = g_filename_display_name (self->routes_path);
      g_autofree char *text = NULL;

      /* Translators: the file the mock routes are read from and saved to; %s is its path */
      text = g_strdup_printf (_("Stored in %s"), display);
      gtk_label_set_text (self->routes_file_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->routes_file_label), has_file);
}

/* Returns (transfer full): the folder of the routes file, or the one it will be saved in. */
static char *
dup_routes_folder (LadleServerPage *self)
{
  if (self->routes_path != NULL && self->routes_path[0] != '\0')
    return g_path_get_dirname (self->routes_path);

  return ladle_data_dir_dup (APP_ID);
}

static gboolean
get_allow_any_body_file (LadleServerPage *self)
{
  return self->settings != NULL &&
         g_settings_get_boolean (self->settings, "server-allow-any-body-file");
}

static void
apply_routes (LadleServerPage *self)
{
  g_autofree char *folder = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->routes));

  g_assert (LADLE_IS_SERVER_PAGE (self));

  /* Each time: the file may have moved, or the switch changed. */
  folder = get_allow_any_body_file (self) ? NULL : dup_routes_folder (self);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LadleMockRoute) route = g_list_model_get_item (G_LIST_MODEL (self->routes), i);

      ladle_mock_route_set_body_folder (route, folder);
    }

  if (self->server != NULL)
    ladle_server_set_routes (self->server,
                             g_list_model_get_n_items (G_LIST_MODEL (self->routes)) > 0
                             ? G_LIST_MODEL (self->routes) : NULL);
}

/* The user changed the routes: the server answers with them at once, and they are saved. */
static void
routes_edited (LadleServerPage *self)
{
  g_assert (LADLE_IS_SERVER_PAGE (self));

  apply_routes (self);
  save_routes (self);
  update_routes_actions (self);
}

static GtkWidget *
create_mock_route_row (gpointer item,
                       gpointer user_data)
{
  LadleServerPage *self = user_data;
  LadleMockRoute *route = item;
  g_autofree char *title = NULL;
  g_autoptr(GString) subtitle = g_string_new (NULL);
  const char *content_type = ladle_mock_route_get_content_type (route);
  const char *body_file = ladle_mock_route_get_body_file (route);
  GtkWidget *row;
  GtkWidget *button;
  GtkWidget *arrow;

  title = g_strdup_printf ("%s %s", ladle_mock_route_get_method (route),
                           ladle_mock_route_get_path (route));
  g_string_append_printf (subtitle, "%u", ladle_mock_route_get_status (route));
  if (content_type != NULL && content_type[0] != '\0')
    g_string_append_printf (subtitle, " · %s", content_type);
  if (body_file != NULL && body_file[0] != '\0')
    {
      g_autofree char *base = g_path_get_basename (body_file);

      g_string_append (subtitle, " · ");
      /* Translators: a mock route answers with the contents of this file */
      g_string_append_printf (subtitle, _("body from %s"), base);
    }
  if (ladle_mock_route_get_delay (route) > 0)
    {
      g_string_append (subtitle, " · ");
      /* Translators: a mock route waits this many seconds before it answers */
      g_string_append_printf (subtitle, _("%.1f s delay"), ladle_mock_route_get_delay (route));
    }

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 1);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_tooltip_text (row, _("Edit Route"));

  button = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Remove Route"));
  gtk_widget_add_css_class (button, "flat");
  g_object_set_data (G_OBJECT (button), "ladle-route", route);
  g_signal_connect_object (button, "clicked", G_CALLBACK (remove_route_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  arrow = gtk_image_new_from_icon_name ("go-next-symbolic");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);

  return row;
}

/* Saving */

static void
save_routes_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(LadleServerPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *set_aside = NULL;

  g_assert (LADLE_IS_SERVER_PAGE (self));

  /* Cancelled: another file was loaded since. */
  if (!ladle_mock_routes_save_finish (LADLE_JSON_STORE (object), result, &set_aside, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The mock routes could not be saved: %s"),
                                                  error->message);

      show_routes_error (self, message);
      return;
    }

  show_routes_error (self, NULL);
  if (set_aside != NULL)
    {
      g_autofree char *base = g_path_get_basename (set_aside);
      g_autofree char *title = NULL;
      g_autofree char *escaped = NULL;

      /* Translators: %s is a file name such as routes.json.corrupt-20260102T030405 */
      title = g_strdup_printf (_("The unreadable routes file was kept as “%s”"), base);
      /* A toast's title is markup in libadwaita 1.2 */
      escaped = g_markup_escape_text (title, -1);
      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (adw_bin_get_child (ADW_BIN (self))),
                                   adw_toast_new (escaped));
    }
}

/* The first routes file, in the data folder, found: it becomes the setting, and the routes go
 * there. */
static void
routes_path_found_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(LadleServerPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = ladle_mock_routes_find_free_path_finish (result, &error);

  g_assert (LADLE_IS_SERVER_PAGE (self));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->routes_naming = FALSE;
  if (path == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The mock routes could not be saved: %s"),
                                                  error->message);

      show_routes_error (self, message);
      return;
    }

  g_free (self->routes_path);
  self->routes_path = g_steal_pointer (&path);
  g_clear_object (&self->routes_store);
  self->routes_store = ladle_mock_routes_store_new (self->routes_path);
  update_routes_file_label (self);
  update_routes_actions (self);
  /* load_routes() sees the path it already has and leaves the list alone. */
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "server-routes-file", self->routes_path);
  save_routes (self);
}

static void
save_routes (LadleServerPage *self)
{
  g_assert (LADLE_IS_SERVER_PAGE (self));

  if (self->routes_store == NULL)
    {
      g_autofree char *folder = NULL;

      /* Saved once the name is found, as they are then. */
      if (self->routes_naming)
        return;
      self->routes_naming = TRUE;
      folder = dup_routes_folder (self);
      ladle_mock_routes_find_free_path_async (folder, self->routes_cancellable,
                                              routes_path_found_cb, g_object_ref (self));
      return;
    }

  ladle_mock_routes_save_async (self->routes_store, G_LIST_MODEL (self->routes),
                                self->routes_cancellable, save_routes_cb, g_object_ref (self));
}

/* Loading */

static void
load_routes_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(LadleServerPage) self = user_data;
  g_autoptr(GListStore) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  g_assert (LADLE_IS_SERVER_PAGE (self));

  loaded = ladle_mock_routes_load_finish (LADLE_JSON_STORE (object), result, &error);
  /* A newer load (or the page's dispose) took over. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->routes_loading = FALSE;
  self->routes_broken = loaded == NULL;
  show_routes_error (self, error != NULL ? error->message : NULL);

  for (guint i = 0; loaded != NULL && i < g_list_model_get_n_items (G_LIST_MODEL (loaded)); i++)
    g_ptr_array_add (items, g_list_model_get_item (G_LIST_MODEL (loaded), i));
  g_list_store_splice (self->routes, 0, g_list_model_get_n_items (G_LIST_MODEL (self->routes)),
                       items->pdata, items->len);

  apply_routes (self);
  update_routes_actions (self);
}

static void
load_routes_full (LadleServerPage *self,
                  gboolean         force)
{
  g_autofree char *path = NULL;

  g_assert (LADLE_IS_SERVER_PAGE (self));

  path = self->settings != NULL ? g_settings_get_string (self->settings, "server-routes-file")
                                : g_strdup ("");
  if (!force && self->routes_path != NULL && g_strcmp0 (path, self->routes_path) == 0)
    return;

  /* Whatever was loading or saving belongs to the old file. */
  g_cancellable_cancel (self->routes_cancellable);
  g_clear_object (&self->routes_cancellable);
  self->routes_cancellable = g_cancellable_new ();
  self->routes_naming = FALSE;
  self->routes_broken = FALSE;
  g_clear_object (&self->removed_route);
  /* The same file read again keeps its store, which orders the read after a write under way. */
  if (self->routes_store != NULL &&
      g_strcmp0 (ladle_json_store_get_path (self->routes_store), path) != 0)
    g_clear_object (&self->routes_store);

  g_free (self->routes_path);
  self->routes_path = g_steal_pointer (&path);
  update_routes_file_label (self);
  show_routes_error (self, NULL);

  if (self->routes_path[0] == '\0')
    {
      self->routes_loading = FALSE;
      g_list_store_remove_all (self->routes);
      apply_routes (self);
      update_routes_actions (self);
      return;
    }

  if (self->routes_store == NULL)
    self->routes_store = ladle_mock_routes_store_new (self->routes_path);
  self->routes_loading = TRUE;
  update_routes_actions (self);
  ladle_mock_routes_load_async (self->routes_store,
                                get_allow_any_body_file (self)
                                ? LADLE_MOCK_ROUTES_LOAD_ANY_BODY_FILE
                                : LADLE_MOCK_ROUTES_LOAD_DEFAULT,
                                self->routes_cancellable, load_routes_cb, g_object_ref (self));
}

static void
load_routes (LadleServerPage *self)
{
  load_routes_full (self, FALSE);
}

/* The switch that frees body files changed. Routes in hand are handed to the server again with
 * their new confinement; a file that did not load (perhaps for a body file outside its folder)
 * or is loading under the old rule is read again. */
static void
allow_any_body_file_changed_cb (LadleServerPage *self)
{
  g_assert (LADLE_IS_SERVER_PAGE (self));

  if (self->routes_broken || self->routes_loading)
    load_routes_full (self, TRUE);
  else
    apply_routes (self);
}

/* Editing */

static void
editor_saved_cb (LadleServerPage  *self,
                 LadleMockRoute   *edited,
                 LadleRouteEditor *editor)
{
  LadleMockRoute *original = g_object_get_data (G_OBJECT (editor), "ladle-route");
  g_autoptr(LadleMockRoute) copy = ladle_mock_route_copy (edited);
  guint position;

  g_assert (LADLE_IS_SERVER_PAGE (self));

  if (self->routes_loading)
    return;

  if (original != NULL && g_list_store_find (self->routes, original, &position))
    g_list_store_splice (self->routes, position, 1, (gpointer *) &copy, 1);
  else
    g_list_store_append (self->routes, copy);

  routes_edited (self);
}

static void
open_editor (LadleServerPage *self,
             LadleMockRoute  *route)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *folder = dup_routes_folder (self);
  LadleRouteEditor *editor;

  editor = ladle_route_editor_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, route);
  ladle_route_editor_set_body_folder (editor, folder, self->settings);
  if (route != NULL)
    g_object_set_data_full (G_OBJECT (editor), "ladle-route", g_object_ref (route),
                            g_object_unref);
  g_signal_connect_object (editor, "saved", G_CALLBACK (editor_saved_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
add_route_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  open_editor (LADLE_SERVER_PAGE (widget), NULL);
}

static void
edit_route_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  LadleServerPage *self = LADLE_SERVER_PAGE (widget);
  g_autoptr(LadleMockRoute) route = g_list_model_get_item (G_LIST_MODEL (self->routes),
                                                           g_variant_get_uint32 (parameter));

  if (route != NULL)
    open_editor (self, route);
}

static void
route_row_activated_cb (LadleServerPage *self,
                        GtkListBoxRow   *row)
{
  g_assert (LADLE_IS_SERVER_PAGE (self));

  gtk_widget_activate_action (GTK_WIDGET (self), "server.edit-route", "u",
                              (guint32) gtk_list_box_row_get_index (row));
}

static void
undo_toast_dismissed_cb (LadleServerPage *self,
                         AdwToast        *toast)
{
  g_assert (LADLE_IS_SERVER_PAGE (self));

  if (self->undo_toast == toast)
    {
      self->undo_toast = NULL;
      g_clear_object (&self->removed_route);
      update_routes_actions (self);
    }
}

static void
remove_route_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  LadleServerPage *self = LADLE_SERVER_PAGE (widget);
  guint position = g_variant_get_uint32 (parameter);
  g_autoptr(LadleMockRoute) route = g_list_model_get_item (G_LIST_MODEL (self->routes), position);
  g_autofree char *title = NULL;
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  if (route == NULL)
    return;

  g_list_store_remove (self->routes, position);
  g_set_object (&self->removed_route, route);
  self->removed_position = position;
  routes_edited (self);

  /* Translators: a toast; %s is a method and path such as “GET /users/{id}” */
  title = g_strdup_printf (_("Route “%s %s” removed"), ladle_mock_route_get_method (route),
                           ladle_mock_route_get_path (route));
  escaped = g_markup_escape_text (title, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "server.undo-remove");
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (undo_toast_dismissed_cb), self,
                           G_CONNECT_SWAPPED);
  self->undo_toast = toast;
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (adw_bin_get_child (ADW_BIN (self))), toast);
  update_routes_actions (self);
}

static void
remove_route_clicked_cb (LadleServerPage *self,
                         GtkButton       *button)
{
  LadleMockRoute *route = g_object_get_data (G_OBJECT (button), "ladle-route");
  guint position;

  g_assert (LADLE_IS_SERVER_PAGE (self));

  if (route != NULL && g_list_store_find (self->routes, route, &position))
    gtk_widget_activate_action (GTK_WIDGET (self), "server.remove-route", "u",
                                (guint32) position);
}

static void
undo_remove_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  LadleServerPage *self = LADLE_SERVER_PAGE (widget);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->routes));
  g_autoptr(LadleMockRoute) route = g_steal_pointer (&self->removed_route);

  if (route == NULL)
    return;

  self->undo_toast = NULL;
  g_list_store_insert (self->routes, MIN (self->removed_position, n), route);
  routes_edited (self);
}

/* Both choosers (uploads folder, routes file) store the path in the settings key named on them. */
static void
chooser_response_cb (LadleServerPage      *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  const char *key = g_object_get_data (G_OBJECT (chooser), "ladle-settings-key");

  g_assert (LADLE_IS_SERVER_PAGE (self));

  if (response == GTK_RESPONSE_ACCEPT && self->settings != NULL && key != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        g_settings_set_string (self->settings, key, path);
    }

  g_clear_object (&self->chooser);
}

static void
choose_routes_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  LadleServerPage *self = LADLE_SERVER_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) json = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Open Routes File"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Open"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_filter_set_name (json, _("JSON Files"));
  gtk_file_filter_add_mime_type (json, "application/json");
  gtk_file_filter_add_suffix (json, "json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), json);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);
  g_object_set_data (G_OBJECT (self->chooser), "ladle-settings-key",
                     (gpointer) "server-routes-file");
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
reload_routes_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  load_routes_full (LADLE_SERVER_PAGE (widget), TRUE);
}

static void
forget_routes_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  LadleServerPage *self = LADLE_SERVER_PAGE (widget);

  if (self->settings != NULL)
    g_settings_set_string (self->settings, "server-routes-file", "");
}

/* ------------------------------------------------------------------------------------------------
 * Actions and callbacks
 */

static void
copy_url_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  LadleServerPage *self = LADLE_SERVER_PAGE (widget);
  g_autofree char *url = NULL;

  if (!get_running (self))
    return;

  url = ladle_server_dup_url (self->server);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), url);
  gtk_widget_activate_action (widget, "win.toast", "s", _("Address copied"));
}

static void
copy_certificate_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  LadleServerPage *self = LADLE_SERVER_PAGE (widget);
  g_autoptr(GError) error = NULL;
  LadleTlsCert *cert = ensure_tls_cert (self, &error);

  if (cert == NULL)
    {
      show_error (self, error->message);
      return;
    }

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), cert->cert_pem);
  gtk_widget_activate_action (widget, "win.toast", "s", _("Certificate copied"));
}

static void
open_url_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  LadleServerPage *self = LADLE_SERVER_PAGE (widget);
  g_autofree char *url = NULL;

  if (self->server == NULL || !ladle_server_get_running (self->server))
    return;

  url = ladle_server_dup_url (self->server);
  open_uri (self, url);
}

static void
open_folder_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  LadleServerPage *self = LADLE_SERVER_PAGE (widget);
  const char *uploads_dir = get_uploads_dir (self);
  g_autoptr(GFile) dir = NULL;
  g_autofree char *uri = NULL;

  if (uploads_dir == NULL)
    return;

  if (g_mkdir_with_parents (uploads_dir, 0755) != 0)
    {
      int saved_errno = errno;
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("Could not create the uploads folder “%s”: %s"),
                                 uploads_dir, g_strerror (saved_errno));
      show_error (self, message);
      return;
    }

  dir = g_file_new_for_path (uploads_dir);
  uri = g_file_get_uri (dir);
  open_uri (self, uri);
}

static void
choose_folder_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  LadleServerPage *self = LADLE_SERVER_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  const char *uploads_dir = get_uploads_dir (self);
  g_autoptr(GFile) current = NULL;

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Uploads Folder"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Select"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  if (uploads_dir != NULL && g_file_test (uploads_dir, G_FILE_TEST_IS_DIR))
    {
      current = g_file_new_for_path (uploads_dir);
      gtk_file_chooser_set_file (GTK_FILE_CHOOSER (self->chooser), current, NULL);
    }
  g_object_set_data (G_OBJECT (self->chooser), "ladle-settings-key",
                     (gpointer) "server-uploads-dir");
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
clear_log_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  LadleServerPage *self = LADLE_SERVER_PAGE (widget);

  g_ptr_array_set_size (self->pending, 0);
  drop_oldest_rows (self, g_list_model_get_n_items (G_LIST_MODEL (self->log)));
  self->flush_chunk = FLUSH_CHUNK_FIRST;
  update_count (self);
}

static void
open_in_requests_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  LadleServerPage *self = LADLE_SERVER_PAGE (widget);
  LadleServerEvent *event = gtk_single_selection_get_selected_item (self->selection);

  if (event != NULL)
    g_signal_emit (self, signals[OPEN_IN_REQUESTS], 0, event);
}

/* Not template children: gtk_widget_dispose_template() would unparent them behind AdwBin's and
 * AdwToastOverlay's back. */
static AdwLeaflet *
get_leaflet (LadleServerPage *self)
{
  GtkWidget *overlay = adw_bin_get_child (ADW_BIN (self));

  return ADW_LEAFLET (adw_toast_overlay_get_child (ADW_TOAST_OVERLAY (overlay)));
}

static void
log_row_activated_cb (LadleServerPage *self)
{
  adw_leaflet_set_visible_child (get_leaflet (self), self->log_pane);
}

static void
back_clicked_cb (LadleServerPage *self)
{
  adw_leaflet_navigate (get_leaflet (self), ADW_NAVIGATION_DIRECTION_BACK);
}

static gboolean
limit_get_mapping (GValue   *value,
                   GVariant *variant,
                   gpointer  user_data)
{
  guint64 bytes = g_variant_get_uint64 (variant);

  g_value_set_double (value, (double) ((bytes + MIB - 1) / MIB));
  return TRUE;
}

static GVariant *
limit_set_mapping (const GValue       *value,
                   const GVariantType *expected_type,
                   gpointer            user_data)
{
  double mib = g_value_get_double (value);

  return g_variant_new_uint64 ((guint64) MAX (mib, 0) * MIB);
}

/* ------------------------------------------------------------------------------------------------
 * GObject
 */

static void
ladle_server_page_dispose (GObject *object)
{
  LadleServerPage *self = LADLE_SERVER_PAGE (object);

  if (self->server != NULL)
    {
      bind_server_settings (self, FALSE);
      g_signal_handlers_disconnect_by_data (self->server, self);
    }
  if (self->bindings != NULL)
    g_binding_group_set_source (self->bindings, NULL);
  g_clear_handle_id (&self->flush_id, g_source_remove);
  g_cancellable_cancel (self->uploads_cancellable);
  g_cancellable_cancel (self->routes_cancellable);
  self->undo_toast = NULL;

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (object), LADLE_TYPE_SERVER_PAGE);

  g_clear_object (&self->bindings);
  g_clear_pointer (&self->tls_cert, ladle_tls_cert_free);
  g_clear_object (&self->server);
  g_clear_object (&self->settings);
  g_clear_object (&self->selection);
  g_clear_object (&self->log);
  g_clear_object (&self->uploads);
  g_clear_object (&self->routes);
  g_clear_object (&self->routes_store);
  g_clear_object (&self->uploads_cancellable);
  g_clear_object (&self->routes_cancellable);
  g_clear_object (&self->removed_route);
  g_clear_pointer (&self->pending, g_ptr_array_unref);

  G_OBJECT_CLASS (ladle_server_page_parent_class)->dispose (object);
}

static void
ladle_server_page_finalize (GObject *object)
{
  LadleServerPage *self = LADLE_SERVER_PAGE (object);

  g_clear_pointer (&self->routes_path, g_free);

  G_OBJECT_CLASS (ladle_server_page_parent_class)->finalize (object);
}

static void
ladle_server_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  LadleServerPage *self = LADLE_SERVER_PAGE (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, get_running (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_server_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  LadleServerPage *self = LADLE_SERVER_PAGE (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      set_running (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_server_page_class_init (LadleServerPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ladle_server_page_dispose;
  object_class->finalize = ladle_server_page_finalize;
  object_class->get_property = ladle_server_page_get_property;
  object_class->set_property = ladle_server_page_set_property;

  /**
   * LadleServerPage:running:
   *
   * Whether the server runs; setting it starts or stops the server (a start that fails shows
   * why, and leaves it %FALSE). The state of the "server.running" action.
   */
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LadleServerPage::open-in-requests:
   * @event: the #LadleServerEvent the user picked
   *
   * Asks for a new request tab made from a logged request ("server.open-in-requests").
   */
  signals[OPEN_IN_REQUESTS] =
    g_signal_new ("open-in-requests",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, LADLE_TYPE_SERVER_EVENT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ladle/Ladle/ladle-server-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LadleServerPage, autostart_switch);
  gtk_widget_class_bind_template_child (widget_class, LadleServerPage, body);
  gtk_widget_class_bind_template_child (widget_class, LadleServerPage, body_box);
  gtk_widget_class_bind_template_child (widget_class, LadleServerPage, raw_toggle);
  gtk_widget_class_bind_template_child (widget_class, LadleServerPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, LadleServerPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, LadleServerPage, detail_label);
  gtk_widget_class_bind_template_child (widget_class, LadleServerPage, detail_scroller);
  gtk_widget_class_bind_template_child (widget_class, LadleServerPage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, LadleServerPage, detail_view);
  gtk_widget_class_bind_template_child (widget_class, LadleServerPage, error_group);
  gtk_widget_class_bind_template_child (widget_class, LadleServerPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, LadleServerPage, folder_row);
  gtk_widget_class_bind_template_child (widget_class, LadleServerPage, host_row);
  gtk_widget_class_bind_template_child (widget_class, LadleServerPage, limit_row);
  gtk_widget_class_bind_template_child (widget_class, LadleServerPage, limit_spin);
  gtk_widget_class_bind_template_child (widget_class, LadleServerPage, log_pane);
  gtk_widget_class_bind_template_child (widget_class, LadleServerPage, log_paned);
  gtk_widget_class_bind_template_child (widget_class, LadleServerPage, log_row);
  gtk_widget_class_bind_template_child (widget_class, LadleServerPage, log_scroller);
  gtk_widget_class_bind_template_child (widget_class, LadleServerPage, log_stack);
  gtk_widget_class_bind_template_child (widget_class, LadleServerPage, port_row);
  gtk_widget_class_bind_template_child (widget_class, LadleServerPage, port_spin);
  gtk_widget_class_bind_template_child (widget_class, LadleServerPage, routes_error_label);
  gtk_widget_class_bind_template_child (widget_class, LadleServerPage, routes_file_label);
  gtk_widget_class_bind_template_child (widget_class, LadleServerPage, routes_group);
  gtk_widget_class_bind_template_child (widget_class, LadleServerPage, routes_list);
  gtk_widget_class_bind_template_child (widget_class, LadleServerPage, running_switch);
  gtk_widget_class_bind_template_child (widget_class, LadleServerPage, settings_column);
  gtk_widget_class_bind_template_child (widget_class, LadleServerPage, settings_group);
  gtk_widget_class_bind_template_child (widget_class, LadleServerPage, https_row);
  gtk_widget_class_bind_template_child (widget_class, LadleServerPage, https_switch);
  gtk_widget_class_bind_template_child (widget_class, LadleServerPage, switch_row);
  gtk_widget_class_bind_template_child (widget_class, LadleServerPage, uploads_list);
  gtk_widget_class_bind_template_child (widget_class, LadleServerPage, url_row);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, log_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, route_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, running_switch_state_set_cb);

  gtk_widget_class_install_action (widget_class, "server.add-route", NULL, add_route_action);
  gtk_widget_class_install_action (widget_class, "server.choose-folder", NULL,
                                   choose_folder_action);
  gtk_widget_class_install_action (widget_class, "server.choose-routes", NULL,
                                   choose_routes_action);
  gtk_widget_class_install_action (widget_class, "server.clear-log", NULL, clear_log_action);
  gtk_widget_class_install_action (widget_class, "server.copy-url", NULL, copy_url_action);
  gtk_widget_class_install_action (widget_class, "server.copy-certificate", NULL,
                                   copy_certificate_action);
  gtk_widget_class_install_action (widget_class, "server.edit-route", "u", edit_route_action);
  gtk_widget_class_install_action (widget_class, "server.forget-routes", NULL,
                                   forget_routes_action);
  gtk_widget_class_install_action (widget_class, "server.open-folder", NULL, open_folder_action);
  gtk_widget_class_install_action (widget_class, "server.open-in-requests", NULL,
                                   open_in_requests_action);
  gtk_widget_class_install_action (widget_class, "server.open-url", NULL, open_url_action);
  gtk_widget_class_install_action (widget_class, "server.reload-routes", NULL,
                                   reload_routes_action);
  gtk_widget_class_install_action (widget_class, "server.remove-route", "u", remove_route_action);
  gtk_widget_class_install_property_action (widget_class, "server.running", "running");
  gtk_widget_class_install_action (widget_class, "server.undo-remove", NULL, undo_remove_action);

  g_type_ensure (LADLE_TYPE_BODY_VIEW);
}

static void
ladle_server_page_init (LadleServerPage *self)
{
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));
  g_object_bind_property (self->raw_toggle, "active", self->body, "raw",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->body, "can-pretty", self->raw_toggle, "visible",
                          G_BINDING_SYNC_CREATE);

  self->pending = g_ptr_array_new_with_free_func (g_object_unref);
  self->flush_chunk = FLUSH_CHUNK_FIRST;
  self->log = g_list_store_new (LADLE_TYPE_SERVER_EVENT);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->log)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  add_column (self, _("Time"), COLUMN_TIME, FALSE);
  add_column (self, _("Method"), COLUMN_METHOD, FALSE);
  add_column (self, _("Path"), COLUMN_PATH, TRUE);
  add_column (self, _("Status"), COLUMN_STATUS, FALSE);
  add_column (self, _("Size"), COLUMN_SIZE, FALSE);
  add_column (self, _("Duration"), COLUMN_DURATION, FALSE);

  self->uploads = g_list_store_new (LADLE_TYPE_STORED_FILE);
  gtk_list_box_bind_model (self->uploads_list, G_LIST_MODEL (self->uploads),
                           create_upload_row, self, NULL);
  placeholder = gtk_label_new (_("No uploads yet"));
  gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_widget_set_margin_start (placeholder, 12);
  gtk_widget_set_margin_end (placeholder, 12);
  gtk_list_box_set_placeholder (self->uploads_list, placeholder);

  self->routes = g_list_store_new (LADLE_TYPE_MOCK_ROUTE);
  gtk_list_box_bind_model (self->routes_list, G_LIST_MODEL (self->routes),
                           create_mock_route_row, self, NULL);
  placeholder = gtk_label_new (_("No mock routes yet"));
  gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_widget_set_margin_start (placeholder, 12);
  gtk_widget_set_margin_end (placeholder, 12);
  gtk_list_box_set_placeholder (self->routes_list, placeholder);

  /* What shows the server's state follows it; the server copies the settings when it starts, so
   * they cannot be changed while it runs. */
  self->bindings = g_binding_group_new ();
  g_binding_group_bind (self->bindings, "running", self->running_switch, "active",
                        G_BINDING_SYNC_CREATE);
  g_binding_group_bind_full (self->bindings, "running", self->switch_row, "subtitle",
                             G_BINDING_SYNC_CREATE, running_to_subtitle, NULL, NULL, NULL);
  g_binding_group_bind_full (self->bindings, "bound-port", self->url_row, "title",
                             G_BINDING_SYNC_CREATE, bound_port_to_url, NULL, NULL, NULL);
  g_binding_group_bind (self->bindings, "running", self->url_row, "visible",
                        G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->bindings, "uploads-dir", self->folder_row, "subtitle",
                        G_BINDING_SYNC_CREATE);
  g_binding_group_bind_full (self->bindings, "running", self->settings_group, "description",
                             G_BINDING_SYNC_CREATE, running_to_description, NULL, NULL, NULL);
  g_binding_group_bind (self->bindings, "running", self->host_row, "sensitive",
                        G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  g_binding_group_bind (self->bindings, "running", self->port_row, "sensitive",
                        G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  g_binding_group_bind (self->bindings, "running", self->folder_row, "sensitive",
                        G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  g_binding_group_bind (self->bindings, "running", self->limit_row, "sensitive",
                        G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  /* The switch only: the certificate can be copied while the server runs */
  g_binding_group_bind (self->bindings, "running", self->https_switch, "sensitive",
                        G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);

  populate_routes (self);
  load_routes (self);
  update_count (self);
}

/**
 * ladle_server_page_set_server:
 *
 * Sets the server the page starts, stops and logs. The page binds the server-* settings to its
 * properties (see ladle_server_page_set_settings()); the server copies them when it starts.
 */
void
ladle_server_page_set_server (LadleServerPage *self,
                              LadleServer     *server)
{
  g_return_if_fail (LADLE_IS_SERVER_PAGE (self));
  g_return_if_fail (server == NULL || LADLE_IS_SERVER (server));

  if (self->server == server)
    return;

  if (self->server != NULL)
    {
      bind_server_settings (self, FALSE);
      g_signal_handlers_disconnect_by_data (self->server, self);
    }
  g_set_object (&self->server, server);
  g_binding_group_set_source (self->bindings, server);

  if (server != NULL)
    {
      g_signal_connect_object (server, "notify::running", G_CALLBACK (server_running_changed_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (server, "notify::uploads-dir", G_CALLBACK (list_uploads), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (server, "request-logged", G_CALLBACK (server_request_logged_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (server, "files-stored", G_CALLBACK (server_files_stored_cb),
                               self, G_CONNECT_SWAPPED);
      bind_server_settings (self, TRUE);
      apply_routes (self);
    }

  list_uploads (self);
  server_running_changed_cb (self);
}

/**
 * ladle_server_page_set_settings:
 *
 * Binds the page's controls and the server's properties to the server-* keys, and starts the
 * server when server-autostart is set.
 */
void
ladle_server_page_set_settings (LadleServerPage *self,
                                GSettings       *settings)
{
  g_return_if_fail (LADLE_IS_SERVER_PAGE (self));
  g_return_if_fail (settings == NULL || G_IS_SETTINGS (settings));

  if (self->settings == settings)
    return;

  if (self->settings != NULL)
    {
      bind_server_settings (self, FALSE);
      g_signal_handlers_disconnect_by_data (self->settings, self);
      g_settings_unbind (self->host_row, "text");
      g_settings_unbind (self->port_spin, "value");
      g_settings_unbind (self->limit_spin, "value");
      g_settings_unbind (self->autostart_switch, "active");
      g_settings_unbind (self->https_switch, "active");
    }
  g_set_object (&self->settings, settings);
  if (settings == NULL)
    return;

  g_settings_bind (settings, "server-host", self->host_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "server-port", self->port_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (settings, "server-max-upload-size", self->limit_spin, "value",
                                G_SETTINGS_BIND_DEFAULT, limit_get_mapping, limit_set_mapping,
                                NULL, NULL);
  g_settings_bind (settings, "server-autostart", self->autostart_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "server-https", self->https_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (settings, "changed::server-https", G_CALLBACK (update_actions), self,
                           G_CONNECT_SWAPPED);
  update_actions (self);
  bind_server_settings (self, TRUE);
  g_signal_connect_object (settings, "changed::server-routes-file",
                           G_CALLBACK (load_routes), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::server-allow-any-body-file",
                           G_CALLBACK (allow_any_body_file_changed_cb), self, G_CONNECT_SWAPPED);
  load_routes (self);

  if (g_settings_get_boolean (settings, "server-autostart"))
    set_running (self, TRUE);
}

/**
 * ladle_server_page_get_log:
 *
 * Returns: (transfer none): the logged requests (#LadleServerEvent), oldest first
 */
GListModel *
ladle_server_page_get_log (LadleServerPage *self)
{
  g_return_val_if_fail (LADLE_IS_SERVER_PAGE (self), NULL);
  return G_LIST_MODEL (self->log);
}

/**
 * ladle_server_page_get_uploads:
 *
 * Returns: (transfer none): the newest files of the uploads folder (#LadleStoredFile), newest
 *   first: those there when the page opened, then those the server stored
 */
GListModel *
ladle_server_page_get_uploads (LadleServerPage *self)
{
  g_return_val_if_fail (LADLE_IS_SERVER_PAGE (self), NULL);
  return G_LIST_MODEL (self->uploads);
}

/**
 * ladle_server_page_dup_uploads_dir:
 *
 * Returns: (transfer full): the uploads folder, with the empty setting resolved
 */
char *
ladle_server_page_dup_uploads_dir (LadleServerPage *self)
{
  g_return_val_if_fail (LADLE_IS_SERVER_PAGE (self), NULL);
  return g_strdup (get_uploads_dir (self));
}
