/* ladle-request-editor.h
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

#include "ladle-ui-util.h"

#include "ladle-oauth2.h"
#include "ladle-request.h"

G_BEGIN_DECLS

#define LADLE_TYPE_REQUEST_EDITOR (ladle_request_editor_get_type ())

G_DECLARE_FINAL_TYPE (LadleRequestEditor, ladle_request_editor, LADLE, REQUEST_EDITOR, AdwBin)

LadleRequest *ladle_request_editor_get_request   (LadleRequestEditor *self);
void          ladle_request_editor_set_request   (LadleRequestEditor *self,
                                                  LadleRequest       *request);
/* Shows the body tab with the cursor at @line:@column (1-based), e.g. where the JSON is wrong. */
void          ladle_request_editor_show_body_at  (LadleRequestEditor *self,
                                                  guint               line,
                                                  guint               column);
/* Shows where a header, the token or the content type is marked invalid. */
void          ladle_request_editor_show_invalid  (LadleRequestEditor *self);

/* {{…}} in the body: @resolve (nullable: none highlighted) says what one stands for
 * (LadleVariableResolver, ladle-ui-util.h). */
void          ladle_request_editor_set_variable_resolver (LadleRequestEditor   *self,
                                                          LadleVariableResolver resolve,
                                                          gpointer              user_data);
/* Highlights the body's {{…}} again (the environment changed). */
void          ladle_request_editor_update_variables (LadleRequestEditor *self);
void          ladle_request_editor_set_oauth2_client (LadleRequestEditor *self,
                                                      LadleOauth2Client  *client);
/* The request as it is sent ({{…}} expanded), or NULL with @error */
typedef LadleRequest *(*LadleRequestExpandFunc) (gpointer   user_data,
                                                 GError   **error);
void          ladle_request_editor_show_device_code (LadleRequestEditor *self,
                                                     const char         *user_code,
                                                     const char         *uri);
void          ladle_request_editor_set_expand_func (LadleRequestEditor    *self,
                                                    LadleRequestExpandFunc expand,
                                                    gpointer               user_data);

G_END_DECLS
