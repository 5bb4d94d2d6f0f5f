/* ladle-http-runner.c
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
#include <json-glib/json-glib.h>

#include "ladle-error.h"
#include "ladle-http-runner.h"
#include "ladle-json.h"

G_DEFINE_ENUM_TYPE (LadleRunStatus, ladle_run_status,
                    G_DEFINE_ENUM_VALUE (LADLE_RUN_PENDING, "pending"),
                    G_DEFINE_ENUM_VALUE (LADLE_RUN_RUNNING, "running"),
                    G_DEFINE_ENUM_VALUE (LADLE_RUN_PASSED, "passed"),
                    G_DEFINE_ENUM_VALUE (LADLE_RUN_FAILED, "failed"),
                    G_DEFINE_ENUM_VALUE (LADLE_RUN_ERROR, "error"),
                    G_DEFINE_ENUM_VALUE (LADLE_RUN_SKIPPED, "skipped"))

/* Items */

struct _LadleRunItem
{
  GObject          parent_instance;

  LadleHttpFile   *file;
  LadleHttpEntry  *entry;
  LadleHttpScope  *scope;
  char            *title;
  char            *location;
  LadleRunStatus   status;
  LadleRequest    *request;
  LadleResponse   *response;
  GError          *error;
  gint64           started;
  gint64           duration;
  GPtrArray       *assertions;
  guint            n_not_run;
  guint            http_status;
  guint64          body_size;

  /* While the run lasts */
  GStrv            dependencies;   /* the names it uses, found once */
  gboolean         visiting;
  LadleExchange   *exchange;
};

enum {
  ITEM_PROP_0,
  ITEM_PROP_TITLE,
  ITEM_PROP_LOCATION,
  ITEM_PROP_STATUS,
  ITEM_PROP_REQUEST,
  ITEM_PROP_RESPONSE,
  ITEM_PROP_DURATION,
  N_ITEM_PROPS
};

static GParamSpec *item_properties[N_ITEM_PROPS];

G_DEFINE_FINAL_TYPE (LadleRunItem, ladle_run_item, G_TYPE_OBJECT)

static void
ladle_run_item_finalize (GObject *object)
{
  LadleRunItem *self = LADLE_RUN_ITEM (object);

  g_clear_pointer (&self->file, ladle_http_file_unref);
  g_clear_pointer (&self->entry, ladle_http_entry_unref);
  g_clear_pointer (&self->scope, ladle_http_scope_unref);
  g_free (self->title);
  g_free (self->location);
  g_clear_object (&self->request);
  g_clear_object (&self->response);
  g_clear_error (&self->error);
  g_ptr_array_unref (self->assertions);
  g_clear_object (&self->exchange);
  g_strfreev (self->dependencies);

  G_OBJECT_CLASS (ladle_run_item_parent_class)->finalize (object);
}

static void
ladle_run_item_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  LadleRunItem *self = LADLE_RUN_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case ITEM_PROP_LOCATION:
      g_value_set_string (value, self->location);
      break;
    case ITEM_PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case ITEM_PROP_REQUEST:
      g_value_set_object (value, self->request);
      break;
    case ITEM_PROP_RESPONSE:
      g_value_set_object (value, self->response);
      break;
    case ITEM_PROP_DURATION:
      g_value_set_int64 (value, self->duration);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_run_item_class_init (LadleRunItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = ladle_run_item_finalize;
  object_class->get_property = ladle_run_item_get_property;

  item_properties[ITEM_PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, ro);
  item_properties[ITEM_PROP_LOCATION] = g_param_spec_string ("location", NULL, NULL, NULL, ro);
  item_properties[ITEM_PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, LADLE_TYPE_RUN_STATUS, LADLE_RUN_PENDING, ro);
  item_properties[ITEM_PROP_REQUEST] =
    g_param_spec_object ("request", NULL, NULL, LADLE_TYPE_REQUEST, ro);
  item_properties[ITEM_PROP_RESPONSE] =
    g_param_spec_object ("response", NULL, NULL, LADLE_TYPE_RESPONSE, ro);
  item_properties[ITEM_PROP_DURATION] =
    g_param_spec_int64 ("duration", NULL, NULL, 0, G_MAXINT64, 0, ro);

  g_object_class_install_properties (object_class, N_ITEM_PROPS, item_properties);
}

static void
ladle_run_item_init (LadleRunItem *self)
{
  self->assertions = g_ptr_array_new_with_free_func ((GDestroyNotify) ladle_http_assert_result_free);
}

static LadleRunItem *
run_item_new (LadleHttpFile  *file,
              LadleHttpEntry *entry,
              LadleHttpScope *scope)
{
  LadleRunItem *self = g_object_new (LADLE_TYPE_RUN_ITEM, NULL);
  const char *path = ladle_http_file_get_path (file);

  self->file = ladle_http_file_ref (file);
  self->entry = ladle_http_entry_ref (entry);
  self->scope = ladle_http_scope_ref (scope);
  if (entry->name != NULL && entry->name[0] != '\0')
    self->title = g_strdup (entry->name);
  else
    self->title = g_strdup_printf ("%s %s", entry->method, entry->url);
  self->location = g_strdup_printf ("%s:%u", path != NULL ? path : "-", entry->request_line);
  self->n_not_run = entry->scripts->len;
  return self;
}

LadleHttpFile *
ladle_run_item_get_file (LadleRunItem *self)
{
  g_return_val_if_fail (LADLE_IS_RUN_ITEM (self), NULL);
  return self->file;
}

LadleHttpEntry *
ladle_run_item_get_entry (LadleRunItem *self)
{
  g_return_val_if_fail (LADLE_IS_RUN_ITEM (self), NULL);
  return self->entry;
}

const char *
ladle_run_item_get_title (LadleRunItem *self)
{
  g_return_val_if_fail (LADLE_IS_RUN_ITEM (self), NULL);
  return self->title;
}

const char *
ladle_run_item_get_location (LadleRunItem *self)
{
  g_return_val_if_fail (LADLE_IS_RUN_ITEM (self), NULL);
  return self->location;
}

LadleRunStatus
ladle_run_item_get_status (LadleRunItem *self)
{
  g_return_val_if_fail (LADLE_IS_RUN_ITEM (self), LADLE_RUN_PENDING);
  return self->status;
}

LadleRequest *
ladle_run_item_get_request (LadleRunItem *self)
{
  g_return_val_if_fail (LADLE_IS_RUN_ITEM (self), NULL);
  return self->request;
}

LadleResponse *
ladle_run_item_get_response (LadleRunItem *self)
{
  g_return_val_if_fail (LADLE_IS_RUN_ITEM (self), NULL);
  return self->response;
}

const GError *
ladle_run_item_get_error (LadleRunItem *self)
{
  g_return_val_if_fail (LADLE_IS_RUN_ITEM (self), NULL);
  return self->error;
}

gint64
ladle_run_item_get_started (LadleRunItem *self)
{
  g_return_val_if_fail (LADLE_IS_RUN_ITEM (self), 0);
  return self->started;
}

gint64
ladle_run_item_get_duration (LadleRunItem *self)
{
  g_return_val_if_fail (LADLE_IS_RUN_ITEM (self), 0);
  return self->duration;
}

GPtrArray *
ladle_run_item_get_assertions (LadleRunItem *self)
{
  g_return_val_if_fail (LADLE_IS_RUN_ITEM (self), NULL);
  return self->assertions;
}

guint
ladle_run_item_get_http_status (LadleRunItem *self)
{
  g_return_val_if_fail (LADLE_IS_RUN_ITEM (self), 0);
  return self->http_status;
}

guint64
ladle_run_item_get_body_size (LadleRunItem *self)
{
  g_return_val_if_fail (LADLE_IS_RUN_ITEM (self), 0);
  return self->body_size;
}

guint
ladle_run_item_get_n_not_run (LadleRunItem *self)
{
  g_return_val_if_fail (LADLE_IS_RUN_ITEM (self), 0);
  return self->n_not_run;
}

static void
item_set_status (LadleRunItem   *self,
                 LadleRunStatus  status)
{
  if (self->status == status)
    return;

  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), item_properties[ITEM_PROP_STATUS]);
}

/* The runner */

struct _LadleHttpRunner
{
  GObject          parent_instance;

  LadleHttpClient *client;
  char            *root;
  char            *env;
  GHashTable      *overrides;     /* name → value */
  GHashTable      *scopes;        /* environments folder → LadleHttpScope */
  guint            parallel;
  gboolean         bail;
  gboolean         insecure;
  gboolean         keep_responses;
  double           timeout;
  GListStore      *items;
  GHashTable      *by_entry;      /* LadleHttpEntry → its LadleRunItem (unowned) */
  guint            first_pending; /* no item before it is pending */

  /* While a run lasts */
  GTask           *task;
  GCancellable    *cancellable;
  guint            running;
  gboolean         stopping;
  gint64           run_started;
  LadleRunSummary  summary;
};

enum {
  SIGNAL_ITEM_STARTED,
  SIGNAL_ITEM_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (LadleHttpRunner, ladle_http_runner, G_TYPE_OBJECT)

static void
ladle_http_runner_dispose (GObject *object)
{
  LadleHttpRunner *self = LADLE_HTTP_RUNNER (object);

  g_clear_object (&self->client);
  if (self->items != NULL)
    g_list_store_remove_all (self->items);
  g_clear_object (&self->items);
  g_clear_pointer (&self->scopes, g_hash_table_unref);
  g_clear_pointer (&self->by_entry, g_hash_table_unref);

  G_OBJECT_CLASS (ladle_http_runner_parent_class)->dispose (object);
}

static void
ladle_http_runner_finalize (GObject *object)
{
  LadleHttpRunner *self = LADLE_HTTP_RUNNER (object);

  g_free (self->root);
  g_free (self->env);
  g_hash_table_unref (self->overrides);

  G_OBJECT_CLASS (ladle_http_runner_parent_class)->finalize (object);
}

static void
ladle_http_runner_class_init (LadleHttpRunnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ladle_http_runner_dispose;
  object_class->finalize = ladle_http_runner_finalize;

  signals[SIGNAL_ITEM_STARTED] =
    g_signal_new ("item-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, LADLE_TYPE_RUN_ITEM);
  signals[SIGNAL_ITEM_FINISHED] =
    g_signal_new ("item-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, LADLE_TYPE_RUN_ITEM);
}

static void
ladle_http_runner_init (LadleHttpRunner *self)
{
  self->overrides = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->scopes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) ladle_http_scope_unref);
  self->items = g_list_store_new (LADLE_TYPE_RUN_ITEM);
  self->by_entry = g_hash_table_new (NULL, NULL);
  self->parallel = 1;
  self->keep_responses = TRUE;
}

LadleHttpRunner *
ladle_http_runner_new (LadleHttpClient *client,
                       const char      *root,
                       const char      *env)
{
  LadleHttpRunner *self;

  g_return_val_if_fail (LADLE_IS_HTTP_CLIENT (client), NULL);

  self = g_object_new (LADLE_TYPE_HTTP_RUNNER, NULL);
  self->client = g_object_ref (client);
  self->root = g_strdup (root);
  self->env = g_strdup (env != NULL && env[0] != '\0' ? env : NULL);
  return self;
}

void
ladle_http_runner_set_override (LadleHttpRunner *self,
                                const char      *name,
                                const char      *value)
{
  GHashTableIter iter;
  gpointer scope;

  g_return_if_fail (LADLE_IS_HTTP_RUNNER (self));

  g_hash_table_replace (self->overrides, g_strdup (name), g_strdup (value));
  g_hash_table_iter_init (&iter, self->scopes);
  while (g_hash_table_iter_next (&iter, NULL, &scope))
    ladle_http_scope_set_override (scope, name, value);
}

void
ladle_http_runner_set_parallel (LadleHttpRunner *self,
                                guint            parallel)
{
  g_return_if_fail (LADLE_IS_HTTP_RUNNER (self));
  self->parallel = CLAMP (parallel, 1, LADLE_HTTP_CLIENT_MAX_PER_HOST);
}

void
ladle_http_runner_set_bail (LadleHttpRunner *self,
                            gboolean         bail)
{
  g_return_if_fail (LADLE_IS_HTTP_RUNNER (self));
  self->bail = bail;
}

void
ladle_http_runner_set_timeout (LadleHttpRunner *self,
                               double           seconds)
{
  g_return_if_fail (LADLE_IS_HTTP_RUNNER (self));
  self->timeout = MAX (seconds, 0);
}

void
ladle_http_runner_set_insecure (LadleHttpRunner *self,
                                gboolean         insecure)
{
  g_return_if_fail (LADLE_IS_HTTP_RUNNER (self));
  self->insecure = insecure;
}

void
ladle_http_runner_set_keep_responses (LadleHttpRunner *self,
                                      gboolean         keep)
{
  g_return_if_fail (LADLE_IS_HTTP_RUNNER (self));
  self->keep_responses = keep;
}

GListModel *
ladle_http_runner_get_items (LadleHttpRunner *self)
{
  g_return_val_if_fail (LADLE_IS_HTTP_RUNNER (self), NULL);
  return G_LIST_MODEL (self->items);
}

/* The scope of the environment files that apply to @file, made once per folder. */
static LadleHttpScope *
scope_for_file (LadleHttpRunner  *self,
                LadleHttpFile    *file,
                GError          **error)
{
  const char *path = ladle_http_file_get_path (file);
  g_autofree char *folder = NULL;
  g_autoptr(LadleHttpEnvironments) environments = NULL;
  LadleHttpScope *scope;
  GHashTableIter iter;
  gpointer name, value;

  if (path != NULL)
    folder = ladle_http_environments_find_folder (path, self->root);
  else
    folder = g_strdup (self->root != NULL ? self->root : ".");

  scope = g_hash_table_lookup (self->scopes, folder);
  if (scope != NULL)
    return scope;

  environments = ladle_http_environments_load (folder, error);
  if (environments == NULL)
    return NULL;

  if (self->env != NULL && !ladle_http_environments_has (environments, self->env))
    {
      g_auto(GStrv) names = ladle_http_environments_dup_names (environments);
      g_autofree char *list = g_strjoinv (", ", names);

      if (names[0] == NULL)
        g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                     _("There is no environment “%s”: %s has no environment files"),
                     self->env, folder);
      else
        g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                     _("There is no environment “%s” in %s; there are: %s"),
                     self->env, folder, list);
      return NULL;
    }

  scope = ladle_http_scope_new (environments, self->env);
  g_hash_table_iter_init (&iter, self->overrides);
  while (g_hash_table_iter_next (&iter, &name, &value))
    ladle_http_scope_set_override (scope, name, value);
  g_hash_table_insert (self->scopes, g_steal_pointer (&folder), scope);
  return scope;
}

LadleHttpScope *
ladle_http_runner_get_scope (LadleHttpRunner  *self,
                             LadleHttpFile    *file,
                             GError          **error)
{
  g_return_val_if_fail (LADLE_IS_HTTP_RUNNER (self), NULL);

  return scope_for_file (self, file, error);
}

gboolean
ladle_http_runner_add_file (LadleHttpRunner  *self,
                            LadleHttpFile    *file,
                            const char       *name,
                            GError          **error)
{
  GPtrArray *entries;
  LadleHttpScope *scope;
  gboolean found = FALSE;

  g_return_val_if_fail (LADLE_IS_HTTP_RUNNER (self), FALSE);
  g_return_val_if_fail (self->task == NULL, FALSE);

  scope = scope_for_file (self, file, error);
  if (scope == NULL)
    return FALSE;

  entries = ladle_http_file_get_entries (file);
  for (guint i = 0; i < entries->len; i++)
    {
      LadleHttpEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(LadleRunItem) item = NULL;

      if (name != NULL && g_strcmp0 (entry->name, name) != 0)
        continue;

      item = run_item_new (file, entry, scope);
      g_list_store_append (self->items, item);
      if (!g_hash_table_contains (self->by_entry, entry))
        g_hash_table_insert (self->by_entry, entry, item);
      found = TRUE;
    }

  if (name != NULL && !found)
    {
      const char *path = ladle_http_file_get_path (file);

      g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                   _("%s has no request named “%s”"), path != NULL ? path : "-", name);
      return FALSE;
    }

  return TRUE;
}

/* Running */

static void pump (LadleHttpRunner *self);

/* An entry belongs to one file: the entry alone finds its item. */
static LadleRunItem *
find_item (LadleHttpRunner *self,
           LadleHttpEntry  *entry)
{
  return g_hash_table_lookup (self->by_entry, entry);
}

static guint
item_position (LadleHttpRunner *self,
               LadleRunItem    *item)
{
  guint position = 0;

  g_list_store_find (self->items, item, &position);
  return position;
}

static void
finish_item (LadleHttpRunner *self,
             LadleRunItem    *item,
             LadleRunStatus   status)
{
  item_set_status (item, status);
  self->summary.total++;

  switch (status)
    {
    case LADLE_RUN_PASSED:
      self->summary.passed++;
      break;
    case LADLE_RUN_FAILED:
      self->summary.failed++;
      break;
    case LADLE_RUN_ERROR:
      self->summary.errors++;
      break;
    case LADLE_RUN_SKIPPED:
      self->summary.skipped++;
      break;
    case LADLE_RUN_PENDING:
    case LADLE_RUN_RUNNING:
    default:
      g_assert_not_reached ();
    }

  if (status != LADLE_RUN_SKIPPED)
    self->summary.not_run += item->n_not_run;

  if (self->bail && (status == LADLE_RUN_FAILED || status == LADLE_RUN_ERROR))
    self->stopping = TRUE;

  g_signal_emit (self, signals[SIGNAL_ITEM_FINISHED], 0, item);
}

static void
fail_item (LadleHttpRunner *self,
           LadleRunItem    *item,
           GError          *error)
{
  g_clear_error (&item->error);
  item->error = error;
  finish_item (self, item, LADLE_RUN_ERROR);
}

static void
check_assertions (LadleHttpRunner *self,
                  LadleRunItem    *item,
                  gboolean        *out_failed)
{
  double duration_ms = item->duration / 1000.0;

  *out_failed = FALSE;
  for (guint i = 0; i < item->entry->assertions->len; i++)
    {
      const LadleHttpAssertLine *line = g_ptr_array_index (item->entry->assertions, i);
      LadleHttpAssertResult *result = ladle_http_assert_check (item->scope, item->file, item->entry,
                                                               line, item->response, duration_ms);

      switch (result->verdict)
        {
        case LADLE_HTTP_VERDICT_PASSED:
          self->summary.assertions_passed++;
          break;
        case LADLE_HTTP_VERDICT_FAILED:
        case LADLE_HTTP_VERDICT_ERROR:
          self->summary.assertions_failed++;
          *out_failed = TRUE;
          break;
        case LADLE_HTTP_VERDICT_NOT_RUN:
        default:
          /* JavaScript is counted; an assertion left unchecked for want of a response is not
           * JavaScript (the request's error says why). */
          if (!ladle_http_assert_validate (line->text, NULL))
            self->summary.not_run++;
          break;
        }
      g_ptr_array_add (item->assertions, result);
    }
}

static void
item_sent_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(LadleRunItem) item = user_data;
  LadleHttpRunner *self = g_object_get_data (G_OBJECT (item), "ladle-runner");
  g_autoptr(GError) error = NULL;
  g_autoptr(LadleResponse) response = NULL;
  gboolean failed = FALSE;

  response = ladle_http_client_send_finish (LADLE_HTTP_CLIENT (source), result, &error);
  g_object_set_data (G_OBJECT (item), "ladle-runner", NULL);
  item->duration = g_get_real_time () - item->started;
  g_clear_object (&item->exchange);
  g_object_notify_by_pspec (G_OBJECT (item), item_properties[ITEM_PROP_DURATION]);
  self->running--;

  if (response == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_error (&item->error);
          item->error = g_steal_pointer (&error);
          finish_item (self, item, LADLE_RUN_SKIPPED);
        }
      else
        {
          check_assertions (self, item, &failed);
          fail_item (self, item, g_steal_pointer (&error));
        }
    }
  else
    {
      item->response = g_object_ref (response);
      item->http_status = ladle_response_get_status (response);
      item->body_size = ladle_response_get_body_size (response);
      if (item->entry->name != NULL && item->entry->name[0] != '\0')
        ladle_http_scope_set_response (item->scope, item->file, item->entry->name, response);
      g_object_notify_by_pspec (G_OBJECT (item), item_properties[ITEM_PROP_RESPONSE]);
      check_assertions (self, item, &failed);
      finish_item (self, item, failed ? LADLE_RUN_FAILED : LADLE_RUN_PASSED);
      if (!self->keep_responses)
        g_clear_object (&item->response);
    }

  pump (self);
  g_object_unref (self);
}

static void
start_item (LadleHttpRunner *self,
            LadleRunItem    *item)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LadleRequest) request = NULL;

  item_set_status (item, LADLE_RUN_RUNNING);
  g_signal_emit (self, signals[SIGNAL_ITEM_STARTED], 0, item);

  request = ladle_http_scope_build_request (item->scope, item->file, item->entry, &error);
  if (request == NULL)
    {
      gboolean failed;

      check_assertions (self, item, &failed);
      fail_item (self, item, g_steal_pointer (&error));
      return;
    }

  if (self->timeout > 0 && ladle_request_get_total_timeout (request) == 0)
    ladle_request_set_total_timeout (request, self->timeout);
  if (self->insecure)
    ladle_request_set_verify_tls (request, FALSE);

  item->request = g_object_ref (request);
  g_object_notify_by_pspec (G_OBJECT (item), item_properties[ITEM_PROP_REQUEST]);
  item->started = g_get_real_time ();
  self->running++;
  g_object_set_data (G_OBJECT (item), "ladle-runner", self);
  g_object_ref (self);
  item->exchange = g_object_ref (ladle_http_client_send_async (self->client, request, NULL,
                                                               self->cancellable, item_sent_cb,
                                                               g_object_ref (item)));
}

/* How deep requests may depend on each other's responses (a → b → c… ); each level is a frame
 * of startable_for(). */
#define MAX_DEPENDENCY_DEPTH 256

/* The item to start for @item: @item when what it depends on has finished, a pending
 * dependency (or one of its own) otherwise, NULL when it must wait for a running one. A
 * dependency not in the run yet joins it, just before @item. @path holds the items being
 * visited, outermost first; when a dependency is already on it, the requests from it on refer to
 * each other in a circle: they are put in @out_circle and the error names them all. */
static LadleRunItem *
startable_for (LadleHttpRunner  *self,
               LadleRunItem     *item,
               GPtrArray        *path,
               GPtrArray        *out_circle,
               GError          **error)
{
  GStrv names;
  LadleRunItem *blocked_by_failure = NULL;
  LadleRunItem *start = item;

  if (item->dependencies == NULL)
    {
      item->dependencies = ladle_http_scope_dup_dependencies (item->scope, item->file, item->entry);
      if (item->dependencies == NULL)
        item->dependencies = g_new0 (char *, 1);
    }
  names = item->dependencies;
  if (names[0] == NULL)
    return item;

  if (item->visiting)
    {
      g_autoptr(GString) circle = g_string_new (NULL);
      guint first = 0;

      g_ptr_array_find (path, item, &first);
      for (guint i = first; i < path->len; i++)
        {
          LadleRunItem *member = g_ptr_array_index (path, i);

          g_ptr_array_add (out_circle, member);
          g_string_append_printf (circle, "%s → ", member->title);
        }
      g_string_append (circle, item->title);
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                   _("The requests refer to each other’s responses in a circle, through “%s”"),
                   circle->str);
      return NULL;
    }

  if (path->len >= MAX_DEPENDENCY_DEPTH)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                   _("Not sent: the chain of responses it uses is more than %u requests long"),
                   MAX_DEPENDENCY_DEPTH);
      return NULL;
    }

  item->visiting = TRUE;
  g_ptr_array_add (path, item);
  for (guint i = 0; names[i] != NULL; i++)
    {
      LadleHttpEntry *entry = ladle_http_file_find_entry (item->file, names[i]);
      LadleRunItem *dependency;

      if (entry == NULL || entry == item->entry)
        continue;

      dependency = find_item (self, entry);
      if (dependency == NULL)
        {
          g_autoptr(LadleRunItem) added = run_item_new (item->file, entry, item->scope);
          guint position = item_position (self, item);

          g_list_store_insert (self->items, position, added);
          g_hash_table_insert (self->by_entry, entry, added);
          self->first_pending = MIN (self->first_pending, position);
          dependency = added;
        }

      if (dependency->status == LADLE_RUN_PENDING)
        {
          start = startable_for (self, dependency, path, out_circle, error);
          break;
        }
      if (dependency->status == LADLE_RUN_RUNNING)
        {
          start = NULL;
          break;
        }
      if (dependency->http_status == 0 && blocked_by_failure == NULL)
        blocked_by_failure = dependency;
    }
  item->visiting = FALSE;
  g_ptr_array_set_size (path, path->len - 1);

  if (start == item && blocked_by_failure != NULL)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_FAILED,
                   _("Not sent: it uses the response of “%s”, which has none"),
                   blocked_by_failure->title);
      return NULL;
    }

  return start;
}

static void
complete_run (LadleHttpRunner *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  self->summary.duration = g_get_monotonic_time () - self->run_started;
  g_clear_object (&self->cancellable);
  g_task_return_boolean (task, TRUE);
}

static void
pump (LadleHttpRunner *self)
{
  GListModel *items = G_LIST_MODEL (self->items);
  g_autoptr(GPtrArray) path = g_ptr_array_new ();
  g_autoptr(GPtrArray) circle = g_ptr_array_new ();

  if (self->task == NULL)
    return;

  /* Bounded: each turn starts or finishes an item. */
  while (self->running < self->parallel)
    {
      LadleRunItem *start = NULL;
      gboolean failed_one = FALSE;

      if (self->stopping || g_cancellable_is_cancelled (self->cancellable))
        {
          for (guint i = 0; i < g_list_model_get_n_items (items); i++)
            {
              g_autoptr(LadleRunItem) item = g_list_model_get_item (items, i);

              if (item->status == LADLE_RUN_PENDING)
                finish_item (self, item, LADLE_RUN_SKIPPED);
            }
          break;
        }

      /* the items before first_pending have all left PENDING: a long run costs no more per
       * request as it goes */
      for (guint i = self->first_pending; i < g_list_model_get_n_items (items); i++)
        {
          g_autoptr(LadleRunItem) item = g_list_model_get_item (items, i);
          g_autoptr(GError) error = NULL;

          if (item->status != LADLE_RUN_PENDING)
            {
              if (i == self->first_pending)
                self->first_pending++;
              continue;
            }

          g_ptr_array_set_size (path, 0);
          g_ptr_array_set_size (circle, 0);
          start = startable_for (self, item, path, circle, &error);
          if (error != NULL)
            {
              /* Every request of a circle fails with it; one that only uses a circle fails on
               * the next turn, as a request whose dependency has no response. */
              for (guint j = 0; j < circle->len; j++)
                fail_item (self, g_ptr_array_index (circle, j), g_error_copy (error));
              if (circle->len == 0)
                fail_item (self, item, g_steal_pointer (&error));
              failed_one = TRUE;
              break;
            }
          if (start != NULL)
            break;
          /* else it waits for a request that runs: look further */
        }

      if (start != NULL)
        start_item (self, start);
      else if (!failed_one)
        break;
    }

  if (self->running > 0)
    return;

  /* Nothing runs, so nothing pending can be waiting on anything: finish the run. */
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(LadleRunItem) item = g_list_model_get_item (items, i);

      if (item->status == LADLE_RUN_PENDING)
        fail_item (self, item, g_error_new_literal (LADLE_ERROR, LADLE_ERROR_FAILED,
                                                    _("Not sent: what it depends on did not run")));
    }

  complete_run (self);
}

void
ladle_http_runner_run_async (LadleHttpRunner     *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (LADLE_IS_HTTP_RUNNER (self));
  g_return_if_fail (self->task == NULL);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, ladle_http_runner_run_async);
  /* The sends see the same cancellable; pump() skips the rest when they come back. */
  self->cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  memset (&self->summary, 0, sizeof self->summary);
  self->stopping = FALSE;
  self->first_pending = 0;
  self->run_started = g_get_monotonic_time ();

  pump (self);
}

gboolean
ladle_http_runner_run_finish (LadleHttpRunner  *self,
                              GAsyncResult     *result,
                              LadleRunSummary  *out_summary,
                              GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (out_summary != NULL)
    *out_summary = self->summary;
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Reports */

static const char *
status_name (LadleRunStatus status)
{
  GEnumClass *klass = g_type_class_ref (LADLE_TYPE_RUN_STATUS);
  GEnumValue *value = g_enum_get_value (klass, status);

  g_type_class_unref (klass);
  return value != NULL ? value->value_nick : "unknown";
}

static const char *
verdict_name (LadleHttpVerdict verdict)
{
  switch (verdict)
    {
    case LADLE_HTTP_VERDICT_PASSED:
      return "passed";
    case LADLE_HTTP_VERDICT_FAILED:
      return "failed";
    case LADLE_HTTP_VERDICT_NOT_RUN:
      return "not-run";
    case LADLE_HTTP_VERDICT_ERROR:
    default:
      return "error";
    }
}

static void
append_escaped (GString    *out,
                const char *text)
{
  g_autofree char *escaped = NULL;
  g_autoptr(GString) clean = g_string_new (NULL);

  /* XML 1.0 has no place for most control characters, even escaped. */
  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    {
      guchar c = *p;

      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
        g_string_append_printf (clean, "\\x%02x", c);
      else
        g_string_append_c (clean, c);
    }

  escaped = g_markup_escape_text (clean->str, -1);
  g_string_append (out, escaped);
}

static char *
item_failure_text (LadleRunItem *item)
{
  GString *text = g_string_new (NULL);

  if (item->error != NULL)
    g_string_append_printf (text, "%s\n", item->error->message);

  for (guint i = 0; i < item->assertions->len; i++)
    {
      const LadleHttpAssertResult *result = g_ptr_array_index (item->assertions, i);

      if (result->verdict == LADLE_HTTP_VERDICT_FAILED ||
          result->verdict == LADLE_HTTP_VERDICT_ERROR)
        g_string_append_printf (text, "?? %s: %s\n", result->text,
                                result->message != NULL ? result->message : "");
    }

  return g_string_free (text, FALSE);
}

char *
ladle_http_runner_to_junit (LadleHttpRunner *self,
                            const char      *suite_name)
{
  GListModel *items = G_LIST_MODEL (self->items);
  guint n = g_list_model_get_n_items (items);
  GString *out = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  guint failures = 0, errors = 0, skipped = 0;
  char seconds[G_ASCII_DTOSTR_BUF_SIZE];

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LadleRunItem) item = g_list_model_get_item (items, i);

      failures += item->status == LADLE_RUN_FAILED;
      errors += item->status == LADLE_RUN_ERROR;
      skipped += item->status == LADLE_RUN_SKIPPED || item->status == LADLE_RUN_PENDING;
    }

  g_ascii_formatd (seconds, sizeof seconds, "%.3f", self->summary.duration / 1e6);
  g_string_append (out, "<testsuites>\n  <testsuite name=\"");
  append_escaped (out, suite_name != NULL ? suite_name : "ladle run");
  g_string_append_printf (out, "\" tests=\"%u\" failures=\"%u\" errors=\"%u\" skipped=\"%u\" "
                          "time=\"%s\">\n", n, failures, errors, skipped, seconds);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LadleRunItem) item = g_list_model_get_item (items, i);
      const char *path = ladle_http_file_get_path (item->file);
      g_autofree char *failure = NULL;

      g_ascii_formatd (seconds, sizeof seconds, "%.3f", item->duration / 1e6);
      g_string_append (out, "    <testcase classname=\"");
      append_escaped (out, path != NULL ? path : "-");
      g_string_append (out, "\" name=\"");
      append_escaped (out, item->title);
      g_string_append_printf (out, "\" time=\"%s\" file=\"", seconds);
      append_escaped (out, path != NULL ? path : "-");
      g_string_append_printf (out, "\" line=\"%u\"", item->entry->request_line);

      switch (item->status)
        {
        case LADLE_RUN_PASSED:
          g_string_append (out, "/>\n");
          break;

        case LADLE_RUN_FAILED:
        case LADLE_RUN_ERROR:
          failure = item_failure_text (item);
          g_string_append_printf (out, ">\n      <%s message=\"",
                                  item->status == LADLE_RUN_FAILED ? "failure" : "error");
          {
            g_autofree char *first = g_strndup (failure, strcspn (failure, "\n"));

            append_escaped (out, first);
          }
          g_string_append (out, "\">");
          append_escaped (out, failure);
          g_string_append_printf (out, "</%s>\n    </testcase>\n",
                                  item->status == LADLE_RUN_FAILED ? "failure" : "error");
          break;

        case LADLE_RUN_SKIPPED:
        case LADLE_RUN_PENDING:
        case LADLE_RUN_RUNNING:
        default:
          g_string_append (out, ">\n      <skipped/>\n    </testcase>\n");
          break;
        }
    }

  g_string_append (out, "  </testsuite>\n</testsuites>\n");
  return g_string_free (out, FALSE);
}

char *
ladle_http_runner_to_json (LadleHttpRunner *self)
{
  GListModel *items = G_LIST_MODEL (self->items);
  guint n = g_list_model_get_n_items (items);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "summary");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "total");
  json_builder_add_int_value (builder, self->summary.total);
  json_builder_set_member_name (builder, "passed");
  json_builder_add_int_value (builder, self->summary.passed);
  json_builder_set_member_name (builder, "failed");
  json_builder_add_int_value (builder, self->summary.failed);
  json_builder_set_member_name (builder, "errors");
  json_builder_add_int_value (builder, self->summary.errors);
  json_builder_set_member_name (builder, "skipped");
  json_builder_add_int_value (builder, self->summary.skipped);
  json_builder_set_member_name (builder, "assertionsPassed");
  json_builder_add_int_value (builder, self->summary.assertions_passed);
  json_builder_set_member_name (builder, "assertionsFailed");
  json_builder_add_int_value (builder, self->summary.assertions_failed);
  json_builder_set_member_name (builder, "notRun");
  json_builder_add_int_value (builder, self->summary.not_run);
  json_builder_set_member_name (builder, "durationMs");
  json_builder_add_double_value (builder, self->summary.duration / 1000.0);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "requests");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LadleRunItem) item = g_list_model_get_item (items, i);
      const char *path = ladle_http_file_get_path (item->file);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, item->title);
      json_builder_set_member_name (builder, "file");
      json_builder_add_string_value (builder, path != NULL ? path : "-");
      json_builder_set_member_name (builder, "line");
      json_builder_add_int_value (builder, item->entry->request_line);
      json_builder_set_member_name (builder, "result");
      json_builder_add_string_value (builder, status_name (item->status));
      if (item->request != NULL)
        {
          json_builder_set_member_name (builder, "method");
          json_builder_add_string_value (builder, ladle_request_get_method (item->request));
          json_builder_set_member_name (builder, "url");
          json_builder_add_string_value (builder, ladle_request_get_url (item->request));
        }
      if (item->status == LADLE_RUN_PASSED || item->status == LADLE_RUN_FAILED)
        {
          json_builder_set_member_name (builder, "status");
          json_builder_add_int_value (builder, item->http_status);
          json_builder_set_member_name (builder, "size");
          json_builder_add_int_value (builder, item->body_size);
        }
      if (item->started != 0)
        {
          json_builder_set_member_name (builder, "durationMs");
          json_builder_add_double_value (builder, item->duration / 1000.0);
        }
      if (item->error != NULL)
        {
          json_builder_set_member_name (builder, "error");
          json_builder_add_string_value (builder, item->error->message);
        }
      json_builder_set_member_name (builder, "assertions");
      json_builder_begin_array (builder);
      for (guint j = 0; j < item->assertions->len; j++)
        {
          const LadleHttpAssertResult *result = g_ptr_array_index (item->assertions, j);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "assertion");
          json_builder_add_string_value (builder, result->text);
          json_builder_set_member_name (builder, "line");
          json_builder_add_int_value (builder, result->line);
          json_builder_set_member_name (builder, "result");
          json_builder_add_string_value (builder, verdict_name (result->verdict));
          if (result->message != NULL)
            {
              json_builder_set_member_name (builder, "message");
              json_builder_add_string_value (builder, result->message);
            }
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return ladle_json_to_pretty (root, NULL);
}
