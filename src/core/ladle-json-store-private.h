/* ladle-json-store-private.h
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

#include "ladle-json-store.h"

G_BEGIN_DECLS

/* What a load does with a file's text, without the file: for the parse entry points of the
 * stores' owners (tests and fuzzers). */
JsonObject *_ladle_json_store_parse_versioned (const char  *contents,
                                               gsize        length,
                                               guint        max_version,
                                               guint       *out_version,
                                               GError     **error);

G_END_DECLS
