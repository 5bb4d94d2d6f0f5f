/* ladle-cli-cookies.h
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
#include "ladle-http-runner.h"

G_BEGIN_DECLS

/* curl's -b/--cookie and -c/--cookie-jar, for `ladle send` and `ladle run`. */
typedef struct
{
  char **cookies; /* -b: "NAME=VALUE; …" (a Cookie header), else a cookie file; repeatable */
  char  *jar;     /* -c: the file every cookie is written to at the end */
} LadleCliCookies;

void     ladle_cli_cookies_add_options  (LadleCliCookies  *self,
                                         GOptionContext   *context);
void     ladle_cli_cookies_add_cookie_option
                                        (LadleCliCookies  *self,
                                         GOptionContext   *context);
gboolean ladle_cli_cookies_dup_websocket_header
                                        (LadleCliCookies  *self,
                                         const char       *command,
                                         const char       *url,
                                         char            **out_header);
gboolean ladle_cli_cookies_load         (LadleCliCookies  *self,
                                         const char       *command,
                                         LadleHttpClient  *client);
void     ladle_cli_cookies_apply        (LadleCliCookies  *self,
                                         LadleRequest     *request);
void     ladle_cli_cookies_watch_runner (LadleCliCookies  *self,
                                         LadleHttpRunner  *runner);
gboolean ladle_cli_cookies_save         (LadleCliCookies  *self,
                                         const char       *command,
                                         LadleHttpClient  *client);
void     ladle_cli_cookies_clear        (LadleCliCookies  *self);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LadleCliCookies, ladle_cli_cookies_clear)

G_END_DECLS
