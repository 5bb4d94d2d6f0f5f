/* ladle-websocket-codec-private.h
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

#include "ladle-websocket-codec.h"

G_BEGIN_DECLS

/* Internal: for the fuzzing harness and tests only */
void _ladle_websocket_codec_receive (LadleWebsocketCodec *self,
                                     const guint8        *data,
                                     gsize                len);

G_END_DECLS
