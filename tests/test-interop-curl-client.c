/* test-interop-curl-client.c
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

#include "ladle-test-utils.h"

/* `ladle send` beside curl 7.88 (issue 13): the same requests — cookies given with -H and -b,
 * 307/308 after a POST or a PUT with a body, 303 and 302 after a POST, redirect chains to
 * /absolute-redirect/N, /relative-redirect/N and /redirect/N, redirect limits, no-follow,
 * compressed bodies — sent to Debian's python3-httpbin (the original httpbin, 0.7) and to
 * `ladle serve`, must give the same status, the same final URL and the same body. A JSON body is
 * compared parsed, without the values that tell the clients apart (User-Agent, Accept,
 * Accept-Encoding, Connection): nothing else differs. Skipped without python3-httpbin. */

#define CURL           "/usr/bin/curl"
#define SYSTEM_PYTHON  "/usr/bin/python3"
#define HTTPBIN_MODULE "/usr/lib/python3/dist-packages/httpbin/__init__.py"

/* httpbin on a port the kernel picks, named on the first line of stdout */
static const char httpbin_script[] =
  "import logging, sys\n"
  "logging.getLogger('werkzeug').setLevel(logging.ERROR)\n"
  "import httpbin\n"
  "from werkzeug.serving import make_server\n"
  "server = make_server('127.0.0.1', 0, httpbin.app, threaded=True)\n"
  "print('Serving on http://127.0.0.1:%d/' % server.server_port, flush=True)\n"
  "server.serve_forever()\n";

enum
{
  BOTH_FAIL = 1 << 0,   /* both clients give up (a limit), with no response */
};

typedef struct
{
  const char *name;
  const char *path;
  const char *ladle[10];   /* `ladle send` arguments; {URL} is the full URL (else it comes last) */
  const char *curl[12];    /* curl arguments, the same way; -sS -o FILE -w … are added */
  guint       flags;
} Case;

static const Case cases[] = {
  { "get-query", "/get?a=1&b=x%20y", { NULL }, { "-L", NULL }, 0 },
  { "headers", "/headers", { "-H", "X-Test: one", NULL }, { "-L", "-H", "X-Test: one", NULL }, 0 },

  /* Cookies the user gives: -H, -b, a pasted curl command, and beside the jar's */
  { "cookie-header", "/cookies", { "-H", "Cookie: x=1; y=two", NULL },
    { "-L", "-H", "Cookie: x=1; y=two", NULL }, 0 },
  { "cookie-b", "/cookies", { "--curl", "curl -b 'x=1' -b 'z=3' '{URL}'", NULL },
    { "-L", "-b", "x=1", "-b", "z=3", NULL }, 0 },
  { "cookie-pasted-header", "/cookies", { "--curl", "curl '{URL}' -H 'Cookie: s=abc'", NULL },
    { "-L", "-H", "Cookie: s=abc", NULL }, 0 },
  { "cookie-with-jar", "/cookies/set?a=1&b=2", { "-H", "Cookie: x=1", NULL },
    /* -c turns curl's cookie engine on, as Ladle's jar is */
    { "-L", "-c", "/dev/null", "-b", "x=1", NULL }, 0 },

  /* 307 and 308 send the method and the body again */
  { "post-307", "/redirect-to?url=/post&status_code=307",
    { "-X", "POST", "-d", "a=1&b=2", NULL }, { "-L", "-d", "a=1&b=2", NULL }, 0 },
  { "post-308-json", "/redirect-to?url=%2Fanything%2Fx&status_code=308",
    { "-X", "POST", "-H", "Content-Type: application/json", "-d", "{\"k\": [1, 2]}", NULL },
    { "-L", "-H", "Content-Type: application/json", "-d", "{\"k\": [1, 2]}", NULL }, 0 },
  { "put-308-file", "/redirect-to?url=/put&status_code=308",
    { "-X", "PUT", "-H", "Content-Type: application/octet-stream", "--data-file", "{FILE}", NULL },
    { "-L", "-X", "PUT", "-H", "Content-Type: application/octet-stream", "--data-binary",
      "@{FILE}", NULL }, 0 },
  { "put-307-file", "/redirect-to?url=/anything&status_code=307",
    { "-X", "PUT", "-H", "Content-Type: text/plain", "--data-file", "{FILE}", NULL },
    { "-L", "-X", "PUT", "-H", "Content-Type: text/plain", "--data-binary", "@{FILE}", NULL }, 0 },

  /* 303, and 302 and 301 after a POST: a GET without the body */
  { "post-303", "/redirect-to?url=/get&status_code=303",
    { "-X", "POST", "-d", "a=1", NULL }, { "-L", "-d", "a=1", NULL }, 0 },
  { "post-302", "/redirect-to?url=/get&status_code=302",
    { "-X", "POST", "-d", "a=1", NULL }, { "-L", "-d", "a=1", NULL }, 0 },
  { "post-301", "/redirect-to?url=/get&status_code=301",
    { "-X", "POST", "-d", "a=1", NULL }, { "-L", "-d", "a=1", NULL }, 0 },

  /* Chains */
  { "absolute-redirect-6", "/absolute-redirect/6", { NULL }, { "-L", NULL }, 0 },
  { "relative-redirect-6", "/relative-redirect/6", { NULL }, { "-L", NULL }, 0 },
  { "redirect-6", "/redirect/6", { NULL }, { "-L", NULL }, 0 },
  { "redirect-to-absolute", "/redirect-to?url=%2Fget%3Fq%3D1", { NULL }, { "-L", NULL }, 0 },
  { "redirect-30", "/redirect/30", { NULL }, { "-L", NULL }, 0 },

  /* Limits and no-follow */
  { "limit-exceeded", "/redirect/5", { "--max-redirects", "3", NULL },
    { "-L", "--max-redirs", "3", NULL }, BOTH_FAIL },
  { "limit-exact", "/absolute-redirect/4", { "--max-redirects", "4", NULL },
    { "-L", "--max-redirs", "4", NULL }, 0 },
  { "limit-zero", "/redirect/1", { "--max-redirects", "0", NULL },
    { "-L", "--max-redirs", "0", NULL }, BOTH_FAIL },
  { "no-follow", "/redirect/2", { "--no-follow", NULL }, { NULL }, 0 },
  { "no-follow-307", "/redirect-to?url=/post&status_code=307",
    { "--no-follow", "-X", "POST", "-d", "a=1", NULL }, { "-d", "a=1", NULL }, 0 },

  /* Bodies */
  { "gzip", "/gzip", { NULL }, { "-L", "--compressed", NULL }, 0 },
  { "deflate", "/deflate", { NULL }, { "-L", "--compressed", NULL }, 0 },
  { "teapot", "/status/418", { NULL }, { "-L", NULL }, 0 },
  { "html", "/html", { NULL }, { "-L", NULL }, 0 },
  { "not-found", "/no/such/route", { NULL }, { "-L", NULL }, 0 },
};

/* Headers whose values tell the clients apart; any other difference is a failure. */
static const char * const volatile_headers[] = {
  "User-Agent", "Accept", "Accept-Encoding", "Connection", "Keep-Alive", NULL
};

typedef struct
{
  char           *tmpdir;
  char           *uploads;
  char           *body_file;
  GSubprocess    *httpbin;
  char           *httpbin_url;
  LadleTestServe  serve;
  guint           compared;
} Fixture;

typedef struct
{
  int        exit_status;
  guint      status;
  char      *final_url;   /* curl's %{url_effective}; NULL for Ladle (taken from the body) */
  char      *body;
  gsize      body_len;
  JsonNode  *json;
  char      *err;
} Outcome;

static void
outcome_clear (Outcome *o)
{
  g_clear_pointer (&o->final_url, g_free);
  g_clear_pointer (&o->body, g_free);
  g_clear_pointer (&o->json, json_node_unref);
  g_clear_pointer (&o->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Outcome, outcome_clear)

static gboolean
httpbin_available (void)
{
  return g_file_test (HTTPBIN_MODULE, G_FILE_TEST_EXISTS) &&
         g_file_test (SYSTEM_PYTHON, G_FILE_TEST_IS_EXECUTABLE) &&
         g_file_test (CURL, G_FILE_TEST_IS_EXECUTABLE);
}

static void
httpbin_start (Fixture *fixture)
{
  g_autoptr(GSubprocessLauncher) launcher =
    ladle_test_new_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                             NULL);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GRegex) regex = g_regex_new (" (http://127\\.0\\.0\\.1:[0-9]+)/$", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  fixture->httpbin = g_subprocess_launcher_spawn (launcher, &error, SYSTEM_PYTHON, "-c",
                                                  httpbin_script, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fixture->httpbin));
  line = ladle_test_read_line (out);
  g_assert_nonnull (line);
  g_assert_true (g_regex_match (regex, line, 0, &match));
  fixture->httpbin_url = g_match_info_fetch (match, 1);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = ladle_test_make_tmpdir ("ladle-interop-curl-client-XXXXXX");
  fixture->uploads = g_build_filename (fixture->tmpdir, "uploads", NULL);
  g_assert_cmpint (g_mkdir (fixture->uploads, 0755), ==, 0);
  fixture->body_file = g_build_filename (fixture->tmpdir, "body.txt", NULL);
  g_file_set_contents (fixture->body_file, "line one\nline two: ü\n", -1, &error);
  g_assert_no_error (error);
  httpbin_start (fixture);
  ladle_test_serve_start (&fixture->serve, fixture->uploads, NULL, NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;

  /* Python ends on SIGTERM without a handler: killed by it, not exited */
  g_subprocess_send_signal (fixture->httpbin, SIGTERM);
  g_subprocess_wait_async (fixture->httpbin, NULL, ladle_test_async_done, &result);
  LADLE_TEST_WAIT_UNTIL (result != NULL, 20000);
  g_subprocess_wait_finish (fixture->httpbin, result, NULL);
  g_clear_object (&fixture->httpbin);
  ladle_test_serve_stop (&fixture->serve, SIGTERM);
  ladle_test_rm_rf (fixture->tmpdir);
  g_free (fixture->httpbin_url);
  g_free (fixture->body_file);
  g_free (fixture->uploads);
  g_free (fixture->tmpdir);
}

/* {URL} and {FILE} in @arg replaced */
static char *
substitute (const char *arg,
            const char *url,
            const char *file)
{
  g_autoptr(GString) text = g_string_new (arg);

  g_string_replace (text, "{URL}", url, 0);
  g_string_replace (text, "{FILE}", file, 0);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Adds @args to @builder, then @url unless an argument held it */
static void
add_args (GStrvBuilder       *builder,
          const char * const *args,
          const char         *url,
          const char         *file)
{
  gboolean has_url = FALSE;

  for (guint i = 0; args[i] != NULL; i++)
    {
      g_autofree char *arg = substitute (args[i], url, file);

      has_url |= strstr (args[i], "{URL}") != NULL;
      g_strv_builder_add (builder, arg);
    }
  if (!has_url)
    g_strv_builder_add (builder, url);
}

static void
read_body (Outcome    *o,
           const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!g_file_get_contents (path, &o->body, &o->body_len, NULL))
    {
      /* curl makes no file for an empty body */
      o->body = g_strdup ("");
      o->body_len = 0;
    }
  if (o->body_len > 0 && json_parser_load_from_data (parser, o->body, o->body_len, NULL) &&
      json_parser_get_root (parser) != NULL)
    o->json = json_node_copy (json_parser_get_root (parser));
  g_unlink (path);
}

static void
run_ladle (Fixture    *fixture,
           const Case *c,
           const char *url,
           Outcome    *o)
{
  g_autofree char *body_path = g_build_filename (fixture->tmpdir, "ladle.body", NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autofree char *out = NULL;
  g_autofree char *joined = NULL;

  g_strv_builder_add_many (builder, g_getenv ("LADLE_BIN"), "send", "-v", "-o", body_path, NULL);
  add_args (builder, c->ladle, url, fixture->body_file);
  argv = g_strv_builder_end (builder);
  joined = g_strjoinv (" ", argv + 1);
  g_test_message ("ladle %s", joined);

  o->exit_status = ladle_test_run_command ((const char * const *) argv, NULL, &out, &o->err);
  /* -v: the status line comes first on stderr */
  if (o->exit_status == 0)
    {
      g_autoptr(GRegex) regex = g_regex_new ("^HTTP/[0-9.]+ ([0-9]{3})", 0, 0, NULL);
      g_autoptr(GMatchInfo) match = NULL;
      g_autofree char *code = NULL;

      g_assert_true (g_regex_match (regex, o->err, 0, &match));
      code = g_match_info_fetch (match, 1);
      o->status = (guint) g_ascii_strtoull (code, NULL, 10);
    }
  read_body (o, body_path);
}

static void
run_curl (Fixture    *fixture,
          const Case *c,
          const char *url,
          Outcome    *o)
{
  g_autofree char *body_path = g_build_filename (fixture->tmpdir, "curl.body", NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autofree char *out = NULL;
  g_autofree char *joined = NULL;

  g_strv_builder_add_many (builder, CURL, "-sS", "--noproxy", "*", "-o", body_path,
                           "-w", "%{http_code} %{url_effective}", NULL);
  add_args (builder, c->curl, url, fixture->body_file);
  argv = g_strv_builder_end (builder);
  joined = g_strjoinv (" ", argv);
  g_test_message ("%s", joined);

  o->exit_status = ladle_test_run_command ((const char * const *) argv, NULL, &out, &o->err);
  if (o->exit_status == 0)
    {
      char *space = strchr (out, ' ');

      g_assert_nonnull (space);
      o->status = (guint) g_ascii_strtoull (out, NULL, 10);
      o->final_url = g_strdup (space + 1);
    }
  read_body (o, body_path);
}

/* Removes the values that tell the clients apart, wherever an echo of the request's headers is */
static void
drop_volatile (JsonNode *node,
               guint     depth)
{
  if (depth > 8 || node == NULL)
    return;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      if (json_object_has_member (object, "headers") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "headers")))
        {
          JsonObject *headers = json_object_get_object_member (object, "headers");

          for (guint i = 0; volatile_headers[i] != NULL; i++)
            json_object_remove_member (headers, volatile_headers[i]);
        }
      for (GList *l = members; l != NULL; l = l->next)
        drop_volatile (json_object_get_member (object, l->data), depth + 1);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        drop_volatile (json_array_get_element (array, i), depth + 1);
    }
}

static char *
to_text (JsonNode *node)
{
  return json_to_string (node, TRUE);
}

static void
compare_case (Fixture    *fixture,
              const char *peer,
              const char *base,
              const Case *c)
{
  g_autofree char *url = g_strconcat (base, c->path, NULL);
  g_auto(Outcome) ladle = { 0, };
  g_auto(Outcome) curl = { 0, };

  run_ladle (fixture, c, url, &ladle);
  run_curl (fixture, c, url, &curl);
  g_test_message ("%s %s: ladle exit %d status %u, curl exit %d status %u %s", peer, c->name,
                  ladle.exit_status, ladle.status, curl.exit_status, curl.status,
                  curl.final_url != NULL ? curl.final_url : "");

  if (c->flags & BOTH_FAIL)
    {
      g_assert_cmpint (curl.exit_status, ==, 47);            /* CURLE_TOO_MANY_REDIRECTS */
      g_assert_cmpint (ladle.exit_status, ==, 1);
      g_assert_nonnull (strstr (ladle.err, "Too many redirects"));
      fixture->compared++;
      return;
    }

  if (curl.exit_status != 0 || ladle.exit_status != 0)
    g_test_message ("curl: %s\nladle: %s", curl.err, ladle.err);
  g_assert_cmpint (curl.exit_status, ==, 0);
  g_assert_cmpint (ladle.exit_status, ==, 0);
  g_assert_cmpuint (ladle.status, ==, curl.status);

  if (curl.json != NULL && ladle.json != NULL)
    {
      g_autofree char *curl_text = NULL;
      g_autofree char *ladle_text = NULL;

      /* The final URL: curl's own, and the one the server saw from Ladle */
      if (JSON_NODE_HOLDS_OBJECT (ladle.json) &&
          json_object_has_member (json_node_get_object (ladle.json), "url"))
        g_assert_cmpstr (json_object_get_string_member (json_node_get_object (ladle.json), "url"),
                         ==, curl.final_url);
      drop_volatile (curl.json, 0);
      drop_volatile (ladle.json, 0);
      curl_text = to_text (curl.json);
      ladle_text = to_text (ladle.json);
      g_assert_cmpstr (ladle_text, ==, curl_text);
    }
  else
    {
      g_assert_cmpmem (ladle.body, ladle.body_len, curl.body, curl.body_len);
    }

  /* A redirect Ladle did not follow is said on stderr, once */
  if (curl.status >= 300 && curl.status < 400)
    g_assert_nonnull (strstr (ladle.err, "was not followed: following redirects is off"));

  fixture->compared++;
}

static void
test_same_as_curl (Fixture       *fixture,
                   gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      compare_case (fixture, "httpbin", fixture->httpbin_url, &cases[i]);
      compare_case (fixture, "ladle-serve", fixture->serve.url, &cases[i]);
    }
  g_test_message ("%u requests compared (%zu cases, 2 servers)", fixture->compared,
                  G_N_ELEMENTS (cases));
  g_assert_cmpuint (fixture->compared, ==, 2 * G_N_ELEMENTS (cases));
}

static void
test_skip (gconstpointer data)
{
  g_test_skip (data);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  if (g_getenv ("LADLE_BIN") == NULL)
    g_error ("LADLE_BIN must be set (meson test sets it)");

  if (!httpbin_available ())
    g_test_add_data_func ("/ladle/interop-curl-client/same-as-curl",
                          "python3-httpbin or curl is not installed (tools/deps.sh test)",
                          test_skip);
  else
    g_test_add ("/ladle/interop-curl-client/same-as-curl", Fixture, NULL, fixture_setup,
                test_same_as_curl, fixture_teardown);

  return ladle_test_run ();
}
