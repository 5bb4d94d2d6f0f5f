/* ladle-filename.h
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

#include <gio/gio.h>

G_BEGIN_DECLS

char     *ladle_filename_sanitize (const char  *name,
                                   gsize        max_bytes);
gboolean  ladle_filename_commit   (const char  *dir,
                                   const char  *temp_path,
                                   const char  *safe_name,
                                   char       **out_final_name,
                                   GError     **error);

/* Where to look first for a free "name (N).ext", per name; shared by threads */
typedef struct _LadleNameHints LadleNameHints;

LadleNameHints *ladle_name_hints_new        (void);
void            ladle_name_hints_free       (LadleNameHints  *hints);
guint64         ladle_name_hints_get_probes (LadleNameHints  *hints);
gboolean        ladle_filename_commit_hinted (const char      *dir,
                                              const char      *temp_path,
                                              const char      *safe_name,
                                              LadleNameHints  *hints,
                                              char           **out_final_name,
                                              GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LadleNameHints, ladle_name_hints_free)

G_END_DECLS
