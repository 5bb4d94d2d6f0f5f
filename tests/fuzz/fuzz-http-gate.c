/* fuzz-http-gate.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The server's request-framing gate (ladle-http-gate.c). The first byte picks the size of the
 * pieces the stream arrives in; the rest is what a client sends. Checked beyond "no crash":
 *  - the verdict and the bytes let through do not depend on how the input was cut into pieces;
 *  - what the gate lets through, given to a fresh gate, is let through whole (it only ever passes
 *    framing it would accept again). */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "ladle-http-gate.h"

typedef struct
{
  GString *passed;
  guint    status;
} Outcome;

/* A request that asked for an upgrade is taken as answered without one, as libsoup reading on
 * tells the connection. */
static void
run (const guint8 *data,
     gsize         size,
     gsize         piece,
     Outcome      *out)
{
  g_autoptr(LadleHttpGate) gate = ladle_http_gate_new ();
  g_autoptr(GByteArray) pending = g_byte_array_new ();
  gsize passable = 0;
  gsize offset = 0;

  out->passed = g_string_new (NULL);

  for (;;)
    {
      LadleHttpGateState state = ladle_http_gate_advance (gate, pending, &passable);

      g_string_append_len (out->passed, (const char *) pending->data, passable);
      g_byte_array_remove_range (pending, 0, passable);
      passable = 0;

      if (state == LADLE_HTTP_GATE_REFUSED)
        break;
      if (state == LADLE_HTTP_GATE_WAITING)
        {
          ladle_http_gate_resume (gate);
          continue;
        }
      if (offset >= size)
        break;

      g_byte_array_append (pending, data + offset, MIN (piece, size - offset));
      offset += MIN (piece, size - offset);
    }

  out->status = ladle_http_gate_get_refusal (gate, NULL, NULL, NULL);
}

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  Outcome cut = { 0 };
  Outcome whole = { 0 };
  Outcome again = { 0 };
  gsize piece;

  if (size < 1)
    return 0;

  piece = 1 + data[0] % 97;
  data++;
  size--;

  run (data, size, piece, &cut);
  run (data, size, size > 0 ? size : 1, &whole);

  if (cut.status != whole.status || !g_string_equal (cut.passed, whole.passed))
    abort ();

  run ((const guint8 *) whole.passed->str, whole.passed->len, whole.passed->len + 1, &again);
  if (again.status != 0 || !g_string_equal (again.passed, whole.passed))
    abort ();

  g_string_free (cut.passed, TRUE);
  g_string_free (whole.passed, TRUE);
  g_string_free (again.passed, TRUE);

  return 0;
}
