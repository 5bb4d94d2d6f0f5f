/* ladle-bench-hooks.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Built only with -Dbench_hooks=true (bench/ui.sh and bench/body.sh make such a build): a window
 * that an environment variable can make send requests or start the server has no place in what
 * users install. */

#include "config.h"

#include <sys/resource.h>
#include <time.h>

#include "ladle-bench-hooks.h"
#include "ladle-body-viewer.h"
#include "ladle-requests-page.h"

/* Benchmark hooks (bench/ui.sh), read from the environment; they change nothing otherwise.
 *   LADLE_BENCH_FIRST_FRAME=print|quit  print the real time (µs) of the first frame [and quit]
 *   LADLE_BENCH_STALLS=1                print the longest main-loop stall of each second
 *   LADLE_BENCH_SERVER_PORT=N           start the server on port N, show the server bench
 *   LADLE_BENCH_GET=URL                 send a GET for URL from the requests bench
 *   LADLE_BENCH_GET_DELAY_MS=N          …N ms after start, printing "ladle-bench: get-sent"
 *   LADLE_BENCH_BODY=NEEDLE             with GET: print when the body viewer shows its first
 *                                       screen, is formatted and finds NEEDLE, the longest stall
 *                                       meanwhile (and the main thread's CPU time in it) and the
 *                                       peak RSS; then quit (bench/body.sh) */

typedef struct
{
  gint64 last;
  gint64 worst;
  gint64 window_start;
} StallMonitor;

static gboolean
stall_tick (gpointer data)
{
  StallMonitor *monitor = data;
  gint64 now = g_get_monotonic_time ();

  if (monitor->last != 0)
    monitor->worst = MAX (monitor->worst, now - monitor->last);
  monitor->last = now;

  if (now - monitor->window_start >= G_USEC_PER_SEC)
    {
      g_print ("ladle-bench: max-stall-ms %.1f\n", monitor->worst / 1000.0);
      monitor->worst = 0;
      monitor->window_start = now;
    }

  return G_SOURCE_CONTINUE;
}

static void
bench_first_frame (GdkFrameClock *clock,
                   LadleWindow   *self)
{
  g_print ("ladle-bench: first-frame %" G_GINT64_FORMAT "\n", g_get_real_time ());
  g_signal_handlers_disconnect_by_func (clock, bench_first_frame, self);
  if (g_strcmp0 (g_getenv ("LADLE_BENCH_FIRST_FRAME"), "quit") == 0)
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
bench_realized (GtkWidget *widget)
{
  g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                    G_CALLBACK (bench_first_frame), widget);
}

typedef struct
{
  GtkWidget       *window;
  LadleBodyViewer *viewer;
  char            *needle;
  int              phase;
  gint64           start, body, search, last, worst;
  gint64           cpu;             /* the main thread's CPU time at the last tick */
  gint64           worst_cpu;       /* …and how much of the worst stall it used */
  gint64           worst_in[5];     /* per phase */
} BodyBench;

/* The text of a label or of an inscription (the body viewer's rows) */
static const char *
widget_text (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    return gtk_label_get_text (GTK_LABEL (widget));
  if (GTK_IS_INSCRIPTION (widget))
    return gtk_inscription_get_text (GTK_INSCRIPTION (widget));
  return NULL;
}

static GtkWidget *
bench_find (GtkWidget *widget,
            GType      type,
            gboolean   shown_text)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) &&
      (!shown_text || (gtk_widget_get_mapped (widget) &&
                       gtk_widget_has_css_class (widget, "monospace") &&
                       !gtk_widget_has_css_class (widget, "dim-label") &&
                       widget_text (widget) != NULL && *widget_text (widget) != '\0')))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = bench_find (child, type, shown_text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
body_bench_painted (GdkFrameClock *clock,
                    BodyBench     *bench)
{
  g_print ("ladle-bench: first-screen-ms %.1f\n", (g_get_monotonic_time () - bench->body) / 1000.0);
  g_signal_handlers_disconnect_by_func (clock, body_bench_painted, bench);
  bench->phase = 3;
}

/* Every millisecond: the stall meter, and the steps of the body benchmark */
static gboolean
body_bench_tick (gpointer data)
{
  BodyBench *bench = data;
  gint64 now = g_get_monotonic_time ();
  struct rusage usage;
  struct timespec ts;
  gint64 cpu;

  /* A stall during which the main thread was hardly on a CPU is the machine's (other processes,
   * I/O), not Ladle's work */
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  cpu = (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
  if (bench->body != 0)
    {
      if (now - bench->last > bench->worst)
        {
          bench->worst = now - bench->last;
          bench->worst_cpu = cpu - bench->cpu;
        }
      bench->worst_in[bench->phase] = MAX (bench->worst_in[bench->phase], now - bench->last);
    }
  bench->last = now;
  bench->cpu = cpu;

  switch (bench->phase)
    {
    case 0:  /* until the response reaches the viewer */
      if (bench->viewer == NULL)
        bench->viewer = (LadleBodyViewer *) bench_find (bench->window, LADLE_TYPE_BODY_VIEWER, FALSE);
      if (bench->viewer != NULL && ladle_body_viewer_get_busy (bench->viewer))
        {
          bench->body = now;
          bench->phase = 1;
          g_print ("ladle-bench: response-ms %.1f\n", (now - bench->start) / 1000.0);
        }
      break;

    case 1:  /* until rows of text are on screen, then the next frame */
      if (bench_find (GTK_WIDGET (bench->viewer), GTK_TYPE_WIDGET, TRUE) != NULL)
        {
          g_signal_connect (gtk_widget_get_frame_clock (bench->window), "after-paint",
                            G_CALLBACK (body_bench_painted), bench);
          bench->phase = 2;
        }
      break;

    case 3:  /* until formatted, then search */
      if (!ladle_body_viewer_get_busy (bench->viewer))
        {
          g_print ("ladle-bench: formatted-ms %.1f\n", (now - bench->body) / 1000.0);
          bench->search = g_get_monotonic_time ();
          ladle_body_viewer_search (bench->viewer, bench->needle);
          bench->phase = 4;
        }
      break;

    case 4:  /* until found */
      if (ladle_body_viewer_get_match (bench->viewer, NULL))
        {
          getrusage (RUSAGE_SELF, &usage);
          g_print ("ladle-bench: found-ms %.1f\n", (now - bench->search) / 1000.0);
          g_print ("ladle-bench: body-max-stall-ms %.1f\n", bench->worst / 1000.0);
          g_print ("ladle-bench: body-max-stall-cpu-ms %.1f\n", bench->worst_cpu / 1000.0);
          g_print ("ladle-bench: stall-by-phase-ms %.1f %.1f %.1f %.1f\n",
                   bench->worst_in[1] / 1000.0, bench->worst_in[2] / 1000.0,
                   bench->worst_in[3] / 1000.0, bench->worst_in[4] / 1000.0);
          g_print ("ladle-bench: peak-rss-kib %ld\n", usage.ru_maxrss);
          gtk_window_destroy (GTK_WINDOW (bench->window));
          return G_SOURCE_REMOVE;
        }
      break;

    default:
      break;
    }

  return G_SOURCE_CONTINUE;
}

static void
body_bench_free (BodyBench *bench)
{
  g_free (bench->needle);
  g_free (bench);
}

/* The stall meter's lines after this one are the request's (the window's start-up is over) */
static void
bench_send_cb (gpointer data)
{
  LadleWindow *self = data;

  g_print ("ladle-bench: get-sent\n");
  gtk_widget_activate_action (ladle_window_get_page (self, "requests"), "request.send", NULL);
}

void
ladle_bench_hooks_install (LadleWindow *self)
{
  const char *port = g_getenv ("LADLE_BENCH_SERVER_PORT");
  const char *url = g_getenv ("LADLE_BENCH_GET");
  const char *needle = g_getenv ("LADLE_BENCH_BODY");

  if (needle != NULL)
    {
      BodyBench *bench = g_new0 (BodyBench, 1);

      bench->window = GTK_WIDGET (self);
      bench->needle = g_strdup (needle);
      bench->start = g_get_monotonic_time ();
      g_timeout_add_full (G_PRIORITY_DEFAULT, 1, body_bench_tick, bench,
                          (GDestroyNotify) body_bench_free);
    }

  if (g_getenv ("LADLE_BENCH_FIRST_FRAME") != NULL)
    g_signal_connect (self, "realize", G_CALLBACK (bench_realized), NULL);

  if (g_getenv ("LADLE_BENCH_STALLS") != NULL)
    {
      StallMonitor *monitor = g_new0 (StallMonitor, 1);

      monitor->window_start = g_get_monotonic_time ();
      g_timeout_add_full (G_PRIORITY_DEFAULT, 1, stall_tick, monitor, g_free);
    }

  if (port != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *uploads = g_dir_make_tmp ("ladle-bench-XXXXXX", NULL);

      ladle_server_set_port (ladle_window_get_server (self), (guint) g_ascii_strtoull (port, NULL, 10));
      ladle_server_set_uploads_dir (ladle_window_get_server (self), uploads);
      if (!ladle_server_start (ladle_window_get_server (self), &error))
        g_printerr ("ladle-bench: %s\n", error->message);
      ladle_window_set_bench (self, "server");
    }

  if (url != NULL)
    {
      LadleRequest *request = ladle_requests_page_get_request (LADLE_REQUESTS_PAGE (ladle_window_get_page (self, "requests")));
      const char *delay = g_getenv ("LADLE_BENCH_GET_DELAY_MS");

      ladle_request_set_url (request, url);
      ladle_window_set_bench (self, "requests");
      if (delay != NULL)
        g_timeout_add_once ((guint) g_ascii_strtoull (delay, NULL, 10), bench_send_cb, self);
      else
        gtk_widget_activate_action (ladle_window_get_page (self, "requests"), "request.send", NULL);
    }
}
