/* test-httpbin.c
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

#include <json-glib/json-glib.h>
#include <string.h>

#include "ladle-httpbin.h"
#include "ladle-oauth-provider.h"
#include "ladle-test-utils.h"

#define MAX_BODY_SIZE (64 * 1024)

/* Shared between the server thread (writers) and the test thread (readers). */
typedef struct
{
  gint handled;     /* requests seen by the handler */
  gint finished;    /* SoupServerMessage::finished emissions */
} ServerStats;

typedef struct
{
  ServerStats      stats;
  LadleTestServer *server;
  SoupSession     *session;
} Fixture;

typedef struct
{
  guint               status;
  GBytes             *body;
  SoupMessageHeaders *headers;
  char               *final_path;
  guint               restarts;
} Response;

static void
response_clear (Response *response)
{
  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_pointer (&response->final_path, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Response, response_clear)

static void
message_finished_cb (SoupServerMessage *msg,
                     ServerStats       *stats)
{
  g_atomic_int_inc (&stats->finished);
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  static const LadleHttpbinOptions options = { .max_body_size = MAX_BODY_SIZE };
  ServerStats *stats = user_data;

  g_atomic_int_inc (&stats->handled);
  g_signal_connect (msg, "finished", G_CALLBACK (message_finished_cb), stats);

  /* As LadleServer does for every answer */
  ladle_httpbin_add_cors_headers (msg);
  if (!ladle_httpbin_handle (msg, path, query, &options))
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static void
setup_server (SoupServer *server,
              gpointer    user_data)
{
  soup_server_add_handler (server, NULL, server_callback, user_data, NULL);
  /* The OAuth 2.0 provider, as LadleServer attaches it: its endpoints are in the list too */
  ladle_oauth_provider_attach (server);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->server = ladle_test_server_new (setup_server, &fixture->stats);
  /* Room for several paused responses at once (the default is 2 per host). */
  fixture->session = soup_session_new_with_options ("max-conns-per-host", 8, NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  soup_session_abort (fixture->session);
  g_assert_finalize_object (fixture->session);
  ladle_test_server_free (fixture->server);
}

static char *
make_url (Fixture    *fixture,
          const char *path)
{
  return g_strconcat (ladle_test_server_get_url (fixture->server), path, NULL);
}

static void
restarted_cb (SoupMessage *msg,
              Response    *response)
{
  response->restarts++;
}

/* Sends @msg and fills @response; asserts that the transfer itself succeeded. */
static void
send_message (Fixture     *fixture,
              SoupMessage *msg,
              Response    *response)
{
  g_autoptr(GError) error = NULL;

  g_signal_connect (msg, "restarted", G_CALLBACK (restarted_cb), response);
  response->body = soup_session_send_and_read (fixture->session, msg, NULL, &error);
  g_assert_no_error (error);
  response->status = soup_message_get_status (msg);
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  response->final_path = g_strdup (g_uri_get_path (soup_message_get_uri (msg)));
}

static void
request_full (Fixture          *fixture,
              const char       *method,
              const char       *path,
              const char       *content_type,
              const char       *body,
              SoupMessageFlags  flags,
              Response         *response)
{
  g_autofree char *url = make_url (fixture, path);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);

  g_assert_nonnull (msg);
  soup_message_set_flags (msg, flags);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }
  send_message (fixture, msg, response);
}

static void
request (Fixture    *fixture,
         const char *method,
         const char *path,
         const char *content_type,
         const char *body,
         Response   *response)
{
  request_full (fixture, method, path, content_type, body, 0, response);
}

static JsonObject *
parse_object (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  JsonNode *root;

  json_parser_load_from_data (parser, data, len, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

static char *
body_text (GBytes *body)
{
  gsize len;
  const char *data = g_bytes_get_data (body, &len);

  return g_strndup (data, len);
}

static void
test_get (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *url = make_url (fixture, "/get?a=1&a=2&b=x%20y+z&empty");
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_auto(Response) response = { 0 };
  g_autoptr(JsonObject) object = NULL;
  JsonObject *args;
  JsonObject *headers;
  JsonArray *a;

  soup_message_headers_append (soup_message_get_request_headers (msg), "x-custom-HEADER", "v");
  soup_message_headers_append (soup_message_get_request_headers (msg), "X-Twice", "1");
  soup_message_headers_append (soup_message_get_request_headers (msg), "X-Twice", "2");
  send_message (fixture, msg, &response);

  g_assert_cmpuint (response.status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (soup_message_headers_get_content_type (response.headers, NULL), ==,
                   "application/json");
  object = parse_object (response.body);

  g_assert_cmpuint (json_object_get_size (object), ==, 4);
  args = json_object_get_object_member (object, "args");
  a = json_object_get_array_member (args, "a");
  g_assert_nonnull (a);
  g_assert_cmpuint (json_array_get_length (a), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (a, 0), ==, "1");
  g_assert_cmpstr (json_array_get_string_element (a, 1), ==, "2");
  g_assert_cmpstr (json_object_get_string_member (args, "b"), ==, "x y z");
  g_assert_cmpstr (json_object_get_string_member (args, "empty"), ==, "");

  headers = json_object_get_object_member (object, "headers");
  g_assert_cmpstr (json_object_get_string_member (headers, "X-Custom-Header"), ==, "v");
  g_assert_cmpstr (json_object_get_string_member (headers, "X-Twice"), ==, "1,2");
  g_assert_true (json_object_has_member (headers, "Host"));
  g_assert_true (json_object_has_member (headers, "User-Agent") ||
                 json_object_has_member (headers, "Accept-Encoding"));

  g_assert_cmpstr (json_object_get_string_member (object, "origin"), ==, "127.0.0.1");
  g_assert_cmpstr (json_object_get_string_member (object, "url"), ==, url);
}

static void
assert_body_echo (JsonObject *object,
                  const char *method)
{
  g_assert_true (json_object_has_member (object, "args"));
  g_assert_true (json_object_has_member (object, "data"));
  g_assert_true (json_object_has_member (object, "files"));
  g_assert_true (json_object_has_member (object, "form"));
  g_assert_true (json_object_has_member (object, "headers"));
  g_assert_true (json_object_has_member (object, "json"));
  g_assert_true (json_object_has_member (object, "origin"));
  g_assert_true (json_object_has_member (object, "url"));
  if (method != NULL)
    g_assert_cmpstr (json_object_get_string_member (object, "method"), ==, method);
  else
    g_assert_false (json_object_has_member (object, "method"));
}

static void
test_post_json (Fixture       *fixture,
                gconstpointer  data)
{
  const char *body = "{\"name\": \"ladle\", \"list\": [1, 2, 3]}";
  g_auto(Response) response = { 0 };
  g_autoptr(JsonObject) object = NULL;
  JsonObject *json;

  request (fixture, "POST", "/post?q=1", "application/json", body, &response);
  g_assert_cmpuint (response.status, ==, SOUP_STATUS_OK);
  object = parse_object (response.body);
  assert_body_echo (object, NULL);

  g_assert_cmpstr (json_object_get_string_member (object, "data"), ==, body);
  json = json_object_get_object_member (object, "json");
  g_assert_nonnull (json);
  g_assert_cmpstr (json_object_get_string_member (json, "name"), ==, "ladle");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json, "list")), ==, 3);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (object, "form")), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "args"),
                                                  "q"), ==, "1");
}

static void
test_post_text_and_binary (Fixture       *fixture,
                           gconstpointer  data)
{
  static const guint8 binary[] = { 0xff, 0x00, 0xfe, 'a' };
  g_autofree char *url = make_url (fixture, "/post");
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) bytes = g_bytes_new_static (binary, sizeof binary);
  g_autoptr(JsonObject) object = NULL;
  g_auto(Response) response = { 0 };
  g_auto(Response) text_response = { 0 };
  g_autoptr(JsonObject) text_object = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/octet-stream", bytes);
  send_message (fixture, msg, &response);
  object = parse_object (response.body);
  g_assert_cmpstr (json_object_get_string_member (object, "data"), ==,
                   "data:application/octet-stream;base64,/wD+YQ==");
  g_assert_true (json_object_get_null_member (object, "json"));

  request (fixture, "POST", "/post", "text/plain", "not json", &text_response);
  text_object = parse_object (text_response.body);
  g_assert_cmpstr (json_object_get_string_member (text_object, "data"), ==, "not json");
  g_assert_true (json_object_get_null_member (text_object, "json"));
}

static void
test_post_form (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(Response) response = { 0 };
  g_autoptr(JsonObject) object = NULL;
  JsonObject *form;
  JsonArray *a;

  request (fixture, "POST", "/post", "application/x-www-form-urlencoded",
           "a=1&a=2&b=hello+world&c=%C3%A9", &response);
  g_assert_cmpuint (response.status, ==, SOUP_STATUS_OK);
  object = parse_object (response.body);

  form = json_object_get_object_member (object, "form");
  a = json_object_get_array_member (form, "a");
  g_assert_cmpuint (json_array_get_length (a), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (a, 1), ==, "2");
  g_assert_cmpstr (json_object_get_string_member (form, "b"), ==, "hello world");
  g_assert_cmpstr (json_object_get_string_member (form, "c"), ==, "é");
  g_assert_cmpstr (json_object_get_string_member (object, "data"), ==, "");
  g_assert_true (json_object_get_null_member (object, "json"));
}

static void
test_post_multipart (Fixture       *fixture,
                     gconstpointer  data)
{
  static const guint8 binary[] = { 0x89, 'P', 'N', 'G', 0x00, 0xff };
  g_autofree char *url = make_url (fixture, "/post");
  g_autoptr(SoupMultipart) multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  g_autoptr(GBytes) text_file = g_bytes_new_static ("file text\n", strlen ("file text\n"));
  g_autoptr(GBytes) binary_file = g_bytes_new_static (binary, sizeof binary);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_auto(Response) response = { 0 };
  JsonObject *form;
  JsonObject *files;

  soup_multipart_append_form_string (multipart, "field", "value");
  soup_multipart_append_form_string (multipart, "field2", "ünïcode");
  soup_multipart_append_form_file (multipart, "notes", "notes.txt", "text/plain", text_file);
  soup_multipart_append_form_file (multipart, "image", "i.png", "image/png", binary_file);
  msg = soup_message_new_from_multipart (url, multipart);
  send_message (fixture, msg, &response);

  g_assert_cmpuint (response.status, ==, SOUP_STATUS_OK);
  object = parse_object (response.body);
  form = json_object_get_object_member (object, "form");
  files = json_object_get_object_member (object, "files");
  g_assert_cmpuint (json_object_get_size (form), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (form, "field"), ==, "value");
  g_assert_cmpstr (json_object_get_string_member (form, "field2"), ==, "ünïcode");
  g_assert_cmpuint (json_object_get_size (files), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (files, "notes"), ==, "file text\n");
  g_assert_cmpstr (json_object_get_string_member (files, "image"), ==,
                   "data:image/png;base64,iVBORwD/");
  g_assert_cmpstr (json_object_get_string_member (object, "data"), ==, "");
}

/* The body ends at the closing delimiter, without the line break libsoup wants there (httpyac
 * and JetBrains' client send it so; RFC 2046 allows it) */
static void
test_post_multipart_no_final_crlf (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_auto(Response) response = { 0 };
  g_auto(Response) refused = { 0 };
  g_autoptr(JsonObject) object = NULL;
  JsonObject *form;

  request (fixture, "POST", "/post", "multipart/form-data; boundary=B",
           "--B\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nhello\r\n--B--",
           &response);
  g_assert_cmpuint (response.status, ==, SOUP_STATUS_OK);
  object = parse_object (response.body);
  form = json_object_get_object_member (object, "form");
  g_assert_cmpstr (json_object_get_string_member (form, "title"), ==, "hello");

  /* and a body that is not multipart at all is still refused */
  request (fixture, "POST", "/post", "multipart/form-data; boundary=B", "no parts here--",
           &refused);
  g_assert_cmpuint (refused.status, ==, SOUP_STATUS_BAD_REQUEST);
}

static void
test_body_too_large (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *big = g_strnfill (MAX_BODY_SIZE + 1, 'x');
  g_auto(Response) response = { 0 };

  request (fixture, "POST", "/post", "text/plain", big, &response);
  g_assert_cmpuint (response.status, ==, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
}

static void
test_methods (Fixture       *fixture,
              gconstpointer  data)
{
  static const struct
  {
    const char *method;
    const char *path;
    const char *allow;
  } cases[] = {
    { "PUT", "/put", "PUT, OPTIONS" },
    { "PATCH", "/patch", "PATCH, OPTIONS" },
    { "DELETE", "/delete", "DELETE, OPTIONS" },
    { "POST", "/post", "POST, OPTIONS" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Response) response = { 0 };
      g_auto(Response) wrong = { 0 };
      g_autoptr(JsonObject) object = NULL;
      JsonObject *json;

      request (fixture, cases[i].method, cases[i].path, "application/json", "{\"n\": 7}",
               &response);
      g_assert_cmpuint (response.status, ==, SOUP_STATUS_OK);
      object = parse_object (response.body);
      assert_body_echo (object, NULL);
      json = json_object_get_object_member (object, "json");
      g_assert_cmpint (json_object_get_int_member (json, "n"), ==, 7);

      request (fixture, "GET", cases[i].path, NULL, NULL, &wrong);
      g_assert_cmpuint (wrong.status, ==, SOUP_STATUS_METHOD_NOT_ALLOWED);
      g_assert_cmpstr (soup_message_headers_get_one (wrong.headers, "Allow"), ==,
                       cases[i].allow);
    }

  {
    g_auto(Response) response = { 0 };
    g_auto(Response) head = { 0 };
    g_auto(Response) options = { 0 };

    request (fixture, "POST", "/get", "text/plain", "x", &response);
    g_assert_cmpuint (response.status, ==, SOUP_STATUS_METHOD_NOT_ALLOWED);
    g_assert_cmpstr (soup_message_headers_get_one (response.headers, "Allow"), ==,
                     "GET, HEAD, OPTIONS");

    request (fixture, "HEAD", "/get", NULL, NULL, &head);
    g_assert_cmpuint (head.status, ==, SOUP_STATUS_OK);
    g_assert_cmpuint (g_bytes_get_size (head.body), ==, 0);

    request (fixture, "OPTIONS", "/post", NULL, NULL, &options);
    g_assert_cmpuint (options.status, ==, SOUP_STATUS_OK);
    g_assert_cmpstr (soup_message_headers_get_one (options.headers, "Allow"), ==,
                     "POST, OPTIONS");
  }
}

static void
test_anything (Fixture       *fixture,
               gconstpointer  data)
{
  static const char *const methods[] = { "GET", "POST", "DELETE", "TRACE" };

  /* httpbin routes six methods to /anything; others are 405 with Allow */
  {
    g_auto(Response) response = { 0 };

    request (fixture, "PROPFIND", "/anything", NULL, NULL, &response);
    g_assert_cmpuint (response.status, ==, SOUP_STATUS_METHOD_NOT_ALLOWED);
    g_assert_cmpstr (soup_message_headers_get_one (response.headers, "Allow"), ==,
                     "GET, POST, PUT, DELETE, PATCH, TRACE, HEAD, OPTIONS");
  }

  for (gsize i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      g_auto(Response) response = { 0 };
      g_autoptr(JsonObject) object = NULL;
      g_autofree char *url = make_url (fixture, "/anything/deep/path?x=1");

      request (fixture, methods[i], "/anything/deep/path?x=1", "text/plain", "hi", &response);
      g_assert_cmpuint (response.status, ==, SOUP_STATUS_OK);
      object = parse_object (response.body);
      assert_body_echo (object, methods[i]);
      g_assert_cmpstr (json_object_get_string_member (object, "url"), ==, url);
      g_assert_cmpstr (json_object_get_string_member (object, "data"), ==, "hi");
    }

  {
    g_auto(Response) response = { 0 };
    g_autoptr(JsonObject) object = NULL;

    request (fixture, "DELETE", "/anything", NULL, NULL, &response);
    g_assert_cmpuint (response.status, ==, SOUP_STATUS_OK);
    object = parse_object (response.body);
    g_assert_cmpstr (json_object_get_string_member (object, "method"), ==, "DELETE");
  }
}

static void
test_headers_ip_user_agent (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *url = make_url (fixture, "/headers");
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_auto(Response) response = { 0 };
  g_auto(Response) ip = { 0 };
  g_auto(Response) user_agent = { 0 };
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonObject) ip_object = NULL;
  g_autoptr(JsonObject) user_agent_object = NULL;
  JsonObject *headers;

  soup_session_set_user_agent (fixture->session, "ladle-test/1.0");
  soup_message_headers_append (soup_message_get_request_headers (msg), "x-b3-traceid", "abc");
  send_message (fixture, msg, &response);
  object = parse_object (response.body);
  g_assert_cmpuint (json_object_get_size (object), ==, 1);
  headers = json_object_get_object_member (object, "headers");
  g_assert_cmpstr (json_object_get_string_member (headers, "X-B3-Traceid"), ==, "abc");
  g_assert_cmpstr (json_object_get_string_member (headers, "User-Agent"), ==, "ladle-test/1.0");

  request (fixture, "GET", "/ip", NULL, NULL, &ip);
  ip_object = parse_object (ip.body);
  g_assert_cmpstr (json_object_get_string_member (ip_object, "origin"), ==, "127.0.0.1");

  request (fixture, "GET", "/user-agent", NULL, NULL, &user_agent);
  user_agent_object = parse_object (user_agent.body);
  g_assert_cmpstr (json_object_get_string_member (user_agent_object, "user-agent"), ==,
                   "ladle-test/1.0");
}

static void
test_status (Fixture       *fixture,
             gconstpointer  data)
{
  {
    g_auto(Response) response = { 0 };
    g_autofree char *text = NULL;

    request (fixture, "GET", "/status/418", NULL, NULL, &response);
    g_assert_cmpuint (response.status, ==, 418);
    text = body_text (response.body);
    g_assert_nonnull (strstr (text, "teapot"));
    g_assert_nonnull (soup_message_headers_get_one (response.headers, "X-More-Info"));
  }
  {
    g_auto(Response) response = { 0 };

    request (fixture, "POST", "/status/201", "text/plain", "x", &response);
    g_assert_cmpuint (response.status, ==, SOUP_STATUS_CREATED);
  }
  {
    g_auto(Response) response = { 0 };

    request_full (fixture, "GET", "/status/302", NULL, NULL, SOUP_MESSAGE_NO_REDIRECT,
                  &response);
    g_assert_cmpuint (response.status, ==, SOUP_STATUS_FOUND);
    g_assert_cmpstr (soup_message_headers_get_one (response.headers, "Location"), ==,
                     "/redirect/1");
  }
  {
    g_auto(Response) response = { 0 };

    request (fixture, "GET", "/status/307", NULL, NULL, &response);
    g_assert_cmpuint (response.status, ==, SOUP_STATUS_OK);
    g_assert_cmpstr (response.final_path, ==, "/get");
    g_assert_cmpuint (response.restarts, ==, 2);
  }
  {
    g_auto(Response) response = { 0 };

    request (fixture, "GET", "/status/401", NULL, NULL, &response);
    g_assert_cmpuint (response.status, ==, SOUP_STATUS_UNAUTHORIZED);
    g_assert_cmpstr (soup_message_headers_get_one (response.headers, "WWW-Authenticate"), ==,
                     "Basic realm=\"Fake Realm\"");
  }

  /* A list picks among its codes; a zero weight is never picked. */
  {
    gboolean seen_200 = FALSE;
    gboolean seen_201 = FALSE;

    for (guint i = 0; i < 40; i++)
      {
        g_auto(Response) response = { 0 };
        g_auto(Response) weighted = { 0 };

        request (fixture, "GET", "/status/200,201", NULL, NULL, &response);
        g_assert_true (response.status == 200 || response.status == 201);
        seen_200 |= response.status == 200;
        seen_201 |= response.status == 201;

        request (fixture, "GET", "/status/500:0,204:1", NULL, NULL, &weighted);
        g_assert_cmpuint (weighted.status, ==, SOUP_STATUS_NO_CONTENT);
      }
    g_assert_true (seen_200 && seen_201);
  }

  {
    static const char *const invalid[] = { "/status/abc", "/status/100", "/status/600",
                                           "/status/200,x", "/status/200:-1" };

    for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
      {
        g_auto(Response) response = { 0 };

        request (fixture, "GET", invalid[i], NULL, NULL, &response);
        g_assert_cmpuint (response.status, ==, SOUP_STATUS_BAD_REQUEST);
      }
  }
}

static void
test_delay (Fixture       *fixture,
            gconstpointer  data)
{
  g_auto(Response) response = { 0 };
  g_auto(Response) fraction = { 0 };
  g_auto(Response) invalid = { 0 };
  g_autoptr(JsonObject) object = NULL;
  gint64 start;
  gint64 elapsed;

  start = g_get_monotonic_time ();
  request (fixture, "GET", "/delay/1?k=v", NULL, NULL, &response);
  elapsed = g_get_monotonic_time () - start;
  g_assert_cmpuint (response.status, ==, SOUP_STATUS_OK);
  g_assert_cmpint (elapsed, >=, 1 * G_USEC_PER_SEC);
  g_assert_cmpint (elapsed, <, 3 * G_USEC_PER_SEC);
  object = parse_object (response.body);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "args"),
                                                  "k"), ==, "v");
  g_assert_true (json_object_has_member (object, "headers"));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (object, "url"),
                                   "/delay/1?k=v"));

  start = g_get_monotonic_time ();
  request (fixture, "GET", "/delay/0.3", NULL, NULL, &fraction);
  elapsed = g_get_monotonic_time () - start;
  g_assert_cmpuint (fraction.status, ==, SOUP_STATUS_OK);
  /* httpbin 0.7's /delay has no "json" (and takes GET only) */
  g_clear_pointer (&object, json_object_unref);
  object = parse_object (fraction.body);
  g_assert_false (json_object_has_member (object, "json"));
  g_assert_false (json_object_has_member (object, "method"));
  g_assert_cmpint (elapsed, >=, 300 * 1000);
  g_assert_cmpint (elapsed, <, 2 * G_USEC_PER_SEC);

  request (fixture, "GET", "/delay/soon", NULL, NULL, &invalid);
  g_assert_cmpuint (invalid.status, ==, SOUP_STATUS_BAD_REQUEST);
}

static GBytes *
get_bytes (Fixture    *fixture,
           const char *path)
{
  g_auto(Response) response = { 0 };

  request (fixture, "GET", path, NULL, NULL, &response);
  g_assert_cmpuint (response.status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (soup_message_headers_get_content_type (response.headers, NULL), ==,
                   "application/octet-stream");
  return g_steal_pointer (&response.body);
}

static void
test_bytes (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GBytes) random1 = get_bytes (fixture, "/bytes/1024");
  g_autoptr(GBytes) random2 = get_bytes (fixture, "/bytes/1024");
  g_autoptr(GBytes) seeded1 = get_bytes (fixture, "/bytes/1024?seed=42");
  g_autoptr(GBytes) seeded2 = get_bytes (fixture, "/bytes/1024?seed=42");
  g_autoptr(GBytes) seeded3 = get_bytes (fixture, "/bytes/1024?seed=43");
  g_autoptr(GBytes) capped = get_bytes (fixture, "/bytes/200000");
  g_autoptr(GBytes) empty = get_bytes (fixture, "/bytes/0");

  g_assert_cmpuint (g_bytes_get_size (random1), ==, 1024);
  g_assert_false (g_bytes_equal (random1, random2));
  g_assert_true (g_bytes_equal (seeded1, seeded2));
  g_assert_false (g_bytes_equal (seeded1, seeded3));
  g_assert_cmpuint (g_bytes_get_size (capped), ==, 100 * 1024);
  g_assert_cmpuint (g_bytes_get_size (empty), ==, 0);
}

static void
test_stream (Fixture       *fixture,
             gconstpointer  data)
{
  g_auto(Response) response = { 0 };
  g_auto(Response) capped = { 0 };
  g_autofree char *text = NULL;
  g_autofree char *capped_text = NULL;
  g_auto(GStrv) lines = NULL;

  request (fixture, "GET", "/stream/5?x=y", NULL, NULL, &response);
  g_assert_cmpuint (response.status, ==, SOUP_STATUS_OK);
  g_assert_cmpint (soup_message_headers_get_encoding (response.headers), ==,
                   SOUP_ENCODING_CHUNKED);
  text = body_text (response.body);
  g_assert_true (g_str_has_suffix (text, "\n"));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 6);
  g_assert_cmpstr (lines[5], ==, "");

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GBytes) line = g_bytes_new (lines[i], strlen (lines[i]));
      g_autoptr(JsonObject) object = parse_object (line);

      g_assert_cmpint (json_object_get_int_member (object, "id"), ==, i);
      g_assert_cmpstr (json_object_get_string_member (
                         json_object_get_object_member (object, "args"), "x"), ==, "y");
      g_assert_true (json_object_has_member (object, "url"));
      g_assert_true (json_object_has_member (object, "origin"));
    }

  request (fixture, "GET", "/stream/1000", NULL, NULL, &capped);
  capped_text = body_text (capped.body);
  {
    g_auto(GStrv) capped_lines = g_strsplit (capped_text, "\n", -1);

    g_assert_cmpuint (g_strv_length (capped_lines), ==, 101);
  }
}

static void
test_drip (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *url = make_url (fixture, "/drip?duration=1&numbytes=5&code=201&delay=0.3");
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  GString *received = g_string_new (NULL);
  gint64 start = g_get_monotonic_time ();
  gint64 first = -1;
  gint64 last = -1;

  stream = soup_session_send (fixture->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_CREATED);
  g_assert_cmpint (soup_message_headers_get_content_length (soup_message_get_response_headers (msg)),
                   ==, 5);

  for (;;)
    {
      char buffer[16];
      gssize n = g_input_stream_read (stream, buffer, sizeof buffer, NULL, &error);

      g_assert_no_error (error);
      if (n == 0)
        break;
      if (first < 0)
        first = g_get_monotonic_time () - start;
      last = g_get_monotonic_time () - start;
      g_string_append_len (received, buffer, n);
    }

  g_assert_cmpstr (received->str, ==, "*****");
  /* The first byte comes after the delay, the last one a duration later. */
  g_assert_cmpint (first, >=, 300 * 1000);
  g_assert_cmpint (first, <, 900 * 1000);
  g_assert_cmpint (last, >=, 1300 * 1000);
  g_assert_cmpint (last, <, 4 * G_USEC_PER_SEC);
  g_string_free (received, TRUE);

  {
    g_auto(Response) response = { 0 };
    g_auto(Response) invalid = { 0 };
    g_auto(Response) too_long = { 0 };

    request (fixture, "GET", "/drip?duration=0&numbytes=3000", NULL, NULL, &response);
    g_assert_cmpuint (response.status, ==, SOUP_STATUS_OK);
    g_assert_cmpuint (g_bytes_get_size (response.body), ==, 3000);

    request (fixture, "GET", "/drip?numbytes=0", NULL, NULL, &invalid);
    g_assert_cmpuint (invalid.status, ==, SOUP_STATUS_BAD_REQUEST);

    request (fixture, "GET", "/drip?duration=8&delay=3", NULL, NULL, &too_long);
    g_assert_cmpuint (too_long.status, ==, SOUP_STATUS_BAD_REQUEST);
  }
}

static void
test_redirects (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *base = make_url (fixture, "");

  {
    g_auto(Response) response = { 0 };

    request (fixture, "GET", "/redirect/3", NULL, NULL, &response);
    g_assert_cmpuint (response.status, ==, SOUP_STATUS_OK);
    g_assert_cmpstr (response.final_path, ==, "/get");
    g_assert_cmpuint (response.restarts, ==, 3);
  }
  {
    g_auto(Response) response = { 0 };

    request (fixture, "GET", "/absolute-redirect/4", NULL, NULL, &response);
    g_assert_cmpuint (response.status, ==, SOUP_STATUS_OK);
    g_assert_cmpstr (response.final_path, ==, "/get");
    g_assert_cmpuint (response.restarts, ==, 4);
  }
  {
    g_auto(Response) response = { 0 };

    request_full (fixture, "GET", "/redirect/3", NULL, NULL, SOUP_MESSAGE_NO_REDIRECT,
                  &response);
    g_assert_cmpuint (response.status, ==, SOUP_STATUS_FOUND);
    g_assert_cmpstr (soup_message_headers_get_one (response.headers, "Location"), ==,
                     "/relative-redirect/2");
  }
  {
    g_auto(Response) response = { 0 };

    request_full (fixture, "GET", "/relative-redirect/1", NULL, NULL,
                  SOUP_MESSAGE_NO_REDIRECT, &response);
    g_assert_cmpstr (soup_message_headers_get_one (response.headers, "Location"), ==, "/get");
  }
  {
    g_auto(Response) response = { 0 };
    g_autofree char *expected = g_strconcat (base, "/absolute-redirect/1", NULL);

    request_full (fixture, "GET", "/absolute-redirect/2", NULL, NULL,
                  SOUP_MESSAGE_NO_REDIRECT, &response);
    g_assert_cmpstr (soup_message_headers_get_one (response.headers, "Location"), ==, expected);
  }
  {
    g_auto(Response) response = { 0 };
    g_autofree char *expected = g_strconcat (base, "/absolute-redirect/1", NULL);

    request_full (fixture, "GET", "/redirect/2?absolute=true", NULL, NULL,
                  SOUP_MESSAGE_NO_REDIRECT, &response);
    g_assert_cmpstr (soup_message_headers_get_one (response.headers, "Location"), ==, expected);
  }
  {
    g_auto(Response) response = { 0 };

    request_full (fixture, "GET", "/redirect-to?url=%2Fanything%3Fa%3D1&status_code=307", NULL,
                  NULL, SOUP_MESSAGE_NO_REDIRECT, &response);
    g_assert_cmpuint (response.status, ==, SOUP_STATUS_TEMPORARY_REDIRECT);
    g_assert_cmpstr (soup_message_headers_get_one (response.headers, "Location"), ==,
                     "/anything?a=1");
  }
  {
    g_auto(Response) response = { 0 };

    request_full (fixture, "GET", "/redirect-to?url=/get&status_code=200", NULL, NULL,
                  SOUP_MESSAGE_NO_REDIRECT, &response);
    g_assert_cmpuint (response.status, ==, SOUP_STATUS_FOUND);
  }
  {
    g_auto(Response) response = { 0 };

    request (fixture, "GET", "/redirect-to?url=%2Fget", NULL, NULL, &response);
    g_assert_cmpuint (response.status, ==, SOUP_STATUS_OK);
    g_assert_cmpstr (response.final_path, ==, "/get");
    g_assert_cmpuint (response.restarts, ==, 1);
  }

  {
    static const char *const invalid[] = { "/redirect/0", "/redirect-to" };
    /* Not digits: Flask's int converter does not match, so no route does */
    static const char *const unrouted[] = { "/redirect/x", "/relative-redirect/-1" };

    for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
      {
        g_auto(Response) response = { 0 };

        request (fixture, "GET", invalid[i], NULL, NULL, &response);
        g_assert_cmpuint (response.status, ==, SOUP_STATUS_BAD_REQUEST);
      }
    for (gsize i = 0; i < G_N_ELEMENTS (unrouted); i++)
      {
        g_auto(Response) response = { 0 };

        request (fixture, "GET", unrouted[i], NULL, NULL, &response);
        g_assert_cmpuint (response.status, ==, SOUP_STATUS_NOT_FOUND);
      }
  }
}

static JsonObject *
get_cookies (Fixture    *fixture,
             const char *path)
{
  g_auto(Response) response = { 0 };
  g_autoptr(JsonObject) object = NULL;

  request (fixture, "GET", path, NULL, NULL, &response);
  g_assert_cmpuint (response.status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (response.final_path, ==, "/cookies");
  object = parse_object (response.body);
  return json_object_ref (json_object_get_object_member (object, "cookies"));
}

static void
test_cookies (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(JsonObject) set = NULL;
  g_autoptr(JsonObject) set_path = NULL;
  g_autoptr(JsonObject) deleted = NULL;
  g_autoptr(JsonObject) empty = NULL;

  soup_session_add_feature_by_type (fixture->session, SOUP_TYPE_COOKIE_JAR);

  empty = get_cookies (fixture, "/cookies");
  g_assert_cmpuint (json_object_get_size (empty), ==, 0);

  set = get_cookies (fixture, "/cookies/set?flavour=chocolate&size=big");
  g_assert_cmpuint (json_object_get_size (set), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (set, "flavour"), ==, "chocolate");
  g_assert_cmpstr (json_object_get_string_member (set, "size"), ==, "big");

  set_path = get_cookies (fixture, "/cookies/set/colour/red");
  g_assert_cmpstr (json_object_get_string_member (set_path, "colour"), ==, "red");

  deleted = get_cookies (fixture, "/cookies/delete?flavour&colour");
  g_assert_cmpuint (json_object_get_size (deleted), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (deleted, "size"), ==, "big");

  {
    g_auto(Response) response = { 0 };

    request_full (fixture, "GET", "/cookies/set?k=v", NULL, NULL, SOUP_MESSAGE_NO_REDIRECT,
                  &response);
    g_assert_cmpuint (response.status, ==, SOUP_STATUS_FOUND);
    g_assert_cmpstr (soup_message_headers_get_one (response.headers, "Location"), ==, "/cookies");
    g_assert_cmpstr (soup_message_headers_get_one (response.headers, "Set-Cookie"), ==,
                     "k=v; Path=/");
  }
  {
    g_auto(Response) response = { 0 };

    /* Quoted as werkzeug quotes: the ';' cannot end the value and add an attribute */
    request_full (fixture, "GET", "/cookies/set?k=a%3B%20Domain%3Devil", NULL, NULL,
                  SOUP_MESSAGE_NO_REDIRECT, &response);
    g_assert_cmpuint (response.status, ==, SOUP_STATUS_FOUND);
    g_assert_cmpstr (soup_message_headers_get_one (response.headers, "Set-Cookie"), ==,
                     "k=\"a\\073 Domain=evil\"; Path=/");
  }
  {
    g_autoptr(JsonObject) quoted = NULL;

    /* Issue 13: values with quotes and spaces are set, and come back as they were given */
    quoted = get_cookies (fixture, "/cookies/set?foo=%22bar:baz%22&sp=a%20b&u=%C3%A9t%C3%A9");
    g_assert_cmpstr (json_object_get_string_member (quoted, "foo"), ==, "\"bar:baz\"");
    g_assert_cmpstr (json_object_get_string_member (quoted, "sp"), ==, "a b");
    g_assert_cmpstr (json_object_get_string_member (quoted, "u"), ==, "été");
  }
  {
    g_auto(Response) response = { 0 };
    g_autofree char *url = make_url (fixture, "/cookies");
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
    g_autoptr(JsonObject) object = NULL;
    JsonObject *cookies;

    soup_session_remove_feature_by_type (fixture->session, SOUP_TYPE_COOKIE_JAR);
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Cookie",
                                  "q=\"x y\"; semi=\"a;b\"; oct=\"\\303\\251\"; =skipped; bare; q=second");
    send_message (fixture, msg, &response);
    object = parse_object (response.body);
    cookies = json_object_get_object_member (object, "cookies");
    g_assert_cmpstr (json_object_get_string_member (cookies, "q"), ==, "x y");
    g_assert_cmpstr (json_object_get_string_member (cookies, "semi"), ==, "a;b");
    g_assert_cmpstr (json_object_get_string_member (cookies, "oct"), ==, "é");
    g_assert_cmpstr (json_object_get_string_member (cookies, "bare"), ==, "");
    g_assert_cmpuint (json_object_get_size (cookies), ==, 4);
  }
}

static void
auth_request (Fixture    *fixture,
              const char *path,
              const char *authorization,
              Response   *response)
{
  g_autofree char *url = make_url (fixture, path);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);

  if (authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                  authorization);
  send_message (fixture, msg, response);
}

static void
test_basic_auth (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *good = g_base64_encode ((const guchar *) "alice:s3cret", 12);
  g_autofree char *bad = g_base64_encode ((const guchar *) "alice:wrong", 11);
  g_autofree char *good_header = g_strconcat ("Basic ", good, NULL);
  g_autofree char *bad_header = g_strconcat ("Basic ", bad, NULL);
  g_auto(Response) ok = { 0 };
  g_auto(Response) wrong = { 0 };
  g_auto(Response) missing = { 0 };
  g_auto(Response) hidden = { 0 };
  g_auto(Response) hidden_ok = { 0 };
  g_autoptr(JsonObject) object = NULL;

  auth_request (fixture, "/basic-auth/alice/s3cret", good_header, &ok);
  g_assert_cmpuint (ok.status, ==, SOUP_STATUS_OK);
  object = parse_object (ok.body);
  g_assert_true (json_object_get_boolean_member (object, "authenticated"));
  g_assert_cmpstr (json_object_get_string_member (object, "user"), ==, "alice");

  auth_request (fixture, "/basic-auth/alice/s3cret", bad_header, &wrong);
  g_assert_cmpuint (wrong.status, ==, SOUP_STATUS_UNAUTHORIZED);
  g_assert_cmpstr (soup_message_headers_get_one (wrong.headers, "WWW-Authenticate"), ==,
                   "Basic realm=\"Fake Realm\"");

  auth_request (fixture, "/basic-auth/alice/s3cret", NULL, &missing);
  g_assert_cmpuint (missing.status, ==, SOUP_STATUS_UNAUTHORIZED);

  auth_request (fixture, "/hidden-basic-auth/alice/s3cret", bad_header, &hidden);
  g_assert_cmpuint (hidden.status, ==, SOUP_STATUS_NOT_FOUND);
  auth_request (fixture, "/hidden-basic-auth/alice/s3cret", good_header, &hidden_ok);
  g_assert_cmpuint (hidden_ok.status, ==, SOUP_STATUS_OK);
}

static void
test_bearer (Fixture       *fixture,
             gconstpointer  data)
{
  g_auto(Response) ok = { 0 };
  g_auto(Response) missing = { 0 };
  g_auto(Response) basic = { 0 };
  g_autoptr(JsonObject) object = NULL;

  auth_request (fixture, "/bearer", "Bearer tok-123", &ok);
  g_assert_cmpuint (ok.status, ==, SOUP_STATUS_OK);
  object = parse_object (ok.body);
  g_assert_true (json_object_get_boolean_member (object, "authenticated"));
  g_assert_cmpstr (json_object_get_string_member (object, "token"), ==, "tok-123");

  auth_request (fixture, "/bearer", NULL, &missing);
  g_assert_cmpuint (missing.status, ==, SOUP_STATUS_UNAUTHORIZED);
  g_assert_cmpstr (soup_message_headers_get_one (missing.headers, "WWW-Authenticate"), ==,
                   "Bearer");

  auth_request (fixture, "/bearer", "Basic Zm9vOmJhcg==", &basic);
  g_assert_cmpuint (basic.status, ==, SOUP_STATUS_UNAUTHORIZED);
}

static void
test_compressed (Fixture       *fixture,
                 gconstpointer  data)
{
  static const struct
  {
    const char *path;
    const char *flag;
    const char *encoding;
  } cases[] = {
    { "/gzip", "gzipped", "gzip" },
    { "/deflate", "deflated", "deflate" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Response) response = { 0 };
      g_autoptr(JsonObject) object = NULL;
      g_autoptr(SoupSession) raw_session = soup_session_new ();
      g_autofree char *url = make_url (fixture, cases[i].path);
      g_autoptr(SoupMessage) raw_msg = soup_message_new ("GET", url);
      g_autoptr(GBytes) raw = NULL;
      g_autoptr(GError) error = NULL;
      const guint8 *raw_data;

      /* SoupContentDecoder is on by default in 3.2 sessions. */
      request (fixture, "GET", cases[i].path, NULL, NULL, &response);
      g_assert_cmpuint (response.status, ==, SOUP_STATUS_OK);
      object = parse_object (response.body);
      g_assert_true (json_object_get_boolean_member (object, cases[i].flag));
      g_assert_cmpstr (json_object_get_string_member (object, "method"), ==, "GET");
      g_assert_cmpstr (json_object_get_string_member (object, "origin"), ==, "127.0.0.1");
      g_assert_true (json_object_has_member (object, "headers"));

      /* Without the decoder, the body on the wire really is compressed. */
      soup_session_remove_feature_by_type (raw_session, SOUP_TYPE_CONTENT_DECODER);
      raw = soup_session_send_and_read (raw_session, raw_msg, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (raw_msg),
                                                     "Content-Encoding"), ==,
                       cases[i].encoding);
      raw_data = g_bytes_get_data (raw, NULL);
      g_assert_cmpuint (g_bytes_get_size (raw), >, 2);
      if (i == 0)
        g_assert_true (raw_data[0] == 0x1f && raw_data[1] == 0x8b);
      else
        g_assert_cmpuint (raw_data[0], ==, 0x78);
      soup_session_abort (raw_session);
    }
}

static void
test_uuid (Fixture       *fixture,
           gconstpointer  data)
{
  g_auto(Response) first = { 0 };
  g_auto(Response) second = { 0 };
  g_autoptr(JsonObject) first_object = NULL;
  g_autoptr(JsonObject) second_object = NULL;
  const char *uuid;

  request (fixture, "GET", "/uuid", NULL, NULL, &first);
  request (fixture, "GET", "/uuid", NULL, NULL, &second);
  first_object = parse_object (first.body);
  second_object = parse_object (second.body);
  uuid = json_object_get_string_member (first_object, "uuid");
  g_assert_true (g_uuid_string_is_valid (uuid));
  g_assert_cmpuint (strlen (uuid), ==, 36);
  g_assert_cmpint (uuid[14], ==, '4');
  g_assert_nonnull (strchr ("89ab", uuid[19]));
  g_assert_cmpstr (uuid, !=, json_object_get_string_member (second_object, "uuid"));
}

static void
test_response_headers (Fixture       *fixture,
                       gconstpointer  data)
{
  g_auto(Response) response = { 0 };
  g_auto(Response) invalid = { 0 };
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *length = NULL;
  g_autofree char *list = NULL;
  JsonArray *foo;

  request (fixture, "GET",
           "/response-headers?X-Foo=1&X-Foo=2&freeform=hello%20world&Content-Type=text%2Fplain"
           "&Content-Length=3", NULL, NULL, &response);
  g_assert_cmpuint (response.status, ==, SOUP_STATUS_OK);
  list = g_strdup (soup_message_headers_get_list (response.headers, "X-Foo"));
  g_assert_cmpstr (list, ==, "1, 2");
  g_assert_cmpstr (soup_message_headers_get_one (response.headers, "freeform"), ==,
                   "hello world");
  g_assert_cmpstr (soup_message_headers_get_content_type (response.headers, NULL), ==,
                   "text/plain");

  object = parse_object (response.body);
  foo = json_object_get_array_member (object, "X-Foo");
  g_assert_cmpuint (json_array_get_length (foo), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (object, "freeform"), ==, "hello world");
  g_assert_cmpstr (json_object_get_string_member (object, "Content-Type"), ==, "text/plain");
  length = g_strdup_printf ("%" G_GSIZE_FORMAT, g_bytes_get_size (response.body));
  g_assert_cmpstr (json_object_get_string_member (object, "Content-Length"), ==, length);

  request (fixture, "GET", "/response-headers?bad%20name=1", NULL, NULL, &invalid);
  g_assert_cmpuint (invalid.status, ==, SOUP_STATUS_BAD_REQUEST);
}

static void
test_sse (Fixture       *fixture,
          gconstpointer  data)
{
  g_auto(Response) response = { 0 };
  g_autofree char *text = NULL;
  g_auto(GStrv) events = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

  request (fixture, "GET", "/sse?count=3&duration=300ms", NULL, NULL, &response);
  elapsed = g_get_monotonic_time () - start;
  g_assert_cmpuint (response.status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (soup_message_headers_get_content_type (response.headers, NULL), ==,
                   "text/event-stream");
  g_assert_cmpint (elapsed, >=, 200 * 1000);
  g_assert_cmpint (elapsed, <, 3 * G_USEC_PER_SEC);

  text = body_text (response.body);
  g_assert_true (g_str_has_suffix (text, "\n\n"));
  events = g_strsplit (text, "\n\n", -1);
  g_assert_cmpuint (g_strv_length (events), ==, 4);

  for (guint i = 0; i < 3; i++)
    {
      g_auto(GStrv) lines = g_strsplit (events[i], "\n", -1);
      g_autofree char *id = g_strdup_printf ("id: %u", i);
      g_autoptr(GBytes) payload = NULL;
      g_autoptr(JsonObject) object = NULL;

      g_assert_cmpuint (g_strv_length (lines), ==, 3);
      g_assert_cmpstr (lines[0], ==, id);
      g_assert_cmpstr (lines[1], ==, "event: ping");
      g_assert_true (g_str_has_prefix (lines[2], "data: "));
      payload = g_bytes_new (lines[2] + 6, strlen (lines[2] + 6));
      object = parse_object (payload);
      g_assert_cmpint (json_object_get_int_member (object, "id"), ==, i);
      g_assert_cmpint (json_object_get_int_member (object, "timestamp"), >, 1600000000000);
    }

  {
    static const char *const invalid[] = { "/sse?count=0", "/sse?duration=20s",
                                           "/sse?delay=x" };

    for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
      {
        g_auto(Response) bad = { 0 };

        request (fixture, "GET", invalid[i], NULL, NULL, &bad);
        g_assert_cmpuint (bad.status, ==, SOUP_STATUS_BAD_REQUEST);
      }
  }
}

typedef struct
{
  int slides;
} XmlCount;

static void
xml_start_element (GMarkupParseContext  *context,
                   const char           *element_name,
                   const char          **attribute_names,
                   const char          **attribute_values,
                   gpointer              user_data,
                   GError              **error)
{
  XmlCount *count = user_data;

  if (g_str_equal (element_name, "slide"))
    count->slides++;
}

static void
test_documents (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(Response) json = { 0 };
  g_auto(Response) html = { 0 };
  g_auto(Response) xml = { 0 };
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *html_text = NULL;
  g_autofree char *xml_text = NULL;
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;
  static const GMarkupParser parser = { .start_element = xml_start_element };
  XmlCount count = { 0 };
  JsonObject *slideshow;

  request (fixture, "GET", "/json", NULL, NULL, &json);
  g_assert_cmpstr (soup_message_headers_get_content_type (json.headers, NULL), ==,
                   "application/json");
  object = parse_object (json.body);
  slideshow = json_object_get_object_member (object, "slideshow");
  g_assert_cmpstr (json_object_get_string_member (slideshow, "title"), ==, "Sample Slide Show");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (slideshow, "slides")),
                    ==, 2);

  request (fixture, "GET", "/html", NULL, NULL, &html);
  g_assert_cmpstr (soup_message_headers_get_content_type (html.headers, NULL), ==, "text/html");
  html_text = body_text (html.body);
  g_assert_true (g_str_has_prefix (html_text, "<!DOCTYPE html>"));
  g_assert_nonnull (strstr (html_text, "<h1>Herman Melville - Moby-Dick</h1>"));

  request (fixture, "GET", "/xml", NULL, NULL, &xml);
  g_assert_cmpstr (soup_message_headers_get_content_type (xml.headers, NULL), ==,
                   "application/xml");
  xml_text = body_text (xml.body);
  context = g_markup_parse_context_new (&parser, 0, &count, NULL);
  g_assert_true (g_markup_parse_context_parse (context, xml_text, -1, &error));
  g_assert_true (g_markup_parse_context_end_parse (context, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count.slides, ==, 2);
}

static void
test_not_found (Fixture       *fixture,
                gconstpointer  data)
{
  static const char *const paths[] = {
    "/nope", "/get/", "/status/", "/status/200/x", "/basic-auth/u", "/basic-auth/u/p/x",
    "/delay", "/anythingelse", "/cookies/set/a", "/",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_auto(Response) response = { 0 };

      request (fixture, "GET", paths[i], NULL, NULL, &response);
      g_assert_cmpuint (response.status, ==, SOUP_STATUS_NOT_FOUND);
    }
}

/* Every advertised endpoint answers (with sample values for its placeholders). */
static void
test_endpoints (Fixture       *fixture,
                gconstpointer  data)
{
  static const char *const placeholders[][2] = {
    { "{codes}", "204" }, { "{seconds}", "0" }, { "{n}", "2" }, { "{path}", "x" },
    { "{user}", "u" }, { "{passwd}", "p" }, { "{name}", "a" }, { "{value}", "b" },
    { "{qop}", "auth" }, { "{algorithm}", "SHA-256" }, { "{stale_after}", "never" },
    { "{etag}", "x" }, { "{offset}", "0" }, { "{png,jpeg,webp,svg}", "webp" },
  };
  const LadleHttpbinEndpoint *endpoints = ladle_httpbin_get_endpoints ();
  gboolean seen_get = FALSE;
  gboolean seen_sse = FALSE;
  gsize n = 0;

  for (; endpoints[n].pattern != NULL; n++)
    {
      g_autofree char *path = g_strdup (endpoints[n].pattern);
      g_auto(Response) response = { 0 };

      g_assert_true (endpoints[n].pattern[0] == '/');
      g_assert_nonnull (endpoints[n].description);
      g_assert_cmpuint (strlen (endpoints[n].description), >, 10);
      seen_get |= g_str_equal (endpoints[n].pattern, "/get");
      seen_sse |= g_str_equal (endpoints[n].pattern, "/sse");

      for (gsize j = 0; j < G_N_ELEMENTS (placeholders); j++)
        {
          g_auto(GStrv) parts = g_strsplit (path, placeholders[j][0], -1);

          g_free (path);
          path = g_strjoinv (placeholders[j][1], parts);
        }
      g_assert_null (strchr (path, '{'));

      if (g_str_equal (path, "/sse"))
        {
          g_free (path);
          path = g_strdup ("/sse?count=1&duration=0");
        }
      else if (g_str_equal (path, "/drip"))
        {
          g_free (path);
          path = g_strdup ("/drip?duration=0");
        }
      else if (g_str_equal (path, "/redirect-to"))
        {
          g_free (path);
          path = g_strdup ("/redirect-to?url=/get");
        }

      request_full (fixture, "GET", path, NULL, NULL, SOUP_MESSAGE_NO_REDIRECT, &response);
      if (g_str_has_prefix (path, "/hidden-basic-auth/"))
        g_assert_cmpuint (response.status, ==, SOUP_STATUS_NOT_FOUND);
      else
        g_assert_cmpuint (response.status, !=, SOUP_STATUS_NOT_FOUND);
      g_assert_cmpuint (response.status, <, 500);
    }

  g_assert_cmpuint (n, >=, 30);
  g_assert_true (seen_get && seen_sse);
}

/* Issue 14: the Server bench's list has the OAuth 2.0 / OpenID Connect provider's endpoints, each
 * with a description; the discovery document names none that is not listed, and each does its
 * job when asked as a client would. */
static gboolean
is_listed (const char *pattern)
{
  const LadleHttpbinEndpoint *endpoints = ladle_httpbin_get_endpoints ();

  for (gsize n = 0; endpoints[n].pattern != NULL; n++)
    if (g_str_equal (endpoints[n].pattern, pattern))
      return strlen (endpoints[n].description) > 10;
  return FALSE;
}

static const char *
object_string (JsonObject *object,
               const char *name)
{
  g_assert_true (json_object_has_member (object, name));
  return json_object_get_string_member (object, name);
}

static void
test_oauth_endpoints (Fixture       *fixture,
                      gconstpointer  data)
{
  static const char *const listed[] = {
    "/.well-known/openid-configuration", "/oauth/authorize", "/oauth/token",
    "/oauth/device_authorization", "/oauth/device", "/oauth/userinfo", "/oauth/jwks",
  };
  static const char *const named[] = {
    "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri",
    "device_authorization_endpoint",
  };
  const char *base = ladle_test_server_get_url (fixture->server);
  g_auto(Response) discovery = { 0 };
  g_auto(Response) token = { 0 };
  g_auto(Response) device = { 0 };
  g_auto(Response) device_page = { 0 };
  g_auto(Response) authorize = { 0 };
  g_auto(Response) jwks = { 0 };
  g_autoptr(JsonObject) document = NULL;
  g_autoptr(JsonObject) token_object = NULL;
  g_autoptr(JsonObject) device_object = NULL;
  g_autoptr(JsonObject) jwks_object = NULL;
  g_autofree char *authorize_path = NULL;
  g_autofree char *bearer = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (listed); i++)
    if (!is_listed (listed[i]))
      g_error ("%s is not in the endpoint list", listed[i]);

  /* Discovery: every endpoint it names is listed */
  request (fixture, "GET", "/.well-known/openid-configuration", NULL, NULL, &discovery);
  g_assert_cmpuint (discovery.status, ==, 200);
  document = parse_object (discovery.body);
  for (gsize i = 0; i < G_N_ELEMENTS (named); i++)
    {
      const char *url = object_string (document, named[i]);

      g_assert_true (g_str_has_prefix (url, base));
      if (!is_listed (url + strlen (base)))
        g_error ("%s (%s) is not in the endpoint list", url, named[i]);
    }

  /* Token: the client credentials grant */
  request (fixture, "POST", "/oauth/token", "application/x-www-form-urlencoded",
           "grant_type=client_credentials&client_id=ladle&client_secret="
           LADLE_OAUTH_PROVIDER_CLIENT_SECRET, &token);
  g_assert_cmpuint (token.status, ==, 200);
  token_object = parse_object (token.body);
  g_assert_nonnull (object_string (token_object, "access_token"));

  /* User info for that token (with the header, which request() does not set) */
  {
    g_autofree char *url = make_url (fixture, "/oauth/userinfo");
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
    g_autoptr(GBytes) body = NULL;
    g_autoptr(GError) error = NULL;

    bearer = g_strconcat ("Bearer ", object_string (token_object, "access_token"), NULL);
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                  bearer);
    body = soup_session_send_and_read (fixture->session, msg, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  }

  /* Device authorization, then its page */
  request (fixture, "POST", "/oauth/device_authorization", "application/x-www-form-urlencoded",
           "client_id=ladle", &device);
  g_assert_cmpuint (device.status, ==, 200);
  device_object = parse_object (device.body);
  g_assert_nonnull (object_string (device_object, "device_code"));
  g_assert_nonnull (object_string (device_object, "user_code"));
  request (fixture, "GET", "/oauth/device", NULL, NULL, &device_page);
  g_assert_cmpuint (device_page.status, ==, 200);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (device_page.body, NULL),
                                  g_bytes_get_size (device_page.body), "<form"));

  /* The consent page */
  authorize_path = g_strdup_printf ("/oauth/authorize?response_type=code&client_id=ladle"
                                    "&redirect_uri=http%%3A%%2F%%2F127.0.0.1%%3A9%%2Fcallback"
                                    "&state=xyz&code_challenge=%s&code_challenge_method=S256",
                                    "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  request (fixture, "GET", authorize_path, NULL, NULL, &authorize);
  g_assert_cmpuint (authorize.status, ==, 200);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (authorize.body, NULL),
                                  g_bytes_get_size (authorize.body), "<form"));

  /* The signing key */
  request (fixture, "GET", "/oauth/jwks", NULL, NULL, &jwks);
  g_assert_cmpuint (jwks.status, ==, 200);
  jwks_object = parse_object (jwks.body);
  g_assert_true (json_object_has_member (jwks_object, "keys"));
}

typedef struct
{
  GBytes  *body;
  GError  *error;
  gboolean done;
} AsyncResponse;

static void
send_and_read_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  AsyncResponse *response = user_data;

  response->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                      &response->error);
  response->done = TRUE;
}

static void
test_disconnect_during_delay (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *url = make_url (fixture, "/delay/3");
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AsyncResponse async = { 0 };
  gint64 start;

  soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    send_and_read_cb, &async);
  LADLE_TEST_WAIT_UNTIL (g_atomic_int_get (&fixture->stats.handled) == 1, 2000);
  g_cancellable_cancel (cancellable);
  LADLE_TEST_WAIT_UNTIL (async.done, 2000);
  g_assert_error (async.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&async.error);
  g_assert_null (async.body);

  /* The server keeps serving while the abandoned message is still paused. */
  start = g_get_monotonic_time ();
  {
    g_auto(Response) response = { 0 };

    request (fixture, "GET", "/get", NULL, NULL, &response);
    g_assert_cmpuint (response.status, ==, SOUP_STATUS_OK);
  }
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);

  /* The paused message finds out when its timer writes; its state is torn down then. */
  LADLE_TEST_WAIT_UNTIL (g_atomic_int_get (&fixture->stats.finished) == 2, 6000);

  {
    g_auto(Response) response = { 0 };

    request (fixture, "GET", "/delay/0", NULL, NULL, &response);
    g_assert_cmpuint (response.status, ==, SOUP_STATUS_OK);
  }
}

static void
test_disconnect_during_sse (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *url = make_url (fixture, "/sse?count=50&duration=5s");
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  char buffer[64];
  gssize n;

  stream = soup_session_send (fixture->session, msg, NULL, &error);
  g_assert_no_error (error);
  n = g_input_stream_read (stream, buffer, sizeof buffer - 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, >, 0);
  buffer[n] = '\0';
  g_assert_true (g_str_has_prefix (buffer, "id: 0\n"));

  /* Closing a stream mid-body drops the connection. */
  g_input_stream_close (stream, NULL, NULL);
  g_clear_object (&stream);
  soup_session_abort (fixture->session);

  /* The next event's write fails and stops the timer, well before the 5 s are over. */
  LADLE_TEST_WAIT_UNTIL (g_atomic_int_get (&fixture->stats.finished) == 1, 2000);
  /* Several more event intervals: a timer that outlived its message would touch it now (a
   * CRITICAL, fatal in tests) or, under ASan, use it after it was freed. */
  g_usleep (500 * 1000);

  {
    g_auto(Response) response = { 0 };

    request (fixture, "GET", "/get", NULL, NULL, &response);
    g_assert_cmpuint (response.status, ==, SOUP_STATUS_OK);
  }
}

/* Stopping the server while responses are paused frees their state without waiting for them. */
static void
test_shutdown_while_paused (Fixture       *fixture,
                            gconstpointer  data)
{
  static const char *const paths[] = { "/delay/5", "/drip?duration=5", "/sse?duration=5" };
  AsyncResponse async[G_N_ELEMENTS (paths)] = { { 0 } };
  gint64 start;

  for (gsize i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *url = make_url (fixture, paths[i]);
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);

      soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, NULL,
                                        send_and_read_cb, &async[i]);
    }
  LADLE_TEST_WAIT_UNTIL (g_atomic_int_get (&fixture->stats.handled) == G_N_ELEMENTS (paths),
                         2000);

  start = g_get_monotonic_time ();
  g_clear_pointer (&fixture->server, ladle_test_server_free);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);

  for (gsize i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      LADLE_TEST_WAIT_UNTIL (async[i].done, 3000);
      g_clear_pointer (&async[i].body, g_bytes_unref);
      g_clear_error (&async[i].error);
    }
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
}

/* --- httpbin 0.7's other routes (issue 13) ---------------------------------------------------- */

static void
request_with_header (Fixture    *fixture,
                     const char *path,
                     const char *name,
                     const char *value,
                     Response   *response)
{
  g_autofree char *url = make_url (fixture, path);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  if (name != NULL)
    soup_message_headers_append (soup_message_get_request_headers (msg), name, value);
  send_message (fixture, msg, response);
}

static void
test_cors (Fixture       *fixture,
           gconstpointer  data)
{
  g_auto(Response) plain = { 0 };
  g_auto(Response) origin = { 0 };
  g_autofree char *url = make_url (fixture, "/post");
  g_autoptr(SoupMessage) msg = soup_message_new ("OPTIONS", url);
  g_auto(Response) preflight = { 0 };
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  request (fixture, "GET", "/get", NULL, NULL, &plain);
  g_assert_cmpstr (soup_message_headers_get_one (plain.headers, "Access-Control-Allow-Origin"),
                   ==, "*");
  g_assert_cmpstr (soup_message_headers_get_one (plain.headers,
                                                 "Access-Control-Allow-Credentials"), ==, "true");
  g_assert_null (soup_message_headers_get_one (plain.headers, "Access-Control-Max-Age"));

  request_with_header (fixture, "/status/404", "Origin", "http://a.example", &origin);
  g_assert_cmpuint (origin.status, ==, SOUP_STATUS_NOT_FOUND);
  g_assert_cmpstr (soup_message_headers_get_one (origin.headers, "Access-Control-Allow-Origin"),
                   ==, "http://a.example");

  soup_message_headers_append (headers, "Origin", "http://a.example");
  soup_message_headers_append (headers, "Access-Control-Request-Method", "POST");
  soup_message_headers_append (headers, "Access-Control-Request-Headers", "X-Foo, Content-Type");
  send_message (fixture, msg, &preflight);
  g_assert_cmpuint (preflight.status, ==, SOUP_STATUS_OK);
  g_assert_cmpuint (g_bytes_get_size (preflight.body), ==, 0);
  g_assert_cmpstr (soup_message_headers_get_one (preflight.headers, "Allow"), ==,
                   "POST, OPTIONS");
  g_assert_cmpstr (soup_message_headers_get_one (preflight.headers,
                                                 "Access-Control-Allow-Methods"), ==,
                   "GET, POST, PUT, DELETE, PATCH, OPTIONS");
  g_assert_cmpstr (soup_message_headers_get_one (preflight.headers,
                                                 "Access-Control-Allow-Headers"), ==,
                   "X-Foo, Content-Type");
  g_assert_cmpstr (soup_message_headers_get_one (preflight.headers, "Access-Control-Max-Age"),
                   ==, "3600");
}

static char *
digest_param (const char *challenge,
              const char *name)
{
  g_autofree char *pattern = g_strdup_printf ("[ ,]%s=\"?([^\",]*)\"?", name);
  g_autoptr(GRegex) regex = g_regex_new (pattern, 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;

  if (!g_regex_match (regex, challenge, 0, &match))
    return NULL;
  return g_match_info_fetch (match, 1);
}

static char *
hex_hash (GChecksumType  type,
          const char    *format,
          ...) G_GNUC_PRINTF (2, 3);

static char *
hex_hash (GChecksumType  type,
          const char    *format,
          ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  return g_compute_checksum_for_string (type, text, -1);
}

/* Answers the challenge of @path as a client would; @cookie: sent along, if not NULL. */
static void
digest_exchange (Fixture    *fixture,
                 const char *path,
                 const char *passwd,
                 const char *qop,
                 const char *cookie,
                 Response   *challenge,
                 Response   *response)
{
  g_autofree char *url = make_url (fixture, path);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autofree char *nonce = NULL;
  g_autofree char *realm = NULL;
  g_autofree char *algorithm = NULL;
  g_autofree char *ha1 = NULL;
  g_autofree char *ha2 = NULL;
  g_autofree char *body_hash = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *authorization = NULL;
  GChecksumType type = G_CHECKSUM_MD5;
  const char *www;

  request_with_header (fixture, path, cookie != NULL ? "Cookie" : NULL, cookie, challenge);
  g_assert_cmpuint (challenge->status, ==, SOUP_STATUS_UNAUTHORIZED);
  www = soup_message_headers_get_one (challenge->headers, "WWW-Authenticate");
  g_assert_true (g_str_has_prefix (www, "Digest realm=\"me@kennethreitz.com\", nonce=\""));
  nonce = digest_param (www, "nonce");
  realm = digest_param (www, "realm");
  algorithm = digest_param (www, "algorithm");
  if (g_str_equal (algorithm, "SHA-256"))
    type = G_CHECKSUM_SHA256;
  else if (g_str_equal (algorithm, "SHA-512"))
    type = G_CHECKSUM_SHA512;
  g_assert_cmpuint (strlen (nonce), ==, g_checksum_type_get_length (type) * 2);

  ha1 = hex_hash (type, "user:%s:%s", realm, passwd);
  body_hash = g_compute_checksum_for_string (type, "", 0);
  if (g_strcmp0 (qop, "auth-int") == 0)
    ha2 = hex_hash (type, "GET:%s:%s", path, body_hash);
  else
    ha2 = hex_hash (type, "GET:%s", path);
  if (qop != NULL)
    digest = hex_hash (type, "%s:%s:00000001:c0ffee:%s:%s", ha1, nonce, qop, ha2);
  else
    digest = hex_hash (type, "%s:%s:%s", ha1, nonce, ha2);

  authorization = g_strdup_printf ("Digest username=\"user\", realm=\"%s\", nonce=\"%s\", "
                                   "uri=\"%s\", algorithm=%s, response=\"%s\"%s%s%s",
                                   realm, nonce, path, algorithm, digest,
                                   qop != NULL ? ", nc=00000001, cnonce=\"c0ffee\", qop=" : "",
                                   qop != NULL ? qop : "", "");
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization",
                               authorization);
  if (cookie != NULL)
    soup_message_headers_append (soup_message_get_request_headers (msg), "Cookie", cookie);
  send_message (fixture, msg, response);
}

static void
test_digest_auth (Fixture       *fixture,
                  gconstpointer  data)
{
  static const struct
  {
    const char *path;
    const char *qop;
    const char *offered;
  } cases[] = {
    { "/digest-auth/auth/user/passwd", "auth", "qop=\"auth\", " },
    { "/digest-auth/auth-int/user/passwd/SHA-256", "auth-int", "qop=\"auth-int\", " },
    { "/digest-auth/auth/user/passwd/SHA-512/never", "auth", "qop=\"auth\", " },
    { "/digest-auth/none/user/passwd/MD5", NULL, "qop=\"auth, auth-int\", " },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Response) challenge = { 0 };
      g_auto(Response) response = { 0 };
      g_auto(Response) wrong_challenge = { 0 };
      g_auto(Response) wrong = { 0 };
      g_autoptr(JsonObject) object = NULL;

      digest_exchange (fixture, cases[i].path, "passwd", cases[i].qop, NULL, &challenge,
                       &response);
      g_assert_nonnull (strstr (soup_message_headers_get_one (challenge.headers,
                                                              "WWW-Authenticate"),
                                cases[i].offered));
      g_assert_cmpuint (response.status, ==, SOUP_STATUS_OK);
      object = parse_object (response.body);
      g_assert_true (json_object_get_boolean_member (object, "authenticated"));
      g_assert_cmpstr (json_object_get_string_member (object, "user"), ==, "user");

      digest_exchange (fixture, cases[i].path, "wrong", cases[i].qop, NULL, &wrong_challenge,
                       &wrong);
      g_assert_cmpuint (wrong.status, ==, SOUP_STATUS_UNAUTHORIZED);
      g_assert_nonnull (strstr (soup_message_headers_get_one (wrong.headers, "WWW-Authenticate"),
                                "stale=FALSE"));
    }

  /* stale_after: the cookie counts down; at 0 the nonce is stale */
  {
    g_auto(Response) challenge = { 0 };
    g_auto(Response) response = { 0 };

    digest_exchange (fixture, "/digest-auth/auth/user/passwd/MD5/2", "passwd", "auth",
                     "stale_after=2; fake=fake_value", &challenge, &response);
    g_assert_cmpuint (response.status, ==, SOUP_STATUS_OK);
    g_assert_nonnull (strstr (soup_message_headers_get_list (response.headers, "Set-Cookie"),
                              "fake=fake_value; Path=/"));
    g_assert_nonnull (strstr (soup_message_headers_get_list (response.headers, "Set-Cookie"),
                              "stale_after=1; Path=/"));
  }
  {
    g_auto(Response) challenge = { 0 };
    g_auto(Response) response = { 0 };

    digest_exchange (fixture, "/digest-auth/auth/user/passwd/MD5/0", "passwd", "auth",
                     "stale_after=0", &challenge, &response);
    g_assert_cmpuint (response.status, ==, SOUP_STATUS_UNAUTHORIZED);
    g_assert_nonnull (strstr (soup_message_headers_get_one (response.headers, "WWW-Authenticate"),
                              "stale=TRUE"));
  }
  /* require-cookie: a Cookie header without the challenge's "fake" cookie is 403 */
  {
    g_auto(Response) challenge = { 0 };
    g_auto(Response) response = { 0 };

    digest_exchange (fixture, "/digest-auth/auth/user/passwd?require-cookie=1", "passwd", "auth",
                     "other=1", &challenge, &response);
    g_assert_cmpuint (response.status, ==, SOUP_STATUS_FORBIDDEN);
  }
}

static void
test_range (Fixture       *fixture,
            gconstpointer  data)
{
  static const struct
  {
    const char *path;
    const char *range;
    guint       status;
    const char *body;
    const char *content_range;
  } cases[] = {
    { "/range/30", NULL, 200, "abcdefghijklmnopqrstuvwxyzabcd", "bytes 0-29/30" },
    { "/range/30", "bytes=2-5", 206, "cdef", "bytes 2-5/30" },
    { "/range/30", "bytes=26-", 206, "abcd", "bytes 26-29/30" },
    { "/range/30", "bytes=-3", 206, "bcd", "bytes 27-29/30" },
    { "/range/10", "bytes=-40", 200, "abcdefghij", "bytes 0-9/10" },
    { "/range/30", "bytes=40-50", 416, "", "bytes */30" },
    { "/range/30", "bytes=0-30", 416, "", "bytes */30" },
    { "/range/30", "bytes=5-2", 416, "", "bytes */30" },
    { "/range/5", "items=1-2", 200, "abcde", "bytes 0-4/5" },
    { "/range/30?chunk_size=2&duration=0.1", "bytes=1-3", 206, "bcd", "bytes 1-3/30" },
    { "/range/0", NULL, 404, "number of bytes must be in the range (0, 102400]", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Response) response = { 0 };
      g_autofree char *body = NULL;

      request_with_header (fixture, cases[i].path, cases[i].range != NULL ? "Range" : NULL,
                           cases[i].range, &response);
      g_assert_cmpuint (response.status, ==, cases[i].status);
      body = g_strndup (g_bytes_get_data (response.body, NULL), g_bytes_get_size (response.body));
      g_assert_cmpstr (body != NULL ? body : "", ==, cases[i].body);
      g_assert_cmpstr (soup_message_headers_get_one (response.headers, "Content-Range"), ==,
                       cases[i].content_range);
      g_assert_cmpstr (soup_message_headers_get_one (response.headers, "Accept-Ranges"), ==,
                       "bytes");
    }

  /* Other endpoints ignore Range, as httpbin does (libsoup would cut their 200s) */
  {
    g_auto(Response) response = { 0 };

    request_with_header (fixture, "/bytes/50", "Range", "bytes=0-1", &response);
    g_assert_cmpuint (response.status, ==, SOUP_STATUS_OK);
    g_assert_cmpuint (g_bytes_get_size (response.body), ==, 50);
  }
}

static void
test_cache_etag (Fixture       *fixture,
                 gconstpointer  data)
{
  static const struct
  {
    const char *path;
    const char *name;
    const char *value;
    guint       status;
  } cases[] = {
    { "/cache", NULL, NULL, 200 },
    { "/cache", "If-None-Match", "\"x\"", 304 },
    { "/cache", "If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT", 304 },
    { "/etag/abc", NULL, NULL, 200 },
    { "/etag/abc", "If-None-Match", "\"x\", W/\"abc\"", 304 },
    { "/etag/abc", "If-None-Match", "*", 304 },
    { "/etag/abc", "If-None-Match", "\"x\"", 200 },
    { "/etag/abc", "If-Match", "\"abc\"", 200 },
    { "/etag/abc", "If-Match", "\"x\"", 412 },
    { "/cache/60", NULL, NULL, 200 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Response) response = { 0 };

      request_with_header (fixture, cases[i].path, cases[i].name, cases[i].value, &response);
      g_assert_cmpuint (response.status, ==, cases[i].status);
      if (g_str_equal (cases[i].path, "/cache") && cases[i].status == 200)
        {
          g_assert_cmpuint (strlen (soup_message_headers_get_one (response.headers, "ETag")), ==,
                            32);
          g_assert_nonnull (soup_message_headers_get_one (response.headers, "Last-Modified"));
        }
      if (g_str_equal (cases[i].path, "/etag/abc") && cases[i].status != 412)
        g_assert_cmpstr (soup_message_headers_get_one (response.headers, "ETag"), ==, "abc");
      if (g_str_equal (cases[i].path, "/cache/60"))
        g_assert_cmpstr (soup_message_headers_get_one (response.headers, "Cache-Control"), ==,
                         "public, max-age=60");
    }
}

static void
test_more_documents (Fixture       *fixture,
                gconstpointer  data)
{
  static const struct
  {
    const char *path;
    const char *accept;
    guint       status;
    const char *content_type;
    const char *body;          /* NULL: not checked; a prefix otherwise */
  } cases[] = {
    { "/base64/SFRUUEJJTiBpcyBhd2Vzb21l", NULL, 200, "text/html", "HTTPBIN is awesome" },
    { "/base64/w6l0w6k", NULL, 200, "text/html", "été" },
    { "/base64/_w", NULL, 400, "text/plain", NULL },
    { "/links/3/1", NULL, 200, "text/html",
      "<html><head><title>Links</title></head><body><a href='/links/3/0'>0</a> 1 "
      "<a href='/links/3/2'>2</a> </body></html>" },
    { "/robots.txt", NULL, 200, "text/plain", "User-agent: *\nDisallow: /deny\n" },
    { "/deny", NULL, 200, "text/plain", NULL },
    { "/encoding/utf8", NULL, 200, "text/html", NULL },
    { "/forms/post", NULL, 200, "text/html", "<!DOCTYPE html>" },
    { "/image", NULL, 200, "image/png", "\x89PNG" },
    { "/image", "image/webp,*/*", 200, "image/webp", "RIFF" },
    { "/image", "text/html, image/svg+xml", 200, "image/svg+xml", "<?xml" },
    { "/image", "IMAGE/JPEG", 200, "image/jpeg", "\xff\xd8\xff" },
    { "/image", "image/*", 200, "image/png", "\x89PNG" },
    { "/image", "text/html", 406, "application/json", NULL },
    { "/image/webp", NULL, 200, "image/webp", "RIFF" },
    { "/image/gif", NULL, 404, NULL, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Response) response = { 0 };

      request_with_header (fixture, cases[i].path, cases[i].accept != NULL ? "Accept" : NULL,
                           cases[i].accept, &response);
      g_assert_cmpuint (response.status, ==, cases[i].status);
      if (cases[i].content_type != NULL)
        g_assert_cmpstr (soup_message_headers_get_content_type (response.headers, NULL), ==,
                         cases[i].content_type);
      if (cases[i].body != NULL)
        {
          gsize len = strlen (cases[i].body);

          g_assert_cmpuint (g_bytes_get_size (response.body), >=, len);
          g_assert_cmpmem (g_bytes_get_data (response.body, NULL), len, cases[i].body, len);
        }
    }

  {
    g_auto(Response) response = { 0 };

    request_full (fixture, "GET", "/links/7", NULL, NULL, SOUP_MESSAGE_NO_REDIRECT, &response);
    g_assert_cmpuint (response.status, ==, SOUP_STATUS_FOUND);
    g_assert_cmpstr (soup_message_headers_get_one (response.headers, "Location"), ==,
                     "/links/7/0");
  }
  {
    g_auto(Response) response = { 0 };

    request (fixture, "GET", "/stream-bytes/1000?chunk_size=100&seed=3", NULL, NULL, &response);
    g_assert_cmpuint (response.status, ==, SOUP_STATUS_OK);
    g_assert_cmpuint (g_bytes_get_size (response.body), ==, 1000);
    g_assert_cmpint (soup_message_headers_get_encoding (response.headers), ==,
                     SOUP_ENCODING_CHUNKED);
  }
}

/* werkzeug's request.url: the path decoded and quoted again, the query as sent, as an IRI */
static void
test_url_shape (Fixture       *fixture,
                gconstpointer  data)
{
  static const char *const cases[][2] = {
    { "/anything/a%20b/%C3%A9t%C3%A9?x=%41%20y&z=%C3%A9", "/anything/a%20b/été?x=A%20y&z=é" },
    { "/anything/%41%62c~-._", "/anything/Abc~-._" },
    { "/anything/x%2Fy?q=%7B%22k%22%7D", "/anything/x/y?q=%7B%22k%22%7D" },
    { "/get?a=b+c&d=%2B", "/get?a=b+c&d=+" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Response) response = { 0 };
      g_autoptr(JsonObject) object = NULL;
      g_autofree char *expected = make_url (fixture, cases[i][1]);

      request (fixture, "GET", cases[i][0], NULL, NULL, &response);
      g_assert_cmpuint (response.status, ==, SOUP_STATUS_OK);
      object = parse_object (response.body);
      g_assert_cmpstr (json_object_get_string_member (object, "url"), ==, expected);
    }
}

static void
test_redirect_to_shapes (Fixture       *fixture,
                         gconstpointer  data)
{
  static const char *const cases[][3] = {
    { "/redirect-to?URL=/get&Status_Code=307", "/get", "307" },
    { "/redirect-to?url=%2Fanything%2F%C3%A9%20x", "/anything/%C3%A9%20x", "302" },
    { "/redirect-to?url=/get&status_code=abc", "/get", "302" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Response) response = { 0 };

      request_full (fixture, "GET", cases[i][0], NULL, NULL, SOUP_MESSAGE_NO_REDIRECT, &response);
      g_assert_cmpuint (response.status, ==, g_ascii_strtoull (cases[i][2], NULL, 10));
      g_assert_cmpstr (soup_message_headers_get_one (response.headers, "Location"), ==,
                       cases[i][1]);
    }
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

#define ADD(name, func) \
  g_test_add ("/ladle/httpbin/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("get", test_get);
  ADD ("oauth-endpoints", test_oauth_endpoints);
  ADD ("cors", test_cors);
  ADD ("digest-auth", test_digest_auth);
  ADD ("range", test_range);
  ADD ("cache-etag", test_cache_etag);
  ADD ("more-documents", test_more_documents);
  ADD ("url-shape", test_url_shape);
  ADD ("redirect-to-shapes", test_redirect_to_shapes);
  ADD ("post-json", test_post_json);
  ADD ("post-text-and-binary", test_post_text_and_binary);
  ADD ("post-form", test_post_form);
  ADD ("post-multipart", test_post_multipart);
  ADD ("post-multipart-no-final-crlf", test_post_multipart_no_final_crlf);
  ADD ("body-too-large", test_body_too_large);
  ADD ("methods", test_methods);
  ADD ("anything", test_anything);
  ADD ("headers-ip-user-agent", test_headers_ip_user_agent);
  ADD ("status", test_status);
  ADD ("delay", test_delay);
  ADD ("bytes", test_bytes);
  ADD ("stream", test_stream);
  ADD ("drip", test_drip);
  ADD ("redirects", test_redirects);
  ADD ("cookies", test_cookies);
  ADD ("basic-auth", test_basic_auth);
  ADD ("bearer", test_bearer);
  ADD ("compressed", test_compressed);
  ADD ("uuid", test_uuid);
  ADD ("response-headers", test_response_headers);
  ADD ("sse", test_sse);
  ADD ("documents", test_documents);
  ADD ("not-found", test_not_found);
  ADD ("endpoints", test_endpoints);
  ADD ("disconnect-during-delay", test_disconnect_during_delay);
  ADD ("disconnect-during-sse", test_disconnect_during_sse);
  ADD ("shutdown-while-paused", test_shutdown_while_paused);

#undef ADD

  return ladle_test_run ();
}
