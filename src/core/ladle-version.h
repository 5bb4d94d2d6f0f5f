/* ladle-version.h
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

#include <glib.h>

G_BEGIN_DECLS

/* What `ladle --version` prints, one "NAME VERSION" a line, each line ending in "\n". */

/* Ladle's version, then the libraries this process runs with that need no GTK (GLib, libsoup,
 * json-glib as it was built with, GnuTLS). The first line is "ladle PACKAGE_VERSION". */
char *ladle_version_describe    (void);
/* The lines that the window's executable @window (`ladle-window --version`) prints beyond
 * ladle_version_describe()'s: the GTK, libadwaita and GtkSourceView it runs with. When it cannot
 * say, one line instead: "GTK: not available (REASON)". Waits for it at most @timeout_ms. */
char *ladle_version_ask_window  (const char *window,
                                 guint       timeout_ms);

G_END_DECLS
