/* ladle-cli-serve.c
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

#include <signal.h>
#include <stdio.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "ladle-cli.h"
#include "ladle-error.h"
#include "ladle-mock-routes.h"
#include "ladle-server.h"
#include "ladle-tls-cert.h"

/* `ladle serve`: the embedded server, headless. The same LadleServer the window starts. */

typedef struct
{
  GMainLoop *loop;
  gboolean   quiet;
  gboolean   flush_pending;
} ServeState;

static gboolean
flush_stdout (gpointer data)
{
  ServeState *state = data;

  fflush (stdout);
  state->flush_pending = FALSE;
  return G_SOURCE_REMOVE;
}

static void
on_request_logged (LadleServer      *server,
                   LadleServerEvent *event,
                   gpointer          user_data)
{
  ServeState *state = user_data;
  g_autofree char *line = NULL;

  if (state->quiet)
    return;

  line = ladle_server_event_format_log_line (event);
  fputs (line, stdout);
  fputc ('\n', stdout);

  /* Events come in batches: one flush per batch. */
  if (!state->flush_pending)
    {
      state->flush_pending = TRUE;
      g_idle_add (flush_stdout, state);
    }
}

static gboolean
on_signal (gpointer data)
{
  ServeState *state = data;

  g_main_loop_quit (state->loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
parse_size (const char  *text,
            guint64     *out,
            GError     **error)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  char *end = NULL;
  guint64 value;
  guint64 multiplier = 1;

  if (copy[0] == '\0' || copy[0] == '-' || !g_ascii_isdigit (copy[0]))
    goto invalid;

  value = g_ascii_strtoull (copy, &end, 10);
  if (g_ascii_strcasecmp (end, "") == 0 || g_ascii_strcasecmp (end, "b") == 0)
    multiplier = 1;
  else if (g_ascii_strcasecmp (end, "k") == 0 || g_ascii_strcasecmp (end, "kib") == 0)
    multiplier = 1024;
  else if (g_ascii_strcasecmp (end, "m") == 0 || g_ascii_strcasecmp (end, "mib") == 0)
    multiplier = 1024 * 1024;
  else if (g_ascii_strcasecmp (end, "g") == 0 || g_ascii_strcasecmp (end, "gib") == 0)
    multiplier = 1024 * 1024 * 1024;
  else
    goto invalid;

  if (value > G_MAXUINT64 / multiplier)
    goto invalid;

  *out = value * multiplier;
  return TRUE;

invalid:
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("“%s” is not a size in bytes (examples: 1048576, 512K, 100M, 2G)"), text);
  return FALSE;
}

/* HTTPS: --tls (the self-signed pair of the data folder) or --tls-cert/--tls-key (the user's) */
typedef struct
{
  gboolean  tls;
  char     *cert;
  char     *key;
} TlsOptions;

static GOptionGroup *
tls_option_group (TlsOptions *options)
{
  const GOptionEntry entries[] = {
    { "tls", 0, 0, G_OPTION_ARG_NONE, &options->tls,
      N_("Serve HTTPS with a self-signed certificate for localhost, 127.0.0.1 and ::1, made on "
         "first use and kept in Ladle’s data folder"), NULL },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &options->cert,
      N_("Serve HTTPS with this PEM certificate (intermediates may follow it)"), N_("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &options->key,
      N_("The PEM private key of --tls-cert (default: the certificate file)"), N_("FILE") },
    { NULL }
  };
  GOptionGroup *group = g_option_group_new ("tls", _("HTTPS options:"),
                                            _("Show the HTTPS options"), NULL, NULL);

  g_option_group_add_entries (group, entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  return group;
}

static void
tls_options_clear (TlsOptions *options)
{
  g_clear_pointer (&options->cert, g_free);
  g_clear_pointer (&options->key, g_free);
}

/* Returns FALSE with @error set when the options do not go together (a usage error) */
static gboolean
tls_options_check (TlsOptions  *options,
                   GError     **error)
{
  if (options->key != NULL && options->cert == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--tls-key needs --tls-cert"));
      return FALSE;
    }
  return TRUE;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TlsOptions, tls_options_clear)

static LadleTlsCert *
tls_options_load (TlsOptions  *options,
                  GError     **error)
{
  g_autofree char *dir = NULL;

  if (options->cert != NULL)
    return ladle_tls_cert_load (options->cert, options->key ? options->key : options->cert, error);
  if (!options->tls)
    return NULL;

  dir = ladle_tls_cert_dup_default_dir (APP_ID);
  return ladle_tls_cert_ensure (dir, error);
}

int
ladle_cli_serve (int    argc,
                 char **argv)
{
  g_auto(TlsOptions) tls_options = { 0 };
  g_autoptr(LadleTlsCert) tls_cert = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(LadleServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *host = NULL;
  g_autofree char *uploads = NULL;
  g_autofree char *max_upload = NULL;
  g_autofree char *max_ws_message = NULL;
  g_autofree char *max_body_memory = NULL;
  g_autofree char *routes_file = NULL;
  g_autofree char *url = NULL;
  double idle_timeout = LADLE_SERVER_DEFAULT_IDLE_TIMEOUT;
  int port = LADLE_SERVER_DEFAULT_PORT;
  int max_connections = LADLE_SERVER_DEFAULT_MAX_CONNECTIONS;
  gboolean quiet = FALSE;
  gboolean allow_any_body_file = FALSE;
  ServeState state = { 0 };
  guint sigint_id, sigterm_id;
  guint64 max_upload_size = LADLE_SERVER_DEFAULT_MAX_UPLOAD_SIZE;
  guint64 max_ws_message_size = LADLE_SERVER_DEFAULT_MAX_WS_MESSAGE;
  guint64 max_body_memory_size = LADLE_SERVER_DEFAULT_MAX_BODY_MEMORY;
  const GOptionEntry entries[] = {
    { "host", 0, 0, G_OPTION_ARG_STRING, &host,
      N_("Address to listen on (default 127.0.0.1; 0.0.0.0 for all interfaces)"), N_("ADDR") },
    { "port", 'p', 0, G_OPTION_ARG_INT, &port,
      N_("Port to listen on (default 8080; 0 picks a free one)"), N_("N") },
    { "uploads", 0, 0, G_OPTION_ARG_FILENAME, &uploads,
      N_("Folder for uploaded files (default ./uploads, created when missing)"), N_("DIR") },
    { "max-upload-size", 0, 0, G_OPTION_ARG_STRING, &max_upload,
      N_("Largest request body accepted by /upload (default 8G; 0 for no limit)"), N_("BYTES") },
    { "max-ws-message", 0, 0, G_OPTION_ARG_STRING, &max_ws_message,
      N_("Largest WebSocket message accepted, fragmented or compressed (default 16M; 0 for no limit)"),
      N_("BYTES") },
    { "max-connections", 0, 0, G_OPTION_ARG_INT, &max_connections,
      N_("Most client connections open at once; more are answered 503 (default: from the limit "
         "on open files, at most 10000)"), N_("N") },
    { "max-body-memory", 0, 0, G_OPTION_ARG_STRING, &max_body_memory,
      N_("Most bytes of request bodies held in memory by all requests together; more are answered "
         "503 (default 64M; 0 for no limit)"), N_("BYTES") },
    { "routes", 0, 0, G_OPTION_ARG_FILENAME, &routes_file,
      N_("JSON file of mock routes (at most 16 MiB), matched before the built-in routes; its "
         "body files must be in its folder"), N_("FILE") },
    { "allow-any-body-file", 0, 0, G_OPTION_ARG_NONE, &allow_any_body_file,
      N_("Let mock routes serve body files from anywhere, not only from the routes file’s "
         "folder (any file this user can read)"), NULL },
    { "idle-timeout", 0, 0, G_OPTION_ARG_DOUBLE, &idle_timeout,
      N_("Idle timeout: seconds a client may stay silent while sending a request (default 30)"), N_("S") },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
      N_("Do not print the access log"), NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Run Ladle’s local HTTP and WebSocket server: a hello route, "
                                  "uploads, WebSocket echo and httpbin-compatible endpoints."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  ladle_cli_add_version_option (context);
  g_option_context_add_group (context, tls_option_group (&tls_options));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_set_prgname ("ladle serve");

  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      (max_upload != NULL && !parse_size (max_upload, &max_upload_size, &error)) ||
      (max_ws_message != NULL && !parse_size (max_ws_message, &max_ws_message_size, &error)) ||
      (max_body_memory != NULL && !parse_size (max_body_memory, &max_body_memory_size, &error)) ||
      !tls_options_check (&tls_options, &error))
    {
      ladle_cli_usage_error ("serve", error->message);
      return LADLE_EXIT_USAGE;
    }

  if (argc > 1)
    {
      g_autofree char *message = g_strdup_printf (_("unexpected argument “%s”"), argv[1]);

      ladle_cli_usage_error ("serve", message);
      return LADLE_EXIT_USAGE;
    }

  if (port < 0 || port > 65535)
    {
      g_autofree char *message = g_strdup_printf (_("the port must be between 0 and 65535, not %d"),
                                                  port);

      ladle_cli_usage_error ("serve", message);
      return LADLE_EXIT_USAGE;
    }

  if (max_connections < 0)
    {
      g_autofree char *message =
        g_strdup_printf (_("the most connections must be 0 or more, not %d"), max_connections);

      ladle_cli_usage_error ("serve", message);
      return LADLE_EXIT_USAGE;
    }

  if (!(idle_timeout > 0 && idle_timeout <= 3600))
    {
      g_autofree char *message =
        g_strdup_printf (_("the idle timeout must be more than 0 and at most 3600 seconds, not %g"),
                         idle_timeout);

      ladle_cli_usage_error ("serve", message);
      return LADLE_EXIT_USAGE;
    }

  /* A full disk under a file size limit must be an error, not a signal. */
  signal (SIGXFSZ, SIG_IGN);
  signal (SIGPIPE, SIG_IGN);

  server = ladle_server_new ();
  if (host != NULL)
    ladle_server_set_host (server, host);
  ladle_server_set_port (server, port);
  if (uploads != NULL)
    ladle_server_set_uploads_dir (server, uploads);
  ladle_server_set_max_upload_size (server, max_upload_size);
  ladle_server_set_max_ws_message_size (server, max_ws_message_size);
  ladle_server_set_idle_timeout (server, idle_timeout);
  ladle_server_set_max_connections (server, max_connections);
  ladle_server_set_max_body_memory (server, max_body_memory_size);
  ladle_server_set_log_requests (server, !quiet);

  if (routes_file != NULL)
    {
      LadleMockRoutesLoadFlags flags = allow_any_body_file ? LADLE_MOCK_ROUTES_LOAD_ANY_BODY_FILE
                                                           : LADLE_MOCK_ROUTES_LOAD_DEFAULT;
      g_autoptr(GListStore) routes = ladle_mock_routes_load_file_full (routes_file, flags, &error);

      if (routes == NULL)
        {
          g_printerr ("ladle serve: %s\n", error->message);
          return LADLE_EXIT_FAILURE;
        }
      ladle_server_set_routes (server, G_LIST_MODEL (routes));
    }

  if (tls_options.tls || tls_options.cert != NULL)
    {
      tls_cert = tls_options_load (&tls_options, &error);
      if (tls_cert == NULL)
        {
          g_printerr ("ladle serve: %s\n", error->message);
          return LADLE_EXIT_FAILURE;
        }
      if (tls_cert->warning != NULL)
        g_printerr (_("ladle serve: warning: %s\n"), tls_cert->warning);
      ladle_server_set_tls_certificate (server, tls_cert->certificate);
    }

  if (!ladle_server_start (server, &error))
    {
      g_printerr ("ladle serve: %s\n", error->message);
      return LADLE_EXIT_FAILURE;
    }

  loop = g_main_loop_new (NULL, FALSE);
  state.loop = loop;
  state.quiet = quiet;
  g_signal_connect (server, "request-logged", G_CALLBACK (on_request_logged), &state);
  sigint_id = g_unix_signal_add (SIGINT, on_signal, &state);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal, &state);

  url = ladle_server_dup_url (server);
  printf (_("Serving on %s"), url);
  putchar ('\n');
  if (tls_cert != NULL)
    {
      g_autofree char *display = g_filename_display_name (tls_cert->cert_path);

      if (tls_cert->created)
        printf (_("Certificate: %s (self-signed, made now)"), display);
      else
        printf (_("Certificate: %s"), display);
      putchar ('\n');
      printf (_("SHA-256 fingerprint: %s"), tls_cert->fingerprint);
      putchar ('\n');
    }
  fflush (stdout);

  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  if (tls_cert != NULL)
    {
      LadleServerStats stats;

      /* One per connection: what bench/tls.sh compares with the connections a load made */
      ladle_server_get_stats (server, &stats);
      g_printerr (_("TLS handshakes: %u completed, %u failed\n"), stats.n_tls_handshakes,
                  stats.n_tls_failed);
    }
  ladle_server_stop (server);
  g_signal_handlers_disconnect_by_data (server, &state);
  fflush (stdout);

  return LADLE_EXIT_OK;
}
