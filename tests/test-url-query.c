/* test-url-query.c
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

#include "ladle-request.h"
#include "ladle-url-query.h"

#include "ladle-test-utils.h"

/* "name=value" items as "name=value", "name" (no "="), joined by "|" */
static char *
describe (LadleUrlParts *parts)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < parts->items->len; i++)
    {
      LadleUrlQueryItem *item = g_ptr_array_index (parts->items, i);

      if (i > 0)
        g_string_append_c (text, '|');
      g_string_append (text, item->name);
      if (item->value != NULL)
        g_string_append_printf (text, "=%s", item->value);
    }
  return g_string_free (text, FALSE);
}

static void
test_split (void)
{
  struct {
    const char *url;
    const char *base;
    gboolean    has_query;
    const char *items;
    const char *fragment;
  } cases[] = {
    { "http://x/p", "http://x/p", FALSE, "", NULL },
    { "http://x/p?", "http://x/p", TRUE, "", NULL },
    { "http://x/p?a=1&a=2&b", "http://x/p", TRUE, "a=1|a=2|b", NULL },
    { "http://x/p?a=1&&b=", "http://x/p", TRUE, "a=1||b=", NULL },
    { "http://x/p?a=1&", "http://x/p", TRUE, "a=1|", NULL },
    { "http://x/p?q=a%26b%3Dc&x=1=2", "http://x/p", TRUE, "q=a%26b%3Dc|x=1=2", NULL },
    { "http://x/p?a=1#frag?x=1&y", "http://x/p", TRUE, "a=1", "frag?x=1&y" },
    { "http://x/p#top?a=1", "http://x/p", FALSE, "", "top?a=1" },
    { "http://x/p?#", "http://x/p", TRUE, "", "" },
    { "{{host}}/p?q={{a&b=c}}&r={{x}}#{{f}}", "{{host}}/p", TRUE, "q={{a&b=c}}|r={{x}}", "{{f}}" },
    { "{{a?b}}/p?q=1", "{{a?b}}/p", TRUE, "q=1", NULL },
    { "http://x/?q={{unclosed&r=1", "http://x/", TRUE, "q={{unclosed|r=1", NULL },
    { "http://x/?{{a}}={{b}}", "http://x/", TRUE, "{{a}}={{b}}", NULL },
    { "?a", "", TRUE, "a", NULL },
    { "", "", FALSE, "", NULL },
    { "http://x/?ключ=значение", "http://x/", TRUE, "ключ=значение", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LadleUrlParts) parts = ladle_url_parts_split (cases[i].url);
      g_autofree char *items = describe (parts);
      g_autofree char *joined = ladle_url_parts_join (parts);

      g_test_message ("%s", cases[i].url);
      g_assert_cmpstr (parts->base, ==, cases[i].base);
      g_assert_cmpint (parts->has_query, ==, cases[i].has_query);
      g_assert_cmpstr (items, ==, cases[i].items);
      g_assert_cmpstr (parts->fragment, ==, cases[i].fragment);
      /* Byte for byte back */
      g_assert_cmpstr (joined, ==, cases[i].url);
    }
}

static void
test_join_edited (void)
{
  g_autoptr(LadleUrlParts) parts = ladle_url_parts_split ("http://x/p?a=1&a=2#f");
  g_autofree char *joined = NULL;
  g_autofree char *emptied = NULL;

  ladle_url_parts_add (parts, "b", NULL);
  ladle_url_parts_add (parts, "c", "");
  joined = ladle_url_parts_join (parts);
  g_assert_cmpstr (joined, ==, "http://x/p?a=1&a=2&b&c=#f");

  /* No items and no "?" asked for: no "?" */
  g_ptr_array_set_size (parts->items, 0);
  parts->has_query = FALSE;
  emptied = ladle_url_parts_join (parts);
  g_assert_cmpstr (emptied, ==, "http://x/p#f");
}

static void
test_decode (void)
{
  struct {
    const char *raw;
    const char *shown;
  } cases[] = {
    { "plain", "plain" },
    { "a%20b", "a b" },
    { "a%26b%3Dc", "a&b=c" },
    { "%D0%BA%D0%BB%D1%8E%D1%87", "ключ" },
    { "1+1", "1+1" },
    { "100%", "100%" },
    { "%zz%2", "%zz%2" },
    { "%FF", "%FF" },                     /* not UTF-8: as typed */
    { "a%00b", "a%00b" },                 /* NUL */
    { "a%0Ab", "a%0Ab" },                 /* line break */
    { "{{x%20y}}%20", "{{x%20y}} " },     /* {{…}} untouched */
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = ladle_url_query_decode (cases[i].raw);

      g_assert_cmpstr (shown, ==, cases[i].shown);
    }
}

static void
test_encode (void)
{
  struct {
    const char *text;
    gboolean    is_name;
    const char *raw;
  } cases[] = {
    { "plain", FALSE, "plain" },
    { "a b", FALSE, "a%20b" },
    { "a&b=c", FALSE, "a%26b=c" },
    { "a&b=c", TRUE, "a%26b%3Dc" },
    { "1+1", FALSE, "1%2B1" },
    { "x#y", FALSE, "x%23y" },
    { "100%", FALSE, "100%25" },
    { "%20", FALSE, "%20" },              /* already encoded: not again */
    { "%2", FALSE, "%252" },
    { "{{token}}", FALSE, "{{token}}" },
    { "{{a b}}&", FALSE, "{{a b}}%26" },
    { "ключ/?:@", FALSE, "ключ/?:@" },
    { "a\nb\tc", FALSE, "a%0Ab%09c" },
    { "", TRUE, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *raw = ladle_url_query_encode (cases[i].text, cases[i].is_name);
      g_autofree char *back = ladle_url_query_decode (raw);
      g_autofree char *item = g_strconcat ("http://x/?", raw, "=v", NULL);
      g_autoptr(LadleUrlParts) parts = ladle_url_parts_split (item);

      g_assert_cmpstr (raw, ==, cases[i].raw);
      /* What was typed is shown again, unless it was typed encoded or is no text */
      if (g_strcmp0 (cases[i].text, "%20") != 0 && strchr (cases[i].text, '\n') == NULL)
        g_assert_cmpstr (back, ==, cases[i].text);
      /* and a name stays one item */
      if (cases[i].is_name)
        {
          g_assert_cmpuint (parts->items->len, ==, 1);
          g_assert_cmpstr (((LadleUrlQueryItem *) g_ptr_array_index (parts->items, 0))->name,
                           ==, raw);
        }
    }
}

/* Long inputs stay linear: many "{{" without "}}", many "&" */
static void
test_hostile (void)
{
  gsize n = 4 * 1024 * 1024;
  gsize m = 256 * 1024;       /* an item each: allocations (slow under the sanitizers) */
  g_autofree char *braces = g_malloc (n + 1);
  g_autofree char *amps = g_malloc (m + 2);
  g_autoptr(LadleUrlParts) a = NULL;
  g_autoptr(LadleUrlParts) b = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *decoded = NULL;
  gint64 start = g_get_monotonic_time ();

  memset (braces, '{', n);
  braces[n] = '\0';
  braces[0] = '?';
  amps[0] = '?';
  memset (amps + 1, '&', m);
  amps[m + 1] = '\0';

  a = ladle_url_parts_split (braces);
  g_assert_cmpuint (a->items->len, ==, 1);
  encoded = ladle_url_query_encode (braces, TRUE);
  decoded = ladle_url_query_decode (braces);
  g_assert_cmpstr (decoded, ==, braces);
  b = ladle_url_parts_split (amps);
  g_assert_cmpuint (b->items->len, ==, m + 1);
  joined = ladle_url_parts_join (b);
  g_assert_cmpstr (joined, ==, amps);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_USEC_PER_SEC);
}

/* A request whose rows are in its URL sends the URL alone; one saved before keeps sending them
 * appended. */
static void
test_params_in_url (void)
{
  g_autoptr(LadleRequest) request = ladle_request_new ();
  g_autoptr(LadleKeyValue) kv = ladle_key_value_new ("q", "1");
  g_autoptr(LadleRequest) copy = NULL;
  g_autoptr(LadleRequest) loaded = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) old = NULL;
  g_autoptr(LadleRequest) old_loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *reloaded = NULL;
  g_autofree char *legacy = NULL;
  g_autofree char *typed = NULL;

  ladle_request_set_url (request, "http://127.0.0.1/p?q=1");
  g_list_store_append (ladle_request_get_params (request), kv);
  g_assert_false (ladle_request_get_params_in_url (request));
  url = ladle_request_dup_effective_url (request, NULL);
  g_assert_cmpstr (url, ==, "http://127.0.0.1/p?q=1&q=1");

  old = ladle_request_to_json (request);
  json_object_remove_member (json_node_get_object (old), "params_in_url");

  ladle_request_set_params_in_url (request, TRUE);
  g_clear_pointer (&url, g_free);
  url = ladle_request_dup_effective_url (request, NULL);
  g_assert_cmpstr (url, ==, "http://127.0.0.1/p?q=1");

  copy = ladle_request_copy (request);
  copied = ladle_request_dup_effective_url (copy, NULL);
  g_assert_cmpstr (copied, ==, "http://127.0.0.1/p?q=1");

  node = ladle_request_to_json (request);
  loaded = ladle_request_new_from_json (node, &error);
  g_assert_no_error (error);
  reloaded = ladle_request_dup_effective_url (loaded, NULL);
  g_assert_cmpstr (reloaded, ==, "http://127.0.0.1/p?q=1");

  /* Saved before the flag: the rows are appended, as they were */
  old_loaded = ladle_request_new_from_json (old, &error);
  g_assert_no_error (error);
  g_assert_false (ladle_request_get_params_in_url (old_loaded));
  legacy = ladle_request_dup_effective_url (old_loaded, NULL);
  g_assert_cmpstr (legacy, ==, "http://127.0.0.1/p?q=1&q=1");

  /* As typed, for a URL that is not valid yet */
  ladle_request_set_url (request, "{{host}}/p?q=1");
  typed = ladle_request_dup_url_as_typed (request);
  g_assert_cmpstr (typed, ==, "{{host}}/p?q=1");
}

static const char *
find_automatic (GArray     *headers,
                const char *name,
                gboolean   *fixed)
{
  for (guint i = 0; i < headers->len; i++)
    {
      LadleAutoHeader *header = &g_array_index (headers, LadleAutoHeader, i);

      if (g_ascii_strcasecmp (header->name, name) == 0)
        {
          if (fixed != NULL)
            *fixed = header->fixed;
          return header->value;
        }
    }
  return NULL;
}

static void
test_automatic_headers (void)
{
  g_autoptr(LadleRequest) request = ladle_request_new ();
  g_autoptr(GArray) none = NULL;
  g_autoptr(GArray) json = NULL;
  g_autoptr(GArray) multipart = NULL;
  gboolean fixed = FALSE;

  ladle_request_set_url (request, "http://127.0.0.1:8080/get");
  none = ladle_request_dup_automatic_headers (request);
  g_assert_cmpstr (find_automatic (none, "Host", &fixed), ==, "127.0.0.1:8080");
  g_assert_false (fixed);
  g_assert_true (g_str_has_prefix (find_automatic (none, "User-Agent", &fixed), "Ladle libsoup/"));
  g_assert_false (fixed);
  g_assert_cmpstr (find_automatic (none, "Accept-Encoding", NULL), ==, "gzip, deflate");
  g_assert_cmpstr (find_automatic (none, "Connection", NULL), ==, "Keep-Alive");
  g_assert_null (find_automatic (none, "Content-Type", NULL));
  g_assert_null (find_automatic (none, "Authorization", NULL));

  ladle_request_set_url (request, "https://[::1]/x");
  ladle_request_set_body_kind (request, LADLE_BODY_JSON);
  ladle_request_set_body_text (request, "{\"a\": \"é\"}");
  ladle_request_set_auth_kind (request, LADLE_AUTH_BEARER);
  json = ladle_request_dup_automatic_headers (request);
  g_assert_cmpstr (find_automatic (json, "Host", NULL), ==, "[::1]");
  g_assert_cmpstr (find_automatic (json, "Content-Type", &fixed), ==, "application/json");
  g_assert_false (fixed);
  g_assert_cmpstr (find_automatic (json, "Content-Length", NULL), ==, "11");
  g_assert_nonnull (find_automatic (json, "Authorization", NULL));

  ladle_request_set_url (request, "not a url");
  ladle_request_set_body_kind (request, LADLE_BODY_MULTIPART);
  multipart = ladle_request_dup_automatic_headers (request);
  g_assert_null (find_automatic (multipart, "Host", NULL));
  g_assert_true (g_str_has_prefix (find_automatic (multipart, "Content-Type", &fixed),
                                   "multipart/form-data"));
  g_assert_true (fixed);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  g_test_add_func ("/ladle/url-query/split", test_split);
  g_test_add_func ("/ladle/url-query/join-edited", test_join_edited);
  g_test_add_func ("/ladle/url-query/decode", test_decode);
  g_test_add_func ("/ladle/url-query/encode", test_encode);
  g_test_add_func ("/ladle/url-query/hostile", test_hostile);
  g_test_add_func ("/ladle/url-query/params-in-url", test_params_in_url);
  g_test_add_func ("/ladle/url-query/automatic-headers", test_automatic_headers);

  return ladle_test_run ();
}
