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
#include "ladle-test-utils.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  guint ours = ladle_json_scan_depth ((const char *) data, size, 0, NULL);

  /* Deeper than this, json-glib itself would be the one at risk in this process */
  if (ours > 2000)
    return 0;

  if (ladle_test_json_glib_reach ((const char *) data, size) > ours)
    abort ();

  return 0;
}
