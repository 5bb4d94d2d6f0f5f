/* ladle-http-runner.h
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ladle-http-assert.h"
#include "ladle-http-client.h"
#include "ladle-http-file.h"
#include "ladle-http-vars.h"

G_BEGIN_DECLS

typedef enum
{
  LADLE_RUN_PENDING,
  LADLE_RUN_RUNNING,
  LADLE_RUN_PASSED,       /* a response, and every assertion that ran passed */
  LADLE_RUN_FAILED,       /* a response, and an assertion failed (or could not be read) */
  LADLE_RUN_ERROR,        /* no response: the request could not be built or sent */
  LADLE_RUN_SKIPPED,      /* not run: --bail after a failure, or the run was cancelled */
} LadleRunStatus;

GType ladle_run_status_get_type (void) G_GNUC_CONST;
#define LADLE_TYPE_RUN_STATUS (ladle_run_status_get_type ())

/* LadleRunItem: one request of a run, followed live through its properties ("status" last). */
#define LADLE_TYPE_RUN_ITEM (ladle_run_item_get_type ())
G_DECLARE_FINAL_TYPE (LadleRunItem, ladle_run_item, LADLE, RUN_ITEM, GObject)

LadleHttpFile  *ladle_run_item_get_file        (LadleRunItem *self);
LadleHttpEntry *ladle_run_item_get_entry       (LadleRunItem *self);
/* The entry's name, else "METHOD URL" as written. */
const char     *ladle_run_item_get_title       (LadleRunItem *self);
/* "PATH:LINE" of the request line. */
const char     *ladle_run_item_get_location    (LadleRunItem *self);
LadleRunStatus  ladle_run_item_get_status      (LadleRunItem *self);
/* (nullable): the request as sent (variables expanded), once built. */
LadleRequest   *ladle_run_item_get_request     (LadleRunItem *self);
/* (nullable): the response, once there is one. */
LadleResponse  *ladle_run_item_get_response    (LadleRunItem *self);
/* (nullable): why there is no response (ERROR), or why it was skipped. */
const GError   *ladle_run_item_get_error       (LadleRunItem *self);
/* Real time (µs) the send started, and how long it took (µs); 0 until sent. */
gint64          ladle_run_item_get_started     (LadleRunItem *self);
gint64          ladle_run_item_get_duration    (LadleRunItem *self);
/* (element-type LadleHttpAssertResult): one per `??` line, in order, once it ran. */
GPtrArray      *ladle_run_item_get_assertions  (LadleRunItem *self);
/* The response's status and body size, kept when the response itself is not (0 before). */
guint           ladle_run_item_get_http_status (LadleRunItem *self);
guint64         ladle_run_item_get_body_size   (LadleRunItem *self);
/* How many JavaScript blocks of the entry were kept and not run. */
guint           ladle_run_item_get_n_not_run   (LadleRunItem *self);

typedef struct
{
  guint  total;
  guint  passed;
  guint  failed;
  guint  errors;
  guint  skipped;
  guint  assertions_passed;
  guint  assertions_failed;
  guint  not_run;           /* JavaScript assertions and blocks kept, not run */
  gint64 duration;          /* µs, the whole run */
} LadleRunSummary;

/* LadleHttpRunner: runs requests of `.http` files in file order, each request that another
 * refers to ({{login.token}}) first and once, over one LadleHttpClient (so connections are kept
 * alive), at most "parallel" at a time. Lives on its owner's thread; everything is async.
 * Signals: "item-started" and "item-finished" (LadleRunItem *item), on the owner's context. */
#define LADLE_TYPE_HTTP_RUNNER (ladle_http_runner_get_type ())
G_DECLARE_FINAL_TYPE (LadleHttpRunner, ladle_http_runner, LADLE, HTTP_RUNNER, GObject)

/* @root (nullable): the workspace folder, where the search for environment files stops;
 * @env (nullable): the environment's name. */
LadleHttpRunner *ladle_http_runner_new            (LadleHttpClient      *client,
                                                   const char           *root,
                                                   const char           *env);
void             ladle_http_runner_set_override   (LadleHttpRunner      *self,
                                                   const char           *name,
                                                   const char           *value);
void             ladle_http_runner_set_parallel   (LadleHttpRunner      *self,
                                                   guint                 parallel);
/* Whether items keep their responses once checked (the window shows them); the command line
 * drops them to run in little memory. Named requests' responses stay for chaining either way. */
void             ladle_http_runner_set_keep_responses (LadleHttpRunner  *self,
                                                       gboolean          keep);
/* Stop at the first request that does not pass: the rest are SKIPPED. */
void             ladle_http_runner_set_bail       (LadleHttpRunner      *self,
                                                   gboolean              bail);
/* Seconds; the total timeout of requests that have none of their own; 0 = none. */
void             ladle_http_runner_set_timeout    (LadleHttpRunner      *self,
                                                   double                seconds);
void             ladle_http_runner_set_insecure   (LadleHttpRunner      *self,
                                                   gboolean              insecure);
/* Adds the entries of @file (every one, or only the one named @name) to the run. FALSE with
 * @error when @name is not in the file or the environment is unknown. */
gboolean         ladle_http_runner_add_file       (LadleHttpRunner      *self,
                                                   LadleHttpFile        *file,
                                                   const char           *name,
                                                   GError              **error);
/* (transfer none): the scope the requests of @file are expanded in (made on first use: the
 * environment files that apply to it are read then); NULL with @error when they are damaged or
 * lack the environment. */
LadleHttpScope  *ladle_http_runner_get_scope      (LadleHttpRunner      *self,
                                                   LadleHttpFile        *file,
                                                   GError              **error);
/* (transfer none): a GListModel of LadleRunItem, in the order they were added. */
GListModel      *ladle_http_runner_get_items      (LadleHttpRunner      *self);
void             ladle_http_runner_run_async      (LadleHttpRunner      *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean         ladle_http_runner_run_finish     (LadleHttpRunner      *self,
                                                   GAsyncResult         *result,
                                                   LadleRunSummary      *out_summary,
                                                   GError              **error);

/* Reports of a finished run. */
char            *ladle_http_runner_to_junit       (LadleHttpRunner      *self,
                                                   const char           *suite_name);
char            *ladle_http_runner_to_json        (LadleHttpRunner      *self);

G_END_DECLS
