/* ladle-http-assert.c
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

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "ladle-error.h"
#include "ladle-http-assert.h"
#include "ladle-http-vars-private.h"
#include "ladle-json.h"

/* httpyac's `??` lines (its assert plugin, version 6), read the way httpyac reads them:
 *
 * - `?? TYPE [VALUE] CONDITION [EXPECTED]`: TYPE is the first word; CONDITION is the last word,
 *   after a blank, that starts with one of the conditions (ignoring case; the longest, where
 *   httpyac takes `===` as `==` and fails); VALUE is what lies between; EXPECTED the rest. As in
 *   httpyac, a condition must be written in its own case (`isTrue`, not `istrue`).
 * - The value: `status` (a number), `header NAME` (its text, or undefined), `body` (the body's
 *   text), `body PATH` (a property path into the parsed JSON body; httpyac evaluates it as
 *   JavaScript, Ladle reads paths only), `duration [total|dns|tcp|tls|firstByte|download]` (ms).
 *   `js …` is JavaScript and is not run.
 * - The expected text has its {{…}} expanded, is trimmed, then converted to the type of the
 *   actual value: a number for a number (JavaScript's parseFloat), true/false for a boolean,
 *   JSON for an object or array, `null` for null. Quotes are part of the text, as in httpyac:
 *   `?? body name == "Bob"` compares with the five characters "Bob" in quotes.
 * - Conditions follow httpyac's predicates: == (JSON text for objects), != (Ladle: the negation of
 *   ==, where httpyac compares objects by identity), < <= > >= (both sides as numbers),
 *   startsWith endsWith (text), includes/contains (text, or an element of an array), exists and
 *   isTrue (truthy, as in JavaScript: 0 and "" are not), isFalse, isNumber isBoolean isString
 *   isArray, matches (a GRegex search; PCRE2's own match limit bounds the time), md5 sha256 sha512
 *   (the base64 digest of the text). */

typedef enum
{
  PRED_ENDS_WITH,
  PRED_EQUALS,
  PRED_EXISTS,
  PRED_GREATER_EQUAL,
  PRED_GREATER,
  PRED_INCLUDES,
  PRED_IS_ARRAY,
  PRED_IS_BOOLEAN,
  PRED_IS_NUMBER,
  PRED_IS_STRING,
  PRED_LESS_EQUAL,
  PRED_LESS,
  PRED_MATCHES,
  PRED_NOT_EQUALS,
  PRED_STARTS_WITH,
  PRED_SHA256,
  PRED_MD5,
  PRED_SHA512,
  PRED_IS_FALSE,
  PRED_IS_TRUE,
} Predicate;

/* In httpyac's order: the alternation of its regular expression tries them so. */
static const struct
{
  const char *id;
  Predicate   predicate;
  gboolean    unary;
  gboolean    no_convert;
} predicates[] = {
  { "endsWith", PRED_ENDS_WITH, FALSE, FALSE },
  { "==", PRED_EQUALS, FALSE, FALSE },
  { "===", PRED_EQUALS, FALSE, FALSE },
  { "equals", PRED_EQUALS, FALSE, FALSE },
  { "exists", PRED_EXISTS, TRUE, FALSE },
  { "isTrue", PRED_IS_TRUE, TRUE, FALSE },
  { ">=", PRED_GREATER_EQUAL, FALSE, FALSE },
  { ">", PRED_GREATER, FALSE, FALSE },
  { "contains", PRED_INCLUDES, FALSE, FALSE },
  { "includes", PRED_INCLUDES, FALSE, FALSE },
  { "isArray", PRED_IS_ARRAY, TRUE, FALSE },
  { "isBoolean", PRED_IS_BOOLEAN, TRUE, FALSE },
  { "isNumber", PRED_IS_NUMBER, TRUE, FALSE },
  { "isString", PRED_IS_STRING, TRUE, FALSE },
  { "<=", PRED_LESS_EQUAL, FALSE, FALSE },
  { "<", PRED_LESS, FALSE, FALSE },
  { "matches", PRED_MATCHES, FALSE, TRUE },
  { "!=", PRED_NOT_EQUALS, FALSE, FALSE },
  { "!==", PRED_NOT_EQUALS, FALSE, FALSE },
  { "not equals", PRED_NOT_EQUALS, FALSE, FALSE },
  { "startsWith", PRED_STARTS_WITH, FALSE, FALSE },
  { "sha256", PRED_SHA256, FALSE, TRUE },
  { "md5", PRED_MD5, FALSE, TRUE },
  { "sha512", PRED_SHA512, FALSE, TRUE },
  { "isFalse", PRED_IS_FALSE, TRUE, FALSE },
};

typedef struct
{
  char  *type;
  char  *value;           /* NULL when none */
  guint  predicate;       /* index into predicates[] */
  char  *condition;       /* as written */
  char  *expected;        /* as written, before expansion */
  gsize  expected_offset; /* bytes into the text */
} Parsed;

static void
parsed_clear (Parsed *parsed)
{
  g_free (parsed->type);
  g_free (parsed->value);
  g_free (parsed->condition);
  g_free (parsed->expected);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Parsed, parsed_clear)

static const char *
skip_blanks (const char *p)
{
  while (*p != '\0' && g_ascii_isspace (*p))
    p++;
  return p;
}

/* The condition written at @p, ignoring case; -1 when none. httpyac takes the first in its order,
 * which reads `===` as `==` followed by "= …" (a line that can never pass); Ladle takes the
 * longest, so `===` and `!==` mean what they say. */
static int
condition_at (const char *p)
{
  int found = -1;

  for (guint i = 0; i < G_N_ELEMENTS (predicates); i++)
    if (g_ascii_strncasecmp (p, predicates[i].id, strlen (predicates[i].id)) == 0 &&
        (found < 0 || strlen (predicates[i].id) > strlen (predicates[found].id)))
      found = (int) i;

  return found;
}

static gboolean
parse_line (const char  *text,
            Parsed      *parsed,
            GError     **error)
{
  const char *type_end;
  const char *chosen = NULL;
  int chosen_index = -1;
  const char *p;
  guint exact = G_N_ELEMENTS (predicates);
  gsize length;

  memset (parsed, 0, sizeof *parsed);
  text = skip_blanks (text);
  if (*text == '\0')
    {
      g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                           _("the assertion is empty: expected “?? status == 200” or the like"));
      return FALSE;
    }

  type_end = text;
  while (*type_end != '\0' && !g_ascii_isspace (*type_end))
    type_end++;
  parsed->type = g_strndup (text, type_end - text);
  if (strcmp (parsed->type, "js") == 0)
    return TRUE;

  /* With a value: the last condition after a blank, at least one blank past the type; without:
   * the first word after the type. */
  for (p = type_end + 1; *type_end != '\0' && *p != '\0'; p++)
    {
      int found;

      if (!g_ascii_isspace (p[-1]) || p - 1 <= type_end)
        continue;
      found = condition_at (p);
      if (found >= 0)
        {
          chosen = p;
          chosen_index = found;
        }
    }
  if (chosen == NULL && *type_end != '\0')
    {
      p = skip_blanks (type_end);
      chosen_index = condition_at (p);
      if (chosen_index >= 0)
        chosen = p;
    }
  if (chosen == NULL)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                   _("“%s” has no condition: expected one of == != < <= > >= startsWith "
                     "endsWith includes contains exists isTrue isFalse isNumber isBoolean isString "
                     "isArray matches"),
                   text);
      return FALSE;
    }

  if (chosen > type_end)
    {
      g_autofree char *value = g_strndup (type_end, chosen - type_end);

      g_strstrip (value);
      if (value[0] != '\0')
        parsed->value = g_steal_pointer (&value);
    }

  length = strlen (predicates[chosen_index].id);
  parsed->condition = g_strndup (chosen, length);
  /* httpyac then looks the condition up in its own case. */
  for (guint i = 0; i < G_N_ELEMENTS (predicates); i++)
    if (strcmp (predicates[i].id, parsed->condition) == 0)
      {
        exact = i;
        break;
      }
  if (exact == G_N_ELEMENTS (predicates))
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                   _("“%s” is not a condition; conditions are written in this case: %s"),
                   parsed->condition, predicates[chosen_index].id);
      return FALSE;
    }
  parsed->predicate = exact;

  p = skip_blanks (chosen + length);
  parsed->expected_offset = p - text;
  parsed->expected = g_strdup (p);
  g_strchomp (parsed->expected);

  if (strcmp (parsed->type, "status") != 0 && strcmp (parsed->type, "header") != 0 &&
      strcmp (parsed->type, "body") != 0 && strcmp (parsed->type, "duration") != 0)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                   _("“%s” is not something to check: expected status, header, body, duration "
                     "or js"),
                   parsed->type);
      return FALSE;
    }
  if (strcmp (parsed->type, "header") == 0 && parsed->value == NULL)
    {
      g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                           _("which header? Expected “?? header NAME CONDITION VALUE”"));
      return FALSE;
    }

  return TRUE;
}

/* Values, as JavaScript sees them */

typedef enum
{
  KIND_UNDEFINED,
  KIND_NULL,
  KIND_BOOLEAN,
  KIND_NUMBER,
  KIND_STRING,
  KIND_OBJECT,     /* object or array, in node */
} Kind;

typedef struct
{
  Kind      kind;
  gboolean  boolean;
  double    number;
  char     *string;
  JsonNode *node;
} Value;

static void
value_clear (Value *value)
{
  g_clear_pointer (&value->string, g_free);
  g_clear_pointer (&value->node, json_node_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Value, value_clear)

static void
value_from_node (Value    *value,
                 JsonNode *node)
{
  memset (value, 0, sizeof *value);
  if (node == NULL)
    value->kind = KIND_UNDEFINED;
  else if (JSON_NODE_HOLDS_NULL (node))
    value->kind = KIND_NULL;
  else if (JSON_NODE_HOLDS_OBJECT (node) || JSON_NODE_HOLDS_ARRAY (node))
    {
      value->kind = KIND_OBJECT;
      value->node = json_node_copy (node);
    }
  else if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      value->kind = KIND_STRING;
      value->string = g_strdup (json_node_get_string (node));
    }
  else if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    {
      value->kind = KIND_BOOLEAN;
      value->boolean = json_node_get_boolean (node);
    }
  else
    {
      value->kind = KIND_NUMBER;
      value->number = json_node_get_double (node);
    }
}

static char *
number_text (double number)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (number))
    return g_strdup ("NaN");
  if (isinf (number))
    return g_strdup (number > 0 ? "Infinity" : "-Infinity");
  if (number == floor (number) && fabs (number) < 9007199254740992.0)
    return g_strdup_printf ("%.0f", number);

  return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, number));
}

/* httpyac's toString(): NULL where JavaScript has undefined or a falsy value */
static char *
value_to_string (const Value *value)
{
  switch (value->kind)
    {
    case KIND_STRING:
      return g_strdup (value->string);
    case KIND_NUMBER:
      return number_text (value->number);
    case KIND_BOOLEAN:
      return value->boolean ? g_strdup ("true") : NULL;
    case KIND_OBJECT:
      return json_to_string (value->node, FALSE);
    case KIND_NULL:
    case KIND_UNDEFINED:
    default:
      return NULL;
    }
}

/* JavaScript's parseFloat(): the longest number at the start, after blanks */
static gboolean
parse_float_prefix (const char *text,
                    double     *out)
{
  const char *p = skip_blanks (text);
  const char *start = p;
  g_autofree char *copy = NULL;
  gboolean digits = FALSE;

  if (*p == '+' || *p == '-')
    p++;
  if (strncmp (p, "Infinity", 8) == 0)
    {
      *out = *start == '-' ? -INFINITY : INFINITY;
      return TRUE;
    }
  while (g_ascii_isdigit (*p))
    {
      p++;
      digits = TRUE;
    }
  if (*p == '.')
    {
      p++;
      while (g_ascii_isdigit (*p))
        {
          p++;
          digits = TRUE;
        }
    }
  if (!digits)
    return FALSE;
  if (*p == 'e' || *p == 'E')
    {
      const char *e = p + 1;

      if (*e == '+' || *e == '-')
        e++;
      if (g_ascii_isdigit (*e))
        {
          while (g_ascii_isdigit (*e))
            e++;
          p = e;
        }
    }

  copy = g_strndup (start, p - start);
  *out = g_ascii_strtod (copy, NULL);
  return TRUE;
}

/* httpyac's toNumber() */
static gboolean
value_to_number (const Value *value,
                 double      *out)
{
  if (value->kind == KIND_NUMBER)
    {
      *out = value->number;
      return !isnan (value->number);
    }
  if (value->kind == KIND_STRING)
    return parse_float_prefix (value->string, out);

  return FALSE;
}

static gboolean
value_truthy (const Value *value)
{
  switch (value->kind)
    {
    case KIND_BOOLEAN:
      return value->boolean;
    case KIND_NUMBER:
      return value->number != 0 && !isnan (value->number);
    case KIND_STRING:
      return value->string[0] != '\0';
    case KIND_OBJECT:
      return TRUE;
    case KIND_NULL:
    case KIND_UNDEFINED:
    default:
      return FALSE;
    }
}

/* httpyac's conversion of the expected text to the actual value's type */
static void
convert_expected (const Value *actual,
                  const char  *text,
                  Value       *out)
{
  memset (out, 0, sizeof *out);

  switch (actual->kind)
    {
    case KIND_NUMBER:
      out->kind = KIND_NUMBER;
      if (!parse_float_prefix (text, &out->number))
        out->kind = KIND_UNDEFINED;
      return;

    case KIND_BOOLEAN:
      {
        g_autofree char *trimmed = g_strstrip (g_strdup (text));
        double number;

        out->kind = KIND_BOOLEAN;
        if (trimmed[0] == '\0')
          out->boolean = text[0] != '\0';
        else if (g_ascii_strcasecmp (trimmed, "true") == 0)
          out->boolean = TRUE;
        else if (g_ascii_strcasecmp (trimmed, "false") == 0)
          out->boolean = FALSE;
        else if (parse_float_prefix (trimmed, &number))
          out->boolean = number != 0;
        else
          out->boolean = text[0] != '\0';
        return;
      }

    case KIND_NULL:
      if (strcmp (text, "null") == 0)
        {
          out->kind = KIND_NULL;
          return;
        }
      break;

    case KIND_UNDEFINED:
      if (strcmp (text, "undefined") == 0)
        {
          out->kind = KIND_UNDEFINED;
          return;
        }
      break;

    case KIND_OBJECT:
      {
        g_autoptr(JsonNode) node = ladle_json_parse (text, -1, NULL);

        if (node != NULL)
          {
            value_from_node (out, node);
            return;
          }
      }
      break;

    case KIND_STRING:
    default:
      break;
    }

  out->kind = KIND_STRING;
  out->string = g_strdup (text);
}

static gboolean
values_equal (const Value *a,
              const Value *b)
{
  if (a->kind == KIND_OBJECT)
    {
      g_autofree char *left = json_to_string (a->node, FALSE);
      g_autofree char *right = NULL;

      if (b->kind == KIND_OBJECT)
        right = json_to_string (b->node, FALSE);
      else if (b->kind == KIND_STRING)
        {
          g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), b->string);

          right = json_to_string (node, FALSE);
        }
      else
        right = value_to_string (b);
      return g_strcmp0 (left, right) == 0;
    }
  if (a->kind != b->kind)
    return FALSE;

  switch (a->kind)
    {
    case KIND_BOOLEAN:
      return a->boolean == b->boolean;
    case KIND_NUMBER:
      return a->number == b->number;
    case KIND_STRING:
      return strcmp (a->string, b->string) == 0;
    case KIND_NULL:
    case KIND_UNDEFINED:
    default:
      return TRUE;
    }
}

static char *
digest (GChecksumType  type,
        const guint8  *data,
        gsize          length)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (type);
  guint8 buffer[64];
  gsize size = sizeof buffer;

  g_checksum_update (checksum, data, length);
  g_checksum_get_digest (checksum, buffer, &size);
  return g_base64_encode (buffer, size);
}

/* What the actual value is, for messages */
static char *
value_shown (const Value *value)
{
  g_autofree char *text = NULL;

  switch (value->kind)
    {
    case KIND_STRING:
      text = g_strdup (value->string);
      break;
    case KIND_NUMBER:
      return number_text (value->number);
    case KIND_BOOLEAN:
      return g_strdup (value->boolean ? "true" : "false");
    case KIND_NULL:
      return g_strdup ("null");
    case KIND_OBJECT:
      text = json_to_string (value->node, FALSE);
      break;
    case KIND_UNDEFINED:
    default:
      return g_strdup ("undefined");
    }

  if (g_utf8_strlen (text, -1) > 200)
    {
      g_autofree char *head = g_utf8_substring (text, 0, 200);

      return value->kind == KIND_STRING ? g_strdup_printf ("“%s…”", head)
                                        : g_strdup_printf ("%s…", head);
    }

  return value->kind == KIND_STRING ? g_strdup_printf ("“%s”", text) : g_steal_pointer (&text);
}

static LadleHttpAssertResult *
result_new (const LadleHttpAssertLine *assertion,
            LadleHttpVerdict           verdict,
            char                      *message)
{
  LadleHttpAssertResult *result = g_new0 (LadleHttpAssertResult, 1);

  result->verdict = verdict;
  result->text = g_strdup (assertion->text);
  result->line = assertion->line;
  result->message = message;
  return result;
}

void
ladle_http_assert_result_free (LadleHttpAssertResult *result)
{
  if (result == NULL)
    return;
  g_free (result->text);
  g_free (result->message);
  g_free (result);
}

gboolean
ladle_http_assert_validate (const char  *text,
                            GError     **error)
{
  g_auto(Parsed) parsed = { 0 };

  if (!parse_line (text != NULL ? text : "", &parsed, error))
    return FALSE;
  if (strcmp (parsed.type, "js") == 0)
    {
      g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                           _("JavaScript is not run"));
      return FALSE;
    }

  return TRUE;
}

/* A duration of @response in ms, by httpyac's name */
static gboolean
duration_of (LadleResponse *response,
             const char    *name,
             double         total_ms,
             double        *out)
{
  const LadleTiming *timing = ladle_response_get_timing (response);

  if (name == NULL || strcmp (name, "total") == 0)
    *out = total_ms;
  else if (strcmp (name, "dns") == 0)
    *out = (timing->dns_end - timing->dns_start) / 1000.0;
  else if (strcmp (name, "tcp") == 0)
    *out = (timing->connect_end - timing->connect_start) / 1000.0;
  else if (strcmp (name, "tls") == 0)
    *out = timing->tls_start > 0 ? (timing->connect_end - timing->tls_start) / 1000.0 : 0;
  else if (strcmp (name, "firstByte") == 0)
    *out = (timing->response_start - timing->request_start) / 1000.0;
  else if (strcmp (name, "download") == 0)
    *out = (timing->response_end - timing->response_start) / 1000.0;
  else
    return FALSE;

  return TRUE;
}

LadleHttpAssertResult *
ladle_http_assert_check (LadleHttpScope            *scope,
                         LadleHttpFile             *file,
                         const LadleHttpEntry      *entry,
                         const LadleHttpAssertLine *assertion,
                         LadleResponse             *response,
                         double                     duration_ms)
{
  g_auto(Parsed) parsed = { 0 };
  g_auto(Value) actual = { 0 };
  g_auto(Value) expected = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *expanded = NULL;
  g_autofree char *label = NULL;
  GBytes *raw = NULL;        /* the body, for the digests of `body` */
  Predicate predicate;
  gboolean passed = FALSE;
  guint column;

  g_return_val_if_fail (assertion != NULL, NULL);

  memset (&actual, 0, sizeof actual);
  memset (&expected, 0, sizeof expected);

  if (!parse_line (assertion->text != NULL ? assertion->text : "", &parsed, &error))
    return result_new (assertion, LADLE_HTTP_VERDICT_ERROR, g_strdup (error->message));
  if (strcmp (parsed.type, "js") == 0)
    return result_new (assertion, LADLE_HTTP_VERDICT_NOT_RUN, g_strdup (_("JavaScript is not run")));
  if (response == NULL)
    return result_new (assertion, LADLE_HTTP_VERDICT_NOT_RUN,
                       g_strdup (_("not checked: the request got no response")));

  predicate = predicates[parsed.predicate].predicate;
  label = parsed.value != NULL ? g_strdup_printf ("%s %s", parsed.type, parsed.value)
                               : g_strdup (parsed.type);

  /* The actual value */
  if (strcmp (parsed.type, "status") == 0)
    {
      actual.kind = KIND_NUMBER;
      actual.number = ladle_response_get_status (response);
    }
  else if (strcmp (parsed.type, "header") == 0)
    {
      const char *value = ladle_response_get_header (response, parsed.value);

      actual.kind = value != NULL ? KIND_STRING : KIND_UNDEFINED;
      actual.string = g_strdup (value);
    }
  else if (strcmp (parsed.type, "duration") == 0)
    {
      actual.kind = KIND_NUMBER;
      if (!duration_of (response, parsed.value, duration_ms, &actual.number))
        return result_new (assertion, LADLE_HTTP_VERDICT_ERROR,
                           g_strdup_printf (_("“%s” is not a duration: expected total, dns, tcp, "
                                              "tls, firstByte or download"),
                                            parsed.value));
    }
  else
    {
      JsonNode *json = NULL;

      if (!_ladle_http_scope_get_body (scope, response, &raw, &json, &error))
        return result_new (assertion, LADLE_HTTP_VERDICT_ERROR,
                           g_strdup_printf (_("cannot read the body: %s"), error->message));
      if (parsed.value == NULL)
        {
          gsize size = 0;
          const char *data = g_bytes_get_data (raw, &size);

          actual.kind = KIND_STRING;
          actual.string = g_utf8_make_valid (data != NULL ? data : "", size);
        }
      else
        {
          g_autoptr(JsonNode) owned = NULL;
          gboolean valid = TRUE;
          JsonNode *node;

          if (json == NULL)
            return result_new (assertion, LADLE_HTTP_VERDICT_ERROR,
                               g_strdup_printf (_("%s: the body is not JSON"), label));
          node = _ladle_http_json_select (json, parsed.value, &owned, &valid);
          if (!valid)
            return result_new (assertion, LADLE_HTTP_VERDICT_ERROR,
                               g_strdup_printf (_("“%s” is not a property path (name.name[0]"
                                                  "[\"name\"]); JavaScript is not run"),
                                                parsed.value));
          value_from_node (&actual, node);
          raw = NULL;
        }
    }

  /* The expected value */
  column = assertion->column +
           (guint) g_utf8_strlen (assertion->text, parsed.expected_offset);
  if (parsed.expected[0] != '\0')
    {
      expanded = ladle_http_scope_expand (scope, file, entry, parsed.expected, assertion->line,
                                          MAX (column, 1), &error);
      if (expanded == NULL)
        return result_new (assertion, LADLE_HTTP_VERDICT_ERROR, g_strdup (error->message));
      g_strstrip (expanded);
    }
  else
    expanded = g_strdup ("");

  if (predicates[parsed.predicate].no_convert)
    {
      expected.kind = KIND_STRING;
      expected.string = g_strdup (expanded);
    }
  else
    convert_expected (&actual, expanded, &expected);

  switch (predicate)
    {
    case PRED_EQUALS:
      passed = values_equal (&actual, &expected);
      break;
    case PRED_NOT_EQUALS:
      passed = !values_equal (&actual, &expected);
      break;
    case PRED_EXISTS:
    case PRED_IS_TRUE:
      passed = value_truthy (&actual);
      break;
    case PRED_IS_FALSE:
      passed = !value_truthy (&actual);
      break;
    case PRED_IS_ARRAY:
      passed = actual.kind == KIND_OBJECT && JSON_NODE_HOLDS_ARRAY (actual.node);
      break;
    case PRED_IS_BOOLEAN:
      passed = actual.kind == KIND_BOOLEAN;
      break;
    case PRED_IS_NUMBER:
      passed = actual.kind == KIND_NUMBER;
      break;
    case PRED_IS_STRING:
      passed = actual.kind == KIND_STRING;
      break;
    case PRED_GREATER_EQUAL:
    case PRED_GREATER:
    case PRED_LESS_EQUAL:
    case PRED_LESS:
      {
        double a, b;

        if (value_to_number (&actual, &a) && value_to_number (&expected, &b))
          passed = predicate == PRED_GREATER_EQUAL ? a >= b
                   : predicate == PRED_GREATER     ? a > b
                   : predicate == PRED_LESS_EQUAL  ? a <= b
                                                   : a < b;
      }
      break;
    case PRED_STARTS_WITH:
    case PRED_ENDS_WITH:
    case PRED_INCLUDES:
      {
        g_autofree char *a = value_to_string (&actual);
        g_autofree char *b = value_to_string (&expected);

        if (a != NULL && a[0] != '\0' && b != NULL && b[0] != '\0')
          passed = predicate == PRED_STARTS_WITH ? g_str_has_prefix (a, b)
                   : predicate == PRED_ENDS_WITH ? g_str_has_suffix (a, b)
                                                 : strstr (a, b) != NULL;
        else if (predicate == PRED_INCLUDES && actual.kind == KIND_OBJECT &&
                 JSON_NODE_HOLDS_ARRAY (actual.node))
          {
            JsonArray *array = json_node_get_array (actual.node);

            for (guint i = 0; i < json_array_get_length (array) && !passed; i++)
              {
                g_auto(Value) element = { 0 };

                value_from_node (&element, json_array_get_element (array, i));
                passed = element.kind != KIND_OBJECT && values_equal (&element, &expected);
              }
          }
      }
      break;
    case PRED_MATCHES:
      {
        g_autofree char *subject = value_to_string (&actual);
        g_autoptr(GRegex) regex = NULL;
        g_autoptr(GError) regex_error = NULL;

        if (subject == NULL || subject[0] == '\0' || expanded[0] == '\0')
          break;
        regex = g_regex_new (expanded, 0, 0, &regex_error);
        if (regex == NULL)
          return result_new (assertion, LADLE_HTTP_VERDICT_ERROR,
                             g_strdup_printf (_("“%s” is not a regular expression: %s"), expanded,
                                              regex_error->message));
        passed = g_regex_match_full (regex, subject, -1, 0, 0, NULL, &regex_error);
        if (regex_error != NULL)
          return result_new (assertion, LADLE_HTTP_VERDICT_ERROR,
                             g_strdup_printf (_("matching “%s” failed: %s"), expanded,
                                              regex_error->message));
      }
      break;
    case PRED_MD5:
    case PRED_SHA256:
    case PRED_SHA512:
      {
        GChecksumType type = predicate == PRED_MD5      ? G_CHECKSUM_MD5
                             : predicate == PRED_SHA256 ? G_CHECKSUM_SHA256
                                                        : G_CHECKSUM_SHA512;
        g_autofree char *text = NULL;
        g_autofree char *sum = NULL;

        if (raw != NULL)
          {
            gsize size = 0;
            const guint8 *data = g_bytes_get_data (raw, &size);

            sum = digest (type, data, size);
          }
        else if ((text = value_to_string (&actual)) != NULL)
          sum = digest (type, (const guint8 *) text, strlen (text));
        passed = sum != NULL && strcmp (sum, expanded) == 0;
      }
      break;
    default:
      g_assert_not_reached ();
    }

  if (passed)
    return result_new (assertion, LADLE_HTTP_VERDICT_PASSED, NULL);

  {
    g_autofree char *shown = value_shown (&actual);

    if (actual.kind == KIND_UNDEFINED && predicates[parsed.predicate].unary)
      return result_new (assertion, LADLE_HTTP_VERDICT_FAILED,
                         g_strdup_printf (_("%s is missing, expected %s"), label, parsed.condition));
    if (actual.kind == KIND_UNDEFINED)
      return result_new (assertion, LADLE_HTTP_VERDICT_FAILED,
                         g_strdup_printf (_("%s is missing, expected %s %s"), label,
                                          parsed.condition, expanded));
    if (predicates[parsed.predicate].unary)
      return result_new (assertion, LADLE_HTTP_VERDICT_FAILED,
                         g_strdup_printf (_("%s is %s, expected %s"), label, shown,
                                          parsed.condition));
    return result_new (assertion, LADLE_HTTP_VERDICT_FAILED,
                       g_strdup_printf (_("%s is %s, expected %s %s"), label, shown,
                                        parsed.condition, expanded));
  }
}
