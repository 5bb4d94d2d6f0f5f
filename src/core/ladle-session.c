/* ladle-session.c
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

#include "ladle-error.h"
#include "ladle-json-store-private.h"
#include "ladle-session-private.h"

/* The files are read, parsed, set aside and written by LadleJsonStores, in worker threads; the
 * documents to save are built in the caller's thread from the requests as they are then.
 *
 *   tabs.json   {"version": 1, "selected": N,
 *                "tabs": [{"request": REQUEST, "origin": ORIGIN}, ...]}
 *   draft.json  {"version": 1, "request": REQUEST}   (read only: Ladle before tabs wrote it)
 *
 * ORIGIN, only for a request of a workspace's file, is {"file": ABSOLUTE PATH, "request": NAME or
 * null, "index": N}. It came after version 1 without changing it: a Ladle before it reads only
 * "request" of each tab, and an origin that does not read well costs only the link, not the tab.
 */

#define SESSION_VERSION 1
#define TABS_FILE       "tabs.json"
#define DRAFT_FILE      "draft.json"

struct _LadleSession
{
  GObject         parent_instance;
  char           *dir;
  LadleJsonStore *tabs;
  LadleJsonStore *draft;
  gboolean        draft_gone;     /* removed since the last load, once tabs were saved */
};

G_DEFINE_FINAL_TYPE (LadleSession, ladle_session, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (LadleSessionTab, ladle_session_tab, ladle_session_tab_copy,
                     ladle_session_tab_free)

/* LadleSessionTab */

/**
 * ladle_session_tab_new:
 * @request: the tab's request (a reference is taken)
 *
 * Returns: (transfer full): a tab without origin
 */
LadleSessionTab *
ladle_session_tab_new (LadleRequest *request)
{
  LadleSessionTab *tab;

  g_return_val_if_fail (LADLE_IS_REQUEST (request), NULL);

  tab = g_new0 (LadleSessionTab, 1);
  tab->request = g_object_ref (request);
  return tab;
}

/* The copy shares the request. */
LadleSessionTab *
ladle_session_tab_copy (const LadleSessionTab *tab)
{
  LadleSessionTab *copy;

  g_return_val_if_fail (tab != NULL, NULL);

  copy = ladle_session_tab_new (tab->request);
  ladle_session_tab_set_origin (copy, tab->origin_file, tab->origin_request, tab->origin_index);
  return copy;
}

void
ladle_session_tab_free (LadleSessionTab *tab)
{
  if (tab == NULL)
    return;
  g_clear_object (&tab->request);
  g_free (tab->origin_file);
  g_free (tab->origin_request);
  g_free (tab);
}

void
ladle_session_tab_set_origin (LadleSessionTab *tab,
                              const char      *file,
                              const char      *request,
                              guint            index)
{
  char *old_file;
  char *old_request;

  g_return_if_fail (tab != NULL);

  /* Either may be the tab's own. */
  old_file = tab->origin_file;
  old_request = tab->origin_request;
  tab->origin_file = g_strdup (file);
  tab->origin_request = file != NULL ? g_strdup (request) : NULL;
  tab->origin_index = file != NULL ? index : 0;
  g_free (old_file);
  g_free (old_request);
}

/* Tabs of @requests, without origins. */
static GPtrArray *
tabs_of_requests (GPtrArray *requests)
{
  GPtrArray *tabs = g_ptr_array_new_full (requests->len, (GDestroyNotify) ladle_session_tab_free);

  for (guint i = 0; i < requests->len; i++)
    g_ptr_array_add (tabs, ladle_session_tab_new (g_ptr_array_index (requests, i)));
  return tabs;
}

/* The requests of @tabs, in order. */
static GPtrArray *
requests_of_tabs (GPtrArray *tabs)
{
  GPtrArray *requests = g_ptr_array_new_full (tabs->len, g_object_unref);

  for (guint i = 0; i < tabs->len; i++)
    g_ptr_array_add (requests,
                     g_object_ref (((LadleSessionTab *) g_ptr_array_index (tabs, i))->request));
  return requests;
}

typedef struct
{
  GPtrArray *tabs;       /* LadleSessionTab */
  guint      selected;
} Tabs;

static void
tabs_free (Tabs *tabs)
{
  g_clear_pointer (&tabs->tabs, g_ptr_array_unref);
  g_free (tabs);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Tabs, tabs_free)

static void
ladle_session_finalize (GObject *object)
{
  LadleSession *self = LADLE_SESSION (object);

  g_clear_object (&self->tabs);
  g_clear_object (&self->draft);
  g_clear_pointer (&self->dir, g_free);

  G_OBJECT_CLASS (ladle_session_parent_class)->finalize (object);
}

static void
ladle_session_class_init (LadleSessionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ladle_session_finalize;
}

static void
ladle_session_init (LadleSession *self)
{
}

/**
 * ladle_session_new:
 * @dir: (type filename): the folder of tabs.json
 *
 * Returns: (transfer full): the session kept in @dir; nothing is read until a load
 */
LadleSession *
ladle_session_new (const char *dir)
{
  LadleSession *self;

  g_return_val_if_fail (dir != NULL, NULL);

  self = g_object_new (LADLE_TYPE_SESSION, NULL);
  self->dir = g_strdup (dir);
  self->tabs = ladle_json_store_new (dir, TABS_FILE, SESSION_VERSION, LADLE_JSON_STORE_DEFAULT);
  self->draft = ladle_json_store_new (dir, DRAFT_FILE, SESSION_VERSION, LADLE_JSON_STORE_DEFAULT);
  return self;
}

const char *
ladle_session_get_dir (LadleSession *self)
{
  g_return_val_if_fail (LADLE_IS_SESSION (self), NULL);
  return self->dir;
}

/* Parsing, in the stores' worker threads */

static gboolean
member_is_integer (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_INT64;
}

/* The origin of a tab, or FALSE for a member that does not read as one. */
static gboolean
parse_origin (JsonNode        *node,
              LadleSessionTab *tab)
{
  JsonObject *origin;
  JsonNode *file;
  JsonNode *name;
  JsonNode *index;
  gint64 value;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  origin = json_node_get_object (node);
  file = json_object_get_member (origin, "file");
  name = json_object_get_member (origin, "request");
  index = json_object_get_member (origin, "index");
  if (file == NULL || !JSON_NODE_HOLDS_VALUE (file) ||
      json_node_get_value_type (file) != G_TYPE_STRING ||
      !g_path_is_absolute (json_node_get_string (file)))
    return FALSE;
  if (name != NULL && !JSON_NODE_HOLDS_NULL (name) &&
      (!JSON_NODE_HOLDS_VALUE (name) || json_node_get_value_type (name) != G_TYPE_STRING))
    return FALSE;
  if (!member_is_integer (origin, "index"))
    return FALSE;
  value = json_node_get_int (index);
  if (value < 0 || value > G_MAXINT)
    return FALSE;
  ladle_session_tab_set_origin (tab, json_node_get_string (file),
                                name != NULL && JSON_NODE_HOLDS_VALUE (name)
                                  ? json_node_get_string (name) : NULL,
                                value);
  return TRUE;
}

static gpointer
parse_tabs (JsonObject  *root,
            guint        version,
            gpointer     user_data,
            GError     **error)
{
  g_autoptr(Tabs) tabs = g_new0 (Tabs, 1);
  JsonNode *list = json_object_get_member (root, "tabs");
  JsonArray *array;

  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, _("No tabs"));
      return NULL;
    }

  array = json_node_get_array (list);
  tabs->tabs = g_ptr_array_new_with_free_func ((GDestroyNotify) ladle_session_tab_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr(GError) local_error = NULL;
      JsonNode *node = json_array_get_element (array, i);
      g_autoptr(LadleRequest) request = NULL;
      LadleSessionTab *tab;
      JsonNode *origin;

      /* One object per tab, so that a tab can get more than its request later. */
      if (JSON_NODE_HOLDS_OBJECT (node) &&
          json_object_has_member (json_node_get_object (node), "request"))
        request = ladle_request_new_from_json (json_object_get_member (json_node_get_object (node),
                                                                       "request"),
                                               &local_error);
      if (request == NULL)
        {
          if (local_error != NULL)
            g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, _("Tab %u is not valid: %s"),
                         i + 1, local_error->message);
          else
            g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, _("Tab %u is not valid"), i + 1);
          return NULL;
        }
      tab = ladle_session_tab_new (request);
      g_ptr_array_add (tabs->tabs, tab);
      /* A damaged origin costs the link to its file, not the tab. */
      origin = json_object_get_member (json_node_get_object (node), "origin");
      if (origin != NULL && !parse_origin (origin, tab))
        g_debug ("The origin of tab %u is not valid; it opens as a new request", i + 1);
    }

  /* A selection out of range is not worth losing the tabs for. */
  if (member_is_integer (root, "selected"))
    {
      gint64 selected = json_object_get_int_member (root, "selected");

      if (selected >= 0 && selected < tabs->tabs->len)
        tabs->selected = selected;
    }

  return g_steal_pointer (&tabs);
}

static gpointer
parse_draft (JsonObject  *root,
             guint        version,
             gpointer     user_data,
             GError     **error)
{
  if (!json_object_has_member (root, "request"))
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, _("No request"));
      return NULL;
    }
  return ladle_request_new_from_json (json_object_get_member (root, "request"), error);
}

/* Loading */

static void
draft_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *set_aside = NULL;
  g_autoptr(LadleRequest) draft = NULL;
  Tabs *tabs;

  draft = ladle_json_store_load_finish (LADLE_JSON_STORE (object), result, &set_aside, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&error));
  else if (error != NULL && set_aside != NULL)
    /* Translators: the first %s is why, the second a file path */
    g_task_return_new_error (task, LADLE_ERROR, LADLE_ERROR_PARSE,
                             _("The saved draft could not be read (%s); it was set aside as %s"),
                             error->message, set_aside);
  else if (error != NULL)
    g_task_return_new_error (task, LADLE_ERROR, LADLE_ERROR_PARSE,
                             _("The saved draft could not be read (%s)"), error->message);
  else if (draft == NULL)
    g_task_return_pointer (task, NULL, NULL);
  else
    {
      tabs = g_new0 (Tabs, 1);
      tabs->tabs = g_ptr_array_new_with_free_func ((GDestroyNotify) ladle_session_tab_free);
      g_ptr_array_add (tabs->tabs, ladle_session_tab_new (draft));
      g_task_return_pointer (task, tabs, (GDestroyNotify) tabs_free);
    }
}

static void
tabs_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LadleSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *set_aside = NULL;
  Tabs *tabs;

  tabs = ladle_json_store_load_finish (LADLE_JSON_STORE (object), result, &set_aside, &error);
  if (tabs != NULL)
    g_task_return_pointer (task, tabs, (GDestroyNotify) tabs_free);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&error));
  else if (error != NULL && set_aside != NULL)
    /* Translators: the first %s is why, the second a file path */
    g_task_return_new_error (task, LADLE_ERROR, LADLE_ERROR_PARSE,
                             _("The open tabs could not be read (%s); they were set aside as %s"),
                             error->message, set_aside);
  else if (error != NULL)
    g_task_return_new_error (task, LADLE_ERROR, LADLE_ERROR_PARSE,
                             _("The open tabs could not be read (%s)"), error->message);
  else
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      /* No tabs yet: the draft of a Ladle without tabs becomes the first. */
      ladle_json_store_load_async (self->draft, parse_draft, NULL, NULL, g_object_unref,
                                   cancellable, draft_loaded_cb, g_steal_pointer (&task));
    }
}

/**
 * ladle_session_load_tabs_async:
 *
 * Reads the tabs in a worker thread; without a tabs file, the draft.json of a Ladle before tabs
 * becomes the one tab.
 */
void
ladle_session_load_tabs_async (LadleSession        *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (LADLE_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ladle_session_load_tabs_async);
  /* What is read may come from a draft: the next save looks for one to remove. */
  self->draft_gone = FALSE;
  ladle_json_store_load_async (self->tabs, parse_tabs, NULL, NULL, (GDestroyNotify) tabs_free,
                               cancellable, tabs_loaded_cb, task);
}

/**
 * ladle_session_load_tabs_finish:
 * @selected: (out) (optional): the index of the selected tab, less than their number
 *
 * Returns: (transfer full) (nullable) (element-type LadleRequest): the tabs' requests; %NULL
 *   without error when none were saved; %NULL with a %LADLE_ERROR_PARSE error for the user when
 *   the file was damaged (and set aside: the message says where)
 */
GPtrArray *
ladle_session_load_tabs_finish (LadleSession  *self,
                                GAsyncResult  *result,
                                guint         *selected,
                                GError       **error)
{
  g_autoptr(GPtrArray) tabs = NULL;

  tabs = ladle_session_load_tabs_full_finish (self, result, selected, error);
  if (tabs == NULL)
    return NULL;
  return requests_of_tabs (tabs);
}

/**
 * ladle_session_load_tabs_full_finish:
 * @selected: (out) (optional): the index of the selected tab, less than their number
 *
 * ladle_session_load_tabs_finish() with each tab's origin.
 *
 * Returns: (transfer full) (nullable) (element-type LadleSessionTab): the tabs, as for
 *   ladle_session_load_tabs_finish()
 */
GPtrArray *
ladle_session_load_tabs_full_finish (LadleSession  *self,
                                     GAsyncResult  *result,
                                     guint         *selected,
                                     GError       **error)
{
  g_autoptr(Tabs) tabs = NULL;

  g_return_val_if_fail (LADLE_IS_SESSION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ladle_session_load_tabs_async,
                        NULL);

  if (selected != NULL)
    *selected = 0;
  tabs = g_task_propagate_pointer (G_TASK (result), error);
  if (tabs == NULL)
    return NULL;
  if (selected != NULL)
    *selected = tabs->selected;
  return g_steal_pointer (&tabs->tabs);
}

/* Saving */

/* The paths and names written must be UTF-8 for the file to be JSON: an origin that is not is
 * left out (the tab comes back as a new request). */
static void
add_origin (JsonBuilder           *builder,
            const LadleSessionTab *tab)
{
  if (tab->origin_file == NULL || !g_path_is_absolute (tab->origin_file) ||
      !g_utf8_validate (tab->origin_file, -1, NULL) ||
      (tab->origin_request != NULL && !g_utf8_validate (tab->origin_request, -1, NULL)) ||
      tab->origin_index > G_MAXINT)
    return;
  json_builder_set_member_name (builder, "origin");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "file");
  json_builder_add_string_value (builder, tab->origin_file);
  json_builder_set_member_name (builder, "request");
  if (tab->origin_request != NULL)
    json_builder_add_string_value (builder, tab->origin_request);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "index");
  json_builder_add_int_value (builder, tab->origin_index);
  json_builder_end_object (builder);
}

static JsonNode *
tabs_to_json (GPtrArray *tabs,
              guint      selected)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, SESSION_VERSION);
  json_builder_set_member_name (builder, "selected");
  json_builder_add_int_value (builder, selected);
  json_builder_set_member_name (builder, "tabs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < tabs->len; i++)
    {
      const LadleSessionTab *tab = g_ptr_array_index (tabs, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "request");
      json_builder_add_value (builder, ladle_request_to_json (tab->request));
      add_origin (builder, tab);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
draft_removed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LadleSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  /* The tabs are saved whatever becomes of the draft. */
  if (ladle_json_store_remove_finish (LADLE_JSON_STORE (object), result, &error))
    self->draft_gone = TRUE;
  else
    g_debug ("%s", error->message);
  g_task_return_boolean (task, TRUE);
}

static void
tabs_saved_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LadleSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *set_aside = NULL;

  if (!ladle_json_store_save_finish (LADLE_JSON_STORE (object), result, &set_aside, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (set_aside != NULL)
    g_message ("A tabs file Ladle had not read was set aside as %s", set_aside);

  /* Once tabs are on disk, the draft they were made from has served. */
  if (!self->draft_gone)
    ladle_json_store_remove_async (self->draft, NULL, draft_removed_cb, g_steal_pointer (&task));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * ladle_session_save_tabs_async:
 * @requests: (element-type LadleRequest): the tabs' requests, in order
 * @selected: the index of the selected one
 *
 * Saves the requests as they are now, in a worker thread; a later save always wins over an earlier
 * one. Finishes once they are on disk (and an old draft.json removed).
 */
void
ladle_session_save_tabs_async (LadleSession        *self,
                               GPtrArray           *requests,
                               guint                selected,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GPtrArray) tabs = NULL;

  g_return_if_fail (LADLE_IS_SESSION (self));
  g_return_if_fail (requests != NULL);

  tabs = tabs_of_requests (requests);
  ladle_session_save_tabs_full_async (self, tabs, selected, cancellable, callback, user_data);
}

/**
 * ladle_session_save_tabs_full_async:
 * @tabs: (element-type LadleSessionTab): the tabs, in order
 * @selected: the index of the selected one
 *
 * ladle_session_save_tabs_async() with each tab's origin; finished by
 * ladle_session_save_tabs_finish().
 */
void
ladle_session_save_tabs_full_async (LadleSession        *self,
                                    GPtrArray           *tabs,
                                    guint                selected,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(JsonNode) root = NULL;
  GTask *task;

  g_return_if_fail (LADLE_IS_SESSION (self));
  g_return_if_fail (tabs != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ladle_session_save_tabs_async);
  root = tabs_to_json (tabs, selected);
  ladle_json_store_save_async (self->tabs, root, NULL, tabs_saved_cb, task);
}

gboolean
ladle_session_save_tabs_finish (LadleSession  *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (LADLE_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * ladle_session_save_tabs:
 *
 * ladle_session_save_tabs_async(), blocking: for the few tabs at exit. It wins over the saves
 * asked for before.
 */
gboolean
ladle_session_save_tabs (LadleSession  *self,
                         GPtrArray     *requests,
                         guint          selected,
                         GError       **error)
{
  g_autoptr(GPtrArray) tabs = NULL;

  g_return_val_if_fail (LADLE_IS_SESSION (self), FALSE);
  g_return_val_if_fail (requests != NULL, FALSE);

  tabs = tabs_of_requests (requests);
  return ladle_session_save_tabs_full (self, tabs, selected, error);
}

/**
 * ladle_session_save_tabs_full:
 * @tabs: (element-type LadleSessionTab): the tabs, in order
 *
 * ladle_session_save_tabs() with each tab's origin.
 */
gboolean
ladle_session_save_tabs_full (LadleSession  *self,
                              GPtrArray     *tabs,
                              guint          selected,
                              GError       **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (LADLE_IS_SESSION (self), FALSE);
  g_return_val_if_fail (tabs != NULL, FALSE);

  root = tabs_to_json (tabs, selected);
  if (!ladle_json_store_save (self->tabs, root, NULL, error))
    return FALSE;
  if (!self->draft_gone && ladle_json_store_remove (self->draft, &local_error))
    self->draft_gone = TRUE;
  else if (local_error != NULL)
    g_debug ("%s", local_error->message);
  return TRUE;
}

/**
 * _ladle_session_parse_tabs:
 * @contents: the text of a tabs file
 * @out_selected: (out) (optional): the selected tab
 * @error: why it would be set aside
 *
 * What a load does with a tabs file's text, without the file: for tests and fuzzing.
 *
 * Returns: (transfer full) (nullable) (element-type LadleRequest): the tabs' requests, or %NULL
 *   with @error set
 */
GPtrArray *
_ladle_session_parse_tabs (const char  *contents,
                           gsize        length,
                           guint       *out_selected,
                           GError     **error)
{
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(Tabs) tabs = NULL;
  guint version = 0;

  root = _ladle_json_store_parse_versioned (contents, length, SESSION_VERSION, &version, error);
  if (root == NULL)
    return NULL;
  tabs = parse_tabs (root, version, NULL, error);
  if (tabs == NULL)
    return NULL;
  if (out_selected != NULL)
    *out_selected = tabs->selected;
  return requests_of_tabs (tabs->tabs);
}
