/* ladle-cli-import.c
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

#include <glib/gi18n.h>

#include "ladle-cli.h"
#include "ladle-error.h"
#include "ladle-http-import.h"

/* `ladle import FILE… --to FOLDER`: Postman collections, HAR files and curl command lines
 * become .http files. Each file written is printed on stdout, each warning on stderr. */

static gboolean
import_one (const char *path,
            const char *folder)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) written = NULL;
  g_auto(GStrv) warnings = NULL;
  gsize length = 0;
  gboolean ok;

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      g_printerr ("ladle import: %s\n", error->message);
      return FALSE;
    }

  ok = ladle_http_import (contents, length, path, folder, &written, &warnings, &error);

  for (guint i = 0; written != NULL && written[i] != NULL; i++)
    g_print ("%s\n", written[i]);
  for (guint i = 0; warnings != NULL && warnings[i] != NULL; i++)
    {
      /* Translators: %s is a warning such as “Get user: the test script was kept as a comment” */
      g_printerr (_("warning: %s"), warnings[i]);
      g_printerr ("\n");
    }

  if (!ok)
    {
      g_printerr ("ladle import: %s\n", error->message);
      return FALSE;
    }

  return TRUE;
}

int
ladle_cli_import (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;
  g_auto(GStrv) files = NULL;
  int status = LADLE_EXIT_OK;
  const GOptionEntry entries[] = {
    { "to", 't', 0, G_OPTION_ARG_FILENAME, &folder,
      N_("The folder to write the .http files in (created when missing)"), N_("FOLDER") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, N_("FILE…") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Turn Postman collections (v2.0, v2.1), HAR files and files of "
                                  "curl commands into .http files; the kind is read from each "
                                  "file’s content. Existing files are never overwritten. Exit "
                                  "status: 0 every file was imported (warnings included), 1 a file "
                                  "could not be imported, 2 usage."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  ladle_cli_add_version_option (context);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_set_prgname ("ladle import");

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      ladle_cli_usage_error ("import", error->message);
      return LADLE_EXIT_USAGE;
    }

  if (files == NULL || files[0] == NULL)
    {
      ladle_cli_usage_error ("import", _("no file to import given"));
      return LADLE_EXIT_USAGE;
    }
  if (folder == NULL || folder[0] == '\0')
    {
      ladle_cli_usage_error ("import", _("give the folder to write in with --to FOLDER"));
      return LADLE_EXIT_USAGE;
    }

  for (guint i = 0; files[i] != NULL; i++)
    if (!import_one (files[i], folder))
      status = LADLE_EXIT_FAILURE;

  return status;
}
