/* fuzz-cookie-file.c
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

#include "ladle-cookie-file.h"

/* libFuzzer harness for the Netscape cookie file reader and writer. Any input reads without a
 * crash; every warning names the file and a line (or counts the rest); at most
 * LADLE_COOKIE_FILE_MAX_COOKIES cookies come out. What was read, written back, reads again with no
 * warning to the same cookies, and writes again to the same text: the round trip is exact. */

#define MAX_INPUT_SIZE (256 * 1024)

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void G_GNUC_NORETURN
fail (const char *what,
      const char *detail)
{
  fprintf (stderr, "fuzz-cookie-file: %s\n--- %s\n", what, detail != NULL ? detail : "");
  abort ();
}

static GSList *
to_list (GPtrArray *cookies)
{
  GSList *list = NULL;

  for (guint i = cookies->len; i > 0; i--)
    list = g_slist_prepend (list, g_ptr_array_index (cookies, i - 1));
  return list;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) cookies = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) warnings_again = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;
  GSList *list;

  if (size > MAX_INPUT_SIZE)
    return 0;

  cookies = ladle_cookie_file_parse ((const char *) data, size, "f", &warnings);
  if (cookies->len > LADLE_COOKIE_FILE_MAX_COOKIES)
    fail ("too many cookies", NULL);
  if (warnings->len > LADLE_COOKIE_FILE_MAX_WARNINGS + 1)
    fail ("too many warnings", NULL);
  for (guint i = 0; i < warnings->len; i++)
    {
      const char *w = g_ptr_array_index (warnings, i);

      if (!g_str_has_prefix (w, "f:") || !g_utf8_validate (w, -1, NULL))
        fail ("a warning that does not name its place", w);
    }

  list = to_list (cookies);
  text = ladle_cookie_file_format (list);
  g_slist_free (list);

  again = ladle_cookie_file_parse (text, strlen (text), "again", &warnings_again);
  if (warnings_again->len > 0)
    fail ("what Ladle writes does not read back", g_ptr_array_index (warnings_again, 0));

  list = to_list (again);
  text_again = ladle_cookie_file_format (list);
  g_slist_free (list);
  if (strcmp (text, text_again) != 0)
    fail ("the round trip changed the file", text);

  return 0;
}
