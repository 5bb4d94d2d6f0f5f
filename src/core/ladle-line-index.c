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
#include <unistd.h>

/* The index keeps one guint64 per line start, nothing else: a 1 GB body with 20 million lines costs
 * 160 MB at most, the text stays in the file. The top bit of an entry marks a soft break (a line
 * cut because it was longer than max_line), so that a viewer can number lines as the file does. */

#define BLOCK_SIZE     (1024 * 1024)
#define SOFT_BREAK     (G_GUINT64_CONSTANT (1) << 63)
#define OFFSET_MASK    (~SOFT_BREAK)
#define MIN_MAX_LINE   4

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
  GArray  *lines;      /* guint64 line starts, SOFT_BREAK flagged */
  GArray  *soft;       /* guint64 entry numbers of the soft breaks, ascending */
  Scan    *scan;       /* between begin_append() and end_append() */
  guint64  size;
  int      fd;         /* for read_lines(); pread() leaves no shared position */
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
  g_clear_pointer (&self->lines, g_array_unref);
  g_clear_pointer (&self->soft, g_array_unref);
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
  gsize    p;            /* scanned up to here */
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

static inline void
add_line (LadleLineIndex *self,
          guint64         start,
          gboolean        soft)
{
  guint64 entry = start | (soft ? SOFT_BREAK : 0);

  if (soft)
    {
      guint64 at = self->lines->len;

      g_array_append_val (self->soft, at);
    }
  g_array_append_val (self->lines, entry);
}

/* Adds the entries that start in scan->buf[0..have); called with the lock held. */
static void
scan_lines (LadleLineIndex *self,
            Scan           *scan,
            gboolean        eof)
{
  char *buf = scan->buf;
  gsize max_line = scan->max_line;

  for (;;)
    {
      gsize s = (gsize) (scan->line_start - scan->base);
      gsize limit = s + max_line;
      gsize window = MIN (scan->have, limit + 2);
      const char *nl = scan->p < window ? memchr (buf + scan->p, '\n', window - scan->p) : NULL;

      if (nl != NULL)
        {
          gsize at = (gsize) (nl - buf);

          /* A "\r\n" ending does not count against the limit */
          if (at - s <= max_line || (at - s == max_line + 1 && buf[at - 1] == '\r'))
            {
              scan->line_start = scan->base + at + 1;
              add_line (self, scan->line_start, FALSE);
              scan->p = at + 1;
              continue;
            }
        }

      if (limit + 2 <= scan->have || (eof && scan->have - s > max_line))
        {
          gsize cut = limit;

          /* Back to the start of a UTF-8 character (at most 3 continuation bytes) */
          for (guint i = 0; i < 3 && ((guchar) buf[cut] & 0xC0) == 0x80; i++)
            cut--;

          scan->line_start = scan->base + cut;
          add_line (self, scan->line_start, TRUE);
          scan->p = cut;
          continue;
        }

      break;
    }

  /* Keep the unfinished line's bytes */
  {
    gsize s = (gsize) (scan->line_start - scan->base);

    memmove (buf, buf + s, scan->have - s);
    scan->base += s;
    scan->have -= s;
    scan->p = scan->have;
  }

  self->size = scan->base + scan->have;

  /* A final newline does not start an empty line; an empty file has no lines */
  if (eof &&
      (g_array_index (self->lines, guint64, self->lines->len - 1) & OFFSET_MASK) == self->size)
    g_array_set_size (self->lines, self->lines->len - 1);
}

/* Starts empty arrays with the first line's entry; called with the lock held. */
static void
reset_lines_locked (LadleLineIndex *self)
{
  g_clear_pointer (&self->lines, g_array_unref);
  g_clear_pointer (&self->soft, g_array_unref);
  self->lines = g_array_sized_new (FALSE, FALSE, sizeof (guint64), 1024);
  self->soft = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->size = 0;
  add_line (self, 0, FALSE);
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

      g_mutex_lock (&self->lock);
      scan_lines (self, scan, eof);
      g_mutex_unlock (&self->lock);
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

      g_mutex_lock (&self->lock);
      scan_lines (self, scan, FALSE);
      g_mutex_unlock (&self->lock);
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

  g_mutex_lock (&self->lock);
  scan_lines (self, self->scan, TRUE);
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
  g_task_run_in_thread (task, build_thread);
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
  n = self->lines != NULL ? self->lines->len : 0;
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

/**
 * ladle_line_index_get_line_offset:
 * @self: a #LadleLineIndex
 * @line: an index entry (0-based)
 *
 * Returns: the byte offset where @line starts; the file size past the last line
 */
guint64
ladle_line_index_get_line_offset (LadleLineIndex *self,
                                  guint64         line)
{
  guint64 offset;

  g_return_val_if_fail (LADLE_IS_LINE_INDEX (self), 0);

  g_mutex_lock (&self->lock);
  if (self->lines != NULL && line < self->lines->len)
    offset = g_array_index (self->lines, guint64, line) & OFFSET_MASK;
  else
    offset = self->size;
  g_mutex_unlock (&self->lock);

  return offset;
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
  gboolean soft = FALSE;

  g_return_val_if_fail (LADLE_IS_LINE_INDEX (self), FALSE);

  g_mutex_lock (&self->lock);
  if (self->lines != NULL && line < self->lines->len)
    soft = (g_array_index (self->lines, guint64, line) & SOFT_BREAK) != 0;
  g_mutex_unlock (&self->lock);

  return soft;
}

/* How many soft breaks are among the entries [0, @entry] */
static guint64
soft_before_locked (LadleLineIndex *self,
                    guint64         entry)
{
  guint64 lo = 0;
  guint64 hi;

  if (self->soft == NULL)
    return 0;

  hi = self->soft->len;
  while (lo < hi)
    {
      guint64 mid = lo + (hi - lo) / 2;

      if (g_array_index (self->soft, guint64, mid) <= entry)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
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
  guint64 line;

  g_return_val_if_fail (LADLE_IS_LINE_INDEX (self), 0);

  g_mutex_lock (&self->lock);
  line = entry - soft_before_locked (self, entry);
  g_mutex_unlock (&self->lock);

  return line;
}

/**
 * ladle_line_index_get_entry_for_line:
 * @self: a #LadleLineIndex
 * @line: a 0-based line of the file
 *
 * Returns: the index entry where @line starts (past the last entry for lines past the end)
 */
guint64
ladle_line_index_get_entry_for_line (LadleLineIndex *self,
                                     guint64         line)
{
  guint64 lo = 0;
  guint64 hi = 0;

  g_return_val_if_fail (LADLE_IS_LINE_INDEX (self), 0);

  /* soft[j] - j (the whole lines before the j-th soft break) never decreases: count the soft
   * breaks that come before the line's first entry */
  g_mutex_lock (&self->lock);
  if (self->soft != NULL)
    hi = self->soft->len;
  while (lo < hi)
    {
      guint64 mid = lo + (hi - lo) / 2;

      if (g_array_index (self->soft, guint64, mid) - mid <= line)
        lo = mid + 1;
      else
        hi = mid;
    }
  g_mutex_unlock (&self->lock);

  return line + lo;
}

static guint64
line_at_offset_locked (LadleLineIndex *self,
                       guint64         offset)
{
  guint64 lo = 0;
  guint64 hi;

  if (self->lines == NULL || self->lines->len == 0)
    return 0;

  /* The last entry whose start is <= offset */
  hi = self->lines->len - 1;
  while (lo < hi)
    {
      guint64 mid = lo + (hi - lo + 1) / 2;

      if ((g_array_index (self->lines, guint64, mid) & OFFSET_MASK) <= offset)
        lo = mid;
      else
        hi = mid - 1;
    }

  return lo;
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
  guint64 line;

  g_return_val_if_fail (LADLE_IS_LINE_INDEX (self), 0);

  g_mutex_lock (&self->lock);
  line = line_at_offset_locked (self, offset);
  g_mutex_unlock (&self->lock);

  return line;
}

/**
 * ladle_line_index_read_lines:
 * @self: a built #LadleLineIndex
 * @first: the first index entry
 * @n: how many entries
 * @error: a #GError
 *
 * Reads the text of entries [@first, @first + @n) with one read, without their line endings.
 * The text is the file's bytes: it is not checked to be UTF-8.
 *
 * Returns: (transfer full): a %NULL-terminated array (shorter past the end of the file)
 */
char **
ladle_line_index_read_lines (LadleLineIndex  *self,
                             guint64          first,
                             guint            n,
                             GError         **error)
{
  g_autofree guint64 *offsets = NULL;
  g_autofree char *buf = NULL;
  g_autoptr(GPtrArray) result = NULL;
  guint64 count = 0;
  guint64 start;
  guint64 end;
  gssize got;
  int fd;

  g_return_val_if_fail (LADLE_IS_LINE_INDEX (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  result = g_ptr_array_new_null_terminated (0, g_free, TRUE);

  /* Copy the offsets needed (count + 1) so that the read runs without the lock */
  g_mutex_lock (&self->lock);
  if (self->lines != NULL && first < self->lines->len)
    {
      count = MIN ((guint64) n, self->lines->len - first);
      offsets = g_new (guint64, count + 1);
      memcpy (offsets, &g_array_index (self->lines, guint64, first), count * sizeof (guint64));
      offsets[count] = first + count < self->lines->len ?
                       g_array_index (self->lines, guint64, first + count) : self->size;
    }
  fd = self->fd;
  g_mutex_unlock (&self->lock);

  if (count == 0)
    return (char **) g_ptr_array_free (g_steal_pointer (&result), FALSE);

  start = offsets[0] & OFFSET_MASK;
  end = offsets[count] & OFFSET_MASK;
  buf = g_malloc (end - start + 1);
  got = read_at (fd, buf, end - start, start, error);
  if (got < 0)
    return NULL;
  if ((guint64) got < end - start)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The file became shorter while it was shown"));
      return NULL;
    }

  for (guint64 i = 0; i < count; i++)
    {
      gsize a = (gsize) ((offsets[i] & OFFSET_MASK) - start);
      gsize b = (gsize) ((offsets[i + 1] & OFFSET_MASK) - start);

      /* A line cut by a soft break keeps all its bytes */
      if ((offsets[i + 1] & SOFT_BREAK) == 0)
        {
          if (b > a && buf[b - 1] == '\n')
            b--;
          if (b > a && buf[b - 1] == '\r')
            b--;
        }

      g_ptr_array_add (result, g_strndup (buf + a, b - a));
    }

  return (char **) g_ptr_array_free (g_steal_pointer (&result), FALSE);
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
  search->ignore_case = ignore_case;
  search->from = from;
  search->backwards = backwards;

  if (ignore_case)
    for (gsize i = 0; i < search->len; i++)
      search->needle[i] = g_ascii_tolower (search->needle[i]);

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
    for (gssize i = 0; i < got; i++)
      buf[i] = g_ascii_tolower (buf[i]);

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
  g_mutex_lock (&self->lock);
  found->line = line_at_offset_locked (self, offset);
  g_mutex_unlock (&self->lock);

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
  g_task_run_in_thread (task, find_thread);
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
  g_task_run_in_thread (task, count_thread);
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
