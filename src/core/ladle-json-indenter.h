/* ladle-json-indenter.h
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

/* Deeper documents are refused with LADLE_ERROR_PARSE. */
#define LADLE_JSON_INDENTER_MAX_DEPTH 10000

typedef struct _LadleJsonIndenter LadleJsonIndenter;

typedef void (*LadleJsonIndentProgress) (guint64  done,
                                         gpointer user_data);

LadleJsonIndenter *ladle_json_indenter_new    (guint                     indent);
gboolean           ladle_json_indenter_feed   (LadleJsonIndenter        *self,
                                               const char               *data,
                                               gsize                     len,
                                               GString                  *out,
                                               GError                  **error);
gboolean           ladle_json_indenter_finish (LadleJsonIndenter        *self,
                                               GString                  *out,
                                               GError                  **error);
void               ladle_json_indenter_free   (LadleJsonIndenter        *self);

gboolean           ladle_json_indent_stream   (GInputStream             *in,
                                               GOutputStream            *out,
                                               guint                     indent,
                                               GCancellable             *cancellable,
                                               LadleJsonIndentProgress   progress,
                                               gpointer                  user_data,
                                               GError                  **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LadleJsonIndenter, ladle_json_indenter_free)

G_END_DECLS
