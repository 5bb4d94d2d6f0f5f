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

G_DECLARE_FINAL_TYPE (LadleServerPage, ladle_server_page, LADLE, SERVER_PAGE, AdwBin)

void ladle_server_page_set_server   (LadleServerPage *self,
                                     LadleServer     *server);
void ladle_server_page_set_settings (LadleServerPage *self,
                                     GSettings       *settings);

G_END_DECLS
