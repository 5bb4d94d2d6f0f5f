/* ladle-listener.c
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

#include <sys/resource.h>

#include <glib/gi18n.h>

#include "ladle-listener.h"

/* The embedded server's accept loop (server thread). libsoup 3.2's own listener removes its
 * accept source on the first failed accept(): once the process ran out of file descriptors (1 024
 * idle clients under the usual soft limit), the server never accepted again, even after every
 * client had left. Ladle accepts itself:
 *
 *  - out of descriptors (EMFILE, ENFILE) or memory, it stops accepting for a short, growing while
 *    (20 ms up to 1 s) and tries again; clients wait in the listen queue meanwhile;
 *  - above a ceiling of open connections (below the descriptor limit, leaving room for the files
 *    uploads write) a new client gets 503 with Retry-After and is closed;
 *  - every accepted connection goes to libsoup through a LadleServerConn, whose gate checks the
 *    framing of what the client sends (ladle-http-gate.c).
 *
 * ladle_fd_limit_raise() lifts the process's soft descriptor limit to its hard limit once, when a
 * server first starts: the soft limit of 1 024 is a relic of select(), which Ladle does not use. */

#define ACCEPT_BATCH      64
#define BACKOFF_FIRST_MS  20
#define BACKOFF_MAX_MS    1000
#define REFUSE_LINGER_MS  500
/* Past the ceiling, this many more clients are still answered 503; beyond, they are closed. */
#define REFUSE_SLACK      64
#define DEFAULT_MAX_CONNECTIONS 10000
/* Descriptors kept for the rest of the process: its own files, a window's, upload files. */
#define FD_RESERVE        128

struct _LadleListener
{
  GSocket                    *socket;
  guint                       max_connections;
  LadleListenerAcceptFunc     accept_func;
  LadleServerConnRefusedFunc  refused_func;
  gpointer                    user_data;

  GSource                    *accept_source;
  GSource                    *backoff_source;
  guint                       backoff_ms;
  GHashTable                 *conns;          /* LadleServerConn* set, owned */
  guint                       n_refused;
  gboolean                    stopped;
};

static gboolean accept_cb (GSocket      *socket,
                           GIOCondition  condition,
                           gpointer      user_data);

static void
watch_accept (LadleListener *self)
{
  self->accept_source = g_socket_create_source (self->socket, G_IO_IN, NULL);
  g_source_set_name (self->accept_source, "[ladle] accept");
  g_source_set_callback (self->accept_source, G_SOURCE_FUNC (accept_cb), self, NULL);
  g_source_attach (self->accept_source, g_main_context_get_thread_default ());
}

static void
unwatch (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static gboolean
backoff_done_cb (gpointer user_data)
{
  LadleListener *self = user_data;

  g_clear_pointer (&self->backoff_source, g_source_unref);
  if (!self->stopped)
    watch_accept (self);

  return G_SOURCE_REMOVE;
}

static void
back_off (LadleListener *self,
          const GError  *error)
{
  if (self->backoff_ms == 0)
    {
      self->backoff_ms = BACKOFF_FIRST_MS;
      g_message ("Cannot accept connections (%s) with %u open; trying again shortly",
                 error->message, g_hash_table_size (self->conns));
    }
  else
    self->backoff_ms = MIN (self->backoff_ms * 2, BACKOFF_MAX_MS);

  unwatch (&self->accept_source);
  self->backoff_source = g_timeout_source_new (self->backoff_ms);
  g_source_set_name (self->backoff_source, "[ladle] accept back-off");
  g_source_set_callback (self->backoff_source, backoff_done_cb, self, NULL);
  g_source_attach (self->backoff_source, g_main_context_get_thread_default ());
}

static void
conn_closed_cb (LadleServerConn *conn,
                gpointer         user_data)
{
  LadleListener *self = user_data;

  g_hash_table_remove (self->conns, conn);
}

static void
conn_refused_cb (LadleServerConn *conn,
                 guint            status,
                 const char      *request_line,
                 const char      *message,
                 gpointer         user_data)
{
  LadleListener *self = user_data;

  if (self->refused_func != NULL)
    self->refused_func (conn, status, request_line, message, self->user_data);
}

static void
take_client (LadleListener *self,
             GSocket       *client)
{
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  LadleServerConn *conn;
  guint n_open;

  conn = ladle_server_conn_new (client, conn_closed_cb, conn_refused_cb, self, &stream, &error);
  if (conn == NULL)
    {
      /* Gone before it could be looked at */
      g_socket_close (client, NULL);
      return;
    }

  g_hash_table_add (self->conns, conn);
  n_open = g_hash_table_size (self->conns);

  if (n_open > self->max_connections)
    {
      self->n_refused++;
      if (n_open > self->max_connections + REFUSE_SLACK)
        {
          ladle_server_conn_abandon (conn);
        }
      else
        {
          g_autofree char *message =
            g_strdup_printf (_("The server has too many open connections (%u); try again shortly"),
                             self->max_connections);

          ladle_server_conn_refuse_now (conn, SOUP_STATUS_SERVICE_UNAVAILABLE, message,
                                        REFUSE_LINGER_MS);
        }
      return;
    }

  self->accept_func (conn, stream, self->user_data);
}

static gboolean
accept_cb (GSocket      *socket,
           GIOCondition  condition,
           gpointer      user_data)
{
  LadleListener *self = user_data;

  for (guint i = 0; i < ACCEPT_BATCH; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) client = g_socket_accept (self->socket, NULL, &error);

      if (client != NULL)
        {
          self->backoff_ms = 0;
          take_client (self, client);
          continue;
        }

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_FAILED))
        {
          /* The listen socket stays readable: watching it now would only spin. */
          back_off (self, error);
          g_clear_pointer (&self->accept_source, g_source_unref);
          return G_SOURCE_REMOVE;
        }

      /* A client that left before it was accepted, and the like: on to the next */
    }

  return G_SOURCE_CONTINUE;
}

/**
 * ladle_listener_new:
 * @socket: a listening socket
 * @max_connections: the most connections open at once (0: ladle_listener_default_max_connections())
 * @accept: called with each accepted connection and its stream, for libsoup
 * @refused: (nullable): called when a connection's gate refuses a request before libsoup sees it
 */
LadleListener *
ladle_listener_new (GSocket                    *socket,
                    guint                       max_connections,
                    LadleListenerAcceptFunc     accept,
                    LadleServerConnRefusedFunc  refused,
                    gpointer                    user_data)
{
  LadleListener *self = g_new0 (LadleListener, 1);

  self->socket = g_object_ref (socket);
  /* Else g_socket_accept() waits for the next client instead of saying there is none */
  g_socket_set_blocking (socket, FALSE);
  self->max_connections = max_connections > 0 ? max_connections
                                              : ladle_listener_default_max_connections ();
  self->accept_func = accept;
  self->refused_func = refused;
  self->user_data = user_data;
  self->conns = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) ladle_server_conn_unref, NULL);

  return self;
}

/**
 * ladle_listener_start:
 *
 * Starts accepting, on the thread-default main context.
 */
void
ladle_listener_start (LadleListener *self)
{
  g_return_if_fail (self->accept_source == NULL);

  watch_accept (self);
}

/**
 * ladle_listener_stop:
 *
 * Stops accepting; open connections stay.
 */
void
ladle_listener_stop (LadleListener *self)
{
  self->stopped = TRUE;
  unwatch (&self->accept_source);
  unwatch (&self->backoff_source);
}

/**
 * ladle_listener_free:
 *
 * Stops, and closes every connection still open (lingering ones included) at once.
 */
void
ladle_listener_free (LadleListener *self)
{
  g_autoptr(GPtrArray) conns = NULL;

  if (self == NULL)
    return;

  ladle_listener_stop (self);

  /* A closing connection removes itself from the set: work on a copy. */
  conns = g_ptr_array_new_with_free_func ((GDestroyNotify) ladle_server_conn_unref);
  {
    GHashTableIter iter;
    LadleServerConn *conn;

    g_hash_table_iter_init (&iter, self->conns);
    while (g_hash_table_iter_next (&iter, (gpointer *) &conn, NULL))
      g_ptr_array_add (conns, ladle_server_conn_ref (conn));
  }
  for (guint i = 0; i < conns->len; i++)
    ladle_server_conn_abandon (g_ptr_array_index (conns, i));

  g_clear_pointer (&self->conns, g_hash_table_unref);
  g_clear_object (&self->socket);
  g_free (self);
}

/**
 * ladle_listener_get_n_connections:
 *
 * Returns: how many accepted connections are open (closing ones included)
 */
guint
ladle_listener_get_n_connections (LadleListener *self)
{
  return g_hash_table_size (self->conns);
}

/**
 * ladle_listener_get_n_refused:
 *
 * Returns: how many clients were turned away for being over the ceiling
 */
guint
ladle_listener_get_n_refused (LadleListener *self)
{
  return self->n_refused;
}

guint
ladle_listener_get_max_connections (LadleListener *self)
{
  return self->max_connections;
}

/**
 * ladle_fd_limit_raise:
 *
 * Lifts the soft limit on open files to the hard one, once per process.
 *
 * Returns: the soft limit now in force
 */
guint
ladle_fd_limit_raise (void)
{
  static gsize once = 0;
  static guint soft = 1024;

  if (g_once_init_enter (&once))
    {
      struct rlimit limit;

      if (getrlimit (RLIMIT_NOFILE, &limit) == 0)
        {
          rlim_t want = limit.rlim_max;

          /* An unlimited hard limit still stops at the kernel's nr_open (2^20 by default) */
          if (want == RLIM_INFINITY)
            want = 1 << 20;
          if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < want)
            {
              struct rlimit raised = { want, limit.rlim_max };

              if (setrlimit (RLIMIT_NOFILE, &raised) == 0)
                limit.rlim_cur = want;
            }
          soft = limit.rlim_cur == RLIM_INFINITY ? G_MAXUINT : (guint) MIN (limit.rlim_cur, G_MAXUINT);
        }
      g_once_init_leave (&once, 1);
    }

  return soft;
}

/**
 * ladle_listener_default_max_connections:
 *
 * Returns: the connection ceiling for the current descriptor limit: half of what is left after a
 *   reserve (each connection may also write an upload file), at most 10 000
 */
guint
ladle_listener_default_max_connections (void)
{
  struct rlimit limit;
  guint64 soft = 1024;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0)
    soft = limit.rlim_cur == RLIM_INFINITY ? G_MAXUINT : limit.rlim_cur;

  if (soft <= FD_RESERVE + 32)
    return 16;

  return (guint) MIN ((soft - FD_RESERVE) / 2, DEFAULT_MAX_CONNECTIONS);
}
