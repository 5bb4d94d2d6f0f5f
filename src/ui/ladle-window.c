/* ladle-window.c
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

#include <glib/gi18n.h>
#include <sys/resource.h>
#include <time.h>

#include "ladle-body-viewer.h"

#include "ladle-requests-page.h"
#include "ladle-server-page.h"
#include "ladle-websocket-page.h"
#include "ladle-window.h"

/* The one window: a header whose view switcher picks one of three benches (requests, server,
 * WebSocket), each a page widget of its own. The window owns the embedded server so that it
 * outlives page changes, and hands it to the pages that use it. */

struct _LadleWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwViewStack         *stack;
  LadleRequestsPage    *requests_page;
  LadleServerPage      *server_page;
  LadleWebsocketPage   *websocket_page;

  /* Owned references */
  GSettings            *settings;
  LadleServer          *server;
};

G_DEFINE_FINAL_TYPE (LadleWindow, ladle_window, ADW_TYPE_APPLICATION_WINDOW)

static void
bench_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  ladle_window_set_bench (LADLE_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

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
  gtk_widget_activate_action (GTK_WIDGET (self->requests_page), "request.send", NULL);
}

static void
setup_bench_hooks (LadleWindow *self)
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

      ladle_server_set_port (self->server, (guint) g_ascii_strtoull (port, NULL, 10));
      ladle_server_set_uploads_dir (self->server, uploads);
      if (!ladle_server_start (self->server, &error))
        g_printerr ("ladle-bench: %s\n", error->message);
      ladle_window_set_bench (self, "server");
    }

  if (url != NULL)
    {
      LadleRequest *request = ladle_requests_page_get_request (self->requests_page);
      const char *delay = g_getenv ("LADLE_BENCH_GET_DELAY_MS");

      ladle_request_set_url (request, url);
      ladle_window_set_bench (self, "requests");
      if (delay != NULL)
        g_timeout_add_once ((guint) g_ascii_strtoull (delay, NULL, 10), bench_send_cb, self);
      else
        gtk_widget_activate_action (GTK_WIDGET (self->requests_page), "request.send", NULL);
    }
}

/* Ctrl+T: a new request tab, from any bench. */
static void
new_tab_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LadleWindow *self = LADLE_WINDOW (widget);

  ladle_window_set_bench (self, "requests");
  gtk_widget_activate_action (GTK_WIDGET (self->requests_page), "tabs.new", NULL);
}

/* Ctrl+W: closes the request tab on the Requests bench, the window on the others. */
static void
close_tab_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  LadleWindow *self = LADLE_WINDOW (widget);

  if (g_strcmp0 (ladle_window_get_bench (self), "requests") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self->requests_page), "tabs.close", NULL);
  else
    gtk_window_close (GTK_WINDOW (self));
}

/* A request from the server's log opens in a new request tab, aimed at the server. */
static void
open_in_requests_cb (LadleWindow      *self,
                     LadleServerEvent *event)
{
  g_autoptr(LadleRequest) request = ladle_request_new ();
  g_autofree char *base = ladle_server_dup_url (self->server);
  g_autofree char *url = NULL;
  SoupMessageHeaders *headers = ladle_server_event_get_request_headers (event);
  GBytes *body = ladle_server_event_get_request_body (event);
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;

  if (base == NULL)
    base = g_strdup ("http://127.0.0.1:8080/");
  /* base ends with '/', the logged path starts with one. */
  url = g_strconcat (base, ladle_server_event_get_path (event) + 1, NULL);

  ladle_request_set_method (request, ladle_server_event_get_method (event));
  ladle_request_set_url (request, url);

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      g_autoptr(LadleKeyValue) row = NULL;

      /* libsoup sets these itself from the request it sends. */
      if (g_ascii_strcasecmp (name, "Host") == 0 ||
          g_ascii_strcasecmp (name, "Content-Length") == 0 ||
          g_ascii_strcasecmp (name, "Connection") == 0 ||
          g_ascii_strcasecmp (name, "Accept-Encoding") == 0)
        continue;
      row = ladle_key_value_new (name, value);
      g_list_store_append (ladle_request_get_headers (request), row);
    }

  if (g_bytes_get_size (body) > 0 &&
      g_utf8_validate (g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL))
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      const char *type = soup_message_headers_get_content_type (headers, NULL);

      ladle_request_set_body_kind (request, g_strcmp0 (type, "application/json") == 0
                                              ? LADLE_BODY_JSON : LADLE_BODY_TEXT);
      ladle_request_set_body_text (request, text);
      if (type != NULL)
        ladle_request_set_body_content_type (request, soup_message_headers_get_one (headers,
                                                                                    "Content-Type"));
    }

  ladle_window_set_bench (self, "requests");
  ladle_requests_page_open_request (self->requests_page, request);
}

static void
ladle_window_constructed (GObject *object)
{
  LadleWindow *self = LADLE_WINDOW (object);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  G_OBJECT_CLASS (ladle_window_parent_class)->constructed (object);

  if (LADLE_IS_APPLICATION (app))
    self->settings = g_object_ref (ladle_application_get_settings (LADLE_APPLICATION (app)));
  else
    self->settings = g_settings_new (APP_ID);

  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "bench", self->stack, "visible-child-name",
                   G_SETTINGS_BIND_DEFAULT);

  ladle_requests_page_set_settings (self->requests_page, self->settings);
  g_signal_connect_object (self->server_page, "open-in-requests",
                           G_CALLBACK (open_in_requests_cb), self, G_CONNECT_SWAPPED);
  ladle_server_page_set_server (self->server_page, self->server);
  ladle_server_page_set_settings (self->server_page, self->settings);

  setup_bench_hooks (self);
}

static void
ladle_window_dispose (GObject *object)
{
  LadleWindow *self = LADLE_WINDOW (object);

  if (self->server != NULL)
    ladle_server_stop (self->server);

  gtk_widget_dispose_template (GTK_WIDGET (self), LADLE_TYPE_WINDOW);

  g_clear_object (&self->settings);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (ladle_window_parent_class)->dispose (object);
}

static void
ladle_window_class_init (LadleWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = ladle_window_constructed;
  object_class->dispose = ladle_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/ladle/Ladle/ladle-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LadleWindow, requests_page);
  gtk_widget_class_bind_template_child (widget_class, LadleWindow, server_page);
  gtk_widget_class_bind_template_child (widget_class, LadleWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, LadleWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LadleWindow, websocket_page);

  gtk_widget_class_install_action (widget_class, "win.bench", "s", bench_action);
  gtk_widget_class_install_action (widget_class, "win.new-tab", NULL, new_tab_action);
  gtk_widget_class_install_action (widget_class, "win.close-tab", NULL, close_tab_action);

  g_type_ensure (LADLE_TYPE_REQUESTS_PAGE);
  g_type_ensure (LADLE_TYPE_SERVER_PAGE);
  g_type_ensure (LADLE_TYPE_WEBSOCKET_PAGE);
}

static void
ladle_window_init (LadleWindow *self)
{
  self->server = ladle_server_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}

LadleWindow *
ladle_window_new (LadleApplication *application)
{
  return g_object_new (LADLE_TYPE_WINDOW, "application", application, NULL);
}

void
ladle_window_set_bench (LadleWindow *self,
                        const char  *name)
{
  g_return_if_fail (LADLE_IS_WINDOW (self));
  g_return_if_fail (name != NULL);

  if (adw_view_stack_get_child_by_name (self->stack, name) != NULL)
    adw_view_stack_set_visible_child_name (self->stack, name);
}

const char *
ladle_window_get_bench (LadleWindow *self)
{
  g_return_val_if_fail (LADLE_IS_WINDOW (self), NULL);
  return adw_view_stack_get_visible_child_name (self->stack);
}

/* A non-blocking notice at the bottom of the window. */
void
ladle_window_add_toast (LadleWindow *self,
                        const char  *title)
{
  g_return_if_fail (LADLE_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

/**
 * ladle_window_get_server:
 *
 * Returns: (transfer none): the window's embedded server
 */
LadleServer *
ladle_window_get_server (LadleWindow *self)
{
  g_return_val_if_fail (LADLE_IS_WINDOW (self), NULL);
  return self->server;
}

/**
 * ladle_window_get_page:
 * @name: "requests", "server" or "websocket"
 *
 * Returns: (transfer none) (nullable): the bench's page widget
 */
GtkWidget *
ladle_window_get_page (LadleWindow *self,
                       const char  *name)
{
  g_return_val_if_fail (LADLE_IS_WINDOW (self), NULL);
  return adw_view_stack_get_child_by_name (self->stack, name);
}
