/* ladle-http-client.c
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
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <gio/gunixoutputstream.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "ladle-error.h"
#include "ladle-http-client.h"
#include "ladle-http-syntax.h"

#define READ_BLOCK_SIZE   (256 * 1024)   /* fewer hops between the loop and the writer thread */
#define TICK_INTERVAL_MS  100

/* ------------------------------------------------------------------------------------------ */
/* LadleBodyStream: memory parts and files, read one after the other, so that a multipart body
 * (or a raw file body) is streamed from disk instead of loaded. GInputStream runs read_fn in a
 * worker thread for async reads, so the files are opened and read off the caller's thread. */

typedef struct
{
  GBytes *bytes;
  GFile  *file;
} BodyPart;

static void
body_part_free (gpointer data)
{
  BodyPart *part = data;

  g_clear_pointer (&part->bytes, g_bytes_unref);
  g_clear_object (&part->file);
  g_free (part);
}

#define LADLE_TYPE_BODY_STREAM (ladle_body_stream_get_type ())
G_DECLARE_FINAL_TYPE (LadleBodyStream, ladle_body_stream, LADLE, BODY_STREAM, GInputStream)

struct _LadleBodyStream
{
  GInputStream  parent_instance;

  GPtrArray    *parts;          /* BodyPart* */
  guint         index;
  gsize         offset;         /* in the current memory part */
  GInputStream *current;        /* the open file of the current part */
};

G_DEFINE_FINAL_TYPE (LadleBodyStream, ladle_body_stream, G_TYPE_INPUT_STREAM)

static gssize
ladle_body_stream_read_fn (GInputStream  *stream,
                           void          *buffer,
                           gsize          count,
                           GCancellable  *cancellable,
                           GError       **error)
{
  LadleBodyStream *self = LADLE_BODY_STREAM (stream);

  while (self->index < self->parts->len)
    {
      BodyPart *part = g_ptr_array_index (self->parts, self->index);

      if (part->bytes != NULL)
        {
          gsize len = 0;
          const guint8 *data = g_bytes_get_data (part->bytes, &len);

          if (self->offset < len)
            {
              gsize n = MIN (count, len - self->offset);

              memcpy (buffer, data + self->offset, n);
              self->offset += n;
              return n;
            }
        }
      else
        {
          gssize n;

          if (self->current == NULL)
            {
              self->current = G_INPUT_STREAM (g_file_read (part->file, cancellable, error));
              if (self->current == NULL)
                return -1;
            }

          n = g_input_stream_read (self->current, buffer, count, cancellable, error);
          if (n != 0)
            return n;

          if (!g_input_stream_close (self->current, cancellable, error))
            return -1;
          g_clear_object (&self->current);
        }

      self->index++;
      self->offset = 0;
    }

  return 0;
}

static gboolean
ladle_body_stream_close_fn (GInputStream  *stream,
                            GCancellable  *cancellable,
                            GError       **error)
{
  LadleBodyStream *self = LADLE_BODY_STREAM (stream);

  if (self->current != NULL)
    {
      g_autoptr(GInputStream) current = g_steal_pointer (&self->current);

      return g_input_stream_close (current, cancellable, error);
    }

  return TRUE;
}

static void
ladle_body_stream_finalize (GObject *object)
{
  LadleBodyStream *self = LADLE_BODY_STREAM (object);

  g_clear_object (&self->current);
  g_clear_pointer (&self->parts, g_ptr_array_unref);

  G_OBJECT_CLASS (ladle_body_stream_parent_class)->finalize (object);
}

static void
ladle_body_stream_class_init (LadleBodyStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = ladle_body_stream_finalize;
  stream_class->read_fn = ladle_body_stream_read_fn;
  stream_class->close_fn = ladle_body_stream_close_fn;
}

static void
ladle_body_stream_init (LadleBodyStream *self)
{
  self->parts = g_ptr_array_new_with_free_func (body_part_free);
}

static void
body_stream_add_bytes (LadleBodyStream *self,
                       GBytes          *bytes)
{
  BodyPart *part = g_new0 (BodyPart, 1);

  part->bytes = g_bytes_ref (bytes);
  g_ptr_array_add (self->parts, part);
}

static void
body_stream_add_string (LadleBodyStream *self,
                        GString         *string)
{
  g_autoptr(GBytes) bytes = g_bytes_new (string->str, string->len);

  body_stream_add_bytes (self, bytes);
}

static void
body_stream_add_file (LadleBodyStream *self,
                      GFile           *file)
{
  BodyPart *part = g_new0 (BodyPart, 1);

  part->file = g_object_ref (file);
  g_ptr_array_add (self->parts, part);
}

/* ------------------------------------------------------------------------------------------ */
/* LadleHttpClient */

struct _LadleHttpClient
{
  GObject        parent_instance;

  /* Owned references */
  SoupSession   *session;        /* through the system's proxies */
  SoupSession   *direct_session; /* to loopback addresses, never through a proxy; made when needed */
  SoupCookieJar *cookie_jar;     /* one, shared by both */
  GHashTable    *sockets;        /* libsoup's connection id -> its GSocket; shared with exchanges */

  guint64        memory_limit;
};

G_DEFINE_FINAL_TYPE (LadleHttpClient, ladle_http_client, G_TYPE_OBJECT)

enum {
  CLIENT_PROP_0,
  CLIENT_PROP_MEMORY_LIMIT,
  CLIENT_N_PROPS
};

static GParamSpec *client_properties[CLIENT_N_PROPS];

/* ------------------------------------------------------------------------------------------ */
/* LadleExchange */

G_DEFINE_ENUM_TYPE (LadleExchangePhase, ladle_exchange_phase,
  G_DEFINE_ENUM_VALUE (LADLE_EXCHANGE_PHASE_PENDING, "pending"),
  G_DEFINE_ENUM_VALUE (LADLE_EXCHANGE_PHASE_RESOLVING, "resolving"),
  G_DEFINE_ENUM_VALUE (LADLE_EXCHANGE_PHASE_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (LADLE_EXCHANGE_PHASE_TLS, "tls"),
  G_DEFINE_ENUM_VALUE (LADLE_EXCHANGE_PHASE_SENDING, "sending"),
  G_DEFINE_ENUM_VALUE (LADLE_EXCHANGE_PHASE_WAITING, "waiting"),
  G_DEFINE_ENUM_VALUE (LADLE_EXCHANGE_PHASE_RECEIVING, "receiving"),
  G_DEFINE_ENUM_VALUE (LADLE_EXCHANGE_PHASE_DONE, "done"),
  G_DEFINE_ENUM_VALUE (LADLE_EXCHANGE_PHASE_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (LADLE_EXCHANGE_PHASE_CANCELLED, "cancelled"))

typedef enum
{
  LIMIT_NONE,
  LIMIT_CONNECT,
  LIMIT_IDLE,
  LIMIT_TOTAL,
} Limit;

struct _LadleExchange
{
  GObject             parent_instance;

  LadleRequest       *request;
  LadleExchangePhase  phase;
  guint64             bytes_sent;
  guint64             bytes_received;
  gint64              expected_length;
  double              elapsed;

  /* Owned references */
  GTask              *task;             /* set while running; its data refs us */
  SoupMessage        *msg;
  GCancellable       *cancellable;      /* ours: user cancel and timers both cancel it */
  GCancellable       *user_cancellable;
  gulong              user_cancel_id;
  GInputStream       *body_in;
  LadleResponse      *response;
  GFile              *output_file;
  GFile              *part_file;        /* the body is written here, then renamed to… */
  GFile              *final_file;       /* …output_file, or the file its symbolic link names */
  GFile              *spill_file;       /* temporary file once the body outgrows memory */
  GFileIOStream      *spill_io;
  GOutputStream      *sink;             /* where blocks go when not in memory */
  GByteArray         *memory;
  GByteArray         *head;
  GBytes             *pending;          /* the block being written */
  GError             *error;            /* set while cleaning up after a failure */
  char               *host;
  guint               port;

  guint64             memory_limit;
  gint64              start_time;
  gint64              last_progress;
  GMainContext       *context;          /* the caller's: timers and notifies happen there */
  GSource            *connect_source;
  GSource            *idle_source;
  GSource            *total_source;
  GSource            *tick_source;
  Limit               fired;
  guint               n_redirects;
  guint               pending_redirect_status;
  char               *pending_redirect_url;
  GTlsCertificateFlags tls_errors;
  gboolean            cancelled_by_user;
  GError             *protocol_error;   /* the response broke HTTP's rules (set, then cancel) */
  GHashTable         *sockets;          /* the client's */
};

G_DEFINE_FINAL_TYPE (LadleExchange, ladle_exchange, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REQUEST,
  PROP_PHASE,
  PROP_BYTES_SENT,
  PROP_BYTES_RECEIVED,
  PROP_EXPECTED_LENGTH,
  PROP_ELAPSED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void exchange_fail    (LadleExchange *self,
                              GError        *error);
static void exchange_read    (LadleExchange *self);

static void
ladle_exchange_finalize (GObject *object)
{
  LadleExchange *self = (LadleExchange *) object;

  g_assert (self->task == NULL);
  g_assert (self->connect_source == NULL && self->idle_source == NULL);
  g_assert (self->total_source == NULL && self->tick_source == NULL);

  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_object (&self->request);
  g_clear_object (&self->msg);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->user_cancellable);
  g_clear_object (&self->body_in);
  g_clear_object (&self->response);
  g_clear_object (&self->output_file);
  g_clear_object (&self->part_file);
  g_clear_object (&self->final_file);
  g_clear_object (&self->spill_file);
  g_clear_object (&self->spill_io);
  g_clear_object (&self->sink);
  g_clear_pointer (&self->memory, g_byte_array_unref);
  g_clear_pointer (&self->head, g_byte_array_unref);
  g_clear_pointer (&self->pending, g_bytes_unref);
  g_clear_error (&self->error);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->pending_redirect_url, g_free);
  g_clear_error (&self->protocol_error);
  g_clear_pointer (&self->sockets, g_hash_table_unref);

  G_OBJECT_CLASS (ladle_exchange_parent_class)->finalize (object);
}

static void
ladle_exchange_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  LadleExchange *self = LADLE_EXCHANGE (object);

  switch (prop_id)
    {
    case PROP_REQUEST:
      g_value_set_object (value, self->request);
      break;
    case PROP_PHASE:
      g_value_set_enum (value, self->phase);
      break;
    case PROP_BYTES_SENT:
      g_value_set_uint64 (value, self->bytes_sent);
      break;
    case PROP_BYTES_RECEIVED:
      g_value_set_uint64 (value, self->bytes_received);
      break;
    case PROP_EXPECTED_LENGTH:
      g_value_set_int64 (value, self->expected_length);
      break;
    case PROP_ELAPSED:
      g_value_set_double (value, self->elapsed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_exchange_class_init (LadleExchangeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ladle_exchange_finalize;
  object_class->get_property = ladle_exchange_get_property;

  properties[PROP_REQUEST] =
    g_param_spec_object ("request", NULL, NULL, LADLE_TYPE_REQUEST,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PHASE] =
    g_param_spec_enum ("phase", NULL, NULL, LADLE_TYPE_EXCHANGE_PHASE,
                       LADLE_EXCHANGE_PHASE_PENDING,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BYTES_SENT] =
    g_param_spec_uint64 ("bytes-sent", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BYTES_RECEIVED] =
    g_param_spec_uint64 ("bytes-received", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXPECTED_LENGTH] =
    g_param_spec_int64 ("expected-length", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ELAPSED] =
    g_param_spec_double ("elapsed", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ladle_exchange_init (LadleExchange *self)
{
  self->expected_length = -1;
  self->cancellable = g_cancellable_new ();
  self->head = g_byte_array_new ();
}

/**
 * ladle_exchange_get_request:
 *
 * Returns: (transfer none): the copy of the request that is being sent
 */
LadleRequest *
ladle_exchange_get_request (LadleExchange *self)
{
  g_return_val_if_fail (LADLE_IS_EXCHANGE (self), NULL);

  return self->request;
}

LadleExchangePhase
ladle_exchange_get_phase (LadleExchange *self)
{
  g_return_val_if_fail (LADLE_IS_EXCHANGE (self), LADLE_EXCHANGE_PHASE_PENDING);

  return self->phase;
}

guint64
ladle_exchange_get_bytes_sent (LadleExchange *self)
{
  g_return_val_if_fail (LADLE_IS_EXCHANGE (self), 0);

  return self->bytes_sent;
}

/**
 * ladle_exchange_get_bytes_received:
 *
 * Returns: the body bytes received so far, decoded, of the final response
 */
guint64
ladle_exchange_get_bytes_received (LadleExchange *self)
{
  g_return_val_if_fail (LADLE_IS_EXCHANGE (self), 0);

  return self->bytes_received;
}

/**
 * ladle_exchange_get_expected_length:
 *
 * Returns: the body size announced by Content-Length (when not content-encoded), or -1
 */
gint64
ladle_exchange_get_expected_length (LadleExchange *self)
{
  g_return_val_if_fail (LADLE_IS_EXCHANGE (self), -1);

  return self->expected_length;
}

/**
 * ladle_exchange_get_elapsed:
 *
 * Returns: seconds since the send, refreshed every 100 ms while running, exact at the end
 */
double
ladle_exchange_get_elapsed (LadleExchange *self)
{
  g_return_val_if_fail (LADLE_IS_EXCHANGE (self), 0);

  return self->elapsed;
}

static void
exchange_set_phase (LadleExchange      *self,
                    LadleExchangePhase  phase)
{
  if (self->phase == phase)
    return;

  self->phase = phase;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHASE]);
}

static void
exchange_update_elapsed (LadleExchange *self)
{
  self->elapsed = (g_get_monotonic_time () - self->start_time) / (double) G_USEC_PER_SEC;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ELAPSED]);
}

static gboolean
exchange_tick_cb (gpointer data)
{
  LadleExchange *self = data;

  g_assert (LADLE_IS_EXCHANGE (self));

  exchange_update_elapsed (self);

  return G_SOURCE_CONTINUE;
}

/* Timers. A limit that fires records itself and cancels our own cancellable; the operation in
 * flight then ends with G_IO_ERROR_CANCELLED, which exchange_classify_error() turns into the
 * timeout error. The caller's cancellable is never touched. */

static void
exchange_fire (LadleExchange *self,
               Limit          limit)
{
  if (self->fired != LIMIT_NONE || self->task == NULL)
    return;

  self->fired = limit;
  g_cancellable_cancel (self->cancellable);
}

static gboolean
exchange_connect_timeout_cb (gpointer data)
{
  LadleExchange *self = data;

  g_assert (LADLE_IS_EXCHANGE (self));

  g_clear_pointer (&self->connect_source, g_source_unref);
  exchange_fire (self, LIMIT_CONNECT);

  return G_SOURCE_REMOVE;
}

static gboolean
exchange_total_timeout_cb (gpointer data)
{
  LadleExchange *self = data;

  g_assert (LADLE_IS_EXCHANGE (self));

  g_clear_pointer (&self->total_source, g_source_unref);
  exchange_fire (self, LIMIT_TOTAL);

  return G_SOURCE_REMOVE;
}

static GSource *
exchange_add_timeout (LadleExchange *self,
                      gint64         us,
                      GSourceFunc    func)
{
  GSource *source = g_timeout_source_new ((guint) MAX (1, (us + 999) / 1000));

  g_source_set_callback (source, func, self, NULL);
  g_source_attach (source, self->context);
  return source;
}

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

/* The idle timer is not re-armed on every block: it wakes up when the limit could have passed
 * and re-arms for the remainder if progress happened meanwhile. */
static gboolean
exchange_idle_timeout_cb (gpointer data)
{
  LadleExchange *self = data;
  gint64 limit_us;
  gint64 idle_us;

  g_assert (LADLE_IS_EXCHANGE (self));

  g_clear_pointer (&self->idle_source, g_source_unref);
  limit_us = (gint64) (ladle_request_get_idle_timeout (self->request) * G_USEC_PER_SEC);
  idle_us = g_get_monotonic_time () - self->last_progress;

  if (idle_us >= limit_us)
    exchange_fire (self, LIMIT_IDLE);
  else
    self->idle_source = exchange_add_timeout (self, limit_us - idle_us, exchange_idle_timeout_cb);

  return G_SOURCE_REMOVE;
}

static void
exchange_progress (LadleExchange *self)
{
  self->last_progress = g_get_monotonic_time ();
}

static void
exchange_start_connect_timer (LadleExchange *self)
{
  double seconds = ladle_request_get_connect_timeout (self->request);

  clear_source (&self->connect_source);
  if (seconds > 0)
    self->connect_source = exchange_add_timeout (self, (gint64) (seconds * G_USEC_PER_SEC),
                                                 exchange_connect_timeout_cb);
}

static void
exchange_stop_timers (LadleExchange *self)
{
  clear_source (&self->connect_source);
  clear_source (&self->idle_source);
  clear_source (&self->total_source);
  clear_source (&self->tick_source);
}

/* Turns what libsoup and GIO said into an error worded for people. */
static GError *
exchange_classify_error (LadleExchange *self,
                         const GError  *error)
{
  GError *network;
  double seconds;

  if (self->cancelled_by_user ||
      (self->user_cancellable != NULL && g_cancellable_is_cancelled (self->user_cancellable)))
    return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The request was cancelled"));

  if (self->protocol_error != NULL)
    return g_error_copy (self->protocol_error);

  switch (self->fired)
    {
    case LIMIT_CONNECT:
      seconds = ladle_request_get_connect_timeout (self->request);
      return g_error_new (LADLE_ERROR, LADLE_ERROR_TIMEOUT_CONNECT,
                          _("Timed out after %g s (connect)"), seconds);
    case LIMIT_IDLE:
      seconds = ladle_request_get_idle_timeout (self->request);
      return g_error_new (LADLE_ERROR, LADLE_ERROR_TIMEOUT_IDLE,
                          _("Timed out after %g s (idle)"), seconds);
    case LIMIT_TOTAL:
      seconds = ladle_request_get_total_timeout (self->request);
      return g_error_new (LADLE_ERROR, LADLE_ERROR_TIMEOUT_TOTAL,
                          _("Timed out after %g s (total)"), seconds);
    case LIMIT_NONE:
    default:
      break;
    }

  if (self->n_redirects > ladle_request_get_max_redirects (self->request) ||
      g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS))
    return g_error_new (LADLE_ERROR, LADLE_ERROR_TOO_MANY_REDIRECTS,
                        _("Too many redirects (more than %u)"),
                        ladle_request_get_max_redirects (self->request));

  if ((network = ladle_error_classify_network (error, self->tls_errors, self->host,
                                               self->port)) != NULL)
    return network;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
    return g_error_new_literal (LADLE_ERROR, LADLE_ERROR_TRUNCATED,
                                _("The connection closed before the whole body arrived"));

  /* A Content-Length that is not a number, or a transfer coding libsoup cannot read */
  if (g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_ENCODING) && self->msg != NULL)
    {
      SoupMessageHeaders *headers = soup_message_get_response_headers (self->msg);
      const char *length = soup_message_headers_get_list (headers, "Content-Length");
      const char *coding = soup_message_headers_get_list (headers, "Transfer-Encoding");
      g_autofree char *shown = ladle_http_escape_for_display (coding != NULL ? coding : length, -1,
                                                              60);

      if (coding != NULL)
        return g_error_new (LADLE_ERROR, LADLE_ERROR_PARSE,
                            _("The server sent a body in a transfer coding Ladle cannot read "
                              "(“%s”)"), shown);
      if (length != NULL)
        return g_error_new (LADLE_ERROR, LADLE_ERROR_PARSE,
                            _("The server sent an invalid Content-Length “%s”: the length of the "
                              "body cannot be known"), shown);
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new_literal (LADLE_ERROR, LADLE_ERROR_TIMED_OUT, error->message);

  return g_error_copy (error);
}

static void
exchange_complete (LadleExchange *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  g_autoptr(GError) error = g_steal_pointer (&self->error);

  g_assert (task != NULL);

  exchange_stop_timers (self);
  if (self->msg != NULL)
    g_signal_handlers_disconnect_by_data (self->msg, self);
  if (self->user_cancel_id != 0)
    {
      g_cancellable_disconnect (self->user_cancellable, self->user_cancel_id);
      self->user_cancel_id = 0;
    }
  g_clear_object (&self->body_in);

  /* g_task_return_error_if_cancelled() semantics: a cancel by the caller wins. */
  if (error == NULL && g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                   _("The request was cancelled"));
      g_clear_object (&self->response);
    }

  exchange_update_elapsed (self);

  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        exchange_set_phase (self, LADLE_EXCHANGE_PHASE_CANCELLED);
      else
        exchange_set_phase (self, LADLE_EXCHANGE_PHASE_FAILED);
      g_clear_object (&self->response);
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    {
      exchange_set_phase (self, LADLE_EXCHANGE_PHASE_DONE);
      g_task_return_pointer (task, g_steal_pointer (&self->response), g_object_unref);
    }
}

/* Failure: close and delete whatever was written (a partial output never keeps the final
 * name), then return the error. */
static void exchange_cleanup_step (LadleExchange *self);

static void
exchange_cleanup_closed_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  LadleExchange *self = user_data;

  g_assert (LADLE_IS_EXCHANGE (self));

  g_output_stream_close_finish (G_OUTPUT_STREAM (object), result, NULL);
  g_clear_object (&self->sink);
  g_clear_object (&self->spill_io);
  exchange_cleanup_step (self);
}

static void
exchange_cleanup_deleted_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  LadleExchange *self = user_data;

  g_assert (LADLE_IS_EXCHANGE (self));

  g_file_delete_finish (G_FILE (object), result, NULL);
  g_object_unref (object);
  exchange_cleanup_step (self);
}

static void
exchange_cleanup_step (LadleExchange *self)
{
  GFile *file;

  if (self->sink != NULL)
    {
      g_output_stream_close_async (self->sink, G_PRIORITY_DEFAULT, NULL,
                                   exchange_cleanup_closed_cb, self);
      return;
    }

  file = self->part_file != NULL ? g_steal_pointer (&self->part_file)
                                 : g_steal_pointer (&self->spill_file);
  if (file != NULL)
    {
      g_file_delete_async (file, G_PRIORITY_DEFAULT, NULL, exchange_cleanup_deleted_cb, self);
      return;
    }

  exchange_complete (self);
}

static void
exchange_fail (LadleExchange *self,
               GError        *error)
{
  g_assert (self->error == NULL);

  self->error = exchange_classify_error (self, error);
  g_error_free (error);
  g_clear_object (&self->body_in);
  exchange_stop_timers (self);
  exchange_cleanup_step (self);
}

/* Success */

static gint64
metrics_offset (guint64 t,
                guint64 base)
{
  return t == 0 || base == 0 || t < base ? 0 : (gint64) (t - base);
}

static void
exchange_succeed (LadleExchange *self)
{
  SoupMessageMetrics *metrics = soup_message_get_metrics (self->msg);
  g_autoptr(GBytes) head = g_bytes_new (self->head->data, self->head->len);
  LadleTiming timing = { 0, };
  LadleSizes sizes = { 0, };

  if (metrics != NULL)
    {
      guint64 base = soup_message_metrics_get_fetch_start (metrics);

      timing.dns_start = metrics_offset (soup_message_metrics_get_dns_start (metrics), base);
      timing.dns_end = metrics_offset (soup_message_metrics_get_dns_end (metrics), base);
      timing.connect_start = metrics_offset (soup_message_metrics_get_connect_start (metrics),
                                             base);
      timing.connect_end = metrics_offset (soup_message_metrics_get_connect_end (metrics), base);
      timing.tls_start = metrics_offset (soup_message_metrics_get_tls_start (metrics), base);
      timing.request_start = metrics_offset (soup_message_metrics_get_request_start (metrics),
                                             base);
      timing.response_start = metrics_offset (soup_message_metrics_get_response_start (metrics),
                                              base);
      timing.response_end = metrics_offset (soup_message_metrics_get_response_end (metrics), base);

      sizes.request_header_bytes = soup_message_metrics_get_request_header_bytes_sent (metrics);
      sizes.request_body_bytes = soup_message_metrics_get_request_body_bytes_sent (metrics);
      sizes.response_header_bytes =
        soup_message_metrics_get_response_header_bytes_received (metrics);
      sizes.response_body_wire_bytes =
        soup_message_metrics_get_response_body_bytes_received (metrics);
    }
  sizes.response_body_decoded_bytes = self->bytes_received;
  _ladle_response_set_metrics (self->response, &timing, &sizes);

  if (self->output_file != NULL)
    {
      _ladle_response_set_body (self->response, NULL, self->output_file, FALSE,
                                self->bytes_received, head);
    }
  else if (self->spill_file != NULL)
    {
      _ladle_response_set_body (self->response, NULL, self->spill_file, TRUE,
                                self->bytes_received, head);
      g_clear_object (&self->spill_file);
    }
  else
    {
      g_autoptr(GBytes) bytes = g_byte_array_free_to_bytes (g_steal_pointer (&self->memory));

      _ladle_response_set_body (self->response, bytes, NULL, FALSE, self->bytes_received, head);
    }

  exchange_complete (self);
}

static void
exchange_moved_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  LadleExchange *self = user_data;
  g_autoptr(GError) error = NULL;

  g_assert (LADLE_IS_EXCHANGE (self));

  if (!g_file_move_finish (G_FILE (object), result, &error))
    {
      exchange_fail (self, g_steal_pointer (&error));
      return;
    }

  g_clear_object (&self->part_file);
  exchange_succeed (self);
}

static void
exchange_sink_closed_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  LadleExchange *self = user_data;
  g_autoptr(GError) error = NULL;

  g_assert (LADLE_IS_EXCHANGE (self));

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (object), result, &error))
    {
      exchange_fail (self, g_steal_pointer (&error));
      return;
    }

  g_clear_object (&self->sink);
  g_clear_object (&self->spill_io);

  if (self->part_file != NULL)
    {
      /* A rename in the same folder: the final name appears complete or not at all. */
      g_file_move_async (self->part_file, self->final_file, G_FILE_COPY_OVERWRITE,
                         G_PRIORITY_DEFAULT, self->cancellable, NULL, NULL,
                         exchange_moved_cb, self);
      return;
    }

  exchange_succeed (self);
}

static void
exchange_body_done (LadleExchange *self)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (self->msg);

  /* Total time ends with the last body byte. */
  exchange_stop_timers (self);

  /* libsoup 3.2 reports a Content-Length body cut short as G_IO_ERROR_PARTIAL_INPUT, but a cut
   * chunked body as success (fixed in 3.6.5; doc/STACK.md §6): exchange_read_cb() catches that
   * one with chunked_body_was_cut(). The check below guards the Content-Length case. */
  if (self->expected_length >= 0 && self->bytes_received < (guint64) self->expected_length &&
      soup_message_get_method (self->msg) != SOUP_METHOD_HEAD &&
      soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    {
      exchange_fail (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT, "short"));
      return;
    }

  if (self->sink != NULL)
    {
      g_output_stream_close_async (self->sink, G_PRIORITY_DEFAULT, self->cancellable,
                                   exchange_sink_closed_cb, self);
      return;
    }

  exchange_succeed (self);
}

static void
exchange_write_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  LadleExchange *self = user_data;
  g_autoptr(GError) error = NULL;

  g_assert (LADLE_IS_EXCHANGE (self));

  g_clear_pointer (&self->pending, g_bytes_unref);
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      exchange_fail (self, g_steal_pointer (&error));
      return;
    }

  exchange_read (self);
}

static void
exchange_write (LadleExchange *self,
                GBytes        *bytes)
{
  gsize len = 0;
  const void *data = g_bytes_get_data (bytes, &len);

  g_assert (self->pending == NULL);

  self->pending = g_bytes_ref (bytes);
  g_output_stream_write_all_async (self->sink, data, len, G_PRIORITY_DEFAULT, self->cancellable,
                                   exchange_write_cb, self);
}

static void
exchange_spill_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  LadleExchange *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GFileIOStream *io = NULL;

  g_assert (LADLE_IS_EXCHANGE (self));

  self->spill_file = g_file_new_tmp_finish (result, &io, &error);
  if (self->spill_file == NULL)
    {
      exchange_fail (self, g_steal_pointer (&error));
      return;
    }

  self->spill_io = io;
  self->sink = g_object_ref (g_io_stream_get_output_stream (G_IO_STREAM (io)));
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&self->memory));
  exchange_write (self, bytes);
}

static void
exchange_body_closed_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  LadleExchange *self = user_data;
  g_autoptr(GError) error = NULL;

  g_assert (LADLE_IS_EXCHANGE (self));

  if (!g_input_stream_close_finish (G_INPUT_STREAM (object), result, &error))
    {
      exchange_fail (self, g_steal_pointer (&error));
      return;
    }

  exchange_body_done (self);
}

/* libsoup 3.2 ends a chunked body cut between two chunks (the server gone before its last, empty
 * chunk) as if it were complete; later versions report it. Ladle tells the two apart by the one
 * thing that differs on the wire: the end of a cut body is where the server closed the connection,
 * so when libsoup says "end" the peer has already shut its side (TCP CLOSE_WAIT), whereas a server
 * that kept the connection alive has not. The one server this misjudges is one that closes right
 * after a complete chunked body without having said "Connection: close" (which RFC 9112 §9.6 asks
 * it to say); a response that says it, or an HTTP/1.0 one, is taken as complete. */
static gboolean
chunked_body_was_cut (LadleExchange *self)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (self->msg);
  GSocket *socket;
  struct tcp_info info;
  socklen_t len = sizeof info;

  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CHUNKED ||
      soup_message_get_http_version (self->msg) != SOUP_HTTP_1_1 ||
      soup_message_headers_header_contains (headers, "Connection", "close") ||
      self->sockets == NULL)
    return FALSE;

  socket = g_hash_table_lookup (self->sockets,
                                GUINT_TO_POINTER (soup_message_get_connection_id (self->msg)));
  if (socket == NULL || g_socket_is_closed (socket))
    return FALSE;

  memset (&info, 0, sizeof info);
  if (getsockopt (g_socket_get_fd (socket), IPPROTO_TCP, TCP_INFO, &info, &len) != 0)
    return FALSE;

  return info.tcpi_state == TCP_CLOSE_WAIT;
}

static void
exchange_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  LadleExchange *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize len;

  g_assert (LADLE_IS_EXCHANGE (self));

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL)
    {
      exchange_fail (self, g_steal_pointer (&error));
      return;
    }

  len = g_bytes_get_size (bytes);
  if (len == 0)
    {
      if (chunked_body_was_cut (self))
        {
          exchange_fail (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                                                    "cut chunked body"));
          return;
        }

      /* Closing the stream finishes the message, which sets the response_end metric. */
      g_input_stream_close_async (self->body_in, G_PRIORITY_DEFAULT, NULL,
                                  exchange_body_closed_cb, self);
      return;
    }

  exchange_progress (self);
  if (self->head->len < LADLE_RESPONSE_SNIFF_SIZE)
    g_byte_array_append (self->head, g_bytes_get_data (bytes, NULL),
                         MIN (len, LADLE_RESPONSE_SNIFF_SIZE - self->head->len));
  self->bytes_received += len;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_RECEIVED]);

  if (self->sink != NULL)
    {
      exchange_write (self, bytes);
      return;
    }

  g_byte_array_append (self->memory, g_bytes_get_data (bytes, NULL), len);
  if (self->memory->len > self->memory_limit)
    {
      g_file_new_tmp_async ("ladle-body-XXXXXX", G_PRIORITY_DEFAULT, self->cancellable,
                            exchange_spill_cb, self);
      return;
    }

  exchange_read (self);
}

static void
exchange_read (LadleExchange *self)
{
  g_input_stream_read_bytes_async (self->body_in, READ_BLOCK_SIZE, G_PRIORITY_DEFAULT,
                                   self->cancellable, exchange_read_cb, self);
}

static void
exchange_part_created_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  LadleExchange *self = user_data;
  g_autoptr(GError) error = NULL;
  GFileOutputStream *out;

  g_assert (LADLE_IS_EXCHANGE (self));

  out = g_file_create_finish (G_FILE (object), result, &error);
  if (out == NULL)
    {
      /* Not ours: nothing to delete. */
      g_clear_object (&self->part_file);
      exchange_fail (self, g_steal_pointer (&error));
      return;
    }

  self->sink = G_OUTPUT_STREAM (out);
  exchange_read (self);
}

/* Where the body goes, decided in a worker thread (stat, realpath and open may block):
 * - no such file, or a regular file: a part file beside it (beside the file a symbolic link points
 *   to), renamed over it when the body is complete, so the name holds a whole body or what it held;
 * - a device, a pipe or a socket (/dev/null, /dev/stdout, a FIFO): written in place, since renaming
 *   over it would replace the device by a regular file;
 * - a folder: an error. */
typedef struct
{
  GFile         *output;
  GFile         *final;     /* out: what the part file is renamed to, or NULL */
  GOutputStream *direct;    /* out: the opened device or pipe, or NULL */
} OutputPlan;

static void
output_plan_free (OutputPlan *plan)
{
  g_clear_object (&plan->output);
  g_clear_object (&plan->final);
  g_clear_object (&plan->direct);
  g_free (plan);
}

static void
plan_output_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  OutputPlan *plan = task_data;
  g_autofree char *path = g_file_get_path (plan->output);
  g_autofree char *shown = g_file_get_parse_name (plan->output);
  struct stat st;

  if (path == NULL || stat (path, &st) != 0)
    {
      int saved_errno = errno;

      if (path != NULL && saved_errno != ENOENT)
        {
          g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                                   _("Cannot write the body to “%s”: %s"), shown,
                                   g_strerror (saved_errno));
          return;
        }
      /* A new file (or one GIO reaches without a local path) */
      plan->final = g_object_ref (plan->output);
    }
  else if (S_ISDIR (st.st_mode))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                               _("Cannot write the body to “%s”: it is a folder"), shown);
      return;
    }
  else if (S_ISREG (st.st_mode))
    {
      g_autofree char *real = realpath (path, NULL);

      plan->final = g_file_new_for_path (real != NULL ? real : path);
    }
  else
    {
      int fd = open (path, O_WRONLY | O_CLOEXEC | O_NOCTTY);

      if (fd < 0)
        {
          int saved_errno = errno;

          g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                                   _("Cannot write the body to “%s”: %s"), shown,
                                   g_strerror (saved_errno));
          return;
        }
      plan->direct = g_unix_output_stream_new (fd, TRUE);
    }

  g_task_return_boolean (task, TRUE);
}

static void
exchange_output_planned_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  LadleExchange *self = user_data;
  OutputPlan *plan = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  g_assert (LADLE_IS_EXCHANGE (self));

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      exchange_fail (self, g_steal_pointer (&error));
      return;
    }
  if (g_cancellable_set_error_if_cancelled (self->cancellable, &error))
    {
      exchange_fail (self, g_steal_pointer (&error));
      return;
    }

  if (plan->direct != NULL)
    {
      self->sink = g_steal_pointer (&plan->direct);
      exchange_read (self);
      return;
    }

  {
    g_autoptr(GFile) parent = g_file_get_parent (plan->final);
    g_autofree char *basename = g_file_get_basename (plan->final);
    g_autofree char *part_name = g_strdup_printf (".%s.%08x.part", basename, g_random_int ());

    g_set_object (&self->final_file, plan->final);
    self->part_file = g_file_get_child (parent, part_name);
    g_file_create_async (self->part_file, G_FILE_CREATE_NONE, G_PRIORITY_DEFAULT,
                         self->cancellable, exchange_part_created_cb, self);
  }
}

static void
exchange_open_output (LadleExchange *self)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, exchange_output_planned_cb, self);
  OutputPlan *plan = g_new0 (OutputPlan, 1);

  plan->output = g_object_ref (self->output_file);
  g_task_set_task_data (task, plan, (GDestroyNotify) output_plan_free);
  g_task_set_source_tag (task, exchange_open_output);
  g_task_run_in_thread (task, plan_output_thread);
}

static GPtrArray *
copy_headers (SoupMessageHeaders *headers)
{
  GPtrArray *array = g_ptr_array_new_with_free_func (g_free);
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      g_ptr_array_add (array, g_strdup (name));
      g_ptr_array_add (array, g_strdup (value));
    }

  return array;
}

static const char *
http_version_string (SoupHTTPVersion version)
{
  switch (version)
    {
    case SOUP_HTTP_1_0:
      return "HTTP/1.0";
    case SOUP_HTTP_2_0:
      return "HTTP/2";
    case SOUP_HTTP_1_1:
    default:
      return "HTTP/1.1";
    }
}

static void
exchange_sent_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  LadleExchange *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) headers = NULL;
  g_autofree char *final_url = NULL;
  SoupMessageHeaders *response_headers;

  g_assert (LADLE_IS_EXCHANGE (self));

  self->body_in = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (self->body_in == NULL)
    {
      exchange_fail (self, g_steal_pointer (&error));
      return;
    }

  exchange_progress (self);
  exchange_set_phase (self, LADLE_EXCHANGE_PHASE_RECEIVING);

  response_headers = soup_message_get_response_headers (self->msg);
  headers = copy_headers (response_headers);
  final_url = g_uri_to_string (soup_message_get_uri (self->msg));
  _ladle_response_set_status (self->response,
                              http_version_string (soup_message_get_http_version (self->msg)),
                              soup_message_get_status (self->msg),
                              soup_message_get_reason_phrase (self->msg),
                              headers,
                              soup_message_headers_get_content_type (response_headers, NULL),
                              final_url);

  if (self->output_file != NULL)
    {
      exchange_open_output (self);
      return;
    }

  self->memory = g_byte_array_new ();
  exchange_read (self);
}

/* SoupMessage signals: phases, progress and the timers that depend on them. */

/* The socket under each of libsoup's connections, for chunked_body_was_cut(): a connection is
 * reused by later messages without another network event. */
static void
remember_socket (LadleExchange *self,
                 GIOStream     *connection)
{
  GHashTableIter iter;
  GSocket *socket;

  if (self->sockets == NULL || !G_IS_SOCKET_CONNECTION (connection))
    return;

  /* Forget the connections that are gone */
  g_hash_table_iter_init (&iter, self->sockets);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &socket))
    if (g_socket_is_closed (socket))
      g_hash_table_iter_remove (&iter);

  g_hash_table_insert (self->sockets, GUINT_TO_POINTER (soup_message_get_connection_id (self->msg)),
                       g_object_ref (g_socket_connection_get_socket (G_SOCKET_CONNECTION (connection))));
}

static void
msg_network_event_cb (SoupMessage        *msg,
                      GSocketClientEvent  event,
                      GIOStream          *connection,
                      gpointer            user_data)
{
  LadleExchange *self = user_data;

  g_assert (LADLE_IS_EXCHANGE (self));

  exchange_progress (self);

  switch (event)
    {
    case G_SOCKET_CLIENT_RESOLVING:
      exchange_set_phase (self, LADLE_EXCHANGE_PHASE_RESOLVING);
      exchange_start_connect_timer (self);
      break;
    case G_SOCKET_CLIENT_CONNECTING:
      exchange_set_phase (self, LADLE_EXCHANGE_PHASE_CONNECTING);
      break;
    case G_SOCKET_CLIENT_CONNECTED:
      remember_socket (self, connection);
      break;
    case G_SOCKET_CLIENT_TLS_HANDSHAKING:
      exchange_set_phase (self, LADLE_EXCHANGE_PHASE_TLS);
      break;
    case G_SOCKET_CLIENT_COMPLETE:
      clear_source (&self->connect_source);
      break;
    case G_SOCKET_CLIENT_RESOLVED:
    case G_SOCKET_CLIENT_PROXY_NEGOTIATING:
    case G_SOCKET_CLIENT_PROXY_NEGOTIATED:
    case G_SOCKET_CLIENT_TLS_HANDSHAKED:
    default:
      break;
    }
}

static gboolean
msg_accept_certificate_cb (SoupMessage          *msg,
                           GTlsCertificate      *certificate,
                           GTlsCertificateFlags  errors,
                           gpointer              user_data)
{
  LadleExchange *self = user_data;

  g_assert (LADLE_IS_EXCHANGE (self));

  if (!ladle_request_get_verify_tls (self->request))
    return TRUE;

  self->tls_errors = errors;
  return FALSE;
}

static void
msg_wrote_headers_cb (SoupMessage *msg,
                      gpointer     user_data)
{
  LadleExchange *self = user_data;

  g_assert (LADLE_IS_EXCHANGE (self));

  /* Headers went out: the connection is up, reused or not. */
  clear_source (&self->connect_source);
  exchange_progress (self);
  exchange_set_phase (self, LADLE_EXCHANGE_PHASE_SENDING);
}

static void
msg_wrote_body_data_cb (SoupMessage *msg,
                        guint        chunk_size,
                        gpointer     user_data)
{
  LadleExchange *self = user_data;

  g_assert (LADLE_IS_EXCHANGE (self));

  exchange_progress (self);
  self->bytes_sent += chunk_size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_SENT]);
}

static void
msg_wrote_body_cb (SoupMessage *msg,
                   gpointer     user_data)
{
  LadleExchange *self = user_data;

  g_assert (LADLE_IS_EXCHANGE (self));

  exchange_progress (self);
  exchange_set_phase (self, LADLE_EXCHANGE_PHASE_WAITING);
}

/* libsoup 3.2 takes a negative Content-Length ("-5") for a huge one, reads nothing and calls the
 * response complete; of two different ones it keeps the last. Such a response is refused: its
 * length cannot be known. */
static gboolean
check_content_length (LadleExchange      *self,
                      SoupMessageHeaders *headers)
{
  const char *list = soup_message_headers_get_list (headers, "Content-Length");
  g_auto(GStrv) values = NULL;
  const char *first = NULL;

  if (list == NULL)
    return TRUE;

  values = g_strsplit (list, ",", -1);
  for (guint i = 0; values[i] != NULL; i++)
    {
      char *value = g_strstrip (values[i]);
      gboolean digits = *value != '\0' && strspn (value, "0123456789") == strlen (value);

      if (!digits || strlen (value) > 18 || (first != NULL && strcmp (first, value) != 0))
        {
          g_autofree char *shown = ladle_http_escape_for_display (list, -1, 60);

          g_clear_error (&self->protocol_error);
          self->protocol_error = g_error_new (LADLE_ERROR, LADLE_ERROR_PARSE,
                                              _("The server sent an invalid Content-Length “%s”: "
                                                "the length of the body cannot be known"), shown);
          g_cancellable_cancel (self->cancellable);
          return FALSE;
        }
      first = value;
    }

  return TRUE;
}

static void
msg_got_headers_cb (SoupMessage *msg,
                    gpointer     user_data)
{
  LadleExchange *self = user_data;
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  guint status = soup_message_get_status (msg);
  gint64 expected = -1;

  g_assert (LADLE_IS_EXCHANGE (self));

  exchange_progress (self);
  g_clear_pointer (&self->pending_redirect_url, g_free);

  /* A hop is only counted once libsoup restarts the message to follow it. */
  if (SOUP_STATUS_IS_REDIRECTION (status) &&
      soup_message_headers_get_one (headers, "Location") != NULL &&
      !(soup_message_get_flags (msg) & SOUP_MESSAGE_NO_REDIRECT))
    {
      self->pending_redirect_status = status;
      self->pending_redirect_url = g_uri_to_string (soup_message_get_uri (msg));
    }

  if (!check_content_length (self, headers))
    return;

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_one (headers, "Content-Encoding") == NULL)
    expected = soup_message_headers_get_content_length (headers);

  if (self->expected_length != expected)
    {
      self->expected_length = expected;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPECTED_LENGTH]);
    }
}

static void
msg_restarted_cb (SoupMessage *msg,
                  gpointer     user_data)
{
  LadleExchange *self = user_data;

  g_assert (LADLE_IS_EXCHANGE (self));

  if (self->pending_redirect_url == NULL)
    return;

  _ladle_response_add_redirect (self->response, self->pending_redirect_status,
                                self->pending_redirect_url);
  g_clear_pointer (&self->pending_redirect_url, g_free);
  self->n_redirects++;

  if (self->n_redirects > ladle_request_get_max_redirects (self->request))
    g_cancellable_cancel (self->cancellable);
}

static void
user_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  LadleExchange *self = user_data;

  /* May run in the thread that cancelled; only set a flag and forward. */
  self->cancelled_by_user = TRUE;
  g_cancellable_cancel (self->cancellable);
}

/* Request building */

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
  g_autoptr(LadleBodyStream) stream = g_object_new (LADLE_TYPE_BODY_STREAM, NULL);
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
          body_stream_add_string (stream, text);
          body_stream_add_file (stream, file);
          g_string_assign (text, "\r\n");
        }
      else
        {
          g_string_append_printf (text, "\r\n\r\n%s\r\n", value != NULL ? value : "");
        }
    }

  g_string_append_printf (text, "--%s--\r\n", boundary);
  length += text->len;
  body_stream_add_string (stream, text);

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
      if (!ladle_request_check_json_body (request, NULL, NULL, error))
        return FALSE;
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
        g_autoptr(LadleBodyStream) stream = g_object_new (LADLE_TYPE_BODY_STREAM, NULL);
        goffset size = query_file_size (file, error);

        if (size < 0)
          return FALSE;
        if (content_type == NULL || content_type[0] == '\0')
          content_type = "application/octet-stream";

        body_stream_add_file (stream, file);
        soup_message_set_request_body (msg, has_type ? NULL : content_type,
                                       G_INPUT_STREAM (stream), size);
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }

  return FALSE;
}

static SoupMessage *
build_message (LadleExchange  *self,
               GError        **error)
{
  LadleRequest *request = self->request;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *url = NULL;
  SoupMessageHeaders *headers;
  GListModel *list;
  const char *method;
  guint n;

  /* libsoup writes the method and headers as given: a line break in one would smuggle a request. */
  if (!ladle_request_validate (request, error))
    return NULL;

  url = ladle_request_dup_effective_url (request, error);
  if (url == NULL)
    return NULL;

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, error);
  if (uri == NULL)
    return NULL;

  self->host = g_strdup (g_uri_get_host (uri));
  self->port = g_uri_get_port (uri) > 0 ? (guint) g_uri_get_port (uri)
             : g_strcmp0 (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;

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

/* ------------------------------------------------------------------------------------------ */
/* LadleHttpClient */

static void
ladle_http_client_dispose (GObject *object)
{
  LadleHttpClient *self = (LadleHttpClient *) object;

  if (self->session != NULL)
    soup_session_abort (self->session);
  if (self->direct_session != NULL)
    soup_session_abort (self->direct_session);
  g_clear_object (&self->session);
  g_clear_object (&self->direct_session);
  g_clear_object (&self->cookie_jar);
  g_clear_pointer (&self->sockets, g_hash_table_unref);

  G_OBJECT_CLASS (ladle_http_client_parent_class)->dispose (object);
}

static void
ladle_http_client_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  LadleHttpClient *self = LADLE_HTTP_CLIENT (object);

  switch (prop_id)
    {
    case CLIENT_PROP_MEMORY_LIMIT:
      g_value_set_uint64 (value, self->memory_limit);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_http_client_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  LadleHttpClient *self = LADLE_HTTP_CLIENT (object);

  switch (prop_id)
    {
    case CLIENT_PROP_MEMORY_LIMIT:
      ladle_http_client_set_memory_limit (self, g_value_get_uint64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_http_client_class_init (LadleHttpClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ladle_http_client_dispose;
  object_class->get_property = ladle_http_client_get_property;
  object_class->set_property = ladle_http_client_set_property;

  /**
   * LadleHttpClient:memory-limit:
   *
   * Response bodies larger than this many bytes are kept in a temporary file.
   */
  client_properties[CLIENT_PROP_MEMORY_LIMIT] =
    g_param_spec_uint64 ("memory-limit", NULL, NULL,
                         0, G_MAXUINT64, LADLE_HTTP_CLIENT_DEFAULT_MEMORY_LIMIT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, CLIENT_N_PROPS, client_properties);
}

static SoupSession *
new_session (LadleHttpClient *self)
{
  /* Timeouts are per request and done by LadleExchange: the session's are per connection. */
  SoupSession *session = soup_session_new_with_options ("timeout", 0,
                                                        "user-agent", "Ladle ",
                                                        NULL);

  soup_session_add_feature (session, SOUP_SESSION_FEATURE (self->cookie_jar));
  return session;
}

/* The session for a request to @uri. A loopback address (Ladle's own server, the services on this
 * machine) is reached directly, never through a proxy the system names: with no resolver at all
 * libsoup turns proxies off for the session's connections, and GIO's default proxy resolver is not
 * made — loading its modules took ~2.5 ms of a one-shot `ladle send` (doc/STACK.md §14). A
 * redirect from a loopback address to another host stays on the direct session (libsoup follows
 * redirects within the message). */
static SoupSession *
session_for (LadleHttpClient *self,
             GUri            *uri)
{
  if (uri == NULL || !ladle_http_host_is_loopback (g_uri_get_host (uri)))
    return self->session;

  if (self->direct_session == NULL)
    {
      self->direct_session = new_session (self);
      soup_session_set_proxy_resolver (self->direct_session, NULL);
    }
  return self->direct_session;
}

static void
ladle_http_client_init (LadleHttpClient *self)
{
  self->memory_limit = LADLE_HTTP_CLIENT_DEFAULT_MEMORY_LIMIT;
  self->cookie_jar = soup_cookie_jar_new ();
  self->session = new_session (self);
  self->sockets = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
}

/**
 * ladle_http_client_new:
 *
 * Creates a client. Use it only from the thread that created it.
 */
LadleHttpClient *
ladle_http_client_new (void)
{
  return g_object_new (LADLE_TYPE_HTTP_CLIENT, NULL);
}

guint64
ladle_http_client_get_memory_limit (LadleHttpClient *self)
{
  g_return_val_if_fail (LADLE_IS_HTTP_CLIENT (self), 0);

  return self->memory_limit;
}

void
ladle_http_client_set_memory_limit (LadleHttpClient *self,
                                    guint64          memory_limit)
{
  g_return_if_fail (LADLE_IS_HTTP_CLIENT (self));

  if (self->memory_limit == memory_limit)
    return;

  self->memory_limit = memory_limit;
  g_object_notify_by_pspec (G_OBJECT (self), client_properties[CLIENT_PROP_MEMORY_LIMIT]);
}

/**
 * ladle_http_client_send_async:
 * @request: what to send; it is copied, later edits do not matter
 * @output_file: (nullable): write the body there (complete or not at all) instead of memory
 *
 * Returns: (transfer none): the exchange, to follow the send live; it stays alive until
 *   @callback has run (take a reference to keep it longer)
 */
LadleExchange *
ladle_http_client_send_async (LadleHttpClient     *self,
                              LadleRequest        *request,
                              GFile               *output_file,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(LadleExchange) exchange = NULL;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  double seconds;

  g_return_val_if_fail (LADLE_IS_HTTP_CLIENT (self), NULL);
  g_return_val_if_fail (LADLE_IS_REQUEST (request), NULL);
  g_return_val_if_fail (output_file == NULL || G_IS_FILE (output_file), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  exchange = g_object_new (LADLE_TYPE_EXCHANGE, NULL);
  exchange->request = ladle_request_copy (request);
  exchange->output_file = output_file != NULL ? g_object_ref (output_file) : NULL;
  exchange->memory_limit = self->memory_limit;
  exchange->sockets = g_hash_table_ref (self->sockets);
  exchange->response = _ladle_response_new ();
  exchange->start_time = g_get_monotonic_time ();
  exchange->last_progress = exchange->start_time;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ladle_http_client_send_async);
  g_task_set_task_data (task, g_object_ref (exchange), g_object_unref);
  exchange->task = g_object_ref (task);

  if (cancellable != NULL)
    {
      exchange->user_cancellable = g_object_ref (cancellable);
      exchange->user_cancel_id = g_cancellable_connect (cancellable,
                                                        G_CALLBACK (user_cancelled_cb),
                                                        exchange, NULL);
    }

  exchange->context = g_main_context_ref_thread_default ();
  exchange->tick_source = exchange_add_timeout (exchange, TICK_INTERVAL_MS * 1000,
                                                exchange_tick_cb);

  exchange->msg = build_message (exchange, &error);
  if (exchange->msg == NULL)
    {
      /* Reported from an idle (GTask never calls back from inside _async). */
      exchange_fail (exchange, g_steal_pointer (&error));
      return exchange;
    }

  g_signal_connect (exchange->msg, "network-event", G_CALLBACK (msg_network_event_cb), exchange);
  g_signal_connect (exchange->msg, "accept-certificate",
                    G_CALLBACK (msg_accept_certificate_cb), exchange);
  g_signal_connect (exchange->msg, "wrote-headers", G_CALLBACK (msg_wrote_headers_cb), exchange);
  g_signal_connect (exchange->msg, "wrote-body-data",
                    G_CALLBACK (msg_wrote_body_data_cb), exchange);
  g_signal_connect (exchange->msg, "wrote-body", G_CALLBACK (msg_wrote_body_cb), exchange);
  g_signal_connect (exchange->msg, "got-headers", G_CALLBACK (msg_got_headers_cb), exchange);
  g_signal_connect (exchange->msg, "restarted", G_CALLBACK (msg_restarted_cb), exchange);

  /* The connect timer starts now in case no network event comes (a reused connection); the
   * "resolving" event restarts it, "complete" or the first header written stops it. */
  exchange_start_connect_timer (exchange);
  seconds = ladle_request_get_idle_timeout (request);
  if (seconds > 0)
    exchange->idle_source = exchange_add_timeout (exchange, (gint64) (seconds * G_USEC_PER_SEC),
                                                  exchange_idle_timeout_cb);
  seconds = ladle_request_get_total_timeout (request);
  if (seconds > 0)
    exchange->total_source = exchange_add_timeout (exchange, (gint64) (seconds * G_USEC_PER_SEC),
                                                   exchange_total_timeout_cb);

  soup_session_send_async (session_for (self, soup_message_get_uri (exchange->msg)),
                           exchange->msg, G_PRIORITY_DEFAULT, exchange->cancellable,
                           exchange_sent_cb, exchange);

  return exchange;
}

/**
 * ladle_http_client_send_finish:
 *
 * Returns: (transfer full): the response, or %NULL with @error set: %G_IO_ERROR_CANCELLED
 *   when the caller cancelled, otherwise mostly %LADLE_ERROR (RESOLVE, CONNECTION_REFUSED, TLS,
 *   CONNECTION_RESET, TRUNCATED, TIMEOUT_CONNECT/IDLE/TOTAL, TOO_MANY_REDIRECTS, PARSE for a
 *   JSON body with a syntax error, INVALID_ARGUMENT for a bad URL, method or header, before
 *   anything is sent)
 */
LadleResponse *
ladle_http_client_send_finish (LadleHttpClient  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (LADLE_IS_HTTP_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ladle_http_client_send_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
