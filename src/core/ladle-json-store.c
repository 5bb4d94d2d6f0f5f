/* ladle-json-store.c
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
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ladle-error.h"
#include "ladle-json.h"
#include "ladle-json-store-private.h"

/* Threads. Every look at the file (read, check, set aside, write, remove) happens in a worker
 * thread, or in the owner's for the blocking calls meant for shutdown, with the store's lock held:
 * two of them never overlap, and what one decided about the file (loaded, damaged, set aside)
 * still holds for the next.
 *
 * Saves are numbered in the owner's thread when asked for. A write whose number is not above the
 * last one that reached the disk has been overtaken (by a blocking save, a flush, a removal) and
 * writes nothing. The owner's thread keeps at most two writes: the one a worker is doing, and the
 * newest content asked for since, which every save asked for meanwhile waits for. */

#define FOLDER_MODE         0700
#define FILE_MODE           0600
#define MAX_SET_ASIDE_NAMES 1000

typedef enum
{
  FILE_UNKNOWN,  /* not looked at yet: the first write checks it */
  FILE_CHECKED,  /* missing, loaded, set aside or written: a write may replace it */
  FILE_DAMAGED,  /* did not load and is still there: the next write sets it aside first */
} FileState;

typedef struct
{
  gpointer                 snapshot;
  LadleJsonStoreBuildFunc  build;
  GDestroyNotify           snapshot_free;
  guint64                  serial;
  GPtrArray               *tasks;          /* the saves this write answers (owner thread) */
} Job;

struct _LadleJsonStore
{
  GObject              parent_instance;
  char                *folder;
  char                *name;
  char                *path;
  guint                version;
  LadleJsonStoreFlags  flags;

  GMutex               lock;            /* the file, and the fields below up to the owner's */
  gsize                max_size;        /* of a file read; 0 for no limit */
  FileState            state;
  guint64              done;            /* serial of the newest write or removal on disk */

  /* Owner thread */
  guint64              serial;          /* the last one handed out */
  Job                 *running;         /* a worker is writing it */
  Job                 *pending;         /* to write once it is done */
};

G_DEFINE_FINAL_TYPE (LadleJsonStore, ladle_json_store, G_TYPE_OBJECT)

static void
ladle_json_store_finalize (GObject *object)
{
  LadleJsonStore *self = LADLE_JSON_STORE (object);

  /* Each write holds the store. */
  g_assert (self->running == NULL && self->pending == NULL);

  g_free (self->folder);
  g_free (self->name);
  g_free (self->path);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (ladle_json_store_parent_class)->finalize (object);
}

static void
ladle_json_store_class_init (LadleJsonStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ladle_json_store_finalize;
}

static void
ladle_json_store_init (LadleJsonStore *self)
{
  g_mutex_init (&self->lock);
  self->state = FILE_UNKNOWN;
}

/**
 * ladle_json_store_new:
 * @folder: (type filename): where the file lives; made (0700) when a save needs it
 * @name: (type filename): the file's name in @folder
 * @version: the version this Ladle writes; a file with a higher one is set aside, not read
 * @flags: when a file that does not load is set aside
 *
 * Returns: (transfer full): a store for FOLDER/NAME; nothing is read until a load
 */
LadleJsonStore *
ladle_json_store_new (const char          *folder,
                      const char          *name,
                      guint                version,
                      LadleJsonStoreFlags  flags)
{
  LadleJsonStore *self;

  g_return_val_if_fail (folder != NULL && folder[0] != '\0', NULL);
  g_return_val_if_fail (name != NULL && name[0] != '\0' && strchr (name, G_DIR_SEPARATOR) == NULL,
                        NULL);
  g_return_val_if_fail (version > 0, NULL);

  self = g_object_new (LADLE_TYPE_JSON_STORE, NULL);
  self->folder = g_strdup (folder);
  self->name = g_strdup (name);
  self->path = g_build_filename (folder, name, NULL);
  self->version = version;
  self->flags = flags;
  return self;
}

/**
 * ladle_json_store_new_for_path:
 * @path: (type filename): the file
 *
 * ladle_json_store_new() for the folder and name of @path.
 *
 * Returns: (transfer full): the store
 */
LadleJsonStore *
ladle_json_store_new_for_path (const char          *path,
                               guint                version,
                               LadleJsonStoreFlags  flags)
{
  g_autofree char *folder = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (path != NULL && path[0] != '\0', NULL);

  folder = g_path_get_dirname (path);
  name = g_path_get_basename (path);
  return ladle_json_store_new (folder, name, version, flags);
}

const char *
ladle_json_store_get_folder (LadleJsonStore *self)
{
  g_return_val_if_fail (LADLE_IS_JSON_STORE (self), NULL);
  return self->folder;
}

/**
 * ladle_json_store_get_path:
 *
 * Returns: (type filename): FOLDER/NAME
 */
const char *
ladle_json_store_get_path (LadleJsonStore *self)
{
  g_return_val_if_fail (LADLE_IS_JSON_STORE (self), NULL);
  return self->path;
}

guint
ladle_json_store_get_version (LadleJsonStore *self)
{
  g_return_val_if_fail (LADLE_IS_JSON_STORE (self), 0);
  return self->version;
}

/**
 * ladle_json_store_set_max_size:
 * @max_size: the largest file read, in bytes; 0 (the default) for no limit
 *
 * A larger file does not load (and is set aside): it is refused before it is read.
 */
void
ladle_json_store_set_max_size (LadleJsonStore *self,
                               gsize           max_size)
{
  g_return_if_fail (LADLE_IS_JSON_STORE (self));

  g_mutex_lock (&self->lock);
  self->max_size = max_size;
  g_mutex_unlock (&self->lock);
}

/* The file */

typedef enum
{
  FAILED_OPEN,
  FAILED_READ,
  FAILED_SET_ASIDE,
  FAILED_MAKE_FOLDER,
  FAILED_REMOVE,
} Failure;

static void
set_errno_error (GError     **error,
                 Failure      failure,
                 const char  *path,
                 int          saved_errno)
{
  g_autofree char *display = g_filename_display_name (path);
  const char *reason = g_strerror (saved_errno);
  GFileError code = g_file_error_from_errno (saved_errno);

  switch (failure)
    {
    case FAILED_OPEN:
      g_set_error (error, G_FILE_ERROR, code, _("Could not open “%s”: %s"), display, reason);
      break;

    case FAILED_READ:
      g_set_error (error, G_FILE_ERROR, code, _("Could not read “%s”: %s"), display, reason);
      break;

    case FAILED_SET_ASIDE:
      /* Translators: %s is a file; the file did not load and could not be renamed */
      g_set_error (error, G_FILE_ERROR, code, _("Could not set the damaged file “%s” aside: %s"),
                   display, reason);
      break;

    case FAILED_MAKE_FOLDER:
      g_set_error (error, G_FILE_ERROR, code, _("Could not create the folder “%s”: %s"), display,
                   reason);
      break;

    case FAILED_REMOVE:
      g_set_error (error, G_FILE_ERROR, code, _("Could not remove “%s”: %s"), display, reason);
      break;

    default:
      g_assert_not_reached ();
    }
}

/* Reads @path whole: a regular file (opened without blocking, so that a FIFO cannot hang the
 * worker) of at most @max_size bytes when that is not 0. */
static char *
read_file (const char  *path,
           gsize        max_size,
           gsize       *out_length,
           GError     **error)
{
  g_autofree char *contents = NULL;
  struct stat st;
  gsize capacity;
  gsize length = 0;
  int fd;

  do
    fd = open (path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);
  if (fd < 0)
    {
      set_errno_error (error, FAILED_OPEN, path, errno);
      return NULL;
    }

  if (fstat (fd, &st) != 0)
    {
      set_errno_error (error, FAILED_READ, path, errno);
      close (fd);
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a regular file"), display);
      close (fd);
      return NULL;
    }

  capacity = (gsize) st.st_size + 1;
  if (max_size > 0)
    capacity = MIN (capacity, max_size + 1);
  contents = g_malloc (capacity + 1);
  for (;;)
    {
      gssize n = read (fd, contents + length, capacity - length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          set_errno_error (error, FAILED_READ, path, errno);
          close (fd);
          return NULL;
        }
      if (n == 0)
        break;

      length += n;
      if (max_size > 0 && length > max_size)
        {
          g_autofree char *display = g_filename_display_name (path);
          g_autofree char *limit = g_format_size_full (max_size, G_FORMAT_SIZE_IEC_UNITS);

          /* Translators: the first %s is a file, the second a size such as “16.0 MiB” */
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_TOO_LARGE, _("“%s” is larger than %s"),
                       display, limit);
          close (fd);
          return NULL;
        }
      if (length == capacity)
        {
          /* It grew since it was looked at: read on, up to the limit. */
          capacity = max_size > 0 ? MIN (capacity * 2, max_size + 1) : capacity * 2;
          contents = g_realloc (contents, capacity + 1);
        }
    }

  close (fd);
  contents[length] = '\0';
  *out_length = length;
  return g_steal_pointer (&contents);
}

static gboolean
node_is_integer (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_INT64;
}

/**
 * _ladle_json_store_parse_versioned:
 * @contents: a file's text
 * @max_version: the highest version read
 * @out_version: (out) (optional): the file's version
 * @error: why it would be set aside
 *
 * Returns: (transfer full) (nullable): the top-level object, whose "version" is an integer from
 *   1 to @max_version
 */
JsonObject *
_ladle_json_store_parse_versioned (const char  *contents,
                                   gsize        length,
                                   guint        max_version,
                                   guint       *out_version,
                                   GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  JsonNode *root;
  JsonNode *version;
  gint64 number;

  /* Bounded in depth: json-glib's parser recurses once per level. */
  if (!ladle_json_parser_load (parser, contents, length, error))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_PARSE, _("Not a Ladle file"));
      return NULL;
    }

  object = json_node_get_object (root);
  version = json_object_get_member (object, "version");
  if (!node_is_integer (version))
    {
      g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_PARSE, _("No version"));
      return NULL;
    }

  number = json_node_get_int (version);
  if (number < 1 || number > max_version)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, number);

      if (number > max_version)
        /* Translators: %s is a number */
        g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                     _("Written by a newer version of Ladle (file version %s)"), text);
      else
        /* Translators: %s is a number */
        g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, _("Unknown version %s"), text);
      return NULL;
    }

  if (out_version != NULL)
    *out_version = number;
  return json_object_ref (object);
}

/* Renames the file to NAME.corrupt-STAMP, a name not taken (never replacing one); sets
 * @out_set_aside to it, or leaves it NULL when there was no file. */
static gboolean
set_aside_locked (LadleJsonStore  *self,
                  char           **out_set_aside,
                  GError         **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%S");

  for (guint i = 0; i < MAX_SET_ASIDE_NAMES; i++)
    {
      g_autofree char *aside = i == 0 ? g_strdup_printf ("%s.corrupt-%s", self->path, stamp)
                                      : g_strdup_printf ("%s.corrupt-%s-%u", self->path, stamp, i);
      int saved_errno = 0;

      if (renameat2 (AT_FDCWD, self->path, AT_FDCWD, aside, RENAME_NOREPLACE) != 0)
        saved_errno = errno;
      if (saved_errno == EINVAL || saved_errno == ENOSYS)
        {
          /* A file system that cannot refuse to replace: look first. */
          GStatBuf st;

          if (g_lstat (aside, &st) == 0)
            continue;
          saved_errno = g_rename (self->path, aside) == 0 ? 0 : errno;
        }

      if (saved_errno == 0)
        {
          g_debug ("Set %s aside as %s", self->path, aside);
          self->state = FILE_CHECKED;
          if (out_set_aside != NULL)
            *out_set_aside = g_steal_pointer (&aside);
          return TRUE;
        }
      if (saved_errno == EEXIST)
        continue;
      if (saved_errno == ENOENT)
        {
          /* Gone meanwhile: nothing to keep. */
          self->state = FILE_CHECKED;
          return TRUE;
        }

      set_errno_error (error, FAILED_SET_ASIDE, self->path, saved_errno);
      return FALSE;
    }

  set_errno_error (error, FAILED_SET_ASIDE, self->path, EEXIST);
  return FALSE;
}

/* Before a file that no load looked at is replaced: set aside, unless it is JSON that a newer
 * version did not write. */
static gboolean
check_before_write_locked (LadleJsonStore  *self,
                           char           **out_set_aside,
                           GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *contents = NULL;
  JsonNode *version = NULL;
  gsize length = 0;

  contents = read_file (self->path, self->max_size, &length, &local_error);
  if (contents == NULL && g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      self->state = FILE_CHECKED;
      return TRUE;
    }
  if (contents != NULL)
    root = ladle_json_parse (contents, length, NULL);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    version = json_object_get_member (json_node_get_object (root), "version");
  if (root != NULL && !(node_is_integer (version) && json_node_get_int (version) > self->version))
    {
      self->state = FILE_CHECKED;
      return TRUE;
    }

  return set_aside_locked (self, out_set_aside, error);
}

static char *
generate (JsonNode *root,
          gsize    *out_length)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  char *text;
  gsize length = 0;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, &length);

  /* End with a newline, as text files do. */
  text = g_realloc (text, length + 2);
  text[length++] = '\n';
  text[length] = '\0';
  *out_length = length;
  return text;
}

static gboolean
write_locked (LadleJsonStore           *self,
              gpointer                  snapshot,
              LadleJsonStoreBuildFunc   build,
              guint64                   serial,
              char                    **out_set_aside,
              GError                  **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;

  /* Overtaken: something newer reached the disk. */
  if (serial <= self->done)
    return TRUE;

  if (g_mkdir_with_parents (self->folder, FOLDER_MODE) != 0)
    {
      set_errno_error (error, FAILED_MAKE_FOLDER, self->folder, errno);
      return FALSE;
    }
  if (self->state == FILE_DAMAGED && !set_aside_locked (self, out_set_aside, error))
    return FALSE;
  if (self->state == FILE_UNKNOWN && !check_before_write_locked (self, out_set_aside, error))
    return FALSE;

  root = build (snapshot);
  text = generate (root, &length);
  /* A temporary file in the same folder, synced, renamed over the old one: the file is always
   * either the old text or the new, and the temporary file is removed if anything fails. */
  if (!g_file_set_contents_full (self->path, text, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 FILE_MODE, error))
    return FALSE;

  self->state = FILE_CHECKED;
  self->done = serial;
  return TRUE;
}

/* Loading */

typedef struct
{
  LadleJsonStoreParseFunc  parse;
  LadleJsonStoreReadFunc   read;
  gpointer                 user_data;
  GDestroyNotify           user_data_free;
  GDestroyNotify           value_free;
  char                    *set_aside;      /* written by the worker */
} LoadData;

static void
load_data_free (LoadData *data)
{
  if (data->user_data_free != NULL)
    data->user_data_free (data->user_data);
  g_free (data->set_aside);
  g_free (data);
}

/* Returns the value, or NULL: with @missing set when there is no file, else with @error. */
static gpointer
load_locked (LadleJsonStore  *self,
             LoadData        *data,
             gboolean        *missing,
             GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonObject) root = NULL;
  g_autofree char *contents = NULL;
  gpointer value = NULL;
  gsize length = 0;
  guint version = 0;

  if (data->read != NULL)
    {
      value = data->read (self->path, data->user_data, &local_error);
      if (value == NULL && local_error == NULL)
        g_set_error_literal (&local_error, LADLE_ERROR, LADLE_ERROR_PARSE, _("Not a Ladle file"));
    }
  else if ((contents = read_file (self->path, self->max_size, &length, &local_error)) != NULL &&
           (root = _ladle_json_store_parse_versioned (contents, length, self->version, &version,
                                                      &local_error)) != NULL)
    {
      value = data->parse != NULL ? data->parse (root, version, data->user_data, &local_error)
                                  : json_object_ref (root);
      if (value == NULL && local_error == NULL)
        g_set_error_literal (&local_error, LADLE_ERROR, LADLE_ERROR_PARSE, _("Not a Ladle file"));
    }

  *missing = value == NULL && g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  if (value == NULL && !*missing)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return value;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LadleJsonStore *self = source_object;
  LoadData *data = task_data;
  g_autoptr(GError) error = NULL;
  gboolean missing = FALSE;
  gpointer value;

  if (g_task_return_error_if_cancelled (task))
    return;

  g_mutex_lock (&self->lock);
  value = load_locked (self, data, &missing, &error);
  if (value != NULL || missing)
    self->state = FILE_CHECKED;
  else
    {
      self->state = FILE_DAMAGED;
      if (!(self->flags & LADLE_JSON_STORE_SET_ASIDE_ON_SAVE))
        {
          g_autoptr(GError) aside_error = NULL;

          /* Should that fail, the file stays damaged: no write replaces it. */
          if (!set_aside_locked (self, &data->set_aside, &aside_error))
            g_message ("%s", aside_error->message);
        }
    }
  g_mutex_unlock (&self->lock);

  if (value != NULL)
    g_task_return_pointer (task, value, data->value_free);
  else if (missing)
    g_task_return_pointer (task, NULL, NULL);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
load_common_async (LadleJsonStore          *self,
                   LadleJsonStoreParseFunc  parse,
                   LadleJsonStoreReadFunc   read,
                   gpointer                 user_data,
                   GDestroyNotify           user_data_free,
                   GDestroyNotify           value_free,
                   GCancellable            *cancellable,
                   GAsyncReadyCallback      callback,
                   gpointer                 callback_data,
                   gpointer                 source_tag)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, callback_data);
  LoadData *data = g_new0 (LoadData, 1);

  data->parse = parse;
  data->read = read;
  data->user_data = user_data;
  data->user_data_free = user_data_free;
  data->value_free = value_free;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_thread);
}

/**
 * ladle_json_store_load_async:
 * @parse: (nullable): turns the file's top-level object into the value handed back; %NULL hands
 *   back the object itself (a #JsonObject)
 * @user_data: for @parse
 * @user_data_free: (nullable): frees @user_data once the load is over
 * @value_free: (nullable): frees a value nobody took (the load was cancelled)
 *
 * Reads the file in a worker thread: a regular file, parsed with bounded nesting, whose top level
 * is an object with an integer "version" from 1 to the store's version, handed to @parse there.
 * A file that does not load is set aside at once, unless the store was made with
 * %LADLE_JSON_STORE_SET_ASIDE_ON_SAVE.
 */
void
ladle_json_store_load_async (LadleJsonStore          *self,
                             LadleJsonStoreParseFunc  parse,
                             gpointer                 user_data,
                             GDestroyNotify           user_data_free,
                             GDestroyNotify           value_free,
                             GCancellable            *cancellable,
                             GAsyncReadyCallback      callback,
                             gpointer                 callback_data)
{
  g_return_if_fail (LADLE_IS_JSON_STORE (self));

  load_common_async (self, parse, NULL, user_data, user_data_free,
                     parse != NULL ? value_free : (GDestroyNotify) json_object_unref,
                     cancellable, callback, callback_data, ladle_json_store_load_async);
}

/**
 * ladle_json_store_load_file_async:
 * @read: reads and parses the file (in a worker thread)
 *
 * Like ladle_json_store_load_async(), for a file that @read reads itself.
 */
void
ladle_json_store_load_file_async (LadleJsonStore         *self,
                                  LadleJsonStoreReadFunc  read,
                                  gpointer                user_data,
                                  GDestroyNotify          user_data_free,
                                  GDestroyNotify          value_free,
                                  GCancellable           *cancellable,
                                  GAsyncReadyCallback     callback,
                                  gpointer                callback_data)
{
  g_return_if_fail (LADLE_IS_JSON_STORE (self));
  g_return_if_fail (read != NULL);

  load_common_async (self, NULL, read, user_data, user_data_free, value_free, cancellable,
                     callback, callback_data, ladle_json_store_load_file_async);
}

/**
 * ladle_json_store_load_finish:
 * @out_set_aside: (out) (optional) (type filename): where the file was set aside, or %NULL
 * @error: why the file did not load
 *
 * Returns: (transfer full) (nullable): the value; %NULL without @error when there is no file;
 *   %NULL with @error when it did not load (then @out_set_aside says where it went, if it was
 *   set aside)
 */
gpointer
ladle_json_store_load_finish (LadleJsonStore  *self,
                              GAsyncResult    *result,
                              char           **out_set_aside,
                              GError         **error)
{
  LoadData *data;

  g_return_val_if_fail (LADLE_IS_JSON_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (out_set_aside != NULL)
    *out_set_aside = g_strdup (data->set_aside);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Saving */

static Job *
job_new (gpointer                 snapshot,
         LadleJsonStoreBuildFunc  build,
         GDestroyNotify           snapshot_free,
         guint64                  serial)
{
  Job *job = g_new0 (Job, 1);

  job->snapshot = snapshot;
  job->build = build;
  job->snapshot_free = snapshot_free;
  job->serial = serial;
  job->tasks = g_ptr_array_new_with_free_func (g_object_unref);
  return job;
}

static void
job_set_content (Job                     *job,
                 gpointer                 snapshot,
                 LadleJsonStoreBuildFunc  build,
                 GDestroyNotify           snapshot_free,
                 guint64                  serial)
{
  if (job->snapshot_free != NULL)
    job->snapshot_free (job->snapshot);
  job->snapshot = snapshot;
  job->build = build;
  job->snapshot_free = snapshot_free;
  job->serial = serial;
}

static void
job_free (Job *job)
{
  job_set_content (job, NULL, NULL, NULL, 0);
  g_ptr_array_unref (job->tasks);
  g_free (job);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  LadleJsonStore *self = source_object;
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  char *set_aside = NULL;
  gboolean ok;

  g_mutex_lock (&self->lock);
  ok = write_locked (self, job->snapshot, job->build, job->serial, &set_aside, &error);
  g_mutex_unlock (&self->lock);

  if (ok)
    g_task_return_pointer (task, set_aside, g_free);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void start_job (LadleJsonStore *self,
                       Job            *job);

static void
job_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  LadleJsonStore *self = LADLE_JSON_STORE (object);
  Job *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *set_aside = g_task_propagate_pointer (G_TASK (result), &error);

  g_assert (self->running == job);

  /* The next write starts before anyone hears of this one, so that a save asked for from a
   * callback finds the store as it is. */
  self->running = NULL;
  if (self->pending != NULL)
    start_job (self, g_steal_pointer (&self->pending));

  for (guint i = 0; i < job->tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (job->tasks, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        {
          g_task_set_task_data (task, g_strdup (set_aside), g_free);
          g_task_return_boolean (task, TRUE);
        }
    }
  job_free (job);
}

static void
start_job (LadleJsonStore *self,
           Job            *job)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, job_done_cb, job);

  g_assert (self->running == NULL);

  self->running = job;
  g_task_set_source_tag (task, start_job);
  g_task_set_task_data (task, job, NULL);
  g_task_run_in_thread (task, write_thread);
}

/**
 * ladle_json_store_save_snapshot_async:
 * @snapshot: what to write, as @build reads it; the store owns it from now on
 * @build: makes the document from @snapshot, in a worker thread
 * @snapshot_free: (nullable): frees @snapshot (in the caller's thread)
 *
 * Writes the document atomically in a worker thread. While a write is under way, saves wait, and
 * one more write follows with the newest of their contents: each of them finishes once content
 * at least as new as its own is on disk (or with the error of the write that was to put it there).
 * A damaged file, or one a newer version wrote, is set aside first (see
 * ladle_json_store_save_finish()).
 */
void
ladle_json_store_save_snapshot_async (LadleJsonStore          *self,
                                      gpointer                 snapshot,
                                      LadleJsonStoreBuildFunc  build,
                                      GDestroyNotify           snapshot_free,
                                      GCancellable            *cancellable,
                                      GAsyncReadyCallback      callback,
                                      gpointer                 user_data)
{
  GTask *task;
  guint64 serial;

  g_return_if_fail (LADLE_IS_JSON_STORE (self));
  g_return_if_fail (build != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ladle_json_store_save_snapshot_async);
  serial = ++self->serial;

  if (self->running == NULL)
    {
      Job *job = job_new (snapshot, build, snapshot_free, serial);

      g_ptr_array_add (job->tasks, task);
      start_job (self, job);
      return;
    }

  if (self->pending == NULL)
    self->pending = job_new (snapshot, build, snapshot_free, serial);
  else
    job_set_content (self->pending, snapshot, build, snapshot_free, serial);
  g_ptr_array_add (self->pending->tasks, task);
}

static JsonNode *
build_node (gpointer snapshot)
{
  return json_node_ref (snapshot);
}

/**
 * ladle_json_store_save_async:
 * @root: the document, which the store keeps (do not change it afterwards)
 *
 * ladle_json_store_save_snapshot_async() for a document built already: it is written out as
 * text in the worker thread.
 */
void
ladle_json_store_save_async (LadleJsonStore      *self,
                             JsonNode            *root,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (LADLE_IS_JSON_STORE (self));
  g_return_if_fail (root != NULL);

  ladle_json_store_save_snapshot_async (self, json_node_ref (root), build_node,
                                        (GDestroyNotify) json_node_unref, cancellable, callback,
                                        user_data);
}

/**
 * ladle_json_store_save_finish:
 * @out_set_aside: (out) (optional) (type filename): where the file that was there was set aside
 *   before the write (a damaged file, or one a newer version wrote), or %NULL
 *
 * Returns: whether the content, or newer content, is on disk
 */
gboolean
ladle_json_store_save_finish (LadleJsonStore  *self,
                              GAsyncResult    *result,
                              char           **out_set_aside,
                              GError         **error)
{
  g_return_val_if_fail (LADLE_IS_JSON_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (out_set_aside != NULL)
    *out_set_aside = g_strdup (g_task_get_task_data (G_TASK (result)));
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * ladle_json_store_save:
 * @root: the document
 * @out_set_aside: (out) (optional) (type filename): as for ladle_json_store_save_finish()
 *
 * Writes @root now, blocking, in the caller's thread: for a small file at shutdown. It wins over
 * every save asked for before.
 *
 * Returns: whether @root is on disk
 */
gboolean
ladle_json_store_save (LadleJsonStore  *self,
                       JsonNode        *root,
                       char           **out_set_aside,
                       GError         **error)
{
  gboolean ok;

  g_return_val_if_fail (LADLE_IS_JSON_STORE (self), FALSE);
  g_return_val_if_fail (root != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->lock);
  ok = write_locked (self, root, build_node, ++self->serial, out_set_aside, error);
  g_mutex_unlock (&self->lock);
  return ok;
}

/**
 * ladle_json_store_flush:
 *
 * Blocks until the newest content a save asked for is on disk, writing it in the caller's thread
 * if no worker has yet: for shutdown. The saves still finish as usual.
 *
 * Returns: whether it is on disk
 */
gboolean
ladle_json_store_flush (LadleJsonStore  *self,
                        GError         **error)
{
  Job *job;
  gboolean ok;

  g_return_val_if_fail (LADLE_IS_JSON_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  job = self->pending != NULL ? self->pending : self->running;
  if (job == NULL)
    return TRUE;

  g_mutex_lock (&self->lock);
  ok = write_locked (self, job->snapshot, job->build, job->serial, NULL, error);
  g_mutex_unlock (&self->lock);
  return ok;
}

/* Removing */

static gboolean
remove_locked (LadleJsonStore  *self,
               guint64          serial,
               GError         **error)
{
  if (serial <= self->done)
    return TRUE;
  if (g_unlink (self->path) != 0 && errno != ENOENT)
    {
      set_errno_error (error, FAILED_REMOVE, self->path, errno);
      return FALSE;
    }
  self->state = FILE_CHECKED;
  self->done = serial;
  return TRUE;
}

static void
remove_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  LadleJsonStore *self = source_object;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_mutex_lock (&self->lock);
  ok = remove_locked (self, *(guint64 *) task_data, &error);
  g_mutex_unlock (&self->lock);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * ladle_json_store_remove_async:
 *
 * Removes the file in a worker thread (no file is no error). It wins over the saves asked for
 * before; a save asked for after writes the file again.
 */
void
ladle_json_store_remove_async (LadleJsonStore      *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  guint64 *serial;

  g_return_if_fail (LADLE_IS_JSON_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  serial = g_new (guint64, 1);
  *serial = ++self->serial;
  g_task_set_source_tag (task, ladle_json_store_remove_async);
  g_task_set_task_data (task, serial, g_free);
  g_task_run_in_thread (task, remove_thread);
}

gboolean
ladle_json_store_remove_finish (LadleJsonStore  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (LADLE_IS_JSON_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * ladle_json_store_remove:
 *
 * ladle_json_store_remove_async(), blocking: for shutdown.
 */
gboolean
ladle_json_store_remove (LadleJsonStore  *self,
                         GError         **error)
{
  gboolean ok;

  g_return_val_if_fail (LADLE_IS_JSON_STORE (self), FALSE);

  g_mutex_lock (&self->lock);
  ok = remove_locked (self, ++self->serial, error);
  g_mutex_unlock (&self->lock);
  return ok;
}
