/* ladle-http-file.h
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

#include "ladle-request.h"

G_BEGIN_DECLS

/* A `.http` file as JetBrains HTTP Client, VS Code REST Client and httpyac read it: a syntax tree
 * of plain structs that keeps every value as written ({{…}} not expanded; expansion is
 * ladle-http-vars' job) and where each piece came from, 1-based LINE:COL, columns counted in
 * characters.
 *
 * The file keeps its text. Saving a file nobody edited writes that text back byte for byte;
 * replacing one request rewrites only that request's bytes (ladle_http_file_replace_entry).
 *
 * What is read, line by line (a line ends with "\n" or "\r\n"; a UTF-8 byte order mark is
 * skipped):
 *
 * - `###…` (after optional spaces) ends a region and starts the next; its text after the #s is
 *   the region's separator name. The first region starts at byte 0.
 * - Before the request line: blank lines; `#` and `//` comments; `# @word argument`,
 *   `// @word argument`, `# @name=login` directives; `@name = value` (or `:=`) variables;
 *   `< {% … %}` and `< ./script.js` pre-request scripts; httpyac's `{{` … `}}` blocks.
 * - The request line: `METHOD URL [HTTP/x.y]` (METHOD in capitals: GET… PROPFIND, any), or a URL
 *   alone (GET). Indented lines right after it go on the URL (`    ?page=2`, `    &sort=name`,
 *   `    /api`); a `?…` or `&…` line among the headers does too (httpyac).
 * - Headers `Name: value` up to a blank line; comments among them are skipped. A line that is
 *   not one is a diagnostic and starts the body (httpyac reads it as body, JetBrains flags it).
 * - The body, to the end of the region (see LadleHttpPartKind), except `?? …` assertions
 *   (anywhere after the request line), `> {% … %}` / `> ./file.js` response handlers, `>> file`,
 *   `>>! file`, `<> file`, and `{{` … `}}` blocks.
 * - A region without a request line gives its variables to the file; it is not an entry.
 *
 * A `{% … %}` or `{{ … }}` block never crosses a `###` line: one left open is a diagnostic at its
 * start and ends with its region. The parser never fails and reads in linear time. */

/* `@name = value`, file-level (in a region without a request) or request-level. */
typedef struct
{
  char  *name;
  char  *value;                 /* trimmed, as written */
  guint  line;
} LadleHttpVariable;

/* A `# @word argument` / `// @word argument` comment line: "name", "no-redirect",
 * "no-cookie-jar", "timeout", "connection-timeout", "total-timeout", or any other word (kept,
 * ignored). */
typedef struct
{
  char  *name;                  /* without the @ */
  char  *argument;              /* trimmed; NULL when none */
  guint  line;
} LadleHttpDirective;

typedef struct
{
  char  *name;
  char  *value;                 /* trimmed, as written */
  guint  line;
  guint  value_column;
} LadleHttpHeader;

/* The body's bytes are the parts' bytes one after the other; each TEXT part holds exactly the
 * bytes httpyac (6.16) sends for its lines, so that Ladle and httpyac put the same body on the
 * wire:
 *
 * - The body starts at its first non-blank line after the headers' blank line and ends at its
 *   last non-blank line: leading and trailing blank lines are not part of it. Lines are read
 *   without their line breaks (LF or CRLF alike); `??`, `> …`, `>> …`, `<> …` and `{{`…`}}` lines
 *   in it are assertions and scripts, not body.
 * - Lines are joined with "\n" (also in a CRLF file), or with "\r\n" when the Content-Type is
 *   multipart/form-data. There is no line break after the last line, except that an
 *   application/x-ndjson body of text only ends with one.
 * - Around a `< file` part: the text before it ends with a line break and the text after it
 *   starts with one; two file parts in a row are joined by one line break (a TEXT part of just the
 *   break).
 * - application/x-www-form-urlencoded: each line is trimmed, and so is the space around each `=`
 *   and `&`; the lines are joined with nothing ("a=1" and "&b=2" on two lines send "a=1&b=2").
 *   (httpyac then percent-encodes what is not allowed in a URL, after expanding {{…}}; that is
 *   the sender's job. httpyac leaves `< file` lines out of a form body; Ladle keeps them.)
 *
 * The Content-Type is the first Content-Type header's value as written, before any `;`. */
typedef enum
{
  LADLE_HTTP_PART_TEXT,         /* body bytes, as the comment above says */
  LADLE_HTTP_PART_FILE,         /* `< ./path`: the file's bytes, streamed */
  LADLE_HTTP_PART_FILE_EXPAND,  /* `<@ ./path` (or `<@latin1 ./path`): the file's text with
                                 * {{…}} expanded */
} LadleHttpPartKind;

typedef struct
{
  LadleHttpPartKind  kind;
  char              *text;      /* TEXT: the bytes; FILE*: the path as written (relative to the
                                 * file's folder) */
  guint              line;
  char              *encoding;  /* FILE_EXPAND: `<@latin1`'s "latin1"; NULL: UTF-8 */
} LadleHttpBodyPart;

/* `?? …` (httpyac's assertions, `?? js …` too): the text after `??`, trimmed;
 * ladle-http-assert reads it. */
typedef struct
{
  char  *text;
  guint  line;
  guint  column;                /* of the text's first character */
} LadleHttpAssertLine;

typedef enum
{
  LADLE_HTTP_SCRIPT_PRE,        /* `< {% … %}` or `< ./script.js` before the request */
  LADLE_HTTP_SCRIPT_POST,       /* `> {% … %}` or `> ./script.js` after it */
  LADLE_HTTP_SCRIPT_INLINE,     /* a `{{` … `}}` block on lines of its own (httpyac) */
  LADLE_HTTP_SCRIPT_OTHER,      /* `>> file`, `>>! file`, `<> file` (response output/reference) */
} LadleHttpScriptKind;

/* JavaScript and other lines Ladle keeps but does not run; a runner reports them "not run". */
typedef struct
{
  LadleHttpScriptKind  kind;
  char                *text;    /* verbatim, every line of the block */
  guint                line;
} LadleHttpScript;

/* One request of a file. @start/@end are byte offsets into the file's text: from the `###`
 * line that opens it (or the file's start) to the next `###` line (or the end). */
typedef struct
{
  gsize       start;
  gsize       end;
  guint       first_line;
  guint       request_line;     /* the line of METHOD URL */
  guint       url_column;       /* the column of the URL's first character on it */
  char       *separator_name;   /* the text after `###`, trimmed; NULL or "" when none */
  char       *name;             /* `@name`, else the separator's text; NULL when neither */
  char       *method;           /* "GET" in the short form */
  char       *url;              /* as written, continuation lines joined without their
                                 * indentation; {{…}} not expanded */
  char       *http_version;     /* "HTTP/1.1", "HTTP/2"…; NULL when not written */
  GPtrArray  *variables;        /* LadleHttpVariable, request-level */
  GPtrArray  *directives;       /* LadleHttpDirective */
  GPtrArray  *headers;          /* LadleHttpHeader, in order, duplicates kept */
  GPtrArray  *body;             /* LadleHttpBodyPart; empty when there is no body */
  GPtrArray  *assertions;       /* LadleHttpAssertLine */
  GPtrArray  *scripts;          /* LadleHttpScript */
  GPtrArray  *comments;         /* char *: the request's own comment lines (`#`, `//`, not
                                 * directives) before its request line and among its headers,
                                 * verbatim; written back after the `###` line */
} LadleHttpEntry;

/* A problem found while parsing, at LINE:COL (1-based, characters). */
typedef struct
{
  guint  line;
  guint  column;
  char  *message;
} LadleHttpDiagnostic;

typedef struct _LadleHttpFile LadleHttpFile;

#define LADLE_TYPE_HTTP_FILE (ladle_http_file_get_type ())
#define LADLE_TYPE_HTTP_ENTRY (ladle_http_entry_get_type ())
GType                ladle_http_file_get_type          (void) G_GNUC_CONST;
GType                ladle_http_entry_get_type         (void) G_GNUC_CONST;

/* Parses @text (@length bytes, or -1 for NUL-terminated). Never fails: what cannot be read
 * becomes a diagnostic and the rest is still read. @path (nullable) names the file in messages and
 * is the folder `< ./file` bodies are relative to. */
LadleHttpFile       *ladle_http_file_parse             (const char           *path,
                                                        const char           *text,
                                                        gssize                length);
/* A file made from a model (imports, "Save to…"): @variables (LadleHttpVariable, nullable) as
 * `@name = value` lines, then each entry as ladle_http_entry_format() writes it, lines ended by
 * @newline (NULL: "\n"). The entries are kept (referenced), their positions set. */
LadleHttpFile       *ladle_http_file_new_from_entries  (const char           *path,
                                                        GPtrArray            *variables,
                                                        GPtrArray            *entries,
                                                        const char           *newline);
/* Reads and parses @path; fails only when the file cannot be read, or is not UTF-8 text (a
 * LADLE_ERROR_PARSE "PATH:LINE:COL: …" error). */
LadleHttpFile       *ladle_http_file_load              (const char           *path,
                                                        GError              **error);
LadleHttpFile       *ladle_http_file_ref               (LadleHttpFile        *self);
void                 ladle_http_file_unref             (LadleHttpFile        *self);

const char          *ladle_http_file_get_path          (LadleHttpFile        *self);
/* The text as it will be saved. */
GBytes              *ladle_http_file_get_text          (LadleHttpFile        *self);
/* "\r\n" when the file's first line break is one, else "\n". */
const char          *ladle_http_file_get_newline       (LadleHttpFile        *self);
/* (element-type LadleHttpVariable): file-level variables, in order. */
GPtrArray           *ladle_http_file_get_variables     (LadleHttpFile        *self);
/* (element-type LadleHttpEntry): the requests, in order. */
GPtrArray           *ladle_http_file_get_entries       (LadleHttpFile        *self);
/* (element-type LadleHttpDiagnostic) */
GPtrArray           *ladle_http_file_get_diagnostics   (LadleHttpFile        *self);
/* FALSE with a LADLE_ERROR_PARSE error "PATH:LINE:COL: message" for the first diagnostic. */
gboolean             ladle_http_file_check             (LadleHttpFile        *self,
                                                        GError              **error);
/* The entry named @name (`@name` or `###` text), or NULL. */
LadleHttpEntry      *ladle_http_file_find_entry        (LadleHttpFile        *self,
                                                        const char           *name);

/* Puts @text (one request's region, as ladle_http_entry_format() writes it) in place of entry
 * @index's bytes (or appends it when @index is the number of entries) and parses the result;
 * every other byte stays as it was. Returns a new file; @self is unchanged. */
LadleHttpFile       *ladle_http_file_replace_entry     (LadleHttpFile        *self,
                                                        guint                 index,
                                                        const char           *text);
/* Removes entry @index's bytes. Returns a new file. */
LadleHttpFile       *ladle_http_file_remove_entry      (LadleHttpFile        *self,
                                                        guint                 index);
/* Writes the text to @path (the file's own when NULL) atomically: a temporary file beside it,
 * renamed over it; on failure nothing is left behind and the old file is untouched. */
gboolean             ladle_http_file_save              (LadleHttpFile        *self,
                                                        const char           *path,
                                                        GError              **error);

LadleHttpEntry      *ladle_http_entry_new              (void);
LadleHttpEntry      *ladle_http_entry_ref              (LadleHttpEntry       *self);
void                 ladle_http_entry_unref            (LadleHttpEntry       *self);
const char          *ladle_http_entry_get_directive    (const LadleHttpEntry *self,
                                                        const char           *name);
gboolean             ladle_http_entry_has_directive    (const LadleHttpEntry *self,
                                                        const char           *name);
void                 ladle_http_entry_add_variable     (LadleHttpEntry       *self,
                                                        const char           *name,
                                                        const char           *value);
void                 ladle_http_entry_add_directive    (LadleHttpEntry       *self,
                                                        const char           *name,
                                                        const char           *argument);
void                 ladle_http_entry_add_header       (LadleHttpEntry       *self,
                                                        const char           *name,
                                                        const char           *value);
void                 ladle_http_entry_add_body_part    (LadleHttpEntry       *self,
                                                        LadleHttpPartKind     kind,
                                                        const char           *text);
void                 ladle_http_entry_add_assertion    (LadleHttpEntry       *self,
                                                        const char           *text);
void                 ladle_http_entry_add_script       (LadleHttpEntry       *self,
                                                        LadleHttpScriptKind   kind,
                                                        const char           *text);
/* @line starts with `#` or `//` (after blanks) and is not a directive; it is kept as it is. */
void                 ladle_http_entry_add_comment      (LadleHttpEntry       *self,
                                                        const char           *line);
/* The entry as a region of a file, each line ended by @newline, ending with a blank line:
 * `### SEPARATOR-NAME` (or `### NAME`), `# @name NAME` when the name is a plain word and no
 * `@name` directive says it, the directives, `@name = value` variables, pre-request scripts, the
 * request line, headers, a blank line and the body's lines, then a blank line, the other scripts
 * and the assertions. Comments other than directives are not part of the model and are not
 * written; blocks left open are closed. Parsing the text gives an entry that formats to the same
 * text, and its body parts hold the same bytes. */
char                *ladle_http_entry_format           (const LadleHttpEntry *self,
                                                        const char           *newline);
/* ladle_http_entry_format(), checked: the text is read back, and when it would not give the same
 * request (a body line that reads as `###`, `??` or a script, a method that is not a word, a
 * header name with a colon…), NULL with a LADLE_ERROR_INVALID_ARGUMENT error saying what, so
 * that saving a request from the window never changes it behind the user's back. */
char                *ladle_http_entry_format_checked   (const LadleHttpEntry *self,
                                                        const char           *newline,
                                                        GError              **error);
/* An entry for a request composed in the window, from history or from an import: method, URL
 * with its enabled query parameters, enabled headers, auth as an Authorization header, body
 * (JSON/text inline, a form urlencoded, multipart as parts with `< path` files, a file as
 * `< path`) and the options that differ from the defaults as directives. @name is nullable. */
LadleHttpEntry      *ladle_http_entry_new_from_request (LadleRequest         *request,
                                                        const char           *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LadleHttpFile, ladle_http_file_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LadleHttpEntry, ladle_http_entry_unref)

G_END_DECLS
