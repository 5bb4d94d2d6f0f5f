/* ladle-websocket-request.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* LadleWebsocketRequest: the options of a WebSocket connection (address, handshake headers,
 * subprotocols, origin, compression, TLS, timers) as properties, for the WebSocket bench to bind
 * its widgets and the settings to, as the Requests bench does with LadleRequest. A connection is
 * made by a fresh LadleWebsocketClient that ladle_websocket_request_apply() configures.
 *
 * The headers are edited as text, one "Name: value" a line (headers-text, kept as typed so that
 * an editor bound to it never sees its text rewritten); the rows (get_headers()) are made from it
 * each time it changes, here and nowhere else. A line that is not "Name: value" makes no row and
 * is reported by apply(). */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ladle-error.h"
#include "ladle-http-syntax.h"
#include "ladle-websocket-request.h"

struct _LadleWebsocketRequest
{
  GObject     parent_instance;

  char       *url;
  char       *protocols;
  char       *origin;
  char       *headers_text;
  GListStore *headers;        /* LadleKeyValue, made from headers_text */
  GError     *headers_error;  /* the first line of headers_text that is not a header */
  gboolean    deflate;
  gboolean    verify_tls;
  double      connect_timeout;
  double      ping_interval;
};

G_DEFINE_FINAL_TYPE (LadleWebsocketRequest, ladle_websocket_request, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_URL,
  PROP_PROTOCOLS,
  PROP_ORIGIN,
  PROP_HEADERS_TEXT,
  PROP_DEFLATE,
  PROP_VERIFY_TLS,
  PROP_CONNECT_TIMEOUT,
  PROP_PING_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Replaces *dest with a copy of @src (NULL as ""); TRUE when the value changed. */
static gboolean
set_string (char       **dest,
            const char  *src)
{
  if (src == NULL)
    src = "";
  if (g_strcmp0 (*dest, src) == 0)
    return FALSE;

  g_free (*dest);
  *dest = g_strdup (src);
  return TRUE;
}

/* The one place the rows are made from the text. */
static void
parse_headers (LadleWebsocketRequest *self)
{
  g_auto(GStrv) lines = g_strsplit (self->headers_text, "\n", -1);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);

  g_clear_error (&self->headers_error);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      char *colon;

      if (line[0] == '\0')
        continue;
      colon = strchr (line, ':');
      if (colon == NULL || colon == line)
        {
          if (self->headers_error == NULL)
            g_set_error (&self->headers_error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                         _("Header line %u is not “Name: value”: %s"), i + 1, line);
          continue;
        }
      *colon = '\0';
      g_ptr_array_add (rows, ladle_key_value_new (g_strstrip (line), g_strstrip (colon + 1)));
    }

  g_list_store_splice (self->headers, 0, g_list_model_get_n_items (G_LIST_MODEL (self->headers)),
                       rows->pdata, rows->len);
}

static void
ladle_websocket_request_finalize (GObject *object)
{
  LadleWebsocketRequest *self = (LadleWebsocketRequest *) object;

  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->protocols, g_free);
  g_clear_pointer (&self->origin, g_free);
  g_clear_pointer (&self->headers_text, g_free);
  g_clear_object (&self->headers);
  g_clear_error (&self->headers_error);

  G_OBJECT_CLASS (ladle_websocket_request_parent_class)->finalize (object);
}

static void
ladle_websocket_request_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  LadleWebsocketRequest *self = LADLE_WEBSOCKET_REQUEST (object);

  switch (prop_id)
    {
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_PROTOCOLS:
      g_value_set_string (value, self->protocols);
      break;
    case PROP_ORIGIN:
      g_value_set_string (value, self->origin);
      break;
    case PROP_HEADERS_TEXT:
      g_value_set_string (value, self->headers_text);
      break;
    case PROP_DEFLATE:
      g_value_set_boolean (value, self->deflate);
      break;
    case PROP_VERIFY_TLS:
      g_value_set_boolean (value, self->verify_tls);
      break;
    case PROP_CONNECT_TIMEOUT:
      g_value_set_double (value, self->connect_timeout);
      break;
    case PROP_PING_INTERVAL:
      g_value_set_double (value, self->ping_interval);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_websocket_request_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  LadleWebsocketRequest *self = LADLE_WEBSOCKET_REQUEST (object);

  switch (prop_id)
    {
    case PROP_URL:
      ladle_websocket_request_set_url (self, g_value_get_string (value));
      break;
    case PROP_PROTOCOLS:
      ladle_websocket_request_set_protocols (self, g_value_get_string (value));
      break;
    case PROP_ORIGIN:
      ladle_websocket_request_set_origin (self, g_value_get_string (value));
      break;
    case PROP_HEADERS_TEXT:
      ladle_websocket_request_set_headers_text (self, g_value_get_string (value));
      break;
    case PROP_DEFLATE:
      ladle_websocket_request_set_deflate (self, g_value_get_boolean (value));
      break;
    case PROP_VERIFY_TLS:
      ladle_websocket_request_set_verify_tls (self, g_value_get_boolean (value));
      break;
    case PROP_CONNECT_TIMEOUT:
      ladle_websocket_request_set_connect_timeout (self, g_value_get_double (value));
      break;
    case PROP_PING_INTERVAL:
      ladle_websocket_request_set_ping_interval (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_websocket_request_class_init (LadleWebsocketRequestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = ladle_websocket_request_finalize;
  object_class->get_property = ladle_websocket_request_get_property;
  object_class->set_property = ladle_websocket_request_set_property;

  properties[PROP_URL] = g_param_spec_string ("url", NULL, NULL, "", flags);
  properties[PROP_PROTOCOLS] = g_param_spec_string ("protocols", NULL, NULL, "", flags);
  properties[PROP_ORIGIN] = g_param_spec_string ("origin", NULL, NULL, "", flags);
  properties[PROP_HEADERS_TEXT] = g_param_spec_string ("headers-text", NULL, NULL, "", flags);
  properties[PROP_DEFLATE] = g_param_spec_boolean ("deflate", NULL, NULL, FALSE, flags);
  properties[PROP_VERIFY_TLS] = g_param_spec_boolean ("verify-tls", NULL, NULL, TRUE, flags);
  properties[PROP_CONNECT_TIMEOUT] =
    g_param_spec_double ("connect-timeout", NULL, NULL, 0, 3600, 10, flags);
  properties[PROP_PING_INTERVAL] =
    g_param_spec_double ("ping-interval", NULL, NULL, 0, 3600, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ladle_websocket_request_init (LadleWebsocketRequest *self)
{
  self->url = g_strdup ("");
  self->protocols = g_strdup ("");
  self->origin = g_strdup ("");
  self->headers_text = g_strdup ("");
  self->headers = g_list_store_new (LADLE_TYPE_KEY_VALUE);
  self->verify_tls = TRUE;
  self->connect_timeout = 10;
}

LadleWebsocketRequest *
ladle_websocket_request_new (void)
{
  return g_object_new (LADLE_TYPE_WEBSOCKET_REQUEST, NULL);
}

const char *
ladle_websocket_request_get_url (LadleWebsocketRequest *self)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_REQUEST (self), NULL);
  return self->url;
}

void
ladle_websocket_request_set_url (LadleWebsocketRequest *self,
                                 const char            *url)
{
  g_return_if_fail (LADLE_IS_WEBSOCKET_REQUEST (self));

  if (set_string (&self->url, url))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
}

const char *
ladle_websocket_request_get_protocols (LadleWebsocketRequest *self)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_REQUEST (self), NULL);
  return self->protocols;
}

void
ladle_websocket_request_set_protocols (LadleWebsocketRequest *self,
                                       const char            *protocols)
{
  g_return_if_fail (LADLE_IS_WEBSOCKET_REQUEST (self));

  if (set_string (&self->protocols, protocols))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROTOCOLS]);
}

/**
 * ladle_websocket_request_dup_protocol_list:
 *
 * Returns: (transfer full): the subprotocols, in order, without the commas and spaces between
 *   them (an empty list for none)
 */
char **
ladle_websocket_request_dup_protocol_list (LadleWebsocketRequest *self)
{
  g_auto(GStrv) split = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (LADLE_IS_WEBSOCKET_REQUEST (self), NULL);

  split = g_strsplit_set (self->protocols, ", \t", -1);
  for (guint i = 0; split[i] != NULL; i++)
    if (split[i][0] != '\0')
      g_strv_builder_add (builder, split[i]);

  return g_strv_builder_end (builder);
}

const char *
ladle_websocket_request_get_origin (LadleWebsocketRequest *self)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_REQUEST (self), NULL);
  return self->origin;
}

/**
 * ladle_websocket_request_set_origin:
 * @origin: (nullable): the handshake's Origin header; empty or %NULL for none
 */
void
ladle_websocket_request_set_origin (LadleWebsocketRequest *self,
                                    const char            *origin)
{
  g_return_if_fail (LADLE_IS_WEBSOCKET_REQUEST (self));

  if (set_string (&self->origin, origin))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORIGIN]);
}

/**
 * ladle_websocket_request_get_headers:
 *
 * The handshake's extra headers, one #LadleKeyValue a line of #LadleWebsocketRequest:headers-text
 * that reads "Name: value". Read-only: edit the text, or add with
 * ladle_websocket_request_add_header().
 *
 * Returns: (transfer none): a #GListModel of #LadleKeyValue
 */
GListModel *
ladle_websocket_request_get_headers (LadleWebsocketRequest *self)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_REQUEST (self), NULL);
  return G_LIST_MODEL (self->headers);
}

const char *
ladle_websocket_request_get_headers_text (LadleWebsocketRequest *self)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_REQUEST (self), NULL);
  return self->headers_text;
}

/**
 * ladle_websocket_request_set_headers_text:
 * @text: (nullable): one "Name: value" a line; blank lines are skipped
 *
 * Sets the headers as text; the rows of ladle_websocket_request_get_headers() follow.
 */
void
ladle_websocket_request_set_headers_text (LadleWebsocketRequest *self,
                                          const char            *text)
{
  g_return_if_fail (LADLE_IS_WEBSOCKET_REQUEST (self));

  if (!set_string (&self->headers_text, text))
    return;

  parse_headers (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEADERS_TEXT]);
}

/**
 * ladle_websocket_request_add_header:
 *
 * Adds a header: a line at the end of #LadleWebsocketRequest:headers-text, and so a row.
 */
void
ladle_websocket_request_add_header (LadleWebsocketRequest *self,
                                    const char            *name,
                                    const char            *value)
{
  g_autoptr(GString) text = NULL;

  g_return_if_fail (LADLE_IS_WEBSOCKET_REQUEST (self));
  g_return_if_fail (name != NULL);

  text = g_string_new (self->headers_text);
  if (text->len > 0 && text->str[text->len - 1] != '\n')
    g_string_append_c (text, '\n');
  g_string_append_printf (text, "%s: %s", name, value != NULL ? value : "");
  ladle_websocket_request_set_headers_text (self, text->str);
}

gboolean
ladle_websocket_request_get_deflate (LadleWebsocketRequest *self)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_REQUEST (self), FALSE);
  return self->deflate;
}

void
ladle_websocket_request_set_deflate (LadleWebsocketRequest *self,
                                     gboolean               deflate)
{
  g_return_if_fail (LADLE_IS_WEBSOCKET_REQUEST (self));

  deflate = !!deflate;
  if (self->deflate == deflate)
    return;
  self->deflate = deflate;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEFLATE]);
}

gboolean
ladle_websocket_request_get_verify_tls (LadleWebsocketRequest *self)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_REQUEST (self), TRUE);
  return self->verify_tls;
}

void
ladle_websocket_request_set_verify_tls (LadleWebsocketRequest *self,
                                        gboolean               verify)
{
  g_return_if_fail (LADLE_IS_WEBSOCKET_REQUEST (self));

  verify = !!verify;
  if (self->verify_tls == verify)
    return;
  self->verify_tls = verify;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERIFY_TLS]);
}

double
ladle_websocket_request_get_connect_timeout (LadleWebsocketRequest *self)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_REQUEST (self), 0);
  return self->connect_timeout;
}

void
ladle_websocket_request_set_connect_timeout (LadleWebsocketRequest *self,
                                             double                 seconds)
{
  g_return_if_fail (LADLE_IS_WEBSOCKET_REQUEST (self));

  seconds = CLAMP (seconds, 0, 3600);
  if (self->connect_timeout == seconds)
    return;
  self->connect_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECT_TIMEOUT]);
}

double
ladle_websocket_request_get_ping_interval (LadleWebsocketRequest *self)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_REQUEST (self), 0);
  return self->ping_interval;
}

void
ladle_websocket_request_set_ping_interval (LadleWebsocketRequest *self,
                                           double                 seconds)
{
  g_return_if_fail (LADLE_IS_WEBSOCKET_REQUEST (self));

  seconds = CLAMP (seconds, 0, 3600);
  if (self->ping_interval == seconds)
    return;
  self->ping_interval = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PING_INTERVAL]);
}

/**
 * ladle_websocket_request_apply:
 * @client: a new client, not yet connected
 *
 * Checks what would go into the handshake's head (each header line is "Name: value", each name
 * a token, no value or origin with a line break) and sets @client's options from the request.
 * The URL is not checked here: connecting says what is wrong with it.
 *
 * Returns: %TRUE when @client is set up; else %FALSE with a %LADLE_ERROR_INVALID_ARGUMENT error
 *   that names the first bad part, and @client untouched
 */
gboolean
ladle_websocket_request_apply (LadleWebsocketRequest  *self,
                               LadleWebsocketClient   *client,
                               GError                **error)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->headers));
  g_auto(GStrv) protocols = NULL;

  g_return_val_if_fail (LADLE_IS_WEBSOCKET_REQUEST (self), FALSE);
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_CLIENT (client), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->headers_error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->headers_error));
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LadleKeyValue) row = g_list_model_get_item (G_LIST_MODEL (self->headers), i);

      if (!ladle_key_value_check_header (row, error))
        return FALSE;
    }
  if (self->origin[0] != '\0' && !ladle_http_check_header_value ("Origin", self->origin, error))
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LadleKeyValue) row = g_list_model_get_item (G_LIST_MODEL (self->headers), i);

      ladle_websocket_client_add_header (client, ladle_key_value_get_name (row),
                                         ladle_key_value_get_value (row));
    }
  protocols = ladle_websocket_request_dup_protocol_list (self);
  ladle_websocket_client_set_protocols (client, protocols[0] != NULL
                                                ? (const char * const *) protocols : NULL);
  ladle_websocket_client_set_origin (client, self->origin[0] != '\0' ? self->origin : NULL);
  ladle_websocket_client_set_deflate (client, self->deflate);
  ladle_websocket_client_set_verify_tls (client, self->verify_tls);
  ladle_websocket_client_set_connect_timeout (client, self->connect_timeout);
  ladle_websocket_client_set_ping_interval (client, self->ping_interval);

  return TRUE;
}
