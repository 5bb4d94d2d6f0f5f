/* test-http-vars.c
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

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>

#include "ladle-error.h"
#include "ladle-http-client.h"
#include "ladle-http-vars.h"
#include "ladle-json.h"
#include "ladle-server.h"
#include "ladle-test-utils.h"

/* One server and one client for the whole run, on 127.0.0.1. */
static LadleServer *server;
static LadleHttpClient *client;
static char *base;

typedef struct
{
  LadleResponse *response;
  GError        *error;
  gboolean       done;
} Sent;

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Sent *sent = user_data;

  sent->response = ladle_http_client_send_finish (LADLE_HTTP_CLIENT (object), result, &sent->error);
  sent->done = TRUE;
}

static LadleResponse *
send (LadleRequest *request)
{
  Sent sent = { 0 };
  g_autoptr(LadleExchange) exchange = NULL;

  exchange = g_object_ref (ladle_http_client_send_async (client, request, NULL, NULL, send_cb,
                                                         &sent));
  LADLE_TEST_WAIT_UNTIL (sent.done, 30000);
  g_assert_no_error (sent.error);
  g_assert_nonnull (sent.response);
  return sent.response;
}

static LadleResponse *
get (const char *path)
{
  g_autoptr(LadleRequest) request = ladle_request_new ();
  g_autofree char *url = g_strconcat (base, path, NULL);

  ladle_request_set_url (request, url);
  return send (request);
}

static LadleHttpEntry *
entry_new (const char *name,
           const char *method,
           const char *url)
{
  LadleHttpEntry *entry = ladle_http_entry_new ();

  g_free (entry->method);
  entry->method = g_strdup (method);
  g_free (entry->url);
  entry->url = g_strdup (url);
  entry->name = g_strdup (name);
  return entry;
}

/* A file of @entries (NULL-terminated) with file variables "NAME=VALUE" from @variables */
static LadleHttpFile *
file_new (const char          *path,
          const char * const  *variables,
          LadleHttpEntry      *first,
          ...)
{
  g_autoptr(GPtrArray) vars = g_ptr_array_new ();
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  va_list args;

  for (guint i = 0; variables != NULL && variables[i] != NULL; i++)
    {
      LadleHttpVariable *variable = g_new0 (LadleHttpVariable, 1);
      const char *eq = strchr (variables[i], '=');

      variable->name = g_strndup (variables[i], eq - variables[i]);
      variable->value = g_strdup (eq + 1);
      g_ptr_array_add (vars, variable);
      g_ptr_array_add (owned, variable->name);
      g_ptr_array_add (owned, variable->value);
      g_ptr_array_add (owned, variable);
    }

  va_start (args, first);
  for (LadleHttpEntry *entry = first; entry != NULL; entry = va_arg (args, LadleHttpEntry *))
    g_ptr_array_add (entries, entry);
  va_end (args);

  return ladle_http_file_new_from_entries (path, vars, entries, NULL);
}

static void
write_file (const char *dir,
            const char *name,
            const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static char *
expand (LadleHttpScope       *scope,
        LadleHttpFile        *file,
        const LadleHttpEntry *entry,
        const char           *text)
{
  g_autoptr(GError) error = NULL;
  char *result = ladle_http_scope_expand (scope, file, entry, text, 1, 1, &error);

  g_assert_no_error (error);
  return result;
}

static void
assert_expand_error (LadleHttpScope       *scope,
                     LadleHttpFile        *file,
                     const LadleHttpEntry *entry,
                     const char           *text,
                     const char           *message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *result = ladle_http_scope_expand (scope, file, entry, text, 1, 1, &error);

  g_assert_null (result);
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  if (strstr (error->message, message) == NULL)
    g_error ("“%s” does not contain “%s”", error->message, message);
}

/* Precedence */

static void
test_precedence (void)
{
  g_autofree char *dir = ladle_test_make_tmpdir ("ladle-vars-XXXXXX");
  g_autoptr(GError) error = NULL;
  g_autoptr(LadleHttpEnvironments) envs = NULL;
  g_autoptr(LadleHttpScope) scope = NULL;
  g_autoptr(LadleHttpFile) file = NULL;
  LadleHttpEntry *entry = entry_new ("req", "GET", "http://h/");
  const char *file_vars[] = { "a=file", "b=file", "c=file", NULL };
  /* a is everywhere; each next letter starts one source lower. */
  static const struct
  {
    const char      *name;
    const char      *value;
    LadleHttpSource  source;
  } expected[] = {
    { "a", "override", LADLE_HTTP_SOURCE_OVERRIDE },
    { "b", "request", LADLE_HTTP_SOURCE_REQUEST },
    { "c", "file", LADLE_HTTP_SOURCE_FILE },
    { "d", "private-dev", LADLE_HTTP_SOURCE_PRIVATE_ENV },
    { "e", "dev", LADLE_HTTP_SOURCE_ENV },
    { "f", "private-shared", LADLE_HTTP_SOURCE_PRIVATE_ENV },
    { "g", "shared", LADLE_HTTP_SOURCE_ENV },
    { "h", "dotenv", LADLE_HTTP_SOURCE_DOTENV },
  };

  write_file (dir, "http-client.private.env.json",
              "{\"dev\": {\"a\": \"private-dev\", \"b\": \"private-dev\", \"c\": \"private-dev\","
              " \"d\": \"private-dev\"},\n"
              " \"$shared\": {\"a\": \"private-shared\", \"e\": \"private-shared\","
              " \"f\": \"private-shared\"}}");
  write_file (dir, "http-client.env.json",
              "{\"dev\": {\"a\": \"dev\", \"d\": \"dev\", \"e\": \"dev\"},\n"
              " \"prod\": {\"g\": \"prod\"},\n"
              " \"$shared\": {\"a\": \"shared\", \"f\": \"shared\", \"g\": \"shared\"}}");
  write_file (dir, ".env", "a=dotenv\ng=dotenv\nh=dotenv\n");

  envs = ladle_http_environments_load (dir, &error);
  g_assert_no_error (error);
  scope = ladle_http_scope_new (envs, "dev");
  ladle_http_scope_set_override (scope, "a", "override");
  ladle_http_entry_add_variable (entry, "a", "request");
  ladle_http_entry_add_variable (entry, "b", "request");
  file = file_new ("/x/t.http", file_vars, entry, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      LadleHttpSource source = LADLE_HTTP_SOURCE_DYNAMIC;
      g_autofree char *value = ladle_http_scope_resolve (scope, file, entry, expected[i].name,
                                                         &source, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (value, ==, expected[i].value);
      g_assert_cmpint (source, ==, expected[i].source);
    }

  /* Without the request, the file's; without an environment, $shared and .env. */
  {
    g_autoptr(LadleHttpScope) none = ladle_http_scope_new (envs, NULL);
    g_autofree char *b = expand (scope, file, NULL, "{{b}}");
    g_autofree char *a = expand (none, NULL, NULL, "{{a}}|{{h}}");

    g_assert_cmpstr (b, ==, "file");
    g_assert_cmpstr (a, ==, "private-shared|dotenv");
  }

  /* The last definition in a region wins; an override removed is gone. */
  ladle_http_entry_add_variable (entry, "b", "request2");
  ladle_http_scope_set_override (scope, "a", NULL);
  {
    g_autofree char *text = expand (scope, file, entry, "{{ a }}-{{b}}");

    g_assert_cmpstr (text, ==, "request-request2");
  }

  ladle_http_entry_unref (entry);
  ladle_test_rm_rf (dir);
}

/* Values are expanded where they were written */
static void
test_nested_values (void)
{
  g_autoptr(LadleHttpEnvironments) envs = NULL;
  g_autoptr(LadleHttpScope) scope = NULL;
  g_autoptr(LadleHttpFile) file = NULL;
  g_autofree char *dir = ladle_test_make_tmpdir ("ladle-vars-XXXXXX");
  g_autoptr(GError) error = NULL;
  LadleHttpEntry *entry = entry_new ("r", "GET", "{{url}}/x");
  LadleHttpEntry *other = entry_new ("o", "GET", "{{url}}");
  const char *file_vars[] = { "url={{scheme}}://{{host}}:{{port}}", "port=8080",
                              "who=file", "greeting=hello {{who}}", NULL };
  g_autofree char *text = NULL;

  write_file (dir, "http-client.env.json",
              "{\"dev\": {\"host\": \"{{sub}}.example.com\", \"sub\": \"api\", \"port\": 1},"
              " \"$shared\": {\"scheme\": \"https\"}}");
  envs = ladle_http_environments_load (dir, &error);
  g_assert_no_error (error);
  scope = ladle_http_scope_new (envs, "dev");
  ladle_http_entry_add_variable (entry, "who", "request");
  file = file_new ("/x/t.http", file_vars, entry, other, NULL);

  /* port: the file's beats the environment's; who: a file variable's value sees the file's. */
  text = expand (scope, file, entry, "{{url}} {{greeting}} {{who}}");
  g_assert_cmpstr (text, ==, "https://api.example.com:8080 hello file request");

  ladle_http_entry_unref (entry);
  ladle_http_entry_unref (other);
  ladle_test_rm_rf (dir);
}

/* Dynamic variables */

static void
test_dynamic (void)
{
  g_autoptr(LadleHttpScope) scope = ladle_http_scope_new (NULL, NULL);
  g_autoptr(GRegex) uuid = g_regex_new ("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                                        "[0-9a-f]{12}$", 0, 0, NULL);
  const char *uuids[] = { "{{$uuid}}", "{{ $random.uuid }}", "{{$guid}}" };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  for (guint i = 0; i < G_N_ELEMENTS (uuids); i++)
    {
      g_autofree char *value = expand (scope, NULL, NULL, uuids[i]);

      g_assert_true (g_regex_match (uuid, value, 0, NULL));
    }
  {
    g_autofree char *two = expand (scope, NULL, NULL, "{{$uuid}} {{$uuid}}");

    g_assert_cmpint (strncmp (two, two + 37, 36), !=, 0);
  }

  {
    g_autofree char *ts = expand (scope, NULL, NULL, "{{$timestamp}}");
    g_autofree char *day = expand (scope, NULL, NULL, "{{$timestamp -1 d}}");
    g_autofree char *hour = expand (scope, NULL, NULL, "{{$timestamp 2 h}}");

    g_assert_cmpint (llabs (g_ascii_strtoll (ts, NULL, 10) - now), <=, 5);
    g_assert_cmpint (llabs (g_ascii_strtoll (day, NULL, 10) - (now - 86400)), <=, 5);
    g_assert_cmpint (llabs (g_ascii_strtoll (hour, NULL, 10) - (now + 7200)), <=, 5);
  }

  {
    g_autofree char *iso = expand (scope, NULL, NULL, "{{$isoTimestamp}}");
    g_autofree char *dt = expand (scope, NULL, NULL, "{{$datetime iso8601 1 d}}");
    g_autofree char *rfc = expand (scope, NULL, NULL, "{{$datetime rfc1123}}");
    g_autofree char *custom = expand (scope, NULL, NULL, "{{$datetime \"YYYY-MM-DD [at] HH\"}}");
    g_autofree char *local = expand (scope, NULL, NULL, "{{$localDatetime iso8601}}");
    g_autoptr(GDateTime) parsed = g_date_time_new_from_iso8601 (iso, NULL);
    g_autoptr(GDateTime) parsed_dt = g_date_time_new_from_iso8601 (dt, NULL);
    g_autoptr(GDateTime) parsed_local = g_date_time_new_from_iso8601 (local, NULL);
    g_autoptr(GRegex) rfc_re = g_regex_new ("^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} "
                                            "[A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT$",
                                            0, 0, NULL);
    g_autoptr(GRegex) custom_re = g_regex_new ("^[0-9]{4}-[0-9]{2}-[0-9]{2} at [0-9]{2}$", 0, 0, NULL);

    g_assert_true (g_str_has_suffix (iso, "Z"));
    g_assert_nonnull (parsed);
    g_assert_cmpint (llabs (g_date_time_to_unix (parsed) - now), <=, 5);
    g_assert_nonnull (parsed_dt);
    g_assert_cmpint (llabs (g_date_time_to_unix (parsed_dt) - (now + 86400)), <=, 5);
    g_assert_nonnull (parsed_local);
    g_assert_cmpint (llabs (g_date_time_to_unix (parsed_local) - now), <=, 5);
    g_assert_true (g_regex_match (rfc_re, rfc, 0, NULL));
    g_assert_true (g_regex_match (custom_re, custom, 0, NULL));
  }

  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *one = expand (scope, NULL, NULL, "{{$randomInt 5 6}}|{{$random.integer(3, 4)}}");
      g_autofree char *any = expand (scope, NULL, NULL, "{{$randomInt}}");
      g_autofree char *alpha = expand (scope, NULL, NULL, "{{$random.alphabetic(8)}}");
      gint64 n = g_ascii_strtoll (any, NULL, 10);

      g_assert_cmpstr (one, ==, "5|3");
      g_assert_cmpint (n, >=, 0);
      g_assert_cmpint (n, <=, 1000);
      g_assert_cmpuint (strlen (alpha), ==, 8);
    }

  assert_expand_error (scope, NULL, NULL, "x {{$nope}}", "1:3: {{$nope}}: $nope is not a dynamic variable");
  assert_expand_error (scope, NULL, NULL, "{{$timestamp 1 parsec}}", "an offset is");
  assert_expand_error (scope, NULL, NULL, "{{$randomInt 9 2}}", "MIN < MAX");
}

static void
test_process_env_and_dotenv (void)
{
  g_autofree char *dir = ladle_test_make_tmpdir ("ladle-vars-XXXXXX");
  g_autoptr(GError) error = NULL;
  g_autoptr(LadleHttpEnvironments) envs = NULL;
  g_autoptr(LadleHttpScope) scope = NULL;
  g_autofree char *text = NULL;

  write_file (dir, "http-client.env.json", "{\"dev\": {\"which\": \"LADLE_TEST_SECRET\"}}");
  write_file (dir, ".env",
              "# comment\n"
              "export TOKEN = abc # trailing comment\n"
              "QUOTED=\"line\\none\"\n"
              "SINGLE='a\\nb # not a comment'\n"
              "EMPTY=\n"
              "URL=http://h/#frag\n");
  envs = ladle_http_environments_load (dir, &error);
  g_assert_no_error (error);
  scope = ladle_http_scope_new (envs, "dev");
  g_setenv ("LADLE_TEST_SECRET", "s3cret", TRUE);

  text = expand (scope, NULL, NULL,
                 "{{$processEnv LADLE_TEST_SECRET}}|{{$processEnv %which}}|{{$dotenv TOKEN}}|"
                 "{{$dotenv QUOTED}}|{{$dotenv SINGLE}}|{{EMPTY}}|{{URL}}");
  g_assert_cmpstr (text, ==, "s3cret|s3cret|abc|line\none|a\\nb # not a comment||http://h/#frag");

  assert_expand_error (scope, NULL, NULL, "{{$processEnv LADLE_TEST_UNSET_VARIABLE}}",
                       "LADLE_TEST_UNSET_VARIABLE is not set");
  assert_expand_error (scope, NULL, NULL, "{{$dotenv NOPE}}", "NOPE is not in the .env file");
  g_unsetenv ("LADLE_TEST_SECRET");
  ladle_test_rm_rf (dir);
}

/* Environment files */

static void
test_env_files (void)
{
  g_autofree char *dir = ladle_test_make_tmpdir ("ladle-vars-XXXXXX");
  g_autofree char *env_path = g_build_filename (dir, "http-client.env.json", NULL);
  g_autofree char *dotenv_path = g_build_filename (dir, ".env", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LadleHttpEnvironments) envs = NULL;
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) vars = NULL;
  LadleHttpSource source;

  /* Nothing there: empty, no error. */
  envs = ladle_http_environments_load (dir, &error);
  g_assert_no_error (error);
  names = ladle_http_environments_dup_names (envs);
  g_assert_cmpuint (g_strv_length (names), ==, 0);
  g_clear_pointer (&envs, ladle_http_environments_unref);
  g_clear_pointer (&names, g_strfreev);

  write_file (dir, "http-client.env.json",
              "{\n  \"prod\": {\"n\": 5, \"t\": true, \"z\": null, \"o\": {\"k\": [1, \"x\"]}},\n"
              "  \"dev\": {\"s\": \"text\"},\n  \"$shared\": {\"common\": \"c\"}\n}\n");
  write_file (dir, "http-client.private.env.json", "{\"local\": {\"p\": \"secret\"}}");
  envs = ladle_http_environments_load (dir, &error);
  g_assert_no_error (error);
  names = ladle_http_environments_dup_names (envs);
  g_assert_cmpstrv (names, ((const char *[]) { "dev", "local", "prod", NULL }));
  g_assert_true (ladle_http_environments_has (envs, "local"));
  g_assert_false (ladle_http_environments_has (envs, "staging"));
  g_assert_cmpstr (ladle_http_environments_lookup (envs, "prod", "n", NULL), ==, "5");
  g_assert_cmpstr (ladle_http_environments_lookup (envs, "prod", "t", NULL), ==, "true");
  g_assert_cmpstr (ladle_http_environments_lookup (envs, "prod", "z", NULL), ==, "null");
  g_assert_cmpstr (ladle_http_environments_lookup (envs, "prod", "o", NULL), ==, "{\"k\":[1,\"x\"]}");
  g_assert_cmpstr (ladle_http_environments_lookup (envs, "prod", "common", &source), ==, "c");
  g_assert_cmpint (source, ==, LADLE_HTTP_SOURCE_ENV);
  g_assert_cmpstr (ladle_http_environments_lookup (envs, "local", "p", &source), ==, "secret");
  g_assert_cmpint (source, ==, LADLE_HTTP_SOURCE_PRIVATE_ENV);
  g_assert_null (ladle_http_environments_lookup (envs, "dev", "n", NULL));
  vars = ladle_http_environments_dup_variables (envs, "prod");
  g_assert_cmpstrv (vars, ((const char *[]) { "common", "n", "o", "t", "z", NULL }));
  g_clear_pointer (&envs, ladle_http_environments_unref);

  /* A damaged file: its path and the place. */
  write_file (dir, "http-client.env.json", "{\n  \"dev\": {\"a\": \"b\",}\n}");
  envs = ladle_http_environments_load (dir, &error);
  g_assert_null (envs);
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, env_path));
  g_assert_true (g_str_has_prefix (error->message + strlen (env_path), ":2:"));
  g_clear_error (&error);

  /* An environment that is not an object. */
  write_file (dir, "http-client.env.json", "{\n  \"dev\": {},\n  \"prod\": \"x\"\n}");
  envs = ladle_http_environments_load (dir, &error);
  g_assert_null (envs);
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, env_path));
  g_assert_nonnull (strstr (error->message, ":3:3: the environment “prod” is not an object"));
  g_clear_error (&error);

  write_file (dir, "http-client.env.json", "[1, 2]");
  envs = ladle_http_environments_load (dir, &error);
  g_assert_null (envs);
  g_assert_nonnull (strstr (error->message, "must be a JSON object"));
  g_clear_error (&error);

  /* Deep nesting is refused, not a crash. */
  {
    GString *deep = g_string_new ("{\"dev\": {\"a\": ");

    for (guint i = 0; i < 100000; i++)
      g_string_append_c (deep, '[');
    write_file (dir, "http-client.env.json", deep->str);
    g_string_free (deep, TRUE);
    envs = ladle_http_environments_load (dir, &error);
    g_assert_null (envs);
    g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
    g_clear_error (&error);
  }

  /* A damaged .env */
  write_file (dir, "http-client.env.json", "{}");
  write_file (dir, ".env", "A=1\n\nthis line has no equals sign\n");
  envs = ladle_http_environments_load (dir, &error);
  g_assert_null (envs);
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, dotenv_path));
  g_assert_nonnull (strstr (error->message, ":3:1: expected NAME=value"));
  g_clear_error (&error);

  write_file (dir, ".env", "A=\"never closed\n");
  envs = ladle_http_environments_load (dir, &error);
  g_assert_null (envs);
  g_assert_nonnull (strstr (error->message, ":1:3: the quoted value of A is not closed"));
  g_clear_error (&error);

  ladle_test_rm_rf (dir);
}

static void
test_find_folder (void)
{
  g_autofree char *dir = ladle_test_make_tmpdir ("ladle-vars-XXXXXX");
  g_autofree char *deep = g_build_filename (dir, "a", "b", NULL);
  g_autofree char *http = g_build_filename (deep, "t.http", NULL);
  g_autofree char *a = g_build_filename (dir, "a", NULL);
  char *found;

  g_assert_cmpint (g_mkdir_with_parents (deep, 0700), ==, 0);
  found = ladle_http_environments_find_folder (http, dir);
  g_assert_cmpstr (found, ==, deep);
  g_free (found);

  write_file (dir, "http-client.env.json", "{}");
  found = ladle_http_environments_find_folder (http, dir);
  g_assert_cmpstr (found, ==, dir);
  g_free (found);

  /* Not above the root. */
  found = ladle_http_environments_find_folder (http, a);
  g_assert_cmpstr (found, ==, deep);
  g_free (found);

  write_file (a, ".env", "X=1\n");
  found = ladle_http_environments_find_folder (http, NULL);
  g_assert_cmpstr (found, ==, a);
  g_free (found);

  ladle_test_rm_rf (dir);
}

/* Chaining */

static void
test_chaining (void)
{
  LadleHttpEntry *login = entry_new ("login", "GET", "{{base}}/json");
  LadleHttpEntry *hdrs = entry_new ("hdrs", "GET", "{{base}}/response-headers?X-Id=7");
  LadleHttpEntry *use = entry_new ("use", "GET", "{{base}}/anything");
  LadleHttpEntry *never = entry_new ("never", "GET", "{{base}}/anything");
  g_autoptr(LadleHttpFile) file = file_new ("/x/chain.http", NULL, login, hdrs, use, never, NULL);
  g_autoptr(LadleHttpScope) scope = ladle_http_scope_new (NULL, NULL);
  g_autoptr(LadleResponse) login_response = get ("/json");
  g_autoptr(LadleResponse) hdrs_response = get ("/response-headers?X-Id=7");
  g_autofree char *text = NULL;
  LadleHttpSource source;
  g_autoptr(GError) error = NULL;

  assert_expand_error (scope, file, use, "{{login.slideshow.author}}",
                       "{{login.slideshow.author}}: the request “login” has not run");

  ladle_http_scope_set_response (scope, file, "login", login_response);
  ladle_http_scope_set_response (scope, file, "hdrs", hdrs_response);
  g_assert_true (ladle_http_scope_get_response (scope, file, "login") == login_response);

  text = expand (scope, file, use,
                 "{{login.slideshow.author}}|{{login.slideshow.slides[1].items[0]}}|"
                 "{{login.slideshow[\"title\"]}}|{{login.slideshow.slides.length}}|"
                 "{{login.response.body.$.slideshow.slides[0].title}}|"
                 "{{login.response.headers.CONTENT-type}}|{{hdrs.response.headers.x-id}}|"
                 "{{hdrs.X-Id}}");
  g_assert_cmpstr (text, ==,
                   "Yours Truly|Why <em>WonderWidgets</em> are great|Sample Slide Show|2|"
                   "Wake up to WonderWidgets!|application/json|7|7");
  g_clear_pointer (&text, g_free);

  /* Objects as compact JSON, the whole body as it is. */
  text = expand (scope, file, use, "{{login.slideshow.slides[0]}}");
  g_assert_cmpstr (text, ==, "{\"title\":\"Wake up to WonderWidgets!\",\"type\":\"all\"}");
  g_clear_pointer (&text, g_free);
  text = expand (scope, file, use, "{{login.response.body.*}}");
  g_assert_true (g_str_has_prefix (text, "{\n  \"slideshow\": {\n"));
  g_clear_pointer (&text, g_free);

  text = ladle_http_scope_resolve (scope, file, use, "login.slideshow.title", &source, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "Sample Slide Show");
  g_assert_cmpint (source, ==, LADLE_HTTP_SOURCE_RESPONSE);
  g_clear_pointer (&text, g_free);

  assert_expand_error (scope, file, use, "{{login.slideshow.nothing}}",
                       "{{login.slideshow.nothing}}: the response body of “login” has no "
                       "slideshow.nothing");
  assert_expand_error (scope, file, use, "{{login.response.body.$.nope}}", "has nothing at $.nope");
  assert_expand_error (scope, file, use, "{{hdrs.response.headers.X-None}}", "has no X-None header");
  assert_expand_error (scope, file, use, "{{never.id}}", "the request “never” has not run");
  /* Not an entry: just undefined. */
  assert_expand_error (scope, file, use, "{{stranger.id}}", "{{stranger.id}} is not defined");

  /* A variable of that full name wins over the response. */
  ladle_http_scope_set_override (scope, "login.slideshow.author", "me");
  text = expand (scope, file, use, "{{login.slideshow.author}}");
  g_assert_cmpstr (text, ==, "me");
  g_clear_pointer (&text, g_free);

  /* A body kept in a file rather than in memory. */
  {
    g_autoptr(LadleResponse) spilled = NULL;

    ladle_http_client_set_memory_limit (client, 16);
    spilled = get ("/json");
    ladle_http_client_set_memory_limit (client, LADLE_HTTP_CLIENT_DEFAULT_MEMORY_LIMIT);
    g_assert_null (ladle_response_get_body_bytes (spilled));
    g_assert_nonnull (ladle_response_get_body_file (spilled));
    ladle_http_scope_set_response (scope, file, "never", spilled);
    text = expand (scope, file, use, "{{never.slideshow.date}}");
    g_assert_cmpstr (text, ==, "date of publication");
    g_clear_pointer (&text, g_free);
  }

  ladle_http_entry_unref (login);
  ladle_http_entry_unref (hdrs);
  ladle_http_entry_unref (use);
  ladle_http_entry_unref (never);
}

static void
test_dependencies (void)
{
  LadleHttpEntry *a = entry_new ("a", "GET", "http://h/");
  LadleHttpEntry *b = entry_new ("b", "GET", "http://h/");
  LadleHttpEntry *c = entry_new ("c", "GET", "http://h/");
  LadleHttpEntry *d = entry_new ("d", "GET", "http://h/");
  LadleHttpEntry *skip = entry_new ("skip", "GET", "http://h/");
  LadleHttpEntry *target = entry_new ("target", "POST", "http://h/{{a.id}}/{{viafile}}/{{skip.id}}");
  const char *file_vars[] = { "viafile={{d.token}}", "skip.id=1", NULL };
  g_autoptr(LadleHttpFile) file = NULL;
  g_autoptr(LadleHttpScope) scope = ladle_http_scope_new (NULL, NULL);
  g_auto(GStrv) deps = NULL;

  ladle_http_entry_add_header (target, "X-A", "{{c.response.headers.X}} {{a.again}}");
  ladle_http_entry_add_body_part (target, LADLE_HTTP_PART_TEXT, "{{b.response.body.$.x}} {{$uuid}}");
  ladle_http_entry_add_variable (target, "v", "{{c.other}} {{undefined}}");
  file = file_new ("/x/deps.http", file_vars, a, b, c, d, skip, target, NULL);

  deps = ladle_http_scope_dup_dependencies (scope, file, target);
  g_assert_cmpstrv (deps, ((const char *[]) { "a", "d", "c", "b", NULL }));

  ladle_http_entry_unref (a);
  ladle_http_entry_unref (b);
  ladle_http_entry_unref (c);
  ladle_http_entry_unref (d);
  ladle_http_entry_unref (skip);
  ladle_http_entry_unref (target);
}

/* Errors */

static void
test_unresolved (void)
{
  g_autoptr(LadleHttpScope) scope = ladle_http_scope_new (NULL, NULL);
  g_autoptr(LadleHttpFile) file = file_new ("/x/e.http", NULL, NULL);
  g_autoptr(GError) error = NULL;
  char *result;

  result = ladle_http_scope_expand (scope, file, NULL, "first line\nжж {{ nope }}", 5, 3, &error);
  g_assert_null (result);
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, "/x/e.http:6:4: {{nope}} is not defined");
  g_clear_error (&error);

  result = ladle_http_scope_expand (scope, file, NULL, "ab{{x", 2, 7, &error);
  g_assert_null (result);
  g_assert_cmpstr (error->message, ==, "/x/e.http:2:9: “{{” is not closed");
  g_clear_error (&error);

  result = ladle_http_scope_expand (scope, file, NULL, "{{a b}}", 1, 1, &error);
  g_assert_null (result);
  g_assert_cmpstr (error->message, ==, "/x/e.http:1:1: “{{a b}}” is not a variable name");
  g_clear_error (&error);

  result = ladle_http_scope_expand (scope, file, NULL, "{{}}", 1, 1, &error);
  g_assert_null (result);
  g_clear_error (&error);

  /* Braces alone are text. */
  result = ladle_http_scope_expand (scope, file, NULL, "{\"a\": {\"b\": {}}} }} {", 1, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result, ==, "{\"a\": {\"b\": {}}} }} {");
  g_free (result);
}

static void
test_cycles (void)
{
  LadleHttpEntry *entry = entry_new ("r", "GET", "http://h/");
  const char *file_vars[] = { "a={{b}}", "b=x{{a}}", "self={{self}}", "ok=fine",
                              "outer={{missing}}", NULL };
  g_autoptr(LadleHttpFile) file = NULL;
  g_autoptr(LadleHttpScope) scope = ladle_http_scope_new (NULL, NULL);
  g_autoptr(GPtrArray) chain = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  gint64 start;

  file = file_new ("/x/c.http", file_vars, entry, NULL);
  assert_expand_error (scope, file, entry, "{{ok}} {{a}}", "1:8: {{a}} refers to itself (a → b → a)");
  assert_expand_error (scope, file, entry, "{{self}}", "{{self}} refers to itself (self → self)");
  assert_expand_error (scope, file, entry, "{{outer}}", "{{missing}} is not defined (in {{outer}})");

  value = ladle_http_scope_resolve (scope, file, entry, "a", NULL, &error);
  g_assert_null (value);
  g_assert_nonnull (strstr (error->message, "refers to itself"));
  g_clear_error (&error);

  /* Each variable uses the next twice: linear, then stopped by size, never 2^40 steps. */
  for (guint i = 0; i < 24; i++)
    g_ptr_array_add (chain, g_strdup_printf ("v%u={{v%u}}{{v%u}}", i, i + 1, i + 1));
  g_ptr_array_add (chain, g_strdup ("v24=0123456789abcdef"));
  for (guint i = 0; i < 40; i++)
    g_ptr_array_add (chain, g_strdup_printf ("w%u={{w%u}}", i, i + 1));
  g_ptr_array_add (chain, g_strdup ("w40=end"));
  g_ptr_array_add (chain, NULL);
  {
    g_autoptr(LadleHttpFile) big = file_new ("/x/big.http", (const char * const *) chain->pdata,
                                             NULL);

    start = g_get_monotonic_time ();
    value = ladle_http_scope_expand (scope, big, NULL, "{{v0}}", 1, 1, &error);
    g_assert_null (value);
    g_assert_error (error, LADLE_ERROR, LADLE_ERROR_TOO_LARGE);
    g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
    g_clear_error (&error);

    value = ladle_http_scope_expand (scope, big, NULL, "{{v4}}", 1, 1, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (strlen (value), ==, 16 << 20);
    g_clear_pointer (&value, g_free);

    /* Nesting is bounded too. */
    value = ladle_http_scope_expand (scope, big, NULL, "{{w0}}", 1, 1, &error);
    g_assert_null (value);
    g_assert_nonnull (strstr (error->message, "nest more than 32 levels"));
    g_clear_error (&error);
    value = ladle_http_scope_expand (scope, big, NULL, "{{w10}}", 1, 1, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (value, ==, "end");
    g_clear_pointer (&value, g_free);
  }

  ladle_http_entry_unref (entry);
}

static void
test_many_braces (void)
{
  g_autoptr(LadleHttpScope) scope = ladle_http_scope_new (NULL, NULL);
  GString *text = g_string_new (NULL);
  g_autofree char *result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) spans = NULL;

  ladle_http_scope_set_override (scope, "a", "b");
  for (guint i = 0; i < 100000; i++)
    g_string_append (text, "{{a}}");
  result = ladle_http_scope_expand (scope, NULL, NULL, text->str, 1, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (result), ==, 100000);
  spans = ladle_http_find_variables (text->str, text->len);
  g_assert_cmpuint (spans->len, ==, 100000);
  g_assert_cmpstr (g_array_index (spans, LadleHttpVarSpan, 99999).name, ==, "a");
  g_assert_cmpuint (g_array_index (spans, LadleHttpVarSpan, 1).start, ==, 5);
  g_assert_cmpuint (g_array_index (spans, LadleHttpVarSpan, 1).end, ==, 10);
  g_clear_pointer (&spans, g_array_unref);

  g_string_truncate (text, 0);
  for (guint i = 0; i < 100000; i++)
    g_string_append (text, "{{");
  g_clear_pointer (&result, g_free);
  result = ladle_http_scope_expand (scope, NULL, NULL, text->str, 1, 1, &error);
  g_assert_null (result);
  g_assert_cmpstr (error->message, ==, "-:1:1: “{{” is not closed");
  spans = ladle_http_find_variables (text->str, -1);
  g_assert_cmpuint (spans->len, ==, 0);
  g_clear_pointer (&spans, g_array_unref);

  g_string_append (text, "}}");
  g_clear_error (&error);
  result = ladle_http_scope_expand (scope, NULL, NULL, text->str, 1, 1, &error);
  g_assert_null (result);
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  spans = ladle_http_find_variables (text->str, -1);
  g_assert_cmpuint (spans->len, ==, 1);

  /* No timing assert (speed is measured in bench/, and a sanitizer build on a loaded machine
   * is slow): a scan that went back over the text for each of these 100000 "{{" would take
   * some 10^10 steps, which the test's own time limit catches. */
  g_string_free (text, TRUE);
}

/* Building requests */

static const char *
header_value (LadleRequest *request,
              guint         index,
              const char   *name)
{
  g_autoptr(LadleKeyValue) kv = g_list_model_get_item (G_LIST_MODEL (ladle_request_get_headers (request)),
                                                       index);

  g_assert_nonnull (kv);
  g_assert_cmpstr (ladle_key_value_get_name (kv), ==, name);
  return g_intern_string (ladle_key_value_get_value (kv));
}

static void
test_build_request (void)
{
  g_autofree char *dir = ladle_test_make_tmpdir ("ladle-vars-XXXXXX");
  g_autofree char *http_path = g_build_filename (dir, "api.http", NULL);
  g_autofree char *data_path = g_build_filename (dir, "data", "payload.bin", NULL);
  g_autofree char *data_dir = g_build_filename (dir, "data", NULL);
  LadleHttpEntry *entry = entry_new ("post", "POST", "{{base}}/anything/{{id}}");
  const char *file_vars[] = { "id=42", NULL };
  g_autoptr(LadleHttpFile) file = NULL;
  g_autoptr(LadleHttpScope) scope = ladle_http_scope_new (NULL, NULL);
  g_autoptr(LadleRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *form;
  g_autofree char *url = g_strconcat (base, "/anything/42", NULL);

  g_assert_cmpint (g_mkdir_with_parents (data_dir, 0700), ==, 0);
  write_file (data_dir, "payload.bin", "FILE-BYTES {{id}}");
  write_file (dir, "template.txt", "expanded {{id}}");

  ladle_http_scope_set_override (scope, "base", base);
  ladle_http_entry_add_header (entry, "X-Dup", "1");
  ladle_http_entry_add_header (entry, "X-Dup", "{{id}}");
  ladle_http_entry_add_header (entry, "Authorization", "Basic user:pa ss");
  ladle_http_entry_add_header (entry, "X-Auth-2", "x");
  ladle_http_entry_add_body_part (entry, LADLE_HTTP_PART_TEXT, "head {{id}}\n");
  ladle_http_entry_add_body_part (entry, LADLE_HTTP_PART_FILE, "./data/payload.bin");
  ladle_http_entry_add_body_part (entry, LADLE_HTTP_PART_FILE_EXPAND, "template.txt");
  ladle_http_entry_add_directive (entry, "no-redirect", NULL);
  ladle_http_entry_add_directive (entry, "no-cookie-jar", NULL);
  ladle_http_entry_add_directive (entry, "insecure", NULL);
  ladle_http_entry_add_directive (entry, "timeout", "500 ms");
  ladle_http_entry_add_directive (entry, "connection-timeout", "2 m");
  ladle_http_entry_add_directive (entry, "total-timeout", "7");
  file = file_new (http_path, file_vars, entry, NULL);

  request = ladle_http_scope_build_request (scope, file, entry, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ladle_request_get_method (request), ==, "POST");
  g_assert_cmpstr (ladle_request_get_url (request), ==, url);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ladle_request_get_params (request))), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ladle_request_get_headers (request))), ==, 4);
  g_assert_cmpstr (header_value (request, 0, "X-Dup"), ==, "1");
  g_assert_cmpstr (header_value (request, 1, "X-Dup"), ==, "42");
  /* "user:pa ss": with a colon, the password keeps its blank. */
  g_assert_cmpstr (header_value (request, 2, "Authorization"), ==, "Basic dXNlcjpwYSBzcw==");
  g_assert_false (ladle_request_get_follow_redirects (request));
  g_assert_false (ladle_request_get_use_cookies (request));
  g_assert_false (ladle_request_get_verify_tls (request));
  g_assert_cmpfloat_with_epsilon (ladle_request_get_idle_timeout (request), 0.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (ladle_request_get_connect_timeout (request), 120, 1e-9);
  g_assert_cmpfloat_with_epsilon (ladle_request_get_total_timeout (request), 7, 1e-9);
  g_assert_cmpint (ladle_request_get_body_kind (request), ==, LADLE_BODY_PARTS);
  g_assert_cmpstr (ladle_request_get_body_content_type (request), ==, "");

  form = G_LIST_MODEL (ladle_request_get_form (request));
  g_assert_cmpuint (g_list_model_get_n_items (form), ==, 3);
  {
    g_autoptr(LadleKeyValue) text = g_list_model_get_item (form, 0);
    g_autoptr(LadleKeyValue) bin = g_list_model_get_item (form, 1);
    g_autoptr(LadleKeyValue) expanded = g_list_model_get_item (form, 2);

    g_assert_false (ladle_key_value_get_is_file (text));
    g_assert_cmpstr (ladle_key_value_get_value (text), ==, "head 42\n");
    g_assert_true (ladle_key_value_get_is_file (bin));
    g_assert_cmpstr (ladle_key_value_get_value (bin), ==, data_path);
    g_assert_false (ladle_key_value_get_is_file (expanded));
    g_assert_cmpstr (ladle_key_value_get_value (expanded), ==, "expanded 42");
  }

  /* Sent: the server sees the parts in order, the file's bytes as they are. */
  {
    g_autoptr(LadleResponse) response = NULL;
    g_autoptr(JsonNode) echo = NULL;
    GBytes *bytes;
    JsonObject *object;
    JsonObject *headers;

    ladle_request_set_follow_redirects (request, TRUE);
    response = send (request);
    g_assert_cmpuint (ladle_response_get_status (response), ==, 200);
    bytes = ladle_response_get_body_bytes (response);
    echo = ladle_json_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL);
    g_assert_nonnull (echo);
    object = json_node_get_object (echo);
    g_assert_cmpstr (json_object_get_string_member (object, "data"), ==,
                     "head 42\nFILE-BYTES {{id}}expanded 42");
    headers = json_object_get_object_member (object, "headers");
    g_assert_cmpstr (json_object_get_string_member (headers, "Authorization"), ==,
                     "Basic dXNlcjpwYSBzcw==");
    g_assert_false (json_object_has_member (headers, "Content-Type"));
  }

  ladle_http_entry_unref (entry);
  ladle_test_rm_rf (dir);
}

static void
test_build_basic_forms (void)
{
  static const struct
  {
    const char *written;
    const char *sent;
  } cases[] = {
    { "Basic user:password", "Basic dXNlcjpwYXNzd29yZA==" },
    { "Basic user password", "Basic dXNlcjpwYXNzd29yZA==" },
    { "basic {{user}} {{password}}", "Basic dXNlcjpwYXNzd29yZA==" },
    { "Basic dXNlcjpwYXNzd29yZA==", "Basic dXNlcjpwYXNzd29yZA==" },
    { "Digest username=\"u\", response=\"x\"", "Digest username=\"u\", response=\"x\"" },
    { "Bearer token", "Bearer token" },
  };
  g_autoptr(LadleHttpScope) scope = ladle_http_scope_new (NULL, NULL);

  ladle_http_scope_set_override (scope, "user", "user");
  ladle_http_scope_set_override (scope, "password", "password");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      LadleHttpEntry *entry = entry_new (NULL, "GET", "http://127.0.0.1/");
      g_autoptr(LadleHttpFile) file = NULL;
      g_autoptr(LadleRequest) request = NULL;
      g_autoptr(GError) error = NULL;

      ladle_http_entry_add_header (entry, "Authorization", cases[i].written);
      file = file_new ("/x/auth.http", NULL, entry, NULL);
      request = ladle_http_scope_build_request (scope, file, entry, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (header_value (request, 0, "Authorization"), ==, cases[i].sent);
      g_assert_cmpint (ladle_request_get_body_kind (request), ==, LADLE_BODY_NONE);
      ladle_http_entry_unref (entry);
    }
}

/* JetBrains' and httpyac's `Authorization: Digest user password` (and httpyac's user:password)
 * is Digest auth, not a header; written back from the request, it reads back the same. */
static void
test_build_digest (void)
{
  static const struct
  {
    const char *written;
    const char *user;
    const char *password;
  } cases[] = {
    { "Digest user password", "user", "password" },
    { "digest  {{user}}   pass word", "user", "pass word" },
    { "Digest user:pa:ss word", "user", "pa:ss word" },
    { "Digest user pa:ss", "user", "pa:ss" },
    { "Digest :", "", "" },
  };
  g_autoptr(LadleHttpScope) scope = ladle_http_scope_new (NULL, NULL);

  ladle_http_scope_set_override (scope, "user", "user");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      LadleHttpEntry *entry = entry_new (NULL, "GET", "http://127.0.0.1/");
      g_autoptr(LadleHttpFile) file = NULL;
      g_autoptr(LadleRequest) request = NULL;
      g_autoptr(LadleRequest) back = NULL;
      g_autoptr(LadleHttpEntry) written = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", cases[i].written);
      ladle_http_entry_add_header (entry, "Authorization", cases[i].written);
      file = file_new ("/x/auth.http", NULL, entry, NULL);
      request = ladle_http_scope_build_request (scope, file, entry, &error);
      g_assert_no_error (error);
      g_assert_cmpint (ladle_request_get_auth_kind (request), ==, LADLE_AUTH_DIGEST);
      g_assert_cmpstr (ladle_request_get_auth_username (request), ==, cases[i].user);
      g_assert_cmpstr (ladle_request_get_auth_password (request), ==, cases[i].password);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ladle_request_get_headers (request))),
                        ==, 0);

      /* Written from the request, read back */
      written = ladle_http_entry_new_from_request (request, NULL);
      g_clear_pointer (&file, ladle_http_file_unref);
      file = file_new ("/x/auth.http", NULL, written, NULL);
      back = ladle_http_scope_build_request (scope, file, written, &error);
      g_assert_no_error (error);
      g_assert_cmpint (ladle_request_get_auth_kind (back), ==, LADLE_AUTH_DIGEST);
      g_assert_cmpstr (ladle_request_get_auth_username (back), ==, cases[i].user);
      g_assert_cmpstr (ladle_request_get_auth_password (back), ==, cases[i].password);
      ladle_http_entry_unref (entry);
    }
}

static void
test_build_errors (void)
{
  g_autofree char *dir = ladle_test_make_tmpdir ("ladle-vars-XXXXXX");
  g_autofree char *http_path = g_build_filename (dir, "api.http", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.json", NULL);
  g_autoptr(LadleHttpScope) scope = ladle_http_scope_new (NULL, NULL);
  static const char * const bad_timeouts[] = { "soon", "-1", "5 h", "1e999", "", "0x10" };
  static const char * const good_timeouts[] = { "5", "5s", "5 s", "5000 ms", "0.5 m", "{{t}}" };

  ladle_http_scope_set_override (scope, "t", "5");

  /* A missing `< file`, at its line. */
  {
    LadleHttpEntry *entry = entry_new ("up", "POST", "http://127.0.0.1/");
    g_autoptr(LadleHttpFile) file = NULL;
    g_autoptr(LadleRequest) request = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *expected = NULL;
    LadleHttpBodyPart *part;

    ladle_http_entry_add_body_part (entry, LADLE_HTTP_PART_FILE, "./missing.json");
    file = file_new (http_path, NULL, entry, NULL);
    part = g_ptr_array_index (entry->body, 0);
    part->line = 5;   /* "### up", "# @name up", "POST …", "", "< ./missing.json" */
    request = ladle_http_scope_build_request (scope, file, entry, &error);
    g_assert_null (request);
    g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
    expected = g_strdup_printf ("%s:5:3: cannot read the body file “%s”: ", http_path, missing);
    g_assert_true (g_str_has_prefix (error->message, expected));
    ladle_http_entry_unref (entry);
  }

  /* An undefined variable in the URL: the URL's place. */
  {
    LadleHttpEntry *entry = entry_new ("u", "GET", "http://127.0.0.1/{{nope}}");
    g_autoptr(LadleHttpFile) file = NULL;
    g_autoptr(LadleRequest) request = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *expected = NULL;

    file = file_new (http_path, NULL, entry, NULL);
    entry->request_line = 3;
    request = ladle_http_scope_build_request (scope, file, entry, &error);
    g_assert_null (request);
    expected = g_strdup_printf ("%s:3:22: {{nope}} is not defined", http_path);
    g_assert_cmpstr (error->message, ==, expected);
    ladle_http_entry_unref (entry);
  }

  for (guint i = 0; i < G_N_ELEMENTS (bad_timeouts) + G_N_ELEMENTS (good_timeouts); i++)
    {
      gboolean good = i >= G_N_ELEMENTS (bad_timeouts);
      const char *value = good ? good_timeouts[i - G_N_ELEMENTS (bad_timeouts)] : bad_timeouts[i];
      LadleHttpEntry *entry = entry_new ("t", "GET", "http://127.0.0.1/");
      g_autoptr(LadleHttpFile) file = NULL;
      g_autoptr(LadleRequest) request = NULL;
      g_autoptr(GError) error = NULL;
      LadleHttpDirective *directive;

      ladle_http_entry_add_directive (entry, "timeout", value);
      file = file_new (http_path, NULL, entry, NULL);
      directive = g_ptr_array_index (entry->directives, 0);
      directive->line = 3;
      request = ladle_http_scope_build_request (scope, file, entry, &error);
      if (good)
        {
          g_assert_no_error (error);
          g_assert_cmpfloat_with_epsilon (ladle_request_get_idle_timeout (request),
                                          strstr (value, "m") != NULL && strstr (value, "ms") == NULL
                                            ? 30 : 5, 1e-9);
        }
      else
        {
          g_autofree char *prefix = g_strdup_printf ("%s:3:", http_path);

          g_assert_null (request);
          g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
          g_assert_true (g_str_has_prefix (error->message, prefix));
          g_assert_nonnull (strstr (error->message, "@timeout wants a duration"));
        }
      ladle_http_entry_unref (entry);
    }

  /* @max-redirects: a count, variables expanded; a bad one names its place */
  {
    static const char * const values[] = { "5", " 0 ", "{{t}}", "many", "-1", "1.5", "", "99999999999" };

    for (guint i = 0; i < G_N_ELEMENTS (values); i++)
      {
        LadleHttpEntry *entry = entry_new ("r", "GET", "http://127.0.0.1/");
        g_autoptr(LadleHttpFile) file = NULL;
        g_autoptr(LadleRequest) request = NULL;
        g_autoptr(GError) error = NULL;
        LadleHttpDirective *directive;

        ladle_http_entry_add_directive (entry, "max-redirects", values[i]);
        file = file_new (http_path, NULL, entry, NULL);
        directive = g_ptr_array_index (entry->directives, 0);
        directive->line = 2;
        request = ladle_http_scope_build_request (scope, file, entry, &error);
        if (i < 3)
          {
            g_assert_no_error (error);
            g_assert_cmpuint (ladle_request_get_max_redirects (request), ==,
                              i == 0 || i == 2 ? 5 : 0);
          }
        else
          {
            g_autofree char *prefix = g_strdup_printf ("%s:2:", http_path);

            g_assert_null (request);
            g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
            g_assert_true (g_str_has_prefix (error->message, prefix));
            g_assert_nonnull (strstr (error->message, "@max-redirects wants a number"));
          }
        ladle_http_entry_unref (entry);
      }
  }

  ladle_test_rm_rf (dir);
}

/* @max-redirects is written for a request whose limit is not the default, and read back */
static void
test_max_redirects_round_trip (void)
{
  g_autoptr(LadleRequest) request = ladle_request_new ();
  g_autoptr(LadleRequest) plain = ladle_request_new ();
  g_autoptr(LadleHttpEntry) entry = NULL;
  g_autoptr(LadleHttpEntry) plain_entry = NULL;

  ladle_request_set_url (request, "http://127.0.0.1/");
  ladle_request_set_max_redirects (request, 7);
  entry = ladle_http_entry_new_from_request (request, "r");
  g_assert_cmpstr (ladle_http_entry_get_directive (entry, "max-redirects"), ==, "7");

  ladle_request_set_url (plain, "http://127.0.0.1/");
  plain_entry = ladle_http_entry_new_from_request (plain, "p");
  g_assert_null (ladle_http_entry_get_directive (plain_entry, "max-redirects"));
}

/* The transport directives (issue 14): httpyac's @proxy, @no-proxy and @no-reject-unauthorized,
 * curl's words for the rest; {{…}} expanded (the passphrase from the environment), files
 * relative to the .http file's folder */
static LadleRequest *
build_first (LadleHttpScope *scope,
             const char     *path,
             const char     *text,
             GError        **error)
{
  g_autoptr(LadleHttpFile) file = ladle_http_file_parse (path, text, -1);
  GPtrArray *entries = ladle_http_file_get_entries (file);

  g_assert_cmpuint (entries->len, >=, 1);
  return ladle_http_scope_build_request (scope, file, g_ptr_array_index (entries, 0), error);
}

/* httpyac's clientCertificates in the project's .httpyac.json: per host (HOST:PORT first), for
 * https:// requests with no certificate of their own */
static void
test_host_certs (void)
{
  g_autofree char *dir = ladle_test_make_tmpdir ("ladle-vars-XXXXXX");
  g_autofree char *api = g_build_filename (dir, "api", NULL);
  g_autofree char *path = g_build_filename (api, "mtls.http", NULL);
  g_autofree char *config = g_build_filename (dir, ".httpyac.json", NULL);
  g_autofree char *cert = g_build_filename (dir, "certs", "client.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "keys", "client.key", NULL);
  g_autofree char *p12 = g_build_filename (dir, "certs", "dev.p12", NULL);
  g_autofree char *own = g_build_filename (api, "own.pem", NULL);
  g_autofree char *json = NULL;
  g_autoptr(LadleHttpEnvironments) envs = NULL;
  g_autoptr(LadleHttpScope) scope = NULL;
  g_autoptr(GError) error = NULL;
  const struct
  {
    const char *text;
    const char *cert;
    const char *key;
    const char *passphrase;
  } cases[] = {
    { "GET https://a.example/x\n", cert, key, "" },
    { "GET https://A.EXAMPLE:443/x\n", cert, key, "" },
    { "GET https://a.example:8443/x\n", p12, "", "s3cret" },
    { "GET https://b.example/\n", "/etc/ladle/b.pem", "", "" },
    { "GET https://[::1]:9443/\n", cert, "", "" },
    { "GET http://a.example/x\n", "", "", "" },
    { "GET https://c.example/\n", "", "", "" },
    /* the request's own certificate wins, the host's key and passphrase not mixed in */
    { "# @cert own.pem\nGET https://a.example/\n", own, "", "" },
    { "GET https://a.example/\nX-ClientCert: cert: own.pem\n", own, "", "" },
  };

  g_assert_cmpint (g_mkdir (api, 0700), ==, 0);
  json = g_strdup_printf ("{\n"
                          "  \"log\": 1,\n"
                          "  \"clientCertificates\": {\n"
                          "    \"a.example\": {\"cert\": \"certs/client.pem\", "
                          "\"key\": \"./keys/client.key\"},\n"
                          "    \"a.example:8443\": {\"pfx\": \"certs/{{p12Name}}\", "
                          "\"passphrase\": \"{{p12Pass}}\"},\n"
                          "    \"B.example\": {\"cert\": \"/etc/ladle/b.pem\"},\n"
                          "    \"[::1]:9443\": {\"cert\": \"%s\"}\n"
                          "  }\n"
                          "}\n", cert);
  write_file (dir, ".httpyac.json", json);
  write_file (dir, "http-client.env.json", "{\"dev\": {\"p12Name\": \"dev.p12\"}}");
  write_file (dir, "http-client.private.env.json", "{\"dev\": {\"p12Pass\": \"s3cret\"}}");
  envs = ladle_http_environments_load (dir, &error);
  g_assert_no_error (error);
  scope = ladle_http_scope_new (envs, "dev");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LadleRequest) request = build_first (scope, path, cases[i].text, &error);

      g_test_message ("%s", cases[i].text);
      g_assert_no_error (error);
      g_assert_cmpstr (ladle_request_get_tls_cert_file (request) ?: "", ==, cases[i].cert);
      g_assert_cmpstr (ladle_request_get_tls_key_file (request) ?: "", ==, cases[i].key);
      g_assert_cmpstr (ladle_request_get_tls_cert_password (request) ?: "", ==,
                       cases[i].passphrase);
    }

  /* A damaged .httpyac.json is an error at its place for a request that would use it, and is
   * not used; one with a certificate of its own or to http:// goes on */
  {
    const struct
    {
      const char *json;
      const char *message;
    } bad[] = {
      { "{\"clientCertificates\": {\"a.example\": {\"cert\": \"c.pem\",}}}", ":1:" },
      { "[1]", ":1:1: httpyac's settings must be a JSON object" },
      { "{\n  \"clientCertificates\": [\"a.example\"]}", ":2:3: “clientCertificates” must be" },
      { "{\"clientCertificates\": {\n  \"a.example\": \"c.pem\"}}",
        ":2:3: the client certificate of “a.example” is not an object" },
      { "{\"clientCertificates\": {\n  \"a.example\": {\"cert\": 7}}}",
        ":2:25: “cert” of “a.example” must be a string" },
      { "{\"clientCertificates\": {\n  \"a.example\": {\"cert\": \"c.pem\", \"pfx\": \"c.p12\"}}}",
        ":2:3: the client certificate of “a.example” wants “cert”" },
      { "{\"clientCertificates\": {\n  \"a.example\": {\"key\": \"c.key\"}}}",
        ":2:3: the client certificate of “a.example” wants “cert”" },
      { "{\"clientCertificates\": {\n  \"a.example\": {\"pfx\": \"c.p12\", \"key\": \"c.key\"}}}",
        ":2:3: the client certificate of “a.example” wants “cert”" },
      { "{\"clientCertificates\": {\n  \"a.example\": {\"pfx\": \"c.p12\", "
        "\"passphrase\": \"x{{missing}}\"}}}",
        ":2:49: {{missing}} is not defined" },
      { "{\"clientCertificates\": {\"a.example\": {\"cert\": \"c.pem\"}}}\0x", NULL },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(LadleHttpScope) fresh = ladle_http_scope_new (envs, "dev");
        g_autoptr(LadleRequest) request = NULL;
        g_autoptr(LadleRequest) plain = NULL;
        g_autoptr(LadleRequest) mine = NULL;

        if (bad[i].message != NULL)
          write_file (dir, ".httpyac.json", bad[i].json);
        else
          {
            g_file_set_contents (config, bad[i].json, strlen (bad[i].json) + 2, &error);
            g_assert_no_error (error);
          }
        request = build_first (fresh, path, "GET https://a.example/\n", &error);
        g_assert_null (request);
        g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
        g_test_message ("%s", error->message);
        g_assert_true (g_str_has_prefix (error->message, config));
        g_assert_nonnull (strstr (error->message, bad[i].message != NULL
                                                    ? bad[i].message
                                                    : ":1:1: the file is not UTF-8 text"));
        g_assert_null (strstr (error->message, "s3cret"));
        g_clear_error (&error);

        plain = build_first (fresh, path, "GET http://a.example/\n", &error);
        g_assert_no_error (error);
        mine = build_first (fresh, path, "# @cert own.pem\nGET https://a.example/\n", &error);
        g_assert_no_error (error);
        g_assert_cmpstr (ladle_request_get_tls_cert_file (mine), ==, own);
      }
  }

  /* Many hosts on one 2.4 MB line are read in one pass (a search per host would scan the file once per host) */
  {
    g_autoptr(GString) many = g_string_new ("{\"clientCertificates\": {");
    g_autoptr(LadleHttpScope) fresh = ladle_http_scope_new (envs, "dev");
    g_autoptr(LadleRequest) request = NULL;
    g_autofree char *last = g_build_filename (dir, "c59999.pem", NULL);
    gint64 start = g_get_monotonic_time ();

    for (guint i = 0; i < 60000; i++)
      g_string_append_printf (many, "%s\"h%u.example\": {\"cert\": \"c%u.pem\"}",
                              i > 0 ? ", " : "", i, i);
    g_string_append (many, "}}");
    write_file (dir, ".httpyac.json", many->str);
    request = build_first (fresh, path, "GET https://h59999.example/\n", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (ladle_request_get_tls_cert_file (request), ==, last);
    g_test_message ("60000 hosts: %" G_GINT64_FORMAT " ms",
                    (g_get_monotonic_time () - start) / 1000);
  }

  /* No .httpyac.json above the file: nothing changes */
  g_assert_cmpint (g_unlink (config), ==, 0);
  {
    g_autoptr(LadleHttpScope) fresh = ladle_http_scope_new (envs, "dev");
    g_autoptr(LadleRequest) request = build_first (fresh, path, "GET https://a.example/\n",
                                                   &error);

    g_assert_no_error (error);
    g_assert_cmpstr (ladle_request_get_tls_cert_file (request) ?: "", ==, "");
  }

  ladle_test_rm_rf (dir);
}

/* JetBrains' SSLConfiguration in an environment: its certificate for https:// requests without
 * one of their own (nor one of .httpyac.json), verifyHostCertificate for every https:// one */
static void
test_ssl_configuration (void)
{
  g_autofree char *dir = ladle_test_make_tmpdir ("ladle-vars-XXXXXX");
  g_autofree char *api = g_build_filename (dir, "api", NULL);
  g_autofree char *path = g_build_filename (api, "mtls.http", NULL);
  g_autofree char *private = g_build_filename (dir, "http-client.private.env.json", NULL);
  g_autofree char *cert = g_build_filename (dir, "certs", "dev.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "certs", "dev.key", NULL);
  g_autofree char *yac = g_build_filename (dir, "yac.pem", NULL);
  g_autofree char *own = g_build_filename (api, "own.pem", NULL);
  g_autoptr(LadleHttpEnvironments) envs = NULL;
  g_autoptr(GError) error = NULL;
  const struct
  {
    const char *env;
    const char *text;
    const char *cert;
    const char *key;
    const char *passphrase;
    gboolean    verify;
  } cases[] = {
    { "dev", "GET https://a.example/\n", cert, key, "", TRUE },
    { "dev", "# @cert-passphrase pw\nGET https://a.example/\n", cert, key, "pw", TRUE },
    { "dev", "GET http://a.example/\n", "", "", "", TRUE },
    { "dev", "# @cert own.pem\nGET https://a.example/\n", own, "", "", TRUE },
    { "dev", "GET https://yac.example/\n", yac, "", "", TRUE },
    { "lax", "GET https://a.example/\n", "/etc/ladle/lax.p12", "", "", FALSE },
    { "lax", "# @cert own.pem\nGET https://a.example/\n", own, "", "", FALSE },
    { "lax", "GET https://yac.example/\n", yac, "", "", FALSE },
    { "lax", "GET http://a.example/\n", "", "", "", TRUE },
    { "plain", "GET https://a.example/\n", "", "", "", TRUE },
  };
  const struct
  {
    const char *env;
    const char *message;
  } bad[] = {
    { "bad1", ":6:12: SSLConfiguration must be an object" },
    { "bad2", ":7:12: SSLConfiguration's “clientCertificate” must be a file name" },
    { "bad3", ":8:12: SSLConfiguration's “verifyHostCertificate” must be true or false" },
    { "bad4", ":9:12: SSLConfiguration's “clientCertificateKey” goes with “clientCertificate”" },
    { "bad5", ":10:12: SSLConfiguration's “clientCertificate” must be a file name" },
  };

  g_assert_cmpint (g_mkdir (api, 0700), ==, 0);
  write_file (dir, "http-client.private.env.json",
              "{\n"
              "  \"dev\": {\"SSLConfiguration\": {\"clientCertificate\": \"certs/dev.pem\",\n"
              "    \"clientCertificateKey\": {\"path\": \"./certs/dev.key\", \"format\": \"PEM\"},\n"
              "    \"hasCertificatePassphrase\": true}},\n"
              "  \"lax\": {\"SSLConfiguration\": {\"clientCertificate\": {\"path\": \"/etc/ladle/lax.p12\"}, \"verifyHostCertificate\": false}},\n"
              "  \"bad1\": {\"SSLConfiguration\": \"certs/dev.pem\"},\n"
              "  \"bad2\": {\"SSLConfiguration\": {\"clientCertificate\": 3}},\n"
              "  \"bad3\": {\"SSLConfiguration\": {\"verifyHostCertificate\": \"no\"}},\n"
              "  \"bad4\": {\"SSLConfiguration\": {\"clientCertificateKey\": \"k.pem\"}},\n"
              "  \"bad5\": {\"SSLConfiguration\": {\"clientCertificate\": {\"format\": \"PEM\"}}}\n"
              "}\n");
  write_file (dir, "http-client.env.json", "{\"plain\": {\"host\": \"a.example\"}}");
  write_file (dir, ".httpyac.json",
              "{\"clientCertificates\": {\"yac.example\": {\"cert\": \"yac.pem\"}}}");
  envs = ladle_http_environments_load (dir, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LadleHttpScope) scope = ladle_http_scope_new (envs, cases[i].env);
      g_autoptr(LadleRequest) request = build_first (scope, path, cases[i].text, &error);

      g_test_message ("%s: %s", cases[i].env, cases[i].text);
      g_assert_no_error (error);
      g_assert_cmpstr (ladle_request_get_tls_cert_file (request) ?: "", ==, cases[i].cert);
      g_assert_cmpstr (ladle_request_get_tls_key_file (request) ?: "", ==, cases[i].key);
      g_assert_cmpstr (ladle_request_get_tls_cert_password (request) ?: "", ==,
                       cases[i].passphrase);
      g_assert_cmpint (ladle_request_get_verify_tls (request), ==, cases[i].verify);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(LadleHttpScope) scope = ladle_http_scope_new (envs, bad[i].env);
      g_autoptr(LadleRequest) request = build_first (scope, path, "GET https://a.example/\n",
                                                     &error);
      g_autoptr(LadleRequest) plain = NULL;

      g_assert_null (request);
      g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, private));
      g_assert_nonnull (strstr (error->message, bad[i].message));
      g_clear_error (&error);
      plain = build_first (scope, path, "GET http://a.example/\n", &error);
      g_assert_no_error (error);
    }

  ladle_test_rm_rf (dir);
}

static void
test_transport_directives (void)
{
  g_autofree char *dir = ladle_test_make_tmpdir ("ladle-vars-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "api", "mtls.http", NULL);
  g_autofree char *cert = g_build_filename (dir, "api", "certs", "client.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "keys", "client.key", NULL);
  g_autoptr(LadleHttpEnvironments) envs = NULL;
  g_autoptr(LadleHttpScope) scope = NULL;
  g_autoptr(LadleRequest) request = NULL;
  g_autoptr(LadleRequest) socks = NULL;
  g_autoptr(LadleRequest) direct = NULL;
  g_autoptr(LadleRequest) plain = NULL;
  g_autoptr(GError) error = NULL;

  write_file (dir, "http-client.env.json", "{\"dev\": {\"proxyHost\": \"127.0.0.1:3128\"}}");
  write_file (dir, "http-client.private.env.json",
              "{\"dev\": {\"certPass\": \"pa:ss word\", \"proxyPass\": \"s3cret\"}}");
  envs = ladle_http_environments_load (dir, &error);
  g_assert_no_error (error);
  scope = ladle_http_scope_new (envs, "dev");

  request = build_first (scope, path,
                         "# @proxy http://{{proxyHost}}\n"
                         "# @proxy-user me:{{proxyPass}}\n"
                         "# @no-proxy localhost, .internal\n"
                         "# @http1.1\n"
                         "# @cert certs/client.pem\n"
                         "# @key ../keys/client.key\n"
                         "# @cert-passphrase {{certPass}}\n"
                         "# @cacert /etc/ladle/ca.pem\n"
                         "# @no-reject-unauthorized\n"
                         "GET https://api.example.com/\n", &error);
  g_assert_no_error (error);
  g_assert_cmpint (ladle_request_get_proxy_mode (request), ==, LADLE_PROXY_MANUAL);
  g_assert_cmpstr (ladle_request_get_proxy_url (request), ==, "http://127.0.0.1:3128");
  g_assert_cmpstr (ladle_request_get_proxy_username (request), ==, "me");
  g_assert_cmpstr (ladle_request_get_proxy_password (request), ==, "s3cret");
  g_assert_cmpstr (ladle_request_get_no_proxy (request), ==, "localhost, .internal");
  g_assert_cmpint (ladle_request_get_http_version (request), ==, LADLE_HTTP_VERSION_1_1);
  g_assert_cmpstr (ladle_request_get_tls_cert_file (request), ==, cert);
  g_assert_cmpstr (ladle_request_get_tls_key_file (request), ==, key);
  g_assert_cmpstr (ladle_request_get_tls_cert_password (request), ==, "pa:ss word");
  g_assert_cmpstr (ladle_request_get_tls_ca_file (request), ==, "/etc/ladle/ca.pem");
  g_assert_false (ladle_request_get_verify_tls (request));

  socks = build_first (scope, path, "# @proxy socks5h://127.0.0.1:1080\n# @noproxy *\n"
                       "GET https://api.example.com/\n", &error);
  g_assert_no_error (error);
  g_assert_cmpint (ladle_request_get_proxy_mode (socks), ==, LADLE_PROXY_MANUAL);
  g_assert_cmpstr (ladle_request_get_proxy_url (socks), ==, "socks5h://127.0.0.1:1080");
  g_assert_cmpstr (ladle_request_get_no_proxy (socks), ==, "*");
  g_assert_cmpstr (ladle_request_get_proxy_username (socks) ?: "", ==, "");

  /* httpyac's @no-proxy alone: straight, whatever the system says */
  direct = build_first (scope, path, "# @no-proxy\nGET https://api.example.com/\n", &error);
  g_assert_no_error (error);
  g_assert_cmpint (ladle_request_get_proxy_mode (direct), ==, LADLE_PROXY_NONE);

  plain = build_first (scope, path, "GET https://api.example.com/\n", &error);
  g_assert_no_error (error);
  g_assert_cmpint (ladle_request_get_proxy_mode (plain), ==, LADLE_PROXY_SYSTEM);
  g_assert_cmpint (ladle_request_get_http_version (plain), ==, LADLE_HTTP_VERSION_ANY);
  g_assert_cmpstr (ladle_request_get_tls_cert_file (plain) ?: "", ==, "");
  g_assert_true (ladle_request_get_verify_tls (plain));

  /* httpyac's X-ClientCert header: the client certificate, and not sent; anything else in it
   * stays a header */
  {
    g_autoptr(LadleRequest) pem = NULL;
    g_autoptr(LadleRequest) pfx = NULL;
    g_autoptr(LadleRequest) other = NULL;
    g_autofree char *p12 = g_build_filename (dir, "api", "client.p12", NULL);

    pem = build_first (scope, path, "GET https://a.example/\n"
                       "X-ClientCert: cert: certs/client.pem key: ../keys/client.key "
                       "passphrase: {{proxyPass}}\nAccept: text/plain\n", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (ladle_request_get_tls_cert_file (pem), ==, cert);
    g_assert_cmpstr (ladle_request_get_tls_key_file (pem), ==, key);
    g_assert_cmpstr (ladle_request_get_tls_cert_password (pem), ==, "s3cret");
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ladle_request_get_headers (pem))),
                      ==, 1);
    g_assert_cmpstr (header_value (pem, 0, "Accept"), ==, "text/plain");

    pfx = build_first (scope, path, "GET https://a.example/\nClientCert: pfx:client.p12\n", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (ladle_request_get_tls_cert_file (pfx), ==, p12);
    g_assert_cmpstr (ladle_request_get_tls_key_file (pfx) ?: "", ==, "");
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ladle_request_get_headers (pfx))),
                      ==, 0);

    other = build_first (scope, path, "GET https://a.example/\nX-ClientCert: MIIB\n", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (ladle_request_get_tls_cert_file (other) ?: "", ==, "");
    g_assert_cmpstr (header_value (other, 0, "X-ClientCert"), ==, "MIIB");
    g_clear_object (&other);

    /* As httpyac's: a passphrase is one word; this one has a blank, and is not sent as a
     * header either */
    other = build_first (scope, path, "GET https://a.example/\n"
                         "X-ClientCert: pfx: a.p12 passphrase: {{certPass}}\n", &error);
    g_assert_null (other);
    g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
    g_assert_true (g_str_has_prefix (error->message, path));
    g_assert_nonnull (strstr (error->message, ":2:15: the X-ClientCert header is read as httpyac"));
    g_assert_null (strstr (error->message, "pa:ss"));
    g_clear_error (&error);
  }

  /* Errors name their place; an unset variable in a passphrase is one */
  {
    const struct
    {
      const char *text;
      const char *message;
    } cases[] = {
      { "# @key client.key\nGET https://a.example/\n", ":1:3: @key goes with @cert" },
      { "# @cert\nGET https://a.example/\n", ":1:3: @cert wants a file name" },
      { "# @cacert {{nothing}}\nGET https://a.example/\n", ":1:" },
      { "# @cert c.pem\n# @cert-passphrase {{missing}}\nGET https://a.example/\n", ":2:" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(LadleRequest) bad = build_first (scope, path, cases[i].text, &error);

        g_assert_null (bad);
        g_assert_nonnull (error);
        g_test_message ("%s", error->message);
        g_assert_true (g_str_has_prefix (error->message, path));
        g_assert_nonnull (strstr (error->message, cases[i].message));
        g_clear_error (&error);
      }
  }
  ladle_test_rm_rf (dir);
}

/* A request's transport settings are written as directives and read back the same */
static void
test_transport_round_trip (void)
{
  g_autoptr(LadleHttpScope) scope = ladle_http_scope_new (NULL, NULL);
  const LadleProxyMode modes[] = { LADLE_PROXY_MANUAL, LADLE_PROXY_NONE, LADLE_PROXY_SYSTEM };

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(LadleRequest) request = ladle_request_new ();
      g_autoptr(LadleRequest) back = NULL;
      g_autoptr(LadleHttpEntry) entry = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;

      ladle_request_set_url (request, "https://api.example.com/x");
      ladle_request_set_proxy_mode (request, modes[i]);
      if (modes[i] == LADLE_PROXY_MANUAL)
        {
          ladle_request_set_proxy_url (request, "socks5://127.0.0.1:1080");
          ladle_request_set_proxy_username (request, "me");
          ladle_request_set_proxy_password (request, "{{proxyPassword}}");
        }
      if (modes[i] != LADLE_PROXY_NONE)
        ladle_request_set_no_proxy (request, "localhost,.internal");
      ladle_request_set_http_version (request, LADLE_HTTP_VERSION_1_1);
      ladle_request_set_tls_cert_file (request, "/home/me/client.pem");
      ladle_request_set_tls_key_file (request, "/home/me/client.key");
      ladle_request_set_tls_cert_password (request, "{{certPassphrase}}");
      ladle_request_set_tls_ca_file (request, "/home/me/ca.pem");
      ladle_request_set_verify_tls (request, FALSE);

      entry = ladle_http_entry_new_from_request (request, "r");
      text = ladle_http_entry_format_checked (entry, "\n", &error);
      g_assert_no_error (error);
      g_test_message ("%s", text);
      g_assert_nonnull (strstr (text, "# @http1.1\n# @cert /home/me/client.pem\n"
                                      "# @key /home/me/client.key\n"
                                      "# @cert-passphrase {{certPassphrase}}\n"
                                      "# @cacert /home/me/ca.pem\n"));

      /* Read back with the variables set */
      {
        g_autoptr(LadleHttpScope) vars = ladle_http_scope_new (NULL, NULL);

        ladle_http_scope_set_override (vars, "certPassphrase", "pw");
        ladle_http_scope_set_override (vars, "proxyPassword", "s3cret");
        back = build_first (vars, "/tmp/x.http", text, &error);
      }
      g_assert_no_error (error);
      g_assert_cmpint (ladle_request_get_proxy_mode (back), ==, modes[i]);
      g_assert_cmpstr (ladle_request_get_proxy_url (back), ==,
                       ladle_request_get_proxy_url (request));
      g_assert_cmpstr (ladle_request_get_proxy_username (back) ?: "", ==,
                       modes[i] == LADLE_PROXY_MANUAL ? "me" : "");
      g_assert_cmpstr (ladle_request_get_proxy_password (back) ?: "", ==,
                       modes[i] == LADLE_PROXY_MANUAL ? "s3cret" : "");
      g_assert_cmpstr (ladle_request_get_no_proxy (back), ==,
                       ladle_request_get_no_proxy (request));
      g_assert_cmpint (ladle_request_get_http_version (back), ==, LADLE_HTTP_VERSION_1_1);
      g_assert_cmpstr (ladle_request_get_tls_cert_file (back), ==, "/home/me/client.pem");
      g_assert_cmpstr (ladle_request_get_tls_key_file (back), ==, "/home/me/client.key");
      g_assert_cmpstr (ladle_request_get_tls_cert_password (back), ==, "pw");
      g_assert_cmpstr (ladle_request_get_tls_ca_file (back), ==, "/home/me/ca.pem");
      g_assert_false (ladle_request_get_verify_tls (back));
    }

  /* The defaults write nothing */
  {
    g_autoptr(LadleRequest) request = ladle_request_new ();
    g_autoptr(LadleHttpEntry) entry = NULL;

    ladle_request_set_url (request, "https://api.example.com/x");
    entry = ladle_http_entry_new_from_request (request, "r");
    g_assert_cmpuint (entry->directives->len, ==, 0);
  }
}

/* Editing and saving environments */

/* httpyac's `Authorization: oauth2 GRANT [PREFIX]`: OAuth 2.0 auth with its settings from the
 * environment files (the secret from the private one, through $processEnv), a prefix falling
 * back to oauth2_…, never a header. */
static void
test_oauth2 (void)
{
  g_autofree char *dir = ladle_test_make_tmpdir ("ladle-vars-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "api.http", NULL);
  g_autoptr(LadleHttpEnvironments) envs = NULL;
  g_autoptr(LadleHttpScope) scope = NULL;
  g_autoptr(GError) error = NULL;
  static const struct
  {
    const char       *header;
    LadleOauth2Grant  grant;
    const char       *client_id;
    gboolean          pkce;
  } cases[] = {
    { "oauth2 client_credentials", LADLE_OAUTH2_GRANT_CLIENT_CREDENTIALS, "app", FALSE },
    { "oauth2", LADLE_OAUTH2_GRANT_CLIENT_CREDENTIALS, "app", FALSE },
    { "openid client", LADLE_OAUTH2_GRANT_CLIENT_CREDENTIALS, "app", FALSE },
    { "OAuth2 Password", LADLE_OAUTH2_GRANT_PASSWORD, "app", FALSE },
    { "oauth2 authorization_code", LADLE_OAUTH2_GRANT_AUTHORIZATION_CODE, "app", FALSE },
    { "oauth2 code pkce", LADLE_OAUTH2_GRANT_AUTHORIZATION_CODE, "app-pkce", TRUE },
    { "oauth2  device_code\tdevice", LADLE_OAUTH2_GRANT_DEVICE_CODE, "tv", FALSE },
    { "oauth2 device", LADLE_OAUTH2_GRANT_DEVICE_CODE, "app", FALSE },
  };

  g_setenv ("LADLE_TEST_OAUTH_SECRET", "s3cret", TRUE);
  write_file (dir, "http-client.env.json",
              "{\"dev\": {\"host\": \"http://127.0.0.1:9\",\n"
              "  \"oauth2_tokenEndpoint\": \"{{host}}/oauth/token\",\n"
              "  \"oauth2_authorizationEndpoint\": \"{{host}}/oauth/authorize\",\n"
              "  \"oauth2_deviceCodeEndpoint\": \"{{host}}/oauth/device_authorization\",\n"
              "  \"oauth2_clientId\": \"app\", \"oauth2_scope\": \"openid profile\",\n"
              "  \"oauth2_username\": \"alice\",\n"
              "  \"pkce_clientId\": \"app-pkce\", \"pkce_usePkce\": \"true\",\n"
              "  \"device_clientId\": \"tv\"}}");
  write_file (dir, "http-client.private.env.json",
              "{\"dev\": {\"oauth2_clientSecret\": \"{{$processEnv LADLE_TEST_OAUTH_SECRET}}\",\n"
              "  \"oauth2_password\": \"wonder land\"}}");
  envs = ladle_http_environments_load (dir, &error);
  g_assert_no_error (error);
  scope = ladle_http_scope_new (envs, "dev");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("GET http://127.0.0.1:9/bearer\n"
                                               "Accept: */*\n"
                                               "Authorization: %s\n", cases[i].header);
      g_autoptr(LadleRequest) request = NULL;
      LadleOauth2Grant grant = cases[i].grant;

      g_test_message ("%s", cases[i].header);
      request = build_first (scope, path, text, &error);
      g_assert_no_error (error);
      g_assert_cmpint (ladle_request_get_auth_kind (request), ==, LADLE_AUTH_OAUTH2);
      g_assert_cmpint (ladle_request_get_oauth2_grant (request), ==, grant);
      g_assert_cmpstr (ladle_request_get_oauth2_token_url (request), ==,
                       "http://127.0.0.1:9/oauth/token");
      g_assert_cmpstr (ladle_request_get_oauth2_auth_url (request), ==,
                       "http://127.0.0.1:9/oauth/authorize");
      g_assert_cmpstr (ladle_request_get_oauth2_device_url (request), ==,
                       "http://127.0.0.1:9/oauth/device_authorization");
      g_assert_cmpstr (ladle_request_get_oauth2_client_id (request), ==, cases[i].client_id);
      g_assert_cmpstr (ladle_request_get_oauth2_client_secret (request), ==, "s3cret");
      g_assert_cmpstr (ladle_request_get_oauth2_scope (request), ==, "openid profile");
      g_assert_cmpint (ladle_request_get_oauth2_pkce (request), ==, cases[i].pkce);
      g_assert_cmpstr (ladle_request_get_auth_username (request) ?: "", ==,
                       grant == LADLE_OAUTH2_GRANT_PASSWORD ? "alice" : "");
      g_assert_cmpstr (ladle_request_get_auth_password (request) ?: "", ==,
                       grant == LADLE_OAUTH2_GRANT_PASSWORD ? "wonder land" : "");
      /* Only Accept is sent as a header */
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ladle_request_get_headers (request))),
                        ==, 1);
    }

  /* Request variables win over the environment, as for any {{…}} */
  {
    g_autoptr(LadleRequest) request = NULL;

    request = build_first (scope, path,
                           "@oauth2_clientId = mine\n"
                           "GET http://127.0.0.1:9/\n"
                           "Authorization: oauth2 client_credentials\n", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (ladle_request_get_oauth2_client_id (request), ==, "mine");
  }

  /* Other Authorization values stay headers */
  {
    g_autoptr(LadleRequest) request = build_first (scope, path,
                                                   "GET http://127.0.0.1:9/\n"
                                                   "Authorization: oauth2token abc\n", &error);

    g_assert_no_error (error);
    g_assert_cmpint (ladle_request_get_auth_kind (request), ==, LADLE_AUTH_NONE);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ladle_request_get_headers (request))),
                      ==, 1);
  }

  g_unsetenv ("LADLE_TEST_OAUTH_SECRET");
  ladle_test_rm_rf (dir);
}

/* An unknown grant, a missing endpoint or a setting that does not expand: PATH:LINE:COL, at the
 * word at fault (columns in characters), and nothing built. */
static void
test_oauth2_errors (void)
{
  g_autoptr(LadleHttpScope) scope = ladle_http_scope_new (NULL, NULL);
  g_autoptr(LadleHttpScope) empty = ladle_http_scope_new (NULL, NULL);
  static const struct
  {
    const char *text;
    const char *message;
  } cases[] = {
    { "GET http://127.0.0.1:9/\nAuthorization: oauth2 implicit\n",
      "/w/a.http:2:23: OAuth 2.0: Ladle does not do the implicit grant; use authorization_code "
      "(with PKCE) instead" },
    { "GET http://127.0.0.1:9/\n# é\nAuthorization:   oauth2 client_credintials\n",
      "/w/a.http:3:25: OAuth 2.0: unknown grant “client_credintials”; Ladle knows "
      "client_credentials, password, authorization_code and device_code" },
    { "GET http://127.0.0.1:9/\nAuthorization: oauth2 client local token_exchange realm\n",
      "/w/a.http:2:36: OAuth 2.0: “token_exchange” is not understood here: write “oauth2 GRANT "
      "PREFIX” (Ladle does not do httpyac’s token exchange)" },
    { "GET http://127.0.0.1:9/\nAuthorization: oauth2 client pré/fix\n",
      "/w/a.http:2:30: OAuth 2.0: “pré/fix” is not a variable prefix (letters, digits, “_”, “-”, "
      "“.”)" },
    { "GET http://127.0.0.1:9/\nAuthorization: oauth2 code\n",
      "/w/a.http:2:16: OAuth 2.0: no oauth2_authorizationEndpoint defined (in the environment, "
      ".env or @oauth2_authorizationEndpoint = …)" },
    { "GET http://127.0.0.1:9/\nAuthorization: oauth2 device_code tv\n",
      "/w/a.http:2:16: OAuth 2.0: no tv_deviceCodeEndpoint defined (in the environment, .env or "
      "@tv_deviceCodeEndpoint = …)" },
    { "@oauth2_scope = {{nope}}\nGET http://127.0.0.1:9/\nAuthorization: oauth2\n",
      "/w/a.http:3:16: {{nope}} is not defined (in {{oauth2_scope}})" },
  };

  ladle_http_scope_set_override (scope, "oauth2_tokenEndpoint", "http://127.0.0.1:9/token");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LadleRequest) request = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", cases[i].text);
      request = build_first (scope, "/w/a.http", cases[i].text, &error);
      g_assert_null (request);
      g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }

  /* No token endpoint at all */
  {
    g_autoptr(LadleRequest) request = NULL;
    g_autoptr(GError) error = NULL;

    request = build_first (empty, "/w/a.http",
                           "GET http://127.0.0.1:9/\nAuthorization: oauth2 client_credentials\n",
                           &error);
    g_assert_null (request);
    g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
    g_assert_cmpstr (error->message, ==,
                     "/w/a.http:2:16: OAuth 2.0: no oauth2_tokenEndpoint defined (in the "
                     "environment, .env or @oauth2_tokenEndpoint = …)");
  }
}

/* A request composed in the window, written to a .http file and read back: the same settings,
 * the client secret and the password never in the text (they come from the environment). */
static void
test_oauth2_round_trip (void)
{
  const LadleOauth2Grant grants[] = { LADLE_OAUTH2_GRANT_CLIENT_CREDENTIALS,
                                      LADLE_OAUTH2_GRANT_PASSWORD,
                                      LADLE_OAUTH2_GRANT_AUTHORIZATION_CODE,
                                      LADLE_OAUTH2_GRANT_DEVICE_CODE };

  for (guint i = 0; i < G_N_ELEMENTS (grants); i++)
    {
      g_autoptr(LadleRequest) request = ladle_request_new ();
      g_autoptr(LadleRequest) back = NULL;
      g_autoptr(LadleHttpEntry) entry = NULL;
      g_autoptr(LadleHttpScope) vars = ladle_http_scope_new (NULL, NULL);
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;

      ladle_request_set_url (request, "http://127.0.0.1:9/bearer");
      ladle_request_set_auth_kind (request, LADLE_AUTH_OAUTH2);
      ladle_request_set_oauth2_grant (request, grants[i]);
      ladle_request_set_oauth2_token_url (request, "http://127.0.0.1:9/oauth/token");
      ladle_request_set_oauth2_auth_url (request, "http://127.0.0.1:9/oauth/authorize");
      ladle_request_set_oauth2_device_url (request, "http://127.0.0.1:9/oauth/device_authorization");
      ladle_request_set_oauth2_client_id (request, "app");
      ladle_request_set_oauth2_client_secret (request, "typed-secret");
      ladle_request_set_oauth2_scope (request, "read write");
      ladle_request_set_oauth2_pkce (request, TRUE);
      ladle_request_set_auth_username (request, "alice");
      ladle_request_set_auth_password (request, "typed-password");

      entry = ladle_http_entry_new_from_request (request, "r");
      text = ladle_http_entry_format_checked (entry, "\n", &error);
      g_assert_no_error (error);
      g_test_message ("%s", text);
      g_assert_null (strstr (text, "typed-secret"));
      g_assert_null (strstr (text, "typed-password"));
      g_assert_nonnull (strstr (text, "@oauth2_tokenEndpoint = http://127.0.0.1:9/oauth/token\n"));
      g_assert_nonnull (strstr (text, "@oauth2_clientId = app\n"));
      g_assert_nonnull (strstr (text, "@oauth2_scope = read write\n"));
      g_assert_cmpint (strstr (text, "@oauth2_usePkce = true\n") != NULL, ==,
                       grants[i] == LADLE_OAUTH2_GRANT_AUTHORIZATION_CODE);

      /* The secrets from the (private) environment */
      ladle_http_scope_set_override (vars, "oauth2_clientSecret", "from-env");
      ladle_http_scope_set_override (vars, "oauth2_password", "env-password");
      back = build_first (vars, "/tmp/x.http", text, &error);
      g_assert_no_error (error);
      g_assert_cmpint (ladle_request_get_auth_kind (back), ==, LADLE_AUTH_OAUTH2);
      g_assert_cmpint (ladle_request_get_oauth2_grant (back), ==, grants[i]);
      g_assert_cmpstr (ladle_request_get_oauth2_token_url (back), ==,
                       "http://127.0.0.1:9/oauth/token");
      g_assert_cmpstr (ladle_request_get_oauth2_client_id (back), ==, "app");
      g_assert_cmpstr (ladle_request_get_oauth2_client_secret (back), ==, "from-env");
      g_assert_cmpstr (ladle_request_get_oauth2_scope (back), ==, "read write");
      g_assert_cmpint (ladle_request_get_oauth2_pkce (back), ==,
                       grants[i] == LADLE_OAUTH2_GRANT_AUTHORIZATION_CODE);
      if (grants[i] == LADLE_OAUTH2_GRANT_AUTHORIZATION_CODE)
        g_assert_cmpstr (ladle_request_get_oauth2_auth_url (back), ==,
                         "http://127.0.0.1:9/oauth/authorize");
      if (grants[i] == LADLE_OAUTH2_GRANT_DEVICE_CODE)
        g_assert_cmpstr (ladle_request_get_oauth2_device_url (back), ==,
                         "http://127.0.0.1:9/oauth/device_authorization");
      if (grants[i] == LADLE_OAUTH2_GRANT_PASSWORD)
        {
          g_assert_cmpstr (ladle_request_get_auth_username (back), ==, "alice");
          g_assert_cmpstr (ladle_request_get_auth_password (back), ==, "env-password");
        }
    }

  /* Settings that are the prefix's own variables stay variables: `oauth2 … job`, nothing else;
   * a secret that is a {{variable}} is written as one. */
  {
    g_autoptr(LadleRequest) request = ladle_request_new ();
    g_autoptr(LadleHttpEntry) entry = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *text = NULL;

    ladle_request_set_url (request, "http://127.0.0.1:9/");
    ladle_request_set_auth_kind (request, LADLE_AUTH_OAUTH2);
    ladle_request_set_oauth2_token_url (request, "{{job_tokenEndpoint}}");
    ladle_request_set_oauth2_client_id (request, "{{job_clientId}}");
    ladle_request_set_oauth2_client_secret (request, "{{jobSecret}}");
    entry = ladle_http_entry_new_from_request (request, NULL);
    text = ladle_http_entry_format_checked (entry, "\n", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (text, ==,
                     "###\n"
                     "@job_clientSecret = {{jobSecret}}\n"
                     "GET http://127.0.0.1:9/\n"
                     "Authorization: oauth2 client_credentials job\n\n");
  }
}

static void
test_environments_save (void)
{
  g_autofree char *dir = ladle_test_make_tmpdir ("ladle-vars-XXXXXX");
  g_autofree char *env_path = g_build_filename (dir, "http-client.env.json", NULL);
  g_autofree char *private_path = g_build_filename (dir, "http-client.private.env.json", NULL);
  g_autoptr(LadleHttpEnvironments) envs = NULL;
  g_autoptr(LadleHttpEnvironments) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GStatBuf st;

  /* Nothing to write: no file appears. */
  envs = ladle_http_environments_load (dir, &error);
  g_assert_no_error (error);
  ladle_http_environments_set (envs, "dev", "x", NULL, FALSE);
  g_assert_true (ladle_http_environments_save (envs, &error));
  g_assert_cmpuint (ladle_test_count_entries (dir), ==, 0);
  g_clear_pointer (&envs, ladle_http_environments_unref);

  write_file (dir, "http-client.env.json",
              "{\n  \"prod\": {\"z\": 1, \"a\": \"x\",\n"
              "  \"keep\": {\"deep\": true, \"list\": [1, \"two\\n\"], \"empty\": []}},\n"
              "  \"dev\": {\"host\": \"localhost\", \"token\": \"visible\"}\n}\n");
  envs = ladle_http_environments_load (dir, &error);
  g_assert_no_error (error);

  ladle_http_environments_set (envs, "dev", "token", "hidden", TRUE);
  ladle_http_environments_set (envs, "dev", "port", "8080", FALSE);
  ladle_http_environments_set (envs, NULL, "common", "c", FALSE);
  ladle_http_environments_add_env (envs, "staging");
  g_assert_true (ladle_http_environments_is_secret (envs, "dev", "token"));
  g_assert_false (ladle_http_environments_is_secret (envs, "dev", "host"));
  g_assert_true (ladle_http_environments_save (envs, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (env_path, &text, NULL, NULL));
  g_assert_cmpstr (text, ==,
                   "{\n"
                   "  \"prod\": {\n"
                   "    \"z\": 1,\n"
                   "    \"a\": \"x\",\n"
                   "    \"keep\": {\n"
                   "      \"deep\": true,\n"
                   "      \"list\": [\n"
                   "        1,\n"
                   "        \"two\\n\"\n"
                   "      ],\n"
                   "      \"empty\": []\n"
                   "    }\n"
                   "  },\n"
                   "  \"dev\": {\n"
                   "    \"host\": \"localhost\",\n"
                   "    \"port\": \"8080\"\n"
                   "  },\n"
                   "  \"$shared\": {\n"
                   "    \"common\": \"c\"\n"
                   "  },\n"
                   "  \"staging\": {}\n"
                   "}\n");
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (private_path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\"token\": \"hidden\""));
  g_assert_cmpint (g_stat (private_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_clear_pointer (&text, g_free);

  again = ladle_http_environments_load (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ladle_http_environments_lookup (again, "dev", "token", NULL), ==, "hidden");
  g_assert_true (ladle_http_environments_is_secret (again, "dev", "token"));
  g_assert_true (ladle_http_environments_has (again, "staging"));

  /* Back from secret to shared; removal. */
  ladle_http_environments_set (again, "dev", "token", "plain", FALSE);
  ladle_http_environments_set (again, "prod", "z", NULL, FALSE);
  g_assert_true (ladle_http_environments_save (again, &error));
  g_clear_pointer (&envs, ladle_http_environments_unref);
  envs = ladle_http_environments_load (dir, &error);
  g_assert_no_error (error);
  g_assert_false (ladle_http_environments_is_secret (envs, "dev", "token"));
  g_assert_cmpstr (ladle_http_environments_lookup (envs, "dev", "token", NULL), ==, "plain");
  g_assert_null (ladle_http_environments_lookup (envs, "prod", "z", NULL));

  /* A failed save leaves nothing behind: the target is a folder. */
  g_assert_cmpint (g_remove (env_path), ==, 0);
  g_assert_cmpint (g_mkdir (env_path, 0700), ==, 0);
  ladle_http_environments_set (envs, "dev", "more", "1", FALSE);
  g_assert_false (ladle_http_environments_save (envs, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_NOT_WRITABLE);
  g_clear_error (&error);
  g_assert_cmpuint (ladle_test_count_entries (dir), ==, 2);
  g_assert_cmpuint (ladle_test_count_entries (env_path), ==, 0);

  ladle_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uploads = NULL;
  int status;

  ladle_test_init (&argc, &argv);

  uploads = ladle_test_make_tmpdir ("ladle-vars-uploads-XXXXXX");
  server = ladle_server_new ();
  ladle_server_set_port (server, 0);
  ladle_server_set_uploads_dir (server, uploads);
  g_assert_true (ladle_server_start (server, &error));
  base = g_strdup_printf ("http://127.0.0.1:%u", ladle_server_get_bound_port (server));
  client = ladle_http_client_new ();

  g_test_add_func ("/ladle/http-vars/precedence", test_precedence);
  g_test_add_func ("/ladle/http-vars/nested-values", test_nested_values);
  g_test_add_func ("/ladle/http-vars/dynamic", test_dynamic);
  g_test_add_func ("/ladle/http-vars/process-env-dotenv", test_process_env_and_dotenv);
  g_test_add_func ("/ladle/http-vars/env-files", test_env_files);
  g_test_add_func ("/ladle/http-vars/find-folder", test_find_folder);
  g_test_add_func ("/ladle/http-vars/chaining", test_chaining);
  g_test_add_func ("/ladle/http-vars/dependencies", test_dependencies);
  g_test_add_func ("/ladle/http-vars/unresolved", test_unresolved);
  g_test_add_func ("/ladle/http-vars/cycles", test_cycles);
  g_test_add_func ("/ladle/http-vars/many-braces", test_many_braces);
  g_test_add_func ("/ladle/http-vars/build-request", test_build_request);
  g_test_add_func ("/ladle/http-vars/build-basic", test_build_basic_forms);
  g_test_add_func ("/ladle/http-vars/build-errors", test_build_errors);
  g_test_add_func ("/ladle/http-vars/build-digest", test_build_digest);
  g_test_add_func ("/ladle/http-vars/max-redirects-round-trip", test_max_redirects_round_trip);
  g_test_add_func ("/ladle/http-vars/transport-directives", test_transport_directives);
  g_test_add_func ("/ladle/http-vars/transport-round-trip", test_transport_round_trip);
  g_test_add_func ("/ladle/http-vars/environments-save", test_environments_save);
  g_test_add_func ("/ladle/http-vars/oauth2", test_oauth2);
  g_test_add_func ("/ladle/http-vars/oauth2-errors", test_oauth2_errors);
  g_test_add_func ("/ladle/http-vars/oauth2-round-trip", test_oauth2_round_trip);
  g_test_add_func ("/ladle/http-vars/host-certs", test_host_certs);
  g_test_add_func ("/ladle/http-vars/ssl-configuration", test_ssl_configuration);

  status = ladle_test_run ();

  g_assert_finalize_object (client);
  ladle_server_stop (server);
  g_clear_object (&server);
  ladle_test_rm_rf (uploads);
  g_free (base);
  return status;
}
