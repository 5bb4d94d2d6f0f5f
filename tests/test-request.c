/* test-request.c
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

#include "ladle-error.h"
#include "ladle-request.h"
#include "ladle-request-message.h"

#include "ladle-test-utils.h"

#include <string.h>

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              GHashTable *counts)
{
  const char *name = g_param_spec_get_name (pspec);
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, name));

  g_hash_table_insert (counts, (gpointer) name, GUINT_TO_POINTER (n + 1));
}

static guint
notify_count (GHashTable *counts,
              const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (counts, name));
}

static void
test_defaults (void)
{
  g_autoptr(LadleRequest) request = ladle_request_new ();
  g_autoptr(LadleKeyValue) kv = ladle_key_value_new ("a", NULL);
  g_autoptr(LadleKeyValue) file = ladle_key_value_new_file ("upload", "/tmp/x.bin");
  g_autoptr(GListStore) params = NULL;
  LadleBodyKind body_kind;

  g_assert_cmpstr (ladle_request_get_method (request), ==, "GET");
  g_assert_cmpstr (ladle_request_get_url (request), ==, "");
  g_assert_cmpint (ladle_request_get_body_kind (request), ==, LADLE_BODY_NONE);
  g_assert_cmpstr (ladle_request_get_body_text (request), ==, "");
  g_assert_cmpstr (ladle_request_get_body_content_type (request), ==,
                   "text/plain; charset=utf-8");
  g_assert_null (ladle_request_get_body_file (request));
  g_assert_cmpint (ladle_request_get_auth_kind (request), ==, LADLE_AUTH_NONE);
  g_assert_cmpstr (ladle_request_get_auth_username (request), ==, "");
  g_assert_cmpstr (ladle_request_get_auth_password (request), ==, "");
  g_assert_cmpstr (ladle_request_get_auth_token (request), ==, "");
  g_assert_true (ladle_request_get_follow_redirects (request));
  g_assert_cmpuint (ladle_request_get_max_redirects (request), ==, 30);
  g_assert_true (ladle_request_get_verify_tls (request));
  g_assert_true (ladle_request_get_use_cookies (request));
  g_assert_cmpfloat (ladle_request_get_connect_timeout (request), ==, 0);
  g_assert_cmpfloat (ladle_request_get_idle_timeout (request), ==, 0);
  g_assert_cmpfloat (ladle_request_get_total_timeout (request), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ladle_request_get_params (request))),
                    ==, 0);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (ladle_request_get_headers (request)))
                 == LADLE_TYPE_KEY_VALUE);

  /* The property values agree with the getters, and the enums are registered GEnums. */
  g_object_get (request, "body-kind", &body_kind, "params", &params, NULL);
  g_assert_cmpint (body_kind, ==, LADLE_BODY_NONE);
  g_assert_true (params == ladle_request_get_params (request));
  g_assert_true (G_TYPE_IS_ENUM (LADLE_TYPE_BODY_KIND));
  g_assert_true (G_TYPE_IS_ENUM (LADLE_TYPE_AUTH_KIND));

  g_assert_cmpstr (ladle_key_value_get_name (kv), ==, "a");
  g_assert_cmpstr (ladle_key_value_get_value (kv), ==, "");
  g_assert_true (ladle_key_value_get_enabled (kv));
  g_assert_false (ladle_key_value_get_is_file (kv));
  g_assert_null (ladle_key_value_get_content_type (kv));
  g_assert_true (ladle_key_value_get_is_file (file));
  g_assert_cmpstr (ladle_key_value_get_value (file), ==, "/tmp/x.bin");

  /* NULL and "" mean the default method */
  ladle_request_set_method (request, "PATCH");
  ladle_request_set_method (request, NULL);
  g_assert_cmpstr (ladle_request_get_method (request), ==, "GET");
  ladle_request_set_method (request, "custom-Verb");
  g_assert_cmpstr (ladle_request_get_method (request), ==, "custom-Verb");

  g_clear_object (&params);
  g_assert_finalize_object (g_steal_pointer (&request));
}

/* Sets every setting of issue 14 (auth kinds, API key, OAuth 2.0, client certificate, CA,
 * proxy, HTTP version) away from its default, through its property. */
static const char *const issue14_properties[] = {
  "auth-key-in", "oauth2-grant", "oauth2-pkce", "proxy-mode", "http-version",
  "auth-key-name", "auth-key-value", "oauth2-auth-url", "oauth2-token-url", "oauth2-device-url",
  "oauth2-client-id", "oauth2-client-secret", "oauth2-scope", "tls-cert-file", "tls-key-file",
  "tls-cert-password", "tls-ca-file", "proxy-url", "proxy-username", "proxy-password", "no-proxy",
};
static const char *const issue14_secrets[] = {
  "oauth2-client-secret", "tls-cert-password", "proxy-password",
};

static void
count_one (guint *count)
{
  (*count)++;
}

static void
test_notify (void)
{
  g_autoptr(LadleRequest) request = ladle_request_new ();
  g_autoptr(LadleKeyValue) kv = ladle_key_value_new ("n", "v");
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) kv_counts = g_hash_table_new (g_str_hash, g_str_equal);
  GParamSpec **pspecs;
  guint n_pspecs;

  g_signal_connect (request, "notify", G_CALLBACK (count_notify), counts);
  g_signal_connect (kv, "notify", G_CALLBACK (count_notify), kv_counts);

  /* Setting the current value does not notify */
  ladle_request_set_method (request, "GET");
  ladle_request_set_url (request, "");
  ladle_request_set_url (request, NULL);
  ladle_request_set_body_kind (request, LADLE_BODY_NONE);
  ladle_request_set_body_content_type (request, "text/plain; charset=utf-8");
  ladle_request_set_body_file (request, NULL);
  ladle_request_set_auth_kind (request, LADLE_AUTH_NONE);
  ladle_request_set_follow_redirects (request, TRUE);
  ladle_request_set_max_redirects (request, 30);
  ladle_request_set_verify_tls (request, 42); /* any true value is TRUE */
  ladle_request_set_use_cookies (request, TRUE);
  ladle_request_set_connect_timeout (request, 0);
  g_object_set (request, "url", "", "total-timeout", 0.0, NULL);
  g_assert_cmpuint (g_hash_table_size (counts), ==, 0);

  /* Each change notifies once, and once more only when it changes again */
  ladle_request_set_method (request, "POST");
  ladle_request_set_method (request, "POST");
  ladle_request_set_url (request, "http://example.com/");
  ladle_request_set_url (request, "http://example.com/");
  ladle_request_set_body_kind (request, LADLE_BODY_JSON);
  ladle_request_set_body_text (request, "{}");
  ladle_request_set_body_file (request, "/tmp/a");
  ladle_request_set_body_file (request, NULL);
  ladle_request_set_auth_kind (request, LADLE_AUTH_BEARER);
  ladle_request_set_auth_token (request, "t");
  ladle_request_set_auth_token (request, "t");
  ladle_request_set_follow_redirects (request, FALSE);
  ladle_request_set_max_redirects (request, 3);
  ladle_request_set_idle_timeout (request, 1.5);
  ladle_request_set_idle_timeout (request, 1.5);
  g_object_set (request, "total-timeout", 30.0, "verify-tls", FALSE, NULL);

  g_assert_cmpuint (notify_count (counts, "method"), ==, 1);
  g_assert_cmpuint (notify_count (counts, "url"), ==, 1);
  g_assert_cmpuint (notify_count (counts, "body-kind"), ==, 1);
  g_assert_cmpuint (notify_count (counts, "body-text"), ==, 1);
  g_assert_cmpuint (notify_count (counts, "body-file"), ==, 2);
  g_assert_cmpuint (notify_count (counts, "auth-kind"), ==, 1);
  g_assert_cmpuint (notify_count (counts, "auth-token"), ==, 1);
  g_assert_cmpuint (notify_count (counts, "follow-redirects"), ==, 1);
  g_assert_cmpuint (notify_count (counts, "max-redirects"), ==, 1);
  g_assert_cmpuint (notify_count (counts, "idle-timeout"), ==, 1);
  g_assert_cmpuint (notify_count (counts, "total-timeout"), ==, 1);
  g_assert_cmpuint (notify_count (counts, "verify-tls"), ==, 1);
  g_assert_cmpuint (notify_count (counts, "use-cookies"), ==, 0);
  g_assert_cmpuint (notify_count (counts, "connect-timeout"), ==, 0);
  g_assert_cmpfloat (ladle_request_get_total_timeout (request), ==, 30.0);
  g_assert_false (ladle_request_get_verify_tls (request));

  /* Every property is explicit-notify with static strings */
  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (request), &n_pspecs);
  g_assert_cmpuint (n_pspecs, ==, 20 + G_N_ELEMENTS (issue14_properties));
  for (guint i = 0; i < n_pspecs; i++)
    {
      if (pspecs[i]->flags & G_PARAM_WRITABLE)
        g_assert_true (pspecs[i]->flags & G_PARAM_EXPLICIT_NOTIFY);
      g_assert_true ((pspecs[i]->flags & G_PARAM_STATIC_STRINGS) == G_PARAM_STATIC_STRINGS);
    }
  g_free (pspecs);

  ladle_key_value_set_name (kv, "n");
  ladle_key_value_set_value (kv, "v");
  ladle_key_value_set_enabled (kv, TRUE);
  ladle_key_value_set_is_file (kv, FALSE);
  ladle_key_value_set_content_type (kv, NULL);
  g_assert_cmpuint (g_hash_table_size (kv_counts), ==, 0);

  ladle_key_value_set_name (kv, "m");
  ladle_key_value_set_value (kv, NULL);
  ladle_key_value_set_value (kv, "");
  ladle_key_value_set_enabled (kv, FALSE);
  ladle_key_value_set_is_file (kv, TRUE);
  ladle_key_value_set_content_type (kv, "image/png");
  ladle_key_value_set_content_type (kv, "image/png");
  g_assert_cmpuint (notify_count (kv_counts, "name"), ==, 1);
  g_assert_cmpuint (notify_count (kv_counts, "value"), ==, 1);
  g_assert_cmpuint (notify_count (kv_counts, "enabled"), ==, 1);
  g_assert_cmpuint (notify_count (kv_counts, "is-file"), ==, 1);
  g_assert_cmpuint (notify_count (kv_counts, "content-type"), ==, 1);
  g_assert_cmpstr (ladle_key_value_get_value (kv), ==, "");
}

static void
count_items_changed (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     guint      *count)
{
  (*count)++;
}

static void
test_lists (void)
{
  g_autoptr(LadleRequest) request = ladle_request_new ();
  GListStore *stores[3];
  guint changes = 0;

  stores[0] = ladle_request_get_params (request);
  stores[1] = ladle_request_get_headers (request);
  stores[2] = ladle_request_get_form (request);
  g_assert_true (stores[0] != stores[1] && stores[1] != stores[2]);

  for (guint i = 0; i < G_N_ELEMENTS (stores); i++)
    {
      g_autoptr(LadleKeyValue) kv = ladle_key_value_new ("x", "y");
      g_autoptr(LadleKeyValue) item = NULL;

      g_assert_true (G_IS_LIST_MODEL (stores[i]));
      g_signal_connect (stores[i], "items-changed", G_CALLBACK (count_items_changed), &changes);
      g_list_store_append (stores[i], kv);
      g_assert_cmpuint (changes, ==, 2 * i + 1);
      item = g_list_model_get_item (G_LIST_MODEL (stores[i]), 0);
      g_assert_true (item == kv);
      g_list_store_remove (stores[i], 0);
      g_assert_cmpuint (changes, ==, 2 * i + 2);
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
make_full_request (void)
{
  LadleRequest *request = ladle_request_new ();
  g_autoptr(LadleKeyValue) file = ladle_key_value_new_file ("avatar", "/home/me/pic ü.png");

  ladle_request_set_method (request, "PATCH");
  ladle_request_set_url (request, "https://api.example.com/v1/items/42?x=1#frag");
  add_row (ladle_request_get_params (request), "q", "a b&c=d", TRUE);
  add_row (ladle_request_get_params (request), "off", "1", FALSE);
  add_row (ladle_request_get_params (request), "ключ", "значение", TRUE);
  add_row (ladle_request_get_headers (request), "X-Trace", "abc", TRUE);
  add_row (ladle_request_get_headers (request), "Accept", "application/json", FALSE);
  add_row (ladle_request_get_form (request), "title", "Hello \"world\"\n", TRUE);
  ladle_key_value_set_content_type (file, "image/png");
  g_list_store_append (ladle_request_get_form (request), file);
  add_row (ladle_request_get_form (request), "", "", FALSE);
  ladle_request_set_body_kind (request, LADLE_BODY_MULTIPART);
  ladle_request_set_body_text (request, "{\"a\": [1, 2]}\n");
  ladle_request_set_body_content_type (request, "application/xml");
  ladle_request_set_body_file (request, "/srv/data.bin");
  ladle_request_set_auth_kind (request, LADLE_AUTH_BASIC);
  ladle_request_set_auth_username (request, "aladdin");
  ladle_request_set_auth_password (request, "open: sesame");
  ladle_request_set_auth_token (request, "tok");
  ladle_request_set_follow_redirects (request, FALSE);
  ladle_request_set_max_redirects (request, 0);
  ladle_request_set_verify_tls (request, FALSE);
  ladle_request_set_use_cookies (request, FALSE);
  ladle_request_set_connect_timeout (request, 2.5);
  ladle_request_set_idle_timeout (request, 0.125);
  ladle_request_set_total_timeout (request, 600);
  return request;
}

static void
assert_stores_equal (GListStore *a,
                     GListStore *b)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (a));

  g_assert_cmpuint (n, ==, g_list_model_get_n_items (G_LIST_MODEL (b)));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LadleKeyValue) x = g_list_model_get_item (G_LIST_MODEL (a), i);
      g_autoptr(LadleKeyValue) y = g_list_model_get_item (G_LIST_MODEL (b), i);

      g_assert_cmpstr (ladle_key_value_get_name (x), ==, ladle_key_value_get_name (y));
      g_assert_cmpstr (ladle_key_value_get_value (x), ==, ladle_key_value_get_value (y));
      g_assert_cmpint (ladle_key_value_get_enabled (x), ==, ladle_key_value_get_enabled (y));
      g_assert_cmpint (ladle_key_value_get_is_file (x), ==, ladle_key_value_get_is_file (y));
      g_assert_cmpstr (ladle_key_value_get_content_type (x), ==,
                       ladle_key_value_get_content_type (y));
    }
}

static void
assert_requests_equal (LadleRequest *a,
                       LadleRequest *b)
{
  g_assert_cmpstr (ladle_request_get_method (a), ==, ladle_request_get_method (b));
  g_assert_cmpstr (ladle_request_get_url (a), ==, ladle_request_get_url (b));
  assert_stores_equal (ladle_request_get_params (a), ladle_request_get_params (b));
  assert_stores_equal (ladle_request_get_headers (a), ladle_request_get_headers (b));
  assert_stores_equal (ladle_request_get_form (a), ladle_request_get_form (b));
  g_assert_cmpint (ladle_request_get_body_kind (a), ==, ladle_request_get_body_kind (b));
  g_assert_cmpstr (ladle_request_get_body_text (a), ==, ladle_request_get_body_text (b));
  g_assert_cmpstr (ladle_request_get_body_content_type (a), ==,
                   ladle_request_get_body_content_type (b));
  g_assert_cmpstr (ladle_request_get_body_file (a), ==, ladle_request_get_body_file (b));
  g_assert_cmpint (ladle_request_get_auth_kind (a), ==, ladle_request_get_auth_kind (b));
  g_assert_cmpstr (ladle_request_get_auth_username (a), ==, ladle_request_get_auth_username (b));
  g_assert_cmpstr (ladle_request_get_auth_password (a), ==, ladle_request_get_auth_password (b));
  g_assert_cmpstr (ladle_request_get_auth_token (a), ==, ladle_request_get_auth_token (b));
  g_assert_cmpint (ladle_request_get_follow_redirects (a), ==,
                   ladle_request_get_follow_redirects (b));
  g_assert_cmpuint (ladle_request_get_max_redirects (a), ==, ladle_request_get_max_redirects (b));
  g_assert_cmpint (ladle_request_get_verify_tls (a), ==, ladle_request_get_verify_tls (b));
  g_assert_cmpint (ladle_request_get_use_cookies (a), ==, ladle_request_get_use_cookies (b));
  g_assert_cmpfloat (ladle_request_get_connect_timeout (a), ==,
                     ladle_request_get_connect_timeout (b));
  g_assert_cmpfloat (ladle_request_get_idle_timeout (a), ==, ladle_request_get_idle_timeout (b));
  g_assert_cmpfloat (ladle_request_get_total_timeout (a), ==,
                     ladle_request_get_total_timeout (b));
}

static void
test_copy (void)
{
  g_autoptr(LadleRequest) request = make_full_request ();
  g_autoptr(LadleRequest) copy = ladle_request_copy (request);
  g_autoptr(LadleKeyValue) original_row = NULL;
  g_autoptr(LadleKeyValue) copied_row = NULL;

  assert_requests_equal (request, copy);

  /* Different lists holding different rows */
  g_assert_true (ladle_request_get_params (request) != ladle_request_get_params (copy));
  original_row = g_list_model_get_item (G_LIST_MODEL (ladle_request_get_form (request)), 1);
  copied_row = g_list_model_get_item (G_LIST_MODEL (ladle_request_get_form (copy)), 1);
  g_assert_true (original_row != copied_row);

  ladle_key_value_set_value (copied_row, "/other");
  ladle_key_value_set_content_type (copied_row, NULL);
  g_list_store_remove (ladle_request_get_headers (copy), 0);
  ladle_request_set_url (copy, "http://changed/");
  g_assert_cmpstr (ladle_key_value_get_value (original_row), ==, "/home/me/pic ü.png");
  g_assert_cmpstr (ladle_key_value_get_content_type (original_row), ==, "image/png");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ladle_request_get_headers (request))),
                    ==, 2);
  g_assert_cmpstr (ladle_request_get_url (request), ==,
                   "https://api.example.com/v1/items/42?x=1#frag");

  g_clear_object (&original_row);
  g_clear_object (&copied_row);
  g_assert_finalize_object (g_steal_pointer (&copy));
  g_assert_finalize_object (g_steal_pointer (&request));
}

static void
test_effective_url (void)
{
  struct {
    const char *url;
    const char *params[7];   /* name, value, enabled ("1"/"0"), ... */
    const char *expected;
  } cases[] = {
    { "http://example.com/path", { NULL }, "http://example.com/path" },
    { "http://example.com", { NULL }, "http://example.com/" },
    { "  https://example.com/a  ", { NULL }, "https://example.com/a" },
    { "https://example.com/search", { "q", "ladle", "1", NULL },
      "https://example.com/search?q=ladle" },
    { "https://example.com/s", { "q", "a", "1", "skip", "me", "0", NULL },
      "https://example.com/s?q=a" },
    { "https://example.com/s?keep=1&x=%26", { "q", "2", "1", NULL },
      "https://example.com/s?keep=1&x=%26&q=2" },
    { "https://example.com/s?", { "q", "2", "1", NULL }, "https://example.com/s?q=2" },
    { "https://example.com/s", { "a b", "c d", "1", "k&=", "v=&?#", "1", NULL },
      "https://example.com/s?a%20b=c%20d&k%26%3D=v%3D%26%3F%23" },
    { "https://example.com/s", { "ключ", "日本", "1", NULL },
      "https://example.com/s?%D0%BA%D0%BB%D1%8E%D1%87=%E6%97%A5%E6%9C%AC" },
    { "https://example.com/s", { "plus", "1+1", "1", "slash", "a/b", "1", NULL },
      "https://example.com/s?plus=1%2B1&slash=a%2Fb" },
    { "https://example.com/p#section", { "q", "1", "1", NULL },
      "https://example.com/p?q=1#section" },
    { "https://example.com/p?x=1#section", { "q", "1", "1", NULL },
      "https://example.com/p?x=1&q=1#section" },
    { "https://example.com/a b/é?q=x y", { NULL },
      "https://example.com/a%20b/%C3%A9?q=x%20y" },
    { "https://exämple.com/", { NULL }, "https://xn--exmple-cua.com/" },
    { "http://[::1]:8080/x", { "a", "", "1", NULL }, "http://[::1]:8080/x?a=" },
    { "http://user:pw@127.0.0.1:8080/", { NULL }, "http://user:pw@127.0.0.1:8080/" },
    { "HTTPS://Example.COM/", { NULL }, "https://Example.COM/" },
    /* No scheme: http:// is assumed, as browsers do */
    { "localhost:8080/get", { NULL }, "http://localhost:8080/get" },
    { "127.0.0.1:8080/get", { "q", "1", "1", NULL }, "http://127.0.0.1:8080/get?q=1" },
    { "localhost:8080", { NULL }, "http://localhost:8080/" },
    { " localhost ", { NULL }, "http://localhost/" },
    { "[::1]:8080/", { NULL }, "http://[::1]:8080/" },
    { "example.com/path?q=1", { NULL }, "http://example.com/path?q=1" },
    { "example.com:443#top", { NULL }, "http://example.com:443/#top" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LadleRequest) request = ladle_request_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *url = NULL;

      ladle_request_set_url (request, cases[i].url);
      for (guint j = 0; cases[i].params[j] != NULL; j += 3)
        add_row (ladle_request_get_params (request), cases[i].params[j], cases[i].params[j + 1],
                 cases[i].params[j + 2][0] == '1');

      url = ladle_request_dup_effective_url (request, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (url, ==, cases[i].expected);
    }
}

static void
test_url_with_scheme (void)
{
  struct {
    const char *text;
    const char *expected;
  } cases[] = {
    { "localhost:8080/get", "http://localhost:8080/get" },
    { "  127.0.0.1:8080  ", "http://127.0.0.1:8080" },
    { "[::1]:8080/", "http://[::1]:8080/" },
    { "example.com?q", "http://example.com?q" },
    { "http://x/", NULL },
    { "HTTPS://x/", NULL },
    { "ftp://x/", NULL },
    { "mailto:x", NULL },
    { "{{host}}/x", NULL },
    { "localhost:{{port}}/x", NULL },
    { "/get", NULL },
    { "", NULL },
    { "   ", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *url = ladle_request_dup_url_with_scheme (cases[i].text);

      g_assert_cmpstr (url, ==, cases[i].expected);
    }
}

/* A JSON body with a syntax error is refused, unless the user asks to send it as written. */
static void
test_json_unchecked (void)
{
  g_autoptr(LadleRequest) request = ladle_request_new ();
  g_autoptr(LadleRequest) copy = NULL;
  g_autoptr(SoupMessage) refused = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;

  ladle_request_set_method (request, "POST");
  ladle_request_set_url (request, "http://127.0.0.1:9/post");
  ladle_request_set_body_kind (request, LADLE_BODY_JSON);
  ladle_request_set_body_text (request, "{\"a\": }");
  g_assert_true (ladle_request_get_check_json (request));

  refused = ladle_request_build_message (request, &error);
  g_assert_null (refused);
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  g_clear_error (&error);

  ladle_request_set_check_json (request, FALSE);
  copy = ladle_request_copy (request);
  g_assert_false (ladle_request_get_check_json (copy));
  msg = ladle_request_build_message (copy, &error);
  g_assert_no_error (error);
  g_assert_nonnull (msg);
  g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_request_headers (msg),
                                                          NULL), ==, "application/json");
}

static void
test_effective_url_errors (void)
{
  struct {
    const char *url;
    const char *message_part;
  } cases[] = {
    { "", "empty" },
    { "   ", "empty" },
    { "/get", "no scheme" },
    { "{{host}}/x", "no scheme" },
    { "localhost:http/x", "“localhost”" },
    { "localhost:123456/x", "“localhost”" },
    { "mailto:a@example.com", "“mailto”" },
    { "ftp://x", "“ftp”" },
    { "ws://example.com/socket", "“ws”" },
    { "file:///etc/passwd", "“file”" },
    { "http://", "no host" },
    { "https:///path", "no host" },
    { "http://a b/", "“a b”" },
    { "http://x/%zz", "not valid" },
    { "http://x:99999/", "not valid" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LadleRequest) request = ladle_request_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *url = NULL;

      ladle_request_set_url (request, cases[i].url);
      add_row (ladle_request_get_params (request), "q", "1", TRUE);
      url = ladle_request_dup_effective_url (request, &error);
      g_assert_null (url);
      g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
      if (strstr (error->message, cases[i].message_part) == NULL)
        g_error ("“%s”: message “%s” lacks “%s”", cases[i].url, error->message,
                 cases[i].message_part);
    }
}

static void
test_json_body (void)
{
  struct {
    const char *text;
    guint line;
    guint column;
    const char *message_part;
  } cases[] = {
    { "{\"a\": 1,\n \"b\": [1, 2,, 3]}", 2, 13, "2:13: " },
    { "{\"a\" 1}", 1, 4, "1:4: " },
    { "[1, 2,]", 1, 6, "1:6: " },
    { "{\"a\": tru}", 1, 9, "1:9: " },
    { "", 1, 1, "1:1: The JSON body is empty" },
    { "  \n\t ", 1, 1, "1:1: The JSON body is empty" },
    { "{\"a\": 1}\n\n  garbage", 3, 0, "3:" },
    { "[1, 2, 3]", 0, 0, NULL },
    { "\"just a string\"", 0, 0, NULL },
    { "{\"ключ\": \"значение\", \"n\": null}", 0, 0, NULL },
    /* Columns count characters: json-glib's byte column 11 is the 7th character */
    { "{\"ключ\" 1}", 1, 7, "1:7: " },
    { "[\"ё\",\n \"жж\", ю]", 2, 8, "2:8: “]” was expected here, not “ю”" },
    { "{\"ключ\": \"з\", ю}", 1, 13, "1:13: " },
    /* Worded in Ladle's terms */
    { "{\"a\": }", 1, 7, "1:7: a value was expected before “}”" },
    { "{\"a\": 1,\n \"b\": [1, 2,, 3]}", 2, 13, "2:13: “]” was expected here, not “,”" },
    { "{\"a\": tru}", 1, 9, "1:9: “tru” is not a JSON value" },
    { "[1, 2] 3", 1, 8, "1:8: “3” follows the end of the JSON value" },
    { "{a: 1}", 1, 1, "1:1: a member name in double quotes was expected here, not “{”" },
    { "{\"a\": \"x}", 1, 10, "1:10: a text in double quotes is not closed" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LadleRequest) request = ladle_request_new ();
      g_autoptr(GError) error = NULL;
      guint line = 99, column = 99;
      gboolean ok;

      ladle_request_set_body_kind (request, LADLE_BODY_JSON);
      ladle_request_set_body_text (request, cases[i].text);
      ok = ladle_request_check_json_body (request, &line, &column, &error);
      if (cases[i].message_part == NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpuint (line, ==, 0);
          continue;
        }

      g_assert_false (ok);
      g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
      g_assert_cmpuint (line, ==, cases[i].line);
      if (cases[i].column != 0)
        g_assert_cmpuint (column, ==, cases[i].column);
      else
        g_assert_cmpuint (column, >, 0);
      if (!g_str_has_prefix (error->message, cases[i].message_part))
        g_error ("“%s”: message “%s” lacks “%s”", cases[i].text, error->message,
                 cases[i].message_part);
      /* json-glib's "<data>:" prefix and its words are gone */
      g_assert_null (strstr (error->message, "<data>"));
      g_assert_null (strstr (error->message, "Parse error"));
      g_assert_null (strstr (error->message, "expected character"));
    }

  /* Deeper than json-glib can parse without overflowing its stack: an error with its place */
  {
    g_autoptr(LadleRequest) request = ladle_request_new ();
    g_autoptr(GError) error = NULL;
    g_autofree char *deep = g_strnfill (200000, '[');
    guint line = 0, column = 0;

    ladle_request_set_body_text (request, deep);
    g_assert_false (ladle_request_check_json_body (request, &line, &column, &error));
    g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
    g_assert_cmpuint (line, ==, 1);
    g_assert_cmpuint (column, ==, 513);
    g_assert_nonnull (strstr (error->message, "nest more than 512 levels deep"));
  }

  /* The out arguments are optional */
  {
    g_autoptr(LadleRequest) request = ladle_request_new ();
    g_autoptr(GError) error = NULL;

    ladle_request_set_body_text (request, "{");
    g_assert_false (ladle_request_check_json_body (request, NULL, NULL, &error));
    g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  }
}

static char *
node_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

static void
test_json_round_trip (void)
{
  g_autoptr(LadleRequest) request = make_full_request ();
  g_autoptr(LadleRequest) empty = ladle_request_new ();
  LadleRequest *requests[] = { request, empty };

  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    {
      g_autoptr(JsonNode) node = ladle_request_to_json (requests[i]);
      g_autofree char *text = node_to_string (node);
      g_autoptr(JsonNode) reparsed = parse_json (text);
      g_autoptr(LadleRequest) loaded = NULL;
      g_autoptr(JsonNode) node2 = NULL;
      g_autofree char *text2 = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_true (g_str_has_prefix (text, "{\"version\":1,"));

      /* through text, as history and collections store it */
      loaded = ladle_request_new_from_json (reparsed, &error);
      g_assert_no_error (error);
      assert_requests_equal (requests[i], loaded);

      node2 = ladle_request_to_json (loaded);
      text2 = node_to_string (node2);
      g_assert_cmpstr (text, ==, text2);
    }

  /* The fully populated request really differs from the default one in every member */
  {
    g_autoptr(JsonNode) node = ladle_request_to_json (request);
    JsonObject *root = json_node_get_object (node);
    JsonObject *body = json_object_get_object_member (root, "body");
    JsonObject *options = json_object_get_object_member (root, "options");
    JsonArray *fields = json_object_get_array_member (body, "fields");

    g_assert_cmpstr (json_object_get_string_member (body, "kind"), ==, "multipart");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "auth"),
                                                    "kind"), ==, "basic");
    g_assert_cmpuint (json_array_get_length (fields), ==, 3);
    g_assert_true (json_object_get_boolean_member (json_array_get_object_element (fields, 1),
                                                   "file"));
    g_assert_cmpfloat (json_object_get_double_member (options, "idle_timeout"), ==, 0.125);
  }
}

static void
test_json_forward_compatible (void)
{
  g_autoptr(JsonNode) node = parse_json (
    "{\"version\": 1, \"method\": \"PUT\", \"url\": \"http://x/\", \"future\": [1, 2],"
    " \"headers\": [{\"name\": \"A\", \"value\": \"b\", \"colour\": \"red\"}],"
    " \"body\": {\"kind\": \"json\", \"text\": \"{}\", \"syntax\": \"json5\", \"file\": null},"
    " \"options\": {\"total_timeout\": 5, \"http3\": true}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(LadleRequest) request = ladle_request_new_from_json (node, &error);
  g_autoptr(LadleKeyValue) header = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (ladle_request_get_method (request), ==, "PUT");
  g_assert_cmpint (ladle_request_get_body_kind (request), ==, LADLE_BODY_JSON);
  g_assert_cmpstr (ladle_request_get_body_text (request), ==, "{}");
  g_assert_null (ladle_request_get_body_file (request));
  g_assert_cmpfloat (ladle_request_get_total_timeout (request), ==, 5);
  /* missing members keep the defaults */
  g_assert_true (ladle_request_get_follow_redirects (request));
  g_assert_cmpuint (ladle_request_get_max_redirects (request), ==, 30);
  g_assert_cmpint (ladle_request_get_auth_kind (request), ==, LADLE_AUTH_NONE);
  header = g_list_model_get_item (G_LIST_MODEL (ladle_request_get_headers (request)), 0);
  g_assert_cmpstr (ladle_key_value_get_name (header), ==, "A");
  g_assert_true (ladle_key_value_get_enabled (header));
}

static void
test_json_bad (void)
{
  struct {
    const char *json;
    const char *message_part;
  } cases[] = {
    { "[]", "object" },
    { "\"request\"", "object" },
    { "{}", "version" },
    { "{\"version\": \"1\"}", "version" },
    { "{\"version\": 0}", "version" },
    { "{\"version\": 1.5}", "version" },
    { "{\"version\": 2, \"url\": \"http://x/\"}", "newer" },
    { "{\"version\": 1, \"method\": 5}", "“method”" },
    { "{\"version\": 1, \"url\": [\"x\"]}", "“url”" },
    { "{\"version\": 1, \"params\": {}}", "“params”" },
    { "{\"version\": 1, \"headers\": [\"A: b\"]}", "“headers[0]”" },
    { "{\"version\": 1, \"headers\": [{\"name\": \"a\"}, {\"name\": 1}]}",
      "“headers[1].name”" },
    { "{\"version\": 1, \"params\": [{\"enabled\": \"yes\"}]}", "“params[0].enabled”" },
    { "{\"version\": 1, \"body\": []}", "“body”" },
    { "{\"version\": 1, \"body\": {\"kind\": \"xml\"}}", "“xml”" },
    { "{\"version\": 1, \"body\": {\"kind\": 2}}", "“body.kind”" },
    { "{\"version\": 1, \"body\": {\"fields\": [{\"file\": 1}]}}", "“body.fields[0].file”" },
    { "{\"version\": 1, \"body\": {\"file\": false}}", "“body.file”" },
    { "{\"version\": 1, \"auth\": {\"kind\": \"kerberos\"}}", "“kerberos”" },
    { "{\"version\": 1, \"auth\": {\"token\": {}}}", "“auth.token”" },
    { "{\"version\": 1, \"options\": {\"max_redirects\": -1}}", "“options.max_redirects”" },
    { "{\"version\": 1, \"options\": {\"max_redirects\": 2.5}}", "“options.max_redirects”" },
    { "{\"version\": 1, \"options\": {\"total_timeout\": \"5\"}}", "“options.total_timeout”" },
    { "{\"version\": 1, \"options\": {\"idle_timeout\": -0.5}}", "“options.idle_timeout”" },
    { "{\"version\": 1, \"options\": {\"verify_tls\": 0}}", "“options.verify_tls”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = parse_json (cases[i].json);
      g_autoptr(GError) error = NULL;
      g_autoptr(LadleRequest) request = ladle_request_new_from_json (node, &error);

      g_assert_null (request);
      g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
      if (strstr (error->message, cases[i].message_part) == NULL)
        g_error ("%s: message “%s” lacks “%s”", cases[i].json, error->message,
                 cases[i].message_part);
    }
}

/* Asserts that @request is refused with a message containing @needle. */
static void
assert_invalid (LadleRequest *request,
                const char   *needle)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (ladle_request_validate (request, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
  if (strstr (error->message, needle) == NULL)
    g_error ("message “%s” lacks “%s”", error->message, needle);
}

static void
assert_valid (LadleRequest *request)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ladle_request_validate (request, &error));
  g_assert_no_error (error);
}

static LadleKeyValue *
append_header (LadleRequest *request,
               const char   *name,
               const char   *value)
{
  g_autoptr(LadleKeyValue) kv = ladle_key_value_new (name, value);

  g_list_store_append (ladle_request_get_headers (request), kv);
  return kv;
}

static void
test_validate_method_and_headers (void)
{
  g_autoptr(LadleRequest) request = ladle_request_new ();
  LadleKeyValue *evil;

  ladle_request_set_url (request, "http://127.0.0.1/");
  append_header (request, "X-Ok", "a\tb ä");
  ladle_request_set_method (request, "M-SEARCH");
  assert_valid (request);

  /* The report's smuggling method: two requests on one line */
  ladle_request_set_method (request, "GET /x HTTP/1.1\r\nHost: a\r\n\r\nDELETE");
  assert_invalid (request,
                  "“GET /x HTTP/1.1\\r\\nHost: a\\r\\n\\r\\nDELETE” is not a valid HTTP method");
  ladle_request_set_method (request, "GET ");
  assert_invalid (request, "“GET ”");
  ladle_request_set_method (request, "PUT");

  /* A header row: its name, then its value */
  evil = append_header (request, "X-Evil", "1\r\nSet-Cookie: a=b");
  assert_invalid (request, "“X-Evil” contains a line break");
  ladle_key_value_set_value (evil, "1\001");
  assert_invalid (request, "\\x01");
  ladle_key_value_set_value (evil, "1");
  ladle_key_value_set_name (evil, "X Evil");
  assert_invalid (request, "“X Evil” is not a valid header name");
  g_assert_false (ladle_key_value_check_header (evil, NULL));

  /* Rows that are not sent are not checked: disabled, or without a name */
  ladle_key_value_set_enabled (evil, FALSE);
  g_assert_true (ladle_key_value_check_header (evil, NULL));
  assert_valid (request);
  append_header (request, "", "anything\r\n");
  assert_valid (request);
}

static void
test_validate_derived (void)
{
  g_autoptr(LadleRequest) request = ladle_request_new ();
  g_autoptr(LadleKeyValue) part = ladle_key_value_new_file ("upload", "/tmp/a.png");

  ladle_request_set_url (request, "http://127.0.0.1/");

  /* The bearer token goes into "Authorization: Bearer …" */
  ladle_request_set_auth_token (request, "abc\r\nX-Injected: 1");
  assert_valid (request);
  ladle_request_set_auth_kind (request, LADLE_AUTH_BEARER);
  assert_invalid (request, "bearer token");
  ladle_request_set_auth_token (request, "abc.def");
  assert_valid (request);
  /* Basic credentials are base64: any text is fine */
  ladle_request_set_auth_kind (request, LADLE_AUTH_BASIC);
  ladle_request_set_auth_password (request, "line\nbreak");
  assert_valid (request);

  /* The body's content type, for the kinds that send it */
  ladle_request_set_body_content_type (request, "text/plain\r\nX-Injected: 1");
  ladle_request_set_body_kind (request, LADLE_BODY_JSON);
  assert_valid (request);
  ladle_request_set_body_kind (request, LADLE_BODY_TEXT);
  assert_invalid (request, "“text/plain\\r\\nX-Injected: 1”");
  ladle_request_set_body_kind (request, LADLE_BODY_FILE);
  assert_invalid (request, "Content-Type");
  ladle_request_set_body_content_type (request, "text/csv");

  /* A file part's type goes into the part's header */
  ladle_request_set_body_kind (request, LADLE_BODY_MULTIPART);
  ladle_key_value_set_content_type (part, "image/png\n\nfake");
  g_list_store_append (ladle_request_get_form (request), part);
  assert_invalid (request, "“upload”");
  ladle_key_value_set_content_type (part, "image/png");
  assert_valid (request);
}

static void
set_away_from_default (LadleRequest *request,
                       const char   *name)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (request), name);
  guint notified = 0;
  gulong id;
  g_autofree char *detailed = g_strconcat ("notify::", name, NULL);

  g_assert_nonnull (pspec);
  id = g_signal_connect_swapped (request, detailed, G_CALLBACK (count_one), &notified);
  if (G_IS_PARAM_SPEC_STRING (pspec))
    {
      g_autofree char *value = g_strdup_printf ("%s value «ё»", name);

      g_assert_cmpstr (G_PARAM_SPEC_STRING (pspec)->default_value, ==, "");
      g_object_set (request, name, value, NULL);
    }
  else if (G_IS_PARAM_SPEC_ENUM (pspec))
    {
      GEnumClass *klass = G_PARAM_SPEC_ENUM (pspec)->enum_class;

      g_assert_cmpint (G_PARAM_SPEC_ENUM (pspec)->default_value, ==, klass->minimum);
      g_object_set (request, name, klass->maximum, NULL);
    }
  else if (G_IS_PARAM_SPEC_BOOLEAN (pspec))
    g_object_set (request, name, !G_PARAM_SPEC_BOOLEAN (pspec)->default_value, NULL);
  else
    g_assert_not_reached ();
  g_signal_handler_disconnect (request, id);
  g_assert_cmpuint (notified, ==, 1);
}

static gboolean
property_is_default (LadleRequest *request,
                     const char   *name)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (request), name);
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, pspec->value_type);
  g_object_get_property (G_OBJECT (request), name, &value);
  return g_param_value_defaults (pspec, &value);
}

static gboolean
properties_equal (LadleRequest *a,
                  LadleRequest *b,
                  const char   *name)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (a), name);
  g_auto(GValue) va = G_VALUE_INIT;
  g_auto(GValue) vb = G_VALUE_INIT;

  g_value_init (&va, pspec->value_type);
  g_value_init (&vb, pspec->value_type);
  g_object_get_property (G_OBJECT (a), name, &va);
  g_object_get_property (G_OBJECT (b), name, &vb);
  return g_param_values_cmp (pspec, &va, &vb) == 0;
}

static gboolean
is_secret (const char *name)
{
  return g_strv_contains ((const char *const *) issue14_secrets, name);
}

static void
test_issue14_settings (void)
{
  g_autoptr(LadleRequest) request = ladle_request_new ();
  g_autoptr(LadleRequest) plain = ladle_request_new ();
  g_autoptr(LadleRequest) copy = NULL;
  g_autoptr(JsonNode) plain_node = ladle_request_to_json (plain);
  g_autofree char *plain_text = node_to_string (plain_node);

  /* A request that uses none of them is saved as before */
  g_assert_null (strstr (plain_text, "proxy"));
  g_assert_null (strstr (plain_text, "oauth2"));
  g_assert_null (strstr (plain_text, "tls_"));
  g_assert_null (strstr (plain_text, "key_"));
  g_assert_null (strstr (plain_text, "http_version"));

  ladle_request_set_auth_kind (request, LADLE_AUTH_OAUTH2);
  for (guint i = 0; i < G_N_ELEMENTS (issue14_properties); i++)
    {
      set_away_from_default (request, issue14_properties[i]);
      g_assert_false (property_is_default (request, issue14_properties[i]));
    }
  g_assert_cmpint (ladle_request_get_http_version (request), ==, LADLE_HTTP_VERSION_1_1);
  g_assert_cmpint (ladle_request_get_proxy_mode (request), ==, LADLE_PROXY_MANUAL);
  g_assert_false (ladle_request_get_oauth2_pkce (request));
  g_assert_cmpstr (ladle_request_get_no_proxy (request), ==, "no-proxy value «ё»");

  copy = ladle_request_copy (request);
  for (guint i = 0; i < G_N_ELEMENTS (issue14_properties); i++)
    g_assert_true (properties_equal (request, copy, issue14_properties[i]));

  /* Saved (session, workspace) with the secrets; the history without them */
  for (int with_secrets = 0; with_secrets <= 1; with_secrets++)
    {
      g_autoptr(JsonNode) node = ladle_request_to_json_full (request, with_secrets);
      g_autofree char *text = node_to_string (node);
      g_autoptr(JsonNode) reparsed = parse_json (text);
      g_autoptr(GError) error = NULL;
      g_autoptr(LadleRequest) loaded = ladle_request_new_from_json (reparsed, &error);

      g_assert_no_error (error);
      g_assert_cmpint (ladle_request_get_auth_kind (loaded), ==, LADLE_AUTH_OAUTH2);
      for (guint i = 0; i < G_N_ELEMENTS (issue14_properties); i++)
        {
          const char *name = issue14_properties[i];

          if (!with_secrets && is_secret (name))
            {
              g_autofree char *value = g_strdup_printf ("%s value", name);

              g_assert_true (property_is_default (loaded, name));
              g_assert_null (strstr (text, value));
            }
          else
            g_assert_true (properties_equal (request, loaded, name));
        }
    }

  /* The history's form of a request without the secrets equals the saved one */
  {
    g_autoptr(JsonNode) a = ladle_request_to_json (plain);
    g_autoptr(JsonNode) b = ladle_request_to_json_full (plain, FALSE);

    g_assert_true (json_node_equal (a, b));
  }
}

static void
test_issue14_json_bad (void)
{
  const char *cases[][2] = {
    { "{\"version\": 1, \"auth\": {\"kind\": \"kerberos\"}}", "auth.kind" },
    { "{\"version\": 1, \"auth\": {\"key_in\": \"cookie\"}}", "auth.key_in" },
    { "{\"version\": 1, \"auth\": {\"oauth2_grant\": \"implicit\"}}", "auth.oauth2_grant" },
    { "{\"version\": 1, \"auth\": {\"oauth2_pkce\": \"yes\"}}", "auth.oauth2_pkce" },
    { "{\"version\": 1, \"auth\": {\"oauth2_scope\": 7}}", "auth.oauth2_scope" },
    { "{\"version\": 1, \"options\": {\"proxy_mode\": \"pac\"}}", "options.proxy_mode" },
    { "{\"version\": 1, \"options\": {\"http_version\": \"3\"}}", "options.http_version" },
    { "{\"version\": 1, \"options\": {\"tls_ca_file\": []}}", "options.tls_ca_file" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = parse_json (cases[i][0]);
      g_autoptr(GError) error = NULL;
      g_autoptr(LadleRequest) loaded = ladle_request_new_from_json (node, &error);

      g_assert_null (loaded);
      g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
      if (strstr (error->message, cases[i][1]) == NULL)
        g_error ("case %u: “%s” does not name %s", i, error->message, cases[i][1]);
    }
}

static void
test_validate_api_key (void)
{
  g_autoptr(LadleRequest) request = ladle_request_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) automatic = NULL;
  gboolean listed = FALSE;

  ladle_request_set_url (request, "http://127.0.0.1:1/");
  ladle_request_set_auth_kind (request, LADLE_AUTH_API_KEY);
  g_assert_false (ladle_request_validate (request, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "no name"));
  g_clear_error (&error);

  ladle_request_set_auth_key_name (request, "X Api Key");
  g_assert_false (ladle_request_validate (request, &error));
  g_assert_nonnull (strstr (error->message, "X Api Key"));
  g_clear_error (&error);

  /* In the query any name goes: it is percent-encoded */
  ladle_request_set_auth_key_in (request, LADLE_API_KEY_IN_QUERY);
  g_assert_true (ladle_request_validate (request, &error));
  g_assert_no_error (error);

  ladle_request_set_auth_key_in (request, LADLE_API_KEY_IN_HEADER);
  ladle_request_set_auth_key_name (request, "X-Api-Key");
  ladle_request_set_auth_key_value (request, "a\r\nInjected: 1");
  g_assert_false (ladle_request_validate (request, &error));
  g_assert_nonnull (strstr (error->message, "X-Api-Key"));
  g_assert_null (strstr (error->message, "Injected"));
  g_clear_error (&error);

  ladle_request_set_auth_key_value (request, "s3cr3t");
  g_assert_true (ladle_request_validate (request, &error));

  automatic = ladle_request_dup_automatic_headers (request);
  for (guint i = 0; i < automatic->len; i++)
    {
      LadleAutoHeader *header = &g_array_index (automatic, LadleAutoHeader, i);

      if (g_strcmp0 (header->name, "X-Api-Key") == 0)
        {
          g_assert_cmpstr (header->value, ==, "s3cr3t");
          listed = TRUE;
        }
    }
  g_assert_true (listed);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  g_test_add_func ("/ladle/request/defaults", test_defaults);
  g_test_add_func ("/ladle/request/notify", test_notify);
  g_test_add_func ("/ladle/request/lists", test_lists);
  g_test_add_func ("/ladle/request/copy", test_copy);
  g_test_add_func ("/ladle/request/effective-url", test_effective_url);
  g_test_add_func ("/ladle/request/url-with-scheme", test_url_with_scheme);
  g_test_add_func ("/ladle/request/json-unchecked", test_json_unchecked);
  g_test_add_func ("/ladle/request/effective-url-errors", test_effective_url_errors);
  g_test_add_func ("/ladle/request/json-body", test_json_body);
  g_test_add_func ("/ladle/request/json-round-trip", test_json_round_trip);
  g_test_add_func ("/ladle/request/json-forward-compatible", test_json_forward_compatible);
  g_test_add_func ("/ladle/request/json-bad", test_json_bad);
  g_test_add_func ("/ladle/request/validate-method-headers", test_validate_method_and_headers);
  g_test_add_func ("/ladle/request/validate-derived", test_validate_derived);
  g_test_add_func ("/ladle/request/issue14-settings", test_issue14_settings);
  g_test_add_func ("/ladle/request/issue14-json-bad", test_issue14_json_bad);
  g_test_add_func ("/ladle/request/validate-api-key", test_validate_api_key);

  return ladle_test_run ();
}
