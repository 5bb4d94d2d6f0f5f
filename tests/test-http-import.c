/* test-http-import.c
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

#include "ladle-error.h"
#include "ladle-history.h"
#include "ladle-http-client.h"
#include "ladle-http-import.h"
#include "ladle-server.h"
#include "ladle-test-utils.h"

/* Imports of real exports (tests/data/import/) compared whole with what they must give, damaged
 * inputs, and the HAR export of real exchanges checked by the npm har-validator. */

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "import", name, NULL);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static char *
read_in (const char *dir,
         const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return read_file (path);
}

/* Copies a data file into @dir, so that paths relative to it are the same on every machine. */
static char *
copy_data (const char *dir,
           const char *name)
{
  g_autofree char *source = data_path (name);
  g_autofree char *contents = read_file (source);
  char *target = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (target, contents, -1, &error);
  g_assert_no_error (error);
  return target;
}

static gboolean
import_path (const char   *path,
             const char   *folder,
             GStrv        *written,
             GStrv        *warnings,
             GError      **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return ladle_http_import (contents, length, path, folder, written, warnings, error);
}

static void
assert_strv (GStrv               actual,
             const char * const *expected)
{
  guint n = actual != NULL ? g_strv_length (actual) : 0;

  for (guint i = 0; i < n && expected[i] != NULL; i++)
    g_assert_cmpstr (actual[i], ==, expected[i]);
  g_assert_cmpuint (n, ==, g_strv_length ((GStrv) expected));
}

/* --- detect ------------------------------------------------------------------------------------ */

static void
test_detect (void)
{
  static const struct { const char *text; LadleImportKind kind; } cases[] = {
    { "{\"info\":{\"schema\":\"https://schema.getpostman.com/json/collection/v2.0.0/collection.json\"},"
      "\"item\":[]}", LADLE_IMPORT_POSTMAN },
    { "{\"log\":{\"version\":\"1.2\",\"entries\":[]}}", LADLE_IMPORT_HAR },
    { "\xef\xbb\xbf  {\"log\":{\"entries\":[]}}", LADLE_IMPORT_HAR },
    { "{\"log\":{\"entries\":[", LADLE_IMPORT_HAR },
    { "{\"info\":{\"schema\":\"https://schema.getpostman.com/json/collection/v2.1.0/", LADLE_IMPORT_POSTMAN },
    { "{\"log\":{}}", LADLE_IMPORT_UNKNOWN },
    { "{\"info\":{\"schema\":\"https://example.test/other\"},\"item\":[]}", LADLE_IMPORT_UNKNOWN },
    { "[1, 2]", LADLE_IMPORT_UNKNOWN },
    { "# comment\n\n  curl http://127.0.0.1/\n", LADLE_IMPORT_CURL },
    { "$ curl http://127.0.0.1/", LADLE_IMPORT_CURL },
    { "curl.exe ^\"http://127.0.0.1/^\"", LADLE_IMPORT_CURL },
    { "curly http://127.0.0.1/", LADLE_IMPORT_UNKNOWN },
    { "GET http://127.0.0.1/\n", LADLE_IMPORT_UNKNOWN },
    { "", LADLE_IMPORT_UNKNOWN },
    { "# only a comment", LADLE_IMPORT_UNKNOWN },
  };
  static const struct { const char *name; LadleImportKind kind; } files[] = {
    { "shop.postman_collection.json", LADLE_IMPORT_POSTMAN },
    { "shop.har", LADLE_IMPORT_HAR },
    { "requests.curl.txt", LADLE_IMPORT_CURL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u", i);
      g_assert_cmpint (ladle_http_import_detect (cases[i].text, strlen (cases[i].text)), ==,
                       cases[i].kind);
    }

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = data_path (files[i].name);
      g_autofree char *contents = read_file (path);

      g_assert_cmpint (ladle_http_import_detect (contents, strlen (contents)), ==, files[i].kind);
    }
}

/* --- Postman ----------------------------------------------------------------------------------- */

static const char expected_top[] =
  "### login\n"
  "# @name login\n"
  "POST http://127.0.0.1:8080/login\n"
  "Authorization: Bearer {{token}}\n"
  "Content-Type: application/x-www-form-urlencoded\n"
  "\n"
  "user=ada%20lovelace&pass=p%26ss%3D{{password}}\n"
  "\n"
  "### Search\n"
  "# @name Search\n"
  "GET http://127.0.0.1:8080/search?q={{term}}&t={{$timestamp}}\n"
  "Authorization: Bearer {{token}}\n"
  "\n"
  "### Put blob\n"
  "PUT {{baseUrl}}/blob\n"
  "Content-Type: application/octet-stream\n"
  "\n"
  "< /tmp/blob.bin\n"
  "\n"
  "### GraphQL books\n"
  "POST {{baseUrl}}/graphql\n"
  "Authorization: Bearer {{token}}\n"
  "Content-Type: application/json\n"
  "\n"
  "{\"query\":\"query Books($n: Int) { books(first: $n) { title } }\",\"variables\":{\"n\":3}}\n"
  "\n"
  "### Digest area\n"
  "GET {{baseUrl}}/digest\n"
  "\n";

static const char expected_users[] =
  "### List users\n"
  "GET {{baseUrl}}/users?page=1\n"
  "Accept: application/json\n"
  "X-API-Key: {{apiKey}}\n"
  "\n"
  "?? status == 200\n"
  "\n"
  "### Create user\n"
  "# Postman pre-request script, not run by Ladle:\n"
  "# pm.collectionVariables.set(\"stamp\", Date.now());\n"
  "\n"
  "# Postman test script, not run by Ladle:\n"
  "# pm.test(\"Created\", function () {\n"
  "#     pm.expect(pm.response.code).to.eql(201);\n"
  "# });\n"
  "# pm.collectionVariables.set(\"userId\", pm.response.json().id);\n"
  "POST {{baseUrl}}/users\n"
  "Authorization: Basic admin:s3cret\n"
  "Content-Type: application/json\n"
  "\n"
  "{\n"
  "    \"id\": \"{{$uuid}}\",\n"
  "    \"name\": \"Ada\",\n"
  "    \"email\": \"{{$randomEmail}}\"\n"
  "}\n"
  "\n"
  "?? status == 201\n"
  "\n";

static const char expected_admin[] =
  "### Upload avatar\n"
  "POST {{baseUrl}}/upload\n"
  "X-API-Key: {{apiKey}}\n"
  "Content-Type: multipart/form-data; boundary=LadleBoundary7MA4YWxkTrZu0gW\n"
  "\n"
  "--LadleBoundary7MA4YWxkTrZu0gW\n"
  "Content-Disposition: form-data; name=\"title\"\n"
  "\n"
  "Me\n"
  "--LadleBoundary7MA4YWxkTrZu0gW\n"
  "Content-Disposition: form-data; name=\"avatar\"; filename=\"avatar.png\"\n"
  "\n"
  "< ../../../src/files/avatar.png\n"
  "--LadleBoundary7MA4YWxkTrZu0gW--\n"
  "\n";

static const char * const expected_postman_warnings[] = {
  "Users/Create user: the pre-request script was kept as a comment",
  "Users/Create user: the test script was kept as a comment",
  "Users/Create user: Ladle has no dynamic variable {{$randomEmail}}; it was kept as written",
  "Digest area: the “digest” authorization was not carried over",
  NULL
};

static void
test_postman (void)
{
  g_autofree char *tmp = ladle_test_make_tmpdir ("ladle-import-XXXXXX");
  g_autofree char *src = g_build_filename (tmp, "src", NULL);
  g_autofree char *out = g_build_filename (tmp, "out", NULL);
  g_autofree char *source = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) written = NULL;
  g_auto(GStrv) warnings = NULL;
  g_autofree char *top = NULL;
  g_autofree char *users = NULL;
  g_autofree char *admin = NULL;
  g_autofree char *env = NULL;

  g_assert_cmpint (g_mkdir (src, 0700), ==, 0);
  source = copy_data (src, "shop.postman_collection.json");

  g_assert_true (import_path (source, out, &written, &warnings, &error));
  g_assert_no_error (error);

  {
    g_autofree char *w0 = g_build_filename (out, "Users", "Users.http", NULL);
    g_autofree char *w1 = g_build_filename (out, "Users", "Admin", "Admin.http", NULL);
    g_autofree char *w2 = g_build_filename (out, "Shop API.http", NULL);
    g_autofree char *w3 = g_build_filename (out, "http-client.env.json", NULL);
    const char * const expected[] = { w0, w1, w2, w3, NULL };

    assert_strv (written, expected);
  }
  assert_strv (warnings, expected_postman_warnings);

  top = read_in (out, "Shop API.http");
  users = read_in (out, "Users/Users.http");
  admin = read_in (out, "Users/Admin/Admin.http");
  env = read_in (out, "http-client.env.json");
  g_assert_cmpstr (top, ==, expected_top);
  g_assert_cmpstr (users, ==, expected_users);
  g_assert_cmpstr (admin, ==, expected_admin);
  g_assert_cmpstr (env, ==,
                   "{\n"
                   "  \"$shared\": {\n"
                   "    \"baseUrl\": \"http://127.0.0.1:8080\",\n"
                   "    \"token\": \"dev-token\",\n"
                   "    \"apiKey\": \"k-123\"\n"
                   "  }\n"
                   "}\n");

  /* Again: nothing is overwritten, and the variables are all there already. */
  g_clear_pointer (&written, g_strfreev);
  g_clear_pointer (&warnings, g_strfreev);
  g_assert_true (import_path (source, out, &written, &warnings, &error));
  g_assert_no_error (error);
  {
    g_autofree char *w0 = g_build_filename (out, "Users", "Users 2.http", NULL);
    g_autofree char *w1 = g_build_filename (out, "Users", "Admin", "Admin 2.http", NULL);
    g_autofree char *w2 = g_build_filename (out, "Shop API 2.http", NULL);
    const char * const expected[] = { w0, w1, w2, NULL };

    assert_strv (written, expected);
  }
  {
    g_autofree char *again = read_in (out, "Users/Users 2.http");
    g_autofree char *first = read_in (out, "Users/Users.http");

    g_assert_cmpstr (again, ==, expected_users);
    g_assert_cmpstr (first, ==, expected_users);
  }
  g_assert_cmpuint (ladle_test_count_entries (out), ==, 4);

  ladle_test_rm_rf (tmp);
}

static void
test_postman_env_merge (void)
{
  g_autofree char *tmp = ladle_test_make_tmpdir ("ladle-import-XXXXXX");
  g_autofree char *source = data_path ("shop.postman_collection.json");
  g_autofree char *env_path = g_build_filename (tmp, "http-client.env.json", NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) written = NULL;
  g_auto(GStrv) warnings = NULL;
  g_autofree char *env = NULL;

  g_file_set_contents (env_path,
                       "{\"dev\": {\"host\": \"127.0.0.1\"},\n"
                       " \"$shared\": {\"baseUrl\": \"http://127.0.0.1:9999\", \"token\": \"dev-token\"}}",
                       -1, &error);
  g_assert_no_error (error);

  g_assert_true (import_path (source, tmp, &written, &warnings, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (warnings[g_strv_length (warnings) - 1], ==,
                   "http-client.env.json already gives “baseUrl” the value "
                   "“http://127.0.0.1:9999”; the collection’s value “http://127.0.0.1:8080” was "
                   "not written");
  env = read_file (env_path);
  g_assert_cmpstr (env, ==,
                   "{\n"
                   "  \"dev\": {\n"
                   "    \"host\": \"127.0.0.1\"\n"
                   "  },\n"
                   "  \"$shared\": {\n"
                   "    \"baseUrl\": \"http://127.0.0.1:9999\",\n"
                   "    \"token\": \"dev-token\",\n"
                   "    \"apiKey\": \"k-123\"\n"
                   "  }\n"
                   "}\n");

  /* A damaged env file is left alone, and said so. */
  g_clear_pointer (&warnings, g_strfreev);
  g_file_set_contents (env_path, "{\"$shared\": ", -1, &error);
  g_assert_no_error (error);
  g_assert_true (import_path (source, tmp, NULL, &warnings, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (warnings[g_strv_length (warnings) - 1],
                            "the collection’s variables were not written to it"));
  g_free (env);
  env = read_file (env_path);
  g_assert_cmpstr (env, ==, "{\"$shared\": ");

  ladle_test_rm_rf (tmp);
}

static gboolean
import_text (const char  *text,
             const char  *folder,
             GStrv       *warnings,
             GError     **error)
{
  return ladle_http_import (text, strlen (text), "in.json", folder, NULL, warnings, error);
}

#define POSTMAN_HEAD "{\"info\":{\"name\":\"C\",\"schema\":" \
  "\"https://schema.getpostman.com/json/collection/v2.1.0/collection.json\"},"

static void
test_postman_shapes (void)
{
  g_autofree char *tmp = ladle_test_make_tmpdir ("ladle-import-XXXXXX");
  g_auto(GStrv) warnings = NULL;
  static const struct { const char *text; const char *message; } refused[] = {
    { POSTMAN_HEAD "\"item\":5}", "in.json: a Postman collection needs an “item” list" },
    { POSTMAN_HEAD "\"item\":[1]}", "in.json: item 1 of “C” is not an object" },
    { POSTMAN_HEAD "\"item\":[{\"name\":\"F\",\"item\":{}}]}",
      "in.json: the folder “F” has an “item” that is not a list" },
    { POSTMAN_HEAD "\"item\":[{\"name\":\"F\",\"item\":[\"x\"]}]}",
      "in.json: item 1 of “F” is not an object" },
    /* Truncated: json-glib's position of the last character, counted in characters (the line
     * has 40 bytes) */
    { POSTMAN_HEAD "\n\"item\":[{\"name\":\"Ünïcødé\",\"request\":",
      "in.json:2:36: Parse error: unexpected end of file, expected character `}'" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("case %u", i);
      g_assert_false (import_text (refused[i].text, tmp, NULL, &error));
      g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
      g_assert_cmpstr (error->message, ==, refused[i].message);
      g_assert_cmpuint (ladle_test_count_entries (tmp), ==, 0);
    }

  /* Odd but readable shapes: v2.0 auth objects, a request as a URL string, URL as pieces,
   * headers as text, wrong types ignored, an item that is neither. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *text = NULL;
    static const char * const expected_warnings[] = {
      "Odd: the method “GE T” is not valid; GET was written instead",
      "Odd: the header name “Bad Name” is not valid; it was left out",
      "Nothing: neither a request nor a folder; it was skipped",
      NULL
    };

    g_assert_true (import_text (POSTMAN_HEAD
                                "\"auth\":{\"type\":\"basic\",\"basic\":{\"username\":\"u\",\"password\":\"p\"}},"
                                "\"item\":[{\"name\":\"Str\",\"request\":\"http://127.0.0.1:1/a\"},"
                                "{\"name\":\"Odd\",\"request\":{\"method\":\"GE T\",\"url\":{\"host\":\"127.0.0.1\","
                                "\"port\":2,\"path\":\"/b\"},\"header\":[{\"key\":\"Bad Name\",\"value\":1},"
                                "{\"key\":\"X-N\",\"value\":7},{\"key\":\"X-Line\",\"value\":\"a\\r\\nInjected: 1\"},"
                                "5],\"body\":{\"mode\":\"raw\",\"raw\":42}}},"
                                "{\"name\":\"Nothing\"},"
                                "{\"name\":\"Text headers\",\"request\":{\"url\":\"http://127.0.0.1:1/c\","
                                "\"auth\":{\"type\":\"noauth\"},\"header\":\"A: 1\\nB: 2\\n\"}}],"
                                "\"variable\":[{\"key\":\"n\",\"value\":3},{\"key\":\"off\",\"value\":\"x\",\"disabled\":true}]}",
                                tmp, &warnings, &error));
    g_assert_no_error (error);
    assert_strv (warnings, expected_warnings);
    text = read_in (tmp, "C.http");
    g_assert_cmpstr (text, ==,
                     "### Str\n"
                     "# @name Str\n"
                     "GET http://127.0.0.1:1/a\n"
                     "Authorization: Basic u:p\n"
                     "\n"
                     "### Odd\n"
                     "# @name Odd\n"
                     "GET 127.0.0.1:2/b\n"
                     "X-N: 7\n"
                     "X-Line: a  Injected: 1\n"
                     "Authorization: Basic u:p\n"
                     "\n"
                     "42\n"
                     "\n"
                     "### Text headers\n"
                     "GET http://127.0.0.1:1/c\n"
                     "A: 1\n"
                     "B: 2\n"
                     "\n");
    g_free (text);
    text = read_in (tmp, "http-client.env.json");
    g_assert_cmpstr (text, ==, "{\n  \"$shared\": {\n    \"n\": \"3\"\n  }\n}\n");
  }

  ladle_test_rm_rf (tmp);
}

static void
test_postman_deep (void)
{
  g_autofree char *tmp = ladle_test_make_tmpdir ("ladle-import-XXXXXX");
  g_autoptr(GString) text = g_string_new (POSTMAN_HEAD "\"item\":");
  g_autoptr(GError) error = NULL;

  /* 40 folders inside each other: refused whole, nothing written */
  for (guint i = 0; i < 40; i++)
    g_string_append (text, "[{\"name\":\"F\",\"item\":");
  g_string_append (text, "[{\"name\":\"R\",\"request\":\"http://127.0.0.1:1/\"}]");
  for (guint i = 0; i < 40; i++)
    g_string_append (text, "}]");
  g_string_append (text, "}");
  g_assert_false (import_text (text->str, tmp, NULL, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==,
                   "in.json: the collection’s folders nest more than 32 levels deep");
  g_assert_cmpuint (ladle_test_count_entries (tmp), ==, 0);
  g_clear_error (&error);

  /* 100 000 levels of JSON: refused before json-glib recurses */
  g_string_assign (text, POSTMAN_HEAD "\"item\":");
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (text, '[');
  g_assert_false (import_text (text->str, tmp, NULL, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, "in.json:1:"));
  g_assert_nonnull (strstr (error->message, "nest more than 512 levels"));
  g_assert_cmpuint (ladle_test_count_entries (tmp), ==, 0);

  ladle_test_rm_rf (tmp);
}

static void
test_bad_input (void)
{
  g_autofree char *tmp = ladle_test_make_tmpdir ("ladle-import-XXXXXX");
  static const struct { const char *text; gsize length; const char *message; } cases[] = {
    { "GET http://127.0.0.1/\n", 0, "in.json: this is not a Postman collection, a HAR file or curl commands" },
    { "{\"log\":{\"entries\":3}}", 0, "in.json: this is not a Postman collection, a HAR file or curl commands" },
    { "curl http://127.0.0.1/\n\xff", 0, "in.json:2:1: the file is not UTF-8 text" },
    { "curl http://127.0.0.1/\nё\0x", 27, "in.json:2:2: the file contains a NUL byte" },
    { "curl http://127.0.0.1/a\n\n  wget http://127.0.0.1/\n", 0,
      "in.json:3:3: a curl command was expected here" },
    { "curl http://127.0.0.1/a\n# fine\ncurl -X\n", 0, "in.json:3:1: " },
    { "{\"log\": {\"entries\": [\n  {\"request\": }", 0, "in.json:2:15: " },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gsize length = cases[i].length > 0 ? cases[i].length : strlen (cases[i].text);

      g_test_message ("case %u", i);
      g_assert_false (ladle_http_import (cases[i].text, length, "in.json", tmp, NULL, NULL,
                                         &error));
      g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
      g_assert_true (g_str_has_prefix (error->message, cases[i].message));
      g_assert_cmpuint (ladle_test_count_entries (tmp), ==, 0);
    }

  ladle_test_rm_rf (tmp);
}

/* --- HAR and curl ------------------------------------------------------------------------------ */

static const char expected_har[] =
  "### GET /api/users\n"
  "GET http://127.0.0.1:8080/api/users?page=2\n"
  "Accept: application/json\n"
  "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
  "Chrome/120.0.0.0 Safari/537.36\n"
  "\n"
  "### POST /api/users\n"
  "POST http://127.0.0.1:8080/api/users\n"
  "Content-Type: application/json\n"
  "Cookie: session=abc123\n"
  "\n"
  "{\"name\":\"Grace\",\"age\":85}\n"
  "\n"
  "### POST /login\n"
  "POST http://127.0.0.1:8080/login\n"
  "Content-Type: application/x-www-form-urlencoded\n"
  "\n"
  "user=ada%20lovelace&pass=x%26y\n"
  "\n"
  "### POST /upload\n"
  "POST http://127.0.0.1:8080/upload\n"
  "Content-Type: multipart/form-data; boundary=LadleBoundary7MA4YWxkTrZu0gW\n"
  "\n"
  "--LadleBoundary7MA4YWxkTrZu0gW\n"
  "Content-Disposition: form-data; name=\"title\"\n"
  "\n"
  "Me\n"
  "--LadleBoundary7MA4YWxkTrZu0gW\n"
  "Content-Disposition: form-data; name=\"avatar\"; filename=\"avatar.png\"\n"
  "Content-Type: image/png\n"
  "\n"
  "< ./avatar.png\n"
  "--LadleBoundary7MA4YWxkTrZu0gW--\n"
  "\n";

static void
test_har (void)
{
  g_autofree char *tmp = ladle_test_make_tmpdir ("ladle-import-XXXXXX");
  g_autofree char *source = data_path ("shop.har");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) written = NULL;
  g_auto(GStrv) warnings = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected_path = g_build_filename (tmp, "shop.http", NULL);
  const char * const expected_written[] = { expected_path, NULL };
  static const char * const expected_warnings[] = {
    "POST /upload: the file “avatar.png” of the form field “avatar” is not in the HAR file; "
    "the request reads “./avatar.png” instead",
    "GET /ws: only HTTP requests are imported; “ws://127.0.0.1:8080/ws” was skipped",
    NULL
  };

  g_assert_true (import_path (source, tmp, &written, &warnings, &error));
  g_assert_no_error (error);
  assert_strv (written, expected_written);
  assert_strv (warnings, expected_warnings);
  text = read_file (expected_path);
  g_assert_cmpstr (text, ==, expected_har);

  /* A body line that would start a request is imported, and said so */
  g_clear_pointer (&warnings, g_strfreev);
  g_assert_true (import_text ("{\"log\":{\"entries\":[{\"request\":{\"method\":\"POST\","
                              "\"url\":\"http://127.0.0.1:1/x\",\"postData\":{\"mimeType\":"
                              "\"text/plain\",\"text\":\"a\\n### b\"}}}, {}]}}",
                              tmp, &warnings, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (warnings), ==, 2);
  g_assert_cmpstr (warnings[0], ==, "POST /x: a line of the body starts with “###”, which "
                                    "starts a new request in a .http file");
  g_assert_cmpstr (warnings[1], ==, "entry 2: it has no request with a URL; it was skipped");

  ladle_test_rm_rf (tmp);
}

static const char expected_curl[] =
  "### GET /api/users\n"
  "# @no-redirect\n"
  "GET http://127.0.0.1:8080/api/users?page=2\n"
  "Accept: application/json\n"
  "Accept-Language: en-US,en;q=0.9\n"
  "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
  "Chrome/120.0.0.0 Safari/537.36\n"
  "\n"
  "### POST /api/users\n"
  "# @no-redirect\n"
  "POST http://127.0.0.1:8080/api/users\n"
  "Cookie: session=abc123\n"
  "Content-Type: application/json\n"
  "\n"
  "{\"name\":\"Grace\",\n"
  "\"note\":\"it's me\"}\n"
  "\n"
  "### POST /login\n"
  "# @no-redirect\n"
  "POST http://127.0.0.1:8080/login\n"
  "Content-Type: application/x-www-form-urlencoded\n"
  "\n"
  "user=ada&pass=x%26y\n"
  "\n";

static void
test_curl (void)
{
  g_autofree char *tmp = ladle_test_make_tmpdir ("ladle-import-XXXXXX");
  g_autofree char *source = data_path ("requests.curl.txt");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) written = NULL;
  g_auto(GStrv) warnings = NULL;
  g_autofree char *text = NULL;

  g_assert_true (import_path (source, tmp, &written, &warnings, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (written), ==, 1);
  g_assert_cmpuint (g_strv_length (warnings), ==, 0);
  text = read_in (tmp, "requests.curl.http");
  g_assert_cmpstr (text, ==, expected_curl);

  /* Windows' "Copy as cURL (cmd)", a file body relative to the curl file, a curl warning */
  {
    g_autofree char *src = g_build_filename (tmp, "src", NULL);
    g_autofree char *path = g_build_filename (src, "cmd.txt", NULL);
    g_autofree char *out = g_build_filename (tmp, "out", NULL);
    g_autofree char *http = NULL;

    g_assert_cmpint (g_mkdir (src, 0700), ==, 0);
    g_file_set_contents (path,
                         "curl ^\"http://127.0.0.1:8080/a^\" ^\r\n"
                         "  -H ^\"X-A: 1^\"\r\n"
                         "\r\n"
                         "curl http://127.0.0.1:8080/b -T body.bin | jq .\n",
                         -1, &error);
    g_assert_no_error (error);
    g_clear_pointer (&warnings, g_strfreev);
    g_assert_true (import_path (path, out, NULL, &warnings, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (g_strv_length (warnings), ==, 1);
    g_assert_cmpstr (warnings[0], ==, "PUT /b: The rest of the command after “|” was ignored");
    http = read_in (out, "cmd.http");
    g_assert_cmpstr (http, ==,
                     "### GET /a\n"
                     "# @no-redirect\n"
                     "GET http://127.0.0.1:8080/a\n"
                     "X-A: 1\n"
                     "\n"
                     "### PUT /b\n"
                     "# @no-redirect\n"
                     "PUT http://127.0.0.1:8080/b\n"
                     "Content-Type: application/octet-stream\n"
                     "\n"
                     "< ../src/body.bin\n"
                     "\n");
  }

  ladle_test_rm_rf (tmp);
}

/* --- HAR export -------------------------------------------------------------------------------- */

typedef struct
{
  LadleResponse *response;
  GError        *error;
  gboolean       done;
} Sent;

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Sent *sent = user_data;

  sent->response = ladle_http_client_send_finish (LADLE_HTTP_CLIENT (source), result,
                                                  &sent->error);
  sent->done = TRUE;
}

static void
send_and_add (LadleHttpClient *client,
              LadleHar        *har,
              LadleRequest    *request)
{
  Sent sent = { 0 };
  gint64 started = g_get_real_time ();
  gint64 start = g_get_monotonic_time ();
  g_autoptr(LadleExchange) exchange = NULL;

  exchange = g_object_ref (ladle_http_client_send_async (client, request, NULL, NULL, sent_cb,
                                                         &sent));
  LADLE_TEST_WAIT_UNTIL (sent.done, 30000);
  ladle_har_add (har, request, sent.response, sent.error != NULL ? sent.error->message : NULL,
                 started, g_get_monotonic_time () - start);
  g_clear_object (&sent.response);
  g_clear_error (&sent.error);
}

static LadleRequest *
request_new (const char *method,
             const char *url)
{
  LadleRequest *request = ladle_request_new ();

  ladle_request_set_method (request, method);
  ladle_request_set_url (request, url);
  return request;
}

/* Runs the npm har-validator on @path; its errors in @out_errors. */
static gboolean
har_validates (const char  *path,
               char       **out_errors)
{
  const char *peers = g_getenv ("LADLE_NPM_PEERS");
  g_autofree char *node = g_find_program_in_path ("node");
  g_autofree char *validator = peers != NULL ? g_build_filename (peers, "har-validator", NULL)
                                             : NULL;
  g_autofree char *script = NULL;
  g_autofree char *out = NULL;
  const char *env[] = { "HAR_FILE", path, NULL };
  int status;

  if (node == NULL || validator == NULL || !g_file_test (validator, G_FILE_TEST_IS_DIR))
    {
      g_test_fail_printf ("node or the npm package har-validator is missing (LADLE_NPM_PEERS=%s):"
                          " run tools/deps.sh test", peers != NULL ? peers : "(unset)");
      return FALSE;
    }

  script = g_strdup ("require(process.env.LADLE_NPM_PEERS + '/har-validator')"
                     ".har(JSON.parse(require('fs').readFileSync(process.env.HAR_FILE)))"
                     ".then(()=>process.exit(0),e=>{console.error(JSON.stringify(e.errors));"
                     "process.exit(1)})");
  {
    const char * const argv[] = { node, "-e", script, NULL };

    status = ladle_test_run_command (argv, env, &out, out_errors);
  }
  return status == 0;
}

static JsonObject *
har_entry (JsonNode *root,
           guint     index)
{
  JsonObject *log = json_object_get_object_member (json_node_get_object (root), "log");
  JsonArray *entries = json_object_get_array_member (log, "entries");

  return json_array_get_object_element (entries, index);
}

static void
test_har_export (void)
{
  g_autofree char *tmp = ladle_test_make_tmpdir ("ladle-har-XXXXXX");
  g_autofree char *uploads = g_build_filename (tmp, "uploads", NULL);
  g_autofree char *har_path = g_build_filename (tmp, "out.har", NULL);
  g_autofree char *history_dir = g_build_filename (tmp, "history", NULL);
  g_autoptr(LadleServer) server = ladle_server_new ();
  g_autoptr(LadleHttpClient) client = ladle_http_client_new ();
  g_autoptr(LadleHar) har = ladle_har_new ();
  g_autoptr(LadleHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *base = NULL;
  g_autofree char *data = NULL;
  g_autofree char *errors = NULL;
  gsize length = 0;

  g_assert_cmpint (g_mkdir (uploads, 0700), ==, 0);
  ladle_server_set_port (server, 0);
  ladle_server_set_uploads_dir (server, uploads);
  g_assert_true (ladle_server_start (server, &error));
  g_assert_no_error (error);
  base = g_strdup_printf ("http://127.0.0.1:%u", ladle_server_get_bound_port (server));

  {
    g_autofree char *url = g_strconcat (base, "/get?a=1&b=%C3%A4", NULL);
    g_autoptr(LadleRequest) request = request_new ("GET", url);
    g_autoptr(LadleKeyValue) header = ladle_key_value_new ("X-Test", "yes");

    g_list_store_append (ladle_request_get_headers (request), header);
    ladle_request_set_auth_kind (request, LADLE_AUTH_BASIC);
    ladle_request_set_auth_username (request, "u");
    ladle_request_set_auth_password (request, "p");
    send_and_add (client, har, request);
  }
  {
    g_autofree char *url = g_strconcat (base, "/post", NULL);
    g_autoptr(LadleRequest) request = request_new ("POST", url);

    ladle_request_set_body_kind (request, LADLE_BODY_JSON);
    ladle_request_set_body_text (request, "{\"name\": \"Ada\"}");
    send_and_add (client, har, request);
  }
  {
    g_autofree char *url = g_strconcat (base, "/post", NULL);
    g_autofree char *file = g_build_filename (tmp, "part.txt", NULL);
    g_autoptr(LadleRequest) request = request_new ("POST", url);
    g_autoptr(LadleKeyValue) field = ladle_key_value_new ("title", "Me");
    g_autoptr(LadleKeyValue) part = ladle_key_value_new_file ("doc", file);

    g_file_set_contents (file, "part", -1, &error);
    g_assert_no_error (error);
    ladle_request_set_body_kind (request, LADLE_BODY_MULTIPART);
    g_list_store_append (ladle_request_get_form (request), field);
    g_list_store_append (ladle_request_get_form (request), part);
    send_and_add (client, har, request);
  }
  {
    g_autofree char *url = g_strconcat (base, "/bytes/64", NULL);
    g_autoptr(LadleRequest) request = request_new ("GET", url);

    send_and_add (client, har, request);
  }
  {
    g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/closed",
                                            ladle_test_unused_port ());
    g_autoptr(LadleRequest) request = request_new ("GET", url);

    send_and_add (client, har, request);
  }

  history = ladle_history_new (history_dir);
  {
    g_autofree char *url = g_strconcat (base, "/status/404", NULL);
    g_autoptr(LadleRequest) request = request_new ("DELETE", url);
    g_autoptr(LadleHistoryEntry) entry = ladle_history_entry_new (request, 404, NULL,
                                                                  g_get_real_time (), 1500);

    ladle_history_add (history, entry);
  }
  ladle_har_add_history (har, history);

  data = ladle_har_to_data (har, &length);
  g_assert_cmpuint (length, ==, strlen (data));
  g_file_set_contents (har_path, data, length, &error);
  g_assert_no_error (error);

  root = json_from_string (data, &error);
  g_assert_no_error (error);
  {
    JsonObject *log = json_object_get_object_member (json_node_get_object (root), "log");
    JsonObject *creator = json_object_get_object_member (log, "creator");
    JsonObject *first = har_entry (root, 0);
    JsonObject *request = json_object_get_object_member (first, "request");
    JsonObject *response = json_object_get_object_member (first, "response");
    JsonObject *content = json_object_get_object_member (response, "content");
    JsonArray *query = json_object_get_array_member (request, "queryString");
    JsonObject *timings = json_object_get_object_member (first, "timings");
    g_autoptr(GRegex) iso = g_regex_new ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$",
                                         0, 0, NULL);

    g_assert_cmpstr (json_object_get_string_member (log, "version"), ==, "1.2");
    g_assert_cmpstr (json_object_get_string_member (creator, "name"), ==, "Ladle");
    g_assert_cmpstr (json_object_get_string_member (creator, "version"), ==, PACKAGE_VERSION);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (log, "entries")), ==, 6);
    g_assert_true (g_regex_match (iso, json_object_get_string_member (first, "startedDateTime"),
                                  0, NULL));
    g_assert_cmpstr (json_object_get_string_member (request, "method"), ==, "GET");
    g_assert_cmpuint (json_array_get_length (query), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (query, 1),
                                                    "value"), ==, "ä");
    g_assert_cmpint (json_object_get_int_member (response, "status"), ==, 200);
    g_assert_nonnull (strstr (json_object_get_string_member (content, "text"), "\"X-Test\""));
    g_assert_cmpfloat (json_object_get_double_member (timings, "wait"), >, 0);
    g_assert_cmpfloat (json_object_get_double_member (timings, "ssl"), ==, -1);

    /* The multipart body: its file as a param with a name */
    {
      JsonObject *post = json_object_get_object_member (
        json_object_get_object_member (har_entry (root, 2), "request"), "postData");
      JsonArray *params = json_object_get_array_member (post, "params");

      g_assert_cmpstr (json_object_get_string_member (post, "mimeType"), ==, "multipart/form-data");
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (params, 1),
                                                      "fileName"), ==, "part.txt");
    }
    /* Binary bytes: base64 */
    {
      JsonObject *bytes_content = json_object_get_object_member (
        json_object_get_object_member (har_entry (root, 3), "response"), "content");

      g_assert_cmpstr (json_object_get_string_member (bytes_content, "encoding"), ==, "base64");
      g_assert_cmpint (json_object_get_int_member (bytes_content, "size"), ==, 64);
    }
    /* The failed send: status 0, the error said */
    {
      JsonObject *failed = har_entry (root, 4);

      g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (failed, "response"),
                                                   "status"), ==, 0);
      g_assert_true (json_object_has_member (failed, "_error"));
      g_assert_cmpstr (json_object_get_string_member (failed, "_error"), !=, "");
    }
    /* The history entry */
    {
      JsonObject *old = har_entry (root, 5);
      JsonObject *old_response = json_object_get_object_member (old, "response");

      g_assert_cmpint (json_object_get_int_member (old_response, "status"), ==, 404);
      g_assert_cmpstr (json_object_get_string_member (old_response, "statusText"), ==, "Not Found");
      g_assert_cmpfloat (json_object_get_double_member (old, "time"), ==, 1.5);
    }
  }

  if (!har_validates (har_path, &errors) && errors != NULL)
    g_test_fail_printf ("har-validator refused the HAR: %s", errors);

  /* And the validator can fail: a HAR without its creator */
  {
    g_autofree char *bad_path = g_build_filename (tmp, "bad.har", NULL);
    g_autofree char *bad_errors = NULL;

    g_file_set_contents (bad_path, "{\"log\":{\"version\":\"1.2\",\"entries\":[]}}", -1, &error);
    g_assert_no_error (error);
    g_assert_false (har_validates (bad_path, &bad_errors));
  }

  ladle_server_stop (server);
  g_clear_object (&client);
  ladle_test_rm_rf (tmp);
}

/* The Auth tab in HAR: an API key as the header or in the URL; Digest sends no Authorization
 * before the server's challenge, so none is written; Basic's is. */
static void
test_har_auth (void)
{
  g_autoptr(LadleHar) har = ladle_har_new ();
  g_autoptr(LadleRequest) digest = ladle_request_new ();
  g_autoptr(LadleRequest) header = ladle_request_new ();
  g_autoptr(LadleRequest) query = ladle_request_new ();
  g_autofree char *data = NULL;
  g_autofree char *digest_part = NULL;

  ladle_request_set_url (header, "http://127.0.0.1/h");
  ladle_request_set_auth_kind (header, LADLE_AUTH_API_KEY);
  ladle_request_set_auth_key_name (header, "X-Api-Key");
  ladle_request_set_auth_key_value (header, "k1");
  ladle_request_set_url (query, "http://127.0.0.1/q");
  ladle_request_set_auth_kind (query, LADLE_AUTH_API_KEY);
  ladle_request_set_auth_key_in (query, LADLE_API_KEY_IN_QUERY);
  ladle_request_set_auth_key_name (query, "key");
  ladle_request_set_auth_key_value (query, "k 2");
  ladle_request_set_url (digest, "http://127.0.0.1/d");
  ladle_request_set_auth_kind (digest, LADLE_AUTH_DIGEST);
  ladle_request_set_auth_username (digest, "u");
  ladle_request_set_auth_password (digest, "secret-password");
  ladle_har_add (har, header, NULL, "not sent", 0, 0);
  ladle_har_add (har, query, NULL, "not sent", 0, 0);
  ladle_har_add (har, digest, NULL, "not sent", 0, 0);
  data = ladle_har_to_data (har, NULL);
  g_assert_nonnull (strstr (data, "\"X-Api-Key\""));
  g_assert_nonnull (strstr (data, "\"k1\""));
  g_assert_nonnull (strstr (data, "http://127.0.0.1/q?key=k%202"));
  g_assert_null (strstr (data, "Authorization"));
  g_assert_null (strstr (data, "secret-password"));
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  g_test_add_func ("/ladle/http-import/detect", test_detect);
  g_test_add_func ("/ladle/http-import/postman", test_postman);
  g_test_add_func ("/ladle/http-import/postman-env-merge", test_postman_env_merge);
  g_test_add_func ("/ladle/http-import/postman-shapes", test_postman_shapes);
  g_test_add_func ("/ladle/http-import/postman-deep", test_postman_deep);
  g_test_add_func ("/ladle/http-import/bad-input", test_bad_input);
  g_test_add_func ("/ladle/http-import/har", test_har);
  g_test_add_func ("/ladle/http-import/curl", test_curl);
  g_test_add_func ("/ladle/http-import/har-export", test_har_export);
  g_test_add_func ("/ladle/http-import/har-auth", test_har_auth);

  return ladle_test_run ();
}
