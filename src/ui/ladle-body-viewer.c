/* ladle-body-viewer.c
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
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ladle-body-viewer.h"

#include "ladle-error.h"
#include "ladle-json-indenter.h"
#include "ladle-line-index.h"
#include "ladle-line-model.h"
#include "ladle-temp-files.h"

/* A body of any size, from a file, in a GtkListView: only the rows on screen are widgets, and
 * they read their text through a LadleLineIndex (sparse: 16 bytes per 128 lines) in blocks.
 * Nothing of the body is held in memory.
 *
 * Pretty JSON is written by a worker thread to a temporary file next to the body while the same
 * thread indexes what it writes (ladle_line_index_append()): the first screen shows as soon as
 * the first 64 KiB are formatted, and the rest arrives in the list every TICK_MS. The raw index
 * is built on demand, published block by block in the same way. Hex rows need no index.
 *
 * Both copies (the bytes written out, the pretty copy) are Ladle's temporary files
 * (ladle-temp-files.h): named with the process's number, deleted when the body goes, and at the
 * application's shutdown at the latest. When a body goes, the memory that showing it took (the
 * response read into memory, the formatter's buffers) is given back to the system. */

#define TICK_MS        100
#define CHUNK_SIZE     (64 * 1024)
#define INDENT         2
#define COPY_LIMIT     (64 * 1024 * 1024)
#define HEX_COPY_ROWS  65536

/* ------------------------------------------------------------------------------------------------
 * Pretty-printing job, shared by the worker and the viewer
 */

typedef struct
{
  GFile          *source;
  char           *dir;          /* where the pretty copy goes */

  GMutex          lock;
  GFile          *pretty;       /* set by the worker once created */
  LadleLineIndex *index;
  guint64         done;         /* source bytes read */
  guint64         total;
  gboolean        finished;     /* the worker let go of the copy */
  gboolean        dropped;      /* the viewer let go of the copy */
} PrettyJob;

static void
pretty_job_clear (PrettyJob *job)
{
  g_clear_object (&job->source);
  g_clear_object (&job->pretty);
  g_clear_object (&job->index);
  g_clear_pointer (&job->dir, g_free);
  g_mutex_clear (&job->lock);
}

static PrettyJob *
pretty_job_ref (PrettyJob *job)
{
  return g_atomic_rc_box_acquire (job);
}

static void
pretty_job_unref (PrettyJob *job)
{
  g_atomic_rc_box_release_full (job, (GDestroyNotify) pretty_job_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PrettyJob, pretty_job_unref)

/* Whoever of the worker and the viewer lets go last deletes the copy. */
static void
pretty_job_let_go (PrettyJob *job,
                   gboolean   worker)
{
  g_autoptr(GFile) pretty = NULL;
  gboolean last;

  g_mutex_lock (&job->lock);
  if (worker)
    job->finished = TRUE;
  else
    job->dropped = TRUE;
  last = job->finished && job->dropped;
  if (last && job->pretty != NULL)
    pretty = g_object_ref (job->pretty);
  g_mutex_unlock (&job->lock);

  if (pretty != NULL)
    ladle_temp_file_delete (pretty);
}

/* glibc keeps freed memory for reuse: the buffers of a large body (tens of MB, some freed by
 * worker threads into arenas of their own) would stay in the process after the body is gone.
 * Once such a body is dropped or formatted, malloc_trim() gives the free pages back, from an
 * idle callback, once for any number of viewers. */
static guint trim_id;

static gboolean
trim_cb (gpointer data)
{
#ifdef __GLIBC__
  malloc_trim (0);
#endif
  trim_id = 0;
  return G_SOURCE_REMOVE;
}

static void
trim_memory_soon (void)
{
  if (trim_id == 0)
    trim_id = g_timeout_add_full (G_PRIORITY_LOW, 500, trim_cb, NULL, NULL);
}

static void
pretty_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  PrettyJob *job = task_data;
  g_autoptr(LadleJsonIndenter) indenter = ladle_json_indenter_new (INDENT);
  g_autoptr(GString) text = g_string_sized_new (CHUNK_SIZE * 4);
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(LadleLineIndex) index = NULL;
  g_autoptr(GFile) pretty = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *buffer = NULL;
  guint64 done = 0;

  in = g_file_read (job->source, cancellable, &error);
  if (in == NULL)
    goto out;
  info = g_file_input_stream_query_info (in, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, NULL);

  /* Next to the body (hidden) if its folder is writable, else in the temporary folder */
  pretty = ladle_temp_file_create (job->dir, TRUE, "pretty", ".json", NULL, NULL);
  if (pretty == NULL)
    pretty = ladle_temp_file_create (NULL, FALSE, "pretty", ".json", NULL, &error);
  if (pretty == NULL)
    goto out;
  index = ladle_line_index_new (pretty, LADLE_BODY_VIEWER_MAX_LINE);

  g_mutex_lock (&job->lock);
  job->pretty = g_object_ref (pretty);
  job->total = info != NULL ? (guint64) g_file_info_get_size (info) : 0;
  g_mutex_unlock (&job->lock);

  out = g_file_append_to (pretty, G_FILE_CREATE_NONE, cancellable, &error);
  if (out == NULL || !ladle_line_index_begin_append (index, &error))
    goto out;

  g_mutex_lock (&job->lock);
  job->index = g_object_ref (index);
  g_mutex_unlock (&job->lock);

  buffer = g_malloc (CHUNK_SIZE);
  for (;;)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (in), buffer, CHUNK_SIZE, cancellable,
                                      &error);

      if (n < 0)
        goto out;
      if (n == 0)
        break;
      if (!ladle_json_indenter_feed (indenter, buffer, (gsize) n, text, &error) ||
          !g_output_stream_write_all (G_OUTPUT_STREAM (out), text->str, text->len, NULL,
                                      cancellable, &error))
        goto out;
      /* The copy is written through the page cache: another descriptor reads it at once */
      ladle_line_index_append (index, text->str, text->len);
      g_string_truncate (text, 0);

      done += (guint64) n;
      g_mutex_lock (&job->lock);
      job->done = done;
      g_mutex_unlock (&job->lock);
    }

  if (!ladle_json_indenter_finish (indenter, text, &error) ||
      !g_output_stream_write_all (G_OUTPUT_STREAM (out), text->str, text->len, NULL,
                                  cancellable, &error) ||
      !g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, &error))
    goto out;
  ladle_line_index_append (index, text->str, text->len);
  ladle_line_index_end_append (index);

out:
  if (error != NULL)
    {
      /* A failed copy is of no use to anyone */
      if (pretty != NULL)
        ladle_temp_file_delete (pretty);
      pretty_job_let_go (job, TRUE);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    {
      pretty_job_let_go (job, TRUE);
      return;
    }
  pretty_job_let_go (job, TRUE);
  g_task_return_boolean (task, TRUE);
}

/* ------------------------------------------------------------------------------------------------
 * The viewer
 */

struct _LadleBodyViewer
{
  AdwBin               parent_instance;

  /* Template widgets */
  GtkMenuButton       *goto_button;
  GtkEntry            *goto_entry;
  GtkPopover          *goto_popover;
  GtkListView         *list_view;
  GtkLabel            *notice_label;
  GtkLabel            *progress_label;
  GtkSearchBar        *search_bar;
  GtkSearchEntry      *search_entry;
  GtkLabel            *search_label;

  /* Owned references */
  GFile               *file;           /* the body */
  GFile               *owned_file;     /* a temporary copy of bytes, deleted with the body */
  char                *content_type;
  GCancellable        *cancellable;    /* everything tied to the current body */
  GCancellable        *search_cancellable;
  GCancellable        *count_cancellable;
  PrettyJob           *pretty;
  LadleLineIndex      *raw_index;
  LadleLineIndex      *search_index;   /* hex: the body, not built, for find and count */
  LadleLineModel      *model;
  GtkMultiSelection   *selection;

  guint64              size;
  LadleBodyViewerMode  mode;
  gboolean             is_json;
  gboolean             size_known;
  gboolean             pretty_running;
  gboolean             pretty_failed;
  gboolean             raw_building;
  gboolean             busy;
  char                *pretty_error;
  char                *notice;
  guint                tick_id;
  guint                digits;

  /* The search last started, and the current match */
  char                *searched_needle;
  LadleLineIndex      *searched_index;  /* unowned: only compared */
  gboolean             has_match;
  guint64              match_offset;
  guint                match_row;
  gsize                match_len;
};

G_DEFINE_FINAL_TYPE (LadleBodyViewer, ladle_body_viewer, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_BUSY,
  PROP_MODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void show_mode (LadleBodyViewer *self);
static void start_count (LadleBodyViewer *self);
static void search_from (LadleBodyViewer *self,
                         guint64          from,
                         gboolean         backwards);

static gboolean
is_json_type (const char *content_type)
{
  return content_type != NULL &&
         (g_str_has_prefix (content_type, "application/json") ||
          (g_str_has_prefix (content_type, "application/") &&
           strstr (content_type, "+json") != NULL));
}

static LadleBodyViewerMode
effective_mode (LadleBodyViewer *self)
{
  if (self->mode == LADLE_BODY_VIEWER_PRETTY && (!self->is_json || self->pretty_failed))
    return LADLE_BODY_VIEWER_RAW;
  return self->mode;
}

static void
set_notice (LadleBodyViewer *self,
            const char      *text)
{
  g_assert (LADLE_IS_BODY_VIEWER (self));

  g_free (self->notice);
  self->notice = g_strdup (text);
  gtk_label_set_text (self->notice_label, text != NULL ? text : "");
}

static gboolean
compute_busy (LadleBodyViewer *self)
{
  switch (effective_mode (self))
    {
    case LADLE_BODY_VIEWER_PRETTY:
      return self->pretty_running || !self->size_known;
    case LADLE_BODY_VIEWER_RAW:
      return self->raw_building || !self->size_known;
    case LADLE_BODY_VIEWER_HEX:
    default:
      return !self->size_known;
    }
}

static char *
format_percent (guint64 done,
                guint64 total)
{
  int percent = total > 0 ? (int) MIN (100, done * 100 / total) : 0;

  /* Translators: a progress note, e.g. "Formatting… 42 %" */
  return g_strdup_printf (_("Formatting… %d %%"), percent);
}

static void
update_progress (LadleBodyViewer *self)
{
  g_autofree char *text = NULL;
  LadleBodyViewerMode mode = effective_mode (self);

  g_assert (LADLE_IS_BODY_VIEWER (self));

  if (mode == LADLE_BODY_VIEWER_PRETTY && self->pretty_running && self->pretty != NULL)
    {
      guint64 done, total;

      g_mutex_lock (&self->pretty->lock);
      done = self->pretty->done;
      total = self->pretty->total;
      g_mutex_unlock (&self->pretty->lock);
      text = format_percent (done, total);
    }
  else if (mode == LADLE_BODY_VIEWER_RAW && self->raw_building && self->raw_index != NULL)
    {
      guint64 done = ladle_line_index_get_size (self->raw_index);
      int percent = self->size > 0 ? (int) MIN (100, done * 100 / self->size) : 0;

      /* Translators: a progress note, e.g. "Reading… 42 %" */
      text = g_strdup_printf (_("Reading… %d %%"), percent);
    }

  gtk_label_set_text (self->progress_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->progress_label), text != NULL);
}

static void
set_model (LadleBodyViewer *self,
           LadleLineModel  *model)
{
  g_assert (LADLE_IS_BODY_VIEWER (self));

  if (self->model == model && model != NULL)
    return;

  self->has_match = FALSE;
  self->searched_index = NULL;
  g_set_object (&self->model, model);
  g_clear_object (&self->selection);
  if (model != NULL)
    self->selection = gtk_multi_selection_new (G_LIST_MODEL (g_object_ref (model)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
}

static gboolean
tick_cb (gpointer data)
{
  LadleBodyViewer *self = data;

  g_assert (LADLE_IS_BODY_VIEWER (self));

  if (self->model == NULL && effective_mode (self) == LADLE_BODY_VIEWER_PRETTY &&
      self->pretty != NULL)
    {
      g_autoptr(LadleLineIndex) index = NULL;

      g_mutex_lock (&self->pretty->lock);
      if (self->pretty->index != NULL)
        index = g_object_ref (self->pretty->index);
      g_mutex_unlock (&self->pretty->lock);

      if (index != NULL)
        {
          g_autoptr(LadleLineModel) model = ladle_line_model_new_text (index);

          set_model (self, model);
        }
    }

  if (self->model != NULL)
    ladle_line_model_refresh (self->model);
  update_progress (self);

  return G_SOURCE_CONTINUE;
}

static void
update_busy (LadleBodyViewer *self)
{
  gboolean busy;

  g_assert (LADLE_IS_BODY_VIEWER (self));

  busy = compute_busy (self);
  if (busy && self->tick_id == 0)
    self->tick_id = g_timeout_add (TICK_MS, tick_cb, self);
  else if (!busy)
    g_clear_handle_id (&self->tick_id, g_source_remove);

  update_progress (self);
  busy = ladle_body_viewer_get_busy (self);
  if (busy != self->busy)
    {
      self->busy = busy;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
}

/* ------------------------------------------------------------------------------------------------
 * Loading
 */

static char *
describe_json_error (const GError *error)
{
  guint64 line = 0, col = 0;
  const char *message = error->message;
  char *end = NULL;

  /* The indenter's messages are "LINE:COL: what" */
  line = g_ascii_strtoull (message, &end, 10);
  if (end != NULL && *end == ':')
    {
      col = g_ascii_strtoull (end + 1, &end, 10);
      if (end != NULL && g_str_has_prefix (end, ": "))
        {
          g_autofree char *line_text = g_strdup_printf ("%" G_GUINT64_FORMAT, line);
          g_autofree char *col_text = g_strdup_printf ("%" G_GUINT64_FORMAT, col);

          /* Translators: "Not valid JSON at line 3, column 7: invalid number. Shown as it came." */
          return g_strdup_printf (_("Not valid JSON at line %s, column %s: %s. Shown as it came."),
                                  line_text, col_text, end + 2);
        }
    }

  /* Translators: %s says what is wrong */
  return g_strdup_printf (_("Not valid JSON (%s). Shown as it came."), message);
}

static void
pretty_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(LadleBodyViewer) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      self->pretty_running = FALSE;
      self->pretty_failed = TRUE;
      g_free (self->pretty_error);
      if (g_error_matches (error, LADLE_ERROR, LADLE_ERROR_PARSE))
        self->pretty_error = describe_json_error (error);
      else
        self->pretty_error = g_strdup (error->message);
      if (self->mode == LADLE_BODY_VIEWER_PRETTY)
        show_mode (self);
      return;
    }

  self->pretty_running = FALSE;
  tick_cb (self);
  update_busy (self);
  trim_memory_soon ();

  /* A search started while formatting saw part of the text: count again, find again */
  if (gtk_search_bar_get_search_mode (self->search_bar) &&
      *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0')
    {
      start_count (self);
      if (!self->has_match)
        search_from (self, 0, FALSE);
    }
}

static void
start_pretty (LadleBodyViewer *self)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GFile) parent = NULL;
  PrettyJob *job;

  g_assert (LADLE_IS_BODY_VIEWER (self));

  job = g_atomic_rc_box_new0 (PrettyJob);
  g_mutex_init (&job->lock);
  job->source = g_object_ref (self->file);
  parent = g_file_get_parent (self->file);
  job->dir = parent != NULL ? g_file_get_path (parent) : NULL;
  if (job->dir == NULL)
    job->dir = g_strdup (g_get_tmp_dir ());
  job->total = self->size;
  self->pretty = job;
  self->pretty_running = TRUE;

  task = g_task_new (NULL, self->cancellable, pretty_done_cb, g_object_ref (self));
  g_task_set_source_tag (task, start_pretty);
  g_task_set_task_data (task, pretty_job_ref (job), (GDestroyNotify) pretty_job_unref);
  ladle_run_in_background_thread (task, pretty_thread);
}

static void
raw_built_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(LadleBodyViewer) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ladle_line_index_build_finish (LADLE_LINE_INDEX (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_notice (self, error->message);
    }

  self->raw_building = FALSE;
  if (self->model != NULL)
    ladle_line_model_refresh (self->model);
  update_busy (self);
}

static guint
count_digits (guint64 n)
{
  guint digits = 1;

  while (n >= 10)
    {
      n /= 10;
      digits++;
    }
  return digits;
}

static void
show_mode (LadleBodyViewer *self)
{
  g_autoptr(LadleLineModel) model = NULL;
  g_autoptr(GError) error = NULL;
  LadleBodyViewerMode mode = effective_mode (self);

  g_assert (LADLE_IS_BODY_VIEWER (self));

  if (self->file == NULL || !self->size_known)
    {
      set_model (self, NULL);
      update_busy (self);
      return;
    }

  set_notice (self, self->pretty_failed && self->is_json ? self->pretty_error : NULL);
  /* Room for the numbers of lines of about 40 bytes, a fair guess before the count is known */
  self->digits = MAX (3, count_digits (self->size / 40 + 1));

  switch (mode)
    {
    case LADLE_BODY_VIEWER_PRETTY:
      if (self->pretty == NULL)
        start_pretty (self);
      g_mutex_lock (&self->pretty->lock);
      if (self->pretty->index != NULL)
        model = ladle_line_model_new_text (self->pretty->index);
      g_mutex_unlock (&self->pretty->lock);
      break;

    case LADLE_BODY_VIEWER_RAW:
      if (self->raw_index == NULL)
        {
          self->raw_index = ladle_line_index_new (self->file, LADLE_BODY_VIEWER_MAX_LINE);
          self->raw_building = TRUE;
          ladle_line_index_build_async (self->raw_index, self->cancellable, raw_built_cb,
                                        g_object_ref (self));
        }
      model = ladle_line_model_new_text (self->raw_index);
      break;

    case LADLE_BODY_VIEWER_HEX:
    default:
      model = ladle_line_model_new_hex (self->file, self->size, &error);
      if (model == NULL)
        set_notice (self, error->message);
      break;
    }

  set_model (self, model);
  update_busy (self);

  /* A search in progress goes on in the new view */
  if (gtk_search_bar_get_search_mode (self->search_bar))
    g_signal_emit_by_name (self->search_entry, "search-changed");
}

static void
size_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(LadleBodyViewer) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = g_file_query_info_finish (G_FILE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      G_FILE (source) != self->file)
    return;
  if (info == NULL)
    {
      set_notice (self, error->message);
      return;
    }

  self->size = (guint64) g_file_info_get_size (info);
  self->size_known = TRUE;
  show_mode (self);
}

static void
drop_body (LadleBodyViewer *self)
{
  g_assert (LADLE_IS_BODY_VIEWER (self));

  if (self->file != NULL || self->cancellable != NULL)
    trim_memory_soon ();

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  self->search_cancellable = g_cancellable_new ();
  g_cancellable_cancel (self->count_cancellable);
  g_clear_object (&self->count_cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);

  if (self->pretty != NULL)
    {
      pretty_job_let_go (self->pretty, FALSE);
      g_clear_pointer (&self->pretty, pretty_job_unref);
    }
  if (self->owned_file != NULL)
    {
      ladle_temp_file_delete_async (self->owned_file);
      g_clear_object (&self->owned_file);
    }

  if (self->list_view != NULL)
    set_model (self, NULL);
  g_clear_object (&self->raw_index);
  g_clear_object (&self->search_index);
  g_clear_object (&self->file);
  g_clear_pointer (&self->content_type, g_free);
  g_clear_pointer (&self->pretty_error, g_free);
  self->size = 0;
  self->size_known = FALSE;
  self->pretty_running = FALSE;
  self->pretty_failed = FALSE;
  self->raw_building = FALSE;
  self->has_match = FALSE;
}

static void
begin_body (LadleBodyViewer *self,
            GFile           *file,
            const char      *content_type)
{
  g_assert (LADLE_IS_BODY_VIEWER (self));

  self->cancellable = g_cancellable_new ();
  self->file = file != NULL ? g_object_ref (file) : NULL;
  self->content_type = g_strdup (content_type);
  self->is_json = is_json_type (content_type);
  set_notice (self, NULL);
  gtk_label_set_text (self->search_label, "");

  if (file != NULL)
    g_file_query_info_async (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                             G_PRIORITY_DEFAULT, self->cancellable, size_cb, g_object_ref (self));
  update_busy (self);
}

/* ------------------------------------------------------------------------------------------------
 * Bytes to a file
 */

static void
write_bytes_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GBytes *bytes = task_data;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  gsize len;
  const char *data;
  int fd = -1;

  file = ladle_temp_file_create (NULL, FALSE, "body", NULL, &fd, &error);
  if (file == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_bytes_get_data (bytes, &len);
  out = g_unix_output_stream_new (fd, TRUE);
  if (!g_output_stream_write_all (out, data, len, NULL, cancellable, &error) ||
      !g_output_stream_close (out, cancellable, &error))
    {
      ladle_temp_file_delete (file);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&file), g_object_unref);
}

static void
bytes_written_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(LadleBodyViewer) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *content_type = NULL;

  if (file == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_notice (self, error->message);
      return;
    }
  /* Another body came meanwhile: this copy is nobody's */
  if (g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    {
      ladle_temp_file_delete_async (file);
      return;
    }

  content_type = g_steal_pointer (&self->content_type);
  drop_body (self);
  self->owned_file = g_object_ref (file);
  begin_body (self, file, content_type);
}

/* ------------------------------------------------------------------------------------------------
 * Rows
 */

/* A row is one GtkInscription: its line number (dimmed by an attribute), then its text. GtkListView
 * 4.8 creates, binds and measures 200 rows whenever it gets a model or jumps to a distant row:
 * one widget a row instead of a box and two labels, measured in characters (min-chars,
 * nat-chars) instead of by shaping the text, keeps that burst short. */
static void
on_setup_row (LadleBodyViewer          *self,
              GtkListItem              *item,
              GtkSignalListItemFactory *factory)
{
  GtkWidget *row = gtk_inscription_new (NULL);

  gtk_widget_add_css_class (row, "monospace");
  gtk_inscription_set_xalign (GTK_INSCRIPTION (row), 0);
  /* No wrapping: rows are at most LADLE_BODY_VIEWER_MAX_LINE bytes */
  gtk_widget_set_hexpand (row, TRUE);
  gtk_widget_set_margin_start (row, 6);
  gtk_widget_set_margin_end (row, 6);
  gtk_list_item_set_child (item, row);
}

/* The width of @text in cells of a monospace font, an upper bound: a character outside ASCII
 * counts as two (wide enough for CJK), a tab as eight. An inscription clips what does not fit;
 * blank room is harmless. */
static guint
count_cells (const char *text)
{
  guint cells = 0;

  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (*p == '\t')
        cells += 8;
      else if (*p < 0x80)
        cells++;
      else if ((*p & 0xc0) != 0x80)
        cells += 2;
    }
  return cells;
}

static void
on_bind_row (LadleBodyViewer          *self,
             GtkListItem              *item,
             GtkSignalListItemFactory *factory)
{
  LadleBodyLine *line = gtk_list_item_get_item (item);
  GtkInscription *row = GTK_INSCRIPTION (gtk_list_item_get_child (item));
  gboolean hex = self->model != NULL && ladle_line_model_is_hex (self->model);
  const char *row_text = ladle_body_line_get_text (line);
  guint position = ladle_body_line_get_position (line);
  PangoAttrList *attrs = pango_attr_list_new ();
  g_autoptr(GString) text = g_string_sized_new (strlen (row_text) + 32);
  gsize gutter = 0;

  g_assert (LADLE_IS_BODY_VIEWER (self));

  if (!hex)
    {
      PangoAttribute *dim;
      char number[32];
      guint cells;

      /* A continuation row carries a mark instead of a number */
      if (ladle_body_line_is_continuation (line))
        {
          g_strlcpy (number, "↪", sizeof number);
          cells = 1;
        }
      else
        cells = (guint) g_snprintf (number, sizeof number, "%" G_GUINT64_FORMAT,
                                    ladle_body_line_get_number (line) + 1);
      for (guint i = cells; i < self->digits; i++)
        g_string_append_c (text, ' ');
      g_string_append (text, number);
      g_string_append (text, "  ");
      gutter = text->len;

      /* As .dim-label */
      dim = pango_attr_foreground_alpha_new (0.55 * G_MAXUINT16);
      dim->start_index = 0;
      dim->end_index = (guint) gutter;
      pango_attr_list_insert (attrs, dim);
    }
  g_string_append (text, row_text);
  gtk_inscription_set_text (row, text->str);
  gtk_inscription_set_nat_chars (row, count_cells (text->str));

  if (self->has_match && position == self->match_row && !hex && self->model != NULL)
    {
      guint64 row_offset = ladle_body_line_get_offset (line);
      gsize len = strlen (row_text);
      gsize start = (gsize) MIN (self->match_offset - row_offset, len);
      gsize end = MIN (start + self->match_len, len);
      PangoAttribute *background = pango_attr_background_new (0xf6f6, 0xd3d3, 0x2d2d);
      PangoAttribute *foreground = pango_attr_foreground_new (0, 0, 0);

      background->start_index = foreground->start_index = (guint) (gutter + start);
      background->end_index = foreground->end_index = (guint) (gutter + end);
      pango_attr_list_insert (attrs, background);
      pango_attr_list_insert (attrs, foreground);
    }
  gtk_inscription_set_attributes (row, attrs);
  pango_attr_list_unref (attrs);
}

/* Selects row @position and shows it in the middle of the list (as far as its ends allow), as
 * editors show a search hit or a line gone to. GtkListView 4.8's scroll-to-item only brings a row
 * to the nearest edge. Its rows are of one height (one GtkInscription line each), so the list's
 * height is that of a row times their number, and a row's place follows from its position. */
static void
reveal_row (LadleBodyViewer *self,
            guint            position)
{
  GtkAdjustment *vadjustment;
  guint n;

  g_assert (LADLE_IS_BODY_VIEWER (self));

  if (self->selection == NULL)
    return;
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->list_view));
  if (n > 0 && vadjustment != NULL && gtk_adjustment_get_page_size (vadjustment) > 0 &&
      gtk_adjustment_get_upper (vadjustment) > gtk_adjustment_get_page_size (vadjustment))
    {
      double lower = gtk_adjustment_get_lower (vadjustment);
      double height = (gtk_adjustment_get_upper (vadjustment) - lower) / n;
      double page = gtk_adjustment_get_page_size (vadjustment);

      gtk_adjustment_set_value (vadjustment,
                                lower + (double) position * height + (height - page) / 2.0);
      return;
    }
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u",
                              position);
}

/* ------------------------------------------------------------------------------------------------
 * Search
 */

static LadleLineIndex *
get_search_index (LadleBodyViewer *self)
{
  g_assert (LADLE_IS_BODY_VIEWER (self));

  if (self->model == NULL)
    return NULL;
  if (!ladle_line_model_is_hex (self->model))
    return ladle_line_model_get_index (self->model);
  if (self->search_index == NULL)
    self->search_index = ladle_line_index_new (self->file, LADLE_BODY_VIEWER_MAX_LINE);
  return self->search_index;
}

static void
set_search_count (LadleBodyViewer *self,
                  guint64          count)
{
  g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, count);
  g_autofree char *text = NULL;

  if (count == 0)
    text = g_strdup (_("No matches"));
  else
    /* Translators: %s is a number */
    text = g_strdup_printf (ngettext ("%s match", "%s matches", (gulong) MIN (count, G_MAXULONG)),
                            number);
  gtk_label_set_text (self->search_label, text);
}

static void
count_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(LadleBodyViewer) self = user_data;
  g_autoptr(GError) error = NULL;
  guint64 count = 0;

  if (!ladle_line_index_count_finish (LADLE_LINE_INDEX (source), result, &count, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->search_label, error->message);
      return;
    }
  set_search_count (self, count);
}

static void
find_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(LadleBodyViewer) self = user_data;
  g_autoptr(GError) error = NULL;
  guint64 offset = 0;
  guint64 entry = 0;
  guint previous = self->match_row;
  gboolean had_match = self->has_match;

  if (!ladle_line_index_find_finish (LADLE_LINE_INDEX (source), result, &offset, &entry, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  if (self->model == NULL || LADLE_LINE_INDEX (source) != get_search_index (self))
    return;

  if (ladle_line_model_is_hex (self->model))
    entry = offset / 16;
  else
    /* The pretty copy may still grow past the rows shown: refresh first */
    ladle_line_model_refresh (self->model);
  if (entry >= g_list_model_get_n_items (G_LIST_MODEL (self->model)))
    return;

  self->has_match = TRUE;
  self->match_offset = offset;
  self->match_row = (guint) entry;
  self->match_len = strlen (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));

  /* Rebind the rows whose highlight changes */
  if (had_match && previous != self->match_row)
    g_list_model_items_changed (G_LIST_MODEL (self->model), previous, 1, 1);
  g_list_model_items_changed (G_LIST_MODEL (self->model), self->match_row, 1, 1);
  reveal_row (self, self->match_row);
}

static void
search_from (LadleBodyViewer *self,
             guint64          from,
             gboolean         backwards)
{
  const char *needle = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  LadleLineIndex *index = get_search_index (self);

  g_assert (LADLE_IS_BODY_VIEWER (self));

  if (index == NULL || *needle == '\0')
    return;
  ladle_line_index_find_async (index, needle, TRUE, from, backwards, self->search_cancellable,
                               find_cb, g_object_ref (self));
}

static void
start_count (LadleBodyViewer *self)
{
  const char *needle = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  LadleLineIndex *index = get_search_index (self);

  g_assert (LADLE_IS_BODY_VIEWER (self));

  g_cancellable_cancel (self->count_cancellable);
  g_clear_object (&self->count_cancellable);
  if (index == NULL || *needle == '\0')
    return;
  self->count_cancellable = g_cancellable_new ();
  ladle_line_index_count_async (index, needle, TRUE, self->count_cancellable, count_cb,
                                g_object_ref (self));
}

static void
on_search_changed (LadleBodyViewer *self)
{
  const char *needle = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  LadleLineIndex *index = get_search_index (self);

  g_assert (LADLE_IS_BODY_VIEWER (self));

  /* ladle_body_viewer_search() starts at once; the entry's delayed signal follows */
  if (index != NULL && index == self->searched_index &&
      g_strcmp0 (needle, self->searched_needle) == 0)
    return;
  g_free (self->searched_needle);
  self->searched_needle = g_strdup (needle);
  self->searched_index = index;

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  self->search_cancellable = g_cancellable_new ();

  if (self->has_match && self->model != NULL)
    {
      self->has_match = FALSE;
      g_list_model_items_changed (G_LIST_MODEL (self->model), self->match_row, 1, 1);
    }
  gtk_label_set_text (self->search_label, "");
  start_count (self);
  if (index == NULL || *needle == '\0')
    return;
  search_from (self, 0, FALSE);
}

static void
on_search_next (LadleBodyViewer *self)
{
  g_assert (LADLE_IS_BODY_VIEWER (self));

  search_from (self, self->has_match ? self->match_offset + 1 : 0, FALSE);
}

static void
on_search_previous (LadleBodyViewer *self)
{
  g_assert (LADLE_IS_BODY_VIEWER (self));

  search_from (self, self->has_match ? self->match_offset : G_MAXUINT64, TRUE);
}

static void
on_search_stop (LadleBodyViewer *self)
{
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

static void
on_search_mode (LadleBodyViewer *self)
{
  g_assert (LADLE_IS_BODY_VIEWER (self));

  if (gtk_search_bar_get_search_mode (self->search_bar))
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  else if (self->has_match && self->model != NULL)
    {
      self->has_match = FALSE;
      g_list_model_items_changed (G_LIST_MODEL (self->model), self->match_row, 1, 1);
    }
}

static gboolean
on_search_key (LadleBodyViewer       *self,
               guint                  keyval,
               guint                  keycode,
               GdkModifierType        state,
               GtkEventControllerKey *controller)
{
  if ((keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter) && (state & GDK_SHIFT_MASK) != 0)
    {
      on_search_previous (self);
      return TRUE;
    }
  return FALSE;
}

/* ------------------------------------------------------------------------------------------------
 * Go to line
 */

static void
on_goto_show (LadleBodyViewer *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->goto_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->goto_entry));
}

static void
on_goto_activate (LadleBodyViewer *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->goto_entry));
  char *end = NULL;
  guint64 line = g_ascii_strtoull (text, &end, 10);

  g_assert (LADLE_IS_BODY_VIEWER (self));

  if (end == text || line == 0)
    {
      gtk_widget_error_bell (GTK_WIDGET (self->goto_entry));
      return;
    }
  gtk_popover_popdown (self->goto_popover);
  ladle_body_viewer_go_to_line (self, line);
}

static void
goto_line_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  LadleBodyViewer *self = LADLE_BODY_VIEWER (widget);

  if (self->model != NULL && !ladle_line_model_is_hex (self->model))
    gtk_menu_button_popup (self->goto_button);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ladle_body_viewer_begin_search (LADLE_BODY_VIEWER (widget));
}

/* ------------------------------------------------------------------------------------------------
 * Copy
 */

typedef struct
{
  LadleLineIndex *index;
  GArray         *ranges;   /* guint64 pairs: first entry, entry after the last */
} CopyData;

static void
copy_data_free (CopyData *data)
{
  g_clear_object (&data->index);
  g_clear_pointer (&data->ranges, g_array_unref);
  g_free (data);
}

static void
copy_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  CopyData *data = task_data;
  g_autoptr(GFileInputStream) in = g_file_read (ladle_line_index_get_file (data->index),
                                                cancellable, NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  if (in == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("Could not read the body"));
      return;
    }

  for (guint i = 0; i + 1 < data->ranges->len; i += 2)
    {
      /* Entries to bytes: each a short read near a checkpoint of the sparse index */
      guint64 start = ladle_line_index_get_line_offset (data->index,
                                                        g_array_index (data->ranges, guint64, i));
      guint64 end = ladle_line_index_get_line_offset (data->index,
                                                      g_array_index (data->ranges, guint64, i + 1));
      gsize len = (gsize) MIN (end - start, COPY_LIMIT - MIN (text->len, COPY_LIMIT));
      gsize at = text->len;
      gsize got = 0;

      if (len == 0)
        break;
      if (!g_seekable_seek (G_SEEKABLE (in), (goffset) start, G_SEEK_SET, cancellable, &error))
        break;
      g_string_set_size (text, at + len);
      if (!g_input_stream_read_all (G_INPUT_STREAM (in), text->str + at, len, &got, cancellable,
                                    &error))
        break;
      g_string_truncate (text, at + got);
      /* A range ends with its last line's ending: no line break after the last one */
      while (text->len > at && (text->str[text->len - 1] == '\n' ||
                                text->str[text->len - 1] == '\r'))
        g_string_truncate (text, text->len - 1);
      if (i + 3 < data->ranges->len)
        g_string_append_c (text, '\n');
    }

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!g_utf8_validate (text->str, text->len, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (text->str, text->len);

      g_task_return_pointer (task, g_steal_pointer (&valid), g_free);
      return;
    }
  g_task_return_pointer (task, g_string_free (g_steal_pointer (&text), FALSE), g_free);
}

static void
copied_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(LadleBodyViewer) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_task_propagate_pointer (G_TASK (result), &error);

  if (text == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_notice (self, error->message);
      return;
    }
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LadleBodyViewer *self = LADLE_BODY_VIEWER (widget);
  g_autoptr(GtkBitset) selected = NULL;
  GtkBitsetIter iter;
  guint position;

  if (self->selection == NULL)
    return;
  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  if (gtk_bitset_is_empty (selected))
    return;

  if (ladle_line_model_is_hex (self->model))
    {
      g_autoptr(GString) text = g_string_new (NULL);
      guint rows = 0;

      for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position);
           ok && rows < HEX_COPY_ROWS;
           ok = gtk_bitset_iter_next (&iter, &position), rows++)
        {
          g_autofree char *row = ladle_line_model_dup_text (self->model, position);

          if (text->len > 0)
            g_string_append_c (text, '\n');
          g_string_append (text, row != NULL ? row : "");
        }
      gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text->str);
    }
  else
    {
      LadleLineIndex *index = ladle_line_model_get_index (self->model);
      CopyData *data = g_new0 (CopyData, 1);
      g_autoptr(GTask) task = NULL;
      guint first = 0, last = 0;
      gboolean open = FALSE;
      guint64 rows = 0;

      data->index = g_object_ref (index);
      data->ranges = g_array_new (FALSE, FALSE, sizeof (guint64));

      /* Runs of consecutive rows are one range of the file, turned into bytes by the thread,
       * which stops at COPY_LIMIT bytes (a row has at least a line ending: 16 bytes is ample) */
      for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position);
           ok && rows < COPY_LIMIT / 16;
           ok = gtk_bitset_iter_next (&iter, &position), rows++)
        {
          if (open && position == last + 1)
            {
              last = position;
              continue;
            }
          if (open)
            {
              guint64 start = first;
              guint64 end = (guint64) last + 1;

              g_array_append_val (data->ranges, start);
              g_array_append_val (data->ranges, end);
            }
          first = last = position;
          open = TRUE;
        }
      if (open)
        {
          guint64 start = first;
          guint64 end = (guint64) last + 1;

          g_array_append_val (data->ranges, start);
          g_array_append_val (data->ranges, end);
        }

      task = g_task_new (NULL, self->cancellable, copied_cb, g_object_ref (self));
      g_task_set_source_tag (task, copy_action);
      g_task_set_task_data (task, data, (GDestroyNotify) copy_data_free);
      g_task_run_in_thread (task, copy_thread);
    }
}

/* ------------------------------------------------------------------------------------------------
 * Save as
 */

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GFile *source = g_object_get_data (G_OBJECT (task), "source");
  GFile *target = task_data;
  g_autoptr(GFile) parent = g_file_get_parent (target);
  g_autoptr(GFile) partial = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = parent != NULL ? g_file_get_path (parent) : NULL;
  g_autofree char *base = g_file_get_basename (target);
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  int fd;

  if (dir == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("Only local folders can be saved to"));
      return;
    }

  /* Under a temporary name in the same folder, renamed at the end: never a partial file under
   * the name asked for */
  path = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  fd = g_mkstemp_full (path, O_RDWR | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      int saved_errno = errno;

      name = g_filename_display_name (dir);
      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("Could not write in “%s”: %s"), name, g_strerror (saved_errno));
      return;
    }
  g_close (fd, NULL);
  partial = g_file_new_for_path (path);
  /* A quit during the copy deletes it too */
  ladle_temp_files_add (partial);

  if (!g_file_copy (source, partial, G_FILE_COPY_OVERWRITE, cancellable, NULL, NULL, &error) ||
      !g_file_move (partial, target, G_FILE_COPY_OVERWRITE, cancellable, NULL, NULL, &error))
    {
      ladle_temp_file_delete (partial);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      name = g_file_get_parse_name (target);
      g_task_return_new_error (task, error->domain, error->code,
                               _("Could not save the body as “%s”: %s"), name, error->message);
      return;
    }

  /* Renamed: the name is the user's file now */
  ladle_temp_files_forget (partial);
  g_task_return_boolean (task, TRUE);
}

/**
 * ladle_body_viewer_save_to_async:
 * @self: a #LadleBodyViewer showing a body
 * @target: where to save the body, as it came (not as shown)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Copies the body's file in a worker thread to a temporary name in @target's folder and renames
 * it at the end.
 */
void
ladle_body_viewer_save_to_async (LadleBodyViewer     *self,
                                 GFile               *target,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LADLE_IS_BODY_VIEWER (self));
  g_return_if_fail (G_IS_FILE (target));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ladle_body_viewer_save_to_async);
  if (self->file == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("The body is not ready yet"));
      return;
    }
  g_object_set_data_full (G_OBJECT (task), "source", g_object_ref (self->file), g_object_unref);
  g_task_set_task_data (task, g_object_ref (target), g_object_unref);
  g_task_run_in_thread (task, save_thread);
}

gboolean
ladle_body_viewer_save_to_finish (LadleBodyViewer  *self,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  g_return_val_if_fail (LADLE_IS_BODY_VIEWER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  LadleBodyViewer *self = LADLE_BODY_VIEWER (source);
  g_autoptr(GError) error = NULL;

  if (!ladle_body_viewer_save_to_finish (self, result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_notice (self, error->message);
}

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     gpointer         user_data)
{
  g_autoptr(LadleBodyViewer) self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) target = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (target != NULL)
        ladle_body_viewer_save_to_async (self, target, self->cancellable, saved_cb, NULL);
    }
  g_object_unref (chooser);
}

static void
save_as_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LadleBodyViewer *self = LADLE_BODY_VIEWER (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser;

  if (self->file == NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Save Body As"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser),
                                     self->is_json ? "body.json" : "body");
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ------------------------------------------------------------------------------------------------
 * GObject
 */

static void
ladle_body_viewer_dispose (GObject *object)
{
  LadleBodyViewer *self = LADLE_BODY_VIEWER (object);

  drop_body (self);
  self->list_view = NULL;

  gtk_widget_dispose_template (GTK_WIDGET (self), LADLE_TYPE_BODY_VIEWER);

  G_OBJECT_CLASS (ladle_body_viewer_parent_class)->dispose (object);
}

static void
ladle_body_viewer_finalize (GObject *object)
{
  LadleBodyViewer *self = LADLE_BODY_VIEWER (object);

  g_free (self->notice);
  g_free (self->searched_needle);
  g_clear_object (&self->search_cancellable);

  G_OBJECT_CLASS (ladle_body_viewer_parent_class)->finalize (object);
}

static void
ladle_body_viewer_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  LadleBodyViewer *self = LADLE_BODY_VIEWER (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, ladle_body_viewer_get_busy (self));
      break;

    case PROP_MODE:
      g_value_set_int (value, self->mode);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_body_viewer_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  LadleBodyViewer *self = LADLE_BODY_VIEWER (object);

  switch (prop_id)
    {
    case PROP_MODE:
      ladle_body_viewer_set_mode (self, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_body_viewer_class_init (LadleBodyViewerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ladle_body_viewer_dispose;
  object_class->finalize = ladle_body_viewer_finalize;
  object_class->get_property = ladle_body_viewer_get_property;
  object_class->set_property = ladle_body_viewer_set_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODE] =
    g_param_spec_int ("mode", NULL, NULL,
                      LADLE_BODY_VIEWER_PRETTY, LADLE_BODY_VIEWER_HEX, LADLE_BODY_VIEWER_PRETTY,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ladle/Ladle/ladle-body-viewer.ui");
  gtk_widget_class_bind_template_child (widget_class, LadleBodyViewer, goto_button);
  gtk_widget_class_bind_template_child (widget_class, LadleBodyViewer, goto_entry);
  gtk_widget_class_bind_template_child (widget_class, LadleBodyViewer, goto_popover);
  gtk_widget_class_bind_template_child (widget_class, LadleBodyViewer, list_view);
  gtk_widget_class_bind_template_child (widget_class, LadleBodyViewer, notice_label);
  gtk_widget_class_bind_template_child (widget_class, LadleBodyViewer, progress_label);
  gtk_widget_class_bind_template_child (widget_class, LadleBodyViewer, search_bar);
  gtk_widget_class_bind_template_child (widget_class, LadleBodyViewer, search_entry);
  gtk_widget_class_bind_template_child (widget_class, LadleBodyViewer, search_label);
  gtk_widget_class_bind_template_callback (widget_class, on_bind_row);
  gtk_widget_class_bind_template_callback (widget_class, on_goto_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_goto_show);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_mode);
  gtk_widget_class_bind_template_callback (widget_class, on_search_next);
  gtk_widget_class_bind_template_callback (widget_class, on_search_previous);
  gtk_widget_class_bind_template_callback (widget_class, on_search_stop);
  gtk_widget_class_bind_template_callback (widget_class, on_setup_row);

  gtk_widget_class_install_action (widget_class, "viewer.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "viewer.goto-line", NULL, goto_line_action);
  gtk_widget_class_install_action (widget_class, "viewer.save-as", NULL, save_as_action);
  gtk_widget_class_install_action (widget_class, "viewer.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK,
                                       "viewer.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "viewer.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK,
                                       "viewer.goto-line", NULL);
}

static void
ladle_body_viewer_init (LadleBodyViewer *self)
{
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->search_cancellable = g_cancellable_new ();
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self->list_view));

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_search_key), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->search_entry), keys);
}

GtkWidget *
ladle_body_viewer_new (void)
{
  return g_object_new (LADLE_TYPE_BODY_VIEWER, NULL);
}

/**
 * ladle_body_viewer_set_file:
 * @self: a #LadleBodyViewer
 * @file: a local file holding the body; it must not change while shown
 * @content_type: (nullable): the body's media type: JSON is shown pretty
 *
 * Shows @file from its first screen at once, whatever its size.
 */
void
ladle_body_viewer_set_file (LadleBodyViewer *self,
                            GFile           *file,
                            const char      *content_type)
{
  g_return_if_fail (LADLE_IS_BODY_VIEWER (self));
  g_return_if_fail (G_IS_FILE (file));

  drop_body (self);
  begin_body (self, file, content_type);
}

/**
 * ladle_body_viewer_set_bytes:
 * @self: a #LadleBodyViewer
 * @bytes: the body
 * @content_type: (nullable): the body's media type
 *
 * Writes @bytes to a temporary file in a worker thread (removed when no longer shown), then shows
 * it as ladle_body_viewer_set_file() does.
 */
void
ladle_body_viewer_set_bytes (LadleBodyViewer *self,
                             GBytes          *bytes,
                             const char      *content_type)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LADLE_IS_BODY_VIEWER (self));
  g_return_if_fail (bytes != NULL);

  drop_body (self);
  begin_body (self, NULL, content_type);
  self->size_known = FALSE;

  task = g_task_new (NULL, self->cancellable, bytes_written_cb, g_object_ref (self));
  g_task_set_source_tag (task, ladle_body_viewer_set_bytes);
  /* The file comes back even when cancelled, so that it can be deleted */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, write_bytes_thread);
}

void
ladle_body_viewer_clear (LadleBodyViewer *self)
{
  g_return_if_fail (LADLE_IS_BODY_VIEWER (self));

  drop_body (self);
  set_notice (self, NULL);
  gtk_label_set_text (self->search_label, "");
  update_busy (self);
}

/**
 * ladle_body_viewer_set_mode:
 * @self: a #LadleBodyViewer
 * @mode: pretty (for JSON; other bodies show raw), raw or hex
 */
void
ladle_body_viewer_set_mode (LadleBodyViewer     *self,
                            LadleBodyViewerMode  mode)
{
  g_return_if_fail (LADLE_IS_BODY_VIEWER (self));
  g_return_if_fail (mode <= LADLE_BODY_VIEWER_HEX);

  if (self->mode == mode)
    return;
  self->mode = mode;
  show_mode (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
}

LadleBodyViewerMode
ladle_body_viewer_get_mode (LadleBodyViewer *self)
{
  g_return_val_if_fail (LADLE_IS_BODY_VIEWER (self), LADLE_BODY_VIEWER_PRETTY);
  return self->mode;
}

/**
 * ladle_body_viewer_get_busy:
 * @self: a #LadleBodyViewer
 *
 * Returns: %TRUE while the body is being loaded, formatted or indexed (its first rows may
 *   already show); %FALSE once everything is reachable, or when there is no body
 */
gboolean
ladle_body_viewer_get_busy (LadleBodyViewer *self)
{
  g_return_val_if_fail (LADLE_IS_BODY_VIEWER (self), FALSE);

  if (self->cancellable == NULL)
    return FALSE;
  return compute_busy (self);
}

/**
 * ladle_body_viewer_get_notice:
 * @self: a #LadleBodyViewer
 *
 * Returns: (nullable): the note shown above the body (why JSON shows raw, an error)
 */
const char *
ladle_body_viewer_get_notice (LadleBodyViewer *self)
{
  g_return_val_if_fail (LADLE_IS_BODY_VIEWER (self), NULL);
  return self->notice;
}

void
ladle_body_viewer_begin_search (LadleBodyViewer *self)
{
  g_return_if_fail (LADLE_IS_BODY_VIEWER (self));

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/**
 * ladle_body_viewer_search:
 * @self: a #LadleBodyViewer
 * @text: what to find (ASCII letters in any case)
 *
 * Opens the search bar with @text and starts the search at once: the first match is selected
 * and scrolled to, the matches are counted.
 */
void
ladle_body_viewer_search (LadleBodyViewer *self,
                          const char      *text)
{
  g_return_if_fail (LADLE_IS_BODY_VIEWER (self));
  g_return_if_fail (text != NULL);

  ladle_body_viewer_begin_search (self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  on_search_changed (self);
}

/**
 * ladle_body_viewer_get_match:
 * @self: a #LadleBodyViewer
 * @out_offset: (out) (optional): the match's byte offset in the text shown
 *
 * Returns: %TRUE when a match of the search is shown
 */
gboolean
ladle_body_viewer_get_match (LadleBodyViewer *self,
                             guint64         *out_offset)
{
  g_return_val_if_fail (LADLE_IS_BODY_VIEWER (self), FALSE);

  if (out_offset != NULL)
    *out_offset = self->has_match ? self->match_offset : 0;
  return self->has_match;
}

/**
 * ladle_body_viewer_go_to_line:
 * @self: a #LadleBodyViewer
 * @line: a 1-based line of the text shown (pretty or raw); past the end, the last one
 *
 * Scrolls to @line and selects it.
 */
void
ladle_body_viewer_go_to_line (LadleBodyViewer *self,
                              guint64          line)
{
  LadleLineIndex *index;
  guint64 entry;
  guint n;

  g_return_if_fail (LADLE_IS_BODY_VIEWER (self));

  if (self->model == NULL || ladle_line_model_is_hex (self->model) || line == 0)
    return;

  ladle_line_model_refresh (self->model);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  if (n == 0)
    return;
  index = ladle_line_model_get_index (self->model);
  entry = ladle_line_index_get_entry_for_line (index, line - 1);
  reveal_row (self, (guint) MIN (entry, (guint64) n - 1));
}
