/* ladle-cli-common.c
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

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "ladle-cli.h"
#include "ladle-error.h"

/* What every subcommand says and decides the same way. */

void
ladle_cli_usage_error (const char *command,
                       const char *message)
{
  g_printerr ("ladle %s: %s\n", command, message);
  /* Translators: %s is a command such as “send” */
  g_printerr (_("Run “ladle %s --help” to see the options."), command);
  g_printerr ("\n");
}

gboolean
ladle_cli_parse_seconds (const char  *option,
                         const char  *text,
                         double      *out,
                         GError     **error)
{
  char *end = NULL;
  double value;

  if (text == NULL)
    return TRUE;

  value = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !(value >= 0) || value > 86400)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s takes a number of seconds, such as 2 or 0.5, not “%s”"), option, text);
      return FALSE;
    }

  *out = value;
  return TRUE;
}

/* The shared exit statuses of ladle-cli.h for an engine's error. */
int
ladle_cli_exit_status_for_error (const GError *error)
{
  if (error->domain == LADLE_ERROR)
    {
      switch (error->code)
        {
        case LADLE_ERROR_RESOLVE:
        case LADLE_ERROR_CONNECTION_REFUSED:
        case LADLE_ERROR_TLS:
          return LADLE_EXIT_CONNECT;
        case LADLE_ERROR_TIMEOUT_CONNECT:
        case LADLE_ERROR_TIMEOUT_IDLE:
        case LADLE_ERROR_TIMEOUT_TOTAL:
        case LADLE_ERROR_TIMED_OUT:
          return LADLE_EXIT_TIMEOUT;
        case LADLE_ERROR_INVALID_ARGUMENT:
          return LADLE_EXIT_USAGE;
        default:
          break;
        }
    }

  return LADLE_EXIT_FAILURE;
}

/* "NAME<separator>VALUE" with a name: -F, --file, -u, --var. */
gboolean
ladle_cli_split_pair (const char  *text,
                      char         separator,
                      char       **out_name,
                      char       **out_value)
{
  const char *sep = strchr (text, separator);

  if (sep == NULL || sep == text)
    return FALSE;

  *out_name = g_strndup (text, sep - text);
  *out_value = g_strdup (sep + 1);
  return TRUE;
}

static LadleCliVersionFunc version_func;

void
ladle_cli_set_version_func (LadleCliVersionFunc func)
{
  version_func = func;
}

static gboolean
version_cb (const char  *option,
            const char  *value,
            gpointer     data,
            GError     **error)
{
  int status = version_func != NULL ? version_func () : LADLE_EXIT_FAILURE;

  exit (status);
}

void
ladle_cli_add_version_option (GOptionContext *context)
{
  const GOptionEntry entries[] = {
    { "version", 0, G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, version_cb,
      N_("Print the versions of Ladle and of the libraries it runs with, and exit"), NULL },
    G_OPTION_ENTRY_NULL
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}
