/* ladle-response-view.h
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

#include "ladle-exchange.h"

G_BEGIN_DECLS

#define LADLE_TYPE_RESPONSE_VIEW (ladle_response_view_get_type ())

G_DECLARE_FINAL_TYPE (LadleResponseView, ladle_response_view, LADLE, RESPONSE_VIEW, AdwBin)

void           ladle_response_view_set_exchange   (LadleResponseView *self,
                                                   LadleExchange     *exchange);
LadleExchange *ladle_response_view_get_exchange   (LadleResponseView *self);
LadleResponse *ladle_response_view_get_response   (LadleResponseView *self);
gboolean       ladle_response_view_get_body_ready (LadleResponseView *self);
void           ladle_response_view_begin_search   (LadleResponseView *self);

G_END_DECLS
