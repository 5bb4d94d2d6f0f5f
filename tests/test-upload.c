/* test-upload.c
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

#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ladle-filename.h"
#include "ladle-server.h"
#include "ladle-stored-file.h"
#include "ladle-test-utils.h"
#include "ladle-upload.h"

typedef struct
{
  LadleServer *server;
  char        *uploads;
  char        *url;
  guint        port;
  SoupSession *session;
  guint        n_events;
  GPtrArray   *stored;     /* GListModel of LadleStoredFile, one per files-stored */
  guint        n_events_before_stored;  /* request-logged seen before the last files-stored */
} Fixture;

static void
on_files_stored (LadleServer *server,
                 GListModel  *files,
                 gpointer     user_data)
{
  Fixture *f = user_data;

  f->n_events_before_stored = f->n_events;
  g_ptr_array_add (f->stored, g_object_ref (files));
}

static void
on_request_logged (LadleServer      *server,
                   LadleServerEvent *event,
                   gpointer          user_data)
{
  Fixture *f = user_data;

  f->n_events++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->uploads = ladle_test_make_tmpdir ("ladle-upload-XXXXXX");
  f->server = ladle_server_new ();
  ladle_server_set_port (f->server, 0);
  ladle_server_set_uploads_dir (f->server, f->uploads);
  if (data != NULL)
    ladle_server_set_max_upload_size (f->server, GPOINTER_TO_UINT (data));
  g_signal_connect (f->server, "request-logged", G_CALLBACK (on_request_logged), f);
  f->stored = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (f->server, "files-stored", G_CALLBACK (on_files_stored), f);
  g_assert_true (ladle_server_start (f->server, &error));
  f->port = ladle_server_get_bound_port (f->server);
  f->url = g_strdup_printf ("http://127.0.0.1:%u/upload", f->port);
  f->session = soup_session_new ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->session);
  ladle_server_stop (f->server);
  g_assert_finalize_object (f->server);
  g_clear_pointer (&f->stored, g_ptr_array_unref);
  ladle_test_rm_rf (f->uploads);
  g_free (f->uploads);
  g_free (f->url);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* The names in the uploads folder, sorted, joined by '|'. */
static char *
list_uploads (Fixture *f)
{
  g_autoptr(GDir) dir = g_dir_open (f->uploads, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);

  return g_strjoinv ("|", (char **) names->pdata);
}

static char *
read_upload (Fixture    *f,
             const char *name,
             gsize      *len)
{
  g_autofree char *path = g_build_filename (f->uploads, name, NULL);
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, len, NULL));
  return contents;
}

static JsonNode *
parse_json (GBytes *bytes)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

typedef struct
{
  const char *field;
  const char *filename;
  const char *content;
  gsize       len;
} Part;

static JsonNode *
post_multipart (Fixture    *f,
                const Part *parts,
                guint       n_parts,
                guint      *out_status)
{
  g_autoptr(SoupMultipart) multipart = soup_multipart_new ("multipart/form-data");
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n_parts; i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (parts[i].content, parts[i].len);

      if (parts[i].filename != NULL)
        soup_multipart_append_form_file (multipart, parts[i].field, parts[i].filename,
                                         "application/octet-stream", bytes);
      else
        soup_multipart_append_form_string (multipart, parts[i].field, parts[i].content);
    }

  msg = soup_message_new_from_multipart (f->url, multipart);
  body = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  *out_status = soup_message_get_status (msg);

  return parse_json (body);
}

static void
test_single_file (Fixture       *f,
                  gconstpointer  data)
{
  const Part parts[] = { { "file", "test.txt", "hello upload\n", 13 } };
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *listing = NULL;
  JsonObject *object;
  JsonObject *file;
  guint status;
  gsize len;

  answer = post_multipart (f, parts, 1, &status);
  g_assert_cmpuint (status, ==, 200);
  object = json_node_get_object (answer);
  g_assert_cmpstr (json_object_get_string_member (object, "filename"), ==, "test.txt");
  g_assert_cmpint (json_object_get_int_member (object, "size"), ==, 13);
  file = json_array_get_object_element (json_object_get_array_member (object, "files"), 0);
  g_assert_cmpstr (json_object_get_string_member (file, "field"), ==, "file");

  contents = read_upload (f, "test.txt", &len);
  g_assert_cmpmem (contents, len, "hello upload\n", 13);
  listing = list_uploads (f);
  g_assert_cmpstr (listing, ==, "test.txt");

  LADLE_TEST_WAIT_UNTIL (f->n_events == 1, 5000);
}

static void
test_several_files_and_fields (Fixture       *f,
                               gconstpointer  data)
{
  static const char binary[] = "\r\n--\r\n\0\xff\x01--boundary\r\n";
  const Part parts[] = {
    { "comment", NULL, "a text field", 12 },
    { "file", "one.bin", binary, sizeof binary },
    { "other", "two.txt", "", 0 },
  };
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *listing = NULL;
  JsonArray *files;
  guint status;
  gsize len;

  answer = post_multipart (f, parts, G_N_ELEMENTS (parts), &status);
  g_assert_cmpuint (status, ==, 200);
  files = json_object_get_array_member (json_node_get_object (answer), "files");
  g_assert_cmpuint (json_array_get_length (files), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (files, 1),
                                                  "field"), ==, "other");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (files, 1),
                                               "size"), ==, 0);

  contents = read_upload (f, "one.bin", &len);
  g_assert_cmpmem (contents, len, binary, sizeof binary);
  listing = list_uploads (f);
  g_assert_cmpstr (listing, ==, "one.bin|two.txt");
}

static LadleStoredFile *
stored_file (Fixture *f,
             guint    upload,
             guint    position)
{
  GListModel *files = g_ptr_array_index (f->stored, upload);
  LadleStoredFile *file = g_list_model_get_item (files, position);

  g_object_unref (file);  /* the list keeps it */
  return file;
}

/* The server says what each upload stored, once its files are in place: final names (a name that
 * was taken gets another), sizes and content types, in the order of the parts; text fields and
 * failed uploads store nothing; and it says so whether or not requests are logged. */
static void
test_files_stored (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(SoupMultipart) multipart = soup_multipart_new ("multipart/form-data");
  g_autoptr(GBytes) text = g_bytes_new_static ("hello upload\n", 13);
  g_autoptr(GBytes) image = g_bytes_new_static ("\x89PNG", 4);
  const Part again[] = { { "file", "notes.txt", "second", 6 } };
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) bad = NULL;
  g_autofree char *notes_path = g_build_filename (f->uploads, "notes.txt", NULL);
  LadleStoredFile *file;
  guint status;
  gint64 before = g_get_real_time ();

  soup_multipart_append_form_string (multipart, "comment", "a text field");
  soup_multipart_append_form_file (multipart, "file", "notes.txt", "text/plain", text);
  soup_multipart_append_form_file (multipart, "picture", "dot.png", "image/png", image);
  {
    g_autoptr(SoupMessage) msg = soup_message_new_from_multipart (f->url, multipart);
    g_autoptr(GError) error = NULL;

    body = soup_session_send_and_read (f->session, msg, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  }
  LADLE_TEST_WAIT_UNTIL (f->n_events == 1, 5000);
  g_assert_cmpuint (f->stored->len, ==, 1);
  g_assert_cmpuint (f->n_events_before_stored, ==, 0);  /* before the request's own log line */
  g_assert_cmpuint (g_list_model_get_n_items (g_ptr_array_index (f->stored, 0)), ==, 2);

  file = stored_file (f, 0, 0);
  g_assert_cmpstr (ladle_stored_file_get_name (file), ==, "notes.txt");
  g_assert_cmpstr (ladle_stored_file_get_path (file), ==, notes_path);
  g_assert_cmpstr (ladle_stored_file_get_original_name (file), ==, "notes.txt");
  g_assert_cmpstr (ladle_stored_file_get_field (file), ==, "file");
  g_assert_cmpuint (ladle_stored_file_get_size (file), ==, 13);
  g_assert_cmpstr (ladle_stored_file_get_content_type (file), ==, "text/plain");
  g_assert_cmpint (ladle_stored_file_get_time (file), >=, before);
  g_assert_cmpint (ladle_stored_file_get_time (file), <=, g_get_real_time ());
  file = stored_file (f, 0, 1);
  g_assert_cmpstr (ladle_stored_file_get_name (file), ==, "dot.png");
  g_assert_cmpstr (ladle_stored_file_get_field (file), ==, "picture");
  g_assert_cmpuint (ladle_stored_file_get_size (file), ==, 4);
  g_assert_cmpstr (ladle_stored_file_get_content_type (file), ==, "image/png");
  g_assert_true (g_file_test (ladle_stored_file_get_path (file), G_FILE_TEST_IS_REGULAR));

  /* A failed upload stores nothing, and says nothing. */
  bad = ladle_test_fetch (f->session, "POST", f->url, "multipart/form-data; boundary=XYZ",
                          g_bytes_new_static ("just some bytes", 15), &status, NULL);
  g_assert_cmpuint (status, ==, 400);
  LADLE_TEST_WAIT_UNTIL (f->n_events == 2, 5000);
  g_assert_cmpuint (f->stored->len, ==, 1);

  /* Not logged: still reported, under the name the file really got. */
  ladle_server_set_log_requests (f->server, FALSE);
  answer = post_multipart (f, again, 1, &status);
  g_assert_cmpuint (status, ==, 200);
  LADLE_TEST_WAIT_UNTIL (f->stored->len == 2, 5000);
  file = stored_file (f, 1, 0);
  g_assert_cmpstr (ladle_stored_file_get_name (file), !=, "notes.txt");
  g_assert_cmpstr (ladle_stored_file_get_name (file), ==,
                   json_object_get_string_member (json_node_get_object (answer), "filename"));
  g_assert_cmpstr (ladle_stored_file_get_original_name (file), ==, "notes.txt");
  g_assert_cmpuint (ladle_stored_file_get_size (file), ==, 6);
  g_assert_cmpstr (ladle_stored_file_get_content_type (file), ==, "application/octet-stream");
}

static void
test_never_overwrites (Fixture       *f,
                       gconstpointer  data)
{
  const Part first[] = { { "file", "report.txt", "first", 5 } };
  const Part second[] = { { "file", "report.txt", "second", 6 } };
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;
  g_autofree char *one = NULL;
  g_autofree char *two = NULL;
  const char *second_name;
  guint status;
  gsize len;

  a = post_multipart (f, first, 1, &status);
  g_assert_cmpuint (status, ==, 200);
  b = post_multipart (f, second, 1, &status);
  g_assert_cmpuint (status, ==, 200);

  second_name = json_object_get_string_member (json_node_get_object (b), "filename");
  g_assert_cmpstr (second_name, !=, "report.txt");
  g_assert_true (g_str_has_prefix (second_name, "report"));
  g_assert_true (g_str_has_suffix (second_name, ".txt"));

  one = read_upload (f, "report.txt", &len);
  g_assert_cmpmem (one, len, "first", 5);
  two = read_upload (f, second_name, &len);
  g_assert_cmpmem (two, len, "second", 6);
}

static void
test_hostile_and_unicode_names (Fixture       *f,
                                gconstpointer  data)
{
  const struct { const char *sent; const char *stored; } cases[] = {
    { "../../etc/passwd", "passwd" },
    { "отчёт за май.txt", "отчёт за май.txt" },
    { "..", NULL },
    { "a\x01" "b\x7f" "c.txt", "abc.txt" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Part parts[] = { { "file", cases[i].sent, "x", 1 } };
      g_autoptr(JsonNode) answer = post_multipart (f, parts, 1, (guint[]) { 0 });
      const char *stored = json_object_get_string_member (json_node_get_object (answer),
                                                          "filename");
      g_autofree char *path = g_build_filename (f->uploads, stored, NULL);

      if (cases[i].stored != NULL)
        g_assert_cmpstr (stored, ==, cases[i].stored);
      g_assert_null (strchr (stored, '/'));
      g_assert_cmpstr (stored, !=, "..");
      g_assert_cmpstr (stored, !=, ".");
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    }

  g_assert_false (g_file_test ("/etc/passwd-ladle", G_FILE_TEST_EXISTS));
}

static void
test_malformed_body (Fixture       *f,
                     gconstpointer  data)
{
  static const char *bodies[] = {
    /* no closing boundary */
    "--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nabc",
    /* no boundary at all */
    "just some bytes",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GBytes) body = NULL;
      g_autoptr(JsonNode) answer = NULL;
      g_autofree char *listing = NULL;
      guint status;

      body = ladle_test_fetch (f->session, "POST", f->url, "multipart/form-data; boundary=XYZ",
                               g_bytes_new_static (bodies[i], strlen (bodies[i])), &status, NULL);
      g_assert_cmpuint (status, ==, 400);
      answer = parse_json (body);
      g_assert_nonnull (answer);
      g_assert_true (json_object_has_member (json_node_get_object (answer), "error"));
      listing = list_uploads (f);
      g_assert_cmpstr (listing, ==, "");
    }

  {
    g_autoptr(GBytes) body = NULL;
    guint status;

    body = ladle_test_fetch (f->session, "POST", f->url, "text/plain",
                             g_bytes_new_static ("x", 1), &status, NULL);
    g_assert_cmpuint (status, ==, 400);
  }
}

static void
raw_send (int         fd,
          const char *data,
          gsize       len)
{
  g_assert_cmpint (send (fd, data, len, MSG_NOSIGNAL), ==, (gssize) len);
}

static char *
raw_read_all (int fd)
{
  GString *buf = g_string_new (NULL);
  char chunk[4096];
  gssize n;

  while ((n = recv (fd, chunk, sizeof chunk, 0)) > 0)
    g_string_append_len (buf, chunk, n);
  return g_string_free (buf, FALSE);
}

static const char part_head[] =
  "--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
  "Content-Type: application/octet-stream\r\n\r\n";

/* The client goes away in the middle: nothing is left, not even a temporary file. */
static void
test_disconnect_mid_upload (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *head = g_strdup_printf ("POST /upload HTTP/1.1\r\nHost: x\r\n"
                                           "Content-Type: multipart/form-data; boundary=XYZ\r\n"
                                           "Content-Length: %d\r\n\r\n", 10 * 1024 * 1024);
  g_autofree char *filler = g_strnfill (64 * 1024, 'z');
  g_autofree char *listing = NULL;
  int fd = ladle_test_raw_connect (f->port);

  raw_send (fd, head, strlen (head));
  raw_send (fd, part_head, strlen (part_head));
  for (guint i = 0; i < 16; i++)
    raw_send (fd, filler, 64 * 1024);

  /* The temporary file exists while the upload runs. */
  LADLE_TEST_WAIT_UNTIL (({ g_autofree char *l = list_uploads (f); *l != '\0'; }), 5000);
  close (fd);

  LADLE_TEST_WAIT_UNTIL (({ g_autofree char *l = list_uploads (f); *l == '\0'; }), 5000);
  listing = list_uploads (f);
  g_assert_cmpstr (listing, ==, "");
}

static void
test_chunked_upload (Fixture       *f,
                     gconstpointer  data)
{
  static const char head[] = "POST /upload HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                             "Content-Type: multipart/form-data; boundary=XYZ\r\n"
                             "Transfer-Encoding: chunked\r\n\r\n";
  g_autoptr(GString) body = g_string_new (part_head);
  g_autofree char *response = NULL;
  g_autofree char *contents = NULL;
  gsize len, offset = 0;
  int fd = ladle_test_raw_connect (f->port);

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (body, 'a' + i % 26);
  g_string_append (body, "\r\n--XYZ--\r\n");

  raw_send (fd, head, strlen (head));
  while (offset < body->len)
    {
      gsize n = MIN (body->len - offset, 7000);
      g_autofree char *size = g_strdup_printf ("%zx\r\n", n);

      raw_send (fd, size, strlen (size));
      raw_send (fd, body->str + offset, n);
      raw_send (fd, "\r\n", 2);
      offset += n;
    }
  raw_send (fd, "0\r\n\r\n", 5);

  response = raw_read_all (fd);
  close (fd);
  g_assert_true (g_str_has_prefix (response, "HTTP/1.1 200"));
  g_assert_nonnull (strstr (response, "\"size\":100000"));

  contents = read_upload (f, "big.bin", &len);
  g_assert_cmpuint (len, ==, 100000);
  g_assert_cmpint (contents[99999], ==, 'a' + 99999 % 26);
}

/* With a limit of 64 KiB: refused with 413 before the body when the client sent Expect. */
static void
test_over_limit (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *head = g_strdup_printf ("POST /upload HTTP/1.1\r\nHost: x\r\n"
                                           "Content-Type: multipart/form-data; boundary=XYZ\r\n"
                                           "Expect: 100-continue\r\n"
                                           "Content-Length: %d\r\n\r\n", 1024 * 1024);
  g_autofree char *response = NULL;
  g_autofree char *listing = NULL;
  int fd = ladle_test_raw_connect (f->port);

  raw_send (fd, head, strlen (head));
  response = raw_read_all (fd);
  close (fd);
  g_assert_true (g_str_has_prefix (response, "HTTP/1.1 413"));
  g_assert_nonnull (strstr (response, "\"error\""));

  /* Chunked, so the size is only known as it arrives. */
  {
    static const char chunked_head[] = "POST /upload HTTP/1.1\r\nHost: x\r\n"
                                       "Content-Type: multipart/form-data; boundary=XYZ\r\n"
                                       "Transfer-Encoding: chunked\r\n\r\n";
    g_autofree char *filler = g_strnfill (8192, 'q');
    g_autofree char *reply = NULL;

    fd = ladle_test_raw_connect (f->port);
    raw_send (fd, chunked_head, strlen (chunked_head));
    {
      g_autofree char *size = g_strdup_printf ("%zx\r\n", strlen (part_head));

      raw_send (fd, size, strlen (size));
      raw_send (fd, part_head, strlen (part_head));
    }
    raw_send (fd, "\r\n", 2);
    for (guint i = 0; i < 16; i++)
      {
        raw_send (fd, "2000\r\n", 6);
        raw_send (fd, filler, 8192);
        raw_send (fd, "\r\n", 2);
      }
    raw_send (fd, "0\r\n\r\n", 5);
    reply = raw_read_all (fd);
    close (fd);
    g_assert_true (g_str_has_prefix (reply, "HTTP/1.1 413"));
  }

  listing = list_uploads (f);
  g_assert_cmpstr (listing, ==, "");
}

/* A full disk, simulated by a file size limit: 507, and nothing left behind. */
static void
test_disk_full (Fixture       *f,
                gconstpointer  data)
{
  struct rlimit saved, limited;
  g_autofree char *payload = g_strnfill (2 * 1024 * 1024, 'd');
  const Part parts[] = { { "file", "huge.bin", payload, 2 * 1024 * 1024 } };
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *listing = NULL;
  guint status;

  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  limited = saved;
  limited.rlim_cur = 512 * 1024;
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limited), ==, 0);

  answer = post_multipart (f, parts, 1, &status);

  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  g_assert_cmpuint (status, ==, 507);
  g_assert_true (json_object_has_member (json_node_get_object (answer), "error"));
  listing = list_uploads (f);
  g_assert_cmpstr (listing, ==, "");
}

/* Stopping the server while an upload runs removes its temporary file. */
static void
test_stop_mid_upload (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *head = g_strdup_printf ("POST /upload HTTP/1.1\r\nHost: x\r\n"
                                           "Content-Type: multipart/form-data; boundary=XYZ\r\n"
                                           "Content-Length: %d\r\n\r\n", 10 * 1024 * 1024);
  g_autofree char *filler = g_strnfill (64 * 1024, 'z');
  g_autofree char *listing = NULL;
  int fd = ladle_test_raw_connect (f->port);

  raw_send (fd, head, strlen (head));
  raw_send (fd, part_head, strlen (part_head));
  raw_send (fd, filler, 64 * 1024);
  LADLE_TEST_WAIT_UNTIL (({ g_autofree char *l = list_uploads (f); *l != '\0'; }), 5000);

  ladle_server_stop (f->server);
  listing = list_uploads (f);
  g_assert_cmpstr (listing, ==, "");
  close (fd);
}

static void
test_form_page (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  guint status;

  body = ladle_test_fetch (f->session, "GET", f->url, NULL, NULL, &status, &headers);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==, "text/html");
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                  "enctype=\"multipart/form-data\""));
}

/* A multipart body of @n file parts, all named "same.txt" */
static GBytes *
many_parts_body (guint n)
{
  GString *body = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (body, "--XYZ\r\nContent-Disposition: form-data; name=\"f\"; "
                                  "filename=\"same.txt\"\r\n\r\n%u\r\n", i);
  g_string_append (body, "--XYZ--\r\n");

  return g_string_free_to_bytes (body);
}

static guint
post_raw_multipart (Fixture *f,
                    GBytes  *body,
                    char   **out_answer)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", f->url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_set_request_body_from_bytes (msg, "multipart/form-data; boundary=XYZ", body);
  answer = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  if (out_answer != NULL)
    *out_answer = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
  return soup_message_get_status (msg);
}

/* 1 000 files of one name in one upload: each gets its own name, found without trying every
 * earlier one (quadratic before: 6 000 parts took 40 s). */
static void
test_many_files_one_name (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GBytes) body = many_parts_body (LADLE_UPLOAD_MAX_FILES);
  g_autofree char *answer = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *files;

  g_assert_cmpuint (post_raw_multipart (f, body, &answer), ==, 200);
  node = json_from_string (answer, NULL);
  files = json_object_get_array_member (json_node_get_object (node), "files");
  g_assert_cmpuint (json_array_get_length (files), ==, LADLE_UPLOAD_MAX_FILES);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (files, 0),
                                                  "filename"), ==, "same.txt");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (files, 999),
                                                  "filename"), ==, "same (999).txt");
  g_assert_cmpuint (ladle_test_count_entries (f->uploads), ==, LADLE_UPLOAD_MAX_FILES);
}

/* The names themselves: with hints, each commit costs two probes at most */
static void
test_name_hints (void)
{
  g_autofree char *dir = ladle_test_make_tmpdir ("ladle-hints-XXXXXX");
  g_autoptr(LadleNameHints) hints = ladle_name_hints_new ();

  for (guint i = 0; i < 500; i++)
    {
      g_autofree char *temp = g_build_filename (dir, ".temp", NULL);
      g_autofree char *final = NULL;
      g_autofree char *expected = i == 0 ? g_strdup ("a.txt") : g_strdup_printf ("a (%u).txt", i);
      g_autoptr(GError) error = NULL;

      g_assert_true (g_file_set_contents (temp, "x", 1, NULL));
      g_assert_true (ladle_filename_commit_hinted (dir, temp, "a.txt", hints, &final, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (final, ==, expected);
    }
  /* 1 for the first, then the name itself and the hinted suffix: 2 each */
  g_assert_cmpuint (ladle_name_hints_get_probes (hints), <=, 1 + 2 * 499);

  /* A hint that went stale (someone else took the name) costs a probe, never a file */
  {
    g_autofree char *taken = g_build_filename (dir, "a (500).txt", NULL);
    g_autofree char *temp = g_build_filename (dir, ".temp", NULL);
    g_autofree char *final = NULL;
    g_autofree char *kept = NULL;

    g_assert_true (g_file_set_contents (taken, "theirs", -1, NULL));
    g_assert_true (g_file_set_contents (temp, "ours", -1, NULL));
    g_assert_true (ladle_filename_commit_hinted (dir, temp, "a.txt", hints, &final, NULL));
    g_assert_cmpstr (final, ==, "a (501).txt");
    g_assert_true (g_file_get_contents (taken, &kept, NULL, NULL));
    g_assert_cmpstr (kept, ==, "theirs");
  }

  ladle_test_rm_rf (dir);
}

/* More file parts than an upload may carry: 413, and nothing stored */
static void
test_too_many_files (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GBytes) body = many_parts_body (LADLE_UPLOAD_MAX_FILES + 1);
  g_autofree char *answer = NULL;

  g_assert_cmpuint (post_raw_multipart (f, body, &answer), ==, 413);
  g_assert_nonnull (strstr (answer, "more than 1000 files"));
  g_assert_cmpuint (ladle_test_count_entries (f->uploads), ==, 0);
}

/* Files are moved to their names in a worker thread: while a slow folder (made slow here by a
 * test hook) holds one upload, the server answers others. */
static void
test_commit_off_server_thread (Fixture       *f,
                               gconstpointer  data)
{
  static const char body[] =
    "--XYZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"slow.txt\"\r\n\r\n"
    "slow\r\n--XYZ--\r\n";
  g_autofree char *head = g_strdup_printf ("POST /upload HTTP/1.1\r\nHost: a\r\n"
                                           "Content-Type: multipart/form-data; boundary=XYZ\r\n"
                                           "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n",
                                           sizeof body - 1);
  g_autofree char *answer = NULL;
  int upload, other;
  char byte;

  g_setenv ("LADLE_TEST_UPLOAD_COMMIT_DELAY_MS", "3000", TRUE);
  upload = ladle_test_raw_connect (f->port);
  raw_send (upload, head, strlen (head));
  raw_send (upload, body, sizeof body - 1);

  /* The upload is held in its worker… */
  {
    struct pollfd pfd = { upload, POLLIN, 0 };

    g_assert_cmpint (poll (&pfd, 1, 300), ==, 0);
  }

  /* …while another client is answered */
  other = ladle_test_raw_connect (f->port);
  raw_send (other, "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
            strlen ("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"));
  answer = raw_read_all (other);
  close (other);
  g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 200"));
  g_assert_cmpint (recv (upload, &byte, 1, MSG_DONTWAIT), <, 0);

  g_clear_pointer (&answer, g_free);
  shutdown (upload, SHUT_WR);
  answer = raw_read_all (upload);
  close (upload);
  g_unsetenv ("LADLE_TEST_UPLOAD_COMMIT_DELAY_MS");
  g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 200"));
  g_assert_nonnull (strstr (answer, "\"filename\":\"slow.txt\""));
}

/* Temporary files a killed server left are removed at the next start; a live server's stay. */
static void
test_sweep_leftovers (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dead = NULL;
  g_autofree char *live = NULL;
  g_autofree char *unrelated = g_build_filename (f->uploads, "report.part", NULL);
  GPid gone;
  int status;

  /* A process number that is surely gone: a child that exited */
  {
    const char *argv[] = { "/bin/true", NULL };

    g_assert_true (g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                  NULL, &gone, &error));
    g_assert_no_error (error);
    g_assert_cmpint (waitpid (gone, &status, 0), ==, gone);
  }
  dead = g_strdup_printf ("%s/.ladle-upload-%d-abcdef.part", f->uploads, (int) gone);
  live = g_strdup_printf ("%s/.ladle-upload-%d-ghijkl.part", f->uploads, (int) getppid ());
  g_assert_true (g_file_set_contents (dead, "partial", -1, NULL));
  g_assert_true (g_file_set_contents (live, "in flight", -1, NULL));
  g_assert_true (g_file_set_contents (unrelated, "mine", -1, NULL));

  ladle_server_stop (f->server);
  g_assert_true (ladle_server_start (f->server, &error));
  g_assert_no_error (error);

  g_assert_false (g_file_test (dead, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (live, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (unrelated, G_FILE_TEST_EXISTS));
  g_unlink (live);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  g_test_add ("/ladle/upload/single-file", Fixture, NULL,
              fixture_setup, test_single_file, fixture_teardown);
  g_test_add ("/ladle/upload/several-files-and-fields", Fixture, NULL,
              fixture_setup, test_several_files_and_fields, fixture_teardown);
  g_test_add ("/ladle/upload/files-stored", Fixture, NULL,
              fixture_setup, test_files_stored, fixture_teardown);
  g_test_add ("/ladle/upload/never-overwrites", Fixture, NULL,
              fixture_setup, test_never_overwrites, fixture_teardown);
  g_test_add ("/ladle/upload/hostile-and-unicode-names", Fixture, NULL,
              fixture_setup, test_hostile_and_unicode_names, fixture_teardown);
  g_test_add ("/ladle/upload/malformed-body", Fixture, NULL,
              fixture_setup, test_malformed_body, fixture_teardown);
  g_test_add ("/ladle/upload/disconnect-mid-upload", Fixture, NULL,
              fixture_setup, test_disconnect_mid_upload, fixture_teardown);
  g_test_add ("/ladle/upload/chunked", Fixture, NULL,
              fixture_setup, test_chunked_upload, fixture_teardown);
  g_test_add ("/ladle/upload/over-limit", Fixture, GUINT_TO_POINTER (64 * 1024),
              fixture_setup, test_over_limit, fixture_teardown);
  g_test_add ("/ladle/upload/disk-full", Fixture, NULL,
              fixture_setup, test_disk_full, fixture_teardown);
  g_test_add ("/ladle/upload/stop-mid-upload", Fixture, NULL,
              fixture_setup, test_stop_mid_upload, fixture_teardown);
  g_test_add ("/ladle/upload/many-files-one-name", Fixture, NULL,
              fixture_setup, test_many_files_one_name, fixture_teardown);
  g_test_add_func ("/ladle/upload/name-hints", test_name_hints);
  g_test_add ("/ladle/upload/too-many-files", Fixture, NULL,
              fixture_setup, test_too_many_files, fixture_teardown);
  g_test_add ("/ladle/upload/commit-off-server-thread", Fixture, NULL,
              fixture_setup, test_commit_off_server_thread, fixture_teardown);
  g_test_add ("/ladle/upload/sweep-leftovers", Fixture, NULL,
              fixture_setup, test_sweep_leftovers, fixture_teardown);
  g_test_add ("/ladle/upload/form-page", Fixture, NULL,
              fixture_setup, test_form_page, fixture_teardown);

  return ladle_test_run ();
}
