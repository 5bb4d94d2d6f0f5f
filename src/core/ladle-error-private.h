/* ladle-error-private.h
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

const char *_ladle_error_form_arg (const char * const *form,
                                   guint               i);

/* Each unit words the forms of its own errors (see ladle_error_new_form()): "digest-…",
 * "oauth2-…", "proxy-…", "tls-client-…". A formatter returns NULL for a kind it does not know
 * or arguments that do not fit it. */
typedef char *(*LadleErrorFormatForm) (const char * const *form);

void _ladle_error_add_forms (const char           *prefix,
                             LadleErrorFormatForm  format);

/* In the module's .c file: adds its formatter when the program is loaded (a GCC/Clang
 * constructor, as GLib's own gconstructor.h does it), before any of its errors is made or read. */
#define _LADLE_ERROR_FORMS(name, prefix, format)                                   \
  static void __attribute__ ((constructor)) ladle_error_forms_##name (void)       \
  {                                                                                \
    _ladle_error_add_forms (prefix, format);                                       \
  }

G_END_DECLS
