/* ladle-cli-transport.h
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

#include "ladle-request.h"

G_BEGIN_DECLS

/* curl's transport options: --cert, --key, --cacert, --proxy, --proxy-user, --noproxy, --http1.1 */
typedef struct
{
  char     *cert;
  char     *key;
  char     *cacert;
  char     *proxy;
  char     *proxy_user;
  char     *noproxy;
  gboolean  http1_1;
} LadleCliTransport;

void     ladle_cli_transport_add_entries (GOptionContext     *context,
                                          LadleCliTransport  *options);
gboolean ladle_cli_transport_apply       (LadleCliTransport  *options,
                                          LadleRequest       *request,
                                          GError            **error);
void     ladle_cli_transport_clear       (LadleCliTransport  *options);
void     ladle_cli_split_cert            (const char         *arg,
                                          char              **out_file,
                                          char              **out_password);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LadleCliTransport, ladle_cli_transport_clear)

G_END_DECLS
