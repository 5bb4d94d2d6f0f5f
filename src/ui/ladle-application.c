/* ladle-application.c
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
#include <stdio.h>

#include <glib/gi18n.h>

#include "ladle-application.h"
#include "ladle-data-dir.h"
#include "ladle-install.h"
#include "ladle-preferences-window.h"
#include "ladle-temp-files.h"
#include "ladle-ui-util.h"
#include "ladle-version.h"
#include "ladle-window.h"
#if LADLE_BENCH_HOOKS
#include "ladle-bench-hooks.h"
#endif

/* The data folder (ladle_data_dir_dup (APP_ID)) is the pages' own business; the application only
 * moves a release build's data from the folder every build used before, once, in a worker thread,
 * before the first window opens. */

/* The settings that may name a file in the data folder */
static const char *path_keys[] = { "server-routes-file", "server-uploads-dir" };

struct _LadleApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;         /* made by startup, or before by the first who asks */
  char           *migration_error;  /* to tell the first window */
  gboolean        data_ready;       /* the data folder may be used */
  gboolean        activate_pending; /* activated before it could be */
};

G_DEFINE_FINAL_TYPE (LadleApplication, ladle_application, ADW_TYPE_APPLICATION)

static void
ladle_application_activate (GApplication *app)
{
  LadleApplication *self = LADLE_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  /* Activated again once the data moved. */
  if (window == NULL && !self->data_ready)
    {
      self->activate_pending = TRUE;
      return;
    }

  if (window == NULL)
    {
      window = GTK_WINDOW (ladle_window_new (self));
#if LADLE_BENCH_HOOKS
      ladle_bench_hooks_install (LADLE_WINDOW (window));
#endif
    }

  gtk_window_present (window);
  if (self->migration_error != NULL)
    {
      ladle_window_add_toast (LADLE_WINDOW (window), self->migration_error);
      g_clear_pointer (&self->migration_error, g_free);
    }
}

static void
data_migrated_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(LadleApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *legacy = ladle_data_dir_dup_legacy ();
  g_autofree char *dir = ladle_data_dir_dup (APP_ID);
  gboolean moved = FALSE;

  if (!ladle_data_dir_migrate_finish (result, &moved, &error))
    {
      /* The old folder stays as it was; the window starts with an empty one. */
      g_warning ("Could not move %s to %s: %s", legacy, dir, error->message);
      /* Translators: %s says why */
      self->migration_error = g_strdup_printf (_("Your data from an earlier Ladle could not be "
                                                 "moved: %s"), error->message);
    }

  for (guint i = 0; moved && i < G_N_ELEMENTS (path_keys); i++)
    {
      g_autofree char *path = g_settings_get_string (self->settings, path_keys[i]);
      g_autofree char *rebased = ladle_data_dir_rebase (path, legacy, dir);

      if (rebased != NULL)
        g_settings_set_string (self->settings, path_keys[i], rebased);
    }

  self->data_ready = TRUE;
  if (self->activate_pending)
    g_application_activate (G_APPLICATION (self));
  self->activate_pending = FALSE;
  g_application_release (G_APPLICATION (self));
}

/* A release build takes over the data of the Ladle before (a development build has an app id
 * and a folder of its own, and leaves it alone). */
static void
migrate_data (LadleApplication *self)
{
  g_autofree char *legacy = NULL;
  g_autofree char *dir = NULL;

  if (DEVELOPMENT_BUILD)
    {
      self->data_ready = TRUE;
      return;
    }

  legacy = ladle_data_dir_dup_legacy ();
  dir = ladle_data_dir_dup (APP_ID);
  /* Nothing to move, as on every start but one (the rules of ladle_data_dir_migrate()): no
   * worker thread, and the window opens without waiting for one. */
  if (g_file_test (dir, G_FILE_TEST_EXISTS) || !g_file_test (legacy, G_FILE_TEST_IS_DIR))
    {
      self->data_ready = TRUE;
      return;
    }
  g_application_hold (G_APPLICATION (self));
  ladle_data_dir_migrate_async (legacy, dir, NULL, data_migrated_cb, g_object_ref (self));
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

/* An environment variable for the debug information: its value, or that it is not set */
static const char *
env_or_unset (const char *name)
{
  const char *value = g_getenv (name);

  /* Translators: an environment variable's value in the About window's Troubleshooting */
  return value != NULL ? value : _("(not set)");
}

/* Where this executable runs from: an installed place (the libexecdir of a prefix, wherever that
 * prefix is: ladle-install.c), a meson build tree (whose root holds build.ninja, one folder above
 * src/), or somewhere else */
static char *
describe_executable (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = NULL;
  g_autofree char *parent = NULL;
  g_autofree char *ninja = NULL;
  g_autofree char *libexecdir = NULL;
  const char *where;

  if (self == NULL)
    return g_strdup (_("unknown"));
  dir = g_path_get_dirname (self);
  parent = g_path_get_dirname (dir);
  ninja = g_build_filename (parent, "build.ninja", NULL);
  libexecdir = ladle_install_locate (self, LIBEXECDIR_REL, PREFIX, LIBEXECDIR_REL);
  if (g_strcmp0 (dir, libexecdir) == 0)
    /* Translators: where Ladle runs from, after its path */
    where = _("installed");
  else if (g_file_test (ninja, G_FILE_TEST_IS_REGULAR))
    /* Translators: where Ladle runs from, after its path */
    where = _("build tree");
  else
    /* Translators: where Ladle runs from, after its path */
    where = _("not installed");
  return g_strdup_printf ("%s (%s)", self, where);
}

/* The About window's Troubleshooting: what `ladle --version` prints, then what else a bug report
 * needs and costs nothing to find out (no file is read but the link to this executable). */
static char *
dup_debug_info (GtkWindow *window)
{
  g_autofree char *versions = ladle_version_describe ();
  g_autofree char *ui_versions = ladle_ui_describe_versions ();
  g_autofree char *executable = describe_executable ();
  g_autofree char *data = ladle_data_dir_dup (APP_ID);
  GdkDisplay *display = gdk_display_get_default ();
  GString *text = g_string_new (NULL);

  g_string_append (text, versions);
  g_string_append (text, ui_versions);
  g_string_append_c (text, '\n');
  /* Translators: the first %s is a GDK display's kind (GdkX11Display, GdkWaylandDisplay), the
   * second its name (:0, wayland-0) */
  g_string_append_printf (text, _("Display: %s %s"),
                          display != NULL ? G_OBJECT_TYPE_NAME (display) : "-",
                          display != NULL ? gdk_display_get_name (display) : "-");
  g_string_append_c (text, '\n');
  if (window != NULL && gtk_native_get_renderer (GTK_NATIVE (window)) != NULL)
    {
      /* Translators: %s is GTK's renderer, such as GskGLRenderer */
      g_string_append_printf (text, _("Renderer: %s"),
                              G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))));
      g_string_append_c (text, '\n');
    }
  g_string_append_printf (text, "GDK_BACKEND: %s\n", env_or_unset ("GDK_BACKEND"));
  g_string_append_printf (text, "GSK_RENDERER: %s\n", env_or_unset ("GSK_RENDERER"));
  g_string_append_printf (text, "LANGUAGE: %s\n", env_or_unset ("LANGUAGE"));
  g_string_append_printf (text, "LC_MESSAGES: %s\n", setlocale (LC_MESSAGES, NULL));
  /* Translators: %s is a path and where it is, such as “/usr/libexec/ladle-window (installed)” */
  g_string_append_printf (text, _("Executable: %s"), executable);
  g_string_append_c (text, '\n');
  /* Translators: %s is a folder's path */
  g_string_append_printf (text, _("Data folder: %s"), data);
  g_string_append_c (text, '\n');
  return g_string_free (text, FALSE);
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  static const char *developers[] = { "The Ladle authors", NULL };
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  g_autofree char *debug_info = dup_debug_info (window);

  adw_show_about_window (window,
                         "application-name", _("Ladle"),
                         "application-icon", APP_ID,
                         "developer-name", _("The Ladle authors"),
                         "version", PACKAGE_VERSION,
                         "comments", _("An HTTP workbench: client, local server and WebSocket "
                                       "in one window, fully offline"),
                         "developers", developers,
                         "copyright", "© 2026 The Ladle authors",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "translator-credits", _("translator-credits"),
                         "debug-info", debug_info,
                         "debug-info-filename", "ladle-debug-info.txt",
                         NULL);
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  LadleApplication *self = LADLE_APPLICATION (user_data);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  LadlePreferencesWindow *preferences = ladle_preferences_window_new (window, self->settings);

  gtk_window_present (GTK_WINDOW (preferences));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "about", about_activated },
  { "preferences", preferences_activated },
};

static void
set_accels (GtkApplication *app,
            const char     *action,
            const char     *accel)
{
  const char *accels[] = { accel, NULL };

  gtk_application_set_accels_for_action (app, action, accels);
}

static gboolean
map_color_scheme (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  const char *scheme = g_variant_get_string (variant, NULL);

  if (g_strcmp0 (scheme, "light") == 0)
    g_value_set_enum (value, ADW_COLOR_SCHEME_FORCE_LIGHT);
  else if (g_strcmp0 (scheme, "dark") == 0)
    g_value_set_enum (value, ADW_COLOR_SCHEME_FORCE_DARK);
  else
    g_value_set_enum (value, ADW_COLOR_SCHEME_DEFAULT);
  return TRUE;
}

static void
load_style_sheet (void)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (provider, "/io/github/ladle/Ladle/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
ladle_application_startup (GApplication *app)
{
  LadleApplication *self = LADLE_APPLICATION (app);
  GSettings *settings = ladle_application_get_settings (self);
  AdwStyleManager *style_manager;

  /* No automatic resources: GtkApplication would build the shortcuts window (gtk/help-overlay.ui)
   * with every window, before its first frame; the window builds it when it is asked for
   * (win.show-help-overlay). The style sheet, the only other one, is loaded here. */
  g_application_set_resource_base_path (app, NULL);
  G_APPLICATION_CLASS (ladle_application_parent_class)->startup (app);
  ladle_temp_files_install (app);   /* signals quit; shutdown deletes; start sweeps */
  load_style_sheet ();

  migrate_data (self);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);
  set_accels (GTK_APPLICATION (app), "app.quit", "<Control>q");
  set_accels (GTK_APPLICATION (app), "app.preferences", "<Control>comma");
  set_accels (GTK_APPLICATION (app), "win.bench('requests')", "<Control>1");
  set_accels (GTK_APPLICATION (app), "win.bench('server')", "<Control>2");
  set_accels (GTK_APPLICATION (app), "win.bench('websocket')", "<Control>3");
  set_accels (GTK_APPLICATION (app), "win.new-tab", "<Control>t");
  set_accels (GTK_APPLICATION (app), "win.close-tab", "<Control>w");
  set_accels (GTK_APPLICATION (app), "win.show-help-overlay", "<Control>question");

  style_manager = adw_style_manager_get_default ();
  g_settings_bind_with_mapping (settings, "color-scheme", style_manager, "color-scheme",
                                G_SETTINGS_BIND_GET, map_color_scheme, NULL, NULL, NULL);
}

/* Before the application is registered, with no display needed: --version, and the one check
 * that the window can open at all. */
static int
ladle_application_handle_local_options (GApplication *app,
                                        GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_autofree char *versions = ladle_version_describe ();
      g_autofree char *ui_versions = ladle_ui_describe_versions ();

      fputs (versions, stdout);
      fputs (ui_versions, stdout);
      return 0;
    }

  if (!gtk_init_check ())
    {
      fprintf (stderr, "%s\n", _("ladle: cannot open a display for the window; the commands "
                                  "(ladle serve, ladle send, ladle ws) work without one"));
      return 1;
    }

  return -1;
}

static void
ladle_application_finalize (GObject *object)
{
  LadleApplication *self = LADLE_APPLICATION (object);

  g_clear_object (&self->settings);
  g_free (self->migration_error);

  G_OBJECT_CLASS (ladle_application_parent_class)->finalize (object);
}

static void
ladle_application_class_init (LadleApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = ladle_application_finalize;
  app_class->activate = ladle_application_activate;
  app_class->startup = ladle_application_startup;
  app_class->handle_local_options = ladle_application_handle_local_options;
}

static void
ladle_application_init (LadleApplication *self)
{
  /* The settings are made with the first use: `ladle-window --version` needs no schema. */
  g_application_add_main_option (G_APPLICATION (self), "version", 0, G_OPTION_FLAG_NONE,
                                 G_OPTION_ARG_NONE,
                                 _("Print the versions of Ladle and of the libraries it runs "
                                   "with, and exit"), NULL);
}

LadleApplication *
ladle_application_new (void)
{
  return g_object_new (LADLE_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "resource-base-path", "/io/github/ladle/Ladle",
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}

/**
 * ladle_application_get_settings:
 *
 * Returns: (transfer none): the application's settings
 */
GSettings *
ladle_application_get_settings (LadleApplication *self)
{
  g_return_val_if_fail (LADLE_IS_APPLICATION (self), NULL);
  if (self->settings == NULL)
    self->settings = g_settings_new (APP_ID);
  return self->settings;
}
