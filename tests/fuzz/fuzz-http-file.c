/* fuzz-http-file.c
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

#include "ladle-http-file.h"

/* libFuzzer harness for the `.http` parser. Each input is a file's bytes (up to 1 MiB). The parser
 * never fails; its requests lie in order within the text without overlapping, every string of the
 * tree is UTF-8; each request written out by ladle_http_entry_format() reads back as one request
 * that is written out the same (a fixed point); and putting that text in place of the request
 * (ladle_http_file_replace_entry) keeps every other byte of the file. */

#define MAX_INPUT_SIZE (1024 * 1024)

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check_entry (LadleHttpFile  *file,
             guint           index,
             const char     *text,
             gsize           length)
{
  LadleHttpEntry *entry = g_ptr_array_index (ladle_http_file_get_entries (file), index);
  const char *newline = ladle_http_file_get_newline (file);
  g_autofree char *region = ladle_http_entry_format (entry, newline);
  g_autoptr(LadleHttpFile) alone = ladle_http_file_parse (NULL, region, -1);
  g_autoptr(LadleHttpFile) replaced = NULL;
  g_autofree char *again = NULL;
  gsize region_length = strlen (region);
  gsize new_length = 0;
  const char *new_text;
  gsize tail = length - entry->end;

  g_assert_true (g_utf8_validate (entry->method, -1, NULL));
  g_assert_true (g_utf8_validate (entry->url, -1, NULL));
  g_assert_true (g_utf8_validate (region, -1, NULL));

  /* A fixed point */
  g_assert_cmpuint (ladle_http_file_get_entries (alone)->len, ==, 1);
  again = ladle_http_entry_format (g_ptr_array_index (ladle_http_file_get_entries (alone), 0),
                                   newline);
  g_assert_cmpstr (again, ==, region);

  /* Every other byte kept */
  replaced = ladle_http_file_replace_entry (file, index, region);
  new_text = g_bytes_get_data (ladle_http_file_get_text (replaced), &new_length);
  g_assert_cmpuint (new_length, >=, entry->start + region_length + tail);
  g_assert_true (memcmp (new_text, text, entry->start) == 0);
  g_assert_true (memcmp (new_text + entry->start, region, region_length) == 0);
  g_assert_true (memcmp (new_text + new_length - tail, text + entry->end, tail) == 0);
  /* Only a line break may come between (when the region did not end with one). */
  g_assert_cmpuint (new_length - (entry->start + region_length + tail), <=, 2);
  g_assert_cmpuint (ladle_http_file_get_entries (replaced)->len, ==,
                    ladle_http_file_get_entries (file)->len);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(LadleHttpFile) file = NULL;
  GPtrArray *entries;
  gsize previous_end = 0;
  gsize length = 0;
  const char *text;

  if (size > MAX_INPUT_SIZE)
    return 0;

  file = ladle_http_file_parse ("fuzz.http", (const char *) data, size);
  text = g_bytes_get_data (ladle_http_file_get_text (file), &length);
  g_assert_cmpuint (length, ==, size);
  g_assert_true (size == 0 || memcmp (text, data, size) == 0);

  entries = ladle_http_file_get_entries (file);
  for (guint i = 0; i < entries->len; i++)
    {
      LadleHttpEntry *entry = g_ptr_array_index (entries, i);

      g_assert_cmpuint (entry->start, >=, previous_end);
      g_assert_cmpuint (entry->start, <, entry->end);
      g_assert_cmpuint (entry->end, <=, size);
      previous_end = entry->end;
    }

  /* Each request's check parses the whole file again: a few are enough. */
  for (guint i = 0; i < entries->len && i < 8; i++)
    check_entry (file, i, text, length);

  return 0;
}
