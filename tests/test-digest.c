/* test-digest.c
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

#include "ladle-digest.h"
#include "ladle-error.h"

/* RFC 7616 §3.9.1: the same challenge with SHA-256 and MD5 */
#define RFC7616_REST "realm=\"http-auth@example.org\", qop=\"auth, auth-int\", " \
                     "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", " \
                     "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\""
#define RFC7616_CNONCE "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"

/* The value of the parameter @name in an Authorization header Ladle wrote */
static char *
field (const char *header,
       const char *name)
{
  g_autofree char *key = g_strconcat (name, "=", NULL);
  const char *p = header;

  while ((p = strstr (p, key)) != NULL)
    {
      if (p == header || p[-1] == ' ')
        {
          p += strlen (key);
          if (*p == '"')
            return g_strndup (p + 1, strchr (p + 1, '"') - (p + 1));
          return g_strndup (p, strcspn (p, ","));
        }
      p++;
    }
  return NULL;
}

static void
check_field (const char *header,
             const char *name,
             const char *expected)
{
  g_autofree char *value = field (header, name);

  g_assert_cmpstr (value, ==, expected);
}

static void
test_rfc7616 (void)
{
  /* Both challenges in one header, SHA-256 first: the first is chosen */
  g_autoptr(GError) error = NULL;
  g_autoptr(LadleDigest) digest = NULL;
  g_autofree char *header = NULL;

  digest = ladle_digest_new ("Digest " RFC7616_REST ", algorithm=SHA-256, Digest " RFC7616_REST
                             ", algorithm=MD5", TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ladle_digest_get_algorithm (digest), ==, "SHA-256");
  g_assert_cmpstr (ladle_digest_get_qop (digest), ==, "auth");
  g_assert_cmpstr (ladle_digest_get_realm (digest), ==, "http-auth@example.org");
  ladle_digest_set_cnonce (digest, RFC7616_CNONCE);
  header = ladle_digest_dup_authorization (digest, "Mufasa", "Circle of Life", "GET",
                                           "/dir/index.html", NULL);
  g_assert_true (g_str_has_prefix (header, "Digest username=\"Mufasa\", "));
  check_field (header, "response",
               "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
  check_field (header, "nc", "00000001");
  check_field (header, "cnonce", RFC7616_CNONCE);
  check_field (header, "qop", "auth");
  check_field (header, "algorithm", "SHA-256");
  check_field (header, "uri", "/dir/index.html");
  check_field (header, "opaque", "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS");
  g_clear_pointer (&digest, ladle_digest_free);

  /* The MD5 one, in a second header (joined with ", ") */
  digest = ladle_digest_new ("Basic realm=\"x\", Digest " RFC7616_REST ", algorithm=MD5", TRUE,
                             &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ladle_digest_get_algorithm (digest), ==, "MD5");
  ladle_digest_set_cnonce (digest, RFC7616_CNONCE);
  g_free (header);
  header = ladle_digest_dup_authorization (digest, "Mufasa", "Circle of Life", "GET",
                                           "/dir/index.html", NULL);
  check_field (header, "response", "8ca523f5e9506fed4657c9700eebdbec");
}

static void
test_rfc2617 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LadleDigest) digest = NULL;
  g_autofree char *header = NULL;
  g_autofree char *second = NULL;

  /* RFC 2617 §3.5, no algorithm parameter (MD5), qop list without spaces */
  digest = ladle_digest_new ("Digest\trealm=\"testrealm@host.com\",qop=\"auth,auth-int\","
                             "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\","
                             "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"", TRUE, &error);
  g_assert_no_error (error);
  ladle_digest_set_cnonce (digest, "0a4f113b");
  header = ladle_digest_dup_authorization (digest, "Mufasa", "Circle Of Life", "GET",
                                           "/dir/index.html", NULL);
  check_field (header, "response", "6629fae49393a05397450978507c4ef1");
  g_assert_null (strstr (header, "algorithm="));

  /* nc counts the nonce's uses, a new cnonce each time */
  second = ladle_digest_dup_authorization (digest, "Mufasa", "Circle Of Life", "GET",
                                           "/dir/index.html", NULL);
  check_field (second, "nc", "00000002");
  {
    g_autofree char *cnonce = field (second, "cnonce");

    g_assert_cmpuint (strlen (cnonce), ==, 32);
    g_assert_cmpstr (cnonce, !=, "0a4f113b");
  }
}

static char *
md5_hex (const char *text)
{
  return g_compute_checksum_for_string (G_CHECKSUM_MD5, text, -1);
}

static void
test_variants (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LadleDigest) digest = NULL;
  g_autoptr(GBytes) body = g_bytes_new_static ("a=1", 3);
  g_autofree char *header = NULL;
  g_autofree char *ha1 = NULL;
  g_autofree char *ha2 = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *text = NULL;
  g_autofree char *body_hash = NULL;

  /* auth-int alone, MD5-sess, a quoted string with escapes, an unknown parameter */
  digest = ladle_digest_new ("Digest realm=\"a \\\"b\\\\\", nonce=\"n1\", qop=\"auth-int\", "
                             "algorithm=md5-SESS, future=\"x, y\", stale=TRUE", TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ladle_digest_get_realm (digest), ==, "a \"b\\");
  g_assert_cmpstr (ladle_digest_get_qop (digest), ==, "auth-int");
  g_assert_cmpstr (ladle_digest_get_algorithm (digest), ==, "MD5-sess");
  g_assert_true (ladle_digest_get_stale (digest));
  ladle_digest_set_cnonce (digest, "c1");
  header = ladle_digest_dup_authorization (digest, "u", "p", "POST", "/x?y=1", body);

  text = md5_hex ("u:a \"b\\:p");
  ha1 = g_strdup_printf ("%s:n1:c1", text);
  g_free (text);
  text = md5_hex (ha1);
  body_hash = md5_hex ("a=1");
  {
    g_autofree char *a2 = g_strdup_printf ("POST:/x?y=1:%s", body_hash);

    ha2 = md5_hex (a2);
  }
  {
    g_autofree char *all = g_strdup_printf ("%s:n1:00000001:c1:auth-int:%s", text, ha2);

    expected = md5_hex (all);
  }
  check_field (header, "response", expected);
  g_assert_nonnull (strstr (header, "realm=\"a \\\"b\\\\\""));
  g_clear_pointer (&digest, ladle_digest_free);

  /* auth-int alone with a body Ladle cannot hash */
  digest = ladle_digest_new ("Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\"", FALSE, &error);
  g_assert_null (digest);
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "auth-int"));
  g_clear_error (&error);

  /* RFC 2069: no qop */
  digest = ladle_digest_new ("Digest realm=\"r\", nonce=\"n\"", FALSE, &error);
  g_assert_no_error (error);
  g_assert_null (ladle_digest_get_qop (digest));
  g_free (header);
  header = ladle_digest_dup_authorization (digest, "u", "p", "GET", "/", NULL);
  g_assert_null (strstr (header, "nc="));
  g_assert_null (strstr (header, "cnonce="));
  g_clear_pointer (&digest, ladle_digest_free);

  /* userhash, and a name that is not ASCII */
  digest = ladle_digest_new ("Digest realm=\"r\", nonce=\"n\", qop=auth, userhash=true", FALSE,
                             &error);
  g_assert_no_error (error);
  g_free (header);
  header = ladle_digest_dup_authorization (digest, "u", "p", "GET", "/", NULL);
  g_free (text);
  text = md5_hex ("u:r");
  check_field (header, "username", text);
  g_assert_nonnull (strstr (header, "userhash=true"));
  g_clear_pointer (&digest, ladle_digest_free);

  digest = ladle_digest_new ("Digest realm=\"r\", nonce=\"n\", qop=auth", FALSE, &error);
  g_assert_no_error (error);
  g_free (header);
  header = ladle_digest_dup_authorization (digest, "Jäsøn\r\nX: y", "p", "GET", "/", NULL);
  g_assert_true (g_str_has_prefix (header, "Digest username*=UTF-8''J%C3%A4s%C3%B8n%0D%0AX"));
  g_assert_null (strchr (header, '\n'));
}

/* Each error carries its form (for the history), which words it as its message */
static void
assert_form (const GError *error,
             const char   *kind)
{
  const char * const *form = ladle_error_get_form (error);
  g_autofree char *words = NULL;

  g_assert_nonnull (form);
  g_assert_cmpstr (form[0], ==, kind);
  words = ladle_error_format_form (form);
  g_assert_cmpstr (words, ==, error->message);
}

static void
test_errors (void)
{
  static const struct
  {
    const char *header;
    LadleError  code;
    const char *words;
    const char *kind;
  } cases[] = {
    { "Digest realm=\"r\", nonce=\"n\", algorithm=SHA-512-256", LADLE_ERROR_FAILED,
      "“SHA-512-256”, which Ladle cannot compute: GLib has no SHA-512/256",
      "digest-sha512-256" },
    { "Digest realm=\"r\", nonce=\"n\", algorithm=SHA3", LADLE_ERROR_FAILED,
      "the algorithm “SHA3”, which Ladle does not know", "digest-algorithm" },
    { "Digest realm=\"r\", nonce=\"n\", qop=\"auth-conf\"", LADLE_ERROR_FAILED,
      "offers qop “auth-conf”", "digest-qop" },
    { "Digest realm=\"r\"", LADLE_ERROR_FAILED, "no “nonce” parameter", "digest-missing" },
    { "Digest nonce=\"n\"", LADLE_ERROR_FAILED, "no “realm” parameter", "digest-missing" },
    { "Basic realm=\"x\", Bearer", LADLE_ERROR_FAILED, "it offers Basic, Bearer",
      "digest-not-digest" },
    { "", LADLE_ERROR_FAILED, "without a WWW-Authenticate header", "digest-no-header" },
    { "Digest realm=\"r, nonce=n", LADLE_ERROR_PARSE, "a quoted string is not closed",
      "digest-header-unclosed" },
    { "Digest realm=\"r\", nonce=\"a\nb\"", LADLE_ERROR_FAILED,
      "control character in its “nonce”", "digest-control" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LadleDigest) digest = ladle_digest_new (cases[i].header, TRUE, &error);

      g_test_message ("%s", cases[i].header);
      g_assert_null (digest);
      g_assert_error (error, LADLE_ERROR, (int) cases[i].code);
      if (strstr (error->message, cases[i].words) == NULL)
        g_error ("“%s” does not say “%s”", error->message, cases[i].words);
      assert_form (error, cases[i].kind);
    }

  /* An unknown algorithm first, a usable challenge next: the usable one is taken */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(LadleDigest) digest = ladle_digest_new ("Digest realm=\"r\", nonce=\"n\", "
                                                      "algorithm=SHA3, Digest realm=\"r\", "
                                                      "nonce=\"m\", algorithm=SHA-256",
                                                      TRUE, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (ladle_digest_get_nonce (digest), ==, "m");
  }
}

static void
test_limits (void)
{
  g_autoptr(GString) text = g_string_new ("Digest realm=\"r\", nonce=\"");
  g_autoptr(GError) error = NULL;
  g_autoptr(LadleDigest) digest = NULL;

  /* A value too long */
  for (guint i = 0; i < LADLE_DIGEST_MAX_VALUE + 1; i++)
    g_string_append_c (text, 'a');
  g_string_append_c (text, '"');
  digest = ladle_digest_new (text->str, TRUE, &error);
  g_assert_null (digest);
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "“nonce” is longer than"));
  assert_form (error, "digest-header-value");
  g_clear_error (&error);

  /* Too many challenges */
  g_string_truncate (text, 0);
  for (guint i = 0; i < LADLE_DIGEST_MAX_CHALLENGES + 1; i++)
    g_string_append (text, "Foo a=b, ");
  g_string_append (text, "Digest realm=\"r\", nonce=\"n\"");
  digest = ladle_digest_new (text->str, TRUE, &error);
  g_assert_null (digest);
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  assert_form (error, "digest-header-challenges");
  g_clear_error (&error);

  /* Too many parameters */
  g_string_assign (text, "Digest realm=\"r\", nonce=\"n\"");
  for (guint i = 0; i < LADLE_DIGEST_MAX_PARAMS; i++)
    g_string_append_printf (text, ", p%u=x", i);
  digest = ladle_digest_new (text->str, TRUE, &error);
  g_assert_null (digest);
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  assert_form (error, "digest-header-params");
  g_clear_error (&error);

  /* 10 MB */
  g_string_set_size (text, 10 * 1024 * 1024);
  memset (text->str, ',', text->len);
  digest = ladle_digest_new (text->str, TRUE, &error);
  g_assert_null (digest);
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "longer than"));
  assert_form (error, "digest-header-long");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/digest/rfc7616", test_rfc7616);
  g_test_add_func ("/digest/rfc2617", test_rfc2617);
  g_test_add_func ("/digest/variants", test_variants);
  g_test_add_func ("/digest/errors", test_errors);
  g_test_add_func ("/digest/limits", test_limits);

  return g_test_run ();
}
