/* ladle-cli-run.c
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
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "ladle-cli.h"
#include "ladle-cli-cookies.h"
#include "ladle-cookie-store.h"
#include "ladle-data-dir.h"
#include "ladle-error.h"
#include "ladle-http-import.h"
#include "ladle-http-runner.h"
#include "ladle-workspace.h"

/* --workspace-cookies: the run sends and keeps cookies in the jar the window keeps for the
 * workspace (in the data folder). The workspace is the folder given, when the one PATH is a
 * folder, else the current folder. Read at the start (a damaged file set aside as the window
 * does), written at the end when it changed. */
typedef struct
{
  gboolean          enabled;
  LadleCookieStore *store;
} WorkspaceCookies;

static void
workspace_cookies_add_option (WorkspaceCookies *self,
                              GOptionContext   *context)
{
  const GOptionEntry entries[] = {
    { "workspace-cookies", 0, 0, G_OPTION_ARG_NONE, &self->enabled,
      N_("Use the cookie jar the window keeps for the workspace (the folder given, else the "
         "current folder), and keep the new cookies in it"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

static void
workspace_cookies_load (WorkspaceCookies  *self,
                        char             **paths,
                        const char        *cwd,
                        LadleHttpClient   *client)
{
  g_autofree char *data_dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *problem = NULL;
  const char *folder = cwd;

  if (!self->enabled)
    return;
  if (paths[0] != NULL && paths[1] == NULL && g_file_test (paths[0], G_FILE_TEST_IS_DIR))
    folder = paths[0];

  data_dir = ladle_data_dir_dup (APP_ID);
  path = ladle_cookie_store_dup_workspace_path (data_dir, folder);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    g_printerr (_("ladle run: no cookies kept for the workspace %s yet; its jar starts empty\n"),
                folder);
  self->store = ladle_cookie_store_new (path);
  ladle_cookie_store_load (self->store, &problem, NULL);
  if (problem != NULL)
    g_printerr ("ladle run: %s\n", problem);
  ladle_http_client_set_cookie_jar (client, ladle_cookie_store_get_jar (self->store));
}

static gboolean
workspace_cookies_save (WorkspaceCookies *self)
{
  g_autoptr(GError) error = NULL;

  if (self->store == NULL)
    return TRUE;
  if (!ladle_cookie_store_flush (self->store, &error))
    {
      g_printerr ("ladle run: %s\n", error->message);
      return FALSE;
    }
  return TRUE;
}

static void
workspace_cookies_clear (WorkspaceCookies *self)
{
  g_clear_object (&self->store);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (WorkspaceCookies, workspace_cookies_clear)

/* `ladle run PATH…`: every request of the `.http` files given (folders: their files as a
 * workspace reads them, in the sidebar's order), one line per request and per failed assertion,
 * a summary, reports for CI. */

typedef struct
{
  GMainLoop    *loop;
  GCancellable *cancellable;
  gboolean      color;
  gboolean      done;
  LadleRunSummary summary;
  GError       *error;
} RunState;

static const char *
paint (RunState   *state,
       const char *code)
{
  return state->color ? code : "";
}

#define GREEN  "\033[32m"
#define RED    "\033[31m"
#define YELLOW "\033[33m"
#define DIM    "\033[2m"
#define BOLD   "\033[1m"
#define RESET  "\033[0m"

static char *
format_size (guint64 size)
{
  if (size < 1000)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " B", size);
  return g_format_size (size);
}

static void
item_finished_cb (LadleHttpRunner *runner,
                  LadleRunItem    *item,
                  RunState        *state)
{
  LadleRunStatus status = ladle_run_item_get_status (item);
  LadleRequest *request = ladle_run_item_get_request (item);
  LadleHttpEntry *entry = ladle_run_item_get_entry (item);
  const GError *error = ladle_run_item_get_error (item);
  GPtrArray *assertions = ladle_run_item_get_assertions (item);
  const char *word, *color;
  g_autoptr(GString) line = g_string_new (NULL);

  switch (status)
    {
    case LADLE_RUN_PASSED:
      /* Translators: a result column of `ladle run`, at most 5 characters */
      word = C_("run", "PASS");
      color = GREEN;
      break;
    case LADLE_RUN_FAILED:
      word = C_("run", "FAIL");
      color = RED;
      break;
    case LADLE_RUN_ERROR:
      word = C_("run", "ERROR");
      color = RED;
      break;
    case LADLE_RUN_SKIPPED:
    case LADLE_RUN_PENDING:
    case LADLE_RUN_RUNNING:
    default:
      word = C_("run", "SKIP");
      color = YELLOW;
      break;
    }

  g_string_append_printf (line, "%s%-5s%s ", paint (state, color), word, paint (state, RESET));
  if (ladle_run_item_get_http_status (item) != 0)
    g_string_append_printf (line, "%u ", ladle_run_item_get_http_status (item));
  g_string_append_printf (line, "%s %s", request != NULL ? ladle_request_get_method (request)
                                                         : entry->method,
                          request != NULL ? ladle_request_get_url (request) : entry->url);
  if (ladle_run_item_get_started (item) != 0)
    {
      g_autofree char *size = format_size (ladle_run_item_get_body_size (item));

      g_string_append_printf (line, "  %s%.0f ms",
                              paint (state, DIM), ladle_run_item_get_duration (item) / 1000.0);
      if (ladle_run_item_get_http_status (item) != 0)
        g_string_append_printf (line, "  %s", size);
      g_string_append (line, paint (state, RESET));
    }
  g_string_append_printf (line, "  %s%s%s", paint (state, DIM),
                          ladle_run_item_get_location (item), paint (state, RESET));
  if (entry->name != NULL && entry->name[0] != '\0')
    g_string_append_printf (line, " %s", entry->name);
  printf ("%s\n", line->str);

  if (error != NULL && status != LADLE_RUN_SKIPPED)
    printf ("      %s%s%s\n", paint (state, RED), error->message, paint (state, RESET));

  for (guint i = 0; i < assertions->len; i++)
    {
      const LadleHttpAssertResult *result = g_ptr_array_index (assertions, i);

      if (result->verdict == LADLE_HTTP_VERDICT_FAILED ||
          result->verdict == LADLE_HTTP_VERDICT_ERROR)
        printf ("      %s✗%s ?? %s  %s(line %u: %s)%s\n", paint (state, RED), paint (state, RESET),
                result->text, paint (state, DIM), result->line,
                result->message != NULL ? result->message : "", paint (state, RESET));
    }

  fflush (stdout);
}

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  RunState *state = user_data;

  ladle_http_runner_run_finish (LADLE_HTTP_RUNNER (source), result, &state->summary,
                                &state->error);
  state->done = TRUE;
  g_main_loop_quit (state->loop);
}

static gboolean
on_signal (gpointer data)
{
  RunState *state = data;

  g_cancellable_cancel (state->cancellable);
  return G_SOURCE_CONTINUE;
}

static gboolean
write_report (const char  *path,
              const char  *text,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0666,
                                 &local_error))
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_NOT_WRITABLE,
                   _("Cannot write %s: %s"), path, local_error->message);
      return FALSE;
    }

  return TRUE;
}

/* The exit status of a finished run: 2 when a request could not be built (a variable, a file),
 * 3/4 when one could not connect or timed out, 1 for any other failure, else 0. */
static int
run_exit_status (LadleHttpRunner *runner)
{
  GListModel *items = ladle_http_runner_get_items (runner);
  int status = LADLE_EXIT_OK;
  gboolean usage = FALSE, connect = FALSE, timeout = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(LadleRunItem) item = g_list_model_get_item (items, i);
      const GError *error = ladle_run_item_get_error (item);

      switch (ladle_run_item_get_status (item))
        {
        case LADLE_RUN_FAILED:
          status = LADLE_EXIT_FAILURE;
          break;
        case LADLE_RUN_ERROR:
          status = LADLE_EXIT_FAILURE;
          if (error != NULL && error->domain == LADLE_ERROR && error->code == LADLE_ERROR_PARSE &&
              ladle_run_item_get_started (item) == 0)
            usage = TRUE;
          else if (error != NULL)
            switch (ladle_cli_exit_status_for_error (error))
              {
              case LADLE_EXIT_CONNECT:
                connect = TRUE;
                break;
              case LADLE_EXIT_TIMEOUT:
                timeout = TRUE;
                break;
              case LADLE_EXIT_USAGE:
                usage = TRUE;
                break;
              default:
                break;
              }
          break;
        case LADLE_RUN_PASSED:
        case LADLE_RUN_SKIPPED:
        case LADLE_RUN_PENDING:
        case LADLE_RUN_RUNNING:
        default:
          break;
        }
    }

  if (usage)
    return LADLE_EXIT_USAGE;
  if (connect)
    return LADLE_EXIT_CONNECT;
  if (timeout)
    return LADLE_EXIT_TIMEOUT;
  return status;
}

/* `ladle send FILE#NAME`: the request named NAME in FILE, its variables expanded, after the
 * requests whose responses it uses have run. NULL with @error (and the exit status for it in
 * @out_status) when it cannot be had. */
LadleRequest *
ladle_cli_request_from_file (const char       *spec,
                             const char       *env,
                             const char * const *vars,
                             LadleHttpClient  *client,
                             int              *out_status,
                             GError          **error)
{
  const char *hash = strrchr (spec, '#');
  g_autofree char *path = g_strndup (spec, hash - spec);
  g_autofree char *cwd = g_get_current_dir ();
  g_autoptr(LadleHttpFile) file = NULL;
  g_autoptr(LadleHttpRunner) runner = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_auto(GStrv) dependencies = NULL;
  LadleHttpEntry *entry;
  LadleHttpScope *scope;
  RunState state = { 0 };
  GListModel *items;

  *out_status = LADLE_EXIT_USAGE;
  file = ladle_http_file_load (path, error);
  if (file == NULL || !ladle_http_file_check (file, error))
    return NULL;

  entry = ladle_http_file_find_entry (file, hash + 1);
  if (entry == NULL)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                   _("%s has no request named “%s”"), path, hash + 1);
      return NULL;
    }

  runner = ladle_http_runner_new (client, cwd, env);
  for (guint i = 0; vars != NULL && vars[i] != NULL; i++)
    {
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (!ladle_cli_split_pair (vars[i], '=', &name, &value))
        {
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                       _("“%s” is not a variable (use NAME=VALUE)"), vars[i]);
          return NULL;
        }
      ladle_http_runner_set_override (runner, name, value);
    }

  scope = ladle_http_runner_get_scope (runner, file, error);
  if (scope == NULL)
    return NULL;

  dependencies = ladle_http_scope_dup_dependencies (scope, file, entry);
  for (guint i = 0; dependencies != NULL && dependencies[i] != NULL; i++)
    if (!ladle_http_runner_add_file (runner, file, dependencies[i], error))
      return NULL;

  items = ladle_http_runner_get_items (runner);
  if (g_list_model_get_n_items (items) > 0)
    {
      loop = g_main_loop_new (NULL, FALSE);
      state.loop = loop;
      ladle_http_runner_run_async (runner, NULL, run_cb, &state);
      if (!state.done)
        g_main_loop_run (loop);
      g_clear_error (&state.error);

      for (guint i = 0; i < g_list_model_get_n_items (items); i++)
        {
          g_autoptr(LadleRunItem) item = g_list_model_get_item (items, i);
          const GError *item_error = ladle_run_item_get_error (item);

          if (ladle_run_item_get_http_status (item) == 0 && item_error != NULL)
            {
              *out_status = ladle_cli_exit_status_for_error (item_error);
              if (*out_status == LADLE_EXIT_OK)
                *out_status = LADLE_EXIT_FAILURE;
              g_set_error (error, item_error->domain, item_error->code,
                           _("“%s”, whose response this request uses, failed: %s"),
                           ladle_run_item_get_title (item), item_error->message);
              return NULL;
            }
        }
    }

  return ladle_http_scope_build_request (scope, file, entry, error);
}

int
ladle_cli_run (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LadleHttpClient) client = NULL;
  g_autoptr(LadleHttpRunner) runner = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) ladle_http_file_unref);
  g_auto(GStrv) rest = NULL;
  g_auto(GStrv) vars = NULL;
  g_auto(GStrv) requests = NULL;
  g_autofree char *env = NULL;
  g_autofree char *junit = NULL;
  g_autofree char *json = NULL;
  g_autofree char *har = NULL;
  g_autofree char *timeout_text = NULL;
  g_autofree char *root = NULL;
  g_autofree char *cwd = g_get_current_dir ();
  gboolean bail = FALSE, insecure = FALSE, no_color = FALSE;
  int parallel = 1;
  double timeout = 0;
  guint sigint_id;
  gboolean parse_failed = FALSE;
  RunState state = { 0 };
  g_auto(LadleCliCookies) cookies = { 0 };
  g_auto(WorkspaceCookies) workspace_cookies = { 0 };
  int status;
  const GOptionEntry entries[] = {
    { "env", 'e', 0, G_OPTION_ARG_STRING, &env,
      N_("Use the variables of this environment (http-client.env.json)"), N_("NAME") },
    { "var", 0, 0, G_OPTION_ARG_STRING_ARRAY, &vars,
      N_("Set a variable, above every other definition (repeatable)"), N_("NAME=VALUE") },
    { "request", 'r', 0, G_OPTION_ARG_STRING_ARRAY, &requests,
      N_("Run only the request of this name, and those it needs (repeatable)"), N_("NAME") },
    { "bail", 0, 0, G_OPTION_ARG_NONE, &bail,
      N_("Stop at the first request that fails"), NULL },
    { "junit", 0, 0, G_OPTION_ARG_FILENAME, &junit,
      N_("Write a JUnit XML report"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_FILENAME, &json,
      N_("Write a JSON report"), N_("FILE") },
    { "har", 0, 0, G_OPTION_ARG_FILENAME, &har,
      N_("Write the requests and responses as a HAR 1.2 file"), N_("FILE") },
    { "parallel", 'p', 0, G_OPTION_ARG_INT, &parallel,
      N_("Send up to N requests at a time (default 1)"), N_("N") },
    { "timeout", 't', 0, G_OPTION_ARG_STRING, &timeout_text,
      N_("Give up on a request after this many seconds, unless it sets its own"), N_("SECONDS") },
    { "insecure", 'k', 0, G_OPTION_ARG_NONE, &insecure,
      N_("Do not verify TLS certificates"), NULL },
    { "no-color", 0, 0, G_OPTION_ARG_NONE, &no_color,
      N_("Do not colour the output (also when NO_COLOR is set)"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL, N_("PATH…") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Run the requests of .http files and folders, in file order, each "
                                  "request another one uses first. Exit status: 0 every assertion "
                                  "passed, 1 an assertion or a request failed, 2 usage, parse or "
                                  "variable errors, 3 could not connect, 4 a timeout fired."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  ladle_cli_add_version_option (context);
  ladle_cli_cookies_add_options (&cookies, context);
  workspace_cookies_add_option (&workspace_cookies, context);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_set_prgname ("ladle run");

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      ladle_cli_usage_error ("run", error->message);
      return LADLE_EXIT_USAGE;
    }

  if (rest == NULL || rest[0] == NULL)
    {
      ladle_cli_usage_error ("run", _("no file or folder given"));
      return LADLE_EXIT_USAGE;
    }
  if (parallel < 1 || parallel > LADLE_HTTP_CLIENT_MAX_PER_HOST)
    {
      g_autofree char *message = g_strdup_printf (_("--parallel takes a number from 1 to %u"),
                                                  LADLE_HTTP_CLIENT_MAX_PER_HOST);

      ladle_cli_usage_error ("run", message);
      return LADLE_EXIT_USAGE;
    }
  if (!ladle_cli_parse_seconds ("--timeout", timeout_text, &timeout, &error))
    {
      ladle_cli_usage_error ("run", error->message);
      return LADLE_EXIT_USAGE;
    }

  /* Environment files are looked for from each file's folder upwards: up to the current folder
   * when every path is inside it, else up to the filesystem's root. */
  root = g_strdup (cwd);
  for (guint i = 0; rest[i] != NULL; i++)
    {
      g_autoptr(GFile) here = g_file_new_for_path (cwd);
      g_autoptr(GFile) path = g_file_new_for_commandline_arg (rest[i]);

      if (!g_file_equal (here, path) && !g_file_has_prefix (path, here))
        g_clear_pointer (&root, g_free);
    }

  for (guint i = 0; rest[i] != NULL; i++)
    {
      if (g_file_test (rest[i], G_FILE_TEST_IS_DIR))
        {
          g_autoptr(GPtrArray) found = ladle_workspace_load_files (rest[i], &error);

          if (found == NULL)
            {
              g_printerr ("ladle run: %s\n", error->message);
              return LADLE_EXIT_USAGE;
            }
          for (guint j = 0; j < found->len; j++)
            g_ptr_array_add (files, ladle_http_file_ref (g_ptr_array_index (found, j)));
        }
      else
        {
          LadleHttpFile *file = ladle_http_file_load (rest[i], &error);

          if (file == NULL)
            {
              g_printerr ("ladle run: %s\n", error->message);
              return LADLE_EXIT_USAGE;
            }
          g_ptr_array_add (files, file);
        }
    }

  if (files->len == 0)
    {
      ladle_cli_usage_error ("run", _("no .http or .rest file found"));
      return LADLE_EXIT_USAGE;
    }

  for (guint i = 0; i < files->len; i++)
    {
      LadleHttpFile *file = g_ptr_array_index (files, i);
      GPtrArray *diagnostics = ladle_http_file_get_diagnostics (file);

      for (guint j = 0; j < diagnostics->len; j++)
        {
          const LadleHttpDiagnostic *diagnostic = g_ptr_array_index (diagnostics, j);

          g_printerr ("%s:%u:%u: %s\n", ladle_http_file_get_path (file), diagnostic->line,
                      diagnostic->column, diagnostic->message);
          parse_failed = TRUE;
        }
    }

  if (parse_failed)
    return LADLE_EXIT_USAGE;

  client = ladle_http_client_new ();
  workspace_cookies_load (&workspace_cookies, rest, cwd, client);
  if (!ladle_cli_cookies_load (&cookies, "run", client))
    return LADLE_EXIT_USAGE;
  runner = ladle_http_runner_new (client, root, env);
  ladle_cli_cookies_watch_runner (&cookies, runner);
  ladle_http_runner_set_bail (runner, bail);
  ladle_http_runner_set_parallel (runner, parallel);
  ladle_http_runner_set_timeout (runner, timeout);
  ladle_http_runner_set_insecure (runner, insecure);
  /* Responses are dropped once checked, unless the HAR file needs them */
  ladle_http_runner_set_keep_responses (runner, har != NULL);

  for (guint i = 0; vars != NULL && vars[i] != NULL; i++)
    {
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (!ladle_cli_split_pair (vars[i], '=', &name, &value))
        {
          g_autofree char *message = g_strdup_printf (_("“%s” is not a variable (use NAME=VALUE)"),
                                                      vars[i]);

          ladle_cli_usage_error ("run", message);
          return LADLE_EXIT_USAGE;
        }
      ladle_http_runner_set_override (runner, name, value);
    }

  for (guint i = 0; i < files->len; i++)
    {
      LadleHttpFile *file = g_ptr_array_index (files, i);

      if (requests == NULL)
        {
          if (!ladle_http_runner_add_file (runner, file, NULL, &error))
            {
              g_printerr ("ladle run: %s\n", error->message);
              return LADLE_EXIT_USAGE;
            }
          continue;
        }

      for (guint j = 0; requests[j] != NULL; j++)
        if (ladle_http_file_find_entry (file, requests[j]) != NULL &&
            !ladle_http_runner_add_file (runner, file, requests[j], &error))
          {
            g_printerr ("ladle run: %s\n", error->message);
            return LADLE_EXIT_USAGE;
          }
    }

  for (guint j = 0; requests != NULL && requests[j] != NULL; j++)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < files->len && !found; i++)
        found = ladle_http_file_find_entry (g_ptr_array_index (files, i), requests[j]) != NULL;
      if (!found)
        {
          g_autofree char *message = g_strdup_printf (_("no request is named “%s”"), requests[j]);

          ladle_cli_usage_error ("run", message);
          return LADLE_EXIT_USAGE;
        }
    }

  signal (SIGPIPE, SIG_IGN);
  loop = g_main_loop_new (NULL, FALSE);
  cancellable = g_cancellable_new ();
  state.loop = loop;
  state.cancellable = cancellable;
  state.color = !no_color && g_getenv ("NO_COLOR") == NULL && isatty (STDOUT_FILENO);
  sigint_id = g_unix_signal_add (SIGINT, on_signal, &state);

  g_signal_connect (runner, "item-finished", G_CALLBACK (item_finished_cb), &state);
  ladle_http_runner_run_async (runner, cancellable, run_cb, &state);
  if (!state.done)
    g_main_loop_run (loop);
  g_source_remove (sigint_id);

  {
    g_autofree char *seconds = g_strdup_printf ("%.2f", state.summary.duration / 1e6);

    printf ("\n%s", paint (&state, BOLD));
    /* Translators: the summary of `ladle run`; the parts follow */
    printf (g_dngettext (GETTEXT_PACKAGE, "%u request: ", "%u requests: ", state.summary.total),
            state.summary.total);
    printf (_("%u passed, %u failed, %u errors, %u skipped"), state.summary.passed,
            state.summary.failed, state.summary.errors, state.summary.skipped);
    printf ("%s · ", paint (&state, RESET));
    printf (_("assertions: %u passed, %u failed"), state.summary.assertions_passed,
            state.summary.assertions_failed);
    if (state.summary.not_run > 0)
      {
        printf (" · ");
        printf (g_dngettext (GETTEXT_PACKAGE, "%u JavaScript block not run",
                             "%u JavaScript blocks not run", state.summary.not_run),
                state.summary.not_run);
      }
    printf (" · ");
    /* Translators: %s is a number of seconds such as 0.42 */
    printf (_("%s s"), seconds);
    printf ("\n");
    fflush (stdout);
  }

  status = run_exit_status (runner);

  if (junit != NULL)
    {
      g_autofree char *text = ladle_http_runner_to_junit (runner, "ladle run");

      if (!write_report (junit, text, &error))
        {
          g_printerr ("ladle run: %s\n", error->message);
          g_clear_error (&error);
          status = LADLE_EXIT_FAILURE;
        }
    }
  if (json != NULL)
    {
      g_autofree char *text = ladle_http_runner_to_json (runner);

      if (!write_report (json, text, &error))
        {
          g_printerr ("ladle run: %s\n", error->message);
          g_clear_error (&error);
          status = LADLE_EXIT_FAILURE;
        }
    }

  if (har != NULL)
    {
      g_autoptr(LadleHar) builder = ladle_har_new ();
      GListModel *items = ladle_http_runner_get_items (runner);
      g_autofree char *text = NULL;

      for (guint i = 0; i < g_list_model_get_n_items (items); i++)
        {
          g_autoptr(LadleRunItem) item = g_list_model_get_item (items, i);
          const GError *item_error = ladle_run_item_get_error (item);

          if (ladle_run_item_get_request (item) == NULL || ladle_run_item_get_started (item) == 0)
            continue;
          ladle_har_add (builder, ladle_run_item_get_request (item),
                         ladle_run_item_get_response (item),
                         item_error != NULL ? item_error->message : NULL,
                         ladle_run_item_get_started (item), ladle_run_item_get_duration (item));
        }

      text = ladle_har_to_data (builder, NULL);
      if (!write_report (har, text, &error))
        {
          g_printerr ("ladle run: %s\n", error->message);
          g_clear_error (&error);
          status = LADLE_EXIT_FAILURE;
        }
    }

  if (!ladle_cli_cookies_save (&cookies, "run", client))
    status = MAX (status, LADLE_EXIT_FAILURE);
  if (!workspace_cookies_save (&workspace_cookies))
    status = MAX (status, LADLE_EXIT_FAILURE);

  if (g_cancellable_is_cancelled (cancellable) && status == LADLE_EXIT_OK)
    status = LADLE_EXIT_FAILURE;

  g_clear_error (&state.error);
  return status;
}
