/* ladle-request-message.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* From a LadleRequest to the SoupMessage that goes on the wire: form and multipart encoding, files
 * streamed from disk through a LadleBodyStream, authorization. */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ladle-body-stream.h"
#include "ladle-error.h"
#include "ladle-request-message.h"

static gboolean
key_value_usable (LadleKeyValue *kv)
{
  const char *name = ladle_key_value_get_name (kv);

  return ladle_key_value_get_enabled (kv) && name != NULL && name[0] != '\0';
}

static void
append_form_encoded (GString    *out,
                     const char *text)
{
  g_autofree char *escaped = g_uri_escape_string (text != NULL ? text : "", " ", FALSE);

  for (const char *p = escaped; *p != '\0'; p++)
    g_string_append_c (out, *p == ' ' ? '+' : *p);
}

static char *
encode_form (GListModel *form)
{
  GString *out = g_string_new (NULL);
  guint n = g_list_model_get_n_items (form);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LadleKeyValue) kv = g_list_model_get_item (form, i);

      if (!key_value_usable (kv))
        continue;
      if (out->len > 0)
        g_string_append_c (out, '&');
      append_form_encoded (out, ladle_key_value_get_name (kv));
      g_string_append_c (out, '=');
      append_form_encoded (out, ladle_key_value_get_value (kv));
    }

  return g_string_free (out, FALSE);
}

/* Multipart names go inside quotes: escape what would end them, as browsers do. */
static void
append_quoted (GString    *out,
               const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append (out, "%22");
      else if (*p == '\r')
        g_string_append (out, "%0D");
      else if (*p == '\n')
        g_string_append (out, "%0A");
      else
        g_string_append_c (out, *p);
    }
}

static goffset
query_file_size (GFile   *file,
                 GError **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;

  /* One stat() per file, so that Content-Length is known before the first byte goes out. */
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, NULL, &local_error);
  if (info == NULL || g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_autofree char *name = g_file_get_parse_name (file);

      g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                   _("Cannot send the file “%s”: %s"), name,
                   local_error != NULL ? local_error->message : _("not a regular file"));
      return -1;
    }

  return g_file_info_get_size (info);
}

static GInputStream *
build_multipart (GListModel  *form,
                 goffset     *out_length,
                 char       **out_content_type,
                 GError     **error)
{
  g_autoptr(LadleBodyStream) stream = ladle_body_stream_new ();
  g_autofree char *boundary = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  goffset length = 0;
  guint n = g_list_model_get_n_items (form);

  boundary = g_strdup_printf ("------LadleBoundary%08x%08x", g_random_int (), g_random_int ());

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LadleKeyValue) kv = g_list_model_get_item (form, i);
      const char *value = ladle_key_value_get_value (kv);

      if (!key_value_usable (kv))
        continue;

      g_string_append_printf (text, "--%s\r\nContent-Disposition: form-data; name=\"", boundary);
      append_quoted (text, ladle_key_value_get_name (kv));
      g_string_append_c (text, '"');

      if (ladle_key_value_get_is_file (kv))
        {
          g_autoptr(GFile) file = g_file_new_for_path (value != NULL ? value : "");
          g_autofree char *basename = g_file_get_basename (file);
          g_autofree char *guessed = NULL;
          const char *content_type = ladle_key_value_get_content_type (kv);
          goffset size = query_file_size (file, error);

          if (size < 0)
            return NULL;

          if (content_type == NULL)
            {
              g_autofree char *type = g_content_type_guess (basename, NULL, 0, NULL);

              guessed = g_content_type_get_mime_type (type);
              content_type = guessed != NULL ? guessed : "application/octet-stream";
            }

          g_string_append (text, "; filename=\"");
          append_quoted (text, basename);
          g_string_append_printf (text, "\"\r\nContent-Type: %s\r\n\r\n", content_type);
          length += text->len + size;
          ladle_body_stream_add_string (stream, text);
          ladle_body_stream_add_file (stream, file);
          g_string_assign (text, "\r\n");
        }
      else
        {
          g_string_append_printf (text, "\r\n\r\n%s\r\n", value != NULL ? value : "");
        }
    }

  g_string_append_printf (text, "--%s--\r\n", boundary);
  length += text->len;
  ladle_body_stream_add_string (stream, text);

  *out_length = length;
  *out_content_type = g_strdup_printf ("multipart/form-data; boundary=%s", boundary);

  return G_INPUT_STREAM (g_steal_pointer (&stream));
}

static gboolean
set_request_body (LadleRequest  *request,
                  SoupMessage   *msg,
                  GError       **error)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  gboolean has_type = soup_message_headers_get_one (headers, "Content-Type") != NULL;
  const char *text = ladle_request_get_body_text (request);
  const char *content_type = ladle_request_get_body_content_type (request);

  switch (ladle_request_get_body_kind (request))
    {
    case LADLE_BODY_NONE:
      return TRUE;

    case LADLE_BODY_JSON:
      {
        g_autoptr(GError) local_error = NULL;

        /* Unless the user chose to send it as written */
        if (ladle_request_get_check_json (request) &&
            !ladle_request_check_json_body (request, NULL, NULL, &local_error))
          {
            g_set_error (error, local_error->domain, local_error->code,
                         _("The JSON body is not valid: %s"), local_error->message);
            return FALSE;
          }
      }
      content_type = "application/json";
      G_GNUC_FALLTHROUGH;
    case LADLE_BODY_TEXT:
      {
        g_autoptr(GBytes) bytes = g_bytes_new (text != NULL ? text : "",
                                               text != NULL ? strlen (text) : 0);

        if (content_type == NULL || content_type[0] == '\0')
          content_type = "text/plain; charset=utf-8";
        soup_message_set_request_body_from_bytes (msg, has_type ? NULL : content_type, bytes);
        return TRUE;
      }

    case LADLE_BODY_FORM:
      {
        g_autofree char *form = encode_form (G_LIST_MODEL (ladle_request_get_form (request)));
        g_autoptr(GBytes) bytes = g_bytes_new_take (form, strlen (form));

        form = NULL;
        soup_message_set_request_body_from_bytes (msg,
                                                  has_type ? NULL
                                                           : SOUP_FORM_MIME_TYPE_URLENCODED,
                                                  bytes);
        return TRUE;
      }

    case LADLE_BODY_MULTIPART:
      {
        g_autoptr(GInputStream) stream = NULL;
        g_autofree char *multipart_type = NULL;
        goffset length = 0;

        stream = build_multipart (G_LIST_MODEL (ladle_request_get_form (request)),
                                  &length, &multipart_type, error);
        if (stream == NULL)
          return FALSE;

        /* The boundary is ours, so our Content-Type wins over the user's. */
        soup_message_set_request_body (msg, multipart_type, stream, length);
        return TRUE;
      }

    case LADLE_BODY_FILE:
      {
        const char *path = ladle_request_get_body_file (request);
        g_autoptr(GFile) file = g_file_new_for_path (path != NULL ? path : "");
        g_autoptr(LadleBodyStream) stream = ladle_body_stream_new ();
        goffset size = query_file_size (file, error);

        if (size < 0)
          return FALSE;
        if (content_type == NULL || content_type[0] == '\0')
          content_type = "application/octet-stream";

        ladle_body_stream_add_file (stream, file);
        soup_message_set_request_body (msg, has_type ? NULL : content_type,
                                       G_INPUT_STREAM (stream), size);
        return TRUE;
      }

    case LADLE_BODY_PARTS:
      {
        GListModel *parts = G_LIST_MODEL (ladle_request_get_form (request));
        g_autoptr(LadleBodyStream) stream = ladle_body_stream_new ();
        guint n = g_list_model_get_n_items (parts);
        goffset length = 0;

        for (guint i = 0; i < n; i++)
          {
            g_autoptr(LadleKeyValue) kv = g_list_model_get_item (parts, i);
            const char *value = ladle_key_value_get_value (kv);

            if (!ladle_key_value_get_enabled (kv))
              continue;
            if (ladle_key_value_get_is_file (kv))
              {
                g_autoptr(GFile) file = g_file_new_for_path (value != NULL ? value : "");
                goffset size = query_file_size (file, error);

                if (size < 0)
                  return FALSE;
                ladle_body_stream_add_file (stream, file);
                length += size;
              }
            else if (value != NULL && value[0] != '\0')
              {
                g_autoptr(GBytes) bytes = g_bytes_new (value, strlen (value));

                ladle_body_stream_add_bytes (stream, bytes);
                length += g_bytes_get_size (bytes);
              }
          }

        if (content_type != NULL && content_type[0] == '\0')
          content_type = NULL;
        soup_message_set_request_body (msg, has_type ? NULL : content_type,
                                       G_INPUT_STREAM (stream), length);
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }

  return FALSE;
}

/**
 * ladle_request_build_message:
 *
 * Turns @request into the message libsoup sends: checked (ladle_request_validate()), its URL
 * with the query parameters, headers, authorization, and a body streamed from memory parts and
 * files. Metrics are collected; redirects and cookies follow the request's switches.
 *
 * Returns: (transfer full): the message, or %NULL with @error set (%LADLE_ERROR_INVALID_ARGUMENT,
 *   %LADLE_ERROR_PARSE for a JSON body with a syntax error)
 */
SoupMessage *
ladle_request_build_message (LadleRequest  *request,
                             GError       **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *url = NULL;
  SoupMessageHeaders *headers;
  GListModel *list;
  const char *method;
  guint n;

  url = ladle_request_dup_effective_url (request, error);
  if (url == NULL)
    return NULL;

  /* libsoup writes the method and headers as given: a line break in one would smuggle a request. */
  if (!ladle_request_validate (request, error))
    return NULL;

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, error);
  if (uri == NULL)
    return NULL;

  method = ladle_request_get_method (request);
  msg = soup_message_new_from_uri (method != NULL && method[0] != '\0' ? method : "GET", uri);
  headers = soup_message_get_request_headers (msg);

  list = G_LIST_MODEL (ladle_request_get_headers (request));
  n = g_list_model_get_n_items (list);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LadleKeyValue) kv = g_list_model_get_item (list, i);
      const char *value = ladle_key_value_get_value (kv);

      if (key_value_usable (kv))
        soup_message_headers_append (headers, ladle_key_value_get_name (kv),
                                     value != NULL ? value : "");
    }

  /* Ladle's User-Agent unless the request gives one (as curl does) */
  if (soup_message_headers_get_one (headers, "User-Agent") == NULL)
    {
      g_autofree char *agent = ladle_request_dup_default_user_agent ();

      soup_message_headers_append (headers, "User-Agent", agent);
    }

  switch (ladle_request_get_auth_kind (request))
    {
    case LADLE_AUTH_BASIC:
      {
        const char *user = ladle_request_get_auth_username (request);
        const char *password = ladle_request_get_auth_password (request);
        g_autofree char *pair = g_strdup_printf ("%s:%s", user != NULL ? user : "",
                                                 password != NULL ? password : "");
        g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
        g_autofree char *value = g_strconcat ("Basic ", encoded, NULL);

        soup_message_headers_replace (headers, "Authorization", value);
        break;
      }
    case LADLE_AUTH_BEARER:
      {
        const char *token = ladle_request_get_auth_token (request);
        g_autofree char *value = g_strconcat ("Bearer ", token != NULL ? token : "", NULL);

        soup_message_headers_replace (headers, "Authorization", value);
        break;
      }
    case LADLE_AUTH_DIGEST:
      /* The Auth tab owns Authorization, as for Basic: the exchange answers the server's
       * challenge (ladle-exchange.c). libsoup's SoupAuthManager would answer a challenge itself
       * with credentials in the URL, or those of an earlier message: not for this one. */
      soup_message_headers_remove (headers, "Authorization");
      soup_message_disable_feature (msg, SOUP_TYPE_AUTH_MANAGER);
      break;
    case LADLE_AUTH_API_KEY:
      /* In a header, the Auth tab's key replaces a Headers row of the same name, as it does for
       * Authorization (ladle_request_dup_automatic_headers() lists it as fixed). In the query,
       * ladle_request_dup_effective_url() has appended it. */
      if (ladle_request_get_auth_key_in (request) == LADLE_API_KEY_IN_HEADER)
        {
          const char *value = ladle_request_get_auth_key_value (request);

          soup_message_headers_replace (headers, ladle_request_get_auth_key_name (request),
                                        value != NULL ? value : "");
        }
      break;
    case LADLE_AUTH_NONE:
    default:
      break;
    }

  if (!set_request_body (request, msg, error))
    return NULL;

  soup_message_add_flags (msg, SOUP_MESSAGE_COLLECT_METRICS);
  if (!ladle_request_get_follow_redirects (request))
    soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  if (!ladle_request_get_use_cookies (request))
    soup_message_disable_feature (msg, SOUP_TYPE_COOKIE_JAR);

  return g_steal_pointer (&msg);
}

/**
 * ladle_request_dup_body_bytes:
 *
 * Returns: (transfer full) (nullable): the bytes of a body held in memory, empty for none;
 *   %NULL for a body streamed from files
 */
GBytes *
ladle_request_dup_body_bytes (LadleRequest *request)
{
  const char *text = ladle_request_get_body_text (request);

  switch (ladle_request_get_body_kind (request))
    {
    case LADLE_BODY_NONE:
      return g_bytes_new (NULL, 0);
    case LADLE_BODY_TEXT:
    case LADLE_BODY_JSON:
      return g_bytes_new (text != NULL ? text : "", text != NULL ? strlen (text) : 0);
    case LADLE_BODY_FORM:
      {
        char *form = encode_form (G_LIST_MODEL (ladle_request_get_form (request)));

        return g_bytes_new_take (form, strlen (form));
      }
    case LADLE_BODY_MULTIPART:
    case LADLE_BODY_FILE:
    case LADLE_BODY_PARTS:
    default:
      /* Hashing a file for auth-int would read it a second time, whole, before sending it */
      return NULL;
    }
}
