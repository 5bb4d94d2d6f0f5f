/* ladle-history.h
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

/* LadleHistoryEntry: one finished send (immutable). */
#define LADLE_TYPE_HISTORY_ENTRY (ladle_history_entry_get_type ())
G_DECLARE_FINAL_TYPE (LadleHistoryEntry, ladle_history_entry, LADLE, HISTORY_ENTRY, GObject)

/* @status: the HTTP status, 0 when the send failed with @error (nullable); @time: real time
 * (g_get_real_time) the send started; @duration in µs. The entry keeps a copy of @request. */
LadleHistoryEntry *ladle_history_entry_new          (LadleRequest      *request,
                                                     guint              status,
                                                     const char        *error,
                                                     gint64             time,
                                                     gint64             duration);
LadleHistoryEntry *ladle_history_entry_new_failed   (LadleRequest      *request,
                                                     const GError      *error,
                                                     gint64             time,
                                                     gint64             duration);
/* (transfer none): do not edit it; ladle_request_copy() it to reopen it. */
LadleRequest      *ladle_history_entry_get_request  (LadleHistoryEntry *self);
guint              ladle_history_entry_get_status   (LadleHistoryEntry *self);
const char        *ladle_history_entry_get_error    (LadleHistoryEntry *self);
gint64             ladle_history_entry_get_time     (LadleHistoryEntry *self);
gint64             ladle_history_entry_get_duration (LadleHistoryEntry *self);

/* LadleHistory: a GListModel of LadleHistoryEntry, newest first, at most max-size entries, kept in
 * DIR/history.json by a LadleJsonStore: written atomically in a worker thread, and a damaged file
 * (or one a newer Ladle wrote) is renamed to history.json.corrupt-STAMP, never overwritten. The
 * open tabs are LadleSession's. */
#define LADLE_TYPE_HISTORY (ladle_history_get_type ())
G_DECLARE_FINAL_TYPE (LadleHistory, ladle_history, LADLE, HISTORY, GObject)

LadleHistory *ladle_history_new                (const char          *dir);
const char   *ladle_history_get_dir            (LadleHistory        *self);
guint         ladle_history_get_max_size       (LadleHistory        *self);
void          ladle_history_set_max_size       (LadleHistory        *self,
                                                guint                max_size);
/* Puts @entry first, dropping the oldest entries beyond max-size. */
void          ladle_history_add                (LadleHistory        *self,
                                                LadleHistoryEntry   *entry);
void          ladle_history_clear              (LadleHistory        *self);

/* Adds the file's entries after those in memory (added since, so newer). A missing file is an
 * empty history. A damaged one is set aside: nothing is added and finish returns FALSE with a
 * LADLE_ERROR_PARSE error whose message says where the file went (for the user). */
void          ladle_history_load_async         (LadleHistory        *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean      ladle_history_load_finish        (LadleHistory        *self,
                                                GAsyncResult        *result,
                                                GError             **error);
void          ladle_history_save_async         (LadleHistory        *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean      ladle_history_save_finish        (LadleHistory        *self,
                                                GAsyncResult        *result,
                                                GError             **error);

G_END_DECLS
