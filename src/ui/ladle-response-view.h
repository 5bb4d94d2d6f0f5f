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
#include <gtksourceview/gtksource.h>

#include "ladle-http-client.h"

G_BEGIN_DECLS

/* Bodies larger than this show their first part only (the huge-body viewer is separate). */
#define LADLE_RESPONSE_VIEW_DISPLAY_LIMIT (5 * 1024 * 1024)

#define LADLE_TYPE_RESPONSE_VIEW (ladle_response_view_get_type ())

G_DECLARE_FINAL_TYPE (LadleResponseView, ladle_response_view, LADLE, RESPONSE_VIEW, AdwBin)

void           ladle_response_view_show_empty    (LadleResponseView *self);
void           ladle_response_view_show_exchange (LadleResponseView *self,
                                                  LadleExchange     *exchange);
void           ladle_response_view_show_response (LadleResponseView *self,
                                                  LadleResponse     *response);
void           ladle_response_view_show_error    (LadleResponseView *self,
                                                  const char        *message);
/* (nullable) (transfer none) */
LadleResponse *ladle_response_view_get_response  (LadleResponseView *self);
/* TRUE once the body view holds everything it will show. */
gboolean       ladle_response_view_get_body_ready (LadleResponseView *self);
void           ladle_response_view_begin_search  (LadleResponseView *self);

/* Keeps @buffer's style scheme on Adwaita or Adwaita-dark, following AdwStyleManager:dark. */
void           ladle_response_view_follow_style (GtkSourceBuffer   *buffer);
/* Lets each tab of @switcher be as wide as its label. */
void           ladle_response_view_compact_switcher (GtkStackSwitcher *switcher);

G_END_DECLS
