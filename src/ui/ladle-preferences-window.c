/* ladle-preferences-window.c
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

#include "ladle-preferences-window.h"

/* Every control is bound to a GSettings key; nothing here is saved by hand. */

struct _LadlePreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  AdwComboRow          *color_scheme_row;
  GtkSpinButton        *connect_timeout;
  GtkSpinButton        *idle_timeout;
  GtkSpinButton        *total_timeout;
  GtkSpinButton        *history_size;
  AdwEntryRow          *server_host;
  GtkSpinButton        *server_port;
  GtkSwitch            *server_autostart;

  /* Owned references */
  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (LadlePreferencesWindow, ladle_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static const char *color_schemes[] = { "default", "light", "dark" };

static gboolean
scheme_to_index (GValue   *value,
                 GVariant *variant,
                 gpointer  user_data)
{
  const char *scheme = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (color_schemes); i++)
    if (g_str_equal (scheme, color_schemes[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }

  g_value_set_uint (value, 0);
  return TRUE;
}

static GVariant *
index_to_scheme (const GValue       *value,
                 const GVariantType *expected_type,
                 gpointer            user_data)
{
  guint index = g_value_get_uint (value);

  return g_variant_new_string (color_schemes[MIN (index, G_N_ELEMENTS (color_schemes) - 1)]);
}

static void
ladle_preferences_window_dispose (GObject *object)
{
  LadlePreferencesWindow *self = LADLE_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), LADLE_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ladle_preferences_window_parent_class)->dispose (object);
}

static void
ladle_preferences_window_class_init (LadlePreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ladle_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ladle/Ladle/ladle-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LadlePreferencesWindow, color_scheme_row);
  gtk_widget_class_bind_template_child (widget_class, LadlePreferencesWindow, connect_timeout);
  gtk_widget_class_bind_template_child (widget_class, LadlePreferencesWindow, history_size);
  gtk_widget_class_bind_template_child (widget_class, LadlePreferencesWindow, idle_timeout);
  gtk_widget_class_bind_template_child (widget_class, LadlePreferencesWindow, server_autostart);
  gtk_widget_class_bind_template_child (widget_class, LadlePreferencesWindow, server_host);
  gtk_widget_class_bind_template_child (widget_class, LadlePreferencesWindow, server_port);
  gtk_widget_class_bind_template_child (widget_class, LadlePreferencesWindow, total_timeout);
}

static void
ladle_preferences_window_init (LadlePreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * ladle_preferences_window_new:
 * @settings: the application's settings, which the controls edit
 */
LadlePreferencesWindow *
ladle_preferences_window_new (GtkWindow *parent,
                              GSettings *settings)
{
  LadlePreferencesWindow *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (LADLE_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
  self->settings = g_object_ref (settings);

  g_settings_bind_with_mapping (settings, "color-scheme", self->color_scheme_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, scheme_to_index, index_to_scheme,
                                NULL, NULL);
  g_settings_bind (settings, "connect-timeout", self->connect_timeout, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "idle-timeout", self->idle_timeout, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "total-timeout", self->total_timeout, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "history-size", self->history_size, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "server-host", self->server_host, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "server-port", self->server_port, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "server-autostart", self->server_autostart, "active",
                   G_SETTINGS_BIND_DEFAULT);

  return self;
}
