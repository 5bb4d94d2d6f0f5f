/* ladle-line-model.c
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

#include "ladle-body-format.h"
#include "ladle-line-model.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

/* A GtkListView asks for the items of the rows it shows, a screenful at a time and mostly in
 * order: rows are read BLOCK_ROWS at a time (one read_lines() or one pread()) and the last
 * N_BLOCKS blocks are kept. Everything else stays in the file. */

#define BLOCK_ROWS 128
#define N_BLOCKS   8
#define HEX_WIDTH  LADLE_BODY_HEX_WIDTH

/* ------------------------------------------------------------------------------------------------
 * LadleBodyLine
 */

struct _LadleBodyLine
{
  GObject   parent_instance;

  char     *text;
  guint64   number;
  guint64   offset;
  guint     position;
  gboolean  continuation;
};

G_DEFINE_FINAL_TYPE (LadleBodyLine, ladle_body_line, G_TYPE_OBJECT)

static void
ladle_body_line_finalize (GObject *object)
{
  LadleBodyLine *self = (LadleBodyLine *) object;

  g_free (self->text);

  G_OBJECT_CLASS (ladle_body_line_parent_class)->finalize (object);
}

static void
ladle_body_line_class_init (LadleBodyLineClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ladle_body_line_finalize;
}

static void
ladle_body_line_init (LadleBodyLine *self)
{
}

const char *
ladle_body_line_get_text (LadleBodyLine *self)
{
  g_return_val_if_fail (LADLE_IS_BODY_LINE (self), NULL);
  return self->text;
}

guint
ladle_body_line_get_position (LadleBodyLine *self)
{
  g_return_val_if_fail (LADLE_IS_BODY_LINE (self), 0);
  return self->position;
}

guint64
ladle_body_line_get_number (LadleBodyLine *self)
{
  g_return_val_if_fail (LADLE_IS_BODY_LINE (self), 0);
  return self->number;
}

guint64
ladle_body_line_get_offset (LadleBodyLine *self)
{
  g_return_val_if_fail (LADLE_IS_BODY_LINE (self), 0);
  return self->offset;
}

gboolean
ladle_body_line_is_continuation (LadleBodyLine *self)
{
  g_return_val_if_fail (LADLE_IS_BODY_LINE (self), FALSE);
  return self->continuation;
}

/* ------------------------------------------------------------------------------------------------
 * LadleLineModel
 */

typedef struct
{
  guint           first;
  guint           n;
  char          **rows;     /* valid UTF-8 */
  LadleLineEntry *entries;  /* text rows: offsets, line numbers */
  guint64         stamp;
} Block;

struct _LadleLineModel
{
  GObject         parent_instance;

  /* Owned references */
  LadleLineIndex *index;     /* text rows */
  GFile          *file;      /* hex rows */
  int             fd;
  guint64         size;

  guint           n_items;
  Block           blocks[N_BLOCKS];
  guint64         clock;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LadleLineModel, ladle_line_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
drop_blocks (LadleLineModel *self)
{
  for (guint i = 0; i < N_BLOCKS; i++)
    {
      g_clear_pointer (&self->blocks[i].rows, g_strfreev);
      g_clear_pointer (&self->blocks[i].entries, g_free);
      self->blocks[i].n = 0;
      self->blocks[i].stamp = 0;
    }
}

static void
ladle_line_model_finalize (GObject *object)
{
  LadleLineModel *self = (LadleLineModel *) object;

  drop_blocks (self);
  g_clear_object (&self->index);
  g_clear_object (&self->file);
  if (self->fd >= 0)
    g_close (self->fd, NULL);

  G_OBJECT_CLASS (ladle_line_model_parent_class)->finalize (object);
}

static void
ladle_line_model_class_init (LadleLineModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ladle_line_model_finalize;
}

static void
ladle_line_model_init (LadleLineModel *self)
{
  self->fd = -1;
}

static char *
make_valid (char *text)
{
  char *valid;

  if (g_utf8_validate (text, -1, NULL))
    return text;
  valid = g_utf8_make_valid (text, -1);
  g_free (text);
  return valid;
}

static char *
format_hex_row (guint64       offset,
                const guint8 *data,
                gsize         len)
{
  GString *out = g_string_sized_new (80);

  ladle_body_append_hex_row (out, offset, data, len);
  return g_string_free (out, FALSE);
}

static char **
read_hex_rows (LadleLineModel *self,
               guint           first,
               guint           n)
{
  guint64 offset = (guint64) first * HEX_WIDTH;
  gsize len = (gsize) MIN ((guint64) n * HEX_WIDTH, self->size - offset);
  g_autofree guint8 *buf = g_malloc (len);
  GPtrArray *rows = g_ptr_array_new ();
  gsize done = 0;

  while (done < len)
    {
      gssize got = pread (self->fd, buf + done, len - done, (off_t) (offset + done));

      if (got < 0 && errno == EINTR)
        continue;
      if (got <= 0)
        break;
      done += (gsize) got;
    }

  for (gsize at = 0; at < done; at += HEX_WIDTH)
    g_ptr_array_add (rows, format_hex_row (offset + at, buf + at, MIN (HEX_WIDTH, done - at)));
  g_ptr_array_add (rows, NULL);

  return (char **) g_ptr_array_free (rows, FALSE);
}

static Block *
get_block (LadleLineModel *self,
           guint           position)
{
  Block *oldest = &self->blocks[0];
  LadleLineEntry *entries = NULL;
  guint first;
  char **rows;

  for (guint i = 0; i < N_BLOCKS; i++)
    {
      Block *block = &self->blocks[i];

      if (block->rows != NULL && position >= block->first && position < block->first + block->n)
        {
          block->stamp = ++self->clock;
          return block;
        }
      if (block->stamp < oldest->stamp)
        oldest = block;
    }

  first = position - position % BLOCK_ROWS;
  if (self->index != NULL)
    {
      rows = ladle_line_index_read_entries (self->index, first, BLOCK_ROWS, &entries, NULL);
      if (rows == NULL)
        return NULL;
      for (guint i = 0; rows[i] != NULL; i++)
        rows[i] = make_valid (rows[i]);
    }
  else
    rows = read_hex_rows (self, first, BLOCK_ROWS);

  g_clear_pointer (&oldest->rows, g_strfreev);
  g_clear_pointer (&oldest->entries, g_free);
  oldest->rows = rows;
  oldest->entries = entries;
  oldest->first = first;
  /* Only rows the model counts: a growing index also returns its unfinished last line, whose
   * text would stay cached, cut short, once refresh() makes it a row */
  oldest->n = MIN (g_strv_length (rows), self->n_items - first);
  oldest->stamp = ++self->clock;

  return position < first + oldest->n ? oldest : NULL;
}

static GType
ladle_line_model_get_item_type (GListModel *model)
{
  return LADLE_TYPE_BODY_LINE;
}

static guint
ladle_line_model_get_n_items (GListModel *model)
{
  return LADLE_LINE_MODEL (model)->n_items;
}

static gpointer
ladle_line_model_get_item (GListModel *model,
                           guint       position)
{
  LadleLineModel *self = LADLE_LINE_MODEL (model);
  LadleBodyLine *line;
  Block *block;

  if (position >= self->n_items)
    return NULL;

  block = get_block (self, position);
  line = g_object_new (LADLE_TYPE_BODY_LINE, NULL);
  line->position = position;
  /* A row that cannot be read shows empty rather than failing the view */
  line->text = g_strdup (block != NULL ? block->rows[position - block->first] : "");
  if (self->index == NULL)
    line->number = line->offset = (guint64) position * HEX_WIDTH;
  else if (block != NULL && block->entries != NULL)
    {
      const LadleLineEntry *entry = &block->entries[position - block->first];

      line->number = entry->line;
      line->offset = entry->offset;
      line->continuation = entry->continuation;
    }

  return line;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = ladle_line_model_get_item_type;
  iface->get_n_items = ladle_line_model_get_n_items;
  iface->get_item = ladle_line_model_get_item;
}

static guint
count_rows (LadleLineModel *self)
{
  guint64 n;

  if (self->index == NULL)
    n = (self->size + HEX_WIDTH - 1) / HEX_WIDTH;
  else
    {
      /* While the index grows its last entry may be an unfinished line: leave it out */
      n = ladle_line_index_get_n_lines (self->index);
      if (n > 0 && !ladle_line_index_is_built (self->index))
        n--;
    }

  return (guint) MIN (n, G_MAXUINT);
}

/**
 * ladle_line_model_new_text:
 * @index: a line index, built or being built
 *
 * Returns: (transfer full): a model of @index's lines
 */
LadleLineModel *
ladle_line_model_new_text (LadleLineIndex *index)
{
  LadleLineModel *self;

  g_return_val_if_fail (LADLE_IS_LINE_INDEX (index), NULL);

  self = g_object_new (LADLE_TYPE_LINE_MODEL, NULL);
  self->index = g_object_ref (index);
  self->n_items = count_rows (self);

  return self;
}

/**
 * ladle_line_model_new_hex:
 * @file: a local file
 * @size: how many of its bytes to show
 * @error: a #GError
 *
 * Returns: (transfer full): a model of 16-byte rows (offset, hex, ASCII), or %NULL
 */
LadleLineModel *
ladle_line_model_new_hex (GFile    *file,
                          guint64   size,
                          GError  **error)
{
  g_autoptr(LadleLineModel) self = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Only local files can be shown"));
      return NULL;
    }

  self = g_object_new (LADLE_TYPE_LINE_MODEL, NULL);
  self->file = g_object_ref (file);
  self->size = size;
  self->fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (self->fd < 0)
    {
      int saved_errno = errno;
      g_autofree char *name = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not open “%s”: %s"), name, g_strerror (saved_errno));
      return NULL;
    }
  self->n_items = count_rows (self);

  return g_steal_pointer (&self);
}

LadleLineIndex *
ladle_line_model_get_index (LadleLineModel *self)
{
  g_return_val_if_fail (LADLE_IS_LINE_MODEL (self), NULL);
  return self->index;
}

gboolean
ladle_line_model_is_hex (LadleLineModel *self)
{
  g_return_val_if_fail (LADLE_IS_LINE_MODEL (self), FALSE);
  return self->index == NULL;
}

/**
 * ladle_line_model_refresh:
 * @self: a #LadleLineModel
 *
 * Adds the rows that the index has gained since the last call (items-changed at the end).
 */
void
ladle_line_model_refresh (LadleLineModel *self)
{
  guint n;

  g_return_if_fail (LADLE_IS_LINE_MODEL (self));

  n = count_rows (self);
  if (n == self->n_items)
    return;

  if (n > self->n_items)
    {
      guint before = self->n_items;

      self->n_items = n;
      g_list_model_items_changed (G_LIST_MODEL (self), before, 0, n - before);
    }
  else
    {
      guint before = self->n_items;

      /* Only a rebuilt index shrinks */
      drop_blocks (self);
      self->n_items = n;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, before, n);
    }
}

char *
ladle_line_model_dup_text (LadleLineModel *self,
                           guint           position)
{
  Block *block;

  g_return_val_if_fail (LADLE_IS_LINE_MODEL (self), NULL);

  if (position >= self->n_items)
    return NULL;
  block = get_block (self, position);
  return block != NULL ? g_strdup (block->rows[position - block->first]) : NULL;
}
