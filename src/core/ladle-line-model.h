/* ladle-line-model.h
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

#include "ladle-line-index.h"

G_BEGIN_DECLS

/* One row of a LadleLineModel: what a row widget shows. */
#define LADLE_TYPE_BODY_LINE (ladle_body_line_get_type ())

G_DECLARE_FINAL_TYPE (LadleBodyLine, ladle_body_line, LADLE, BODY_LINE, GObject)

const char *ladle_body_line_get_text         (LadleBodyLine  *self);
guint       ladle_body_line_get_position     (LadleBodyLine  *self);
/* The 0-based line of the file, or the byte offset of a hex row */
guint64     ladle_body_line_get_number       (LadleBodyLine  *self);
/* Where the row starts in the file */
guint64     ladle_body_line_get_offset       (LadleBodyLine  *self);
gboolean    ladle_body_line_is_continuation  (LadleBodyLine  *self);

/* A GListModel of LadleBodyLine over a file: the lines of a LadleLineIndex (which may still be
 * growing: ladle_line_model_refresh() shows the lines added since), or 16-byte hex rows. Rows
 * are read when asked for, in blocks, with a small cache: memory does not grow with the file. */
#define LADLE_TYPE_LINE_MODEL (ladle_line_model_get_type ())

G_DECLARE_FINAL_TYPE (LadleLineModel, ladle_line_model, LADLE, LINE_MODEL, GObject)

LadleLineModel *ladle_line_model_new_text  (LadleLineIndex  *index);
LadleLineModel *ladle_line_model_new_hex   (GFile           *file,
                                            guint64          size,
                                            GError         **error);
/* (nullable): NULL for hex rows */
LadleLineIndex *ladle_line_model_get_index (LadleLineModel  *self);
gboolean        ladle_line_model_is_hex    (LadleLineModel  *self);
void            ladle_line_model_refresh   (LadleLineModel  *self);
/* The text of row @position, read from the file; NULL on a read error */
char           *ladle_line_model_dup_text  (LadleLineModel  *self,
                                            guint            position);

G_END_DECLS
