/* test-ui-about.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The About window (app.about): its Troubleshooting page says what `ladle --version` prints, then
 * the display, renderer, locale, executable and data folder. */

#include "config.h"

#include <string.h>

#include "ladle-application.h"
#include "ladle-data-dir.h"
#include "ladle-test-ui.h"
#include "ladle-window.h"

/* What `ladle --version` prints (the real executable, LADLE_BIN) */
static char *
ladle_version_output (void)
{
  const char *argv[] = { g_getenv ("LADLE_BIN"), "--version", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (ladle_test_run_command (argv, NULL, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  return g_steal_pointer (&out);
}

/* Whether a GtkTextView under @root holds exactly @text */
static gboolean
has_text_view_with (GtkWidget  *root,
                    const char *text)
{
  if (GTK_IS_TEXT_VIEW (root))
    {
      g_autofree char *shown = ladle_test_ui_dup_text (root);

      if (g_strcmp0 (shown, text) == 0)
        return TRUE;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_text_view_with (child, text))
      return TRUE;
  return FALSE;
}

/* In English, and in Russian (LANGUAGE=ru, for `ladle --version` too): the words translated,
 * the libraries' names and versions not */
static void
test_troubleshooting (gconstpointer data)
{
  const char *language = data;
  gboolean ru = g_strcmp0 (language, "ru") == 0;
  g_autoptr(LadleApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL;
  g_autofree char *data_dir = ladle_data_dir_dup (APP_ID);
  g_autofree char *data_line = g_strdup_printf (ru ? "\nПапка данных: %s\n" : "\nData folder: %s\n",
                                                data_dir);
  AdwAboutWindow *about;
  LadleWindow *window;
  const char *info;
  GtkWidget *row;

  ladle_test_ui_set_language (language);
  version = ladle_version_output ();
  g_assert_true (g_str_has_prefix (version, "ladle " PACKAGE_VERSION "\nGLib "));
  g_assert_nonnull (strstr (version, ru ? " (при сборке)\n" : " (built with)\n"));
  g_assert_nonnull (strstr (version, "\nGTK 4."));

  /* The app's own actions come with its startup; no D-Bus name is taken. */
  app = ladle_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  window = ladle_window_new (app);
  ladle_test_ui_show (GTK_WINDOW (window), 900, 600);

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  LADLE_TEST_WAIT_UNTIL (ladle_test_ui_find_toplevel (ADW_TYPE_ABOUT_WINDOW) != NULL, 5000);
  about = ADW_ABOUT_WINDOW (ladle_test_ui_find_toplevel (ADW_TYPE_ABOUT_WINDOW));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == GTK_WINDOW (window));

  /* The versions first, exactly as `ladle --version` says them (GTK's from this process, the
   * rest from the same libraries), then what this process knows of its place */
  info = adw_about_window_get_debug_info (about);
  g_test_message ("Troubleshooting:\n%s", info);
  g_assert_true (g_str_has_prefix (info, version));
  g_assert_nonnull (strstr (info, ru ? "\nДисплей: GdkX11Display " : "\nDisplay: GdkX11Display "));
  g_assert_nonnull (strstr (info, ru ? "\nОтрисовщик: Gsk" : "\nRenderer: Gsk"));
  g_assert_nonnull (strstr (info, "\nLC_MESSAGES: "));
  g_assert_nonnull (strstr (info, ru ? "\nLANGUAGE: ru\n" : "\nLANGUAGE: (not set)\n"));
  /* The test runs from the build tree, as a build's ladle-window would */
  g_assert_nonnull (strstr (info, ru ? "\nИсполняемый файл: " : "\nExecutable: "));
  g_assert_nonnull (strstr (info, ru ? " (дерево сборки)\n" : " (build tree)\n"));
  g_assert_nonnull (strstr (info, data_line));
  g_assert_cmpstr (adw_about_window_get_debug_info_filename (about), ==, "ladle-debug-info.txt");

  /* The page is offered, and its Debugging Information shows that text */
  row = ladle_test_ui_get (about, "troubleshooting_row");
  g_assert_true (gtk_widget_get_visible (row));
  g_assert_true (has_text_view_with (GTK_WIDGET (about), info));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (about), "about.subpage", "s",
                                             "troubleshooting"));
  g_free (ladle_test_ui_screenshot (GTK_WIDGET (about), ru ? "about-troubleshooting-ru"
                                                           : "about-troubleshooting"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (about), "about.debug", NULL));
  g_free (ladle_test_ui_screenshot (GTK_WIDGET (about), ru ? "about-debug-info-ru"
                                                           : "about-debug-info"));

  ladle_test_ui_destroy_window (about);
  ladle_test_ui_destroy_window (window);
  ladle_test_ui_set_language (NULL);
  ladle_test_rm_rf (data_dir);
}

int
main (int   argc,
      char *argv[])
{
  if (!ladle_test_ui_init (&argc, &argv))
    {
      g_test_add_func ("/ladle/ui-about/no-display", (GTestFunc) g_test_incomplete);
      return ladle_test_run ();
    }

  g_test_add_data_func ("/ladle/ui-about/troubleshooting", NULL, test_troubleshooting);
  g_test_add_data_func ("/ladle/ui-about/troubleshooting-ru", "ru", test_troubleshooting);

  return ladle_test_run ();
}
