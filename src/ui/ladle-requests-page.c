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

#include "ladle-requests-page.h"

struct _LadleRequestsPage
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (LadleRequestsPage, ladle_requests_page, ADW_TYPE_BIN)

static void
ladle_requests_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), LADLE_TYPE_REQUESTS_PAGE);

  G_OBJECT_CLASS (ladle_requests_page_parent_class)->dispose (object);
}

static void
ladle_requests_page_class_init (LadleRequestsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ladle_requests_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ladle/Ladle/ladle-requests-page.ui");
}

static void
ladle_requests_page_init (LadleRequestsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
