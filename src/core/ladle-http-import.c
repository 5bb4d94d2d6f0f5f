/* ladle-http-import.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* renameat2() and RENAME_NOREPLACE are GNU extensions. */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ladle-curl.h"
#include "ladle-error.h"
#include "ladle-filename.h"
#include "ladle-http-import.h"
#include "ladle-json.h"

/* Imports: Postman collections, HAR files and curl command lines become `.http` files.
 *
 * An import is planned whole in memory first (every file's text, every warning), and written only
 * when nothing in the input was refused: a damaged input writes nothing. Each file is written to a
 * temporary name beside its place and then given its name with renameat2(RENAME_NOREPLACE), so an
 * existing file is never replaced ("Name.http" taken: "Name 2.http", "Name 3.http"…). */

/* Postman folders deeper than this are refused (each level is a folder on disk). */
#define MAX_FOLDER_DEPTH 32
/* The longest file or folder name made from a collection's names, in bytes. */
#define NAME_MAX_BYTES 100
/* "Name 999.http" is the last name tried. */
#define MAX_NAME_SUFFIX 999
/* How much of a file detection looks at when the JSON does not parse. */
#define DETECT_PREFIX 65536
#define ENV_FILE_NAME "http-client.env.json"
#define MULTIPART_BOUNDARY "LadleBoundary7MA4YWxkTrZu0gW"

typedef struct
{
  char      *dir;       /* relative to the import folder; "" for the folder itself */
  char      *stem;      /* the file's name without ".http" */
  GPtrArray *entries;   /* LadleHttpEntry */
  GPtrArray *notes;     /* char *, parallel to entries: comment lines after `###`, or NULL */
} PlannedFile;

typedef struct
{
  const char *source_path;
  char       *source_dir;   /* absolute */
  char       *folder;       /* absolute */
  GPtrArray  *files;        /* PlannedFile */
  GPtrArray  *warnings;     /* char * */
  JsonObject *variables;    /* collection variables, for http-client.env.json */
} Import;

static void
planned_file_free (gpointer data)
{
  PlannedFile *file = data;

  g_free (file->dir);
  g_free (file->stem);
  g_ptr_array_unref (file->entries);
  g_ptr_array_unref (file->notes);
  g_free (file);
}

static PlannedFile *
plan_file (Import     *im,
           const char *dir,
           const char *stem)
{
  PlannedFile *file = g_new0 (PlannedFile, 1);

  file->dir = g_strdup (dir);
  file->stem = g_strdup (stem);
  file->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) ladle_http_entry_unref);
  file->notes = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (im->files, file);
  return file;
}

static void
import_clear (Import *im)
{
  g_free (im->source_dir);
  g_free (im->folder);
  g_clear_pointer (&im->files, g_ptr_array_unref);
  g_clear_pointer (&im->warnings, g_ptr_array_unref);
  g_clear_pointer (&im->variables, json_object_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Import, import_clear)

G_GNUC_PRINTF (3, 4)
static void
warn (Import     *im,
      const char *label,
      const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (label != NULL && label[0] != '\0')
    g_ptr_array_add (im->warnings, g_strdup_printf ("%s: %s", label, message));
  else
    g_ptr_array_add (im->warnings, g_steal_pointer (&message));
}

/* Text helpers */

/* @text on one line: line breaks and other control characters become spaces, and the ends are
 * trimmed. What goes on a request line or a header line must not start another line. */
static char *
one_line (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (text == NULL)
    return g_strdup ("");

  for (const char *p = text; *p != '\0'; p++)
    g_string_append_c (out, ((guchar) *p < 0x20 || *p == 0x7f) ? ' ' : *p);

  return g_strstrip (g_string_free (g_steal_pointer (&out), FALSE));
}

static gboolean
is_token (const char *text)
{
  if (text == NULL || text[0] == '\0')
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("!#$%&'*+-.^_`|~", *p) == NULL)
      return FALSE;

  return TRUE;
}

/* A name from a collection as a file or folder name: no path separators, no control characters,
 * no leading dot, at most NAME_MAX_BYTES bytes; @fallback when nothing is left. */
static char *
safe_name (const char *name,
           const char *fallback)
{
  g_autofree char *flat = NULL;
  gboolean has_content = FALSE;

  if (name == NULL)
    name = "";
  flat = g_utf8_make_valid (name, -1);
  for (char *p = flat; *p != '\0'; p++)
    {
      if (*p == '/' || *p == '\\')
        *p = '-';
      if (!g_ascii_isspace (*p) && *p != '.' && (guchar) *p >= 0x20 && *p != 0x7f)
        has_content = TRUE;
    }

  if (!has_content)
    return g_strdup (fallback);

  return ladle_filename_sanitize (flat, NAME_MAX_BYTES);
}

static char *
strip_extension (const char *base)
{
  const char *dot = strrchr (base, '.');

  if (dot == NULL || dot == base)
    return g_strdup (base);
  return g_strndup (base, dot - base);
}

/* LINE:COL (1-based, columns in characters) of byte @offset of @data. */
static void
position_of (const char *data,
             gsize       offset,
             guint      *out_line,
             guint      *out_column)
{
  guint line = 1;
  gsize line_start = 0;

  for (gsize i = 0; i < offset; i++)
    if (data[i] == '\n')
      {
        line++;
        line_start = i + 1;
      }

  *out_line = line;
  *out_column = g_utf8_strlen (data + line_start, offset - line_start) + 1;
}

/* The byte offset where 1-based @line starts, or the end. */
static gsize
line_offset (const char *data,
             gsize       length,
             guint       line)
{
  gsize offset = 0;

  for (guint l = 1; l < line && offset < length; offset++)
    if (data[offset] == '\n')
      l++;

  return offset;
}

/* "a=b" with {{…}} kept as written, everything else outside unreserved characters escaped. */
static void
append_form_escaped (GString    *out,
                     const char *text)
{
  const char *p = text != NULL ? text : "";

  while (*p != '\0')
    {
      const char *close;

      if (p[0] == '{' && p[1] == '{' && (close = strstr (p + 2, "}}")) != NULL)
        {
          g_string_append_len (out, p, close + 2 - p);
          p = close + 2;
          continue;
        }

      if (g_ascii_isalnum (*p) || strchr ("-._~", *p) != NULL)
        g_string_append_c (out, *p);
      else
        g_string_append_printf (out, "%%%02X", (guchar) *p);
      p++;
    }
}

/* `{{$guid}}` is `{{$uuid}}` here; `{{$timestamp}}` and `{{$randomInt}}` mean the same; every
 * other Postman dynamic variable is kept as written and named in @unknown. */
static char *
convert_dynamic (const char *text,
                 GPtrArray  *unknown)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = text != NULL ? text : "";

  while (*p != '\0')
    {
      const char *close;

      if (g_str_has_prefix (p, "{{$") && (close = strstr (p + 3, "}}")) != NULL &&
          close - p < 64)
        {
          g_autofree char *name = g_strndup (p + 3, close - p - 3);

          if (strcmp (name, "guid") == 0 || strcmp (name, "randomUUID") == 0)
            g_string_append (out, "{{$uuid}}");
          else
            {
              if (strcmp (name, "timestamp") != 0 && strcmp (name, "randomInt") != 0 &&
                  unknown != NULL && !g_ptr_array_find_with_equal_func (unknown, name,
                                                                        g_str_equal, NULL))
                g_ptr_array_add (unknown, g_strdup (name));
              g_string_append_len (out, p, close + 2 - p);
            }
          p = close + 2;
          continue;
        }
      g_string_append_c (out, *p++);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* A body line that a `.http` reader would take for something else. */
static void
check_body_text (Import     *im,
                 const char *label,
                 const char *text)
{
  const char *line = text;

  while (line != NULL && *line != '\0')
    {
      if (g_str_has_prefix (line, "###"))
        {
          warn (im, label, _("a line of the body starts with “###”, which starts a new request "
                             "in a .http file"));
          return;
        }
      line = strchr (line, '\n');
      if (line != NULL)
        line++;
    }
}

/* Paths of files a request reads: an absolute path stays as it is; a relative one starts from the
 * imported file's folder, and is written relative to the `.http` file that names it. */
static char *
relative_path (const char *from_dir,
               const char *to_path)
{
  g_auto(GStrv) from = g_strsplit (from_dir, "/", -1);
  g_auto(GStrv) to = g_strsplit (to_path, "/", -1);
  g_autoptr(GString) out = g_string_new (NULL);
  guint common = 0;

  while (from[common] != NULL && to[common] != NULL && strcmp (from[common], to[common]) == 0)
    common++;

  for (guint i = common; from[i] != NULL; i++)
    if (from[i][0] != '\0')
      g_string_append (out, "../");
  if (out->len == 0)
    g_string_append (out, "./");
  for (guint i = common; to[i] != NULL; i++)
    {
      g_string_append (out, to[i]);
      if (to[i + 1] != NULL)
        g_string_append_c (out, '/');
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
file_reference (Import     *im,
                const char *dir,
                const char *path)
{
  g_autofree char *clean = one_line (path);
  g_autofree char *absolute = NULL;
  g_autofree char *out_dir = NULL;

  if (g_path_is_absolute (clean) || clean[0] == '\0' || strstr (clean, "{{") != NULL)
    return g_steal_pointer (&clean);

  absolute = g_canonicalize_filename (clean, im->source_dir);
  out_dir = g_canonicalize_filename (dir, im->folder);
  return relative_path (out_dir, absolute);
}

static gboolean
entry_has_header (LadleHttpEntry *entry,
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

static void
remove_header (LadleHttpEntry *entry,
               const char     *name)
{
  for (guint i = entry->headers->len; i > 0; i--)
    {
      const LadleHttpHeader *header = g_ptr_array_index (entry->headers, i - 1);

      if (g_ascii_strcasecmp (header->name, name) == 0)
        g_ptr_array_remove_index (entry->headers, i - 1);
    }
}

/* JSON helpers: wrong types read as absent. */

static JsonObject *
get_object (JsonObject *object,
            const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
get_array (JsonObject *object,
           const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* A scalar as text ("1", "true"); NULL for anything else. */
static char *
node_text (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];

        return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
      }
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    default:
      return NULL;
    }
}

static char *
get_text (JsonObject *object,
          const char *member)
{
  return object != NULL ? node_text (json_object_get_member (object, member)) : NULL;
}

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
get_true (JsonObject *object,
          const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

static JsonObject *
array_object (JsonArray *array,
              guint      index)
{
  JsonNode *node = json_array_get_element (array, index);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* Parsing JSON, positions in characters */

static gboolean
set_json_error (GError     **error,
                const char  *source_path,
                const char  *data,
                gsize        length,
                GError      *parse_error)
{
  /* json-glib quotes the token it stopped at, cut at a byte count that may split a character */
  g_autofree char *valid = g_utf8_make_valid (parse_error->message, -1);
  const char *message = valid;
  guint line = 0;
  guint byte_column = 0;

  if (g_str_has_prefix (message, "<data>:"))
    {
      char *end = NULL;
      const char *p = message + strlen ("<data>:");

      line = strtoul (p, &end, 10);
      if (end != p && *end == ':')
        {
          p = end + 1;
          byte_column = strtoul (p, &end, 10);
          if (end != p && *end == ':')
            {
              message = end + 1;
              while (*message == ' ')
                message++;
            }
          else
            line = 0;
        }
      else
        line = 0;
    }

  if (line > 0)
    {
      /* json-glib counts bytes; people count characters. */
      gsize start = line_offset (data, length, line);
      gsize end = start;
      guint column;

      while (end < length && end - start + 1 < byte_column && data[end] != '\n')
        end++;
      column = g_utf8_strlen (data + start, end - start) + 1;
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, "%s:%u:%u: %s", source_path, line,
                   column, message);
    }
  else
    g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, "%s: %s", source_path, message);

  return FALSE;
}

static JsonNode *
parse_json (const char  *source_path,
            const char  *data,
            gsize        length,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonNode *root = ladle_json_parse (data, length, &local_error);

  if (root == NULL)
    set_json_error (error, source_path, data, length, local_error);
  return root;
}

/* Detection */

static const char *
skip_space (const char *p,
            const char *end)
{
  if (end - p >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
    p += 3;
  while (p < end && g_ascii_isspace (*p))
    p++;
  return p;
}

static gboolean
line_is_curl (const char *p,
              const char *end)
{
  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  if (end - p >= 2 && p[0] == '$' && (p[1] == ' ' || p[1] == '\t'))
    {
      p += 2;
      while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    }
  if (end - p < 4 || memcmp (p, "curl", 4) != 0)
    return FALSE;
  p += 4;
  return p == end || *p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' ||
         (end - p >= 4 && memcmp (p, ".exe", 4) == 0);
}

static LadleImportKind
detect_json (JsonNode *root)
{
  JsonObject *object;
  JsonObject *info;
  JsonObject *log;
  const char *schema;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return LADLE_IMPORT_UNKNOWN;

  object = json_node_get_object (root);
  info = get_object (object, "info");
  schema = get_string (info, "schema");
  if (schema != NULL && strstr (schema, "schema.getpostman.com") != NULL &&
      strstr (schema, "collection") != NULL)
    return LADLE_IMPORT_POSTMAN;

  log = get_object (object, "log");
  if (get_array (log, "entries") != NULL)
    return LADLE_IMPORT_HAR;

  return LADLE_IMPORT_UNKNOWN;
}

static gboolean
contains (const char *data,
          gsize       length,
          const char *needle)
{
  return g_strstr_len (data, MIN (length, DETECT_PREFIX), needle) != NULL;
}

LadleImportKind
ladle_http_import_detect (const char *data,
                          gsize       length)
{
  const char *end = data + length;
  const char *p;

  g_return_val_if_fail (data != NULL || length == 0, LADLE_IMPORT_UNKNOWN);

  p = skip_space (data, end);
  if (p < end && *p == '{')
    {
      g_autoptr(JsonNode) root = ladle_json_parse (p, end - p, NULL);

      if (root != NULL)
        return detect_json (root);

      /* Damaged JSON: what it looks like, so that the import can say where it breaks. */
      if (contains (p, end - p, "schema.getpostman.com"))
        return LADLE_IMPORT_POSTMAN;
      if (contains (p, end - p, "\"log\"") && contains (p, end - p, "\"entries\""))
        return LADLE_IMPORT_HAR;
      return LADLE_IMPORT_UNKNOWN;
    }

  /* The first line that is neither blank nor a comment */
  while (p < end)
    {
      const char *eol = memchr (p, '\n', end - p);
      const char *line_end = eol != NULL ? eol : end;
      const char *q = p;

      while (q < line_end && g_ascii_isspace (*q))
        q++;
      if (q < line_end && *q != '#')
        return line_is_curl (q, line_end) ? LADLE_IMPORT_CURL : LADLE_IMPORT_UNKNOWN;
      p = eol != NULL ? eol + 1 : end;
    }

  return LADLE_IMPORT_UNKNOWN;
}

/* Postman */

typedef struct
{
  LadleHttpEntry *entry;
  GString        *notes;
  GPtrArray      *unknown_dynamic;
  const char     *label;
  const char     *dir;
} PostmanRequest;

/* An auth parameter: v2.1 lists {key, value} objects, v2.0 has an object. */
static char *
auth_param (JsonObject *auth,
            const char *type,
            const char *key)
{
  JsonNode *node = json_object_get_member (auth, type);

  if (node == NULL)
    return NULL;

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *param = array_object (array, i);

          if (g_strcmp0 (get_string (param, "key"), key) == 0)
            return get_text (param, "value");
        }
      return NULL;
    }

  if (JSON_NODE_HOLDS_OBJECT (node))
    return get_text (json_node_get_object (node), key);

  return NULL;
}

static void
postman_auth (Import         *im,
              PostmanRequest *pr,
              JsonObject     *auth)
{
  const char *type = get_string (auth, "type");
  LadleHttpEntry *entry = pr->entry;

  if (type == NULL || strcmp (type, "noauth") == 0 || strcmp (type, "inherit") == 0)
    return;

  if (strcmp (type, "basic") == 0)
    {
      g_autofree char *user = auth_param (auth, type, "username");
      g_autofree char *password = auth_param (auth, type, "password");
      g_autofree char *value = g_strdup_printf ("Basic %s:%s", user != NULL ? user : "",
                                                password != NULL ? password : "");
      g_autofree char *line = one_line (value);

      if (!entry_has_header (entry, "Authorization"))
        ladle_http_entry_add_header (entry, "Authorization", line);
    }
  else if (strcmp (type, "bearer") == 0)
    {
      g_autofree char *token = auth_param (auth, type, "token");
      g_autofree char *value = g_strdup_printf ("Bearer %s", token != NULL ? token : "");
      g_autofree char *line = one_line (value);

      if (!entry_has_header (entry, "Authorization"))
        ladle_http_entry_add_header (entry, "Authorization", line);
    }
  else if (strcmp (type, "apikey") == 0)
    {
      g_autofree char *key = auth_param (auth, type, "key");
      g_autofree char *value = auth_param (auth, type, "value");
      g_autofree char *in = auth_param (auth, type, "in");
      g_autofree char *key_line = one_line (key);
      g_autofree char *value_line = one_line (value);

      if (key_line[0] == '\0')
        warn (im, pr->label, _("the API key authorization has no key name; it was left out"));
      else if (g_strcmp0 (in, "query") == 0)
        {
          g_autoptr(GString) url = g_string_new (entry->url);

          g_string_append_c (url, strchr (url->str, '?') != NULL ? '&' : '?');
          append_form_escaped (url, key_line);
          g_string_append_c (url, '=');
          append_form_escaped (url, value_line);
          g_free (entry->url);
          entry->url = g_string_free (g_steal_pointer (&url), FALSE);
        }
      else if (!is_token (key_line))
        warn (im, pr->label, _("the API key header name “%s” is not valid; it was left out"),
              key_line);
      else if (!entry_has_header (entry, key_line))
        ladle_http_entry_add_header (entry, key_line, value_line);
    }
  else
    warn (im, pr->label, _("the “%s” authorization was not carried over"), type);
}

/* The URL: the raw text when there is one, else built from its pieces. */
static char *
postman_url (JsonNode *node)
{
  JsonObject *url;
  g_autoptr(GString) out = NULL;
  const char *raw;
  JsonNode *host;
  JsonArray *path;
  JsonArray *query;
  g_autofree char *protocol = NULL;
  g_autofree char *port = NULL;
  g_autofree char *hash = NULL;
  guint n_query = 0;

  if (node == NULL)
    return g_strdup ("");
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      g_autofree char *text = node_text (node);

      return one_line (text);
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return g_strdup ("");

  url = json_node_get_object (node);
  raw = get_string (url, "raw");
  if (raw != NULL && raw[0] != '\0')
    return one_line (raw);

  out = g_string_new (NULL);
  protocol = get_text (url, "protocol");
  if (protocol != NULL && protocol[0] != '\0')
    g_string_append_printf (out, "%s://", protocol);

  host = json_object_get_member (url, "host");
  if (host != NULL && JSON_NODE_HOLDS_ARRAY (host))
    {
      JsonArray *parts = json_node_get_array (host);

      for (guint i = 0; i < json_array_get_length (parts); i++)
        {
          g_autofree char *part = node_text (json_array_get_element (parts, i));

          if (i > 0)
            g_string_append_c (out, '.');
          g_string_append (out, part != NULL ? part : "");
        }
    }
  else if (host != NULL)
    {
      g_autofree char *text = node_text (host);

      g_string_append (out, text != NULL ? text : "");
    }

  port = get_text (url, "port");
  if (port != NULL && port[0] != '\0')
    g_string_append_printf (out, ":%s", port);

  path = get_array (url, "path");
  for (guint i = 0; path != NULL && i < json_array_get_length (path); i++)
    {
      JsonNode *element = json_array_get_element (path, i);
      g_autofree char *part = JSON_NODE_HOLDS_OBJECT (element)
                              ? get_text (json_node_get_object (element), "value")
                              : node_text (element);

      g_string_append_printf (out, "/%s", part != NULL ? part : "");
    }
  if (path == NULL && get_string (url, "path") != NULL)
    {
      const char *text = get_string (url, "path");

      if (text[0] != '/')
        g_string_append_c (out, '/');
      g_string_append (out, text);
    }

  query = get_array (url, "query");
  for (guint i = 0; query != NULL && i < json_array_get_length (query); i++)
    {
      JsonObject *param = array_object (query, i);
      g_autofree char *key = get_text (param, "key");
      g_autofree char *value = get_text (param, "value");

      if (param == NULL || get_true (param, "disabled") || key == NULL)
        continue;
      g_string_append_c (out, n_query++ == 0 ? '?' : '&');
      g_string_append (out, key);
      if (value != NULL)
        g_string_append_printf (out, "=%s", value);
    }

  hash = get_text (url, "hash");
  if (hash != NULL && hash[0] != '\0')
    g_string_append_printf (out, "#%s", hash);

  return one_line (out->str);
}

static void
postman_headers (Import         *im,
                 PostmanRequest *pr,
                 JsonNode       *node)
{
  if (node == NULL)
    return;

  /* v2 allows the headers as one "Name: value" text */
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_auto(GStrv) lines = g_strsplit (json_node_get_string (node), "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        {
          const char *colon = strchr (lines[i], ':');
          g_autofree char *name = NULL;
          g_autofree char *value = NULL;

          if (colon == NULL)
            continue;
          name = g_strstrip (g_strndup (lines[i], colon - lines[i]));
          value = one_line (colon + 1);
          if (is_token (name))
            ladle_http_entry_add_header (pr->entry, name, value);
        }
      return;
    }

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return;

  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonObject *header = array_object (json_node_get_array (node), i);
      g_autofree char *key = get_text (header, "key");
      g_autofree char *value = get_text (header, "value");
      g_autofree char *name = one_line (key);
      g_autofree char *line = one_line (value);

      if (header == NULL || get_true (header, "disabled") || name[0] == '\0')
        continue;
      if (!is_token (name))
        {
          warn (im, pr->label, _("the header name “%s” is not valid; it was left out"), name);
          continue;
        }
      ladle_http_entry_add_header (pr->entry, name, line);
    }
}

static const char *
raw_language_type (const char *language)
{
  static const struct { const char *language; const char *type; } types[] = {
    { "json", "application/json" },
    { "javascript", "application/javascript" },
    { "xml", "application/xml" },
    { "html", "text/html" },
    { "text", "text/plain" },
  };

  for (guint i = 0; language != NULL && i < G_N_ELEMENTS (types); i++)
    if (strcmp (language, types[i].language) == 0)
      return types[i].type;

  return NULL;
}

static void
add_text_body (Import         *im,
               PostmanRequest *pr,
               const char     *text)
{
  g_autofree char *converted = convert_dynamic (text, pr->unknown_dynamic);

  check_body_text (im, pr->label, converted);
  ladle_http_entry_add_body_part (pr->entry, LADLE_HTTP_PART_TEXT, converted);
}

static void
set_content_type (LadleHttpEntry *entry,
                  const char     *type)
{
  if (type != NULL && !entry_has_header (entry, "Content-Type"))
    ladle_http_entry_add_header (entry, "Content-Type", type);
}

/* Postman's file sources: a path, a list of paths, or null (chosen in the app, not exported). */
static GPtrArray *
file_sources (JsonObject *object)
{
  GPtrArray *sources = g_ptr_array_new_with_free_func (g_free);
  JsonNode *node = json_object_get_member (object, "src");

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          char *path = node_text (json_array_get_element (array, i));

          if (path != NULL && path[0] != '\0')
            g_ptr_array_add (sources, path);
          else
            g_free (path);
        }
    }
  else if (node != NULL)
    {
      char *path = node_text (node);

      if (path != NULL && path[0] != '\0')
        g_ptr_array_add (sources, path);
      else
        g_free (path);
    }

  return sources;
}

static void
postman_body (Import         *im,
              PostmanRequest *pr,
              JsonObject     *body)
{
  const char *mode = get_string (body, "mode");
  LadleHttpEntry *entry = pr->entry;

  if (body == NULL || mode == NULL || get_true (body, "disabled"))
    return;

  if (strcmp (mode, "raw") == 0)
    {
      g_autofree char *raw = get_text (body, "raw");
      const char *language = get_string (get_object (get_object (body, "options"), "raw"),
                                         "language");

      if (raw == NULL || raw[0] == '\0')
        return;
      add_text_body (im, pr, raw);
      set_content_type (entry, raw_language_type (language));
    }
  else if (strcmp (mode, "urlencoded") == 0)
    {
      JsonArray *fields = get_array (body, "urlencoded");
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; fields != NULL && i < json_array_get_length (fields); i++)
        {
          JsonObject *field = array_object (fields, i);
          g_autofree char *key = get_text (field, "key");
          g_autofree char *value = get_text (field, "value");

          if (field == NULL || get_true (field, "disabled") || key == NULL)
            continue;
          if (text->len > 0)
            g_string_append_c (text, '&');
          append_form_escaped (text, key);
          g_string_append_c (text, '=');
          append_form_escaped (text, value);
        }
      if (text->len == 0)
        return;
      add_text_body (im, pr, text->str);
      set_content_type (entry, "application/x-www-form-urlencoded");
    }
  else if (strcmp (mode, "formdata") == 0)
    {
      JsonArray *fields = get_array (body, "formdata");
      g_autoptr(GString) text = g_string_new (NULL);
      guint n_parts = 0;

      for (guint i = 0; fields != NULL && i < json_array_get_length (fields); i++)
        {
          JsonObject *field = array_object (fields, i);
          g_autofree char *key = get_text (field, "key");
          g_autofree char *name = NULL;
          const char *type = get_string (field, "type");
          g_autofree char *content_type = get_text (field, "contentType");
          g_autofree char *part_type = one_line (content_type);

          if (field == NULL || get_true (field, "disabled") || key == NULL)
            continue;
          name = one_line (key);

          if (g_strcmp0 (type, "file") == 0)
            {
              g_autoptr(GPtrArray) sources = file_sources (field);

              if (sources->len == 0)
                warn (im, pr->label, _("the form field “%s” names no file; it was left out"),
                      name);
              for (guint j = 0; j < sources->len; j++)
                {
                  const char *path = g_ptr_array_index (sources, j);
                  g_autofree char *clean = one_line (path);
                  g_autofree char *base = g_path_get_basename (clean);
                  g_autofree char *reference = file_reference (im, pr->dir, clean);

                  g_string_append_printf (text, "--%s\n", MULTIPART_BOUNDARY);
                  g_string_append_printf (text, "Content-Disposition: form-data; name=\"%s\"; "
                                          "filename=\"%s\"\n", name, base);
                  if (part_type[0] != '\0')
                    g_string_append_printf (text, "Content-Type: %s\n", part_type);
                  else
                    {
                      /* guessed from the name, as Postman and newman do (when the system's
                       * MIME database knows it) */
                      gboolean uncertain = TRUE;
                      g_autofree char *guessed = g_content_type_guess (base, NULL, 0, &uncertain);
                      g_autofree char *mime = g_content_type_get_mime_type (guessed);

                      if (!uncertain && mime != NULL &&
                          strcmp (mime, "application/octet-stream") != 0)
                        g_string_append_printf (text, "Content-Type: %s\n", mime);
                    }
                  g_string_append_c (text, '\n');
                  add_text_body (im, pr, text->str);
                  g_string_truncate (text, 0);
                  ladle_http_entry_add_body_part (entry, LADLE_HTTP_PART_FILE, reference);
                  n_parts++;
                }
            }
          else
            {
              g_autofree char *value = get_text (field, "value");

              g_string_append_printf (text, "--%s\n", MULTIPART_BOUNDARY);
              g_string_append_printf (text, "Content-Disposition: form-data; name=\"%s\"\n",
                                      name);
              if (part_type[0] != '\0')
                g_string_append_printf (text, "Content-Type: %s\n", part_type);
              g_string_append_printf (text, "\n%s\n", value != NULL ? value : "");
              n_parts++;
            }
        }
      if (n_parts == 0)
        return;
      g_string_append_printf (text, "--%s--\n", MULTIPART_BOUNDARY);
      add_text_body (im, pr, text->str);
      /* The boundary is ours: a Content-Type the collection set names another one. */
      remove_header (entry, "Content-Type");
      ladle_http_entry_add_header (entry, "Content-Type",
                                   "multipart/form-data; boundary=" MULTIPART_BOUNDARY);
    }
  else if (strcmp (mode, "file") == 0)
    {
      g_autoptr(GPtrArray) sources = file_sources (get_object (body, "file") != NULL
                                                   ? get_object (body, "file") : body);

      if (sources->len == 0)
        {
          warn (im, pr->label, _("the body file was not named in the collection; it was left "
                                 "out"));
          return;
        }
      {
        g_autofree char *reference = file_reference (im, pr->dir,
                                                     g_ptr_array_index (sources, 0));

        ladle_http_entry_add_body_part (entry, LADLE_HTTP_PART_FILE, reference);
      }
    }
  else if (strcmp (mode, "graphql") == 0)
    {
      JsonObject *graphql = get_object (body, "graphql");
      g_autofree char *query = get_text (graphql, "query");
      g_autofree char *variables = get_text (graphql, "variables");
      g_autoptr(JsonNode) query_node = json_node_init_string (json_node_alloc (),
                                                              query != NULL ? query : "");
      g_autofree char *query_json = json_to_string (query_node, FALSE);
      g_autoptr(GString) text = g_string_new (NULL);

      /* compact, the variables as written: what Postman and newman send */
      g_string_append_printf (text, "{\"query\":%s", query_json);
      if (variables != NULL && g_strstrip (variables)[0] != '\0')
        {
          g_autoptr(JsonNode) parsed = ladle_json_parse (variables, -1, NULL);

          if (parsed != NULL && !strchr (variables, '\n'))
            g_string_append_printf (text, ",\"variables\":%s", variables);
          else if (parsed != NULL)
            {
              g_autofree char *compact = json_to_string (parsed, FALSE);

              g_string_append_printf (text, ",\"variables\":%s", compact);
            }
          else
            warn (im, pr->label, _("the GraphQL variables are not JSON; they were left out"));
        }
      g_string_append_c (text, '}');
      add_text_body (im, pr, text->str);
      set_content_type (entry, "application/json");
    }
  else
    warn (im, pr->label, _("the “%s” body was not carried over"), mode);
}

static gboolean
script_line_is_wrapper (const char *line)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (line));

  return trimmed[0] == '\0' || g_str_has_prefix (trimmed, "//") ||
         (g_str_has_prefix (trimmed, "pm.test(") &&
          (g_str_has_suffix (trimmed, "{") || g_str_has_suffix (trimmed, "=> {"))) ||
         strcmp (trimmed, "});") == 0 || strcmp (trimmed, "})") == 0 ||
         strcmp (trimmed, "});;") == 0;
}

/* Reads one event's script: status checks become `?? status == N`; anything else is kept as
 * comment lines, and said so. */
static void
postman_script (Import         *im,
                PostmanRequest *pr,
                JsonObject     *event)
{
  const char *listen = get_string (event, "listen");
  JsonObject *script = get_object (event, "script");
  JsonNode *exec = script != NULL ? json_object_get_member (script, "exec") : NULL;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRegex) status_re = NULL;
  gboolean is_test = g_strcmp0 (listen, "test") == 0;
  gboolean all_understood = TRUE;
  gboolean any = FALSE;

  if (exec == NULL || get_true (event, "disabled"))
    return;

  if (JSON_NODE_HOLDS_ARRAY (exec))
    {
      JsonArray *array = json_node_get_array (exec);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *text = node_text (json_array_get_element (array, i));
          g_auto(GStrv) split = g_strsplit (text != NULL ? text : "", "\n", -1);

          for (guint j = 0; split[j] != NULL; j++)
            g_ptr_array_add (lines, g_strdup (split[j]));
        }
    }
  else
    {
      g_autofree char *text = node_text (exec);
      g_auto(GStrv) split = g_strsplit (text != NULL ? text : "", "\n", -1);

      for (guint j = 0; split[j] != NULL; j++)
        g_ptr_array_add (lines, g_strdup (split[j]));
    }

  status_re = g_regex_new ("^\\s*(?:pm\\.response\\.to\\.have\\.status\\(\\s*(\\d{3})\\s*\\)|"
                           "pm\\.expect\\(\\s*pm\\.response\\.code\\s*\\)\\.to\\.(?:eql|equal|eq)"
                           "\\(\\s*(\\d{3})\\s*\\))\\s*;?\\s*$",
                           G_REGEX_OPTIMIZE, 0, NULL);

  for (guint i = 0; i < lines->len; i++)
    {
      char *line = g_ptr_array_index (lines, i);
      g_autoptr(GMatchInfo) match = NULL;
      gsize len = strlen (line);

      if (len > 0 && line[len - 1] == '\r')
        line[len - 1] = '\0';
      {
        g_autofree char *probe = g_strstrip (g_strdup (line));

        if (probe[0] != '\0')
          any = TRUE;
      }

      if (is_test && g_regex_match (status_re, line, 0, &match))
        {
          g_autofree char *code = g_match_info_fetch (match, 1);
          g_autofree char *assertion = NULL;

          if (code == NULL || code[0] == '\0')
            {
              g_free (code);
              code = g_match_info_fetch (match, 2);
            }
          assertion = g_strdup_printf ("status == %s", code);
          ladle_http_entry_add_assertion (pr->entry, assertion);
        }
      else if (!script_line_is_wrapper (line))
        all_understood = FALSE;
    }

  if (!any || all_understood)
    return;

  if (pr->notes->len > 0)
    g_string_append_c (pr->notes, '\n');
  g_string_append (pr->notes, is_test ? _("# Postman test script, not run by Ladle:")
                                      : _("# Postman pre-request script, not run by Ladle:"));
  g_string_append_c (pr->notes, '\n');
  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);

      g_string_append (pr->notes, line[0] != '\0' ? "# " : "#");
      for (const char *p = line; *p != '\0'; p++)
        g_string_append_c (pr->notes, ((guchar) *p < 0x20 && *p != '\t') ? ' ' : *p);
      g_string_append_c (pr->notes, '\n');
    }

  warn (im, pr->label, is_test ? _("the test script was kept as a comment")
                               : _("the pre-request script was kept as a comment"));
}

static void
postman_request (Import      *im,
                 PlannedFile *file,
                 JsonObject  *item,
                 JsonNode    *request_node,
                 const char  *label,
                 JsonObject  *inherited_auth)
{
  g_autoptr(LadleHttpEntry) entry = ladle_http_entry_new ();
  g_autoptr(GPtrArray) unknown = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) notes = g_string_new (NULL);
  JsonObject *request = NULL;
  JsonObject *auth;
  JsonArray *events;
  g_autofree char *name = get_text (item, "name");
  g_autofree char *method = NULL;
  g_autofree char *url = NULL;
  PostmanRequest pr = { entry, notes, unknown, label, file->dir };
  JsonObject *behavior;

  if (JSON_NODE_HOLDS_OBJECT (request_node))
    request = json_node_get_object (request_node);

  entry->name = one_line (name);

  method = request != NULL ? get_text (request, "method") : NULL;
  g_free (entry->method);
  if (method == NULL || method[0] == '\0')
    entry->method = g_strdup ("GET");
  else if (!is_token (method))
    {
      warn (im, label, _("the method “%s” is not valid; GET was written instead"), method);
      entry->method = g_strdup ("GET");
    }
  else
    entry->method = g_ascii_strup (method, -1);

  url = postman_url (request != NULL ? json_object_get_member (request, "url") : request_node);
  g_free (entry->url);
  entry->url = g_strdup (url);

  if (request != NULL)
    postman_headers (im, &pr, json_object_get_member (request, "header"));

  auth = request != NULL ? get_object (request, "auth") : NULL;
  if (auth == NULL || g_strcmp0 (get_string (auth, "type"), "inherit") == 0)
    auth = inherited_auth;
  if (auth != NULL)
    postman_auth (im, &pr, auth);

  if (request != NULL)
    postman_body (im, &pr, get_object (request, "body"));

  behavior = get_object (item, "protocolProfileBehavior");
  if (behavior != NULL && json_object_has_member (behavior, "followRedirects") &&
      !get_true (behavior, "followRedirects"))
    ladle_http_entry_add_directive (entry, "no-redirect", NULL);

  events = get_array (item, "event");
  for (guint i = 0; events != NULL && i < json_array_get_length (events); i++)
    {
      JsonObject *event = array_object (events, i);

      if (event != NULL)
        postman_script (im, &pr, event);
    }

  /* Dynamic variables, everywhere a value is written */
  {
    g_autofree char *converted = convert_dynamic (entry->url, unknown);

    g_free (entry->url);
    entry->url = g_steal_pointer (&converted);
    for (guint i = 0; i < entry->headers->len; i++)
      {
        LadleHttpHeader *header = g_ptr_array_index (entry->headers, i);

        converted = convert_dynamic (header->value, unknown);
        g_free (header->value);
        header->value = g_steal_pointer (&converted);
      }
  }
  for (guint i = 0; i < unknown->len; i++)
    warn (im, label, _("Ladle has no dynamic variable {{$%s}}; it was kept as written"),
          (const char *) g_ptr_array_index (unknown, i));

  g_ptr_array_add (file->entries, g_steal_pointer (&entry));
  g_ptr_array_add (file->notes, notes->len > 0 ? g_strdup (notes->str) : NULL);
}

static void
warn_level_scripts (Import     *im,
                    JsonObject *object,
                    const char *label)
{
  JsonArray *events = get_array (object, "event");

  for (guint i = 0; events != NULL && i < json_array_get_length (events); i++)
    {
      JsonObject *event = array_object (events, i);
      JsonObject *script = get_object (event, "script");
      JsonArray *exec = get_array (script, "exec");
      gboolean empty = TRUE;

      for (guint j = 0; exec != NULL && j < json_array_get_length (exec); j++)
        {
          g_autofree char *line = node_text (json_array_get_element (exec, j));

          if (line != NULL && g_strstrip (line)[0] != '\0')
            empty = FALSE;
        }
      if (empty)
        continue;

      if (g_strcmp0 (get_string (event, "listen"), "test") == 0)
        warn (im, label, _("the test script shared by its requests was not carried over"));
      else
        warn (im, label, _("the pre-request script shared by its requests was not carried "
                           "over"));
    }
}

static gboolean
postman_items (Import      *im,
               JsonArray   *items,
               const char  *dir,
               const char  *stem,
               const char  *label_prefix,
               JsonObject  *auth,
               guint        depth,
               GError     **error)
{
  PlannedFile *file = NULL;
  g_autoptr(GHashTable) used_dirs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (depth > MAX_FOLDER_DEPTH)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                   _("%s: the collection’s folders nest more than %u levels deep"),
                   im->source_path, MAX_FOLDER_DEPTH);
      return FALSE;
    }

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = array_object (items, i);
      g_autofree char *name = NULL;
      g_autofree char *label = NULL;
      JsonNode *children;
      JsonNode *request;

      if (item == NULL)
        {
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                       _("%s: item %u of “%s” is not an object"), im->source_path, i + 1,
                       label_prefix[0] != '\0' ? label_prefix : stem);
          return FALSE;
        }

      name = get_text (item, "name");
      {
        g_autofree char *clean = one_line (name);

        label = label_prefix[0] != '\0' ? g_strdup_printf ("%s/%s", label_prefix, clean)
                                        : g_strdup (clean);
      }
      children = json_object_get_member (item, "item");
      request = json_object_get_member (item, "request");

      if (children != NULL)
        {
          JsonObject *folder_auth = get_object (item, "auth");
          g_autofree char *folder_name = safe_name (name, "Folder");
          g_autofree char *sub_dir = NULL;

          if (!JSON_NODE_HOLDS_ARRAY (children))
            {
              g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                           _("%s: the folder “%s” has an “item” that is not a list"),
                           im->source_path, label);
              return FALSE;
            }

          /* Two folders of one name would share a folder on disk: the second is numbered. */
          for (guint n = 2; g_hash_table_contains (used_dirs, folder_name) && n < 1000; n++)
            {
              g_autofree char *base = safe_name (name, "Folder");

              g_free (folder_name);
              folder_name = g_strdup_printf ("%s %u", base, n);
            }
          g_hash_table_add (used_dirs, g_strdup (folder_name));

          sub_dir = dir[0] != '\0' ? g_build_filename (dir, folder_name, NULL)
                                   : g_strdup (folder_name);
          if (folder_auth == NULL || g_strcmp0 (get_string (folder_auth, "type"), "inherit") == 0)
            folder_auth = auth;
          warn_level_scripts (im, item, label);
          if (!postman_items (im, json_node_get_array (children), sub_dir, folder_name, label,
                              folder_auth, depth + 1, error))
            return FALSE;
        }
      else if (request != NULL && (JSON_NODE_HOLDS_OBJECT (request) ||
                                   JSON_NODE_HOLDS_VALUE (request)))
        {
          if (file == NULL)
            file = plan_file (im, dir, stem);
          postman_request (im, file, item, request, label, auth);
        }
      else
        warn (im, label, _("neither a request nor a folder; it was skipped"));
    }

  return TRUE;
}

static void
postman_variables (Import     *im,
                   JsonObject *collection)
{
  JsonArray *variables = get_array (collection, "variable");

  for (guint i = 0; variables != NULL && i < json_array_get_length (variables); i++)
    {
      JsonObject *variable = array_object (variables, i);
      g_autofree char *key = get_text (variable, "key");
      g_autofree char *value = get_text (variable, "value");

      if (variable == NULL || key == NULL || key[0] == '\0' || get_true (variable, "disabled"))
        continue;
      json_object_set_string_member (im->variables, key, value != NULL ? value : "");
    }
}

static gboolean
import_postman (Import      *im,
                JsonNode    *root,
                GError     **error)
{
  JsonObject *collection = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  JsonObject *info = get_object (collection, "info");
  JsonArray *items = get_array (collection, "item");
  g_autofree char *name = get_text (info, "name");
  g_autofree char *stem = safe_name (name, "Collection");
  g_autofree char *label = one_line (name);

  if (collection == NULL || items == NULL)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                   _("%s: a Postman collection needs an “item” list"), im->source_path);
      return FALSE;
    }

  postman_variables (im, collection);
  warn_level_scripts (im, collection, label);
  return postman_items (im, items, "", stem, "", get_object (collection, "auth"), 1, error);
}

/* HAR */

static gboolean
har_header_is_dropped (const char *name)
{
  /* HTTP/2 pseudo-headers; what the client computes itself (length, host, framing, hop-by-hop);
   * and Accept-Encoding, which would ask for encodings Ladle's client may not decode (it sends
   * its own). */
  static const char * const dropped[] = {
    "Content-Length", "Host", "Connection", "Keep-Alive", "Proxy-Connection",
    "Transfer-Encoding", "TE", "Upgrade", "Accept-Encoding",
  };

  if (name[0] == ':')
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (dropped); i++)
    if (g_ascii_strcasecmp (name, dropped[i]) == 0)
      return TRUE;
  return FALSE;
}

/* "GET /api/users" */
static char *
request_name (const char *method,
              const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_PARSE_RELAXED | G_URI_FLAGS_ENCODED, NULL);
  const char *path = uri != NULL ? g_uri_get_path (uri) : NULL;
  g_autofree char *name = NULL;

  if (path == NULL || path[0] == '\0')
    path = "/";
  name = g_strdup_printf ("%s %s", method, path);
  return one_line (name);
}

static gboolean
import_har (Import      *im,
            JsonNode    *root,
            const char  *stem,
            GError     **error)
{
  JsonObject *log = JSON_NODE_HOLDS_OBJECT (root) ? get_object (json_node_get_object (root), "log")
                                                  : NULL;
  JsonArray *entries = get_array (log, "entries");
  PlannedFile *file = NULL;

  if (entries == NULL)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                   _("%s: a HAR file needs a “log” object with an “entries” list"),
                   im->source_path);
      return FALSE;
    }

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *har_entry = array_object (entries, i);
      JsonObject *request = get_object (har_entry, "request");
      g_autofree char *method = get_text (request, "method");
      g_autofree char *raw_url = get_text (request, "url");
      g_autofree char *url = one_line (raw_url);
      g_autofree char *label = NULL;
      const char *scheme;
      g_autoptr(LadleHttpEntry) entry = NULL;
      JsonArray *headers;
      JsonObject *post;

      if (request == NULL || url[0] == '\0')
        {
          g_autofree char *what = g_strdup_printf (_("entry %u"), i + 1);

          warn (im, what, _("it has no request with a URL; it was skipped"));
          continue;
        }
      if (method == NULL || !is_token (method))
        {
          g_free (method);
          method = g_strdup ("GET");
        }

      label = request_name (method, url);
      scheme = g_uri_peek_scheme (url);
      if (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0)
        {
          warn (im, label, _("only HTTP requests are imported; “%s” was skipped"), url);
          continue;
        }

      entry = ladle_http_entry_new ();
      g_free (entry->method);
      entry->method = g_strdup (method);
      g_free (entry->url);
      entry->url = g_strdup (url);
      entry->name = g_strdup (label);

      headers = get_array (request, "headers");
      for (guint j = 0; headers != NULL && j < json_array_get_length (headers); j++)
        {
          JsonObject *header = array_object (headers, j);
          g_autofree char *raw_name = get_text (header, "name");
          g_autofree char *raw_value = get_text (header, "value");
          g_autofree char *name = one_line (raw_name);
          g_autofree char *value = one_line (raw_value);

          if (header == NULL || name[0] == '\0' || har_header_is_dropped (name))
            continue;
          if (!is_token (name))
            {
              warn (im, label, _("the header name “%s” is not valid; it was left out"), name);
              continue;
            }
          ladle_http_entry_add_header (entry, name, value);
        }

      post = get_object (request, "postData");
      if (post != NULL)
        {
          g_autofree char *mime = get_text (post, "mimeType");
          g_autofree char *mime_line = one_line (mime);
          g_autofree char *text = get_text (post, "text");
          JsonArray *params = get_array (post, "params");
          g_autofree char *type = g_ascii_strdown (mime_line, -1);

          if (text != NULL && text[0] != '\0')
            {
              check_body_text (im, label, text);
              ladle_http_entry_add_body_part (entry, LADLE_HTTP_PART_TEXT, text);
              if (mime_line[0] != '\0')
                set_content_type (entry, mime_line);
            }
          else if (params != NULL && json_array_get_length (params) > 0)
            {
              gboolean multipart = g_str_has_prefix (type, "multipart/");
              g_autoptr(GString) body = g_string_new (NULL);

              for (guint j = 0; j < json_array_get_length (params); j++)
                {
                  JsonObject *param = array_object (params, j);
                  g_autofree char *name = get_text (param, "name");
                  g_autofree char *value = get_text (param, "value");
                  g_autofree char *file_name = get_text (param, "fileName");
                  g_autofree char *part_type = get_text (param, "contentType");

                  if (param == NULL || name == NULL)
                    continue;
                  if (!multipart)
                    {
                      if (body->len > 0)
                        g_string_append_c (body, '&');
                      append_form_escaped (body, name);
                      g_string_append_c (body, '=');
                      append_form_escaped (body, value);
                      continue;
                    }

                  g_string_append_printf (body, "--%s\n", MULTIPART_BOUNDARY);
                  if (file_name != NULL)
                    {
                      g_autofree char *clean_name = one_line (name);
                      g_autofree char *clean_file = one_line (file_name);
                      g_autofree char *base = g_path_get_basename (clean_file);
                      g_autofree char *reference = g_strconcat ("./", base, NULL);

                      warn (im, label, _("the file “%s” of the form field “%s” is not in the "
                                         "HAR file; the request reads “%s” instead"),
                            clean_file, clean_name, reference);
                      g_string_append_printf (body, "Content-Disposition: form-data; "
                                              "name=\"%s\"; filename=\"%s\"\n", clean_name, base);
                      if (part_type != NULL && part_type[0] != '\0')
                        {
                          g_autofree char *clean_type = one_line (part_type);

                          g_string_append_printf (body, "Content-Type: %s\n", clean_type);
                        }
                      g_string_append_c (body, '\n');
                      ladle_http_entry_add_body_part (entry, LADLE_HTTP_PART_TEXT, body->str);
                      g_string_truncate (body, 0);
                      ladle_http_entry_add_body_part (entry, LADLE_HTTP_PART_FILE, reference);
                    }
                  else
                    {
                      g_autofree char *clean_name = one_line (name);

                      g_string_append_printf (body, "Content-Disposition: form-data; "
                                              "name=\"%s\"\n\n%s\n", clean_name,
                                              value != NULL ? value : "");
                    }
                }

              if (multipart)
                {
                  g_string_append_printf (body, "--%s--\n", MULTIPART_BOUNDARY);
                  remove_header (entry, "Content-Type");
                  ladle_http_entry_add_header (entry, "Content-Type",
                                               "multipart/form-data; boundary="
                                               MULTIPART_BOUNDARY);
                }
              else
                set_content_type (entry, mime_line[0] != '\0'
                                         ? mime_line : "application/x-www-form-urlencoded");
              check_body_text (im, label, body->str);
              ladle_http_entry_add_body_part (entry, LADLE_HTTP_PART_TEXT, body->str);
            }
        }

      if (file == NULL)
        file = plan_file (im, "", stem);
      g_ptr_array_add (file->entries, g_steal_pointer (&entry));
      g_ptr_array_add (file->notes, NULL);
    }

  if (file == NULL)
    warn (im, NULL, _("%s: the HAR file has no HTTP requests; nothing was written"),
          im->source_path);

  return TRUE;
}

/* curl: commands separated by line breaks outside quotes and continuations */

typedef struct
{
  gsize start;
  gsize end;
  guint line;
} CurlCommand;

/* Where the command starting at @start ends: at a line break that no quote holds open and no `\`
 * (or `^` for Windows' cmd) continues. */
static gsize
curl_command_end (const char *data,
                  gsize       length,
                  gsize       start)
{
  gboolean cmd = FALSE;
  gsize i = start;
  gsize eol = start;

  while (eol < length && data[eol] != '\n')
    eol++;
  for (gsize j = start; j < eol; j++)
    if (data[j] == '^' && (j + 1 < eol && data[j + 1] == '"'))
      cmd = TRUE;
  if (eol > start && (data[eol - 1] == '^' || (data[eol - 1] == '\r' && eol - 1 > start &&
                                                 data[eol - 2] == '^')))
    cmd = TRUE;

  if (cmd)
    {
      /* cmd.exe: `^` ends a continued line; `^` before an empty line is a line break. */
      while (i < length)
        {
          gsize end = i;

          while (end < length && data[end] != '\n')
            end++;
          {
            gsize last = end;

            if (last > i && data[last - 1] == '\r')
              last--;
            if (last > i && data[last - 1] == '^' && end < length)
              {
                i = end + 1;
                if (i < length && (data[i] == '\n' || (data[i] == '\r' && i + 1 < length &&
                                                       data[i + 1] == '\n')))
                  i += data[i] == '\n' ? 1 : 2;
                continue;
              }
          }
          return end;
        }
      return length;
    }

  while (i < length)
    {
      char c = data[i];

      if (c == '\n')
        return i;
      if (c == '\\')
        {
          i += 2;
          continue;
        }
      if (c == '\'')
        {
          const char *close = memchr (data + i + 1, '\'', length - i - 1);

          if (close == NULL)
            return length;
          i = close - data + 1;
          continue;
        }
      if (c == '"' || (c == '$' && i + 1 < length && (data[i + 1] == '\'' || data[i + 1] == '"')))
        {
          char quote = c == '$' ? data[i + 1] : c;

          i += c == '$' ? 2 : 1;
          while (i < length && data[i] != quote)
            i += data[i] == '\\' ? 2 : 1;
          i++;
          continue;
        }
      if (c == '#' && (i == start || g_ascii_isspace (data[i - 1])))
        {
          while (i < length && data[i] != '\n')
            i++;
          continue;
        }
      i++;
    }

  return MIN (i, length);
}

static gboolean
import_curl (Import      *im,
             const char  *data,
             gsize        length,
             const char  *stem,
             GError     **error)
{
  PlannedFile *file = NULL;
  gsize p = 0;

  while (p < length)
    {
      gsize eol = p;
      gsize q = p;
      guint line;
      guint column;

      while (eol < length && data[eol] != '\n')
        eol++;
      while (q < eol && g_ascii_isspace (data[q]))
        q++;

      if (q == eol || data[q] == '#')
        {
          p = eol + 1;
          continue;
        }

      position_of (data, q, &line, &column);
      if (!line_is_curl (data + q, data + eol))
        {
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                       _("%s:%u:%u: a curl command was expected here"), im->source_path, line,
                       column);
          return FALSE;
        }

      {
        gsize end = curl_command_end (data, length, q);
        g_autofree char *command = g_strndup (data + q, end - q);
        g_autoptr(GPtrArray) warnings = NULL;
        g_autoptr(GError) local_error = NULL;
        g_autoptr(LadleRequest) request = ladle_curl_parse (command, &warnings, &local_error);
        g_autoptr(LadleHttpEntry) entry = NULL;
        g_autofree char *url = NULL;
        g_autofree char *label = NULL;

        if (request == NULL)
          {
            g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, "%s:%u:%u: %s", im->source_path,
                         line, column, local_error->message);
            return FALSE;
          }

        url = ladle_request_dup_url_as_typed (request);
        label = request_name (ladle_request_get_method (request),
                              url != NULL ? url : ladle_request_get_url (request));
        entry = ladle_http_entry_new_from_request (request, label);
        for (guint i = 0; i < entry->body->len; i++)
          {
            LadleHttpBodyPart *part = g_ptr_array_index (entry->body, i);

            if (part->kind == LADLE_HTTP_PART_FILE)
              {
                char *reference = file_reference (im, "", part->text);

                g_free (part->text);
                part->text = reference;
              }
            else
              check_body_text (im, label, part->text);
          }
        for (guint i = 0; warnings != NULL && i < warnings->len; i++)
          {
            /* The curl parser names an unknown short option by its byte, which may be part of a
             * UTF-8 character ("-ԛ"): warnings are shown, so they must be UTF-8. */
            g_autofree char *valid = g_utf8_make_valid (g_ptr_array_index (warnings, i), -1);

            warn (im, label, "%s", valid);
          }

        if (file == NULL)
          file = plan_file (im, "", stem);
        g_ptr_array_add (file->entries, g_steal_pointer (&entry));
        g_ptr_array_add (file->notes, NULL);
        p = end + 1;
      }
    }

  if (file == NULL)
    warn (im, NULL, _("%s: no curl command was found; nothing was written"), im->source_path);

  return TRUE;
}

/* Writing */

/* Writes @contents to a new file "@stem@ext" in @dir (or "@stem N@ext"), never replacing one. */
static gboolean
write_new_file (const char  *dir,
                const char  *stem,
                const char  *ext,
                const char  *contents,
                gsize        length,
                char       **out_path,
                GError     **error)
{
  g_autofree char *temp = g_build_filename (dir, ".ladle-import-XXXXXX", NULL);
  g_autoptr(GError) local_error = NULL;
  int saved_errno = 0;
  int fd;

  fd = g_mkstemp_full (temp, O_RDWR | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not write in the folder “%s”: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  {
    gsize done = 0;

    while (done < length)
      {
        ssize_t n = write (fd, contents + done, length - done);

        if (n < 0 && errno == EINTR)
          continue;
        if (n <= 0)
          {
            saved_errno = n < 0 ? errno : EIO;
            break;
          }
        done += n;
      }
    if (saved_errno == 0 && fsync (fd) != 0)
      saved_errno = errno;
    if (close (fd) != 0 && saved_errno == 0)
      saved_errno = errno;
  }

  if (saved_errno != 0)
    {
      g_unlink (temp);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not write in the folder “%s”: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  for (guint n = 1; n <= MAX_NAME_SUFFIX; n++)
    {
      g_autofree char *base = n == 1 ? g_strconcat (stem, ext, NULL)
                                     : g_strdup_printf ("%s %u%s", stem, n, ext);
      g_autofree char *path = g_build_filename (dir, base, NULL);
      int result = renameat2 (AT_FDCWD, temp, AT_FDCWD, path, RENAME_NOREPLACE);

      if (result != 0 && (errno == EINVAL || errno == ENOSYS))
        {
          /* No RENAME_NOREPLACE here: link() never replaces a name either. */
          result = link (temp, path);
          if (result == 0)
            g_unlink (temp);
        }

      if (result == 0)
        {
          *out_path = g_steal_pointer (&path);
          return TRUE;
        }
      if (errno != EEXIST)
        {
          saved_errno = errno;
          g_unlink (temp);
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Could not write “%s”: %s"), path, g_strerror (saved_errno));
          return FALSE;
        }
    }

  g_unlink (temp);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
               _("Could not write “%s%s” in the folder “%s”: too many files with that name"),
               stem, ext, dir);
  return FALSE;
}

/* The file's text: the entries as ladle_http_file_new_from_entries() writes them, with each
 * entry's notes (scripts kept as comments) after its `###` line. */
static char *
planned_file_text (PlannedFile *file,
                   const char  *path)
{
  g_autoptr(LadleHttpFile) http_file = ladle_http_file_new_from_entries (path, NULL, file->entries,
                                                                         "\n");
  GBytes *bytes = ladle_http_file_get_text (http_file);
  gsize length = 0;
  const char *text = g_bytes_get_data (bytes, &length);
  GString *out = g_string_new (NULL);
  gsize done = 0;

  for (guint i = 0; i < file->entries->len; i++)
    {
      LadleHttpEntry *entry = g_ptr_array_index (file->entries, i);
      const char *notes = g_ptr_array_index (file->notes, i);
      const char *eol;

      if (notes == NULL)
        continue;
      eol = memchr (text + entry->start, '\n', entry->end - entry->start);
      if (eol == NULL)
        continue;
      g_string_append_len (out, text + done, eol + 1 - (text + done));
      g_string_append (out, notes);
      done = eol + 1 - text;
    }
  g_string_append_len (out, text + done, length - done);

  return g_string_free (out, FALSE);
}

/* Collection variables into http-client.env.json's "$shared", keeping every value the file
 * already has. */
static gboolean
write_env (Import     *im,
           GPtrArray  *written,
           GError    **error)
{
  g_autofree char *path = g_build_filename (im->folder, ENV_FILE_NAME, NULL);
  g_autofree char *existing = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) names = NULL;
  g_autofree char *text = NULL;
  JsonObject *object;
  JsonObject *shared;
  gsize length = 0;
  gboolean changed = FALSE;

  if (json_object_get_size (im->variables) == 0)
    return TRUE;

  if (g_file_get_contents (path, &existing, &length, NULL))
    {
      g_autoptr(GError) local_error = NULL;

      root = ladle_json_parse (existing, length, &local_error);
      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        {
          warn (im, NULL, _("%s could not be read (%s); the collection’s variables were not "
                            "written to it"), path,
                local_error != NULL ? local_error->message : _("not a JSON object"));
          return TRUE;
        }
    }
  else
    root = json_node_init_object (json_node_alloc (), json_object_new ());

  object = json_node_get_object (root);
  shared = get_object (object, "$shared");
  if (shared == NULL)
    {
      if (json_object_has_member (object, "$shared"))
        {
          warn (im, NULL, _("%s: “$shared” is not an object; the collection’s variables were "
                            "not written"), path);
          return TRUE;
        }
      shared = json_object_new ();
      json_object_set_object_member (object, "$shared", shared);
    }

  names = json_object_get_members (im->variables);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      const char *value = json_object_get_string_member (im->variables, name);

      if (json_object_has_member (shared, name))
        {
          g_autofree char *current = node_text (json_object_get_member (shared, name));

          if (g_strcmp0 (current, value) != 0)
            warn (im, NULL, _("%s already gives “%s” the value “%s”; the collection’s value "
                              "“%s” was not written"), ENV_FILE_NAME, name,
                  current != NULL ? current : "", value);
          continue;
        }
      json_object_set_string_member (shared, name, value);
      changed = TRUE;
    }

  if (!changed)
    return TRUE;

  text = ladle_json_to_pretty (root, &length);
  if (!g_file_set_contents_full (path, text, length, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error))
    return FALSE;
  g_ptr_array_add (written, g_steal_pointer (&path));
  return TRUE;
}

static gboolean
write_files (Import     *im,
             GPtrArray  *written,
             GError    **error)
{
  for (guint i = 0; i < im->files->len; i++)
    {
      PlannedFile *file = g_ptr_array_index (im->files, i);
      g_autofree char *dir = g_build_filename (im->folder, file->dir, NULL);
      g_autofree char *intended = g_strconcat (file->stem, ".http", NULL);
      g_autofree char *intended_path = g_build_filename (dir, intended, NULL);
      g_autofree char *text = planned_file_text (file, intended_path);
      g_autofree char *path = NULL;

      if (g_mkdir_with_parents (dir, 0755) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Could not create the folder “%s”: %s"), dir, g_strerror (saved_errno));
          return FALSE;
        }
      if (!write_new_file (dir, file->stem, ".http", text, strlen (text), &path, error))
        return FALSE;
      g_ptr_array_add (written, g_steal_pointer (&path));
    }

  return write_env (im, written, error);
}

static GStrv
steal_strv (GPtrArray *array)
{
  g_ptr_array_add (array, NULL);
  return (GStrv) g_ptr_array_free (array, FALSE);
}

gboolean
ladle_http_import (const char  *data,
                   gsize        length,
                   const char  *source_path,
                   const char  *folder,
                   GStrv       *out_written,
                   GStrv       *out_warnings,
                   GError     **error)
{
  g_auto(Import) im = { 0 };
  g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *base = NULL;
  g_autofree char *stem = NULL;
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *source_abs = NULL;
  const char *invalid = NULL;
  LadleImportKind kind;
  gboolean ok;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (source_path != NULL, FALSE);
  g_return_val_if_fail (folder != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (out_written != NULL)
    *out_written = NULL;
  if (out_warnings != NULL)
    *out_warnings = NULL;

  im.source_path = source_path;
  source_abs = g_canonicalize_filename (source_path, cwd);
  im.source_dir = g_path_get_dirname (source_abs);
  im.folder = g_canonicalize_filename (folder, cwd);
  im.files = g_ptr_array_new_with_free_func (planned_file_free);
  im.warnings = g_ptr_array_new_with_free_func (g_free);
  im.variables = json_object_new ();

  if (!g_utf8_validate_len (data, length, &invalid))
    {
      guint line;
      guint column;

      position_of (data, invalid - data, &line, &column);
      if (*invalid == '\0')
        g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                     _("%s:%u:%u: the file contains a NUL byte"), source_path, line, column);
      else
        g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                     _("%s:%u:%u: the file is not UTF-8 text"), source_path, line, column);
      return FALSE;
    }

  base = g_path_get_basename (source_path);
  {
    g_autofree char *without = strip_extension (base);

    stem = safe_name (without, "Imported");
  }

  kind = ladle_http_import_detect (data, length);
  switch (kind)
    {
    case LADLE_IMPORT_POSTMAN:
    case LADLE_IMPORT_HAR:
      {
        const char *start = skip_space (data, data + length);
        g_autoptr(JsonNode) root = NULL;

        /* Positions count from the file's start: the BOM and blank space are kept. */
        if (start - data >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
          {
            g_autofree char *copy = g_strndup (data, length);

            memset (copy, ' ', 3);
            root = parse_json (source_path, copy, length, error);
          }
        else
          root = parse_json (source_path, data, length, error);
        if (root == NULL)
          return FALSE;
        ok = kind == LADLE_IMPORT_POSTMAN ? import_postman (&im, root, error)
                                          : import_har (&im, root, stem, error);
      }
      break;

    case LADLE_IMPORT_CURL:
      ok = import_curl (&im, data, length, stem, error);
      break;

    case LADLE_IMPORT_UNKNOWN:
    default:
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                   _("%s: this is not a Postman collection, a HAR file or curl commands"),
                   source_path);
      return FALSE;
    }

  if (!ok)
    return FALSE;

  if (g_mkdir_with_parents (im.folder, 0755) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create the folder “%s”: %s"), im.folder,
                   g_strerror (saved_errno));
      return FALSE;
    }

  ok = write_files (&im, written, error);

  if (out_written != NULL)
    *out_written = steal_strv (g_steal_pointer (&written));
  if (out_warnings != NULL)
    *out_warnings = steal_strv (g_steal_pointer (&im.warnings));

  return ok;
}
