/* ladle-ui-util.c
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

#include "ladle-http-vars.h"
#include "ladle-ui-util.h"

/* Small things several widgets do the same way. */

static void
on_dark_changed (GtkSourceBuffer *buffer,
                 GParamSpec      *pspec,
                 AdwStyleManager *manager)
{
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  const char *id = adw_style_manager_get_dark (manager) ? "Adwaita-dark" : "Adwaita";

  gtk_source_buffer_set_style_scheme (buffer,
                                      gtk_source_style_scheme_manager_get_scheme (schemes, id));
}

void
ladle_ui_follow_style (GtkSourceBuffer *buffer)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();

  g_return_if_fail (GTK_SOURCE_IS_BUFFER (buffer));

  g_signal_connect_object (manager, "notify::dark", G_CALLBACK (on_dark_changed), buffer,
                           G_CONNECT_SWAPPED);
  on_dark_changed (buffer, NULL, manager);
}

static void
set_menu_cb (GtkMenuButton *button,
             gpointer       model)
{
  if (gtk_menu_button_get_menu_model (button) == NULL)
    gtk_menu_button_set_menu_model (button, model);
}

/* A GtkMenuButton given its model in a template builds the whole popover menu at once, with the
 * window: @button gets @model (kept alive by its template) when it is first opened instead. */
void
ladle_ui_menu_on_first_open (GtkMenuButton *button,
                             GMenuModel    *model)
{
  g_return_if_fail (GTK_IS_MENU_BUTTON (button));
  g_return_if_fail (G_IS_MENU_MODEL (model));

  gtk_menu_button_set_create_popup_func (button, set_menu_cb, g_object_ref (model),
                                         g_object_unref);
}

/* GtkStackSwitcher makes its buttons as wide as the widest: tabs sized to their labels fit
 * narrow panes (360 px) better. */
void
ladle_ui_compact_switcher (GtkStackSwitcher *switcher)
{
  GtkLayoutManager *layout;

  g_return_if_fail (GTK_IS_STACK_SWITCHER (switcher));

  layout = gtk_widget_get_layout_manager (GTK_WIDGET (switcher));
  if (GTK_IS_BOX_LAYOUT (layout))
    gtk_box_layout_set_homogeneous (GTK_BOX_LAYOUT (layout), FALSE);
}

char *
ladle_ui_mark_variables (GtkEntry              *entry,
                         LadleVariableResolver  resolve,
                         gpointer               user_data)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autoptr(GArray) spans = NULL;
  GString *tooltip;
  PangoAttrList *attributes;

  if (resolve == NULL || strstr (text, "{{") == NULL)
    {
      gtk_entry_set_attributes (entry, NULL);
      return NULL;
    }

  attributes = pango_attr_list_new ();
  tooltip = g_string_new (NULL);
  spans = ladle_http_find_variables (text, -1);
  for (guint i = 0; i < spans->len && i < 64; i++)
    {
      const LadleHttpVarSpan *span = &g_array_index (spans, LadleHttpVarSpan, i);
      gboolean resolved = FALSE;
      g_autofree char *what = resolve (span->name, &resolved, user_data);
      PangoAttribute *attribute;

      if (resolved)
        attribute = pango_attr_weight_new (PANGO_WEIGHT_BOLD);
      else
        {
          PangoAttribute *color = pango_attr_underline_color_new (0xe0e0, 0x1b1b, 0x2424);

          color->start_index = span->start;
          color->end_index = span->end;
          pango_attr_list_insert (attributes, color);
          attribute = pango_attr_underline_new (PANGO_UNDERLINE_ERROR);
        }
      attribute->start_index = span->start;
      attribute->end_index = span->end;
      pango_attr_list_insert (attributes, attribute);
      if (what != NULL)
        g_string_append_printf (tooltip, "%s%s", tooltip->len > 0 ? "\n" : "", what);
    }
  gtk_entry_set_attributes (entry, attributes);
  pango_attr_list_unref (attributes);

  if (tooltip->len == 0)
    {
      g_string_free (tooltip, TRUE);
      return NULL;
    }
  return g_string_free (tooltip, FALSE);
}

/* The lines `ladle-window --version` adds to ladle_version_describe()'s: the versions of GTK,
 * libadwaita and GtkSourceView this process runs with. Each library answers from its own code
 * (none of these needs GTK initialised, nor a display). */
char *
ladle_ui_describe_versions (void)
{
  return g_strdup_printf ("GTK %u.%u.%u\n"
                          "libadwaita %u.%u.%u\n"
                          "GtkSourceView %u.%u.%u\n",
                          gtk_get_major_version (), gtk_get_minor_version (),
                          gtk_get_micro_version (),
                          adw_get_major_version (), adw_get_minor_version (),
                          adw_get_micro_version (),
                          gtk_source_get_major_version (), gtk_source_get_minor_version (),
                          gtk_source_get_micro_version ());
}
