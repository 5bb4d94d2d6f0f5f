/* ladle-response.h
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

/* How many bytes of the body is_utf8()/looks_binary() look at. */
#define LADLE_RESPONSE_SNIFF_SIZE 8192

/* LadleTiming: the waterfall of one fetch, in µs from the start of the fetch. A step that did not
 * happen (DNS, connect and TLS on a reused connection; TLS over plain HTTP) is 0. */
typedef struct
{
  gint64 dns_start;
  gint64 dns_end;
  gint64 connect_start;
  gint64 connect_end;       /* includes the TLS handshake */
  gint64 tls_start;
  gint64 request_start;     /* request sent from here... */
  gint64 response_start;    /* ...first byte of the response here (wait = start - request_start) */
  gint64 response_end;      /* last byte of the body (download = end - response_start) */
} LadleTiming;

/* LadleSizes: bytes on the wire and decoded, from SoupMessageMetrics. */
typedef struct
{
  guint64 request_header_bytes;
  guint64 request_body_bytes;
  guint64 response_header_bytes;
  guint64 response_body_wire_bytes;
  guint64 response_body_decoded_bytes;
} LadleSizes;

#define LADLE_TYPE_RESPONSE (ladle_response_get_type ())

G_DECLARE_FINAL_TYPE (LadleResponse, ladle_response, LADLE, RESPONSE, GObject)

const char        *ladle_response_get_http_version  (LadleResponse  *self);
guint              ladle_response_get_status        (LadleResponse  *self);
const char        *ladle_response_get_reason        (LadleResponse  *self);
guint              ladle_response_get_n_headers     (LadleResponse  *self);
const char        *ladle_response_get_header_name   (LadleResponse  *self,
                                                     guint           index);
const char        *ladle_response_get_header_value  (LadleResponse  *self,
                                                     guint           index);
const char        *ladle_response_get_header        (LadleResponse  *self,
                                                     const char     *name);
const char        *ladle_response_get_content_type  (LadleResponse  *self);
const char        *ladle_response_get_final_url     (LadleResponse  *self);
guint              ladle_response_get_n_redirects   (LadleResponse  *self);
guint              ladle_response_get_redirect_status (LadleResponse *self,
                                                       guint          index);
const char        *ladle_response_get_redirect_url  (LadleResponse  *self,
                                                     guint           index);
const LadleTiming *ladle_response_get_timing        (LadleResponse  *self);
const LadleSizes  *ladle_response_get_sizes         (LadleResponse  *self);
GBytes            *ladle_response_get_body_bytes    (LadleResponse  *self);
GFile             *ladle_response_get_body_file     (LadleResponse  *self);
guint64            ladle_response_get_body_size     (LadleResponse  *self);
GBytes            *ladle_response_get_head          (LadleResponse  *self);
gboolean           ladle_response_is_utf8           (LadleResponse  *self);
gboolean           ladle_response_looks_binary      (LadleResponse  *self);
void               ladle_response_pretty_json_async (LadleResponse  *self,
                                                     GCancellable   *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer        user_data);
char              *ladle_response_pretty_json_finish (LadleResponse *self,
                                                      GAsyncResult  *result,
                                                      GError       **error);

G_END_DECLS
