/* ladle-body-stream.h
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

#include <gio/gio.h>

G_BEGIN_DECLS

#define LADLE_TYPE_BODY_STREAM (ladle_body_stream_get_type ())
G_DECLARE_FINAL_TYPE (LadleBodyStream, ladle_body_stream, LADLE, BODY_STREAM, GInputStream)

LadleBodyStream *ladle_body_stream_new        (void);
void             ladle_body_stream_add_bytes  (LadleBodyStream *self,
                                               GBytes          *bytes);
void             ladle_body_stream_add_string (LadleBodyStream *self,
                                               GString         *string);
void             ladle_body_stream_add_file   (LadleBodyStream *self,
                                               GFile           *file);

G_END_DECLS
