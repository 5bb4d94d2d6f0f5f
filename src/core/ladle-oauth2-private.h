/* ladle-oauth2-private.h
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

#include "ladle-oauth2.h"

G_BEGIN_DECLS

/* The largest token endpoint answer read, in bytes. */
#define LADLE_OAUTH2_MAX_RESPONSE (1024 * 1024)

/* For ladle-error.c: words the forms whose kind starts with "oauth2-". */

/* For the fuzzer and tests: reads a token endpoint's answer. */
LadleOauth2Token *_ladle_oauth2_parse_token   (guint               status,
                                               const char         *content_type,
                                               const char         *data,
                                               gsize               len,
                                               const char         *requested_scope,
                                               gint64              now,
                                               GError            **error);

G_END_DECLS
