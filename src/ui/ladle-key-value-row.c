/* ladle-key-value-row.c
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

#include "ladle-http-syntax.h"
#include "ladle-key-value-row.h"

/* One editable row of a parameter, header or form table: enable switch, name, value, (for
 * multipart bodies) a file button, and remove. The widgets are bound to the LadleKeyValue, so the
 * row holds no state of its own. A header row marks, as it is typed, a name or value that Send
 * would refuse (the error style, and the reason as the entry's tooltip). */

struct _LadleKeyValueRow
{
  GtkListBoxRow         parent_instance;

  /* Template widgets */
  GtkSwitch            *enabled_switch;
  GtkButton            *file_button;
  GtkLabel             *file_label;
  GtkStack             *value_stack;
  GtkEntry             *name_entry;
  GtkEntry             *value_entry;

  /* Owned references */
  LadleKeyValue        *item;
  GtkFileChooserNative *chooser;
  char                 *note;
  gboolean              is_header;

  /* Borrowed references */
  GListStore           *store;
};

G_DEFINE_FINAL_TYPE (LadleKeyValueRow, ladle_key_value_row, GTK_TYPE_LIST_BOX_ROW)

/* A file row shows the file's name (the end of a long path is what tells files apart), the whole
 * path as its tooltip; a plain row, its value's entry. */
static void
update_file (LadleKeyValueRow *self)
{
  gboolean is_file;
  const char *path;

  g_assert (LADLE_IS_KEY_VALUE_ROW (self));

  is_file = ladle_key_value_get_is_file (self->item);
  path = ladle_key_value_get_value (self->item);
  gtk_stack_set_visible_child_name (self->value_stack, is_file ? "file" : "text");
  if (is_file)
    {
      g_autofree char *name = g_path_get_basename (path != NULL && *path != '\0' ? path : "?");
      g_autofree char *shown = g_utf8_make_valid (name, -1);
      g_autofree char *tooltip = g_filename_display_name (path != NULL ? path : "");

      gtk_label_set_text (self->file_label, shown);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->file_label), tooltip);
    }
}

/* The file's row back to a plain field */
static void
on_file_clear_clicked (LadleKeyValueRow *self)
{
  g_assert (LADLE_IS_KEY_VALUE_ROW (self));

  ladle_key_value_set_is_file (self->item, FALSE);
  ladle_key_value_set_value (self->item, "");
  gtk_widget_grab_focus (GTK_WIDGET (self->value_entry));
}

/* The error style and the reason as the tooltip, or neither. */
static void
mark_entry (GtkEntry     *entry,
            const GError *error)
{
  if (error != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (entry), error != NULL ? error->message : NULL);
}

/* Only a row that is sent is checked: a half-typed one, switched off, is no error yet. */
static void
check_header (LadleKeyValueRow *self)
{
  g_autoptr(GError) name_error = NULL;
  g_autoptr(GError) value_error = NULL;
  const char *name;

  g_assert (LADLE_IS_KEY_VALUE_ROW (self));

  name = ladle_key_value_get_name (self->item);
  if (ladle_key_value_get_enabled (self->item) && *name != '\0')
    {
      ladle_http_check_header_name (name, &name_error);
      ladle_http_check_header_value (name, ladle_key_value_get_value (self->item), &value_error);
    }
  mark_entry (self->name_entry, name_error);
  mark_entry (self->value_entry, value_error);

  /* Not an error, but the truth about what is sent */
  if (name_error == NULL && self->note != NULL)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_entry), self->note);
  if (name_error == NULL && self->note != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->name_entry), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->name_entry), "warning");
}

/* A row switched off while the cursor is in it: the cursor goes to the switch (an entry made
 * insensitive under the focus gets no focus-out) */
static void
on_enabled_changed (LadleKeyValueRow *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (gtk_switch_get_active (self->enabled_switch) || focus == NULL)
    return;
  if (gtk_widget_is_ancestor (focus, GTK_WIDGET (self->name_entry)) ||
      gtk_widget_is_ancestor (focus, GTK_WIDGET (self->value_entry)))
    gtk_widget_grab_focus (GTK_WIDGET (self->enabled_switch));
}

static void
on_chooser_response (LadleKeyValueRow *self,
                     int               response,
                     GtkNativeDialog  *chooser)
{
  g_assert (LADLE_IS_KEY_VALUE_ROW (self));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        {
          ladle_key_value_set_is_file (self->item, TRUE);
          ladle_key_value_set_value (self->item, path);
          if (*ladle_key_value_get_name (self->item) == '\0')
            ladle_key_value_set_name (self->item, "file");
        }
    }

  g_clear_object (&self->chooser);
}

static void
on_file_clicked (LadleKeyValueRow *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  g_assert (LADLE_IS_KEY_VALUE_ROW (self));

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Send a File"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_remove_clicked (LadleKeyValueRow *self)
{
  guint position;

  g_assert (LADLE_IS_KEY_VALUE_ROW (self));

  if (self->store != NULL && g_list_store_find (self->store, self->item, &position))
    g_list_store_remove (self->store, position);
}

static void
ladle_key_value_row_dispose (GObject *object)
{
  LadleKeyValueRow *self = LADLE_KEY_VALUE_ROW (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), LADLE_TYPE_KEY_VALUE_ROW);

  g_clear_object (&self->item);
  g_clear_pointer (&self->note, g_free);
  self->store = NULL;

  G_OBJECT_CLASS (ladle_key_value_row_parent_class)->dispose (object);
}

static void
ladle_key_value_row_class_init (LadleKeyValueRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ladle_key_value_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ladle/Ladle/ladle-key-value-row.ui");
  gtk_widget_class_bind_template_child (widget_class, LadleKeyValueRow, enabled_switch);
  gtk_widget_class_bind_template_child (widget_class, LadleKeyValueRow, file_button);
  gtk_widget_class_bind_template_child (widget_class, LadleKeyValueRow, file_label);
  gtk_widget_class_bind_template_child (widget_class, LadleKeyValueRow, value_stack);
  gtk_widget_class_bind_template_child (widget_class, LadleKeyValueRow, name_entry);
  gtk_widget_class_bind_template_child (widget_class, LadleKeyValueRow, value_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_file_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_file_clear_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_clicked);
}

static void
ladle_key_value_row_init (LadleKeyValueRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * ladle_key_value_row_new:
 * @store: (transfer none): the list @item belongs to; the remove button takes it out
 *
 * Returns: (transfer floating): a row editing @item in place
 */
GtkWidget *
ladle_key_value_row_new (LadleKeyValue         *item,
                         GListStore            *store,
                         LadleKeyValueRowFlags  flags)
{
  LadleKeyValueRow *self;
  const GBindingFlags both = G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE;

  g_return_val_if_fail (LADLE_IS_KEY_VALUE (item), NULL);
  g_return_val_if_fail (G_IS_LIST_STORE (store), NULL);

  self = g_object_new (LADLE_TYPE_KEY_VALUE_ROW, NULL);
  self->item = g_object_ref (item);
  self->store = store;

  g_object_bind_property (item, "enabled", self->enabled_switch, "active", both);
  g_object_bind_property (item, "name", self->name_entry, "text", both);
  g_object_bind_property (item, "value", self->value_entry, "text", both);
  /* Before the entries turn insensitive: the focus leaves them first */
  g_signal_connect_object (self->enabled_switch, "notify::active",
                           G_CALLBACK (on_enabled_changed), self, G_CONNECT_SWAPPED);
  g_object_bind_property (self->enabled_switch, "active", self->name_entry, "sensitive",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->enabled_switch, "active", self->value_entry, "sensitive",
                          G_BINDING_SYNC_CREATE);
  gtk_widget_set_visible (GTK_WIDGET (self->file_button),
                          (flags & LADLE_KEY_VALUE_ROW_FILES) != 0);

  g_signal_connect_object (item, "notify::is-file", G_CALLBACK (update_file), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (item, "notify::value", G_CALLBACK (update_file), self,
                           G_CONNECT_SWAPPED);
  update_file (self);

  self->is_header = (flags & LADLE_KEY_VALUE_ROW_HEADERS) != 0;
  if (self->is_header)
    {
      const char *notifies[] = { "notify::name", "notify::value", "notify::enabled" };

      for (guint i = 0; i < G_N_ELEMENTS (notifies); i++)
        g_signal_connect_object (item, notifies[i], G_CALLBACK (check_header), self,
                                 G_CONNECT_SWAPPED);
      check_header (self);
    }

  return GTK_WIDGET (self);
}

LadleKeyValue *
ladle_key_value_row_get_item (LadleKeyValueRow *self)
{
  g_return_val_if_fail (LADLE_IS_KEY_VALUE_ROW (self), NULL);
  return self->item;
}

/**
 * ladle_key_value_row_set_note:
 * @note: (nullable): why the header is not sent as it is, or %NULL
 *
 * Marks a header row's name (the warning style, @note as its tooltip) that is valid but not what
 * is sent, e.g. a header the client sets itself.
 */
void
ladle_key_value_row_set_note (LadleKeyValueRow *self,
                              const char       *note)
{
  g_return_if_fail (LADLE_IS_KEY_VALUE_ROW (self));

  if (g_strcmp0 (self->note, note) == 0)
    return;
  g_free (self->note);
  self->note = g_strdup (note);
  if (self->is_header)
    check_header (self);
}

GtkWidget *
ladle_key_value_row_get_invalid_entry (LadleKeyValueRow *self)
{
  g_return_val_if_fail (LADLE_IS_KEY_VALUE_ROW (self), NULL);

  if (gtk_widget_has_css_class (GTK_WIDGET (self->name_entry), "error"))
    return GTK_WIDGET (self->name_entry);
  if (gtk_widget_has_css_class (GTK_WIDGET (self->value_entry), "error"))
    return GTK_WIDGET (self->value_entry);
  return NULL;
}

typedef struct
{
  GListStore            *store;
  LadleKeyValueRowFlags  flags;
} ListData;

/* What the Add button needs: the list to append to, and the box whose new row gets the focus */
typedef struct
{
  GListStore *store;
  GWeakRef    box;
} AddData;

static void
add_data_free (gpointer  data,
               GClosure *closure)
{
  AddData *add = data;

  g_clear_object (&add->store);
  g_weak_ref_clear (&add->box);
  g_free (add);
}

static void
list_data_free (gpointer data)
{
  ListData *list = data;

  g_clear_object (&list->store);
  g_free (list);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  ListData *list = user_data;

  return ladle_key_value_row_new (item, list->store, list->flags);
}

/* A new empty row, and the cursor in its name: what is typed next goes there */
static void
on_add_clicked (GtkButton *button,
                AddData   *add)
{
  g_autoptr(LadleKeyValue) item = ladle_key_value_new ("", "");
  g_autoptr(GtkListBox) box = g_weak_ref_get (&add->box);
  guint n;

  g_list_store_append (add->store, item);
  n = g_list_model_get_n_items (G_LIST_MODEL (add->store));
  if (box != NULL && n > 0)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (box, (int) n - 1);

      if (LADLE_IS_KEY_VALUE_ROW (row) && LADLE_KEY_VALUE_ROW (row)->item == item)
        gtk_widget_grab_focus (GTK_WIDGET (LADLE_KEY_VALUE_ROW (row)->name_entry));
    }
}

void
ladle_key_value_list_bind (GtkListBox            *box,
                           GtkButton             *add_button,
                           GListStore            *store,
                           LadleKeyValueRowFlags  flags,
                           const char            *placeholder)
{
  ListData *list;
  GtkWidget *label;

  g_return_if_fail (GTK_IS_LIST_BOX (box));
  g_return_if_fail (GTK_IS_BUTTON (add_button));
  g_return_if_fail (G_IS_LIST_STORE (store));

  list = g_new0 (ListData, 1);
  list->store = g_object_ref (store);
  list->flags = flags;
  gtk_list_box_bind_model (box, G_LIST_MODEL (store), create_row, list, list_data_free);

  label = gtk_label_new (placeholder);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_list_box_set_placeholder (box, label);

  g_signal_handlers_disconnect_matched (add_button, G_SIGNAL_MATCH_FUNC, 0, 0, NULL,
                                        on_add_clicked, NULL);
  {
    AddData *add = g_new0 (AddData, 1);

    add->store = g_object_ref (store);
    g_weak_ref_init (&add->box, box);
    g_signal_connect_data (add_button, "clicked", G_CALLBACK (on_add_clicked), add,
                           add_data_free, 0);
  }
}
