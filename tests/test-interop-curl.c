/* test-interop-curl.c
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

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ladle-test-utils.h"

/* Real curl against a real `ladle serve`: the tutorial's command lines, and the ways a client
 * misbehaves during an upload. */

#define CURL "/usr/bin/curl"

/* --- Shared helper (a copy of test-cli-serve.c's) ------------------------------------------ */


/* --- Fixture --------------------------------------------------------------------------------- */

typedef struct
{
  char  *tmpdir;
  char  *uploads;
  LadleTestServe  serve;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  const char * const *extra_args = data;

  fixture->tmpdir = ladle_test_make_tmpdir ("ladle-interop-curl-XXXXXX");
  fixture->uploads = g_build_filename (fixture->tmpdir, "uploads", NULL);
  g_assert_cmpint (g_mkdir (fixture->uploads, 0755), ==, 0);
  ladle_test_serve_start (&fixture->serve, fixture->uploads, extra_args, NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  ladle_test_serve_stop (&fixture->serve, SIGTERM);
  ladle_test_rm_rf (fixture->tmpdir);
  g_free (fixture->uploads);
  g_free (fixture->tmpdir);
}

/* Writes @size pseudo-random bytes (fixed seed) to @name in the fixture's folder. */
static char *
make_file (Fixture    *fixture,
           const char *name,
           gsize       size)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed ((guint32) size);
  g_autofree guint32 *data = g_new (guint32, size / 4 + 1);
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->tmpdir, name, NULL);

  for (gsize i = 0; i < size / 4 + 1; i++)
    data[i] = g_rand_int (rand);
  g_file_set_contents (path, (const char *) data, size, &error);
  g_assert_no_error (error);
  return path;
}

static void
assert_same_contents (const char *a,
                      const char *b)
{
  g_autofree char *data_a = NULL;
  g_autofree char *data_b = NULL;
  gsize len_a = 0, len_b = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (a, &data_a, &len_a, &error);
  g_assert_no_error (error);
  g_file_get_contents (b, &data_b, &len_b, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (data_a, len_a, data_b, len_b);
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* Runs curl with @args (then the URL of @path on the server); returns curl's exit status. */
static int
curl (Fixture            *fixture,
      const char * const *args,
      const char         *path,
      char              **out_stdout)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autofree char *url = g_strconcat (fixture->serve.url, path, NULL);
  g_autofree char *err = NULL;
  int status;

  g_strv_builder_add_many (builder, CURL, "-sS", "--noproxy", "*", NULL);
  g_strv_builder_addv (builder, (const char **) args);
  g_strv_builder_add (builder, url);
  argv = g_strv_builder_end (builder);

  status = ladle_test_run_command ((const char * const *) argv, NULL, out_stdout, &err);
  if (status != 0)
    g_test_message ("curl exited with %d: %s", status, err);
  return status;
}

static void
on_wait_done (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) data = TRUE;
}

/* --- Tests ----------------------------------------------------------------------------------- */

static void
test_single_file (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *file = make_file (fixture, "random.bin", 1024 * 1024);
  g_autofree char *form = g_strconcat ("file=@", file, NULL);
  g_autofree char *stored = g_build_filename (fixture->uploads, "random.bin", NULL);
  const char *args[] = { "-F", form, NULL };
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *out = NULL;

  g_assert_cmpint (curl (fixture, args, "/upload", &out), ==, 0);
  answer = parse_object (out);
  g_assert_cmpstr (json_object_get_string_member (answer, "filename"), ==, "random.bin");
  g_assert_cmpint (json_object_get_int_member (answer, "size"), ==, 1024 * 1024);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answer, "files")), ==, 1);
  assert_same_contents (file, stored);
  g_assert_cmpuint (ladle_test_count_entries (fixture->uploads), ==, 1);
}

static void
test_several_files (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *x = make_file (fixture, "x.bin", 3000);
  g_autofree char *y = make_file (fixture, "y.bin", 70001);
  g_autofree char *form_a = g_strconcat ("a=@", x, NULL);
  g_autofree char *form_b = g_strconcat ("b=@", y, NULL);
  g_autofree char *stored_x = g_build_filename (fixture->uploads, "x.bin", NULL);
  g_autofree char *stored_y = g_build_filename (fixture->uploads, "y.bin", NULL);
  const char *args[] = { "-F", form_a, "-F", form_b, NULL };
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *out = NULL;
  JsonArray *files;
  JsonObject *file;

  g_assert_cmpint (curl (fixture, args, "/upload", &out), ==, 0);
  answer = parse_object (out);
  files = json_object_get_array_member (answer, "files");
  g_assert_cmpuint (json_array_get_length (files), ==, 2);

  file = json_array_get_object_element (files, 0);
  g_assert_cmpstr (json_object_get_string_member (file, "field"), ==, "a");
  g_assert_cmpstr (json_object_get_string_member (file, "filename"), ==, "x.bin");
  g_assert_cmpint (json_object_get_int_member (file, "size"), ==, 3000);
  file = json_array_get_object_element (files, 1);
  g_assert_cmpstr (json_object_get_string_member (file, "field"), ==, "b");
  g_assert_cmpstr (json_object_get_string_member (file, "filename"), ==, "y.bin");
  g_assert_cmpint (json_object_get_int_member (file, "size"), ==, 70001);

  assert_same_contents (x, stored_x);
  assert_same_contents (y, stored_y);
  g_assert_cmpuint (ladle_test_count_entries (fixture->uploads), ==, 2);
}

static void
test_non_ascii_name (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *file = make_file (fixture, "отчёт.txt", 4321);
  g_autofree char *form = g_strconcat ("file=@", file, NULL);
  g_autofree char *stored = g_build_filename (fixture->uploads, "отчёт.txt", NULL);
  const char *args[] = { "-F", form, NULL };
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *out = NULL;

  g_assert_cmpint (curl (fixture, args, "/upload", &out), ==, 0);
  answer = parse_object (out);
  g_assert_cmpstr (json_object_get_string_member (answer, "filename"), ==, "отчёт.txt");
  g_assert_cmpint (json_object_get_int_member (answer, "size"), ==, 4321);
  assert_same_contents (file, stored);
}

static void
test_hostile_name (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *file = make_file (fixture, "x.bin", 100);
  g_autofree char *form = g_strconcat ("file=@", file, ";filename=../../evil.txt", NULL);
  g_autofree char *stored = g_build_filename (fixture->uploads, "evil.txt", NULL);
  g_autofree char *escaped = g_build_filename (fixture->tmpdir, "..", "evil.txt", NULL);
  const char *args[] = { "-F", form, NULL };
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *out = NULL;

  g_assert_cmpint (curl (fixture, args, "/upload", &out), ==, 0);
  answer = parse_object (out);
  g_assert_cmpstr (json_object_get_string_member (answer, "filename"), ==, "evil.txt");
  assert_same_contents (file, stored);
  g_assert_cmpuint (ladle_test_count_entries (fixture->uploads), ==, 1);
  g_assert_false (g_file_test (escaped, G_FILE_TEST_EXISTS));
}

static void
test_expect_continue_too_large (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *file = make_file (fixture, "big.bin", 1024 * 1024);
  g_autofree char *form = g_strconcat ("file=@", file, NULL);
  const char *args[] = { "-H", "Expect: 100-continue", "-F", form,
                         "-w", "\n%{http_code} %{size_upload}", NULL };
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) fields = NULL;
  guint n;

  g_assert_cmpint (curl (fixture, args, "/upload", &out), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  n = g_strv_length (lines);
  g_assert_cmpuint (n, >=, 2);
  fields = g_strsplit (lines[n - 1], " ", 2);
  g_assert_cmpstr (fields[0], ==, "413");
  /* The server answered before the body: curl sent (next to) nothing of the 1 MiB. */
  g_assert_cmpuint (g_ascii_strtoull (fields[1], NULL, 10), <, 64 * 1024);
  g_assert_nonnull (strstr (lines[0], "\"error\""));
  g_assert_cmpuint (ladle_test_count_entries (fixture->uploads), ==, 0);
}

static void
test_chunked (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *file = make_file (fixture, "chunked.bin", 300 * 1000 + 7);
  g_autofree char *form = g_strconcat ("file=@", file, NULL);
  g_autofree char *stored = g_build_filename (fixture->uploads, "chunked.bin", NULL);
  const char *args[] = { "-H", "Transfer-Encoding: chunked", "-F", form, NULL };
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *out = NULL;

  g_assert_cmpint (curl (fixture, args, "/upload", &out), ==, 0);
  answer = parse_object (out);
  g_assert_cmpstr (json_object_get_string_member (answer, "filename"), ==, "chunked.bin");
  g_assert_cmpint (json_object_get_int_member (answer, "size"), ==, 300 * 1000 + 7);
  assert_same_contents (file, stored);
}

static void
test_disconnect_mid_upload (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *file = make_file (fixture, "slow.bin", 5 * 1000 * 1000);
  g_autofree char *form = g_strconcat ("file=@", file, NULL);
  g_autofree char *url = g_strconcat (fixture->serve.url, "/upload", NULL);
  const char *argv[] = { CURL, "-sS", "--noproxy", "*", "--limit-rate", "100K",
                         "--max-time", "1", "-F", form, url, NULL };
  g_autoptr(GSubprocessLauncher) launcher = ladle_test_new_launcher (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                          G_SUBPROCESS_FLAGS_STDERR_SILENCE, NULL);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  gboolean finished = FALSE;
  gboolean saw_temporary = FALSE;

  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_wait_async (proc, NULL, on_wait_done, &finished);

  /* The upload must really be in progress (a temporary file) before curl gives up. */
  while (!finished)
    {
      saw_temporary |= ladle_test_count_entries (fixture->uploads) > 0;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  g_assert_true (saw_temporary);

  /* 28: operation timed out, i.e. curl gave up mid-body. */
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 28);
  LADLE_TEST_WAIT_UNTIL (ladle_test_count_entries (fixture->uploads) == 0, 5000);
}

static void
test_get_args (Fixture       *fixture,
               gconstpointer  data)
{
  const char *args[] = { NULL };
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *out = NULL;
  g_autofree char *url = g_strconcat (fixture->serve.url, "/get?a=1", NULL);
  JsonObject *query;

  g_assert_cmpint (curl (fixture, args, "/get?a=1", &out), ==, 0);
  answer = parse_object (out);
  query = json_object_get_object_member (answer, "args");
  g_assert_nonnull (query);
  g_assert_cmpstr (json_object_get_string_member (query, "a"), ==, "1");
  g_assert_cmpstr (json_object_get_string_member (answer, "url"), ==, url);
}

static void
test_delay_timeout (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *args[] = { "-m", "2", NULL };
  g_autofree char *out = NULL;
  gint64 start = g_get_monotonic_time ();
  double elapsed;

  g_assert_cmpint (curl (fixture, args, "/delay/5", &out), ==, 28);
  elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_assert_cmpfloat (elapsed, >=, 1.7);
  g_assert_cmpfloat (elapsed, <, 4.0);
  g_assert_cmpstr (out, ==, "");
}

static void
test_missing (void)
{
  g_test_skip ("curl is not installed (" CURL "); Debian package “curl”");
}

int
main (int   argc,
      char *argv[])
{
  static const char * const small_limit[] = { "--max-upload-size", "64K", NULL };

  ladle_test_init (&argc, &argv);

  if (g_getenv ("LADLE_BIN") == NULL)
    g_error ("LADLE_BIN must name the ladle executable (meson test sets it)");

  if (!g_file_test (CURL, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_add_func ("/ladle/interop-curl/missing", test_missing);
      return ladle_test_run ();
    }

#define ADD(path, args, func) \
  g_test_add ("/ladle/interop-curl/" path, Fixture, args, fixture_setup, func, fixture_teardown)

  ADD ("single-file", NULL, test_single_file);
  ADD ("several-files", NULL, test_several_files);
  ADD ("non-ascii-name", NULL, test_non_ascii_name);
  ADD ("hostile-name", NULL, test_hostile_name);
  ADD ("expect-continue-too-large", small_limit, test_expect_continue_too_large);
  ADD ("chunked", NULL, test_chunked);
  ADD ("disconnect-mid-upload", NULL, test_disconnect_mid_upload);
  ADD ("get-args", NULL, test_get_args);
  ADD ("delay-timeout", NULL, test_delay_timeout);

#undef ADD

  return ladle_test_run ();
}
