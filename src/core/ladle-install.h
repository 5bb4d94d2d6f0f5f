/* ladle-install.h
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

#include <glib.h>

G_BEGIN_DECLS

/* Where an installed copy finds its own files (the catalogue, the window's executable) when it
 * runs from another prefix than the one it was built for: installed with DESTDIR, or moved. */
char *ladle_install_locate      (const char *exe,
                                 const char *exe_dir,
                                 const char *prefix,
                                 const char *dir);
char *ladle_install_locate_self (const char *exe_dir,
                                 const char *dir);

G_END_DECLS
