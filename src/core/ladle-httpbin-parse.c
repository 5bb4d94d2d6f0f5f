/* ladle-httpbin-parse.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The header parsers of the httpbin endpoints: Range (/range), Authorization: Digest
 * (/digest-auth), Cookie (/cookies), If-Match and If-None-Match (/etag). Each reads the header the
 * way httpbin 0.7 (werkzeug 2.2) does, so that answers agree, but in one bounded pass: a value
 * longer than LADLE_HTTPBIN_MAX_HEADER is not read at all, and nothing recurses. */

#include "config.h"

#include "ladle-httpbin-private.h"

#include <string.h>

/* Python's bytes.isspace() / re's \s on bytes */
static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static gboolean
too_long (const char *header)
{
  return header == NULL || strnlen (header, LADLE_HTTPBIN_MAX_HEADER + 1) > LADLE_HTTPBIN_MAX_HEADER;
}

/* Python's int() on ASCII text: surrounding white space, one sign, digits with single
 * underscores between them. The value is capped at ±G_MAXINT32. */
static gboolean
parse_python_int (const char *start,
                  const char *end,
                  gint64     *out)
{
  gboolean negative = FALSE;
  gboolean digit_seen = FALSE;
  gint64 value = 0;

  while (start < end && is_space (*start))
    start++;
  while (end > start && is_space (end[-1]))
    end--;

  if (start < end && (*start == '+' || *start == '-'))
    negative = *start++ == '-';
  if (start == end)
    return FALSE;

  for (const char *p = start; p < end; p++)
    {
      if (*p == '_' && digit_seen && p + 1 < end && g_ascii_isdigit (p[1]))
        continue;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      digit_seen = TRUE;
      value = MIN (value * 10 + (*p - '0'), (gint64) G_MAXINT32);
    }

  *out = negative ? -value : value;
  return TRUE;
}

/**
 * ladle_httpbin_parse_range:
 * @header: (nullable): the Range header
 * @range: (out): the range; neither side is set when the header is absent or not understood,
 *   which means the whole resource
 */
void
ladle_httpbin_parse_range (const char        *header,
                           LadleHttpbinRange *range)
{
  const char *start;
  const char *end;
  const char *eq;
  const char *dash;
  const char *second_end;

  memset (range, 0, sizeof *range);
  if (header == NULL || too_long (header))
    return;

  start = header;
  end = header + strlen (header);
  while (start < end && is_space (*start))
    start++;
  while (end > start && is_space (end[-1]))
    end--;

  if ((gsize) (end - start) < 5 || memcmp (start, "bytes", 5) != 0)
    return;

  /* Exactly one '=' */
  eq = memchr (start, '=', end - start);
  if (eq == NULL || memchr (eq + 1, '=', end - eq - 1) != NULL)
    return;

  /* FIRST-LAST[-...]: the parts after the second are ignored */
  start = eq + 1;
  dash = memchr (start, '-', end - start);
  if (dash == NULL)
    {
      range->has_first = parse_python_int (start, end, &range->first);
      return;
    }

  second_end = memchr (dash + 1, '-', end - dash - 1);
  if (second_end == NULL)
    second_end = end;

  range->has_first = parse_python_int (start, dash, &range->first);
  range->has_last = parse_python_int (dash + 1, second_end, &range->last);
}

void
ladle_httpbin_digest_clear (LadleHttpbinDigest *digest)
{
  g_clear_pointer (&digest->username, g_free);
  g_clear_pointer (&digest->realm, g_free);
  g_clear_pointer (&digest->nonce, g_free);
  g_clear_pointer (&digest->uri, g_free);
  g_clear_pointer (&digest->response, g_free);
  g_clear_pointer (&digest->qop, g_free);
  g_clear_pointer (&digest->nc, g_free);
  g_clear_pointer (&digest->cnonce, g_free);
  g_clear_pointer (&digest->algorithm, g_free);
  g_clear_pointer (&digest->opaque, g_free);
}

static char **
digest_field (LadleHttpbinDigest *digest,
              const char         *name,
              gsize               len)
{
  static const struct
  {
    const char *name;
    gsize       offset;
  } fields[] = {
    { "username", G_STRUCT_OFFSET (LadleHttpbinDigest, username) },
    { "realm", G_STRUCT_OFFSET (LadleHttpbinDigest, realm) },
    { "nonce", G_STRUCT_OFFSET (LadleHttpbinDigest, nonce) },
    { "uri", G_STRUCT_OFFSET (LadleHttpbinDigest, uri) },
    { "response", G_STRUCT_OFFSET (LadleHttpbinDigest, response) },
    { "qop", G_STRUCT_OFFSET (LadleHttpbinDigest, qop) },
    { "nc", G_STRUCT_OFFSET (LadleHttpbinDigest, nc) },
    { "cnonce", G_STRUCT_OFFSET (LadleHttpbinDigest, cnonce) },
    { "algorithm", G_STRUCT_OFFSET (LadleHttpbinDigest, algorithm) },
    { "opaque", G_STRUCT_OFFSET (LadleHttpbinDigest, opaque) },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      if (strlen (fields[i].name) == len && memcmp (fields[i].name, name, len) == 0)
        return G_STRUCT_MEMBER_P (digest, fields[i].offset);
    }

  return NULL;
}

/* One item of the comma-separated list, as urllib's parse_http_list() leaves it: quotes kept,
 * backslash escapes inside quotes resolved, white space around it stripped. */
static void
digest_add_item (LadleHttpbinDigest *digest,
                 GString            *item)
{
  const char *text = item->str;
  gsize len = item->len;
  const char *eq;
  char **field;
  const char *value;
  gsize value_len;

  while (len > 0 && is_space (*text))
    text++, len--;
  while (len > 0 && is_space (text[len - 1]))
    len--;

  eq = memchr (text, '=', len);
  if (eq == NULL)
    return;

  /* werkzeug keeps the name as written: "username =" is not "username". */
  field = digest_field (digest, text, eq - text);
  if (field == NULL)
    return;

  value = eq + 1;
  value_len = text + len - value;
  if (value_len >= 2 && value[0] == '"' && value[value_len - 1] == '"')
    {
      value++;
      value_len -= 2;
    }

  /* The last one wins, as in a dict. */
  g_free (*field);
  *field = g_strndup (value, value_len);
}

/**
 * ladle_httpbin_parse_digest:
 * @header: (nullable): the Authorization header
 * @digest: (out caller-allocates): its parameters; clear them with ladle_httpbin_digest_clear()
 *
 * Reads "Digest username=..., realm=..., ..." as werkzeug's parse_authorization_header() does.
 *
 * Returns: %FALSE (with @digest cleared) unless the scheme is Digest and the header has username,
 *   realm, nonce, uri and response, and nc and cnonce when it has qop
 */
gboolean
ladle_httpbin_parse_digest (const char         *header,
                            LadleHttpbinDigest *digest)
{
  g_autoptr(GString) item = NULL;
  gboolean quoted = FALSE;
  gboolean escaped = FALSE;
  const char *p;

  memset (digest, 0, sizeof *digest);
  if (header == NULL || too_long (header))
    return FALSE;

  /* str.split(None, 1): the scheme, then the rest after white space */
  p = header;
  while (is_space (*p))
    p++;
  if (g_ascii_strncasecmp (p, "digest", 6) != 0 || !is_space (p[6]))
    return FALSE;
  p += 6;
  while (is_space (*p))
    p++;

  item = g_string_new (NULL);
  for (; *p != '\0'; p++)
    {
      if (escaped)
        {
          g_string_append_c (item, *p);
          escaped = FALSE;
        }
      else if (quoted)
        {
          if (*p == '\\')
            {
              escaped = TRUE;
              continue;
            }
          if (*p == '"')
            quoted = FALSE;
          g_string_append_c (item, *p);
        }
      else if (*p == ',')
        {
          digest_add_item (digest, item);
          g_string_truncate (item, 0);
        }
      else
        {
          if (*p == '"')
            quoted = TRUE;
          g_string_append_c (item, *p);
        }
    }
  digest_add_item (digest, item);

  if (digest->username == NULL || digest->realm == NULL || digest->nonce == NULL ||
      digest->uri == NULL || digest->response == NULL ||
      (digest->qop != NULL && (digest->nc == NULL || *digest->nc == '\0' ||
                               digest->cnonce == NULL || *digest->cnonce == '\0')))
    {
      ladle_httpbin_digest_clear (digest);
      return FALSE;
    }

  return TRUE;
}

/**
 * ladle_httpbin_cookie_quote:
 * @value: a cookie value, UTF-8
 *
 * Quotes a cookie value as werkzeug's set_cookie() does: values of only RFC 6265 token characters
 * (and ":/=") go as they are; others are put in double quotes, with '"' and '\\' escaped by a
 * backslash and ',', ';', control characters and non-ASCII bytes written as "\\ooo" in octal.
 *
 * Returns: (transfer full): the value for a Set-Cookie header
 */
char *
ladle_httpbin_cookie_quote (const char *value)
{
  static const char legal[] = "/=!#$%&'*+-.^_`|~:";
  GString *out = g_string_sized_new (strlen (value) + 2);
  gboolean all_legal = TRUE;

  for (const guchar *p = (const guchar *) value; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || strchr (legal, *p) != NULL)
        {
          g_string_append_c (out, *p);
          continue;
        }

      all_legal = FALSE;
      if (*p == '"' || *p == '\\')
        g_string_append_printf (out, "\\%c", *p);
      else if (*p == ',' || *p == ';' || *p < 0x20 || *p >= 0x7f)
        g_string_append_printf (out, "\\%03o", *p);
      else
        g_string_append_c (out, *p);
    }

  if (!all_legal)
    {
      g_string_prepend_c (out, '"');
      g_string_append_c (out, '"');
    }

  return g_string_free (out, FALSE);
}

/* werkzeug's _cookie_unquote(): a value in double quotes loses them, and its "\\ooo" (octal, the
 * first digit 0-3) and "\\X" escapes are resolved. */
static char *
cookie_unquote (const char *value,
                gsize       len)
{
  GString *out;

  if (len < 2 || value[0] != '"' || value[len - 1] != '"')
    return g_strndup (value, len);

  value++;
  len -= 2;
  out = g_string_sized_new (len);
  for (gsize i = 0; i < len; i++)
    {
      if (value[i] == '\\' && i + 3 < len &&
          value[i + 1] >= '0' && value[i + 1] <= '3' &&
          value[i + 2] >= '0' && value[i + 2] <= '7' &&
          value[i + 3] >= '0' && value[i + 3] <= '7')
        {
          g_string_append_c (out, (char) (((value[i + 1] - '0') << 6) |
                                          ((value[i + 2] - '0') << 3) |
                                          (value[i + 3] - '0')));
          i += 3;
        }
      else if (value[i] == '\\' && i + 1 < len)
        {
          g_string_append_c (out, value[i + 1]);
          i++;
        }
      else
        {
          g_string_append_c (out, value[i]);
        }
    }

  return g_string_free (out, FALSE);
}

/**
 * ladle_httpbin_parse_cookies:
 * @header: (nullable): the Cookie header
 *
 * Reads a Cookie header as werkzeug's parse_cookie() does: "name=value" pairs separated by ';',
 * names stripped of white space (an empty name is skipped), values unquoted when quoted, a quoted
 * value may hold ';'. Names and values may be invalid UTF-8; the caller makes them valid.
 *
 * Returns: (transfer full) (element-type utf8): names and values, alternating
 */
GPtrArray *
ladle_httpbin_parse_cookies (const char *header)
{
  GPtrArray *pairs = g_ptr_array_new_with_free_func (g_free);
  const char *p;
  const char *end;

  if (header == NULL || too_long (header))
    return pairs;

  p = header;
  end = header + strlen (header);
  while (p < end)
    {
      const char *key = p;
      const char *key_end;
      const char *value = NULL;
      gsize value_len = 0;

      while (p < end && *p != '=' && *p != ';')
        p++;
      key_end = p;

      if (p < end && *p == '=')
        {
          const char *q;

          p++;
          while (p < end && is_space (*p))
            p++;
          value = p;

          /* A quoted string, if white space and ';' (or the end) follow it */
          if (p < end && *p == '"')
            {
              for (q = p + 1; q < end && *q != '"'; q++)
                {
                  if (*q == '\\' && q + 1 < end)
                    q++;
                }
              if (q < end)
                {
                  const char *r = q + 1;

                  while (r < end && is_space (*r))
                    r++;
                  if (r == end || *r == ';')
                    {
                      value_len = q + 1 - value;
                      p = r;
                    }
                }
            }

          if (value_len == 0)
            {
              const char *value_end = p;

              while (value_end < end && *value_end != ';')
                value_end++;
              p = value_end;
              while (value_end > value && is_space (value_end[-1]))
                value_end--;
              value_len = value_end - value;
            }
        }

      /* Past the ';' */
      if (p < end)
        p++;

      while (key < key_end && is_space (*key))
        key++;
      while (key_end > key && is_space (key_end[-1]))
        key_end--;
      if (key == key_end)
        continue;

      g_ptr_array_add (pairs, g_strndup (key, key_end - key));
      g_ptr_array_add (pairs, value != NULL ? cookie_unquote (value, value_len) : g_strdup (""));
    }

  return pairs;
}

/**
 * ladle_httpbin_parse_etags:
 * @header: (nullable): an If-Match or If-None-Match header
 *
 * Splits the header on ',' and takes from each part what httpbin's parse_multi_value_header()
 * does: the tag without "W/" and quotes ("*" stays "*").
 *
 * Returns: (transfer full) (element-type utf8): the tags, possibly none
 */
GPtrArray *
ladle_httpbin_parse_etags (const char *header)
{
  GPtrArray *tags = g_ptr_array_new_with_free_func (g_free);
  const char *p;

  if (header == NULL || too_long (header) || *header == '\0')
    return tags;

  p = header;
  for (;;)
    {
      const char *comma = strchr (p, ',');
      const char *end = comma != NULL ? comma : p + strlen (p);
      const char *q = p;
      const char *tag_end;

      /* re.search('\s*(W/)?"?([^"]*)"?\s*', part).group(2) */
      while (q < end && is_space (*q))
        q++;
      if (end - q >= 2 && q[0] == 'W' && q[1] == '/')
        q += 2;
      if (q < end && *q == '"')
        q++;
      tag_end = q;
      while (tag_end < end && *tag_end != '"')
        tag_end++;
      g_ptr_array_add (tags, g_strndup (q, tag_end - q));

      if (comma == NULL)
        break;
      p = comma + 1;
    }

  return tags;
}
