/* test-interop-httpyac.c
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

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ladle-test-utils.h"

/* The same `.http` files of tests/data/http/, run by httpyac 6 (npm, an independent reading of
 * the format) and by `ladle run`, against one in-process LadleServer on 127.0.0.1: the server's
 * log must show the same requests (request line, the headers the files write, body bytes) in the
 * same order, and the `??` assertions both run must get the same verdicts.
 *
 * Headers each client adds of its own (User-Agent, Accept-Encoding, Connection, Host, Accept
 * when it is httpyac's default) are left out of the comparison, and so are values that differ by
 * design on every run ({{$uuid}} values are compared as "<uuid>"; files with timestamps are not in
 * the list).
 * httpyac comes from tools/npm-peers.sh (tools/deps.sh test), found through LADLE_NPM_PEERS. */

/* What each client adds of its own */
static const char * const ignored_headers[] = {
  "user-agent", "accept-encoding", "connection", "host", "content-length", NULL
};

typedef struct
{
  LadleTestLogServer *server;
  char               *tmpdir;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *uploads = NULL;

  fixture->tmpdir = ladle_test_make_tmpdir ("ladle-interop-httpyac-XXXXXX");
  uploads = g_build_filename (fixture->tmpdir, "uploads", NULL);
  /* a Node.js client may wait for the connection it keeps alive to close before it exits: 2 s
   * here, not the default 60 */
  fixture->server = ladle_test_log_server_new (uploads, 1.0);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  ladle_test_log_server_free (fixture->server);
  ladle_test_rm_rf (fixture->tmpdir);
  g_free (fixture->tmpdir);
}

static char *
httpyac_path (void)
{
  const char *peers = g_getenv ("LADLE_NPM_PEERS");
  char *path = g_build_filename (peers != NULL ? peers : "", ".bin", "httpyac", NULL);

  if (peers == NULL || !g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("httpyac is not installed (%s): run tools/deps.sh test", path);
  return path;
}

/* Runs @argv in the fixture's folder; returns, as text, the requests the server saw meanwhile
 * (each request line, the headers clients do not add of their own, the body). */
static char *
run_and_describe (Fixture            *fixture,
                  const char * const *argv,
                  guint              *out_count,
                  char              **out_stdout)
{
  GPtrArray *log = ladle_test_log_server_get_log (fixture->server);
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *joined = g_strjoinv (" ", (char **) argv);
  g_autoptr(GRegex) uuid = g_regex_new ("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
                                        "[0-9a-f]{12}", 0, 0, NULL);
  g_autoptr(GString) text = g_string_new (NULL);

  g_ptr_array_set_size (log, 0);
  g_assert_cmpint (g_chdir (fixture->tmpdir), ==, 0);
  ladle_test_run_command (argv, (const char * const []) { "NO_COLOR", "1", NULL }, &out, &err);
  g_assert_cmpint (g_chdir (cwd), ==, 0);
  g_test_message ("%s\nstdout:\n%s\nstderr:\n%s", joined, out, err);
  ladle_test_log_server_settle (fixture->server);

  for (guint i = 0; i < log->len; i++)
    {
      const LadleTestLogged *logged = g_ptr_array_index (log, i);
      g_autofree char *headers = ladle_test_logged_headers (logged, ignored_headers);
      g_autoptr(GString) kept = g_string_new ("\n");
      gsize size = 0;
      const char *data = g_bytes_get_data (logged->body, &size);
      g_autofree char *body = ladle_test_escape_bytes (data, size);

      /* httpyac's default Accept; Ladle sends none */
      g_string_append (kept, headers);
      g_string_replace (kept, "\naccept: */*\n", "\n", 0);
      g_string_append_printf (text, "%s %s\n%sbody: %s\n\n", logged->method, logged->path,
                              kept->str + 1, body);
    }

  *out_count = log->len;
  if (out_stdout != NULL)
    *out_stdout = g_steal_pointer (&out);
  /* {{$uuid}} differs on every run, by design */
  return g_regex_replace_literal (uuid, text->str, -1, 0, "<uuid>", 0, NULL);
}

/* httpyac's verdicts, "passed"/"failed", one per `??` line, in order (its messages are its own
 * rewording of the line, so Ladle's texts name them). */
static GPtrArray *
httpyac_verdicts (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GPtrArray *out = g_ptr_array_new ();
  JsonArray *requests;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  requests = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                           "requests");
  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *request = json_array_get_object_element (requests, i);
      JsonArray *results = json_object_get_array_member (request, "testResults");

      for (guint j = 0; results != NULL && j < json_array_get_length (results); j++)
        {
          JsonObject *result = json_array_get_object_element (results, j);
          const char *status = json_object_get_string_member (result, "status");

          g_ptr_array_add (out, (gpointer) (strcmp (status, "SUCCESS") == 0 ? "passed" : "failed"));
        }
    }

  return out;
}

/* "text → verdict" of Ladle's report, and the same texts with httpyac's verdicts, leaving out
 * the JavaScript ones (`?? js`: httpyac runs them, Ladle does not). */
static void
compare_verdicts (const char  *path,
                  GPtrArray   *theirs,
                  char       **out_ours,
                  char       **out_theirs)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GString *ours = g_string_new (NULL);
  GString *them = g_string_new (NULL);
  JsonArray *requests;
  guint index = 0;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  requests = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                           "requests");
  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *request = json_array_get_object_element (requests, i);
      JsonArray *results = json_object_get_array_member (request, "assertions");

      for (guint j = 0; j < json_array_get_length (results); j++)
        {
          JsonObject *result = json_array_get_object_element (results, j);
          const char *text = json_object_get_string_member (result, "assertion");
          const char *verdict = json_object_get_string_member (result, "result");
          const char *their = index < theirs->len ? g_ptr_array_index (theirs, index) : "missing";

          index++;
          if (g_str_has_prefix (text, "js "))
            continue;
          g_string_append_printf (ours, "%s → %s\n", text,
                                  strcmp (verdict, "passed") == 0 ? "passed" : "failed");
          g_string_append_printf (them, "%s → %s\n", text, their);
        }
    }

  if (index != theirs->len)
    g_string_append_printf (them, "(httpyac ran %u assertions, Ladle %u)\n", theirs->len, index);
  *out_ours = g_string_free (ours, FALSE);
  *out_theirs = g_string_free (them, FALSE);
}

/* Copies tests/data/http/ (one level of sub-folders) into @dest, the corpus' fixed address
 * (port 8080) replaced by the test server's. */
static void
copy_corpus (const char *source,
             const char *dest,
             const char *url)
{
  g_autoptr(GDir) dir = g_dir_open (source, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  g_assert_cmpint (g_mkdir_with_parents (dest, 0755), ==, 0);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *from = g_build_filename (source, name, NULL);
      g_autofree char *to = g_build_filename (dest, name, NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GError) error = NULL;
      gsize length = 0;

      if (g_file_test (from, G_FILE_TEST_IS_DIR))
        {
          copy_corpus (from, to, url);
          continue;
        }

      g_file_get_contents (from, &contents, &length, &error);
      g_assert_no_error (error);
      if (g_str_has_suffix (name, ".http") || g_str_has_suffix (name, ".rest") ||
          g_str_has_suffix (name, ".json"))
        {
          g_autoptr(GString) text = g_string_new_len (contents, length);

          g_string_replace (text, "http://127.0.0.1:8080", url, 0);
          g_string_replace (text, "http://localhost:8080", url, 0);
          g_file_set_contents (to, text->str, text->len, &error);
        }
      else
        g_file_set_contents (to, contents, length, &error);
      g_assert_no_error (error);
    }
}

static void
test_same_wire (Fixture       *fixture,
                gconstpointer  data)
{
  const char *name = data;
  g_autofree char *corpus = g_test_build_filename (G_TEST_DIST, "data", "http", NULL);
  g_autofree char *copy = g_build_filename (fixture->tmpdir, "http", NULL);
  g_autofree char *file = g_build_filename ("http", name, NULL);
  g_autofree char *httpyac = httpyac_path ();
  g_autofree char *var = g_strdup_printf ("host=%s",
                                          ladle_test_log_server_get_url (fixture->server));
  g_autofree char *report = g_build_filename (fixture->tmpdir, "ladle.json", NULL);
  g_autofree char *httpyac_out = NULL;
  g_autofree char *ladle_report = NULL;
  g_autofree char *theirs_text = NULL;
  g_autofree char *ours_text = NULL;
  guint n_theirs = 0, n_ours = 0;
  g_autofree char *theirs_verdicts = NULL;
  g_autofree char *ours_verdicts = NULL;
  g_autoptr(GPtrArray) verdicts = NULL;

  copy_corpus (corpus, copy, ladle_test_log_server_get_url (fixture->server));

  theirs_text = run_and_describe (fixture, (const char * const []) {
                                    httpyac, "send", file, "--all", "--env", "local", "--var", var,
                                    "-o", "none", "--json", NULL }, &n_theirs, &httpyac_out);
  ours_text = run_and_describe (fixture, (const char * const []) {
                                  g_getenv ("LADLE_BIN"), "run", "--env", "local", "--var", var,
                                  "--json", report, file, NULL }, &n_ours, NULL);

  g_assert_cmpuint (n_theirs, >, 0);
  g_assert_cmpstr (ours_text, ==, theirs_text);

  /* httpyac prints its JSON after its own log lines, if any */
  verdicts = httpyac_verdicts (strchr (httpyac_out, '{'));
  compare_verdicts (report, verdicts, &ours_verdicts, &theirs_verdicts);
  g_assert_cmpstr (ours_verdicts, ==, theirs_verdicts);
}

/* The corpus files both tools read the same way. Left out, and why:
 *   06-json-body      {{$randomInt}}, and {{$timestamp}}, which httpyac counts in milliseconds
 *                     (JetBrains and REST Client, and so Ladle, in seconds)
 *   17-chaining       REST Client's {{login.response.body.$…}}, which httpyac sends as written
 *   22-comments       httpyac drops body lines that start with # or //; Ladle sends them, as
 *                     body text is the user's (JetBrains' client reads them as body too)
 *   24-cyrillic       a Cyrillic header value: httpyac (Node) refuses to send what is not
 *                     Latin-1; Ladle sends it as UTF-8 (its body requests match: 24's second one)
 *   33-auth           `Digest user pass`: httpyac answers the challenge, Ladle keeps the header
 *                     as written (digest authentication is not in Ladle yet); its Basic requests
 *                     match
 *   03-http-versions  httpyac asks for HTTP/2 on `HTTP/2` lines (cleartext h2c), Ladle does not
 *   14-dynamic-variables, 21-httpyac-script, 19/20 (scripts): values or scripts differ per run
 *   25-output-redirect  httpyac writes the response files (`>>`), Ladle keeps them as not run */
static const char * const same_wire_files[] = {
  "01-short-form.http",
  "04-query-continuation.http",
  "05-headers.http",
  "07-text-body.http",
  "08-form-body.http",
  "09-file-body.http",
  "10-multipart.http",
  "11-file-variables.http",
  "12-request-variables.http",
  "13-environment.http",
  "15-names.http",
  "18-assertions.http",
  "23-crlf.http",
  "27-ndjson.http",
  "28-mixed-body.http",
  "29-graphql-like.http",
  "31-no-trailing-newline.http",
  "32-blank-separators.http",
  "34-xml.http",
  NULL
};

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  for (guint i = 0; same_wire_files[i] != NULL; i++)
    {
      g_autofree char *path = g_strdup_printf ("/ladle/interop-httpyac/%s", same_wire_files[i]);

      g_test_add (path, Fixture, same_wire_files[i], fixture_setup, test_same_wire,
                  fixture_teardown);
    }

  return ladle_test_run ();
}
