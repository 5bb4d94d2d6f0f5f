/* fuzz-curl.c
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
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ladle-curl.h"
#include "ladle-error.h"

/* libFuzzer harness for cURL import and export. Each input is a command line. When it imports,
 * its export must import again to the same request (method, URL, headers in order, body kind and
 * content, auth, options) with no warning, and export again to the same command: the round trip
 * is exact. An input that does not import must fail with a LADLE_ERROR, never crash.
 *
 * "The same URL" is the URL as sent: the effective URL (export writes it, parameters merged) or,
 * when the URL is not valid, the URL as typed with the parameters appended as export appends them.
 *
 * The import reads the file of "-F name=<file"; a fuzzer must touch no file outside its own
 * folder, so this harness provides g_file_query_info() itself (the import asks it before it opens
 * anything) and answers that no file can be read: the import then warns and goes on. */

#define MAX_INPUT_SIZE (64 * 1024)

GFileInfo *
g_file_query_info (GFile                *file,
                   const char           *attributes,
                   GFileQueryInfoFlags   flags,
                   GCancellable         *cancellable,
                   GError              **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                       "the fuzzing harness reads no files");
  return NULL;
}

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *module_dir = g_dir_make_tmp ("fuzz-curl-XXXXXX", &error);

  /* GIO loads no module (no GVfs, no D-Bus): they would come from an empty private folder, which
   * is gone once GIO has looked into it. */
  g_assert_no_error (error);
  g_setenv ("GIO_USE_VFS", "local", TRUE);
  g_setenv ("GIO_MODULE_DIR", module_dir, TRUE);
  g_vfs_get_default ();
  g_rmdir (module_dir);
  return 0;
}

/* The URL as it would be sent, see above. */
/* Everything the request holds, as JSON, with the URL as sent (so parameters and the URL's query
 * compare equal) and -0 seconds as 0. */
static char *
describe (LadleRequest *request)
{
  g_autoptr(LadleRequest) copy = ladle_request_copy (request);
  g_autofree char *url = ladle_request_dup_url_as_typed (request);
  g_autoptr(JsonNode) node = NULL;

  ladle_request_set_url (copy, url);
  g_list_store_remove_all (ladle_request_get_params (copy));
  ladle_request_set_connect_timeout (copy, ladle_request_get_connect_timeout (copy) + 0.0);
  ladle_request_set_idle_timeout (copy, ladle_request_get_idle_timeout (copy) + 0.0);
  ladle_request_set_total_timeout (copy, ladle_request_get_total_timeout (copy) + 0.0);
  node = ladle_request_to_json (copy);
  return json_to_string (node, TRUE);
}

static void G_GNUC_NORETURN
fail (const char *what,
      const char *command,
      const char *exported,
      const char *detail)
{
  fprintf (stderr, "fuzz-curl: %s\n--- command:\n%s\n--- export:\n%s\n--- %s\n", what, command,
           exported != NULL ? exported : "(none)", detail != NULL ? detail : "");
  abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *command = NULL;
  g_autofree char *exported = NULL;
  g_autofree char *exported_again = NULL;
  g_autofree char *first_text = NULL;
  g_autofree char *second_text = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GPtrArray) warnings_again = NULL;
  g_autoptr(LadleRequest) first = NULL;
  g_autoptr(LadleRequest) second = NULL;
  g_autoptr(GError) error = NULL;

  if (size > MAX_INPUT_SIZE)
    return 0;

  /* A command line has no NUL byte: what follows one is not part of it. */
  command = g_strndup ((const char *) data, size);

  first = ladle_curl_parse (command, &warnings, &error);
  if (first == NULL)
    {
      if (error == NULL || error->domain != LADLE_ERROR)
        fail ("import failed without a LADLE_ERROR", command, NULL, NULL);
      return 0;
    }

  exported = ladle_curl_export (first, &error);
  if (exported == NULL)
    fail ("export refused an imported request", command, NULL, error->message);
  if (strchr (exported, '\n') != NULL)
    fail ("export wrote more than one line", command, exported, NULL);

  second = ladle_curl_parse (exported, &warnings_again, &error);
  if (second == NULL)
    fail ("the export does not import", command, exported, error->message);
  if (warnings_again->len > 0)
    fail ("the export imports with a warning", command, exported,
          g_ptr_array_index (warnings_again, 0));

  first_text = describe (first);
  second_text = describe (second);
  if (strcmp (first_text, second_text) != 0)
    {
      g_autofree char *both = g_strdup_printf ("first import:\n%s\nsecond import:\n%s",
                                               first_text, second_text);

      fail ("the round trip changed the request", command, exported, both);
    }

  exported_again = ladle_curl_export (second, &error);
  if (exported_again == NULL || strcmp (exported, exported_again) != 0)
    fail ("the export is not stable", command, exported, exported_again);

  return 0;
}
