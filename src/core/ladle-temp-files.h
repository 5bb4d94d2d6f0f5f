/* ladle-temp-files.h
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

char     *ladle_temp_file_dup_template  (const char           *kind,
                                         const char           *suffix);
GFile    *ladle_temp_file_create        (const char           *dir,
                                         gboolean              hidden,
                                         const char           *kind,
                                         const char           *suffix,
                                         int                  *out_fd,
                                         GError              **error);
void      ladle_temp_files_add          (GFile                *file);
void      ladle_temp_files_forget       (GFile                *file);
void      ladle_temp_file_delete        (GFile                *file);
void      ladle_temp_file_delete_async  (GFile                *file);
guint     ladle_temp_files_delete_all   (void);

gboolean  ladle_temp_file_parse_name    (const char           *name,
                                         guint                *out_pid,
                                         gboolean             *out_legacy);
guint     ladle_temp_files_sweep        (const char           *dir,
                                         GCancellable         *cancellable);
void      ladle_temp_files_sweep_async  (const char           *dir,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean  ladle_temp_files_sweep_finish (GAsyncResult         *result,
                                         guint                *out_removed,
                                         GError              **error);

void      ladle_temp_files_install      (GApplication         *app);

G_END_DECLS
