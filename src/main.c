/* main.c
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
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "ladle-cli.h"
#include "ladle-install.h"

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n\n", _("Usage: ladle [COMMAND] [OPTION…]"));
  fprintf (out, "%s\n\n", _("Without a command, Ladle opens its window."));
  fprintf (out, "%s\n", _("Commands:"));
  fprintf (out, "  send     %s\n", _("Send one HTTP request and print the response"));
  fprintf (out, "  serve    %s\n", _("Run the local HTTP and WebSocket server"));
  fprintf (out, "  ws       %s\n", _("Talk to a WebSocket server"));
  fprintf (out, "  run      %s\n", _("Run the requests of .http files and check their assertions"));
  fprintf (out, "  import   %s\n", _("Turn Postman, HAR and curl files into .http files"));
  fprintf (out, "\n%s\n", _("Run “ladle COMMAND --help” to see a command’s options."));
}

/* The window's executable: beside this one in a build tree, else in the libexecdir of the prefix
 * this copy runs from (ladle-install.c: installed with DESTDIR or moved, it is not the compiled-in
 * one), else the compiled-in libexecdir. Found from /proc/self/exe so that a build run from
 * anywhere starts its own window. */
static char *
find_window_executable (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *libexecdir = ladle_install_locate (self, BINDIR_REL, PREFIX, LIBEXECDIR_REL);
  g_autofree char *installed = g_build_filename (libexecdir, "ladle-window", NULL);

  if (self != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self);
      g_autofree char *beside = g_build_filename (dir, "ladle-window", NULL);

      if (g_file_test (beside, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&beside);
    }
  if (g_file_test (installed, G_FILE_TEST_IS_EXECUTABLE))
    return g_steal_pointer (&installed);

  return g_build_filename (LIBEXECDIR, "ladle-window", NULL);
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("LADLE_LOCALEDIR");
  g_autofree char *installed_localedir = ladle_install_locate_self (BINDIR_REL, LOCALEDIR_REL);

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : installed_localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("ladle");

  if (argc >= 2 && strcmp (argv[1], "serve") == 0)
    return ladle_cli_serve (argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "send") == 0)
    return ladle_cli_send (argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "ws") == 0)
    return ladle_cli_ws (argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "import") == 0)
    return ladle_cli_import (argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "run") == 0)
    return ladle_cli_run (argc - 1, argv + 1);

  if (argc >= 2 && strcmp (argv[1], "--version") == 0)
    {
      printf ("ladle %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (argc >= 2 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 ||
                    strcmp (argv[1], "help") == 0))
    {
      print_usage (stdout);
      return 0;
    }

  if (argc >= 2 && argv[1][0] != '-')
    {
      fprintf (stderr, _("ladle: unknown command “%s”"), argv[1]);
      fputc ('\n', stderr);
      print_usage (stderr);
      return 2;
    }

  /* No command: the window, in its own executable, so that the commands above never load GTK.
   * Its arguments are this one's (GApplication's options). */
  {
    g_autofree char *window = find_window_executable ();
    int saved_errno;

    execv (window, argv);
    saved_errno = errno;
    fprintf (stderr, _("ladle: cannot start the window (%s): %s"), window,
             g_strerror (saved_errno));
    fputc ('\n', stderr);
    return 1;
  }
}
