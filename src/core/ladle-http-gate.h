/* ladle-http-gate.h
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

G_BEGIN_DECLS

/* The longest request head the gate lets through; libsoup 3.2 stops at 64 KiB. */
#define LADLE_HTTP_GATE_MAX_HEAD      (60 * 1024)
/* The longest chunk-size line (with extensions); libsoup 3.2 reads them into 128 bytes. */
#define LADLE_HTTP_GATE_MAX_CHUNK_LINE 100
/* How much of a request line is kept to show in the log when the request is refused */
#define LADLE_HTTP_GATE_LINE_MAX 200
/* The most trailer fields a chunked body may end with, in bytes; they are checked and dropped. */
#define LADLE_HTTP_GATE_MAX_TRAILERS  (8 * 1024)

typedef struct _LadleHttpGate LadleHttpGate;

typedef enum
{
  LADLE_HTTP_GATE_NEED_MORE,   /* what is held is an incomplete head or line */
  LADLE_HTTP_GATE_REFUSED,     /* see ladle_http_gate_get_refusal() */
  LADLE_HTTP_GATE_WAITING,     /* a request that asked for an upgrade was passed: nothing after it
                                * is examined until ladle_http_gate_resume() or _set_passthrough() */
} LadleHttpGateState;

LadleHttpGate      *ladle_http_gate_new              (void);
void                ladle_http_gate_free             (LadleHttpGate  *self);
LadleHttpGateState  ladle_http_gate_advance          (LadleHttpGate  *self,
                                                      GByteArray     *buffer,
                                                      gsize          *passable);
guint64             ladle_http_gate_body_remaining   (LadleHttpGate  *self);
void                ladle_http_gate_consume_body     (LadleHttpGate  *self,
                                                      gsize           n);
void                ladle_http_gate_resume           (LadleHttpGate  *self);
void                ladle_http_gate_set_passthrough  (LadleHttpGate  *self);
gboolean            ladle_http_gate_get_passthrough  (LadleHttpGate  *self);
gboolean            ladle_http_gate_is_refused       (LadleHttpGate  *self);
guint               ladle_http_gate_get_refusal      (LadleHttpGate  *self,
                                                      const char    **message,
                                                      gboolean       *in_body,
                                                      const char    **request_line);
guint               ladle_http_gate_get_n_requests   (LadleHttpGate  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LadleHttpGate, ladle_http_gate_free)

G_END_DECLS
