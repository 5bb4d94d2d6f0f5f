/* ladle-http-syntax.c
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

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "ladle-error.h"
#include "ladle-http-syntax.h"

/* The few rules of HTTP's syntax that every place where a method or a header enters Ladle must
 * check (the editor, the command line, a pasted curl command, a saved file, a mock route): libsoup
 * writes a method verbatim onto the wire, so "GET / HTTP/1.1\r\nHost: a\r\n\r\nDELETE" would put
 * two requests there, and it drops a header with a line break in it with a critical warning. */

/* RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" /
 * "`" / "|" / "~" / DIGIT / ALPHA */
static inline gboolean
is_tchar (guchar c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-.^_`|~", c) != NULL);
}

/**
 * ladle_http_is_token:
 * @len: the length of @text, or -1 when it ends with a NUL byte
 *
 * Returns: whether @text is a non-empty RFC 9110 token (a method, a header name)
 */
gboolean
ladle_http_is_token (const char *text,
                     gssize      len)
{
  if (text == NULL)
    return FALSE;
  if (len < 0)
    len = strlen (text);
  if (len == 0)
    return FALSE;

  for (gssize i = 0; i < len; i++)
    if (!is_tchar (text[i]))
      return FALSE;

  return TRUE;
}

/**
 * ladle_http_escape_for_display:
 * @len: the length of @text, or -1 when it ends with a NUL byte
 * @max_bytes: cut the result after about this many bytes (0: no limit)
 *
 * Returns: (transfer full): @text with control characters and bytes that are not UTF-8 written
 *   as C escapes (`\r`, `\n`, `\t`, `\x01`, `\xff`), for messages and for showing raw headers
 */
char *
ladle_http_escape_for_display (const char *text,
                               gssize      len,
                               gsize       max_bytes)
{
  GString *out;
  const char *p;
  const char *end;

  if (text == NULL)
    return g_strdup ("");
  if (len < 0)
    len = strlen (text);

  out = g_string_sized_new (len + 8);
  p = text;
  end = text + len;
  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (max_bytes > 0 && out->len >= max_bytes)
        {
          g_string_append (out, "…");
          break;
        }

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\x%02x", (guchar) *p);
          p++;
          continue;
        }

      switch (c)
        {
        case '\r': g_string_append (out, "\\r"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\\': g_string_append (out, "\\\\"); break;
        default:
          if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f))
            g_string_append_printf (out, "\\x%02x", c);
          else
            g_string_append_len (out, p, g_utf8_next_char (p) - p);
          break;
        }
      p = g_utf8_next_char (p);
    }

  return g_string_free (out, FALSE);
}

/**
 * ladle_http_check_method:
 *
 * Returns: %TRUE when @method is a valid HTTP method (an RFC 9110 token); else %FALSE with a
 *   %LADLE_ERROR_INVALID_ARGUMENT error that shows it
 */
gboolean
ladle_http_check_method (const char  *method,
                         GError     **error)
{
  g_autofree char *shown = NULL;

  if (method == NULL || *method == '\0')
    {
      g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                           _("The request has no method"));
      return FALSE;
    }

  if (ladle_http_is_token (method, -1))
    return TRUE;

  shown = ladle_http_escape_for_display (method, -1, 80);
  g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
               _("“%s” is not a valid HTTP method: a method is one word of letters, digits and "
                 "!#$%%&'*+-.^_`|~ (no spaces or line breaks)"), shown);
  return FALSE;
}

/**
 * ladle_http_check_header_name:
 *
 * Returns: %TRUE when @name is a valid header name; else %FALSE with a
 *   %LADLE_ERROR_INVALID_ARGUMENT error
 */
gboolean
ladle_http_check_header_name (const char  *name,
                              GError     **error)
{
  g_autofree char *shown = NULL;

  if (name == NULL || *name == '\0')
    {
      g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                           _("A header has no name"));
      return FALSE;
    }

  if (ladle_http_is_token (name, -1))
    return TRUE;

  shown = ladle_http_escape_for_display (name, -1, 80);
  g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
               _("“%s” is not a valid header name: a name is one word of letters, digits and "
                 "!#$%%&'*+-.^_`|~ (no spaces, colons or line breaks)"), shown);
  return FALSE;
}

/**
 * ladle_http_check_header_value:
 * @name: the header's name, for the message
 *
 * A value may hold any text but line breaks, NUL and other control characters (tabs are fine):
 * RFC 9110 §5.5.
 *
 * Returns: %TRUE when @value may be sent; else %FALSE with a %LADLE_ERROR_INVALID_ARGUMENT error
 */
gboolean
ladle_http_check_header_value (const char  *name,
                               const char  *value,
                               GError     **error)
{
  g_autofree char *shown_name = NULL;

  if (value == NULL)
    return TRUE;

  for (const guchar *p = (const guchar *) value; *p != '\0'; p++)
    {
      if (*p == '\t' || (*p >= 0x20 && *p != 0x7f))
        continue;

      shown_name = ladle_http_escape_for_display (name != NULL ? name : "", -1, 80);
      if (*p == '\r' || *p == '\n')
        g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                     _("The value of the header “%s” contains a line break, which would end the "
                       "header there and start another"), shown_name);
      else
        g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                     _("The value of the header “%s” contains the control character \\x%02x"),
                     shown_name, *p);
      return FALSE;
    }

  return TRUE;
}

/**
 * ladle_http_check_header:
 *
 * Returns: ladle_http_check_header_name() and ladle_http_check_header_value() together
 */
gboolean
ladle_http_check_header (const char  *name,
                         const char  *value,
                         GError     **error)
{
  return ladle_http_check_header_name (name, error) &&
         ladle_http_check_header_value (name, value, error);
}

/**
 * ladle_http_host_is_loopback:
 * @host: (nullable): a host as a URI holds it (an IPv6 address without its brackets)
 *
 * Returns: whether @host can only be this machine: an address in 127.0.0.0/8, ::1 (also as
 *   ::ffff:127.x.y.z), or "localhost" and the names under it (RFC 6761 §6.3)
 */
gboolean
ladle_http_host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  gsize len;

  if (host == NULL || *host == '\0')
    return FALSE;

  len = strlen (host);
  if (host[len - 1] == '.')    /* a fully qualified "localhost." */
    len--;
  if ((len == 9 && g_ascii_strncasecmp (host, "localhost", 9) == 0) ||
      (len > 10 && g_ascii_strncasecmp (host + len - 10, ".localhost", 10) == 0))
    return TRUE;

  address = g_inet_address_new_from_string (host);
  if (address == NULL)
    return FALSE;
  if (g_inet_address_get_is_loopback (address))
    return TRUE;
  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
    {
      static const guint8 mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
      const guint8 *bytes = g_inet_address_to_bytes (address);

      return memcmp (bytes, mapped, sizeof mapped) == 0 && bytes[12] == 127;
    }
  return FALSE;
}
