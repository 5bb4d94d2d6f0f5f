/* ladle-http-file.c
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

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include <glib/gi18n.h>

#include "ladle-error.h"
#include "ladle-http-file.h"
#include "ladle-http-syntax.h"

struct _LadleHttpFile
{
  char      *path;
  GBytes    *text;
  char      *newline;
  GPtrArray *variables;
  GPtrArray *entries;
  GPtrArray *diagnostics;
};

G_DEFINE_BOXED_TYPE (LadleHttpFile, ladle_http_file, ladle_http_file_ref, ladle_http_file_unref)
G_DEFINE_BOXED_TYPE (LadleHttpEntry, ladle_http_entry, ladle_http_entry_ref, ladle_http_entry_unref)

/* Pieces of the tree */

static void
variable_free (gpointer data)
{
  LadleHttpVariable *variable = data;

  g_free (variable->name);
  g_free (variable->value);
  g_free (variable);
}

static LadleHttpVariable *
variable_new (const char *name,
              const char *value,
              guint       line)
{
  LadleHttpVariable *variable = g_new0 (LadleHttpVariable, 1);

  variable->name = g_strdup (name);
  variable->value = g_strdup (value != NULL ? value : "");
  variable->line = line;
  return variable;
}

static void
directive_free (gpointer data)
{
  LadleHttpDirective *directive = data;

  g_free (directive->name);
  g_free (directive->argument);
  g_free (directive);
}

static void
header_free (gpointer data)
{
  LadleHttpHeader *header = data;

  g_free (header->name);
  g_free (header->value);
  g_free (header);
}

static void
body_part_free (gpointer data)
{
  LadleHttpBodyPart *part = data;

  g_free (part->text);
  g_free (part->encoding);
  g_free (part);
}

static void
assert_line_free (gpointer data)
{
  LadleHttpAssertLine *assertion = data;

  g_free (assertion->text);
  g_free (assertion);
}

static void
script_free (gpointer data)
{
  LadleHttpScript *script = data;

  g_free (script->text);
  g_free (script);
}

static void
diagnostic_free (gpointer data)
{
  LadleHttpDiagnostic *diagnostic = data;

  g_free (diagnostic->message);
  g_free (diagnostic);
}

/* Entries */

static void
entry_clear (LadleHttpEntry *self)
{
  g_free (self->separator_name);
  g_free (self->name);
  g_free (self->method);
  g_free (self->url);
  g_free (self->http_version);
  g_ptr_array_unref (self->variables);
  g_ptr_array_unref (self->directives);
  g_ptr_array_unref (self->headers);
  g_ptr_array_unref (self->body);
  g_ptr_array_unref (self->assertions);
  g_ptr_array_unref (self->scripts);
  g_ptr_array_unref (self->comments);
}

LadleHttpEntry *
ladle_http_entry_new (void)
{
  LadleHttpEntry *self = g_rc_box_new0 (LadleHttpEntry);

  self->method = g_strdup ("GET");
  self->url = g_strdup ("");
  self->variables = g_ptr_array_new_with_free_func (variable_free);
  self->directives = g_ptr_array_new_with_free_func (directive_free);
  self->headers = g_ptr_array_new_with_free_func (header_free);
  self->body = g_ptr_array_new_with_free_func (body_part_free);
  self->assertions = g_ptr_array_new_with_free_func (assert_line_free);
  self->scripts = g_ptr_array_new_with_free_func (script_free);
  self->comments = g_ptr_array_new_with_free_func (g_free);
  return self;
}

LadleHttpEntry *
ladle_http_entry_ref (LadleHttpEntry *self)
{
  return g_rc_box_acquire (self);
}

void
ladle_http_entry_unref (LadleHttpEntry *self)
{
  g_rc_box_release_full (self, (GDestroyNotify) entry_clear);
}

const char *
ladle_http_entry_get_directive (const LadleHttpEntry *self,
                                const char           *name)
{
  /* The last one written wins, as in JetBrains' client. */
  for (guint i = self->directives->len; i > 0; i--)
    {
      const LadleHttpDirective *directive = g_ptr_array_index (self->directives, i - 1);

      if (g_ascii_strcasecmp (directive->name, name) == 0)
        return directive->argument != NULL ? directive->argument : "";
    }

  return NULL;
}

gboolean
ladle_http_entry_has_directive (const LadleHttpEntry *self,
                                const char           *name)
{
  return ladle_http_entry_get_directive (self, name) != NULL;
}

void
ladle_http_entry_add_variable (LadleHttpEntry *self,
                               const char     *name,
                               const char     *value)
{
  g_ptr_array_add (self->variables, variable_new (name, value, 0));
}

void
ladle_http_entry_add_directive (LadleHttpEntry *self,
                                const char     *name,
                                const char     *argument)
{
  LadleHttpDirective *directive = g_new0 (LadleHttpDirective, 1);

  directive->name = g_strdup (name);
  directive->argument = g_strdup (argument);
  g_ptr_array_add (self->directives, directive);
}

void
ladle_http_entry_add_header (LadleHttpEntry *self,
                             const char     *name,
                             const char     *value)
{
  LadleHttpHeader *header = g_new0 (LadleHttpHeader, 1);

  header->name = g_strdup (name);
  header->value = g_strdup (value != NULL ? value : "");
  g_ptr_array_add (self->headers, header);
}

void
ladle_http_entry_add_body_part (LadleHttpEntry    *self,
                                LadleHttpPartKind  kind,
                                const char        *text)
{
  LadleHttpBodyPart *part = g_new0 (LadleHttpBodyPart, 1);

  part->kind = kind;
  part->text = g_strdup (text != NULL ? text : "");
  g_ptr_array_add (self->body, part);
}

void
ladle_http_entry_add_assertion (LadleHttpEntry *self,
                                const char     *text)
{
  LadleHttpAssertLine *assertion = g_new0 (LadleHttpAssertLine, 1);

  assertion->text = g_strdup (text);
  g_ptr_array_add (self->assertions, assertion);
}

void
ladle_http_entry_add_script (LadleHttpEntry      *self,
                             LadleHttpScriptKind  kind,
                             const char          *text)
{
  LadleHttpScript *script = g_new0 (LadleHttpScript, 1);

  script->kind = kind;
  script->text = g_strdup (text);
  g_ptr_array_add (self->scripts, script);
}

/* Bodies
 *
 * A body is read as lines and `< file` parts; BodyBuilder turns them into the bytes httpyac
 * sends (the rule is in ladle-http-file.h) and ladle_http_entry_format() turns parts back into
 * lines. Both sides use body_style_of() so that what one writes the other reads back. */

typedef enum
{
  BODY_PLAIN,
  BODY_MULTIPART,       /* multipart/form-data: lines joined with CRLF */
  BODY_NDJSON,          /* application/x-ndjson: text only ends with a line break */
  BODY_FORM,            /* application/x-www-form-urlencoded: lines trimmed and joined */
} BodyStyle;

static BodyStyle
body_style_of (GPtrArray *headers)
{
  for (guint i = 0; i < headers->len; i++)
    {
      const LadleHttpHeader *header = g_ptr_array_index (headers, i);
      const char *value = header->value;
      const char *end;
      g_autofree char *type = NULL;

      if (g_ascii_strcasecmp (header->name, "Content-Type") != 0)
        continue;

      end = strchr (value, ';');
      type = g_strstrip (g_ascii_strdown (value, end != NULL ? end - value : -1));
      if (strcmp (type, "multipart/form-data") == 0)
        return BODY_MULTIPART;
      if (strcmp (type, "application/x-ndjson") == 0)
        return BODY_NDJSON;
      if (strcmp (type, "application/x-www-form-urlencoded") == 0)
        return BODY_FORM;
      return BODY_PLAIN;
    }

  return BODY_PLAIN;
}

/* httpyac's multi-line form: each line trimmed, and the space around each `=` and `&`. */
static char *
form_line_normalize (const char *line,
                     gsize       length)
{
  GString *out = g_string_sized_new (length);
  gsize i = 0;

  while (i < length && g_ascii_isspace (line[i]))
    i++;
  for (; i < length; i++)
    {
      char c = line[i];

      if (c == '=' || c == '&')
        {
          while (out->len > 0 && g_ascii_isspace (out->str[out->len - 1]))
            g_string_truncate (out, out->len - 1);
          g_string_append_c (out, c);
          while (i + 1 < length && g_ascii_isspace (line[i + 1]))
            i++;
        }
      else
        g_string_append_c (out, c);
    }
  while (out->len > 0 && g_ascii_isspace (out->str[out->len - 1]))
    g_string_truncate (out, out->len - 1);

  return g_string_free (out, FALSE);
}

typedef struct
{
  LadleHttpPartKind  kind;
  char              *text;      /* a line, or a path */
  char              *encoding;
  guint              line;
} BodyItem;

static void
body_item_clear (gpointer data)
{
  BodyItem *item = data;

  g_free (item->text);
  g_free (item->encoding);
}

static LadleHttpBodyPart *
body_part_new (LadleHttpPartKind  kind,
               char              *text,
               char              *encoding,
               guint              line)
{
  LadleHttpBodyPart *part = g_new0 (LadleHttpBodyPart, 1);

  part->kind = kind;
  part->text = text;
  part->encoding = encoding;
  part->line = line;
  return part;
}

static void
body_items_add_line (GArray *items,
                     char   *line)
{
  BodyItem item = { LADLE_HTTP_PART_TEXT, line, NULL, 0 };

  g_array_append_val (items, item);
}

/* Turns @items (BodyItem: TEXT lines and files) into @parts, as httpyac joins them. Leading and
 * trailing blank lines must already be gone. Steals the items' strings. */
static void
body_items_to_parts (GArray    *items,
                     BodyStyle  style,
                     GPtrArray *parts)
{
  const char *separator = style == BODY_MULTIPART ? "\r\n" : "\n";
  gboolean only_text = TRUE;
  guint i = 0;

  for (guint k = 0; k < items->len; k++)
    if (g_array_index (items, BodyItem, k).kind != LADLE_HTTP_PART_TEXT)
      only_text = FALSE;

  while (i < items->len)
    {
      BodyItem *item = &g_array_index (items, BodyItem, i);
      GString *text;
      guint first_line = item->line;
      guint j;

      if (item->kind != LADLE_HTTP_PART_TEXT)
        {
          g_ptr_array_add (parts, body_part_new (item->kind, g_steal_pointer (&item->text),
                                                 g_steal_pointer (&item->encoding), item->line));
          i++;
          /* Two files in a row: one line break between them. */
          if (style != BODY_FORM && i < items->len
              && g_array_index (items, BodyItem, i).kind != LADLE_HTTP_PART_TEXT)
            g_ptr_array_add (parts, body_part_new (LADLE_HTTP_PART_TEXT, g_strdup (separator),
                                                   NULL, item->line));
          continue;
        }

      text = g_string_new (NULL);
      if (style != BODY_FORM && i > 0)
        g_string_append (text, separator);
      for (j = i; j < items->len; j++)
        {
          BodyItem *line = &g_array_index (items, BodyItem, j);

          if (line->kind != LADLE_HTTP_PART_TEXT)
            break;
          if (style == BODY_FORM)
            {
              g_autofree char *normal = form_line_normalize (line->text, strlen (line->text));

              g_string_append (text, normal);
            }
          else
            {
              if (j > i)
                g_string_append (text, separator);
              g_string_append (text, line->text);
            }
        }
      if (style != BODY_FORM && j < items->len)
        g_string_append (text, separator);
      if (style == BODY_NDJSON && only_text)
        g_string_append (text, separator);

      if (text->len > 0)
        g_ptr_array_add (parts, body_part_new (LADLE_HTTP_PART_TEXT, g_string_free (text, FALSE),
                                               NULL, first_line));
      else
        g_string_free (text, TRUE);
      i = j;
    }
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;

  return TRUE;
}

static gboolean body_line_is_special (const char *p,
                                      const char *end);

/* A form line that reads as itself, not as `< file` or `> file`, once the reader trims it. `< x`:
 * a space before it (a file is in the first column only). `> a=b` (which came from `> a = b`):
 * a space next to the first `=` or `&`, where the reader removes it again. */
static char *
form_line_unspecial (const char *line)
{
  const char *mark;

  if (line[0] == '>')
    {
      mark = strpbrk (line + 1, "=&");
      if (mark != NULL && g_ascii_isspace (mark[-1]) && mark[1] == '\0')
        mark = NULL;
      if (mark != NULL && !g_ascii_isspace (mark[-1]))
        return g_strdup_printf ("%.*s %s", (int) (mark - line), line, mark);
      if (mark != NULL)
        return g_strdup_printf ("%.*s %s", (int) (mark + 1 - line), line, mark + 1);
    }

  return g_strconcat (" ", line, NULL);
}

/* The lines ladle_http_entry_format() writes for a body, without line breaks. */
static GPtrArray *
body_to_lines (const LadleHttpEntry *self)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  BodyStyle style = body_style_of (self->headers);
  guint i = 0;

  while (i < self->body->len)
    {
      const LadleHttpBodyPart *part = g_ptr_array_index (self->body, i);
      g_autoptr(GString) merged = NULL;
      guint j;

      switch (part->kind)
        {
        case LADLE_HTTP_PART_FILE:
          g_ptr_array_add (lines, g_strdup_printf ("< %s", part->text));
          i++;
          continue;
        case LADLE_HTTP_PART_FILE_EXPAND:
          g_ptr_array_add (lines, g_strdup_printf ("<@%s %s",
                                                   part->encoding != NULL ? part->encoding : "",
                                                   part->text));
          i++;
          continue;
        case LADLE_HTTP_PART_TEXT:
        default:
          break;
        }

      /* Text parts in a row are one stretch of bytes. */
      merged = g_string_new (NULL);
      for (j = i; j < self->body->len; j++)
        {
          const LadleHttpBodyPart *text = g_ptr_array_index (self->body, j);

          if (text->kind != LADLE_HTTP_PART_TEXT)
            break;
          g_string_append (merged, text->text);
        }

      if (style == BODY_FORM)
        {
          g_autoptr(GString) flat = g_string_new (NULL);
          g_autofree char *normal = NULL;

          for (gsize k = 0; k < merged->len; k++)
            if (merged->str[k] != '\r' && merged->str[k] != '\n')
              g_string_append_c (flat, merged->str[k]);
          const char *rest;

          normal = form_line_normalize (flat->str, flat->len);
          /* The reader joins a form's lines with nothing, so the text may go on several lines:
           * a text that would read as something else (`###…`, `??…`, `>> …`) goes on two, its
           * first character alone; see form_line_unspecial() for the others. */
          for (rest = normal; rest[0] != '\0';)
            {
              const char *end = rest + strlen (rest);

              if (!body_line_is_special (rest, end))
                {
                  g_ptr_array_add (lines, g_strdup (rest));
                  break;
                }
              if (rest[1] != '\0' && !g_ascii_isspace (rest[1]))
                {
                  g_ptr_array_add (lines, g_strndup (rest, 1));
                  rest++;
                  continue;
                }
              g_ptr_array_add (lines, form_line_unspecial (rest));
              break;
            }
        }
      else
        {
          g_auto(GStrv) pieces = g_strsplit (merged->str, "\n", -1);
          guint n = g_strv_length (pieces);
          guint first = 0;

          for (guint k = 0; k < n; k++)
            {
              gsize len = strlen (pieces[k]);

              while (len > 0 && pieces[k][len - 1] == '\r')
                pieces[k][--len] = '\0';
            }
          /* The line breaks around a file are the file's own. */
          if (i > 0 && n > 0 && pieces[0][0] == '\0')
            first = 1;
          if (j < self->body->len && n > first && pieces[n - 1][0] == '\0')
            n--;
          for (guint k = first; k < n; k++)
            g_ptr_array_add (lines, g_strdup (pieces[k]));
        }
      i = j;
    }

  /* The reader drops blank lines at either end; so does the writer. */
  while (lines->len > 0 && is_blank (g_ptr_array_index (lines, lines->len - 1)))
    g_ptr_array_remove_index (lines, lines->len - 1);
  while (lines->len > 0 && is_blank (g_ptr_array_index (lines, 0)))
    g_ptr_array_remove_index (lines, 0);

  return lines;
}

void
ladle_http_entry_add_comment (LadleHttpEntry *self,
                              const char     *line)
{
  g_ptr_array_add (self->comments, g_strdup (line));
}

/* Formatting */

static gboolean
is_plain_name (const char *name)
{
  if (name == NULL || name[0] == '\0')
    return FALSE;

  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-')
      return FALSE;

  return TRUE;
}

/* Appends @text with every line break written as @newline; carriage returns at the end of a line
 * are dropped (they would turn into part of a CRLF). */
static void
append_lines (GString    *out,
              const char *text,
              const char *newline)
{
  const char *p = text;

  for (;;)
    {
      const char *end = strchr (p, '\n');
      gsize len = end != NULL ? (gsize) (end - p) : strlen (p);

      while (len > 0 && p[len - 1] == '\r')
        len--;
      g_string_append_len (out, p, len);
      if (end == NULL)
        break;
      g_string_append (out, newline);
      p = end + 1;
    }
}

static gboolean
ends_with_close (const char *line,
                 gsize       length,
                 const char *close)
{
  gsize close_length = strlen (close);

  while (length > 0 && g_ascii_isspace (line[length - 1]))
    length--;
  return length >= close_length && memcmp (line + length - close_length, close, close_length) == 0;
}

/* Whether a script's text opens a `{% … %}` or `{{ … }}` block that no line of it closes; the
 * writer closes it, or the lines after it would be read as part of it. */
static const char *
script_missing_close (const LadleHttpScript *script)
{
  const char *text = script->text;
  const char *first_end = strchr (text, '\n');
  gsize first_length = first_end != NULL ? (gsize) (first_end - text) : strlen (text);
  const char *p = text;
  const char *close;

  while (*p == ' ' || *p == '\t')
    p++;

  if (script->kind == LADLE_HTTP_SCRIPT_INLINE)
    close = "}}";
  else if ((script->kind == LADLE_HTTP_SCRIPT_PRE || script->kind == LADLE_HTTP_SCRIPT_POST)
           && (*p == '<' || *p == '>'))
    {
      const char *q = p + 1;
      const char *open;

      while (*q == ' ' || *q == '\t')
        q++;
      if (q == p + 1 || strncmp (q, "{%", 2) != 0)
        return NULL;
      open = q + 2;
      /* One line: `> {% … %}`. */
      if (open <= text + first_length
          && ends_with_close (open, text + first_length - open, "%}"))
        return NULL;
      close = "%}";
    }
  else
    return NULL;

  if (first_end == NULL)
    return close;
  for (p = first_end + 1;;)
    {
      const char *end = strchr (p, '\n');
      gsize len = end != NULL ? (gsize) (end - p) : strlen (p);

      if (script->kind == LADLE_HTTP_SCRIPT_INLINE)
        {
          g_autofree char *line = g_strstrip (g_strndup (p, len));

          if (strcmp (line, "}}") == 0)
            return NULL;
        }
      else if (ends_with_close (p, len, close))
        return NULL;
      if (end == NULL)
        break;
      p = end + 1;
    }

  return close;
}

static void
append_script (GString               *out,
               const LadleHttpScript *script,
               const char            *newline)
{
  const char *close = script_missing_close (script);

  append_lines (out, script->text, newline);
  g_string_append (out, newline);
  if (close != NULL)
    g_string_append_printf (out, "%s%s", close, newline);
}

/* Scripts that run before the request: `< …`, and httpyac's `{{` blocks written before it. */
static gboolean
script_goes_before (const LadleHttpEntry  *self,
                    const LadleHttpScript *script)
{
  return script->kind == LADLE_HTTP_SCRIPT_PRE
         || (script->kind == LADLE_HTTP_SCRIPT_INLINE && script->line != 0
             && script->line < self->request_line);
}

char *
ladle_http_entry_format (const LadleHttpEntry *self,
                         const char           *newline)
{
  GString *out = g_string_new (NULL);
  const char *name = self->name;
  const char *separator = self->separator_name;
  gboolean has_name_directive = FALSE;
  g_autoptr(GPtrArray) body = NULL;
  gboolean has_after = FALSE;

  if (newline == NULL)
    newline = "\n";
  if (separator == NULL || separator[0] == '\0')
    separator = name;

  for (guint i = 0; i < self->directives->len; i++)
    {
      const LadleHttpDirective *directive = g_ptr_array_index (self->directives, i);

      if (g_ascii_strcasecmp (directive->name, "name") == 0)
        has_name_directive = TRUE;
    }

  g_string_append (out, "###");
  if (separator != NULL && separator[0] != '\0')
    {
      g_string_append_c (out, ' ');
      append_lines (out, separator, " ");
    }
  g_string_append (out, newline);

  /* the user's comments, one line each, as they were written */
  for (guint i = 0; i < self->comments->len; i++)
    {
      const char *comment = g_ptr_array_index (self->comments, i);

      append_lines (out, comment, " ");
      g_string_append (out, newline);
    }

  /* httpyac and REST Client name a request by `@name` only, and only plain words can be
   * referred to as {{name.…}}. */
  if (is_plain_name (name) && !has_name_directive)
    g_string_append_printf (out, "# @name %s%s", name, newline);

  for (guint i = 0; i < self->directives->len; i++)
    {
      const LadleHttpDirective *directive = g_ptr_array_index (self->directives, i);

      g_string_append (out, "# @");
      append_lines (out, directive->name, " ");
      if (directive->argument != NULL && directive->argument[0] != '\0')
        {
          /* `# @name =x` would read as "x": an argument that starts with `=` follows one. */
          g_string_append_c (out, directive->argument[0] == '=' ? '=' : ' ');
          append_lines (out, directive->argument, " ");
        }
      g_string_append (out, newline);
    }

  for (guint i = 0; i < self->variables->len; i++)
    {
      const LadleHttpVariable *variable = g_ptr_array_index (self->variables, i);

      g_string_append_c (out, '@');
      append_lines (out, variable->name, " ");
      g_string_append (out, " = ");
      append_lines (out, variable->value, " ");
      g_string_append (out, newline);
    }

  for (guint i = 0; i < self->scripts->len; i++)
    {
      const LadleHttpScript *script = g_ptr_array_index (self->scripts, i);

      if (script_goes_before (self, script))
        append_script (out, script, newline);
      else
        has_after = TRUE;
    }

  g_string_append (out, self->method != NULL && self->method[0] != '\0' ? self->method : "GET");
  g_string_append_c (out, ' ');
  append_lines (out, self->url != NULL ? self->url : "", " ");
  if (self->http_version != NULL && self->http_version[0] != '\0')
    g_string_append_printf (out, " %s", self->http_version);
  g_string_append (out, newline);

  for (guint i = 0; i < self->headers->len; i++)
    {
      const LadleHttpHeader *header = g_ptr_array_index (self->headers, i);

      append_lines (out, header->name, " ");
      g_string_append (out, ": ");
      append_lines (out, header->value, " ");
      g_string_append (out, newline);
    }

  body = body_to_lines (self);
  if (body->len > 0)
    {
      g_string_append (out, newline);
      for (guint i = 0; i < body->len; i++)
        {
          g_string_append (out, g_ptr_array_index (body, i));
          g_string_append (out, newline);
        }
    }

  if (self->assertions->len > 0 || has_after)
    g_string_append (out, newline);

  for (guint i = 0; i < self->scripts->len; i++)
    {
      const LadleHttpScript *script = g_ptr_array_index (self->scripts, i);

      if (!script_goes_before (self, script))
        append_script (out, script, newline);
    }

  for (guint i = 0; i < self->assertions->len; i++)
    {
      const LadleHttpAssertLine *assertion = g_ptr_array_index (self->assertions, i);

      g_string_append (out, "?? ");
      append_lines (out, assertion->text, " ");
      g_string_append (out, newline);
    }

  g_string_append (out, newline);
  return g_string_free (out, FALSE);
}

static gboolean
has_header (LadleHttpEntry *entry,
            const char     *name)
{
  for (guint i = 0; i < entry->headers->len; i++)
    {
      const LadleHttpHeader *header = g_ptr_array_index (entry->headers, i);

      if (g_ascii_strcasecmp (header->name, name) == 0)
        return TRUE;
    }

  return FALSE;
}

static char *
seconds_text (double seconds)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%g", seconds));
}

static char *
form_escape (const char *text)
{
  return g_uri_escape_string (text != NULL ? text : "", NULL, FALSE);
}

/* The transport settings (issue 14) as the directives ladle-http-vars.c reads: httpyac's @proxy
 * and @no-proxy, curl's words for the rest. Secrets are written as they are held: a {{variable}}
 * stays one (the README recommends them for passphrases and proxy passwords). */
static void
add_transport_directives (LadleHttpEntry *entry,
                          LadleRequest   *request)
{
  const char *cert = ladle_request_get_tls_cert_file (request);
  const char *key = ladle_request_get_tls_key_file (request);
  const char *passphrase = ladle_request_get_tls_cert_password (request);
  const char *ca = ladle_request_get_tls_ca_file (request);
  const char *no_proxy = ladle_request_get_no_proxy (request);
  const char *user = ladle_request_get_proxy_username (request);
  const char *password = ladle_request_get_proxy_password (request);

  switch (ladle_request_get_proxy_mode (request))
    {
    case LADLE_PROXY_MANUAL:
      if (ladle_request_get_proxy_url (request) != NULL &&
          *ladle_request_get_proxy_url (request) != '\0')
        ladle_http_entry_add_directive (entry, "proxy", ladle_request_get_proxy_url (request));
      if (user != NULL && *user != '\0')
        {
          g_autofree char *pair = password != NULL && *password != '\0'
                                  ? g_strconcat (user, ":", password, NULL) : g_strdup (user);

          ladle_http_entry_add_directive (entry, "proxy-user", pair);
          memset (pair, 0, strlen (pair));
        }
      break;
    case LADLE_PROXY_NONE:
      ladle_http_entry_add_directive (entry, "no-proxy", NULL);
      break;
    case LADLE_PROXY_SYSTEM:
    default:
      break;
    }
  if (ladle_request_get_proxy_mode (request) != LADLE_PROXY_NONE && no_proxy != NULL &&
      *no_proxy != '\0')
    ladle_http_entry_add_directive (entry, "no-proxy", no_proxy);
  if (ladle_request_get_http_version (request) == LADLE_HTTP_VERSION_1_1)
    ladle_http_entry_add_directive (entry, "http1.1", NULL);
  if (cert != NULL && *cert != '\0')
    {
      ladle_http_entry_add_directive (entry, "cert", cert);
      if (key != NULL && *key != '\0')
        ladle_http_entry_add_directive (entry, "key", key);
      if (passphrase != NULL && *passphrase != '\0')
        ladle_http_entry_add_directive (entry, "cert-passphrase", passphrase);
    }
  if (ca != NULL && *ca != '\0')
    ladle_http_entry_add_directive (entry, "cacert", ca);
}

/* "{{PREFIX_name}}" (a whole value that is one variable of httpyac's OAuth 2.0 settings):
 * PREFIX; else NULL. */
static char *
oauth2_reference_prefix (const char *value,
                         const char *name)
{
  g_autofree char *inner = NULL;
  gsize length = strlen (value);
  gsize name_length = strlen (name);
  gsize prefix_length;

  if (length < 4 || !g_str_has_prefix (value, "{{") || !g_str_has_suffix (value, "}}"))
    return NULL;
  inner = g_strstrip (g_strndup (value + 2, length - 4));
  length = strlen (inner);
  if (length <= name_length + 1 || strcmp (inner + length - name_length, name) != 0 ||
      inner[length - name_length - 1] != '_')
    return NULL;
  prefix_length = length - name_length - 1;
  for (gsize i = 0; i < prefix_length; i++)
    if (!g_ascii_isalnum (inner[i]) && inner[i] != '_' && inner[i] != '-' && inner[i] != '.')
      return NULL;
  return g_strndup (inner, prefix_length);
}

/* httpyac's `Authorization: oauth2 GRANT [PREFIX]`, read back by ladle-http-vars.c, with the
 * settings as request variables PREFIX_tokenEndpoint…; a setting that is {{PREFIX_name}} itself
 * is left to the environment. The client secret and the password are written only when they are
 * a {{variable}}: a secret typed in is never written into the file. */
static void
add_oauth2 (LadleHttpEntry *entry,
            LadleRequest   *request)
{
  static const char * const grant_names[] = { "client_credentials", "password",
                                              "authorization_code", "device_code" };
  LadleOauth2Grant grant = ladle_request_get_oauth2_grant (request);
  struct
  {
    const char *name;
    const char *value;
    gboolean    secret;
  } settings[] = {
    { "tokenEndpoint", ladle_request_get_oauth2_token_url (request), FALSE },
    { "authorizationEndpoint", grant == LADLE_OAUTH2_GRANT_AUTHORIZATION_CODE
                               ? ladle_request_get_oauth2_auth_url (request) : NULL, FALSE },
    { "deviceCodeEndpoint", grant == LADLE_OAUTH2_GRANT_DEVICE_CODE
                            ? ladle_request_get_oauth2_device_url (request) : NULL, FALSE },
    { "clientId", ladle_request_get_oauth2_client_id (request), FALSE },
    { "clientSecret", ladle_request_get_oauth2_client_secret (request), TRUE },
    { "scope", ladle_request_get_oauth2_scope (request), FALSE },
    { "username", grant == LADLE_OAUTH2_GRANT_PASSWORD
                  ? ladle_request_get_auth_username (request) : NULL, FALSE },
    { "password", grant == LADLE_OAUTH2_GRANT_PASSWORD
                  ? ladle_request_get_auth_password (request) : NULL, TRUE },
  };
  g_autofree char *prefix = NULL;
  g_autofree char *header = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (settings) && prefix == NULL; i++)
    if (settings[i].value != NULL && settings[i].value[0] != '\0')
      prefix = oauth2_reference_prefix (settings[i].value, settings[i].name);
  if (prefix == NULL)
    prefix = g_strdup ("oauth2");

  header = g_strdup_printf ("oauth2 %s%s%s",
                            grant_names[(guint) grant < G_N_ELEMENTS (grant_names) ? grant : 0],
                            strcmp (prefix, "oauth2") != 0 ? " " : "",
                            strcmp (prefix, "oauth2") != 0 ? prefix : "");
  ladle_http_entry_add_header (entry, "Authorization", header);

  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      const char *value = settings[i].value;
      g_autofree char *own = NULL;
      g_autofree char *variable = NULL;

      if (value == NULL || value[0] == '\0')
        continue;
      own = oauth2_reference_prefix (value, settings[i].name);
      if (own != NULL && strcmp (own, prefix) == 0)
        continue;
      if (settings[i].secret &&
          !(g_str_has_prefix (value, "{{") && g_str_has_suffix (value, "}}") &&
            strstr (value + 2, "{{") == NULL))
        continue;
      variable = g_strconcat (prefix, "_", settings[i].name, NULL);
      ladle_http_entry_add_variable (entry, variable, value);
    }
  if (grant == LADLE_OAUTH2_GRANT_AUTHORIZATION_CODE && ladle_request_get_oauth2_pkce (request))
    {
      g_autofree char *variable = g_strconcat (prefix, "_usePkce", NULL);

      ladle_http_entry_add_variable (entry, variable, "true");
    }
}

LadleHttpEntry *
ladle_http_entry_new_from_request (LadleRequest *request,
                                   const char   *name)
{
  LadleHttpEntry *entry = ladle_http_entry_new ();
  g_autofree char *url = ladle_request_dup_url_as_typed (request);
  GListModel *headers = G_LIST_MODEL (ladle_request_get_headers (request));
  GListModel *form = G_LIST_MODEL (ladle_request_get_form (request));
  LadleBodyKind kind = ladle_request_get_body_kind (request);
  const char *content_type = NULL;

  g_free (entry->method);
  entry->method = g_strdup (ladle_request_get_method (request));
  g_free (entry->url);
  entry->url = g_strdup (url != NULL ? url : ladle_request_get_url (request));
  entry->name = g_strdup (name);

  if (!ladle_request_get_follow_redirects (request))
    ladle_http_entry_add_directive (entry, "no-redirect", NULL);
  else if (ladle_request_get_max_redirects (request) != LADLE_REQUEST_DEFAULT_MAX_REDIRECTS)
    {
      g_autofree char *text = g_strdup_printf ("%u", ladle_request_get_max_redirects (request));

      ladle_http_entry_add_directive (entry, "max-redirects", text);
    }
  if (!ladle_request_get_use_cookies (request))
    ladle_http_entry_add_directive (entry, "no-cookie-jar", NULL);
  if (ladle_request_get_connect_timeout (request) > 0)
    {
      g_autofree char *text = seconds_text (ladle_request_get_connect_timeout (request));

      ladle_http_entry_add_directive (entry, "connection-timeout", text);
    }
  if (ladle_request_get_idle_timeout (request) > 0)
    {
      g_autofree char *text = seconds_text (ladle_request_get_idle_timeout (request));

      ladle_http_entry_add_directive (entry, "timeout", text);
    }
  if (ladle_request_get_total_timeout (request) > 0)
    {
      g_autofree char *text = seconds_text (ladle_request_get_total_timeout (request));

      ladle_http_entry_add_directive (entry, "total-timeout", text);
    }
  if (!ladle_request_get_verify_tls (request))
    ladle_http_entry_add_directive (entry, "insecure", NULL);
  add_transport_directives (entry, request);

  for (guint i = 0, n = g_list_model_get_n_items (headers); i < n; i++)
    {
      g_autoptr(LadleKeyValue) kv = g_list_model_get_item (headers, i);
      const char *header_name = ladle_key_value_get_name (kv);

      if (ladle_key_value_get_enabled (kv) && header_name != NULL && header_name[0] != '\0')
        ladle_http_entry_add_header (entry, header_name, ladle_key_value_get_value (kv));
    }

  switch (ladle_request_get_auth_kind (request))
    {
    case LADLE_AUTH_BASIC:
      if (!has_header (entry, "Authorization"))
        {
          g_autofree char *pair = g_strconcat (ladle_request_get_auth_username (request) ?: "", ":",
                                               ladle_request_get_auth_password (request) ?: "",
                                               NULL);
          g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
          g_autofree char *value = g_strconcat ("Basic ", encoded, NULL);

          ladle_http_entry_add_header (entry, "Authorization", value);
        }
      break;
    case LADLE_AUTH_BEARER:
      if (!has_header (entry, "Authorization"))
        {
          g_autofree char *value = g_strconcat ("Bearer ",
                                                ladle_request_get_auth_token (request) ?: "",
                                                NULL);

          ladle_http_entry_add_header (entry, "Authorization", value);
        }
      break;
    case LADLE_AUTH_DIGEST:
      /* JetBrains' and httpyac's shorthand, read back by ladle-http-vars.c: "Digest user
       * password", or "Digest user:password" when the blank form would not read back */
      if (!has_header (entry, "Authorization"))
        {
          const char *user = ladle_request_get_auth_username (request) ?: "";
          const char *password = ladle_request_get_auth_password (request) ?: "";
          gboolean blank_form = user[0] != '\0' && strpbrk (user, ": \t") == NULL &&
                                password[0] != '\0' && password[0] != ' ' && password[0] != '\t';
          g_autofree char *value = g_strconcat ("Digest ", user, blank_form ? " " : ":", password,
                                                NULL);

          ladle_http_entry_add_header (entry, "Authorization", value);
        }
      break;
    case LADLE_AUTH_API_KEY:
      /* A header row, or the key in the URL (written as the effective URL) */
      if (ladle_request_get_auth_key_in (request) == LADLE_API_KEY_IN_HEADER &&
          !has_header (entry, ladle_request_get_auth_key_name (request)))
        ladle_http_entry_add_header (entry, ladle_request_get_auth_key_name (request),
                                     ladle_request_get_auth_key_value (request) ?: "");
      break;
    case LADLE_AUTH_OAUTH2:
      if (!has_header (entry, "Authorization"))
        add_oauth2 (entry, request);
      break;
    case LADLE_AUTH_NONE:
    default:
      break;
    }

  switch (kind)
    {
    case LADLE_BODY_NONE:
      break;

    case LADLE_BODY_JSON:
      content_type = "application/json";
      ladle_http_entry_add_body_part (entry, LADLE_HTTP_PART_TEXT,
                                      ladle_request_get_body_text (request));
      break;

    case LADLE_BODY_TEXT:
      content_type = ladle_request_get_body_content_type (request);
      ladle_http_entry_add_body_part (entry, LADLE_HTTP_PART_TEXT,
                                      ladle_request_get_body_text (request));
      break;

    case LADLE_BODY_FILE:
      content_type = ladle_request_get_body_content_type (request);
      ladle_http_entry_add_body_part (entry, LADLE_HTTP_PART_FILE,
                                      ladle_request_get_body_file (request));
      break;

    case LADLE_BODY_FORM:
      {
        g_autoptr(GString) text = g_string_new (NULL);

        content_type = "application/x-www-form-urlencoded";
        for (guint i = 0, n = g_list_model_get_n_items (form); i < n; i++)
          {
            g_autoptr(LadleKeyValue) kv = g_list_model_get_item (form, i);
            g_autofree char *field = NULL;
            g_autofree char *value = NULL;

            if (!ladle_key_value_get_enabled (kv))
              continue;
            field = form_escape (ladle_key_value_get_name (kv));
            value = form_escape (ladle_key_value_get_value (kv));
            g_string_append_printf (text, "%s%s=%s", text->len > 0 ? "&" : "", field, value);
          }
        ladle_http_entry_add_body_part (entry, LADLE_HTTP_PART_TEXT, text->str);
      }
      break;

    case LADLE_BODY_MULTIPART:
      {
        /* Written out as lines with a boundary of our own, files as `< path` lines; joined as
         * httpyac joins them (CRLF, a line break on either side of each file). */
        const char *boundary = "LadleBoundary7MA4YWxkTrZu0gW";
        g_autoptr(GArray) items = g_array_new (FALSE, TRUE, sizeof (BodyItem));
        g_autofree char *type = g_strconcat ("multipart/form-data; boundary=", boundary, NULL);

        g_array_set_clear_func (items, body_item_clear);
        if (!has_header (entry, "Content-Type"))
          ladle_http_entry_add_header (entry, "Content-Type", type);

        for (guint i = 0, n = g_list_model_get_n_items (form); i < n; i++)
          {
            g_autoptr(LadleKeyValue) kv = g_list_model_get_item (form, i);
            const char *value = ladle_key_value_get_value (kv);

            if (!ladle_key_value_get_enabled (kv))
              continue;

            body_items_add_line (items, g_strdup_printf ("--%s", boundary));
            if (ladle_key_value_get_is_file (kv))
              {
                g_autofree char *base = g_path_get_basename (value != NULL ? value : "");
                const char *part_type = ladle_key_value_get_content_type (kv);
                BodyItem file = { LADLE_HTTP_PART_FILE, g_strdup (value != NULL ? value : ""),
                                  NULL, 0 };

                body_items_add_line (items,
                                     g_strdup_printf ("Content-Disposition: form-data; "
                                                      "name=\"%s\"; filename=\"%s\"",
                                                      ladle_key_value_get_name (kv), base));
                if (part_type != NULL && part_type[0] != '\0')
                  body_items_add_line (items, g_strdup_printf ("Content-Type: %s", part_type));
                body_items_add_line (items, g_strdup (""));
                g_array_append_val (items, file);
              }
            else
              {
                g_auto(GStrv) lines = g_strsplit (value != NULL ? value : "", "\n", -1);

                body_items_add_line (items,
                                     g_strdup_printf ("Content-Disposition: form-data; "
                                                      "name=\"%s\"",
                                                      ladle_key_value_get_name (kv)));
                body_items_add_line (items, g_strdup (""));
                for (guint k = 0; lines[k] != NULL; k++)
                  body_items_add_line (items, g_strdup (lines[k]));
              }
          }
        body_items_add_line (items, g_strdup_printf ("--%s--", boundary));
        body_items_to_parts (items, BODY_MULTIPART, entry->body);
      }
      break;

    case LADLE_BODY_PARTS:
      content_type = ladle_request_get_body_content_type (request);
      for (guint i = 0, n = g_list_model_get_n_items (form); i < n; i++)
        {
          g_autoptr(LadleKeyValue) kv = g_list_model_get_item (form, i);

          if (ladle_key_value_get_enabled (kv))
            ladle_http_entry_add_body_part (entry,
                                            ladle_key_value_get_is_file (kv)
                                              ? LADLE_HTTP_PART_FILE : LADLE_HTTP_PART_TEXT,
                                            ladle_key_value_get_value (kv));
        }
      break;

    default:
      g_assert_not_reached ();
    }

  if (content_type != NULL && content_type[0] != '\0' && !has_header (entry, "Content-Type"))
    ladle_http_entry_add_header (entry, "Content-Type", content_type);

  return entry;
}

static char *
entry_body_bytes (const LadleHttpEntry *entry)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < entry->body->len; i++)
    {
      const LadleHttpBodyPart *part = g_ptr_array_index (entry->body, i);

      /* what the format cannot keep, and what it may not: line breaks' kind, and blank lines
       * and spaces at the body's ends */
      g_autoptr(GString) text = g_string_new (part->text);

      g_string_replace (text, "\r\n", "\n", 0);
      g_string_append_printf (out, "%d:%s\n", part->kind, g_strstrip (text->str));
    }

  return g_strstrip (g_string_free (out, FALSE));
}

char *
ladle_http_entry_format_checked (const LadleHttpEntry  *self,
                                 const char            *newline,
                                 GError               **error)
{
  g_autofree char *text = ladle_http_entry_format (self, newline);
  g_autoptr(LadleHttpFile) back = ladle_http_file_parse (NULL, text, -1);
  GPtrArray *entries = ladle_http_file_get_entries (back);
  const LadleHttpEntry *read;
  g_autofree char *body = NULL;
  g_autofree char *body_back = NULL;
  const char *what = NULL;

  if (entries->len != 1)
    what = _("a line of the body would start another request (a line starting with “###”, or a "
             "request line after a blank line)");
  else
    {
      read = g_ptr_array_index (entries, 0);
      body = entry_body_bytes (self);
      body_back = entry_body_bytes (read);

      if (g_strcmp0 (read->method, self->method) != 0 || g_strcmp0 (read->url, self->url) != 0)
        what = _("the method or the URL would read differently (a line break or a space in them?)");
      else if (read->headers->len != self->headers->len)
        what = _("a header would read differently (a line break in it, or a name with a colon?)");
      else if (strcmp (body, body_back) != 0)
        what = _("a line of the body would read as something else (“??”, “> {%”, “< ./file”…)");
    }

  if (what != NULL)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                   _("This request cannot be written in a .http file as it is: %s. Keep such a "
                     "body in a file of its own and send it with “< ./file”."), what);
      return NULL;
    }

  return g_steal_pointer (&text);
}

/* Files */

static LadleHttpFile *
file_new (const char *path,
          GBytes     *text)
{
  LadleHttpFile *self = g_atomic_rc_box_new0 (LadleHttpFile);

  self->path = g_strdup (path);
  self->text = g_bytes_ref (text);
  self->newline = g_strdup ("\n");
  self->variables = g_ptr_array_new_with_free_func (variable_free);
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) ladle_http_entry_unref);
  self->diagnostics = g_ptr_array_new_with_free_func (diagnostic_free);
  return self;
}

static void
file_clear (LadleHttpFile *self)
{
  g_free (self->path);
  g_bytes_unref (self->text);
  g_free (self->newline);
  g_ptr_array_unref (self->variables);
  g_ptr_array_unref (self->entries);
  g_ptr_array_unref (self->diagnostics);
}

static guint
count_lines (const char *text,
             gsize       length)
{
  guint lines = 0;

  for (gsize i = 0; i < length; i++)
    if (text[i] == '\n')
      lines++;

  return lines;
}

LadleHttpFile *
ladle_http_file_new_from_entries (const char *path,
                                  GPtrArray  *variables,
                                  GPtrArray  *entries,
                                  const char *newline)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func ((GDestroyNotify) ladle_http_entry_unref);
  g_autoptr(GPtrArray) kept_variables = g_ptr_array_new_with_free_func (variable_free);
  LadleHttpFile *self;

  if (newline == NULL)
    newline = "\n";

  for (guint i = 0; variables != NULL && i < variables->len; i++)
    {
      const LadleHttpVariable *variable = g_ptr_array_index (variables, i);
      guint line = count_lines (text->str, text->len) + 1;

      g_ptr_array_add (kept_variables, variable_new (variable->name, variable->value, line));
      g_string_append_printf (text, "@%s = %s%s", variable->name, variable->value, newline);
    }
  if (text->len > 0)
    g_string_append (text, newline);

  for (guint i = 0; i < entries->len; i++)
    {
      LadleHttpEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *region = ladle_http_entry_format (entry, newline);

      entry->start = text->len;
      entry->first_line = count_lines (text->str, text->len) + 1;
      g_string_append (text, region);
      entry->end = text->len;
      g_ptr_array_add (kept, ladle_http_entry_ref (entry));
    }

  bytes = g_bytes_new (text->str, text->len);
  self = file_new (path, bytes);
  g_free (self->newline);
  self->newline = g_strdup (newline);
  g_ptr_array_extend_and_steal (self->variables, g_steal_pointer (&kept_variables));
  g_ptr_array_extend_and_steal (self->entries, g_steal_pointer (&kept));
  return self;
}

LadleHttpFile *
ladle_http_file_ref (LadleHttpFile *self)
{
  return g_atomic_rc_box_acquire (self);
}

void
ladle_http_file_unref (LadleHttpFile *self)
{
  g_atomic_rc_box_release_full (self, (GDestroyNotify) file_clear);
}

const char *
ladle_http_file_get_path (LadleHttpFile *self)
{
  return self->path;
}

GBytes *
ladle_http_file_get_text (LadleHttpFile *self)
{
  return self->text;
}

const char *
ladle_http_file_get_newline (LadleHttpFile *self)
{
  return self->newline;
}

GPtrArray *
ladle_http_file_get_variables (LadleHttpFile *self)
{
  return self->variables;
}

GPtrArray *
ladle_http_file_get_entries (LadleHttpFile *self)
{
  return self->entries;
}

GPtrArray *
ladle_http_file_get_diagnostics (LadleHttpFile *self)
{
  return self->diagnostics;
}

gboolean
ladle_http_file_check (LadleHttpFile  *self,
                       GError        **error)
{
  const LadleHttpDiagnostic *first;

  if (self->diagnostics->len == 0)
    return TRUE;

  first = g_ptr_array_index (self->diagnostics, 0);
  g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, "%s:%u:%u: %s",
               self->path != NULL ? self->path : "-", first->line, first->column,
               first->message);
  return FALSE;
}

LadleHttpEntry *
ladle_http_file_find_entry (LadleHttpFile *self,
                            const char    *name)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      LadleHttpEntry *entry = g_ptr_array_index (self->entries, i);

      if (g_strcmp0 (entry->name, name) == 0)
        return entry;
    }

  return NULL;
}

/* The parser
 *
 * One pass over the lines: a `###` line closes a region and opens the next; each region is then
 * read from its lines (preamble, request line, headers, body). Blocks (`{% … %}`, `{{ … }}`) never
 * cross a `###` line, so a block left open ends with its region. Every step looks at each byte a
 * bounded number of times. */

#define MAX_DIAGNOSTICS 1000
#define MAX_FILE_SIZE ((goffset) 64 * 1024 * 1024)

typedef struct
{
  gsize  start;                 /* the first byte of the line's text */
  gsize  end;                   /* after its last byte, before "\n" or "\r\n" */
  guint  number;
} Line;

typedef struct
{
  LadleHttpFile *file;
  const char    *text;
  gsize          length;
} Parser;

/* Columns count characters: every byte that does not continue a UTF-8 sequence. */
static guint
column_at (Parser     *parser,
           const Line *line,
           gsize       offset)
{
  guint column = 1;

  for (gsize i = line->start; i < offset && i < line->end; i++)
    if (((guchar) parser->text[i] & 0xC0) != 0x80)
      column++;

  return column;
}

static void G_GNUC_PRINTF (4, 5)
add_diagnostic (Parser     *parser,
                guint       line,
                guint       column,
                const char *format,
                ...)
{
  GPtrArray *diagnostics = parser->file->diagnostics;
  LadleHttpDiagnostic *diagnostic;
  va_list args;

  if (diagnostics->len > MAX_DIAGNOSTICS)
    return;

  diagnostic = g_new0 (LadleHttpDiagnostic, 1);
  diagnostic->line = line;
  diagnostic->column = column;
  if (diagnostics->len == MAX_DIAGNOSTICS)
    diagnostic->message = g_strdup (_("too many problems; the rest are not shown"));
  else
    {
      va_start (args, format);
      diagnostic->message = g_strdup_vprintf (format, args);
      va_end (args);
    }
  g_ptr_array_add (diagnostics, diagnostic);
}

/* A copy of @length bytes as valid UTF-8 (invalid bytes and NULs become U+FFFD). */
static char *
text_dup (const char *text,
          gsize       length)
{
  if (g_utf8_validate_len (text, length, NULL))
    return g_strndup (text, length);
  return g_utf8_make_valid (text, length);
}

static char *
text_dup_trimmed (const char *start,
                  const char *end)
{
  while (start < end && g_ascii_isspace (*start))
    start++;
  while (end > start && g_ascii_isspace (end[-1]))
    end--;
  return text_dup (start, end - start);
}

/* A diagnostic for the first byte of each line that is not UTF-8 text. */
static void
check_encoding (Parser *parser)
{
  const char *text = parser->text;
  gsize length = parser->length;
  gsize pos = 0;
  guint line = 1;

  while (pos < length)
    {
      const char *bad = NULL;
      const char *line_end;
      gsize bad_offset;
      guint column;

      if (g_utf8_validate_len (text + pos, length - pos, &bad))
        return;

      bad_offset = bad - text;
      /* The line of the bad byte, counting from @pos, which starts a line. */
      for (;;)
        {
          const char *nl = memchr (text + pos, '\n', bad_offset - pos);

          if (nl == NULL)
            break;
          line++;
          pos = nl - text + 1;
        }
      column = g_utf8_strlen (text + pos, bad_offset - pos) + 1;
      if (*bad == '\0')
        add_diagnostic (parser, line, column,
                        _("a NUL byte: a .http file is text, and this looks like a binary file"));
      else
        add_diagnostic (parser, line, column,
                        _("this is not UTF-8 text (byte 0x%02X): save the file as UTF-8"),
                        (guchar) *bad);

      line_end = memchr (bad, '\n', length - bad_offset);
      if (line_end == NULL)
        return;
      pos = line_end - text + 1;
      line++;
    }
}

static const char *
skip_space (const char *p,
            const char *end)
{
  while (p < end && g_ascii_isspace (*p))
    p++;
  return p;
}

/* The line's first character that is not a space, or NUL (the text has no NUL after it). */
static char
first_char (const char *p,
            const char *end)
{
  p = skip_space (p, end);
  return p < end ? *p : '\0';
}

static const char *
trim_end (const char *start,
          const char *end)
{
  while (end > start && g_ascii_isspace (end[-1]))
    end--;
  return end;
}

static gboolean
line_is_blank (Parser     *parser,
               const Line *line)
{
  const char *end = parser->text + line->end;

  return skip_space (parser->text + line->start, end) == end;
}

static gboolean
has_prefix (const char *p,
            const char *end,
            const char *prefix)
{
  gsize length = strlen (prefix);

  return (gsize) (end - p) >= length && memcmp (p, prefix, length) == 0;
}

/* `###…`, after optional spaces. */
static gboolean
line_is_separator (const char *p,
                   const char *end)
{
  p = skip_space (p, end);
  return has_prefix (p, end, "###");
}

/* httpyac's `{{`, `{{@response`, `{{+after`… on a line of its own. */
static gboolean
opens_inline_script (const char *p,
                     const char *end)
{
  p = skip_space (p, end);
  end = trim_end (p, end);
  if (!has_prefix (p, end, "{{"))
    return FALSE;
  p += 2;
  if (has_prefix (p, end, "@js") && p + 3 < end && g_ascii_isspace (p[3]))
    p = skip_space (p + 3, end);
  if (p < end && (*p == '+' || *p == '@'))
    p++;
  while (p < end && g_ascii_isalpha (*p))
    p++;
  return p == end;
}

static gboolean
closes_inline_script (const char *p,
                      const char *end)
{
  p = skip_space (p, end);
  end = trim_end (p, end);
  return end - p == 2 && p[0] == '}' && p[1] == '}';
}

/* `< {%` / `> {%`: the position of `{%` in the line, else NULL. */
static const char *
script_block_open (const char *p,
                   const char *end)
{
  const char *q;

  p = skip_space (p, end);
  if (p == end || (*p != '<' && *p != '>'))
    return NULL;
  q = skip_space (p + 1, end);
  if (q == p + 1 || !has_prefix (q, end, "{%"))
    return NULL;
  return q;
}

/* `< path` / `> path`: one word, no `{`, `%` or `}` (as httpyac has it). */
static gboolean
is_script_file (const char *p,
                const char *end)
{
  const char *q;

  p = skip_space (p, end);
  end = trim_end (p, end);
  if (p == end || (*p != '<' && *p != '>'))
    return FALSE;
  q = skip_space (p + 1, end);
  if (q == p + 1 || q == end)
    return FALSE;
  for (; q < end; q++)
    if (g_ascii_isspace (*q) || *q == '{' || *q == '%' || *q == '}')
      return FALSE;
  return TRUE;
}

/* `>> file`, `>>! file`, `<> file`. */
static gboolean
is_other_script (const char *p,
                 const char *end)
{
  const char *q;

  p = skip_space (p, end);
  if (has_prefix (p, end, ">>!"))
    q = p + 3;
  else if (has_prefix (p, end, ">>") || has_prefix (p, end, "<>"))
    q = p + 2;
  else
    return FALSE;
  if (has_prefix (p, end, "<>"))
    return trim_end (q, end) > skip_space (q, end);
  return q < end && g_ascii_isspace (*q) && trim_end (q, end) > skip_space (q, end);
}

static gboolean
is_assertion (const char *p,
              const char *end)
{
  p = skip_space (p, end);
  return has_prefix (p, end, "??");
}

static gboolean
is_comment (const char *p,
            const char *end)
{
  p = skip_space (p, end);
  return has_prefix (p, end, "#") || has_prefix (p, end, "//");
}

typedef struct
{
  Parser         *parser;
  const Line     *lines;
  guint           n_lines;
  LadleHttpEntry *entry;
  gboolean        has_request;
  GArray         *body;         /* BodyItem */
} Region;

static LadleHttpScript *
script_new (LadleHttpScriptKind  kind,
            char                *text,
            guint                line)
{
  LadleHttpScript *script = g_new0 (LadleHttpScript, 1);

  script->kind = kind;
  script->text = text;
  script->line = line;
  return script;
}

/* Reads the block that starts at line @i (a `{% … %}` or `{{ … }}` script, or one line) as a
 * script of @kind; returns the index of its last line. */
static guint
read_script (Region              *region,
             guint                i,
             LadleHttpScriptKind  kind)
{
  Parser *parser = region->parser;
  const char *text = parser->text;
  const Line *line = &region->lines[i];
  const char *p = text + line->start;
  const char *end = text + line->end;
  const char *open = NULL;
  gboolean inline_block = FALSE;
  guint last = i;

  if (kind == LADLE_HTTP_SCRIPT_INLINE)
    {
      inline_block = TRUE;
      open = skip_space (p, end);
    }
  else if (kind != LADLE_HTTP_SCRIPT_OTHER)
    {
      open = script_block_open (p, end);
      /* `> {% … %}` on one line */
      if (open != NULL && trim_end (open + 2, end) - (open + 2) >= 2
          && ends_with_close (open + 2, end - (open + 2), "%}"))
        open = NULL;
    }

  if (open != NULL)
    {
      guint j;

      for (j = i + 1; j < region->n_lines; j++)
        {
          const Line *next = &region->lines[j];
          const char *q = text + next->start;
          const char *q_end = text + next->end;

          if (inline_block ? closes_inline_script (q, q_end)
                           : ends_with_close (q, q_end - q, "%}"))
            break;
        }

      if (j < region->n_lines)
        last = j;
      else
        {
          /* Left open: it ends with the region's last line that is not blank. */
          last = region->n_lines - 1;
          while (last > i && line_is_blank (parser, &region->lines[last]))
            last--;
          add_diagnostic (parser, line->number, column_at (parser, line, open - text),
                          inline_block
                            ? _("this “{{” block is not closed: it ends with a line “}}”")
                            : _("this “{%%” block is not closed: it ends with a line that ends "
                                "with “%%}”"));
        }
    }

  if (region->entry != NULL)
    g_ptr_array_add (region->entry->scripts,
                     script_new (kind, text_dup (p, text + region->lines[last].end - p),
                                 line->number));
  return last;
}

static void
read_assertion (Region     *region,
                const Line *line)
{
  Parser *parser = region->parser;
  const char *end = parser->text + line->end;
  const char *p = skip_space (parser->text + line->start, end) + 2;
  LadleHttpAssertLine *assertion;

  if (region->entry == NULL)
    return;

  p = skip_space (p, end);
  assertion = g_new0 (LadleHttpAssertLine, 1);
  assertion->text = text_dup_trimmed (p, end);
  assertion->line = line->number;
  assertion->column = column_at (parser, line, p - parser->text);
  g_ptr_array_add (region->entry->assertions, assertion);
}

/* `# comment`, `// comment`, `# @word argument`, `# @name=login`. */
static void
read_comment (Region     *region,
              const Line *line)
{
  Parser *parser = region->parser;
  const char *end = parser->text + line->end;
  const char *p = skip_space (parser->text + line->start, end);
  const char *name;
  LadleHttpDirective *directive;

  if (*p == '#')
    while (p < end && *p == '#')
      p++;
  else
    while (p < end && *p == '/')
      p++;
  p = skip_space (p, end);
  if (region->entry == NULL)
    return;
  if (p == end || *p != '@')
    {
      /* a plain comment: kept with the request, so that saving it keeps it */
      g_ptr_array_add (region->entry->comments,
                       text_dup (parser->text + line->start,
                                 trim_end (parser->text + line->start, end)
                                 - (parser->text + line->start)));
      return;
    }

  name = ++p;
  while (p < end && !g_ascii_isspace (*p) && *p != '=')
    p++;
  if (p == name)
    return;

  directive = g_new0 (LadleHttpDirective, 1);
  directive->name = text_dup (name, p - name);
  directive->line = line->number;
  p = skip_space (p, end);
  if (p < end && *p == '=')
    p = skip_space (p + 1, end);
  if (trim_end (p, end) > p)
    directive->argument = text_dup_trimmed (p, end);
  g_ptr_array_add (region->entry->directives, directive);
}

/* `@name = value` (also httpyac's `@name := value`). */
static void
read_variable (Region     *region,
               const Line *line,
               GPtrArray  *variables)
{
  Parser *parser = region->parser;
  const char *end = parser->text + line->end;
  const char *start = skip_space (parser->text + line->start, end);
  const char *name = start + 1;
  const char *p = name;
  LadleHttpVariable *variable;

  while (p < end && !g_ascii_isspace (*p) && *p != '=' && *p != ':')
    p++;
  if (p == name)
    {
      add_diagnostic (parser, line->number, column_at (parser, line, name - parser->text),
                      _("a variable needs a name: “@name = value”"));
      return;
    }

  variable = g_new0 (LadleHttpVariable, 1);
  variable->name = text_dup (name, p - name);
  variable->line = line->number;
  p = skip_space (p, end);
  if (p < end && *p == ':')
    p++;
  p++;                          /* the `=`, which the caller found */
  variable->value = text_dup_trimmed (MIN (p, end), end);
  g_ptr_array_add (variables, variable);
}

static gboolean
starts_with_at (const char *p,
                const char *end)
{
  p = skip_space (p, end);
  return p < end && *p == '@';
}

/* `@name = value`, `@name := value`: as read_variable() reads it. */
static gboolean
is_variable (const char *p,
             const char *end)
{
  p = skip_space (p, end);
  if (p == end || *p != '@')
    return FALSE;
  for (p++; p < end && !g_ascii_isspace (*p) && *p != '=' && *p != ':'; p++)
    ;
  p = skip_space (p, end);
  if (p < end && *p == ':')
    p++;
  return p < end && *p == '=';
}

static gboolean
is_method (const char *p,
           const char *end)
{
  if (p == end || !g_ascii_isupper (*p))
    return FALSE;
  for (; p < end; p++)
    if (!g_ascii_isupper (*p) && !g_ascii_isdigit (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

/* ` HTTP/1.1` at the end of the URL (after its continuation lines) is the version. */
static void
split_http_version (LadleHttpEntry *entry)
{
  char *url = entry->url;
  char *end = url + strlen (url);
  char *last_word = end;

  if (entry->http_version != NULL)
    return;
  while (last_word > url && !g_ascii_isspace (last_word[-1]))
    last_word--;
  if (last_word > url && g_str_has_prefix (last_word, "HTTP/") && end - last_word > 5)
    {
      entry->http_version = g_strdup (last_word);
      *last_word = '\0';
      g_strchomp (url);
    }
}

static void
read_request_line (Region     *region,
                   const Line *line)
{
  Parser *parser = region->parser;
  LadleHttpEntry *entry = region->entry;
  const char *text = parser->text;
  const char *end = trim_end (text + line->start, text + line->end);
  const char *p = skip_space (text + line->start, end);
  const char *word_end = p;
  const char *url;
  const char *url_end = end;

  while (word_end < end && !g_ascii_isspace (*word_end))
    word_end++;

  g_free (entry->method);
  if (is_method (p, word_end))
    {
      entry->method = g_strndup (p, word_end - p);
      url = skip_space (word_end, end);
      if (url == end)
        add_diagnostic (parser, line->number, column_at (parser, line, end - text),
                        _("expected a URL after the method “%s”"), entry->method);
    }
  else
    {
      entry->method = g_strdup ("GET");
      url = p;
    }

  g_free (entry->url);
  entry->url = text_dup (url, url_end - url);
  split_http_version (entry);
  entry->request_line = line->number;
  entry->url_column = column_at (parser, line, url - text);
  region->has_request = TRUE;
}

/* Adds the line to the URL: `    ?page=2`, `    &sort=name`. */
static gboolean
is_url_continuation (const char *p,
                     const char *end)
{
  p = skip_space (p, end);
  return p < end && (*p == '?' || *p == '&') && !has_prefix (p, end, "??");
}

/* JetBrains' long URLs: indented lines right after the request line (`    /api`, `    ?id=1`,
 * `    name=John&`) go on the URL; an indented `Name: value` is still a header. */
static gboolean
is_indented_url_part (const char *p,
                      const char *end)
{
  const char *q = skip_space (p, end);

  if (q == p || q == end || is_comment (q, end) || is_assertion (q, end))
    return FALSE;
  if (*q == '/' || *q == '?' || *q == '&')
    return TRUE;
  return memchr (q, ':', end - q) == NULL;
}

typedef enum
{
  HEADER_OK,
  HEADER_BAD_NAME,
  HEADER_NOT_ONE,
} HeaderResult;

static HeaderResult
read_header (Region     *region,
             const Line *line)
{
  Parser *parser = region->parser;
  const char *text = parser->text;
  const char *end = text + line->end;
  const char *p = skip_space (text + line->start, end);
  const char *colon = memchr (p, ':', end - p);
  const char *name_end;
  const char *value;
  LadleHttpHeader *header;

  if (colon == NULL)
    return HEADER_NOT_ONE;
  name_end = trim_end (p, colon);
  if (name_end == p)
    return HEADER_NOT_ONE;
  if (!ladle_http_is_token (p, name_end - p))
    {
      /* A word with a bad character is a header gone wrong; anything else (`{"a": 1}`, a
       * sentence) is a body without its blank line. */
      for (const char *q = p; q < name_end; q++)
        if (g_ascii_isspace (*q))
          return HEADER_NOT_ONE;
      if (strchr ("{[<\"'", *p) != NULL)
        return HEADER_NOT_ONE;
      {
        g_autofree char *name = text_dup (p, name_end - p);
        g_autofree char *shown = ladle_http_escape_for_display (name, -1, 80);

        add_diagnostic (parser, line->number, column_at (parser, line, p - text),
                        _("“%s” is not a valid header name: a header name is one word of "
                          "letters, digits and !#$%%&'*+-.^_`|~"), shown);
      }
      return HEADER_BAD_NAME;
    }

  value = skip_space (colon + 1, end);
  header = g_new0 (LadleHttpHeader, 1);
  header->name = g_strndup (p, name_end - p);
  header->value = text_dup_trimmed (value, end);
  header->line = line->number;
  header->value_column = column_at (parser, line, value - text);
  g_ptr_array_add (region->entry->headers, header);
  return HEADER_OK;
}

/* Whether a body line reads as anything but text. */
static gboolean
body_line_is_special (const char *p,
                      const char *end)
{
  if (line_is_separator (p, end) || opens_inline_script (p, end) || is_assertion (p, end)
      || is_other_script (p, end))
    return TRUE;
  if (first_char (p, end) == '>' && (script_block_open (p, end) != NULL || is_script_file (p, end)))
    return TRUE;
  /* `< path`, `<@ path`, `<@latin1 path` */
  if (p < end && *p == '<')
    {
      const char *q = p + 1;

      if (q < end && *q == '@')
        for (q++; q < end && (g_ascii_isalnum (*q) || *q == '_' || *q == '-'); q++)
          ;
      return q < end && g_ascii_isspace (*q) && trim_end (q, end) > skip_space (q, end);
    }
  return FALSE;
}

/* A body line: `< path`, `<@ path`, `<@latin1 path`, or text. */
static void
read_body_line (Region     *region,
                const Line *line)
{
  Parser *parser = region->parser;
  const char *p = parser->text + line->start;
  const char *end = parser->text + line->end;
  BodyItem item = { LADLE_HTTP_PART_TEXT, NULL, NULL, line->number };

  if (p < end && *p == '<')
    {
      const char *q = p + 1;
      const char *encoding = NULL;
      const char *encoding_end = NULL;

      if (q < end && *q == '@')
        {
          encoding = ++q;
          while (q < end && (g_ascii_isalnum (*q) || *q == '_' || *q == '-'))
            q++;
          encoding_end = q;
        }
      if (q < end && g_ascii_isspace (*q) && trim_end (q, end) > skip_space (q, end))
        {
          item.kind = encoding != NULL ? LADLE_HTTP_PART_FILE_EXPAND : LADLE_HTTP_PART_FILE;
          item.text = text_dup_trimmed (q, end);
          if (encoding != NULL && encoding_end > encoding)
            item.encoding = text_dup (encoding, encoding_end - encoding);
          g_array_append_val (region->body, item);
          return;
        }
    }

  item.text = text_dup (p, end - p);
  g_array_append_val (region->body, item);
}

/* The last things of a region: its body as parts, its name. */
static void
finish_entry (Region *region)
{
  LadleHttpEntry *entry = region->entry;
  GArray *body = region->body;
  const char *name;

  /* Blank lines at the end are not part of the body (nor at the start: they were skipped). */
  while (body->len > 0)
    {
      BodyItem *last = &g_array_index (body, BodyItem, body->len - 1);

      if (last->kind != LADLE_HTTP_PART_TEXT || !is_blank (last->text))
        break;
      g_array_set_size (body, body->len - 1);
    }
  body_items_to_parts (body, body_style_of (entry->headers), entry->body);
  split_http_version (entry);

  name = ladle_http_entry_get_directive (entry, "name");
  if (name != NULL && name[0] != '\0')
    entry->name = g_strdup (name);
  else if (entry->separator_name != NULL && entry->separator_name[0] != '\0')
    entry->name = g_strdup (entry->separator_name);
}

typedef enum
{
  STATE_PREAMBLE,
  STATE_HEADERS,
  STATE_BODY,
} State;

static void
parse_region (Parser     *parser,
              const Line *lines,
              guint       n_lines,
              gsize       start,
              gsize       end,
              guint       first_line,
              char       *separator_name)
{
  const char *text = parser->text;
  g_autoptr(GArray) body = NULL;
  g_autoptr(LadleHttpEntry) entry = NULL;
  g_autoptr(GPtrArray) variables = NULL;
  Region region = { parser, lines, n_lines, NULL, FALSE, NULL };
  State state = STATE_PREAMBLE;
  gboolean url_open = FALSE;    /* right after the request line: indented lines go on the URL */

  /* Nothing but blank lines (`###` after `###`): nothing to read. */
  {
    guint k = 0;

    while (k < n_lines && line_is_blank (parser, &lines[k]))
      k++;
    if (k == n_lines)
      {
        g_free (separator_name);
        return;
      }
  }

  body = g_array_new (FALSE, TRUE, sizeof (BodyItem));
  entry = ladle_http_entry_new ();
  variables = g_ptr_array_new_with_free_func (variable_free);
  region.entry = entry;
  region.body = body;
  g_array_set_clear_func (body, body_item_clear);
  entry->start = start;
  entry->end = end;
  entry->first_line = first_line;
  entry->separator_name = separator_name;

  for (guint i = 0; i < n_lines; i++)
    {
      const Line *line = &lines[i];
      const char *p = text + line->start;
      const char *e = text + line->end;

      switch (state)
        {
        case STATE_PREAMBLE:
          if (line_is_blank (parser, line))
            ;
          else if (opens_inline_script (p, e))
            i = read_script (&region, i, LADLE_HTTP_SCRIPT_INLINE);
          else if (is_comment (p, e))
            read_comment (&region, line);
          else if (is_variable (p, e))
            read_variable (&region, line, variables);
          else if (starts_with_at (p, e))
            add_diagnostic (parser, line->number,
                            column_at (parser, line, skip_space (p, e) - text),
                            _("expected a variable “@name = value”"));
          else if (is_assertion (p, e))
            read_assertion (&region, line);
          else if (is_other_script (p, e))
            i = read_script (&region, i, LADLE_HTTP_SCRIPT_OTHER);
          else if (script_block_open (p, e) != NULL || is_script_file (p, e))
            i = read_script (&region, i,
                             first_char (p, e) == '<' ? LADLE_HTTP_SCRIPT_PRE
                                                       : LADLE_HTTP_SCRIPT_POST);
          else
            {
              read_request_line (&region, line);
              state = STATE_HEADERS;
              url_open = TRUE;
            }
          break;

        case STATE_HEADERS:
          if (url_open && !is_url_continuation (p, e) && !is_indented_url_part (p, e))
            url_open = FALSE;
          if (line_is_blank (parser, line))
            state = STATE_BODY;
          else if (opens_inline_script (p, e))
            i = read_script (&region, i, LADLE_HTTP_SCRIPT_INLINE);
          else if (is_comment (p, e))
            read_comment (&region, line);
          else if (is_assertion (p, e))
            read_assertion (&region, line);
          else if (is_other_script (p, e))
            i = read_script (&region, i, LADLE_HTTP_SCRIPT_OTHER);
          else if (first_char (p, e) == '>'
                   && (script_block_open (p, e) != NULL || is_script_file (p, e)))
            i = read_script (&region, i, LADLE_HTTP_SCRIPT_POST);
          else if (is_url_continuation (p, e) || (url_open && is_indented_url_part (p, e)))
            {
              const char *q = skip_space (p, e);
              g_autofree char *more = text_dup (q, trim_end (q, e) - q);
              char *url = g_strconcat (entry->url, more, NULL);

              g_free (entry->url);
              entry->url = url;
              split_http_version (entry);
            }
          else if (read_header (&region, line) == HEADER_NOT_ONE)
            {
              add_diagnostic (parser, line->number,
                              column_at (parser, line, skip_space (p, e) - text),
                              _("expected a header “Name: value” or a blank line; a body "
                                "must follow the headers after a blank line (read as the "
                                "start of the body)"));
              state = STATE_BODY;
              i--;
            }
          break;

        case STATE_BODY:
          if (opens_inline_script (p, e))
            i = read_script (&region, i, LADLE_HTTP_SCRIPT_INLINE);
          else if (is_assertion (p, e))
            read_assertion (&region, line);
          else if (is_other_script (p, e))
            i = read_script (&region, i, LADLE_HTTP_SCRIPT_OTHER);
          else if (first_char (p, e) == '>'
                   && (script_block_open (p, e) != NULL || is_script_file (p, e)))
            i = read_script (&region, i, LADLE_HTTP_SCRIPT_POST);
          else if (body->len == 0 && line_is_blank (parser, line))
            ;
          else
            read_body_line (&region, line);
          break;

        default:
          g_assert_not_reached ();
        }
    }

  if (!region.has_request)
    {
      /* Variables alone: the file's. */
      g_ptr_array_extend_and_steal (parser->file->variables, g_steal_pointer (&variables));
      return;
    }

  g_ptr_array_extend_and_steal (entry->variables, g_steal_pointer (&variables));
  finish_entry (&region);
  g_ptr_array_add (parser->file->entries, g_steal_pointer (&entry));
}

static int
compare_diagnostics (gconstpointer a,
                     gconstpointer b)
{
  const LadleHttpDiagnostic *x = *(LadleHttpDiagnostic * const *) a;
  const LadleHttpDiagnostic *y = *(LadleHttpDiagnostic * const *) b;

  if (x->line != y->line)
    return x->line < y->line ? -1 : 1;
  if (x->column != y->column)
    return x->column < y->column ? -1 : 1;
  return 0;
}

/* In the order of the text; "too many problems" stays last. */
static void
sort_diagnostics (GPtrArray *diagnostics)
{
  gpointer too_many = NULL;

  if (diagnostics->len > MAX_DIAGNOSTICS)
    too_many = g_ptr_array_steal_index (diagnostics, diagnostics->len - 1);
  g_ptr_array_sort (diagnostics, compare_diagnostics);
  if (too_many != NULL)
    g_ptr_array_add (diagnostics, too_many);
}

LadleHttpFile *
ladle_http_file_parse (const char *path,
                       const char *text,
                       gssize      length)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (Line));
  LadleHttpFile *self;
  Parser parser;
  const char *nl;
  gsize pos = 0;
  gsize region_start = 0;
  guint region_line = 1;
  char *separator_name = NULL;
  guint number = 1;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  if (length < 0)
    length = strlen (text);
  bytes = g_bytes_new (text, length);
  self = file_new (path, bytes);
  if (length == 0)
    return self;

  parser.file = self;
  parser.text = g_bytes_get_data (self->text, NULL);
  parser.length = length;
  text = parser.text;

  nl = memchr (text, '\n', length);
  if (nl != NULL && nl > text && nl[-1] == '\r')
    {
      g_free (self->newline);
      self->newline = g_strdup ("\r\n");
    }

  check_encoding (&parser);

  /* A byte order mark is not part of the first line's text. */
  if (length >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    pos = 3;

  while (pos < (gsize) length)
    {
      Line line = { pos, 0, number };
      gsize next;

      nl = memchr (text + pos, '\n', length - pos);
      if (nl != NULL)
        {
          line.end = nl - text;
          next = line.end + 1;
          if (line.end > pos && text[line.end - 1] == '\r')
            line.end--;
        }
      else
        line.end = next = length;

      if (line_is_separator (text + line.start, text + line.end))
        {
          gsize line_begin = number == 1 ? 0 : line.start;
          const char *p = skip_space (text + line.start, text + line.end);

          if (line_begin > region_start)
            parse_region (&parser, (Line *) lines->data, lines->len, region_start, line_begin,
                          region_line, g_steal_pointer (&separator_name));
          g_free (separator_name);
          g_array_set_size (lines, 0);
          region_start = line_begin;
          region_line = number;
          while (p < text + line.end && *p == '#')
            p++;
          separator_name = text_dup_trimmed (p, text + line.end);
        }
      else
        g_array_append_val (lines, line);

      pos = next;
      number++;
    }

  parse_region (&parser, (Line *) lines->data, lines->len, region_start, length, region_line,
                g_steal_pointer (&separator_name));
  sort_diagnostics (self->diagnostics);
  return self;
}

LadleHttpFile *
ladle_http_file_load (const char  *path,
                      GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(LadleHttpFile) self = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, NULL, &local_error);
  if (info == NULL)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_FAILED, _("%s: could not read the file: %s"),
                   path, local_error->message);
      return NULL;
    }
  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_FAILED,
                   _("%s: could not read the file: it is a folder"), path);
      return NULL;
    }
  if (g_file_info_get_size (info) > MAX_FILE_SIZE)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_TOO_LARGE,
                   _("%s: the file is larger than 64 MiB, too large for a .http file"), path);
      return NULL;
    }

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_FAILED, _("%s: could not read the file: %s"),
                   path, local_error->message);
      return NULL;
    }
  /* It may have grown since. */
  if (length > (gsize) MAX_FILE_SIZE)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_TOO_LARGE,
                   _("%s: the file is larger than 64 MiB, too large for a .http file"), path);
      return NULL;
    }

  /* Not UTF-8 text (or not text at all): the first bad byte's place. */
  if (!g_utf8_validate_len (contents, length, NULL))
    {
      g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
      Parser parser;

      self = file_new (path, empty);
      parser.file = self;
      parser.text = contents;
      parser.length = length;
      check_encoding (&parser);
      g_assert (self->diagnostics->len > 0);
      ladle_http_file_check (self, error);
      return NULL;
    }

  return ladle_http_file_parse (path, contents, length);
}

static LadleHttpFile *
file_reparse (LadleHttpFile *self,
              GString       *text)
{
  return ladle_http_file_parse (self->path, text->str, text->len);
}

LadleHttpFile *
ladle_http_file_replace_entry (LadleHttpFile *self,
                               guint          index,
                               const char    *text)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (self->text, &length);
  g_autoptr(GString) out = g_string_sized_new (length + strlen (text) + 2);

  g_return_val_if_fail (index <= self->entries->len, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  if (index == self->entries->len)
    {
      g_string_append_len (out, data, length);
      if (length > 0 && data[length - 1] != '\n')
        g_string_append (out, self->newline);
      g_string_append (out, text);
    }
  else
    {
      const LadleHttpEntry *entry = g_ptr_array_index (self->entries, index);

      g_string_append_len (out, data, entry->start);
      g_string_append (out, text);
      /* The next `###` line must stay a line of its own. */
      if (entry->end < length && out->len > 0 && out->str[out->len - 1] != '\n')
        g_string_append (out, self->newline);
      g_string_append_len (out, data + entry->end, length - entry->end);
    }

  return file_reparse (self, out);
}

LadleHttpFile *
ladle_http_file_remove_entry (LadleHttpFile *self,
                              guint          index)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (self->text, &length);
  g_autoptr(GString) out = g_string_sized_new (length);
  const LadleHttpEntry *entry;

  g_return_val_if_fail (index < self->entries->len, NULL);

  entry = g_ptr_array_index (self->entries, index);
  g_string_append_len (out, data, entry->start);
  g_string_append_len (out, data + entry->end, length - entry->end);
  return file_reparse (self, out);
}

gboolean
ladle_http_file_save (LadleHttpFile  *self,
                      const char     *path,
                      GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *target = NULL;
  gsize length = 0;
  const char *data = g_bytes_get_data (self->text, &length);
  GStatBuf st;
  int mode = 0666;

  if (path == NULL)
    path = self->path;
  if (path == NULL)
    {
      g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                           _("The file has no name to save it under"));
      return FALSE;
    }

  /* Save through a symbolic link into the file it points to, keeping the link. */
  target = realpath (path, NULL);
  if (target == NULL)
    target = g_strdup (path);
  if (g_stat (target, &st) == 0)
    mode = st.st_mode & 07777;

  /* A temporary file beside it, written, synced and renamed over it: the file is either the old
   * text or the new one, and GLib removes the temporary file when anything fails. */
  if (!g_file_set_contents_full (target, data != NULL ? (const char *) data : "", length,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 mode, &local_error))
    {
      g_set_error (error, LADLE_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOSPC)
                     ? LADLE_ERROR_NO_SPACE : LADLE_ERROR_NOT_WRITABLE,
                   _("%s: could not save the file: %s"), path, local_error->message);
      return FALSE;
    }

  return TRUE;
}
