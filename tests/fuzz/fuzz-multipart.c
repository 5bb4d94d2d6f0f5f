/* fuzz-multipart.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The incremental multipart/form-data parser the upload route streams bodies through. The first
 * byte gives the boundary's length (the boundary follows) and the next the size of the pieces;
 * the rest is the body. Checked: no part data beyond the input, and the same parts (headers' names,
 * data) whatever the pieces. */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "ladle-multipart-parser.h"

typedef struct
{
  GString *log;
  gsize    data_bytes;
} Parts;

static gboolean
on_begin (SoupMessageHeaders  *headers,
          gpointer             user_data,
          GError             **error)
{
  Parts *parts = user_data;
  g_autofree char *field = NULL;
  g_autofree char *filename = NULL;

  ladle_multipart_part_get_names (headers, &field, &filename);
  g_string_append_printf (parts->log, "[%s|%s]", field ? field : "", filename ? filename : "");
  return TRUE;
}

static gboolean
on_data (const guint8  *data,
         gsize          len,
         gpointer       user_data,
         GError       **error)
{
  Parts *parts = user_data;

  if (len == 0)
    abort ();
  parts->data_bytes += len;
  g_string_append_len (parts->log, (const char *) data, len);
  return TRUE;
}

static gboolean
on_end (gpointer   user_data,
        GError   **error)
{
  Parts *parts = user_data;

  g_string_append (parts->log, "[end]");
  return TRUE;
}

static const LadleMultipartCallbacks callbacks = { on_begin, on_data, on_end };

/* Returns the log of parts, with the verdict at its end */
static char *
parse (const char   *boundary,
       const guint8 *body,
       gsize         size,
       gsize         piece)
{
  Parts parts = { g_string_new (NULL), 0 };
  g_autoptr(LadleMultipartParser) parser = ladle_multipart_parser_new (boundary, &callbacks, &parts,
                                                                      NULL);
  gboolean ok = parser != NULL;

  for (gsize offset = 0; ok && offset < size; offset += piece)
    ok = ladle_multipart_parser_feed (parser, body + offset, MIN (piece, size - offset), NULL);
  if (ok)
    ok = ladle_multipart_parser_finish (parser, NULL);

  if (parts.data_bytes > size)
    abort ();

  g_string_append (parts.log, ok ? "|ok" : "|error");
  return g_string_free (parts.log, FALSE);
}

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *boundary = NULL;
  g_autofree char *cut = NULL;
  g_autofree char *whole = NULL;
  gsize boundary_len;
  gsize piece;

  if (size < 2)
    return 0;

  boundary_len = MIN ((gsize) data[0] % 80, size - 2);
  piece = 1 + data[1] % 67;
  boundary = g_strndup ((const char *) data + 2, boundary_len);
  data += 2 + boundary_len;
  size -= 2 + boundary_len;

  cut = parse (boundary, data, size, piece);
  whole = parse (boundary, data, size, size > 0 ? size : 1);
  if (strcmp (cut, whole) != 0)
    abort ();

  return 0;
}
