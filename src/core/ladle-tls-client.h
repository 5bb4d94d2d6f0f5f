/* ladle-tls-client.h
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

/* Client certificates (PEM certificate + key, or PKCS#12 by content) and CA bundles, loaded once
 * per path, size and modification time. Errors are LADLE_ERROR_TLS, worded "PATH: message". */
GTlsCertificate     *ladle_tls_client_load_certificate (const char          *cert_file,
                                                        const char          *key_file,
                                                        const char          *password,
                                                        GError             **error);
GTlsDatabase        *ladle_tls_client_load_ca          (const char          *ca_file,
                                                        GError             **error);
gboolean             ladle_tls_client_accept_with_ca   (GTlsDatabase        *database,
                                                        GTlsCertificate     *certificate,
                                                        const char          *host,
                                                        guint                port,
                                                        GTlsCertificateFlags *errors);
void                 ladle_tls_client_clear_cache      (void);

G_END_DECLS
