/* ladle-json.c
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

#include <glib/gi18n.h>

#include "ladle-error.h"
#include "ladle-json.h"
#include "ladle-json-indenter.h"

#define PRETTY_INDENT 2

/* json-glib 1.6 parses with one C recursion per level of nesting and no limit: about 100 000
 * nested arrays (a 200 KB body) overflow the stack and kill the process. Every parse of text that
 * Ladle did not write itself goes through ladle_json_parser_load(), which first measures the nesting
 * without recursion and refuses anything deeper than LADLE_JSON_MAX_DEPTH.
 *
 * The measurement must never count fewer levels than json-glib will recurse into, so it follows
 * json-glib 1.6's own scanner rather than the JSON grammar (json-scanner.c, as configured by
 * json-parser.c):
 *  - "…" strings, where a backslash takes the next character, "\u" takes up to four hex digits plus
 *    the first character that is not one, a high surrogate then takes "\" "u" and four more in the
 *    same way (and a bad pair ends the string one character later), and "\0".."\7" take up to
 *    two more octal digits;
 *  - '…' strings, without escapes;
 *  - comments that run from one '/' to the next '/' (json-glib sets "//\n" as its single-line comment
 *    pair, so a comment opens at '/' and closes at the next '/');
 *  - everything else is tokens, among which '[' and '{' open a level and ']' and '}' close one.
 * Where json-glib would fail first, counting on is harmless: the count only errs upwards.
 * tests/fuzz/fuzz-json-depth.c checks that against the depth json-glib itself reaches. */

typedef enum
{
  LEX_TOKENS,
  LEX_STRING_DQ,
  LEX_STRING_SQ,
  LEX_COMMENT,
} LexState;

static inline gboolean
is_hex (guchar c)
{
  return g_ascii_isxdigit (c);
}

/* Characters consumed by json_scanner_get_unichar() from @p: up to four hex digits, and the first
 * character that is not one (the end of the text consumes nothing). Stores the value in @ucs. */
static gsize
take_unichar (const guchar *p,
              const guchar *end,
              gunichar     *ucs)
{
  gsize n = 0;

  *ucs = 0;
  for (guint i = 0; i < 4; i++)
    {
      if (p + n >= end)
        break;
      if (!is_hex (p[n]))
        {
          n++;
          break;
        }
      *ucs += (gunichar) g_ascii_xdigit_value (p[n]) << ((3 - i) * 4);
      n++;
    }

  return n;
}

/* Characters consumed after a backslash inside a "…" string, the escaped character included.
 * Sets @error when json-glib would end the string with an error token there (a high surrogate
 * followed by "\u" and something that is not a low one). */
static gsize
take_escape (const guchar *p,
             const guchar *end,
             gboolean     *error)
{
  const guchar *start = p;

  if (p >= end)
    return 0;

  switch (*p++)
    {
    case 'u':
      if (p < end && is_hex (*p))
        {
          gunichar high;
          gunichar low;

          p += take_unichar (p, end, &high);
          /* json-glib reads on for a low surrogate: "\" then "u" then four hex digits; each of
           * these characters is consumed whatever it turns out to be. */
          if (high >= 0xd800 && high <= 0xdfff && p < end && *p++ == '\\' && p < end &&
              *p++ == 'u')
            {
              p += take_unichar (p, end, &low);
              if (!(low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff))
                *error = TRUE;
            }
        }
      break;

    case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
      for (guint i = 0; i < 2 && p < end && *p >= '0' && *p <= '7'; i++)
        p++;
      break;

    default:
      break;
    }

  return p - start;
}

/**
 * ladle_json_scan_depth:
 * @data: the text
 * @len: its length in bytes
 * @stop_above: stop as soon as the depth exceeds this (0: never stop)
 * @out_offset: (out) (optional): the offset of the bracket where the deepest level (or the first
 *   one above @stop_above) opened
 *
 * Measures, without recursion, how deeply json-glib would nest while parsing @data: never less than
 * it, possibly more for text that json-glib refuses first.
 *
 * Returns: the deepest level reached (or @stop_above + 1 when it stopped there)
 */
guint
ladle_json_scan_depth (const char *data,
                       gsize       len,
                       guint       stop_above,
                       gsize      *out_offset)
{
  const guchar *p = (const guchar *) data;
  const guchar *end = p + len;
  LexState state = LEX_TOKENS;
  guint depth = 0;
  guint max = 0;
  gsize max_offset = 0;

  while (p < end && *p != '\0')
    {
      guchar c = *p++;

      switch (state)
        {
        case LEX_TOKENS:
          if (c == '[' || c == '{')
            {
              if (++depth > max)
                {
                  max = depth;
                  max_offset = (p - 1) - (const guchar *) data;
                  if (stop_above > 0 && max > stop_above)
                    goto done;
                }
            }
          else if (c == ']' || c == '}')
            {
              if (depth > 0)
                depth--;
            }
          else if (c == '"')
            state = LEX_STRING_DQ;
          else if (c == '\'')
            state = LEX_STRING_SQ;
          else if (c == '/')
            state = LEX_COMMENT;
          break;

        case LEX_STRING_DQ:
          if (c == '"')
            state = LEX_TOKENS;
          else if (c == '\\')
            {
              gboolean error = FALSE;

              p += take_escape (p, end, &error);
              /* After an error token json-glib takes one more character and leaves the string. */
              if (error)
                {
                  if (p < end)
                    p++;
                  state = LEX_TOKENS;
                }
            }
          break;

        case LEX_STRING_SQ:
          if (c == '\'')
            state = LEX_TOKENS;
          break;

        case LEX_COMMENT:
          if (c == '/')
            state = LEX_TOKENS;
          break;

        default:
          g_assert_not_reached ();
        }
    }

done:
  if (out_offset != NULL)
    *out_offset = max_offset;

  return max;
}

/**
 * ladle_json_check_depth:
 * @len: the length of @data, or -1 when it ends with a NUL byte
 *
 * Returns: %TRUE when @data nests no deeper than %LADLE_JSON_MAX_DEPTH; else %FALSE with a
 *   %JSON_PARSER_ERROR_PARSE error worded as json-glib's own ("<data>:LINE:COL: …")
 */
gboolean
ladle_json_check_depth (const char  *data,
                        gssize       len,
                        GError     **error)
{
  g_autofree char *what = NULL;
  gsize offset = 0;
  guint line = 1;
  gsize line_start = 0;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  if (len < 0)
    len = strlen (data);

  if (ladle_json_scan_depth (data, len, LADLE_JSON_MAX_DEPTH, &offset) <= LADLE_JSON_MAX_DEPTH)
    return TRUE;

  for (gsize i = 0; i < offset; i++)
    {
      if (data[i] == '\n')
        {
          line++;
          line_start = i + 1;
        }
    }

  what = g_strdup_printf (_("Parse error: arrays and objects nest more than %u levels deep"),
                          LADLE_JSON_MAX_DEPTH);
  g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
               "<data>:%u:%" G_GSIZE_FORMAT ": %s", line, offset - line_start + 1, what);

  return FALSE;
}

static gboolean
node_is_utf8 (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &name, &member))
          if (!g_utf8_validate (name, -1, NULL) || !node_is_utf8 (member))
            return FALSE;
        return TRUE;
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          if (!node_is_utf8 (json_array_get_element (array, i)))
            return FALSE;
        return TRUE;
      }

    case JSON_NODE_VALUE:
      return json_node_get_value_type (node) != G_TYPE_STRING ||
             g_utf8_validate (json_node_get_string (node), -1, NULL);

    case JSON_NODE_NULL:
    default:
      return TRUE;
    }
}

/* Where the first "\uD800".."\uDFFF" escape is that is not a proper pair, as "LINE:COL" */
static char *
find_lone_surrogate (const char *data,
                     gsize       len)
{
  guint line = 1;
  gsize line_start = 0;

  for (gsize i = 0; i + 5 < len; i++)
    {
      if (data[i] == '\n')
        {
          line++;
          line_start = i + 1;
        }
      if (data[i] == '\\' && data[i + 1] == 'u' && g_ascii_tolower (data[i + 2]) == 'd' &&
          strchr ("89abcdefABCDEF", data[i + 3]) != NULL && data[i + 3] != '\0')
        {
          gboolean high = strchr ("89abAB", data[i + 3]) != NULL;
          gboolean paired = high && i + 11 < len && data[i + 6] == '\\' && data[i + 7] == 'u' &&
                            g_ascii_tolower (data[i + 8]) == 'd' &&
                            strchr ("cdefCDEF", data[i + 9]) != NULL && data[i + 9] != '\0';

          if (!paired)
            return g_strdup_printf ("%u:%" G_GSIZE_FORMAT, line, i - line_start + 1);
          i += 6;
        }
      else if (data[i] == '\\')
        i++;
    }

  return g_strdup ("1:1");
}

/**
 * ladle_json_parser_load:
 * @len: the length of @data, or -1 when it ends with a NUL byte
 *
 * json_parser_load_from_data() for text Ladle did not write itself: refuses nesting deeper than
 * %LADLE_JSON_MAX_DEPTH (as a parse error with its position) instead of overflowing the stack.
 */
gboolean
ladle_json_parser_load (JsonParser  *parser,
                        const char  *data,
                        gssize       len,
                        GError     **error)
{
  g_return_val_if_fail (JSON_IS_PARSER (parser), FALSE);

  if (data == NULL)
    data = "";

  if (!ladle_json_check_depth (data, len, error))
    return FALSE;

  if (!json_parser_load_from_data (parser, data, len, error))
    return FALSE;

  /* json-glib 1.6 turns a lone surrogate escape followed by another character ("\udd\u0010")
   * into bytes that are not UTF-8: text that no JSON writer can write back, and that GTK and the
   * rest of GLib refuse. Such a document is refused here, with the place of the escape. */
  if (json_parser_get_root (parser) != NULL && !node_is_utf8 (json_parser_get_root (parser)))
    {
      g_autofree char *place = find_lone_surrogate (data, len < 0 ? strlen (data) : (gsize) len);

      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA, "<data>:%s: %s",
                   place, _("Parse error: a \\u escape is half of a surrogate pair"));
      return FALSE;
    }

  return TRUE;
}

/**
 * ladle_json_parse:
 *
 * Returns: (transfer full) (nullable): the parsed tree, or %NULL with @error set (also for empty
 *   input, which json-glib accepts with no root)
 */
JsonNode *
ladle_json_parse (const char  *data,
                  gssize       len,
                  GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (!ladle_json_parser_load (parser, data, len, error))
    return NULL;

  root = json_parser_steal_root (parser);
  if (root == NULL)
    g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                 "<data>:1:1: %s", _("Parse error: the text is empty"));

  return root;
}

/* Pretty printing, in a worker thread */

typedef struct
{
  GBytes *bytes;
  GFile  *file;
} PrettyData;

static void
pretty_data_free (gpointer data)
{
  PrettyData *pd = data;

  g_clear_pointer (&pd->bytes, g_bytes_unref);
  g_clear_object (&pd->file);
  g_free (pd);
}

/* Ladle shows JSON one way whatever its size: the streaming re-indenter that the large-body
 * viewer uses ("a": 1, two spaces a level, strings and numbers as they came), never json-glib's
 * generator ("a" : 1, numbers rewritten). */
static void
pretty_json_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  PrettyData *pd = task_data;
  g_autoptr(LadleJsonIndenter) indenter = ladle_json_indenter_new (PRETTY_INDENT);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  GString *text;
  const char *data;
  gsize len = 0;

  if (pd->bytes != NULL)
    {
      bytes = g_bytes_ref (pd->bytes);
    }
  else
    {
      bytes = g_file_load_bytes (pd->file, cancellable, NULL, &error);
      if (bytes == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  data = g_bytes_get_data (bytes, &len);
  /* About the size of the text, plus the indentation */
  text = g_string_sized_new (len + len / 2 + 16);
  if (!ladle_json_indenter_feed (indenter, data != NULL ? data : "", len, text, &error) ||
      !ladle_json_indenter_finish (indenter, text, &error))
    {
      g_string_free (text, TRUE);
      /* "LINE:COL: what", as the contract of ladle_json_pretty_finish() says */
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    {
      g_string_free (text, TRUE);
      return;
    }

  /* The indenter ends the document with a line break; the text shown does not */
  if (text->len > 0 && text->str[text->len - 1] == '\n')
    g_string_truncate (text, text->len - 1);
  g_task_return_pointer (task, g_string_free (text, FALSE), g_free);
}

/**
 * ladle_json_pretty_async:
 * @source_object: (nullable): the object the result is for (GTask's source object)
 * @bytes: (nullable): the JSON text, or %NULL to read @file
 * @file: (nullable): a file holding it, read in the worker thread
 *
 * Checks the text as JSON and pretty-prints it (two spaces per level, "name": value, strings
 * and numbers as they came), in a worker thread, with the streaming re-indenter
 * (ladle-json-indenter.h) that the large-body viewer uses too: one style for every size.
 */
void
ladle_json_pretty_async (gpointer             source_object,
                         GBytes              *bytes,
                         GFile               *file,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PrettyData *pd;

  g_return_if_fail (bytes != NULL || G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (source_object, cancellable, callback, user_data);
  g_task_set_source_tag (task, ladle_json_pretty_async);
  g_task_set_return_on_cancel (task, TRUE);

  pd = g_new0 (PrettyData, 1);
  if (bytes != NULL)
    pd->bytes = g_bytes_ref (bytes);
  else
    pd->file = g_object_ref (file);
  g_task_set_task_data (task, pd, pretty_data_free);

  g_task_run_in_thread (task, pretty_json_thread);
}

/**
 * ladle_json_pretty_finish:
 *
 * Returns: (transfer full): the pretty text, or %NULL with @error set (a %LADLE_ERROR_PARSE
 *   message starts with "LINE:COL: ")
 */
char *
ladle_json_pretty_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ladle_json_pretty_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ladle_json_to_pretty:
 * @root: a JSON document
 * @length: (out) (optional): the text's length
 *
 * @root as text in Ladle's one style, the one most tools print: two spaces of indent,
 * `"key": value`, `{}` and `[]` for empty ones, and a final line break. json-glib's own pretty
 * printer writes `"key" : value` and `{  }`; its compact output goes through the same indenter
 * the viewer uses, so documents Ladle writes and documents it shows look alike.
 *
 * Returns: (transfer full): the text
 */
char *
ladle_json_to_pretty (JsonNode *root,
                      gsize    *length)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(LadleJsonIndenter) indenter = ladle_json_indenter_new (2);
  g_autofree char *compact = NULL;
  gsize compact_length = 0;
  GString *out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (root != NULL, NULL);

  json_generator_set_root (generator, root);
  compact = json_generator_to_data (generator, &compact_length);
  if (!ladle_json_indenter_feed (indenter, compact, compact_length, out, &error) ||
      !ladle_json_indenter_finish (indenter, out, &error))
    {
      /* json-glib's own output is always valid JSON: kept as it is, should that ever fail */
      g_critical ("Could not indent Ladle's own JSON: %s", error->message);
      g_string_assign (out, compact);
    }
  if (out->len == 0 || out->str[out->len - 1] != '\n')
    g_string_append_c (out, '\n');
  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}
