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
