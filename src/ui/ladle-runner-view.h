/* ladle-runner-view.h
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

#include <adwaita.h>

#include "ladle-http-runner.h"

G_BEGIN_DECLS

#define LADLE_TYPE_RUNNER_VIEW (ladle_runner_view_get_type ())

G_DECLARE_FINAL_TYPE (LadleRunnerView, ladle_runner_view, LADLE, RUNNER_VIEW, AdwWindow)

/* A window that runs @runner at once and lists its requests as they run, each assertion under its
 * request, and a summary. Signal "open-item" (LadleRunItem *item): a request was activated. */
LadleRunnerView *ladle_runner_view_new         (GtkWindow       *parent,
                                                LadleHttpRunner *runner,
                                                const char      *title);
LadleHttpRunner *ladle_runner_view_get_runner  (LadleRunnerView *self);
gboolean         ladle_runner_view_get_running (LadleRunnerView *self);
/* The summary line ("3 passed, 1 failed…"). */
const char      *ladle_runner_view_get_summary (LadleRunnerView *self);
void             ladle_runner_view_cancel      (LadleRunnerView *self);

G_END_DECLS
