/* ladle-json.h
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
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The deepest nesting of arrays and objects Ladle hands to json-glib, whose parser recurses once per
 * level and has no limit of its own. Real documents stay far below it. */
#define LADLE_JSON_MAX_DEPTH 512

guint     ladle_json_scan_depth  (const char  *data,
                                  gsize        len,
                                  guint        stop_above,
                                  gsize       *out_offset);
gboolean  ladle_json_check_depth (const char  *data,
                                  gssize       len,
                                  GError     **error);
gboolean  ladle_json_parser_load (JsonParser  *parser,
                                  const char  *data,
                                  gssize       len,
                                  GError     **error);
JsonNode *ladle_json_parse       (const char  *data,
                                  gssize       len,
                                  GError     **error);

char     *ladle_json_to_pretty   (JsonNode    *root,
                                  gsize       *length);

void      ladle_json_pretty_async  (gpointer             source_object,
                                    GBytes              *bytes,
                                    GFile               *file,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
char     *ladle_json_pretty_finish (GAsyncResult        *result,
                                    GError             **error);

G_END_DECLS
