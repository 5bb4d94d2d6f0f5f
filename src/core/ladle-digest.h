/* ladle-digest.h
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

/* HTTP Digest access authentication, the client's side (RFC 7616, and RFC 2617 before it): a
 * server's challenge read from its WWW-Authenticate headers, and the Authorization answers to it. */

/* What the parser reads at the most: longer headers, more challenges, more parameters or longer
 * values are refused with an error, never read further. */
#define LADLE_DIGEST_MAX_HEADER     65536
#define LADLE_DIGEST_MAX_CHALLENGES 64
#define LADLE_DIGEST_MAX_PARAMS     64
#define LADLE_DIGEST_MAX_VALUE      8192

typedef struct _LadleDigest LadleDigest;

/* @www_authenticate: the WWW-Authenticate headers' values joined with ", " (as
 * soup_message_headers_get_list() gives them). @can_hash_body: whether the body can be hashed
 * for qop "auth-int" (held in memory). Chooses the first Digest challenge Ladle can answer; the
 * error names what it cannot (an algorithm, a qop) or says that there is no Digest challenge. */
LadleDigest *ladle_digest_new          (const char   *www_authenticate,
                                        gboolean      can_hash_body,
                                        GError      **error);
void         ladle_digest_free         (LadleDigest  *self);

/* The challenge's parameters, as read */
const char  *ladle_digest_get_realm     (LadleDigest  *self);
const char  *ladle_digest_get_nonce     (LadleDigest  *self);
const char  *ladle_digest_get_algorithm (LadleDigest  *self);
/* "auth", "auth-int", or NULL for an RFC 2069 challenge without qop */
const char  *ladle_digest_get_qop       (LadleDigest  *self);
gboolean     ladle_digest_get_stale     (LadleDigest  *self);

/* The Authorization header's value for one request: @uri is its request target ("/path?query"),
 * @body its body (for "auth-int"; NULL is an empty body). Each call counts one more use of the
 * nonce (nc) and draws a new cnonce. */
char        *ladle_digest_dup_authorization (LadleDigest *self,
                                             const char  *username,
                                             const char  *password,
                                             const char  *method,
                                             const char  *uri,
                                             GBytes      *body);

/* For the tests: the next cnonce, instead of a random one */
void         ladle_digest_set_cnonce    (LadleDigest  *self,
                                         const char   *cnonce);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LadleDigest, ladle_digest_free)

G_END_DECLS
