/* ladle-server-event.c
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

#include "ladle-server-conn.h"
#include "ladle-server-event.h"
#include "ladle-server-event-private.h"

/* One request seen by the embedded server. Built on the server's thread and then only read, so it
 * needs no locking; it reaches the owner's thread in batches (see ladle-server.c). */
struct _LadleServerEvent
{
  GObject               parent_instance;

  LadleServerEventKind  kind;
  gint64                time;
  char                 *peer;
  char                 *method;
  char                 *path;
  guint                 status;
  guint64               request_bytes;
  guint64               response_bytes;
  gint64                duration;
  SoupMessageHeaders   *request_headers;
  GBytes               *request_body;
};

G_DEFINE_FINAL_TYPE (LadleServerEvent, ladle_server_event, G_TYPE_OBJECT)

static void
ladle_server_event_finalize (GObject *object)
{
  LadleServerEvent *self = (LadleServerEvent *) object;

  g_clear_pointer (&self->peer, g_free);
  g_clear_pointer (&self->method, g_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->request_headers, soup_message_headers_unref);
  g_clear_pointer (&self->request_body, g_bytes_unref);

  G_OBJECT_CLASS (ladle_server_event_parent_class)->finalize (object);
}

static void
ladle_server_event_class_init (LadleServerEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ladle_server_event_finalize;
}

static void
ladle_server_event_init (LadleServerEvent *self)
{
}

static void
copy_header (const char *name,
             const char *value,
             gpointer    user_data)
{
  soup_message_headers_append (user_data, name, value);
}

static GQuark peer_quark;

/**
 * _ladle_server_message_get_peer:
 *
 * The address of the client of @msg, or %NULL when it is gone. Not
 * soup_server_message_get_remote_host(): libsoup 3.2 reads the address on first use and
 * g_warning()s when the peer has already disconnected, which a client that gives up early (a
 * refused WebSocket handshake, a timeout) makes routine. Read once per connection: when it was
 * accepted (Ladle's own server), or on first use and then kept on its socket (a plain SoupServer).
 *
 * Returns: (transfer none) (nullable): the peer's address, as text
 */
const char *
_ladle_server_message_get_peer (SoupServerMessage *msg)
{
  LadleServerConn *conn = ladle_server_conn_from_message (msg);
  GSocket *socket;
  g_autoptr(GSocketAddress) address = NULL;
  char *peer;

  /* Connections Ladle accepted itself carry the address they were accepted with */
  if (conn != NULL)
    return ladle_server_conn_get_peer (conn);

  socket = soup_server_message_get_socket (msg);
  if (socket == NULL)
    return NULL;
  if (G_UNLIKELY (peer_quark == 0))
    peer_quark = g_quark_from_static_string ("ladle-peer");

  peer = g_object_get_qdata (G_OBJECT (socket), peer_quark);
  if (peer != NULL)
    return peer;

  address = g_socket_get_remote_address (socket, NULL);
  if (address == NULL || !G_IS_INET_SOCKET_ADDRESS (address))
    return NULL;

  peer = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));
  g_object_set_qdata_full (G_OBJECT (socket), peer_quark, peer, g_free);

  return peer;
}

LadleServerEvent *
_ladle_server_event_new (LadleServerEventKind  kind,
                         gint64                time,
                         const char           *peer,
                         const char           *method,
                         const char           *path,
                         guint                 status,
                         guint64               request_bytes,
                         guint64               response_bytes,
                         gint64                duration,
                         SoupMessageHeaders   *request_headers,
                         GBytes               *request_body)
{
  LadleServerEvent *self = g_object_new (LADLE_TYPE_SERVER_EVENT, NULL);

  self->kind = kind;
  self->time = time;
  self->peer = g_strdup (peer);
  self->method = g_strdup (method);
  self->path = g_strdup (path);
  self->status = status;
  self->request_bytes = request_bytes;
  self->response_bytes = response_bytes;
  self->duration = duration;

  /* A copy: the message's own headers stay with the server's thread. */
  self->request_headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  if (request_headers != NULL)
    soup_message_headers_foreach (request_headers, copy_header, self->request_headers);

  self->request_body = request_body != NULL ? g_bytes_ref (request_body) : g_bytes_new (NULL, 0);

  return self;
}

LadleServerEventKind
ladle_server_event_get_kind (LadleServerEvent *self)
{
  g_return_val_if_fail (LADLE_IS_SERVER_EVENT (self), 0);
  return self->kind;
}

/**
 * ladle_server_event_get_time:
 *
 * Returns: when the request started, in microseconds since the epoch (g_get_real_time()).
 */
gint64
ladle_server_event_get_time (LadleServerEvent *self)
{
  g_return_val_if_fail (LADLE_IS_SERVER_EVENT (self), 0);
  return self->time;
}

const char *
ladle_server_event_get_peer (LadleServerEvent *self)
{
  g_return_val_if_fail (LADLE_IS_SERVER_EVENT (self), NULL);
  return self->peer;
}

const char *
ladle_server_event_get_method (LadleServerEvent *self)
{
  g_return_val_if_fail (LADLE_IS_SERVER_EVENT (self), NULL);
  return self->method;
}

/**
 * ladle_server_event_get_path:
 *
 * Returns: the path and query as the client sent them
 */
const char *
ladle_server_event_get_path (LadleServerEvent *self)
{
  g_return_val_if_fail (LADLE_IS_SERVER_EVENT (self), NULL);
  return self->path;
}

guint
ladle_server_event_get_status (LadleServerEvent *self)
{
  g_return_val_if_fail (LADLE_IS_SERVER_EVENT (self), 0);
  return self->status;
}

guint64
ladle_server_event_get_request_bytes (LadleServerEvent *self)
{
  g_return_val_if_fail (LADLE_IS_SERVER_EVENT (self), 0);
  return self->request_bytes;
}

guint64
ladle_server_event_get_response_bytes (LadleServerEvent *self)
{
  g_return_val_if_fail (LADLE_IS_SERVER_EVENT (self), 0);
  return self->response_bytes;
}

/**
 * ladle_server_event_get_duration:
 *
 * Returns: microseconds from the first byte of the request to the end of the response
 */
gint64
ladle_server_event_get_duration (LadleServerEvent *self)
{
  g_return_val_if_fail (LADLE_IS_SERVER_EVENT (self), 0);
  return self->duration;
}

/**
 * ladle_server_event_get_request_headers:
 *
 * Returns: (transfer none): a copy of the request headers
 */
SoupMessageHeaders *
ladle_server_event_get_request_headers (LadleServerEvent *self)
{
  g_return_val_if_fail (LADLE_IS_SERVER_EVENT (self), NULL);
  return self->request_headers;
}

/**
 * ladle_server_event_get_request_body:
 *
 * Returns: (transfer none): the first %LADLE_SERVER_EVENT_BODY_HEAD_MAX bytes of the request body
 */
GBytes *
ladle_server_event_get_request_body (LadleServerEvent *self)
{
  g_return_val_if_fail (LADLE_IS_SERVER_EVENT (self), NULL);
  return self->request_body;
}

/**
 * ladle_server_event_format_log_line:
 *
 * Formats the event as one access-log line: time, peer, method, path, status, response bytes,
 * duration. The format is fixed (not translated) so that scripts can read it.
 *
 * Returns: (transfer full): the line, without a newline
 */
char *
ladle_server_event_format_log_line (LadleServerEvent *self)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *status = NULL;

  g_return_val_if_fail (LADLE_IS_SERVER_EVENT (self), NULL);

  dt = g_date_time_new_from_unix_local (self->time / G_USEC_PER_SEC);
  stamp = g_date_time_format (dt, "%H:%M:%S");

  if (self->kind == LADLE_SERVER_EVENT_ABORTED)
    status = g_strdup ("aborted");
  else
    status = g_strdup_printf ("%u", self->status);

  return g_strdup_printf ("%s.%03d %s %s %s %s %" G_GUINT64_FORMAT "B %.1fms",
                          stamp, (int) ((self->time / 1000) % 1000),
                          self->peer ? self->peer : "-",
                          self->method ? self->method : "-",
                          self->path ? self->path : "-",
                          status,
                          self->response_bytes,
                          self->duration / 1000.0);
}
