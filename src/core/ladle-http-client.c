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

/* LadleHttpClient: the sessions requests go out through, the cookie jar they share, and the
 * sockets under libsoup's connections (for ladle-exchange.c's check of cut chunked bodies). Each
 * send is a LadleExchange.
 *
 * A session is chosen by the request's transport settings, its key: the way out (the system's
 * proxies; straight; a manual proxy URI), HTTP/1.1 only or not, and the client certificate and CA
 * bundle — libsoup reuses a session's connections for any later message to the same host, so a
 * connection made with a certificate, trusted thanks to a CA bundle or limited to HTTP/1.1 must
 * not serve a request without them. At most MAX_SESSIONS are kept, the least recently used
 * dropped first (an exchange still going on holds its own reference).
 */

#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include <libsoup/soup.h>

#include "ladle-exchange-private.h"
#include "ladle-http-client.h"
#include "ladle-http-syntax.h"
#include "ladle-oauth2.h"
#include "ladle-proxy.h"

#define MAX_SESSIONS 8

struct _LadleHttpClient
{
  GObject        parent_instance;

  /* Owned references */
  GHashTable    *sessions;       /* transport key -> SoupSession */
  GQueue         recent;         /* the keys (owned by sessions), most recently used first */
  SoupCookieJar *cookie_jar;     /* one, shared by all sessions */
  GHashTable    *sockets;        /* libsoup's connection id -> its GSocket; shared with exchanges */
  LadleOauth2Client *oauth2;     /* tokens of the OAuth 2.0 requests, cached (made on first use) */

  guint64        memory_limit;
};

G_DEFINE_FINAL_TYPE (LadleHttpClient, ladle_http_client, G_TYPE_OBJECT)

enum {
  CLIENT_PROP_0,
  CLIENT_PROP_MEMORY_LIMIT,
  CLIENT_PROP_COOKIE_JAR,
  CLIENT_N_PROPS
};

static GParamSpec *client_properties[CLIENT_N_PROPS];

/* ------------------------------------------------------------------------------------------ */
/* LadleHttpClient */

static void
ladle_http_client_dispose (GObject *object)
{
  LadleHttpClient *self = (LadleHttpClient *) object;

  if (self->sessions != NULL)
    {
      GHashTableIter iter;
      gpointer session;

      g_hash_table_iter_init (&iter, self->sessions);
      while (g_hash_table_iter_next (&iter, NULL, &session))
        soup_session_abort (session);
    }
  g_queue_clear (&self->recent);
  g_clear_pointer (&self->sessions, g_hash_table_unref);
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
    case CLIENT_PROP_COOKIE_JAR:
      g_value_set_object (value, self->cookie_jar);
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
    case CLIENT_PROP_COOKIE_JAR:
      ladle_http_client_set_cookie_jar (self, g_value_get_object (value));
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

  /**
   * LadleHttpClient:cookie-jar:
   *
   * The jar requests send cookies from and keep them in (a workspace's, when the window switches
   * workspace).
   */
  client_properties[CLIENT_PROP_COOKIE_JAR] =
    g_param_spec_object ("cookie-jar", NULL, NULL, SOUP_TYPE_COOKIE_JAR,
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

/* The way out for a request to @host, as a session key part: "direct", "system", or "manual "
 * and the proxy URI. A loopback address (Ladle's own server, the services on this machine) is
 * reached directly when the system's proxies apply, never through a proxy the system names: with
 * no resolver at all libsoup turns proxies off for the session's connections, and GIO's default
 * proxy resolver is not made — loading its modules took ~2.5 ms of a one-shot `ladle send`
 * (doc/STACK.md §14). A manual proxy is used for loopback targets too (the user named it; the
 * tests reach a proxy on loopback this way); the request's no-proxy list (curl's --noproxy)
 * bypasses either. A redirect to another host stays on the first hop's session (its way out). */
static char *
way_out (LadleRequest  *request,
         const char    *host,
         GError       **error)
{
  g_autofree char *proxy = NULL;

  if (ladle_request_get_proxy_mode (request) == LADLE_PROXY_NONE ||
      ladle_proxy_host_bypassed (ladle_request_get_no_proxy (request), host))
    return g_strdup ("direct");

  if (ladle_request_get_proxy_mode (request) == LADLE_PROXY_SYSTEM)
    return g_strdup (ladle_http_host_is_loopback (host) ? "direct" : "system");

  proxy = ladle_proxy_resolver_uri (ladle_request_get_proxy_url (request),
                                    ladle_request_get_proxy_username (request),
                                    ladle_request_get_proxy_password (request), error);
  if (proxy == NULL)
    return NULL;
  return g_strconcat ("manual ", proxy, NULL);
}

/* libsoup 3.2 makes a tunnel's TLS connection for its own CONNECT message, and a CONNECT answered
 * 407 first is queued again: that message must present the client certificate, or a server that
 * requires one refuses the handshake (with a proxy that asked for credentials). Each session has
 * one certificate at most (it is part of the session's key), kept on the session by the
 * exchange. */
static void
session_request_queued_cb (SoupSession *session,
                           SoupMessage *msg,
                           gpointer     user_data)
{
  GTlsCertificate *cert = g_object_get_data (G_OBJECT (session), LADLE_SESSION_CLIENT_CERTIFICATE);

  if (cert != NULL && g_strcmp0 (soup_message_get_method (msg), SOUP_METHOD_CONNECT) == 0)
    soup_message_set_tls_client_certificate (msg, cert);
}

static SoupSession *
make_session (LadleHttpClient *self,
              const char      *way)
{
  SoupSession *session = new_session (self);

  g_signal_connect (session, "request-queued", G_CALLBACK (session_request_queued_cb), NULL);

  if (g_str_equal (way, "direct"))
    soup_session_set_proxy_resolver (session, NULL);
  else if (g_str_has_prefix (way, "manual "))
    {
      const char *uri = way + strlen ("manual ");
      g_autoptr(GProxyResolver) resolver = NULL;
      g_autofree char *bare = NULL;

      /* libsoup 3.2 does not take an HTTP proxy URI with credentials for a proxy (it then sends
       * the request as to the server); its 407 is answered by the exchange instead. GIO's SOCKS
       * client reads them from the URI. */
      if (g_str_has_prefix (uri, "http://"))
        {
          g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED,
                                                NULL);

          if (parsed != NULL)
            bare = g_uri_to_string_partial (parsed, G_URI_HIDE_USERINFO);
        }
      resolver = g_simple_proxy_resolver_new (bare != NULL ? bare : uri, NULL);
      soup_session_set_proxy_resolver (session, resolver);
    }
  return session;
}

/* The session for @request (to @uri), made or taken from the cache; or %NULL with @error set
 * when the request's proxy cannot be used. */
static SoupSession *
session_for (LadleHttpClient  *self,
             LadleRequest     *request,
             GUri             *uri,
             GError          **error)
{
  g_autofree char *way = NULL;
  g_autofree char *password_sum = NULL;
  g_autofree char *key = NULL;
  const char *password = ladle_request_get_tls_cert_password (request);
  const char *cert = ladle_request_get_tls_cert_file (request);
  SoupSession *session;
  char *stored;
  GList *link;

  way = way_out (request, uri != NULL ? g_uri_get_host (uri) : NULL, error);
  if (way == NULL)
    return NULL;
  if (cert != NULL && *cert != '\0' && password != NULL && *password != '\0')
    password_sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, password, -1);
  key = g_strdup_printf ("%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s", way,
                         ladle_request_get_http_version (request) == LADLE_HTTP_VERSION_1_1
                         ? "1.1" : "any",
                         cert != NULL && *cert != '\0' ? cert : "",
                         cert != NULL && *cert != '\0' && ladle_request_get_tls_key_file (request)
                         ? ladle_request_get_tls_key_file (request) : "",
                         password_sum != NULL ? password_sum : "",
                         ladle_request_get_tls_ca_file (request) != NULL
                         ? ladle_request_get_tls_ca_file (request) : "");

  session = g_hash_table_lookup (self->sessions, key);
  if (session != NULL)
    {
      link = g_queue_find_custom (&self->recent, key, (GCompareFunc) strcmp);
      g_queue_unlink (&self->recent, link);
      g_queue_push_head_link (&self->recent, link);
      return session;
    }

  while (g_queue_get_length (&self->recent) >= MAX_SESSIONS)
    {
      char *oldest = g_queue_pop_tail (&self->recent);

      /* Not aborted: an exchange still using it holds a reference */
      g_hash_table_remove (self->sessions, oldest);
    }
  session = make_session (self, way);
  stored = g_strdup (key);
  g_hash_table_insert (self->sessions, stored, session);
  g_queue_push_head (&self->recent, stored);
  return session;
}

/**
 * ladle_http_client_get_n_sessions:
 *
 * Returns: how many sessions (transport settings) the client keeps now
 */
guint
ladle_http_client_get_n_sessions (LadleHttpClient *self)
{
  g_return_val_if_fail (LADLE_IS_HTTP_CLIENT (self), 0);
  return g_hash_table_size (self->sessions);
}

static void
ladle_http_client_init (LadleHttpClient *self)
{
  self->memory_limit = LADLE_HTTP_CLIENT_DEFAULT_MEMORY_LIMIT;
  self->cookie_jar = soup_cookie_jar_new ();
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
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

/**
 * ladle_http_client_set_cookie_jar:
 * @jar: the jar later requests use
 *
 * Replaces the jar. The sessions kept are dropped (not aborted): an exchange going on keeps its
 * session, and so the jar it started with, through its redirects; the next request makes a new
 * session with @jar (so new connections).
 */
void
ladle_http_client_set_cookie_jar (LadleHttpClient *self,
                                  SoupCookieJar   *jar)
{
  g_return_if_fail (LADLE_IS_HTTP_CLIENT (self));
  g_return_if_fail (SOUP_IS_COOKIE_JAR (jar));

  if (self->cookie_jar == jar)
    return;

  g_queue_clear (&self->recent);
  g_hash_table_remove_all (self->sessions);
  g_set_object (&self->cookie_jar, jar);
  g_object_notify_by_pspec (G_OBJECT (self), client_properties[CLIENT_PROP_COOKIE_JAR]);
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
/**
 * ladle_open_in_browser:
 * @uri: an authorization or verification page
 *
 * Opens @uri in the user's default browser, unless the environment variable `LADLE_NO_BROWSER`
 * is set (the test suite sets it: no browser is ever started by a test, and the pages are
 * fetched by the tests themselves).
 *
 * Returns: %TRUE when a browser was asked to open it; else %FALSE with @error set
 */
gboolean
ladle_open_in_browser (const char  *uri,
                       GError     **error)
{
  g_return_val_if_fail (uri != NULL, FALSE);

  if (g_getenv ("LADLE_NO_BROWSER") != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("LADLE_NO_BROWSER is set"));
      return FALSE;
    }
  return g_app_info_launch_default_for_uri (uri, NULL, error);
}

static void
open_uri_in_browser (const char *uri,
                     gpointer    user_data)
{
  g_autoptr(GError) error = NULL;

  if (!ladle_open_in_browser (uri, &error))
    g_message ("Could not open %s in a browser: %s", uri, error->message);
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
    {
      g_autoptr(GError) error = NULL;
      SoupSession *session = session_for (self, ladle_exchange_get_request (exchange),
                                          soup_message_get_uri (msg), &error);

      if (session != NULL)
        _ladle_exchange_send (exchange, session);
      else
        _ladle_exchange_fail (exchange, g_steal_pointer (&error));
    }
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
