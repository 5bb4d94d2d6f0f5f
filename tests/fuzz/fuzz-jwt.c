/* fuzz-jwt.c
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
#include <string.h>

#include "ladle-jwt.h"

/* libFuzzer harness for what Ladle reads of JSON Web Tokens (cut at the first NUL): the three
 * parts, their base64url and JSON, and the RS256 check against a fixed key set (whose key never
 * signed anything, so nothing may verify). Each part that decodes as base64url encodes back to
 * the same bytes. */

#define MAX_INPUT_SIZE (128 * 1024)

/* A 512-bit RSA modulus (too short to be a real key: only the parsing is fuzzed) */
static const char jwks_text[] =
  "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k1\",\"e\":\"AQAB\",\"n\":\"wt4ho9eR2KmQdOV0s8Y-Cq"
  "1Kq2rWm4HQUsmjDpEnLWg5uYqqsXeHC1rkH1vJ3NtE5B6Mz8Z5jcyNaBvnQ-hIQw\"},"
  "{\"kty\":\"EC\"},7]}";

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonObject) header = NULL;
  g_autoptr(JsonObject) claims = NULL;
  g_autoptr(GBytes) bytes = NULL;
  JsonObject *jwks;

  if (size > MAX_INPUT_SIZE)
    return 0;
  text = g_strndup ((const char *) data, size);

  if (ladle_jwt_decode (text, &header, &claims, NULL))
    {
      g_assert_nonnull (header);
      g_assert_nonnull (claims);
    }

  g_assert_true (json_parser_load_from_data (parser, jwks_text, -1, NULL));
  jwks = json_node_get_object (json_parser_get_root (parser));
  g_assert_false (ladle_jwt_verify (text, jwks, NULL, NULL));

  bytes = ladle_base64url_decode (text, -1, NULL);
  if (bytes != NULL && strchr (text, '=') == NULL)
    {
      g_autofree char *again = ladle_base64url_encode (g_bytes_get_data (bytes, NULL),
                                                       g_bytes_get_size (bytes));
      g_autoptr(GBytes) twice = ladle_base64url_decode (again, -1, NULL);

      g_assert_nonnull (twice);
      g_assert_true (g_bytes_equal (bytes, twice));
    }
  return 0;
}
