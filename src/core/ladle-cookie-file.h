/* ladle-cookie-file.h
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
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Bounds on what a cookie file may hold: a longer line is skipped (with a warning), and cookies
 * past the count are not read. A larger file is refused. */
#define LADLE_COOKIE_FILE_MAX_LINE     (16 * 1024)
#define LADLE_COOKIE_FILE_MAX_COOKIES  10000
#define LADLE_COOKIE_FILE_MAX_SIZE     ((gsize) 64 * 1024 * 1024)
/* Warnings kept per file; the rest are counted in one last warning. */
#define LADLE_COOKIE_FILE_MAX_WARNINGS 20

GPtrArray *ladle_cookie_file_parse       (const char     *data,
                                          gsize           len,
                                          const char     *display_name,
                                          GPtrArray     **out_warnings);
char      *ladle_cookie_file_format_line (SoupCookie     *cookie);
char      *ladle_cookie_file_format      (GSList         *cookies);
gboolean   ladle_cookie_file_load        (SoupCookieJar  *jar,
                                          const char     *path,
                                          guint          *out_count,
                                          GPtrArray     **out_warnings,
                                          GError        **error);
gboolean   ladle_cookie_file_save        (SoupCookieJar  *jar,
                                          const char     *path,
                                          GError        **error);
gboolean   ladle_cookie_file_write       (const char     *path,
                                          const char     *contents,
                                          gsize           len,
                                          GError        **error);

G_END_DECLS
