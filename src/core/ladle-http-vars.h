/* ladle-http-vars.h
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
#include "ladle-request.h"
#include "ladle-response.h"

G_BEGIN_DECLS

/* Where a variable's value came from, in order of precedence (the first wins). */
typedef enum
{
  LADLE_HTTP_SOURCE_OVERRIDE,     /* --var NAME=VALUE, or set by the caller */
  LADLE_HTTP_SOURCE_REQUEST,      /* `@name = value` in the request's region */
  LADLE_HTTP_SOURCE_FILE,         /* `@name = value` at file level */
  LADLE_HTTP_SOURCE_PRIVATE_ENV,  /* http-client.private.env.json, the environment then $shared */
  LADLE_HTTP_SOURCE_ENV,          /* http-client.env.json, the environment then $shared */
  LADLE_HTTP_SOURCE_DOTENV,       /* .env beside the env files */
  LADLE_HTTP_SOURCE_DYNAMIC,      /* {{$uuid}}, {{$timestamp}}… */
  LADLE_HTTP_SOURCE_RESPONSE,     /* {{login.token}}, {{login.response.body.$.x}} */
} LadleHttpSource;

/* LadleHttpEnvironments: the environments of one folder, JetBrains' layout:
 * http-client.env.json {"dev": {"host": "…"}, "$shared": {…}}, http-client.private.env.json the
 * same shape (secrets, meant for .gitignore), and .env (NAME=value lines). Values that are not
 * strings (numbers, booleans) are used as their JSON text. */
typedef struct _LadleHttpEnvironments LadleHttpEnvironments;

#define LADLE_TYPE_HTTP_ENVIRONMENTS (ladle_http_environments_get_type ())
GType                  ladle_http_environments_get_type   (void) G_GNUC_CONST;

/* An empty set (no files). */
LadleHttpEnvironments *ladle_http_environments_new        (const char             *folder);
/* Reads the three files of @folder; a missing file is empty; a damaged one fails with
 * LADLE_ERROR_PARSE "PATH:LINE:COL: …". */
LadleHttpEnvironments *ladle_http_environments_load       (const char             *folder,
                                                           GError                **error);
/* The folder whose files apply to @http_file: its own folder or the nearest parent (up to and
 * including @root when not NULL, else up to the filesystem root) holding an
 * http-client.env.json, http-client.private.env.json or .env; the file's own folder when none. */
char                  *ladle_http_environments_find_folder (const char            *http_file,
                                                           const char             *root);
LadleHttpEnvironments *ladle_http_environments_ref        (LadleHttpEnvironments  *self);
void                   ladle_http_environments_unref      (LadleHttpEnvironments  *self);
const char            *ladle_http_environments_get_folder (LadleHttpEnvironments  *self);
/* (transfer full): the environments of both files, sorted, without $shared. */
GStrv                  ladle_http_environments_dup_names  (LadleHttpEnvironments  *self);
gboolean               ladle_http_environments_has        (LadleHttpEnvironments  *self,
                                                           const char             *env);
/* The value of @name in @env (nullable: $shared and .env only): private env, env, private
 * $shared, $shared, .env. NULL when not defined. */
const char            *ladle_http_environments_lookup     (LadleHttpEnvironments  *self,
                                                           const char             *env,
                                                           const char             *name,
                                                           LadleHttpSource        *out_source);
/* (transfer full): the names defined for @env (with $shared's), sorted. */
GStrv                  ladle_http_environments_dup_variables (LadleHttpEnvironments *self,
                                                              const char           *env);
/* Editing (the window's environment editor): @secret puts the value in the private file and
 * removes it from the shared one, and the reverse. @value NULL removes it. */
void                   ladle_http_environments_set        (LadleHttpEnvironments  *self,
                                                           const char             *env,
                                                           const char             *name,
                                                           const char             *value,
                                                           gboolean                secret);
gboolean               ladle_http_environments_is_secret  (LadleHttpEnvironments  *self,
                                                           const char             *env,
                                                           const char             *name);
void                   ladle_http_environments_add_env    (LadleHttpEnvironments  *self,
                                                           const char             *env);
/* Writes both JSON files atomically (only those that changed; a file with nothing in it is not
 * created). */
gboolean               ladle_http_environments_save       (LadleHttpEnvironments  *self,
                                                           GError                **error);

/* LadleHttpScope: everything a {{…}} can refer to while one run lasts: overrides, the selected
 * environment, the file being run, and the responses of named requests that ran. */
typedef struct _LadleHttpScope LadleHttpScope;

#define LADLE_TYPE_HTTP_SCOPE (ladle_http_scope_get_type ())
GType           ladle_http_scope_get_type       (void) G_GNUC_CONST;

/* @environments and @env are nullable (no environment). */
LadleHttpScope *ladle_http_scope_new            (LadleHttpEnvironments *environments,
                                                 const char            *env);
LadleHttpScope *ladle_http_scope_ref            (LadleHttpScope        *self);
void            ladle_http_scope_unref          (LadleHttpScope        *self);
void            ladle_http_scope_set_override   (LadleHttpScope        *self,
                                                 const char            *name,
                                                 const char            *value);
/* The response of the request named @request_name in @file, for chaining. */
void            ladle_http_scope_set_response   (LadleHttpScope        *self,
                                                 LadleHttpFile         *file,
                                                 const char            *request_name,
                                                 LadleResponse         *response);
LadleResponse  *ladle_http_scope_get_response   (LadleHttpScope        *self,
                                                 LadleHttpFile         *file,
                                                 const char            *request_name);

/* Expands every {{…}} of @text, which sits in @file (nullable) at @line:@column (of its first
 * character) and belongs to @entry (nullable: file level). Variable values are expanded in turn
 * (a cycle is an error that names it). On failure: NULL and a LADLE_ERROR_PARSE error
 * "PATH:LINE:COL: {{name}} is not defined" (or what else is wrong) at the {{ that failed. */
char           *ladle_http_scope_expand         (LadleHttpScope        *self,
                                                 LadleHttpFile         *file,
                                                 const LadleHttpEntry  *entry,
                                                 const char            *text,
                                                 guint                  line,
                                                 guint                  column,
                                                 GError               **error);
/* What {{@name}} would become, and from where; NULL with an error as above. For the window's
 * hover and underline. */
char           *ladle_http_scope_resolve        (LadleHttpScope        *self,
                                                 LadleHttpFile         *file,
                                                 const LadleHttpEntry  *entry,
                                                 const char            *name,
                                                 LadleHttpSource       *out_source,
                                                 GError               **error);
/* (transfer full): the names of the requests of @file whose responses @entry refers to
 * (`{{login.token}}`, `{{login.response…}}` anywhere in its URL, headers, body text and
 * variables, where login is not a variable), each once, in order of first use. */
GStrv           ladle_http_scope_dup_dependencies (LadleHttpScope      *self,
                                                   LadleHttpFile       *file,
                                                   const LadleHttpEntry *entry);
/* The request to send for @entry: every {{…}} expanded; `< path` bodies as LadleRequest body
 * parts (files streamed, paths relative to @file's folder, `<@` files read and expanded);
 * directives applied (no-redirect, no-cookie-jar, insecure, timeout → idle, connection-timeout,
 * total-timeout: seconds as JetBrains writes them, "5", "5 s", "500 ms", "2 m"; a bad value is
 * an error at its line). The body is LADLE_BODY_PARTS with no Content-Type of its own; an
 * `Authorization: Basic user:password` (or `Basic user password`) is base64-encoded. */
LadleRequest   *ladle_http_scope_build_request  (LadleHttpScope        *self,
                                                 LadleHttpFile         *file,
                                                 const LadleHttpEntry  *entry,
                                                 GError               **error);

/* One {{…}} of a text, for highlighting: byte offsets of `{{` and after `}}`, and the trimmed
 * name inside. ladle_http_find_variables() returns them in an array that frees the names;
 * an unterminated `{{` is not one. */
typedef struct
{
  gsize  start;
  gsize  end;
  char  *name;
} LadleHttpVarSpan;

GArray         *ladle_http_find_variables       (const char            *text,
                                                 gssize                 length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LadleHttpEnvironments, ladle_http_environments_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LadleHttpScope, ladle_http_scope_unref)

G_END_DECLS
