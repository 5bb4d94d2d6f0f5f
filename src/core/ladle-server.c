/* ladle-server.c
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
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "ladle-conn-guard.h"
#include "ladle-error.h"
#include "ladle-httpbin.h"
#include "ladle-listener.h"
#include "ladle-tls-cert.h"
#include "ladle-mock-routes.h"
#include "ladle-oauth-provider.h"
#include "ladle-server.h"
#include "ladle-server-event-private.h"
#include "ladle-server-conn.h"
#include "ladle-upload.h"
#include "ladle-websocket-codec.h"
#include "ladle-websocket-stream.h"

/* LadleServer is the embedded HTTP + WebSocket server. The object lives on the thread that made it
 * (the "owner", the UI thread or the CLI's main thread); the SoupServer and everything it touches
 * live on a thread of their own with its own GMainContext (doc/STACK.md §8), so neither side can
 * stall the other. The two meet in three places only:
 *
 *  - start/stop: the owner binds the socket (so errors such as "address in use" come back at once),
 *    hands it to the server thread and waits for it to report readiness; stop asks the server
 *    thread to clean up and joins it.
 *  - configuration: copied into a Runtime at start; mock routes are swapped in as an immutable
 *    LadleMockRouter under a mutex (a request sent after the swap sees the new routes), and the
 *    access log is switched with an atomic flag.
 *  - events: the server thread queues one LadleServerEvent per request (and the files each
 *    upload stored), and one GSource on the owner's context delivers them in batches as the
 *    "request-logged" (and "files-stored") signal. */

#define EVENT_BATCH_DELAY_US 10000

typedef struct _Runtime Runtime;

typedef struct
{
  GMutex        mutex;
  GPtrArray    *pending;        /* LadleServerEvent, or GListModel of LadleStoredFile; mutex */
  gboolean      scheduled;      /* under mutex */
  GSource      *source;         /* on the owner's context */
  GWeakRef      server;
} EventQueue;

struct _Runtime
{
  /* Set at start, read-only afterwards */
  GMainContext    *context;
  GMainLoop       *loop;
  GSocket         *listen_socket;
  GTlsCertificate *tls_certificate;  /* HTTPS when set */
  char            *uploads_dir;
  guint64          max_upload_size;
  guint64          max_body_size;
  guint            idle_timeout_ms;
  guint            keepalive_timeout_ms;
  guint64          max_ws_message;
  guint            ws_ping_interval;  /* seconds, 0 for none */
  guint            max_connections;
  guint64          max_body_memory;
  EventQueue      *events;
  int              log_requests;   /* atomic */

  /* The owner swaps the mock routes while the server thread reads them */
  GMutex           router_lock;
  LadleMockRouter *router;

  /* Server thread only */
  SoupServer      *soup;
  LadleListener   *listener;
  GMainContext    *unused_context;  /* where libsoup's own listener waits, never run */
  LadleConnGuard  *guard;
  guint64          body_memory;     /* bytes of request bodies held, against max_body_memory */
  LadleNameHints  *name_hints;      /* for uploads' file names; used by worker threads */
  int              stopping;        /* atomic */
  guint            n_finishing;     /* uploads whose files a worker is moving */
  guint64          body_memory_peak;
  guint            n_tls_handshakes;  /* completed */
  guint            n_tls_failed;
  GHashTable      *uploads;       /* RequestState* set: uploads in flight */
  GHashTable      *handshakes;    /* Handshake* set: TLS handshakes not done */
  GHashTable      *websockets;    /* WsPeer* -> itself (owned) */
  GPtrArray       *ws_extensions; /* SoupWebsocketExtensionClass*, for the handshake */

  /* Start handshake */
  GMutex           mutex;
  GCond            cond;
  gboolean         ready;
  GError          *error;

  LadleServerStats stats;           /* for the owner, under mutex */
};

typedef struct
{
  Runtime     *rt;              /* a reference */
  gint64       start_real;
  gint64       start_mono;
  guint64      request_bytes;
  guint64      limit;
  GByteArray  *body_head;
  LadleUpload *upload;
  gboolean     rejected;
  gboolean     logged;          /* log-requests when the request started */
  char        *remote_host;     /* read when the request started, for the log */
  guint64      reserved;        /* bytes of rt->body_memory this request holds */
} RequestState;

struct _LadleServer
{
  GObject          parent_instance;

  /* Configuration */
  char            *host;
  guint            port;
  char            *uploads_dir;
  guint64          max_upload_size;
  guint64          max_body_size;
  guint64          max_ws_message_size;
  guint            ws_ping_interval;
  double           idle_timeout;
  gboolean         log_requests;
  guint            max_connections;
  guint64          max_body_memory;
  LadleMockRouter *router;
  GTlsCertificate *tls_certificate;

  /* Running state */
  GThread         *thread;
  Runtime         *rt;
  guint            bound_port;
};

G_DEFINE_FINAL_TYPE (LadleServer, ladle_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HOST,
  PROP_PORT,
  PROP_UPLOADS_DIR,
  PROP_MAX_UPLOAD_SIZE,
  PROP_MAX_BODY_SIZE,
  PROP_MAX_WS_MESSAGE_SIZE,
  PROP_WS_PING_INTERVAL,
  PROP_IDLE_TIMEOUT,
  PROP_LOG_REQUESTS,
  PROP_MAX_CONNECTIONS,
  PROP_MAX_BODY_MEMORY,
  PROP_TLS_CERTIFICATE,
  PROP_RUNNING,
  PROP_BOUND_PORT,
  N_PROPS
};

enum {
  REQUEST_LOGGED,
  FILES_STORED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];
static GQuark request_state_quark;

/* ------------------------------------------------------------------------------------------------
 * Events: server thread -> owner thread
 */

static gboolean
event_queue_dispatch (gpointer data)
{
  EventQueue *queue = data;
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(LadleServer) self = NULL;

  g_mutex_lock (&queue->mutex);
  batch = g_steal_pointer (&queue->pending);
  queue->pending = g_ptr_array_new_with_free_func (g_object_unref);
  queue->scheduled = FALSE;
  g_source_set_ready_time (queue->source, -1);
  g_mutex_unlock (&queue->mutex);

  self = g_weak_ref_get (&queue->server);
  if (self == NULL)
    return G_SOURCE_CONTINUE;

  for (guint i = 0; i < batch->len; i++)
    {
      gpointer item = g_ptr_array_index (batch, i);

      if (LADLE_IS_SERVER_EVENT (item))
        g_signal_emit (self, signals[REQUEST_LOGGED], 0, item);
      else
        g_signal_emit (self, signals[FILES_STORED], 0, item);
    }

  return G_SOURCE_CONTINUE;
}

/* A source driven only by its ready time, which the server thread sets under the queue's
 * mutex. (A timeout source would re-arm itself after each dispatch and could overwrite a ready
 * time set meanwhile, losing the wake-up.) */
static gboolean
event_source_dispatch (GSource     *source,
                       GSourceFunc  callback,
                       gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs event_source_funcs = {
  NULL, NULL, event_source_dispatch, NULL, NULL, NULL,
};

static EventQueue *
event_queue_new (LadleServer *server)
{
  EventQueue *queue = g_new0 (EventQueue, 1);

  g_mutex_init (&queue->mutex);
  queue->pending = g_ptr_array_new_with_free_func (g_object_unref);
  g_weak_ref_init (&queue->server, server);
  queue->source = g_source_new (&event_source_funcs, sizeof (GSource));
  g_source_set_ready_time (queue->source, -1);
  g_source_set_name (queue->source, "[ladle] server events");
  g_source_set_callback (queue->source, event_queue_dispatch, queue, NULL);
  g_source_attach (queue->source, g_main_context_get_thread_default ());

  return queue;
}

/* Delivers what is still queued, synchronously, then detaches. Owner thread. */
static void
event_queue_free (EventQueue *queue)
{
  event_queue_dispatch (queue);
  g_source_destroy (queue->source);
  g_source_unref (queue->source);
  g_ptr_array_unref (queue->pending);
  g_weak_ref_clear (&queue->server);
  g_mutex_clear (&queue->mutex);
  g_free (queue);
}

/* Server thread. Takes @event: a LadleServerEvent, or a GListModel of LadleStoredFile. */
static void
event_queue_push (EventQueue *queue,
                  gpointer    event)
{
  g_mutex_lock (&queue->mutex);
  g_ptr_array_add (queue->pending, event);
  if (!queue->scheduled)
    {
      queue->scheduled = TRUE;
      /* A short delay turns a flood of requests into batches for the owner. */
      g_source_set_ready_time (queue->source, g_get_monotonic_time () + EVENT_BATCH_DELAY_US);
    }
  g_mutex_unlock (&queue->mutex);
}

/* ------------------------------------------------------------------------------------------------
 * Runtime (server thread, except where said)
 */

static Runtime *
runtime_ref (Runtime *rt)
{
  return g_atomic_rc_box_acquire (rt);
}

static void
runtime_clear (Runtime *rt)
{
  g_clear_pointer (&rt->loop, g_main_loop_unref);
  g_clear_pointer (&rt->context, g_main_context_unref);
  g_clear_pointer (&rt->unused_context, g_main_context_unref);
  g_clear_object (&rt->listen_socket);
  g_clear_object (&rt->tls_certificate);
  g_clear_pointer (&rt->uploads_dir, g_free);
  g_clear_pointer (&rt->router, ladle_mock_router_unref);
  g_mutex_clear (&rt->router_lock);
  g_clear_pointer (&rt->uploads, g_hash_table_unref);
  g_clear_pointer (&rt->handshakes, g_hash_table_unref);
  g_clear_pointer (&rt->name_hints, ladle_name_hints_free);
  g_clear_pointer (&rt->websockets, g_hash_table_unref);
  g_clear_pointer (&rt->ws_extensions, g_ptr_array_unref);
  g_clear_error (&rt->error);
  g_mutex_clear (&rt->mutex);
  g_cond_clear (&rt->cond);
}

static void
runtime_unref (Runtime *rt)
{
  g_atomic_rc_box_release_full (rt, (GDestroyNotify) runtime_clear);
}

static void
request_state_free (RequestState *rs)
{
  if (rs->upload != NULL)
    {
      if (rs->rt->uploads != NULL)
        g_hash_table_remove (rs->rt->uploads, rs);
      g_clear_pointer (&rs->upload, ladle_upload_free);
    }
  g_clear_pointer (&rs->body_head, g_byte_array_unref);
  rs->rt->body_memory -= rs->reserved;
  g_clear_pointer (&rs->rt, runtime_unref);
  g_free (rs->remote_host);
  g_free (rs);
}

static RequestState *
get_request_state (SoupServerMessage *msg)
{
  return g_object_get_qdata (G_OBJECT (msg), request_state_quark);
}

static void
set_json_response (SoupServerMessage *msg,
                   guint              status,
                   JsonNode          *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  char *data;
  gsize len;

  json_generator_set_root (generator, node);
  data = json_generator_to_data (generator, &len);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, data, len);
}

static void
set_error_response (SoupServerMessage *msg,
                    guint              status,
                    const char        *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  set_json_response (msg, status, node);
}

/* Whether libsoup still has body bytes of @msg to read (and would read them all, dropping them,
 * before answering). With Expect: 100-continue and nothing read yet, it answers at once instead. */
static gboolean
body_still_coming (SoupServerMessage *msg,
                   RequestState      *rs)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (rs->request_bytes == 0 &&
      (soup_message_headers_get_expectations (headers) & SOUP_EXPECTATION_CONTINUE))
    return FALSE;

  switch (soup_message_headers_get_encoding (headers))
    {
    case SOUP_ENCODING_CHUNKED:
    case SOUP_ENCODING_EOF:
      return TRUE;
    case SOUP_ENCODING_CONTENT_LENGTH:
      return rs->request_bytes < (guint64) soup_message_headers_get_content_length (headers);
    default:
      return FALSE;
    }
}

/* Refuses a request before or while its body is read. The body, if any, is not kept; the
 * connection is closed afterwards so that an unread body cannot be taken for a next request.
 * When more of the body is on its way, the connection answers at once and closes (after a
 * lingering read), rather than libsoup reading the rest (a gigabyte, say) just to drop it. */
static void
reject_request (SoupServerMessage *msg,
                RequestState      *rs,
                guint              status,
                const char        *message)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  LadleServerConn *conn = ladle_server_conn_from_message (msg);

  rs->rejected = TRUE;
  if (rs->upload != NULL)
    {
      g_hash_table_remove (rs->rt->uploads, rs);
      g_clear_pointer (&rs->upload, ladle_upload_free);
    }
  rs->rt->body_memory -= rs->reserved;
  rs->reserved = 0;

  soup_message_body_set_accumulate (body, FALSE);
  soup_message_body_truncate (body);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Connection", "close");
  set_error_response (msg, status, message);

  if (conn != NULL && body_still_coming (msg, rs))
    ladle_server_conn_refuse (conn, status, message);
}

/* Takes @bytes more of the server-wide allowance for request bodies held in memory. */
static gboolean
reserve_body_memory (Runtime      *rt,
                     RequestState *rs,
                     guint64       bytes)
{
  if (rt->max_body_memory > 0 && rt->body_memory + bytes > rt->max_body_memory)
    return FALSE;

  rt->body_memory += bytes;
  rs->reserved += bytes;
  rt->body_memory_peak = MAX (rt->body_memory_peak, rt->body_memory);
  return TRUE;
}

/* An answer built in memory (httpbin's echo of a body is that body again, in base64 for binary)
 * stays there until it is written: it counts against the allowance too, without being refused,
 * so that while big answers go out no new big body is taken in. Small ones are not counted. */
static void
hold_response_memory (Runtime           *rt,
                      SoupServerMessage *msg,
                      RequestState      *rs)
{
  goffset length = soup_server_message_get_response_body (msg)->length;

  if (rs == NULL || length < 64 * 1024)
    return;

  rt->body_memory += length;
  rs->reserved += length;
  rt->body_memory_peak = MAX (rt->body_memory_peak, rt->body_memory);
}

static void
reject_for_memory (SoupServerMessage *msg,
                   RequestState      *rs)
{
  g_autofree char *limit = g_format_size_full (rs->rt->max_body_memory, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *message =
    g_strdup_printf (_("The server holds %s of request bodies already; try again shortly"), limit);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After",
                                "1");
  reject_request (msg, rs, SOUP_STATUS_SERVICE_UNAVAILABLE, message);
}

static char *
format_size (guint64 bytes)
{
  return g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);
}

static void
on_got_chunk (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  Runtime *rt = user_data;
  RequestState *rs = get_request_state (msg);
  gsize len = g_bytes_get_size (chunk);
  const guint8 *data = g_bytes_get_data (chunk, NULL);

  ladle_conn_guard_progress (rt->guard, msg);
  rs->request_bytes += len;

  if (rs->body_head->len < LADLE_SERVER_EVENT_BODY_HEAD_MAX)
    g_byte_array_append (rs->body_head, data,
                         MIN (len, LADLE_SERVER_EVENT_BODY_HEAD_MAX - rs->body_head->len));

  if (rs->rejected)
    return;

  if (rs->limit > 0 && rs->request_bytes > rs->limit)
    {
      g_autofree char *limit = format_size (rs->limit);
      g_autofree char *message = g_strdup_printf (_("The request body is larger than the limit of %s"),
                                                  limit);

      reject_request (msg, rs, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, message);
      return;
    }

  if (rs->upload != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!ladle_upload_feed (rs->upload, data, len, &error))
        reject_request (msg, rs, ladle_upload_status_for_error (error), error->message);
      return;
    }

  /* Kept in memory (accumulated by libsoup): within the server-wide allowance */
  if (rs->request_bytes > rs->reserved &&
      !reserve_body_memory (rt, rs, rs->request_bytes - rs->reserved))
    reject_for_memory (msg, rs);
}

static LadleMockRouter *
runtime_dup_router (Runtime *rt)
{
  LadleMockRouter *router;

  g_mutex_lock (&rt->router_lock);
  router = rt->router ? ladle_mock_router_ref (rt->router) : NULL;
  g_mutex_unlock (&rt->router_lock);

  return router;
}

static gboolean
route_is_mocked (Runtime    *rt,
                 const char *method,
                 const char *path)
{
  LadleMockRouter *router = runtime_dup_router (rt);
  gboolean mocked = FALSE;

  if (router != NULL)
    {
      mocked = ladle_mock_router_match (router, method, path, NULL);
      ladle_mock_router_unref (router);
    }

  return mocked;
}

static void
on_got_headers (SoupServerMessage *msg,
                gpointer           user_data)
{
  Runtime *rt = user_data;
  RequestState *rs = get_request_state (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);
  const char *method = soup_server_message_get_method (msg);
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  gboolean is_upload;

  ladle_conn_guard_progress (rt->guard, msg);

  /* A WebSocket handshake answers "Connection: Upgrade"; two Connection headers confuse peers. */
  if (soup_message_headers_header_contains (headers, "Upgrade", "websocket"))
    soup_message_headers_remove (soup_server_message_get_response_headers (msg), "Connection");

  /* libsoup already answered (bad request line, auth...): nothing to add. */
  if (soup_server_message_get_status (msg) != 0)
    return;

  is_upload = g_strcmp0 (method, SOUP_METHOD_POST) == 0 &&
              g_strcmp0 (path, LADLE_SERVER_UPLOAD_PATH) == 0 &&
              !route_is_mocked (rt, method, path);
  rs->limit = is_upload ? rt->max_upload_size : rt->max_body_size;

  if (rs->limit > 0 && encoding == SOUP_ENCODING_CONTENT_LENGTH &&
      (guint64) soup_message_headers_get_content_length (headers) > rs->limit)
    {
      g_autofree char *limit = format_size (rs->limit);
      g_autofree char *message = g_strdup_printf (_("The request body is larger than the limit of %s"),
                                                  limit);

      /* Set before the 100-continue point, so a client that sent Expect uploads nothing. */
      reject_request (msg, rs, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, message);
      return;
    }

  if (is_upload)
    {
      g_autoptr(GHashTable) params = NULL;
      g_autoptr(GError) error = NULL;
      const char *content_type = soup_message_headers_get_content_type (headers, &params);

      if (g_strcmp0 (content_type, "multipart/form-data") != 0)
        {
          reject_request (msg, rs, SOUP_STATUS_BAD_REQUEST,
                          _("An upload must be sent as multipart/form-data"));
          return;
        }

      rs->upload = ladle_upload_new (rt->uploads_dir,
                                     params ? g_hash_table_lookup (params, "boundary") : NULL,
                                     &error);
      if (rs->upload == NULL)
        {
          reject_request (msg, rs, SOUP_STATUS_BAD_REQUEST, error->message);
          return;
        }

      g_hash_table_add (rt->uploads, rs);
      /* Stream: keep nothing in memory (doc/STACK.md §1). */
      soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
    }

  /* A body kept in memory whose length is known takes its share of the allowance now, before
   * any of it is read. */
  if (!is_upload && encoding == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > 0 &&
      !reserve_body_memory (rt, rs, soup_message_headers_get_content_length (headers)))
    {
      reject_for_memory (msg, rs);
      return;
    }

  if (encoding == SOUP_ENCODING_CHUNKED || encoding == SOUP_ENCODING_EOF ||
      (encoding == SOUP_ENCODING_CONTENT_LENGTH &&
       soup_message_headers_get_content_length (headers) > 0))
    g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), rt);
}

static void
on_request_started (SoupServer        *soup,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  Runtime *rt = user_data;
  RequestState *rs = g_new0 (RequestState, 1);

  rs->rt = runtime_ref (rt);
  rs->start_real = g_get_real_time ();
  rs->start_mono = g_get_monotonic_time ();
  rs->body_head = g_byte_array_new ();
  rs->logged = g_atomic_int_get (&rt->log_requests);
  if (rs->logged)
    rs->remote_host = g_strdup (_ladle_server_message_get_peer (msg));
  g_object_set_qdata_full (G_OBJECT (msg), request_state_quark, rs,
                           (GDestroyNotify) request_state_free);

  ladle_conn_guard_reading (rt->guard, msg);
  if (!ladle_conn_guard_can_keep_alive (rt->guard))
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "Connection", "close");

  g_signal_connect (msg, "got-headers", G_CALLBACK (on_got_headers), rt);
}

static char *
dup_path_and_query (SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);
  const char *query;

  if (uri == NULL)
    return NULL;

  query = g_uri_get_query (uri);
  if (query != NULL)
    return g_strconcat (g_uri_get_path (uri), "?", query, NULL);
  return g_strdup (g_uri_get_path (uri));
}

static void
log_request (Runtime              *rt,
             SoupServerMessage    *msg,
             LadleServerEventKind  kind,
             guint                 status)
{
  RequestState *rs = get_request_state (msg);
  g_autofree char *path = NULL;
  g_autoptr(GBytes) body_head = NULL;
  SoupMessageBody *request_body;
  guint64 request_bytes;
  gint64 duration;

  if (rs == NULL || soup_server_message_get_method (msg) == NULL || !rs->logged)
    return;

  path = dup_path_and_query (msg);
  request_body = soup_server_message_get_request_body (msg);
  request_bytes = rs->request_bytes;

  /* Bodies nobody streamed are in the message. */
  if (rs->body_head->len == 0 && request_body->length > 0)
    {
      g_autoptr(GBytes) flat = soup_message_body_flatten (request_body);
      gsize len = MIN (g_bytes_get_size (flat), LADLE_SERVER_EVENT_BODY_HEAD_MAX);

      body_head = g_bytes_new_from_bytes (flat, 0, len);
      request_bytes = MAX (request_bytes, (guint64) request_body->length);
    }
  else
    {
      body_head = g_bytes_new (rs->body_head->data, rs->body_head->len);
    }

  duration = g_get_monotonic_time () - rs->start_mono;

  event_queue_push (rt->events,
                    _ladle_server_event_new (kind,
                                             rs->start_real,
                                             rs->remote_host,
                                             soup_server_message_get_method (msg),
                                             path,
                                             status,
                                             request_bytes,
                                             soup_server_message_get_response_body (msg)->length,
                                             duration,
                                             soup_server_message_get_request_headers (msg),
                                             body_head));
}

static void
on_request_finished (SoupServer        *soup,
                     SoupServerMessage *msg,
                     gpointer           user_data)
{
  Runtime *rt = user_data;

  log_request (rt, msg, LADLE_SERVER_EVENT_HTTP, soup_server_message_get_status (msg));
  ladle_conn_guard_idle (rt->guard, msg);
}

static void
on_request_aborted (SoupServer        *soup,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  Runtime *rt = user_data;
  RequestState *rs = get_request_state (msg);
  LadleServerConn *conn = ladle_server_conn_from_message (msg);
  guint refused = conn != NULL ? ladle_server_conn_get_refusal (conn, NULL) : 0;

  /* A client that went away mid-upload leaves nothing behind. */
  if (rs != NULL && rs->upload != NULL)
    {
      g_hash_table_remove (rt->uploads, rs);
      g_clear_pointer (&rs->upload, ladle_upload_free);
    }

  /* Refused in the middle of its body: the connection answered it, libsoup only saw it end */
  if (refused != 0)
    log_request (rt, msg, LADLE_SERVER_EVENT_HTTP, refused);
  else
    log_request (rt, msg, LADLE_SERVER_EVENT_ABORTED, soup_server_message_get_status (msg));
}

/* ------------------------------------------------------------------------------------------------
 * Built-in routes
 */

static const char upload_form[] =
  "<!DOCTYPE html>\n"
  "<html><head><meta charset=\"utf-8\"><title>Ladle upload</title>\n"
  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
  "<style>body{font-family:sans-serif;max-width:40em;margin:2em auto;padding:0 1em}</style>\n"
  "</head><body>\n"
  "<h1>Upload a file</h1>\n"
  "<form method=\"post\" action=\"" LADLE_SERVER_UPLOAD_PATH "\" "
  "enctype=\"multipart/form-data\">\n"
  "<p><input type=\"file\" name=\"file\" multiple required></p>\n"
  "<p><button type=\"submit\">Upload</button></p>\n"
  "</form>\n"
  "</body></html>\n";

/* Moving an upload's files to their names is blocking work on a folder (up to
 * LADLE_UPLOAD_MAX_FILES files): a worker thread does it while the message is paused, so that the
 * server thread goes on answering everyone else. */
typedef struct
{
  Runtime           *rt;        /* a reference */
  SoupServerMessage *msg;       /* a reference */
  LadleUpload       *upload;
  GListModel        *stored;    /* LadleStoredFile, set by the worker when the files are in place */
} FinishUpload;

static void
finish_upload_free (FinishUpload *fu)
{
  fu->rt->n_finishing--;
  g_clear_pointer (&fu->upload, ladle_upload_free);
  g_clear_object (&fu->stored);
  g_clear_object (&fu->msg);
  g_clear_pointer (&fu->rt, runtime_unref);
  g_free (fu);
}

static void
finish_upload_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  FinishUpload *fu = task_data;
  GError *error = NULL;
  JsonNode *answer;
  const char *delay = g_getenv ("LADLE_TEST_UPLOAD_COMMIT_DELAY_MS");

  /* For tests: a folder as slow as a network share */
  if (delay != NULL)
    g_usleep (g_ascii_strtoull (delay, NULL, 10) * 1000);

  answer = ladle_upload_finish (fu->upload, fu->rt->name_hints, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  fu->stored = ladle_upload_list_stored (fu->upload);
  g_task_return_pointer (task, answer, (GDestroyNotify) json_node_unref);
}

static void
finish_upload_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  FinishUpload *fu = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = g_task_propagate_pointer (G_TASK (result), &error);

  /* The files are in place, whatever becomes of the answer: the owner hears of them first. */
  if (fu->stored != NULL)
    event_queue_push (fu->rt->events, g_steal_pointer (&fu->stored));

  /* The server stopped meanwhile: libsoup is gone with the message's connection */
  if (g_atomic_int_get (&fu->rt->stopping))
    return;

  if (answer == NULL)
    set_error_response (fu->msg, ladle_upload_status_for_error (error), error->message);
  else
    set_json_response (fu->msg, SOUP_STATUS_OK, answer);
  soup_server_message_unpause (fu->msg);
}

static void
finish_upload (Runtime           *rt,
               SoupServerMessage *msg,
               RequestState      *rs)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, finish_upload_done, NULL);
  FinishUpload *fu = g_new0 (FinishUpload, 1);

  /* The worker owns the upload from here: a server stop no longer removes its files */
  g_hash_table_remove (rt->uploads, rs);
  fu->upload = g_steal_pointer (&rs->upload);
  fu->msg = g_object_ref (msg);
  fu->rt = runtime_ref (rt);
  rt->n_finishing++;

  soup_server_message_pause (msg);
  g_task_set_source_tag (task, finish_upload);
  g_task_set_task_data (task, fu, (GDestroyNotify) finish_upload_free);
  g_task_run_in_thread (task, finish_upload_thread);
}

/* OPTIONS is answered 200 with Allow, as httpbin (Flask) answers it on every route. */
static void
method_not_allowed (SoupServerMessage *msg,
                    const char        *allow)
{
  g_autofree char *with_options = g_strconcat (allow, ", OPTIONS", NULL);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                with_options);
  if (g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_OPTIONS))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      return;
    }
  set_error_response (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, _("Method not allowed"));
}

/* libsoup 3.2 answers a Range on a 200 with a body in memory by itself, but takes a suffix
 * ("bytes=-N") longer than the body as a negative offset and fails. RFC 9110 §14.1.2: such a
 * suffix means the whole body; say so in the header before libsoup reads it. */
static void
clamp_suffix_ranges (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  const char *range = soup_message_headers_get_one (headers, "Range");
  g_auto(GStrv) specs = NULL;
  g_autoptr(GString) fixed = NULL;
  gboolean changed = FALSE;

  if (range == NULL || !g_str_has_prefix (range, "bytes=") || strlen (range) > 4096 ||
      soup_server_message_get_status (msg) != SOUP_STATUS_OK ||
      !soup_message_body_get_accumulate (body) || body->length <= 0)
    return;

  specs = g_strsplit (range + strlen ("bytes="), ",", -1);
  fixed = g_string_new ("bytes=");
  for (guint i = 0; specs[i] != NULL; i++)
    {
      char *spec = g_strstrip (specs[i]);
      guint64 suffix;

      if (i > 0)
        g_string_append_c (fixed, ',');
      if (spec[0] == '-' &&
          g_ascii_string_to_unsigned (spec + 1, 10, 0, G_MAXUINT64, &suffix, NULL) &&
          suffix > (guint64) body->length)
        {
          g_string_append_printf (fixed, "-%" G_GINT64_FORMAT, body->length);
          changed = TRUE;
        }
      else
        {
          g_string_append (fixed, spec);
        }
    }

  if (changed)
    soup_message_headers_replace (headers, "Range", fixed->str);
}

static void handle_request_inner (SoupServer        *soup,
                                  SoupServerMessage *msg,
                                  const char        *path,
                                  GHashTable        *query,
                                  gpointer           user_data);

static void
handle_request (SoupServer        *soup,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  handle_request_inner (soup, msg, path, query, user_data);
  clamp_suffix_ranges (msg);
}

static void
handle_request_inner (SoupServer        *soup,
                      SoupServerMessage *msg,
                      const char        *path,
                      GHashTable        *query,
                      gpointer           user_data)
{
  Runtime *rt = user_data;
  RequestState *rs = get_request_state (msg);
  const char *method = soup_server_message_get_method (msg);
  gboolean is_get = method == SOUP_METHOD_GET || method == SOUP_METHOD_HEAD;
  LadleHttpbinOptions options = { rt->max_body_size, rt->tls_certificate != NULL };
  LadleMockRouter *router;

  ladle_conn_guard_busy (rt->guard, msg);

  /* Every answer, as httpbin's; a mock route may replace them or opt out. */
  ladle_httpbin_add_cors_headers (msg);

  if (rs != NULL && rs->upload != NULL)
    {
      finish_upload (rt, msg, rs);
      return;
    }

  router = runtime_dup_router (rt);
  if (router != NULL)
    {
      gboolean responded = ladle_mock_router_respond (router, msg, path);

      ladle_mock_router_unref (router);
      if (responded)
        return;
    }

  if (g_str_equal (path, "/"))
    {
      if (!is_get)
        {
          method_not_allowed (msg, "GET, HEAD");
          return;
        }
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_STATIC,
                                        "Hello, World!", strlen ("Hello, World!"));
      return;
    }

  if (g_str_equal (path, LADLE_SERVER_UPLOAD_PATH))
    {
      if (!is_get)
        {
          method_not_allowed (msg, "GET, HEAD, POST");
          return;
        }
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_STATIC,
                                        upload_form, strlen (upload_form));
      return;
    }

  if (ladle_httpbin_handle (msg, path, query, &options))
    {
      hold_response_memory (rt, msg, rs);
      return;
    }

  set_error_response (msg, SOUP_STATUS_NOT_FOUND, _("Not found"));
}

/* ------------------------------------------------------------------------------------------------
 * WebSockets (server thread)
 *
 * We do the upgrade ourselves instead of soup_server_add_websocket_handler() and steal the
 * connection. Without permessage-deflate (most clients), Ladle's own frame codec serves it
 * (LadleWebsocketCodec: 64 KiB reads, word-at-a-time unmasking, one writev per reply, whole-message
 * limit). A peer that negotiated permessage-deflate (browsers) keeps libsoup's
 * SoupWebsocketConnection, reading through a LadleWebsocketStream: 64 KiB reads instead of
 * libsoup's 1 KiB ones, and a limit on whole messages (fragmented or compressed), which libsoup 3.2
 * lacks (doc/STACK.md §5). libsoup 3.2 has no pong timeout either: on both paths each peer is
 * pinged every ws_ping_interval seconds and dropped when it has not answered for two intervals and
 * a second.
 */

typedef struct
{
  Runtime                 *rt;           /* borrowed: peers are freed before the runtime */
  LadleWebsocketCodec     *codec;        /* without permessage-deflate; or: */
  SoupWebsocketConnection *conn;         /* with it, libsoup's */
  LadleWebsocketStream    *stream;
  char                    *remote_host;
  GSource                 *ping_check;
  GSource                 *too_big_close;
  gint64                   last_pong;
  gboolean                 seed_words;
} WsPeer;

typedef struct
{
  Runtime  *rt;                          /* a reference */
  GList    *extensions;                  /* SoupWebsocketExtension*, accepted in the handshake */
  gboolean  seed_words;
} WsUpgrade;

static void
ws_peer_stop_timers (WsPeer *peer)
{
  if (peer->ping_check != NULL)
    {
      g_source_destroy (peer->ping_check);
      g_clear_pointer (&peer->ping_check, g_source_unref);
    }
  if (peer->too_big_close != NULL)
    {
      g_source_destroy (peer->too_big_close);
      g_clear_pointer (&peer->too_big_close, g_source_unref);
    }
}

static void
ws_peer_free (WsPeer *peer)
{
  ws_peer_stop_timers (peer);
  g_clear_pointer (&peer->codec, ladle_websocket_codec_release);
  if (peer->conn != NULL)
    g_signal_handlers_disconnect_by_data (peer->conn, peer);
  if (peer->stream != NULL)
    g_signal_handlers_disconnect_by_data (peer->stream, peer);
  g_clear_object (&peer->conn);
  g_clear_object (&peer->stream);
  g_clear_pointer (&peer->remote_host, g_free);
  g_free (peer);
}

static void
ws_upgrade_free (gpointer  data,
                 GClosure *closure)
{
  WsUpgrade *up = data;

  g_list_free_full (up->extensions, g_object_unref);
  runtime_unref (up->rt);
  g_free (up);
}

static void
on_websocket_message (SoupWebsocketConnection *conn,
                      gint                     type,
                      GBytes                  *message,
                      gpointer                 user_data)
{
  WsPeer *peer = user_data;

  if (type == SOUP_WEBSOCKET_DATA_TEXT)
    {
      gsize len;
      const char *text = g_bytes_get_data (message, &len);
      g_autofree char *reply = NULL;

      if (peer->seed_words)
        reply = g_strdup_printf ("Message received: %.*s", (int) len, text ? text : "");
      else
        reply = g_strndup (text, len);
      soup_websocket_connection_send_text (conn, reply);
    }
  else
    {
      soup_websocket_connection_send_message (conn, SOUP_WEBSOCKET_DATA_BINARY, message);
    }
}

static void
on_websocket_pong (SoupWebsocketConnection *conn,
                   GBytes                  *message,
                   gpointer                 user_data)
{
  WsPeer *peer = user_data;

  peer->last_pong = g_get_monotonic_time ();
}

static void
on_websocket_closed (SoupWebsocketConnection *conn,
                     gpointer                 user_data)
{
  WsPeer *peer = user_data;

  if (peer->rt->websockets != NULL)
    g_hash_table_remove (peer->rt->websockets, peer);
}

/* The codec's side of the same handlers */

static const char seed_prefix[] = "Message received: ";

static void
on_codec_message (LadleWebsocketCodec  *codec,
                  LadleWebsocketOpcode  opcode,
                  const guint8         *data,
                  gsize                 len,
                  gpointer              user_data)
{
  WsPeer *peer = user_data;

  /* One writev: header, prefix and the message, no copy unless the socket is full. */
  if (opcode == LADLE_WEBSOCKET_OPCODE_TEXT && peer->seed_words)
    ladle_websocket_codec_send (codec, opcode, seed_prefix, sizeof seed_prefix - 1, data, len);
  else
    ladle_websocket_codec_send (codec, opcode, NULL, 0, data, len);
}

static void
on_codec_too_big (LadleWebsocketCodec *codec,
                  gpointer             user_data)
{
  WsPeer *peer = user_data;

  g_info ("WebSocket peer %s sent a message larger than %" G_GUINT64_FORMAT " bytes; closing",
          peer->remote_host ? peer->remote_host : "?", peer->rt->max_ws_message);
}

static void
on_codec_dead (LadleWebsocketCodec *codec,
               gpointer             user_data)
{
  WsPeer *peer = user_data;

  g_info ("WebSocket peer %s did not answer pings for %u s; dropping it",
          peer->remote_host ? peer->remote_host : "?", 2 * peer->rt->ws_ping_interval + 1);
}

static void
on_codec_closed (LadleWebsocketCodec *codec,
                 gpointer             user_data)
{
  WsPeer *peer = user_data;

  if (peer->rt->websockets != NULL)
    g_hash_table_remove (peer->rt->websockets, peer);
}

static const LadleWebsocketCodecCallbacks codec_callbacks = {
  .message = on_codec_message,
  .too_big = on_codec_too_big,
  .dead = on_codec_dead,
  .closed = on_codec_closed,
};

static gboolean
ws_peer_check_pings (gpointer user_data)
{
  WsPeer *peer = user_data;
  gint64 deadline = (2 * (gint64) peer->rt->ws_ping_interval + 1) * G_USEC_PER_SEC;
  g_autoptr(GError) error = NULL;

  if (g_get_monotonic_time () - peer->last_pong <= deadline)
    return G_SOURCE_CONTINUE;

  g_info ("WebSocket peer %s did not answer pings for %u s; dropping it",
          peer->remote_host ? peer->remote_host : "?", 2 * peer->rt->ws_ping_interval + 1);

  /* A peer that does not answer pings will not answer a close frame either: drop it now. */
  g_clear_pointer (&peer->ping_check, g_source_unref);
  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               _("The WebSocket peer did not answer pings"));
  ladle_websocket_stream_abort (peer->stream, error);

  return G_SOURCE_REMOVE;
}

static gboolean
ws_peer_close_too_big (gpointer user_data)
{
  WsPeer *peer = user_data;

  g_clear_pointer (&peer->too_big_close, g_source_unref);

  g_info ("WebSocket peer %s sent a message larger than %" G_GUINT64_FORMAT " bytes; closing",
          peer->remote_host ? peer->remote_host : "?", peer->rt->max_ws_message);
  if (soup_websocket_connection_get_state (peer->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (peer->conn, SOUP_WEBSOCKET_CLOSE_TOO_BIG,
                                     "Message too big");

  return G_SOURCE_REMOVE;
}

/* Emitted from inside libsoup's read: close from an idle, not from within its parser. */
static void
on_websocket_too_big (LadleWebsocketStream *stream,
                      gpointer              user_data)
{
  WsPeer *peer = user_data;

  if (peer->too_big_close != NULL)
    return;

  peer->too_big_close = g_idle_source_new ();
  g_source_set_priority (peer->too_big_close, G_PRIORITY_DEFAULT);
  g_source_set_name (peer->too_big_close, "[ladle] websocket too big");
  g_source_set_callback (peer->too_big_close, ws_peer_close_too_big, peer, NULL);
  g_source_attach (peer->too_big_close, g_main_context_get_thread_default ());
}

static void
on_websocket_upgraded (SoupServerMessage *msg,
                       gpointer           user_data)
{
  WsUpgrade *up = user_data;
  Runtime *rt = up->rt;
  g_autoptr(SoupServerMessage) msg_ref = g_object_ref (msg);
  g_autoptr(GIOStream) base = NULL;
  GSocket *socket = soup_server_message_get_socket (msg);
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  gboolean deflate = FALSE;
  LadleServerConn *conn = ladle_server_conn_from_message (msg);
  WsPeer *peer;

  /* Runs once: the closure holds the accepted extensions. */
  g_signal_handlers_disconnect_by_func (msg, on_websocket_upgraded, up);

  /* What the client sends from now on is WebSocket frames, not requests */
  if (conn != NULL)
    {
      ladle_server_conn_upgraded (conn);
      socket = ladle_server_conn_get_socket (conn);
    }

  if (socket != NULL)
    ladle_conn_guard_forget (rt->guard, socket);
  log_request (rt, msg, LADLE_SERVER_EVENT_WEBSOCKET, SOUP_STATUS_SWITCHING_PROTOCOLS);

  for (GList *l = up->extensions; l != NULL; l = l->next)
    deflate |= SOUP_IS_WEBSOCKET_EXTENSION_DEFLATE (l->data);

  peer = g_new0 (WsPeer, 1);
  peer->rt = rt;
  peer->seed_words = up->seed_words;
  peer->remote_host = g_strdup (_ladle_server_message_get_peer (msg));
  peer->last_pong = g_get_monotonic_time ();

  base = soup_server_message_steal_connection (msg);
  if (base == NULL)
    {
      g_free (peer->remote_host);
      g_free (peer);
      return;
    }

  if (!deflate && ladle_websocket_codec_can_use (base))
    {
      g_list_free_full (g_steal_pointer (&up->extensions), g_object_unref);
      peer->codec = ladle_websocket_codec_new (base, rt->max_ws_message, rt->ws_ping_interval,
                                               &codec_callbacks, peer);
      /* The stolen stream is a SoupIOStream whose input buffers only what the handshake's parser
       * read ahead (drained when the codec starts). Over TLS the codec must read the stream. */
      if (socket != NULL && (conn == NULL || ladle_server_conn_get_tls (conn) == NULL))
        ladle_websocket_codec_set_socket (peer->codec, socket);
      g_hash_table_add (rt->websockets, peer);
      ladle_websocket_codec_start (peer->codec);
      return;
    }

  peer->stream = ladle_websocket_stream_new (base, rt->max_ws_message, deflate);
  peer->conn = soup_websocket_connection_new (G_IO_STREAM (peer->stream),
                                              soup_server_message_get_uri (msg),
                                              SOUP_WEBSOCKET_CONNECTION_SERVER,
                                              soup_message_headers_get_one (request_headers,
                                                                            "Origin"),
                                              soup_message_headers_get_one (response_headers,
                                                                            "Sec-WebSocket-Protocol"),
                                              g_steal_pointer (&up->extensions));

  /* Per frame, the stream already refuses (with 1009) every data frame over the limit; this
   * only catches oversized control frames. */
  soup_websocket_connection_set_max_incoming_payload_size (peer->conn, rt->max_ws_message);

  g_hash_table_add (rt->websockets, peer);
  g_signal_connect (peer->conn, "message", G_CALLBACK (on_websocket_message), peer);
  g_signal_connect (peer->conn, "pong", G_CALLBACK (on_websocket_pong), peer);
  g_signal_connect (peer->conn, "closed", G_CALLBACK (on_websocket_closed), peer);
  g_signal_connect (peer->stream, "message-too-big", G_CALLBACK (on_websocket_too_big), peer);

  if (rt->ws_ping_interval > 0)
    {
      soup_websocket_connection_set_keepalive_interval (peer->conn, rt->ws_ping_interval);
      peer->ping_check = g_timeout_source_new (rt->ws_ping_interval * 500);
      g_source_set_name (peer->ping_check, "[ladle] websocket ping check");
      g_source_set_callback (peer->ping_check, ws_peer_check_pings, peer, NULL);
      g_source_attach (peer->ping_check, g_main_context_get_thread_default ());
    }
}

/* /ws ("Message received: …") and /websocket/echo (as is). */
static void
handle_websocket (SoupServer        *soup,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  Runtime *rt = user_data;
  GList *extensions = NULL;
  WsUpgrade *up;

  /* libsoup picks handlers by path prefix: "/ws" would also take "/ws-test.html". Only the
   * exact paths upgrade, and the user's mock routes come first, as everywhere else. */
  if ((!g_str_equal (path, "/ws") && !g_str_equal (path, "/websocket/echo")) ||
      route_is_mocked (rt, soup_server_message_get_method (msg), path))
    {
      handle_request (soup, msg, path, query, user_data);
      return;
    }

  ladle_conn_guard_busy (rt->guard, msg);

  /* On failure this answers 400 (or 403), as libsoup's own WebSocket handler does. */
  if (!ladle_websocket_server_process_handshake (msg, rt->ws_extensions, &extensions))
    return;

  up = g_new0 (WsUpgrade, 1);
  up->rt = runtime_ref (rt);
  up->extensions = extensions;
  up->seed_words = g_str_equal (path, "/ws");
  g_signal_connect_data (msg, "wrote-informational", G_CALLBACK (on_websocket_upgraded), up,
                         ws_upgrade_free, 0);
}

/* ------------------------------------------------------------------------------------------------
 * The server thread
 */

typedef struct _Handshake Handshake;
static void handshake_abort (Handshake *hs);

static gboolean
runtime_stop_cb (gpointer data)
{
  Runtime *rt = data;
  GHashTableIter iter;
  RequestState *rs;
  WsPeer *peer;

  if (rt->soup == NULL)
    return G_SOURCE_REMOVE;

  g_atomic_int_set (&rt->stopping, TRUE);
  ladle_listener_stop (rt->listener);

  /* Handshakes: those waiting end now, those running are cancelled (and awaited below) */
  {
    guint n = 0;
    g_autofree gpointer *handshakes = g_hash_table_get_keys_as_array (rt->handshakes, &n);

    for (guint i = 0; i < n; i++)
      handshake_abort (handshakes[i]);
  }

  /* In-flight uploads: remove their temporary files now. */
  g_hash_table_iter_init (&iter, rt->uploads);
  while (g_hash_table_iter_next (&iter, (gpointer *) &rs, NULL))
    {
      g_clear_pointer (&rs->upload, ladle_upload_free);
      g_hash_table_iter_remove (&iter);
    }

  g_hash_table_iter_init (&iter, rt->websockets);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &peer))
    {
      ws_peer_stop_timers (peer);
      if (peer->codec != NULL)
        {
          ladle_websocket_codec_close (peer->codec, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
          continue;
        }
      g_signal_handlers_disconnect_by_data (peer->conn, peer);
      g_signal_handlers_disconnect_by_data (peer->stream, peer);
      if (soup_websocket_connection_get_state (peer->conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (peer->conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
    }

  soup_server_disconnect (rt->soup);
  g_main_loop_quit (rt->loop);

  return G_SOURCE_REMOVE;
}

static void
runtime_report_ready (Runtime *rt,
                      GError  *error)
{
  g_mutex_lock (&rt->mutex);
  rt->error = error;
  rt->ready = TRUE;
  g_cond_signal (&rt->cond);
  g_mutex_unlock (&rt->mutex);
}

/* Over HTTPS: a client's handshake, bounded in time. glib-networking does a handshake on a
 * worker thread of GTask's pool, blocking on the client: it starts only once the client has sent
 * something, so that clients that connect and stay silent hold no thread. */
struct _Handshake
{
  Runtime         *rt;
  LadleServerConn *conn;
  GIOStream       *stream;
  GCancellable    *cancellable;
  GSource         *timeout;
  GSource         *hello;       /* waiting for the client's first bytes */
};

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
handshake_free (Handshake *hs)
{
  g_hash_table_remove (hs->rt->handshakes, hs);
  clear_source (&hs->timeout);
  clear_source (&hs->hello);
  g_clear_object (&hs->cancellable);
  g_clear_object (&hs->stream);
  ladle_server_conn_unref (hs->conn);
  runtime_unref (hs->rt);
  g_free (hs);
}

/* Before the handshake began: closed at once. Once it runs: cancelled (handshake_done() ends it). */
static void
handshake_abort (Handshake *hs)
{
  if (hs->hello != NULL)
    {
      hs->rt->n_tls_failed++;
      ladle_server_conn_close (hs->conn);
      handshake_free (hs);
      return;
    }
  g_cancellable_cancel (hs->cancellable);
}

static gboolean
handshake_timeout_cb (gpointer user_data)
{
  Handshake *hs = user_data;

  g_clear_pointer (&hs->timeout, g_source_unref);
  handshake_abort (hs);
  return G_SOURCE_REMOVE;
}

static void
handshake_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Handshake *hs = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error) ||
      g_atomic_int_get (&hs->rt->stopping) || hs->rt->soup == NULL)
    {
      /* A client that does not trust the certificate ends here: nothing to log but a debug line */
      hs->rt->n_tls_failed++;
      g_debug ("TLS handshake with %s: %s", ladle_server_conn_get_peer (hs->conn),
               error != NULL ? error->message : "server stopping");
      g_clear_object (&hs->stream);
      ladle_server_conn_close (hs->conn);
      handshake_free (hs);
      return;
    }

  hs->rt->n_tls_handshakes++;
  if (!soup_server_accept_iostream (hs->rt->soup, hs->stream,
                                    ladle_server_conn_get_local_address (hs->conn),
                                    ladle_server_conn_get_remote_address (hs->conn), &error))
    {
      g_debug ("libsoup did not take a connection: %s", error->message);
      ladle_server_conn_close (hs->conn);
    }

  handshake_free (hs);
}

static gboolean
hello_ready_cb (GSocket      *socket,
                GIOCondition  condition,
                gpointer      user_data)
{
  Handshake *hs = user_data;

  g_clear_pointer (&hs->hello, g_source_unref);
  g_tls_connection_handshake_async (ladle_server_conn_get_tls (hs->conn), G_PRIORITY_DEFAULT,
                                    hs->cancellable, handshake_done, hs);
  return G_SOURCE_REMOVE;
}

static void
start_handshake (Runtime         *rt,
                 LadleServerConn *conn,
                 GIOStream       *stream)
{
  g_autoptr(GError) error = NULL;
  Handshake *hs;

  if (!ladle_server_conn_start_tls (conn, rt->tls_certificate, &error))
    {
      g_debug ("No TLS for %s: %s", ladle_server_conn_get_peer (conn), error->message);
      ladle_server_conn_close (conn);
      return;
    }

  hs = g_new0 (Handshake, 1);
  hs->rt = runtime_ref (rt);
  hs->conn = ladle_server_conn_ref (conn);
  hs->stream = g_object_ref (stream);
  hs->cancellable = g_cancellable_new ();
  g_hash_table_add (rt->handshakes, hs);
  /* A client that connects and says nothing holds a connection no longer than an idle one */
  hs->timeout = g_timeout_source_new (rt->idle_timeout_ms);
  g_source_set_name (hs->timeout, "[ladle] TLS handshake timeout");
  g_source_set_callback (hs->timeout, handshake_timeout_cb, hs, NULL);
  g_source_attach (hs->timeout, g_main_context_get_thread_default ());

  hs->hello = g_socket_create_source (ladle_server_conn_get_socket (conn),
                                      G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_name (hs->hello, "[ladle] TLS client hello");
  g_source_set_callback (hs->hello, G_SOURCE_FUNC (hello_ready_cb), hs, NULL);
  g_source_attach (hs->hello, g_main_context_get_thread_default ());
}

/* A client the listener accepted: on to libsoup, through the connection's gate (and TLS, first
 * its handshake, over HTTPS) */
static void
accept_connection (LadleServerConn *conn,
                   GIOStream       *stream,
                   gpointer         user_data)
{
  Runtime *rt = user_data;
  g_autoptr(GError) error = NULL;

  if (rt->tls_certificate != NULL)
    {
      start_handshake (rt, conn, stream);
      return;
    }

  if (!soup_server_accept_iostream (rt->soup, stream, ladle_server_conn_get_local_address (conn),
                                    ladle_server_conn_get_remote_address (conn), &error))
    {
      g_debug ("libsoup did not take a connection: %s", error->message);
      ladle_server_conn_close (conn);
    }
}

/* The gate refused a request before libsoup saw it: the log shows it as it came. */
static void
connection_refused (LadleServerConn *conn,
                    guint            status,
                    const char      *request_line,
                    const char      *message,
                    gpointer         user_data)
{
  Runtime *rt = user_data;
  g_auto(GStrv) parts = NULL;
  const char *method = "-";
  const char *path = request_line != NULL ? request_line : "";

  if (!g_atomic_int_get (&rt->log_requests))
    return;

  if (request_line != NULL)
    {
      parts = g_strsplit (request_line, " ", 3);
      if (parts[0] != NULL && parts[1] != NULL)
        {
          method = parts[0];
          path = parts[1];
        }
    }

  event_queue_push (rt->events,
                    _ladle_server_event_new (LADLE_SERVER_EVENT_HTTP, g_get_real_time (),
                                             ladle_server_conn_get_peer (conn), method, path,
                                             status, 0, 0, 0, NULL, NULL));
}

static gpointer
server_thread (gpointer data)
{
  Runtime *rt = data;
  GError *error = NULL;
  const char *ws_paths[] = { "/ws", "/websocket/echo" };

  g_main_context_push_thread_default (rt->context);

  rt->guard = ladle_conn_guard_new (rt->idle_timeout_ms, rt->keepalive_timeout_ms);
  rt->soup = soup_server_new ("server-header", "Ladle/" PACKAGE_VERSION " ", NULL);
  g_signal_connect (rt->soup, "request-started", G_CALLBACK (on_request_started), rt);
  g_signal_connect (rt->soup, "request-finished", G_CALLBACK (on_request_finished), rt);
  g_signal_connect (rt->soup, "request-aborted", G_CALLBACK (on_request_aborted), rt);

  soup_server_add_handler (rt->soup, NULL, handle_request, rt, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (ws_paths); i++)
    soup_server_add_handler (rt->soup, ws_paths[i], handle_websocket, rt, NULL);
  /* The OAuth 2.0 / OpenID Connect provider: /oauth/... and /.well-known/... */
  ladle_oauth_provider_attach (rt->soup);
  rt->ws_extensions = g_ptr_array_new_with_free_func (g_type_class_unref);
  g_ptr_array_add (rt->ws_extensions, g_type_class_ref (SOUP_TYPE_WEBSOCKET_EXTENSION_DEFLATE));

  /* Ladle accepts the connections itself (ladle-listener.c) and gives them to libsoup one by
   * one. libsoup 3.2 keeps a connection alive after a response only while it has a listener of its
   * own, so it gets one on the same socket, on a main context nobody runs: it never accepts. */
  g_main_context_push_thread_default (rt->unused_context);
  if (!soup_server_listen_socket (rt->soup, rt->listen_socket, 0, &error))
    {
      g_main_context_pop_thread_default (rt->unused_context);
      runtime_report_ready (rt, error);
    }
  else
    {
      g_main_context_pop_thread_default (rt->unused_context);
      rt->listener = ladle_listener_new (rt->listen_socket, rt->max_connections,
                                         accept_connection, connection_refused, rt);
      ladle_listener_start (rt->listener);
      runtime_report_ready (rt, NULL);
      g_main_loop_run (rt->loop);
    }

  /* Uploads whose files are being moved finish (their answers are dropped), so that nothing is
   * left holding the runtime. */
  g_atomic_int_set (&rt->stopping, TRUE);
  {
    gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

    while ((rt->n_finishing > 0 || g_hash_table_size (rt->handshakes) > 0) &&
           g_get_monotonic_time () < deadline)
      g_main_context_iteration (rt->context, TRUE);
  }

  /* Dropping the connections may still run callbacks; let them finish here, on this thread. */
  if (rt->listener != NULL)
    ladle_listener_stop (rt->listener);
  soup_server_disconnect (rt->soup);
  g_hash_table_remove_all (rt->websockets);
  g_clear_object (&rt->soup);
  while (g_main_context_iteration (rt->context, FALSE))
    ;
  g_clear_pointer (&rt->guard, ladle_conn_guard_free);
  g_clear_pointer (&rt->listener, ladle_listener_free);
  while (g_main_context_iteration (rt->context, FALSE))
    ;

  g_main_context_pop_thread_default (rt->context);
  runtime_unref (rt);

  return NULL;
}

/* ------------------------------------------------------------------------------------------------
 * The object (owner thread)
 */

static GSocket *
bind_listen_socket (LadleServer  *self,
                    guint        *out_port,
                    GError      **error)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) local_error = NULL;

  if (g_strcmp0 (self->host, "localhost") == 0)
    address = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  else
    address = g_inet_address_new_from_string (self->host);

  if (address == NULL)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an IP address to listen on (use e.g. 127.0.0.1, ::1 or 0.0.0.0)"),
                   self->host);
      return NULL;
    }

  socket_address = g_inet_socket_address_new (address, self->port);
  socket = g_socket_new (g_inet_address_get_family (address), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, &local_error);
  if (socket == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (!g_socket_bind (socket, socket_address, TRUE, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
        g_set_error (error, LADLE_ERROR, LADLE_ERROR_ADDRESS_IN_USE,
                     _("Port %u on %s is already in use"), self->port, self->host);
      else
        g_set_error (error, LADLE_ERROR, LADLE_ERROR_FAILED,
                     _("Could not listen on %s port %u: %s"),
                     self->host, self->port, local_error->message);
      return NULL;
    }

  /* libsoup keeps GSocket's default backlog of 10, which drops SYNs under a burst of
   * clients (doc/STACK.md §3). */
  g_socket_set_listen_backlog (socket, 1024);
  if (!g_socket_listen (socket, &local_error))
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_FAILED, _("Could not listen on %s port %u: %s"),
                   self->host, self->port, local_error->message);
      return NULL;
    }

  bound = g_socket_get_local_address (socket, NULL);
  *out_port = bound ? g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)) : self->port;

  return g_steal_pointer (&socket);
}

static gboolean
prepare_uploads_dir (const char  *dir,
                     GError     **error)
{
  g_autofree char *probe = NULL;
  int fd;

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, LADLE_ERROR, LADLE_ERROR_NOT_WRITABLE,
                   _("Could not create the uploads folder “%s”: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  probe = g_build_filename (dir, ".ladle-probe-XXXXXX", NULL);
  fd = g_mkstemp (probe);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, LADLE_ERROR, LADLE_ERROR_NOT_WRITABLE,
                   _("The uploads folder “%s” is not writable: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);
  g_unlink (probe);

  /* What a killed server left behind */
  ladle_upload_sweep (dir);

  return TRUE;
}

/**
 * ladle_server_start:
 *
 * Binds the listening socket and starts the server on its own thread. Errors (address in use,
 * unwritable uploads folder, bad host) are reported here, at once. Does no blocking I/O; it waits
 * only for the new thread to report that it listens.
 *
 * Returns: %TRUE when the server is running
 */
gboolean
ladle_server_start (LadleServer  *self,
                    GError      **error)
{
  g_autoptr(GSocket) socket = NULL;
  Runtime *rt;
  guint port = 0;

  g_return_val_if_fail (LADLE_IS_SERVER (self), FALSE);
  g_return_val_if_fail (self->rt == NULL, FALSE);

  if (!prepare_uploads_dir (self->uploads_dir, error))
    return FALSE;

  socket = bind_listen_socket (self, &port, error);
  if (socket == NULL)
    return FALSE;

  /* Before the connection ceiling is worked out from it */
  ladle_fd_limit_raise ();

  rt = g_atomic_rc_box_new0 (Runtime);
  rt->context = g_main_context_new ();
  rt->unused_context = g_main_context_new ();
  rt->max_connections = self->max_connections;
  rt->max_body_memory = self->max_body_memory;
  rt->loop = g_main_loop_new (rt->context, FALSE);
  rt->listen_socket = g_steal_pointer (&socket);
  rt->tls_certificate = self->tls_certificate ? g_object_ref (self->tls_certificate) : NULL;
  rt->uploads_dir = g_strdup (self->uploads_dir);
  rt->max_upload_size = self->max_upload_size;
  rt->max_body_size = self->max_body_size;
  rt->idle_timeout_ms = (guint) (self->idle_timeout * 1000);
  rt->keepalive_timeout_ms = (guint) (LADLE_SERVER_DEFAULT_KEEPALIVE_TIMEOUT * 1000);
  if (self->idle_timeout < LADLE_SERVER_DEFAULT_IDLE_TIMEOUT)
    rt->keepalive_timeout_ms = rt->idle_timeout_ms * 2;
  rt->router = self->router ? ladle_mock_router_ref (self->router) : NULL;
  rt->uploads = g_hash_table_new (NULL, NULL);
  rt->handshakes = g_hash_table_new (NULL, NULL);
  rt->name_hints = ladle_name_hints_new ();
  rt->websockets = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) ws_peer_free);
  rt->max_ws_message = self->max_ws_message_size;
  rt->ws_ping_interval = self->ws_ping_interval;
  rt->events = event_queue_new (self);
  rt->log_requests = self->log_requests;
  g_mutex_init (&rt->mutex);
  g_mutex_init (&rt->router_lock);
  g_cond_init (&rt->cond);

  self->rt = rt;
  self->thread = g_thread_new ("ladle-server", server_thread, runtime_ref (rt));

  g_mutex_lock (&rt->mutex);
  while (!rt->ready)
    g_cond_wait (&rt->cond, &rt->mutex);
  g_mutex_unlock (&rt->mutex);

  if (rt->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&rt->error));
      ladle_server_stop (self);
      return FALSE;
    }

  self->bound_port = port;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BOUND_PORT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  return TRUE;
}

/**
 * ladle_server_stop:
 *
 * Stops the server: uploads in flight are removed, WebSockets are closed with 1001, connections are
 * dropped, and the server thread is joined. Events still queued are delivered before it returns.
 */
void
ladle_server_stop (LadleServer *self)
{
  Runtime *rt;
  gboolean was_running;

  g_return_if_fail (LADLE_IS_SERVER (self));

  if (self->rt == NULL)
    return;

  rt = g_steal_pointer (&self->rt);
  was_running = rt->error == NULL;

  g_main_context_invoke (rt->context, runtime_stop_cb, rt);
  g_thread_join (g_steal_pointer (&self->thread));

  g_clear_pointer (&rt->events, event_queue_free);
  runtime_unref (rt);

  self->bound_port = 0;
  if (was_running)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BOUND_PORT]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
    }
}

gboolean
ladle_server_get_running (LadleServer *self)
{
  g_return_val_if_fail (LADLE_IS_SERVER (self), FALSE);
  return self->rt != NULL;
}

/**
 * ladle_server_get_bound_port:
 *
 * Returns: the port the running server listens on (the real one when #LadleServer:port is 0), or 0
 */
guint
ladle_server_get_bound_port (LadleServer *self)
{
  g_return_val_if_fail (LADLE_IS_SERVER (self), 0);
  return self->bound_port;
}

/**
 * ladle_server_dup_url:
 *
 * Returns: (transfer full) (nullable): the server's base URL, such as `http://127.0.0.1:8080/`
 */
char *
ladle_server_dup_url (LadleServer *self)
{
  g_autoptr(GInetAddress) address = NULL;
  const char *scheme;

  g_return_val_if_fail (LADLE_IS_SERVER (self), NULL);

  if (self->rt == NULL)
    return NULL;

  scheme = self->tls_certificate != NULL ? "https" : "http";
  address = g_inet_address_new_from_string (self->host);
  if (address != NULL && g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("%s://[%s]:%u/", scheme, self->host, self->bound_port);
  return g_strdup_printf ("%s://%s:%u/", scheme, self->host, self->bound_port);
}

/**
 * ladle_server_set_tls_certificate:
 * @certificate: (nullable): a certificate with its private key (see ladle-tls-cert.h), or %NULL
 *   for plain HTTP
 *
 * Serves HTTPS (and wss://) with @certificate. Takes effect at the next start.
 */
void
ladle_server_set_tls_certificate (LadleServer     *self,
                                  GTlsCertificate *certificate)
{
  g_return_if_fail (LADLE_IS_SERVER (self));
  g_return_if_fail (certificate == NULL || G_IS_TLS_CERTIFICATE (certificate));

  if (g_set_object (&self->tls_certificate, certificate))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TLS_CERTIFICATE]);
}

/**
 * ladle_server_get_tls_certificate:
 *
 * Returns: (transfer none) (nullable): the certificate the server serves HTTPS with
 */
GTlsCertificate *
ladle_server_get_tls_certificate (LadleServer *self)
{
  g_return_val_if_fail (LADLE_IS_SERVER (self), NULL);
  return self->tls_certificate;
}

/**
 * ladle_server_set_routes:
 * @routes: (nullable): a #GListModel of #LadleMockRoute
 *
 * Sets the user's mock routes, matched before the built-in ones. Takes effect at once, also while
 * the server runs: later edits to @routes need another call.
 */
void
ladle_server_set_routes (LadleServer *self,
                         GListModel  *routes)
{
  g_return_if_fail (LADLE_IS_SERVER (self));
  g_return_if_fail (routes == NULL || G_IS_LIST_MODEL (routes));

  g_clear_pointer (&self->router, ladle_mock_router_unref);
  if (routes != NULL)
    self->router = ladle_mock_router_new (routes);

  /* Swapped under a lock rather than posted to the server thread, so that a request sent after
   * this call returns is answered by the new routes. */
  if (self->rt != NULL)
    {
      LadleMockRouter *old;

      g_mutex_lock (&self->rt->router_lock);
      old = g_steal_pointer (&self->rt->router);
      self->rt->router = self->router ? ladle_mock_router_ref (self->router) : NULL;
      g_mutex_unlock (&self->rt->router_lock);
      g_clear_pointer (&old, ladle_mock_router_unref);
    }
}

const char *
ladle_server_get_host (LadleServer *self)
{
  g_return_val_if_fail (LADLE_IS_SERVER (self), NULL);
  return self->host;
}

void
ladle_server_set_host (LadleServer *self,
                       const char  *host)
{
  g_return_if_fail (LADLE_IS_SERVER (self));
  g_return_if_fail (host != NULL);

  if (g_strcmp0 (self->host, host) != 0)
    {
      g_free (self->host);
      self->host = g_strdup (host);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOST]);
    }
}

guint
ladle_server_get_port (LadleServer *self)
{
  g_return_val_if_fail (LADLE_IS_SERVER (self), 0);
  return self->port;
}

void
ladle_server_set_port (LadleServer *self,
                       guint        port)
{
  g_return_if_fail (LADLE_IS_SERVER (self));
  g_return_if_fail (port <= 65535);

  if (self->port != port)
    {
      self->port = port;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
    }
}

const char *
ladle_server_get_uploads_dir (LadleServer *self)
{
  g_return_val_if_fail (LADLE_IS_SERVER (self), NULL);
  return self->uploads_dir;
}

void
ladle_server_set_uploads_dir (LadleServer *self,
                              const char  *uploads_dir)
{
  g_return_if_fail (LADLE_IS_SERVER (self));
  g_return_if_fail (uploads_dir != NULL);

  if (g_strcmp0 (self->uploads_dir, uploads_dir) != 0)
    {
      g_free (self->uploads_dir);
      self->uploads_dir = g_strdup (uploads_dir);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPLOADS_DIR]);
    }
}

guint64
ladle_server_get_max_upload_size (LadleServer *self)
{
  g_return_val_if_fail (LADLE_IS_SERVER (self), 0);
  return self->max_upload_size;
}

/**
 * ladle_server_set_max_upload_size:
 * @max_upload_size: the largest upload body in bytes, 0 for no limit
 */
void
ladle_server_set_max_upload_size (LadleServer *self,
                                  guint64      max_upload_size)
{
  g_return_if_fail (LADLE_IS_SERVER (self));

  if (self->max_upload_size != max_upload_size)
    {
      self->max_upload_size = max_upload_size;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_UPLOAD_SIZE]);
    }
}

guint64
ladle_server_get_max_body_size (LadleServer *self)
{
  g_return_val_if_fail (LADLE_IS_SERVER (self), 0);
  return self->max_body_size;
}

/**
 * ladle_server_set_max_body_size:
 * @max_body_size: the largest body read by any route but /upload, 0 for no limit
 */
void
ladle_server_set_max_body_size (LadleServer *self,
                                guint64      max_body_size)
{
  g_return_if_fail (LADLE_IS_SERVER (self));

  if (self->max_body_size != max_body_size)
    {
      self->max_body_size = max_body_size;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_BODY_SIZE]);
    }
}

guint64
ladle_server_get_max_ws_message_size (LadleServer *self)
{
  g_return_val_if_fail (LADLE_IS_SERVER (self), 0);
  return self->max_ws_message_size;
}

/**
 * ladle_server_set_max_ws_message_size:
 * @max_ws_message_size: the largest WebSocket message in bytes (after inflating, whatever its
 *   fragments), 0 for no limit
 *
 * A larger message closes the connection with 1009. Takes effect at the next start.
 */
void
ladle_server_set_max_ws_message_size (LadleServer *self,
                                      guint64      max_ws_message_size)
{
  g_return_if_fail (LADLE_IS_SERVER (self));

  if (self->max_ws_message_size != max_ws_message_size)
    {
      self->max_ws_message_size = max_ws_message_size;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_WS_MESSAGE_SIZE]);
    }
}

guint
ladle_server_get_ws_ping_interval (LadleServer *self)
{
  g_return_val_if_fail (LADLE_IS_SERVER (self), 0);
  return self->ws_ping_interval;
}

/**
 * ladle_server_set_ws_ping_interval:
 * @seconds: how often WebSocket peers are pinged, 0 for never
 *
 * A peer that leaves pings unanswered for two intervals and a second is dropped. Takes effect at
 * the next start.
 */
void
ladle_server_set_ws_ping_interval (LadleServer *self,
                                   guint        seconds)
{
  g_return_if_fail (LADLE_IS_SERVER (self));

  if (self->ws_ping_interval != seconds)
    {
      self->ws_ping_interval = seconds;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WS_PING_INTERVAL]);
    }
}

double
ladle_server_get_idle_timeout (LadleServer *self)
{
  g_return_val_if_fail (LADLE_IS_SERVER (self), 0);
  return self->idle_timeout;
}

/**
 * ladle_server_set_idle_timeout:
 * @seconds: how long a client may stay silent while its request is due
 *
 * Takes effect at the next start.
 */
void
ladle_server_set_idle_timeout (LadleServer *self,
                               double       seconds)
{
  g_return_if_fail (LADLE_IS_SERVER (self));
  g_return_if_fail (seconds > 0);

  if (self->idle_timeout != seconds)
    {
      self->idle_timeout = seconds;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE_TIMEOUT]);
    }
}

guint
ladle_server_get_max_connections (LadleServer *self)
{
  g_return_val_if_fail (LADLE_IS_SERVER (self), 0);
  return self->max_connections;
}

/**
 * ladle_server_set_max_connections:
 * @max_connections: the most client connections open at once, 0 for a ceiling worked out from
 *   the limit on open files
 *
 * A client beyond it is answered 503 and closed. Takes effect at the next start.
 */
void
ladle_server_set_max_connections (LadleServer *self,
                                  guint        max_connections)
{
  g_return_if_fail (LADLE_IS_SERVER (self));

  if (self->max_connections != max_connections)
    {
      self->max_connections = max_connections;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_CONNECTIONS]);
    }
}

guint64
ladle_server_get_max_body_memory (LadleServer *self)
{
  g_return_val_if_fail (LADLE_IS_SERVER (self), 0);
  return self->max_body_memory;
}

/**
 * ladle_server_set_max_body_memory:
 * @max_body_memory: the most bytes of request bodies held in memory at once, by all requests
 *   together (uploads go to disk and do not count), 0 for no limit
 *
 * A request whose body would go beyond it is answered 503 with Retry-After. Takes effect at the
 * next start.
 */
void
ladle_server_set_max_body_memory (LadleServer *self,
                                  guint64      max_body_memory)
{
  g_return_if_fail (LADLE_IS_SERVER (self));

  if (self->max_body_memory != max_body_memory)
    {
      self->max_body_memory = max_body_memory;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_BODY_MEMORY]);
    }
}

gboolean
ladle_server_get_log_requests (LadleServer *self)
{
  g_return_val_if_fail (LADLE_IS_SERVER (self), FALSE);
  return self->log_requests;
}

/**
 * ladle_server_set_log_requests:
 * @log_requests: whether to report each request with #LadleServer::request-logged
 *
 * Events cost about a tenth of a small request's time; turn them off when nobody reads them.
 * Applies to the requests that start after the call, also while the server runs.
 */
void
ladle_server_set_log_requests (LadleServer *self,
                               gboolean     log_requests)
{
  g_return_if_fail (LADLE_IS_SERVER (self));

  log_requests = !!log_requests;
  if (self->log_requests != log_requests)
    {
      self->log_requests = log_requests;
      if (self->rt != NULL)
        g_atomic_int_set (&self->rt->log_requests, log_requests);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOG_REQUESTS]);
    }
}

static gboolean
collect_stats_cb (gpointer data)
{
  Runtime *rt = data;

  g_mutex_lock (&rt->mutex);
  memset (&rt->stats, 0, sizeof rt->stats);
  if (rt->guard != NULL)
    rt->stats.n_connections = ladle_conn_guard_get_n_connections (rt->guard);
  if (rt->listener != NULL)
    {
      rt->stats.n_open = ladle_listener_get_n_connections (rt->listener);
      rt->stats.n_refused = ladle_listener_get_n_refused (rt->listener);
      rt->stats.max_connections = ladle_listener_get_max_connections (rt->listener);
    }
  rt->stats.body_memory = rt->body_memory;
  rt->stats.body_memory_peak = rt->body_memory_peak;
  rt->stats.n_tls_handshakes = rt->n_tls_handshakes;
  rt->stats.n_tls_failed = rt->n_tls_failed;
  rt->ready = TRUE;
  g_cond_signal (&rt->cond);
  g_mutex_unlock (&rt->mutex);

  return G_SOURCE_REMOVE;
}

/**
 * ladle_server_get_stats:
 * @stats: (out): filled in; all zero when the server is not running
 *
 * Asks the server thread for its counters; for tests and diagnostics. Waits for the server thread.
 */
void
ladle_server_get_stats (LadleServer      *self,
                        LadleServerStats *stats)
{
  Runtime *rt;

  g_return_if_fail (LADLE_IS_SERVER (self));
  g_return_if_fail (stats != NULL);

  memset (stats, 0, sizeof *stats);
  if ((rt = self->rt) == NULL)
    return;

  g_mutex_lock (&rt->mutex);
  rt->ready = FALSE;
  g_mutex_unlock (&rt->mutex);

  g_main_context_invoke (rt->context, collect_stats_cb, rt);

  g_mutex_lock (&rt->mutex);
  while (!rt->ready)
    g_cond_wait (&rt->cond, &rt->mutex);
  *stats = rt->stats;
  g_mutex_unlock (&rt->mutex);
}

/**
 * ladle_server_get_n_connections:
 *
 * Asks the server thread how many HTTP connections it follows; for tests and diagnostics.
 *
 * Returns: the number of open HTTP connections (WebSockets not counted)
 */
guint
ladle_server_get_n_connections (LadleServer *self)
{
  LadleServerStats stats;

  ladle_server_get_stats (self, &stats);
  return stats.n_connections;
}

static void
ladle_server_dispose (GObject *object)
{
  LadleServer *self = (LadleServer *) object;

  ladle_server_stop (self);

  G_OBJECT_CLASS (ladle_server_parent_class)->dispose (object);
}

static void
ladle_server_finalize (GObject *object)
{
  LadleServer *self = (LadleServer *) object;

  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->uploads_dir, g_free);
  g_clear_pointer (&self->router, ladle_mock_router_unref);
  g_clear_object (&self->tls_certificate);

  G_OBJECT_CLASS (ladle_server_parent_class)->finalize (object);
}

static void
ladle_server_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  LadleServer *self = LADLE_SERVER (object);

  switch (prop_id)
    {
    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_UPLOADS_DIR:
      g_value_set_string (value, self->uploads_dir);
      break;
    case PROP_MAX_UPLOAD_SIZE:
      g_value_set_uint64 (value, self->max_upload_size);
      break;
    case PROP_MAX_BODY_SIZE:
      g_value_set_uint64 (value, self->max_body_size);
      break;
    case PROP_MAX_WS_MESSAGE_SIZE:
      g_value_set_uint64 (value, self->max_ws_message_size);
      break;
    case PROP_WS_PING_INTERVAL:
      g_value_set_uint (value, self->ws_ping_interval);
      break;
    case PROP_IDLE_TIMEOUT:
      g_value_set_double (value, self->idle_timeout);
      break;
    case PROP_LOG_REQUESTS:
      g_value_set_boolean (value, self->log_requests);
      break;
    case PROP_MAX_CONNECTIONS:
      g_value_set_uint (value, self->max_connections);
      break;
    case PROP_MAX_BODY_MEMORY:
      g_value_set_uint64 (value, self->max_body_memory);
      break;
    case PROP_TLS_CERTIFICATE:
      g_value_set_object (value, self->tls_certificate);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, ladle_server_get_running (self));
      break;
    case PROP_BOUND_PORT:
      g_value_set_uint (value, self->bound_port);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_server_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  LadleServer *self = LADLE_SERVER (object);

  switch (prop_id)
    {
    case PROP_HOST:
      ladle_server_set_host (self, g_value_get_string (value));
      break;
    case PROP_PORT:
      ladle_server_set_port (self, g_value_get_uint (value));
      break;
    case PROP_UPLOADS_DIR:
      ladle_server_set_uploads_dir (self, g_value_get_string (value));
      break;
    case PROP_MAX_UPLOAD_SIZE:
      ladle_server_set_max_upload_size (self, g_value_get_uint64 (value));
      break;
    case PROP_MAX_BODY_SIZE:
      ladle_server_set_max_body_size (self, g_value_get_uint64 (value));
      break;
    case PROP_MAX_WS_MESSAGE_SIZE:
      ladle_server_set_max_ws_message_size (self, g_value_get_uint64 (value));
      break;
    case PROP_WS_PING_INTERVAL:
      ladle_server_set_ws_ping_interval (self, g_value_get_uint (value));
      break;
    case PROP_IDLE_TIMEOUT:
      ladle_server_set_idle_timeout (self, g_value_get_double (value));
      break;
    case PROP_LOG_REQUESTS:
      ladle_server_set_log_requests (self, g_value_get_boolean (value));
      break;
    case PROP_MAX_CONNECTIONS:
      ladle_server_set_max_connections (self, g_value_get_uint (value));
      break;
    case PROP_MAX_BODY_MEMORY:
      ladle_server_set_max_body_memory (self, g_value_get_uint64 (value));
      break;
    case PROP_TLS_CERTIFICATE:
      ladle_server_set_tls_certificate (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_server_class_init (LadleServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ladle_server_dispose;
  object_class->finalize = ladle_server_finalize;
  object_class->get_property = ladle_server_get_property;
  object_class->set_property = ladle_server_set_property;

  properties[PROP_HOST] =
    g_param_spec_string ("host", NULL, NULL, LADLE_SERVER_DEFAULT_HOST,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, 65535, LADLE_SERVER_DEFAULT_PORT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UPLOADS_DIR] =
    g_param_spec_string ("uploads-dir", NULL, NULL, LADLE_SERVER_DEFAULT_UPLOADS_DIR,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_UPLOAD_SIZE] =
    g_param_spec_uint64 ("max-upload-size", NULL, NULL, 0, G_MAXUINT64,
                         LADLE_SERVER_DEFAULT_MAX_UPLOAD_SIZE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_BODY_SIZE] =
    g_param_spec_uint64 ("max-body-size", NULL, NULL, 0, G_MAXUINT64,
                         LADLE_SERVER_DEFAULT_MAX_BODY_SIZE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_WS_MESSAGE_SIZE] =
    g_param_spec_uint64 ("max-ws-message-size", NULL, NULL, 0, G_MAXUINT64,
                         LADLE_SERVER_DEFAULT_MAX_WS_MESSAGE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WS_PING_INTERVAL] =
    g_param_spec_uint ("ws-ping-interval", NULL, NULL, 0, 3600,
                       LADLE_SERVER_DEFAULT_WS_PING_INTERVAL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IDLE_TIMEOUT] =
    g_param_spec_double ("idle-timeout", NULL, NULL, 0.001, 3600,
                         LADLE_SERVER_DEFAULT_IDLE_TIMEOUT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOG_REQUESTS] =
    g_param_spec_boolean ("log-requests", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_CONNECTIONS] =
    g_param_spec_uint ("max-connections", NULL, NULL, 0, G_MAXUINT,
                       LADLE_SERVER_DEFAULT_MAX_CONNECTIONS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_BODY_MEMORY] =
    g_param_spec_uint64 ("max-body-memory", NULL, NULL, 0, G_MAXUINT64,
                         LADLE_SERVER_DEFAULT_MAX_BODY_MEMORY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TLS_CERTIFICATE] =
    g_param_spec_object ("tls-certificate", NULL, NULL, G_TYPE_TLS_CERTIFICATE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BOUND_PORT] =
    g_param_spec_uint ("bound-port", NULL, NULL, 0, 65535, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LadleServer::request-logged:
   * @event: the #LadleServerEvent
   *
   * Emitted on the owner's main context, in batches, once per request the server answered or
   * lost, and once per WebSocket handshake.
   */
  signals[REQUEST_LOGGED] =
    g_signal_new ("request-logged",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, LADLE_TYPE_SERVER_EVENT);

  /**
   * LadleServer::files-stored:
   * @files: a #GListModel of #LadleStoredFile, in the order of the upload's parts
   *
   * Emitted on the owner's main context once per upload whose files reached their final names in
   * the uploads folder (a POST to /upload that no mock route answers), before the request's own
   * #LadleServer::request-logged; whether or not requests are logged.
   */
  signals[FILES_STORED] =
    g_signal_new ("files-stored",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_LIST_MODEL);

  request_state_quark = g_quark_from_static_string ("ladle-request-state");
}

static void
ladle_server_init (LadleServer *self)
{
  self->host = g_strdup (LADLE_SERVER_DEFAULT_HOST);
  self->port = LADLE_SERVER_DEFAULT_PORT;
  self->uploads_dir = g_strdup (LADLE_SERVER_DEFAULT_UPLOADS_DIR);
  self->max_upload_size = LADLE_SERVER_DEFAULT_MAX_UPLOAD_SIZE;
  self->max_body_size = LADLE_SERVER_DEFAULT_MAX_BODY_SIZE;
  self->max_ws_message_size = LADLE_SERVER_DEFAULT_MAX_WS_MESSAGE;
  self->ws_ping_interval = LADLE_SERVER_DEFAULT_WS_PING_INTERVAL;
  self->idle_timeout = LADLE_SERVER_DEFAULT_IDLE_TIMEOUT;
  self->log_requests = TRUE;
  self->max_connections = LADLE_SERVER_DEFAULT_MAX_CONNECTIONS;
  self->max_body_memory = LADLE_SERVER_DEFAULT_MAX_BODY_MEMORY;
}

LadleServer *
ladle_server_new (void)
{
  return g_object_new (LADLE_TYPE_SERVER, NULL);
}
