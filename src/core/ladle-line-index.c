/* ladle-line-index.c
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
#include <glib/gstdio.h>

#include "ladle-line-index.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The index is sparse: it keeps the start of every STRIDE-th entry (a checkpoint: the offset, a
 * soft-break flag and the entry's line number), 16 bytes per STRIDE lines: a 1 GB JSON body whose
 * pretty copy has 90 million lines costs 11 MB. Any entry is found by reading forward from its checkpoint with the
 * same rule that made the index (next_entry()), so offsets and line numbers stay exact; a visible
 * screen costs one small read from the page cache. An entry is a line, or a piece of a line cut
 * because it was longer than max_line (a soft break), so that a viewer can number lines as the
 * file does. */

#define BLOCK_SIZE     (1024 * 1024)
#define WALK_CHUNK     (64 * 1024)
#define STRIDE         128
#define SOFT_BREAK     (G_GUINT64_CONSTANT (1) << 63)
#define OFFSET_MASK    (~SOFT_BREAK)
#define MIN_MAX_LINE   4
#define BACKGROUND_NICE 5      /* added to the main thread's nice value */

typedef struct
{
  guint64 start;    /* file offset, SOFT_BREAK flagged */
  guint64 line;     /* 0-based line of the file */
} Mark;

typedef struct _Scan Scan;
static void scan_free (Scan *scan);

struct _LadleLineIndex
{
  GObject  parent_instance;

  /* Owned references */
  GFile   *file;
  guint    max_line;

  /* Set by the build thread, read by the owner and by find threads */
  GMutex   lock;
  GArray  *checkpoints;  /* Mark of entries 0, STRIDE, 2 × STRIDE… */
  guint64  n_entries;
  Mark     last;         /* the last entry */
  Scan    *scan;         /* between begin_append() and end_append() */
  guint64  size;
  int      fd;           /* for reads; pread() leaves no shared position */
  gboolean built;
};

G_DEFINE_FINAL_TYPE (LadleLineIndex, ladle_line_index, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FILE,
  PROP_MAX_LINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ladle_line_index_finalize (GObject *object)
{
  LadleLineIndex *self = (LadleLineIndex *) object;

  g_clear_object (&self->file);
  g_clear_pointer (&self->checkpoints, g_array_unref);
  g_clear_pointer (&self->scan, scan_free);
  if (self->fd >= 0)
    g_close (self->fd, NULL);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (ladle_line_index_parent_class)->finalize (object);
}

static void
ladle_line_index_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  LadleLineIndex *self = LADLE_LINE_INDEX (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;

    case PROP_MAX_LINE:
      g_value_set_uint (value, self->max_line);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_line_index_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  LadleLineIndex *self = LADLE_LINE_INDEX (object);

  switch (prop_id)
    {
    case PROP_FILE:
      self->file = g_value_dup_object (value);
      break;

    case PROP_MAX_LINE:
      self->max_line = g_value_get_uint (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_line_index_class_init (LadleLineIndexClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ladle_line_index_finalize;
  object_class->get_property = ladle_line_index_get_property;
  object_class->set_property = ladle_line_index_set_property;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL,
                         G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_LINE] =
    g_param_spec_uint ("max-line", NULL, NULL,
                       MIN_MAX_LINE, G_MAXUINT32, 4096,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ladle_line_index_init (LadleLineIndex *self)
{
  g_mutex_init (&self->lock);
  self->fd = -1;
}

/**
 * ladle_line_index_new:
 * @file: a local file (it must have a path)
 * @max_line: longer lines are cut into pieces of at most this many bytes (at least 4)
 *
 * Returns: (transfer full): an index, empty until ladle_line_index_build_async() completes
 */
LadleLineIndex *
ladle_line_index_new (GFile *file,
                      guint  max_line)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  return g_object_new (LADLE_TYPE_LINE_INDEX,
                       "file", file,
                       "max-line", MAX (max_line, MIN_MAX_LINE),
                       NULL);
}

GFile *
ladle_line_index_get_file (LadleLineIndex *self)
{
  g_return_val_if_fail (LADLE_IS_LINE_INDEX (self), NULL);

  return self->file;
}

guint
ladle_line_index_get_max_line (LadleLineIndex *self)
{
  g_return_val_if_fail (LADLE_IS_LINE_INDEX (self), 0);

  return self->max_line;
}

static int
open_file (GFile   *file,
           GError **error)
{
  g_autofree char *path = g_file_get_path (file);
  int fd;

  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Only local files can be shown"));
      return -1;
    }

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_autofree char *name = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not open “%s”: %s"), name, g_strerror (saved_errno));
    }

  return fd;
}

/* Reads up to @len bytes at @offset; fewer only at the end of the file. */
static gssize
read_at (int       fd,
         char     *buffer,
         gsize     len,
         guint64   offset,
         GError  **error)
{
  gsize done = 0;

  while (done < len)
    {
      gssize n = pread (fd, buffer + done, len - done, (off_t) (offset + done));

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Could not read the file: %s"), g_strerror (saved_errno));
          return -1;
        }
      if (n == 0)
        break;
      done += (gsize) n;
    }

  return (gssize) done;
}

/* The scanner's state: it is fed the file block by block (the build thread) or piece by piece as
 * the file is written (ladle_line_index_append()), and adds entries to the index's arrays. */
struct _Scan
{
  char    *buf;          /* the unfinished line's tail (less than max_line + 2 bytes), then data */
  gsize    capacity;
  gsize    max_line;
  guint64  base;         /* file offset of buf[0] */
  guint64  line_start;
  gsize    have;
};

static Scan *
scan_new (gsize max_line)
{
  Scan *scan = g_new0 (Scan, 1);

  scan->max_line = max_line;
  scan->capacity = BLOCK_SIZE + max_line + 2;
  scan->buf = g_malloc (scan->capacity);
  return scan;
}

static void
scan_free (Scan *scan)
{
  g_free (scan->buf);
  g_free (scan);
}

/* The rule that cuts a file into entries, shared by the scanner and by every later read: for the
 * entry that starts at buf[@s], returns where the next one starts (and whether it is a soft
 * break), or 0 when the bytes in buf[0..@have) do not decide yet (@eof: no more will come). A
 * line ends after its '\n'; a longer one than @max_line bytes (a "\r\n" ending does not count) is
 * cut at @max_line, moved back to the start of a UTF-8 character. */
static gsize
next_entry (const char *buf,
            gsize       have,
            gsize       s,
            gsize       max_line,
            gboolean    eof,
            gboolean   *soft)
{
  gsize limit = s + max_line;
  gsize window = MIN (have, limit + 2);
  const char *nl = s < window ? memchr (buf + s, '\n', window - s) : NULL;

  if (nl != NULL)
    {
      gsize at = (gsize) (nl - buf);

      if (at - s <= max_line || (at - s == max_line + 1 && buf[at - 1] == '\r'))
        {
          *soft = FALSE;
          return at + 1;
        }
    }

  if (limit + 2 <= have || (eof && have > limit))
    {
      gsize cut = limit;

      /* Back to the start of a UTF-8 character (at most 3 continuation bytes) */
      for (guint i = 0; i < 3 && ((guchar) buf[cut] & 0xC0) == 0x80; i++)
        cut--;

      *soft = TRUE;
      return cut;
    }

  return 0;
}

/* Called with the lock held */
static inline void
add_entry (LadleLineIndex *self,
           guint64         start,
           gboolean        soft)
{
  Mark mark;

  mark.start = start | (soft ? SOFT_BREAK : 0);
  mark.line = self->n_entries == 0 ? 0 : self->last.line + (soft ? 0 : 1);
  if (self->n_entries % STRIDE == 0)
    g_array_append_val (self->checkpoints, mark);
  self->last = mark;
  self->n_entries++;
}

/* Adds the entries that start in scan->buf[0..have). Called by the one thread that builds the
 * index, without the lock: it alone changes the entries, so it reads them freely, scans into
 * local variables and takes the lock only to publish the result. A reader (the main thread
 * binding rows) then never waits for a scan, nor for a scanning thread that was preempted while
 * holding the lock. */
static void
scan_lines (LadleLineIndex *self,
            Scan           *scan,
            gboolean        eof)
{
  g_autoptr(GArray) checkpoints = g_array_new (FALSE, FALSE, sizeof (Mark));
  gsize s = (gsize) (scan->line_start - scan->base);
  guint64 n_entries = self->n_entries;
  Mark last = self->last;
  gboolean drop_checkpoint = FALSE;
  guint64 size;

  for (;;)
    {
      gboolean soft = FALSE;
      gsize next = next_entry (scan->buf, scan->have, s, scan->max_line, eof, &soft);
      Mark mark;

      if (next == 0)
        break;
      s = next;
      scan->line_start = scan->base + s;
      mark.start = scan->line_start | (soft ? SOFT_BREAK : 0);
      mark.line = n_entries == 0 ? 0 : last.line + (soft ? 0 : 1);
      if (n_entries % STRIDE == 0)
        g_array_append_val (checkpoints, mark);
      last = mark;
      n_entries++;
    }

  /* Keep the unfinished line's bytes */
  memmove (scan->buf, scan->buf + s, scan->have - s);
  scan->base += s;
  scan->have -= s;

  size = scan->base + scan->have;

  /* A final newline does not start an empty line; an empty file has no lines */
  if (eof && n_entries > 0 && (last.start & OFFSET_MASK) == size)
    {
      n_entries--;
      drop_checkpoint = n_entries % STRIDE == 0;
      if (n_entries > 0)
        last.line--;
    }

  g_mutex_lock (&self->lock);
  g_array_append_vals (self->checkpoints, checkpoints->data, checkpoints->len);
  if (drop_checkpoint)
    g_array_set_size (self->checkpoints, self->checkpoints->len - 1);
  self->n_entries = n_entries;
  self->last = last;
  self->size = size;
  g_mutex_unlock (&self->lock);
}

/* Starts an empty index with the first line's entry; called with the lock held. */
static void
reset_lines_locked (LadleLineIndex *self)
{
  g_clear_pointer (&self->checkpoints, g_array_unref);
  self->checkpoints = g_array_sized_new (FALSE, FALSE, sizeof (Mark), 1024);
  self->n_entries = 0;
  self->size = 0;
  add_entry (self, 0, FALSE);
}

/* ------------------------------------------------------------------------------------------------
 * Background threads
 */

typedef struct
{
  GTask           *task;
  GTaskThreadFunc  func;
} Background;

static gpointer
background_thread (gpointer data)
{
  Background *background = data;
  GTask *task = background->task;
  id_t tid = (id_t) syscall (SYS_gettid);
  int nice_value;

  /* Below the main thread: on two busy CPUs a worker at the same priority takes half of the
   * main thread's time slices, and each frame of the window then lasts twice as long. Only this
   * thread, which ends with the task, is lowered (a lowered pool thread could not come back). */
  errno = 0;
  nice_value = getpriority (PRIO_PROCESS, tid);
  if (errno == 0 &&
      setpriority (PRIO_PROCESS, tid, MIN (nice_value + BACKGROUND_NICE, 19)) != 0)
    g_debug ("Could not lower a worker thread's priority: %s", g_strerror (errno));

  background->func (task, g_task_get_source_object (task), g_task_get_task_data (task),
                    g_task_get_cancellable (task));
  g_object_unref (task);
  g_free (background);

  return NULL;
}

/**
 * ladle_run_in_background_thread:
 * @task: a #GTask
 * @func: what to run
 *
 * As g_task_run_in_thread(), in a thread of its own at a lower priority than the main thread's
 * (for long reads and scans over a large file while the window stays responsive).
 */
void
ladle_run_in_background_thread (GTask           *task,
                                GTaskThreadFunc  func)
{
  Background *background;
  GThread *thread;

  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (func != NULL);

  background = g_new0 (Background, 1);
  background->task = g_object_ref (task);
  background->func = func;
  thread = g_thread_try_new ("ladle-background", background_thread, background, NULL);
  if (thread == NULL)
    {
      g_object_unref (task);
      g_free (background);
      g_task_run_in_thread (task, func);
      return;
    }
  g_thread_unref (thread);
}

static void
build_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  LadleLineIndex *self = source_object;
  g_autoptr(GError) error = NULL;
  Scan *scan;
  gboolean eof = FALSE;
  int fd;

  g_assert (LADLE_IS_LINE_INDEX (self));

  fd = open_file (self->file, &error);
  if (fd < 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Entries are published block by block, so that a viewer can show the first lines at once */
  scan = scan_new (self->max_line);
  g_mutex_lock (&self->lock);
  reset_lines_locked (self);
  if (self->fd >= 0)
    g_close (self->fd, NULL);
  self->fd = fd;
  g_mutex_unlock (&self->lock);

  while (!eof)
    {
      gssize n;

      if (g_task_return_error_if_cancelled (task))
        {
          scan_free (scan);
          return;
        }

      n = read_at (fd, scan->buf + scan->have, BLOCK_SIZE, scan->base + scan->have, &error);
      if (n < 0)
        {
          scan_free (scan);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      eof = n < BLOCK_SIZE;
      scan->have += (gsize) n;

      scan_lines (self, scan, eof);
    }

  scan_free (scan);

  g_mutex_lock (&self->lock);
  self->built = TRUE;
  g_mutex_unlock (&self->lock);

  g_task_return_boolean (task, TRUE);
}

/**
 * ladle_line_index_begin_append:
 * @self: a #LadleLineIndex that was not built
 * @error: a #GError
 *
 * Starts indexing a file while it is being written (the file must exist, possibly empty): the
 * writer calls ladle_line_index_append() with each piece once it is written, then
 * ladle_line_index_end_append(). Meanwhile the lines already complete can be read from any thread.
 *
 * Returns: %TRUE if the file could be opened
 */
gboolean
ladle_line_index_begin_append (LadleLineIndex  *self,
                               GError         **error)
{
  int fd;

  g_return_val_if_fail (LADLE_IS_LINE_INDEX (self), FALSE);
  g_return_val_if_fail (self->scan == NULL, FALSE);

  fd = open_file (self->file, error);
  if (fd < 0)
    return FALSE;

  g_mutex_lock (&self->lock);
  reset_lines_locked (self);
  if (self->fd >= 0)
    g_close (self->fd, NULL);
  self->fd = fd;
  self->built = FALSE;
  self->scan = scan_new (self->max_line);
  g_mutex_unlock (&self->lock);

  return TRUE;
}

/**
 * ladle_line_index_append:
 * @self: a #LadleLineIndex between begin_append() and end_append()
 * @data: (array length=len): the bytes just written at the end of the file
 * @len: their length
 *
 * Indexes @data; may be called from any one thread at a time.
 */
void
ladle_line_index_append (LadleLineIndex *self,
                         const char     *data,
                         gsize           len)
{
  g_return_if_fail (LADLE_IS_LINE_INDEX (self));
  g_return_if_fail (self->scan != NULL);

  while (len > 0)
    {
      Scan *scan = self->scan;
      gsize n = MIN (len, BLOCK_SIZE);

      memcpy (scan->buf + scan->have, data, n);
      scan->have += n;
      data += n;
      len -= n;

      scan_lines (self, scan, FALSE);
    }
}

/**
 * ladle_line_index_end_append:
 * @self: a #LadleLineIndex between begin_append() and end_append()
 *
 * Indexes the last line: the index is then built.
 */
void
ladle_line_index_end_append (LadleLineIndex *self)
{
  g_return_if_fail (LADLE_IS_LINE_INDEX (self));
  g_return_if_fail (self->scan != NULL);

  scan_lines (self, self->scan, TRUE);
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->scan, scan_free);
  self->built = TRUE;
  g_mutex_unlock (&self->lock);
}

/**
 * ladle_line_index_build_async:
 * @self: a #LadleLineIndex
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the index is ready
 * @user_data: data for @callback
 *
 * Reads the whole file once in a worker thread. Run it once; the file must not change afterwards.
 */
void
ladle_line_index_build_async (LadleLineIndex      *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LADLE_IS_LINE_INDEX (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ladle_line_index_build_async);
  ladle_run_in_background_thread (task, build_thread);
}

gboolean
ladle_line_index_build_finish (LadleLineIndex  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (LADLE_IS_LINE_INDEX (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
ladle_line_index_is_built (LadleLineIndex *self)
{
  gboolean built;

  g_return_val_if_fail (LADLE_IS_LINE_INDEX (self), FALSE);

  g_mutex_lock (&self->lock);
  built = self->built;
  g_mutex_unlock (&self->lock);

  return built;
}

/**
 * ladle_line_index_get_n_lines:
 * @self: a #LadleLineIndex
 *
 * Returns: the number of index entries: lines, plus one per soft break; 0 before the build
 */
guint64
ladle_line_index_get_n_lines (LadleLineIndex *self)
{
  guint64 n;

  g_return_val_if_fail (LADLE_IS_LINE_INDEX (self), 0);

  g_mutex_lock (&self->lock);
  n = self->n_entries;
  g_mutex_unlock (&self->lock);

  return n;
}

/**
 * ladle_line_index_get_size:
 * @self: a #LadleLineIndex
 *
 * Returns: the size of the file in bytes when it was indexed
 */
guint64
ladle_line_index_get_size (LadleLineIndex *self)
{
  guint64 size = 0;

  g_return_val_if_fail (LADLE_IS_LINE_INDEX (self), 0);

  g_mutex_lock (&self->lock);
  size = self->size;
  g_mutex_unlock (&self->lock);

  return size;
}

/* Reading forward from a checkpoint: a snapshot of the index, and a window on the file. */
typedef struct
{
  int       fd;
  guint64   size;
  guint64   n_entries;
  gsize     max_line;
  gboolean  built;
  char     *buf;
  gsize     capacity;
  guint64   base;       /* file offset of buf[0] */
  gsize     have;
  guint64   entry;      /* the current entry… */
  Mark      mark;       /* …its start and line */
} Walker;

/* Called with the lock held; @checkpoint must exist. */
static void
walker_init_locked (Walker         *w,
                    LadleLineIndex *self,
                    guint64         checkpoint)
{
  memset (w, 0, sizeof *w);
  w->fd = self->fd;
  w->size = self->size;
  w->n_entries = self->n_entries;
  w->max_line = self->max_line;
  w->built = self->built;
  w->entry = checkpoint * STRIDE;
  w->mark = g_array_index (self->checkpoints, Mark, checkpoint);
}

static void
walker_clear (Walker *w)
{
  g_clear_pointer (&w->buf, g_free);
}

static void
set_changed_error (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       _("The file became shorter while it was shown"));
}

/* Where the entry after the current one starts (the end of the file after the last one). */
static gboolean
walker_end (Walker  *w,
            Mark    *end,
            GError **error)
{
  guint64 s = w->mark.start & OFFSET_MASK;

  if (w->entry + 1 >= w->n_entries)
    {
      end->start = w->size;
      end->line = w->mark.line + 1;
      return TRUE;
    }

  if (w->buf == NULL)
    {
      w->capacity = w->max_line + 2 + WALK_CHUNK;
      w->buf = g_malloc (w->capacity);
    }

  for (;;)
    {
      gsize want;
      gssize got;

      if (s >= w->base && s <= w->base + w->have)
        {
          gsize rel = (gsize) (s - w->base);
          gboolean eof = w->built && w->base + w->have >= w->size;
          gboolean soft = FALSE;
          gsize next = next_entry (w->buf, w->have, rel, w->max_line, eof, &soft);

          if (next != 0)
            {
              end->start = (w->base + next) | (soft ? SOFT_BREAK : 0);
              end->line = w->mark.line + (soft ? 0 : 1);
              return TRUE;
            }
          if (w->base + w->have >= w->size)
            {
              set_changed_error (error);
              return FALSE;
            }
          /* Keep the current entry's bytes, read more */
          memmove (w->buf, w->buf + rel, w->have - rel);
          w->base = s;
          w->have -= rel;
        }
      else
        {
          w->base = s;
          w->have = 0;
        }

      want = (gsize) MIN ((guint64) (w->capacity - w->have), w->size - (w->base + w->have));
      got = read_at (w->fd, w->buf + w->have, want, w->base + w->have, error);
      if (got < 0)
        return FALSE;
      if (got == 0)
        {
          set_changed_error (error);
          return FALSE;
        }
      w->have += (gsize) got;
    }
}

/* Moves to the next entry, whose start is @end. */
static inline void
walker_next (Walker     *w,
             const Mark *end)
{
  w->entry++;
  w->mark = *end;
}

/* Fills @marks with the starts of entries [@first, @first + count] where count (returned, -1 on
 * an error) is at most @n: the mark after the last entry is the end of the file. */
static gssize
get_marks (LadleLineIndex  *self,
           guint64          first,
           guint            n,
           Mark            *marks,
           GError         **error)
{
  Walker w;
  guint64 count;
  gssize result = -1;

  g_mutex_lock (&self->lock);
  if (first >= self->n_entries)
    {
      g_mutex_unlock (&self->lock);
      return 0;
    }
  walker_init_locked (&w, self, first / STRIDE);
  g_mutex_unlock (&self->lock);

  count = MIN ((guint64) n, w.n_entries - first);

  while (w.entry < first)
    {
      Mark end;

      if (!walker_end (&w, &end, error))
        goto out;
      walker_next (&w, &end);
    }

  for (guint64 i = 0; i < count; i++)
    {
      Mark end;

      marks[i] = w.mark;
      if (!walker_end (&w, &end, error))
        goto out;
      marks[i + 1] = end;
      walker_next (&w, &end);
    }
  result = (gssize) count;

out:
  walker_clear (&w);
  return result;
}

/* The mark of one entry, or FALSE past the end (or on a read error). */
static gboolean
get_mark (LadleLineIndex *self,
          guint64         entry,
          Mark           *mark)
{
  Mark marks[2];

  if (get_marks (self, entry, 1, marks, NULL) != 1)
    return FALSE;
  *mark = marks[0];
  return TRUE;
}

/**
 * ladle_line_index_get_line_offset:
 * @self: a #LadleLineIndex
 * @line: an index entry (0-based)
 *
 * Reads the file near @line (from the page cache, usually): call it from a worker thread when
 * many are needed.
 *
 * Returns: the byte offset where @line starts; the file size past the last line
 */
guint64
ladle_line_index_get_line_offset (LadleLineIndex *self,
                                  guint64         line)
{
  Mark mark;

  g_return_val_if_fail (LADLE_IS_LINE_INDEX (self), 0);

  if (get_mark (self, line, &mark))
    return mark.start & OFFSET_MASK;
  return ladle_line_index_get_size (self);
}

/**
 * ladle_line_index_is_continuation:
 * @self: a #LadleLineIndex
 * @line: an index entry (0-based)
 *
 * Returns: %TRUE when @line is the rest of a line cut at max_line bytes (a soft break)
 */
gboolean
ladle_line_index_is_continuation (LadleLineIndex *self,
                                  guint64         line)
{
  Mark mark;

  g_return_val_if_fail (LADLE_IS_LINE_INDEX (self), FALSE);

  return get_mark (self, line, &mark) && (mark.start & SOFT_BREAK) != 0;
}

/**
 * ladle_line_index_get_line_number:
 * @self: a #LadleLineIndex
 * @entry: an index entry (0-based)
 *
 * Returns: the 0-based line of the file that @entry belongs to (soft breaks do not count)
 */
guint64
ladle_line_index_get_line_number (LadleLineIndex *self,
                                  guint64         entry)
{
  Mark mark;
  guint64 n;
  guint64 last_line;

  g_return_val_if_fail (LADLE_IS_LINE_INDEX (self), 0);

  if (get_mark (self, entry, &mark))
    return mark.line;

  /* Past the end, every entry is a line of its own */
  g_mutex_lock (&self->lock);
  n = self->n_entries;
  last_line = self->last.line;
  g_mutex_unlock (&self->lock);

  return n == 0 ? entry : last_line + 1 + (entry - MIN (entry, n));
}

/**
 * ladle_line_index_get_entry_for_line:
 * @self: a #LadleLineIndex
 * @line: a 0-based line of the file
 *
 * Returns: the index entry where @line starts (the number of entries for lines past the end)
 */
guint64
ladle_line_index_get_entry_for_line (LadleLineIndex *self,
                                     guint64         line)
{
  guint64 lo = 0;
  guint64 hi;
  guint64 result;
  Walker w;

  g_return_val_if_fail (LADLE_IS_LINE_INDEX (self), 0);

  g_mutex_lock (&self->lock);
  if (self->n_entries == 0)
    {
      g_mutex_unlock (&self->lock);
      return 0;
    }

  /* The last checkpoint at or before the line's first entry: line numbers never decrease, and
   * a line's first entry is the one that is not a continuation */
  hi = self->checkpoints->len - 1;
  while (lo < hi)
    {
      guint64 mid = lo + (hi - lo + 1) / 2;
      const Mark *mark = &g_array_index (self->checkpoints, Mark, mid);

      if (mark->line < line || (mark->line == line && (mark->start & SOFT_BREAK) == 0))
        lo = mid;
      else
        hi = mid - 1;
    }
  walker_init_locked (&w, self, lo);
  g_mutex_unlock (&self->lock);

  result = w.n_entries;
  while (w.entry < w.n_entries)
    {
      Mark end;

      if (w.mark.line >= line)
        {
          result = w.entry;
          break;
        }
      if (!walker_end (&w, &end, NULL))
        break;
      walker_next (&w, &end);
    }
  walker_clear (&w);

  return result;
}

/**
 * ladle_line_index_line_at_offset:
 * @self: a #LadleLineIndex
 * @offset: a byte offset in the file
 *
 * Returns: the index entry that contains @offset (the last one for offsets past the end)
 */
guint64
ladle_line_index_line_at_offset (LadleLineIndex *self,
                                 guint64         offset)
{
  guint64 lo = 0;
  guint64 hi;
  guint64 result;
  Walker w;

  g_return_val_if_fail (LADLE_IS_LINE_INDEX (self), 0);

  g_mutex_lock (&self->lock);
  if (self->n_entries == 0)
    {
      g_mutex_unlock (&self->lock);
      return 0;
    }

  /* The last checkpoint that starts at or before offset */
  hi = self->checkpoints->len - 1;
  while (lo < hi)
    {
      guint64 mid = lo + (hi - lo + 1) / 2;

      if ((g_array_index (self->checkpoints, Mark, mid).start & OFFSET_MASK) <= offset)
        lo = mid;
      else
        hi = mid - 1;
    }
  walker_init_locked (&w, self, lo);
  g_mutex_unlock (&self->lock);

  while (w.entry + 1 < w.n_entries)
    {
      Mark end;

      if (!walker_end (&w, &end, NULL) || (end.start & OFFSET_MASK) > offset)
        break;
      walker_next (&w, &end);
    }
  result = w.entry;
  walker_clear (&w);

  return result;
}

/**
 * ladle_line_index_read_entries:
 * @self: a #LadleLineIndex
 * @first: the first index entry
 * @n: how many entries
 * @out_entries: (out) (optional) (array) (transfer full): where each entry starts, its line
 *   number and whether it is a continuation, as many as the lines returned
 * @error: a #GError
 *
 * Reads the text of entries [@first, @first + @n) without their line endings: one read from the
 * checkpoint before @first. The text is the file's bytes: it is not checked to be UTF-8.
 *
 * Returns: (transfer full): a %NULL-terminated array (shorter past the end of the file)
 */
char **
ladle_line_index_read_entries (LadleLineIndex   *self,
                               guint64           first,
                               guint             n,
                               LadleLineEntry  **out_entries,
                               GError          **error)
{
  g_autofree Mark *marks = NULL;
  g_autofree char *buf = NULL;
  g_autoptr(GPtrArray) result = NULL;
  gssize count;
  guint64 start;
  guint64 end;
  gssize got;
  int fd;

  g_return_val_if_fail (LADLE_IS_LINE_INDEX (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (out_entries != NULL)
    *out_entries = NULL;
  result = g_ptr_array_new_null_terminated (0, g_free, TRUE);

  n = (guint) MIN (n, 1u << 20);
  marks = g_new (Mark, (gsize) n + 1);
  count = n > 0 ? get_marks (self, first, n, marks, error) : 0;
  if (count < 0)
    return NULL;
  if (count == 0)
    return (char **) g_ptr_array_free (g_steal_pointer (&result), FALSE);

  g_mutex_lock (&self->lock);
  fd = self->fd;
  g_mutex_unlock (&self->lock);

  start = marks[0].start & OFFSET_MASK;
  end = marks[count].start & OFFSET_MASK;
  buf = g_malloc (end - start + 1);
  got = read_at (fd, buf, end - start, start, error);
  if (got < 0)
    return NULL;
  if ((guint64) got < end - start)
    {
      set_changed_error (error);
      return NULL;
    }

  for (gssize i = 0; i < count; i++)
    {
      gsize a = (gsize) ((marks[i].start & OFFSET_MASK) - start);
      gsize b = (gsize) ((marks[i + 1].start & OFFSET_MASK) - start);

      /* A line cut by a soft break keeps all its bytes */
      if ((marks[i + 1].start & SOFT_BREAK) == 0)
        {
          if (b > a && buf[b - 1] == '\n')
            b--;
          if (b > a && buf[b - 1] == '\r')
            b--;
        }

      g_ptr_array_add (result, g_strndup (buf + a, b - a));
    }

  if (out_entries != NULL)
    {
      LadleLineEntry *entries = g_new (LadleLineEntry, count);

      for (gssize i = 0; i < count; i++)
        {
          entries[i].offset = marks[i].start & OFFSET_MASK;
          entries[i].line = marks[i].line;
          entries[i].continuation = (marks[i].start & SOFT_BREAK) != 0;
        }
      *out_entries = entries;
    }

  return (char **) g_ptr_array_free (g_steal_pointer (&result), FALSE);
}

/**
 * ladle_line_index_read_lines:
 * @self: a #LadleLineIndex
 * @first: the first index entry
 * @n: how many entries
 * @error: a #GError
 *
 * As ladle_line_index_read_entries(), the text only.
 *
 * Returns: (transfer full): a %NULL-terminated array (shorter past the end of the file)
 */
char **
ladle_line_index_read_lines (LadleLineIndex  *self,
                             guint64          first,
                             guint            n,
                             GError         **error)
{
  return ladle_line_index_read_entries (self, first, n, NULL, error);
}

/* Search */

typedef struct
{
  char     *needle;
  gsize     len;
  gboolean  ignore_case;
  guint64   from;
  gboolean  backwards;
} Search;

typedef struct
{
  guint64 offset;
  guint64 line;
} Found;

/* ASCII lower case, branch-free so that the compiler can do 16 or 32 bytes a step. */
static void
lower_block (char  *buf,
             gsize  len)
{
  guchar *p = (guchar *) buf;

  for (gsize i = 0; i < len; i++)
    p[i] = (guchar) (p[i] + (((guchar) (p[i] - 'A') < 26) << 5));
}

static void
search_free (Search *search)
{
  g_free (search->needle);
  g_free (search);
}

static Search *
search_new (const char *needle,
            gboolean    ignore_case,
            guint64     from,
            gboolean    backwards)
{
  Search *search = g_new0 (Search, 1);

  search->len = strlen (needle);
  search->needle = g_memdup2 (needle, search->len + 1);
  search->from = from;
  search->backwards = backwards;

  /* A needle without ASCII letters matches the same either way */
  search->ignore_case = FALSE;
  if (ignore_case)
    for (gsize i = 0; i < search->len; i++)
      if (g_ascii_isalpha (search->needle[i]))
        search->ignore_case = TRUE;
  if (search->ignore_case)
    lower_block (search->needle, search->len);

  return search;
}

/* Reads [@offset, @offset + @len) (clipped to the file) and lower-cases it if needed. */
static gssize
read_block (int            fd,
            const Search  *search,
            char          *buf,
            gsize          len,
            guint64        offset,
            GError       **error)
{
  gssize got = read_at (fd, buf, len, offset, error);

  if (got > 0 && search->ignore_case)
    lower_block (buf, (gsize) got);

  return got;
}

static gboolean
get_size (int       fd,
          guint64  *out_size,
          GError  **error)
{
  GStatBuf st;

  if (fstat (fd, &st) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not read the file: %s"), g_strerror (saved_errno));
      return FALSE;
    }

  *out_size = (guint64) st.st_size;
  return TRUE;
}

/* Returns TRUE and sets @out_offset if found; FALSE with @error unset if not found. */
static gboolean
search_file (int            fd,
             const Search  *search,
             GCancellable  *cancellable,
             guint64       *out_offset,
             GError       **error)
{
  gsize overlap = search->len - 1;
  g_autofree char *buf = g_malloc (BLOCK_SIZE + overlap);
  guint64 size = 0;

  if (!get_size (fd, &size, error))
    return FALSE;

  if (!search->backwards)
    {
      for (guint64 pos = search->from; pos < size; pos += BLOCK_SIZE)
        {
          gssize got;
          const char *hit;

          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;

          got = read_block (fd, search, buf, BLOCK_SIZE + overlap, pos, error);
          if (got < 0)
            return FALSE;
          hit = memmem (buf, (gsize) got, search->needle, search->len);
          if (hit != NULL)
            {
              *out_offset = pos + (guint64) (hit - buf);
              return TRUE;
            }
          if ((gsize) got < BLOCK_SIZE + overlap)
            break;
        }
    }
  else
    {
      /* Matches that start before search->from, the last one first */
      guint64 end = MIN (search->from, size);

      while (end > 0)
        {
          guint64 start = end > BLOCK_SIZE ? end - BLOCK_SIZE : 0;
          gsize starts = (gsize) (end - start);
          gssize got;
          gssize last = -1;
          gsize i = 0;

          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;

          got = read_block (fd, search, buf, starts + overlap, start, error);
          if (got < 0)
            return FALSE;

          while (i < (gsize) got)
            {
              const char *hit = memmem (buf + i, (gsize) got - i, search->needle, search->len);

              if (hit == NULL || (gsize) (hit - buf) >= starts)
                break;
              last = hit - buf;
              i = (gsize) last + 1;
            }

          if (last >= 0)
            {
              *out_offset = start + (guint64) last;
              return TRUE;
            }
          end = start;
        }
    }

  return FALSE;
}

static void
find_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LadleLineIndex *self = source_object;
  Search *search = task_data;
  g_autoptr(GError) error = NULL;
  guint64 offset = 0;
  Found *found;
  gboolean ok;
  int fd;

  g_assert (LADLE_IS_LINE_INDEX (self));

  fd = open_file (self->file, &error);
  if (fd < 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  ok = search_file (fd, search, cancellable, &offset, &error);
  g_close (fd, NULL);

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!ok)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("“%s” was not found"), search->needle);
      return;
    }

  found = g_new0 (Found, 1);
  found->offset = offset;
  found->line = ladle_line_index_line_at_offset (self, offset);

  g_task_return_pointer (task, found, g_free);
}

/**
 * ladle_line_index_find_async:
 * @self: a #LadleLineIndex
 * @needle: the bytes to find (not empty)
 * @ignore_case: %TRUE to compare ASCII letters without case
 * @from: a byte offset: forwards, the first match starting at or after it; backwards, the last
 *   match starting before it
 * @backwards: the search direction
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Searches in a worker thread with its own file descriptor. No wrap-around: a search that finds
 * nothing fails with %G_IO_ERROR_NOT_FOUND.
 */
void
ladle_line_index_find_async (LadleLineIndex      *self,
                             const char          *needle,
                             gboolean             ignore_case,
                             guint64              from,
                             gboolean             backwards,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LADLE_IS_LINE_INDEX (self));
  g_return_if_fail (needle != NULL && needle[0] != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ladle_line_index_find_async);
  g_task_set_task_data (task, search_new (needle, ignore_case, from, backwards),
                        (GDestroyNotify) search_free);
  ladle_run_in_background_thread (task, find_thread);
}

/**
 * ladle_line_index_find_finish:
 * @self: a #LadleLineIndex
 * @result: the result passed to the callback
 * @out_offset: (out) (optional): the byte offset of the match
 * @out_line: (out) (optional): the index entry that contains the match (0 if the index was not
 *   built)
 * @error: %G_IO_ERROR_NOT_FOUND when there is no match
 *
 * Returns: %TRUE when a match was found
 */
gboolean
ladle_line_index_find_finish (LadleLineIndex  *self,
                              GAsyncResult    *result,
                              guint64         *out_offset,
                              guint64         *out_line,
                              GError         **error)
{
  g_autofree Found *found = NULL;

  g_return_val_if_fail (LADLE_IS_LINE_INDEX (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  found = g_task_propagate_pointer (G_TASK (result), error);
  if (found == NULL)
    return FALSE;

  if (out_offset != NULL)
    *out_offset = found->offset;
  if (out_line != NULL)
    *out_line = found->line;
  return TRUE;
}

static void
count_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  LadleLineIndex *self = source_object;
  Search *search = task_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *buf = NULL;
  gsize overlap = search->len - 1;
  guint64 next_allowed = 0;
  guint64 count = 0;
  guint64 size = 0;
  guint64 *result;
  int fd;

  g_assert (LADLE_IS_LINE_INDEX (self));

  fd = open_file (self->file, &error);
  if (fd < 0 || !get_size (fd, &size, &error))
    goto out;

  buf = g_malloc (BLOCK_SIZE + overlap);

  /* Non-overlapping matches, as an editor highlights them; each block owns the matches that
   * start in its first BLOCK_SIZE bytes */
  for (guint64 pos = 0; pos < size; pos += BLOCK_SIZE)
    {
      gssize got;
      gsize i;

      if (g_cancellable_set_error_if_cancelled (cancellable, &error))
        goto out;

      got = read_block (fd, search, buf, BLOCK_SIZE + overlap, pos, &error);
      if (got < 0)
        goto out;

      i = next_allowed > pos ? (gsize) (next_allowed - pos) : 0;
      while (i < (gsize) got)
        {
          const char *hit = memmem (buf + i, (gsize) got - i, search->needle, search->len);
          gsize at;

          if (hit == NULL)
            break;
          at = (gsize) (hit - buf);
          if (at >= BLOCK_SIZE)
            break;
          count++;
          i = at + search->len;
          next_allowed = pos + i;
        }
    }

out:
  if (fd >= 0)
    g_close (fd, NULL);

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  result = g_new (guint64, 1);
  *result = count;
  g_task_return_pointer (task, result, g_free);
}

/**
 * ladle_line_index_count_async:
 * @self: a #LadleLineIndex
 * @needle: the bytes to count (not empty)
 * @ignore_case: %TRUE to compare ASCII letters without case
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Counts the non-overlapping matches in the whole file, in a worker thread.
 */
void
ladle_line_index_count_async (LadleLineIndex      *self,
                              const char          *needle,
                              gboolean             ignore_case,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LADLE_IS_LINE_INDEX (self));
  g_return_if_fail (needle != NULL && needle[0] != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ladle_line_index_count_async);
  g_task_set_task_data (task, search_new (needle, ignore_case, 0, FALSE),
                        (GDestroyNotify) search_free);
  ladle_run_in_background_thread (task, count_thread);
}

gboolean
ladle_line_index_count_finish (LadleLineIndex  *self,
                               GAsyncResult    *result,
                               guint64         *out_count,
                               GError         **error)
{
  g_autofree guint64 *count = NULL;

  g_return_val_if_fail (LADLE_IS_LINE_INDEX (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  count = g_task_propagate_pointer (G_TASK (result), error);
  if (count == NULL)
    return FALSE;

  if (out_count != NULL)
    *out_count = *count;
  return TRUE;
}
