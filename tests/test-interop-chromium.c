/* test-interop-chromium.c
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
#include <sys/prctl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ladle-test-utils.h"

/* A real browser against a real `ladle serve`: headless Chromium (Debian's chromium) loads
 * tests/data/ws-page.html from the server itself (a mock route, so the page's origin is the
 * server), whose JavaScript WebSocket sends a text, a binary and a 1 MiB message, checks the
 * replies, closes with 4000 and writes a RESULT line into the title; the test reads it from
 * the DOM Chromium dumps, and the 101 from the server's access log. */

#define CHROMIUM        "/usr/bin/chromium"
#define BROWSER_TIMEOUT 25   /* seconds, real time */

/* The page keeps a fetch of this route pending while it works; see ws-page.html. */
static const char routes_template[] =
  "{\n"
  "  \"version\": 1,\n"
  "  \"routes\": [\n"
  "    {\n"
  "      \"method\": \"GET\",\n"
  "      \"path\": \"/pages/ws-test.html\",\n"
  "      \"content_type\": \"text/html; charset=utf-8\",\n"
  "      \"body_file\": \"%s\"\n"
  "    },\n"
  "    {\n"
  "      \"method\": \"GET\",\n"
  "      \"path\": \"/pages/hold\",\n"
  "      \"headers\": { \"Cache-Control\": \"no-store\" },\n"
  "      \"body\": \"\",\n"
  "      \"delay\": 0.2\n"
  "    }\n"
  "  ]\n"
  "}\n";

/* --- Fixture --------------------------------------------------------------------------------- */

typedef struct
{
  char           *tmpdir;
  char           *uploads;
  LadleTestServe  serve;
  gboolean        serving;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *page = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *routes = NULL;
  g_autofree char *routes_path = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_file_test (CHROMIUM, G_FILE_TEST_IS_EXECUTABLE))
    return;

  fixture->tmpdir = ladle_test_make_tmpdir ("ladle-interop-chromium-XXXXXX");
  fixture->uploads = g_build_filename (fixture->tmpdir, "uploads", NULL);
  g_assert_cmpint (g_mkdir (fixture->uploads, 0755), ==, 0);

  page = g_test_build_filename (G_TEST_DIST, "data", "ws-page.html", NULL);
  g_assert_true (g_file_test (page, G_FILE_TEST_IS_REGULAR));
  escaped = g_strescape (page, NULL);
  routes = g_strdup_printf (routes_template, escaped);
  routes_path = g_build_filename (fixture->tmpdir, "routes.json", NULL);
  g_file_set_contents (routes_path, routes, -1, &error);
  g_assert_no_error (error);

  /* The page stays in the source tree, outside the routes file's folder. */
  ladle_test_serve_start (&fixture->serve, fixture->uploads,
                          (const char * const[]) { "--routes", routes_path,
                                                   "--allow-any-body-file", NULL }, NULL);
  fixture->serving = TRUE;
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->serving)
    ladle_test_serve_stop (&fixture->serve, SIGTERM);
  if (fixture->tmpdir != NULL)
    ladle_test_rm_rf (fixture->tmpdir);
  g_free (fixture->uploads);
  g_free (fixture->tmpdir);
}

/* --- Helpers --------------------------------------------------------------------------------- */

static gboolean
skip_without_chromium (void)
{
  if (g_file_test (CHROMIUM, G_FILE_TEST_IS_EXECUTABLE))
    return FALSE;

  g_test_skip (CHROMIUM " is not installed (Debian's chromium; tools/deps.sh test installs it)");
  return TRUE;
}

static void
browser_child_setup (gpointer data)
{
  /* Its own process group, so that a timeout kills the renderers too; and it dies with the
   * test (as ladle_test_new_launcher()'s children do). */
  setpgid (0, 0);
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static gboolean
set_flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Loads @url in headless Chromium and returns the DOM it dumps. The browser is bounded in real
 * time: after BROWSER_TIMEOUT seconds its process group is killed and the test fails. */
static char *
dump_dom (Fixture    *fixture,
          const char *url)
{
  g_autofree char *profile = g_build_filename (fixture->tmpdir, "profile", NULL);
  g_autofree char *home = g_build_filename (fixture->tmpdir, "home", NULL);
  g_autofree char *config = g_build_filename (home, ".config", NULL);
  g_autofree char *cache = g_build_filename (home, ".cache", NULL);
  g_autofree char *user_data_dir = g_strconcat ("--user-data-dir=", profile, NULL);
  /* Without the background-networking flags Chromium tries to reach Google's services. */
  const char *argv[] = {
    CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--no-default-browser-check",
    user_data_dir, "--virtual-time-budget=10000", "--dump-dom", url, NULL
  };
  /* Keep Chromium's files (NSS database, crash reports) in the temporary folder, and keep it
   * off the session bus. Chromium uses GIO too: with G_DEBUG=fatal-warnings and the empty
   * XDG_DATA_DIRS of G_TEST_OPTION_ISOLATE_DIRS, a GSettings critical (no schemas) kills it
   * with SIGTRAP at start. */
  const char *env[] = {
    "HOME", home, "XDG_CONFIG_HOME", config, "XDG_CACHE_HOME", cache,
    "XDG_DATA_DIRS", "/usr/local/share:/usr/share", "XDG_CONFIG_DIRS", "/etc/xdg",
    "G_DEBUG", NULL, "DBUS_SESSION_BUS_ADDRESS", "disabled:", NULL
  };
  g_autoptr(GSubprocessLauncher) launcher =
    ladle_test_new_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, env);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;
  gboolean timed_out = FALSE;
  guint timeout_id;

  g_assert_cmpint (g_mkdir_with_parents (config, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (cache, 0700), ==, 0);

  g_subprocess_launcher_set_child_setup (launcher, browser_child_setup, NULL, NULL);
  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (proc, NULL, cancellable, ladle_test_async_done, &result);

  timeout_id = g_timeout_add_seconds (BROWSER_TIMEOUT, set_flag_cb, &timed_out);
  while (result == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    {
      g_test_message ("chromium did not finish within %d s: killed", BROWSER_TIMEOUT);
      kill (-(pid_t) g_ascii_strtoll (g_subprocess_get_identifier (proc), NULL, 10), SIGKILL);
      g_cancellable_cancel (cancellable);
      LADLE_TEST_WAIT_UNTIL (result != NULL, 10000);
    }
  else
    {
      g_source_remove (timeout_id);
    }

  g_subprocess_communicate_utf8_finish (proc, result, &out, &err, &error);
  if (timed_out)
    {
      g_test_fail ();
      return NULL;
    }
  g_assert_no_error (error);
  g_clear_object (&result);
  g_subprocess_wait_async (proc, NULL, ladle_test_async_done, &result);
  LADLE_TEST_WAIT_UNTIL (result != NULL, 10000);
  g_subprocess_wait_finish (proc, result, &error);
  g_assert_no_error (error);

  if (!g_subprocess_get_if_exited (proc) || g_subprocess_get_exit_status (proc) != 0)
    {
      g_test_message ("chromium failed (wait status %d); stderr:\n%s",
                      g_subprocess_get_status (proc), err);
      g_test_fail ();
      return NULL;
    }

  return g_steal_pointer (&out);
}

/* The text between @open and @close in @dom, or NULL. */
static char *
element_text (const char *dom,
              const char *open,
              const char *close)
{
  const char *start = strstr (dom, open);
  const char *end;

  if (start == NULL)
    return NULL;
  start += strlen (open);
  end = strstr (start, close);
  if (end == NULL)
    return NULL;
  return g_strndup (start, end - start);
}

/* Reads the server's access log until the line of the upgrade to @path shows up (its request
 * line comes before the page's own end). */
static void
assert_upgrade_logged (Fixture    *fixture,
                       const char *path)
{
  g_autofree char *needle = g_strdup_printf (" GET %s 101 ", path);

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *line = ladle_test_read_line (fixture->serve.out);

      g_assert_nonnull (line);
      g_test_message ("access log: %s", line);
      if (strstr (line, needle) != NULL)
        return;
    }

  g_error ("the access log never showed “%s”", needle);
}

static void
run_page (Fixture    *fixture,
          const char *ws_path,
          const char *expected)
{
  g_autofree char *url = NULL;
  g_autofree char *dom = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  gint64 start = g_get_monotonic_time ();

  url = g_strdup_printf ("%s/pages/ws-test.html?path=%s", fixture->serve.url, ws_path);
  dom = dump_dom (fixture, url);
  if (dom == NULL)
    return;
  g_test_message ("chromium took %.2f s", (g_get_monotonic_time () - start) / 1e6);

  title = element_text (dom, "<title>", "</title>");
  body = element_text (dom, "<pre id=\"result\">", "</pre>");
  if (title == NULL || g_strcmp0 (title, expected) != 0)
    g_test_message ("dumped DOM (%zu bytes):\n%.2000s", strlen (dom), dom);
  g_assert_cmpstr (title, ==, expected);
  g_assert_cmpstr (body, ==, expected);

  assert_upgrade_logged (fixture, ws_path);
}

/* --- Tests ----------------------------------------------------------------------------------- */

static void
test_seed_words (Fixture       *fixture,
                 gconstpointer  data)
{
  if (skip_without_chromium ())
    return;

  run_page (fixture, "/ws",
            "RESULT:ok text=Message received: Hello, server binary=3 bytes "
            "large=1048576+18 close=4000");
}

static void
test_echo (Fixture       *fixture,
           gconstpointer  data)
{
  if (skip_without_chromium ())
    return;

  run_page (fixture, "/websocket/echo",
            "RESULT:ok text=Hello, server binary=3 bytes large=1048576+0 close=4000");
}

int
main (int    argc,
      char **argv)
{
  ladle_test_init (&argc, &argv);

  g_test_add ("/ladle/interop-chromium/ws", Fixture, NULL,
              fixture_setup, test_seed_words, fixture_teardown);
  g_test_add ("/ladle/interop-chromium/websocket-echo", Fixture, NULL,
              fixture_setup, test_echo, fixture_teardown);

  return ladle_test_run ();
}
