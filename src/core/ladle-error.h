/* ladle-error.h
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

G_BEGIN_DECLS

#define LADLE_ERROR (ladle_error_quark ())

typedef enum
{
  LADLE_ERROR_FAILED,
  LADLE_ERROR_INVALID_ARGUMENT,
  LADLE_ERROR_PARSE,
  LADLE_ERROR_TOO_LARGE,
  LADLE_ERROR_NO_SPACE,
  LADLE_ERROR_ADDRESS_IN_USE,
  LADLE_ERROR_NOT_WRITABLE,
  LADLE_ERROR_TIMED_OUT,
  LADLE_ERROR_CANCELLED,
  LADLE_ERROR_RESOLVE,
  LADLE_ERROR_CONNECTION_REFUSED,
  LADLE_ERROR_TLS,
  LADLE_ERROR_CONNECTION_RESET,
  LADLE_ERROR_TRUNCATED,
  LADLE_ERROR_TIMEOUT_CONNECT,
  LADLE_ERROR_TIMEOUT_IDLE,
  LADLE_ERROR_TIMEOUT_TOTAL,
  LADLE_ERROR_TOO_MANY_REDIRECTS,
} LadleError;

GQuark      ladle_error_quark        (void);
GError     *ladle_error_new_form     (LadleError            code,
                                      const char           *kind,
                                      ...) G_GNUC_NULL_TERMINATED;
const char * const *ladle_error_get_form (const GError     *error);
char       *ladle_error_format_form  (const char * const   *form);
const char *ladle_error_describe_tls (GTlsCertificateFlags flags);
GError     *ladle_error_classify_network (const GError         *error,
                                          GTlsCertificateFlags  tls_errors,
                                          const char           *host,
                                          guint                 port);

G_END_DECLS
