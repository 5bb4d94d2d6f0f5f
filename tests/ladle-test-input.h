/* ladle-test-input.h
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

G_BEGIN_DECLS

/* Hands for UI tests: real X input events (XTest) sent to the test's own display (Xvfb), so the
 * window sees what a user's keyboard and mouse produce — focus, key bindings, event controllers
 * and all. Each call returns once the X server has handled the events and GTK has dispatched them
 * (bounded wait, no fixed sleeps); callers then wait on the widgets' state. */

/* TRUE when the display is X11 with the XTest extension (else the caller skips). */
gboolean  ladle_test_input_available    (void);
/* Gives @window the X input focus and puts the pointer in it, as a user's first click would. */
void      ladle_test_input_focus_window (GtkWindow    *window);
/* Types @text (printable ASCII, and "\n" as Return) into whatever has the keyboard focus. */
void      ladle_test_input_type         (const char   *text);
/* Presses and releases a chord such as "ctrl+Return", "Escape", "ctrl+shift+O", "ctrl+l"
 * (modifiers ctrl, shift, alt, super; the key as an X keysym name). */
void      ladle_test_input_key          (const char   *chord);
/* Moves the pointer to @widget's on-screen centre and clicks the primary button there. */
void      ladle_test_input_click        (GtkWidget    *widget);
/* Resizes @window's X window to @width × @height and waits until GTK has allocated that size. */
void      ladle_test_input_resize       (GtkWindow    *window,
                                         int           width,
                                         int           height);
/* Lets GTK dispatch every event the X server has queued for it (bounded). */
void      ladle_test_input_settle       (void);
/* Types @text, any UTF-8 ("\n" as Return): Cyrillic, say, on a US keyboard. A character no key
 * gives is lent a spare keycode for the moment (remapped to its keysym, as xdotool does), and the
 * key is pressed once GDK has seen the new map. */
void      ladle_test_input_type_text    (const char   *text);
/* Types @text as ladle_test_input_type_text() does, but returns once the X server has the keys,
 * without waiting for GTK to go idle between them: for a widget that keeps the main loop busy
 * while typed into (the file chooser's location entry, whose completion popup is laid out again
 * at every frame under Xvfb). The caller then waits (bounded) for what the keys do. */
void      ladle_test_input_type_unsettled (const char   *text);
/* The same for a chord, as ladle_test_input_key() takes it. */
void      ladle_test_input_key_unsettled  (const char   *chord);
/* The mapped widget under @root that shows @label (mnemonic underscores left out): the button
 * holding the label if there is one, else the label itself; NULL if none is shown. */
GtkWidget *ladle_test_input_find_label  (GtkWidget    *root,
                                         const char   *label);
/* Clicks what ladle_test_input_find_label() finds, waiting (bounded) for it to be shown. */
void      ladle_test_input_click_label  (GtkWidget    *root,
                                         const char   *label);
/* TRUE when a click at @widget's centre would land on it (or on something inside it): the centre
 * is within the window and the part of it its scrolled parents show, and nothing covers it. */
gboolean  ladle_test_input_reaches      (GtkWidget    *widget);
/* Turns the mouse wheel @steps notches over @widget's centre: down (content moves up) for a
 * positive @steps, up for a negative one. */
void      ladle_test_input_scroll       (GtkWidget    *widget,
                                         int           steps);
/* Scrolls the wheel over @scroller (a GtkScrolledWindow or a widget holding one) until @widget's
 * centre shows in it, as a user brings a field into view before clicking it (bounded). */
void      ladle_test_input_scroll_to    (GtkWidget    *scroller,
                                         GtkWidget    *widget);
/* Opens @drop_down with a click, clicks the item showing @label in the list that pops up, and
 * returns once the popup has closed and the keyboard focus has left it. */
void      ladle_test_input_choose       (GtkDropDown  *drop_down,
                                         const char   *label);

G_END_DECLS
