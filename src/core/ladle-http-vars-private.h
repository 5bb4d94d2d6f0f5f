/* ladle-http-vars-private.h
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

#include <json-glib/json-glib.h>

#include "ladle-http-vars.h"

G_BEGIN_DECLS

/* The most of a response body (or a `<@` file) read into memory for {{…}} and `??`. */
#define LADLE_HTTP_MAX_BODY (16 * 1024 * 1024)

/* For ladle-http-assert: the body of @response read once per scope (at most
 * LADLE_HTTP_MAX_BODY), and its JSON tree (NULL in @out_json when the body is not JSON). Both
 * are owned by the scope. FALSE with an error when the body cannot be read. */
gboolean  _ladle_http_scope_get_body (LadleHttpScope  *self,
                                      LadleResponse   *response,
                                      GBytes         **out_body,
                                      JsonNode       **out_json,
                                      GError         **error);

/* A property path as httpyac writes one after a request's name or `?? body`: `token`,
 * `items[0].id`, `headers["X-Id"]`, `['a b']`; `length` of an array or a string when it has no
 * such member. Returns the node (owned by @root, or in @out_owned when made up) or NULL when the
 * path leads nowhere; FALSE in @out_valid when @path cannot be read. */
JsonNode *_ladle_http_json_select   (JsonNode        *root,
                                     const char      *path,
                                     JsonNode       **out_owned,
                                     gboolean        *out_valid);

/* httpyac's OAuth 2.0 shorthand, the value of an Authorization header: `oauth2 [GRANT]
 * [PREFIX]` (or `openid …`). GRANT: client_credentials (client), password, authorization_code
 * (code), device_code (device); none: client_credentials. The settings are the variables
 * PREFIX_tokenEndpoint… (PREFIX "oauth2" when none; a missing one falls back to oauth2_…).
 * 1 with the grant and the prefix; 0 when @value is not one; -1 when it is but cannot be read
 * (an unknown grant, a bad prefix, more words): a LADLE_ERROR_PARSE message without a place,
 * and in @out_offset the byte offset in @value of the word at fault. */
int       _ladle_http_parse_oauth2  (const char       *value,
                                     LadleOauth2Grant *out_grant,
                                     char            **out_prefix,
                                     gsize            *out_offset,
                                     GError          **error);

/* `Digest user password` or `Digest user:password` (JetBrains, httpyac): TRUE with both;
 * FALSE for anything else (a whole Digest answer, `username="…"`). */
gboolean  _ladle_http_parse_digest  (const char       *value,
                                     char            **out_user,
                                     char            **out_password);

/* A JSON value as a variable's text: a string as it is, anything else as compact JSON. */
char     *_ladle_http_json_text     (JsonNode        *node);

G_END_DECLS
