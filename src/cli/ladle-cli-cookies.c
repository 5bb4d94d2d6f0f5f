/* ladle-cli-cookies.c
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
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "ladle-cli.h"
#include "ladle-cli-cookies.h"
#include "ladle-cookie-file.h"
#include "ladle-error.h"

/* -b/--cookie and -c/--cookie-jar as curl has them:
 * - `-b 'a=1; b=2'` (an argument with "=") is sent as a Cookie header with each request, beside
 *   the jar's cookies of other names;
 * - `-b FILE` reads a cookie file (Netscape format, see ladle-cookie-file.c) into the client's
 *   jar before the first request; `-b -` reads it from stdin. A missing file is only a warning
 *   (`-b jar -c jar` starts with no jar), and none at all when it is the -c file too; a file that
 *   cannot be read is a usage error. Bad lines are skipped, each named `FILE:LINE: message`;
 * - `-c FILE` writes every cookie of the jar at the end (session cookies too, as curl does),
 *   atomically; `-c -` writes them to stdout. A failure to write is an error (exit status 1). */

void
ladle_cli_cookies_add_options (LadleCliCookies *self,
                               GOptionContext  *context)
{
  const GOptionEntry entries[] = {
    { "cookie", 'b', 0, G_OPTION_ARG_STRING_ARRAY, &self->cookies,
      N_("Send cookies: “NAME=VALUE; …”, or read them from a cookie file (Netscape format, as "
         "curl writes it; - for stdin); repeatable"),
      N_("DATA|FILE") },
    { "cookie-jar", 'c', 0, G_OPTION_ARG_FILENAME, &self->jar,
      N_("At the end, write every cookie to this file (Netscape format, as curl writes it; - for "
         "stdout)"),
      N_("FILE") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

/* `ladle ws` takes -b only: the handshake's answer sets no cookie worth a jar */
void
ladle_cli_cookies_add_cookie_option (LadleCliCookies *self,
                                     GOptionContext  *context)
{
  const GOptionEntry entries[] = {
    { "cookie", 'b', 0, G_OPTION_ARG_STRING_ARRAY, &self->cookies,
      N_("Send cookies: “NAME=VALUE; …”, or read them from a cookie file (Netscape format, as "
         "curl writes it; - for stdin); repeatable"),
      N_("DATA|FILE") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

static gboolean
is_cookie_data (const char *arg)
{
  return strchr (arg, '=') != NULL;
}

static gboolean
read_stdin (char   **out_data,
            gsize   *out_len,
            GError **error)
{
  GString *data = g_string_new (NULL);
  char buffer[16384];

  for (;;)
    {
      gssize n = read (STDIN_FILENO, buffer, sizeof buffer);

      if (n < 0)
        {
          int saved_errno = errno;

          if (saved_errno == EINTR)
            continue;
          g_string_free (data, TRUE);
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Could not read cookies from stdin: %s"), g_strerror (saved_errno));
          return FALSE;
        }
      if (n == 0)
        break;
      if (data->len + (gsize) n > LADLE_COOKIE_FILE_MAX_SIZE)
        {
          g_string_free (data, TRUE);
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_TOO_LARGE,
                       _("%s: a cookie file is at most %u MiB; this one is larger"), "-",
                       (guint) (LADLE_COOKIE_FILE_MAX_SIZE / (1024 * 1024)));
          return FALSE;
        }
      g_string_append_len (data, buffer, n);
    }

  *out_len = data->len;
  *out_data = g_string_free (data, FALSE);
  return TRUE;
}

static void
print_warnings (const char *command,
                GPtrArray  *warnings)
{
  for (guint i = 0; warnings != NULL && i < warnings->len; i++)
    g_printerr ("ladle %s: %s\n", command, (const char *) g_ptr_array_index (warnings, i));
}

/* Reads the -b files into @jar. FALSE (after printing why) when one cannot be read. */
static gboolean
load_into (LadleCliCookies *self,
           const char      *command,
           SoupCookieJar   *jar)
{
  for (guint i = 0; self->cookies != NULL && self->cookies[i] != NULL; i++)
    {
      const char *arg = self->cookies[i];
      g_autoptr(GPtrArray) warnings = NULL;
      g_autoptr(GError) error = NULL;

      if (arg[0] == '\0' || is_cookie_data (arg))
        continue;

      if (strcmp (arg, "-") == 0)
        {
          g_autofree char *data = NULL;
          g_autoptr(GPtrArray) cookies = NULL;
          gsize len = 0;

          if (!read_stdin (&data, &len, &error))
            {
              ladle_cli_usage_error (command, error->message);
              return FALSE;
            }
          cookies = ladle_cookie_file_parse (data, len, "-", &warnings);
          for (guint j = 0; j < cookies->len; j++)
            soup_cookie_jar_add_cookie (jar, soup_cookie_copy (g_ptr_array_index (cookies, j)));
        }
      else if (!ladle_cookie_file_load (jar, arg, NULL, &warnings, &error))
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
            {
              if (g_strcmp0 (arg, self->jar) != 0)
                g_printerr ("ladle %s: %s\n", command, error->message);
              continue;
            }
          ladle_cli_usage_error (command, error->message);
          return FALSE;
        }
      print_warnings (command, warnings);
    }

  return TRUE;
}

/* Reads the -b files into @client's jar. FALSE (after printing why) when one cannot be read. */
gboolean
ladle_cli_cookies_load (LadleCliCookies *self,
                        const char      *command,
                        LadleHttpClient *client)
{
  return load_into (self, command, ladle_http_client_get_cookie_jar (client));
}

/* The -b "NAME=VALUE; …" arguments, joined as curl joins them. NULL when there are none. */
static char *
dup_cookie_header (LadleCliCookies *self)
{
  GString *header = NULL;

  for (guint i = 0; self->cookies != NULL && self->cookies[i] != NULL; i++)
    {
      if (!is_cookie_data (self->cookies[i]))
        continue;
      if (header == NULL)
        header = g_string_new (NULL);
      else
        g_string_append (header, "; ");
      g_string_append (header, self->cookies[i]);
    }

  return header != NULL ? g_string_free (header, FALSE) : NULL;
}

/* Adds the -b "NAME=VALUE; …" arguments to @request as a Cookie header. */
void
ladle_cli_cookies_apply (LadleCliCookies *self,
                         LadleRequest    *request)
{
  g_autofree char *header = dup_cookie_header (self);
  g_autoptr(LadleKeyValue) row = NULL;

  if (header == NULL)
    return;
  row = ladle_key_value_new ("Cookie", header);
  g_list_store_append (ladle_request_get_headers (request), row);
}

/**
 * ladle_cli_cookies_dup_websocket_header:
 * @url: the ws:// or wss:// URL (http:// and https:// too)
 * @out_header: (out) (nullable): the handshake's Cookie header: the -b "NAME=VALUE" arguments,
 *   then the cookies of the -b files that go to @url (of other names; a Secure one only over
 *   wss://), as a browser sends them with a WebSocket handshake; %NULL when there are none
 *
 * Returns: %FALSE (after printing why) when a file cannot be read
 */
gboolean
ladle_cli_cookies_dup_websocket_header (LadleCliCookies  *self,
                                        const char       *command,
                                        const char       *url,
                                        char            **out_header)
{
  g_autoptr(SoupCookieJar) jar = soup_cookie_jar_new ();
  g_autofree char *header = dup_cookie_header (self);
  g_autoptr(GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  g_autoptr(GUri) http_uri = NULL;
  g_autoptr(GHashTable) given = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GString *all = g_string_new (header);
  GSList *cookies;

  *out_header = NULL;
  if (!load_into (self, command, jar))
    {
      g_string_free (all, TRUE);
      return FALSE;
    }

  if (header != NULL)
    {
      g_auto(GStrv) pairs = g_strsplit (header, ";", -1);

      for (guint i = 0; pairs[i] != NULL; i++)
        {
          char *eq = strchr (pairs[i], '=');

          if (eq != NULL)
            g_hash_table_add (given, g_strstrip (g_strndup (pairs[i], eq - pairs[i])));
        }
    }
  if (uri != NULL && g_uri_get_host (uri) != NULL)
    {
      const char *scheme = g_uri_get_scheme (uri);
      gboolean secure = g_ascii_strcasecmp (scheme, "wss") == 0 ||
                        g_ascii_strcasecmp (scheme, "https") == 0;

      http_uri = g_uri_build (G_URI_FLAGS_NONE, secure ? "https" : "http", NULL,
                              g_uri_get_host (uri), g_uri_get_port (uri),
                              *g_uri_get_path (uri) != '\0' ? g_uri_get_path (uri) : "/",
                              NULL, NULL);
      cookies = soup_cookie_jar_get_cookie_list (jar, http_uri, TRUE);
      for (GSList *l = cookies; l != NULL; l = l->next)
        {
          SoupCookie *cookie = l->data;

          if (g_hash_table_contains (given, soup_cookie_get_name (cookie)))
            continue;
          if (all->len > 0)
            g_string_append (all, "; ");
          g_string_append_printf (all, "%s=%s", soup_cookie_get_name (cookie),
                                  soup_cookie_get_value (cookie));
        }
      g_slist_free_full (cookies, (GDestroyNotify) soup_cookie_free);
    }

  if (all->len == 0)
    {
      g_string_free (all, TRUE);
      return TRUE;
    }
  *out_header = g_string_free (all, FALSE);
  return TRUE;
}

/* A run's requests are built from their .http entries just before each is sent, and the item
 * tells of it ("notify::request") before the send: the Cookie header joins them there. */
static void
item_request_cb (LadleRunItem    *item,
                 GParamSpec      *pspec,
                 LadleCliCookies *self)
{
  LadleRequest *request = ladle_run_item_get_request (item);

  if (request != NULL)
    ladle_cli_cookies_apply (self, request);
}

static void
item_started_cb (LadleHttpRunner *runner,
                 LadleRunItem    *item,
                 LadleCliCookies *self)
{
  g_signal_connect (item, "notify::request", G_CALLBACK (item_request_cb), self);
}

/* Every request @runner sends gets the -b "NAME=VALUE; …" arguments. @self must outlive the
 * run. */
void
ladle_cli_cookies_watch_runner (LadleCliCookies *self,
                                LadleHttpRunner *runner)
{
  g_autofree char *header = dup_cookie_header (self);

  if (header != NULL)
    g_signal_connect (runner, "item-started", G_CALLBACK (item_started_cb), self);
}

/* Writes the -c file. FALSE (after printing why) when it could not be written. */
gboolean
ladle_cli_cookies_save (LadleCliCookies *self,
                        const char      *command,
                        LadleHttpClient *client)
{
  g_autoptr(GError) error = NULL;
  SoupCookieJar *jar = ladle_http_client_get_cookie_jar (client);

  if (self->jar == NULL)
    return TRUE;

  if (strcmp (self->jar, "-") == 0)
    {
      GSList *cookies = soup_cookie_jar_all_cookies (jar);
      g_autofree char *text = ladle_cookie_file_format (cookies);

      g_slist_free_full (cookies, (GDestroyNotify) soup_cookie_free);
      if (fputs (text, stdout) < 0 || fflush (stdout) != 0)
        {
          g_printerr ("ladle %s: %s\n", command, _("Could not write the cookies to stdout"));
          return FALSE;
        }
      return TRUE;
    }

  if (!ladle_cookie_file_save (jar, self->jar, &error))
    {
      g_printerr ("ladle %s: %s\n", command, error->message);
      return FALSE;
    }
  return TRUE;
}

void
ladle_cli_cookies_clear (LadleCliCookies *self)
{
  g_clear_pointer (&self->cookies, g_strfreev);
  g_clear_pointer (&self->jar, g_free);
}
