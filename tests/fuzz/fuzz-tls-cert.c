/* fuzz-tls-cert.c
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

#include "ladle-tls-cert.h"

/* libFuzzer harness for reading a user's certificate and key (`ladle serve --tls-cert/--tls-key`):
 * the input is the certificate's text, a NUL, then the key's text (all of it the certificate when
 * there is no NUL). The parsing is GnuTLS's and GLib's; this checks Ladle's side of it: a pair or
 * an error with a message naming the file, never both, never a crash, and a loaded pair's
 * fingerprint in its form and its PEM without the key. */

#define MAX_INPUT_SIZE (256 * 1024)

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LadleTlsCert) cert = NULL;
  const char *text = (const char *) data;
  const char *nul;
  gsize cert_len, key_offset;

  if (size > MAX_INPUT_SIZE)
    return 0;

  nul = memchr (text, '\0', size);
  cert_len = nul != NULL ? (gsize) (nul - text) : size;
  key_offset = nul != NULL ? cert_len + 1 : 0;

  cert = ladle_tls_cert_load_pem (size > 0 ? text : "", cert_len,
                                  size > 0 ? text + key_offset : "", size - key_offset,
                                  "cert.pem", "key.pem", &error);
  if (cert == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (g_str_has_prefix (error->message, "cert.pem") ||
                     g_str_has_prefix (error->message, "key.pem"));
      return 0;
    }

  g_assert_null (error);
  g_assert_cmpuint (strlen (cert->fingerprint), ==, 32 * 3 - 1);
  g_assert_true (g_str_has_prefix (cert->cert_pem, "-----BEGIN CERTIFICATE-----"));
  g_assert_null (strstr (cert->cert_pem, "PRIVATE KEY"));

  return 0;
}
