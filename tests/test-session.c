/* test-session.c
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

#include "ladle-error.h"
#include "ladle-session-private.h"
#include "ladle-test-utils.h"

typedef struct
{
  char         *dir;
  LadleSession *session;
  GAsyncResult *result;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = ladle_test_make_tmpdir ("ladle-session-XXXXXX");
  f->session = ladle_session_new (f->dir);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_null (f->result);
  g_assert_finalize_object (f->session);
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
  LADLE_TEST_WAIT_UNTIL (f->result != NULL, 5000);
  return g_steal_pointer (&f->result);
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

static GPtrArray *
load_tabs (Fixture  *f,
           guint    *selected,
           GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ladle_session_load_tabs_async (f->session, NULL, result_cb, f);
  result = wait_result (f);
  return ladle_session_load_tabs_finish (f->session, result, selected, error);
}

static void
save_tabs (Fixture   *f,
           GPtrArray *requests,
           guint      selected)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ladle_session_save_tabs_async (f->session, requests, selected, NULL, result_cb, f);
  result = wait_result (f);
  g_assert_true (ladle_session_save_tabs_finish (f->session, result, &error));
  g_assert_no_error (error);
}

/* Copies @name from tests/data/saved-before-store, files a Ladle before LadleJsonStore wrote. */
static char *
copy_old_file (Fixture    *f,
               const char *name)
{
  g_autofree char *source = g_test_build_filename (G_TEST_DIST, "data", "saved-before-store",
                                                   name, NULL);
  char *path = g_build_filename (f->dir, name, NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (source, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (path, contents, length, NULL));
  return path;
}

static void
test_tabs (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *path = g_build_filename (f->dir, "tabs.json", NULL);
  g_auto(GStrv) names = NULL;
  LadleRequest *second;
  guint selected = 99;

  g_assert_cmpstr (ladle_session_get_dir (f->session), ==, f->dir);

  /* None yet. */
  g_assert_null (load_tabs (f, &selected, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (selected, ==, 0);

  g_ptr_array_add (requests, make_request ("GET", "http://127.0.0.1:1/one"));
  g_ptr_array_add (requests, second = make_request ("POST", "http://127.0.0.1:1/two"));
  g_ptr_array_add (requests, ladle_request_new ());
  ladle_request_set_body_kind (second, LADLE_BODY_JSON);
  ladle_request_set_body_text (second, "{\"a\": [1, 2]}");
  ladle_request_set_total_timeout (second, 2.5);
  save_tabs (f, requests, 1);

  /* A versioned file, and every tab back, in order, with the selection. */
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "\"version\" : 1"));
  names = list_dir (f->dir);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  loaded = load_tabs (f, &selected, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpuint (loaded->len, ==, 3);
  g_assert_cmpuint (selected, ==, 1);
  g_assert_cmpstr (ladle_request_get_url (g_ptr_array_index (loaded, 0)), ==,
                   "http://127.0.0.1:1/one");
  second = g_ptr_array_index (loaded, 1);
  g_assert_cmpstr (ladle_request_get_method (second), ==, "POST");
  g_assert_cmpint (ladle_request_get_body_kind (second), ==, LADLE_BODY_JSON);
  g_assert_cmpstr (ladle_request_get_body_text (second), ==, "{\"a\": [1, 2]}");
  g_assert_cmpfloat (ladle_request_get_total_timeout (second), ==, 2.5);
  g_assert_cmpstr (ladle_request_get_url (g_ptr_array_index (loaded, 2)), ==, "");
  g_clear_pointer (&loaded, g_ptr_array_unref);

  /* The blocking save, as at exit, wins over the earlier one. */
  g_ptr_array_remove_index (requests, 0);
  ladle_session_save_tabs_async (f->session, requests, 1, NULL, result_cb, f);
  g_ptr_array_remove_index (requests, 1);
  g_assert_true (ladle_session_save_tabs (f->session, requests, 0, &error));
  g_assert_no_error (error);
  {
    g_autoptr(GAsyncResult) result = wait_result (f);

    g_assert_true (ladle_session_save_tabs_finish (f->session, result, &error));
  }
  loaded = load_tabs (f, &selected, &error);
  g_assert_cmpuint (loaded->len, ==, 1);
  g_assert_cmpuint (selected, ==, 0);
  g_assert_cmpstr (ladle_request_get_url (g_ptr_array_index (loaded, 0)), ==,
                   "http://127.0.0.1:1/two");
}

/* The tabs.json a Ladle before LadleJsonStore wrote loads as it is. */
static void
test_today_format (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = copy_old_file (f, "tabs.json");
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GError) error = NULL;
  LadleRequest *first;
  guint selected = 99;

  loaded = load_tabs (f, &selected, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpuint (loaded->len, ==, 2);
  g_assert_cmpuint (selected, ==, 1);
  first = g_ptr_array_index (loaded, 0);
  g_assert_cmpstr (ladle_request_get_method (first), ==, "POST");
  g_assert_cmpstr (ladle_request_get_url (first), ==, "http://127.0.0.1:8080/post?q=ключ");
  g_assert_cmpstr (ladle_request_get_body_text (first), ==, "{\"a\": [1, 2]}");
  g_assert_cmpstr (ladle_request_get_auth_token (first), ==, "tok");
  g_assert_cmpstr (ladle_request_get_url (g_ptr_array_index (loaded, 1)), ==,
                   "http://127.0.0.1:1/fail");
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_clear_pointer (&loaded, g_ptr_array_unref);

  /* Its tabs have no origin. */
  {
    g_autoptr(GAsyncResult) result = NULL;

    ladle_session_load_tabs_async (f->session, NULL, result_cb, f);
    result = wait_result (f);
    loaded = ladle_session_load_tabs_full_finish (f->session, result, &selected, &error);
  }
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, 2);
  g_assert_cmpuint (selected, ==, 1);
  for (guint i = 0; i < loaded->len; i++)
    {
      LadleSessionTab *tab = g_ptr_array_index (loaded, i);

      g_assert_nonnull (tab->request);
      g_assert_null (tab->origin_file);
      g_assert_null (tab->origin_request);
    }
  first = ((LadleSessionTab *) g_ptr_array_index (loaded, 0))->request;
  g_assert_cmpstr (ladle_request_get_method (first), ==, "POST");
}

static char *
deep_file (void)
{
  GString *s = g_string_new ("{\"version\": 1, \"tabs\": ");

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (s, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (s, ']');
  g_string_append (s, "}");
  return g_string_free (s, FALSE);
}

static void
test_tabs_corrupt (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *deep = deep_file ();
  const char *broken[] = {
    "{\"version\": 1, \"selected\": 0, \"tabs\": [{\"request\": ",
    "{\"version\": 1, \"selected\": 0, \"tabs\": [{\"request\": 3}]}",
    "{\"version\": 1, \"selected\": 0, \"tabs\": [{}]}",
    "{\"version\": 1, \"selected\": 0}",
    "{\"version\": 2, \"tabs\": []}",
    deep,
  };
  const char *reasons[] = {
    "", "Tab 1 is not valid", "Tab 1 is not valid", "No tabs",
    "Written by a newer version of Ladle", "nest more than 512 levels deep",
  };
  g_autofree char *path = g_build_filename (f->dir, "tabs.json", NULL);

  G_STATIC_ASSERT (G_N_ELEMENTS (broken) == G_N_ELEMENTS (reasons));

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) loaded = NULL;
      g_autofree char *aside = NULL;
      g_autofree char *kept = NULL;
      g_auto(GStrv) names = NULL;

      g_assert_true (g_file_set_contents (path, broken[i], -1, NULL));
      loaded = load_tabs (f, NULL, &error);
      g_assert_null (loaded);
      g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, "The open tabs could not be read"));
      g_assert_nonnull (strstr (error->message, reasons[i]));

      /* Set aside whole, never overwritten; the next load finds no tabs. */
      names = list_dir (f->dir);
      g_assert_cmpuint (g_strv_length (names), ==, 1);
      g_assert_true (g_str_has_prefix (names[0], "tabs.json.corrupt-"));
      aside = g_build_filename (f->dir, names[0], NULL);
      g_assert_nonnull (strstr (error->message, aside));
      g_assert_true (g_file_get_contents (aside, &kept, NULL, NULL));
      g_assert_cmpstr (kept, ==, broken[i]);
      g_assert_cmpint (g_unlink (aside), ==, 0);
      g_clear_error (&error);
      g_assert_null (load_tabs (f, NULL, &error));
      g_assert_no_error (error);
    }

  /* A selection out of range costs only the selection. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) loaded = NULL;
    guint selected = 99;

    g_assert_true (g_file_set_contents (path,
                                        "{\"version\": 1, \"selected\": 5, \"tabs\": "
                                        "[{\"request\": {\"version\": 1, \"method\": \"GET\", "
                                        "\"url\": \"http://a/\"}}]}", -1, NULL));
    loaded = load_tabs (f, &selected, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (loaded->len, ==, 1);
    g_assert_cmpuint (selected, ==, 0);
  }
}

static GPtrArray *
load_full (Fixture  *f,
           guint    *selected,
           GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ladle_session_load_tabs_async (f->session, NULL, result_cb, f);
  result = wait_result (f);
  return ladle_session_load_tabs_full_finish (f->session, result, selected, error);
}

static LadleSessionTab *
make_tab (const char *url)
{
  g_autoptr(LadleRequest) request = make_request ("GET", url);

  return ladle_session_tab_new (request);
}

/* Tabs of a workspace's requests keep where they came from; the others have no origin. */
static void
test_tabs_origin (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) tabs = NULL;
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_build_filename (f->dir, "work", "api ключ.http", NULL);
  LadleSessionTab *tab;
  guint selected = 99;

  tabs = g_ptr_array_new_with_free_func ((GDestroyNotify) ladle_session_tab_free);
  g_ptr_array_add (tabs, make_tab ("http://127.0.0.1:1/scratch"));
  g_ptr_array_add (tabs, tab = make_tab ("{{host}}/named"));
  ladle_session_tab_set_origin (tab, file, "list users", 3);
  g_ptr_array_add (tabs, tab = make_tab ("{{host}}/unnamed"));
  ladle_session_tab_set_origin (tab, file, NULL, 0);
  /* Setting an origin from the tab's own strings, then taking it away. */
  g_ptr_array_add (tabs, tab = make_tab ("http://127.0.0.1:1/unlinked"));
  ladle_session_tab_set_origin (tab, file, "x", 1);
  ladle_session_tab_set_origin (tab, tab->origin_file, tab->origin_request, 2);
  g_assert_cmpstr (tab->origin_file, ==, file);
  g_assert_cmpstr (tab->origin_request, ==, "x");
  g_assert_cmpuint (tab->origin_index, ==, 2);
  ladle_session_tab_set_origin (tab, NULL, "ignored", 5);
  g_assert_null (tab->origin_request);
  g_assert_cmpuint (tab->origin_index, ==, 0);
  {
    /* A copy shares the request and has its own strings. */
    g_autoptr(LadleSessionTab) copy = ladle_session_tab_copy (g_ptr_array_index (tabs, 1));

    g_assert_true (copy->request == ((LadleSessionTab *) g_ptr_array_index (tabs, 1))->request);
    g_assert_cmpstr (copy->origin_file, ==, file);
    g_assert_cmpstr (copy->origin_request, ==, "list users");
    g_assert_cmpuint (copy->origin_index, ==, 3);
    g_assert_true (G_TYPE_IS_BOXED (LADLE_TYPE_SESSION_TAB));
  }

  ladle_session_save_tabs_full_async (f->session, tabs, 2, NULL, result_cb, f);
  {
    g_autoptr(GAsyncResult) result = wait_result (f);

    g_assert_true (ladle_session_save_tabs_finish (f->session, result, &error));
    g_assert_no_error (error);
  }

  loaded = load_full (f, &selected, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpuint (loaded->len, ==, 4);
  g_assert_cmpuint (selected, ==, 2);
  tab = g_ptr_array_index (loaded, 0);
  g_assert_cmpstr (ladle_request_get_url (tab->request), ==, "http://127.0.0.1:1/scratch");
  g_assert_null (tab->origin_file);
  g_assert_null (tab->origin_request);
  tab = g_ptr_array_index (loaded, 1);
  g_assert_cmpstr (ladle_request_get_url (tab->request), ==, "{{host}}/named");
  g_assert_cmpstr (tab->origin_file, ==, file);
  g_assert_cmpstr (tab->origin_request, ==, "list users");
  g_assert_cmpuint (tab->origin_index, ==, 3);
  tab = g_ptr_array_index (loaded, 2);
  g_assert_cmpstr (tab->origin_file, ==, file);
  g_assert_null (tab->origin_request);
  g_assert_cmpuint (tab->origin_index, ==, 0);
  tab = g_ptr_array_index (loaded, 3);
  g_assert_cmpstr (ladle_request_get_url (tab->request), ==, "http://127.0.0.1:1/unlinked");
  g_assert_null (tab->origin_file);
  g_clear_pointer (&loaded, g_ptr_array_unref);

  /* The requests-only finish reads the same file. */
  requests = load_tabs (f, &selected, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (requests->len, ==, 4);
  g_assert_cmpstr (ladle_request_get_url (g_ptr_array_index (requests, 1)), ==, "{{host}}/named");

  /* A save of requests alone drops the origins; the blocking full save writes them again. */
  save_tabs (f, requests, 1);
  loaded = load_full (f, &selected, &error);
  g_assert_cmpuint (loaded->len, ==, 4);
  for (guint i = 0; i < loaded->len; i++)
    g_assert_null (((LadleSessionTab *) g_ptr_array_index (loaded, i))->origin_file);
  g_clear_pointer (&loaded, g_ptr_array_unref);
  g_assert_true (ladle_session_save_tabs_full (f->session, tabs, 1, &error));
  g_assert_no_error (error);
  loaded = load_full (f, &selected, &error);
  g_assert_cmpuint (loaded->len, ==, 4);
  g_assert_cmpuint (selected, ==, 1);
  g_assert_cmpstr (((LadleSessionTab *) g_ptr_array_index (loaded, 1))->origin_request, ==,
                   "list users");
  g_clear_pointer (&loaded, g_ptr_array_unref);

  /* An origin that could not be written as JSON (a path that is not UTF-8) is left out; the tab
   * and the file stay good. */
  tab = g_ptr_array_index (tabs, 1);
  ladle_session_tab_set_origin (tab, "/tmp/\xff\xfe.http", "a", 0);
  tab = g_ptr_array_index (tabs, 2);
  ladle_session_tab_set_origin (tab, "relative.http", NULL, 0);
  g_assert_true (ladle_session_save_tabs_full (f->session, tabs, 0, &error));
  loaded = load_full (f, &selected, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, 4);
  g_assert_null (((LadleSessionTab *) g_ptr_array_index (loaded, 1))->origin_file);
  g_assert_null (((LadleSessionTab *) g_ptr_array_index (loaded, 2))->origin_file);
  tab = g_ptr_array_index (loaded, 1);
  g_assert_cmpstr (ladle_request_get_url (tab->request), ==, "{{host}}/named");
}

/* An origin that does not read well is dropped; its tab, and the others, load. */
static void
test_tabs_origin_damaged (Fixture       *f,
                          gconstpointer  data)
{
  const char *origins[] = {
    "3",
    "null",
    "\"/abs/a.http\"",
    "[]",
    "{}",
    "{\"file\": 1, \"request\": \"a\", \"index\": 0}",
    "{\"file\": \"relative.http\", \"request\": \"a\", \"index\": 0}",
    "{\"file\": \"\", \"request\": \"a\", \"index\": 0}",
    "{\"file\": \"/abs/a.http\", \"request\": 7, \"index\": 0}",
    "{\"file\": \"/abs/a.http\", \"request\": [\"a\"], \"index\": 0}",
    "{\"file\": \"/abs/a.http\", \"request\": \"a\"}",
    "{\"file\": \"/abs/a.http\", \"request\": \"a\", \"index\": \"0\"}",
    "{\"file\": \"/abs/a.http\", \"request\": \"a\", \"index\": 1.5}",
    "{\"file\": \"/abs/a.http\", \"request\": \"a\", \"index\": -1}",
    "{\"file\": \"/abs/a.http\", \"request\": \"a\", \"index\": 4294967296}",
    "{\"file\": {\"deep\": [[[]]]}, \"request\": \"a\", \"index\": 0}",
  };
  g_autofree char *path = g_build_filename (f->dir, "tabs.json", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (origins); i++)
    {
      g_autofree char *text = NULL;
      g_autoptr(GPtrArray) loaded = NULL;
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) names = NULL;
      LadleSessionTab *tab;
      guint selected = 99;

      text = g_strdup_printf ("{\"version\": 1, \"selected\": 1, \"tabs\": ["
                              "{\"request\": {\"version\": 1, \"url\": \"http://a/\"}, "
                              "\"origin\": %s},"
                              "{\"request\": {\"version\": 1, \"url\": \"http://b/\"}, "
                              "\"origin\": {\"file\": \"/abs/b.http\", \"request\": null, "
                              "\"index\": 2, \"later\": true}, \"later\": [1]}]}",
                              origins[i]);
      g_test_message ("%s", origins[i]);
      g_assert_true (g_file_set_contents (path, text, -1, NULL));
      loaded = load_full (f, &selected, &error);
      g_assert_no_error (error);
      g_assert_nonnull (loaded);
      g_assert_cmpuint (loaded->len, ==, 2);
      g_assert_cmpuint (selected, ==, 1);
      tab = g_ptr_array_index (loaded, 0);
      g_assert_cmpstr (ladle_request_get_url (tab->request), ==, "http://a/");
      g_assert_null (tab->origin_file);
      g_assert_null (tab->origin_request);
      /* Members a later Ladle may add are passed over. */
      tab = g_ptr_array_index (loaded, 1);
      g_assert_cmpstr (tab->origin_file, ==, "/abs/b.http");
      g_assert_null (tab->origin_request);
      g_assert_cmpuint (tab->origin_index, ==, 2);
      /* Nothing was set aside. */
      names = list_dir (f->dir);
      g_assert_cmpuint (g_strv_length (names), ==, 1);
    }
}

/* The draft.json of a Ladle before tabs becomes the first tab, and goes once the tabs are
 * saved. */
static void
test_tabs_from_draft (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *draft_path = copy_old_file (f, "draft.json");
  g_autofree char *tabs_path = g_build_filename (f->dir, "tabs.json", NULL);
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  guint selected = 99;

  loaded = load_tabs (f, &selected, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpuint (loaded->len, ==, 1);
  g_assert_cmpuint (selected, ==, 0);
  g_assert_cmpstr (ladle_request_get_method (g_ptr_array_index (loaded, 0)), ==, "POST");
  g_assert_cmpstr (ladle_request_get_url (g_ptr_array_index (loaded, 0)), ==,
                   "http://127.0.0.1:8080/post?q=ключ");
  g_assert_cmpstr (ladle_request_get_auth_token (g_ptr_array_index (loaded, 0)), ==, "tok");
  /* Loading does not remove it: only saving the tabs does. */
  g_assert_true (g_file_test (draft_path, G_FILE_TEST_EXISTS));

  save_tabs (f, loaded, 0);
  names = list_dir (f->dir);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, "tabs.json");
  g_clear_pointer (&loaded, g_ptr_array_unref);
  loaded = load_tabs (f, &selected, &error);
  g_assert_cmpuint (loaded->len, ==, 1);
  g_clear_pointer (&loaded, g_ptr_array_unref);
  g_clear_pointer (&names, g_strfreev);

  /* The blocking save removes it too. */
  {
    g_autoptr(LadleSession) session = ladle_session_new (f->dir);
    g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func (g_object_unref);
    g_autofree char *again = copy_old_file (f, "draft.json");

    g_ptr_array_add (requests, make_request ("GET", "http://a/"));
    g_assert_true (ladle_session_save_tabs (session, requests, 0, &error));
    g_assert_no_error (error);
    g_assert_false (g_file_test (again, G_FILE_TEST_EXISTS));
  }

  /* A damaged draft is set aside, and there are no tabs. */
  g_assert_cmpint (g_unlink (tabs_path), ==, 0);
  g_assert_true (g_file_set_contents (draft_path, "{\"version\": 1", -1, NULL));
  loaded = load_tabs (f, &selected, &error);
  g_assert_null (loaded);
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, "The saved draft could not be read"));
  names = list_dir (f->dir);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_true (g_str_has_prefix (names[0], "draft.json.corrupt-"));
  g_assert_nonnull (strstr (error->message, names[0]));
  g_clear_pointer (&names, g_strfreev);
  g_clear_error (&error);

  /* One without its request too. */
  g_assert_true (g_file_set_contents (draft_path, "{\"version\": 1}", -1, NULL));
  g_assert_null (load_tabs (f, &selected, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "No request"));
}

/* What the fuzzer calls: the text alone. */
static void
test_parse (void)
{
  static const char text[] = "{\"version\": 1, \"selected\": 1, \"tabs\": ["
                             "{\"request\": {\"version\": 1, \"url\": \"http://a/\"}},"
                             "{\"request\": {\"version\": 1, \"url\": \"http://b/\"}}]}";
  g_autoptr(GPtrArray) tabs = NULL;
  g_autoptr(GError) error = NULL;
  guint selected = 0;

  tabs = _ladle_session_parse_tabs (text, sizeof text - 1, &selected, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tabs->len, ==, 2);
  g_assert_cmpuint (selected, ==, 1);
  g_assert_null (_ladle_session_parse_tabs ("[]", 2, NULL, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/ladle/session/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("tabs", test_tabs);
  ADD ("today-format", test_today_format);
  ADD ("tabs-corrupt", test_tabs_corrupt);
  ADD ("tabs-from-draft", test_tabs_from_draft);
  ADD ("tabs-origin", test_tabs_origin);
  ADD ("tabs-origin-damaged", test_tabs_origin_damaged);
#undef ADD
  g_test_add_func ("/ladle/session/parse", test_parse);

  return ladle_test_run ();
}
