/* test-history.c
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

#include <errno.h>
#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ladle-digest.h"
#include "ladle-error.h"
#include "ladle-history-private.h"
#include "ladle-proxy.h"
#include "ladle-tls-client.h"
#include "ladle-test-utils.h"

typedef struct
{
  char         *dir;
  LadleHistory *history;
  GAsyncResult *result;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = ladle_test_make_tmpdir ("ladle-history-XXXXXX");
  f->history = ladle_history_new (f->dir);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_null (f->result);
  g_assert_finalize_object (f->history);
  ladle_test_rm_rf (f->dir);
  g_free (f->dir);
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Fixture *f = user_data;

  f->result = g_object_ref (result);
}

static GAsyncResult *
wait_result (Fixture *f)
{
  GAsyncResult *result;

  LADLE_TEST_WAIT_UNTIL (f->result != NULL, 5000);
  result = g_steal_pointer (&f->result);
  return result;
}

static LadleRequest *
make_request (const char *method,
              const char *url)
{
  LadleRequest *request = ladle_request_new ();

  ladle_request_set_method (request, method);
  ladle_request_set_url (request, url);
  return request;
}

static void
add (LadleHistory *history,
     const char   *url,
     guint         status,
     const char   *error,
     gint64        time)
{
  g_autoptr(LadleRequest) request = make_request ("GET", url);
  g_autoptr(LadleHistoryEntry) entry = ladle_history_entry_new (request, status, error, time,
                                                                1234);

  ladle_history_add (history, entry);
}

static LadleHistoryEntry *
nth (LadleHistory *history,
     guint         n)
{
  LadleHistoryEntry *entry = g_list_model_get_item (G_LIST_MODEL (history), n);

  g_assert_nonnull (entry);
  g_object_unref (entry);   /* the history keeps it */
  return entry;
}

static void
save (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ladle_history_save_async (f->history, NULL, result_cb, f);
  result = wait_result (f);
  g_assert_true (ladle_history_save_finish (f->history, result, &error));
  g_assert_no_error (error);
}

static gboolean
load (Fixture       *f,
      LadleHistory  *history,
      GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ladle_history_load_async (history, NULL, result_cb, f);
  result = wait_result (f);
  return ladle_history_load_finish (history, result, error);
}

static char **
list_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(LadleHistory) loaded = ladle_history_new (f->dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(LadleRequest) post = make_request ("POST", "http://127.0.0.1:1/post");
  g_autoptr(LadleHistoryEntry) entry = NULL;
  LadleHistoryEntry *got;

  ladle_request_set_body_kind (post, LADLE_BODY_JSON);
  ladle_request_set_body_text (post, "{\"ключ\": 1}");
  entry = ladle_history_entry_new (post, 201, NULL, 1700000000123456, 42000);
  add (f->history, "http://127.0.0.1:1/fail", 0, "Connection refused", 1700000000000000);
  ladle_history_add (f->history, entry);
  /* The entry has its own copy. */
  ladle_request_set_url (post, "http://changed/");
  save (f);

  /* Sent while loading: newer than the file's entries, so first. */
  add (loaded, "http://new/", 200, NULL, 1800000000000000);
  g_assert_true (load (f, loaded, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (loaded)), ==, 3);
  g_assert_cmpstr (ladle_request_get_url (ladle_history_entry_get_request (nth (loaded, 0))),
                   ==, "http://new/");
  got = nth (loaded, 1);
  g_assert_cmpuint (ladle_history_entry_get_status (got), ==, 201);
  g_assert_null (ladle_history_entry_get_error (got));
  g_assert_cmpint (ladle_history_entry_get_time (got), ==, 1700000000123456);
  g_assert_cmpint (ladle_history_entry_get_duration (got), ==, 42000);
  g_assert_cmpstr (ladle_request_get_method (ladle_history_entry_get_request (got)), ==, "POST");
  g_assert_cmpstr (ladle_request_get_url (ladle_history_entry_get_request (got)), ==,
                   "http://127.0.0.1:1/post");
  g_assert_cmpint (ladle_request_get_body_kind (ladle_history_entry_get_request (got)), ==,
                   LADLE_BODY_JSON);
  g_assert_cmpstr (ladle_request_get_body_text (ladle_history_entry_get_request (got)), ==,
                   "{\"ключ\": 1}");
  got = nth (loaded, 2);
  g_assert_cmpuint (ladle_history_entry_get_status (got), ==, 0);
  g_assert_cmpstr (ladle_history_entry_get_error (got), ==, "Connection refused");

  /* A missing file is an empty history, not an error. */
  {
    g_autofree char *other = g_build_filename (f->dir, "none", NULL);
    g_autoptr(LadleHistory) empty = ladle_history_new (other);

    g_assert_true (load (f, empty, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (empty)), ==, 0);
  }
}

static void
count_cb (guint *count)
{
  (*count)++;
}

static void
test_newest_first_and_cap (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(LadleHistory) loaded = ladle_history_new (f->dir);
  g_autoptr(GError) error = NULL;
  guint changes = 0;

  g_assert_cmpuint (ladle_history_get_max_size (f->history), ==, 1000);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (f->history)) ==
                 LADLE_TYPE_HISTORY_ENTRY);
  g_signal_connect_swapped (f->history, "items-changed", G_CALLBACK (count_cb), &changes);
  ladle_history_set_max_size (f->history, 3);
  for (guint i = 1; i <= 5; i++)
    {
      g_autofree char *url = g_strdup_printf ("http://h/%u", i);

      add (f->history, url, 200, NULL, i);
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->history)), ==, 3);
  g_assert_cmpstr (ladle_request_get_url (ladle_history_entry_get_request (nth (f->history, 0))),
                   ==, "http://h/5");
  g_assert_cmpstr (ladle_request_get_url (ladle_history_entry_get_request (nth (f->history, 2))),
                   ==, "http://h/3");

  g_object_set (f->history, "max-size", 2, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->history)), ==, 2);
  save (f);

  /* A smaller cap applies to what is loaded too. */
  ladle_history_set_max_size (loaded, 1);
  g_assert_true (load (f, loaded, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (loaded)), ==, 1);
  g_assert_cmpstr (ladle_request_get_url (ladle_history_entry_get_request (nth (loaded, 0))),
                   ==, "http://h/5");

  ladle_history_clear (f->history);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->history)), ==, 0);
  /* 5 adds, 2 trims (the insertions past the cap), the cap change, the clear. */
  g_assert_cmpuint (changes, >=, 7);
}

/* Writes @contents as history.json, loads it: the load fails with a message naming the file it was
 * set aside as, which holds @contents; nothing is loaded. */
static void
check_set_aside (Fixture    *f,
                 const char *contents,
                 const char *reason)
{
  g_autofree char *path = g_build_filename (f->dir, "history.json", NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *kept = NULL;

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  add (f->history, "http://before/", 200, NULL, 1);

  g_assert_false (load (f, f->history, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "The history could not be read"));
  if (reason != NULL)
    g_assert_nonnull (strstr (error->message, reason));
  /* Nothing was loaded; what was added in memory meanwhile stays. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->history)), ==, 1);
  g_assert_cmpstr (ladle_request_get_url (ladle_history_entry_get_request (nth (f->history, 0))),
                   ==, "http://before/");
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  names = list_dir (f->dir);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_true (g_str_has_prefix (names[0], "history.json.corrupt-"));
  aside = g_build_filename (f->dir, names[0], NULL);
  g_assert_nonnull (strstr (error->message, aside));
  g_assert_true (g_file_get_contents (aside, &kept, NULL, NULL));
  g_assert_cmpstr (kept, ==, contents);

  /* Saving afterwards leaves the set-aside file alone; a second damaged file gets its own name. */
  add (f->history, "http://after/", 200, NULL, 2);
  save (f);
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  g_clear_error (&error);
  g_assert_false (load (f, f->history, &error));
  g_strfreev (g_steal_pointer (&names));
  names = list_dir (f->dir);
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_clear_pointer (&kept, g_free);
  g_assert_true (g_file_get_contents (aside, &kept, NULL, NULL));
  g_assert_cmpstr (kept, ==, contents);
}

static void
test_corrupt (Fixture       *f,
              gconstpointer  data)
{
  check_set_aside (f, "{\"version\": 1, \"entries\": [ not json", NULL);
}

/* A file nested deeper than json-glib can parse without overflowing its stack (100 000 arrays)
 * used to kill the window at every start: it is damaged like any other and set aside. */
static char *
deep_file (const char *member)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "{\"version\": 1, \"%s\": ", member);
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (s, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (s, ']');
  g_string_append (s, "}");

  return g_string_free (s, FALSE);
}

static void
test_deep (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *deep = deep_file ("entries");

  check_set_aside (f, deep, "nest more than 512 levels deep");
}

static void
test_truncated (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "history.json", NULL);
  g_autofree char *contents = NULL;
  gsize length;

  add (f->history, "http://one/", 200, NULL, 1);
  add (f->history, "http://two/", 404, NULL, 2);
  save (f);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  contents[length / 2] = '\0';
  ladle_history_clear (f->history);
  check_set_aside (f, contents, NULL);
}

static void
test_unknown_version (Fixture       *f,
                      gconstpointer  data)
{
  /* Written by a newer Ladle: not read, and not written over either. */
  check_set_aside (f, "{\"version\": 7, \"entries\": []}",
                   "Written by a newer version of Ladle (file version 7)");
}

static void
test_bad_entry (Fixture       *f,
                gconstpointer  data)
{
  check_set_aside (f, "{\"version\": 1, \"entries\": [{\"status\": \"x\"}]}", "Entry 1");
}

static void
test_atomic_save (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *nested = g_build_filename (f->dir, "a", "ladle", NULL);
  g_autofree char *path = g_build_filename (nested, "history.json", NULL);
  g_autoptr(LadleHistory) history = ladle_history_new (nested);
  g_autoptr(LadleHistory) loaded = ladle_history_new (nested);
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  /* Two saves in a row: the folder is made, the later snapshot wins, no temporary file is left. */
  add (history, "http://first/", 200, NULL, 1);
  ladle_history_save_async (history, NULL, result_cb, f);
  r1 = wait_result (f);
  add (history, "http://second/", 200, NULL, 2);
  ladle_history_save_async (history, NULL, result_cb, f);
  r2 = wait_result (f);
  g_assert_true (ladle_history_save_finish (history, r1, &error));
  g_assert_true (ladle_history_save_finish (history, r2, &error));
  g_assert_no_error (error);

  names = list_dir (nested);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, "history.json");
  g_assert_true (load (f, loaded, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (loaded)), ==, 2);

  /* Saving where no folder can be made fails with an error, and nothing crashes. */
  {
    g_autofree char *file = g_build_filename (f->dir, "file", NULL);
    g_autofree char *below = g_build_filename (file, "ladle", NULL);
    g_autoptr(LadleHistory) broken = ladle_history_new (below);
    g_autoptr(GAsyncResult) result = NULL;

    g_assert_true (g_file_set_contents (file, "", -1, NULL));
    ladle_history_save_async (broken, NULL, result_cb, f);
    result = wait_result (f);
    g_assert_false (ladle_history_save_finish (broken, result, &error));
    g_assert_nonnull (error);
  }
}

/* A history.json as Ladle wrote it before LadleJsonStore (tests/data/saved-before-store, written
 * by that version) loads as it is. */
static void
test_today_format (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *source = g_test_build_filename (G_TEST_DIST, "data", "saved-before-store",
                                                   "history.json", NULL);
  g_autofree char *path = g_build_filename (f->dir, "history.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  LadleHistoryEntry *got;
  LadleRequest *request;
  gsize length = 0;

  g_assert_true (g_file_get_contents (source, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (path, contents, length, NULL));
  g_assert_true (load (f, f->history, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->history)), ==, 2);

  got = nth (f->history, 0);
  g_assert_cmpuint (ladle_history_entry_get_status (got), ==, 0);
  g_assert_cmpstr (ladle_history_entry_get_error (got), ==, "Connection refused");
  g_assert_cmpint (ladle_history_entry_get_time (got), ==, 1700000001000000);
  g_assert_cmpstr (ladle_request_get_url (ladle_history_entry_get_request (got)), ==,
                   "http://127.0.0.1:1/fail");
  got = nth (f->history, 1);
  request = ladle_history_entry_get_request (got);
  g_assert_cmpuint (ladle_history_entry_get_status (got), ==, 201);
  g_assert_null (ladle_history_entry_get_error (got));
  g_assert_cmpint (ladle_history_entry_get_duration (got), ==, 42000);
  g_assert_cmpstr (ladle_request_get_method (request), ==, "POST");
  g_assert_cmpstr (ladle_request_get_url (request), ==, "http://127.0.0.1:8080/post?q=ключ");
  g_assert_cmpint (ladle_request_get_body_kind (request), ==, LADLE_BODY_JSON);
  g_assert_cmpstr (ladle_request_get_body_text (request), ==, "{\"a\": [1, 2]}");
  g_assert_cmpint (ladle_request_get_auth_kind (request), ==, LADLE_AUTH_BEARER);
  g_assert_cmpstr (ladle_request_get_auth_token (request), ==, "tok");
  g_assert_cmpfloat (ladle_request_get_total_timeout (request), ==, 2.5);

  /* Saved again, it reads the same, and nothing was set aside. */
  save (f);
  {
    g_autoptr(GPtrArray) entries = NULL;
    g_autofree char *saved = NULL;
    g_auto(GStrv) names = list_dir (f->dir);

    g_assert_cmpuint (g_strv_length (names), ==, 1);
    g_assert_true (g_file_get_contents (path, &saved, &length, NULL));
    entries = _ladle_history_parse (saved, length, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (entries->len, ==, 2);
  }
}

/* Issue 12, item 12: an error recorded with its form reads in the language of the day, not the
 * one it was made in; a form Ladle does not know leaves the saved words as they are. */
static void
test_error_language (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(LadleRequest) request = make_request ("GET", "http://127.0.0.1:1/slow");
  g_autoptr(GError) timeout = ladle_error_new_form (LADLE_ERROR_TIMEOUT_CONNECT,
                                                    "timeout-connect", "2.5", NULL);
  g_autoptr(LadleHistoryEntry) entry = NULL;
  g_autofree char *path = g_build_filename (f->dir, "history.json", NULL);
  g_autofree char *saved = NULL;
  g_autoptr(GString) russian = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  g_assert_cmpstr (timeout->message, ==, "Timed out after 2.5 s (connect)");
  g_assert_cmpstr (ladle_error_get_form (timeout)[0], ==, "timeout-connect");
  {
    /* The form goes along with copies (GTask returns copies) */
    g_autoptr(GError) copy = g_error_copy (timeout);

    g_assert_cmpstr (ladle_error_get_form (copy)[1], ==, "2.5");
  }
  entry = ladle_history_entry_new_failed (request, timeout, 1700000000000000, 2500000);
  ladle_history_add (f->history, entry);
  save (f);

  /* As if it had been recorded under LANGUAGE=ru */
  g_assert_true (g_file_get_contents (path, &saved, &length, NULL));
  g_assert_nonnull (strstr (saved, "\"error-form\""));
  russian = g_string_new (saved);
  g_assert_cmpuint (g_string_replace (russian, "Timed out after 2.5 s (connect)",
                                      "Время ожидания истекло: 2,5 с (соединение)", 0), ==, 1);
  entries = _ladle_history_parse (russian->str, russian->len, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ladle_history_entry_get_error (g_ptr_array_index (entries, 0)), ==,
                   "Timed out after 2.5 s (connect)");
  g_clear_pointer (&entries, g_ptr_array_unref);

  /* A kind this Ladle does not know, or a damaged form: the words saved stay */
  g_assert_cmpuint (g_string_replace (russian, "\"timeout-connect\"", "\"from-the-future\"", 0),
                    ==, 1);
  entries = _ladle_history_parse (russian->str, russian->len, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ladle_history_entry_get_error (g_ptr_array_index (entries, 0)), ==,
                   "Время ожидания истекло: 2,5 с (соединение)");
  g_clear_pointer (&entries, g_ptr_array_unref);
  g_assert_cmpuint (g_string_replace (russian, "\"from-the-future\"", "7", 0), ==, 1);
  entries = _ladle_history_parse (russian->str, russian->len, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ladle_history_entry_get_error (g_ptr_array_index (entries, 0)), ==,
                   "Время ожидания истекло: 2,5 с (соединение)");

  /* Every kind words itself; a short form is no message */
  {
    const char *cancelled[] = { "cancelled", "0.25", NULL };
    const char *refused[] = { "refused", "127.0.0.1", "8080", NULL };
    const char *short_form[] = { "refused", "127.0.0.1", NULL };
    g_autofree char *a = ladle_error_format_form (cancelled);
    g_autofree char *b = ladle_error_format_form (refused);
    g_autofree char *c = ladle_error_format_form (short_form);

    g_assert_cmpstr (a, ==, "Cancelled after 250 ms");
    g_assert_cmpstr (b, ==, "Connection refused by 127.0.0.1:8080");
    g_assert_null (c);
  }
}

/* Issue 14: the errors of client certificates, CA bundles and proxies that end an exchange are
 * recorded with their forms (and Digest's have them too). Made under LANGUAGE=ru (the build's Russian catalogue), saved, and
 * read back in English, each reads as Ladle words it in English. */
static void
use_language (const char *language)
{
  if (language != NULL)
    g_setenv ("LANGUAGE", language, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  /* Makes gettext drop its cache and read LANGUAGE again */
  textdomain (GETTEXT_PACKAGE);
}

static void
test_error_language_transport (Fixture       *f,
                               gconstpointer  data)
{
  const char *localedir = g_getenv ("LADLE_LOCALEDIR");
  g_autofree char *mo = NULL;
  g_autofree char *missing = g_build_filename (f->dir, "missing.pem", NULL);
  g_autofree char *notes = g_build_filename (f->dir, "notes.txt", NULL);
  g_autofree char *path = g_build_filename (f->dir, "history.json", NULL);
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *saved = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  /* What each reads in English, in the order made below */
  g_autofree char *expected_missing = g_strdup_printf ("%s: cannot read the file: %s", missing,
                                                       g_strerror (ENOENT));
  g_autofree char *expected_folder = g_strdup_printf ("%s: is a folder, not a file", f->dir);
  g_autofree char *expected_ca = g_strdup_printf ("%s: no certificate in this file (a CA bundle "
                                                  "is a PEM file of certificates)", notes);
  const char *expected[] = {
    expected_missing,
    expected_folder,
    expected_ca,
    "The proxy address “http://:3128” is not a valid URL",
    "The proxy “gopher://proxy.test” has an unknown kind: use http://, https://, socks5://, "
    "socks5h://, socks4:// or socks4a://",
    "No proxy address is set",
    "The proxy http://127.0.0.1:3128/ refused the tunnel to example.test:443 (403 Forbidden)",
    "The proxy the system's proxy needs a user name and password",
    "The proxy socks5://127.0.0.1:1080 does not allow connections to example.test:443",
    "Connection refused by the proxy http://127.0.0.1:3128/ (is it running?)",
    "The server 127.0.0.1:8443 requires a client certificate",
    "The connection to 127.0.0.1:8443 was reset (was the client certificate refused?)",
    "The server’s Digest challenge asks for the algorithm “SHA3”, which Ladle does not know (it "
    "answers MD5, MD5-sess, SHA-256 and SHA-256-sess)",
  };

  if (localedir == NULL)
    {
      g_test_skip ("LADLE_LOCALEDIR is not set");
      return;
    }
  mo = g_build_filename (localedir, "ru", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  if (!g_file_test (mo, G_FILE_TEST_IS_REGULAR))
    {
      g_test_skip ("no compiled Russian catalogue in the build folder (gettext not built?)");
      return;
    }
  g_assert_true (g_file_set_contents (notes, "not a certificate\n", -1, NULL));
  /* glibc honours LANGUAGE under C.UTF-8 */
  setlocale (LC_ALL, "C.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  use_language ("ru");

  /* Made by the units themselves… */
  g_assert_null (ladle_tls_client_load_certificate (missing, NULL, NULL, &error));
  g_ptr_array_add (errors, g_steal_pointer (&error));
  g_assert_null (ladle_tls_client_load_certificate (f->dir, NULL, NULL, &error));
  g_ptr_array_add (errors, g_steal_pointer (&error));
  g_assert_null (ladle_tls_client_load_ca (notes, &error));
  g_ptr_array_add (errors, g_steal_pointer (&error));
  g_assert_null (ladle_proxy_resolver_uri ("http://:3128", NULL, NULL, &error));
  g_ptr_array_add (errors, g_steal_pointer (&error));
  g_assert_null (ladle_proxy_resolver_uri ("gopher://proxy.test", NULL, NULL, &error));
  g_ptr_array_add (errors, g_steal_pointer (&error));
  g_assert_null (ladle_proxy_resolver_uri ("", NULL, NULL, &error));
  g_ptr_array_add (errors, g_steal_pointer (&error));
  /* …and as the exchange classifies what the proxy or the server did (an empty proxy is the
   * system's) */
  g_ptr_array_add (errors, ladle_error_new_form (LADLE_ERROR_CONNECTION_REFUSED, "proxy-tunnel",
                                                 "http://127.0.0.1:3128/", "example.test", "443",
                                                 "403", "Forbidden", NULL));
  g_ptr_array_add (errors, ladle_error_new_form (LADLE_ERROR_CONNECTION_REFUSED,
                                                 "proxy-need-auth", "", NULL));
  g_ptr_array_add (errors, ladle_error_new_form (LADLE_ERROR_CONNECTION_REFUSED,
                                                 "proxy-not-allowed", "socks5://127.0.0.1:1080",
                                                 "example.test", "443", NULL));
  g_ptr_array_add (errors, ladle_error_new_form (LADLE_ERROR_CONNECTION_REFUSED, "proxy-refused",
                                                 "http://127.0.0.1:3128/", NULL));
  g_ptr_array_add (errors, ladle_error_new_form (LADLE_ERROR_TLS, "tls-client-required",
                                                 "127.0.0.1", "8443", NULL));
  g_ptr_array_add (errors, ladle_error_new_form (LADLE_ERROR_CONNECTION_RESET, "tls-client-reset",
                                                 "127.0.0.1", "8443", NULL));
  /* A Digest challenge that cannot be answered (the exchange notes it beside the 401) */
  g_assert_null (ladle_digest_new ("Digest realm=\"r\", nonce=\"n\", algorithm=SHA3", TRUE,
                                   &error));
  g_ptr_array_add (errors, g_steal_pointer (&error));
  g_assert_cmpuint (errors->len, ==, G_N_ELEMENTS (expected));

  for (guint i = 0; i < errors->len; i++)
    {
      GError *made = g_ptr_array_index (errors, i);
      g_autoptr(LadleRequest) request = make_request ("GET", "https://example.test/");
      g_autoptr(LadleHistoryEntry) entry = NULL;

      g_test_message ("%s", made->message);
      g_assert_nonnull (ladle_error_get_form (made));
      /* Recorded in Russian */
      g_assert_cmpstr (made->message, !=, expected[i]);
      g_assert_true (g_utf8_validate (made->message, -1, NULL));
      {
        gboolean cyrillic = FALSE;

        for (const char *p = made->message; *p != '\0'; p = g_utf8_next_char (p))
          if (g_utf8_get_char (p) >= 0x0400 && g_utf8_get_char (p) <= 0x04FF)
            cyrillic = TRUE;
        g_assert_true (cyrillic);
      }
      entry = ladle_history_entry_new_failed (request, made, 1700000000000000 + i, 1000);
      ladle_history_add (f->history, entry);
    }
  save (f);

  /* Read in English */
  use_language ("en");
  g_assert_true (g_file_get_contents (path, &saved, &length, NULL));
  entries = _ladle_history_parse (saved, length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < entries->len; i++)
    {
      /* Newest first */
      LadleHistoryEntry *entry = g_ptr_array_index (entries, entries->len - 1 - i);

      g_assert_cmpstr (ladle_history_entry_get_error (entry), ==, expected[i]);
    }
  use_language (NULL);
}

/* Issue 14: the OAuth 2.0 client secret, the proxy's password and the certificate's passphrase
 * are left out of the history file, for a response and for a failure alike; the rest of the
 * request's settings stay */
static void
test_no_secrets (Fixture       *f,
                 gconstpointer  data)
{
  static const char *const secrets[] = {
    "cs-Hist-5ecret", "px-Hist-Pa55", "cert-Hist-Pa55", "url-Hist-Pa55",
  };
  g_autoptr(LadleRequest) request = make_request ("POST", "https://127.0.0.1:1/api");
  g_autoptr(LadleHistoryEntry) answered = NULL;
  g_autoptr(LadleHistoryEntry) failed = NULL;
  g_autoptr(GError) refused = ladle_error_new_form (LADLE_ERROR_CONNECTION_REFUSED,
                                                    "proxy-refused", "http://127.0.0.1:3128/",
                                                    NULL);
  g_autofree char *path = g_build_filename (f->dir, "history.json", NULL);
  g_autofree char *saved = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  ladle_request_set_auth_kind (request, LADLE_AUTH_OAUTH2);
  ladle_request_set_oauth2_token_url (request, "https://127.0.0.1:1/oauth/token");
  ladle_request_set_oauth2_client_id (request, "app");
  ladle_request_set_oauth2_client_secret (request, secrets[0]);
  ladle_request_set_proxy_mode (request, LADLE_PROXY_MANUAL);
  ladle_request_set_proxy_url (request, "http://127.0.0.1:3128");
  ladle_request_set_proxy_username (request, "proxy-user");
  ladle_request_set_proxy_password (request, secrets[1]);
  ladle_request_set_tls_cert_file (request, "/home/user/client.p12");
  ladle_request_set_tls_cert_password (request, secrets[2]);

  answered = ladle_history_entry_new (request, 200, NULL, 1700000000000000, 1000);
  ladle_history_add (f->history, answered);
  failed = ladle_history_entry_new_failed (request, refused, 1700000001000000, 1000);
  ladle_history_add (f->history, failed);
  save (f);

  g_assert_true (g_file_get_contents (path, &saved, &length, NULL));
  for (gsize i = 0; i < 3; i++)
    if (strstr (saved, secrets[i]) != NULL)
      g_error ("the history file holds “%s”:\n%s", secrets[i], saved);
  /* What is not secret is kept */
  g_assert_nonnull (strstr (saved, "proxy-user"));
  g_assert_nonnull (strstr (saved, "client.p12"));
  g_assert_nonnull (strstr (saved, "oauth/token"));

  entries = _ladle_history_parse (saved, length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);
  for (guint i = 0; i < entries->len; i++)
    {
      LadleRequest *read = ladle_history_entry_get_request (g_ptr_array_index (entries, i));

      g_assert_true (ladle_request_get_oauth2_client_secret (read) == NULL ||
                     *ladle_request_get_oauth2_client_secret (read) == '\0');
      g_assert_true (ladle_request_get_proxy_password (read) == NULL ||
                     *ladle_request_get_proxy_password (read) == '\0');
      g_assert_true (ladle_request_get_tls_cert_password (read) == NULL ||
                     *ladle_request_get_tls_cert_password (read) == '\0');
      g_assert_cmpstr (ladle_request_get_proxy_username (read), ==, "proxy-user");
    }

  /* A password written in the proxy's URL itself (as curl's --proxy takes it) */
  {
    g_autoptr(LadleHistory) history = ladle_history_new (f->dir);
    g_autoptr(LadleRequest) in_url = make_request ("GET", "http://127.0.0.1:1/");
    g_autoptr(LadleHistoryEntry) entry = NULL;
    g_autofree char *text = NULL;

    ladle_request_set_proxy_mode (in_url, LADLE_PROXY_MANUAL);
    ladle_request_set_proxy_url (in_url, "http://proxy-user:url-Hist-Pa55@127.0.0.1:3128");
    entry = ladle_history_entry_new (in_url, 200, NULL, 1700000002000000, 1000);
    ladle_history_add (f->history, entry);
    save (f);
    g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
    g_assert_null (strstr (text, secrets[3]));
    g_assert_nonnull (strstr (text, "\"http://proxy-user@127.0.0.1:3128\""));
  }
  /* Without a scheme, and a URL that cannot be read */
  {
    g_autofree char *a = ladle_proxy_uri_without_password ("u:p4ss@127.0.0.1:3128");
    g_autofree char *b = ladle_proxy_uri_without_password ("socks5://u:p4ss@[::1");
    g_autofree char *c = ladle_proxy_uri_without_password ("http://127.0.0.1:3128");
    g_autofree char *d = ladle_proxy_uri_without_password ("socks5h://user@127.0.0.1:1080");

    g_assert_cmpstr (a, ==, "u@127.0.0.1:3128");
    g_assert_cmpstr (b, ==, "socks5://[::1");
    g_assert_cmpstr (c, ==, "http://127.0.0.1:3128");
    g_assert_cmpstr (d, ==, "socks5h://user@127.0.0.1:1080");
  }
}

static void
slot_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* A save asked for while the file loads waits for it: written earlier, it would have replaced the
 * file's entries with those in memory. */
static void
test_save_waits_for_load (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(LadleHistory) history = ladle_history_new (f->dir);
  g_autoptr(LadleHistory) loaded = ladle_history_new (f->dir);
  g_autoptr(GAsyncResult) load_result = NULL;
  g_autoptr(GAsyncResult) save_result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *load_slot = NULL;
  GAsyncResult *save_slot = NULL;

  add (f->history, "http://old/", 200, NULL, 1);
  save (f);

  ladle_history_load_async (history, NULL, slot_cb, &load_slot);
  add (history, "http://new/", 200, NULL, 2);
  ladle_history_save_async (history, NULL, slot_cb, &save_slot);
  LADLE_TEST_WAIT_UNTIL (load_slot != NULL && save_slot != NULL, 5000);
  load_result = g_steal_pointer (&load_slot);
  save_result = g_steal_pointer (&save_slot);
  g_assert_true (ladle_history_load_finish (history, load_result, &error));
  g_assert_true (ladle_history_save_finish (history, save_result, &error));
  g_assert_no_error (error);

  g_assert_true (load (f, loaded, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (loaded)), ==, 2);
  g_assert_cmpstr (ladle_request_get_url (ladle_history_entry_get_request (nth (loaded, 0))),
                   ==, "http://new/");
  g_assert_cmpstr (ladle_request_get_url (ladle_history_entry_get_request (nth (loaded, 1))),
                   ==, "http://old/");
}

/* What the fuzzer calls: the text alone. */
static void
test_parse (void)
{
  static const char text[] = "{\"version\": 1, \"entries\": [{\"request\": {\"version\": 1, "
                             "\"method\": \"GET\", \"url\": \"http://a/\"}, \"status\": 200, "
                             "\"time\": 1, \"duration\": 2}]}";
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  entries = _ladle_history_parse (text, sizeof text - 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_null (_ladle_history_parse ("{\"version\": 1}", 14, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, "No entries");
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/ladle/history/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("round-trip", test_round_trip);
  ADD ("newest-first-cap", test_newest_first_and_cap);
  ADD ("corrupt", test_corrupt);
  ADD ("truncated", test_truncated);
  ADD ("deep", test_deep);
  ADD ("unknown-version", test_unknown_version);
  ADD ("bad-entry", test_bad_entry);
  ADD ("atomic-save", test_atomic_save);
  ADD ("today-format", test_today_format);
  ADD ("save-waits-for-load", test_save_waits_for_load);
  ADD ("error-language", test_error_language);
  ADD ("error-language-transport", test_error_language_transport);
  ADD ("no-secrets", test_no_secrets);
#undef ADD
  g_test_add_func ("/ladle/history/parse", test_parse);

  return ladle_test_run ();
}
