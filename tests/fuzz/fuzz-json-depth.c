/* fuzz-json-depth.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* ladle_json_scan_depth() guards every json-glib parse of outside text against json-glib's
 * unbounded recursion. Its promise: it never counts fewer levels than json-glib reaches while
 * parsing the same text (json-glib's array/object start and end signals tell how deep it went,
 * also when it fails). */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "ladle-json.h"

typedef struct
{
  guint depth;
  guint max;
} Reach;

static void
on_start (JsonParser *parser,
          Reach      *reach)
{
  reach->depth++;
  reach->max = MAX (reach->max, reach->depth);
}

static void
on_end (JsonParser *parser,
        gpointer    node,
        Reach      *reach)
{
  reach->depth--;
}

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonParser) parser = NULL;
  Reach reach = { 0, 0 };
  guint ours = ladle_json_scan_depth ((const char *) data, size, 0, NULL);

  /* Deeper than this, json-glib itself would be the one at risk in this process */
  if (ours > 2000)
    return 0;

  parser = json_parser_new ();
  g_signal_connect (parser, "array-start", G_CALLBACK (on_start), &reach);
  g_signal_connect (parser, "object-start", G_CALLBACK (on_start), &reach);
  g_signal_connect (parser, "array-end", G_CALLBACK (on_end), &reach);
  g_signal_connect (parser, "object-end", G_CALLBACK (on_end), &reach);
  json_parser_load_from_data (parser, (const char *) data, size, NULL);

  if (reach.max > ours)
    abort ();

  return 0;
}
