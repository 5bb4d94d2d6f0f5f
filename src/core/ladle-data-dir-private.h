/* ladle-data-dir-private.h
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

#include "ladle-data-dir.h"

G_BEGIN_DECLS

/* ladle_data_dir_migrate(), copying even where renaming would work: for tests only. */
gboolean _ladle_data_dir_migrate_full (const char  *legacy,
                                       const char  *dir,
                                       gboolean     copy,
                                       gboolean    *out_moved,
                                       GError     **error);

G_END_DECLS
