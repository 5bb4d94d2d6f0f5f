/* test-interop-curl-cookies.c
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
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ladle-test-utils.h"

/* Cookie files move between real curl and `ladle send`/`ladle run` both ways, against a real
 * `ladle serve`: what curl -c writes, `ladle send -b` sends; what `ladle send -c` writes,
 * `curl -b` sends, the same cookies; HttpOnly, Secure, expiry and paths survive the trip. */

#define CURL "/usr/bin/curl"

/* Cookies the server sets: HttpOnly, an expiry (Max-Age) and a path, a plain one. */
#define SET_COOKIES \
  "/response-headers?Set-Cookie=h%3D1%3B%20HttpOnly%3B%20Path%3D%2F" \
  "&Set-Cookie=e%3D2%3B%20Max-Age%3D3600%3B%20Path%3D%2Fanything" \
  "&Set-Cookie=p%3Dplain"

typedef struct
{
  char           *tmpdir;
  LadleTestServe  serve;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *uploads = NULL;

  fixture->tmpdir = ladle_test_make_tmpdir ("ladle-interop-curl-cookies-XXXXXX");
  uploads = g_build_filename (fixture->tmpdir, "uploads", NULL);
  g_assert_cmpint (g_mkdir (uploads, 0755), ==, 0);
  ladle_test_serve_start (&fixture->serve, uploads, NULL, NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  ladle_test_serve_stop (&fixture->serve, SIGTERM);
  ladle_test_rm_rf (fixture->tmpdir);
  g_free (fixture->tmpdir);
}

static char *
path_in (Fixture    *fixture,
         const char *name)
{
  return g_build_filename (fixture->tmpdir, name, NULL);
}

static char *
url_of (Fixture    *fixture,
        const char *path)
{
  return g_strconcat (fixture->serve.url, path, NULL);
}

static int
run (const char * const  *first,
     const char * const  *args,
     char               **out_stdout)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autofree char *err = NULL;
  int status;

  g_strv_builder_addv (builder, (const char **) first);
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);
  status = ladle_test_run_command ((const char * const *) argv, NULL, out_stdout, &err);
  if (err != NULL && err[0] != '\0')
    g_test_message ("%s: %s", argv[0], err);
  return status;
}

static int
curl (const char * const *args,
      char              **out_stdout)
{
  static const char * const first[] = { CURL, "-sS", "--noproxy", "*", NULL };

  return run (first, args, out_stdout);
}

static int
ladle (const char * const *args,
       char              **out_stdout)
{
  const char *first[] = { g_getenv ("LADLE_BIN"), NULL };

  return run (first, args, out_stdout);
}

/* qsort's comparison gets pointers to the elements */
static int
compare_strings (const void *a,
                 const void *b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* The Cookie header /anything echoed, as a sorted "a=1; b=2" (curl and libsoup order the cookies
 * of one path differently; the set is what counts). */
static char *
sent_cookies (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *headers;
  const char *cookie;
  g_auto(GStrv) parts = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  headers = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                           "headers");
  cookie = json_object_get_string_member_with_default (headers, "Cookie", "");
  parts = g_strsplit (cookie, "; ", -1);
  qsort (parts, g_strv_length (parts), sizeof (char *), compare_strings);
  return g_strjoinv ("; ", parts);
}

/* The cookie lines of a cookie file (not its comments), sorted. */
static char *
cookie_lines (const char *path)
{
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) lines = g_ptr_array_new ();
  g_auto(GStrv) all = NULL;
  GString *out = g_string_new (NULL);

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  all = g_strsplit (text, "\n", -1);
  for (guint i = 0; all[i] != NULL; i++)
    if (all[i][0] != '\0' && (all[i][0] != '#' || g_str_has_prefix (all[i], "#HttpOnly_")))
      g_ptr_array_add (lines, all[i]);
  qsort (lines->pdata, lines->len, sizeof (char *), compare_strings);
  for (guint i = 0; i < lines->len; i++)
    {
      g_string_append (out, g_ptr_array_index (lines, i));
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

/* curl -c writes a jar (Ladle's /cookies/set and Set-Cookie headers with HttpOnly and Max-Age);
 * `ladle send -b jar` sends the same cookies as `curl -b jar`, to a path that gets all of them
 * and to one that gets only some. */
static void
test_curl_jar_to_ladle (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *jar = path_in (fixture, "curl.jar");
  g_autofree char *set1 = url_of (fixture, SET_COOKIES);
  g_autofree char *set2 = url_of (fixture, "/cookies/set?a=1&b=two%20words");
  g_autofree char *deep = url_of (fixture, "/anything/x");
  g_autofree char *top = url_of (fixture, "/headers");
  g_autofree char *text = NULL;

  {
    const char *args[] = { "-o", "/dev/null", "-c", jar, set1, NULL };
    g_assert_cmpint (curl (args, NULL), ==, 0);
  }
  {
    const char *args[] = { "-o", "/dev/null", "-L", "-b", jar, "-c", jar, set2, NULL };
    g_assert_cmpint (curl (args, NULL), ==, 0);
  }
  g_assert_true (g_file_get_contents (jar, &text, NULL, NULL));
  g_test_message ("curl's jar:\n%s", text);
  g_assert_nonnull (strstr (text, "#HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t0\th\t1\n"));

  for (guint i = 0; i < 2; i++)
    {
      const char *url = i == 0 ? deep : top;
      const char *curl_args[] = { "-b", jar, url, NULL };
      const char *ladle_args[] = { "send", "--raw", "-b", jar, url, NULL };
      g_autofree char *curl_out = NULL;
      g_autofree char *ladle_out = NULL;
      g_autofree char *curl_sent = NULL;
      g_autofree char *ladle_sent = NULL;

      g_assert_cmpint (curl (curl_args, &curl_out), ==, 0);
      g_assert_cmpint (ladle (ladle_args, &ladle_out), ==, 0);
      curl_sent = sent_cookies (curl_out);
      ladle_sent = sent_cookies (ladle_out);
      g_test_message ("%s: curl sent “%s”, ladle “%s”", url, curl_sent, ladle_sent);
      g_assert_cmpstr (ladle_sent, ==, curl_sent);
      g_assert_cmpstr (ladle_sent, ==,
                       i == 0 ? "a=1; b=\"two words\"; e=2; h=1; p=plain"
                              : "a=1; b=\"two words\"; h=1; p=plain");
    }
}

/* `ladle send -c jar` writes a jar that curl reads: `curl -b jar` sends what `ladle send -b jar`
 * sends, and curl writing the jar again (-c) keeps every line as Ladle wrote it. */
static void
test_ladle_jar_to_curl (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *jar = path_in (fixture, "ladle.jar");
  g_autofree char *again = path_in (fixture, "curl-again.jar");
  g_autofree char *set1 = url_of (fixture, SET_COOKIES);
  g_autofree char *set2 = url_of (fixture, "/cookies/set?a=1&b=two%20words");
  g_autofree char *deep = url_of (fixture, "/anything/x");
  g_autofree char *nothing = url_of (fixture, "/status/204");
  g_autofree char *text = NULL;
  g_autofree char *lines = NULL;
  g_autofree char *lines_again = NULL;
  g_auto(GStrv) fields = NULL;
  gint64 expires, now = g_get_real_time () / G_USEC_PER_SEC;
  const char *e_line;
  struct stat st;

  {
    const char *args[] = { "send", "--raw", "-c", jar, set1, NULL };
    g_autofree char *out = NULL;
    g_assert_cmpint (ladle (args, &out), ==, 0);
  }
  {
    /* -b and -c the same file: read, then written again with the new cookies */
    const char *args[] = { "send", "--raw", "-b", jar, "-c", jar, set2, NULL };
    g_autofree char *out = NULL;
    g_assert_cmpint (ladle (args, &out), ==, 0);
  }
  g_assert_cmpint (g_stat (jar, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpuint (ladle_test_count_entries (fixture->tmpdir), ==, 2); /* uploads, the jar */

  g_assert_true (g_file_get_contents (jar, &text, NULL, NULL));
  g_test_message ("Ladle's jar:\n%s", text);
  g_assert_true (g_str_has_prefix (text, "# Netscape HTTP Cookie File\n"));
  g_assert_nonnull (strstr (text, "\n#HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t0\th\t1\n"));
  g_assert_nonnull (strstr (text, "\n127.0.0.1\tFALSE\t/\tFALSE\t0\tp\tplain\n"));
  g_assert_nonnull (strstr (text, "\n127.0.0.1\tFALSE\t/\tFALSE\t0\ta\t1\n"));
  e_line = strstr (text, "\n127.0.0.1\tFALSE\t/anything\tFALSE\t");
  g_assert_nonnull (e_line);
  fields = g_strsplit (e_line + 1, "\t", 7);
  expires = g_ascii_strtoll (fields[4], NULL, 10);
  g_assert_cmpint (expires, >, now + 3500);
  g_assert_cmpint (expires, <=, now + 3700);

  {
    const char *curl_args[] = { "-b", jar, deep, NULL };
    const char *ladle_args[] = { "send", "--raw", "-b", jar, deep, NULL };
    g_autofree char *curl_out = NULL;
    g_autofree char *ladle_out = NULL;
    g_autofree char *curl_sent = NULL;
    g_autofree char *ladle_sent = NULL;

    g_assert_cmpint (curl (curl_args, &curl_out), ==, 0);
    g_assert_cmpint (ladle (ladle_args, &ladle_out), ==, 0);
    curl_sent = sent_cookies (curl_out);
    ladle_sent = sent_cookies (ladle_out);
    g_assert_cmpstr (curl_sent, ==, ladle_sent);
    g_assert_cmpstr (curl_sent, ==, "a=1; b=\"two words\"; e=2; h=1; p=plain");
  }

  {
    const char *args[] = { "-o", "/dev/null", "-b", jar, "-c", again, nothing, NULL };
    g_assert_cmpint (curl (args, NULL), ==, 0);
  }
  lines = cookie_lines (jar);
  lines_again = cookie_lines (again);
  g_assert_cmpstr (lines_again, ==, lines);
}

/* curl's jar with every flag (Secure, HttpOnly, subdomains, an expiry, an empty value) read by
 * `ladle send -b` and written by its -c: the same lines. */
static void
test_file_round_trip (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *in = path_in (fixture, "in.jar");
  g_autofree char *out = path_in (fixture, "out.jar");
  g_autofree char *nothing = url_of (fixture, "/status/204");
  g_autofree char *lines_in = NULL;
  g_autofree char *lines_out = NULL;
  static const char jar[] =
    "# Netscape HTTP Cookie File\n"
    "# https://curl.se/docs/http-cookies.html\n"
    "# This file was generated by libcurl! Edit at your own risk.\n"
    "\n"
    ".example.org\tTRUE\t/\tTRUE\t4102444800\tsecure\ts\n"
    "#HttpOnly_.example.org\tTRUE\t/app\tFALSE\t0\thidden\th\n"
    "www.example.org\tFALSE\t/\tFALSE\t0\tempty\t\n"
    "127.0.0.1\tFALSE\t/\tFALSE\t0\tlocal\tv\n";

  g_assert_true (g_file_set_contents (in, jar, -1, NULL));
  {
    const char *args[] = { "send", "--raw", "-b", in, "-c", out, nothing, NULL };
    g_assert_cmpint (ladle (args, NULL), ==, 0);
  }
  lines_in = cookie_lines (in);
  lines_out = cookie_lines (out);
  g_assert_cmpstr (lines_out, ==, lines_in);
}

/* `ladle run -b 'x=9' -b jar -c out`: the string goes with every request of the file, the jar's
 * cookies too, and the cookies the run collected are written at the end. A request with the jar
 * off sends only the string, and stores nothing. */
static void
test_run (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *http = path_in (fixture, "api.http");
  g_autofree char *in = path_in (fixture, "in.jar");
  g_autofree char *out = path_in (fixture, "out.jar");
  g_autofree char *text = NULL;
  g_autofree char *contents = g_strdup_printf (
    "GET %s/cookies/set?r=1\n"
    "\n"
    "?? status == 200\n"
    "?? body cookies.x == 9\n"
    "?? body cookies.j == jv\n"
    "\n"
    "###\n"
    "GET %s/cookies\n"
    "\n"
    "?? body cookies.r == 1\n"
    "?? body cookies.x == 9\n"
    "\n"
    "###\n"
    "# @no-cookie-jar\n"
    "GET %s/cookies/set?n=1\n"
    "\n"
    "?? body cookies.x == 9\n"
    "?? body cookies.r != 1\n"
    "?? body cookies.j != jv\n"
    "?? body cookies.n != 1\n",
    fixture->serve.url, fixture->serve.url, fixture->serve.url);
  const char *args[] = { "run", "--no-color", "-b", "x=9", "-b", in, "-c", out, http, NULL };
  g_autofree char *stdout_text = NULL;

  g_assert_true (g_file_set_contents (http, contents, -1, NULL));
  g_assert_true (g_file_set_contents (in, "127.0.0.1\tFALSE\t/\tFALSE\t0\tj\tjv\n", -1, NULL));
  g_assert_cmpint (ladle (args, &stdout_text), ==, 0);
  g_test_message ("%s", stdout_text);
  g_assert_true (g_file_get_contents (out, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\n127.0.0.1\tFALSE\t/\tFALSE\t0\tr\t1\n"));
  g_assert_nonnull (strstr (text, "\n127.0.0.1\tFALSE\t/\tFALSE\t0\tj\tjv\n"));
  g_assert_null (strstr (text, "\tx\t")); /* -b strings are sent, not stored */
  /* A request with the jar off (# @no-cookie-jar, the Options page's Cookies switch) neither sent
   * the jar's cookies (the assertions above) nor stored the one it was given */
  g_assert_null (strstr (text, "\tn\t"));
}

/* Bad lines are named and skipped, the rest sent; a -c file that is not a cookie file is left
 * alone (exit status 1); a missing -b file is a warning, except when it is the -c file too. */
static void
test_bad_input (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *in = path_in (fixture, "bad.jar");
  g_autofree char *notes = path_in (fixture, "notes.txt");
  g_autofree char *missing = path_in (fixture, "missing.jar");
  g_autofree char *url = url_of (fixture, "/cookies");
  g_autofree char *argv0 = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *after = NULL;
  g_autofree char *expected = NULL;

  g_assert_true (g_file_set_contents (in,
                                      "127.0.0.1\tFALSE\t/\tFALSE\t0\tgood\t1\n"
                                      "127.0.0.1\tMAYBE\t/\tFALSE\t0\tbad\t2\n", -1, NULL));
  {
    const char *argv[] = { g_getenv ("LADLE_BIN"), "send", "--raw", "-b", in, url, NULL };

    g_assert_cmpint (ladle_test_run_command (argv, NULL, &out, &err), ==, 0);
    expected = g_strdup_printf ("ladle send: %s:2: the subdomains field is neither TRUE nor "
                                "FALSE; skipped\n", in);
    g_assert_cmpstr (err, ==, expected);
    g_assert_nonnull (strstr (out, "\"good\": \"1\""));
    g_assert_null (strstr (out, "bad"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  g_assert_true (g_file_set_contents (notes, "my notes\n", -1, NULL));
  {
    const char *argv[] = { g_getenv ("LADLE_BIN"), "send", "--raw", "-c", notes, url, NULL };

    g_assert_cmpint (ladle_test_run_command (argv, NULL, &out, &err), ==, 1);
    g_assert_nonnull (strstr (err, "not replacing it"));
    g_assert_true (g_file_get_contents (notes, &after, NULL, NULL));
    g_assert_cmpstr (after, ==, "my notes\n");
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  {
    const char *argv[] = { g_getenv ("LADLE_BIN"), "send", "--raw", "-b", missing, url, NULL };

    g_assert_cmpint (ladle_test_run_command (argv, NULL, &out, &err), ==, 0);
    g_assert_nonnull (strstr (err, "missing.jar"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *argv[] = { g_getenv ("LADLE_BIN"), "send", "--raw", "-b", missing, "-c", missing,
                           url, NULL };

    g_assert_cmpint (ladle_test_run_command (argv, NULL, &out, &err), ==, 0);
    g_assert_cmpstr (err, ==, "");
    g_assert_true (g_file_test (missing, G_FILE_TEST_IS_REGULAR));
  }
}

static void
test_missing (void)
{
  g_test_skip ("curl is not installed (" CURL "); Debian package “curl”");
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  if (g_getenv ("LADLE_BIN") == NULL)
    g_error ("LADLE_BIN must name the ladle executable (meson test sets it)");

  if (!g_file_test (CURL, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_add_func ("/ladle/interop-curl-cookies/missing", test_missing);
      return ladle_test_run ();
    }

#define ADD(path, func) \
  g_test_add ("/ladle/interop-curl-cookies/" path, Fixture, NULL, fixture_setup, func, \
              fixture_teardown)

  ADD ("curl-jar-to-ladle", test_curl_jar_to_ladle);
  ADD ("ladle-jar-to-curl", test_ladle_jar_to_curl);
  ADD ("file-round-trip", test_file_round_trip);
  ADD ("run", test_run);
  ADD ("bad-input", test_bad_input);

#undef ADD

  return ladle_test_run ();
}
