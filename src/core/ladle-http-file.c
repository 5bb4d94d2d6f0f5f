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

#include <string.h>

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

/* Appends @text with every line break written as @newline. */
static void
append_lines (GString    *out,
              const char *text,
              const char *newline)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\r' && p[1] == '\n')
        continue;
      if (*p == '\n')
        g_string_append (out, newline);
      else
        g_string_append_c (out, *p);
    }
}

char *
ladle_http_entry_format (const LadleHttpEntry *self,
                         const char           *newline)
{
  GString *out = g_string_new (NULL);
  const char *name = self->name;
  gboolean has_name_directive = FALSE;

  if (newline == NULL)
    newline = "\n";

  for (guint i = 0; i < self->directives->len; i++)
    {
      const LadleHttpDirective *directive = g_ptr_array_index (self->directives, i);

      if (g_ascii_strcasecmp (directive->name, "name") == 0)
        has_name_directive = TRUE;
    }

  g_string_append (out, "###");
  if (name != NULL && name[0] != '\0')
    {
      g_string_append_c (out, ' ');
      append_lines (out, name, " ");
    }
  g_string_append (out, newline);

  /* httpyac and REST Client name a request by `@name` only, and only plain words can be
   * referred to as {{name.…}}. */
  if (is_plain_name (name) && !has_name_directive)
    g_string_append_printf (out, "# @name %s%s", name, newline);

  for (guint i = 0; i < self->directives->len; i++)
    {
      const LadleHttpDirective *directive = g_ptr_array_index (self->directives, i);

      g_string_append_printf (out, "# @%s", directive->name);
      if (directive->argument != NULL && directive->argument[0] != '\0')
        g_string_append_printf (out, " %s", directive->argument);
      g_string_append (out, newline);
    }

  for (guint i = 0; i < self->variables->len; i++)
    {
      const LadleHttpVariable *variable = g_ptr_array_index (self->variables, i);

      g_string_append_printf (out, "@%s = %s%s", variable->name, variable->value, newline);
    }

  for (guint i = 0; i < self->scripts->len; i++)
    {
      const LadleHttpScript *script = g_ptr_array_index (self->scripts, i);

      if (script->kind == LADLE_HTTP_SCRIPT_PRE)
        {
          append_lines (out, script->text, newline);
          g_string_append (out, newline);
        }
    }

  g_string_append_printf (out, "%s %s", self->method != NULL ? self->method : "GET",
                          self->url != NULL ? self->url : "");
  if (self->http_version != NULL && self->http_version[0] != '\0')
    g_string_append_printf (out, " %s", self->http_version);
  g_string_append (out, newline);

  for (guint i = 0; i < self->headers->len; i++)
    {
      const LadleHttpHeader *header = g_ptr_array_index (self->headers, i);

      g_string_append_printf (out, "%s: %s%s", header->name, header->value, newline);
    }

  if (self->body->len > 0)
    {
      g_string_append (out, newline);
      for (guint i = 0; i < self->body->len; i++)
        {
          const LadleHttpBodyPart *part = g_ptr_array_index (self->body, i);

          switch (part->kind)
            {
            case LADLE_HTTP_PART_TEXT:
              append_lines (out, part->text, newline);
              if (!g_str_has_suffix (part->text, "\n"))
                g_string_append (out, newline);
              break;
            case LADLE_HTTP_PART_FILE:
              g_string_append_printf (out, "< %s%s", part->text, newline);
              break;
            case LADLE_HTTP_PART_FILE_EXPAND:
              g_string_append_printf (out, "<@ %s%s", part->text, newline);
              break;
            default:
              g_assert_not_reached ();
            }
        }
    }

  if (self->assertions->len > 0 || self->scripts->len > 0)
    g_string_append (out, newline);

  for (guint i = 0; i < self->scripts->len; i++)
    {
      const LadleHttpScript *script = g_ptr_array_index (self->scripts, i);

      if (script->kind != LADLE_HTTP_SCRIPT_PRE && script->kind != LADLE_HTTP_SCRIPT_ASSERT_JS)
        {
          append_lines (out, script->text, newline);
          g_string_append (out, newline);
        }
    }

  for (guint i = 0; i < self->assertions->len; i++)
    {
      const LadleHttpAssertLine *assertion = g_ptr_array_index (self->assertions, i);

      g_string_append_printf (out, "?? %s%s", assertion->text, newline);
    }

  for (guint i = 0; i < self->scripts->len; i++)
    {
      const LadleHttpScript *script = g_ptr_array_index (self->scripts, i);

      if (script->kind == LADLE_HTTP_SCRIPT_ASSERT_JS)
        {
          append_lines (out, script->text, newline);
          g_string_append (out, newline);
        }
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
        /* Written out with a boundary of our own, files as `< path` lines. */
        const char *boundary = "LadleBoundary7MA4YWxkTrZu0gW";
        g_autoptr(GString) text = g_string_new (NULL);
        g_autofree char *type = g_strconcat ("multipart/form-data; boundary=", boundary, NULL);

        if (!has_header (entry, "Content-Type"))
          ladle_http_entry_add_header (entry, "Content-Type", type);

        for (guint i = 0, n = g_list_model_get_n_items (form); i < n; i++)
          {
            g_autoptr(LadleKeyValue) kv = g_list_model_get_item (form, i);
            const char *value = ladle_key_value_get_value (kv);

            if (!ladle_key_value_get_enabled (kv))
              continue;

            g_string_append_printf (text, "--%s\n", boundary);
            if (ladle_key_value_get_is_file (kv))
              {
                g_autofree char *base = g_path_get_basename (value != NULL ? value : "");
                const char *part_type = ladle_key_value_get_content_type (kv);

                g_string_append_printf (text,
                                        "Content-Disposition: form-data; name=\"%s\"; "
                                        "filename=\"%s\"\n",
                                        ladle_key_value_get_name (kv), base);
                if (part_type != NULL)
                  g_string_append_printf (text, "Content-Type: %s\n", part_type);
                g_string_append (text, "\n");
                ladle_http_entry_add_body_part (entry, LADLE_HTTP_PART_TEXT, text->str);
                g_string_truncate (text, 0);
                ladle_http_entry_add_body_part (entry, LADLE_HTTP_PART_FILE, value);
              }
            else
              {
                g_string_append_printf (text,
                                        "Content-Disposition: form-data; name=\"%s\"\n\n%s\n",
                                        ladle_key_value_get_name (kv), value != NULL ? value : "");
              }
          }
        g_string_append_printf (text, "--%s--\n", boundary);
        ladle_http_entry_add_body_part (entry, LADLE_HTTP_PART_TEXT, text->str);
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

/* The parser.
 *
 * STUB: to be replaced by the real parser (helper branch issue11-parser). It records no requests,
 * only the text, so that the other parts build. */
LadleHttpFile *
ladle_http_file_parse (const char *path,
                       const char *text,
                       gssize      length)
{
  g_autoptr(GBytes) bytes = NULL;

  if (length < 0)
    length = strlen (text);
  bytes = g_bytes_new (text, length);

  return file_new (path, bytes);
}

LadleHttpFile *
ladle_http_file_load (const char  *path,
                      GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  return ladle_http_file_parse (path, contents, length);
}

LadleHttpFile *
ladle_http_file_replace_entry (LadleHttpFile *self,
                               guint          index,
                               const char    *text)
{
  g_return_val_if_fail (index <= self->entries->len, NULL);

  return NULL;
}

LadleHttpFile *
ladle_http_file_remove_entry (LadleHttpFile *self,
                              guint          index)
{
  g_return_val_if_fail (index < self->entries->len, NULL);

  return NULL;
}

gboolean
ladle_http_file_save (LadleHttpFile  *self,
                      const char     *path,
                      GError        **error)
{
  g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_FAILED, "not yet");
  return FALSE;
}
