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

#include "ladle-cookie-store.h"
#include "ladle-cookies-view.h"
#include "ladle-data-dir.h"
#include "ladle-history.h"
#include "ladle-http-import.h"
#include "ladle-env-editor.h"
#include "ladle-runner-view.h"
#include "ladle-workspace-sidebar.h"
#include "ladle-http-client.h"
#include "ladle-request-tab.h"
#include "ladle-requests-page.h"
#include "ladle-session.h"

/* The Requests bench: tabs of open requests (each a LadleRequestTab: request bar, editor,
 * response pane and its own send) under a tab bar, and the history in a sidebar.
 *
 * The page owns the HTTP client its tabs share. Every finished send (not a cancelled one) goes
 * into the history, which all pages of the process share. The history (LadleHistory) and the open
 * tabs (LadleSession: their requests and which one is selected), shared the same way, are kept in
 * the data folder (ladle_data_dir_dup()) and saved in the background, shortly after they change,
 * and the tabs once more when the page goes. */

#define HISTORY_SAVE_DELAY_MS 500
#define TABS_SAVE_DELAY_MS    1000

struct _LadleRequestsPage
{
  AdwBin              parent_instance;

  /* Template widgets */
  AdwFlap            *flap;
  GtkListView        *history_list;
  GtkSearchEntry     *history_search;
  GtkStack           *history_stack;
  AdwTabBar          *tab_bar;
  AdwTabView         *tab_view;
  LadleWorkspaceSidebar *workspace_sidebar;
  AdwViewStack       *sidebar_stack;

  /* Owned references */
  LadleHttpClient    *client;
  GSettings          *settings;
  LadleCookieStore   *cookie_store;   /* the workspace's jar, or the session's without one */

  /* History and tabs */
  LadleHistory       *history;        /* shared by the pages of the process */
  LadleSession       *session;        /* likewise */
  GtkFilterListModel *history_filter;
  GtkCustomFilter    *history_search_filter;
  GCancellable       *load_cancellable;
  guint               history_save_id;
  guint               tabs_save_id;
  gboolean            tabs_dirty;     /* changed since the tabs were last saved */
  gboolean            tabs_loaded;    /* the saved tabs are in (or there were none) */
  gboolean            edited;         /* edited since the page was made: the saved tabs
                                       * must not replace the user's work */
  gboolean            disposing;
  GHashTable         *pending_origins; /* LadleRequestTab → LadleSessionTab: restored tabs of
                                        * a workspace's request, until the workspace is in */

  /* Workspace */
  LadleWorkspace     *workspace;      /* the sidebar's */
  GtkStringList      *environments;   /* "No environment", then the workspace's */
  char               *environment;    /* NULL for none */
  GFileMonitor       *env_monitors[2];
  gboolean            reloading_environments;
  LadleRunnerView    *runner_view;    /* the last run's (weak) */
  LadleEnvEditor     *env_editor;     /* weak */

  /* The sidebar as the user left it: shown when the window is wide enough (the flap is locked,
   * so folding and unfolding never change it on their own). */
  gboolean            sidebar_wanted;
  gboolean            folding;        /* the page itself is changing the flap */
};

G_DEFINE_FINAL_TYPE (LadleRequestsPage, ladle_requests_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_ENVIRONMENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
toast (LadleRequestsPage *self,
       const char        *title)
{
  g_assert (LADLE_IS_REQUESTS_PAGE (self));

  /* A notice at the bottom of the window ("win.toast", where there is one). */
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", title);
}

/* The OAuth 2.0 device code grant (a send or "Get New Token"): the verification page opens in
 * the browser (with the code filled in when the server offers such a link), and the code is
 * shown on the current tab's Access Token row and in a notice. */
static void
on_oauth2_device_code (const LadleOauth2DeviceCode *code,
                       gpointer                     user_data)
{
  LadleRequestsPage *self = user_data;
  LadleRequestTab *tab = ladle_requests_page_get_current_tab (self);
  const char *page = code->verification_uri_complete != NULL ? code->verification_uri_complete
                                                             : code->verification_uri;
  g_autofree char *notice = NULL;
  g_autoptr(GError) error = NULL;

  if (tab != NULL)
    ladle_request_editor_show_device_code (ladle_request_tab_get_editor (tab), code->user_code,
                                           code->verification_uri);
  /* Translators: the OAuth 2.0 device code grant: the first %s is a code like "WDJB-MJHT",
   * the second the page where it is entered */
  notice = g_strdup_printf (_("Enter the code %s at %s"), code->user_code, code->verification_uri);
  toast (self, notice);
  if (!ladle_open_in_browser (page, &error))
    g_message ("Could not open %s in a browser: %s", page, error->message);
}

/* The sidebar: the user's choice is kept; a narrow window hides it (it would cover the tab), and
 * a wide one shows it again only if the user had it open. */
static void
on_flap_reveal_changed (LadleRequestsPage *self)
{
  if (!self->folding)
    self->sidebar_wanted = adw_flap_get_reveal_flap (self->flap);
}

static void
on_flap_folded_changed (LadleRequestsPage *self)
{
  self->folding = TRUE;
  adw_flap_set_reveal_flap (self->flap, !adw_flap_get_folded (self->flap) && self->sidebar_wanted);
  self->folding = FALSE;
}

static LadleRequestTab *
current_tab (LadleRequestsPage *self)
{
  AdwTabPage *page = adw_tab_view_get_selected_page (self->tab_view);

  g_assert (LADLE_IS_REQUESTS_PAGE (self));

  return page != NULL ? LADLE_REQUEST_TAB (adw_tab_page_get_child (page)) : NULL;
}

/* The address bar: Ctrl+L (and Alt+D, F6, as in browsers) from anywhere on the page. */
static gboolean
focus_url_shortcut_cb (GtkWidget *widget,
                       GVariant  *args,
                       gpointer   user_data)
{
  LadleRequestTab *tab = current_tab (LADLE_REQUESTS_PAGE (widget));

  if (tab == NULL || !gtk_widget_get_mapped (widget))
    return FALSE;
  ladle_request_tab_focus_url (tab);
  return TRUE;
}

/* Where the keyboard starts: the address bar of the tab shown, when the page appears (at start,
 * after Ctrl+1) with the focus not already inside it, and when the restored tabs replace the
 * first one. */
static void
focus_url_unless_inside (LadleRequestsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  LadleRequestTab *tab = current_tab (self);

  if (tab == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self)) ||
      !gtk_widget_get_mapped (focus))
    ladle_request_tab_focus_url (tab);
}


/* The page's request.* actions (for its shortcuts) act on the selected tab. */
static void
update_actions (LadleRequestsPage *self)
{
  LadleRequestTab *tab = current_tab (self);
  gboolean busy = tab != NULL && ladle_request_tab_get_busy (tab);

  g_assert (LADLE_IS_REQUESTS_PAGE (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "request.send", tab != NULL && !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "request.cancel", busy);
}

/* History */

static LadleHistory *shared_history;
static LadleSession *shared_session;

static void
history_saved_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!ladle_history_save_finish (LADLE_HISTORY (source), result, &error))
    g_warning ("Could not save the history: %s", error->message);
}

static gboolean
save_history_cb (gpointer data)
{
  LadleRequestsPage *self = data;

  self->history_save_id = 0;
  ladle_history_save_async (self->history, NULL, history_saved_cb, NULL);
  return G_SOURCE_REMOVE;
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
  /* For the row's menu. */
  g_object_set_data (G_OBJECT (box), "ladle-position",
                     GUINT_TO_POINTER (gtk_list_item_get_position (item) + 1));
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
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.export-har",
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
  ladle_requests_page_open_request (self, request);
  if (adw_flap_get_folded (self->flap))
    adw_flap_set_reveal_flap (self->flap, FALSE);
}

/* "Save to Workspace…" of a history row: the request in a tab of its own, then "Save To…". */
static void
save_history_entry (LadleRequestsPage *self,
                    guint              position)
{
  g_autoptr(LadleHistoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->history_filter),
                                                              position);
  g_autoptr(LadleRequest) request = NULL;
  LadleRequestTab *tab;

  if (entry == NULL)
    return;
  request = ladle_request_copy (ladle_history_entry_get_request (entry));
  ladle_requests_page_open_request (self, request);
  tab = current_tab (self);
  if (tab != NULL)
    gtk_widget_activate_action (GTK_WIDGET (tab), "request.save-to", NULL);
}

static void
history_save_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  save_history_entry (LADLE_REQUESTS_PAGE (widget), g_variant_get_uint32 (parameter));
}

static void
on_history_right_click (GtkGestureClick   *gesture,
                        int                n_press,
                        double             x,
                        double             y,
                        LadleRequestsPage *self)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  GtkWidget *picked = gtk_widget_pick (widget, x, y, GTK_PICK_DEFAULT);
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenuItem) item = NULL;
  GtkWidget *popover;
  GdkRectangle rect = { (int) x, (int) y, 1, 1 };
  guint position = 0;

  while (picked != NULL && (position = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (picked),
                                                                            "ladle-position"))) == 0)
    picked = gtk_widget_get_parent (picked);
  if (position == 0)
    return;
  item = g_menu_item_new (_("Save to _Workspace…"), NULL);
  g_menu_item_set_action_and_target_value (item, "history.save-to-workspace",
                                           g_variant_new_uint32 (position - 1));
  g_menu_append_item (menu, item);
  popover = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  gtk_widget_set_parent (popover, widget);
  gtk_popover_set_pointing_to (GTK_POPOVER (popover), &rect);
  gtk_popover_set_has_arrow (GTK_POPOVER (popover), FALSE);
  g_signal_connect (popover, "closed", G_CALLBACK (gtk_widget_unparent), NULL);
  gtk_popover_popup (GTK_POPOVER (popover));
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
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
har_written_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(LadleRequestsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *display = g_file_get_parse_name (G_FILE (source));
  g_autofree char *title = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    title = g_strdup_printf (_("Could not export the history to %s: %s"), display, error->message);
  else
    title = g_strdup_printf (_("History exported to %s"), display);
  toast (self, title);
}

static void
on_har_chooser_response (LadleRequestsPage    *self,
                         int                   response,
                         GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr(LadleHar) har = ladle_har_new ();
      g_autoptr(GBytes) bytes = NULL;
      gsize length = 0;
      char *data;

      ladle_har_add_history (har, self->history);
      data = ladle_har_to_data (har, &length);
      bytes = g_bytes_new_take (data, length);
      /* written beside it and renamed over it: a failed export leaves no half file */
      if (file != NULL)
        g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                             G_FILE_CREATE_REPLACE_DESTINATION, NULL,
                                             har_written_cb, g_object_ref (self));
    }
  g_object_unref (chooser);
}

static void
export_history_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  LadleRequestsPage *self = LADLE_REQUESTS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Export History as HAR"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("HAR Files"));
  gtk_file_filter_add_pattern (filter, "*.har");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "history.har");
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_har_chooser_response), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
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

/* The history is shared by the pages of the process, and loaded once. */
static LadleHistory *
dup_shared_history (LadleRequestsPage *self)
{
  if (shared_history != NULL)
    return g_object_ref (shared_history);

  {
    g_autofree char *dir = ladle_data_dir_dup (APP_ID);

    shared_history = ladle_history_new (dir);
  }
  g_object_add_weak_pointer (G_OBJECT (shared_history), (gpointer *) &shared_history);
  ladle_history_load_async (shared_history, NULL, history_loaded_cb, g_object_ref (self));
  return shared_history;
}

/* Tabs */

/* The open tabs' file is one for the process too: the last page to save them wins. */
static LadleSession *
dup_shared_session (void)
{
  g_autofree char *dir = NULL;

  if (shared_session != NULL)
    return g_object_ref (shared_session);

  dir = ladle_data_dir_dup (APP_ID);
  shared_session = ladle_session_new (dir);
  g_object_add_weak_pointer (G_OBJECT (shared_session), (gpointer *) &shared_session);
  return shared_session;
}

static void
tabs_saved_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!ladle_session_save_tabs_finish (LADLE_SESSION (source), result, &error))
    g_warning ("Could not save the open tabs: %s", error->message);
}

/* The tabs (LadleSessionTab), in order, and the selected one's index. A tab of a workspace's
 * request keeps where it lives, one restored keeps where it lived until it is linked again. */
static GPtrArray *
collect_tabs (LadleRequestsPage *self,
              guint             *selected)
{
  GPtrArray *tabs = g_ptr_array_new_with_free_func ((GDestroyNotify) ladle_session_tab_free);
  AdwTabPage *selected_page = adw_tab_view_get_selected_page (self->tab_view);
  int n = adw_tab_view_get_n_pages (self->tab_view);

  g_assert (LADLE_IS_REQUESTS_PAGE (self));

  *selected = 0;
  for (int i = 0; i < n; i++)
    {
      AdwTabPage *page = adw_tab_view_get_nth_page (self->tab_view, i);
      LadleRequestTab *tab = LADLE_REQUEST_TAB (adw_tab_page_get_child (page));
      LadleSessionTab *saved = ladle_session_tab_new (ladle_request_tab_get_request (tab));
      LadleHttpEntry *entry = ladle_request_tab_get_origin_entry (tab);
      LadleSessionTab *pending = g_hash_table_lookup (self->pending_origins, tab);

      if (page == selected_page)
        *selected = i;
      if (ladle_request_tab_get_origin_path (tab) != NULL && entry != NULL)
        ladle_session_tab_set_origin (saved, ladle_request_tab_get_origin_path (tab), entry->name,
                                      ladle_request_tab_get_origin_index (tab));
      else if (pending != NULL)
        ladle_session_tab_set_origin (saved, pending->origin_file, pending->origin_request,
                                      pending->origin_index);
      g_ptr_array_add (tabs, saved);
    }
  return tabs;
}

static gboolean
save_tabs_cb (gpointer data)
{
  LadleRequestsPage *self = data;
  g_autoptr(GPtrArray) tabs = NULL;
  guint selected;

  self->tabs_save_id = 0;
  /* Until the saved tabs are in, saving would replace them; the load saves once done. */
  if (!self->tabs_loaded)
    return G_SOURCE_REMOVE;

  self->tabs_dirty = FALSE;
  tabs = collect_tabs (self, &selected);
  ladle_session_save_tabs_full_async (self->session, tabs, selected, NULL, tabs_saved_cb, NULL);
  return G_SOURCE_REMOVE;
}

static void
schedule_tabs_save (LadleRequestsPage *self)
{
  g_assert (LADLE_IS_REQUESTS_PAGE (self));

  if (self->disposing)
    return;
  self->tabs_dirty = TRUE;
  g_clear_handle_id (&self->tabs_save_id, g_source_remove);
  self->tabs_save_id = g_timeout_add (TABS_SAVE_DELAY_MS, save_tabs_cb, self);
}

static void
on_tab_changed (LadleRequestsPage *self)
{
  g_assert (LADLE_IS_REQUESTS_PAGE (self));

  self->edited = TRUE;
  schedule_tabs_save (self);
}

static void
on_tab_sent (LadleRequestsPage *self,
             LadleHistoryEntry *entry)
{
  g_assert (LADLE_IS_REQUESTS_PAGE (self));

  if (self->history == NULL)
    return;
  ladle_history_add (self->history, entry);
  /* The new entry is the first row: scrolled into view (GtkListBase's own action; GTK 4.8
   * has no gtk_list_view_scroll_to()). */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->history_filter)) > 0)
    gtk_widget_activate_action (GTK_WIDGET (self->history_list), "list.scroll-to-item", "u", 0);
  if (self->history_save_id == 0)
    self->history_save_id = g_timeout_add (HISTORY_SAVE_DELAY_MS, save_history_cb, self);
}

/* The tab's title, its address as the tooltip, and a spinner while its request runs. */
static void
sync_tab_page (LadleRequestsPage *self,
               GParamSpec        *pspec,
               LadleRequestTab   *tab)
{
  AdwTabPage *page;
  const char *url;
  g_autofree char *tooltip = NULL;

  g_assert (LADLE_IS_REQUESTS_PAGE (self));

  if (!gtk_widget_is_ancestor (GTK_WIDGET (tab), GTK_WIDGET (self->tab_view)))
    return;
  page = adw_tab_view_get_page (self->tab_view, GTK_WIDGET (tab));
  url = ladle_request_get_url (ladle_request_tab_get_request (tab));
  /* A tab's tooltip is markup (its title is not): the URL must be escaped */
  if (url != NULL && *url != '\0')
    tooltip = g_markup_escape_text (url, -1);
  adw_tab_page_set_title (page, ladle_request_tab_get_title (tab));
  adw_tab_page_set_tooltip (page, tooltip);
  adw_tab_page_set_loading (page, ladle_request_tab_get_busy (tab));
  if (tab == current_tab (self))
    update_actions (self);
}

static void
on_tab_title_changed (LadleRequestTab   *tab,
                      GParamSpec        *pspec,
                      LadleRequestsPage *self)
{
  sync_tab_page (self, pspec, tab);
}

static LadleRequestTab *
add_tab (LadleRequestsPage *self,
         LadleRequest      *request,
         gboolean           select)
{
  LadleRequestTab *tab = ladle_request_tab_new (self->client, self->settings, request);
  AdwTabPage *page;

  g_assert (LADLE_IS_REQUESTS_PAGE (self));

  g_signal_connect_object (tab, "changed", G_CALLBACK (on_tab_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (tab, "sent", G_CALLBACK (on_tab_sent), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (tab, "notify::title", G_CALLBACK (on_tab_title_changed), self, 0);
  g_signal_connect_object (tab, "notify::busy", G_CALLBACK (on_tab_title_changed), self, 0);
  ladle_request_tab_set_workspace (tab, self->workspace);
  ladle_request_tab_set_environment (tab, self->environment);
  page = adw_tab_view_append (self->tab_view, GTK_WIDGET (tab));
  sync_tab_page (self, NULL, tab);
  if (select)
    adw_tab_view_set_selected_page (self->tab_view, page);
  return tab;
}

/* Closing a tab stops its request; the last one closed leaves a new empty tab. */
static gboolean
on_close_page (LadleRequestsPage *self,
               AdwTabPage        *page)
{
  LadleRequestTab *tab = LADLE_REQUEST_TAB (adw_tab_page_get_child (page));

  g_assert (LADLE_IS_REQUESTS_PAGE (self));

  g_signal_handlers_disconnect_by_data (tab, self);
  if (self->pending_origins != NULL)
    g_hash_table_remove (self->pending_origins, tab);
  ladle_request_tab_cancel (tab);
  adw_tab_view_close_page_finish (self->tab_view, page, TRUE);

  if (self->disposing)
    return GDK_EVENT_STOP;
  if (adw_tab_view_get_n_pages (self->tab_view) == 0)
    ladle_request_tab_focus_url (add_tab (self, NULL, TRUE));
  schedule_tabs_save (self);
  return GDK_EVENT_STOP;
}

static void
on_selected_page_changed (LadleRequestsPage *self)
{
  g_assert (LADLE_IS_REQUESTS_PAGE (self));

  if (self->disposing)
    return;
  update_actions (self);
  if (adw_tab_view_get_n_pages (self->tab_view) > 0)
    schedule_tabs_save (self);
}

static void
on_tabs_moved (LadleRequestsPage *self)
{
  g_assert (LADLE_IS_REQUESTS_PAGE (self));

  schedule_tabs_save (self);
}

static void relink_restored_tabs (LadleRequestsPage *self);

static void
tabs_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(LadleRequestsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tabs = NULL;
  guint selected = 0;

  tabs = ladle_session_load_tabs_full_finish (LADLE_SESSION (source), result, &selected, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->disposing ||
      gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;

  self->tabs_loaded = TRUE;
  if (error != NULL)
    {
      /* The file was set aside (the user is told where); the page goes on with its tab. */
      g_message ("%s", error->message);
      toast (self, error->message);
    }
  else if (tabs != NULL && tabs->len > 0)
    {
      AdwTabPage *blank = NULL;
      int first = adw_tab_view_get_n_pages (self->tab_view);

      /* The empty tab the page started with gives way, unless the user began on it. */
      if (!self->edited && first == 1)
        {
          blank = adw_tab_view_get_nth_page (self->tab_view, 0);
          if (!ladle_request_tab_is_blank (LADLE_REQUEST_TAB (adw_tab_page_get_child (blank))))
            blank = NULL;
        }

      for (guint i = 0; i < tabs->len; i++)
        {
          LadleSessionTab *saved = g_ptr_array_index (tabs, i);
          LadleRequestTab *tab = add_tab (self, saved->request, FALSE);

          /* Linked to its file again once the workspace is in. */
          if (saved->origin_file != NULL)
            g_hash_table_insert (self->pending_origins, tab, ladle_session_tab_copy (saved));
        }
      if (blank != NULL || !self->edited)
        adw_tab_view_set_selected_page (self->tab_view,
                                        adw_tab_view_get_nth_page (self->tab_view,
                                                                   first + selected));
      if (blank != NULL)
        adw_tab_view_close_page (self->tab_view, blank);
      focus_url_unless_inside (self);
      self->tabs_dirty = FALSE;
      g_clear_handle_id (&self->tabs_save_id, g_source_remove);
    }

  if (self->tabs_dirty)
    schedule_tabs_save (self);
  relink_restored_tabs (self);
}

/* Workspace */

static LadleRequestTab *
tab_at (LadleRequestsPage *self,
        int                i)
{
  return LADLE_REQUEST_TAB (adw_tab_page_get_child (adw_tab_view_get_nth_page (self->tab_view, i)));
}

static void
on_workspace_file_changed (LadleRequestsPage *self,
                           const char        *path)
{
  for (int i = 0; i < adw_tab_view_get_n_pages (self->tab_view); i++)
    {
      LadleRequestTab *tab = tab_at (self, i);

      if (g_strcmp0 (ladle_request_tab_get_origin_path (tab), path) == 0)
        ladle_request_tab_file_changed (tab);
    }
}

/* The environments of the workspace's folder, for the switcher. */
static void
reload_environments (LadleRequestsPage *self)
{
  g_autoptr(LadleHttpEnvironments) environments = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->environments));

  if (self->workspace != NULL)
    {
      environments = ladle_http_environments_load (ladle_workspace_get_folder (self->workspace),
                                                   &error);
      if (environments == NULL)
        toast (self, error->message);
      else
        names = ladle_http_environments_dup_names (environments);
    }
  self->reloading_environments = TRUE;
  gtk_string_list_splice (self->environments, 1, n - 1, (const char * const *) names);
  self->reloading_environments = FALSE;
  /* The tabs read the values again. */
  for (int i = 0; i < adw_tab_view_get_n_pages (self->tab_view); i++)
    ladle_request_tab_set_environment (tab_at (self, i), self->environment);
}

static void
on_env_file_changed (LadleRequestsPage *self,
                     GFile             *file,
                     GFile             *other,
                     GFileMonitorEvent  event)
{
  if (event == G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT || event == G_FILE_MONITOR_EVENT_DELETED ||
      event == G_FILE_MONITOR_EVENT_CREATED || event == G_FILE_MONITOR_EVENT_RENAMED ||
      event == G_FILE_MONITOR_EVENT_MOVED_IN)
    reload_environments (self);
}

static void
watch_environments (LadleRequestsPage *self)
{
  static const char *names[] = { "http-client.env.json", "http-client.private.env.json" };

  for (guint i = 0; i < G_N_ELEMENTS (self->env_monitors); i++)
    {
      if (self->env_monitors[i] != NULL)
        {
          g_signal_handlers_disconnect_by_data (self->env_monitors[i], self);
          g_file_monitor_cancel (self->env_monitors[i]);
          g_clear_object (&self->env_monitors[i]);
        }
      if (self->workspace != NULL)
        {
          g_autofree char *path = g_build_filename (ladle_workspace_get_folder (self->workspace),
                                                    names[i], NULL);
          g_autoptr(GFile) file = g_file_new_for_path (path);

          self->env_monitors[i] = g_file_monitor_file (file, G_FILE_MONITOR_WATCH_MOVES, NULL,
                                                       NULL);
          if (self->env_monitors[i] != NULL)
            g_signal_connect_object (self->env_monitors[i], "changed",
                                     G_CALLBACK (on_env_file_changed), self, G_CONNECT_SWAPPED);
        }
    }
  reload_environments (self);
}

/* Cookies */

/* Whose jar the Cookies window shows. */
static char *
cookie_jar_owner (LadleRequestsPage *self)
{
  g_autofree char *name = NULL;

  if (self->workspace == NULL)
    return g_strdup (_("No workspace open: the session’s cookies"));
  name = g_path_get_basename (ladle_workspace_get_folder (self->workspace));
  /* Translators: %s is a workspace's folder name */
  return g_strdup_printf (_("Cookies of the workspace “%s”"), name);
}

typedef struct
{
  LadleRequestsPage *page;
  char              *message;
} LateToast;

static gboolean
late_toast_cb (gpointer data)
{
  LateToast *late = data;

  if (!late->page->disposing)
    toast (late->page, late->message);
  g_object_unref (late->page);
  g_free (late->message);
  g_free (late);
  return G_SOURCE_REMOVE;
}

/* The Cookies window's notice of what is wrong with the jar's file. */
static void
show_cookie_store_problem (LadleRequestsPage *self)
{
  GtkWidget *view = g_object_get_data (G_OBJECT (self), "ladle-cookies-view");

  if (view != NULL && self->cookie_store != NULL)
    ladle_cookies_view_set_problem (LADLE_COOKIES_VIEW (view),
                                    ladle_cookie_store_get_problem (self->cookie_store));
}

/* A jar that did not read whole, or a save that failed: logged whole, shown whole in the Cookies
 * window, and announced by a toast (too narrow for the paths), once the page is in its window (a
 * jar is loaded while the page is being made). */
static void
on_cookie_store_problem (LadleRequestsPage *self,
                         const char        *message)
{
  const char *notice = _("The cookie jar needs attention: Cookies… (Ctrl+Shift+K) says why");

  g_message ("%s", message);
  show_cookie_store_problem (self);
  if (gtk_widget_get_root (GTK_WIDGET (self)) == NULL)
    {
      LateToast *late = g_new0 (LateToast, 1);

      late->page = g_object_ref (self);
      late->message = g_strdup (notice);
      g_idle_add (late_toast_cb, late);
      return;
    }
  toast (self, notice);
}

/* Requests use the jar of the workspace open (kept in the data folder), or the session's when
 * none is: the page switches the client's jar, and the Cookies window's, with the workspace. */
static void
update_cookie_store (LadleRequestsPage *self)
{
  g_autofree char *dir = ladle_data_dir_dup (APP_ID);
  g_autofree char *path = NULL;
  g_autofree char *owner = NULL;
  GtkWidget *view;

  if (self->disposing)
    return;
  path = self->workspace != NULL
         ? ladle_cookie_store_dup_workspace_path (dir, ladle_workspace_get_folder (self->workspace))
         : ladle_cookie_store_dup_session_path (dir);
  if (self->cookie_store != NULL &&
      g_strcmp0 (ladle_cookie_store_get_path (self->cookie_store), path) == 0)
    return;

  if (self->cookie_store != NULL)
    g_signal_handlers_disconnect_by_data (self->cookie_store, self);
  /* The previous store writes what it holds when its last user lets it go */
  g_clear_object (&self->cookie_store);
  self->cookie_store = ladle_cookie_store_dup_shared (path);
  g_signal_connect_object (self->cookie_store, "problem", G_CALLBACK (on_cookie_store_problem),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->cookie_store, "notify::problem",
                           G_CALLBACK (show_cookie_store_problem), self, G_CONNECT_SWAPPED);
  ladle_cookie_store_load_async (self->cookie_store);
  ladle_http_client_set_cookie_jar (self->client, ladle_cookie_store_get_jar (self->cookie_store));

  view = g_object_get_data (G_OBJECT (self), "ladle-cookies-view");
  owner = cookie_jar_owner (self);
  if (view != NULL)
    ladle_cookies_view_set_jar (LADLE_COOKIES_VIEW (view),
                                ladle_cookie_store_get_jar (self->cookie_store), owner);
  show_cookie_store_problem (self);
}

/* The open tabs, written now if a save is pending: blocking but safe (a temporary file renamed
 * over the old one); they are a few small requests. */
static void
save_tabs_now (LadleRequestsPage *self)
{
  g_clear_handle_id (&self->tabs_save_id, g_source_remove);
  if (self->tabs_dirty && (self->tabs_loaded || self->edited) && self->tab_view != NULL &&
      adw_tab_view_get_n_pages (self->tab_view) > 0)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) tabs = NULL;
      guint selected;

      self->tabs_dirty = FALSE;
      tabs = collect_tabs (self, &selected);
      if (!ladle_session_save_tabs_full (self->session, tabs, selected, &error))
        g_warning ("Could not save the open tabs: %s", error->message);
    }
}

/* Ctrl+Q ends the application without destroying its windows (GTK 4.8 does not), so no page is
 * disposed: the jar and the open tabs are written at the application's shutdown too. */
static void
flush_cookie_store (LadleRequestsPage *self)
{
  g_autoptr(GError) error = NULL;

  if (self->cookie_store != NULL && !ladle_cookie_store_flush (self->cookie_store, &error))
    g_message ("%s", error->message);
  if (self->history != NULL && !self->disposing)
    save_tabs_now (self);
}

static void
on_workspace_changed (LadleRequestsPage *self)
{
  LadleWorkspace *workspace = ladle_workspace_sidebar_get_workspace (self->workspace_sidebar);

  if (self->workspace == workspace)
    return;
  if (self->workspace != NULL)
    g_signal_handlers_disconnect_by_data (self->workspace, self);
  g_set_object (&self->workspace, workspace);
  if (workspace != NULL)
    {
      g_signal_connect_object (workspace, "file-changed", G_CALLBACK (on_workspace_file_changed),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (workspace, "notify::loading", G_CALLBACK (relink_restored_tabs),
                               self, G_CONNECT_SWAPPED);
    }
  for (int i = 0; i < adw_tab_view_get_n_pages (self->tab_view); i++)
    ladle_request_tab_set_workspace (tab_at (self, i), workspace);
  watch_environments (self);
  relink_restored_tabs (self);
  update_cookie_store (self);
}

static gboolean
same_name (const char *a,
           const char *b)
{
  if (a != NULL && a[0] == '\0')
    a = NULL;
  if (b != NULL && b[0] == '\0')
    b = NULL;
  return g_strcmp0 (a, b) == 0;
}

/* The workspace's request a restored tab was: by its name (the one at its index first, names may
 * repeat), an unnamed one only at its index. */
static LadleWorkspaceNode *
find_restored_request (LadleWorkspace        *workspace,
                       const LadleSessionTab *saved)
{
  LadleWorkspaceNode *file_node = ladle_workspace_find_file (workspace, saved->origin_file);
  LadleHttpFile *file = file_node != NULL ? ladle_workspace_node_get_file (file_node) : NULL;
  GPtrArray *entries;

  if (file == NULL)
    return NULL;
  entries = ladle_http_file_get_entries (file);
  if (saved->origin_index < entries->len &&
      same_name (((LadleHttpEntry *) g_ptr_array_index (entries, saved->origin_index))->name,
                 saved->origin_request))
    return ladle_workspace_find_request (workspace, saved->origin_file, saved->origin_index);
  if (saved->origin_request == NULL || saved->origin_request[0] == '\0')
    return NULL;
  for (guint i = 0; i < entries->len; i++)
    if (same_name (((LadleHttpEntry *) g_ptr_array_index (entries, i))->name,
                   saved->origin_request))
      return ladle_workspace_find_request (workspace, saved->origin_file, i);
  return NULL;
}

/* Once both the saved tabs and the workspace are in, the restored tabs of its requests are linked
 * to them again, with their edits; the others stay as new requests (nothing of them is lost), the
 * user told. */
static void
relink_restored_tabs (LadleRequestsPage *self)
{
  GHashTableIter iter;
  gpointer key;
  gpointer value;
  guint lost = 0;

  if (!self->tabs_loaded || self->disposing || g_hash_table_size (self->pending_origins) == 0 ||
      (self->workspace != NULL && ladle_workspace_get_loading (self->workspace)))
    return;

  g_hash_table_iter_init (&iter, self->pending_origins);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      LadleWorkspaceNode *node = NULL;

      if (self->workspace != NULL)
        node = find_restored_request (self->workspace, value);
      if (node != NULL)
        ladle_request_tab_link_entry (key, self->workspace, node);
      else
        lost++;
      g_hash_table_iter_remove (&iter);
    }
  if (lost > 0)
    {
      g_autofree char *text = NULL;

      text = g_strdup_printf (ngettext ("%u restored tab is no longer linked to a workspace file",
                                        "%u restored tabs are no longer linked to workspace files",
                                        lost), lost);
      toast (self, text);
      /* Said once: the next start does not look for them again. */
      schedule_tabs_save (self);
    }
}

/* A request of the workspace opens in its tab if it has one, else in the empty tab or a new
 * one. */
static void
on_open_workspace_request (LadleRequestsPage  *self,
                           LadleWorkspaceNode *node)
{
  LadleRequestTab *tab = NULL;
  AdwTabPage *page;

  if (self->workspace == NULL)
    return;
  for (int i = 0; i < adw_tab_view_get_n_pages (self->tab_view); i++)
    {
      LadleRequestTab *candidate = tab_at (self, i);
      LadleHttpEntry *entry = ladle_request_tab_get_origin_entry (candidate);

      if (entry != NULL &&
          g_strcmp0 (ladle_request_tab_get_origin_path (candidate),
                     ladle_workspace_node_get_path (node)) == 0 &&
          entry == ladle_workspace_node_get_entry (node))
        {
          tab = candidate;
          break;
        }
    }
  if (tab == NULL)
    {
      tab = current_tab (self);
      if (tab == NULL || !ladle_request_tab_is_blank (tab) ||
          ladle_request_tab_get_origin_path (tab) != NULL)
        tab = add_tab (self, NULL, TRUE);
      ladle_request_tab_open_entry (tab, self->workspace, node);
      on_tab_changed (self);
    }
  page = adw_tab_view_get_page (self->tab_view, GTK_WIDGET (tab));
  adw_tab_view_set_selected_page (self->tab_view, page);
  if (adw_flap_get_folded (self->flap))
    adw_flap_set_reveal_flap (self->flap, FALSE);
}

static void
on_run_workspace_node (LadleRequestsPage  *self,
                       LadleWorkspaceNode *node)
{
  ladle_requests_page_run (self, node);
}

static void
on_edit_environments (LadleRequestsPage *self)
{
  ladle_requests_page_edit_environments (self);
}

static void
cookies_view_destroyed (LadleRequestsPage *self)
{
  g_object_set_data (G_OBJECT (self), "ladle-cookies-view", NULL);
}

/* Ctrl+Shift+K: the Cookies window of the jar every tab's requests share (one window, raised
 * when already open). */
static void
show_cookies_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  LadleRequestsPage *self = LADLE_REQUESTS_PAGE (widget);
  GtkWindow *view = g_object_get_data (G_OBJECT (self), "ladle-cookies-view");

  if (view == NULL)
    {
      g_autofree char *owner = cookie_jar_owner (self);

      view = GTK_WINDOW (ladle_cookies_view_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                                 ladle_http_client_get_cookie_jar (self->client)));
      ladle_cookies_view_set_jar (LADLE_COOKIES_VIEW (view),
                                  ladle_http_client_get_cookie_jar (self->client), owner);
      if (self->cookie_store != NULL)
        ladle_cookies_view_set_problem (LADLE_COOKIES_VIEW (view),
                                        ladle_cookie_store_get_problem (self->cookie_store));
      gtk_window_set_destroy_with_parent (view, TRUE);
      g_object_set_data (G_OBJECT (self), "ladle-cookies-view", view);
      g_signal_connect_object (view, "destroy", G_CALLBACK (cookies_view_destroyed), self,
                               G_CONNECT_SWAPPED);
    }
  gtk_window_present (view);
}

static void
open_workspace_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  LadleRequestsPage *self = LADLE_REQUESTS_PAGE (widget);

  adw_flap_set_reveal_flap (self->flap, TRUE);
  adw_view_stack_set_visible_child_name (self->sidebar_stack, "workspace");
  ladle_workspace_sidebar_choose_folder (self->workspace_sidebar, FALSE);
}

/* F9: runs the file of the selected tab's request. */
static void
run_file_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  LadleRequestsPage *self = LADLE_REQUESTS_PAGE (widget);
  LadleRequestTab *tab = current_tab (self);
  const char *path = tab != NULL ? ladle_request_tab_get_origin_path (tab) : NULL;
  LadleWorkspaceNode *file_node = NULL;

  if (self->workspace != NULL && path != NULL)
    file_node = ladle_workspace_find_file (self->workspace, path);
  if (file_node == NULL)
    {
      toast (self, _("Open a request of a workspace file to run its file"));
      return;
    }
  ladle_requests_page_run (self, file_node);
}

/* Actions */

static void
forward_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LadleRequestTab *tab = current_tab (LADLE_REQUESTS_PAGE (widget));

  if (tab != NULL)
    gtk_widget_activate_action_variant (GTK_WIDGET (tab), action_name, parameter);
}

/* Ctrl+Enter anywhere in the page, taken in the capture phase so that a text editor (the body's
 * GtkSourceView) does not make a line break of it first. While a send runs it does nothing. */
static gboolean
send_shortcut_cb (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  LadleRequestTab *tab = current_tab (LADLE_REQUESTS_PAGE (widget));

  if (tab != NULL && !ladle_request_tab_get_busy (tab))
    gtk_widget_activate_action (GTK_WIDGET (tab), "request.send", NULL);
  return TRUE;
}

/* Escape and Ctrl+Enter with the focus nowhere in particular: only while the page is shown (the
 * other benches keep their keys), and Escape only while a send runs. */
static gboolean
managed_shortcut_cb (GtkWidget *widget,
                     GVariant  *args,
                     gpointer   user_data)
{
  LadleRequestTab *tab = current_tab (LADLE_REQUESTS_PAGE (widget));
  gboolean cancel = GPOINTER_TO_INT (user_data);

  if (tab == NULL || !gtk_widget_get_mapped (widget) ||
      ladle_request_tab_get_busy (tab) != cancel)
    return FALSE;
  gtk_widget_activate_action (GTK_WIDGET (tab), cancel ? "request.cancel" : "request.send", NULL);
  return TRUE;
}

static void
add_bench_shortcuts (LadleRequestsPage *self)
{
  GtkEventController *capture = gtk_shortcut_controller_new ();
  GtkEventController *managed = gtk_shortcut_controller_new ();
  const guint enter_keys[] = { GDK_KEY_Return, GDK_KEY_KP_Enter, GDK_KEY_ISO_Enter };

  gtk_event_controller_set_propagation_phase (capture, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (enter_keys); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (capture),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (enter_keys[i],
                                                                                    GDK_CONTROL_MASK),
                                                            gtk_callback_action_new (send_shortcut_cb,
                                                                                     NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), capture);

  /* The same keys when the focus is on the window itself (after a bench switch, say). */
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (managed),
                                     GTK_SHORTCUT_SCOPE_MANAGED);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (managed),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_callback_action_new (managed_shortcut_cb,
                                                                                   GINT_TO_POINTER (TRUE),
                                                                                   NULL)));
  for (guint i = 0; i < G_N_ELEMENTS (enter_keys); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (managed),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (enter_keys[i],
                                                                                    GDK_CONTROL_MASK),
                                                            gtk_callback_action_new (managed_shortcut_cb,
                                                                                     GINT_TO_POINTER (FALSE),
                                                                                     NULL)));
  {
    const struct { guint key; GdkModifierType mods; } focus_keys[] = {
      { GDK_KEY_l, GDK_CONTROL_MASK }, { GDK_KEY_d, GDK_ALT_MASK }, { GDK_KEY_F6, 0 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (focus_keys); i++)
      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (managed),
                                            gtk_shortcut_new (gtk_keyval_trigger_new (focus_keys[i].key,
                                                                                      focus_keys[i].mods),
                                                              gtk_callback_action_new (focus_url_shortcut_cb,
                                                                                       NULL, NULL)));
  }
  gtk_widget_add_controller (GTK_WIDGET (self), managed);
}

static void
new_tab_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LadleRequestsPage *self = LADLE_REQUESTS_PAGE (widget);

  ladle_request_tab_focus_url (add_tab (self, NULL, TRUE));
  schedule_tabs_save (self);
}

static void
close_tab_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  LadleRequestsPage *self = LADLE_REQUESTS_PAGE (widget);
  AdwTabPage *page = adw_tab_view_get_selected_page (self->tab_view);

  if (page != NULL)
    adw_tab_view_close_page (self->tab_view, page);
}

/* The workspace open last time, if its folder is still there. */
static void
open_remembered_workspace (LadleRequestsPage *self)
{
  g_autofree char *folder = g_settings_get_string (self->settings, "workspace");
  LadleWorkspace *current = ladle_workspace_sidebar_get_workspace (self->workspace_sidebar);

  ladle_workspace_sidebar_set_settings (self->workspace_sidebar, self->settings);
  {
    g_autofree char *environment = g_settings_get_string (self->settings, "workspace-environment");

    ladle_requests_page_set_environment (self, environment);
  }
  if (folder[0] == '\0' || !g_file_test (folder, G_FILE_TEST_IS_DIR))
    return;
  if (current != NULL && g_strcmp0 (ladle_workspace_get_folder (current), folder) == 0)
    return;
  ladle_workspace_sidebar_open (self->workspace_sidebar, folder);
}

static void
ladle_requests_page_dispose (GObject *object)
{
  LadleRequestsPage *self = LADLE_REQUESTS_PAGE (object);

  self->disposing = TRUE;
  g_cancellable_cancel (self->load_cancellable);
  if (self->history != NULL)
    {
      /* The history may be large: its pending save goes on in the background. The tabs are a
       * few small requests: they are written here, blocking but safely (a temporary file
       * renamed over the old one), so that quitting keeps them. */
      if (self->history_save_id != 0)
        {
          g_clear_handle_id (&self->history_save_id, g_source_remove);
          ladle_history_save_async (self->history, NULL, history_saved_cb, NULL);
        }
      save_tabs_now (self);
    }

  gtk_widget_dispose_template (GTK_WIDGET (object), LADLE_TYPE_REQUESTS_PAGE);

  g_clear_object (&self->load_cancellable);
  if (self->workspace != NULL)
    g_signal_handlers_disconnect_by_data (self->workspace, self);
  g_clear_object (&self->workspace);
  for (guint i = 0; i < G_N_ELEMENTS (self->env_monitors); i++)
    if (self->env_monitors[i] != NULL)
      {
        g_signal_handlers_disconnect_by_data (self->env_monitors[i], self);
        g_file_monitor_cancel (self->env_monitors[i]);
        g_clear_object (&self->env_monitors[i]);
      }
  g_clear_object (&self->environments);
  if (self->env_editor != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->env_editor), (gpointer *) &self->env_editor);
      gtk_window_destroy (GTK_WINDOW (self->env_editor));
      self->env_editor = NULL;
    }
  if (self->runner_view != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->runner_view), (gpointer *) &self->runner_view);
      self->runner_view = NULL;
    }
  g_clear_pointer (&self->environment, g_free);
  g_clear_pointer (&self->pending_origins, g_hash_table_unref);
  g_clear_object (&self->history_filter);
  g_clear_object (&self->history_search_filter);
  g_clear_object (&self->history);
  g_clear_object (&self->session);
  if (self->client != NULL)
    ladle_oauth2_client_set_device_func (ladle_http_client_get_oauth2_client (self->client),
                                         NULL, NULL, NULL);
  g_clear_object (&self->client);
  g_clear_object (&self->settings);
  if (self->cookie_store != NULL)
    {
      g_autoptr(GError) error = NULL;

      /* Quitting: the jar's last changes are written now (a small file, blocking) */
      g_signal_handlers_disconnect_by_data (self->cookie_store, self);
      if (!ladle_cookie_store_flush (self->cookie_store, &error))
        g_message ("%s", error->message);
      g_clear_object (&self->cookie_store);
    }

  G_OBJECT_CLASS (ladle_requests_page_parent_class)->dispose (object);
}

static void
ladle_requests_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  LadleRequestsPage *self = LADLE_REQUESTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_ENVIRONMENT:
      g_value_set_string (value, self->environment);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_requests_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  LadleRequestsPage *self = LADLE_REQUESTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_ENVIRONMENT:
      ladle_requests_page_set_environment (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_requests_page_class_init (LadleRequestsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ladle_requests_page_dispose;
  object_class->get_property = ladle_requests_page_get_property;
  object_class->set_property = ladle_requests_page_set_property;

  /* The workspace environment requests are sent with (nullable: none). */
  properties[PROP_ENVIRONMENT] =
    g_param_spec_string ("environment", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ladle/Ladle/ladle-requests-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LadleRequestsPage, flap);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestsPage, history_list);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestsPage, history_search);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestsPage, history_stack);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestsPage, tab_bar);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestsPage, tab_view);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestsPage, workspace_sidebar);
  gtk_widget_class_bind_template_child (widget_class, LadleRequestsPage, sidebar_stack);
  gtk_widget_class_bind_template_callback (widget_class, on_open_workspace_request);
  gtk_widget_class_bind_template_callback (widget_class, on_run_workspace_node);
  gtk_widget_class_bind_template_callback (widget_class, on_edit_environments);
  gtk_widget_class_bind_template_callback (widget_class, on_workspace_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_close_page);
  gtk_widget_class_bind_template_callback (widget_class, on_history_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_history_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_selected_page_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_tabs_moved);

  /* The selected tab's own actions, for the shortcuts wherever the focus is in the page. */
  gtk_widget_class_install_action (widget_class, "request.send", NULL, forward_action);
  gtk_widget_class_install_action (widget_class, "request.cancel", NULL, forward_action);
  gtk_widget_class_install_action (widget_class, "request.set-method", "s", forward_action);
  gtk_widget_class_install_action (widget_class, "request.copy-curl", NULL, forward_action);
  gtk_widget_class_install_action (widget_class, "request.copy-http", NULL, forward_action);
  gtk_widget_class_install_action (widget_class, "request.find", NULL, forward_action);
  gtk_widget_class_install_action (widget_class, "request.save", NULL, forward_action);
  gtk_widget_class_install_action (widget_class, "request.save-to", NULL, forward_action);
  gtk_widget_class_install_action (widget_class, "workspace.open-folder", NULL,
                                   open_workspace_action);
  gtk_widget_class_install_action (widget_class, "workspace.run-file", NULL, run_file_action);
  gtk_widget_class_install_action (widget_class, "cookies.show", NULL, show_cookies_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_K, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "cookies.show", NULL);
  gtk_widget_class_install_action (widget_class, "tabs.new", NULL, new_tab_action);
  gtk_widget_class_install_action (widget_class, "tabs.close", NULL, close_tab_action);
  gtk_widget_class_install_action (widget_class, "history.clear", NULL, clear_history_action);
  gtk_widget_class_install_action (widget_class, "history.export-har", NULL,
                                   export_history_action);
  gtk_widget_class_install_action (widget_class, "history.save-to-workspace", "u",
                                   history_save_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "request.send", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "request.send", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "request.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "request.find", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK,
                                       "tabs.new", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "tabs.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "request.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_O, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "workspace.open-folder", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "workspace.run-file", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_R, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "workspace.run-file", NULL);

  g_type_ensure (LADLE_TYPE_REQUEST_TAB);
  g_type_ensure (LADLE_TYPE_WORKSPACE_SIDEBAR);
}

static void
ladle_requests_page_init (LadleRequestsPage *self)
{
  self->pending_origins = g_hash_table_new_full (NULL, NULL, NULL,
                                                 (GDestroyNotify) ladle_session_tab_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  add_bench_shortcuts (self);
  g_signal_connect (self, "map", G_CALLBACK (focus_url_unless_inside), NULL);
  adw_flap_set_locked (self->flap, TRUE);
  g_signal_connect_object (self->flap, "notify::reveal-flap",
                           G_CALLBACK (on_flap_reveal_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flap, "notify::folded",
                           G_CALLBACK (on_flap_folded_changed), self, G_CONNECT_SWAPPED);

  /* Ctrl+Home/End belong to the text editors. */
  adw_tab_view_remove_shortcuts (self->tab_view,
                                 ADW_TAB_VIEW_SHORTCUT_CONTROL_HOME |
                                 ADW_TAB_VIEW_SHORTCUT_CONTROL_END |
                                 ADW_TAB_VIEW_SHORTCUT_CONTROL_SHIFT_HOME |
                                 ADW_TAB_VIEW_SHORTCUT_CONTROL_SHIFT_END);

  self->client = ladle_http_client_new ();
  ladle_oauth2_client_set_device_func (ladle_http_client_get_oauth2_client (self->client),
                                       on_oauth2_device_code, self, NULL);
  self->settings = g_settings_new (APP_ID);
  self->environments = gtk_string_list_new (NULL);
  gtk_string_list_append (self->environments, _("No environment"));
  open_remembered_workspace (self);
  update_cookie_store (self);
  if (g_application_get_default () != NULL)
    g_signal_connect_object (g_application_get_default (), "shutdown",
                             G_CALLBACK (flush_cookie_store), self, G_CONNECT_SWAPPED);

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
    {
      GtkGesture *click = gtk_gesture_click_new ();

      gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
      g_signal_connect (click, "pressed", G_CALLBACK (on_history_right_click), self);
      gtk_widget_add_controller (GTK_WIDGET (self->history_list), GTK_EVENT_CONTROLLER (click));
    }
    update_history_stack (self);
  }

  /* One empty tab at once; the tabs open last time replace it once read, unless the user has
   * started on it by then. */
  add_tab (self, NULL, TRUE);
  update_actions (self);
  self->edited = FALSE;
  self->tabs_dirty = FALSE;
  self->load_cancellable = g_cancellable_new ();
  self->session = dup_shared_session ();
  ladle_session_load_tabs_async (self->session, self->load_cancellable, tabs_loaded_cb,
                                 g_object_ref (self));
}

/**
 * ladle_requests_page_get_request:
 *
 * Returns: (transfer none): the request of the selected tab
 */
LadleRequest *
ladle_requests_page_get_request (LadleRequestsPage *self)
{
  g_return_val_if_fail (LADLE_IS_REQUESTS_PAGE (self), NULL);
  return ladle_request_tab_get_request (current_tab (self));
}

/* The selected tab edits @request from now on. */
void
ladle_requests_page_set_request (LadleRequestsPage *self,
                                 LadleRequest      *request)
{
  g_return_if_fail (LADLE_IS_REQUESTS_PAGE (self));
  g_return_if_fail (LADLE_IS_REQUEST (request));

  ladle_request_tab_set_request (current_tab (self), request);
  on_tab_changed (self);
}

/* Opens @request in a new tab, selected, or in the selected tab when that one is still empty. */
void
ladle_requests_page_open_request (LadleRequestsPage *self,
                                  LadleRequest      *request)
{
  LadleRequestTab *tab;

  g_return_if_fail (LADLE_IS_REQUESTS_PAGE (self));
  g_return_if_fail (LADLE_IS_REQUEST (request));

  tab = current_tab (self);
  if (tab != NULL && ladle_request_tab_is_blank (tab))
    ladle_request_tab_set_request (tab, request);
  else
    tab = add_tab (self, request, TRUE);
  ladle_request_tab_focus_url (tab);
  on_tab_changed (self);
}

/* Whether the selected tab's request is running. */
gboolean
ladle_requests_page_get_busy (LadleRequestsPage *self)
{
  LadleRequestTab *tab;

  g_return_val_if_fail (LADLE_IS_REQUESTS_PAGE (self), FALSE);

  tab = current_tab (self);
  return tab != NULL && ladle_request_tab_get_busy (tab);
}

/**
 * ladle_requests_page_get_current_tab:
 *
 * Returns: (transfer none): the selected tab
 */
LadleRequestTab *
ladle_requests_page_get_current_tab (LadleRequestsPage *self)
{
  g_return_val_if_fail (LADLE_IS_REQUESTS_PAGE (self), NULL);
  return current_tab (self);
}

/**
 * ladle_requests_page_get_tab_view:
 *
 * Returns: (transfer none): the view holding the tabs (LadleRequestTab children)
 */
AdwTabView *
ladle_requests_page_get_tab_view (LadleRequestsPage *self)
{
  g_return_val_if_fail (LADLE_IS_REQUESTS_PAGE (self), NULL);
  return self->tab_view;
}

/* Uses @settings (the window's) for the default timeouts instead of the page's own. */
void
ladle_requests_page_set_settings (LadleRequestsPage *self,
                                  GSettings         *settings)
{
  g_return_if_fail (LADLE_IS_REQUESTS_PAGE (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  if (!g_set_object (&self->settings, settings))
    return;
  open_remembered_workspace (self);
  g_settings_bind (self->settings, "history-size", self->history, "max-size",
                   G_SETTINGS_BIND_GET);
  for (int i = 0; i < adw_tab_view_get_n_pages (self->tab_view); i++)
    {
      AdwTabPage *page = adw_tab_view_get_nth_page (self->tab_view, i);

      ladle_request_tab_set_settings (LADLE_REQUEST_TAB (adw_tab_page_get_child (page)),
                                      settings);
    }
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

/**
 * ladle_requests_page_get_workspace_sidebar:
 *
 * Returns: (transfer none): the sidebar's workspace tree
 */
LadleWorkspaceSidebar *
ladle_requests_page_get_workspace_sidebar (LadleRequestsPage *self)
{
  g_return_val_if_fail (LADLE_IS_REQUESTS_PAGE (self), NULL);
  return self->workspace_sidebar;
}

/* The files of @node's subtree in the order the sidebar shows them. */
static void
collect_files (LadleWorkspaceNode *node,
               GPtrArray          *files,
               guint               depth)
{
  GListModel *children = ladle_workspace_node_get_children (node);

  if (ladle_workspace_node_get_kind (node) == LADLE_WORKSPACE_NODE_FILE)
    {
      if (ladle_workspace_node_get_file (node) != NULL)
        g_ptr_array_add (files, ladle_http_file_ref (ladle_workspace_node_get_file (node)));
      return;
    }
  if (children == NULL || depth > LADLE_WORKSPACE_MAX_DEPTH + 1)
    return;
  for (guint i = 0; i < g_list_model_get_n_items (children); i++)
    {
      g_autoptr(LadleWorkspaceNode) child = g_list_model_get_item (children, i);

      collect_files (child, files, depth + 1);
    }
}

/* A request of the run was activated: it opens in a tab, if it is still in its file. */
static void
on_open_run_item (LadleRequestsPage *self,
                  LadleRunItem      *item)
{
  LadleHttpFile *file = ladle_run_item_get_file (item);
  LadleHttpEntry *entry = ladle_run_item_get_entry (item);
  const char *path = ladle_http_file_get_path (file);
  LadleWorkspaceNode *file_node;
  LadleHttpFile *current;
  GPtrArray *entries;

  if (self->workspace == NULL || path == NULL ||
      (file_node = ladle_workspace_find_file (self->workspace, path)) == NULL ||
      (current = ladle_workspace_node_get_file (file_node)) == NULL)
    return;
  entries = ladle_http_file_get_entries (current);
  for (guint i = 0; i < entries->len; i++)
    {
      LadleHttpEntry *candidate = g_ptr_array_index (entries, i);

      if (candidate == entry ||
          (entry->name != NULL && g_strcmp0 (candidate->name, entry->name) == 0) ||
          (entry->name == NULL && candidate->request_line == entry->request_line))
        {
          LadleWorkspaceNode *node = ladle_workspace_find_request (self->workspace, path, i);

          if (node != NULL)
            {
              GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

              on_open_workspace_request (self, node);
              if (GTK_IS_WINDOW (root))
                gtk_window_present (GTK_WINDOW (root));
            }
          return;
        }
    }
}

/* Runs @node (a folder, file or request of the workspace) and shows the results. */
void
ladle_requests_page_run (LadleRequestsPage  *self,
                         LadleWorkspaceNode *node)
{
  g_autoptr(LadleHttpRunner) runner = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) ladle_http_file_unref);
  g_autoptr(GError) error = NULL;
  GtkRoot *root;
  LadleRunnerView *view;

  g_return_if_fail (LADLE_IS_REQUESTS_PAGE (self));
  g_return_if_fail (LADLE_IS_WORKSPACE_NODE (node));

  if (self->workspace == NULL)
    return;
  runner = ladle_http_runner_new (self->client, ladle_workspace_get_folder (self->workspace),
                                  self->environment);
  if (ladle_workspace_node_get_kind (node) == LADLE_WORKSPACE_NODE_REQUEST)
    {
      LadleHttpEntry *entry = ladle_workspace_node_get_entry (node);
      LadleHttpFile *file = ladle_workspace_node_get_file (node);

      if (entry == NULL || file == NULL)
        return;
      if (entry->name != NULL && entry->name[0] != '\0' &&
          ladle_http_file_find_entry (file, entry->name) == entry)
        {
          if (!ladle_http_runner_add_file (runner, file, entry->name, &error))
            {
              toast (self, error->message);
              return;
            }
        }
      else
        {
          /* A request without a (unique) name: a file of its own, beside the real one. */
          g_autoptr(GPtrArray) entries = g_ptr_array_new ();
          g_autoptr(LadleHttpFile) alone = NULL;

          g_ptr_array_add (entries, entry);
          alone = ladle_http_file_new_from_entries (ladle_http_file_get_path (file),
                                                    ladle_http_file_get_variables (file),
                                                    entries, NULL);
          if (!ladle_http_runner_add_file (runner, alone, NULL, &error))
            {
              toast (self, error->message);
              return;
            }
        }
    }
  else
    {
      collect_files (node, files, 0);
      for (guint i = 0; i < files->len; i++)
        if (!ladle_http_runner_add_file (runner, g_ptr_array_index (files, i), NULL, &error))
          {
            toast (self, error->message);
            return;
          }
    }
  if (g_list_model_get_n_items (ladle_http_runner_get_items (runner)) == 0)
    {
      toast (self, _("There are no requests to run"));
      return;
    }

  root = gtk_widget_get_root (GTK_WIDGET (self));
  view = ladle_runner_view_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, runner,
                                ladle_workspace_node_get_name (node));
  g_signal_connect_object (view, "open-item", G_CALLBACK (on_open_run_item), self,
                           G_CONNECT_SWAPPED);
  if (self->runner_view != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->runner_view), (gpointer *) &self->runner_view);
  self->runner_view = view;
  g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &self->runner_view);
  gtk_window_present (GTK_WINDOW (view));
}

/**
 * ladle_requests_page_get_runner_view:
 *
 * Returns: (transfer none) (nullable): the window of the last run, while it is open
 */
LadleRunnerView *
ladle_requests_page_get_runner_view (LadleRequestsPage *self)
{
  g_return_val_if_fail (LADLE_IS_REQUESTS_PAGE (self), NULL);
  return self->runner_view;
}

/* The environment editor of the workspace's folder (one at a time). */
void
ladle_requests_page_edit_environments (LadleRequestsPage *self)
{
  g_autoptr(GError) error = NULL;
  GtkRoot *root;

  g_return_if_fail (LADLE_IS_REQUESTS_PAGE (self));

  if (self->env_editor != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->env_editor));
      return;
    }
  if (self->workspace == NULL)
    return;
  root = gtk_widget_get_root (GTK_WIDGET (self));
  self->env_editor = ladle_env_editor_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                           ladle_workspace_get_folder (self->workspace), &error);
  if (self->env_editor == NULL)
    {
      toast (self, error->message);
      return;
    }
  g_object_add_weak_pointer (G_OBJECT (self->env_editor), (gpointer *) &self->env_editor);
  if (self->environment != NULL)
    ladle_env_editor_set_environment (self->env_editor, self->environment);
  g_signal_connect_object (self->env_editor, "saved", G_CALLBACK (reload_environments), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->env_editor));
}

/**
 * ladle_requests_page_get_env_editor:
 *
 * Returns: (transfer none) (nullable): the environment editor, while it is open
 */
LadleEnvEditor *
ladle_requests_page_get_env_editor (LadleRequestsPage *self)
{
  g_return_val_if_fail (LADLE_IS_REQUESTS_PAGE (self), NULL);
  return self->env_editor;
}

/**
 * ladle_requests_page_get_environments:
 *
 * Returns: (transfer none): a GtkStringList: "No environment", then the workspace's environments
 */
GListModel *
ladle_requests_page_get_environments (LadleRequestsPage *self)
{
  g_return_val_if_fail (LADLE_IS_REQUESTS_PAGE (self), NULL);
  return G_LIST_MODEL (self->environments);
}

const char *
ladle_requests_page_get_environment (LadleRequestsPage *self)
{
  g_return_val_if_fail (LADLE_IS_REQUESTS_PAGE (self), NULL);
  return self->environment;
}

/* Requests of the workspace are sent with @environment's values from now on (NULL: none). */
void
ladle_requests_page_set_environment (LadleRequestsPage *self,
                                     const char        *environment)
{
  g_return_if_fail (LADLE_IS_REQUESTS_PAGE (self));

  if (environment != NULL && environment[0] == '\0')
    environment = NULL;
  if (g_strcmp0 (environment, self->environment) == 0)
    return;
  g_free (self->environment);
  self->environment = g_strdup (environment);
  for (int i = 0; i < adw_tab_view_get_n_pages (self->tab_view); i++)
    ladle_request_tab_set_environment (tab_at (self, i), environment);
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "workspace-environment",
                           environment != NULL ? environment : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENVIRONMENT]);
}

/* Re-reads the environments' names (after the editor saved them). */
void
ladle_requests_page_reload_environments (LadleRequestsPage *self)
{
  g_return_if_fail (LADLE_IS_REQUESTS_PAGE (self));
  reload_environments (self);
}

/* Whether the environments' names are being replaced (a switcher's selection moves by itself). */
gboolean
ladle_requests_page_get_reloading_environments (LadleRequestsPage *self)
{
  g_return_val_if_fail (LADLE_IS_REQUESTS_PAGE (self), FALSE);
  return self->reloading_environments;
}
