/* test-temp-files.c
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
#include <sys/wait.h>
#include <unistd.h>
#include <utime.h>

#include <glib/gstdio.h>

#include "ladle-temp-files.h"
#include "ladle-test-utils.h"

/* Ladle's temporary files: named after their process, registered, deleted at the end, and swept
 * after a crash only when their process is gone (never another running instance's files, nor
 * anything that is not a regular file of the user's named as Ladle names them). */

static char *
write_file (const char *dir,
            const char *name,
            time_t      mtime)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, "left over", -1, NULL));
  if (mtime != 0)
    {
      struct utimbuf times = { mtime, mtime };

      g_assert_cmpint (utime (path, &times), ==, 0);
    }
  return path;
}

static gboolean
exists_in (const char *dir,
           const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  GStatBuf st;

  return g_lstat (path, &st) == 0;
}

/* A process number that is no one's any more */
static guint
dead_pid (void)
{
  pid_t child = fork ();
  int status = 0;

  if (child == 0)
    _exit (0);
  g_assert_cmpint (child, >, 0);
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  return (guint) child;
}

static void
test_names (void)
{
  g_autofree char *template = ladle_temp_file_dup_template ("pretty", ".json");
  g_autofree char *expected = g_strdup_printf ("ladle-%d-pretty-XXXXXX.json", (int) getpid ());
  gboolean legacy = TRUE;
  guint pid = 0;

  g_assert_cmpstr (template, ==, expected);

  g_assert_true (ladle_temp_file_parse_name ("ladle-1234-body-a1B2c3", &pid, &legacy));
  g_assert_cmpuint (pid, ==, 1234);
  g_assert_false (legacy);
  g_assert_true (ladle_temp_file_parse_name (".ladle-77-pretty-Zz9Yy8.json", &pid, &legacy));
  g_assert_cmpuint (pid, ==, 77);
  g_assert_true (ladle_temp_file_parse_name ("ladle-body-a1B2c3", &pid, &legacy));
  g_assert_true (legacy);
  g_assert_cmpuint (pid, ==, 0);
  g_assert_true (ladle_temp_file_parse_name (".ladle-pretty-a1B2c3.json", NULL, &legacy));
  g_assert_true (legacy);
  g_assert_true (ladle_temp_file_parse_name ("ladle-pretty-a1B2c3.json", NULL, NULL));

  /* Not Ladle's, or not a kind of temporary file */
  g_assert_false (ladle_temp_file_parse_name ("ladle-1234-notes-a1B2c3", NULL, NULL));
  g_assert_false (ladle_temp_file_parse_name ("ladle-1234-body-", NULL, NULL));
  g_assert_false (ladle_temp_file_parse_name ("ladle-0-body-a1B2c3", NULL, NULL));
  g_assert_false (ladle_temp_file_parse_name ("ladle-99999999999-body-a1B2c3", NULL, NULL));
  g_assert_false (ladle_temp_file_parse_name ("ladle-ui-test-a1B2c3", NULL, NULL));
  g_assert_false (ladle_temp_file_parse_name ("ladle-body-a1B2c3.txt", NULL, NULL));
  g_assert_false (ladle_temp_file_parse_name (".ladle-body-a1B2c3", NULL, NULL));
  g_assert_false (ladle_temp_file_parse_name ("xladle-1-body-a1B2c3", NULL, NULL));
  g_assert_false (ladle_temp_file_parse_name (".ladle-upload-12-a1B2c3.part", NULL, NULL));
  g_assert_false (ladle_temp_file_parse_name ("", NULL, NULL));
}

static void
test_sweep (void)
{
  g_autofree char *dir = ladle_test_make_tmpdir ("ladle-temp-files-XXXXXX");
  g_autofree char *target = NULL;
  g_autofree char *link = NULL;
  g_autofree char *subdir = NULL;
  guint dead = dead_pid ();
  g_autofree char *dead_body = g_strdup_printf ("ladle-%u-body-a1b2c3", dead);
  g_autofree char *dead_pretty = g_strdup_printf (".ladle-%u-pretty-d4e5f6.json", dead);
  g_autofree char *dead_other = g_strdup_printf ("ladle-%u-notes-a1b2c3", dead);
  g_autofree char *dead_link = g_strdup_printf ("ladle-%u-body-linked", dead);
  g_autofree char *dead_dir = g_strdup_printf ("ladle-%u-body-folder", dead);
  g_autofree char *own = g_strdup_printf ("ladle-%d-body-g7h8i9", (int) getpid ());
  g_autofree char *parent = g_strdup_printf ("ladle-%d-pretty-g7h8i9.json", (int) getppid ());
  time_t now = time (NULL);

  g_free (write_file (dir, dead_body, 0));
  g_free (write_file (dir, dead_pretty, 0));
  g_free (write_file (dir, dead_other, 0));
  g_free (write_file (dir, own, 0));
  g_free (write_file (dir, parent, 0));
  g_free (write_file (dir, "ladle-body-Xy12Ab", 0));
  g_free (write_file (dir, ".ladle-pretty-Zz98Yy.json", now - 3 * 24 * 3600));
  g_free (write_file (dir, "ladle-pretty-Qq98Yy.json", now - 3600));
  /* PID 1 runs, but started long after 1970: that number was someone else's */
  g_free (write_file (dir, "ladle-1-body-reused", 1000));
  /* The parent runs and started before its file was written: its file stays, however old */
  target = write_file (dir, "target.txt", 0);
  link = g_build_filename (dir, dead_link, NULL);
  g_assert_cmpint (symlink (target, link), ==, 0);
  subdir = g_build_filename (dir, dead_dir, NULL);
  g_assert_cmpint (g_mkdir (subdir, 0700), ==, 0);

  g_assert_cmpuint (ladle_temp_files_sweep (dir, NULL), ==, 4);

  g_assert_false (exists_in (dir, dead_body));
  g_assert_false (exists_in (dir, dead_pretty));
  g_assert_false (exists_in (dir, ".ladle-pretty-Zz98Yy.json"));
  g_assert_false (exists_in (dir, "ladle-1-body-reused"));
  /* Running processes' files, fresh legacy files, other names, links and folders stay */
  g_assert_true (exists_in (dir, own));
  g_assert_true (exists_in (dir, parent));
  g_assert_true (exists_in (dir, "ladle-body-Xy12Ab"));
  g_assert_true (exists_in (dir, "ladle-pretty-Qq98Yy.json"));
  g_assert_true (exists_in (dir, dead_other));
  g_assert_true (exists_in (dir, dead_link));
  g_assert_true (exists_in (dir, dead_dir));
  g_assert_true (g_file_test (target, G_FILE_TEST_IS_REGULAR));

  /* Nothing more the second time */
  g_assert_cmpuint (ladle_temp_files_sweep (dir, NULL), ==, 0);
  ladle_test_rm_rf (dir);
}

static void
sweep_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  guint *removed = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (ladle_temp_files_sweep_finish (result, removed, &error));
  g_assert_no_error (error);
}

static void
test_sweep_async (void)
{
  g_autofree char *dir = ladle_test_make_tmpdir ("ladle-temp-files-XXXXXX");
  g_autofree char *dead_body = g_strdup_printf ("ladle-%u-body-a1b2c3", dead_pid ());
  guint removed = G_MAXUINT;

  g_free (write_file (dir, dead_body, 0));
  ladle_temp_files_sweep_async (dir, NULL, sweep_done, &removed);
  LADLE_TEST_WAIT_UNTIL (removed != G_MAXUINT, 5000);
  g_assert_cmpuint (removed, ==, 1);
  g_assert_false (exists_in (dir, dead_body));
  ladle_test_rm_rf (dir);
}

/* Files made through the registry, and files of this process's that it lost track of, go at the
 * end; files deleted by their owners leave nothing behind */
static void
test_registry (void)
{
  g_autofree char *dir = ladle_test_make_tmpdir ("ladle-temp-files-XXXXXX");
  g_autofree char *own_prefix = g_strdup_printf ("ladle-%d-", (int) getpid ());
  g_autofree char *lost = g_strdup_printf ("ladle-%d-body-l0st00", (int) getpid ());
  g_autofree char *lost_path = NULL;
  g_autoptr(GFile) kept = NULL;
  g_autoptr(GFile) hidden = NULL;
  g_autoptr(GFile) deleted = NULL;
  g_autoptr(GFile) added = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *hidden_name = NULL;
  g_autofree char *added_path = NULL;
  g_autofree char *renamed_path = NULL;
  g_autoptr(GFile) renamed = NULL;
  GStatBuf st;
  int fd = -1;

  kept = ladle_temp_file_create (NULL, FALSE, "body", NULL, &fd, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, "abc", 3), ==, 3);
  g_close (fd, NULL);
  name = g_file_get_basename (kept);
  g_assert_true (g_str_has_prefix (name, own_prefix));
  g_assert_cmpint (g_stat (g_file_peek_path (kept), &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_str_has_prefix (g_file_peek_path (kept), g_get_tmp_dir ()));

  hidden = ladle_temp_file_create (dir, TRUE, "pretty", ".json", NULL, &error);
  g_assert_no_error (error);
  hidden_name = g_file_get_basename (hidden);
  g_assert_true (g_str_has_prefix (hidden_name, "."));
  g_assert_true (g_str_has_suffix (hidden_name, ".json"));
  g_assert_true (ladle_temp_file_parse_name (hidden_name, NULL, NULL));

  deleted = ladle_temp_file_create (dir, FALSE, "body", NULL, NULL, &error);
  g_assert_no_error (error);
  ladle_temp_file_delete (deleted);
  g_assert_false (g_file_query_exists (deleted, NULL));

  added_path = g_build_filename (dir, "ladle-added-by-hand", NULL);
  g_assert_true (g_file_set_contents (added_path, "x", -1, NULL));
  added = g_file_new_for_path (added_path);
  ladle_temp_files_add (added);

  lost_path = write_file (g_get_tmp_dir (), lost, 0);

  /* A file that became the user's (renamed) is forgotten, not deleted */
  renamed_path = g_build_filename (dir, "saved.json", NULL);
  g_assert_true (g_file_set_contents (renamed_path, "{}", -1, NULL));
  renamed = g_file_new_for_path (renamed_path);
  ladle_temp_files_add (renamed);
  ladle_temp_files_forget (renamed);

  g_assert_null (ladle_temp_file_create ("/nonexistent-ladle-dir", FALSE, "body", NULL, NULL,
                                         &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "/nonexistent-ladle-dir"));
  g_clear_error (&error);

  /* kept, hidden, added, and the lost one */
  g_assert_cmpuint (ladle_temp_files_delete_all (), ==, 4);
  g_assert_false (g_file_query_exists (kept, NULL));
  g_assert_false (g_file_query_exists (hidden, NULL));
  g_assert_false (g_file_query_exists (added, NULL));
  g_assert_false (g_file_test (lost_path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_query_exists (renamed, NULL));
  g_assert_cmpuint (ladle_test_count_entries (dir), ==, 1);
  g_assert_cmpuint (ladle_temp_files_delete_all (), ==, 0);

  ladle_test_rm_rf (dir);
}

/* Many files deleted by their owners behind the registry's back: it does not grow without end */
static void
test_registry_prunes (void)
{
  g_autofree char *dir = ladle_test_make_tmpdir ("ladle-temp-files-XXXXXX");

  for (guint i = 0; i < 2000; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GFile) file = ladle_temp_file_create (dir, FALSE, "body", NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (g_unlink (g_file_peek_path (file)), ==, 0);
    }
  g_assert_cmpuint (ladle_temp_files_delete_all (), ==, 0);
  ladle_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  g_test_add_func ("/temp-files/names", test_names);
  g_test_add_func ("/temp-files/sweep", test_sweep);
  g_test_add_func ("/temp-files/sweep-async", test_sweep_async);
  g_test_add_func ("/temp-files/registry", test_registry);
  g_test_add_func ("/temp-files/registry-prunes", test_registry_prunes);

  return ladle_test_run ();
}
