/* fuzz-digest.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "ladle-digest.h"
#include "ladle-error.h"

/* libFuzzer harness for the Digest client: each input is a WWW-Authenticate value (up to its
 * first NUL). The parser may refuse it, but never crash or read past it; a challenge it accepts
 * must give an Authorization header that has no line break and answers the same nonce. */

#define MAX_INPUT_SIZE (LADLE_DIGEST_MAX_HEADER + 64)

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

G_GNUC_NORETURN static void
fail (const char *what,
      const char *input)
{
  g_autofree char *escaped = g_strescape (input, NULL);

  fprintf (stderr, "fuzz-digest: %s\n  input: \"%s\"\n", what, escaped);
  abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LadleDigest) digest = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *header = NULL;

  if (size > MAX_INPUT_SIZE)
    return 0;
  text = g_strndup ((const char *) data, size);
  body = g_bytes_new (data, size);

  digest = ladle_digest_new (text, size % 2 == 0, &error);
  if (digest == NULL)
    {
      if (error == NULL || error->domain != LADLE_ERROR || error->message[0] == '\0')
        fail ("refused without a Ladle error", text);
      if (!g_utf8_validate (error->message, -1, NULL))
        fail ("an error message that is not UTF-8", text);
      return 0;
    }
  if (error != NULL)
    fail ("a challenge and an error", text);

  header = ladle_digest_dup_authorization (digest, "user", "pass", "POST", "/a?b", body);
  if (strchr (header, '\r') != NULL || strchr (header, '\n') != NULL)
    fail ("a line break in the Authorization header", text);
  if (!g_str_has_prefix (header, "Digest username="))
    fail ("an Authorization header that is not Digest", text);
  if (ladle_digest_get_nonce (digest) == NULL || ladle_digest_get_realm (digest) == NULL)
    fail ("a challenge without nonce or realm", text);

  return 0;
}
