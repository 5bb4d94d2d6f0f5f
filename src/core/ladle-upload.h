/* ladle-upload.h
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

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#include "ladle-filename.h"

/* The most file parts one upload may carry; more are refused (413) as they arrive. */
#define LADLE_UPLOAD_MAX_FILES 1000

typedef struct _LadleUpload LadleUpload;

LadleUpload *ladle_upload_new               (const char        *dir,
                                             const char        *boundary,
                                             GError           **error);
gboolean     ladle_upload_feed              (LadleUpload       *self,
                                             const guint8      *data,
                                             gsize              len,
                                             GError           **error);
JsonNode    *ladle_upload_finish            (LadleUpload       *self,
                                             LadleNameHints    *hints,
                                             GError           **error);
GListModel  *ladle_upload_list_stored       (LadleUpload       *self);
void         ladle_upload_abort             (LadleUpload       *self);
void         ladle_upload_free              (LadleUpload       *self);
guint        ladle_upload_status_for_error  (const GError      *error);
guint        ladle_upload_sweep             (const char        *dir);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LadleUpload, ladle_upload_free)

G_END_DECLS
