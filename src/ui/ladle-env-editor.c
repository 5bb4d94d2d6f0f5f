/* ladle-env-editor.c
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

#include <string.h>

#include <glib/gi18n.h>

#include "ladle-env-editor.h"

/* The environments of a workspace as a table per environment: name, value, and whether the value
 * is a secret (masked here, kept in the private file). Edits apply to the model at once; Save
 * writes the files. */

#define SHARED "$shared"

struct _LadleEnvEditor
{
  AdwWindow              parent_instance;

  /* Template widgets */
  AdwWindowTitle        *window_title;
  GtkButton             *save_button;
  GtkDropDown           *env_dropdown;
  GtkEntry              *new_env_entry;
  GtkListBox            *list;
  GtkLabel              *error_label;

  /* Owned references */
  LadleHttpEnvironments *environments;
  GtkStringList         *env_names;   /* "$shared" first, then the environments */
  char                  *env;         /* shown */
  gboolean               filling;
};

G_DEFINE_FINAL_TYPE (LadleEnvEditor, ladle_env_editor, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_changed (LadleEnvEditor *self)
{
  if (self->filling)
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), TRUE);
}

/* A row's pieces */

static GtkEditable *
row_name (GtkWidget *row)
{
  return g_object_get_data (G_OBJECT (row), "name-entry");
}

static GtkEditable *
row_value (GtkWidget *row)
{
  return g_object_get_data (G_OBJECT (row), "value-entry");
}

static GtkToggleButton *
row_secret (GtkWidget *row)
{
  return g_object_get_data (G_OBJECT (row), "secret-button");
}

/* Writes the row into the model, under its new name. */
static void
apply_row (LadleEnvEditor *self,
           GtkWidget      *row)
{
  const char *old_name = g_object_get_data (G_OBJECT (row), "applied-name");
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (row_name (row))));
  const char *value = gtk_editable_get_text (row_value (row));
  gboolean secret = gtk_toggle_button_get_active (row_secret (row));

  if (self->filling)
    return;
  if (old_name != NULL && strcmp (old_name, name) != 0)
    ladle_http_environments_set (self->environments, self->env, old_name, NULL, FALSE);
  if (name[0] != '\0')
    ladle_http_environments_set (self->environments, self->env, name, value, secret);
  g_object_set_data_full (G_OBJECT (row), "applied-name",
                          name[0] != '\0' ? g_strdup (name) : NULL, g_free);
  gtk_entry_set_visibility (GTK_ENTRY (row_value (row)), !secret);
  set_changed (self);
}

static void
on_row_edited (GtkWidget *row)
{
  LadleEnvEditor *self = LADLE_ENV_EDITOR (gtk_widget_get_root (row));

  if (self != NULL)
    apply_row (self, row);
}

static void
on_remove_clicked (GtkWidget *row)
{
  LadleEnvEditor *self = LADLE_ENV_EDITOR (gtk_widget_get_root (row));
  const char *name = g_object_get_data (G_OBJECT (row), "applied-name");

  if (name != NULL)
    ladle_http_environments_set (self->environments, self->env, name, NULL, FALSE);
  gtk_list_box_remove (self->list, row);
  set_changed (self);
}

static GtkWidget *
make_row (LadleEnvEditor *self,
          const char     *name,
          const char     *value,
          gboolean        secret)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *name_entry = gtk_entry_new ();
  GtkWidget *value_entry = gtk_entry_new ();
  GtkWidget *secret_button = gtk_toggle_button_new ();
  GtkWidget *remove_button = gtk_button_new_from_icon_name ("user-trash-symbolic");

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_editable_set_text (GTK_EDITABLE (name_entry), name != NULL ? name : "");
  gtk_editable_set_text (GTK_EDITABLE (value_entry), value != NULL ? value : "");
  gtk_entry_set_placeholder_text (GTK_ENTRY (name_entry), _("Name"));
  gtk_entry_set_placeholder_text (GTK_ENTRY (value_entry), _("Value"));
  gtk_editable_set_width_chars (GTK_EDITABLE (name_entry), 8);
  gtk_editable_set_width_chars (GTK_EDITABLE (value_entry), 8);
  gtk_widget_set_hexpand (value_entry, TRUE);
  gtk_entry_set_visibility (GTK_ENTRY (value_entry), !secret);
  gtk_entry_set_input_hints (GTK_ENTRY (name_entry), GTK_INPUT_HINT_NO_SPELLCHECK);
  gtk_entry_set_input_hints (GTK_ENTRY (value_entry), GTK_INPUT_HINT_NO_SPELLCHECK);
  gtk_accessible_update_property (GTK_ACCESSIBLE (name_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Name"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (value_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Value"), -1);
  gtk_button_set_icon_name (GTK_BUTTON (secret_button), "changes-prevent-symbolic");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (secret_button), secret);
  gtk_widget_set_tooltip_text (secret_button,
                               _("Secret: masked, and kept in http-client.private.env.json"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (secret_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Secret"), -1);
  gtk_widget_add_css_class (secret_button, "flat");
  gtk_widget_set_tooltip_text (remove_button, _("Remove the Variable"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Remove the Variable"), -1);
  gtk_widget_add_css_class (remove_button, "flat");
  gtk_widget_set_valign (secret_button, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (remove_button, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), name_entry);
  gtk_box_append (GTK_BOX (box), value_entry);
  gtk_box_append (GTK_BOX (box), secret_button);
  gtk_box_append (GTK_BOX (box), remove_button);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  g_object_set_data (G_OBJECT (row), "name-entry", name_entry);
  g_object_set_data (G_OBJECT (row), "value-entry", value_entry);
  g_object_set_data (G_OBJECT (row), "secret-button", secret_button);
  g_object_set_data_full (G_OBJECT (row), "applied-name",
                          name != NULL && name[0] != '\0' ? g_strdup (name) : NULL, g_free);
  g_signal_connect_swapped (name_entry, "changed", G_CALLBACK (on_row_edited), row);
  g_signal_connect_swapped (value_entry, "changed", G_CALLBACK (on_row_edited), row);
  g_signal_connect_swapped (secret_button, "toggled", G_CALLBACK (on_row_edited), row);
  g_signal_connect_swapped (remove_button, "clicked", G_CALLBACK (on_remove_clicked), row);
  return row;
}

/* The variables @env defines itself ($shared's are on its own page). */
static void
fill (LadleEnvEditor *self)
{
  g_auto(GStrv) names = NULL;
  GtkListBoxRow *row;

  self->filling = TRUE;
  while ((row = gtk_list_box_get_row_at_index (self->list, 0)) != NULL)
    gtk_list_box_remove (self->list, GTK_WIDGET (row));
  names = ladle_http_environments_dup_variables (self->environments, self->env);
  for (guint i = 0; names[i] != NULL; i++)
    {
      LadleHttpSource source = LADLE_HTTP_SOURCE_ENV;
      const char *value = ladle_http_environments_lookup (self->environments, self->env, names[i],
                                                          &source);
      const char *shared = NULL;

      if (value == NULL || source == LADLE_HTTP_SOURCE_DOTENV)
        continue;
      if (strcmp (self->env, SHARED) != 0)
        {
          shared = ladle_http_environments_lookup (self->environments, SHARED, names[i], &source);
          if (shared != NULL && source != LADLE_HTTP_SOURCE_DOTENV && strcmp (shared, value) == 0)
            continue;
        }
      gtk_list_box_append (self->list,
                           make_row (self, names[i], value,
                                     ladle_http_environments_is_secret (self->environments,
                                                                        self->env, names[i])));
    }
  self->filling = FALSE;
}

static void
on_env_selected (LadleEnvEditor *self)
{
  guint selected = gtk_drop_down_get_selected (self->env_dropdown);

  if (self->env_names == NULL || selected == GTK_INVALID_LIST_POSITION)
    return;
  g_free (self->env);
  self->env = g_strdup (selected == 0 ? SHARED
                        : gtk_string_list_get_string (self->env_names, selected));
  fill (self);
}

static void
load_names (LadleEnvEditor *self,
            const char     *select)
{
  g_auto(GStrv) names = ladle_http_environments_dup_names (self->environments);
  guint selected = 0;

  g_clear_object (&self->env_names);
  self->env_names = gtk_string_list_new (NULL);
  gtk_string_list_append (self->env_names, _("Shared by all"));
  for (guint i = 0; names[i] != NULL; i++)
    {
      gtk_string_list_append (self->env_names, names[i]);
      if (g_strcmp0 (select, names[i]) == 0)
        selected = i + 1;
    }
  gtk_drop_down_set_model (self->env_dropdown, G_LIST_MODEL (self->env_names));
  gtk_drop_down_set_selected (self->env_dropdown, selected);
  on_env_selected (self);
}

static void
on_add_env (LadleEnvEditor *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->new_env_entry))));

  if (name[0] == '\0' || name[0] == '$')
    {
      gtk_widget_error_bell (GTK_WIDGET (self->new_env_entry));
      return;
    }
  ladle_http_environments_add_env (self->environments, name);
  gtk_editable_set_text (GTK_EDITABLE (self->new_env_entry), "");
  load_names (self, name);
  set_changed (self);
}

static void
on_add_variable (LadleEnvEditor *self)
{
  GtkWidget *row = ladle_env_editor_add_row (self, NULL, NULL, FALSE);

  gtk_widget_grab_focus (GTK_WIDGET (row_name (row)));
}

static void
on_save_clicked (LadleEnvEditor *self)
{
  g_autoptr(GError) error = NULL;

  if (!ladle_env_editor_save (self, &error))
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
    }
}

static void
ladle_env_editor_dispose (GObject *object)
{
  LadleEnvEditor *self = LADLE_ENV_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), LADLE_TYPE_ENV_EDITOR);
  g_clear_pointer (&self->environments, ladle_http_environments_unref);
  g_clear_object (&self->env_names);
  g_clear_pointer (&self->env, g_free);

  G_OBJECT_CLASS (ladle_env_editor_parent_class)->dispose (object);
}

static void
ladle_env_editor_class_init (LadleEnvEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ladle_env_editor_dispose;

  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                 NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ladle/Ladle/ladle-env-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, LadleEnvEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, LadleEnvEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, LadleEnvEditor, env_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LadleEnvEditor, new_env_entry);
  gtk_widget_class_bind_template_child (widget_class, LadleEnvEditor, list);
  gtk_widget_class_bind_template_child (widget_class, LadleEnvEditor, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_env_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_add_env);
  gtk_widget_class_bind_template_callback (widget_class, on_add_variable);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ladle_env_editor_init (LadleEnvEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->env = g_strdup (SHARED);
}

LadleEnvEditor *
ladle_env_editor_new (GtkWindow   *parent,
                      const char  *folder,
                      GError     **error)
{
  LadleHttpEnvironments *environments;
  LadleEnvEditor *self;
  g_autofree char *display = NULL;

  g_return_val_if_fail (folder != NULL, NULL);

  environments = ladle_http_environments_load (folder, error);
  if (environments == NULL)
    return NULL;
  self = g_object_new (LADLE_TYPE_ENV_EDITOR, "transient-for", parent, NULL);
  self->environments = environments;
  display = g_filename_display_name (folder);
  adw_window_title_set_subtitle (self->window_title, display);
  load_names (self, NULL);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->env_names)) > 1)
    {
      gtk_drop_down_set_selected (self->env_dropdown, 1);
      on_env_selected (self);
    }
  return self;
}

LadleHttpEnvironments *
ladle_env_editor_get_environments (LadleEnvEditor *self)
{
  g_return_val_if_fail (LADLE_IS_ENV_EDITOR (self), NULL);
  return self->environments;
}

void
ladle_env_editor_set_environment (LadleEnvEditor *self,
                                  const char     *environment)
{
  g_return_if_fail (LADLE_IS_ENV_EDITOR (self));

  if (environment == NULL || strcmp (environment, SHARED) == 0)
    {
      gtk_drop_down_set_selected (self->env_dropdown, 0);
      on_env_selected (self);
      return;
    }
  if (!ladle_http_environments_has (self->environments, environment))
    ladle_http_environments_add_env (self->environments, environment);
  load_names (self, environment);
}

GtkWidget *
ladle_env_editor_add_row (LadleEnvEditor *self,
                          const char     *name,
                          const char     *value,
                          gboolean        secret)
{
  GtkWidget *row;

  g_return_val_if_fail (LADLE_IS_ENV_EDITOR (self), NULL);

  row = make_row (self, NULL, NULL, FALSE);
  gtk_list_box_append (self->list, row);
  /* Typed in, as the user would: each edit goes to the model. */
  gtk_editable_set_text (row_name (row), name != NULL ? name : "");
  gtk_editable_set_text (row_value (row), value != NULL ? value : "");
  gtk_toggle_button_set_active (row_secret (row), secret);
  return row;
}

gboolean
ladle_env_editor_save (LadleEnvEditor  *self,
                       GError         **error)
{
  g_return_val_if_fail (LADLE_IS_ENV_EDITOR (self), FALSE);

  if (!ladle_http_environments_save (self->environments, error))
    return FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);
  g_signal_emit (self, signals[SAVED], 0);
  return TRUE;
}
