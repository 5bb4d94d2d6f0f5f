/* ladle-env-editor.h
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

#include <adwaita.h>

#include "ladle-http-vars.h"

G_BEGIN_DECLS

#define LADLE_TYPE_ENV_EDITOR (ladle_env_editor_get_type ())

G_DECLARE_FINAL_TYPE (LadleEnvEditor, ladle_env_editor, LADLE, ENV_EDITOR, AdwWindow)

/* Edits the environments of @folder (http-client.env.json, and http-client.private.env.json for
 * the secret values). Signal "saved" once written. NULL with @error when a file is damaged. */
LadleEnvEditor        *ladle_env_editor_new              (GtkWindow      *parent,
                                                          const char     *folder,
                                                          GError        **error);
LadleHttpEnvironments *ladle_env_editor_get_environments (LadleEnvEditor *self);
/* The environment shown ("$shared" for the values all share). */
void                   ladle_env_editor_set_environment  (LadleEnvEditor *self,
                                                          const char     *environment);
/* Adds a row, as "Add Variable" does; returns it. */
GtkWidget             *ladle_env_editor_add_row          (LadleEnvEditor *self,
                                                          const char     *name,
                                                          const char     *value,
                                                          gboolean        secret);
gboolean               ladle_env_editor_save             (LadleEnvEditor *self,
                                                          GError        **error);

G_END_DECLS
