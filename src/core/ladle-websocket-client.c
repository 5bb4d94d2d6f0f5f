/* ladle-websocket-client.c
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
#include <libsoup/soup.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include "ladle-error.h"
#include "ladle-http-syntax.h"
#include "ladle-proxy.h"
#include "ladle-tls-client.h"
#include "ladle-websocket-client.h"
#include "ladle-websocket-codec.h"

/* A WebSocket client with two engines under one API.
 *
 * Without permessage-deflate (the default), Ladle speaks the protocol itself: a GSocketClient
 * connection (TLS for wss://), the opening handshake written and checked here (a random
 * Sec-WebSocket-Key, its Sec-WebSocket-Accept, the subprotocol among those offered, no extension),
 * then LadleWebsocketCodec in the client role. libsoup 3.2's SoupWebsocketConnection reads 1 KiB
 * per recv() and grows its buffers by appends (doc/STACK.md §5, §13): 1 MiB messages came back at
 * half the speed of aiohttp's client; the codec reads 64 KiB at a time, or straight into the
 * message buffer for large frames.
 *
 * With permessage-deflate, libsoup does the work (the codec has no compression). The variable
 * LADLE_WS_ENGINE=libsoup sends every connection that way, to compare the two.
 *
 * On the libsoup engine, what 3.2 lacks is done here:
 *
 * - The connect timeout is our own timer: it cancels our own cancellable and the failure is
 *   reported as LADLE_ERROR_TIMEOUT_CONNECT.
 * - Pings: 3.2 has no public "send a ping" call. soup_websocket_connection_send_message() does not
 *   check its type argument and writes it as the frame opcode, so passing 0x9 sends a ping with
 *   our payload (control frames are not compressed by permessage-deflate, and libsoup itself
 *   checks the 125-byte limit). This relies on 3.2's implementation; see ping_frame() below.
 * - Keep-alive and dead peers: 3.2 has no pong timeout. Our ping timer sends a ping every
 *   ping-interval seconds; when the next tick comes and no "pong" arrived since the previous ping,
 *   the peer is declared dead, the connection is dropped and the client ends CLOSED with the error
 *   "No pong within N s". libsoup's own keepalive-interval is left at 0.
 * - max-incoming-payload-size is handed to libsoup, which checks it per frame only (a message in
 *   many fragments can be larger, upstream issue #390).
 * - Received pings are answered by libsoup without any signal, so they are not in the transcript.
 * - When the server breaks the protocol, libsoup sends its close frame and then waits up to 5 s
 *   for the server to end the connection; we end it once the close frame went (RFC 6455 §7.1.7:
 *   a server that broke the protocol is not waited for), as our engine does. libsoup's error does
 *   not say which rule was broken, only whether it was invalid UTF-8.
 *
 * Both engines share the connect timeout, the ping timer and dead-peer check, the transcript and
 * the wording of errors. */

#define PING_PAYLOAD         "ladle"
#define PING_OPCODE          0x9
#define HANDSHAKE_MAX        (64 * 1024)
#define HANDSHAKE_READ_SIZE  4096
#define WEBSOCKET_GUID       "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

G_DEFINE_ENUM_TYPE (LadleWebsocketState, ladle_websocket_state,
  G_DEFINE_ENUM_VALUE (LADLE_WEBSOCKET_STATE_CLOSED, "closed"),
  G_DEFINE_ENUM_VALUE (LADLE_WEBSOCKET_STATE_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (LADLE_WEBSOCKET_STATE_OPEN, "open"),
  G_DEFINE_ENUM_VALUE (LADLE_WEBSOCKET_STATE_CLOSING, "closing"))

struct _LadleWebsocketClient
{
  GObject                  parent_instance;

  /* Settings */
  SoupMessageHeaders      *headers;
  GError                  *invalid_header;     /* the first header refused by add_header() */
  char                    *origin;
  char                   **protocols;
  gboolean                 deflate;
  double                   connect_timeout;
  gboolean                 verify_tls;
  double                   ping_interval;
  guint64                  max_incoming;
  GTlsCertificate         *client_cert;        /* transport (issue 14), see set_transport() */
  GTlsDatabase            *ca_database;
  LadleProxyMode           proxy_mode;
  char                    *proxy_uri;          /* manual: for GIO, with the credentials */
  char                    *proxy_shown;        /* manual: without them */
  char                    *proxy_user;
  char                    *proxy_password;
  char                    *no_proxy;

  /* State */
  LadleWebsocketState      state;
  char                    *url;
  char                    *protocol;
  guint                    close_code;
  char                    *close_reason;
  GError                  *error;
  GListStore              *transcript;

  /* Owned references */
  SoupSession             *session;
  SoupMessage             *msg;                /* the handshake */
  SoupWebsocketConnection *conn;
  GTask                   *task;               /* the connect in flight */
  GCancellable            *cancellable;        /* ours: the user's cancel and our timer cancel it */
  GCancellable            *user_cancellable;
  gulong                   user_cancel_id;
  GMainContext            *context;
  GSource                 *connect_source;
  GSource                 *ping_source;
  GSource                 *fail_source;        /* ends a libsoup connection after an error */

  /* Our own engine (no deflate) */
  LadleWebsocketCodec *codec;
  GSocketClient       *socket_client;
  GIOStream           *io;                 /* the connection, during the handshake */
  GByteArray          *hs_buffer;          /* the handshake answer read so far */
  char                *hs_request;
  char                *hs_accept;          /* the Sec-WebSocket-Accept we expect */
  guint8               hs_chunk[HANDSHAKE_READ_SIZE];

  char                    *host;
  guint                    port;
  GTlsCertificateFlags     tls_errors;
  gboolean                 via_proxy;          /* this connection goes through proxy_uri */
  gboolean                 reached;            /* connected to the first hop (the proxy) */
  gboolean                 handshaking;        /* the TLS handshake with the server began */
  gboolean                 timed_out;
  gboolean                 ping_outstanding;
};

G_DEFINE_FINAL_TYPE (LadleWebsocketClient, ladle_websocket_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_URL,
  PROP_PROTOCOL,
  PROP_CLOSE_CODE,
  PROP_CLOSE_REASON,
  PROP_TRANSCRIPT,
  PROP_ORIGIN,
  PROP_DEFLATE,
  PROP_CONNECT_TIMEOUT,
  PROP_VERIFY_TLS,
  PROP_PING_INTERVAL,
  PROP_MAX_INCOMING_PAYLOAD_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static GSource *
add_timeout (LadleWebsocketClient *self,
             double                seconds,
             GSourceFunc           func)
{
  GSource *source = g_timeout_source_new ((guint) MAX (1, seconds * 1000 + 0.5));

  g_source_set_callback (source, func, self, NULL);
  g_source_attach (source, self->context);
  return source;
}

static void
append_event (LadleWebsocketClient *self,
              LadleWebsocketEvent  *event)
{
  g_list_store_append (self->transcript, event);
  g_object_unref (event);
}

static void
set_state (LadleWebsocketClient *self,
           LadleWebsocketState   state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_error (LadleWebsocketClient *self,
           const GError         *error)
{
  append_event (self, ladle_websocket_event_new (LADLE_WEBSOCKET_DIRECTION_NONE,
                                                 LADLE_WEBSOCKET_EVENT_ERROR, NULL,
                                                 error->message));
  if (self->error == NULL)
    self->error = g_error_copy (error);
}

static void
set_close (LadleWebsocketClient *self,
           guint                 code,
           const char           *reason)
{
  if (self->close_code != code)
    {
      self->close_code = code;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOSE_CODE]);
    }
  if (g_strcmp0 (self->close_reason, reason) != 0)
    {
      g_free (self->close_reason);
      self->close_reason = g_strdup (reason);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOSE_REASON]);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* The open connection */

static gboolean
has_connection (LadleWebsocketClient *self)
{
  return self->conn != NULL || self->codec != NULL;
}

static void
drop_connection (LadleWebsocketClient *self)
{
  clear_source (&self->ping_source);
  clear_source (&self->fail_source);
  self->ping_outstanding = FALSE;
  /* Ends the connection if still there, and calls nothing more. */
  g_clear_pointer (&self->codec, ladle_websocket_codec_release);
  if (self->conn != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->conn, self);
      /* Our reference is the only one: disposing closes the I/O stream if still open. */
      g_clear_object (&self->conn);
    }
}

static void
finish_closed (LadleWebsocketClient *self,
               guint                 code,
               const char           *reason)
{
  g_object_ref (self);
  if (code != 0)
    {
      append_event (self, ladle_websocket_event_new_close (LADLE_WEBSOCKET_DIRECTION_IN, code,
                                                           reason));
      set_close (self, code, reason != NULL ? reason : "");
    }
  else
    {
      /* RFC 6455 §7.1.5: no close frame received means 1006. */
      append_event (self, ladle_websocket_event_new_close (LADLE_WEBSOCKET_DIRECTION_NONE,
                                                           SOUP_WEBSOCKET_CLOSE_ABNORMAL, NULL));
      set_close (self, SOUP_WEBSOCKET_CLOSE_ABNORMAL, "");
    }
  drop_connection (self);
  set_state (self, LADLE_WEBSOCKET_STATE_CLOSED);
  g_object_unref (self);
}

static void
conn_message_cb (SoupWebsocketConnection *conn,
                 gint                     type,
                 GBytes                  *message,
                 gpointer                 user_data)
{
  LadleWebsocketClient *self = user_data;
  LadleWebsocketEventKind kind = type == SOUP_WEBSOCKET_DATA_TEXT ? LADLE_WEBSOCKET_EVENT_TEXT
                                                                  : LADLE_WEBSOCKET_EVENT_BINARY;

  append_event (self, ladle_websocket_event_new (LADLE_WEBSOCKET_DIRECTION_IN, kind, message, NULL));
}

/* libsoup 3.2 declares "pong" with a GBytes argument but emits a GByteArray (receive_pong() in
 * soup-websocket-connection.c), so the argument is read as the GByteArray it really is. */
static void
conn_pong_cb (SoupWebsocketConnection *conn,
              gpointer                 message,
              gpointer                 user_data)
{
  LadleWebsocketClient *self = user_data;
  GByteArray *array = message;
  g_autoptr(GBytes) payload = NULL;

  payload = g_bytes_new (array->data, array->len);
  self->ping_outstanding = FALSE;
  append_event (self, ladle_websocket_event_new (LADLE_WEBSOCKET_DIRECTION_IN,
                                                 LADLE_WEBSOCKET_EVENT_PONG, payload, NULL));
}

static GError *
too_large_error (LadleWebsocketClient *self)
{
  g_autofree char *limit = g_format_size (self->max_incoming);

  return g_error_new (LADLE_ERROR, LADLE_ERROR_TOO_LARGE,
                      _("The server sent a message over the size limit (%s)"), limit);
}

static GError *
invalid_text_error (void)
{
  return g_error_new_literal (LADLE_ERROR, LADLE_ERROR_FAILED,
                              _("The server sent text that is not valid UTF-8"));
}

/* Once libsoup's close frame went (it is written as the "error" signal returns). */
static gboolean
fail_cb (gpointer data)
{
  LadleWebsocketClient *self = data;

  g_assert (LADLE_IS_WEBSOCKET_CLIENT (self));

  g_clear_pointer (&self->fail_source, g_source_unref);
  finish_closed (self, 0, NULL);

  return G_SOURCE_REMOVE;
}

/* libsoup's errors in our words; NULL to report @error as it is */
static GError *
reword_libsoup_error (LadleWebsocketClient *self,
                      const GError         *error)
{
  if (error->domain != SOUP_WEBSOCKET_ERROR)
    return NULL;

  switch (error->code)
    {
    case SOUP_WEBSOCKET_CLOSE_BAD_DATA:
      return invalid_text_error ();
    case SOUP_WEBSOCKET_CLOSE_PROTOCOL_ERROR:
      return g_error_new_literal (LADLE_ERROR, LADLE_ERROR_FAILED,
                                  _("The server broke the WebSocket protocol"));
    case SOUP_WEBSOCKET_CLOSE_TOO_BIG:
      return too_large_error (self);
    default:
      return NULL;
    }
}

static void
conn_error_cb (SoupWebsocketConnection *conn,
               GError                  *error,
               gpointer                 user_data)
{
  LadleWebsocketClient *self = user_data;
  g_autoptr(GError) reported = reword_libsoup_error (self, error);
  gboolean broken = error->domain == SOUP_WEBSOCKET_ERROR &&
                    (error->code == SOUP_WEBSOCKET_CLOSE_PROTOCOL_ERROR ||
                     error->code == SOUP_WEBSOCKET_CLOSE_BAD_DATA);

  set_error (self, reported != NULL ? reported : error);
  if (!broken || self->fail_source != NULL)
    return;

  /* libsoup sends its close frame, with the error's code, unless it already sent one. */
  if (soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
    append_event (self, ladle_websocket_event_new_close (LADLE_WEBSOCKET_DIRECTION_OUT,
                                                         error->code, NULL));
  clear_source (&self->ping_source);
  set_state (self, LADLE_WEBSOCKET_STATE_CLOSING);
  self->fail_source = g_idle_source_new ();
  g_source_set_priority (self->fail_source, G_PRIORITY_DEFAULT);
  g_source_set_name (self->fail_source, "[ladle] websocket fail");
  g_source_set_callback (self->fail_source, fail_cb, self, NULL);
  g_source_attach (self->fail_source, self->context);
}

static void
conn_closing_cb (SoupWebsocketConnection *conn,
                 gpointer                 user_data)
{
  LadleWebsocketClient *self = user_data;

  set_state (self, LADLE_WEBSOCKET_STATE_CLOSING);
}

static void
conn_closed_cb (SoupWebsocketConnection *conn,
                gpointer                 user_data)
{
  LadleWebsocketClient *self = user_data;

  finish_closed (self, soup_websocket_connection_get_close_code (conn),
                 soup_websocket_connection_get_close_data (conn));
}

/* The codec's callbacks (our engine) */

static void
codec_message_cb (LadleWebsocketCodec  *codec,
                  LadleWebsocketOpcode  opcode,
                  const guint8         *data,
                  gsize                 len,
                  gpointer              user_data)
{
  LadleWebsocketClient *self = user_data;
  g_autoptr(GBytes) message = NULL;
  LadleWebsocketEventKind kind = opcode == LADLE_WEBSOCKET_OPCODE_TEXT ? LADLE_WEBSOCKET_EVENT_TEXT
                                                                : LADLE_WEBSOCKET_EVENT_BINARY;

  g_assert (LADLE_IS_WEBSOCKET_CLIENT (self));

  /* A large message keeps the codec's buffer (it takes a new one) instead of a copy. */
  if (len >= 64 * 1024)
    message = g_bytes_new_take (ladle_websocket_codec_steal_message (codec), len);
  else
    message = g_bytes_new (data, len);
  append_event (self, ladle_websocket_event_new (LADLE_WEBSOCKET_DIRECTION_IN, kind, message, NULL));
}

static void
codec_pong_cb (LadleWebsocketCodec *codec,
               const guint8        *data,
               gsize                len,
               gpointer             user_data)
{
  LadleWebsocketClient *self = user_data;
  g_autoptr(GBytes) payload = g_bytes_new (data, len);

  g_assert (LADLE_IS_WEBSOCKET_CLIENT (self));

  self->ping_outstanding = FALSE;
  append_event (self, ladle_websocket_event_new (LADLE_WEBSOCKET_DIRECTION_IN,
                                                 LADLE_WEBSOCKET_EVENT_PONG, payload, NULL));
}

static void
codec_peer_close_cb (LadleWebsocketCodec *codec,
                     gushort              code,
                     const char          *reason,
                     gpointer             user_data)
{
  LadleWebsocketClient *self = user_data;

  g_assert (LADLE_IS_WEBSOCKET_CLIENT (self));

  clear_source (&self->ping_source);
  set_state (self, LADLE_WEBSOCKET_STATE_CLOSING);
}

/* Which rule the server broke, in words (its close frame gets the codec's English reason) */
static char *
describe_violation (const LadleWebsocketProtocolError *problem)
{
  guint value = problem->value;

  switch (problem->violation)
    {
    case LADLE_WEBSOCKET_VIOLATION_CLOSE_REASON_UTF8:
      return g_strdup (_("its close reason is not valid UTF-8"));
    case LADLE_WEBSOCKET_VIOLATION_RESERVED_BITS:
      return g_strdup (_("it set reserved bits in a frame header"));
    case LADLE_WEBSOCKET_VIOLATION_RESERVED_OPCODE:
      return g_strdup_printf (_("it sent a frame with the reserved opcode 0x%X"), value);
    case LADLE_WEBSOCKET_VIOLATION_MASKED:
      return g_strdup (_("it sent a masked frame (servers must not mask)"));
    case LADLE_WEBSOCKET_VIOLATION_FRAGMENTED_CONTROL:
      return g_strdup (_("it sent a fragmented control frame"));
    case LADLE_WEBSOCKET_VIOLATION_LONG_CONTROL:
      return g_strdup (_("it sent a control frame over 125 bytes"));
    case LADLE_WEBSOCKET_VIOLATION_STRAY_CONTINUATION:
      return g_strdup (_("it sent a continuation frame outside a message"));
    case LADLE_WEBSOCKET_VIOLATION_NESTED_MESSAGE:
      return g_strdup (_("it began a new message inside a fragmented one"));
    case LADLE_WEBSOCKET_VIOLATION_FRAME_LENGTH:
      return g_strdup (_("it sent a 64-bit frame length with its top bit set"));
    case LADLE_WEBSOCKET_VIOLATION_CLOSE_PAYLOAD:
      return g_strdup (_("it sent a close frame with a 1-byte payload"));
    case LADLE_WEBSOCKET_VIOLATION_CLOSE_CODE:
      /* RFC 6455 §7.4.1: 1004 is reserved, 1005, 1006 and 1015 are never sent. */
      if (value == 1004 || value == 1005 || value == 1006 || value == 1015)
        return g_strdup_printf (_("its close frame has the reserved code %u"), value);
      return g_strdup_printf (_("its close frame has the invalid code %u"), value);
    case LADLE_WEBSOCKET_VIOLATION_TOO_BIG:
    case LADLE_WEBSOCKET_VIOLATION_TEXT_UTF8:
    case LADLE_WEBSOCKET_VIOLATION_UNMASKED:
    default:
      return g_strdup (problem->reason);
    }
}

static void
codec_error_cb (LadleWebsocketCodec               *codec,
                const LadleWebsocketProtocolError *problem,
                gpointer                           user_data)
{
  LadleWebsocketClient *self = user_data;
  g_autoptr(GError) error = NULL;

  g_assert (LADLE_IS_WEBSOCKET_CLIENT (self));

  if (problem->violation == LADLE_WEBSOCKET_VIOLATION_TOO_BIG)
    {
      error = too_large_error (self);
    }
  else if (problem->violation == LADLE_WEBSOCKET_VIOLATION_TEXT_UTF8)
    {
      error = invalid_text_error ();
    }
  else
    {
      g_autofree char *detail = describe_violation (problem);

      error = g_error_new (LADLE_ERROR, LADLE_ERROR_FAILED,
                           _("The server broke the WebSocket protocol: %s"), detail);
    }
  set_error (self, error);
  /* The codec sends this close frame now, and (but for 1009) ends the connection once it went. */
  append_event (self, ladle_websocket_event_new_close (LADLE_WEBSOCKET_DIRECTION_OUT,
                                                       problem->code, problem->reason));
  clear_source (&self->ping_source);
  set_state (self, LADLE_WEBSOCKET_STATE_CLOSING);
}

static void
codec_closed_cb (LadleWebsocketCodec *codec,
                 gpointer             user_data)
{
  LadleWebsocketClient *self = user_data;

  g_assert (LADLE_IS_WEBSOCKET_CLIENT (self));

  finish_closed (self, ladle_websocket_codec_get_close_code (codec),
                 ladle_websocket_codec_get_close_reason (codec));
}

static const LadleWebsocketCodecCallbacks codec_callbacks = {
  .message = codec_message_cb,
  .pong = codec_pong_cb,
  .peer_close = codec_peer_close_cb,
  .error = codec_error_cb,
  .closed = codec_closed_cb,
};

/* See the comment at the top: 3.2 writes the type as the opcode without checking it. */
static void
ping_frame (LadleWebsocketClient *self,
            GBytes               *payload)
{
  if (self->codec != NULL)
    ladle_websocket_codec_ping (self->codec, g_bytes_get_data (payload, NULL),
                                g_bytes_get_size (payload));
  else
    soup_websocket_connection_send_message (self->conn, (SoupWebsocketDataType) PING_OPCODE,
                                            payload);
  append_event (self, ladle_websocket_event_new (LADLE_WEBSOCKET_DIRECTION_OUT,
                                                 LADLE_WEBSOCKET_EVENT_PING, payload, NULL));
}

static gboolean
ping_tick_cb (gpointer data)
{
  LadleWebsocketClient *self = data;
  g_autoptr(GBytes) payload = NULL;

  g_assert (LADLE_IS_WEBSOCKET_CLIENT (self));

  if (self->state != LADLE_WEBSOCKET_STATE_OPEN || !has_connection (self))
    return G_SOURCE_CONTINUE;

  if (self->ping_outstanding)
    {
      g_autoptr(GError) error = g_error_new (LADLE_ERROR, LADLE_ERROR_TIMED_OUT,
                                             _("No pong within %g s"), self->ping_interval);

      g_object_ref (self);
      g_clear_pointer (&self->ping_source, g_source_unref);
      set_error (self, error);
      drop_connection (self);
      append_event (self, ladle_websocket_event_new_close (LADLE_WEBSOCKET_DIRECTION_NONE,
                                                           SOUP_WEBSOCKET_CLOSE_ABNORMAL, NULL));
      set_close (self, SOUP_WEBSOCKET_CLOSE_ABNORMAL, "");
      set_state (self, LADLE_WEBSOCKET_STATE_CLOSED);
      g_object_unref (self);
      return G_SOURCE_REMOVE;
    }

  payload = g_bytes_new_static (PING_PAYLOAD, strlen (PING_PAYLOAD));
  ping_frame (self, payload);
  self->ping_outstanding = TRUE;

  return G_SOURCE_CONTINUE;
}

static void
restart_ping_timer (LadleWebsocketClient *self)
{
  clear_source (&self->ping_source);
  self->ping_outstanding = FALSE;
  if (self->ping_interval > 0 && has_connection (self) &&
      self->state == LADLE_WEBSOCKET_STATE_OPEN)
    self->ping_source = add_timeout (self, self->ping_interval, ping_tick_cb);
}

/* ------------------------------------------------------------------------------------------ */
/* Connecting */

/* The proxy's and the client certificate's failures, in the words LadleExchange uses for them
 * (a refused connection to a proxy is not one to the server) */
static GError *
classify_transport_error (LadleWebsocketClient *self,
                          const GError         *error,
                          guint                 status)
{
  const char *proxy = self->via_proxy ? self->proxy_shown : _("the system's proxy");

  if (error->domain == G_IO_ERROR)
    switch (error->code)
      {
      case G_IO_ERROR_PROXY_AUTH_FAILED:
        return g_error_new (LADLE_ERROR, LADLE_ERROR_CONNECTION_REFUSED,
                            _("The proxy %s did not accept the user name and password"), proxy);
      case G_IO_ERROR_PROXY_NEED_AUTH:
        return g_error_new (LADLE_ERROR, LADLE_ERROR_CONNECTION_REFUSED,
                            _("The proxy %s needs a user name and password"), proxy);
      case G_IO_ERROR_PROXY_NOT_ALLOWED:
        return g_error_new (LADLE_ERROR, LADLE_ERROR_CONNECTION_REFUSED,
                            _("The proxy %s does not allow connections to %s:%u"), proxy,
                            self->host, self->port);
      case G_IO_ERROR_PROXY_FAILED:
        return g_error_new (LADLE_ERROR, LADLE_ERROR_CONNECTION_REFUSED,
                            _("The proxy %s failed: %s"), proxy, error->message);
      case G_IO_ERROR_CONNECTION_REFUSED:
        if (self->via_proxy && !self->reached)
          return g_error_new (LADLE_ERROR, LADLE_ERROR_CONNECTION_REFUSED,
                              _("Connection refused by the proxy %s (is it running?)"), proxy);
        break;
      default:
        break;
      }

  /* libsoup's engine: a CONNECT refused comes back as the handshake's own status, before any
   * TLS handshake (tinyproxy answers wrong credentials with 401) */
  if (self->via_proxy && self->msg != NULL && !self->handshaking && status != 0 &&
      !SOUP_STATUS_IS_SUCCESSFUL (status) && status != SOUP_STATUS_SWITCHING_PROTOCOLS &&
      g_str_equal (g_uri_get_scheme (soup_message_get_uri (self->msg)), "https"))
    {
      if (status == SOUP_STATUS_PROXY_AUTHENTICATION_REQUIRED ||
          (status == SOUP_STATUS_UNAUTHORIZED && self->proxy_user != NULL))
        return g_error_new (LADLE_ERROR, LADLE_ERROR_CONNECTION_REFUSED,
                            self->proxy_user != NULL
                            ? _("The proxy %s did not accept the user name and password")
                            : _("The proxy %s needs a user name and password"), proxy);
      return g_error_new (LADLE_ERROR, LADLE_ERROR_CONNECTION_REFUSED,
                          _("The proxy %s refused the tunnel to %s:%u (%u %s)"), proxy,
                          self->host, self->port, status,
                          soup_message_get_reason_phrase (self->msg) != NULL
                          ? soup_message_get_reason_phrase (self->msg) : "");
    }

  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_CERTIFICATE_REQUIRED))
    return g_error_new (LADLE_ERROR, LADLE_ERROR_TLS,
                        _("The server %s:%u requires a client certificate"), self->host,
                        self->port);

  return NULL;
}

static GError *
classify_connect_error (LadleWebsocketClient *self,
                        const GError         *error)
{
  GError *network;
  guint status = self->msg != NULL ? soup_message_get_status (self->msg) : 0;

  if (self->timed_out)
    return g_error_new (LADLE_ERROR, LADLE_ERROR_TIMEOUT_CONNECT,
                        _("Timed out after %g s (connect)"), self->connect_timeout);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                _("The connection was cancelled"));

  if ((network = classify_transport_error (self, error, status)) != NULL)
    return network;

  if (error->domain == SOUP_WEBSOCKET_ERROR)
    {
      const char *reason = self->msg != NULL ? soup_message_get_reason_phrase (self->msg) : NULL;

      if (status != SOUP_STATUS_SWITCHING_PROTOCOLS && status != 0)
        return g_error_new (LADLE_ERROR, LADLE_ERROR_CONNECTION_REFUSED,
                            _("The server refused the WebSocket handshake: HTTP %u %s"), status,
                            reason != NULL && reason[0] != '\0' ? reason
                                                                : soup_status_get_phrase (status));
      return g_error_new (LADLE_ERROR, LADLE_ERROR_CONNECTION_REFUSED,
                          _("The server sent an invalid WebSocket handshake: %s"), error->message);
    }

  if ((network = ladle_error_classify_network (error, self->tls_errors, self->host,
                                               self->port)) != NULL)
    return network;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
    return g_error_new (LADLE_ERROR, LADLE_ERROR_CONNECTION_RESET,
                        _("The connection to %s:%u was reset"), self->host, self->port);

  return g_error_copy (error);
}

static gboolean
connect_timeout_cb (gpointer data)
{
  LadleWebsocketClient *self = data;

  g_assert (LADLE_IS_WEBSOCKET_CLIENT (self));

  g_clear_pointer (&self->connect_source, g_source_unref);
  self->timed_out = TRUE;
  g_cancellable_cancel (self->cancellable);

  return G_SOURCE_REMOVE;
}

static void
user_cancelled_cb (GCancellable *cancellable,
                   gpointer      data)
{
  GCancellable *ours = data;

  /* May run in any thread; g_cancellable_cancel() is thread-safe. */
  g_cancellable_cancel (ours);
}

/* The CA bundle is trusted besides the system's, as for HTTP */
static gboolean
accept_with_ca (LadleWebsocketClient *self,
                GTlsCertificate      *certificate,
                GTlsCertificateFlags  errors)
{
  if (ladle_tls_client_accept_with_ca (self->ca_database, certificate, self->host, self->port,
                                       &errors))
    return TRUE;

  self->tls_errors = errors;
  return FALSE;
}

static void
msg_network_event_cb (SoupMessage        *msg,
                      GSocketClientEvent  event,
                      GIOStream          *connection,
                      gpointer            user_data)
{
  LadleWebsocketClient *self = user_data;

  if (event == G_SOCKET_CLIENT_CONNECTED)
    self->reached = TRUE;
  else if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING)
    self->handshaking = TRUE;
}

/* A proxy that answers 407 to libsoup's CONNECT (libsoup 3.2 takes no credentials in the proxy's
 * URI); a server's challenge is not answered */
static gboolean
msg_authenticate_cb (SoupMessage *msg,
                     SoupAuth    *auth,
                     gboolean     retrying,
                     gpointer     user_data)
{
  LadleWebsocketClient *self = user_data;

  if (!soup_auth_is_for_proxy (auth) || retrying || self->proxy_user == NULL)
    return FALSE;

  soup_auth_authenticate (auth, self->proxy_user,
                          self->proxy_password != NULL ? self->proxy_password : "");
  return TRUE;
}

/* Through an HTTP proxy, libsoup 3.2 does the TLS handshake of the tunnel while the connection
 * belongs to its CONNECT message, and asks that one for a client certificate: it gets ours. */
static void
session_request_queued_cb (SoupSession *session,
                           SoupMessage *msg,
                           gpointer     user_data)
{
  LadleWebsocketClient *self = user_data;

  if (self->client_cert != NULL && msg != self->msg &&
      g_strcmp0 (soup_message_get_method (msg), SOUP_METHOD_CONNECT) == 0)
    soup_message_set_tls_client_certificate (msg, self->client_cert);
}

static gboolean
msg_accept_certificate_cb (SoupMessage          *msg,
                           GTlsCertificate      *certificate,
                           GTlsCertificateFlags  errors,
                           gpointer              user_data)
{
  LadleWebsocketClient *self = user_data;

  if (!self->verify_tls)
    return TRUE;

  return accept_with_ca (self, certificate, errors);
}

static void
connect_end (LadleWebsocketClient *self)
{
  clear_source (&self->connect_source);
  if (self->user_cancel_id != 0)
    {
      g_cancellable_disconnect (self->user_cancellable, self->user_cancel_id);
      self->user_cancel_id = 0;
    }
  g_clear_object (&self->user_cancellable);
  if (self->msg != NULL)
    g_signal_handlers_disconnect_by_data (self->msg, self);
}

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LadleWebsocketClient *self = g_task_get_source_object (task);
  g_autoptr(SoupWebsocketConnection) conn = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) summary = NULL;
  GList *extensions;

  conn = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);
  connect_end (self);
  g_clear_object (&self->task);

  if (conn == NULL)
    {
      g_autoptr(GError) classified = classify_connect_error (self, error);

      g_clear_object (&self->msg);
      set_error (self, classified);
      set_state (self, LADLE_WEBSOCKET_STATE_CLOSED);
      g_task_return_error (task, g_steal_pointer (&classified));
      return;
    }

  self->conn = g_steal_pointer (&conn);
  soup_websocket_connection_set_max_incoming_payload_size (self->conn, self->max_incoming);
  soup_websocket_connection_set_keepalive_interval (self->conn, 0);
  g_signal_connect (self->conn, "message", G_CALLBACK (conn_message_cb), self);
  g_signal_connect (self->conn, "pong", G_CALLBACK (conn_pong_cb), self);
  g_signal_connect (self->conn, "error", G_CALLBACK (conn_error_cb), self);
  g_signal_connect (self->conn, "closing", G_CALLBACK (conn_closing_cb), self);
  g_signal_connect (self->conn, "closed", G_CALLBACK (conn_closed_cb), self);

  summary = g_string_new (NULL);
  g_string_append_printf (summary, "HTTP %u", soup_message_get_status (self->msg));
  g_clear_object (&self->msg);

  g_free (self->protocol);
  self->protocol = g_strdup (soup_websocket_connection_get_protocol (self->conn));
  if (self->protocol != NULL)
    g_string_append_printf (summary, "; protocol %s", self->protocol);
  extensions = soup_websocket_connection_get_extensions (self->conn);
  for (GList *l = extensions; l != NULL; l = l->next)
    {
      SoupWebsocketExtensionClass *klass = SOUP_WEBSOCKET_EXTENSION_GET_CLASS (l->data);

      g_string_append_printf (summary, "; %s", klass->name);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROTOCOL]);

  append_event (self, ladle_websocket_event_new (LADLE_WEBSOCKET_DIRECTION_NONE,
                                                 LADLE_WEBSOCKET_EVENT_OPEN, NULL, summary->str));
  set_state (self, LADLE_WEBSOCKET_STATE_OPEN);
  restart_ping_timer (self);

  g_task_return_boolean (task, TRUE);
}

/* ------------------------------------------------------------------------------------------ */
/* Our engine's handshake */

static void
handshake_end (LadleWebsocketClient *self)
{
  connect_end (self);
  if (self->socket_client != NULL)
    g_signal_handlers_disconnect_by_data (self->socket_client, self);
  g_clear_object (&self->socket_client);
  g_clear_pointer (&self->hs_buffer, g_byte_array_unref);
  g_clear_pointer (&self->hs_request, g_free);
  g_clear_pointer (&self->hs_accept, g_free);
}

/* Takes @error; classifies it unless it is already worded for people. */
static void
handshake_failed (LadleWebsocketClient *self,
                  GTask                *task,
                  GError               *error)
{
  g_autoptr(GError) reported = NULL;

  handshake_end (self);
  g_clear_object (&self->task);
  if (self->io != NULL)
    {
      g_io_stream_close (self->io, NULL, NULL);
      g_clear_object (&self->io);
    }

  if (error->domain == LADLE_ERROR && !self->timed_out)
    reported = error;
  else
    {
      reported = classify_connect_error (self, error);
      g_error_free (error);
    }

  set_error (self, reported);
  set_state (self, LADLE_WEBSOCKET_STATE_CLOSED);
  g_task_return_error (task, g_steal_pointer (&reported));
  g_object_unref (task);
}

static GError *
invalid_handshake (const char *detail)
{
  return g_error_new (LADLE_ERROR, LADLE_ERROR_CONNECTION_REFUSED,
                      _("The server sent an invalid WebSocket handshake: %s"), detail);
}

static gboolean
header_has_token (SoupMessageHeaders *headers,
                  const char         *name,
                  const char         *token)
{
  const char *value = soup_message_headers_get_list (headers, name);

  return value != NULL && soup_header_contains (value, token);
}

/* Checks the server's answer; returns the error to report, or NULL when it is a good 101. */
static GError *
check_handshake_answer (LadleWebsocketClient *self,
                        gsize                 header_len,
                        guint                *out_status)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autofree char *reason = NULL;
  g_autofree char *accept = NULL;
  const char *protocol;
  SoupHTTPVersion version;
  guint status = 0;

  if (!soup_headers_parse_response ((const char *) self->hs_buffer->data, header_len, headers,
                                    &version, &status, &reason))
    return invalid_handshake (_("the answer is not HTTP"));
  *out_status = status;

  if (status != SOUP_STATUS_SWITCHING_PROTOCOLS)
    return g_error_new (LADLE_ERROR, LADLE_ERROR_CONNECTION_REFUSED,
                        _("The server refused the WebSocket handshake: HTTP %u %s"), status,
                        reason != NULL && reason[0] != '\0' ? reason
                                                            : soup_status_get_phrase (status));

  if (!header_has_token (headers, "Upgrade", "websocket") ||
      !header_has_token (headers, "Connection", "upgrade"))
    return invalid_handshake (_("the server did not switch to the WebSocket protocol"));

  accept = g_strdup (soup_message_headers_get_one (headers, "Sec-WebSocket-Accept"));
  if (accept == NULL || strcmp (g_strstrip (accept), self->hs_accept) != 0)
    return invalid_handshake (_("wrong Sec-WebSocket-Accept key"));

  if (soup_message_headers_get_one (headers, "Sec-WebSocket-Extensions") != NULL)
    return invalid_handshake (_("the server chose an extension that was not offered"));

  protocol = soup_message_headers_get_one (headers, "Sec-WebSocket-Protocol");
  if (protocol != NULL)
    {
      if (self->protocols == NULL ||
          !g_strv_contains ((const char * const *) self->protocols, protocol))
        {
          g_autofree char *detail =
            g_strdup_printf (_("the server chose the subprotocol “%s”, which was not offered"),
                             protocol);

          return invalid_handshake (detail);
        }
      g_free (self->protocol);
      self->protocol = g_strdup (protocol);
    }

  return NULL;
}

static void
handshake_done (LadleWebsocketClient *self,
                GTask                *task,
                gsize                 header_len,
                guint                 status)
{
  g_autoptr(LadleWebsocketClient) hold = g_object_ref (self);
  g_autoptr(GString) summary = g_string_new (NULL);
  g_autoptr(GBytes) rest = NULL;
  g_autoptr(GIOStream) io = g_steal_pointer (&self->io);

  /* Bytes that came along with the answer already belong to the WebSocket stream. */
  rest = g_bytes_new (self->hs_buffer->data + header_len, self->hs_buffer->len - header_len);
  handshake_end (self);
  g_clear_object (&self->task);

  self->codec = ladle_websocket_codec_new (io, self->max_incoming, 0, &codec_callbacks, self);
  ladle_websocket_codec_set_role (self->codec, LADLE_WEBSOCKET_ROLE_CLIENT);

  g_string_append_printf (summary, "HTTP %u", status);
  if (self->protocol != NULL)
    g_string_append_printf (summary, "; protocol %s", self->protocol);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROTOCOL]);

  append_event (self, ladle_websocket_event_new (LADLE_WEBSOCKET_DIRECTION_NONE,
                                                 LADLE_WEBSOCKET_EVENT_OPEN, NULL, summary->str));
  set_state (self, LADLE_WEBSOCKET_STATE_OPEN);
  restart_ping_timer (self);

  g_task_return_boolean (task, TRUE);
  g_object_unref (task);

  /* Reading starts once the caller knows the connection is open (it may have sent, or closed,
   * meanwhile); what the server sent along with its answer is taken in first. */
  if (self->codec != NULL)
    ladle_websocket_codec_start_with_data (self->codec, g_bytes_get_data (rest, NULL),
                                           g_bytes_get_size (rest));
}

static void read_handshake_answer (LadleWebsocketClient *self,
                                   GTask                *task);

static void
answer_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  LadleWebsocketClient *self = g_task_get_source_object (task);
  GError *error = NULL;
  gssize n;
  gsize old_len;
  const guint8 *end;
  gsize search_from;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  if (n < 0)
    {
      handshake_failed (self, task, error);
      return;
    }
  if (n == 0)
    {
      handshake_failed (self, task,
                        g_error_new_literal (G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT, "EOF"));
      return;
    }

  old_len = self->hs_buffer->len;
  g_byte_array_append (self->hs_buffer, self->hs_chunk, n);
  search_from = old_len >= 3 ? old_len - 3 : 0;
  end = memmem (self->hs_buffer->data + search_from, self->hs_buffer->len - search_from,
                "\r\n\r\n", 4);
  if (end != NULL)
    {
      gsize header_len = end + 4 - self->hs_buffer->data;
      guint status = 0;

      error = check_handshake_answer (self, header_len, &status);
      if (error != NULL)
        handshake_failed (self, task, error);
      else
        handshake_done (self, task, header_len, status);
      return;
    }
  if (self->hs_buffer->len > HANDSHAKE_MAX)
    {
      handshake_failed (self, task, invalid_handshake (_("the answer's headers are too long")));
      return;
    }

  read_handshake_answer (self, task);
}

static void
read_handshake_answer (LadleWebsocketClient *self,
                       GTask                *task)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (self->io), self->hs_chunk,
                             sizeof self->hs_chunk, G_PRIORITY_DEFAULT, self->cancellable,
                             answer_read_cb, task);
}

static void
request_written_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  LadleWebsocketClient *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      handshake_failed (self, task, error);
      return;
    }

  self->hs_buffer = g_byte_array_sized_new (HANDSHAKE_READ_SIZE);
  read_handshake_answer (self, task);
}

static void
socket_connected_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  LadleWebsocketClient *self = g_task_get_source_object (task);
  GSocketConnection *conn;
  GError *error = NULL;

  conn = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, &error);
  if (conn == NULL)
    {
      handshake_failed (self, task, error);
      return;
    }

  self->io = G_IO_STREAM (conn);
  if (!ladle_websocket_codec_can_use (self->io))
    {
      handshake_failed (self, task,
                        g_error_new_literal (LADLE_ERROR, LADLE_ERROR_FAILED,
                                             _("This connection cannot be polled")));
      return;
    }
  g_output_stream_write_all_async (g_io_stream_get_output_stream (self->io), self->hs_request,
                                   strlen (self->hs_request), G_PRIORITY_DEFAULT,
                                   self->cancellable, request_written_cb, task);
}

static gboolean
tls_accept_certificate_cb (GTlsConnection       *conn,
                           GTlsCertificate      *certificate,
                           GTlsCertificateFlags  errors,
                           gpointer              user_data)
{
  LadleWebsocketClient *self = user_data;

  g_assert (LADLE_IS_WEBSOCKET_CLIENT (self));

  if (!self->verify_tls)
    return TRUE;

  return accept_with_ca (self, certificate, errors);
}

static void
socket_event_cb (GSocketClient      *client,
                 GSocketClientEvent  event,
                 GSocketConnectable *connectable,
                 GIOStream          *connection,
                 gpointer            user_data)
{
  LadleWebsocketClient *self = user_data;

  g_assert (LADLE_IS_WEBSOCKET_CLIENT (self));

  if (event == G_SOCKET_CLIENT_CONNECTED && G_IS_SOCKET_CONNECTION (connection))
    {
      self->reached = TRUE;
      /* Each message is one write: do not let Nagle hold a small one back. */
      g_socket_set_option (g_socket_connection_get_socket (G_SOCKET_CONNECTION (connection)),
                           IPPROTO_TCP, TCP_NODELAY, 1, NULL);
    }
  else if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING && G_IS_TLS_CONNECTION (connection))
    {
      self->handshaking = TRUE;
      g_signal_connect_object (connection, "accept-certificate",
                               G_CALLBACK (tls_accept_certificate_cb), self, 0);
      if (self->client_cert != NULL)
        g_tls_connection_set_certificate (G_TLS_CONNECTION (connection), self->client_cert);
    }
}

static char *
build_handshake_request (LadleWebsocketClient *self,
                         GUri                 *uri,
                         gboolean              tls)
{
  GString *request = g_string_new (NULL);
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  g_autofree char *key = NULL;
  guint8 nonce[16];
  guint8 digest[20];
  gsize digest_len = sizeof digest;
  const char *path = g_uri_get_path (uri);
  const char *query = g_uri_get_query (uri);
  gboolean ipv6 = strchr (self->host, ':') != NULL;
  gboolean default_port = self->port == (tls ? 443u : 80u);
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;

  for (guint i = 0; i < sizeof nonce; i += 4)
    {
      guint32 r = g_random_int ();

      memcpy (nonce + i, &r, 4);
    }
  key = g_base64_encode (nonce, sizeof nonce);
  g_checksum_update (sha1, (const guchar *) key, -1);
  g_checksum_update (sha1, (const guchar *) WEBSOCKET_GUID, -1);
  g_checksum_get_digest (sha1, digest, &digest_len);
  g_free (self->hs_accept);
  self->hs_accept = g_base64_encode (digest, digest_len);

  g_string_append_printf (request, "GET %s%s%s HTTP/1.1\r\n",
                          path != NULL && path[0] != '\0' ? path : "/",
                          query != NULL ? "?" : "", query != NULL ? query : "");
  g_string_append_printf (request, "Host: %s%s%s", ipv6 ? "[" : "", self->host, ipv6 ? "]" : "");
  if (!default_port)
    g_string_append_printf (request, ":%u", self->port);
  g_string_append (request, "\r\n"
                            "Upgrade: websocket\r\n"
                            "Connection: Upgrade\r\n"
                            "Sec-WebSocket-Version: 13\r\n");
  g_string_append_printf (request, "Sec-WebSocket-Key: %s\r\n", key);
  if (self->origin != NULL)
    g_string_append_printf (request, "Origin: %s\r\n", self->origin);
  if (self->protocols != NULL)
    {
      g_autofree char *list = g_strjoinv (", ", self->protocols);

      g_string_append_printf (request, "Sec-WebSocket-Protocol: %s\r\n", list);
    }
  if (soup_message_headers_get_one (self->headers, "User-Agent") == NULL)
    g_string_append (request, "User-Agent: Ladle \r\n");
  soup_message_headers_iter_init (&iter, self->headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_string_append_printf (request, "%s: %s\r\n", name, value);
  g_string_append (request, "\r\n");

  return g_string_free (request, FALSE);
}

/* As for HTTP (ladle-http-client.c: way_out()): none, or the host in the no-proxy list, is
 * straight; a manual proxy is used even for loopback targets (the user named it); the system's
 * proxies never for a loopback address. */
static gboolean
uses_manual_proxy (LadleWebsocketClient *self)
{
  return self->proxy_mode == LADLE_PROXY_MANUAL && self->proxy_uri != NULL &&
         !ladle_proxy_host_bypassed (self->no_proxy, self->host);
}

static gboolean
uses_system_proxy (LadleWebsocketClient *self)
{
  return self->proxy_mode == LADLE_PROXY_SYSTEM && !ladle_http_host_is_loopback (self->host) &&
         !ladle_proxy_host_bypassed (self->no_proxy, self->host);
}

static void
start_own_handshake (LadleWebsocketClient *self,
                     GUri                 *uri,
                     GTask                *task)
{
  gboolean tls = g_str_equal (g_uri_get_scheme (uri), "https");
  g_autoptr(GSocketConnectable) address = g_network_address_new (self->host, self->port);

  self->hs_request = build_handshake_request (self, uri, tls);
  self->socket_client = g_socket_client_new ();
  /* GIO's own proxies: CONNECT for http:// (with Basic credentials from the URI), SOCKS */
  if (self->via_proxy)
    {
      g_autoptr(GProxyResolver) resolver = g_simple_proxy_resolver_new (self->proxy_uri, NULL);

      g_socket_client_set_proxy_resolver (self->socket_client, resolver);
    }
  else
    g_socket_client_set_enable_proxy (self->socket_client, uses_system_proxy (self));
  g_socket_client_set_tls (self->socket_client, tls);
  g_signal_connect (self->socket_client, "event", G_CALLBACK (socket_event_cb), self);
  g_socket_client_connect_async (self->socket_client, address, self->cancellable,
                                 socket_connected_cb, task);
}

static gboolean
use_own_engine (LadleWebsocketClient *self)
{
  return !self->deflate && g_strcmp0 (g_getenv ("LADLE_WS_ENGINE"), "libsoup") != 0;
}

/* ws → http, wss → https; http(s) as is (libsoup wants the HTTP scheme). */
static GUri *
websocket_http_uri (const char  *url,
                    GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *http_scheme;

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (scheme == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a valid URL"), url);
      return NULL;
    }

  if (g_ascii_strcasecmp (scheme, "ws") == 0 || g_ascii_strcasecmp (scheme, "http") == 0)
    http_scheme = "http";
  else if (g_ascii_strcasecmp (scheme, "wss") == 0 || g_ascii_strcasecmp (scheme, "https") == 0)
    http_scheme = "https";
  else
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a WebSocket URL (use ws:// or wss://)"), url);
      return NULL;
    }

  return g_uri_build (g_uri_get_flags (uri), http_scheme, g_uri_get_userinfo (uri),
                      g_uri_get_host (uri), g_uri_get_port (uri), g_uri_get_path (uri),
                      g_uri_get_query (uri), NULL);
}

/**
 * ladle_websocket_client_connect_async:
 * @url: a ws://, wss://, http:// or https:// URL
 *
 * Opens the connection with the current settings. The client must be CLOSED. The transcript is
 * kept across connections (clear it with g_list_store_remove_all() if wanted).
 */
/* What the user adds to the handshake goes onto the wire as written: a line break in it would
 * end the header there and start another (or the request). */
static gboolean
check_handshake_headers (LadleWebsocketClient  *self,
                         GError               **error)
{
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;

  if (self->invalid_header != NULL)
    {
      g_propagate_error (error, g_error_copy (self->invalid_header));
      return FALSE;
    }

  soup_message_headers_iter_init (&iter, self->headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    if (!ladle_http_check_header (name, value, error))
      return FALSE;

  if (self->origin != NULL && !ladle_http_check_header_value ("Origin", self->origin, error))
    return FALSE;

  for (guint i = 0; self->protocols != NULL && self->protocols[i] != NULL; i++)
    if (!ladle_http_is_token (self->protocols[i], -1))
      {
        g_autofree char *shown = ladle_http_escape_for_display (self->protocols[i], -1, 60);

        g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                     _("“%s” is not a valid subprotocol name: a name is one word of letters, "
                       "digits and !#$%%&'*+-.^_`|~"), shown);
        return FALSE;
      }

  return TRUE;
}

void
ladle_websocket_client_connect_async (LadleWebsocketClient *self,
                                      const char           *url,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *text = NULL;
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;

  g_return_if_fail (LADLE_IS_WEBSOCKET_CLIENT (self));
  g_return_if_fail (url != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (self->state == LADLE_WEBSOCKET_STATE_CLOSED);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ladle_websocket_client_connect_async);

  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();
  g_clear_error (&self->error);
  set_close (self, 0, NULL);
  if (self->protocol != NULL)
    {
      g_clear_pointer (&self->protocol, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROTOCOL]);
    }
  if (g_strcmp0 (self->url, url) != 0)
    {
      g_free (self->url);
      self->url = g_strdup (url);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
    }

  uri = websocket_http_uri (url, &error);
  if (uri == NULL || !check_handshake_headers (self, &error))
    {
      set_error (self, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_free (self->host);
  self->host = g_strdup (g_uri_get_host (uri));
  self->port = g_uri_get_port (uri) > 0 ? (guint) g_uri_get_port (uri)
             : g_str_equal (g_uri_get_scheme (uri), "https") ? 443 : 80;
  self->tls_errors = 0;
  self->timed_out = FALSE;
  self->reached = FALSE;
  self->handshaking = FALSE;
  self->via_proxy = uses_manual_proxy (self);

  text = g_strdup_printf (_("Connecting to %s"), url);
  append_event (self, ladle_websocket_event_new (LADLE_WEBSOCKET_DIRECTION_NONE,
                                                 LADLE_WEBSOCKET_EVENT_STATE, NULL, text));
  set_state (self, LADLE_WEBSOCKET_STATE_CONNECTING);

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      self->user_cancellable = g_object_ref (cancellable);
      self->user_cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (user_cancelled_cb),
                                                    g_object_ref (self->cancellable),
                                                    g_object_unref);
    }
  if (self->connect_timeout > 0)
    self->connect_source = add_timeout (self, self->connect_timeout, connect_timeout_cb);

  self->task = g_object_ref (task);

  if (use_own_engine (self))
    {
      start_own_handshake (self, uri, g_steal_pointer (&task));
      return;
    }

  self->msg = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  soup_message_headers_iter_init (&iter, self->headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    soup_message_headers_append (soup_message_get_request_headers (self->msg), name, value);
  g_signal_connect (self->msg, "accept-certificate", G_CALLBACK (msg_accept_certificate_cb), self);
  g_signal_connect (self->msg, "network-event", G_CALLBACK (msg_network_event_cb), self);
  g_signal_connect (self->msg, "authenticate", G_CALLBACK (msg_authenticate_cb), self);
  if (self->client_cert != NULL)
    soup_message_set_tls_client_certificate (self->msg, self->client_cert);

  if (self->deflate &&
      !soup_session_has_feature (self->session, SOUP_TYPE_WEBSOCKET_EXTENSION_MANAGER))
    soup_session_add_feature_by_type (self->session, SOUP_TYPE_WEBSOCKET_EXTENSION_MANAGER);
  else if (!self->deflate &&
           soup_session_has_feature (self->session, SOUP_TYPE_WEBSOCKET_EXTENSION_MANAGER))
    soup_session_remove_feature_by_type (self->session, SOUP_TYPE_WEBSOCKET_EXTENSION_MANAGER);

  /* libsoup 3.2 does not take an HTTP proxy's credentials from its URI (it would then send the
   * request as to the server): they answer its 407 in msg_authenticate_cb(); GIO's SOCKS client
   * reads them from the URI. */
  if (self->via_proxy)
    {
      g_autoptr(GProxyResolver) resolver = NULL;

      resolver = g_simple_proxy_resolver_new (g_str_has_prefix (self->proxy_uri, "http://")
                                              ? self->proxy_shown : self->proxy_uri, NULL);
      soup_session_set_proxy_resolver (self->session, resolver);
    }
  else if (!uses_system_proxy (self))
    soup_session_set_proxy_resolver (self->session, NULL);
  else
    soup_session_set_proxy_resolver (self->session, g_proxy_resolver_get_default ());

  soup_session_websocket_connect_async (self->session, self->msg,
                                        self->origin, self->protocols, G_PRIORITY_DEFAULT,
                                        self->cancellable, connected_cb, g_steal_pointer (&task));
}

/**
 * ladle_websocket_client_connect_finish:
 *
 * Returns: %TRUE when open; otherwise @error is set: %G_IO_ERROR_CANCELLED, or %LADLE_ERROR
 *   (CONNECTION_REFUSED also when the server refused the handshake, with the HTTP status in the
 *   message; RESOLVE, TLS, CONNECTION_RESET, TIMEOUT_CONNECT, INVALID_ARGUMENT for a bad URL)
 */
gboolean
ladle_websocket_client_connect_finish (LadleWebsocketClient  *self,
                                       GAsyncResult          *result,
                                       GError               **error)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* Sending */

static gboolean
check_open (LadleWebsocketClient  *self,
            GError               **error)
{
  if (self->state == LADLE_WEBSOCKET_STATE_OPEN && has_connection (self))
    return TRUE;

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                       _("The WebSocket connection is not open"));
  return FALSE;
}

/**
 * ladle_websocket_client_send_text:
 * @length: the length in bytes, or -1 when @text is nul-terminated
 *
 * Returns: %TRUE when queued; %FALSE when not open or @text is not UTF-8
 */
gboolean
ladle_websocket_client_send_text (LadleWebsocketClient  *self,
                                  const char            *text,
                                  gssize                 length,
                                  GError               **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (LADLE_IS_WEBSOCKET_CLIENT (self), FALSE);
  g_return_val_if_fail (text != NULL || length == 0, FALSE);

  bytes = g_bytes_new (text, length < 0 ? strlen (text) : (gsize) length);
  return ladle_websocket_client_send_text_bytes (self, bytes, error);
}

/**
 * ladle_websocket_client_send_text_bytes:
 * @text: the message, UTF-8; the transcript keeps a reference, not a copy
 *
 * Returns: %TRUE when queued; %FALSE when not open or @text is not UTF-8
 */
gboolean
ladle_websocket_client_send_text_bytes (LadleWebsocketClient  *self,
                                        GBytes                *text,
                                        GError               **error)
{
  gsize len;
  const char *data;

  g_return_val_if_fail (LADLE_IS_WEBSOCKET_CLIENT (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  data = g_bytes_get_data (text, &len);
  /* RFC 3629 UTF-8, U+0000 included (g_utf8_validate() refuses it, and is slower) */
  if (!ladle_websocket_utf8_validate ((const guint8 *) data, len))
    {
      g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                           _("A text message must be valid UTF-8"));
      return FALSE;
    }
  if (!check_open (self, error))
    return FALSE;

  if (self->codec != NULL)
    ladle_websocket_codec_send (self->codec, LADLE_WEBSOCKET_OPCODE_TEXT, NULL, 0, data, len);
  else
    soup_websocket_connection_send_message (self->conn, SOUP_WEBSOCKET_DATA_TEXT, text);
  append_event (self, ladle_websocket_event_new (LADLE_WEBSOCKET_DIRECTION_OUT,
                                                 LADLE_WEBSOCKET_EVENT_TEXT, text, NULL));
  return TRUE;
}

/**
 * ladle_websocket_client_send_binary:
 * @bytes: the message; the transcript keeps a reference, not a copy
 */
gboolean
ladle_websocket_client_send_binary (LadleWebsocketClient  *self,
                                    GBytes                *bytes,
                                    GError               **error)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_CLIENT (self), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);

  if (!check_open (self, error))
    return FALSE;

  if (self->codec != NULL)
    ladle_websocket_codec_send (self->codec, LADLE_WEBSOCKET_OPCODE_BINARY, NULL, 0,
                                g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  else
    soup_websocket_connection_send_message (self->conn, SOUP_WEBSOCKET_DATA_BINARY, bytes);
  append_event (self, ladle_websocket_event_new (LADLE_WEBSOCKET_DIRECTION_OUT,
                                                 LADLE_WEBSOCKET_EVENT_BINARY, bytes, NULL));
  return TRUE;
}

static void
file_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LadleWebsocketClient *self = g_task_get_source_object (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = g_file_load_bytes_finish (G_FILE (object), result, NULL, &error);
  if (bytes == NULL)
    {
      g_autofree char *path = g_file_get_parse_name (G_FILE (object));

      g_task_return_new_error (task, error->domain, error->code,
                               _("Could not read “%s”: %s"), path, error->message);
      return;
    }

  if (!ladle_websocket_client_send_binary (self, bytes, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * ladle_websocket_client_send_file_async:
 *
 * Reads @file (in GIO's worker threads) and sends it as one binary message.
 */
void
ladle_websocket_client_send_file_async (LadleWebsocketClient *self,
                                        GFile                *file,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data)
{
  GTask *task;

  g_return_if_fail (LADLE_IS_WEBSOCKET_CLIENT (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ladle_websocket_client_send_file_async);
  g_file_load_bytes_async (file, cancellable, file_loaded_cb, task);
}

gboolean
ladle_websocket_client_send_file_finish (LadleWebsocketClient  *self,
                                         GAsyncResult          *result,
                                         GError               **error)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * ladle_websocket_client_ping:
 * @payload: (nullable): at most 125 bytes
 *
 * Sends a ping now. The pong shows in the transcript (and keeps the dead-peer check happy).
 */
gboolean
ladle_websocket_client_ping (LadleWebsocketClient  *self,
                             GBytes                *payload,
                             GError               **error)
{
  g_autoptr(GBytes) empty = NULL;

  g_return_val_if_fail (LADLE_IS_WEBSOCKET_CLIENT (self), FALSE);

  if (payload != NULL && g_bytes_get_size (payload) > LADLE_WEBSOCKET_MAX_PING_PAYLOAD)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                   _("A ping payload can have at most %u bytes"),
                   (guint) LADLE_WEBSOCKET_MAX_PING_PAYLOAD);
      return FALSE;
    }
  if (!check_open (self, error))
    return FALSE;

  if (payload == NULL)
    payload = empty = g_bytes_new_static ("", 0);
  ping_frame (self, payload);
  return TRUE;
}

static gboolean
close_code_valid (guint code)
{
  /* What a client may send (RFC 6455 §7.4); libsoup also refuses 1011 from a client. */
  return code == SOUP_WEBSOCKET_CLOSE_NO_STATUS ||
         (code >= 1000 && code <= 1003) ||
         (code >= 1007 && code <= 1010) ||
         (code >= 3000 && code <= 4999);
}

/**
 * ladle_websocket_client_close:
 * @code: 1000-1003, 1007-1010, 3000-4999, or 1005 for a close frame without a code
 * @reason: (nullable): UTF-8, at most 123 bytes
 *
 * Starts the closing handshake (state CLOSING, then CLOSED once the peer answered or after
 * libsoup's 5 s grace). While connecting, cancels the connection instead.
 */
void
ladle_websocket_client_close (LadleWebsocketClient *self,
                              guint                 code,
                              const char           *reason)
{
  g_return_if_fail (LADLE_IS_WEBSOCKET_CLIENT (self));
  g_return_if_fail (close_code_valid (code));
  g_return_if_fail (reason == NULL || (strlen (reason) <= 123 && g_utf8_validate (reason, -1, NULL)));

  if (self->state == LADLE_WEBSOCKET_STATE_CONNECTING)
    {
      g_cancellable_cancel (self->cancellable);
      return;
    }
  if (self->state != LADLE_WEBSOCKET_STATE_OPEN || !has_connection (self))
    return;

  append_event (self, ladle_websocket_event_new_close (LADLE_WEBSOCKET_DIRECTION_OUT,
                                                       code == SOUP_WEBSOCKET_CLOSE_NO_STATUS
                                                       ? 0 : code, reason));
  clear_source (&self->ping_source);
  set_state (self, LADLE_WEBSOCKET_STATE_CLOSING);
  if (self->codec != NULL)
    ladle_websocket_codec_close (self->codec, code == SOUP_WEBSOCKET_CLOSE_NO_STATUS ? 0 : code,
                                 reason);
  else
    soup_websocket_connection_close (self->conn, code, reason);
}

/* ------------------------------------------------------------------------------------------ */
/* Transport */

static void
clear_transport (LadleWebsocketClient *self)
{
  g_clear_object (&self->client_cert);
  g_clear_object (&self->ca_database);
  self->proxy_mode = LADLE_PROXY_SYSTEM;
  g_clear_pointer (&self->proxy_uri, g_free);
  g_clear_pointer (&self->proxy_shown, g_free);
  g_clear_pointer (&self->proxy_user, g_free);
  if (self->proxy_password != NULL)
    memset (self->proxy_password, 0, strlen (self->proxy_password));
  g_clear_pointer (&self->proxy_password, g_free);
  g_clear_pointer (&self->no_proxy, g_free);
}

/**
 * ladle_websocket_client_set_transport:
 * @request: (nullable): the transport settings to take, as an HTTP request has them: client
 *   certificate (and key, passphrase), CA bundle, proxy mode, URL, credentials and no-proxy list
 *   (its HTTP version is not used: a WebSocket handshake is HTTP/1.1). %NULL: the defaults
 *   (the system's proxies, no certificate, the system's CAs only)
 *
 * Loads the certificate and the CA bundle now, and checks the proxy's URL, so that a file that
 * cannot be used is reported before connecting. On failure the settings are left as they were.
 *
 * Returns: %TRUE, or %FALSE with @error set (LADLE_ERROR_TLS for a file, "PATH: message";
 *   LADLE_ERROR_INVALID_ARGUMENT for the proxy)
 */
gboolean
ladle_websocket_client_set_transport (LadleWebsocketClient  *self,
                                      LadleRequest          *request,
                                      GError               **error)
{
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GTlsDatabase) ca = NULL;
  g_autofree char *proxy_uri = NULL;
  const char *cert_file;
  const char *ca_file;

  g_return_val_if_fail (LADLE_IS_WEBSOCKET_CLIENT (self), FALSE);
  g_return_val_if_fail (request == NULL || LADLE_IS_REQUEST (request), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (request == NULL)
    {
      clear_transport (self);
      return TRUE;
    }

  cert_file = ladle_request_get_tls_cert_file (request);
  ca_file = ladle_request_get_tls_ca_file (request);
  if (cert_file != NULL && *cert_file != '\0')
    {
      cert = ladle_tls_client_load_certificate (cert_file, ladle_request_get_tls_key_file (request),
                                                ladle_request_get_tls_cert_password (request),
                                                error);
      if (cert == NULL)
        return FALSE;
    }
  if (ca_file != NULL && *ca_file != '\0')
    {
      ca = ladle_tls_client_load_ca (ca_file, error);
      if (ca == NULL)
        return FALSE;
    }
  if (ladle_request_get_proxy_mode (request) == LADLE_PROXY_MANUAL)
    {
      proxy_uri = ladle_proxy_resolver_uri (ladle_request_get_proxy_url (request),
                                            ladle_request_get_proxy_username (request),
                                            ladle_request_get_proxy_password (request), error);
      if (proxy_uri == NULL)
        return FALSE;
    }

  clear_transport (self);
  self->client_cert = g_steal_pointer (&cert);
  self->ca_database = g_steal_pointer (&ca);
  self->proxy_mode = ladle_request_get_proxy_mode (request);
  self->no_proxy = g_strdup (ladle_request_get_no_proxy (request));
  if (proxy_uri != NULL)
    {
      g_autoptr(GUri) parsed = g_uri_parse (proxy_uri,
                                            G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED, NULL);

      self->proxy_uri = g_steal_pointer (&proxy_uri);
      if (parsed != NULL)
        {
          self->proxy_shown = g_uri_to_string_partial (parsed, G_URI_HIDE_USERINFO);
          if (g_uri_get_user (parsed) != NULL)
            {
              self->proxy_user = g_uri_unescape_string (g_uri_get_user (parsed), NULL);
              if (g_uri_get_password (parsed) != NULL)
                self->proxy_password = g_uri_unescape_string (g_uri_get_password (parsed), NULL);
            }
        }
      else
        self->proxy_shown = ladle_proxy_display_uri (self->proxy_uri);
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* GObject */

static void
ladle_websocket_client_dispose (GObject *object)
{
  LadleWebsocketClient *self = (LadleWebsocketClient *) object;

  g_assert (self->task == NULL);

  clear_source (&self->connect_source);
  if (self->codec != NULL && ladle_websocket_codec_is_open (self->codec))
    ladle_websocket_codec_close (self->codec, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
  if (self->conn != NULL &&
      soup_websocket_connection_get_state (self->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (self->conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
  drop_connection (self);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (ladle_websocket_client_parent_class)->dispose (object);
}

static void
ladle_websocket_client_finalize (GObject *object)
{
  LadleWebsocketClient *self = (LadleWebsocketClient *) object;

  g_clear_pointer (&self->headers, soup_message_headers_unref);
  g_clear_error (&self->invalid_header);
  g_clear_pointer (&self->origin, g_free);
  g_clear_pointer (&self->protocols, g_strfreev);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->protocol, g_free);
  g_clear_pointer (&self->close_reason, g_free);
  g_clear_error (&self->error);
  g_clear_object (&self->transcript);
  g_clear_object (&self->msg);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->user_cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->host, g_free);
  g_clear_object (&self->io);
  g_clear_pointer (&self->hs_buffer, g_byte_array_unref);
  g_clear_pointer (&self->hs_request, g_free);
  g_clear_pointer (&self->hs_accept, g_free);
  clear_transport (self);

  G_OBJECT_CLASS (ladle_websocket_client_parent_class)->finalize (object);
}

static void
ladle_websocket_client_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  LadleWebsocketClient *self = LADLE_WEBSOCKET_CLIENT (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_PROTOCOL:
      g_value_set_string (value, self->protocol);
      break;
    case PROP_CLOSE_CODE:
      g_value_set_uint (value, self->close_code);
      break;
    case PROP_CLOSE_REASON:
      g_value_set_string (value, self->close_reason);
      break;
    case PROP_TRANSCRIPT:
      g_value_set_object (value, self->transcript);
      break;
    case PROP_ORIGIN:
      g_value_set_string (value, self->origin);
      break;
    case PROP_DEFLATE:
      g_value_set_boolean (value, self->deflate);
      break;
    case PROP_CONNECT_TIMEOUT:
      g_value_set_double (value, self->connect_timeout);
      break;
    case PROP_VERIFY_TLS:
      g_value_set_boolean (value, self->verify_tls);
      break;
    case PROP_PING_INTERVAL:
      g_value_set_double (value, self->ping_interval);
      break;
    case PROP_MAX_INCOMING_PAYLOAD_SIZE:
      g_value_set_uint64 (value, self->max_incoming);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_websocket_client_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  LadleWebsocketClient *self = LADLE_WEBSOCKET_CLIENT (object);

  switch (prop_id)
    {
    case PROP_ORIGIN:
      ladle_websocket_client_set_origin (self, g_value_get_string (value));
      break;
    case PROP_DEFLATE:
      ladle_websocket_client_set_deflate (self, g_value_get_boolean (value));
      break;
    case PROP_CONNECT_TIMEOUT:
      ladle_websocket_client_set_connect_timeout (self, g_value_get_double (value));
      break;
    case PROP_VERIFY_TLS:
      ladle_websocket_client_set_verify_tls (self, g_value_get_boolean (value));
      break;
    case PROP_PING_INTERVAL:
      ladle_websocket_client_set_ping_interval (self, g_value_get_double (value));
      break;
    case PROP_MAX_INCOMING_PAYLOAD_SIZE:
      ladle_websocket_client_set_max_incoming_payload_size (self, g_value_get_uint64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_websocket_client_class_init (LadleWebsocketClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = ladle_websocket_client_dispose;
  object_class->finalize = ladle_websocket_client_finalize;
  object_class->get_property = ladle_websocket_client_get_property;
  object_class->set_property = ladle_websocket_client_set_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, LADLE_TYPE_WEBSOCKET_STATE,
                       LADLE_WEBSOCKET_STATE_CLOSED, ro);
  properties[PROP_URL] = g_param_spec_string ("url", NULL, NULL, NULL, ro);
  properties[PROP_PROTOCOL] = g_param_spec_string ("protocol", NULL, NULL, NULL, ro);
  /* The peer's close code (1006 when the connection ended without a close frame), 0 before. */
  properties[PROP_CLOSE_CODE] =
    g_param_spec_uint ("close-code", NULL, NULL, 0, G_MAXUINT16, 0, ro);
  properties[PROP_CLOSE_REASON] = g_param_spec_string ("close-reason", NULL, NULL, NULL, ro);
  properties[PROP_TRANSCRIPT] =
    g_param_spec_object ("transcript", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  properties[PROP_ORIGIN] = g_param_spec_string ("origin", NULL, NULL, NULL, rw);
  properties[PROP_DEFLATE] = g_param_spec_boolean ("deflate", NULL, NULL, FALSE, rw);
  properties[PROP_CONNECT_TIMEOUT] =
    g_param_spec_double ("connect-timeout", NULL, NULL, 0, G_MAXDOUBLE, 0, rw);
  properties[PROP_VERIFY_TLS] = g_param_spec_boolean ("verify-tls", NULL, NULL, TRUE, rw);
  properties[PROP_PING_INTERVAL] =
    g_param_spec_double ("ping-interval", NULL, NULL, 0, G_MAXDOUBLE, 0, rw);
  properties[PROP_MAX_INCOMING_PAYLOAD_SIZE] =
    g_param_spec_uint64 ("max-incoming-payload-size", NULL, NULL, 0, G_MAXUINT64,
                         LADLE_WEBSOCKET_CLIENT_DEFAULT_MAX_INCOMING, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ladle_websocket_client_init (LadleWebsocketClient *self)
{
  self->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  self->verify_tls = TRUE;
  self->proxy_mode = LADLE_PROXY_SYSTEM;
  self->max_incoming = LADLE_WEBSOCKET_CLIENT_DEFAULT_MAX_INCOMING;
  self->transcript = g_list_store_new (LADLE_TYPE_WEBSOCKET_EVENT);
  self->session = soup_session_new_with_options ("timeout", 0, "user-agent", "Ladle ", NULL);
  g_signal_connect (self->session, "request-queued", G_CALLBACK (session_request_queued_cb), self);
}

LadleWebsocketClient *
ladle_websocket_client_new (void)
{
  return g_object_new (LADLE_TYPE_WEBSOCKET_CLIENT, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Settings and state accessors */

void
ladle_websocket_client_add_header (LadleWebsocketClient *self,
                                   const char           *name,
                                   const char           *value)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (LADLE_IS_WEBSOCKET_CLIENT (self));
  g_return_if_fail (name != NULL);

  /* Kept out of the handshake, and the first one reported when connecting */
  if (!ladle_http_check_header (name, value != NULL ? value : "", &error))
    {
      if (self->invalid_header == NULL)
        self->invalid_header = g_steal_pointer (&error);
      return;
    }

  soup_message_headers_append (self->headers, name, value != NULL ? value : "");
}

void
ladle_websocket_client_set_origin (LadleWebsocketClient *self,
                                   const char           *origin)
{
  g_return_if_fail (LADLE_IS_WEBSOCKET_CLIENT (self));

  if (g_strcmp0 (self->origin, origin) == 0)
    return;
  g_free (self->origin);
  self->origin = g_strdup (origin);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORIGIN]);
}

/**
 * ladle_websocket_client_set_protocols:
 * @protocols: (nullable) (array zero-terminated=1): subprotocols to offer
 */
void
ladle_websocket_client_set_protocols (LadleWebsocketClient *self,
                                      const char * const   *protocols)
{
  g_return_if_fail (LADLE_IS_WEBSOCKET_CLIENT (self));

  g_strfreev (self->protocols);
  self->protocols = protocols != NULL && protocols[0] != NULL ? g_strdupv ((char **) protocols)
                                                              : NULL;
}

void
ladle_websocket_client_set_deflate (LadleWebsocketClient *self,
                                    gboolean              deflate)
{
  g_return_if_fail (LADLE_IS_WEBSOCKET_CLIENT (self));

  deflate = !!deflate;
  if (self->deflate == deflate)
    return;
  self->deflate = deflate;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEFLATE]);
}

/**
 * ladle_websocket_client_set_connect_timeout:
 * @seconds: limit for connecting and the handshake together; 0 for none
 */
void
ladle_websocket_client_set_connect_timeout (LadleWebsocketClient *self,
                                            double                seconds)
{
  g_return_if_fail (LADLE_IS_WEBSOCKET_CLIENT (self));
  g_return_if_fail (seconds >= 0);

  if (self->connect_timeout == seconds)
    return;
  self->connect_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECT_TIMEOUT]);
}

void
ladle_websocket_client_set_verify_tls (LadleWebsocketClient *self,
                                       gboolean              verify_tls)
{
  g_return_if_fail (LADLE_IS_WEBSOCKET_CLIENT (self));

  verify_tls = !!verify_tls;
  if (self->verify_tls == verify_tls)
    return;
  self->verify_tls = verify_tls;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERIFY_TLS]);
}

double
ladle_websocket_client_get_ping_interval (LadleWebsocketClient *self)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_CLIENT (self), 0);

  return self->ping_interval;
}

/**
 * ladle_websocket_client_set_ping_interval:
 * @seconds: send a ping that often, and give up when no pong came before the next one; 0 = off
 */
void
ladle_websocket_client_set_ping_interval (LadleWebsocketClient *self,
                                          double                seconds)
{
  g_return_if_fail (LADLE_IS_WEBSOCKET_CLIENT (self));
  g_return_if_fail (seconds >= 0);

  if (self->ping_interval == seconds)
    return;
  self->ping_interval = seconds;
  restart_ping_timer (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PING_INTERVAL]);
}

guint64
ladle_websocket_client_get_max_incoming_payload_size (LadleWebsocketClient *self)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_CLIENT (self), 0);

  return self->max_incoming;
}

/**
 * ladle_websocket_client_set_max_incoming_payload_size:
 * @size: bytes per incoming message (on the libsoup engine, used with deflate, per frame: libsoup
 *   3.2 checks frames, not whole messages); 0 = no limit
 */
void
ladle_websocket_client_set_max_incoming_payload_size (LadleWebsocketClient *self,
                                                      guint64               size)
{
  g_return_if_fail (LADLE_IS_WEBSOCKET_CLIENT (self));

  if (self->max_incoming == size)
    return;
  self->max_incoming = size;
  if (self->conn != NULL)
    soup_websocket_connection_set_max_incoming_payload_size (self->conn, size);
  if (self->codec != NULL)
    ladle_websocket_codec_set_max_message_size (self->codec, size);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_INCOMING_PAYLOAD_SIZE]);
}

LadleWebsocketState
ladle_websocket_client_get_state (LadleWebsocketClient *self)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_CLIENT (self), LADLE_WEBSOCKET_STATE_CLOSED);

  return self->state;
}

const char *
ladle_websocket_client_get_url (LadleWebsocketClient *self)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_CLIENT (self), NULL);

  return self->url;
}

const char *
ladle_websocket_client_get_protocol (LadleWebsocketClient *self)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_CLIENT (self), NULL);

  return self->protocol;
}

guint
ladle_websocket_client_get_close_code (LadleWebsocketClient *self)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_CLIENT (self), 0);

  return self->close_code;
}

const char *
ladle_websocket_client_get_close_reason (LadleWebsocketClient *self)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_CLIENT (self), NULL);

  return self->close_reason;
}

/**
 * ladle_websocket_client_get_error:
 *
 * Returns: (nullable): the first error of the current connection (connect failure, protocol or
 *   I/O error, "No pong within N s"), reset by the next connect
 */
const GError *
ladle_websocket_client_get_error (LadleWebsocketClient *self)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_CLIENT (self), NULL);

  return self->error;
}

/**
 * ladle_websocket_client_get_transcript:
 *
 * Returns: (transfer none): a GListModel of #LadleWebsocketEvent, oldest first
 */
GListModel *
ladle_websocket_client_get_transcript (LadleWebsocketClient *self)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_CLIENT (self), NULL);

  return G_LIST_MODEL (self->transcript);
}

/**
 * ladle_websocket_client_clear_transcript:
 *
 * Drops every event of the transcript (and the payloads it kept), for long runs that do not need
 * them any more.
 */
void
ladle_websocket_client_clear_transcript (LadleWebsocketClient *self)
{
  g_return_if_fail (LADLE_IS_WEBSOCKET_CLIENT (self));

  g_list_store_remove_all (self->transcript);
}
