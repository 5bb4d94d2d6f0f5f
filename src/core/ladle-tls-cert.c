/* ladle-tls-cert.c
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

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "ladle-data-dir.h"
#include "ladle-error.h"
#include "ladle-tls-cert.h"

/* Server certificates for Ladle's HTTPS server.
 *
 * Parsing is GnuTLS's (the library glib-networking uses for every TLS connection) and GLib's: this
 * file only reads files, asks GnuTLS what is in them, and words what is wrong. A generated pair is
 * an ECDSA P-256 key and a self-signed certificate for localhost, 127.0.0.1 and ::1, valid a year,
 * with a random 128-bit serial. It is kept in the data folder as two PEM files: the key is written
 * first (mode 0600), the certificate last, each through a temporary file renamed into place, under
 * an advisory lock, so that the certificate's presence means the pair is whole. A key without a
 * certificate (an interrupted first run) is replaced; a stored pair that does not load is an error
 * that names the file and is never overwritten (a client may have pinned it). */

#define MAX_PEM_SIZE (1024 * 1024)
#define PEM_CERT_LINE "-----BEGIN CERTIFICATE-----"

void
ladle_tls_cert_free (LadleTlsCert *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->certificate);
  g_free (self->cert_path);
  g_free (self->key_path);
  g_free (self->cert_pem);
  g_free (self->fingerprint);
  g_free (self->warning);
  g_free (self);
}

static void
set_gnutls_error (GError     **error,
                  const char  *what,
                  int          ret)
{
  g_set_error (error, LADLE_ERROR, LADLE_ERROR_TLS, _("Could not make a certificate (%s): %s"),
               what, gnutls_strerror (ret));
}

static char *
datum_to_string (gnutls_datum_t *datum)
{
  char *out = g_strndup ((const char *) datum->data, datum->size);

  gnutls_free (datum->data);
  datum->data = NULL;
  datum->size = 0;

  return out;
}

/**
 * ladle_tls_cert_generate_pem:
 * @out_cert_pem: (out): a self-signed certificate for localhost, 127.0.0.1 and ::1
 * @out_key_pem: (out): its private key (PKCS#8, unencrypted)
 *
 * Returns: whether the pair was made
 */
gboolean
ladle_tls_cert_generate_pem (char   **out_cert_pem,
                             char   **out_key_pem,
                             GError **error)
{
  static const guint8 ipv4_loopback[4] = { 127, 0, 0, 1 };
  static const guint8 ipv6_loopback[16] = { [15] = 1 };
  gnutls_x509_privkey_t key = NULL;
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t datum = { NULL, 0 };
  guint8 serial[16];
  guint8 key_id[64];
  size_t key_id_size = sizeof key_id;
  time_t now = time (NULL);
  const char *err_pos = NULL;
  gboolean ok = FALSE;
  int ret;

  g_return_val_if_fail (out_cert_pem != NULL && out_key_pem != NULL, FALSE);

  *out_cert_pem = NULL;
  *out_key_pem = NULL;

#define CHECK(call, what)                     \
  if ((ret = (call)) < 0)                     \
    {                                         \
      set_gnutls_error (error, what, ret);    \
      goto out;                               \
    }

  CHECK (gnutls_x509_privkey_init (&key), "key");
  CHECK (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                       GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0),
         "key");
  CHECK (gnutls_x509_crt_init (&crt), "certificate");
  CHECK (gnutls_x509_crt_set_version (crt, 3), "version");

  /* A positive, non-zero 128-bit number */
  CHECK (gnutls_rnd (GNUTLS_RND_NONCE, serial, sizeof serial), "serial");
  serial[0] = (serial[0] & 0x7f) | 0x01;
  CHECK (gnutls_x509_crt_set_serial (crt, serial, sizeof serial), "serial");

  /* An hour back, for clocks a little behind */
  CHECK (gnutls_x509_crt_set_activation_time (crt, now - 3600), "validity");
  CHECK (gnutls_x509_crt_set_expiration_time (crt, now + (time_t) LADLE_TLS_CERT_VALID_DAYS * 86400),
         "validity");
  CHECK (gnutls_x509_crt_set_dn (crt, "O=Ladle,CN=localhost", &err_pos), "name");

  CHECK (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, "localhost",
                                               strlen ("localhost"), GNUTLS_FSAN_APPEND),
         "names");
  CHECK (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS, ipv4_loopback,
                                               sizeof ipv4_loopback, GNUTLS_FSAN_APPEND),
         "names");
  CHECK (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS, ipv6_loopback,
                                               sizeof ipv6_loopback, GNUTLS_FSAN_APPEND),
         "names");

  CHECK (gnutls_x509_crt_set_key (crt, key), "key");
  CHECK (gnutls_x509_crt_set_basic_constraints (crt, 0, -1), "constraints");
  CHECK (gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE), "key usage");
  CHECK (gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0), "key purpose");
  CHECK (gnutls_x509_privkey_get_key_id (key, GNUTLS_KEYID_USE_SHA1, key_id, &key_id_size),
         "key id");
  CHECK (gnutls_x509_crt_set_subject_key_id (crt, key_id, key_id_size), "key id");
  CHECK (gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0), "signature");

  CHECK (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &datum), "export");
  *out_cert_pem = datum_to_string (&datum);
  CHECK (gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN,
                                            &datum),
         "export");
  *out_key_pem = datum_to_string (&datum);
  ok = TRUE;

#undef CHECK

out:
  if (!ok && *out_cert_pem != NULL)
    g_clear_pointer (out_cert_pem, g_free);
  if (crt != NULL)
    gnutls_x509_crt_deinit (crt);
  if (key != NULL)
    gnutls_x509_privkey_deinit (key);

  return ok;
}

/**
 * ladle_tls_cert_dup_fingerprint:
 *
 * Returns: (transfer full): the SHA-256 of @certificate's DER form, as "AB:CD:…"
 */
char *
ladle_tls_cert_dup_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  GString *out = g_string_sized_new (96);

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  if (der != NULL)
    g_checksum_update (checksum, der->data, der->len);
  g_checksum_get_digest (checksum, digest, &digest_len);
  for (gsize i = 0; i < digest_len; i++)
    g_string_append_printf (out, i == 0 ? "%02X" : ":%02X", digest[i]);

  return g_string_free (out, FALSE);
}

static char *
format_time (time_t when)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (when);

  return dt != NULL ? g_date_time_format (dt, "%Y-%m-%d %H:%M:%S UTC") : g_strdup ("?");
}

static gboolean
has_line (const char *data,
          gsize       len,
          const char *line)
{
  return memmem (data, len, line, strlen (line)) != NULL;
}

static gboolean
is_private_key_pem (const char *data,
                    gsize       len)
{
  return has_line (data, len, "-----BEGIN PRIVATE KEY-----") ||
         has_line (data, len, "-----BEGIN RSA PRIVATE KEY-----") ||
         has_line (data, len, "-----BEGIN EC PRIVATE KEY-----") ||
         has_line (data, len, "-----BEGIN DSA PRIVATE KEY-----") ||
         has_line (data, len, "-----BEGIN ENCRYPTED PRIVATE KEY-----");
}

static gboolean
check_cert_text (const char  *cert_pem,
                 gsize        cert_len,
                 const char  *cert_name,
                 GError     **error)
{
  if (has_line (cert_pem, cert_len, PEM_CERT_LINE))
    return TRUE;

  if (is_private_key_pem (cert_pem, cert_len))
    g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                 _("%s: this is a private key, not a certificate (no “%s” line)"),
                 cert_name, PEM_CERT_LINE);
  else
    g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                 _("%s: not a PEM certificate (no “%s” line)"), cert_name, PEM_CERT_LINE);
  return FALSE;
}

/**
 * ladle_tls_cert_load_pem:
 * @cert_pem: a PEM certificate (the server's first, then any intermediates)
 * @key_pem: the PEM private key of the first certificate
 * @cert_name: how to name the certificate's origin in messages (its file)
 * @key_name: and the key's
 *
 * Checks that @cert_pem holds certificates, that @key_pem holds an unencrypted private key, and
 * that the key belongs to the first certificate. An expired certificate (or one not valid yet)
 * loads, with #LadleTlsCert.warning set.
 *
 * Returns: (transfer full): the pair, or %NULL with a message naming what is wrong and where
 */
LadleTlsCert *
ladle_tls_cert_load_pem (const char  *cert_pem,
                         gssize       cert_len,
                         const char  *key_pem,
                         gssize       key_len,
                         const char  *cert_name,
                         const char  *key_name,
                         GError     **error)
{
  g_autoptr(LadleTlsCert) self = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) certs_pem = NULL;
  g_autoptr(GString) combined = NULL;
  gnutls_x509_crt_t *crts = NULL;
  unsigned int n_crts = 0;
  gnutls_x509_privkey_t key = NULL;
  gnutls_datum_t datum;
  guint8 crt_id[64], key_id[64];
  size_t crt_id_size = sizeof crt_id, key_id_size = sizeof key_id;
  time_t now = time (NULL);
  time_t not_after, not_before;
  int ret;

  g_return_val_if_fail (cert_pem != NULL && key_pem != NULL, NULL);

  if (cert_len < 0)
    cert_len = strlen (cert_pem);
  if (key_len < 0)
    key_len = strlen (key_pem);

  /* The certificates */
  if (!check_cert_text (cert_pem, cert_len, cert_name, error))
    return NULL;
  datum.data = (unsigned char *) cert_pem;
  datum.size = cert_len;
  ret = gnutls_x509_crt_list_import2 (&crts, &n_crts, &datum, GNUTLS_X509_FMT_PEM, 0);
  if (ret < 0 || n_crts == 0)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                   _("%s: the PEM certificate cannot be read: %s"), cert_name,
                   gnutls_strerror (ret < 0 ? ret : GNUTLS_E_BASE64_DECODING_ERROR));
      return NULL;
    }

  self = g_new0 (LadleTlsCert, 1);
  certs_pem = g_string_new (NULL);
  for (unsigned int i = 0; i < n_crts; i++)
    {
      gnutls_datum_t out = { NULL, 0 };

      if (gnutls_x509_crt_export2 (crts[i], GNUTLS_X509_FMT_PEM, &out) >= 0)
        {
          g_string_append_len (certs_pem, (const char *) out.data, out.size);
          gnutls_free (out.data);
        }
    }

  /* The key */
  gnutls_x509_privkey_init (&key);
  datum.data = (unsigned char *) key_pem;
  datum.size = key_len;
  if (has_line (key_pem, key_len, "-----BEGIN ENCRYPTED PRIVATE KEY-----") ||
      has_line (key_pem, key_len, "Proc-Type: 4,ENCRYPTED"))
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_TLS,
                   _("%s: the private key is encrypted; give it unencrypted "
                     "(e.g. openssl pkey -in KEY -out PLAIN)"), key_name);
      goto out;
    }
  if (!is_private_key_pem (key_pem, key_len))
    {
      if (has_line (key_pem, key_len, PEM_CERT_LINE))
        g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                     _("%s: this is a certificate, not a private key"), key_name);
      else
        g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                     _("%s: not a PEM private key (no “-----BEGIN … PRIVATE KEY-----” line)"),
                     key_name);
      goto out;
    }
  ret = gnutls_x509_privkey_import2 (key, &datum, GNUTLS_X509_FMT_PEM, NULL, 0);
  if (ret < 0)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                   _("%s: the PEM private key cannot be read: %s"), key_name,
                   gnutls_strerror (ret));
      goto out;
    }

  /* They belong together */
  if (gnutls_x509_crt_get_key_id (crts[0], GNUTLS_KEYID_USE_SHA256, crt_id, &crt_id_size) < 0 ||
      gnutls_x509_privkey_get_key_id (key, GNUTLS_KEYID_USE_SHA256, key_id, &key_id_size) < 0 ||
      crt_id_size != key_id_size || memcmp (crt_id, key_id, crt_id_size) != 0)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_TLS,
                   _("%s: the private key does not match the certificate in %s"),
                   key_name, cert_name);
      goto out;
    }

  /* Dates: worth a warning, not a refusal (a test may want an expired certificate) */
  not_after = gnutls_x509_crt_get_expiration_time (crts[0]);
  not_before = gnutls_x509_crt_get_activation_time (crts[0]);
  if (not_after != (time_t) -1 && not_after < now)
    {
      g_autofree char *when = format_time (not_after);

      self->warning = g_strdup_printf (_("%s: the certificate expired on %s; clients will refuse "
                                         "it unless they skip verification"), cert_name, when);
    }
  else if (not_before != (time_t) -1 && not_before > now)
    {
      g_autofree char *when = format_time (not_before);

      self->warning = g_strdup_printf (_("%s: the certificate is not valid before %s; clients "
                                         "will refuse it unless they skip verification"),
                                       cert_name, when);
    }

  /* What the server uses: GLib's own reading of the same text */
  combined = g_string_new_len (certs_pem->str, certs_pem->len);
  g_string_append_c (combined, '\n');
  g_string_append_len (combined, key_pem, key_len);
  self->certificate = g_tls_certificate_new_from_pem (combined->str, combined->len, &local_error);
  if (self->certificate == NULL)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_TLS, "%s: %s", cert_name,
                   local_error->message);
      goto out;
    }
  self->cert_pem = g_strndup (certs_pem->str, certs_pem->len);
  self->fingerprint = ladle_tls_cert_dup_fingerprint (self->certificate);

out:
  gnutls_x509_privkey_deinit (key);
  for (unsigned int i = 0; i < n_crts; i++)
    gnutls_x509_crt_deinit (crts[i]);
  gnutls_free (crts);

  if (self->certificate == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

static char *
read_pem_file (const char  *path,
               gsize       *out_len,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display = g_filename_display_name (path);
  char *data = NULL;
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, LADLE_ERROR, LADLE_ERROR_FAILED, _("Could not read %s: %s"), display,
                   g_strerror (saved_errno));
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_FAILED, _("%s: not a regular file"), display);
      return NULL;
    }
  if (st.st_size > MAX_PEM_SIZE)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_TOO_LARGE,
                   _("%s: too large for a PEM file (over %u KiB)"), display, MAX_PEM_SIZE / 1024);
      return NULL;
    }
  /* Its message names the file already ("Failed to open file “…”: Permission denied") */
  if (!g_file_get_contents (path, &data, out_len, &local_error))
    {
      g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_FAILED, local_error->message);
      return NULL;
    }
  if (*out_len > MAX_PEM_SIZE)
    {
      g_free (data);
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_TOO_LARGE,
                   _("%s: too large for a PEM file (over %u KiB)"), display, MAX_PEM_SIZE / 1024);
      return NULL;
    }

  return data;
}

/**
 * ladle_tls_cert_load:
 * @cert_path: a PEM file with the certificate (and any intermediates after it)
 * @key_path: a PEM file with its private key (may be @cert_path, when both are in one)
 *
 * Returns: (transfer full): the pair, or %NULL with a message that names the file and the problem
 *   (unreadable, not PEM, encrypted key, key of another certificate)
 */
LadleTlsCert *
ladle_tls_cert_load (const char  *cert_path,
                     const char  *key_path,
                     GError     **error)
{
  g_autofree char *cert_pem = NULL;
  g_autofree char *key_pem = NULL;
  g_autofree char *cert_display = NULL;
  g_autofree char *key_display = NULL;
  gsize cert_len = 0, key_len = 0;
  LadleTlsCert *self;

  g_return_val_if_fail (cert_path != NULL && key_path != NULL, NULL);

  cert_display = g_filename_display_name (cert_path);
  key_display = g_filename_display_name (key_path);

  /* The certificate's problems first: they are the likelier mistake */
  cert_pem = read_pem_file (cert_path, &cert_len, error);
  if (cert_pem == NULL || !check_cert_text (cert_pem, cert_len, cert_display, error))
    return NULL;
  key_pem = read_pem_file (key_path, &key_len, error);
  if (key_pem == NULL)
    return NULL;

  self = ladle_tls_cert_load_pem (cert_pem, cert_len, key_pem, key_len, cert_display, key_display,
                                  error);
  if (self != NULL)
    {
      self->cert_path = g_strdup (cert_path);
      self->key_path = g_strdup (key_path);
    }

  return self;
}

/**
 * ladle_tls_cert_dup_default_dir:
 *
 * Returns: (transfer full) (type filename): where the self-signed pair is kept: the `tls` folder
 *   of the data folder
 */
char *
ladle_tls_cert_dup_default_dir (const char *app_id)
{
  g_autofree char *data_dir = ladle_data_dir_dup (app_id);

  return g_build_filename (data_dir, LADLE_TLS_CERT_DIR_NAME, NULL);
}

static gboolean
write_file (const char  *path,
            const char  *data,
            int          mode,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  /* A temporary file, synced and renamed into place: never a partial file under @path */
  if (!g_file_set_contents_full (path, data, -1, G_FILE_SET_CONTENTS_CONSISTENT, mode,
                                 &local_error))
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_NOT_WRITABLE, "%s", local_error->message);
      return FALSE;
    }

  return TRUE;
}

/**
 * ladle_tls_cert_ensure:
 * @dir: the folder of the self-signed pair (ladle_tls_cert_dup_default_dir())
 *
 * Loads the pair kept in @dir, or makes and stores one when there is no certificate yet. A stored
 * pair that does not load is reported (with the file and the problem) and left as it is.
 *
 * Returns: (transfer full): the pair, with #LadleTlsCert.created telling whether it is new
 */
LadleTlsCert *
ladle_tls_cert_ensure (const char  *dir,
                       GError     **error)
{
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *lock_path = NULL;
  g_autofree char *cert_pem = NULL;
  g_autofree char *key_pem = NULL;
  g_autofree char *display = NULL;
  LadleTlsCert *self = NULL;
  int lock_fd;

  g_return_val_if_fail (dir != NULL, NULL);

  display = g_filename_display_name (dir);
  cert_path = g_build_filename (dir, LADLE_TLS_CERT_FILE_NAME, NULL);
  key_path = g_build_filename (dir, LADLE_TLS_KEY_FILE_NAME, NULL);

  if (g_file_test (cert_path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GError) local_error = NULL;

      self = ladle_tls_cert_load (cert_path, key_path, &local_error);
      if (self == NULL)
        g_set_error (error, LADLE_ERROR, local_error->code,
                     _("%s (the pair Ladle made for HTTPS; remove both files in %s to make "
                       "a new one)"), local_error->message, display);
      return self;
    }

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, LADLE_ERROR, LADLE_ERROR_NOT_WRITABLE, _("Could not create %s: %s"),
                   display, g_strerror (saved_errno));
      return NULL;
    }

  /* Two servers starting at once make one pair */
  lock_path = g_build_filename (dir, ".lock", NULL);
  lock_fd = g_open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd >= 0)
    while (flock (lock_fd, LOCK_EX) != 0 && errno == EINTR)
      ;

  if (g_file_test (cert_path, G_FILE_TEST_EXISTS))
    self = ladle_tls_cert_load (cert_path, key_path, error);
  else if (ladle_tls_cert_generate_pem (&cert_pem, &key_pem, error) &&
           write_file (key_path, key_pem, 0600, error) &&
           write_file (cert_path, cert_pem, 0644, error))
    {
      self = ladle_tls_cert_load (cert_path, key_path, error);
      if (self != NULL)
        self->created = TRUE;
    }

  if (lock_fd >= 0)
    close (lock_fd);

  return self;
}
