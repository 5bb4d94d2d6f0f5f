/* ladle-test-utils.c
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

#include <execinfo.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/resource.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ladle-server.h"
#include "ladle-test-utils.h"

struct _LadleTestServer
{
  GThread              *thread;
  GMainContext         *context;
  GMainLoop            *loop;
  SoupServer           *server;
  LadleTestServerSetup  setup;
  gpointer              user_data;
  GMutex                mutex;
  GCond                 cond;
  gboolean              ready;
  guint                 port;
  char                 *url;
};

/* The sanitizers' runtime, when the program has one: prints the stack, symbolized */
extern void __sanitizer_print_stack_trace (void) __attribute__((weak));

/* The default handler before ours: GLib's test framework's (TAP output), with no data */
static GLogFunc chained_log_handler;

static void
explain_fatal_log (const char     *log_domain,
                   GLogLevelFlags  log_level,
                   const char     *message,
                   gpointer        user_data)
{
  chained_log_handler (log_domain, log_level, message, NULL);
  if (!(log_level & G_LOG_FLAG_FATAL) || (log_level & G_LOG_FLAG_RECURSION))
    return;

  /* GLib aborts once this returns: a rare failure (a GLib critical in a callback of an object
   * already gone) is then explained by its first occurrence. */
  fprintf (stderr, "The fatal message above came from:\n");
  if (__sanitizer_print_stack_trace != NULL)
    __sanitizer_print_stack_trace ();
  else
    {
      void *frames[64];
      int n = backtrace (frames, G_N_ELEMENTS (frames));

      backtrace_symbols_fd (frames, n, fileno (stderr));
    }
  fflush (stderr);
}

/**
 * ladle_test_explain_fatal_logs:
 *
 * Makes a fatal log message (a critical or a warning: fatal in tests) print the stack it came
 * from before the test aborts. The default log handler does it (g_test_log_set_fatal_handler()
 * would not do: GLib resets it at the start of each case). ladle_test_init() calls it; a test
 * that does not use ladle_test_init() calls it after g_test_init().
 */
void
ladle_test_explain_fatal_logs (void)
{
  GLogFunc previous = g_log_set_default_handler (explain_fatal_log, NULL);

  if (previous != explain_fatal_log)
    chained_log_handler = previous;
}

void
ladle_test_init (int    *argc,
                 char ***argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_setenv ("GIO_USE_VFS", "local", TRUE);
  g_unsetenv ("http_proxy");
  g_unsetenv ("https_proxy");
  g_unsetenv ("HTTP_PROXY");
  g_unsetenv ("HTTPS_PROXY");
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ladle_test_explain_fatal_logs ();
}

static void
log_valid_utf8 (const gchar    *log_domain,
                GLogLevelFlags  log_level,
                const gchar    *message,
                gpointer        user_data)
{
  g_autofree char *valid = g_utf8_make_valid (message, -1);

  g_log_default_handler (log_domain, log_level, valid, user_data);
}

/**
 * ladle_test_log_valid_utf8:
 *
 * Makes the debug messages of @log_domain valid UTF-8 before they are printed. libsoup 3.2 logs
 * a close reason that is not UTF-8 byte for byte, and meson's TAP reader then reports "Unknown
 * TAP output lines" for a test that sends one on purpose.
 */
void
ladle_test_log_valid_utf8 (const char *log_domain)
{
  g_log_set_handler (log_domain, G_LOG_LEVEL_DEBUG, log_valid_utf8, NULL);
}

static gpointer
test_server_thread (gpointer data)
{
  LadleTestServer *self = data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (self->context);

  self->server = soup_server_new ("server-header", "ladle-test ", NULL);
  if (self->setup != NULL)
    self->setup (self->server, self->user_data);

  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("test server: %s", error->message);

  uris = soup_server_get_uris (self->server);
  self->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_mutex_lock (&self->mutex);
  self->ready = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);

  g_main_loop_run (self->loop);

  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  /* Let pending sources (closures, timers) run down. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);

  return NULL;
}

/**
 * ladle_test_server_new:
 * @setup: (nullable): called on the server's own thread, before it listens
 *
 * Starts a bare #SoupServer on 127.0.0.1 with an ephemeral port, in its own thread with its own
 * #GMainContext, as libsoup's own tests do.
 */
LadleTestServer *
ladle_test_server_new (LadleTestServerSetup setup,
                       gpointer             user_data)
{
  LadleTestServer *self = g_new0 (LadleTestServer, 1);

  self->setup = setup;
  self->user_data = user_data;
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);

  self->thread = g_thread_new ("test-server", test_server_thread, self);

  g_mutex_lock (&self->mutex);
  while (!self->ready)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);

  self->url = g_strdup_printf ("http://127.0.0.1:%u", self->port);

  return self;
}

const char *
ladle_test_server_get_url (LadleTestServer *self)
{
  return self->url;
}

guint
ladle_test_server_get_port (LadleTestServer *self)
{
  return self->port;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* glib-networking asks the server about every client certificate, even one its tls-database
 * verified (errors 0); libsoup's answer without a handler is no */
static gboolean
mtls_accept_certificate_cb (SoupServerMessage    *msg,
                            GTlsCertificate      *certificate,
                            GTlsCertificateFlags  errors,
                            gpointer              user_data)
{
  return errors == 0;
}

static void
mtls_request_started_cb (SoupServer        *server,
                         SoupServerMessage *msg,
                         gpointer           user_data)
{
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (mtls_accept_certificate_cb), NULL);
}

/**
 * ladle_test_server_listen_mtls:
 *
 * Makes @server (from a LadleTestServerSetup, handlers added by the caller) listen over HTTPS on
 * 127.0.0.1, presenting @cert_file and @key_file and requiring a client certificate that
 * @client_ca_file signed.
 *
 * Returns: the port
 */
guint
ladle_test_server_listen_mtls (SoupServer *server,
                               const char *cert_file,
                               const char *key_file,
                               const char *client_ca_file)
{
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GTlsDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  GSList *uris;
  guint port;

  cert = g_tls_certificate_new_from_files (cert_file, key_file, &error);
  g_assert_no_error (error);
  db = g_tls_file_database_new (client_ca_file, &error);
  g_assert_no_error (error);
  g_object_set (server, "tls-certificate", cert, "tls-database", db,
                "tls-auth-mode", G_TLS_AUTHENTICATION_REQUIRED, NULL);
  g_signal_connect (server, "request-started", G_CALLBACK (mtls_request_started_cb), NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS,
                            &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  g_assert_nonnull (uris);
  port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return port;
}

/* A handler that answers with the subject of the client's certificate ("none" without one) */
void
ladle_test_whoami_handler (SoupServer        *server,
                           SoupServerMessage *msg,
                           const char        *path,
                           GHashTable        *query,
                           gpointer           user_data)
{
  GTlsCertificate *peer = soup_server_message_get_tls_peer_certificate (msg);
  g_autofree char *subject = peer != NULL ? g_tls_certificate_get_subject_name (peer)
                                          : g_strdup ("none");

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, subject,
                                    strlen (subject));
}

void
ladle_test_server_free (LadleTestServer *self)
{
  if (self == NULL)
    return;

  g_main_context_invoke (self->context, quit_loop, self->loop);
  g_thread_join (self->thread);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self->url);
  g_free (self);
}

/**
 * ladle_test_fetch:
 *
 * A blocking request for tests only (the server under test runs on another thread).
 * Returns: (transfer full): the response body
 */
GBytes *
ladle_test_fetch (SoupSession         *session,
                  const char          *method,
                  const char          *url,
                  const char          *content_type,
                  GBytes              *body,
                  guint               *out_status,
                  SoupMessageHeaders **out_headers)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  GBytes *ret;

  g_assert_nonnull (msg);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, content_type, body);

  ret = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);

  if (out_status != NULL)
    *out_status = soup_message_get_status (msg);
  if (out_headers != NULL)
    *out_headers = soup_message_headers_ref (soup_message_get_response_headers (msg));

  return ret;
}

/* A loopback port nothing listens on (bound, then released). */
guint
ladle_test_unused_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

guint
ladle_test_count_open_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;

  /* The GDir itself holds one. */
  return n - 1;
}

char *
ladle_test_make_tmpdir (const char *template_name)
{
  g_autoptr(GError) error = NULL;
  char *path = g_dir_make_tmp (template_name, &error);

  g_assert_no_error (error);
  return path;
}

void
ladle_test_rm_rf (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_unlink (path);
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      ladle_test_rm_rf (child);
    }
  g_rmdir (path);
}

/* Debian's python3 (with python3-aiohttp), not whatever an environment put first on PATH. */
const char *
ladle_test_get_python (void)
{
  if (g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    return "/usr/bin/python3";
  return "python3";
}

/* ------------------------------------------------------------------------------------------------
 * Running the ladle executable (LADLE_BIN) as a user would
 */


/* Open-file limits for children started next, 0 to inherit (set by ladle_test_set_child_nofile()) */
static struct rlimit child_nofile;

static void
kill_with_parent (gpointer data)
{
  /* A failed assertion aborts the test: the server must not outlive it. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);

  if (child_nofile.rlim_max != 0)
    setrlimit (RLIMIT_NOFILE, &child_nofile);
}

/**
 * ladle_test_set_child_nofile:
 *
 * Gives the children started from now on these limits on open files (0, 0: the test's own).
 */
void
ladle_test_set_child_nofile (guint soft,
                             guint hard)
{
  child_nofile.rlim_cur = soft;
  child_nofile.rlim_max = hard;
}

GSubprocessLauncher *
ladle_test_new_launcher (GSubprocessFlags    flags,
                         const char * const *env)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, kill_with_parent, NULL, NULL);
  for (guint i = 0; env != NULL && env[i] != NULL; i += 2)
    {
      if (env[i + 1] != NULL)
        g_subprocess_launcher_setenv (launcher, env[i], env[i + 1], TRUE);
      else
        g_subprocess_launcher_unsetenv (launcher, env[i]);
    }
  return launcher;
}

void
ladle_test_async_done (GObject      *source,
                       GAsyncResult *result,
                       gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

char *
ladle_test_read_line (GDataInputStream *in)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *line;

  g_data_input_stream_read_line_async (in, G_PRIORITY_DEFAULT, NULL, ladle_test_async_done, &result);
  LADLE_TEST_WAIT_UNTIL (result != NULL, 10000);
  line = g_data_input_stream_read_line_finish_utf8 (in, result, NULL, &error);
  g_assert_no_error (error);
  return line;
}

/**
 * ladle_test_wait_exit_full:
 * @proc: a child
 * @err_text: (nullable): what the child wrote to its stderr, when the test captured it
 *
 * Waits (20 s at the most) for @proc to end and returns its exit status. A child killed by a
 * signal fails the test, and the failure says which signal and, when given, what the child wrote
 * to its stderr: a sanitizer's report, a GLib critical made fatal or a failed assertion ends in
 * SIGABRT, and only the child's stderr tells which.
 */
int
ladle_test_wait_exit_full (GSubprocess *proc,
                           const char  *err_text)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  int signum;

  g_subprocess_wait_async (proc, NULL, ladle_test_async_done, &result);
  LADLE_TEST_WAIT_UNTIL (result != NULL, 20000);
  g_subprocess_wait_finish (proc, result, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_if_exited (proc))
    return g_subprocess_get_exit_status (proc);

  signum = g_subprocess_get_term_sig (proc);
  if (err_text != NULL)
    g_test_message ("the child was killed by signal %d (%s); its stderr:\n%s", signum,
                    g_strsignal (signum), err_text[0] != '\0' ? err_text : "(empty)");
  else
    g_test_message ("the child was killed by signal %d (%s); its stderr is in the test's own",
                    signum, g_strsignal (signum));
  g_error ("the child was killed by signal %d (%s)%s", signum, g_strsignal (signum),
           err_text != NULL ? ": its stderr is above" : "");
  return -1;
}

/* Waits for @proc to end; see ladle_test_wait_exit_full(). For a child whose stderr was not
 * piped, so that it went to the test's own. */
int
ladle_test_wait_exit (GSubprocess *proc)
{
  return ladle_test_wait_exit_full (proc, NULL);
}

/* Starts `ladle serve --port 0 --uploads @uploads [@extra_args]` and reads its first line.
 * @env: pairs of name and value (a %NULL value unsets), %NULL-terminated. */
void
ladle_test_serve_start (LadleTestServe              *serve,
                        const char         *uploads,
                        const char * const *extra_args,
                        const char * const *env)
{
  g_autoptr(GSubprocessLauncher) launcher = ladle_test_new_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE, env);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autoptr(GRegex) regex = g_regex_new (" (http://[^ ]+:([0-9]+))/$", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *port = NULL;

  g_strv_builder_add_many (builder, g_getenv ("LADLE_BIN"), "serve", "--port", "0",
                           "--uploads", uploads, NULL);
  if (extra_args != NULL)
    g_strv_builder_addv (builder, (const char **) extra_args);
  argv = g_strv_builder_end (builder);

  memset (serve, 0, sizeof *serve);
  serve->proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  g_assert_no_error (error);
  serve->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (serve->proc));
  serve->first_line = ladle_test_read_line (serve->out);
  g_assert_nonnull (serve->first_line);

  g_assert_true (g_regex_match (regex, serve->first_line, 0, &match));
  serve->url = g_match_info_fetch (match, 1);
  port = g_match_info_fetch (match, 2);
  serve->port = (guint) g_ascii_strtoull (port, NULL, 10);
  g_assert_cmpuint (serve->port, >, 0);
  g_assert_cmpuint (serve->port, <, 65536);
}

void
ladle_test_serve_stop (LadleTestServe *serve,
                       int    signum)
{
  g_subprocess_send_signal (serve->proc, signum);
  g_assert_cmpint (ladle_test_wait_exit (serve->proc), ==, 0);
  g_clear_object (&serve->out);
  g_clear_object (&serve->proc);
  g_clear_pointer (&serve->first_line, g_free);
  g_clear_pointer (&serve->url, g_free);
}

/* Bytes a child wrote, as text: %NULL when they are not UTF-8 (as GSubprocess's UTF-8 variant
 * fails then) */
static char *
child_output_text (GBytes *bytes)
{
  gsize size = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &size) : NULL;

  if (data == NULL)
    return g_strdup ("");
  if (!g_utf8_validate_len (data, size, NULL))
    return NULL;
  return g_strndup (data, size);
}

/* Runs a short-lived command to its end; returns its exit status. If the child dies by a signal,
 * the test fails with what it wrote to its stderr (ladle_test_wait_exit_full()), whether or not
 * the caller asked for it. */
int
ladle_test_run_command (const char * const  *argv,
                        const char * const  *env,
                        char               **out_stdout,
                        char               **out_stderr)
{
  g_autoptr(GSubprocessLauncher) launcher =
    ladle_test_new_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, env);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) out_bytes = NULL;
  g_autoptr(GBytes) err_bytes = NULL;
  g_autofree char *err = NULL;
  g_autofree char *err_shown = NULL;
  int status;

  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_async (proc, NULL, NULL, ladle_test_async_done, &result);
  LADLE_TEST_WAIT_UNTIL (result != NULL, 20000);
  g_subprocess_communicate_finish (proc, result, &out_bytes, &err_bytes, &error);
  g_assert_no_error (error);

  err = child_output_text (err_bytes);
  if (err == NULL)
    err_shown = g_utf8_make_valid (g_bytes_get_data (err_bytes, NULL),
                                   g_bytes_get_size (err_bytes));
  status = ladle_test_wait_exit_full (proc, err != NULL ? err : err_shown);

  if (out_stdout != NULL)
    {
      *out_stdout = child_output_text (out_bytes);
      if (*out_stdout == NULL)
        g_error ("the child's stdout is not UTF-8");
    }
  if (out_stderr != NULL)
    {
      if (err == NULL)
        g_error ("the child's stderr is not UTF-8:\n%s", err_shown);
      *out_stderr = g_steal_pointer (&err);
    }
  return status;
}

guint
ladle_test_count_entries (const char *dir_path)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  guint n = 0;

  if (dir == NULL)
    return 0;
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* ------------------------------------------------------------------------------------------------
 * A TCP server that answers the opening handshake by hand, sends what it was given, then reads and
 * ignores everything: it never answers a ping, nor a close frame, nor closes first. */


char *
ladle_test_websocket_accept (const char *key)
{
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize len = sizeof digest;

  g_checksum_update (sha1, (const guchar *) key, -1);
  g_checksum_update (sha1, (const guchar *) "258EAFA5-E914-47DA-95CA-C5AB0DC85B11", -1);
  g_checksum_get_digest (sha1, digest, &len);
  return g_base64_encode (digest, len);
}

static gboolean
read_exactly (GInputStream *in,
              guint8       *buffer,
              gsize         len)
{
  gsize got = 0;

  return g_input_stream_read_all (in, buffer, len, &got, NULL, NULL) && got == len;
}

/* Reads one of the client's frames (masked, payloads up to @size bytes are unmasked) and notes
 * the code of its first close frame; FALSE at the end of the connection. */
static gboolean
raw_server_read_frame (LadleTestRawWsServer *raw,
                       GInputStream         *in,
                       guint8               *buffer,
                       gsize                 size)
{
  guint8 h[14];
  guint64 len;
  gsize ext;

  if (!read_exactly (in, h, 2))
    return FALSE;
  len = h[1] & 0x7f;
  ext = len == 126 ? 2 : len == 127 ? 8 : 0;
  if (!read_exactly (in, h + 2, ext + ((h[1] & 0x80) ? 4 : 0)))
    return FALSE;
  if (ext > 0)
    {
      len = 0;
      for (gsize k = 0; k < ext; k++)
        len = len << 8 | h[2 + k];
    }

  while (len > 0)
    {
      gsize n = MIN (len, size);
      gboolean close = (h[0] & 0x0f) == 0x8 && len <= size;

      if (!read_exactly (in, buffer, n))
        return FALSE;
      if (close && g_atomic_int_get (&raw->close_code) < 0)
        {
          const guint8 *key = h + 2 + ext;

          g_atomic_int_set (&raw->close_code,
                            n >= 2 ? (buffer[0] ^ key[0]) << 8 | (buffer[1] ^ key[1]) : 0);
        }
      len -= n;
    }
  if ((h[0] & 0x0f) == 0x8 && (h[1] & 0x7f) == 0)
    g_atomic_int_compare_and_exchange (&raw->close_code, -1, 0);

  return TRUE;
}

static gpointer
raw_server_thread (gpointer data)
{
  LadleTestRawWsServer *raw = data;
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autofree char *key = NULL;
  g_autofree char *accept = NULL;
  g_autofree char *reply = NULL;
  guint8 buffer[4096];

  conn = g_socket_listener_accept (raw->listener, NULL, NULL, NULL);
  if (conn == NULL)
    return NULL;
  in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (conn)));
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (in), FALSE);
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (in, NULL, NULL, NULL);

      if (line == NULL)
        return NULL;
      g_strchomp (line);
      if (line[0] == '\0')
        break;
      if (g_ascii_strncasecmp (line, "Sec-WebSocket-Key:", 18) == 0)
        key = g_strstrip (g_strdup (line + 18));
    }
  g_assert_nonnull (key);
  accept = ladle_test_websocket_accept (key);
  reply = g_strdup_printf ("HTTP/1.1 101 Switching Protocols\r\n"
                           "Upgrade: websocket\r\n"
                           "Connection: Upgrade\r\n"
                           "Sec-WebSocket-Accept: %s\r\n\r\n", accept);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), reply,
                             strlen (reply), NULL, NULL, NULL);
  g_atomic_int_inc (&raw->handshakes);
  if (raw->script != NULL)
    g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)),
                               g_bytes_get_data (raw->script, NULL),
                               g_bytes_get_size (raw->script), NULL, NULL, NULL);

  while (raw_server_read_frame (raw, G_INPUT_STREAM (in), buffer, sizeof buffer))
    ;

  /* A server that does not answer does not close either: a client that waits for it waits. */
  g_mutex_lock (&raw->mutex);
  while (!raw->released)
    g_cond_wait (&raw->cond, &raw->mutex);
  g_mutex_unlock (&raw->mutex);
  return NULL;
}

LadleTestRawWsServer *
ladle_test_raw_ws_server_new (void)
{
  return ladle_test_raw_ws_server_new_full (NULL, 0);
}

/**
 * ladle_test_raw_ws_server_new_full:
 * @script: (nullable): bytes (frames) to send right after the handshake answer
 *
 * Like ladle_test_raw_ws_server_new(); the close code the client sends shows in close_code once
 * the thread is joined (ladle_test_raw_ws_server_free() does), or atomically before.
 */
LadleTestRawWsServer *
ladle_test_raw_ws_server_new_full (const guint8 *script,
                                   gsize         script_len)
{
  LadleTestRawWsServer *raw = g_new0 (LadleTestRawWsServer, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  raw->listener = g_socket_listener_new ();
  g_socket_listener_add_address (raw->listener, address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  raw->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  raw->close_code = -1;
  g_mutex_init (&raw->mutex);
  g_cond_init (&raw->cond);
  if (script_len > 0)
    raw->script = g_bytes_new (script, script_len);
  raw->thread = g_thread_new ("raw-ws", raw_server_thread, raw);
  return raw;
}

/* Waits for the client to end the connection (ending the server's end then). */
void
ladle_test_raw_ws_server_free (LadleTestRawWsServer *raw)
{
  g_mutex_lock (&raw->mutex);
  raw->released = TRUE;
  g_cond_signal (&raw->cond);
  g_mutex_unlock (&raw->mutex);
  /* A server nobody reached still waits in accept(): reach it, and leave at once. */
  if (g_atomic_int_get (&raw->handshakes) == 0)
    close (ladle_test_raw_connect (raw->port));
  g_thread_join (raw->thread);
  g_socket_listener_close (raw->listener);
  g_object_unref (raw->listener);
  g_clear_pointer (&raw->script, g_bytes_unref);
  g_mutex_clear (&raw->mutex);
  g_cond_clear (&raw->cond);
  g_free (raw);
}

LadleTestRawListener *
ladle_test_raw_listener_new (void)
{
  LadleTestRawListener *self = g_new0 (LadleTestRawListener, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  self->socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                               G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_set_blocking (self->socket, FALSE);
  g_assert_true (g_socket_bind (self->socket, any, TRUE, &error));
  g_assert_true (g_socket_listen (self->socket, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (self->socket, &error);
  g_assert_no_error (error);
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  self->connections = g_ptr_array_new_with_free_func (g_object_unref);
  self->received = g_string_new (NULL);
  return self;
}

void
ladle_test_raw_listener_poll (LadleTestRawListener *self)
{
  GSocket *accepted;

  while ((accepted = g_socket_accept (self->socket, NULL, NULL)) != NULL)
    {
      g_socket_set_blocking (accepted, FALSE);
      g_ptr_array_add (self->connections, accepted);
    }

  for (guint i = 0; i < self->connections->len; i++)
    {
      char buffer[4096];
      gssize n;

      while ((n = g_socket_receive (g_ptr_array_index (self->connections, i), buffer,
                                    sizeof buffer, NULL, NULL)) > 0)
        g_string_append_len (self->received, buffer, n);
    }
}

char *
ladle_test_raw_listener_dup_url (LadleTestRawListener *self,
                                 const char           *path)
{
  return g_strdup_printf ("http://127.0.0.1:%u%s", self->port, path);
}

void
ladle_test_raw_listener_free (LadleTestRawListener *self)
{
  g_ptr_array_unref (self->connections);
  g_socket_close (self->socket, NULL);
  g_object_unref (self->socket);
  g_string_free (self->received, TRUE);
  g_free (self);
}

/**
 * ladle_test_run:
 *
 * g_test_run(), then lets GLib's idle worker threads exit before the process does.
 * LeakSanitizer's end-of-process check stops every thread and reads its TLS; a worker that is
 * just winding down at that moment with dynamic TLS from a dlopen()ed module (GnuTLS, through
 * glib-networking) makes its tracer crash now and then ("Tracer caught signal 11"), failing a
 * test that passed. Asking the idle threads to stop, and giving them a moment, keeps the
 * check away from them.
 */
int
ladle_test_run (void)
{
  int status = g_test_run ();

  g_thread_pool_set_max_unused_threads (0);
  g_thread_pool_stop_unused_threads ();
  g_usleep (200 * G_TIME_SPAN_MILLISECOND);

  return status;
}

/* --- A raw server with one canned answer ------------------------------------------------------ */

struct _LadleTestCanned
{
  GSocketService *service;
  char           *answer;
  gboolean        keep_open;
  char           *url;
};

static gboolean
canned_run_cb (GThreadedSocketService *service,
               GSocketConnection      *connection,
               GObject                *source,
               gpointer                user_data)
{
  LadleTestCanned *canned = user_data;
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  char buffer[4096];

  /* In the service's own thread: blocking calls are fine here. */
  g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL);
  g_output_stream_write_all (out, canned->answer, strlen (canned->answer), NULL, NULL, NULL);
  if (canned->keep_open)
    while (g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL) > 0)
      ;
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

/**
 * ladle_test_canned_new:
 * @answer: the bytes every connection gets, whatever it asks
 * @keep_open: after answering, wait for the client to close (else close at once)
 *
 * A loopback server for what a real server would never send (cut bodies, bad lengths).
 */
LadleTestCanned *
ladle_test_canned_new (const char *answer,
                       gboolean    keep_open)
{
  LadleTestCanned *canned = g_new0 (LadleTestCanned, 1);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  canned->service = g_threaded_socket_service_new (4);
  canned->answer = g_strdup (answer);
  canned->keep_open = keep_open;
  g_socket_listener_add_address (G_SOCKET_LISTENER (canned->service), any, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  g_signal_connect (canned->service, "run", G_CALLBACK (canned_run_cb), canned);
  g_socket_service_start (canned->service);
  canned->url = g_strdup_printf ("http://127.0.0.1:%u/",
                                 g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  return canned;
}

const char *
ladle_test_canned_get_url (LadleTestCanned *canned)
{
  return canned->url;
}

void
ladle_test_canned_free (LadleTestCanned *canned)
{
  g_socket_service_stop (canned->service);
  g_socket_listener_close (G_SOCKET_LISTENER (canned->service));
  g_clear_object (&canned->service);
  g_free (canned->answer);
  g_free (canned->url);
  g_free (canned);
}

/* --- How deep json-glib goes ------------------------------------------------------------------ */

typedef struct
{
  guint depth;
  guint max;
} Reach;

static void
reach_start (JsonParser *parser,
             Reach      *reach)
{
  reach->depth++;
  reach->max = MAX (reach->max, reach->depth);
}

static void
reach_end (JsonParser *parser,
           gpointer    node,
           Reach      *reach)
{
  reach->depth--;
}

/**
 * ladle_test_json_glib_reach:
 * @len: the length of @data, or -1 when it ends with a NUL byte
 *
 * Returns: how many levels of arrays and objects json-glib went into while parsing @data (from its
 *   start and end signals; also when the parse fails)
 */
guint
ladle_test_json_glib_reach (const char *data,
                            gssize      len)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  Reach reach = { 0, 0 };

  g_signal_connect (parser, "array-start", G_CALLBACK (reach_start), &reach);
  g_signal_connect (parser, "object-start", G_CALLBACK (reach_start), &reach);
  g_signal_connect (parser, "array-end", G_CALLBACK (reach_end), &reach);
  g_signal_connect (parser, "object-end", G_CALLBACK (reach_end), &reach);
  json_parser_load_from_data (parser, data, len, NULL);

  return reach.max;
}

/**
 * ladle_test_raw_connect:
 *
 * Returns: a plain blocking TCP connection to @port on 127.0.0.1, for what libsoup's client would
 *   hide or refuse to send
 */
int
ladle_test_raw_connect (guint port)
{
  struct sockaddr_in addr = { 0 };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  addr.sin_family = AF_INET;
  addr.sin_port = htons (port);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (connect (fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);

  return fd;
}

/* ------------------------------------------------------------------------------------------------
 * Ladle's own server, logging what reached it
 */

struct _LadleTestLogServer
{
  LadleServer *server;
  char        *url;
  GPtrArray   *log;
};

static void
logged_free (gpointer data)
{
  LadleTestLogged *logged = data;

  g_free (logged->method);
  g_free (logged->path);
  g_clear_pointer (&logged->headers, soup_message_headers_unref);
  g_clear_pointer (&logged->body, g_bytes_unref);
  g_free (logged);
}

static void
log_server_request_logged (LadleServer      *server,
                           LadleServerEvent *event,
                           gpointer          user_data)
{
  LadleTestLogServer *self = user_data;
  SoupMessageHeaders *headers = ladle_server_event_get_request_headers (event);
  GBytes *body = ladle_server_event_get_request_body (event);
  LadleTestLogged *logged;

  if (ladle_server_event_get_method (event) == NULL)
    return;

  logged = g_new0 (LadleTestLogged, 1);
  logged->method = g_strdup (ladle_server_event_get_method (event));
  logged->path = g_strdup (ladle_server_event_get_path (event));
  logged->status = ladle_server_event_get_status (event);
  logged->headers = headers != NULL ? soup_message_headers_ref (headers)
                                    : soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  logged->body = body != NULL ? g_bytes_ref (body) : g_bytes_new (NULL, 0);
  logged->time = ladle_server_event_get_time (event);
  logged->duration = ladle_server_event_get_duration (event);
  g_ptr_array_add (self->log, logged);
}

LadleTestLogServer *
ladle_test_log_server_new (const char *uploads,
                           double      idle_timeout)
{
  LadleTestLogServer *self = g_new0 (LadleTestLogServer, 1);
  g_autoptr(GError) error = NULL;

  self->log = g_ptr_array_new_with_free_func (logged_free);
  self->server = ladle_server_new ();
  ladle_server_set_port (self->server, 0);
  if (uploads != NULL)
    ladle_server_set_uploads_dir (self->server, uploads);
  if (idle_timeout > 0)
    ladle_server_set_idle_timeout (self->server, idle_timeout);
  ladle_server_set_log_requests (self->server, TRUE);
  g_signal_connect (self->server, "request-logged", G_CALLBACK (log_server_request_logged), self);
  ladle_server_start (self->server, &error);
  g_assert_no_error (error);
  self->url = g_strdup_printf ("http://127.0.0.1:%u", ladle_server_get_bound_port (self->server));
  return self;
}

const char *
ladle_test_log_server_get_url (LadleTestLogServer *self)
{
  return self->url;
}

GPtrArray *
ladle_test_log_server_get_log (LadleTestLogServer *self)
{
  return self->log;
}

void
ladle_test_log_server_settle (LadleTestLogServer *self)
{
  gint64 deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  guint before;

  do
    {
      gint64 quiet_until = g_get_monotonic_time () + 50 * 1000;

      before = self->log->len;
      while (g_get_monotonic_time () < quiet_until)
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (1000);
        }
    }
  while (self->log->len != before && g_get_monotonic_time () < deadline);
}

void
ladle_test_log_server_free (LadleTestLogServer *self)
{
  g_signal_handlers_disconnect_by_data (self->server, self);
  ladle_server_stop (self->server);
  g_clear_object (&self->server);
  g_ptr_array_unref (self->log);
  g_free (self->url);
  g_free (self);
}

char *
ladle_test_logged_line (const LadleTestLogged *logged)
{
  return g_strdup_printf ("%s %s %u", logged->method, logged->path, logged->status);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

char *
ladle_test_logged_headers (const LadleTestLogged *logged,
                           const char * const    *ignored)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GString *joined = g_string_new (NULL);
  SoupMessageHeadersIter iter;
  const char *name, *value;

  soup_message_headers_iter_init (&iter, logged->headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      g_autofree char *lower = g_ascii_strdown (name, -1);

      if (ignored != NULL && g_strv_contains (ignored, lower))
        continue;
      g_ptr_array_add (lines, g_strdup_printf ("%s: %s", lower, value));
    }
  g_ptr_array_sort (lines, compare_strings);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (joined, "%s\n", (const char *) g_ptr_array_index (lines, i));
  return g_string_free (joined, FALSE);
}

char *
ladle_test_escape_bytes (const char *data,
                         gsize       size)
{
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < size; i++)
    {
      guchar c = data[i];

      if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_c (out, c);
    }

  return g_string_free (out, FALSE);
}

/**
 * ladle_test_port_open:
 *
 * Returns: whether something accepts connections on 127.0.0.1:@port now (never through a proxy)
 */
gboolean
ladle_test_port_open (guint port)
{
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;

  g_socket_client_set_enable_proxy (socket_client, FALSE);
  conn = g_socket_client_connect_to_host (socket_client, "127.0.0.1", (guint16) port, NULL, NULL);
  return conn != NULL;
}

/**
 * ladle_test_start_peer:
 * @port: the loopback port the peer listens on
 * @argv: the peer's command line (a proxy, a TLS server…)
 *
 * Starts a peer whose output is not wanted (it dies with the test) and waits until it accepts
 * connections on @port.
 *
 * Returns: (transfer full): the peer; stop it with ladle_test_stop_peer()
 */
GSubprocess *
ladle_test_start_peer (guint               port,
                       const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *proc;

  launcher = ladle_test_new_launcher (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                      G_SUBPROCESS_FLAGS_STDERR_SILENCE, NULL);
  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  LADLE_TEST_WAIT_UNTIL (ladle_test_port_open (port) || g_subprocess_get_identifier (proc) == NULL,
                         10000);
  g_assert_nonnull (g_subprocess_get_identifier (proc));
  return proc;
}

void
ladle_test_stop_peer (GSubprocess *proc)
{
  g_subprocess_send_signal (proc, SIGTERM);
  g_subprocess_wait (proc, NULL, NULL);
  g_object_unref (proc);
}

/* Whether @program (a name on the PATH, or a path) is there; if not, skips the test case, naming
 * the Debian @package that has it (tools/deps.sh installs it for CI) */
gboolean
ladle_test_have_program (const char *program,
                         const char *package)
{
  g_autofree char *path = g_find_program_in_path (program);

  if (path == NULL && g_file_test (program, G_FILE_TEST_IS_EXECUTABLE))
    path = g_strdup (program);
  if (path == NULL)
    {
      g_autofree char *why = g_strdup_printf ("%s is not installed (Debian package %s)", program,
                                              package);

      g_test_skip (why);
      return FALSE;
    }
  return TRUE;
}

/* tinyproxy on 127.0.0.1:@port with DIR/NAME.conf; @extra: more configuration lines */
GSubprocess *
ladle_test_start_tinyproxy (const char *dir,
                            const char *name,
                            guint       port,
                            const char *extra)
{
  g_autofree char *conf_path = g_strdup_printf ("%s/%s.conf", dir, name);
  g_autofree char *conf = NULL;
  const char *argv[] = { "tinyproxy", "-d", "-c", conf_path, NULL };

  conf = g_strdup_printf ("Port %u\n"
                          "Listen 127.0.0.1\n"
                          "Timeout 30\n"
                          "LogLevel Info\n"
                          "MaxClients 20\n"
                          "Allow 127.0.0.1\n"
                          "%s\n",
                          port, extra != NULL ? extra : "");
  g_assert_true (g_file_set_contents (conf_path, conf, -1, NULL));
  return ladle_test_start_peer (port, argv);
}

/* dante (SOCKS5) on 127.0.0.1:@port, its configuration in @dir, logging to @log_path; with
 * @username, user name / password (RFC 1929) checked against the system's users */
GSubprocess *
ladle_test_start_dante (const char *dir,
                        guint       port,
                        gboolean    username,
                        const char *log_path)
{
  g_autofree char *conf_path = g_strdup_printf ("%s/danted-%u.conf", dir, port);
  g_autofree char *pid_path = g_strdup_printf ("%s/danted-%u.pid", dir, port);
  g_autofree char *conf = NULL;
  const char *argv[] = { "/usr/sbin/danted", "-f", conf_path, "-p", pid_path, NULL };

  conf = g_strdup_printf ("logoutput: %s\n"
                          "internal: 127.0.0.1 port = %u\n"
                          "external: 127.0.0.1\n"
                          "clientmethod: none\n"
                          "socksmethod: %s\n"
                          "client pass {\n  from: 127.0.0.0/8 to: 0.0.0.0/0\n}\n"
                          "socks pass {\n  from: 127.0.0.0/8 to: 0.0.0.0/0\n"
                          "  command: connect\n  log: connect\n}\n",
                          log_path, port, username ? "username" : "none");
  g_assert_true (g_file_set_contents (conf_path, conf, -1, NULL));
  return ladle_test_start_peer (port, argv);
}

/* How many times @needle stands in the file at @path (0 when it cannot be read): peers' logs */
guint
ladle_test_count_in_file (const char *path,
                          const char *needle)
{
  g_autofree char *text = NULL;
  guint n = 0;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  for (const char *p = text; (p = strstr (p, needle)) != NULL; p++)
    n++;
  return n;
}
