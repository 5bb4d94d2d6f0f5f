/* ladle-exchange.h
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

#include "ladle-request.h"
#include "ladle-response.h"

G_BEGIN_DECLS

typedef enum
{
  LADLE_EXCHANGE_PHASE_PENDING,
  LADLE_EXCHANGE_PHASE_RESOLVING,
  LADLE_EXCHANGE_PHASE_CONNECTING,
  LADLE_EXCHANGE_PHASE_TLS,
  LADLE_EXCHANGE_PHASE_SENDING,
  LADLE_EXCHANGE_PHASE_WAITING,
  LADLE_EXCHANGE_PHASE_RECEIVING,
  LADLE_EXCHANGE_PHASE_DONE,
  LADLE_EXCHANGE_PHASE_FAILED,
  LADLE_EXCHANGE_PHASE_CANCELLED,
} LadleExchangePhase;

GType ladle_exchange_phase_get_type (void) G_GNUC_CONST;
#define LADLE_TYPE_EXCHANGE_PHASE (ladle_exchange_phase_get_type ())

/* LadleExchange: one send, followed live through its properties (notified on the context of the
 * thread that called ladle_http_client_send_async()). */
#define LADLE_TYPE_EXCHANGE (ladle_exchange_get_type ())
G_DECLARE_FINAL_TYPE (LadleExchange, ladle_exchange, LADLE, EXCHANGE, GObject)

LadleRequest       *ladle_exchange_get_request         (LadleExchange *self);
LadleExchangePhase  ladle_exchange_get_phase           (LadleExchange *self);
guint64             ladle_exchange_get_bytes_sent      (LadleExchange *self);
guint64             ladle_exchange_get_bytes_received  (LadleExchange *self);
gint64              ladle_exchange_get_expected_length (LadleExchange *self);
guint               ladle_exchange_get_status          (LadleExchange *self,
                                                        const char   **reason);
double              ladle_exchange_get_elapsed         (LadleExchange *self);
gboolean            ladle_exchange_is_finished         (LadleExchange *self);
LadleResponse      *ladle_exchange_get_response        (LadleExchange *self);
const GError       *ladle_exchange_get_error           (LadleExchange *self);
const char         *ladle_exchange_get_redirect_note   (LadleExchange *self);

/* LadleHttpClient: one SoupSession (with a cookie jar), used from the thread that created it. */

G_END_DECLS
