/* test-http-assert.c
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

#include "ladle-error.h"
#include "ladle-http-assert.h"
#include "ladle-http-client.h"
#include "ladle-server.h"
#include "ladle-test-utils.h"

/* One server, one client and three responses for the whole run, on 127.0.0.1:
 * - json: POST /anything with {"ключ": "значение", "n": 7, "ok": true, "none": null,
 *   "list": [1, "two"], "obj": {"a": 1}} (httpbin echoes it under "json", the headers under
 *   "headers");
 * - missing: GET /status/404;
 * - text: GET /response-headers?X-Id=7&Content-Type=text/plain. */
static LadleServer *server;
static LadleHttpClient *client;
static LadleResponse *json_response;
static LadleResponse *missing_response;
static LadleResponse *headers_response;
static LadleHttpScope *scope;
static LadleHttpFile *file;
static LadleHttpEntry *entry;

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
send (const char *base,
      const char *method,
      const char *path,
      const char *json)
{
  g_autoptr(LadleRequest) request = ladle_request_new ();
  g_autofree char *url = g_strconcat (base, path, NULL);
  g_autoptr(LadleExchange) exchange = NULL;
  Sent sent = { 0 };

  ladle_request_set_method (request, method);
  ladle_request_set_url (request, url);
  if (json != NULL)
    {
      ladle_request_set_body_kind (request, LADLE_BODY_JSON);
      ladle_request_set_body_text (request, json);
    }
  exchange = g_object_ref (ladle_http_client_send_async (client, request, NULL, NULL, send_cb,
                                                         &sent));
  LADLE_TEST_WAIT_UNTIL (sent.done, 30000);
  g_assert_no_error (sent.error);
  return sent.response;
}

/* Checks `?? @text` against @response (taking 120 ms) and returns the result */
static LadleHttpAssertResult *
check (LadleResponse *response,
       const char    *text)
{
  LadleHttpAssertLine line = { (char *) text, 9, 4 };

  return ladle_http_assert_check (scope, file, entry, &line, response, 120.0);
}

static void
assert_verdict (LadleResponse    *response,
                const char       *text,
                LadleHttpVerdict  verdict,
                const char       *message)
{
  g_autoptr(LadleHttpAssertResult) result = check (response, text);

  if (result->verdict != verdict)
    g_error ("?? %s: verdict %d, expected %d (%s)", text, result->verdict, verdict,
             result->message != NULL ? result->message : "no message");
  g_assert_cmpstr (result->text, ==, text);
  g_assert_cmpuint (result->line, ==, 9);
  if (verdict == LADLE_HTTP_VERDICT_PASSED)
    g_assert_null (result->message);
  else if (message != NULL && g_strcmp0 (result->message, message) != 0)
    g_error ("?? %s: “%s”, expected “%s”", text, result->message, message);
  else
    g_assert_nonnull (result->message);
}

#define PASS(response, text) assert_verdict (response, text, LADLE_HTTP_VERDICT_PASSED, NULL)
#define FAIL(response, text, message) \
  assert_verdict (response, text, LADLE_HTTP_VERDICT_FAILED, message)
#define ERROR(response, text, message) \
  assert_verdict (response, text, LADLE_HTTP_VERDICT_ERROR, message)

static void
test_status_header_duration (void)
{
  PASS (json_response, "status == 200");
  PASS (json_response, "status ==200");
  PASS (json_response, "status === 200");
  PASS (json_response, "status equals 200");
  FAIL (missing_response, "status == 200", "status is 404, expected == 200");
  PASS (missing_response, "status != 200");
  FAIL (json_response, "status != 200", "status is 200, expected != 200");
  PASS (missing_response, "status >= 400");
  PASS (missing_response, "status > 399");
  PASS (missing_response, "status < 500");
  PASS (missing_response, "status <= 404");
  FAIL (missing_response, "status < 404", "status is 404, expected < 404");
  FAIL (missing_response, "status > 404", "status is 404, expected > 404");
  FAIL (missing_response, "status >= 405", "status is 404, expected >= 405");
  FAIL (missing_response, "status <= 403", "status is 404, expected <= 403");
  PASS (json_response, "status isNumber");
  FAIL (json_response, "status isString", "status is 200, expected isString");
  PASS (json_response, "status startsWith 2");
  PASS (json_response, "status == {{ok_status}}");

  PASS (json_response, "header content-type includes json");
  PASS (json_response, "header Content-Type contains application/");
  PASS (json_response, "header content-type == application/json");
  PASS (headers_response, "header x-id == 7");
  PASS (headers_response, "header X-Id exists");
  PASS (headers_response, "header x-id isString");
  FAIL (headers_response, "header x-id == 8", "header x-id is “7”, expected == 8");
  FAIL (json_response, "header x-nope exists", "header x-nope is missing, expected exists");
  FAIL (json_response, "header x-nope == 1", "header x-nope is missing, expected == 1");
  PASS (json_response, "header x-nope isFalse");
  PASS (headers_response, "header content-type startsWith text/");
  PASS (headers_response, "header content-type endsWith plain");
  FAIL (headers_response, "header content-type endsWith json",
        "header content-type is “text/plain”, expected endsWith json");
  PASS (headers_response, "header content-type matches ^text/(plain|html)$");
  FAIL (headers_response, "header content-type matches ^json",
        "header content-type is “text/plain”, expected matches ^json");

  PASS (json_response, "duration < 500");
  PASS (json_response, "duration > 100");
  FAIL (json_response, "duration < 100", "duration is 120, expected < 100");
  PASS (json_response, "duration total <= 120");
  PASS (json_response, "duration firstByte >= 0");
  ERROR (json_response, "duration forever < 1", NULL);
}

static void
test_body (void)
{
  /* Property paths into the parsed body. */
  PASS (json_response, "body json.ключ == значение");
  FAIL (json_response, "body json.ключ == другое", "body json.ключ is “значение”, expected == другое");
  PASS (json_response, "body json.n == 7");
  PASS (json_response, "body json.n == 7.0");
  PASS (json_response, "body json.n > 6.5");
  PASS (json_response, "body json.n isNumber");
  FAIL (json_response, "body json.n isString", "body json.n is 7, expected isString");
  PASS (json_response, "body json.ok == true");
  PASS (json_response, "body json.ok isTrue");
  PASS (json_response, "body json.ok isBoolean");
  FAIL (json_response, "body json.ok isFalse", "body json.ok is true, expected isFalse");
  FAIL (json_response, "body json.ok == false", "body json.ok is true, expected == false");
  PASS (json_response, "body json.none == null");
  PASS (json_response, "body json.none isFalse");
  FAIL (json_response, "body json.none exists", "body json.none is null, expected exists");
  PASS (json_response, "body json.list isArray");
  FAIL (json_response, "body json.obj isArray", "body json.obj is {\"a\":1}, expected isArray");
  PASS (json_response, "body json.list == [1, \"two\"]");
  PASS (json_response, "body json.list includes two");
  PASS (json_response, "body json.list.length == 2");
  PASS (json_response, "body json.list[1] == two");
  PASS (json_response, "body json[\"list\"][0] == 1");
  PASS (json_response, "body json.obj == {\"a\": 1}");
  FAIL (json_response, "body json.obj == {\"a\": 2}", "body json.obj is {\"a\":1}, expected == {\"a\": 2}");
  PASS (json_response, "body json.obj exists");
  PASS (json_response, "body headers[\"Content-Type\"] == application/json");
  PASS (json_response, "body json.ключ isString");
  PASS (json_response, "body json.ключ startsWith знач");
  PASS (json_response, "body json.ключ endsWith ние");
  PASS (json_response, "body json.ключ matches ^з.*е$");
  FAIL (json_response, "body json.nothing exists", "body json.nothing is missing, expected exists");
  FAIL (json_response, "body json.nothing == 1", "body json.nothing is missing, expected == 1");
  PASS (json_response, "body json.nothing == undefined");
  /* Quotes are part of the expected text, as in httpyac. */
  FAIL (json_response, "body json.ключ == \"значение\"",
        "body json.ключ is “значение”, expected == \"значение\"");
  /* Expected values are expanded. */
  PASS (json_response, "body json.ключ == {{word}}");
  PASS (json_response, "body json.n == {{seven}}");

  /* The whole body. */
  PASS (headers_response, "body contains X-Id");
  PASS (headers_response, "body isString");
  PASS (json_response, "body startsWith {");
  FAIL (headers_response, "body includes nowhere", NULL);
  {
    GBytes *bytes = ladle_response_get_body_bytes (headers_response);
    g_autofree char *line = NULL;
    g_autofree char *md5 = NULL;
    g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
    guint8 digest[32];
    gsize size = sizeof digest;
    g_autofree char *sha = NULL;

    g_checksum_update (sum, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    g_checksum_get_digest (sum, digest, &size);
    sha = g_base64_encode (digest, size);
    line = g_strdup_printf ("body sha256 %s", sha);
    PASS (headers_response, line);
    g_clear_pointer (&line, g_free);
    line = g_strdup_printf ("body sha512 %s", sha);
    FAIL (headers_response, line, NULL);
    md5 = g_strdup_printf ("body md5 %s", "1B2M2Y8AsgTpgAmY7PhCfg==");
    FAIL (headers_response, md5, NULL);
  }

  /* A body that is not JSON, a path Ladle cannot read. */
  ERROR (missing_response, "body json.x == 1", "body json.x: the body is not JSON");
  ERROR (json_response, "body json.list.filter(x => x) isArray", NULL);
}

static void
test_not_run_and_errors (void)
{
  g_autoptr(GError) error = NULL;

  assert_verdict (json_response, "js response.parsedBody.json.n == 7", LADLE_HTTP_VERDICT_NOT_RUN,
                  "JavaScript is not run");
  assert_verdict (NULL, "status == 200", LADLE_HTTP_VERDICT_NOT_RUN,
                  "not checked: the request got no response");

  ERROR (json_response, "status", NULL);
  ERROR (json_response, "", NULL);
  ERROR (json_response, "colour == red",
         "“colour” is not something to check: expected status, header, body, duration or js");
  ERROR (json_response, "header == 1", "which header? Expected “?? header NAME CONDITION VALUE”");
  ERROR (json_response, "status EQUALS 200",
         "“EQUALS” is not a condition; conditions are written in this case: equals");
  ERROR (json_response, "body matches (unclosed", NULL);
  /* The expected value's undefined variable, at its place on the line (column 4 + 10). */
  ERROR (json_response, "status == {{nope}}", "/x/a.http:9:14: {{nope}} is not defined");

  g_assert_true (ladle_http_assert_validate ("status == 200", &error));
  g_assert_no_error (error);
  g_assert_false (ladle_http_assert_validate ("js 1 == 1", &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (ladle_http_assert_validate ("status is fine", &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  g_clear_error (&error);
}

/* httpyac takes the last condition after a blank: in `?? body json.ключ == a == b` the value is
 * "json.ключ == a", which is JavaScript to httpyac and no property path to Ladle. */
static void
test_grammar (void)
{
  ERROR (json_response, "body json.ключ == значение == значение", NULL);
  PASS (json_response, "status  ==  200");
  PASS (json_response, "header   content-type   includes   json");
  PASS (json_response, "status !== 404");
}

static void
test_hostile (void)
{
  GString *long_line = g_string_new ("body ");
  g_autoptr(LadleHttpAssertResult) result = NULL;
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < 200000; i++)
    g_string_append (long_line, "a ");
  g_string_append (long_line, "== 1");
  result = check (json_response, long_line->str);
  g_assert_cmpint (result->verdict, !=, LADLE_HTTP_VERDICT_PASSED);
  g_clear_pointer (&result, ladle_http_assert_result_free);

  /* A pathological pattern ends (PCRE2's match limit), as a failure or an error. */
  result = check (json_response, "body matches ^(\\w+\\s?)*$");
  g_assert_cmpint (result->verdict, !=, LADLE_HTTP_VERDICT_PASSED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_USEC_PER_SEC);
  g_string_free (long_line, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uploads = NULL;
  g_autofree char *base = NULL;
  int status;

  ladle_test_init (&argc, &argv);

  uploads = ladle_test_make_tmpdir ("ladle-assert-uploads-XXXXXX");
  server = ladle_server_new ();
  ladle_server_set_port (server, 0);
  ladle_server_set_uploads_dir (server, uploads);
  g_assert_true (ladle_server_start (server, &error));
  base = g_strdup_printf ("http://127.0.0.1:%u", ladle_server_get_bound_port (server));
  client = ladle_http_client_new ();

  json_response = send (base, "POST", "/anything",
                        "{\"ключ\": \"значение\", \"n\": 7, \"ok\": true, \"none\": null, "
                        "\"list\": [1, \"two\"], \"obj\": {\"a\": 1}}");
  missing_response = send (base, "GET", "/status/404", NULL);
  headers_response = send (base, "GET", "/response-headers?X-Id=7&Content-Type=text/plain", NULL);

  scope = ladle_http_scope_new (NULL, NULL);
  ladle_http_scope_set_override (scope, "ok_status", "200");
  ladle_http_scope_set_override (scope, "word", "значение");
  ladle_http_scope_set_override (scope, "seven", " 7 ");
  entry = ladle_http_entry_new ();
  {
    g_autoptr(GPtrArray) entries = g_ptr_array_new ();

    g_ptr_array_add (entries, entry);
    file = ladle_http_file_new_from_entries ("/x/a.http", NULL, entries, NULL);
  }

  g_test_add_func ("/ladle/http-assert/status-header-duration", test_status_header_duration);
  g_test_add_func ("/ladle/http-assert/body", test_body);
  g_test_add_func ("/ladle/http-assert/not-run-and-errors", test_not_run_and_errors);
  g_test_add_func ("/ladle/http-assert/grammar", test_grammar);
  g_test_add_func ("/ladle/http-assert/hostile", test_hostile);

  status = ladle_test_run ();

  ladle_http_file_unref (file);
  ladle_http_entry_unref (entry);
  ladle_http_scope_unref (scope);
  g_clear_object (&json_response);
  g_clear_object (&missing_response);
  g_clear_object (&headers_response);
  g_assert_finalize_object (client);
  ladle_server_stop (server);
  g_clear_object (&server);
  ladle_test_rm_rf (uploads);
  return status;
}
