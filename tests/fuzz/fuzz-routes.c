/* fuzz-routes.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* libFuzzer harness for the mock routes loader.
 *
 * Each input is a routes file, loaded against a private folder that holds a few body files, a
 * link that stays inside and one that leads out of it: once with body files confined to that
 * folder, once with them allowed anywhere. Whatever loads is matched against a few requests,
 * written back as text and loaded again, and must come back the same (the round trip the window
 * makes each time it saves). A CRITICAL or a warning is a crash here. */

#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ladle-error.h"
#include "ladle-mock-routes.h"

int LLVMFuzzerInitialize   (int           *argc,
                            char        ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static char *top_dir;
static char *base_dir;

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  /* A link is removed, never followed: its target is not ours to remove. */
  if (dir != NULL && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
    }
  g_clear_pointer (&dir, g_dir_close);
  g_remove (path);
}

static void
remove_top_dir (void)
{
  remove_tree (top_dir);
  g_clear_pointer (&top_dir, g_free);
  g_clear_pointer (&base_dir, g_free);
}

static void
make_file (const char *dir,
           const char *name,
           const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  if (!g_file_set_contents (path, contents, -1, NULL))
    abort ();
}

static void
make_link (const char *dir,
           const char *name,
           const char *target)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  if (symlink (target, path) != 0)
    abort ();
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autofree char *sub = NULL;

  top_dir = g_dir_make_tmp ("ladle-fuzz-routes-XXXXXX", NULL);
  if (top_dir == NULL)
    abort ();
  base_dir = g_build_filename (top_dir, "mock", NULL);
  sub = g_build_filename (base_dir, "sub", NULL);
  if (g_mkdir_with_parents (sub, 0700) != 0)
    abort ();

  /* Names the seeds use: routes.json, a.json, b.txt, sub/c.bin, in (inside), out (outside). */
  make_file (base_dir, "routes.json", "[]");
  make_file (base_dir, "a.json", "{\"a\": 1}");
  make_file (base_dir, "b.txt", "b");
  make_file (sub, "c.bin", "c");
  make_file (top_dir, "outside.txt", "outside");
  make_link (base_dir, "in", "a.json");
  make_link (base_dir, "out", "../outside.txt");
  atexit (remove_top_dir);

  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

static void
fail (const char *what,
      const char *detail)
{
  fprintf (stderr, "fuzz-routes: %s%s%s\n", what, detail != NULL ? ": " : "",
           detail != NULL ? detail : "");
  /* abort() skips atexit(), and crash minimisation runs this many times over. */
  remove_top_dir ();
  abort ();
}

static void
match_a_few (GListStore *routes)
{
  static const char * const methods[] = { "GET", "HEAD", "POST", "delete", "PURGE" };
  static const char * const paths[] = {
    "/", "", "//", "/a", "/a/", "/users/42", "/users/42/posts/7", "/static/x/y.css",
    "/files/my report", "/caf\xc3\xa9/J\xc3\xb6rg", "/a/b/c/d/e", "/%zz", "no-slash",
  };
  g_autoptr(LadleMockRouter) router = ladle_mock_router_new (G_LIST_MODEL (routes));
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (routes));

  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    for (guint p = 0; p < G_N_ELEMENTS (paths); p++)
      {
        guint index = G_MAXUINT;

        if (ladle_mock_router_match (router, methods[m], paths[p], &index) && index >= n_items)
          fail ("a match names no route", paths[p]);
      }
}

/* Saves @routes as text and loads them again: the same routes must come back. */
static void
round_trip (GListStore               *routes,
            LadleMockRoutesLoadFlags  flags)
{
  g_autoptr(GListStore) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (routes));
  gsize len = 0;

  text = ladle_mock_routes_to_data (G_LIST_MODEL (routes), &len);
  again = ladle_mock_routes_load_data_full (text, len, "saved.json", base_dir, flags, &error);
  if (again == NULL)
    fail ("saved routes do not load", error->message);
  if (g_list_model_get_n_items (G_LIST_MODEL (again)) != n_items)
    fail ("saved routes load as another number of routes", text);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(LadleMockRoute) a = g_list_model_get_item (G_LIST_MODEL (routes), i);
      g_autoptr(LadleMockRoute) b = g_list_model_get_item (G_LIST_MODEL (again), i);

      if (!ladle_mock_route_equal (a, b) ||
          g_strcmp0 (ladle_mock_route_get_body_folder (a),
                     ladle_mock_route_get_body_folder (b)) != 0)
        fail ("a route changed in the round trip", text);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const LadleMockRoutesLoadFlags modes[] = {
    LADLE_MOCK_ROUTES_LOAD_DEFAULT,
    LADLE_MOCK_ROUTES_LOAD_ANY_BODY_FILE,
  };

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(GListStore) routes = NULL;
      g_autoptr(GError) error = NULL;

      routes = ladle_mock_routes_load_data_full ((const char *) data, size, "fuzz.json",
                                                 base_dir, modes[i], &error);
      if (routes != NULL)
        {
          match_a_few (routes);
          round_trip (routes, modes[i]);
        }

      /* Only a route's error can depend on where body files may be: text that does not parse
       * would only be parsed again. */
      if (!g_error_matches (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT))
        break;
    }

  return 0;
}
