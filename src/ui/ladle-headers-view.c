/* ladle-headers-view.c
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

#include "ladle-body-format.h"
#include "ladle-headers-view.h"

/* Pairs of a name and a value in a boxed list, both selectable and wrapped: a response's headers,
 * or its redirect hops (status and address). Text from the network is made valid UTF-8 first. */

struct _LadleHeadersView
{
  AdwBin      parent_instance;

  GtkListBox *list;
};

G_DEFINE_FINAL_TYPE (LadleHeadersView, ladle_headers_view, ADW_TYPE_BIN)

static GtkWidget *
new_label (const char *text)
{
  gsize len = 0;
  g_autofree char *valid = ladle_body_dup_valid_text ((const guint8 *) text, strlen (text), &len);
  GtkWidget *label = gtk_label_new (valid);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  return label;
}

static void
ladle_headers_view_class_init (LadleHeadersViewClass *klass)
{
}

static void
ladle_headers_view_init (LadleHeadersView *self)
{
  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_set_valign (GTK_WIDGET (self->list), GTK_ALIGN_START);
  gtk_widget_set_margin_start (GTK_WIDGET (self->list), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->list), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self->list), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->list), 12);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  /* An empty list draws nothing rather than an empty frame */
  gtk_list_box_set_placeholder (self->list, gtk_label_new (NULL));
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->list));
}

GtkWidget *
ladle_headers_view_new (void)
{
  return g_object_new (LADLE_TYPE_HEADERS_VIEW, NULL);
}

void
ladle_headers_view_clear (LadleHeadersView *self)
{
  GtkWidget *child;

  g_return_if_fail (LADLE_IS_HEADERS_VIEW (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
}

void
ladle_headers_view_append (LadleHeadersView *self,
                           const char       *name,
                           const char       *value)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name_label;

  g_return_if_fail (LADLE_IS_HEADERS_VIEW (self));
  g_return_if_fail (name != NULL && value != NULL);

  name_label = new_label (name);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_add_css_class (name_label, "caption-heading");
  gtk_widget_add_css_class (name_label, "dim-label");
  gtk_box_append (GTK_BOX (box), name_label);
  gtk_box_append (GTK_BOX (box), new_label (value));
  gtk_list_box_append (self->list, box);
}

/* The response's headers, in the order they came */
void
ladle_headers_view_show_headers (LadleHeadersView *self,
                                 LadleResponse    *response)
{
  g_return_if_fail (LADLE_IS_HEADERS_VIEW (self));
  g_return_if_fail (LADLE_IS_RESPONSE (response));

  ladle_headers_view_clear (self);
  for (guint i = 0; i < ladle_response_get_n_headers (response); i++)
    ladle_headers_view_append (self, ladle_response_get_header_name (response, i),
                               ladle_response_get_header_value (response, i));
}

/* Each redirect hop (its status and where it sent), then where the request ended */
void
ladle_headers_view_show_redirects (LadleHeadersView *self,
                                   LadleResponse    *response)
{
  guint n_redirects;

  g_return_if_fail (LADLE_IS_HEADERS_VIEW (self));
  g_return_if_fail (LADLE_IS_RESPONSE (response));

  ladle_headers_view_clear (self);
  n_redirects = ladle_response_get_n_redirects (response);
  for (guint i = 0; i < n_redirects; i++)
    {
      g_autofree char *title = g_strdup_printf (_("Hop %u: %u"), i + 1,
                                                ladle_response_get_redirect_status (response, i));

      ladle_headers_view_append (self, title, ladle_response_get_redirect_url (response, i));
    }
  if (ladle_response_get_final_url (response) != NULL)
    {
      g_autofree char *title = n_redirects > 0
        ? g_strdup_printf (_("Final: %u"), ladle_response_get_status (response))
        : g_strdup (_("Not redirected"));

      ladle_headers_view_append (self, title, ladle_response_get_final_url (response));
    }
}
