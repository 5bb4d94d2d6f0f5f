/* ladle-url-query.c
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

#include "ladle-url-query.h"

/* The query of a URL as the user typed it, cut into items and put back together byte for byte:
 * the Params table and the address bar show one query, and neither may change what the other
 * holds beyond the row being edited. Nothing here parses a URL: "?" starts the query, "#" the
 * fragment, whatever the rest is (a {{host}}, a half-typed address). Every loop is linear in the
 * text, {{…}} included. */

/* Finds the "}}" that closes the "{{" at @p. @close caches the next "}}" at or after the scan
 * (NULL when there is none left), so that many "{{" cost one search between them. */
static const char *
skip_variable (const char  *p,
               const char **close,
               gboolean    *none_left)
{
  if (p[0] != '{' || p[1] != '{' || *none_left)
    return NULL;
  if (*close == NULL || *close < p + 2)
    {
      *close = strstr (p + 2, "}}");
      if (*close == NULL)
        {
          *none_left = TRUE;
          return NULL;
        }
    }
  return *close + 2;
}

/* Where one of @stops occurs in [@p, @end), outside {{…}}; @end when none does. */
static const char *
find_outside_variables (const char *p,
                        const char *end,
                        const char *stops)
{
  const char *close = NULL;
  gboolean none_left = FALSE;

  while (p < end)
    {
      const char *after = skip_variable (p, &close, &none_left);

      if (after != NULL && after <= end)
        {
          p = after;
          continue;
        }
      if (strchr (stops, *p) != NULL)
        return p;
      p++;
    }
  return end;
}

static void
item_free (gpointer data)
{
  LadleUrlQueryItem *item = data;

  g_free (item->name);
  g_free (item->value);
  g_free (item);
}

void
ladle_url_parts_add (LadleUrlParts *parts,
                     const char    *name,
                     const char    *value)
{
  LadleUrlQueryItem *item;

  g_return_if_fail (parts != NULL);
  g_return_if_fail (name != NULL);

  item = g_new0 (LadleUrlQueryItem, 1);
  item->name = g_strdup (name);
  item->value = g_strdup (value);
  g_ptr_array_add (parts->items, item);
}

/**
 * ladle_url_parts_split:
 * @url: a URL as typed (any text)
 *
 * Returns: (transfer full): @url cut at its query; free with ladle_url_parts_free()
 */
LadleUrlParts *
ladle_url_parts_split (const char *url)
{
  LadleUrlParts *parts;
  const char *end;
  const char *stop;

  g_return_val_if_fail (url != NULL, NULL);

  parts = g_new0 (LadleUrlParts, 1);
  parts->items = g_ptr_array_new_with_free_func (item_free);
  end = url + strlen (url);

  stop = find_outside_variables (url, end, "?#");
  parts->base = g_strndup (url, stop - url);
  if (*stop == '?')
    {
      const char *query = stop + 1;
      const char *query_end = find_outside_variables (query, end, "#");

      parts->has_query = TRUE;
      if (query_end > query)
        {
          const char *p = query;

          while (TRUE)
            {
              const char *amp = find_outside_variables (p, query_end, "&");
              const char *eq = find_outside_variables (p, amp, "=");
              g_autofree char *name = g_strndup (p, eq - p);
              g_autofree char *value = eq < amp ? g_strndup (eq + 1, amp - eq - 1) : NULL;

              ladle_url_parts_add (parts, name, value);
              if (amp == query_end)
                break;
              p = amp + 1;
            }
        }
      stop = query_end;
    }
  if (*stop == '#')
    parts->fragment = g_strdup (stop + 1);

  return parts;
}

char *
ladle_url_parts_join (LadleUrlParts *parts)
{
  GString *url;

  g_return_val_if_fail (parts != NULL, NULL);

  url = g_string_new (parts->base);
  if (parts->has_query || parts->items->len > 0)
    g_string_append_c (url, '?');
  for (guint i = 0; i < parts->items->len; i++)
    {
      LadleUrlQueryItem *item = g_ptr_array_index (parts->items, i);

      if (i > 0)
        g_string_append_c (url, '&');
      g_string_append (url, item->name);
      if (item->value != NULL)
        {
          g_string_append_c (url, '=');
          g_string_append (url, item->value);
        }
    }
  if (parts->fragment != NULL)
    {
      g_string_append_c (url, '#');
      g_string_append (url, parts->fragment);
    }
  return g_string_free (url, FALSE);
}

void
ladle_url_parts_free (LadleUrlParts *parts)
{
  if (parts == NULL)
    return;
  g_free (parts->base);
  g_ptr_array_unref (parts->items);
  g_free (parts->fragment);
  g_free (parts);
}

char *
ladle_url_query_decode (const char *raw)
{
  GString *text;
  const char *close = NULL;
  gboolean none_left = FALSE;
  const char *p;

  g_return_val_if_fail (raw != NULL, NULL);

  if (strchr (raw, '%') == NULL)
    return g_strdup (raw);

  text = g_string_sized_new (strlen (raw));
  for (p = raw; *p != '\0';)
    {
      const char *after = skip_variable (p, &close, &none_left);

      if (after != NULL)
        {
          g_string_append_len (text, p, after - p);
          p = after;
        }
      else if (p[0] == '%' && g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2]))
        {
          g_string_append_c (text, (char) (g_ascii_xdigit_value (p[1]) * 16 +
                                           g_ascii_xdigit_value (p[2])));
          p += 3;
        }
      else
        g_string_append_c (text, *p++);
    }

  /* A byte that is no text (%00, %FF, a line break) is shown as it was typed */
  if (!g_utf8_validate_len (text->str, text->len, NULL))
    goto as_typed;
  for (gsize i = 0; i < text->len; i++)
    if ((guchar) text->str[i] < 0x20 || text->str[i] == 0x7f)
      goto as_typed;
  return g_string_free (text, FALSE);

as_typed:
  g_string_free (text, TRUE);
  return g_strdup (raw);
}

char *
ladle_url_query_encode (const char *text,
                        gboolean    is_name)
{
  GString *raw;
  const char *close = NULL;
  gboolean none_left = FALSE;
  const char *p;

  g_return_val_if_fail (text != NULL, NULL);

  raw = g_string_sized_new (strlen (text));
  for (p = text; *p != '\0';)
    {
      const char *after = skip_variable (p, &close, &none_left);
      guchar c = (guchar) *p;

      if (after != NULL)
        {
          g_string_append_len (raw, p, after - p);
          p = after;
          continue;
        }
      if ((c == '%' && !(g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2]))) ||
          c == '&' || c == '#' || c == '+' || c == ' ' || c < 0x20 || c == 0x7f ||
          (is_name && c == '='))
        g_string_append_printf (raw, "%%%02X", c);
      else
        g_string_append_c (raw, (char) c);
      p++;
    }
  return g_string_free (raw, FALSE);
}
