/* ladle-digest.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* HTTP Digest authentication for the client (RFC 7616; RFC 2617 and RFC 2069 servers too).
 *
 * The WWW-Authenticate grammar (RFC 9110 §11.6.1) puts several challenges in one header, split by
 * commas like their parameters: a token followed by "=" is a parameter of the challenge being
 * read, a token followed by anything else starts a new challenge. Parameters Ladle does not know
 * are skipped, as are other schemes' challenges (a token68 reads as a parameter there, which is
 * harmless). Everything is bounded: the header's length, the number of challenges and parameters,
 * each value's length. */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <gnutls/crypto.h>

#include "ladle-digest.h"
#include "ladle-error.h"
#include "ladle-error-private.h"

typedef struct
{
  char      *name;
  char      *value;
} Param;

typedef struct
{
  char      *scheme;
  GArray    *params;   /* of Param */
} Challenge;

struct _LadleDigest
{
  char          *realm;
  char          *nonce;
  char          *opaque;
  char          *algorithm;       /* as the server wrote it, or NULL (MD5) */
  const char    *qop;             /* "auth", "auth-int" or NULL */
  GChecksumType  hash;
  gboolean       sess;
  gboolean       stale;
  gboolean       userhash;
  guint32        nc;
  char          *next_cnonce;
};

static void
param_clear (gpointer data)
{
  Param *param = data;

  g_free (param->name);
  g_free (param->value);
}

static void
challenge_free (gpointer data)
{
  Challenge *challenge = data;

  g_free (challenge->scheme);
  g_array_unref (challenge->params);
  g_free (challenge);
}

static gboolean
is_tchar (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-.^_`|~", c) != NULL);
}

static const char *
skip_ows (const char *p)
{
  while (*p == ' ' || *p == '\t')
    p++;
  return p;
}

/* The words of a "digest-header-…" form's reason, or NULL */
static char *
format_header_reason (const char *kind,
                      const char *a,
                      const char *b)
{
  if (g_str_equal (kind, "digest-header-unclosed"))
    return g_strdup (_("a quoted string is not closed"));
  if (a == NULL)
    return NULL;
  if (g_str_equal (kind, "digest-header-long"))
    return g_strdup_printf (_("it is longer than %u bytes"),
                            (guint) g_ascii_strtoull (a, NULL, 10));
  if (g_str_equal (kind, "digest-header-params"))
    return g_strdup_printf (_("a challenge has more than %u parameters"),
                            (guint) g_ascii_strtoull (a, NULL, 10));
  if (g_str_equal (kind, "digest-header-challenges"))
    return g_strdup_printf (_("it holds more than %u challenges"),
                            (guint) g_ascii_strtoull (a, NULL, 10));
  if (b == NULL)
    return NULL;
  if (g_str_equal (kind, "digest-header-value"))
    return g_strdup_printf (_("the value of “%s” is longer than %u bytes"), a,
                            (guint) g_ascii_strtoull (b, NULL, 10));
  return NULL;
}

/**
 * _ladle_digest_format_form:
 *
 * Returns: (transfer full) (nullable): the words for a "digest-…" form: why a server's
 *   WWW-Authenticate header cannot be answered
 */
static char *
_ladle_digest_format_form (const char * const *form)
{
  const char *kind = form[0];
  const char *a = _ladle_error_form_arg (form, 1);
  const char *b = a != NULL ? _ladle_error_form_arg (form, 2) : NULL;

  if (g_str_has_prefix (kind, "digest-header-"))
    {
      g_autofree char *reason = format_header_reason (kind, a, b);

      if (reason == NULL)
        return NULL;
      return g_strdup_printf (_("The server’s WWW-Authenticate header cannot be read: %s"),
                              reason);
    }
  if (g_str_equal (kind, "digest-no-header"))
    return g_strdup (_("The server answered 401 without a WWW-Authenticate header: it did "
                       "not ask for Digest authentication"));
  if (g_str_equal (kind, "digest-auth-int"))
    return g_strdup (_("The server’s Digest challenge asks only for qop “auth-int”, a hash of "
                       "the body, and this body is streamed from a file: Ladle hashes only "
                       "bodies it holds in memory (text, JSON, forms)"));
  if (a == NULL)
    return NULL;
  if (g_str_equal (kind, "digest-sha512-256"))
    return g_strdup_printf (_("The server’s Digest challenge asks for the algorithm “%s”, which "
                              "Ladle cannot compute: GLib has no SHA-512/256 (Ladle answers MD5, "
                              "MD5-sess, SHA-256 and SHA-256-sess)"), a);
  if (g_str_equal (kind, "digest-algorithm"))
    return g_strdup_printf (_("The server’s Digest challenge asks for the algorithm “%s”, which "
                              "Ladle does not know (it answers MD5, MD5-sess, SHA-256 and "
                              "SHA-256-sess)"), a);
  if (g_str_equal (kind, "digest-qop"))
    return g_strdup_printf (_("The server’s Digest challenge offers qop “%s”, and Ladle answers "
                              "only “auth” and “auth-int”"), a);
  if (g_str_equal (kind, "digest-missing"))
    return g_strdup_printf (_("The server’s Digest challenge has no “%s” parameter"), a);
  if (g_str_equal (kind, "digest-control"))
    return g_strdup_printf (_("The server’s Digest challenge has a control character in its "
                              "“%s” parameter"), a);
  if (g_str_equal (kind, "digest-not-digest"))
    return g_strdup_printf (_("The server did not ask for Digest authentication: it offers %s"),
                            a);
  return NULL;
}

_LADLE_ERROR_FORMS (digest, "digest-", _ladle_digest_format_form)

static void
set_form_error (GError     **error,
                LadleError   code,
                const char  *kind,
                const char  *a,
                const char  *b)
{
  g_propagate_error (error, ladle_error_new_form (code, kind, a, b, NULL));
}

static void
set_number_error (GError     **error,
                  const char  *kind,
                  const char  *name,
                  guint        number)
{
  char text[16];

  g_snprintf (text, sizeof text, "%u", number);
  if (name != NULL)
    set_form_error (error, LADLE_ERROR_PARSE, kind, name, text);
  else
    set_form_error (error, LADLE_ERROR_PARSE, kind, text, NULL);
}

/* Reads a quoted string at @p (on its opening quote) into @out; returns the position after the
 * closing quote, or NULL when there is none. */
static const char *
read_quoted (const char  *p,
             GString     *out)
{
  p++;
  while (*p != '\0' && *p != '"')
    {
      if (*p == '\\' && p[1] != '\0')
        p++;
      g_string_append_c (out, *p);
      p++;
    }
  return *p == '"' ? p + 1 : NULL;
}

/* Returns: (transfer full) (element-type Challenge): the challenges, or NULL with @error set */
static GPtrArray *
parse_challenges (const char  *header,
                  GError     **error)
{
  g_autoptr(GPtrArray) challenges = g_ptr_array_new_with_free_func (challenge_free);
  Challenge *current = NULL;
  const char *p = header;

  if (strlen (header) > LADLE_DIGEST_MAX_HEADER)
    {
      set_number_error (error, "digest-header-long", NULL, LADLE_DIGEST_MAX_HEADER);
      return NULL;
    }

  while (*p != '\0')
    {
      const char *start;
      g_autofree char *token = NULL;

      while (*p == ' ' || *p == '\t' || *p == ',')
        p++;
      if (*p == '\0')
        break;

      start = p;
      while (is_tchar (*p))
        p++;
      if (p == start)
        {
          /* Not a token (a stray quote, a control character): skip to the next comma */
          if (*p == '"')
            {
              g_autoptr(GString) ignored = g_string_new (NULL);

              p = read_quoted (p, ignored);
              if (p == NULL)
                {
                  set_form_error (error, LADLE_ERROR_PARSE, "digest-header-unclosed", NULL,
                                  NULL);
                  return NULL;
                }
            }
          else
            p++;
          continue;
        }
      token = g_strndup (start, p - start);
      p = skip_ows (p);

      if (*p == '=')
        {
          g_autoptr(GString) value = g_string_new (NULL);

          p = skip_ows (p + 1);
          if (*p == '"')
            {
              p = read_quoted (p, value);
              if (p == NULL)
                {
                  set_form_error (error, LADLE_ERROR_PARSE, "digest-header-unclosed", NULL,
                                  NULL);
                  return NULL;
                }
            }
          else
            {
              start = p;
              while (*p != '\0' && *p != ',' && *p != ' ' && *p != '\t')
                p++;
              g_string_append_len (value, start, p - start);
            }

          if (value->len > LADLE_DIGEST_MAX_VALUE)
            {
              g_autofree char *shown = g_utf8_make_valid (token, -1);

              set_number_error (error, "digest-header-value", shown, LADLE_DIGEST_MAX_VALUE);
              return NULL;
            }
          if (current == NULL)
            continue;   /* a parameter before any scheme */
          if (current->params->len >= LADLE_DIGEST_MAX_PARAMS)
            {
              set_number_error (error, "digest-header-params", NULL, LADLE_DIGEST_MAX_PARAMS);
              return NULL;
            }
          {
            Param param = { g_steal_pointer (&token), g_string_free (g_steal_pointer (&value),
                                                                     FALSE) };

            g_array_append_val (current->params, param);
          }
        }
      else
        {
          if (challenges->len >= LADLE_DIGEST_MAX_CHALLENGES)
            {
              set_number_error (error, "digest-header-challenges", NULL,
                                LADLE_DIGEST_MAX_CHALLENGES);
              return NULL;
            }
          current = g_new0 (Challenge, 1);
          current->scheme = g_steal_pointer (&token);
          current->params = g_array_new (FALSE, TRUE, sizeof (Param));
          g_array_set_clear_func (current->params, param_clear);
          g_ptr_array_add (challenges, current);
        }
    }

  return g_steal_pointer (&challenges);
}

/* The first value of the parameter @name (RFC 7616: each appears once at the most) */
static const char *
challenge_get (Challenge  *challenge,
               const char *name)
{
  for (guint i = 0; i < challenge->params->len; i++)
    {
      Param *param = &g_array_index (challenge->params, Param, i);

      if (g_ascii_strcasecmp (param->name, name) == 0)
        return param->value;
    }
  return NULL;
}

/* For a message: valid UTF-8, control characters escaped, at most 80 characters */
static char *
shown_text (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  GString *out = g_string_new (NULL);
  guint n = 0;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p), n++)
    {
      if (n == 80)
        {
          g_string_append (out, "…");
          break;
        }
      if ((guchar) *p < 0x20 || *p == 0x7f)
        g_string_append_printf (out, "\\x%02x", (guchar) *p);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
  return g_string_free (out, FALSE);
}

static gboolean
has_control (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p++)
    if (((guchar) *p < 0x20 && *p != '\t') || *p == 0x7f)
      return TRUE;
  return FALSE;
}

static gboolean
read_algorithm (LadleDigest  *self,
                const char   *algorithm,
                GError      **error)
{
  static const struct
  {
    const char    *name;
    GChecksumType  hash;
    gboolean       sess;
  } known[] = {
    { "MD5", G_CHECKSUM_MD5, FALSE },
    { "MD5-sess", G_CHECKSUM_MD5, TRUE },
    { "SHA-256", G_CHECKSUM_SHA256, FALSE },
    { "SHA-256-sess", G_CHECKSUM_SHA256, TRUE },
    /* Not in RFC 7616, but httpbin offers it */
    { "SHA-512", G_CHECKSUM_SHA512, FALSE },
  };
  g_autofree char *shown = NULL;

  if (algorithm == NULL)
    {
      self->hash = G_CHECKSUM_MD5;
      return TRUE;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_ascii_strcasecmp (algorithm, known[i].name) == 0)
      {
        self->hash = known[i].hash;
        self->sess = known[i].sess;
        self->algorithm = g_strdup (known[i].name);
        return TRUE;
      }

  shown = shown_text (algorithm);
  if (g_ascii_strncasecmp (algorithm, "SHA-512-256", 11) == 0)
    set_form_error (error, LADLE_ERROR_FAILED, "digest-sha512-256", shown, NULL);
  else
    set_form_error (error, LADLE_ERROR_FAILED, "digest-algorithm", shown, NULL);
  return FALSE;
}

/* qop="auth, auth-int": Ladle prefers "auth", as curl and browsers do (servers that announce
 * auth-int do not always check it), and answers "auth-int" when it is the only one offered. */
static gboolean
read_qop (LadleDigest  *self,
          const char   *qop,
          gboolean      can_hash_body,
          GError      **error)
{
  g_auto(GStrv) options = NULL;
  gboolean auth = FALSE;
  gboolean auth_int = FALSE;
  g_autofree char *shown = NULL;

  if (qop == NULL)
    return TRUE;   /* RFC 2069 */

  options = g_strsplit (qop, ",", LADLE_DIGEST_MAX_PARAMS);
  for (guint i = 0; options[i] != NULL; i++)
    {
      const char *option = g_strstrip (options[i]);

      if (g_ascii_strcasecmp (option, "auth") == 0)
        auth = TRUE;
      else if (g_ascii_strcasecmp (option, "auth-int") == 0)
        auth_int = TRUE;
    }

  if (auth)
    {
      self->qop = "auth";
      return TRUE;
    }
  if (auth_int && can_hash_body)
    {
      self->qop = "auth-int";
      return TRUE;
    }

  shown = shown_text (qop);
  if (auth_int)
    set_form_error (error, LADLE_ERROR_FAILED, "digest-auth-int", NULL, NULL);
  else
    set_form_error (error, LADLE_ERROR_FAILED, "digest-qop", shown, NULL);
  return FALSE;
}

static LadleDigest *
digest_from_challenge (Challenge  *challenge,
                       gboolean    can_hash_body,
                       GError    **error)
{
  g_autoptr(LadleDigest) self = g_new0 (LadleDigest, 1);
  const char *realm = challenge_get (challenge, "realm");
  const char *nonce = challenge_get (challenge, "nonce");
  const char *stale = challenge_get (challenge, "stale");
  const char *userhash = challenge_get (challenge, "userhash");

  if (realm == NULL || nonce == NULL)
    {
      set_form_error (error, LADLE_ERROR_FAILED, "digest-missing",
                      realm == NULL ? "realm" : "nonce", NULL);
      return NULL;
    }
  /* They go back into the Authorization header, which cannot carry a line break */
  for (const char * const *name = (const char * const[]) { "realm", "nonce", "opaque", NULL };
       *name != NULL; name++)
    if (has_control (challenge_get (challenge, *name)))
      {
        set_form_error (error, LADLE_ERROR_FAILED, "digest-control", *name, NULL);
        return NULL;
      }
  if (!read_algorithm (self, challenge_get (challenge, "algorithm"), error) ||
      !read_qop (self, challenge_get (challenge, "qop"), can_hash_body, error))
    return NULL;

  self->realm = g_strdup (realm);
  self->nonce = g_strdup (nonce);
  self->opaque = g_strdup (challenge_get (challenge, "opaque"));
  self->stale = stale != NULL && g_ascii_strcasecmp (stale, "true") == 0;
  self->userhash = userhash != NULL && g_ascii_strcasecmp (userhash, "true") == 0;

  return g_steal_pointer (&self);
}

/**
 * ladle_digest_new:
 *
 * Returns: (transfer full) (nullable): the state for answering the first Digest challenge Ladle
 *   can answer (RFC 7616 §3.7: the server lists them by preference), or %NULL with @error set
 */
LadleDigest *
ladle_digest_new (const char  *www_authenticate,
                  gboolean     can_hash_body,
                  GError     **error)
{
  g_autoptr(GPtrArray) challenges = NULL;
  g_autoptr(GError) first_error = NULL;
  g_autoptr(GString) schemes = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (www_authenticate == NULL || *www_authenticate == '\0')
    {
      set_form_error (error, LADLE_ERROR_FAILED, "digest-no-header", NULL, NULL);
      return NULL;
    }

  challenges = parse_challenges (www_authenticate, error);
  if (challenges == NULL)
    return NULL;

  schemes = g_string_new (NULL);
  for (guint i = 0; i < challenges->len; i++)
    {
      Challenge *challenge = g_ptr_array_index (challenges, i);
      LadleDigest *digest;

      if (g_ascii_strcasecmp (challenge->scheme, "Digest") != 0)
        {
          g_autofree char *shown = shown_text (challenge->scheme);

          if (schemes->len < 200)
            g_string_append_printf (schemes, "%s%s", schemes->len > 0 ? ", " : "", shown);
          continue;
        }
      digest = digest_from_challenge (challenge, can_hash_body,
                                      first_error == NULL ? &first_error : NULL);
      if (digest != NULL)
        return digest;
    }

  if (first_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&first_error));
      return NULL;
    }
  if (schemes->len > 0)
    set_form_error (error, LADLE_ERROR_FAILED, "digest-not-digest", schemes->str, NULL);
  else
    set_form_error (error, LADLE_ERROR_FAILED, "digest-no-header", NULL, NULL);
  return NULL;
}

void
ladle_digest_free (LadleDigest *self)
{
  if (self == NULL)
    return;
  g_free (self->realm);
  g_free (self->nonce);
  g_free (self->opaque);
  g_free (self->algorithm);
  g_free (self->next_cnonce);
  g_free (self);
}

const char *
ladle_digest_get_realm (LadleDigest *self)
{
  return self->realm;
}

const char *
ladle_digest_get_nonce (LadleDigest *self)
{
  return self->nonce;
}

const char *
ladle_digest_get_algorithm (LadleDigest *self)
{
  return self->algorithm != NULL ? self->algorithm : "MD5";
}

const char *
ladle_digest_get_qop (LadleDigest *self)
{
  return self->qop;
}

gboolean
ladle_digest_get_stale (LadleDigest *self)
{
  return self->stale;
}

void
ladle_digest_set_cnonce (LadleDigest *self,
                         const char  *cnonce)
{
  g_free (self->next_cnonce);
  self->next_cnonce = g_strdup (cnonce);
}

/* H(a:b:c...), in lower-case hex, for the NULL-terminated parts */
static char *
hash_parts (GChecksumType type,
            const char   *first,
            ...)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (type);
  va_list args;

  va_start (args, first);
  for (const char *part = first; part != NULL; part = va_arg (args, const char *))
    {
      if (part != first)
        g_checksum_update (checksum, (const guchar *) ":", 1);
      g_checksum_update (checksum, (const guchar *) part, strlen (part));
    }
  va_end (args);

  return g_strdup (g_checksum_get_string (checksum));
}

static void
append_quoted (GString    *out,
               const char *name,
               const char *value)
{
  g_string_append_printf (out, ", %s=\"", name);
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static gboolean
is_plain_ascii (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p >= 0x80 || (guchar) *p < 0x20 || *p == 0x7f)
      return FALSE;
  return TRUE;
}

static char *
new_cnonce (void)
{
  guint8 bytes[16];
  GString *out = g_string_new (NULL);

  /* Unpredictable, from GnuTLS's generator (GLib's g_random is not meant for this) */
  if (gnutls_rnd (GNUTLS_RND_NONCE, bytes, sizeof bytes) != 0)
    for (gsize i = 0; i < sizeof bytes; i++)
      bytes[i] = (guint8) g_random_int ();
  for (gsize i = 0; i < sizeof bytes; i++)
    g_string_append_printf (out, "%02x", bytes[i]);
  return g_string_free (out, FALSE);
}

/**
 * ladle_digest_dup_authorization:
 *
 * Returns: (transfer full): "Digest username=..., response=..." for the request
 */
char *
ladle_digest_dup_authorization (LadleDigest *self,
                                const char  *username,
                                const char  *password,
                                const char  *method,
                                const char  *uri,
                                GBytes      *body)
{
  g_autofree char *cnonce = NULL;
  g_autofree char *ha1 = NULL;
  g_autofree char *ha2 = NULL;
  g_autofree char *response = NULL;
  g_autofree char *user_field = NULL;
  char nc[9];
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  username = username != NULL ? username : "";
  password = password != NULL ? password : "";

  cnonce = self->next_cnonce != NULL ? g_steal_pointer (&self->next_cnonce) : new_cnonce ();
  if (self->nc < G_MAXUINT32)
    self->nc++;
  g_snprintf (nc, sizeof nc, "%08x", self->nc);

  ha1 = hash_parts (self->hash, username, self->realm, password, NULL);
  if (self->sess)
    {
      g_autofree char *base = g_steal_pointer (&ha1);

      ha1 = hash_parts (self->hash, base, self->nonce, cnonce, NULL);
    }

  if (g_strcmp0 (self->qop, "auth-int") == 0)
    {
      g_autoptr(GChecksum) checksum = g_checksum_new (self->hash);

      if (body != NULL)
        g_checksum_update (checksum, g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      ha2 = hash_parts (self->hash, method, uri, g_checksum_get_string (checksum), NULL);
    }
  else
    ha2 = hash_parts (self->hash, method, uri, NULL);

  if (self->qop != NULL)
    response = hash_parts (self->hash, ha1, self->nonce, nc, cnonce, self->qop, ha2, NULL);
  else
    response = hash_parts (self->hash, ha1, self->nonce, ha2, NULL);

  out = g_string_new ("Digest ");
  if (self->userhash)
    {
      user_field = hash_parts (self->hash, username, self->realm, NULL);
      g_string_append_printf (out, "username=\"%s\"", user_field);
    }
  else if (is_plain_ascii (username))
    {
      append_quoted (out, "username", username);
      g_string_erase (out, strlen ("Digest "), 2);   /* the leading ", " */
    }
  else
    {
      /* RFC 7616 §3.4.4: the name in UTF-8, percent-encoded (RFC 8187) */
      g_autofree char *encoded = g_uri_escape_string (username, "!#$&+^`|", FALSE);

      g_string_append_printf (out, "username*=UTF-8''%s", encoded);
    }
  append_quoted (out, "realm", self->realm);
  append_quoted (out, "nonce", self->nonce);
  append_quoted (out, "uri", uri);
  if (self->algorithm != NULL)
    g_string_append_printf (out, ", algorithm=%s", self->algorithm);
  g_string_append_printf (out, ", response=\"%s\"", response);
  if (self->opaque != NULL)
    append_quoted (out, "opaque", self->opaque);
  if (self->qop != NULL)
    {
      g_string_append_printf (out, ", qop=%s, nc=%s", self->qop, nc);
      append_quoted (out, "cnonce", cnonce);
    }
  if (self->userhash)
    g_string_append (out, ", userhash=true");

  return g_string_free (out, FALSE);
}
