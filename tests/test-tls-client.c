/* test-tls-client.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Client certificates and CA bundles: loading (each bad file its own message), a SoupServer on
 * loopback that requires a client certificate and whose own certificate comes from a test CA,
 * and `openssl s_server -Verify` and curl --cacert as independent peers. The certificates are made
 * by Debian's openssl in a temporary folder. */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "ladle-error.h"
#include "ladle-http-client.h"
#include "ladle-tls-client.h"
#include "ladle-test-utils.h"

static char *dir;


static char *
path_of (const char *name)
{
  return g_build_filename (dir, name, NULL);
}

static void
openssl (const char *first,
         ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  va_list args;

  g_strv_builder_add (builder, "openssl");
  g_strv_builder_add (builder, first);
  va_start (args, first);
  for (const char *arg = va_arg (args, const char *); arg != NULL;
       arg = va_arg (args, const char *))
    g_strv_builder_add (builder, arg);
  va_end (args);
  argv = g_strv_builder_end (builder);
  if (ladle_test_run_command ((const char * const *) argv, NULL, &out, &err) != 0)
    g_error ("openssl %s failed: %s", first, err);
}

/* A key pair and a certificate NAME.pem/NAME.key for CN, signed by CA (or self-signed) */
static void
make_cert (const char *name,
           const char *cn,
           const char *ca,
           const char *san)
{
  g_autofree char *key = g_strdup_printf ("%s/%s.key", dir, name);
  g_autofree char *pem = g_strdup_printf ("%s/%s.pem", dir, name);
  g_autofree char *csr = g_strdup_printf ("%s/%s.csr", dir, name);
  g_autofree char *ext = g_strdup_printf ("%s/%s.ext", dir, name);
  g_autofree char *subject = g_strdup_printf ("/CN=%s", cn);

  openssl ("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key, NULL);
  if (ca == NULL)
    {
      openssl ("req", "-x509", "-new", "-key", key, "-out", pem, "-days", "30", "-subj", subject,
               "-addext", "basicConstraints=critical,CA:TRUE",
               "-addext", "keyUsage=critical,keyCertSign,cRLSign", NULL);
      return;
    }
  else
    {
      g_autofree char *ca_pem = g_strdup_printf ("%s/%s.pem", dir, ca);
      g_autofree char *ca_key = g_strdup_printf ("%s/%s.key", dir, ca);
      g_autofree char *text = g_strdup_printf ("basicConstraints=CA:FALSE\n%s%s\n",
                                               san != NULL ? "subjectAltName=" : "",
                                               san != NULL ? san : "");

      g_assert_true (g_file_set_contents (ext, text, -1, NULL));
      openssl ("req", "-new", "-key", key, "-out", csr, "-subj", subject, NULL);
      openssl ("x509", "-req", "-in", csr, "-CA", ca_pem, "-CAkey", ca_key, "-CAcreateserial",
               "-out", pem, "-days", "30", "-extfile", ext, NULL);
    }
}

static void
make_all (void)
{
  static gboolean made;
  g_autofree char *enc = path_of ("client-enc.key");
  g_autofree char *key = path_of ("client.key");
  g_autofree char *pem = path_of ("client.pem");
  g_autofree char *p12 = path_of ("client.p12");
  g_autofree char *legacy = path_of ("client-legacy.key");

  if (made)
    return;
  made = TRUE;
  make_cert ("ca", "Ladle Test CA", NULL, NULL);
  make_cert ("otherca", "Another CA", NULL, NULL);
  make_cert ("server", "localhost", "ca", "DNS:localhost,IP:127.0.0.1");
  make_cert ("wrongname", "wrong.example", "ca", "DNS:wrong.example");
  make_cert ("clientca", "Ladle Client CA", NULL, NULL);
  make_cert ("client", "Ladle Test Client", "clientca", NULL);
  make_cert ("stranger", "Stranger", "otherca", NULL);
  openssl ("pkcs8", "-topk8", "-in", key, "-out", enc, "-passout", "pass:s3cret", NULL);
  openssl ("ec", "-in", key, "-out", legacy, "-aes256", "-passout", "pass:s3cret", NULL);
  openssl ("pkcs12", "-export", "-in", pem, "-inkey", key, "-out", p12, "-passout",
           "pass:s3cret", NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Loading */

/* Every error that may end an exchange carries a form (the history words it again in the
 * reader's language), and the form words it as the message says */
static void
expect_form (const GError *error)
{
  const char * const *form = ladle_error_get_form (error);
  g_autofree char *words = NULL;

  g_assert_nonnull (form);
  g_assert_true (g_str_has_prefix (form[0], "tls-client-"));
  words = ladle_error_format_form (form);
  g_assert_cmpstr (words, ==, error->message);
}

static void
expect_load_error (const char *cert,
                   const char *key,
                   const char *password,
                   const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;

  certificate = ladle_tls_client_load_certificate (cert, key, password, &error);
  g_assert_null (certificate);
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_TLS);
  g_test_message ("%s", error->message);
  if (strstr (error->message, needle) == NULL)
    g_error ("“%s” does not say “%s”", error->message, needle);
  expect_form (error);
}

static void
test_load_errors (void)
{
  g_autofree char *pem = NULL, *key = NULL, *enc = NULL, *legacy = NULL, *p12 = NULL;
  g_autofree char *other_key = NULL, *text = NULL, *missing = NULL, *ca_pem = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsDatabase) db = NULL;

  if (!ladle_test_have_program ("openssl", "openssl"))
    return;
  make_all ();
  pem = path_of ("client.pem");
  key = path_of ("client.key");
  enc = path_of ("client-enc.key");
  legacy = path_of ("client-legacy.key");
  p12 = path_of ("client.p12");
  other_key = path_of ("server.key");
  text = path_of ("notes.txt");
  missing = path_of ("missing.pem");
  ca_pem = path_of ("ca.pem");
  g_assert_true (g_file_set_contents (text, "not a certificate\n", -1, NULL));

  expect_load_error (missing, NULL, NULL, "missing.pem: cannot read the file");
  expect_load_error (dir, NULL, NULL, "is a folder");
  expect_load_error (text, NULL, NULL, "notes.txt: not a certificate");
  expect_load_error (pem, NULL, NULL, "client.pem: the file has a certificate but no private key");
  expect_load_error (pem, text, NULL, "notes.txt: no private key");
  expect_load_error (pem, enc, NULL, "client-enc.key: the private key is encrypted");
  expect_load_error (pem, enc, "wrong", "client-enc.key: wrong passphrase");
  expect_load_error (pem, legacy, "wrong", "client-legacy.key: wrong passphrase");
  expect_load_error (pem, other_key, NULL,
                     "server.key: the private key does not match the certificate in");
  expect_load_error (p12, NULL, "wrong", "client.p12: wrong passphrase for the PKCS#12 file");
  expect_load_error (p12, NULL, NULL, "client.p12: the PKCS#12 file is protected");

  db = ladle_tls_client_load_ca (text, &error);
  g_assert_null (db);
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, "notes.txt: no certificate in this file"));
  expect_form (error);
  g_clear_error (&error);
  db = ladle_tls_client_load_ca (missing, &error);
  g_assert_null (db);
  g_assert_nonnull (strstr (error->message, "missing.pem: cannot read the file"));
  /* The system's words for ENOENT, once: not GLib's "Failed to open file …" around them */
  g_assert_true (g_str_has_suffix (error->message, g_strerror (ENOENT)));
  g_assert_cmpuint (strlen (strstr (error->message, "missing.pem")), ==,
                    strlen ("missing.pem: cannot read the file: ") + strlen (g_strerror (ENOENT)));
  expect_form (error);
  g_clear_error (&error);
}

static void
test_load_good (void)
{
  g_autofree char *pem = NULL, *key = NULL, *enc = NULL, *legacy = NULL, *p12 = NULL;
  g_autofree char *both = NULL, *ca = NULL, *contents = NULL, *key_text = NULL;
  GTlsCertificate *certs[5];
  g_autoptr(GTlsDatabase) db1 = NULL;
  g_autoptr(GTlsDatabase) db2 = NULL;
  g_autoptr(GError) error = NULL;

  if (!ladle_test_have_program ("openssl", "openssl"))
    return;
  make_all ();
  pem = path_of ("client.pem");
  key = path_of ("client.key");
  enc = path_of ("client-enc.key");
  legacy = path_of ("client-legacy.key");
  p12 = path_of ("client.p12");
  both = path_of ("client-both.pem");
  ca = path_of ("ca.pem");
  g_assert_true (g_file_get_contents (pem, &contents, NULL, NULL));
  g_assert_true (g_file_get_contents (key, &key_text, NULL, NULL));
  {
    g_autofree char *joined = g_strconcat (contents, key_text, NULL);

    g_assert_true (g_file_set_contents (both, joined, -1, NULL));
  }

  certs[0] = ladle_tls_client_load_certificate (pem, key, NULL, &error);
  g_assert_no_error (error);
  certs[1] = ladle_tls_client_load_certificate (pem, enc, "s3cret", &error);
  g_assert_no_error (error);
  certs[2] = ladle_tls_client_load_certificate (pem, legacy, "s3cret", &error);
  g_assert_no_error (error);
  certs[3] = ladle_tls_client_load_certificate (p12, NULL, "s3cret", &error);
  g_assert_no_error (error);
  certs[4] = ladle_tls_client_load_certificate (both, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (certs); i++)
    {
      g_autofree char *subject = NULL;
      g_autoptr(GByteArray) der = NULL;

      g_object_get (certs[i], "certificate", &der, NULL);
      g_assert_nonnull (der);
      subject = g_tls_certificate_get_subject_name (certs[i]);
      g_assert_nonnull (strstr (subject, "Ladle Test Client"));
      g_assert_true (g_tls_certificate_is_same (certs[i], certs[0]));
    }

  /* Cached per path, size and time: the same object again, until the file changes */
  {
    g_autoptr(GTlsCertificate) again = ladle_tls_client_load_certificate (pem, enc, "s3cret", NULL);
    g_autoptr(GTlsCertificate) other_pw = NULL;

    g_assert_true (again == certs[1]);
    other_pw = ladle_tls_client_load_certificate (pem, enc, "bad", NULL);
    g_assert_null (other_pw);
  }
  db1 = ladle_tls_client_load_ca (ca, &error);
  g_assert_no_error (error);
  db2 = ladle_tls_client_load_ca (ca, &error);
  g_assert_no_error (error);
  g_assert_true (db1 == db2);
  {
    g_autoptr(GTlsCertificate) reloaded = NULL;
    g_autoptr(GTlsDatabase) db3 = NULL;
    g_autofree char *ca_text = NULL;

    /* A changed file (another size) is read again */
    g_assert_true (g_file_get_contents (ca, &ca_text, NULL, NULL));
    {
      g_autofree char *more = g_strconcat (ca_text, "\n", NULL);

      g_assert_true (g_file_set_contents (ca, more, -1, NULL));
    }
    db3 = ladle_tls_client_load_ca (ca, &error);
    g_assert_no_error (error);
    g_assert_true (db3 != db1);
    g_assert_true (g_file_set_contents (ca, ca_text, -1, NULL));
    ladle_tls_client_clear_cache ();
    reloaded = ladle_tls_client_load_certificate (pem, enc, "s3cret", NULL);
    g_assert_true (reloaded != certs[1]);
  }

  for (guint i = 0; i < G_N_ELEMENTS (certs); i++)
    g_object_unref (certs[i]);
}

/* ------------------------------------------------------------------------------------------ */
/* Against a SoupServer that requires a client certificate */

typedef struct
{
  const char *cert_name;
  guint       port;
} TlsSetup;

static void
tls_setup (SoupServer *server,
           gpointer    user_data)
{
  TlsSetup *setup = user_data;
  g_autofree char *pem = g_strdup_printf ("%s/%s.pem", dir, setup->cert_name);
  g_autofree char *key = g_strdup_printf ("%s/%s.key", dir, setup->cert_name);
  g_autofree char *clientca = path_of ("clientca.pem");

  soup_server_add_handler (server, NULL, ladle_test_whoami_handler, NULL, NULL);
  setup->port = ladle_test_server_listen_mtls (server, pem, key, clientca);
}

typedef struct
{
  LadleResponse *response;
  GError        *error;
  gboolean       done;
} Result;

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Result *r = user_data;

  r->response = ladle_http_client_send_finish (LADLE_HTTP_CLIENT (object), result, &r->error);
  r->done = TRUE;
}

/* Sends GET @url with the settings; returns the body ("CN=…") or NULL with *error */
static char *
fetch (LadleHttpClient *client,
       const char      *url,
       const char      *cert,
       const char      *key,
       const char      *password,
       const char      *ca,
       GError         **error)
{
  g_autoptr(LadleRequest) request = ladle_request_new ();
  g_autofree char *cert_path = cert != NULL ? path_of (cert) : NULL;
  g_autofree char *key_path = key != NULL ? path_of (key) : NULL;
  g_autofree char *ca_path = ca != NULL ? path_of (ca) : NULL;
  Result r = { NULL, NULL, FALSE };
  GBytes *body;
  char *text;

  ladle_request_set_method (request, "GET");
  ladle_request_set_url (request, url);
  ladle_request_set_tls_cert_file (request, cert_path);
  ladle_request_set_tls_key_file (request, key_path);
  ladle_request_set_tls_cert_password (request, password);
  ladle_request_set_tls_ca_file (request, ca_path);
  ladle_http_client_send_async (client, request, NULL, NULL, send_cb, &r);
  LADLE_TEST_WAIT_UNTIL (r.done, 30000);
  if (r.error != NULL)
    {
      g_test_message ("%s: %s", url, r.error->message);
      g_propagate_error (error, r.error);
      return NULL;
    }
  g_assert_cmpuint (ladle_response_get_status (r.response), ==, 200);
  body = ladle_response_get_body_bytes (r.response);
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_object_unref (r.response);
  return text;
}

static void
assert_tls_error (GError     *error,
                  const char *needle)
{
  g_assert_nonnull (error);
  g_assert_cmpuint (error->domain, ==, LADLE_ERROR);
  g_assert_cmpint (error->code, ==, LADLE_ERROR_TLS);
  if (strstr (error->message, needle) == NULL)
    g_error ("“%s” does not say “%s”", error->message, needle);
}

static void
test_client_certificate (void)
{
  TlsSetup setup = { "server", 0 };
  LadleTestServer *server;
  g_autoptr(LadleHttpClient) client = ladle_http_client_new ();
  g_autofree char *url = NULL;
  g_autofree char *localhost = NULL;
  g_autoptr(GError) error = NULL;
  char *body;

  if (!ladle_test_have_program ("openssl", "openssl"))
    return;
  make_all ();
  server = ladle_test_server_new (tls_setup, &setup);
  url = g_strdup_printf ("https://127.0.0.1:%u/", setup.port);
  localhost = g_strdup_printf ("https://localhost:%u/", setup.port);

  /* No CA bundle: the test CA is unknown */
  body = fetch (client, url, "client.pem", "client.key", NULL, NULL, &error);
  g_assert_null (body);
  assert_tls_error (error, "not signed by a trusted authority");
  g_clear_error (&error);

  /* Another CA does not help */
  body = fetch (client, url, "client.pem", "client.key", NULL, "otherca.pem", &error);
  g_assert_null (body);
  assert_tls_error (error, "not signed by a trusted authority");
  g_clear_error (&error);

  /* The right CA, no client certificate: the server refuses */
  body = fetch (client, url, NULL, NULL, NULL, "ca.pem", &error);
  g_assert_null (body);
  assert_tls_error (error, "requires a client certificate");
  g_clear_error (&error);

  /* PEM cert + encrypted key, by address and by name */
  body = fetch (client, url, "client.pem", "client-enc.key", "s3cret", "ca.pem", &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (body, "CN=Ladle Test Client"));
  g_free (body);
  body = fetch (client, localhost, "client.pem", "client.key", NULL, "ca.pem", &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (body, "CN=Ladle Test Client"));
  g_free (body);

  /* PKCS#12 */
  body = fetch (client, url, "client.p12", NULL, "s3cret", "ca.pem", &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (body, "CN=Ladle Test Client"));
  g_free (body);

  /* A certificate from a CA the server does not take */
  body = fetch (client, url, "stranger.pem", "stranger.key", NULL, "ca.pem", &error);
  g_assert_null (body);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "client certificate"));
  g_clear_error (&error);

  /* A bad file fails before anything is sent */
  body = fetch (client, url, "client.pem", "client-enc.key", "nope", "ca.pem", &error);
  g_assert_null (body);
  assert_tls_error (error, "wrong passphrase");
  g_clear_error (&error);

  /* Sessions are per transport setting, and bounded */
  g_assert_cmpuint (ladle_http_client_get_n_sessions (client), <=, 8);
  g_assert_cmpuint (ladle_http_client_get_n_sessions (client), >=, 4);

  ladle_test_server_free (server);
}

static void
test_ca_name_mismatch (void)
{
  TlsSetup setup = { "wrongname", 0 };
  LadleTestServer *server;
  g_autoptr(LadleHttpClient) client = ladle_http_client_new ();
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;
  char *body;

  if (!ladle_test_have_program ("openssl", "openssl"))
    return;
  make_all ();
  server = ladle_test_server_new (tls_setup, &setup);
  url = g_strdup_printf ("https://127.0.0.1:%u/", setup.port);

  /* Known CA, wrong name: the bundle's verdict is the precise one */
  body = fetch (client, url, "client.pem", "client.key", NULL, "ca.pem", &error);
  g_assert_null (body);
  assert_tls_error (error, "does not match the host name");
  g_clear_error (&error);

  ladle_test_server_free (server);
}

/* ------------------------------------------------------------------------------------------ */
/* openssl s_server -Verify and curl --cacert */


static int
run_curl (const char *ca,
          const char *url)
{
  g_autofree char *ca_path = path_of (ca);
  g_autofree char *cert = path_of ("client.pem");
  g_autofree char *key = path_of ("client.key");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { "curl", "-sS", "-o", "/dev/null", "--noproxy", "*", "--cacert", ca_path,
                         "--cert", cert, "--key", key, url, NULL };

  return ladle_test_run_command (argv, NULL, &out, &err);
}

static void
test_openssl_s_server (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(LadleHttpClient) client = ladle_http_client_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = NULL, *key = NULL, *clientca = NULL, *accept = NULL, *url = NULL;
  g_autofree char *curl = g_find_program_in_path ("curl");
  guint port;
  char *body;

  if (!ladle_test_have_program ("openssl", "openssl"))
    return;
  make_all ();
  pem = path_of ("server.pem");
  key = path_of ("server.key");
  clientca = path_of ("clientca.pem");
  port = ladle_test_unused_port ();
  accept = g_strdup_printf ("127.0.0.1:%u", port);
  url = g_strdup_printf ("https://127.0.0.1:%u/", port);

  launcher = ladle_test_new_launcher (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                      G_SUBPROCESS_FLAGS_STDERR_SILENCE |
                                      G_SUBPROCESS_FLAGS_STDIN_PIPE, NULL);
  proc = g_subprocess_launcher_spawn (launcher, &error, "openssl", "s_server", "-accept", accept,
                                      "-cert", pem, "-key", key, "-Verify", "1", "-CAfile",
                                      clientca, "-www", "-naccept", "100", NULL);
  g_assert_no_error (error);
  LADLE_TEST_WAIT_UNTIL (ladle_test_port_open (port), 10000);

  /* -www answers with a page that tells the client certificate it got */
  body = fetch (client, url, "client.pem", "client-enc.key", "s3cret", "ca.pem", &error);
  g_assert_no_error (error);
  g_test_message ("%s", body);
  g_assert_nonnull (strstr (body, "Ladle Test Client"));
  g_free (body);

  /* curl --cacert agrees: trusted with the CA, not with another one */
  body = fetch (client, url, "client.pem", "client.key", NULL, "otherca.pem", &error);
  g_assert_null (body);
  assert_tls_error (error, "not signed by a trusted authority");
  g_clear_error (&error);
  if (curl != NULL)
    {
      g_assert_cmpint (run_curl ("ca.pem", url), ==, 0);
      g_assert_cmpint (run_curl ("otherca.pem", url), !=, 0);
    }
  else
    g_test_message ("curl is missing: its --cacert verdict was not compared");

  g_subprocess_force_exit (proc);
  g_subprocess_wait (proc, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  ladle_test_init (&argc, &argv);
  dir = ladle_test_make_tmpdir ("ladle-tls-client-XXXXXX");

  g_test_add_func ("/tls-client/load-errors", test_load_errors);
  g_test_add_func ("/tls-client/load-good", test_load_good);
  g_test_add_func ("/tls-client/client-certificate", test_client_certificate);
  g_test_add_func ("/tls-client/ca-name-mismatch", test_ca_name_mismatch);
  g_test_add_func ("/tls-client/openssl-s-server", test_openssl_s_server);

  status = ladle_test_run ();
  ladle_test_rm_rf (dir);
  g_free (dir);
  return status;
}
