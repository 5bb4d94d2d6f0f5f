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

  /* The endpoints from the discovery document */
  {
    const char *discovered[] = { "--oauth2-grant", "password", "--oauth2-issuer", base,
                                 "--oauth2-client-id", "cli", "--oauth2-user", "user:passwd",
                                 userinfo, NULL };

    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (send (discovered, &out, &err), ==, 0);
    g_assert_nonnull (strstr (out, "\"sub\": \"user\""));
  }

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  args[7] = "user:wrong";
  g_assert_cmpint (send (args, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "invalid_grant"));
}

/* Starts `ladle send ARGS` with no browser to be found, so that it prints the page's address. */
static GSubprocess *
spawn_send (const char * const *args,
            const char         *home)
{
  const char * const env[] = { "XDG_DATA_DIRS", home, "XDG_DATA_HOME", home,
                               "XDG_CONFIG_HOME", home, "XDG_CONFIG_DIRS", home,
                               "DBUS_SESSION_BUS_ADDRESS", NULL, "BROWSER", NULL, NULL };
  g_autoptr(GSubprocessLauncher) launcher =
    ladle_test_new_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, env);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *proc;

  g_strv_builder_add_many (builder, g_getenv ("LADLE_BIN"), "send", NULL);
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  g_assert_no_error (error);
  return proc;
}

/* The stderr line that starts with @prefix, what follows it */
static char *
wait_for_line (GDataInputStream *err,
               const char       *prefix)
{
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *line = ladle_test_read_line (err);

      g_assert_nonnull (line);
      if (g_str_has_prefix (line, prefix))
        return g_strdup (line + strlen (prefix));
    }
  g_assert_not_reached ();
}

static char *
read_all (GInputStream *in)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write (out, "", 1, NULL, NULL);
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

/* The consent page, approved by "the user": the provider's redirect reaches ladle's listener */
static void
approve_page (const char *page_url)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GBytes) page = NULL;
  g_autoptr(GBytes) done = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *action = g_strconcat (base, "/oauth/authorize", NULL);
  GString *form = g_string_new (NULL);
  const char *html;
  guint status;

  page = ladle_test_fetch (session, "GET", page_url, NULL, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  html = g_bytes_get_data (page, NULL);
  for (const char *p = strstr (html, "type=\"hidden\""); p != NULL;
       p = strstr (p + 1, "type=\"hidden\""))
    {
      const char *name = strstr (p, "name=\"") + 6;
      const char *value = strstr (p, "value=\"") + 7;
      g_autofree char *n = g_strndup (name, strchr (name, '"') - name);
      g_autofree char *v = g_strndup (value, strchr (value, '"') - value);

      g_string_append_printf (form, "%s%s=", form->len > 0 ? "&" : "", n);
      g_string_append_uri_escaped (form, v, NULL, TRUE);
    }
  g_string_append (form, "&decision=approve");
  body = g_string_free_to_bytes (form);
  done = ladle_test_fetch (session, "POST", action, "application/x-www-form-urlencoded", body,
                           &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (done, NULL), g_bytes_get_size (done),
                                  "You can close this page"));
}

static void
test_authorization_code (void)
{
  g_autofree char *token_url = g_strconcat (base, "/oauth/token", NULL);
  g_autofree char *auth_url = g_strconcat (base, "/oauth/authorize", NULL);
  g_autofree char *userinfo = g_strconcat (base, "/oauth/userinfo", NULL);
  g_autofree char *home = ladle_test_make_tmpdir ("cli-oauth2-home-XXXXXX");
  const char *args[] = { "--oauth2-grant", "authorization_code", "--oauth2-token-url", token_url,
                         "--oauth2-auth-url", auth_url, "--oauth2-client-id", "cli",
                         "--oauth2-scope", "openid email", userinfo, NULL };
  g_autoptr(GSubprocess) proc = spawn_send (args, home);
  g_autoptr(GDataInputStream) err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (proc));
  g_autofree char *page_url = wait_for_line (err, "Authorize Ladle in your browser: ");
  g_autofree char *out = NULL;

  g_assert_true (g_str_has_prefix (page_url, auth_url));
  g_assert_nonnull (strstr (page_url, "code_challenge_method=S256"));
  approve_page (page_url);
  out = read_all (g_subprocess_get_stdout_pipe (proc));
  g_assert_cmpint (ladle_test_wait_exit (proc), ==, 0);
  g_assert_nonnull (strstr (out, "\"email\": \"user@example.com\""));
  ladle_test_rm_rf (home);
}

static void
test_device_code (void)
{
  g_autofree char *token_url = g_strconcat (base, "/oauth/token", NULL);
  g_autofree char *device_url = g_strconcat (base, "/oauth/device_authorization?interval=1", NULL);
  g_autofree char *userinfo = g_strconcat (base, "/oauth/userinfo", NULL);
  g_autofree char *home = ladle_test_make_tmpdir ("cli-oauth2-home-XXXXXX");
  const char *args[] = { "--oauth2-grant", "device_code", "--oauth2-token-url", token_url,
                         "--oauth2-device-url", device_url, "--oauth2-client-id", "tv",
                         userinfo, NULL };
  g_autoptr(GSubprocess) proc = spawn_send (args, home);
  g_autoptr(GDataInputStream) err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (proc));
  g_autofree char *rest = wait_for_line (err, "To authorize Ladle, open ");
  g_autofree char *out = NULL;
  const char *code = strstr (rest, " and enter the code ");
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *page = g_strconcat (base, "/oauth/device", NULL);
  g_autofree char *form = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) answer = NULL;
  guint status;

  g_assert_nonnull (code);
  g_assert_true (g_str_has_prefix (rest, page));
  form = g_strdup_printf ("user_code=%s&decision=approve", code + strlen (" and enter the code "));
  body = g_bytes_new (form, strlen (form));
  answer = ladle_test_fetch (session, "POST", page, "application/x-www-form-urlencoded", body,
                             &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  out = read_all (g_subprocess_get_stdout_pipe (proc));
  g_assert_cmpint (ladle_test_wait_exit (proc), ==, 0);
  g_assert_nonnull (strstr (out, "\"sub\": \"user\""));
  ladle_test_rm_rf (home);
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
  g_test_add_func ("/cli-oauth2/authorization-code", test_authorization_code);
  g_test_add_func ("/cli-oauth2/device-code", test_device_code);
  g_test_add_func ("/cli-oauth2/usage", test_usage);
  ret = g_test_run ();

  ladle_server_stop (server);
  g_clear_object (&server);
  ladle_test_rm_rf (tmpdir);
  g_free (tmpdir);
  g_free (base);
  return ret;
}
