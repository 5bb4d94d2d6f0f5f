/* body-naive.c: the naive way to show a large body, for bench/body.sh to compare with Ladle's
 * viewer: read the whole (pretty) file, one gtk_text_buffer_set_text() into a GtkSourceBuffer
 * with JSON highlighting, in a GtkSourceView in a window. Prints, like Ladle's bench hooks:
 *   naive: first-screen-ms N   from before the read to the first frame drawn after set_text()
 *   naive: max-stall-ms N      the longest main-loop stall from the read to the search's end
 *   naive: found-ms N          gtk_text_iter_forward_search() for NEEDLE from the start
 *   naive: peak-rss-kib N
 * then quits. Not installed, not a test: built by bench/body.sh.
 *
 * Usage: body-naive FILE NEEDLE
 *
 * Copyright 2026 The Ladle authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <gtk/gtk.h>
#include <gtksourceview/gtksource.h>
#include <sys/resource.h>

typedef struct
{
  GtkWidget     *window;
  GtkSourceView *view;
  const char    *path;
  const char    *needle;
  gint64         start;
  gint64         last;
  gint64         worst;
  int            phase;
  int            settle;
} Bench;

static gboolean
tick (gpointer data)
{
  Bench *bench = data;
  gint64 now = g_get_monotonic_time ();

  if (bench->last != 0)
    bench->worst = MAX (bench->worst, now - bench->last);
  bench->last = now;
  return G_SOURCE_CONTINUE;
}

static gboolean
search (gpointer data)
{
  Bench *bench = data;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (bench->view));
  GtkTextIter iter, match_start, match_end;
  struct rusage usage;
  gint64 start = g_get_monotonic_time ();
  gboolean found;

  gtk_text_buffer_get_start_iter (buffer, &iter);
  found = gtk_text_iter_forward_search (&iter, bench->needle, GTK_TEXT_SEARCH_CASE_INSENSITIVE,
                                        &match_start, &match_end, NULL);
  if (found)
    {
      gtk_text_buffer_select_range (buffer, &match_start, &match_end);
      gtk_text_view_scroll_to_iter (GTK_TEXT_VIEW (bench->view), &match_start, 0, FALSE, 0, 0);
    }
  g_print ("naive: found-ms %.1f%s\n", (g_get_monotonic_time () - start) / 1000.0,
           found ? "" : " (not found)");
  /* The search itself blocks the main loop: count it as the stall it is */
  tick (bench);
  g_print ("naive: max-stall-ms %.1f\n", bench->worst / 1000.0);
  getrusage (RUSAGE_SELF, &usage);
  g_print ("naive: peak-rss-kib %ld\n", usage.ru_maxrss);
  gtk_window_destroy (GTK_WINDOW (bench->window));
  return G_SOURCE_REMOVE;
}

static void
painted (GdkFrameClock *clock,
         Bench         *bench)
{
  g_print ("naive: first-screen-ms %.1f\n", (g_get_monotonic_time () - bench->start) / 1000.0);
  g_signal_handlers_disconnect_by_func (clock, painted, bench);
  /* Let highlighting and line validation run for a while, as they would while one reads */
  g_timeout_add (2000, search, bench);
}

static gboolean
load (gpointer data)
{
  Bench *bench = data;
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();
  GtkSourceBuffer *buffer;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;

  bench->start = g_get_monotonic_time ();
  bench->last = bench->start;
  g_timeout_add (1, tick, bench);

  if (!g_file_get_contents (bench->path, &text, &len, &error))
    {
      g_printerr ("body-naive: %s\n", error->message);
      gtk_window_destroy (GTK_WINDOW (bench->window));
      return G_SOURCE_REMOVE;
    }
  buffer = GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (bench->view)));
  gtk_source_buffer_set_language (buffer, gtk_source_language_manager_get_language (languages,
                                                                                    "json"));
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (buffer), text, (int) len);
  g_signal_connect (gtk_widget_get_frame_clock (bench->window), "after-paint",
                    G_CALLBACK (painted), bench);
  gtk_widget_queue_draw (bench->window);
  return G_SOURCE_REMOVE;
}

static void
activate (GtkApplication *app,
          Bench          *bench)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  bench->window = gtk_application_window_new (app);
  bench->view = GTK_SOURCE_VIEW (gtk_source_view_new ());
  gtk_source_view_set_show_line_numbers (bench->view, TRUE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (bench->view), TRUE);
  gtk_text_view_set_editable (GTK_TEXT_VIEW (bench->view), FALSE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (bench->view));
  gtk_window_set_child (GTK_WINDOW (bench->window), scrolled);
  gtk_window_set_default_size (GTK_WINDOW (bench->window), 1100, 720);
  gtk_window_present (GTK_WINDOW (bench->window));
  /* Once the empty window is up, as when a response arrives in an open window */
  g_timeout_add (500, load, bench);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkApplication) app = NULL;
  Bench bench = { 0 };

  if (argc != 3)
    {
      g_printerr ("Usage: body-naive FILE NEEDLE\n");
      return 2;
    }
  bench.path = argv[1];
  bench.needle = argv[2];

  gtk_source_init ();
  app = gtk_application_new (NULL, G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate), &bench);
  return g_application_run (G_APPLICATION (app), 1, argv);
}
