/* ladle-conn-guard.c
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

#include <errno.h>
#include <sys/socket.h>

#include "ladle-conn-guard.h"
#include "ladle-server-conn.h"

/* SoupServer 3.2 has no read timeouts and leaks every keep-alive connection that the client closes
 * while it is idle (doc/STACK.md §2; fixed upstream in 3.3.0 by d20c6601). The guard follows every
 * connection by its GSocket and, from one sweep timer per server:
 *
 *  - READING (waiting for, or reading, a request): shuts the socket down when no byte arrived for
 *    the idle timeout. libsoup then reads EOF on a message that has its completion callback, and
 *    cleans the connection up itself. This drops silent clients and half requests.
 *  - BUSY (a handler has the request): nothing; handlers own their timing.
 *  - IDLE (between keep-alive requests): peeks at the socket; when the client has closed it (or it
 *    has been idle past the keep-alive timeout), shuts it down and, on libsoup 3.2 only, makes the
 *    SoupServerConnection emit "disconnected" a sweep later, which is exactly what the upstream fix
 *    does. That releases the file descriptor and every object of the connection, and keeps
 *    keep-alive working (the alternative, `Connection: close` on every response, loses it).
 *
 * The SoupServerConnection type is private in 3.2; the message's first field points to it. The
 * guard reads that field only on 3.2.x, checks the instance's type by name, and otherwise falls back
 * to `Connection: close` (ladle_conn_guard_can_keep_alive() returns FALSE). Runs on the server's
 * thread only. */

typedef enum
{
  STATE_READING,
  STATE_BUSY,
  STATE_IDLE,
  STATE_CLOSING,
} ConnState;

typedef struct
{
  GSocket   *socket;
  GObject   *connection;   /* the private SoupServerConnection, 3.2 only */
  ConnState  state;
  gint64     last_activity;
} Tracker;

struct _LadleConnGuard
{
  GHashTable *trackers;     /* GSocket* -> Tracker* */
  GSource    *sweep_source;
  gint64      idle_timeout;
  gint64      keepalive_timeout;
  GType       connection_type;
  gboolean    workaround;
  gboolean    can_keep_alive;
};

/* The start of struct _SoupServerMessage in libsoup 3.2.x (soup-server-message.c). */
typedef struct
{
  GObject  parent;
  GObject *conn;
} SoupServerMessageHead;

static void
tracker_free (Tracker *tracker)
{
  g_clear_object (&tracker->socket);
  g_clear_object (&tracker->connection);
  g_free (tracker);
}

static GObject *
get_connection (LadleConnGuard    *self,
                SoupServerMessage *msg)
{
  GObject *conn;

  if (!self->workaround)
    return NULL;

  /* The private type is registered with the first connection, so look it up only now. */
  if (self->connection_type == 0)
    self->connection_type = g_type_from_name ("SoupServerConnection");

  conn = ((SoupServerMessageHead *) msg)->conn;
  if (self->connection_type == 0 || conn == NULL ||
      !G_TYPE_CHECK_INSTANCE_TYPE (conn, self->connection_type))
    {
      /* Not the layout we know: stop trusting it, and fall back to Connection: close. */
      self->workaround = FALSE;
      self->can_keep_alive = FALSE;
      return NULL;
    }

  return conn;
}

static Tracker *
lookup (LadleConnGuard    *self,
        SoupServerMessage *msg,
        gboolean           create)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  Tracker *tracker;

  /* Connections Ladle accepts itself reach libsoup as streams, without a socket */
  if (socket == NULL)
    {
      LadleServerConn *conn = ladle_server_conn_from_message (msg);

      if (conn == NULL || ladle_server_conn_is_closed (conn))
        return NULL;
      socket = ladle_server_conn_get_socket (conn);
    }

  tracker = g_hash_table_lookup (self->trackers, socket);
  if (tracker == NULL && create)
    {
      GObject *conn = get_connection (self, msg);

      tracker = g_new0 (Tracker, 1);
      tracker->socket = g_object_ref (socket);
      tracker->connection = conn ? g_object_ref (conn) : NULL;
      g_hash_table_insert (self->trackers, socket, tracker);
    }

  return tracker;
}

typedef enum
{
  PEER_SILENT,
  PEER_SENDING,
  PEER_GONE,
} PeerState;

static PeerState
peek_peer (GSocket *socket)
{
  char byte;
  gssize n = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);

  if (n > 0)
    return PEER_SENDING;
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    return PEER_SILENT;
  return PEER_GONE;
}

static gboolean
sweep (gpointer data)
{
  LadleConnGuard *self = data;
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  Tracker *tracker;

  g_hash_table_iter_init (&iter, self->trackers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &tracker))
    {
      if (g_socket_is_closed (tracker->socket))
        {
          g_hash_table_iter_remove (&iter);
          continue;
        }

      switch (tracker->state)
        {
        case STATE_READING:
          if (now - tracker->last_activity > self->idle_timeout)
            {
              /* libsoup reads EOF on a message it is waiting for and disconnects. */
              g_socket_shutdown (tracker->socket, TRUE, TRUE, NULL);
              tracker->state = STATE_BUSY;
            }
          break;

        case STATE_IDLE:
          {
            PeerState peer = peek_peer (tracker->socket);

            if (peer == PEER_SENDING)
              break;
            if (peer == PEER_GONE || now - tracker->last_activity > self->keepalive_timeout)
              {
                g_socket_shutdown (tracker->socket, TRUE, TRUE, NULL);
                if (tracker->connection != NULL)
                  tracker->state = STATE_CLOSING;
                else
                  g_hash_table_iter_remove (&iter);
              }
          }
          break;

        case STATE_CLOSING:
          /* One sweep after the shutdown, libsoup has run its idle message to its end; now do
           * what libsoup ≥ 3.3 does: drop the connection, which closes the socket. */
          g_signal_emit_by_name (tracker->connection, "disconnected");
          g_hash_table_iter_remove (&iter);
          break;

        case STATE_BUSY:
        default:
          break;
        }
    }

  return G_SOURCE_CONTINUE;
}

/**
 * ladle_conn_guard_new:
 * @idle_timeout_ms: how long a client may stay silent while a request is due or being read
 * @keepalive_timeout_ms: how long an idle keep-alive connection is kept
 *
 * Creates a guard whose sweep timer runs on the thread-default main context of the caller, which
 * must be the server's.
 */
LadleConnGuard *
ladle_conn_guard_new (guint idle_timeout_ms,
                      guint keepalive_timeout_ms)
{
  LadleConnGuard *self = g_new0 (LadleConnGuard, 1);
  guint interval;

  self->trackers = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) tracker_free);
  self->idle_timeout = (gint64) idle_timeout_ms * 1000;
  self->keepalive_timeout = (gint64) keepalive_timeout_ms * 1000;

  /* The leak is in 3.2.x only; later versions clean idle connections up themselves. */
  self->can_keep_alive = TRUE;
  self->workaround = soup_get_major_version () == 3 && soup_get_minor_version () < 3;

  interval = CLAMP (MIN (idle_timeout_ms, keepalive_timeout_ms) / 4, 25, 1000);
  self->sweep_source = g_timeout_source_new (interval);
  g_source_set_name (self->sweep_source, "[ladle] connection guard");
  g_source_set_callback (self->sweep_source, sweep, self, NULL);
  g_source_attach (self->sweep_source, g_main_context_get_thread_default ());

  return self;
}

void
ladle_conn_guard_free (LadleConnGuard *self)
{
  if (self == NULL)
    return;

  if (self->sweep_source != NULL)
    {
      g_source_destroy (self->sweep_source);
      g_clear_pointer (&self->sweep_source, g_source_unref);
    }
  g_clear_pointer (&self->trackers, g_hash_table_unref);
  g_free (self);
}

/**
 * ladle_conn_guard_can_keep_alive:
 *
 * Returns: %FALSE when the server must answer with `Connection: close` to avoid leaking
 */
gboolean
ladle_conn_guard_can_keep_alive (LadleConnGuard *self)
{
  return self->can_keep_alive;
}

void
ladle_conn_guard_reading (LadleConnGuard    *self,
                          SoupServerMessage *msg)
{
  Tracker *tracker = lookup (self, msg, TRUE);

  if (tracker == NULL)
    return;
  tracker->state = STATE_READING;
  tracker->last_activity = g_get_monotonic_time ();
}

void
ladle_conn_guard_progress (LadleConnGuard    *self,
                           SoupServerMessage *msg)
{
  Tracker *tracker = lookup (self, msg, FALSE);

  if (tracker != NULL)
    tracker->last_activity = g_get_monotonic_time ();
}

void
ladle_conn_guard_busy (LadleConnGuard    *self,
                       SoupServerMessage *msg)
{
  Tracker *tracker = lookup (self, msg, FALSE);

  if (tracker != NULL && tracker->state == STATE_READING)
    tracker->state = STATE_BUSY;
}

void
ladle_conn_guard_idle (LadleConnGuard    *self,
                       SoupServerMessage *msg)
{
  Tracker *tracker = lookup (self, msg, FALSE);

  if (tracker == NULL || tracker->state == STATE_CLOSING)
    return;
  tracker->state = STATE_IDLE;
  tracker->last_activity = g_get_monotonic_time ();
}

/* The connection left HTTP (a WebSocket took it over): stop following it. */
void
ladle_conn_guard_forget (LadleConnGuard *self,
                         GSocket        *socket)
{
  if (socket != NULL)
    g_hash_table_remove (self->trackers, socket);
}

guint
ladle_conn_guard_get_n_connections (LadleConnGuard *self)
{
  return g_hash_table_size (self->trackers);
}
