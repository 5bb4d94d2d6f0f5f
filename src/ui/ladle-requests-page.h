/* ladle-requests-page.h
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

#include "ladle-history.h"
#include "ladle-request.h"
#include "ladle-request-tab.h"
#include "ladle-env-editor.h"
#include "ladle-runner-view.h"
#include "ladle-workspace-sidebar.h"

G_BEGIN_DECLS

#define LADLE_TYPE_REQUESTS_PAGE (ladle_requests_page_get_type ())

G_DECLARE_FINAL_TYPE (LadleRequestsPage, ladle_requests_page, LADLE, REQUESTS_PAGE, AdwBin)

LadleRequest    *ladle_requests_page_get_request     (LadleRequestsPage *self);
void             ladle_requests_page_set_request     (LadleRequestsPage *self,
                                                      LadleRequest      *request);
void             ladle_requests_page_open_request    (LadleRequestsPage *self,
                                                      LadleRequest      *request);
gboolean         ladle_requests_page_get_busy        (LadleRequestsPage *self);
LadleRequestTab *ladle_requests_page_get_current_tab (LadleRequestsPage *self);
AdwTabView      *ladle_requests_page_get_tab_view    (LadleRequestsPage *self);
void             ladle_requests_page_set_settings    (LadleRequestsPage *self,
                                                      GSettings         *settings);
LadleHistory    *ladle_requests_page_get_history     (LadleRequestsPage *self);
LadleWorkspaceSidebar *ladle_requests_page_get_workspace_sidebar (LadleRequestsPage *self);
void             ladle_requests_page_run             (LadleRequestsPage  *self,
                                                      LadleWorkspaceNode *node);
void             ladle_requests_page_edit_environments (LadleRequestsPage *self);
LadleRunnerView *ladle_requests_page_get_runner_view (LadleRequestsPage *self);
LadleEnvEditor  *ladle_requests_page_get_env_editor  (LadleRequestsPage *self);
GListModel      *ladle_requests_page_get_environments (LadleRequestsPage *self);
const char      *ladle_requests_page_get_environment  (LadleRequestsPage *self);
void             ladle_requests_page_set_environment  (LadleRequestsPage *self,
                                                       const char        *environment);
void             ladle_requests_page_reload_environments (LadleRequestsPage *self);
gboolean         ladle_requests_page_get_reloading_environments (LadleRequestsPage *self);

G_END_DECLS
