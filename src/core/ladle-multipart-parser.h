/* ladle-multipart-parser.h
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

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _LadleMultipartParser LadleMultipartParser;

/**
 * LadleMultipartCallbacks:
 * @part_begin: a part's headers are complete; @headers (a #SoupMessageHeaders of type
 *   %SOUP_MESSAGE_HEADERS_MULTIPART) is only borrowed for the call, take a reference to keep it
 * @part_data: body bytes of the current part; never called with 0 bytes
 * @part_end: the current part's body ended (its delimiter was seen)
 *
 * Every callback may be %NULL. A callback returns %FALSE with @error set to abort parsing; the
 * error is then returned by ladle_multipart_parser_feed().
 */
typedef struct
{
  gboolean (*part_begin) (SoupMessageHeaders  *headers,
                          gpointer             user_data,
                          GError             **error);
  gboolean (*part_data)  (const guint8        *data,
                          gsize                len,
                          gpointer             user_data,
                          GError             **error);
  gboolean (*part_end)   (gpointer             user_data,
                          GError             **error);
} LadleMultipartCallbacks;

LadleMultipartParser *ladle_multipart_parser_new         (const char                    *boundary,
                                                          const LadleMultipartCallbacks *callbacks,
                                                          gpointer                       user_data,
                                                          GError                       **error);
gboolean              ladle_multipart_parser_feed        (LadleMultipartParser          *self,
                                                          const guint8                  *data,
                                                          gsize                          len,
                                                          GError                       **error);
gboolean              ladle_multipart_parser_finish      (LadleMultipartParser          *self,
                                                          GError                       **error);
gboolean              ladle_multipart_parser_is_complete (LadleMultipartParser          *self);
void                  ladle_multipart_parser_free        (LadleMultipartParser          *self);

void                  ladle_multipart_part_get_names     (SoupMessageHeaders   *part_headers,
                                                          char                **out_field,
                                                          char                **out_filename);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LadleMultipartParser, ladle_multipart_parser_free)

G_END_DECLS
