/* ladle-bench-hooks.h
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

#include "ladle-window.h"

G_BEGIN_DECLS

/* Reads the LADLE_BENCH_* variables (see ladle-bench-hooks.c) and sets up what they ask of @window */
void ladle_bench_hooks_install (LadleWindow *window);

G_END_DECLS
