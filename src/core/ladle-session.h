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

/* LadleSessionTab: one tab as saved: its request, and, for a request of a workspace's file, where
 * it came from: the file's absolute path, the request's name there (NULL for an unnamed one) and
 * its index among the file's requests. A scratch tab has no origin_file. */
typedef struct
{
  LadleRequest *request;
  char         *origin_file;
  char         *origin_request;
  guint         origin_index;
} LadleSessionTab;

#define LADLE_TYPE_SESSION_TAB (ladle_session_tab_get_type ())

GType            ladle_session_tab_get_type   (void) G_GNUC_CONST;
LadleSessionTab *ladle_session_tab_new        (LadleRequest          *request);
LadleSessionTab *ladle_session_tab_copy       (const LadleSessionTab *tab);
void             ladle_session_tab_free       (LadleSessionTab       *tab);
/* @file (nullable): NULL for none; @request (nullable): the request's name, NULL for none. */
void             ladle_session_tab_set_origin (LadleSessionTab       *tab,
                                               const char            *file,
                                               const char            *request,
                                               guint                  index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LadleSessionTab, ladle_session_tab_free)

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

/* The same with each tab's origin: arrays of LadleSessionTab. A load is finished by either
 * ladle_session_load_tabs_finish() or ladle_session_load_tabs_full_finish(); a full save by
 * ladle_session_save_tabs_finish(). */
GPtrArray    *ladle_session_load_tabs_full_finish (LadleSession         *self,
                                                   GAsyncResult         *result,
                                                   guint                *selected,
                                                   GError              **error);
void          ladle_session_save_tabs_full_async  (LadleSession         *self,
                                                   GPtrArray            *tabs,
                                                   guint                 selected,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean      ladle_session_save_tabs_full        (LadleSession         *self,
                                                   GPtrArray            *tabs,
                                                   guint                 selected,
                                                   GError              **error);

G_END_DECLS
