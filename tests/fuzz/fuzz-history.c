/* fuzz-history.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The loaders of the window's saved files (history.json, tabs.json), which read whatever is on
 * disk at start. The input is parsed as both; when it loads as either, it is also written as both
 * files in a private folder and loaded as the window does. Checked: the files agree with the text,
 * a file that loads saves and loads again to as many entries and tabs, and one that does not is set
 * aside whole (nothing lost). */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include <glib/gstdio.h>

#include "ladle-history-private.h"
#include "ladle-session-private.h"

static char *folder;

static void remove_folder (void);

/* Says which promise broke, then stops as a crash would (abort() skips atexit()) */
#define FAIL(why) \
  G_STMT_START { g_printerr ("fuzz-history: %s\n", why); remove_folder (); abort (); } G_STMT_END

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  folder = g_dir_make_tmp ("ladle-fuzz-history-XXXXXX", NULL);
  g_assert (folder != NULL);
  atexit (remove_folder);
  return 0;
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static void
empty_folder (void)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);

      g_unlink (path);
    }
}

/* Files only: the stores write no folders below it. */
static void
remove_folder (void)
{
  if (folder == NULL)
    return;
  empty_folder ();
  g_rmdir (folder);
  g_clear_pointer (&folder, g_free);
}

/* Loads history and tabs; returns how many entries and tabs loaded (-1 for a damaged file) */
static void
load (gint *n_entries,
      gint *n_tabs,
      GPtrArray **tabs_out)
{
  g_autoptr(LadleHistory) history = ladle_history_new (folder);
  g_autoptr(LadleSession) session = ladle_session_new (folder);
  g_autoptr(GAsyncResult) loaded = NULL;
  g_autoptr(GAsyncResult) tabs_loaded = NULL;
  g_autoptr(GPtrArray) tabs = NULL;
  g_autoptr(GError) error = NULL;
  guint selected = 0;

  ladle_history_load_async (history, NULL, done_cb, &loaded);
  *n_entries = ladle_history_load_finish (history, wait_for (&loaded), NULL)
               ? (gint) g_list_model_get_n_items (G_LIST_MODEL (history)) : -1;

  ladle_session_load_tabs_async (session, NULL, done_cb, &tabs_loaded);
  tabs = ladle_session_load_tabs_finish (session, wait_for (&tabs_loaded), &selected, &error);
  *n_tabs = error != NULL ? -1 : tabs != NULL ? (gint) tabs->len : 0;
  /* The selected tab is one of the tabs, when there are any (an empty list is a fresh start) */
  if (tabs != NULL && tabs->len > 0 && selected >= tabs->len)
    FAIL ("if (tabs != NULL && tabs->len > 0 && selected >= tabs->len)");

  if (*n_entries > 0)
    {
      g_autoptr(GAsyncResult) saved = NULL;

      ladle_history_save_async (history, NULL, done_cb, &saved);
      if (!ladle_history_save_finish (history, wait_for (&saved), NULL))
        FAIL ("if (!ladle_history_save_finish (history, wait_for (&saved), NULL))");
    }
  if (tabs_out != NULL)
    *tabs_out = g_steal_pointer (&tabs);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *history_path = NULL;
  g_autofree char *tabs_path = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) parsed_tabs = NULL;
  g_autoptr(GPtrArray) tabs = NULL;
  gint n_entries, n_tabs, again_entries, again_tabs;
  guint selected = 0;

  /* The text alone, as the loaders read it: quick, for most inputs */
  entries = _ladle_history_parse ((const char *) data, size, NULL);
  parsed_tabs = _ladle_session_parse_tabs ((const char *) data, size, &selected, NULL);
  if (parsed_tabs != NULL && parsed_tabs->len > 0 && selected >= parsed_tabs->len)
    FAIL ("if (parsed_tabs != NULL && parsed_tabs->len > 0 && selected >= parsed_");
  if (entries == NULL && parsed_tabs == NULL)
    return 0;

  /* A file that loads: through the real files, saved and loaded again */
  history_path = g_build_filename (folder, "history.json", NULL);
  tabs_path = g_build_filename (folder, "tabs.json", NULL);
  empty_folder ();
  if (!g_file_set_contents (history_path, (const char *) data, size, NULL) ||
      !g_file_set_contents (tabs_path, (const char *) data, size, NULL))
    FAIL ("!g_file_set_contents (tabs_path, (const char *) data, size, NULL))");

  load (&n_entries, &n_tabs, &tabs);

  /* The files agree with the text; a damaged file is set aside, never lost */
  if ((n_entries >= 0) != (entries != NULL) || (n_tabs >= 0) != (parsed_tabs != NULL))
    FAIL ("if ((n_entries >= 0) != (entries != NULL) || (n_tabs >= 0) != (parsed_");
  if ((n_entries < 0 && g_file_test (history_path, G_FILE_TEST_EXISTS)) ||
      (n_tabs < 0 && g_file_test (tabs_path, G_FILE_TEST_EXISTS)))
    FAIL ("(n_tabs < 0 && g_file_test (tabs_path, G_FILE_TEST_EXISTS)))");

  if (tabs != NULL)
    {
      g_autoptr(LadleSession) session = ladle_session_new (folder);

      if (!ladle_session_save_tabs (session, tabs, 0, NULL))
        FAIL ("if (!ladle_session_save_tabs (session, tabs, 0, NULL))");
    }

  /* What loaded, saved, loads again the same */
  load (&again_entries, &again_tabs, NULL);
  if ((n_entries >= 0 && again_entries != n_entries) || (n_tabs > 0 && again_tabs != n_tabs))
    FAIL ("if ((n_entries >= 0 && again_entries != n_entries) || (n_tabs > 0 && a");

  return 0;
}
