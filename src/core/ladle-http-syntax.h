/* ladle-http-syntax.h
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

#include <glib.h>

G_BEGIN_DECLS

gboolean  ladle_http_is_token            (const char  *text,
                                          gssize       len);
gboolean  ladle_http_check_method        (const char  *method,
                                          GError     **error);
gboolean  ladle_http_check_header_name   (const char  *name,
                                          GError     **error);
gboolean  ladle_http_check_header_value  (const char  *name,
                                          const char  *value,
                                          GError     **error);
gboolean  ladle_http_check_header        (const char  *name,
                                          const char  *value,
                                          GError     **error);
char     *ladle_http_escape_for_display  (const char  *text,
                                          gssize       len,
                                          gsize        max_bytes);
gboolean  ladle_http_host_is_loopback    (const char  *host);

G_END_DECLS
