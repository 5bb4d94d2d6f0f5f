/* ladle-httpbin.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* httpbin-compatible endpoints, so that anything written against httpbin.org (postmanlabs/httpbin,
 * with a few go-httpbin additions such as /sse) works offline against Ladle's server.
 *
 * Compatibility notes:
 *  - JSON is pretty-printed with sorted keys and a trailing newline, as Flask's jsonify() does.
 *  - Echoed request header names are title-cased the way httpbin (werkzeug) presents them
 *    ("x-my-HEADER" becomes "X-My-Header"): libsoup already canonicalises the names of the
 *    headers it knows, so keeping the client's spelling could not be done consistently. Repeated
 *    headers are joined with "," (as werkzeug does). Headers of a proxy (X-Forwarded-For, Via...)
 *    are hidden unless the query has show_env, as httpbin does.
 *  - Repeated query arguments and form fields become arrays; single ones stay strings. Of two
 *    files under one field name only the first is shown, as httpbin (its MultiDict) does.
 *  - "url" is werkzeug's: the path decoded and quoted again, the query as sent; escapes of
 *    non-ASCII UTF-8 and of unreserved characters are decoded (an IRI).
 *  - Methods are Flask's: each route takes its methods, HEAD with GET, and OPTIONS (200 with
 *    Allow); others get 405 with Allow. Every answer carries httpbin's CORS headers
 *    (ladle_httpbin_add_cors_headers(), called by the server for every route).
 *  - "data" is the body as text when it is valid UTF-8, otherwise a data: URL in base64 (without
 *    the line breaks of Python's base64.encodebytes). For form bodies "data" is "" and "json" null.
 *  - /status refuses 1xx codes (400): a 1xx final answer would leave the client waiting forever.
 *
 * Threading: everything runs on the thread that owns the SoupServer, and every timer is attached
 * to that thread's thread-default GMainContext (never the global default one). A paused message
 * only notices that its client went away when it writes, so each timer is owned by a Pending
 * state that is torn down on the message's "finished" and "disconnected" signals, after which
 * the message is never touched again.
 */

#include "config.h"

#include "ladle-httpbin.h"
#include "ladle-httpbin-private.h"
#include "ladle-json.h"
#include "ladle-server-event.h"
#include "ladle-server-event-private.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#ifdef LADLE_HAVE_BROTLI
#include <brotli/encode.h>
#endif

#define MAX_DELAY_SECONDS   10.0
#define MAX_BYTES           (100 * 1024)
#define MAX_STREAM_LINES    100
#define MAX_DRIP_BYTES      (10 * 1024 * 1024)
#define MAX_DRIP_WRITES     1000
#define MAX_SSE_EVENTS      1000
#define DEFAULT_SSE_COUNT   10
#define DEFAULT_SSE_SECONDS 5.0
#define REDIRECT_LOCATION   "/redirect/1"
#define MAX_LINKS           200
#define DEFAULT_CHUNK_SIZE  (10 * 1024)
#define DIGEST_REALM        "me@kennethreitz.com"
#define ANY_METHOD          "GET, POST, PUT, DELETE, PATCH, TRACE"

static const LadleHttpbinEndpoint endpoints[] = {
  { "/get", N_("Echo the query arguments, headers, origin and URL (GET only)") },
  { "/post", N_("Echo the request including its body, form fields, files and JSON (POST only)") },
  { "/put", N_("Echo the request including its body (PUT only)") },
  { "/patch", N_("Echo the request including its body (PATCH only)") },
  { "/delete", N_("Echo the request including its body (DELETE only)") },
  { "/anything", N_("Echo the request and its method (GET, POST, PUT, PATCH, DELETE or TRACE)") },
  { "/anything/{path}", N_("Like /anything, for any sub-path") },
  { "/headers", N_("Return the request headers") },
  { "/ip", N_("Return the client’s address") },
  { "/user-agent", N_("Return the User-Agent header") },
  { "/status/{codes}", N_("Answer with a status code, picked at random from a comma-separated list") },
  { "/delay/{seconds}", N_("Echo the request after a delay of up to 10 seconds") },
  { "/bytes/{n}", N_("Return n random bytes (at most 100 KiB); ?seed= makes them repeatable") },
  { "/stream/{n}", N_("Stream n JSON lines (at most 100) with chunked encoding") },
  { "/drip", N_("Drip bytes over a duration: ?duration=2&numbytes=10&code=200&delay=0") },
  { "/redirect/{n}", N_("Redirect n times, then to /get") },
  { "/relative-redirect/{n}", N_("Redirect n times with relative Location headers") },
  { "/absolute-redirect/{n}", N_("Redirect n times with absolute Location headers") },
  { "/redirect-to", N_("Redirect to ?url= with ?status_code= (302 by default)") },
  { "/cookies", N_("Return the cookies the client sent") },
  { "/cookies/set", N_("Set the cookies given as query arguments, then redirect to /cookies") },
  { "/cookies/set/{name}/{value}", N_("Set one cookie, then redirect to /cookies") },
  { "/cookies/delete", N_("Expire the cookies named in the query, then redirect to /cookies") },
  { "/basic-auth/{user}/{passwd}", N_("Require HTTP Basic authentication with these credentials") },
  { "/hidden-basic-auth/{user}/{passwd}", N_("Like /basic-auth, but answer 404 instead of 401") },
  { "/bearer", N_("Require an “Authorization: Bearer” token") },
  { "/json", N_("Return a sample JSON document") },
  { "/html", N_("Return a small HTML page") },
  { "/xml", N_("Return a sample XML document") },
  { "/uuid", N_("Return a random version 4 UUID") },
  { "/gzip", N_("Return gzip-encoded JSON") },
  { "/deflate", N_("Return deflate-encoded JSON") },
  { "/response-headers", N_("Set the response headers given as query arguments and echo them") },
  { "/sse", N_("Send server-sent events: ?count=10&duration=5s&delay=0s") },
  { "/brotli", N_("Return brotli-encoded JSON") },
  { "/digest-auth/{qop}/{user}/{passwd}/{algorithm}/{stale_after}",
    N_("Require HTTP Digest authentication (qop auth or auth-int; MD5, SHA-256 or SHA-512)") },
  { "/stream-bytes/{n}", N_("Stream n random bytes (at most 100 KiB) in chunks of ?chunk_size=") },
  { "/range/{n}", N_("Serve n bytes (at most 100 KiB) that honour Range: 206, 416, ?chunk_size=, ?duration=") },
  { "/cache", N_("Answer 304 to If-Modified-Since or If-None-Match, else like /get") },
  { "/cache/{n}", N_("Like /get, with Cache-Control: public, max-age=n") },
  { "/etag/{etag}", N_("Like /get with this ETag, honouring If-None-Match and If-Match") },
  { "/base64/{value}", N_("Decode a base64url value and return it as text") },
  { "/links/{n}/{offset}", N_("An HTML page of n links to pages like itself") },
  { "/image", N_("Return an image of the type the Accept header asks for") },
  { "/image/{png,jpeg,webp,svg}", N_("Return a small image of this type") },
  { "/encoding/utf8", N_("Return a page of UTF-8 text in many scripts") },
  { "/forms/post", N_("Return an HTML form that posts to /post") },
  { "/robots.txt", N_("Return a robots.txt that disallows /deny") },
  { "/deny", N_("Return a page that robots.txt disallows") },
  /* Not httpbin's: the offline OAuth 2.0 / OpenID Connect provider of ladle-oauth-provider.c,
   * which the same server answers */
  { "/.well-known/openid-configuration",
    N_("OpenID Connect discovery: the offline OAuth 2.0 provider’s endpoints and grants") },
  { "/oauth/authorize",
    N_("OAuth 2.0: a consent page that redirects back with a code (PKCE checked)") },
  { "/oauth/token",
    N_("OAuth 2.0: issue tokens for every grant (POST; client secret “secret”, user “user”, "
       "password “passwd”)") },
  { "/oauth/device_authorization", N_("OAuth 2.0: issue a device code and a user code (POST)") },
  { "/oauth/device", N_("OAuth 2.0: the page where a user approves a device’s user code") },
  { "/oauth/userinfo", N_("OpenID Connect: return the claims of a Bearer access token") },
  { "/oauth/jwks", N_("Return the provider’s public key (JWKS) that signs its RS256 ID tokens") },
  { NULL, NULL }
};

static const char json_sample[] =
  "{\n"
  "  \"slideshow\": {\n"
  "    \"author\": \"Yours Truly\",\n"
  "    \"date\": \"date of publication\",\n"
  "    \"slides\": [\n"
  "      {\n"
  "        \"title\": \"Wake up to WonderWidgets!\",\n"
  "        \"type\": \"all\"\n"
  "      },\n"
  "      {\n"
  "        \"items\": [\n"
  "          \"Why <em>WonderWidgets</em> are great\",\n"
  "          \"Who <em>buys</em> WonderWidgets\"\n"
  "        ],\n"
  "        \"title\": \"Overview\",\n"
  "        \"type\": \"all\"\n"
  "      }\n"
  "    ],\n"
  "    \"title\": \"Sample Slide Show\"\n"
  "  }\n"
  "}\n";

static const char xml_sample[] =
  "<?xml version='1.0' encoding='us-ascii'?>\n"
  "\n"
  "<!--  A SAMPLE set of slides  -->\n"
  "\n"
  "<slideshow \n"
  "    title=\"Sample Slide Show\"\n"
  "    date=\"Date of publication\"\n"
  "    author=\"Yours Truly\"\n"
  "    >\n"
  "\n"
  "    <!-- TITLE SLIDE -->\n"
  "    <slide type=\"all\">\n"
  "      <title>Wake up to WonderWidgets!</title>\n"
  "    </slide>\n"
  "\n"
  "    <!-- OVERVIEW -->\n"
  "    <slide type=\"all\">\n"
  "        <title>Overview</title>\n"
  "        <item>Why <em>WonderWidgets</em> are great</item>\n"
  "        <item/>\n"
  "        <item>Who <em>buys</em> WonderWidgets</item>\n"
  "    </slide>\n"
  "\n"
  "</slideshow>";

static const char html_sample[] =
  "<!DOCTYPE html>\n"
  "<html>\n"
  "  <head>\n"
  "    <meta charset=\"utf-8\">\n"
  "    <title>Moby-Dick</title>\n"
  "  </head>\n"
  "  <body>\n"
  "    <h1>Herman Melville - Moby-Dick</h1>\n"
  "    <div>\n"
  "      <p>\n"
  "        Call me Ishmael. Some years ago—never mind how long precisely—having little or no\n"
  "        money in my purse, and nothing particular to interest me on shore, I thought I would\n"
  "        sail about a little and see the watery part of the world.\n"
  "      </p>\n"
  "    </div>\n"
  "  </body>\n"
  "</html>\n";

static const char robots_txt[] =
  "User-agent: *\n"
  "Disallow: /deny\n";

static const char deny_text[] =
  "\n"
  "      .--------.\n"
  "     /  .    .  \\\n"
  "    |     __     |\n"
  "     \\  /  \\   /\n"
  "      '--------'\n"
  "   YOU SHOULDN'T BE HERE\n";

/* httpbin hides these, which its hosting added, unless the query has show_env */
static const char * const env_headers[] = {
  "X-Varnish", "X-Request-Start", "X-Heroku-Queue-Depth", "X-Real-Ip", "X-Forwarded-Proto",
  "X-Forwarded-Protocol", "X-Forwarded-Ssl", "X-Heroku-Queue-Wait-Time", "X-Forwarded-For",
  "X-Heroku-Dynos-In-Use", "X-Forwarded-Port", "X-Request-Id", "Via", "Total-Route-Time",
  "Connect-Time", NULL
};

static const char * const env_cookies[] = {
  "_gauges_unique", "_gauges_unique_year", "_gauges_unique_month", "_gauges_unique_day",
  "_gauges_unique_hour", "__utmz", "__utma", "__utmb", NULL
};

static const char teapot[] =
  "\n"
  "    -=[ teapot ]=-\n"
  "\n"
  "       _...._\n"
  "     .'  _ _ `.\n"
  "    | .\"` ^ `\". _,\n"
  "    \\_;`\"---\"`|//\n"
  "      |       ;/\n"
  "      \\_     _/\n"
  "        `\"\"\"`\n";

typedef enum
{
  ECHO_URL     = 1 << 0,
  ECHO_ARGS    = 1 << 1,
  ECHO_HEADERS = 1 << 2,
  ECHO_ORIGIN  = 1 << 3,
  ECHO_METHOD  = 1 << 4,
  ECHO_BODY    = 1 << 5, /* "data", "files", "form" and "json" */
  ECHO_NO_JSON = 1 << 6, /* without "json" (/delay) */
} EchoFlags;

#define ECHO_GET       (ECHO_URL | ECHO_ARGS | ECHO_HEADERS | ECHO_ORIGIN)
#define ECHO_WITH_BODY (ECHO_GET | ECHO_BODY)

typedef struct
{
  SoupServerMessage         *msg;
  const LadleHttpbinOptions *options;
  const char                *method;
  GUri                      *uri;
  SoupMessageHeaders        *request_headers;
  GHashTable                *args; /* name → GPtrArray of values, repeated keys kept */
} Request;

/* ---------------------------------------------------------------------------------------------
 * Small helpers
 */

static char *
take_utf8 (char *str)
{
  char *valid;

  if (g_utf8_validate (str, -1, NULL))
    return str;

  valid = g_utf8_make_valid (str, -1);
  g_free (str);
  return valid;
}

static GHashTable *
multimap_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                (GDestroyNotify) g_ptr_array_unref);
}

static void
multimap_add (GHashTable *map,
              const char *key,
              char       *value)
{
  GPtrArray *values = g_hash_table_lookup (map, key);

  if (values == NULL)
    {
      values = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (map, g_strdup (key), values);
    }
  g_ptr_array_add (values, value);
}

static const char *
multimap_get_first (GHashTable *map,
                    const char *key)
{
  GPtrArray *values = g_hash_table_lookup (map, key);

  return values != NULL && values->len > 0 ? g_ptr_array_index (values, 0) : NULL;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Keys sorted (as jsonify does); a single value stays a string, repeated ones become an array
 * (httpbin's semiflatten). */
static JsonNode *
multimap_to_node (GHashTable *map)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autofree const char **keys = NULL;
  JsonNode *node;
  guint n_keys;

  keys = (const char **) g_hash_table_get_keys_as_array (map, &n_keys);
  qsort (keys, n_keys, sizeof (char *), compare_strings);

  for (guint i = 0; i < n_keys; i++)
    {
      GPtrArray *values = g_hash_table_lookup (map, keys[i]);

      if (values->len == 1)
        {
          json_object_set_string_member (object, keys[i], g_ptr_array_index (values, 0));
        }
      else
        {
          JsonArray *array = json_array_sized_new (values->len);

          for (guint j = 0; j < values->len; j++)
            json_array_add_string_element (array, g_ptr_array_index (values, j));
          json_object_set_array_member (object, keys[i], array);
        }
    }

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, object);
  return node;
}

static char *
form_unescape (const char *str,
               gsize       len)
{
  g_autofree char *copy = g_strndup (str, len);
  char *unescaped;

  g_strdelimit (copy, "+", ' ');
  unescaped = g_uri_unescape_string (copy, NULL);
  /* Malformed escapes are kept as sent rather than dropped. */
  if (unescaped == NULL)
    return take_utf8 (g_steal_pointer (&copy));
  return take_utf8 (unescaped);
}

/* application/x-www-form-urlencoded, keeping repeated keys (soup_form_decode() does not). */
static void
parse_urlencoded (GHashTable *map,
                  const char *data,
                  gsize       len)
{
  const char *end = data + len;
  const char *p = data;

  while (p < end)
    {
      const char *amp = memchr (p, '&', end - p);
      const char *pair_end = amp != NULL ? amp : end;
      const char *eq = memchr (p, '=', pair_end - p);
      g_autofree char *key = NULL;
      char *value;

      if (pair_end > p)
        {
          if (eq != NULL)
            {
              key = form_unescape (p, eq - p);
              value = form_unescape (eq + 1, pair_end - eq - 1);
            }
          else
            {
              key = form_unescape (p, pair_end - p);
              value = g_strdup ("");
            }
          multimap_add (map, key, value);
        }

      p = pair_end + 1;
    }
}

/* httpbin's json_safe(): text when it is valid UTF-8, a base64 data: URL otherwise. */
static char *
json_safe (const char *data,
           gsize       len,
           const char *content_type)
{
  g_autofree char *base64 = NULL;

  if (g_utf8_validate_len (data, len, NULL))
    return g_strndup (data, len);

  base64 = g_base64_encode ((const guchar *) data, len);
  return g_strdup_printf ("data:%s;base64,%s",
                          content_type != NULL ? content_type : "application/octet-stream",
                          base64);
}

/* Python's str.title(), which is what httpbin shows: "x-b3-traceid" → "X-B3-Traceid". */
static char *
title_case (const char *name)
{
  GString *str = g_string_sized_new (strlen (name));
  gboolean upper_next = TRUE;

  for (const char *p = name; *p != '\0'; p++)
    {
      if (g_ascii_isalpha (*p))
        {
          g_string_append_c (str, upper_next ? g_ascii_toupper (*p) : g_ascii_tolower (*p));
          upper_next = FALSE;
        }
      else
        {
          g_string_append_c (str, *p);
          upper_next = TRUE;
        }
    }

  return g_string_free (str, FALSE);
}

static gboolean
is_token (const char *str)
{
  if (str == NULL || *str == '\0')
    return FALSE;

  for (const char *p = str; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr ("!#$%&'*+-.^_`|~", *p) == NULL)
        return FALSE;
    }

  return TRUE;
}

static gboolean
is_header_value (const char *str)
{
  for (const char *p = str; *p != '\0'; p++)
    {
      if (*p == '\r' || *p == '\n')
        return FALSE;
    }

  return TRUE;
}

static gboolean
parse_count (const char *str,
             guint64     max,
             guint64    *out)
{
  return str != NULL && g_ascii_string_to_unsigned (str, 10, 0, max, out, NULL);
}

/* Seconds as httpbin takes them ("1.5"), or a Go-style duration as go-httpbin does ("1500ms",
 * "1.5s", "1m"). */
static gboolean
parse_duration (const char *str,
                gint64     *out_usec)
{
  char *end = NULL;
  double value;

  if (str == NULL || *str == '\0' || g_ascii_isspace (*str))
    return FALSE;

  value = g_ascii_strtod (str, &end);
  if (end == str || !isfinite (value) || value < 0)
    return FALSE;

  if (*end == '\0' || g_str_equal (end, "s"))
    value *= G_USEC_PER_SEC;
  else if (g_str_equal (end, "ms"))
    value *= 1000;
  else if (g_str_equal (end, "m"))
    value *= 60 * G_USEC_PER_SEC;
  else
    return FALSE;

  /* Every caller caps far lower; this only keeps the conversion defined. */
  value = MIN (value, 3600.0 * G_USEC_PER_SEC);

  *out_usec = (gint64) value;
  return TRUE;
}

/* ---------------------------------------------------------------------------------------------
 * Responses
 */

static void
respond_node (SoupServerMessage *msg,
              guint              status,
              JsonNode          *root)
{
  gsize len = 0;
  char *text = ladle_json_to_pretty (root, &len);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, len);
}

static void
respond_object (SoupServerMessage *msg,
                guint              status,
                JsonObject        *object)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (root, object);
  respond_node (msg, status, root);
}

/* Errors in go-httpbin's shape. */
static void
respond_error (SoupServerMessage *msg,
               guint              status,
               const char        *detail)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_string_member (object, "detail", detail);
  json_object_set_string_member (object, "error", soup_status_get_phrase (status));
  json_object_set_int_member (object, "status_code", status);
  respond_object (msg, status, object);
}

static void
respond_static (SoupServerMessage *msg,
                const char        *content_type,
                const char        *data,
                gsize              len)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_STATIC, data, len);
}

static void
respond_redirect (SoupServerMessage *msg,
                  guint              status,
                  const char        *location)
{
  /* Not soup_server_message_set_redirect(): it makes the Location absolute, and
   * /relative-redirect must send it as given. */
  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Location", location);
}

/* ---------------------------------------------------------------------------------------------
 * The echo shape: args, headers, origin, url, method, data, form, files, json
 */

static JsonNode *
build_headers (Request *req)
{
  gboolean show_env = g_hash_table_contains (req->args, "show_env");
  g_autoptr(GHashTable) joined = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) map = multimap_new ();
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;

  soup_message_headers_iter_init (&iter, req->request_headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      g_autofree char *title = title_case (name);
      GPtrArray *values;

      if (!show_env && g_strv_contains (env_headers, title))
        continue;
      multimap_add (map, title, g_strdup (value));
      values = g_hash_table_lookup (map, title);
      if (values->len > 1)
        g_hash_table_add (joined, g_strdup (title));
    }

  /* httpbin shows repeated headers as one value, joined the way werkzeug joins them. */
  if (g_hash_table_size (joined) > 0)
    {
      GHashTableIter hiter;
      gpointer key;

      g_hash_table_iter_init (&hiter, joined);
      while (g_hash_table_iter_next (&hiter, &key, NULL))
        {
          GPtrArray *values = g_hash_table_lookup (map, key);
          GPtrArray *one = g_ptr_array_new_with_free_func (g_free);

          g_ptr_array_add (values, NULL);
          g_ptr_array_add (one, g_strjoinv (",", (char **) values->pdata));
          g_hash_table_insert (map, g_strdup (key), one);
        }
    }

  /* Header values are bytes on the wire; JSON wants UTF-8. */
  {
    GHashTableIter hiter;
    gpointer values;

    g_hash_table_iter_init (&hiter, map);
    while (g_hash_table_iter_next (&hiter, NULL, &values))
      {
        GPtrArray *array = values;

        for (guint i = 0; i < array->len; i++)
          array->pdata[i] = take_utf8 (array->pdata[i]);
      }
  }

  return multimap_to_node (map);
}

static const char *
get_origin (Request *req)
{
  const char *forwarded = soup_message_headers_get_list (req->request_headers, "X-Forwarded-For");
  const char *host = _ladle_server_message_get_peer (req->msg);

  if (forwarded != NULL)
    return forwarded;

  return host != NULL ? host : "";
}

/* Returns FALSE after answering 413 when the body is larger than allowed. */
static gboolean
add_body_members (Request    *req,
                  JsonObject *object)
{
  SoupMessageBody *request_body = soup_server_message_get_request_body (req->msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (request_body);
  g_autoptr(GHashTable) form = multimap_new ();
  g_autoptr(GHashTable) files = multimap_new ();
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *data = NULL;
  JsonNode *json = NULL;
  const char *content_type;
  const char *bytes;
  gsize len;

  bytes = g_bytes_get_data (body, &len);
  if (req->options->max_body_size > 0 && len > req->options->max_body_size)
    {
      respond_error (req->msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                     _("The request body is larger than the server accepts."));
      return FALSE;
    }

  content_type = soup_message_headers_get_content_type (req->request_headers, &params);

  if (content_type != NULL &&
      g_ascii_strcasecmp (content_type, "application/x-www-form-urlencoded") == 0)
    {
      parse_urlencoded (form, bytes, len);
    }
  else if (content_type != NULL &&
           g_ascii_strcasecmp (content_type, "multipart/form-data") == 0 &&
           len > 0)
    {
      g_autoptr(SoupMultipart) multipart = NULL;

      multipart = soup_multipart_new_from_message (req->request_headers, body);
      if (multipart == NULL && len >= 2 && memcmp (bytes + len - 2, "--", 2) == 0)
        {
          /* libsoup 3.2 wants a line break after the closing delimiter, which RFC 2046 does not
           * ask for: httpyac and JetBrains' client end the body at "--BOUNDARY--"
           * (doc/STACK.md §15) */
          g_autoptr(GByteArray) completed = g_byte_array_sized_new (len + 2);
          g_autoptr(GBytes) completed_body = NULL;

          g_byte_array_append (completed, (const guint8 *) bytes, len);
          g_byte_array_append (completed, (const guint8 *) "\r\n", 2);
          completed_body = g_byte_array_free_to_bytes (g_steal_pointer (&completed));
          multipart = soup_multipart_new_from_message (req->request_headers, completed_body);
        }
      if (multipart == NULL)
        {
          respond_error (req->msg, SOUP_STATUS_BAD_REQUEST,
                         _("The multipart request body could not be parsed."));
          return FALSE;
        }

      for (int i = 0; i < soup_multipart_get_length (multipart); i++)
        {
          g_autoptr(GHashTable) disposition_params = NULL;
          SoupMessageHeaders *part_headers;
          GBytes *part_body;
          const char *part_data;
          const char *name;
          gsize part_len;

          if (!soup_multipart_get_part (multipart, i, &part_headers, &part_body))
            continue;
          if (!soup_message_headers_get_content_disposition (part_headers, NULL,
                                                             &disposition_params))
            continue;
          name = g_hash_table_lookup (disposition_params, "name");
          if (name == NULL)
            continue;

          part_data = g_bytes_get_data (part_body, &part_len);
          if (g_hash_table_contains (disposition_params, "filename"))
            {
              const char *part_type;

              /* httpbin shows the first file of a field only */
              if (g_hash_table_contains (files, name))
                continue;
              part_type = soup_message_headers_get_content_type (part_headers, NULL);
              multimap_add (files, name, json_safe (part_data, part_len, part_type));
            }
          else
            {
              g_autofree char *text = g_strndup (part_data, part_len);

              multimap_add (form, name, g_utf8_make_valid (text, part_len));
            }
        }
    }
  else
    {
      data = json_safe (bytes, len, NULL);

      if (len > 0 && g_utf8_validate_len (bytes, len, NULL))
        {
          g_autoptr(JsonParser) parser = json_parser_new ();

          if (ladle_json_parser_load (parser, bytes, len, NULL))
            json = json_parser_steal_root (parser);
        }
    }

  json_object_set_string_member (object, "data", data != NULL ? data : "");
  json_object_set_member (object, "files", multimap_to_node (files));
  json_object_set_member (object, "form", multimap_to_node (form));
  if (json != NULL)
    json_object_set_member (object, "json", json);
  else
    json_object_set_null_member (object, "json");

  return TRUE;
}

static gboolean
is_always_safe (guchar c)
{
  /* werkzeug's _always_safe */
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("-._~$!'()*+,;", c) != NULL);
}

/* werkzeug's uri_to_iri() on text that is already quoted: escapes of unreserved characters and
 * of non-ASCII UTF-8 sequences are decoded, the others kept; invalid UTF-8 stays escaped. */
static void
append_iri (GString    *out,
            const char *text)
{
  const char *p = text;

  while (*p != '\0')
    {
      int hi;
      int lo;

      if (*p == '%' && (hi = g_ascii_xdigit_value (p[1])) >= 0 &&
          (lo = g_ascii_xdigit_value (p[2])) >= 0)
        {
          guchar c = (guchar) (hi << 4 | lo);

          if (c < 0x80)
            {
              if (is_always_safe (c))
                g_string_append_c (out, c);
              else
                g_string_append_len (out, p, 3);
              p += 3;
              continue;
            }
          else
            {
              /* A run of escaped bytes; the valid UTF-8 in it is decoded */
              GString *bytes = g_string_new (NULL);
              const char *q = p;
              const char *valid_end;
              const char *b;

              while (*q == '%' && (hi = g_ascii_xdigit_value (q[1])) >= 0 &&
                     (lo = g_ascii_xdigit_value (q[2])) >= 0 && (hi << 4 | lo) >= 0x80)
                {
                  g_string_append_c (bytes, (char) (hi << 4 | lo));
                  q += 3;
                }

              b = bytes->str;
              while (b < bytes->str + bytes->len)
                {
                  if (g_utf8_validate_len (b, bytes->str + bytes->len - b, &valid_end))
                    valid_end = bytes->str + bytes->len;
                  g_string_append_len (out, b, valid_end - b);
                  b = valid_end;
                  if (b < bytes->str + bytes->len)
                    {
                      g_string_append_printf (out, "%%%02X", (guchar) *b);
                      b++;
                    }
                }
              g_string_free (bytes, TRUE);
              p = q;
              continue;
            }
        }

      g_string_append_c (out, *p);
      p++;
    }
}

/* werkzeug's request.url (httpbin's "url"): the decoded path quoted again (unreserved characters,
 * "/" and ":" as they are), the query as sent with what is not allowed in it quoted, and the whole
 * made an IRI. Non-ASCII bytes that came unescaped are taken as UTF-8. */
static char *
build_url (Request *req)
{
  g_autofree char *path = g_uri_unescape_string (g_uri_get_path (req->uri), NULL);
  const char *raw_path = g_uri_get_path (req->uri);
  const char *query = g_uri_get_query (req->uri);
  const char *proto = soup_message_headers_get_one (req->request_headers, "X-Forwarded-Proto");
  const char *host = g_uri_get_host (req->uri);
  int port = g_uri_get_port (req->uri);
  GString *out = g_string_new (NULL);
  GString *quoting = g_string_new (NULL);

  if (proto == NULL)
    proto = soup_message_headers_get_one (req->request_headers, "X-Forwarded-Protocol");
  if (proto == NULL &&
      g_strcmp0 (soup_message_headers_get_one (req->request_headers, "X-Forwarded-Ssl"), "on") == 0)
    proto = "https";
  if (proto == NULL)
    proto = g_uri_get_scheme (req->uri);

  g_string_append_printf (out, "%s://", proto);
  if (host != NULL && strchr (host, ':') != NULL)
    g_string_append_printf (out, "[%s]", host);
  else
    g_string_append (out, host != NULL ? host : "");
  if (port > 0 && !(port == 80 && g_str_equal (g_uri_get_scheme (req->uri), "http")) &&
      !(port == 443 && g_str_equal (g_uri_get_scheme (req->uri), "https")))
    g_string_append_printf (out, ":%d", port);

  /* A malformed escape stays as sent */
  for (const guchar *p = (const guchar *) (path != NULL ? path : raw_path); *p != '\0'; p++)
    {
      if (is_always_safe (*p) || *p == '/' || *p == ':')
        g_string_append_c (quoting, *p);
      else
        g_string_append_printf (quoting, "%%%02X", *p);
    }
  if (query != NULL && *query != '\0')
    {
      g_string_append_c (quoting, '?');
      for (const guchar *p = (const guchar *) query; *p != '\0'; p++)
        {
          if (is_always_safe (*p) || strchr (":&%=+$!*'(),", *p) != NULL)
            g_string_append_c (quoting, *p);
          else
            g_string_append_printf (quoting, "%%%02X", *p);
        }
    }

  append_iri (out, quoting->str);
  g_string_free (quoting, TRUE);
  return g_string_free (out, FALSE);
}

/* Members are added in sorted order so that the output matches jsonify's sort_keys. Returns
 * NULL after answering an error. */
static JsonObject *
build_echo (Request   *req,
            EchoFlags  flags)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonObject) body = NULL;

  if ((flags & ECHO_BODY) != 0)
    {
      body = json_object_new ();
      if (!add_body_members (req, body))
        return NULL;
    }

  if ((flags & ECHO_ARGS) != 0)
    json_object_set_member (object, "args", multimap_to_node (req->args));
  if (body != NULL)
    {
      json_object_set_member (object, "data", json_object_dup_member (body, "data"));
      json_object_set_member (object, "files", json_object_dup_member (body, "files"));
      json_object_set_member (object, "form", json_object_dup_member (body, "form"));
    }
  if ((flags & ECHO_HEADERS) != 0)
    json_object_set_member (object, "headers", build_headers (req));
  if (body != NULL && (flags & ECHO_NO_JSON) == 0)
    json_object_set_member (object, "json", json_object_dup_member (body, "json"));
  if ((flags & ECHO_METHOD) != 0)
    json_object_set_string_member (object, "method", req->method);
  if ((flags & ECHO_ORIGIN) != 0)
    json_object_set_string_member (object, "origin", get_origin (req));
  if ((flags & ECHO_URL) != 0)
    {
      g_autofree char *url = build_url (req);

      json_object_set_string_member (object, "url", url);
    }

  return g_steal_pointer (&object);
}

static void
respond_echo (Request   *req,
              EchoFlags  flags)
{
  g_autoptr(JsonObject) object = build_echo (req, flags);

  if (object != NULL)
    respond_object (req->msg, SOUP_STATUS_OK, object);
}

/* ---------------------------------------------------------------------------------------------
 * Paused responses: /delay, /drip, /sse
 *
 * One GSource drives each paused message from the request to its last write. It owns the
 * Pending state (its destroy notify frees it), so the state lives exactly as long as the timer:
 * "finished"/"disconnected" destroy the source, which frees the state, which drops its reference
 * on the message and disconnects from it. The source is a bare ready-time source rather than a
 * g_timeout_source_new() so that one source can serve a first delay and then a regular interval.
 */

typedef enum
{
  PENDING_DELAY,
  PENDING_DRIP,
  PENDING_SSE,
  PENDING_CHUNKS,
} PendingKind;

typedef struct
{
  /* Owned references */
  SoupServerMessage *msg;

  /* Borrowed references: the source owns this state */
  GSource           *source;

  gulong             finished_id;
  gulong             disconnected_id;
  gboolean           finished;
  PendingKind        kind;
  guint64            remaining;   /* drip: bytes still to send; sse: events still to send */
  guint64            per_write;   /* drip: bytes per write */
  guint              next_id;     /* sse */
  gint64             interval_us;
  GBytes            *data;        /* chunks: what to send */
} Pending;

static gboolean
pending_source_dispatch (GSource     *source,
                         GSourceFunc  callback,
                         gpointer     user_data)
{
  if (callback == NULL)
    return G_SOURCE_REMOVE;

  return callback (user_data);
}

static GSourceFuncs pending_source_funcs = {
  .dispatch = pending_source_dispatch,
};

static void
pending_free (gpointer data)
{
  Pending *self = data;

  g_clear_signal_handler (&self->finished_id, self->msg);
  g_clear_signal_handler (&self->disconnected_id, self->msg);
  g_clear_object (&self->msg);
  g_clear_pointer (&self->data, g_bytes_unref);
  g_free (self);
}

static void
pending_done_cb (SoupServerMessage *msg,
                 Pending           *self)
{
  g_assert (SOUP_IS_SERVER_MESSAGE (msg));

  self->finished = TRUE;
  /* Frees @self unless the source is dispatching right now. */
  g_source_destroy (self->source);
}

static gboolean
pending_tick_cb (gpointer data)
{
  Pending *self = data;
  SoupMessageBody *body;
  gboolean done = FALSE;

  if (self->finished)
    return G_SOURCE_REMOVE;

  body = soup_server_message_get_response_body (self->msg);

  switch (self->kind)
    {
    case PENDING_DELAY:
      /* The response was set when the request came in. */
      done = TRUE;
      break;

    case PENDING_DRIP:
      {
        gsize n = MIN (self->per_write, self->remaining);
        char *chunk = g_malloc (n);

        memset (chunk, '*', n);
        soup_message_body_append (body, SOUP_MEMORY_TAKE, chunk, n);
        self->remaining -= n;
        done = self->remaining == 0;
      }
      break;

    case PENDING_SSE:
      {
        char *event;

        event = g_strdup_printf ("id: %u\nevent: ping\ndata: {\"id\":%u,\"timestamp\":%"
                                 G_GINT64_FORMAT "}\n\n",
                                 self->next_id, self->next_id, g_get_real_time () / 1000);
        soup_message_body_append (body, SOUP_MEMORY_TAKE, event, strlen (event));
        self->next_id++;
        self->remaining--;
        done = self->remaining == 0;
      }
      break;

    case PENDING_CHUNKS:
      {
        gsize size = g_bytes_get_size (self->data);
        gsize n = MIN (self->per_write, self->remaining);
        g_autoptr(GBytes) chunk = g_bytes_new_from_bytes (self->data, size - self->remaining, n);

        soup_message_body_append_bytes (body, chunk);
        self->remaining -= n;
        done = self->remaining == 0;
      }
      break;

    default:
      g_assert_not_reached ();
    }

  if (done && self->kind != PENDING_DELAY)
    soup_message_body_complete (body);

  /* Never re-entrant: the I/O resumes from an idle source of the message's own context. */
  soup_server_message_unpause (self->msg);

  if (done)
    return G_SOURCE_REMOVE;

  g_source_set_ready_time (self->source,
                           g_source_get_ready_time (self->source) + self->interval_us);
  return G_SOURCE_CONTINUE;
}

/* Takes over a message whose status and headers are set: pauses it, and runs the first tick
 * after @first_delay_us on the thread-default main context. */
static void
pending_start (Pending *self,
               gint64   first_delay_us)
{
  GSource *source;

  self->msg = g_object_ref (self->msg);
  self->finished_id = g_signal_connect (self->msg, "finished",
                                        G_CALLBACK (pending_done_cb), self);
  self->disconnected_id = g_signal_connect (self->msg, "disconnected",
                                            G_CALLBACK (pending_done_cb), self);

  soup_server_message_pause (self->msg);

  source = g_source_new (&pending_source_funcs, sizeof (GSource));
  g_source_set_static_name (source, "[ladle] httpbin paused response");
  g_source_set_callback (source, pending_tick_cb, self, pending_free);
  g_source_set_ready_time (source, g_get_monotonic_time () + first_delay_us);
  self->source = source;
  g_source_attach (source, g_main_context_get_thread_default ());
  g_source_unref (source);
}

/* ---------------------------------------------------------------------------------------------
 * Endpoints
 */

static gboolean
handle_get (Request    *req,
            const char *rest)
{
  respond_echo (req, ECHO_GET);
  return TRUE;
}

static gboolean
handle_post (Request    *req,
             const char *rest)
{
  respond_echo (req, ECHO_WITH_BODY);
  return TRUE;
}

static gboolean
handle_put (Request    *req,
            const char *rest)
{
  respond_echo (req, ECHO_WITH_BODY);
  return TRUE;
}

static gboolean
handle_patch (Request    *req,
              const char *rest)
{
  respond_echo (req, ECHO_WITH_BODY);
  return TRUE;
}

static gboolean
handle_delete (Request    *req,
               const char *rest)
{
  respond_echo (req, ECHO_WITH_BODY);
  return TRUE;
}

static gboolean
handle_anything (Request    *req,
                 const char *rest)
{
  respond_echo (req, ECHO_WITH_BODY | ECHO_METHOD);
  return TRUE;
}

static gboolean
handle_headers (Request    *req,
                const char *rest)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_member (object, "headers", build_headers (req));
  respond_object (req->msg, SOUP_STATUS_OK, object);
  return TRUE;
}

static gboolean
handle_ip (Request    *req,
           const char *rest)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_string_member (object, "origin", get_origin (req));
  respond_object (req->msg, SOUP_STATUS_OK, object);
  return TRUE;
}

static gboolean
handle_user_agent (Request    *req,
                   const char *rest)
{
  g_autoptr(JsonObject) object = json_object_new ();
  const char *user_agent = soup_message_headers_get_one (req->request_headers, "User-Agent");

  if (user_agent != NULL)
    json_object_set_string_member (object, "user-agent", user_agent);
  else
    json_object_set_null_member (object, "user-agent");
  respond_object (req->msg, SOUP_STATUS_OK, object);
  return TRUE;
}

static void
respond_status (Request *req,
                guint    code)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (req->msg);

  soup_server_message_set_status (req->msg, code, NULL);

  switch (code)
    {
    case 301:
    case 302:
    case 303:
    case 305:
    case 307:
      soup_message_headers_replace (headers, "Location", REDIRECT_LOCATION);
      break;

    case 401:
      soup_message_headers_replace (headers, "WWW-Authenticate", "Basic realm=\"Fake Realm\"");
      break;

    case 402:
      soup_message_headers_replace (headers, "X-More-Info", "http://vimeo.com/22053820");
      /* httpbin's status answers replace all headers: no Content-Type */
      soup_message_body_append (soup_server_message_get_response_body (req->msg),
                                SOUP_MEMORY_STATIC, "Pay me!", strlen ("Pay me!"));
      break;

    case 406:
      {
        static const char *const accepted[] = {
          "image/webp", "image/svg+xml", "image/jpeg", "image/png", "image/*",
        };
        g_autoptr(JsonObject) object = json_object_new ();
        JsonArray *accept = json_array_new ();

        for (gsize i = 0; i < G_N_ELEMENTS (accepted); i++)
          json_array_add_string_element (accept, accepted[i]);
        json_object_set_array_member (object, "accept", accept);
        json_object_set_string_member (object, "message",
                                       "Client did not request a supported media type.");
        respond_object (req->msg, code, object);
      }
      break;

    case 407:
      soup_message_headers_replace (headers, "Proxy-Authenticate", "Basic realm=\"Fake Realm\"");
      break;

    case 418:
      soup_message_headers_replace (headers, "X-More-Info", "http://tools.ietf.org/html/rfc2324");
      soup_message_body_append (soup_server_message_get_response_body (req->msg),
                                SOUP_MEMORY_STATIC, teapot, strlen (teapot));
      break;

    default:
      break;
    }
}

/* "/status/418", "/status/200,500" or weighted "/status/200:0.9,500:0.1", as httpbin. */
static gboolean
handle_status (Request    *req,
               const char *rest)
{
  g_auto(GStrv) choices = g_strsplit (rest, ",", -1);
  g_autoptr(GArray) codes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) weights = g_array_new (FALSE, FALSE, sizeof (double));
  double total = 0;
  double pick;
  guint code;

  for (guint i = 0; choices[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (choices[i], ":", 2);
      guint64 value;
      double weight = 1.0;

      if (!parse_count (parts[0], 999, &value) || value < 200 || value > 599)
        {
          respond_error (req->msg, SOUP_STATUS_BAD_REQUEST, _("Invalid status code."));
          return TRUE;
        }
      if (parts[1] != NULL)
        {
          char *end = NULL;

          weight = g_ascii_strtod (parts[1], &end);
          if (end == parts[1] || *end != '\0' || !isfinite (weight) || weight < 0)
            {
              respond_error (req->msg, SOUP_STATUS_BAD_REQUEST, _("Invalid status code."));
              return TRUE;
            }
        }

      code = value;
      g_array_append_val (codes, code);
      g_array_append_val (weights, weight);
      total += weight;
    }

  code = g_array_index (codes, guint, codes->len - 1);
  pick = g_random_double () * total;
  for (guint i = 0; i < codes->len; i++)
    {
      double weight = g_array_index (weights, double, i);

      if (pick < weight)
        {
          code = g_array_index (codes, guint, i);
          break;
        }
      pick -= weight;
    }

  respond_status (req, code);
  return TRUE;
}

static gboolean
handle_delay (Request    *req,
              const char *rest)
{
  Pending *pending;
  gint64 delay_us;

  if (!parse_duration (rest, &delay_us))
    {
      respond_error (req->msg, SOUP_STATUS_BAD_REQUEST, _("Invalid delay."));
      return TRUE;
    }
  delay_us = MIN (delay_us, (gint64) (MAX_DELAY_SECONDS * G_USEC_PER_SEC));

  /* httpbin's /delay echoes like /anything minus "method" and "json". */
  respond_echo (req, ECHO_WITH_BODY | ECHO_NO_JSON);
  if (soup_server_message_get_status (req->msg) != SOUP_STATUS_OK)
    return TRUE;

  pending = g_new0 (Pending, 1);
  pending->msg = req->msg;
  pending->kind = PENDING_DELAY;
  pending_start (pending, delay_us);
  return TRUE;
}

static gboolean
handle_bytes (Request    *req,
              const char *rest)
{
  g_autoptr(GRand) rand = NULL;
  const char *seed_arg;
  guint64 n;
  guint8 *data;

  if (!parse_count (rest, G_MAXUINT64, &n))
    {
      respond_error (req->msg, SOUP_STATUS_BAD_REQUEST, _("Invalid number of bytes."));
      return TRUE;
    }
  n = MIN (n, MAX_BYTES);

  seed_arg = multimap_get_first (req->args, "seed");
  if (seed_arg != NULL)
    {
      gint64 seed;
      guint32 seed_array[2];

      if (!g_ascii_string_to_signed (seed_arg, 10, G_MININT64, G_MAXINT64, &seed, NULL))
        {
          respond_error (req->msg, SOUP_STATUS_BAD_REQUEST, _("Invalid seed."));
          return TRUE;
        }
      seed_array[0] = (guint32) ((guint64) seed & 0xffffffff);
      seed_array[1] = (guint32) ((guint64) seed >> 32);
      rand = g_rand_new_with_seed_array (seed_array, G_N_ELEMENTS (seed_array));
    }
  else
    {
      rand = g_rand_new ();
    }

  data = g_malloc (MAX (n, 1));
  for (guint64 i = 0; i < n; i++)
    data[i] = (guint8) g_rand_int_range (rand, 0, 256);

  soup_server_message_set_status (req->msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (req->msg, "application/octet-stream", SOUP_MEMORY_TAKE,
                                    (const char *) data, n);
  return TRUE;
}

static gboolean
handle_stream (Request    *req,
               const char *rest)
{
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (req->msg);
  SoupMessageBody *body = soup_server_message_get_response_body (req->msg);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonObject) object = NULL;
  guint64 n;

  if (!parse_count (rest, G_MAXUINT64, &n))
    {
      respond_error (req->msg, SOUP_STATUS_BAD_REQUEST, _("Invalid number of lines."));
      return TRUE;
    }
  n = MIN (n, MAX_STREAM_LINES);

  object = build_echo (req, ECHO_GET);
  g_assert (object != NULL);

  soup_server_message_set_status (req->msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (response_headers, "application/json", NULL);
  soup_message_headers_set_encoding (response_headers, SOUP_ENCODING_CHUNKED);

  /* Each line is its own chunk; with no delay between them there is nothing to pause for. */
  for (guint64 i = 0; i < n; i++)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
      GString *line;
      gsize len;

      json_object_set_int_member (object, "id", i);
      json_node_set_object (root, object);
      json_generator_set_root (generator, root);
      line = json_generator_to_gstring (generator, g_string_new (NULL));
      g_string_append_c (line, '\n');
      len = line->len;
      soup_message_body_append (body, SOUP_MEMORY_TAKE, g_string_free (line, FALSE), len);
    }
  soup_message_body_complete (body);
  return TRUE;
}

static gboolean
get_duration_arg (Request    *req,
                  const char *name,
                  gint64      default_us,
                  gint64     *out_us)
{
  const char *value = multimap_get_first (req->args, name);

  if (value == NULL)
    {
      *out_us = default_us;
      return TRUE;
    }

  return parse_duration (value, out_us);
}

static gboolean
handle_drip (Request    *req,
             const char *rest)
{
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (req->msg);
  const char *numbytes_arg = multimap_get_first (req->args, "numbytes");
  const char *code_arg = multimap_get_first (req->args, "code");
  Pending *pending;
  gint64 duration_us;
  gint64 delay_us;
  guint64 numbytes = 10;
  guint64 code = SOUP_STATUS_OK;
  guint64 writes;

  if (!get_duration_arg (req, "duration", 2 * G_USEC_PER_SEC, &duration_us) ||
      !get_duration_arg (req, "delay", 0, &delay_us) ||
      duration_us + delay_us > MAX_DELAY_SECONDS * G_USEC_PER_SEC)
    {
      respond_error (req->msg, SOUP_STATUS_BAD_REQUEST,
                     _("Invalid duration or delay (together at most 10 seconds)."));
      return TRUE;
    }
  if (numbytes_arg != NULL &&
      (!parse_count (numbytes_arg, G_MAXUINT64, &numbytes) || numbytes == 0))
    {
      respond_error (req->msg, SOUP_STATUS_BAD_REQUEST,
                     _("The number of bytes must be positive."));
      return TRUE;
    }
  numbytes = MIN (numbytes, MAX_DRIP_BYTES);
  if (code_arg != NULL && (!parse_count (code_arg, 599, &code) || code < 200))
    {
      respond_error (req->msg, SOUP_STATUS_BAD_REQUEST, _("Invalid status code."));
      return TRUE;
    }

  soup_server_message_set_status (req->msg, code, NULL);
  if (code == SOUP_STATUS_NO_CONTENT || code == SOUP_STATUS_NOT_MODIFIED)
    return TRUE;

  soup_message_headers_set_content_type (response_headers, "application/octet-stream", NULL);
  soup_message_headers_set_content_length (response_headers, numbytes);
  soup_message_body_set_accumulate (soup_server_message_get_response_body (req->msg), FALSE);

  /* One byte per write as httpbin does, in batches when that would mean too many timers. */
  pending = g_new0 (Pending, 1);
  pending->msg = req->msg;
  pending->kind = PENDING_DRIP;
  pending->remaining = numbytes;
  pending->per_write = (numbytes + MAX_DRIP_WRITES - 1) / MAX_DRIP_WRITES;
  writes = (numbytes + pending->per_write - 1) / pending->per_write;
  /* The first write comes after the delay and the last one after the whole duration. */
  pending->interval_us = writes > 1 ? duration_us / (gint64) (writes - 1) : 0;
  pending_start (pending, delay_us);
  return TRUE;
}

static gboolean
handle_sse (Request    *req,
            const char *rest)
{
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (req->msg);
  const char *count_arg = multimap_get_first (req->args, "count");
  Pending *pending;
  gint64 duration_us;
  gint64 delay_us;
  guint64 count = DEFAULT_SSE_COUNT;

  if (count_arg != NULL && (!parse_count (count_arg, MAX_SSE_EVENTS, &count) || count == 0))
    {
      respond_error (req->msg, SOUP_STATUS_BAD_REQUEST, _("Invalid number of events."));
      return TRUE;
    }
  if (!get_duration_arg (req, "duration", DEFAULT_SSE_SECONDS * G_USEC_PER_SEC, &duration_us) ||
      !get_duration_arg (req, "delay", 0, &delay_us) ||
      duration_us + delay_us > MAX_DELAY_SECONDS * G_USEC_PER_SEC)
    {
      respond_error (req->msg, SOUP_STATUS_BAD_REQUEST,
                     _("Invalid duration or delay (together at most 10 seconds)."));
      return TRUE;
    }

  soup_server_message_set_status (req->msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (response_headers, "text/event-stream", NULL);
  soup_message_headers_replace (response_headers, "Cache-Control", "no-cache");
  soup_message_headers_set_encoding (response_headers, SOUP_ENCODING_CHUNKED);
  soup_message_body_set_accumulate (soup_server_message_get_response_body (req->msg), FALSE);

  /* go-httpbin: @count events spread evenly over @duration, after @delay. */
  pending = g_new0 (Pending, 1);
  pending->msg = req->msg;
  pending->kind = PENDING_SSE;
  pending->remaining = count;
  pending->interval_us = duration_us / (gint64) count;
  pending_start (pending, delay_us);
  return TRUE;
}

static gboolean
parse_redirect_count (Request    *req,
                      const char *rest,
                      guint64    *n)
{
  if (parse_count (rest, G_MAXINT, n) && *n > 0)
    return TRUE;

  respond_error (req->msg, SOUP_STATUS_BAD_REQUEST, _("Invalid number of redirects."));
  return FALSE;
}

static void
respond_redirect_chain (Request    *req,
                        const char *kind,
                        guint64     n,
                        gboolean    absolute)
{
  g_autofree char *path = NULL;

  if (n == 1)
    path = g_strdup ("/get");
  else
    path = g_strdup_printf ("/%s-redirect/%" G_GUINT64_FORMAT, kind, n - 1);

  if (absolute)
    {
      g_autoptr(GUri) target = g_uri_parse_relative (req->uri, path, G_URI_FLAGS_ENCODED, NULL);
      g_autofree char *location = g_uri_to_string (target);

      respond_redirect (req->msg, SOUP_STATUS_FOUND, location);
    }
  else
    {
      respond_redirect (req->msg, SOUP_STATUS_FOUND, path);
    }
}

static gboolean
handle_redirect (Request    *req,
                 const char *rest)
{
  const char *absolute = multimap_get_first (req->args, "absolute");
  gboolean is_absolute = absolute != NULL && g_ascii_strcasecmp (absolute, "true") == 0;
  guint64 n;

  if (parse_redirect_count (req, rest, &n))
    respond_redirect_chain (req, is_absolute ? "absolute" : "relative", n, is_absolute);
  return TRUE;
}

static gboolean
handle_relative_redirect (Request    *req,
                          const char *rest)
{
  guint64 n;

  if (parse_redirect_count (req, rest, &n))
    respond_redirect_chain (req, "relative", n, FALSE);
  return TRUE;
}

static gboolean
handle_absolute_redirect (Request    *req,
                          const char *rest)
{
  guint64 n;

  if (parse_redirect_count (req, rest, &n))
    respond_redirect_chain (req, "absolute", n, TRUE);
  return TRUE;
}

/* httpbin reads the arguments of /redirect-to and /drip in any case (the last spelling wins). */
static const char *
get_arg_nocase (Request    *req,
                const char *name)
{
  GHashTableIter iter;
  gpointer key;
  gpointer values;
  const char *found = NULL;
  const char *found_key = NULL;

  g_hash_table_iter_init (&iter, req->args);
  while (g_hash_table_iter_next (&iter, &key, &values))
    {
      /* Hash order is arbitrary: pick the same key every time */
      if (g_ascii_strcasecmp (key, name) == 0 &&
          (found_key == NULL || strcmp (key, found_key) < 0))
        {
          found_key = key;
          found = g_ptr_array_index ((GPtrArray *) values, 0);
        }
    }

  return found;
}

/* A Location header is ASCII: what is not (and spaces, quotes, controls) is percent-encoded as
 * UTF-8, as browsers and werkzeug do; escapes already there stay. */
static char *
escape_location (const char *url)
{
  GString *out = g_string_new (NULL);

  for (const guchar *p = (const guchar *) url; *p != '\0'; p++)
    {
      if (*p <= 0x20 || *p >= 0x7f || strchr ("\"<>\\^`{|}", *p) != NULL)
        g_string_append_printf (out, "%%%02X", *p);
      else
        g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

static gboolean
handle_redirect_to (Request    *req,
                    const char *rest)
{
  const char *url = get_arg_nocase (req, "url");
  const char *status_arg = get_arg_nocase (req, "status_code");
  guint64 status = SOUP_STATUS_FOUND;
  g_autofree char *location = NULL;

  if (url == NULL || *url == '\0' || !is_header_value (url))
    {
      respond_error (req->msg, SOUP_STATUS_BAD_REQUEST, _("A “url” argument is required."));
      return TRUE;
    }
  location = escape_location (url);

  /* httpbin falls back to 302 for anything that is not a 3xx. */
  if (status_arg == NULL || !parse_count (status_arg, 999, &status) || status < 300 ||
      status >= 400)
    status = SOUP_STATUS_FOUND;

  respond_redirect (req->msg, status, location);
  return TRUE;
}

static gboolean
handle_cookies (Request    *req,
                const char *rest)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GHashTable) map = multimap_new ();
  g_autoptr(GPtrArray) pairs = NULL;
  gboolean show_env = g_hash_table_contains (req->args, "show_env");

  /* werkzeug reads one Cookie header (several are joined with "; " by HTTP/2 proxies only) */
  pairs = ladle_httpbin_parse_cookies (soup_message_headers_get_one (req->request_headers,
                                                                     "Cookie"));
  for (guint i = 0; i + 1 < pairs->len; i += 2)
    {
      g_autofree char *name = take_utf8 (g_strdup (g_ptr_array_index (pairs, i)));

      /* The first of a repeated name, as dict(MultiDict.items()) */
      if (g_hash_table_contains (map, name))
        continue;
      if (!show_env && g_strv_contains (env_cookies, name))
        continue;
      multimap_add (map, name, take_utf8 (g_strdup (g_ptr_array_index (pairs, i + 1))));
    }

  json_object_set_member (object, "cookies", multimap_to_node (map));
  respond_object (req->msg, SOUP_STATUS_OK, object);
  return TRUE;
}

static gboolean
set_cookie (Request    *req,
            const char *name,
            const char *value)
{
  g_autofree char *header = NULL;
  g_autofree char *quoted = NULL;

  /* Any value, quoted as werkzeug quotes it; a name must be a token */
  if (!is_token (name) || !g_utf8_validate (value, -1, NULL))
    {
      respond_error (req->msg, SOUP_STATUS_BAD_REQUEST, _("Invalid cookie name or value."));
      return FALSE;
    }

  quoted = ladle_httpbin_cookie_quote (value);
  header = g_strdup_printf ("%s=%s; Path=/", name, quoted);
  soup_message_headers_append (soup_server_message_get_response_headers (req->msg),
                               "Set-Cookie", header);
  return TRUE;
}

static gboolean
handle_cookies_set (Request    *req,
                    const char *rest)
{
  GHashTableIter iter;
  gpointer key;
  gpointer values;

  g_hash_table_iter_init (&iter, req->args);
  while (g_hash_table_iter_next (&iter, &key, &values))
    {
      if (!set_cookie (req, key, g_ptr_array_index ((GPtrArray *) values, 0)))
        return TRUE;
    }

  respond_redirect (req->msg, SOUP_STATUS_FOUND, "/cookies");
  return TRUE;
}

static gboolean
handle_cookies_set_path (Request    *req,
                         const char *rest)
{
  g_auto(GStrv) parts = g_strsplit (rest, "/", -1);
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;

  if (g_strv_length (parts) != 2)
    return FALSE;

  name = g_uri_unescape_string (parts[0], NULL);
  value = g_uri_unescape_string (parts[1], NULL);
  if (name == NULL || value == NULL)
    return FALSE;

  if (set_cookie (req, name, value))
    respond_redirect (req->msg, SOUP_STATUS_FOUND, "/cookies");
  return TRUE;
}

static gboolean
handle_cookies_delete (Request    *req,
                       const char *rest)
{
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (req->msg);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, req->args);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autofree char *header = NULL;

      if (!is_token (key))
        {
          respond_error (req->msg, SOUP_STATUS_BAD_REQUEST, _("Invalid cookie name or value."));
          return TRUE;
        }

      header = g_strdup_printf ("%s=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/",
                                (const char *) key);
      soup_message_headers_append (response_headers, "Set-Cookie", header);
    }

  respond_redirect (req->msg, SOUP_STATUS_FOUND, "/cookies");
  return TRUE;
}

static gboolean
check_basic_auth (Request    *req,
                  const char *user,
                  const char *passwd)
{
  const char *authorization = soup_message_headers_get_one (req->request_headers,
                                                            "Authorization");
  g_autofree guchar *decoded = NULL;
  g_autofree char *credentials = NULL;
  g_autofree char *expected = NULL;
  gsize len;

  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Basic ", 6) != 0)
    return FALSE;

  decoded = g_base64_decode (authorization + 6, &len);
  credentials = g_strndup ((const char *) decoded, len);
  expected = g_strconcat (user, ":", passwd, NULL);

  return strlen (credentials) == len && g_str_equal (credentials, expected);
}

static gboolean
handle_basic_auth_common (Request    *req,
                          const char *rest,
                          gboolean    hidden)
{
  g_auto(GStrv) parts = g_strsplit (rest, "/", -1);
  g_autofree char *user = NULL;
  g_autofree char *passwd = NULL;
  g_autoptr(JsonObject) object = NULL;

  if (g_strv_length (parts) != 2)
    return FALSE;

  user = g_uri_unescape_string (parts[0], NULL);
  passwd = g_uri_unescape_string (parts[1], NULL);
  if (user == NULL || passwd == NULL)
    return FALSE;

  if (!check_basic_auth (req, user, passwd))
    {
      if (hidden)
        {
          /* As httpbin: a bare 404, nothing to tell it from a missing page */
          soup_server_message_set_status (req->msg, SOUP_STATUS_NOT_FOUND, NULL);
        }
      else
        {
          soup_server_message_set_status (req->msg, SOUP_STATUS_UNAUTHORIZED, NULL);
          soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                        "WWW-Authenticate", "Basic realm=\"Fake Realm\"");
        }
      return TRUE;
    }

  object = json_object_new ();
  json_object_set_boolean_member (object, "authenticated", TRUE);
  json_object_set_string_member (object, "user", user);
  respond_object (req->msg, SOUP_STATUS_OK, object);
  return TRUE;
}

static gboolean
handle_basic_auth (Request    *req,
                   const char *rest)
{
  return handle_basic_auth_common (req, rest, FALSE);
}

static gboolean
handle_hidden_basic_auth (Request    *req,
                          const char *rest)
{
  return handle_basic_auth_common (req, rest, TRUE);
}

static gboolean
handle_bearer (Request    *req,
               const char *rest)
{
  const char *authorization = soup_message_headers_get_one (req->request_headers,
                                                            "Authorization");
  g_autoptr(JsonObject) object = NULL;

  if (authorization == NULL || !g_str_has_prefix (authorization, "Bearer "))
    {
      soup_server_message_set_status (req->msg, SOUP_STATUS_UNAUTHORIZED, NULL);
      soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                    "WWW-Authenticate", "Bearer");
      return TRUE;
    }

  object = json_object_new ();
  json_object_set_boolean_member (object, "authenticated", TRUE);
  json_object_set_string_member (object, "token", authorization + strlen ("Bearer "));
  respond_object (req->msg, SOUP_STATUS_OK, object);
  return TRUE;
}

static gboolean
handle_json (Request    *req,
             const char *rest)
{
  respond_static (req->msg, "application/json", json_sample, strlen (json_sample));
  return TRUE;
}

static gboolean
handle_html (Request    *req,
             const char *rest)
{
  respond_static (req->msg, "text/html; charset=utf-8", html_sample, strlen (html_sample));
  return TRUE;
}

static gboolean
handle_xml (Request    *req,
            const char *rest)
{
  respond_static (req->msg, "application/xml", xml_sample, strlen (xml_sample));
  return TRUE;
}

static gboolean
handle_uuid (Request    *req,
             const char *rest)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autofree char *uuid = g_uuid_string_random ();

  json_object_set_string_member (object, "uuid", uuid);
  respond_object (req->msg, SOUP_STATUS_OK, object);
  return TRUE;
}

static void
respond_compressed (Request             *req,
                    GZlibCompressorFormat format,
                    const char          *flag,
                    const char          *encoding)
{
  g_autoptr(JsonObject) object = build_echo (req, ECHO_HEADERS | ECHO_METHOD | ECHO_ORIGIN);
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (format, -1);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) output = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(GBytes) compressed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gsize len;

  g_assert (object != NULL);
  json_object_set_boolean_member (object, flag, TRUE);
  json_node_set_object (root, object);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);

  output = g_converter_output_stream_new (memory, G_CONVERTER (compressor));
  if (!g_output_stream_write_all (output, text, len, NULL, NULL, &error) ||
      !g_output_stream_close (output, NULL, &error))
    {
      /* In-memory compression does not fail in practice. */
      respond_error (req->msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
      return;
    }

  compressed = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
  soup_server_message_set_status (req->msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                "Content-Encoding", encoding);
  soup_server_message_set_response (req->msg, "application/json", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (compressed, NULL),
                                    g_bytes_get_size (compressed));
}

static gboolean
handle_gzip (Request    *req,
             const char *rest)
{
  respond_compressed (req, G_ZLIB_COMPRESSOR_FORMAT_GZIP, "gzipped", "gzip");
  return TRUE;
}

static gboolean
handle_deflate (Request    *req,
                const char *rest)
{
  respond_compressed (req, G_ZLIB_COMPRESSOR_FORMAT_ZLIB, "deflated", "deflate");
  return TRUE;
}

/* httpbin answers with a JSON object of all the response headers, Content-Length included,
 * which it recomputes until the length it reports is the length of the body. The framing headers
 * (Content-Length, Transfer-Encoding) cannot be set this way: they would corrupt the response. */
static gboolean
handle_response_headers (Request    *req,
                         const char *rest)
{
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (req->msg);
  g_autoptr(GHashTable) shown = multimap_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  const char *content_type = "application/json";
  g_autofree char *text = NULL;
  GHashTableIter iter;
  gpointer key;
  gpointer value;
  gsize len = 0;

  g_hash_table_iter_init (&iter, req->args);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GPtrArray *values = value;

      if (!is_token (key))
        {
          respond_error (req->msg, SOUP_STATUS_BAD_REQUEST, _("Invalid header name or value."));
          return TRUE;
        }
      for (guint i = 0; i < values->len; i++)
        {
          if (!is_header_value (g_ptr_array_index (values, i)))
            {
              respond_error (req->msg, SOUP_STATUS_BAD_REQUEST,
                             _("Invalid header name or value."));
              return TRUE;
            }
        }

      if (g_ascii_strcasecmp (key, "Content-Length") == 0 ||
          g_ascii_strcasecmp (key, "Transfer-Encoding") == 0)
        continue;
      if (g_ascii_strcasecmp (key, "Content-Type") == 0)
        {
          content_type = g_ptr_array_index (values, values->len - 1);
          continue;
        }

      for (guint i = 0; i < values->len; i++)
        multimap_add (shown, key, g_strdup (g_ptr_array_index (values, i)));
    }

  multimap_add (shown, "Content-Type", g_strdup (content_type));
  json_generator_set_pretty (generator, TRUE);

  /* Converges in two or three rounds: the length only changes when its digit count does. */
  for (guint round = 0; round < 10; round++)
    {
      g_autoptr(JsonNode) root = NULL;
      GPtrArray *length_values = g_ptr_array_new_with_free_func (g_free);
      gsize new_len;

      g_ptr_array_add (length_values, g_strdup_printf ("%" G_GSIZE_FORMAT, len));
      g_hash_table_insert (shown, g_strdup ("Content-Length"), length_values);

      root = multimap_to_node (shown);
      json_generator_set_root (generator, root);
      g_free (text);
      text = json_generator_to_data (generator, NULL);
      text = g_realloc (text, strlen (text) + 2);
      strcat (text, "\n");
      new_len = strlen (text);
      if (new_len == len)
        break;
      len = new_len;
    }

  g_hash_table_iter_init (&iter, shown);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GPtrArray *values = value;

      if (g_str_equal (key, "Content-Length") || g_str_equal (key, "Content-Type"))
        continue;
      for (guint i = 0; i < values->len; i++)
        soup_message_headers_append (response_headers, key, g_ptr_array_index (values, i));
    }

  soup_server_message_set_status (req->msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (req->msg, content_type, SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), len);
  return TRUE;
}

/* ---------------------------------------------------------------------------------------------
 * Endpoints added for httpbin 0.7's full route list
 */

static void
respond_text (SoupServerMessage *msg,
              guint              status,
              const char        *content_type,
              SoupMemoryUse      use,
              const char        *data,
              gsize              len)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, use, data, len);
}

static gboolean
handle_robots (Request    *req,
               const char *rest)
{
  respond_text (req->msg, SOUP_STATUS_OK, "text/plain", SOUP_MEMORY_STATIC, robots_txt,
                strlen (robots_txt));
  return TRUE;
}

static gboolean
handle_deny (Request    *req,
             const char *rest)
{
  respond_text (req->msg, SOUP_STATUS_OK, "text/plain", SOUP_MEMORY_STATIC, deny_text,
                strlen (deny_text));
  return TRUE;
}

static gboolean
handle_forms_post (Request    *req,
                   const char *rest)
{
  respond_text (req->msg, SOUP_STATUS_OK, "text/html; charset=utf-8", SOUP_MEMORY_STATIC,
                ladle_httpbin_forms_post, strlen (ladle_httpbin_forms_post));
  return TRUE;
}

static gboolean
handle_encoding_utf8 (Request    *req,
                      const char *rest)
{
  respond_text (req->msg, SOUP_STATUS_OK, "text/html; charset=utf-8", SOUP_MEMORY_STATIC,
                ladle_httpbin_utf8_demo, strlen (ladle_httpbin_utf8_demo));
  return TRUE;
}

/* Python's base64.urlsafe_b64decode(): "-" and "_" stand for "+" and "/", characters outside the
 * alphabet are skipped. Missing padding is forgiven (httpbin fails with 500). */
static gboolean
handle_base64 (Request    *req,
               const char *rest)
{
  GString *clean = g_string_sized_new (strlen (rest) + 4);
  g_autofree guchar *decoded = NULL;
  gsize len = 0;

  for (const char *p = rest; *p != '\0' && *p != '='; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '+' || *p == '/')
        g_string_append_c (clean, *p);
      else if (*p == '-')
        g_string_append_c (clean, '+');
      else if (*p == '_')
        g_string_append_c (clean, '/');
    }
  if (clean->len % 4 == 1)
    {
      g_string_free (clean, TRUE);
      respond_text (req->msg, SOUP_STATUS_BAD_REQUEST, "text/plain; charset=utf-8",
                    SOUP_MEMORY_STATIC, "Incorrect Base64 data\n",
                    strlen ("Incorrect Base64 data\n"));
      return TRUE;
    }
  while (clean->len % 4 != 0)
    g_string_append_c (clean, '=');
  if (clean->len > 0)
    decoded = g_base64_decode (clean->str, &len);
  g_string_free (clean, TRUE);

  if (decoded != NULL && !g_utf8_validate_len ((const char *) decoded, len, NULL))
    {
      respond_text (req->msg, SOUP_STATUS_BAD_REQUEST, "text/plain; charset=utf-8",
                    SOUP_MEMORY_STATIC, "The decoded value is not UTF-8 text\n",
                    strlen ("The decoded value is not UTF-8 text\n"));
      return TRUE;
    }

  respond_text (req->msg, SOUP_STATUS_OK, "text/html; charset=utf-8", SOUP_MEMORY_TAKE,
                (const char *) g_steal_pointer (&decoded), len);
  return TRUE;
}

static gboolean
handle_cache (Request    *req,
              const char *rest)
{
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (req->msg);
  const char *since = soup_message_headers_get_one (req->request_headers, "If-Modified-Since");
  const char *none_match = soup_message_headers_get_one (req->request_headers, "If-None-Match");
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *date = NULL;
  g_autofree char *etag = NULL;

  if ((since != NULL && *since != '\0') || (none_match != NULL && *none_match != '\0'))
    {
      soup_server_message_set_status (req->msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return TRUE;
    }

  respond_echo (req, ECHO_GET);
  now = g_date_time_new_now_utc ();
  date = soup_date_time_to_string (now, SOUP_DATE_HTTP);
  etag = g_uuid_string_random ();
  /* A uuid4 in hex, as Python's uuid4().hex */
  {
    char *w = etag;

    for (const char *r = etag; *r != '\0'; r++)
      {
        if (*r != '-')
          *w++ = *r;
      }
    *w = '\0';
  }
  soup_message_headers_replace (response_headers, "Last-Modified", date);
  soup_message_headers_replace (response_headers, "ETag", etag);
  return TRUE;
}

static gboolean
handle_cache_control (Request    *req,
                      const char *rest)
{
  g_autofree char *value = NULL;
  guint64 n;

  if (!parse_count (rest, G_MAXUINT64, &n))
    return FALSE;

  respond_echo (req, ECHO_GET);
  value = g_strdup_printf ("public, max-age=%" G_GUINT64_FORMAT, n);
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                "Cache-Control", value);
  return TRUE;
}

static gboolean
etag_listed (GPtrArray  *tags,
             const char *etag)
{
  for (guint i = 0; i < tags->len; i++)
    {
      const char *tag = g_ptr_array_index (tags, i);

      if (g_str_equal (tag, etag) || g_str_equal (tag, "*"))
        return TRUE;
    }

  return FALSE;
}

static gboolean
handle_etag (Request    *req,
             const char *rest)
{
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (req->msg);
  g_autoptr(GPtrArray) if_none_match = NULL;
  g_autoptr(GPtrArray) if_match = NULL;

  if_none_match = ladle_httpbin_parse_etags (soup_message_headers_get_one (req->request_headers,
                                                                           "If-None-Match"));
  if_match = ladle_httpbin_parse_etags (soup_message_headers_get_one (req->request_headers,
                                                                      "If-Match"));

  if (if_none_match->len > 0)
    {
      if (etag_listed (if_none_match, rest))
        {
          soup_server_message_set_status (req->msg, SOUP_STATUS_NOT_MODIFIED, NULL);
          soup_message_headers_replace (response_headers, "ETag", rest);
          return TRUE;
        }
    }
  else if (if_match->len > 0 && !etag_listed (if_match, rest))
    {
      soup_server_message_set_status (req->msg, SOUP_STATUS_PRECONDITION_FAILED, NULL);
      return TRUE;
    }

  respond_echo (req, ECHO_GET);
  if (is_header_value (rest))
    soup_message_headers_replace (response_headers, "ETag", rest);
  return TRUE;
}

static gboolean
handle_links_redirect (Request    *req,
                       const char *rest)
{
  g_autofree char *location = g_strdup_printf ("/links/%s/0", rest);

  respond_redirect (req->msg, SOUP_STATUS_FOUND, location);
  return TRUE;
}

static gboolean
handle_links (Request    *req,
              const char *rest)
{
  g_auto(GStrv) parts = g_strsplit (rest, "/", 2);
  GString *html;
  guint64 n;
  guint64 offset;
  gsize len;

  if (!parse_count (parts[0], G_MAXUINT64, &n) || !parse_count (parts[1], G_MAXUINT64, &offset))
    return FALSE;
  n = CLAMP (n, 1, MAX_LINKS);

  html = g_string_new ("<html><head><title>Links</title></head><body>");
  for (guint64 i = 0; i < n; i++)
    {
      if (i == offset)
        g_string_append_printf (html, "%" G_GUINT64_FORMAT " ", i);
      else
        g_string_append_printf (html, "<a href='/links/%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT
                                "'>%" G_GUINT64_FORMAT "</a> ", n, i, i);
    }
  g_string_append (html, "</body></html>");

  len = html->len;
  respond_text (req->msg, SOUP_STATUS_OK, "text/html; charset=utf-8", SOUP_MEMORY_TAKE,
                g_string_free (html, FALSE), len);
  return TRUE;
}

static void
respond_image (Request    *req,
               const char *type)
{
  if (g_str_equal (type, "png"))
    respond_text (req->msg, SOUP_STATUS_OK, "image/png", SOUP_MEMORY_STATIC,
                  (const char *) ladle_httpbin_png, ladle_httpbin_png_size);
  else if (g_str_equal (type, "jpeg"))
    respond_text (req->msg, SOUP_STATUS_OK, "image/jpeg", SOUP_MEMORY_STATIC,
                  (const char *) ladle_httpbin_jpeg, ladle_httpbin_jpeg_size);
  else if (g_str_equal (type, "webp"))
    respond_text (req->msg, SOUP_STATUS_OK, "image/webp", SOUP_MEMORY_STATIC,
                  (const char *) ladle_httpbin_webp, ladle_httpbin_webp_size);
  else
    respond_text (req->msg, SOUP_STATUS_OK, "image/svg+xml", SOUP_MEMORY_STATIC,
                  ladle_httpbin_svg, strlen (ladle_httpbin_svg));
}

/* httpbin looks for the types in the Accept header as substrings, in its own order. */
static gboolean
handle_image (Request    *req,
              const char *rest)
{
  const char *accept_header = soup_message_headers_get_list (req->request_headers, "Accept");
  g_autofree char *accept = NULL;

  if (accept_header == NULL)
    {
      respond_image (req, "png");
      return TRUE;
    }

  accept = g_ascii_strdown (accept_header, -1);
  if (strstr (accept, "image/webp") != NULL)
    respond_image (req, "webp");
  else if (strstr (accept, "image/svg+xml") != NULL)
    respond_image (req, "svg");
  else if (strstr (accept, "image/jpeg") != NULL)
    respond_image (req, "jpeg");
  else if (strstr (accept, "image/png") != NULL || strstr (accept, "image/*") != NULL)
    respond_image (req, "png");
  else
    respond_status (req, SOUP_STATUS_NOT_ACCEPTABLE);
  return TRUE;
}

static gboolean
handle_image_type (Request    *req,
                   const char *rest)
{
  static const char * const types[] = { "png", "jpeg", "webp", "svg", NULL };

  if (!g_strv_contains (types, rest))
    return FALSE;

  respond_image (req, rest);
  return TRUE;
}

/* Python's int() for a query argument; FALSE when it is not a number. */
static gboolean
get_int_arg (Request    *req,
             const char *name,
             gint64      default_value,
             gint64     *out)
{
  const char *value = get_arg_nocase (req, name);
  g_autofree char *stripped = NULL;

  *out = default_value;
  if (value == NULL)
    return TRUE;

  stripped = g_strstrip (g_strdup (value));
  return g_ascii_string_to_signed (stripped, 10, G_MININT64, G_MAXINT64, out, NULL);
}

static gboolean
handle_stream_bytes (Request    *req,
                     const char *rest)
{
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (req->msg);
  SoupMessageBody *body = soup_server_message_get_response_body (req->msg);
  g_autoptr(GRand) rand = NULL;
  gint64 chunk_size;
  gint64 seed;
  guint64 n;

  if (!parse_count (rest, G_MAXUINT64, &n))
    return FALSE;
  n = MIN (n, MAX_BYTES);

  if (!get_int_arg (req, "chunk_size", DEFAULT_CHUNK_SIZE, &chunk_size) ||
      !get_int_arg (req, "seed", 0, &seed))
    {
      respond_error (req->msg, SOUP_STATUS_BAD_REQUEST, _("Invalid chunk size or seed."));
      return TRUE;
    }
  chunk_size = CLAMP (chunk_size, 1, MAX_BYTES);

  if (get_arg_nocase (req, "seed") != NULL)
    {
      guint32 seed_array[2] = { (guint32) ((guint64) seed & 0xffffffff),
                                (guint32) ((guint64) seed >> 32) };

      rand = g_rand_new_with_seed_array (seed_array, G_N_ELEMENTS (seed_array));
    }
  else
    {
      rand = g_rand_new ();
    }

  soup_server_message_set_status (req->msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (response_headers, "application/octet-stream", NULL);
  soup_message_headers_set_encoding (response_headers, SOUP_ENCODING_CHUNKED);

  for (guint64 done = 0; done < n;)
    {
      gsize len = MIN ((guint64) chunk_size, n - done);
      guint8 *chunk = g_malloc (len);

      for (gsize i = 0; i < len; i++)
        chunk[i] = (guint8) g_rand_int_range (rand, 0, 256);
      soup_message_body_append (body, SOUP_MEMORY_TAKE, chunk, len);
      done += len;
    }
  soup_message_body_complete (body);
  return TRUE;
}

static gboolean
handle_range (Request    *req,
              const char *rest)
{
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (req->msg);
  LadleHttpbinRange range;
  g_autofree char *etag = NULL;
  g_autofree char *content_range = NULL;
  const char *duration_arg;
  gint64 chunk_size;
  gint64 duration_us = 0;
  gint64 first;
  gint64 last;
  guint64 n;
  char *data;

  if (!parse_count (rest, G_MAXUINT64, &n))
    return FALSE;

  etag = g_strdup_printf ("range%" G_GUINT64_FORMAT, n);
  if (n == 0 || n > MAX_BYTES)
    {
      static const char message[] = "number of bytes must be in the range (0, 102400]";

      soup_message_headers_replace (response_headers, "ETag", etag);
      soup_message_headers_replace (response_headers, "Accept-Ranges", "bytes");
      respond_text (req->msg, SOUP_STATUS_NOT_FOUND, "text/plain; charset=utf-8",
                    SOUP_MEMORY_STATIC, message, strlen (message));
      return TRUE;
    }

  duration_arg = get_arg_nocase (req, "duration");
  if (!get_int_arg (req, "chunk_size", DEFAULT_CHUNK_SIZE, &chunk_size) ||
      (duration_arg != NULL && !parse_duration (duration_arg, &duration_us)))
    {
      respond_error (req->msg, SOUP_STATUS_BAD_REQUEST, _("Invalid chunk size or duration."));
      return TRUE;
    }
  chunk_size = CLAMP (chunk_size, 1, MAX_BYTES);
  duration_us = MIN (duration_us, (gint64) (MAX_DELAY_SECONDS * G_USEC_PER_SEC));

  ladle_httpbin_parse_range (soup_message_headers_get_one (req->request_headers, "Range"),
                             &range);
  if (!range.has_first && !range.has_last)
    {
      first = 0;
      last = n - 1;
    }
  else if (!range.has_first)
    {
      first = MAX (0, (gint64) n - range.last);
      last = n - 1;
    }
  else
    {
      first = range.first;
      last = range.has_last ? range.last : (gint64) n - 1;
    }

  soup_message_headers_replace (response_headers, "ETag", etag);
  soup_message_headers_replace (response_headers, "Accept-Ranges", "bytes");

  if (first > last || first < 0 || first >= (gint64) n || last < 0 || last >= (gint64) n)
    {
      content_range = g_strdup_printf ("bytes */%" G_GUINT64_FORMAT, n);
      soup_message_headers_replace (response_headers, "Content-Range", content_range);
      soup_server_message_set_status (req->msg, SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE, NULL);
      return TRUE;
    }

  /* The same bytes every time, so that ranges of it fit together */
  data = g_malloc (last - first + 1);
  for (gint64 i = first; i <= last; i++)
    data[i - first] = (char) ('a' + i % 26);

  content_range = g_strdup_printf ("bytes %" G_GINT64_FORMAT "-%" G_GINT64_FORMAT "/%"
                                   G_GUINT64_FORMAT, first, last, n);
  soup_message_headers_replace (response_headers, "Content-Range", content_range);
  soup_server_message_set_status (req->msg,
                                  first == 0 && last == (gint64) n - 1 ?
                                  SOUP_STATUS_OK : SOUP_STATUS_PARTIAL_CONTENT, NULL);
  soup_message_headers_set_content_type (response_headers, "application/octet-stream", NULL);

  if (duration_us > 0)
    {
      Pending *pending = g_new0 (Pending, 1);
      gint64 len = last - first + 1;
      gint64 chunks = (len + chunk_size - 1) / chunk_size;

      soup_message_headers_set_content_length (response_headers, len);
      soup_message_body_set_accumulate (soup_server_message_get_response_body (req->msg), FALSE);
      pending->msg = req->msg;
      pending->kind = PENDING_CHUNKS;
      pending->data = g_bytes_new_take (data, len);
      pending->per_write = chunk_size;
      pending->remaining = len;
      /* Each chunk after its share of the duration, as httpbin sleeps */
      pending->interval_us = duration_us / chunks;
      pending_start (pending, pending->interval_us);
      return TRUE;
    }

  soup_message_body_append (soup_server_message_get_response_body (req->msg), SOUP_MEMORY_TAKE,
                            data, last - first + 1);
  return TRUE;
}

/* Digest authentication, as httpbin's (RFC 2617 with RFC 7616's SHA-256 and SHA-512) */

static GChecksumType
digest_checksum_type (const char *algorithm)
{
  if (g_strcmp0 (algorithm, "SHA-256") == 0)
    return G_CHECKSUM_SHA256;
  if (g_strcmp0 (algorithm, "SHA-512") == 0)
    return G_CHECKSUM_SHA512;
  return G_CHECKSUM_MD5;
}

/* H(a:b:...) in lower-case hex; the list ends with NULL */
G_GNUC_NULL_TERMINATED static char *
digest_hash (const char *algorithm,
             ...)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (digest_checksum_type (algorithm));
  const char *part;
  gboolean first = TRUE;
  va_list args;

  va_start (args, algorithm);
  while ((part = va_arg (args, const char *)) != NULL)
    {
      if (!first)
        g_checksum_update (checksum, (const guchar *) ":", 1);
      g_checksum_update (checksum, (const guchar *) part, strlen (part));
      first = FALSE;
    }
  va_end (args);

  return g_strdup (g_checksum_get_string (checksum));
}

static char *
get_cookie (Request    *req,
            const char *name)
{
  g_autoptr(GPtrArray) pairs = NULL;

  pairs = ladle_httpbin_parse_cookies (soup_message_headers_get_one (req->request_headers,
                                                                     "Cookie"));
  for (guint i = 0; i + 1 < pairs->len; i += 2)
    {
      if (g_str_equal (g_ptr_array_index (pairs, i), name))
        return g_strdup (g_ptr_array_index (pairs, i + 1));
    }

  return NULL;
}

static void
add_cookie (Request    *req,
            const char *name,
            const char *value)
{
  g_autofree char *quoted = ladle_httpbin_cookie_quote (value);
  g_autofree char *header = g_strdup_printf ("%s=%s; Path=/", name, quoted);

  soup_message_headers_append (soup_server_message_get_response_headers (req->msg),
                               "Set-Cookie", header);
}

static void
respond_digest_challenge (Request    *req,
                          const char *qop,
                          const char *algorithm,
                          gboolean    stale,
                          const char *stale_after,
                          const char *last_nonce)
{
  g_autofree char *time = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time ());
  g_autofree char *random = g_uuid_string_random ();
  g_autofree char *nonce = digest_hash (algorithm, get_origin (req), time, random, NULL);
  g_autofree char *random2 = g_uuid_string_random ();
  g_autofree char *opaque = digest_hash (algorithm, random2, NULL);
  g_autofree char *challenge = NULL;

  challenge = g_strdup_printf ("Digest realm=\"%s\", nonce=\"%s\", qop=\"%s\", opaque=\"%s\", "
                               "algorithm=%s, stale=%s",
                               DIGEST_REALM, nonce, qop != NULL ? qop : "auth, auth-int", opaque,
                               algorithm, stale ? "TRUE" : "FALSE");
  respond_text (req->msg, SOUP_STATUS_UNAUTHORIZED, "text/html; charset=utf-8",
                SOUP_MEMORY_STATIC, "", 0);
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                "WWW-Authenticate", challenge);
  add_cookie (req, "stale_after", stale_after);
  if (last_nonce != NULL)
    add_cookie (req, "last_nonce", last_nonce);
  add_cookie (req, "fake", "fake_value");
}

/* The response the client should have sent; NULL for a qop httpbin does not know (it fails
 * with 500 there). The URI is the request's (the client's "uri" is not compared). */
static char *
digest_expected (Request                  *req,
                 const LadleHttpbinDigest *digest,
                 const char               *path,
                 const char               *passwd)
{
  const char *algorithm = digest->algorithm;
  const char *query = g_uri_get_query (req->uri);
  g_autofree char *uri = NULL;
  g_autofree char *ha1 = NULL;
  g_autofree char *ha2 = NULL;

  uri = query != NULL ? g_strconcat (path, "?", query, NULL) : g_strdup (path);
  ha1 = digest_hash (algorithm, digest->username, digest->realm, passwd, NULL);

  if (digest->qop == NULL || g_str_equal (digest->qop, "auth"))
    {
      ha2 = digest_hash (algorithm, req->method, uri, NULL);
    }
  else if (g_str_equal (digest->qop, "auth-int"))
    {
      SoupMessageBody *request_body = soup_server_message_get_request_body (req->msg);
      g_autoptr(GBytes) body = soup_message_body_flatten (request_body);
      g_autoptr(GChecksum) checksum = g_checksum_new (digest_checksum_type (algorithm));

      g_checksum_update (checksum, g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      ha2 = digest_hash (algorithm, req->method, uri, g_checksum_get_string (checksum), NULL);
    }
  else
    {
      return NULL;
    }

  if (digest->qop == NULL)
    return digest_hash (algorithm, ha1, digest->nonce, ha2, NULL);

  return digest_hash (algorithm, ha1, digest->nonce, digest->nc, digest->cnonce, digest->qop,
                      ha2, NULL);
}

static gboolean
handle_digest_auth (Request    *req,
                    const char *rest)
{
  g_auto(GStrv) parts = g_strsplit (rest, "/", -1);
  g_auto(LadleHttpbinDigest) digest = { 0 };
  g_autofree char *stale_after_cookie = NULL;
  g_autofree char *last_nonce = NULL;
  g_autofree char *fake = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) object = NULL;
  const char *require_arg = multimap_get_first (req->args, "require-cookie");
  const char *authorization;
  const char *qop;
  const char *algorithm = "MD5";
  const char *stale_after = "never";
  gboolean require_cookie;
  guint n_parts = g_strv_length (parts);

  if (n_parts < 3 || n_parts > 5)
    return FALSE;
  for (guint i = 0; i < n_parts; i++)
    {
      if (*parts[i] == '\0')
        return FALSE;
    }

  qop = g_str_equal (parts[0], "auth") || g_str_equal (parts[0], "auth-int") ? parts[0] : NULL;
  if (n_parts >= 4 && (g_str_equal (parts[3], "SHA-256") || g_str_equal (parts[3], "SHA-512")))
    algorithm = parts[3];
  if (n_parts == 5)
    stale_after = parts[4];

  require_cookie = require_arg != NULL &&
                   (g_ascii_strcasecmp (require_arg, "1") == 0 ||
                    g_ascii_strcasecmp (require_arg, "t") == 0 ||
                    g_ascii_strcasecmp (require_arg, "true") == 0);

  authorization = soup_message_headers_get_one (req->request_headers, "Authorization");
  if (authorization == NULL || *authorization == '\0' ||
      !ladle_httpbin_parse_digest (authorization, &digest) ||
      (require_cookie && soup_message_headers_get_one (req->request_headers, "Cookie") == NULL))
    {
      respond_digest_challenge (req, qop, algorithm, FALSE, stale_after, NULL);
      return TRUE;
    }

  fake = get_cookie (req, "fake");
  if (require_cookie && g_strcmp0 (fake, "fake_value") != 0)
    {
      JsonArray *errors = json_array_new ();

      object = json_object_new ();
      json_array_add_string_element (errors, "missing cookie set on challenge");
      json_object_set_array_member (object, "errors", errors);
      respond_object (req->msg, SOUP_STATUS_FORBIDDEN, object);
      add_cookie (req, "fake", "fake_value");
      return TRUE;
    }

  stale_after_cookie = get_cookie (req, "stale_after");
  last_nonce = get_cookie (req, "last_nonce");
  if ((last_nonce != NULL && g_str_equal (last_nonce, digest.nonce)) ||
      g_strcmp0 (stale_after_cookie, "0") == 0)
    {
      respond_digest_challenge (req, qop, algorithm, TRUE, stale_after, digest.nonce);
      return TRUE;
    }

  path = g_strconcat ("/digest-auth/", rest, NULL);
  expected = digest_expected (req, &digest, path, parts[2]);
  if (expected == NULL || !g_str_equal (expected, digest.response))
    {
      respond_digest_challenge (req, qop, algorithm, FALSE, stale_after, digest.nonce);
      return TRUE;
    }

  object = json_object_new ();
  json_object_set_boolean_member (object, "authenticated", TRUE);
  json_object_set_string_member (object, "user", parts[1]);
  respond_object (req->msg, SOUP_STATUS_OK, object);
  add_cookie (req, "fake", "fake_value");
  if (stale_after_cookie != NULL && *stale_after_cookie != '\0')
    {
      gint64 count;
      g_autofree char *next = NULL;

      if (g_ascii_string_to_signed (stale_after_cookie, 10, G_MININT64 + 1, G_MAXINT64, &count,
                                    NULL))
        next = g_strdup_printf ("%" G_GINT64_FORMAT, count - 1);
      add_cookie (req, "stale_after", next != NULL ? next : "never");
    }
  return TRUE;
}

static gboolean
handle_brotli (Request    *req,
               const char *rest)
{
#ifdef LADLE_HAVE_BROTLI
  g_autoptr(JsonObject) object = build_echo (req, ECHO_HEADERS | ECHO_METHOD | ECHO_ORIGIN);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;
  size_t encoded_size;
  guint8 *encoded;
  gsize len;

  g_assert (object != NULL);
  json_object_set_boolean_member (object, "brotli", TRUE);
  json_node_set_object (root, object);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);

  encoded_size = BrotliEncoderMaxCompressedSize (len);
  encoded = g_malloc (MAX (encoded_size, 1));
  if (encoded_size == 0 ||
      !BrotliEncoderCompress (BROTLI_DEFAULT_QUALITY, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT,
                              len, (const guint8 *) text, &encoded_size, encoded))
    {
      g_free (encoded);
      respond_error (req->msg, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                     _("The answer could not be compressed."));
      return TRUE;
    }

  soup_server_message_set_status (req->msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                "Content-Encoding", "br");
  soup_server_message_set_response (req->msg, "application/json", SOUP_MEMORY_TAKE,
                                    (const char *) encoded, encoded_size);
#else
  respond_error (req->msg, SOUP_STATUS_NOT_IMPLEMENTED,
                 _("This build of Ladle has no brotli encoder."));
#endif
  return TRUE;
}

/* ---------------------------------------------------------------------------------------------
 * Dispatch
 */

typedef gboolean (*Handler) (Request    *req,
                             const char *rest);

/* @segments: 0 for an exact path; otherwise @path ends with '/' and the rest of the path, which
 * must have that many segments (-1: any number; -2: two to four), goes to the handler; with
 * @numeric, each segment must be digits (Flask's int converter), else the route does not match.
 * @methods: the methods Flask routes it for, besides HEAD (with GET) and OPTIONS. */
static const struct
{
  const char *path;
  int         segments;
  gboolean    numeric;
  const char *methods;
  Handler     handler;
} routes[] = {
  { "/get", 0, FALSE, "GET", handle_get },
  { "/post", 0, FALSE, "POST", handle_post },
  { "/put", 0, FALSE, "PUT", handle_put },
  { "/patch", 0, FALSE, "PATCH", handle_patch },
  { "/delete", 0, FALSE, "DELETE", handle_delete },
  { "/anything", 0, FALSE, ANY_METHOD, handle_anything },
  { "/anything/", -1, FALSE, ANY_METHOD, handle_anything },
  { "/headers", 0, FALSE, "GET", handle_headers },
  { "/ip", 0, FALSE, "GET", handle_ip },
  { "/user-agent", 0, FALSE, "GET", handle_user_agent },
  { "/status/", 1, FALSE, ANY_METHOD, handle_status },
  { "/delay/", 1, FALSE, "GET", handle_delay },
  { "/bytes/", 1, TRUE, "GET", handle_bytes },
  { "/stream/", 1, TRUE, "GET", handle_stream },
  { "/drip", 0, FALSE, "GET", handle_drip },
  { "/redirect/", 1, TRUE, "GET", handle_redirect },
  { "/relative-redirect/", 1, TRUE, "GET", handle_relative_redirect },
  { "/absolute-redirect/", 1, TRUE, "GET", handle_absolute_redirect },
  { "/redirect-to", 0, FALSE, ANY_METHOD, handle_redirect_to },
  { "/cookies", 0, FALSE, "GET", handle_cookies },
  { "/cookies/set", 0, FALSE, "GET", handle_cookies_set },
  { "/cookies/set/", 2, FALSE, "GET", handle_cookies_set_path },
  { "/cookies/delete", 0, FALSE, "GET", handle_cookies_delete },
  { "/basic-auth/", 2, FALSE, "GET", handle_basic_auth },
  { "/hidden-basic-auth/", 2, FALSE, "GET", handle_hidden_basic_auth },
  { "/digest-auth/", -2, FALSE, "GET", handle_digest_auth },
  { "/bearer", 0, FALSE, "GET", handle_bearer },
  { "/json", 0, FALSE, "GET", handle_json },
  { "/html", 0, FALSE, "GET", handle_html },
  { "/xml", 0, FALSE, "GET", handle_xml },
  { "/uuid", 0, FALSE, "GET", handle_uuid },
  { "/gzip", 0, FALSE, "GET", handle_gzip },
  { "/deflate", 0, FALSE, "GET", handle_deflate },
  { "/brotli", 0, FALSE, "GET", handle_brotli },
  { "/response-headers", 0, FALSE, "GET, POST", handle_response_headers },
  { "/sse", 0, FALSE, "GET", handle_sse },
  { "/stream-bytes/", 1, TRUE, "GET", handle_stream_bytes },
  { "/range/", 1, TRUE, "GET", handle_range },
  { "/cache", 0, FALSE, "GET", handle_cache },
  { "/cache/", 1, TRUE, "GET", handle_cache_control },
  { "/etag/", 1, FALSE, "GET", handle_etag },
  { "/base64/", 1, FALSE, "GET", handle_base64 },
  { "/links/", 1, TRUE, "GET", handle_links_redirect },
  { "/links/", 2, TRUE, "GET", handle_links },
  { "/image", 0, FALSE, "GET", handle_image },
  { "/image/", 1, FALSE, "GET", handle_image_type },
  { "/encoding/utf8", 0, FALSE, "GET", handle_encoding_utf8 },
  { "/forms/post", 0, FALSE, "GET", handle_forms_post },
  { "/robots.txt", 0, FALSE, "GET", handle_robots },
  { "/deny", 0, FALSE, "GET", handle_deny },
};

static gboolean
route_matches (gsize        i,
               const char  *path,
               const char **rest)
{
  const char *p;
  int segments = 1;

  if (routes[i].segments == 0)
    {
      *rest = "";
      return g_str_equal (path, routes[i].path);
    }

  if (!g_str_has_prefix (path, routes[i].path))
    return FALSE;

  *rest = path + strlen (routes[i].path);
  if (routes[i].segments == -1)
    return TRUE;

  for (p = *rest; *p != '\0'; p++)
    {
      if (*p == '/')
        segments++;
      else if (routes[i].numeric && !g_ascii_isdigit (*p))
        return FALSE;
    }

  if (**rest == '\0')
    return FALSE;
  if (routes[i].segments == -2)
    return segments >= 3 && segments <= 5;
  return segments == routes[i].segments;
}

/* Flask's: HEAD goes with GET, OPTIONS is answered for every route (200, with Allow), and other
 * methods get 405 with Allow. Returns TRUE when the handler should go on. */
static gboolean
check_method (SoupServerMessage *msg,
              const char        *method,
              const char        *allowed)
{
  g_auto(GStrv) methods = g_strsplit (allowed, ", ", -1);
  gboolean with_get = g_strv_contains ((const char * const *) methods, SOUP_METHOD_GET);
  g_autofree char *allow = NULL;

  if (g_strv_contains ((const char * const *) methods, method) ||
      (with_get && g_str_equal (method, SOUP_METHOD_HEAD)))
    return TRUE;

  allow = g_strconcat (allowed, with_get ? ", HEAD" : "", ", OPTIONS", NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow);
  if (g_str_equal (method, SOUP_METHOD_OPTIONS))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_STATIC,
                                        "", 0);
      return FALSE;
    }

  respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED,
                 _("The method is not allowed for the requested URL."));
  return FALSE;
}

/**
 * ladle_httpbin_handle:
 * @msg: a request whose body has been read
 * @path: the request path, as the #SoupServerCallback got it
 * @query: (nullable): the callback's query table; unused, since it loses repeated keys
 * @options: (nullable): limits, or %NULL for none
 *
 * Answers @msg if @path is an httpbin endpoint. Must be called on the thread that runs the
 * server, from its handler: /delay, /drip and /sse pause @msg and finish it later from timers
 * attached to that thread's thread-default #GMainContext.
 *
 * Returns: %FALSE if @path is not an httpbin endpoint (@msg is left untouched)
 */
gboolean
ladle_httpbin_handle (SoupServerMessage         *msg,
                      const char                *path,
                      GHashTable                *query,
                      const LadleHttpbinOptions *options)
{
  static const LadleHttpbinOptions default_options = { 0 };
  g_autoptr(GHashTable) args = NULL;
  g_autoptr(GUri) https_uri = NULL;
  const char *raw_query;
  const char *rest = NULL;
  Request req;
  gsize i;

  g_return_val_if_fail (SOUP_IS_SERVER_MESSAGE (msg), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  for (i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      if (route_matches (i, path, &rest))
        break;
    }
  if (i == G_N_ELEMENTS (routes))
    return FALSE;

  if (!check_method (msg, soup_server_message_get_method (msg), routes[i].methods))
    return TRUE;

  args = multimap_new ();
  req.msg = msg;
  req.options = options != NULL ? options : &default_options;
  req.method = soup_server_message_get_method (msg);
  req.uri = soup_server_message_get_uri (msg);
  if (req.options->https && g_strcmp0 (g_uri_get_scheme (req.uri), "http") == 0)
    {
      https_uri = g_uri_build (g_uri_get_flags (req.uri), "https", g_uri_get_userinfo (req.uri),
                               g_uri_get_host (req.uri), g_uri_get_port (req.uri),
                               g_uri_get_path (req.uri), g_uri_get_query (req.uri),
                               g_uri_get_fragment (req.uri));
      req.uri = https_uri;
    }
  req.request_headers = soup_server_message_get_request_headers (msg);
  req.args = args;

  raw_query = g_uri_get_query (req.uri);
  if (raw_query != NULL)
    parse_urlencoded (args, raw_query, strlen (raw_query));

  /* A handler may still decline, e.g. for a malformed escape in /basic-auth/{user}/{passwd}. */
  if (!routes[i].handler (&req, rest))
    return FALSE;

  /* httpbin honours Range in /range only, which has read it; libsoup would otherwise cut any 200
   * answer to a GET with Range into a 206 (and version 3.2 fails on a suffix longer than the
   * body). */
  soup_message_headers_remove (req.request_headers, "Range");
  return TRUE;
}

/**
 * ladle_httpbin_add_cors_headers:
 * @msg: a request being handled
 *
 * Adds httpbin's CORS headers to the answer: Access-Control-Allow-Origin (the request's Origin,
 * else "*") and Access-Control-Allow-Credentials: true; for OPTIONS (a preflight) also
 * Access-Control-Allow-Methods, Access-Control-Max-Age: 3600 and Access-Control-Allow-Headers
 * (what Access-Control-Request-Headers asked for).
 */
void
ladle_httpbin_add_cors_headers (SoupServerMessage *msg)
{
  SoupMessageHeaders *request_headers;
  SoupMessageHeaders *response_headers;
  const char *origin;
  const char *requested;

  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));

  request_headers = soup_server_message_get_request_headers (msg);
  response_headers = soup_server_message_get_response_headers (msg);
  origin = soup_message_headers_get_one (request_headers, "Origin");
  if (origin == NULL || !is_header_value (origin))
    origin = "*";

  soup_message_headers_replace (response_headers, "Access-Control-Allow-Origin", origin);
  soup_message_headers_replace (response_headers, "Access-Control-Allow-Credentials", "true");

  if (!g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_OPTIONS))
    return;

  soup_message_headers_replace (response_headers, "Access-Control-Allow-Methods",
                                "GET, POST, PUT, DELETE, PATCH, OPTIONS");
  soup_message_headers_replace (response_headers, "Access-Control-Max-Age", "3600");
  requested = soup_message_headers_get_list (request_headers, "Access-Control-Request-Headers");
  if (requested != NULL && is_header_value (requested))
    soup_message_headers_replace (response_headers, "Access-Control-Allow-Headers", requested);
}

/**
 * ladle_httpbin_get_endpoints:
 *
 * Returns: (transfer none) (array zero-terminated=1): the endpoints, ending with a %NULL pattern
 */
const LadleHttpbinEndpoint *
ladle_httpbin_get_endpoints (void)
{
  return endpoints;
}
