/* ladle-cli-transport.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The transport options of `ladle send`, in curl's words, kept apart from the other options so
 * that each subcommand adds them with one call. */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ladle-cli-transport.h"
#include "ladle-error.h"

/**
 * ladle_cli_split_cert:
 * @arg: curl's --cert argument: FILE or FILE:PASSPHRASE, with "\:" for a colon in the file name
 *   and "\\" for a backslash
 *
 * An existing file named by the whole argument is taken as is (a name with a colon needs no
 * escape then).
 */
void
ladle_cli_split_cert (const char  *arg,
                      char       **out_file,
                      char       **out_password)
{
  GString *file = g_string_new (NULL);
  const char *p;

  *out_password = NULL;
  if (g_file_test (arg, G_FILE_TEST_EXISTS))
    {
      *out_file = g_strdup (arg);
      g_string_free (file, TRUE);
      return;
    }
  for (p = arg; *p != '\0'; p++)
    {
      if (p[0] == '\\' && (p[1] == ':' || p[1] == '\\'))
        {
          g_string_append_c (file, p[1]);
          p++;
          continue;
        }
      if (*p == ':')
        {
          *out_password = g_strdup (p + 1);
          break;
        }
      g_string_append_c (file, *p);
    }
  *out_file = g_string_free (file, FALSE);
}

void
ladle_cli_transport_add_entries (GOptionContext    *context,
                                 LadleCliTransport *options)
{
  const GOptionEntry entries[] = {
    { "cert", 'E', 0, G_OPTION_ARG_STRING, &options->cert,
      N_("Client certificate: PEM (with --key) or PKCS#12, and its passphrase"),
      N_("FILE[:PASSPHRASE]") },
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &options->key,
      N_("Private key of the client certificate (PEM)"), N_("FILE") },
    { "cacert", 0, 0, G_OPTION_ARG_FILENAME, &options->cacert,
      N_("Trust the CA certificates of this PEM file too"), N_("FILE") },
    { "proxy", 'x', 0, G_OPTION_ARG_STRING, &options->proxy,
      N_("Go through this proxy (http://, https://, socks5://, socks5h://; \"\" for none)"), N_("URL") },
    { "proxy-user", 'U', 0, G_OPTION_ARG_STRING, &options->proxy_user,
      N_("User name and password for the proxy"), N_("USER:PASSWORD") },
    { "noproxy", 0, 0, G_OPTION_ARG_STRING, &options->noproxy,
      N_("Hosts reached without the proxy (comma-separated, \"*\" for all)"), N_("HOSTS") },
    { "http1.1", 0, 0, G_OPTION_ARG_NONE, &options->http1_1,
      N_("Use HTTP/1.1 only (no HTTP/2)"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

/* Sets what was given on @request (over what a --curl command or a .http file set) */
gboolean
ladle_cli_transport_apply (LadleCliTransport  *options,
                           LadleRequest       *request,
                           GError            **error)
{
  if (options->cert != NULL)
    {
      g_autofree char *file = NULL;
      g_autofree char *password = NULL;

      ladle_cli_split_cert (options->cert, &file, &password);
      if (*file == '\0')
        {
          g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                               _("--cert needs a file name"));
          return FALSE;
        }
      ladle_request_set_tls_cert_file (request, file);
      ladle_request_set_tls_cert_password (request, password);
    }
  if (options->key != NULL)
    {
      const char *cert = ladle_request_get_tls_cert_file (request);

      if (cert == NULL || *cert == '\0')
        {
          g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                               _("--key goes with --cert"));
          return FALSE;
        }
      ladle_request_set_tls_key_file (request, options->key);
    }
  if (options->cacert != NULL)
    {
      /* GIO's file database takes only an absolute name (a relative one is refused with a
       * warning, and then no CA is trusted) */
      g_autofree char *absolute = g_canonicalize_filename (options->cacert, NULL);

      ladle_request_set_tls_ca_file (request, absolute);
    }

  if (options->proxy != NULL)
    {
      /* curl: an empty --proxy turns proxies off */
      ladle_request_set_proxy_mode (request, *options->proxy == '\0' ? LADLE_PROXY_NONE
                                                                     : LADLE_PROXY_MANUAL);
      ladle_request_set_proxy_url (request, *options->proxy == '\0' ? NULL : options->proxy);
    }
  if (options->proxy_user != NULL)
    {
      const char *colon = strchr (options->proxy_user, ':');
      g_autofree char *user = colon != NULL ? g_strndup (options->proxy_user,
                                                         colon - options->proxy_user)
                                            : g_strdup (options->proxy_user);

      ladle_request_set_proxy_username (request, user);
      ladle_request_set_proxy_password (request, colon != NULL ? colon + 1 : NULL);
    }
  if (options->noproxy != NULL)
    ladle_request_set_no_proxy (request, options->noproxy);
  if (options->http1_1)
    ladle_request_set_http_version (request, LADLE_HTTP_VERSION_1_1);
  return TRUE;
}

void
ladle_cli_transport_clear (LadleCliTransport *options)
{
  g_clear_pointer (&options->cert, g_free);
  g_clear_pointer (&options->key, g_free);
  g_clear_pointer (&options->cacert, g_free);
  g_clear_pointer (&options->proxy, g_free);
  if (options->proxy_user != NULL)
    memset (options->proxy_user, 0, strlen (options->proxy_user));
  g_clear_pointer (&options->proxy_user, g_free);
  g_clear_pointer (&options->noproxy, g_free);
  options->http1_1 = FALSE;
}
