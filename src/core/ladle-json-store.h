/* ladle-json-store.h
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
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * LadleJsonStoreFlags:
 * @LADLE_JSON_STORE_DEFAULT: a file that does not load is set aside at once (Ladle's own files)
 * @LADLE_JSON_STORE_SET_ASIDE_ON_SAVE: a file that does not load stays where it is, so that the
 *   user can mend it and load it again, until the next save sets it aside (files the user edits)
 */
typedef enum
{
  LADLE_JSON_STORE_DEFAULT           = 0,
  LADLE_JSON_STORE_SET_ASIDE_ON_SAVE = 1 << 0,
} LadleJsonStoreFlags;

/**
 * LadleJsonStoreParseFunc:
 * @root: the file's top-level object
 * @version: its "version", from 1 to the store's version
 * @user_data: as passed to ladle_json_store_load_async()
 * @error: why the file is not valid
 *
 * Runs in a worker thread, with the store's file lock held: it must not call the store.
 *
 * Returns: (transfer full) (nullable): the value the load hands back, or %NULL with @error set
 *   when the file is not valid (it is then set aside)
 */
typedef gpointer  (*LadleJsonStoreParseFunc) (JsonObject  *root,
                                              guint        version,
                                              gpointer     user_data,
                                              GError     **error);

/**
 * LadleJsonStoreReadFunc:
 * @path: (type filename): the store's file
 * @user_data: as passed to ladle_json_store_load_file_async()
 * @error: why the file is not valid; %G_FILE_ERROR_NOENT when there is none
 *
 * Reads and parses the file itself, for a format with rules of its own. Runs in a worker thread,
 * with the store's file lock held: it must not call the store.
 *
 * Returns: (transfer full) (nullable): the value, or %NULL with @error set
 */
typedef gpointer  (*LadleJsonStoreReadFunc)  (const char  *path,
                                              gpointer     user_data,
                                              GError     **error);

/**
 * LadleJsonStoreBuildFunc:
 * @snapshot: as passed to ladle_json_store_save_snapshot_async()
 *
 * Builds the document to write. Runs in a worker thread (or in ladle_json_store_flush()'s), one
 * call at a time: it must only read @snapshot.
 *
 * Returns: (transfer full): the document
 */
typedef JsonNode *(*LadleJsonStoreBuildFunc) (gpointer     snapshot);

/* LadleJsonStore: one versioned JSON file, FOLDER/NAME, read and written in worker threads.
 *
 * Writes are atomic (a temporary file in the same folder, synced, renamed over the old one;
 * folders made 0700, files 0600) and coalesced: saves asked for while one is being written make
 * one more write, of the newest content. A file that does not load (unreadable, not JSON, nested
 * too deep, not an object with a "version", written by a newer version, refused by the parser) is
 * never written over: it is renamed to NAME.corrupt-STAMP (a name not taken yet; STAMP is the UTC
 * time, 20260102T030405) and the load or save that did so says where it went. Call a store from
 * the thread that made it. */
#define LADLE_TYPE_JSON_STORE (ladle_json_store_get_type ())
G_DECLARE_FINAL_TYPE (LadleJsonStore, ladle_json_store, LADLE, JSON_STORE, GObject)

LadleJsonStore *ladle_json_store_new                  (const char               *folder,
                                                       const char               *name,
                                                       guint                     version,
                                                       LadleJsonStoreFlags       flags);
LadleJsonStore *ladle_json_store_new_for_path         (const char               *path,
                                                       guint                     version,
                                                       LadleJsonStoreFlags       flags);
const char     *ladle_json_store_get_folder           (LadleJsonStore           *self);
const char     *ladle_json_store_get_path             (LadleJsonStore           *self);
guint           ladle_json_store_get_version          (LadleJsonStore           *self);
void            ladle_json_store_set_max_size         (LadleJsonStore           *self,
                                                       gsize                     max_size);

void            ladle_json_store_load_async           (LadleJsonStore           *self,
                                                       LadleJsonStoreParseFunc   parse,
                                                       gpointer                  user_data,
                                                       GDestroyNotify            user_data_free,
                                                       GDestroyNotify            value_free,
                                                       GCancellable             *cancellable,
                                                       GAsyncReadyCallback       callback,
                                                       gpointer                  callback_data);
void            ladle_json_store_load_file_async      (LadleJsonStore           *self,
                                                       LadleJsonStoreReadFunc    read,
                                                       gpointer                  user_data,
                                                       GDestroyNotify            user_data_free,
                                                       GDestroyNotify            value_free,
                                                       GCancellable             *cancellable,
                                                       GAsyncReadyCallback       callback,
                                                       gpointer                  callback_data);
gpointer        ladle_json_store_load_finish          (LadleJsonStore           *self,
                                                       GAsyncResult             *result,
                                                       char                    **out_set_aside,
                                                       GError                  **error);

void            ladle_json_store_save_async           (LadleJsonStore           *self,
                                                       JsonNode                 *root,
                                                       GCancellable             *cancellable,
                                                       GAsyncReadyCallback       callback,
                                                       gpointer                  user_data);
void            ladle_json_store_save_snapshot_async  (LadleJsonStore           *self,
                                                       gpointer                  snapshot,
                                                       LadleJsonStoreBuildFunc   build,
                                                       GDestroyNotify            snapshot_free,
                                                       GCancellable             *cancellable,
                                                       GAsyncReadyCallback       callback,
                                                       gpointer                  user_data);
gboolean        ladle_json_store_save_finish          (LadleJsonStore           *self,
                                                       GAsyncResult             *result,
                                                       char                    **out_set_aside,
                                                       GError                  **error);
gboolean        ladle_json_store_save                 (LadleJsonStore           *self,
                                                       JsonNode                 *root,
                                                       char                    **out_set_aside,
                                                       GError                  **error);
gboolean        ladle_json_store_flush                (LadleJsonStore           *self,
                                                       GError                  **error);

void            ladle_json_store_remove_async         (LadleJsonStore           *self,
                                                       GCancellable             *cancellable,
                                                       GAsyncReadyCallback       callback,
                                                       gpointer                  user_data);
gboolean        ladle_json_store_remove_finish        (LadleJsonStore           *self,
                                                       GAsyncResult             *result,
                                                       GError                  **error);
gboolean        ladle_json_store_remove               (LadleJsonStore           *self,
                                                       GError                  **error);

G_END_DECLS
