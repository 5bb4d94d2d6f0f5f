/* ladle-test-ui.c
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

#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <glib-unix.h>

#include "ladle-test-input.h"
#include "ladle-test-ui.h"

/* UI tests drive real widgets in a real window (Xvfb in CI: tools/test starts it), the way a user
 * would: actions, entries, buttons. doc/STACK.md §10 has the verified recipes used here. */

static char *ui_home;

static void
remove_ui_home (void)
{
  ladle_test_rm_rf (ui_home);
  g_clear_pointer (&ui_home, g_free);
}

/* A display of the test program's own: with LADLE_TEST_OWN_DISPLAY=1 (tests/meson.build sets it
 * for the UI tests) each test program starts its own Xvfb, so that the real input events one test
 * sends (XTest) can never reach another's windows and meson may run UI tests side by side. Xvfb
 * picks a free display number and writes it to the pipe given with -displayfd; it listens on its
 * Unix socket only, and dies with the test (the launcher's parent-death signal, or the atexit
 * handler below). Without Xvfb on the PATH the test uses the display it was given. */
static GSubprocess *own_display;

static void
stop_own_display (void)
{
  if (own_display == NULL)
    return;
  g_subprocess_send_signal (own_display, SIGTERM);
  g_subprocess_wait (own_display, NULL, NULL);
  g_clear_object (&own_display);
}

static void
start_own_display (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xvfb = g_find_program_in_path ("Xvfb");
  g_autoptr(GString) number = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  int fds[2];

  if (g_strcmp0 (g_getenv ("LADLE_TEST_OWN_DISPLAY"), "1") != 0 || xvfb == NULL)
    return;

  g_assert_true (g_unix_open_pipe (fds, FD_CLOEXEC, NULL));
  launcher = ladle_test_new_launcher (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                      G_SUBPROCESS_FLAGS_STDERR_SILENCE, NULL);
  g_subprocess_launcher_take_fd (launcher, fds[1], 3);
  own_display = g_subprocess_launcher_spawn (launcher, &error, xvfb, "-displayfd", "3",
                                             "-screen", "0", "1280x800x24", "-nolisten", "tcp",
                                             "-noreset", NULL);
  g_assert_no_error (error);
  g_clear_object (&launcher);  /* closes our copy of the write end */
  atexit (stop_own_display);

  /* The number, then a newline, once the server accepts connections */
  while (!g_str_has_suffix (number->str, "\n"))
    {
      GPollFD poll_fd = { fds[0], G_IO_IN, 0 };
      gint64 left = deadline - g_get_monotonic_time ();
      char c;

      if (left <= 0)
        g_error ("Xvfb did not name its display within 60 s");
      if (g_poll (&poll_fd, 1, (int) MIN (left / 1000, 1000)) <= 0)
        continue;
      if (read (fds[0], &c, 1) != 1)
        g_error ("Xvfb exited before naming its display (is another server in the way?)");
      g_string_append_c (number, c);
      if (number->len > 16)
        g_error ("Xvfb wrote something else than a display number: %s", number->str);
    }
  close (fds[0]);
  g_strstrip (number->str);
  {
    g_autofree char *display = g_strconcat (":", number->str, NULL);

    g_setenv ("DISPLAY", display, TRUE);
  }
  g_unsetenv ("XAUTHORITY");
}

gboolean
ladle_test_ui_init (int    *argc,
                    char ***argv)
{
  const char *localedir = g_getenv ("LADLE_LOCALEDIR");

  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  g_setenv ("GDK_BACKEND", "x11", FALSE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Not ladle_test_init(): isolating XDG_DATA_DIRS would hide the icon theme. Per-user folders
   * still go to a temporary home, removed when the test program exits. */
  {
    g_autofree char *home = g_dir_make_tmp ("ladle-ui-test-XXXXXX", NULL);
    g_autofree char *data = g_build_filename (home, "data", NULL);
    g_autofree char *config = g_build_filename (home, "config", NULL);
    g_autofree char *cache = g_build_filename (home, "cache", NULL);

    g_setenv ("HOME", home, TRUE);
    g_setenv ("XDG_DATA_HOME", data, TRUE);
    g_setenv ("XDG_CONFIG_HOME", config, TRUE);
    g_setenv ("XDG_CACHE_HOME", cache, TRUE);
    ui_home = g_strdup (home);
    atexit (remove_ui_home);
  }
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (argc, argv, NULL);
  start_own_display ();

  if (!gtk_init_check ())
    return FALSE;

  adw_init ();

  /* AdwApplication loads the app's style sheet; windows made without one need it too. */
  {
    g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (provider, "/io/github/ladle/Ladle/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (provider),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  return TRUE;
}

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       data)
{
  *(gboolean *) data = TRUE;
}

void
ladle_test_ui_wait_for_draw (GtkWidget *widget)
{
  GdkFrameClock *clock;
  gboolean painted = FALSE;
  gulong id;

  /* The widget must be mapped to have a frame clock. */
  LADLE_TEST_WAIT_UNTIL (gtk_widget_get_mapped (widget), 5000);
  clock = gtk_widget_get_frame_clock (widget);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);
  gtk_widget_queue_draw (widget);
  LADLE_TEST_WAIT_UNTIL (painted, 5000);
  g_signal_handler_disconnect (clock, id);
}

void
ladle_test_ui_spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

void
ladle_test_ui_show (GtkWindow *window,
                    int        width,
                    int        height)
{
  gtk_window_set_default_size (window, width, height);
  gtk_window_present (window);
  ladle_test_ui_wait_for_draw (GTK_WIDGET (window));
  /* Let the size settle (a resize allocates on the next frame). */
  ladle_test_ui_spin (100);
  ladle_test_ui_wait_for_draw (GTK_WIDGET (window));
}

char *
ladle_test_ui_screenshot (GtkWidget  *widget,
                          const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  GskRenderer *renderer;
  int width, height;
  char *path;

  /* Let transitions (cross-fades of the view switcher title) end first. */
  ladle_test_ui_spin (400);
  ladle_test_ui_wait_for_draw (widget);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));

  dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                          "screenshots", NULL);
  g_mkdir_with_parents (dir, 0755);
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));

  return path;
}

void
ladle_test_ui_set_dark (gboolean dark)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                           : ADW_COLOR_SCHEME_FORCE_LIGHT);
}

GtkWidget *
ladle_test_ui_find (GtkWidget  *root,
                    const char *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *id = gtk_buildable_get_buildable_id (GTK_BUILDABLE (child));
      GtkWidget *found;

      if (g_strcmp0 (id, name) == 0 || g_strcmp0 (gtk_widget_get_name (child), name) == 0)
        return child;
      if ((found = ladle_test_ui_find (child, name)) != NULL)
        return found;
    }

  return NULL;
}

GtkWidget *
ladle_test_ui_get (gpointer    root,
                   const char *name)
{
  GtkWidget *widget = ladle_test_ui_find (GTK_WIDGET (root), name);

  if (widget == NULL)
    g_error ("no widget “%s”", name);
  return widget;
}

gboolean
ladle_test_ui_has_label (GtkWidget  *root,
                         const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (ladle_test_ui_has_label (child, text))
      return TRUE;
  return FALSE;
}

static GtkWidget *
find_button_titled (GtkWidget  *widget,
                    const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) && ladle_test_ui_has_label (child, title))
        return child;
      if ((found = find_button_titled (child, title)) != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
ladle_test_ui_button_titled (GtkWidget  *root,
                             const char *title)
{
  GtkWidget *button = find_button_titled (root, title);

  if (button == NULL)
    g_error ("no button “%s”", title);
  return button;
}

char *
ladle_test_ui_dup_text (GtkWidget *text_view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (text_view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

gboolean
ladle_test_ui_has_focus_in (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static void
icon_theme_changed_cb (GtkIconTheme *theme,
                       gboolean     *changed)
{
  *changed = TRUE;
}

/* GTK 4.8 loads each icon a widget shows in a worker thread (GTK_ICON_LOOKUP_PRELOAD), and the
 * task holds the icon: when the widgets let go first, the icon is finalized in that thread, and
 * removes itself from the display's icon cache only then. A lookup of the same icon in the main
 * thread meanwhile finds it there at refcount 0 and takes a reference anyway: "g_object_ref:
 * assertion '!object_already_finalized' failed" (GTK's icon_cache_lookup()). The icons of a
 * window that is gone are such icons when the next case's window looks the same ones up, so the
 * cache is emptied between cases: what is still alive is no longer in it, and the next window
 * starts as the first one did. Setting the search path to itself empties it. */
void
ladle_test_ui_forget_icons (void)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  g_auto(GStrv) path = gtk_icon_theme_get_search_path (theme);
  gboolean changed = FALSE;
  gulong handler = g_signal_connect (theme, "changed", G_CALLBACK (icon_theme_changed_cb),
                                     &changed);
  gint64 deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

  gtk_icon_theme_set_search_path (theme, (const char * const *) path);
  /* Its "changed" comes from an idle (none when no icon was ever looked up): let it pass now,
   * not while the next window is being built */
  while (!changed && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_signal_handler_disconnect (theme, handler);
}

/* Destroys @window and waits for it to go; then empties GTK's icon cache, so that the next
 * case's window does not race an icon finalized in a worker thread (ladle_test_ui_forget_icons). */
void
ladle_test_ui_destroy_window (gpointer window)
{
  g_object_add_weak_pointer (G_OBJECT (window), &window);
  gtk_window_destroy (GTK_WINDOW (window));
  LADLE_TEST_WAIT_UNTIL (window == NULL, 5000);
  ladle_test_ui_forget_icons ();
}

GtkWindow *
ladle_test_ui_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      /* The list keeps its own reference. */
      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

void
ladle_test_ui_set_language (const char *language)
{
  if (language != NULL)
    g_setenv ("LANGUAGE", language, TRUE);
  else
    g_unsetenv ("LANGUAGE");

  /* Makes gettext drop its cache and read LANGUAGE again. */
  textdomain (GETTEXT_PACKAGE);
}

/* Whether @widget is shown on screen: mapped, its child visible and of some size */
static gboolean
is_on_screen (GtkWidget *widget)
{
  return gtk_widget_get_mapped (widget) && gtk_widget_get_child_visible (widget) &&
         gtk_widget_get_width (widget) > 0 && gtk_widget_get_height (widget) > 0;
}

static gboolean
is_allowed (GtkWidget          *widget,
            const char * const *allowed)
{
  const char *id = gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget));

  for (guint i = 0; allowed != NULL && allowed[i] != NULL; i++)
    if (g_strcmp0 (id, allowed[i]) == 0 ||
        g_strcmp0 (gtk_widget_get_name (widget), allowed[i]) == 0 ||
        g_strcmp0 (G_OBJECT_TYPE_NAME (widget), allowed[i]) == 0)
      return TRUE;
  return FALSE;
}

/* "GtkLabel “Send” < GtkButton#send_button < LadleRequestTab": the widget, its text if it is a
 * label, and its two nearest ancestors that have an id or are Ladle's own */
static const char *
shown_id (GtkWidget *widget)
{
  const char *id = gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget));

  /* GtkBuilder names the objects without an id "___object_N___". */
  return id != NULL && !g_str_has_prefix (id, "___") ? id : NULL;
}

static void
describe (GString   *out,
          GtkWidget *widget)
{
  guint named = 0;

  g_string_append (out, G_OBJECT_TYPE_NAME (widget));
  if (shown_id (widget) != NULL)
    g_string_append_printf (out, "#%s", shown_id (widget));
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (out, " “%s”", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *up = gtk_widget_get_parent (widget); up != NULL && named < 2;
       up = gtk_widget_get_parent (up))
    {
      const char *id = shown_id (up);

      if (id == NULL && !g_str_has_prefix (G_OBJECT_TYPE_NAME (up), "Ladle"))
        continue;
      g_string_append_printf (out, " < %s%s%s", G_OBJECT_TYPE_NAME (up), id ? "#" : "",
                              id ? id : "");
      named++;
    }
}

/* Whether @label does not show all of its text: ellipsized (Pango says so, or the label was
 * given less width than its text needs), or partly outside an ancestor that clips it or @root */
static gboolean
label_is_cut (GtkLabel  *label,
              GtkWidget *root,
              char     **why)
{
  GtkWidget *widget = GTK_WIDGET (label);
  int width = gtk_widget_get_width (widget);
  const char *text = gtk_label_get_text (label);
  graphene_rect_t bounds;

  if (text == NULL || *text == '\0')
    return FALSE;

  if (gtk_label_get_ellipsize (label) != PANGO_ELLIPSIZE_NONE)
    {
      g_autoptr(PangoLayout) unbounded = NULL;
      int text_width;

      if (pango_layout_is_ellipsized (gtk_label_get_layout (label)))
        {
          *why = g_strdup_printf ("ellipsized at %d px", width);
          return TRUE;
        }
      /* Also when the layout was made again since the label was allocated: the text on one
       * line against the width given. (Not the natural width: width-chars may make it more.)
       * A wrapping label's lines are Pango's business alone. */
      unbounded = pango_layout_copy (gtk_label_get_layout (label));
      pango_layout_set_width (unbounded, -1);
      pango_layout_get_pixel_size (unbounded, &text_width, NULL);
      if (!gtk_label_get_wrap (label) && text_width > width)
        {
          *why = g_strdup_printf ("%d px wide for %d px of text", width, text_width);
          return TRUE;
        }
    }

  /* Clipped: partly outside an ancestor that hides what overflows it (AdwFadingLabel fades a
   * tab title out so), or outside the window. In a scrolled view a label may be out of sight:
   * scrolling shows it. */
  for (GtkWidget *up = gtk_widget_get_parent (widget); up != NULL;
       up = up == root ? NULL : gtk_widget_get_parent (up))
    {
      if (GTK_IS_SCROLLED_WINDOW (up) || GTK_IS_VIEWPORT (up))
        return FALSE;
      if ((up == root || gtk_widget_get_overflow (up) == GTK_OVERFLOW_HIDDEN) &&
          gtk_widget_compute_bounds (widget, up, &bounds))
        {
          float left = bounds.origin.x;
          float right = bounds.origin.x + bounds.size.width;
          int shown = gtk_widget_get_width (up);

          /* Wholly outside is out of sight, not cut (a folded leaflet's other page). */
          if (right <= 0 || left >= shown)
            return FALSE;
          if (left >= -1 && right <= shown + 1)
            continue;

          *why = g_strdup_printf ("at x %.0f–%.0f in %s, which shows 0–%d", left, right,
                                  G_OBJECT_TYPE_NAME (up), shown);
          return TRUE;
        }
    }
  return FALSE;
}

static void
check_labels (GtkWidget          *widget,
              GtkWidget          *root,
              const char * const *allowed,
              GString            *problems)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      g_autofree char *why = NULL;

      if (!is_on_screen (child) || is_allowed (child, allowed))
        continue;
      if (GTK_IS_LABEL (child) && label_is_cut (GTK_LABEL (child), root, &why))
        {
          g_string_append (problems, "  cut: ");
          describe (problems, child);
          g_string_append_printf (problems, ": %s\n", why);
        }
      check_labels (child, root, allowed, problems);
    }
}

/**
 * ladle_test_ui_check_labels:
 *
 * Every label on screen under @root shows all of its text: it is not ellipsized, it has the width
 * its text needs when it could be ellipsized, and it is inside the window unless it scrolls.
 * Button labels, tab titles and view switcher titles are labels too.
 */
void
ladle_test_ui_check_labels (GtkWidget          *root,
                            const char * const *allowed,
                            GString            *problems)
{
  check_labels (root, root, allowed, problems);
}

static void
check_overlaps (GtkWidget          *widget,
                const char * const *allowed,
                GString            *problems)
{
  if (GTK_IS_BOX (widget) || GTK_IS_CENTER_BOX (widget))
    for (GtkWidget *a = gtk_widget_get_first_child (widget); a != NULL;
         a = gtk_widget_get_next_sibling (a))
      {
        graphene_rect_t ra;

        if (!is_on_screen (a) || is_allowed (a, allowed) ||
            !gtk_widget_compute_bounds (a, widget, &ra))
          continue;
        for (GtkWidget *b = gtk_widget_get_next_sibling (a); b != NULL;
             b = gtk_widget_get_next_sibling (b))
          {
            graphene_rect_t rb;
            graphene_rect_t both;

            if (!is_on_screen (b) || is_allowed (b, allowed) ||
                !gtk_widget_compute_bounds (b, widget, &rb))
              continue;
            /* Touching edges (and rounding) are not an overlap. */
            if (graphene_rect_intersection (&ra, &rb, &both) &&
                both.size.width > 1 && both.size.height > 1)
              {
                g_string_append (problems, "  overlap: ");
                describe (problems, a);
                g_string_append_printf (problems, " [%.0f,%.0f %.0f×%.0f] and ", ra.origin.x,
                                        ra.origin.y, ra.size.width, ra.size.height);
                describe (problems, b);
                g_string_append_printf (problems, " [%.0f,%.0f %.0f×%.0f]\n", rb.origin.x,
                                        rb.origin.y, rb.size.width, rb.size.height);
              }
          }
      }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (is_on_screen (child) && !is_allowed (child, allowed))
      check_overlaps (child, allowed, problems);
}

/**
 * ladle_test_ui_check_overlaps:
 *
 * No two children on screen of a box under @root overlap.
 */
void
ladle_test_ui_check_overlaps (GtkWidget          *root,
                              const char * const *allowed,
                              GString            *problems)
{
  check_overlaps (root, allowed, problems);
}

void
ladle_test_ui_assert_layout (GtkWidget          *root,
                             gboolean            overlaps,
                             const char * const *allowed,
                             const char         *what)
{
  g_autoptr(GString) problems = g_string_new (NULL);

  ladle_test_ui_check_labels (root, allowed, problems);
  if (overlaps)
    ladle_test_ui_check_overlaps (root, allowed, problems);
  if (problems->len > 0)
    {
      g_autofree char *message = g_strdup_printf ("%s (%d×%d):\n%s", what,
                                                  gtk_widget_get_width (root),
                                                  gtk_widget_get_height (root), problems->str);

      g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, message);
    }
}

/**
 * ladle_test_ui_find_by_type:
 *
 * Returns: (transfer none) (nullable): the first descendant of @root of @type, depth first
 */
GtkWidget *
ladle_test_ui_find_by_type (GtkWidget *root,
                            GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      if ((found = ladle_test_ui_find_by_type (child, type)) != NULL)
        return found;
    }
  return NULL;
}

static void
collect_viewer_labels (GtkWidget *widget,
                       GtkWidget *list,
                       GString   *out)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      graphene_rect_t bounds;

      if (!gtk_widget_get_mapped (child) || !gtk_widget_get_child_visible (child))
        continue;
      if ((GTK_IS_LABEL (child) || GTK_IS_INSCRIPTION (child)) && list != NULL &&
          gtk_widget_compute_bounds (child, list, &bounds) &&
          bounds.origin.y + bounds.size.height > 0 &&
          bounds.origin.y < gtk_widget_get_height (list))
        {
          const char *text = GTK_IS_LABEL (child) ? gtk_label_get_text (GTK_LABEL (child))
                                                  : gtk_inscription_get_text (GTK_INSCRIPTION (child));

          g_string_append (out, text != NULL ? text : "");
          g_string_append_c (out, '\n');
        }
      collect_viewer_labels (child, GTK_IS_LIST_VIEW (child) ? child : list, out);
    }
}

/**
 * ladle_test_ui_dup_viewer_text:
 *
 * What a body viewer shows, read from its widgets only: the labels and inscriptions on screen
 * inside its list, a line each.
 */
char *
ladle_test_ui_dup_viewer_text (GtkWidget *viewer)
{
  GString *out = g_string_new (NULL);

  collect_viewer_labels (viewer, NULL, out);
  return g_string_free (out, FALSE);
}

gboolean
ladle_test_ui_viewer_shows (GtkWidget  *viewer,
                            const char *needle)
{
  g_autofree char *text = ladle_test_ui_dup_viewer_text (viewer);

  return strstr (text, needle) != NULL;
}

static gboolean
stall_tick (gpointer data)
{
  LadleTestStall *stall = data;
  gint64 now = g_get_monotonic_time ();

  if (stall->last != 0)
    stall->longest = MAX (stall->longest, now - stall->last);
  stall->last = now;
  return G_SOURCE_CONTINUE;
}

/**
 * ladle_test_ui_stall_start:
 * @interval_ms: the timer's period
 *
 * Starts measuring the longest gap between ticks of a timer on the main context: the longest
 * main-loop stall, give or take @interval_ms. Setting @stall->last to 0 forgets the gap in
 * progress (say, a screenshot's own rendering).
 */
void
ladle_test_ui_stall_start (LadleTestStall *stall,
                           guint           interval_ms)
{
  stall->last = 0;
  stall->longest = 0;
  stall->id = g_timeout_add (interval_ms, stall_tick, stall);
}

/**
 * ladle_test_ui_stall_stop:
 *
 * Returns: the longest stall seen since ladle_test_ui_stall_start(), in µs
 */
gint64
ladle_test_ui_stall_stop (LadleTestStall *stall)
{
  g_clear_handle_id (&stall->id, g_source_remove);
  return stall->longest;
}

LadleServer *
ladle_test_ui_start_server (const char  *uploads,
                            char       **base)
{
  g_autoptr(GError) error = NULL;
  LadleServer *server = ladle_server_new ();

  ladle_server_set_port (server, 0);
  ladle_server_set_uploads_dir (server, uploads);
  g_assert_true (ladle_server_start (server, &error));
  g_assert_no_error (error);
  *base = g_strdup_printf ("http://127.0.0.1:%u", ladle_server_get_bound_port (server));
  return server;
}

void
ladle_test_ui_stop_server (LadleServer *server)
{
  ladle_server_stop (server);
  g_assert_finalize_object (server);
}

GtkWindow *
ladle_test_ui_requests_window (const char         *title,
                               int                 width,
                               int                 height,
                               LadleRequestsPage **page)
{
  GtkWindow *window = GTK_WINDOW (adw_window_new ());
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();

  *page = g_object_new (LADLE_TYPE_REQUESTS_PAGE, "vexpand", TRUE, NULL);
  if (title != NULL)
    adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new (title, NULL));
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (*page));
  adw_window_set_content (ADW_WINDOW (window), box);
  ladle_test_ui_show (window, width, height);
  return window;
}

void
ladle_test_ui_close_requests_window (GtkWindow         *window,
                                     LadleRequestsPage *page)
{
  LadleHistory *history = ladle_requests_page_get_history (page);

  g_object_add_weak_pointer (G_OBJECT (history), (gpointer *) &history);
  ladle_test_ui_destroy_window (window);
  /* The last page gone, the shared history goes once its saves are on disk. */
  LADLE_TEST_WAIT_UNTIL (history == NULL, 5000);
}

void
ladle_test_ui_type_url (LadleRequestsPage *page,
                        const char        *base,
                        const char        *path)
{
  g_autofree char *url = g_strconcat (base, path, NULL);
  GtkWidget *tab = GTK_WIDGET (ladle_requests_page_get_current_tab (page));
  GtkWidget *entry = ladle_test_ui_get (tab, "url_entry");

  ladle_test_input_click (entry);
  g_assert_true (ladle_test_ui_has_focus_in (entry));
  ladle_test_input_key ("ctrl+a");
  ladle_test_input_type (url);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, url);
}
