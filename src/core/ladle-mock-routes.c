/* ladle-mock-routes.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* User-defined mock routes.
 *
 * LadleMockRoute is the editable model (owner thread only). LadleMockRouter is an immutable copy
 * of a list of routes, built on the owner thread and then read by the server's thread: it never
 * touches the GObjects again, so the UI may edit routes while the server runs and swap in a new
 * router afterwards.
 *
 * Matching rules:
 *  - routes are tried in list order, the first match wins; routes that fail validation never match;
 *  - methods compare ASCII case-insensitively; "*" and "ANY" match any method; a GET route also
 *    answers HEAD;
 *  - the request path is the decoded path (SoupServer decodes it unless raw-paths is set), split
 *    on '/'; literal route segments are percent-decoded too, so "/my%20file" and "/my file" are
 *    the same route;
 *  - "{name}" matches exactly one non-empty segment;
 *  - a last segment "*" or "{name*}" matches the rest of the path, possibly empty: the route
 *    "/static/{rest*}" matches "/static/" and "/static/a/b" (rest = "a/b"), not "/static";
 *  - trailing slashes are strict: "/users" and "/users/" are different paths;
 *  - OPTIONS on a path that only routes of other methods match is a CORS preflight: 200 with
 *    Allow. Answers keep the server's CORS headers unless the route has "cors": false.
 *
 * Body files are confined to a folder (the routes file's, unless the user allows any file): the
 * check resolves ".." and symbolic links, at load time and again each time a request opens the
 * file, so that a link changed later cannot reach outside. They are opened without blocking,
 * must be regular files, and are streamed in blocks, never mapped or read whole.
 */

#include "config.h"

#include "ladle-mock-routes.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ladle-error.h"
#include "ladle-http-syntax.h"
#include "ladle-json.h"

#define DEFAULT_METHOD       "GET"
#define DEFAULT_PATH         "/"
#define DEFAULT_STATUS       200
#define MIN_STATUS           LADLE_MOCK_ROUTE_MIN_STATUS
#define MAX_STATUS           LADLE_MOCK_ROUTE_MAX_STATUS
#define MAX_DELAY            60.0
/* Body files are sent in blocks of this size: memory does not grow with the file. */
#define BODY_BLOCK_SIZE      (64 * 1024)
#define JSON_CONTENT_TYPE    "application/json"
#define TEXT_CONTENT_TYPE    "text/plain; charset=utf-8"

struct _LadleMockRoute
{
  GObject   parent_instance;

  char     *method;
  char     *path;
  guint     status;
  char    **headers;
  char     *body;
  char     *body_file;
  char     *body_folder;
  double    delay;
  char     *content_type;
  gboolean  no_cors;
};

G_DEFINE_FINAL_TYPE (LadleMockRoute, ladle_mock_route, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_METHOD,
  PROP_PATH,
  PROP_STATUS,
  PROP_HEADERS,
  PROP_BODY,
  PROP_BODY_FILE,
  PROP_BODY_FOLDER,
  PROP_DELAY,
  PROP_CONTENT_TYPE,
  PROP_CORS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Parsed route paths, shared by validation and the router. */

typedef enum
{
  SEGMENT_LITERAL,
  SEGMENT_PARAM,
  SEGMENT_REST,
} SegmentKind;

typedef struct
{
  SegmentKind  kind;
  /* Decoded text for literals, the name for parameters, NULL for a bare "*". */
  char        *text;
} Segment;

static void
segment_clear (gpointer data)
{
  Segment *segment = data;

  g_clear_pointer (&segment->text, g_free);
}

static gboolean
is_tchar (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-.^_`|~", c) != NULL);
}

static gboolean
is_token (const char *s)
{
  if (s == NULL || *s == '\0')
    return FALSE;

  for (; *s != '\0'; s++)
    if (!is_tchar (*s))
      return FALSE;

  return TRUE;
}

static gboolean
is_param_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '-';
}

static gboolean
is_param_name (const char *s,
               gsize       len)
{
  if (len == 0)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    if (!is_param_name_char (s[i]))
      return FALSE;

  return TRUE;
}

static gboolean
method_is_any (const char *method)
{
  return g_strcmp0 (method, "*") == 0 || g_ascii_strcasecmp (method, "ANY") == 0;
}

static gboolean
validate_method (const char  *method,
                 GError     **error)
{
  g_autofree char *shown = NULL;

  if (method_is_any (method) || is_token (method))
    return TRUE;

  shown = ladle_http_escape_for_display (method, -1, 80);
  g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
               _("method “%s” is not a valid HTTP method (use letters, or “*” for any)"),
               shown);
  return FALSE;
}

/* Returns (element-type Segment) */
static GArray *
parse_route_path (const char  *path,
                  GError     **error)
{
  g_autoptr(GArray) segments = NULL;
  g_auto(GStrv) parts = NULL;
  guint n_parts;

  if (path == NULL || path[0] != '/')
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                   _("path “%s” must start with “/”"), path != NULL ? path : "");
      return NULL;
    }

  segments = g_array_new (FALSE, TRUE, sizeof (Segment));
  g_array_set_clear_func (segments, segment_clear);

  /* g_strsplit() gives no parts at all for "", but "/" is one empty segment. */
  if (path[1] != '\0')
    {
      parts = g_strsplit (path + 1, "/", -1);
    }
  else
    {
      parts = g_new0 (char *, 2);
      parts[0] = g_strdup ("");
    }
  n_parts = g_strv_length (parts);

  for (guint i = 0; i < n_parts; i++)
    {
      const char *part = parts[i];
      gsize len = strlen (part);
      gboolean last = i + 1 == n_parts;
      Segment segment = { 0, };

      if (strcmp (part, "*") == 0 ||
          (len > 3 && part[0] == '{' && part[len - 2] == '*' && part[len - 1] == '}' &&
           is_param_name (part + 1, len - 3)))
        {
          if (!last)
            {
              g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                           _("path “%s”: the wildcard “%s” must be the last segment"),
                           path, part);
              return NULL;
            }
          segment.kind = SEGMENT_REST;
          segment.text = len > 1 ? g_strndup (part + 1, len - 3) : NULL;
        }
      else if (len > 2 && part[0] == '{' && part[len - 1] == '}' &&
               is_param_name (part + 1, len - 2))
        {
          segment.kind = SEGMENT_PARAM;
          segment.text = g_strndup (part + 1, len - 2);
        }
      else if (strchr (part, '{') != NULL || strchr (part, '}') != NULL)
        {
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                       _("path “%s”: segment “%s” must be plain text or one whole "
                         "placeholder such as “{id}” (letters, digits, “_” and “-”)"),
                       path, part);
          return NULL;
        }
      else
        {
          char *decoded = g_uri_unescape_string (part, NULL);

          segment.kind = SEGMENT_LITERAL;
          /* A literal that is not valid percent-encoding is taken as it is. */
          segment.text = decoded != NULL ? decoded : g_strdup (part);
        }

      if (segment.kind != SEGMENT_LITERAL && segment.text != NULL)
        {
          for (guint j = 0; j < segments->len; j++)
            {
              const Segment *other = &g_array_index (segments, Segment, j);

              if (other->kind != SEGMENT_LITERAL && g_strcmp0 (other->text, segment.text) == 0)
                {
                  g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                               _("path “%s”: the placeholder “{%s}” is used twice"),
                               path, segment.text);
                  g_free (segment.text);
                  return NULL;
                }
            }
        }

      g_array_append_val (segments, segment);
    }

  return g_steal_pointer (&segments);
}

/* Strips the spaces and tabs HTTP allows around a value (RFC 9110 §5.6.3), and nothing else:
 * a line break at either end is an error, not padding. */
static char *
strip_ows (const char *text,
           gsize       len)
{
  while (len > 0 && (*text == ' ' || *text == '\t'))
    {
      text++;
      len--;
    }
  while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t'))
    len--;

  return g_strndup (text, len);
}

/* Splits "Name: value" into its stripped parts, checked as libsoup would need them: it drops a
 * header whose name or value would break the response, with a CRITICAL. */
static gboolean
split_header (const char  *header,
              char       **out_name,
              char       **out_value,
              GError     **error)
{
  const char *colon = strchr (header, ':');
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;

  if (colon == NULL)
    {
      g_autofree char *shown = ladle_http_escape_for_display (header, -1, 80);

      g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                   _("header “%s” must look like “Name: value”"), shown);
      return FALSE;
    }

  name = strip_ows (header, colon - header);
  value = strip_ows (colon + 1, strlen (colon + 1));

  if (!ladle_http_check_header (name, value, error))
    return FALSE;

  /* libsoup frames the body itself; a user value would contradict it. */
  if (g_ascii_strcasecmp (name, "Content-Length") == 0 ||
      g_ascii_strcasecmp (name, "Transfer-Encoding") == 0)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                   _("header “%s” is set by the server and cannot be mocked"), name);
      return FALSE;
    }

  if (out_name != NULL)
    *out_name = g_steal_pointer (&name);
  if (out_value != NULL)
    *out_value = g_steal_pointer (&value);

  return TRUE;
}

/* LadleMockRoute */

static void
ladle_mock_route_finalize (GObject *object)
{
  LadleMockRoute *self = (LadleMockRoute *)object;

  g_clear_pointer (&self->method, g_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->headers, g_strfreev);
  g_clear_pointer (&self->body, g_free);
  g_clear_pointer (&self->body_file, g_free);
  g_clear_pointer (&self->body_folder, g_free);
  g_clear_pointer (&self->content_type, g_free);

  G_OBJECT_CLASS (ladle_mock_route_parent_class)->finalize (object);
}

static void
ladle_mock_route_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  LadleMockRoute *self = LADLE_MOCK_ROUTE (object);

  switch (prop_id)
    {
    case PROP_METHOD:
      g_value_set_string (value, self->method);
      break;

    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    case PROP_STATUS:
      g_value_set_uint (value, self->status);
      break;

    case PROP_HEADERS:
      g_value_set_boxed (value, self->headers);
      break;

    case PROP_BODY:
      g_value_set_string (value, self->body);
      break;

    case PROP_BODY_FILE:
      g_value_set_string (value, self->body_file);
      break;

    case PROP_BODY_FOLDER:
      g_value_set_string (value, self->body_folder);
      break;

    case PROP_DELAY:
      g_value_set_double (value, self->delay);
      break;

    case PROP_CONTENT_TYPE:
      g_value_set_string (value, self->content_type);
      break;

    case PROP_CORS:
      g_value_set_boolean (value, !self->no_cors);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_mock_route_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  LadleMockRoute *self = LADLE_MOCK_ROUTE (object);

  switch (prop_id)
    {
    case PROP_METHOD:
      ladle_mock_route_set_method (self, g_value_get_string (value));
      break;

    case PROP_PATH:
      ladle_mock_route_set_path (self, g_value_get_string (value));
      break;

    case PROP_STATUS:
      ladle_mock_route_set_status (self, g_value_get_uint (value));
      break;

    case PROP_HEADERS:
      ladle_mock_route_set_headers (self, g_value_get_boxed (value));
      break;

    case PROP_BODY:
      ladle_mock_route_set_body (self, g_value_get_string (value));
      break;

    case PROP_BODY_FILE:
      ladle_mock_route_set_body_file (self, g_value_get_string (value));
      break;

    case PROP_BODY_FOLDER:
      ladle_mock_route_set_body_folder (self, g_value_get_string (value));
      break;

    case PROP_DELAY:
      ladle_mock_route_set_delay (self, g_value_get_double (value));
      break;

    case PROP_CONTENT_TYPE:
      ladle_mock_route_set_content_type (self, g_value_get_string (value));
      break;

    case PROP_CORS:
      ladle_mock_route_set_cors (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_mock_route_class_init (LadleMockRouteClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ladle_mock_route_finalize;
  object_class->get_property = ladle_mock_route_get_property;
  object_class->set_property = ladle_mock_route_set_property;

  /**
   * LadleMockRoute:method:
   *
   * The HTTP method to answer; "*" or "ANY" answer any method. Compared case-insensitively.
   */
  properties[PROP_METHOD] =
    g_param_spec_string ("method", NULL, NULL,
                         DEFAULT_METHOD,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * LadleMockRoute:path:
   *
   * The path pattern, such as "/users/{id}/posts/{post}" or "/static/{rest*}".
   */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         DEFAULT_PATH,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * LadleMockRoute:status:
   *
   * A final status, 200 to 599: see ladle_mock_route_check_status().
   */
  properties[PROP_STATUS] =
    g_param_spec_uint ("status", NULL, NULL,
                       MIN_STATUS, MAX_STATUS, DEFAULT_STATUS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * LadleMockRoute:headers:
   *
   * Extra response headers as "Name: value" strings; a name may repeat (Set-Cookie).
   */
  properties[PROP_HEADERS] =
    g_param_spec_boxed ("headers", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * LadleMockRoute:body: (nullable)
   *
   * The response body; "{name}" placeholders are replaced by the matched path parameters.
   */
  properties[PROP_BODY] =
    g_param_spec_string ("body", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * LadleMockRoute:body-file: (nullable)
   *
   * A file served as the body, opened at request time and sent without copying.
   */
  properties[PROP_BODY_FILE] =
    g_param_spec_string ("body-file", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * LadleMockRoute:body-folder: (nullable)
   *
   * The folder the body file must lie in once ".." and symbolic links are resolved, checked at
   * load time and again by the router each time it opens the file; %NULL allows any file. The
   * loader sets it to the routes file's folder unless told otherwise. It is the user's choice,
   * not the routes': it is never saved to a routes file.
   */
  properties[PROP_BODY_FOLDER] =
    g_param_spec_string ("body-folder", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * LadleMockRoute:delay:
   *
   * Seconds to wait before answering, without blocking the server.
   */
  properties[PROP_DELAY] =
    g_param_spec_double ("delay", NULL, NULL,
                         0.0, MAX_DELAY, 0.0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * LadleMockRoute:content-type: (nullable)
   *
   * The Content-Type; when unset, a Content-Type header is used, else "application/json" for a
   * body that is JSON, "text/plain; charset=utf-8" for other bodies, and a guess from the name
   * of a body file.
   */
  properties[PROP_CONTENT_TYPE] =
    g_param_spec_string ("content-type", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * LadleMockRoute:cors:
   *
   * Whether the answer carries the server's CORS headers (Access-Control-Allow-Origin and the
   * rest, as httpbin sends them). The route's own headers replace them either way; when this is
   * %FALSE, the route sends only the CORS headers it sets itself.
   */
  properties[PROP_CORS] =
    g_param_spec_boolean ("cors", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ladle_mock_route_init (LadleMockRoute *self)
{
  self->method = g_strdup (DEFAULT_METHOD);
  self->path = g_strdup (DEFAULT_PATH);
  self->status = DEFAULT_STATUS;
  self->headers = g_new0 (char *, 1);
}

/**
 * ladle_mock_route_new:
 * @method: (nullable): the method, or %NULL for "GET"
 * @path: (nullable): the path pattern, or %NULL for "/"
 *
 * Returns: (transfer full): a new route answering 200 with no body
 */
LadleMockRoute *
ladle_mock_route_new (const char *method,
                      const char *path)
{
  return g_object_new (LADLE_TYPE_MOCK_ROUTE,
                       "method", method != NULL ? method : DEFAULT_METHOD,
                       "path", path != NULL ? path : DEFAULT_PATH,
                       NULL);
}

/**
 * ladle_mock_route_copy:
 *
 * Returns: (transfer full): a new route with the same properties as @self
 */
LadleMockRoute *
ladle_mock_route_copy (LadleMockRoute *self)
{
  LadleMockRoute *copy;

  g_return_val_if_fail (LADLE_IS_MOCK_ROUTE (self), NULL);

  copy = ladle_mock_route_new (self->method, self->path);
  copy->status = self->status;
  g_strfreev (copy->headers);
  copy->headers = g_strdupv (self->headers);
  copy->body = g_strdup (self->body);
  copy->body_file = g_strdup (self->body_file);
  copy->body_folder = g_strdup (self->body_folder);
  copy->delay = self->delay;
  copy->content_type = g_strdup (self->content_type);
  copy->no_cors = self->no_cors;

  return copy;
}

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

const char *
ladle_mock_route_get_method (LadleMockRoute *self)
{
  g_return_val_if_fail (LADLE_IS_MOCK_ROUTE (self), NULL);

  return self->method;
}

/**
 * ladle_mock_route_set_method:
 * @method: (nullable): the method; %NULL resets it to "GET"
 */
void
ladle_mock_route_set_method (LadleMockRoute *self,
                             const char     *method)
{
  g_return_if_fail (LADLE_IS_MOCK_ROUTE (self));

  if (set_string (&self->method, method != NULL ? method : DEFAULT_METHOD))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_METHOD]);
}

const char *
ladle_mock_route_get_path (LadleMockRoute *self)
{
  g_return_val_if_fail (LADLE_IS_MOCK_ROUTE (self), NULL);

  return self->path;
}

/**
 * ladle_mock_route_set_path:
 * @path: (nullable): the path pattern; %NULL resets it to "/"
 *
 * Any text is stored so that an editor can hold work in progress; see
 * ladle_mock_route_validate().
 */
void
ladle_mock_route_set_path (LadleMockRoute *self,
                           const char     *path)
{
  g_return_if_fail (LADLE_IS_MOCK_ROUTE (self));

  if (set_string (&self->path, path != NULL ? path : DEFAULT_PATH))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATH]);
}

guint
ladle_mock_route_get_status (LadleMockRoute *self)
{
  g_return_val_if_fail (LADLE_IS_MOCK_ROUTE (self), 0);

  return self->status;
}

/**
 * ladle_mock_route_set_status:
 * @status: a status that ladle_mock_route_check_status() accepts
 */
void
ladle_mock_route_set_status (LadleMockRoute *self,
                             guint           status)
{
  g_return_if_fail (LADLE_IS_MOCK_ROUTE (self));
  g_return_if_fail (ladle_mock_route_check_status (status, NULL));

  if (self->status == status)
    return;

  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

/**
 * ladle_mock_route_get_headers:
 *
 * Returns: (transfer none) (array zero-terminated=1): the headers, never %NULL
 */
const char * const *
ladle_mock_route_get_headers (LadleMockRoute *self)
{
  g_return_val_if_fail (LADLE_IS_MOCK_ROUTE (self), NULL);

  return (const char * const *)self->headers;
}

/**
 * ladle_mock_route_set_headers:
 * @headers: (nullable) (array zero-terminated=1): "Name: value" strings
 */
void
ladle_mock_route_set_headers (LadleMockRoute     *self,
                              const char * const *headers)
{
  static const char * const empty[] = { NULL };

  g_return_if_fail (LADLE_IS_MOCK_ROUTE (self));

  if (headers == NULL)
    headers = empty;

  if (g_strv_equal ((const char * const *)self->headers, headers))
    return;

  g_strfreev (self->headers);
  self->headers = g_strdupv ((char **)headers);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEADERS]);
}

const char *
ladle_mock_route_get_body (LadleMockRoute *self)
{
  g_return_val_if_fail (LADLE_IS_MOCK_ROUTE (self), NULL);

  return self->body;
}

/**
 * ladle_mock_route_set_body:
 * @body: (nullable): the body template
 */
void
ladle_mock_route_set_body (LadleMockRoute *self,
                           const char     *body)
{
  g_return_if_fail (LADLE_IS_MOCK_ROUTE (self));

  if (set_string (&self->body, body))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BODY]);
}

const char *
ladle_mock_route_get_body_file (LadleMockRoute *self)
{
  g_return_val_if_fail (LADLE_IS_MOCK_ROUTE (self), NULL);

  return self->body_file;
}

/**
 * ladle_mock_route_set_body_file:
 * @body_file: (nullable) (type filename): an absolute path; "" means none
 */
void
ladle_mock_route_set_body_file (LadleMockRoute *self,
                                const char     *body_file)
{
  g_return_if_fail (LADLE_IS_MOCK_ROUTE (self));

  if (body_file != NULL && *body_file == '\0')
    body_file = NULL;

  if (set_string (&self->body_file, body_file))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BODY_FILE]);
}

/**
 * ladle_mock_route_get_body_folder:
 *
 * Returns: (nullable) (type filename): the folder body files are confined to, or %NULL for
 *   anywhere
 */
const char *
ladle_mock_route_get_body_folder (LadleMockRoute *self)
{
  g_return_val_if_fail (LADLE_IS_MOCK_ROUTE (self), NULL);

  return self->body_folder;
}

/**
 * ladle_mock_route_set_body_folder:
 * @folder: (nullable) (type filename): an absolute path (symbolic links are resolved when the
 *   body file is checked), or %NULL to allow a body file anywhere
 */
void
ladle_mock_route_set_body_folder (LadleMockRoute *self,
                                  const char     *folder)
{
  g_return_if_fail (LADLE_IS_MOCK_ROUTE (self));
  g_return_if_fail (folder == NULL || g_path_is_absolute (folder));

  if (set_string (&self->body_folder, folder))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BODY_FOLDER]);
}

double
ladle_mock_route_get_delay (LadleMockRoute *self)
{
  g_return_val_if_fail (LADLE_IS_MOCK_ROUTE (self), 0.0);

  return self->delay;
}

void
ladle_mock_route_set_delay (LadleMockRoute *self,
                            double          delay)
{
  g_return_if_fail (LADLE_IS_MOCK_ROUTE (self));
  g_return_if_fail (delay >= 0.0 && delay <= MAX_DELAY);

  if (self->delay == delay)
    return;

  self->delay = delay;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELAY]);
}

const char *
ladle_mock_route_get_content_type (LadleMockRoute *self)
{
  g_return_val_if_fail (LADLE_IS_MOCK_ROUTE (self), NULL);

  return self->content_type;
}

/**
 * ladle_mock_route_set_content_type:
 * @content_type: (nullable): the Content-Type, or %NULL (or "") for the default
 */
void
ladle_mock_route_set_content_type (LadleMockRoute *self,
                                   const char     *content_type)
{
  g_return_if_fail (LADLE_IS_MOCK_ROUTE (self));

  if (content_type != NULL && *content_type == '\0')
    content_type = NULL;

  if (set_string (&self->content_type, content_type))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTENT_TYPE]);
}

gboolean
ladle_mock_route_get_cors (LadleMockRoute *self)
{
  g_return_val_if_fail (LADLE_IS_MOCK_ROUTE (self), TRUE);

  return !self->no_cors;
}

/**
 * ladle_mock_route_set_cors:
 * @cors: %FALSE to answer without the server's CORS headers
 */
void
ladle_mock_route_set_cors (LadleMockRoute *self,
                           gboolean        cors)
{
  g_return_if_fail (LADLE_IS_MOCK_ROUTE (self));

  cors = !!cors;
  if (self->no_cors == !cors)
    return;

  self->no_cors = !cors;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CORS]);
}

/**
 * ladle_mock_route_check_status:
 * @status: a status code, as read (a file may hold any integer)
 *
 * A mock route answers with a final status, 200 to 599. A 1xx is an interim answer: libsoup would
 * send it and then wait for the final one, again and again, in a loop. RFC 9110 has no status
 * outside 100 to 599.
 *
 * Returns: %TRUE if a route may answer with @status; otherwise @error says why
 */
gboolean
ladle_mock_route_check_status (gint64   status,
                               GError **error)
{
  if (status >= MIN_STATUS && status <= MAX_STATUS)
    return TRUE;

  if (status >= 100 && status <= 199)
    g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                 _("status %d is an interim answer (1xx), not one a route can end with: "
                   "use a status from %d to %d"),
                 (int) status, MIN_STATUS, MAX_STATUS);
  else
    g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                 _("status %lld is out of range (%d–%d)"),
                 (long long) status, MIN_STATUS, MAX_STATUS);
  return FALSE;
}

/* Every text of a route must be UTF-8: a routes file is JSON, and what loads is written back.
 * json-glib 1.6 lets a lone surrogate escape ("\udc00") through as bytes that are not UTF-8,
 * and a body file chosen on disk may have any bytes in its name. */
static gboolean
check_utf8 (const char  *text,
            GError     **error)
{
  g_autofree char *shown = NULL;

  if (text == NULL || g_utf8_validate (text, -1, NULL))
    return TRUE;

  shown = ladle_http_escape_for_display (text, -1, 80);
  g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
               _("“%s” is not valid UTF-8 text, which a routes file must hold"), shown);
  return FALSE;
}

static gboolean
check_texts (LadleMockRoute  *self,
             GError         **error)
{
  if (!check_utf8 (self->method, error) || !check_utf8 (self->path, error))
    return FALSE;

  for (guint i = 0; self->headers[i] != NULL; i++)
    if (!check_utf8 (self->headers[i], error))
      return FALSE;

  return check_utf8 (self->content_type, error) &&
         check_utf8 (self->body, error) &&
         check_utf8 (self->body_file, error);
}

/* RFC 9110 §15.3.5, §15.3.6, §15.4.5: these answers have no content. libsoup leaves a body out
 * of 204 and 304 without a word, and would send one with 205. */
static gboolean
status_has_no_body (guint status)
{
  return status == SOUP_STATUS_NO_CONTENT ||
         status == SOUP_STATUS_RESET_CONTENT ||
         status == SOUP_STATUS_NOT_MODIFIED;
}

/**
 * ladle_mock_route_validate:
 *
 * Checks what the router needs and a routes file can hold: UTF-8 text, a valid method, path
 * pattern, headers and status, a single body source, and no body for a status that has none.
 * It does not look at the disk: see ladle_mock_route_check_body_file().
 *
 * Returns: %TRUE if the route can be served; otherwise @error says why, without position
 */
gboolean
ladle_mock_route_validate (LadleMockRoute  *self,
                           GError         **error)
{
  g_autoptr(GArray) segments = NULL;

  g_return_val_if_fail (LADLE_IS_MOCK_ROUTE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* First, so that the messages below only ever quote UTF-8. */
  if (!check_texts (self, error))
    return FALSE;

  if (!validate_method (self->method, error))
    return FALSE;

  segments = parse_route_path (self->path, error);
  if (segments == NULL)
    return FALSE;

  for (guint i = 0; self->headers[i] != NULL; i++)
    if (!split_header (self->headers[i], NULL, NULL, error))
      return FALSE;

  if (!ladle_http_check_header_value ("Content-Type", self->content_type, error))
    return FALSE;

  if (!ladle_mock_route_check_status (self->status, error))
    return FALSE;

  if (self->body != NULL && self->body_file != NULL)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                   _("a route has either a body or a body file, not both"));
      return FALSE;
    }

  if (status_has_no_body (self->status) &&
      (self->body_file != NULL || (self->body != NULL && self->body[0] != '\0')))
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                   _("status %u is sent without a body: remove the body, or choose another "
                     "status"), self->status);
      return FALSE;
    }

  return TRUE;
}

/* Files */

/* What a file that is not a regular one is, for a message. */
static const char *
describe_file_type (mode_t mode)
{
  if (S_ISDIR (mode))
    return _("a folder");
  if (S_ISFIFO (mode))
    return _("a named pipe (FIFO)");
  if (S_ISCHR (mode))
    return _("a character device");
  if (S_ISBLK (mode))
    return _("a block device");
  if (S_ISSOCK (mode))
    return _("a socket");
  return _("a special file");
}

static void
set_not_regular_error (GError     **error,
                       const char  *path,
                       mode_t       mode)
{
  g_autofree char *display = g_filename_display_name (path);

  /* Translators: the second %s is what the file is, such as "a named pipe (FIFO)" */
  g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
               _("“%s” is %s, not a regular file"), display, describe_file_type (mode));
}

static void
set_errno_error (GError     **error,
                 const char  *path,
                 int          saved_errno)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
               _("Could not open “%s”: %s"), display, g_strerror (saved_errno));
}

/* Opens @path for reading, but only a regular file, and without ever blocking on it: opening a
 * FIFO waits for a writer and a device never ends. The type is read from the open descriptor,
 * so that nothing can be swapped in between a check and the open.
 *
 * Returns: the descriptor, or -1 with @error set */
static int
open_regular_file (const char   *path,
                   struct stat  *out_stat,
                   GError      **error)
{
  struct stat st;
  int fd;

  do
    fd = open (path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);

  if (fd < 0)
    {
      int saved_errno = errno;

      /* A socket cannot be opened at all: say what it is rather than "No such device". */
      if (saved_errno == ENXIO && stat (path, &st) == 0 && !S_ISREG (st.st_mode))
        set_not_regular_error (error, path, st.st_mode);
      else
        set_errno_error (error, path, saved_errno);
      return -1;
    }

  if (fstat (fd, &st) != 0)
    {
      set_errno_error (error, path, errno);
      close (fd);
      return -1;
    }

  if (!S_ISREG (st.st_mode))
    {
      set_not_regular_error (error, path, st.st_mode);
      close (fd);
      return -1;
    }

  if (out_stat != NULL)
    *out_stat = st;
  return fd;
}

/* Returns (transfer full) (nullable): @path with "..", "." and every symbolic link resolved */
static char *
dup_real_path (const char *path)
{
  char *resolved = realpath (path, NULL);
  char *copy = g_strdup (resolved);

  free (resolved);
  return copy;
}

static gboolean
path_is_inside (const char *path,
                const char *folder)
{
  gsize len = strlen (folder);

  if (strncmp (path, folder, len) != 0)
    return FALSE;

  /* "/srv/mock" holds "/srv/mock/a", not "/srv/mockery"; "/" holds everything. */
  return len > 0 && (folder[len - 1] == G_DIR_SEPARATOR || path[len] == G_DIR_SEPARATOR);
}

/* Checks that the file open as @fd, which was opened by the name @path, lies inside @folder once
 * both are resolved. The resolved name is then compared with @fd itself (device and inode), so
 * that a link changed between the open and the check cannot pass off another file. */
static gboolean
check_inside_folder (int          fd,
                     const char  *path,
                     const char  *folder,
                     GError     **error)
{
  g_autofree char *real_folder = dup_real_path (folder);
  g_autofree char *real_path = dup_real_path (path);
  struct stat opened;
  struct stat named;

  if (real_folder != NULL && real_path != NULL && path_is_inside (real_path, real_folder) &&
      fstat (fd, &opened) == 0 && stat (real_path, &named) == 0 &&
      opened.st_dev == named.st_dev && opened.st_ino == named.st_ino)
    return TRUE;

  {
    g_autofree char *display = g_filename_display_name (path);
    g_autofree char *display_folder = g_filename_display_name (folder);

    g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                 _("“%s” is outside “%s”, the folder of the routes file: move it there, or "
                   "allow body files from anywhere (“ladle serve --allow-any-body-file”, or the "
                   "switch in the route editor)"),
                 display, display_folder);
  }
  return FALSE;
}

/* Returns: the descriptor of the body file, open for reading, or -1 with @error set */
static int
open_body_file (const char   *body_file,
                const char   *body_folder,
                struct stat  *out_stat,
                GError      **error)
{
  int fd = open_regular_file (body_file, out_stat, error);

  if (fd >= 0 && body_folder != NULL && !check_inside_folder (fd, body_file, body_folder, error))
    {
      close (fd);
      return -1;
    }

  return fd;
}

/**
 * ladle_mock_route_check_body_file:
 *
 * Checks on disk that the body file, if the route has one, can be served: a regular file that
 * can be opened, inside #LadleMockRoute:body-folder (when set) after resolving ".." and symbolic
 * links. The router checks again each time it opens the file.
 *
 * Returns: %TRUE if the route has no body file or it can be served; otherwise @error says why,
 *   naming the file
 */
gboolean
ladle_mock_route_check_body_file (LadleMockRoute  *self,
                                  GError         **error)
{
  int fd;

  g_return_val_if_fail (LADLE_IS_MOCK_ROUTE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->body_file == NULL)
    return TRUE;

  fd = open_body_file (self->body_file, self->body_folder, NULL, error);
  if (fd < 0)
    return FALSE;

  close (fd);
  return TRUE;
}

/**
 * ladle_mock_route_equal:
 *
 * Compares what a routes file holds: #LadleMockRoute:body-folder is left out.
 *
 * Returns: %TRUE if both routes have the same properties
 */
gboolean
ladle_mock_route_equal (LadleMockRoute *a,
                        LadleMockRoute *b)
{
  g_return_val_if_fail (LADLE_IS_MOCK_ROUTE (a), FALSE);
  g_return_val_if_fail (LADLE_IS_MOCK_ROUTE (b), FALSE);

  return g_strcmp0 (a->method, b->method) == 0 &&
         g_strcmp0 (a->path, b->path) == 0 &&
         a->status == b->status &&
         g_strv_equal ((const char * const *)a->headers, (const char * const *)b->headers) &&
         g_strcmp0 (a->body, b->body) == 0 &&
         g_strcmp0 (a->body_file, b->body_file) == 0 &&
         a->delay == b->delay &&
         g_strcmp0 (a->content_type, b->content_type) == 0 &&
         a->no_cors == b->no_cors;
}

/* Loading */

typedef struct
{
  const char *display_name;
  /* Where relative body files are resolved */
  const char *base_dir;
  /* What body files are confined to: NULL for anywhere */
  const char *body_folder;
  /* JsonObject/JsonArray → GUINT_TO_POINTER ((line << 16) | column) */
  GHashTable *positions;
  GArray     *starts;
} LoadContext;

static void
on_container_start (JsonParser  *parser,
                    LoadContext *ctx)
{
  guint line = json_parser_get_current_line (parser);
  guint column = json_parser_get_current_pos (parser);
  guint packed = (MIN (line, 0xffff) << 16) | MIN (column, 0xffff);

  g_array_append_val (ctx->starts, packed);
}

static void
on_container_end (JsonParser  *parser,
                  gpointer     container,
                  LoadContext *ctx)
{
  guint packed;

  if (ctx->starts->len == 0)
    return;

  packed = g_array_index (ctx->starts, guint, ctx->starts->len - 1);
  g_array_set_size (ctx->starts, ctx->starts->len - 1);
  g_hash_table_insert (ctx->positions, container, GUINT_TO_POINTER (packed));
}

static char *
format_position (LoadContext *ctx,
                 gpointer     container)
{
  gpointer packed;

  if (container != NULL &&
      g_hash_table_lookup_extended (ctx->positions, container, NULL, &packed))
    return g_strdup_printf ("%s:%u:%u", ctx->display_name,
                            GPOINTER_TO_UINT (packed) >> 16,
                            GPOINTER_TO_UINT (packed) & 0xffff);

  return g_strdup (ctx->display_name);
}

G_GNUC_PRINTF (5, 6)
static void
set_load_error (GError      **error,
                LoadContext  *ctx,
                gpointer      container,
                guint         route_number,
                const char   *format,
                ...)
{
  g_autofree char *position = format_position (ctx, container);
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  if (route_number > 0)
    /* Translators: "routes.json:3:5: route 2: status 700 is out of range" */
    g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                 _("%s: route %u: %s"), position, route_number, what);
  else
    g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT, "%s: %s", position, what);
}

static gboolean
node_is_integer (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64;
}

static gboolean
node_is_number (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) &&
         (json_node_get_value_type (node) == G_TYPE_INT64 ||
          json_node_get_value_type (node) == G_TYPE_DOUBLE);
}

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static GStrv
load_headers (JsonNode  *node,
              GError   **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (const GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *value = json_object_get_member (object, l->data);

          if (!node_is_string (value))
            {
              g_autofree char *shown = ladle_http_escape_for_display (l->data, -1, 80);

              g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                           _("the value of header “%s” must be a string"), shown);
              return NULL;
            }
          g_autofree char *header = g_strdup_printf ("%s: %s", (const char *)l->data,
                                                     json_node_get_string (value));

          g_strv_builder_add (builder, header);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!node_is_string (element))
            {
              g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                           _("“headers” must be an object or an array of “Name: value” strings"));
              return NULL;
            }
          g_strv_builder_add (builder, json_node_get_string (element));
        }
    }
  else
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                   _("“headers” must be an object or an array of “Name: value” strings"));
      return NULL;
    }

  return g_strv_builder_end (builder);
}

static LadleMockRoute *
load_route (LoadContext  *ctx,
            JsonNode     *node,
            guint         route_number,
            GError      **error)
{
  static const char * const known_keys[] = {
    "method", "path", "status", "headers", "body", "body_file", "delay", "content_type", "cors",
    NULL
  };
  g_autoptr(LadleMockRoute) route = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *object;
  JsonNode *member;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_load_error (error, ctx, NULL, route_number, _("a route must be an object"));
      return NULL;
    }

  object = json_node_get_object (node);
  route = g_object_new (LADLE_TYPE_MOCK_ROUTE, NULL);

  members = json_object_get_members (object);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      if (!g_strv_contains (known_keys, l->data))
        {
          g_autofree char *shown = ladle_http_escape_for_display (l->data, -1, 80);

          set_load_error (error, ctx, object, route_number, _("unknown key “%s”"), shown);
          return NULL;
        }
    }

  member = json_object_get_member (object, "method");
  if (member != NULL)
    {
      if (!node_is_string (member))
        {
          set_load_error (error, ctx, object, route_number, _("“method” must be a string"));
          return NULL;
        }
      ladle_mock_route_set_method (route, json_node_get_string (member));
    }

  member = json_object_get_member (object, "path");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    {
      set_load_error (error, ctx, object, route_number, _("“path” is missing"));
      return NULL;
    }
  if (!node_is_string (member))
    {
      set_load_error (error, ctx, object, route_number, _("“path” must be a string"));
      return NULL;
    }
  ladle_mock_route_set_path (route, json_node_get_string (member));

  member = json_object_get_member (object, "status");
  if (member != NULL)
    {
      gint64 status;

      if (!node_is_integer (member))
        {
          set_load_error (error, ctx, object, route_number, _("“status” must be an integer"));
          return NULL;
        }
      status = json_node_get_int (member);
      if (!ladle_mock_route_check_status (status, &local_error))
        {
          set_load_error (error, ctx, object, route_number, "%s", local_error->message);
          return NULL;
        }
      ladle_mock_route_set_status (route, (guint)status);
    }

  member = json_object_get_member (object, "headers");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      g_auto(GStrv) headers = load_headers (member, &local_error);

      if (headers == NULL)
        {
          set_load_error (error, ctx, object, route_number, "%s", local_error->message);
          return NULL;
        }
      ladle_mock_route_set_headers (route, (const char * const *)headers);
    }

  member = json_object_get_member (object, "content_type");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (!node_is_string (member))
        {
          set_load_error (error, ctx, object, route_number,
                          _("“content_type” must be a string"));
          return NULL;
        }
      ladle_mock_route_set_content_type (route, json_node_get_string (member));
    }

  member = json_object_get_member (object, "cors");
  if (member != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (member) ||
          json_node_get_value_type (member) != G_TYPE_BOOLEAN)
        {
          set_load_error (error, ctx, object, route_number,
                          _("“cors” must be true or false"));
          return NULL;
        }
      ladle_mock_route_set_cors (route, json_node_get_boolean (member));
    }

  member = json_object_get_member (object, "body");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (node_is_string (member))
        {
          ladle_mock_route_set_body (route, json_node_get_string (member));
        }
      else
        {
          g_autofree char *compact = json_to_string (member, FALSE);

          ladle_mock_route_set_body (route, compact);
        }
    }

  member = json_object_get_member (object, "body_file");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      const char *body_file;

      if (!node_is_string (member) || *json_node_get_string (member) == '\0')
        {
          set_load_error (error, ctx, object, route_number,
                          _("“body_file” must be a file name"));
          return NULL;
        }
      body_file = json_node_get_string (member);

      if (route->body != NULL)
        {
          set_load_error (error, ctx, object, route_number,
                          _("a route has either “body” or “body_file”, not both"));
          return NULL;
        }

      {
        g_autofree char *absolute = g_canonicalize_filename (body_file, ctx->base_dir);

        ladle_mock_route_set_body_file (route, absolute);
        ladle_mock_route_set_body_folder (route, ctx->body_folder);
      }
    }

  member = json_object_get_member (object, "delay");
  if (member != NULL)
    {
      double delay;

      if (!node_is_number (member))
        {
          set_load_error (error, ctx, object, route_number,
                          _("“delay” must be a number of seconds"));
          return NULL;
        }
      delay = json_node_get_double (member);
      if (!(delay >= 0.0 && delay <= MAX_DELAY))
        {
          set_load_error (error, ctx, object, route_number,
                          _("delay %g is out of range (0–%g seconds)"), delay, MAX_DELAY);
          return NULL;
        }
      ladle_mock_route_set_delay (route, delay);
    }

  /* The body file last: the disk is looked at only for a route that is otherwise right. */
  if (!ladle_mock_route_validate (route, &local_error) ||
      !ladle_mock_route_check_body_file (route, &local_error))
    {
      set_load_error (error, ctx, object, route_number, "%s", local_error->message);
      return NULL;
    }

  return g_steal_pointer (&route);
}

/* json-glib reports "<data>:LINE:COL: Parse error: …"; put the file's name in front instead. */
static void
set_syntax_error (GError     **error,
                  const char  *display_name,
                  GError      *parse_error)
{
  const char *message = parse_error->message;

  if (g_str_has_prefix (message, "<data>:"))
    message += strlen ("<data>:");
  else if (g_str_has_prefix (message, "<data>"))
    message += strlen ("<data>");
  else
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, "%s: %s", display_name, message);
      return;
    }

  g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, "%s:%s", display_name, message);
}

/**
 * ladle_mock_routes_load_data_full:
 * @data: the JSON text
 * @len: its length, or -1 if nul-terminated
 * @display_name: the name used in error messages, such as "routes.json"
 * @base_dir: (nullable) (type filename): the folder relative body files are resolved against
 *   and, unless @flags say otherwise, confined to (default: the current folder)
 * @flags: whether body files may lie outside @base_dir
 * @error: %LADLE_ERROR_PARSE for malformed JSON, %LADLE_ERROR_INVALID_ARGUMENT for a route
 *   that is wrong; the message starts with "NAME:LINE:COLUMN: "
 *
 * Loads `{"version": 1, "routes": [...]}` or a bare array of routes. Each body file must be a
 * regular file, inside @base_dir after resolving ".." and symbolic links unless @flags has
 * %LADLE_MOCK_ROUTES_LOAD_ANY_BODY_FILE; the routes get that folder as their
 * #LadleMockRoute:body-folder, so that the router checks again when it opens the file.
 *
 * Returns: (transfer full) (nullable): a #GListStore of #LadleMockRoute
 */
GListStore *
ladle_mock_routes_load_data_full (const char                *data,
                                  gssize                     len,
                                  const char                *display_name,
                                  const char                *base_dir,
                                  LadleMockRoutesLoadFlags   flags,
                                  GError                   **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GListStore) store = NULL;
  g_autoptr(GHashTable) positions = NULL;
  g_autoptr(GArray) starts = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *absolute_base = NULL;
  LoadContext ctx;
  JsonNode *root;
  JsonArray *routes;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (data == NULL)
    data = "";
  if (len < 0)
    len = strlen (data);

  absolute_base = g_canonicalize_filename (base_dir != NULL ? base_dir : ".", NULL);

  positions = g_hash_table_new (NULL, NULL);
  starts = g_array_new (FALSE, FALSE, sizeof (guint));
  ctx.display_name = display_name;
  ctx.base_dir = absolute_base;
  ctx.body_folder = (flags & LADLE_MOCK_ROUTES_LOAD_ANY_BODY_FILE) ? NULL : absolute_base;
  ctx.positions = positions;
  ctx.starts = starts;

  parser = json_parser_new ();
  g_signal_connect (parser, "object-start", G_CALLBACK (on_container_start), &ctx);
  g_signal_connect (parser, "object-end", G_CALLBACK (on_container_end), &ctx);
  g_signal_connect (parser, "array-start", G_CALLBACK (on_container_start), &ctx);
  g_signal_connect (parser, "array-end", G_CALLBACK (on_container_end), &ctx);

  if (!ladle_json_parser_load (parser, data, len, &local_error))
    {
      set_syntax_error (error, display_name, local_error);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                   _("%s: the file is empty"), display_name);
      return NULL;
    }

  if (JSON_NODE_HOLDS_ARRAY (root))
    {
      routes = json_node_get_array (root);
    }
  else if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      g_autoptr(GList) members = json_object_get_members (object);
      JsonNode *version = json_object_get_member (object, "version");
      JsonNode *member = json_object_get_member (object, "routes");

      for (const GList *l = members; l != NULL; l = l->next)
        {
          if (g_strcmp0 (l->data, "version") != 0 && g_strcmp0 (l->data, "routes") != 0)
            {
              g_autofree char *shown = ladle_http_escape_for_display (l->data, -1, 80);

              set_load_error (error, &ctx, object, 0, _("unknown key “%s”"), shown);
              return NULL;
            }
        }

      /* A missing version means 1; we always write it. */
      if (version != NULL &&
          (!node_is_integer (version) || json_node_get_int (version) != LADLE_MOCK_ROUTES_VERSION))
        {
          g_autofree char *text = json_to_string (version, FALSE);
          g_autofree char *shown = ladle_http_escape_for_display (text, -1, 80);

          set_load_error (error, &ctx, object, 0,
                          _("unsupported version %s (this Ladle reads version %d)"),
                          shown, LADLE_MOCK_ROUTES_VERSION);
          return NULL;
        }

      if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
        {
          set_load_error (error, &ctx, object, 0, _("“routes” must be an array"));
          return NULL;
        }
      routes = json_node_get_array (member);
    }
  else
    {
      set_load_error (error, &ctx, NULL, 0,
                      _("expected an object with “routes”, or an array of routes"));
      return NULL;
    }

  store = g_list_store_new (LADLE_TYPE_MOCK_ROUTE);

  for (guint i = 0; i < json_array_get_length (routes); i++)
    {
      g_autoptr(LadleMockRoute) route = NULL;

      route = load_route (&ctx, json_array_get_element (routes, i), i + 1, error);
      if (route == NULL)
        return NULL;

      g_list_store_append (store, route);
    }

  return g_steal_pointer (&store);
}

static void
set_too_large_error (GError     **error,
                     const char  *path)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *limit = g_format_size_full (LADLE_MOCK_ROUTES_MAX_FILE_SIZE,
                                               G_FORMAT_SIZE_IEC_UNITS);

  g_set_error (error, LADLE_ERROR, LADLE_ERROR_TOO_LARGE,
               _("“%s” is larger than %s, too large for a routes file: put big bodies in "
                 "files of their own, named by “body_file”"), display, limit);
}

/* Reads a routes file: a regular file of at most LADLE_MOCK_ROUTES_MAX_FILE_SIZE bytes. The size
 * is taken from the open descriptor and the reads stop one byte past the limit, so that a file
 * that grows meanwhile is refused too, never read on. */
static char *
read_routes_file (const char  *path,
                  gsize       *out_len,
                  GError     **error)
{
  g_autofree char *contents = NULL;
  struct stat st;
  gsize capacity;
  gsize len = 0;
  int fd;

  fd = open_regular_file (path, &st, error);
  if (fd < 0)
    return NULL;

  if (st.st_size > LADLE_MOCK_ROUTES_MAX_FILE_SIZE)
    {
      set_too_large_error (error, path);
      close (fd);
      return NULL;
    }

  /* Room for one byte more than the file had, to notice that it grew. */
  capacity = (gsize) st.st_size + 1;
  contents = g_malloc (capacity + 1);

  for (;;)
    {
      gssize n = read (fd, contents + len, capacity - len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          set_errno_error (error, path, errno);
          close (fd);
          return NULL;
        }
      if (n == 0)
        break;

      len += n;
      if (len > (gsize) LADLE_MOCK_ROUTES_MAX_FILE_SIZE)
        {
          set_too_large_error (error, path);
          close (fd);
          return NULL;
        }
      if (len == capacity)
        {
          capacity = MIN (capacity * 2, (gsize) LADLE_MOCK_ROUTES_MAX_FILE_SIZE + 1);
          contents = g_realloc (contents, capacity + 1);
        }
    }

  close (fd);
  contents[len] = '\0';
  *out_len = len;
  return g_steal_pointer (&contents);
}

/**
 * ladle_mock_routes_load_data:
 *
 * ladle_mock_routes_load_data_full() with body files confined to @base_dir.
 *
 * Returns: (transfer full) (nullable): a #GListStore of #LadleMockRoute
 */
GListStore *
ladle_mock_routes_load_data (const char  *data,
                             gssize       len,
                             const char  *display_name,
                             const char  *base_dir,
                             GError     **error)
{
  return ladle_mock_routes_load_data_full (data, len, display_name, base_dir,
                                           LADLE_MOCK_ROUTES_LOAD_DEFAULT, error);
}

/**
 * ladle_mock_routes_load_file_full:
 * @path: (type filename): the routes file
 * @flags: whether body files may lie outside the folder of @path
 *
 * Like ladle_mock_routes_load_data_full(), naming @path in errors and resolving relative body files
 * against its folder. @path must be a regular file of at most
 * %LADLE_MOCK_ROUTES_MAX_FILE_SIZE bytes. Synchronous: call it from a thread in the UI.
 *
 * Returns: (transfer full) (nullable): a #GListStore of #LadleMockRoute; on error, a
 *   %G_FILE_ERROR when @path cannot be opened, %LADLE_ERROR_TOO_LARGE, or as
 *   ladle_mock_routes_load_data()
 */
GListStore *
ladle_mock_routes_load_file_full (const char                *path,
                                  LadleMockRoutesLoadFlags   flags,
                                  GError                   **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *display_name = NULL;
  g_autofree char *base_dir = NULL;
  gsize len = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  contents = read_routes_file (path, &len, error);
  if (contents == NULL)
    return NULL;

  display_name = g_filename_display_name (path);
  base_dir = g_path_get_dirname (path);

  return ladle_mock_routes_load_data_full (contents, len, display_name, base_dir, flags, error);
}

/**
 * ladle_mock_routes_load_file:
 * @path: (type filename): the routes file
 *
 * ladle_mock_routes_load_file_full() with body files confined to the folder of @path.
 *
 * Returns: (transfer full) (nullable): a #GListStore of #LadleMockRoute
 */
GListStore *
ladle_mock_routes_load_file (const char  *path,
                             GError     **error)
{
  return ladle_mock_routes_load_file_full (path, LADLE_MOCK_ROUTES_LOAD_DEFAULT, error);
}

/* Saving */

static gboolean
body_is_compact_json (const char  *body,
                      JsonNode   **out_node)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *compact = NULL;

  node = ladle_json_parse (body, -1, NULL);
  if (node == NULL || !(JSON_NODE_HOLDS_OBJECT (node) || JSON_NODE_HOLDS_ARRAY (node)))
    return FALSE;

  /* Only when writing it back as JSON gives the same text, so that loading is lossless. */
  compact = json_to_string (node, FALSE);
  if (g_strcmp0 (compact, body) != 0)
    return FALSE;

  *out_node = g_steal_pointer (&node);
  return TRUE;
}

static void
add_headers (JsonBuilder        *builder,
             const char * const *headers)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean as_object = TRUE;

  /* An object reads best, but needs unique names and "Name: value" spelling to round-trip. */
  for (guint i = 0; headers[i] != NULL && as_object; i++)
    {
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;
      g_autofree char *canonical = NULL;

      if (!split_header (headers[i], &name, &value, NULL))
        {
          as_object = FALSE;
          break;
        }

      canonical = g_strdup_printf ("%s: %s", name, value);
      if (strcmp (canonical, headers[i]) != 0 ||
          !g_hash_table_add (seen, g_ascii_strdown (name, -1)))
        as_object = FALSE;
    }

  json_builder_set_member_name (builder, "headers");

  if (as_object)
    {
      json_builder_begin_object (builder);
      for (guint i = 0; headers[i] != NULL; i++)
        {
          const char *colon = strchr (headers[i], ':');
          g_autofree char *name = g_strndup (headers[i], colon - headers[i]);

          json_builder_set_member_name (builder, name);
          json_builder_add_string_value (builder, colon + 2);
        }
      json_builder_end_object (builder);
    }
  else
    {
      json_builder_begin_array (builder);
      for (guint i = 0; headers[i] != NULL; i++)
        json_builder_add_string_value (builder, headers[i]);
      json_builder_end_array (builder);
    }
}

static JsonNode *
routes_to_json (GListModel *routes,
                const char *relative_to)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint n_items = g_list_model_get_n_items (routes);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, LADLE_MOCK_ROUTES_VERSION);
  json_builder_set_member_name (builder, "routes");
  json_builder_begin_array (builder);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(LadleMockRoute) route = g_list_model_get_item (routes, i);
      JsonNode *body_node = NULL;

      json_builder_begin_object (builder);

      json_builder_set_member_name (builder, "method");
      json_builder_add_string_value (builder, route->method);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, route->path);
      json_builder_set_member_name (builder, "status");
      json_builder_add_int_value (builder, route->status);

      if (route->headers[0] != NULL)
        add_headers (builder, (const char * const *)route->headers);

      if (route->content_type != NULL)
        {
          json_builder_set_member_name (builder, "content_type");
          json_builder_add_string_value (builder, route->content_type);
        }

      if (route->body != NULL)
        {
          json_builder_set_member_name (builder, "body");
          if (body_is_compact_json (route->body, &body_node))
            json_builder_add_value (builder, body_node);
          else
            json_builder_add_string_value (builder, route->body);
        }

      if (route->body_file != NULL)
        {
          const char *body_file = route->body_file;
          g_autofree char *prefix = NULL;

          if (relative_to != NULL)
            {
              prefix = g_str_has_suffix (relative_to, G_DIR_SEPARATOR_S)
                ? g_strdup (relative_to)
                : g_strconcat (relative_to, G_DIR_SEPARATOR_S, NULL);
              if (g_str_has_prefix (body_file, prefix) && body_file[strlen (prefix)] != '\0')
                body_file += strlen (prefix);
            }

          json_builder_set_member_name (builder, "body_file");
          json_builder_add_string_value (builder, body_file);
        }

      if (route->delay > 0.0)
        {
          json_builder_set_member_name (builder, "delay");
          json_builder_add_double_value (builder, route->delay);
        }

      if (route->no_cors)
        {
          json_builder_set_member_name (builder, "cors");
          json_builder_add_boolean_value (builder, FALSE);
        }

      json_builder_end_object (builder);
    }

  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* The same text as the routes' store writes. */
static char *
routes_to_data (GListModel *routes,
                const char *relative_to,
                gsize      *len)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = routes_to_json (routes, relative_to);
  char *data;
  gsize data_len;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);

  data = json_generator_to_data (generator, &data_len);

  /* End with a newline, as text files do. */
  data = g_realloc (data, data_len + 2);
  data[data_len++] = '\n';
  data[data_len] = '\0';

  if (len != NULL)
    *len = data_len;

  return data;
}

/**
 * ladle_mock_routes_to_data:
 * @routes: a #GListModel of #LadleMockRoute
 * @len: (out) (optional): the length of the text
 *
 * Returns: (transfer full): the routes as version 1 JSON; body files are written as they are
 */
char *
ladle_mock_routes_to_data (GListModel *routes,
                           gsize      *len)
{
  g_return_val_if_fail (G_IS_LIST_MODEL (routes), NULL);
  g_return_val_if_fail (g_list_model_get_item_type (routes) == LADLE_TYPE_MOCK_ROUTE, NULL);

  return routes_to_data (routes, NULL, len);
}

/**
 * ladle_mock_routes_save_file:
 * @routes: a #GListModel of #LadleMockRoute
 * @path: (type filename): where to write
 *
 * Writes now, blocking, through the store of ladle_mock_routes_store_new(): atomically (a
 * temporary file renamed over @path, with fsync), mode 0600, making the folder if need be. A file
 * there that is not JSON, or that a newer version wrote, is set aside first. Body files inside
 * @path's folder are written relative to it, so the folder can be moved as a whole.
 *
 * Returns: %TRUE on success
 */
gboolean
ladle_mock_routes_save_file (GListModel  *routes,
                             const char  *path,
                             GError     **error)
{
  g_autoptr(LadleJsonStore) store = NULL;
  g_autofree char *absolute_dir = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (G_IS_LIST_MODEL (routes), FALSE);
  g_return_val_if_fail (g_list_model_get_item_type (routes) == LADLE_TYPE_MOCK_ROUTE, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  store = ladle_mock_routes_store_new (path);
  absolute_dir = g_canonicalize_filename (ladle_json_store_get_folder (store), NULL);
  root = routes_to_json (routes, absolute_dir);
  return ladle_json_store_save (store, root, NULL, error);
}

/* Routes files in a LadleJsonStore */

/**
 * ladle_mock_routes_store_new:
 * @path: (type filename): a routes file
 *
 * A store for a routes file, which the user may edit by hand: a file that does not load stays as
 * it is (to be mended and loaded again) until the next save sets it aside as
 * NAME.corrupt-STAMP.
 *
 * Returns: (transfer full): the store
 */
LadleJsonStore *
ladle_mock_routes_store_new (const char *path)
{
  LadleJsonStore *store;

  g_return_val_if_fail (path != NULL && path[0] != '\0', NULL);

  store = ladle_json_store_new_for_path (path, LADLE_MOCK_ROUTES_VERSION,
                                         LADLE_JSON_STORE_SET_ASIDE_ON_SAVE);
  ladle_json_store_set_max_size (store, LADLE_MOCK_ROUTES_MAX_FILE_SIZE);
  return store;
}

/* In the store's worker thread */
static gpointer
read_routes (const char  *path,
             gpointer     user_data,
             GError     **error)
{
  return ladle_mock_routes_load_file_full (path, GPOINTER_TO_UINT (user_data), error);
}

/**
 * ladle_mock_routes_load_async:
 * @store: a store from ladle_mock_routes_store_new()
 * @flags: whether body files may lie outside the file's folder
 *
 * ladle_mock_routes_load_file_full() in the store's worker thread.
 */
void
ladle_mock_routes_load_async (LadleJsonStore           *store,
                              LadleMockRoutesLoadFlags  flags,
                              GCancellable             *cancellable,
                              GAsyncReadyCallback       callback,
                              gpointer                  user_data)
{
  g_return_if_fail (LADLE_IS_JSON_STORE (store));

  ladle_json_store_load_file_async (store, read_routes, GUINT_TO_POINTER (flags), NULL,
                                    g_object_unref, cancellable, callback, user_data);
}

/**
 * ladle_mock_routes_load_finish:
 *
 * Returns: (transfer full) (nullable): a #GListStore of #LadleMockRoute, empty when there is no
 *   file yet; %NULL with the error of ladle_mock_routes_load_file_full() (the file stays)
 */
GListStore *
ladle_mock_routes_load_finish (LadleJsonStore  *store,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  GListStore *routes;

  g_return_val_if_fail (LADLE_IS_JSON_STORE (store), NULL);

  routes = ladle_json_store_load_finish (store, result, NULL, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  /* A file not written yet holds no routes: the first save makes it. */
  return routes != NULL ? routes : g_list_store_new (LADLE_TYPE_MOCK_ROUTE);
}

typedef struct
{
  GListStore *routes;  /* copies: the originals stay with their owner */
  char       *folder;  /* absolute */
} RoutesSnapshot;

static void
routes_snapshot_free (RoutesSnapshot *snapshot)
{
  g_clear_object (&snapshot->routes);
  g_free (snapshot->folder);
  g_free (snapshot);
}

/* In the store's worker thread */
static JsonNode *
build_routes (gpointer data)
{
  RoutesSnapshot *snapshot = data;

  return routes_to_json (G_LIST_MODEL (snapshot->routes), snapshot->folder);
}

/**
 * ladle_mock_routes_save_async:
 * @store: a store from ladle_mock_routes_store_new()
 * @routes: a #GListModel of #LadleMockRoute, copied now
 *
 * Writes the routes in the store's worker thread, as ladle_mock_routes_save_file() does; saves
 * asked for while one is written make one more write, of the newest routes.
 */
void
ladle_mock_routes_save_async (LadleJsonStore      *store,
                              GListModel          *routes,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  RoutesSnapshot *snapshot;
  guint n;

  g_return_if_fail (LADLE_IS_JSON_STORE (store));
  g_return_if_fail (G_IS_LIST_MODEL (routes));
  g_return_if_fail (g_list_model_get_item_type (routes) == LADLE_TYPE_MOCK_ROUTE);

  snapshot = g_new0 (RoutesSnapshot, 1);
  snapshot->routes = g_list_store_new (LADLE_TYPE_MOCK_ROUTE);
  snapshot->folder = g_canonicalize_filename (ladle_json_store_get_folder (store), NULL);
  n = g_list_model_get_n_items (routes);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LadleMockRoute) route = g_list_model_get_item (routes, i);
      g_autoptr(LadleMockRoute) copy = ladle_mock_route_copy (route);

      g_list_store_append (snapshot->routes, copy);
    }
  ladle_json_store_save_snapshot_async (store, snapshot, build_routes,
                                        (GDestroyNotify) routes_snapshot_free, cancellable,
                                        callback, user_data);
}

/**
 * ladle_mock_routes_save_finish:
 * @out_set_aside: (out) (optional) (type filename): where a file that did not load went before
 *   the write, or %NULL
 *
 * Returns: whether the routes (or newer ones) are on disk
 */
gboolean
ladle_mock_routes_save_finish (LadleJsonStore  *store,
                               GAsyncResult    *result,
                               char           **out_set_aside,
                               GError         **error)
{
  return ladle_json_store_save_finish (store, result, out_set_aside, error);
}

static void
find_free_path_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  const char *folder = task_data;
  char *path = g_build_filename (folder, "routes.json", NULL);
  GStatBuf st;

  for (guint i = 2; g_lstat (path, &st) == 0; i++)
    {
      g_autofree char *name = g_strdup_printf ("routes-%u.json", i);

      g_free (path);
      path = g_build_filename (folder, name, NULL);
    }
  g_task_return_pointer (task, path, g_free);
}

/**
 * ladle_mock_routes_find_free_path_async:
 * @folder: (type filename): where the routes are to go
 *
 * Looks, in a worker thread, for a routes file name not taken in @folder (routes.json,
 * routes-2.json, …), so that a file the user stopped using is never written over.
 */
void
ladle_mock_routes_find_free_path_async (const char          *folder,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (folder != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ladle_mock_routes_find_free_path_async);
  g_task_set_task_data (task, g_strdup (folder), g_free);
  g_task_run_in_thread (task, find_free_path_thread);
}

/**
 * ladle_mock_routes_find_free_path_finish:
 *
 * Returns: (transfer full) (type filename): the path
 */
char *
ladle_mock_routes_find_free_path_finish (GAsyncResult  *result,
                                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The router: an immutable copy for the server thread. */

typedef struct
{
  guint    index;
  char    *method;          /* NULL for any method */
  Segment *segments;
  guint    n_segments;
  guint    status;
  char   **header_names;
  char   **header_values;
  char    *content_type;    /* NULL: send none */
  char    *body;            /* template, when it has placeholders */
  GBytes  *body_bytes;      /* ready-made body, when it has none */
  gboolean json_escape;
  char    *body_file;
  char    *body_folder;     /* NULL: the body file may be anywhere */
  guint    delay_ms;
  gboolean no_cors;
} MockRoute;

struct _LadleMockRouter
{
  MockRoute *routes;
  guint      n_routes;
};

static void
mock_route_clear (MockRoute *route)
{
  g_clear_pointer (&route->method, g_free);
  for (guint i = 0; i < route->n_segments; i++)
    segment_clear (&route->segments[i]);
  g_clear_pointer (&route->segments, g_free);
  g_clear_pointer (&route->header_names, g_strfreev);
  g_clear_pointer (&route->header_values, g_strfreev);
  g_clear_pointer (&route->content_type, g_free);
  g_clear_pointer (&route->body, g_free);
  g_clear_pointer (&route->body_bytes, g_bytes_unref);
  g_clear_pointer (&route->body_file, g_free);
  g_clear_pointer (&route->body_folder, g_free);
}

static gboolean
text_is_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  return ladle_json_parser_load (parser, text, -1, NULL) &&
         json_parser_get_root (parser) != NULL;
}

/* Finds the next "{name}" in @text naming a parameter of @route; returns its index or -1. */
static int
find_placeholder (const MockRoute  *route,
                  const char       *text,
                  const char      **out_start,
                  const char      **out_end)
{
  for (const char *p = strchr (text, '{'); p != NULL; p = strchr (p + 1, '{'))
    {
      const char *end = p + 1;
      int param = 0;

      while (is_param_name_char (*end))
        end++;
      if (*end != '}' || end == p + 1)
        continue;

      for (guint i = 0; i < route->n_segments; i++)
        {
          const Segment *segment = &route->segments[i];

          if (segment->kind == SEGMENT_LITERAL || segment->text == NULL)
            continue;
          if (strlen (segment->text) == (gsize)(end - p - 1) &&
              memcmp (segment->text, p + 1, end - p - 1) == 0)
            {
              *out_start = p;
              *out_end = end + 1;
              return param;
            }
          param++;
        }
    }

  return -1;
}

static void
append_json_escaped (GString    *out,
                     const char *value)
{
  g_autofree char *valid = g_utf8_make_valid (value, -1);

  for (const char *p = valid; *p != '\0'; p++)
    {
      guchar c = *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
        }
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, c);
    }
}

/* @values are the parameter values, in the order of the route's named placeholders. */
static char *
substitute (const MockRoute    *route,
            const char         *text,
            const char * const *values)
{
  GString *out = g_string_new (NULL);
  const char *rest = text;
  const char *start;
  const char *end;
  int param;

  while ((param = find_placeholder (route, rest, &start, &end)) >= 0)
    {
      g_string_append_len (out, rest, start - rest);
      if (route->json_escape)
        append_json_escaped (out, values[param]);
      else
        g_string_append (out, values[param]);
      rest = end;
    }
  g_string_append (out, rest);

  return g_string_free (out, FALSE);
}

static char *
guess_file_content_type (const char *filename)
{
  g_autofree char *content_type = NULL;
  char *mime_type;

  /* Do not depend on the MIME database for the most common case. */
  if (g_str_has_suffix (filename, ".json"))
    return g_strdup (JSON_CONTENT_TYPE);

  content_type = g_content_type_guess (filename, NULL, 0, NULL);
  mime_type = g_content_type_get_mime_type (content_type);
  if (mime_type == NULL)
    return g_strdup ("application/octet-stream");

  if (g_str_has_prefix (mime_type, "text/") && strchr (mime_type, ';') == NULL)
    {
      char *with_charset = g_strconcat (mime_type, "; charset=utf-8", NULL);

      g_free (mime_type);
      return with_charset;
    }

  return mime_type;
}

static gboolean
mock_route_init (MockRoute      *route,
                 LadleMockRoute *source,
                 guint           index)
{
  g_autoptr(GArray) segments = NULL;
  g_autoptr(GStrvBuilder) names = NULL;
  g_autoptr(GStrvBuilder) values = NULL;
  g_autofree char *header_content_type = NULL;
  guint n_params = 0;

  if (!ladle_mock_route_validate (source, NULL))
    return FALSE;

  segments = parse_route_path (source->path, NULL);
  g_assert (segments != NULL);

  route->index = index;
  route->method = method_is_any (source->method) ? NULL : g_ascii_strup (source->method, -1);
  route->n_segments = segments->len;
  route->segments = (Segment *)(gpointer)g_array_free (g_steal_pointer (&segments), FALSE);
  route->status = source->status;
  route->delay_ms = (guint)(source->delay * 1000.0 + 0.5);
  route->no_cors = source->no_cors;

  for (guint i = 0; i < route->n_segments; i++)
    if (route->segments[i].kind != SEGMENT_LITERAL && route->segments[i].text != NULL)
      n_params++;

  names = g_strv_builder_new ();
  values = g_strv_builder_new ();
  for (guint i = 0; source->headers[i] != NULL; i++)
    {
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (!split_header (source->headers[i], &name, &value, NULL))
        g_assert_not_reached ();

      if (g_ascii_strcasecmp (name, "Content-Type") == 0)
        {
          g_free (header_content_type);
          header_content_type = g_steal_pointer (&value);
          continue;
        }

      g_strv_builder_add (names, name);
      g_strv_builder_add (values, value);
    }
  route->header_names = g_strv_builder_end (names);
  route->header_values = g_strv_builder_end (values);

  if (source->content_type != NULL)
    route->content_type = g_strdup (source->content_type);
  else if (header_content_type != NULL)
    route->content_type = g_steal_pointer (&header_content_type);
  else if (source->body_file != NULL)
    route->content_type = guess_file_content_type (source->body_file);
  else if (source->body != NULL)
    {
      gboolean json = text_is_json (source->body);

      /* A template like {"id": {id}} is JSON once filled in. */
      if (!json && n_params > 0)
        {
          g_autoptr(GPtrArray) zeros = g_ptr_array_new ();
          g_autofree char *filled = NULL;

          for (guint i = 0; i < n_params; i++)
            g_ptr_array_add (zeros, (gpointer)"0");
          filled = substitute (route, source->body, (const char * const *)zeros->pdata);
          json = text_is_json (filled);
        }

      route->content_type = g_strdup (json ? JSON_CONTENT_TYPE : TEXT_CONTENT_TYPE);
    }

  route->json_escape = route->content_type != NULL &&
                       strstr (route->content_type, "json") != NULL;

  route->body_file = g_strdup (source->body_file);
  route->body_folder = g_strdup (source->body_folder);

  if (source->body != NULL)
    {
      const char *start;
      const char *end;

      if (n_params > 0 && find_placeholder (route, source->body, &start, &end) >= 0)
        route->body = g_strdup (source->body);
      else
        route->body_bytes = g_bytes_new (source->body, strlen (source->body));
    }

  return TRUE;
}

static void
router_clear (gpointer data)
{
  LadleMockRouter *self = data;

  for (guint i = 0; i < self->n_routes; i++)
    mock_route_clear (&self->routes[i]);
  g_clear_pointer (&self->routes, g_free);
}

/**
 * ladle_mock_router_new:
 * @routes: a #GListModel of #LadleMockRoute
 *
 * Copies @routes into an immutable router. Call it on the thread that owns the routes; the
 * router may then be used from any thread. Routes that fail ladle_mock_route_validate() are
 * left out (they never match).
 *
 * Returns: (transfer full): a new router
 */
LadleMockRouter *
ladle_mock_router_new (GListModel *routes)
{
  LadleMockRouter *self;
  guint n_items;

  g_return_val_if_fail (G_IS_LIST_MODEL (routes), NULL);
  g_return_val_if_fail (g_list_model_get_item_type (routes) == LADLE_TYPE_MOCK_ROUTE, NULL);

  n_items = g_list_model_get_n_items (routes);
  self = g_atomic_rc_box_new0 (LadleMockRouter);
  self->routes = g_new0 (MockRoute, MAX (n_items, 1));

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(LadleMockRoute) route = g_list_model_get_item (routes, i);

      if (mock_route_init (&self->routes[self->n_routes], route, i))
        self->n_routes++;
      else
        mock_route_clear (&self->routes[self->n_routes]);
    }

  return self;
}

/**
 * ladle_mock_router_ref:
 *
 * Returns: (transfer full): @self
 */
LadleMockRouter *
ladle_mock_router_ref (LadleMockRouter *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
ladle_mock_router_unref (LadleMockRouter *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, router_clear);
}

static gboolean
method_matches (const MockRoute *route,
                const char      *method)
{
  if (route->method == NULL)
    return TRUE;

  if (g_ascii_strcasecmp (route->method, method) == 0)
    return TRUE;

  /* What answers GET answers HEAD (libsoup leaves the body out). */
  return strcmp (route->method, "GET") == 0 && g_ascii_strcasecmp (method, "HEAD") == 0;
}

/* On success, @values (if not NULL) receives the parameter values in placeholder order. */
static gboolean
path_matches (const MockRoute *route,
              const char      *path,
              GPtrArray       *values)
{
  const char *p;

  if (path == NULL || path[0] != '/')
    return FALSE;

  p = path + 1;

  for (guint i = 0; i < route->n_segments; i++)
    {
      const Segment *segment = &route->segments[i];
      const char *slash;
      gsize len;

      if (segment->kind == SEGMENT_REST)
        {
          if (values != NULL && segment->text != NULL)
            g_ptr_array_add (values, g_strdup (p));
          return TRUE;
        }

      slash = strchr (p, '/');
      len = slash != NULL ? (gsize)(slash - p) : strlen (p);

      if (segment->kind == SEGMENT_LITERAL)
        {
          if (strlen (segment->text) != len || memcmp (segment->text, p, len) != 0)
            return FALSE;
        }
      else
        {
          if (len == 0)
            return FALSE;
          if (values != NULL)
            g_ptr_array_add (values, g_strndup (p, len));
        }

      if (i + 1 < route->n_segments)
        {
          if (slash == NULL)
            return FALSE;
          p = slash + 1;
        }
      else if (slash != NULL)
        {
          return FALSE;
        }
    }

  return TRUE;
}

static const MockRoute *
router_find (LadleMockRouter *self,
             const char      *method,
             const char      *path,
             GPtrArray       *values)
{
  for (guint i = 0; i < self->n_routes; i++)
    {
      const MockRoute *route = &self->routes[i];

      if (!method_matches (route, method))
        continue;

      if (path_matches (route, path, values))
        return route;

      if (values != NULL)
        g_ptr_array_set_size (values, 0);
    }

  return NULL;
}

/**
 * ladle_mock_router_match:
 * @method: the request method
 * @path: the decoded request path, without the query
 * @out_route_index: (out) (optional): the position of the matching route in the list the
 *   router was made from
 *
 * Thread-safe.
 *
 * Returns: %TRUE if a route matches
 */
gboolean
ladle_mock_router_match (LadleMockRouter *self,
                         const char      *method,
                         const char      *path,
                         guint           *out_route_index)
{
  const MockRoute *route;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (method != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  route = router_find (self, method, path, NULL);
  if (route == NULL)
    return FALSE;

  if (out_route_index != NULL)
    *out_route_index = route->index;

  return TRUE;
}

/* Delays: the message is paused and a timer on the server thread's context unpauses it. A
 * paused message does not notice that the client went away; if the message finishes anyway
 * (server shutdown), the timer goes and the message is never unpaused again. */

typedef struct
{
  SoupServerMessage *msg;
  GSource           *source;
  gulong             finished_id;
  gulong             disconnected_id;
} MockDelay;

static void
mock_delay_free (gpointer data)
{
  MockDelay *delay = data;

  g_clear_signal_handler (&delay->finished_id, delay->msg);
  g_clear_signal_handler (&delay->disconnected_id, delay->msg);
  g_clear_object (&delay->msg);
  g_free (delay);
}

static gboolean
mock_delay_elapsed (gpointer data)
{
  MockDelay *delay = data;

  delay->source = NULL;
  soup_server_message_unpause (delay->msg);

  return G_SOURCE_REMOVE;
}

static void
mock_delay_cancel (SoupServerMessage *msg,
                   gpointer           data)
{
  MockDelay *delay = data;

  /* Destroying the source frees @delay through its destroy notify. */
  if (delay->source != NULL)
    g_source_destroy (delay->source);
}

static void
mock_delay_start (SoupServerMessage *msg,
                  guint              delay_ms)
{
  MockDelay *delay = g_new0 (MockDelay, 1);
  GSource *source;

  delay->msg = g_object_ref (msg);
  delay->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (mock_delay_cancel), delay);
  delay->disconnected_id = g_signal_connect (msg, "disconnected",
                                             G_CALLBACK (mock_delay_cancel), delay);

  soup_server_message_pause (msg);

  /* The server's thread runs its own context: never g_timeout_add() here. */
  source = g_timeout_source_new (delay_ms);
  g_source_set_name (source, "[ladle] mock route delay");
  g_source_set_callback (source, mock_delay_elapsed, delay, mock_delay_free);
  delay->source = source;
  g_source_attach (source, g_main_context_get_thread_default ());
  g_source_unref (source);
}

static void
respond_body_file_error (SoupServerMessage *msg,
                         const GError      *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *message = NULL;
  char *text;

  /* Translators: %s says what is wrong with the file, and names it */
  message = g_strdup_printf (_("This mock route’s body file cannot be served: %s"),
                             error->message);
  g_debug ("%s", message);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);

  soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
  soup_server_message_set_response (msg, JSON_CONTENT_TYPE, SOUP_MEMORY_TAKE,
                                    text, strlen (text));
}

/* Body files: opened when a request comes, checked again (regular, inside its folder), and
 * streamed a block at a time. The first block is appended at once, each next one when libsoup
 * has written the previous ("wrote-chunk"); the response body does not accumulate, so memory
 * stays at one block whatever the size of the file. The Content-Length is the size the file had
 * when it was opened: a file that grows is cut there. One that shrinks cannot keep that promise:
 * the connection is shut, so that the client sees a truncated answer instead of waiting, and
 * reads nothing after it as a next response. */

typedef struct
{
  SoupServerMessage *msg;       /* not owned: the stream is data of the message */
  int                fd;
  goffset            offset;    /* of the next byte to read */
  goffset            end;       /* one past the last byte to send */
} BodyStream;

static void
body_stream_free (gpointer data)
{
  BodyStream *stream = data;

  if (stream->fd >= 0)
    close (stream->fd);
  g_free (stream);
}

static void
body_stream_cut (BodyStream *stream)
{
  GSocket *socket = soup_server_message_get_socket (stream->msg);

  g_debug ("A mock route's body file ended early, at byte %" G_GOFFSET_FORMAT " of %"
           G_GOFFSET_FORMAT ": closing the connection", stream->offset, stream->end);
  if (socket != NULL)
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
  stream->end = stream->offset;
  soup_message_body_complete (soup_server_message_get_response_body (stream->msg));
}

/* Appends the next block, or ends the body. Returns FALSE if the file ended too early. */
static gboolean
body_stream_next (BodyStream *stream)
{
  SoupMessageBody *body = soup_server_message_get_response_body (stream->msg);
  gsize want = (gsize) MIN (stream->end - stream->offset, BODY_BLOCK_SIZE);
  char *block;
  gssize n;

  if (want == 0)
    {
      soup_message_body_complete (body);
      return TRUE;
    }

  block = g_malloc (want);
  do
    n = pread (stream->fd, block, want, stream->offset);
  while (n < 0 && errno == EINTR);

  if (n <= 0)
    {
      g_free (block);
      return FALSE;
    }

  stream->offset += n;
  soup_message_body_append (body, SOUP_MEMORY_TAKE, block, n);
  return TRUE;
}

static void
body_stream_wrote_chunk_cb (SoupServerMessage *msg,
                            BodyStream        *stream)
{
  if (stream->fd >= 0 && !body_stream_next (stream))
    body_stream_cut (stream);
}

static void
body_stream_finished_cb (SoupServerMessage *msg,
                         BodyStream        *stream)
{
  /* Done or abandoned: the descriptor goes now, the rest with the message. */
  if (stream->fd >= 0)
    {
      close (stream->fd);
      stream->fd = -1;
    }
}

/* One byte range that can be served, if the request asks for exactly one: 206 then, as libsoup
 * does for bodies it holds whole. Anything else gets the whole file (RFC 9110 §14.2 lets a
 * server ignore Range). */
static gboolean
get_single_range (SoupServerMessage *msg,
                  goffset            size,
                  goffset           *out_start,
                  goffset           *out_end)
{
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupRange *ranges = NULL;
  int n_ranges = 0;
  gboolean single;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_GET ||
      soup_server_message_get_status (msg) != SOUP_STATUS_OK || size == 0 ||
      !soup_message_headers_get_ranges (request_headers, size, &ranges, &n_ranges))
    return FALSE;

  single = n_ranges == 1;
  if (single)
    {
      *out_start = ranges[0].start;
      *out_end = ranges[0].end + 1;
    }
  soup_message_headers_free_ranges (request_headers, ranges);
  return single;
}

/* Sets up @msg, whose status is set, to send @range_start to @range_end (exclusive) of the body
 * file open as @fd, which it takes. Returns FALSE, with @msg untouched and @fd closed, if the
 * file is already too short: the first block is read before anything is set, so that it can
 * still be answered with a 500. */
static gboolean
body_stream_start (SoupServerMessage *msg,
                   int                fd,
                   goffset            range_start,
                   goffset            range_end)
{
  BodyStream *stream = g_new0 (BodyStream, 1);

  stream->msg = msg;
  stream->fd = fd;
  stream->offset = range_start;
  stream->end = range_end;

  /* libsoup sends no body for HEAD: nothing to read. */
  if (soup_server_message_get_method (msg) == SOUP_METHOD_HEAD)
    {
      body_stream_free (stream);
      return TRUE;
    }

  if (!body_stream_next (stream))
    {
      body_stream_free (stream);
      return FALSE;
    }

  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  g_object_set_data_full (G_OBJECT (msg), "ladle-mock-body-stream", stream, body_stream_free);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (body_stream_wrote_chunk_cb), stream);
  g_signal_connect (msg, "finished", G_CALLBACK (body_stream_finished_cb), stream);
  return TRUE;
}

/* Answers @msg, whose status is set, with the route's body file; on failure with a 500 that says
 * why. Returns FALSE in that case. */
static gboolean
respond_body_file (SoupServerMessage *msg,
                   const MockRoute   *route)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autoptr(GError) error = NULL;
  struct stat st;
  goffset start = 0;
  goffset end;
  gboolean partial;
  int fd;

  fd = open_body_file (route->body_file, route->body_folder, &st, &error);
  if (fd < 0)
    {
      respond_body_file_error (msg, error);
      return FALSE;
    }

  end = st.st_size;
  partial = get_single_range (msg, st.st_size, &start, &end);
  if (!body_stream_start (msg, fd, start, end))
    {
      g_set_error_literal (&error, G_FILE_ERROR, G_FILE_ERROR_IO,
                           _("the file became shorter while it was being opened"));
      respond_body_file_error (msg, error);
      return FALSE;
    }

  if (partial)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_PARTIAL_CONTENT, NULL);
      soup_message_headers_set_content_range (headers, start, end - 1, st.st_size);
    }
  soup_message_headers_set_content_length (headers, end - start);
  return TRUE;
}

/* The server adds httpbin's CORS headers to every answer before the routes are tried. */
static void
remove_cors_headers (SoupServerMessage *msg)
{
  static const char * const cors_headers[] = {
    "Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
    "Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Access-Control-Max-Age",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cors_headers); i++)
    soup_message_headers_remove (soup_server_message_get_response_headers (msg), cors_headers[i]);
}

/* OPTIONS on a path that routes answer for other methods: a browser's CORS preflight, answered
 * 200 with Allow (as httpbin answers it on its routes), and without the CORS headers when every
 * one of those routes opted out. */
static gboolean
respond_preflight (LadleMockRouter   *self,
                   SoupServerMessage *msg,
                   const char        *path)
{
  g_autoptr(GPtrArray) methods = g_ptr_array_new ();
  g_autoptr(GString) allow = g_string_new (NULL);
  gboolean cors = FALSE;

  for (guint i = 0; i < self->n_routes; i++)
    {
      const MockRoute *route = &self->routes[i];
      gboolean seen = FALSE;

      /* A route for any method would have matched OPTIONS already */
      if (route->method == NULL || !path_matches (route, path, NULL))
        continue;

      cors |= !route->no_cors;
      for (guint j = 0; j < methods->len && !seen; j++)
        seen = g_ascii_strcasecmp (g_ptr_array_index (methods, j), route->method) == 0;
      if (!seen)
        g_ptr_array_add (methods, route->method);
    }

  if (methods->len == 0)
    return FALSE;

  for (guint j = 0; j < methods->len; j++)
    {
      const char *method = g_ptr_array_index (methods, j);

      g_string_append_printf (allow, "%s, ", method);
      if (g_ascii_strcasecmp (method, "GET") == 0)
        g_string_append (allow, "HEAD, ");
    }
  g_string_append (allow, "OPTIONS");

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                allow->str);
  if (!cors)
    remove_cors_headers (msg);
  return TRUE;
}

/**
 * ladle_mock_router_respond:
 * @msg: a message being handled, on the server's thread
 * @path: the decoded request path, as given to the server handler
 *
 * Answers @msg with the first matching route. A body file is opened at request time, without
 * blocking, checked again (a regular file, inside the route's body folder), and streamed in
 * blocks; if it cannot be served the answer is 500 with `{"error": "..."}`. A delayed route
 * pauses @msg and unpauses it from a timer on the calling thread's context.
 *
 * Returns: %TRUE if a route matched; otherwise @msg is untouched
 */
gboolean
ladle_mock_router_respond (LadleMockRouter   *self,
                           SoupServerMessage *msg,
                           const char        *path)
{
  g_autoptr(GPtrArray) values = NULL;
  SoupMessageHeaders *headers;
  const MockRoute *route;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (SOUP_IS_SERVER_MESSAGE (msg), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  values = g_ptr_array_new_with_free_func (g_free);
  route = router_find (self, soup_server_message_get_method (msg), path, values);
  if (route == NULL)
    return g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_OPTIONS) &&
           respond_preflight (self, msg, path);

  soup_server_message_set_status (msg, route->status, NULL);

  if (route->no_cors)
    remove_cors_headers (msg);

  if (route->body_file != NULL && !respond_body_file (msg, route))
    goto out;

  headers = soup_server_message_get_response_headers (msg);
  for (guint i = 0; route->header_names[i] != NULL; i++)
    {
      const char *name = route->header_names[i];
      gboolean repeated = FALSE;

      /* Replace what the server may have set, but keep repeated names (Set-Cookie). */
      for (guint j = 0; j < i && !repeated; j++)
        repeated = g_ascii_strcasecmp (route->header_names[j], name) == 0;

      if (repeated)
        soup_message_headers_append (headers, name, route->header_values[i]);
      else
        soup_message_headers_replace (headers, name, route->header_values[i]);
    }

  if (route->content_type != NULL)
    soup_message_headers_replace (headers, "Content-Type", route->content_type);

  if (route->body_bytes != NULL && g_bytes_get_size (route->body_bytes) > 0)
    {
      soup_message_body_append_bytes (soup_server_message_get_response_body (msg),
                                      route->body_bytes);
    }
  else if (route->body != NULL)
    {
      char *body;

      g_ptr_array_add (values, NULL);
      body = substitute (route, route->body, (const char * const *)values->pdata);
      /* Not empty: the template has a placeholder, so it had text around it or a value. */
      if (*body != '\0')
        soup_message_body_append (soup_server_message_get_response_body (msg),
                                  SOUP_MEMORY_TAKE, body, strlen (body));
      else
        g_free (body);
    }

out:
  if (route->delay_ms > 0)
    mock_delay_start (msg, route->delay_ms);

  return TRUE;
}
