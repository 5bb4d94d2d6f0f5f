/* ladle-server-conn.c
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
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "ladle-http-gate.h"
#include "ladle-server-conn.h"

/* One accepted client connection of the embedded server (server thread only).
 *
 * Ladle accepts connections itself (ladle-listener.c) and hands each to libsoup as a GIOStream of
 * its own (soup_server_accept_iostream()), so that everything libsoup reads passes through a
 * LadleHttpGate first: requests whose framing could be read two ways never reach libsoup. When
 * the gate (or the server, through ladle_server_conn_refuse()) refuses a request, this file writes
 * the answer itself, ends libsoup's read (end of input before a head, an error inside a body, so
 * that libsoup writes nothing more), and closes the connection the way a server must after
 * answering early: the answer is flushed, the sending side shut down, and what the client still
 * sends is read and dropped for a short while before the socket closes, so that a reset does not
 * destroy the answer before the client reads it.
 *
 * libsoup finds a message's connection only as its remote address: the GSocketAddress given to
 * soup_server_accept_iostream() is the object soup_server_message_get_remote_address() returns,
 * and it carries a pointer back to the LadleServerConn for as long as the socket is open.
 *
 * Over HTTPS (ladle_server_conn_start_tls()), a GTlsServerConnection sits between the socket and
 * everything above: the gate, libsoup and the early answers read and write through it, and only
 * the readiness of the socket is still asked of the socket itself. */

#define READ_BLOCK        (16 * 1024)
#define LINGER_MS         2000
#define LINGER_MAX_BYTES  (4 * 1024 * 1024)

struct _LadleServerConn
{
  GSocket                    *socket;
  GSocketConnection          *connection;    /* for its output stream */
  GIOStream                  *stream;        /* what libsoup gets (weak, cleared on dispose) */
  GTlsConnection             *tls;           /* over HTTPS: on @connection */
  GPollableInputStream       *tls_in;        /* owned by @tls */
  GPollableOutputStream      *tls_out;       /* owned by @tls */
  GInputStream               *input;         /* owned by @stream */
  GSocketAddress             *remote;
  GSocketAddress             *local;
  char                       *peer;

  LadleHttpGate              *gate;
  GByteArray                 *pending;       /* received, not yet handed to libsoup */
  gsize                       passable;      /* how much of @pending the gate approved */
  gboolean                    eof;

  /* The server refusing the request being read (413, 503…) */
  guint                       server_status;
  char                       *server_message;
  /* What was answered, once */
  guint                       answered_status;
  char                       *answered_message;
  GBytes                     *unsent;
  gsize                       unsent_offset;

  LadleServerConnClosedFunc   closed_func;
  LadleServerConnRefusedFunc  refused_func;
  gpointer                    user_data;

  gboolean                    closed;
  gboolean                    lingering;
  guint                       linger_ms;
  GSource                    *linger_source;
  GSource                    *linger_timeout;
  gsize                       linger_bytes;
  gboolean                    sent_wake_byte;
};

static GQuark conn_quark;

/* ------------------------------------------------------------------------------------------------
 * The input stream libsoup reads
 */

#define LADLE_TYPE_CONN_INPUT (ladle_conn_input_get_type ())
G_DECLARE_FINAL_TYPE (LadleConnInput, ladle_conn_input, LADLE, CONN_INPUT, GInputStream)

struct _LadleConnInput
{
  GInputStream     parent_instance;
  LadleServerConn *conn;
};

static void ladle_conn_input_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LadleConnInput, ladle_conn_input, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      ladle_conn_input_pollable_init))

static gssize conn_read (LadleServerConn  *self,
                         void             *buffer,
                         gsize             count,
                         gboolean          blocking,
                         GCancellable     *cancellable,
                         GError          **error);

static gssize
ladle_conn_input_read (GInputStream  *stream,
                       void          *buffer,
                       gsize          count,
                       GCancellable  *cancellable,
                       GError       **error)
{
  return conn_read (LADLE_CONN_INPUT (stream)->conn, buffer, count, TRUE, cancellable, error);
}

static gboolean
ladle_conn_input_close (GInputStream  *stream,
                        GCancellable  *cancellable,
                        GError       **error)
{
  return TRUE;
}

/* Whether a read would make progress without the socket: approved bytes, an answer to give, the
 * end, or held bytes the gate can judge now (after an upgrade was answered, say). */
static gboolean
has_work_without_socket (LadleServerConn *self)
{
  if (self->passable > 0 || self->eof || self->closed || self->server_status != 0 ||
      ladle_http_gate_is_refused (self->gate))
    return TRUE;

  return self->pending->len > 0 &&
         (ladle_http_gate_advance (self->gate, self->pending, &self->passable) !=
          LADLE_HTTP_GATE_NEED_MORE || self->passable > 0);
}

static gboolean
ladle_conn_input_is_readable (GPollableInputStream *stream)
{
  LadleServerConn *self = LADLE_CONN_INPUT (stream)->conn;

  if (self->tls_in != NULL)
    return has_work_without_socket (self) || g_pollable_input_stream_is_readable (self->tls_in);

  return has_work_without_socket (self) ||
         (g_socket_condition_check (self->socket, G_IO_IN | G_IO_HUP | G_IO_ERR) != 0);
}

static GSource *
ladle_conn_input_create_source (GPollableInputStream *stream,
                                GCancellable         *cancellable)
{
  LadleServerConn *self = LADLE_CONN_INPUT (stream)->conn;
  g_autoptr(GSource) child = NULL;

  /* Over TLS too the socket is watched directly, as for plain HTTP: the TLS stream's own source
   * (a cancellable, a child source and a closure each time, and a poll() to check the socket)
   * cost more per request than the encryption did (measured), and it looks at nothing else, since
   * after the handshake glib-networking checks only the socket as well. conn_read() never leaves
   * part of a record decrypted and unread (see there). */
  if (has_work_without_socket (self))
    child = g_timeout_source_new (0);
  else
    child = g_socket_create_source (self->socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);

  return g_pollable_source_new_full (stream, child, cancellable);
}

static gssize
ladle_conn_input_read_nonblocking (GPollableInputStream  *stream,
                                   void                  *buffer,
                                   gsize                  count,
                                   GError               **error)
{
  return conn_read (LADLE_CONN_INPUT (stream)->conn, buffer, count, FALSE, NULL, error);
}

static void
ladle_conn_input_finalize (GObject *object)
{
  LadleConnInput *self = LADLE_CONN_INPUT (object);

  g_clear_pointer (&self->conn, ladle_server_conn_unref);

  G_OBJECT_CLASS (ladle_conn_input_parent_class)->finalize (object);
}

static void
ladle_conn_input_class_init (LadleConnInputClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *input_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = ladle_conn_input_finalize;
  input_class->read_fn = ladle_conn_input_read;
  input_class->close_fn = ladle_conn_input_close;
}

static void
ladle_conn_input_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->is_readable = ladle_conn_input_is_readable;
  iface->create_source = ladle_conn_input_create_source;
  iface->read_nonblocking = ladle_conn_input_read_nonblocking;
}

static void
ladle_conn_input_init (LadleConnInput *self)
{
}

/* ------------------------------------------------------------------------------------------------
 * The GIOStream libsoup gets
 */

#define LADLE_TYPE_CONN_STREAM (ladle_conn_stream_get_type ())
G_DECLARE_FINAL_TYPE (LadleConnStream, ladle_conn_stream, LADLE, CONN_STREAM, GIOStream)

struct _LadleConnStream
{
  GIOStream        parent_instance;
  LadleServerConn *conn;
  GInputStream    *input;
};

G_DEFINE_FINAL_TYPE (LadleConnStream, ladle_conn_stream, G_TYPE_IO_STREAM)

static GInputStream *
ladle_conn_stream_get_input_stream (GIOStream *stream)
{
  return LADLE_CONN_STREAM (stream)->input;
}

static GOutputStream *
ladle_conn_stream_get_output_stream (GIOStream *stream)
{
  LadleServerConn *conn = LADLE_CONN_STREAM (stream)->conn;

  if (conn->tls != NULL)
    return G_OUTPUT_STREAM (conn->tls_out);
  return g_io_stream_get_output_stream (G_IO_STREAM (conn->connection));
}

static gboolean
ladle_conn_stream_close (GIOStream     *stream,
                         GCancellable  *cancellable,
                         GError       **error)
{
  ladle_server_conn_close (LADLE_CONN_STREAM (stream)->conn);
  return TRUE;
}

/* Closing never blocks (a lingering close goes on by itself): no worker thread, unlike GIOStream's
 * default. */
static void
ladle_conn_stream_close_async (GIOStream           *stream,
                               int                  io_priority,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, ladle_conn_stream_close_async);
  ladle_server_conn_close (LADLE_CONN_STREAM (stream)->conn);
  g_task_return_boolean (task, TRUE);
}

static gboolean
ladle_conn_stream_close_finish (GIOStream     *stream,
                                GAsyncResult  *result,
                                GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
ladle_conn_stream_dispose (GObject *object)
{
  LadleConnStream *self = LADLE_CONN_STREAM (object);

  /* Dropped without a close (libsoup does that to stolen connections): close now. */
  if (self->conn != NULL)
    {
      ladle_server_conn_close (self->conn);
      self->conn->stream = NULL;
    }

  G_OBJECT_CLASS (ladle_conn_stream_parent_class)->dispose (object);
}

static void
ladle_conn_stream_finalize (GObject *object)
{
  LadleConnStream *self = LADLE_CONN_STREAM (object);

  g_clear_object (&self->input);
  g_clear_pointer (&self->conn, ladle_server_conn_unref);

  G_OBJECT_CLASS (ladle_conn_stream_parent_class)->finalize (object);
}

static void
ladle_conn_stream_class_init (LadleConnStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  object_class->dispose = ladle_conn_stream_dispose;
  object_class->finalize = ladle_conn_stream_finalize;
  stream_class->get_input_stream = ladle_conn_stream_get_input_stream;
  stream_class->get_output_stream = ladle_conn_stream_get_output_stream;
  stream_class->close_fn = ladle_conn_stream_close;
  stream_class->close_async = ladle_conn_stream_close_async;
  stream_class->close_finish = ladle_conn_stream_close_finish;
}

static void
ladle_conn_stream_init (LadleConnStream *self)
{
}

/* ------------------------------------------------------------------------------------------------
 * Answering early and closing
 */

/**
 * ladle_server_conn_build_response:
 *
 * Returns: (transfer full): a whole HTTP/1.1 answer with @status and `{"error": message}`, that
 *   closes the connection
 */
GBytes *
ladle_server_conn_build_response (guint       status,
                                  const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = soup_date_time_to_string (now, SOUP_DATE_HTTP);
  g_autofree char *body = NULL;
  gsize body_len = 0;
  GString *out;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, message != NULL ? message : "");
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  body = json_generator_to_data (generator, &body_len);

  out = g_string_sized_new (256 + body_len);
  g_string_append_printf (out,
                          "HTTP/1.1 %u %s\r\n"
                          "Date: %s\r\n"
                          "Server: Ladle/" PACKAGE_VERSION "\r\n"
                          "Content-Type: application/json\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Connection: close\r\n",
                          status, soup_status_get_phrase (status), date, body_len);
  if (status == SOUP_STATUS_SERVICE_UNAVAILABLE)
    g_string_append (out, "Retry-After: 1\r\n");
  g_string_append (out, "\r\n");
  g_string_append_len (out, body, body_len);

  return g_string_free_to_bytes (out);
}

static void
finish_close (LadleServerConn *self)
{
  if (self->linger_source != NULL)
    {
      g_source_destroy (self->linger_source);
      g_clear_pointer (&self->linger_source, g_source_unref);
    }
  if (self->linger_timeout != NULL)
    {
      g_source_destroy (self->linger_timeout);
      g_clear_pointer (&self->linger_timeout, g_source_unref);
    }

  g_socket_close (self->socket, NULL);
  if (self->remote != NULL)
    g_object_set_qdata (G_OBJECT (self->remote), conn_quark, NULL);

  if (self->lingering)
    {
      self->lingering = FALSE;
      if (self->closed_func != NULL)
        self->closed_func (self, self->user_data);
      ladle_server_conn_unref (self);
    }
  else if (self->closed_func != NULL)
    self->closed_func (self, self->user_data);
}

/* Writes what is left of the answer without blocking. Returns FALSE on a dead socket. */
static gboolean
flush_unsent (LadleServerConn *self)
{
  while (self->unsent != NULL)
    {
      g_autoptr(GError) error = NULL;
      gsize len;
      const guint8 *data = g_bytes_get_data (self->unsent, &len);
      gssize n;

      if (self->tls_out != NULL)
        n = g_pollable_output_stream_write_nonblocking (self->tls_out, data + self->unsent_offset,
                                                        len - self->unsent_offset, NULL, &error);
      else
        n = g_socket_send_with_blocking (self->socket, (const char *) data + self->unsent_offset,
                                         len - self->unsent_offset, FALSE, NULL, &error);

      if (n < 0)
        return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);

      self->unsent_offset += n;
      if (self->unsent_offset >= len)
        {
          g_clear_pointer (&self->unsent, g_bytes_unref);
          self->unsent_offset = 0;
          /* Answered: the client sees the end of it, and may finish sending what it was sending */
          g_socket_shutdown (self->socket, FALSE, TRUE, NULL);
        }
    }

  return TRUE;
}

static gboolean linger_cb (GSocket      *socket,
                           GIOCondition  condition,
                           gpointer      user_data);

static void
watch_linger (LadleServerConn *self)
{
  GIOCondition condition = G_IO_IN | G_IO_HUP | G_IO_ERR;

  if (self->linger_source != NULL)
    {
      g_source_destroy (self->linger_source);
      g_clear_pointer (&self->linger_source, g_source_unref);
    }
  if (self->unsent != NULL)
    condition |= G_IO_OUT;

  self->linger_source = g_socket_create_source (self->socket, condition, NULL);
  g_source_set_name (self->linger_source, "[ladle] lingering close");
  g_source_set_callback (self->linger_source, G_SOURCE_FUNC (linger_cb), self, NULL);
  g_source_attach (self->linger_source, g_main_context_get_thread_default ());
}

static gboolean
linger_cb (GSocket      *socket,
           GIOCondition  condition,
           gpointer      user_data)
{
  LadleServerConn *self = user_data;
  gboolean had_unsent = self->unsent != NULL;
  char drain[16 * 1024];

  if (!flush_unsent (self))
    {
      finish_close (self);
      return G_SOURCE_REMOVE;
    }

  /* Read and drop what the client still sends, until it is done or the time or bytes run out */
  for (guint i = 0; i < 8; i++)
    {
      g_autoptr(GError) error = NULL;
      gssize n;

      if (self->tls_in != NULL)
        n = g_pollable_input_stream_read_nonblocking (self->tls_in, drain, sizeof drain, NULL,
                                                      &error);
      else
        n = g_socket_receive_with_blocking (self->socket, drain, sizeof drain, FALSE, NULL,
                                            &error);

      if (n == 0 || (n < 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)))
        {
          if (self->unsent == NULL)
            {
              finish_close (self);
              return G_SOURCE_REMOVE;
            }
          break;
        }
      if (n < 0)
        break;
      self->linger_bytes += n;
      if (self->linger_bytes > LINGER_MAX_BYTES)
        {
          finish_close (self);
          return G_SOURCE_REMOVE;
        }
    }

  if (had_unsent != (self->unsent != NULL))
    {
      watch_linger (self);
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static gboolean
linger_timeout_cb (gpointer user_data)
{
  LadleServerConn *self = user_data;

  g_clear_pointer (&self->linger_timeout, g_source_unref);
  finish_close (self);

  return G_SOURCE_REMOVE;
}

static void
start_linger (LadleServerConn *self)
{
  /* Held until the socket is closed */
  ladle_server_conn_ref (self);
  self->lingering = TRUE;

  if (!flush_unsent (self))
    {
      finish_close (self);
      return;
    }

  self->linger_timeout = g_timeout_source_new (self->linger_ms);
  g_source_set_name (self->linger_timeout, "[ladle] lingering close timeout");
  g_source_set_callback (self->linger_timeout, linger_timeout_cb, self, NULL);
  g_source_attach (self->linger_timeout, g_main_context_get_thread_default ());
  watch_linger (self);
}

/**
 * ladle_server_conn_close:
 *
 * Closes the connection: at once, or after the answer to a refused request was delivered and
 * what the client still sends was drained (bounded in time and bytes). Safe to call repeatedly.
 */
void
ladle_server_conn_close (LadleServerConn *self)
{
  if (self->closed)
    return;
  self->closed = TRUE;

  if (self->answered_status != 0 && !g_socket_is_closed (self->socket))
    start_linger (self);
  else
    finish_close (self);
}

/**
 * ladle_server_conn_abandon:
 *
 * Closes at once, also a lingering close (the server is stopping).
 */
void
ladle_server_conn_abandon (LadleServerConn *self)
{
  ladle_server_conn_ref (self);
  self->closed = TRUE;
  if (self->lingering || !g_socket_is_closed (self->socket))
    finish_close (self);
  /* Whoever set the callbacks is going away */
  self->closed_func = NULL;
  self->refused_func = NULL;
  ladle_server_conn_unref (self);
}

/* Writes the answer once; what does not fit now is written while lingering. */
static void
answer (LadleServerConn *self,
        guint            status,
        const char      *message)
{
  if (self->answered_status != 0)
    return;

  self->answered_status = status;
  self->answered_message = g_strdup (message);
  self->unsent = ladle_server_conn_build_response (status, message);
  self->unsent_offset = 0;
  flush_unsent (self);
}

/**
 * ladle_server_conn_refuse_now:
 * @linger_ms: how long to drain what the client sends afterwards
 *
 * Answers @status at once and closes, for a connection libsoup never saw (over the connection
 * limit).
 */
void
ladle_server_conn_refuse_now (LadleServerConn *self,
                              guint            status,
                              const char      *message,
                              guint            linger_ms)
{
  self->linger_ms = linger_ms;
  answer (self, status, message);
  ladle_server_conn_close (self);
}

/* libsoup is reading and the request is refused: answer, and end libsoup's read. */
static gssize
end_read_refused (LadleServerConn  *self,
                  void             *buffer,
                  GError          **error)
{
  const char *message = NULL;
  const char *request_line = NULL;
  gboolean in_body = TRUE;
  guint status;

  if (self->server_status != 0)
    {
      status = self->server_status;
      message = self->server_message;
    }
  else
    status = ladle_http_gate_get_refusal (self->gate, &message, &in_body, &request_line);

  if (self->answered_status == 0)
    {
      answer (self, status, message);
      if (!in_body && self->refused_func != NULL)
        self->refused_func (self, status, request_line, message, self->user_data);
    }

  /* Inside a body: an error, so libsoup drops the request (and reports it aborted) without
   * answering. Before a head: the end of the input, so libsoup starts no request; but libsoup 3.2
   * closes a keep-alive connection that ends before its next request only once it has seen a byte
   * of it (before, the message has no completion callback, and the connection is kept forever), so
   * one empty line goes first. */
  if (!in_body)
    {
      if (self->sent_wake_byte)
        return 0;
      self->sent_wake_byte = TRUE;
      *(char *) buffer = '\n';
      return 1;
    }

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       message != NULL ? message : "");
  return -1;
}

/* ------------------------------------------------------------------------------------------------
 * Reading
 */

static gssize
receive (LadleServerConn  *self,
         void             *buffer,
         gsize             count,
         gboolean          blocking,
         GCancellable     *cancellable,
         GError          **error)
{
  gssize n;

  if (self->tls_in == NULL)
    n = g_socket_receive_with_blocking (self->socket, buffer, count, blocking, cancellable, error);
  else if (blocking)
    n = g_input_stream_read (G_INPUT_STREAM (self->tls_in), buffer, count, cancellable, error);
  else
    n = g_pollable_input_stream_read_nonblocking (self->tls_in, buffer, count, cancellable,
                                                  error);

  if (n == 0)
    self->eof = TRUE;

  return n;
}

static gssize
conn_read (LadleServerConn  *self,
           void             *buffer,
           gsize             count,
           gboolean          blocking,
           GCancellable     *cancellable,
           GError          **error)
{
  if (count == 0)
    return 0;

  for (;;)
    {
      LadleHttpGateState state;
      guint64 direct;
      gssize n;

      if (self->closed || g_socket_is_closed (self->socket))
        return 0;

      if (self->passable > 0)
        {
          gsize len = MIN (count, self->passable);

          memcpy (buffer, self->pending->data, len);
          g_byte_array_remove_range (self->pending, 0, len);
          self->passable -= len;
          return len;
        }

      if (self->server_status != 0 || ladle_http_gate_is_refused (self->gate))
        return end_read_refused (self, buffer, error);

      /* libsoup reads on after a request that asked for an upgrade: it was answered without one */
      ladle_http_gate_resume (self->gate);
      state = ladle_http_gate_advance (self->gate, self->pending, &self->passable);
      if (self->passable > 0 || state == LADLE_HTTP_GATE_REFUSED)
        continue;

      if (self->eof)
        {
          /* Nothing more can come: what is held cannot start a second request */
          self->passable = self->pending->len;
          if (self->passable > 0)
            continue;
          return 0;
        }

      /* Body bytes go straight into libsoup's buffer. Over TLS only into room for a whole record:
       * what GnuTLS decrypted and could not hand over would wait inside it, where no poll sees it
       * (neither ours nor glib-networking's), until the client sent more. */
      direct = ladle_http_gate_body_remaining (self->gate);
      if (self->pending->len == 0 && direct > 0 &&
          (self->tls_in == NULL || MIN (count, direct) >= READ_BLOCK))
        {
          n = receive (self, buffer, MIN (count, direct), blocking, cancellable, error);
          if (n > 0)
            ladle_http_gate_consume_body (self->gate, n);
          if (n != 0)
            return n;
          continue;
        }

      {
        guint old_len = self->pending->len;

        g_byte_array_set_size (self->pending, old_len + READ_BLOCK);
        n = receive (self, self->pending->data + old_len, READ_BLOCK, blocking, cancellable,
                     error);
        g_byte_array_set_size (self->pending, old_len + MAX (n, 0));
        if (n < 0)
          return -1;
      }
    }
}

/* ------------------------------------------------------------------------------------------------
 * The record
 */

static void
ladle_server_conn_free (LadleServerConn *self)
{
  g_assert (self->stream == NULL);

  if (!g_socket_is_closed (self->socket))
    g_socket_close (self->socket, NULL);
  if (self->remote != NULL)
    g_object_set_qdata (G_OBJECT (self->remote), conn_quark, NULL);
  g_clear_object (&self->tls);
  g_clear_object (&self->connection);
  g_clear_object (&self->socket);
  g_clear_object (&self->remote);
  g_clear_object (&self->local);
  g_clear_pointer (&self->peer, g_free);
  g_clear_pointer (&self->gate, ladle_http_gate_free);
  g_clear_pointer (&self->pending, g_byte_array_unref);
  g_clear_pointer (&self->server_message, g_free);
  g_clear_pointer (&self->answered_message, g_free);
  g_clear_pointer (&self->unsent, g_bytes_unref);
}

LadleServerConn *
ladle_server_conn_ref (LadleServerConn *self)
{
  return g_atomic_rc_box_acquire (self);
}

void
ladle_server_conn_unref (LadleServerConn *self)
{
  g_atomic_rc_box_release_full (self, (GDestroyNotify) ladle_server_conn_free);
}

/**
 * ladle_server_conn_new:
 * @socket: an accepted connection
 * @closed: (nullable): called once its socket is closed
 * @refused: (nullable): called when a request is refused before libsoup sees its head
 *
 * @out_stream: (out) (transfer full): the stream to hand to libsoup, which reads through the
 *   gate and closes the connection when it is closed or dropped
 *
 * Returns: (transfer full): the connection, or %NULL when its addresses cannot be read (the
 *   client left already)
 */
LadleServerConn *
ladle_server_conn_new (GSocket                    *socket,
                       LadleServerConnClosedFunc   closed,
                       LadleServerConnRefusedFunc  refused,
                       gpointer                    user_data,
                       GIOStream                 **out_stream,
                       GError                    **error)
{
  LadleServerConn *self;
  LadleConnStream *stream;
  LadleConnInput *input;
  g_autoptr(GSocketAddress) remote = NULL;
  g_autoptr(GSocketAddress) local = NULL;

  g_return_val_if_fail (G_IS_SOCKET (socket), NULL);

  if (G_UNLIKELY (conn_quark == 0))
    conn_quark = g_quark_from_static_string ("ladle-server-conn");

  remote = g_socket_get_remote_address (socket, error);
  if (remote == NULL)
    return NULL;
  local = g_socket_get_local_address (socket, error);
  if (local == NULL)
    return NULL;

  /* As libsoup does for the sockets it accepts: answers go out as soon as they are written. */
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);

  self = g_atomic_rc_box_new0 (LadleServerConn);
  self->socket = g_object_ref (socket);
  self->connection = g_socket_connection_factory_create_connection (socket);
  self->remote = g_steal_pointer (&remote);
  self->local = g_steal_pointer (&local);
  if (G_IS_INET_SOCKET_ADDRESS (self->remote))
    self->peer = g_inet_address_to_string (
      g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (self->remote)));
  self->gate = ladle_http_gate_new ();
  self->pending = g_byte_array_sized_new (READ_BLOCK);
  self->closed_func = closed;
  self->refused_func = refused;
  self->user_data = user_data;
  self->linger_ms = LINGER_MS;

  input = g_object_new (LADLE_TYPE_CONN_INPUT, NULL);
  input->conn = ladle_server_conn_ref (self);
  stream = g_object_new (LADLE_TYPE_CONN_STREAM, NULL);
  stream->conn = ladle_server_conn_ref (self);
  stream->input = G_INPUT_STREAM (input);
  self->stream = G_IO_STREAM (stream);
  self->input = G_INPUT_STREAM (input);

  g_object_set_qdata (G_OBJECT (self->remote), conn_quark, self);
  *out_stream = G_IO_STREAM (stream);

  return self;
}

/**
 * ladle_server_conn_from_message:
 *
 * Returns: (transfer none) (nullable): the open connection @msg came on, when Ladle accepted it
 */
LadleServerConn *
ladle_server_conn_from_message (SoupServerMessage *msg)
{
  GSocketAddress *remote;

  if (conn_quark == 0)
    return NULL;

  remote = soup_server_message_get_remote_address (msg);
  return remote != NULL ? g_object_get_qdata (G_OBJECT (remote), conn_quark) : NULL;
}

/**
 * ladle_server_conn_start_tls:
 * @certificate: the server's certificate, with its key
 *
 * Puts TLS between the socket and everything that reads or writes the connection, before
 * anything did. The handshake happens on the first read, or with g_tls_connection_handshake() on
 * ladle_server_conn_get_tls().
 *
 * Returns: whether TLS is on
 */
gboolean
ladle_server_conn_start_tls (LadleServerConn  *self,
                             GTlsCertificate  *certificate,
                             GError          **error)
{
  GIOStream *tls;

  g_return_val_if_fail (self->tls == NULL, FALSE);
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), FALSE);

  /* No trust database: this server asks no client for a certificate. With the default one,
   * glib-networking copies the system's CA list into every connection's credentials: 5 ms per
   * connection on the server's thread (measured), against 0.01 ms without. Clients that close
   * without close_notify (most) are not an error. */
  tls = g_initable_new (g_tls_backend_get_server_connection_type (g_tls_backend_get_default ()),
                        NULL, error,
                        "base-io-stream", self->connection,
                        "certificate", certificate,
                        "database", NULL,
                        "require-close-notify", FALSE,
                        NULL);
  if (tls == NULL)
    return FALSE;
  self->tls = G_TLS_CONNECTION (tls);
  self->tls_in = G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (tls));
  self->tls_out = G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (tls));

  return TRUE;
}

/**
 * ladle_server_conn_get_tls:
 *
 * Returns: (transfer none) (nullable): the TLS connection over HTTPS
 */
GTlsConnection *
ladle_server_conn_get_tls (LadleServerConn *self)
{
  return self->tls;
}

GSocket *
ladle_server_conn_get_socket (LadleServerConn *self)
{
  return self->socket;
}

GSocketAddress *
ladle_server_conn_get_remote_address (LadleServerConn *self)
{
  return self->remote;
}

GSocketAddress *
ladle_server_conn_get_local_address (LadleServerConn *self)
{
  return self->local;
}

/**
 * ladle_server_conn_get_peer:
 *
 * Returns: (nullable): the client's IP address, as text, read when the connection was accepted
 */
const char *
ladle_server_conn_get_peer (LadleServerConn *self)
{
  return self->peer;
}

gboolean
ladle_server_conn_is_closed (LadleServerConn *self)
{
  return self->closed;
}

/**
 * ladle_server_conn_refuse:
 *
 * The server refuses the request libsoup is reading (a body over a limit, too many files, no
 * memory for it): it is answered with @status and closed when libsoup reads on, instead of
 * libsoup reading and dropping the rest of the body first. If libsoup reads nothing more (the
 * body was complete), the answer the server gave the message stands.
 */
void
ladle_server_conn_refuse (LadleServerConn *self,
                          guint            status,
                          const char      *message)
{
  if (self->server_status != 0 || self->answered_status != 0)
    return;

  self->server_status = status;
  self->server_message = g_strdup (message);
}

/**
 * ladle_server_conn_get_refusal:
 *
 * Returns: the status the connection answered by itself, or 0
 */
guint
ladle_server_conn_get_refusal (LadleServerConn  *self,
                               const char      **message)
{
  if (message != NULL)
    *message = self->answered_message;
  return self->answered_status;
}

/**
 * ladle_server_conn_upgraded:
 *
 * The connection switched protocols (101): bytes from now on are not HTTP requests.
 */
void
ladle_server_conn_upgraded (LadleServerConn *self)
{
  ladle_http_gate_set_passthrough (self->gate);
}
