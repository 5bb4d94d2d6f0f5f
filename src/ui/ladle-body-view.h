/* ladle-body-view.h
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
#include <gtksourceview/gtksource.h>

G_BEGIN_DECLS

/* Pretty JSON longer than this shows its first part only in the text view. */
#define LADLE_BODY_VIEW_PRETTY_LIMIT (5 * 1024 * 1024)

#define LADLE_TYPE_BODY_VIEW (ladle_body_view_get_type ())

G_DECLARE_FINAL_TYPE (LadleBodyView, ladle_body_view, LADLE, BODY_VIEW, AdwBin)

GtkWidget *ladle_body_view_new            (void);
void       ladle_body_view_set_bytes      (LadleBodyView *self,
                                           GBytes        *bytes,
                                           const char    *content_type,
                                           guint64        total_size);
void       ladle_body_view_set_file       (LadleBodyView *self,
                                           GFile         *file,
                                           const char    *content_type,
                                           guint64        size,
                                           GBytes        *head);
void       ladle_body_view_set_empty_reason (LadleBodyView *self,
                                             const char    *method,
                                             guint          status);
void       ladle_body_view_clear          (LadleBodyView *self);
gboolean   ladle_body_view_get_ready      (LadleBodyView *self);
gboolean   ladle_body_view_get_raw        (LadleBodyView *self);
void       ladle_body_view_set_raw        (LadleBodyView *self,
                                           gboolean       raw);
gboolean   ladle_body_view_get_can_pretty (LadleBodyView *self);
gboolean   ladle_body_view_get_in_viewer  (LadleBodyView *self);
void       ladle_body_view_begin_search   (LadleBodyView *self);

G_END_DECLS
