/* ladle-cli.h
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ladle-http-client.h"

G_BEGIN_DECLS

/* Exit statuses shared by every subcommand. */
#define LADLE_EXIT_OK           0
#define LADLE_EXIT_FAILURE      1
#define LADLE_EXIT_USAGE        2
#define LADLE_EXIT_CONNECT      3
#define LADLE_EXIT_TIMEOUT      4

void     ladle_cli_usage_error           (const char    *command,
                                         const char    *message);
gboolean ladle_cli_parse_seconds         (const char    *option,
                                         const char    *text,
                                         double        *out,
                                         GError       **error);
int      ladle_cli_exit_status_for_error (const GError  *error);
gboolean ladle_cli_split_pair            (const char    *text,
                                         char           separator,
                                         char         **out_name,
                                         char         **out_value);

/* `ladle COMMAND --version` prints what `ladle --version` prints and exits 0, as --help exits,
 * whatever else the command needs: main.c says how to print it, once, and each command adds the
 * option to its own. */
typedef int (*LadleCliVersionFunc) (void);

void     ladle_cli_set_version_func      (LadleCliVersionFunc  func);
void     ladle_cli_add_version_option    (GOptionContext      *context);

/* `ladle send FILE#NAME` (ladle-cli-run.c) */
LadleRequest *ladle_cli_request_from_file (const char          *spec,
                                           const char          *env,
                                           const char * const  *vars,
                                           LadleHttpClient     *client,
                                           int                 *out_status,
                                           GError             **error);

int ladle_cli_send  (int    argc,
                     char **argv);
int ladle_cli_serve (int    argc,
                     char **argv);
int ladle_cli_ws    (int    argc,
                     char **argv);
int ladle_cli_import (int    argc,
                      char **argv);
int ladle_cli_run   (int    argc,
                     char **argv);

G_END_DECLS
