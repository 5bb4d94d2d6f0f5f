/* ladle-response-private.h
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

#include "ladle-response.h"

G_BEGIN_DECLS

/* For LadleExchange only: the response is built while the exchange runs, then sealed. */
LadleResponse     *_ladle_response_new              (void);
void               _ladle_response_set_status       (LadleResponse  *self,
                                                     const char     *http_version,
                                                     guint           status,
                                                     const char     *reason,
                                                     GPtrArray      *headers,
                                                     const char     *content_type,
                                                     const char     *final_url);
void               _ladle_response_add_redirect     (LadleResponse  *self,
                                                     guint           status,
                                                     const char     *url);
void               _ladle_response_set_metrics      (LadleResponse     *self,
                                                     const LadleTiming *timing,
                                                     const LadleSizes  *sizes);
/* Exactly one of @bytes / @file; @file is a temporary file deleted with the response when
 * @owns_file, or the caller's output file otherwise. @head: the first bytes, for sniffing. */
void               _ladle_response_set_body         (LadleResponse  *self,
                                                     GBytes         *bytes,
                                                     GFile          *file,
                                                     gboolean        owns_file,
                                                     guint64         size,
                                                     GBytes         *head);

G_END_DECLS
