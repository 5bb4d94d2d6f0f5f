/* ladle-headers-view.h
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

#include "ladle-response.h"

G_BEGIN_DECLS

#define LADLE_TYPE_HEADERS_VIEW (ladle_headers_view_get_type ())

G_DECLARE_FINAL_TYPE (LadleHeadersView, ladle_headers_view, LADLE, HEADERS_VIEW, AdwBin)

GtkWidget *ladle_headers_view_new           (void);
void       ladle_headers_view_clear         (LadleHeadersView *self);
void       ladle_headers_view_append        (LadleHeadersView *self,
                                             const char       *name,
                                             const char       *value);
void       ladle_headers_view_show_headers  (LadleHeadersView *self,
                                             LadleResponse    *response);
void       ladle_headers_view_show_redirects (LadleHeadersView *self,
                                             LadleResponse    *response);

G_END_DECLS
