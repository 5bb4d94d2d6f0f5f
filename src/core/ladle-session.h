/* ladle-session.h
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

#include "ladle-request.h"

G_BEGIN_DECLS

/* LadleSession: what the window had open, to open again at the next start: the request tabs, in
 * DIR/tabs.json. A Ladle from before tabs kept the one request being edited in DIR/draft.json:
 * without a tabs file it becomes the one tab, and it is removed once tabs are saved. Both are
 * LadleJsonStores: written atomically in a worker thread, and a damaged file (or one a newer Ladle
 * wrote) is renamed to NAME.corrupt-STAMP, never overwritten. */
#define LADLE_TYPE_SESSION (ladle_session_get_type ())
G_DECLARE_FINAL_TYPE (LadleSession, ladle_session, LADLE, SESSION, GObject)

LadleSession *ladle_session_new              (const char           *dir);
const char   *ladle_session_get_dir          (LadleSession         *self);

void          ladle_session_load_tabs_async  (LadleSession         *self,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
GPtrArray    *ladle_session_load_tabs_finish (LadleSession         *self,
                                              GAsyncResult         *result,
                                              guint                *selected,
                                              GError              **error);
void          ladle_session_save_tabs_async  (LadleSession         *self,
                                              GPtrArray            *requests,
                                              guint                 selected,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean      ladle_session_save_tabs_finish (LadleSession         *self,
                                              GAsyncResult         *result,
                                              GError              **error);
gboolean      ladle_session_save_tabs        (LadleSession         *self,
                                              GPtrArray            *requests,
                                              guint                 selected,
                                              GError              **error);

G_END_DECLS
