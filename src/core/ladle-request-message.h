/* ladle-request-message.h
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

#include <libsoup/soup.h>

#include "ladle-request.h"

G_BEGIN_DECLS

SoupMessage *ladle_request_build_message (LadleRequest  *request,
                                          GError       **error);
/* The body as ladle_request_build_message() sends it when it is held in memory (none, text, JSON,
 * a form): for Digest's qop "auth-int". NULL when it is streamed (files, multipart). */
GBytes      *ladle_request_dup_body_bytes (LadleRequest  *request);

G_END_DECLS
