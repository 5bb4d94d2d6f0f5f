/* test-json.c
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

#include <json-glib/json-glib.h>

#include "ladle-error.h"
#include "ladle-json.h"
#include "ladle-test-utils.h"

/* "[[[…]]]" @depth levels deep, with @prefix before it */
static char *
nested (const char *prefix,
        guint       depth)
{
  GString *s = g_string_new (prefix);

  for (guint i = 0; i < depth; i++)
    g_string_append_c (s, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (s, ']');

  return g_string_free (s, FALSE);
}

static guint
depth_of (const char *text)
{
  return ladle_json_scan_depth (text, strlen (text), 0, NULL);
}

static void
test_scan_depth (void)
{
  g_assert_cmpuint (depth_of (""), ==, 0);
  g_assert_cmpuint (depth_of ("42"), ==, 0);
  g_assert_cmpuint (depth_of ("[]"), ==, 1);
  g_assert_cmpuint (depth_of ("{\"a\": [1, {\"b\": []}], \"c\": {}}"), ==, 4);
  g_assert_cmpuint (depth_of ("[][][]"), ==, 1);
  g_assert_cmpuint (depth_of ("]]]]["), ==, 1);

  /* Brackets in strings and comments are not levels */
  g_assert_cmpuint (depth_of ("[\"[[[[\"]"), ==, 1);
  g_assert_cmpuint (depth_of ("['[[[[']"), ==, 1);
  g_assert_cmpuint (depth_of ("[\"\\\"[[[[\"]"), ==, 1);
  g_assert_cmpuint (depth_of ("[\"\\\\\", [[]]]"), ==, 3);
  /* json-glib's comments run from one '/' to the next */
  g_assert_cmpuint (depth_of ("[/ [[[[ /]"), ==, 1);
  g_assert_cmpuint (depth_of ("[/* [[[[ */]"), ==, 1);
}

/* Every case where json-glib's scanner reads a string differently from JSON: the count must never
 * fall below what json-glib reaches. */
static void
test_scan_follows_json_glib (void)
{
  const char *cases[] = {
    /* "\u12" takes the backslash as its fourth character, so the next quote closes the string */
    "[\"\\u12\\\"[[[[]]]]\"]",
    "[\"\\u12\\\", [[[]]], \"x\"]",
    "[\"\\ud800x\", [[[]]]]",
    /* a high surrogate reads on: \ u and four digits, whatever they are */
    "[\"\\ud800\\u\"[[[]]]\"]",
    "[\"\\ud800x\"[[[]]]\"]",
    "[\"\\ud800\\\"[[[]]]\"]",
    /* octal escapes take up to two more digits */
    "[\"\\7\"[[[]]]\"]",
    "[\"\\777\"[[[]]]]",
    /* a quote inside a comment, and a comment inside a string */
    "[/\"/[[[]]]]",
    "[\"/\"[[[]]]\"/\"]",
    "['\"'[[[]]]]",
    "[\"'\"[[[]]]]",
    "{\"a\":[{\"b\":[[[]]]}]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint ours = depth_of (cases[i]);
      guint theirs = ladle_test_json_glib_reach (cases[i], -1);

      g_test_message ("%s: ours %u, json-glib %u", cases[i], ours, theirs);
      g_assert_cmpuint (ours, >=, theirs);
    }
}

static void
test_limit (void)
{
  g_autofree char *ok = nested ("", LADLE_JSON_MAX_DEPTH);
  g_autofree char *deep = nested ("", LADLE_JSON_MAX_DEPTH + 1);
  g_autofree char *placed = nested ("{\n  \"a\":\n   ", LADLE_JSON_MAX_DEPTH + 1);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  root = ladle_json_parse (ok, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (root);

  g_assert_null (ladle_json_parse (deep, -1, &error));
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, "<data>:1:513: "));
  g_assert_nonnull (strstr (error->message, "512"));
  g_clear_error (&error);

  /* The position is the bracket that goes one level too deep: the object is the first level, so
   * that is the 512th bracket of line 3, after three spaces */
  g_assert_false (ladle_json_check_depth (placed, -1, &error));
  g_assert_true (g_str_has_prefix (error->message, "<data>:3:515: "));
}

/* The body of the report: 100 000 nested arrays, 200 KB, used to overflow json-glib's stack. */
static void
test_very_deep (void)
{
  g_autofree char *deep = nested ("", 100000);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (ladle_json_parser_load (parser, deep, -1, &error));
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE);
  g_assert_null (json_parser_get_root (parser));

  /* Objects too, and an unterminated document */
  g_clear_error (&error);
  {
    GString *s = g_string_new (NULL);

    for (guint i = 0; i < 100000; i++)
      g_string_append (s, "{\"a\":");
    g_assert_false (ladle_json_parser_load (parser, s->str, s->len, &error));
    g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE);
    g_string_free (s, TRUE);
  }
}

static void
test_parse_errors_pass_through (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (ladle_json_parse ("[1, 2,]", -1, &error));
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_TRAILING_COMMA);
  g_clear_error (&error);

  g_assert_null (ladle_json_parse ("", -1, &error));
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE);
  g_clear_error (&error);

  g_assert_null (ladle_json_parse ("[1]", 2, &error));
  g_assert_nonnull (error);
}

/* json-glib 1.6 reads a lone surrogate escape followed by another character as bytes that are not
 * UTF-8: a saved history with one such string loaded, saved, and could never load again (found by
 * fuzz-history). Such text is refused, with the escape's place. */
static void
test_lone_surrogate (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) pair = NULL;

  g_assert_null (ladle_json_parse ("{\"a\":\n  \"x\\udd\\u0010y\"}", -1, &error));
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA);
  g_assert_true (g_str_has_prefix (error->message, "<data>:2:5: "));
  g_clear_error (&error);

  g_assert_null (ladle_json_parse ("[\"\\udc00x\"]", -1, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* A proper pair is one character */
  pair = ladle_json_parse ("[\"\\ud83d\\ude00\"]", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_array_get_string_element (json_node_get_array (pair), 0), ==, "😀");
}

/* Pretty JSON has one style whatever the size: the streaming re-indenter's, "name": value, two
 * spaces a level, strings and numbers as they came (json-glib's generator wrote "name" : value and
 * rewrote numbers); errors say "LINE:COL: what". */
static char *
pretty (const char  *text,
        GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GAsyncResult) result = NULL;

  ladle_json_pretty_async (NULL, bytes, NULL, NULL, ladle_test_async_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return ladle_json_pretty_finish (result, error);
}

static void
test_pretty_style (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  text = pretty ("{\"a\":1,\"b\":[true,null,1.50e+3],\"c\":{},\"d\":\"\u00e9\\u00e9\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==,
                   "{\n"
                   "  \"a\": 1,\n"
                   "  \"b\": [\n"
                   "    true,\n"
                   "    null,\n"
                   "    1.50e+3\n"
                   "  ],\n"
                   "  \"c\": {},\n"
                   "  \"d\": \"\u00e9\\u00e9\"\n"
                   "}");
  g_clear_pointer (&text, g_free);

  text = pretty ("{\"a\": [1, 2,, 3]}", &error);
  g_assert_null (text);
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, "1:13: "));
  g_clear_error (&error);

  text = pretty ("  ", &error);
  g_assert_null (text);
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  g_test_add_func ("/json/scan-depth", test_scan_depth);
  g_test_add_func ("/json/scan-follows-json-glib", test_scan_follows_json_glib);
  g_test_add_func ("/json/limit", test_limit);
  g_test_add_func ("/json/very-deep", test_very_deep);
  g_test_add_func ("/json/parse-errors-pass-through", test_parse_errors_pass_through);
  g_test_add_func ("/json/lone-surrogate", test_lone_surrogate);
  g_test_add_func ("/json/pretty-style", test_pretty_style);

  return ladle_test_run ();
}
