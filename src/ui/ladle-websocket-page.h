/* ladle-websocket-page.h
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

#include "ladle-websocket-client.h"
#include "ladle-websocket-request.h"

G_BEGIN_DECLS

#define LADLE_TYPE_WEBSOCKET_PAGE (ladle_websocket_page_get_type ())

G_DECLARE_FINAL_TYPE (LadleWebsocketPage, ladle_websocket_page, LADLE, WEBSOCKET_PAGE, AdwBin)

LadleWebsocketRequest *ladle_websocket_page_get_request    (LadleWebsocketPage *self);
LadleWebsocketClient  *ladle_websocket_page_get_client     (LadleWebsocketPage *self);
GListModel            *ladle_websocket_page_get_transcript (LadleWebsocketPage *self);
GListModel            *ladle_websocket_page_get_visible    (LadleWebsocketPage *self);

G_END_DECLS
