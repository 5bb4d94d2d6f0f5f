/* ladle-route-editor.c
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

#include "ladle-route-editor.h"

#include <string.h>

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

/* A modal window that edits one mock route: a copy, so that Cancel leaves the route alone. Each
 * change is checked at once with ladle_mock_route_validate(), field by field in the order the
 * core checks them, so that the message is shown under the group of the field at fault and Save
 * is only possible for a route the server can serve. The body file is checked on disk (and
 * against the folder it is confined to) only when it or the switch that frees it changes, not
 * at each key press. */

struct _LadleRouteEditor
{
  AdwWindow             parent_instance;

  /* Template widgets */
  AdwActionRow         *any_body_file_row;
  GtkSwitch            *any_body_file_switch;
  GtkLabel             *body_error;
  AdwActionRow         *body_file_row;
  GtkScrolledWindow    *body_scroller;
  GtkWidget            *clear_body_file_button;
  GtkSourceView        *body_view;
  AdwEntryRow          *content_type_row;
  GtkSpinButton        *delay_spin;
  GtkSwitch            *cors_switch;
  GtkLabel             *headers_error;
  GtkScrolledWindow    *headers_scroller;
  GtkTextView          *headers_view;
  AdwEntryRow          *method_row;
  AdwEntryRow          *path_row;
  GtkLabel             *request_error;
  GtkLabel             *response_error;
  GtkSpinButton        *status_spin;

  /* Owned references */
  GtkFileChooserNative *chooser;
  GSettings            *settings;
  char                 *body_file;
  char                 *body_folder;       /* where body files must be, unless the switch is on */
  GError               *body_file_error;  /* what is wrong with body_file on disk, or NULL */
};

G_DEFINE_FINAL_TYPE (LadleRouteEditor, ladle_route_editor, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
dup_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* Returns (transfer full): the non-empty lines of the headers view, stripped; the 1-based line
 * number of each is in @out_lines. */
static GStrv
dup_header_lines (LadleRouteEditor  *self,
                  GArray           **out_lines)
{
  g_autofree char *text = dup_text (self->headers_view);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GArray) numbers = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      guint number = i + 1;

      if (line[0] == '\0')
        continue;
      g_strv_builder_add (builder, line);
      g_array_append_val (numbers, number);
    }

  if (out_lines != NULL)
    *out_lines = g_steal_pointer (&numbers);
  return g_strv_builder_end (builder);
}

static void
show_field_error (GtkWidget    *row,
                  GtkLabel     *label,
                  const GError *error)
{
  if (row != NULL)
    {
      if (error != NULL)
        gtk_widget_add_css_class (row, "error");
      else
        gtk_widget_remove_css_class (row, "error");
    }

  if (error != NULL)
    {
      /* The core's messages start in lower case, to be embedded; here they stand alone. */
      g_autofree char *first = g_utf8_strup (error->message,
                                             g_utf8_next_char (error->message) - error->message);
      g_autofree char *text = g_strconcat (first, g_utf8_next_char (error->message), NULL);

      gtk_label_set_text (label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (label), error != NULL);
}

/* The folder body files are confined to as the switch says: NULL for anywhere. */
static const char *
get_effective_body_folder (LadleRouteEditor *self)
{
  return gtk_switch_get_active (self->any_body_file_switch) ? NULL : self->body_folder;
}

static void
set_body (LadleRouteEditor *self,
          LadleMockRoute   *route)
{
  if (self->body_file != NULL)
    {
      ladle_mock_route_set_body_file (route, self->body_file);
      ladle_mock_route_set_body_folder (route, get_effective_body_folder (self));
    }
  else
    {
      g_autofree char *body = dup_text (GTK_TEXT_VIEW (self->body_view));

      ladle_mock_route_set_body (route, body[0] != '\0' ? body : NULL);
    }
}

/* Sets the status, content type and body of @route, checking them in that order once the request
 * and the headers are right (@check), and shows the first problem under the Response group:
 * the status alone, the content type, then the body against the status (a 204 has none).
 * Returns FALSE with @error set if something is wrong. */
static gboolean
build_response (LadleRouteEditor  *self,
                LadleMockRoute    *route,
                gboolean           check,
                GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *content_type =
    g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->content_type_row))));
  int status = gtk_spin_button_get_value_as_int (self->status_spin);
  GtkWidget *at_fault = GTK_WIDGET (self->status_spin);

  gtk_widget_remove_css_class (GTK_WIDGET (self->status_spin), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->content_type_row), "error");

  if (ladle_mock_route_check_status (status, &local_error))
    {
      ladle_mock_route_set_status (route, status);
      ladle_mock_route_set_content_type (route, content_type);
      if (check && !ladle_mock_route_validate (route, &local_error))
        {
          at_fault = GTK_WIDGET (self->content_type_row);
        }
      else
        {
          set_body (self, route);
          if (check)
            ladle_mock_route_validate (route, &local_error);
        }
    }

  show_field_error (at_fault, self->response_error, local_error);
  if (local_error == NULL)
    return TRUE;

  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* Builds the route from the fields, checking each field as the core would, and shows what is
 * wrong. Returns (transfer full) (nullable): the route, or NULL with @error set. */
static LadleMockRoute *
build_route (LadleRouteEditor  *self,
             GError           **error)
{
  g_autoptr(LadleMockRoute) route = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GArray) line_numbers = NULL;
  g_auto(GStrv) headers = NULL;
  const char *method = gtk_editable_get_text (GTK_EDITABLE (self->method_row));
  const char *path = gtk_editable_get_text (GTK_EDITABLE (self->path_row));
  gboolean request_ok = TRUE;
  gboolean headers_ok = TRUE;
  gboolean response_ok;
  gboolean body_ok;

  g_assert (LADLE_IS_ROUTE_EDITOR (self));

  /* The method alone first (with the default path), then the path: each error is that field's. */
  {
    g_autofree char *stripped = g_strstrip (g_strdup (method));

    route = ladle_mock_route_new (stripped, NULL);
  }
  if (!ladle_mock_route_validate (route, &local_error))
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->path_row), "error");
      show_field_error (GTK_WIDGET (self->method_row), self->request_error, local_error);
      request_ok = FALSE;
    }
  else
    {
      show_field_error (GTK_WIDGET (self->method_row), self->request_error, NULL);
      ladle_mock_route_set_path (route, path);
      if (!ladle_mock_route_validate (route, &local_error))
        {
          show_field_error (GTK_WIDGET (self->path_row), self->request_error, local_error);
          request_ok = FALSE;
        }
      else
        show_field_error (GTK_WIDGET (self->path_row), self->request_error, NULL);
    }

  /* Headers one line at a time, so that the message can name the line. */
  headers = dup_header_lines (self, &line_numbers);
  if (request_ok)
    {
      for (guint i = 0; headers[i] != NULL && headers_ok; i++)
        {
          const char *one[] = { headers[i], NULL };
          g_autoptr(GError) header_error = NULL;

          ladle_mock_route_set_headers (route, one);
          if (!ladle_mock_route_validate (route, &header_error))
            {
              g_autoptr(GError) lined = NULL;

              /* Translators: "Line 2: header “x” must look like “Name: value”" */
              lined = g_error_new (header_error->domain, header_error->code, _("Line %u: %s"),
                                   g_array_index (line_numbers, guint, i), header_error->message);
              show_field_error (GTK_WIDGET (self->headers_scroller), self->headers_error, lined);
              if (local_error == NULL)
                local_error = g_steal_pointer (&lined);
              headers_ok = FALSE;
            }
        }
      if (headers_ok)
        {
          show_field_error (GTK_WIDGET (self->headers_scroller), self->headers_error, NULL);
          ladle_mock_route_set_headers (route, (const char * const *) headers);
        }
    }

  ladle_mock_route_set_delay (route, CLAMP (gtk_spin_button_get_value (self->delay_spin), 0, 60));
  ladle_mock_route_set_cors (route, gtk_switch_get_active (self->cors_switch));
  response_ok = build_response (self, route, request_ok && headers_ok,
                                local_error == NULL ? &local_error : NULL);

  /* The body file's own check, made when it changed. */
  show_field_error (GTK_WIDGET (self->body_file_row), self->body_error, self->body_file_error);
  body_ok = self->body_file_error == NULL;
  if (!body_ok && local_error == NULL)
    local_error = g_error_copy (self->body_file_error);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save",
                                 request_ok && headers_ok && response_ok && body_ok);

  if (!request_ok || !headers_ok || !response_ok || !body_ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return g_steal_pointer (&route);
}

static void
update_language (LadleRouteEditor *self)
{
  GtkTextBuffer *text_buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->body_view));
  GtkSourceBuffer *buffer = GTK_SOURCE_BUFFER (text_buffer);
  const char *content_type = gtk_editable_get_text (GTK_EDITABLE (self->content_type_row));
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();
  GtkSourceLanguage *language = NULL;

  if (content_type[0] != '\0')
    {
      g_autofree char *mime = g_strstrip (g_strndup (content_type, strcspn (content_type, ";")));

      if (g_str_has_suffix (mime, "json") || g_str_has_suffix (mime, "+json"))
        language = gtk_source_language_manager_get_language (languages, "json");
      else
        language = gtk_source_language_manager_guess_language (languages, NULL, mime);
    }
  else
    {
      g_autofree char *body = dup_text (GTK_TEXT_VIEW (self->body_view));
      const char *p = body;

      /* The server sends JSON when no type is set and the body parses as JSON. */
      while (g_ascii_isspace (*p))
        p++;
      if (*p == '{' || *p == '[')
        language = gtk_source_language_manager_get_language (languages, "json");
    }

  if (gtk_source_buffer_get_language (buffer) != language)
    gtk_source_buffer_set_language (buffer, language);
}

static void
field_changed_cb (LadleRouteEditor *self)
{
  g_autoptr(LadleMockRoute) route = NULL;

  g_assert (LADLE_IS_ROUTE_EDITOR (self));

  /* Only for what it shows. */
  route = build_route (self, NULL);
  update_language (self);
}

/* Looks at the body file on disk: there, a regular file, inside the folder unless the switch is
 * on. */
static void
recheck_body_file (LadleRouteEditor *self)
{
  g_autoptr(LadleMockRoute) probe = NULL;

  g_clear_error (&self->body_file_error);
  if (self->body_file == NULL)
    return;

  probe = ladle_mock_route_new (NULL, NULL);
  ladle_mock_route_set_body_file (probe, self->body_file);
  ladle_mock_route_set_body_folder (probe, get_effective_body_folder (self));
  ladle_mock_route_check_body_file (probe, &self->body_file_error);
}

static void
update_any_body_file_row (LadleRouteEditor *self)
{
  g_autofree char *subtitle = NULL;

  if (self->body_folder != NULL)
    {
      g_autofree char *display = g_filename_display_name (self->body_folder);

      /* Translators: %s is a folder, such as /home/me/mocks */
      subtitle = g_strdup_printf (_("Otherwise only files in %s, the folder of the routes file, "
                                    "are served"), display);
    }
  else
    subtitle = g_strdup (_("Otherwise only files in the folder of the routes file are served"));
  adw_action_row_set_subtitle (self->any_body_file_row, subtitle);
}

static void
any_body_file_changed_cb (LadleRouteEditor *self)
{
  g_assert (LADLE_IS_ROUTE_EDITOR (self));

  recheck_body_file (self);
  field_changed_cb (self);
}

static void
update_body_file (LadleRouteEditor *self)
{
  gboolean has_file = self->body_file != NULL;

  g_assert (LADLE_IS_ROUTE_EDITOR (self));

  recheck_body_file (self);

  if (has_file)
    {
      g_autofree char *display = g_filename_display_name (self->body_file);

      adw_action_row_set_subtitle (self->body_file_row, display);
    }
  else
    adw_action_row_set_subtitle (self->body_file_row, _("None: the text below is sent"));
  gtk_widget_set_visible (GTK_WIDGET (self->body_scroller), !has_file);
  gtk_widget_set_visible (self->clear_body_file_button, has_file);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.clear-body-file", has_file);
  field_changed_cb (self);
}

static void
update_scheme (LadleRouteEditor *self)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  const char *id = adw_style_manager_get_dark (manager) ? "Adwaita-dark" : "Adwaita";
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->body_view));

  gtk_source_buffer_set_style_scheme (GTK_SOURCE_BUFFER (buffer),
                                      gtk_source_style_scheme_manager_get_scheme (schemes, id));
}

/* ------------------------------------------------------------------------------------------------
 * Actions
 */

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LadleRouteEditor *self = LADLE_ROUTE_EDITOR (widget);
  g_autoptr(LadleMockRoute) route = build_route (self, NULL);

  if (route == NULL)
    return;

  g_signal_emit (self, signals[SAVED], 0, route);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
set_method_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  LadleRouteEditor *self = LADLE_ROUTE_EDITOR (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->method_row), g_variant_get_string (parameter, NULL));
}

static void
chooser_response_cb (LadleRouteEditor     *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_assert (LADLE_IS_ROUTE_EDITOR (self));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        {
          g_free (self->body_file);
          self->body_file = g_steal_pointer (&path);
          update_body_file (self);
        }
    }

  g_clear_object (&self->chooser);
}

static void
choose_body_file_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  LadleRouteEditor *self = LADLE_ROUTE_EDITOR (widget);

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Body File"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Select"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  if (self->body_file != NULL)
    {
      g_autoptr(GFile) current = g_file_new_for_path (self->body_file);

      gtk_file_chooser_set_file (GTK_FILE_CHOOSER (self->chooser), current, NULL);
    }
  else if (self->body_folder != NULL && g_file_test (self->body_folder, G_FILE_TEST_IS_DIR))
    {
      /* Start where body files are served from. */
      g_autoptr(GFile) folder = g_file_new_for_path (self->body_folder);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), folder, NULL);
    }
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
clear_body_file_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  LadleRouteEditor *self = LADLE_ROUTE_EDITOR (widget);

  g_clear_pointer (&self->body_file, g_free);
  update_body_file (self);
}

/* ------------------------------------------------------------------------------------------------
 * GObject
 */

static void
ladle_route_editor_dispose (GObject *object)
{
  LadleRouteEditor *self = LADLE_ROUTE_EDITOR (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->settings != NULL)
    g_settings_unbind (self->any_body_file_switch, "active");
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (object), LADLE_TYPE_ROUTE_EDITOR);

  G_OBJECT_CLASS (ladle_route_editor_parent_class)->dispose (object);
}

static void
ladle_route_editor_finalize (GObject *object)
{
  LadleRouteEditor *self = LADLE_ROUTE_EDITOR (object);

  g_clear_pointer (&self->body_file, g_free);
  g_clear_pointer (&self->body_folder, g_free);
  g_clear_error (&self->body_file_error);

  G_OBJECT_CLASS (ladle_route_editor_parent_class)->finalize (object);
}

static void
ladle_route_editor_class_init (LadleRouteEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ladle_route_editor_dispose;
  object_class->finalize = ladle_route_editor_finalize;

  /**
   * LadleRouteEditor::saved:
   * @route: the edited route, valid (transfer none: copy or ref it)
   *
   * Emitted by Save, just before the editor closes itself.
   */
  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, LADLE_TYPE_MOCK_ROUTE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ladle/Ladle/ladle-route-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, LadleRouteEditor, any_body_file_row);
  gtk_widget_class_bind_template_child (widget_class, LadleRouteEditor, any_body_file_switch);
  gtk_widget_class_bind_template_child (widget_class, LadleRouteEditor, body_error);
  gtk_widget_class_bind_template_child (widget_class, LadleRouteEditor, body_file_row);
  gtk_widget_class_bind_template_child (widget_class, LadleRouteEditor, body_scroller);
  gtk_widget_class_bind_template_child (widget_class, LadleRouteEditor, body_view);
  gtk_widget_class_bind_template_child (widget_class, LadleRouteEditor, clear_body_file_button);
  gtk_widget_class_bind_template_child (widget_class, LadleRouteEditor, content_type_row);
  gtk_widget_class_bind_template_child (widget_class, LadleRouteEditor, delay_spin);
  gtk_widget_class_bind_template_child (widget_class, LadleRouteEditor, cors_switch);
  gtk_widget_class_bind_template_child (widget_class, LadleRouteEditor, headers_error);
  gtk_widget_class_bind_template_child (widget_class, LadleRouteEditor, headers_scroller);
  gtk_widget_class_bind_template_child (widget_class, LadleRouteEditor, headers_view);
  gtk_widget_class_bind_template_child (widget_class, LadleRouteEditor, method_row);
  gtk_widget_class_bind_template_child (widget_class, LadleRouteEditor, path_row);
  gtk_widget_class_bind_template_child (widget_class, LadleRouteEditor, request_error);
  gtk_widget_class_bind_template_child (widget_class, LadleRouteEditor, response_error);
  gtk_widget_class_bind_template_child (widget_class, LadleRouteEditor, status_spin);
  gtk_widget_class_bind_template_callback (widget_class, any_body_file_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);

  gtk_widget_class_install_action (widget_class, "editor.choose-body-file", NULL,
                                   choose_body_file_action);
  gtk_widget_class_install_action (widget_class, "editor.clear-body-file", NULL,
                                   clear_body_file_action);
  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.set-method", "s", set_method_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "editor.save", NULL);

  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
}

/* Ctrl+Enter saves from any field, taken in the capture phase so that the body and headers
 * views do not make a line break of it first; while the route cannot be saved it does nothing. */
static gboolean
save_shortcut_cb (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  gtk_widget_activate_action (widget, "editor.save", NULL);
  return TRUE;
}

static void
add_save_shortcut (LadleRouteEditor *self)
{
  GtkEventController *capture = gtk_shortcut_controller_new ();
  const guint enter_keys[] = { GDK_KEY_Return, GDK_KEY_KP_Enter, GDK_KEY_ISO_Enter };

  gtk_event_controller_set_propagation_phase (capture, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (enter_keys); i++)
    {
      GtkShortcutTrigger *trigger = gtk_keyval_trigger_new (enter_keys[i], GDK_CONTROL_MASK);
      GtkShortcutAction *action = gtk_callback_action_new (save_shortcut_cb, NULL, NULL);

      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (capture),
                                            gtk_shortcut_new (trigger, action));
    }
  gtk_widget_add_controller (GTK_WIDGET (self), capture);
}

static void
ladle_route_editor_init (LadleRouteEditor *self)
{
  GtkTextBuffer *buffer;

  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  gtk_widget_init_template (GTK_WIDGET (self));
  add_save_shortcut (self);

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->body_view));
  g_signal_connect_object (buffer, "changed", G_CALLBACK (field_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->headers_view), "changed",
                           G_CALLBACK (field_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_scheme), self, G_CONNECT_SWAPPED);
  update_scheme (self);
}

/**
 * ladle_route_editor_new:
 * @parent: (nullable): the window to stay above
 * @route: (nullable): the route to edit (left alone: the editor works on a copy), or %NULL for
 *   a new one
 *
 * Returns: (transfer none): a new editor; it destroys itself when closed
 */
LadleRouteEditor *
ladle_route_editor_new (GtkWindow      *parent,
                        LadleMockRoute *route)
{
  LadleRouteEditor *self;
  g_autoptr(LadleMockRoute) fresh = NULL;
  g_autofree char *headers = NULL;
  const char *content_type;
  const char *body;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (route == NULL || LADLE_IS_MOCK_ROUTE (route), NULL);

  self = g_object_new (LADLE_TYPE_ROUTE_EDITOR,
                       "transient-for", parent,
                       "title", route != NULL ? _("Edit Route") : _("New Route"),
                       NULL);

  if (route == NULL)
    route = fresh = ladle_mock_route_new (NULL, NULL);

  content_type = ladle_mock_route_get_content_type (route);
  body = ladle_mock_route_get_body (route);
  headers = g_strjoinv ("\n", (char **) ladle_mock_route_get_headers (route));

  gtk_editable_set_text (GTK_EDITABLE (self->method_row), ladle_mock_route_get_method (route));
  gtk_editable_set_text (GTK_EDITABLE (self->path_row), ladle_mock_route_get_path (route));
  gtk_spin_button_set_value (self->status_spin, ladle_mock_route_get_status (route));
  gtk_spin_button_set_value (self->delay_spin, ladle_mock_route_get_delay (route));
  gtk_switch_set_active (self->cors_switch, ladle_mock_route_get_cors (route));
  gtk_editable_set_text (GTK_EDITABLE (self->content_type_row),
                         content_type != NULL ? content_type : "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->headers_view), headers, -1);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->body_view)),
                            body != NULL ? body : "", -1);
  self->body_file = g_strdup (ladle_mock_route_get_body_file (route));
  update_any_body_file_row (self);
  update_body_file (self);
  /* The path is what a new route needs typed first; without this the window would open with
   * the focus on its first button, Cancel, where typing goes nowhere and Enter cancels. */
  gtk_widget_grab_focus (GTK_WIDGET (self->path_row));

  return self;
}

/**
 * ladle_route_editor_set_body_folder:
 * @folder: (nullable) (type filename): the folder body files are confined to while the switch
 *   “Allow Body Files From Anywhere” is off: the routes file's. %NULL confines nothing.
 * @settings: (nullable): settings whose `server-allow-any-body-file` key the switch shows and
 *   sets; without them the switch only applies to this editor
 */
void
ladle_route_editor_set_body_folder (LadleRouteEditor *self,
                                    const char       *folder,
                                    GSettings        *settings)
{
  g_return_if_fail (LADLE_IS_ROUTE_EDITOR (self));
  g_return_if_fail (folder == NULL || g_path_is_absolute (folder));
  g_return_if_fail (settings == NULL || G_IS_SETTINGS (settings));

  g_free (self->body_folder);
  self->body_folder = g_strdup (folder);

  if (self->settings != settings)
    {
      if (self->settings != NULL)
        g_settings_unbind (self->any_body_file_switch, "active");
      g_set_object (&self->settings, settings);
      if (settings != NULL)
        g_settings_bind (settings, "server-allow-any-body-file", self->any_body_file_switch,
                         "active", G_SETTINGS_BIND_DEFAULT);
    }

  update_any_body_file_row (self);
  update_body_file (self);
}

/**
 * ladle_route_editor_dup_route:
 *
 * Returns: (transfer full) (nullable): the route as the fields describe it, or %NULL with
 *   @error set to what the user must fix first
 */
LadleMockRoute *
ladle_route_editor_dup_route (LadleRouteEditor  *self,
                              GError           **error)
{
  g_return_val_if_fail (LADLE_IS_ROUTE_EDITOR (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return build_route (self, error);
}
