/* test-cli-send.c
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
#include <stdarg.h>
#include <string.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ladle-mock-routes.h"
#include "ladle-oauth-provider.h"
#include "ladle-server.h"
#include "ladle-test-utils.h"

/* `ladle send` (the real executable, LADLE_BIN) against an in-process LadleServer on port 0. The
 * server runs on a thread of its own, so this thread only has to keep its main context turning
 * (for the server's "request-logged" batches) while it waits for the child. */

#define EXIT_TIMEOUT_MS 20000

/* A compact JSON body, for telling --pretty from --raw (httpbin's own answers come indented). */
static const char compact_json[] = "{\"a\":[1,2],\"b\":\"ä\"}";

/* --- Running `ladle send` -------------------------------------------------------------------- */

typedef struct
{
  char                 *tmpdir;
  char                 *uploads;
  char                 *url;        /* http://127.0.0.1:PORT, no trailing slash */
  LadleServer          *server;
  GPtrArray            *paths;      /* "METHOD PATH STATUS" of each logged request */
} Fixture;

typedef struct
{
  GSubprocess  *proc;
  GAsyncResult *result;
  gint64        start;
} Send;

static void
kill_with_parent (gpointer data)
{
  /* A failed assertion aborts the test: the client must not outlive it. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
on_async_done (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

/* Arguments starting with "URL/" get the server's URL in place of "URL". */
static void
send_spawnv (Send               *send,
             Fixture            *fixture,
             const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autofree char *joined = NULL;
  g_autoptr(GError) error = NULL;

  g_strv_builder_add_many (builder, g_getenv ("LADLE_BIN"), "send", NULL);
  for (guint i = 0; args[i] != NULL; i++)
    {
      if (g_str_has_prefix (args[i], "URL/"))
        {
          g_autofree char *url = g_strconcat (fixture->url, args[i] + 3, NULL);
          g_strv_builder_add (builder, url);
        }
      else
        {
          g_strv_builder_add (builder, args[i]);
        }
    }
  argv = g_strv_builder_end (builder);
  joined = g_strjoinv (" ", argv + 1);
  g_test_message ("ladle %s", joined);

  g_subprocess_launcher_set_child_setup (launcher, kill_with_parent, NULL, NULL);
  memset (send, 0, sizeof *send);
  send->start = g_get_monotonic_time ();
  send->proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_async (send->proc, NULL, NULL, on_async_done, &send->result);
}

static void
send_spawn_va (Send       *send,
               Fixture    *fixture,
               const char *first,
               va_list     args)
{
  g_autoptr(GPtrArray) array = g_ptr_array_new ();

  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (array, (gpointer) arg);
  g_ptr_array_add (array, NULL);
  send_spawnv (send, fixture, (const char * const *) array->pdata);
}

static void
send_spawn (Send       *send,
            Fixture    *fixture,
            const char *first,
            ...)
{
  va_list args;

  va_start (args, first);
  send_spawn_va (send, fixture, first, args);
  va_end (args);
}

static char *
bytes_to_string (GBytes *bytes)
{
  gsize len = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &len) : NULL;

  /* The bodies used here are text; a NUL inside would only shorten what the asserts see. */
  return g_strndup (data != NULL ? data : "", len);
}

/* Waits for the child; returns its exit status, with its stdout/stderr and run time. */
static int
send_finish (Send   *send,
             char  **out_stdout,
             char  **out_stderr,
             double *out_seconds)
{
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) wait_result = NULL;
  char *err_text;
  int status;

  LADLE_TEST_WAIT_UNTIL (send->result != NULL, EXIT_TIMEOUT_MS);
  g_subprocess_communicate_finish (send->proc, send->result, &out, &err, &error);
  g_assert_no_error (error);
  g_subprocess_wait_async (send->proc, NULL, on_async_done, &wait_result);
  LADLE_TEST_WAIT_UNTIL (wait_result != NULL, EXIT_TIMEOUT_MS);
  g_subprocess_wait_finish (send->proc, wait_result, &error);
  g_assert_no_error (error);
  if (out_seconds != NULL)
    *out_seconds = (g_get_monotonic_time () - send->start) / (double) G_USEC_PER_SEC;

  /* A crash, or an ASan report at exit, is never a proper answer. */
  err_text = bytes_to_string (err);
  if (!g_subprocess_get_if_exited (send->proc))
    g_error ("ladle send died (signal %d); stderr:\n%s", g_subprocess_get_term_sig (send->proc),
             err_text);
  status = g_subprocess_get_exit_status (send->proc);
  g_test_message ("exit status %d, stderr:\n%s", status, err_text);
  g_assert_null (strstr (err_text, "CRITICAL"));
  g_assert_null (strstr (err_text, "WARNING"));
  g_assert_null (strstr (err_text, "Sanitizer"));

  if (out_stdout != NULL)
    *out_stdout = bytes_to_string (out);
  if (out_stderr != NULL)
    *out_stderr = err_text;
  else
    g_free (err_text);

  g_clear_object (&send->result);
  g_clear_object (&send->proc);
  return status;
}

/* Runs `ladle send ARGS...` (NULL-terminated) to its end; returns its exit status. */
static int
run_send (Fixture     *fixture,
          char       **out_stdout,
          char       **out_stderr,
          const char  *first,
          ...)
{
  va_list args;
  Send send;

  va_start (args, first);
  send_spawn_va (&send, fixture, first, args);
  va_end (args);
  return send_finish (&send, out_stdout, out_stderr, NULL);
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static const char *
get_path_string (JsonObject *object,
                 const char *member,
                 const char *sub)
{
  JsonObject *inner = json_object_get_object_member (object, member);

  g_assert_nonnull (inner);
  if (!json_object_has_member (inner, sub))
    return NULL;
  return json_object_get_string_member (inner, sub);
}

/* Asserts @err is one "ladle send: " line with @needle in it, then the --help hint. */
static void
assert_usage_error (const char *err,
                    const char *needle)
{
  g_auto(GStrv) lines = g_strsplit (err, "\n", -1);

  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_true (g_str_has_prefix (lines[0], "ladle send: "));
  if (needle != NULL)
    g_assert_nonnull (strstr (lines[0], needle));
  g_assert_cmpstr (lines[1], ==, "Run “ladle send --help” to see the options.");
  g_assert_cmpstr (lines[2], ==, "");
}

/* Asserts @err is exactly one "ladle send: " line. */
static void
assert_one_error_line (const char *err)
{
  g_assert_true (g_str_has_prefix (err, "ladle send: "));
  g_assert_cmpstr (strchr (err, '\n'), ==, "\n");
}

static char *
write_temp_file (Fixture    *fixture,
                 const char *name,
                 const char *contents,
                 gssize      len)
{
  char *path = g_build_filename (fixture->tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);
  return path;
}

/* --- Fixture --------------------------------------------------------------------------------- */

static void
on_request_logged (LadleServer      *server,
                   LadleServerEvent *event,
                   gpointer          user_data)
{
  Fixture *fixture = user_data;

  if (ladle_server_event_get_method (event) != NULL)
    g_ptr_array_add (fixture->paths,
                     g_strdup_printf ("%s %s %u", ladle_server_event_get_method (event),
                                      ladle_server_event_get_path (event),
                                      ladle_server_event_get_status (event)));
}

/* JSON nested 200 000 levels deep: json-glib overflows its stack on it. */
static char *
deep_json (void)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < 200000; i++)
    g_string_append_c (s, '[');
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (s, ']');

  return g_string_free (s, FALSE);
}

static LadleMockRoute *
make_deep_route (void)
{
  LadleMockRoute *route = ladle_mock_route_new ("GET", "/deep");
  g_autofree char *body = deep_json ();

  ladle_mock_route_set_body (route, body);
  ladle_mock_route_set_content_type (route, "application/json");
  return route;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GListStore) routes = g_list_store_new (LADLE_TYPE_MOCK_ROUTE);
  g_autoptr(LadleMockRoute) route = ladle_mock_route_new ("GET", "/compact");
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = ladle_test_make_tmpdir ("ladle-cli-send-XXXXXX");
  fixture->uploads = g_build_filename (fixture->tmpdir, "uploads", NULL);
  g_assert_cmpint (g_mkdir (fixture->uploads, 0755), ==, 0);
  fixture->paths = g_ptr_array_new_with_free_func (g_free);

  ladle_mock_route_set_body (route, compact_json);
  ladle_mock_route_set_content_type (route, "application/json");
  g_list_store_append (routes, route);
  g_list_store_append (routes, make_deep_route ());

  fixture->server = ladle_server_new ();
  ladle_server_set_port (fixture->server, 0);
  ladle_server_set_uploads_dir (fixture->server, fixture->uploads);
  ladle_server_set_routes (fixture->server, G_LIST_MODEL (routes));
  ladle_server_set_log_requests (fixture->server, TRUE);
  g_signal_connect (fixture->server, "request-logged", G_CALLBACK (on_request_logged), fixture);
  g_assert_true (ladle_server_start (fixture->server, &error));
  g_assert_no_error (error);
  fixture->url = g_strdup_printf ("http://127.0.0.1:%u", ladle_server_get_bound_port (fixture->server));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  ladle_server_stop (fixture->server);
  g_signal_handlers_disconnect_by_data (fixture->server, fixture);
  g_assert_finalize_object (fixture->server);
  g_ptr_array_unref (fixture->paths);
  ladle_test_rm_rf (fixture->tmpdir);
  g_free (fixture->uploads);
  g_free (fixture->tmpdir);
  g_free (fixture->url);
}

/* --- Tests ----------------------------------------------------------------------------------- */

static void
test_get_root (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_send (fixture, &out, &err, "URL/", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "Hello, World!");
  g_assert_cmpstr (err, ==, "");
}

/* No scheme: http:// is assumed, as browsers and peers do. */
static void
test_no_scheme (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *url = NULL;

  g_assert_true (g_str_has_prefix (fixture->url, "http://127.0.0.1:"));
  url = g_strconcat (fixture->url + strlen ("http://"), "/get", NULL);
  g_assert_cmpint (run_send (fixture, &out, &err, "-v", url, NULL), ==, 0);
  g_assert_true (g_str_has_prefix (err, "HTTP/1.1 200 "));
  LADLE_TEST_WAIT_UNTIL (fixture->paths->len >= 1, 5000);
  g_assert_cmpstr (g_ptr_array_index (fixture->paths, 0), ==, "GET /get 200");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A scheme that is not HTTP stays an error */
  g_assert_cmpint (run_send (fixture, &out, &err, "ftp://127.0.0.1/get", NULL), !=, 0);
  g_assert_nonnull (strstr (err, "“ftp”"));
}

static void
test_not_found (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  /* A response arrived, so the exit status is 0 whatever the HTTP status. */
  g_assert_cmpint (run_send (fixture, &out, &err, "-v", "URL/no/such/page", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (err, "HTTP/1.1 404 "));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_send (fixture, &out, &err, "-v", "URL/status/500", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (err, "HTTP/1.1 500 "));
}

static void
test_json (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autoptr(JsonObject) answer = NULL;

  g_assert_cmpint (run_send (fixture, &out, NULL, "--json", "{\"ключ\": \"значение\"}",
                             "URL/post", NULL), ==, 0);
  answer = parse_object (out);
  g_assert_cmpstr (get_path_string (answer, "json", "ключ"), ==, "значение");
  g_assert_cmpstr (get_path_string (answer, "headers", "Content-Type"), ==, "application/json");
  g_assert_cmpstr (json_object_get_string_member (answer, "data"), ==,
                   "{\"ключ\": \"значение\"}");
}

static void
test_json_invalid (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *get_out = NULL;

  /* The JSON is checked before sending: a usage error with LINE:COL; nothing is sent. */
  g_assert_cmpint (run_send (fixture, &out, &err, "--json", "{\"a\": }", "URL/post", NULL), ==, 2);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, "ladle send: 1:7"));
  g_assert_nonnull (strstr (err, "ladle send --help"));

  /* Requests are logged in order: the first the server saw is the GET sent afterwards. */
  g_assert_cmpint (run_send (fixture, &get_out, NULL, "URL/get", NULL), ==, 0);
  LADLE_TEST_WAIT_UNTIL (fixture->paths->len >= 1, 5000);
  g_assert_cmpuint (fixture->paths->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->paths, 0), ==, "GET /get 200");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* --json-unchecked sends it as written */
  g_assert_cmpint (run_send (fixture, &out, &err, "--json-unchecked", "--json", "{\"a\": }",
                             "URL/post", NULL), ==, 0);
  {
    g_autoptr(JsonObject) answer = parse_object (out);

    g_assert_cmpstr (json_object_get_string_member (answer, "data"), ==, "{\"a\": }");
    g_assert_cmpstr (get_path_string (answer, "headers", "Content-Type"), ==, "application/json");
  }
}

static void
test_data_text (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autoptr(JsonObject) answer = NULL;

  g_assert_cmpint (run_send (fixture, &out, NULL, "--data", "plain words & more",
                             "-H", "Content-Type: text/plain", "URL/post", NULL), ==, 0);
  answer = parse_object (out);
  g_assert_cmpstr (json_object_get_string_member (answer, "data"), ==, "plain words & more");
  g_assert_true (g_str_has_prefix (get_path_string (answer, "headers", "Content-Type"),
                                   "text/plain"));
  g_assert_null (get_path_string (answer, "form", "plain words "));
}

static void
test_form (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autoptr(JsonObject) answer = NULL;

  g_assert_cmpint (run_send (fixture, &out, NULL, "--form", "a=1", "--form", "b=2", "URL/post",
                             NULL), ==, 0);
  answer = parse_object (out);
  g_assert_cmpstr (get_path_string (answer, "form", "a"), ==, "1");
  g_assert_cmpstr (get_path_string (answer, "form", "b"), ==, "2");
  g_assert_true (g_str_has_prefix (get_path_string (answer, "headers", "Content-Type"),
                                   "application/x-www-form-urlencoded"));
}

static void
test_file_multipart (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = write_temp_file (fixture, "note.txt", "first line\nsecond\n", -1);
  g_autofree char *file_arg = g_strconcat ("f=", path, NULL);
  g_autofree char *out = NULL;
  g_autoptr(JsonObject) answer = NULL;

  g_assert_cmpint (run_send (fixture, &out, NULL, "--file", file_arg, "--form", "x=y",
                             "URL/post", NULL), ==, 0);
  answer = parse_object (out);
  g_assert_cmpstr (get_path_string (answer, "files", "f"), ==, "first line\nsecond\n");
  g_assert_cmpstr (get_path_string (answer, "form", "x"), ==, "y");
  g_assert_true (g_str_has_prefix (get_path_string (answer, "headers", "Content-Type"),
                                   "multipart/form-data; boundary="));
}

static void
test_upload_big (Fixture       *fixture,
                 gconstpointer  data)
{
  const gsize size = 5 * 1024 * 1024;
  g_autofree char *contents = g_malloc (size);
  g_autofree char *path = NULL;
  g_autofree char *file_arg = NULL;
  g_autofree char *stored = g_build_filename (fixture->uploads, "big.bin", NULL);
  g_autofree char *saved = NULL;
  g_autofree char *out = NULL;
  g_autoptr(JsonObject) answer = NULL;
  gsize saved_len = 0;

  for (gsize i = 0; i < size; i++)
    contents[i] = (char) ((i * 7919) >> 3);
  path = write_temp_file (fixture, "big.bin", contents, size);
  file_arg = g_strconcat ("file=", path, NULL);

  g_assert_cmpint (run_send (fixture, &out, NULL, "--file", file_arg, "URL/upload", NULL), ==, 0);
  answer = parse_object (out);
  g_assert_cmpstr (json_object_get_string_member (answer, "filename"), ==, "big.bin");
  g_assert_cmpint (json_object_get_int_member (answer, "size"), ==, 5242880);

  g_assert_true (g_file_get_contents (stored, &saved, &saved_len, NULL));
  g_assert_cmpmem (saved, saved_len, contents, size);
}

static void
test_data_file (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = write_temp_file (fixture, "body.txt", "from a file", -1);
  g_autofree char *out = NULL;
  g_autoptr(JsonObject) answer = NULL;

  g_assert_cmpint (run_send (fixture, &out, NULL, "--data-file", path, "URL/post", NULL), ==, 0);
  answer = parse_object (out);
  g_assert_cmpstr (json_object_get_string_member (answer, "data"), ==, "from a file");
  g_assert_cmpstr (get_path_string (answer, "headers", "Content-Length"), ==, "11");
}

static void
test_put (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonObject) answer = NULL;

  g_assert_cmpint (run_send (fixture, &out, NULL, "-X", "PUT", "--data", "k=v", "URL/put", NULL),
                   ==, 0);
  answer = parse_object (out);
  g_assert_cmpstr (get_path_string (answer, "form", "k"), ==, "v");
  g_clear_pointer (&out, g_free);

  /* /put answers only PUT: a plain POST of the same body is refused with 405. */
  g_assert_cmpint (run_send (fixture, &out, &err, "-v", "--data", "k=v", "URL/put", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (err, "HTTP/1.1 405 "));
}

static void
test_basic_auth (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonObject) answer = NULL;

  g_assert_cmpint (run_send (fixture, &out, &err, "-v", "--user", "u:p", "URL/basic-auth/u/p",
                             NULL), ==, 0);
  g_assert_true (g_str_has_prefix (err, "HTTP/1.1 200 "));
  answer = parse_object (out);
  g_assert_true (json_object_get_boolean_member (answer, "authenticated"));
  g_assert_cmpstr (json_object_get_string_member (answer, "user"), ==, "u");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_send (fixture, &out, &err, "-v", "--user", "u:wrong", "URL/basic-auth/u/p",
                             NULL), ==, 0);
  g_assert_true (g_str_has_prefix (err, "HTTP/1.1 401 "));
}

static void
test_bearer (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonObject) answer = NULL;

  g_assert_cmpint (run_send (fixture, &out, NULL, "--bearer", "s3cr3t", "URL/bearer", NULL), ==, 0);
  answer = parse_object (out);
  g_assert_true (json_object_get_boolean_member (answer, "authenticated"));
  g_assert_cmpstr (json_object_get_string_member (answer, "token"), ==, "s3cr3t");
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_send (fixture, &out, &err, "-v", "URL/bearer", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (err, "HTTP/1.1 401 "));
}

static void
test_timeout_total (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  double seconds = 0;
  Send send;

  send_spawn (&send, fixture, "--timeout", "2", "URL/delay/5", NULL);
  g_assert_cmpint (send_finish (&send, &out, &err, &seconds), ==, 4);
  g_assert_cmpfloat (seconds, >=, 1.7);
  g_assert_cmpfloat (seconds, <, 3.0);
  g_assert_cmpstr (out, ==, "");
  assert_one_error_line (err);
  g_assert_nonnull (strstr (err, "Timed out after 2 s (total)"));
}

static void
test_timeout_idle (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  double seconds = 0;
  Send send;

  send_spawn (&send, fixture, "--idle-timeout", "1", "URL/delay/3", NULL);
  g_assert_cmpint (send_finish (&send, &out, &err, &seconds), ==, 4);
  g_assert_cmpfloat (seconds, >=, 0.8);
  g_assert_cmpfloat (seconds, <, 2.5);
  g_assert_cmpstr (out, ==, "");
  assert_one_error_line (err);
  g_assert_nonnull (strstr (err, "Timed out after 1 s (idle)"));
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *where = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  guint port;

  /* A port that was just free: bound, then closed without listening. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  url = g_strdup_printf ("http://127.0.0.1:%u/get", port);
  where = g_strdup_printf ("127.0.0.1:%u", port);
  g_assert_cmpint (run_send (fixture, &out, &err, url, NULL), ==, 3);
  g_assert_cmpstr (out, ==, "");
  assert_one_error_line (err);
  g_assert_nonnull (strstr (err, where));
}

static void
test_no_such_host (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_send (fixture, &out, &err, "http://no-such-host.invalid/", NULL), ==, 3);
  g_assert_cmpstr (out, ==, "");
  assert_one_error_line (err);
  g_assert_nonnull (strstr (err, "no-such-host.invalid"));
}

static void
test_redirects (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *get_url = g_strconcat (fixture->url, "/get", NULL);
  g_autoptr(JsonObject) answer = NULL;

  g_assert_cmpint (run_send (fixture, &out, &err, "--no-follow", "-v", "URL/redirect/1", NULL),
                   ==, 0);
  g_assert_true (g_str_has_prefix (err, "HTTP/1.1 302 "));
  g_assert_true (g_regex_match_simple ("^Location: /get$", err, G_REGEX_MULTILINE, 0));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_send (fixture, &out, &err, "-v", "URL/redirect/2", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (err, "HTTP/1.1 200 "));
  answer = parse_object (out);
  g_assert_cmpstr (json_object_get_string_member (answer, "url"), ==, get_url);

  /* The server saw the no-follow hop alone, then the whole chain. */
  LADLE_TEST_WAIT_UNTIL (fixture->paths->len >= 4, 5000);
  g_assert_cmpuint (fixture->paths->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (fixture->paths, 0), ==, "GET /redirect/1 302");
  g_assert_cmpstr (g_ptr_array_index (fixture->paths, 1), ==, "GET /redirect/2 302");
  g_assert_cmpstr (g_ptr_array_index (fixture->paths, 2), ==, "GET /relative-redirect/1 302");
  g_assert_cmpstr (g_ptr_array_index (fixture->paths, 3), ==, "GET /get 200");
}

/* Issue 13: the user's Cookie header is sent (-H, --curl with -b); a 307 after a POST is followed
 * with the body; a redirect not followed says why on stderr; --max-redirects; response headers with
 * control characters are shown escaped. */
static void
test_issue13_client (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *curl = g_strdup_printf ("curl -b 'x=2' %s/cookies", fixture->url);

  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autoptr(JsonObject) answer = NULL;

    g_assert_cmpint (run_send (fixture, &out, &err, "-H", "Cookie: x=1", "URL/cookies", NULL),
                     ==, 0);
    answer = parse_object (out);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (answer,
                                                                                   "cookies"),
                                                    "x"), ==, "1");
  }
  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autoptr(JsonObject) answer = NULL;

    g_assert_cmpint (run_send (fixture, &out, &err, "--curl", curl, NULL), ==, 0);
    answer = parse_object (out);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (answer,
                                                                                   "cookies"),
                                                    "x"), ==, "2");
  }
  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autoptr(JsonObject) answer = NULL;

    g_assert_cmpint (run_send (fixture, &out, &err, "-X", "POST", "-H", "Content-Type: text/plain",
                               "-d", "hello", "URL/redirect-to?url=/post&status_code=307", NULL),
                     ==, 0);
    answer = parse_object (out);
    g_assert_cmpstr (json_object_get_string_member (answer, "data"), ==, "hello");
    g_assert_cmpstr (err, ==, "");
  }
  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (run_send (fixture, &out, &err, "--no-follow", "URL/redirect/1", NULL), ==, 0);
    g_assert_nonnull (strstr (err, "ladle send: The redirect (302) to "));
    g_assert_nonnull (strstr (err, "/get” was not followed: following redirects is off\n"));
  }
  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (run_send (fixture, &out, &err, "--max-redirects", "1", "URL/redirect/2", NULL),
                     ==, 1);
    g_assert_cmpstr (err, ==, "ladle send: Too many redirects (more than 1)\n");
  }
  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (run_send (fixture, &out, &err, "--max-redirects", "2", "URL/redirect/2", NULL),
                     ==, 0);
  }
  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (run_send (fixture, &out, &err, "--max-redirects", "-1", "URL/get", NULL),
                     ==, 2);
    g_assert_nonnull (strstr (err, "--max-redirects takes a number of redirects"));
  }
  {
    LadleTestCanned *canned =
      ladle_test_canned_new ("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Ctl: a\001b\033[31m\r\n"
                             "Connection: close\r\n\r\nok", FALSE);
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (run_send (fixture, &out, &err, "-v", ladle_test_canned_get_url (canned), NULL),
                     ==, 0);
    g_assert_nonnull (strstr (err, "\nX-Ctl: a\\x01b\\x1b[31m\n"));
    g_assert_null (strchr (err, '\033'));
    ladle_test_canned_free (canned);
  }
}

static guint
count_entries (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
test_output (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (fixture->tmpdir, "out", NULL);
  g_autofree char *file = g_build_filename (folder, "answer.json", NULL);
  g_autofree char *missing = g_build_filename (fixture->tmpdir, "missing", NULL);
  g_autofree char *missing_file = g_build_filename (missing, "answer.json", NULL);
  g_autofree char *saved = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  g_assert_cmpint (run_send (fixture, &out, &err, "--output", file, "URL/compact", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==, "");
  g_assert_true (g_file_get_contents (file, &saved, NULL, NULL));
  g_assert_cmpstr (saved, ==, compact_json);
  /* Nothing else is left in the folder (no partial file). */
  g_assert_cmpuint (count_entries (folder), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_send (fixture, &out, &err, "-o", missing_file, "URL/compact", NULL), ==, 1);
  g_assert_cmpstr (out, ==, "");
  assert_one_error_line (err);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
}

/* A chunked body cut before its last chunk: exit 1 with the reason, and no output file (libsoup
 * 3.2 took it for a complete body) */
static void
test_cut_chunked (Fixture       *fixture,
                  gconstpointer  data)
{
  LadleTestCanned *server = ladle_test_canned_new ("HTTP/1.1 200 OK\r\n"
                                                   "Transfer-Encoding: chunked\r\n\r\n"
                                                   "5\r\nhello\r\n", FALSE);
  g_autofree char *folder = g_build_filename (fixture->tmpdir, "cut", NULL);
  g_autofree char *file = g_build_filename (folder, "answer.txt", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  g_assert_cmpint (run_send (fixture, &out, &err, "--output", file,
                             ladle_test_canned_get_url (server), NULL), ==, 1);
  assert_one_error_line (err);
  g_assert_nonnull (strstr (err, "closed before the whole body arrived"));
  g_assert_cmpuint (count_entries (folder), ==, 0);

  ladle_test_canned_free (server);
}

static void
test_verbose (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_send (fixture, &out, &err, "-v", "URL/", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "Hello, World!");
  g_assert_true (g_str_has_prefix (err, "HTTP/1.1 200 OK\n"));
  g_assert_true (g_regex_match_simple ("^Content-Length: 13$", err, G_REGEX_MULTILINE, 0));
  /* The headers end with an empty line. */
  g_assert_true (g_str_has_suffix (err, "\n\n"));
}

static void
test_timing (Fixture       *fixture,
             gconstpointer  data)
{
  const char *labels[] = { "DNS ", "Connect ", "TLS ", "Wait ", "Download ", "Total " };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_cmpint (run_send (fixture, &out, &err, "--timing", "URL/", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "Hello, World!");
  lines = g_strsplit (err, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 8);
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    g_assert_true (g_str_has_prefix (lines[i], labels[i]));
  /* Plain HTTP: no TLS step; the others took measurable time and Total is in ms. */
  g_assert_nonnull (strstr (lines[2], "–"));
  g_assert_nonnull (strstr (lines[3], " ms"));
  g_assert_true (g_regex_match_simple ("^Total +[0-9]+\\.[0-9] ms$", lines[5], 0, 0));
  g_assert_true (g_str_has_prefix (lines[6], "Sent "));
  g_assert_nonnull (strstr (lines[6], "received"));
  g_assert_nonnull (strstr (lines[6], "+ 13 body bytes"));
  g_assert_cmpstr (lines[7], ==, "");
}

static void
test_pretty_raw (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *pretty = NULL;
  g_autofree char *raw = NULL;
  g_autofree char *plain = NULL;
  g_autoptr(JsonObject) answer = NULL;
  JsonArray *array;

  g_assert_cmpint (run_send (fixture, &pretty, NULL, "--pretty", "URL/compact", NULL), ==, 0);
  g_assert_cmpint (run_send (fixture, &raw, NULL, "--raw", "URL/compact", NULL), ==, 0);
  /* Not a terminal: raw by default. */
  g_assert_cmpint (run_send (fixture, &plain, NULL, "URL/compact", NULL), ==, 0);

  g_assert_cmpstr (raw, ==, compact_json);
  g_assert_cmpstr (plain, ==, compact_json);

  g_assert_cmpstr (pretty, !=, compact_json);
  g_assert_true (g_str_has_prefix (pretty, "{\n  \"a\""));
  g_assert_true (g_str_has_suffix (pretty, "}\n"));
  answer = parse_object (pretty);
  array = json_object_get_array_member (answer, "a");
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_assert_cmpint (json_array_get_int_element (array, 1), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (answer, "b"), ==, "ä");
}

static void
test_pretty_not_json (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *out = NULL;

  /* --pretty leaves a body that is not JSON as it came. */
  g_assert_cmpint (run_send (fixture, &out, NULL, "--pretty", "URL/", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "Hello, World!");
}

/* --pretty used to crash on JSON too deep for json-glib; it prints it as it came. */
static void
test_pretty_deep (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *deep = deep_json ();

  g_assert_cmpint (run_send (fixture, &out, NULL, "--pretty", "URL/deep", NULL), ==, 0);
  g_assert_cmpstr (out, ==, deep);
}

static void
test_curl (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *command = g_strdup_printf ("curl -X POST -d a=1 %s/post", fixture->url);
  g_autofree char *out = NULL;
  g_autoptr(JsonObject) answer = NULL;

  g_assert_cmpint (run_send (fixture, &out, NULL, "--curl", command, NULL), ==, 0);
  answer = parse_object (out);
  g_assert_cmpstr (get_path_string (answer, "form", "a"), ==, "1");
}

/* The usage line names the URL once: GOption adds the name of the G_OPTION_REMAINING argument to
 * the context's parameter string, so giving it in both places printed "URL URL". */
static void
test_help (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  const char *usage = NULL;

  g_assert_cmpint (run_send (fixture, &out, NULL, "--help", NULL), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL && usage == NULL; i++)
    if (g_str_has_prefix (lines[i], "  ladle send ["))
      usage = lines[i];
  g_assert_nonnull (usage);
  g_assert_true (g_str_has_suffix (usage, "] URL|FILE#NAME"));
  g_assert_nonnull (strstr (out, "--connect-timeout"));
}

static void
test_usage_errors (Fixture       *fixture,
                   gconstpointer  data)
{
  struct {
    const char *args[6];
    const char *needle;
  } cases[] = {
    { { NULL }, "no URL" },
    { { "--json", "{}", "--data", "x", "URL/post", NULL }, "one body" },
    { { "--data", "x", "--form", "a=1", "URL/post", NULL }, "one body" },
    { { "--user", "u:p", "--bearer", "t", "URL/get", NULL }, "--bearer" },
    { { "--timeout", "abc", "URL/get", NULL }, "abc" },
    { { "--idle-timeout", "-1", "URL/get", NULL }, "-1" },
    { { "-H", "NoColon", "URL/get", NULL }, "NoColon" },
    { { "--form", "novalue", "URL/post", NULL }, "novalue" },
    { { "URL/get", "URL/post", NULL }, "unexpected argument" },
    { { "--bogus", "URL/get", NULL }, "--bogus" },
    { { "ftp://127.0.0.1/get", NULL }, "“ftp”" },
    { { "/get", NULL }, "/get" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      Send send;

      send_spawnv (&send, fixture, cases[i].args);
      g_assert_cmpint (send_finish (&send, &out, &err, NULL), ==, 2);
      g_assert_cmpstr (out, ==, "");
      assert_usage_error (err, cases[i].needle);
    }

  /* None of them reached the server. */
  g_usleep (50 * 1000);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (fixture->paths->len, ==, 0);
}

/* A method or header that would smuggle a request is a usage error, found before connecting: a
 * raw listener in place of a server sees no connection. (--timeout ends a send that did go out,
 * so that a regression fails here instead of hanging.) */
static void
test_invalid_head (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(LadleTestRawListener) raw = ladle_test_raw_listener_new ();
  g_autofree char *url = ladle_test_raw_listener_dup_url (raw, "/x");
  struct {
    const char *args[4];
    const char *needle;
  } cases[] = {
    { { "-X", "GET /x HTTP/1.1\r\nHost: a\r\n\r\nDELETE", NULL },
      "“GET /x HTTP/1.1\\r\\nHost: a\\r\\n\\r\\nDELETE” is not a valid HTTP method" },
    { { "-X", "GE T", NULL }, "“GE T” is not a valid HTTP method" },
    { { "-H", "X-Evil: 1\r\nSet-Cookie: stolen=1", NULL }, "“X-Evil” contains a line break" },
    { { "-H", "Bad Name: 1", NULL }, "“Bad Name” is not a valid header name" },
    { { "-H", "X-Bell: \007", NULL }, "\\x07" },
    { { "--bearer", "t\nX-Injected: 1", NULL }, "bearer token" },
    { { "--data", "a=1", "-H", "Content-Type: text/plain\r\nX: 1" }, "“Content-Type” contains" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) args = g_ptr_array_new ();
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      Send send;

      for (guint a = 0; a < G_N_ELEMENTS (cases[i].args) && cases[i].args[a] != NULL; a++)
        g_ptr_array_add (args, (gpointer) cases[i].args[a]);
      g_ptr_array_add (args, (gpointer) "--timeout");
      g_ptr_array_add (args, (gpointer) "3");
      g_ptr_array_add (args, url);
      g_ptr_array_add (args, NULL);

      send_spawnv (&send, fixture, (const char * const *) args->pdata);
      g_assert_cmpint (send_finish (&send, &out, &err, NULL), ==, 2);
      g_assert_cmpstr (out, ==, "");
      assert_usage_error (err, cases[i].needle);

      /* The child has exited: a connection it made would wait in the backlog. */
      ladle_test_raw_listener_poll (raw);
      g_assert_cmpuint (raw->connections->len, ==, 0);
    }
}

/* curl's "-H 'Name;'" sends the header with an empty value; "Name" alone stays an error. */
static void
test_empty_header (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonObject) answer = NULL;

  g_assert_cmpint (run_send (fixture, &out, &err, "-H", "X-Empty;", "-H", "X-Full: 1",
                             "URL/headers", NULL), ==, 0);
  answer = parse_object (out);
  g_assert_cmpstr (get_path_string (answer, "headers", "X-Empty"), ==, "");
  g_assert_cmpstr (get_path_string (answer, "headers", "X-Full"), ==, "1");
}

static void
test_sigint (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gint64 sent_at;
  double seconds;
  Send send;

  send_spawn (&send, fixture, "URL/delay/5", NULL);
  LADLE_TEST_WAIT_UNTIL (ladle_server_get_n_connections (fixture->server) > 0, 5000);
  /* The connection exists, so the handler is installed; let the request go out too. */
  g_usleep (100 * 1000);
  sent_at = g_get_monotonic_time ();
  g_subprocess_send_signal (send.proc, SIGINT);
  g_assert_cmpint (send_finish (&send, &out, &err, NULL), ==, 1);
  seconds = (g_get_monotonic_time () - sent_at) / (double) G_USEC_PER_SEC;
  g_assert_cmpfloat (seconds, <, 1.0);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==, "");
}

/* --digest with -u (curl's words), --api-key and --api-key-query (Ladle's) */
static void
test_digest_api_key (Fixture       *fixture,
                     gconstpointer  data)
{
  static const struct
  {
    const char *argv[6];
    const char *words;
  } usage[] = {
    { { "--digest", "URL/get", NULL }, "--digest needs the user" },
    { { "--api-key", "novalue", "URL/get", NULL }, "“novalue” is not an API key" },
    { { "--api-key", "a=1", "--api-key-query", "b=2", "URL/get", NULL }, "not both" },
    { { "--api-key", "a=1", "--bearer", "t", "URL/get", NULL }, "replaces --user and --bearer" },
  };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonObject) answer = NULL;

  g_assert_cmpint (run_send (fixture, &out, &err, "--digest", "-u", "user:passwd",
                             "URL/digest-auth/auth/user/passwd/SHA-256", NULL), ==, 0);
  answer = parse_object (out);
  g_assert_true (json_object_get_boolean_member (answer, "authenticated"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A wrong password: the server's 401, and why on stderr */
  g_assert_cmpint (run_send (fixture, &out, &err, "-v", "--digest", "-u", "user:nope",
                             "URL/digest-auth/auth/user/passwd", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (err, "HTTP/1.1 401 "));
  g_assert_nonnull (strstr (err, "refused the Digest answer"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* From a pasted curl command */
  {
    g_autofree char *command = g_strdup_printf ("curl --digest -u user:passwd "
                                                "%s/digest-auth/auth-int/user/passwd",
                                                fixture->url);

    g_assert_cmpint (run_send (fixture, &out, NULL, "--curl", command, NULL), ==, 0);
    g_clear_pointer (&answer, json_object_unref);
    answer = parse_object (out);
    g_assert_true (json_object_get_boolean_member (answer, "authenticated"));
    g_clear_pointer (&out, g_free);
  }

  g_assert_cmpint (run_send (fixture, &out, NULL, "--api-key", "X-Api-Key=k 1",
                             "URL/headers", NULL), ==, 0);
  g_clear_pointer (&answer, json_object_unref);
  answer = parse_object (out);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (answer,
                                                                                 "headers"),
                                                  "X-Api-Key"), ==, "k 1");
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_send (fixture, &out, NULL, "--api-key-query", "api_key=a&b",
                             "URL/get?x=1", NULL), ==, 0);
  g_clear_pointer (&answer, json_object_unref);
  answer = parse_object (out);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (answer, "args"),
                                                  "api_key"), ==, "a&b");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (answer, "url"),
                                   "/get?x=1&api_key=a%26b"));

  for (guint i = 0; i < G_N_ELEMENTS (usage); i++)
    {
      g_autofree char *usage_out = NULL;
      g_autofree char *usage_err = NULL;
      const char * const *argv = usage[i].argv;

      g_assert_cmpint (run_send (fixture, &usage_out, &usage_err, argv[0], argv[1], argv[2],
                                 argv[3], argv[4], argv[5], NULL), ==, 2);
      if (strstr (usage_err, usage[i].words) == NULL)
        g_error ("“%s” does not say “%s”", usage_err, usage[i].words);
    }
}

/* Issue 14: the transport options in curl's words (the peers themselves are proven in
 * test-interop-proxy and test-tls-client) */
static void
test_transport (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *dead = g_strdup_printf ("http://127.0.0.1:%u", ladle_test_unused_port ());
  g_autofree char *notes = write_temp_file (fixture, "notes.txt", "not a certificate\n", -1);
  g_autofree char *missing = g_build_filename (fixture->tmpdir, "missing.pem", NULL);
  g_autofree char *cert_arg = g_strconcat (missing, ":pass:word", NULL);
  char *out = NULL;
  char *err = NULL;

  /* A proxy that is not running: the refusal names the proxy, exit 3 */
  g_assert_cmpint (run_send (fixture, &out, &err, "--proxy", dead, "URL/get", NULL), ==, 3);
  g_assert_nonnull (strstr (err, "Connection refused by the proxy http://127.0.0.1:"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* --noproxy goes around it; --proxy "" turns it off; --http1.1 is taken */
  g_assert_cmpint (run_send (fixture, &out, &err, "-x", dead, "--noproxy", "example.com,127.0.0.1",
                             "--http1.1", "-v", "URL/get", NULL), ==, 0);
  g_assert_nonnull (strstr (err, "HTTP/1.1 200"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_send (fixture, &out, &err, "--proxy", "", "URL/get", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A proxy of an unknown kind: usage */
  g_assert_cmpint (run_send (fixture, &out, &err, "--proxy", "ftp://127.0.0.1:1", "--proxy-user",
                             "u:p", "URL/get", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "unknown kind"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Files that cannot be used: each its message, nothing sent */
  g_assert_cmpint (run_send (fixture, &out, &err, "--cacert", notes, "URL/get", NULL), ==, 3);
  g_assert_nonnull (strstr (err, "notes.txt: no certificate in this file"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_send (fixture, &out, &err, "--cert", cert_arg, "URL/get", NULL), ==, 3);
  g_assert_nonnull (strstr (err, "missing.pem: cannot read the file"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_send (fixture, &out, &err, "--cert", notes, "--key", notes, "URL/get",
                             NULL), ==, 3);
  g_assert_nonnull (strstr (err, "notes.txt: not a certificate"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_send (fixture, &out, &err, "--key", notes, "URL/get", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--key goes with --cert"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
}

/* Issue 14: `ladle send --verbose` prints neither the OAuth 2.0 client secret (sent in the token
 * request's body or as Basic), nor the proxy's password (given with --proxy-user or in the URL),
 * nor the certificate's passphrase, when all goes well and when each is refused */
static void
assert_hidden (const char *out,
               const char *err,
               const char *secret)
{
  g_autofree char *both = g_strconcat (out, "\n", err, NULL);

  if (strstr (both, secret) != NULL)
    g_error ("ladle send printed “%s”:\n%s", secret, both);
}

static void
test_secrets_hidden (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *dead = g_strdup_printf ("127.0.0.1:%u", ladle_test_unused_port ());
  g_autofree char *in_url = g_strdup_printf ("http://pu:px-Url-Pa55@%s", dead);
  g_autofree char *key = g_build_filename (fixture->tmpdir, "key.pem", NULL);
  g_autofree char *cert = g_build_filename (fixture->tmpdir, "cert.pem", NULL);
  g_autofree char *cert_good = g_strconcat (cert, ":cert-Good-Pa55", NULL);
  g_autofree char *cert_bad = g_strconcat (cert, ":cert-Bad-Pa55", NULL);
  /* The provider's secret is "secret"; as Basic, base64 ("app:secret") */
  const char *const secret_forms[] = { "secret", "YXBwOnNlY3JldA" };
  char *out = NULL;
  char *err = NULL;

  for (guint auth = 0; auth < 2; auth++)
    {
      g_assert_cmpint (run_send (fixture, &out, &err, "--verbose", "--oauth2-grant",
                                 "client_credentials", "--oauth2-token-url", "URL/oauth/token",
                                 "--oauth2-client-id", "app", "--oauth2-client-secret",
                                 LADLE_OAUTH_PROVIDER_CLIENT_SECRET, "--oauth2-client-auth",
                                 auth == 0 ? "basic" : "body", "URL/get", NULL), ==, 0);
      g_assert_nonnull (strstr (out, "\"Bearer "));
      for (guint i = 0; i < G_N_ELEMENTS (secret_forms); i++)
        assert_hidden (out, err, secret_forms[i]);
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);

      /* Refused: the token endpoint's words, not the secret */
      g_assert_cmpint (run_send (fixture, &out, &err, "--verbose", "--oauth2-grant",
                                 "client_credentials", "--oauth2-token-url", "URL/oauth/token",
                                 "--oauth2-client-id", "app", "--oauth2-client-secret",
                                 "cs-Wr0ng-5ecret", "--oauth2-client-auth",
                                 auth == 0 ? "basic" : "body", "URL/get", NULL), !=, 0);
      g_assert_nonnull (strstr (err, "invalid_client"));
      assert_hidden (out, err, "cs-Wr0ng-5ecret");
      assert_hidden (out, err, "YXBwOmNzLVdyMG5nLTVlY3JldA");   /* app:cs-Wr0ng-5ecret */
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
    }

  /* A proxy that is not running, its password given both ways */
  g_assert_cmpint (run_send (fixture, &out, &err, "--verbose", "--proxy", dead, "--proxy-user",
                             "pu:px-Opt-Pa55", "URL/get", NULL), ==, 3);
  g_assert_nonnull (strstr (err, "Connection refused by the proxy"));
  assert_hidden (out, err, "px-Opt-Pa55");
  assert_hidden (out, err, "cHU6cHgtT3B0LVBhNTU");   /* pu:px-Opt-Pa55 */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_send (fixture, &out, &err, "--verbose", "--proxy", in_url, "URL/get", NULL),
                   ==, 3);
  g_assert_nonnull (strstr (err, "Connection refused by the proxy"));
  assert_hidden (out, err, "px-Url-Pa55");
  assert_hidden (out, err, "cHU6cHgtVXJsLVBhNTU");   /* pu:px-Url-Pa55 */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A certificate whose key is encrypted: right and wrong passphrases */
  {
    const char *argv[] = { "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                           "ec_paramgen_curve:P-256", "-keyout", key, "-out", cert, "-subj",
                           "/CN=ladle-test", "-days", "2", "-passout", "pass:cert-Good-Pa55",
                           NULL };
    g_autofree char *pem = NULL;
    g_autofree char *key_pem = NULL;
    g_autofree char *both = NULL;
    g_autofree char *openssl = g_find_program_in_path ("openssl");

    if (openssl == NULL)
      {
        g_test_skip ("openssl is not installed (it makes the encrypted key)");
        return;
      }
    g_assert_cmpint (ladle_test_run_command (argv, NULL, NULL, NULL), ==, 0);
    /* One file with both, as --cert takes it without --key */
    g_assert_true (g_file_get_contents (cert, &pem, NULL, NULL));
    g_assert_true (g_file_get_contents (key, &key_pem, NULL, NULL));
    g_assert_nonnull (strstr (key_pem, "ENCRYPTED"));
    both = g_strconcat (pem, key_pem, NULL);
    g_assert_true (g_file_set_contents (cert, both, -1, NULL));
  }
  g_assert_cmpint (run_send (fixture, &out, &err, "--verbose", "--cert", cert_good, "URL/get",
                             NULL), ==, 0);
  assert_hidden (out, err, "cert-Good-Pa55");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_send (fixture, &out, &err, "--verbose", "--cert", cert_bad, "URL/get",
                             NULL), ==, 3);
  g_assert_nonnull (strstr (err, "wrong passphrase for the private key"));
  assert_hidden (out, err, "cert-Bad-Pa55");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  if (g_getenv ("LADLE_BIN") == NULL)
    g_error ("LADLE_BIN must name the ladle executable (meson test sets it)");

#define ADD(path, func) \
  g_test_add ("/ladle/cli-send/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("get-root", test_get_root);
  ADD ("no-scheme", test_no_scheme);
  ADD ("not-found", test_not_found);
  ADD ("json", test_json);
  ADD ("json-invalid", test_json_invalid);
  ADD ("data-text", test_data_text);
  ADD ("form", test_form);
  ADD ("file-multipart", test_file_multipart);
  ADD ("upload-big", test_upload_big);
  ADD ("data-file", test_data_file);
  ADD ("put", test_put);
  ADD ("basic-auth", test_basic_auth);
  ADD ("bearer", test_bearer);
  ADD ("timeout-total", test_timeout_total);
  ADD ("timeout-idle", test_timeout_idle);
  ADD ("refused", test_refused);
  ADD ("no-such-host", test_no_such_host);
  ADD ("redirects", test_redirects);
  ADD ("issue13-client", test_issue13_client);
  ADD ("output", test_output);
  ADD ("cut-chunked", test_cut_chunked);
  ADD ("verbose", test_verbose);
  ADD ("timing", test_timing);
  ADD ("pretty-raw", test_pretty_raw);
  ADD ("pretty-not-json", test_pretty_not_json);
  ADD ("pretty-deep", test_pretty_deep);
  ADD ("curl", test_curl);
  ADD ("help", test_help);
  ADD ("usage-errors", test_usage_errors);
  ADD ("sigint", test_sigint);
  ADD ("invalid-head", test_invalid_head);
  ADD ("empty-header", test_empty_header);
  ADD ("digest-api-key", test_digest_api_key);
  ADD ("transport", test_transport);
  ADD ("secrets-hidden", test_secrets_hidden);

#undef ADD

  return ladle_test_run ();
}
