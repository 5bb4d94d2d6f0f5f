/* ladle-timing-view.h
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

#include <gtk/gtk.h>

#include "ladle-response.h"

G_BEGIN_DECLS

#define LADLE_TYPE_TIMING_VIEW (ladle_timing_view_get_type ())

G_DECLARE_FINAL_TYPE (LadleTimingView, ladle_timing_view, LADLE, TIMING_VIEW, GtkWidget)

GtkWidget *ladle_timing_view_new        (void);
/* @timing: (nullable): copied; NULL clears the view */
void       ladle_timing_view_set_timing (LadleTimingView   *self,
                                         const LadleTiming *timing);
/* The rows: Prepare, DNS, Connect, TLS, Wait, Download, then Total */
#define LADLE_TIMING_VIEW_N_ROWS 7

/* The label shown for row @index (0 = Prepare … LADLE_TIMING_VIEW_N_ROWS - 1 = Total) with its
 * duration, e.g. "Wait 1.2 ms"; for tests and accessibility. */
char      *ladle_timing_view_dup_row    (LadleTimingView   *self,
                                         guint              index);

G_END_DECLS
