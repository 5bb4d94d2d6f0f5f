/* ladle-body-format.h
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

/* Bodies up to this size are shown as text (a GtkSourceView); larger ones by the virtualised
 * viewer, whose cost does not grow with the body. */
#define LADLE_BODY_INLINE_LIMIT  (1024 * 1024)
/* Lines longer than this (bytes) are broken for a text view: GtkTextView lays a line out whole,
 * and that grows with its length (doc/STACK.md §11). */
#define LADLE_BODY_LONG_LINE     (4 * 1024)
/* Binary bodies up to this size are dumped in hexadecimal as text; larger ones by the viewer. */
#define LADLE_BODY_HEX_LIMIT     (64 * 1024)
/* The bytes of a hexadecimal row */
#define LADLE_BODY_HEX_WIDTH     16

typedef enum
{
  LADLE_BODY_SNIFF_TEXT,     /* UTF-8 text (a character cut at the end of a head included) */
  LADLE_BODY_SNIFF_JSON,     /* text said to be JSON (by its type, or by its look when untyped) */
  LADLE_BODY_SNIFF_IMAGE,    /* an image type: try to show it as a picture */
  LADLE_BODY_SNIFF_BINARY,   /* NUL bytes, or not UTF-8: hexadecimal */
} LadleBodySniff;

char           *ladle_body_dup_mime_type   (const char   *content_type);
gboolean        ladle_body_is_json_type    (const char   *content_type);
gboolean        ladle_body_looks_like_json (const guint8 *data,
                                            gsize         len);
gboolean        ladle_body_looks_binary    (const guint8 *data,
                                            gsize         len,
                                            gboolean      complete);
LadleBodySniff  ladle_body_sniff           (const char   *content_type,
                                            const guint8 *data,
                                            gsize         len,
                                            gboolean      complete);

void  ladle_body_append_hex_row     (GString      *out,
                                     guint64       offset,
                                     const guint8 *data,
                                     gsize         len);
char *ladle_body_hex_dump           (const guint8 *data,
                                     gsize         len);
char *ladle_body_break_long_lines   (const char   *text,
                                     gsize         len,
                                     gsize         max_line,
                                     gsize        *out_len,
                                     gboolean     *out_broken);
char *ladle_body_dup_valid_text     (const guint8 *data,
                                     gsize         len,
                                     gsize        *out_len);
char *ladle_body_dup_partial_notice (guint64       shown,
                                     guint64       total);

G_END_DECLS
