/* test-cli-run.c
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

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ladle-cookie-store.h"
#include "ladle-test-utils.h"

/* `ladle run` (the real executable, LADLE_BIN) against an in-process LadleServer on port 0: the
 * files are written into a temporary folder with the server's address in an environment file
 * (or a --var), so every request stays on 127.0.0.1. The server logs what reaches it. */

typedef struct
{
  char               *tmpdir;
  const char         *url;      /* http://127.0.0.1:PORT, the server's */
  LadleTestLogServer *server;
  GPtrArray          *log;      /* LadleTestLogged, the server's */
} Fixture;

/* The @index-th request the server saw was "METHOD PATH STATUS" @expected (or starts with it) */
static void
assert_logged (Fixture    *fixture,
               guint       index,
               const char *expected,
               gboolean    prefix)
{
  g_autofree char *line = NULL;

  g_assert_cmpuint (index, <, fixture->log->len);
  line = ladle_test_logged_line (g_ptr_array_index (fixture->log, index));
  if (prefix)
    g_assert_true (g_str_has_prefix (line, expected));
  else
    g_assert_cmpstr (line, ==, expected);
}

static void
write_file (Fixture    *fixture,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (fixture->tmpdir, name, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *env = NULL;
  g_autofree char *uploads = NULL;

  fixture->tmpdir = ladle_test_make_tmpdir ("ladle-cli-run-XXXXXX");
  uploads = g_build_filename (fixture->tmpdir, "uploads", NULL);
  fixture->server = ladle_test_log_server_new (uploads, 0);
  fixture->url = ladle_test_log_server_get_url (fixture->server);
  fixture->log = ladle_test_log_server_get_log (fixture->server);

  env = g_strdup_printf ("{\n  \"local\": {\"host\": \"%s\"},\n"
                         "  \"other\": {\"host\": \"%s/anything/other\"},\n"
                         "  \"$shared\": {\"greeting\": \"привет\"}\n}\n",
                         fixture->url, fixture->url);
  write_file (fixture, "http-client.env.json", env);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  ladle_test_log_server_free (fixture->server);
  ladle_test_rm_rf (fixture->tmpdir);
  g_free (fixture->tmpdir);
}

/* Runs `ladle COMMAND ARGS…` in the fixture's folder; returns the exit status. */
static int
run_ladle_va (Fixture     *fixture,
              const char  *command,
              char       **out_stdout,
              char       **out_stderr,
              const char  *first,
              va_list      args)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *cwd = g_get_current_dir ();
  int status;

  g_strv_builder_add_many (builder, g_getenv ("LADLE_BIN"), command, NULL);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_strv_builder_add (builder, arg);
  argv = g_strv_builder_end (builder);
  joined = g_strjoinv (" ", argv + 1);
  g_test_message ("ladle %s", joined);

  g_assert_cmpint (g_chdir (fixture->tmpdir), ==, 0);
  status = ladle_test_run_command ((const char * const *) argv, NULL, &out, &err);
  g_assert_cmpint (g_chdir (cwd), ==, 0);
  g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", status, out, err);

  g_assert_null (strstr (err, "CRITICAL"));
  g_assert_null (strstr (err, "WARNING"));
  g_assert_null (strstr (err, "Sanitizer"));

  if (out_stdout != NULL)
    *out_stdout = g_steal_pointer (&out);
  if (out_stderr != NULL)
    *out_stderr = g_steal_pointer (&err);
  return status;
}

/* `ladle run ARGS…`, NULL-terminated */
static int
run_ladle (Fixture     *fixture,
           char       **out_stdout,
           char       **out_stderr,
           const char  *first,
           ...)
{
  va_list args;
  int status;

  va_start (args, first);
  status = run_ladle_va (fixture, "run", out_stdout, out_stderr, first, args);
  va_end (args);
  return status;
}

/* `ladle send ARGS…`, NULL-terminated */
static int
send_ladle (Fixture     *fixture,
            char       **out_stdout,
            char       **out_stderr,
            const char  *first,
            ...)
{
  va_list args;
  int status;

  va_start (args, first);
  status = run_ladle_va (fixture, "send", out_stdout, out_stderr, first, args);
  va_end (args);
  return status;
}

static guint
count_lines_starting (const char *text,
                      const char *prefix)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    n += g_str_has_prefix (lines[i], prefix);
  return n;
}

static const char passing[] =
  "# A file as JetBrains' documentation writes them\n"
  "@path = /get\n"
  "\n"
  "### Plain GET\n"
  "GET {{host}}{{path}}?q=1\n"
  "Accept: application/json\n"
  "\n"
  "?? status == 200\n"
  "?? body args.q == 1\n"
  "\n"
  "### Post JSON\n"
  "POST {{host}}/post\n"
  "Content-Type: application/json\n"
  "\n"
  "{\"ключ\": \"значение\", \"n\": 7}\n"
  "\n"
  "?? status == 200\n"
  "?? body json.ключ == значение\n"
  "?? header content-type includes json\n"
  "\n"
  "### Uses the login response\n"
  "GET {{host}}/anything?title={{login.slideshow.title}}&g={{greeting}}\n"
  "\n"
  "?? body args.title == Sample Slide Show\n"
  "?? body args.g == привет\n"
  "\n"
  "### login\n"
  "# @name login\n"
  "GET {{host}}/json\n"
  "\n"
  "?? status == 200\n";

static void
test_passing (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *out = NULL;
  int status;

  write_file (fixture, "api.http", passing);
  status = run_ladle (fixture, &out, NULL, "--env", "local", "api.http", NULL);

  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (count_lines_starting (out, "PASS"), ==, 4);
  g_assert_nonnull (strstr (out, "4 requests: 4 passed, 0 failed, 0 errors, 0 skipped"));
  g_assert_nonnull (strstr (out, "assertions: 8 passed, 0 failed"));

  /* login ran once, before the request that uses it, and in file order otherwise */
  LADLE_TEST_WAIT_UNTIL (fixture->log->len >= 4, 5000);
  g_assert_cmpuint (fixture->log->len, ==, 4);
  assert_logged (fixture, 0, "GET /get?q=1 200", FALSE);
  assert_logged (fixture, 1, "POST /post 200", FALSE);
  assert_logged (fixture, 2, "GET /json 200", FALSE);
  assert_logged (fixture, 3, "GET /anything?title=Sample%20Slide%20Show&g=", TRUE);
}

static void
test_failing_assertion (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *out = NULL;
  int status;

  write_file (fixture, "fail.http",
              "GET {{host}}/status/404\n"
              "\n"
              "?? status == 200\n"
              "\n"
              "###\n"
              "GET {{host}}/get\n"
              "\n"
              "?? status == 200\n");
  status = run_ladle (fixture, &out, NULL, "-e", "local", "--no-color", "fail.http", NULL);

  g_assert_cmpint (status, ==, 1);
  g_assert_cmpuint (count_lines_starting (out, "FAIL  404 GET "), ==, 1);
  g_assert_cmpuint (count_lines_starting (out, "PASS  200 GET "), ==, 1);
  g_assert_nonnull (strstr (out, "?? status == 200"));
  g_assert_nonnull (strstr (out, "404"));
  g_assert_nonnull (strstr (out, "2 requests: 1 passed, 1 failed, 0 errors, 0 skipped"));
}

static void
test_bail (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *out = NULL;
  int status;

  write_file (fixture, "bail.http",
              "GET {{host}}/status/500\n\n?? status == 200\n\n"
              "###\nGET {{host}}/get\n\n"
              "###\nGET {{host}}/get\n");
  status = run_ladle (fixture, &out, NULL, "--env=local", "--bail", "bail.http", NULL);

  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (out, "3 requests: 0 passed, 1 failed, 0 errors, 2 skipped"));
  g_assert_cmpuint (count_lines_starting (out, "SKIP"), ==, 2);
}

static void
test_unresolved_variable (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *out = NULL;
  int status;

  write_file (fixture, "unresolved.http",
              "### first\n"
              "GET {{host}}/get?x={{nowhere}}\n");
  status = run_ladle (fixture, &out, NULL, "--env", "local", "unresolved.http", NULL);

  /* never sent with literal braces: an error that names the variable and where it is */
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (out, "ERROR"));
  g_assert_nonnull (strstr (out, "nowhere"));
  g_assert_nonnull (strstr (out, "unresolved.http:2:"));
  g_assert_cmpuint (fixture->log->len, ==, 0);
}

static void
test_parse_error (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *err = NULL;
  int status;

  write_file (fixture, "broken.http",
              "GET {{host}}/get\n"
              "Bad header line\n");
  status = run_ladle (fixture, NULL, &err, "--env", "local", "broken.http", NULL);

  g_assert_cmpint (status, ==, 2);
  g_assert_true (g_str_has_prefix (err, "broken.http:2:1: "));
  g_assert_cmpuint (fixture->log->len, ==, 0);
}

static void
test_environments (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *var = g_strdup_printf ("host=%s/anything/from-var", fixture->url);
  int status;

  write_file (fixture, "env.http", "GET {{host}}/x\n\n?? status == 200\n");

  status = run_ladle (fixture, &out, NULL, "--env", "other", "env.http", NULL);
  g_assert_cmpint (status, ==, 0);
  LADLE_TEST_WAIT_UNTIL (fixture->log->len >= 1, 5000);
  assert_logged (fixture, 0, "GET /anything/other/x 200", FALSE);

  /* --var wins over the environment */
  g_clear_pointer (&out, g_free);
  status = run_ladle (fixture, &out, NULL, "--env", "other", "--var", var, "env.http", NULL);
  g_assert_cmpint (status, ==, 0);
  LADLE_TEST_WAIT_UNTIL (fixture->log->len >= 2, 5000);
  assert_logged (fixture, 1, "GET /anything/from-var/x 200", FALSE);

  /* an environment that does not exist is a usage error that lists those that do */
  status = run_ladle (fixture, NULL, &err, "--env", "staging", "env.http", NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "staging"));
  g_assert_nonnull (strstr (err, "local"));
  g_assert_nonnull (strstr (err, "other"));
}

static void
test_request_filter (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  write_file (fixture, "api.http", passing);
  status = run_ladle (fixture, &out, NULL, "--env", "local", "--request", "login", "api.http",
                      NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "1 request: 1 passed"));

  status = run_ladle (fixture, NULL, &err, "--env", "local", "--request", "nobody", "api.http",
                      NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "nobody"));
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *text = g_strdup_printf ("GET http://127.0.0.1:%u/\n", ladle_test_unused_port ());
  g_autofree char *out = NULL;
  int status;

  write_file (fixture, "refused.http", text);
  status = run_ladle (fixture, &out, NULL, "refused.http", NULL);

  g_assert_cmpint (status, ==, 3);
  g_assert_cmpuint (count_lines_starting (out, "ERROR"), ==, 1);
}

/* Transport directives take effect: a request through a proxy that is not running fails as
 * such (nothing reaches the server); @no-proxy for the host goes around it */
static void
test_transport_directives (Fixture       *fixture,
                           gconstpointer  data)
{
  guint dead_port = ladle_test_unused_port ();
  g_autofree char *text = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *expected = NULL;
  int status;

  text = g_strdup_printf ("### through\n"
                          "# @proxy http://127.0.0.1:%u\n"
                          "GET {{host}}/get?via=proxy\n"
                          "\n"
                          "### around\n"
                          "# @proxy http://127.0.0.1:%u\n"
                          "# @no-proxy example.com, 127.0.0.1\n"
                          "# @http1.1\n"
                          "GET {{host}}/get?via=none\n",
                          dead_port, dead_port);
  write_file (fixture, "proxy.http", text);
  status = run_ladle (fixture, &out, &err, "--env", "local", "proxy.http", NULL);

  g_assert_cmpint (status, ==, 3);
  expected = g_strdup_printf ("Connection refused by the proxy http://127.0.0.1:%u (is it "
                              "running?)", dead_port);
  g_assert_nonnull (strstr (out, expected));
  g_assert_cmpuint (count_lines_starting (out, "ERROR"), ==, 1);
  /* Only the request around the proxy reached the server */
  ladle_test_log_server_settle (fixture->server);
  g_assert_cmpuint (fixture->log->len, ==, 1);
  assert_logged (fixture, 0, "GET /get?via=none 200", FALSE);
}

/* @cacert takes effect, relative to the .http file's folder: `ladle serve --tls`'s self-signed
 * certificate is trusted with it, and refused without */
static void
test_cacert_directive (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *data_home = g_build_filename (fixture->tmpdir, "data", NULL);
  g_autofree char *uploads = g_build_filename (fixture->tmpdir, "uploads", NULL);
  const char *env[] = { "XDG_DATA_HOME", data_home, NULL };
  g_autoptr(GSubprocessLauncher) launcher = ladle_test_new_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                                                     env);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) serve_out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *cert_line = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *text = NULL;
  g_autofree char *out = NULL;
  gsize pem_len = 0;
  char *cert_path;
  const char *prefix = "Serving on https://127.0.0.1:";
  int status;

  proc = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("LADLE_BIN"), "serve", "--tls",
                                      "--port", "0", "--uploads", uploads, "--quiet", NULL);
  g_assert_no_error (error);
  serve_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  line = ladle_test_read_line (serve_out);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, prefix));
  cert_line = ladle_test_read_line (serve_out);
  g_assert_true (g_str_has_prefix (cert_line, "Certificate: "));
  cert_path = cert_line + strlen ("Certificate: ");
  if (g_str_has_suffix (cert_path, " (self-signed, made now)"))
    cert_path[strlen (cert_path) - strlen (" (self-signed, made now)")] = '\0';
  g_assert_true (g_file_get_contents (cert_path, &pem, &pem_len, NULL));
  write_file (fixture, "tls/certs/serve.pem", pem);

  /* line: "Serving on https://127.0.0.1:PORT/" */
  text = g_strdup_printf ("### trusted\n"
                          "# @cacert certs/serve.pem\n"
                          "GET https://127.0.0.1:%s" "get?by=cacert\n"
                          "?? status == 200\n"
                          "\n"
                          "### unknown\n"
                          "GET https://127.0.0.1:%s" "get?by=nothing\n",
                          line + strlen (prefix), line + strlen (prefix));
  write_file (fixture, "tls/serve.http", text);
  status = run_ladle (fixture, &out, NULL, "tls/serve.http", NULL);

  g_assert_cmpint (status, ==, 3);
  g_assert_cmpuint (count_lines_starting (out, "PASS"), ==, 1);
  g_assert_cmpuint (count_lines_starting (out, "ERROR"), ==, 1);
  g_assert_nonnull (strstr (out, "not signed by a trusted authority"));

  g_subprocess_send_signal (proc, SIGTERM);
  g_assert_cmpint (ladle_test_wait_exit (proc), ==, 0);
}

/* Per-host client certificates */

static void
openssl_in (const char *folder,
            const char *first,
            ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *cwd = g_get_current_dir ();
  va_list args;
  int status;

  g_strv_builder_add_many (builder, "openssl", first, NULL);
  va_start (args, first);
  for (const char *arg = va_arg (args, const char *); arg != NULL;
       arg = va_arg (args, const char *))
    g_strv_builder_add (builder, arg);
  va_end (args);
  argv = g_strv_builder_end (builder);
  g_assert_cmpint (g_chdir (folder), ==, 0);
  status = ladle_test_run_command ((const char * const *) argv, NULL, &out, &err);
  g_assert_cmpint (g_chdir (cwd), ==, 0);
  if (status != 0)
    g_error ("openssl %s failed: %s", first, err);
}

/* NAME.pem and NAME.key in @folder for CN, signed by CA (self-signed when NULL) */
static void
make_cert (const char *folder,
           const char *name,
           const char *cn,
           const char *ca,
           const char *san)
{
  g_autofree char *key = g_strdup_printf ("%s.key", name);
  g_autofree char *pem = g_strdup_printf ("%s.pem", name);
  g_autofree char *csr = g_strdup_printf ("%s.csr", name);
  g_autofree char *ext = g_strdup_printf ("%s/%s.ext", folder, name);
  g_autofree char *ext_name = g_strdup_printf ("%s.ext", name);
  g_autofree char *subject = g_strdup_printf ("/CN=%s", cn);
  g_autofree char *ca_pem = g_strdup_printf ("%s.pem", ca != NULL ? ca : name);
  g_autofree char *ca_key = g_strdup_printf ("%s.key", ca != NULL ? ca : name);
  g_autofree char *text = g_strdup_printf ("basicConstraints=CA:FALSE\n%s%s\n",
                                           san != NULL ? "subjectAltName=" : "",
                                           san != NULL ? san : "");

  openssl_in (folder, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
              "-out", key, NULL);
  if (ca == NULL)
    {
      openssl_in (folder, "req", "-x509", "-new", "-key", key, "-out", pem, "-days", "30",
                  "-subj", subject, "-addext", "basicConstraints=critical,CA:TRUE",
                  "-addext", "keyUsage=critical,keyCertSign,cRLSign", NULL);
      return;
    }
  g_assert_true (g_file_set_contents (ext, text, -1, NULL));
  openssl_in (folder, "req", "-new", "-key", key, "-out", csr, "-subj", subject, NULL);
  openssl_in (folder, "x509", "-req", "-in", csr, "-CA", ca_pem, "-CAkey", ca_key,
              "-CAcreateserial", "-out", pem, "-days", "30", "-extfile", ext_name, NULL);
}

typedef struct
{
  const char *folder;
  guint       port;
} MtlsSetup;

/* An HTTPS server on 127.0.0.1 that requires a client certificate signed by clientca */
static void
mtls_setup (SoupServer *server,
            gpointer    user_data)
{
  MtlsSetup *setup = user_data;
  g_autofree char *pem = g_build_filename (setup->folder, "server.pem", NULL);
  g_autofree char *key = g_build_filename (setup->folder, "server.key", NULL);
  g_autofree char *clientca = g_build_filename (setup->folder, "clientca.pem", NULL);

  soup_server_add_handler (server, NULL, ladle_test_whoami_handler, NULL, NULL);
  setup->port = ladle_test_server_listen_mtls (server, pem, key, clientca);
}

/* httpyac's clientCertificates in the workspace's .httpyac.json: a request without a
 * certificate of its own presents its host's (here a PKCS#12 file whose passphrase is a
 * {{variable}} of the private environment); one with # @cert presents its own. Without the
 * .httpyac.json the server refuses the first. JetBrains' SSLConfiguration of an environment
 * does the same. */
static void
test_host_certs (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *certs = g_build_filename (fixture->tmpdir, "mtls", "certs", NULL);
  MtlsSetup setup = { certs, 0 };
  LadleTestServer *server = NULL;
  g_autofree char *text = NULL;
  g_autofree char *config = NULL;
  g_autofree char *config_path = g_build_filename (fixture->tmpdir, ".httpyac.json", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  if (openssl == NULL)
    {
      g_test_skip ("openssl is not installed (Debian package openssl)");
      return;
    }
  g_assert_cmpint (g_mkdir_with_parents (certs, 0755), ==, 0);
  make_cert (certs, "ca", "Ladle Test CA", NULL, NULL);
  make_cert (certs, "server", "localhost", "ca", "DNS:localhost,IP:127.0.0.1");
  make_cert (certs, "clientca", "Ladle Client CA", NULL, NULL);
  make_cert (certs, "host", "Ladle Host Client", "clientca", NULL);
  make_cert (certs, "own", "Ladle Own Client", "clientca", NULL);
  openssl_in (certs, "pkcs12", "-export", "-in", "host.pem", "-inkey", "host.key", "-out",
              "host.p12", "-passout", "pass:p12-s3cret", NULL);
  server = ladle_test_server_new (mtls_setup, &setup);
  g_assert_cmpuint (setup.port, >, 0);

  write_file (fixture, "http-client.private.env.json",
              "{\"local\": {\"p12Pass\": \"p12-s3cret\"}}\n");
  text = g_strdup_printf ("### by host\n"
                          "# @cacert certs/ca.pem\n"
                          "GET https://127.0.0.1:%u/whoami\n"
                          "\n"
                          "?? body includes Ladle Host Client\n"
                          "\n"
                          "### own\n"
                          "# @cacert certs/ca.pem\n"
                          "# @cert certs/own.pem\n"
                          "# @key certs/own.key\n"
                          "GET https://127.0.0.1:%u/whoami\n"
                          "\n"
                          "?? body includes Ladle Own Client\n",
                          setup.port, setup.port);
  write_file (fixture, "mtls/hosts.http", text);

  /* No .httpyac.json: the server refuses the request without a certificate */
  status = run_ladle (fixture, &out, &err, "--env", "local", "mtls/hosts.http", NULL);
  g_assert_cmpint (status, !=, 0);
  g_assert_cmpuint (count_lines_starting (out, "PASS"), ==, 1);
  g_assert_cmpuint (count_lines_starting (out, "ERROR"), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* HOST:PORT, relative to the .httpyac.json (the workspace root); a certificate for the host
   * alone that would not do is not taken */
  config = g_strdup_printf ("{\n"
                            "  \"clientCertificates\": {\n"
                            "    \"127.0.0.1\": {\"cert\": \"mtls/certs/server.pem\", "
                            "\"key\": \"mtls/certs/server.key\"},\n"
                            "    \"127.0.0.1:%u\": {\"pfx\": \"mtls/certs/host.p12\", "
                            "\"passphrase\": \"{{p12Pass}}\"}\n"
                            "  }\n"
                            "}\n", setup.port);
  write_file (fixture, ".httpyac.json", config);
  status = run_ladle (fixture, &out, &err, "--env", "local", "mtls/hosts.http", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "2 requests: 2 passed"));
  g_assert_null (strstr (out, "p12-s3cret"));
  g_assert_null (strstr (err, "p12-s3cret"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A damaged .httpyac.json: the request that would use it fails at its place, the other
   * goes */
  write_file (fixture, ".httpyac.json", "{\"clientCertificates\": {\n  \"127.0.0.1\": 7}}\n");
  status = run_ladle (fixture, &out, &err, "--env", "local", "mtls/hosts.http", NULL);
  g_assert_cmpint (status, !=, 0);
  g_assert_cmpuint (count_lines_starting (out, "PASS"), ==, 1);
  g_assert_nonnull (strstr (out, ".httpyac.json:2:3: the client certificate of “127.0.0.1” is "
                                 "not an object"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* JetBrains' SSLConfiguration of the environment, when there is no .httpyac.json */
  g_assert_cmpint (g_unlink (config_path), ==, 0);
  write_file (fixture, "http-client.private.env.json",
              "{\"jb\": {\"SSLConfiguration\": {\"clientCertificate\": \"mtls/certs/host.pem\",\n"
              "  \"clientCertificateKey\": {\"path\": \"mtls/certs/host.key\", \"format\": \"PEM\"}}}}\n");
  status = run_ladle (fixture, &out, &err, "--env", "jb", "mtls/hosts.http", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "2 requests: 2 passed"));

  ladle_test_server_free (server);
}

/* httpyac's `Authorization: oauth2 client_credentials`: the token fetched from the server's
 * OAuth 2.0 provider with the settings of the environment files (the secret in the private one)
 * and sent as Bearer; a wrong secret ends with the token endpoint's words, nothing sent, and the
 * secret printed nowhere. */
static void
test_oauth2 (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *env = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  env = g_strdup_printf ("{\"local\": {\"host\": \"%s\", "
                         "\"oauth2_tokenEndpoint\": \"{{host}}/oauth/token\", "
                         "\"oauth2_clientId\": \"ladle-test\"},\n"
                         " \"bad\": {\"host\": \"%s\", "
                         "\"oauth2_tokenEndpoint\": \"{{host}}/oauth/token\", "
                         "\"oauth2_clientId\": \"ladle-test\"}}\n",
                         fixture->url, fixture->url);
  write_file (fixture, "http-client.env.json", env);
  write_file (fixture, "http-client.private.env.json",
              "{\"local\": {\"oauth2_clientSecret\": \"secret\"},\n"
              " \"bad\": {\"oauth2_clientSecret\": \"wr0ng-s3cret\"}}\n");
  write_file (fixture, "oauth.http",
              "### bearer\n"
              "GET {{host}}/bearer\n"
              "Authorization: oauth2 client_credentials\n"
              "\n"
              "?? status == 200\n"
              "?? body authenticated == true\n");

  status = run_ladle (fixture, &out, &err, "--env", "local", "oauth.http", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "1 request: 1 passed"));
  ladle_test_log_server_settle (fixture->server);
  g_assert_cmpuint (fixture->log->len, ==, 2);
  assert_logged (fixture, 0, "POST /oauth/token 200", FALSE);
  assert_logged (fixture, 1, "GET /bearer 200", FALSE);
  g_assert_null (strstr (out, "secret\""));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_ladle (fixture, &out, &err, "--env", "bad", "oauth.http", NULL);
  g_assert_cmpint (status, !=, 0);
  /* in the run's report, as every request's error */
  g_assert_nonnull (strstr (out, "The token endpoint answered “invalid_client”: Client "
                                 "authentication failed"));
  g_assert_null (strstr (out, "wr0ng-s3cret"));
  g_assert_null (strstr (err, "wr0ng-s3cret"));
  ladle_test_log_server_settle (fixture->server);
  g_assert_cmpuint (fixture->log->len, ==, 3);
  assert_logged (fixture, 2, "POST /oauth/token 401", FALSE);
}

static void
test_timeout (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *out = NULL;
  int status;

  /* the seed's 2-second example, as a directive (shortened) */
  write_file (fixture, "slow.http",
              "# @total-timeout 0.3\n"
              "GET {{host}}/delay/5\n");
  status = run_ladle (fixture, &out, NULL, "--env", "local", "slow.http", NULL);

  g_assert_cmpint (status, ==, 4);
  g_assert_cmpuint (count_lines_starting (out, "ERROR"), ==, 1);
}

typedef struct
{
  guint  testcases;
  guint  failures;
  guint  skipped;
  char  *suite_tests;
} JunitCount;

static void
junit_start (GMarkupParseContext  *context,
             const char           *element,
             const char          **names,
             const char          **values,
             gpointer              user_data,
             GError              **error)
{
  JunitCount *count = user_data;

  if (strcmp (element, "testcase") == 0)
    count->testcases++;
  else if (strcmp (element, "failure") == 0)
    count->failures++;
  else if (strcmp (element, "skipped") == 0)
    count->skipped++;
  else if (strcmp (element, "testsuite") == 0)
    for (guint i = 0; names[i] != NULL; i++)
      if (strcmp (names[i], "tests") == 0)
        count->suite_tests = g_strdup (values[i]);
}

static void
test_reports (Fixture       *fixture,
              gconstpointer  data)
{
  GMarkupParser parser = { junit_start, NULL, NULL, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(JsonParser) json = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *xml_path = g_build_filename (fixture->tmpdir, "out", "report.xml", NULL);
  g_autofree char *json_path = g_build_filename (fixture->tmpdir, "out", "report.json", NULL);
  JunitCount count = { 0 };
  JsonObject *root;
  int status;

  write_file (fixture, "out/.keep", "");
  write_file (fixture, "r.http",
              "### ok <&>\nGET {{host}}/get\n\n?? status == 200\n\n"
              "### bad\nGET {{host}}/status/418\n\n?? status == 200\n");
  status = run_ladle (fixture, NULL, NULL, "--env", "local", "--junit", "out/report.xml",
                      "--json", "out/report.json", "r.http", NULL);
  g_assert_cmpint (status, ==, 1);

  /* well-formed XML with one testcase per request */
  g_file_get_contents (xml_path, &xml, NULL, &error);
  g_assert_no_error (error);
  context = g_markup_parse_context_new (&parser, 0, &count, NULL);
  g_markup_parse_context_parse (context, xml, -1, &error);
  g_assert_no_error (error);
  g_markup_parse_context_end_parse (context, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count.testcases, ==, 2);
  g_assert_cmpuint (count.failures, ==, 1);
  g_assert_cmpstr (count.suite_tests, ==, "2");
  g_assert_nonnull (strstr (xml, "ok &lt;&amp;&gt;"));
  g_free (count.suite_tests);

  json_parser_load_from_file (json, json_path, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (json));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "summary"),
                                               "failed"), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "requests")), ==, 2);
}

/* --har: what ran, as HAR 1.2 that the npm har-validator accepts */
static void
test_har (Fixture       *fixture,
          gconstpointer  data)
{
  const char *peers = g_getenv ("LADLE_NPM_PEERS");
  g_autofree char *validator = g_build_filename (peers != NULL ? peers : "", "har-validator", NULL);
  g_autofree char *har = g_build_filename (fixture->tmpdir, "run.har", NULL);
  g_autofree char *script = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *log;
  int status;

  if (peers == NULL || !g_file_test (validator, G_FILE_TEST_IS_DIR))
    g_error ("har-validator is not installed (%s): run tools/deps.sh test", validator);

  write_file (fixture, "h.http", passing);
  status = run_ladle (fixture, NULL, NULL, "--env", "local", "--har", "run.har", "h.http", NULL);
  g_assert_cmpint (status, ==, 0);

  json_parser_load_from_file (parser, har, &error);
  g_assert_no_error (error);
  log = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "log");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (log, "entries")), ==, 4);

  script = g_strdup_printf ("require(%s).har(JSON.parse(require('fs').readFileSync(%s)))"
                            ".then(() => process.exit(0), e => { console.error(JSON.stringify(e.errors)); "
                            "process.exit(1) })", "process.argv[1]", "process.argv[2]");
  g_assert_cmpint (ladle_test_run_command ((const char * const []) {
                                             "node", "-e", script, validator, har, NULL },
                                           NULL, NULL, NULL), ==, 0);
}

static void
test_folder (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *out = NULL;
  int status;

  write_file (fixture, "ws/b.http", "GET {{host}}/anything/b\n");
  write_file (fixture, "ws/a.rest", "GET {{host}}/anything/a\n");
  write_file (fixture, "ws/sub/c.http", "GET {{host}}/anything/c\n");
  write_file (fixture, "ws/.hidden/d.http", "GET {{host}}/anything/d\n");
  write_file (fixture, "ws/notes.txt", "GET {{host}}/anything/e\n");
  status = run_ladle (fixture, &out, NULL, "--env", "local", "--parallel", "2", "ws", NULL);

  /* the environment file is found above the folder's files, from the current folder */
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "3 requests: 3 passed"));
}

static void
test_body_file (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *out = NULL;
  int status;

  write_file (fixture, "files/payload.json", "{\"from\": \"file\"}");
  write_file (fixture, "body.http",
              "POST {{host}}/post\n"
              "Content-Type: application/json\n"
              "\n"
              "< ./files/payload.json\n"
              "\n"
              "?? body json.from == file\n");
  status = run_ladle (fixture, &out, NULL, "--env", "local", "body.http", NULL);
  g_assert_cmpint (status, ==, 0);
}

static void
test_send_named (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  write_file (fixture, "api.http", passing);
  status = send_ladle (fixture, &out, NULL, "--env", "local", "--raw",
                       "api.http#Uses the login response", NULL);

  /* login ran first, once; then the request itself, its output as `ladle send` prints it */
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "Sample Slide Show"));
  LADLE_TEST_WAIT_UNTIL (fixture->log->len >= 2, 5000);
  assert_logged (fixture, 0, "GET /json 200", FALSE);
  assert_logged (fixture, 1, "GET /anything?", TRUE);

  status = send_ladle (fixture, NULL, &err, "--env", "local", "api.http#nobody", NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "nobody"));
}

/* data/examples/tutorial.http, as the README tells users to run it */
static void
test_tutorial (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "examples",
                                                 "tutorial.http", NULL);
  g_autofree char *var = g_strdup_printf ("host=%s", fixture->url);
  g_autofree char *out = NULL;
  g_autofree char *stored = g_build_filename (fixture->tmpdir, "uploads", "hello.txt", NULL);
  int status;

  status = run_ladle (fixture, &out, NULL, "--env", "local", "--var", var, path, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "6 requests: 6 passed, 0 failed, 0 errors, 0 skipped"));
  g_assert_true (g_file_test (stored, G_FILE_TEST_IS_REGULAR));
}

static void
test_usage (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_ladle (fixture, &out, NULL, "--help", NULL), ==, 0);
  for (const char *option = "--env\0--var\0--request\0--bail\0--junit\0--json\0--parallel\0"
                            "--timeout\0--insecure\0"; *option != '\0';
       option += strlen (option) + 1)
    g_assert_nonnull (strstr (out, option));

  g_assert_cmpint (run_ladle (fixture, NULL, &err, NULL), ==, 2);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_ladle (fixture, NULL, &err, "missing.http", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "missing.http"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_ladle (fixture, NULL, &err, "--parallel", "0", "x.http", NULL), ==, 2);
}

/* --workspace-cookies: the jar the window keeps for the workspace folder (in the data folder),
 * read at the start and written at the end; without it, or for another folder, not used; a
 * damaged jar is set aside with a message and its good cookies used. */
static void
test_workspace_cookies (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *data_home = g_build_filename (fixture->tmpdir, "data", NULL);
  g_autofree char *data_dir = g_build_filename (data_home, APP_ID, NULL);
  g_autofree char *old_data_home = g_strdup (g_getenv ("XDG_DATA_HOME"));
  g_autofree char *ws = g_build_filename (fixture->tmpdir, "ws", NULL);
  g_autofree char *jar = NULL;
  g_autofree char *text = NULL;
  g_autofree char *err = NULL;
  int status;

  /* The children's data folder */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  write_file (fixture, "ws/login.http", "GET {{host}}/cookies/set?k=v1\n");
  jar = ladle_cookie_store_dup_workspace_path (data_dir, ws);
  status = run_ladle (fixture, NULL, &err, "--env", "local", "--workspace-cookies", "ws", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (err, "no cookies kept for the workspace ws yet"));
  g_assert_true (g_file_get_contents (jar, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "127.0.0.1\tFALSE\t/\tFALSE\t0\tk\tv1\n"));

  /* check.http runs before login.http */
  write_file (fixture, "ws/check.http", "GET {{host}}/cookies\n\n?? body cookies.k == v1\n");
  g_clear_pointer (&err, g_free);
  status = run_ladle (fixture, NULL, NULL, "--env", "local", "ws/check.http", NULL);
  g_assert_cmpint (status, ==, 1);
  /* a file given: the workspace is the current folder, which has no jar */
  status = run_ladle (fixture, NULL, &err, "--env", "local", "--workspace-cookies",
                      "ws/check.http", NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "its jar starts empty"));
  status = run_ladle (fixture, NULL, NULL, "--env", "local", "--workspace-cookies", "ws", NULL);
  g_assert_cmpint (status, ==, 0);

  /* A bad line: set aside, said, the good cookie still sent */
  {
    g_autofree char *bad = g_strconcat (text, "not a cookie line\n", NULL);

    g_assert_true (g_file_set_contents (jar, bad, -1, NULL));
  }
  g_clear_pointer (&err, g_free);
  status = run_ladle (fixture, NULL, &err, "--env", "local", "--workspace-cookies", "ws", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (err, "The cookie jar has lines that do not read ("));
  g_assert_nonnull (strstr (err, ":6: a cookie line has seven fields"));
  g_assert_nonnull (strstr (err, ".corrupt-"));
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (jar, &text, NULL, NULL));
  g_assert_null (strstr (text, "not a cookie"));
  g_assert_nonnull (strstr (text, "\tk\tv1\n"));

  if (old_data_home != NULL)
    g_setenv ("XDG_DATA_HOME", old_data_home, TRUE);
  else
    g_unsetenv ("XDG_DATA_HOME");
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  if (g_getenv ("LADLE_BIN") == NULL)
    g_error ("LADLE_BIN must name the ladle executable (meson test sets it)");

#define ADD(path, func) \
  g_test_add ("/ladle/cli-run/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("passing", test_passing);
  ADD ("failing-assertion", test_failing_assertion);
  ADD ("bail", test_bail);
  ADD ("unresolved-variable", test_unresolved_variable);
  ADD ("parse-error", test_parse_error);
  ADD ("environments", test_environments);
  ADD ("request-filter", test_request_filter);
  ADD ("refused", test_refused);
  ADD ("transport-directives", test_transport_directives);
  ADD ("cacert-directive", test_cacert_directive);
  ADD ("host-certs", test_host_certs);
  ADD ("oauth2", test_oauth2);
  ADD ("timeout", test_timeout);
  ADD ("reports", test_reports);
  ADD ("har", test_har);
  ADD ("folder", test_folder);
  ADD ("body-file", test_body_file);
  ADD ("send-named", test_send_named);
  ADD ("tutorial", test_tutorial);
  ADD ("usage", test_usage);
  ADD ("workspace-cookies", test_workspace_cookies);

#undef ADD

  return ladle_test_run ();
}
