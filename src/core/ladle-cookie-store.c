/* ladle-cookie-store.c
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
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ladle-cookie-file.h"
#include "ladle-cookie-store.h"
#include "ladle-error.h"

/* LadleCookieStore: a SoupCookieJar kept in a cookie file (curl's Netscape format, through
 * ladle-cookie-file) between runs — one per workspace folder, and one for the window session
 * with no workspace. The files live in Ladle's data folder, never in the workspace: cookies are
 * secrets, and workspaces go into version control.
 *
 * Threads. The jar lives on the owner's thread. The file is read, parsed, set aside and written
 * in worker threads (or in the owner's by the blocking calls meant for quitting and for the
 * command line), always with the store's lock held, so two of them never overlap. Writes are
 * numbered when asked for; one whose number is not above the last written has been overtaken
 * (by a flush) and writes nothing.
 *
 * Loading adds the file's cookies to the jar, except those the jar already holds by then (a
 * response that came in first is newer). No save happens before the load: it would replace the
 * file's cookies with none.
 *
 * A file that does not read whole (a line skipped, not a regular file, unreadable, too large) is
 * renamed NAME.corrupt-STAMP, never replaced, and the store says so ("problem"); the cookies that
 * did read are loaded. Should the rename fail, the file is not written over either. Writing is
 * ladle_cookie_file_write(): a 0600 temporary file, flushed, renamed over the old one, so a full
 * disk leaves the old file as it was. */

#define FOLDER_MODE         0700
#define MAX_SET_ASIDE_NAMES 1000

typedef enum
{
  FILE_UNKNOWN,  /* not read yet */
  FILE_CHECKED,  /* missing, read whole, set aside or written: a write may replace it */
  FILE_DAMAGED,  /* did not read whole and could not be set aside: never written over */
} FileState;

struct _LadleCookieStore
{
  GObject        parent_instance;

  char          *path;
  char          *folder;
  SoupCookieJar *jar;

  GMutex         lock;        /* the file, and the two fields below */
  FileState      state;
  guint64        done;        /* the number of the newest write on disk */

  /* Owner thread */
  guint64        serial;      /* the last write number handed out */
  guint          save_delay;
  guint          save_id;
  gboolean       loading;
  gboolean       loaded;
  gboolean       applying;    /* adding the file's cookies: not a change to save */
  gboolean       dirty;       /* changed since the last snapshot */
  gboolean       writing;     /* a worker is writing */
  char          *problem;     /* the last one told, for who looks later */
  gboolean       save_failed; /* it is a failed save's (a good save clears it) */
};

G_DEFINE_FINAL_TYPE (LadleCookieStore, ladle_cookie_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADED,
  PROP_PROBLEM,
  N_PROPS
};

enum {
  PROBLEM,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static GHashTable *shared_stores; /* path -> LadleCookieStore (weak), owner thread */

static void schedule_save (LadleCookieStore *self);

/* Keeps @message (NULL: none) as the problem, tells it when there is one. */
static void
set_problem (LadleCookieStore *self,
             const char       *message,
             gboolean          save_failed)
{
  if (g_strcmp0 (self->problem, message) != 0)
    {
      g_free (self->problem);
      self->problem = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
    }
  self->save_failed = save_failed;
  if (message != NULL)
    g_signal_emit (self, signals[PROBLEM], 0, message);
}

/* --- Paths ----------------------------------------------------------------------------------- */

/**
 * ladle_cookie_store_dup_workspace_path:
 * @data_dir: Ladle's data folder
 * @folder: a workspace's folder
 *
 * Returns: (transfer full) (type filename): where the jar of @folder is kept:
 *   DATA/cookies/workspaces/NAME-HASH.txt, NAME the folder's name (letters, digits, `.-_` kept)
 *   and HASH 16 hexadecimal digits of the SHA-256 of its real path, so a folder reached through a
 *   link has the same jar
 */
char *
ladle_cookie_store_dup_workspace_path (const char *data_dir,
                                       const char *folder)
{
  g_autofree char *real = NULL;
  g_autofree char *base = NULL;
  g_autofree char *sum = NULL;
  g_autofree char *name = NULL;
  GString *safe;

  g_return_val_if_fail (data_dir != NULL, NULL);
  g_return_val_if_fail (folder != NULL && folder[0] != '\0', NULL);

  real = realpath (folder, NULL);
  if (real == NULL)
    real = g_canonicalize_filename (folder, NULL);
  sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, real, -1);
  base = g_path_get_basename (real);

  safe = g_string_new (NULL);
  for (const char *p = base; *p != '\0' && safe->len < 40; p++)
    g_string_append_c (safe, g_ascii_isalnum (*p) || *p == '-' || *p == '_' ||
                             (*p == '.' && safe->len > 0) ? *p : '_');
  name = g_strdup_printf ("%s-%.16s.txt", safe->str, sum);
  g_string_free (safe, TRUE);
  return g_build_filename (data_dir, "cookies", "workspaces", name, NULL);
}

/**
 * ladle_cookie_store_dup_session_path:
 * @data_dir: Ladle's data folder
 *
 * Returns: (transfer full) (type filename): where the jar of requests sent with no workspace open
 *   is kept: DATA/cookies/session.txt, beside the saved tabs
 */
char *
ladle_cookie_store_dup_session_path (const char *data_dir)
{
  g_return_val_if_fail (data_dir != NULL, NULL);

  return g_build_filename (data_dir, "cookies", "session.txt", NULL);
}

/* --- The file (lock held) -------------------------------------------------------------------- */

/* Renames the file to PATH.corrupt-STAMP, a name not taken. */
static gboolean
set_aside_locked (LadleCookieStore  *self,
                  char             **out_aside,
                  GError           **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%S");
  int saved_errno = EEXIST;

  for (guint i = 0; i < MAX_SET_ASIDE_NAMES; i++)
    {
      g_autofree char *aside = i == 0 ? g_strdup_printf ("%s.corrupt-%s", self->path, stamp)
                                      : g_strdup_printf ("%s.corrupt-%s-%u", self->path, stamp, i);

      saved_errno = 0;
      if (renameat2 (AT_FDCWD, self->path, AT_FDCWD, aside, RENAME_NOREPLACE) != 0)
        saved_errno = errno;
      if (saved_errno == EINVAL || saved_errno == ENOSYS)
        {
          /* A file system that cannot refuse to replace: look first. */
          GStatBuf st;

          if (g_lstat (aside, &st) == 0)
            {
              saved_errno = EEXIST;
              continue;
            }
          saved_errno = g_rename (self->path, aside) == 0 ? 0 : errno;
        }
      if (saved_errno == 0 || saved_errno == ENOENT)
        {
          self->state = FILE_CHECKED;
          if (saved_errno == 0 && out_aside != NULL)
            *out_aside = g_steal_pointer (&aside);
          return TRUE;
        }
      if (saved_errno != EEXIST)
        break;
    }

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s",
               g_strerror (saved_errno));
  return FALSE;
}

/* Reads the file: its cookies (none when it is missing or unreadable), and a problem to tell
 * when it did not read whole (it is then set aside, or marked damaged). */
static GPtrArray *
read_locked (LadleCookieStore  *self,
             char             **out_problem)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) aside_error = NULL;
  g_autoptr(GPtrArray) cookies = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *reason = NULL;
  GStatBuf st;
  gsize length = 0;

  *out_problem = NULL;

  if (g_stat (self->path, &st) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == ENOENT)
        {
          self->state = FILE_CHECKED;
          return g_ptr_array_new_with_free_func ((GDestroyNotify) soup_cookie_free);
        }
      reason = g_strdup (g_strerror (saved_errno));
    }
  else if (!S_ISREG (st.st_mode))
    reason = g_strdup (_("not a regular file"));
  else if ((guint64) st.st_size > LADLE_COOKIE_FILE_MAX_SIZE)
    reason = g_strdup_printf (_("larger than %u MiB"),
                              (guint) (LADLE_COOKIE_FILE_MAX_SIZE / (1024 * 1024)));
  else if (!g_file_get_contents (self->path, &contents, &length, &error))
    reason = g_strdup (error->message);
  else if (length > LADLE_COOKIE_FILE_MAX_SIZE)
    reason = g_strdup_printf (_("larger than %u MiB"),
                              (guint) (LADLE_COOKIE_FILE_MAX_SIZE / (1024 * 1024)));

  if (reason == NULL)
    {
      cookies = ladle_cookie_file_parse (contents, length, self->path, &warnings);
      if (warnings->len == 0)
        {
          self->state = FILE_CHECKED;
          return g_steal_pointer (&cookies);
        }
    }
  else
    cookies = g_ptr_array_new_with_free_func ((GDestroyNotify) soup_cookie_free);

  if (!set_aside_locked (self, &aside, &aside_error))
    {
      self->state = FILE_DAMAGED;
      if (reason != NULL)
        *out_problem = g_strdup_printf (_("Could not read the cookie jar %s: %s. It could not be "
                                          "set aside either (%s), so it is not saved over: move "
                                          "it away"),
                                        self->path, reason, aside_error->message);
      else
        *out_problem = g_strdup_printf (_("The cookie jar has lines that do not read (%s). It "
                                          "could not be set aside (%s), so it is not saved over: "
                                          "move it away"),
                                        (const char *) g_ptr_array_index (warnings, 0),
                                        aside_error->message);
    }
  else if (reason != NULL)
    *out_problem = g_strdup_printf (_("Could not read the cookie jar %s: %s. It was kept as %s; "
                                      "the jar starts empty"),
                                    self->path, reason, aside);
  else
    *out_problem = g_strdup_printf (ngettext ("The cookie jar has lines that do not read (%s). "
                                              "It was kept as %s; its %u other cookie was loaded",
                                              "The cookie jar has lines that do not read (%s). "
                                              "It was kept as %s; its %u other cookies were loaded",
                                              cookies->len),
                                    (const char *) g_ptr_array_index (warnings, 0), aside,
                                    cookies->len);
  return g_steal_pointer (&cookies);
}

/* Writes @cookies as write number @serial, unless a newer write is on disk. */
static gboolean
write_locked (LadleCookieStore  *self,
              GSList            *cookies,
              guint64            serial,
              GError           **error)
{
  g_autofree char *text = NULL;

  if (serial <= self->done)
    return TRUE;

  if (self->state == FILE_DAMAGED)
    {
      g_autoptr(GError) aside_error = NULL;

      if (!set_aside_locked (self, NULL, &aside_error))
        {
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_NOT_WRITABLE,
                       _("Could not save the cookie jar %s: the file there did not read and "
                         "could not be set aside (%s)"), self->path, aside_error->message);
          return FALSE;
        }
    }

  if (cookies == NULL && !g_file_test (self->path, G_FILE_TEST_EXISTS))
    {
      /* Nothing to keep, and nothing to empty. */
      self->done = serial;
      return TRUE;
    }

  if (g_mkdir_with_parents (self->folder, FOLDER_MODE) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not save the cookie jar %s: %s"), self->path, g_strerror (saved_errno));
      return FALSE;
    }

  text = ladle_cookie_file_format (cookies);
  if (!ladle_cookie_file_write (self->path, text, strlen (text), error))
    return FALSE;

  self->state = FILE_CHECKED;
  self->done = serial;
  return TRUE;
}

/* --- Loading --------------------------------------------------------------------------------- */

typedef struct
{
  GPtrArray *cookies;
  char      *problem;
} LoadResult;

static void
load_result_free (LoadResult *result)
{
  g_clear_pointer (&result->cookies, g_ptr_array_unref);
  g_free (result->problem);
  g_free (result);
}

static char *
cookie_key (SoupCookie *cookie)
{
  return g_strdup_printf ("%s\n%s\n%s", soup_cookie_get_domain (cookie),
                          soup_cookie_get_path (cookie), soup_cookie_get_name (cookie));
}

/* Adds what was read to the jar, but not over a cookie set meanwhile; the store is loaded. */
static void
apply_loaded (LadleCookieStore *self,
              LoadResult       *result)
{
  g_autoptr(GHashTable) present = NULL;
  GSList *all;

  if (self->loaded)
    return;

  all = soup_cookie_jar_all_cookies (self->jar);
  if (all != NULL)
    {
      present = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (GSList *l = all; l != NULL; l = l->next)
        g_hash_table_add (present, cookie_key (l->data));
      g_slist_free_full (all, (GDestroyNotify) soup_cookie_free);
    }

  self->applying = TRUE;
  for (guint i = 0; i < result->cookies->len; i++)
    {
      SoupCookie *cookie = g_ptr_array_index (result->cookies, i);

      if (present != NULL)
        {
          g_autofree char *key = cookie_key (cookie);

          if (g_hash_table_contains (present, key))
            continue;
        }
      soup_cookie_jar_add_cookie (self->jar, soup_cookie_copy (cookie));
    }
  self->applying = FALSE;

  self->loaded = TRUE;
  self->loading = FALSE;
  if (result->problem != NULL)
    {
      /* The good cookies go to a new file at once: the old one is kept aside */
      self->dirty = TRUE;
      set_problem (self, result->problem, FALSE);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
  if (self->dirty)
    schedule_save (self);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LadleCookieStore *self = source_object;
  LoadResult *result = g_new0 (LoadResult, 1);

  g_mutex_lock (&self->lock);
  result->cookies = read_locked (self, &result->problem);
  g_mutex_unlock (&self->lock);
  g_task_return_pointer (task, result, (GDestroyNotify) load_result_free);
}

static void
load_done_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  LadleCookieStore *self = LADLE_COOKIE_STORE (source);
  LoadResult *result = g_task_propagate_pointer (G_TASK (res), NULL);

  if (result != NULL)
    {
      apply_loaded (self, result);
      load_result_free (result);
    }
}

/**
 * ladle_cookie_store_load_async:
 *
 * Reads the file and adds its cookies to the jar (#LadleCookieStore:loaded turns %TRUE); a file
 * that does not read whole is set aside and #LadleCookieStore::problem tells so. A file of at
 * most %LADLE_COOKIE_STORE_SYNC_LOAD_MAX bytes is read at once, blocking (a request sent right
 * after finds its cookies), a larger one in a worker thread. Does nothing when the store is
 * loaded or loading.
 */
void
ladle_cookie_store_load_async (LadleCookieStore *self)
{
  g_autoptr(GTask) task = NULL;
  GStatBuf st;

  g_return_if_fail (LADLE_IS_COOKIE_STORE (self));

  if (self->loaded || self->loading)
    return;
  if (g_stat (self->path, &st) != 0 ||
      (S_ISREG (st.st_mode) && st.st_size <= LADLE_COOKIE_STORE_SYNC_LOAD_MAX))
    {
      ladle_cookie_store_load (self, NULL, NULL);
      return;
    }
  self->loading = TRUE;
  task = g_task_new (self, NULL, load_done_cb, NULL);
  g_task_set_source_tag (task, ladle_cookie_store_load_async);
  g_task_run_in_thread (task, load_thread);
}

/**
 * ladle_cookie_store_load:
 * @out_problem: (out) (optional): set when the file did not read whole (it was then set aside,
 *   or is marked not to be written over), worded for the user
 *
 * Reads the file now, blocking (for the command line, and before a flush of a store still
 * loading). Does nothing when the store is loaded.
 *
 * Returns: %TRUE (the problems are not errors: the cookies that read are in the jar)
 */
gboolean
ladle_cookie_store_load (LadleCookieStore  *self,
                         char             **out_problem,
                         GError           **error)
{
  LoadResult result = { NULL, NULL };

  g_return_val_if_fail (LADLE_IS_COOKIE_STORE (self), FALSE);

  if (out_problem != NULL)
    *out_problem = NULL;
  if (self->loaded)
    return TRUE;

  g_mutex_lock (&self->lock);
  result.cookies = read_locked (self, &result.problem);
  g_mutex_unlock (&self->lock);

  if (out_problem != NULL)
    *out_problem = g_strdup (result.problem);
  self->loading = TRUE;
  apply_loaded (self, &result);
  g_ptr_array_unref (result.cookies);
  g_free (result.problem);
  return TRUE;
}

/* --- Saving ---------------------------------------------------------------------------------- */

typedef struct
{
  GSList  *cookies;
  guint64  serial;
} SaveJob;

static void
save_job_free (SaveJob *job)
{
  g_slist_free_full (job->cookies, (GDestroyNotify) soup_cookie_free);
  g_free (job);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LadleCookieStore *self = source_object;
  SaveJob *job = task_data;
  GError *error = NULL;
  gboolean ok;

  g_mutex_lock (&self->lock);
  ok = write_locked (self, job->cookies, job->serial, &error);
  g_mutex_unlock (&self->lock);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
save_done_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  LadleCookieStore *self = LADLE_COOKIE_STORE (source);
  g_autoptr(GError) error = NULL;

  self->writing = FALSE;
  if (!g_task_propagate_boolean (G_TASK (res), &error))
    {
      /* Still to be written: the next change, or the flush at quit, tries again */
      self->dirty = TRUE;
      set_problem (self, error->message, TRUE);
    }
  else
    {
      if (self->save_failed)
        set_problem (self, NULL, FALSE);
      if (self->dirty)
        schedule_save (self);
    }
}

static gboolean
save_timeout_cb (gpointer data)
{
  LadleCookieStore *self = data;
  g_autoptr(GTask) task = NULL;
  SaveJob *job;

  self->save_id = 0;
  if (self->writing)
    return G_SOURCE_REMOVE; /* the write's end schedules the next */

  job = g_new0 (SaveJob, 1);
  job->cookies = soup_cookie_jar_all_cookies (self->jar);
  job->serial = ++self->serial;
  self->dirty = FALSE;
  self->writing = TRUE;

  task = g_task_new (self, NULL, save_done_cb, NULL);
  g_task_set_source_tag (task, save_timeout_cb);
  g_task_set_task_data (task, job, (GDestroyNotify) save_job_free);
  g_task_run_in_thread (task, save_thread);
  return G_SOURCE_REMOVE;
}

static void
schedule_save (LadleCookieStore *self)
{
  if (!self->loaded || self->save_id != 0 || self->writing)
    return;
  self->save_id = g_timeout_add (self->save_delay, save_timeout_cb, self);
}

static void
jar_changed_cb (SoupCookieJar    *jar,
                SoupCookie       *old_cookie,
                SoupCookie       *new_cookie,
                LadleCookieStore *self)
{
  if (self->applying)
    return;
  self->dirty = TRUE;
  schedule_save (self);
}

/**
 * ladle_cookie_store_flush:
 *
 * Writes the jar now, blocking, if it changed since the last write was asked for (for quitting;
 * a write still going on in a worker is waited for, or overtaken). A store not loaded yet is
 * loaded first, so its file's cookies are kept.
 *
 * Returns: whether the file holds the jar's cookies
 */
gboolean
ladle_cookie_store_flush (LadleCookieStore  *self,
                          GError           **error)
{
  GSList *cookies;
  gboolean ok;
  guint64 serial;

  g_return_val_if_fail (LADLE_IS_COOKIE_STORE (self), FALSE);

  g_clear_handle_id (&self->save_id, g_source_remove);
  if (!self->loaded)
    {
      if (!self->dirty)
        return TRUE;
      ladle_cookie_store_load (self, NULL, NULL);
      g_clear_handle_id (&self->save_id, g_source_remove);
    }
  if (!self->dirty)
    return TRUE;

  cookies = soup_cookie_jar_all_cookies (self->jar);
  serial = ++self->serial;
  self->dirty = FALSE;
  g_mutex_lock (&self->lock);
  ok = write_locked (self, cookies, serial, error);
  g_mutex_unlock (&self->lock);
  g_slist_free_full (cookies, (GDestroyNotify) soup_cookie_free);
  if (!ok)
    self->dirty = TRUE;
  else if (self->save_failed)
    set_problem (self, NULL, FALSE);
  return ok;
}

/**
 * ladle_cookie_store_get_saving:
 *
 * Returns: whether a change is still to be written (a write waits or runs)
 */
gboolean
ladle_cookie_store_get_saving (LadleCookieStore *self)
{
  g_return_val_if_fail (LADLE_IS_COOKIE_STORE (self), FALSE);

  return self->writing || self->save_id != 0 || (self->loaded && self->dirty);
}

/* --- The object ------------------------------------------------------------------------------ */

static void
ladle_cookie_store_dispose (GObject *object)
{
  LadleCookieStore *self = LADLE_COOKIE_STORE (object);

  if (self->jar != NULL)
    {
      g_autoptr(GError) error = NULL;

      /* Each worker holds the store: none runs now. (A failure was told when the write was
       * asked for; this is a last try.) */
      if (self->dirty && !ladle_cookie_store_flush (self, &error))
        g_message ("%s", error->message);
      g_signal_handlers_disconnect_by_data (self->jar, self);
    }
  g_clear_handle_id (&self->save_id, g_source_remove);
  g_clear_object (&self->jar);

  G_OBJECT_CLASS (ladle_cookie_store_parent_class)->dispose (object);
}

static void
ladle_cookie_store_finalize (GObject *object)
{
  LadleCookieStore *self = LADLE_COOKIE_STORE (object);

  g_free (self->path);
  g_free (self->folder);
  g_free (self->problem);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (ladle_cookie_store_parent_class)->finalize (object);
}

static void
ladle_cookie_store_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  LadleCookieStore *self = LADLE_COOKIE_STORE (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_cookie_store_class_init (LadleCookieStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ladle_cookie_store_dispose;
  object_class->finalize = ladle_cookie_store_finalize;
  object_class->get_property = ladle_cookie_store_get_property;

  /**
   * LadleCookieStore:loaded:
   *
   * Whether the file's cookies are in the jar (and changes are saved).
   */
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LadleCookieStore:problem:
   *
   * The last problem told by #LadleCookieStore::problem (%NULL for none): the file that did not
   * read whole (kept for the store's life), or a failed save (until a save succeeds).
   */
  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LadleCookieStore::problem:
   * @message: what went wrong, worded for the user
   *
   * The file did not read whole (and was set aside), or a save failed (the old file is intact).
   */
  signals[PROBLEM] = g_signal_new ("problem", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ladle_cookie_store_init (LadleCookieStore *self)
{
  g_mutex_init (&self->lock);
  self->state = FILE_UNKNOWN;
  self->save_delay = LADLE_COOKIE_STORE_SAVE_DELAY_MS;
}

/**
 * ladle_cookie_store_new:
 * @path: (type filename): the cookie file; its folder is made (0700) when first written
 *
 * Returns: (transfer full): a store with an empty jar; nothing is read until a load
 */
LadleCookieStore *
ladle_cookie_store_new (const char *path)
{
  LadleCookieStore *self;

  g_return_val_if_fail (path != NULL && g_path_is_absolute (path), NULL);

  self = g_object_new (LADLE_TYPE_COOKIE_STORE, NULL);
  self->path = g_strdup (path);
  self->folder = g_path_get_dirname (path);
  self->jar = soup_cookie_jar_new ();
  g_signal_connect (self->jar, "changed", G_CALLBACK (jar_changed_cb), self);
  return self;
}

static void
shared_store_gone (gpointer  data,
                   GObject  *where)
{
  g_hash_table_remove (shared_stores, data);
  g_free (data);
}

/**
 * ladle_cookie_store_dup_shared:
 * @path: (type filename): the cookie file
 *
 * The process's one store of @path (two windows on one workspace share its jar), made on first
 * use (then load it). Owner thread only: the main one.
 *
 * Returns: (transfer full): the store
 */
LadleCookieStore *
ladle_cookie_store_dup_shared (const char *path)
{
  LadleCookieStore *self;

  g_return_val_if_fail (path != NULL, NULL);

  if (shared_stores == NULL)
    shared_stores = g_hash_table_new (g_str_hash, g_str_equal);
  self = g_hash_table_lookup (shared_stores, path);
  if (self != NULL)
    return g_object_ref (self);

  self = ladle_cookie_store_new (path);
  g_hash_table_insert (shared_stores, self->path, self);
  g_object_weak_ref (G_OBJECT (self), shared_store_gone, g_strdup (path));
  return self;
}

const char *
ladle_cookie_store_get_path (LadleCookieStore *self)
{
  g_return_val_if_fail (LADLE_IS_COOKIE_STORE (self), NULL);

  return self->path;
}

/**
 * ladle_cookie_store_get_jar:
 *
 * Returns: (transfer none): the jar; its changes are saved once the store is loaded
 */
SoupCookieJar *
ladle_cookie_store_get_jar (LadleCookieStore *self)
{
  g_return_val_if_fail (LADLE_IS_COOKIE_STORE (self), NULL);

  return self->jar;
}

/**
 * ladle_cookie_store_get_problem:
 *
 * Returns: (nullable): the last problem told, worded for the user (see #LadleCookieStore:problem)
 */
const char *
ladle_cookie_store_get_problem (LadleCookieStore *self)
{
  g_return_val_if_fail (LADLE_IS_COOKIE_STORE (self), NULL);

  return self->problem;
}

gboolean
ladle_cookie_store_get_loaded (LadleCookieStore *self)
{
  g_return_val_if_fail (LADLE_IS_COOKIE_STORE (self), FALSE);

  return self->loaded;
}

/**
 * ladle_cookie_store_set_save_delay:
 * @delay_ms: how long after a change the jar is written
 */
void
ladle_cookie_store_set_save_delay (LadleCookieStore *self,
                                   guint             delay_ms)
{
  g_return_if_fail (LADLE_IS_COOKIE_STORE (self));

  self->save_delay = delay_ms;
}
