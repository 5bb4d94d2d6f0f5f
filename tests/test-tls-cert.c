/* test-tls-cert.c
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

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "ladle-error.h"
#include "ladle-tls-cert.h"
#include "ladle-test-utils.h"

/* Server certificates: what a generated one says (names, validity, serial, key), how the pair is
 * kept in the data folder (mode, atomic, loaded again, never overwritten when broken), and the
 * precise errors for a user's files. */

static gnutls_x509_crt_t
parse_crt (const char *pem)
{
  gnutls_x509_crt_t crt;
  gnutls_datum_t datum = { (unsigned char *) pem, strlen (pem) };

  g_assert_cmpint (gnutls_x509_crt_init (&crt), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_PEM), ==, 0);
  return crt;
}

/* A certificate for @key_pem's key (or a new key), valid from @not_before to @not_after */
static void
make_pair (time_t   not_before,
           time_t   not_after,
           char   **out_cert,
           char   **out_key)
{
  gnutls_x509_privkey_t key;
  gnutls_x509_crt_t crt;
  gnutls_datum_t out;
  guint8 serial[1] = { 7 };

  g_assert_cmpint (gnutls_x509_privkey_init (&key), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                                 GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1),
                                                 0), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_init (&crt), ==, 0);
  gnutls_x509_crt_set_version (crt, 3);
  gnutls_x509_crt_set_serial (crt, serial, sizeof serial);
  gnutls_x509_crt_set_activation_time (crt, not_before);
  gnutls_x509_crt_set_expiration_time (crt, not_after);
  gnutls_x509_crt_set_dn (crt, "CN=test", NULL);
  gnutls_x509_crt_set_key (crt, key);
  g_assert_cmpint (gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &out), ==, 0);
  *out_cert = g_strndup ((char *) out.data, out.size);
  gnutls_free (out.data);
  g_assert_cmpint (gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL,
                                                      GNUTLS_PKCS_PLAIN, &out), ==, 0);
  *out_key = g_strndup ((char *) out.data, out.size);
  gnutls_free (out.data);
  gnutls_x509_crt_deinit (crt);
  gnutls_x509_privkey_deinit (key);
}

static char *
write_in (const char *dir,
          const char *name,
          const char *data,
          gssize      len)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, data, len, NULL));
  return path;
}

static void
test_generate (void)
{
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *cert2 = NULL;
  g_autofree char *key2 = NULL;
  g_autoptr(GError) error = NULL;
  gnutls_x509_crt_t crt, crt2;
  guint8 serial[64], serial2[64];
  size_t serial_size = sizeof serial, serial2_size = sizeof serial2;
  gboolean dns = FALSE, ip4 = FALSE, ip6 = FALSE;
  unsigned int critical = 0;
  time_t now = time (NULL);
  time_t not_after;

  g_assert_true (ladle_tls_cert_generate_pem (&cert, &key, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (cert, "-----BEGIN CERTIFICATE-----"));
  g_assert_true (g_str_has_prefix (key, "-----BEGIN PRIVATE KEY-----"));

  crt = parse_crt (cert);
  for (unsigned int i = 0; ; i++)
    {
      char san[64];
      size_t san_size = sizeof san;
      int type = gnutls_x509_crt_get_subject_alt_name (crt, i, san, &san_size, &critical);

      if (type < 0)
        break;
      if (type == GNUTLS_SAN_DNSNAME && san_size == 9 && memcmp (san, "localhost", 9) == 0)
        dns = TRUE;
      if (type == GNUTLS_SAN_IPADDRESS && san_size == 4 && memcmp (san, "\x7f\0\0\1", 4) == 0)
        ip4 = TRUE;
      if (type == GNUTLS_SAN_IPADDRESS && san_size == 16 &&
          memcmp (san, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1", 16) == 0)
        ip6 = TRUE;
    }
  g_assert_true (dns);
  g_assert_true (ip4);
  g_assert_true (ip6);

  /* About a year, from about now */
  not_after = gnutls_x509_crt_get_expiration_time (crt);
  g_assert_cmpint (not_after, >, now + 364 * 86400);
  g_assert_cmpint (not_after, <, now + 366 * 86400);
  g_assert_cmpint (gnutls_x509_crt_get_activation_time (crt), <=, now);
  g_assert_cmpint (gnutls_x509_crt_get_pk_algorithm (crt, NULL), ==, GNUTLS_PK_ECDSA);

  /* Self-signed, and the signature holds */
  {
    unsigned int status = 0;

    g_assert_cmpint (gnutls_x509_crt_verify (crt, &crt, 1, 0, &status), ==, 0);
    g_assert_cmpuint (status, ==, 0);
  }

  /* A random serial: two certificates differ */
  g_assert_true (ladle_tls_cert_generate_pem (&cert2, &key2, &error));
  crt2 = parse_crt (cert2);
  g_assert_cmpint (gnutls_x509_crt_get_serial (crt, serial, &serial_size), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_get_serial (crt2, serial2, &serial2_size), ==, 0);
  g_assert_cmpuint (serial_size, ==, 16);
  g_assert_false (serial_size == serial2_size && memcmp (serial, serial2, serial_size) == 0);
  g_assert_cmpstr (key, !=, key2);

  gnutls_x509_crt_deinit (crt);
  gnutls_x509_crt_deinit (crt2);
}

static void
test_fingerprint (void)
{
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LadleTlsCert) loaded = NULL;
  g_autoptr(GString) expected = g_string_new (NULL);
  gnutls_x509_crt_t crt;
  guint8 digest[32];
  size_t digest_size = sizeof digest;

  g_assert_true (ladle_tls_cert_generate_pem (&cert, &key, &error));
  loaded = ladle_tls_cert_load_pem (cert, -1, key, -1, "cert.pem", "key.pem", &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded->certificate);
  g_assert_null (loaded->warning);

  /* GnuTLS's own fingerprint, formatted as Ladle prints it */
  crt = parse_crt (cert);
  g_assert_cmpint (gnutls_x509_crt_get_fingerprint (crt, GNUTLS_DIG_SHA256, digest, &digest_size),
                   ==, 0);
  for (gsize i = 0; i < digest_size; i++)
    g_string_append_printf (expected, i == 0 ? "%02X" : ":%02X", digest[i]);
  gnutls_x509_crt_deinit (crt);

  g_assert_cmpstr (loaded->fingerprint, ==, expected->str);
  g_assert_cmpuint (strlen (loaded->fingerprint), ==, 32 * 3 - 1);
  g_assert_cmpstr (loaded->cert_pem, ==, cert);
}

static void
test_ensure (void)
{
  g_autofree char *tmp = ladle_test_make_tmpdir ("ladle-tls-XXXXXX");
  g_autofree char *dir = g_build_filename (tmp, "data", "tls", NULL);
  g_autofree char *cert_path = g_build_filename (dir, LADLE_TLS_CERT_FILE_NAME, NULL);
  g_autofree char *key_path = g_build_filename (dir, LADLE_TLS_KEY_FILE_NAME, NULL);
  g_autofree char *first_cert = NULL;
  g_autoptr(LadleTlsCert) first = NULL;
  g_autoptr(LadleTlsCert) again = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  first = ladle_tls_cert_ensure (dir, &error);
  g_assert_no_error (error);
  g_assert_true (first->created);
  g_assert_cmpstr (first->cert_path, ==, cert_path);
  g_assert_cmpstr (first->key_path, ==, key_path);

  /* The key is the user's alone */
  g_assert_cmpint (g_stat (key_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);

  /* Nothing else but the two files (and the lock): no temporary file left */
  g_assert_cmpuint (ladle_test_count_entries (dir), ==, 3);

  /* Used again, not made again */
  again = ladle_tls_cert_ensure (dir, &error);
  g_assert_no_error (error);
  g_assert_false (again->created);
  g_assert_cmpstr (again->fingerprint, ==, first->fingerprint);

  ladle_test_rm_rf (tmp);
}

static void
test_ensure_broken (void)
{
  g_autofree char *tmp = ladle_test_make_tmpdir ("ladle-tls-XXXXXX");
  g_autofree char *cert_path = g_build_filename (tmp, LADLE_TLS_CERT_FILE_NAME, NULL);
  g_autofree char *key_path = g_build_filename (tmp, LADLE_TLS_KEY_FILE_NAME, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(LadleTlsCert) made = NULL;
  g_autoptr(LadleTlsCert) remade = NULL;
  g_autoptr(GError) error = NULL;

  /* A key alone (a first run that stopped between the two files): made anew */
  g_assert_true (g_file_set_contents (key_path, "half", -1, NULL));
  made = ladle_tls_cert_ensure (tmp, &error);
  g_assert_no_error (error);
  g_assert_true (made->created);

  /* A damaged certificate: an error naming it, and the files stay as they are */
  g_assert_true (g_file_set_contents (cert_path, "-----BEGIN CERTIFICATE-----\nbroken\n", -1,
                                      NULL));
  remade = ladle_tls_cert_ensure (tmp, &error);
  g_assert_null (remade);
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, cert_path));
  g_assert_nonnull (strstr (error->message, "remove both files"));
  g_assert_true (g_file_get_contents (cert_path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "-----BEGIN CERTIFICATE-----\nbroken\n");
  g_clear_error (&error);

  /* The key gone: the same */
  g_assert_true (g_file_set_contents (cert_path, made->cert_pem, -1, NULL));
  g_assert_cmpint (g_unlink (key_path), ==, 0);
  g_assert_null (ladle_tls_cert_ensure (tmp, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, key_path));
  g_clear_error (&error);
  g_assert_true (g_file_test (cert_path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (key_path, G_FILE_TEST_EXISTS));

  ladle_test_rm_rf (tmp);
}

static void
test_load_errors (void)
{
  g_autofree char *tmp = ladle_test_make_tmpdir ("ladle-tls-XXXXXX");
  g_autofree char *cert_a = NULL, *key_a = NULL, *cert_b = NULL, *key_b = NULL;
  g_autofree char *cert_path = NULL, *key_path = NULL, *other_key = NULL, *missing = NULL;
  g_autofree char *text = NULL, *both = NULL, *nul = NULL, *huge = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LadleTlsCert) ok = NULL;
  g_autoptr(LadleTlsCert) combined = NULL;
  g_autofree char *big = NULL;

  g_assert_true (ladle_tls_cert_generate_pem (&cert_a, &key_a, &error));
  g_assert_true (ladle_tls_cert_generate_pem (&cert_b, &key_b, &error));
  cert_path = write_in (tmp, "a.crt", cert_a, -1);
  key_path = write_in (tmp, "a.key", key_a, -1);
  other_key = write_in (tmp, "b.key", key_b, -1);
  missing = g_build_filename (tmp, "missing.pem", NULL);
  text = write_in (tmp, "text.pem", "hello\n", -1);

  ok = ladle_tls_cert_load (cert_path, key_path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ok->cert_path, ==, cert_path);

  /* Unreadable */
  g_assert_null (ladle_tls_cert_load (missing, key_path, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (error->message, "Could not read "));
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);
  g_assert_null (ladle_tls_cert_load (tmp, key_path, &error));
  g_assert_nonnull (strstr (error->message, "not a regular file"));
  g_clear_error (&error);

  /* Not PEM, or the wrong kind */
  g_assert_null (ladle_tls_cert_load (text, key_path, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  g_assert_cmpstr (strstr (error->message, ": not a PEM certificate"), !=, NULL);
  g_assert_true (g_str_has_prefix (error->message, text));
  g_clear_error (&error);
  g_assert_null (ladle_tls_cert_load (key_path, key_path, &error));
  g_assert_nonnull (strstr (error->message, "this is a private key, not a certificate"));
  g_clear_error (&error);
  g_assert_null (ladle_tls_cert_load (cert_path, text, &error));
  g_assert_true (g_str_has_prefix (error->message, text));
  g_assert_nonnull (strstr (error->message, "not a PEM private key"));
  g_clear_error (&error);
  g_assert_null (ladle_tls_cert_load (cert_path, cert_path, &error));
  g_assert_nonnull (strstr (error->message, "this is a certificate, not a private key"));
  g_clear_error (&error);

  /* A key of another certificate */
  g_assert_null (ladle_tls_cert_load (cert_path, other_key, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_TLS);
  g_assert_true (g_str_has_prefix (error->message, other_key));
  g_assert_nonnull (strstr (error->message, "does not match the certificate in"));
  g_clear_error (&error);

  /* Both in one file: fine, and only the certificate is the PEM to share */
  {
    g_autofree char *joined = g_strconcat (cert_a, key_a, NULL);

    both = write_in (tmp, "both.pem", joined, -1);
    combined = ladle_tls_cert_load (both, both, &error);
    g_assert_no_error (error);
    g_assert_null (strstr (combined->cert_pem, "PRIVATE KEY"));
  }

  /* Hostile: NUL bytes, a damaged body, 10 MB */
  {
    static const char damaged[] = "-----BEGIN CERTIFICATE-----\n\0\0\0@@@\n-----END CERTIFICATE-----\n";

    nul = write_in (tmp, "nul.pem", damaged, sizeof damaged - 1);
    g_assert_null (ladle_tls_cert_load (nul, key_path, &error));
    g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
    g_assert_nonnull (strstr (error->message, "the PEM certificate cannot be read"));
    g_clear_error (&error);
  }
  big = g_malloc (10 * 1024 * 1024);
  memset (big, 'A', 10 * 1024 * 1024);
  huge = write_in (tmp, "huge.pem", big, 10 * 1024 * 1024);
  g_assert_null (ladle_tls_cert_load (huge, key_path, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_TOO_LARGE);
  g_clear_error (&error);

  ladle_test_rm_rf (tmp);
}

static void
test_encrypted_key (void)
{
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GError) error = NULL;
  gnutls_x509_privkey_t pk;
  gnutls_datum_t datum, out;
  g_autofree char *encrypted = NULL;

  g_assert_true (ladle_tls_cert_generate_pem (&cert, &key, &error));
  g_assert_cmpint (gnutls_x509_privkey_init (&pk), ==, 0);
  datum.data = (unsigned char *) key;
  datum.size = strlen (key);
  g_assert_cmpint (gnutls_x509_privkey_import2 (pk, &datum, GNUTLS_X509_FMT_PEM, NULL, 0), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_export2_pkcs8 (pk, GNUTLS_X509_FMT_PEM, "secret",
                                                      GNUTLS_PKCS_PBES2_AES_256, &out), ==, 0);
  encrypted = g_strndup ((char *) out.data, out.size);
  gnutls_free (out.data);
  gnutls_x509_privkey_deinit (pk);

  g_assert_null (ladle_tls_cert_load_pem (cert, -1, encrypted, -1, "c.pem", "k.pem", &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_TLS);
  g_assert_true (g_str_has_prefix (error->message, "k.pem: the private key is encrypted"));
}

static void
test_expired (void)
{
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LadleTlsCert) expired = NULL;
  g_autoptr(LadleTlsCert) future = NULL;
  time_t now = time (NULL);

  /* Expired: loads, with a warning that says when */
  make_pair (now - 10 * 86400, now - 86400, &cert, &key);
  expired = ladle_tls_cert_load_pem (cert, -1, key, -1, "old.pem", "old.key", &error);
  g_assert_no_error (error);
  g_assert_nonnull (expired->warning);
  g_assert_true (g_str_has_prefix (expired->warning, "old.pem: the certificate expired on "));
  g_clear_pointer (&cert, g_free);
  g_clear_pointer (&key, g_free);

  make_pair (now + 86400, now + 10 * 86400, &cert, &key);
  future = ladle_tls_cert_load_pem (cert, -1, key, -1, "new.pem", "new.key", &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (future->warning, "is not valid before"));
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  g_test_add_func ("/tls-cert/generate", test_generate);
  g_test_add_func ("/tls-cert/fingerprint", test_fingerprint);
  g_test_add_func ("/tls-cert/ensure", test_ensure);
  g_test_add_func ("/tls-cert/ensure-broken", test_ensure_broken);
  g_test_add_func ("/tls-cert/load-errors", test_load_errors);
  g_test_add_func ("/tls-cert/encrypted-key", test_encrypted_key);
  g_test_add_func ("/tls-cert/expired", test_expired);

  return ladle_test_run ();
}
