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

#include <glib/gi18n.h>

#include "ladle-error.h"
#include "ladle-history-private.h"
#include "ladle-json-store-private.h"

/* The file is read, parsed, set aside and written by a LadleJsonStore, in worker threads. The
 * document for a save is built in the caller's thread, so the entries are only touched there, and
 * written out as text in the worker. Saves wait for a load under way: written before it, they
 * would replace entries not read yet. */

#define HISTORY_FILE     "history.json"
#define HISTORY_VERSION  1
#define DEFAULT_MAX_SIZE 1000

/* LadleHistoryEntry */

struct _LadleHistoryEntry
{
  GObject       parent_instance;
  LadleRequest *request;
  char         *error;          /* in the current language when its form is known */
  char        **error_form;     /* see ladle_error_get_form() */
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
  g_clear_pointer (&self->error_form, g_strfreev);

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

/**
 * ladle_history_entry_new_failed:
 * @error: why the send failed, or was cancelled
 *
 * An entry for a send that ended without a response. An error that carries its form
 * (ladle_error_get_form()) is saved with it, and reads in the language of the day when loaded.
 */
LadleHistoryEntry *
ladle_history_entry_new_failed (LadleRequest *request,
                                const GError *error,
                                gint64        time,
                                gint64        duration)
{
  LadleHistoryEntry *self;

  g_return_val_if_fail (LADLE_IS_REQUEST (request), NULL);
  g_return_val_if_fail (error != NULL, NULL);

  self = entry_new_take (ladle_request_copy (request), 0, error->message, time, duration);
  self->error_form = g_strdupv ((char **) ladle_error_get_form (error));
  return self;
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
  json_builder_add_value (builder, ladle_request_to_json_full (self->request, FALSE));
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, self->status);
  json_builder_set_member_name (builder, "error");
  if (self->error != NULL)
    json_builder_add_string_value (builder, self->error);
  else
    json_builder_add_null_value (builder);
  if (self->error_form != NULL)
    {
      json_builder_set_member_name (builder, "error-form");
      json_builder_begin_array (builder);
      for (guint i = 0; self->error_form[i] != NULL; i++)
        json_builder_add_string_value (builder, self->error_form[i]);
      json_builder_end_array (builder);
    }
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
  JsonNode *form_node;
  LadleRequest *request;
  LadleHistoryEntry *entry;
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

  entry = entry_new_take (request, status,
                          error_node != NULL && !JSON_NODE_HOLDS_NULL (error_node)
                          ? json_node_get_string (error_node) : NULL,
                          json_object_get_int_member (object, "time"),
                          json_object_get_int_member (object, "duration"));

  /* The error's form, when saved, words it again in today's language (an unknown or damaged
   * form is dropped: the saved words stay). */
  form_node = json_object_get_member (object, "error-form");
  if (entry->error != NULL && form_node != NULL && JSON_NODE_HOLDS_ARRAY (form_node))
    {
      JsonArray *array = json_node_get_array (form_node);
      guint n = MIN (json_array_get_length (array), 8);
      g_auto(GStrv) form = g_new0 (char *, n + 1);
      g_autofree char *words = NULL;

      for (guint i = 0; i < n; i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
            return entry;
          form[i] = g_strdup (json_node_get_string (item));
        }
      words = ladle_error_format_form ((const char * const *) form);
      if (words != NULL)
        {
          g_free (entry->error);
          entry->error = g_steal_pointer (&words);
          entry->error_form = g_steal_pointer (&form);
        }
    }
  return entry;
}

/* LadleHistory */

struct _LadleHistory
{
  GObject         parent_instance;
  GListStore     *entries;
  LadleJsonStore *store;
  char           *dir;
  guint           max_size;
  guint           loading;          /* loads under way */
  GPtrArray      *waiting_saves;    /* GTask: saves asked for while loading */
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

  /* Each load holds the history. */
  g_assert (self->waiting_saves->len == 0);

  g_clear_object (&self->entries);
  g_clear_object (&self->store);
  g_clear_pointer (&self->dir, g_free);
  g_clear_pointer (&self->waiting_saves, g_ptr_array_unref);

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
  self->waiting_saves = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect_object (self->entries, "items-changed", G_CALLBACK (on_items_changed), self,
                           G_CONNECT_SWAPPED);
}

/**
 * ladle_history_new:
 * @dir: (type filename): the folder of history.json
 *
 * Returns: (transfer full): an empty history; ladle_history_load_async() reads the file
 */
LadleHistory *
ladle_history_new (const char *dir)
{
  LadleHistory *self;

  g_return_val_if_fail (dir != NULL, NULL);

  self = g_object_new (LADLE_TYPE_HISTORY, NULL);
  self->dir = g_strdup (dir);
  self->store = ladle_json_store_new (dir, HISTORY_FILE, HISTORY_VERSION,
                                      LADLE_JSON_STORE_DEFAULT);
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

/* Loading */

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

/* In the store's worker thread */
static gpointer
parse_entries (JsonObject  *root,
               guint        version,
               gpointer     user_data,
               GError     **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);

  if (!entries_from_json (root, entries, error))
    return NULL;
  return g_steal_pointer (&entries);
}

static void save_now (LadleHistory *self,
                      GPtrArray    *tasks);

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LadleHistory *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *set_aside = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  entries = ladle_json_store_load_finish (LADLE_JSON_STORE (object), result, &set_aside, &error);
  self->loading--;

  if (entries != NULL)
    {
      /* Entries added while loading are newer than the file's. */
      g_list_store_splice (self->entries,
                           g_list_model_get_n_items (G_LIST_MODEL (self->entries)), 0,
                           entries->pdata, entries->len);
      trim (self);
    }

  /* The saves that waited write what is in memory now, the file's entries included. */
  if (self->loading == 0 && self->waiting_saves->len > 0)
    {
      g_autoptr(GPtrArray) tasks = g_steal_pointer (&self->waiting_saves);

      self->waiting_saves = g_ptr_array_new_with_free_func (g_object_unref);
      save_now (self, tasks);
    }

  if (error == NULL)
    g_task_return_boolean (task, TRUE);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&error));
  else if (set_aside != NULL)
    /* Translators: the first %s is why, the second a file path */
    g_task_return_new_error (task, LADLE_ERROR, LADLE_ERROR_PARSE,
                             _("The history could not be read (%s); it was set aside as %s"),
                             error->message, set_aside);
  else
    g_task_return_new_error (task, LADLE_ERROR, LADLE_ERROR_PARSE,
                             _("The history could not be read (%s)"), error->message);
}

void
ladle_history_load_async (LadleHistory        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (LADLE_IS_HISTORY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ladle_history_load_async);
  self->loading++;
  ladle_json_store_load_async (self->store, parse_entries, NULL, NULL,
                               (GDestroyNotify) g_ptr_array_unref, cancellable, loaded_cb, task);
}

gboolean
ladle_history_load_finish (LadleHistory  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (LADLE_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Saving */

static JsonNode *
history_to_json (LadleHistory *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
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
  return json_builder_get_root (builder);
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GPtrArray) tasks = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *set_aside = NULL;

  if (ladle_json_store_save_finish (LADLE_JSON_STORE (object), result, &set_aside, &error) &&
      set_aside != NULL)
    g_message ("A history file Ladle had not read was set aside as %s", set_aside);

  for (guint i = 0; i < tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (tasks, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

static void
save_now (LadleHistory *self,
          GPtrArray    *tasks)
{
  g_autoptr(JsonNode) root = history_to_json (self);

  ladle_json_store_save_async (self->store, root, NULL, saved_cb, g_ptr_array_ref (tasks));
}

/**
 * ladle_history_save_async:
 *
 * Saves the entries as they are now (after a load under way, as they are then), in a worker
 * thread; a later save always wins over an earlier one.
 */
void
ladle_history_save_async (LadleHistory        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (LADLE_IS_HISTORY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ladle_history_save_async);
  if (self->loading > 0)
    {
      g_ptr_array_add (self->waiting_saves, task);
      return;
    }

  {
    g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);

    g_ptr_array_add (tasks, task);
    save_now (self, tasks);
  }
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

/**
 * _ladle_history_parse:
 * @contents: the text of a history file
 * @error: why it would be set aside
 *
 * What a load does with the file's text, without the file: for tests and fuzzing.
 *
 * Returns: (transfer full) (nullable) (element-type LadleHistoryEntry): the entries, or %NULL
 *   with @error set
 */
GPtrArray *
_ladle_history_parse (const char  *contents,
                      gsize        length,
                      GError     **error)
{
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  root = _ladle_json_store_parse_versioned (contents, length, HISTORY_VERSION, NULL, error);
  if (root == NULL)
    return NULL;

  entries = g_ptr_array_new_with_free_func (g_object_unref);
  if (!entries_from_json (root, entries, error))
    return NULL;
  return g_steal_pointer (&entries);
}
