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

/* LadleHttpClient: the sessions requests go out through (one via the system's proxies, one
 * straight to loopback addresses), the cookie jar they share, and the sockets under libsoup's
 * connections (for ladle-exchange.c's check of cut chunked bodies). Each send is a LadleExchange.
 */

#include "config.h"

#include <libsoup/soup.h>

#include "ladle-exchange-private.h"
#include "ladle-http-client.h"
#include "ladle-http-syntax.h"
#include "ladle-oauth2.h"

struct _LadleHttpClient
{
  GObject        parent_instance;

  /* Owned references */
  SoupSession   *session;        /* through the system's proxies */
  SoupSession   *direct_session; /* to loopback addresses, never via a proxy (made on first use) */
  SoupCookieJar *cookie_jar;     /* one, shared by both */
  GHashTable    *sockets;        /* libsoup's connection id -> its GSocket; shared with exchanges */
  LadleOauth2Client *oauth2;     /* tokens of the OAuth 2.0 requests, cached (made on first use) */

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
  g_clear_object (&self->oauth2);
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
  /* No session User-Agent: libsoup 3.2 writes the session's over the request's, so the user's
   * own User-Agent header would be lost; ladle_request_build_message() adds Ladle's when the
   * request has none. Timeouts are per request and done by LadleExchange: the session's are
   * per connection.
   * libsoup's default of 2 connections per host would make `ladle run --parallel 8` (and eight
   * tabs sending to one server) wait in line: LADLE_HTTP_CLIENT_MAX_PER_HOST at a time
   * (doc/STACK.md §15). */
  SoupSession *session = soup_session_new_with_options ("timeout", 0,
                                                        "max-conns", 4 * LADLE_HTTP_CLIENT_MAX_PER_HOST,
                                                        "max-conns-per-host",
                                                        LADLE_HTTP_CLIENT_MAX_PER_HOST,
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

/**
 * ladle_http_client_get_cookie_jar:
 *
 * Returns: (transfer none): the jar every request of @self shares (its "changed" signal tells
 *   of each cookie set, replaced or removed)
 */
SoupCookieJar *
ladle_http_client_get_cookie_jar (LadleHttpClient *self)
{
  g_return_val_if_fail (LADLE_IS_HTTP_CLIENT (self), NULL);

  return self->cookie_jar;
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
static void
open_uri_in_browser (const char *uri,
                     gpointer    user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri (uri, NULL, &error))
    g_warning ("Could not open %s in a browser: %s", uri, error->message);
}

/**
 * ladle_http_client_get_oauth2_client:
 *
 * The OAuth 2.0 client that fetches (and caches) the tokens of requests whose auth kind is
 * %LADLE_AUTH_OAUTH2. Its authorization pages open in the default browser unless the caller sets
 * another function; the device code grant needs a device function to show the code.
 *
 * Returns: (transfer none): the client, made on first use
 */
LadleOauth2Client *
ladle_http_client_get_oauth2_client (LadleHttpClient *self)
{
  g_return_val_if_fail (LADLE_IS_HTTP_CLIENT (self), NULL);

  if (self->oauth2 == NULL)
    {
      self->oauth2 = ladle_oauth2_client_new (NULL);
      ladle_oauth2_client_set_open_uri_func (self->oauth2, open_uri_in_browser, NULL, NULL);
    }
  return self->oauth2;
}

typedef struct
{
  LadleHttpClient *client;
  LadleExchange   *exchange;
  GTask           *task;
  GCancellable    *cancellable;
} TokenWait;

static void
token_wait_free (TokenWait *wait)
{
  g_object_unref (wait->client);
  g_object_unref (wait->exchange);
  g_object_unref (wait->task);
  g_clear_object (&wait->cancellable);
  g_free (wait);
}

static void send_prepared (LadleHttpClient *self,
                           LadleExchange   *exchange,
                           GTask           *task,
                           GCancellable    *cancellable);

/* The token is there (or not): the request goes with it, or the exchange fails with the token
 * endpoint's words, before anything is sent to the request's own server. */
static void
oauth2_token_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      data)
{
  TokenWait *wait = data;
  g_autoptr(LadleOauth2Token) token = NULL;
  g_autofree char *authorization = NULL;
  GError *error = NULL;

  token = ladle_oauth2_client_get_token_finish (LADLE_OAUTH2_CLIENT (object), result, &error);
  if (token == NULL)
    _ladle_exchange_fail_unsent (wait->exchange, wait->task, wait->cancellable, error);
  else
    {
      authorization = ladle_oauth2_token_dup_authorization (token);
      _ladle_exchange_set_authorization (wait->exchange, authorization);
      send_prepared (wait->client, wait->exchange, wait->task, wait->cancellable);
    }
  token_wait_free (wait);
}

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

  g_return_val_if_fail (LADLE_IS_HTTP_CLIENT (self), NULL);
  g_return_val_if_fail (LADLE_IS_REQUEST (request), NULL);
  g_return_val_if_fail (output_file == NULL || G_IS_FILE (output_file), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  exchange = _ladle_exchange_new (request, output_file, self->memory_limit, self->sockets);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ladle_http_client_send_async);

  if (ladle_request_get_auth_kind (request) == LADLE_AUTH_OAUTH2)
    {
      /* The token first: nothing of the request is built, and no timer runs, while the token
       * endpoint (or the user, in the browser) answers. */
      g_autoptr(LadleOauth2Config) config = ladle_oauth2_config_new_from_request (request);
      TokenWait *wait = g_new0 (TokenWait, 1);

      wait->client = g_object_ref (self);
      wait->exchange = g_object_ref (exchange);
      wait->task = g_object_ref (task);
      wait->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
      ladle_oauth2_client_get_token_async (ladle_http_client_get_oauth2_client (self), config,
                                           FALSE, cancellable, oauth2_token_cb, wait);
      return exchange;
    }

  send_prepared (self, exchange, task, cancellable);
  return exchange;
}

static void
send_prepared (LadleHttpClient *self,
               LadleExchange   *exchange,
               GTask           *task,
               GCancellable    *cancellable)
{
  SoupMessage *msg = _ladle_exchange_prepare (exchange, task, cancellable);

  if (msg != NULL)
    _ladle_exchange_send (exchange, session_for (self, soup_message_get_uri (msg)));
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
