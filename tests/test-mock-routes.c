/* test-mock-routes.c
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
#include <unistd.h>

#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ladle-error.h"
#include "ladle-mock-routes.h"
#include "ladle-test-utils.h"

static GListStore *
load_ok (const char *json,
         const char *base_dir)
{
  g_autoptr(GError) error = NULL;
  GListStore *store;

  store = ladle_mock_routes_load_data (json, -1, "routes.json", base_dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);

  return store;
}

static LadleMockRoute *
nth_route (GListStore *store,
           guint       i)
{
  g_autoptr(LadleMockRoute) route = g_list_model_get_item (G_LIST_MODEL (store), i);

  g_assert_nonnull (route);
  /* The store keeps it alive. */
  return route;
}

static LadleMockRouter *
router_from_json (const char *json)
{
  g_autoptr(GListStore) store = load_ok (json, NULL);

  return ladle_mock_router_new (G_LIST_MODEL (store));
}

static void
assert_match (LadleMockRouter *router,
              const char      *method,
              const char      *path,
              int              expected_index)
{
  guint index = G_MAXUINT;
  gboolean matched = ladle_mock_router_match (router, method, path, &index);

  if (expected_index < 0)
    {
      if (matched)
        g_error ("%s %s unexpectedly matched route %u", method, path, index);
    }
  else
    {
      if (!matched)
        g_error ("%s %s did not match (expected route %d)", method, path, expected_index);
      g_assert_cmpuint (index, ==, (guint)expected_index);
    }
}

/* Routes (GObject) */

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_route_defaults (void)
{
  g_autoptr(LadleMockRoute) route = g_object_new (LADLE_TYPE_MOCK_ROUTE, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (ladle_mock_route_get_method (route), ==, "GET");
  g_assert_cmpstr (ladle_mock_route_get_path (route), ==, "/");
  g_assert_cmpuint (ladle_mock_route_get_status (route), ==, 200);
  g_assert_nonnull (ladle_mock_route_get_headers (route));
  g_assert_null (ladle_mock_route_get_headers (route)[0]);
  g_assert_null (ladle_mock_route_get_body (route));
  g_assert_null (ladle_mock_route_get_body_file (route));
  g_assert_null (ladle_mock_route_get_content_type (route));
  g_assert_cmpfloat (ladle_mock_route_get_delay (route), ==, 0.0);
  g_assert_true (ladle_mock_route_validate (route, &error));
  g_assert_no_error (error);

  g_assert_finalize_object (g_steal_pointer (&route));
}

static void
test_route_notify (void)
{
  g_autoptr(LadleMockRoute) route = ladle_mock_route_new ("POST", "/a");
  const char *headers[] = { "X-A: 1", NULL };
  const char *same_headers[] = { "X-A: 1", NULL };
  g_auto(GStrv) read_headers = NULL;
  guint count = 0;

  g_signal_connect (route, "notify", G_CALLBACK (count_notify), &count);

  ladle_mock_route_set_method (route, "POST");
  ladle_mock_route_set_path (route, "/a");
  ladle_mock_route_set_status (route, 200);
  ladle_mock_route_set_body (route, NULL);
  ladle_mock_route_set_body_file (route, "");
  ladle_mock_route_set_content_type (route, "");
  ladle_mock_route_set_delay (route, 0.0);
  ladle_mock_route_set_headers (route, NULL);
  g_object_set (route, "status", 200, "method", "POST", NULL);
  g_assert_cmpuint (count, ==, 0);

  ladle_mock_route_set_method (route, "PUT");
  ladle_mock_route_set_path (route, "/b/{id}");
  ladle_mock_route_set_status (route, 404);
  ladle_mock_route_set_body (route, "x");
  ladle_mock_route_set_content_type (route, "text/csv");
  ladle_mock_route_set_delay (route, 1.5);
  ladle_mock_route_set_headers (route, headers);
  g_assert_cmpuint (count, ==, 7);

  ladle_mock_route_set_headers (route, same_headers);
  ladle_mock_route_set_body (route, "x");
  g_assert_cmpuint (count, ==, 7);

  ladle_mock_route_set_body (route, NULL);
  ladle_mock_route_set_body_file (route, "/tmp/x.json");
  g_assert_cmpuint (count, ==, 9);

  ladle_mock_route_set_method (route, NULL);
  g_assert_cmpstr (ladle_mock_route_get_method (route), ==, "GET");
  g_assert_cmpuint (count, ==, 10);

  g_object_get (route, "headers", &read_headers, NULL);
  g_assert_cmpstrv (read_headers, headers);

  g_assert_finalize_object (g_steal_pointer (&route));
}

static void
test_route_validate (void)
{
  static const struct {
    const char *method;
    const char *path;
    const char *header;
    const char *expected;
  } cases[] = {
    { "GE T", "/", NULL, "method" },
    { "", "/", NULL, "method" },
    { "GET", "users", NULL, "must start with" },
    { "GET", "/a/{id}.json", NULL, "whole" },
    { "GET", "/a/{id}/{id}", NULL, "twice" },
    { "GET", "/a/*/b", NULL, "last segment" },
    { "GET", "/a/{}", NULL, "whole" },
    { "GET", "/", "NoColon", "Name: value" },
    { "GET", "/", "Bad Name: x", "not a valid header name" },
    { "GET", "/", "Content-Length: 3", "set by the server" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LadleMockRoute) route = ladle_mock_route_new (cases[i].method, cases[i].path);
      g_autoptr(GError) error = NULL;
      const char *headers[] = { cases[i].header, NULL };

      ladle_mock_route_set_headers (route, headers);
      g_assert_false (ladle_mock_route_validate (route, &error));
      g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
      if (strstr (error->message, cases[i].expected) == NULL)
        g_error ("case %u: “%s” does not mention “%s”", i, error->message, cases[i].expected);
    }

  {
    g_autoptr(LadleMockRoute) route = ladle_mock_route_new ("ANY", "/x/{rest*}");
    g_autoptr(GError) error = NULL;

    g_assert_true (ladle_mock_route_validate (route, NULL));
    ladle_mock_route_set_body (route, "a");
    ladle_mock_route_set_body_file (route, "/tmp/a");
    g_assert_false (ladle_mock_route_validate (route, &error));
    g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
  }
}

/* Loading */

static void
test_load_example (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "routes-example.json", NULL);
  g_autofree char *data_dir = g_test_build_filename (G_TEST_DIST, "data", NULL);
  g_autofree char *expected_file = NULL;
  g_autoptr(GListStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *set_cookies[] = { "Set-Cookie: a=1", "Set-Cookie: b=2", NULL };
  const char *mock_headers[] = { "X-Mock: yes", "Cache-Control: no-store", NULL };
  LadleMockRoute *route;

  store = ladle_mock_routes_load_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 5);

  route = nth_route (store, 0);
  g_assert_cmpstr (ladle_mock_route_get_method (route), ==, "GET");
  g_assert_cmpstr (ladle_mock_route_get_path (route), ==, "/users/{id}");
  g_assert_cmpuint (ladle_mock_route_get_status (route), ==, 200);
  g_assert_cmpstrv (ladle_mock_route_get_headers (route), mock_headers);
  g_assert_cmpstr (ladle_mock_route_get_body (route), ==, "{\"id\": \"{id}\"}");
  g_assert_cmpfloat (ladle_mock_route_get_delay (route), ==, 0.5);
  g_assert_null (ladle_mock_route_get_content_type (route));

  route = nth_route (store, 1);
  g_assert_cmpuint (ladle_mock_route_get_status (route), ==, 200);
  /* An inline JSON body is kept as compact text. */
  g_assert_cmpstr (ladle_mock_route_get_body (route), ==,
                   "{\"user\":\"{id}\",\"post\":\"{post}\",\"tags\":[\"a\",\"b\"]}");

  route = nth_route (store, 2);
  g_assert_cmpstr (ladle_mock_route_get_method (route), ==, "POST");
  g_assert_cmpuint (ladle_mock_route_get_status (route), ==, 201);
  g_assert_null (ladle_mock_route_get_body (route));
  /* Relative body files are resolved against the routes file's folder. */
  expected_file = g_canonicalize_filename ("routes-example.json", data_dir);
  g_assert_true (g_path_is_absolute (ladle_mock_route_get_body_file (route)));
  g_assert_cmpstr (ladle_mock_route_get_body_file (route), ==, expected_file);

  route = nth_route (store, 3);
  g_assert_cmpstr (ladle_mock_route_get_method (route), ==, "ANY");
  g_assert_cmpstr (ladle_mock_route_get_content_type (route), ==, "text/html; charset=utf-8");
  g_assert_cmpuint (ladle_mock_route_get_status (route), ==, 404);

  route = nth_route (store, 4);
  g_assert_cmpstr (ladle_mock_route_get_method (route), ==, "*");
  g_assert_cmpstrv (ladle_mock_route_get_headers (route), set_cookies);
  g_assert_cmpstr (ladle_mock_route_get_body (route), ==, "ok");
}

static void
test_load_bare_array (void)
{
  g_autoptr(GListStore) store = NULL;
  g_autoptr(GListStore) empty = NULL;

  store = load_ok ("[ {\"path\": \"/a\"}, {\"method\": \"delete\", \"path\": \"/b\", "
                   "\"body\": [1, 2], \"body_file\": null, \"headers\": null} ]", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  g_assert_cmpstr (ladle_mock_route_get_method (nth_route (store, 0)), ==, "GET");
  g_assert_cmpstr (ladle_mock_route_get_path (nth_route (store, 0)), ==, "/a");
  g_assert_cmpstr (ladle_mock_route_get_method (nth_route (store, 1)), ==, "delete");
  g_assert_cmpstr (ladle_mock_route_get_body (nth_route (store, 1)), ==, "[1,2]");

  empty = load_ok ("{\"version\": 1, \"routes\": []}", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (empty)), ==, 0);
}

static void
test_load_syntax_errors (void)
{
  /* Positions are json-glib's: the line and column of the last token read before the error,
   * so a missing comma is reported at the end of the line that lacks it. */
  static const struct {
    const char *name;
    const char *json;
    const char *prefix;
  } cases[] = {
    { "missing comma",
      "{\n  \"version\": 1\n  \"routes\": []\n}\n",
      "routes.json:2:14: " },
    { "missing comma between routes",
      "[\n  {\"path\": \"/a\"}\n  {\"path\": \"/b\"}\n]",
      "routes.json:2:16: " },
    { "trailing comma in object",
      "{\n  \"version\": 1,\n  \"routes\": [\n    {\"path\": \"/a\",}\n  ]\n}",
      "routes.json:4:18: " },
    { "trailing comma in array",
      "[\n  {\"path\": \"/a\"},\n]",
      "routes.json:2:17: " },
    { "bad value",
      "{\n  \"version\": 1,\n  \"routes\": [\n"
      "    {\"path\": \"/a\", \"status\": twohundred}\n  ]\n}",
      "routes.json:4:39: " },
    { "missing colon",
      "[\n  {\"path\" \"/a\"}\n]",
      "routes.json:2:9: " },
    { "unterminated",
      "[\n  {\"path\": \"/a\"",
      "routes.json:2:15: " },
    { "trailing garbage",
      "[\n  {\"path\": \"/a\"}\n] x",
      "routes.json:3:3: " },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GListStore) store = NULL;
      guint line, column;
      char tail[2];

      store = ladle_mock_routes_load_data (cases[i].json, -1, "routes.json", NULL, &error);
      g_assert_null (store);
      g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
      g_test_message ("%s: %s", cases[i].name, error->message);

      if (!g_str_has_prefix (error->message, cases[i].prefix))
        g_error ("%s: “%s” does not start with “%s”", cases[i].name, error->message,
                 cases[i].prefix);
      /* NAME:LINE:COLUMN: with real numbers */
      g_assert_cmpint (sscanf (error->message, "routes.json:%u:%u%1[:]", &line, &column, tail),
                       ==, 3);
      g_assert_cmpuint (line, >=, 1);
      g_assert_cmpuint (column, >=, 1);
      g_assert_null (strstr (error->message, "<data>"));
    }

  /* Nested deeper than json-glib parses without overflowing its stack: an error with its place */
  {
    g_autoptr(GError) error = NULL;
    GString *deep = g_string_new ("{\"version\": 1, \"routes\": [{\"path\": \"/a\", \"body\": ");

    for (guint i = 0; i < 200000; i++)
      g_string_append_c (deep, '[');
    for (guint i = 0; i < 200000; i++)
      g_string_append_c (deep, ']');
    g_string_append (deep, "}]}");
    g_assert_null (ladle_mock_routes_load_data (deep->str, deep->len, "routes.json", NULL, &error));
    g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
    g_assert_true (g_str_has_prefix (error->message, "routes.json:1:"));
    g_assert_nonnull (strstr (error->message, "nest more than 512 levels deep"));
    g_string_free (deep, TRUE);
  }

  /* Empty and blank files */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (ladle_mock_routes_load_data ("  \n", -1, "routes.json", NULL, &error));
    g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
    g_assert_true (g_str_has_prefix (error->message, "routes.json: "));
  }
}

static void
test_load_semantic_errors (void)
{
  g_autofree char *tmpdir = ladle_test_make_tmpdir ("ladle-mock-XXXXXX");
  static const struct {
    const char *name;
    const char *json;
    const char *prefix;
    const char *mentions;
  } cases[] = {
    { "missing path",
      "[\n  {\"path\": \"/a\"},\n  {\"method\": \"GET\"}\n]",
      "routes.json:3:3: route 2: ", "path" },
    { "status out of range",
      "{\"version\": 1, \"routes\": [\n  {\"path\": \"/a\"},\n  {\"path\": \"/b\"},\n"
      "      {\"path\": \"/c\", \"status\": 700}\n]}",
      "routes.json:4:7: route 3: ", "700" },
    { "status below range",
      "[{\"path\": \"/a\", \"status\": 99}]",
      "routes.json:1:2: route 1: ", "99" },
    { "status not an integer",
      "[{\"path\": \"/a\", \"status\": \"200\"}]",
      "routes.json:1:2: route 1: ", "status" },
    { "method chars",
      "[\n  {\"method\": \"GET /\", \"path\": \"/a\"}\n]",
      "routes.json:2:3: route 1: ", "GET /" },
    { "path without slash",
      "[\n  {\"path\": \"/ok\"},\n  {\"path\": \"users\"}\n]",
      "routes.json:3:3: route 2: ", "users" },
    { "body and body_file",
      "[\n  {\"path\": \"/a\", \"body\": \"x\", \"body_file\": \"routes.json\"}\n]",
      "routes.json:2:3: route 1: ", "body_file" },
    { "body_file missing",
      "[\n  {\"path\": \"/a\", \"body_file\": \"nope.json\"}\n]",
      "routes.json:2:3: route 1: ", "nope.json" },
    { "unknown key",
      "[\n  {\"path\": \"/a\", \"stauts\": 200}\n]",
      "routes.json:2:3: route 1: ", "stauts" },
    { "bad placeholder",
      "[\n  {\"path\": \"/a/{id}.json\"}\n]",
      "routes.json:2:3: route 1: ", "{id}.json" },
    { "delay out of range",
      "[\n  {\"path\": \"/a\", \"delay\": 61}\n]",
      "routes.json:2:3: route 1: ", "61" },
    { "negative delay",
      "[\n  {\"path\": \"/a\", \"delay\": -0.5}\n]",
      "routes.json:2:3: route 1: ", "delay" },
    { "bad header",
      "[\n  {\"path\": \"/a\", \"headers\": {\"X-A\": 1}}\n]",
      "routes.json:2:3: route 1: ", "X-A" },
    { "header injection",
      "[\n  {\"path\": \"/a\", \"headers\": [\"X-A: 1\\r\\nX-B: 2\"]}\n]",
      "routes.json:2:3: route 1: ", "line break" },
    { "route not an object",
      "[\n  {\"path\": \"/a\"},\n  42\n]",
      "routes.json: route 2: ", "object" },
    { "unsupported version",
      "{\"version\": 2, \"routes\": []}",
      "routes.json:1:1: ", "version 2" },
    { "routes not an array",
      "{\"version\": 1, \"routes\": {}}",
      "routes.json:1:1: ", "routes" },
    { "scalar root",
      "42",
      "routes.json: ", "array" },
  };
  g_autofree char *existing = g_build_filename (tmpdir, "routes.json", NULL);

  g_assert_true (g_file_set_contents (existing, "[]", -1, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GListStore) store = NULL;

      store = ladle_mock_routes_load_data (cases[i].json, -1, "routes.json", tmpdir, &error);
      g_assert_null (store);
      g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
      g_test_message ("%s: %s", cases[i].name, error->message);

      if (!g_str_has_prefix (error->message, cases[i].prefix))
        g_error ("%s: “%s” does not start with “%s”", cases[i].name, error->message,
                 cases[i].prefix);
      if (strstr (error->message, cases[i].mentions) == NULL)
        g_error ("%s: “%s” does not mention “%s”", cases[i].name, error->message,
                 cases[i].mentions);
    }

  ladle_test_rm_rf (tmpdir);
}

static void
test_load_file_errors (void)
{
  g_autofree char *tmpdir = ladle_test_make_tmpdir ("ladle-mock-XXXXXX");
  g_autofree char *path = g_build_filename (tmpdir, "broken.json", NULL);
  g_autofree char *missing = g_build_filename (tmpdir, "missing.json", NULL);
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "[\n  {\"path\": \"/a\",}\n]\n", -1, NULL));
  g_assert_null (ladle_mock_routes_load_file (path, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  expected = g_strconcat (path, ":2:", NULL);
  g_assert_true (g_str_has_prefix (error->message, expected));
  g_clear_error (&error);

  g_assert_null (ladle_mock_routes_load_file (missing, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, "missing.json"));

  ladle_test_rm_rf (tmpdir);
}

/* Loads @json (against @base_dir) expecting a route error at @prefix that mentions @mentions. */
static void
assert_load_error (const char *name,
                   const char *json,
                   const char *base_dir,
                   const char *prefix,
                   const char *mentions)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListStore) store = NULL;

  store = ladle_mock_routes_load_data (json, -1, "routes.json", base_dir, &error);
  if (store != NULL)
    g_error ("%s: loaded, but should not", name);
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
  g_test_message ("%s: %s", name, error->message);

  if (!g_str_has_prefix (error->message, prefix))
    g_error ("%s: “%s” does not start with “%s”", name, error->message, prefix);
  if (strstr (error->message, mentions) == NULL)
    g_error ("%s: “%s” does not mention “%s”", name, error->message, mentions);
}

static void
make_unix_socket (const char *path,
                  GSocket   **out_socket)
{
  g_autoptr(GSocketAddress) address = g_unix_socket_address_new (path);
  g_autoptr(GError) error = NULL;

  *out_socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM,
                              G_SOCKET_PROTOCOL_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (*out_socket, address, FALSE, &error));
  g_assert_no_error (error);
}

static void
assert_not_regular (const char *path,
                    const char *kind)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (ladle_mock_routes_load_file (path, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, kind));
}

/* A routes file, or a body file, that is not a regular file is refused at once, by name and
 * kind: never read forever (/dev/zero) nor waited on (a FIFO without a writer). */
static void
test_load_not_regular (void)
{
  g_autofree char *tmpdir = ladle_test_make_tmpdir ("ladle-mock-XXXXXX");
  g_autofree char *fifo = g_build_filename (tmpdir, "routes.fifo", NULL);
  g_autofree char *socket_path = g_build_filename (tmpdir, "routes.sock", NULL);
  g_autoptr(GSocket) socket = NULL;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  make_unix_socket (socket_path, &socket);

  assert_not_regular (fifo, "named pipe");
  assert_not_regular ("/dev/zero", "character device");
  assert_not_regular (tmpdir, "folder");
  assert_not_regular (socket_path, "socket");

  assert_load_error ("FIFO body file",
                     "[\n  {\"path\": \"/a\", \"body_file\": \"routes.fifo\"}\n]", tmpdir,
                     "routes.json:2:3: route 1: ", "named pipe");
  assert_load_error ("socket body file",
                     "[\n  {\"path\": \"/a\", \"body_file\": \"routes.sock\"}\n]", tmpdir,
                     "routes.json:2:3: route 1: ", "socket");
  assert_load_error ("device body file",
                     "[\n  {\"path\": \"/a\", \"body_file\": \"/dev/zero\"}\n]", tmpdir,
                     "routes.json:2:3: route 1: ", "character device");
  assert_load_error ("folder body file",
                     "[\n  {\"path\": \"/a\", \"body_file\": \".\"}\n]", tmpdir,
                     "routes.json:2:3: route 1: ", "folder");

  ladle_test_rm_rf (tmpdir);
}

static void
write_padded (const char *path,
              gsize       size)
{
  g_autofree char *contents = g_malloc (size);

  /* Valid JSON of exactly @size bytes: an empty array and spaces. */
  memset (contents, ' ', size);
  contents[0] = '[';
  contents[1] = ']';
  g_assert_true (g_file_set_contents (path, contents, size, NULL));
}

/* Routes files are bounded: the limit loads, one byte more is refused with the limit named. */
static void
test_load_size_limit (void)
{
  g_autofree char *tmpdir = ladle_test_make_tmpdir ("ladle-mock-XXXXXX");
  g_autofree char *path = g_build_filename (tmpdir, "routes.json", NULL);
  g_autoptr(GListStore) store = NULL;
  g_autoptr(GError) error = NULL;

  write_padded (path, 16 * 1024 * 1024);
  store = ladle_mock_routes_load_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_clear_object (&store);

  write_padded (path, 16 * 1024 * 1024 + 1);
  store = ladle_mock_routes_load_file (path, &error);
  g_assert_null (store);
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_TOO_LARGE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  /* g_format_size() puts a no-break space before the unit. */
  g_assert_nonnull (strstr (error->message, "16.0\u00a0MiB"));
  g_assert_nonnull (strstr (error->message, "body_file"));

  ladle_test_rm_rf (tmpdir);
}


/* Control characters in a header are refused at load, with their place, instead of libsoup
 * sending them or dropping the header with a CRITICAL. */
static void
test_load_header_control (void)
{
  static const struct {
    const char *name;
    const char *json;
    const char *mentions;
  } cases[] = {
    { "object value", "[\n  {\"path\": \"/a\", \"headers\": {\"X-A\": \"a\\u0001b\"}}\n]",
      "\\x01" },
    { "array value", "[\n  {\"path\": \"/a\", \"headers\": [\"X-A: a\\u007fb\"]}\n]", "\\x7f" },
    { "escape", "[\n  {\"path\": \"/a\", \"headers\": {\"X-Colour\": \"\\u001b[31m\"}}\n]",
      "\\x1b" },
    { "trailing line feed", "[\n  {\"path\": \"/a\", \"headers\": {\"X-A\": \"1\\n\"}}\n]",
      "line break" },
    { "leading carriage return", "[\n  {\"path\": \"/a\", \"headers\": [\"X-A:\\r1\"]}\n]",
      "line break" },
    { "name", "[\n  {\"path\": \"/a\", \"headers\": [\"X\\u0001A: 1\"]}\n]", "X\\x01A" },
    { "content type", "[\n  {\"path\": \"/a\", \"content_type\": \"text/plain\\u0001\"}\n]",
      "\\x01" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_load_error (cases[i].name, cases[i].json, NULL, "routes.json:2:3: route 1: ",
                       cases[i].mentions);

  /* Tabs, spaces around the value and text beyond ASCII are fine. */
  {
    g_autoptr(GListStore) store = load_ok ("[{\"path\": \"/a\", \"headers\": "
                                           "{\"X-A\": \" a\\tb \", \"X-Name\": \"Jörg\"}}]",
                                           NULL);
    const char *expected[] = { "X-A:  a\tb ", "X-Name: Jörg", NULL };

    g_assert_cmpstrv (ladle_mock_route_get_headers (nth_route (store, 0)), expected);
  }
}

/* What libsoup cannot send is refused, at load with its place: a 1xx (an interim answer that
 * libsoup repeats forever) and a body with a status that has none; the check, validation and the
 * setter agree. */
static void
test_route_status (void)
{
  static const struct {
    const char *name;
    const char *json;
    const char *mentions;
  } cases[] = {
    { "100", "[\n  {\"path\": \"/a\", \"status\": 100}\n]", "1xx" },
    { "101", "[\n  {\"path\": \"/a\", \"status\": 101, \"body\": \"x\"}\n]", "1xx" },
    { "199", "[\n  {\"path\": \"/a\", \"status\": 199}\n]", "1xx" },
    { "204 with a body", "[\n  {\"path\": \"/a\", \"status\": 204, \"body\": \"x\"}\n]",
      "status 204 is sent without a body" },
    { "205 with a JSON body", "[\n  {\"path\": \"/a\", \"status\": 205, \"body\": {\"a\": 1}}\n]",
      "205" },
    { "304 with a body file",
      "[\n  {\"path\": \"/a\", \"status\": 304, \"body_file\": \"body.txt\"}\n]", "304" },
  };
  static const gint64 interim[] = { 100, 101, 103, 199 };
  static const gint64 final[] = { 200, 204, 302, 418, 599 };
  static const gint64 wrong[] = { G_MININT64, -1, 0, 99, 600, 999, G_MAXINT64 };
  g_autoptr(LadleMockRoute) route = ladle_mock_route_new ("GET", "/");
  g_autoptr(GListStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = NULL;
  g_autofree char *body = NULL;

  /* The setter takes what the check takes: anything else is a programming error. */
  if (g_test_subprocess ())
    {
      ladle_mock_route_set_status (route, 101);
      return;
    }

  tmpdir = ladle_test_make_tmpdir ("ladle-mock-XXXXXX");
  body = g_build_filename (tmpdir, "body.txt", NULL);
  g_assert_true (g_file_set_contents (body, "x", -1, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_load_error (cases[i].name, cases[i].json, tmpdir, "routes.json:2:3: route 1: ",
                       cases[i].mentions);

  /* Without a body they are fine, and an empty body is none. */
  store = load_ok ("[{\"path\": \"/a\", \"status\": 204}, {\"path\": \"/b\", \"status\": 304, "
                   " \"body\": \"\"}, {\"path\": \"/c\", \"status\": 200}]", tmpdir);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 3);
  ladle_test_rm_rf (tmpdir);

  for (guint i = 0; i < G_N_ELEMENTS (interim); i++)
    {
      g_assert_false (ladle_mock_route_check_status (interim[i], &error));
      g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, "1xx"));
      g_clear_error (&error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (final); i++)
    g_assert_true (ladle_mock_route_check_status (final[i], NULL));
  for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
    {
      g_assert_false (ladle_mock_route_check_status (wrong[i], &error));
      g_assert_nonnull (strstr (error->message, "out of range"));
      g_clear_error (&error);
    }

  /* A status without a body, with one. */
  ladle_mock_route_set_status (route, 204);
  ladle_mock_route_set_body (route, "x");
  g_assert_false (ladle_mock_route_validate (route, &error));
  g_assert_nonnull (strstr (error->message, "204"));
  g_clear_error (&error);
  ladle_mock_route_set_body (route, "");
  g_assert_true (ladle_mock_route_validate (route, NULL));
  ladle_mock_route_set_body (route, NULL);
  ladle_mock_route_set_body_file (route, "/tmp/x");
  ladle_mock_route_set_status (route, 304);
  g_assert_false (ladle_mock_route_validate (route, NULL));

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*ladle_mock_route_check_status*");
}

/* json-glib 1.6 turns a lone surrogate escape followed by another character into bytes that are
 * not UTF-8: such text is refused at load, with the escape's place, since the routes could not be
 * written back as JSON (found by fuzz-routes; ladle_json_parser_load() refuses it for every
 * file Ladle reads). */
static void
test_load_not_utf8 (void)
{
  static const struct {
    const char *name;
    const char *json;
    const char *prefix;
  } cases[] = {
    { "path", "[\n  {\"path\": \"/\\udel\n\"}\n]", "routes.json:2:14: " },
    { "header", "[\n  {\"path\": \"/a\", \"headers\": {\"X-A\": \"\\udc00x\"}}\n]",
      "routes.json:2:38: " },
    { "text body", "[\n  {\"path\": \"/a\", \"body\": \"a\\udc00b\"}\n]",
      "routes.json:2:28: " },
    { "JSON body", "[\n  {\"path\": \"/a\", \"body\": {\"a\": \"\\ud800\n\"}}\n]",
      "routes.json:2:33: " },
    { "content type", "[\n  {\"path\": \"/a\", \"content_type\": \"\\udfffz\"}\n]",
      "routes.json:2:35: " },
    { "key", "[\n  {\"path\": \"/a\", \"\\udc00k\": 1}\n]", "routes.json:2:19: " },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GListStore) store = NULL;

      store = ladle_mock_routes_load_data (cases[i].json, -1, "routes.json", NULL, &error);
      if (store != NULL)
        g_error ("%s: loaded, but should not", cases[i].name);
      g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
      g_test_message ("%s: %s", cases[i].name, error->message);
      /* The message itself can be shown, and says where the broken escape is. */
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      if (!g_str_has_prefix (error->message, cases[i].prefix))
        g_error ("%s: “%s” does not start with “%s”", cases[i].name, error->message,
                 cases[i].prefix);
      g_assert_nonnull (strstr (error->message, "surrogate"));
    }
}

/* A confinement case: a folder "mock" with the routes and what they may serve, and a "secret"
 * beside it. */
typedef struct
{
  char *top;
  char *mock;
  char *secret;
} Confined;

static void
confined_setup (Confined *c)
{
  g_autofree char *sub = NULL;
  g_autofree char *inside = NULL;
  g_autofree char *deep = NULL;
  g_autofree char *link_in = NULL;
  g_autofree char *link_out = NULL;
  g_autofree char *dir_out = NULL;

  c->top = ladle_test_make_tmpdir ("ladle-mock-XXXXXX");
  c->mock = g_build_filename (c->top, "mock", NULL);
  c->secret = g_build_filename (c->top, "secret.txt", NULL);
  sub = g_build_filename (c->mock, "sub", NULL);
  inside = g_build_filename (c->mock, "inside.txt", NULL);
  deep = g_build_filename (sub, "deep.txt", NULL);
  link_in = g_build_filename (c->mock, "link-in", NULL);
  link_out = g_build_filename (c->mock, "link-out", NULL);
  dir_out = g_build_filename (c->mock, "dir-out", NULL);

  g_assert_cmpint (g_mkdir_with_parents (sub, 0755), ==, 0);
  g_assert_true (g_file_set_contents (inside, "inside", -1, NULL));
  g_assert_true (g_file_set_contents (deep, "deep", -1, NULL));
  g_assert_true (g_file_set_contents (c->secret, "secret", -1, NULL));
  g_assert_cmpint (symlink ("inside.txt", link_in), ==, 0);
  g_assert_cmpint (symlink ("../secret.txt", link_out), ==, 0);
  g_assert_cmpint (symlink ("..", dir_out), ==, 0);
}

static void
confined_teardown (Confined *c)
{
  ladle_test_rm_rf (c->top);
  g_free (c->top);
  g_free (c->mock);
  g_free (c->secret);
}

/* Body files must lie in the routes file's folder once ".." and links are resolved; the error
 * names the file and says how to allow it. A routes file cannot allow it itself. */
static void
test_load_body_file_confined (void)
{
  static const char * const inside[] = {
    "inside.txt", "sub/deep.txt", "sub/../inside.txt", "./link-in", "dir-out/mock/inside.txt",
  };
  static const char * const outside[] = {
    "../secret.txt", "link-out", "dir-out/secret.txt", "sub/../../secret.txt",
  };
  g_autoptr(GListStore) allowed = NULL;
  g_autoptr(GListStore) confined = NULL;
  g_autoptr(LadleMockRoute) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fifo = NULL;
  g_autofree char *real_mock = NULL;
  LadleMockRoute *route;
  Confined c;

  confined_setup (&c);

  for (guint i = 0; i < G_N_ELEMENTS (inside); i++)
    {
      g_autofree char *json = g_strdup_printf ("[{\"path\": \"/a\", \"body_file\": \"%s\"}]",
                                               inside[i]);
      g_autoptr(GListStore) store = load_ok (json, c.mock);
    }

  for (guint i = 0; i < G_N_ELEMENTS (outside) + 1; i++)
    {
      g_autofree char *json = g_strdup_printf ("[\n  {\"path\": \"/a\", \"body_file\": \"%s\"}\n]",
                                               i < G_N_ELEMENTS (outside) ? outside[i] : c.secret);
      g_autoptr(GError) outside_error = NULL;

      assert_load_error (json, json, c.mock, "routes.json:2:3: route 1: ", c.mock);
      g_assert_null (ladle_mock_routes_load_data (json, -1, "routes.json", c.mock,
                                                  &outside_error));
      g_assert_nonnull (strstr (outside_error->message, "outside"));
      g_assert_nonnull (strstr (outside_error->message, "--allow-any-body-file"));
    }

  /* From a file: its own folder is the one. */
  {
    g_autofree char *path = g_build_filename (c.mock, "routes.json", NULL);
    g_autofree char *prefix = g_strconcat (path, ":2:3: route 1: ", NULL);

    g_assert_true (g_file_set_contents (path, "[\n  {\"path\": \"/a\", \"body_file\": "
                                        "\"../secret.txt\"}\n]", -1, NULL));
    g_assert_null (ladle_mock_routes_load_file (path, &error));
    g_test_message ("%s", error->message);
    g_assert_true (g_str_has_prefix (error->message, prefix));
    g_assert_nonnull (strstr (error->message, c.secret));
    g_clear_error (&error);
  }

  /* No key of a routes file lets it out. */
  assert_load_error ("opt-out key",
                     "{\"version\": 1, \"allow_any_body_file\": true, \"routes\": []}", c.mock,
                     "routes.json:1:1: ", "allow_any_body_file");
  assert_load_error ("opt-out key in a route",
                     "[\n  {\"path\": \"/a\", \"body_file\": \"../secret.txt\", "
                     "\"allow_any_body_file\": true}\n]", c.mock,
                     "routes.json:2:3: route 1: ", "allow_any_body_file");

  /* The user, not the file, may allow body files from anywhere; routes keep their folder for
   * the router, which checks it on its own. */
  allowed = ladle_mock_routes_load_data_full ("[{\"path\": \"/a\", \"body_file\": \"../secret.txt\"},"
                                            " {\"path\": \"/b\", \"body_file\": \"link-out\"}]",
                                            -1, "routes.json", c.mock,
                                            LADLE_MOCK_ROUTES_LOAD_ANY_BODY_FILE, &error);
  g_assert_no_error (error);
  route = nth_route (allowed, 0);
  g_assert_cmpstr (ladle_mock_route_get_body_file (route), ==, c.secret);
  g_assert_null (ladle_mock_route_get_body_folder (route));
  g_assert_true (ladle_mock_route_check_body_file (route, NULL));

  /* The same route, confined: refused by the check the router makes. */
  ladle_mock_route_set_body_folder (route, c.mock);
  g_assert_false (ladle_mock_route_check_body_file (route, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "outside"));
  g_clear_error (&error);

  /* Copies keep the folder; equality is about what a file holds. */
  copy = ladle_mock_route_copy (route);
  g_assert_cmpstr (ladle_mock_route_get_body_folder (copy), ==, c.mock);
  ladle_mock_route_set_body_folder (copy, NULL);
  g_assert_true (ladle_mock_route_equal (route, copy));

  /* A default load sets the folder it checked. */
  confined = load_ok ("[{\"path\": \"/a\", \"body_file\": \"inside.txt\"}]", c.mock);
  route = nth_route (confined, 0);
  real_mock = g_canonicalize_filename (c.mock, NULL);
  g_assert_cmpstr (ladle_mock_route_get_body_folder (route), ==, real_mock);
  g_assert_true (ladle_mock_route_check_body_file (route, NULL));

  /* The check never blocks on a FIFO, allowed or not. */
  fifo = g_build_filename (c.mock, "pipe", NULL);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  ladle_mock_route_set_body_file (route, fifo);
  g_assert_false (ladle_mock_route_check_body_file (route, &error));
  g_assert_nonnull (strstr (error->message, "named pipe"));

  confined_teardown (&c);
}

/* A copy has every property, and editing it leaves the original alone. */
static void
test_route_copy (void)
{
  const char *headers[] = { "X-One: 1", "X-Two: 2", NULL };
  g_autoptr(LadleMockRoute) route = ladle_mock_route_new ("PATCH", "/items/{id}");
  g_autoptr(LadleMockRoute) copy = NULL;

  ladle_mock_route_set_status (route, 418);
  ladle_mock_route_set_headers (route, headers);
  ladle_mock_route_set_body (route, "{\"id\": \"{id}\"}");
  ladle_mock_route_set_delay (route, 0.5);
  ladle_mock_route_set_content_type (route, "application/json");

  copy = ladle_mock_route_copy (route);
  g_assert_true (copy != route);
  g_assert_true (ladle_mock_route_equal (route, copy));
  g_assert_true (ladle_mock_route_get_headers (copy) != ladle_mock_route_get_headers (route));

  ladle_mock_route_set_body (copy, NULL);
  ladle_mock_route_set_body_file (copy, "/tmp/body.bin");
  ladle_mock_route_set_status (copy, 200);
  g_assert_false (ladle_mock_route_equal (route, copy));
  g_assert_cmpstr (ladle_mock_route_get_body (route), ==, "{\"id\": \"{id}\"}");
  g_assert_null (ladle_mock_route_get_body_file (route));
  g_assert_cmpuint (ladle_mock_route_get_status (route), ==, 418);
}

/* Saving */

static void
assert_same_routes (GListModel *a,
                    GListModel *b)
{
  g_assert_cmpuint (g_list_model_get_n_items (a), ==, g_list_model_get_n_items (b));

  for (guint i = 0; i < g_list_model_get_n_items (a); i++)
    {
      g_autoptr(LadleMockRoute) ra = g_list_model_get_item (a, i);
      g_autoptr(LadleMockRoute) rb = g_list_model_get_item (b, i);

      if (!ladle_mock_route_equal (ra, rb))
        g_error ("route %u differs after the round trip (%s %s)", i,
                 ladle_mock_route_get_method (ra), ladle_mock_route_get_path (ra));
    }
}

static void
test_save_round_trip (void)
{
  g_autofree char *example = g_test_build_filename (G_TEST_DIST, "data", "routes-example.json",
                                                    NULL);
  g_autofree char *tmpdir = ladle_test_make_tmpdir ("ladle-mock-XXXXXX");
  g_autofree char *otherdir = ladle_test_make_tmpdir ("ladle-mock-other-XXXXXX");
  g_autofree char *path = g_build_filename (tmpdir, "routes.json", NULL);
  g_autofree char *inside = g_build_filename (tmpdir, "inside.bin", NULL);
  g_autofree char *outside = g_build_filename (otherdir, "outside.txt", NULL);
  g_autofree char *saved = NULL;
  g_autoptr(GListStore) original = NULL;
  g_autoptr(GListStore) loaded = NULL;
  g_autoptr(GListStore) crafted = g_list_store_new (LADLE_TYPE_MOCK_ROUTE);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  const char *odd_headers[] = { "X-A:b", "set-cookie: 1", "Set-Cookie: 2", NULL };
  const char *plain_headers[] = { "X-Trace: abc", "Retry-After: 5", NULL };
  LadleMockRoute *route;

  /* The example, written elsewhere: its body file is outside, so it stays absolute, and only
   * loads where the user allows body files from anywhere. */
  original = ladle_mock_routes_load_file (example, &error);
  g_assert_no_error (error);
  g_assert_true (ladle_mock_routes_save_file (G_LIST_MODEL (original), path, &error));
  g_assert_no_error (error);
  loaded = ladle_mock_routes_load_file_full (path, LADLE_MOCK_ROUTES_LOAD_ANY_BODY_FILE, &error);
  g_assert_no_error (error);
  assert_same_routes (G_LIST_MODEL (original), G_LIST_MODEL (loaded));
  g_clear_object (&loaded);

  /* Routes that exercise every representation choice. */
  g_assert_true (g_file_set_contents (inside, "bin", -1, NULL));
  g_assert_true (g_file_set_contents (outside, "txt", -1, NULL));

  route = ladle_mock_route_new ("PATCH", "/a/{x}");
  ladle_mock_route_set_body (route, "{\"spaced\": true}");
  ladle_mock_route_set_headers (route, odd_headers);
  ladle_mock_route_set_delay (route, 0.1);
  g_list_store_append (crafted, route);
  g_object_unref (route);

  route = ladle_mock_route_new ("*", "/b");
  ladle_mock_route_set_body (route, "{\"compact\":[1,2,{\"x\":null}]}");
  ladle_mock_route_set_headers (route, plain_headers);
  ladle_mock_route_set_content_type (route, "application/vnd.api+json");
  ladle_mock_route_set_status (route, 599);
  g_list_store_append (crafted, route);
  g_object_unref (route);

  route = ladle_mock_route_new ("GET", "/c");
  ladle_mock_route_set_body_file (route, inside);
  g_list_store_append (crafted, route);
  g_object_unref (route);

  route = ladle_mock_route_new ("GET", "/d");
  ladle_mock_route_set_body_file (route, outside);
  g_list_store_append (crafted, route);
  g_object_unref (route);

  route = ladle_mock_route_new ("GET", "/e");
  ladle_mock_route_set_body (route, "");
  ladle_mock_route_set_delay (route, 60.0);
  g_list_store_append (crafted, route);
  g_object_unref (route);

  route = ladle_mock_route_new ("GET", "/f");
  ladle_mock_route_set_body (route, "\"just a JSON string\" ünïcödé\n\ttab");
  g_list_store_append (crafted, route);
  g_object_unref (route);

  g_assert_true (ladle_mock_routes_save_file (G_LIST_MODEL (crafted), path, &error));
  g_assert_no_error (error);
  loaded = ladle_mock_routes_load_file_full (path, LADLE_MOCK_ROUTES_LOAD_ANY_BODY_FILE, &error);
  g_assert_no_error (error);
  assert_same_routes (G_LIST_MODEL (crafted), G_LIST_MODEL (loaded));

  /* What the file looks like: versioned, relative inside the folder, JSON bodies as JSON. */
  g_assert_true (g_file_get_contents (path, &saved, NULL, NULL));
  node = json_from_string (saved, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "version"), ==, 1);
  g_assert_nonnull (strstr (saved, "\"body_file\" : \"inside.bin\""));
  g_assert_nonnull (strstr (saved, outside));
  g_assert_nonnull (strstr (saved, "\"body\" : {"));
  g_assert_nonnull (strstr (saved, "\"X-Trace\" : \"abc\""));
  g_assert_true (g_str_has_suffix (saved, "}\n"));

  /* to_data keeps body files as they are. */
  {
    g_autofree char *data = NULL;
    gsize len = 0;

    data = ladle_mock_routes_to_data (G_LIST_MODEL (crafted), &len);
    g_assert_cmpuint (len, ==, strlen (data));
    g_assert_nonnull (strstr (data, inside));
    g_clear_object (&loaded);
    loaded = ladle_mock_routes_load_data (data, len, "mem", "/", &error);
    g_assert_no_error (error);
    assert_same_routes (G_LIST_MODEL (crafted), G_LIST_MODEL (loaded));
  }

  ladle_test_rm_rf (tmpdir);
  ladle_test_rm_rf (otherdir);
}

static void
test_save_atomic (void)
{
  g_autofree char *tmpdir = ladle_test_make_tmpdir ("ladle-mock-XXXXXX");
  g_autofree char *path = g_build_filename (tmpdir, "routes.json", NULL);
  g_autofree char *file = g_build_filename (tmpdir, "file", NULL);
  g_autofree char *bad_path = g_build_filename (file, "routes.json", NULL);
  g_autoptr(GListStore) store = load_ok ("[{\"path\": \"/a\", \"body\": \"new\"}]", NULL);
  g_autoptr(GListStore) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *aside = NULL;
  GStatBuf before, after;
  const char *name;
  guint n_files = 0;
  mode_t old_umask;

  g_assert_true (g_file_set_contents (path, "[{\"path\": \"/old\"}]", -1, NULL));
  g_assert_cmpint (g_stat (path, &before), ==, 0);

  old_umask = umask (022);
  g_assert_true (ladle_mock_routes_save_file (G_LIST_MODEL (store), path, &error));
  umask (old_umask);
  g_assert_no_error (error);

  /* Replaced by rename: a new inode, never a half-written old one; for this user only. */
  g_assert_cmpint (g_stat (path, &after), ==, 0);
  g_assert_cmpuint (before.st_ino, !=, after.st_ino);
  g_assert_cmpuint (after.st_mode & 0777, ==, 0600);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, "/old"));
  loaded = ladle_mock_routes_load_file (path, &error);
  g_assert_no_error (error);
  assert_same_routes (G_LIST_MODEL (store), G_LIST_MODEL (loaded));

  /* No temporary file left behind. */
  dir = g_dir_open (tmpdir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_assert_cmpstr (name, ==, "routes.json");
      n_files++;
    }
  g_assert_cmpuint (n_files, ==, 1);
  g_clear_pointer (&dir, g_dir_close);

  /* What is there and is not JSON is set aside, not written over. */
  g_assert_true (g_file_set_contents (path, "old contents", -1, NULL));
  g_assert_true (ladle_mock_routes_save_file (G_LIST_MODEL (store), path, &error));
  g_assert_no_error (error);
  dir = g_dir_open (tmpdir, 0, NULL);
  n_files = 0;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_has_prefix (name, "routes.json.corrupt-"))
        aside = g_build_filename (tmpdir, name, NULL);
      n_files++;
    }
  g_assert_cmpuint (n_files, ==, 2);
  g_assert_nonnull (aside);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (aside, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "old contents");

  /* A failed save says why and leaves nothing. */
  g_assert_true (g_file_set_contents (file, "", -1, NULL));
  g_assert_false (ladle_mock_routes_save_file (G_LIST_MODEL (store), bad_path, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR);

  ladle_test_rm_rf (tmpdir);
}

static void
async_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GListStore *
store_load (LadleJsonStore            *store,
            LadleMockRoutesLoadFlags   flags,
            GError                   **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  ladle_mock_routes_load_async (store, flags, NULL, async_cb, &slot);
  LADLE_TEST_WAIT_UNTIL (slot != NULL, 5000);
  result = g_steal_pointer (&slot);
  return ladle_mock_routes_load_finish (store, result, error);
}

static gboolean
store_save (LadleJsonStore  *store,
            GListModel      *routes,
            char           **set_aside,
            GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  ladle_mock_routes_save_async (store, routes, NULL, async_cb, &slot);
  LADLE_TEST_WAIT_UNTIL (slot != NULL, 5000);
  result = g_steal_pointer (&slot);
  return ladle_mock_routes_save_finish (store, result, set_aside, error);
}

/* Routes read and written through their store, in its worker thread, as the window does: the
 * loader's checks hold, a file that does not load stays until a save sets it aside. */
static void
test_store (void)
{
  g_autofree char *tmpdir = ladle_test_make_tmpdir ("ladle-mock-XXXXXX");
  g_autofree char *otherdir = ladle_test_make_tmpdir ("ladle-mock-other-XXXXXX");
  g_autofree char *path = g_build_filename (tmpdir, "routes.json", NULL);
  g_autofree char *inside = g_build_filename (tmpdir, "inside.txt", NULL);
  g_autofree char *outside = g_build_filename (otherdir, "outside.txt", NULL);
  g_autofree char *broken = NULL;
  g_autoptr(LadleJsonStore) store = ladle_mock_routes_store_new (path);
  g_autoptr(GListStore) routes = NULL;
  g_autoptr(GListStore) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *set_aside = NULL;
  g_autofree char *contents = NULL;
  LadleMockRoute *route;

  g_assert_cmpstr (ladle_json_store_get_path (store), ==, path);

  /* No file yet: no routes, no error. */
  loaded = store_load (store, LADLE_MOCK_ROUTES_LOAD_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (loaded)), ==, 0);
  g_clear_object (&loaded);

  /* Saved with body files relative to the folder, and loaded back. */
  g_assert_true (g_file_set_contents (inside, "in", -1, NULL));
  g_assert_true (g_file_set_contents (outside, "out", -1, NULL));
  routes = g_list_store_new (LADLE_TYPE_MOCK_ROUTE);
  route = ladle_mock_route_new ("GET", "/in");
  ladle_mock_route_set_body_file (route, inside);
  g_list_store_append (routes, route);
  g_object_unref (route);
  g_assert_true (store_save (store, G_LIST_MODEL (routes), &set_aside, &error));
  g_assert_no_error (error);
  g_assert_null (set_aside);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "\"body_file\" : \"inside.txt\""));
  loaded = store_load (store, LADLE_MOCK_ROUTES_LOAD_DEFAULT, &error);
  g_assert_no_error (error);
  assert_same_routes (G_LIST_MODEL (routes), G_LIST_MODEL (loaded));
  g_clear_object (&loaded);

  /* The loader's checks hold: a body file outside the folder is refused unless allowed. */
  route = ladle_mock_route_new ("GET", "/out");
  ladle_mock_route_set_body_file (route, outside);
  g_list_store_append (routes, route);
  g_object_unref (route);
  g_assert_true (store_save (store, G_LIST_MODEL (routes), NULL, &error));
  g_assert_null (store_load (store, LADLE_MOCK_ROUTES_LOAD_DEFAULT, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  /* ... and the file stays, to load under the other rule. */
  loaded = store_load (store, LADLE_MOCK_ROUTES_LOAD_ANY_BODY_FILE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (loaded)), ==, 2);
  g_clear_object (&loaded);

  /* Damaged by hand: reported with its place, left alone; the next save sets it aside. */
  g_assert_true (g_file_set_contents (path, "{\"version\": 1, \"routes\": [\n  {\"path\": }\n]}",
                                      -1, NULL));
  g_assert_null (store_load (store, LADLE_MOCK_ROUTES_LOAD_DEFAULT, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, path));
  g_assert_nonnull (strstr (error->message, ":2:"));
  g_clear_error (&error);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  broken = g_steal_pointer (&contents);
  g_assert_true (store_save (store, G_LIST_MODEL (routes), &set_aside, &error));
  g_assert_no_error (error);
  g_assert_nonnull (set_aside);
  g_assert_true (g_str_has_prefix (set_aside, path));
  g_assert_nonnull (strstr (set_aside, ".corrupt-"));
  g_assert_true (g_file_get_contents (set_aside, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, broken);
  loaded = store_load (store, LADLE_MOCK_ROUTES_LOAD_ANY_BODY_FILE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (loaded)), ==, 2);
  g_clear_object (&loaded);

  /* Above the size limit: refused before it is read. */
  {
    g_autofree char *big = g_strnfill (LADLE_MOCK_ROUTES_MAX_FILE_SIZE + 1, ' ');

    g_assert_true (g_file_set_contents (path, big, -1, NULL));
    g_assert_null (store_load (store, LADLE_MOCK_ROUTES_LOAD_DEFAULT, &error));
    g_assert_error (error, LADLE_ERROR, LADLE_ERROR_TOO_LARGE);
  }

  ladle_test_rm_rf (tmpdir);
  ladle_test_rm_rf (otherdir);
}

/* The first routes file the window saves gets a name nobody uses. */
static void
test_free_path (void)
{
  g_autofree char *tmpdir = ladle_test_make_tmpdir ("ladle-mock-XXXXXX");
  g_autofree char *first = g_build_filename (tmpdir, "routes.json", NULL);
  g_autofree char *second = g_build_filename (tmpdir, "routes-2.json", NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autofree char *path = NULL;
      GAsyncResult *slot = NULL;

      ladle_mock_routes_find_free_path_async (tmpdir, NULL, async_cb, &slot);
      LADLE_TEST_WAIT_UNTIL (slot != NULL, 5000);
      result = g_steal_pointer (&slot);
      path = ladle_mock_routes_find_free_path_finish (result, &error);
      g_assert_no_error (error);
      if (i == 0)
        g_assert_cmpstr (path, ==, first);
      else if (i == 1)
        g_assert_cmpstr (path, ==, second);
      else
        g_assert_true (g_str_has_suffix (path, "/routes-3.json"));
      g_assert_true (g_file_set_contents (path, "[]", -1, NULL));
    }

  ladle_test_rm_rf (tmpdir);
}

/* Matching */

static void
test_match_exact (void)
{
  g_autoptr(LadleMockRouter) router = router_from_json (
    "[{\"path\": \"/\"}, {\"path\": \"/users\"}, {\"path\": \"/users/me\"}, "
    " {\"path\": \"/a/b/c\"}]");

  assert_match (router, "GET", "/", 0);
  assert_match (router, "GET", "/users", 1);
  assert_match (router, "GET", "/users/me", 2);
  assert_match (router, "GET", "/a/b/c", 3);
  assert_match (router, "GET", "/a/b", -1);
  assert_match (router, "GET", "/a/b/c/d", -1);
  assert_match (router, "GET", "/Users", -1);
  assert_match (router, "GET", "", -1);
  assert_match (router, "GET", "users", -1);
  /* Optional out-parameter */
  g_assert_true (ladle_mock_router_match (router, "GET", "/users", NULL));
}

static void
test_match_params (void)
{
  g_autoptr(LadleMockRouter) router = router_from_json (
    "[{\"path\": \"/users/{id}\"}, {\"path\": \"/users/{id}/posts/{post}\"}, "
    " {\"path\": \"/files/{rest*}\"}, {\"path\": \"/static/*\"}]");

  assert_match (router, "GET", "/users/42", 0);
  assert_match (router, "GET", "/users/a.b-c_d", 0);
  assert_match (router, "GET", "/users/", -1);     /* a parameter is never empty */
  assert_match (router, "GET", "/users", -1);
  assert_match (router, "GET", "/users/42/posts/7", 1);
  assert_match (router, "GET", "/users/42/posts/", -1);
  assert_match (router, "GET", "/users/42/posts", -1);
  assert_match (router, "GET", "/users//posts/7", -1);
  assert_match (router, "GET", "/files/a", 2);
  assert_match (router, "GET", "/files/a/b/c.txt", 2);
  assert_match (router, "GET", "/files/", 2);
  assert_match (router, "GET", "/files", -1);
  assert_match (router, "GET", "/static/x/y", 3);
  assert_match (router, "GET", "/static", -1);
}

static void
test_match_methods (void)
{
  g_autoptr(LadleMockRouter) router = router_from_json (
    "[{\"method\": \"POST\", \"path\": \"/p\"}, {\"method\": \"ANY\", \"path\": \"/any\"}, "
    " {\"method\": \"*\", \"path\": \"/star\"}, {\"path\": \"/get\"}, "
    " {\"method\": \"purge\", \"path\": \"/purge\"}]");

  assert_match (router, "POST", "/p", 0);
  assert_match (router, "post", "/p", 0);
  assert_match (router, "GET", "/p", -1);
  assert_match (router, "PUT", "/p", -1);
  assert_match (router, "DELETE", "/any", 1);
  assert_match (router, "OPTIONS", "/any", 1);
  assert_match (router, "PATCH", "/star", 2);
  assert_match (router, "GET", "/get", 3);
  assert_match (router, "HEAD", "/get", 3);        /* GET answers HEAD */
  assert_match (router, "HEAD", "/p", -1);
  assert_match (router, "PURGE", "/purge", 4);
}

static void
test_match_order (void)
{
  g_autoptr(LadleMockRouter) router = router_from_json (
    "[{\"method\": \"POST\", \"path\": \"/users/{id}\"}, {\"path\": \"/users/me\"}, "
    " {\"path\": \"/users/{id}\"}, {\"path\": \"/users/me\"}, {\"method\": \"ANY\", "
    "  \"path\": \"/{rest*}\"}]");

  assert_match (router, "GET", "/users/me", 1);    /* first match wins, not the most specific */
  assert_match (router, "GET", "/users/42", 2);
  assert_match (router, "POST", "/users/me", 0);
  assert_match (router, "GET", "/anything/else", 4);
}

static void
test_match_segments (void)
{
  g_autoptr(LadleMockRouter) router = router_from_json (
    "[{\"path\": \"/user\"}, {\"path\": \"/api/v1\"}, {\"path\": \"/x/{id}\"}]");

  /* No partial-segment or prefix matches. */
  assert_match (router, "GET", "/users", -1);
  assert_match (router, "GET", "/use", -1);
  assert_match (router, "GET", "/user/1", -1);
  assert_match (router, "GET", "/api/v10", -1);
  assert_match (router, "GET", "/api/v", -1);
  assert_match (router, "GET", "/api", -1);
  assert_match (router, "GET", "/xx/1", -1);
  assert_match (router, "GET", "/x/1/2", -1);
}

static void
test_match_trailing_slash (void)
{
  g_autoptr(LadleMockRouter) router = router_from_json (
    "[{\"path\": \"/a\"}, {\"path\": \"/b/\"}, {\"path\": \"/c/{id}/\"}]");

  /* Strict: a trailing slash makes a different path, as on most servers without redirects. */
  assert_match (router, "GET", "/a", 0);
  assert_match (router, "GET", "/a/", -1);
  assert_match (router, "GET", "/b/", 1);
  assert_match (router, "GET", "/b", -1);
  assert_match (router, "GET", "/c/1/", 2);
  assert_match (router, "GET", "/c/1", -1);
}

static void
test_match_decoded (void)
{
  g_autoptr(LadleMockRouter) router = router_from_json (
    "[{\"path\": \"/files/my%20report\"}, {\"path\": \"/café/{id}\"}, "
    " {\"path\": \"/bad%zzescape\"}]");

  /* The matcher receives decoded paths; literals are decoded once when the router is built. */
  assert_match (router, "GET", "/files/my report", 0);
  assert_match (router, "GET", "/files/my%20report", -1);
  assert_match (router, "GET", "/café/Jörg", 1);
  assert_match (router, "GET", "/caf%C3%A9/1", -1);
  assert_match (router, "GET", "/bad%zzescape", 2);
}

static void
test_match_invalid_skipped (void)
{
  g_autoptr(GListStore) store = g_list_store_new (LADLE_TYPE_MOCK_ROUTE);
  g_autoptr(LadleMockRoute) bad = ladle_mock_route_new ("GET", "no-slash");
  g_autoptr(LadleMockRoute) good = ladle_mock_route_new ("GET", "/ok");
  g_autoptr(LadleMockRoute) good2 = ladle_mock_route_new ("GET", "/{rest*}");
  g_autoptr(LadleMockRouter) router = NULL;

  g_list_store_append (store, bad);
  g_list_store_append (store, good);
  g_list_store_append (store, good2);
  router = ladle_mock_router_new (G_LIST_MODEL (store));

  /* Indexes refer to the list, not to the routes that survived. */
  assert_match (router, "GET", "/ok", 1);
  assert_match (router, "GET", "/no-slash", 2);
}

static void
test_router_snapshot (void)
{
  g_autoptr(GListStore) store = load_ok ("[{\"path\": \"/old\"}]", NULL);
  g_autoptr(LadleMockRouter) router = ladle_mock_router_new (G_LIST_MODEL (store));
  LadleMockRouter *extra;

  ladle_mock_route_set_path (nth_route (store, 0), "/new");
  g_list_store_remove_all (store);

  assert_match (router, "GET", "/old", 0);
  assert_match (router, "GET", "/new", -1);

  extra = ladle_mock_router_ref (router);
  g_assert_true (extra == router);
  ladle_mock_router_unref (extra);
  assert_match (router, "GET", "/old", 0);
}

static gpointer
match_many (gpointer data)
{
  LadleMockRouter *router = data;

  for (guint i = 0; i < 20000; i++)
    {
      guint index = 0;

      g_assert_true (ladle_mock_router_match (router, "GET", "/users/42/posts/7", &index));
      g_assert_cmpuint (index, ==, 1);
      g_assert_false (ladle_mock_router_match (router, "GET", "/nope", NULL));
    }

  ladle_mock_router_unref (router);
  return NULL;
}

static void
test_router_threads (void)
{
  LadleMockRouter *router = router_from_json (
    "[{\"path\": \"/users/{id}\"}, {\"path\": \"/users/{id}/posts/{post}\"}]");
  GThread *threads[4];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("match", match_many, ladle_mock_router_ref (router));

  /* The owner may drop its reference while others still match. */
  ladle_mock_router_unref (router);

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
}

/* Responding, against a real server on its own thread */

typedef struct
{
  LadleTestServer *server;
  SoupSession     *session;
  char            *tmpdir;
  GMutex           mutex;
  LadleMockRouter *router;
  /* Borrowed, for use on the server's thread only */
  SoupServer      *soup_server;
  GMainContext    *server_context;
  int              n_handled;
  int              n_responded;   /* the router has set up its answer */
  int              n_done;
} Fixture;

static LadleMockRouter *
fixture_dup_router (Fixture *fixture)
{
  LadleMockRouter *router = NULL;

  g_mutex_lock (&fixture->mutex);
  if (fixture->router != NULL)
    router = ladle_mock_router_ref (fixture->router);
  g_mutex_unlock (&fixture->mutex);

  return router;
}

/* How the server uses a router: take a reference under a lock, answer, drop it. */
static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  Fixture *fixture = user_data;
  g_autoptr(LadleMockRouter) router = fixture_dup_router (fixture);

  g_atomic_int_inc (&fixture->n_handled);

  if (router != NULL && ladle_mock_router_respond (router, msg, path))
    {
      g_atomic_int_inc (&fixture->n_responded);
      return;
    }

  soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "fallback", 8);
}

static void
on_request_started (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  /* libsoup 3.2 leaks keep-alive connections closed by the client (doc/STACK.md §2). */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Connection", "close");
}

static void
on_request_done (SoupServer        *server,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  Fixture *fixture = user_data;

  g_atomic_int_inc (&fixture->n_done);
}

static void
server_setup (SoupServer *server,
              gpointer    user_data)
{
  Fixture *fixture = user_data;

  fixture->soup_server = server;
  fixture->server_context = g_main_context_get_thread_default ();
  soup_server_add_handler (server, NULL, server_callback, user_data, NULL);
  g_signal_connect (server, "request-started", G_CALLBACK (on_request_started), user_data);
  g_signal_connect (server, "request-finished", G_CALLBACK (on_request_done), user_data);
  g_signal_connect (server, "request-aborted", G_CALLBACK (on_request_done), user_data);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_mutex_init (&fixture->mutex);
  fixture->tmpdir = ladle_test_make_tmpdir ("ladle-mock-XXXXXX");
  fixture->server = ladle_test_server_new (server_setup, fixture);
  fixture->session = soup_session_new_with_options ("timeout", 10, NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->session);
  g_clear_pointer (&fixture->server, ladle_test_server_free);
  g_clear_pointer (&fixture->router, ladle_mock_router_unref);
  ladle_test_rm_rf (fixture->tmpdir);
  g_clear_pointer (&fixture->tmpdir, g_free);
  g_mutex_clear (&fixture->mutex);
}

/* Swaps in a new router while the server runs, as the UI does after an edit. */
static void
fixture_set_routes_full (Fixture                  *fixture,
                         const char               *json,
                         LadleMockRoutesLoadFlags  flags)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListStore) store = NULL;
  LadleMockRouter *old;

  store = ladle_mock_routes_load_data_full (json, -1, "routes.json", fixture->tmpdir, flags,
                                            &error);
  g_assert_no_error (error);

  g_mutex_lock (&fixture->mutex);
  old = g_steal_pointer (&fixture->router);
  fixture->router = ladle_mock_router_new (G_LIST_MODEL (store));
  g_mutex_unlock (&fixture->mutex);

  g_clear_pointer (&old, ladle_mock_router_unref);
}

static void
fixture_set_routes (Fixture    *fixture,
                    const char *json)
{
  fixture_set_routes_full (fixture, json, LADLE_MOCK_ROUTES_LOAD_DEFAULT);
}

static GBytes *
fixture_fetch (Fixture             *fixture,
               const char          *method,
               const char          *path,
               guint               *out_status,
               SoupMessageHeaders **out_headers)
{
  g_autofree char *url = g_strconcat (ladle_test_server_get_url (fixture->server), path, NULL);

  return ladle_test_fetch (fixture->session, method, url, NULL, NULL, out_status, out_headers);
}

static void
assert_body (GBytes     *bytes,
             const char *expected)
{
  g_assert_nonnull (bytes);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   expected, strlen (expected));
}

static void
test_respond_basic (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *cookies = NULL;
  guint status = 0;

  fixture_set_routes (fixture,
    "[{\"path\": \"/users/{id}\", \"headers\": {\"X-Mock\": \"yes\"}, "
    "  \"body\": \"{\\\"id\\\": \\\"{id}\\\", \\\"other\\\": \\\"{nope}\\\"}\"},"
    " {\"path\": \"/text\", \"status\": 418, \"body\": \"I am a teapot\"},"
    " {\"path\": \"/html\", \"content_type\": \"text/html\", \"body\": \"<b>hi</b>\"},"
    " {\"path\": \"/header-type\", \"headers\": [\"content-type: text/csv\"], \"body\": \"a,b\"},"
    " {\"method\": \"POST\", \"path\": \"/created\", \"status\": 201, "
    "  \"headers\": [\"Location: /users/7\", \"Set-Cookie: a=1\", \"Set-Cookie: b=2\", "
    "                \"Connection: keep-alive\"]},"
    " {\"method\": \"ANY\", \"path\": \"/any\", \"body\": \"any\"},"
    " {\"path\": \"/empty\", \"status\": 204}]");

  body = fixture_fetch (fixture, "GET", "/users/42", &status, &headers);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "X-Mock"), ==, "yes");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Content-Type"), ==,
                   "application/json");
  /* Placeholders that are not parameters stay as they are. */
  assert_body (body, "{\"id\": \"42\", \"other\": \"{nope}\"}");
  g_clear_pointer (&body, g_bytes_unref);
  g_clear_pointer (&headers, soup_message_headers_unref);

  body = fixture_fetch (fixture, "GET", "/text", &status, &headers);
  g_assert_cmpuint (status, ==, 418);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Content-Type"), ==,
                   "text/plain; charset=utf-8");
  assert_body (body, "I am a teapot");
  g_clear_pointer (&body, g_bytes_unref);
  g_clear_pointer (&headers, soup_message_headers_unref);

  body = fixture_fetch (fixture, "GET", "/html", &status, &headers);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Content-Type"), ==, "text/html");
  assert_body (body, "<b>hi</b>");
  g_clear_pointer (&body, g_bytes_unref);
  g_clear_pointer (&headers, soup_message_headers_unref);

  body = fixture_fetch (fixture, "GET", "/header-type", &status, &headers);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Content-Type"), ==, "text/csv");
  g_assert_cmpstr (soup_message_headers_get_list (headers, "Content-Type"), ==, "text/csv");
  g_clear_pointer (&body, g_bytes_unref);
  g_clear_pointer (&headers, soup_message_headers_unref);

  body = fixture_fetch (fixture, "POST", "/created", &status, &headers);
  g_assert_cmpuint (status, ==, 201);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Location"), ==, "/users/7");
  cookies = g_strdup (soup_message_headers_get_list (headers, "Set-Cookie"));
  g_assert_cmpstr (cookies, ==, "a=1, b=2");
  /* A route header replaces what the server set, instead of doubling it. */
  g_assert_cmpstr (soup_message_headers_get_list (headers, "Connection"), ==, "keep-alive");
  g_assert_null (soup_message_headers_get_one (headers, "Content-Type"));
  g_assert_cmpuint (g_bytes_get_size (body), ==, 0);
  g_clear_pointer (&body, g_bytes_unref);
  g_clear_pointer (&headers, soup_message_headers_unref);

  /* Method mismatch falls through to the built-in handler. */
  body = fixture_fetch (fixture, "POST", "/users/42", &status, NULL);
  g_assert_cmpuint (status, ==, 404);
  assert_body (body, "fallback");
  g_clear_pointer (&body, g_bytes_unref);

  body = fixture_fetch (fixture, "GET", "/nowhere", &status, NULL);
  g_assert_cmpuint (status, ==, 404);
  assert_body (body, "fallback");
  g_clear_pointer (&body, g_bytes_unref);

  body = fixture_fetch (fixture, "DELETE", "/any", &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  assert_body (body, "any");
  g_clear_pointer (&body, g_bytes_unref);

  body = fixture_fetch (fixture, "HEAD", "/users/42", &status, &headers);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (g_bytes_get_size (body), ==, 0);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "X-Mock"), ==, "yes");
  g_clear_pointer (&body, g_bytes_unref);
  g_clear_pointer (&headers, soup_message_headers_unref);

  body = fixture_fetch (fixture, "GET", "/empty", &status, NULL);
  g_assert_cmpuint (status, ==, 204);
  g_assert_cmpuint (g_bytes_get_size (body), ==, 0);
  g_clear_pointer (&body, g_bytes_unref);
}

static void
test_respond_params (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  guint status = 0;

  fixture_set_routes (fixture,
    "[{\"path\": \"/users/{id}/posts/{post}\", "
    "  \"body\": {\"user\": \"{id}\", \"post\": \"{post}\", \"again\": \"{id}{id}\"}},"
    " {\"path\": \"/raw/{v}\", \"body\": \"value={v};\"},"
    " {\"path\": \"/num/{n}\", \"body\": \"{\\\"n\\\": {n}}\"},"
    " {\"path\": \"/files/{rest*}\", \"body\": \"[{rest}]\", \"content_type\": \"text/x-rest\"}]");

  body = fixture_fetch (fixture, "GET", "/users/J%C3%B6rg%20X/posts/a%22b%5Cc", &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  /* Decoded values, escaped so that the JSON stays valid. */
  node = json_from_string (g_bytes_get_data (body, NULL), &error);
  g_assert_no_error (error);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "user"), ==, "Jörg X");
  g_assert_cmpstr (json_object_get_string_member (object, "post"), ==, "a\"b\\c");
  g_assert_cmpstr (json_object_get_string_member (object, "again"), ==, "Jörg XJörg X");
  g_clear_pointer (&body, g_bytes_unref);

  /* Text bodies take values as they are. */
  body = fixture_fetch (fixture, "GET", "/raw/a%22b", &status, NULL);
  assert_body (body, "value=a\"b;");
  g_clear_pointer (&body, g_bytes_unref);

  {
    g_autoptr(SoupMessageHeaders) headers = NULL;

    /* Not JSON as written, but JSON once filled in. */
    body = fixture_fetch (fixture, "GET", "/num/12", &status, &headers);
    assert_body (body, "{\"n\": 12}");
    g_assert_cmpstr (soup_message_headers_get_one (headers, "Content-Type"), ==,
                     "application/json");
    g_clear_pointer (&body, g_bytes_unref);
  }

  body = fixture_fetch (fixture, "GET", "/files/a/b%20c.txt", &status, NULL);
  assert_body (body, "[a/b c.txt]");
  g_clear_pointer (&body, g_bytes_unref);
}

static void
test_respond_body_file (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *big = g_build_filename (fixture->tmpdir, "big.bin", NULL);
  g_autofree char *small = g_build_filename (fixture->tmpdir, "small.json", NULL);
  g_autoptr(GByteArray) contents = g_byte_array_sized_new (3 * 1024 * 1024);
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  guint status = 0;

  for (guint i = 0; i < 3 * 1024 * 1024 / 4; i++)
    {
      guint32 word = g_rand_int (rand);

      g_byte_array_append (contents, (const guint8 *)&word, 4);
    }
  g_assert_true (g_file_set_contents (big, (const char *)contents->data, contents->len, NULL));
  g_assert_true (g_file_set_contents (small, "{\"v\": 1}", -1, NULL));

  fixture_set_routes (fixture,
    "[{\"method\": \"POST\", \"path\": \"/big\", \"status\": 201, \"body_file\": \"big.bin\", "
    "  \"headers\": {\"X-File\": \"yes\"}},"
    " {\"path\": \"/small/{id}\", \"body_file\": \"small.json\"}]");

  {
    g_autofree char *url = g_strconcat (ladle_test_server_get_url (fixture->server), "/big",
                                        NULL);
    g_autoptr(GBytes) request_body = g_bytes_new_static ("x", 1);

    body = ladle_test_fetch (fixture->session, "POST", url, "text/plain", request_body,
                             &status, &headers);
  }
  g_assert_cmpuint (status, ==, 201);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "X-File"), ==, "yes");
  g_assert_cmpint (soup_message_headers_get_content_length (headers), ==, contents->len);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                   contents->data, contents->len);
  g_clear_pointer (&body, g_bytes_unref);
  g_clear_pointer (&headers, soup_message_headers_unref);

  /* Served as is (no substitution), typed from its name, and read at request time. */
  body = fixture_fetch (fixture, "GET", "/small/7", &status, &headers);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Content-Type"), ==,
                   "application/json");
  assert_body (body, "{\"v\": 1}");
  g_clear_pointer (&body, g_bytes_unref);
  g_clear_pointer (&headers, soup_message_headers_unref);

  g_assert_true (g_file_set_contents (small, "{\"v\": 2}", -1, NULL));
  body = fixture_fetch (fixture, "GET", "/small/7", &status, NULL);
  assert_body (body, "{\"v\": 2}");
  g_clear_pointer (&body, g_bytes_unref);

  g_assert_true (g_file_set_contents (small, "", -1, NULL));
  body = fixture_fetch (fixture, "GET", "/small/7", &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (g_bytes_get_size (body), ==, 0);
}

static void
test_respond_body_file_missing (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *file = g_build_filename (fixture->tmpdir, "gone.json", NULL);
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  const char *message;
  guint status = 0;

  g_assert_true (g_file_set_contents (file, "{}", -1, NULL));
  fixture_set_routes (fixture,
    "[{\"path\": \"/gone\", \"status\": 200, \"body_file\": \"gone.json\", "
    "  \"headers\": {\"X-Route\": \"1\"}}]");
  g_assert_cmpint (g_unlink (file), ==, 0);

  body = fixture_fetch (fixture, "GET", "/gone", &status, &headers);
  g_assert_cmpuint (status, ==, 500);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Content-Type"), ==,
                   "application/json");
  g_assert_null (soup_message_headers_get_one (headers, "X-Route"));

  node = json_from_string (g_bytes_get_data (body, NULL), &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  message = json_object_get_string_member (json_node_get_object (node), "error");
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, file));

  /* The server is fine afterwards. */
  g_clear_pointer (&body, g_bytes_unref);
  body = fixture_fetch (fixture, "GET", "/other", &status, NULL);
  g_assert_cmpuint (status, ==, 404);
}

typedef struct
{
  char   *url;
  gint64  elapsed_us;
  guint   status;
  GBytes *body;
  gint    done;   /* atomic */
} SlowFetch;

static gpointer
slow_fetch_thread (gpointer data)
{
  SlowFetch *fetch = data;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 10, NULL);
  gint64 start = g_get_monotonic_time ();

  fetch->body = ladle_test_fetch (session, "GET", fetch->url, NULL, NULL, &fetch->status, NULL);
  fetch->elapsed_us = g_get_monotonic_time () - start;
  g_atomic_int_set (&fetch->done, 1);

  return NULL;
}

static void
test_respond_delay (Fixture       *fixture,
                    gconstpointer  data)
{
  SlowFetch slow = { 0, };
  g_autoptr(GBytes) body = NULL;
  GThread *thread;
  guint status = 0;

  fixture_set_routes (fixture,
    "[{\"path\": \"/slow/{id}\", \"delay\": 3, \"status\": 202, \"body\": \"slow {id}\"},"
    " {\"path\": \"/fast\", \"body\": \"fast\"}]");

  slow.url = g_strconcat (ladle_test_server_get_url (fixture->server), "/slow/1", NULL);
  thread = g_thread_new ("slow", slow_fetch_thread, &slow);

  LADLE_TEST_WAIT_UNTIL (g_atomic_int_get (&fixture->n_handled) >= 1, 5000);

  /* The delay does not block the server: another request is answered meanwhile, before the
   * slow one's 3 s are over (an order, not a time limit, so a loaded machine does not fail it). */
  body = fixture_fetch (fixture, "GET", "/fast", &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  assert_body (body, "fast");
  g_assert_false (g_atomic_int_get (&slow.done));

  g_thread_join (thread);
  g_assert_cmpuint (slow.status, ==, 202);
  assert_body (slow.body, "slow 1");
  g_assert_cmpint (slow.elapsed_us, >=, 3 * G_USEC_PER_SEC);

  g_bytes_unref (slow.body);
  g_free (slow.url);
}

static GIOStream *
send_raw_request (Fixture    *fixture,
                  const char *path)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *request = NULL;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1",
                                                ladle_test_server_get_port (fixture->server),
                                                NULL, &error);
  g_assert_no_error (error);

  request = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", path);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             request, strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);

  return G_IO_STREAM (g_steal_pointer (&connection));
}

static void
test_respond_disconnect_during_delay (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GBytes) body = NULL;
  gint64 start;
  guint status = 0;

  fixture_set_routes (fixture,
    "[{\"path\": \"/slow\", \"delay\": 0.5, \"body\": \"slow\"},"
    " {\"path\": \"/fast\", \"body\": \"fast\"}]");

  start = g_get_monotonic_time ();
  stream = send_raw_request (fixture, "/slow");
  LADLE_TEST_WAIT_UNTIL (g_atomic_int_get (&fixture->n_handled) == 1, 5000);

  /* The client gives up while the response is paused. */
  g_assert_true (g_io_stream_close (stream, NULL, NULL));
  g_clear_object (&stream);

  /* The paused message only notices once the delay is over and it writes. */
  LADLE_TEST_WAIT_UNTIL (g_atomic_int_get (&fixture->n_done) >= 1, 5000);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 450 * 1000);

  body = fixture_fetch (fixture, "GET", "/fast", &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  assert_body (body, "fast");
  g_clear_pointer (&body, g_bytes_unref);

  /* Several clients leaving at once, then one that stays. */
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GIOStream) s = send_raw_request (fixture, "/slow");

      g_io_stream_close (s, NULL, NULL);
    }
  body = fixture_fetch (fixture, "GET", "/slow", &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  assert_body (body, "slow");
  LADLE_TEST_WAIT_UNTIL (g_atomic_int_get (&fixture->n_done) >= 8, 5000);
}

static gboolean
disconnect_server (gpointer data)
{
  soup_server_disconnect (data);
  return G_SOURCE_REMOVE;
}

static void
test_respond_disconnect_server_during_delay (Fixture       *fixture,
                                             gconstpointer  data)
{
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  char buffer[64];
  gssize n_read;

  fixture_set_routes (fixture, "[{\"path\": \"/slow\", \"delay\": 0.3, \"body\": \"slow\"}]");

  stream = send_raw_request (fixture, "/slow");
  LADLE_TEST_WAIT_UNTIL (g_atomic_int_get (&fixture->n_handled) == 1, 5000);

  /* The message finishes while paused and the server's loop keeps running past the delay: the
   * timer must be gone, since unpausing a finished message is a CRITICAL (fatal in tests). */
  g_main_context_invoke (fixture->server_context, disconnect_server, fixture->soup_server);
  n_read = g_input_stream_read (g_io_stream_get_input_stream (stream), buffer, sizeof buffer,
                                NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n_read, ==, 0);
  /* Past the delay: a leftover timer would have fired by now. */
  g_usleep (600 * 1000);
}

static void
test_respond_shutdown_during_delay (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(GIOStream) stream = NULL;
  gint64 start;

  fixture_set_routes (fixture, "[{\"path\": \"/slow\", \"delay\": 30, \"body\": \"slow\"}]");

  stream = send_raw_request (fixture, "/slow");
  LADLE_TEST_WAIT_UNTIL (g_atomic_int_get (&fixture->n_handled) == 1, 5000);

  /* Stopping the server with a paused message neither waits for the delay nor unpauses a
   * finished message (a CRITICAL, fatal here). */
  start = g_get_monotonic_time ();
  g_clear_pointer (&fixture->server, ladle_test_server_free);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * 1000 * 1000);

  g_io_stream_close (stream, NULL, NULL);
}

static const char *
get_error_member (GBytes *body)
{
  static char message[1024];
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  node = json_from_string (g_bytes_get_data (body, NULL), &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  g_strlcpy (message, json_object_get_string_member (json_node_get_object (node), "error"),
             sizeof message);
  return message;
}

/* A body file that was inside its folder at load, then made a link to elsewhere, is refused
 * when a request opens it: the check is made again, after resolving links. */
static void
test_respond_body_file_confined (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *otherdir = ladle_test_make_tmpdir ("ladle-mock-other-XXXXXX");
  g_autofree char *secret = g_build_filename (otherdir, "secret.txt", NULL);
  g_autofree char *inside = g_build_filename (fixture->tmpdir, "inside.txt", NULL);
  g_autofree char *link = g_build_filename (fixture->tmpdir, "link.txt", NULL);
  g_autoptr(GBytes) body = NULL;
  const char *message;
  guint status = 0;

  g_assert_true (g_file_set_contents (inside, "inside", -1, NULL));
  g_assert_true (g_file_set_contents (secret, "secret", -1, NULL));
  g_assert_cmpint (symlink ("inside.txt", link), ==, 0);
  fixture_set_routes (fixture, "[{\"path\": \"/f\", \"body_file\": \"link.txt\"}]");

  body = fixture_fetch (fixture, "GET", "/f", &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  assert_body (body, "inside");
  g_clear_pointer (&body, g_bytes_unref);

  /* Changed behind the server's back. */
  g_assert_cmpint (g_unlink (link), ==, 0);
  g_assert_cmpint (symlink (secret, link), ==, 0);
  body = fixture_fetch (fixture, "GET", "/f", &status, NULL);
  g_assert_cmpuint (status, ==, 500);
  message = get_error_member (body);
  g_test_message ("%s", message);
  g_assert_nonnull (strstr (message, link));
  g_assert_nonnull (strstr (message, "outside"));
  g_assert_null (strstr (message, "secret\""));
  g_clear_pointer (&body, g_bytes_unref);

  /* Pointed back inside, by an absolute link: fine again. */
  g_assert_cmpint (g_unlink (link), ==, 0);
  g_assert_cmpint (symlink (inside, link), ==, 0);
  body = fixture_fetch (fixture, "GET", "/f", &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  assert_body (body, "inside");
  g_clear_pointer (&body, g_bytes_unref);

  /* Unless the user allows body files from anywhere. */
  g_assert_cmpint (g_unlink (link), ==, 0);
  g_assert_cmpint (symlink (secret, link), ==, 0);
  fixture_set_routes_full (fixture, "[{\"path\": \"/f\", \"body_file\": \"link.txt\"}]",
                           LADLE_MOCK_ROUTES_LOAD_ANY_BODY_FILE);
  body = fixture_fetch (fixture, "GET", "/f", &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  assert_body (body, "secret");

  ladle_test_rm_rf (otherdir);
}


static void
assert_refused_quickly (Fixture    *fixture,
                        const char *kind)
{
  g_autoptr(GBytes) body = NULL;
  gint64 start = g_get_monotonic_time ();
  const char *message;
  guint status = 0;

  body = fixture_fetch (fixture, "GET", "/f", &status, NULL);
  g_assert_cmpuint (status, ==, 500);
  /* Not after the client's timeout: the server's thread never waited on the file. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  message = get_error_member (body);
  g_test_message ("%s", message);
  g_assert_nonnull (strstr (message, kind));
}

/* A body file swapped for a FIFO or a folder after load: a 500 that says what it is, at once. */
static void
test_respond_body_file_not_regular (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autofree char *file = g_build_filename (fixture->tmpdir, "b.bin", NULL);
  g_autoptr(GBytes) body = NULL;
  guint status = 0;

  g_assert_true (g_file_set_contents (file, "b", -1, NULL));
  fixture_set_routes (fixture, "[{\"path\": \"/f\", \"body_file\": \"b.bin\"},"
                               " {\"path\": \"/ok\", \"body\": \"ok\"}]");

  g_assert_cmpint (g_unlink (file), ==, 0);
  g_assert_cmpint (mkfifo (file, 0600), ==, 0);
  assert_refused_quickly (fixture, "named pipe");

  g_assert_cmpint (g_unlink (file), ==, 0);
  g_assert_cmpint (g_mkdir (file, 0700), ==, 0);
  assert_refused_quickly (fixture, "folder");

  body = fixture_fetch (fixture, "GET", "/ok", &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  assert_body (body, "ok");
}

/* Sends a raw request and reads the whole answer until the server closes the connection. */
static GBytes *
fetch_raw_until_closed (Fixture    *fixture,
                        const char *request,
                        int         wait_for_responded,
                        const char *truncate_path)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GByteArray) answer = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  GInputStream *in;
  char buffer[16384];
  gssize n;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1",
                                                ladle_test_server_get_port (fixture->server),
                                                NULL, &error);
  g_assert_no_error (error);
  g_socket_set_timeout (g_socket_connection_get_socket (connection), 20);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             request, strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);

  /* The route is delayed: change the file once it is open, before anything is sent. */
  LADLE_TEST_WAIT_UNTIL (g_atomic_int_get (&fixture->n_responded) == wait_for_responded, 5000);
  if (truncate_path != NULL)
    g_assert_cmpint (truncate (truncate_path, 0), ==, 0);

  in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  while ((n = g_input_stream_read (in, buffer, sizeof buffer, NULL, &error)) > 0)
    g_byte_array_append (answer, (const guint8 *) buffer, n);
  g_assert_no_error (error);

  return g_byte_array_free_to_bytes (g_steal_pointer (&answer));
}

/* Splits a raw answer at its blank line; returns the head, with @out_body the rest. */
static char *
split_answer (GBytes  *answer,
              GBytes **out_body)
{
  gsize size;
  const char *data = g_bytes_get_data (answer, &size);
  const char *end = g_strstr_len (data, size, "\r\n\r\n");

  g_assert_nonnull (end);
  *out_body = g_bytes_new_from_bytes (answer, end + 4 - data, size - (end + 4 - data));
  return g_strndup (data, end - data);
}

/* The file is streamed from a descriptor, never mapped: a file cut short while its answer waits
 * does not crash the server (a mapping would fault in libsoup's copy for a Range), the client
 * sees a short answer on a closed connection, and the server goes on. */
static void
test_respond_body_file_truncated (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autofree char *file = g_build_filename (fixture->tmpdir, "big.bin", NULL);
  g_autofree char *contents = g_malloc (1024 * 1024);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *head = NULL;
  guint status = 0;

  for (guint i = 0; i < 1024 * 1024; i++)
    contents[i] = 'a' + i % 26;
  g_assert_true (g_file_set_contents (file, contents, 1024 * 1024, NULL));
  fixture_set_routes (fixture, "[{\"path\": \"/big\", \"body_file\": \"big.bin\", \"delay\": 1},"
                               " {\"path\": \"/ok\", \"body\": \"ok\"}]");

  /* One range: 206 with those bytes, although the file is empty by the time they are sent. */
  answer = fetch_raw_until_closed (fixture, "GET /big HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                   "Range: bytes=10-19\r\n\r\n", 1, file);
  head = split_answer (answer, &body);
  g_test_message ("%s", head);
  g_assert_true (g_str_has_prefix (head, "HTTP/1.1 206 "));
  g_assert_nonnull (strstr (head, "Content-Range: bytes 10-19/1048576"));
  g_assert_nonnull (strstr (head, "Content-Length: 10"));
  assert_body (body, "klmnopqrst");
  g_clear_pointer (&answer, g_bytes_unref);
  g_clear_pointer (&body, g_bytes_unref);
  g_clear_pointer (&head, g_free);

  /* The whole file, cut while the answer waits: short, and closed. */
  g_assert_true (g_file_set_contents (file, contents, 1024 * 1024, NULL));
  answer = fetch_raw_until_closed (fixture, "GET /big HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                                   2, file);
  head = split_answer (answer, &body);
  g_test_message ("%s", head);
  g_assert_true (g_str_has_prefix (head, "HTTP/1.1 200 "));
  g_assert_nonnull (strstr (head, "Content-Length: 1048576"));
  g_assert_cmpuint (g_bytes_get_size (body), <, 1024 * 1024);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                   contents, g_bytes_get_size (body));
  g_clear_pointer (&body, g_bytes_unref);

  body = fixture_fetch (fixture, "GET", "/ok", &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  assert_body (body, "ok");
  g_clear_pointer (&body, g_bytes_unref);

  /* A whole file and a range of it, untouched. */
  g_assert_true (g_file_set_contents (file, contents, 1024 * 1024, NULL));
  fixture_set_routes (fixture, "[{\"path\": \"/big\", \"body_file\": \"big.bin\"}]");
  body = fixture_fetch (fixture, "GET", "/big", &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                   contents, 1024 * 1024);
}

static void
test_respond_swap (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GBytes) body = NULL;
  guint status = 0;

  fixture_set_routes (fixture, "[{\"path\": \"/v\", \"body\": \"one\"}]");
  body = fixture_fetch (fixture, "GET", "/v", &status, NULL);
  assert_body (body, "one");
  g_clear_pointer (&body, g_bytes_unref);

  fixture_set_routes (fixture, "[{\"path\": \"/v\", \"body\": \"two\", \"status\": 203}]");
  body = fixture_fetch (fixture, "GET", "/v", &status, NULL);
  g_assert_cmpuint (status, ==, 203);
  assert_body (body, "two");
  g_clear_pointer (&body, g_bytes_unref);

  fixture_set_routes (fixture, "[]");
  body = fixture_fetch (fixture, "GET", "/v", &status, NULL);
  g_assert_cmpuint (status, ==, 404);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  g_test_add_func ("/ladle/mock-routes/route/defaults", test_route_defaults);
  g_test_add_func ("/ladle/mock-routes/route/notify", test_route_notify);
  g_test_add_func ("/ladle/mock-routes/route/validate", test_route_validate);
  g_test_add_func ("/ladle/mock-routes/route/copy", test_route_copy);
  g_test_add_func ("/ladle/mock-routes/route/status", test_route_status);
  g_test_add_func ("/ladle/mock-routes/load/example", test_load_example);
  g_test_add_func ("/ladle/mock-routes/load/bare-array", test_load_bare_array);
  g_test_add_func ("/ladle/mock-routes/load/syntax-errors", test_load_syntax_errors);
  g_test_add_func ("/ladle/mock-routes/load/semantic-errors", test_load_semantic_errors);
  g_test_add_func ("/ladle/mock-routes/load/file-errors", test_load_file_errors);
  g_test_add_func ("/ladle/mock-routes/load/not-regular", test_load_not_regular);
  g_test_add_func ("/ladle/mock-routes/load/size-limit", test_load_size_limit);
  g_test_add_func ("/ladle/mock-routes/load/header-control", test_load_header_control);
  g_test_add_func ("/ladle/mock-routes/load/not-utf8", test_load_not_utf8);
  g_test_add_func ("/ladle/mock-routes/load/body-file-confined", test_load_body_file_confined);
  g_test_add_func ("/ladle/mock-routes/save/round-trip", test_save_round_trip);
  g_test_add_func ("/ladle/mock-routes/save/atomic", test_save_atomic);
  g_test_add_func ("/ladle/mock-routes/store", test_store);
  g_test_add_func ("/ladle/mock-routes/store/free-path", test_free_path);
  g_test_add_func ("/ladle/mock-routes/match/exact", test_match_exact);
  g_test_add_func ("/ladle/mock-routes/match/params", test_match_params);
  g_test_add_func ("/ladle/mock-routes/match/methods", test_match_methods);
  g_test_add_func ("/ladle/mock-routes/match/order", test_match_order);
  g_test_add_func ("/ladle/mock-routes/match/segments", test_match_segments);
  g_test_add_func ("/ladle/mock-routes/match/trailing-slash", test_match_trailing_slash);
  g_test_add_func ("/ladle/mock-routes/match/decoded", test_match_decoded);
  g_test_add_func ("/ladle/mock-routes/match/invalid-skipped", test_match_invalid_skipped);
  g_test_add_func ("/ladle/mock-routes/router/snapshot", test_router_snapshot);
  g_test_add_func ("/ladle/mock-routes/router/threads", test_router_threads);
  g_test_add ("/ladle/mock-routes/respond/basic", Fixture, NULL,
              fixture_setup, test_respond_basic, fixture_teardown);
  g_test_add ("/ladle/mock-routes/respond/params", Fixture, NULL,
              fixture_setup, test_respond_params, fixture_teardown);
  g_test_add ("/ladle/mock-routes/respond/body-file", Fixture, NULL,
              fixture_setup, test_respond_body_file, fixture_teardown);
  g_test_add ("/ladle/mock-routes/respond/body-file-missing", Fixture, NULL,
              fixture_setup, test_respond_body_file_missing, fixture_teardown);
  g_test_add ("/ladle/mock-routes/respond/body-file-confined", Fixture, NULL,
              fixture_setup, test_respond_body_file_confined, fixture_teardown);
  g_test_add ("/ladle/mock-routes/respond/body-file-not-regular", Fixture, NULL,
              fixture_setup, test_respond_body_file_not_regular, fixture_teardown);
  g_test_add ("/ladle/mock-routes/respond/body-file-truncated", Fixture, NULL,
              fixture_setup, test_respond_body_file_truncated, fixture_teardown);
  g_test_add ("/ladle/mock-routes/respond/delay", Fixture, NULL,
              fixture_setup, test_respond_delay, fixture_teardown);
  g_test_add ("/ladle/mock-routes/respond/disconnect-during-delay", Fixture, NULL,
              fixture_setup, test_respond_disconnect_during_delay, fixture_teardown);
  g_test_add ("/ladle/mock-routes/respond/disconnect-server-during-delay", Fixture, NULL,
              fixture_setup, test_respond_disconnect_server_during_delay, fixture_teardown);
  g_test_add ("/ladle/mock-routes/respond/shutdown-during-delay", Fixture, NULL,
              fixture_setup, test_respond_shutdown_during_delay, fixture_teardown);
  g_test_add ("/ladle/mock-routes/respond/swap", Fixture, NULL,
              fixture_setup, test_respond_swap, fixture_teardown);

  return ladle_test_run ();
}
