/* ladle-window.c
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
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "ladle-requests-page.h"
#include "ladle-server-page.h"
#include "ladle-websocket-page.h"
#include "ladle-window.h"

/* The one window: a header whose view switcher picks one of three benches (requests, server,
 * WebSocket), each a page widget of its own. The window owns the embedded server so that it
 * outlives page changes, and hands it to the pages that use it.
 *
 * Only the Requests page is built with the window: the Server and WebSocket pages are built the
 * first time they are shown or asked for (ladle_window_get_page()), so that start-up pays only for
 * what the first frame shows (bench/ui.sh measures it). The Server page is also built whenever
 * the server is asked for (ladle_window_get_server()) or set to start with Ladle, since it is what
 * applies the server-* settings to the server, starts it and keeps its log. */

struct _LadleWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwViewStack         *stack;
  LadleRequestsPage    *requests_page;
  AdwBin               *server_bin;
  AdwBin               *websocket_bin;
  GtkDropDown          *env_dropdown;
  GtkMenuButton        *menu_button;
  GMenuModel           *primary_menu;

  /* Built on first need (see above) */
  LadleServerPage      *server_page;
  LadleWebsocketPage   *websocket_page;
  GtkWindow            *shortcuts_window;

  /* Owned references */
  GSettings            *settings;
  LadleServer          *server;
};

G_DEFINE_FINAL_TYPE (LadleWindow, ladle_window, ADW_TYPE_APPLICATION_WINDOW)

static void
bench_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  ladle_window_set_bench (LADLE_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

/* "win.toast": a non-blocking notice at the bottom of the window, for the pages and tabs. */
static void
toast_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  ladle_window_add_toast (LADLE_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

/* Ctrl+?: the shortcuts window, built the first time (see ladle_application_startup()). */
static void
show_help_overlay_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  LadleWindow *self = LADLE_WINDOW (widget);

  if (self->shortcuts_window == NULL)
    {
      g_autoptr(GtkBuilder) builder =
        gtk_builder_new_from_resource ("/io/github/ladle/Ladle/gtk/help-overlay.ui");

      self->shortcuts_window = g_object_ref (GTK_WINDOW (gtk_builder_get_object (builder,
                                                                                  "help_overlay")));
      gtk_window_set_transient_for (self->shortcuts_window, GTK_WINDOW (self));
      gtk_window_set_hide_on_close (self->shortcuts_window, TRUE);
    }
  gtk_window_present (self->shortcuts_window);
}

/* Ctrl+T: a new request tab, from any bench. */
static void
new_tab_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LadleWindow *self = LADLE_WINDOW (widget);

  ladle_window_set_bench (self, "requests");
  gtk_widget_activate_action (GTK_WIDGET (self->requests_page), "tabs.new", NULL);
}

/* Ctrl+W: closes the request tab on the Requests bench, the window on the others. */
static void
close_tab_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  LadleWindow *self = LADLE_WINDOW (widget);

  if (g_strcmp0 (ladle_window_get_bench (self), "requests") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self->requests_page), "tabs.close", NULL);
  else
    gtk_window_close (GTK_WINDOW (self));
}

static LadleServerPage *ensure_server_page (LadleWindow *self);

/* "Start the Local Server" of a refused request to the local server's address: the server
 * starts, and the request is sent again; if it cannot start, the Server bench says why. */
static void
start_server_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  LadleWindow *self = LADLE_WINDOW (widget);
  LadleServerPage *page = ensure_server_page (self);
  gboolean running = FALSE;

  /* Through the Server page, which applies its settings and shows why a start failed */
  g_object_set (page, "running", TRUE, NULL);
  g_object_get (page, "running", &running, NULL);
  if (!running)
    {
      ladle_window_set_bench (self, "server");
      return;
    }
  gtk_widget_activate_action (GTK_WIDGET (ladle_requests_page_get_current_tab (self->requests_page)),
                              "request.send", NULL);
}

static void
server_running_changed (LadleWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.start-server",
                                 !ladle_server_get_running (self->server));
}

/* Ctrl+Shift+O: "Open Workspace…", from any bench. */
static void
open_workspace_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  LadleWindow *self = LADLE_WINDOW (widget);

  ladle_window_set_bench (self, "requests");
  gtk_widget_activate_action (GTK_WIDGET (self->requests_page), "workspace.open-folder", NULL);
}

/* Ctrl+Shift+K: the Cookies window of the Requests bench's jar, from any bench. */
static void
cookies_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LadleWindow *self = LADLE_WINDOW (widget);

  gtk_widget_activate_action (GTK_WIDGET (self->requests_page), "cookies.show", NULL);
}

/* A request from the server's log opens in a new request tab, aimed at the server. */
static void
open_in_requests_cb (LadleWindow      *self,
                     LadleServerEvent *event)
{
  g_autoptr(LadleRequest) request = ladle_request_new ();
  g_autofree char *base = ladle_server_dup_url (self->server);
  g_autofree char *url = NULL;
  SoupMessageHeaders *headers = ladle_server_event_get_request_headers (event);
  GBytes *body = ladle_server_event_get_request_body (event);
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;

  if (base == NULL)
    base = g_strdup ("http://127.0.0.1:8080/");
  /* base ends with '/', the logged path starts with one. */
  url = g_strconcat (base, ladle_server_event_get_path (event) + 1, NULL);

  ladle_request_set_method (request, ladle_server_event_get_method (event));
  ladle_request_set_url (request, url);

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      g_autoptr(LadleKeyValue) row = NULL;

      /* libsoup sets these itself from the request it sends. */
      if (g_ascii_strcasecmp (name, "Host") == 0 ||
          g_ascii_strcasecmp (name, "Content-Length") == 0 ||
          g_ascii_strcasecmp (name, "Connection") == 0 ||
          g_ascii_strcasecmp (name, "Accept-Encoding") == 0)
        continue;
      row = ladle_key_value_new (name, value);
      g_list_store_append (ladle_request_get_headers (request), row);
    }

  if (g_bytes_get_size (body) > 0 &&
      g_utf8_validate (g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL))
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      const char *type = soup_message_headers_get_content_type (headers, NULL);

      ladle_request_set_body_kind (request, g_strcmp0 (type, "application/json") == 0
                                              ? LADLE_BODY_JSON : LADLE_BODY_TEXT);
      ladle_request_set_body_text (request, text);
      if (type != NULL)
        ladle_request_set_body_content_type (request, soup_message_headers_get_one (headers,
                                                                                    "Content-Type"));
    }

  ladle_window_set_bench (self, "requests");
  ladle_requests_page_open_request (self->requests_page, request);
}

/* The environment switcher: shown on the Requests bench while a workspace is open. */
static void
update_env_dropdown (LadleWindow *self)
{
  GListModel *names = ladle_requests_page_get_environments (self->requests_page);
  const char *environment = ladle_requests_page_get_environment (self->requests_page);
  LadleWorkspaceSidebar *sidebar = ladle_requests_page_get_workspace_sidebar (self->requests_page);
  guint selected = 0;

  for (guint i = 1; environment != NULL && i < g_list_model_get_n_items (names); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (names), i), environment) == 0)
      selected = i;
  if (gtk_drop_down_get_selected (self->env_dropdown) != selected)
    gtk_drop_down_set_selected (self->env_dropdown, selected);
  gtk_widget_set_visible (GTK_WIDGET (self->env_dropdown),
                          ladle_workspace_sidebar_get_workspace (sidebar) != NULL &&
                          g_strcmp0 (adw_view_stack_get_visible_child_name (self->stack),
                                     "requests") == 0);
}

static void
on_env_selected (LadleWindow *self)
{
  GListModel *names = ladle_requests_page_get_environments (self->requests_page);
  guint selected = gtk_drop_down_get_selected (self->env_dropdown);

  /* While the names are being replaced, the old choice stands. */
  if (selected == GTK_INVALID_LIST_POSITION ||
      ladle_requests_page_get_reloading_environments (self->requests_page))
    return;
  ladle_requests_page_set_environment (self->requests_page,
                                       selected == 0 ? NULL
                                       : gtk_string_list_get_string (GTK_STRING_LIST (names),
                                                                     selected));
}

static LadleServerPage *
ensure_server_page (LadleWindow *self)
{
  /* (none once the window is disposed) */
  if (self->server_page == NULL && self->server_bin != NULL)
    {
      self->server_page = g_object_new (LADLE_TYPE_SERVER_PAGE, NULL);
      adw_bin_set_child (self->server_bin, GTK_WIDGET (self->server_page));
      g_signal_connect_object (self->server_page, "open-in-requests",
                               G_CALLBACK (open_in_requests_cb), self, G_CONNECT_SWAPPED);
      ladle_server_page_set_server (self->server_page, self->server);
      ladle_server_page_set_settings (self->server_page, self->settings);
    }
  return self->server_page;
}

static LadleWebsocketPage *
ensure_websocket_page (LadleWindow *self)
{
  if (self->websocket_page == NULL && self->websocket_bin != NULL)
    {
      self->websocket_page = g_object_new (LADLE_TYPE_WEBSOCKET_PAGE, NULL);
      adw_bin_set_child (self->websocket_bin, GTK_WIDGET (self->websocket_page));
    }
  return self->websocket_page;
}

/* Builds the page of the bench @name if it is not yet */
static GtkWidget *
ensure_page (LadleWindow *self,
             const char  *name)
{
  if (g_strcmp0 (name, "requests") == 0)
    return GTK_WIDGET (self->requests_page);
  if (g_strcmp0 (name, "server") == 0)
    return GTK_WIDGET (ensure_server_page (self));
  if (g_strcmp0 (name, "websocket") == 0)
    return GTK_WIDGET (ensure_websocket_page (self));
  return NULL;
}

static void
on_bench_shown (LadleWindow *self)
{
  ensure_page (self, adw_view_stack_get_visible_child_name (self->stack));
}

static void
ladle_window_constructed (GObject *object)
{
  LadleWindow *self = LADLE_WINDOW (object);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  G_OBJECT_CLASS (ladle_window_parent_class)->constructed (object);

  if (LADLE_IS_APPLICATION (app))
    self->settings = g_object_ref (ladle_application_get_settings (LADLE_APPLICATION (app)));
  else
    self->settings = g_settings_new (APP_ID);

  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (self->stack, "notify::visible-child-name",
                           G_CALLBACK (on_bench_shown), self, G_CONNECT_SWAPPED);
  g_settings_bind (self->settings, "bench", self->stack, "visible-child-name",
                   G_SETTINGS_BIND_DEFAULT);

  ladle_requests_page_set_settings (self->requests_page, self->settings);
  gtk_drop_down_set_model (self->env_dropdown,
                           ladle_requests_page_get_environments (self->requests_page));
  g_signal_connect_object (ladle_requests_page_get_environments (self->requests_page),
                           "items-changed", G_CALLBACK (update_env_dropdown), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->requests_page, "notify::environment",
                           G_CALLBACK (update_env_dropdown), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (ladle_requests_page_get_workspace_sidebar (self->requests_page),
                           "notify::workspace", G_CALLBACK (update_env_dropdown), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->stack, "notify::visible-child-name",
                           G_CALLBACK (update_env_dropdown), self, G_CONNECT_SWAPPED);
  update_env_dropdown (self);
  g_signal_connect_object (self->server, "notify::running",
                           G_CALLBACK (server_running_changed), self, G_CONNECT_SWAPPED);
  server_running_changed (self);

  on_bench_shown (self);
  if (g_settings_get_boolean (self->settings, "server-autostart"))
    ensure_server_page (self);
}

/* Start-up frees much of what it made (the templates' parse, GtkSourceView's style schemes, the
 * saved tabs' JSON) but the C library keeps those pages. A second after the first frame, give
 * them back: about 3 MiB of the idle window's RSS (bench/ui.sh). Once per process. */
static gboolean
trim_after_start (gpointer data)
{
#ifdef __GLIBC__
  malloc_trim (0);
#endif
  return G_SOURCE_REMOVE;
}

static void
first_frame_cb (GdkFrameClock *clock,
                LadleWindow   *self)
{
  static gboolean scheduled;

  g_signal_handlers_disconnect_by_func (clock, first_frame_cb, self);
  if (!scheduled)
    g_timeout_add_seconds_full (G_PRIORITY_LOW, 1, trim_after_start, NULL, NULL);
  scheduled = TRUE;
}

static void
ladle_window_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (ladle_window_parent_class)->realize (widget);
  g_signal_connect_object (gtk_widget_get_frame_clock (widget), "after-paint",
                           G_CALLBACK (first_frame_cb), widget, 0);
}

static void
ladle_window_dispose (GObject *object)
{
  LadleWindow *self = LADLE_WINDOW (object);

  if (self->server != NULL)
    ladle_server_stop (self->server);

  if (self->stack != NULL)
    g_signal_handlers_disconnect_by_func (self->stack, on_bench_shown, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), LADLE_TYPE_WINDOW);
  self->server_page = NULL;
  self->websocket_page = NULL;

  if (self->shortcuts_window != NULL)
    gtk_window_destroy (self->shortcuts_window);
  g_clear_object (&self->shortcuts_window);
  g_clear_object (&self->settings);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (ladle_window_parent_class)->dispose (object);
}

static void
ladle_window_class_init (LadleWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = ladle_window_constructed;
  object_class->dispose = ladle_window_dispose;
  widget_class->realize = ladle_window_realize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/ladle/Ladle/ladle-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LadleWindow, requests_page);
  gtk_widget_class_bind_template_child (widget_class, LadleWindow, server_bin);
  gtk_widget_class_bind_template_child (widget_class, LadleWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, LadleWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LadleWindow, websocket_bin);
  gtk_widget_class_bind_template_child (widget_class, LadleWindow, env_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LadleWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, LadleWindow, primary_menu);
  gtk_widget_class_bind_template_callback (widget_class, on_env_selected);

  gtk_widget_class_install_action (widget_class, "win.bench", "s", bench_action);
  gtk_widget_class_install_action (widget_class, "win.toast", "s", toast_action);
  gtk_widget_class_install_action (widget_class, "win.new-tab", NULL, new_tab_action);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL,
                                   show_help_overlay_action);
  gtk_widget_class_install_action (widget_class, "win.close-tab", NULL, close_tab_action);
  gtk_widget_class_install_action (widget_class, "win.start-server", NULL, start_server_action);
  gtk_widget_class_install_action (widget_class, "win.open-workspace", NULL,
                                   open_workspace_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_O, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.open-workspace", NULL);
  gtk_widget_class_install_action (widget_class, "win.cookies", NULL, cookies_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_K, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.cookies", NULL);

  g_type_ensure (LADLE_TYPE_REQUESTS_PAGE);
}

/* The main menu's popover is made when it first opens, not with the window. */
static void
create_menu_cb (GtkMenuButton *button,
                gpointer       user_data)
{
  LadleWindow *self = LADLE_WINDOW (user_data);

  if (gtk_menu_button_get_menu_model (button) == NULL)
    {
      /* "Cookies…" joins the first section, after "Open Workspace…" */
      GMenuModel *section = g_menu_model_get_item_link (self->primary_menu, 0,
                                                        G_MENU_LINK_SECTION);

      if (G_IS_MENU (section))
        g_menu_append (G_MENU (section), _("_Cookies…"), "win.cookies");
      g_clear_object (&section);
      gtk_menu_button_set_menu_model (button, self->primary_menu);
    }
}

static void
ladle_window_init (LadleWindow *self)
{
  self->server = ladle_server_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_menu_button_set_create_popup_func (self->menu_button, create_menu_cb, self, NULL);

#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}

LadleWindow *
ladle_window_new (LadleApplication *application)
{
  return g_object_new (LADLE_TYPE_WINDOW, "application", application, NULL);
}

void
ladle_window_set_bench (LadleWindow *self,
                        const char  *name)
{
  g_return_if_fail (LADLE_IS_WINDOW (self));
  g_return_if_fail (name != NULL);

  if (adw_view_stack_get_child_by_name (self->stack, name) != NULL)
    adw_view_stack_set_visible_child_name (self->stack, name);
}

const char *
ladle_window_get_bench (LadleWindow *self)
{
  g_return_val_if_fail (LADLE_IS_WINDOW (self), NULL);
  return adw_view_stack_get_visible_child_name (self->stack);
}

/* A non-blocking notice at the bottom of the window. */
void
ladle_window_add_toast (LadleWindow *self,
                        const char  *title)
{
  g_autofree char *escaped = NULL;

  g_return_if_fail (LADLE_IS_WINDOW (self));
  g_return_if_fail (title != NULL);

  /* A toast's title is markup in libadwaita 1.2; ours are plain text (paths, messages). */
  escaped = g_markup_escape_text (title, -1);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

/**
 * ladle_window_get_server:
 *
 * The server, with the Server page built (it applies the settings to the server and logs it).
 *
 * Returns: (transfer none): the window's embedded server
 */
LadleServer *
ladle_window_get_server (LadleWindow *self)
{
  g_return_val_if_fail (LADLE_IS_WINDOW (self), NULL);
  ensure_server_page (self);
  return self->server;
}

/**
 * ladle_window_get_page:
 * @name: "requests", "server" or "websocket"
 *
 * Builds the page if it was not yet.
 *
 * Returns: (transfer none) (nullable): the bench's page widget
 */
GtkWidget *
ladle_window_get_page (LadleWindow *self,
                       const char  *name)
{
  g_return_val_if_fail (LADLE_IS_WINDOW (self), NULL);
  return ensure_page (self, name);
}
