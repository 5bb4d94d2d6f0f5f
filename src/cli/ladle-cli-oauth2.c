/* ladle-cli-oauth2.c
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

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "ladle-cli.h"
#include "ladle-cli-oauth2.h"
#include "ladle-error.h"
#include "ladle-oauth2.h"

/* `ladle send --oauth2-grant GRANT …`: fetches a token with the core's OAuth 2.0 client before
 * the request is sent, and sends it as its Bearer token. The authorization page opens in the
 * default browser (and its address is printed, for a machine without one); the device flow
 * prints where to go and the code to type. Neither the secret nor the token is printed, unless
 * --oauth2-show-token asks for the token (to stderr). */

GOptionGroup *
ladle_cli_oauth2_option_group (LadleCliOauth2Options *options)
{
  const GOptionEntry entries[] = {
    { "oauth2-grant", 0, 0, G_OPTION_ARG_STRING, &options->grant,
      N_("Get an OAuth 2.0 token first and send it as Bearer: client_credentials, password, "
         "authorization_code or device_code"), N_("GRANT") },
    { "oauth2-issuer", 0, 0, G_OPTION_ARG_STRING, &options->issuer,
      N_("Read the endpoints from the issuer's discovery document"), N_("URL") },
    { "oauth2-token-url", 0, 0, G_OPTION_ARG_STRING, &options->token_url,
      N_("The token endpoint"), N_("URL") },
    { "oauth2-auth-url", 0, 0, G_OPTION_ARG_STRING, &options->auth_url,
      N_("The authorization endpoint (authorization_code)"), N_("URL") },
    { "oauth2-device-url", 0, 0, G_OPTION_ARG_STRING, &options->device_url,
      N_("The device authorization endpoint (device_code)"), N_("URL") },
    { "oauth2-client-id", 0, 0, G_OPTION_ARG_STRING, &options->client_id,
      N_("The client id"), N_("ID") },
    { "oauth2-client-secret", 0, 0, G_OPTION_ARG_STRING, &options->client_secret,
      N_("The client secret"), N_("SECRET") },
    { "oauth2-client-auth", 0, 0, G_OPTION_ARG_STRING, &options->client_auth,
      N_("Send the client secret with HTTP Basic (default) or in the body"), N_("basic|body") },
    { "oauth2-scope", 0, 0, G_OPTION_ARG_STRING, &options->scope,
      N_("Scopes, separated by spaces"), N_("SCOPE") },
    { "oauth2-user", 0, 0, G_OPTION_ARG_STRING, &options->user,
      N_("The resource owner (password)"), N_("USER:PASSWORD") },
    { "oauth2-audience", 0, 0, G_OPTION_ARG_STRING, &options->audience,
      N_("An audience parameter"), N_("AUDIENCE") },
    { "oauth2-param", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->params,
      N_("An extra parameter for the authorization and token requests; repeatable"),
      N_("NAME=VALUE") },
    { "oauth2-callback-port", 0, 0, G_OPTION_ARG_STRING, &options->callback_port,
      N_("The port of the loopback redirect (default: any free port)"), N_("PORT") },
    { "oauth2-no-pkce", 0, 0, G_OPTION_ARG_NONE, &options->no_pkce,
      N_("Do not send a PKCE challenge (authorization_code)"), NULL },
    { "oauth2-show-token", 0, 0, G_OPTION_ARG_NONE, &options->show_token,
      N_("Print the token's details and the token to stderr"), NULL },
    { NULL }
  };
  GOptionGroup *group = g_option_group_new ("oauth2", _("OAuth 2.0 options:"),
                                            _("Show the OAuth 2.0 options"), NULL, NULL);

  g_option_group_add_entries (group, entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  return group;
}

gboolean
ladle_cli_oauth2_wanted (const LadleCliOauth2Options *options)
{
  return options->grant != NULL;
}

void
ladle_cli_oauth2_options_clear (LadleCliOauth2Options *options)
{
  g_clear_pointer (&options->grant, g_free);
  g_clear_pointer (&options->issuer, g_free);
  g_clear_pointer (&options->token_url, g_free);
  g_clear_pointer (&options->auth_url, g_free);
  g_clear_pointer (&options->device_url, g_free);
  g_clear_pointer (&options->client_id, g_free);
  g_clear_pointer (&options->client_secret, g_free);
  g_clear_pointer (&options->client_auth, g_free);
  g_clear_pointer (&options->scope, g_free);
  g_clear_pointer (&options->user, g_free);
  g_clear_pointer (&options->audience, g_free);
  g_clear_pointer (&options->params, g_strfreev);
  g_clear_pointer (&options->callback_port, g_free);
}

static void
open_uri (const char *uri,
          gpointer    user_data)
{
  g_autoptr(GError) error = NULL;

  g_printerr (_("Authorize Ladle in your browser: %s\n"), uri);
  if (!ladle_open_in_browser (uri, &error))
    g_printerr (_("(No browser could be opened: %s. Open the address above.)\n"),
                error->message);
}

static void
show_device_code (const LadleOauth2DeviceCode *code,
                  gpointer                     user_data)
{
  g_printerr (_("To authorize Ladle, open %s and enter the code %s\n"), code->verification_uri,
              code->user_code);
}

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Wait;

static void
token_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

/* A usage error; always FALSE */
#define BAD_VALUE(format, value)                                                    \
  (g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, format, value),     \
   *out_status = LADLE_EXIT_USAGE, FALSE)

/**
 * ladle_cli_oauth2_apply:
 *
 * Fetches the token the options describe and makes it @request's Bearer token. On failure,
 * @out_status is the exit status: 2 for bad options, 3 or 4 when the token endpoint could not be
 * reached or timed out, 1 when it refused (its error verbatim).
 */
gboolean
ladle_cli_oauth2_apply (LadleCliOauth2Options  *options,
                        LadleRequest           *request,
                        int                    *out_status,
                        GError                **error)
{
  g_autoptr(LadleOauth2Config) config = NULL;
  g_autoptr(LadleOauth2Client) client = NULL;
  g_autoptr(LadleOauth2Token) token = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  LadleOauth2Grant grant;
  Wait wait = { NULL };

  if (!ladle_oauth2_grant_from_string (options->grant, &grant))
    return BAD_VALUE (_("--oauth2-grant takes client_credentials, password, authorization_code or "
                        "device_code, not “%s”"), options->grant);

  config = ladle_oauth2_config_new (grant);
  config->token_url = g_strdup (options->token_url);
  config->authorization_url = g_strdup (options->auth_url);
  config->device_url = g_strdup (options->device_url);
  config->client_id = g_strdup (options->client_id);
  config->client_secret = g_strdup (options->client_secret);
  config->scope = g_strdup (options->scope);
  config->audience = g_strdup (options->audience);
  config->extra_params = g_strdupv (options->params);
  config->pkce = !options->no_pkce;
  if (options->client_auth != NULL)
    {
      if (g_str_equal (options->client_auth, "basic"))
        config->client_auth = LADLE_OAUTH2_CLIENT_AUTH_BASIC;
      else if (g_str_equal (options->client_auth, "body"))
        config->client_auth = LADLE_OAUTH2_CLIENT_AUTH_BODY;
      else
        return BAD_VALUE (_("--oauth2-client-auth takes basic or body, not “%s”"),
                          options->client_auth);
    }
  if (options->user != NULL &&
      !ladle_cli_split_pair (options->user, ':', &config->username, &config->password))
    config->username = g_strdup (options->user);
  if (options->callback_port != NULL)
    {
      guint64 port;

      if (!g_ascii_string_to_unsigned (options->callback_port, 10, 1, 65535, &port, NULL))
        return BAD_VALUE (_("--oauth2-callback-port takes a port number, not “%s”"),
                          options->callback_port);
      config->callback_port = port;
    }
  for (guint i = 0; options->params != NULL && options->params[i] != NULL; i++)
    if (strchr (options->params[i], '=') == NULL || options->params[i][0] == '=')
      return BAD_VALUE (_("“%s” is not a parameter (use NAME=VALUE)"), options->params[i]);

  client = ladle_oauth2_client_new (NULL);
  ladle_oauth2_client_set_open_uri_func (client, open_uri, NULL, NULL);
  ladle_oauth2_client_set_device_func (client, show_device_code, NULL, NULL);
  loop = g_main_loop_new (NULL, FALSE);
  wait.loop = loop;
  if (options->issuer != NULL)
    {
      LadleOauth2Config *found;

      ladle_oauth2_client_discover_async (client, config, options->issuer, NULL, token_done, &wait);
      if (wait.result == NULL)
        g_main_loop_run (loop);
      found = ladle_oauth2_client_discover_finish (client, wait.result, error);
      g_clear_object (&wait.result);
      if (found == NULL)
        {
          *out_status = g_error_matches (*error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT) ||
                        g_error_matches (*error, LADLE_ERROR, LADLE_ERROR_PARSE)
                        ? LADLE_EXIT_FAILURE : ladle_cli_exit_status_for_error (*error);
          return FALSE;
        }
      ladle_oauth2_config_free (config);
      config = found;
    }
  ladle_oauth2_client_get_token_async (client, config, FALSE, NULL, token_done, &wait);
  if (wait.result == NULL)
    g_main_loop_run (loop);
  token = ladle_oauth2_client_get_token_finish (client, wait.result, error);
  g_clear_object (&wait.result);
  if (token == NULL)
    {
      const char * const *form = ladle_error_get_form (*error);

      if (form != NULL && (g_str_equal (form[0], "oauth2-missing") ||
                           g_str_equal (form[0], "oauth2-bad-url")))
        *out_status = LADLE_EXIT_USAGE;
      else if (g_error_matches (*error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT))
        *out_status = LADLE_EXIT_FAILURE;   /* a forged redirect, not a usage error */
      else
        *out_status = ladle_cli_exit_status_for_error (*error);
      return FALSE;
    }

  if (options->show_token)
    {
      g_autofree char *description = ladle_oauth2_token_describe (token, g_get_real_time ());

      g_printerr (_("OAuth 2.0 token: %s\n%s\n"), description, token->access_token);
    }
  ladle_request_set_auth_kind (request, LADLE_AUTH_BEARER);
  ladle_request_set_auth_token (request, token->access_token);
  return TRUE;
}
