/* ladle-cli-send.c
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
#include <string.h>
#include <unistd.h>

#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "ladle-cli.h"
#include "ladle-cli-oauth2.h"
#include "ladle-cli-cookies.h"
#include "ladle-cli-transport.h"
#include "ladle-curl.h"
#include "ladle-error.h"
#include "ladle-http-client.h"
#include "ladle-http-syntax.h"

/* `ladle send`: one request with the client engine, headless. The body goes to stdout (or a
 * file), status and headers (--verbose) and the waterfall (--timing) to stderr. */

typedef struct
{
  GMainLoop     *loop;
  LadleResponse *response;
  GError        *error;
  GCancellable  *cancellable;
  gboolean       pretty;
  gboolean       done;
  int            status;
} SendState;

/* Digest and API keys: their options in a group of their own. --digest is curl's (it turns -u's
 * user and password into Digest); curl has no API key option (its users write -H), so
 * --api-key NAME=VALUE (a header) and --api-key-query NAME=VALUE (the query) are Ladle's. */

typedef struct
{
  gboolean  digest;
  char     *api_key;
  char     *api_key_query;
} AuthOptions;

static void
auth_options_clear (AuthOptions *options)
{
  g_clear_pointer (&options->api_key, g_free);
  g_clear_pointer (&options->api_key_query, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AuthOptions, auth_options_clear)

static GOptionGroup *
auth_options_group (AuthOptions *options)
{
  const GOptionEntry entries[] = {
    { "digest", 0, 0, G_OPTION_ARG_NONE, &options->digest,
      N_("Use Digest authentication with --user (as curl --digest)"), NULL },
    { "api-key", 0, 0, G_OPTION_ARG_STRING, &options->api_key,
      N_("Send an API key in the header NAME"), N_("NAME=VALUE") },
    { "api-key-query", 0, 0, G_OPTION_ARG_STRING, &options->api_key_query,
      N_("Send an API key as the query parameter NAME"), N_("NAME=VALUE") },
    { NULL }
  };
  GOptionGroup *group = g_option_group_new ("auth", _("Authentication options:"),
                                            _("Show the authentication options"), NULL, NULL);

  g_option_group_add_entries (group, entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  return group;
}

/* After -u/--bearer were applied; a usage error in @error */
static gboolean
auth_options_apply (AuthOptions   *options,
                    LadleRequest  *request,
                    gboolean       has_user,
                    GError       **error)
{
  const char *key = options->api_key != NULL ? options->api_key : options->api_key_query;
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;

  if (options->digest)
    {
      /* -u here, or in the --curl command */
      if (!has_user && ladle_request_get_auth_kind (request) != LADLE_AUTH_BASIC &&
          ladle_request_get_auth_kind (request) != LADLE_AUTH_DIGEST)
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               _("--digest needs the user and password in --user USER:PASSWORD"));
          return FALSE;
        }
      ladle_request_set_auth_kind (request, LADLE_AUTH_DIGEST);
    }
  if (key == NULL)
    return TRUE;
  if (options->api_key != NULL && options->api_key_query != NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("give --api-key or --api-key-query, not both"));
      return FALSE;
    }
  if (ladle_request_get_auth_kind (request) != LADLE_AUTH_NONE)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("an API key replaces --user and --bearer: give only one of them"));
      return FALSE;
    }
  if (!ladle_cli_split_pair (key, '=', &name, &value) || name[0] == '\0')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not an API key (use NAME=VALUE)"), key);
      return FALSE;
    }
  ladle_request_set_auth_kind (request, LADLE_AUTH_API_KEY);
  ladle_request_set_auth_key_name (request, name);
  ladle_request_set_auth_key_value (request, value);
  ladle_request_set_auth_key_in (request, options->api_key != NULL ? LADLE_API_KEY_IN_HEADER
                                                                   : LADLE_API_KEY_IN_QUERY);
  return TRUE;
}

/* -H "Name: value", or curl's "Name;" for a header with an empty value. */
static gboolean
split_header (const char  *line,
              char       **out_name,
              char       **out_value)
{
  g_autofree char *trimmed = NULL;

  if (ladle_cli_split_pair (line, ':', out_name, out_value))
    {
      g_strstrip (*out_name);
      g_strstrip (*out_value);
      return TRUE;
    }

  trimmed = g_strstrip (g_strdup (line));
  if (!g_str_has_suffix (trimmed, ";") || trimmed[1] == '\0')
    return FALSE;

  trimmed[strlen (trimmed) - 1] = '\0';
  *out_name = g_strdup (g_strchomp (trimmed));
  *out_value = g_strdup ("");
  return TRUE;
}

static void
print_headers (LadleResponse *response)
{
  const char *version = ladle_response_get_http_version (response);
  const char *reason = ladle_response_get_reason (response);

  /* As curl prints it: HTTP/2 has no reason phrase ("HTTP/2 200") */
  if (g_strcmp0 (version, "HTTP/2") == 0 || reason == NULL || reason[0] == '\0')
    g_printerr ("%s %u\n", version, ladle_response_get_status (response));
  else
    g_printerr ("%s %u %s\n", version, ladle_response_get_status (response), reason);
  for (guint i = 0; i < ladle_response_get_n_headers (response); i++)
    g_printerr ("%s: %s\n", ladle_response_get_header_name (response, i),
                ladle_response_get_header_value (response, i));
  g_printerr ("\n");
}

/* Pads to 10 characters (not bytes: labels may be Cyrillic). */
static char *
pad_label (const char *label)
{
  glong len = g_utf8_strlen (label, -1);
  GString *padded = g_string_new (label);

  for (glong i = len; i < 10; i++)
    g_string_append_c (padded, ' ');
  return g_string_free (padded, FALSE);
}

static void
print_timing (LadleResponse *response)
{
  const LadleTiming *t = ladle_response_get_timing (response);
  const LadleSizes *sizes = ladle_response_get_sizes (response);
  struct { const char *label; gint64 start; gint64 end; } steps[] = {
    { N_("DNS"), t->dns_start, t->dns_end },
    { N_("Connect"), t->connect_start, t->tls_start ? t->tls_start : t->connect_end },
    { N_("TLS"), t->tls_start, t->tls_start ? t->connect_end : 0 },
    { N_("Wait"), t->request_start, t->response_start },
    { N_("Download"), t->response_start, t->response_end },
  };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autofree char *label = pad_label (_(steps[i].label));

      if (steps[i].start == 0 && steps[i].end == 0)
        g_printerr ("%s %10s\n", label, "–");
      else
        g_printerr ("%s %8.1f ms  (%.1f → %.1f)\n", label,
                    (steps[i].end - steps[i].start) / 1000.0,
                    steps[i].start / 1000.0, steps[i].end / 1000.0);
    }
  {
    g_autofree char *label = pad_label (_("Total"));
    g_autofree char *sent_headers = g_strdup_printf ("%" G_GUINT64_FORMAT, sizes->request_header_bytes);
    g_autofree char *sent_body = g_strdup_printf ("%" G_GUINT64_FORMAT, sizes->request_body_bytes);
    g_autofree char *got_headers = g_strdup_printf ("%" G_GUINT64_FORMAT, sizes->response_header_bytes);
    g_autofree char *got_body = g_strdup_printf ("%" G_GUINT64_FORMAT, sizes->response_body_wire_bytes);
    g_autofree char *decoded = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                                sizes->response_body_decoded_bytes);

    g_printerr ("%s %8.1f ms\n", label, t->response_end / 1000.0);
    /* Translators: the numbers are byte counts */
    g_printerr (_("Sent %s header + %s body bytes; received %s header + %s body bytes "
                  "(%s decoded)"),
                sent_headers, sent_body, got_headers, got_body, decoded);
    g_printerr ("\n");
  }
}

static gboolean
write_all_stdout (const void  *data,
                  gsize        len,
                  GError     **error)
{
  g_autoptr(GOutputStream) out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);

  return g_output_stream_write_all (out, data, len, NULL, NULL, error);
}

static void
finish (SendState *state,
        int        status)
{
  state->status = status;
  state->done = TRUE;
  g_main_loop_quit (state->loop);
}

static void
spliced_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  SendState *state = user_data;
  g_autoptr(GError) error = NULL;

  if (g_output_stream_splice_finish (G_OUTPUT_STREAM (source), result, &error) < 0)
    {
      g_printerr ("ladle send: %s\n", error->message);
      finish (state, LADLE_EXIT_FAILURE);
      return;
    }

  finish (state, LADLE_EXIT_OK);
}

static void
pretty_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  SendState *state = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = ladle_response_pretty_json_finish (LADLE_RESPONSE (source), result,
                                                             &error);

  if (text != NULL)
    {
      if (!write_all_stdout (text, strlen (text), &error) || !write_all_stdout ("\n", 1, &error))
        {
          g_printerr ("ladle send: %s\n", error->message);
          finish (state, LADLE_EXIT_FAILURE);
          return;
        }
      finish (state, LADLE_EXIT_OK);
      return;
    }

  /* Not JSON after all (or nested too deep to re-indent): print it as it came. */
  g_clear_error (&error);
  {
    GBytes *bytes = ladle_response_get_body_bytes (state->response);

    if (bytes != NULL &&
        !write_all_stdout (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error))
      g_printerr ("ladle send: %s\n", error->message);
    finish (state, error ? LADLE_EXIT_FAILURE : LADLE_EXIT_OK);
  }
}

static gboolean
is_json_type (const char *content_type)
{
  return content_type != NULL &&
         (g_str_has_prefix (content_type, "application/json") ||
          (g_str_has_prefix (content_type, "application/") && strstr (content_type, "+json")));
}

static void
output_body (SendState *state)
{
  LadleResponse *response = state->response;
  GBytes *bytes = ladle_response_get_body_bytes (response);
  GFile *file = ladle_response_get_body_file (response);
  g_autoptr(GError) error = NULL;

  if (state->pretty && bytes != NULL && is_json_type (ladle_response_get_content_type (response)))
    {
      ladle_response_pretty_json_async (response, state->cancellable, pretty_cb, state);
      return;
    }

  if (bytes != NULL)
    {
      if (!write_all_stdout (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error))
        {
          g_printerr ("ladle send: %s\n", error->message);
          finish (state, LADLE_EXIT_FAILURE);
          return;
        }
      finish (state, LADLE_EXIT_OK);
      return;
    }

  if (file != NULL)
    {
      g_autoptr(GFileInputStream) in = g_file_read (file, NULL, &error);
      g_autoptr(GOutputStream) out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);

      if (in == NULL)
        {
          g_printerr ("ladle send: %s\n", error->message);
          finish (state, LADLE_EXIT_FAILURE);
          return;
        }
      g_output_stream_splice_async (out, G_INPUT_STREAM (in),
                                    G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE, G_PRIORITY_DEFAULT,
                                    state->cancellable, spliced_cb, state);
      return;
    }

  finish (state, LADLE_EXIT_OK);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  SendState *state = user_data;

  state->response = ladle_http_client_send_finish (LADLE_HTTP_CLIENT (source), result,
                                                   &state->error);
  if (state->response == NULL)
    {
      if (g_error_matches (state->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        finish (state, LADLE_EXIT_FAILURE);
      else
        finish (state, ladle_cli_exit_status_for_error (state->error));
      return;
    }

  state->status = LADLE_EXIT_OK;
  g_main_loop_quit (state->loop);
}

static gboolean
on_signal (gpointer data)
{
  SendState *state = data;

  g_cancellable_cancel (state->cancellable);
  return G_SOURCE_CONTINUE;
}

int
ladle_cli_send (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(LadleHttpClient) client = NULL;
  g_autoptr(LadleRequest) request = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) output_file = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(LadleExchange) exchange = NULL;
  g_autofree char *method = NULL;
  g_autofree char *json = NULL;
  g_autofree char *data = NULL;
  g_autofree char *data_file = NULL;
  g_autofree char *user = NULL;
  g_autofree char *bearer = NULL;
  g_autofree char *connect_timeout = NULL;
  g_autofree char *idle_timeout = NULL;
  g_autofree char *total_timeout = NULL;
  g_autofree char *max_redirects = NULL;
  g_autofree char *output = NULL;
  g_autofree char *curl = NULL;
  g_autofree char *env = NULL;
  g_auto(GStrv) vars = NULL;
  g_auto(GStrv) headers = NULL;
  g_auto(GStrv) forms = NULL;
  g_auto(GStrv) files = NULL;
  g_auto(GStrv) rest = NULL;
  gboolean no_follow = FALSE;
  gboolean insecure = FALSE;
  gboolean verbose = FALSE;
  gboolean timing = FALSE;
  gboolean pretty = FALSE;
  gboolean raw = FALSE;
  gboolean from_file = FALSE;
  gboolean json_unchecked = FALSE;
  guint n_bodies = 0;
  SendState state = { 0 };
  g_auto(AuthOptions) auth_options = { 0 };
  g_auto(LadleCliOauth2Options) oauth2 = { 0 };
  g_auto(LadleCliCookies) cookies = { 0 };
  g_auto(LadleCliTransport) transport = { 0 };
  guint sigint_id;
  double seconds;
  const GOptionEntry entries[] = {
    { "request", 'X', 0, G_OPTION_ARG_STRING, &method,
      N_("Method (default GET, or POST when there is a body)"), N_("METHOD") },
    { "header", 'H', 0, G_OPTION_ARG_STRING_ARRAY, &headers,
      N_("A request header; repeat for more"), N_("“NAME: VALUE”") },
    { "json", 0, 0, G_OPTION_ARG_STRING, &json,
      N_("A JSON body (checked before sending)"), N_("TEXT") },
    { "json-unchecked", 0, 0, G_OPTION_ARG_NONE, &json_unchecked,
      N_("Send a JSON body even when it is not valid JSON"), NULL },
    { "data", 'd', 0, G_OPTION_ARG_STRING, &data,
      N_("A text body (Content-Type from -H, else application/x-www-form-urlencoded)"),
      N_("TEXT") },
    { "data-file", 0, 0, G_OPTION_ARG_FILENAME, &data_file,
      N_("Send a file as the body, streamed from disk"), N_("PATH") },
    { "form", 'F', 0, G_OPTION_ARG_STRING_ARRAY, &forms,
      N_("A form field; repeat for more (multipart when --file is used too)"),
      N_("NAME=VALUE") },
    { "file", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files,
      N_("A file in a multipart body; repeat for more"), N_("NAME=PATH") },
    { "user", 'u', 0, G_OPTION_ARG_STRING, &user,
      N_("Basic authentication"), N_("USER:PASSWORD") },
    { "bearer", 0, 0, G_OPTION_ARG_STRING, &bearer,
      N_("Bearer token authentication"), N_("TOKEN") },
    { "connect-timeout", 0, 0, G_OPTION_ARG_STRING, &connect_timeout,
      N_("Give up if resolving and connecting take longer"), N_("S") },
    { "idle-timeout", 0, 0, G_OPTION_ARG_STRING, &idle_timeout,
      N_("Give up if no byte comes or goes for that long"), N_("S") },
    { "timeout", 'm', 0, G_OPTION_ARG_STRING, &total_timeout,
      N_("Give up if the whole request takes longer (total)"), N_("S") },
    { "no-follow", 0, 0, G_OPTION_ARG_NONE, &no_follow,
      N_("Do not follow redirects"), NULL },
    { "max-redirects", 0, 0, G_OPTION_ARG_STRING, &max_redirects,
      N_("Follow at most N redirects (default 30)"), N_("N") },
    { "insecure", 'k', 0, G_OPTION_ARG_NONE, &insecure,
      N_("Do not verify TLS certificates"), NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the body to a file (it appears only once complete)"), N_("FILE") },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose,
      N_("Print the status line and headers to stderr"), NULL },
    { "timing", 0, 0, G_OPTION_ARG_NONE, &timing,
      N_("Print the timing waterfall to stderr"), NULL },
    { "pretty", 0, 0, G_OPTION_ARG_NONE, &pretty,
      N_("Pretty-print a JSON body (the default when stdout is a terminal)"), NULL },
    { "raw", 0, 0, G_OPTION_ARG_NONE, &raw,
      N_("Print the body exactly as received"), NULL },
    { "curl", 0, 0, G_OPTION_ARG_STRING, &curl,
      N_("Send the request a curl command line describes"), N_("“curl …”") },
    { "env", 'e', 0, G_OPTION_ARG_STRING, &env,
      N_("For FILE#NAME: use the variables of this environment"), N_("NAME") },
    { "var", 0, 0, G_OPTION_ARG_STRING_ARRAY, &vars,
      N_("For FILE#NAME: set a variable (repeatable)"), N_("NAME=VALUE") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, N_("URL|FILE#NAME") },
    { NULL }
  };

  /* No parameter string: GOption already names the G_OPTION_REMAINING argument ("URL") in
   * the usage line, and both would print it twice. */
  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Send one HTTP request and print the response body. Exit status: "
                                  "0 a response arrived (any status), 1 other failure, 2 usage, "
                                  "3 could not connect, 4 a timeout fired."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  ladle_cli_add_version_option (context);
  g_option_context_add_group (context, auth_options_group (&auth_options));
  g_option_context_add_group (context, ladle_cli_oauth2_option_group (&oauth2));
  ladle_cli_cookies_add_options (&cookies, context);
  /* Transport (issue 14): --cert, --key, --cacert, --proxy, --proxy-user, --noproxy, --http1.1 */
  ladle_cli_transport_add_entries (context, &transport);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_set_prgname ("ladle send");

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      ladle_cli_usage_error ("send", error->message);
      return LADLE_EXIT_USAGE;
    }

  client = ladle_http_client_new ();
  if (!ladle_cli_cookies_load (&cookies, "send", client))
    return LADLE_EXIT_USAGE;

  /* api.http#login: a request of a .http file, after those whose responses it uses */
  if (curl == NULL && rest != NULL && rest[0] != NULL && strchr (rest[0], '#') != NULL)
    {
      g_autofree char *path = g_strndup (rest[0], strrchr (rest[0], '#') - rest[0]);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          int status = LADLE_EXIT_USAGE;

          request = ladle_cli_request_from_file (rest[0], env, (const char * const *) vars,
                                                 client, &status, &error);
          if (request == NULL)
            {
              g_printerr ("ladle send: %s\n", error->message);
              return status;
            }
          from_file = TRUE;
        }
    }

  if (from_file)
    {
    }
  else if (curl != NULL)
    {
      g_autoptr(GPtrArray) warnings = NULL;

      request = ladle_curl_parse (curl, &warnings, &error);
      if (request == NULL)
        {
          ladle_cli_usage_error ("send", error->message);
          return LADLE_EXIT_USAGE;
        }
      for (guint i = 0; i < warnings->len; i++)
        g_printerr ("ladle send: %s\n", (const char *) g_ptr_array_index (warnings, i));
    }
  else
    {
      request = ladle_request_new ();
    }

  if (rest != NULL && rest[0] != NULL)
    {
      if (rest[1] != NULL)
        {
          g_autofree char *message = g_strdup_printf (_("unexpected argument “%s”"), rest[1]);
          ladle_cli_usage_error ("send", message);
          return LADLE_EXIT_USAGE;
        }
      if (!from_file)
        ladle_request_set_url (request, rest[0]);
    }
  else if (curl == NULL)
    {
      ladle_cli_usage_error ("send", _("no URL given"));
      return LADLE_EXIT_USAGE;
    }

  if (!ladle_cli_transport_apply (&transport, request, &error))
    {
      ladle_cli_usage_error ("send", error->message);
      return LADLE_EXIT_USAGE;
    }

  n_bodies = (json != NULL) + (data != NULL) + (data_file != NULL) +
             ((forms != NULL || files != NULL) ? 1 : 0);
  if (n_bodies > 1)
    {
      ladle_cli_usage_error ("send", _("give only one body: --json, --data, --data-file, or --form/--file"));
      return LADLE_EXIT_USAGE;
    }
  if (user != NULL && bearer != NULL)
    {
      ladle_cli_usage_error ("send", _("give --user or --bearer, not both"));
      return LADLE_EXIT_USAGE;
    }

  for (guint i = 0; headers != NULL && headers[i] != NULL; i++)
    {
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;
      g_autoptr(LadleKeyValue) row = NULL;

      if (!split_header (headers[i], &name, &value))
        {
          g_autofree char *shown = ladle_http_escape_for_display (headers[i], -1, 80);
          g_autofree char *message = g_strdup_printf (_("“%s” is not a header (use “Name: value”)"),
                                                      shown);
          ladle_cli_usage_error ("send", message);
          return LADLE_EXIT_USAGE;
        }
      row = ladle_key_value_new (name, value);
      g_list_store_append (ladle_request_get_headers (request), row);
    }

  if (json != NULL)
    {
      ladle_request_set_body_kind (request, LADLE_BODY_JSON);
      ladle_request_set_body_text (request, json);
      ladle_request_set_check_json (request, !json_unchecked);
      if (!json_unchecked && !ladle_request_check_json_body (request, NULL, NULL, &error))
        {
          ladle_cli_usage_error ("send", error->message);
          return LADLE_EXIT_USAGE;
        }
    }
  else if (data != NULL)
    {
      ladle_request_set_body_kind (request, LADLE_BODY_TEXT);
      ladle_request_set_body_text (request, data);
      ladle_request_set_body_content_type (request, "application/x-www-form-urlencoded");
      for (guint i = 0; headers != NULL && headers[i] != NULL; i++)
        if (g_ascii_strncasecmp (headers[i], "content-type:", 13) == 0)
          {
            g_autofree char *type = g_strstrip (g_strdup (headers[i] + 13));
            ladle_request_set_body_content_type (request, type);
          }
    }
  else if (data_file != NULL)
    {
      ladle_request_set_body_kind (request, LADLE_BODY_FILE);
      ladle_request_set_body_file (request, data_file);
    }
  else if (forms != NULL || files != NULL)
    {
      GListStore *fields = ladle_request_get_form (request);

      ladle_request_set_body_kind (request, files != NULL ? LADLE_BODY_MULTIPART : LADLE_BODY_FORM);
      for (guint i = 0; forms != NULL && forms[i] != NULL; i++)
        {
          g_autofree char *name = NULL;
          g_autofree char *value = NULL;
          g_autoptr(LadleKeyValue) row = NULL;

          if (!ladle_cli_split_pair (forms[i], '=', &name, &value))
            {
              g_autofree char *message = g_strdup_printf (_("“%s” is not a form field (use NAME=VALUE)"),
                                                          forms[i]);
              ladle_cli_usage_error ("send", message);
              return LADLE_EXIT_USAGE;
            }
          row = ladle_key_value_new (name, value);
          g_list_store_append (fields, row);
        }
      for (guint i = 0; files != NULL && files[i] != NULL; i++)
        {
          g_autofree char *name = NULL;
          g_autofree char *path = NULL;
          g_autoptr(LadleKeyValue) row = NULL;

          if (!ladle_cli_split_pair (files[i], '=', &name, &path))
            {
              g_autofree char *message = g_strdup_printf (_("“%s” is not a file field (use NAME=PATH)"),
                                                          files[i]);
              ladle_cli_usage_error ("send", message);
              return LADLE_EXIT_USAGE;
            }
          /* curl's habit: -F name=@path */
          row = ladle_key_value_new_file (name, path[0] == '@' && path[1] != '\0' ? path + 1 : path);
          g_list_store_append (fields, row);
        }
    }

  if (user != NULL)
    {
      g_autofree char *name = NULL;
      g_autofree char *password = NULL;

      if (!ladle_cli_split_pair (user, ':', &name, &password))
        {
          name = g_strdup (user);
          password = g_strdup ("");
        }
      ladle_request_set_auth_kind (request, LADLE_AUTH_BASIC);
      ladle_request_set_auth_username (request, name);
      ladle_request_set_auth_password (request, password);
    }
  else if (bearer != NULL)
    {
      ladle_request_set_auth_kind (request, LADLE_AUTH_BEARER);
      ladle_request_set_auth_token (request, bearer);
    }
  if (!auth_options_apply (&auth_options, request, user != NULL, &error))
    goto bad_value;

  if (method != NULL)
    ladle_request_set_method (request, method);
  else if (curl == NULL && !from_file && ladle_request_get_body_kind (request) != LADLE_BODY_NONE)
    ladle_request_set_method (request, "POST");

  seconds = 0;
  if (!ladle_cli_parse_seconds ("--connect-timeout", connect_timeout, &seconds, &error))
    goto bad_value;
  if (connect_timeout != NULL)
    ladle_request_set_connect_timeout (request, seconds);
  if (!ladle_cli_parse_seconds ("--idle-timeout", idle_timeout, &seconds, &error))
    goto bad_value;
  if (idle_timeout != NULL)
    ladle_request_set_idle_timeout (request, seconds);
  if (!ladle_cli_parse_seconds ("--timeout", total_timeout, &seconds, &error))
    goto bad_value;
  if (total_timeout != NULL)
    ladle_request_set_total_timeout (request, seconds);

  if (max_redirects != NULL)
    {
      guint64 n = 0;

      if (!g_ascii_string_to_unsigned (max_redirects, 10, 0, G_MAXUINT, &n, NULL))
        {
          g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--max-redirects takes a number of redirects, such as 0 or 30, not “%s”"),
                       max_redirects);
          goto bad_value;
        }
      ladle_request_set_max_redirects (request, (guint) n);
    }
  if (no_follow)
    ladle_request_set_follow_redirects (request, FALSE);
  if (insecure)
    ladle_request_set_verify_tls (request, FALSE);

  ladle_cli_cookies_apply (&cookies, request);

  /* Report a bad URL, method or header as a usage error, before anything is sent. */
  {
    g_autofree char *url = ladle_request_dup_effective_url (request, &error);

    if (url == NULL || !ladle_request_validate (request, &error))
      {
        ladle_cli_usage_error ("send", error->message);
        return LADLE_EXIT_USAGE;
      }
  }

  /* --oauth2-…: the token first (ladle-cli-oauth2.c) */
  if (ladle_cli_oauth2_wanted (&oauth2))
    {
      int status = LADLE_EXIT_FAILURE;

      if (user != NULL || bearer != NULL)
        {
          ladle_cli_usage_error ("send", _("give --user, --bearer or --oauth2-grant, only one"));
          return LADLE_EXIT_USAGE;
        }
      if (!ladle_cli_oauth2_apply (&oauth2, request, &status, &error))
        {
          if (status == LADLE_EXIT_USAGE)
            ladle_cli_usage_error ("send", error->message);
          else
            g_printerr ("ladle send: %s\n", error->message);
          return status;
        }
    }

  if (output != NULL)
    output_file = g_file_new_for_commandline_arg (output);

  signal (SIGPIPE, SIG_IGN);
  loop = g_main_loop_new (NULL, FALSE);
  cancellable = g_cancellable_new ();
  state.loop = loop;
  state.cancellable = cancellable;
  state.pretty = !raw && (pretty || isatty (STDOUT_FILENO));
  sigint_id = g_unix_signal_add (SIGINT, on_signal, &state);

  exchange = g_object_ref (ladle_http_client_send_async (client, request, output_file,
                                                         cancellable, sent_cb, &state));
  g_main_loop_run (loop);

  if (state.response != NULL)
    {
      if (verbose)
        print_headers (state.response);
      if (timing)
        print_timing (state.response);
      if (ladle_exchange_get_redirect_note (exchange) != NULL)
        g_printerr ("ladle send: %s\n", ladle_exchange_get_redirect_note (exchange));
      if (output_file == NULL)
        {
          output_body (&state);
          if (!state.done)
            g_main_loop_run (loop);
        }
    }
  else if (state.error != NULL && !g_error_matches (state.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_printerr ("ladle send: %s\n", state.error->message);
    }

  if (!ladle_cli_cookies_save (&cookies, "send", client) && state.status == LADLE_EXIT_OK)
    state.status = LADLE_EXIT_FAILURE;

  g_source_remove (sigint_id);
  g_clear_object (&state.response);
  g_clear_error (&state.error);

  return state.status;

bad_value:
  ladle_cli_usage_error ("send", error->message);
  return LADLE_EXIT_USAGE;
}
