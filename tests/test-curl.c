/* test-curl.c
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

#include "ladle-curl.h"
#include "ladle-error.h"

#include "ladle-test-utils.h"

#include <string.h>
#include <sys/stat.h>

enum {
  FOLLOW   = 1 << 0,
  INSECURE = 1 << 1,
};

typedef struct
{
  const char    *name;
  const char    *command;
  const char    *method;
  const char    *url;
  const char    *headers[14];     /* "Name: value", in order */
  LadleBodyKind  body_kind;
  const char    *body;            /* TEXT/JSON text, FILE path */
  const char    *content_type;    /* TEXT/FILE body content type */
  const char    *fields[8];       /* FORM/MULTIPART: "name=value", "name=@path", "…;type=x" */
  const char    *params[6];       /* "name=value" */
  LadleAuthKind  auth;
  const char    *user_or_token;
  const char    *password;
  guint          flags;
  guint          n_warnings;
  double         timeouts[3];     /* connect, total, idle */
} CorpusCase;

static const CorpusCase corpus[] = {
  {
    "chrome-get",
    "curl 'https://www.example.com/api/items?page=2&sort=-date' \\\n"
    "  -H 'authority: www.example.com' \\\n"
    "  -H 'accept: application/json, text/plain, */*' \\\n"
    "  -H 'accept-language: en-GB,en;q=0.9,ru;q=0.8' \\\n"
    "  -H 'cookie: session=abc123; theme=dark' \\\n"
    "  -H 'referer: https://www.example.com/items' \\\n"
    "  -H 'sec-ch-ua: \"Chromium\";v=\"116\", \"Not)A;Brand\";v=\"24\", \"Google Chrome\";v=\"116\"' \\\n"
    "  -H 'sec-ch-ua-mobile: ?0' \\\n"
    "  -H 'sec-fetch-mode: cors' \\\n"
    "  -H 'user-agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0.0.0 Safari/537.36' \\\n"
    "  --compressed",
    "GET", "https://www.example.com/api/items?page=2&sort=-date",
    { "authority: www.example.com", "accept: application/json, text/plain, */*",
      "accept-language: en-GB,en;q=0.9,ru;q=0.8", "cookie: session=abc123; theme=dark",
      "referer: https://www.example.com/items",
      "sec-ch-ua: \"Chromium\";v=\"116\", \"Not)A;Brand\";v=\"24\", \"Google Chrome\";v=\"116\"",
      "sec-ch-ua-mobile: ?0", "sec-fetch-mode: cors",
      "user-agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0.0.0 Safari/537.36",
      NULL },
    LADLE_BODY_NONE, NULL, NULL, { NULL }, { NULL }, LADLE_AUTH_NONE, NULL, NULL, 0, 0, { 0 },
  },
  {
    "chrome-post-json-ansi-c",
    "curl 'https://api.example.com/graphql' \\\n"
    "  -H 'accept: */*' \\\n"
    "  -H 'content-type: application/json' \\\n"
    "  -H 'origin: https://example.com' \\\n"
    "  --data-raw $'{\"query\":\"{ user(name: \\\\\"O\\'Brien\\\\\") { id } }\",\"note\":\"tab\\there\\\\n\",\"e\":\"\\u00e9\\x41\"}' \\\n"
    "  --compressed",
    "POST", "https://api.example.com/graphql",
    { "accept: */*", "origin: https://example.com", NULL },
    LADLE_BODY_JSON,
    "{\"query\":\"{ user(name: \\\"O'Brien\\\") { id } }\",\"note\":\"tab\there\\n\",\"e\":\"éA\"}",
    NULL, { NULL }, { NULL }, LADLE_AUTH_NONE, NULL, NULL, 0, 0, { 0 },
  },
  {
    "firefox-post-form",
    "curl 'https://example.com/login' -X POST -H 'User-Agent: Mozilla/5.0 (X11; Linux x86_64; "
    "rv:109.0) Gecko/20100101 Firefox/115.0' -H 'Accept: */*' -H 'Content-Type: "
    "application/x-www-form-urlencoded; charset=UTF-8' -H 'Origin: https://example.com' "
    "-H 'Connection: keep-alive' --data-raw 'user=alice&pass=s%C3%A9cret%26more&remember=on+please'",
    "POST", "https://example.com/login",
    { "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0",
      "Accept: */*", "Origin: https://example.com", "Connection: keep-alive", NULL },
    LADLE_BODY_FORM, NULL, NULL,
    { "user=alice", "pass=sécret&more", "remember=on please", NULL }, { NULL },
    LADLE_AUTH_NONE, NULL, NULL, 0, 0, { 0 },
  },
  {
    "firefox-put-text",
    "curl 'https://example.com/notes/7' -X PUT -H 'Content-Type: text/markdown' "
    "--data-raw '# Title\n\nSome *text* with an = sign & more'",
    "PUT", "https://example.com/notes/7", { NULL },
    LADLE_BODY_TEXT, "# Title\n\nSome *text* with an = sign & more", "text/markdown",
    { NULL }, { NULL }, LADLE_AUTH_NONE, NULL, NULL, 0, 0, { 0 },
  },
  {
    "github-create-issue",
    "curl -L \\\n"
    "  -X POST \\\n"
    "  -H \"Accept: application/vnd.github+json\" \\\n"
    "  -H \"Authorization: Bearer <YOUR-TOKEN>\" \\\n"
    "  -H \"X-GitHub-Api-Version: 2022-11-28\" \\\n"
    "  https://api.github.com/repos/OWNER/REPO/issues \\\n"
    "  -d '{\"title\":\"Found a bug\",\"body\":\"I'\\''m having a problem.\",\"labels\":[\"bug\"]}'",
    "POST", "https://api.github.com/repos/OWNER/REPO/issues",
    { "Accept: application/vnd.github+json", "X-GitHub-Api-Version: 2022-11-28", NULL },
    LADLE_BODY_TEXT, "{\"title\":\"Found a bug\",\"body\":\"I'm having a problem.\",\"labels\":[\"bug\"]}",
    "application/x-www-form-urlencoded", { NULL }, { NULL },
    LADLE_AUTH_BEARER, "<YOUR-TOKEN>", NULL, FOLLOW, 0, { 0 },
  },
  {
    "stripe-charge",
    "curl https://api.stripe.com/v1/charges \\\n"
    "  -u sk_test_4eC39HqLyjWDarjtT1zdp7dc: \\\n"
    "  -d amount=2000 \\\n"
    "  -d currency=usd \\\n"
    "  -d source=tok_visa \\\n"
    "  -d \"metadata[order_id]\"=6735",
    "POST", "https://api.stripe.com/v1/charges", { NULL },
    LADLE_BODY_FORM, NULL, NULL,
    { "amount=2000", "currency=usd", "source=tok_visa", "metadata[order_id]=6735", NULL }, { NULL },
    LADLE_AUTH_BASIC, "sk_test_4eC39HqLyjWDarjtT1zdp7dc", "", 0, 0, { 0 },
  },
  {
    "stripe-list-get",
    "curl -G https://api.stripe.com/v1/customers \\\n"
    "  -u sk_test_xyz: \\\n"
    "  -d limit=3 \\\n"
    "  -d \"created[gte]\"=1700000000",
    "GET", "https://api.stripe.com/v1/customers", { NULL },
    LADLE_BODY_NONE, NULL, NULL, { NULL }, { "limit=3", "created[gte]=1700000000", NULL },
    LADLE_AUTH_BASIC, "sk_test_xyz", "", 0, 0, { 0 },
  },
  {
    "slack-post-message",
    "curl -X POST -H 'Authorization: Bearer xoxb-1234-5678' -H 'Content-type: application/json; "
    "charset=utf-8' --data '{\"channel\":\"C123ABC456\",\"text\":\"Hello, world\"}' "
    "https://slack.com/api/chat.postMessage",
    "POST", "https://slack.com/api/chat.postMessage", { NULL },
    LADLE_BODY_JSON, "{\"channel\":\"C123ABC456\",\"text\":\"Hello, world\"}", NULL,
    { NULL }, { NULL }, LADLE_AUTH_BEARER, "xoxb-1234-5678", NULL, 0, 0, { 0 },
  },
  {
    "slack-file-upload",
    "curl -F file=@dramacat.gif -F \"initial_comment=Shakes the cat\" "
    "-F channels=C024BE91L,D032AC32T -F 'thumb=@\"/tmp/my;thumb.png\";type=image/png' "
    "-H \"Authorization: Bearer xoxb-xxxxxxxxx-xxxx\" https://slack.com/api/files.upload",
    "POST", "https://slack.com/api/files.upload", { NULL },
    LADLE_BODY_MULTIPART, NULL, NULL,
    { "file=@dramacat.gif", "initial_comment=Shakes the cat", "channels=C024BE91L,D032AC32T",
      "thumb=@/tmp/my;thumb.png;type=image/png", NULL }, { NULL },
    LADLE_AUTH_BEARER, "xoxb-xxxxxxxxx-xxxx", NULL, 0, 0, { 0 },
  },
  {
    "mailgun-form",
    "curl -s --user 'api:YOUR_API_KEY' \\\n"
    "    https://api.mailgun.net/v3/YOUR_DOMAIN_NAME/messages \\\n"
    "    -F from='Excited User <mailgun@YOUR_DOMAIN_NAME>' \\\n"
    "    -F to=YOU@YOUR_DOMAIN_NAME \\\n"
    "    -F subject='Hello' \\\n"
    "    -F text='Testing some Mailgun awesomeness!' \\\n"
    "    --form-string 'html=<b>@bold;type=x</b>'",
    "POST", "https://api.mailgun.net/v3/YOUR_DOMAIN_NAME/messages", { NULL },
    LADLE_BODY_MULTIPART, NULL, NULL,
    { "from=Excited User <mailgun@YOUR_DOMAIN_NAME>", "to=YOU@YOUR_DOMAIN_NAME", "subject=Hello",
      "text=Testing some Mailgun awesomeness!", "html=<b>@bold;type=x</b>", NULL }, { NULL },
    LADLE_AUTH_BASIC, "api", "YOUR_API_KEY", 0, 0, { 0 },
  },
  {
    "twilio-urlencode",
    "curl -X POST \"https://api.twilio.com/2010-04-01/Accounts/$TWILIO_ACCOUNT_SID/Messages.json\" \\\n"
    "--data-urlencode \"Body=Hi there & welcome\" \\\n"
    "--data-urlencode \"From=+15017122661\" \\\n"
    "--data-urlencode \"=ignored name\" \\\n"
    "-u $TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN",
    "POST", "https://api.twilio.com/2010-04-01/Accounts/$TWILIO_ACCOUNT_SID/Messages.json", { NULL },
    LADLE_BODY_TEXT, "Body=Hi%20there%20%26%20welcome&From=%2B15017122661&ignored%20name",
    "application/x-www-form-urlencoded", { NULL }, { NULL },
    LADLE_AUTH_BASIC, "$TWILIO_ACCOUNT_SID", "$TWILIO_AUTH_TOKEN", 0, 0, { 0 },
  },
  {
    "get-data-urlencode",
    "curl -G 'https://api.example.com/search' --data-urlencode 'q=café & crème' "
    "--data-urlencode 'sort=date desc' -d 'limit=10'",
    "GET", "https://api.example.com/search", { NULL },
    LADLE_BODY_NONE, NULL, NULL, { NULL }, { "q=café & crème", "sort=date desc", "limit=10", NULL },
    LADLE_AUTH_NONE, NULL, NULL, 0, 0, { 0 },
  },
  {
    "elasticsearch-get-json",
    "curl -X GET \"localhost:9200/_search?pretty\" -H 'Content-Type: application/json' -d'\n"
    "{\n"
    "  \"query\": { \"match_all\": {} }\n"
    "}\n"
    "'",
    "GET", "http://localhost:9200/_search?pretty", { NULL },
    LADLE_BODY_JSON, "\n{\n  \"query\": { \"match_all\": {} }\n}\n", NULL, { NULL }, { NULL },
    LADLE_AUTH_NONE, NULL, NULL, 0, 0, { 0 },
  },
  {
    "combined-short-flags",
    "curl -sSLk -XPATCH -HContent-Type:text/csv -HX-Empty\\; --data-binary @data.csv "
    "https://example.com/import",
    "PATCH", "https://example.com/import", { "X-Empty: ", NULL },
    LADLE_BODY_FILE, "data.csv", "text/csv", { NULL }, { NULL },
    LADLE_AUTH_NONE, NULL, NULL, FOLLOW | INSECURE, 0, { 0 },
  },
  {
    "webdav-upload",
    "curl -T ./backup.tar.gz -u admin:s3cr:et https://dav.example.com/backups/",
    "PUT", "https://dav.example.com/backups/", { NULL },
    LADLE_BODY_FILE, "./backup.tar.gz", "application/octet-stream", { NULL }, { NULL },
    LADLE_AUTH_BASIC, "admin", "s3cr:et", 0, 0, { 0 },
  },
  {
    "digest",
    "curl --digest -u 'Mufasa:Circle of Life' https://example.org/dir/index.html",
    "GET", "https://example.org/dir/index.html", { NULL },
    LADLE_BODY_NONE, NULL, NULL, { NULL }, { NULL },
    LADLE_AUTH_DIGEST, "Mufasa", "Circle of Life", 0, 0, { 0 },
  },
  {
    "digest-then-basic",
    "curl -u a:b --digest --basic https://example.org/",
    "GET", "https://example.org/", { NULL },
    LADLE_BODY_NONE, NULL, NULL, { NULL }, { NULL },
    LADLE_AUTH_BASIC, "a", "b", 0, 0, { 0 },
  },
  {
    "head-and-timeouts",
    "curl -I --connect-timeout 2.5 --max-time 30 -y 7 -Y 1 --max-redirs 3 -L "
    "https://example.com/big.iso",
    "HEAD", "https://example.com/big.iso", { NULL },
    LADLE_BODY_NONE, NULL, NULL, { NULL }, { NULL },
    LADLE_AUTH_NONE, NULL, NULL, FOLLOW, 0, { 2.5, 30, 7 },
  },
  {
    "output-options-warn",
    "curl -o out.json -w '%{http_code}' -m 10 --retry 3 --frobnicate -Z2 https://example.com/data.json",
    "GET", "https://example.com/data.json", { NULL },
    LADLE_BODY_NONE, NULL, NULL, { NULL }, { NULL },
    LADLE_AUTH_NONE, NULL, NULL, 0,
    6 /* -o, -w, --retry, --frobnicate, -Z, -2 */, { 0, 10, 0 },
  },
  {
    "cookies-agent-referer",
    "curl -b 'session=abc; lang=en' -b cookies.txt -b 'x=1' -A 'MyAgent/1.0' "
    "-e 'https://ref.example/;auto' https://example.com/",
    "GET", "https://example.com/",
    { "User-Agent: MyAgent/1.0", "Referer: https://ref.example/", "Cookie: session=abc; lang=en; x=1",
      NULL },
    LADLE_BODY_NONE, NULL, NULL, { NULL }, { NULL },
    LADLE_AUTH_NONE, NULL, NULL, 0, 1, { 0 },
  },
  {
    "prompt-and-pipe",
    "$ curl -s https://api.example.com/users?per_page=5 | jq '.[0]'",
    "GET", "https://api.example.com/users?per_page=5", { NULL },
    LADLE_BODY_NONE, NULL, NULL, { NULL }, { NULL },
    LADLE_AUTH_NONE, NULL, NULL, 0, 1, { 0 },
  },
  {
    "json-option-and-basic-header",
    "curl --json '{\"ok\": true}' -H 'Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l' "
    "--url https://example.com/api",
    "POST", "https://example.com/api", { "Accept: application/json", NULL },
    LADLE_BODY_JSON, "{\"ok\": true}", NULL, { NULL }, { NULL },
    LADLE_AUTH_BASIC, "aladdin", "opensesame", 0, 0, { 0 },
  },
  {
    "windows-cmd-chrome",
    "curl ^\"https://api.example.com/v1/items?a=1^&b=2^\" ^\n"
    "  -H ^\"accept: application/json^\" ^\n"
    "  -H ^\"content-type: application/json^\" ^\n"
    "  --data-raw ^\"^{^\\^\"name^\\^\":^\\^\"50^%^ off^\\^\",^\\^\"n^\\^\":1^}^\" ^\n"
    "  --compressed",
    "POST", "https://api.example.com/v1/items?a=1&b=2", { "accept: application/json", NULL },
    LADLE_BODY_JSON, "{\"name\":\"50% off\",\"n\":1}", NULL, { NULL }, { NULL },
    LADLE_AUTH_NONE, NULL, NULL, 0, 0, { 0 },
  },
  {
    "oauth2-bearer-and-url-query",
    "curl --oauth2-bearer 'tok en' --url-query 'q=a b' 'https://example.com/x#frag'",
    "GET", "https://example.com/x#frag", { NULL },
    LADLE_BODY_NONE, NULL, NULL, { NULL }, { "q=a b", NULL },
    LADLE_AUTH_BEARER, "tok en", NULL, 0, 0, { 0 },
  },
};

static void
assert_rows (GListStore         *store,
             const char * const *expected,
             const char         *separator,
             const char         *what)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));
  guint n_expected = g_strv_length ((char **) expected);

  if (n != n_expected)
    g_error ("%s: %u rows, expected %u", what, n, n_expected);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LadleKeyValue) kv = g_list_model_get_item (G_LIST_MODEL (store), i);
      g_autofree char *row = NULL;

      row = g_strconcat (ladle_key_value_get_name (kv), separator,
                         ladle_key_value_get_is_file (kv) ? "@" : "",
                         ladle_key_value_get_value (kv),
                         ladle_key_value_get_content_type (kv) != NULL ? ";type=" : "",
                         ladle_key_value_get_content_type (kv) != NULL
                           ? ladle_key_value_get_content_type (kv) : "",
                         NULL);
      g_assert_true (ladle_key_value_get_enabled (kv));
      g_assert_cmpstr (row, ==, expected[i]);
    }
}

static void
assert_corpus_case (const CorpusCase *c,
                    LadleRequest     *request)
{
  LadleBodyKind kind = ladle_request_get_body_kind (request);

  g_test_message ("corpus case %s", c->name);
  g_assert_cmpstr (ladle_request_get_method (request), ==, c->method);
  g_assert_cmpstr (ladle_request_get_url (request), ==, c->url);
  assert_rows (ladle_request_get_headers (request), c->headers, ": ", "headers");
  assert_rows (ladle_request_get_params (request), c->params, "=", "params");
  g_assert_cmpint (kind, ==, c->body_kind);
  if (kind == LADLE_BODY_TEXT || kind == LADLE_BODY_JSON)
    g_assert_cmpstr (ladle_request_get_body_text (request), ==, c->body);
  if (kind == LADLE_BODY_FILE)
    g_assert_cmpstr (ladle_request_get_body_file (request), ==, c->body);
  if (c->content_type != NULL)
    g_assert_cmpstr (ladle_request_get_body_content_type (request), ==, c->content_type);
  if (kind == LADLE_BODY_FORM || kind == LADLE_BODY_MULTIPART)
    assert_rows (ladle_request_get_form (request), c->fields, "=", "fields");
  else
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ladle_request_get_form (request))),
                      ==, 0);

  g_assert_cmpint (ladle_request_get_auth_kind (request), ==, c->auth);
  if (c->auth == LADLE_AUTH_BASIC)
    {
      g_assert_cmpstr (ladle_request_get_auth_username (request), ==, c->user_or_token);
      g_assert_cmpstr (ladle_request_get_auth_password (request), ==, c->password);
    }
  else if (c->auth == LADLE_AUTH_BEARER)
    g_assert_cmpstr (ladle_request_get_auth_token (request), ==, c->user_or_token);

  g_assert_cmpint (ladle_request_get_follow_redirects (request), ==, (c->flags & FOLLOW) != 0);
  g_assert_cmpint (ladle_request_get_verify_tls (request), ==, (c->flags & INSECURE) == 0);
  g_assert_cmpfloat (ladle_request_get_connect_timeout (request), ==, c->timeouts[0]);
  g_assert_cmpfloat (ladle_request_get_total_timeout (request), ==, c->timeouts[1]);
  g_assert_cmpfloat (ladle_request_get_idle_timeout (request), ==, c->timeouts[2]);
}

/* Equal as curl would send them: effective URL (disabled rows and params-vs-query do not exist in
 * curl), enabled headers, body, auth and the options curl can express. */
static void
assert_same_wire_request (LadleRequest *a,
                          LadleRequest *b)
{
  g_autofree char *url_a = ladle_request_dup_effective_url (a, NULL);
  g_autofree char *url_b = ladle_request_dup_effective_url (b, NULL);
  LadleBodyKind kind = ladle_request_get_body_kind (a);
  GListStore *lists_a[] = { ladle_request_get_headers (a), ladle_request_get_form (a) };
  GListStore *lists_b[] = { ladle_request_get_headers (b), ladle_request_get_form (b) };

  g_assert_cmpstr (ladle_request_get_method (a), ==, ladle_request_get_method (b));
  g_assert_nonnull (url_a);
  g_assert_cmpstr (url_a, ==, url_b);
  g_assert_cmpint (kind, ==, ladle_request_get_body_kind (b));
  if (kind == LADLE_BODY_TEXT || kind == LADLE_BODY_JSON)
    g_assert_cmpstr (ladle_request_get_body_text (a), ==, ladle_request_get_body_text (b));
  if (kind == LADLE_BODY_TEXT || kind == LADLE_BODY_FILE)
    g_assert_cmpstr (ladle_request_get_body_content_type (a), ==,
                     ladle_request_get_body_content_type (b));
  if (kind == LADLE_BODY_FILE)
    g_assert_cmpstr (ladle_request_get_body_file (a), ==, ladle_request_get_body_file (b));

  for (guint l = 0; l < G_N_ELEMENTS (lists_a); l++)
    {
      GListModel *ma = G_LIST_MODEL (lists_a[l]);
      GListModel *mb = G_LIST_MODEL (lists_b[l]);
      guint n_a = g_list_model_get_n_items (ma);
      guint j = 0;

      if (l == 1 && kind != LADLE_BODY_FORM && kind != LADLE_BODY_MULTIPART)
        continue;

      for (guint i = 0; i < n_a; i++)
        {
          g_autoptr(LadleKeyValue) x = g_list_model_get_item (ma, i);
          g_autoptr(LadleKeyValue) y = NULL;

          if (!ladle_key_value_get_enabled (x))
            continue;

          y = g_list_model_get_item (mb, j++);
          g_assert_nonnull (y);
          g_assert_cmpstr (ladle_key_value_get_name (x), ==, ladle_key_value_get_name (y));
          g_assert_cmpstr (ladle_key_value_get_value (x), ==, ladle_key_value_get_value (y));
          g_assert_true (ladle_key_value_get_enabled (y));
          if (l == 1 && kind == LADLE_BODY_MULTIPART)
            {
              g_assert_cmpint (ladle_key_value_get_is_file (x), ==,
                               ladle_key_value_get_is_file (y));
              if (ladle_key_value_get_is_file (x))
                g_assert_cmpstr (ladle_key_value_get_content_type (x), ==,
                                 ladle_key_value_get_content_type (y));
            }
        }
      g_assert_cmpuint (j, ==, g_list_model_get_n_items (mb));
    }

  g_assert_cmpint (ladle_request_get_auth_kind (a), ==, ladle_request_get_auth_kind (b));
  if (ladle_request_get_auth_kind (a) == LADLE_AUTH_BASIC)
    {
      g_assert_cmpstr (ladle_request_get_auth_username (a), ==,
                       ladle_request_get_auth_username (b));
      g_assert_cmpstr (ladle_request_get_auth_password (a), ==,
                       ladle_request_get_auth_password (b));
    }
  if (ladle_request_get_auth_kind (a) == LADLE_AUTH_BEARER)
    g_assert_cmpstr (ladle_request_get_auth_token (a), ==, ladle_request_get_auth_token (b));

  g_assert_cmpint (ladle_request_get_follow_redirects (a), ==,
                   ladle_request_get_follow_redirects (b));
  g_assert_cmpuint (ladle_request_get_max_redirects (a), ==, ladle_request_get_max_redirects (b));
  g_assert_cmpint (ladle_request_get_verify_tls (a), ==, ladle_request_get_verify_tls (b));
  g_assert_cmpfloat (ladle_request_get_connect_timeout (a), ==,
                     ladle_request_get_connect_timeout (b));
  g_assert_cmpfloat (ladle_request_get_idle_timeout (a), ==, ladle_request_get_idle_timeout (b));
  g_assert_cmpfloat (ladle_request_get_total_timeout (a), ==,
                     ladle_request_get_total_timeout (b));
}

static void
test_corpus (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (corpus); i++)
    {
      g_autoptr(GPtrArray) warnings = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(LadleRequest) request = NULL;
      g_autoptr(LadleRequest) again = NULL;
      g_autoptr(GPtrArray) warnings_again = NULL;
      g_autofree char *exported = NULL;
      g_autofree char *exported_again = NULL;

      request = ladle_curl_parse (corpus[i].command, &warnings, &error);
      if (error != NULL)
        g_error ("%s: %s", corpus[i].name, error->message);
      g_assert_nonnull (warnings);
      if (warnings->len != corpus[i].n_warnings)
        {
          for (guint w = 0; w < warnings->len; w++)
            g_printerr ("warning: %s\n", (char *) g_ptr_array_index (warnings, w));
          g_error ("%s: %u warnings, expected %u", corpus[i].name, warnings->len,
                   corpus[i].n_warnings);
        }
      assert_corpus_case (&corpus[i], request);

      /* export(parse(c)) parses back to the same request, and exports identically */
      exported = ladle_curl_export (request, NULL);
      g_test_message ("%s → %s", corpus[i].name, exported);
      g_assert_null (strchr (exported, '\n'));
      again = ladle_curl_parse (exported, &warnings_again, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (warnings_again->len, ==, 0);
      assert_same_wire_request (request, again);
      exported_again = ladle_curl_export (again, NULL);
      g_assert_cmpstr (exported, ==, exported_again);
    }
}

static void
add_row (GListStore *store,
         const char *name,
         const char *value,
         gboolean    enabled)
{
  g_autoptr(LadleKeyValue) kv = ladle_key_value_new (name, value);

  ladle_key_value_set_enabled (kv, enabled);
  g_list_store_append (store, kv);
}

static LadleRequest *
build_request (LadleBodyKind kind,
               guint         variant)
{
  LadleRequest *request = ladle_request_new ();

  ladle_request_set_url (request, "https://example.com/api/v1/things");
  add_row (ladle_request_get_headers (request), "Accept", "application/json", TRUE);
  add_row (ladle_request_get_headers (request), "X-Off", "1", FALSE);
  add_row (ladle_request_get_headers (request), "X-Quote", "it's \"quoted\" $HOME `x`", TRUE);
  ladle_request_set_body_kind (request, kind);

  switch (kind)
    {
    case LADLE_BODY_NONE:
      ladle_request_set_method (request, variant == 0 ? "GET" : "DELETE");
      add_row (ladle_request_get_params (request), "q", "a b&c=d é", TRUE);
      add_row (ladle_request_get_params (request), "off", "x", FALSE);
      break;

    case LADLE_BODY_TEXT:
      ladle_request_set_method (request, "PUT");
      ladle_request_set_body_text (request, "line 1\nline 'two'\t\\ end\r\n");
      ladle_request_set_body_content_type (request, "text/csv; charset=utf-8");
      break;

    case LADLE_BODY_JSON:
      ladle_request_set_method (request, variant == 0 ? "POST" : "GET");
      ladle_request_set_body_text (request, "{\"name\": \"O'Brien\", \"list\": [1, 2]}");
      break;

    case LADLE_BODY_FORM:
      ladle_request_set_method (request, "POST");
      add_row (ladle_request_get_form (request), "name", "Jane Doe", TRUE);
      add_row (ladle_request_get_form (request), "skip", "me", FALSE);
      add_row (ladle_request_get_form (request), "a&b", "1+1=2 ü", TRUE);
      break;

    case LADLE_BODY_MULTIPART:
      {
        g_autoptr(LadleKeyValue) file = ladle_key_value_new_file ("upload", "/tmp/my file;1.png");
        g_autoptr(LadleKeyValue) plain = ladle_key_value_new_file ("doc", "/tmp/doc.pdf");

        ladle_request_set_method (request, "POST");
        add_row (ladle_request_get_form (request), "title", "Holiday", TRUE);
        add_row (ladle_request_get_form (request), "tricky", "@not-a-file;type=x", TRUE);
        ladle_key_value_set_content_type (file, "image/png");
        g_list_store_append (ladle_request_get_form (request), file);
        g_list_store_append (ladle_request_get_form (request), plain);
      }
      break;

    case LADLE_BODY_FILE:
      ladle_request_set_method (request, "POST");
      ladle_request_set_body_file (request, "/srv/data/export 1.bin");
      ladle_request_set_body_content_type (request, "application/octet-stream");
      break;

    default:
      g_assert_not_reached ();
    }

  switch (variant)
    {
    case 0:
      break;

    case 1:
      ladle_request_set_auth_kind (request, LADLE_AUTH_BASIC);
      ladle_request_set_auth_username (request, "user");
      ladle_request_set_auth_password (request, "p'a:ss");
      ladle_request_set_verify_tls (request, FALSE);
      ladle_request_set_follow_redirects (request, FALSE);
      ladle_request_set_connect_timeout (request, 1.5);
      break;

    case 2:
      ladle_request_set_auth_kind (request, LADLE_AUTH_BEARER);
      ladle_request_set_auth_token (request, "abc.def.ghi");
      ladle_request_set_max_redirects (request, 0);
      ladle_request_set_total_timeout (request, 0.1);
      ladle_request_set_idle_timeout (request, 12);
      break;

    default:
      g_assert_not_reached ();
    }

  return request;
}

static void
test_round_trip (void)
{
  for (LadleBodyKind kind = LADLE_BODY_NONE; kind <= LADLE_BODY_FILE; kind++)
    {
      for (guint variant = 0; variant < 3; variant++)
        {
          g_autoptr(LadleRequest) request = build_request (kind, variant);
          g_autoptr(LadleRequest) parsed = NULL;
          g_autoptr(GPtrArray) warnings = NULL;
          g_autoptr(GError) error = NULL;
          g_autofree char *command = ladle_curl_export (request, NULL);
          g_autofree char *command2 = NULL;

          g_test_message ("kind %d variant %u: %s", kind, variant, command);
          g_assert_true (g_str_has_prefix (command, "curl "));
          g_assert_null (strchr (command, '\n'));
          g_assert_null (strstr (command, "X-Off"));
          g_assert_null (strstr (command, "skip"));

          parsed = ladle_curl_parse (command, &warnings, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (warnings->len, ==, 0);
          assert_same_wire_request (request, parsed);

          command2 = ladle_curl_export (parsed, NULL);
          g_assert_cmpstr (command, ==, command2);
        }
    }
}

static void
test_export_format (void)
{
  g_autoptr(LadleRequest) request = build_request (LADLE_BODY_JSON, 1);
  g_autoptr(LadleRequest) head = ladle_request_new ();
  g_autofree char *command = NULL;
  g_autofree char *head_command = NULL;

  command = ladle_curl_export (request, NULL);
  g_assert_cmpstr (command, ==,
                   "curl -X GET 'https://example.com/api/v1/things'"
                   " -H 'Accept: application/json'"
                   " -H 'X-Quote: it'\\''s \"quoted\" $HOME `x`'"
                   " -H 'Content-Type: application/json'"
                   " --data-raw '{\"name\": \"O'\\''Brien\", \"list\": [1, 2]}'"
                   " -u 'user:p'\\''a:ss' -k --connect-timeout 1.5");

  ladle_request_set_method (head, "HEAD");
  ladle_request_set_url (head, "http://127.0.0.1:8080");
  ladle_request_set_idle_timeout (head, 2.25);
  ladle_request_set_max_redirects (head, 20);
  head_command = ladle_curl_export (head, NULL);
  g_assert_cmpstr (head_command, ==,
                   "curl -I 'http://127.0.0.1:8080/' -L --max-redirs 20"
                   " --speed-limit 1 --speed-time 2.25");
}

/* -L alone follows Ladle's default of 30 redirects (curl's is 50), written back without
 * --max-redirs. */
static void
test_redirects_and_cookies (void)
{
  g_autoptr(LadleRequest) request = NULL;
  g_autoptr(LadleRequest) limited = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GPtrArray) warnings2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *command = NULL;
  g_autofree char *command2 = NULL;
  GListModel *headers;

  request = ladle_curl_parse ("curl -L -b 'x=1' -H 'cookie: y=2' http://127.0.0.1/cookies",
                              &warnings, &error);
  g_assert_no_error (error);
  g_assert_true (ladle_request_get_follow_redirects (request));
  g_assert_cmpuint (ladle_request_get_max_redirects (request), ==, 30);
  /* As curl: -b's cookies are not added when a Cookie header is given */
  headers = G_LIST_MODEL (ladle_request_get_headers (request));
  g_assert_cmpuint (g_list_model_get_n_items (headers), ==, 1);
  {
    g_autoptr(LadleKeyValue) kv = g_list_model_get_item (headers, 0);

    g_assert_cmpint (g_ascii_strcasecmp (ladle_key_value_get_name (kv), "Cookie"), ==, 0);
    g_assert_cmpstr (ladle_key_value_get_value (kv), ==, "y=2");
  }
  command = ladle_curl_export (request, NULL);
  g_assert_null (strstr (command, "--max-redirs"));

  limited = ladle_curl_parse ("curl -L --max-redirs 3 http://127.0.0.1/", &warnings2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ladle_request_get_max_redirects (limited), ==, 3);
  command2 = ladle_curl_export (limited, NULL);
  g_assert_nonnull (strstr (command2, " -L --max-redirs 3"));
}

/* -b NAME=VALUE is the Cookie header; -b FILE is not read and -c FILE not written, each with a
 * warning naming the file (and the option as written) */
static void
test_cookie_files (void)
{
  g_autoptr(LadleRequest) request = NULL;
  g_autoptr(LadleRequest) jar_only = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GPtrArray) warnings2 = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *headers;

  request = ladle_curl_parse ("curl -b saved.txt --cookie 'a=1' -c out.txt --cookie-jar jar.txt "
                              "-b 'b=2' https://example.com/", &warnings, &error);
  g_assert_no_error (error);
  headers = G_LIST_MODEL (ladle_request_get_headers (request));
  g_assert_cmpuint (g_list_model_get_n_items (headers), ==, 1);
  {
    g_autoptr(LadleKeyValue) kv = g_list_model_get_item (headers, 0);

    g_assert_cmpstr (ladle_key_value_get_name (kv), ==, "Cookie");
    g_assert_cmpstr (ladle_key_value_get_value (kv), ==, "a=1; b=2");
  }
  g_assert_cmpuint (warnings->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (warnings, 0), ==,
                   "The cookie file “saved.txt” (-b) was not read: a request keeps no cookie "
                   "file; its cookies were not added");
  g_assert_cmpstr (g_ptr_array_index (warnings, 1), ==,
                   "The cookie jar “out.txt” (-c) will not be written: Ladle keeps the cookies it "
                   "receives in its own jar (the Cookies window)");
  g_assert_nonnull (strstr (g_ptr_array_index (warnings, 2), "“jar.txt” (--cookie-jar)"));

  /* curl's -b "" starts its cookie engine without a file: nothing to say */
  jar_only = ladle_curl_parse ("curl -b '' https://example.com/", &warnings2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (warnings2->len, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ladle_request_get_headers (jar_only))),
                    ==, 0);
}

static void
test_errors (void)
{
  struct {
    const char *command;
    const char *message_part;
  } cases[] = {
    { "", "not a curl command" },
    { "wget https://example.com/", "not a curl command" },
    { "curly https://example.com/", "not a curl command" },
    { "https://example.com/", "not a curl command" },
    { "curl 'https://example.com/", "unterminated" },
    { "curl \"https://example.com/", "unterminated" },
    { "curl $'https://example.com/", "unterminated" },
    { "curl ^\"https://example.com/", "unterminated" },
    { "curl -H", "“-H” needs a value" },
    { "curl https://example.com/ --data", "“--data” needs a value" },
    { "curl https://example.com/ -X", "“-X” needs a value" },
    { "curl", "no URL" },
    { "curl -s -L -H 'Accept: */*'", "no URL" },
    { "curl --url ''", "no URL" },
    { "curl --max-time soon https://example.com/", "“--max-time” needs a number" },
    { "curl --connect-timeout -1 https://example.com/", "needs a number" },
    { "curl --max-redirs many https://example.com/", "“--max-redirs” needs a whole number" },
    { "curl -F a=1 -d b=2 https://example.com/", "mixes" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) warnings = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(LadleRequest) request = ladle_curl_parse (cases[i].command, &warnings, &error);

      g_assert_null (request);
      g_assert_null (warnings);
      g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
      if (strstr (error->message, cases[i].message_part) == NULL)
        g_error ("%s: message “%s” lacks “%s”", cases[i].command, error->message,
                 cases[i].message_part);
    }
}

typedef struct
{
  const char *command;
  GPtrArray  *warnings;
  gboolean    done;
} ParseJob;

static gpointer
parse_thread (gpointer data)
{
  ParseJob *job = data;
  g_autoptr(LadleRequest) request = ladle_curl_parse (job->command, &job->warnings, NULL);

  g_assert_nonnull (request);
  g_atomic_int_set (&job->done, TRUE);
  return NULL;
}

/* -F 'name=<file' reads the file at import: a FIFO (whose open() would wait for a writer),
 * /dev/zero (endless) or a file over 1 MiB is left out with a warning, at once. The parse runs
 * in a thread so that a regression fails here on the deadline instead of hanging. */
static void
test_form_file_special (void)
{
  g_autofree char *dir = ladle_test_make_tmpdir ("curl-XXXXXX");
  g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
  g_autofree char *big = g_build_filename (dir, "big.txt", NULL);
  g_autofree char *big_text = g_strnfill (1024 * 1024 + 1, 'a');
  const char *paths[] = { fifo, "/dev/zero", big };

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_true (g_file_set_contents (big, big_text, -1, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *command = g_strdup_printf ("curl -F 'f=<%s' -F g=1 http://x/", paths[i]);
      ParseJob job = { command, NULL, FALSE };
      GThread *thread = g_thread_new ("parse", parse_thread, &job);

      LADLE_TEST_WAIT_UNTIL (g_atomic_int_get (&job.done), 10000);
      g_thread_join (thread);
      g_assert_cmpuint (job.warnings->len, ==, 1);
      g_assert_nonnull (strstr (g_ptr_array_index (job.warnings, 0), "“f”"));
      g_ptr_array_unref (job.warnings);
    }

  ladle_test_rm_rf (dir);
}

/* Everything the request holds, as JSON, with the URL as sent (the effective URL, or the URL as
 * typed with the parameters appended as export appends them): the fuzzing harness's measure. */
static char *
describe (LadleRequest *request)
{
  g_autoptr(LadleRequest) copy = ladle_request_copy (request);
  g_autofree char *url = ladle_request_dup_effective_url (request, NULL);
  g_autoptr(JsonNode) node = NULL;

  if (url == NULL)
    {
      GListModel *params = G_LIST_MODEL (ladle_request_get_params (request));
      GString *typed = g_string_new (ladle_request_get_url (request));

      for (guint i = 0; i < g_list_model_get_n_items (params); i++)
        {
          g_autoptr(LadleKeyValue) kv = g_list_model_get_item (params, i);
          g_autofree char *name = g_uri_escape_string (ladle_key_value_get_name (kv), NULL, FALSE);
          g_autofree char *value = g_uri_escape_string (ladle_key_value_get_value (kv), NULL,
                                                        FALSE);

          g_string_append_printf (typed, "%c%s=%s", strchr (typed->str, '?') ? '&' : '?', name,
                                  value);
        }
      url = g_string_free (typed, FALSE);
    }
  ladle_request_set_url (copy, url);
  g_list_store_remove_all (ladle_request_get_params (copy));
  node = ladle_request_to_json (copy);
  return json_to_string (node, TRUE);
}

/* Imports @command, exports it and imports the export: the two requests must be the same in
 * every respect, with no warning the second time. Returns the first request; @out_export gets the
 * export and @out_warnings the first import's warnings. */
static LadleRequest *
assert_exact_round_trip (const char  *command,
                         char       **out_export,
                         GPtrArray  **out_warnings)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) warnings_again = NULL;
  g_autoptr(LadleRequest) first = NULL;
  g_autoptr(LadleRequest) second = NULL;
  g_autofree char *exported = NULL;
  g_autofree char *exported_again = NULL;
  g_autofree char *first_text = NULL;
  g_autofree char *second_text = NULL;

  first = ladle_curl_parse (command, out_warnings, &error);
  g_assert_no_error (error);
  exported = ladle_curl_export (first, &error);
  g_assert_no_error (error);
  {
    g_autofree char *shown = g_utf8_make_valid (command, -1);

    g_test_message ("%s → %s", shown, exported);
  }
  second = ladle_curl_parse (exported, &warnings_again, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (warnings_again->len, ==, 0);
  first_text = describe (first);
  second_text = describe (second);
  g_assert_cmpstr (first_text, ==, second_text);
  exported_again = ladle_curl_export (second, &error);
  g_assert_cmpstr (exported, ==, exported_again);

  if (out_export != NULL)
    *out_export = g_steal_pointer (&exported);
  return g_steal_pointer (&first);
}

static LadleKeyValue *
nth_row (GListStore *store,
         guint       n)
{
  LadleKeyValue *kv = g_list_model_get_item (G_LIST_MODEL (store), n);

  g_assert_nonnull (kv);
  g_object_unref (kv);   /* the store keeps it */
  return kv;
}

/* What the fuzzing harness (tests/fuzz/fuzz-curl.c) found: each command changed on its way
 * through export and import, or its export imported with a warning. */
static void
test_round_trip_regressions (void)
{
  /* A text part with a type and a value that needs quotes: --form-string has no type */
  {
    g_autoptr(LadleRequest) request = NULL;
    LadleKeyValue *field;

    request = assert_exact_round_trip ("curl -F 'note=\"a;b\";type=text/plain' http://x/",
                                       NULL, NULL);
    field = nth_row (ladle_request_get_form (request), 0);
    g_assert_cmpstr (ladle_key_value_get_value (field), ==, "a;b");
    g_assert_cmpstr (ladle_key_value_get_content_type (field), ==, "text/plain");
  }
  {
    g_autoptr(LadleRequest) request = NULL;

    request = assert_exact_round_trip ("curl -F 'f=@\"a\\\\b;c.png\";type=\"x/y;z=1\"' http://x/",
                                       NULL, NULL);
    g_assert_cmpstr (ladle_key_value_get_value (nth_row (ladle_request_get_form (request), 0)),
                     ==, "a\\b;c.png");
    g_assert_cmpstr (ladle_key_value_get_content_type (nth_row (ladle_request_get_form (request),
                                                                0)), ==, "x/y;z=1");
  }

  /* curl sends the user's Authorization header instead of -u's or --oauth2-bearer's */
  {
    g_autoptr(LadleRequest) request = NULL;
    g_autoptr(GPtrArray) warnings = NULL;

    request = assert_exact_round_trip ("curl -u a:b -H 'Authorization: Bearer tok' "
                                       "--oauth2-bearer other http://x/", NULL, &warnings);
    g_assert_cmpint (ladle_request_get_auth_kind (request), ==, LADLE_AUTH_BEARER);
    g_assert_cmpstr (ladle_request_get_auth_token (request), ==, "tok");
    g_assert_cmpstr (ladle_request_get_auth_username (request), ==, "");
    g_assert_cmpuint (warnings->len, ==, 1);
    g_assert_nonnull (strstr (g_ptr_array_index (warnings, 0), "“--oauth2-bearer”"));
  }
  /* The last auth option wins and leaves nothing of the other */
  {
    g_autoptr(LadleRequest) request = NULL;

    request = assert_exact_round_trip ("curl --oauth2-bearer ' t ' -u a:b http://x/", NULL, NULL);
    g_assert_cmpint (ladle_request_get_auth_kind (request), ==, LADLE_AUTH_BASIC);
    g_assert_cmpstr (ladle_request_get_auth_token (request), ==, "");
  }
  /* An empty token, and one with spaces around it */
  {
    g_autoptr(LadleRequest) empty = assert_exact_round_trip ("curl --oauth2-bearer '' http://x/",
                                                             NULL, NULL);
    g_autoptr(LadleRequest) spaced = assert_exact_round_trip ("curl --oauth2-bearer ' t ' "
                                                              "http://x/", NULL, NULL);

    g_assert_cmpint (ladle_request_get_auth_kind (empty), ==, LADLE_AUTH_BEARER);
    g_assert_cmpstr (ladle_request_get_auth_token (spaced), ==, "t");
  }

  /* A URL that is not valid keeps its parameters: export appends them as typed */
  {
    g_autofree char *exported = NULL;
    g_autoptr(LadleRequest) request = assert_exact_round_trip ("curl = -Gdl=", &exported, NULL);

    g_assert_nonnull (strstr (exported, "'http://=?l='"));
    g_clear_object (&request);
    g_clear_pointer (&exported, g_free);
    request = assert_exact_round_trip ("curl --url-query ?= =", &exported, NULL);
    g_assert_nonnull (strstr (exported, "'http://=?%3F='"));
  }

  /* --json's type gives way to the user's, which decides the kind; Accept stays */
  {
    g_autoptr(LadleRequest) request = NULL;

    request = assert_exact_round_trip ("curl --json '{}' -H 'Content-Type: text/plain' http://x/",
                                       NULL, NULL);
    g_assert_cmpint (ladle_request_get_body_kind (request), ==, LADLE_BODY_TEXT);
    g_assert_cmpstr (ladle_request_get_body_content_type (request), ==, "text/plain");
    g_assert_cmpstr (ladle_key_value_get_name (nth_row (ladle_request_get_headers (request), 0)),
                     ==, "Accept");
    g_clear_object (&request);
    g_assert_nonnull (assert_exact_round_trip ("curl I --json \xff -Hcontent-type:/", NULL, NULL));
  }

  /* Spaces around an option's header value are dropped, as -H drops them */
  {
    g_autoptr(LadleRequest) request = assert_exact_round_trip ("curl -b ' a=1 ' -A ' x ' http://x/",
                                                               NULL, NULL);

    g_assert_cmpstr (ladle_key_value_get_value (nth_row (ladle_request_get_headers (request), 0)),
                     ==, "x");
    g_assert_cmpstr (ladle_key_value_get_value (nth_row (ladle_request_get_headers (request), 1)),
                     ==, "a=1");
  }

  /* Uploading standard input cannot be imported: a warning, and no body */
  {
    g_autoptr(GPtrArray) warnings = NULL;
    g_autoptr(LadleRequest) request = assert_exact_round_trip ("curl K -T-", NULL, &warnings);

    g_assert_cmpint (ladle_request_get_body_kind (request), ==, LADLE_BODY_NONE);
    g_assert_cmpstr (ladle_request_get_method (request), ==, "GET");
    g_assert_cmpuint (warnings->len, ==, 1);
  }

  /* An empty Content-Type is written back as one */
  {
    g_autofree char *exported = NULL;
    g_autoptr(LadleRequest) request = assert_exact_round_trip ("curl H -HContent-Type\\; -da",
                                                               &exported, NULL);

    g_assert_cmpstr (ladle_request_get_body_content_type (request), ==, "");
    g_assert_nonnull (strstr (exported, "-H 'Content-Type;'"));
  }
}

/* A method or header that curl would send as written, smuggling a request, is an import error
 * that names the option and says what is wrong. */
static void
test_invalid_head (void)
{
  struct {
    const char *command;
    const char *option;
    const char *message_part;
  } cases[] = {
    { "curl -X $'GET /x HTTP/1.1\\r\\nHost: a\\r\\n\\r\\nDELETE' http://x/", "“-X”",
      "“GET /x HTTP/1.1\\r\\nHost: a\\r\\n\\r\\nDELETE” is not a valid HTTP method" },
    { "curl --request 'GE T' http://x/", "“--request”", "“GE T” is not a valid HTTP method" },
    { "curl -X '' http://x/", "“-X”", "no method" },
    { "curl -XGET\\ /x http://x/", "“-X”", "not a valid HTTP method" },
    { "curl -H $'X-Evil: 1\\r\\nSet-Cookie: stolen=1' http://x/", "“-H”",
      "“X-Evil” contains a line break" },
    { "curl --header 'Bad Name: 1' http://x/", "“--header”",
      "“Bad Name” is not a valid header name" },
    { "curl -H $'X-Bell: a\\ab' http://x/", "“-H”", "\\x07" },
    { "curl -H $'Authorization: Bearer t\\nX: 1' http://x/", "“-H”", "line break" },
    { "curl -A $'agent\\r\\nX-Injected: 1' http://x/", "“-A”", "“User-Agent”" },
    { "curl -e $'http://a/\\nX: 1' http://x/", "“-e”", "“Referer”" },
    { "curl -b $'a=1\\r\\nX: 1' http://x/", "“-b”", "“Cookie”" },
    { "curl --oauth2-bearer $'t\\r\\nX: 1' http://x/", "“--oauth2-bearer”", "“Authorization”" },
    { "curl -F $'f=@a.png;type=\\\"image/png\\r\\nX: 1\\\"' http://x/", "“-F”", "“Content-Type”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) warnings = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(LadleRequest) request = ladle_curl_parse (cases[i].command, &warnings, &error);

      g_assert_null (request);
      g_assert_null (warnings);
      g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
      if (strstr (error->message, cases[i].option) == NULL ||
          strstr (error->message, cases[i].message_part) == NULL)
        g_error ("%s: message “%s” lacks “%s” or “%s”", cases[i].command, error->message,
                 cases[i].option, cases[i].message_part);
    }

  /* A trailing line break is only a copy-and-paste accident; a pseudo-header of old browsers'
   * "Copy as cURL" was and stays a warning. */
  {
    g_autoptr(GPtrArray) warnings = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(LadleRequest) request = NULL;
    g_autoptr(LadleKeyValue) header = NULL;

    request = ladle_curl_parse ("curl -H $'X-Id: 7\\r\\n' -H ':authority: x' http://x/",
                                &warnings, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (warnings->len, ==, 1);
    header = g_list_model_get_item (G_LIST_MODEL (ladle_request_get_headers (request)), 0);
    g_assert_cmpstr (ladle_key_value_get_value (header), ==, "7");
  }
}

/* Export writes nothing that would not import back: a request with a bad method or header is
 * refused, with the reason. */
static void
test_export_invalid (void)
{
  struct {
    const char *method;
    const char *header[2];
    const char *token;
    const char *message_part;
  } cases[] = {
    { "GET /x HTTP/1.1\r\nHost: a\r\n\r\nDELETE", { NULL }, NULL, "not a valid HTTP method" },
    { "GET", { "X-Evil", "1\r\nSet-Cookie: stolen=1" }, NULL, "“X-Evil” contains a line break" },
    { "GET", { "Bad Name", "1" }, NULL, "“Bad Name” is not a valid header name" },
    { "GET", { NULL }, "t\nX: 1", "bearer token" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LadleRequest) request = ladle_request_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *command = NULL;

      ladle_request_set_url (request, "http://127.0.0.1/");
      ladle_request_set_method (request, cases[i].method);
      if (cases[i].header[0] != NULL)
        {
          g_autoptr(LadleKeyValue) kv = ladle_key_value_new (cases[i].header[0],
                                                              cases[i].header[1]);

          g_list_store_append (ladle_request_get_headers (request), kv);
        }
      if (cases[i].token != NULL)
        {
          ladle_request_set_auth_kind (request, LADLE_AUTH_BEARER);
          ladle_request_set_auth_token (request, cases[i].token);
        }

      command = ladle_curl_export (request, &error);
      g_assert_null (command);
      g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, cases[i].message_part));
    }
}

static void
test_warnings (void)
{
  struct {
    const char *command;
    const char *warnings[4];
  } cases[] = {
    { "curl --foo https://example.com/", { "Unknown curl option “--foo” was ignored", NULL } },
    { "curl -sSz yesterday https://example.com/", { "The curl option “-z” is not supported and was ignored",
                                          NULL } },
    { "curl -% --bar https://example.com/ https://other.example/",
      { "Unknown curl option “-%” was ignored", "Unknown curl option “--bar” was ignored",
        "Only the first URL is imported; “https://other.example/” was ignored", NULL } },
    { "curl -o /dev/null -x http://proxy:3128 https://example.com/",
      { "The curl option “-o” is not supported and was ignored", NULL } },
    { "curl -u alice https://example.com/",
      { "curl would ask for the password of “alice”; it was left empty", NULL } },
    { "curl -H 'NoColon' -H '@headers.txt' https://example.com/",
      { "The header “NoColon” has no “:” and was ignored",
        "Reading headers from “headers.txt” is not supported; it was ignored", NULL } },
    { "curl https://example.com/ > out.txt", { "The rest of the command after “>” was ignored",
                                               NULL } },
    { "curl -s -S -v -i --compressed --http2 -L https://example.com/", { NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) warnings = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(LadleRequest) request = ladle_curl_parse (cases[i].command, &warnings, &error);

      g_assert_no_error (error);
      g_assert_nonnull (request);
      g_assert_cmpstr (ladle_request_get_url (request), ==, "https://example.com/");
      g_assert_cmpuint (warnings->len, ==, g_strv_length ((char **) cases[i].warnings));
      for (guint w = 0; w < warnings->len; w++)
        g_assert_cmpstr (g_ptr_array_index (warnings, w), ==, cases[i].warnings[w]);
    }

  /* Warnings are optional; "Name:" removes a curl default header and sends nothing. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(LadleRequest) request = ladle_curl_parse ("curl -H 'Expect:' --bogus http://x/",
                                                        NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ladle_request_get_headers (request))),
                      ==, 0);
  }
}

static void
test_shell_quoting (void)
{
  struct {
    const char *command;
    const char *expected_body;
  } cases[] = {
    { "curl http://x/ --data-raw 'single \"double\" $dollar \\back'",
      "single \"double\" $dollar \\back" },
    { "curl http://x/ --data-raw \"a \\\"q\\\" \\\\ \\$ \\` \\n $HOME\"", "a \"q\" \\ $ ` \\n $HOME" },
    { "curl http://x/ --data-raw $'\\n\\t\\r\\\\\\'\\x41\\101\\u00e9\\U0001F600\\q\\cA'",
      "\n\t\r\\'AAé😀\\q\x01" },
    { "curl http://x/ --data-raw mixed'sin gle'\"dou ble\"$'\\x21'plain",
      "mixedsin gledou ble!plain" },
    { "curl http://x/ --data-raw \"line\\\n"
      "continued\"", "linecontinued" },
    { "curl http://x/ \\\r\n --data-raw un\\ quoted\\'s", "un quoted's" },
    { "curl http://x/ --data-raw ''", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LadleRequest) request = ladle_curl_parse (cases[i].command, NULL, &error);
      LadleBodyKind kind;

      g_assert_no_error (error);
      kind = ladle_request_get_body_kind (request);
      if (*cases[i].expected_body == '\0')
        {
          /* curl sends an empty form body */
          g_assert_cmpint (kind, ==, LADLE_BODY_FORM);
          continue;
        }
      g_assert_cmpint (kind, ==, LADLE_BODY_TEXT);
      g_assert_cmpstr (ladle_request_get_body_text (request), ==, cases[i].expected_body);
      g_assert_cmpstr (ladle_request_get_method (request), ==, "POST");
    }
}

static void
test_form_file_value (void)
{
  g_autofree char *dir = ladle_test_make_tmpdir ("curl-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "note.txt", NULL);
  g_autofree char *command = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LadleRequest) request = NULL;
  g_autoptr(LadleKeyValue) field = NULL;

  g_assert_true (g_file_set_contents (path, "from a file ✓", -1, NULL));
  command = g_strdup_printf ("curl -F 'note=<%s' -F 'missing=<%s/nope' http://x/", path, dir);
  request = ladle_curl_parse (command, &warnings, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (warnings, 0), "“missing”"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ladle_request_get_form (request))),
                    ==, 1);
  field = g_list_model_get_item (G_LIST_MODEL (ladle_request_get_form (request)), 0);
  g_assert_cmpstr (ladle_key_value_get_value (field), ==, "from a file ✓");
  g_assert_false (ladle_key_value_get_is_file (field));

  ladle_test_rm_rf (dir);
}

/* Digest is written as curl's --digest -u; an API key as a header or in the URL */
static void
test_export_auth (void)
{
  g_autoptr(LadleRequest) request = ladle_request_new ();
  g_autoptr(LadleRequest) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *header = NULL;
  g_autofree char *query = NULL;

  ladle_request_set_url (request, "https://example.org/a?b=1");
  ladle_request_set_follow_redirects (request, FALSE);
  ladle_request_set_auth_kind (request, LADLE_AUTH_DIGEST);
  ladle_request_set_auth_username (request, "u");
  ladle_request_set_auth_password (request, "p w");
  digest = ladle_curl_export (request, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (digest, ==, "curl 'https://example.org/a?b=1' --digest -u 'u:p w'");
  back = ladle_curl_parse (digest, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ladle_request_get_auth_kind (back), ==, LADLE_AUTH_DIGEST);
  g_assert_cmpstr (ladle_request_get_auth_password (back), ==, "p w");

  ladle_request_set_auth_kind (request, LADLE_AUTH_API_KEY);
  ladle_request_set_auth_key_name (request, "X-Api-Key");
  ladle_request_set_auth_key_value (request, "k");
  header = ladle_curl_export (request, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (header, ==, "curl 'https://example.org/a?b=1' -H 'X-Api-Key: k'");

  ladle_request_set_auth_key_in (request, LADLE_API_KEY_IN_QUERY);
  ladle_request_set_auth_key_name (request, "key");
  ladle_request_set_auth_key_value (request, "a b");
  query = ladle_curl_export (request, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (query, ==, "curl 'https://example.org/a?b=1&key=a%20b'");
}

/* Issue 14: --cert, --key, --pass, --cacert, --proxy, -U, --noproxy, --socks5*, --http1.1 */
static void
test_transport (void)
{
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LadleRequest) request = NULL;
  g_autoptr(LadleRequest) again = NULL;
  g_autofree char *exported = NULL;
  g_autofree char *exported_again = NULL;

  request = ladle_curl_parse ("curl --cert 'dir\\:x/client.pem:pa:ss' --key client.key "
                              "--cacert ca.pem -x socks5h://127.0.0.1:1080 -U 'me:se:cret' "
                              "--noproxy example.com,.internal --http1.1 https://example.com/",
                              &warnings, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (warnings->len, ==, 0);
  g_assert_cmpstr (ladle_request_get_tls_cert_file (request), ==, "dir:x/client.pem");
  g_assert_cmpstr (ladle_request_get_tls_cert_password (request), ==, "pa:ss");
  g_assert_cmpstr (ladle_request_get_tls_key_file (request), ==, "client.key");
  g_assert_cmpstr (ladle_request_get_tls_ca_file (request), ==, "ca.pem");
  g_assert_cmpint (ladle_request_get_proxy_mode (request), ==, LADLE_PROXY_MANUAL);
  g_assert_cmpstr (ladle_request_get_proxy_url (request), ==, "socks5h://127.0.0.1:1080");
  g_assert_cmpstr (ladle_request_get_proxy_username (request), ==, "me");
  g_assert_cmpstr (ladle_request_get_proxy_password (request), ==, "se:cret");
  g_assert_cmpstr (ladle_request_get_no_proxy (request), ==, "example.com,.internal");
  g_assert_cmpint (ladle_request_get_http_version (request), ==, LADLE_HTTP_VERSION_1_1);

  /* Exported in the same words, and back */
  exported = ladle_curl_export (request, &error);
  g_assert_no_error (error);
  g_test_message ("%s", exported);
  g_assert_nonnull (strstr (exported, " --http1.1"));
  g_assert_nonnull (strstr (exported, " --cacert 'ca.pem'"));
  g_clear_pointer (&warnings, g_ptr_array_unref);
  again = ladle_curl_parse (exported, &warnings, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (warnings->len, ==, 0);
  g_assert_cmpstr (ladle_request_get_tls_cert_file (again), ==, "dir:x/client.pem");
  g_assert_cmpstr (ladle_request_get_tls_cert_password (again), ==, "pa:ss");
  g_assert_cmpstr (ladle_request_get_tls_key_file (again), ==, "client.key");
  g_assert_cmpstr (ladle_request_get_proxy_url (again), ==, "socks5h://127.0.0.1:1080");
  g_assert_cmpstr (ladle_request_get_proxy_password (again), ==, "se:cret");
  g_assert_cmpstr (ladle_request_get_no_proxy (again), ==, "example.com,.internal");
  g_assert_cmpint (ladle_request_get_http_version (again), ==, LADLE_HTTP_VERSION_1_1);
  exported_again = ladle_curl_export (again, &error);
  g_assert_cmpstr (exported, ==, exported_again);
  g_clear_object (&request);
  g_clear_object (&again);
  g_clear_pointer (&warnings, g_ptr_array_unref);

  /* What the fuzzing harness checks: the export imports back to the same request */
  {
    static const char * const commands[] = {
      "curl --proxy-user 'u:p' http://x/",
      "curl -U ':p' http://x/",
      "curl --cert ':pw' http://x/",
      "curl --cert 'a\\\\:pw' --key k http://x/",
      "curl -x socks5://h:1 --proxy '' --noproxy a,b http://x/",
      "curl --noproxy '*' --cacert c --http1.1 http://x/",
    };

    for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
      {
        g_autoptr(LadleRequest) first = ladle_curl_parse (commands[i], NULL, &error);
        g_autoptr(LadleRequest) second = NULL;
        g_autoptr(JsonNode) first_json = NULL;
        g_autoptr(JsonNode) second_json = NULL;
        g_autofree char *text = NULL;
        g_autofree char *first_text = NULL;
        g_autofree char *second_text = NULL;

        g_assert_no_error (error);
        text = ladle_curl_export (first, &error);
        g_assert_no_error (error);
        g_test_message ("%s -> %s", commands[i], text);
        second = ladle_curl_parse (text, NULL, &error);
        g_assert_no_error (error);
        first_json = ladle_request_to_json (first);
        second_json = ladle_request_to_json (second);
        first_text = json_to_string (first_json, FALSE);
        second_text = json_to_string (second_json, FALSE);
        g_assert_cmpstr (first_text, ==, second_text);
      }
  }

  /* --pass, --socks5, an empty --proxy (none) */
  request = ladle_curl_parse ("curl -E c.p12 --pass pw --socks5 127.0.0.1:9 https://example.com/",
                              &warnings, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ladle_request_get_tls_cert_file (request), ==, "c.p12");
  g_assert_cmpstr (ladle_request_get_tls_cert_password (request), ==, "pw");
  g_assert_cmpstr (ladle_request_get_proxy_url (request), ==, "socks5://127.0.0.1:9");
  g_clear_object (&request);
  g_clear_pointer (&warnings, g_ptr_array_unref);
  request = ladle_curl_parse ("curl --proxy '' https://example.com/", &warnings, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ladle_request_get_proxy_mode (request), ==, LADLE_PROXY_NONE);
  g_clear_pointer (&exported, g_free);
  exported = ladle_curl_export (request, &error);
  g_assert_nonnull (strstr (exported, "--proxy ''"));
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  g_test_add_func ("/ladle/curl/corpus", test_corpus);
  g_test_add_func ("/ladle/curl/round-trip", test_round_trip);
  g_test_add_func ("/ladle/curl/export-format", test_export_format);
  g_test_add_func ("/ladle/curl/errors", test_errors);
  g_test_add_func ("/ladle/curl/redirects-cookies", test_redirects_and_cookies);
  g_test_add_func ("/ladle/curl/cookie-files", test_cookie_files);
  g_test_add_func ("/ladle/curl/warnings", test_warnings);
  g_test_add_func ("/ladle/curl/shell-quoting", test_shell_quoting);
  g_test_add_func ("/ladle/curl/form-file-value", test_form_file_value);
  g_test_add_func ("/ladle/curl/form-file-special", test_form_file_special);
  g_test_add_func ("/ladle/curl/invalid-head", test_invalid_head);
  g_test_add_func ("/ladle/curl/export-invalid", test_export_invalid);
  g_test_add_func ("/ladle/curl/round-trip-regressions", test_round_trip_regressions);
  g_test_add_func ("/ladle/curl/export-auth", test_export_auth);
  g_test_add_func ("/ladle/curl/transport", test_transport);

  return ladle_test_run ();
}
