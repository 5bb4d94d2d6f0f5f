/* ladle-timing-view.c
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

#include "ladle-timing-view.h"

/* The waterfall of one fetch: a row per step (prepare, DNS, connect, TLS, wait, download) with a
 * bar placed on a common time axis and its duration in ms, then the total. Every stretch of the
 * total has a name: what comes before the first network step (queueing, building the message;
 * "Prepare", as Postman calls it) is a step too. Drawn with GtkSnapshot so it follows the theme's
 * colours. */

#define ROW_HEIGHT   30
#define BAR_HEIGHT   14
#define LABEL_WIDTH  96
#define VALUE_WIDTH  84
#define N_STEPS      (LADLE_TIMING_VIEW_N_ROWS - 1)
#define STEP_PREPARE 0

struct _LadleTimingView
{
  GtkWidget    parent_instance;

  LadleTiming  timing;
  gboolean     has_timing;
};

G_DEFINE_FINAL_TYPE (LadleTimingView, ladle_timing_view, GTK_TYPE_WIDGET)

static const char *step_labels[N_STEPS + 1] = {
  /* Translators: the time before the request goes out (a step of the timing waterfall) */
  N_("Prepare"), N_("DNS"), N_("Connect"), N_("TLS"), N_("Wait"), N_("Download"), N_("Total"),
};

/* GNOME palette: grey, blue, green, purple, orange, teal. */
static const char *step_colors[N_STEPS] = {
  "#9a9996", "#3584e4", "#33d17a", "#9141ac", "#ff7800", "#2190a4",
};

/* Where the first step after preparing starts (0 when none is known) */
static gint64
first_step_start (const LadleTiming *t)
{
  const gint64 starts[] = { t->dns_start, t->dns_end, t->connect_start, t->tls_start,
                            t->request_start, t->response_start };

  for (guint i = 0; i < G_N_ELEMENTS (starts); i++)
    if (starts[i] != 0)
      return starts[i];
  return 0;
}

static void
get_step (const LadleTiming *t,
          guint              index,
          gint64            *start,
          gint64            *end)
{
  switch (index)
    {
    case STEP_PREPARE:
      *start = 0;
      *end = first_step_start (t);
      break;
    case 1:
      *start = t->dns_start;
      *end = t->dns_end;
      break;
    case 2:
      *start = t->connect_start;
      *end = t->tls_start ? t->tls_start : t->connect_end;
      break;
    case 3:
      *start = t->tls_start;
      *end = t->tls_start ? t->connect_end : 0;
      break;
    case 4:
      *start = t->request_start;
      *end = t->response_start;
      break;
    case 5:
      *start = t->response_start;
      *end = t->response_end;
      break;
    default:
      *start = 0;
      *end = t->response_end;
      break;
    }
}

/* Preparing and the total always take some time; another step that did not happen is "–" */
static char *
format_duration (guint  index,
                 gint64 start,
                 gint64 end)
{
  if (start == 0 && end == 0 && index != STEP_PREPARE && index != N_STEPS)
    return g_strdup ("–");
  /* Translators: a duration in milliseconds */
  return g_strdup_printf (_("%.1f ms"), MAX (end - start, 0) / 1000.0);
}

char *
ladle_timing_view_dup_row (LadleTimingView *self,
                           guint            index)
{
  g_autofree char *value = NULL;
  gint64 start, end;

  g_return_val_if_fail (LADLE_IS_TIMING_VIEW (self), NULL);
  g_return_val_if_fail (index <= N_STEPS, NULL);

  if (!self->has_timing)
    return NULL;
  get_step (&self->timing, index, &start, &end);
  value = format_duration (index, index == N_STEPS ? 0 : start, end);
  return g_strdup_printf ("%s %s", _(step_labels[index]), value);
}

static void
append_text (GtkWidget     *widget,
             GtkSnapshot   *snapshot,
             const char    *text,
             float          x,
             float          y,
             int            width,
             gboolean       right,
             const GdkRGBA *color)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  int text_width, text_height;

  pango_layout_set_width (layout, width * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (layout, right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
  pango_layout_get_pixel_size (layout, &text_width, &text_height);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y + (ROW_HEIGHT - text_height) / 2.0f));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
  g_object_unref (layout);
}

static void
ladle_timing_view_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  LadleTimingView *self = LADLE_TIMING_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  float bar_x = LABEL_WIDTH;
  float bar_width = MAX (width - LABEL_WIDTH - VALUE_WIDTH, 20);
  double total;
  GdkRGBA fg, dim;

  if (!self->has_timing)
    return;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  dim = fg;
  dim.alpha *= 0.12f;
  total = MAX (self->timing.response_end, 1);

  for (guint i = 0; i <= N_STEPS; i++)
    {
      g_autofree char *value = NULL;
      float y = i * ROW_HEIGHT;
      gint64 start, end;
      GdkRGBA color;

      get_step (&self->timing, i, &start, &end);
      if (i == N_STEPS)
        start = 0;

      append_text (widget, snapshot, _(step_labels[i]), 0, y, LABEL_WIDTH - 8, FALSE, &fg);

      /* The track, then the bar (at least 2 px so short steps stay visible). */
      gtk_snapshot_append_color (snapshot, &dim,
                                 &GRAPHENE_RECT_INIT (bar_x, y + (ROW_HEIGHT - BAR_HEIGHT) / 2.0f,
                                                      bar_width, BAR_HEIGHT));
      if (start != 0 || end != 0)
        {
          float x0 = bar_x + bar_width * (start / total);
          float w = MAX (bar_width * (MAX (end - start, 0) / total), 2);

          if (i == N_STEPS)
            color = fg, color.alpha *= 0.55f;
          else
            gdk_rgba_parse (&color, step_colors[i]);
          gtk_snapshot_append_color (snapshot, &color,
                                     &GRAPHENE_RECT_INIT (x0, y + (ROW_HEIGHT - BAR_HEIGHT) / 2.0f,
                                                          MIN (w, bar_x + bar_width - x0),
                                                          BAR_HEIGHT));
        }

      value = format_duration (i, start, end);
      append_text (widget, snapshot, value, bar_x + bar_width + 8, y, VALUE_WIDTH - 8, TRUE, &fg);
    }
}

static void
ladle_timing_view_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = LABEL_WIDTH + VALUE_WIDTH + 40;
      *natural = LABEL_WIDTH + VALUE_WIDTH + 400;
    }
  else
    {
      *minimum = *natural = (N_STEPS + 1) * ROW_HEIGHT;
    }
}

static void
ladle_timing_view_class_init (LadleTimingViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->snapshot = ladle_timing_view_snapshot;
  widget_class->measure = ladle_timing_view_measure;

  gtk_widget_class_set_css_name (widget_class, "timingview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ladle_timing_view_init (LadleTimingView *self)
{
}

GtkWidget *
ladle_timing_view_new (void)
{
  return g_object_new (LADLE_TYPE_TIMING_VIEW, NULL);
}

void
ladle_timing_view_set_timing (LadleTimingView   *self,
                              const LadleTiming *timing)
{
  g_return_if_fail (LADLE_IS_TIMING_VIEW (self));

  self->has_timing = timing != NULL;
  if (timing != NULL)
    self->timing = *timing;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
