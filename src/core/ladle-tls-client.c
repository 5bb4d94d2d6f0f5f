/* ladle-tls-client.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The client side of TLS settings: a client certificate from a PEM certificate and key (the key
 * possibly encrypted: GnuTLS decrypts it, GIO's PEM reader does not) or from a PKCS#12 file, and a
 * CA bundle as a GTlsDatabase. What GIO says about a bad file is vague ("Could not parse"), so the
 * files are looked at with GnuTLS first and each problem gets its own message. Loaded objects are
 * kept per path, size and modification time (and password), so a collection run does not parse
 * the same files for every request, and an edited file is read again. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "ladle-error.h"
#include "ladle-error-private.h"
#include "ladle-tls-client.h"

#define MAX_FILE_SIZE (16 * 1024 * 1024)
#define MAX_CACHED    16
#define MAX_CHAIN     16

static GMutex      cache_lock;
static GHashTable *cache; /* key -> GTlsCertificate or GTlsDatabase */

/**
 * _ladle_tls_client_format_form:
 *
 * Returns: (transfer full) (nullable): the words for a "tls-client-…" form: what the files of
 *   a client certificate or CA bundle hold (the path first), or how a server took the certificate
 */
static char *
_ladle_tls_client_format_form (const char * const *form)
{
  const char *kind = form[0];
  const char *a = _ladle_error_form_arg (form, 1);
  const char *b = a != NULL ? _ladle_error_form_arg (form, 2) : NULL;
  const char *c = b != NULL ? _ladle_error_form_arg (form, 3) : NULL;

  if (a == NULL)
    return NULL;
  if (g_str_equal (kind, "tls-client-folder"))
    return g_strdup_printf (_("%s: is a folder, not a file"), a);
  if (g_str_equal (kind, "tls-client-p12-passphrase"))
    return g_strdup_printf (_("%s: the PKCS#12 file is protected by a passphrase: give it"), a);
  if (g_str_equal (kind, "tls-client-p12-wrong"))
    return g_strdup_printf (_("%s: wrong passphrase for the PKCS#12 file"), a);
  if (g_str_equal (kind, "tls-client-not-certificate"))
    return g_strdup_printf (_("%s: not a certificate: the file is neither PEM nor PKCS#12"), a);
  if (g_str_equal (kind, "tls-client-no-certificate"))
    return g_strdup_printf (_("%s: no certificate in this file (it should be PEM or PKCS#12)"), a);
  if (g_str_equal (kind, "tls-client-no-key-in-file"))
    return g_strdup_printf (_("%s: no private key in this file (it should be PEM)"), a);
  if (g_str_equal (kind, "tls-client-no-key"))
    return g_strdup_printf (_("%s: the file has a certificate but no private key: give the key "
                              "file too"), a);
  if (g_str_equal (kind, "tls-client-key-passphrase"))
    return g_strdup_printf (_("%s: the private key is encrypted: give its passphrase"), a);
  if (g_str_equal (kind, "tls-client-key-wrong"))
    return g_strdup_printf (_("%s: wrong passphrase for the private key"), a);
  if (g_str_equal (kind, "tls-client-ca-no-certificate"))
    return g_strdup_printf (_("%s: no certificate in this file (a CA bundle is a PEM file of "
                              "certificates)"), a);
  if (b == NULL)
    return NULL;
  if (g_str_equal (kind, "tls-client-unreadable"))
    return g_strdup_printf (_("%s: cannot read the file: %s"), a,
                            g_strerror ((int) g_ascii_strtoll (b, NULL, 10)));
  if (g_str_equal (kind, "tls-client-too-large"))
    return g_strdup_printf (_("%s: the file is too large for a certificate (more than %u MiB)"),
                            a, (guint) g_ascii_strtoull (b, NULL, 10));
  if (g_str_equal (kind, "tls-client-key-unreadable"))
    /* GnuTLS's words for its error code, or ours when the key's kind is not supported */
    return g_strdup_printf (_("%s: the private key cannot be read (%s)"), a,
                            *b != '\0' ? gnutls_strerror ((int) g_ascii_strtoll (b, NULL, 10))
                                       : _("unsupported key type"));
  if (g_str_equal (kind, "tls-client-key-mismatch"))
    return g_strdup_printf (_("%s: the private key does not match the certificate in %s"), a, b);
  /* GIO's words, in the language they were recorded in */
  if (g_str_equal (kind, "tls-client-unusable"))
    return g_strdup_printf (_("%s: the certificate cannot be used (%s)"), a, b);
  if (g_str_equal (kind, "tls-client-ca-unusable"))
    return g_strdup_printf (_("%s: the CA bundle cannot be used (%s)"), a, b);
  /* How the server took the client certificate (see ladle-exchange.c) */
  if (g_str_equal (kind, "tls-client-required"))
    return g_strdup_printf (_("The server %s:%u requires a client certificate"), a,
                            (guint) g_ascii_strtoull (b, NULL, 10));
  if (g_str_equal (kind, "tls-client-reset"))
    return g_strdup_printf (_("The connection to %s:%u was reset (was the client certificate "
                              "refused?)"), a, (guint) g_ascii_strtoull (b, NULL, 10));
  if (c == NULL)
    return NULL;
  if (g_str_equal (kind, "tls-client-handshake"))
    return g_strdup_printf (_("The TLS handshake with %s:%u failed (was the client certificate "
                              "refused?): %s"), a, (guint) g_ascii_strtoull (b, NULL, 10), c);
  return NULL;
}

_LADLE_ERROR_FORMS (tls_client, "tls-client-", _ladle_tls_client_format_form)

/* "PATH\x1fSIZE\x1fMTIME" for the cache key, or NULL when the file cannot be looked at */
static char *
file_stamp (const char *path)
{
  GStatBuf st;

  if (path == NULL || g_stat (path, &st) != 0)
    return NULL;
  return g_strdup_printf ("%s\x1f%" G_GINT64_FORMAT "\x1f%" G_GINT64_FORMAT, path,
                          (gint64) st.st_size, (gint64) st.st_mtime);
}

static gpointer
cache_lookup (const char *key)
{
  gpointer found = NULL;

  g_mutex_lock (&cache_lock);
  if (cache != NULL && (found = g_hash_table_lookup (cache, key)) != NULL)
    g_object_ref (found);
  g_mutex_unlock (&cache_lock);
  return found;
}

static void
cache_store (const char *key,
             gpointer    object)
{
  g_mutex_lock (&cache_lock);
  if (cache == NULL)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  /* Bounded: a long session that tries many files starts over rather than growing */
  if (g_hash_table_size (cache) >= MAX_CACHED)
    g_hash_table_remove_all (cache);
  g_hash_table_replace (cache, g_strdup (key), g_object_ref (object));
  g_mutex_unlock (&cache_lock);
}

/**
 * ladle_tls_client_clear_cache:
 *
 * Forgets the loaded certificates and CA bundles (for tests).
 */
void
ladle_tls_client_clear_cache (void)
{
  g_mutex_lock (&cache_lock);
  g_clear_pointer (&cache, g_hash_table_unref);
  g_mutex_unlock (&cache_lock);
}

/* Sets @error from a form (see _ladle_tls_client_format_form()) */
static void
set_form_error (GError     **error,
                const char  *kind,
                ...) G_GNUC_NULL_TERMINATED;

static void
set_form_error (GError     **error,
                const char  *kind,
                ...)
{
  const char *args[5] = { NULL, };
  guint n = 0;
  va_list ap;

  va_start (ap, kind);
  for (const char *arg = va_arg (ap, const char *); arg != NULL && n < G_N_ELEMENTS (args) - 1;
       arg = va_arg (ap, const char *))
    args[n++] = arg;
  va_end (ap);
  g_propagate_error (error, ladle_error_new_form (LADLE_ERROR_TLS, kind, args[0], args[1],
                                                  args[2], args[3], NULL));
}

static void
set_errno_error (GError     **error,
                 const char  *path,
                 int          saved_errno)
{
  char number[16];

  g_snprintf (number, sizeof number, "%d", saved_errno);
  set_form_error (error, "tls-client-unreadable", path, number, NULL);
}

static void
set_too_large_error (GError     **error,
                     const char  *path)
{
  char mib[16];

  g_snprintf (mib, sizeof mib, "%u", (guint) (MAX_FILE_SIZE / (1024 * 1024)));
  set_form_error (error, "tls-client-too-large", path, mib, NULL);
}

/* Read through a descriptor of its own, so that each failure has its errno (worded again in the
 * reader's language from the history) */
static gboolean
read_file (const char  *path,
           char       **contents,
           gsize       *length,
           GError     **error)
{
  g_autofree char *data = NULL;
  GStatBuf st;
  gsize size = 0;
  gsize capacity;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      set_errno_error (error, path, errno);
      return FALSE;
    }
  if (fstat (fd, &st) != 0)
    {
      set_errno_error (error, path, errno);
      g_close (fd, NULL);
      return FALSE;
    }
  if (S_ISDIR (st.st_mode))
    {
      g_close (fd, NULL);
      set_form_error (error, "tls-client-folder", path, NULL);
      return FALSE;
    }
  if (st.st_size > MAX_FILE_SIZE)
    {
      g_close (fd, NULL);
      set_too_large_error (error, path);
      return FALSE;
    }
  /* Bounded even if the file grows while it is read */
  data = g_malloc ((gsize) st.st_size + 1);
  capacity = (gsize) st.st_size + 1;
  while (size <= MAX_FILE_SIZE)
    {
      gssize got;

      if (size == capacity)
        {
          capacity = MIN (capacity * 2, (gsize) MAX_FILE_SIZE + 1);
          data = g_realloc (data, capacity);
        }
      got = read (fd, data + size, capacity - size);
      if (got < 0 && errno == EINTR)
        continue;
      if (got < 0)
        {
          set_errno_error (error, path, errno);
          g_close (fd, NULL);
          return FALSE;
        }
      if (got == 0)
        break;
      size += (gsize) got;
    }
  g_close (fd, NULL);
  if (size > MAX_FILE_SIZE)
    {
      set_too_large_error (error, path);
      return FALSE;
    }
  data = g_realloc (g_steal_pointer (&data), size + 1);
  data[size] = '\0';
  *contents = g_steal_pointer (&data);
  *length = size;
  return TRUE;
}

static gboolean
is_pem (const char *data,
        gsize       length)
{
  return g_strstr_len (data, (gssize) length, "-----BEGIN ") != NULL;
}

/* The first "-----BEGIN … PRIVATE KEY-----" block of @data, or NULL */
static char *
find_key_block (const char *data,
                gsize       length)
{
  const char *end_of_data = data + length;
  const char *p = data;

  while (p < end_of_data)
    {
      const char *begin = g_strstr_len (p, end_of_data - p, "-----BEGIN ");
      const char *line_end;
      const char *end;
      const char *close;

      if (begin == NULL)
        return NULL;
      line_end = memchr (begin, '\n', end_of_data - begin);
      if (line_end == NULL)
        line_end = end_of_data;
      if (g_strstr_len (begin, line_end - begin, "PRIVATE KEY-----") == NULL)
        {
          p = line_end;
          continue;
        }
      end = g_strstr_len (line_end, end_of_data - line_end, "-----END ");
      if (end == NULL)
        return NULL;
      close = g_strstr_len (end + 9, end_of_data - (end + 9), "-----");
      if (close == NULL)
        return NULL;
      return g_strndup (begin, (close + 5) - begin);
    }
  return NULL;
}

static gboolean
key_is_encrypted (const char *block)
{
  return strstr (block, "ENCRYPTED PRIVATE KEY") != NULL ||
         strstr (block, "Proc-Type: 4,ENCRYPTED") != NULL;
}

static GTlsCertificate *
load_pkcs12 (const char  *path,
             const char  *data,
             gsize        length,
             const char  *password,
             GError     **error)
{
  g_autoptr(GError) local = NULL;
  GTlsCertificate *certificate;

  certificate = g_tls_certificate_new_from_pkcs12 ((const guint8 *) data, length, password,
                                                   &local);
  if (certificate != NULL)
    return certificate;

  if (g_error_matches (local, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE_PASSWORD))
    {
      if (password == NULL)
        set_form_error (error, "tls-client-p12-passphrase", path, NULL);
      else
        set_form_error (error, "tls-client-p12-wrong", path, NULL);
      return NULL;
    }
  set_form_error (error, "tls-client-not-certificate", path, NULL);
  return NULL;
}

static char *
export_pem (gnutls_x509_crt_t crt)
{
  gnutls_datum_t out = { NULL, 0 };
  char *pem;

  if (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &out) < 0)
    return NULL;
  pem = g_strndup ((const char *) out.data, out.size);
  gnutls_free (out.data);
  return pem;
}

static GTlsCertificate *
load_pem (const char  *cert_path,
          const char  *cert_data,
          gsize        cert_length,
          const char  *key_path,
          const char  *password,
          GError     **error)
{
  g_autofree char *key_contents = NULL;
  g_autofree char *key_block = NULL;
  g_autoptr(GString) pem = NULL;
  gnutls_x509_crt_t *crts = NULL;
  unsigned int n_crts = 0;
  gnutls_x509_privkey_t key = NULL;
  gnutls_datum_t datum;
  gnutls_datum_t plain = { NULL, 0 };
  unsigned char crt_id[64], key_id[64];
  size_t crt_id_size = sizeof crt_id, key_id_size = sizeof key_id;
  const char *key_place = key_path != NULL ? key_path : cert_path;
  GTlsCertificate *certificate = NULL;
  g_autoptr(GError) local = NULL;
  int ret;

  datum.data = (unsigned char *) cert_data;
  datum.size = (unsigned int) cert_length;
  if (gnutls_x509_crt_list_import2 (&crts, &n_crts, &datum, GNUTLS_X509_FMT_PEM, 0) < 0 ||
      n_crts == 0)
    {
      set_form_error (error, "tls-client-no-certificate", cert_path, NULL);
      goto out;
    }

  if (key_path != NULL)
    {
      gsize key_length;

      if (!read_file (key_path, &key_contents, &key_length, error))
        goto out;
      key_block = find_key_block (key_contents, key_length);
    }
  else
    key_block = find_key_block (cert_data, cert_length);

  if (key_block == NULL)
    {
      if (key_path != NULL)
        set_form_error (error, "tls-client-no-key-in-file", key_path, NULL);
      else
        set_form_error (error, "tls-client-no-key", cert_path, NULL);
      goto out;
    }

  gnutls_x509_privkey_init (&key);
  datum.data = (unsigned char *) key_block;
  datum.size = (unsigned int) strlen (key_block);
  ret = gnutls_x509_privkey_import2 (key, &datum, GNUTLS_X509_FMT_PEM, password, 0);
  if (ret < 0)
    {
      if (key_is_encrypted (key_block) && password == NULL)
        set_form_error (error, "tls-client-key-passphrase", key_place, NULL);
      else if (key_is_encrypted (key_block))
        set_form_error (error, "tls-client-key-wrong", key_place, NULL);
      else
        {
          char code[16];

          g_snprintf (code, sizeof code, "%d", ret);
          set_form_error (error, "tls-client-key-unreadable", key_place, code, NULL);
        }
      goto out;
    }

  if (gnutls_x509_crt_get_key_id (crts[0], 0, crt_id, &crt_id_size) < 0 ||
      gnutls_x509_privkey_get_key_id (key, 0, key_id, &key_id_size) < 0 ||
      crt_id_size != key_id_size || memcmp (crt_id, key_id, crt_id_size) != 0)
    {
      set_form_error (error, "tls-client-key-mismatch", key_place, cert_path, NULL);
      goto out;
    }

  /* GIO reads only unencrypted keys: hand it the certificates and the decrypted key */
  pem = g_string_new (NULL);
  for (unsigned int i = 0; i < n_crts && i < MAX_CHAIN; i++)
    {
      g_autofree char *one = export_pem (crts[i]);

      if (one != NULL)
        g_string_append (pem, one);
    }
  if (gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN,
                                         &plain) < 0)
    {
      set_form_error (error, "tls-client-key-unreadable", key_place, "", NULL);
      goto out;
    }
  g_string_append_len (pem, (const char *) plain.data, plain.size);

  certificate = g_tls_certificate_new_from_pem (pem->str, (gssize) pem->len, &local);
  if (certificate == NULL)
    set_form_error (error, "tls-client-unusable", cert_path, local->message, NULL);

out:
  if (plain.data != NULL)
    {
      memset (plain.data, 0, plain.size);
      gnutls_free (plain.data);
    }
  if (pem != NULL)
    memset (pem->str, 0, pem->len);
  if (key_block != NULL)
    memset (key_block, 0, strlen (key_block));
  if (key != NULL)
    gnutls_x509_privkey_deinit (key);
  for (unsigned int i = 0; i < n_crts; i++)
    gnutls_x509_crt_deinit (crts[i]);
  gnutls_free (crts);
  return certificate;
}

/**
 * ladle_tls_client_load_certificate:
 * @cert_file: a PEM certificate (maybe with its key and chain) or a PKCS#12 file
 * @key_file: (nullable): the PEM private key, when not in @cert_file
 * @password: (nullable): the passphrase of an encrypted key or of the PKCS#12 file
 *
 * Returns: (transfer full) (nullable): the certificate with its private key, or %NULL with
 *   @error set (LADLE_ERROR_TLS): unreadable file, not a certificate, no key, key encrypted and
 *   no passphrase, wrong passphrase, key that does not match the certificate
 */
GTlsCertificate *
ladle_tls_client_load_certificate (const char  *cert_file,
                                   const char  *key_file,
                                   const char  *password,
                                   GError     **error)
{
  g_autofree char *cert_stamp = NULL;
  g_autofree char *key_stamp = NULL;
  g_autofree char *password_sum = NULL;
  g_autofree char *key = NULL;
  g_autofree char *data = NULL;
  GTlsCertificate *certificate;
  gsize length;

  g_return_val_if_fail (cert_file != NULL, NULL);

  if (key_file != NULL && key_file[0] == '\0')
    key_file = NULL;
  if (password != NULL && password[0] == '\0')
    password = NULL;

  cert_stamp = file_stamp (cert_file);
  key_stamp = file_stamp (key_file);
  password_sum = password != NULL ? g_compute_checksum_for_string (G_CHECKSUM_SHA256, password,
                                                                   -1) : NULL;
  if (cert_stamp != NULL && (key_file == NULL || key_stamp != NULL))
    {
      key = g_strjoin ("\x1e", "cert", cert_stamp, key_stamp != NULL ? key_stamp : "",
                       password_sum != NULL ? password_sum : "", NULL);
      if ((certificate = cache_lookup (key)) != NULL)
        return certificate;
    }

  if (!read_file (cert_file, &data, &length, error))
    return NULL;

  if (is_pem (data, length))
    certificate = load_pem (cert_file, data, length, key_file, password, error);
  else
    certificate = load_pkcs12 (cert_file, data, length, password, error);

  if (certificate != NULL && key != NULL)
    cache_store (key, certificate);
  return certificate;
}

/**
 * ladle_tls_client_load_ca:
 * @ca_file: a PEM file of one or more CA certificates
 *
 * Returns: (transfer full) (nullable): the CA bundle as a database, or %NULL with @error set
 *   (LADLE_ERROR_TLS)
 */
GTlsDatabase *
ladle_tls_client_load_ca (const char  *ca_file,
                          GError     **error)
{
  g_autofree char *stamp = NULL;
  g_autofree char *key = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GError) local = NULL;
  gnutls_x509_crt_t *crts = NULL;
  unsigned int n_crts = 0;
  gnutls_datum_t datum;
  GTlsDatabase *database;
  gsize length;

  g_return_val_if_fail (ca_file != NULL, NULL);

  stamp = file_stamp (ca_file);
  if (stamp != NULL)
    {
      key = g_strjoin ("\x1e", "ca", stamp, NULL);
      if ((database = cache_lookup (key)) != NULL)
        return database;
    }

  if (!read_file (ca_file, &data, &length, error))
    return NULL;

  datum.data = (unsigned char *) data;
  datum.size = (unsigned int) length;
  if (!is_pem (data, length) ||
      gnutls_x509_crt_list_import2 (&crts, &n_crts, &datum, GNUTLS_X509_FMT_PEM, 0) < 0 ||
      n_crts == 0)
    {
      set_form_error (error, "tls-client-ca-no-certificate", ca_file, NULL);
      return NULL;
    }
  for (unsigned int i = 0; i < n_crts; i++)
    gnutls_x509_crt_deinit (crts[i]);
  gnutls_free (crts);

  database = g_tls_file_database_new (ca_file, &local);
  if (database == NULL)
    {
      set_form_error (error, "tls-client-ca-unusable", ca_file, local->message, NULL);
      return NULL;
    }

  if (key != NULL)
    cache_store (key, database);
  return database;
}

/* The problems found checking @certificate for @host against @database alone (0: trusted) */
static GTlsCertificateFlags
verify_against (GTlsDatabase    *database,
                GTlsCertificate *certificate,
                const char      *host,
                guint            port)
{
  g_autoptr(GSocketConnectable) identity = NULL;
  g_autoptr(GError) error = NULL;
  GTlsCertificateFlags flags;

  if (host != NULL)
    identity = g_network_address_new (host, (guint16) port);
  flags = g_tls_database_verify_chain (database, certificate,
                                       G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER, identity, NULL,
                                       G_TLS_DATABASE_VERIFY_NONE, NULL, &error);
  if (error != NULL)
    return G_TLS_CERTIFICATE_GENERIC_ERROR;
  return flags;
}

/**
 * ladle_tls_client_accept_with_ca:
 * @database: (nullable): the request's CA bundle
 * @certificate: the server's certificate (with the chain it sent)
 * @host: the host name or address the client asked for
 * @port: its port
 * @errors: (inout): what the system's CAs found wrong with @certificate
 *
 * The CA bundle is trusted besides the system's, for HTTP and WebSocket alike: when the system
 * refused a certificate, the chain is checked again against the bundle alone, for the host asked
 * for. When that does not help either, the system's verdict is kept, unless the bundle knew the
 * CA and found another problem (a wrong name, an expired certificate): then *@errors becomes
 * that one, the more useful to show.
 *
 * Returns: %TRUE if the bundle vouches for @certificate
 */
gboolean
ladle_tls_client_accept_with_ca (GTlsDatabase         *database,
                                 GTlsCertificate      *certificate,
                                 const char           *host,
                                 guint                 port,
                                 GTlsCertificateFlags *errors)
{
  GTlsCertificateFlags own;

  g_return_val_if_fail (database == NULL || G_IS_TLS_DATABASE (database), FALSE);
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), FALSE);
  g_return_val_if_fail (errors != NULL, FALSE);

  if (database == NULL)
    return FALSE;
  own = verify_against (database, certificate, host, port);
  if (own == 0)
    return TRUE;
  if ((own & G_TLS_CERTIFICATE_UNKNOWN_CA) == 0)
    *errors = own;
  return FALSE;
}
