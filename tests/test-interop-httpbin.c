/* test-interop-httpbin.c
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

/* Conformance with httpbin: Debian's python3-httpbin 0.7 (the original Flask app, served by
 * werkzeug on loopback) and `ladle serve` get the same corpus of requests
 * (tests/data/httpbin-corpus.json), and their answers are compared: the status, the headers that
 * matter (below), and the body as the variant says (JSON parsed and compared as values, so that
 * the formatting does not matter; bytes; JSON lines; the length). Values that vary by nature
 * (the servers' host:port, digest nonces, uuids, dates, random bytes) are normalised or skipped.
 *
 * What Ladle does differently on purpose is the allow-list below, every entry with its reason;
 * each entry must be needed by at least one variant, so that the list cannot outgrow the facts. */

#define WAIT_MS       20000
#define TIMEOUT_S     30

/* The deliberate differences. README.md ("Differences from httpbin") lists them too. */
static const struct
{
  const char *key;
  const char *why;
} allowed[] = {
  /* Flask renders its errors (404, 405, 400 from a view) as an HTML page; Ladle answers errors
   * with JSON {"error": ...} (or {"detail", "error", "status_code"}) like the rest of its API. The
   * status and the headers are compared; the Content-Type and the body are not. */
  { "error-body", "errors are JSON, not Flask's HTML error page" },
  /* Flask's redirect() adds a small HTML page ("Redirecting...") to the 302; Ladle's redirects
   * have no body. Status and Location are compared. */
  { "redirect-body", "redirects have no HTML body" },
  /* GET / is the tutorial's "Hello, World!" in Ladle, httpbin's landing page in httpbin. */
  { "root", "GET / answers Hello, World! (the tutorial's first step)" },
  /* /response-headers reports its own Content-Length in its JSON: Ladle pretty-prints JSON
   * (httpbin.org does too; Debian's Flask 2.2 prints it compact), so the numbers differ. Each
   * server's number is checked to be its own body's length. */
  { "response-headers-length", "the JSON is pretty-printed, so its reported length differs" },
  /* httpbin 0.7 on werkzeug 2.2 reads non-ASCII header bytes as Latin-1 and encodes them again
   * as UTF-8: an echoed header "café" shows as "cafÃ©", and a /redirect-to target /é becomes
   * %C3%83%C2%A9 in Location (mojibake). Ladle keeps UTF-8, and percent-encodes it once in
   * Location, as browsers and curl do. Ladle's values are checked exactly instead. */
  { "non-ascii-mojibake", "non-ASCII header text stays UTF-8 (httpbin: Latin-1 mojibake)" },
};

static guint allowed_used[G_N_ELEMENTS (allowed)];

static void
use_allowance (const char *key)
{
  for (gsize i = 0; i < G_N_ELEMENTS (allowed); i++)
    {
      if (g_str_equal (allowed[i].key, key))
        {
          allowed_used[i]++;
          return;
        }
    }
  g_error ("“%s” is not in the allow-list", key);
}

/* Headers compared whenever either side sends them. */
static const char * const compared_headers[] = {
  "Content-Type", "Location", "Set-Cookie", "WWW-Authenticate", "Proxy-Authenticate",
  "Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
  "Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Access-Control-Max-Age",
  "Allow", "ETag", "Content-Range", "Accept-Ranges", "Cache-Control", "Content-Encoding",
  "Last-Modified", NULL
};

/* --- The two servers ------------------------------------------------------------------------ */

static const char httpbin_runner[] =
  "import logging, sys\n"
  "from werkzeug.serving import make_server\n"
  "import httpbin\n"
  "logging.getLogger('werkzeug').setLevel(logging.ERROR)\n"
  "server = make_server('127.0.0.1', 0, httpbin.app, threaded=True)\n"
  "print(server.server_port, flush=True)\n"
  "server.serve_forever()\n";

static const char routes_json[] =
  "{ \"version\": 1, \"routes\": [\n"
  "  { \"method\": \"GET\", \"path\": \"/mock/cors\", \"body\": \"with\" },\n"
  "  { \"method\": \"GET\", \"path\": \"/mock/no-cors\", \"body\": \"without\", \"cors\": false },\n"
  "  { \"method\": \"GET\", \"path\": \"/mock/own-cors\", \"body\": \"own\", \"cors\": false,\n"
  "    \"headers\": { \"Access-Control-Allow-Origin\": \"https://only.example\" } },\n"
  "  { \"method\": \"*\", \"path\": \"/mock/any\", \"status\": 204 },\n"
  "  { \"method\": \"GET\", \"path\": \"/mock/digits\", \"body\": \"0123456789\",\n"
  "    \"content_type\": \"text/plain\" }\n"
  "] }\n";

typedef struct
{
  char           *tmpdir;
  GSubprocess    *httpbin;
  char           *httpbin_base;   /* http://127.0.0.1:PORT */
  LadleTestServe  serve;
  char           *ladle_base;
  gboolean        skipped;
} Fixture;

static gboolean
httpbin_installed (void)
{
  const char *argv[] = { ladle_test_get_python (), "-c", "import httpbin, werkzeug", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  return ladle_test_run_command (argv, NULL, &out, &err) == 0;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *port = NULL;
  g_autofree char *uploads = NULL;
  g_autofree char *routes = NULL;
  const char *serve_args[] = { "--routes", NULL, "--quiet", NULL };
  const char * const env[] = { "PYTHONDONTWRITEBYTECODE", "1", NULL };

  fixture->tmpdir = ladle_test_make_tmpdir ("ladle-interop-httpbin-XXXXXX");

  uploads = g_build_filename (fixture->tmpdir, "uploads", NULL);
  g_assert_cmpint (g_mkdir (uploads, 0755), ==, 0);
  routes = g_build_filename (fixture->tmpdir, "routes.json", NULL);
  g_assert_true (g_file_set_contents (routes, routes_json, -1, NULL));
  serve_args[1] = routes;
  ladle_test_serve_start (&fixture->serve, uploads, serve_args, NULL);
  fixture->ladle_base = g_strdup_printf ("http://127.0.0.1:%u", fixture->serve.port);

  /* @data: whether the test needs httpbin too */
  if (data == NULL)
    return;
  if (!httpbin_installed ())
    {
      fixture->skipped = TRUE;
      g_test_skip ("python3-httpbin is not installed (tools/deps.sh test installs it)");
      return;
    }

  launcher = ladle_test_new_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE, env);
  g_subprocess_launcher_set_cwd (launcher, fixture->tmpdir);
  fixture->httpbin = g_subprocess_launcher_spawn (launcher, &error, ladle_test_get_python (),
                                                  "-c", httpbin_runner, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fixture->httpbin));
  /* The runner prints its port once it listens */
  port = ladle_test_read_line (out);
  g_assert_nonnull (port);
  g_assert_cmpuint (g_ascii_strtoull (port, NULL, 10), >, 0);
  fixture->httpbin_base = g_strdup_printf ("http://127.0.0.1:%s", port);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  ladle_test_serve_stop (&fixture->serve, SIGTERM);
  if (fixture->httpbin != NULL)
    {
      /* Killed: werkzeug's server has no clean way out */
      g_subprocess_force_exit (fixture->httpbin);
      g_assert_true (g_subprocess_wait (fixture->httpbin, NULL, NULL));
      g_clear_object (&fixture->httpbin);
    }
  ladle_test_rm_rf (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->httpbin_base);
  g_free (fixture->ladle_base);
}

/* --- Sending -------------------------------------------------------------------------------- */

typedef struct
{
  guint               status;
  SoupMessageHeaders *headers;
  GBytes             *body;
  char               *final_url;
} Answer;

static void
answer_clear (Answer *answer)
{
  g_clear_pointer (&answer->headers, soup_message_headers_unref);
  g_clear_pointer (&answer->body, g_bytes_unref);
  g_clear_pointer (&answer->final_url, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Answer, answer_clear)

static SoupSession *
new_session (gboolean jar)
{
  SoupSession *session = soup_session_new_with_options ("timeout", TIMEOUT_S,
                                                        "user-agent", "ladle-interop/1", NULL);

  /* Bodies as sent: gzip and deflate are decoded here, by the test */
  soup_session_remove_feature_by_type (session, SOUP_TYPE_CONTENT_DECODER);
  if (jar)
    soup_session_add_feature_by_type (session, SOUP_TYPE_COOKIE_JAR);
  return session;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_string (node) : NULL;
}

static gboolean
member_bool (JsonObject *object,
             const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_boolean (node);
}

static SoupMessage *
build_message (JsonObject *variant,
               const char *base,
               const char *extra_header_name,
               const char *extra_header_value)
{
  const char *method = member_string (variant, "m");
  const char *path = member_string (variant, "p");
  const char *text = member_string (variant, "b");
  const char *b64 = member_string (variant, "b64");
  const char *content_type = member_string (variant, "ct");
  g_autofree char *url = g_strconcat (base, path, NULL);
  SoupMessage *msg;
  SoupMessageHeaders *headers;

  if (method == NULL)
    method = "GET";

  if (json_object_has_member (variant, "mp"))
    {
      JsonArray *parts = json_object_get_array_member (variant, "mp");
      g_autoptr(SoupMultipart) multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);

      for (guint i = 0; i < json_array_get_length (parts); i++)
        {
          JsonArray *part = json_array_get_array_element (parts, i);
          const char *name = json_array_get_string_element (part, 0);
          const char *filename = json_array_get_string_element (part, 1);
          const char *type = json_array_get_string_element (part, 2);
          const char *data = json_array_get_string_element (part, 3);

          if (filename == NULL)
            {
              soup_multipart_append_form_string (multipart, name, data);
            }
          else
            {
              g_autoptr(GBytes) bytes = g_bytes_new (data, strlen (data));

              soup_multipart_append_form_file (multipart, name, filename, type, bytes);
            }
        }
      msg = soup_message_new_from_multipart (url, multipart);
      soup_message_set_method (msg, method);
    }
  else
    {
      msg = soup_message_new (method, url);
      g_assert_nonnull (msg);
      if (text != NULL || b64 != NULL)
        {
          g_autoptr(GBytes) body = NULL;

          if (b64 != NULL)
            {
              gsize len;
              guchar *decoded = g_base64_decode (b64, &len);

              body = g_bytes_new_take (decoded, len);
            }
          else
            {
              body = g_bytes_new (text, strlen (text));
            }
          soup_message_set_request_body_from_bytes (msg, content_type, body);
        }
    }

  headers = soup_message_get_request_headers (msg);
  if (json_object_has_member (variant, "h"))
    {
      JsonArray *list = json_object_get_array_member (variant, "h");

      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          JsonArray *pair = json_array_get_array_element (list, i);

          soup_message_headers_append (headers, json_array_get_string_element (pair, 0),
                                       json_array_get_string_element (pair, 1));
        }
    }
  if (extra_header_name != NULL)
    soup_message_headers_append (headers, extra_header_name, extra_header_value);

  if (!member_bool (variant, "follow"))
    soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  return msg;
}

static void
send (SoupSession *session,
      SoupMessage *msg,
      Answer      *answer)
{
  g_autoptr(GError) error = NULL;

  answer->body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  answer->status = soup_message_get_status (msg);
  answer->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  answer->final_url = g_uri_to_string (soup_message_get_uri (msg));
}

/* A digest client, by hand: libsoup's knows MD5 only. */

static char *
hash_hex (const char *algorithm,
          const char *text)
{
  GChecksumType type = G_CHECKSUM_MD5;

  if (g_strcmp0 (algorithm, "SHA-256") == 0)
    type = G_CHECKSUM_SHA256;
  else if (g_strcmp0 (algorithm, "SHA-512") == 0)
    type = G_CHECKSUM_SHA512;
  return g_compute_checksum_for_string (type, text, -1);
}

static char *
challenge_param (const char *challenge,
                 const char *name)
{
  g_autofree char *pattern = g_strdup_printf ("[ ,]%s=(\"([^\"]*)\"|([^ ,]*))", name);
  g_autoptr(GRegex) regex = g_regex_new (pattern, 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  char *quoted;

  if (!g_regex_match (regex, challenge, 0, &match))
    return NULL;
  quoted = g_match_info_fetch (match, 2);
  if (quoted != NULL && *quoted != '\0')
    return quoted;
  g_free (quoted);
  return g_match_info_fetch (match, 3);
}

static char *
cookies_from (SoupMessageHeaders *headers)
{
  GString *cookie = g_string_new (NULL);
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      const char *semi;

      if (g_ascii_strcasecmp (name, "Set-Cookie") != 0)
        continue;
      semi = strchr (value, ';');
      if (cookie->len > 0)
        g_string_append (cookie, "; ");
      g_string_append_len (cookie, value, semi != NULL ? semi - value : (gssize) strlen (value));
    }

  return g_string_free (cookie, FALSE);
}

/* The second request of a digest exchange, answering the challenge of the first. */
static void
send_digest (SoupSession *session,
             JsonObject  *variant,
             const char  *base,
             Answer      *answer)
{
  JsonObject *digest = json_object_get_object_member (variant, "digest");
  const char *user = member_string (digest, "user");
  const char *passwd = member_string (digest, "passwd");
  const char *qop = member_string (digest, "qop");
  const char *path = member_string (variant, "p");
  const char *method = member_string (variant, "m");
  g_auto(Answer) challenge = { 0 };
  g_autoptr(SoupMessage) first = build_message (variant, base, NULL, NULL);
  g_autoptr(SoupMessage) second = NULL;
  g_autofree char *realm = NULL;
  g_autofree char *nonce = NULL;
  g_autofree char *opaque = NULL;
  g_autofree char *algorithm = NULL;
  g_autofree char *a1 = NULL;
  g_autofree char *a2 = NULL;
  g_autofree char *ha1 = NULL;
  g_autofree char *ha2 = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *response = NULL;
  g_autofree char *authorization = NULL;
  g_autofree char *cookies = NULL;
  const char *www;

  if (method == NULL)
    method = "GET";

  send (session, first, &challenge);
  g_assert_cmpuint (challenge.status, ==, SOUP_STATUS_UNAUTHORIZED);
  www = soup_message_headers_get_one (challenge.headers, "WWW-Authenticate");
  g_assert_nonnull (www);
  realm = challenge_param (www, "realm");
  nonce = challenge_param (www, "nonce");
  opaque = challenge_param (www, "opaque");
  algorithm = challenge_param (www, "algorithm");
  g_assert_nonnull (nonce);

  a1 = g_strdup_printf ("%s:%s:%s", user, realm, passwd);
  ha1 = hash_hex (algorithm, a1);
  if (g_strcmp0 (qop, "auth-int") == 0)
    {
      g_autofree char *body_hash = hash_hex (algorithm, "");

      a2 = g_strdup_printf ("%s:%s:%s", method, path, body_hash);
    }
  else
    {
      a2 = g_strdup_printf ("%s:%s", method, path);
    }
  ha2 = hash_hex (algorithm, a2);
  if (qop != NULL)
    joined = g_strdup_printf ("%s:%s:00000001:0a4f113b:%s:%s", ha1, nonce, qop, ha2);
  else
    joined = g_strdup_printf ("%s:%s:%s", ha1, nonce, ha2);
  response = hash_hex (algorithm, joined);

  if (qop != NULL)
    authorization = g_strdup_printf ("Digest username=\"%s\", realm=\"%s\", nonce=\"%s\", "
                                     "uri=\"%s\", algorithm=%s, response=\"%s\", opaque=\"%s\", "
                                     "qop=%s, nc=00000001, cnonce=\"0a4f113b\"",
                                     user, realm, nonce, path, algorithm, response, opaque, qop);
  else
    authorization = g_strdup_printf ("Digest username=\"%s\", realm=\"%s\", nonce=\"%s\", "
                                     "uri=\"%s\", algorithm=%s, response=\"%s\", opaque=\"%s\"",
                                     user, realm, nonce, path, algorithm, response, opaque);

  second = build_message (variant, base, "Authorization", authorization);
  if (member_bool (digest, "cookies"))
    {
      cookies = cookies_from (challenge.headers);
      soup_message_headers_append (soup_message_get_request_headers (second), "Cookie", cookies);
    }
  send (session, second, answer);
}

static void
send_variant (JsonObject *variant,
              const char *base,
              Answer     *answer)
{
  g_autoptr(SoupSession) session = new_session (member_bool (variant, "jar"));

  if (json_object_has_member (variant, "digest"))
    {
      send_digest (session, variant, base, answer);
    }
  else
    {
      g_autoptr(SoupMessage) msg = build_message (variant, base, NULL, NULL);

      send (session, msg, answer);
    }

  soup_session_abort (session);
}

/* --- Comparing ------------------------------------------------------------------------------ */

typedef struct
{
  const char *httpbin_host;  /* 127.0.0.1:PORT */
  const char *ladle_host;
  GString    *report;
  guint       failures;
  const char *name;
  guint       json_compared;
  guint       bytes_compared;
} Compare;

static void
fail (Compare    *cmp,
      const char *format,
      ...) G_GNUC_PRINTF (2, 3);

static void
fail (Compare    *cmp,
      const char *format,
      ...)
{
  va_list args;

  g_string_append_printf (cmp->report, "%s: ", cmp->name);
  va_start (args, format);
  g_string_append_vprintf (cmp->report, format, args);
  va_end (args);
  g_string_append_c (cmp->report, '\n');
  cmp->failures++;
}

static char *
replace_all (const char *text,
             const char *from,
             const char *to)
{
  g_auto(GStrv) parts = g_strsplit (text, from, -1);

  return g_strjoinv (to, parts);
}

/* One server's text with its host:port spelled HOST */
static char *
normalise_host (const char *text,
                const char *host)
{
  return replace_all (text, host, "HOST");
}

static void
normalise_node (JsonNode   *node,
                const char *host)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        normalise_node (json_object_get_member (object, l->data), host);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        normalise_node (json_array_get_element (array, i), host);
    }
  else if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_autofree char *text = normalise_host (json_node_get_string (node), host);
      g_autoptr(GRegex) boundary = g_regex_new ("boundary=[0-9A-Za-z'()+_,./:=?-]+", 0, 0, NULL);
      g_autofree char *replaced = g_regex_replace (boundary, text, -1, 0, "boundary=B", 0, NULL);

      /* Each message has its own multipart boundary */
      json_node_set_string (node, replaced);
    }
}

static int
compare_strv_items (const void *a,
                    const void *b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

static int
compare_ptr_strings (gconstpointer a,
                     gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

static char *
header_values (SoupMessageHeaders *headers,
               const char         *name,
               const char         *host)
{
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  SoupMessageHeadersIter iter;
  const char *header_name;
  const char *value;
  gboolean sort = FALSE;

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &header_name, &value))
    {
      g_autofree char *normal = NULL;

      if (g_ascii_strcasecmp (header_name, name) != 0)
        continue;

      normal = normalise_host (value, host);
      if (g_ascii_strcasecmp (name, "Content-Type") == 0)
        {
          g_autofree char *lower = g_ascii_strdown (normal, -1);

          g_free (normal);
          normal = replace_all (lower, " ", "");
        }
      else if (g_ascii_strcasecmp (name, "WWW-Authenticate") == 0)
        {
          g_autoptr(GRegex) regex = g_regex_new ("(nonce|opaque)=\"[^\"]*\"", 0, 0, NULL);
          char *replaced = g_regex_replace (regex, normal, -1, 0, "\\1=\"X\"", 0, NULL);

          g_free (normal);
          normal = replaced;
        }
      else if (g_ascii_strcasecmp (name, "Set-Cookie") == 0)
        {
          g_autoptr(GRegex) regex = g_regex_new ("^last_nonce=[^;]*", 0, 0, NULL);
          char *replaced = g_regex_replace (regex, normal, -1, 0, "last_nonce=X", 0, NULL);

          g_free (normal);
          normal = replaced;
          sort = TRUE;
        }
      else if (g_ascii_strcasecmp (name, "Allow") == 0)
        {
          /* A set: werkzeug lists the methods in no stable order */
          g_auto(GStrv) methods = g_strsplit (normal, ",", -1);

          for (guint i = 0; methods[i] != NULL; i++)
            g_strstrip (methods[i]);
          qsort (methods, g_strv_length (methods), sizeof (char *), compare_strv_items);
          g_free (normal);
          normal = g_strjoinv (",", methods);
        }
      g_ptr_array_add (values, g_steal_pointer (&normal));
    }

  if (values->len == 0)
    return NULL;
  if (sort)
    g_ptr_array_sort (values, compare_ptr_strings);
  g_ptr_array_add (values, NULL);
  return g_strjoinv ("\n", (char **) values->pdata);
}

static gboolean
string_list_contains (JsonObject *variant,
                      const char *member,
                      const char *value)
{
  JsonArray *list;

  if (!json_object_has_member (variant, member))
    return FALSE;
  list = json_object_get_array_member (variant, member);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      if (g_str_equal (json_array_get_string_element (list, i), value))
        return TRUE;
    }
  return FALSE;
}

static const char *
media_type (SoupMessageHeaders *headers)
{
  const char *type = soup_message_headers_get_content_type (headers, NULL);

  return type != NULL ? type : "";
}

static GBytes *
decode (GBytes     *body,
        const char *coding)
{
  g_autoptr(GZlibDecompressor) decompressor = NULL;
  g_autoptr(GInputStream) raw = g_memory_input_stream_new_from_bytes (body);
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  decompressor = g_zlib_decompressor_new (g_str_equal (coding, "gzip") ?
                                          G_ZLIB_COMPRESSOR_FORMAT_GZIP :
                                          G_ZLIB_COMPRESSOR_FORMAT_ZLIB);
  in = g_converter_input_stream_new (raw, G_CONVERTER (decompressor));
  if (g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error) < 0)
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static JsonNode *
parse_json (GBytes     *body,
            const char *host)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  JsonNode *root;

  if (data == NULL || !json_parser_load_from_data (parser, data, len, NULL))
    return NULL;
  root = json_parser_steal_root (parser);
  if (root != NULL)
    normalise_node (root, host);
  return root;
}

static void
drop_ignored (JsonNode   *node,
              JsonObject *variant,
              Compare    *cmp,
              const char *side)
{
  JsonArray *list;

  if (!json_object_has_member (variant, "ignore") || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  list = json_object_get_array_member (variant, "ignore");
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      const char *name = json_array_get_string_element (list, i);
      JsonObject *object = json_node_get_object (node);

      if (g_str_has_prefix (name, "header:"))
        continue;
      if (!json_object_has_member (object, name))
        fail (cmp, "%s: member “%s” is missing", side, name);
      json_object_remove_member (object, name);
    }
}

static void
compare_json (Compare    *cmp,
              JsonObject *variant,
              GBytes     *httpbin_body,
              GBytes     *ladle_body)
{
  g_autoptr(JsonNode) expected = parse_json (httpbin_body, cmp->httpbin_host);
  g_autoptr(JsonNode) actual = parse_json (ladle_body, cmp->ladle_host);
  g_autofree char *expected_text = NULL;
  g_autofree char *actual_text = NULL;

  if (expected == NULL)
    {
      fail (cmp, "httpbin's answer is not JSON");
      return;
    }
  if (actual == NULL)
    {
      fail (cmp, "Ladle's answer is not JSON: %.*s", (int) MIN (g_bytes_get_size (ladle_body), 200),
            (const char *) g_bytes_get_data (ladle_body, NULL));
      return;
    }

  /* /response-headers: each reported length must be that server's own */
  if (string_list_contains (variant, "ignore", "Content-Length"))
    {
      const char *mine = JSON_NODE_HOLDS_OBJECT (actual) ?
        json_object_get_string_member_with_default (json_node_get_object (actual),
                                                    "Content-Length", "") : "";

      if (g_ascii_strtoull (mine, NULL, 10) != g_bytes_get_size (ladle_body))
        fail (cmp, "Ladle reports Content-Length %s for %" G_GSIZE_FORMAT " bytes", mine,
              g_bytes_get_size (ladle_body));
    }

  /* The one echoed header with non-ASCII text: Ladle's value must be the UTF-8 sent */
  if (g_strcmp0 (member_string (variant, "allow"), "non-ascii-mojibake") == 0)
    {
      JsonObject *headers = json_object_get_object_member (json_node_get_object (actual),
                                                           "headers");

      if (g_strcmp0 (json_object_get_string_member (headers, "X-Text"), "caf\u00e9") != 0)
        fail (cmp, "X-Text is not “café”");
      json_object_remove_member (headers, "X-Text");
      json_object_remove_member (json_object_get_object_member (json_node_get_object (expected),
                                                                "headers"), "X-Text");
    }

  cmp->json_compared++;
  drop_ignored (expected, variant, cmp, "httpbin");
  drop_ignored (actual, variant, cmp, "Ladle");
  if (json_node_equal (expected, actual))
    return;

  expected_text = json_to_string (expected, FALSE);
  actual_text = json_to_string (actual, FALSE);
  fail (cmp, "JSON differs:\n  httpbin %s\n  Ladle   %s", expected_text, actual_text);
}

static char *
bytes_to_string (GBytes *bytes)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  return data != NULL ? g_strndup (data, len) : g_strdup ("");
}

static void
compare_lines (Compare *cmp,
               GBytes  *httpbin_body,
               GBytes  *ladle_body)
{
  g_autofree char *expected_text = bytes_to_string (httpbin_body);
  g_autofree char *actual_text = bytes_to_string (ladle_body);
  g_auto(GStrv) expected = g_strsplit (expected_text, "\n", -1);
  g_auto(GStrv) actual = g_strsplit (actual_text, "\n", -1);

  if (g_strv_length (expected) != g_strv_length (actual))
    {
      fail (cmp, "%u lines, httpbin %u", g_strv_length (actual), g_strv_length (expected));
      return;
    }
  for (guint i = 0; expected[i] != NULL; i++)
    {
      g_autoptr(GBytes) a = g_bytes_new_static (expected[i], strlen (expected[i]));
      g_autoptr(GBytes) b = g_bytes_new_static (actual[i], strlen (actual[i]));
      g_autoptr(JsonNode) x = NULL;
      g_autoptr(JsonNode) y = NULL;

      if (*expected[i] == '\0' && *actual[i] == '\0')
        continue;
      x = parse_json (a, cmp->httpbin_host);
      y = parse_json (b, cmp->ladle_host);
      if (x == NULL || y == NULL || !json_node_equal (x, y))
        {
          fail (cmp, "line %u differs:\n  httpbin %s\n  Ladle   %s", i, expected[i], actual[i]);
          return;
        }
    }
}

static void
compare_variant (Compare    *cmp,
                 JsonObject *variant,
                 Answer     *httpbin,
                 Answer     *ladle)
{
  const char *mode = member_string (variant, "cmp");
  const char *allow = member_string (variant, "allow");
  const char *coding = member_string (variant, "decode");
  const char *httpbin_type = media_type (httpbin->headers);
  gsize httpbin_len = g_bytes_get_size (httpbin->body);
  gboolean error_page = FALSE;
  gboolean skip_type = FALSE;
  g_autoptr(GBytes) httpbin_body = NULL;
  g_autoptr(GBytes) ladle_body = NULL;

  if (allow != NULL)
    use_allowance (allow);

  if (httpbin->status != ladle->status)
    {
      fail (cmp, "status %u, httpbin %u", ladle->status, httpbin->status);
      return;
    }

  /* Flask's HTML (or text) error pages */
  if (httpbin->status >= 400 && httpbin_len > 0 &&
      (g_str_equal (httpbin_type, "text/html") || g_str_equal (httpbin_type, "text/plain")) &&
      g_str_equal (media_type (ladle->headers), "application/json"))
    error_page = TRUE;
  if (error_page)
    {
      use_allowance ("error-body");
      skip_type = TRUE;
      mode = "none";
    }
  else if (SOUP_STATUS_IS_REDIRECTION (httpbin->status) && httpbin_len > 0 &&
           g_bytes_get_size (ladle->body) == 0)
    {
      use_allowance ("redirect-body");
      skip_type = TRUE;
      mode = "none";
    }
  /* A type without a body says nothing */
  if (httpbin_len == 0 && g_bytes_get_size (ladle->body) == 0)
    skip_type = TRUE;
  if (g_strcmp0 (allow, "root") == 0)
    skip_type = TRUE;

  for (guint i = 0; compared_headers[i] != NULL; i++)
    {
      const char *name = compared_headers[i];
      g_autofree char *expected = header_values (httpbin->headers, name, cmp->httpbin_host);
      g_autofree char *actual = header_values (ladle->headers, name, cmp->ladle_host);
      g_autofree char *presence = g_strconcat ("header:", name, NULL);

      if (g_str_equal (name, "Content-Type") && skip_type)
        continue;
      if (g_str_equal (name, "Location") && expected != NULL &&
          g_strcmp0 (allow, "non-ascii-mojibake") == 0)
        {
          if (actual == NULL || !g_str_equal (actual, "/anything/%C3%A9"))
            fail (cmp, "Location %s", actual);
          continue;
        }
      if (g_str_equal (name, "Last-Modified") || string_list_contains (variant, "ignore", presence))
        {
          if ((expected == NULL) != (actual == NULL))
            fail (cmp, "%s: %s, httpbin %s", name, actual, expected);
          continue;
        }
      if (g_strcmp0 (expected, actual) != 0)
        fail (cmp, "%s: “%s”, httpbin “%s”", name, actual, expected);
    }

  if (json_object_has_member (variant, "hdr"))
    {
      JsonArray *list = json_object_get_array_member (variant, "hdr");

      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          const char *name = json_array_get_string_element (list, i);
          g_autofree char *expected = header_values (httpbin->headers, name, cmp->httpbin_host);
          g_autofree char *actual = header_values (ladle->headers, name, cmp->ladle_host);

          if (expected == NULL)
            fail (cmp, "httpbin sent no %s", name);
          if (g_str_equal (name, "Last-Modified"))
            {
              if (actual == NULL)
                fail (cmp, "no %s", name);
              continue;
            }
          if (g_strcmp0 (expected, actual) != 0)
            fail (cmp, "%s: “%s”, httpbin “%s”", name, actual, expected);
        }
    }

  /* The final URL of followed redirects */
  if (member_bool (variant, "follow"))
    {
      g_autofree char *expected = normalise_host (httpbin->final_url, cmp->httpbin_host);
      g_autofree char *actual = normalise_host (ladle->final_url, cmp->ladle_host);

      if (!g_str_equal (expected, actual))
        fail (cmp, "ended at %s, httpbin %s", actual, expected);
    }

  httpbin_body = g_bytes_ref (httpbin->body);
  ladle_body = g_bytes_ref (ladle->body);
  if (coding != NULL)
    {
      g_clear_pointer (&httpbin_body, g_bytes_unref);
      g_clear_pointer (&ladle_body, g_bytes_unref);
      httpbin_body = decode (httpbin->body, coding);
      ladle_body = decode (ladle->body, coding);
      if (httpbin_body == NULL || ladle_body == NULL)
        {
          fail (cmp, "not %s-encoded (httpbin %s, Ladle %s)", coding,
                httpbin_body != NULL ? "yes" : "no", ladle_body != NULL ? "yes" : "no");
          return;
        }
    }

  if (mode == NULL)
    {
      if (g_str_equal (httpbin_type, "application/json") && httpbin_len > 0)
        compare_json (cmp, variant, httpbin_body, ladle_body);
      else if (g_bytes_get_size (httpbin_body) == 0 && g_bytes_get_size (ladle_body) != 0 &&
               g_strcmp0 (member_string (variant, "m"), "HEAD") != 0)
        fail (cmp, "a body of %" G_GSIZE_FORMAT " bytes where httpbin has none",
              g_bytes_get_size (ladle_body));
    }
  else if (g_str_equal (mode, "body"))
    {
      cmp->bytes_compared++;
      if (!g_bytes_equal (httpbin_body, ladle_body))
        fail (cmp, "body differs:\n  httpbin %.*s\n  Ladle   %.*s",
              (int) MIN (g_bytes_get_size (httpbin_body), 300),
              (const char *) g_bytes_get_data (httpbin_body, NULL),
              (int) MIN (g_bytes_get_size (ladle_body), 300),
              (const char *) g_bytes_get_data (ladle_body, NULL));
    }
  else if (g_str_equal (mode, "lines"))
    {
      compare_lines (cmp, httpbin_body, ladle_body);
    }
  else if (g_str_equal (mode, "len"))
    {
      if (g_bytes_get_size (httpbin_body) != g_bytes_get_size (ladle_body))
        fail (cmp, "%" G_GSIZE_FORMAT " bytes, httpbin %" G_GSIZE_FORMAT,
              g_bytes_get_size (ladle_body), g_bytes_get_size (httpbin_body));
    }
  else
    {
      g_assert_cmpstr (mode, ==, "none");
      /* Still: a body where httpbin has one, and none where it has none */
      if ((g_bytes_get_size (httpbin_body) == 0) != (g_bytes_get_size (ladle_body) == 0) &&
          !error_page && !skip_type)
        fail (cmp, "%" G_GSIZE_FORMAT " bytes of body, httpbin %" G_GSIZE_FORMAT,
              g_bytes_get_size (ladle_body), g_bytes_get_size (httpbin_body));
    }
}

/* --- Tests ---------------------------------------------------------------------------------- */

static JsonNode *
load_corpus (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "httpbin-corpus.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_parser_steal_root (parser);
}

static void
test_corpus (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) endpoints = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) report = g_string_new (NULL);
  JsonArray *variants;
  Compare cmp = { 0 };
  guint n;

  if (fixture->skipped)
    return;

  memset (allowed_used, 0, sizeof allowed_used);
  root = load_corpus ();
  variants = json_object_get_array_member (json_node_get_object (root), "variants");
  n = json_array_get_length (variants);
  g_assert_cmpuint (n, >=, 150);

  cmp.httpbin_host = fixture->httpbin_base + strlen ("http://");
  cmp.ladle_host = fixture->ladle_base + strlen ("http://");
  cmp.report = report;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *variant = json_array_get_object_element (variants, i);
      g_auto(Answer) httpbin = { 0 };
      g_auto(Answer) ladle = { 0 };
      g_auto(GStrv) segments = g_strsplit (member_string (variant, "p"), "/", 3);

      cmp.name = member_string (variant, "n");
      g_hash_table_add (endpoints, g_strdup (segments[1] != NULL ? segments[1] : ""));

      send_variant (variant, fixture->httpbin_base, &httpbin);
      send_variant (variant, fixture->ladle_base, &ladle);
      compare_variant (&cmp, variant, &httpbin, &ladle);
    }

  g_test_message ("%u variants compared over %u endpoints (%u JSON bodies, %u exact bodies); "
                  "%u differences", n, g_hash_table_size (endpoints), cmp.json_compared,
                  cmp.bytes_compared, cmp.failures);
  for (gsize i = 0; i < G_N_ELEMENTS (allowed); i++)
    g_test_message ("allowed “%s” (%s): %u variants", allowed[i].key, allowed[i].why,
                    allowed_used[i]);

  if (cmp.failures > 0)
    g_test_message ("%s", report->str);
  g_assert_cmpuint (cmp.failures, ==, 0);

  /* Every allowance is needed, or it goes */
  for (gsize i = 0; i < G_N_ELEMENTS (allowed); i++)
    {
      if (allowed_used[i] == 0)
        g_error ("allow-list entry “%s” is not needed by any variant", allowed[i].key);
    }
}

/* Every route of python3-httpbin's Flask app is served by Ladle (no 404). */
static void
test_route_list (Fixture       *fixture,
                 gconstpointer  data)
{
  static const char lister[] =
    "import httpbin\n"
    "for rule in httpbin.app.url_map.iter_rules():\n"
    "    print(rule.rule)\n";
  const char *argv[] = { ladle_test_get_python (), "-c", lister, NULL };
  static const char *const samples[][2] = {
    { "<int:n>", "2" }, { "<int:numbytes>", "2" }, { "<int:offset>", "0" },
    { "<int:value>", "5" }, { "<path:anything>", "x/y" }, { "<codes>", "200" },
    { "<delay>", "0" }, { "<name>", "a" }, { "<value>", "SGk=" }, { "<user>", "u" },
    { "<passwd>", "p" }, { "<qop>", "auth" }, { "<algorithm>", "MD5" },
    { "<stale_after>", "never" }, { "<etag>", "e" }, { "<filename>", "x" },
  };
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) rules = NULL;
  guint checked = 0;

  if (fixture->skipped)
    return;

  g_assert_cmpint (ladle_test_run_command (argv, NULL, &out, &err), ==, 0);
  rules = g_strsplit (out, "\n", -1);
  session = new_session (FALSE);

  for (guint i = 0; rules[i] != NULL; i++)
    {
      g_autofree char *path = g_strdup (rules[i]);
      g_autofree char *url = NULL;
      g_autoptr(SoupMessage) msg = NULL;
      g_auto(Answer) answer = { 0 };

      if (*path == '\0' || g_str_has_prefix (path, "/static/"))
        continue;
      for (gsize j = 0; j < G_N_ELEMENTS (samples); j++)
        {
          g_autofree char *replaced = replace_all (path, samples[j][0], samples[j][1]);

          g_free (path);
          path = g_steal_pointer (&replaced);
        }
      g_assert_null (strchr (path, '<'));

      url = g_strconcat (fixture->ladle_base, path,
                         g_str_equal (path, "/redirect-to") ? "?url=/get" : "", NULL);
      msg = soup_message_new ("GET", url);
      soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
      send (session, msg, &answer);
      if (answer.status == SOUP_STATUS_NOT_FOUND && !g_str_has_prefix (path, "/hidden-basic-auth"))
        g_error ("%s: Ladle answers 404 to httpbin's route %s", path, rules[i]);
      checked++;
    }

  g_test_message ("%u httpbin routes answered by Ladle", checked);
  g_assert_cmpuint (checked, >=, 50);
}

/* Mock routes carry the CORS headers unless they opt out; their own headers replace them. */
static void
test_mock_cors (Fixture       *fixture,
                gconstpointer  data)
{
  static const struct
  {
    const char *method;
    const char *path;
    const char *origin;
    const char *expected;  /* Access-Control-Allow-Origin, NULL for none */
  } cases[] = {
    { "GET", "/mock/cors", NULL, "*" },
    { "GET", "/mock/cors", "http://a.example", "http://a.example" },
    { "GET", "/mock/no-cors", "http://a.example", NULL },
    { "GET", "/mock/own-cors", "http://a.example", "https://only.example" },
    { "OPTIONS", "/mock/any", "http://a.example", "http://a.example" },
    /* A preflight for a GET route: 200 with Allow */
    { "OPTIONS", "/mock/cors", "http://a.example", "http://a.example" },
    { "OPTIONS", "/mock/no-cors", "http://a.example", NULL },
  };
  g_autoptr(SoupSession) session = new_session (FALSE);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *url = g_strconcat (fixture->ladle_base, cases[i].path, NULL);
      g_autoptr(SoupMessage) msg = soup_message_new (cases[i].method, url);
      g_auto(Answer) answer = { 0 };
      const char *credentials;

      if (cases[i].origin != NULL)
        soup_message_headers_append (soup_message_get_request_headers (msg), "Origin",
                                     cases[i].origin);
      send (session, msg, &answer);
      g_assert_cmpuint (answer.status, <, 300);
      g_assert_cmpstr (soup_message_headers_get_one (answer.headers, "Access-Control-Allow-Origin"),
                       ==, cases[i].expected);
      credentials = soup_message_headers_get_one (answer.headers,
                                                  "Access-Control-Allow-Credentials");
      if (g_str_equal (cases[i].path, "/mock/no-cors") ||
          g_str_equal (cases[i].path, "/mock/own-cors"))
        g_assert_null (credentials);
      else
        g_assert_cmpstr (credentials, ==, "true");
      if (g_str_equal (cases[i].method, "OPTIONS") && cases[i].expected != NULL)
        g_assert_cmpstr (soup_message_headers_get_one (answer.headers, "Access-Control-Max-Age"),
                         ==, "3600");
      if (g_str_equal (cases[i].method, "OPTIONS") && g_str_has_suffix (cases[i].path, "cors"))
        g_assert_cmpstr (soup_message_headers_get_one (answer.headers, "Allow"), ==,
                         "GET, HEAD, OPTIONS");
    }
}

/* A suffix range longer than a body in memory means the whole body (libsoup 3.2 alone fails) */
static void
test_range_suffix (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char *const cases[][4] = {
    { "/mock/digits", "bytes=-40", "bytes 0-9/10", "0123456789" },
    { "/mock/digits", "bytes=-3", "bytes 7-9/10", "789" },
    { "/mock/digits", "bytes=2-4", "bytes 2-4/10", "234" },
    { "/", "bytes=-1000", "bytes 0-12/13", "Hello, World!" },
  };
  g_autoptr(SoupSession) session = new_session (FALSE);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *url = g_strconcat (fixture->ladle_base, cases[i][0], NULL);
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
      g_auto(Answer) answer = { 0 };
      g_autofree char *body = NULL;

      soup_message_headers_append (soup_message_get_request_headers (msg), "Range", cases[i][1]);
      send (session, msg, &answer);
      g_assert_cmpuint (answer.status, ==, SOUP_STATUS_PARTIAL_CONTENT);
      g_assert_cmpstr (soup_message_headers_get_one (answer.headers, "Content-Range"), ==,
                       cases[i][2]);
      body = bytes_to_string (answer.body);
      g_assert_cmpstr (body, ==, cases[i][3]);
    }
}

/* --- The tutorial ---------------------------------------------------------------------------- */

/* The seed's aiohttp clients print "Статус: N" then "Тело ответа: BODY": run against httpbin and
 * against Ladle, they print the same, modulo the address and the values a server makes up. */
static char *
run_seed_client (const char *name,
                 const char *url)
{
  g_autofree char *script = g_build_filename (g_getenv ("LADLE_SEED_DIR"), name, NULL);
  const char *argv[] = { ladle_test_get_python (), script, url, NULL };
  g_autofree char *err = NULL;
  char *out = NULL;

  g_assert_true (g_file_test (script, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (ladle_test_run_command (argv, NULL, &out, &err), ==, 0);
  return out;
}

static JsonNode *
seed_body (const char *out,
           const char *host,
           char      **status_line)
{
  const char *body_prefix = "\nТело ответа: ";
  const char *body = strstr (out, body_prefix);
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  g_assert_nonnull (body);
  *status_line = g_strndup (out, body - out);
  {
    g_autoptr(JsonParser) parser = json_parser_new ();

    json_parser_load_from_data (parser, body + strlen (body_prefix), -1, &error);
    g_assert_no_error (error);
    root = json_node_copy (json_parser_get_root (parser));
  }
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  /* What each server makes up: who asked, and the client's own headers */
  json_object_remove_member (json_node_get_object (root), "origin");
  normalise_node (root, host);
  return root;
}

static void
test_tutorial (Fixture       *fixture,
               gconstpointer  data)
{
  const struct { const char *script; const char *path; } steps[] = {
    { "client_get.py", "/get" },
    { "client_post.py", "/post" },
  };

  if (fixture->skipped)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autofree char *httpbin_url = g_strconcat (fixture->httpbin_base, steps[i].path, NULL);
      g_autofree char *ladle_url = g_strconcat (fixture->ladle_base, steps[i].path, NULL);
      g_autofree char *httpbin_out = run_seed_client (steps[i].script, httpbin_url);
      g_autofree char *ladle_out = run_seed_client (steps[i].script, ladle_url);
      g_autofree char *httpbin_status = NULL;
      g_autofree char *ladle_status = NULL;
      g_autoptr(JsonNode) httpbin_body = seed_body (httpbin_out, fixture->httpbin_base + 7,
                                                    &httpbin_status);
      g_autoptr(JsonNode) ladle_body = seed_body (ladle_out, fixture->ladle_base + 7,
                                                  &ladle_status);

      g_test_message ("%s: %s", steps[i].script, ladle_status);
      g_assert_cmpstr (ladle_status, ==, httpbin_status);
      g_assert_cmpstr (ladle_status, ==, "Статус: 200");
      if (!json_node_equal (ladle_body, httpbin_body))
        {
          g_autofree char *a = json_to_string (ladle_body, TRUE);
          g_autofree char *b = json_to_string (httpbin_body, TRUE);

          g_error ("%s: Ladle printed\n%s\nhttpbin printed\n%s", steps[i].script, a, b);
        }
      /* …and in the common style, as httpbin.org prints it */
      g_assert_nonnull (strstr (ladle_out, "\"args\": {"));
    }
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  g_test_add ("/ladle/interop-httpbin/corpus", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_corpus, fixture_teardown);
  g_test_add ("/ladle/interop-httpbin/route-list", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_route_list, fixture_teardown);
  g_test_add ("/ladle/interop-httpbin/tutorial", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_tutorial, fixture_teardown);
  /* Ladle alone */
  g_test_add ("/ladle/interop-httpbin/mock-cors", Fixture, NULL,
              fixture_setup, test_mock_cors, fixture_teardown);
  g_test_add ("/ladle/interop-httpbin/range-suffix", Fixture, NULL,
              fixture_setup, test_range_suffix, fixture_teardown);

  return ladle_test_run ();
}
