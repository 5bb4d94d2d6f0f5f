/* ladle-test-ui.h
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

#include "ladle-requests-page.h"
#include "ladle-server.h"
#include "ladle-test-utils.h"

G_BEGIN_DECLS

/* Initialises GLib's test framework, GTK and libadwaita. Returns FALSE when there is no display:
 * the caller then registers no GTK case but one that skips (see LADLE_TEST_UI_MAIN). */
gboolean  ladle_test_ui_init            (int          *argc,
                                         char       ***argv);
/* Presents @window at @width × @height and waits until it has drawn a frame. */
void      ladle_test_ui_show            (GtkWindow    *window,
                                         int           width,
                                         int           height);
void      ladle_test_ui_wait_for_draw   (GtkWidget    *widget);
/* Spins the main context for @ms milliseconds (animations, idle work). */
void      ladle_test_ui_spin            (guint         ms);
/* Saves what @widget shows to G_TEST_BUILDDIR/screenshots/@name.png; returns the path. */
char     *ladle_test_ui_screenshot      (GtkWidget    *widget,
                                         const char   *name);
/* Sets the colour scheme of the process (light or dark). */
void      ladle_test_ui_set_dark        (gboolean      dark);
/* Finds a descendant of @root by its GtkBuildable id or widget name; NULL if none. */
GtkWidget *ladle_test_ui_find           (GtkWidget    *root,
                                         const char   *name);
/* ladle_test_ui_find() for a widget that must be there: fails the test, naming it, if none. */
GtkWidget *ladle_test_ui_get            (gpointer      root,
                                         const char   *name);
/* TRUE when @root, or a widget under it, is a GtkLabel showing exactly @text. */
gboolean  ladle_test_ui_has_label       (GtkWidget    *root,
                                         const char   *text);
/* The first button under @root that shows @title (a GtkStackSwitcher's or an AdwViewSwitcher's
 * button, say); fails the test if none does. */
GtkWidget *ladle_test_ui_button_titled  (GtkWidget    *root,
                                         const char   *title);
/* The whole text of @text_view, a GtkTextView. */
char     *ladle_test_ui_dup_text        (GtkWidget    *text_view);
/* TRUE when the keyboard focus of @widget's window is on @widget or on a widget inside it. */
gboolean  ladle_test_ui_has_focus_in    (GtkWidget    *widget);
/* Destroys @window (a GtkWindow) and waits until it is finalized. */
void      ladle_test_ui_destroy_window  (gpointer      window);
void      ladle_test_ui_forget_icons    (void);
/* The first mapped toplevel window of @type (a class or an interface); NULL if none. */
GtkWindow *ladle_test_ui_find_toplevel  (GType         type);
/* Switches the translation (e.g. "ru", or NULL for English) for widgets built from now on. */
void      ladle_test_ui_set_language    (const char   *language);
/* A main-loop stall meter: a timer that notes the longest gap between its ticks (µs) */
typedef struct
{
  gint64 last;
  gint64 longest;
  guint  id;
} LadleTestStall;

void      ladle_test_ui_stall_start     (LadleTestStall *stall,
                                         guint           interval_ms);
gint64    ladle_test_ui_stall_stop      (LadleTestStall *stall);

/* Layout checks. Each appends to @problems one line per defect under @root that is mapped and
 * shown: a label cut (ellipsized, narrower than its text, or pushed out of the window), or two
 * children of a GtkBox or GtkCenterBox that overlap. A widget is left out, with everything in it,
 * when its GtkBuildable id, widget name or type name is in @allowed (NULL-terminated; may be
 * NULL). */
void      ladle_test_ui_check_labels    (GtkWidget          *root,
                                         const char * const *allowed,
                                         GString            *problems);
void      ladle_test_ui_check_overlaps  (GtkWidget          *root,
                                         const char * const *allowed,
                                         GString            *problems);
/* Fails the test, listing every defect with @what, when ladle_test_ui_check_labels() (and, with
 * @overlaps, ladle_test_ui_check_overlaps()) finds any. */
void      ladle_test_ui_assert_layout   (GtkWidget          *root,
                                         gboolean            overlaps,
                                         const char * const *allowed,
                                         const char         *what);

GtkWidget *ladle_test_ui_find_by_type   (GtkWidget    *root,
                                         GType         type);
char     *ladle_test_ui_dup_viewer_text (GtkWidget    *viewer);
gboolean  ladle_test_ui_viewer_shows    (GtkWidget    *viewer,
                                         const char   *needle);

/* The Requests bench alone in a window like Ladle's, tried against an embedded server. */

/* Starts a LadleServer on a free port of 127.0.0.1 that keeps uploads in @uploads; *@base gets
 * its address, "http://127.0.0.1:PORT" (free it). */
LadleServer *ladle_test_ui_start_server          (const char         *uploads,
                                                  char              **base);
/* Stops @server and checks that the caller held its last reference. */
void         ladle_test_ui_stop_server           (LadleServer        *server);
/* A window with a header bar (showing @title, unless NULL) over a new LadleRequestsPage, *@page,
 * presented at @width × @height. */
GtkWindow   *ladle_test_ui_requests_window       (const char         *title,
                                                  int                 width,
                                                  int                 height,
                                                  LadleRequestsPage **page);
/* Destroys @window, holding @page, and waits until it and the page's history (which goes with the
 * last page, once saved) are finalized. */
void         ladle_test_ui_close_requests_window (GtkWindow          *window,
                                                  LadleRequestsPage  *page);
/* By hands (tests/ladle-test-input.h): clicks the address bar of @page's current tab, selects
 * what is there and types @base followed by @path. */
void         ladle_test_ui_type_url              (LadleRequestsPage  *page,
                                                  const char         *base,
                                                  const char         *path);

G_END_DECLS
