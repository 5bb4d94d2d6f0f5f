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

#include <glib/gi18n.h>

#include "ladle-server-page.h"

struct _LadleServerPage
{
  AdwBin       parent_instance;

  LadleServer *server;
  GSettings   *settings;
};

G_DEFINE_FINAL_TYPE (LadleServerPage, ladle_server_page, ADW_TYPE_BIN)

static void
ladle_server_page_dispose (GObject *object)
{
  LadleServerPage *self = LADLE_SERVER_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), LADLE_TYPE_SERVER_PAGE);
  g_clear_object (&self->server);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ladle_server_page_parent_class)->dispose (object);
}

static void
ladle_server_page_class_init (LadleServerPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ladle_server_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ladle/Ladle/ladle-server-page.ui");
}

static void
ladle_server_page_init (LadleServerPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
ladle_server_page_set_server (LadleServerPage *self,
                              LadleServer     *server)
{
  g_return_if_fail (LADLE_IS_SERVER_PAGE (self));
  g_set_object (&self->server, server);
}

void
ladle_server_page_set_settings (LadleServerPage *self,
                                GSettings       *settings)
{
  g_return_if_fail (LADLE_IS_SERVER_PAGE (self));
  g_set_object (&self->settings, settings);
}
