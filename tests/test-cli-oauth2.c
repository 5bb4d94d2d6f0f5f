/* test-cli-oauth2.c
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

#include "ladle-server.h"
#include "ladle-test-utils.h"

/* `ladle send --oauth2-…` against Ladle's provider (a LadleServer in this process): the token is
 * fetched, sent as Bearer to /oauth/userinfo, and neither it nor the secret is printed. */

static LadleServer *server;
static char *base;
static char *tmpdir;

static int
send (const char * const *args,
      char              **out,
      char              **err)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;

  g_strv_builder_add_many (builder, g_getenv ("LADLE_BIN"), "send", NULL);
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);
  return ladle_test_run_command ((const char * const *) argv, NULL, out, err);
}

static void
test_client_credentials (void)
{
  g_autofree char *token_url = g_strconcat (base, "/oauth/token", NULL);
  g_autofree char *userinfo = g_strconcat (base, "/oauth/userinfo", NULL);
  const char *args[] = { "--oauth2-grant", "client_credentials", "--oauth2-token-url", token_url,
                         "--oauth2-client-id", "cli", "--oauth2-client-secret", "s3cret-xyz",
                         "--oauth2-client-auth", "body", userinfo, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  /* The provider's secret is "secret": this one is refused, verbatim, and not echoed */
  g_assert_cmpint (send (args, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "“invalid_client”: Client authentication failed"));
  g_assert_null (strstr (err, "s3cret-xyz"));
  g_assert_null (strstr (out, "s3cret-xyz"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  args[7] = "secret";
  g_assert_cmpint (send (args, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "\"sub\": \"cli\""));
  g_assert_cmpstr (err, ==, "");
}

static void
test_password (void)
{
  g_autofree char *token_url = g_strconcat (base, "/oauth/token", NULL);
  g_autofree char *userinfo = g_strconcat (base, "/oauth/userinfo", NULL);
  const char *args[] = { "--oauth2-grant", "password", "--oauth2-token-url", token_url,
                         "--oauth2-client-id", "cli", "--oauth2-user", "user:passwd",
                         "--oauth2-scope", "openid profile", "-v", userinfo, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (send (args, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "\"preferred_username\": \"user\""));
  g_assert_nonnull (strstr (err, "200"));
  g_assert_null (strstr (err, "passwd"));
  g_assert_null (strstr (err, "at-"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  args[7] = "user:wrong";
  g_assert_cmpint (send (args, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "invalid_grant"));
}

static void
test_usage (void)
{
  g_autofree char *userinfo = g_strconcat (base, "/oauth/userinfo", NULL);
  g_autofree char *refused = g_strdup_printf ("http://127.0.0.1:%u/token",
                                              ladle_test_unused_port ());
  const char *bad_grant[] = { "--oauth2-grant", "magic", userinfo, NULL };
  const char *no_url[] = { "--oauth2-grant", "password", "--oauth2-client-id", "c", userinfo,
                           NULL };
  const char *both[] = { "--oauth2-grant", "password", "--bearer", "x", userinfo, NULL };
  const char *down[] = { "--oauth2-grant", "client_credentials", "--oauth2-client-id", "c",
                         "--oauth2-token-url", refused, userinfo, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (send (bad_grant, &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "“magic”"));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (send (no_url, &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "token_url"));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (send (both, &out, &err), ==, 2);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (send (down, &out, &err), ==, 3);
  g_assert_nonnull (strstr (err, "refused"));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  ladle_test_init (&argc, &argv);

  tmpdir = ladle_test_make_tmpdir ("cli-oauth2-XXXXXX");
  server = ladle_server_new ();
  ladle_server_set_port (server, 0);
  ladle_server_set_host (server, "127.0.0.1");
  ladle_server_set_uploads_dir (server, tmpdir);
  g_assert_true (ladle_server_start (server, &error));
  g_assert_no_error (error);
  base = g_strdup_printf ("http://127.0.0.1:%u", ladle_server_get_bound_port (server));

  g_test_add_func ("/cli-oauth2/client-credentials", test_client_credentials);
  g_test_add_func ("/cli-oauth2/password", test_password);
  g_test_add_func ("/cli-oauth2/usage", test_usage);
  ret = g_test_run ();

  ladle_server_stop (server);
  g_clear_object (&server);
  ladle_test_rm_rf (tmpdir);
  g_free (tmpdir);
  g_free (base);
  return ret;
}
