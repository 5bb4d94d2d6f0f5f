/* ladle-workspace-sidebar.c
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

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>

#include "ladle-ui-util.h"
#include "ladle-workspace-sidebar.h"

/* The workspace's tree in the Requests bench's sidebar: folders, files and requests (a
 * GtkListView over a GtkTreeListModel), a filter that keeps the parents of what matches, a menu
 * per row, and the workspace menu (open, new, recent). */

#define MAX_RECENT 8

struct _LadleWorkspaceSidebar
{
  AdwBin              parent_instance;

  /* Template widgets */
  GtkSearchEntry     *filter_entry;
  GtkListView        *list_view;
  GtkStack           *stack;
  GtkSpinner         *spinner;
  GtkMenuButton      *workspace_menu_button;
  GMenuModel         *workspace_menu;
  GtkLabel           *title_label;
  GtkLabel           *warning_label;
  GMenu              *recent_section;
  GMenuModel         *row_menu;

  /* Owned references */
  LadleWorkspace     *workspace;
  GSettings          *settings;
  GtkCustomFilter    *filter;
  GtkTreeListModel   *tree;
  GtkWidget          *popover;
  LadleWorkspaceNode *menu_node;      /* the row whose menu is open */
  GtkFileChooserNative *chooser;
  char               *filter_text;    /* casefolded; NULL when empty */
  GCancellable       *cancellable;
};

G_DEFINE_FINAL_TYPE (LadleWorkspaceSidebar, ladle_workspace_sidebar, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_WORKSPACE,
  N_PROPS
};

enum {
  OPEN_REQUEST,
  RUN,
  EDIT_ENVIRONMENTS,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
toast (LadleWorkspaceSidebar *self,
       const char            *title)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", title);
}

/* Filtering: a node is shown when it matches, or when something below it does. */

static gboolean
text_matches (LadleWorkspaceSidebar *self,
              const char            *text)
{
  g_autofree char *folded = NULL;

  if (text == NULL)
    return FALSE;
  folded = g_utf8_casefold (text, -1);
  return strstr (folded, self->filter_text) != NULL;
}

static gboolean
node_matches (LadleWorkspaceSidebar *self,
              LadleWorkspaceNode    *node,
              guint                  depth)
{
  GListModel *children;
  guint n;

  if (text_matches (self, ladle_workspace_node_get_name (node)) ||
      text_matches (self, ladle_workspace_node_get_url (node)))
    return TRUE;
  children = ladle_workspace_node_get_children (node);
  if (children == NULL || depth > LADLE_WORKSPACE_MAX_DEPTH + 2)
    return FALSE;
  n = g_list_model_get_n_items (children);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LadleWorkspaceNode) child = g_list_model_get_item (children, i);

      if (node_matches (self, child, depth + 1))
        return TRUE;
    }
  return FALSE;
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  LadleWorkspaceSidebar *self = user_data;

  return self->filter_text == NULL || node_matches (self, item, 0);
}

static GListModel *
wrap_children (LadleWorkspaceSidebar *self,
               GListModel            *children)
{
  if (self->filter_text == NULL)
    return g_object_ref (children);
  return G_LIST_MODEL (gtk_filter_list_model_new (g_object_ref (children),
                                                  g_object_ref (GTK_FILTER (self->filter))));
}

static GListModel *
create_children (gpointer item,
                 gpointer user_data)
{
  GListModel *children = ladle_workspace_node_get_children (item);

  if (children == NULL)
    return NULL;
  return wrap_children (user_data, children);
}

static void
update_stack (LadleWorkspaceSidebar *self)
{
  const char *page;

  if (self->workspace == NULL)
    page = "none";
  else if (ladle_workspace_get_loading (self->workspace) &&
           g_list_model_get_n_items (G_LIST_MODEL (self->tree)) == 0)
    page = "loading";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->tree)) > 0)
    page = "tree";
  else if (self->filter_text != NULL)
    page = "no-match";
  else
    page = "empty";
  gtk_stack_set_visible_child_name (self->stack, page);
  gtk_spinner_set_spinning (self->spinner, strcmp (page, "loading") == 0);
}

static void
rebuild_tree (LadleWorkspaceSidebar *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;
  GListModel *root;

  if (self->tree != NULL)
    g_signal_handlers_disconnect_by_data (self->tree, self);
  g_clear_object (&self->tree);
  if (self->workspace != NULL)
    root = wrap_children (self, ladle_workspace_node_get_children (ladle_workspace_get_root (self->workspace)));
  else
    root = G_LIST_MODEL (g_list_store_new (LADLE_TYPE_WORKSPACE_NODE));
  /* With a filter, everything that is left is shown open. */
  self->tree = gtk_tree_list_model_new (root, FALSE, self->filter_text != NULL, create_children,
                                        self, NULL);
  g_signal_connect_object (self->tree, "items-changed", G_CALLBACK (update_stack), self,
                           G_CONNECT_SWAPPED);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->tree)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  update_stack (self);
}

static void
on_filter_changed (LadleWorkspaceSidebar *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->filter_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_clear_pointer (&self->filter_text, g_free);
  if (stripped[0] != '\0')
    self->filter_text = g_utf8_casefold (stripped, -1);
  rebuild_tree (self);
}

/* Rows */

static LadleWorkspaceNode *
expander_node (GtkWidget *expander)
{
  GtkTreeListRow *row = gtk_tree_expander_get_list_row (GTK_TREE_EXPANDER (expander));

  return row != NULL ? gtk_tree_list_row_get_item (row) : NULL;   /* (transfer full) */
}

/* Drag and drop: a request is dragged onto another (it goes before it, or after it when dropped
 * on its lower half) or onto a file (it goes at its end). */
static GdkContentProvider *
on_drag_prepare (GtkDragSource *source,
                 double         x,
                 double         y,
                 gpointer       user_data)
{
  GtkWidget *expander = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (source));
  g_autoptr(LadleWorkspaceNode) node = expander_node (expander);

  if (node == NULL || ladle_workspace_node_get_kind (node) != LADLE_WORKSPACE_NODE_REQUEST)
    return NULL;
  return gdk_content_provider_new_typed (LADLE_TYPE_WORKSPACE_NODE, node);
}

static gboolean
on_drop (GtkDropTarget         *target,
         const GValue          *value,
         double                 x,
         double                 y,
         LadleWorkspaceSidebar *self)
{
  GtkWidget *expander = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (target));
  g_autoptr(LadleWorkspaceNode) onto = expander_node (expander);
  LadleWorkspaceNode *dragged = g_value_get_object (value);
  LadleWorkspaceNode *file_node;
  g_autoptr(GError) error = NULL;
  guint index;

  if (onto == NULL || dragged == NULL || self->workspace == NULL || onto == dragged)
    return FALSE;
  switch (ladle_workspace_node_get_kind (onto))
    {
    case LADLE_WORKSPACE_NODE_REQUEST:
      file_node = ladle_workspace_node_get_parent (onto);
      index = ladle_workspace_node_get_index (onto);
      if (y > gtk_widget_get_height (expander) / 2.0)
        index++;
      break;
    case LADLE_WORKSPACE_NODE_FILE:
      file_node = onto;
      index = g_list_model_get_n_items (ladle_workspace_node_get_children (onto));
      break;
    case LADLE_WORKSPACE_NODE_FOLDER:
    default:
      return FALSE;
    }
  if (!ladle_workspace_move_request (self->workspace, dragged, file_node, index, &error))
    {
      toast (self, error->message);
      return FALSE;
    }
  return TRUE;
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *method = gtk_label_new (NULL);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_add_css_class (method, "caption-heading");
  gtk_widget_add_css_class (method, "method-badge");
  gtk_label_set_width_chars (GTK_LABEL (method), 6);
  gtk_label_set_xalign (GTK_LABEL (method), 0);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_use_markup (GTK_LABEL (label), FALSE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), method);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_set_margin_top (box, 3);
  gtk_widget_set_margin_bottom (box, 3);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), box);
  gtk_list_item_set_child (item, expander);

  {
    GtkDragSource *source = gtk_drag_source_new ();
    GtkDropTarget *target = gtk_drop_target_new (LADLE_TYPE_WORKSPACE_NODE, GDK_ACTION_MOVE);

    gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
    g_signal_connect (source, "prepare", G_CALLBACK (on_drag_prepare), NULL);
    gtk_widget_add_controller (expander, GTK_EVENT_CONTROLLER (source));
    g_signal_connect (target, "drop", G_CALLBACK (on_drop), user_data);
    gtk_widget_add_controller (expander, GTK_EVENT_CONTROLLER (target));
  }
}

static const char *method_classes[] = { "get", "post", "put", "patch", "delete", "other" };

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  GtkTreeListRow *row = gtk_list_item_get_item (item);
  LadleWorkspaceNode *node = gtk_tree_list_row_get_item (row);
  GtkWidget *expander = gtk_list_item_get_child (item);
  GtkWidget *box = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (expander));
  GtkWidget *icon = gtk_widget_get_first_child (box);
  GtkWidget *method = gtk_widget_get_next_sibling (icon);
  GtkWidget *label = gtk_widget_get_next_sibling (method);
  const char *error = ladle_workspace_node_get_error (node);

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), row);
  gtk_label_set_text (GTK_LABEL (label), ladle_workspace_node_get_name (node));
  for (guint i = 0; i < G_N_ELEMENTS (method_classes); i++)
    gtk_widget_remove_css_class (method, method_classes[i]);

  switch (ladle_workspace_node_get_kind (node))
    {
    case LADLE_WORKSPACE_NODE_FOLDER:
      gtk_image_set_from_icon_name (GTK_IMAGE (icon), "folder-symbolic");
      gtk_widget_set_visible (icon, TRUE);
      gtk_widget_set_visible (method, FALSE);
      gtk_widget_set_tooltip_text (box, ladle_workspace_node_get_path (node));
      break;
    case LADLE_WORKSPACE_NODE_FILE:
      gtk_image_set_from_icon_name (GTK_IMAGE (icon), error != NULL ? "dialog-warning-symbolic"
                                                                    : "text-x-generic-symbolic");
      gtk_widget_set_visible (icon, TRUE);
      gtk_widget_set_visible (method, FALSE);
      gtk_widget_set_tooltip_text (box, error != NULL ? error : ladle_workspace_node_get_path (node));
      break;
    case LADLE_WORKSPACE_NODE_REQUEST:
    default:
      {
        const char *name = ladle_workspace_node_get_method (node);
        g_autofree char *lower = g_ascii_strdown (name, -1);
        gboolean known = FALSE;

        gtk_widget_set_visible (icon, FALSE);
        gtk_widget_set_visible (method, TRUE);
        gtk_label_set_text (GTK_LABEL (method), name);
        for (guint i = 0; i + 1 < G_N_ELEMENTS (method_classes); i++)
          if (strcmp (lower, method_classes[i]) == 0)
            {
              gtk_widget_add_css_class (method, method_classes[i]);
              known = TRUE;
            }
        if (!known)
          gtk_widget_add_css_class (method, "other");
        gtk_widget_set_tooltip_text (box, ladle_workspace_node_get_url (node));
      }
      break;
    }
}

static LadleWorkspaceNode *
node_at (LadleWorkspaceSidebar *self,
         guint                  position)
{
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (G_LIST_MODEL (self->tree), position);

  if (row == NULL)
    return NULL;
  return gtk_tree_list_row_get_item (row);   /* (transfer full) */
}

static void
on_row_activate (LadleWorkspaceSidebar *self,
                 guint                  position)
{
  g_autoptr(LadleWorkspaceNode) node = node_at (self, position);

  if (node == NULL)
    return;
  if (ladle_workspace_node_get_kind (node) == LADLE_WORKSPACE_NODE_REQUEST)
    g_signal_emit (self, signals[OPEN_REQUEST], 0, node);
  else
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (G_LIST_MODEL (self->tree), position);

      gtk_tree_list_row_set_expanded (row, !gtk_tree_list_row_get_expanded (row));
    }
}

/* The row menu */

static void
update_row_actions (LadleWorkspaceSidebar *self)
{
  LadleWorkspaceNodeKind kind = self->menu_node != NULL
                                ? ladle_workspace_node_get_kind (self->menu_node)
                                : LADLE_WORKSPACE_NODE_FOLDER;
  gboolean request = self->menu_node != NULL && kind == LADLE_WORKSPACE_NODE_REQUEST;
  gboolean readable = self->menu_node != NULL &&
                      ladle_workspace_node_get_error (self->menu_node) == NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.open", request);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.run", self->menu_node != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.new-file",
                                 self->menu_node != NULL && kind == LADLE_WORKSPACE_NODE_FOLDER);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.new-request",
                                 readable && kind != LADLE_WORKSPACE_NODE_FOLDER);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.rename", request);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.duplicate", request);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.delete", request);
}

static void
on_right_click (GtkGestureClick       *gesture,
                int                    n_press,
                double                 x,
                double                 y,
                LadleWorkspaceSidebar *self)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  GtkWidget *picked = gtk_widget_pick (widget, x, y, GTK_PICK_DEFAULT);
  graphene_point_t point;
  GdkRectangle rect;

  /* The row under the pointer: the expander whose list row it is. */
  while (picked != NULL && !GTK_IS_TREE_EXPANDER (picked))
    picked = gtk_widget_get_parent (picked);
  if (picked == NULL)
    return;
  {
    GtkTreeListRow *row = gtk_tree_expander_get_list_row (GTK_TREE_EXPANDER (picked));

    if (row == NULL)
      return;
    g_clear_object (&self->menu_node);
    self->menu_node = gtk_tree_list_row_get_item (row);
  }
  update_row_actions (self);
  if (!gtk_widget_compute_point (widget, GTK_WIDGET (self->list_view),
                                 &GRAPHENE_POINT_INIT (x, y), &point))
    return;
  rect.x = point.x;
  rect.y = point.y;
  rect.width = rect.height = 1;
  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover), &rect);
  gtk_popover_popup (GTK_POPOVER (self->popover));
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

/* A name asked for in a dialog; @callback gets it (NULL when cancelled). */
typedef void (*NameCallback) (LadleWorkspaceSidebar *self,
                              LadleWorkspaceNode    *node,
                              const char            *name);

typedef struct
{
  LadleWorkspaceSidebar *self;
  LadleWorkspaceNode    *node;
  GtkEntry              *entry;
  NameCallback           callback;
} NameAsk;

static void
name_ask_free (NameAsk *ask)
{
  g_clear_object (&ask->self);
  g_clear_object (&ask->node);
  g_free (ask);
}

static void
on_name_response (AdwMessageDialog *dialog,
                  const char       *response,
                  NameAsk          *ask)
{
  if (strcmp (response, "ok") == 0)
    ask->callback (ask->self, ask->node, gtk_editable_get_text (GTK_EDITABLE (ask->entry)));
  name_ask_free (ask);
}

static void
on_name_entry_activate (GtkEntry         *entry,
                        AdwMessageDialog *dialog)
{
  adw_message_dialog_response (dialog, "ok");
}

static void
ask_name (LadleWorkspaceSidebar *self,
          LadleWorkspaceNode    *node,
          const char            *heading,
          const char            *initial,
          const char            *ok_label,
          NameCallback           callback)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwMessageDialog *dialog;
  NameAsk *ask = g_new0 (NameAsk, 1);
  GtkWidget *entry = gtk_entry_new ();

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                             : NULL,
                                                       heading, NULL));
  gtk_editable_set_text (GTK_EDITABLE (entry), initial != NULL ? initial : "");
  gtk_widget_set_name (entry, "name_entry");
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "ok", ok_label, NULL);
  adw_message_dialog_set_response_appearance (dialog, "ok", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "ok");
  adw_message_dialog_set_close_response (dialog, "cancel");
  ask->self = g_object_ref (self);
  ask->node = node != NULL ? g_object_ref (node) : NULL;
  ask->entry = GTK_ENTRY (entry);
  ask->callback = callback;
  g_signal_connect (entry, "activate", G_CALLBACK (on_name_entry_activate), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (on_name_response), ask);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
report (LadleWorkspaceSidebar *self,
        const GError          *error)
{
  if (error != NULL)
    toast (self, error->message);
}

static void
new_file_named (LadleWorkspaceSidebar *self,
                LadleWorkspaceNode    *folder,
                const char            *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (name));

  if (self->workspace == NULL)
    return;
  if (ladle_workspace_new_file (self->workspace, folder, stripped, &error) == NULL)
    report (self, error);
}

static LadleWorkspaceNode *
folder_of (LadleWorkspaceSidebar *self,
           LadleWorkspaceNode    *node)
{
  while (node != NULL && ladle_workspace_node_get_kind (node) != LADLE_WORKSPACE_NODE_FOLDER)
    node = ladle_workspace_node_get_parent (node);
  if (node == NULL && self->workspace != NULL)
    node = ladle_workspace_get_root (self->workspace);
  return node;
}

static void
row_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  LadleWorkspaceSidebar *self = LADLE_WORKSPACE_SIDEBAR (widget);
  g_autoptr(LadleWorkspaceNode) node = self->menu_node != NULL ? g_object_ref (self->menu_node)
                                                               : NULL;
  g_autoptr(GError) error = NULL;

  if (node == NULL || self->workspace == NULL)
    return;

  if (strcmp (action_name, "row.open") == 0)
    g_signal_emit (self, signals[OPEN_REQUEST], 0, node);
  else if (strcmp (action_name, "row.run") == 0)
    g_signal_emit (self, signals[RUN], 0, node);
  else if (strcmp (action_name, "row.new-file") == 0)
    ask_name (self, folder_of (self, node), _("New File"), "requests.http", _("_Create"),
              new_file_named);
  else if (strcmp (action_name, "row.new-request") == 0)
    {
      LadleWorkspaceNode *file_node = node;
      g_autoptr(LadleHttpEntry) entry = ladle_http_entry_new ();
      int index;

      if (ladle_workspace_node_get_kind (node) == LADLE_WORKSPACE_NODE_REQUEST)
        file_node = ladle_workspace_node_get_parent (node);
      g_free (entry->url);
      entry->url = g_strdup ("https://");
      /* Translators: the name of a request added to a file */
      entry->name = g_strdup (_("New request"));
      index = ladle_workspace_append_entry (self->workspace, file_node, entry, &error);
      if (index < 0)
        report (self, error);
      else
        {
          g_autoptr(LadleWorkspaceNode) added =
            g_list_model_get_item (ladle_workspace_node_get_children (file_node), index);

          if (added != NULL)
            g_signal_emit (self, signals[OPEN_REQUEST], 0, added);
        }
    }
  else if (strcmp (action_name, "row.duplicate") == 0)
    {
      if (!ladle_workspace_duplicate_request (self->workspace, node, &error))
        report (self, error);
    }
}

static void
rename_named (LadleWorkspaceSidebar *self,
              LadleWorkspaceNode    *node,
              const char            *name)
{
  g_autoptr(GError) error = NULL;

  if (self->workspace != NULL &&
      !ladle_workspace_rename_request (self->workspace, node, name, &error))
    report (self, error);
}

static void
rename_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LadleWorkspaceSidebar *self = LADLE_WORKSPACE_SIDEBAR (widget);

  if (self->menu_node == NULL)
    return;
  ask_name (self, self->menu_node, _("Rename Request"),
            ladle_workspace_node_get_name (self->menu_node), _("_Rename"), rename_named);
}

/* Delete, with Undo in the toast: the removed bytes go back where they were. */
typedef struct
{
  LadleWorkspace *workspace;
  char           *path;
  guint           index;
  char           *text;
} Undo;

static void
undo_free (gpointer data)
{
  Undo *undo = data;

  g_clear_object (&undo->workspace);
  g_free (undo->path);
  g_free (undo->text);
  g_free (undo);
}

static void
on_undo_clicked (AdwToast *toast_,
                 Undo     *undo)
{
  LadleWorkspaceNode *file_node = ladle_workspace_find_file (undo->workspace, undo->path);
  g_autoptr(GError) error = NULL;

  if (!ladle_workspace_insert_text (undo->workspace, file_node, undo->index, undo->text, &error))
    g_warning ("Could not undo: %s", error->message);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LadleWorkspaceSidebar *self = LADLE_WORKSPACE_SIDEBAR (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *title = NULL;
  g_autofree char *escaped = NULL;
  LadleWorkspaceNode *node = self->menu_node;
  GtkWidget *overlay;
  AdwToast *notice;
  Undo *undo;

  if (node == NULL || self->workspace == NULL)
    return;
  undo = g_new0 (Undo, 1);
  undo->workspace = g_object_ref (self->workspace);
  undo->path = g_strdup (ladle_workspace_node_get_path (node));
  undo->index = ladle_workspace_node_get_index (node);
  title = g_strdup_printf (_("Deleted “%s”"), ladle_workspace_node_get_name (node));
  text = ladle_workspace_delete_request (self->workspace, node, &error);
  if (text == NULL)
    {
      undo_free (undo);
      report (self, error);
      return;
    }
  undo->text = g_steal_pointer (&text);

  overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    {
      undo_free (undo);
      toast (self, title);
      return;
    }
  /* A toast's title is markup in libadwaita 1.2. */
  escaped = g_markup_escape_text (title, -1);
  notice = adw_toast_new (escaped);
  adw_toast_set_button_label (notice, _("_Undo"));
  g_signal_connect_data (notice, "button-clicked", G_CALLBACK (on_undo_clicked), undo,
                         (GClosureNotify) (void (*) (void)) undo_free, 0);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), notice);
}

/* The workspace menu */

static void
update_recent_menu (LadleWorkspaceSidebar *self)
{
  g_auto(GStrv) recent = NULL;

  g_menu_remove_all (self->recent_section);
  if (self->settings == NULL)
    return;
  recent = g_settings_get_strv (self->settings, "recent-workspaces");
  for (guint i = 0; recent[i] != NULL && i < MAX_RECENT; i++)
    {
      g_autoptr(GMenuItem) item = NULL;
      g_autofree char *label = g_filename_display_name (recent[i]);

      item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target_value (item, "workspace.open-recent",
                                               g_variant_new_string (recent[i]));
      g_menu_append_item (self->recent_section, item);
    }
}

static void
remember (LadleWorkspaceSidebar *self,
          const char            *folder)
{
  g_auto(GStrv) recent = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;
  guint n = 1;

  if (self->settings == NULL)
    return;
  g_settings_set_string (self->settings, "workspace", folder != NULL ? folder : "");
  if (folder == NULL)
    return;
  recent = g_settings_get_strv (self->settings, "recent-workspaces");
  g_strv_builder_add (builder, folder);
  for (guint i = 0; recent[i] != NULL && n < MAX_RECENT; i++)
    if (strcmp (recent[i], folder) != 0)
      {
        g_strv_builder_add (builder, recent[i]);
        n++;
      }
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-workspaces", (const char * const *) updated);
  update_recent_menu (self);
}

static void
update_header (LadleWorkspaceSidebar *self)
{
  const char *warning = self->workspace != NULL ? ladle_workspace_get_warning (self->workspace)
                                                : NULL;

  gtk_label_set_text (self->warning_label, warning != NULL ? warning : "");
  gtk_widget_set_visible (GTK_WIDGET (self->warning_label), warning != NULL);
  if (self->workspace != NULL)
    {
      LadleWorkspaceNode *root = ladle_workspace_get_root (self->workspace);

      gtk_label_set_text (self->title_label, ladle_workspace_node_get_name (root));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->title_label),
                                   ladle_workspace_get_folder (self->workspace));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->title_label), self->workspace != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "workspace.new-file", self->workspace != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "workspace.run-all", self->workspace != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "workspace.close", self->workspace != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "workspace.edit-environments",
                                 self->workspace != NULL);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(LadleWorkspaceSidebar) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ladle_workspace_load_finish (LADLE_WORKSPACE (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          self->workspace == LADLE_WORKSPACE (source))
        toast (self, error->message);
      return;
    }
  if (self->workspace == LADLE_WORKSPACE (source))
    update_stack (self);
}

void
ladle_workspace_sidebar_open (LadleWorkspaceSidebar *self,
                              const char            *folder)
{
  g_return_if_fail (LADLE_IS_WORKSPACE_SIDEBAR (self));

  if (folder != NULL && folder[0] == '\0')
    folder = NULL;
  if (self->workspace != NULL)
    g_signal_handlers_disconnect_by_data (self->workspace, self);
  g_clear_object (&self->workspace);
  g_clear_object (&self->menu_node);
  if (folder != NULL)
    {
      self->workspace = ladle_workspace_new (folder);
      g_signal_connect_object (self->workspace, "notify::loading", G_CALLBACK (update_stack), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->workspace, "notify::warning", G_CALLBACK (update_header), self,
                               G_CONNECT_SWAPPED);
      ladle_workspace_load_async (self->workspace, NULL, loaded_cb, g_object_ref (self));
      remember (self, ladle_workspace_get_folder (self->workspace));
    }
  else
    remember (self, NULL);
  rebuild_tree (self);
  update_header (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKSPACE]);
}

static void
on_chooser_response (LadleWorkspaceSidebar *self,
                     int                    response,
                     GtkFileChooserNative  *chooser)
{
  gboolean create = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "create"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        {
          if (create && g_mkdir_with_parents (path, 0755) != 0)
            {
              int saved = errno;
              g_autofree char *message = g_strdup_printf (_("Could not create %s: %s"), path,
                                                          g_strerror (saved));

              toast (self, message);
            }
          else
            ladle_workspace_sidebar_open (self, path);
        }
    }
  g_clear_object (&self->chooser);
}

void
ladle_workspace_sidebar_choose_folder (LadleWorkspaceSidebar *self,
                                       gboolean               create)
{
  GtkRoot *root;

  g_return_if_fail (LADLE_IS_WORKSPACE_SIDEBAR (self));

  if (self->chooser != NULL)
    return;
  root = gtk_widget_get_root (GTK_WIDGET (self));
  self->chooser = gtk_file_chooser_native_new (create ? _("New Workspace") : _("Open Workspace"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               create ? GTK_FILE_CHOOSER_ACTION_SAVE
                                                      : GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               create ? _("_Create") : _("_Open"), _("_Cancel"));
  g_object_set_data (G_OBJECT (self->chooser), "create", GINT_TO_POINTER (create));
  if (create)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), _("Workspace"));
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
workspace_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  LadleWorkspaceSidebar *self = LADLE_WORKSPACE_SIDEBAR (widget);

  if (strcmp (action_name, "workspace.open") == 0)
    ladle_workspace_sidebar_choose_folder (self, FALSE);
  else if (strcmp (action_name, "workspace.new") == 0)
    ladle_workspace_sidebar_choose_folder (self, TRUE);
  else if (strcmp (action_name, "workspace.open-recent") == 0)
    ladle_workspace_sidebar_open (self, g_variant_get_string (parameter, NULL));
  else if (strcmp (action_name, "workspace.close") == 0)
    ladle_workspace_sidebar_open (self, NULL);
  else if (strcmp (action_name, "workspace.new-file") == 0 && self->workspace != NULL)
    ask_name (self, ladle_workspace_get_root (self->workspace), _("New File"), "requests.http",
              _("_Create"), new_file_named);
  else if (strcmp (action_name, "workspace.run-all") == 0 && self->workspace != NULL)
    g_signal_emit (self, signals[RUN], 0, ladle_workspace_get_root (self->workspace));
  else if (strcmp (action_name, "workspace.edit-environments") == 0 && self->workspace != NULL)
    g_signal_emit (self, signals[EDIT_ENVIRONMENTS], 0);
}

/* Lifecycle */

static void
ladle_workspace_sidebar_dispose (GObject *object)
{
  LadleWorkspaceSidebar *self = LADLE_WORKSPACE_SIDEBAR (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_pointer (&self->popover, gtk_widget_unparent);
  if (self->tree != NULL)
    g_signal_handlers_disconnect_by_data (self->tree, self);
  gtk_widget_dispose_template (GTK_WIDGET (object), LADLE_TYPE_WORKSPACE_SIDEBAR);
  g_clear_object (&self->tree);
  g_clear_object (&self->filter);
  g_clear_object (&self->menu_node);
  if (self->workspace != NULL)
    g_signal_handlers_disconnect_by_data (self->workspace, self);
  g_clear_object (&self->workspace);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->filter_text, g_free);

  G_OBJECT_CLASS (ladle_workspace_sidebar_parent_class)->dispose (object);
}

static void
ladle_workspace_sidebar_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  LadleWorkspaceSidebar *self = LADLE_WORKSPACE_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      g_value_set_object (value, self->workspace);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_workspace_sidebar_class_init (LadleWorkspaceSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ladle_workspace_sidebar_dispose;
  object_class->get_property = ladle_workspace_sidebar_get_property;

  properties[PROP_WORKSPACE] =
    g_param_spec_object ("workspace", NULL, NULL, LADLE_TYPE_WORKSPACE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[OPEN_REQUEST] = g_signal_new ("open-request", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                        LADLE_TYPE_WORKSPACE_NODE);
  signals[RUN] = g_signal_new ("run", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                               NULL, NULL, G_TYPE_NONE, 1, LADLE_TYPE_WORKSPACE_NODE);
  signals[EDIT_ENVIRONMENTS] = g_signal_new ("edit-environments", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ladle/Ladle/ladle-workspace-sidebar.ui");
  gtk_widget_class_bind_template_child (widget_class, LadleWorkspaceSidebar, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, LadleWorkspaceSidebar, list_view);
  gtk_widget_class_bind_template_child (widget_class, LadleWorkspaceSidebar, stack);
  gtk_widget_class_bind_template_child (widget_class, LadleWorkspaceSidebar, workspace_menu_button);
  gtk_widget_class_bind_template_child (widget_class, LadleWorkspaceSidebar, workspace_menu);
  gtk_widget_class_bind_template_child (widget_class, LadleWorkspaceSidebar, spinner);
  gtk_widget_class_bind_template_child (widget_class, LadleWorkspaceSidebar, title_label);
  gtk_widget_class_bind_template_child (widget_class, LadleWorkspaceSidebar, warning_label);
  gtk_widget_class_bind_template_child (widget_class, LadleWorkspaceSidebar, recent_section);
  gtk_widget_class_bind_template_child (widget_class, LadleWorkspaceSidebar, row_menu);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activate);

  gtk_widget_class_install_action (widget_class, "workspace.open", NULL, workspace_action);
  gtk_widget_class_install_action (widget_class, "workspace.new", NULL, workspace_action);
  gtk_widget_class_install_action (widget_class, "workspace.open-recent", "s", workspace_action);
  gtk_widget_class_install_action (widget_class, "workspace.close", NULL, workspace_action);
  gtk_widget_class_install_action (widget_class, "workspace.new-file", NULL, workspace_action);
  gtk_widget_class_install_action (widget_class, "workspace.run-all", NULL, workspace_action);
  gtk_widget_class_install_action (widget_class, "workspace.edit-environments", NULL,
                                   workspace_action);
  gtk_widget_class_install_action (widget_class, "row.open", NULL, row_action);
  gtk_widget_class_install_action (widget_class, "row.run", NULL, row_action);
  gtk_widget_class_install_action (widget_class, "row.new-file", NULL, row_action);
  gtk_widget_class_install_action (widget_class, "row.new-request", NULL, row_action);
  gtk_widget_class_install_action (widget_class, "row.rename", NULL, rename_action);
  gtk_widget_class_install_action (widget_class, "row.duplicate", NULL, row_action);
  gtk_widget_class_install_action (widget_class, "row.delete", NULL, delete_action);
}

static void
ladle_workspace_sidebar_init (LadleWorkspaceSidebar *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkGesture *click;

  gtk_widget_init_template (GTK_WIDGET (self));
  ladle_ui_menu_on_first_open (self->workspace_menu_button, self->workspace_menu);

  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  gtk_list_view_set_factory (self->list_view, factory);

  self->popover = gtk_popover_menu_new_from_model (self->row_menu);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->popover), FALSE);
  gtk_widget_set_halign (self->popover, GTK_ALIGN_START);
  gtk_widget_set_parent (self->popover, GTK_WIDGET (self->list_view));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_right_click), self);
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), GTK_EVENT_CONTROLLER (click));

  rebuild_tree (self);
  update_header (self);
  update_row_actions (self);
}

LadleWorkspace *
ladle_workspace_sidebar_get_workspace (LadleWorkspaceSidebar *self)
{
  g_return_val_if_fail (LADLE_IS_WORKSPACE_SIDEBAR (self), NULL);
  return self->workspace;
}

void
ladle_workspace_sidebar_set_settings (LadleWorkspaceSidebar *self,
                                      GSettings             *settings)
{
  g_return_if_fail (LADLE_IS_WORKSPACE_SIDEBAR (self));

  g_set_object (&self->settings, settings);
  update_recent_menu (self);
}

GListModel *
ladle_workspace_sidebar_get_rows (LadleWorkspaceSidebar *self)
{
  g_return_val_if_fail (LADLE_IS_WORKSPACE_SIDEBAR (self), NULL);
  return G_LIST_MODEL (self->tree);
}

void
ladle_workspace_sidebar_set_filter (LadleWorkspaceSidebar *self,
                                    const char            *text)
{
  g_return_if_fail (LADLE_IS_WORKSPACE_SIDEBAR (self));

  gtk_editable_set_text (GTK_EDITABLE (self->filter_entry), text != NULL ? text : "");
  on_filter_changed (self);
}

void
ladle_workspace_sidebar_set_menu_row (LadleWorkspaceSidebar *self,
                                      guint                  position)
{
  g_clear_object (&self->menu_node);
  self->menu_node = node_at (self, position);
  update_row_actions (self);
}
