/* ladle-tls-cert.h
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

/* The folder (inside the data folder) and the names of the self-signed pair `ladle serve --tls`
 * and the Server bench use. */
#define LADLE_TLS_CERT_DIR_NAME  "tls"
#define LADLE_TLS_CERT_FILE_NAME "localhost-cert.pem"
#define LADLE_TLS_KEY_FILE_NAME  "localhost-key.pem"

/* How long a generated certificate is valid */
#define LADLE_TLS_CERT_VALID_DAYS 365

/**
 * LadleTlsCert:
 * @certificate: the certificate with its key, for a server
 * @cert_path: (nullable): the PEM file the certificate came from
 * @key_path: (nullable): the PEM file of its key
 * @cert_pem: the certificate (chain) as PEM text
 * @fingerprint: SHA-256 of the certificate, "AB:CD:…"
 * @warning: (nullable): a problem that does not stop a server (expired, not yet valid)
 * @created: whether it was generated just now
 */
typedef struct
{
  GTlsCertificate *certificate;
  char            *cert_path;
  char            *key_path;
  char            *cert_pem;
  char            *fingerprint;
  char            *warning;
  gboolean         created;
} LadleTlsCert;

void          ladle_tls_cert_free             (LadleTlsCert     *self);
gboolean      ladle_tls_cert_generate_pem     (char            **out_cert_pem,
                                               char            **out_key_pem,
                                               GError          **error);
LadleTlsCert *ladle_tls_cert_load             (const char       *cert_path,
                                               const char       *key_path,
                                               GError          **error);
LadleTlsCert *ladle_tls_cert_load_pem         (const char       *cert_pem,
                                               gssize            cert_len,
                                               const char       *key_pem,
                                               gssize            key_len,
                                               const char       *cert_name,
                                               const char       *key_name,
                                               GError          **error);
LadleTlsCert *ladle_tls_cert_ensure           (const char       *dir,
                                               GError          **error);
char         *ladle_tls_cert_dup_default_dir  (const char       *app_id);
char         *ladle_tls_cert_dup_fingerprint  (GTlsCertificate  *certificate);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LadleTlsCert, ladle_tls_cert_free)

G_END_DECLS
