/* ladle-http-assert.h
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

#include "ladle-http-file.h"
#include "ladle-http-vars.h"
#include "ladle-response.h"

G_BEGIN_DECLS

/* httpyac's `??` assertions, without JavaScript:
 *   ?? status == 200
 *   ?? header content-type includes json
 *   ?? body json.ключ == значение        (a property path into the parsed JSON body)
 *   ?? body headers["X-Id"] == 7
 *   ?? body == TEXT                       (the whole body)
 *   ?? duration < 500                     (milliseconds)
 * Conditions: == != < <= > >= startsWith endsWith includes contains exists isTrue isFalse
 * isNumber isBoolean isString isArray matches. The expected value has its {{…}} expanded.
 * `?? js …` is JavaScript: kept in the file, reported "not run". */

typedef enum
{
  LADLE_HTTP_VERDICT_PASSED,
  LADLE_HTTP_VERDICT_FAILED,
  LADLE_HTTP_VERDICT_NOT_RUN,   /* JavaScript, or the request failed before a response */
  LADLE_HTTP_VERDICT_ERROR,     /* the line cannot be read or its value cannot be expanded */
} LadleHttpVerdict;

typedef struct
{
  LadleHttpVerdict  verdict;
  char             *text;       /* the assertion as written, after `??` */
  guint             line;
  char             *message;    /* for FAILED/ERROR/NOT_RUN: what was found, e.g.
                                 * "status is 404, expected == 200"; NULL when passed */
} LadleHttpAssertResult;

void                   ladle_http_assert_result_free (LadleHttpAssertResult *result);

/* Checks one line against @response (nullable: the request failed) that took @duration_ms.
 * Never fails: problems are in the result. */
LadleHttpAssertResult *ladle_http_assert_check       (LadleHttpScope        *scope,
                                                      LadleHttpFile         *file,
                                                      const LadleHttpEntry  *entry,
                                                      const LadleHttpAssertLine *assertion,
                                                      LadleResponse         *response,
                                                      double                 duration_ms);

/* Whether the `??` text is one Ladle can run (FALSE for `js …`); @error says why not. For the
 * parser's and the editor's checks before sending. */
gboolean               ladle_http_assert_validate    (const char            *text,
                                                      GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LadleHttpAssertResult, ladle_http_assert_result_free)

G_END_DECLS
