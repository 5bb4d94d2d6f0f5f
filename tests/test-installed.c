/* test-installed.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The installed copy works: run as a user would run it, from its prefix, with none of the build
 * tree's help (no LADLE_LOCALEDIR, no GSETTINGS_SCHEMA_DIR, no LADLE_BIN of the build).
 *
 * Two modes:
 *
 * - By default (`meson test installed`, suite "installed"): `meson install --destdir TMP` of the
 *   build folder given by LADLE_TEST_BUILD_ROOT (`--no-rebuild`: the whole build must be done,
 *   `ninja -C _build`, as tools/test does), then what gnome.post_install() would run, which meson
 *   skips under DESTDIR (glib-compile-schemas, gtk-update-icon-cache, update-desktop-database).
 *   The copy in TMP/PREFIX is not where it was built for: it must find its catalogue and its
 *   window in the prefix it runs from (src/core/ladle-install.c).
 *
 * - With LADLE_TEST_INSTALLED_PREFIX set (say /usr, for the Debian package): that prefix's
 *   bin/ladle as installed there; nothing is installed or changed. It runs outside meson too:
 *
 *     LADLE_TEST_INSTALLED_PREFIX=/usr xvfb-run -a _build/tests/test-installed
 *
 * The environment is rebuilt from nothing: a temporary HOME and XDG folders (nothing of the user's
 * is read or touched), XDG_DATA_DIRS = PREFIX/share plus, for any other prefix than /usr, a
 * temporary folder that links only the system's MIME database (gdk-pixbuf needs it to read an SVG
 * icon) and the Adwaita icon theme — so that the schema, the icon and the catalogue can only come
 * from the prefix tested. The settings go to GSettings' keyfile backend in the temporary
 * XDG_CONFIG_HOME, and the session bus is one that does not exist (GApplication then runs alone,
 * never handing over to a Ladle the user has open). The window needs the display of the test
 * (Xvfb under tools/test); without one, its case is skipped. A screenshot of the installed window,
 * in Russian, is saved as G_TEST_BUILDDIR/screenshots/installed-window-ru.png (beside the test
 * program when run by hand). */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/stat.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>

#include "ladle-test-utils.h"

/* What po/ru.po says for the strings checked */
#define RU_USAGE "Использование: ladle [КОМАНДА] [ПАРАМЕТР…]"
#define RU_UNKNOWN "ladle: неизвестная команда «bogus»"
#define RU_NO_DISPLAY "ladle: не удаётся открыть дисплей для окна"
#define RU_SERVING "Сервер работает на http://127.0.0.1:"

static struct
{
  gboolean  system;        /* LADLE_TEST_INSTALLED_PREFIX: a copy installed there, not by us */
  char     *build_root;    /* the build folder to install (default mode) */
  char     *tmp;           /* everything this test writes, removed at the end */
  char     *destdir;
  char     *prefix;        /* where the copy tested is: DESTDIR/PREFIX, or the given prefix */
  char     *share;
  char     *ladle;
  char     *mo;            /* its Russian catalogue */
  char     *uploads;
  char     *screenshots;
  gboolean  installed;     /* the copy is in place (the first case passed) */
} T;

static void
require_installed (void)
{
  if (!T.installed)
    g_test_skip ("the copy was not installed (see the first case)");
}

/* Runs a command of the test's environment; fails, with its output, unless it exits 0 */
static void
run_ok (const char * const *argv)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *line = g_strjoinv (" ", (char **) argv);
  int status = ladle_test_run_command (argv, NULL, &out, &err);

  if (status != 0)
    g_error ("“%s” exited with %d:\n%s%s", line, status, out, err);
}

static void
assert_file (const char *path,
             GFileTest   test)
{
  if (!g_file_test (path, test))
    g_error ("missing: %s", path);
}

/* ------------------------------------------------------------------------------------------------
 * The copy in place
 */

static void
test_install (void)
{
  g_autofree char *schemas = g_build_filename (T.share, "glib-2.0", "schemas", NULL);
  g_autofree char *compiled = g_build_filename (schemas, "gschemas.compiled", NULL);
  g_autofree char *hicolor = g_build_filename (T.share, "icons", "hicolor", NULL);
  g_autofree char *icon_cache = g_build_filename (hicolor, "icon-theme.cache", NULL);
  g_autofree char *svg_name = g_strconcat (APP_ID, ".svg", NULL);
  g_autofree char *icon = g_build_filename (hicolor, "scalable", "apps", svg_name, NULL);
  g_autofree char *applications = g_build_filename (T.share, "applications", NULL);
  g_autofree char *desktop_name = g_strconcat (APP_ID, ".desktop", NULL);
  g_autofree char *desktop = g_build_filename (applications, desktop_name, NULL);
  g_autofree char *mime_cache = g_build_filename (applications, "mimeinfo.cache", NULL);
  g_autofree char *metainfo_name = g_strconcat (APP_ID, ".metainfo.xml", NULL);
  g_autofree char *metainfo = g_build_filename (T.share, "metainfo", metainfo_name, NULL);

  if (!T.system)
    {
      g_autofree char *meson = g_find_program_in_path ("meson");
      const char *install[] = { meson, "install", "-C", T.build_root, "--no-rebuild",
                                "--destdir", T.destdir, "--quiet", NULL };
      g_autofree char *libexec = g_build_filename (T.prefix, LIBEXECDIR_REL, "ladle-window", NULL);
      g_autofree char *compiled_in = g_build_filename (LOCALEDIR, "ru", "LC_MESSAGES", "ladle.mo",
                                                       NULL);

      if (meson == NULL)
        {
          g_test_skip ("meson is not on PATH");
          return;
        }
      run_ok (install);
      assert_file (libexec, G_FILE_TEST_IS_EXECUTABLE);

      /* What gnome.post_install() runs at install time, and meson skips under DESTDIR (meson takes
       * GTK 4's icon cache tool when there is one) */
      {
        g_autofree char *gtk4_cache = g_find_program_in_path ("gtk4-update-icon-cache");
        const char *compile_schemas[] = { "glib-compile-schemas", schemas, NULL };
        const char *update_icons[] = { gtk4_cache != NULL ? gtk4_cache : "gtk-update-icon-cache",
                                       "-q", "-t", "-f", hicolor, NULL };
        const char *update_desktop[] = { "update-desktop-database", "-q", applications, NULL };

        run_ok (compile_schemas);
        run_ok (update_icons);
        run_ok (update_desktop);
      }
      assert_file (icon_cache, G_FILE_TEST_IS_REGULAR);
      assert_file (mime_cache, G_FILE_TEST_IS_REGULAR);

      /* The copy is not where it was built for: what it finds, it finds in its own prefix */
      g_assert_cmpstr (T.mo, !=, compiled_in);
    }

  assert_file (T.ladle, G_FILE_TEST_IS_EXECUTABLE);
  assert_file (T.mo, G_FILE_TEST_IS_REGULAR);
  assert_file (compiled, G_FILE_TEST_IS_REGULAR);
  assert_file (icon, G_FILE_TEST_IS_REGULAR);
  assert_file (desktop, G_FILE_TEST_IS_REGULAR);
  assert_file (metainfo, G_FILE_TEST_IS_REGULAR);
  T.installed = TRUE;
}

/* ------------------------------------------------------------------------------------------------
 * The commands
 */

/* `ladle send` to `ladle serve`, both the installed ones */
static void
test_send (void)
{
  LadleTestServe serve;
  g_autofree char *url = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;

  require_installed ();
  if (!T.installed)
    return;

  ladle_test_serve_start (&serve, T.uploads, NULL, NULL);
  url = g_strconcat (serve.url, "/anything?copy=installed", NULL);
  {
    const char *argv[] = { T.ladle, "send", "-X", "PUT", url, "-H", "X-Ladle-Test: installed",
                           "--json", "{\"ok\": true}", NULL };

    g_assert_cmpint (ladle_test_run_command (argv, NULL, &out, &err), ==, 0);
  }
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "method"), ==, "PUT");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "args"),
                                                  "copy"), ==, "installed");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "headers"),
                                                  "X-Ladle-Test"), ==, "installed");
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (root, "json"),
                                                 "ok"));
  ladle_test_serve_stop (&serve, SIGTERM);
}

/* What else a user gets: `ladle --version` names the window's GTK (so the installed ladle found
 * the installed ladle-window), a manual page per command, and the shell completions where each
 * shell looks — bash's found by bash-completion's own loader through XDG_DATA_DIRS, then run. */
static void
test_extras (void)
{
  static const char * const pages[] = {
    "ladle", "ladle-send", "ladle-serve", "ladle-ws", "ladle-run", "ladle-import",
  };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *first = NULL;
  g_autofree char *zsh = NULL;
  g_autofree char *fish = NULL;

  require_installed ();
  if (!T.installed)
    return;

  {
    const char *argv[] = { T.ladle, "--version", NULL };

    g_assert_cmpint (ladle_test_run_command (argv, NULL, &out, &err), ==, 0);
    first = g_strdup_printf ("ladle %s\n", PACKAGE_VERSION);
    g_assert_true (g_str_has_prefix (out, first));
    g_assert_nonnull (strstr (out, "\nGTK 4."));
    g_assert_null (strstr (out, "not available"));
  }

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *name = g_strconcat (pages[i], ".1", NULL);
      g_autofree char *gz = g_strconcat (pages[i], ".1.gz", NULL);
      g_autofree char *page = g_build_filename (T.share, "man", "man1", name, NULL);
      g_autofree char *page_gz = g_build_filename (T.share, "man", "man1", gz, NULL);

      if (!g_file_test (page, G_FILE_TEST_IS_REGULAR) &&
          !g_file_test (page_gz, G_FILE_TEST_IS_REGULAR))
        g_error ("no manual page %s(1) in %s/man/man1", pages[i], T.share);
    }

  zsh = g_build_filename (T.share, "zsh", "vendor-completions", "_ladle", NULL);
  fish = g_build_filename (T.share, "fish", "vendor_completions.d", "ladle.fish", NULL);
  assert_file (zsh, G_FILE_TEST_IS_REGULAR);
  assert_file (fish, G_FILE_TEST_IS_REGULAR);

  if (!g_file_test ("/usr/share/bash-completion/bash_completion", G_FILE_TEST_IS_REGULAR))
    {
      g_test_message ("bash-completion is not installed: the bash completion was not run");
      return;
    }
  {
    /* bash-completion 2.x loads a command's completion on first use from
     * DIR/bash-completion/completions of each XDG_DATA_DIRS entry */
    const char *script =
      "source /usr/share/bash-completion/bash_completion\n"
      "__load_completion ladle || exit 3\n"
      "spec=$(complete -p ladle) || exit 4\n"
      "func=${spec##*-F }; func=${func%% *}\n"
      "COMP_WORDS=(ladle se); COMP_CWORD=1; COMP_LINE='ladle se'; COMP_POINT=${#COMP_LINE}\n"
      "\"$func\" ladle se ladle\n"
      "printf '%s\\n' \"${COMPREPLY[@]}\" | sort\n";
    const char *argv[] = { "bash", "--norc", "--noprofile", "-c", script, NULL };
    g_autofree char *bash_out = NULL;
    g_autofree char *bash_err = NULL;
    int status = ladle_test_run_command (argv, NULL, &bash_out, &bash_err);

    if (status != 0)
      g_error ("bash could not complete “ladle se” from %s (exit %d): %s", T.share, status,
               bash_err);
    g_assert_cmpstr (bash_out, ==, "send\nserve\n");
  }
}

/* `ladle ws` to `ladle serve`'s WebSocket echo */
static void
test_ws (void)
{
  LadleTestServe serve;
  g_autofree char *url = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  require_installed ();
  if (!T.installed)
    return;

  ladle_test_serve_start (&serve, T.uploads, NULL, NULL);
  url = g_strdup_printf ("ws://127.0.0.1:%u/websocket/echo", serve.port);
  {
    const char *argv[] = { T.ladle, "ws", url, "--send", "installed copy, привет", NULL };

    g_assert_cmpint (ladle_test_run_command (argv, NULL, &out, &err), ==, 0);
  }
  g_assert_cmpstr (out, ==, "installed copy, привет\n");
  ladle_test_serve_stop (&serve, SIGTERM);
}

/* ------------------------------------------------------------------------------------------------
 * Russian, from the installed catalogue
 */

static void
assert_russian_commands (void)
{
  const char *ru[] = { "LANGUAGE", "ru", NULL };
  const char *ru_no_display[] = { "LANGUAGE", "ru", "DISPLAY", NULL, "WAYLAND_DISPLAY", NULL, NULL };
  const char *help[] = { T.ladle, "--help", NULL };
  const char *unknown[] = { T.ladle, "bogus", NULL };
  const char *window[] = { T.ladle, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *out2 = NULL;
  g_autofree char *err2 = NULL;
  g_autofree char *out3 = NULL;
  g_autofree char *err3 = NULL;
  LadleTestServe serve;

  g_assert_cmpint (ladle_test_run_command (help, ru, &out, &err), ==, 0);
  g_assert_true (g_str_has_prefix (out, RU_USAGE "\n"));

  /* An error message */
  g_assert_cmpint (ladle_test_run_command (unknown, ru, &out2, &err2), ==, 2);
  g_assert_true (g_str_has_prefix (err2, RU_UNKNOWN "\n"));

  /* The server's first line */
  ladle_test_serve_start (&serve, T.uploads, NULL, ru);
  g_assert_true (g_str_has_prefix (serve.first_line, RU_SERVING));
  ladle_test_serve_stop (&serve, SIGTERM);

  /* The window's own executable (it binds the catalogue itself), asked for a window where there
   * is no display */
  g_assert_cmpint (ladle_test_run_command (window, ru_no_display, &out3, &err3), ==, 1);
  g_assert_true (g_str_has_prefix (err3, RU_NO_DISPLAY));
}

static void
test_russian (void)
{
  g_autofree char *moved = NULL;

  require_installed ();
  if (!T.installed)
    return;

  assert_russian_commands ();
  if (T.system)
    return;

  /* The proof that the Russian above is the installed catalogue's, not one found elsewhere (the
   * build tree's, the compiled-in prefix's): without it, English. */
  moved = g_strconcat (T.mo, ".away", NULL);
  g_assert_cmpint (g_rename (T.mo, moved), ==, 0);
  {
    const char *ru[] = { "LANGUAGE", "ru", NULL };
    const char *help[] = { T.ladle, "--help", NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (ladle_test_run_command (help, ru, &out, &err), ==, 0);
    g_assert_true (g_str_has_prefix (out, "Usage: ladle [COMMAND] [OPTION…]\n"));
  }
  g_assert_cmpint (g_rename (moved, T.mo), ==, 0);
}

/* ------------------------------------------------------------------------------------------------
 * The window, under the test's X display
 */

static int
ignore_x_error (Display     *display,
                XErrorEvent *event)
{
  /* A window may go between listing and reading it */
  return 0;
}

/* The property @name of @window as @type items of @format bits (XFree() it); NULL if none */
static unsigned char *
get_property (Display       *display,
              Window         window,
              const char    *name,
              Atom           type,
              int            format,
              unsigned long *n_items)
{
  Atom actual_type = None;
  int actual_format = 0;
  unsigned long after = 0;
  unsigned char *data = NULL;

  *n_items = 0;
  if (XGetWindowProperty (display, window, XInternAtom (display, name, False), 0, 1 << 24, False,
                          type, &actual_type, &actual_format, n_items, &after, &data) != Success)
    return NULL;
  if (data != NULL && (actual_type != type || actual_format != format || *n_items == 0))
    g_clear_pointer (&data, XFree);
  return data;
}

/* The shown window of the process @pid under @parent, @depth levels down at the most: under Xvfb
 * GTK's windows are children of the root, under a window manager they are inside its frames */
static Window
find_window_under (Display *display,
                   Window   parent,
                   GPid     pid,
                   guint    depth)
{
  Window root_return, parent_return, *children = NULL;
  unsigned int n_children = 0;
  Window found = None;

  if (!XQueryTree (display, parent, &root_return, &parent_return, &children, &n_children))
    return None;
  for (unsigned int i = 0; i < n_children && found == None; i++)
    {
      unsigned long n = 0;
      unsigned long *window_pid = (unsigned long *) get_property (display, children[i],
                                                                  "_NET_WM_PID", XA_CARDINAL, 32,
                                                                  &n);
      XWindowAttributes attributes;

      if (window_pid != NULL && window_pid[0] == (unsigned long) pid &&
          XGetWindowAttributes (display, children[i], &attributes) &&
          attributes.map_state == IsViewable)
        found = children[i];
      else if (depth > 1)
        found = find_window_under (display, children[i], pid, depth - 1);
      g_clear_pointer (&window_pid, XFree);
    }
  g_clear_pointer (&children, XFree);
  return found;
}

static Window
find_window (Display *display,
             GPid     pid)
{
  return find_window_under (display, DefaultRootWindow (display), pid, 3);
}

static char *
dup_window_title (Display *display,
                  Window   window)
{
  unsigned long n = 0;
  unsigned char *data = get_property (display, window, "_NET_WM_NAME",
                                      XInternAtom (display, "UTF8_STRING", False), 8, &n);
  char *title = data != NULL ? g_strndup ((const char *) data, n) : NULL;

  g_clear_pointer (&data, XFree);
  return title;
}

/* The sizes in _NET_WM_ICON (width, height, then width × height pixels, for each icon), as
 * "48x48 …"; NULL when it is not set */
static char *
dup_icon_sizes (Display *display,
                Window   window)
{
  unsigned long n = 0;
  unsigned long *data = (unsigned long *) get_property (display, window, "_NET_WM_ICON",
                                                        XA_CARDINAL, 32, &n);
  GString *sizes;

  if (data == NULL)
    return NULL;
  sizes = g_string_new (NULL);
  for (unsigned long i = 0; i + 2 <= n && data[i] > 0 && data[i + 1] > 0; )
    {
      g_string_append_printf (sizes, "%s%lux%lu", sizes->len > 0 ? " " : "", data[i], data[i + 1]);
      if (data[i] > 1024 || data[i + 1] > 1024)
        break;
      i += 2 + data[i] * data[i + 1];
    }
  XFree (data);
  return g_string_free (sizes, FALSE);
}

/* The 8 bits of a colour channel of a TrueColor pixel */
static guchar
channel (unsigned long pixel,
         unsigned long mask)
{
  unsigned long value;
  int shift = 0;
  int bits = 0;

  if (mask == 0)
    return 0;
  while (!(mask & (1UL << shift)))
    shift++;
  while (shift + bits < 64 && (mask & (1UL << (shift + bits))))
    bits++;
  value = (pixel & mask) >> shift;
  return bits >= 8 ? (guchar) (value >> (bits - 8)) : (guchar) (value * 255 / ((1UL << bits) - 1));
}

/* What the screen shows of @window, as RGB (a TrueColor screen: Xvfb's 24-bit one) */
static GdkPixbuf *
capture (Display *display,
         Window   window)
{
  Visual *visual = DefaultVisual (display, DefaultScreen (display));
  XWindowAttributes attributes;
  Window child;
  int x = 0, y = 0;
  XImage *image;
  GdkPixbuf *pixbuf;
  guchar *pixels;
  int stride;

  if (visual->class != TrueColor)
    g_error ("the screen is not TrueColor (run Xvfb with a 24-bit screen)");
  if (!XGetWindowAttributes (display, window, &attributes) ||
      !XTranslateCoordinates (display, window, DefaultRootWindow (display), 0, 0, &x, &y, &child))
    return NULL;
  image = XGetImage (display, DefaultRootWindow (display), x, y, (unsigned) attributes.width,
                     (unsigned) attributes.height, AllPlanes, ZPixmap);
  if (image == NULL)
    return NULL;

  pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, attributes.width, attributes.height);
  pixels = gdk_pixbuf_get_pixels (pixbuf);
  stride = gdk_pixbuf_get_rowstride (pixbuf);
  for (int row = 0; row < attributes.height; row++)
    for (int col = 0; col < attributes.width; col++)
      {
        unsigned long pixel = XGetPixel (image, col, row);
        guchar *p = pixels + row * stride + col * 3;

        p[0] = channel (pixel, visual->red_mask);
        p[1] = channel (pixel, visual->green_mask);
        p[2] = channel (pixel, visual->blue_mask);
      }
  XDestroyImage (image);
  return pixbuf;
}

static char *
pixbuf_digest (GdkPixbuf *pixbuf)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, gdk_pixbuf_read_pixels (pixbuf),
                                      gdk_pixbuf_get_byte_length (pixbuf));
}

/* Waits until what @window shows stays the same for 300 ms (10 s at the most) and saves it */
static void
save_screenshot (Display    *display,
                 Window      window,
                 const char *name)
{
  g_autoptr(GdkPixbuf) shot = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (T.screenshots, file, NULL);
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  gint64 since = 0;

  for (;;)
    {
      g_autoptr(GdkPixbuf) now = capture (display, window);
      g_autofree char *now_digest = now != NULL ? pixbuf_digest (now) : NULL;

      g_assert_nonnull (now);
      if (g_strcmp0 (now_digest, digest) != 0)
        {
          g_set_object (&shot, now);
          g_free (digest);
          digest = g_steal_pointer (&now_digest);
          since = g_get_monotonic_time ();
        }
      else if (g_get_monotonic_time () - since >= 300 * 1000)
        break;
      if (g_get_monotonic_time () > deadline)
        g_error ("the window kept changing for 10 s");
      g_main_context_iteration (NULL, FALSE);
      g_usleep (20 * 1000);
    }

  g_mkdir_with_parents (T.screenshots, 0755);
  gdk_pixbuf_save (shot, path, "png", &error, NULL);
  g_assert_no_error (error);
  g_test_message ("screenshot: %s", path);
}

/* Whether /proc/@pid/maps holds @path (gettext maps the catalogue it reads) */
static gboolean
maps_file (GPid        pid,
           const char *path)
{
  g_autofree char *maps_path = g_strdup_printf ("/proc/%d/maps", (int) pid);
  g_autofree char *maps = NULL;
  g_autofree char *real = realpath (path, NULL);
  g_autofree char *needle = g_strconcat (" ", real != NULL ? real : path, "\n", NULL);

  return g_file_get_contents (maps_path, &maps, NULL, NULL) && strstr (maps, needle) != NULL;
}

static void
send_delete_window (Display *display,
                    Window   window)
{
  XEvent event = { 0 };

  event.xclient.type = ClientMessage;
  event.xclient.window = window;
  event.xclient.message_type = XInternAtom (display, "WM_PROTOCOLS", False);
  event.xclient.format = 32;
  event.xclient.data.l[0] = (long) XInternAtom (display, "WM_DELETE_WINDOW", False);
  event.xclient.data.l[1] = CurrentTime;
  XSendEvent (display, window, False, NoEventMask, &event);
  XFlush (display);
}

static void
test_window (void)
{
  const char *argv[] = { NULL, NULL };
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(GBytes) err_bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  g_autofree char *title = NULL;
  g_autofree char *icon_sizes = NULL;
  const char *env[] = { "LANGUAGE", "ru", NULL };
  Display *display;
  Window window = None;
  GPid pid;

  require_installed ();
  if (!T.installed)
    return;
  if (g_getenv ("DISPLAY") == NULL || (display = XOpenDisplay (NULL)) == NULL)
    {
      g_test_skip ("no X display (tools/test runs the suite under Xvfb)");
      return;
    }
  XSetErrorHandler (ignore_x_error);

  /* `ladle` with no command: it runs the installed ladle-window in its place (same process) */
  argv[0] = T.ladle;
  launcher = ladle_test_new_launcher (G_SUBPROCESS_FLAGS_STDERR_PIPE, env);
  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (proc), NULL, 10);
  g_subprocess_communicate_async (proc, NULL, NULL, ladle_test_async_done, &done);

  /* Shown, or ended (without its schema, GSettings aborts it: "No schema installed") */
  LADLE_TEST_WAIT_UNTIL (done != NULL || (window = find_window (display, pid)) != None, 20000);
  if (window == None)
    {
      g_subprocess_communicate_finish (proc, done, NULL, &err_bytes, &error);
      g_error ("the window did not open; its stderr:\n%.*s", (int) g_bytes_get_size (err_bytes),
               (const char *) g_bytes_get_data (err_bytes, NULL));
    }

  title = dup_window_title (display, window);
  g_assert_cmpstr (title, ==, "Ladle");

  /* GTK sets _NET_WM_ICON only from an icon it found in the theme: APP_ID in the installed
   * hicolor theme (an SVG, which gdk-pixbuf reads once the MIME database tells it is one) */
  LADLE_TEST_WAIT_UNTIL (done != NULL || (icon_sizes = dup_icon_sizes (display, window)) != NULL,
                         3000);
  g_assert_nonnull (icon_sizes);
  g_test_message ("_NET_WM_ICON: %s", icon_sizes);
  g_assert_true (g_str_has_prefix (icon_sizes, "48x48"));

  /* Built in Russian: the window's process reads the installed catalogue */
  g_assert_true (maps_file (pid, T.mo));

  save_screenshot (display, window, "installed-window-ru");

  /* Closed as a window manager closes it: the application ends, and well */
  send_delete_window (display, window);
  LADLE_TEST_WAIT_UNTIL (done != NULL, 20000);
  g_subprocess_communicate_finish (proc, done, NULL, &err_bytes, &error);
  g_assert_no_error (error);
  err = g_bytes_get_size (err_bytes) > 0 ? g_utf8_make_valid (g_bytes_get_data (err_bytes, NULL),
                                                              g_bytes_get_size (err_bytes))
                                          : g_strdup ("");
  g_assert_cmpint (ladle_test_wait_exit_full (proc, err), ==, 0);
  if (err[0] != '\0')
    g_error ("the window wrote to stderr:\n%s", err);

  XCloseDisplay (display);
}

/* ------------------------------------------------------------------------------------------------
 * The environment: nothing of the build tree's or the user's
 */

/* TMP/system: only the MIME database and the Adwaita icon theme of the system's /usr/share */
static char *
make_system_share (void)
{
  char *dir = g_build_filename (T.tmp, "system", NULL);
  g_autofree char *icons = g_build_filename (dir, "icons", NULL);
  g_autofree char *mime = g_build_filename (dir, "mime", NULL);
  g_autofree char *adwaita = g_build_filename (icons, "Adwaita", NULL);

  g_assert_cmpint (g_mkdir_with_parents (icons, 0700), ==, 0);
  if (g_file_test ("/usr/share/mime", G_FILE_TEST_IS_DIR))
    g_assert_cmpint (symlink ("/usr/share/mime", mime), ==, 0);
  if (g_file_test ("/usr/share/icons/Adwaita", G_FILE_TEST_IS_DIR))
    g_assert_cmpint (symlink ("/usr/share/icons/Adwaita", adwaita), ==, 0);
  return dir;
}

static void
set_environment (void)
{
  static const char * const kept[] = {
    "PATH", "DISPLAY", "XAUTHORITY", "G_DEBUG", "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS",
    NULL,
  };
  static const char * const homes[][2] = {
    { "HOME", "home" },
    { "XDG_DATA_HOME", "home/.local/share" },
    { "XDG_CONFIG_HOME", "home/.config" },
    { "XDG_CACHE_HOME", "home/.cache" },
    { "XDG_STATE_HOME", "home/.local/state" },
    { "XDG_RUNTIME_DIR", "runtime" },
  };
  g_auto(GStrv) names = g_listenv ();
  g_autofree char *no_bus = g_build_filename (T.tmp, "no-bus", NULL);
  g_autofree char *bus_address = g_strconcat ("unix:path=", no_bus, NULL);
  g_autofree char *data_dirs = NULL;

  for (guint i = 0; names[i] != NULL; i++)
    if (!g_strv_contains (kept, names[i]))
      g_unsetenv (names[i]);

  for (guint i = 0; i < G_N_ELEMENTS (homes); i++)
    {
      g_autofree char *dir = g_build_filename (T.tmp, homes[i][1], NULL);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      g_setenv (homes[i][0], dir, TRUE);
    }

  /* A steady caret, so that the screenshot can wait for a still window */
  {
    g_autofree char *gtk_dir = g_build_filename (T.tmp, "home", ".config", "gtk-4.0", NULL);
    g_autofree char *ini = g_build_filename (gtk_dir, "settings.ini", NULL);

    g_assert_cmpint (g_mkdir_with_parents (gtk_dir, 0700), ==, 0);
    g_assert_true (g_file_set_contents (ini, "[Settings]\ngtk-cursor-blink = false\n", -1, NULL));
  }

  if (strcmp (T.prefix, "/usr") == 0)
    data_dirs = g_strdup ("/usr/share");
  else
    {
      g_autofree char *system = make_system_share ();

      data_dirs = g_strconcat (T.share, ":", system, NULL);
    }
  g_setenv ("XDG_DATA_DIRS", data_dirs, TRUE);
  g_setenv ("XDG_CONFIG_DIRS", "/etc/xdg", TRUE);

  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "keyfile", TRUE);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", bus_address, TRUE);
  g_setenv ("GIO_USE_VFS", "local", TRUE);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_setenv ("NO_PROXY", "*", TRUE);
  g_setenv ("GDK_BACKEND", "x11", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("NO_AT_BRIDGE", "1", TRUE);
  g_setenv ("LADLE_NO_BROWSER", "1", TRUE);
  /* For ladle_test_serve_start(): the installed ladle */
  g_setenv ("LADLE_BIN", T.ladle, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  const char *given_prefix = g_getenv ("LADLE_TEST_INSTALLED_PREFIX");
  const char *builddir = g_getenv ("G_TEST_BUILDDIR");
  int status;

  g_test_init (&argc, &argv, NULL);
  ladle_test_explain_fatal_logs ();

  T.tmp = ladle_test_make_tmpdir ("ladle-installed-XXXXXX");
  if (builddir == NULL)
    {
      /* Run by hand: beside the test program, as under meson */
      g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
      g_autofree char *self_dir = NULL;

      g_assert_nonnull (self);
      self_dir = g_path_get_dirname (self);
      T.screenshots = g_build_filename (self_dir, "screenshots", NULL);
    }
  else
    T.screenshots = g_build_filename (builddir, "screenshots", NULL);
  T.uploads = g_build_filename (T.tmp, "uploads", NULL);
  g_assert_cmpint (g_mkdir (T.uploads, 0700), ==, 0);
  if (given_prefix != NULL && given_prefix[0] != '\0')
    {
      T.system = TRUE;
      T.prefix = g_canonicalize_filename (given_prefix, "/");
    }
  else
    {
      if (g_getenv ("LADLE_TEST_BUILD_ROOT") == NULL)
        g_error ("set LADLE_TEST_BUILD_ROOT (meson test does) or LADLE_TEST_INSTALLED_PREFIX");
      T.build_root = g_strdup (g_getenv ("LADLE_TEST_BUILD_ROOT"));
      T.destdir = g_build_filename (T.tmp, "destdir", NULL);
      T.prefix = g_build_filename (T.destdir, PREFIX, NULL);
    }
  T.share = g_build_filename (T.prefix, "share", NULL);
  T.ladle = g_build_filename (T.prefix, BINDIR_REL, "ladle", NULL);
  T.mo = g_build_filename (T.prefix, LOCALEDIR_REL, "ru", "LC_MESSAGES", "ladle.mo", NULL);
  set_environment ();

  g_test_add_func ("/ladle/installed/install", test_install);
  g_test_add_func ("/ladle/installed/send", test_send);
  g_test_add_func ("/ladle/installed/ws", test_ws);
  g_test_add_func ("/ladle/installed/russian", test_russian);
  g_test_add_func ("/ladle/installed/extras", test_extras);
  g_test_add_func ("/ladle/installed/window", test_window);

  status = g_test_run ();

  ladle_test_rm_rf (T.tmp);
  g_free (T.build_root);
  g_free (T.tmp);
  g_free (T.destdir);
  g_free (T.prefix);
  g_free (T.share);
  g_free (T.ladle);
  g_free (T.mo);
  g_free (T.uploads);
  g_free (T.screenshots);
  return status;
}
