/* ladle-cli-oauth2.h
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

#include "ladle-request.h"

G_BEGIN_DECLS

/* `ladle send --oauth2-…`: the options, and fetching the token they describe. */
typedef struct
{
  char     *grant;
  char     *issuer;
  char     *token_url;
  char     *auth_url;
  char     *device_url;
  char     *client_id;
  char     *client_secret;
  char     *client_auth;
  char     *scope;
  char     *user;
  char     *audience;
  char    **params;
  char     *callback_port;
  gboolean  no_pkce;
  gboolean  show_token;
} LadleCliOauth2Options;

GOptionGroup *ladle_cli_oauth2_option_group  (LadleCliOauth2Options *options);
gboolean      ladle_cli_oauth2_wanted        (const LadleCliOauth2Options *options);
gboolean      ladle_cli_oauth2_apply         (LadleCliOauth2Options *options,
                                              LadleRequest          *request,
                                              int                   *out_status,
                                              GError               **error);
void          ladle_cli_oauth2_options_clear (LadleCliOauth2Options *options);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LadleCliOauth2Options, ladle_cli_oauth2_options_clear)

G_END_DECLS
