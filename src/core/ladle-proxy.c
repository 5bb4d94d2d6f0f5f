/* ladle-proxy.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A manual proxy is given to libsoup as a GSimpleProxyResolver whose one URI carries the
 * credentials (GIO's SOCKS5 client reads them from there; libsoup's HTTP proxy code is answered by
 * ladle-exchange.c from the request). socks5h:// (the proxy resolves names) is what GIO's SOCKS5
 * client always does, so it is given as socks5://; curl's socks5:// (names resolved here) is
 * taken as the same. Without a port, curl's 1080 is used for every kind. An https:// proxy (TLS to
 * the proxy, then CONNECT, for http:// targets too) is GIO's own "https" GProxy: it reads the
 * credentials from the URI, and checks the proxy's certificate for the proxy's name against GIO's
 * default TLS database only (the system's CAs): neither the request's CA bundle nor "verify
 * off" reaches it. */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ladle-error.h"
#include "ladle-error-private.h"
#include "ladle-proxy.h"

#define DEFAULT_PORT 1080

/**
 * _ladle_proxy_format_form:
 *
 * Returns: (transfer full) (nullable): the words for a "proxy-…" form: a manual proxy's address
 *   that cannot be used, or what a proxy answered (see ladle-exchange.c); an empty proxy is the
 *   system's
 */
static char *
_ladle_proxy_format_form (const char * const *form)
{
  const char *kind = form[0];
  const char *a = _ladle_error_form_arg (form, 1);
  const char *b = a != NULL ? _ladle_error_form_arg (form, 2) : NULL;
  const char *c = b != NULL ? _ladle_error_form_arg (form, 3) : NULL;
  const char *d = c != NULL ? _ladle_error_form_arg (form, 4) : NULL;
  const char *e = d != NULL ? _ladle_error_form_arg (form, 5) : NULL;
  const char *proxy;

  if (g_str_equal (kind, "proxy-unset"))
    return g_strdup (_("No proxy address is set"));
  if (a == NULL)
    return NULL;
  if (g_str_equal (kind, "proxy-invalid"))
    return g_strdup_printf (_("The proxy address “%s” is not a valid URL"), a);
  /* no longer made (https:// proxies are used); kept for the history's older records */
  if (g_str_equal (kind, "proxy-https"))
    return g_strdup_printf (_("The proxy “%s” is an HTTPS proxy (TLS to the proxy), which Ladle "
                              "does not support: use http:// (https:// sites still go through it "
                              "with CONNECT)"), a);
  if (g_str_equal (kind, "proxy-unknown-kind"))
    return g_strdup_printf (_("The proxy “%s” has an unknown kind: use http://, https://, "
                              "socks5://, socks5h://, socks4:// or socks4a://"), a);

  proxy = *a != '\0' ? a : _("the system's proxy");
  if (g_str_equal (kind, "proxy-auth-failed"))
    return g_strdup_printf (_("The proxy %s did not accept the user name and password"), proxy);
  if (g_str_equal (kind, "proxy-need-auth"))
    return g_strdup_printf (_("The proxy %s needs a user name and password"), proxy);
  if (g_str_equal (kind, "proxy-refused"))
    return g_strdup_printf (_("Connection refused by the proxy %s (is it running?)"), proxy);
  if (b == NULL)
    return NULL;
  if (g_str_equal (kind, "proxy-failed"))
    /* GIO's words, in the language they were recorded in */
    return g_strdup_printf (_("The proxy %s failed: %s"), proxy, b);
  if (c == NULL)
    return NULL;
  if (g_str_equal (kind, "proxy-not-allowed"))
    return g_strdup_printf (_("The proxy %s does not allow connections to %s:%u"), proxy, b,
                            (guint) g_ascii_strtoull (c, NULL, 10));
  if (e == NULL)
    return NULL;
  if (g_str_equal (kind, "proxy-tunnel"))
    return g_strdup_printf (_("The proxy %s refused the tunnel to %s:%u (%u %s)"), proxy, b,
                            (guint) g_ascii_strtoull (c, NULL, 10),
                            (guint) g_ascii_strtoull (d, NULL, 10), e);
  return NULL;
}

_LADLE_ERROR_FORMS (proxy, "proxy-", _ladle_proxy_format_form)

static const char *
known_scheme (const char *scheme)
{
  if (g_ascii_strcasecmp (scheme, "http") == 0)
    return "http";
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return "https";
  if (g_ascii_strcasecmp (scheme, "socks5") == 0 || g_ascii_strcasecmp (scheme, "socks5h") == 0)
    return "socks5";
  if (g_ascii_strcasecmp (scheme, "socks4a") == 0)
    return "socks4a";
  if (g_ascii_strcasecmp (scheme, "socks4") == 0)
    return "socks4";
  return NULL;
}

/**
 * ladle_proxy_resolver_uri:
 * @url: the proxy as the user wrote it (http://, https://, socks5://, socks5h://, socks4://,
 *   socks4a://;
 *   without a scheme, http://)
 * @username: (nullable): overrides the user in @url
 * @password: (nullable): overrides the password in @url
 *
 * Returns: (transfer full) (nullable): the URI for a GSimpleProxyResolver (with the credentials,
 *   percent-encoded, and a port), or %NULL with @error set (LADLE_ERROR_INVALID_ARGUMENT)
 */
char *
ladle_proxy_resolver_uri (const char  *url,
                          const char  *username,
                          const char  *password,
                          GError     **error)
{
  g_autofree char *with_scheme = NULL;
  g_autofree char *user = NULL;
  g_autofree char *pass = NULL;
  g_autofree char *userinfo = NULL;
  g_autofree char *shown = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local = NULL;
  const char *scheme;
  int port;

  if (url == NULL || *url == '\0')
    {
      g_propagate_error (error, ladle_error_new_form (LADLE_ERROR_INVALID_ARGUMENT, "proxy-unset",
                                                      NULL));
      return NULL;
    }
  with_scheme = strstr (url, "://") != NULL ? g_strdup (url) : g_strconcat ("http://", url, NULL);
  shown = ladle_proxy_display_uri (with_scheme);
  uri = g_uri_parse (with_scheme, G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED, &local);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_propagate_error (error, ladle_error_new_form (LADLE_ERROR_INVALID_ARGUMENT,
                                                      "proxy-invalid", shown, NULL));
      return NULL;
    }
  scheme = known_scheme (g_uri_get_scheme (uri));
  if (scheme == NULL)
    {
      g_propagate_error (error, ladle_error_new_form (LADLE_ERROR_INVALID_ARGUMENT,
                                                      "proxy-unknown-kind", shown, NULL));
      return NULL;
    }

  user = g_strdup (username != NULL && *username != '\0' ? username : NULL);
  pass = g_strdup (password != NULL && (user != NULL || *password != '\0') ? password : NULL);
  if (user == NULL && g_uri_get_user (uri) != NULL)
    {
      user = g_uri_unescape_string (g_uri_get_user (uri), NULL);
      if (pass == NULL && g_uri_get_password (uri) != NULL)
        pass = g_uri_unescape_string (g_uri_get_password (uri), NULL);
    }
  if (user != NULL)
    {
      g_autofree char *u = g_uri_escape_string (user, NULL, FALSE);
      g_autofree char *p = pass != NULL ? g_uri_escape_string (pass, NULL, FALSE) : NULL;

      userinfo = p != NULL ? g_strconcat (u, ":", p, NULL) : g_steal_pointer (&u);
    }

  port = g_uri_get_port (uri);
  return g_uri_join (G_URI_FLAGS_ENCODED, scheme, userinfo, g_uri_get_host (uri),
                     port > 0 ? port : DEFAULT_PORT, "", NULL, NULL);
}

/**
 * ladle_proxy_display_uri:
 *
 * Returns: (transfer full): @url without its password, to show
 */
char *
ladle_proxy_display_uri (const char *url)
{
  g_autoptr(GUri) uri = NULL;

  if (url == NULL)
    return g_strdup ("");
  uri = g_uri_parse (url, G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    return g_utf8_make_valid (url, MIN (strlen (url), 200));
  return g_uri_to_string_partial (uri, G_URI_HIDE_PASSWORD);
}

/**
 * ladle_proxy_uri_without_password:
 * @url: (nullable): a proxy setting as the user wrote it (with or without a scheme)
 *
 * For what is kept where passwords are not (the history): @url as it is, unless it holds a
 * password ("http://user:pass@host:3128", "user:pass@host"); then without it. A URL that
 * cannot be read loses everything before its last "@".
 *
 * Returns: (transfer full) (nullable): the setting to keep, %NULL for %NULL
 */
char *
ladle_proxy_uri_without_password (const char *url)
{
  g_autofree char *with_scheme = NULL;
  g_autofree char *shown = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *separator;
  gboolean has_scheme;

  if (url == NULL || strchr (url, '@') == NULL)
    return g_strdup (url);
  separator = strstr (url, "://");
  has_scheme = separator != NULL;
  with_scheme = has_scheme ? g_strdup (url) : g_strconcat ("http://", url, NULL);
  uri = g_uri_parse (with_scheme, G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    {
      g_autofree char *scheme = has_scheme ? g_strndup (url, separator + 3 - url) : NULL;

      return g_strconcat (scheme != NULL ? scheme : "", strrchr (url, '@') + 1, NULL);
    }
  if (g_uri_get_password (uri) == NULL)
    return g_strdup (url);
  shown = g_uri_to_string_partial (uri, G_URI_HIDE_PASSWORD);
  if (!has_scheme && g_str_has_prefix (shown, "http://"))
    return g_strdup (shown + strlen ("http://"));
  return g_steal_pointer (&shown);
}

/**
 * ladle_proxy_host_bypassed:
 * @no_proxy: (nullable): curl's --noproxy list: names separated by commas (or spaces); "*" alone
 *   means every host; "example.com" and ".example.com" both cover example.com and the names
 *   under it; an address matches itself
 * @host: the host of the request (an IPv6 address with or without brackets)
 *
 * Returns: whether @host is reached without the proxy
 */
gboolean
ladle_proxy_host_bypassed (const char *no_proxy,
                           const char *host)
{
  g_auto(GStrv) entries = NULL;
  g_autofree char *name = NULL;
  gsize name_len;

  if (no_proxy == NULL || host == NULL || *host == '\0')
    return FALSE;

  name = g_ascii_strdown (host, -1);
  name_len = strlen (name);
  if (name[0] == '[' && name_len > 2 && name[name_len - 1] == ']')
    {
      memmove (name, name + 1, name_len - 2);
      name_len -= 2;
      name[name_len] = '\0';
    }
  if (name_len > 1 && name[name_len - 1] == '.')
    name[--name_len] = '\0';

  entries = g_strsplit_set (no_proxy, ", \t", -1);
  for (guint i = 0; entries[i] != NULL && i < 4096; i++)
    {
      char *entry = entries[i];
      gsize len;

      if (*entry == '\0')
        continue;
      if (strcmp (entry, "*") == 0)
        return TRUE;
      if (entry[0] == '.')
        entry++;
      len = strlen (entry);
      if (len > 2 && entry[0] == '[' && entry[len - 1] == ']')
        {
          entry++;
          len -= 2;
        }
      if (len > 1 && entry[len - 1] == '.')
        len--;
      if (len == 0 || len > name_len)
        continue;
      if (g_ascii_strncasecmp (name + name_len - len, entry, len) == 0 &&
          (len == name_len || name[name_len - len - 1] == '.'))
        return TRUE;
    }
  return FALSE;
}
