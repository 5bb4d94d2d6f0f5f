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

/* A JSON value as a variable's text: a string as it is, anything else as compact JSON. */
char     *_ladle_http_json_text     (JsonNode        *node);

G_END_DECLS
