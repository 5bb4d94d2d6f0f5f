/* test-json-indenter.c
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

#include "ladle-error.h"
#include "ladle-json-indenter.h"
#include "ladle-test-utils.h"

/* Every construct, with non-ASCII text and escapes, for the chunking tests */
static const char sample[] =
  " {\"name\":\"Лодка 🚣\",\"n\":[0,-0,1e10,1.5E-3,-12.25e+2,123456789],\r\n"
  "\t\"t\":true,\"f\":false,\"z\":null,\"e\":{},\"a\":[],\"nested\":[[],{},[[{}]],{\"k\":{}}],"
  "\"esc\":\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\ud83d\\ude00\",\"\\u043a\":\"ключ\" } \n";

static char *
indent_all (const char  *input,
            gsize        len,
            guint        indent,
            GError     **error)
{
  g_autoptr(LadleJsonIndenter) indenter = ladle_json_indenter_new (indent);
  g_autoptr(GString) out = g_string_new (NULL);

  if (!ladle_json_indenter_feed (indenter, input, len, out, error) ||
      !ladle_json_indenter_finish (indenter, out, error))
    return NULL;

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
indent_ok (const char *input)
{
  g_autoptr(GError) error = NULL;
  char *out = indent_all (input, strlen (input), 2, &error);

  g_assert_no_error (error);
  g_assert_nonnull (out);
  return out;
}

static void
assert_indents_to (const char *input,
                   const char *expected)
{
  g_autofree char *out = indent_ok (input);

  g_assert_cmpstr (out, ==, expected);
}

static void
test_structure (void)
{
  assert_indents_to ("{\"a\":1,\"b\":[1,2,{}],\"c\":{\"d\":null,\"e\":[]},\"f\":\"x\"}",
                     "{\n"
                     "  \"a\": 1,\n"
                     "  \"b\": [\n"
                     "    1,\n"
                     "    2,\n"
                     "    {}\n"
                     "  ],\n"
                     "  \"c\": {\n"
                     "    \"d\": null,\n"
                     "    \"e\": []\n"
                     "  },\n"
                     "  \"f\": \"x\"\n"
                     "}\n");
  assert_indents_to ("[[],{},[[]],{\"a\":{}}]",
                     "[\n"
                     "  [],\n"
                     "  {},\n"
                     "  [\n"
                     "    []\n"
                     "  ],\n"
                     "  {\n"
                     "    \"a\": {}\n"
                     "  }\n"
                     "]\n");
  assert_indents_to ("{}", "{}\n");
  assert_indents_to ("[ ]", "[]\n");
  assert_indents_to ("{ \n }", "{}\n");
  assert_indents_to ("[true,false,null]", "[\n  true,\n  false,\n  null\n]\n");
}

static void
test_indent_width (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *four = indent_all ("{\"a\":[1]}", 9, 4, &error);
  g_autofree char *zero = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (four, ==, "{\n    \"a\": [\n        1\n    ]\n}\n");

  zero = indent_all ("{\"a\":[1]}", 9, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (zero, ==, "{\n\"a\": [\n1\n]\n}\n");
}

static void
test_whitespace (void)
{
  assert_indents_to ("\n\t { \"a\" \r\n : [ 1 ,\t2 ] ,\n\"b\"  :  \"  x  \"  } \n\r\n ",
                     "{\n"
                     "  \"a\": [\n"
                     "    1,\n"
                     "    2\n"
                     "  ],\n"
                     "  \"b\": \"  x  \"\n"
                     "}\n");
}

static void
test_scalars (void)
{
  assert_indents_to ("42", "42\n");
  assert_indents_to (" -0 ", "-0\n");
  assert_indents_to ("1e10", "1e10\n");
  assert_indents_to ("1.5E-3", "1.5E-3\n");
  assert_indents_to ("-12.25e+2", "-12.25e+2\n");
  assert_indents_to ("0.0", "0.0\n");
  assert_indents_to ("\"s\"", "\"s\"\n");
  assert_indents_to ("\"\"", "\"\"\n");
  assert_indents_to ("true", "true\n");
  assert_indents_to ("false\n", "false\n");
  assert_indents_to ("null", "null\n");
  assert_indents_to ("[0,-1,10,1E+2,3.14159]", "[\n  0,\n  -1,\n  10,\n  1E+2,\n  3.14159\n]\n");
}

static void
test_escapes (void)
{
  /* Escapes are kept exactly as written, not decoded */
  assert_indents_to ("[\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\ud83d\\ude00 \\u00E9\"]",
                     "[\n"
                     "  \"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\ud83d\\ude00 \\u00E9\"\n"
                     "]\n");
  assert_indents_to ("{\"\\\"k\\\\\":\"\\\\\"}", "{\n  \"\\\"k\\\\\": \"\\\\\"\n}\n");
  /* Structural characters inside strings are text */
  assert_indents_to ("[\"{[,:]}\"]", "[\n  \"{[,:]}\"\n]\n");
}

static void
test_unicode (void)
{
  assert_indents_to ("{\"ключ\":\"значение\",\"emoji\":\"😀👍🏽\",\"mix\":[\"日本語\",\"é\"]}",
                     "{\n"
                     "  \"ключ\": \"значение\",\n"
                     "  \"emoji\": \"😀👍🏽\",\n"
                     "  \"mix\": [\n"
                     "    \"日本語\",\n"
                     "    \"é\"\n"
                     "  ]\n"
                     "}\n");
}

static void
test_deep (void)
{
  guint depth = LADLE_JSON_INDENTER_MAX_DEPTH;
  g_autoptr(GString) input = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *expected_tail = NULL;

  for (guint i = 0; i < depth; i++)
    g_string_append_c (input, '[');
  g_string_append_c (input, '1');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (input, ']');

  /* Indent 0 keeps the output linear in the depth */
  out = indent_all (input->str, input->len, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (out), ==, 2 * depth + 1 + 2 * depth + 1);
  g_assert_true (g_str_has_prefix (out, "[\n[\n"));
  g_assert_true (g_str_has_suffix (out, "\n]\n]\n"));

  g_string_prepend_c (input, '[');
  g_string_append_c (input, ']');
  g_clear_pointer (&out, g_free);
  out = indent_all (input->str, input->len, 0, &error);
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  expected_tail = g_strdup_printf ("1:%u: ", depth + 1);
  g_assert_true (g_str_has_prefix (error->message, expected_tail));
  g_assert_nonnull (strstr (error->message, "10000"));
  g_assert_null (out);

  /* Moderately deep with indentation: the innermost member is indented 100 levels */
  g_clear_error (&error);
  g_string_truncate (input, 0);
  for (guint i = 0; i < 100; i++)
    g_string_append (input, "{\"k\":");
  g_string_append (input, "[]");
  for (guint i = 0; i < 100; i++)
    g_string_append_c (input, '}');
  g_clear_pointer (&out, g_free);
  out = indent_all (input->str, input->len, 2, &error);
  g_assert_no_error (error);
  g_clear_pointer (&expected_tail, g_free);
  expected_tail = g_strdup_printf ("\n%*s\"k\": []\n%*s}\n", 200, "", 198, "");
  g_assert_nonnull (strstr (out, expected_tail));
  g_assert_true (g_str_has_suffix (out, "\n  }\n}\n"));
}

static JsonNode *
parse_glib (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (json_parser_get_root (parser));
  return json_parser_steal_root (parser);
}

static void
test_same_as_json_glib (void)
{
  static const char * const samples[] = {
    sample,
    "{\"a\":1,\"b\":[1,2,{}],\"c\":{\"d\":null,\"e\":[]},\"f\":\"x\"}",
    "[[],{},[[]],{\"a\":{}}]",
    "[0,-0,1e10,1.5E-3,-1.5e-300,123456789012,0.5]",
    "{\"ключ\":\"значение\",\"emoji\":[\"😀\",\"\\ud83d\\ude00\"],"
    "\"esc\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}",
    "[true,false,null,\"\",{\"\":\"\"}]",
    "{\"users\":[{\"id\":1,\"tags\":[\"a\",\"b\"],\"address\":{\"city\":\"Москва\",\"zip\":null}},"
    "{\"id\":2,\"tags\":[],\"address\":{}}],\"total\":2,\"ok\":true}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autofree char *out = indent_ok (samples[i]);
      g_autoptr(JsonNode) a = parse_glib (samples[i]);
      g_autoptr(JsonNode) b = parse_glib (out);
      g_autofree char *again = indent_ok (out);

      g_assert_true (json_node_equal (a, b));
      /* Re-indenting pretty output changes nothing */
      g_assert_cmpstr (again, ==, out);
    }
}

static void
test_chunk_boundaries (void)
{
  gsize len = strlen (sample);
  g_autofree char *whole = indent_ok (sample);

  for (gsize cut = 0; cut <= len; cut++)
    {
      g_autoptr(LadleJsonIndenter) indenter = ladle_json_indenter_new (2);
      g_autoptr(GString) out = g_string_new (NULL);
      g_autoptr(GError) error = NULL;

      g_assert_true (ladle_json_indenter_feed (indenter, sample, cut, out, &error));
      g_assert_no_error (error);
      g_assert_true (ladle_json_indenter_feed (indenter, sample + cut, len - cut, out, &error));
      g_assert_no_error (error);
      g_assert_true (ladle_json_indenter_finish (indenter, out, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (out->str, ==, whole);
    }

  {
    g_autoptr(LadleJsonIndenter) indenter = ladle_json_indenter_new (2);
    g_autoptr(GString) out = g_string_new (NULL);
    g_autoptr(GError) error = NULL;

    for (gsize i = 0; i < len; i++)
      {
        g_assert_true (ladle_json_indenter_feed (indenter, sample + i, 1, out, &error));
        g_assert_no_error (error);
      }
    g_assert_true (ladle_json_indenter_finish (indenter, out, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (out->str, ==, whole);
  }
}

typedef struct
{
  const char *input;
  const char *position;
  const char *words;
} BadCase;

static void
check_error (const char *input,
             const char *position,
             const char *words,
             gsize       cut)
{
  g_autoptr(LadleJsonIndenter) indenter = ladle_json_indenter_new (2);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  gsize len = strlen (input);
  gboolean ok;

  cut = MIN (cut, len);
  ok = ladle_json_indenter_feed (indenter, input, cut, out, &error) &&
       ladle_json_indenter_feed (indenter, input + cut, len - cut, out, &error) &&
       ladle_json_indenter_finish (indenter, out, &error);

  if (ok || !g_str_has_prefix (error->message, position) ||
      strstr (error->message, words) == NULL)
    g_error ("input %s (cut at %" G_GSIZE_FORMAT "): expected “%s… %s…”, got “%s”", input, cut,
             position, words, error != NULL ? error->message : "success");
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
}

/* JSON is UTF-8: text that is not (a lead byte without its continuation, an overlong form, a
 * surrogate, past U+10FFFF) is an error with its place, whichever way the bytes are cut. The
 * fuzzer found the indenter passing them on, while json-glib refused the same document. */
static void
test_invalid_utf8 (void)
{
  const char *bad[] = {
    "[\"\xd0" "a\"]", "[\"\xc0\x80\"]", "[\"\xed\xa0\x80\"]", "[\"\xf4\x90\x80\x80\"]",
    "[\"\xff\"]", "[\"\xe2\x82\"]", "{\"\xd0\":1}",
    /* A backslash escapes one ASCII character, never a multi-byte one */
    "[\"\\\xd0\xbe\"]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    for (gsize piece = 1; piece <= strlen (bad[i]); piece++)
      {
        g_autoptr(LadleJsonIndenter) indenter = ladle_json_indenter_new (2);
        g_autoptr(GString) out = g_string_new (NULL);
        g_autoptr(GError) error = NULL;
        gboolean ok = TRUE;

        for (gsize offset = 0; ok && offset < strlen (bad[i]); offset += piece)
          ok = ladle_json_indenter_feed (indenter, bad[i] + offset,
                                         MIN (piece, strlen (bad[i]) - offset), out, &error);
        if (ok)
          ok = ladle_json_indenter_finish (indenter, out, &error);
        g_assert_false (ok);
        g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
        g_assert_true (g_str_has_prefix (error->message, "1:"));
      }

  /* Valid characters of every length, cut anywhere, still pass */
  {
    g_autofree char *out = indent_ok ("[\"a\xc3\xa9\xe2\x82\xac\xf0\x9f\x9a\xa3\"]");

    g_assert_nonnull (strstr (out, "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x9a\xa3"));
  }
}

static void
test_errors (void)
{
  static const BadCase cases[] = {
    { "{\"a\": tru}", "1:7: ", "invalid literal “tru”" },
    { "truex", "1:1: ", "invalid literal “truex”" },
    { "nul", "1:1: ", "invalid literal “nul”" },
    { "[x]", "1:2: ", "invalid literal “x”" },
    { "[1, 2,, 3]", "1:7: ", "missing value" },
    { "{\"a\": 1,\n \"b\": [1, 2,, 3]}", "2:13: ", "missing value" },
    { "[1, 2,]", "1:7: ", "missing value" },
    { "{\"a\":}", "1:6: ", "missing value" },
    { "{\"a\" 1}", "1:6: ", "expected “:”" },
    { "{1:2}", "1:2: ", "member name" },
    { "{\"a\":1,}", "1:8: ", "member name" },
    { "[1 2]", "1:4: ", "expected “,” or “]”" },
    { "{\"a\":1]", "1:7: ", "expected “,” or “}”" },
    { "{\"a\": 1} x", "1:10: ", "after the end" },
    { "[1]]", "1:4: ", "after the end" },
    { "1 2", "1:3: ", "after the end" },
    { "\"abc", "1:1: ", "unterminated string" },
    { "{\"a\":\n  \"б", "2:3: ", "unterminated string" },
    { "[\"a\nb\"]", "1:2: ", "unterminated string" },
    { "[\"a\tb\"]", "1:4: ", "control character" },
    { "[\"\\x\"]", "1:4: ", "invalid escape “\\x”" },
    { "[\"\\u12G4\"]", "1:7: ", "\\u escape" },
    { "[\"\\u12\"]", "1:7: ", "\\u escape" },
    { "[01]", "1:3: ", "invalid number" },
    { "[-]", "1:3: ", "invalid number" },
    { "[1.]", "1:4: ", "invalid number" },
    { "[.5]", "1:2: ", "expected a value" },
    { "[+1]", "1:2: ", "expected a value" },
    { "[1e]", "1:4: ", "invalid number" },
    { "[1e+]", "1:5: ", "invalid number" },
    { "[1.5.2]", "1:5: ", "invalid number" },
    { "[0x1]", "1:3: ", "invalid number" },
    { "1.", "1:3: ", "invalid number" },
    { "-", "1:2: ", "invalid number" },
    { "[1,\n 2,\n 3", "3:3: ", "unexpected end" },
    { "{\"a\"", "1:5: ", "unexpected end" },
    { "", "1:1: ", "no JSON value" },
    { " \n ", "2:2: ", "no JSON value" },
    /* Columns count characters, not bytes */
    { "{\"ключ\": tru}", "1:10: ", "invalid literal" },
    { "[\"😀\", x]", "1:7: ", "invalid literal “x”" },
    { "[\"é\" \"b\"]", "1:6: ", "expected “,” or “]”" },
    { "\xef\xbb\xbf{}", "1:1: ", "0xEF" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize len = strlen (cases[i].input);

      /* The same error whatever the chunking */
      for (gsize cut = 0; cut <= len; cut++)
        check_error (cases[i].input, cases[i].position, cases[i].words, cut);
    }
}

static void
test_unusable_after_error (void)
{
  g_autoptr(LadleJsonIndenter) indenter = ladle_json_indenter_new (2);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (ladle_json_indenter_feed (indenter, "[1,,", 4, out, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  g_assert_cmpstr (out->str, ==, "[\n  1,");
}

static void
count_progress (guint64  done,
                gpointer data)
{
  guint64 *last = data;

  g_assert_cmpuint (done, >, *last);
  *last = done;
}

static GBytes *
make_big_document (gsize target)
{
  g_autoptr(GString) input = g_string_sized_new (target + 1024);
  guint i = 0;

  g_string_append (input, "{\"items\":[");
  while (input->len < target)
    {
      if (i > 0)
        g_string_append_c (input, ',');
      g_string_append_printf (input,
                              "{\"id\":%u,\"name\":\"Элемент №%u 😀\",\"price\":%u.%02u,"
                              "\"tags\":[\"a\",\"b\\n\"],\"meta\":{},\"ok\":%s}",
                              i, i, i * 7, i % 100, i % 2 ? "true" : "null");
      i++;
    }
  g_string_append (input, "],\"count\":");
  g_string_append_printf (input, "%u}", i);

  return g_string_free_to_bytes (g_steal_pointer (&input));
}

static void
test_stream_big (void)
{
  g_autoptr(GBytes) input = make_big_document (20 * 1024 * 1024);
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (input);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pretty = NULL;
  g_autoptr(GInputStream) in2 = NULL;
  g_autoptr(GOutputStream) out2 = NULL;
  g_autoptr(GBytes) again = NULL;
  guint64 done = 0;
  const char *data;
  gsize len;
  gsize lines = 0;

  g_assert_true (ladle_json_indent_stream (in, out, 2, NULL, count_progress, &done, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (done, ==, g_bytes_get_size (input));

  g_assert_true (g_output_stream_close (out, NULL, &error));
  pretty = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  data = g_bytes_get_data (pretty, &len);
  g_assert_cmpuint (len, >, g_bytes_get_size (input));
  for (gsize i = 0; i < len; i++)
    if (data[i] == '\n')
      lines++;
  /* 11 lines per item at least, and the document ends with its closing brace */
  g_assert_cmpuint (lines, >, 11 * 100000);
  g_assert_true (len > 3 && memcmp (data + len - 3, "\n}\n", 3) == 0);

  /* Pretty output is a fixed point */
  in2 = g_memory_input_stream_new_from_bytes (pretty);
  out2 = g_memory_output_stream_new_resizable ();
  g_assert_true (ladle_json_indent_stream (in2, out2, 2, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out2, NULL, &error));
  again = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out2));
  g_assert_true (g_bytes_equal (again, pretty));
}

static void
test_stream_errors (void)
{
  g_autoptr(GBytes) input = g_bytes_new_static ("[1, 2,\n ]", 9);
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (input);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (ladle_json_indent_stream (in, out, 2, NULL, NULL, NULL, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, "2:2: "));
  g_clear_error (&error);

  g_clear_object (&in);
  in = g_memory_input_stream_new_from_bytes (input);
  g_cancellable_cancel (cancellable);
  g_assert_false (ladle_json_indent_stream (in, out, 2, cancellable, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  g_test_add_func ("/ladle/json-indenter/structure", test_structure);
  g_test_add_func ("/ladle/json-indenter/indent-width", test_indent_width);
  g_test_add_func ("/ladle/json-indenter/whitespace", test_whitespace);
  g_test_add_func ("/ladle/json-indenter/scalars", test_scalars);
  g_test_add_func ("/ladle/json-indenter/escapes", test_escapes);
  g_test_add_func ("/ladle/json-indenter/unicode", test_unicode);
  g_test_add_func ("/ladle/json-indenter/deep", test_deep);
  g_test_add_func ("/ladle/json-indenter/same-as-json-glib", test_same_as_json_glib);
  g_test_add_func ("/ladle/json-indenter/chunk-boundaries", test_chunk_boundaries);
  g_test_add_func ("/ladle/json-indenter/errors", test_errors);
  g_test_add_func ("/ladle/json-indenter/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/ladle/json-indenter/unusable-after-error", test_unusable_after_error);
  g_test_add_func ("/ladle/json-indenter/stream-big", test_stream_big);
  g_test_add_func ("/ladle/json-indenter/stream-errors", test_stream_errors);

  return ladle_test_run ();
}
