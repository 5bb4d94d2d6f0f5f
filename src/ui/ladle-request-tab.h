/* ladle-request-tab.h
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

#include "ladle-http-client.h"
#include "ladle-http-vars.h"
#include "ladle-request-editor.h"
#include "ladle-request.h"
#include "ladle-workspace.h"

G_BEGIN_DECLS

#define LADLE_TYPE_REQUEST_TAB (ladle_request_tab_get_type ())

G_DECLARE_FINAL_TYPE (LadleRequestTab, ladle_request_tab, LADLE, REQUEST_TAB, AdwBin)

/* @request: (nullable): NULL for a new request with the default timeouts of @settings */
LadleRequestTab *ladle_request_tab_new          (LadleHttpClient *client,
                                                 GSettings       *settings,
                                                 LadleRequest    *request);
LadleRequest    *ladle_request_tab_get_request  (LadleRequestTab *self);
void             ladle_request_tab_set_request  (LadleRequestTab *self,
                                                 LadleRequest    *request);
void             ladle_request_tab_set_settings (LadleRequestTab *self,
                                                 GSettings       *settings);
gboolean         ladle_request_tab_get_busy     (LadleRequestTab *self);
const char      *ladle_request_tab_get_title    (LadleRequestTab *self);
/* An address still empty, nothing running: a tab to reuse rather than open another. */
gboolean         ladle_request_tab_is_blank     (LadleRequestTab *self);
void             ladle_request_tab_cancel       (LadleRequestTab *self);
void             ladle_request_tab_focus_url    (LadleRequestTab *self);

/* Workspace requests: "dirty" (a property) while there are unsaved edits. */
void             ladle_request_tab_open_entry   (LadleRequestTab    *self,
                                                 LadleWorkspace     *workspace,
                                                 LadleWorkspaceNode *node);
void             ladle_request_tab_set_workspace (LadleRequestTab   *self,
                                                  LadleWorkspace    *workspace);
LadleWorkspace  *ladle_request_tab_get_workspace (LadleRequestTab   *self);
/* The tab's request, kept with its edits, becomes @node's (a tab restored at start). */
void             ladle_request_tab_link_entry   (LadleRequestTab    *self,
                                                 LadleWorkspace     *workspace,
                                                 LadleWorkspaceNode *node);
const char      *ladle_request_tab_get_origin_path (LadleRequestTab *self);
guint            ladle_request_tab_get_origin_index (LadleRequestTab *self);
LadleHttpEntry  *ladle_request_tab_get_origin_entry (LadleRequestTab *self);
gboolean         ladle_request_tab_get_dirty    (LadleRequestTab    *self);
gboolean         ladle_request_tab_save         (LadleRequestTab    *self,
                                                 GError            **error);
gboolean         ladle_request_tab_save_to      (LadleRequestTab    *self,
                                                 const char         *path,
                                                 GError            **error);
void             ladle_request_tab_file_changed (LadleRequestTab    *self);
gboolean         ladle_request_tab_get_file_changed_shown (LadleRequestTab *self);
void             ladle_request_tab_set_environment (LadleRequestTab *self,
                                                    const char      *environment);
LadleHttpScope  *ladle_request_tab_dup_scope    (LadleRequestTab    *self,
                                                 GError            **error);
LadleRequestEditor *ladle_request_tab_get_editor (LadleRequestTab *self);
LadleRequest    *ladle_request_tab_dup_request_to_send (LadleRequestTab *self,
                                                        GError         **error);

G_END_DECLS
