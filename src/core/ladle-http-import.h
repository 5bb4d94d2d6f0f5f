/* ladle-http-import.h
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

#include "ladle-history.h"
#include "ladle-http-file.h"
#include "ladle-response.h"

G_BEGIN_DECLS

/* Other tools' collections turned into `.http` files, and Ladle's requests into HAR. */

typedef enum
{
  LADLE_IMPORT_UNKNOWN,
  LADLE_IMPORT_POSTMAN,         /* Postman Collection v2.1 (v2.0 read the same way) */
  LADLE_IMPORT_HAR,             /* HAR 1.2 */
  LADLE_IMPORT_CURL,            /* one or more curl command lines */
} LadleImportKind;

/* The kind, from the content (not the file name). */
LadleImportKind ladle_http_import_detect      (const char    *data,
                                               gsize          length);

/* Imports @data (read from @source_path, which names it in messages and is the folder relative
 * file paths start from) into @folder: one `.http` file per collection/folder level (Postman
 * folders become sub-folders), and http-client.env.json for collection variables. Existing files
 * are never overwritten (a name gets " 2", " 3"… instead); every file is written atomically.
 * @out_written (nullable, transfer full) lists the files written; @out_warnings (nullable,
 * transfer full) says, per request, what could not be carried over ("Get user: the pre-request
 * script was kept as a comment"). Fails with LADLE_ERROR_PARSE when @data is not the kind it looks
 * like, naming where. */
gboolean        ladle_http_import             (const char    *data,
                                               gsize          length,
                                               const char    *source_path,
                                               const char    *folder,
                                               GStrv         *out_written,
                                               GStrv         *out_warnings,
                                               GError       **error);

/* HAR 1.2 export: a builder fed one exchange at a time (a run, the history), then written out.
 * @response is nullable (the send failed: the entry has status 0 and the error in its comment;
 * headers and body of a response kept in a file are read from it, bodies over 1 MiB are left out
 * with a comment). @started is real time (g_get_real_time), @duration in µs. */
typedef struct _LadleHar LadleHar;

LadleHar       *ladle_har_new                 (void);
void            ladle_har_free                (LadleHar      *self);
void            ladle_har_add                 (LadleHar      *self,
                                               LadleRequest  *request,
                                               LadleResponse *response,
                                               const char    *error,
                                               gint64         started,
                                               gint64         duration);
/* HAR of the history's entries (no responses are kept there: status and timing only). */
void            ladle_har_add_history         (LadleHar      *self,
                                               LadleHistory  *history);
char           *ladle_har_to_data             (LadleHar      *self,
                                               gsize         *out_length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LadleHar, ladle_har_free)

G_END_DECLS
