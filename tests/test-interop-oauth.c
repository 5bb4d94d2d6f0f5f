/* test-interop-oauth.c
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

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ladle-test-utils.h"

/* An independent client against `ladle serve`'s OAuth 2.0 / OpenID Connect provider: Debian's
 * python3-requests-oauthlib (over python3-oauthlib) runs client_credentials, password,
 * authorization code with PKCE S256 (the consent page driven with requests, a wrong verifier
 * refused, a denial redirected) and refresh (explicit, automatic on expiry, a spent token
 * refused); python3-jwt checks each id_token's RS256 signature against the provider's JWKS, its
 * issuer, audience and nonce. The device flow, which oauthlib 3.2 lacks, is run with plain
 * requests. The script is tests/data/interop-oauth.py. */

typedef struct
{
  char           *tmpdir;
  char           *uploads;
  LadleTestServe  serve;
} Fixture;

static gboolean
have_peer (void)
{
  const char *argv[] = { ladle_test_get_python (), "-c",
                         "import requests_oauthlib, oauthlib, jwt, cryptography", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (!g_file_test (ladle_test_get_python (), G_FILE_TEST_IS_EXECUTABLE))
    return FALSE;
  return ladle_test_run_command (argv, NULL, &out, &err) == 0;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->tmpdir = ladle_test_make_tmpdir ("ladle-interop-oauth-XXXXXX");
  fixture->uploads = g_build_filename (fixture->tmpdir, "uploads", NULL);
  g_assert_cmpint (g_mkdir (fixture->uploads, 0755), ==, 0);
  ladle_test_serve_start (&fixture->serve, fixture->uploads, NULL, NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  ladle_test_serve_stop (&fixture->serve, SIGTERM);
  ladle_test_rm_rf (fixture->tmpdir);
  g_free (fixture->uploads);
  g_free (fixture->tmpdir);
}

static const char * const python_env[] = { "PYTHONIOENCODING", "utf-8",
                                            "PYTHONDONTWRITEBYTECODE", "1", NULL };

/* Runs the script's @mode; returns what it printed, asserting it succeeded. */
static JsonObject *
run_mode (Fixture    *fixture,
          const char *mode)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "data", "interop-oauth.py", NULL);
  const char *argv[] = { ladle_test_get_python (), script, fixture->serve.url, mode, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  int status;

  status = ladle_test_run_command (argv, python_env, &out, &err);
  if (status != 0)
    g_test_message ("%s: exit status %d\nstdout: %s\nstderr:\n%s", mode, status, out, err);
  g_assert_cmpint (status, ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "mode"), ==, mode);
  g_assert_false (json_object_has_member (object, "failed"));
  return json_object_ref (object);
}

static gboolean
skip_without_peer (void)
{
  if (have_peer ())
    return FALSE;
  g_test_skip ("python3-requests-oauthlib, python3-jwt or python3-cryptography is not installed "
               "(tools/deps.sh test installs them)");
  return TRUE;
}

static void
test_client_credentials (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(JsonObject) result = NULL;
  JsonArray *scope;

  if (skip_without_peer ())
    return;
  result = run_mode (fixture, "client_credentials");
  g_assert_cmpstr (json_object_get_string_member (result, "sub"), ==, "py-client");
  g_assert_cmpstr (json_object_get_string_member (result, "wrong_secret"), ==, "invalid_client");
  scope = json_object_get_array_member (result, "scope");
  g_assert_cmpuint (json_array_get_length (scope), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (scope, 0), ==, "read");
}

static void
test_password (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(JsonObject) result = NULL;

  if (skip_without_peer ())
    return;
  result = run_mode (fixture, "password");
  g_assert_cmpstr (json_object_get_string_member (result, "id_token_sub"), ==, "user");
  g_assert_cmpstr (json_object_get_string_member (result, "name"), ==, "Ladle User");
  g_assert_cmpstr (json_object_get_string_member (result, "wrong_password"), ==, "invalid_grant");
}

static void
test_authorization_code (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(JsonObject) result = NULL;

  if (skip_without_peer ())
    return;
  result = run_mode (fixture, "authorization_code");
  g_assert_cmpstr (json_object_get_string_member (result, "nonce"), ==, "nonce-good");
  g_assert_cmpstr (json_object_get_string_member (result, "email"), ==, "user@example.com");
  g_assert_cmpstr (json_object_get_string_member (result, "mismatch"), ==, "invalid_grant");
  g_assert_cmpstr (json_object_get_string_member (result, "denied"), ==, "access_denied");
}

static void
test_refresh (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(JsonObject) result = NULL;

  if (skip_without_peer ())
    return;
  result = run_mode (fixture, "refresh");
  g_assert_cmpint (json_object_get_int_member (result, "auto_refreshed"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (result, "sub"), ==, "user");
  g_assert_cmpstr (json_object_get_string_member (result, "spent"), ==, "invalid_grant");
}

static void
test_device (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(JsonObject) result = NULL;

  if (skip_without_peer ())
    return;
  result = run_mode (fixture, "device");
  g_assert_cmpstr (json_object_get_string_member (result, "device"), ==, "ok");
}

int
main (int    argc,
      char **argv)
{
  ladle_test_init (&argc, &argv);

  g_test_add ("/interop-oauth/client-credentials", Fixture, NULL, fixture_setup,
              test_client_credentials, fixture_teardown);
  g_test_add ("/interop-oauth/password", Fixture, NULL, fixture_setup, test_password,
              fixture_teardown);
  g_test_add ("/interop-oauth/authorization-code-pkce", Fixture, NULL, fixture_setup,
              test_authorization_code, fixture_teardown);
  g_test_add ("/interop-oauth/refresh", Fixture, NULL, fixture_setup, test_refresh,
              fixture_teardown);
  g_test_add ("/interop-oauth/device", Fixture, NULL, fixture_setup, test_device,
              fixture_teardown);

  return g_test_run ();
}
