/* ladle-main.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The window's executable, ladle-window. Users start it as `ladle` with no command: the `ladle`
 * executable (src/main.c) loads no GTK and runs this one in its place. */

#include "config.h"

#include <locale.h>
#include <stdio.h>

#include <glib/gi18n.h>

#include "ladle-application.h"
#include "ladle-install.h"

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
  /* Installed with DESTDIR or moved, the catalogue is in the prefix this copy runs from */
  g_autofree char *installed_localedir = ladle_install_locate_self (LIBEXECDIR_REL, LOCALEDIR_REL);

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : installed_localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("ladle");

  /* Without a GPU render node, Mesa's GL is llvmpipe, software: GTK 4.8's GL renderer then costs
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
  /* The windows' icon, looked up in the icon theme (hicolor, from XDG_DATA_DIRS): on X11 GTK sets
   * _NET_WM_ICON only from an icon name, and takes none from the application id. */
  gtk_window_set_default_icon_name (APP_ID);

  {
    g_autoptr(LadleApplication) app = ladle_application_new ();

    return g_application_run (G_APPLICATION (app), argc, argv);
  }
}
