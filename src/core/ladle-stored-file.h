/* ladle-stored-file.h
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

#include <glib-object.h>

G_BEGIN_DECLS

#define LADLE_TYPE_STORED_FILE (ladle_stored_file_get_type ())

G_DECLARE_FINAL_TYPE (LadleStoredFile, ladle_stored_file, LADLE, STORED_FILE, GObject)

LadleStoredFile *ladle_stored_file_new                (const char      *path,
                                                       const char      *original_name,
                                                       const char      *field,
                                                       guint64          size,
                                                       const char      *content_type,
                                                       gint64           time);
const char      *ladle_stored_file_get_path           (LadleStoredFile *self);
const char      *ladle_stored_file_get_name           (LadleStoredFile *self);
const char      *ladle_stored_file_get_original_name  (LadleStoredFile *self);
const char      *ladle_stored_file_get_field          (LadleStoredFile *self);
guint64          ladle_stored_file_get_size           (LadleStoredFile *self);
const char      *ladle_stored_file_get_content_type   (LadleStoredFile *self);
gint64           ladle_stored_file_get_time           (LadleStoredFile *self);

G_END_DECLS
