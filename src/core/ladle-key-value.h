/* ladle-key-value.h
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

#include <glib-object.h>

G_BEGIN_DECLS

#define LADLE_TYPE_KEY_VALUE (ladle_key_value_get_type ())
G_DECLARE_FINAL_TYPE (LadleKeyValue, ladle_key_value, LADLE, KEY_VALUE, GObject)

LadleKeyValue *ladle_key_value_new              (const char    *name,
                                                 const char    *value);
LadleKeyValue *ladle_key_value_new_file         (const char    *name,
                                                 const char    *path);
const char    *ladle_key_value_get_name         (LadleKeyValue *self);
void           ladle_key_value_set_name         (LadleKeyValue *self,
                                                 const char    *name);
const char    *ladle_key_value_get_value        (LadleKeyValue *self);
void           ladle_key_value_set_value        (LadleKeyValue *self,
                                                 const char    *value);
gboolean       ladle_key_value_get_enabled      (LadleKeyValue *self);
void           ladle_key_value_set_enabled      (LadleKeyValue *self,
                                                 gboolean       enabled);
/* Multipart rows only: the value is a file path, streamed from disk when sent. */
gboolean       ladle_key_value_get_is_file      (LadleKeyValue *self);
void           ladle_key_value_set_is_file      (LadleKeyValue *self,
                                                 gboolean       is_file);
/* Multipart rows only, nullable: the part's Content-Type (guessed from the file name when NULL). */
const char    *ladle_key_value_get_content_type (LadleKeyValue *self);
void           ladle_key_value_set_content_type (LadleKeyValue *self,
                                                 const char    *content_type);
/* Whether the row, as a header, may be sent: disabled rows and rows without a name are not sent,
 * so they pass; else the name must be a token and the value free of line breaks. */
LadleKeyValue *ladle_key_value_copy             (LadleKeyValue *kv);
gboolean       ladle_key_value_check_header     (LadleKeyValue *self,
                                                 GError       **error);

/* LadleRequest: everything the user composes, as properties the UI binds to. */

G_END_DECLS
