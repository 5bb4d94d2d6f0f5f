/* test-interop-newman.c
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

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ladle-server.h"
#include "ladle-test-utils.h"

/* A Postman Collection v2.1 with every body kind (tests/data/interop/), run by newman 6 (npm,
 * Postman's own runner) and, imported by `ladle import`, by `ladle run`, against one in-process
 * LadleServer on 127.0.0.1: the server must see the same requests (request line, the headers the
 * collection sets, body bytes; multipart boundaries compared as "BOUNDARY"), and every status
 * check must pass on both sides. The runners order folders differently (newman walks the tree,
 * `ladle run` the files by name), so the requests are compared as sorted lists. */

typedef struct
{
  char *line;       /* "METHOD PATH" */
  char *headers;    /* "name: value\n"…, lower-case names, sorted */
  GBytes *body;
} WireRequest;

typedef struct
{
  char        *url;
  LadleServer *server;
  GPtrArray   *log;   /* WireRequest */
  char        *tmpdir;
} Fixture;

static void
wire_request_free (gpointer data)
{
  WireRequest *request = data;

  g_free (request->line);
  g_free (request->headers);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request);
}

/* What each client adds of its own: newman's Postman-Token and Cache-Control too. */
static const char * const ignored_headers[] = {
  "user-agent", "accept-encoding", "connection", "host", "content-length", "postman-token",
  "cache-control", NULL
};

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
on_request_logged (LadleServer      *server,
                   LadleServerEvent *event,
                   gpointer          user_data)
{
  Fixture *fixture = user_data;
  SoupMessageHeaders *headers = ladle_server_event_get_request_headers (event);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  WireRequest *request;
  GString *joined = g_string_new (NULL);

  if (ladle_server_event_get_method (event) == NULL)
    return;

  if (headers != NULL)
    {
      soup_message_headers_iter_init (&iter, headers);
      while (soup_message_headers_iter_next (&iter, &name, &value))
        {
          g_autofree char *lower = g_ascii_strdown (name, -1);

          if (g_strv_contains (ignored_headers, lower))
            continue;
          /* newman's default; Ladle sends none */
          if (strcmp (lower, "accept") == 0 && strcmp (value, "*/*") == 0)
            continue;
          g_ptr_array_add (lines, g_strdup_printf ("%s: %s", lower, value));
        }
    }
  g_ptr_array_sort (lines, compare_strings);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (joined, "%s\n", (const char *) g_ptr_array_index (lines, i));

  request = g_new0 (WireRequest, 1);
  request->line = g_strdup_printf ("%s %s", ladle_server_event_get_method (event),
                                   ladle_server_event_get_path (event));
  request->headers = g_string_free (joined, FALSE);
  request->body = ladle_server_event_get_request_body (event) != NULL
                  ? g_bytes_ref (ladle_server_event_get_request_body (event))
                  : g_bytes_new (NULL, 0);
  g_ptr_array_add (fixture->log, request);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uploads = NULL;

  fixture->tmpdir = ladle_test_make_tmpdir ("ladle-interop-newman-XXXXXX");
  uploads = g_build_filename (fixture->tmpdir, "uploads", NULL);
  fixture->log = g_ptr_array_new_with_free_func (wire_request_free);
  fixture->server = ladle_server_new ();
  ladle_server_set_port (fixture->server, 0);
  ladle_server_set_uploads_dir (fixture->server, uploads);
  ladle_server_set_log_requests (fixture->server, TRUE);
  g_signal_connect (fixture->server, "request-logged", G_CALLBACK (on_request_logged), fixture);
  g_assert_true (ladle_server_start (fixture->server, &error));
  g_assert_no_error (error);
  fixture->url = g_strdup_printf ("http://127.0.0.1:%u",
                                  ladle_server_get_bound_port (fixture->server));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  ladle_server_stop (fixture->server);
  g_clear_object (&fixture->server);
  ladle_test_rm_rf (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->url);
  g_ptr_array_unref (fixture->log);
}

/* Runs @argv in the fixture's folder and waits for what it sent to be logged; returns the
 * requests logged meanwhile. */
static GPtrArray *
run_and_collect (Fixture            *fixture,
                 const char * const *argv,
                 char              **out_stdout)
{
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *joined = g_strjoinv (" ", (char **) argv);
  GPtrArray *collected;
  gint64 deadline;
  guint before;

  g_ptr_array_set_size (fixture->log, 0);
  g_assert_cmpint (g_chdir (fixture->tmpdir), ==, 0);
  ladle_test_run_command (argv, (const char * const []) { "NO_COLOR", "1", NULL }, &out, &err);
  g_assert_cmpint (g_chdir (cwd), ==, 0);
  g_test_message ("%s\nstdout:\n%s\nstderr:\n%s", joined, out, err);

  /* the server reports in batches: wait until no more arrive for a while (bounded) */
  deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  do
    {
      before = fixture->log->len;
      for (guint i = 0; i < 50; i++)
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (1000);
        }
    }
  while (fixture->log->len != before && g_get_monotonic_time () < deadline);

  collected = g_ptr_array_new_with_free_func (wire_request_free);
  g_ptr_array_extend_and_steal (collected, g_ptr_array_copy (fixture->log, NULL, NULL));
  g_ptr_array_set_free_func (fixture->log, NULL);
  g_ptr_array_set_size (fixture->log, 0);
  g_ptr_array_set_free_func (fixture->log, wire_request_free);
  if (out_stdout != NULL)
    *out_stdout = g_steal_pointer (&out);
  return collected;
}

/* Bytes as C string literal text, so that a difference in line breaks shows. */
static char *
escape_bytes (const char *data,
              gsize       size)
{
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < size; i++)
    {
      guchar c = data[i];

      if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_c (out, c);
    }

  return g_string_free (out, FALSE);
}

/* One request as text, its multipart boundary (if any) replaced by "BOUNDARY". */
static char *
describe_one (WireRequest *request)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (request->body, &size);
  g_autofree char *body = escape_bytes (data, size);
  g_autofree char *headers = g_strdup (request->headers);
  const char *boundary = strstr (headers, "boundary=");

  if (boundary != NULL)
    {
      g_autofree char *value = g_strndup (boundary + 9, strcspn (boundary + 9, "\n;"));
      g_autoptr(GString) h = g_string_new (headers);
      g_autoptr(GString) b = g_string_new (body);

      g_string_replace (h, value, "BOUNDARY", 0);
      g_string_replace (b, value, "BOUNDARY", 0);
      g_free (headers);
      g_free (body);
      headers = g_strdup (h->str);
      body = g_strdup (b->str);
    }

  /* newman ends a multipart body with a line break after the closing delimiter; httpyac, and so
   * a `.http` file's body, does not (RFC 2046 makes it optional) */
  if (g_str_has_suffix (body, "--BOUNDARY--\\r\\n"))
    body[strlen (body) - 4] = '\0';

  return g_strdup_printf ("%s\n%sbody: %s\n", request->line, headers, body);
}

static char *
describe_sorted (GPtrArray *requests)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < requests->len; i++)
    g_ptr_array_add (texts, describe_one (g_ptr_array_index (requests, i)));
  g_ptr_array_sort (texts, compare_strings);
  for (guint i = 0; i < texts->len; i++)
    g_string_append_printf (out, "%s\n", (const char *) g_ptr_array_index (texts, i));
  return g_string_free (out, FALSE);
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  g_file_get_contents (from, &contents, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (to, contents, length, &error);
  g_assert_no_error (error);
}

static void
test_every_body (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *peers = g_getenv ("LADLE_NPM_PEERS");
  g_autofree char *newman = g_build_filename (peers != NULL ? peers : "", ".bin", "newman", NULL);
  g_autofree char *source = g_test_build_filename (G_TEST_DIST, "data", "interop", NULL);
  g_autofree char *files = g_build_filename (fixture->tmpdir, "files", NULL);
  g_autofree char *var = g_strdup_printf ("baseUrl=%s", fixture->url);
  g_autofree char *newman_out = NULL;
  g_autofree char *ladle_out = NULL;
  g_autoptr(GPtrArray) theirs = NULL;
  g_autoptr(GPtrArray) ours = NULL;
  g_autofree char *theirs_text = NULL;
  g_autofree char *ours_text = NULL;
  const char *names[] = { "every-body.postman_collection.json", "files/hello.txt",
                          "files/blob.bin", NULL };

  if (peers == NULL || !g_file_test (newman, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("newman is not installed (%s): run tools/deps.sh test", newman);

  g_assert_cmpint (g_mkdir_with_parents (files, 0755), ==, 0);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *from = g_build_filename (source, names[i], NULL);
      g_autofree char *to = g_build_filename (fixture->tmpdir, names[i], NULL);

      copy_file (from, to);
    }

  theirs = run_and_collect (fixture, (const char * const []) {
                              newman, "run", "every-body.postman_collection.json",
                              "--env-var", var, "--working-dir", fixture->tmpdir,
                              "--reporters", "cli", "--color", "off", NULL }, &newman_out);
  g_assert_nonnull (strstr (newman_out, "assertions"));
  g_assert_null (strstr (newman_out, "AssertionError"));

  {
    g_autofree char *collection = g_build_filename (fixture->tmpdir,
                                                    "every-body.postman_collection.json", NULL);
    g_autofree char *imported = g_build_filename (fixture->tmpdir, "imported", NULL);

    g_assert_cmpint (ladle_test_run_command ((const char * const []) {
                                               g_getenv ("LADLE_BIN"), "import", collection,
                                               "--to", imported, NULL },
                                             /* the system's MIME database, as a user has it
                                              * (GLib's test set-up hides it) */
                                             (const char * const []) {
                                               "XDG_DATA_DIRS", "/usr/local/share:/usr/share",
                                               NULL },
                                             NULL, NULL), ==, 0);
  }
  ours = run_and_collect (fixture, (const char * const []) {
                            g_getenv ("LADLE_BIN"), "run", "--var", var, "imported", NULL },
                          &ladle_out);
  g_assert_nonnull (strstr (ladle_out, "10 requests: 10 passed, 0 failed, 0 errors, 0 skipped"));

  theirs_text = describe_sorted (theirs);
  ours_text = describe_sorted (ours);
  g_assert_cmpuint (theirs->len, ==, 10);
  g_assert_cmpstr (ours_text, ==, theirs_text);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  g_test_add ("/ladle/interop-newman/every-body", Fixture, NULL, fixture_setup, test_every_body,
              fixture_teardown);

  return ladle_test_run ();
}
