/* ladle-server-page.h
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

#include "ladle-server.h"

G_BEGIN_DECLS

#define LADLE_TYPE_SERVER_PAGE (ladle_server_page_get_type ())

/* The most requests the log keeps; older ones are dropped. */
#define LADLE_SERVER_PAGE_MAX_LOG_ROWS 10000

G_DECLARE_FINAL_TYPE (LadleServerPage, ladle_server_page, LADLE, SERVER_PAGE, AdwBin)

void        ladle_server_page_set_server      (LadleServerPage *self,
                                               LadleServer     *server);
void        ladle_server_page_set_settings    (LadleServerPage *self,
                                               GSettings       *settings);
GListModel *ladle_server_page_get_log         (LadleServerPage *self);
GListModel *ladle_server_page_get_uploads     (LadleServerPage *self);
char       *ladle_server_page_dup_uploads_dir (LadleServerPage *self);

G_END_DECLS
