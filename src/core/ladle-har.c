/* ladle-har.c
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
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "ladle-http-import.h"
#include "ladle-json.h"

/* HAR 1.2 export (http://www.softwareishard.com/blog/har-12-spec/), one exchange at a time. */

/* Response bodies up to this size are written into the HAR; bigger ones are left out. */
#define HAR_BODY_MAX (1024 * 1024)

struct _LadleHar
{
  JsonArray *entries;
};

LadleHar *
ladle_har_new (void)
{
  LadleHar *self = g_new0 (LadleHar, 1);

  self->entries = json_array_new ();
  return self;
}

void
ladle_har_free (LadleHar *self)
{
  if (self == NULL)
    return;

  json_array_unref (self->entries);
  g_free (self);
}

/* "2026-01-31T12:34:56.789Z" */
static char *
iso_time (gint64 real_time)
{
  gint64 seconds = real_time / G_USEC_PER_SEC;
  gint64 micro = real_time % G_USEC_PER_SEC;
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *base = NULL;

  if (micro < 0)
    {
      seconds--;
      micro += G_USEC_PER_SEC;
    }
  time = g_date_time_new_from_unix_utc (seconds);
  if (time == NULL)
    time = g_date_time_new_from_unix_utc (0);
  base = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", base, (int) (micro / 1000));
}

static void
add_pair (JsonBuilder *builder,
          const char  *name,
          const char  *value)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name != NULL ? name : "");
  json_builder_set_member_name (builder, "value");
  json_builder_add_string_value (builder, value != NULL ? value : "");
  json_builder_end_object (builder);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value != NULL ? value : "");
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

/* Milliseconds between two points of a LadleTiming, or -1 when either was not reached. */
static double
span (gint64 start,
      gint64 end)
{
  if (start <= 0 || end <= 0 || end < start)
    return -1;
  return (end - start) / 1000.0;
}

static void
add_double (JsonBuilder *builder,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_double_value (builder, value);
}

static gboolean
has_header (LadleRequest *request,
            const char   *name)
{
  GListModel *headers = G_LIST_MODEL (ladle_request_get_headers (request));

  for (guint i = 0, n = g_list_model_get_n_items (headers); i < n; i++)
    {
      g_autoptr(LadleKeyValue) kv = g_list_model_get_item (headers, i);

      if (ladle_key_value_get_enabled (kv) &&
          g_ascii_strcasecmp (ladle_key_value_get_name (kv) ?: "", name) == 0)
        return TRUE;
    }

  return FALSE;
}

static const char *
request_content_type (LadleRequest *request)
{
  const char *type = ladle_request_get_body_content_type (request);

  switch (ladle_request_get_body_kind (request))
    {
    case LADLE_BODY_JSON:
      return "application/json";
    case LADLE_BODY_FORM:
      return "application/x-www-form-urlencoded";
    case LADLE_BODY_MULTIPART:
      return "multipart/form-data";
    case LADLE_BODY_TEXT:
      return type != NULL && type[0] != '\0' ? type : "text/plain";
    case LADLE_BODY_FILE:
      return type != NULL && type[0] != '\0' ? type : "application/octet-stream";
    case LADLE_BODY_PARTS:
      return type != NULL && type[0] != '\0' ? type : "application/octet-stream";
    case LADLE_BODY_NONE:
    default:
      return NULL;
    }
}

static void
add_request (JsonBuilder   *builder,
             LadleRequest  *request,
             LadleResponse *response)
{
  g_autofree char *url = ladle_request_dup_effective_url (request, NULL);
  g_autoptr(GUri) uri = NULL;
  GListModel *headers = G_LIST_MODEL (ladle_request_get_headers (request));
  GListModel *form = G_LIST_MODEL (ladle_request_get_form (request));
  LadleBodyKind kind = ladle_request_get_body_kind (request);
  const char *content_type = request_content_type (request);
  const LadleSizes *sizes = response != NULL ? ladle_response_get_sizes (response) : NULL;
  gint64 body_size = -1;

  if (url == NULL)
    url = g_strdup (ladle_request_get_url (request));
  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_PARSE_RELAXED, NULL);

  json_builder_set_member_name (builder, "request");
  json_builder_begin_object (builder);
  add_string (builder, "method", ladle_request_get_method (request));
  add_string (builder, "url", url);
  add_string (builder, "httpVersion", response != NULL
                                      ? ladle_response_get_http_version (response) : "HTTP/1.1");
  json_builder_set_member_name (builder, "cookies");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "headers");
  json_builder_begin_array (builder);
  for (guint i = 0, n = g_list_model_get_n_items (headers); i < n; i++)
    {
      g_autoptr(LadleKeyValue) kv = g_list_model_get_item (headers, i);
      const char *name = ladle_key_value_get_name (kv);

      if (ladle_key_value_get_enabled (kv) && name != NULL && name[0] != '\0')
        add_pair (builder, name, ladle_key_value_get_value (kv));
    }
  switch (ladle_request_get_auth_kind (request))
    {
    case LADLE_AUTH_BASIC:
      if (!has_header (request, "Authorization"))
        {
          g_autofree char *pair = g_strconcat (ladle_request_get_auth_username (request) ?: "",
                                               ":",
                                               ladle_request_get_auth_password (request) ?: "",
                                               NULL);
          g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
          g_autofree char *value = g_strconcat ("Basic ", encoded, NULL);

          add_pair (builder, "Authorization", value);
        }
      break;
    case LADLE_AUTH_BEARER:
      if (!has_header (request, "Authorization"))
        {
          g_autofree char *value = g_strconcat ("Bearer ",
                                                ladle_request_get_auth_token (request) ?: "",
                                                NULL);

          add_pair (builder, "Authorization", value);
        }
      break;
    case LADLE_AUTH_API_KEY:
      /* In the query, the URL has it; in a header, it replaces a row of the same name */
      if (ladle_request_get_auth_key_in (request) == LADLE_API_KEY_IN_HEADER &&
          !has_header (request, ladle_request_get_auth_key_name (request)))
        add_pair (builder, ladle_request_get_auth_key_name (request),
                  ladle_request_get_auth_key_value (request) ?: "");
      break;
    case LADLE_AUTH_DIGEST:
      /* The answer depends on the server's challenge: no Authorization before one came */
    case LADLE_AUTH_NONE:
    default:
      break;
    }
  if (content_type != NULL && kind != LADLE_BODY_MULTIPART && !has_header (request, "Content-Type"))
    add_pair (builder, "Content-Type", content_type);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "queryString");
  json_builder_begin_array (builder);
  if (uri != NULL && g_uri_get_query (uri) != NULL)
    {
      GUriParamsIter params;
      char *name = NULL;
      char *value = NULL;

      g_uri_params_iter_init (&params, g_uri_get_query (uri), -1, "&", G_URI_PARAMS_PARSE_RELAXED);
      while (g_uri_params_iter_next (&params, &name, &value, NULL))
        {
          add_pair (builder, name, value);
          g_clear_pointer (&name, g_free);
          g_clear_pointer (&value, g_free);
        }
    }
  json_builder_end_array (builder);

  if (kind != LADLE_BODY_NONE)
    {
      json_builder_set_member_name (builder, "postData");
      json_builder_begin_object (builder);
      add_string (builder, "mimeType", content_type);

      switch (kind)
        {
        case LADLE_BODY_JSON:
        case LADLE_BODY_TEXT:
          add_string (builder, "text", ladle_request_get_body_text (request));
          body_size = strlen (ladle_request_get_body_text (request) ?: "");
          break;

        case LADLE_BODY_FORM:
        case LADLE_BODY_MULTIPART:
          {
            g_autoptr(GString) text = g_string_new (NULL);

            json_builder_set_member_name (builder, "params");
            json_builder_begin_array (builder);
            for (guint i = 0, n = g_list_model_get_n_items (form); i < n; i++)
              {
                g_autoptr(LadleKeyValue) kv = g_list_model_get_item (form, i);
                const char *name = ladle_key_value_get_name (kv) ?: "";
                const char *value = ladle_key_value_get_value (kv) ?: "";

                if (!ladle_key_value_get_enabled (kv))
                  continue;
                json_builder_begin_object (builder);
                add_string (builder, "name", name);
                if (ladle_key_value_get_is_file (kv))
                  {
                    g_autofree char *base = g_path_get_basename (value);

                    add_string (builder, "fileName", base);
                    if (ladle_key_value_get_content_type (kv) != NULL)
                      add_string (builder, "contentType", ladle_key_value_get_content_type (kv));
                  }
                else
                  add_string (builder, "value", value);
                json_builder_end_object (builder);

                if (kind == LADLE_BODY_FORM)
                  {
                    g_autofree char *escaped_name = g_uri_escape_string (name, NULL, FALSE);
                    g_autofree char *escaped_value = g_uri_escape_string (value, NULL, FALSE);

                    g_string_append_printf (text, "%s%s=%s", text->len > 0 ? "&" : "",
                                            escaped_name, escaped_value);
                  }
              }
            json_builder_end_array (builder);
            if (kind == LADLE_BODY_FORM)
              {
                add_string (builder, "text", text->str);
                body_size = text->len;
              }
          }
          break;

        case LADLE_BODY_FILE:
          {
            g_autofree char *comment = g_strdup_printf (_("The body is the file “%s”"),
                                                        ladle_request_get_body_file (request));

            json_builder_set_member_name (builder, "params");
            json_builder_begin_array (builder);
            json_builder_begin_object (builder);
            add_string (builder, "name", "");
            {
              g_autofree char *base = g_path_get_basename (ladle_request_get_body_file (request)
                                                           ?: "");

              add_string (builder, "fileName", base);
            }
            json_builder_end_object (builder);
            json_builder_end_array (builder);
            add_string (builder, "comment", comment);
          }
          break;

        case LADLE_BODY_PARTS:
          {
            g_autoptr(GString) text = g_string_new (NULL);
            gboolean has_file = FALSE;

            for (guint i = 0, n = g_list_model_get_n_items (form); i < n; i++)
              {
                g_autoptr(LadleKeyValue) kv = g_list_model_get_item (form, i);

                if (!ladle_key_value_get_enabled (kv))
                  continue;
                if (ladle_key_value_get_is_file (kv))
                  has_file = TRUE;
                else
                  g_string_append (text, ladle_key_value_get_value (kv) ?: "");
              }
            if (has_file)
              add_string (builder, "comment",
                          _("The body includes files; only its text parts are written here"));
            else
              {
                add_string (builder, "text", text->str);
                body_size = text->len;
              }
          }
          break;

        case LADLE_BODY_NONE:
        default:
          break;
        }
      json_builder_end_object (builder);
    }
  else
    body_size = 0;

  add_int (builder, "headersSize", sizes != NULL && sizes->request_header_bytes > 0
                                   ? (gint64) sizes->request_header_bytes : -1);
  add_int (builder, "bodySize", sizes != NULL ? (gint64) sizes->request_body_bytes : body_size);
  json_builder_end_object (builder);
}

/* The response body: text when it is UTF-8 text, base64 otherwise, left out beyond 1 MiB. */
static void
add_content (JsonBuilder   *builder,
             LadleResponse *response)
{
  const char *type = ladle_response_get_content_type (response);
  guint64 size = ladle_response_get_body_size (response);
  GBytes *bytes = ladle_response_get_body_bytes (response);
  GFile *file = ladle_response_get_body_file (response);
  g_autoptr(GBytes) loaded = NULL;
  const char *data = NULL;
  gsize length = 0;

  json_builder_set_member_name (builder, "content");
  json_builder_begin_object (builder);
  add_int (builder, "size", (gint64) size);
  add_string (builder, "mimeType", type != NULL ? type : "x-unknown");

  if (size > HAR_BODY_MAX)
    {
      g_autofree char *limit = g_format_size (HAR_BODY_MAX);
      g_autofree char *comment = g_strdup_printf (_("The body is larger than %s and was left "
                                                    "out"), limit);

      add_string (builder, "comment", comment);
      json_builder_end_object (builder);
      return;
    }

  if (bytes == NULL && file != NULL)
    {
      char *contents = NULL;

      if (g_file_load_contents (file, NULL, &contents, &length, NULL, NULL))
        loaded = g_bytes_new_take (contents, length);
      bytes = loaded;
    }

  if (bytes != NULL)
    data = g_bytes_get_data (bytes, &length);

  if (data != NULL && length > 0)
    {
      if (g_utf8_validate_len (data, length, NULL))
        {
          g_autofree char *text = g_strndup (data, length);

          add_string (builder, "text", text);
        }
      else
        {
          g_autofree char *encoded = g_base64_encode ((const guchar *) data, length);

          add_string (builder, "text", encoded);
          add_string (builder, "encoding", "base64");
        }
    }
  else if (size > 0)
    add_string (builder, "comment", _("The body could not be read"));

  json_builder_end_object (builder);
}

static void
add_response (JsonBuilder   *builder,
              LadleResponse *response,
              const char    *error)
{
  json_builder_set_member_name (builder, "response");
  json_builder_begin_object (builder);

  if (response == NULL)
    {
      add_int (builder, "status", 0);
      add_string (builder, "statusText", "");
      add_string (builder, "httpVersion", "");
      json_builder_set_member_name (builder, "cookies");
      json_builder_begin_array (builder);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "headers");
      json_builder_begin_array (builder);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "content");
      json_builder_begin_object (builder);
      add_int (builder, "size", 0);
      add_string (builder, "mimeType", "x-unknown");
      json_builder_end_object (builder);
      add_string (builder, "redirectURL", "");
      add_int (builder, "headersSize", -1);
      add_int (builder, "bodySize", -1);
      if (error != NULL)
        add_string (builder, "comment", error);
      json_builder_end_object (builder);
      return;
    }

  {
    const LadleSizes *sizes = ladle_response_get_sizes (response);
    const char *location = ladle_response_get_header (response, "Location");

    add_int (builder, "status", ladle_response_get_status (response));
    add_string (builder, "statusText", ladle_response_get_reason (response));
    add_string (builder, "httpVersion", ladle_response_get_http_version (response));
    json_builder_set_member_name (builder, "cookies");
    json_builder_begin_array (builder);
    json_builder_end_array (builder);
    json_builder_set_member_name (builder, "headers");
    json_builder_begin_array (builder);
    for (guint i = 0; i < ladle_response_get_n_headers (response); i++)
      add_pair (builder, ladle_response_get_header_name (response, i),
                ladle_response_get_header_value (response, i));
    json_builder_end_array (builder);
    add_content (builder, response);
    add_string (builder, "redirectURL", location);
    add_int (builder, "headersSize", sizes->response_header_bytes > 0
                                     ? (gint64) sizes->response_header_bytes : -1);
    add_int (builder, "bodySize", (gint64) sizes->response_body_wire_bytes);
  }

  json_builder_end_object (builder);
}

static void
add_entry (LadleHar      *self,
           LadleRequest  *request,
           LadleResponse *response,
           guint          status,
           const char    *error,
           gint64         started,
           gint64         duration)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *when = iso_time (started);
  double blocked = -1, dns = -1, connect = -1, ssl = -1, send = 0, wait = 0, receive = 0;
  double total;

  if (response != NULL)
    {
      const LadleTiming *t = ladle_response_get_timing (response);

      dns = span (t->dns_start, t->dns_end);
      /* HAR's connect includes the TLS handshake, as Ladle's does. */
      connect = span (t->connect_start, t->connect_end);
      ssl = t->tls_start > 0 ? span (t->tls_start, t->connect_end) : -1;
      wait = MAX (span (t->request_start, t->response_start), 0);
      receive = MAX (span (t->response_start, t->response_end), 0);
      total = MAX (dns, 0) + MAX (connect, 0) + send + wait + receive;
    }
  else if (status > 0)
    {
      /* History: the status and the whole time are all that is kept. */
      wait = MAX (duration, 0) / 1000.0;
      total = wait;
    }
  else
    total = MAX (duration, 0) / 1000.0;

  json_builder_begin_object (builder);
  add_string (builder, "startedDateTime", when);
  add_double (builder, "time", total);
  add_request (builder, request, response);

  if (response == NULL && status > 0)
    {
      /* A history entry: status only */
      json_builder_set_member_name (builder, "response");
      json_builder_begin_object (builder);
      add_int (builder, "status", status);
      add_string (builder, "statusText", soup_status_get_phrase (status));
      add_string (builder, "httpVersion", "");
      json_builder_set_member_name (builder, "cookies");
      json_builder_begin_array (builder);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "headers");
      json_builder_begin_array (builder);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "content");
      json_builder_begin_object (builder);
      add_int (builder, "size", 0);
      add_string (builder, "mimeType", "x-unknown");
      add_string (builder, "comment", _("Ladle’s history keeps no response bodies"));
      json_builder_end_object (builder);
      add_string (builder, "redirectURL", "");
      add_int (builder, "headersSize", -1);
      add_int (builder, "bodySize", -1);
      json_builder_end_object (builder);
    }
  else
    add_response (builder, response, error);

  json_builder_set_member_name (builder, "cache");
  json_builder_begin_object (builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "timings");
  json_builder_begin_object (builder);
  add_double (builder, "blocked", blocked);
  add_double (builder, "dns", dns);
  add_double (builder, "connect", connect);
  add_double (builder, "ssl", ssl);
  add_double (builder, "send", send);
  add_double (builder, "wait", wait);
  add_double (builder, "receive", receive);
  json_builder_end_object (builder);

  if (error != NULL && error[0] != '\0')
    {
      add_string (builder, "_error", error);
      add_string (builder, "comment", error);
    }

  json_builder_end_object (builder);
  json_array_add_element (self->entries, json_builder_get_root (builder));
}

void
ladle_har_add (LadleHar      *self,
               LadleRequest  *request,
               LadleResponse *response,
               const char    *error,
               gint64         started,
               gint64         duration)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (LADLE_IS_REQUEST (request));
  g_return_if_fail (response == NULL || LADLE_IS_RESPONSE (response));

  add_entry (self, request, response, 0, response == NULL && error == NULL
                                         ? _("The request failed") : error,
             started, duration);
}

void
ladle_har_add_history (LadleHar     *self,
                       LadleHistory *history)
{
  GListModel *model = G_LIST_MODEL (history);

  g_return_if_fail (self != NULL);
  g_return_if_fail (LADLE_IS_HISTORY (history));

  for (guint i = 0, n = g_list_model_get_n_items (model); i < n; i++)
    {
      g_autoptr(LadleHistoryEntry) entry = g_list_model_get_item (model, i);
      guint status = ladle_history_entry_get_status (entry);
      const char *error = ladle_history_entry_get_error (entry);

      add_entry (self, ladle_history_entry_get_request (entry), NULL, status,
                 status == 0 && (error == NULL || error[0] == '\0')
                   ? _("The request failed") : error,
                 ladle_history_entry_get_time (entry),
                 ladle_history_entry_get_duration (entry));
    }
}

char *
ladle_har_to_data (LadleHar *self,
                   gsize    *out_length)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "log");
  json_builder_begin_object (builder);
  add_string (builder, "version", "1.2");
  json_builder_set_member_name (builder, "creator");
  json_builder_begin_object (builder);
  add_string (builder, "name", "Ladle");
  add_string (builder, "version", PACKAGE_VERSION);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "entries");
  json_builder_add_value (builder, json_node_init_array (json_node_alloc (), self->entries));
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return ladle_json_to_pretty (root, out_length);
}
