/* ladle-curl.c
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

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "ladle-curl.h"
#include "ladle-error.h"
#include "ladle-http-syntax.h"

/* Import and export of curl command lines.
 *
 * Import reproduces what curl would send, not what the command "means": without -L the request does
 * not follow redirects, and -d '{"a":1}' without a Content-Type stays a text body sent as
 * application/x-www-form-urlencoded, as curl sends it. Decisions, so that the editor shows useful
 * tabs and export(import(x)) is stable:
 * - An "Authorization: Bearer X" or "Authorization: Basic B64" header becomes the request's auth
 *   (and leaves the header list); export writes bearer auth back as that header, basic as -u. As in
 *   curl, a user's Authorization header replaces -u and --oauth2-bearer (with a warning).
 *   --digest (before or after -u; a later --basic undoes it) makes -u's credentials Digest auth,
 *   and export writes Digest auth as --digest -u. An API key is exported as a header (-H) or, in
 *   the query, as part of the effective URL: it imports back as such.
 * - The Content-Type header of a text or file body becomes body-content-type; a JSON or form
 *   Content-Type is dropped when the body kind implies it (a vendor type like
 *   application/vnd.api+json stays a header, so it wins over the engine's default).
 * - The URL's own query stays in the URL (splitting it would lose "?flag" and "+" spelling); -G
 *   data becomes query parameters. Export writes the effective URL, so parameters come back merged
 *   into the URL (appended to the URL as typed when it is not valid), and disabled rows, which curl
 *   cannot express, are left out.
 * - --json's Content-Type gives way to the user's, which then decides the body kind as for -d.
 * - Values from options (-A, -e, -b, --oauth2-bearer) lose the spaces around them, as -H values do.
 * - What cannot be a request is an error (a method that is not a token, a header with a line
 *   break), and export refuses such a request: export(import(x)) imports back exactly, which
 *   tests/fuzz/fuzz-curl.c checks.
 * - The idle timeout has no curl flag: export writes --speed-limit 1 --speed-time S ("abort when
 *   slower than 1 byte/s for S seconds"), and import reads --speed-time back as the idle timeout.
 * - use-cookies has no equivalent either (curl has no cookie jar unless told to); it is not
 *   exported and an import keeps the default.
 * - Cookies: -b NAME=VALUE becomes the Cookie header (after -H's, which wins as in curl); -b FILE
 *   is not read (a request keeps no cookie file) and -c FILE not written (the window keeps its
 *   own jar): each a warning naming the file. `ladle send`/`ladle run` take -b/-c themselves. */

#define FORM_CONTENT_TYPE "application/x-www-form-urlencoded"
#define FORM_FILE_MAX_SIZE (1024 * 1024)

typedef enum
{
  OPT_REQUEST,
  OPT_HEADER,
  OPT_DATA,           /* -d, --data-ascii, --data-binary: "@file" reads a file */
  OPT_DATA_RAW,
  OPT_DATA_URLENCODE,
  OPT_JSON,
  OPT_FORM,
  OPT_FORM_STRING,
  OPT_USER,
  OPT_USER_AGENT,
  OPT_REFERER,
  OPT_COOKIE,
  OPT_COOKIE_JAR,     /* -c: not written (the window keeps its own jar): warn, naming it */
  OPT_INSECURE,
  OPT_LOCATION,
  OPT_URL,
  OPT_GET,
  OPT_HEAD,
  OPT_MAX_TIME,
  OPT_CONNECT_TIMEOUT,
  OPT_MAX_REDIRS,
  OPT_SPEED_TIME,
  OPT_OAUTH2_BEARER,
  OPT_UPLOAD_FILE,
  OPT_URL_QUERY,
  OPT_DIGEST,         /* -u's credentials answer a Digest challenge */
  OPT_BASIC,          /* -u's credentials as Basic (the default; undoes --digest) */
  OPT_IGNORE,         /* output or transport details with no bearing on the request */
  OPT_UNSUPPORTED,    /* changes what curl does, but Ladle cannot do it: warn */
  OPT_TRANSPORT,      /* issue 14: certificates, CA, proxy, HTTP version (curl_transport_*) */
} OptionAction;

typedef struct
{
  const char   *long_name;
  char          short_name;
  gboolean      has_value;
  OptionAction  action;
} CurlOption;

static const CurlOption curl_options[] = {
  { "request", 'X', TRUE, OPT_REQUEST },
  { "header", 'H', TRUE, OPT_HEADER },
  { "data", 'd', TRUE, OPT_DATA },
  { "data-ascii", 0, TRUE, OPT_DATA },
  { "data-binary", 0, TRUE, OPT_DATA },
  { "data-raw", 0, TRUE, OPT_DATA_RAW },
  { "data-urlencode", 0, TRUE, OPT_DATA_URLENCODE },
  { "json", 0, TRUE, OPT_JSON },
  { "form", 'F', TRUE, OPT_FORM },
  { "form-string", 0, TRUE, OPT_FORM_STRING },
  { "user", 'u', TRUE, OPT_USER },
  { "user-agent", 'A', TRUE, OPT_USER_AGENT },
  { "referer", 'e', TRUE, OPT_REFERER },
  { "cookie", 'b', TRUE, OPT_COOKIE },
  { "insecure", 'k', FALSE, OPT_INSECURE },
  { "location", 'L', FALSE, OPT_LOCATION },
  { "location-trusted", 0, FALSE, OPT_LOCATION },
  { "url", 0, TRUE, OPT_URL },
  { "get", 'G', FALSE, OPT_GET },
  { "head", 'I', FALSE, OPT_HEAD },
  { "max-time", 'm', TRUE, OPT_MAX_TIME },
  { "connect-timeout", 0, TRUE, OPT_CONNECT_TIMEOUT },
  { "max-redirs", 0, TRUE, OPT_MAX_REDIRS },
  { "speed-time", 'y', TRUE, OPT_SPEED_TIME },
  { "speed-limit", 'Y', TRUE, OPT_IGNORE },
  { "oauth2-bearer", 0, TRUE, OPT_OAUTH2_BEARER },
  { "upload-file", 'T', TRUE, OPT_UPLOAD_FILE },
  { "url-query", 0, TRUE, OPT_URL_QUERY },

  /* Output, progress and transport details: nothing to import, nothing to say. */
  { "silent", 's', FALSE, OPT_IGNORE },
  { "show-error", 'S', FALSE, OPT_IGNORE },
  { "verbose", 'v', FALSE, OPT_IGNORE },
  { "include", 'i', FALSE, OPT_IGNORE },
  { "fail", 'f', FALSE, OPT_IGNORE },
  { "fail-with-body", 0, FALSE, OPT_IGNORE },
  { "fail-early", 0, FALSE, OPT_IGNORE },
  { "progress-bar", '#', FALSE, OPT_IGNORE },
  { "no-progress-meter", 0, FALSE, OPT_IGNORE },
  { "no-buffer", 'N', FALSE, OPT_IGNORE },
  { "compressed", 0, FALSE, OPT_IGNORE },   /* libsoup negotiates Accept-Encoding itself */
  { "http1.1", 0, FALSE, OPT_TRANSPORT },
  { "http2", 0, FALSE, OPT_IGNORE },
  { "tlsv1", 0, FALSE, OPT_IGNORE },
  { "tlsv1.2", 0, FALSE, OPT_IGNORE },
  { "tlsv1.3", 0, FALSE, OPT_IGNORE },
  { "basic", 0, FALSE, OPT_BASIC },
  { "globoff", 'g', FALSE, OPT_IGNORE },
  { "disable", 'q', FALSE, OPT_IGNORE },
  { "styled-output", 0, FALSE, OPT_IGNORE },
  { "create-dirs", 0, FALSE, OPT_IGNORE },
  { "stderr", 0, TRUE, OPT_IGNORE },

  /* Known, but beyond Ladle: reported so the user knows the request differs. */
  { "output", 'o', TRUE, OPT_UNSUPPORTED },
  { "remote-name", 'O', FALSE, OPT_UNSUPPORTED },
  { "remote-header-name", 'J', FALSE, OPT_UNSUPPORTED },
  { "output-dir", 0, TRUE, OPT_UNSUPPORTED },
  { "write-out", 'w', TRUE, OPT_UNSUPPORTED },
  { "dump-header", 'D', TRUE, OPT_UNSUPPORTED },
  { "cookie-jar", 'c', TRUE, OPT_COOKIE_JAR },
  { "junk-session-cookies", 'j', FALSE, OPT_UNSUPPORTED },
  { "proxy", 'x', TRUE, OPT_TRANSPORT },
  { "proxy-user", 'U', TRUE, OPT_TRANSPORT },
  { "noproxy", 0, TRUE, OPT_TRANSPORT },
  { "proxy-insecure", 0, FALSE, OPT_UNSUPPORTED },
  { "socks5", 0, TRUE, OPT_TRANSPORT },
  { "socks5-hostname", 0, TRUE, OPT_TRANSPORT },
  { "cacert", 0, TRUE, OPT_TRANSPORT },
  { "capath", 0, TRUE, OPT_UNSUPPORTED },
  { "cert", 'E', TRUE, OPT_TRANSPORT },
  { "cert-type", 0, TRUE, OPT_UNSUPPORTED },
  { "key", 0, TRUE, OPT_TRANSPORT },
  { "key-type", 0, TRUE, OPT_UNSUPPORTED },
  { "pass", 0, TRUE, OPT_TRANSPORT },
  { "ciphers", 0, TRUE, OPT_UNSUPPORTED },
  { "resolve", 0, TRUE, OPT_UNSUPPORTED },
  { "connect-to", 0, TRUE, OPT_UNSUPPORTED },
  { "interface", 0, TRUE, OPT_UNSUPPORTED },
  { "local-port", 0, TRUE, OPT_UNSUPPORTED },
  { "dns-servers", 0, TRUE, OPT_UNSUPPORTED },
  { "unix-socket", 0, TRUE, OPT_UNSUPPORTED },
  { "abstract-unix-socket", 0, TRUE, OPT_UNSUPPORTED },
  { "range", 'r', TRUE, OPT_UNSUPPORTED },
  { "continue-at", 'C', TRUE, OPT_UNSUPPORTED },
  { "time-cond", 'z', TRUE, OPT_UNSUPPORTED },
  { "config", 'K', TRUE, OPT_UNSUPPORTED },
  { "retry", 0, TRUE, OPT_UNSUPPORTED },
  { "retry-delay", 0, TRUE, OPT_UNSUPPORTED },
  { "retry-max-time", 0, TRUE, OPT_UNSUPPORTED },
  { "limit-rate", 0, TRUE, OPT_UNSUPPORTED },
  { "max-filesize", 0, TRUE, OPT_UNSUPPORTED },
  { "keepalive-time", 0, TRUE, OPT_UNSUPPORTED },
  { "expect100-timeout", 0, TRUE, OPT_UNSUPPORTED },
  { "trace", 0, TRUE, OPT_UNSUPPORTED },
  { "trace-ascii", 0, TRUE, OPT_UNSUPPORTED },
  { "proto", 0, TRUE, OPT_UNSUPPORTED },
  { "proto-redir", 0, TRUE, OPT_UNSUPPORTED },
  { "request-target", 0, TRUE, OPT_UNSUPPORTED },
  { "aws-sigv4", 0, TRUE, OPT_UNSUPPORTED },
  { "netrc-file", 0, TRUE, OPT_UNSUPPORTED },
  { "netrc", 'n', FALSE, OPT_UNSUPPORTED },
  { "digest", 0, FALSE, OPT_DIGEST },
  { "ntlm", 0, FALSE, OPT_UNSUPPORTED },
  { "negotiate", 0, FALSE, OPT_UNSUPPORTED },
  { "anyauth", 0, FALSE, OPT_UNSUPPORTED },
  { "http1.0", '0', FALSE, OPT_UNSUPPORTED },
  { "ipv4", '4', FALSE, OPT_UNSUPPORTED },
  { "ipv6", '6', FALSE, OPT_UNSUPPORTED },
  { "path-as-is", 0, FALSE, OPT_UNSUPPORTED },
  { "raw", 0, FALSE, OPT_UNSUPPORTED },
  { "parallel", 'Z', FALSE, OPT_UNSUPPORTED },
  { "quote", 'Q', TRUE, OPT_UNSUPPORTED },
};

typedef struct
{
  char     *text;
  gboolean  is_file;    /* text is a path: -d @file */
} DataPiece;

/* Issue 14: what the transport options said */
typedef struct
{
  char          *cert;
  char          *cert_password;
  char          *key;
  char          *cacert;
  char          *proxy;         /* "" for none (curl: an empty --proxy) */
  char          *proxy_user;
  char          *noproxy;
  gboolean       http1_1;
} CurlTransport;

typedef struct
{
  GPtrArray     *warnings;
  CurlTransport  transport;
  char          *url;
  char          *method;
  gboolean       get;
  gboolean       head;
  gboolean       json;
  gboolean       insecure;
  gboolean       location;
  gboolean       max_redirs_set;
  guint          max_redirs;
  double         max_time;
  double         connect_timeout;
  double         speed_time;
  GPtrArray     *data;         /* DataPiece */
  GPtrArray     *form;         /* LadleKeyValue */
  GPtrArray     *headers;      /* LadleKeyValue */
  GPtrArray     *query;        /* LadleKeyValue from --url-query */
  GString       *cookies;
  char          *upload_file;
  LadleAuthKind  auth_kind;
  char          *auth_option;  /* the option that set auth_kind, for a warning */
  char          *username;
  char          *password;
  char          *token;
  gboolean       digest;       /* --digest, unless a later --basic */
} CurlState;

static void
data_piece_free (DataPiece *piece)
{
  g_free (piece->text);
  g_free (piece);
}

static void
curl_transport_clear (CurlTransport *transport)
{
  g_clear_pointer (&transport->cert, g_free);
  g_clear_pointer (&transport->cert_password, g_free);
  g_clear_pointer (&transport->key, g_free);
  g_clear_pointer (&transport->cacert, g_free);
  g_clear_pointer (&transport->proxy, g_free);
  g_clear_pointer (&transport->proxy_user, g_free);
  g_clear_pointer (&transport->noproxy, g_free);
}

static void
curl_state_clear (CurlState *state)
{
  g_clear_pointer (&state->warnings, g_ptr_array_unref);
  curl_transport_clear (&state->transport);
  g_clear_pointer (&state->url, g_free);
  g_clear_pointer (&state->method, g_free);
  g_clear_pointer (&state->data, g_ptr_array_unref);
  g_clear_pointer (&state->form, g_ptr_array_unref);
  g_clear_pointer (&state->headers, g_ptr_array_unref);
  g_clear_pointer (&state->query, g_ptr_array_unref);
  if (state->cookies != NULL)
    g_string_free (g_steal_pointer (&state->cookies), TRUE);
  g_clear_pointer (&state->upload_file, g_free);
  g_clear_pointer (&state->auth_option, g_free);
  g_clear_pointer (&state->username, g_free);
  g_clear_pointer (&state->password, g_free);
  g_clear_pointer (&state->token, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CurlState, curl_state_clear)

static void G_GNUC_PRINTF (2, 3)
add_warning (CurlState  *state,
             const char *format,
             ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (state->warnings, g_strdup_vprintf (format, args));
  va_end (args);
}

/* An option whose value cannot go into a request: refused with the check's reason, since sending
 * it as written is how a pasted command would smuggle a second request. */
static gboolean
refuse_option (const char  *display,
               GError      *reason,
               GError     **error)
{
  g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
               /* Translators: the first %s is a curl option (“-H”), the second says why */
               _("The curl option “%s” is not valid: %s"), display, reason->message);
  g_error_free (reason);
  return FALSE;
}

/* Tokenizing */

static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
hex_value (char c)
{
  return g_ascii_isxdigit (c) ? g_ascii_xdigit_value (c) : -1;
}

/* bash's $'...' escapes; @p points after the backslash. Returns the position after the escape. */
static const char *
append_ansi_c_escape (GString    *token,
                      const char *p)
{
  gunichar u = 0;
  int digits = 0;
  int max_digits;

  switch (*p)
    {
    case 'a': g_string_append_c (token, '\a'); return p + 1;
    case 'b': g_string_append_c (token, '\b'); return p + 1;
    case 'e':
    case 'E': g_string_append_c (token, '\033'); return p + 1;
    case 'f': g_string_append_c (token, '\f'); return p + 1;
    case 'n': g_string_append_c (token, '\n'); return p + 1;
    case 'r': g_string_append_c (token, '\r'); return p + 1;
    case 't': g_string_append_c (token, '\t'); return p + 1;
    case 'v': g_string_append_c (token, '\v'); return p + 1;
    case '\\':
    case '\'':
    case '"':
    case '?': g_string_append_c (token, *p); return p + 1;

    case 'c':
      if (p[1] != '\0')
        {
          g_string_append_c (token, p[1] & 0x1f);
          return p + 2;
        }
      break;

    case 'x':
    case 'u':
    case 'U':
      max_digits = *p == 'x' ? 2 : *p == 'u' ? 4 : 8;
      while (digits < max_digits && hex_value (p[1 + digits]) >= 0)
        {
          u = u * 16 + hex_value (p[1 + digits]);
          digits++;
        }
      if (digits == 0)
        break;
      if (*p == 'x')
        g_string_append_c (token, (char) u);
      else if (g_unichar_validate (u))
        g_string_append_unichar (token, u);
      return p + 1 + digits;

    default:
      if (*p >= '0' && *p <= '7')
        {
          while (digits < 3 && p[digits] >= '0' && p[digits] <= '7')
            {
              u = u * 8 + (p[digits] - '0');
              digits++;
            }
          g_string_append_c (token, (char) u);
          return p + digits;
        }
      break;
    }

  /* Unknown escapes are kept as written */
  g_string_append_c (token, '\\');
  if (*p == '\0')
    return p;
  g_string_append_c (token, *p);
  return p + 1;
}

static gboolean
unterminated (GError **error)
{
  g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                       _("The curl command has an unterminated quote"));
  return FALSE;
}

static void
finish_token (GPtrArray *argv,
              GString   *token,
              gboolean  *in_token)
{
  if (*in_token)
    {
      /* Every argument must be text for the model; $'\xff' cannot survive either way. */
      g_ptr_array_add (argv, g_utf8_make_valid (token->str, token->len));
      g_string_truncate (token, 0);
    }
  *in_token = FALSE;
}

/* Splits @command like a POSIX shell, without expansions: "$VAR" stays as written, since the
 * values are not ours to know. Stops at an unquoted | ; & < or > (pipes to jq, redirections). */
static gboolean
tokenize_posix (const char  *command,
                GPtrArray   *argv,
                CurlState   *state,
                GError     **error)
{
  g_autoptr(GString) token = g_string_new (NULL);
  gboolean in_token = FALSE;
  const char *p = command;

  while (*p != '\0')
    {
      char c = *p;

      if (is_blank (c))
        {
          finish_token (argv, token, &in_token);
          p++;
        }
      else if (c == '\\')
        {
          if (p[1] == '\n')
            p += 2;
          else if (p[1] == '\r' && p[2] == '\n')
            p += 3;
          else if (p[1] == '\0')
            p++;
          else
            {
              g_string_append_c (token, p[1]);
              in_token = TRUE;
              p += 2;
            }
        }
      else if (c == '\'')
        {
          const char *end = strchr (p + 1, '\'');

          if (end == NULL)
            return unterminated (error);
          g_string_append_len (token, p + 1, end - p - 1);
          in_token = TRUE;
          p = end + 1;
        }
      else if (c == '$' && p[1] == '\'')
        {
          p += 2;
          while (*p != '\'')
            {
              if (*p == '\0')
                return unterminated (error);
              if (*p == '\\')
                p = append_ansi_c_escape (token, p + 1);
              else
                g_string_append_c (token, *p++);
            }
          in_token = TRUE;
          p++;
        }
      else if (c == '"' || (c == '$' && p[1] == '"'))
        {
          p += c == '$' ? 2 : 1;
          while (*p != '"')
            {
              if (*p == '\0')
                return unterminated (error);
              if (*p == '\\' && p[1] != '\0' && strchr ("\"\\$`\n", p[1]) != NULL)
                {
                  if (p[1] != '\n')
                    g_string_append_c (token, p[1]);
                  p += 2;
                }
              else
                g_string_append_c (token, *p++);
            }
          in_token = TRUE;
          p++;
        }
      else if (c == '#' && !in_token)
        {
          while (*p != '\0' && *p != '\n')
            p++;
        }
      else if (strchr ("|;&<>", c) != NULL)
        {
          add_warning (state, _("The rest of the command after “%c” was ignored"), c);
          break;
        }
      else
        {
          g_string_append_c (token, c);
          in_token = TRUE;
          p++;
        }
    }

  finish_token (argv, token, &in_token);
  return TRUE;
}

/* Windows "Copy as cURL (cmd)": cmd.exe removes carets (^" is a quote, ^ at the end of a line
 * continues it, and ^ before an empty line is a literal newline), then curl.exe splits the line
 * with the C runtime's rules (quotes group, backslashes escape quotes). */
static gboolean
tokenize_cmd (const char  *command,
              GPtrArray   *argv,
              GError     **error)
{
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(GString) token = g_string_new (NULL);
  gboolean in_token = FALSE;
  gboolean in_quotes = FALSE;
  const char *p = command;

  while (*p != '\0')
    {
      if (*p == '^' && (p[1] == '\n' || (p[1] == '\r' && p[2] == '\n')))
        {
          p += p[1] == '\n' ? 2 : 3;
          if (*p == '\n' || (*p == '\r' && p[1] == '\n'))
            {
              g_string_append_c (line, '\n');
              p += *p == '\n' ? 1 : 2;
            }
        }
      else if (*p == '^' && p[1] != '\0')
        {
          g_string_append_c (line, p[1]);
          p += 2;
        }
      else
        g_string_append_c (line, *p++);
    }

  for (p = line->str; *p != '\0'; )
    {
      if (*p == '\\')
        {
          gsize n = 0;

          while (p[n] == '\\')
            n++;
          if (p[n] == '"')
            {
              for (gsize i = 0; i < n / 2; i++)
                g_string_append_c (token, '\\');
              if (n % 2 == 1)
                g_string_append_c (token, '"');
              else
                in_quotes = !in_quotes;
              p += n + 1;
            }
          else
            {
              for (gsize i = 0; i < n; i++)
                g_string_append_c (token, '\\');
              p += n;
            }
          in_token = TRUE;
        }
      else if (*p == '"')
        {
          if (in_quotes && p[1] == '"')
            {
              g_string_append_c (token, '"');
              p += 2;
            }
          else
            {
              in_quotes = !in_quotes;
              p++;
            }
          in_token = TRUE;
        }
      else if (is_blank (*p) && !in_quotes)
        {
          finish_token (argv, token, &in_token);
          p++;
        }
      else
        {
          g_string_append_c (token, *p++);
          in_token = TRUE;
        }
    }

  if (in_quotes)
    return unterminated (error);

  finish_token (argv, token, &in_token);
  return TRUE;
}

static gboolean
looks_like_cmd (const char *command)
{
  const char *p = command + strlen ("curl");

  while (*p == ' ' || *p == '\t')
    p++;
  if (p[0] == '^' && p[1] == '"')
    return TRUE;

  for (p = command; *p != '\0'; p++)
    {
      if (*p == '^' && (p[1] == '\n' || (p[1] == '\r' && p[2] == '\n')))
        return TRUE;
    }

  return FALSE;
}

/* Option values */

static gboolean
parse_seconds (const char  *option,
               const char  *value,
               double      *out,
               GError     **error)
{
  char *end = NULL;
  double d = g_ascii_strtod (value, &end);

  if (end == value || *end != '\0' || !isfinite (d) || d < 0)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                   _("The curl option “%s” needs a number of seconds, not “%s”"),
                   option, value);
      return FALSE;
    }

  *out = d;
  return TRUE;
}

/* curl's own encoding (curl_easy_escape): everything but unreserved characters. */
static char *
form_escape (const char *s)
{
  return g_uri_escape_string (s, NULL, FALSE);
}

/* application/x-www-form-urlencoded pieces to rows; NULL when @data is not that. */
static GPtrArray *
decode_form (const char *data)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(GStrv) pairs = NULL;

  if (*data == '\0')
    return g_steal_pointer (&rows);

  pairs = g_strsplit (data, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      char *eq = strchr (pairs[i], '=');
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (eq == NULL || eq == pairs[i])
        return NULL;

      *eq = '\0';
      g_strdelimit (pairs[i], "+", ' ');
      g_strdelimit (eq + 1, "+", ' ');
      name = g_uri_unescape_string (pairs[i], NULL);
      value = g_uri_unescape_string (eq + 1, NULL);
      if (name == NULL || value == NULL || !g_utf8_validate (name, -1, NULL) ||
          !g_utf8_validate (value, -1, NULL))
        return NULL;

      g_ptr_array_add (rows, ladle_key_value_new (name, value));
    }

  return g_steal_pointer (&rows);
}

static void
add_data_urlencode (CurlState  *state,
                    const char *value)
{
  const char *sep = strpbrk (value, "=@");
  DataPiece *piece;

  if (sep != NULL && *sep == '@')
    {
      add_warning (state,
                   _("Reading “%s” for --data-urlencode is not supported; it was ignored"),
                   sep + 1);
      return;
    }

  piece = g_new0 (DataPiece, 1);
  if (sep == NULL)
    piece->text = form_escape (value);
  else if (sep == value)
    piece->text = form_escape (value + 1);
  else
    {
      g_autofree char *name = g_strndup (value, sep - value);
      g_autofree char *escaped = form_escape (sep + 1);

      piece->text = g_strconcat (name, "=", escaped, NULL);
    }
  g_ptr_array_add (state->data, piece);
}

/* Reads a "quoted \"word\"" at *p (after the opening quote); leaves *p after the closing one. */
static char *
read_quoted_word (const char **p)
{
  GString *word = g_string_new (NULL);
  const char *s = *p;

  while (*s != '\0' && *s != '"')
    {
      if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
        s++;
      g_string_append_c (word, *s++);
    }
  if (*s == '"')
    s++;

  *p = s;
  return g_string_free (word, FALSE);
}

/* -F name=<file: the text becomes the field's value now. Only a regular file, and a small one: a
 * pasted command naming /dev/zero, a FIFO or a huge file must not stall the window. NULL (with a
 * warning) when the file cannot be the value. */
static char *
read_form_file (CurlState  *state,
                const char *field,
                const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, NULL, NULL);
  if (info != NULL &&
      (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR ||
       g_file_info_get_size (info) > FORM_FILE_MAX_SIZE))
    {
      g_autofree char *limit = g_format_size (FORM_FILE_MAX_SIZE);

      add_warning (state,
                   _("The form field “%s” reads “%s”, which is not a file of at most %s; "
                     "it was ignored"),
                   field, path, limit);
      return NULL;
    }

  /* A NUL byte would cut the text short: not text either. */
  if (info == NULL || !g_file_load_contents (file, NULL, &contents, &length, NULL, NULL) ||
      length > FORM_FILE_MAX_SIZE || !g_utf8_validate (contents, length, NULL))
    {
      add_warning (state,
                   _("The form field “%s” reads “%s”, which could not be read as text; "
                     "it was ignored"),
                   field, path);
      return NULL;
    }

  return g_steal_pointer (&contents);
}

static gboolean
add_form (CurlState   *state,
          const char  *option,
          const char  *arg,
          gboolean     literal,
          GError     **error)
{
  g_autoptr(LadleKeyValue) kv = NULL;
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;
  const char *eq = strchr (arg, '=');
  const char *p;
  gboolean is_file = FALSE;
  gboolean read_file = FALSE;

  if (eq == NULL)
    {
      add_warning (state, _("The form field “%s” has no “=” and was ignored"), arg);
      return TRUE;
    }

  name = g_strndup (arg, eq - arg);
  p = eq + 1;

  if (literal)
    {
      g_ptr_array_add (state->form, ladle_key_value_new (name, p));
      return TRUE;
    }

  if (*p == '@' || *p == '<')
    {
      is_file = *p == '@';
      read_file = *p == '<';
      p++;
    }

  if (*p == '"')
    {
      p++;
      value = read_quoted_word (&p);
    }
  else
    {
      const char *end = p;

      /* For files, the path ends at the first ";"; a text value only at a known parameter. */
      while (*end != '\0')
        {
          if (*end == ';' && (is_file || read_file ||
                              g_str_has_prefix (end + 1, "type=") ||
                              g_str_has_prefix (end + 1, "filename=") ||
                              g_str_has_prefix (end + 1, "headers=") ||
                              g_str_has_prefix (end + 1, "encoder=")))
            break;
          end++;
        }
      value = g_strndup (p, end - p);
      p = end;
    }

  kv = is_file ? ladle_key_value_new_file (name, value) : ladle_key_value_new (name, value);

  while (*p == ';')
    {
      g_autofree char *param_value = NULL;
      const char *key = ++p;
      gsize key_len;

      while (*p != '\0' && *p != '=' && *p != ';')
        p++;
      key_len = p - key;
      if (*p == '=')
        {
          p++;
          if (*p == '"')
            {
              p++;
              param_value = read_quoted_word (&p);
            }
          else
            {
              const char *start = p;

              while (*p != '\0' && *p != ';')
                p++;
              param_value = g_strndup (start, p - start);
            }
        }

      if (key_len == 4 && strncmp (key, "type", 4) == 0 && param_value != NULL)
        {
          GError *reason = NULL;

          /* It goes into the part's own Content-Type header */
          if (!ladle_http_check_header_value ("Content-Type", param_value, &reason))
            return refuse_option (option, reason, error);
          ladle_key_value_set_content_type (kv, param_value);
        }
      else
        {
          g_autofree char *param = g_strndup (key, key_len);

          add_warning (state,
                       _("The form parameter “%s” of field “%s” is not supported and was "
                         "ignored"),
                       param, name);
        }
    }

  if (read_file)
    {
      g_autofree char *contents = read_form_file (state, name, value);

      if (contents == NULL)
        return TRUE;
      ladle_key_value_set_value (kv, contents);
    }

  g_ptr_array_add (state->form, g_steal_pointer (&kv));
  return TRUE;
}

static gboolean
add_header_line (CurlState   *state,
                 const char  *display,
                 const char  *line,
                 GError     **error)
{
  GError *reason = NULL;
  const char *colon = strchr (line, ':');
  const char *semicolon = strchr (line, ';');
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;

  if (line[0] == '@')
    {
      add_warning (state, _("Reading headers from “%s” is not supported; it was ignored"),
                   line + 1);
      return TRUE;
    }

  if (colon != NULL)
    {
      name = g_strstrip (g_strndup (line, colon - line));
      value = g_strstrip (g_strdup (colon + 1));
      /* "Name:" tells curl to remove one of its own headers: nothing to send. */
      if (*value == '\0')
        return TRUE;
    }
  else if (semicolon != NULL && semicolon[1] == '\0')
    {
      /* "Name;" sends the header with an empty value */
      name = g_strstrip (g_strndup (line, semicolon - line));
      value = g_strdup ("");
    }
  else
    {
      add_warning (state, _("The header “%s” has no “:” and was ignored"), line);
      return TRUE;
    }

  /* Also HTTP/2 pseudo-headers (":authority: …"), which old browsers' "Copy as cURL" wrote */
  if (*name == '\0')
    {
      add_warning (state, _("The header “%s” has no name and was ignored"), line);
      return TRUE;
    }

  if (!ladle_http_check_header (name, value, &reason))
    return refuse_option (display, reason, error);

  g_ptr_array_add (state->headers, ladle_key_value_new (name, value));
  return TRUE;
}

/* A header from an option (-A, -e, -b...): without the spaces around the value, which a server
 * drops and -H drops too. */
static void
add_header (CurlState  *state,
            const char *name,
            const char *value)
{
  g_autofree char *stripped = g_strstrip (g_strdup (value));

  g_ptr_array_add (state->headers, ladle_key_value_new (name, stripped));
}

/* -A, -e, -b: the value becomes the header @name. */
static gboolean
check_header_option (const char  *display,
                     const char  *name,
                     const char  *value,
                     GError     **error)
{
  GError *reason = NULL;

  if (!ladle_http_check_header_value (name, value, &reason))
    return refuse_option (display, reason, error);
  return TRUE;
}

static void append_option (GString    *out,
                           const char *option,
                           const char *value);

static void
set_str (char       **place,
         const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*place);
  *place = copy;
}

/* --cert FILE[:PASSPHRASE]: the first colon not escaped as "\:" ends the file name ("\\" is a
 * backslash) */
static void
split_cert (const char  *arg,
            char       **out_file,
            char       **out_password)
{
  GString *file = g_string_new (NULL);

  *out_password = NULL;
  for (const char *p = arg; *p != '\0'; p++)
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

static void
curl_transport_option (CurlTransport *transport,
                       const char    *name,
                       const char    *value)
{
  if (g_str_equal (name, "http1.1"))
    transport->http1_1 = TRUE;
  else if (g_str_equal (name, "cert"))
    {
      g_autofree char *password = NULL;

      g_free (transport->cert);
      split_cert (value, &transport->cert, &password);
      if (password != NULL)
        set_str (&transport->cert_password, password);
    }
  else if (g_str_equal (name, "pass"))
    set_str (&transport->cert_password, value);
  else if (g_str_equal (name, "key"))
    set_str (&transport->key, value);
  else if (g_str_equal (name, "cacert"))
    set_str (&transport->cacert, value);
  else if (g_str_equal (name, "proxy"))
    set_str (&transport->proxy, value);
  else if (g_str_equal (name, "socks5") || g_str_equal (name, "socks5-hostname"))
    {
      g_free (transport->proxy);
      transport->proxy = g_strconcat (g_str_equal (name, "socks5") ? "socks5://" : "socks5h://",
                                      value, NULL);
    }
  else if (g_str_equal (name, "proxy-user"))
    set_str (&transport->proxy_user, value);
  else if (g_str_equal (name, "noproxy"))
    set_str (&transport->noproxy, value);
}

static void
curl_transport_apply (CurlTransport *transport,
                      LadleRequest  *request)
{
  if (transport->cert != NULL && *transport->cert != '\0')
    {
      ladle_request_set_tls_cert_file (request, transport->cert);
      ladle_request_set_tls_cert_password (request, transport->cert_password);
      ladle_request_set_tls_key_file (request, transport->key);
    }
  if (transport->cacert != NULL)
    ladle_request_set_tls_ca_file (request, transport->cacert);
  if (transport->proxy != NULL)
    {
      ladle_request_set_proxy_mode (request, *transport->proxy == '\0' ? LADLE_PROXY_NONE
                                                                        : LADLE_PROXY_MANUAL);
      if (*transport->proxy != '\0')
        ladle_request_set_proxy_url (request, transport->proxy);
    }
  if (transport->proxy_user != NULL)
    {
      const char *colon = strchr (transport->proxy_user, ':');
      g_autofree char *user = colon != NULL ? g_strndup (transport->proxy_user,
                                                         colon - transport->proxy_user)
                                            : g_strdup (transport->proxy_user);

      ladle_request_set_proxy_username (request, user);
      ladle_request_set_proxy_password (request, colon != NULL ? colon + 1 : NULL);
    }
  if (transport->noproxy != NULL)
    ladle_request_set_no_proxy (request, transport->noproxy);
  if (transport->http1_1)
    ladle_request_set_http_version (request, LADLE_HTTP_VERSION_1_1);
}

/* cURL export of the transport settings */
static void
curl_transport_export (LadleRequest *request,
                       GString      *out)
{
  const char *cert = ladle_request_get_tls_cert_file (request);
  const char *password = ladle_request_get_tls_cert_password (request);
  const char *key = ladle_request_get_tls_key_file (request);
  const char *ca = ladle_request_get_tls_ca_file (request);
  const char *no_proxy = ladle_request_get_no_proxy (request);

  if (cert != NULL && *cert != '\0')
    {
      g_autoptr(GString) arg = g_string_new (NULL);

      for (const char *p = cert; *p != '\0'; p++)
        {
          if (*p == ':' || *p == '\\')
            g_string_append_c (arg, '\\');
          g_string_append_c (arg, *p);
        }
      if (password != NULL && *password != '\0')
        g_string_append_printf (arg, ":%s", password);
      append_option (out, "--cert", arg->str);
      if (key != NULL && *key != '\0')
        append_option (out, "--key", key);
    }
  if (ca != NULL && *ca != '\0')
    append_option (out, "--cacert", ca);

  /* curl: an empty --proxy goes straight (even with http_proxy set) */
  if (ladle_request_get_proxy_mode (request) == LADLE_PROXY_NONE)
    append_option (out, "--proxy", "");
  else if (ladle_request_get_proxy_mode (request) == LADLE_PROXY_MANUAL &&
           *ladle_request_get_proxy_url (request) != '\0')
    append_option (out, "--proxy", ladle_request_get_proxy_url (request));
  {
    const char *user = ladle_request_get_proxy_username (request);
    const char *pass = ladle_request_get_proxy_password (request);

    if (*user != '\0' || *pass != '\0')
      {
        g_autofree char *both = g_strconcat (user, ":", pass, NULL);

        append_option (out, "--proxy-user", both);
      }
  }
  if (no_proxy != NULL && *no_proxy != '\0')
    append_option (out, "--noproxy", no_proxy);
  if (ladle_request_get_http_version (request) == LADLE_HTTP_VERSION_1_1)
    g_string_append (out, " --http1.1");
}

static gboolean
apply_option (CurlState         *state,
              const CurlOption  *option,
              const char        *display,
              const char        *value,
              GError           **error)
{
  DataPiece *piece;

  switch (option->action)
    {
    case OPT_REQUEST:
      {
        GError *reason = NULL;

        if (!ladle_http_check_method (value, &reason))
          return refuse_option (display, reason, error);
        g_free (state->method);
        state->method = g_strdup (value);
      }
      break;

    case OPT_HEADER:
      if (!add_header_line (state, display, value, error))
        return FALSE;
      break;

    case OPT_DATA:
    case OPT_DATA_RAW:
    case OPT_JSON:
      piece = g_new0 (DataPiece, 1);
      if (option->action != OPT_DATA_RAW && value[0] == '@')
        {
          piece->is_file = TRUE;
          piece->text = g_strdup (value + 1);
        }
      else
        piece->text = g_strdup (value);
      g_ptr_array_add (state->data, piece);
      if (option->action == OPT_JSON)
        state->json = TRUE;
      break;

    case OPT_DATA_URLENCODE:
      add_data_urlencode (state, value);
      break;

    case OPT_FORM:
    case OPT_FORM_STRING:
      if (!add_form (state, display, value, option->action == OPT_FORM_STRING, error))
        return FALSE;
      break;

    case OPT_USER:
      {
        const char *colon = strchr (value, ':');

        /* The last auth option wins, as in curl; the others leave nothing behind */
        g_clear_pointer (&state->token, g_free);
        g_clear_pointer (&state->username, g_free);
        g_clear_pointer (&state->password, g_free);
        g_free (state->auth_option);
        state->auth_option = g_strdup (display);
        if (colon != NULL)
          {
            state->username = g_strndup (value, colon - value);
            state->password = g_strdup (colon + 1);
          }
        else
          {
            state->username = g_strdup (value);
            state->password = g_strdup ("");
            add_warning (state, _("curl would ask for the password of “%s”; it was left empty"),
                         value);
          }
        state->auth_kind = LADLE_AUTH_BASIC;
      }
      break;

    case OPT_OAUTH2_BEARER:
      if (!check_header_option (display, "Authorization", value, error))
        return FALSE;
      g_clear_pointer (&state->username, g_free);
      g_clear_pointer (&state->password, g_free);
      g_free (state->token);
      /* "Bearer" and the token are separated by spaces, which a server drops */
      state->token = g_strstrip (g_strdup (value));
      state->auth_kind = LADLE_AUTH_BEARER;
      g_free (state->auth_option);
      state->auth_option = g_strdup (display);
      break;

    case OPT_USER_AGENT:
      if (!check_header_option (display, "User-Agent", value, error))
        return FALSE;
      add_header (state, "User-Agent", value);
      break;

    case OPT_REFERER:
      {
        g_autofree char *referer = g_strdup (value);

        if (!check_header_option (display, "Referer", value, error))
          return FALSE;
        /* ";auto" asks curl to set the Referer on redirects */
        if (g_str_has_suffix (referer, ";auto"))
          referer[strlen (referer) - strlen (";auto")] = '\0';
        if (*referer != '\0')
          add_header (state, "Referer", referer);
      }
      break;

    case OPT_COOKIE:
      /* As curl: an argument without "=" names a cookie file. A request keeps no file of
       * cookies: its cookies are not read (ladle send and ladle run take -b FILE themselves,
       * into the command's jar) */
      if (strchr (value, '=') == NULL)
        {
          if (*value != '\0')
            add_warning (state, _("The cookie file “%s” (%s) was not read: a request keeps no "
                                  "cookie file; its cookies were not added"), value, display);
          break;
        }
      if (!check_header_option (display, "Cookie", value, error))
        return FALSE;
      if (state->cookies == NULL)
        state->cookies = g_string_new (value);
      else
        g_string_append_printf (state->cookies, "; %s", value);
      break;

    case OPT_COOKIE_JAR:
      add_warning (state, _("The cookie jar “%s” (%s) will not be written: Ladle keeps the "
                            "cookies it receives in its own jar (the Cookies window)"),
                   value, display);
      break;

    case OPT_INSECURE:
      state->insecure = TRUE;
      break;

    case OPT_LOCATION:
      state->location = TRUE;
      break;

    case OPT_URL:
      if (state->url == NULL)
        state->url = g_strdup (value);
      else
        add_warning (state, _("Only the first URL is imported; “%s” was ignored"), value);
      break;

    case OPT_GET:
      state->get = TRUE;
      break;

    case OPT_HEAD:
      state->head = TRUE;
      break;

    case OPT_MAX_TIME:
      if (!parse_seconds (display, value, &state->max_time, error))
        return FALSE;
      break;

    case OPT_CONNECT_TIMEOUT:
      if (!parse_seconds (display, value, &state->connect_timeout, error))
        return FALSE;
      break;

    case OPT_SPEED_TIME:
      if (!parse_seconds (display, value, &state->speed_time, error))
        return FALSE;
      break;

    case OPT_MAX_REDIRS:
      {
        gint64 n;

        if (!g_ascii_string_to_signed (value, 10, -1, G_MAXUINT, &n, NULL))
          {
            g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                         _("The curl option “%s” needs a whole number, not “%s”"),
                         display, value);
            return FALSE;
          }
        /* -1 is curl's "no limit" */
        state->max_redirs = n < 0 ? G_MAXUINT : (guint) n;
        state->max_redirs_set = TRUE;
      }
      break;

    case OPT_UPLOAD_FILE:
      /* "-" and "." are standard input, which a request in the editor cannot read */
      if (strcmp (value, "-") == 0 || strcmp (value, ".") == 0)
        {
          add_warning (state, _("Uploading standard input (“%s”) is not supported; it was "
                                "ignored"), value);
          break;
        }
      g_free (state->upload_file);
      state->upload_file = g_strdup (value);
      break;

    case OPT_URL_QUERY:
      {
        const char *eq = strchr (value, '=');

        if (eq != NULL && eq != value && value[0] != '+')
          {
            g_autofree char *name = g_strndup (value, eq - value);

            g_ptr_array_add (state->query, ladle_key_value_new (name, eq + 1));
          }
        else
          add_warning (state, _("The query part “%s” was not understood and was ignored"),
                       value);
      }
      break;

    case OPT_DIGEST:
    case OPT_BASIC:
      /* The last of them wins, as in curl */
      state->digest = option->action == OPT_DIGEST;
      break;

    case OPT_IGNORE:
      break;

    case OPT_UNSUPPORTED:
      add_warning (state, _("The curl option “%s” is not supported and was ignored"), display);
      break;

    case OPT_TRANSPORT:
      curl_transport_option (&state->transport, option->long_name, value);
      break;

    default:
      g_assert_not_reached ();
    }

  return TRUE;
}

static gboolean
missing_value (const char  *display,
               GError     **error)
{
  g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
               _("The curl option “%s” needs a value"), display);
  return FALSE;
}

static gboolean
parse_arguments (CurlState  *state,
                 GPtrArray  *argv,
                 GError    **error)
{
  for (guint i = 1; i < argv->len; i++)
    {
      const char *arg = g_ptr_array_index (argv, i);

      if (g_str_has_prefix (arg, "--") && arg[2] != '\0')
        {
          const CurlOption *option = NULL;
          const char *value = NULL;

          for (guint j = 0; j < G_N_ELEMENTS (curl_options); j++)
            {
              if (strcmp (curl_options[j].long_name, arg + 2) == 0)
                {
                  option = &curl_options[j];
                  break;
                }
            }

          if (option == NULL)
            {
              add_warning (state, _("Unknown curl option “%s” was ignored"), arg);
              continue;
            }

          if (option->has_value)
            {
              if (i + 1 >= argv->len)
                return missing_value (arg, error);
              value = g_ptr_array_index (argv, ++i);
            }

          if (!apply_option (state, option, arg, value, error))
            return FALSE;
        }
      else if (arg[0] == '-' && arg[1] != '\0')
        {
          /* A cluster of short flags (-sSL); a flag that takes a value takes the rest of the
           * cluster (-XPOST) or else the next argument. */
          for (const char *p = arg + 1; *p != '\0'; p++)
            {
              const CurlOption *option = NULL;
              char display[3] = { '-', *p, '\0' };
              const char *value = NULL;

              for (guint j = 0; j < G_N_ELEMENTS (curl_options); j++)
                {
                  if (curl_options[j].short_name == *p)
                    {
                      option = &curl_options[j];
                      break;
                    }
                }

              if (option == NULL)
                {
                  /* curl's short options are ASCII: a byte beyond is part of a character,
                   * named whole (and the rest of the cluster with it) */
                  if ((guchar) *p >= 0x80)
                    {
                      g_autofree char *rest = g_utf8_make_valid (p, -1);
                      g_autofree char *shown = g_strconcat ("-", rest, NULL);

                      add_warning (state, _("Unknown curl option “%s” was ignored"), shown);
                      break;
                    }
                  add_warning (state, _("Unknown curl option “%s” was ignored"), display);
                  continue;
                }

              if (option->has_value)
                {
                  if (p[1] != '\0')
                    value = p + 1;
                  else if (i + 1 < argv->len)
                    value = g_ptr_array_index (argv, ++i);
                  else
                    return missing_value (display, error);
                }

              if (!apply_option (state, option, display, value, error))
                return FALSE;

              if (value != NULL)
                break;
            }
        }
      else if (state->url == NULL)
        state->url = g_strdup (arg);
      else
        add_warning (state, _("Only the first URL is imported; “%s” was ignored"), arg);
    }

  return TRUE;
}

/* Building the request */

static char *
media_type (const char *content_type)
{
  const char *semicolon = strchr (content_type, ';');
  g_autofree char *type = NULL;

  type = semicolon != NULL ? g_strndup (content_type, semicolon - content_type)
                           : g_strdup (content_type);
  return g_ascii_strdown (g_strstrip (type), -1);
}

static gboolean
is_json_type (const char *type)
{
  return strcmp (type, "application/json") == 0 || g_str_has_suffix (type, "+json");
}

/* The value of the last @name header, or NULL. */
static const char *
find_header (GPtrArray  *headers,
             const char *name)
{
  for (guint i = headers->len; i > 0; i--)
    {
      LadleKeyValue *kv = g_ptr_array_index (headers, i - 1);

      if (g_ascii_strcasecmp (ladle_key_value_get_name (kv), name) == 0)
        return ladle_key_value_get_value (kv);
    }

  return NULL;
}

static void
remove_header (GPtrArray  *headers,
               const char *name)
{
  for (guint i = headers->len; i > 0; i--)
    {
      LadleKeyValue *kv = g_ptr_array_index (headers, i - 1);

      if (g_ascii_strcasecmp (ladle_key_value_get_name (kv), name) == 0)
        g_ptr_array_remove_index (headers, i - 1);
    }
}

static guint
count_headers (GPtrArray  *headers,
               const char *name)
{
  guint n = 0;

  for (guint i = 0; i < headers->len; i++)
    {
      LadleKeyValue *kv = g_ptr_array_index (headers, i);

      if (g_ascii_strcasecmp (ladle_key_value_get_name (kv), name) == 0)
        n++;
    }

  return n;
}

/* "Authorization: Bearer X" and "Authorization: Basic B64" become the request's auth. */
static void
take_authorization_header (CurlState *state)
{
  guint n = count_headers (state->headers, "Authorization");
  const char *value;

  /* curl sends the user's Authorization header instead of the one -u would make */
  if (n > 0 && state->auth_kind != LADLE_AUTH_NONE)
    {
      add_warning (state, _("The option “%s” was ignored: the “Authorization” header replaces it"),
                   state->auth_option);
      state->auth_kind = LADLE_AUTH_NONE;
      g_clear_pointer (&state->username, g_free);
      g_clear_pointer (&state->password, g_free);
      g_clear_pointer (&state->token, g_free);
    }

  if (n != 1)
    return;

  value = find_header (state->headers, "Authorization");
  if (g_ascii_strncasecmp (value, "Bearer ", strlen ("Bearer ")) == 0)
    {
      const char *token = value + strlen ("Bearer ");

      while (*token == ' ')
        token++;
      if (*token == '\0')
        return;

      state->auth_kind = LADLE_AUTH_BEARER;
      state->token = g_strdup (token);
    }
  else if (g_ascii_strncasecmp (value, "Basic ", strlen ("Basic ")) == 0)
    {
      g_autofree guchar *decoded = NULL;
      g_autofree char *text = NULL;
      const char *colon;
      gsize len = 0;

      decoded = g_base64_decode (value + strlen ("Basic "), &len);
      text = g_strndup ((const char *) decoded, len);
      colon = strchr (text, ':');
      if (len == 0 || strlen (text) != len || colon == NULL || !g_utf8_validate (text, -1, NULL))
        return;

      state->auth_kind = LADLE_AUTH_BASIC;
      state->username = g_strndup (text, colon - text);
      state->password = g_strdup (colon + 1);
    }
  else
    return;

  remove_header (state->headers, "Authorization");
}

static void
append_rows (GListStore *store,
             GPtrArray  *rows)
{
  g_list_store_splice (store, g_list_model_get_n_items (G_LIST_MODEL (store)), 0,
                       rows->pdata, rows->len);
}

/* Sets the body from -d and friends; returns whether there is one. */
static gboolean
build_data_body (CurlState    *state,
                 LadleRequest *request)
{
  g_autoptr(GString) joined = g_string_new (NULL);
  g_autofree char *file = NULL;
  const char *content_type;
  g_autofree char *type = NULL;
  guint n_text = 0;

  /* --json asks for JSON back whatever the body becomes */
  if (state->json && find_header (state->headers, "Accept") == NULL)
    add_header (state, "Accept", "application/json");

  for (guint i = 0; i < state->data->len; i++)
    {
      DataPiece *piece = g_ptr_array_index (state->data, i);

      if (piece->is_file)
        {
          if (file == NULL && strcmp (piece->text, "-") != 0)
            file = g_strdup (piece->text);
          else
            add_warning (state, _("The data file “%s” was ignored: Ladle sends one file"),
                         piece->text);
          continue;
        }

      if (n_text++ > 0)
        g_string_append_c (joined, '&');
      g_string_append (joined, piece->text);
    }

  if (file != NULL && n_text > 0)
    {
      add_warning (state, _("The data file “%s” was ignored: it cannot be combined with "
                            "other data"), file);
      g_clear_pointer (&file, g_free);
    }

  if (state->get)
    {
      g_autoptr(GPtrArray) rows = NULL;

      if (n_text == 0)
        return FALSE;

      rows = decode_form (joined->str);
      if (rows != NULL)
        append_rows (ladle_request_get_params (request), rows);
      else
        {
          g_autofree char *url = g_strconcat (state->url, strchr (state->url, '?') ? "&" : "?",
                                              joined->str, NULL);

          ladle_request_set_url (request, url);
        }
      return FALSE;
    }

  content_type = find_header (state->headers, "Content-Type");
  type = content_type != NULL ? media_type (content_type) : NULL;

  if (file != NULL)
    {
      ladle_request_set_body_kind (request, LADLE_BODY_FILE);
      ladle_request_set_body_file (request, file);
      ladle_request_set_body_content_type (request, content_type != NULL ? content_type
                                                                         : FORM_CONTENT_TYPE);
      remove_header (state->headers, "Content-Type");
      return TRUE;
    }

  if (n_text == 0)
    return FALSE;

  /* --json's type gives way to the user's, as in curl: the user's type decides the kind */
  if ((state->json && type == NULL) || (type != NULL && is_json_type (type)))
    {
      ladle_request_set_body_kind (request, LADLE_BODY_JSON);
      ladle_request_set_body_text (request, joined->str);
      if (type == NULL || strcmp (type, "application/json") == 0)
        remove_header (state->headers, "Content-Type");
      return TRUE;
    }

  if (type == NULL || strcmp (type, FORM_CONTENT_TYPE) == 0)
    {
      g_autoptr(GPtrArray) rows = decode_form (joined->str);

      if (rows != NULL)
        {
          ladle_request_set_body_kind (request, LADLE_BODY_FORM);
          append_rows (ladle_request_get_form (request), rows);
          remove_header (state->headers, "Content-Type");
          return TRUE;
        }
    }

  ladle_request_set_body_kind (request, LADLE_BODY_TEXT);
  ladle_request_set_body_text (request, joined->str);
  ladle_request_set_body_content_type (request, content_type != NULL ? content_type
                                                                     : FORM_CONTENT_TYPE);
  remove_header (state->headers, "Content-Type");
  return TRUE;
}

/**
 * ladle_curl_parse:
 * @command: a curl command line, as "Copy as cURL" and API documentation write it
 * @out_warnings: (out) (optional) (transfer full) (element-type utf8): translated notes about
 *   options that were ignored; an empty array when there are none
 * @error: a %LADLE_ERROR_PARSE error when the command cannot be read, or when an option's value
 *   cannot go into a request (a method that is not a token, a header with a line break: curl
 *   would send those as written, smuggling a second request)
 *
 * Returns: (transfer full) (nullable): the request curl would send
 */
LadleRequest *
ladle_curl_parse (const char  *command,
                  GPtrArray  **out_warnings,
                  GError     **error)
{
  g_auto(CurlState) state = { 0 };
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(LadleRequest) request = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *url = NULL;
  const char *start;
  const char *first;
  gboolean has_body = FALSE;

  g_return_val_if_fail (command != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (out_warnings != NULL)
    *out_warnings = NULL;

  state.warnings = g_ptr_array_new_with_free_func (g_free);
  state.data = g_ptr_array_new_with_free_func ((GDestroyNotify) data_piece_free);
  state.form = g_ptr_array_new_with_free_func (g_object_unref);
  state.headers = g_ptr_array_new_with_free_func (g_object_unref);
  state.query = g_ptr_array_new_with_free_func (g_object_unref);

  /* A shell prompt copied along with the command */
  start = command;
  while (is_blank (*start))
    start++;
  if (start[0] == '$' && (start[1] == ' ' || start[1] == '\t'))
    start += 2;
  while (is_blank (*start))
    start++;

  if (!g_str_has_prefix (start, "curl") ||
      (start[4] != '\0' && !is_blank (start[4]) && !g_str_has_prefix (start + 4, ".exe")))
    {
      g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                           _("This is not a curl command: it must start with “curl”"));
      return NULL;
    }

  if (looks_like_cmd (start))
    {
      if (!tokenize_cmd (start, argv, error))
        return NULL;
    }
  else if (!tokenize_posix (start, argv, &state, error))
    return NULL;

  first = argv->len > 0 ? g_ptr_array_index (argv, 0) : "";
  if (strcmp (first, "curl") != 0 && strcmp (first, "curl.exe") != 0)
    {
      g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                           _("This is not a curl command: it must start with “curl”"));
      return NULL;
    }

  if (!parse_arguments (&state, argv, error))
    return NULL;

  if (state.url == NULL || *state.url == '\0')
    {
      g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                           _("The curl command has no URL"));
      return NULL;
    }

  request = ladle_request_new ();

  /* curl assumes http:// for a URL without a scheme */
  if (strstr (state.url, "://") == NULL)
    {
      url = g_strconcat ("http://", state.url, NULL);
      g_free (state.url);
      state.url = g_steal_pointer (&url);
    }
  ladle_request_set_url (request, state.url);
  append_rows (ladle_request_get_params (request), state.query);

  if (state.cookies != NULL && find_header (state.headers, "Cookie") == NULL)
    add_header (&state, "Cookie", state.cookies->str);

  /* --digest applies to -u's credentials (before or after it), not to an Authorization header */
  if (state.digest && state.auth_kind == LADLE_AUTH_BASIC)
    state.auth_kind = LADLE_AUTH_DIGEST;
  take_authorization_header (&state);

  if (state.form->len > 0)
    {
      g_autofree char *type = NULL;
      const char *content_type = find_header (state.headers, "Content-Type");

      if (state.data->len > 0)
        {
          g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                               _("The curl command mixes form fields (-F) with data (-d)"));
          return NULL;
        }

      ladle_request_set_body_kind (request, LADLE_BODY_MULTIPART);
      append_rows (ladle_request_get_form (request), state.form);
      type = content_type != NULL ? media_type (content_type) : NULL;
      if (type != NULL && strcmp (type, "multipart/form-data") == 0)
        remove_header (state.headers, "Content-Type");
      has_body = TRUE;
    }
  else if (state.upload_file != NULL)
    {
      const char *content_type = find_header (state.headers, "Content-Type");

      ladle_request_set_body_kind (request, LADLE_BODY_FILE);
      ladle_request_set_body_file (request, state.upload_file);
      ladle_request_set_body_content_type (request, content_type != NULL
                                                    ? content_type
                                                    : "application/octet-stream");
      remove_header (state.headers, "Content-Type");
    }
  else
    has_body = build_data_body (&state, request);

  append_rows (ladle_request_get_headers (request), state.headers);

  if (state.method != NULL)
    ladle_request_set_method (request, state.method);
  else if (state.head)
    ladle_request_set_method (request, "HEAD");
  else if (has_body)
    ladle_request_set_method (request, "POST");
  else if (state.upload_file != NULL)
    ladle_request_set_method (request, "PUT");
  else
    ladle_request_set_method (request, "GET");

  ladle_request_set_auth_kind (request, state.auth_kind);
  if (state.username != NULL)
    ladle_request_set_auth_username (request, state.username);
  if (state.password != NULL)
    ladle_request_set_auth_password (request, state.password);
  if (state.token != NULL)
    ladle_request_set_auth_token (request, state.token);

  ladle_request_set_follow_redirects (request, state.location);
  if (state.max_redirs_set)
    ladle_request_set_max_redirects (request, state.max_redirs);
  ladle_request_set_verify_tls (request, !state.insecure);
  curl_transport_apply (&state.transport, request);
  ladle_request_set_connect_timeout (request, state.connect_timeout);
  ladle_request_set_total_timeout (request, state.max_time);
  ladle_request_set_idle_timeout (request, state.speed_time);

  /* Each option was checked as it came; this is for what they make together. */
  if (!ladle_request_validate (request, &local_error))
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                   _("The curl command describes a request that cannot be sent: %s"),
                   local_error->message);
      return NULL;
    }

  if (out_warnings != NULL)
    *out_warnings = g_steal_pointer (&state.warnings);

  return g_steal_pointer (&request);
}

/* Export */

static void
append_quoted (GString    *out,
               const char *s)
{
  gboolean control = FALSE;

  for (const char *p = s; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        control = TRUE;
    }

  if (!control)
    {
      g_string_append_c (out, '\'');
      for (const char *p = s; *p != '\0'; p++)
        {
          if (*p == '\'')
            g_string_append (out, "'\\''");
          else
            g_string_append_c (out, *p);
        }
      g_string_append_c (out, '\'');
      return;
    }

  /* bash's $'...' keeps the command on one line */
  g_string_append (out, "$'");
  for (const char *p = s; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\'': g_string_append (out, "\\'"); break;
        default:
          if ((guchar) *p < 0x20 || *p == 0x7f)
            g_string_append_printf (out, "\\x%02x", (guchar) *p);
          else
            g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '\'');
}

static void
append_word (GString    *out,
             const char *word)
{
  gboolean plain = *word != '\0';

  for (const char *p = word; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr ("-_./:", *p) == NULL)
        plain = FALSE;
    }

  g_string_append_c (out, ' ');
  if (plain)
    g_string_append (out, word);
  else
    append_quoted (out, word);
}

static void
append_option (GString    *out,
               const char *option,
               const char *value)
{
  g_string_append_printf (out, " %s ", option);
  append_quoted (out, value);
}

static void
append_seconds (GString    *out,
                const char *option,
                double      seconds)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buffer, sizeof buffer, "%.15g", seconds);
  if (g_ascii_strtod (buffer, NULL) != seconds)
    g_ascii_dtostr (buffer, sizeof buffer, seconds);
  g_string_append_printf (out, " %s %s", option, buffer);
}

static gboolean
has_enabled_header (LadleRequest *request,
                    const char   *name)
{
  GListModel *headers = G_LIST_MODEL (ladle_request_get_headers (request));
  guint n = g_list_model_get_n_items (headers);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LadleKeyValue) kv = g_list_model_get_item (headers, i);

      if (ladle_key_value_get_enabled (kv) &&
          g_ascii_strcasecmp (ladle_key_value_get_name (kv), name) == 0)
        return TRUE;
    }

  return FALSE;
}

static gboolean
is_plain_form_value (const char *value)
{
  return value[0] != '@' && value[0] != '<' && value[0] != '"' && strchr (value, ';') == NULL;
}

/* A file path, a text value or a type in -F: quoted (with \" and \\) when it would otherwise end
 * early or mean something else to curl (";" starts a parameter, "@" and "<" read files). */
static void
append_form_word (GString    *out,
                  const char *word)
{
  if (strpbrk (word, ";,\"") == NULL && word[0] != '@' && word[0] != '<')
    {
      g_string_append (out, word);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = word; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* The body options; returns whether curl will send a body. */
static gboolean
append_body (GString      *out,
             LadleRequest *request)
{
  GListModel *form = G_LIST_MODEL (ladle_request_get_form (request));
  guint n = g_list_model_get_n_items (form);
  gboolean has_body = FALSE;

  switch (ladle_request_get_body_kind (request))
    {
    case LADLE_BODY_NONE:
      break;

    case LADLE_BODY_TEXT:
    case LADLE_BODY_JSON:
      append_option (out, "--data-raw", ladle_request_get_body_text (request));
      has_body = TRUE;
      break;

    case LADLE_BODY_FILE:
      if (ladle_request_get_body_file (request) != NULL)
        {
          g_autofree char *arg = g_strconcat ("@", ladle_request_get_body_file (request), NULL);

          append_option (out, "--data-binary", arg);
          has_body = TRUE;
        }
      break;

    case LADLE_BODY_PARTS:
      {
        /* curl sends one body per option, joined with "&": the parts become one --data-raw
         * when they are all text, --data-binary @FILE for a single file. */
        g_autoptr(GString) data = g_string_new (NULL);
        guint n_files = 0;
        const char *file_path = NULL;

        for (guint i = 0; i < n; i++)
          {
            g_autoptr(LadleKeyValue) kv = g_list_model_get_item (form, i);

            if (!ladle_key_value_get_enabled (kv))
              continue;
            if (ladle_key_value_get_is_file (kv))
              {
                n_files++;
                file_path = ladle_key_value_get_value (kv);
              }
            else if (ladle_key_value_get_value (kv) != NULL)
              g_string_append (data, ladle_key_value_get_value (kv));
          }

        if (n_files == 1 && data->len == 0)
          {
            g_autofree char *arg = g_strconcat ("@", file_path, NULL);

            append_option (out, "--data-binary", arg);
          }
        else
          append_option (out, "--data-raw", data->str);
        has_body = TRUE;
      }
      break;

    case LADLE_BODY_FORM:
      {
        g_autoptr(GString) data = g_string_new (NULL);

        for (guint i = 0; i < n; i++)
          {
            g_autoptr(LadleKeyValue) kv = g_list_model_get_item (form, i);
            g_autofree char *name = NULL;
            g_autofree char *value = NULL;

            if (!ladle_key_value_get_enabled (kv))
              continue;

            name = form_escape (ladle_key_value_get_name (kv));
            value = form_escape (ladle_key_value_get_value (kv));
            g_string_append_printf (data, "%s%s=%s", data->len > 0 ? "&" : "", name, value);
          }
        append_option (out, "--data-raw", data->str);
        has_body = TRUE;
      }
      break;

    case LADLE_BODY_MULTIPART:
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(LadleKeyValue) kv = g_list_model_get_item (form, i);
          g_autoptr(GString) arg = g_string_new (NULL);
          const char *name = ladle_key_value_get_name (kv);
          const char *value = ladle_key_value_get_value (kv);
          const char *content_type = ladle_key_value_get_content_type (kv);

          if (!ladle_key_value_get_enabled (kv))
            continue;

          /* --form-string takes the value as it is, but no type */
          if (!ladle_key_value_get_is_file (kv) && !is_plain_form_value (value) &&
              content_type == NULL)
            {
              g_string_append_printf (arg, "%s=%s", name, value);
              append_option (out, "--form-string", arg->str);
              has_body = TRUE;
              continue;
            }

          g_string_append_printf (arg, "%s=", name);
          if (ladle_key_value_get_is_file (kv))
            g_string_append_c (arg, '@');
          append_form_word (arg, value);
          if (content_type != NULL)
            {
              g_string_append (arg, ";type=");
              append_form_word (arg, content_type);
            }
          append_option (out, "-F", arg->str);
          has_body = TRUE;
        }
      break;

    default:
      g_assert_not_reached ();
    }

  return has_body;
}

/**
 * ladle_curl_export:
 *
 * Writes a single-line curl command, POSIX-shell quoted, in a stable order:
 * `curl [-X M | -I] 'URL' [-H ...]... [body] [-u U:P] [-k] [-L] [--max-redirs N]
 * [--connect-timeout S] [--max-time S] [--speed-limit 1 --speed-time S]`. The URL is the effective
 * URL (parameters merged) when it is valid, else the URL as typed. Disabled rows are left out.
 * A request that ladle_request_validate() refuses is not exported: its method or a header would
 * smuggle another request into the command's, and would not import back.
 *
 * Returns: (transfer full) (nullable): the command, or %NULL with a
 *   %LADLE_ERROR_INVALID_ARGUMENT error
 */
char *
ladle_curl_export (LadleRequest  *request,
                   GError       **error)
{
  g_autoptr(GString) out = g_string_new ("curl");
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *url = NULL;
  GListModel *headers;
  LadleBodyKind kind;
  const char *method;
  gboolean has_body;
  guint n;

  g_return_val_if_fail (LADLE_IS_REQUEST (request), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!ladle_request_validate (request, error))
    return NULL;

  has_body = append_body (body, request);
  kind = ladle_request_get_body_kind (request);
  method = ladle_request_get_method (request);

  if (strcmp (method, "HEAD") == 0 && !has_body)
    g_string_append (out, " -I");
  else if (strcmp (method, has_body ? "POST" : "GET") != 0)
    {
      g_string_append (out, " -X");
      append_word (out, method);
    }

  url = ladle_request_dup_url_as_typed (request);
  /* a URL that starts with "-" would read as an option */
  g_string_append (out, url[0] == '-' ? " --url " : " ");
  append_quoted (out, url);

  headers = G_LIST_MODEL (ladle_request_get_headers (request));
  n = g_list_model_get_n_items (headers);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LadleKeyValue) kv = g_list_model_get_item (headers, i);
      g_autofree char *line = NULL;
      const char *name = ladle_key_value_get_name (kv);
      const char *value = ladle_key_value_get_value (kv);

      if (!ladle_key_value_get_enabled (kv) || *name == '\0')
        continue;

      /* "Name:" would make curl drop the header; "Name;" sends it empty */
      line = *value == '\0' ? g_strconcat (name, ";", NULL)
                            : g_strconcat (name, ": ", value, NULL);
      append_option (out, "-H", line);
    }

  if (!has_enabled_header (request, "Content-Type"))
    {
      const char *content_type = NULL;

      if (kind == LADLE_BODY_JSON)
        content_type = "application/json";
      else if (kind == LADLE_BODY_TEXT || (kind == LADLE_BODY_FILE && has_body) ||
               (kind == LADLE_BODY_PARTS && ladle_request_get_body_content_type (request) != NULL &&
                ladle_request_get_body_content_type (request)[0] != '\0'))
        content_type = ladle_request_get_body_content_type (request);

      /* An empty type is written "Content-Type;", as for any empty header */
      if (content_type != NULL)
        {
          g_autofree char *line = *content_type == '\0'
                                  ? g_strdup ("Content-Type;")
                                  : g_strconcat ("Content-Type: ", content_type, NULL);

          append_option (out, "-H", line);
        }
    }

  /* An empty token would not import back from a header ("Bearer" alone is a plain header) */
  if (ladle_request_get_auth_kind (request) == LADLE_AUTH_BEARER &&
      *ladle_request_get_auth_token (request) == '\0')
    append_option (out, "--oauth2-bearer", "");
  else if (ladle_request_get_auth_kind (request) == LADLE_AUTH_BEARER)
    {
      g_autofree char *line = g_strconcat ("Authorization: Bearer ",
                                           ladle_request_get_auth_token (request), NULL);

      append_option (out, "-H", line);
    }

  g_string_append (out, body->str);

  if (ladle_request_get_auth_kind (request) == LADLE_AUTH_BASIC ||
      ladle_request_get_auth_kind (request) == LADLE_AUTH_DIGEST)
    {
      g_autofree char *user = g_strconcat (ladle_request_get_auth_username (request), ":",
                                           ladle_request_get_auth_password (request), NULL);

      if (ladle_request_get_auth_kind (request) == LADLE_AUTH_DIGEST)
        g_string_append (out, " --digest");
      append_option (out, "-u", user);
    }
  /* An API key in a header is a header for curl; in the query, the effective URL has it */
  if (ladle_request_get_auth_kind (request) == LADLE_AUTH_API_KEY &&
      ladle_request_get_auth_key_in (request) == LADLE_API_KEY_IN_HEADER)
    {
      g_autofree char *line = g_strconcat (ladle_request_get_auth_key_name (request), ": ",
                                           ladle_request_get_auth_key_value (request), NULL);

      append_option (out, "-H", line);
    }

  if (!ladle_request_get_verify_tls (request))
    g_string_append (out, " -k");
  curl_transport_export (request, out);
  if (ladle_request_get_follow_redirects (request))
    g_string_append (out, " -L");
  if (ladle_request_get_max_redirects (request) != LADLE_REQUEST_DEFAULT_MAX_REDIRECTS)
    g_string_append_printf (out, " --max-redirs %u", ladle_request_get_max_redirects (request));
  if (ladle_request_get_connect_timeout (request) > 0)
    append_seconds (out, "--connect-timeout", ladle_request_get_connect_timeout (request));
  if (ladle_request_get_total_timeout (request) > 0)
    append_seconds (out, "--max-time", ladle_request_get_total_timeout (request));
  if (ladle_request_get_idle_timeout (request) > 0)
    {
      g_string_append (out, " --speed-limit 1");
      append_seconds (out, "--speed-time", ladle_request_get_idle_timeout (request));
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}
