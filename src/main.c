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

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "ladle-application.h"
#include "ladle-cli.h"

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n\n", _("Usage: ladle [COMMAND] [OPTION…]"));
  fprintf (out, "%s\n\n", _("Without a command, Ladle opens its window."));
  fprintf (out, "%s\n", _("Commands:"));
  fprintf (out, "  send     %s\n", _("Send one HTTP request and print the response"));
  fprintf (out, "  serve    %s\n", _("Run the local HTTP and WebSocket server"));
  fprintf (out, "  ws       %s\n", _("Talk to a WebSocket server"));
  fprintf (out, "\n%s\n", _("Run “ladle COMMAND --help” to see a command’s options."));
}

/* Whether a GPU render node (/dev/dri/renderD128…) is there for GL to use */
static gboolean
have_render_node (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/dev/dri", 0, NULL);
  const char *name;

  if (dir == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "renderD"))
      return TRUE;
  return FALSE;
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("LADLE_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("ladle");

  if (argc >= 2 && strcmp (argv[1], "serve") == 0)
    return ladle_cli_serve (argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "send") == 0)
    return ladle_cli_send (argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "ws") == 0)
    return ladle_cli_ws (argc - 1, argv + 1);

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

  /* No command: the window.
   *
   * Without a GPU render node, Mesa's GL is llvmpipe, software: GTK 4.8's GL renderer then costs
   * ~70 MiB more resident memory, ~100 ms more to the first frame and 40+ ms a frame under load
   * (bench/ui.sh), where its cairo renderer draws Ladle's window faster. So, unless the user chose
   * a renderer, take cairo when there is no /dev/dri/renderD* to draw with. */
  if (g_getenv ("GSK_RENDERER") == NULL && !have_render_node ())
    g_setenv ("GSK_RENDERER", "cairo", TRUE);

  if (!gtk_init_check ())
    {
      fprintf (stderr, "%s\n", _("ladle: cannot open a display for the window; the commands "
                                  "(ladle serve, ladle send, ladle ws) work without one"));
      return 1;
    }

  {
    g_autoptr(LadleApplication) app = ladle_application_new ();

    return g_application_run (G_APPLICATION (app), argc, argv);
  }
}
