/* ladle-httpbin-private.h
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

/* Header parsers of the httpbin endpoints (ladle-httpbin-parse.c), separate so that they can be
 * fuzzed, and the embedded sample files (ladle-httpbin-data.c). */

/* Longest header value the parsers look at (the server refuses request heads over 60 KiB);
 * longer ones are taken as absent. */
#define LADLE_HTTPBIN_MAX_HEADER (64 * 1024)

/**
 * LadleHttpbinRange:
 * @has_first: whether the range gives a first position ("bytes=-5" does not)
 * @first: the first position
 * @has_last: whether the range gives a last position ("bytes=5-" does not)
 * @last: the last position
 *
 * A Range header read the way httpbin reads it: one "bytes=FIRST-LAST" with either side optional
 * (a second range is not read); numbers may have a sign and are capped at ±G_MAXINT32, far beyond
 * any resource httpbin serves.
 */
typedef struct
{
  gboolean has_first;
  gint64   first;
  gboolean has_last;
  gint64   last;
} LadleHttpbinRange;

void     ladle_httpbin_parse_range     (const char        *header,
                                        LadleHttpbinRange *range);

/**
 * LadleHttpbinDigest:
 *
 * The parameters of an "Authorization: Digest ..." header; every member is %NULL when absent.
 */
typedef struct
{
  char *username;
  char *realm;
  char *nonce;
  char *uri;
  char *response;
  char *qop;
  char *nc;
  char *cnonce;
  char *algorithm;
  char *opaque;
} LadleHttpbinDigest;

gboolean ladle_httpbin_parse_digest    (const char         *header,
                                        LadleHttpbinDigest *digest);
void     ladle_httpbin_digest_clear    (LadleHttpbinDigest *digest);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LadleHttpbinDigest, ladle_httpbin_digest_clear)

char    *ladle_httpbin_cookie_quote    (const char         *value);
GPtrArray *ladle_httpbin_parse_cookies (const char         *header);

GPtrArray *ladle_httpbin_parse_etags   (const char         *header);

extern const unsigned char ladle_httpbin_png[];
extern const gsize         ladle_httpbin_png_size;
extern const unsigned char ladle_httpbin_jpeg[];
extern const gsize         ladle_httpbin_jpeg_size;
extern const unsigned char ladle_httpbin_webp[];
extern const gsize         ladle_httpbin_webp_size;
extern const char          ladle_httpbin_svg[];
extern const char          ladle_httpbin_utf8_demo[];
extern const char          ladle_httpbin_forms_post[];

G_END_DECLS
