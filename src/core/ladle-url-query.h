/* ladle-url-query.h
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

/* One item of a query as typed: "name=value", "name" (no "=": @value is NULL) or "" (between
 * two "&"). Both parts are raw: percent-encoding and {{…}} as in the URL. */
typedef struct
{
  char *name;
  char *value;
} LadleUrlQueryItem;

/* A URL as typed, cut at its query: @base (everything before "?", or before "#" when there is
 * no query), the items between "?" and "#", and the fragment after "#" (NULL when there is no
 * "#"). ladle_url_query_join() gives the text back byte for byte. {{…}} is opaque: a "?", "#",
 * "&" or "=" inside it cuts nothing. */
typedef struct
{
  char      *base;
  gboolean   has_query;
  GPtrArray *items;       /* of LadleUrlQueryItem */
  char      *fragment;
} LadleUrlParts;

LadleUrlParts *ladle_url_parts_split       (const char    *url);
/* (transfer full): base, "?" and the items joined by "&" when there are any (or has_query),
 * "#" and the fragment when there is one. */
char          *ladle_url_parts_join        (LadleUrlParts *parts);
void           ladle_url_parts_free        (LadleUrlParts *parts);
/* Appends an item (copies of @name and @value; @value NULL for an item without "="). */
void           ladle_url_parts_add         (LadleUrlParts *parts,
                                            const char    *name,
                                            const char    *value);

/* For display: %XX decoded when the result is valid UTF-8 without control characters, else the
 * raw text as it is; "+" is left alone, {{…}} untouched. */
char          *ladle_url_query_decode      (const char    *raw);
/* What the user typed as a name (@is_name) or value, made fit for a query: "&", "#", "+",
 * spaces, control characters and "%" not followed by two hex digits are encoded ("=" too in a
 * name); "%XX" is taken as already encoded and left as typed, so nothing is encoded twice;
 * {{…}} and non-ASCII letters are kept (the sent URL encodes the latter). */
char          *ladle_url_query_encode      (const char    *text,
                                            gboolean       is_name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LadleUrlParts, ladle_url_parts_free)

G_END_DECLS
