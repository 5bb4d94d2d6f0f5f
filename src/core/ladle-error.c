/* ladle-error.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ladle-error.h"

G_DEFINE_QUARK (ladle-error-quark, ladle_error)

/**
 * ladle_error_describe_tls:
 * @flags: what was wrong with a peer's certificate
 *
 * Returns: the main problem in words, for "TLS certificate problem: …" messages
 */
const char *
ladle_error_describe_tls (GTlsCertificateFlags flags)
{
  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    return _("the certificate is not signed by a trusted authority (self-signed?)");
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    return _("the certificate does not match the host name");
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    return _("the certificate is not valid yet");
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    return _("the certificate has expired");
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    return _("the certificate has been revoked");
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    return _("the certificate uses an insecure algorithm");

  return _("the certificate could not be verified");
}

/**
 * ladle_error_classify_network:
 * @error: what GIO or libsoup reported
 * @tls_errors: the certificate problems seen by accept-certificate, or 0
 * @host: the host that was being reached, for the message
 * @port: its port
 *
 * Words the network failures that every client reports alike: TLS, name resolution, refused
 * and reset connections.
 *
 * Returns: (transfer full) (nullable): a %LADLE_ERROR, or %NULL when @error is none of these
 */
GError *
ladle_error_classify_network (const GError         *error,
                              GTlsCertificateFlags  tls_errors,
                              const char           *host,
                              guint                 port)
{
  if (tls_errors != 0)
    return g_error_new (LADLE_ERROR, LADLE_ERROR_TLS, _("TLS certificate problem: %s"),
                        ladle_error_describe_tls (tls_errors));
  if (error->domain == G_TLS_ERROR)
    return g_error_new (LADLE_ERROR, LADLE_ERROR_TLS, _("TLS certificate problem: %s"),
                        error->message);

  if (error->domain == G_RESOLVER_ERROR)
    return g_error_new (LADLE_ERROR, LADLE_ERROR_RESOLVE, _("Could not resolve host “%s”"), host);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return g_error_new (LADLE_ERROR, LADLE_ERROR_CONNECTION_REFUSED,
                        _("Connection refused by %s:%u"), host, port);

  /* G_IO_ERROR_BROKEN_PIPE is the same code as G_IO_ERROR_CONNECTION_CLOSED (ECONNRESET). */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED))
    return g_error_new (LADLE_ERROR, LADLE_ERROR_CONNECTION_RESET,
                        _("The connection to %s:%u was reset"), host, port);

  return NULL;
}
