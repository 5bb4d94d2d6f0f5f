/* ladle-cli-ws.c
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

#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "ladle-cli.h"
#include "ladle-cli-cookies.h"
#include "ladle-cli-transport.h"
#include "ladle-error.h"
#include "ladle-http-syntax.h"
#include "ladle-websocket-client.h"

/* `ladle ws`: talk to a WebSocket server with the client engine, headless.
 *
 * With --send/--send-file, the messages go out in order (texts first, then the file), and the
 * connection is closed once as many messages came back as were sent; --timeout (default 10 s,
 * counted from the moment the connection is open) bounds that wait. Without them, each line of
 * stdin is sent as a text message and the end of input closes the connection; there is no
 * --timeout then.
 *
 * With --repeat N, the --send (and --send-text-file) messages go out N times over, one at a time:
 * each waits for the reply to the one before. That measures round trips without a driver in
 * between (bench/ws.sh); --stats then prints the figures as one JSON line on stderr. The
 * transcript is emptied as it goes, so that a long run does not keep every message.
 *
 * stdout gets one line per received message: a text message as is, a binary one as
 * "<binary N bytes>" (no hex, so that the output stays line-oriented). With --verbose, stderr
 * gets a line per transcript event: time, direction (> out, < in, * local), kind and size, and
 * for close events the code and reason.
 *
 * The transport options are `ladle send`'s, in curl's words (ladle-cli-transport.c): --cert,
 * --key, --cacert, --proxy, --proxy-user, --noproxy (--http1.1 is taken and changes nothing: a
 * WebSocket handshake is HTTP/1.1). -b sends cookies with the handshake: "NAME=VALUE; …" as
 * they are, and those of a cookie file that go to the URL. */

#define DEFAULT_TIMEOUT  10.0
#define CLOSE_NORMAL     1000
#define CLOSE_GOING_AWAY 1001
#define CLOSE_NO_STATUS  1005

typedef struct
{
  GMainLoop            *loop;
  LadleWebsocketClient *client;
  GCancellable         *cancellable;
  GDataInputStream     *input;
  char                **sends;
  char                 *send_file;
  char                 *send_text_file;
  GPtrArray            *messages;        /* GBytes: the text messages to send, in order */
  guint                 repeat;          /* 0: all at once; N: N rounds, one message at a time */
  gboolean              stats;
  guint                 n_sent;
  guint64               bytes_sent;
  gint64                sent_at;         /* monotonic µs, of the message waiting for its reply */
  gint64                first_sent_at;
  gint64                last_reply_at;
  GArray               *rtts;            /* gint64 µs per round trip, with --repeat */
  guint                 close_code;
  char                 *close_reason;
  double                timeout;
  guint                 timeout_id;
  guint                 n_seen;          /* transcript items already handled */
  guint64               seen_bytes;      /* their payloads' sizes, with --repeat */
  guint                 n_expected;
  guint                 n_replies;
  gboolean              send_mode;
  gboolean              verbose;
  gboolean              close_requested;
  gboolean              finished;
  int                   status;
} WsState;

static gboolean
parse_close (const char  *text,
             guint       *out_code,
             char       **out_reason,
             GError     **error)
{
  const char *colon = strchr (text, ':');
  g_autofree char *number = colon != NULL ? g_strndup (text, colon - text) : g_strdup (text);
  const char *reason = colon != NULL ? colon + 1 : NULL;
  guint64 code = 0;

  if (!g_ascii_string_to_unsigned (number, 10, 1000, 4999, &code, NULL) ||
      !((code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1010) || code >= 3000))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--close takes a close code (1000-1003, 1007-1010 or 3000-4999), "
                     "optionally followed by “:REASON”, not “%s”"), text);
      return FALSE;
    }
  if (reason != NULL && (strlen (reason) > 123 || !g_utf8_validate (reason, -1, NULL)))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("The close reason must be UTF-8 text of at most 123 bytes"));
      return FALSE;
    }

  *out_code = (guint) code;
  *out_reason = g_strdup (reason);
  return TRUE;
}

static gboolean
check_url (const char  *url,
           GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;

  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0' ||
      !(g_ascii_strcasecmp (scheme, "ws") == 0 || g_ascii_strcasecmp (scheme, "wss") == 0 ||
        g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a WebSocket URL (use ws://HOST/PATH or wss://HOST/PATH)"), url);
      return FALSE;
    }

  return TRUE;
}

static void
finish (WsState *state,
        int      status)
{
  if (state->finished)
    return;

  state->finished = TRUE;
  state->status = status;
  g_cancellable_cancel (state->cancellable);
  g_main_loop_quit (state->loop);
}

static void
request_close (WsState *state)
{
  if (state->close_requested)
    return;

  state->close_requested = TRUE;
  ladle_websocket_client_close (state->client, state->close_code, state->close_reason);
}

/* --- Output ---------------------------------------------------------------------------------- */

static void
print_verbose (LadleWebsocketEvent *event)
{
  g_autoptr(GDateTime) time = NULL;
  g_autoptr(GEnumClass) kinds = g_type_class_ref (LADLE_TYPE_WEBSOCKET_EVENT_KIND);
  GEnumValue *kind = g_enum_get_value (kinds, ladle_websocket_event_get_kind (event));
  const char *arrow;
  const char *summary = ladle_websocket_event_get_summary (event);
  gint64 usec = ladle_websocket_event_get_timestamp (event);
  g_autofree char *hms = NULL;
  g_autofree char *stamp = NULL;

  time = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);
  hms = g_date_time_format (time, "%H:%M:%S");
  stamp = g_strdup_printf ("%s.%03d", hms, (int) (usec % G_USEC_PER_SEC / 1000));

  switch (ladle_websocket_event_get_direction (event))
    {
    case LADLE_WEBSOCKET_DIRECTION_OUT:
      arrow = ">";
      break;
    case LADLE_WEBSOCKET_DIRECTION_IN:
      arrow = "<";
      break;
    case LADLE_WEBSOCKET_DIRECTION_NONE:
    default:
      arrow = "*";
      break;
    }

  switch (ladle_websocket_event_get_kind (event))
    {
    case LADLE_WEBSOCKET_EVENT_CLOSE:
      if (ladle_websocket_event_get_close_code (event) != 0)
        /* Translators: a close event in `ladle ws --verbose`: time, direction, code, reason */
        g_printerr (_("%s %s close %u “%s”\n"), stamp, arrow,
                    ladle_websocket_event_get_close_code (event),
                    ladle_websocket_event_get_close_reason (event));
      else
        g_printerr (_("%s %s close (no code)\n"), stamp, arrow);
      break;
    case LADLE_WEBSOCKET_EVENT_OPEN:
    case LADLE_WEBSOCKET_EVENT_ERROR:
    case LADLE_WEBSOCKET_EVENT_STATE:
      g_printerr ("%s %s %s: %s\n", stamp, arrow, kind->value_nick, summary != NULL ? summary : "");
      break;
    case LADLE_WEBSOCKET_EVENT_TEXT:
    case LADLE_WEBSOCKET_EVENT_BINARY:
    case LADLE_WEBSOCKET_EVENT_PING:
    case LADLE_WEBSOCKET_EVENT_PONG:
    default:
      {
        g_autofree char *size = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                                 ladle_websocket_event_get_size (event));

        /* Translators: a message event in `ladle ws --verbose`: time, direction, kind, size */
        g_printerr (_("%s %s %s %s bytes\n"), stamp, arrow, kind->value_nick, size);
      }
      break;
    }
}

static void
print_message (LadleWebsocketEvent *event)
{
  GBytes *payload = ladle_websocket_event_get_payload (event);
  gsize len = 0;
  const char *data = payload != NULL ? g_bytes_get_data (payload, &len) : NULL;

  if (ladle_websocket_event_get_kind (event) == LADLE_WEBSOCKET_EVENT_TEXT)
    {
      if (len > 0)
        fwrite (data, 1, len, stdout);
      fputc ('\n', stdout);
    }
  else
    {
      printf ("<binary %" G_GSIZE_FORMAT " bytes>\n", len);
    }
  fflush (stdout);
}

static void send_next (WsState *state);

static void
transcript_changed_cb (GListModel *model,
                       guint       position,
                       guint       removed,
                       guint       added,
                       gpointer    user_data)
{
  WsState *state = user_data;

  /* Re-entrant: request_close() appends an event, which lands here again. */
  while (state->n_seen < g_list_model_get_n_items (model))
    {
      g_autoptr(LadleWebsocketEvent) event = g_list_model_get_item (model, state->n_seen++);
      LadleWebsocketEventKind kind = ladle_websocket_event_get_kind (event);

      state->seen_bytes += ladle_websocket_event_get_size (event);
      if (state->verbose)
        print_verbose (event);

      if (ladle_websocket_event_get_direction (event) != LADLE_WEBSOCKET_DIRECTION_IN ||
          (kind != LADLE_WEBSOCKET_EVENT_TEXT && kind != LADLE_WEBSOCKET_EVENT_BINARY))
        continue;

      state->n_replies++;
      if (state->repeat == 0)
        print_message (event);
      if (state->repeat > 0)
        {
          state->last_reply_at = g_get_monotonic_time ();
          if (state->rtts != NULL)
            {
              gint64 rtt = state->last_reply_at - state->sent_at;

              g_array_append_val (state->rtts, rtt);
            }
          /* The next message goes out before this reply is printed, so that printing overlaps
           * the round trip instead of adding to it. */
          if (state->n_sent < state->n_expected &&
              ladle_websocket_client_get_state (state->client) == LADLE_WEBSOCKET_STATE_OPEN)
            send_next (state);
          print_message (event);
        }
      if (state->send_mode && state->n_replies >= state->n_expected &&
          ladle_websocket_client_get_state (state->client) == LADLE_WEBSOCKET_STATE_OPEN)
        request_close (state);
    }

  /* --repeat: a long run must not keep every message in the transcript (nor hold large
   * messages long: memory that is used again stays warm). */
  if (state->repeat > 0 && (state->n_seen >= 256 || state->seen_bytes >= 4 * 1024 * 1024))
    {
      state->n_seen = 0;
      state->seen_bytes = 0;
      ladle_websocket_client_clear_transcript (state->client);
    }
}

static void
state_changed_cb (GObject    *object,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  WsState *state = user_data;
  const GError *error = ladle_websocket_client_get_error (state->client);
  guint code = ladle_websocket_client_get_close_code (state->client);
  const char *reason = ladle_websocket_client_get_close_reason (state->client);

  if (ladle_websocket_client_get_state (state->client) != LADLE_WEBSOCKET_STATE_CLOSED ||
      state->finished)
    return;

  /* A failed connect is reported by connected_cb(). */
  if (ladle_websocket_client_get_close_code (state->client) == 0 && error != NULL)
    return;

  if (error != NULL)
    {
      g_printerr ("ladle ws: %s\n", error->message);
      finish (state, ladle_cli_exit_status_for_error (error));
    }
  else if (state->send_mode && state->n_replies < state->n_expected)
    {
      g_printerr (_("ladle ws: The connection closed after %u of %u replies (close code %u%s%s)\n"),
                  state->n_replies, state->n_expected, code,
                  reason != NULL && reason[0] != '\0' ? " " : "", reason != NULL ? reason : "");
      finish (state, LADLE_EXIT_FAILURE);
    }
  else if (!state->close_requested && code != CLOSE_NORMAL &&
           code != CLOSE_GOING_AWAY && code != CLOSE_NO_STATUS)
    {
      g_printerr (_("ladle ws: The server closed the connection with code %u%s%s\n"), code,
                  reason != NULL && reason[0] != '\0' ? " " : "", reason != NULL ? reason : "");
      finish (state, LADLE_EXIT_FAILURE);
    }
  else
    {
      finish (state, LADLE_EXIT_OK);
    }
}

/* --- Sending --------------------------------------------------------------------------------- */

static gboolean
timeout_cb (gpointer data)
{
  WsState *state = data;

  state->timeout_id = 0;
  g_printerr (_("ladle ws: Timed out after %g s waiting for replies (%u of %u arrived)\n"),
              state->timeout, state->n_replies, state->n_expected);
  if (ladle_websocket_client_get_state (state->client) == LADLE_WEBSOCKET_STATE_OPEN)
    request_close (state);
  finish (state, LADLE_EXIT_TIMEOUT);

  return G_SOURCE_REMOVE;
}

static void file_sent_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data);

/* --repeat: the next message, once the previous one's reply arrived */
static void
send_next (WsState *state)
{
  GBytes *message = g_ptr_array_index (state->messages, state->n_sent % state->messages->len);

  state->n_sent++;
  state->bytes_sent += g_bytes_get_size (message);
  state->sent_at = g_get_monotonic_time ();
  if (state->first_sent_at == 0)
    state->first_sent_at = state->sent_at;
  ladle_websocket_client_send_text_bytes (state->client, message, NULL);
}

static int
compare_rtt (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* --stats: one JSON line, the fields of bench/ws_client.py */
static void
print_stats (WsState *state)
{
  double seconds = (state->last_reply_at - state->first_sent_at) / (double) G_USEC_PER_SEC;
  GArray *rtts = state->rtts;
  double sum = 0;
  char buf[6][G_ASCII_DTOSTR_BUF_SIZE];

  if (rtts == NULL || rtts->len == 0 || seconds <= 0)
    return;

  g_array_sort (rtts, compare_rtt);
  for (guint i = 0; i < rtts->len; i++)
    sum += g_array_index (rtts, gint64, i);

  g_printerr ("{\"messages\": %u, \"seconds\": %s, \"msgs_per_s\": %s, \"mib_per_s\": %s, "
              "\"lat_avg_us\": %s, \"lat_p50_us\": %s, \"lat_p99_us\": %s}\n",
              rtts->len,
              g_ascii_formatd (buf[0], sizeof buf[0], "%.6f", seconds),
              g_ascii_formatd (buf[1], sizeof buf[1], "%.3f", rtts->len / seconds),
              g_ascii_formatd (buf[2], sizeof buf[2], "%.3f",
                               state->bytes_sent / seconds / (1024.0 * 1024.0)),
              g_ascii_formatd (buf[3], sizeof buf[3], "%.1f", sum / rtts->len),
              g_ascii_formatd (buf[4], sizeof buf[4], "%.1f",
                               (double) g_array_index (rtts, gint64, rtts->len / 2)),
              g_ascii_formatd (buf[5], sizeof buf[5], "%.1f",
                               (double) g_array_index (rtts, gint64,
                                                       MIN (rtts->len - 1,
                                                            (guint64) rtts->len * 99 / 100))));
}

static void
start_sending (WsState *state)
{
  if (state->repeat > 0)
    {
      if (state->messages->len > 0)
        send_next (state);
    }
  else
    {
      for (guint i = 0; i < state->messages->len; i++)
        ladle_websocket_client_send_text_bytes (state->client,
                                                g_ptr_array_index (state->messages, i), NULL);
      if (state->send_file != NULL)
        {
          g_autoptr(GFile) file = g_file_new_for_commandline_arg (state->send_file);

          ladle_websocket_client_send_file_async (state->client, file, state->cancellable,
                                                  file_sent_cb, state);
        }
    }
  if (state->timeout > 0)
    state->timeout_id = g_timeout_add ((guint) (state->timeout * 1000 + 0.5), timeout_cb, state);
}

static void
text_file_loaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  WsState *state = user_data;
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &len, NULL, &error))
    {
      if (state->finished)
        return;
      g_printerr (_("ladle ws: Could not read “%s”: %s\n"), state->send_text_file,
                  error->message);
      request_close (state);
      finish (state, LADLE_EXIT_FAILURE);
      return;
    }
  if (!g_utf8_validate_len (contents, len, NULL))
    {
      g_free (contents);
      g_printerr (_("ladle ws: “%s” is not UTF-8 text; send it with --send-file\n"),
                  state->send_text_file);
      request_close (state);
      finish (state, LADLE_EXIT_FAILURE);
      return;
    }

  g_ptr_array_add (state->messages, g_bytes_new_take (contents, len));
  if (ladle_websocket_client_get_state (state->client) == LADLE_WEBSOCKET_STATE_OPEN)
    start_sending (state);
}

static void
file_sent_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  WsState *state = user_data;
  g_autoptr(GError) error = NULL;

  if (!ladle_websocket_client_send_file_finish (LADLE_WEBSOCKET_CLIENT (object), result, &error))
    {
      if (state->finished)
        return;
      g_printerr ("ladle ws: %s\n", error->message);
      if (ladle_websocket_client_get_state (state->client) == LADLE_WEBSOCKET_STATE_OPEN)
        request_close (state);
      finish (state, LADLE_EXIT_FAILURE);
    }
}

static void read_next_line (WsState *state);

static void
line_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  WsState *state = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  gsize len = 0;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result, &len,
                                                    &error);
  if (state->finished || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (ladle_websocket_client_get_state (state->client) != LADLE_WEBSOCKET_STATE_OPEN)
    return;

  if (error != NULL)
    {
      /* Not UTF-8 (or a read error): that line cannot be a text message. */
      g_printerr (_("ladle ws: Could not read standard input: %s\n"), error->message);
      request_close (state);
      state->status = LADLE_EXIT_FAILURE;
      return;
    }
  if (line == NULL)
    {
      request_close (state);
      return;
    }

  if (len > 0 && line[len - 1] == '\r')
    line[--len] = '\0';
  ladle_websocket_client_send_text (state->client, line, len, NULL);
  read_next_line (state);
}

static void
read_next_line (WsState *state)
{
  g_data_input_stream_read_line_async (state->input, G_PRIORITY_DEFAULT, state->cancellable,
                                       line_read_cb, state);
}

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  WsState *state = user_data;
  g_autoptr(GError) error = NULL;

  if (!ladle_websocket_client_connect_finish (LADLE_WEBSOCKET_CLIENT (object), result, &error))
    {
      if (!state->finished)
        {
          g_printerr ("ladle ws: %s\n", error->message);
          finish (state, ladle_cli_exit_status_for_error (error));
        }
      return;
    }

  if (!state->send_mode)
    {
      g_autoptr(GInputStream) in = g_unix_input_stream_new (STDIN_FILENO, FALSE);

      state->input = g_data_input_stream_new (in);
      g_data_input_stream_set_newline_type (state->input, G_DATA_STREAM_NEWLINE_TYPE_LF);
      read_next_line (state);
      return;
    }

  if (state->send_text_file != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (state->send_text_file);

      g_file_load_contents_async (file, state->cancellable, text_file_loaded_cb, state);
      return;
    }
  start_sending (state);
}

static gboolean
on_signal (gpointer data)
{
  WsState *state = data;

  if (ladle_websocket_client_get_state (state->client) == LADLE_WEBSOCKET_STATE_OPEN)
    request_close (state);
  else
    finish (state, LADLE_EXIT_FAILURE);

  return G_SOURCE_CONTINUE;
}

int
ladle_cli_ws (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(LadleWebsocketClient) client = NULL;
  g_auto(GStrv) sends = NULL;
  g_auto(GStrv) headers = NULL;
  g_auto(GStrv) protocols = NULL;
  g_auto(GStrv) rest = NULL;
  g_autofree char *send_file = NULL;
  g_autofree char *send_text_file = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GArray) rtts = NULL;
  g_autofree char *repeat = NULL;
  gboolean stats = FALSE;
  g_autofree char *origin = NULL;
  g_autofree char *ping_interval = NULL;
  g_autofree char *connect_timeout = NULL;
  g_autofree char *timeout = NULL;
  g_autofree char *close = NULL;
  g_autofree char *close_reason = NULL;
  gboolean verbose = FALSE;
  gboolean insecure = FALSE;
  gboolean deflate = FALSE;
  g_auto(LadleCliTransport) transport = { 0 };
  g_auto(LadleCliCookies) cookies = { 0 };
  g_autoptr(LadleRequest) settings = NULL;
  g_autofree char *cookie_header = NULL;
  WsState state = { 0 };
  double seconds;
  guint sigint_id;
  const GOptionEntry entries[] = {
    { "send", 's', 0, G_OPTION_ARG_STRING_ARRAY, &sends,
      N_("A text message to send; repeat for more (then wait for as many replies)"), N_("TEXT") },
    { "send-file", 0, 0, G_OPTION_ARG_FILENAME, &send_file,
      N_("Send a file as one binary message, after the --send messages"), N_("PATH") },
    { "send-text-file", 0, 0, G_OPTION_ARG_FILENAME, &send_text_file,
      N_("Send a file (UTF-8) as one text message, after the --send messages"), N_("PATH") },
    { "repeat", 'n', 0, G_OPTION_ARG_STRING, &repeat,
      N_("Send the --send and --send-text-file messages N times over, one at a time: each "
         "waits for the reply to the previous one"), N_("N") },
    { "stats", 0, 0, G_OPTION_ARG_NONE, &stats,
      N_("With --repeat: print the message rate and round-trip times as JSON on stderr"), NULL },
    { "header", 'H', 0, G_OPTION_ARG_STRING_ARRAY, &headers,
      N_("A handshake request header; repeat for more"), N_("“NAME: VALUE”") },
    { "protocol", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &protocols,
      N_("A subprotocol to offer; repeat for more"), N_("NAME") },
    { "origin", 0, 0, G_OPTION_ARG_STRING, &origin,
      N_("The Origin header of the handshake"), N_("ORIGIN") },
    { "deflate", 0, 0, G_OPTION_ARG_NONE, &deflate,
      N_("Offer permessage-deflate compression"), NULL },
    { "ping-interval", 0, 0, G_OPTION_ARG_STRING, &ping_interval,
      N_("Ping that often; give up when a pong does not come back in time"), N_("S") },
    { "connect-timeout", 0, 0, G_OPTION_ARG_STRING, &connect_timeout,
      N_("Give up if connecting and the handshake take longer"), N_("S") },
    { "timeout", 'm', 0, G_OPTION_ARG_STRING, &timeout,
      N_("With --send: give up if the replies take longer (default 10)"), N_("S") },
    { "close", 0, 0, G_OPTION_ARG_STRING, &close,
      N_("Close with this code and reason (default 1000)"), N_("CODE[:REASON]") },
    { "insecure", 'k', 0, G_OPTION_ARG_NONE, &insecure,
      N_("Do not verify TLS certificates"), NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose,
      N_("Print every event (direction, kind, size, time) and the close code to stderr"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, N_("URL") },
    { NULL }
  };

  /* No parameter string: GOption already names the G_OPTION_REMAINING argument ("URL") in
   * the usage line, and both would print it twice. */
  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Talk to a WebSocket server. With --send, send the messages, print "
                                  "the replies and close (with --repeat N: N rounds, each message "
                                  "sent once the previous reply arrived); otherwise send each line "
                                  "of standard input and print each message received. A binary "
                                  "message prints as "
                                  "“<binary N bytes>”. Exit status: 0 ok, 1 other failure, 2 usage, "
                                  "3 could not connect or the handshake was refused, 4 a timeout "
                                  "fired."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  ladle_cli_add_version_option (context);
  ladle_cli_transport_add_entries (context, &transport);
  ladle_cli_cookies_add_cookie_option (&cookies, context);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_set_prgname ("ladle ws");

  if (!g_option_context_parse (context, &argc, &argv, &error))
    goto bad_value;

  if (rest == NULL || rest[0] == NULL)
    {
      ladle_cli_usage_error ("ws", _("no URL given"));
      return LADLE_EXIT_USAGE;
    }
  if (rest[1] != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("unexpected argument “%s”"), rest[1]);
      ladle_cli_usage_error ("ws", message);
      return LADLE_EXIT_USAGE;
    }
  if (!check_url (rest[0], &error))
    goto bad_value;

  state.timeout = DEFAULT_TIMEOUT;
  state.close_code = CLOSE_NORMAL;
  if (!ladle_cli_parse_seconds ("--timeout", timeout, &state.timeout, &error))
    goto bad_value;
  if (close != NULL && !parse_close (close, &state.close_code, &close_reason, &error))
    goto bad_value;
  if (repeat != NULL)
    {
      guint64 n = 0;

      if (!g_ascii_string_to_unsigned (repeat, 10, 1, G_MAXUINT / 1024, &n, NULL))
        {
          g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--repeat takes a number of rounds (1 or more), not “%s”"), repeat);
          goto bad_value;
        }
      if ((sends == NULL && send_text_file == NULL) || send_file != NULL)
        {
          ladle_cli_usage_error ("ws", _("--repeat needs --send or --send-text-file, and does "
                                         "not work with --send-file"));
          return LADLE_EXIT_USAGE;
        }
      state.repeat = (guint) n;
    }
  if (stats && state.repeat == 0)
    {
      ladle_cli_usage_error ("ws", _("--stats needs --repeat"));
      return LADLE_EXIT_USAGE;
    }

  /* Without --send, standard input carries the messages */
  if (sends == NULL && send_file == NULL && send_text_file == NULL && cookies.cookies != NULL &&
      g_strv_contains ((const char * const *) cookies.cookies, "-"))
    {
      ladle_cli_usage_error ("ws", _("-b - reads cookies from standard input, which carries the "
                                     "messages unless --send is given"));
      return LADLE_EXIT_USAGE;
    }

  client = ladle_websocket_client_new ();
  settings = ladle_request_new ();
  if (!ladle_cli_transport_apply (&transport, settings, &error))
    goto bad_value;
  if (!ladle_websocket_client_set_transport (client, settings, &error))
    {
      g_printerr ("ladle ws: %s\n", error->message);
      return ladle_cli_exit_status_for_error (error);
    }
  if (!ladle_cli_cookies_dup_websocket_header (&cookies, "ws", rest[0], &cookie_header))
    return LADLE_EXIT_USAGE;
  if (cookie_header != NULL)
    ladle_websocket_client_add_header (client, "Cookie", cookie_header);
  for (guint i = 0; headers != NULL && headers[i] != NULL; i++)
    {
      const char *colon = strchr (headers[i], ':');
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (colon == NULL || colon == headers[i])
        {
          g_autofree char *message = g_strdup_printf (_("“%s” is not a header (use “Name: value”)"),
                                                      headers[i]);
          ladle_cli_usage_error ("ws", message);
          return LADLE_EXIT_USAGE;
        }
      name = g_strstrip (g_strndup (headers[i], colon - headers[i]));
      value = g_strstrip (g_strdup (colon + 1));
      if (!ladle_http_check_header (name, value, &error))
        {
          ladle_cli_usage_error ("ws", error->message);
          return LADLE_EXIT_USAGE;
        }
      ladle_websocket_client_add_header (client, name, value);
    }
  ladle_websocket_client_set_protocols (client, (const char * const *) protocols);
  ladle_websocket_client_set_origin (client, origin);
  ladle_websocket_client_set_deflate (client, deflate);
  ladle_websocket_client_set_verify_tls (client, !insecure);

  seconds = 0;
  if (!ladle_cli_parse_seconds ("--ping-interval", ping_interval, &seconds, &error))
    goto bad_value;
  ladle_websocket_client_set_ping_interval (client, seconds);
  seconds = 0;
  if (!ladle_cli_parse_seconds ("--connect-timeout", connect_timeout, &seconds, &error))
    goto bad_value;
  ladle_websocket_client_set_connect_timeout (client, seconds);

  signal (SIGPIPE, SIG_IGN);
  loop = g_main_loop_new (NULL, FALSE);
  cancellable = g_cancellable_new ();
  state.loop = loop;
  state.client = client;
  state.cancellable = cancellable;
  state.sends = sends;
  state.send_file = send_file;
  state.close_reason = close_reason;
  state.verbose = verbose;
  state.send_text_file = send_text_file;
  state.send_mode = sends != NULL || send_file != NULL || send_text_file != NULL;
  state.n_expected = (sends != NULL ? g_strv_length (sends) : 0) + (send_file != NULL ? 1 : 0) +
                     (send_text_file != NULL ? 1 : 0);
  messages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (guint i = 0; sends != NULL && sends[i] != NULL; i++)
    g_ptr_array_add (messages, g_bytes_new (sends[i], strlen (sends[i])));
  state.messages = messages;
  if (state.repeat > 0)
    {
      state.n_expected *= state.repeat;
      if (stats)
        {
          rtts = g_array_sized_new (FALSE, FALSE, sizeof (gint64), MIN (state.n_expected, 1 << 20));
          state.rtts = rtts;
        }
    }

  g_signal_connect (ladle_websocket_client_get_transcript (client), "items-changed",
                    G_CALLBACK (transcript_changed_cb), &state);
  g_signal_connect (client, "notify::state", G_CALLBACK (state_changed_cb), &state);
  sigint_id = g_unix_signal_add (SIGINT, on_signal, &state);

  ladle_websocket_client_connect_async (client, rest[0], NULL, connected_cb, &state);
  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  if (state.timeout_id != 0)
    g_source_remove (state.timeout_id);
  g_signal_handlers_disconnect_by_data (ladle_websocket_client_get_transcript (client), &state);
  g_signal_handlers_disconnect_by_data (client, &state);
  /* Let a pending stdin read or file load see the cancel before the state goes away. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&state.input);
  if (stats && state.status == LADLE_EXIT_OK)
    print_stats (&state);

  return state.status;

bad_value:
  ladle_cli_usage_error ("ws", error->message);
  return LADLE_EXIT_USAGE;
}
