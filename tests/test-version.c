/* test-version.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `ladle --version` (the real executable, LADLE_BIN): its lines against the versions this test
 * finds itself, the same text after every command and from `ladle-window --version`, the proof
 * (from the dynamic linker's own account) that `ladle` itself never loads GTK, and what it says
 * when the window's executable cannot answer (ladle_version_ask_window() against fake ones). */

#include "config.h"

#include <dlfcn.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gnutls/gnutls.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "ladle-test-utils.h"
#include "ladle-version.h"

/* `ladle ARGS…`: its standard output; the exit status must be 0 and nothing said on stderr */
static char *
run_ladle (const char * const *args,
           const char * const *env)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_ptr_array_add (argv, (gpointer) g_getenv ("LADLE_BIN"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_assert_cmpint (ladle_test_run_command ((const char * const *) argv->pdata, env, &out, &err),
                   ==, 0);
  g_assert_cmpstr (err, ==, "");
  return g_steal_pointer (&out);
}

static char *
window_path (void)
{
  g_autofree char *dir = g_path_get_dirname (g_getenv ("LADLE_BIN"));

  return g_build_filename (dir, "ladle-window", NULL);
}

/* The version a GTK-side library runs with, asked of the library itself: loaded here the way the
 * window's executable loads it (same dynamic linker, same environment), its get_*_version()
 * functions called (none needs GTK initialised). */
static char *
library_version (const char *soname,
                 const char *prefix)
{
  g_autofree char *major_name = g_strconcat (prefix, "major_version", NULL);
  g_autofree char *minor_name = g_strconcat (prefix, "minor_version", NULL);
  g_autofree char *micro_name = g_strconcat (prefix, "micro_version", NULL);
  guint (*major) (void);
  guint (*minor) (void);
  guint (*micro) (void);
  void *library = dlopen (soname, RTLD_NOW | RTLD_LOCAL);

  if (library == NULL)
    g_error ("cannot load %s: %s", soname, dlerror ());
  major = (guint (*) (void)) dlsym (library, major_name);
  minor = (guint (*) (void)) dlsym (library, minor_name);
  micro = (guint (*) (void)) dlsym (library, micro_name);
  g_assert_nonnull (major);
  g_assert_nonnull (minor);
  g_assert_nonnull (micro);
  /* Left loaded: GTK is not made to be unloaded */
  return g_strdup_printf ("%u.%u.%u", major (), minor (), micro ());
}

/* What `ladle --version` must print, found by this test on its own */
static char *
expected_version (void)
{
  g_autofree char *gtk = library_version ("libgtk-4.so.1", "gtk_get_");
  g_autofree char *adw = library_version ("libadwaita-1.so.0", "adw_get_");
  g_autofree char *source = library_version ("libgtksourceview-5.so.0", "gtk_source_get_");

  return g_strdup_printf ("ladle %s\n"
                          "GLib %u.%u.%u\n"
                          "libsoup %u.%u.%u\n"
                          "json-glib %s (built with)\n"
                          "GnuTLS %s\n"
                          "GTK %s\n"
                          "libadwaita %s\n"
                          "GtkSourceView %s\n",
                          PACKAGE_VERSION,
                          glib_major_version, glib_minor_version, glib_micro_version,
                          soup_get_major_version (), soup_get_minor_version (),
                          soup_get_micro_version (),
                          JSON_VERSION_S,
                          gnutls_check_version (NULL),
                          gtk, adw, source);
}

/* Every line, each library's version as it runs; the first line as scripts parse it */
static void
test_lines (void)
{
  const char *args[] = { "--version", NULL };
  g_autofree char *out = run_ladle (args, NULL);
  g_autofree char *expected = expected_version ();

  g_assert_true (g_str_has_prefix (out, "ladle " PACKAGE_VERSION "\n"));
  g_assert_cmpstr (out, ==, expected);
}

/* After any command, --version prints the same and exits 0, without the command's arguments (no
 * URL, no file), and before it does anything (the server is not started) */
static void
test_after_command (void)
{
  const char *plain[] = { "--version", NULL };
  static const char * const commands[][4] = {
    { "send", "--version", NULL },
    { "serve", "--version", NULL },
    { "ws", "--version", NULL },
    { "run", "--version", NULL },
    { "import", "--version", NULL },
    { "serve", "--port", "1", "--version" },
    { "send", "http://127.0.0.1:1/", "--version", NULL },
  };
  g_autofree char *expected = run_ladle (plain, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      const char *args[5] = { commands[i][0], commands[i][1], commands[i][2], commands[i][3],
                              NULL };
      g_autofree char *out = run_ladle (args, NULL);

      g_test_message ("ladle %s %s", args[0], args[1]);
      g_assert_cmpstr (out, ==, expected);
    }

  /* `ladle --help` and each command's --help list it */
  {
    const char *args[] = { "--help", NULL };
    g_autofree char *out = run_ladle (args, NULL);

    g_assert_nonnull (strstr (out, "\n  --version  "));
  }
  for (guint i = 0; i < 5; i++)
    {
      const char *args[] = { commands[i][0], "--help", NULL };
      g_autofree char *out = run_ladle (args, NULL);

      g_assert_nonnull (strstr (out, "\n  --version "));
    }
}

/* `ladle-window --version` prints the same text, with no display and no settings schema (it
 * answers before the window would need either) */
static void
test_window (void)
{
  g_autofree char *empty = ladle_test_make_tmpdir ("ladle-version-XXXXXX");
  const char *env[] = { "DISPLAY", NULL, "WAYLAND_DISPLAY", NULL, "GSETTINGS_SCHEMA_DIR", empty,
                        NULL };
  const char *plain[] = { "--version", NULL };
  g_autofree char *window = window_path ();
  const char *argv[] = { window, "--version", NULL };
  g_autofree char *expected = run_ladle (plain, NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (ladle_test_run_command (argv, env, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpstr (out, ==, expected);

  /* And `ladle --version` in the same place: its GTK lines did not need a display either */
  g_free (out);
  out = run_ladle (plain, env);
  g_assert_cmpstr (out, ==, expected);
  ladle_test_rm_rf (empty);
}

/* Whether the dynamic linker's account of one process (LD_DEBUG=files) says it loaded @soname */
static gboolean
log_loaded (const char *log,
            const char *soname)
{
  g_autofree char *needle = g_strconcat ("file=", soname, " ", NULL);

  return strstr (log, needle) != NULL;
}

/* `ladle --version` prints GTK's version but never loads GTK itself: the dynamic linker writes
 * what each process loads to a file of its own (LD_DEBUG_OUTPUT=PREFIX gives PREFIX.PID), and
 * `ladle`'s file names no GTK library, while its child's (the window's executable) does. */
static void
test_ladle_loads_no_gtk (void)
{
  static const char * const gtk_libraries[] = { "libgtk-4.so.1", "libadwaita-1.so.0",
                                                "libgtksourceview-5.so.0", "libgdk_pixbuf-2.0.so.0",
                                                "libcairo.so.2", "libpango-1.0.so.0" };
  g_autofree char *dir = ladle_test_make_tmpdir ("ladle-version-ld-XXXXXX");
  g_autofree char *prefix = g_build_filename (dir, "ld", NULL);
  const char *env[] = { "LD_DEBUG", "files", "LD_DEBUG_OUTPUT", prefix, NULL };
  const char *argv[] = { g_getenv ("LADLE_BIN"), "--version", NULL };
  g_autoptr(GSubprocessLauncher) launcher =
    ladle_test_new_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE, env);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) logs = NULL;
  g_autofree char *own_name = NULL;
  g_autofree char *own_log = NULL;
  g_autofree char *out = NULL;
  const char *name;
  guint n_gtk_logs = 0;

  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  own_name = g_strdup_printf ("ld.%s", g_subprocess_get_identifier (proc));
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ladle_test_wait_exit (proc), ==, 0);
  g_assert_nonnull (strstr (out, "\nGTK "));

  logs = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (logs)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *log = NULL;

      g_file_get_contents (path, &log, NULL, &error);
      g_assert_no_error (error);
      if (strcmp (name, own_name) == 0)
        own_log = g_steal_pointer (&log);
      else if (log_loaded (log, "libgtk-4.so.1"))
        n_gtk_logs++;
    }

  /* The account has teeth: it names what `ladle` did load, and the GTK the window loaded */
  g_assert_nonnull (own_log);
  g_assert_true (log_loaded (own_log, "libsoup-3.0.so.0"));
  g_assert_true (log_loaded (own_log, "libjson-glib-1.0.so.0"));
  g_assert_cmpuint (n_gtk_logs, ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (gtk_libraries); i++)
    if (log_loaded (own_log, gtk_libraries[i]))
      g_error ("`ladle --version` loaded %s", gtk_libraries[i]);

  ladle_test_rm_rf (dir);
}

/* A fake window's executable: a shell script with @body */
static char *
fake_window (const char *dir,
             const char *name,
             const char *body)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *script = g_strconcat ("#!/bin/sh\n", body, "\n", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, script, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);
  return g_steal_pointer (&path);
}

static void
assert_not_available (const char *answer,
                      const char *reason)
{
  g_autofree char *expected = g_strdup_printf ("GTK: not available (%s)\n", reason);

  g_assert_cmpstr (answer, ==, expected);
}

/* What the GTK line says when the window's executable is missing, fails, lies, hangs or floods */
static void
test_window_cannot_answer (void)
{
  g_autofree char *dir = ladle_test_make_tmpdir ("ladle-version-fake-XXXXXX");
  g_autofree char *own = ladle_version_describe ();
  g_autofree char *own_file = g_build_filename (dir, "own.txt", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_str_has_prefix (own, "ladle " PACKAGE_VERSION "\nGLib "));
  g_file_set_contents (own_file, own, -1, &error);
  g_assert_no_error (error);

  /* Missing */
  {
    g_autofree char *missing = g_build_filename (dir, "no-such-window", NULL);
    g_autofree char *answer = ladle_version_ask_window (missing, 5000);

    g_assert_true (g_str_has_prefix (answer, "GTK: not available ("));
    g_assert_nonnull (strstr (answer, missing));
    g_assert_true (g_str_has_suffix (answer, ")\n"));
  }

  /* Fails, saying why on stderr: the first line of it is kept */
  {
    g_autofree char *path = fake_window (dir, "fails", "echo 'no display here' >&2\n"
                                         "echo 'second line' >&2\nexit 3");
    g_autofree char *answer = ladle_version_ask_window (path, 5000);
    g_autofree char *reason = g_strdup_printf ("%s exited with status 3: no display here", path);

    assert_not_available (answer, reason);
  }

  /* Killed */
  {
    g_autofree char *path = fake_window (dir, "killed", "kill -9 $$");
    g_autofree char *answer = ladle_version_ask_window (path, 5000);
    g_autofree char *reason = g_strdup_printf ("%s was killed by signal 9", path);

    assert_not_available (answer, reason);
  }

  /* Another Ladle's window */
  {
    g_autofree char *path = fake_window (dir, "other", "echo 'ladle 0.0.1'\necho 'GTK 4.0.0'");
    g_autofree char *answer = ladle_version_ask_window (path, 5000);
    g_autofree char *reason = g_strdup_printf ("%s is “ladle 0.0.1”", path);

    assert_not_available (answer, reason);
  }

  /* This Ladle, but nothing beyond this process's own lines */
  {
    g_autofree char *body = g_strdup_printf ("cat '%s'", own_file);
    g_autofree char *path = fake_window (dir, "nothing-new", body);
    g_autofree char *answer = ladle_version_ask_window (path, 5000);
    g_autofree char *reason = g_strdup_printf ("%s printed no GTK version", path);

    assert_not_available (answer, reason);
  }

  /* Only the lines beyond this process's own are kept, in their order, even invalid UTF-8 and
   * NUL bytes (made valid) */
  {
    g_autofree char *body = g_strdup_printf ("cat '%s'\necho 'GTK 9.8.7'\nprintf 'odd \\377\\000x\\n'"
                                             "\necho 'libadwaita 6.5.4'", own_file);
    g_autofree char *path = fake_window (dir, "good", body);
    g_autofree char *answer = ladle_version_ask_window (path, 5000);

    g_assert_true (g_str_has_prefix (answer, "GTK 9.8.7\nodd \xef\xbf\xbd"));
    g_assert_true (g_str_has_suffix (answer, "x\nlibadwaita 6.5.4\n"));
    g_assert_true (g_utf8_validate (answer, -1, NULL));
  }

  /* Hangs: killed at the deadline */
  {
    g_autofree char *path = fake_window (dir, "hangs", "exec sleep 60");
    gint64 start = g_get_monotonic_time ();
    g_autofree char *answer = ladle_version_ask_window (path, 300);
    g_autofree char *reason = g_strdup_printf ("%s did not answer within 1 s", path);

    assert_not_available (answer, reason);
    g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  }

  /* Floods: 10 MB, none of it a version */
  {
    g_autofree char *body = g_strdup_printf ("cat '%s'\nhead -c 10000000 /dev/zero", own_file);
    g_autofree char *path = fake_window (dir, "floods", body);
    g_autofree char *answer = ladle_version_ask_window (path, 20000);
    g_autofree char *reason = g_strdup_printf ("%s printed too much", path);

    assert_not_available (answer, reason);
  }

  ladle_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  if (g_getenv ("LADLE_BIN") == NULL)
    g_error ("LADLE_BIN must name the ladle executable (meson test sets it)");

  g_test_add_func ("/ladle/version/lines", test_lines);
  g_test_add_func ("/ladle/version/after-command", test_after_command);
  g_test_add_func ("/ladle/version/window", test_window);
  g_test_add_func ("/ladle/version/ladle-loads-no-gtk", test_ladle_loads_no_gtk);
  g_test_add_func ("/ladle/version/window-cannot-answer", test_window_cannot_answer);

  return ladle_test_run ();
}
