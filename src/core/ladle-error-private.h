/* ladle-error-private.h
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

/* For ladle-error.c: each unit words the forms of its own errors (see ladle_error_new_form()).
 * They return NULL for a kind they do not know or arguments that do not fit it. */

const char *_ladle_error_form_arg (const char * const *form,
                                   guint               i);

/* "tls-client-…": client certificates, CA bundles and a refused client certificate */
char *_ladle_tls_client_format_form (const char * const *form);

/* "digest-…": a WWW-Authenticate header that cannot be answered with Digest */
char *_ladle_digest_format_form     (const char * const *form);

/* "proxy-…": manual proxy addresses and what a proxy answered */
char *_ladle_proxy_format_form      (const char * const *form);

G_END_DECLS
