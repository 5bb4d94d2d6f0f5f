/* ladle-httpbin.h
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

G_BEGIN_DECLS

/**
 * LadleHttpbinOptions:
 * @max_body_size: echo endpoints answer 413 for larger request bodies; 0 means no limit
 * @https: the request came over TLS on a stream libsoup cannot tell is TLS (the URLs it reports,
 *   such as "url", then say https)
 *
 * Settings for ladle_httpbin_handle().
 */
typedef struct
{
  gsize    max_body_size;
  gboolean https;
} LadleHttpbinOptions;

/**
 * LadleHttpbinEndpoint:
 * @pattern: the path pattern, e.g. "/status/{codes}"
 * @description: a one-line description, marked with N_(); pass it through _() to display it
 */
typedef struct
{
  const char *pattern;
  const char *description;
} LadleHttpbinEndpoint;

gboolean                    ladle_httpbin_handle           (SoupServerMessage         *msg,
                                                            const char                *path,
                                                            GHashTable                *query,
                                                            const LadleHttpbinOptions *options);
const LadleHttpbinEndpoint *ladle_httpbin_get_endpoints    (void);
void                        ladle_httpbin_add_cors_headers (SoupServerMessage         *msg);

G_END_DECLS
