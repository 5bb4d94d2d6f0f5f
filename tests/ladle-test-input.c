/* ladle-test-input.c
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

#include <gdk/x11/gdkx.h>
#include <X11/XKBlib.h>
#include <X11/extensions/XTest.h>

#include "ladle-test-input.h"
#include "ladle-test-ui.h"

/* The events go through the X server's XTest extension on GDK's own connection: the server
 * handles a fake input request at once, so after XSync() every event it made is on its way to
 * GDK, and iterating the main context until nothing is pending lets GTK dispatch them. */

#define SETTLE_TIMEOUT_MS 5000

static Display *
xdisplay (void)
{
  GdkDisplay *display = gdk_display_get_default ();

  g_assert_true (GDK_IS_X11_DISPLAY (display));
  return gdk_x11_display_get_xdisplay (display);
}

gboolean
ladle_test_input_available (void)
{
  GdkDisplay *display = gdk_display_get_default ();
  int event_base, error_base, major, minor;

  if (display == NULL || !GDK_IS_X11_DISPLAY (display))
    return FALSE;
  return XTestQueryExtension (gdk_x11_display_get_xdisplay (display), &event_base, &error_base,
                              &major, &minor);
}

void
ladle_test_input_settle (void)
{
  Display *dpy = xdisplay ();
  gint64 deadline = g_get_monotonic_time () + (gint64) SETTLE_TIMEOUT_MS * 1000;
  guint quiet = 0;

  XSync (dpy, False);
  /* Quiet three rounds in a row: no X event left unread and no GLib source ready. */
  while (quiet < 3)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("input events were not dispatched within %d ms", SETTLE_TIMEOUT_MS);
      if (XPending (dpy) > 0 || g_main_context_pending (NULL))
        {
          quiet = 0;
          /* Bounded too: a widget relaid out at every frame keeps GLib busy for ever */
          while (g_main_context_iteration (NULL, FALSE) && g_get_monotonic_time () <= deadline)
            ;
        }
      else
        {
          quiet++;
          g_usleep (1000);
        }
    }
}

static Window
surface_xid (GtkNative *native)
{
  GdkSurface *surface = gtk_native_get_surface (native);

  g_assert_nonnull (surface);
  return gdk_x11_surface_get_xid (surface);
}

static void
move_pointer (GtkNative *native,
              double     x,
              double     y)
{
  Display *dpy = xdisplay ();
  double dx, dy;
  int root_x, root_y;
  Window child;

  /* Surface coordinates are the native widget's plus its CSD margins (shadows). */
  gtk_native_get_surface_transform (native, &dx, &dy);
  g_assert_true (XTranslateCoordinates (dpy, surface_xid (native), DefaultRootWindow (dpy),
                                        (int) (x + dx), (int) (y + dy), &root_x, &root_y,
                                        &child));
  XTestFakeMotionEvent (dpy, -1, root_x, root_y, CurrentTime);
  ladle_test_input_settle ();
}

void
ladle_test_input_focus_window (GtkWindow *window)
{
  Display *dpy = xdisplay ();

  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));
  /* No window manager runs under the test's Xvfb: the test gives the focus, as one would. */
  XRaiseWindow (dpy, surface_xid (GTK_NATIVE (window)));
  XSetInputFocus (dpy, surface_xid (GTK_NATIVE (window)), RevertToParent, CurrentTime);
  move_pointer (GTK_NATIVE (window), gtk_widget_get_width (GTK_WIDGET (window)) / 2.0,
                gtk_widget_get_height (GTK_WIDGET (window)) / 2.0);
  LADLE_TEST_WAIT_UNTIL (gtk_window_is_active (window), SETTLE_TIMEOUT_MS);
}

/* The keycode for @keysym, and whether Shift is needed to reach it. */
static KeyCode
keycode_for (KeySym    keysym,
             gboolean *shift)
{
  Display *dpy = xdisplay ();
  KeyCode code = XKeysymToKeycode (dpy, keysym);

  if (code == 0)
    g_error ("no key on the keyboard map gives keysym 0x%lx", (unsigned long) keysym);
  *shift = XkbKeycodeToKeysym (dpy, code, 0, 0) != keysym &&
           XkbKeycodeToKeysym (dpy, code, 0, 1) == keysym;
  return code;
}

static void
fake_key (KeyCode code,
          Bool    press)
{
  XTestFakeKeyEvent (xdisplay (), code, press, CurrentTime);
}

static void
press_keysym (KeySym       keysym,
              const KeySym *modifiers,
              guint         n_modifiers)
{
  KeyCode mods[8];
  gboolean shift, unused;
  KeyCode code = keycode_for (keysym, &shift);
  guint n = 0;

  g_assert_cmpuint (n_modifiers, <, G_N_ELEMENTS (mods));
  for (guint i = 0; i < n_modifiers; i++)
    mods[n++] = keycode_for (modifiers[i], &unused);
  if (shift)
    mods[n++] = keycode_for (XK_Shift_L, &unused);

  for (guint i = 0; i < n; i++)
    fake_key (mods[i], True);
  fake_key (code, True);
  fake_key (code, False);
  for (guint i = n; i > 0; i--)
    fake_key (mods[i - 1], False);
}

void
ladle_test_input_type (const char *text)
{
  g_return_if_fail (text != NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      KeySym keysym;

      if (*p == '\n')
        keysym = XK_Return;
      else if (*p >= 0x20 && *p < 0x7f)
        keysym = (KeySym) *p;   /* Latin-1 keysyms are their code points */
      else
        g_error ("cannot type byte 0x%02x: only printable ASCII", (guchar) *p);
      press_keysym (keysym, NULL, 0);
      /* Settle per key: a handler may move the focus between two keys. */
      ladle_test_input_settle ();
    }
}

void
ladle_test_input_key (const char *chord)
{
  g_auto(GStrv) parts = g_strsplit (chord, "+", -1);
  guint n_parts = g_strv_length (parts);
  KeySym modifiers[6] = { 0 };
  guint n_modifiers = 0;
  KeySym keysym;

  g_assert_cmpuint (n_parts, >=, 1);
  g_assert_cmpuint (n_parts - 1, <=, G_N_ELEMENTS (modifiers));
  for (guint i = 0; i + 1 < n_parts; i++)
    {
      const char *mod = parts[i];

      if (g_ascii_strcasecmp (mod, "ctrl") == 0 || g_ascii_strcasecmp (mod, "control") == 0)
        modifiers[n_modifiers++] = XK_Control_L;
      else if (g_ascii_strcasecmp (mod, "shift") == 0)
        modifiers[n_modifiers++] = XK_Shift_L;
      else if (g_ascii_strcasecmp (mod, "alt") == 0)
        modifiers[n_modifiers++] = XK_Alt_L;
      else if (g_ascii_strcasecmp (mod, "super") == 0)
        modifiers[n_modifiers++] = XK_Super_L;
      else
        g_error ("unknown modifier “%s” in “%s”", mod, chord);
    }
  keysym = XStringToKeysym (parts[n_parts - 1]);
  if (keysym == NoSymbol)
    g_error ("unknown key “%s” in “%s”", parts[n_parts - 1], chord);
  press_keysym (keysym, modifiers, n_modifiers);
  ladle_test_input_settle ();
}

void
ladle_test_input_click (GtkWidget *widget)
{
  GtkNative *native;
  graphene_point_t centre, point;
  Display *dpy = xdisplay ();

  g_assert_true (gtk_widget_is_sensitive (widget));
  /* Where it is drawn now, not where a pending layout will put it. */
  ladle_test_ui_wait_for_draw (widget);
  native = gtk_widget_get_native (widget);
  g_assert_nonnull (native);
  centre = GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.0f,
                                gtk_widget_get_height (widget) / 2.0f);
  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native), &centre, &point));

  move_pointer (native, point.x, point.y);
  XTestFakeButtonEvent (dpy, 1, True, CurrentTime);
  ladle_test_input_settle ();
  XTestFakeButtonEvent (dpy, 1, False, CurrentTime);
  ladle_test_input_settle ();
}

void
ladle_test_input_resize (GtkWindow *window,
                         int        width,
                         int        height)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));

  g_assert_nonnull (surface);
  XResizeWindow (xdisplay (), surface_xid (GTK_NATIVE (window)), width, height);
  ladle_test_input_settle ();
  LADLE_TEST_WAIT_UNTIL (gdk_surface_get_width (surface) == width &&
                         gdk_surface_get_height (surface) == height, SETTLE_TIMEOUT_MS);
  /* The new size is allocated on the next frame. */
  ladle_test_ui_wait_for_draw (GTK_WIDGET (window));
  ladle_test_input_settle ();
}

/* A keycode the keyboard map leaves empty, to lend to characters no key gives. */
static KeyCode
spare_keycode (void)
{
  static KeyCode spare = 0;
  Display *dpy = xdisplay ();
  int min_code, max_code, per_code;
  KeySym *map;

  if (spare != 0)
    return spare;
  XDisplayKeycodes (dpy, &min_code, &max_code);
  map = XGetKeyboardMapping (dpy, (KeyCode) min_code, max_code - min_code + 1, &per_code);
  g_assert_nonnull (map);
  for (int code = max_code; code >= min_code && spare == 0; code--)
    {
      gboolean empty = TRUE;

      for (int i = 0; i < per_code && empty; i++)
        empty = map[(code - min_code) * per_code + i] == NoSymbol;
      if (empty)
        spare = (KeyCode) code;
    }
  XFree (map);
  if (spare == 0)
    g_error ("no spare keycode on the keyboard map to type with");
  return spare;
}

static gboolean
gdk_maps_keyval_to (guint   keyval,
                    KeyCode code)
{
  g_autofree GdkKeymapKey *keys = NULL;
  int n_keys = 0;

  if (!gdk_display_map_keyval (gdk_display_get_default (), keyval, &keys, &n_keys))
    return FALSE;
  for (int i = 0; i < n_keys; i++)
    if (keys[i].keycode == code)
      return TRUE;
  return FALSE;
}

/* Gives the spare keycode @keysym on both levels (or nothing, for NoSymbol) and waits until GDK's
 * keymap shows the change: GDK reads events in order, so a key pressed before has been read with
 * the old map, and the key pressed next is read with the new one. */
static void
lend_spare_unsettled (KeySym keysym)
{
  Display *dpy = xdisplay ();
  KeyCode spare = spare_keycode ();
  KeySym syms[2] = { keysym, keysym };
  /* The keyval to wait for: the new one, or (when emptied) the one it had. */
  static KeySym shown = NoSymbol;

  XChangeKeyboardMapping (dpy, spare, G_N_ELEMENTS (syms), syms, 1);
  XSync (dpy, False);
  if (keysym != NoSymbol)
    LADLE_TEST_WAIT_UNTIL (gdk_maps_keyval_to ((guint) keysym, spare), SETTLE_TIMEOUT_MS);
  else if (shown != NoSymbol)
    LADLE_TEST_WAIT_UNTIL (!gdk_maps_keyval_to ((guint) shown, spare), SETTLE_TIMEOUT_MS);
  shown = keysym;
}

static void
lend_spare (KeySym keysym)
{
  lend_spare_unsettled (keysym);
  ladle_test_input_settle ();
}

/* Types @text (any UTF-8), settling after each key or not. */
static void
type_utf8 (const char *text,
           gboolean    settle)
{
  KeySym lent = NoSymbol;

  g_return_if_fail (text != NULL);
  g_return_if_fail (g_utf8_validate (text, -1, NULL));

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      KeySym keysym;

      if (c == '\n' || (c >= 0x20 && c < 0x7f))
        {
          char ascii[2] = { (char) c, '\0' };

          if (settle)
            ladle_test_input_type (ascii);
          else
            press_keysym (c == '\n' ? XK_Return : (KeySym) c, NULL, 0);
          continue;
        }
      keysym = (KeySym) gdk_unicode_to_keyval (c);
      if (keysym != lent)
        {
          if (settle)
            lend_spare (keysym);
          else
            lend_spare_unsettled (keysym);
          lent = keysym;
        }
      fake_key (spare_keycode (), True);
      fake_key (spare_keycode (), False);
      if (settle)
        ladle_test_input_settle ();
    }
  if (lent != NoSymbol)
    {
      if (settle)
        lend_spare (NoSymbol);
      else
        lend_spare_unsettled (NoSymbol);
    }
  XSync (xdisplay (), False);
}

void
ladle_test_input_type_text (const char *text)
{
  type_utf8 (text, TRUE);
}

void
ladle_test_input_type_unsettled (const char *text)
{
  type_utf8 (text, FALSE);
}

void
ladle_test_input_key_unsettled (const char *chord)
{
  static const struct
  {
    const char *name;
    KeySym      keysym;
  } modifier_names[] = {
    { "ctrl", XK_Control_L },
    { "control", XK_Control_L },
    { "shift", XK_Shift_L },
    { "alt", XK_Alt_L },
    { "super", XK_Super_L },
  };
  g_auto(GStrv) parts = g_strsplit (chord, "+", -1);
  guint n_parts = g_strv_length (parts);
  KeySym modifiers[G_N_ELEMENTS (modifier_names)] = { 0 };
  KeySym keysym;

  g_assert_cmpuint (n_parts, >=, 1);
  g_assert_cmpuint (n_parts - 1, <=, G_N_ELEMENTS (modifiers));
  for (guint i = 0; i + 1 < n_parts; i++)
    {
      for (guint j = 0; j < G_N_ELEMENTS (modifier_names) && modifiers[i] == 0; j++)
        if (g_ascii_strcasecmp (parts[i], modifier_names[j].name) == 0)
          modifiers[i] = modifier_names[j].keysym;
      if (modifiers[i] == 0)
        g_error ("unknown modifier “%s” in “%s”", parts[i], chord);
    }
  keysym = XStringToKeysym (parts[n_parts - 1]);
  if (keysym == NoSymbol)
    g_error ("unknown key “%s” in “%s”", parts[n_parts - 1], chord);
  press_keysym (keysym, modifiers, n_parts - 1);
  XSync (xdisplay (), False);
}

static GtkWidget *
find_label (GtkWidget  *widget,
            GtkWidget  *root,
            const char *label)
{
  if (!gtk_widget_get_mapped (widget))
    return NULL;
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), label) == 0)
    {
      for (GtkWidget *up = widget; up != NULL && up != root; up = gtk_widget_get_parent (up))
        if (GTK_IS_BUTTON (up))
          return up;
      return widget;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, root, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/**
 * ladle_test_input_find_label:
 *
 * Returns: (transfer none) (nullable): the button showing @label under @root, or the label
 */
GtkWidget *
ladle_test_input_find_label (GtkWidget  *root,
                             const char *label)
{
  g_return_val_if_fail (GTK_IS_WIDGET (root), NULL);
  g_return_val_if_fail (label != NULL, NULL);

  return find_label (root, root, label);
}

void
ladle_test_input_click_label (GtkWidget  *root,
                              const char *label)
{
  GtkWidget *target = NULL;
  gint64 deadline = g_get_monotonic_time () + (gint64) SETTLE_TIMEOUT_MS * 1000;

  while ((target = ladle_test_input_find_label (root, label)) == NULL)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("nothing under %s shows “%s”", G_OBJECT_TYPE_NAME (root), label);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  ladle_test_input_click (target);
}

static gboolean
focus_within (GtkWidget *widget,
              GtkWidget *area)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && (focus == area || gtk_widget_is_ancestor (focus, area));
}

void
ladle_test_input_choose (GtkDropDown *drop_down,
                         const char  *label)
{
  GtkWidget *popover;

  g_return_if_fail (GTK_IS_DROP_DOWN (drop_down));

  ladle_test_input_click (GTK_WIDGET (drop_down));
  popover = ladle_test_ui_find_by_type (GTK_WIDGET (drop_down), GTK_TYPE_POPOVER);
  g_assert_nonnull (popover);
  LADLE_TEST_WAIT_UNTIL (gtk_widget_get_mapped (popover), SETTLE_TIMEOUT_MS);
  ladle_test_input_click_label (popover, label);
  LADLE_TEST_WAIT_UNTIL (!gtk_widget_get_mapped (popover), SETTLE_TIMEOUT_MS);
  /* The focus goes back to the drop-down a frame later: keys typed before would be lost. */
  LADLE_TEST_WAIT_UNTIL (!focus_within (GTK_WIDGET (drop_down), popover), SETTLE_TIMEOUT_MS);
}

/* Moves the pointer to @widget's centre, where it is drawn now. */
static void
point_at (GtkWidget *widget)
{
  GtkNative *native;
  graphene_point_t centre, point;

  ladle_test_ui_wait_for_draw (widget);
  native = gtk_widget_get_native (widget);
  g_assert_nonnull (native);
  centre = GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.0f,
                                gtk_widget_get_height (widget) / 2.0f);
  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native), &centre, &point));
  move_pointer (native, point.x, point.y);
}

void
ladle_test_input_scroll (GtkWidget *widget,
                         int        steps)
{
  Display *dpy = xdisplay ();
  /* X's wheel: button 4 turns it up, 5 down. */
  unsigned int button = steps > 0 ? 5 : 4;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  point_at (widget);
  for (int i = 0; i < ABS (steps); i++)
    {
      XTestFakeButtonEvent (dpy, button, True, CurrentTime);
      XTestFakeButtonEvent (dpy, button, False, CurrentTime);
      ladle_test_input_settle ();
    }
}

/* Whether @widget's centre lies inside @scroller's visible area. */
static gboolean
shows_centre (GtkWidget *scroller,
              GtkWidget *widget,
              double    *below)
{
  graphene_point_t centre, point;

  centre = GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.0f,
                                gtk_widget_get_height (widget) / 2.0f);
  if (!gtk_widget_compute_point (widget, scroller, &centre, &point))
    return FALSE;
  *below = point.y - gtk_widget_get_height (scroller) / 2.0;
  return point.y >= 0 && point.y < gtk_widget_get_height (scroller) &&
         point.x >= 0 && point.x < gtk_widget_get_width (scroller);
}

void
ladle_test_input_scroll_to (GtkWidget *scroller,
                            GtkWidget *widget)
{
  GtkWidget *window = scroller;
  double below = 0;

  g_return_if_fail (GTK_IS_WIDGET (scroller));
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (!GTK_IS_SCROLLED_WINDOW (window))
    window = ladle_test_ui_find_by_type (scroller, GTK_TYPE_SCROLLED_WINDOW);
  g_assert_nonnull (window);
  g_assert_true (gtk_widget_is_ancestor (widget, window));
  for (guint i = 0; !shows_centre (window, widget, &below); i++)
    {
      if (i == 100)
        g_error ("%s does not come into view by scrolling", G_OBJECT_TYPE_NAME (widget));
      ladle_test_input_scroll (window, below > 0 ? 1 : -1);
      /* Where it is drawn now. */
      ladle_test_ui_wait_for_draw (widget);
    }
}

gboolean
ladle_test_input_reaches (GtkWidget *widget)
{
  GtkNative *native;
  graphene_point_t centre, point;
  GtkWidget *picked;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);

  if (!gtk_widget_get_mapped (widget))
    return FALSE;
  native = gtk_widget_get_native (widget);
  centre = GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.0f,
                                gtk_widget_get_height (widget) / 2.0f);
  if (native == NULL ||
      !gtk_widget_compute_point (widget, GTK_WIDGET (native), &centre, &point))
    return FALSE;
  picked = gtk_widget_pick (GTK_WIDGET (native), point.x, point.y, GTK_PICK_DEFAULT);
  return picked != NULL && (picked == widget || gtk_widget_is_ancestor (picked, widget));
}
