/* test-cli-import.c
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

#include <string.h>

#include <glib/gstdio.h>

#include "ladle-test-utils.h"

/* `ladle import` (the real executable, LADLE_BIN) on the data files, into a temporary folder. */

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "import", name, NULL);
}

static int
run_import (const char * const  *args,
            char               **out,
            char               **err)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;

  g_strv_builder_add (builder, g_getenv ("LADLE_BIN"));
  g_strv_builder_add (builder, "import");
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);
  return ladle_test_run_command ((const char * const *) argv, NULL, out, err);
}

static void
test_import_all (void)
{
  g_autofree char *tmp = ladle_test_make_tmpdir ("ladle-cli-import-XXXXXX");
  g_autofree char *folder = g_build_filename (tmp, "new", "ws", NULL);
  g_autofree char *postman = data_path ("shop.postman_collection.json");
  g_autofree char *har = data_path ("shop.har");
  g_autofree char *curl = data_path ("requests.curl.txt");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *expected_out = NULL;
  const char *args[] = { postman, har, curl, "--to", folder, NULL };

  /* The folder is created, every file printed, every warning on stderr */
  g_assert_cmpint (run_import (args, &out, &err), ==, 0);
  expected_out = g_strdup_printf ("%s/Users/Users.http\n"
                                  "%s/Users/Admin/Admin.http\n"
                                  "%s/Shop API.http\n"
                                  "%s/http-client.env.json\n"
                                  "%s/shop.http\n"
                                  "%s/requests.curl.http\n",
                                  folder, folder, folder, folder, folder, folder);
  g_assert_cmpstr (out, ==, expected_out);
  g_assert_cmpstr (err, ==,
                   "warning: Users/Create user: the pre-request script was kept as a comment\n"
                   "warning: Users/Create user: the test script was kept as a comment\n"
                   "warning: Users/Create user: Ladle has no dynamic variable {{$randomEmail}}; "
                   "it was kept as written\n"
                   "warning: Digest area: the “digest” authorization was not carried over\n"
                   "warning: POST /upload: the file “avatar.png” of the form field “avatar” is "
                   "not in the HAR file; the request reads “./avatar.png” instead\n"
                   "warning: GET /ws: only HTTP requests are imported; "
                   "“ws://127.0.0.1:8080/ws” was skipped\n");
  g_assert_cmpuint (ladle_test_count_entries (folder), ==, 5);

  /* Once more: new names, nothing overwritten */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    const char *again[] = { har, "--to", folder, NULL };

    g_assert_cmpint (run_import (again, &out, &err), ==, 0);
    g_free (expected_out);
    expected_out = g_strdup_printf ("%s/shop 2.http\n", folder);
    g_assert_cmpstr (out, ==, expected_out);
  }

  ladle_test_rm_rf (tmp);
}

static void
test_failures (void)
{
  g_autofree char *tmp = ladle_test_make_tmpdir ("ladle-cli-import-XXXXXX");
  g_autofree char *bad = g_build_filename (tmp, "bad.json", NULL);
  g_autofree char *folder = g_build_filename (tmp, "out", NULL);
  g_autofree char *curl = data_path ("requests.curl.txt");
  g_autofree char *missing = g_build_filename (tmp, "missing.har", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *expected = NULL;

  g_assert_true (g_file_set_contents (bad, "{\"log\": {\"entries\": [\n  {\"request\": ", -1,
                                      NULL));

  /* A damaged file fails with its place; the good one is still imported */
  {
    const char *args[] = { bad, curl, "--to", folder, NULL };

    g_assert_cmpint (run_import (args, &out, &err), ==, 1);
    expected = g_strdup_printf ("%s/requests.curl.http\n", folder);
    g_assert_cmpstr (out, ==, expected);
    g_assert_true (g_str_has_prefix (err, "ladle import: "));
    g_assert_nonnull (strstr (err, "bad.json:2:"));
    g_assert_nonnull (strstr (err, "Parse error"));
  }

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    const char *args[] = { missing, "--to", folder, NULL };

    g_assert_cmpint (run_import (args, &out, &err), ==, 1);
    g_assert_cmpstr (out, ==, "");
    g_assert_nonnull (strstr (err, "missing.har"));
  }

  /* Usage */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    const char *args[] = { curl, NULL };

    g_assert_cmpint (run_import (args, &out, &err), ==, 2);
    g_assert_cmpstr (err, ==, "ladle import: give the folder to write in with --to FOLDER\n"
                              "Run “ladle import --help” to see the options.\n");
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    const char *args[] = { "--to", folder, NULL };

    g_assert_cmpint (run_import (args, &out, &err), ==, 2);
    g_assert_true (g_str_has_prefix (err, "ladle import: no file to import given\n"));
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    const char *args[] = { "--bogus", NULL };

    g_assert_cmpint (run_import (args, &out, &err), ==, 2);
    g_assert_true (g_str_has_prefix (err, "ladle import: "));
  }

  ladle_test_rm_rf (tmp);
}

static void
test_help (void)
{
  const char *args[] = { "--help", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_import (args, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "ladle import [OPTION…] FILE…"));
  g_assert_nonnull (strstr (out, "--to=FOLDER"));
  g_assert_nonnull (strstr (out, "Postman"));
  g_assert_nonnull (strstr (out, "1 a file could not be imported, 2 usage"));
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  g_test_add_func ("/ladle/cli-import/all-kinds", test_import_all);
  g_test_add_func ("/ladle/cli-import/failures", test_failures);
  g_test_add_func ("/ladle/cli-import/help", test_help);

  return ladle_test_run ();
}
