/* ladle-jwt.h
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
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The encodings OAuth 2.0 and OpenID Connect use, shared by Ladle's provider and its client:
 * base64url (RFC 4648 §5, unpadded), application/x-www-form-urlencoded bodies and queries, and
 * JSON Web Tokens signed with RS256 (RFC 7515, 7517, 7518, 7519) through GnuTLS. Every parser is
 * bounded: by the sizes and counts below, and by ladle_json_parse() for JSON. */

/* The largest JWT or form read, in bytes, and the most fields a form may have. */
#define LADLE_JWT_MAX_SIZE       (64 * 1024)
#define LADLE_FORM_MAX_SIZE      (64 * 1024)
#define LADLE_FORM_MAX_FIELDS    64

typedef struct _LadleJwtKey LadleJwtKey;

char        *ladle_base64url_encode     (const guint8  *data,
                                         gsize          len);
GBytes      *ladle_base64url_decode     (const char    *text,
                                         gssize         len,
                                         GError       **error);

GHashTable  *ladle_form_decode          (const char    *data,
                                         gssize         len,
                                         GError       **error);
char        *ladle_form_encode          (const char    *first_name,
                                         ...) G_GNUC_NULL_TERMINATED;
void         ladle_form_append          (GString       *form,
                                         const char    *name,
                                         const char    *value);

LadleJwtKey *ladle_jwt_key_generate     (GError       **error);
void         ladle_jwt_key_free         (LadleJwtKey   *key);
const char  *ladle_jwt_key_get_id       (LadleJwtKey   *key);
JsonNode    *ladle_jwt_key_dup_jwk      (LadleJwtKey   *key);
char        *ladle_jwt_sign             (LadleJwtKey   *key,
                                         JsonObject    *claims,
                                         GError       **error);

gboolean     ladle_jwt_decode           (const char    *jwt,
                                         JsonObject   **out_header,
                                         JsonObject   **out_claims,
                                         GError       **error);
gboolean     ladle_jwt_verify           (const char    *jwt,
                                         JsonObject    *jwks,
                                         JsonObject   **out_claims,
                                         GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LadleJwtKey, ladle_jwt_key_free)

G_END_DECLS
