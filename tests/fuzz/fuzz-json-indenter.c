/* fuzz-json-indenter.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The streaming JSON re-indenter (ladle-json-indenter.c), which shows big bodies pretty without
 * building a tree. The first byte picks the size of the pieces it is fed in. Checked:
 *  - the output does not depend on the pieces;
 *  - what it accepts, json-glib accepts too, with the same tree, and the indented output parses
 *    to that same tree.
 * The other way round is not required: json-glib 1.6 accepts more than JSON (comments from one
 * '/' to the next, single-quoted strings, bare identifiers and hex numbers its scanner reads),
 * which the indenter, strict RFC 8259, refuses; and it refuses deeper than 512 levels where the
 * indenter goes to LADLE_JSON_INDENTER_MAX_DEPTH.
 * One documented difference the other way: a lone surrogate escape ("\ud800" without its pair) is
 * JSON by RFC 8259's grammar, and the indenter keeps it as written, but json-glib refuses it, so
 * inputs with surrogate escapes are only checked for the first point. */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "ladle-json.h"
#include "ladle-json-indenter.h"

static char *
indent (const char *data,
        gsize       size,
        gsize       piece)
{
  g_autoptr(LadleJsonIndenter) indenter = ladle_json_indenter_new (2);
  g_autoptr(GString) out = g_string_new (NULL);

  for (gsize offset = 0; offset < size; offset += piece)
    if (!ladle_json_indenter_feed (indenter, data + offset, MIN (piece, size - offset), out, NULL))
      return NULL;

  if (!ladle_json_indenter_finish (indenter, out, NULL))
    return NULL;

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* "\uD800" to "\uDFFF", in any case */
static gboolean
has_surrogate_escape (const char *data,
                      gsize       size)
{
  for (gsize i = 0; i + 3 < size; i++)
    if (data[i] == '\\' && data[i + 1] == 'u' && (data[i + 2] == 'd' || data[i + 2] == 'D') &&
        strchr ("89abcdefABCDEF", data[i + 3]) != NULL && data[i + 3] != '\0')
      return TRUE;
  return FALSE;
}

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *cut = NULL;
  g_autofree char *whole = NULL;
  g_autoptr(JsonNode) input_tree = NULL;
  g_autoptr(JsonNode) output_tree = NULL;
  gsize piece;

  if (size < 1)
    return 0;

  piece = 1 + data[0] % 61;
  data++;
  size--;

  cut = indent ((const char *) data, size, piece);
  whole = indent ((const char *) data, size, size > 0 ? size : 1);
  if ((cut == NULL) != (whole == NULL) || (cut != NULL && strcmp (cut, whole) != 0))
    abort ();

  if (whole == NULL ||
      ladle_json_scan_depth ((const char *) data, size, LADLE_JSON_MAX_DEPTH, NULL) >
      LADLE_JSON_MAX_DEPTH ||
      has_surrogate_escape ((const char *) data, size))
    return 0;

  input_tree = ladle_json_parse ((const char *) data, size, NULL);
  output_tree = ladle_json_parse (whole, -1, NULL);
  if (input_tree == NULL || output_tree == NULL || !json_node_equal (input_tree, output_tree))
    abort ();

  return 0;
}
