/* ladle-response.c
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

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "ladle-error.h"
#include "ladle-json.h"
#include "ladle-response-private.h"

struct _LadleResponse
{
  GObject      parent_instance;

  char        *http_version;
  guint        status;
  char        *reason;
  GPtrArray   *headers;        /* char*: name, value, name, value... in received order */
  char        *content_type;
  char        *final_url;
  GArray      *redirect_status;
  GPtrArray   *redirect_urls;
  LadleTiming  timing;
  LadleSizes   sizes;
  GBytes      *body_bytes;
  GFile       *body_file;
  gboolean     owns_file;
  guint64      body_size;
  GBytes      *head;
};

G_DEFINE_FINAL_TYPE (LadleResponse, ladle_response, G_TYPE_OBJECT)

static void
ladle_response_finalize (GObject *object)
{
  LadleResponse *self = (LadleResponse *) object;

  /* A spilled body is ours alone: it goes with the response. Deleting one local temporary file
   * is a single unlink(), so it is done in place. */
  if (self->body_file != NULL && self->owns_file)
    g_file_delete (self->body_file, NULL, NULL);

  g_clear_pointer (&self->http_version, g_free);
  g_clear_pointer (&self->reason, g_free);
  g_clear_pointer (&self->headers, g_ptr_array_unref);
  g_clear_pointer (&self->content_type, g_free);
  g_clear_pointer (&self->final_url, g_free);
  g_clear_pointer (&self->redirect_status, g_array_unref);
  g_clear_pointer (&self->redirect_urls, g_ptr_array_unref);
  g_clear_pointer (&self->body_bytes, g_bytes_unref);
  g_clear_object (&self->body_file);
  g_clear_pointer (&self->head, g_bytes_unref);

  G_OBJECT_CLASS (ladle_response_parent_class)->finalize (object);
}

static void
ladle_response_class_init (LadleResponseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ladle_response_finalize;
}

static void
ladle_response_init (LadleResponse *self)
{
  self->headers = g_ptr_array_new_with_free_func (g_free);
  self->redirect_status = g_array_new (FALSE, FALSE, sizeof (guint));
  self->redirect_urls = g_ptr_array_new_with_free_func (g_free);
}

LadleResponse *
_ladle_response_new (void)
{
  return g_object_new (LADLE_TYPE_RESPONSE, NULL);
}

void
_ladle_response_set_status (LadleResponse *self,
                            const char    *http_version,
                            guint          status,
                            const char    *reason,
                            GPtrArray     *headers,
                            const char    *content_type,
                            const char    *final_url)
{
  g_return_if_fail (LADLE_IS_RESPONSE (self));
  g_return_if_fail (headers != NULL && headers->len % 2 == 0);

  g_free (self->http_version);
  self->http_version = g_strdup (http_version);
  self->status = status;
  g_free (self->reason);
  self->reason = g_strdup (reason);
  g_ptr_array_unref (self->headers);
  self->headers = g_ptr_array_ref (headers);
  g_free (self->content_type);
  self->content_type = g_strdup (content_type);
  g_free (self->final_url);
  self->final_url = g_strdup (final_url);
}

void
_ladle_response_add_redirect (LadleResponse *self,
                              guint          status,
                              const char    *url)
{
  g_return_if_fail (LADLE_IS_RESPONSE (self));

  g_array_append_val (self->redirect_status, status);
  g_ptr_array_add (self->redirect_urls, g_strdup (url));
}

void
_ladle_response_set_metrics (LadleResponse     *self,
                             const LadleTiming *timing,
                             const LadleSizes  *sizes)
{
  g_return_if_fail (LADLE_IS_RESPONSE (self));

  self->timing = *timing;
  self->sizes = *sizes;
}

void
_ladle_response_set_body (LadleResponse *self,
                          GBytes        *bytes,
                          GFile         *file,
                          gboolean       owns_file,
                          guint64        size,
                          GBytes        *head)
{
  g_return_if_fail (LADLE_IS_RESPONSE (self));
  g_return_if_fail ((bytes == NULL) != (file == NULL));
  g_return_if_fail (head != NULL);

  g_clear_pointer (&self->body_bytes, g_bytes_unref);
  g_clear_object (&self->body_file);
  g_clear_pointer (&self->head, g_bytes_unref);

  self->body_bytes = bytes != NULL ? g_bytes_ref (bytes) : NULL;
  self->body_file = file != NULL ? g_object_ref (file) : NULL;
  self->owns_file = owns_file;
  self->body_size = size;
  self->head = g_bytes_ref (head);
}

/**
 * ladle_response_get_http_version:
 *
 * Returns: "HTTP/1.0", "HTTP/1.1" or "HTTP/2"
 */
const char *
ladle_response_get_http_version (LadleResponse *self)
{
  g_return_val_if_fail (LADLE_IS_RESPONSE (self), NULL);

  return self->http_version;
}

guint
ladle_response_get_status (LadleResponse *self)
{
  g_return_val_if_fail (LADLE_IS_RESPONSE (self), 0);

  return self->status;
}

const char *
ladle_response_get_reason (LadleResponse *self)
{
  g_return_val_if_fail (LADLE_IS_RESPONSE (self), NULL);

  return self->reason;
}

/**
 * ladle_response_get_n_headers:
 *
 * The headers keep repeats and their received order, except that libsoup 3.2 stores the
 * headers it knows by name (Content-Type, Date, Set-Cookie...) apart from the others: those
 * come first, each group in received order.
 */
guint
ladle_response_get_n_headers (LadleResponse *self)
{
  g_return_val_if_fail (LADLE_IS_RESPONSE (self), 0);

  return self->headers->len / 2;
}

const char *
ladle_response_get_header_name (LadleResponse *self,
                                guint          index)
{
  g_return_val_if_fail (LADLE_IS_RESPONSE (self), NULL);
  g_return_val_if_fail (index < self->headers->len / 2, NULL);

  return g_ptr_array_index (self->headers, index * 2);
}

const char *
ladle_response_get_header_value (LadleResponse *self,
                                 guint          index)
{
  g_return_val_if_fail (LADLE_IS_RESPONSE (self), NULL);
  g_return_val_if_fail (index < self->headers->len / 2, NULL);

  return g_ptr_array_index (self->headers, index * 2 + 1);
}

/**
 * ladle_response_get_header:
 *
 * Returns: (nullable): the first value of the header @name (case-insensitive)
 */
const char *
ladle_response_get_header (LadleResponse *self,
                           const char    *name)
{
  g_return_val_if_fail (LADLE_IS_RESPONSE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i + 1 < self->headers->len; i += 2)
    {
      if (g_ascii_strcasecmp (g_ptr_array_index (self->headers, i), name) == 0)
        return g_ptr_array_index (self->headers, i + 1);
    }

  return NULL;
}

/**
 * ladle_response_get_content_type:
 *
 * Returns: (nullable): the media type without parameters, e.g. "application/json"
 */
const char *
ladle_response_get_content_type (LadleResponse *self)
{
  g_return_val_if_fail (LADLE_IS_RESPONSE (self), NULL);

  return self->content_type;
}

const char *
ladle_response_get_final_url (LadleResponse *self)
{
  g_return_val_if_fail (LADLE_IS_RESPONSE (self), NULL);

  return self->final_url;
}

guint
ladle_response_get_n_redirects (LadleResponse *self)
{
  g_return_val_if_fail (LADLE_IS_RESPONSE (self), 0);

  return self->redirect_status->len;
}

/**
 * ladle_response_get_redirect_status:
 * @index: the hop, from 0
 *
 * Returns: the 3xx status of the hop
 */
guint
ladle_response_get_redirect_status (LadleResponse *self,
                                    guint          index)
{
  g_return_val_if_fail (LADLE_IS_RESPONSE (self), 0);
  g_return_val_if_fail (index < self->redirect_status->len, 0);

  return g_array_index (self->redirect_status, guint, index);
}

/**
 * ladle_response_get_redirect_url:
 * @index: the hop, from 0
 *
 * Returns: the URL that answered with the redirect
 */
const char *
ladle_response_get_redirect_url (LadleResponse *self,
                                 guint          index)
{
  g_return_val_if_fail (LADLE_IS_RESPONSE (self), NULL);
  g_return_val_if_fail (index < self->redirect_urls->len, NULL);

  return g_ptr_array_index (self->redirect_urls, index);
}

const LadleTiming *
ladle_response_get_timing (LadleResponse *self)
{
  g_return_val_if_fail (LADLE_IS_RESPONSE (self), NULL);

  return &self->timing;
}

const LadleSizes *
ladle_response_get_sizes (LadleResponse *self)
{
  g_return_val_if_fail (LADLE_IS_RESPONSE (self), NULL);

  return &self->sizes;
}

/**
 * ladle_response_get_body_bytes:
 *
 * Returns: (nullable) (transfer none): the body, or %NULL when it is in a file
 */
GBytes *
ladle_response_get_body_bytes (LadleResponse *self)
{
  g_return_val_if_fail (LADLE_IS_RESPONSE (self), NULL);

  return self->body_bytes;
}

/**
 * ladle_response_get_body_file:
 *
 * Returns: (nullable) (transfer none): the file holding the body (a temporary file deleted
 *   with the response, or the output file the caller asked for), or %NULL when in memory
 */
GFile *
ladle_response_get_body_file (LadleResponse *self)
{
  g_return_val_if_fail (LADLE_IS_RESPONSE (self), NULL);

  return self->body_file;
}

guint64
ladle_response_get_body_size (LadleResponse *self)
{
  g_return_val_if_fail (LADLE_IS_RESPONSE (self), 0);

  return self->body_size;
}

/**
 * ladle_response_is_utf8:
 *
 * Whether the first %LADLE_RESPONSE_SNIFF_SIZE bytes are valid UTF-8 (a character cut by that
 * limit counts as valid).
 */
gboolean
ladle_response_is_utf8 (LadleResponse *self)
{
  const char *data;
  const char *end = NULL;
  gsize len = 0;

  g_return_val_if_fail (LADLE_IS_RESPONSE (self), FALSE);

  if (self->head == NULL)
    return TRUE;

  data = g_bytes_get_data (self->head, &len);
  if (g_utf8_validate (data, len, &end))
    return TRUE;

  /* A multi-byte character cut by the sniff limit is not an error. */
  return self->body_size > len && len - (gsize) (end - data) < 4 &&
         g_utf8_get_char_validated (end, len - (end - data)) == (gunichar) -2;
}

/**
 * ladle_response_get_head:
 *
 * Returns: (transfer none) (nullable): the first bytes of the body (at most
 *   %LADLE_RESPONSE_SNIFF_SIZE), for telling what it is without reading it all
 */
GBytes *
ladle_response_get_head (LadleResponse *self)
{
  g_return_val_if_fail (LADLE_IS_RESPONSE (self), NULL);
  return self->head;
}

/**
 * ladle_response_looks_binary:
 *
 * Whether the start of the body has NUL bytes or is not UTF-8.
 */
gboolean
ladle_response_looks_binary (LadleResponse *self)
{
  const char *data;
  gsize len = 0;

  g_return_val_if_fail (LADLE_IS_RESPONSE (self), FALSE);

  if (self->head == NULL)
    return FALSE;

  data = g_bytes_get_data (self->head, &len);
  if (len > 0 && memchr (data, '\0', len) != NULL)
    return TRUE;

  return !ladle_response_is_utf8 (self);
}

/**
 * ladle_response_pretty_json_async:
 *
 * Parses the body as JSON and pretty-prints it, in a worker thread.
 */
void
ladle_response_pretty_json_async (LadleResponse       *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GBytes *empty = NULL;

  g_return_if_fail (LADLE_IS_RESPONSE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (self->body_bytes == NULL && self->body_file == NULL)
    empty = g_bytes_new (NULL, 0);
  ladle_json_pretty_async (self, empty != NULL ? empty : self->body_bytes, self->body_file,
                           cancellable, callback, user_data);
  g_clear_pointer (&empty, g_bytes_unref);
}

/**
 * ladle_response_pretty_json_finish:
 *
 * Returns: (transfer full): the pretty text, or %NULL with @error set (a %LADLE_ERROR_PARSE
 *   message starts with "LINE:COL: ")
 */
char *
ladle_response_pretty_json_finish (LadleResponse  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  g_return_val_if_fail (LADLE_IS_RESPONSE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return ladle_json_pretty_finish (result, error);
}
