/* ladle-history.c
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

#include <errno.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ladle-error.h"
#include "ladle-history.h"
#include "ladle-json.h"

/* Files are read, parsed, set aside and written in a worker thread (GTask); JSON for a save is
 * built in the caller's thread from a snapshot, so the entries are only touched there. Saves are
 * numbered: a save that reaches the disk after a newer one of the same file is dropped. */

#define HISTORY_VERSION 1
#define DEFAULT_MAX_SIZE 1000

/* LadleHistoryEntry */

struct _LadleHistoryEntry
{
  GObject       parent_instance;
  LadleRequest *request;
  char         *error;
  gint64        time;
  gint64        duration;
  guint         status;
};

G_DEFINE_FINAL_TYPE (LadleHistoryEntry, ladle_history_entry, G_TYPE_OBJECT)

static void
ladle_history_entry_finalize (GObject *object)
{
  LadleHistoryEntry *self = LADLE_HISTORY_ENTRY (object);

  g_clear_object (&self->request);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (ladle_history_entry_parent_class)->finalize (object);
}

static void
ladle_history_entry_class_init (LadleHistoryEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ladle_history_entry_finalize;
}

static void
ladle_history_entry_init (LadleHistoryEntry *self)
{
}

static LadleHistoryEntry *
entry_new_take (LadleRequest *request,
                guint         status,
                const char   *error,
                gint64        time,
                gint64        duration)
{
  LadleHistoryEntry *self = g_object_new (LADLE_TYPE_HISTORY_ENTRY, NULL);

  self->request = request;
  self->status = status;
  self->error = g_strdup (error);
  self->time = time;
  self->duration = duration;
  return self;
}

LadleHistoryEntry *
ladle_history_entry_new (LadleRequest *request,
                         guint         status,
                         const char   *error,
                         gint64        time,
                         gint64        duration)
{
  g_return_val_if_fail (LADLE_IS_REQUEST (request), NULL);

  return entry_new_take (ladle_request_copy (request), status, error, time, duration);
}

LadleRequest *
ladle_history_entry_get_request (LadleHistoryEntry *self)
{
  g_return_val_if_fail (LADLE_IS_HISTORY_ENTRY (self), NULL);
  return self->request;
}

guint
ladle_history_entry_get_status (LadleHistoryEntry *self)
{
  g_return_val_if_fail (LADLE_IS_HISTORY_ENTRY (self), 0);
  return self->status;
}

const char *
ladle_history_entry_get_error (LadleHistoryEntry *self)
{
  g_return_val_if_fail (LADLE_IS_HISTORY_ENTRY (self), NULL);
  return self->error;
}

gint64
ladle_history_entry_get_time (LadleHistoryEntry *self)
{
  g_return_val_if_fail (LADLE_IS_HISTORY_ENTRY (self), 0);
  return self->time;
}

gint64
ladle_history_entry_get_duration (LadleHistoryEntry *self)
{
  g_return_val_if_fail (LADLE_IS_HISTORY_ENTRY (self), 0);
  return self->duration;
}

static JsonNode *
entry_to_json (LadleHistoryEntry *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "request");
  json_builder_add_value (builder, ladle_request_to_json (self->request));
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, self->status);
  json_builder_set_member_name (builder, "error");
  if (self->error != NULL)
    json_builder_add_string_value (builder, self->error);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "time");
  json_builder_add_int_value (builder, self->time);
  json_builder_set_member_name (builder, "duration");
  json_builder_add_int_value (builder, self->duration);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static gboolean
member_is (JsonObject *object,
           const char *name,
           GType       type)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

static LadleHistoryEntry *
entry_new_from_json (JsonNode  *node,
                     guint      index,
                     GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;
  JsonNode *error_node;
  LadleRequest *request;
  gint64 status;

  if (!JSON_NODE_HOLDS_OBJECT (node) ||
      !json_object_has_member (object = json_node_get_object (node), "request") ||
      !member_is (object, "status", G_TYPE_INT64) ||
      !member_is (object, "time", G_TYPE_INT64) ||
      !member_is (object, "duration", G_TYPE_INT64) ||
      (status = json_object_get_int_member (object, "status")) < 0 || status > 999)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, _("Entry %u is not valid"), index + 1);
      return NULL;
    }

  error_node = json_object_get_member (object, "error");
  if (error_node != NULL && !JSON_NODE_HOLDS_NULL (error_node) &&
      !member_is (object, "error", G_TYPE_STRING))
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, _("Entry %u is not valid"), index + 1);
      return NULL;
    }

  request = ladle_request_new_from_json (json_object_get_member (object, "request"), &local_error);
  if (request == NULL)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, _("Entry %u is not valid: %s"),
                   index + 1, local_error->message);
      return NULL;
    }

  return entry_new_take (request, status,
                         error_node != NULL && !JSON_NODE_HOLDS_NULL (error_node)
                         ? json_node_get_string (error_node) : NULL,
                         json_object_get_int_member (object, "time"),
                         json_object_get_int_member (object, "duration"));
}

/* LadleHistory */

typedef enum
{
  FILE_HISTORY,
  FILE_DRAFT,
  FILE_TABS,
  N_FILES
} FileKind;

static const char *file_names[N_FILES] = { "history.json", "draft.json", "tabs.json" };

struct _LadleHistory
{
  GObject     parent_instance;
  GListStore *entries;
  char       *dir;
  guint       max_size;

  GMutex      mutex;            /* guards the two below, for the writer threads */
  guint64     written[N_FILES]; /* serial of the last save of each file on disk */
  guint64     serial[N_FILES];  /* last serial handed out (caller's thread) */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LadleHistory, ladle_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_MAX_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
get_item_type (GListModel *model)
{
  return LADLE_TYPE_HISTORY_ENTRY;
}

static guint
get_n_items (GListModel *model)
{
  return g_list_model_get_n_items (G_LIST_MODEL (LADLE_HISTORY (model)->entries));
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  return g_list_model_get_item (G_LIST_MODEL (LADLE_HISTORY (model)->entries), position);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
on_items_changed (LadleHistory *self,
                  guint         position,
                  guint         removed,
                  guint         added)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

static void
trim (LadleHistory *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->entries));

  if (n > self->max_size)
    g_list_store_splice (self->entries, self->max_size, n - self->max_size, NULL, 0);
}

static void
ladle_history_finalize (GObject *object)
{
  LadleHistory *self = LADLE_HISTORY (object);

  g_clear_object (&self->entries);
  g_clear_pointer (&self->dir, g_free);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (ladle_history_parent_class)->finalize (object);
}

static void
ladle_history_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  LadleHistory *self = LADLE_HISTORY (object);

  switch (prop_id)
    {
    case PROP_MAX_SIZE:
      g_value_set_uint (value, self->max_size);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_history_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  LadleHistory *self = LADLE_HISTORY (object);

  switch (prop_id)
    {
    case PROP_MAX_SIZE:
      ladle_history_set_max_size (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_history_class_init (LadleHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ladle_history_finalize;
  object_class->get_property = ladle_history_get_property;
  object_class->set_property = ladle_history_set_property;

  properties[PROP_MAX_SIZE] =
    g_param_spec_uint ("max-size", NULL, NULL, 0, G_MAXUINT, DEFAULT_MAX_SIZE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ladle_history_init (LadleHistory *self)
{
  self->max_size = DEFAULT_MAX_SIZE;
  self->entries = g_list_store_new (LADLE_TYPE_HISTORY_ENTRY);
  g_mutex_init (&self->mutex);
  g_signal_connect_object (self->entries, "items-changed", G_CALLBACK (on_items_changed), self,
                           G_CONNECT_SWAPPED);
}

LadleHistory *
ladle_history_new (const char *dir)
{
  LadleHistory *self = g_object_new (LADLE_TYPE_HISTORY, NULL);

  self->dir = dir != NULL ? g_strdup (dir) : g_build_filename (g_get_user_data_dir (), "ladle", NULL);
  return self;
}

const char *
ladle_history_get_dir (LadleHistory *self)
{
  g_return_val_if_fail (LADLE_IS_HISTORY (self), NULL);
  return self->dir;
}

guint
ladle_history_get_max_size (LadleHistory *self)
{
  g_return_val_if_fail (LADLE_IS_HISTORY (self), 0);
  return self->max_size;
}

void
ladle_history_set_max_size (LadleHistory *self,
                            guint         max_size)
{
  g_return_if_fail (LADLE_IS_HISTORY (self));

  if (self->max_size == max_size)
    return;
  self->max_size = max_size;
  trim (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_SIZE]);
}

void
ladle_history_add (LadleHistory      *self,
                   LadleHistoryEntry *entry)
{
  g_return_if_fail (LADLE_IS_HISTORY (self));
  g_return_if_fail (LADLE_IS_HISTORY_ENTRY (entry));

  if (self->max_size == 0)
    return;
  g_list_store_insert (self->entries, 0, entry);
  trim (self);
}

void
ladle_history_clear (LadleHistory *self)
{
  g_return_if_fail (LADLE_IS_HISTORY (self));
  g_list_store_remove_all (self->entries);
}

/* Reading: the thread reads, parses, and sets a damaged file aside. */

/* Renames @path to @path.corrupt-TIMESTAMP (a free name); returns the new name or NULL. */
static char *
set_aside (const char *path)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%S");

  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *aside = i == 0 ? g_strdup_printf ("%s.corrupt-%s", path, stamp)
                                      : g_strdup_printf ("%s.corrupt-%s-%u", path, stamp, i);

      if (g_file_test (aside, G_FILE_TEST_EXISTS))
        continue;
      if (g_rename (path, aside) == 0)
        return g_steal_pointer (&aside);
      return NULL;
    }
  return NULL;
}

/* Sets the error for the user about a damaged file, set aside as @aside (NULL if it could not be). */
static void
set_corrupt_error (GError     **error,
                   FileKind     kind,
                   const char  *reason,
                   const char  *aside)
{
  gboolean draft = kind == FILE_DRAFT;

  if (aside != NULL && kind == FILE_TABS)
    /* Translators: the first %s is why, the second a file path */
    g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                 _("The open tabs could not be read (%s); they were set aside as %s"), reason,
                 aside);
  else if (kind == FILE_TABS)
    g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                 _("The open tabs could not be read (%s)"), reason);
  else if (aside != NULL && draft)
    /* Translators: the first %s is why, the second a file path */
    g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                 _("The saved draft could not be read (%s); it was set aside as %s"), reason, aside);
  else if (aside != NULL)
    /* Translators: the first %s is why, the second a file path */
    g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                 _("The history could not be read (%s); it was set aside as %s"), reason, aside);
  else if (draft)
    g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                 _("The saved draft could not be read (%s)"), reason);
  else
    g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                 _("The history could not be read (%s)"), reason);
}

/* Parses a file's text; returns the object under "version": 1, or NULL with why in @reason. */
static JsonObject *
parse_versioned (const char  *contents,
                 gsize        length,
                 char       **reason)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!ladle_json_parser_load (parser, contents, length, &local_error))
    *reason = g_strdup (local_error->message);
  else if ((root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    *reason = g_strdup (_("Not a Ladle file"));
  else if (!member_is (json_node_get_object (root), "version", G_TYPE_INT64))
    *reason = g_strdup (_("No version"));
  else if (json_object_get_int_member (json_node_get_object (root), "version") != HISTORY_VERSION)
    {
      g_autofree char *version =
        g_strdup_printf ("%" G_GINT64_FORMAT,
                         json_object_get_int_member (json_node_get_object (root), "version"));

      /* Translators: %s is a number */
      *reason = g_strdup_printf (_("Unknown version %s"), version);
    }
  else
    return json_object_ref (json_node_get_object (root));

  return NULL;
}

/* Reads DIR/@name; returns the object under "version": 1, NULL with no error when the file does
 * not exist, or NULL with the error for the user after setting the file aside. */
static JsonObject *
read_versioned (const char  *path,
                FileKind     kind,
                GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *reason = NULL;
  gsize length = 0;
  JsonObject *root;

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return NULL;
      reason = g_strdup (local_error->message);
    }
  else if ((root = parse_versioned (contents, length, &reason)) != NULL)
    return root;

  aside = set_aside (path);
  set_corrupt_error (error, kind, reason, aside);
  return NULL;
}

/* The entries of a history file's root, newest first */
static gboolean
entries_from_json (JsonObject  *root,
                   GPtrArray   *entries,
                   GError     **error)
{
  JsonNode *list = json_object_get_member (root, "entries");
  JsonArray *array;

  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, _("No entries"));
      return FALSE;
    }

  array = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      LadleHistoryEntry *entry = entry_new_from_json (json_array_get_element (array, i), i, error);

      if (entry == NULL)
        return FALSE;
      g_ptr_array_add (entries, entry);
    }

  return TRUE;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);

  root = read_versioned (path, FILE_HISTORY, &error);
  if (root == NULL)
    {
      if (error != NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_pointer (task, g_steal_pointer (&entries),
                               (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  if (!entries_from_json (root, entries, &error))
    {
      g_autofree char *aside = set_aside (path);

      g_autoptr(GError) user_error = NULL;

      set_corrupt_error (&user_error, FILE_HISTORY, error->message, aside);
      g_task_return_error (task, g_steal_pointer (&user_error));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&entries), (GDestroyNotify) g_ptr_array_unref);
}

void
ladle_history_load_async (LadleHistory        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LADLE_IS_HISTORY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ladle_history_load_async);
  g_task_set_task_data (task, g_build_filename (self->dir, "history.json", NULL), g_free);
  g_task_run_in_thread (task, load_thread);
}

gboolean
ladle_history_load_finish (LadleHistory  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_autoptr(GPtrArray) entries = NULL;

  g_return_val_if_fail (LADLE_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  entries = g_task_propagate_pointer (G_TASK (result), error);
  if (entries == NULL)
    return FALSE;

  /* Entries added while loading are newer than the file's. */
  g_list_store_splice (self->entries, g_list_model_get_n_items (G_LIST_MODEL (self->entries)), 0,
                       entries->pdata, entries->len);
  trim (self);
  return TRUE;
}

/* Writing */

typedef struct
{
  char    *dir;
  char    *path;
  GBytes  *bytes;
  guint64  serial;
  FileKind kind;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_free (data->dir);
  g_free (data->path);
  g_bytes_unref (data->bytes);
  g_free (data);
}

static gboolean
write_file (const char  *dir,
            const char  *path,
            GBytes      *bytes,
            GError     **error)
{
  gsize length = 0;
  const char *contents = g_bytes_get_data (bytes, &length);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create the folder %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }
  /* Written to a temporary file, synced, then renamed over the old one. */
  return g_file_set_contents_full (path, contents, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                   error);
}

/* Once the tabs are on disk, the draft they were migrated from has no use. */
static void
remove_migrated_draft (const char *dir)
{
  g_autofree char *draft = g_build_filename (dir, file_names[FILE_DRAFT], NULL);

  if (g_unlink (draft) != 0 && errno != ENOENT)
    g_debug ("Could not remove %s: %s", draft, g_strerror (errno));
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LadleHistory *self = source_object;
  SaveData *data = task_data;
  g_autoptr(GError) error = NULL;
  guint64 *written;

  g_mutex_lock (&self->mutex);
  written = &self->written[data->kind];
  if (*written > data->serial || write_file (data->dir, data->path, data->bytes, &error))
    {
      *written = MAX (*written, data->serial);
      if (data->kind == FILE_TABS)
        remove_migrated_draft (data->dir);
      g_mutex_unlock (&self->mutex);
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_mutex_unlock (&self->mutex);
  g_task_return_error (task, g_steal_pointer (&error));
}

static GBytes *
to_bytes (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length = 0;
  char *text;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &length);
  return g_bytes_new_take (text, length);
}

static GBytes *
history_to_bytes (LadleHistory *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->entries));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, HISTORY_VERSION);
  json_builder_set_member_name (builder, "entries");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LadleHistoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->entries), i);

      json_builder_add_value (builder, entry_to_json (entry));
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return to_bytes (root);
}

static GBytes *
draft_to_bytes (LadleRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, HISTORY_VERSION);
  json_builder_set_member_name (builder, "request");
  json_builder_add_value (builder, ladle_request_to_json (request));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return to_bytes (root);
}

static void
save_async (LadleHistory        *self,
            FileKind             kind,
            GBytes              *bytes,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data,
            gpointer             source_tag)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  SaveData *data = g_new0 (SaveData, 1);

  data->dir = g_strdup (self->dir);
  data->path = g_build_filename (self->dir, file_names[kind], NULL);
  data->bytes = bytes;
  data->kind = kind;
  data->serial = ++self->serial[kind];
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);
  g_task_run_in_thread (task, save_thread);
}

void
ladle_history_save_async (LadleHistory        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (LADLE_IS_HISTORY (self));

  save_async (self, FILE_HISTORY, history_to_bytes (self), cancellable, callback, user_data,
              ladle_history_save_async);
}

gboolean
ladle_history_save_finish (LadleHistory  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (LADLE_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
ladle_history_save_draft_async (LadleHistory        *self,
                                LadleRequest        *request,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (LADLE_IS_HISTORY (self));
  g_return_if_fail (LADLE_IS_REQUEST (request));

  save_async (self, FILE_DRAFT, draft_to_bytes (request), cancellable, callback, user_data,
              ladle_history_save_draft_async);
}

gboolean
ladle_history_save_draft_finish (LadleHistory  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return ladle_history_save_finish (self, result, error);
}

gboolean
ladle_history_save_draft (LadleHistory  *self,
                          LadleRequest  *request,
                          GError       **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *path = NULL;
  gboolean ok;

  g_return_val_if_fail (LADLE_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (LADLE_IS_REQUEST (request), FALSE);

  bytes = draft_to_bytes (request);
  path = g_build_filename (self->dir, "draft.json", NULL);
  g_mutex_lock (&self->mutex);
  ok = write_file (self->dir, path, bytes, error);
  if (ok)
    self->written[FILE_DRAFT] = ++self->serial[FILE_DRAFT];
  g_mutex_unlock (&self->mutex);
  return ok;
}

/* Returns the draft at @path, NULL without error when there is none, NULL with the error for the
 * user after setting a damaged one aside. */
static LadleRequest *
read_draft (const char  *path,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonObject) root = NULL;
  g_autofree char *aside = NULL;
  LadleRequest *request = NULL;

  root = read_versioned (path, FILE_DRAFT, error);
  if (root == NULL)
    return NULL;

  if (!json_object_has_member (root, "request"))
    g_set_error (&local_error, LADLE_ERROR, LADLE_ERROR_PARSE, _("No request"));
  else
    request = ladle_request_new_from_json (json_object_get_member (root, "request"),
                                           &local_error);
  if (request != NULL)
    return request;

  aside = set_aside (path);
  set_corrupt_error (error, FILE_DRAFT, local_error->message, aside);
  return NULL;
}

static void
load_draft_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  LadleRequest *request = read_draft (task_data, &error);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, request, g_object_unref);
}

void
ladle_history_load_draft_async (LadleHistory        *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LADLE_IS_HISTORY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ladle_history_load_draft_async);
  g_task_set_task_data (task, g_build_filename (self->dir, "draft.json", NULL), g_free);
  g_task_run_in_thread (task, load_draft_thread);
}

LadleRequest *
ladle_history_load_draft_finish (LadleHistory  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (LADLE_IS_HISTORY (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Tabs */

typedef struct
{
  GPtrArray *requests;
  guint      selected;
} TabsData;

static void
tabs_data_free (TabsData *data)
{
  g_clear_pointer (&data->requests, g_ptr_array_unref);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TabsData, tabs_data_free)

static GBytes *
tabs_to_bytes (GPtrArray *requests,
               guint      selected)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, HISTORY_VERSION);
  json_builder_set_member_name (builder, "selected");
  json_builder_add_int_value (builder, selected);
  json_builder_set_member_name (builder, "tabs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < requests->len; i++)
    {
      /* One object per tab, so that a tab can get more than its request later. */
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "request");
      json_builder_add_value (builder, ladle_request_to_json (g_ptr_array_index (requests, i)));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return to_bytes (root);
}

/* Returns the tabs in @root, or NULL with a reason (not yet for the user). */
static TabsData *
tabs_from_json (JsonObject  *root,
                GError     **error)
{
  g_autoptr(TabsData) data = g_new0 (TabsData, 1);
  JsonNode *list = json_object_get_member (root, "tabs");
  JsonArray *array;

  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, _("No tabs"));
      return NULL;
    }

  array = json_node_get_array (list);
  data->requests = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr(GError) local_error = NULL;
      JsonNode *node = json_array_get_element (array, i);
      LadleRequest *request = NULL;

      if (JSON_NODE_HOLDS_OBJECT (node) &&
          json_object_has_member (json_node_get_object (node), "request"))
        request = ladle_request_new_from_json (json_object_get_member (json_node_get_object (node),
                                                                       "request"),
                                               &local_error);
      if (request == NULL)
        {
          if (local_error != NULL)
            g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, _("Tab %u is not valid: %s"),
                         i + 1, local_error->message);
          else
            g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, _("Tab %u is not valid"), i + 1);
          return NULL;
        }
      g_ptr_array_add (data->requests, request);
    }

  /* A selection out of range is not worth losing the tabs for. */
  if (member_is (root, "selected", G_TYPE_INT64))
    {
      gint64 selected = json_object_get_int_member (root, "selected");

      if (selected >= 0 && selected < data->requests->len)
        data->selected = selected;
    }

  return g_steal_pointer (&data);
}

static void
load_tabs_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  const char *dir = task_data;
  g_autofree char *path = g_build_filename (dir, file_names[FILE_TABS], NULL);
  g_autofree char *draft_path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(TabsData) data = NULL;
  g_autoptr(LadleRequest) draft = NULL;

  root = read_versioned (path, FILE_TABS, &error);
  if (root != NULL)
    {
      g_autofree char *aside = NULL;
      g_autoptr(GError) user_error = NULL;

      data = tabs_from_json (root, &error);
      if (data != NULL)
        {
          g_task_return_pointer (task, g_steal_pointer (&data), (GDestroyNotify) tabs_data_free);
          return;
        }
      aside = set_aside (path);
      set_corrupt_error (&user_error, FILE_TABS, error->message, aside);
      g_task_return_error (task, g_steal_pointer (&user_error));
      return;
    }
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* No tabs yet: the draft of a Ladle without tabs becomes the first. */
  draft_path = g_build_filename (dir, file_names[FILE_DRAFT], NULL);
  draft = read_draft (draft_path, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (draft == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  data = g_new0 (TabsData, 1);
  data->requests = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (data->requests, g_steal_pointer (&draft));
  g_task_return_pointer (task, g_steal_pointer (&data), (GDestroyNotify) tabs_data_free);
}

void
ladle_history_save_tabs_async (LadleHistory        *self,
                               GPtrArray           *requests,
                               guint                selected,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (LADLE_IS_HISTORY (self));
  g_return_if_fail (requests != NULL);

  save_async (self, FILE_TABS, tabs_to_bytes (requests, selected), cancellable, callback,
              user_data, ladle_history_save_tabs_async);
}

gboolean
ladle_history_save_tabs_finish (LadleHistory  *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return ladle_history_save_finish (self, result, error);
}

gboolean
ladle_history_save_tabs (LadleHistory  *self,
                         GPtrArray     *requests,
                         guint          selected,
                         GError       **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *path = NULL;
  gboolean ok;

  g_return_val_if_fail (LADLE_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (requests != NULL, FALSE);

  bytes = tabs_to_bytes (requests, selected);
  path = g_build_filename (self->dir, file_names[FILE_TABS], NULL);
  g_mutex_lock (&self->mutex);
  ok = write_file (self->dir, path, bytes, error);
  if (ok)
    {
      self->written[FILE_TABS] = ++self->serial[FILE_TABS];
      remove_migrated_draft (self->dir);
    }
  g_mutex_unlock (&self->mutex);
  return ok;
}

void
ladle_history_load_tabs_async (LadleHistory        *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LADLE_IS_HISTORY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ladle_history_load_tabs_async);
  g_task_set_task_data (task, g_strdup (self->dir), g_free);
  g_task_run_in_thread (task, load_tabs_thread);
}

GPtrArray *
ladle_history_load_tabs_finish (LadleHistory  *self,
                                GAsyncResult  *result,
                                guint         *selected,
                                GError       **error)
{
  g_autoptr(TabsData) data = NULL;

  g_return_val_if_fail (LADLE_IS_HISTORY (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (selected != NULL)
    *selected = 0;
  data = g_task_propagate_pointer (G_TASK (result), error);
  if (data == NULL)
    return NULL;
  if (selected != NULL)
    *selected = data->selected;
  return g_steal_pointer (&data->requests);
}

/**
 * _ladle_history_parse:
 * @contents: the text of a history or tabs file
 * @tabs: parse it as a tabs file (else as history)
 * @out_selected: (out) (optional): for tabs, the selected one
 * @error: why it would be set aside
 *
 * What the loaders do with a file's text, without the file: for tests and fuzzing.
 *
 * Returns: (transfer full) (nullable): the entries (#LadleHistoryEntry) or the tabs' requests
 *   (#LadleRequest), or %NULL with @error set
 */
GPtrArray *
_ladle_history_parse (const char  *contents,
                      gsize        length,
                      gboolean     tabs,
                      guint       *out_selected,
                      GError     **error)
{
  g_autofree char *reason = NULL;
  g_autoptr(JsonObject) root = parse_versioned (contents, length, &reason);
  g_autoptr(GPtrArray) entries = NULL;

  if (root == NULL)
    {
      g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_PARSE, reason);
      return NULL;
    }

  if (tabs)
    {
      g_autoptr(TabsData) data = tabs_from_json (root, error);

      if (data == NULL)
        return NULL;
      if (out_selected != NULL)
        *out_selected = data->selected;
      return g_steal_pointer (&data->requests);
    }

  entries = g_ptr_array_new_with_free_func (g_object_unref);
  if (!entries_from_json (root, entries, error))
    return NULL;
  return g_steal_pointer (&entries);
}
