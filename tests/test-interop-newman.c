/* test-interop-newman.c
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
#include <json-glib/json-glib.h>

#include "ladle-test-utils.h"

/* A Postman Collection v2.1 with every body kind (tests/data/interop/), run by newman 6 (npm,
 * Postman's own runner) and, imported by `ladle import`, by `ladle run`, against one in-process
 * LadleServer on 127.0.0.1: the server must see the same requests (request line, the headers the
 * collection sets, body bytes; multipart boundaries compared as "BOUNDARY"), and every status
 * check must pass on both sides. The runners order folders differently (newman walks the tree,
 * `ladle run` the files by name), so the requests are compared as sorted lists. */

/* What each client adds of its own: newman's Postman-Token and Cache-Control too. */
static const char * const ignored_headers[] = {
  "user-agent", "accept-encoding", "connection", "host", "content-length", "postman-token",
  "cache-control", NULL
};

typedef struct
{
  LadleTestLogServer *server;
  char               *tmpdir;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *uploads = NULL;

  fixture->tmpdir = ladle_test_make_tmpdir ("ladle-interop-newman-XXXXXX");
  uploads = g_build_filename (fixture->tmpdir, "uploads", NULL);
  /* newman exits only once the server has closed the connection it keeps alive: 2 s here, not
   * the default 60 */
  fixture->server = ladle_test_log_server_new (uploads, 1.0);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  ladle_test_log_server_free (fixture->server);
  ladle_test_rm_rf (fixture->tmpdir);
  g_free (fixture->tmpdir);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* One request as text, its multipart boundary (if any) replaced by "BOUNDARY". */
static char *
describe_one (const LadleTestLogged *logged)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (logged->body, &size);
  g_autofree char *escaped = ladle_test_escape_bytes (data, size);
  g_autofree char *listed = ladle_test_logged_headers (logged, ignored_headers);
  g_autoptr(GString) headers = g_string_new ("\n");
  g_autoptr(GString) body = g_string_new (escaped);
  const char *boundary;

  /* newman's default Accept; Ladle sends none */
  g_string_append (headers, listed);
  g_string_replace (headers, "\naccept: */*\n", "\n", 0);
  boundary = strstr (headers->str, "boundary=");
  if (boundary != NULL)
    {
      g_autofree char *value = g_strndup (boundary + 9, strcspn (boundary + 9, "\n;"));

      g_string_replace (headers, value, "BOUNDARY", 0);
      g_string_replace (body, value, "BOUNDARY", 0);
    }

  /* newman ends a multipart body with a line break after the closing delimiter; httpyac, and so
   * a `.http` file's body, does not (RFC 2046 makes it optional) */
  if (g_str_has_suffix (body->str, "--BOUNDARY--\\r\\n"))
    g_string_truncate (body, body->len - 4);

  return g_strdup_printf ("%s %s\n%sbody: %s\n", logged->method, logged->path,
                          headers->str + 1, body->str);
}

/* Runs @argv in the fixture's folder; returns the requests the server saw meanwhile, as sorted
 * text. */
static char *
run_and_describe (Fixture            *fixture,
                  const char * const *argv,
                  guint              *out_count,
                  char              **out_stdout)
{
  GPtrArray *log = ladle_test_log_server_get_log (fixture->server);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *joined = g_strjoinv (" ", (char **) argv);
  GString *text = g_string_new (NULL);

  g_ptr_array_set_size (log, 0);
  g_assert_cmpint (g_chdir (fixture->tmpdir), ==, 0);
  ladle_test_run_command (argv, (const char * const []) { "NO_COLOR", "1", NULL }, &out, &err);
  g_assert_cmpint (g_chdir (cwd), ==, 0);
  g_test_message ("%s\nstdout:\n%s\nstderr:\n%s", joined, out, err);
  ladle_test_log_server_settle (fixture->server);

  for (guint i = 0; i < log->len; i++)
    g_ptr_array_add (texts, describe_one (g_ptr_array_index (log, i)));
  g_ptr_array_sort (texts, compare_strings);
  for (guint i = 0; i < texts->len; i++)
    g_string_append_printf (text, "%s\n", (const char *) g_ptr_array_index (texts, i));

  *out_count = log->len;
  if (out_stdout != NULL)
    *out_stdout = g_steal_pointer (&out);
  return g_string_free (text, FALSE);
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  g_file_get_contents (from, &contents, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (to, contents, length, &error);
  g_assert_no_error (error);
}

static void
test_every_body (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *peers = g_getenv ("LADLE_NPM_PEERS");
  g_autofree char *newman = g_build_filename (peers != NULL ? peers : "", ".bin", "newman", NULL);
  g_autofree char *source = g_test_build_filename (G_TEST_DIST, "data", "interop", NULL);
  g_autofree char *files = g_build_filename (fixture->tmpdir, "files", NULL);
  g_autofree char *var = g_strdup_printf ("baseUrl=%s",
                                          ladle_test_log_server_get_url (fixture->server));
  g_autofree char *newman_out = NULL;
  g_autofree char *ladle_out = NULL;
  g_autofree char *theirs_text = NULL;
  g_autofree char *ours_text = NULL;
  guint n_theirs = 0, n_ours = 0;
  const char *names[] = { "every-body.postman_collection.json", "files/hello.txt",
                          "files/blob.bin", NULL };

  if (peers == NULL || !g_file_test (newman, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("newman is not installed (%s): run tools/deps.sh test", newman);

  g_assert_cmpint (g_mkdir_with_parents (files, 0755), ==, 0);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *from = g_build_filename (source, names[i], NULL);
      g_autofree char *to = g_build_filename (fixture->tmpdir, names[i], NULL);

      copy_file (from, to);
    }

  theirs_text = run_and_describe (fixture, (const char * const []) {
                              newman, "run", "every-body.postman_collection.json",
                              "--env-var", var, "--working-dir", fixture->tmpdir,
                              "--reporters", "cli", "--color", "off", NULL }, &n_theirs,
                                  &newman_out);
  g_assert_nonnull (strstr (newman_out, "assertions"));
  g_assert_null (strstr (newman_out, "AssertionError"));

  {
    g_autofree char *collection = g_build_filename (fixture->tmpdir,
                                                    "every-body.postman_collection.json", NULL);
    g_autofree char *imported = g_build_filename (fixture->tmpdir, "imported", NULL);

    g_assert_cmpint (ladle_test_run_command ((const char * const []) {
                                               g_getenv ("LADLE_BIN"), "import", collection,
                                               "--to", imported, NULL },
                                             /* the system's MIME database, as a user has it
                                              * (GLib's test set-up hides it) */
                                             (const char * const []) {
                                               "XDG_DATA_DIRS", "/usr/local/share:/usr/share",
                                               NULL },
                                             NULL, NULL), ==, 0);
  }
  ours_text = run_and_describe (fixture, (const char * const []) {
                                  g_getenv ("LADLE_BIN"), "run", "--var", var, "imported", NULL },
                                &n_ours, &ladle_out);
  g_assert_nonnull (strstr (ladle_out, "10 requests: 10 passed, 0 failed, 0 errors, 0 skipped"));

  g_assert_cmpuint (n_theirs, ==, 10);
  g_assert_cmpstr (ours_text, ==, theirs_text);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  g_test_add ("/ladle/interop-newman/every-body", Fixture, NULL, fixture_setup, test_every_body,
              fixture_teardown);

  return ladle_test_run ();
}
