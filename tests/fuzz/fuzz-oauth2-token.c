/* fuzz-oauth2-token.c
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

#include "ladle-error.h"
#include "ladle-jwt.h"
#include "ladle-oauth2-private.h"

/* libFuzzer harness for what OAuth 2.0 reads from the network: a token endpoint's answer (the
 * first byte picks the content type and the status, the rest is the body, NUL bytes and all),
 * and the same bytes as a form body or query, as the provider and the loopback listener read
 * them. A token comes with an access token; a refusal has a form that words its message again;
 * a decoded form keeps its bounds; redacting a form never grows its number of fields. */

#define MAX_INPUT_SIZE (2 * 1024 * 1024)

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char * const types[] = {
    "application/json", "application/x-www-form-urlencoded", "text/html", NULL,
  };
  static const guint statuses[] = { 200, 400, 401, 500 };
  g_autoptr(GError) error = NULL;
  g_autoptr(LadleOauth2Token) token = NULL;
  g_autoptr(GHashTable) form = NULL;
  const char *body;
  gsize len;
  guint8 selector;

  if (size < 1 || size > MAX_INPUT_SIZE)
    return 0;
  selector = data[0];
  body = (const char *) data + 1;
  len = size - 1;

  token = _ladle_oauth2_parse_token (statuses[(selector >> 2) & 3], types[selector & 3], body, len,
                                     "scope", 0, &error);
  if (token != NULL)
    {
      g_assert_nonnull (token->access_token);
      g_assert_true (*token->access_token != '\0');
      g_assert_nonnull (token->token_type);
    }
  else
    {
      const char * const *f = ladle_error_get_form (error);
      g_autofree char *words = NULL;

      g_assert_nonnull (f);
      words = ladle_error_format_form (f);
      g_assert_cmpstr (words, ==, error->message);
    }

  form = ladle_form_decode (body, len, NULL);
  if (form != NULL)
    {
      g_autofree char *text = g_strndup (body, len);
      g_autofree char *redacted = NULL;

      g_assert_cmpuint (g_hash_table_size (form), <=, LADLE_FORM_MAX_FIELDS);
      g_assert_cmpuint (len, <=, LADLE_FORM_MAX_SIZE);
      redacted = ladle_oauth2_redact_form (text);
      g_assert_nonnull (redacted);
    }
  return 0;
}
