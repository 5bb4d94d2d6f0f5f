/* ladle-stored-file.c
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

#include "ladle-stored-file.h"

/* A file the server stored: one file part of an upload, under the name it got in the uploads
 * folder. Made on the server's side (a worker thread) and then only read, so it needs no locking;
 * LadleServer::files-stored hands a list of them to the owner. */
struct _LadleStoredFile
{
  GObject  parent_instance;

  char    *path;
  char    *original_name;
  char    *field;
  char    *content_type;
  guint64  size;
  gint64   time;
};

G_DEFINE_FINAL_TYPE (LadleStoredFile, ladle_stored_file, G_TYPE_OBJECT)

static void
ladle_stored_file_finalize (GObject *object)
{
  LadleStoredFile *self = (LadleStoredFile *) object;

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->original_name, g_free);
  g_clear_pointer (&self->field, g_free);
  g_clear_pointer (&self->content_type, g_free);

  G_OBJECT_CLASS (ladle_stored_file_parent_class)->finalize (object);
}

static void
ladle_stored_file_class_init (LadleStoredFileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ladle_stored_file_finalize;
}

static void
ladle_stored_file_init (LadleStoredFile *self)
{
}

/**
 * ladle_stored_file_new:
 * @path: where the file is, under its final name
 * @original_name: (nullable): the file name the client sent, when known
 * @field: (nullable): the form field of the part, when known
 * @size: its size in bytes
 * @content_type: (nullable): the part's media type as the client sent it
 * @time: when it was stored, in microseconds since the epoch (g_get_real_time())
 *
 * Returns: (transfer full): a new stored file
 */
LadleStoredFile *
ladle_stored_file_new (const char *path,
                       const char *original_name,
                       const char *field,
                       guint64     size,
                       const char *content_type,
                       gint64      time)
{
  LadleStoredFile *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (LADLE_TYPE_STORED_FILE, NULL);
  self->path = g_strdup (path);
  self->original_name = g_strdup (original_name);
  self->field = g_strdup (field);
  self->size = size;
  self->content_type = g_strdup (content_type);
  self->time = time;

  return self;
}

/**
 * ladle_stored_file_get_path:
 *
 * Returns: the file's path, under its final name
 */
const char *
ladle_stored_file_get_path (LadleStoredFile *self)
{
  g_return_val_if_fail (LADLE_IS_STORED_FILE (self), NULL);
  return self->path;
}

/**
 * ladle_stored_file_get_name:
 *
 * Returns: the final name (the last part of the path), which may differ from the name the client
 *   sent: names are made safe and never overwrite
 */
const char *
ladle_stored_file_get_name (LadleStoredFile *self)
{
  const char *slash;

  g_return_val_if_fail (LADLE_IS_STORED_FILE (self), NULL);

  slash = strrchr (self->path, G_DIR_SEPARATOR);
  return slash != NULL ? slash + 1 : self->path;
}

/**
 * ladle_stored_file_get_original_name:
 *
 * Returns: (nullable): the file name as the client sent it
 */
const char *
ladle_stored_file_get_original_name (LadleStoredFile *self)
{
  g_return_val_if_fail (LADLE_IS_STORED_FILE (self), NULL);
  return self->original_name;
}

/**
 * ladle_stored_file_get_field:
 *
 * Returns: (nullable): the form field the file was sent in
 */
const char *
ladle_stored_file_get_field (LadleStoredFile *self)
{
  g_return_val_if_fail (LADLE_IS_STORED_FILE (self), NULL);
  return self->field;
}

guint64
ladle_stored_file_get_size (LadleStoredFile *self)
{
  g_return_val_if_fail (LADLE_IS_STORED_FILE (self), 0);
  return self->size;
}

/**
 * ladle_stored_file_get_content_type:
 *
 * Returns: (nullable): the part's media type as the client sent it (without parameters)
 */
const char *
ladle_stored_file_get_content_type (LadleStoredFile *self)
{
  g_return_val_if_fail (LADLE_IS_STORED_FILE (self), NULL);
  return self->content_type;
}

/**
 * ladle_stored_file_get_time:
 *
 * Returns: when the file was stored, in microseconds since the epoch
 */
gint64
ladle_stored_file_get_time (LadleStoredFile *self)
{
  g_return_val_if_fail (LADLE_IS_STORED_FILE (self), 0);
  return self->time;
}
