/* ladle-binary-text.h
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

/* Bytes typed as text: hexadecimal ("de ad be ef", "0xDEADBEEF", "de:ad,be ef") and Base64
 * (standard or URL-safe alphabet, padding optional, whitespace ignored). A parse error is a
 * LADLE_ERROR_PARSE whose message names the place, in characters from 1 ("Character 7: …", or
 * "Line 2, character 5: …" when the text has several lines). */

gboolean  ladle_binary_text_parse_hex     (const char  *text,
                                           gssize       length,
                                           GBytes     **out,
                                           GError     **error);
gboolean  ladle_binary_text_parse_base64  (const char  *text,
                                           gssize       length,
                                           GBytes     **out,
                                           GError     **error);
/* "de ad be ef": lowercase pairs, one space between, as the transcript shows them. */
char     *ladle_binary_text_format_hex    (GBytes      *bytes);
/* The standard alphabet, padded. */
char     *ladle_binary_text_format_base64 (GBytes      *bytes);

G_END_DECLS
