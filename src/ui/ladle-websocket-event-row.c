/* ladle-websocket-event-row.c
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

#include "ladle-websocket-event-row.h"
#include "ladle-websocket-format.h"

/* One line of the WebSocket transcript: direction, kind, a one-line preview, size and time.
 * Rows are recycled by the list view, so everything is (re)set in set_event().
 *
 * The row lays its children out itself so that, when narrow, it drops the size column rather
 * than squeeze the preview (the size is also in the selected message's title). */

#define SPACING          8
#define MIN_PREVIEW_SIZE 200   /* px the preview keeps before the size column is shown */

struct _LadleWebsocketEventRow
{
  GtkWidget            parent_instance;

  /* Template widgets */
  GtkImage            *direction_image;
  GtkLabel            *kind_label;
  GtkLabel            *preview_label;
  GtkLabel            *size_label;
  GtkLabel            *time_label;

  /* Owned references */
  LadleWebsocketEvent *event;
};

G_DEFINE_FINAL_TYPE (LadleWebsocketEventRow, ladle_websocket_event_row, GTK_TYPE_WIDGET)

static void
ladle_websocket_event_row_measure (GtkWidget      *widget,
                                   GtkOrientation  orientation,
                                   int             for_size,
                                   int            *minimum,
                                   int            *natural,
                                   int            *minimum_baseline,
                                   int            *natural_baseline)
{
  LadleWebsocketEventRow *self = LADLE_WEBSOCKET_EVENT_ROW (widget);
  GtkWidget *optional = GTK_WIDGET (self->size_label);
  int n_children = 0;

  *minimum = *natural = 0;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_min, child_nat;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, orientation, -1, &child_min, &child_nat, NULL, NULL);
      if (orientation == GTK_ORIENTATION_HORIZONTAL)
        {
          n_children++;
          /* The size column is optional: it never adds to the minimum. */
          if (child != optional)
            *minimum += child_min + (n_children > 1 ? SPACING : 0);
          *natural += child_nat + (n_children > 1 ? SPACING : 0);
        }
      else
        {
          *minimum = MAX (*minimum, child_min);
          *natural = MAX (*natural, child_nat);
        }
    }
}

static void
allocate_child (GtkWidget *child,
                int       *x,
                int        width,
                int        height)
{
  gtk_widget_size_allocate (child, &(GtkAllocation) { *x, 0, width, height }, -1);
  *x += width + SPACING;
}

static int
natural_width (GtkWidget *child)
{
  int natural;

  gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  return natural;
}

static void
ladle_websocket_event_row_size_allocate (GtkWidget *widget,
                                         int        width,
                                         int        height,
                                         int        baseline)
{
  LadleWebsocketEventRow *self = LADLE_WEBSOCKET_EVENT_ROW (widget);
  int icon = natural_width (GTK_WIDGET (self->direction_image));
  int kind = natural_width (GTK_WIDGET (self->kind_label));
  int size = natural_width (GTK_WIDGET (self->size_label));
  int time = natural_width (GTK_WIDGET (self->time_label));
  int preview = width - icon - kind - time - 3 * SPACING;
  gboolean show_size = size > 0 && preview - size - SPACING >= MIN_PREVIEW_SIZE;
  int x = 0;

  if (show_size)
    preview -= size + SPACING;
  preview = MAX (preview, 0);

  /* As AdwSqueezer does: hide what does not fit instead of asking for more room. */
  gtk_widget_set_child_visible (GTK_WIDGET (self->size_label), show_size);

  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    {
      /* Mirror: lay out from the right edge. */
      int xr = width;

      xr -= icon;
      gtk_widget_size_allocate (GTK_WIDGET (self->direction_image),
                                &(GtkAllocation) { xr, 0, icon, height }, -1);
      xr -= kind + SPACING;
      gtk_widget_size_allocate (GTK_WIDGET (self->kind_label),
                                &(GtkAllocation) { xr, 0, kind, height }, -1);
      xr -= preview + SPACING;
      gtk_widget_size_allocate (GTK_WIDGET (self->preview_label),
                                &(GtkAllocation) { xr, 0, preview, height }, -1);
      if (show_size)
        {
          xr -= size + SPACING;
          gtk_widget_size_allocate (GTK_WIDGET (self->size_label),
                                    &(GtkAllocation) { xr, 0, size, height }, -1);
        }
      gtk_widget_size_allocate (GTK_WIDGET (self->time_label),
                                &(GtkAllocation) { 0, 0, time, height }, -1);
      return;
    }

  allocate_child (GTK_WIDGET (self->direction_image), &x, icon, height);
  allocate_child (GTK_WIDGET (self->kind_label), &x, kind, height);
  allocate_child (GTK_WIDGET (self->preview_label), &x, preview, height);
  if (show_size)
    allocate_child (GTK_WIDGET (self->size_label), &x, size, height);
  gtk_widget_size_allocate (GTK_WIDGET (self->time_label),
                            &(GtkAllocation) { width - time, 0, time, height }, -1);
}

static void
ladle_websocket_event_row_dispose (GObject *object)
{
  LadleWebsocketEventRow *self = LADLE_WEBSOCKET_EVENT_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), LADLE_TYPE_WEBSOCKET_EVENT_ROW);
  g_clear_object (&self->event);

  G_OBJECT_CLASS (ladle_websocket_event_row_parent_class)->dispose (object);
}

static void
ladle_websocket_event_row_class_init (LadleWebsocketEventRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ladle_websocket_event_row_dispose;

  widget_class->measure = ladle_websocket_event_row_measure;
  widget_class->size_allocate = ladle_websocket_event_row_size_allocate;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/ladle/Ladle/ladle-websocket-event-row.ui");
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketEventRow, direction_image);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketEventRow, kind_label);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketEventRow, preview_label);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketEventRow, size_label);
  gtk_widget_class_bind_template_child (widget_class, LadleWebsocketEventRow, time_label);

  gtk_widget_class_set_css_name (widget_class, "websocket-event");
}

static void
ladle_websocket_event_row_init (LadleWebsocketEventRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ladle_websocket_event_row_new (void)
{
  return g_object_new (LADLE_TYPE_WEBSOCKET_EVENT_ROW, NULL);
}

/**
 * ladle_websocket_event_row_get_event:
 *
 * Returns: (transfer none) (nullable): the event shown
 */
LadleWebsocketEvent *
ladle_websocket_event_row_get_event (LadleWebsocketEventRow *self)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_EVENT_ROW (self), NULL);

  return self->event;
}

void
ladle_websocket_event_row_set_event (LadleWebsocketEventRow *self,
                                     LadleWebsocketEvent    *event)
{
  g_autofree char *preview = NULL;
  g_autofree char *size = NULL;
  g_autofree char *time = NULL;
  LadleWebsocketEventKind kind;
  const char *icon_name;
  const char *tooltip;
  gboolean is_error;

  g_return_if_fail (LADLE_IS_WEBSOCKET_EVENT_ROW (self));
  g_return_if_fail (event == NULL || LADLE_IS_WEBSOCKET_EVENT (event));

  if (!g_set_object (&self->event, event) || event == NULL)
    return;

  kind = ladle_websocket_event_get_kind (event);
  is_error = kind == LADLE_WEBSOCKET_EVENT_ERROR;

  switch (ladle_websocket_event_get_direction (event))
    {
    case LADLE_WEBSOCKET_DIRECTION_IN:
      icon_name = "go-down-symbolic";
      tooltip = _("Received");
      break;
    case LADLE_WEBSOCKET_DIRECTION_OUT:
      icon_name = "go-up-symbolic";
      tooltip = _("Sent");
      break;
    case LADLE_WEBSOCKET_DIRECTION_NONE:
    default:
      icon_name = is_error ? "dialog-error-symbolic" : "media-record-symbolic";
      tooltip = NULL;
      break;
    }
  gtk_image_set_from_icon_name (self->direction_image, icon_name);
  gtk_widget_set_css_classes (GTK_WIDGET (self->direction_image),
                              (const char *[]) {
                                ladle_websocket_event_get_direction (event) ==
                                  LADLE_WEBSOCKET_DIRECTION_IN ? "incoming" :
                                ladle_websocket_event_get_direction (event) ==
                                  LADLE_WEBSOCKET_DIRECTION_OUT ? "outgoing" : "dim-label",
                                NULL });
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->direction_image), tooltip);

  preview = ladle_websocket_format_preview (event);
  gtk_label_set_text (self->kind_label, ladle_websocket_format_kind (kind));
  gtk_label_set_text (self->preview_label, preview);

  /* Only messages have a size worth reading; control events show it when they carry a payload. */
  if (ladle_websocket_event_get_size (event) > 0 ||
      kind == LADLE_WEBSOCKET_EVENT_TEXT || kind == LADLE_WEBSOCKET_EVENT_BINARY)
    size = ladle_websocket_format_size (ladle_websocket_event_get_size (event));
  gtk_label_set_text (self->size_label, size != NULL ? size : "");

  time = ladle_websocket_format_time (ladle_websocket_event_get_timestamp (event));
  gtk_label_set_text (self->time_label, time);

  if (is_error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->preview_label), preview);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->preview_label), NULL);
    }

  if (kind == LADLE_WEBSOCKET_EVENT_TEXT || kind == LADLE_WEBSOCKET_EVENT_BINARY)
    gtk_widget_remove_css_class (GTK_WIDGET (self), "control");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self), "control");
}
