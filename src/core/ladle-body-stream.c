/* ladle-body-stream.c
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

#include "ladle-body-stream.h"

/* LadleBodyStream: memory parts and files, read one after the other, so that a multipart body
 * (or a raw file body) is streamed from disk instead of loaded. GInputStream runs read_fn in a
 * worker thread for async reads, so the files are opened and read off the caller's thread. */

typedef struct
{
  GBytes *bytes;
  GFile  *file;
} BodyPart;

static void
body_part_free (gpointer data)
{
  BodyPart *part = data;

  g_clear_pointer (&part->bytes, g_bytes_unref);
  g_clear_object (&part->file);
  g_free (part);
}

struct _LadleBodyStream
{
  GInputStream  parent_instance;

  GPtrArray    *parts;          /* BodyPart* */
  guint         index;
  gsize         offset;         /* in the current memory part */
  GInputStream *current;        /* the open file of the current part */
};

G_DEFINE_FINAL_TYPE (LadleBodyStream, ladle_body_stream, G_TYPE_INPUT_STREAM)

static gssize
ladle_body_stream_read_fn (GInputStream  *stream,
                           void          *buffer,
                           gsize          count,
                           GCancellable  *cancellable,
                           GError       **error)
{
  LadleBodyStream *self = LADLE_BODY_STREAM (stream);

  while (self->index < self->parts->len)
    {
      BodyPart *part = g_ptr_array_index (self->parts, self->index);

      if (part->bytes != NULL)
        {
          gsize len = 0;
          const guint8 *data = g_bytes_get_data (part->bytes, &len);

          if (self->offset < len)
            {
              gsize n = MIN (count, len - self->offset);

              memcpy (buffer, data + self->offset, n);
              self->offset += n;
              return n;
            }
        }
      else
        {
          gssize n;

          if (self->current == NULL)
            {
              self->current = G_INPUT_STREAM (g_file_read (part->file, cancellable, error));
              if (self->current == NULL)
                return -1;
            }

          n = g_input_stream_read (self->current, buffer, count, cancellable, error);
          if (n != 0)
            return n;

          if (!g_input_stream_close (self->current, cancellable, error))
            return -1;
          g_clear_object (&self->current);
        }

      self->index++;
      self->offset = 0;
    }

  return 0;
}

static gboolean
ladle_body_stream_close_fn (GInputStream  *stream,
                            GCancellable  *cancellable,
                            GError       **error)
{
  LadleBodyStream *self = LADLE_BODY_STREAM (stream);

  if (self->current != NULL)
    {
      g_autoptr(GInputStream) current = g_steal_pointer (&self->current);

      return g_input_stream_close (current, cancellable, error);
    }

  return TRUE;
}

static void
ladle_body_stream_finalize (GObject *object)
{
  LadleBodyStream *self = LADLE_BODY_STREAM (object);

  g_clear_object (&self->current);
  g_clear_pointer (&self->parts, g_ptr_array_unref);

  G_OBJECT_CLASS (ladle_body_stream_parent_class)->finalize (object);
}

static void
ladle_body_stream_class_init (LadleBodyStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = ladle_body_stream_finalize;
  stream_class->read_fn = ladle_body_stream_read_fn;
  stream_class->close_fn = ladle_body_stream_close_fn;
}

static void
ladle_body_stream_init (LadleBodyStream *self)
{
  self->parts = g_ptr_array_new_with_free_func (body_part_free);
}

void
ladle_body_stream_add_bytes (LadleBodyStream *self,
                       GBytes          *bytes)
{
  BodyPart *part = g_new0 (BodyPart, 1);

  part->bytes = g_bytes_ref (bytes);
  g_ptr_array_add (self->parts, part);
}

void
ladle_body_stream_add_string (LadleBodyStream *self,
                        GString         *string)
{
  g_autoptr(GBytes) bytes = g_bytes_new (string->str, string->len);

  ladle_body_stream_add_bytes (self, bytes);
}

void
ladle_body_stream_add_file (LadleBodyStream *self,
                      GFile           *file)
{
  BodyPart *part = g_new0 (BodyPart, 1);

  part->file = g_object_ref (file);
  g_ptr_array_add (self->parts, part);
}

/**
 * ladle_body_stream_new:
 *
 * Returns: (transfer full): an empty stream; add its parts before the first read
 */
LadleBodyStream *
ladle_body_stream_new (void)
{
  return g_object_new (LADLE_TYPE_BODY_STREAM, NULL);
}
