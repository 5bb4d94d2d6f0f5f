/* test-launcher.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The `ladle` executable (src/main.c): its help, its commands, the window it hands over to, and
 * the proof, from each command's own memory map, that no command loads GTK. */

#include "config.h"

#include <signal.h>
#include <string.h>

#include "ladle-test-utils.h"

static void
test_help (void)
{
  const char *help[] = { g_getenv ("LADLE_BIN"), "--help", NULL };
  const char *version[] = { g_getenv ("LADLE_BIN"), "--version", NULL };
  const char *nonsense[] = { g_getenv ("LADLE_BIN"), "nonsense", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (ladle_test_run_command (help, NULL, &out, &err), ==, 0);
  g_assert_true (g_str_has_prefix (out, "Usage: ladle"));
  g_assert_nonnull (strstr (out, "serve"));
  g_assert_nonnull (strstr (out, "send"));
  g_assert_nonnull (strstr (out, "ws"));
  g_assert_cmpstr (err, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (ladle_test_run_command (version, NULL, &out, &err), ==, 0);
  g_assert_true (g_str_has_prefix (out, "ladle " PACKAGE_VERSION "\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (ladle_test_run_command (nonsense, NULL, &out, &err), ==, 2);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "nonsense"));
}

/* With no command, `ladle` runs the window's executable in its place; with no display that one
 * fails at once (it does not hang), and says so in its own words. */
static void
test_window (void)
{
  const char *bare[] = { g_getenv ("LADLE_BIN"), NULL };
  const char *no_display[] = { "DISPLAY", NULL, "WAYLAND_DISPLAY", NULL, NULL };
  g_autofree char *window = NULL;
  g_autofree char *dir = g_path_get_dirname (g_getenv ("LADLE_BIN"));
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  window = g_build_filename (dir, "ladle-window", NULL);
  g_assert_true (g_file_test (window, G_FILE_TEST_IS_EXECUTABLE));

  g_assert_cmpint (ladle_test_run_command (bare, no_display, &out, &err), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "cannot open a display for the window"));
}

/* The libraries a process has mapped, one per line */
static char *
read_maps (GSubprocess *proc)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/maps", g_subprocess_get_identifier (proc));
  g_autoptr(GError) error = NULL;
  char *maps = NULL;

  g_file_get_contents (path, &maps, NULL, &error);
  g_assert_no_error (error);
  return maps;
}

static void
assert_no_gtk (const char *what,
               const char *maps)
{
  static const char * const forbidden[] = { "libgtk-4", "libadwaita-1", "libgtksourceview-5",
                                            "libgdk_pixbuf", "libcairo", "libpango" };

  /* The check has teeth: the process did map its network and JSON libraries */
  g_assert_nonnull (strstr (maps, "libsoup-3.0"));
  g_assert_nonnull (strstr (maps, "libjson-glib-1.0"));
  for (guint i = 0; i < G_N_ELEMENTS (forbidden); i++)
    if (strstr (maps, forbidden[i]) != NULL)
      g_error ("`ladle %s` mapped %s", what, forbidden[i]);
}

static void
assert_no_proxy_modules (const char *what,
                         const char *maps)
{
  static const char * const modules[] = { "libgiognomeproxy", "libgiolibproxy",
                                          "libdconfsettings", "libproxy" };

  for (guint i = 0; i < G_N_ELEMENTS (modules); i++)
    if (strstr (maps, modules[i]) != NULL)
      g_error ("`ladle %s` to a loopback address mapped %s", what, modules[i]);
}

/* Whether the process has a socket open */
static gboolean
has_socket (GSubprocess *proc)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/fd", g_subprocess_get_identifier (proc));
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *fd = g_build_filename (path, name, NULL);
      g_autofree char *target = g_file_read_link (fd, NULL);

      if (target != NULL && g_str_has_prefix (target, "socket:"))
        return TRUE;
    }
  return FALSE;
}

/* Each command's process, while it works, maps no GTK library (nor what only GTK needs) */
static void
test_commands_load_no_gtk (void)
{
  g_autofree char *uploads = ladle_test_make_tmpdir ("ladle-launcher-XXXXXX");
  LadleTestServe serve;

  ladle_test_serve_start (&serve, uploads, NULL, NULL);
  {
    g_autofree char *maps = read_maps (serve.proc);

    assert_no_gtk ("serve", maps);
  }

  /* send: while it waits for a slow answer. With GIO's default proxy resolver allowed (the tests
   * use the dummy one), a request to a loopback address loads none of its modules either: they
   * are asked only about other hosts. */
  {
    g_autofree char *url = g_strdup_printf ("%s/delay/10", serve.url);
    const char *argv[] = { g_getenv ("LADLE_BIN"), "send", url, NULL };
    const char *env[] = { "GIO_USE_PROXY_RESOLVER", NULL, NULL };
    g_autoptr(GSubprocessLauncher) launcher =
      ladle_test_new_launcher (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, env);
    g_autoptr(GSubprocess) proc = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *maps = NULL;

    proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
    g_assert_no_error (error);
    /* Connected (or connecting): the proxy was decided on before the socket was made */
    LADLE_TEST_WAIT_UNTIL (has_socket (proc), 10000);
    maps = read_maps (proc);
    assert_no_gtk ("send", maps);
    assert_no_proxy_modules ("send", maps);
    g_subprocess_force_exit (proc);
    g_subprocess_wait (proc, NULL, &error);
    g_assert_no_error (error);
  }

  /* ws: connected (its first event line says so), waiting for stdin */
  {
    g_autofree char *url = g_strdup_printf ("ws%s/ws", serve.url + strlen ("http"));
    const char *argv[] = { g_getenv ("LADLE_BIN"), "ws", "--verbose", url, NULL };
    const char *env[] = { "GIO_USE_PROXY_RESOLVER", NULL, NULL };
    g_autoptr(GSubprocessLauncher) launcher =
      ladle_test_new_launcher (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_MERGE, env);
    g_autoptr(GSubprocess) proc = NULL;
    g_autoptr(GDataInputStream) out = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *line = NULL;
    g_autofree char *maps = NULL;

    proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
    g_assert_no_error (error);
    out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
    line = ladle_test_read_line (out);
    g_assert_nonnull (line);
    maps = read_maps (proc);
    assert_no_gtk ("ws", maps);
    assert_no_proxy_modules ("ws", maps);
    g_output_stream_close (g_subprocess_get_stdin_pipe (proc), NULL, NULL);
    ladle_test_wait_exit (proc);
  }

  ladle_test_serve_stop (&serve, SIGTERM);
  ladle_test_rm_rf (uploads);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  if (g_getenv ("LADLE_BIN") == NULL)
    g_error ("LADLE_BIN must name the ladle executable (meson test sets it)");

  g_test_add_func ("/ladle/launcher/help", test_help);
  g_test_add_func ("/ladle/launcher/window", test_window);
  g_test_add_func ("/ladle/launcher/commands-load-no-gtk", test_commands_load_no_gtk);

  return ladle_test_run ();
}
