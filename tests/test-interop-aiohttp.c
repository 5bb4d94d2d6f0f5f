/* test-interop-aiohttp.c
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

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ladle-test-utils.h"

/* The tutorial's own aiohttp clients (tests/seed/, unmodified but for the URL), run with Debian's
 * python3-aiohttp against a real `ladle serve`. */


/* --- Shared helper (a copy of test-cli-serve.c's) ------------------------------------------ */


/* --- Fixture --------------------------------------------------------------------------------- */

typedef struct
{
  char  *tmpdir;
  char  *uploads;
  LadleTestServe  serve;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->tmpdir = ladle_test_make_tmpdir ("ladle-interop-aiohttp-XXXXXX");
  fixture->uploads = g_build_filename (fixture->tmpdir, "uploads", NULL);
  g_assert_cmpint (g_mkdir (fixture->uploads, 0755), ==, 0);
  ladle_test_serve_start (&fixture->serve, fixture->uploads, NULL, NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  ladle_test_serve_stop (&fixture->serve, SIGTERM);
  ladle_test_rm_rf (fixture->tmpdir);
  g_free (fixture->uploads);
  g_free (fixture->tmpdir);
}

static const char * const python_env[] = { "PYTHONIOENCODING", "utf-8",
                                            "PYTHONDONTWRITEBYTECODE", "1", NULL };

/* Runs @script (a path) with the URL of @path on the server, then @extra_arg if any; returns its
 * stdout and asserts it exited with 0. */
static char *
run_python (Fixture    *fixture,
            const char *script,
            const char *path,
            const char *extra_arg)
{
  g_autofree char *url = g_strconcat (fixture->serve.url, path, NULL);
  const char *argv[] = { ladle_test_get_python (), script, url, extra_arg, NULL };
  g_autofree char *err = NULL;
  char *out = NULL;
  int status;

  status = ladle_test_run_command (argv, python_env, &out, &err);
  if (status != 0 || err[0] != '\0')
    g_test_message ("%s: exit status %d, stderr:\n%s", script, status, err);
  g_assert_cmpint (status, ==, 0);
  return out;
}

static char *
run_seed (Fixture    *fixture,
          const char *name,
          const char *path)
{
  g_autofree char *script = g_build_filename (g_getenv ("LADLE_SEED_DIR"), name, NULL);

  g_assert_true (g_file_test (script, G_FILE_TEST_IS_REGULAR));
  return run_python (fixture, script, path, NULL);
}

/* The seed clients print "Статус: N" then "Тело ответа: BODY". */
static JsonObject *
parse_answer (const char *out,
              guint      *out_status)
{
  const char *status_prefix = "Статус: ";
  const char *body_prefix = "\nТело ответа: ";
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *body;

  g_assert_true (g_str_has_prefix (out, status_prefix));
  *out_status = (guint) g_ascii_strtoull (out + strlen (status_prefix), NULL, 10);
  body = strstr (out, body_prefix);
  g_assert_nonnull (body);
  json_parser_load_from_data (parser, body + strlen (body_prefix), -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* --- Tests ----------------------------------------------------------------------------------- */

static void
test_get (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *out = run_seed (fixture, "client_get.py", "/get");
  g_autofree char *url = g_strconcat (fixture->serve.url, "/get", NULL);
  g_autoptr(JsonObject) answer = NULL;
  guint status = 0;

  answer = parse_answer (out, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (answer, "url"), ==, url);
  g_assert_true (json_object_has_member (answer, "headers"));
}

static void
test_post (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *out = run_seed (fixture, "client_post.py", "/post");
  g_autoptr(JsonObject) answer = NULL;
  JsonObject *json;
  guint status = 0;

  answer = parse_answer (out, &status);
  g_assert_cmpuint (status, ==, 200);
  json = json_object_get_object_member (answer, "json");
  g_assert_nonnull (json);
  g_assert_cmpstr (json_object_get_string_member (json, "ключ"), ==, "значение");
}

static void
test_timeout (Fixture       *fixture,
              gconstpointer  data)
{
  gint64 start = g_get_monotonic_time ();
  g_autofree char *out = run_seed (fixture, "client_timeout.py", "/delay/5");
  double elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  /* The client's 2 s timeout fired, not the server's 5 s delay. */
  g_assert_cmpstr (out, ==, "Запрос превысил время ожидания\n");
  g_assert_cmpfloat (elapsed, >=, 1.7);
  g_assert_cmpfloat (elapsed, <, 4.0);
}

static void
test_websocket (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *out = run_seed (fixture, "client_ws.py", "/ws");

  g_assert_cmpstr (out, ==, "Message from server: Message received: Hello, server\n");
}

static void
test_upload_form_data (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *source =
    "import aiohttp, asyncio, sys\n"
    "\n"
    "async def upload(url, path):\n"
    "    form = aiohttp.FormData()\n"
    "    with open(path, 'rb') as f:\n"
    "        form.add_field('file', f, filename='отчёт.txt')\n"
    "        async with aiohttp.ClientSession() as session:\n"
    "            async with session.post(url, data=form) as response:\n"
    "                print(f'Статус: {response.status}')\n"
    "                print(f'Тело ответа: {await response.text()}')\n"
    "\n"
    "asyncio.run(upload(sys.argv[1], sys.argv[2]))\n";
  g_autofree char *script = g_build_filename (fixture->tmpdir, "upload.py", NULL);
  g_autofree char *file = g_build_filename (fixture->tmpdir, "payload.bin", NULL);
  g_autofree char *stored = g_build_filename (fixture->uploads, "отчёт.txt", NULL);
  g_autofree char *contents = g_strnfill (123457, 'q');
  g_autofree char *saved = NULL;
  g_autofree char *out = NULL;
  g_autoptr(JsonObject) answer = NULL;
  gsize saved_len = 0;
  guint status = 0;

  g_assert_true (g_file_set_contents (script, source, -1, NULL));
  g_assert_true (g_file_set_contents (file, contents, -1, NULL));

  out = run_python (fixture, script, "/upload", file);
  answer = parse_answer (out, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (answer, "filename"), ==, "отчёт.txt");
  g_assert_cmpint (json_object_get_int_member (answer, "size"), ==, 123457);

  g_assert_true (g_file_get_contents (stored, &saved, &saved_len, NULL));
  g_assert_cmpmem (saved, saved_len, contents, strlen (contents));
}

/* --- `ladle send` against the tutorial's aiohttp servers ------------------------------------- */

typedef struct
{
  GSubprocess  *proc;
  GAsyncResult *exited;
  char         *url;
} PyServer;

static guint
pick_free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* Starts the seed server @name in @cwd and waits until its port accepts connections. aiohttp
 * cannot report a port 0 it bound, so the port is picked here and handed over with --port. */
static void
py_server_start (PyServer   *server,
                 const char *name,
                 const char *cwd)
{
  g_autoptr(GSubprocessLauncher) launcher = ladle_test_new_launcher (G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                                                          python_env);
  g_autofree char *script = g_build_filename (g_getenv ("LADLE_SEED_DIR"), name, NULL);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *port_text = NULL;
  gint64 deadline = g_get_monotonic_time () + 10000 * 1000;
  guint port = pick_free_port ();

  memset (server, 0, sizeof *server);
  port_text = g_strdup_printf ("%u", port);
  g_subprocess_launcher_set_cwd (launcher, cwd);
  {
    const char *argv[] = { ladle_test_get_python (), script, "--port", port_text, NULL };

    server->proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
    g_assert_no_error (error);
  }
  g_subprocess_wait_async (server->proc, NULL, ladle_test_async_done, &server->exited);

  for (;;)
    {
      g_autoptr(GSocketConnection) connection = NULL;
      g_autoptr(GError) connect_error = NULL;

      connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL,
                                                    &connect_error);
      if (connection != NULL)
        break;
      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (server->exited != NULL)
        g_error ("%s exited before it listened on port %u", name, port);
      if (g_get_monotonic_time () > deadline)
        g_error ("%s did not listen on port %u in time: %s", name, port, connect_error->message);
      g_usleep (20 * 1000);
    }

  server->url = g_strdup_printf ("http://127.0.0.1:%u", port);
}

static void
py_server_stop (PyServer *server)
{
  g_subprocess_send_signal (server->proc, SIGTERM);
  LADLE_TEST_WAIT_UNTIL (server->exited != NULL, 10000);
  g_clear_object (&server->exited);
  g_clear_object (&server->proc);
  g_clear_pointer (&server->url, g_free);
}

static void
tmp_fixture_setup (Fixture       *fixture,
                   gconstpointer  data)
{
  fixture->tmpdir = ladle_test_make_tmpdir ("ladle-interop-aiohttp-XXXXXX");
}

static void
tmp_fixture_teardown (Fixture       *fixture,
                      gconstpointer  data)
{
  ladle_test_rm_rf (fixture->tmpdir);
  g_free (fixture->tmpdir);
}

static void
test_send_simple (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *url = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  PyServer server;

  py_server_start (&server, "server_simple.py", fixture->tmpdir);
  url = g_strconcat (server.url, "/", NULL);
  {
    const char *argv[] = { g_getenv ("LADLE_BIN"), "send", "-v", url, NULL };

    g_assert_cmpint (ladle_test_run_command (argv, NULL, &out, &err), ==, 0);
  }
  g_assert_cmpstr (out, ==, "Hello, World!");
  g_assert_true (g_str_has_prefix (err, "HTTP/1.1 200 OK\n"));
  g_assert_nonnull (strstr (err, "\nContent-Type: text/plain; charset=utf-8\n"));
  py_server_stop (&server);
}

static void
test_send_upload (Fixture       *fixture,
                  gconstpointer  data)
{
  const gsize size = 300 * 1024 + 7;
  const char *boundary_like = "\r\n--------LadleBoundary0123\r\n";
  g_autofree char *folder = g_build_filename (fixture->tmpdir, "from", NULL);
  g_autofree char *file = g_build_filename (folder, "отчёт.txt", NULL);
  g_autofree char *stored = g_build_filename (fixture->tmpdir, "uploads", "отчёт.txt", NULL);
  g_autofree char *file_arg = g_strconcat ("file=", file, NULL);
  g_autofree char *contents = g_malloc (size);
  g_autofree char *url = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *saved = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *answer;
  gsize saved_len = 0;
  PyServer server;

  /* Every byte value, CR LF and a would-be boundary included. */
  for (gsize i = 0; i < size; i++)
    contents[i] = (char) (i % 251);
  memcpy (contents + 1000, boundary_like, strlen (boundary_like));
  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  g_assert_true (g_file_set_contents (file, contents, size, NULL));

  py_server_start (&server, "server_files.py", fixture->tmpdir);
  url = g_strconcat (server.url, "/upload", NULL);
  {
    const char *argv[] = { g_getenv ("LADLE_BIN"), "send", "--file", file_arg, url, NULL };

    g_assert_cmpint (ladle_test_run_command (argv, NULL, &out, &err), ==, 0);
  }
  g_assert_cmpstr (err, ==, "");

  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  answer = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (answer, "filename"), ==, "отчёт.txt");
  g_assert_cmpint (json_object_get_int_member (answer, "size"), ==, size);

  g_assert_true (g_file_get_contents (stored, &saved, &saved_len, NULL));
  g_assert_cmpmem (saved, saved_len, contents, size);
  py_server_stop (&server);
}

static void
test_missing (gconstpointer data)
{
  g_test_skip (data);
}

int
main (int   argc,
      char *argv[])
{
  const char *check[] = { ladle_test_get_python (), "-c", "import aiohttp", NULL };
  g_autoptr(GError) error = NULL;
  int status = -1;

  ladle_test_init (&argc, &argv);

  if (g_getenv ("LADLE_BIN") == NULL || g_getenv ("LADLE_SEED_DIR") == NULL)
    g_error ("LADLE_BIN and LADLE_SEED_DIR must be set (meson test sets them)");

  /* Without python3-aiohttp there is nothing to run against. */
  if (!g_spawn_sync (NULL, (char **) check, NULL,
                     G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                     NULL, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, NULL))
    {
      g_test_add_data_func ("/ladle/interop-aiohttp/missing",
                            "Debian’s python3 cannot import aiohttp (install python3-aiohttp)",
                            test_missing);
      return ladle_test_run ();
    }

#define ADD(path, func) \
  g_test_add ("/ladle/interop-aiohttp/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("get", test_get);
  ADD ("post-json", test_post);
  ADD ("timeout", test_timeout);
  ADD ("websocket", test_websocket);
  ADD ("upload-form-data", test_upload_form_data);

#undef ADD

#define ADD_TMP(path, func) \
  g_test_add ("/ladle/interop-aiohttp/" path, Fixture, NULL, tmp_fixture_setup, func, \
              tmp_fixture_teardown)

  ADD_TMP ("send-simple-server", test_send_simple);
  ADD_TMP ("send-upload-server", test_send_upload);

#undef ADD_TMP

  return ladle_test_run ();
}
