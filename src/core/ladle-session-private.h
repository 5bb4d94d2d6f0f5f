/* ladle-session-private.h
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

#include "ladle-session.h"

G_BEGIN_DECLS

/* For tests and fuzzers only. */
GPtrArray *_ladle_session_parse_tabs (const char  *contents,
                                      gsize        length,
                                      guint       *out_selected,
                                      GError     **error);

G_END_DECLS
