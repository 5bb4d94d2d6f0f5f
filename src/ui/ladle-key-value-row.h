/* ladle-key-value-row.h
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

#include <adwaita.h>

#include "ladle-request.h"

G_BEGIN_DECLS

typedef enum
{
  LADLE_KEY_VALUE_ROW_FILES   = 1 << 0,   /* multipart fields: a button to choose a file */
  LADLE_KEY_VALUE_ROW_HEADERS = 1 << 1,   /* headers: mark a name or value HTTP does not allow */
} LadleKeyValueRowFlags;

#define LADLE_TYPE_KEY_VALUE_ROW (ladle_key_value_row_get_type ())

G_DECLARE_FINAL_TYPE (LadleKeyValueRow, ladle_key_value_row, LADLE, KEY_VALUE_ROW, GtkListBoxRow)

GtkWidget     *ladle_key_value_row_new               (LadleKeyValue         *item,
                                                      GListStore            *store,
                                                      LadleKeyValueRowFlags  flags);
LadleKeyValue *ladle_key_value_row_get_item          (LadleKeyValueRow      *self);
/* A header row that is valid but not sent as it is: @note (nullable) says why */
void           ladle_key_value_row_set_note          (LadleKeyValueRow      *self,
                                                      const char            *note);
/* (nullable): the first entry marked invalid (name, then value), to take the user there */
GtkWidget     *ladle_key_value_row_get_invalid_entry (LadleKeyValueRow      *self);

/* Binds @box to @store (one row per item) and makes @add_button append an empty row. */
void           ladle_key_value_list_bind             (GtkListBox            *box,
                                                      GtkButton             *add_button,
                                                      GListStore            *store,
                                                      LadleKeyValueRowFlags  flags,
                                                      const char            *placeholder);

G_END_DECLS
