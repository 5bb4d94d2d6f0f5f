/* ui-floor.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The floor of bench/ui.sh: the least a window of Ladle's shape costs on this machine with this
 * stack. An AdwApplication opens one AdwApplicationWindow of Ladle's default size with a header
 * bar, a view switcher title and a three-page view stack (a label on each page) and a switcher
 * bar, and chooses the renderer as Ladle does. With LADLE_BENCH_FIRST_FRAME=print|quit it prints
 * the real time (µs) of its first frame as Ladle's bench build does (and quits). Built only with
 * -Dbench_hooks=true; it is not installed. */

#include <locale.h>

#include <adwaita.h>

static gboolean
have_render_node (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/dev/dri", 0, NULL);
  const char *name;

  if (dir == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "renderD"))
      return TRUE;
  return FALSE;
}

static void
first_frame (GdkFrameClock *clock,
             GtkWindow     *window)
{
  g_print ("ladle-bench: first-frame %" G_GINT64_FORMAT "\n", g_get_real_time ());
  g_signal_handlers_disconnect_by_func (clock, first_frame, window);
  if (g_strcmp0 (g_getenv ("LADLE_BENCH_FIRST_FRAME"), "quit") == 0)
    gtk_window_destroy (window);
}

static void
realized (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (first_frame), window);
}

static void
activate (GApplication *app)
{
  static const struct { const char *name; const char *title; const char *icon; } pages[] = {
    { "requests", "Requests", "network-transmit-receive-symbolic" },
    { "server", "Server", "network-server-symbolic" },
    { "websocket", "WebSocket", "mail-send-receive-symbolic" },
  };
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *title = adw_view_switcher_title_new ();
  GtkWidget *stack = adw_view_stack_new ();
  GtkWidget *bar = adw_view_switcher_bar_new ();

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    adw_view_stack_add_titled_with_icon (ADW_VIEW_STACK (stack), gtk_label_new (pages[i].title),
                                         pages[i].name, pages[i].title, pages[i].icon);
  gtk_widget_set_vexpand (stack, TRUE);
  adw_view_switcher_title_set_stack (ADW_VIEW_SWITCHER_TITLE (title), ADW_VIEW_STACK (stack));
  adw_view_switcher_title_set_title (ADW_VIEW_SWITCHER_TITLE (title), "Floor");
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);
  adw_view_switcher_bar_set_stack (ADW_VIEW_SWITCHER_BAR (bar), ADW_VIEW_STACK (stack));
  g_object_bind_property (title, "title-visible", bar, "reveal", G_BINDING_SYNC_CREATE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), stack);
  gtk_box_append (GTK_BOX (box), bar);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_title (GTK_WINDOW (window), "Floor");
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);

  if (g_getenv ("LADLE_BENCH_FIRST_FRAME") != NULL)
    g_signal_connect (window, "realize", G_CALLBACK (realized), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;

  setlocale (LC_ALL, "");
  /* As ladle-window does (src/ui/ladle-main.c). */
  if (g_getenv ("GSK_RENDERER") == NULL && !have_render_node ())
    g_setenv ("GSK_RENDERER", "cairo", TRUE);

  app = adw_application_new ("io.github.ladle.LadleFloor", G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (app, "activate", G_CALLBACK (activate), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
