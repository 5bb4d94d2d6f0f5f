/* ladle-window.h
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

#include "ladle-application.h"
#include "ladle-server.h"

G_BEGIN_DECLS

#define LADLE_TYPE_WINDOW (ladle_window_get_type ())

G_DECLARE_FINAL_TYPE (LadleWindow, ladle_window, LADLE, WINDOW, AdwApplicationWindow)

LadleWindow *ladle_window_new          (LadleApplication *application);
void         ladle_window_set_bench    (LadleWindow      *self,
                                        const char       *name);
const char  *ladle_window_get_bench    (LadleWindow      *self);
void         ladle_window_add_toast    (LadleWindow      *self,
                                        const char       *title);
LadleServer *ladle_window_get_server   (LadleWindow      *self);
GtkWidget   *ladle_window_get_page     (LadleWindow      *self,
                                        const char       *name);

G_END_DECLS
