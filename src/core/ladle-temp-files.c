/* ladle-temp-files.c
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
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <glib-unix.h>

#include "ladle-temp-files.h"

/* Nothing Ladle writes to a temporary folder may outlive it. Every such file (a response body
 * spilled from memory, the viewer's copy of a body, its pretty copy) is named
 * "ladle-PID-KIND-XXXXXX[SUFFIX]" (with a leading dot when it lies beside a user's file) and kept
 * in one registry for the process:
 * - its owner deletes it when done (ladle_temp_file_delete());
 * - the application deletes whatever is left when it shuts down, and on SIGTERM, SIGINT and
 *   SIGHUP it quits instead of dying (ladle_temp_files_install());
 * - a run that was killed leaves its files behind: the next start sweeps, in a worker thread,
 *   the files of processes that are gone (ladle_temp_files_sweep()).
 *
 * The sweep removes only regular files owned by the user, named after one of the kinds below,
 * whose process is not running. A PID may be reused: a running process that started after the file
 * was last written cannot have written it, so its file goes too. Files named before Ladle put the
 * PID in the name ("ladle-body-XXXXXX", "[.]ladle-pretty-XXXXXX.json") go when a day old, as
 * ladle_upload_sweep() does for uploads. */

/* Kinds of temporary files, as they appear in names */
static const char * const kinds[] = { "body", "pretty" };

/* A process that started this long after a file was last written did not write it (the slack
 * covers the clock's adjustments and the rounding of the start time) */
#define REUSED_PID_SLACK_S 60
/* Files without a process number are removed once this old */
#define LEGACY_AGE_S       (24 * 3600)
/* The registry looks for files deleted behind its back beyond this many entries */
#define PRUNE_ABOVE        256

static GMutex      registry_lock;
static GHashTable *registry;        /* paths (owned), the set of live temporary files */
static guint       prune_at = PRUNE_ABOVE;
static gboolean    closed;          /* the application is shutting down */

/* ------------------------------------------------------------------------------------------------
 * Names
 */

/**
 * ladle_temp_file_dup_template:
 * @kind: what the file holds: "body" or "pretty"
 * @suffix: (nullable): appended after the random part, e.g. ".json"
 *
 * Returns: (transfer full): a template for g_file_new_tmp() and g_mkstemp(),
 *   "ladle-PID-KIND-XXXXXX" followed by @suffix
 */
char *
ladle_temp_file_dup_template (const char *kind,
                              const char *suffix)
{
  g_return_val_if_fail (kind != NULL, NULL);

  return g_strdup_printf ("ladle-%d-%s-XXXXXX%s", (int) getpid (), kind,
                          suffix != NULL ? suffix : "");
}

static gboolean
is_kind (const char *text,
         gsize       len)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (strlen (kinds[i]) == len && strncmp (text, kinds[i], len) == 0)
      return TRUE;
  return FALSE;
}

/* Six characters of g_mkstemp()'s alphabet */
static gboolean
is_random_part (const char *text)
{
  for (guint i = 0; i < 6; i++)
    if (!g_ascii_isalnum (text[i]))
      return FALSE;
  return TRUE;
}

/**
 * ladle_temp_file_parse_name:
 * @name: a file name (no folder)
 * @out_pid: (out) (optional): the process that made the file, 0 for a legacy name
 * @out_legacy: (out) (optional): %TRUE for a name without a process number, as Ladle made them
 *   before ("ladle-body-XXXXXX", "[.]ladle-pretty-XXXXXX.json")
 *
 * Returns: %TRUE when @name is the name of one of Ladle's temporary files
 */
gboolean
ladle_temp_file_parse_name (const char *name,
                            guint      *out_pid,
                            gboolean   *out_legacy)
{
  const char *p = name;
  const char *kind;
  guint64 pid = 0;
  guint digits = 0;

  g_return_val_if_fail (name != NULL, FALSE);

  if (out_pid != NULL)
    *out_pid = 0;
  if (out_legacy != NULL)
    *out_legacy = FALSE;

  if (*p == '.')
    p++;
  if (!g_str_has_prefix (p, "ladle-"))
    return FALSE;
  p += strlen ("ladle-");

  /* Legacy names */
  if ((g_str_has_prefix (p, "body-") && strlen (p) == strlen ("body-XXXXXX") && *name != '.' &&
       is_random_part (p + strlen ("body-"))) ||
      (g_str_has_prefix (p, "pretty-") && strlen (p) == strlen ("pretty-XXXXXX.json") &&
       is_random_part (p + strlen ("pretty-")) && g_str_has_suffix (p, ".json")))
    {
      if (out_legacy != NULL)
        *out_legacy = TRUE;
      return TRUE;
    }

  while (g_ascii_isdigit (*p) && digits < 10)
    {
      pid = pid * 10 + (guint64) (*p - '0');
      p++;
      digits++;
    }
  if (digits == 0 || *p != '-' || pid == 0 || pid > G_MAXINT)
    return FALSE;
  p++;

  kind = p;
  while (g_ascii_islower (*p))
    p++;
  if (*p != '-' || !is_kind (kind, (gsize) (p - kind)))
    return FALSE;
  p++;
  if (strlen (p) < 6 || !is_random_part (p))
    return FALSE;

  if (out_pid != NULL)
    *out_pid = (guint) pid;
  return TRUE;
}

/* ------------------------------------------------------------------------------------------------
 * The registry
 */

/* With registry_lock held. Entries whose files are gone (deleted by their owner without telling
 * the registry, as a LadleResponse does with its spilled body) are dropped now and then. */
static void
prune_locked (void)
{
  GHashTableIter iter;
  const char *path;

  if (g_hash_table_size (registry) < prune_at)
    return;

  g_hash_table_iter_init (&iter, registry);
  while (g_hash_table_iter_next (&iter, (gpointer *) &path, NULL))
    {
      GStatBuf st;

      if (g_lstat (path, &st) != 0 && errno == ENOENT)
        g_hash_table_iter_remove (&iter);
    }
  prune_at = MAX (PRUNE_ABOVE, g_hash_table_size (registry) * 2);
}

/* With registry_lock held. Takes @path. */
static void
add_locked (char *path)
{
  if (registry == NULL)
    registry = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  prune_locked ();
  g_hash_table_add (registry, path);
}

static void
forget (const char *path)
{
  g_mutex_lock (&registry_lock);
  if (registry != NULL)
    g_hash_table_remove (registry, path);
  g_mutex_unlock (&registry_lock);
}

/**
 * ladle_temp_file_create:
 * @dir: (nullable): the folder, or %NULL for the temporary folder
 * @hidden: whether the name starts with a dot (for a file beside a user's own)
 * @kind: what the file holds: "body" or "pretty"
 * @suffix: (nullable): the end of the name, e.g. ".json"
 * @out_fd: (out) (optional): the file opened for reading and writing (closed when %NULL)
 * @error: a #GError
 *
 * Creates a file of mode 0600 under a new name in @dir and registers it: it is deleted when the
 * application shuts down if its owner has not deleted it before. Safe in any thread.
 *
 * Returns: (transfer full): the file, or %NULL with @error set
 */
GFile *
ladle_temp_file_create (const char  *dir,
                        gboolean     hidden,
                        const char  *kind,
                        const char  *suffix,
                        int         *out_fd,
                        GError     **error)
{
  g_autofree char *template = NULL;
  g_autofree char *path = NULL;
  GFile *file;
  int saved_errno;
  int fd;

  g_return_val_if_fail (kind != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (dir == NULL)
    dir = g_get_tmp_dir ();
  template = ladle_temp_file_dup_template (kind, suffix);
  path = g_strdup_printf ("%s/%s%s", dir, hidden ? "." : "", template);

  g_mutex_lock (&registry_lock);
  if (closed)
    {
      g_mutex_unlock (&registry_lock);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Ladle is quitting"));
      return NULL;
    }
  fd = g_mkstemp_full (path, O_RDWR | O_CLOEXEC, 0600);
  saved_errno = errno;
  if (fd >= 0)
    add_locked (g_strdup (path));
  g_mutex_unlock (&registry_lock);

  if (fd < 0)
    {
      g_autofree char *name = g_filename_display_name (dir);

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create a temporary file in “%s”: %s"), name,
                   g_strerror (saved_errno));
      return NULL;
    }

  file = g_file_new_for_path (path);
  if (out_fd != NULL)
    *out_fd = fd;
  else
    g_close (fd, NULL);
  return file;
}

/**
 * ladle_temp_files_add:
 * @file: a temporary file made elsewhere (e.g. by g_file_new_tmp() with a name from
 *   ladle_temp_file_dup_template())
 *
 * Registers @file, to be deleted at shutdown if still there. Once the application is shutting
 * down, @file is deleted at once. Safe in any thread.
 */
void
ladle_temp_files_add (GFile *file)
{
  g_autofree char *path = NULL;
  gboolean late;

  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  if (path == NULL)
    return;

  g_mutex_lock (&registry_lock);
  late = closed;
  if (!late)
    add_locked (g_strdup (path));
  g_mutex_unlock (&registry_lock);

  if (late)
    g_unlink (path);
}

/**
 * ladle_temp_files_forget:
 * @file: a registered file that is no longer temporary (renamed to its final name)
 *
 * Unregisters @file without deleting it. Safe in any thread.
 */
void
ladle_temp_files_forget (GFile *file)
{
  g_autofree char *path = NULL;

  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  if (path != NULL)
    forget (path);
}

/**
 * ladle_temp_file_delete:
 * @file: a registered temporary file
 *
 * Deletes @file now (a single unlink(), whatever its size) and forgets it. Safe in any thread.
 */
void
ladle_temp_file_delete (GFile *file)
{
  g_autofree char *path = NULL;

  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  if (path == NULL)
    return;
  if (g_unlink (path) != 0 && errno != ENOENT)
    g_debug ("Could not delete %s: %s", path, g_strerror (errno));
  forget (path);
}

static void
delete_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ladle_temp_file_delete (G_FILE (task_data));
  g_task_return_boolean (task, TRUE);
}

/**
 * ladle_temp_file_delete_async:
 * @file: a registered temporary file
 *
 * As ladle_temp_file_delete(), in a worker thread: the file stays registered until it is gone, so
 * a shutdown meanwhile still deletes it.
 */
void
ladle_temp_file_delete_async (GFile *file)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_source_tag (task, ladle_temp_file_delete_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, delete_thread);
}

/* Removes from @dir the files this process made: those the registry lost track of */
static guint
delete_own_in (const char *dir)
{
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  const char *name;
  guint removed = 0;
  guint own = (guint) getpid ();

  if (folder == NULL)
    return 0;

  while ((name = g_dir_read_name (folder)) != NULL)
    {
      g_autofree char *path = NULL;
      gboolean legacy = FALSE;
      guint pid = 0;
      GStatBuf st;

      if (!ladle_temp_file_parse_name (name, &pid, &legacy) || legacy || pid != own)
        continue;
      path = g_build_filename (dir, name, NULL);
      if (g_lstat (path, &st) == 0 && S_ISREG (st.st_mode) && st.st_uid == getuid () &&
          g_unlink (path) == 0)
        removed++;
    }
  return removed;
}

/**
 * ladle_temp_files_delete_all:
 *
 * Deletes every registered file, and any file of this process's in the temporary folder, then
 * forgets them. For the end of the application (ladle_temp_files_install() calls it at shutdown).
 *
 * Returns: how many files were deleted
 */
guint
ladle_temp_files_delete_all (void)
{
  g_autoptr(GHashTable) files = NULL;
  GHashTableIter iter;
  const char *path;
  guint removed = 0;

  g_mutex_lock (&registry_lock);
  files = g_steal_pointer (&registry);
  prune_at = PRUNE_ABOVE;
  g_mutex_unlock (&registry_lock);

  if (files != NULL)
    {
      g_hash_table_iter_init (&iter, files);
      while (g_hash_table_iter_next (&iter, (gpointer *) &path, NULL))
        if (g_unlink (path) == 0)
          removed++;
    }

  return removed + delete_own_in (g_get_tmp_dir ());
}

/* ------------------------------------------------------------------------------------------------
 * The sweep
 */

/* When process @pid started, in seconds since the epoch, from /proc; -1 when unknown */
static gint64
process_start_time (guint pid)
{
  g_autofree char *stat_path = g_strdup_printf ("/proc/%u/stat", pid);
  g_autofree char *stat = NULL;
  g_autofree char *boot = NULL;
  g_auto(GStrv) fields = NULL;
  const char *btime;
  const char *end;
  long ticks = sysconf (_SC_CLK_TCK);
  guint64 start_ticks;
  gint64 boot_time;

  if (ticks <= 0 || !g_file_get_contents (stat_path, &stat, NULL, NULL) ||
      !g_file_get_contents ("/proc/stat", &boot, NULL, NULL))
    return -1;

  /* "PID (COMM) STATE PPID …": COMM may hold anything, the last ')' ends it; the start time is
   * field 22, the 20th after COMM */
  end = strrchr (stat, ')');
  if (end == NULL || end[1] != ' ')
    return -1;
  fields = g_strsplit (end + 2, " ", 21);
  if (g_strv_length (fields) < 21)
    return -1;
  start_ticks = g_ascii_strtoull (fields[19], NULL, 10);

  btime = strstr (boot, "\nbtime ");
  if (btime == NULL)
    return -1;
  boot_time = g_ascii_strtoll (btime + strlen ("\nbtime "), NULL, 10);
  if (boot_time <= 0)
    return -1;

  return boot_time + (gint64) (start_ticks / (guint64) ticks);
}

/* Whether the process that wrote a file last modified at @mtime may still be running */
static gboolean
owner_may_run (guint  pid,
               gint64 mtime)
{
  gint64 start;

  if (pid == (guint) getpid ())
    return TRUE;
  if (kill ((pid_t) pid, 0) != 0 && errno == ESRCH)
    return FALSE;

  /* Alive, or not ours to signal: the same process, unless it started after the last write */
  start = process_start_time (pid);
  return start < 0 || start <= mtime + REUSED_PID_SLACK_S;
}

/**
 * ladle_temp_files_sweep:
 * @dir: (nullable): a folder, %NULL for the temporary folder
 * @cancellable: (nullable): a #GCancellable
 *
 * Removes the temporary files that runs of Ladle which were killed left in @dir: regular files
 * of the user's, named as ladle_temp_file_parse_name() reads, whose process is gone (or a
 * process that started after the file was last written); legacy names once a day old. Files of
 * running processes, this one included, stay. Blocking: for a worker thread.
 *
 * Returns: how many files were removed
 */
guint
ladle_temp_files_sweep (const char   *dir,
                        GCancellable *cancellable)
{
  g_autoptr(GDir) folder = NULL;
  const char *name;
  guint removed = 0;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (dir == NULL)
    dir = g_get_tmp_dir ();
  folder = g_dir_open (dir, 0, NULL);
  if (folder == NULL)
    return 0;

  while ((name = g_dir_read_name (folder)) != NULL &&
         !g_cancellable_is_cancelled (cancellable))
    {
      g_autofree char *path = NULL;
      gboolean legacy = FALSE;
      guint pid = 0;
      GStatBuf st;

      if (!ladle_temp_file_parse_name (name, &pid, &legacy))
        continue;

      path = g_build_filename (dir, name, NULL);
      if (g_lstat (path, &st) != 0 || !S_ISREG (st.st_mode) || st.st_uid != getuid ())
        continue;
      if (legacy ? now - (gint64) st.st_mtime < LEGACY_AGE_S
                 : owner_may_run (pid, (gint64) st.st_mtime))
        continue;

      if (g_unlink (path) == 0)
        removed++;
    }

  return removed;
}

static void
sweep_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  guint removed = ladle_temp_files_sweep (task_data, cancellable);

  if (removed > 0)
    g_debug ("Removed %u temporary files left by earlier runs", removed);
  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_return_int (task, removed);
}

/**
 * ladle_temp_files_sweep_async:
 * @dir: (nullable): a folder, %NULL for the temporary folder
 *
 * ladle_temp_files_sweep() in a worker thread.
 */
void
ladle_temp_files_sweep_async (const char          *dir,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ladle_temp_files_sweep_async);
  g_task_set_task_data (task, g_strdup (dir != NULL ? dir : g_get_tmp_dir ()), g_free);
  g_task_run_in_thread (task, sweep_thread);
}

gboolean
ladle_temp_files_sweep_finish (GAsyncResult  *result,
                               guint         *out_removed,
                               GError       **error)
{
  gssize removed;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  removed = g_task_propagate_int (G_TASK (result), error);
  if (out_removed != NULL)
    *out_removed = removed > 0 ? (guint) removed : 0;
  return removed >= 0;
}

/* ------------------------------------------------------------------------------------------------
 * The application
 */

static const int quit_signals[] = { SIGTERM, SIGINT, SIGHUP };
static guint     signal_sources[G_N_ELEMENTS (quit_signals)];
static guint     signals_seen;

static gboolean
quit_on_signal (gpointer data)
{
  /* A second signal while quitting: the user insists */
  if (signals_seen++ > 0)
    {
      ladle_temp_files_delete_all ();
      _exit (1);
    }
  g_application_quit (G_APPLICATION (data));
  return G_SOURCE_CONTINUE;
}

static void
on_shutdown (GApplication *app)
{
  for (guint i = 0; i < G_N_ELEMENTS (signal_sources); i++)
    g_clear_handle_id (&signal_sources[i], g_source_remove);
  g_signal_handlers_disconnect_by_func (app, on_shutdown, NULL);

  g_mutex_lock (&registry_lock);
  closed = TRUE;
  g_mutex_unlock (&registry_lock);
  ladle_temp_files_delete_all ();
}

/**
 * ladle_temp_files_install:
 * @app: the application, in its startup
 *
 * Ties the temporary files to @app's life: SIGTERM, SIGINT and SIGHUP quit it (instead of killing
 * the process), its shutdown deletes every temporary file left, and the files that runs killed
 * before left in the temporary folder are swept in a worker thread.
 */
void
ladle_temp_files_install (GApplication *app)
{
  g_return_if_fail (G_IS_APPLICATION (app));

  g_mutex_lock (&registry_lock);
  closed = FALSE;
  g_mutex_unlock (&registry_lock);

  signals_seen = 0;
  for (guint i = 0; i < G_N_ELEMENTS (quit_signals); i++)
    if (signal_sources[i] == 0)
      signal_sources[i] = g_unix_signal_add (quit_signals[i], quit_on_signal, app);
  g_signal_connect (app, "shutdown", G_CALLBACK (on_shutdown), NULL);

  ladle_temp_files_sweep_async (NULL, NULL, NULL, NULL);
}
