/* test-http-runner.c
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

#include <json-glib/json-glib.h>

#include "ladle-error.h"
#include "ladle-http-runner.h"
#include "ladle-server.h"
#include "ladle-test-utils.h"

/* LadleHttpRunner against an in-process LadleServer on 127.0.0.1, port 0: the `.http` files are
 * written into a temporary folder whose http-client.env.json gives {{host}} the server's address
 * (environment "local"). The server logs what reaches it, so a test can tell what was sent and
 * in which order; the runner's signals are followed for every run (see Run). */

typedef struct
{
  char            *tmpdir;
  char            *url;        /* http://127.0.0.1:PORT */
  LadleServer     *server;
  GPtrArray       *log;        /* "METHOD PATH STATUS", in the order the server logged them */
  GArray          *spans;      /* gint64 pairs: server-side start and end of each request, µs */
  LadleHttpClient *client;
} Fixture;

static void
on_request_logged (LadleServer      *server,
                   LadleServerEvent *event,
                   gpointer          user_data)
{
  Fixture *fixture = user_data;
  gint64 span[2];

  if (ladle_server_event_get_method (event) == NULL)
    return;

  g_ptr_array_add (fixture->log, g_strdup_printf ("%s %s %u",
                                                  ladle_server_event_get_method (event),
                                                  ladle_server_event_get_path (event),
                                                  ladle_server_event_get_status (event)));
  span[0] = ladle_server_event_get_time (event);
  span[1] = span[0] + ladle_server_event_get_duration (event);
  g_array_append_vals (fixture->spans, span, 2);
}

static void
write_file (Fixture    *fixture,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (fixture->tmpdir, name, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

/* Writes @text as @name in the fixture's folder and parses it from there. */
static LadleHttpFile *
load (Fixture    *fixture,
      const char *name,
      const char *text)
{
  g_autofree char *path = g_build_filename (fixture->tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;
  LadleHttpFile *file;

  write_file (fixture, name, text);
  file = ladle_http_file_load (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (file);
  return file;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *env = NULL;
  g_autofree char *uploads = NULL;

  fixture->tmpdir = ladle_test_make_tmpdir ("ladle-http-runner-XXXXXX");
  fixture->log = g_ptr_array_new_with_free_func (g_free);
  fixture->spans = g_array_new (FALSE, FALSE, sizeof (gint64));
  fixture->server = ladle_server_new ();
  ladle_server_set_port (fixture->server, 0);
  uploads = g_build_filename (fixture->tmpdir, "uploads", NULL);
  ladle_server_set_uploads_dir (fixture->server, uploads);
  ladle_server_set_log_requests (fixture->server, TRUE);
  g_signal_connect (fixture->server, "request-logged", G_CALLBACK (on_request_logged), fixture);
  g_assert_true (ladle_server_start (fixture->server, &error));
  g_assert_no_error (error);
  fixture->url = g_strdup_printf ("http://127.0.0.1:%u",
                                  ladle_server_get_bound_port (fixture->server));
  fixture->client = ladle_http_client_new ();

  env = g_strdup_printf ("{\n  \"local\": {\"host\": \"%s\"},\n"
                         "  \"other\": {\"host\": \"%s/anything/other\"},\n"
                         "  \"$shared\": {\"greeting\": \"привет\"}\n}\n",
                         fixture->url, fixture->url);
  write_file (fixture, "http-client.env.json", env);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->client);
  ladle_server_stop (fixture->server);
  g_clear_object (&fixture->server);
  ladle_test_rm_rf (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->url);
  g_ptr_array_unref (fixture->log);
  g_array_unref (fixture->spans);
}

static LadleHttpRunner *
new_runner (Fixture    *fixture,
            const char *env)
{
  return ladle_http_runner_new (fixture->client, fixture->tmpdir, env);
}

/* How many logged requests start with @prefix ("GET /json"). */
static guint
log_count (Fixture    *fixture,
           const char *prefix)
{
  guint n = 0;

  for (guint i = 0; i < fixture->log->len; i++)
    n += g_str_has_prefix (g_ptr_array_index (fixture->log, i), prefix);
  return n;
}

/* The position of the first logged request starting with @prefix, or -1. */
static int
log_index (Fixture    *fixture,
           const char *prefix)
{
  for (guint i = 0; i < fixture->log->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (fixture->log, i), prefix))
      return i;
  return -1;
}

static void
dump_log (Fixture *fixture)
{
  for (guint i = 0; i < fixture->log->len; i++)
    g_test_message ("server: %s", (const char *) g_ptr_array_index (fixture->log, i));
}

/* A run, followed through the runner's signals; checks that each item starts at most once,
 * before it finishes, and finishes exactly once, with its final status. */
typedef struct
{
  LadleHttpRunner *runner;
  GHashTable      *started;       /* LadleRunItem → number of "item-started" */
  GHashTable      *finished;      /* LadleRunItem → number of "item-finished" */
  GHashTable      *final_status;  /* LadleRunItem → status at "item-finished" */
  GPtrArray       *events;        /* "started TITLE", "finished TITLE STATUS" */
  guint            running;
  guint            max_running;
  gboolean         done;
  gboolean         ok;
  GError          *error;
  LadleRunSummary  summary;
  gint64           finished_at;   /* monotonic, µs */
} Run;

static const char *
status_nick (LadleRunStatus status)
{
  GEnumClass *klass = g_type_class_ref (LADLE_TYPE_RUN_STATUS);
  GEnumValue *value = g_enum_get_value (klass, status);

  g_type_class_unref (klass);
  g_assert_nonnull (value);
  return value->value_nick;
}

static void
item_started_cb (LadleHttpRunner *runner,
                 LadleRunItem    *item,
                 gpointer         user_data)
{
  Run *run = user_data;
  guint started = GPOINTER_TO_UINT (g_hash_table_lookup (run->started, item));

  g_assert_true (runner == run->runner);
  g_assert_cmpint (ladle_run_item_get_status (item), ==, LADLE_RUN_RUNNING);
  g_assert_cmpuint (started, ==, 0);
  g_assert_false (g_hash_table_contains (run->finished, item));
  g_hash_table_insert (run->started, g_object_ref (item), GUINT_TO_POINTER (started + 1));
  g_ptr_array_add (run->events, g_strdup_printf ("started %s", ladle_run_item_get_title (item)));
  run->running++;
  run->max_running = MAX (run->max_running, run->running);
}

static void
item_finished_cb (LadleHttpRunner *runner,
                  LadleRunItem    *item,
                  gpointer         user_data)
{
  Run *run = user_data;
  LadleRunStatus status = ladle_run_item_get_status (item);

  g_assert_true (runner == run->runner);
  g_assert_cmpint (status, !=, LADLE_RUN_PENDING);
  g_assert_cmpint (status, !=, LADLE_RUN_RUNNING);
  g_assert_false (g_hash_table_contains (run->finished, item));
  g_hash_table_insert (run->finished, g_object_ref (item), GUINT_TO_POINTER (1));
  g_hash_table_insert (run->final_status, g_object_ref (item), GINT_TO_POINTER (status));
  g_ptr_array_add (run->events, g_strdup_printf ("finished %s %s", ladle_run_item_get_title (item),
                                                 status_nick (status)));
  if (g_hash_table_contains (run->started, item))
    {
      g_assert_cmpuint (run->running, >, 0);
      run->running--;
    }
}

static void
run_init (Run             *run,
          LadleHttpRunner *runner)
{
  memset (run, 0, sizeof *run);
  run->runner = runner;
  run->started = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  run->finished = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  run->final_status = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  run->events = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (runner, "item-started", G_CALLBACK (item_started_cb), run);
  g_signal_connect (runner, "item-finished", G_CALLBACK (item_finished_cb), run);
}

static void
run_clear (Run *run)
{
  g_signal_handlers_disconnect_by_data (run->runner, run);
  g_hash_table_unref (run->started);
  g_hash_table_unref (run->finished);
  g_hash_table_unref (run->final_status);
  g_ptr_array_unref (run->events);
  g_clear_error (&run->error);
}

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Run *run = user_data;

  g_assert_false (run->done);
  run->ok = ladle_http_runner_run_finish (LADLE_HTTP_RUNNER (source), result, &run->summary,
                                          &run->error);
  run->finished_at = g_get_monotonic_time ();
  run->done = TRUE;
}

static void
run_start (Run          *run,
           GCancellable *cancellable)
{
  ladle_http_runner_run_async (run->runner, cancellable, run_done_cb, run);
}

/* Waits for the run's end (asserting on @timeout_ms), then checks what the signals said against
 * the items and the summary. */
static void
run_wait (Run   *run,
          guint  timeout_ms)
{
  GListModel *items = ladle_http_runner_get_items (run->runner);
  guint n = g_list_model_get_n_items (items);
  guint counts[LADLE_RUN_SKIPPED + 1] = { 0 };

  LADLE_TEST_WAIT_UNTIL (run->done, timeout_ms);

  for (guint i = 0; i < run->events->len; i++)
    g_test_message ("runner: %s", (const char *) g_ptr_array_index (run->events, i));

  g_assert_cmpuint (run->running, ==, 0);
  g_assert_cmpuint (g_hash_table_size (run->finished), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LadleRunItem) item = g_list_model_get_item (items, i);
      LadleRunStatus status = ladle_run_item_get_status (item);

      g_assert_true (g_hash_table_contains (run->finished, item));
      g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (run->final_status, item)), ==,
                       status);
      counts[status]++;
      /* What was sent started; what was never built did not (skipped, blocked). */
      if (ladle_run_item_get_started (item) != 0)
        g_assert_true (g_hash_table_contains (run->started, item));
    }

  g_assert_cmpuint (run->summary.total, ==, n);
  g_assert_cmpuint (run->summary.passed, ==, counts[LADLE_RUN_PASSED]);
  g_assert_cmpuint (run->summary.failed, ==, counts[LADLE_RUN_FAILED]);
  g_assert_cmpuint (run->summary.errors, ==, counts[LADLE_RUN_ERROR]);
  g_assert_cmpuint (run->summary.skipped, ==, counts[LADLE_RUN_SKIPPED]);
  g_assert_cmpuint (counts[LADLE_RUN_PENDING], ==, 0);
  g_assert_cmpuint (counts[LADLE_RUN_RUNNING], ==, 0);
}

/* Runs to the end, without a cancellable; asserts that the run itself succeeded. */
static void
run_to_end (Run   *run,
            guint  timeout_ms)
{
  run_start (run, NULL);
  run_wait (run, timeout_ms);
  g_assert_no_error (run->error);
  g_assert_true (run->ok);
}

static LadleRunItem *
item_at (LadleHttpRunner *runner,
         guint            position)
{
  LadleRunItem *item = g_list_model_get_item (ladle_http_runner_get_items (runner), position);

  g_assert_nonnull (item);
  return item;
}

/* The item titled @title (borrowed: the runner keeps it). */
static LadleRunItem *
item_titled (LadleHttpRunner *runner,
             const char      *title)
{
  GListModel *items = ladle_http_runner_get_items (runner);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(LadleRunItem) item = g_list_model_get_item (items, i);

      if (g_strcmp0 (ladle_run_item_get_title (item), title) == 0)
        return item;
    }

  g_error ("no item titled “%s”", title);
  return NULL;
}

static void
assert_titles (LadleHttpRunner *runner,
               const char      *first,
               ...)
{
  GListModel *items = ladle_http_runner_get_items (runner);
  va_list args;
  guint i = 0;

  va_start (args, first);
  for (const char *title = first; title != NULL; title = va_arg (args, const char *), i++)
    {
      g_autoptr(LadleRunItem) item = NULL;

      g_assert_cmpuint (i, <, g_list_model_get_n_items (items));
      item = g_list_model_get_item (items, i);
      g_assert_cmpstr (ladle_run_item_get_title (item), ==, title);
    }
  va_end (args);
  g_assert_cmpuint (i, ==, g_list_model_get_n_items (items));
}

/* Order and dependencies */

static const char used_before[] =
  "### uses\n"
  "GET {{host}}/anything/uses?title={{login.slideshow.title}}\n"
  "\n"
  "?? body args.title == Sample Slide Show\n"
  "\n"
  "### plain\n"
  "GET {{host}}/anything/plain\n"
  "\n"
  "### login\n"
  "# @name login\n"
  "GET {{host}}/json\n";

static void
test_dependency_first (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(LadleHttpFile) file = load (fixture, "api.http", used_before);
  g_autoptr(LadleHttpRunner) runner = new_runner (fixture, "local");
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_url = NULL;
  Run run;

  g_assert_true (ladle_http_runner_add_file (runner, file, NULL, &error));
  g_assert_no_error (error);
  assert_titles (runner, "uses", "plain", "login", NULL);

  run_init (&run, runner);
  run_to_end (&run, 10000);
  LADLE_TEST_WAIT_UNTIL (fixture->log->len >= 3, 5000);
  dump_log (fixture);

  /* login, which "uses" needs, goes first and once; the rest in file order */
  g_assert_cmpuint (fixture->log->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (fixture->log, 0), ==, "GET /json 200");
  g_assert_cmpstr (g_ptr_array_index (fixture->log, 1), ==,
                   "GET /anything/uses?title=Sample%20Slide%20Show 200");
  g_assert_cmpstr (g_ptr_array_index (fixture->log, 2), ==, "GET /anything/plain 200");

  /* The model keeps the file's order */
  assert_titles (runner, "uses", "plain", "login", NULL);
  g_assert_cmpuint (run.summary.passed, ==, 3);
  g_assert_cmpuint (run.summary.assertions_passed, ==, 1);
  g_assert_cmpint (ladle_run_item_get_status (item_titled (runner, "uses")), ==, LADLE_RUN_PASSED);
  expected_url = g_strdup_printf ("%s/anything/uses?title=Sample Slide Show", fixture->url);
  g_assert_cmpstr (ladle_request_get_url (ladle_run_item_get_request (item_titled (runner, "uses"))),
                   ==, expected_url);
  run_clear (&run);
}

static const char used_thrice[] =
  "### one\n"
  "GET {{host}}/anything/one?t={{login.slideshow.title}}\n"
  "\n"
  "### two\n"
  "GET {{host}}/anything/two?a={{login.slideshow.author}}\n"
  "\n"
  "### login\n"
  "# @name login\n"
  "GET {{host}}/json\n"
  "\n"
  "### three\n"
  "GET {{host}}/anything/three?d={{login.slideshow.date}}&t={{login.slideshow.title}}\n";

static void
test_dependency_once (Fixture       *fixture,
                      gconstpointer  data)
{
  /* One at a time, then four at a time: the three that use login wait for the one send. */
  for (guint parallel = 1; parallel <= 4; parallel += 3)
    {
      g_autoptr(LadleHttpFile) file = load (fixture, "api.http", used_thrice);
      g_autoptr(LadleHttpRunner) runner = new_runner (fixture, "local");
      g_autoptr(GError) error = NULL;
      Run run;
      int login;

      g_ptr_array_set_size (fixture->log, 0);
      ladle_http_runner_set_parallel (runner, parallel);
      g_assert_true (ladle_http_runner_add_file (runner, file, NULL, &error));
      run_init (&run, runner);
      run_to_end (&run, 10000);
      LADLE_TEST_WAIT_UNTIL (fixture->log->len >= 4, 5000);
      dump_log (fixture);

      g_assert_cmpuint (fixture->log->len, ==, 4);
      g_assert_cmpuint (log_count (fixture, "GET /json "), ==, 1);
      login = log_index (fixture, "GET /json ");
      g_assert_cmpint (login, ==, 0);
      g_assert_cmpint (log_index (fixture, "GET /anything/one?t=Sample"), >, login);
      g_assert_cmpint (log_index (fixture, "GET /anything/two?a=Yours"), >, login);
      g_assert_cmpint (log_index (fixture, "GET /anything/three?d=date"), >, login);
      g_assert_cmpuint (run.summary.passed, ==, 4);
      g_assert_cmpuint (run.max_running, <=, parallel);
      assert_titles (runner, "one", "two", "login", "three", NULL);
      run_clear (&run);
    }
}

static void
test_dependency_not_selected (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(LadleHttpFile) file = load (fixture, "api.http", used_before);
  g_autoptr(LadleHttpRunner) runner = new_runner (fixture, "local");
  g_autoptr(GError) error = NULL;
  Run run;

  /* Only "uses" is selected; login joins the run, just before it, and goes first. */
  g_assert_true (ladle_http_runner_add_file (runner, file, "uses", &error));
  g_assert_no_error (error);
  assert_titles (runner, "uses", NULL);

  run_init (&run, runner);
  run_to_end (&run, 10000);
  LADLE_TEST_WAIT_UNTIL (fixture->log->len >= 2, 5000);
  dump_log (fixture);

  assert_titles (runner, "login", "uses", NULL);
  g_assert_cmpuint (fixture->log->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (fixture->log, 0), ==, "GET /json 200");
  g_assert_true (g_str_has_prefix (g_ptr_array_index (fixture->log, 1), "GET /anything/uses?"));
  g_assert_cmpuint (run.summary.total, ==, 2);
  g_assert_cmpuint (run.summary.passed, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (run.events, 0), ==, "started login");

  /* A name that is not in the file */
  g_assert_false (ladle_http_runner_add_file (runner, file, "nobody", &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "nobody"));
  g_assert_nonnull (strstr (error->message, "api.http"));
  run_clear (&run);
}

static const char chain[] =
  "### a\n"
  "GET {{host}}/anything/a?b={{b.args.c}}\n"
  "\n"
  "?? body args.b == Sample Slide Show\n"
  "\n"
  "### b\n"
  "GET {{host}}/anything/b?c={{c.slideshow.title}}\n"
  "\n"
  "### c\n"
  "GET {{host}}/json\n";

static void
test_dependency_chain (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(LadleHttpFile) file = load (fixture, "chain.http", chain);
  g_autoptr(LadleHttpRunner) runner = new_runner (fixture, "local");
  g_autoptr(GError) error = NULL;
  Run run;

  g_assert_true (ladle_http_runner_add_file (runner, file, "a", &error));
  run_init (&run, runner);
  run_to_end (&run, 10000);
  LADLE_TEST_WAIT_UNTIL (fixture->log->len >= 3, 5000);
  dump_log (fixture);

  g_assert_cmpuint (fixture->log->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (fixture->log, 0), ==, "GET /json 200");
  g_assert_cmpstr (g_ptr_array_index (fixture->log, 1), ==,
                   "GET /anything/b?c=Sample%20Slide%20Show 200");
  g_assert_cmpstr (g_ptr_array_index (fixture->log, 2), ==,
                   "GET /anything/a?b=Sample%20Slide%20Show 200");
  /* Each joined just before the one that needs it */
  assert_titles (runner, "c", "b", "a", NULL);
  g_assert_cmpuint (run.summary.passed, ==, 3);
  g_assert_cmpuint (run.summary.assertions_passed, ==, 1);
  run_clear (&run);
}

/* A long chain is not a circle: r0 uses r1 … uses r99, which sends. */
static void
test_dependency_long_chain (Fixture       *fixture,
                            gconstpointer  data)
{
  const guint n = 100;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(LadleHttpFile) file = NULL;
  g_autoptr(LadleHttpRunner) runner = new_runner (fixture, "local");
  g_autoptr(GError) error = NULL;
  Run run;

  for (guint i = 0; i < n - 1; i++)
    g_string_append_printf (text, "### r%u\nGET {{host}}/anything/r%u?v={{r%u.args.v}}\n\n",
                            i, i, i + 1);
  g_string_append_printf (text, "### r%u\nGET {{host}}/anything/r%u?v=end\n", n - 1, n - 1);
  file = load (fixture, "long.http", text->str);

  g_assert_true (ladle_http_runner_add_file (runner, file, NULL, &error));
  run_init (&run, runner);
  run_to_end (&run, 60000);
  LADLE_TEST_WAIT_UNTIL (fixture->log->len >= n, 10000);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *expected = g_strdup_printf ("GET /anything/r%u?v=end 200", n - 1 - i);

      g_assert_cmpstr (g_ptr_array_index (fixture->log, i), ==, expected);
    }
  g_assert_cmpuint (run.summary.passed, ==, n);
  run_clear (&run);
}

/* Deeper than the runner follows (256): the first requests get an error that says so, not a
 * circle; the rest of the chain runs. */
static void
test_dependency_too_deep (Fixture       *fixture,
                          gconstpointer  data)
{
  const guint n = 300;
  const guint too_deep = n - 1 - 256;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(LadleHttpFile) file = NULL;
  g_autoptr(LadleHttpRunner) runner = new_runner (fixture, "local");
  g_autoptr(GError) error = NULL;
  Run run;

  for (guint i = 0; i < n - 1; i++)
    g_string_append_printf (text, "### r%u\nGET {{host}}/anything/r%u?v={{r%u.args.v}}\n\n",
                            i, i, i + 1);
  g_string_append_printf (text, "### r%u\nGET {{host}}/anything/r%u?v=end\n", n - 1, n - 1);
  file = load (fixture, "deep.http", text->str);

  g_assert_true (ladle_http_runner_add_file (runner, file, NULL, &error));
  run_init (&run, runner);
  run_to_end (&run, 60000);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LadleRunItem) item = item_at (runner, i);

      if (i < too_deep)
        {
          const GError *item_error = ladle_run_item_get_error (item);

          g_assert_cmpint (ladle_run_item_get_status (item), ==, LADLE_RUN_ERROR);
          g_assert_error (item_error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
          g_assert_nonnull (strstr (item_error->message, "256"));
          g_assert_null (strstr (item_error->message, "circle"));
        }
      else
        g_assert_cmpint (ladle_run_item_get_status (item), ==, LADLE_RUN_PASSED);
    }
  g_assert_cmpuint (run.summary.errors, ==, too_deep);
  g_assert_cmpuint (run.summary.passed, ==, n - too_deep);
  run_clear (&run);
}

static const char cycle[] =
  "### a\n"
  "GET {{host}}/anything/a?x={{b.args.y}}\n"
  "\n"
  "?? status == 200\n"
  "\n"
  "### b\n"
  "GET {{host}}/anything/b?y={{a.args.x}}\n"
  "\n"
  "### free\n"
  "GET {{host}}/anything/free\n"
  "\n"
  "### c\n"
  "GET {{host}}/anything/c?z={{d.args.z}}\n"
  "\n"
  "### d\n"
  "GET {{host}}/anything/d?z={{e.args.z}}\n"
  "\n"
  "### e\n"
  "GET {{host}}/anything/e?z={{c.args.z}}\n"
  "\n"
  "### outside\n"
  "GET {{host}}/anything/outside?z={{e.args.z}}\n";

static void
assert_in_circle (LadleHttpRunner *runner,
                  const char      *title,
                  const char      *other)
{
  LadleRunItem *item = item_titled (runner, title);
  const GError *error = ladle_run_item_get_error (item);
  g_autofree char *quoted = g_strdup_printf ("“%s", title);
  g_autofree char *quoted_other = g_strdup_printf ("%s”", other);

  g_test_message ("%s: %s", title, error != NULL ? error->message : "(no error)");
  g_assert_cmpint (ladle_run_item_get_status (item), ==, LADLE_RUN_ERROR);
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "circle"));
  g_assert_nonnull (strstr (error->message, title));
  g_assert_nonnull (strstr (error->message, other));
  g_assert_null (ladle_run_item_get_request (item));
  g_assert_cmpint (ladle_run_item_get_started (item), ==, 0);
}

static void
test_dependency_cycle (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(LadleHttpFile) file = load (fixture, "cycle.http", cycle);
  g_autoptr(LadleHttpRunner) runner = new_runner (fixture, "local");
  g_autoptr(GError) error = NULL;
  const GError *outside;
  Run run;

  g_assert_true (ladle_http_runner_add_file (runner, file, NULL, &error));
  run_init (&run, runner);
  run_to_end (&run, 10000);
  LADLE_TEST_WAIT_UNTIL (fixture->log->len >= 1, 5000);
  dump_log (fixture);

  /* Every request of a circle says so and names the others; nothing of it was sent */
  assert_in_circle (runner, "a", "b");
  assert_in_circle (runner, "b", "a");
  assert_in_circle (runner, "c", "d");
  assert_in_circle (runner, "d", "e");
  assert_in_circle (runner, "e", "c");
  /* One that uses a circle is not in it */
  outside = ladle_run_item_get_error (item_titled (runner, "outside"));
  g_assert_cmpint (ladle_run_item_get_status (item_titled (runner, "outside")), ==,
                   LADLE_RUN_ERROR);
  g_assert_nonnull (outside);
  g_test_message ("outside: %s", outside->message);
  g_assert_nonnull (strstr (outside->message, "“e”"));

  g_assert_cmpint (ladle_run_item_get_status (item_titled (runner, "free")), ==, LADLE_RUN_PASSED);
  g_assert_cmpuint (fixture->log->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->log, 0), ==, "GET /anything/free 200");
  g_assert_cmpuint (run.summary.errors, ==, 6);
  g_assert_cmpuint (run.summary.passed, ==, 1);
  /* a's assertion could not be checked, and it is not JavaScript */
  g_assert_cmpuint (run.summary.assertions_failed, ==, 0);
  g_assert_cmpuint (run.summary.not_run, ==, 0);
  run_clear (&run);
}

static void
test_dependency_failed (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *text = NULL;
  g_autoptr(LadleHttpFile) file = NULL;
  g_autoptr(LadleHttpRunner) runner = new_runner (fixture, "local");
  g_autoptr(GError) error = NULL;
  LadleRunItem *user;
  LadleRunItem *login;
  Run run;

  text = g_strdup_printf ("### user\n"
                          "GET {{host}}/anything/user?token={{login.token}}\n"
                          "\n"
                          "?? status == 200\n"
                          "\n"
                          "### login\n"
                          "# @name login\n"
                          "POST http://127.0.0.1:%u/login\n"
                          "\n"
                          "### after\n"
                          "GET {{host}}/anything/after\n",
                          ladle_test_unused_port ());
  file = load (fixture, "failed.http", text);

  g_assert_true (ladle_http_runner_add_file (runner, file, NULL, &error));
  run_init (&run, runner);
  run_to_end (&run, 20000);
  LADLE_TEST_WAIT_UNTIL (fixture->log->len >= 1, 5000);
  dump_log (fixture);

  login = item_titled (runner, "login");
  g_assert_cmpint (ladle_run_item_get_status (login), ==, LADLE_RUN_ERROR);
  g_assert_error (ladle_run_item_get_error (login), LADLE_ERROR, LADLE_ERROR_CONNECTION_REFUSED);

  user = item_titled (runner, "user");
  g_assert_cmpint (ladle_run_item_get_status (user), ==, LADLE_RUN_ERROR);
  g_assert_nonnull (ladle_run_item_get_error (user));
  g_test_message ("user: %s", ladle_run_item_get_error (user)->message);
  g_assert_nonnull (strstr (ladle_run_item_get_error (user)->message, "“login”"));
  g_assert_null (ladle_run_item_get_request (user));
  g_assert_cmpuint (ladle_run_item_get_http_status (user), ==, 0);
  /* Its assertion was not checked, and is no failure */
  g_assert_cmpuint (ladle_run_item_get_assertions (user)->len, <=, 1);
  g_assert_cmpuint (run.summary.assertions_failed, ==, 0);
  g_assert_cmpuint (run.summary.not_run, ==, 0);

  g_assert_cmpint (ladle_run_item_get_status (item_titled (runner, "after")), ==,
                   LADLE_RUN_PASSED);
  g_assert_cmpuint (fixture->log->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->log, 0), ==, "GET /anything/after 200");
  g_assert_cmpint (log_index (fixture, "GET /anything/user"), ==, -1);
  g_assert_cmpuint (run.summary.errors, ==, 2);
  g_assert_cmpuint (run.summary.passed, ==, 1);
  run_clear (&run);
}

/* Parallel */

static void
test_parallel (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(LadleHttpFile) file = NULL;
  g_autoptr(LadleHttpRunner) runner = new_runner (fixture, "local");
  g_autoptr(GError) error = NULL;
  guint server_overlap = 0;
  gint64 started;
  double seconds;
  Run run;

  for (guint i = 1; i <= 8; i++)
    g_string_append_printf (text, "### d%u\nGET {{host}}/delay/1?n=%u\n\n?? status == 200\n\n",
                            i, i);
  file = load (fixture, "parallel.http", text->str);

  ladle_http_runner_set_parallel (runner, 4);
  g_assert_true (ladle_http_runner_add_file (runner, file, NULL, &error));
  run_init (&run, runner);
  started = g_get_monotonic_time ();
  run_to_end (&run, 20000);
  seconds = (run.finished_at - started) / 1e6;
  LADLE_TEST_WAIT_UNTIL (fixture->log->len >= 8, 5000);
  dump_log (fixture);

  /* How many the server had at once */
  for (guint i = 0; i < fixture->spans->len; i += 2)
    {
      gint64 at = g_array_index (fixture->spans, gint64, i) + 1;
      guint overlap = 0;

      for (guint j = 0; j < fixture->spans->len; j += 2)
        overlap += g_array_index (fixture->spans, gint64, j) < at &&
                   at < g_array_index (fixture->spans, gint64, j + 1);
      server_overlap = MAX (server_overlap, overlap);
    }
  g_test_message ("8 × /delay/1, 4 at a time: %.2f s; runner had %u running, server %u at once",
                  seconds, run.max_running, server_overlap);

  g_assert_cmpfloat (seconds, <, 6.0);
  g_assert_cmpuint (run.max_running, ==, 4);
  g_assert_cmpuint (server_overlap, <=, 4);
  g_assert_cmpuint (server_overlap, >=, 2);
  g_assert_cmpuint (run.summary.passed, ==, 8);
  g_assert_cmpuint (run.summary.assertions_passed, ==, 8);
  assert_titles (runner, "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", NULL);
  /* The first four started before any finished */
  for (guint i = 0; i < 4; i++)
    g_assert_true (g_str_has_prefix (g_ptr_array_index (run.events, i), "started d"));
  run_clear (&run);
}

/* Bail */

static void
check_bail (Fixture    *fixture,
            const char *first_url,
            LadleRunStatus first_status)
{
  g_autofree char *text = NULL;
  g_autoptr(LadleHttpFile) file = NULL;
  g_autoptr(LadleHttpRunner) runner = new_runner (fixture, "local");
  g_autoptr(GError) error = NULL;
  Run run;

  g_ptr_array_set_size (fixture->log, 0);
  text = g_strdup_printf ("### first\n"
                          "GET %s\n"
                          "\n"
                          "?? status == 200\n"
                          "\n"
                          "### second\n"
                          "GET {{host}}/anything/second\n"
                          "\n"
                          "### third\n"
                          "GET {{host}}/anything/third\n"
                          "\n"
                          "### fourth\n"
                          "GET {{host}}/anything/fourth\n",
                          first_url);
  file = load (fixture, "bail.http", text);

  ladle_http_runner_set_bail (runner, TRUE);
  g_assert_true (ladle_http_runner_add_file (runner, file, NULL, &error));
  run_init (&run, runner);
  run_to_end (&run, 20000);

  g_assert_cmpint (ladle_run_item_get_status (item_titled (runner, "first")), ==, first_status);
  for (guint i = 1; i < 4; i++)
    {
      g_autoptr(LadleRunItem) item = item_at (runner, i);

      g_assert_cmpint (ladle_run_item_get_status (item), ==, LADLE_RUN_SKIPPED);
      g_assert_null (ladle_run_item_get_request (item));
      g_assert_false (g_hash_table_contains (run.started, item));
    }
  g_assert_cmpuint (run.summary.total, ==, 4);
  g_assert_cmpuint (run.summary.skipped, ==, 3);
  g_assert_cmpuint (run.summary.passed, ==, 0);
  g_assert_cmpuint (run.summary.failed, ==, first_status == LADLE_RUN_FAILED);
  g_assert_cmpuint (run.summary.errors, ==, first_status == LADLE_RUN_ERROR);
  g_assert_cmpuint (run.summary.assertions_failed, ==, first_status == LADLE_RUN_FAILED);

  /* Only the first was sent (to the server, when it is the server) */
  if (first_status == LADLE_RUN_FAILED)
    LADLE_TEST_WAIT_UNTIL (fixture->log->len >= 1, 5000);
  g_assert_cmpuint (log_count (fixture, "GET /anything/"), ==, 0);

  {
    g_autofree char *junit = ladle_http_runner_to_junit (runner, NULL);

    g_assert_nonnull (strstr (junit, "tests=\"4\""));
    g_assert_nonnull (strstr (junit, "skipped=\"3\""));
  }
  run_clear (&run);
}

static void
test_bail (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *status_url = g_strdup_printf ("%s/status/500", fixture->url);
  g_autofree char *refused_url = g_strdup_printf ("http://127.0.0.1:%u/",
                                                  ladle_test_unused_port ());

  check_bail (fixture, status_url, LADLE_RUN_FAILED);
  check_bail (fixture, refused_url, LADLE_RUN_ERROR);
}

/* Cancellation */

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(LadleHttpFile) file = NULL;
  g_autoptr(LadleHttpRunner) runner = new_runner (fixture, "local");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  gint64 cancelled_at;
  Run run;

  for (guint i = 1; i <= 4; i++)
    g_string_append_printf (text, "### s%u\nGET {{host}}/delay/5?n=%u\n\n", i, i);
  file = load (fixture, "slow.http", text->str);

  ladle_http_runner_set_parallel (runner, 2);
  g_assert_true (ladle_http_runner_add_file (runner, file, NULL, &error));
  run_init (&run, runner);
  run_start (&run, cancellable);

  /* Two are on their way to the server, two wait */
  LADLE_TEST_WAIT_UNTIL (run.running == 2 && ladle_server_get_n_connections (fixture->server) >= 2,
                         5000);
  g_assert_false (run.done);
  cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  run_wait (&run, 3000);
  g_test_message ("finished %.3f s after the cancel", (run.finished_at - cancelled_at) / 1e6);
  g_assert_cmpint (run.finished_at - cancelled_at, <, 2 * G_USEC_PER_SEC);

  /* GTask's rule: a cancelled run reports G_IO_ERROR_CANCELLED, and the summary is still given */
  g_assert_false (run.ok);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (run.summary.total, ==, 4);
  g_assert_cmpuint (run.summary.skipped, ==, 4);
  g_assert_cmpint (run.summary.duration, <, 4 * G_USEC_PER_SEC);

  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(LadleRunItem) item = item_at (runner, i);

      g_assert_cmpint (ladle_run_item_get_status (item), ==, LADLE_RUN_SKIPPED);
      if (i < 2)
        {
          /* were running: sent, and cancelled */
          g_assert_true (g_hash_table_contains (run.started, item));
          g_assert_nonnull (ladle_run_item_get_request (item));
          g_assert_error (ladle_run_item_get_error (item), G_IO_ERROR, G_IO_ERROR_CANCELLED);
          g_assert_null (ladle_run_item_get_response (item));
        }
      else
        {
          /* were pending: never built */
          g_assert_false (g_hash_table_contains (run.started, item));
          g_assert_null (ladle_run_item_get_request (item));
        }
    }
  run_clear (&run);
}

/* Cancelled before it starts: everything is skipped at once. */
static void
test_cancel_before (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(LadleHttpFile) file = load (fixture, "api.http", used_before);
  g_autoptr(LadleHttpRunner) runner = new_runner (fixture, "local");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  Run run;

  g_assert_true (ladle_http_runner_add_file (runner, file, NULL, &error));
  g_cancellable_cancel (cancellable);
  run_init (&run, runner);
  run_start (&run, cancellable);
  run_wait (&run, 2000);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (run.summary.skipped, ==, 3);
  g_assert_cmpuint (g_hash_table_size (run.started), ==, 0);
  g_assert_cmpuint (fixture->log->len, ==, 0);
  run_clear (&run);
}

/* Timeout */

static void
test_timeout (Fixture       *fixture,
              gconstpointer  data)
{
  static const char text[] =
    "### slow\n"
    "GET {{host}}/delay/3\n"
    "\n"
    "### own\n"
    "# @total-timeout 2\n"
    "GET {{host}}/delay/1\n"
    "\n"
    "?? status == 200\n";
  g_autoptr(LadleHttpFile) file = load (fixture, "timeout.http", text);
  g_autoptr(LadleHttpRunner) runner = new_runner (fixture, "local");
  g_autoptr(GError) error = NULL;
  LadleRunItem *slow;
  LadleRunItem *own;
  Run run;

  ladle_http_runner_set_timeout (runner, 0.3);
  g_assert_true (ladle_http_runner_add_file (runner, file, NULL, &error));
  run_init (&run, runner);
  run_to_end (&run, 10000);

  slow = item_titled (runner, "slow");
  g_assert_cmpint (ladle_run_item_get_status (slow), ==, LADLE_RUN_ERROR);
  g_assert_error (ladle_run_item_get_error (slow), LADLE_ERROR, LADLE_ERROR_TIMEOUT_TOTAL);
  g_assert_cmpfloat (ladle_request_get_total_timeout (ladle_run_item_get_request (slow)), ==, 0.3);
  g_assert_cmpint (ladle_run_item_get_duration (slow), >=, 250000);
  g_assert_cmpint (ladle_run_item_get_duration (slow), <, 2 * G_USEC_PER_SEC);

  own = item_titled (runner, "own");
  g_assert_cmpint (ladle_run_item_get_status (own), ==, LADLE_RUN_PASSED);
  g_assert_cmpfloat (ladle_request_get_total_timeout (ladle_run_item_get_request (own)), ==, 2.0);
  g_assert_cmpint (ladle_run_item_get_duration (own), >=, 900000);
  g_assert_cmpuint (ladle_run_item_get_http_status (own), ==, 200);
  run_clear (&run);
}

/* keep_responses */

static void
test_keep_responses (Fixture       *fixture,
                     gconstpointer  data)
{
  for (int keep = 0; keep <= 1; keep++)
    {
      g_autoptr(LadleHttpFile) file = load (fixture, "api.http", used_before);
      g_autoptr(LadleHttpRunner) runner = new_runner (fixture, "local");
      g_autoptr(GError) error = NULL;
      GListModel *items;
      Run run;

      if (!keep)
        ladle_http_runner_set_keep_responses (runner, FALSE);
      g_assert_true (ladle_http_runner_add_file (runner, file, NULL, &error));
      run_init (&run, runner);
      run_to_end (&run, 10000);

      /* Chaining works either way: "uses" has login's title */
      g_assert_cmpuint (run.summary.passed, ==, 3);
      g_assert_cmpuint (run.summary.assertions_passed, ==, 1);

      items = ladle_http_runner_get_items (runner);
      for (guint i = 0; i < g_list_model_get_n_items (items); i++)
        {
          g_autoptr(LadleRunItem) item = g_list_model_get_item (items, i);
          LadleResponse *response = ladle_run_item_get_response (item);

          g_assert_cmpuint (ladle_run_item_get_http_status (item), ==, 200);
          g_assert_cmpuint (ladle_run_item_get_body_size (item), >, 0);
          if (keep)
            {
              g_assert_nonnull (response);
              g_assert_cmpuint (ladle_response_get_body_size (response), ==,
                                ladle_run_item_get_body_size (item));
            }
          else
            g_assert_null (response);
        }

      /* The JSON report still has the status and size */
      {
        g_autofree char *json = ladle_http_runner_to_json (runner);

        g_assert_nonnull (strstr (json, "\"status\": 200"));
      }
      run_clear (&run);
    }
}

/* Environments */

static void
test_environments (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(LadleHttpFile) file = load (fixture, "api.http", used_before);
  g_autoptr(LadleHttpFile) file2 = load (fixture, "more.http", "GET {{host}}/get\n");
  g_autoptr(LadleHttpFile) sub = NULL;
  g_autoptr(LadleHttpFile) broken = NULL;
  g_autoptr(LadleHttpFile) lonely = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *env_path = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *host = NULL;
  g_autofree char *lonely_dir = NULL;
  LadleHttpScope *scope;
  LadleHttpScope *scope2;
  LadleHttpScope *sub_scope;

  /* An unknown environment: named, and the known ones listed */
  {
    g_autoptr(LadleHttpRunner) runner = new_runner (fixture, "nope");

    g_assert_false (ladle_http_runner_add_file (runner, file, NULL, &error));
    g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, "“nope”"));
    g_assert_nonnull (strstr (error->message, "local, other"));
    g_assert_null (strstr (error->message, "$shared"));
    g_assert_cmpuint (g_list_model_get_n_items (ladle_http_runner_get_items (runner)), ==, 0);
    g_clear_error (&error);

    g_assert_null (ladle_http_runner_get_scope (runner, file, &error));
    g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
  }

  /* A folder without environment files */
  lonely_dir = g_build_filename (fixture->tmpdir, "lonely", NULL);
  lonely = load (fixture, "lonely/x.http", "GET http://127.0.0.1:1/\n");
  {
    g_autoptr(LadleHttpRunner) runner = ladle_http_runner_new (fixture->client, lonely_dir,
                                                               "local");

    g_assert_false (ladle_http_runner_add_file (runner, lonely, NULL, &error));
    g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, "“local”"));
    g_assert_nonnull (strstr (error->message, lonely_dir));
    g_clear_error (&error);
  }

  /* A damaged http-client.env.json: PATH:LINE:COL */
  write_file (fixture, "broken/http-client.env.json",
              "{\n  \"local\": {\n    \"host\": oops\n  }\n}\n");
  broken = load (fixture, "broken/api.http", "GET {{host}}/get\n");
  env_path = g_build_filename (fixture->tmpdir, "broken", "http-client.env.json", NULL);
  prefix = g_strdup_printf ("%s:3:", env_path);
  {
    g_autoptr(LadleHttpRunner) runner = new_runner (fixture, "local");
    const char *p;

    g_assert_false (ladle_http_runner_add_file (runner, broken, NULL, &error));
    g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
    g_test_message ("%s", error->message);
    g_assert_true (g_str_has_prefix (error->message, prefix));
    p = error->message + strlen (prefix);
    g_assert_true (g_ascii_isdigit (*p));
    while (g_ascii_isdigit (*p))
      p++;
    g_assert_true (g_str_has_prefix (p, ": "));
    g_clear_error (&error);

    /* The good folder still works with the same runner */
    g_assert_true (ladle_http_runner_add_file (runner, file, NULL, &error));
    g_assert_no_error (error);
  }

  /* Scopes: one per folder of environment files, overrides reach them */
  write_file (fixture, "sub/http-client.env.json",
              "{\"local\": {\"host\": \"http://127.0.0.1:9/sub\"}}");
  sub = load (fixture, "sub/api.http", "GET {{host}}/get\n");
  {
    g_autoptr(LadleHttpRunner) runner = new_runner (fixture, "local");
    g_autofree char *expanded = NULL;
    g_autofree char *greeting = NULL;

    scope = ladle_http_runner_get_scope (runner, file, &error);
    g_assert_no_error (error);
    g_assert_nonnull (scope);
    scope2 = ladle_http_runner_get_scope (runner, file2, &error);
    g_assert_true (scope == scope2);
    sub_scope = ladle_http_runner_get_scope (runner, sub, &error);
    g_assert_no_error (error);
    g_assert_true (sub_scope != scope);

    host = ladle_http_scope_expand (scope, file, NULL, "{{host}}", 1, 1, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (host, ==, fixture->url);
    greeting = ladle_http_scope_expand (scope, file, NULL, "{{greeting}}", 1, 1, &error);
    g_assert_cmpstr (greeting, ==, "привет");
    expanded = ladle_http_scope_expand (sub_scope, sub, NULL, "{{host}}", 1, 1, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (expanded, ==, "http://127.0.0.1:9/sub");
    g_clear_pointer (&expanded, g_free);

    /* An override set now reaches the scopes made before and after */
    ladle_http_runner_set_override (runner, "host", "http://127.0.0.1:7");
    expanded = ladle_http_scope_expand (sub_scope, sub, NULL, "{{host}}", 1, 1, &error);
    g_assert_cmpstr (expanded, ==, "http://127.0.0.1:7");
    g_clear_pointer (&expanded, g_free);
    {
      g_autoptr(LadleHttpRunner) other = new_runner (fixture, "other");
      g_autofree char *expected = g_strconcat (fixture->url, "/anything/other hi", NULL);
      LadleHttpScope *other_scope;

      ladle_http_runner_set_override (other, "greeting", "hi");
      other_scope = ladle_http_runner_get_scope (other, file, &error);
      g_assert_no_error (error);
      expanded = ladle_http_scope_expand (other_scope, file, NULL, "{{host}} {{greeting}}", 1, 1,
                                          &error);
      g_assert_no_error (error);
      g_assert_cmpstr (expanded, ==, expected);
    }
  }
}

/* Reports */

typedef struct
{
  GHashTable *suite;      /* attribute → value of <testsuite> */
  GPtrArray  *cases;      /* GHashTable per <testcase>: its attributes, "kind", "message", "text" */
  GHashTable *current;
  char       *open;       /* "failure", "error" or NULL */
  guint       n_suites;
} Junit;

static GHashTable *
attributes_table (const char **names,
                  const char **values)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; names[i] != NULL; i++)
    g_hash_table_insert (table, g_strdup (names[i]), g_strdup (values[i]));
  return table;
}

static void
junit_start (GMarkupParseContext  *context,
             const char           *element,
             const char          **names,
             const char          **values,
             gpointer              user_data,
             GError              **error)
{
  Junit *junit = user_data;

  if (strcmp (element, "testsuite") == 0)
    {
      junit->n_suites++;
      junit->suite = attributes_table (names, values);
    }
  else if (strcmp (element, "testcase") == 0)
    {
      junit->current = attributes_table (names, values);
      g_ptr_array_add (junit->cases, junit->current);
    }
  else if (strcmp (element, "failure") == 0 || strcmp (element, "error") == 0 ||
           strcmp (element, "skipped") == 0)
    {
      g_assert_nonnull (junit->current);
      g_hash_table_insert (junit->current, g_strdup ("kind"), g_strdup (element));
      for (guint i = 0; names[i] != NULL; i++)
        if (strcmp (names[i], "message") == 0)
          g_hash_table_insert (junit->current, g_strdup ("message"), g_strdup (values[i]));
      g_free (junit->open);
      junit->open = g_strdup (element);
    }
  else
    g_assert_cmpstr (element, ==, "testsuites");
}

static void
junit_end (GMarkupParseContext  *context,
           const char           *element,
           gpointer              user_data,
           GError              **error)
{
  Junit *junit = user_data;

  if (strcmp (element, "testcase") == 0)
    junit->current = NULL;
  else if (g_strcmp0 (element, junit->open) == 0)
    g_clear_pointer (&junit->open, g_free);
}

static void
junit_text (GMarkupParseContext  *context,
            const char           *text,
            gsize                 length,
            gpointer              user_data,
            GError              **error)
{
  Junit *junit = user_data;

  if (junit->current != NULL && junit->open != NULL)
    g_hash_table_insert (junit->current, g_strdup ("text"), g_strndup (text, length));
}

static void
junit_parse (Junit      *junit,
             const char *xml)
{
  static const GMarkupParser parser = { junit_start, junit_end, junit_text, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;

  memset (junit, 0, sizeof *junit);
  junit->cases = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);

  /* XML 1.0 allows no control characters but tab and line breaks, even escaped */
  for (const char *p = xml; *p != '\0'; p++)
    if ((guchar) *p < 0x20)
      g_assert_true (*p == '\n' || *p == '\t' || *p == '\r');
  g_assert_null (strstr (xml, "&#x1;"));
  g_assert_null (strstr (xml, "&#x2;"));
  g_assert_true (g_str_has_prefix (xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));

  context = g_markup_parse_context_new (&parser, G_MARKUP_TREAT_CDATA_AS_TEXT, junit, NULL);
  g_markup_parse_context_parse (context, xml, -1, &error);
  g_assert_no_error (error);
  g_markup_parse_context_end_parse (context, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (junit->n_suites, ==, 1);
}

static void
junit_clear (Junit *junit)
{
  g_clear_pointer (&junit->suite, g_hash_table_unref);
  g_ptr_array_unref (junit->cases);
  g_free (junit->open);
}

static const char *
junit_case (Junit      *junit,
            guint       index,
            const char *key)
{
  g_assert_cmpuint (index, <, junit->cases->len);
  return g_hash_table_lookup (g_ptr_array_index (junit->cases, index), key);
}

static const char reports[] =
  "### <&>\"'\n"
  "GET {{host}}/get?n=1\n"
  "\n"
  "?? status == 200\n"
  "?? header content-type includes json\n"
  "\n"
  "### fails\n"
  "GET {{host}}/status/404\n"
  "\n"
  "?? status == 200\n"
  "?? body == a\002b\n"
  "\n"
  "### broken\n"
  "GET {{host}}/get?x={{nope\001}}\n"
  "\n"
  "### refused\n"
  "GET http://127.0.0.1:%u/x\n"
  "\n"
  "?? status == 200\n";

static void
test_reports (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *text = g_strdup_printf (reports, ladle_test_unused_port ());
  g_autoptr(LadleHttpFile) file = load (fixture, "re&ports.http", text);
  g_autoptr(LadleHttpRunner) runner = new_runner (fixture, "local");
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->tmpdir, "re&ports.http", NULL);
  g_autofree char *xml = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonObject *summary;
  JsonArray *requests;
  const char *broken_message;
  Junit junit;
  Run run;

  g_assert_true (ladle_http_runner_add_file (runner, file, NULL, &error));
  run_init (&run, runner);
  run_to_end (&run, 20000);

  g_assert_cmpint (ladle_run_item_get_status (item_titled (runner, "<&>\"'")), ==,
                   LADLE_RUN_PASSED);
  g_assert_cmpint (ladle_run_item_get_status (item_titled (runner, "fails")), ==,
                   LADLE_RUN_FAILED);
  g_assert_cmpint (ladle_run_item_get_status (item_titled (runner, "broken")), ==,
                   LADLE_RUN_ERROR);
  g_assert_cmpint (ladle_run_item_get_status (item_titled (runner, "refused")), ==,
                   LADLE_RUN_ERROR);
  /* The test is only worth it if the messages do have control characters */
  broken_message = ladle_run_item_get_error (item_titled (runner, "broken"))->message;
  g_test_message ("broken: %s", broken_message);
  g_assert_nonnull (strchr (broken_message, '\001'));

  /* JUnit */
  xml = ladle_http_runner_to_junit (runner, "suite <&> \"'");
  g_test_message ("%s", xml);
  junit_parse (&junit, xml);
  g_assert_cmpstr (g_hash_table_lookup (junit.suite, "name"), ==, "suite <&> \"'");
  g_assert_cmpstr (g_hash_table_lookup (junit.suite, "tests"), ==, "4");
  g_assert_cmpstr (g_hash_table_lookup (junit.suite, "failures"), ==, "1");
  g_assert_cmpstr (g_hash_table_lookup (junit.suite, "errors"), ==, "2");
  g_assert_cmpstr (g_hash_table_lookup (junit.suite, "skipped"), ==, "0");
  g_assert_nonnull (g_hash_table_lookup (junit.suite, "time"));
  g_assert_cmpuint (junit.cases->len, ==, 4);

  g_assert_cmpstr (junit_case (&junit, 0, "name"), ==, "<&>\"'");
  g_assert_cmpstr (junit_case (&junit, 0, "classname"), ==, path);
  g_assert_cmpstr (junit_case (&junit, 0, "file"), ==, path);
  g_assert_cmpstr (junit_case (&junit, 0, "line"), ==, "2");
  g_assert_null (junit_case (&junit, 0, "kind"));

  g_assert_cmpstr (junit_case (&junit, 1, "name"), ==, "fails");
  g_assert_cmpstr (junit_case (&junit, 1, "line"), ==, "8");
  g_assert_cmpstr (junit_case (&junit, 1, "kind"), ==, "failure");
  g_assert_nonnull (strstr (junit_case (&junit, 1, "message"), "status == 200"));
  g_assert_nonnull (strstr (junit_case (&junit, 1, "text"), "?? status == 200"));
  g_assert_nonnull (strstr (junit_case (&junit, 1, "text"), "?? body == a\\x02b"));

  g_assert_cmpstr (junit_case (&junit, 2, "name"), ==, "broken");
  g_assert_cmpstr (junit_case (&junit, 2, "kind"), ==, "error");
  g_assert_nonnull (strstr (junit_case (&junit, 2, "message"), "nope\\x01"));

  g_assert_cmpstr (junit_case (&junit, 3, "name"), ==, "refused");
  g_assert_cmpstr (junit_case (&junit, 3, "kind"), ==, "error");
  g_assert_nonnull (junit_case (&junit, 3, "message"));
  junit_clear (&junit);

  /* JSON */
  json = ladle_http_runner_to_json (runner);
  g_test_message ("%s", json);
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  summary = json_object_get_object_member (root, "summary");
  g_assert_cmpint (json_object_get_int_member (summary, "total"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (summary, "passed"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (summary, "failed"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (summary, "errors"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (summary, "skipped"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (summary, "assertionsPassed"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (summary, "assertionsFailed"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (summary, "notRun"), ==, 0);
  g_assert_true (json_object_has_member (summary, "durationMs"));
  g_assert_cmpfloat (json_object_get_double_member (summary, "durationMs"), >, 0);

  requests = json_object_get_array_member (root, "requests");
  g_assert_cmpuint (json_array_get_length (requests), ==, 4);
  {
    JsonObject *ok = json_array_get_object_element (requests, 0);
    JsonObject *fails = json_array_get_object_element (requests, 1);
    JsonObject *broken = json_array_get_object_element (requests, 2);
    JsonObject *refused = json_array_get_object_element (requests, 3);
    g_autofree char *url = g_strdup_printf ("%s/get?n=1", fixture->url);
    JsonArray *assertions;
    JsonObject *assertion;

    g_assert_cmpstr (json_object_get_string_member (ok, "name"), ==, "<&>\"'");
    g_assert_cmpstr (json_object_get_string_member (ok, "file"), ==, path);
    g_assert_cmpint (json_object_get_int_member (ok, "line"), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (ok, "result"), ==, "passed");
    g_assert_cmpstr (json_object_get_string_member (ok, "method"), ==, "GET");
    g_assert_cmpstr (json_object_get_string_member (ok, "url"), ==, url);
    g_assert_cmpint (json_object_get_int_member (ok, "status"), ==, 200);
    g_assert_cmpint (json_object_get_int_member (ok, "size"), ==,
                     ladle_run_item_get_body_size (item_titled (runner, "<&>\"'")));
    g_assert_cmpint (json_object_get_int_member (ok, "size"), >, 0);
    g_assert_true (json_object_has_member (ok, "durationMs"));
    g_assert_false (json_object_has_member (ok, "error"));
    assertions = json_object_get_array_member (ok, "assertions");
    g_assert_cmpuint (json_array_get_length (assertions), ==, 2);
    assertion = json_array_get_object_element (assertions, 0);
    g_assert_cmpstr (json_object_get_string_member (assertion, "assertion"), ==, "status == 200");
    g_assert_cmpint (json_object_get_int_member (assertion, "line"), ==, 4);
    g_assert_cmpstr (json_object_get_string_member (assertion, "result"), ==, "passed");

    g_assert_cmpstr (json_object_get_string_member (fails, "result"), ==, "failed");
    g_assert_cmpint (json_object_get_int_member (fails, "status"), ==, 404);
    assertions = json_object_get_array_member (fails, "assertions");
    g_assert_cmpuint (json_array_get_length (assertions), ==, 2);
    assertion = json_array_get_object_element (assertions, 1);
    g_assert_cmpstr (json_object_get_string_member (assertion, "assertion"), ==, "body == a\002b");
    g_assert_cmpstr (json_object_get_string_member (assertion, "result"), ==, "failed");
    g_assert_nonnull (json_object_get_string_member (assertion, "message"));

    g_assert_cmpstr (json_object_get_string_member (broken, "result"), ==, "error");
    g_assert_cmpstr (json_object_get_string_member (broken, "error"), ==, broken_message);
    g_assert_false (json_object_has_member (broken, "status"));
    g_assert_false (json_object_has_member (broken, "url"));

    g_assert_cmpstr (json_object_get_string_member (refused, "result"), ==, "error");
    g_assert_cmpstr (json_object_get_string_member (refused, "method"), ==, "GET");
    g_assert_nonnull (json_object_get_string_member (refused, "error"));
    g_assert_true (json_object_has_member (refused, "durationMs"));
    assertions = json_object_get_array_member (refused, "assertions");
    g_assert_cmpuint (json_array_get_length (assertions), ==, 1);
    assertion = json_array_get_object_element (assertions, 0);
    g_assert_cmpstr (json_object_get_string_member (assertion, "result"), ==, "not-run");
  }
  run_clear (&run);
}

/* JavaScript */

static void
test_javascript (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *text = NULL;
  g_autoptr(LadleHttpFile) file = NULL;
  g_autoptr(LadleHttpRunner) runner = new_runner (fixture, "local");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *json = NULL;
  LadleRunItem *item;
  GPtrArray *assertions;
  const LadleHttpAssertResult *result;
  Run run;

  text = g_strdup_printf ("### js\n"
                          "GET {{host}}/get\n"
                          "\n"
                          "?? js response.parsedBody.url.length > 0\n"
                          "?? status == 200\n"
                          "\n"
                          "> {%%\n"
                          "  client.test(\"ok\", function () {});\n"
                          "%%}\n"
                          "\n"
                          "### no-response\n"
                          "GET http://127.0.0.1:%u/\n"
                          "\n"
                          "?? js response.status == 200\n"
                          "?? status == 200\n",
                          ladle_test_unused_port ());
  file = load (fixture, "js.http", text);

  g_assert_true (ladle_http_runner_add_file (runner, file, NULL, &error));
  run_init (&run, runner);
  run_to_end (&run, 20000);

  item = item_titled (runner, "js");
  g_assert_cmpint (ladle_run_item_get_status (item), ==, LADLE_RUN_PASSED);
  g_assert_cmpuint (ladle_run_item_get_n_not_run (item), ==, 1);
  assertions = ladle_run_item_get_assertions (item);
  g_assert_cmpuint (assertions->len, ==, 2);
  result = g_ptr_array_index (assertions, 0);
  g_assert_cmpint (result->verdict, ==, LADLE_HTTP_VERDICT_NOT_RUN);
  result = g_ptr_array_index (assertions, 1);
  g_assert_cmpint (result->verdict, ==, LADLE_HTTP_VERDICT_PASSED);

  item = item_titled (runner, "no-response");
  g_assert_cmpint (ladle_run_item_get_status (item), ==, LADLE_RUN_ERROR);
  g_assert_cmpuint (ladle_run_item_get_n_not_run (item), ==, 0);
  assertions = ladle_run_item_get_assertions (item);
  g_assert_cmpuint (assertions->len, ==, 2);
  result = g_ptr_array_index (assertions, 0);
  g_assert_cmpint (result->verdict, ==, LADLE_HTTP_VERDICT_NOT_RUN);
  result = g_ptr_array_index (assertions, 1);
  g_assert_cmpint (result->verdict, ==, LADLE_HTTP_VERDICT_NOT_RUN);

  /* JavaScript not run: the block and the two `?? js` lines; `?? status` without a response is
   * not JavaScript. None of them fails anything. */
  g_assert_cmpuint (run.summary.not_run, ==, 3);
  g_assert_cmpuint (run.summary.assertions_passed, ==, 1);
  g_assert_cmpuint (run.summary.assertions_failed, ==, 0);
  g_assert_cmpuint (run.summary.passed, ==, 1);
  g_assert_cmpuint (run.summary.errors, ==, 1);

  json = ladle_http_runner_to_json (runner);
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (
                     json_object_get_object_member (
                       json_node_get_object (json_parser_get_root (parser)), "summary"),
                     "notRun"), ==, 3);
  run_clear (&run);
}

/* Signals */

static void
test_signals (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *text = NULL;
  g_autoptr(LadleHttpFile) file = NULL;
  g_autoptr(LadleHttpRunner) runner = new_runner (fixture, "local");
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;
  Run run;

  text = g_strdup_printf ("### pass\n"
                          "GET {{host}}/get\n"
                          "\n"
                          "### fail\n"
                          "GET {{host}}/status/418\n"
                          "\n"
                          "?? status == 200\n"
                          "\n"
                          "### unbuilt\n"
                          "GET {{host}}/get?x={{undefined}}\n"
                          "\n"
                          "### refused\n"
                          "GET http://127.0.0.1:%u/\n",
                          ladle_test_unused_port ());
  file = load (fixture, "signals.http", text);

  g_assert_true (ladle_http_runner_add_file (runner, file, NULL, &error));
  run_init (&run, runner);
  run_to_end (&run, 20000);

  /* One at a time, in order, each started before it finished */
  g_assert_cmpuint (run.events->len, ==, 8);
  g_assert_cmpstr (g_ptr_array_index (run.events, 0), ==, "started pass");
  g_assert_cmpstr (g_ptr_array_index (run.events, 1), ==, "finished pass passed");
  g_assert_cmpstr (g_ptr_array_index (run.events, 2), ==, "started fail");
  g_assert_cmpstr (g_ptr_array_index (run.events, 3), ==, "finished fail failed");
  g_assert_cmpstr (g_ptr_array_index (run.events, 4), ==, "started unbuilt");
  g_assert_cmpstr (g_ptr_array_index (run.events, 5), ==, "finished unbuilt error");
  g_assert_cmpstr (g_ptr_array_index (run.events, 6), ==, "started refused");
  g_assert_cmpstr (g_ptr_array_index (run.events, 7), ==, "finished refused error");
  g_assert_cmpuint (run.max_running, ==, 1);
  g_assert_error (ladle_run_item_get_error (item_titled (runner, "unbuilt")), LADLE_ERROR,
                  LADLE_ERROR_PARSE);
  g_assert_nonnull (strstr (ladle_run_item_get_error (item_titled (runner, "unbuilt"))->message,
                            "undefined"));
  g_assert_cmpint (ladle_run_item_get_duration (item_titled (runner, "pass")), >, 0);
  location = g_strconcat (ladle_http_file_get_path (file), ":5", NULL);
  g_assert_cmpstr (ladle_run_item_get_location (item_titled (runner, "fail")), ==, location);
  run_clear (&run);
}

/* No requests */

static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(LadleHttpFile) file = load (fixture, "empty.http",
                                        "# nothing to send\n@x = 1\n\n###\n// still nothing\n");
  g_autoptr(LadleHttpRunner) runner = new_runner (fixture, "local");
  g_autoptr(LadleHttpRunner) bare = new_runner (fixture, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  Junit junit;
  Run run;

  g_assert_true (ladle_http_runner_add_file (runner, file, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (ladle_http_runner_get_items (runner)), ==, 0);

  run_init (&run, runner);
  run_to_end (&run, 1000);
  g_assert_cmpuint (run.summary.total, ==, 0);
  g_assert_cmpuint (run.events->len, ==, 0);

  xml = ladle_http_runner_to_junit (runner, "empty");
  junit_parse (&junit, xml);
  g_assert_cmpstr (g_hash_table_lookup (junit.suite, "tests"), ==, "0");
  g_assert_cmpuint (junit.cases->len, ==, 0);
  junit_clear (&junit);

  json = ladle_http_runner_to_json (runner);
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (json_parser_get_root (parser)), "requests")), ==, 0);
  run_clear (&run);

  /* A runner given no file at all */
  run_init (&run, bare);
  run_to_end (&run, 1000);
  g_assert_cmpuint (run.summary.total, ==, 0);
  run_clear (&run);
  g_assert_cmpuint (fixture->log->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/ladle/http-runner/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("dependency/first", test_dependency_first);
  ADD ("dependency/once", test_dependency_once);
  ADD ("dependency/not-selected", test_dependency_not_selected);
  ADD ("dependency/chain", test_dependency_chain);
  ADD ("dependency/long-chain", test_dependency_long_chain);
  ADD ("dependency/too-deep", test_dependency_too_deep);
  ADD ("dependency/cycle", test_dependency_cycle);
  ADD ("dependency/failed", test_dependency_failed);
  ADD ("parallel", test_parallel);
  ADD ("bail", test_bail);
  ADD ("cancel", test_cancel);
  ADD ("cancel-before", test_cancel_before);
  ADD ("timeout", test_timeout);
  ADD ("keep-responses", test_keep_responses);
  ADD ("environments", test_environments);
  ADD ("reports", test_reports);
  ADD ("javascript", test_javascript);
  ADD ("signals", test_signals);
  ADD ("empty", test_empty);

#undef ADD

  return ladle_test_run ();
}
