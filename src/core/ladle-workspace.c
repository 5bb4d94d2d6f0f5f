/* ladle-workspace.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ladle-error.h"
#include "ladle-http-vars-private.h"
#include "ladle-workspace.h"

/* A file larger than this is listed with an error rather than read. */
#define MAX_FILE_SIZE (16 * 1024 * 1024)
/* Folders watched at most (inotify watches are a shared, limited resource). */
#define MAX_MONITORS 4096
/* Entries of folders looked at, at most, in one scan (a huge tree without .http files). */
#define MAX_VISITED 500000
/* Time one batch of delivery may take on the owner's context. */
#define BATCH_BUDGET_US 8000
#define DEFAULT_DEBOUNCE_MS 200

/* Nodes */

struct _LadleWorkspaceNode
{
  GObject                 parent_instance;

  LadleWorkspaceNodeKind  kind;
  char                   *name;
  char                   *path;
  LadleHttpFile          *file;
  guint                   index;
  char                   *method;
  char                   *url;
  char                   *error;
  GListStore             *children;
  LadleWorkspaceNode     *parent;       /* weak */
  /* files: what the file was when read, to tell a change from an echo of a save */
  gint64                  mtime;
  goffset                 size;
  /* folders */
  GFileMonitor           *monitor;
};

G_DEFINE_FINAL_TYPE (LadleWorkspaceNode, ladle_workspace_node, G_TYPE_OBJECT)

static void
ladle_workspace_node_finalize (GObject *object)
{
  LadleWorkspaceNode *self = LADLE_WORKSPACE_NODE (object);

  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_matched (self->monitor, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                            self);
      g_file_monitor_cancel (self->monitor);
      g_clear_object (&self->monitor);
    }
  g_free (self->name);
  g_free (self->path);
  g_clear_pointer (&self->file, ladle_http_file_unref);
  g_free (self->method);
  g_free (self->url);
  g_free (self->error);
  g_clear_object (&self->children);

  G_OBJECT_CLASS (ladle_workspace_node_parent_class)->finalize (object);
}

static void
ladle_workspace_node_class_init (LadleWorkspaceNodeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ladle_workspace_node_finalize;
}

static void
ladle_workspace_node_init (LadleWorkspaceNode *self)
{
}

static LadleWorkspaceNode *
node_new (LadleWorkspaceNodeKind  kind,
          const char             *name,
          const char             *path)
{
  LadleWorkspaceNode *self = g_object_new (LADLE_TYPE_WORKSPACE_NODE, NULL);

  self->kind = kind;
  self->name = g_strdup (name);
  self->path = g_strdup (path);
  if (kind != LADLE_WORKSPACE_NODE_REQUEST)
    self->children = g_list_store_new (LADLE_TYPE_WORKSPACE_NODE);
  return self;
}

static char *
entry_title (const LadleHttpEntry *entry)
{
  if (entry->name != NULL && entry->name[0] != '\0')
    return g_strdup (entry->name);
  return g_strdup_printf ("%s %s", entry->method != NULL ? entry->method : "GET",
                          entry->url != NULL ? entry->url : "");
}

/* The request nodes of @file, for a file node. */
static GPtrArray *
request_nodes_new (LadleWorkspaceNode *file_node)
{
  GPtrArray *entries = ladle_http_file_get_entries (file_node->file);
  GPtrArray *nodes = g_ptr_array_new_full (entries->len, g_object_unref);

  for (guint i = 0; i < entries->len; i++)
    {
      const LadleHttpEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *title = entry_title (entry);
      LadleWorkspaceNode *node = node_new (LADLE_WORKSPACE_NODE_REQUEST, title, file_node->path);

      node->file = ladle_http_file_ref (file_node->file);
      node->index = i;
      node->method = g_strdup (entry->method != NULL ? entry->method : "GET");
      node->url = g_strdup (entry->url != NULL ? entry->url : "");
      node->parent = file_node;
      g_ptr_array_add (nodes, node);
    }
  return nodes;
}

/* Gives @file_node the file @file (or the error @error), its request nodes replaced. */
static void
file_node_set (LadleWorkspaceNode *file_node,
               LadleHttpFile      *file,
               const char         *error)
{
  g_autoptr(GPtrArray) nodes = NULL;

  g_clear_pointer (&file_node->file, ladle_http_file_unref);
  g_clear_pointer (&file_node->error, g_free);
  file_node->file = file != NULL ? ladle_http_file_ref (file) : NULL;
  file_node->error = g_strdup (error);
  if (file != NULL)
    nodes = request_nodes_new (file_node);
  g_list_store_splice (file_node->children, 0,
                       g_list_model_get_n_items (G_LIST_MODEL (file_node->children)),
                       nodes != NULL ? nodes->pdata : NULL, nodes != NULL ? nodes->len : 0);
}

LadleWorkspaceNodeKind
ladle_workspace_node_get_kind (LadleWorkspaceNode *self)
{
  g_return_val_if_fail (LADLE_IS_WORKSPACE_NODE (self), 0);
  return self->kind;
}

const char *
ladle_workspace_node_get_name (LadleWorkspaceNode *self)
{
  g_return_val_if_fail (LADLE_IS_WORKSPACE_NODE (self), NULL);
  return self->name;
}

const char *
ladle_workspace_node_get_path (LadleWorkspaceNode *self)
{
  g_return_val_if_fail (LADLE_IS_WORKSPACE_NODE (self), NULL);
  return self->path;
}

LadleHttpFile *
ladle_workspace_node_get_file (LadleWorkspaceNode *self)
{
  g_return_val_if_fail (LADLE_IS_WORKSPACE_NODE (self), NULL);
  return self->file;
}

LadleHttpEntry *
ladle_workspace_node_get_entry (LadleWorkspaceNode *self)
{
  GPtrArray *entries;

  g_return_val_if_fail (LADLE_IS_WORKSPACE_NODE (self), NULL);

  if (self->kind != LADLE_WORKSPACE_NODE_REQUEST || self->file == NULL)
    return NULL;
  entries = ladle_http_file_get_entries (self->file);
  return self->index < entries->len ? g_ptr_array_index (entries, self->index) : NULL;
}

guint
ladle_workspace_node_get_index (LadleWorkspaceNode *self)
{
  g_return_val_if_fail (LADLE_IS_WORKSPACE_NODE (self), 0);
  return self->index;
}

const char *
ladle_workspace_node_get_method (LadleWorkspaceNode *self)
{
  g_return_val_if_fail (LADLE_IS_WORKSPACE_NODE (self), NULL);
  return self->method;
}

const char *
ladle_workspace_node_get_url (LadleWorkspaceNode *self)
{
  g_return_val_if_fail (LADLE_IS_WORKSPACE_NODE (self), NULL);
  return self->url;
}

GListModel *
ladle_workspace_node_get_children (LadleWorkspaceNode *self)
{
  g_return_val_if_fail (LADLE_IS_WORKSPACE_NODE (self), NULL);
  return self->children != NULL ? G_LIST_MODEL (self->children) : NULL;
}

LadleWorkspaceNode *
ladle_workspace_node_get_parent (LadleWorkspaceNode *self)
{
  g_return_val_if_fail (LADLE_IS_WORKSPACE_NODE (self), NULL);
  return self->parent;
}

const char *
ladle_workspace_node_get_error (LadleWorkspaceNode *self)
{
  g_return_val_if_fail (LADLE_IS_WORKSPACE_NODE (self), NULL);
  return self->error;
}

/* Scanning (worker threads). A scan builds nodes that no other thread sees until it is done. */

gboolean
ladle_workspace_is_http_file (const char *name)
{
  g_autofree char *lower = g_utf8_strdown (name, -1);

  return g_str_has_suffix (lower, ".http") || g_str_has_suffix (lower, ".rest");
}

static gboolean
is_ignored_folder (const char *name)
{
  return name[0] == '.' || strcmp (name, "node_modules") == 0;
}

typedef struct
{
  guint       max_depth;
  guint       max_files;
  guint       n_files;
  guint       n_requests;
  guint       visited;
  gboolean    too_deep;
  gboolean    too_many;
  GHashTable *seen;          /* "dev:ino" of folders scanned, against symlink loops */
} Scan;

static void
scan_init (Scan  *scan,
           guint  max_depth,
           guint  max_files)
{
  memset (scan, 0, sizeof *scan);
  scan->max_depth = max_depth;
  scan->max_files = max_files;
  scan->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
scan_clear (Scan *scan)
{
  g_clear_pointer (&scan->seen, g_hash_table_unref);
}

static char *
scan_warning (Scan *scan)
{
  if (scan->too_many)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Only the first %u file of the workspace is shown",
                                         "Only the first %u files of the workspace are shown",
                                         scan->max_files), scan->max_files);
  if (scan->too_deep)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Folders nested deeper than %u level are not shown",
                                         "Folders nested deeper than %u levels are not shown",
                                         scan->max_depth), scan->max_depth);
  return NULL;
}

static void
stat_stamp (const char *path,
            gint64     *mtime,
            goffset    *size)
{
  GStatBuf st;

  *mtime = 0;
  *size = -1;
  if (g_stat (path, &st) == 0)
    {
#ifdef st_mtime
      *mtime = (gint64) st.st_mtim.tv_sec * G_USEC_PER_SEC + st.st_mtim.tv_nsec / 1000;
#else
      *mtime = (gint64) st.st_mtime * G_USEC_PER_SEC;
#endif
      *size = st.st_size;
    }
}

/* Reads and parses one file into a file node. */
static LadleWorkspaceNode *
scan_file (Scan       *scan,
           const char *path,
           const char *name)
{
  LadleWorkspaceNode *node = node_new (LADLE_WORKSPACE_NODE_FILE, name, path);
  g_autoptr(LadleHttpFile) file = NULL;
  g_autoptr(GError) error = NULL;

  stat_stamp (path, &node->mtime, &node->size);
  if (node->size > MAX_FILE_SIZE)
    {
      g_autofree char *size = g_format_size (MAX_FILE_SIZE);

      node->error = g_strdup_printf (_("%s: larger than %s, not read"), path, size);
      return node;
    }
  file = ladle_http_file_load (path, &error);
  if (file == NULL)
    {
      node->error = g_strdup (error->message);
      return node;
    }
  node->file = g_steal_pointer (&file);
  {
    g_autoptr(GPtrArray) nodes = request_nodes_new (node);

    g_list_store_splice (node->children, 0, 0, nodes->pdata, nodes->len);
    scan->n_requests += nodes->len;
  }
  return node;
}

typedef struct
{
  char     *name;
  char     *key;
  gboolean  is_dir;
} DirItem;

static void
dir_item_free (gpointer data)
{
  DirItem *item = data;

  g_free (item->name);
  g_free (item->key);
  g_free (item);
}

static int
dir_item_compare (gconstpointer a,
                  gconstpointer b)
{
  const DirItem *x = *(DirItem * const *) a;
  const DirItem *y = *(DirItem * const *) b;

  if (x->is_dir != y->is_dir)
    return x->is_dir ? -1 : 1;
  return strcmp (x->key, y->key);
}

/* The folder's sub-folders and .http files, folders first, each group in file-name order. */
static GPtrArray *
list_folder (Scan       *scan,
             const char *path,
             GError    **error)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, error);
  g_autoptr(GPtrArray) items = NULL;
  const char *name;

  if (dir == NULL)
    return NULL;

  items = g_ptr_array_new_with_free_func (dir_item_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = NULL;
      gboolean is_dir;
      DirItem *item;

      if (++scan->visited > MAX_VISITED)
        {
          scan->too_many = TRUE;
          break;
        }
      if (name[0] == '.')
        continue;
      child = g_build_filename (path, name, NULL);
      is_dir = g_file_test (child, G_FILE_TEST_IS_DIR);
      if (is_dir ? is_ignored_folder (name)
                 : !ladle_workspace_is_http_file (name) ||
                   !g_file_test (child, G_FILE_TEST_IS_REGULAR))
        continue;
      item = g_new0 (DirItem, 1);
      item->name = g_strdup (name);
      item->key = g_utf8_collate_key_for_filename (name, -1);
      item->is_dir = is_dir;
      g_ptr_array_add (items, item);
    }
  g_ptr_array_sort (items, dir_item_compare);
  return g_steal_pointer (&items);
}

/* Whether the folder at @path was scanned already (a symbolic link back up the tree). */
static gboolean
already_seen (Scan       *scan,
              const char *path)
{
  GStatBuf st;
  char *key;

  if (g_stat (path, &st) != 0)
    return TRUE;
  key = g_strdup_printf ("%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT,
                         (guint64) st.st_dev, (guint64) st.st_ino);
  if (g_hash_table_contains (scan->seen, key))
    {
      g_free (key);
      return TRUE;
    }
  g_hash_table_add (scan->seen, key);
  return FALSE;
}

/* Scans @path into the children of @folder, down to the depth bound (iterative: no recursion on
 * the C stack). Folders without any .http file below them are left out. */
static void
scan_tree (Scan               *scan,
           LadleWorkspaceNode *folder,
           guint               depth,
           GCancellable       *cancellable)
{
  typedef struct
  {
    LadleWorkspaceNode *node;
    GPtrArray          *items;
    guint               next;
    guint               depth;
  } Frame;
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (Frame));
  Frame top = { folder, NULL, 0, depth };

  already_seen (scan, folder->path);
  top.items = list_folder (scan, folder->path, NULL);
  if (top.items == NULL)
    return;
  g_array_append_val (stack, top);

  while (stack->len > 0)
    {
      Frame *frame = &g_array_index (stack, Frame, stack->len - 1);
      DirItem *item;
      g_autofree char *child_path = NULL;

      if (frame->next >= frame->items->len || g_cancellable_is_cancelled (cancellable))
        {
          LadleWorkspaceNode *done = frame->node;

          g_ptr_array_unref (frame->items);
          g_array_set_size (stack, stack->len - 1);
          if (stack->len > 0)
            {
              /* A sub-folder without any .http file below it is dropped: it is the last child
               * of its parent, its whole subtree having been scanned since it was added. */
              Frame *parent = &g_array_index (stack, Frame, stack->len - 1);
              GListModel *siblings = G_LIST_MODEL (parent->node->children);
              guint n = g_list_model_get_n_items (siblings);

              if (g_list_model_get_n_items (G_LIST_MODEL (done->children)) == 0 && n > 0)
                {
                  g_autoptr(LadleWorkspaceNode) last = g_list_model_get_item (siblings, n - 1);

                  if (last == done)
                    g_list_store_remove (parent->node->children, n - 1);
                }
              g_object_unref (done);
            }
          continue;
        }

      item = g_ptr_array_index (frame->items, frame->next++);
      child_path = g_build_filename (frame->node->path, item->name, NULL);
      if (item->is_dir)
        {
          g_autoptr(LadleWorkspaceNode) sub = NULL;
          Frame next = { NULL, NULL, 0, frame->depth + 1 };

          if (frame->depth + 1 > scan->max_depth)
            {
              scan->too_deep = TRUE;
              continue;
            }
          if (already_seen (scan, child_path))
            continue;
          next.items = list_folder (scan, child_path, NULL);
          if (next.items == NULL)
            continue;
          sub = node_new (LADLE_WORKSPACE_NODE_FOLDER, item->name, child_path);
          sub->parent = frame->node;
          g_list_store_append (frame->node->children, sub);
          /* The frame holds a reference of its own, dropped when it is popped. */
          next.node = g_object_ref (sub);
          g_array_append_val (stack, next);
        }
      else
        {
          g_autoptr(LadleWorkspaceNode) file_node = NULL;

          if (scan->n_files >= scan->max_files)
            {
              scan->too_many = TRUE;
              continue;
            }
          scan->n_files++;
          file_node = scan_file (scan, child_path, item->name);
          file_node->parent = frame->node;
          g_list_store_append (frame->node->children, file_node);
        }
    }
}

static gboolean
collect_files (LadleWorkspaceNode  *folder,
               GPtrArray           *files,
               GError             **error)
{
  GListModel *children = G_LIST_MODEL (folder->children);

  for (guint i = 0; i < g_list_model_get_n_items (children); i++)
    {
      g_autoptr(LadleWorkspaceNode) child = g_list_model_get_item (children, i);

      if (child->kind == LADLE_WORKSPACE_NODE_FOLDER)
        {
          if (!collect_files (child, files, error))   /* bounded by max_depth */
            return FALSE;
        }
      else if (child->file == NULL)
        {
          g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_FAILED,
                               child->error != NULL ? child->error : child->path);
          return FALSE;
        }
      else
        g_ptr_array_add (files, ladle_http_file_ref (child->file));
    }

  return TRUE;
}

GPtrArray *
ladle_workspace_load_files (const char  *folder,
                            GError     **error)
{
  g_autoptr(LadleWorkspaceNode) root = node_new (LADLE_WORKSPACE_NODE_FOLDER, folder, folder);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) ladle_http_file_unref);
  g_autofree char *warning = NULL;
  Scan scan;

  if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT, _("%s is not a folder"),
                   folder);
      return NULL;
    }

  scan_init (&scan, LADLE_WORKSPACE_MAX_DEPTH, LADLE_WORKSPACE_MAX_FILES);
  scan_tree (&scan, root, 0, NULL);
  warning = scan_warning (&scan);
  scan_clear (&scan);
  if (warning != NULL)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_TOO_LARGE, "%s: %s", folder, warning);
      return NULL;
    }

  if (!collect_files (root, files, error))
    return NULL;
  return g_steal_pointer (&files);
}

/* The workspace */

struct _LadleWorkspace
{
  GObject             parent_instance;

  char               *folder;
  LadleWorkspaceNode *root;
  char               *warning;
  guint               max_depth;
  guint               max_files;
  guint               n_files;
  guint               n_requests;
  guint               debounce_ms;
  gboolean            loading;
  gboolean            loaded;
  GCancellable       *cancellable;   /* of the scans in flight, cancelled on dispose */

  /* Delivery of a load's nodes, in batches */
  GTask              *load_task;
  LadleWorkspaceNode *pending;       /* the scanned root; its children move over */
  guint               pending_next;
  GPtrArray          *to_watch;      /* folder nodes still without a monitor */
  guint               deliver_id;

  /* Changes on disk */
  GHashTable         *dirty;         /* folder paths */
  guint               debounce_id;
  gboolean            rescanning;
  guint               n_monitors;
};

G_DEFINE_FINAL_TYPE (LadleWorkspace, ladle_workspace, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADING,
  PROP_WARNING,
  N_PROPS
};

enum {
  FILE_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void watch_folder (LadleWorkspace     *self,
                          LadleWorkspaceNode *folder);

static void
count_tree (LadleWorkspaceNode *node,
            guint              *n_files,
            guint              *n_requests)
{
  g_autoptr(GPtrArray) queue = g_ptr_array_new ();

  g_ptr_array_add (queue, node);
  for (guint i = 0; i < queue->len; i++)
    {
      LadleWorkspaceNode *current = g_ptr_array_index (queue, i);
      guint n;

      if (current->kind == LADLE_WORKSPACE_NODE_FILE)
        {
          (*n_files)++;
          if (current->file != NULL)
            *n_requests += ladle_http_file_get_entries (current->file)->len;
          continue;
        }
      if (current->kind != LADLE_WORKSPACE_NODE_FOLDER)
        continue;
      n = g_list_model_get_n_items (G_LIST_MODEL (current->children));
      for (guint j = 0; j < n; j++)
        {
          g_autoptr(LadleWorkspaceNode) child = g_list_model_get_item (G_LIST_MODEL (current->children), j);

          g_ptr_array_add (queue, child);
        }
    }
}

static void
recount (LadleWorkspace *self)
{
  self->n_files = 0;
  self->n_requests = 0;
  count_tree (self->root, &self->n_files, &self->n_requests);
}

static void
set_warning (LadleWorkspace *self,
             const char     *warning)
{
  if (g_strcmp0 (self->warning, warning) == 0)
    return;
  g_free (self->warning);
  self->warning = g_strdup (warning);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WARNING]);
}

static void
set_loading (LadleWorkspace *self,
             gboolean        loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Every folder node of @node's subtree (itself included), to be watched. */
static void
collect_folders (LadleWorkspaceNode *node,
                 GPtrArray          *out)
{
  g_autoptr(GPtrArray) queue = g_ptr_array_new ();

  g_ptr_array_add (queue, node);
  for (guint i = 0; i < queue->len; i++)
    {
      LadleWorkspaceNode *current = g_ptr_array_index (queue, i);
      guint n;

      if (current->kind != LADLE_WORKSPACE_NODE_FOLDER)
        continue;
      g_ptr_array_add (out, g_object_ref (current));
      n = g_list_model_get_n_items (G_LIST_MODEL (current->children));
      for (guint j = 0; j < n; j++)
        {
          g_autoptr(LadleWorkspaceNode) child = g_list_model_get_item (G_LIST_MODEL (current->children), j);

          if (child->kind == LADLE_WORKSPACE_NODE_FOLDER)
            g_ptr_array_add (queue, child);
        }
    }
}

/* Moves the scanned nodes into the tree a slice at a time, then sets up the folders' monitors a
 * slice at a time, each slice within BATCH_BUDGET_US. */
static gboolean
deliver_cb (gpointer data)
{
  LadleWorkspace *self = data;
  gint64 start = g_get_monotonic_time ();

  if (self->pending != NULL)
    {
      GListModel *from = G_LIST_MODEL (self->pending->children);
      guint n = g_list_model_get_n_items (from);
      guint batch = 64;

      while (self->pending_next < n && g_get_monotonic_time () - start < BATCH_BUDGET_US)
        {
          g_autoptr(GPtrArray) nodes = g_ptr_array_new_with_free_func (g_object_unref);
          guint end = MIN (n, self->pending_next + batch);

          for (guint i = self->pending_next; i < end; i++)
            {
              LadleWorkspaceNode *child = g_list_model_get_item (from, i);

              child->parent = self->root;
              g_ptr_array_add (nodes, child);
            }
          g_list_store_splice (self->root->children,
                               g_list_model_get_n_items (G_LIST_MODEL (self->root->children)), 0,
                               nodes->pdata, nodes->len);
          self->pending_next = end;
          batch = MIN (batch * 2, 1024);
        }
      if (self->pending_next < n)
        return G_SOURCE_CONTINUE;
      self->to_watch = g_ptr_array_new_with_free_func (g_object_unref);
      collect_folders (self->root, self->to_watch);
      g_clear_object (&self->pending);
      self->pending_next = 0;
      recount (self);
    }

  while (self->to_watch != NULL && self->to_watch->len > 0 &&
         g_get_monotonic_time () - start < BATCH_BUDGET_US)
    {
      LadleWorkspaceNode *folder = g_ptr_array_steal_index_fast (self->to_watch,
                                                                 self->to_watch->len - 1);

      watch_folder (self, folder);
      g_object_unref (folder);
    }
  if (self->to_watch != NULL && self->to_watch->len > 0)
    return G_SOURCE_CONTINUE;

  g_clear_pointer (&self->to_watch, g_ptr_array_unref);
  self->deliver_id = 0;
  self->loaded = TRUE;
  set_loading (self, FALSE);
  if (self->load_task != NULL)
    {
      GTask *task = g_steal_pointer (&self->load_task);

      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }
  return G_SOURCE_REMOVE;
}

typedef struct
{
  char               *folder;
  guint               max_depth;
  guint               max_files;
  LadleWorkspaceNode *root;
  char               *warning;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_free (load->folder);
  g_clear_object (&load->root);
  g_free (load->warning);
  g_free (load);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *load = task_data;
  Scan scan;
  g_autoptr(GError) error = NULL;

  if (!g_file_test (load->folder, G_FILE_TEST_IS_DIR))
    {
      g_task_return_new_error (task, LADLE_ERROR, LADLE_ERROR_FAILED,
                               _("%s: not a folder"), load->folder);
      return;
    }
  {
    g_autoptr(GDir) dir = g_dir_open (load->folder, 0, &error);

    if (dir == NULL)
      {
        g_task_return_error (task, g_steal_pointer (&error));
        return;
      }
  }

  scan_init (&scan, load->max_depth, load->max_files);
  load->root = node_new (LADLE_WORKSPACE_NODE_FOLDER, "", load->folder);
  scan_tree (&scan, load->root, 0, cancellable);
  load->warning = scan_warning (&scan);
  scan_clear (&scan);
  g_task_return_boolean (task, TRUE);
}

static void
load_scanned_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  LadleWorkspace *self = LADLE_WORKSPACE (source);
  GTask *task = G_TASK (result);
  LoadData *load = g_task_get_task_data (task);
  g_autoptr(GTask) outer = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (task, &error))
    {
      set_loading (self, FALSE);
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }
  if (g_task_return_error_if_cancelled (outer))
    return;

  set_warning (self, load->warning);
  self->pending = g_steal_pointer (&load->root);
  self->pending_next = 0;
  self->load_task = g_steal_pointer (&outer);
  /* The root itself is watched like any folder. */
  self->deliver_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, deliver_cb, self, NULL);
}

void
ladle_workspace_load_async (LadleWorkspace      *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) task = NULL;
  LoadData *load;

  g_return_if_fail (LADLE_IS_WORKSPACE (self));
  g_return_if_fail (!self->loading && !self->loaded);

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, ladle_workspace_load_async);
  set_loading (self, TRUE);

  load = g_new0 (LoadData, 1);
  load->folder = g_strdup (self->folder);
  load->max_depth = self->max_depth;
  load->max_files = self->max_files;
  task = g_task_new (self, self->cancellable, load_scanned_cb, g_steal_pointer (&outer));
  g_task_set_task_data (task, load, load_data_free);
  g_task_run_in_thread (task, load_thread);
}

gboolean
ladle_workspace_load_finish (LadleWorkspace  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Changes on disk: each folder's monitor marks it dirty; after a quiet moment the dirty folders
 * are listed again and their changed files read again, in a worker. */

static gboolean rescan_cb (gpointer data);

static void
on_folder_changed (GFileMonitor      *monitor,
                   GFile             *file,
                   GFile             *other,
                   GFileMonitorEvent  event,
                   gpointer           user_data)
{
  LadleWorkspaceNode *folder = user_data;
  LadleWorkspace *self = g_object_get_data (G_OBJECT (monitor), "ladle-workspace");

  if (self == NULL)
    return;
  if (event == G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED ||
      event == G_FILE_MONITOR_EVENT_PRE_UNMOUNT || event == G_FILE_MONITOR_EVENT_UNMOUNTED)
    return;
  g_hash_table_add (self->dirty, g_strdup (folder->path));
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  self->debounce_id = g_timeout_add (self->debounce_ms, rescan_cb, self);
}

static void
watch_folder (LadleWorkspace     *self,
              LadleWorkspaceNode *folder)
{
  g_autoptr(GFile) file = NULL;

  if (folder->monitor != NULL || self->n_monitors >= MAX_MONITORS)
    return;
  file = g_file_new_for_path (folder->path);
  folder->monitor = g_file_monitor_directory (file, G_FILE_MONITOR_WATCH_MOVES, NULL, NULL);
  if (folder->monitor == NULL)
    return;
  self->n_monitors++;
  g_object_set_data (G_OBJECT (folder->monitor), "ladle-workspace", self);
  g_signal_connect (folder->monitor, "changed", G_CALLBACK (on_folder_changed), folder);
}

/* What a rescan is given (the folders and their children's stamps) and finds. */
typedef struct
{
  char     *name;
  gboolean  is_dir;
  gint64    mtime;          /* files */
  goffset   size;
} Known;

typedef struct
{
  char      *path;
  GPtrArray *known;         /* Known */
  gboolean   gone;          /* the folder itself is no longer there */
  GPtrArray *children;      /* Found, in order */
} RescanFolder;

typedef struct
{
  char               *name;
  gboolean            is_dir;
  gboolean            changed;  /* a file whose stamp changed, or a new item */
  LadleWorkspaceNode *node;     /* new folder subtree or newly read file node; NULL: unchanged */
} Found;

static void
known_free (gpointer data)
{
  Known *known = data;

  g_free (known->name);
  g_free (known);
}

static void
found_free (gpointer data)
{
  Found *found = data;

  g_free (found->name);
  g_clear_object (&found->node);
  g_free (found);
}

static void
rescan_folder_free (gpointer data)
{
  RescanFolder *folder = data;

  g_free (folder->path);
  g_clear_pointer (&folder->known, g_ptr_array_unref);
  g_clear_pointer (&folder->children, g_ptr_array_unref);
  g_free (folder);
}

typedef struct
{
  GPtrArray *folders;       /* RescanFolder */
  guint      max_depth;
  guint      max_files;
  guint      n_files;       /* of the workspace before the rescan */
} RescanData;

static void
rescan_data_free (gpointer data)
{
  RescanData *rescan = data;

  g_ptr_array_unref (rescan->folders);
  g_free (rescan);
}

static Known *
find_known (GPtrArray  *known,
            const char *name,
            gboolean    is_dir)
{
  for (guint i = 0; i < known->len; i++)
    {
      Known *k = g_ptr_array_index (known, i);

      if (k->is_dir == is_dir && strcmp (k->name, name) == 0)
        return k;
    }
  return NULL;
}

static void
rescan_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RescanData *rescan = task_data;
  Scan scan;

  scan_init (&scan, rescan->max_depth, rescan->max_files);
  scan.n_files = rescan->n_files;
  for (guint i = 0; i < rescan->folders->len; i++)
    {
      RescanFolder *folder = g_ptr_array_index (rescan->folders, i);
      g_autoptr(GPtrArray) items = NULL;

      items = list_folder (&scan, folder->path, NULL);
      if (items == NULL)
        {
          folder->gone = TRUE;
          continue;
        }
      folder->children = g_ptr_array_new_with_free_func (found_free);
      for (guint j = 0; j < items->len; j++)
        {
          DirItem *item = g_ptr_array_index (items, j);
          Known *known = find_known (folder->known, item->name, item->is_dir);
          g_autofree char *path = g_build_filename (folder->path, item->name, NULL);
          Found *found = g_new0 (Found, 1);

          found->name = g_strdup (item->name);
          found->is_dir = item->is_dir;
          if (item->is_dir && known == NULL)
            {
              /* A new folder: scanned whole (its depth is not known here: the bound applies
               * from it down). */
              found->changed = TRUE;
              found->node = node_new (LADLE_WORKSPACE_NODE_FOLDER, item->name, path);
              scan_tree (&scan, found->node, 0, cancellable);
              if (g_list_model_get_n_items (G_LIST_MODEL (found->node->children)) == 0)
                {
                  found_free (found);
                  continue;
                }
            }
          else if (!item->is_dir)
            {
              gint64 mtime;
              goffset size;

              stat_stamp (path, &mtime, &size);
              if (known == NULL || known->mtime != mtime || known->size != size)
                {
                  if (known == NULL && scan.n_files >= scan.max_files)
                    {
                      found_free (found);
                      continue;
                    }
                  if (known == NULL)
                    scan.n_files++;
                  found->changed = TRUE;
                  found->node = scan_file (&scan, path, item->name);
                }
            }
          g_ptr_array_add (folder->children, found);
        }
    }
  scan_clear (&scan);
  g_task_return_boolean (task, TRUE);
}

static LadleWorkspaceNode *
find_folder_node (LadleWorkspace *self,
                  const char     *path)
{
  g_autoptr(GPtrArray) queue = g_ptr_array_new ();

  g_ptr_array_add (queue, self->root);
  for (guint i = 0; i < queue->len; i++)
    {
      LadleWorkspaceNode *current = g_ptr_array_index (queue, i);
      guint n;

      if (strcmp (current->path, path) == 0)
        return current;
      if (!g_str_has_prefix (path, current->path))
        continue;
      n = g_list_model_get_n_items (G_LIST_MODEL (current->children));
      for (guint j = 0; j < n; j++)
        {
          g_autoptr(LadleWorkspaceNode) child = g_list_model_get_item (G_LIST_MODEL (current->children), j);

          if (child->kind == LADLE_WORKSPACE_NODE_FOLDER)
            g_ptr_array_add (queue, child);
        }
    }
  return NULL;
}

static LadleWorkspaceNode *
child_named (LadleWorkspaceNode *folder,
             const char         *name,
             gboolean            is_dir,
             guint              *out_position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (folder->children));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LadleWorkspaceNode) child = g_list_model_get_item (G_LIST_MODEL (folder->children), i);

      if ((child->kind == LADLE_WORKSPACE_NODE_FOLDER) == is_dir &&
          strcmp (child->name, name) == 0)
        {
          if (out_position != NULL)
            *out_position = i;
          return child;
        }
    }
  return NULL;
}

static void
emit_file_changed_subtree (LadleWorkspace     *self,
                           LadleWorkspaceNode *node)
{
  if (node->kind == LADLE_WORKSPACE_NODE_FILE)
    g_signal_emit (self, signals[FILE_CHANGED], 0, node->path);
  else if (node->kind == LADLE_WORKSPACE_NODE_FOLDER)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (node->children));

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(LadleWorkspaceNode) child = g_list_model_get_item (G_LIST_MODEL (node->children), i);

          emit_file_changed_subtree (self, child);
        }
    }
}

/* Drops the monitors of the whole tree (their handlers point at nodes). */
static void
unwatch_tree (LadleWorkspaceNode *root)
{
  g_autoptr(GPtrArray) folders = g_ptr_array_new_with_free_func (g_object_unref);

  collect_folders (root, folders);
  for (guint i = 0; i < folders->len; i++)
    {
      LadleWorkspaceNode *folder = g_ptr_array_index (folders, i);

      if (folder->monitor != NULL)
        {
          g_object_set_data (G_OBJECT (folder->monitor), "ladle-workspace", NULL);
          g_signal_handlers_disconnect_matched (folder->monitor, G_SIGNAL_MATCH_DATA, 0, 0, NULL,
                                                NULL, folder);
          g_file_monitor_cancel (folder->monitor);
          g_clear_object (&folder->monitor);
        }
    }
}

static void
apply_rescan (LadleWorkspace *self,
              RescanFolder   *result)
{
  LadleWorkspaceNode *folder = find_folder_node (self, result->path);
  g_autoptr(GPtrArray) changed_paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) removed = g_ptr_array_new_with_free_func (g_object_unref);
  guint n;

  if (folder == NULL)
    return;
  if (result->gone)
    {
      /* Its parent's rescan removes it (the parent's monitor saw it go). */
      return;
    }

  /* Removed items, from the end. */
  n = g_list_model_get_n_items (G_LIST_MODEL (folder->children));
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(LadleWorkspaceNode) child = g_list_model_get_item (G_LIST_MODEL (folder->children), i - 1);
      gboolean present = FALSE;

      for (guint j = 0; j < result->children->len && !present; j++)
        {
          Found *found = g_ptr_array_index (result->children, j);

          present = found->is_dir == (child->kind == LADLE_WORKSPACE_NODE_FOLDER) &&
                    strcmp (found->name, child->name) == 0;
        }
      if (!present)
        {
          unwatch_tree (child);
          g_ptr_array_add (removed, g_object_ref (child));
          g_list_store_remove (folder->children, i - 1);
        }
    }

  /* New and changed items, in order. */
  for (guint j = 0; j < result->children->len; j++)
    {
      Found *found = g_ptr_array_index (result->children, j);
      guint position = 0;
      LadleWorkspaceNode *existing = child_named (folder, found->name, found->is_dir, &position);

      if (existing == NULL)
        {
          if (found->node == NULL)
            continue;
          found->node->parent = folder;
          g_list_store_insert (folder->children,
                               MIN (j, g_list_model_get_n_items (G_LIST_MODEL (folder->children))),
                               found->node);
          if (found->node->kind == LADLE_WORKSPACE_NODE_FOLDER)
            {
              g_autoptr(GPtrArray) folders = g_ptr_array_new_with_free_func (g_object_unref);

              collect_folders (found->node, folders);
              for (guint k = 0; k < folders->len; k++)
                watch_folder (self, g_ptr_array_index (folders, k));
            }
          else
            g_ptr_array_add (changed_paths, g_strdup (found->node->path));
        }
      else if (found->changed && found->node != NULL &&
               found->node->kind == LADLE_WORKSPACE_NODE_FILE)
        {
          existing->mtime = found->node->mtime;
          existing->size = found->node->size;
          file_node_set (existing, found->node->file, found->node->error);
          g_ptr_array_add (changed_paths, g_strdup (existing->path));
        }
    }

  for (guint i = 0; i < removed->len; i++)
    emit_file_changed_subtree (self, g_ptr_array_index (removed, i));
  for (guint i = 0; i < changed_paths->len; i++)
    g_signal_emit (self, signals[FILE_CHANGED], 0, g_ptr_array_index (changed_paths, i));
}

static void
rescanned_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  LadleWorkspace *self = LADLE_WORKSPACE (source);
  RescanData *rescan = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), NULL))
    return;   /* cancelled: the workspace is going */

  self->rescanning = FALSE;
  for (guint i = 0; i < rescan->folders->len; i++)
    apply_rescan (self, g_ptr_array_index (rescan->folders, i));
  recount (self);
  if (g_hash_table_size (self->dirty) > 0 && self->debounce_id == 0)
    self->debounce_id = g_timeout_add (self->debounce_ms, rescan_cb, self);
}

static gboolean
rescan_cb (gpointer data)
{
  LadleWorkspace *self = data;
  g_autoptr(GTask) task = NULL;
  RescanData *rescan;
  GHashTableIter iter;
  const char *path;

  self->debounce_id = 0;
  /* One rescan at a time, and none before the tree is in. */
  if (self->rescanning || !self->loaded)
    {
      self->debounce_id = g_timeout_add (self->debounce_ms, rescan_cb, self);
      return G_SOURCE_REMOVE;
    }

  rescan = g_new0 (RescanData, 1);
  rescan->folders = g_ptr_array_new_with_free_func (rescan_folder_free);
  rescan->max_depth = self->max_depth;
  rescan->max_files = self->max_files;
  rescan->n_files = self->n_files;
  g_hash_table_iter_init (&iter, self->dirty);
  while (g_hash_table_iter_next (&iter, (gpointer *) &path, NULL))
    {
      LadleWorkspaceNode *node = find_folder_node (self, path);
      RescanFolder *folder;
      guint n;

      if (node == NULL)
        continue;
      folder = g_new0 (RescanFolder, 1);
      folder->path = g_strdup (path);
      folder->known = g_ptr_array_new_with_free_func (known_free);
      n = g_list_model_get_n_items (G_LIST_MODEL (node->children));
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(LadleWorkspaceNode) child = g_list_model_get_item (G_LIST_MODEL (node->children), i);
          Known *known = g_new0 (Known, 1);

          known->name = g_strdup (child->name);
          known->is_dir = child->kind == LADLE_WORKSPACE_NODE_FOLDER;
          known->mtime = child->mtime;
          known->size = child->size;
          g_ptr_array_add (folder->known, known);
        }
      g_ptr_array_add (rescan->folders, folder);
    }
  g_hash_table_remove_all (self->dirty);

  self->rescanning = TRUE;
  task = g_task_new (self, self->cancellable, rescanned_cb, NULL);
  g_task_set_task_data (task, rescan, rescan_data_free);
  g_task_run_in_thread (task, rescan_thread);
  return G_SOURCE_REMOVE;
}

/* Lifecycle */

static void
ladle_workspace_dispose (GObject *object)
{
  LadleWorkspace *self = LADLE_WORKSPACE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->deliver_id, g_source_remove);
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  if (self->load_task != NULL)
    {
      GTask *task = g_steal_pointer (&self->load_task);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                               _("The workspace was closed"));
      g_object_unref (task);
    }
  g_clear_object (&self->pending);
  g_clear_pointer (&self->to_watch, g_ptr_array_unref);

  G_OBJECT_CLASS (ladle_workspace_parent_class)->dispose (object);
}

static void
ladle_workspace_finalize (GObject *object)
{
  LadleWorkspace *self = LADLE_WORKSPACE (object);

  unwatch_tree (self->root);
  g_clear_object (&self->root);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->dirty, g_hash_table_unref);
  g_free (self->folder);
  g_free (self->warning);

  G_OBJECT_CLASS (ladle_workspace_parent_class)->finalize (object);
}

static void
ladle_workspace_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  LadleWorkspace *self = LADLE_WORKSPACE (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_WARNING:
      g_value_set_string (value, self->warning);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_workspace_class_init (LadleWorkspaceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ladle_workspace_dispose;
  object_class->finalize = ladle_workspace_finalize;
  object_class->get_property = ladle_workspace_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WARNING] =
    g_param_spec_string ("warning", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A file's text changed on disk (not through the workspace), or it went away. */
  signals[FILE_CHANGED] = g_signal_new ("file-changed", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ladle_workspace_init (LadleWorkspace *self)
{
  self->max_depth = LADLE_WORKSPACE_MAX_DEPTH;
  self->max_files = LADLE_WORKSPACE_MAX_FILES;
  self->debounce_ms = DEFAULT_DEBOUNCE_MS;
  self->cancellable = g_cancellable_new ();
  self->dirty = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

LadleWorkspace *
ladle_workspace_new (const char *folder)
{
  LadleWorkspace *self;
  g_autofree char *base = NULL;

  g_return_val_if_fail (folder != NULL, NULL);

  self = g_object_new (LADLE_TYPE_WORKSPACE, NULL);
  self->folder = g_canonicalize_filename (folder, NULL);
  base = g_path_get_basename (self->folder);
  self->root = node_new (LADLE_WORKSPACE_NODE_FOLDER, base, self->folder);
  return self;
}

const char *
ladle_workspace_get_folder (LadleWorkspace *self)
{
  g_return_val_if_fail (LADLE_IS_WORKSPACE (self), NULL);
  return self->folder;
}

LadleWorkspaceNode *
ladle_workspace_get_root (LadleWorkspace *self)
{
  g_return_val_if_fail (LADLE_IS_WORKSPACE (self), NULL);
  return self->root;
}

gboolean
ladle_workspace_get_loading (LadleWorkspace *self)
{
  g_return_val_if_fail (LADLE_IS_WORKSPACE (self), FALSE);
  return self->loading;
}

const char *
ladle_workspace_get_warning (LadleWorkspace *self)
{
  g_return_val_if_fail (LADLE_IS_WORKSPACE (self), NULL);
  return self->warning;
}

guint
ladle_workspace_get_n_files (LadleWorkspace *self)
{
  g_return_val_if_fail (LADLE_IS_WORKSPACE (self), 0);
  return self->n_files;
}

guint
ladle_workspace_get_n_requests (LadleWorkspace *self)
{
  g_return_val_if_fail (LADLE_IS_WORKSPACE (self), 0);
  return self->n_requests;
}

void
ladle_workspace_set_limits (LadleWorkspace *self,
                            guint           max_depth,
                            guint           max_files)
{
  g_return_if_fail (LADLE_IS_WORKSPACE (self));

  self->max_depth = MIN (max_depth, LADLE_WORKSPACE_MAX_DEPTH);
  self->max_files = MIN (max_files, LADLE_WORKSPACE_MAX_FILES);
}

void
ladle_workspace_set_debounce (LadleWorkspace *self,
                              guint           ms)
{
  g_return_if_fail (LADLE_IS_WORKSPACE (self));
  self->debounce_ms = ms;
}

LadleWorkspaceNode *
ladle_workspace_find_file (LadleWorkspace *self,
                           const char     *path)
{
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  LadleWorkspaceNode *folder;

  g_return_val_if_fail (LADLE_IS_WORKSPACE (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  dir = g_path_get_dirname (path);
  name = g_path_get_basename (path);
  folder = find_folder_node (self, dir);
  if (folder == NULL)
    return NULL;
  return child_named (folder, name, FALSE, NULL);
}

LadleWorkspaceNode *
ladle_workspace_find_folder (LadleWorkspace *self,
                             const char     *path)
{
  g_return_val_if_fail (LADLE_IS_WORKSPACE (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  return find_folder_node (self, path);
}

LadleWorkspaceNode *
ladle_workspace_find_request (LadleWorkspace *self,
                              const char     *path,
                              guint           index)
{
  LadleWorkspaceNode *file_node = ladle_workspace_find_file (self, path);
  g_autoptr(LadleWorkspaceNode) node = NULL;

  if (file_node == NULL)
    return NULL;
  node = g_list_model_get_item (G_LIST_MODEL (file_node->children), index);
  return node;   /* the file's store keeps it */
}

/* Operations */

LadleHttpEntry *
ladle_workspace_copy_entry (const LadleHttpEntry *entry,
                            const char           *name)
{
  LadleHttpEntry *copy = ladle_http_entry_new ();

  g_free (copy->method);
  copy->method = g_strdup (entry->method != NULL ? entry->method : "GET");
  g_free (copy->url);
  copy->url = g_strdup (entry->url != NULL ? entry->url : "");
  copy->http_version = g_strdup (entry->http_version);
  copy->name = g_strdup (name != NULL ? name : entry->name);
  for (guint i = 0; i < entry->variables->len; i++)
    {
      const LadleHttpVariable *variable = g_ptr_array_index (entry->variables, i);

      ladle_http_entry_add_variable (copy, variable->name, variable->value);
    }
  for (guint i = 0; i < entry->directives->len; i++)
    {
      const LadleHttpDirective *directive = g_ptr_array_index (entry->directives, i);

      /* The name is written from ->name. */
      if (g_ascii_strcasecmp (directive->name, "name") == 0)
        continue;
      ladle_http_entry_add_directive (copy, directive->name, directive->argument);
    }
  for (guint i = 0; i < entry->headers->len; i++)
    {
      const LadleHttpHeader *header = g_ptr_array_index (entry->headers, i);

      ladle_http_entry_add_header (copy, header->name, header->value);
    }
  for (guint i = 0; i < entry->body->len; i++)
    {
      const LadleHttpBodyPart *part = g_ptr_array_index (entry->body, i);

      ladle_http_entry_add_body_part (copy, part->kind, part->text);
    }
  for (guint i = 0; i < entry->assertions->len; i++)
    {
      const LadleHttpAssertLine *assertion = g_ptr_array_index (entry->assertions, i);

      ladle_http_entry_add_assertion (copy, assertion->text);
    }
  for (guint i = 0; i < entry->scripts->len; i++)
    {
      const LadleHttpScript *script = g_ptr_array_index (entry->scripts, i);

      ladle_http_entry_add_script (copy, script->kind, script->text);
    }
  for (guint i = 0; i < entry->comments->len; i++)
    ladle_http_entry_add_comment (copy, g_ptr_array_index (entry->comments, i));
  return copy;
}

char *
ladle_workspace_dup_entry_text (LadleHttpFile *file,
                                guint          index)
{
  GPtrArray *entries = ladle_http_file_get_entries (file);
  const LadleHttpEntry *entry;
  GBytes *text = ladle_http_file_get_text (file);
  gsize length = 0;
  const char *data = g_bytes_get_data (text, &length);

  g_return_val_if_fail (index < entries->len, NULL);

  entry = g_ptr_array_index (entries, index);
  if (entry->start > length || entry->end > length || entry->start > entry->end)
    return g_strdup ("");
  return g_strndup (data + entry->start, entry->end - entry->start);
}

static const char *
entry_header (const LadleHttpEntry *entry,
              const char           *name)
{
  for (guint i = 0; i < entry->headers->len; i++)
    {
      const LadleHttpHeader *header = g_ptr_array_index (entry->headers, i);

      if (g_ascii_strcasecmp (header->name, name) == 0)
        return header->value;
    }
  return NULL;
}

static gboolean
is_json_type (const char *type)
{
  g_autofree char *lower = NULL;

  if (type == NULL)
    return FALSE;
  lower = g_ascii_strdown (type, -1);
  return strstr (lower, "json") != NULL;
}

static void
set_seconds (LadleRequest *request,
             const char   *argument,
             void        (*setter) (LadleRequest *, double))
{
  char *end = NULL;
  double seconds;

  if (argument == NULL)
    return;
  seconds = g_ascii_strtod (argument, &end);
  /* {{…}} or a bad number stays unset here; the runner reports it. */
  if (end != argument && *end == '\0' && seconds > 0 && seconds < 1e9)
    setter (request, seconds);
}

/* The value of the entry's own `@name = value`, the last one; NULL when none */
static const char *
entry_variable (const LadleHttpEntry *entry,
                const char           *name)
{
  for (guint i = entry->variables->len; i > 0; i--)
    {
      const LadleHttpVariable *variable = g_ptr_array_index (entry->variables, i - 1);

      if (g_strcmp0 (variable->name, name) == 0)
        return variable->value;
    }
  return NULL;
}

/* `Authorization: oauth2 GRANT [PREFIX]` as the Auth page's OAuth 2.0: each setting the
 * {{PREFIX_name}} it is read from (written back as the same header, ladle-http-file.c), PKCE from
 * the entry's own PREFIX_usePkce (or oauth2_usePkce). FALSE when @value is not one (or is one
 * that cannot be read: it stays a header, and sending it says what is wrong). */
static gboolean
take_oauth2 (LadleRequest *request,
             const LadleHttpEntry *entry,
             const char   *value)
{
  LadleOauth2Grant grant = LADLE_OAUTH2_GRANT_CLIENT_CREDENTIALS;
  g_autofree char *prefix = NULL;
  g_autofree char *pkce_name = NULL;
  const char *pkce;
  gsize offset = 0;
  struct
  {
    const char *name;
    void      (*setter) (LadleRequest *, const char *);
    gboolean    used;
  } settings[] = {
    { "tokenEndpoint", ladle_request_set_oauth2_token_url, TRUE },
    { "authorizationEndpoint", ladle_request_set_oauth2_auth_url, FALSE },
    { "deviceCodeEndpoint", ladle_request_set_oauth2_device_url, FALSE },
    { "clientId", ladle_request_set_oauth2_client_id, TRUE },
    { "clientSecret", ladle_request_set_oauth2_client_secret, TRUE },
    { "scope", ladle_request_set_oauth2_scope, TRUE },
    { "username", ladle_request_set_auth_username, FALSE },
    { "password", ladle_request_set_auth_password, FALSE },
  };

  if (_ladle_http_parse_oauth2 (value, &grant, &prefix, &offset, NULL) <= 0)
    return FALSE;
  settings[1].used = grant == LADLE_OAUTH2_GRANT_AUTHORIZATION_CODE;
  settings[2].used = grant == LADLE_OAUTH2_GRANT_DEVICE_CODE;
  settings[6].used = settings[7].used = grant == LADLE_OAUTH2_GRANT_PASSWORD;

  ladle_request_set_auth_kind (request, LADLE_AUTH_OAUTH2);
  ladle_request_set_oauth2_grant (request, grant);
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    if (settings[i].used)
      {
        g_autofree char *reference = g_strdup_printf ("{{%s_%s}}", prefix, settings[i].name);

        settings[i].setter (request, reference);
      }
  pkce_name = g_strconcat (prefix, "_usePkce", NULL);
  pkce = entry_variable (entry, pkce_name);
  if (pkce == NULL)
    pkce = entry_variable (entry, "oauth2_usePkce");
  ladle_request_set_oauth2_pkce (request, pkce != NULL && (g_ascii_strcasecmp (pkce, "true") == 0 ||
                                                           strcmp (pkce, "1") == 0));
  return TRUE;
}

/* The transport directives as the Options page's settings, as written ({{…}} kept; files
 * relative to the .http file's folder, as ladle-http-vars.c reads them when sending). */
static void
take_transport_directives (LadleRequest         *request,
                           const LadleHttpEntry *entry)
{
  const char *proxy = ladle_http_entry_get_directive (entry, "proxy");
  const char *proxy_user = ladle_http_entry_get_directive (entry, "proxy-user");
  const char *no_proxy = ladle_http_entry_get_directive (entry, "no-proxy");

  if (ladle_http_entry_has_directive (entry, "insecure") ||
      ladle_http_entry_has_directive (entry, "no-reject-unauthorized"))
    ladle_request_set_verify_tls (request, FALSE);
  if (ladle_http_entry_has_directive (entry, "proxy"))
    {
      /* curl: an empty proxy means none */
      if (proxy == NULL || *proxy == '\0')
        ladle_request_set_proxy_mode (request, LADLE_PROXY_NONE);
      else
        {
          ladle_request_set_proxy_mode (request, LADLE_PROXY_MANUAL);
          ladle_request_set_proxy_url (request, proxy);
        }
    }
  if (proxy_user != NULL)
    {
      const char *colon = strchr (proxy_user, ':');
      g_autofree char *user = colon != NULL ? g_strndup (proxy_user, colon - proxy_user)
                                            : g_strdup (proxy_user);

      ladle_request_set_proxy_username (request, user);
      ladle_request_set_proxy_password (request, colon != NULL ? colon + 1 : NULL);
    }
  if (!ladle_http_entry_has_directive (entry, "no-proxy"))
    no_proxy = ladle_http_entry_get_directive (entry, "noproxy");
  if (ladle_http_entry_has_directive (entry, "no-proxy") ||
      ladle_http_entry_has_directive (entry, "noproxy"))
    {
      if (no_proxy == NULL || *no_proxy == '\0')
        ladle_request_set_proxy_mode (request, LADLE_PROXY_NONE);
      else
        ladle_request_set_no_proxy (request, no_proxy);
    }
  if (ladle_http_entry_has_directive (entry, "http1.1"))
    ladle_request_set_http_version (request, LADLE_HTTP_VERSION_1_1);
  ladle_request_set_tls_cert_file (request, ladle_http_entry_get_directive (entry, "cert"));
  ladle_request_set_tls_key_file (request, ladle_http_entry_get_directive (entry, "key"));
  ladle_request_set_tls_cert_password (request,
                                       ladle_http_entry_get_directive (entry, "cert-passphrase"));
  ladle_request_set_tls_ca_file (request, ladle_http_entry_get_directive (entry, "cacert"));
}

LadleRequest *
ladle_workspace_entry_to_request (const LadleHttpEntry *entry)
{
  LadleRequest *request = ladle_request_new ();
  GListStore *headers = ladle_request_get_headers (request);
  guint n_text = 0, n_file = 0, n_expand = 0;

  g_return_val_if_fail (entry != NULL, NULL);

  ladle_request_set_method (request, entry->method != NULL ? entry->method : "GET");
  ladle_request_set_url (request, entry->url != NULL ? entry->url : "");
  for (guint i = 0; i < entry->headers->len; i++)
    {
      const LadleHttpHeader *header = g_ptr_array_index (entry->headers, i);
      g_autoptr(LadleKeyValue) row = NULL;

      /* Digest and OAuth 2.0 shorthands are the Auth page's, not headers (the first one only,
       * as the request holds one auth) */
      if (g_ascii_strcasecmp (header->name, "Authorization") == 0 &&
          ladle_request_get_auth_kind (request) == LADLE_AUTH_NONE)
        {
          g_autofree char *user = NULL;
          g_autofree char *password = NULL;

          if (_ladle_http_parse_digest (header->value, &user, &password))
            {
              ladle_request_set_auth_kind (request, LADLE_AUTH_DIGEST);
              ladle_request_set_auth_username (request, user);
              ladle_request_set_auth_password (request, password);
              continue;
            }
          if (take_oauth2 (request, entry, header->value))
            continue;
        }
      row = ladle_key_value_new (header->name, header->value);
      g_list_store_append (headers, row);
    }
  take_transport_directives (request, entry);

  if (ladle_http_entry_has_directive (entry, "no-redirect"))
    ladle_request_set_follow_redirects (request, FALSE);
  if (ladle_http_entry_has_directive (entry, "no-cookie-jar"))
    ladle_request_set_use_cookies (request, FALSE);
  set_seconds (request, ladle_http_entry_get_directive (entry, "timeout"),
               ladle_request_set_idle_timeout);
  set_seconds (request, ladle_http_entry_get_directive (entry, "connection-timeout"),
               ladle_request_set_connect_timeout);
  set_seconds (request, ladle_http_entry_get_directive (entry, "total-timeout"),
               ladle_request_set_total_timeout);

  for (guint i = 0; i < entry->body->len; i++)
    {
      const LadleHttpBodyPart *part = g_ptr_array_index (entry->body, i);

      if (part->kind == LADLE_HTTP_PART_TEXT)
        n_text++;
      else if (part->kind == LADLE_HTTP_PART_FILE)
        n_file++;
      else
        n_expand++;
    }

  if (entry->body->len == 0)
    ladle_request_set_body_kind (request, LADLE_BODY_NONE);
  else if (n_text == 1 && entry->body->len == 1)
    {
      const LadleHttpBodyPart *part = g_ptr_array_index (entry->body, 0);

      ladle_request_set_body_kind (request,
                                   is_json_type (entry_header (entry, "Content-Type"))
                                   ? LADLE_BODY_JSON : LADLE_BODY_TEXT);
      ladle_request_set_body_text (request, part->text);
    }
  else if (n_file == 1 && entry->body->len == 1)
    {
      const LadleHttpBodyPart *part = g_ptr_array_index (entry->body, 0);

      ladle_request_set_body_kind (request, LADLE_BODY_FILE);
      ladle_request_set_body_file (request, part->text);
    }
  else
    {
      GListStore *form = ladle_request_get_form (request);

      ladle_request_set_body_kind (request, LADLE_BODY_PARTS);
      for (guint i = 0; i < entry->body->len; i++)
        {
          const LadleHttpBodyPart *part = g_ptr_array_index (entry->body, i);
          g_autoptr(LadleKeyValue) row = NULL;

          if (part->kind == LADLE_HTTP_PART_TEXT)
            row = ladle_key_value_new ("", part->text);
          else
            row = ladle_key_value_new_file ("", part->text);
          g_list_store_append (form, row);
        }
    }
  return request;
}

static gboolean
held_by_request_model (const char *directive)
{
  static const char *held[] = { "name", "no-redirect", "no-cookie-jar", "timeout",
                                "connection-timeout", "total-timeout", "insecure",
                                "no-reject-unauthorized", "proxy", "proxy-user", "no-proxy",
                                "noproxy", "http1.1", "cert", "key", "cert-passphrase",
                                "cacert" };

  for (guint i = 0; i < G_N_ELEMENTS (held); i++)
    if (g_ascii_strcasecmp (directive, held[i]) == 0)
      return TRUE;
  return FALSE;
}

/* @key and @cert-passphrase are written with @cert, @proxy-user with @proxy: a line that stood
 * without them in @original is kept (as ladle-http-vars.c reads it) rather than lost. */
static gboolean
held_alone (const LadleHttpEntry *entry,
            const LadleHttpEntry *original,
            const char           *directive)
{
  const char *parent = NULL;

  if (g_ascii_strcasecmp (directive, "key") == 0 ||
      g_ascii_strcasecmp (directive, "cert-passphrase") == 0)
    parent = "cert";
  else if (g_ascii_strcasecmp (directive, "proxy-user") == 0)
    parent = "proxy";
  if (parent == NULL)
    return TRUE;
  return ladle_http_entry_has_directive (entry, parent) ||
         ladle_http_entry_has_directive (original, parent);
}

LadleHttpEntry *
ladle_workspace_entry_from_request (LadleRequest         *request,
                                    const LadleHttpEntry *original,
                                    const char           *name)
{
  LadleHttpEntry *entry;

  g_return_val_if_fail (LADLE_IS_REQUEST (request), NULL);

  if (name == NULL && original != NULL)
    name = original->name;
  entry = ladle_http_entry_new_from_request (request, name);
  if (original == NULL)
    return entry;

  if (entry->http_version == NULL)
    entry->http_version = g_strdup (original->http_version);
  for (guint i = 0; i < original->variables->len; i++)
    {
      const LadleHttpVariable *variable = g_ptr_array_index (original->variables, i);

      /* One the request now defines (OAuth 2.0's settings) is the request's; PKCE is the
       * request model's when it is OAuth 2.0 */
      if (entry_variable (entry, variable->name) != NULL ||
          (ladle_request_get_auth_kind (request) == LADLE_AUTH_OAUTH2 &&
           g_str_has_suffix (variable->name, "_usePkce")))
        continue;
      ladle_http_entry_add_variable (entry, variable->name, variable->value);
    }
  for (guint i = 0; i < original->directives->len; i++)
    {
      const LadleHttpDirective *directive = g_ptr_array_index (original->directives, i);

      if ((!held_by_request_model (directive->name) || !held_alone (entry, original, directive->name)) &&
          !ladle_http_entry_has_directive (entry, directive->name))
        ladle_http_entry_add_directive (entry, directive->name, directive->argument);
    }
  for (guint i = 0; i < original->assertions->len; i++)
    {
      const LadleHttpAssertLine *assertion = g_ptr_array_index (original->assertions, i);

      ladle_http_entry_add_assertion (entry, assertion->text);
    }
  for (guint i = 0; i < original->scripts->len; i++)
    {
      const LadleHttpScript *script = g_ptr_array_index (original->scripts, i);

      ladle_http_entry_add_script (entry, script->kind, script->text);
    }
  /* the user's comments stay with the request */
  for (guint i = 0; i < original->comments->len; i++)
    ladle_http_entry_add_comment (entry, g_ptr_array_index (original->comments, i));
  /* A `<@ file` part (expanded) that the request model holds as a plain file part. */
  for (guint i = 0; i < original->body->len && i < entry->body->len; i++)
    {
      const LadleHttpBodyPart *was = g_ptr_array_index (original->body, i);
      LadleHttpBodyPart *now = g_ptr_array_index (entry->body, i);

      if (was->kind == LADLE_HTTP_PART_FILE_EXPAND && now->kind == LADLE_HTTP_PART_FILE &&
          g_strcmp0 (was->text, now->text) == 0)
        now->kind = LADLE_HTTP_PART_FILE_EXPAND;
    }
  return entry;
}

static gboolean
check_file_node (LadleWorkspaceNode  *node,
                 GError             **error)
{
  if (node == NULL || node->kind != LADLE_WORKSPACE_NODE_FILE || node->file == NULL)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                   _("%s: the file could not be read, so it is not changed"),
                   node != NULL ? node->path : "");
      return FALSE;
    }
  return TRUE;
}

/* Saves @file over @node's file and shows it. */
static gboolean
commit (LadleWorkspace      *self,
        LadleWorkspaceNode  *node,
        LadleHttpFile       *file,
        GError             **error)
{
  if (file == NULL)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_FAILED,
                   _("%s: the file could not be changed"), node->path);
      return FALSE;
    }
  if (!ladle_http_file_save (file, node->path, error))
    return FALSE;
  stat_stamp (node->path, &node->mtime, &node->size);
  file_node_set (node, file, NULL);
  recount (self);
  return TRUE;
}

/* @text ends with a line break, so that what follows starts on a line of its own. */
static char *
with_newline (const char *text,
              const char *newline)
{
  if (text[0] == '\0' || g_str_has_suffix (text, "\n"))
    return g_strdup (text);
  return g_strconcat (text, newline, NULL);
}

/* The file with @text put before entry @index (or at the end). */
static LadleHttpFile *
file_insert (LadleHttpFile *file,
             guint          index,
             const char     *text)
{
  GPtrArray *entries = ladle_http_file_get_entries (file);
  const char *newline = ladle_http_file_get_newline (file);
  g_autofree char *inserted = with_newline (text, newline);

  /* At the end, the parser starts the text on a line of its own. */
  if (index >= entries->len)
    return ladle_http_file_replace_entry (file, entries->len, inserted);
  else
    {
      g_autofree char *old = ladle_workspace_dup_entry_text (file, index);
      g_autofree char *joined = g_strconcat (inserted, old, NULL);

      return ladle_http_file_replace_entry (file, index, joined);
    }
}

LadleWorkspaceNode *
ladle_workspace_new_file (LadleWorkspace      *self,
                          LadleWorkspaceNode  *folder,
                          const char          *name,
                          GError             **error)
{
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(LadleWorkspaceNode) node = NULL;
  g_autoptr(LadleHttpFile) http_file = NULL;
  g_autofree char *key = NULL;
  guint n, position;

  g_return_val_if_fail (LADLE_IS_WORKSPACE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (folder == NULL)
    folder = self->root;
  g_return_val_if_fail (folder->kind == LADLE_WORKSPACE_NODE_FOLDER, NULL);

  if (name[0] == '\0' || strchr (name, '/') != NULL || strcmp (name, ".") == 0 ||
      strcmp (name, "..") == 0 || name[0] == '.')
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                   _("“%s” cannot be a file name"), name);
      return NULL;
    }
  file_name = ladle_workspace_is_http_file (name) ? g_strdup (name)
                                                  : g_strconcat (name, ".http", NULL);
  path = g_build_filename (folder->path, file_name, NULL);
  file = g_file_new_for_path (path);
  stream = g_file_create (file, G_FILE_CREATE_NONE, NULL, error);
  if (stream == NULL)
    return NULL;
  if (!g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, error))
    return NULL;

  http_file = ladle_http_file_parse (path, "", 0);
  node = node_new (LADLE_WORKSPACE_NODE_FILE, file_name, path);
  node->parent = folder;
  stat_stamp (path, &node->mtime, &node->size);
  file_node_set (node, http_file, NULL);

  /* In order among the folder's files. */
  key = g_utf8_collate_key_for_filename (file_name, -1);
  n = g_list_model_get_n_items (G_LIST_MODEL (folder->children));
  for (position = 0; position < n; position++)
    {
      g_autoptr(LadleWorkspaceNode) child = g_list_model_get_item (G_LIST_MODEL (folder->children), position);
      g_autofree char *child_key = NULL;

      if (child->kind == LADLE_WORKSPACE_NODE_FOLDER)
        continue;
      child_key = g_utf8_collate_key_for_filename (child->name, -1);
      if (strcmp (key, child_key) < 0)
        break;
    }
  g_list_store_insert (folder->children, position, node);
  recount (self);
  return node;
}

gboolean
ladle_workspace_insert_text (LadleWorkspace      *self,
                             LadleWorkspaceNode  *file_node,
                             guint                index,
                             const char          *text,
                             GError             **error)
{
  g_autoptr(LadleHttpFile) file = NULL;

  g_return_val_if_fail (LADLE_IS_WORKSPACE (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (!check_file_node (file_node, error))
    return FALSE;
  file = file_insert (file_node->file, index, text);
  return commit (self, file_node, file, error);
}

int
ladle_workspace_append_entry (LadleWorkspace        *self,
                              LadleWorkspaceNode    *file_node,
                              const LadleHttpEntry  *entry,
                              GError               **error)
{
  g_autofree char *text = NULL;
  guint index;

  g_return_val_if_fail (LADLE_IS_WORKSPACE (self), -1);
  g_return_val_if_fail (entry != NULL, -1);

  if (!check_file_node (file_node, error))
    return -1;
  index = ladle_http_file_get_entries (file_node->file)->len;
  /* Checked: what is written reads back as the same request. */
  text = ladle_http_entry_format_checked (entry, ladle_http_file_get_newline (file_node->file),
                                          error);
  if (text == NULL || !ladle_workspace_insert_text (self, file_node, index, text, error))
    return -1;
  return index;
}

gboolean
ladle_workspace_replace_entry (LadleWorkspace        *self,
                               const char            *path,
                               guint                  index,
                               const LadleHttpEntry  *entry,
                               GError               **error)
{
  LadleWorkspaceNode *file_node;
  g_autofree char *text = NULL;
  g_autoptr(LadleHttpFile) file = NULL;

  g_return_val_if_fail (LADLE_IS_WORKSPACE (self), FALSE);
  g_return_val_if_fail (path != NULL && entry != NULL, FALSE);

  file_node = ladle_workspace_find_file (self, path);
  if (!check_file_node (file_node, error))
    return FALSE;
  if (index >= ladle_http_file_get_entries (file_node->file)->len)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                   _("%s: the request is no longer in the file"), path);
      return FALSE;
    }
  text = ladle_http_entry_format_checked (entry, ladle_http_file_get_newline (file_node->file),
                                          error);
  if (text == NULL)
    return FALSE;
  file = ladle_http_file_replace_entry (file_node->file, index, text);
  return commit (self, file_node, file, error);
}

static gboolean
check_request_node (LadleWorkspaceNode  *node,
                    GError             **error)
{
  if (node == NULL || node->kind != LADLE_WORKSPACE_NODE_REQUEST || node->parent == NULL ||
      node->parent->file != node->file || ladle_workspace_node_get_entry (node) == NULL)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                   _("%s: the request is no longer in the file"),
                   node != NULL ? node->path : "");
      return FALSE;
    }
  return TRUE;
}

gboolean
ladle_workspace_rename_request (LadleWorkspace      *self,
                                LadleWorkspaceNode  *request,
                                const char          *name,
                                GError             **error)
{
  g_autoptr(LadleHttpEntry) copy = NULL;
  g_autofree char *trimmed = NULL;

  g_return_val_if_fail (LADLE_IS_WORKSPACE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (!check_request_node (request, error))
    return FALSE;
  trimmed = g_strstrip (g_strdup (name));
  if (trimmed[0] == '\0' || strpbrk (trimmed, "\r\n") != NULL)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                   _("A request’s name must be one line of text"));
      return FALSE;
    }
  copy = ladle_workspace_copy_entry (ladle_workspace_node_get_entry (request), trimmed);
  return ladle_workspace_replace_entry (self, request->path, request->index, copy, error);
}

gboolean
ladle_workspace_duplicate_request (LadleWorkspace      *self,
                                   LadleWorkspaceNode  *request,
                                   GError             **error)
{
  g_autoptr(LadleHttpEntry) copy = NULL;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  LadleWorkspaceNode *file_node;

  g_return_val_if_fail (LADLE_IS_WORKSPACE (self), FALSE);

  if (!check_request_node (request, error))
    return FALSE;
  file_node = request->parent;
  /* Translators: the name of a duplicated request */
  name = g_strdup_printf (_("%s copy"), request->name);
  copy = ladle_workspace_copy_entry (ladle_workspace_node_get_entry (request), name);
  text = ladle_http_entry_format (copy, ladle_http_file_get_newline (file_node->file));
  return ladle_workspace_insert_text (self, file_node, request->index + 1, text, error);
}

char *
ladle_workspace_delete_request (LadleWorkspace      *self,
                                LadleWorkspaceNode  *request,
                                GError             **error)
{
  g_autofree char *text = NULL;
  g_autoptr(LadleHttpFile) file = NULL;
  LadleWorkspaceNode *file_node;

  g_return_val_if_fail (LADLE_IS_WORKSPACE (self), NULL);

  if (!check_request_node (request, error))
    return NULL;
  file_node = request->parent;
  text = ladle_workspace_dup_entry_text (file_node->file, request->index);
  file = ladle_http_file_remove_entry (file_node->file, request->index);
  if (!commit (self, file_node, file, error))
    return NULL;
  return g_steal_pointer (&text);
}

gboolean
ladle_workspace_move_request (LadleWorkspace      *self,
                              LadleWorkspaceNode  *request,
                              LadleWorkspaceNode  *file_node,
                              guint                index,
                              GError             **error)
{
  g_autoptr(LadleWorkspaceNode) keep = NULL;
  g_autofree char *text = NULL;
  LadleWorkspaceNode *source;
  guint from;

  g_return_val_if_fail (LADLE_IS_WORKSPACE (self), FALSE);

  if (!check_request_node (request, error) || !check_file_node (file_node, error))
    return FALSE;
  keep = g_object_ref (request);
  source = request->parent;
  from = request->index;
  text = ladle_workspace_dup_entry_text (source->file, from);

  if (source == file_node)
    {
      g_autoptr(LadleHttpFile) removed = NULL;
      g_autoptr(LadleHttpFile) moved = NULL;

      if (index == from || index == from + 1)
        return TRUE;
      removed = ladle_http_file_remove_entry (source->file, from);
      if (removed == NULL)
        return commit (self, source, NULL, error);
      moved = file_insert (removed, index > from ? index - 1 : index, text);
      return commit (self, source, moved, error);
    }

  /* Across files: the copy is written first, so a failure never loses the request. */
  if (!ladle_workspace_insert_text (self, file_node, index, text, error))
    return FALSE;
  {
    g_autoptr(LadleHttpFile) removed = ladle_http_file_remove_entry (source->file, from);

    return commit (self, source, removed, error);
  }
}
