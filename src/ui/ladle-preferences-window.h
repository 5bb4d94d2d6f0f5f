/* ladle-preferences-window.h
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

G_BEGIN_DECLS

#define LADLE_TYPE_PREFERENCES_WINDOW (ladle_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (LadlePreferencesWindow, ladle_preferences_window, LADLE, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

LadlePreferencesWindow *ladle_preferences_window_new (GtkWindow *parent,
                                                      GSettings *settings);

G_END_DECLS
