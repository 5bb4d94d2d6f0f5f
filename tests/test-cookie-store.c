/* test-cookie-store.c
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
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ladle-cookie-store.h"
#include "ladle-test-utils.h"

/* The cookie jars kept between runs: where they live (the data folder, never the workspace),
 * load and save (session cookies kept, 0600 in a 0700 folder, saves debounced and off the
 * thread), a cookie set before the load is not overwritten, a file that does not read whole is
 * set aside and its good cookies kept, and a write that fails (the file size limit standing for a
 * full disk) leaves the old file as it was. */

#define FAR_FUTURE "4102444800" /* 2100-01-01 */

static const char good_file[] =
  "# Netscape HTTP Cookie File\n"
  "\n"
  "127.0.0.1\tFALSE\t/\tFALSE\t0\tsession\tabc\n"
  "#HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t" FAR_FUTURE "\ttoken\tt1\n";

static char *
read_text (const char *path)
{
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static char *
jar_header (SoupCookieJar *jar)
{
  g_autoptr(GUri) uri = g_uri_parse ("http://127.0.0.1/", G_URI_FLAGS_NONE, NULL);

  return soup_cookie_jar_get_cookies (jar, uri, TRUE);
}

static void
set_cookie (SoupCookieJar *jar,
            const char    *text)
{
  g_autoptr(GUri) uri = g_uri_parse ("http://127.0.0.1/", G_URI_FLAGS_NONE, NULL);

  soup_cookie_jar_set_cookie (jar, uri, text);
}

static LadleCookieStore *
loaded_store (const char *path)
{
  LadleCookieStore *store = ladle_cookie_store_new (path);

  ladle_cookie_store_set_save_delay (store, 20);
  ladle_cookie_store_load_async (store);
  LADLE_TEST_WAIT_UNTIL (ladle_cookie_store_get_loaded (store), 10000);
  return store;
}

static void
on_problem (LadleCookieStore  *store,
            const char        *message,
            char             **out)
{
  g_free (*out);
  *out = g_strdup (message);
}

/* Workspace jars live in the data folder, one per folder (a link to it has the same one). */
static void
test_paths (void)
{
  g_autofree char *dir = ladle_test_make_tmpdir ("test-cookie-store-XXXXXX");
  g_autofree char *data = g_build_filename (dir, "data", NULL);
  g_autofree char *ws_a = g_build_filename (dir, "my api", NULL);
  g_autofree char *ws_b = g_build_filename (dir, "other", NULL);
  g_autofree char *link = g_build_filename (dir, "link", NULL);
  g_autofree char *a = NULL;
  g_autofree char *a_link = NULL;
  g_autofree char *b = NULL;
  g_autofree char *session = NULL;
  g_autofree char *prefix = g_build_filename (data, "cookies", "workspaces", "my_api-", NULL);

  g_assert_cmpint (g_mkdir (ws_a, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (ws_b, 0700), ==, 0);
  g_assert_cmpint (symlink (ws_a, link), ==, 0);

  a = ladle_cookie_store_dup_workspace_path (data, ws_a);
  a_link = ladle_cookie_store_dup_workspace_path (data, link);
  b = ladle_cookie_store_dup_workspace_path (data, ws_b);
  session = ladle_cookie_store_dup_session_path (data);
  g_test_message ("%s", a);
  g_assert_true (g_str_has_prefix (a, prefix));
  g_assert_true (g_str_has_suffix (a, ".txt"));
  g_assert_false (g_str_has_prefix (a, ws_a));
  g_assert_cmpstr (a, ==, a_link);
  g_assert_cmpstr (a, !=, b);
  g_assert_cmpstr (session, !=, a);
  g_assert_true (g_str_has_prefix (session, data));

  ladle_test_rm_rf (dir);
}

/* Saved after a change (debounced, in a worker), 0600 in a 0700 folder; a new store reads back
 * every cookie, the session ones too. */
static void
test_round_trip (void)
{
  g_autofree char *dir = ladle_test_make_tmpdir ("test-cookie-store-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "cookies", "workspaces", "w.txt", NULL);
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(LadleCookieStore) store = loaded_store (path);
  g_autoptr(LadleCookieStore) again = NULL;
  g_autofree char *header = NULL;
  g_autofree char *text = NULL;
  GStatBuf st;

  g_assert_false (ladle_cookie_store_get_saving (store));
  set_cookie (ladle_cookie_store_get_jar (store), "session=abc");
  set_cookie (ladle_cookie_store_get_jar (store), "token=t1; Max-Age=3600; HttpOnly");
  /* Not written in the change's handler */
  g_assert_true (ladle_cookie_store_get_saving (store));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  LADLE_TEST_WAIT_UNTIL (!ladle_cookie_store_get_saving (store), 10000);

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (folder, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  text = read_text (path);
  g_assert_nonnull (strstr (text, "127.0.0.1\tFALSE\t/\tFALSE\t0\tsession\tabc\n"));
  g_assert_nonnull (strstr (text, "#HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t"));

  again = loaded_store (path);
  header = jar_header (ladle_cookie_store_get_jar (again));
  g_assert_cmpstr (header, ==, "session=abc; token=t1");

  /* Deleting saves too */
  {
    GSList *all = soup_cookie_jar_all_cookies (ladle_cookie_store_get_jar (again));

    for (GSList *l = all; l != NULL; l = l->next)
      soup_cookie_jar_delete_cookie (ladle_cookie_store_get_jar (again), l->data);
    g_slist_free_full (all, (GDestroyNotify) soup_cookie_free);
  }
  LADLE_TEST_WAIT_UNTIL (!ladle_cookie_store_get_saving (again), 10000);
  g_free (text);
  text = read_text (path);
  g_assert_null (strstr (text, "session"));
  g_assert_true (g_str_has_prefix (text, "# Netscape HTTP Cookie File\n"));

  ladle_test_rm_rf (dir);
}

/* A cookie set before the file is in is newer than the file's; a flush before the load keeps
 * the file's other cookies. */
static void
test_merge (void)
{
  g_autofree char *dir = ladle_test_make_tmpdir ("test-cookie-store-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "jar.txt", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *header = NULL;
  GString *large = g_string_new (good_file);

  /* Larger than LADLE_COOKIE_STORE_SYNC_LOAD_MAX: read in a worker */
  while (large->len <= LADLE_COOKIE_STORE_SYNC_LOAD_MAX)
    g_string_append (large, "# a comment to make the file large enough for a worker\n");
  g_assert_true (g_file_set_contents (path, large->str, (gssize) large->len, NULL));
  g_string_free (large, TRUE);

  {
    g_autoptr(LadleCookieStore) store = ladle_cookie_store_new (path);

    set_cookie (ladle_cookie_store_get_jar (store), "token=new");
    ladle_cookie_store_load_async (store);
    g_assert_false (ladle_cookie_store_get_loaded (store));
    LADLE_TEST_WAIT_UNTIL (ladle_cookie_store_get_loaded (store), 10000);
    header = jar_header (ladle_cookie_store_get_jar (store));
    g_assert_nonnull (strstr (header, "session=abc"));
    g_assert_nonnull (strstr (header, "token=new"));
    g_assert_null (strstr (header, "t1"));
    g_assert_true (ladle_cookie_store_flush (store, &error));
    g_assert_no_error (error);
  }
  text = read_text (path);
  g_assert_nonnull (strstr (text, "\ttoken\tnew\n"));

  /* Never loaded: the flush (as at quit) reads the file first */
  g_assert_true (g_file_set_contents (path, good_file, -1, NULL));
  {
    g_autoptr(LadleCookieStore) store = ladle_cookie_store_new (path);

    set_cookie (ladle_cookie_store_get_jar (store), "extra=1");
    g_assert_true (ladle_cookie_store_flush (store, &error));
    g_assert_no_error (error);
  }
  g_free (text);
  text = read_text (path);
  g_assert_nonnull (strstr (text, "\tsession\tabc\n"));
  g_assert_nonnull (strstr (text, "\ttoken\tt1\n"));
  g_assert_nonnull (strstr (text, "\textra\t1\n"));

  ladle_test_rm_rf (dir);
}

static guint
count_prefixed (const char *dir,
                const char *prefix)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, prefix))
      n++;
  return n;
}

static char *
find_aside (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, "jar.txt.corrupt-"))
      return g_build_filename (dir, name, NULL);
  return NULL;
}

/* A file with a bad line is kept aside as it was, named in the message with the line; the good
 * cookies are loaded and written to a new file. */
static void
test_corrupt (void)
{
  g_autofree char *dir = ladle_test_make_tmpdir ("test-cookie-store-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "jar.txt", NULL);
  g_autofree char *problem = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *text = NULL;
  g_autofree char *header = NULL;
  g_autofree char *contents = g_strconcat (good_file, "127.0.0.1\tMAYBE\t/\tFALSE\t0\tx\ty\n",
                                           NULL);
  g_autoptr(LadleCookieStore) store = NULL;

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  store = ladle_cookie_store_new (path);
  ladle_cookie_store_set_save_delay (store, 20);
  g_signal_connect (store, "problem", G_CALLBACK (on_problem), &problem);
  ladle_cookie_store_load_async (store);
  LADLE_TEST_WAIT_UNTIL (ladle_cookie_store_get_loaded (store), 10000);

  g_assert_nonnull (problem);
  g_test_message ("%s", problem);
  g_assert_nonnull (strstr (problem, "jar.txt:5: the subdomains field is neither TRUE nor FALSE"));
  g_assert_nonnull (strstr (problem, "jar.txt.corrupt-"));
  g_assert_nonnull (strstr (problem, "2 other cookies were loaded"));
  g_assert_cmpstr (ladle_cookie_store_get_problem (store), ==, problem);
  aside = find_aside (dir);
  g_assert_nonnull (aside);
  kept = read_text (aside);
  g_assert_cmpstr (kept, ==, contents);
  header = jar_header (ladle_cookie_store_get_jar (store));
  g_assert_cmpstr (header, ==, "session=abc; token=t1");

  /* The good cookies go to a new file at once */
  LADLE_TEST_WAIT_UNTIL (g_file_test (path, G_FILE_TEST_EXISTS) &&
                         !ladle_cookie_store_get_saving (store), 10000);
  text = read_text (path);
  g_assert_nonnull (strstr (text, "\tsession\tabc\n"));
  g_assert_null (strstr (text, "MAYBE"));
  g_clear_object (&store);
  g_clear_pointer (&kept, g_free);
  kept = read_text (aside);
  g_assert_cmpstr (kept, ==, contents);

  /* Not a cookie file at all (NUL bytes, JSON): set aside, nothing loaded */
  g_assert_cmpint (g_unlink (aside), ==, 0);
  g_clear_pointer (&problem, g_free);
  g_assert_true (g_file_set_contents (path, "{\"a\": 1}\n\0\0\n", 12, NULL));
  store = ladle_cookie_store_new (path);
  g_signal_connect (store, "problem", G_CALLBACK (on_problem), &problem);
  ladle_cookie_store_load_async (store);
  LADLE_TEST_WAIT_UNTIL (ladle_cookie_store_get_loaded (store), 10000);
  g_assert_nonnull (problem);
  g_test_message ("%s", problem);
  g_assert_nonnull (strstr (problem, "jar.txt:1: "));
  g_assert_nonnull (strstr (problem, "0 other cookies were loaded"));
  g_clear_object (&store);
  g_clear_pointer (&aside, g_free);
  aside = find_aside (dir);
  g_assert_nonnull (aside);
  {
    g_autofree char *bytes = NULL;
    gsize len = 0;

    g_assert_true (g_file_get_contents (aside, &bytes, &len, NULL));
    g_assert_cmpmem (bytes, len, "{\"a\": 1}\n\0\0\n", 12);
  }

  ladle_test_rm_rf (dir);
}

/* Something that is not a readable file there (a folder): set aside, the jar starts empty, and
 * the next save writes a file. */
static void
test_unreadable (void)
{
  g_autofree char *dir = ladle_test_make_tmpdir ("test-cookie-store-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "jar.txt", NULL);
  g_autofree char *inner = g_build_filename (path, "keep.txt", NULL);
  g_autofree char *problem = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(LadleCookieStore) store = NULL;

  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  g_assert_true (g_file_set_contents (inner, "precious", -1, NULL));
  store = ladle_cookie_store_new (path);
  ladle_cookie_store_set_save_delay (store, 20);
  g_signal_connect (store, "problem", G_CALLBACK (on_problem), &problem);
  ladle_cookie_store_load_async (store);
  LADLE_TEST_WAIT_UNTIL (ladle_cookie_store_get_loaded (store), 10000);
  g_assert_nonnull (problem);
  g_test_message ("%s", problem);
  g_assert_true (g_str_has_prefix (problem, "Could not read the cookie jar "));
  g_assert_nonnull (strstr (problem, "not a regular file"));
  aside = find_aside (dir);
  g_assert_nonnull (aside);
  {
    g_autofree char *moved = g_build_filename (aside, "keep.txt", NULL);

    kept = read_text (moved);
    g_assert_cmpstr (kept, ==, "precious");
  }

  set_cookie (ladle_cookie_store_get_jar (store), "a=1");
  LADLE_TEST_WAIT_UNTIL (!ladle_cookie_store_get_saving (store), 10000);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  ladle_test_rm_rf (dir);
}

/* A write that fails half way (the file size limit stands for a full disk: the same short write)
 * leaves the old file as it was and no temporary file; the async save reports it. */
static void
test_disk_full (void)
{
  g_autofree char *dir = ladle_test_make_tmpdir ("test-cookie-store-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "jar.txt", NULL);
  g_autoptr(LadleCookieStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *text = NULL;
  struct rlimit old_limit, limit;
  void (*old_handler) (int);

  g_assert_true (g_file_set_contents (path, good_file, -1, NULL));
  store = loaded_store (path);
  g_signal_connect (store, "problem", G_CALLBACK (on_problem), &problem);
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *cookie = g_strdup_printf ("c%03u=%0100u", i, i);

      set_cookie (ladle_cookie_store_get_jar (store), cookie);
    }

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &old_limit), ==, 0);
  limit = old_limit;
  limit.rlim_cur = 4096;
  old_handler = signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

  g_assert_false (ladle_cookie_store_flush (store, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "jar.txt"));
  g_clear_error (&error);
  text = read_text (path);
  g_assert_cmpstr (text, ==, good_file);
  g_assert_cmpuint (ladle_test_count_entries (dir), ==, 1);

  /* The next change: the worker's write fails the same way and says so */
  set_cookie (ladle_cookie_store_get_jar (store), "more=1");
  LADLE_TEST_WAIT_UNTIL (problem != NULL, 10000);
  g_test_message ("%s", problem);
  g_assert_cmpstr (ladle_cookie_store_get_problem (store), ==, problem);
  g_assert_nonnull (strstr (problem, "jar.txt"));
  g_free (text);
  text = read_text (path);
  g_assert_cmpstr (text, ==, good_file);
  g_assert_cmpuint (count_prefixed (dir, ".jar.txt."), ==, 0);

  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &old_limit), ==, 0);
  signal (SIGXFSZ, old_handler);

  /* With room again, the jar is written */
  g_assert_true (ladle_cookie_store_flush (store, &error));
  g_assert_no_error (error);
  g_assert_null (ladle_cookie_store_get_problem (store));
  g_free (text);
  text = read_text (path);
  g_assert_nonnull (strstr (text, "\tmore\t1\n"));
  g_assert_nonnull (strstr (text, "\tc199\t"));

  ladle_test_rm_rf (dir);
}

/* One store per path in the process. */
static void
test_shared (void)
{
  g_autofree char *dir = ladle_test_make_tmpdir ("test-cookie-store-XXXXXX");
  g_autofree char *a_path = g_build_filename (dir, "a.txt", NULL);
  g_autofree char *b_path = g_build_filename (dir, "b.txt", NULL);
  g_autoptr(LadleCookieStore) a = ladle_cookie_store_dup_shared (a_path);
  g_autoptr(LadleCookieStore) a2 = ladle_cookie_store_dup_shared (a_path);
  g_autoptr(LadleCookieStore) b = ladle_cookie_store_dup_shared (b_path);

  g_assert_true (a == a2);
  g_assert_true (a != b);
  ladle_cookie_store_load_async (a);
  ladle_cookie_store_load_async (b);
  LADLE_TEST_WAIT_UNTIL (ladle_cookie_store_get_loaded (a) && ladle_cookie_store_get_loaded (b),
                         10000);
  g_clear_object (&a);
  g_clear_object (&a2);
  a = ladle_cookie_store_dup_shared (a_path);
  g_assert_false (ladle_cookie_store_get_loaded (a));
  ladle_cookie_store_load_async (a);
  LADLE_TEST_WAIT_UNTIL (ladle_cookie_store_get_loaded (a), 10000);

  ladle_test_rm_rf (dir);
}

/* What the owner's thread pays for a save (the snapshot; formatting and writing are the
 * worker's), and a load, with many cookies. Reported, not asserted against a time. */
static void
test_cost (void)
{
  g_autofree char *dir = ladle_test_make_tmpdir ("test-cookie-store-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "jar.txt", NULL);
  g_autoptr(LadleCookieStore) store = loaded_store (path);
  SoupCookieJar *jar = ladle_cookie_store_get_jar (store);
  guint counts[] = { 100, 1000, 5000 };
  guint done = 0;

  for (guint k = 0; k < G_N_ELEMENTS (counts); k++)
    {
      gint64 start;
      gint64 snapshot_us;
      gint64 load_us;
      GSList *all;

      for (; done < counts[k]; done++)
        {
          g_autofree char *domain = g_strdup_printf ("h%u.example", done % 50);
          g_autofree char *name = g_strdup_printf ("c%u", done);
          SoupCookie *cookie = soup_cookie_new (name, "value", domain, "/", 3600);

          soup_cookie_jar_add_cookie (jar, cookie);
        }

      start = g_get_monotonic_time ();
      all = soup_cookie_jar_all_cookies (jar);
      snapshot_us = g_get_monotonic_time () - start;
      g_assert_cmpuint (g_slist_length (all), ==, counts[k]);
      g_slist_free_full (all, (GDestroyNotify) soup_cookie_free);
      LADLE_TEST_WAIT_UNTIL (!ladle_cookie_store_get_saving (store), 30000);

      {
        g_autoptr(LadleCookieStore) other = ladle_cookie_store_new (path);

        start = g_get_monotonic_time ();
        ladle_cookie_store_load (other, NULL, NULL);
        load_us = g_get_monotonic_time () - start;
        all = soup_cookie_jar_all_cookies (ladle_cookie_store_get_jar (other));
        g_assert_cmpuint (g_slist_length (all), ==, counts[k]);
        g_slist_free_full (all, (GDestroyNotify) soup_cookie_free);
      }
      g_test_message ("%u cookies: snapshot on the owner's thread %.2f ms, blocking load %.2f ms",
                      counts[k], snapshot_us / 1000.0, load_us / 1000.0);
    }

  ladle_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  g_test_add_func ("/cookie-store/paths", test_paths);
  g_test_add_func ("/cookie-store/round-trip", test_round_trip);
  g_test_add_func ("/cookie-store/merge", test_merge);
  g_test_add_func ("/cookie-store/corrupt", test_corrupt);
  g_test_add_func ("/cookie-store/unreadable", test_unreadable);
  g_test_add_func ("/cookie-store/disk-full", test_disk_full);
  g_test_add_func ("/cookie-store/shared", test_shared);
  g_test_add_func ("/cookie-store/cost", test_cost);

  return ladle_test_run ();
}
