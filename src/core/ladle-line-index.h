/* ladle-line-index.h
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LADLE_TYPE_LINE_INDEX (ladle_line_index_get_type ())

G_DECLARE_FINAL_TYPE (LadleLineIndex, ladle_line_index, LADLE, LINE_INDEX, GObject)

/* What ladle_line_index_read_entries() tells of each entry besides its text */
typedef struct
{
  guint64  offset;        /* where it starts in the file */
  guint64  line;          /* the 0-based line of the file it belongs to */
  gboolean continuation;  /* the rest of a line cut at max_line bytes */
} LadleLineEntry;

LadleLineIndex  *ladle_line_index_new             (GFile                *file,
                                                   guint                 max_line);
GFile           *ladle_line_index_get_file        (LadleLineIndex       *self);
guint            ladle_line_index_get_max_line    (LadleLineIndex       *self);
void             ladle_line_index_build_async     (LadleLineIndex       *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean         ladle_line_index_build_finish    (LadleLineIndex       *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
gboolean         ladle_line_index_is_built        (LadleLineIndex       *self);
gboolean         ladle_line_index_begin_append    (LadleLineIndex       *self,
                                                   GError              **error);
void             ladle_line_index_append          (LadleLineIndex       *self,
                                                   const char           *data,
                                                   gsize                 len);
void             ladle_line_index_end_append      (LadleLineIndex       *self);
guint64          ladle_line_index_get_n_lines     (LadleLineIndex       *self);
guint64          ladle_line_index_get_size        (LadleLineIndex       *self);
guint64          ladle_line_index_get_line_offset (LadleLineIndex       *self,
                                                   guint64               line);
gboolean         ladle_line_index_is_continuation (LadleLineIndex       *self,
                                                   guint64               line);
guint64          ladle_line_index_line_at_offset  (LadleLineIndex       *self,
                                                   guint64               offset);
guint64          ladle_line_index_get_line_number (LadleLineIndex       *self,
                                                   guint64               entry);
guint64          ladle_line_index_get_entry_for_line (LadleLineIndex    *self,
                                                      guint64            line);
char           **ladle_line_index_read_lines      (LadleLineIndex       *self,
                                                   guint64               first,
                                                   guint                 n,
                                                   GError              **error);
char           **ladle_line_index_read_entries    (LadleLineIndex       *self,
                                                   guint64               first,
                                                   guint                 n,
                                                   LadleLineEntry      **out_entries,
                                                   GError              **error);
void             ladle_line_index_find_async      (LadleLineIndex       *self,
                                                   const char           *needle,
                                                   gboolean              ignore_case,
                                                   guint64               from,
                                                   gboolean              backwards,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean         ladle_line_index_find_finish     (LadleLineIndex       *self,
                                                   GAsyncResult         *result,
                                                   guint64              *out_offset,
                                                   guint64              *out_line,
                                                   GError              **error);
void             ladle_line_index_count_async     (LadleLineIndex       *self,
                                                   const char           *needle,
                                                   gboolean              ignore_case,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean         ladle_line_index_count_finish    (LadleLineIndex       *self,
                                                   GAsyncResult         *result,
                                                   guint64              *out_count,
                                                   GError              **error);

void             ladle_run_in_background_thread   (GTask                *task,
                                                   GTaskThreadFunc       func);

G_END_DECLS
