/* ladle-exchange.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* LadleExchange: one request on its way, followed live (phase, bytes both ways, expected length,
 * elapsed time) until its response or its error. It runs the three limits libsoup 3.2 lacks
 * (connect, idle, total: doc/STACK.md §6), reads the body in blocks into memory, a temporary file
 * or the output file, and turns what libsoup and GIO said into errors worded for people.
 * LadleHttpClient makes and starts exchanges (ladle-exchange-private.h). */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "ladle-digest.h"
#include "ladle-error.h"
#include "ladle-exchange-private.h"
#include "ladle-http-syntax.h"
#include "ladle-proxy.h"
#include "ladle-request-message.h"
#include "ladle-response-private.h"
#include "ladle-temp-files.h"
#include "ladle-tls-client.h"

#define READ_BLOCK_SIZE   (256 * 1024)   /* fewer hops between the loop and the writer thread */
#define TICK_INTERVAL_MS  100

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
  LadleResponse      *result;           /* the response, once done */
  GError             *final_error;      /* why it failed or was cancelled, once it did */
  char               *host;
  guint               port;
  guint               status;           /* the status line, once it arrived */
  char               *reason;

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
  SoupSession        *session;          /* the next hops of redirects go through it too */
  LadleRequest       *hop;              /* what the current hop sends: the request, redirected */
  SoupMessage        *next_msg;         /* the next hop's, while the redirect's body is closed */
  LadleRequest       *next_hop;
  char               *redirect_note;    /* why a redirect was not followed, or NULL */
  LadleDigest        *digest;           /* the server's last Digest challenge, answered */
  char               *oauth2_authorization; /* "Bearer …" fetched for an OAuth 2.0 request */
  GUri               *digest_origin;    /* where it came from */
  gboolean            digest_sent;      /* the current hop carries an answer to it… */
  gboolean            digest_preemptive; /* …sent before this hop's server asked */
  gboolean            digest_stale_retried;
  GTlsCertificateFlags tls_errors;
  gboolean            cancelled_by_user;
  GError             *protocol_error;   /* the response broke HTTP's rules (set, then cancel) */
  GHashTable         *sockets;          /* the client's */

  /* Transport (issue 14): the client certificate and CA bundle of the request, loaded once; the
   * manual proxy the first hop goes through (shown without its password) and its credentials */
  GTlsCertificate    *client_cert;
  GTlsDatabase       *ca_database;
  char               *proxy_shown;
  char               *proxy_user;
  char               *proxy_password;
  gboolean            reached;          /* a connection was made (the proxy's, if any) */
  gboolean            handshaking;      /* a TLS handshake started */
  gint64              transport_ready;  /* monotonic µs: TCP connected (through the proxy, if
                                         * any), for the timing's TLS step; 0 before */
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
static void exchange_attach  (LadleExchange *self);
static void exchange_start   (LadleExchange *self);

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
  g_clear_object (&self->result);
  g_clear_error (&self->final_error);
  g_clear_object (&self->output_file);
  g_clear_object (&self->part_file);
  g_clear_object (&self->final_file);
  g_clear_object (&self->spill_file);
  g_clear_object (&self->spill_io);
  g_clear_object (&self->sink);
  g_clear_pointer (&self->memory, g_byte_array_unref);
  g_clear_pointer (&self->head, g_byte_array_unref);
  g_clear_pointer (&self->reason, g_free);
  g_clear_pointer (&self->pending, g_bytes_unref);
  g_clear_error (&self->error);
  g_clear_pointer (&self->host, g_free);
  g_clear_object (&self->session);
  g_clear_object (&self->hop);
  g_clear_object (&self->next_msg);
  g_clear_object (&self->next_hop);
  g_clear_pointer (&self->redirect_note, g_free);
  g_clear_pointer (&self->oauth2_authorization, g_free);
  g_clear_pointer (&self->digest, ladle_digest_free);
  g_clear_pointer (&self->digest_origin, g_uri_unref);
  g_clear_error (&self->protocol_error);
  g_clear_pointer (&self->sockets, g_hash_table_unref);
  g_clear_object (&self->client_cert);
  g_clear_object (&self->ca_database);
  g_clear_pointer (&self->proxy_shown, g_free);
  g_clear_pointer (&self->proxy_user, g_free);
  g_clear_pointer (&self->proxy_password, g_free);

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
 * ladle_exchange_get_status:
 * @reason: (out) (optional) (transfer none): the reason phrase, or %NULL
 *
 * The status line of the final response, as soon as it arrived — also when the exchange was
 * cancelled or failed afterwards (what had arrived is then worth saying).
 *
 * Returns: the status code, or 0 while none has arrived
 */
guint
ladle_exchange_get_status (LadleExchange  *self,
                           const char    **reason)
{
  g_return_val_if_fail (LADLE_IS_EXCHANGE (self), 0);

  if (reason != NULL)
    *reason = self->reason;
  return self->status;
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

/* Transport (issue 14): failures of the proxy and of client certificates, worded before the
 * generic network ones (a refused connection to a proxy is not one to the server). */
static GError *
exchange_classify_transport (LadleExchange *self,
                             const GError  *error)
{
  /* An empty proxy in a form is the system's */
  const char *proxy = self->proxy_shown != NULL ? self->proxy_shown : "";
  char port[16];

  g_snprintf (port, sizeof port, "%u", self->port);
  if (error->domain == G_IO_ERROR)
    switch (error->code)
      {
      case G_IO_ERROR_PROXY_AUTH_FAILED:
        return ladle_error_new_form (LADLE_ERROR_CONNECTION_REFUSED, "proxy-auth-failed", proxy,
                                     NULL);
      case G_IO_ERROR_PROXY_NEED_AUTH:
        return ladle_error_new_form (LADLE_ERROR_CONNECTION_REFUSED, "proxy-need-auth", proxy,
                                     NULL);
      case G_IO_ERROR_PROXY_NOT_ALLOWED:
        return ladle_error_new_form (LADLE_ERROR_CONNECTION_REFUSED, "proxy-not-allowed", proxy,
                                     self->host, port, NULL);
      case G_IO_ERROR_PROXY_FAILED:
        return ladle_error_new_form (LADLE_ERROR_CONNECTION_REFUSED, "proxy-failed", proxy,
                                     error->message, NULL);
      case G_IO_ERROR_CONNECTION_REFUSED:
        if (self->proxy_shown != NULL && !self->reached)
          return ladle_error_new_form (LADLE_ERROR_CONNECTION_REFUSED, "proxy-refused", proxy,
                                       NULL);
        break;
      default:
        break;
      }

  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_CERTIFICATE_REQUIRED))
    return ladle_error_new_form (LADLE_ERROR_TLS, "tls-client-required", self->host, port, NULL);

  /* With TLS 1.3 a server that refuses the client certificate closes the connection after the
   * client's side of the handshake is over: before any response, on a new connection */
  if (self->client_cert != NULL && self->tls_errors == 0 && self->reached && self->status == 0)
    {
      if (error->domain == G_TLS_ERROR)
        return ladle_error_new_form (LADLE_ERROR_TLS, "tls-client-handshake", self->host, port,
                                     error->message, NULL);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED))
        return ladle_error_new_form (LADLE_ERROR_CONNECTION_RESET, "tls-client-reset", self->host,
                                     port, NULL);
    }

  return NULL;
}

/* Turns what libsoup and GIO said into an error worded for people. */
static GError *
exchange_classify_error (LadleExchange *self,
                         const GError  *error)
{
  GError *network;
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  if (self->cancelled_by_user ||
      (self->user_cancellable != NULL && g_cancellable_is_cancelled (self->user_cancellable)))
    return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The request was cancelled"));

  if (self->protocol_error != NULL)
    return g_error_copy (self->protocol_error);

  switch (self->fired)
    {
    case LIMIT_CONNECT:
      g_ascii_dtostr (number, sizeof number, ladle_request_get_connect_timeout (self->request));
      return ladle_error_new_form (LADLE_ERROR_TIMEOUT_CONNECT, "timeout-connect", number, NULL);
    case LIMIT_IDLE:
      g_ascii_dtostr (number, sizeof number, ladle_request_get_idle_timeout (self->request));
      return ladle_error_new_form (LADLE_ERROR_TIMEOUT_IDLE, "timeout-idle", number, NULL);
    case LIMIT_TOTAL:
      g_ascii_dtostr (number, sizeof number, ladle_request_get_total_timeout (self->request));
      return ladle_error_new_form (LADLE_ERROR_TIMEOUT_TOTAL, "timeout-total", number, NULL);
    case LIMIT_NONE:
    default:
      break;
    }

  if (self->n_redirects > ladle_request_get_max_redirects (self->request) ||
      g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS))
    {
      g_snprintf (number, sizeof number, "%u", ladle_request_get_max_redirects (self->request));
      return ladle_error_new_form (LADLE_ERROR_TOO_MANY_REDIRECTS, "redirects", number, NULL);
    }

  if ((network = exchange_classify_transport (self, error)) != NULL)
    return network;

  if ((network = ladle_error_classify_network (error, self->tls_errors, self->host,
                                               self->port)) != NULL)
    return network;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
    return ladle_error_new_form (LADLE_ERROR_TRUNCATED, "truncated", NULL);

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

  /* What the phase's watchers will ask for is set before the phase changes */
  if (error != NULL)
    {
      g_clear_object (&self->response);
      self->final_error = g_error_copy (error);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        exchange_set_phase (self, LADLE_EXCHANGE_PHASE_CANCELLED);
      else
        exchange_set_phase (self, LADLE_EXCHANGE_PHASE_FAILED);
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    {
      self->result = g_object_ref (self->response);
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

      /* libsoup's TLS start is its TLS_HANDSHAKING event, after glib-networking made the TLS
       * connection (the trust list copied in: 5 to 40 ms, where the loopback handshake itself
       * takes 2): the TLS step starts when the TCP connection (or the proxy's tunnel) is up */
      if (timing.tls_start > 0 && self->transport_ready > 0)
        {
          gint64 ready = metrics_offset ((guint64) self->transport_ready, base);

          if (ready >= timing.connect_start && ready < timing.tls_start)
            timing.tls_start = ready;
        }

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

  ladle_temp_files_add (self->spill_file);
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
      g_autofree char *template = ladle_temp_file_dup_template ("body", NULL);

      g_file_new_tmp_async (template, G_PRIORITY_DEFAULT, self->cancellable,
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

/* A response header as it is kept and shown: libsoup 3.2 already turned bytes that are not UTF-8
 * into U+FFFD; control characters other than a tab (an escape sequence would act on a terminal, a
 * DEL would vanish from a label) are written as \xNN. A header with none stays as it came, byte
 * for byte. */
char *
_ladle_exchange_escape_header (const char *text)
{
  GString *out;

  if (!g_utf8_validate (text, -1, NULL))
    return ladle_http_escape_for_display (text, -1, 0);

  out = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p++)
    {
      if (((guchar) *p < 0x20 && *p != '\t') || *p == 0x7f)
        g_string_append_printf (out, "\\x%02x", (guchar) *p);
      else
        g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
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
      g_ptr_array_add (array, _ladle_exchange_escape_header (name));
      g_ptr_array_add (array, _ladle_exchange_escape_header (value));
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

/* Redirects. Ladle follows them itself (libsoup 3.2 gives up after 20 hops and does not follow
 * 307 and 308 after a POST or a PUT): each hop is a new message built from the request, so a body
 * is sent again from its source — a file is opened again. The method changes as browsers (the
 * Fetch standard) and curl -L do: 303 → GET (but HEAD), 301 and 302 after a POST → GET, the body
 * and its headers dropped; 307 and 308 keep both. The user's Authorization and Cookie go only to
 * the origin they were given for. */

static gboolean
is_redirect_status (guint status)
{
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

static int
port_of (GUri *uri)
{
  if (g_uri_get_port (uri) > 0)
    return g_uri_get_port (uri);
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

static gboolean
same_origin (GUri *a,
             GUri *b)
{
  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (a) != NULL ? g_uri_get_host (a) : "",
                             g_uri_get_host (b) != NULL ? g_uri_get_host (b) : "") == 0 &&
         port_of (a) == port_of (b);
}

/* Removes the user's headers called one of @names (NULL-terminated). */
static void
remove_headers (LadleRequest       *request,
                const char * const *names)
{
  GListStore *headers = ladle_request_get_headers (request);

  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (headers)); i > 0; i--)
    {
      g_autoptr(LadleKeyValue) kv = g_list_model_get_item (G_LIST_MODEL (headers), i - 1);
      const char *name = ladle_key_value_get_name (kv);

      for (guint j = 0; name != NULL && names[j] != NULL; j++)
        if (g_ascii_strcasecmp (name, names[j]) == 0)
          {
            g_list_store_remove (headers, i - 1);
            break;
          }
    }
}

static void
exchange_note_redirect (LadleExchange *self,
                        char          *note)
{
  g_free (self->redirect_note);
  self->redirect_note = note;
}

static void
exchange_redirect_closed_cb (GObject      *object,
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
  g_clear_object (&self->body_in);

  g_signal_handlers_disconnect_by_data (self->msg, self);
  g_set_object (&self->msg, self->next_msg);
  g_set_object (&self->hop, self->next_hop);
  g_clear_object (&self->next_msg);
  g_clear_object (&self->next_hop);
  if (self->expected_length != -1)
    {
      self->expected_length = -1;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPECTED_LENGTH]);
    }
  /* The phase goes on from the network events of the next hop (or its headers written) */
  exchange_attach (self);
  exchange_start_connect_timer (self);
  exchange_start (self);
}

/* Digest authentication (RFC 7616). The first message goes without credentials; a 401 with a
 * Digest challenge is answered once, as a new hop built from the same request (so a body is sent
 * again from its source, as for a 307). A 401 to the answer ends there (a wrong password shows the
 * server's answer) unless the server says the nonce was stale: then once more with the new nonce.
 * Later hops to the same origin (redirects) carry an answer to the same nonce, its nc counted (a
 * 401 to that one is answered as a first challenge); another origin never gets one, as the
 * redirect drops the Auth tab there. */

static char *
request_target (GUri *uri)
{
  const char *path = g_uri_get_path (uri);
  const char *query = g_uri_get_query (uri);

  if (path == NULL || *path == '\0')
    path = "/";
  return query != NULL ? g_strconcat (path, "?", query, NULL) : g_strdup (path);
}

/* The OAuth 2.0 token goes with every hop that keeps the Auth tab's credentials: a hop to another
 * origin has its auth kind set to none (exchange_follow_redirect), so the token stays home. */
static void
exchange_add_oauth2 (LadleExchange *self,
                     LadleRequest  *hop,
                     SoupMessage   *msg)
{
  if (self->oauth2_authorization != NULL && ladle_request_get_auth_kind (hop) == LADLE_AUTH_OAUTH2)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                  self->oauth2_authorization);
}

/* Adds the answer to the last challenge to @msg when it goes where the challenge came from. */
static void
exchange_add_digest (LadleExchange *self,
                     LadleRequest  *hop,
                     SoupMessage   *msg,
                     gboolean       preemptive)
{
  g_autoptr(GBytes) body = NULL;
  g_autofree char *target = NULL;
  g_autofree char *authorization = NULL;

  self->digest_sent = FALSE;
  if (self->digest == NULL || ladle_request_get_auth_kind (hop) != LADLE_AUTH_DIGEST ||
      !same_origin (self->digest_origin, soup_message_get_uri (msg)))
    return;

  body = ladle_request_dup_body_bytes (hop);
  if (body == NULL && g_strcmp0 (ladle_digest_get_qop (self->digest), "auth-int") == 0)
    return;
  target = request_target (soup_message_get_uri (msg));
  authorization = ladle_digest_dup_authorization (self->digest,
                                                  ladle_request_get_auth_username (hop),
                                                  ladle_request_get_auth_password (hop),
                                                  soup_message_get_method (msg), target, body);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                authorization);
  self->digest_sent = TRUE;
  self->digest_preemptive = preemptive;
}

/* Called with the response headers of each hop that is not a redirect followed. Returns: %TRUE
 * when the exchange goes on with a new hop that answers the challenge; %FALSE when this response
 * is the final one (then a challenge not answered says why in redirect_note). */
static gboolean
exchange_answer_digest (LadleExchange *self)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(LadleDigest) digest = NULL;
  g_autoptr(LadleRequest) next = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;
  const char *www_authenticate;
  g_autofree char *from_url = NULL;

  if (ladle_request_get_auth_kind (self->hop) != LADLE_AUTH_DIGEST ||
      soup_message_get_status (self->msg) != SOUP_STATUS_UNAUTHORIZED)
    return FALSE;

  body = ladle_request_dup_body_bytes (self->hop);
  www_authenticate = soup_message_headers_get_list (soup_message_get_response_headers (self->msg),
                                                    "WWW-Authenticate");
  digest = ladle_digest_new (www_authenticate, body != NULL, &error);

  /* An answer sent ahead on a redirect may be refused for another realm: answer the new
   * challenge as a first one */
  if (self->digest_sent && !self->digest_preemptive)
    {
      /* The server refused the answer */
      if (digest != NULL && ladle_digest_get_stale (digest) && !self->digest_stale_retried)
        {
          self->digest_stale_retried = TRUE;
        }
      else
        {
          exchange_note_redirect (self, g_strdup (_("The server refused the Digest answer: check "
                                                    "the user name and the password")));
          return FALSE;
        }
    }
  else if (digest == NULL)
    {
      exchange_note_redirect (self, g_strdup_printf (_("The Digest challenge was not answered: "
                                                       "%s"),
                                                     error->message));
      return FALSE;
    }

  next = ladle_request_copy (self->hop);
  msg = ladle_request_build_message (next, &error);
  if (msg == NULL)
    {
      exchange_note_redirect (self, g_strdup_printf (_("The Digest challenge was not answered: "
                                                       "the request cannot be sent again (%s)"),
                                                     error->message));
      return FALSE;
    }

  g_clear_pointer (&self->digest, ladle_digest_free);
  self->digest = g_steal_pointer (&digest);
  g_clear_pointer (&self->digest_origin, g_uri_unref);
  self->digest_origin = g_uri_ref (soup_message_get_uri (self->msg));
  exchange_add_digest (self, next, msg, FALSE);
  exchange_add_oauth2 (self, next, msg);

  /* The 401 is a hop of its own in the response, as a redirect is */
  from_url = g_uri_to_string (soup_message_get_uri (self->msg));
  _ladle_response_add_redirect (self->response, SOUP_STATUS_UNAUTHORIZED, from_url);

  self->next_msg = g_steal_pointer (&msg);
  self->next_hop = g_steal_pointer (&next);
  /* The 401's body is not kept: closing reads the rest, so the connection can serve the answer */
  g_input_stream_close_async (self->body_in, G_PRIORITY_DEFAULT, self->cancellable,
                              exchange_redirect_closed_cb, self);
  return TRUE;
}

/* Called with the response headers of each hop. Returns: %TRUE when the exchange goes on with the
 * next hop (or failed); %FALSE when this response is the final one (then a redirect that was not
 * followed says why in redirect_note). */
static gboolean
exchange_follow_redirect (LadleExchange *self)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (self->msg);
  guint status = soup_message_get_status (self->msg);
  GUri *from = soup_message_get_uri (self->msg);
  const char *location = soup_message_headers_get_one (headers, "Location");
  const char *method;
  g_autoptr(GUri) target = NULL;
  g_autoptr(LadleRequest) next = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *from_url = NULL;
  g_autofree char *to_url = NULL;
  g_autofree char *shown = NULL;

  if (!is_redirect_status (status) || location == NULL)
    return FALSE;

  shown = ladle_http_escape_for_display (location, -1, 200);
  target = g_uri_parse_relative (from, location, G_URI_FLAGS_ENCODED | G_URI_FLAGS_PARSE_RELAXED,
                                 &error);
  if (target == NULL)
    {
      exchange_note_redirect (self, g_strdup_printf (_("The redirect (%u) was not followed: its "
                                                       "Location “%s” is not a valid URL"),
                                                     status, shown));
      return FALSE;
    }
  to_url = g_uri_to_string (target);
  if (g_strcmp0 (g_uri_get_scheme (target), "http") != 0 &&
      g_strcmp0 (g_uri_get_scheme (target), "https") != 0)
    {
      exchange_note_redirect (self, g_strdup_printf (_("The redirect (%u) to “%s” was not "
                                                       "followed: only http:// and https:// "
                                                       "addresses are followed"),
                                                     status, shown));
      return FALSE;
    }
  if (!ladle_request_get_follow_redirects (self->request))
    {
      exchange_note_redirect (self, g_strdup_printf (_("The redirect (%u) to “%s” was not "
                                                       "followed: following redirects is off"),
                                                     status, to_url));
      return FALSE;
    }

  next = ladle_request_copy (self->hop);
  method = ladle_request_get_method (next);
  if (method == NULL || method[0] == '\0')
    method = "GET";
  if ((status == 303 && strcmp (method, "GET") != 0 && strcmp (method, "HEAD") != 0) ||
      ((status == 301 || status == 302) && strcmp (method, "POST") == 0))
    {
      static const char * const body_headers[] = {
        "Content-Type", "Content-Length", "Content-Encoding", "Content-Language",
        "Content-Location", "Transfer-Encoding", NULL
      };

      ladle_request_set_method (next, "GET");
      ladle_request_set_body_kind (next, LADLE_BODY_NONE);
      remove_headers (next, body_headers);
    }
  if (!same_origin (from, target))
    {
      static const char * const credentials[] = { "Authorization", "Cookie", NULL };

      remove_headers (next, credentials);
      ladle_request_set_auth_kind (next, LADLE_AUTH_NONE);
    }
  ladle_request_set_url (next, to_url);
  g_list_store_remove_all (ladle_request_get_params (next));
  /* Like the parameters, an API key in the query is part of the URL that the Location replaces */
  if (ladle_request_get_auth_kind (next) == LADLE_AUTH_API_KEY &&
      ladle_request_get_auth_key_in (next) == LADLE_API_KEY_IN_QUERY)
    ladle_request_set_auth_kind (next, LADLE_AUTH_NONE);

  msg = ladle_request_build_message (next, &error);
  if (msg == NULL)
    {
      exchange_note_redirect (self, g_strdup_printf (_("The redirect (%u) to “%s” was not "
                                                       "followed: the request cannot be sent "
                                                       "again (%s)"),
                                                     status, to_url, error->message));
      return FALSE;
    }
  exchange_add_digest (self, next, msg, TRUE);
  exchange_add_oauth2 (self, next, msg);

  from_url = g_uri_to_string (from);
  _ladle_response_add_redirect (self->response, status, from_url);
  self->n_redirects++;
  if (self->n_redirects > ladle_request_get_max_redirects (self->request))
    {
      /* exchange_classify_error() words it */
      exchange_fail (self, g_error_new_literal (SOUP_SESSION_ERROR,
                                                SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS,
                                                "too many redirects"));
      return TRUE;
    }

  self->next_msg = g_steal_pointer (&msg);
  self->next_hop = g_steal_pointer (&next);
  /* The redirect's own body is not kept: closing reads the rest, so the connection can serve the
   * next hop. */
  g_input_stream_close_async (self->body_in, G_PRIORITY_DEFAULT, self->cancellable,
                              exchange_redirect_closed_cb, self);
  return TRUE;
}

/* Cookies. libsoup's cookie jar sets the Cookie header itself when a message starts: it replaces
 * the user's, or removes it when the jar has none for the URL. Run after it, this puts the user's
 * cookies back, first, followed by those of the jar whose names the user did not give — one
 * header, as curl sends -b and -H 'Cookie: …' beside its cookie engine's. */

static char *
user_cookies (LadleRequest *request)
{
  GListModel *headers = G_LIST_MODEL (ladle_request_get_headers (request));
  GString *out = NULL;
  guint n = g_list_model_get_n_items (headers);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LadleKeyValue) kv = g_list_model_get_item (headers, i);
      const char *value = ladle_key_value_get_value (kv);

      if (!ladle_key_value_get_enabled (kv) ||
          g_ascii_strcasecmp (ladle_key_value_get_name (kv) != NULL
                              ? ladle_key_value_get_name (kv) : "", "Cookie") != 0 ||
          value == NULL || value[0] == '\0')
        continue;
      if (out == NULL)
        out = g_string_new (value);
      else
        g_string_append_printf (out, "; %s", value);
    }

  return out != NULL ? g_string_free (out, FALSE) : NULL;
}

/* Whether the cookie list @list ("a=1; b=2") has a cookie called @name (@len bytes). */
static gboolean
cookie_list_has (const char *list,
                 const char *name,
                 gsize       len)
{
  const char *p = list;

  while (*p != '\0')
    {
      gsize n;

      while (*p == ' ' || *p == '\t' || *p == ';')
        p++;
      n = strcspn (p, "=;");
      while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
      if (n == len && memcmp (p, name, len) == 0)
        return TRUE;
      p += strcspn (p, ";");
    }

  return FALSE;
}

char *
_ladle_exchange_merge_cookies (const char *user,
                               const char *jar)
{
  GString *merged = g_string_new (user);
  const char *p = jar != NULL ? jar : "";

  while (*p != '\0')
    {
      gsize len;
      gsize name_len;

      while (*p == ' ' || *p == '\t' || *p == ';')
        p++;
      len = strcspn (p, ";");
      while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
        len--;
      name_len = strcspn (p, "=;");
      name_len = MIN (name_len, len);
      while (name_len > 0 && (p[name_len - 1] == ' ' || p[name_len - 1] == '\t'))
        name_len--;
      if (len > 0 && !cookie_list_has (user, p, name_len))
        {
          g_string_append (merged, "; ");
          g_string_append_len (merged, p, len);
        }
      p += strcspn (p, ";");
    }

  return g_string_free (merged, FALSE);
}

static void
msg_starting_cb (SoupMessage *msg,
                 gpointer     user_data)
{
  LadleExchange *self = user_data;
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  g_autofree char *user = NULL;
  g_autofree char *merged = NULL;

  g_assert (LADLE_IS_EXCHANGE (self));

  user = user_cookies (self->hop);
  if (user == NULL)
    return;
  merged = _ladle_exchange_merge_cookies (user, soup_message_headers_get_one (headers, "Cookie"));
  soup_message_headers_replace (headers, "Cookie", merged);
}

/* libsoup 3.2 gives a failed CONNECT (https:// through an HTTP proxy) as the message's own
 * response: the proxy's status, no body. It is told from the server's answer by the new
 * connection that never reached the TLS handshake. */
static GError *
exchange_check_tunnel (LadleExchange *self)
{
  guint status = soup_message_get_status (self->msg);
  GUri *uri = soup_message_get_uri (self->msg);
  char port[16];
  char code[16];

  if (self->proxy_shown == NULL || !self->reached || self->handshaking ||
      g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 || SOUP_STATUS_IS_SUCCESSFUL (status))
    return NULL;

  /* tinyproxy answers wrong credentials with 401 */
  if (status == SOUP_STATUS_PROXY_AUTHENTICATION_REQUIRED ||
      (status == SOUP_STATUS_UNAUTHORIZED && self->proxy_user != NULL))
    return ladle_error_new_form (LADLE_ERROR_CONNECTION_REFUSED,
                                 self->proxy_user != NULL ? "proxy-auth-failed"
                                                          : "proxy-need-auth",
                                 self->proxy_shown, NULL);
  g_snprintf (port, sizeof port, "%u", self->port);
  g_snprintf (code, sizeof code, "%u", status);
  return ladle_error_new_form (LADLE_ERROR_CONNECTION_REFUSED, "proxy-tunnel", self->proxy_shown,
                               self->host, port, code,
                               soup_message_get_reason_phrase (self->msg) != NULL
                               ? soup_message_get_reason_phrase (self->msg) : "", NULL);
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
  if ((error = exchange_check_tunnel (self)) != NULL)
    {
      g_clear_object (&self->body_in);
      g_clear_error (&self->protocol_error);
      self->protocol_error = g_steal_pointer (&error);
      exchange_fail (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "tunnel"));
      return;
    }

  exchange_progress (self);
  if (exchange_follow_redirect (self) || exchange_answer_digest (self))
    return;
  exchange_set_phase (self, LADLE_EXCHANGE_PHASE_RECEIVING);

  response_headers = soup_message_get_response_headers (self->msg);
  headers = copy_headers (response_headers);
  final_url = g_uri_to_string (soup_message_get_uri (self->msg));
  self->status = soup_message_get_status (self->msg);
  g_free (self->reason);
  self->reason = g_strdup (soup_message_get_reason_phrase (self->msg));
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
      self->reached = TRUE;
      self->transport_ready = g_get_monotonic_time ();
      remember_socket (self, connection);
      break;
    case G_SOCKET_CLIENT_PROXY_NEGOTIATED:
      self->transport_ready = g_get_monotonic_time ();
      break;
    case G_SOCKET_CLIENT_TLS_HANDSHAKING:
      self->handshaking = TRUE;
      exchange_set_phase (self, LADLE_EXCHANGE_PHASE_TLS);
      /* HTTP/1.1 only: libsoup set its ALPN list (h2, http/1.1) on the new connection before
       * this event and the handshake starts after it; offering only http/1.1 keeps the server
       * from choosing h2. The client's sessions keep such connections apart. */
      if (ladle_request_get_http_version (self->request) == LADLE_HTTP_VERSION_1_1 &&
          G_IS_TLS_CONNECTION (connection))
        {
          static const char * const http1[] = { "http/1.1", NULL };

          g_tls_connection_set_advertised_protocols (G_TLS_CONNECTION (connection), http1);
        }
      break;
    case G_SOCKET_CLIENT_COMPLETE:
      clear_source (&self->connect_source);
      break;
    case G_SOCKET_CLIENT_RESOLVED:
    case G_SOCKET_CLIENT_PROXY_NEGOTIATING:
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

  if (ladle_tls_client_accept_with_ca (self->ca_database, certificate, self->host, self->port,
                                       &errors))
    return TRUE;

  self->tls_errors = errors;
  return FALSE;
}

/* Credentials for a proxy that answers 407 (libsoup's own HTTP proxy code); a server's challenge
 * is left to the other handlers. */
static gboolean
msg_authenticate_proxy_cb (SoupMessage *msg,
                           SoupAuth    *auth,
                           gboolean     retrying,
                           gpointer     user_data)
{
  LadleExchange *self = user_data;

  g_assert (LADLE_IS_EXCHANGE (self));

  if (!soup_auth_is_for_proxy (auth) || retrying || self->proxy_user == NULL)
    return FALSE;

  soup_auth_authenticate (auth, self->proxy_user,
                          self->proxy_password != NULL ? self->proxy_password : "");
  return TRUE;
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
  gint64 expected = -1;

  g_assert (LADLE_IS_EXCHANGE (self));

  exchange_progress (self);

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
user_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  LadleExchange *self = user_data;

  /* May run in the thread that cancelled; only set a flag and forward. */
  self->cancelled_by_user = TRUE;
  g_cancellable_cancel (self->cancellable);
}

/**
 * ladle_exchange_get_response:
 *
 * Returns: (transfer none) (nullable): the response, once the phase is
 *   %LADLE_EXCHANGE_PHASE_DONE
 */
LadleResponse *
ladle_exchange_get_response (LadleExchange *self)
{
  g_return_val_if_fail (LADLE_IS_EXCHANGE (self), NULL);
  return self->result;
}

/**
 * ladle_exchange_get_error:
 *
 * Returns: (transfer none) (nullable): why the exchange ended without a response, once the phase
 *   is %LADLE_EXCHANGE_PHASE_FAILED or %LADLE_EXCHANGE_PHASE_CANCELLED (the error
 *   ladle_http_client_send_finish() gives)
 */
const GError *
ladle_exchange_get_error (LadleExchange *self)
{
  g_return_val_if_fail (LADLE_IS_EXCHANGE (self), NULL);
  return self->final_error;
}

/**
 * ladle_exchange_get_redirect_note:
 *
 * A redirect that was not followed (redirects are off, its Location is not an http(s) address,
 * the request cannot be sent again), said for people; the response is then the redirect itself.
 *
 * Returns: (transfer none) (nullable): why the last redirect was not followed, or %NULL
 */
const char *
ladle_exchange_get_redirect_note (LadleExchange *self)
{
  g_return_val_if_fail (LADLE_IS_EXCHANGE (self), NULL);
  return self->redirect_note;
}

/**
 * ladle_exchange_is_finished:
 *
 * Returns: whether the exchange ended (done, failed or cancelled)
 */
gboolean
ladle_exchange_is_finished (LadleExchange *self)
{
  g_return_val_if_fail (LADLE_IS_EXCHANGE (self), FALSE);
  return self->phase >= LADLE_EXCHANGE_PHASE_DONE;
}

/* Follows the current hop's message (exchange->msg) through its signals. */
static void
exchange_attach (LadleExchange *self)
{
  GUri *uri = soup_message_get_uri (self->msg);

  g_free (self->host);
  self->host = g_strdup (g_uri_get_host (uri));
  self->port = (guint) port_of (uri);

  /* Redirects are followed by exchange_follow_redirect(), not by libsoup */
  soup_message_add_flags (self->msg, SOUP_MESSAGE_NO_REDIRECT);

  g_signal_connect (self->msg, "network-event", G_CALLBACK (msg_network_event_cb), self);
  g_signal_connect (self->msg, "accept-certificate", G_CALLBACK (msg_accept_certificate_cb), self);
  g_signal_connect (self->msg, "authenticate", G_CALLBACK (msg_authenticate_proxy_cb), self);
  if (self->client_cert != NULL)
    soup_message_set_tls_client_certificate (self->msg, self->client_cert);
  g_signal_connect (self->msg, "wrote-headers", G_CALLBACK (msg_wrote_headers_cb), self);
  g_signal_connect (self->msg, "wrote-body-data", G_CALLBACK (msg_wrote_body_data_cb), self);
  g_signal_connect (self->msg, "wrote-body", G_CALLBACK (msg_wrote_body_cb), self);
  g_signal_connect (self->msg, "got-headers", G_CALLBACK (msg_got_headers_cb), self);
  /* After the cookie jar's handler, which the session connects when the message is queued */
  if (ladle_request_get_use_cookies (self->hop))
    g_signal_connect_after (self->msg, "starting", G_CALLBACK (msg_starting_cb), self);
}

static void
exchange_start (LadleExchange *self)
{
  soup_session_send_async (self->session, self->msg, G_PRIORITY_DEFAULT, self->cancellable,
                           exchange_sent_cb, self);
}

/* ------------------------------------------------------------------------------------------ */
/* For LadleHttpClient (ladle-exchange-private.h) */

/* A new exchange for a copy of @request, not started */
LadleExchange *
_ladle_exchange_new (LadleRequest *request,
                     GFile        *output_file,
                     guint64       memory_limit,
                     GHashTable   *sockets)
{
  LadleExchange *exchange = g_object_new (LADLE_TYPE_EXCHANGE, NULL);

  exchange->request = ladle_request_copy (request);
  exchange->output_file = output_file != NULL ? g_object_ref (output_file) : NULL;
  exchange->memory_limit = memory_limit;
  exchange->sockets = g_hash_table_ref (sockets);
  exchange->response = _ladle_response_new ();
  exchange->start_time = g_get_monotonic_time ();
  exchange->last_progress = exchange->start_time;
  return exchange;
}

/* Transport (issue 14): loads the client certificate and the CA bundle, and notes the manual
 * proxy, before anything is sent; a file that cannot be used fails the request. */
static gboolean
exchange_setup_transport (LadleExchange  *self,
                          GError        **error)
{
  LadleRequest *request = self->request;
  const char *cert = ladle_request_get_tls_cert_file (request);
  const char *ca = ladle_request_get_tls_ca_file (request);
  GUri *uri = soup_message_get_uri (self->msg);

  if (cert != NULL && *cert != '\0')
    {
      self->client_cert = ladle_tls_client_load_certificate (cert,
                                                             ladle_request_get_tls_key_file (request),
                                                             ladle_request_get_tls_cert_password (request),
                                                             error);
      if (self->client_cert == NULL)
        return FALSE;
    }
  if (ca != NULL && *ca != '\0')
    {
      self->ca_database = ladle_tls_client_load_ca (ca, error);
      if (self->ca_database == NULL)
        return FALSE;
    }

  if (ladle_request_get_proxy_mode (request) == LADLE_PROXY_MANUAL &&
      !ladle_proxy_host_bypassed (ladle_request_get_no_proxy (request), g_uri_get_host (uri)))
    {
      const char *url = ladle_request_get_proxy_url (request);
      const char *user = ladle_request_get_proxy_username (request);
      g_autofree char *resolver_uri = ladle_proxy_resolver_uri (url, user,
                                                                ladle_request_get_proxy_password (request),
                                                                error);
      g_autoptr(GUri) parsed = NULL;

      if (resolver_uri == NULL)
        return FALSE;
      parsed = g_uri_parse (resolver_uri, G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED, NULL);
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
    }
  return TRUE;
}

/* Ties the exchange to @task (whose data it becomes), builds its message and starts its timers.
 * Returns: (transfer none) (nullable): the message to send, or %NULL when the request cannot be
 *   sent: the exchange then failed, and @task returns the error from an idle */
/* The exchange's task, the user's cancellable and the progress tick: what an exchange has from
 * its start, sent or not. */
static void
exchange_begin (LadleExchange *exchange,
                GTask         *task,
                GCancellable  *cancellable)
{
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
}

/* An exchange that ends before its request is built, e.g. because no OAuth 2.0 token could be
 * had: it fails (or is cancelled) as a send would, from an idle. */
void
_ladle_exchange_fail_unsent (LadleExchange *exchange,
                             GTask         *task,
                             GCancellable  *cancellable,
                             GError        *error)
{
  exchange_begin (exchange, task, cancellable);
  exchange_fail (exchange, error);
}

/* The Authorization value (an OAuth 2.0 token) sent with the request and with every hop that
 * keeps the Auth tab's credentials; set before _ladle_exchange_prepare(). */
void
_ladle_exchange_set_authorization (LadleExchange *exchange,
                                   const char    *authorization)
{
  g_free (exchange->oauth2_authorization);
  exchange->oauth2_authorization = g_strdup (authorization);
}

SoupMessage *
_ladle_exchange_prepare (LadleExchange *exchange,
                         GTask         *task,
                         GCancellable  *cancellable)
{
  g_autoptr(GError) error = NULL;
  double seconds;

  exchange_begin (exchange, task, cancellable);
  exchange->msg = ladle_request_build_message (exchange->request, &error);
  if (exchange->msg == NULL)
    {
      /* Reported from an idle (GTask never calls back from inside _async). */
      exchange_fail (exchange, g_steal_pointer (&error));
      return NULL;
    }
  exchange_add_oauth2 (exchange, exchange->request, exchange->msg);

  if (!exchange_setup_transport (exchange, &error))
    {
      exchange_fail (exchange, g_steal_pointer (&error));
      return NULL;
    }

  exchange->hop = g_object_ref (exchange->request);
  exchange_attach (exchange);

  /* The connect timer starts now in case no network event comes (a reused connection); the
   * "resolving" event restarts it, "complete" or the first header written stops it. */
  exchange_start_connect_timer (exchange);
  seconds = ladle_request_get_idle_timeout (exchange->request);
  if (seconds > 0)
    exchange->idle_source = exchange_add_timeout (exchange, (gint64) (seconds * G_USEC_PER_SEC),
                                                  exchange_idle_timeout_cb);
  seconds = ladle_request_get_total_timeout (exchange->request);
  if (seconds > 0)
    exchange->total_source = exchange_add_timeout (exchange, (gint64) (seconds * G_USEC_PER_SEC),
                                                   exchange_total_timeout_cb);

  return exchange->msg;
}

/* Fails a prepared exchange that cannot be sent (its transport cannot be set up) */
void
_ladle_exchange_fail (LadleExchange *exchange,
                      GError        *error)
{
  exchange_fail (exchange, error);
}

/* Sends the prepared message through @session (and the next hops of redirects too) */
void
_ladle_exchange_send (LadleExchange *exchange,
                      SoupSession   *session)
{
  g_set_object (&exchange->session, session);
  if (exchange->client_cert != NULL)
    g_object_set_data_full (G_OBJECT (session), LADLE_SESSION_CLIENT_CERTIFICATE,
                            g_object_ref (exchange->client_cert), g_object_unref);
  exchange_start (exchange);
}
