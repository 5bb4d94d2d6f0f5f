/* ladle-test-ui.c
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

#include <locale.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ladle-test-ui.h"

/* UI tests drive real widgets in a real window (Xvfb in CI: tools/test starts it), the way a user
 * would: actions, entries, buttons. doc/STACK.md §10 has the verified recipes used here. */

gboolean
ladle_test_ui_init (int    *argc,
                    char ***argv)
{
  const char *localedir = g_getenv ("LADLE_LOCALEDIR");

  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  g_setenv ("GDK_BACKEND", "x11", FALSE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Not ladle_test_init(): isolating XDG_DATA_DIRS would hide the icon theme. Per-user folders
   * still go to a temporary home. */
  {
    g_autofree char *home = g_dir_make_tmp ("ladle-ui-test-XXXXXX", NULL);
    g_autofree char *data = g_build_filename (home, "data", NULL);
    g_autofree char *config = g_build_filename (home, "config", NULL);
    g_autofree char *cache = g_build_filename (home, "cache", NULL);

    g_setenv ("HOME", home, TRUE);
    g_setenv ("XDG_DATA_HOME", data, TRUE);
    g_setenv ("XDG_CONFIG_HOME", config, TRUE);
    g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  }
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (argc, argv, NULL);

  if (!gtk_init_check ())
    return FALSE;

  adw_init ();

  /* AdwApplication loads the app's style sheet; windows made without one need it too. */
  {
    g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (provider, "/io/github/ladle/Ladle/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (provider),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  return TRUE;
}

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       data)
{
  *(gboolean *) data = TRUE;
}

void
ladle_test_ui_wait_for_draw (GtkWidget *widget)
{
  GdkFrameClock *clock;
  gboolean painted = FALSE;
  gulong id;

  /* The widget must be mapped to have a frame clock. */
  LADLE_TEST_WAIT_UNTIL (gtk_widget_get_mapped (widget), 5000);
  clock = gtk_widget_get_frame_clock (widget);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);
  gtk_widget_queue_draw (widget);
  LADLE_TEST_WAIT_UNTIL (painted, 5000);
  g_signal_handler_disconnect (clock, id);
}

void
ladle_test_ui_spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

void
ladle_test_ui_show (GtkWindow *window,
                    int        width,
                    int        height)
{
  gtk_window_set_default_size (window, width, height);
  gtk_window_present (window);
  ladle_test_ui_wait_for_draw (GTK_WIDGET (window));
  /* Let the size settle (a resize allocates on the next frame). */
  ladle_test_ui_spin (100);
  ladle_test_ui_wait_for_draw (GTK_WIDGET (window));
}

char *
ladle_test_ui_screenshot (GtkWidget  *widget,
                          const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  GskRenderer *renderer;
  int width, height;
  char *path;

  /* Let transitions (cross-fades of the view switcher title) end first. */
  ladle_test_ui_spin (400);
  ladle_test_ui_wait_for_draw (widget);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));

  dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                          "screenshots", NULL);
  g_mkdir_with_parents (dir, 0755);
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));

  return path;
}

void
ladle_test_ui_set_dark (gboolean dark)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                           : ADW_COLOR_SCHEME_FORCE_LIGHT);
}

GtkWidget *
ladle_test_ui_find (GtkWidget  *root,
                    const char *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *id = gtk_buildable_get_buildable_id (GTK_BUILDABLE (child));
      GtkWidget *found;

      if (g_strcmp0 (id, name) == 0 || g_strcmp0 (gtk_widget_get_name (child), name) == 0)
        return child;
      if ((found = ladle_test_ui_find (child, name)) != NULL)
        return found;
    }

  return NULL;
}

void
ladle_test_ui_set_language (const char *language)
{
  if (language != NULL)
    g_setenv ("LANGUAGE", language, TRUE);
  else
    g_unsetenv ("LANGUAGE");

  /* Makes gettext drop its cache and read LANGUAGE again. */
  textdomain (GETTEXT_PACKAGE);
}

/**
 * ladle_test_ui_find_by_type:
 *
 * Returns: (transfer none) (nullable): the first descendant of @root of @type, depth first
 */
GtkWidget *
ladle_test_ui_find_by_type (GtkWidget *root,
                            GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      if ((found = ladle_test_ui_find_by_type (child, type)) != NULL)
        return found;
    }
  return NULL;
}

static void
collect_viewer_labels (GtkWidget *widget,
                       GtkWidget *list,
                       GString   *out)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      graphene_rect_t bounds;

      if (!gtk_widget_get_mapped (child) || !gtk_widget_get_child_visible (child))
        continue;
      if ((GTK_IS_LABEL (child) || GTK_IS_INSCRIPTION (child)) && list != NULL &&
          gtk_widget_compute_bounds (child, list, &bounds) &&
          bounds.origin.y + bounds.size.height > 0 &&
          bounds.origin.y < gtk_widget_get_height (list))
        {
          const char *text = GTK_IS_LABEL (child) ? gtk_label_get_text (GTK_LABEL (child))
                                                  : gtk_inscription_get_text (GTK_INSCRIPTION (child));

          g_string_append (out, text != NULL ? text : "");
          g_string_append_c (out, '\n');
        }
      collect_viewer_labels (child, GTK_IS_LIST_VIEW (child) ? child : list, out);
    }
}

/**
 * ladle_test_ui_dup_viewer_text:
 *
 * What a body viewer shows, read from its widgets only: the labels and inscriptions on screen
 * inside its list, a line each.
 */
char *
ladle_test_ui_dup_viewer_text (GtkWidget *viewer)
{
  GString *out = g_string_new (NULL);

  collect_viewer_labels (viewer, NULL, out);
  return g_string_free (out, FALSE);
}

gboolean
ladle_test_ui_viewer_shows (GtkWidget  *viewer,
                            const char *needle)
{
  g_autofree char *text = ladle_test_ui_dup_viewer_text (viewer);

  return strstr (text, needle) != NULL;
}

static gboolean
stall_tick (gpointer data)
{
  LadleTestStall *stall = data;
  gint64 now = g_get_monotonic_time ();

  if (stall->last != 0)
    stall->longest = MAX (stall->longest, now - stall->last);
  stall->last = now;
  return G_SOURCE_CONTINUE;
}

/**
 * ladle_test_ui_stall_start:
 * @interval_ms: the timer's period
 *
 * Starts measuring the longest gap between ticks of a timer on the main context: the longest
 * main-loop stall, give or take @interval_ms. Setting @stall->last to 0 forgets the gap in
 * progress (say, a screenshot's own rendering).
 */
void
ladle_test_ui_stall_start (LadleTestStall *stall,
                           guint           interval_ms)
{
  stall->last = 0;
  stall->longest = 0;
  stall->id = g_timeout_add (interval_ms, stall_tick, stall);
}

/**
 * ladle_test_ui_stall_stop:
 *
 * Returns: the longest stall seen since ladle_test_ui_stall_start(), in µs
 */
gint64
ladle_test_ui_stall_stop (LadleTestStall *stall)
{
  g_clear_handle_id (&stall->id, g_source_remove);
  return stall->longest;
}
