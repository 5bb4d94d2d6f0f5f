/* ladle-runner-view.c
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

#include "ladle-runner-view.h"

/* The results of running a file or folder of `.http` requests: one row per request as it runs
 * (status, method, title, HTTP status, time, size) with its assertions under it, and a summary.
 * Activating a request asks for it to be opened ("open-item"). */

struct _LadleRunnerView
{
  AdwWindow        parent_instance;

  /* Template widgets */
  AdwWindowTitle  *window_title;
  GtkButton       *stop_button;
  GtkSpinner      *spinner;
  GtkLabel        *summary_label;
  GtkListBox      *list;

  /* Owned references */
  LadleHttpRunner *runner;
  GCancellable    *cancellable;
  char            *summary;
  gboolean         running;
};

G_DEFINE_FINAL_TYPE (LadleRunnerView, ladle_runner_view, ADW_TYPE_WINDOW)

enum {
  OPEN_ITEM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
status_icon (LadleRunStatus status)
{
  switch (status)
    {
    case LADLE_RUN_PASSED:
      return "emblem-ok-symbolic";
    case LADLE_RUN_FAILED:
      return "window-close-symbolic";
    case LADLE_RUN_ERROR:
      return "dialog-error-symbolic";
    case LADLE_RUN_SKIPPED:
      return "media-skip-forward-symbolic";
    case LADLE_RUN_RUNNING:
      return "media-playback-start-symbolic";
    case LADLE_RUN_PENDING:
    default:
      return "content-loading-symbolic";
    }
}

static const char *
status_text (LadleRunStatus status)
{
  switch (status)
    {
    case LADLE_RUN_PASSED:
      return _("Passed");
    case LADLE_RUN_FAILED:
      return _("Failed");
    case LADLE_RUN_ERROR:
      return _("Error");
    case LADLE_RUN_SKIPPED:
      return _("Skipped");
    case LADLE_RUN_RUNNING:
      return _("Running");
    case LADLE_RUN_PENDING:
    default:
      return _("Waiting");
    }
}

static const char *status_classes[] = { "success", "error", "warning", "dim-label" };

static void
set_status_class (GtkWidget  *widget,
                  const char *class_name)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_classes); i++)
    gtk_widget_remove_css_class (widget, status_classes[i]);
  if (class_name != NULL)
    gtk_widget_add_css_class (widget, class_name);
}

static const char *
status_class (LadleRunStatus status)
{
  switch (status)
    {
    case LADLE_RUN_PASSED:
      return "success";
    case LADLE_RUN_FAILED:
    case LADLE_RUN_ERROR:
      return "error";
    case LADLE_RUN_SKIPPED:
    case LADLE_RUN_PENDING:
      return "dim-label";
    case LADLE_RUN_RUNNING:
    default:
      return NULL;
    }
}

/* Widgets of a row, found by name. */
static GtkWidget *
row_part (GtkWidget  *row,
          const char *name)
{
  return g_object_get_data (G_OBJECT (row), name);
}

static GtkWidget *
make_label (GtkWidget  *row,
            const char *name,
            const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_use_markup (GTK_LABEL (label), FALSE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  g_object_set_data (G_OBJECT (row), name, label);
  return label;
}

static void
update_row (GtkWidget    *row,
            LadleRunItem *item)
{
  LadleRunStatus status = ladle_run_item_get_status (item);
  LadleHttpEntry *entry = ladle_run_item_get_entry (item);
  LadleResponse *response = ladle_run_item_get_response (item);
  const GError *error = ladle_run_item_get_error (item);
  GPtrArray *assertions = ladle_run_item_get_assertions (item);
  GtkWidget *icon = row_part (row, "icon");
  GtkWidget *code = row_part (row, "code");
  GtkWidget *details = row_part (row, "details");
  GtkWidget *checks = row_part (row, "checks");
  GtkWidget *child;
  GString *detail = g_string_new (NULL);

  gtk_image_set_from_icon_name (GTK_IMAGE (icon), status_icon (status));
  gtk_widget_set_tooltip_text (icon, status_text (status));
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  status_text (status), -1);
  set_status_class (icon, status_class (status));
  gtk_label_set_text (GTK_LABEL (row_part (row, "method")),
                      entry != NULL && entry->method != NULL ? entry->method : "");
  gtk_label_set_text (GTK_LABEL (row_part (row, "title")), ladle_run_item_get_title (item));
  gtk_widget_set_tooltip_text (row_part (row, "title"), ladle_run_item_get_location (item));

  if (response != NULL)
    {
      guint status_code = ladle_response_get_status (response);
      g_autofree char *text = g_strdup_printf ("%u", status_code);
      static const char *classes[] = { "success", "redirect", "client-error", "server-error" };

      gtk_label_set_text (GTK_LABEL (code), text);
      for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
        gtk_widget_remove_css_class (code, classes[i]);
      if (status_code >= 200 && status_code < 600)
        gtk_widget_add_css_class (code, classes[status_code / 100 - 2]);
      gtk_widget_set_visible (code, TRUE);
    }
  else
    gtk_widget_set_visible (code, FALSE);

  if (ladle_run_item_get_duration (item) > 0)
    /* Translators: how long a request took, in milliseconds */
    g_string_append_printf (detail, _("%.0f ms"), ladle_run_item_get_duration (item) / 1000.0);
  if (response != NULL)
    {
      g_autofree char *size = g_format_size (ladle_response_get_body_size (response));

      if (detail->len > 0)
        g_string_append (detail, " · ");
      g_string_append (detail, size);
    }
  gtk_label_set_text (GTK_LABEL (details), detail->str);
  g_string_free (detail, TRUE);

  /* The error (or why it was skipped), then one line per assertion. */
  while ((child = gtk_widget_get_first_child (checks)) != NULL)
    gtk_box_remove (GTK_BOX (checks), child);
  if (error != NULL)
    {
      GtkWidget *label = gtk_label_new (error->message);

      gtk_label_set_use_markup (GTK_LABEL (label), FALSE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_widget_add_css_class (label, status == LADLE_RUN_SKIPPED ? "dim-label" : "error");
      gtk_box_append (GTK_BOX (checks), label);
    }
  for (guint i = 0; assertions != NULL && i < assertions->len; i++)
    {
      const LadleHttpAssertResult *result = g_ptr_array_index (assertions, i);
      GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *mark = gtk_image_new ();
      GtkWidget *label = gtk_label_new (NULL);
      g_autofree char *text = NULL;
      const char *name;
      const char *css;

      switch (result->verdict)
        {
        case LADLE_HTTP_VERDICT_PASSED:
          name = "emblem-ok-symbolic";
          css = "success";
          break;
        case LADLE_HTTP_VERDICT_FAILED:
          name = "window-close-symbolic";
          css = "error";
          break;
        case LADLE_HTTP_VERDICT_ERROR:
          name = "dialog-error-symbolic";
          css = "error";
          break;
        case LADLE_HTTP_VERDICT_NOT_RUN:
        default:
          name = "media-skip-forward-symbolic";
          css = "dim-label";
          break;
        }
      gtk_image_set_from_icon_name (GTK_IMAGE (mark), name);
      gtk_widget_add_css_class (mark, css);
      if (result->message != NULL)
        text = g_strdup_printf ("%s — %s", result->text, result->message);
      else
        text = g_strdup (result->text);
      gtk_label_set_text (GTK_LABEL (label), text);
      gtk_label_set_use_markup (GTK_LABEL (label), FALSE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_add_css_class (label, "caption");
      gtk_box_append (GTK_BOX (line), mark);
      gtk_box_append (GTK_BOX (line), label);
      gtk_box_append (GTK_BOX (checks), line);
    }
  gtk_widget_set_visible (checks, gtk_widget_get_first_child (checks) != NULL);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row),
                                    status == LADLE_RUN_FAILED || status == LADLE_RUN_ERROR ||
                                    status == LADLE_RUN_PASSED);
}

static void
on_item_notify (LadleRunItem *item,
                GParamSpec   *pspec,
                GtkWidget    *row)
{
  update_row (row, item);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *method;
  GtkWidget *title;
  GtkWidget *code;
  GtkWidget *details;
  GtkWidget *checks = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);

  g_object_set_data (G_OBJECT (row), "icon", icon);
  method = make_label (row, "method", "caption-heading");
  title = make_label (row, "title", NULL);
  code = make_label (row, "code", "status-badge");
  details = make_label (row, "details", "dim-label");
  g_object_set_data (G_OBJECT (row), "checks", checks);
  gtk_widget_add_css_class (code, "caption");
  gtk_widget_add_css_class (details, "caption");
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_set_margin_start (checks, 30);
  gtk_box_append (GTK_BOX (line), icon);
  gtk_box_append (GTK_BOX (line), method);
  gtk_box_append (GTK_BOX (line), title);
  gtk_box_append (GTK_BOX (line), code);
  gtk_box_append (GTK_BOX (line), details);
  gtk_box_append (GTK_BOX (box), line);
  gtk_box_append (GTK_BOX (box), checks);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "item", g_object_ref (item), g_object_unref);
  g_signal_connect_object (item, "notify", G_CALLBACK (on_item_notify), row, 0);
  update_row (row, item);
  return row;
}

static void
on_row_activated (LadleRunnerView *self,
                  GtkListBoxRow   *row)
{
  LadleRunItem *item = g_object_get_data (G_OBJECT (row), "item");

  if (item != NULL)
    g_signal_emit (self, signals[OPEN_ITEM], 0, item);
}

static void
update_summary (LadleRunnerView       *self,
                const LadleRunSummary *summary)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, ngettext ("%u request", "%u requests",
                                             summary->total), summary->total);
  g_string_append (text, ": ");
  g_string_append_printf (text, ngettext ("%u passed", "%u passed",
                                             summary->passed), summary->passed);
  g_string_append (text, ", ");
  g_string_append_printf (text, ngettext ("%u failed", "%u failed",
                                             summary->failed), summary->failed);
  if (summary->errors > 0)
    {
      g_string_append (text, ", ");
      g_string_append_printf (text, ngettext ("%u error", "%u errors",
                                                 summary->errors), summary->errors);
    }
  if (summary->skipped > 0)
    {
      g_string_append (text, ", ");
      g_string_append_printf (text, ngettext ("%u skipped", "%u skipped",
                                                 summary->skipped), summary->skipped);
    }
  if (summary->assertions_passed + summary->assertions_failed > 0)
    {
      g_string_append (text, "; ");
      g_string_append_printf (text, ngettext ("%u of %u assertion passed",
                                                 "%u of %u assertions passed",
                                                 summary->assertions_passed +
                                                 summary->assertions_failed),
                              summary->assertions_passed,
                              summary->assertions_passed + summary->assertions_failed);
    }
  if (summary->not_run > 0)
    {
      g_string_append (text, "; ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                 "%u script not run", "%u scripts not run",
                                                 summary->not_run), summary->not_run);
    }
  if (summary->duration > 0)
    {
      g_string_append (text, " · ");
      g_string_append_printf (text, _("%.0f ms"), summary->duration / 1000.0);
    }
  g_free (self->summary);
  self->summary = g_string_free (text, FALSE);
  gtk_label_set_text (self->summary_label, self->summary);
}

/* While running: the counts so far. */
static void
on_item_finished (LadleRunnerView *self,
                  LadleRunItem    *item)
{
  GListModel *items = ladle_http_runner_get_items (self->runner);
  LadleRunSummary summary = { 0, };

  summary.total = g_list_model_get_n_items (items);
  for (guint i = 0; i < summary.total; i++)
    {
      g_autoptr(LadleRunItem) each = g_list_model_get_item (items, i);

      switch (ladle_run_item_get_status (each))
        {
        case LADLE_RUN_PASSED:
          summary.passed++;
          break;
        case LADLE_RUN_FAILED:
          summary.failed++;
          break;
        case LADLE_RUN_ERROR:
          summary.errors++;
          break;
        case LADLE_RUN_SKIPPED:
          summary.skipped++;
          break;
        case LADLE_RUN_PENDING:
        case LADLE_RUN_RUNNING:
        default:
          break;
        }
    }
  update_summary (self, &summary);
}

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(LadleRunnerView) self = user_data;
  g_autoptr(GError) error = NULL;
  LadleRunSummary summary = { 0, };

  if (!ladle_http_runner_run_finish (LADLE_HTTP_RUNNER (source), result, &summary, &error))
    {
      if (gtk_widget_in_destruction (GTK_WIDGET (self)))
        return;
      g_free (self->summary);
      self->summary = g_strdup (error->message);
      gtk_label_set_text (self->summary_label, error->message);
    }
  else if (!gtk_widget_in_destruction (GTK_WIDGET (self)))
    update_summary (self, &summary);
  self->running = FALSE;
  if (self->spinner != NULL)
    {
      gtk_spinner_stop (self->spinner);
      gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->stop_button), FALSE);
    }
}

static void
ladle_runner_view_dispose (GObject *object)
{
  LadleRunnerView *self = LADLE_RUNNER_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->runner != NULL)
    g_signal_handlers_disconnect_by_data (self->runner, self);
  gtk_widget_dispose_template (GTK_WIDGET (object), LADLE_TYPE_RUNNER_VIEW);
  g_clear_object (&self->runner);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->summary, g_free);

  G_OBJECT_CLASS (ladle_runner_view_parent_class)->dispose (object);
}

static void
ladle_runner_view_class_init (LadleRunnerViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ladle_runner_view_dispose;

  signals[OPEN_ITEM] = g_signal_new ("open-item", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                     NULL, NULL, NULL, G_TYPE_NONE, 1, LADLE_TYPE_RUN_ITEM);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ladle/Ladle/ladle-runner-view.ui");
  gtk_widget_class_bind_template_child (widget_class, LadleRunnerView, window_title);
  gtk_widget_class_bind_template_child (widget_class, LadleRunnerView, stop_button);
  gtk_widget_class_bind_template_child (widget_class, LadleRunnerView, spinner);
  gtk_widget_class_bind_template_child (widget_class, LadleRunnerView, summary_label);
  gtk_widget_class_bind_template_child (widget_class, LadleRunnerView, list);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, ladle_runner_view_cancel);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ladle_runner_view_init (LadleRunnerView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

LadleRunnerView *
ladle_runner_view_new (GtkWindow       *parent,
                       LadleHttpRunner *runner,
                       const char      *title)
{
  LadleRunnerView *self;

  g_return_val_if_fail (LADLE_IS_HTTP_RUNNER (runner), NULL);

  self = g_object_new (LADLE_TYPE_RUNNER_VIEW, "transient-for", parent, NULL);
  self->runner = g_object_ref (runner);
  adw_window_title_set_subtitle (self->window_title, title);
  gtk_list_box_bind_model (self->list, ladle_http_runner_get_items (runner), create_row, self,
                           NULL);
  g_signal_connect_object (runner, "item-finished", G_CALLBACK (on_item_finished), self,
                           G_CONNECT_SWAPPED);
  on_item_finished (self, NULL);
  self->running = TRUE;
  gtk_spinner_start (self->spinner);
  ladle_http_runner_run_async (runner, self->cancellable, run_cb, g_object_ref (self));
  return self;
}

LadleHttpRunner *
ladle_runner_view_get_runner (LadleRunnerView *self)
{
  g_return_val_if_fail (LADLE_IS_RUNNER_VIEW (self), NULL);
  return self->runner;
}

gboolean
ladle_runner_view_get_running (LadleRunnerView *self)
{
  g_return_val_if_fail (LADLE_IS_RUNNER_VIEW (self), FALSE);
  return self->running;
}

const char *
ladle_runner_view_get_summary (LadleRunnerView *self)
{
  g_return_val_if_fail (LADLE_IS_RUNNER_VIEW (self), NULL);
  return self->summary;
}

void
ladle_runner_view_cancel (LadleRunnerView *self)
{
  g_return_if_fail (LADLE_IS_RUNNER_VIEW (self));
  g_cancellable_cancel (self->cancellable);
}
