/* ladle-workspace.h
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

#include "ladle-http-file.h"

G_BEGIN_DECLS

/* A workspace is a folder: every `*.http` and `*.rest` file under it is a collection of requests,
 * and its sub-folders are groups. The tree is three kinds of node, each folder's and file's
 * children a GListModel of nodes (for a GtkTreeListModel). */

typedef enum
{
  LADLE_WORKSPACE_NODE_FOLDER,
  LADLE_WORKSPACE_NODE_FILE,
  LADLE_WORKSPACE_NODE_REQUEST,
} LadleWorkspaceNodeKind;

#define LADLE_TYPE_WORKSPACE_NODE (ladle_workspace_node_get_type ())
G_DECLARE_FINAL_TYPE (LadleWorkspaceNode, ladle_workspace_node, LADLE, WORKSPACE_NODE, GObject)

LadleWorkspaceNodeKind  ladle_workspace_node_get_kind     (LadleWorkspaceNode *self);
/* A folder's or file's base name; a request's name, else "METHOD URL" as written. */
const char             *ladle_workspace_node_get_name     (LadleWorkspaceNode *self);
/* The folder's or file's path (a request's: its file's). */
const char             *ladle_workspace_node_get_path     (LadleWorkspaceNode *self);
/* (nullable): the file of a file or request node. */
LadleHttpFile          *ladle_workspace_node_get_file     (LadleWorkspaceNode *self);
/* (nullable): a request's entry. */
LadleHttpEntry         *ladle_workspace_node_get_entry    (LadleWorkspaceNode *self);
/* A request's index among its file's entries. */
guint                   ladle_workspace_node_get_index    (LadleWorkspaceNode *self);
/* (nullable): a request's method and URL as written. */
const char             *ladle_workspace_node_get_method   (LadleWorkspaceNode *self);
const char             *ladle_workspace_node_get_url      (LadleWorkspaceNode *self);
/* (nullable): a folder's or file's children (LadleWorkspaceNode); NULL for a request. */
GListModel             *ladle_workspace_node_get_children (LadleWorkspaceNode *self);
/* (nullable): the folder or file holding this node. */
LadleWorkspaceNode     *ladle_workspace_node_get_parent   (LadleWorkspaceNode *self);
/* (nullable): why a file could not be read. */
const char             *ladle_workspace_node_get_error    (LadleWorkspaceNode *self);

#define LADLE_WORKSPACE_MAX_DEPTH 32
#define LADLE_WORKSPACE_MAX_FILES 20000

/* LadleWorkspace: lives on its owner's thread. Scanning and parsing happen in worker threads; the
 * nodes reach the owner's context in batches, so that it never stalls. Each folder is watched:
 * after a quiet moment, what changed on disk is read again (in a worker) and the tree follows,
 * with "file-changed" (const char *path) for every file whose text changed or that went away.
 * Properties: "loading", "warning" (nullable: why part of the folder is not shown). */
#define LADLE_TYPE_WORKSPACE (ladle_workspace_get_type ())
G_DECLARE_FINAL_TYPE (LadleWorkspace, ladle_workspace, LADLE, WORKSPACE, GObject)

LadleWorkspace     *ladle_workspace_new              (const char          *folder);
const char         *ladle_workspace_get_folder       (LadleWorkspace      *self);
/* (transfer none): the folder's node; its children are empty until the load delivers them. */
LadleWorkspaceNode *ladle_workspace_get_root         (LadleWorkspace      *self);
gboolean            ladle_workspace_get_loading      (LadleWorkspace      *self);
const char         *ladle_workspace_get_warning      (LadleWorkspace      *self);
guint               ladle_workspace_get_n_files      (LadleWorkspace      *self);
guint               ladle_workspace_get_n_requests   (LadleWorkspace      *self);
/* For tests: smaller bounds than LADLE_WORKSPACE_MAX_*, and the quiet time before a change on
 * disk is read (milliseconds). Before the load. */
void                ladle_workspace_set_limits       (LadleWorkspace      *self,
                                                      guint                max_depth,
                                                      guint                max_files);
void                ladle_workspace_set_debounce     (LadleWorkspace      *self,
                                                      guint                ms);
/* Scans the folder; finishes once every node has been delivered. Fails only when the folder
 * cannot be read. */
void                ladle_workspace_load_async       (LadleWorkspace      *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean            ladle_workspace_load_finish      (LadleWorkspace      *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
/* (transfer none) (nullable): the node of the file at @path. */
LadleWorkspaceNode *ladle_workspace_find_file        (LadleWorkspace      *self,
                                                      const char          *path);
/* (transfer none) (nullable): the node of the folder at @path. */
LadleWorkspaceNode *ladle_workspace_find_folder      (LadleWorkspace      *self,
                                                      const char          *path);
/* (transfer none) (nullable): request @index of the file at @path. */
LadleWorkspaceNode *ladle_workspace_find_request     (LadleWorkspace      *self,
                                                      const char          *path,
                                                      guint                index);

/* Operations. Each writes the file atomically (ladle_http_file_save), leaves every byte of the
 * other requests as it was, and updates the tree at once. */

/* A new empty file @name (".http" added when it has no .http/.rest suffix) in @folder (a folder
 * node, NULL for the workspace's folder); fails if it exists. */
LadleWorkspaceNode *ladle_workspace_new_file         (LadleWorkspace      *self,
                                                      LadleWorkspaceNode  *folder,
                                                      const char          *name,
                                                      GError             **error);
/* Puts @text (one or more requests' regions) before request @index of @file_node, or at the end
 * when @index is the number of requests. */
gboolean            ladle_workspace_insert_text      (LadleWorkspace      *self,
                                                      LadleWorkspaceNode  *file_node,
                                                      guint                index,
                                                      const char          *text,
                                                      GError             **error);
/* Puts @entry (formatted, checked to read back the same) at the end of @file_node; returns its
 * index or -1. */
int                 ladle_workspace_append_entry     (LadleWorkspace      *self,
                                                      LadleWorkspaceNode  *file_node,
                                                      const LadleHttpEntry *entry,
                                                      GError             **error);
/* Writes @entry (checked to read back the same) in place of request @index of the file at
 * @path. */
gboolean            ladle_workspace_replace_entry    (LadleWorkspace      *self,
                                                      const char          *path,
                                                      guint                index,
                                                      const LadleHttpEntry *entry,
                                                      GError             **error);
gboolean            ladle_workspace_rename_request   (LadleWorkspace      *self,
                                                      LadleWorkspaceNode  *request,
                                                      const char          *name,
                                                      GError             **error);
/* A copy named "NAME copy" right after it. */
gboolean            ladle_workspace_duplicate_request (LadleWorkspace     *self,
                                                       LadleWorkspaceNode *request,
                                                       GError            **error);
/* Returns the removed text (for an undo through ladle_workspace_insert_text at the same index),
 * or NULL with @error. */
char               *ladle_workspace_delete_request   (LadleWorkspace      *self,
                                                      LadleWorkspaceNode  *request,
                                                      GError             **error);
/* Moves @request before request @index of @file_node (its own file or another). */
gboolean            ladle_workspace_move_request     (LadleWorkspace      *self,
                                                      LadleWorkspaceNode  *request,
                                                      LadleWorkspaceNode  *file_node,
                                                      guint                index,
                                                      GError             **error);

/* Helpers */

/* A deep copy of @entry, named @name (nullable: the same name). */
LadleHttpEntry     *ladle_workspace_copy_entry       (const LadleHttpEntry *entry,
                                                      const char           *name);
/* The bytes of request @index of @file. */
char               *ladle_workspace_dup_entry_text   (LadleHttpFile        *file,
                                                      guint                 index);
/* The request to edit in a tab for @entry, its {{…}} kept as written: method, URL, headers,
 * directives as options, and the body as text (JSON when the Content-Type says so), one file, or
 * parts (text and files in order). */
LadleRequest       *ladle_workspace_entry_to_request (const LadleHttpEntry *entry);
/* The entry to write back for @request, edited from @original (nullable): what the request
 * model does not hold (request variables, assertions, scripts, other directives, the HTTP
 * version) is kept from @original. @name (nullable): else @original's. */
LadleHttpEntry     *ladle_workspace_entry_from_request (LadleRequest         *request,
                                                        const LadleHttpEntry *original,
                                                        const char           *name);
/* The `.http` files under @folder, read and parsed, in the order the sidebar shows them (folders
 * first, then files, each in file-name order), with a workspace's rules and bounds: hidden folders
 * and node_modules skipped, symbolic-link loops followed once, LADLE_WORKSPACE_MAX_DEPTH and
 * LADLE_WORKSPACE_MAX_FILES. Blocking (`ladle run FOLDER`; a window loads a LadleWorkspace).
 * (element-type LadleHttpFile): NULL with an error when a file cannot be read or a bound was
 * passed. */
GPtrArray          *ladle_workspace_load_files       (const char           *folder,
                                                        GError              **error);
/* Whether @name ends in .http or .rest (any case). */
gboolean            ladle_workspace_is_http_file     (const char           *name);

G_END_DECLS
