/* ladle-ui-util.h
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <gtksourceview/gtksource.h>

G_BEGIN_DECLS

/* Keeps @buffer's style scheme on Adwaita or Adwaita-dark, following AdwStyleManager:dark. */
void ladle_ui_follow_style     (GtkSourceBuffer  *buffer);
/* Lets each tab of @switcher be as wide as its label. */
void ladle_ui_compact_switcher (GtkStackSwitcher *switcher);
/* Gives @button its menu @model when it is first opened (not with the window). */
void ladle_ui_menu_on_first_open (GtkMenuButton  *button,
                                  GMenuModel     *model);

/* What a {{name}} stands for, as a line of text for a tooltip (nullable), and whether anything
 * defines it (@out_resolved). */
typedef char *(*LadleVariableResolver) (const char *name,
                                        gboolean   *out_resolved,
                                        gpointer    user_data);
/* Marks the {{…}} of @entry's text: bold when @resolve finds them, an error underline when not
 * (at most 64). Returns the tooltip, one line per variable, or NULL when there is nothing to say;
 * clears the marks when @resolve is NULL or the text has no {{. */
char *ladle_ui_mark_variables  (GtkEntry              *entry,
                                LadleVariableResolver  resolve,
                                gpointer               user_data);

/* The versions of GTK, libadwaita and GtkSourceView this process runs with, one "NAME VERSION" a
 * line, each ending in "\n": what `ladle-window --version` adds to ladle_version_describe(). */
char *ladle_ui_describe_versions (void);

G_END_DECLS
