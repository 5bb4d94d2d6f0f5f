/* ladle-data-dir.c
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

#include "ladle-data-dir-private.h"

#define LEGACY_NAME "ladle"
#define FOLDER_MODE 0700

/**
 * ladle_data_dir_dup:
 * @app_id: the application id (APP_ID of config.h)
 *
 * The one place the data folder is spelled.
 *
 * Returns: (transfer full) (type filename): g_get_user_data_dir()/@app_id
 */
char *
ladle_data_dir_dup (const char *app_id)
{
  g_return_val_if_fail (app_id != NULL && app_id[0] != '\0', NULL);
  g_return_val_if_fail (strchr (app_id, G_DIR_SEPARATOR) == NULL, NULL);

  return g_build_filename (g_get_user_data_dir (), app_id, NULL);
}

/**
 * ladle_data_dir_dup_legacy:
 *
 * Returns: (transfer full) (type filename): g_get_user_data_dir()/ladle, where Ladle kept its data
 *   before it followed the application id
 */
char *
ladle_data_dir_dup_legacy (void)
{
  return g_build_filename (g_get_user_data_dir (), LEGACY_NAME, NULL);
}

static void
set_errno_error (GError     **error,
                 const char  *path,
                 int          saved_errno)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Could not copy “%s”: %s"), display, g_strerror (saved_errno));
}

static gboolean
copy_tree (const char    *from,
           const char    *to,
           GCancellable  *cancellable,
           GError       **error)
{
  GStatBuf st;

  if (g_lstat (from, &st) != 0)
    {
      set_errno_error (error, from, errno);
      return FALSE;
    }

  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = NULL;
      const char *name;

      if (g_mkdir (to, FOLDER_MODE) != 0 && errno != EEXIST)
        {
          set_errno_error (error, to, errno);
          return FALSE;
        }
      dir = g_dir_open (from, 0, error);
      if (dir == NULL)
        return FALSE;
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child_from = g_build_filename (from, name, NULL);
          g_autofree char *child_to = g_build_filename (to, name, NULL);

          if (!copy_tree (child_from, child_to, cancellable, error))
            return FALSE;
        }
      return TRUE;
    }

  if (S_ISLNK (st.st_mode))
    {
      g_autofree char *target = g_file_read_link (from, error);

      if (target == NULL)
        return FALSE;
      if (symlink (target, to) != 0)
        {
          set_errno_error (error, to, errno);
          return FALSE;
        }
      return TRUE;
    }

  if (S_ISREG (st.st_mode))
    {
      g_autoptr(GFile) source = g_file_new_for_path (from);
      g_autoptr(GFile) destination = g_file_new_for_path (to);

      /* Streamed: the uploads folder may hold big files. */
      return g_file_copy (source, destination,
                          G_FILE_COPY_NOFOLLOW_SYMLINKS | G_FILE_COPY_ALL_METADATA,
                          cancellable, NULL, NULL, error);
    }

  /* A FIFO or a socket holds no data. */
  g_debug ("Not copying %s: not a file, a folder or a link", from);
  return TRUE;
}

static void
remove_tree (const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) == 0 && S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

/* Copies @legacy to a new folder beside @dir, which takes @dir's name once whole. */
static gboolean
copy_folder (const char    *legacy,
             const char    *dir,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autofree char *copy = g_strconcat (dir, ".migrating-XXXXXX", NULL);

  if (g_mkdtemp_full (copy, FOLDER_MODE) == NULL)
    {
      set_errno_error (error, legacy, errno);
      return FALSE;
    }

  if (!copy_tree (legacy, copy, cancellable, error))
    {
      remove_tree (copy);
      return FALSE;
    }
  if (renameat2 (AT_FDCWD, copy, AT_FDCWD, dir, RENAME_NOREPLACE) != 0)
    {
      int saved_errno = errno;

      remove_tree (copy);
      set_errno_error (error, legacy, saved_errno);
      return FALSE;
    }
  return TRUE;
}

/**
 * _ladle_data_dir_migrate_full:
 * @copy: copy even where renaming would work
 *
 * ladle_data_dir_migrate(), for tests of the copy.
 */
gboolean
_ladle_data_dir_migrate_full (const char  *legacy,
                              const char  *dir,
                              gboolean     copy,
                              gboolean    *out_moved,
                              GError     **error)
{
  GStatBuf st;

  g_return_val_if_fail (legacy != NULL && dir != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (out_moved != NULL)
    *out_moved = FALSE;

  /* Once the new folder exists (made by this or by a migration), never again. */
  if (g_lstat (dir, &st) == 0 || !g_file_test (legacy, G_FILE_TEST_IS_DIR))
    return TRUE;

  if (copy || renameat2 (AT_FDCWD, legacy, AT_FDCWD, dir, RENAME_NOREPLACE) != 0)
    {
      if (!copy && errno == EEXIST)
        return TRUE;
      g_debug ("Copying %s to %s", legacy, dir);
      /* Across file systems, say: a copy, and the old folder stays as it was. */
      if (!copy_folder (legacy, dir, NULL, error))
        return FALSE;
    }

  /* Ladle's own: for this user only, as the stores make it. */
  g_chmod (dir, FOLDER_MODE);
  if (out_moved != NULL)
    *out_moved = TRUE;
  return TRUE;
}

/**
 * ladle_data_dir_migrate:
 * @legacy: (type filename): the old folder (ladle_data_dir_dup_legacy())
 * @dir: (type filename): the new one (ladle_data_dir_dup())
 * @out_moved: (out) (optional): whether the data moved
 *
 * Once: when @dir does not exist and @legacy does, renames @legacy to @dir, or, when that cannot
 * be done, copies it there (the copy takes @dir's name only once complete; @legacy stays as it
 * was). Blocking: call it from a worker thread, before anything uses @dir.
 *
 * Returns: %FALSE if the data was there to move but could not be
 */
gboolean
ladle_data_dir_migrate (const char  *legacy,
                        const char  *dir,
                        gboolean    *out_moved,
                        GError     **error)
{
  return _ladle_data_dir_migrate_full (legacy, dir, FALSE, out_moved, error);
}

static void
migrate_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  char **paths = task_data;
  g_autoptr(GError) error = NULL;
  gboolean moved = FALSE;

  if (!ladle_data_dir_migrate (paths[0], paths[1], &moved, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, moved);
}

/**
 * ladle_data_dir_migrate_async:
 *
 * ladle_data_dir_migrate() in a worker thread.
 */
void
ladle_data_dir_migrate_async (const char          *legacy,
                              const char          *dir,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  char **paths;

  g_return_if_fail (legacy != NULL && dir != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  paths = g_new0 (char *, 3);
  paths[0] = g_strdup (legacy);
  paths[1] = g_strdup (dir);
  g_task_set_source_tag (task, ladle_data_dir_migrate_async);
  g_task_set_task_data (task, paths, (GDestroyNotify) g_strfreev);
  g_task_run_in_thread (task, migrate_thread);
}

gboolean
ladle_data_dir_migrate_finish (GAsyncResult  *result,
                               gboolean      *out_moved,
                               GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize moved;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  moved = g_task_propagate_int (G_TASK (result), &local_error);
  if (out_moved != NULL)
    *out_moved = local_error == NULL && moved;
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/**
 * ladle_data_dir_rebase:
 * @path: (type filename): a path kept somewhere (a setting)
 * @from: (type filename): the folder that moved
 * @to: (type filename): where it went
 *
 * Returns: (transfer full) (nullable) (type filename): @path in @to when it was in @from, else
 *   %NULL
 */
char *
ladle_data_dir_rebase (const char *path,
                       const char *from,
                       const char *to)
{
  gsize length;

  g_return_val_if_fail (from != NULL && to != NULL, NULL);

  if (path == NULL)
    return NULL;
  length = strlen (from);
  if (strncmp (path, from, length) != 0)
    return NULL;
  if (path[length] == '\0')
    return g_strdup (to);
  if (path[length] != G_DIR_SEPARATOR)
    return NULL;
  return g_strconcat (to, path + length, NULL);
}
