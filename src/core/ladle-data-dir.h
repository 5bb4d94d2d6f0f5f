/* ladle-data-dir.h
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

/* The folder the window keeps its data in (history, open tabs, the routes it saves without a file
 * of the user's): g_get_user_data_dir()/APP_ID, so that a development build (its own app id) never
 * shares it with an installed one. Before, every build used g_get_user_data_dir()/ladle. */
char     *ladle_data_dir_dup             (const char           *app_id);
char     *ladle_data_dir_dup_legacy      (void);

gboolean  ladle_data_dir_migrate         (const char           *legacy,
                                          const char           *dir,
                                          gboolean             *out_moved,
                                          GError              **error);
void      ladle_data_dir_migrate_async   (const char           *legacy,
                                          const char           *dir,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean  ladle_data_dir_migrate_finish  (GAsyncResult         *result,
                                          gboolean             *out_moved,
                                          GError              **error);

char     *ladle_data_dir_rebase          (const char           *path,
                                          const char           *from,
                                          const char           *to);

G_END_DECLS
