/* ladle-route-editor.h
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

#include "ladle-mock-routes.h"

G_BEGIN_DECLS

#define LADLE_TYPE_ROUTE_EDITOR (ladle_route_editor_get_type ())

G_DECLARE_FINAL_TYPE (LadleRouteEditor, ladle_route_editor, LADLE, ROUTE_EDITOR, AdwWindow)

LadleRouteEditor *ladle_route_editor_new        (GtkWindow        *parent,
                                                 LadleMockRoute   *route);
LadleMockRoute   *ladle_route_editor_dup_route  (LadleRouteEditor *self,
                                                 GError          **error);
void              ladle_route_editor_set_body_folder (LadleRouteEditor *self,
                                                      const char       *folder,
                                                      GSettings        *settings);

G_END_DECLS
