/* ladle-body-viewer.h
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

#include <adwaita.h>

G_BEGIN_DECLS

/* Bodies above this size go to the viewer rather than to a GtkSourceView. */
#define LADLE_BODY_VIEWER_THRESHOLD (1024 * 1024)
/* Longer lines are cut into rows of at most this many bytes (continuation rows are marked). */
#define LADLE_BODY_VIEWER_MAX_LINE  2048

typedef enum
{
  LADLE_BODY_VIEWER_PRETTY,   /* JSON re-indented (other bodies show raw) */
  LADLE_BODY_VIEWER_RAW,
  LADLE_BODY_VIEWER_HEX,
} LadleBodyViewerMode;

#define LADLE_TYPE_BODY_VIEWER (ladle_body_viewer_get_type ())

G_DECLARE_FINAL_TYPE (LadleBodyViewer, ladle_body_viewer, LADLE, BODY_VIEWER, AdwBin)

GtkWidget           *ladle_body_viewer_new            (void);
void                 ladle_body_viewer_set_file       (LadleBodyViewer      *self,
                                                       GFile                *file,
                                                       const char           *content_type);
void                 ladle_body_viewer_set_bytes      (LadleBodyViewer      *self,
                                                       GBytes               *bytes,
                                                       const char           *content_type);
void                 ladle_body_viewer_clear          (LadleBodyViewer      *self);
void                 ladle_body_viewer_set_mode       (LadleBodyViewer      *self,
                                                       LadleBodyViewerMode   mode);
LadleBodyViewerMode  ladle_body_viewer_get_mode       (LadleBodyViewer      *self);
gboolean             ladle_body_viewer_get_busy       (LadleBodyViewer      *self);
const char          *ladle_body_viewer_get_notice     (LadleBodyViewer      *self);
void                 ladle_body_viewer_begin_search   (LadleBodyViewer      *self);
void                 ladle_body_viewer_search         (LadleBodyViewer      *self,
                                                       const char           *text);
gboolean             ladle_body_viewer_get_match      (LadleBodyViewer      *self,
                                                       guint64              *out_offset);
void                 ladle_body_viewer_go_to_line     (LadleBodyViewer      *self,
                                                       guint64               line);
void                 ladle_body_viewer_save_to_async  (LadleBodyViewer      *self,
                                                       GFile                *target,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean             ladle_body_viewer_save_to_finish (LadleBodyViewer      *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

G_END_DECLS
