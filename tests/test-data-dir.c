/* test-data-dir.c
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

#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ladle-data-dir-private.h"
#include "ladle-test-utils.h"

typedef struct
{
  char *parent;
  char *legacy;
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->parent = ladle_test_make_tmpdir ("ladle-data-dir-XXXXXX");
  f->legacy = g_build_filename (f->parent, "ladle", NULL);
  f->dir = g_build_filename (f->parent, "io.github.ladle.Ladle", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  ladle_test_rm_rf (f->parent);
  g_free (f->parent);
  g_free (f->legacy);
  g_free (f->dir);
}

static char *
read_text (const char *folder,
           const char *name)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return contents;
}

static void
write_text (const char *folder,
            const char *name,
            const char *text)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

/* A data folder as a Ladle before this one left it. */
static void
make_legacy (Fixture *f)
{
  g_autofree char *link = g_build_filename (f->legacy, "link", NULL);

  write_text (f->legacy, "history.json", "{\"version\": 1, \"entries\": []}");
  write_text (f->legacy, "tabs.json", "{\"version\": 1, \"tabs\": []}");
  write_text (f->legacy, "routes.json", "[]");
  write_text (f->legacy, "uploads/photo.jpg", "JPEG");
  g_assert_cmpint (symlink ("routes.json", link), ==, 0);
  g_assert_cmpint (g_chmod (f->legacy, 0755), ==, 0);
}

static void
check_migrated (Fixture *f)
{
  g_autofree char *history = read_text (f->dir, "history.json");
  g_autofree char *tabs = read_text (f->dir, "tabs.json");
  g_autofree char *photo = read_text (f->dir, "uploads/photo.jpg");
  g_autofree char *link = g_build_filename (f->dir, "link", NULL);
  g_autofree char *target = g_file_read_link (link, NULL);
  GStatBuf st;

  g_assert_cmpstr (history, ==, "{\"version\": 1, \"entries\": []}");
  g_assert_cmpstr (tabs, ==, "{\"version\": 1, \"tabs\": []}");
  g_assert_cmpstr (photo, ==, "JPEG");
  g_assert_cmpstr (target, ==, "routes.json");
  g_assert_cmpint (g_stat (f->dir, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, 0700);
}

static void
test_folders (void)
{
  g_autofree char *dir = ladle_data_dir_dup (APP_ID);
  g_autofree char *legacy = ladle_data_dir_dup_legacy ();
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), APP_ID, NULL);
  g_autofree char *expected_legacy = g_build_filename (g_get_user_data_dir (), "ladle", NULL);
  g_autofree char *devel = ladle_data_dir_dup ("io.github.ladle.Ladle.Devel");

  g_assert_cmpstr (dir, ==, expected);
  g_assert_cmpstr (legacy, ==, expected_legacy);
  g_assert_true (g_str_has_suffix (devel, "/io.github.ladle.Ladle.Devel"));
  g_assert_cmpstr (devel, !=, dir);
}

/* Renamed, once. */
static void
test_move (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gboolean moved = FALSE;

  make_legacy (f);
  g_assert_true (ladle_data_dir_migrate (f->legacy, f->dir, &moved, &error));
  g_assert_no_error (error);
  g_assert_true (moved);
  g_assert_false (g_file_test (f->legacy, G_FILE_TEST_EXISTS));
  check_migrated (f);

  /* An old Ladle made its folder again: the new one exists, nothing moves any more. */
  write_text (f->legacy, "history.json", "older");
  g_assert_true (ladle_data_dir_migrate (f->legacy, f->dir, &moved, &error));
  g_assert_false (moved);
  check_migrated (f);
  g_assert_true (g_file_test (f->legacy, G_FILE_TEST_IS_DIR));
}

/* Where renaming cannot be done: copied whole under the new name, the old folder left as it was,
 * no half copy anywhere. */
static void
test_copy (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) parent = NULL;
  g_autofree char *kept = NULL;
  gboolean moved = FALSE;
  const char *name;
  guint n = 0;

  make_legacy (f);
  g_assert_true (_ladle_data_dir_migrate_full (f->legacy, f->dir, TRUE, &moved, &error));
  g_assert_no_error (error);
  g_assert_true (moved);
  check_migrated (f);
  kept = read_text (f->legacy, "history.json");
  g_assert_cmpstr (kept, ==, "{\"version\": 1, \"entries\": []}");

  parent = g_dir_open (f->parent, 0, NULL);
  while ((name = g_dir_read_name (parent)) != NULL)
    {
      g_assert_true (g_str_equal (name, "ladle") || g_str_equal (name, "io.github.ladle.Ladle"));
      n++;
    }
  g_assert_cmpuint (n, ==, 2);
}

/* A copy that fails says so and leaves neither a new folder nor a half copy. */
static void
test_copy_fails (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *secret = g_build_filename (f->legacy, "uploads", "photo.jpg", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) parent = NULL;
  gboolean moved = TRUE;
  const char *name;

  if (geteuid () == 0)
    {
      g_test_skip ("Running as root: an unreadable file does not stop root from copying");
      return;
    }

  make_legacy (f);
  g_assert_cmpint (g_chmod (secret, 0), ==, 0);
  g_assert_false (_ladle_data_dir_migrate_full (f->legacy, f->dir, TRUE, &moved, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_false (moved);
  g_assert_false (g_file_test (f->dir, G_FILE_TEST_EXISTS));
  parent = g_dir_open (f->parent, 0, NULL);
  while ((name = g_dir_read_name (parent)) != NULL)
    g_assert_cmpstr (name, ==, "ladle");
  g_assert_cmpint (g_chmod (secret, 0600), ==, 0);
}

/* Nothing to move, or already there: nothing happens. */
static void
test_nothing (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = NULL;
  gboolean moved = TRUE;

  g_assert_true (ladle_data_dir_migrate (f->legacy, f->dir, &moved, &error));
  g_assert_no_error (error);
  g_assert_false (moved);
  g_assert_false (g_file_test (f->dir, G_FILE_TEST_EXISTS));

  /* Both there (a development build made its own; the user came back): both stay. */
  make_legacy (f);
  write_text (f->dir, "history.json", "new");
  g_assert_true (ladle_data_dir_migrate (f->legacy, f->dir, &moved, &error));
  g_assert_false (moved);
  kept = read_text (f->dir, "history.json");
  g_assert_cmpstr (kept, ==, "new");
  g_assert_true (g_file_test (f->legacy, G_FILE_TEST_IS_DIR));
}

static void
async_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  gboolean moved = FALSE;

  make_legacy (f);
  ladle_data_dir_migrate_async (f->legacy, f->dir, NULL, async_cb, &slot);
  LADLE_TEST_WAIT_UNTIL (slot != NULL, 5000);
  result = g_steal_pointer (&slot);
  g_assert_true (ladle_data_dir_migrate_finish (result, &moved, &error));
  g_assert_no_error (error);
  g_assert_true (moved);
  check_migrated (f);
}

/* Settings that named files in the old folder follow it. */
static void
test_rebase (void)
{
  static const struct
  {
    const char *path;
    const char *expected;
  } cases[] = {
    { "/d/ladle/routes.json", "/d/io.github.ladle.Ladle/routes.json" },
    { "/d/ladle", "/d/io.github.ladle.Ladle" },
    { "/d/ladle/a/b", "/d/io.github.ladle.Ladle/a/b" },
    { "/d/ladle-routes.json", NULL },
    { "/d/ladlex/routes.json", NULL },
    { "/elsewhere/routes.json", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = ladle_data_dir_rebase (cases[i].path, "/d/ladle",
                                                    "/d/io.github.ladle.Ladle");

      g_assert_cmpstr (got, ==, cases[i].expected);
    }
  g_assert_null (ladle_data_dir_rebase (NULL, "/d/ladle", "/d/x"));
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  g_test_add_func ("/ladle/data-dir/folders", test_folders);
#define ADD(path, func) \
  g_test_add ("/ladle/data-dir/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("move", test_move);
  ADD ("copy", test_copy);
  ADD ("copy-fails", test_copy_fails);
  ADD ("nothing", test_nothing);
  ADD ("async", test_async);
#undef ADD
  g_test_add_func ("/ladle/data-dir/rebase", test_rebase);

  return ladle_test_run ();
}
