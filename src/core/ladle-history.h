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
/* (transfer none): do not edit it; ladle_request_copy() it to reopen it. */
LadleRequest      *ladle_history_entry_get_request  (LadleHistoryEntry *self);
guint              ladle_history_entry_get_status   (LadleHistoryEntry *self);
const char        *ladle_history_entry_get_error    (LadleHistoryEntry *self);
gint64             ladle_history_entry_get_time     (LadleHistoryEntry *self);
gint64             ladle_history_entry_get_duration (LadleHistoryEntry *self);

/* LadleHistory: a GListModel of LadleHistoryEntry, newest first, at most max-size entries; stored
 * in DIR/history.json, the open request tabs in DIR/tabs.json (before tabs, the one request being
 * edited was DIR/draft.json). Files are written atomically; a damaged file is renamed to
 * NAME.corrupt-TIMESTAMP, never overwritten. */
#define LADLE_TYPE_HISTORY (ladle_history_get_type ())
G_DECLARE_FINAL_TYPE (LadleHistory, ladle_history, LADLE, HISTORY, GObject)

/* @dir: NULL for g_get_user_data_dir()/ladle */
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
/* Saves a snapshot of the entries as they are now; a later save always wins over an earlier one. */
void          ladle_history_save_async         (LadleHistory        *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean      ladle_history_save_finish        (LadleHistory        *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* The draft: a snapshot of @request is saved. */
void          ladle_history_save_draft_async   (LadleHistory        *self,
                                                LadleRequest        *request,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean      ladle_history_save_draft_finish  (LadleHistory        *self,
                                                GAsyncResult        *result,
                                                GError             **error);
/* Blocking, for a small draft at exit (g_file_set_contents_full, consistent mode). */
gboolean      ladle_history_save_draft         (LadleHistory        *self,
                                                LadleRequest        *request,
                                                GError             **error);
void          ladle_history_load_draft_async   (LadleHistory        *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
/* Returns: (transfer full) (nullable): the draft; NULL without error when there is none, NULL
 * with an error (as for the history) when it was damaged and set aside. */
LadleRequest *ladle_history_load_draft_finish  (LadleHistory        *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* The open tabs: snapshots of @requests (an array of LadleRequest) and the index of the selected
 * one. Once a tabs file is on disk, an old draft.json is removed (it was migrated). */
void          ladle_history_save_tabs_async    (LadleHistory        *self,
                                                GPtrArray           *requests,
                                                guint                selected,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean      ladle_history_save_tabs_finish   (LadleHistory        *self,
                                                GAsyncResult        *result,
                                                GError             **error);
/* Blocking, for the few tabs at exit (g_file_set_contents_full, consistent mode). */
gboolean      ladle_history_save_tabs          (LadleHistory        *self,
                                                GPtrArray           *requests,
                                                guint                selected,
                                                GError             **error);
/* Without a tabs file, a draft.json becomes the one tab. */
void          ladle_history_load_tabs_async    (LadleHistory        *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
/* Returns: (transfer full) (nullable) (element-type LadleRequest): the tabs' requests, @selected
 * set to the selected one's index (less than their number); NULL without error when none were
 * saved; NULL with an error (as for the history) when the file was damaged and set aside. */
GPtrArray    *ladle_history_load_tabs_finish   (LadleHistory        *self,
                                                GAsyncResult        *result,
                                                guint               *selected,
                                                GError             **error);

GPtrArray    *_ladle_history_parse             (const char          *contents,
                                                gsize                length,
                                                gboolean             tabs,
                                                guint               *out_selected,
                                                GError             **error);

G_END_DECLS
