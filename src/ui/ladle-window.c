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

#include "ladle-requests-page.h"
#include "ladle-server-page.h"
#include "ladle-websocket-page.h"
#include "ladle-window.h"

/* The one window: a header whose view switcher picks one of three benches (requests, server,
 * WebSocket), each a page widget of its own. The window owns the embedded server so that it
 * outlives page changes, and hands it to the pages that use it. */

struct _LadleWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwViewStack         *stack;
  LadleRequestsPage    *requests_page;
  LadleServerPage      *server_page;
  LadleWebsocketPage   *websocket_page;

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
  g_settings_bind (self->settings, "bench", self->stack, "visible-child-name",
                   G_SETTINGS_BIND_DEFAULT);

  ladle_server_page_set_server (self->server_page, self->server);
  ladle_server_page_set_settings (self->server_page, self->settings);
}

static void
ladle_window_dispose (GObject *object)
{
  LadleWindow *self = LADLE_WINDOW (object);

  if (self->server != NULL)
    ladle_server_stop (self->server);

  gtk_widget_dispose_template (GTK_WIDGET (self), LADLE_TYPE_WINDOW);

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

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/ladle/Ladle/ladle-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LadleWindow, requests_page);
  gtk_widget_class_bind_template_child (widget_class, LadleWindow, server_page);
  gtk_widget_class_bind_template_child (widget_class, LadleWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, LadleWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LadleWindow, websocket_page);

  gtk_widget_class_install_action (widget_class, "win.bench", "s", bench_action);

  g_type_ensure (LADLE_TYPE_REQUESTS_PAGE);
  g_type_ensure (LADLE_TYPE_SERVER_PAGE);
  g_type_ensure (LADLE_TYPE_WEBSOCKET_PAGE);
}

static void
ladle_window_init (LadleWindow *self)
{
  self->server = ladle_server_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

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
  g_return_if_fail (LADLE_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

/**
 * ladle_window_get_server:
 *
 * Returns: (transfer none): the window's embedded server
 */
LadleServer *
ladle_window_get_server (LadleWindow *self)
{
  g_return_val_if_fail (LADLE_IS_WINDOW (self), NULL);
  return self->server;
}

/**
 * ladle_window_get_page:
 * @name: "requests", "server" or "websocket"
 *
 * Returns: (transfer none) (nullable): the bench's page widget
 */
GtkWidget *
ladle_window_get_page (LadleWindow *self,
                       const char  *name)
{
  g_return_val_if_fail (LADLE_IS_WINDOW (self), NULL);
  return adw_view_stack_get_child_by_name (self->stack, name);
}
