/* ladle-jwt.c
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

#include <glib/gi18n.h>
#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>

#include "ladle-error.h"
#include "ladle-json.h"
#include "ladle-jwt.h"

/* RS256 keys are RSA 2048: GnuTLS makes one in a fraction of a second, and verifiers (python-jwt,
 * jose libraries) accept it without warnings. */
#define RSA_BITS 2048

struct _LadleJwtKey
{
  gnutls_privkey_t  privkey;
  char             *n;     /* base64url, for the JWK */
  char             *e;
  char             *kid;
};

/* ------------------------------------------------------------------------------------------------
 * base64url
 */

/**
 * ladle_base64url_encode:
 *
 * Returns: (transfer full): @data in base64url without padding (RFC 4648 §5)
 */
char *
ladle_base64url_encode (const guint8 *data,
                        gsize         len)
{
  g_autofree char *b64 = g_base64_encode (data, len);
  gsize out = 0;

  for (gsize i = 0; b64[i] != '\0'; i++)
    {
      char c = b64[i];

      if (c == '=')
        break;
      b64[out++] = c == '+' ? '-' : c == '/' ? '_' : c;
    }
  b64[out] = '\0';
  return g_steal_pointer (&b64);
}

/**
 * ladle_base64url_decode:
 * @text: base64url, padding optional
 * @len: its length, or -1 when NUL-terminated
 *
 * Returns: (transfer full) (nullable): the bytes, or %NULL with @error set
 */
GBytes *
ladle_base64url_decode (const char  *text,
                        gssize       len,
                        GError     **error)
{
  g_autoptr(GString) b64 = NULL;
  gsize n;
  guchar *bytes;
  gsize out_len = 0;

  if (len < 0)
    len = strlen (text);
  n = len;
  while (n > 0 && text[n - 1] == '=')
    n--;
  if (len - n > 2 || n % 4 == 1)
    {
      g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                           _("Not valid base64url: wrong length"));
      return NULL;
    }
  b64 = g_string_sized_new (n + 4);
  for (gsize i = 0; i < n; i++)
    {
      char c = text[i];

      if (g_ascii_isalnum (c))
        g_string_append_c (b64, c);
      else if (c == '-')
        g_string_append_c (b64, '+');
      else if (c == '_')
        g_string_append_c (b64, '/');
      else
        {
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                       _("Not valid base64url: unexpected character at offset %u"), (guint) i);
          return NULL;
        }
    }
  while (b64->len % 4 != 0)
    g_string_append_c (b64, '=');
  if (b64->len == 0)
    return g_bytes_new (NULL, 0);
  bytes = g_base64_decode (b64->str, &out_len);
  return g_bytes_new_take (bytes, out_len);
}

/* ------------------------------------------------------------------------------------------------
 * Forms
 */

static char *
form_unescape (const char  *text,
               gsize        len,
               GError     **error)
{
  g_autofree char *plus = g_strndup (text, len);
  char *decoded;

  for (char *p = plus; *p != '\0'; p++)
    if (*p == '+')
      *p = ' ';
  /* NULL for a broken escape or an escaped NUL */
  decoded = g_uri_unescape_string (plus, NULL);
  if (decoded == NULL || !g_utf8_validate (decoded, -1, NULL))
    {
      g_free (decoded);
      g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                           _("The form has a broken percent-escape or text that is not UTF-8"));
      return NULL;
    }
  return decoded;
}

/**
 * ladle_form_decode:
 * @data: an application/x-www-form-urlencoded body or query (without "?")
 * @len: its length, or -1 when NUL-terminated
 *
 * A field named twice is refused (RFC 6749 §3.1), as are more than %LADLE_FORM_MAX_FIELDS fields,
 * more than %LADLE_FORM_MAX_SIZE bytes, NUL bytes, broken escapes and text that is not UTF-8.
 * A field without "=" has the value "".
 *
 * Returns: (transfer full) (nullable): name → value, both strings
 */
GHashTable *
ladle_form_decode (const char  *data,
                   gssize       len,
                   GError     **error)
{
  g_autoptr(GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *end;
  const char *p;

  if (data == NULL)
    return g_steal_pointer (&fields);
  if (len < 0)
    len = strlen (data);
  if ((gsize) len > LADLE_FORM_MAX_SIZE)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_TOO_LARGE,
                   _("The form is larger than %u bytes"), (guint) LADLE_FORM_MAX_SIZE);
      return NULL;
    }
  if (memchr (data, '\0', len) != NULL)
    {
      g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_PARSE, _("The form contains a NUL byte"));
      return NULL;
    }

  end = data + len;
  for (p = data; p < end;)
    {
      const char *amp = memchr (p, '&', end - p);
      const char *stop = amp != NULL ? amp : end;
      const char *eq = memchr (p, '=', stop - p);
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (stop > p)
        {
          name = form_unescape (p, (eq != NULL ? eq : stop) - p, error);
          if (name == NULL)
            return NULL;
          value = eq != NULL ? form_unescape (eq + 1, stop - eq - 1, error) : g_strdup ("");
          if (value == NULL)
            return NULL;
          if (g_hash_table_contains (fields, name))
            {
              g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                           _("The form has the field “%s” more than once"), name);
              return NULL;
            }
          if (g_hash_table_size (fields) >= LADLE_FORM_MAX_FIELDS)
            {
              g_set_error (error, LADLE_ERROR, LADLE_ERROR_TOO_LARGE,
                           _("The form has more than %u fields"), (guint) LADLE_FORM_MAX_FIELDS);
              return NULL;
            }
          g_hash_table_insert (fields, g_steal_pointer (&name), g_steal_pointer (&value));
        }
      p = stop + 1;
    }
  return g_steal_pointer (&fields);
}

/**
 * ladle_form_append:
 *
 * Appends "name=value" (with "&" before when @form is not empty), both escaped for
 * application/x-www-form-urlencoded; a %NULL @value appends nothing.
 */
void
ladle_form_append (GString    *form,
                   const char *name,
                   const char *value)
{
  if (value == NULL)
    return;
  if (form->len > 0)
    g_string_append_c (form, '&');
  g_string_append_uri_escaped (form, name, NULL, TRUE);
  g_string_append_c (form, '=');
  g_string_append_uri_escaped (form, value, NULL, TRUE);
}

/**
 * ladle_form_encode:
 * @first_name: a name, then its value, and so on, then %NULL; a pair whose value is %NULL is
 *   left out
 *
 * Returns: (transfer full): the form
 */
char *
ladle_form_encode (const char *first_name,
                   ...)
{
  GString *form = g_string_new (NULL);
  va_list args;

  va_start (args, first_name);
  for (const char *name = first_name; name != NULL; name = va_arg (args, const char *))
    ladle_form_append (form, name, va_arg (args, const char *));
  va_end (args);
  return g_string_free (form, FALSE);
}

/* ------------------------------------------------------------------------------------------------
 * Keys
 */

static char *
datum_to_base64url (const gnutls_datum_t *datum)
{
  return ladle_base64url_encode (datum->data, datum->size);
}

static GError *
gnutls_error (const char *what,
              int         ret)
{
  /* Translators: the first %s is what failed ("RSA key generation"), the second GnuTLS' words */
  return g_error_new (LADLE_ERROR, LADLE_ERROR_FAILED, _("%s failed: %s"), what,
                      gnutls_strerror (ret));
}

/**
 * ladle_jwt_key_generate:
 *
 * Makes a new RSA 2048 key pair for RS256, with a key id derived from its public key.
 *
 * Returns: (transfer full) (nullable): the key
 */
LadleJwtKey *
ladle_jwt_key_generate (GError **error)
{
  g_autoptr(LadleJwtKey) key = g_new0 (LadleJwtKey, 1);
  gnutls_pubkey_t pubkey = NULL;
  gnutls_datum_t m = { NULL, 0 }, e = { NULL, 0 };
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  int ret;

  ret = gnutls_privkey_init (&key->privkey);
  if (ret >= 0)
    ret = gnutls_privkey_generate2 (key->privkey, GNUTLS_PK_RSA, RSA_BITS, 0, NULL, 0);
  if (ret >= 0)
    ret = gnutls_pubkey_init (&pubkey);
  if (ret >= 0)
    ret = gnutls_pubkey_import_privkey (pubkey, key->privkey, 0, 0);
  if (ret >= 0)
    ret = gnutls_pubkey_export_rsa_raw2 (pubkey, &m, &e, GNUTLS_EXPORT_FLAG_NO_LZ);
  if (pubkey != NULL)
    gnutls_pubkey_deinit (pubkey);
  if (ret < 0)
    {
      g_propagate_error (error, gnutls_error (_("RSA key generation"), ret));
      return NULL;
    }

  key->n = datum_to_base64url (&m);
  key->e = datum_to_base64url (&e);
  g_checksum_update (checksum, m.data, m.size);
  g_checksum_get_digest (checksum, digest, &digest_len);
  key->kid = ladle_base64url_encode (digest, 12);
  gnutls_free (m.data);
  gnutls_free (e.data);

  return g_steal_pointer (&key);
}

void
ladle_jwt_key_free (LadleJwtKey *key)
{
  if (key == NULL)
    return;
  if (key->privkey != NULL)
    gnutls_privkey_deinit (key->privkey);
  g_free (key->n);
  g_free (key->e);
  g_free (key->kid);
  g_free (key);
}

const char *
ladle_jwt_key_get_id (LadleJwtKey *key)
{
  return key->kid;
}

/**
 * ladle_jwt_key_dup_jwk:
 *
 * Returns: (transfer full): the public key as a JWK object (RFC 7517): kty, use, alg, kid, n, e
 */
JsonNode *
ladle_jwt_key_dup_jwk (LadleJwtKey *key)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kty");
  json_builder_add_string_value (builder, "RSA");
  json_builder_set_member_name (builder, "use");
  json_builder_add_string_value (builder, "sig");
  json_builder_set_member_name (builder, "alg");
  json_builder_add_string_value (builder, "RS256");
  json_builder_set_member_name (builder, "kid");
  json_builder_add_string_value (builder, key->kid);
  json_builder_set_member_name (builder, "n");
  json_builder_add_string_value (builder, key->n);
  json_builder_set_member_name (builder, "e");
  json_builder_add_string_value (builder, key->e);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static char *
object_to_base64url (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  gsize len;

  json_node_set_object (node, object);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &len);
  return ladle_base64url_encode ((const guint8 *) text, len);
}

/**
 * ladle_jwt_sign:
 * @claims: the payload
 *
 * Returns: (transfer full) (nullable): a compact JWS, header {"alg":"RS256","typ":"JWT","kid":…}
 */
char *
ladle_jwt_sign (LadleJwtKey  *key,
                JsonObject   *claims,
                GError      **error)
{
  g_autoptr(JsonObject) header = json_object_new ();
  g_autofree char *h = NULL;
  g_autofree char *c = NULL;
  g_autofree char *input = NULL;
  g_autofree char *sig64 = NULL;
  gnutls_datum_t data, sig = { NULL, 0 };
  int ret;

  json_object_set_string_member (header, "alg", "RS256");
  json_object_set_string_member (header, "typ", "JWT");
  json_object_set_string_member (header, "kid", key->kid);
  h = object_to_base64url (header);
  c = object_to_base64url (claims);
  input = g_strconcat (h, ".", c, NULL);

  data.data = (unsigned char *) input;
  data.size = strlen (input);
  ret = gnutls_privkey_sign_data2 (key->privkey, GNUTLS_SIGN_RSA_SHA256, 0, &data, &sig);
  if (ret < 0)
    {
      g_propagate_error (error, gnutls_error (_("Signing"), ret));
      return NULL;
    }
  sig64 = datum_to_base64url (&sig);
  gnutls_free (sig.data);
  return g_strconcat (input, ".", sig64, NULL);
}

/* ------------------------------------------------------------------------------------------------
 * Reading tokens
 */

static JsonObject *
decode_part (const char  *text,
             gsize        len,
             const char  *what,
             GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) local = NULL;
  gsize size;
  const char *data;

  bytes = ladle_base64url_decode (text, len, &local);
  if (bytes != NULL)
    {
      data = g_bytes_get_data (bytes, &size);
      node = ladle_json_parse (data != NULL ? data : "", size, &local);
    }
  if (node == NULL)
    {
      /* Translators: %s is "header" or "payload" (already translated), then the reason */
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, _("The JWT's %s is not valid: %s"),
                   what, local->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, _("The JWT's %s is not a JSON object"),
                   what);
      return NULL;
    }
  return json_object_ref (json_node_get_object (node));
}

static gboolean
split_jwt (const char  *jwt,
           const char **dots,
           GError     **error)
{
  gsize len = strnlen (jwt, LADLE_JWT_MAX_SIZE + 1);
  guint n = 0;

  if (len > LADLE_JWT_MAX_SIZE)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_TOO_LARGE, _("The JWT is larger than %u bytes"),
                   (guint) LADLE_JWT_MAX_SIZE);
      return FALSE;
    }
  for (const char *p = jwt; *p != '\0'; p++)
    if (*p == '.')
      {
        if (n < 2)
          dots[n] = p;
        n++;
      }
  if (n != 2)
    {
      g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                           _("A JWT has three parts separated by dots"));
      return FALSE;
    }
  return TRUE;
}

/**
 * ladle_jwt_decode:
 *
 * Reads a compact JWS's header and claims, without checking its signature.
 */
gboolean
ladle_jwt_decode (const char  *jwt,
                  JsonObject **out_header,
                  JsonObject **out_claims,
                  GError     **error)
{
  const char *dots[2];
  g_autoptr(JsonObject) header = NULL;
  g_autoptr(JsonObject) claims = NULL;

  if (!split_jwt (jwt, dots, error))
    return FALSE;
  header = decode_part (jwt, dots[0] - jwt, _("header"), error);
  if (header == NULL)
    return FALSE;
  claims = decode_part (dots[0] + 1, dots[1] - dots[0] - 1, _("payload"), error);
  if (claims == NULL)
    return FALSE;
  if (out_header != NULL)
    *out_header = g_steal_pointer (&header);
  if (out_claims != NULL)
    *out_claims = g_steal_pointer (&claims);
  return TRUE;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
find_jwk (JsonObject *jwks,
          const char *kid)
{
  JsonNode *keys = json_object_get_member (jwks, "keys");
  JsonArray *array;
  guint n;

  if (keys == NULL || !JSON_NODE_HOLDS_ARRAY (keys))
    return NULL;
  array = json_node_get_array (keys);
  n = MIN (json_array_get_length (array), 64);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *jwk;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      jwk = json_node_get_object (node);
      if (g_strcmp0 (member_string (jwk, "kty"), "RSA") != 0)
        continue;
      if (kid == NULL || g_strcmp0 (member_string (jwk, "kid"), kid) == 0)
        return jwk;
    }
  return NULL;
}

/**
 * ladle_jwt_verify:
 * @jwks: a JWK Set ({"keys": […]})
 *
 * Checks an RS256 token's signature against the RSA key of @jwks its "kid" names (or the first
 * RSA key when it names none). Other algorithms, "none" among them, are refused. Claims (exp, aud)
 * are the caller's to check.
 */
gboolean
ladle_jwt_verify (const char  *jwt,
                  JsonObject  *jwks,
                  JsonObject **out_claims,
                  GError     **error)
{
  g_autoptr(JsonObject) header = NULL;
  g_autoptr(JsonObject) claims = NULL;
  g_autoptr(GBytes) n = NULL;
  g_autoptr(GBytes) e = NULL;
  g_autoptr(GBytes) sig = NULL;
  const char *dots[2];
  JsonObject *jwk;
  gnutls_pubkey_t pubkey = NULL;
  gnutls_datum_t m, ex, data, sd;
  gsize size;
  int ret;

  if (!ladle_jwt_decode (jwt, &header, &claims, error))
    return FALSE;
  split_jwt (jwt, dots, NULL);
  if (g_strcmp0 (member_string (header, "alg"), "RS256") != 0)
    {
      g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                           _("The JWT is not signed with RS256"));
      return FALSE;
    }
  jwk = find_jwk (jwks, member_string (header, "kid"));
  if (jwk == NULL || member_string (jwk, "n") == NULL || member_string (jwk, "e") == NULL)
    {
      g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                           _("No RSA key of the key set matches the JWT"));
      return FALSE;
    }
  n = ladle_base64url_decode (member_string (jwk, "n"), -1, error);
  if (n == NULL)
    return FALSE;
  e = ladle_base64url_decode (member_string (jwk, "e"), -1, error);
  if (e == NULL)
    return FALSE;
  sig = ladle_base64url_decode (dots[1] + 1, -1, error);
  if (sig == NULL)
    return FALSE;

  m.data = (unsigned char *) g_bytes_get_data (n, &size);
  m.size = size;
  ex.data = (unsigned char *) g_bytes_get_data (e, &size);
  ex.size = size;
  sd.data = (unsigned char *) g_bytes_get_data (sig, &size);
  sd.size = size;
  data.data = (unsigned char *) jwt;
  data.size = dots[1] - jwt;

  ret = gnutls_pubkey_init (&pubkey);
  if (ret >= 0)
    ret = gnutls_pubkey_import_rsa_raw (pubkey, &m, &ex);
  if (ret >= 0)
    ret = gnutls_pubkey_verify_data2 (pubkey, GNUTLS_SIGN_RSA_SHA256, 0, &data, &sd);
  if (pubkey != NULL)
    gnutls_pubkey_deinit (pubkey);
  if (ret < 0)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                   _("The JWT's signature does not verify: %s"), gnutls_strerror (ret));
      return FALSE;
    }
  if (out_claims != NULL)
    *out_claims = g_steal_pointer (&claims);
  return TRUE;
}
