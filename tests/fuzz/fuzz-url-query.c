/* fuzz-url-query.c
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

#include "ladle-url-query.h"

/* libFuzzer harness for the query split and join under the Params table. Each input is a URL as
 * typed (cut at its first NUL). Splitting and joining gives it back byte for byte; each item's
 * shown text, encoded again and put into a query of its own, stays one item with that name; and
 * what decoding shows is valid UTF-8. */

#define MAX_INPUT_SIZE (256 * 1024)

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *url = NULL;
  g_autoptr(LadleUrlParts) parts = NULL;
  g_autofree char *joined = NULL;

  if (size > MAX_INPUT_SIZE)
    return 0;
  url = g_strndup ((const char *) data, size);

  parts = ladle_url_parts_split (url);
  joined = ladle_url_parts_join (parts);
  g_assert_cmpstr (joined, ==, url);

  for (guint i = 0; i < parts->items->len && i < 64; i++)
    {
      LadleUrlQueryItem *item = g_ptr_array_index (parts->items, i);
      g_autofree char *name = ladle_url_query_decode (item->name);
      g_autofree char *value = ladle_url_query_decode (item->value != NULL ? item->value : "");
      g_autofree char *raw_name = ladle_url_query_encode (name, TRUE);
      g_autofree char *raw_value = ladle_url_query_encode (value, FALSE);
      g_autoptr(LadleUrlParts) again = NULL;
      g_autofree char *query = NULL;

      if (g_utf8_validate (item->name, -1, NULL))
        g_assert_true (g_utf8_validate (name, -1, NULL));
      /* An encoded name holds no "&", "=" or "#" outside {{…}}, so it stays one item: only
       * unbroken text is checked (a {{ without }} in the value could open a span) */
      if (strstr (raw_name, "{{") == NULL && strstr (raw_value, "{{") == NULL &&
          strstr (raw_name, "}}") == NULL)
        {
          query = g_strconcat ("x?", raw_name, "=", raw_value, NULL);
          again = ladle_url_parts_split (query);
          g_assert_cmpuint (again->items->len, ==, 1);
          g_assert_cmpstr (((LadleUrlQueryItem *) g_ptr_array_index (again->items, 0))->name,
                           ==, raw_name);
          g_assert_cmpstr (((LadleUrlQueryItem *) g_ptr_array_index (again->items, 0))->value,
                           ==, raw_value);
        }
    }

  return 0;
}
