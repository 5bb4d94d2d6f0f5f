/* ladle-workspace-sidebar.h
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

#include "ladle-workspace.h"

G_BEGIN_DECLS

#define LADLE_TYPE_WORKSPACE_SIDEBAR (ladle_workspace_sidebar_get_type ())

G_DECLARE_FINAL_TYPE (LadleWorkspaceSidebar, ladle_workspace_sidebar, LADLE, WORKSPACE_SIDEBAR, AdwBin)

/* Signals: "open-request" (LadleWorkspaceNode *request), "run" (LadleWorkspaceNode *node: a
 * folder, file or request). Property "workspace" (nullable). */
LadleWorkspace *ladle_workspace_sidebar_get_workspace  (LadleWorkspaceSidebar *self);
/* Opens the folder as the workspace (NULL: none), remembered in @settings when set. */
void            ladle_workspace_sidebar_open           (LadleWorkspaceSidebar *self,
                                                        const char            *folder);
void            ladle_workspace_sidebar_set_settings   (LadleWorkspaceSidebar *self,
                                                        GSettings             *settings);
/* The rows as shown (a GtkTreeListModel of LadleWorkspaceNode rows), for tests. */
GListModel     *ladle_workspace_sidebar_get_rows       (LadleWorkspaceSidebar *self);
void            ladle_workspace_sidebar_set_filter     (LadleWorkspaceSidebar *self,
                                                        const char            *text);
/* The row menu's actions (row.*) act on the node at @position of the rows from now on. */
void            ladle_workspace_sidebar_set_menu_row   (LadleWorkspaceSidebar *self,
                                                        guint                  position);
/* Asks for a folder and opens it ("New Workspace…" creates it when missing). */
void            ladle_workspace_sidebar_choose_folder  (LadleWorkspaceSidebar *self,
                                                        gboolean               create);

G_END_DECLS
