/* test-workspace.c
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

#include <glib/gstdio.h>

#include "ladle-error.h"
#include "ladle-http-vars.h"
#include "ladle-test-utils.h"
#include "ladle-workspace.h"

/* LadleWorkspace: a folder of .http files scanned in a worker, delivered in batches, watched,
 * and edited a request at a time without touching the other requests' bytes. */

typedef struct
{
  char           *dir;
  LadleWorkspace *workspace;
  GAsyncResult   *result;
  GPtrArray      *changed;    /* paths from "file-changed" */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = ladle_test_make_tmpdir ("ladle-workspace-XXXXXX");
  f->changed = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->result);
  if (f->workspace != NULL)
    g_assert_finalize_object (f->workspace);
  g_ptr_array_unref (f->changed);
  ladle_test_rm_rf (f->dir);
  g_free (f->dir);
}

static void
write_file (Fixture    *f,
            const char *relative,
            const char *text)
{
  g_autofree char *path = g_build_filename (f->dir, relative, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
}

static char *
read_file (Fixture    *f,
           const char *relative)
{
  g_autofree char *path = g_build_filename (f->dir, relative, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  return text;
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Fixture *f = user_data;

  f->result = g_object_ref (result);
}

static void
on_file_changed (LadleWorkspace *workspace,
                 const char     *path,
                 Fixture        *f)
{
  g_ptr_array_add (f->changed, g_strdup (path));
}

static void
load (Fixture *f,
      guint    max_depth,
      guint    max_files)
{
  g_autoptr(GError) error = NULL;

  f->workspace = ladle_workspace_new (f->dir);
  ladle_workspace_set_debounce (f->workspace, 50);
  if (max_depth > 0)
    ladle_workspace_set_limits (f->workspace, max_depth, max_files);
  g_signal_connect (f->workspace, "file-changed", G_CALLBACK (on_file_changed), f);
  ladle_workspace_load_async (f->workspace, NULL, result_cb, f);
  g_assert_true (ladle_workspace_get_loading (f->workspace));
  LADLE_TEST_WAIT_UNTIL (f->result != NULL, 10000);
  g_assert_true (ladle_workspace_load_finish (f->workspace, f->result, &error));
  g_assert_no_error (error);
  g_clear_object (&f->result);
  g_assert_false (ladle_workspace_get_loading (f->workspace));
}

/* The names of a folder's or file's children, joined with ",". */
static char *
child_names (LadleWorkspaceNode *node)
{
  GListModel *children = ladle_workspace_node_get_children (node);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (children); i++)
    {
      g_autoptr(LadleWorkspaceNode) child = g_list_model_get_item (children, i);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, ladle_workspace_node_get_name (child));
    }
  return g_string_free (out, FALSE);
}

static LadleWorkspaceNode *
child_at (LadleWorkspaceNode *node,
          guint               position)
{
  g_autoptr(LadleWorkspaceNode) child = g_list_model_get_item (ladle_workspace_node_get_children (node),
                                                               position);

  g_assert_nonnull (child);
  return child;   /* the store keeps it */
}

/* Whether the parser in this build reads requests (the core's .http parser). */
static gboolean
parser_reads_requests (void)
{
  g_autoptr(LadleHttpFile) file = ladle_http_file_parse (NULL, "GET http://a/\n", -1);

  return ladle_http_file_get_entries (file)->len == 1;
}

static void
test_scan (Fixture       *f,
           gconstpointer  data)
{
  LadleWorkspaceNode *root;
  g_autofree char *names = NULL;
  g_autofree char *sub_names = NULL;

  write_file (f, "b.http", "GET http://127.0.0.1/b\n");
  write_file (f, "a.rest", "GET http://127.0.0.1/a\n");
  write_file (f, "notes.txt", "not a request\n");
  write_file (f, "api/users.http", "GET http://127.0.0.1/users\n");
  write_file (f, "api/deeper/x.HTTP", "GET http://127.0.0.1/x\n");
  write_file (f, "empty/readme.md", "nothing here\n");
  write_file (f, ".hidden/secret.http", "GET http://127.0.0.1/hidden\n");
  write_file (f, ".git/y.http", "GET http://127.0.0.1/git\n");
  write_file (f, "node_modules/pkg/z.http", "GET http://127.0.0.1/z\n");

  load (f, 0, 0);
  root = ladle_workspace_get_root (f->workspace);
  g_assert_cmpint (ladle_workspace_node_get_kind (root), ==, LADLE_WORKSPACE_NODE_FOLDER);
  names = child_names (root);
  /* Folders first, then files in name order; folders without .http files left out. */
  g_assert_cmpstr (names, ==, "api,a.rest,b.http");
  sub_names = child_names (child_at (root, 0));
  g_assert_cmpstr (sub_names, ==, "deeper,users.http");
  g_assert_cmpuint (ladle_workspace_get_n_files (f->workspace), ==, 4);
  g_assert_null (ladle_workspace_get_warning (f->workspace));
  g_assert_cmpint (ladle_workspace_node_get_kind (child_at (root, 1)), ==,
                   LADLE_WORKSPACE_NODE_FILE);
  g_assert_nonnull (ladle_workspace_node_get_file (child_at (root, 1)));
  g_assert_true (ladle_workspace_node_get_parent (child_at (root, 1)) == root);
  g_assert_nonnull (ladle_workspace_find_file (f->workspace,
                                               ladle_workspace_node_get_path (child_at (root, 2))));

  if (parser_reads_requests ())
    {
      LadleWorkspaceNode *request = child_at (child_at (root, 2), 0);

      g_assert_cmpuint (ladle_workspace_get_n_requests (f->workspace), ==, 4);
      g_assert_cmpint (ladle_workspace_node_get_kind (request), ==, LADLE_WORKSPACE_NODE_REQUEST);
      g_assert_cmpstr (ladle_workspace_node_get_method (request), ==, "GET");
      g_assert_cmpstr (ladle_workspace_node_get_url (request), ==, "http://127.0.0.1/b");
      g_assert_cmpstr (ladle_workspace_node_get_name (request), ==, "GET http://127.0.0.1/b");
    }
}

static void
test_not_a_folder (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (f->dir, "missing", NULL);
  g_autoptr(GError) error = NULL;

  f->workspace = ladle_workspace_new (missing);
  ladle_workspace_load_async (f->workspace, NULL, result_cb, f);
  LADLE_TEST_WAIT_UNTIL (f->result != NULL, 10000);
  g_assert_false (ladle_workspace_load_finish (f->workspace, f->result, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, missing));
  g_assert_false (ladle_workspace_get_loading (f->workspace));
}

static void
test_limits (Fixture       *f,
             gconstpointer  data)
{
  GString *deep = g_string_new (NULL);
  LadleWorkspaceNode *root;

  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *name = g_strdup_printf ("f%02u.http", i);

      write_file (f, name, "GET http://127.0.0.1/\n");
    }
  for (guint i = 0; i < 8; i++)
    g_string_append (deep, "d/");
  g_string_append (deep, "deep.http");
  write_file (f, deep->str, "GET http://127.0.0.1/\n");
  g_string_free (deep, TRUE);

  /* Too deep: the deep file is not shown, with a message. */
  load (f, 4, 100);
  root = ladle_workspace_get_root (f->workspace);
  g_assert_cmpuint (ladle_workspace_get_n_files (f->workspace), ==, 10);
  g_assert_nonnull (ladle_workspace_get_warning (f->workspace));
  g_assert_nonnull (strstr (ladle_workspace_get_warning (f->workspace), "4 levels"));
  g_assert_cmpuint (g_list_model_get_n_items (ladle_workspace_node_get_children (root)), ==, 10);
  g_assert_finalize_object (g_steal_pointer (&f->workspace));

  /* Too many: the first ones are shown, with a message. */
  load (f, 32, 5);
  g_assert_cmpuint (ladle_workspace_get_n_files (f->workspace), ==, 5);
  g_assert_nonnull (strstr (ladle_workspace_get_warning (f->workspace), "first 5 files"));
}

static void
test_symlink_loop (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *link = g_build_filename (f->dir, "a", "loop", NULL);
  g_autofree char *self_link = g_build_filename (f->dir, "a", "self", NULL);
  g_autofree char *names = NULL;

  write_file (f, "a/r.http", "GET http://127.0.0.1/\n");
  g_assert_cmpint (symlink (f->dir, link), ==, 0);
  g_assert_cmpint (symlink (".", self_link), ==, 0);
  load (f, 0, 0);
  /* Each folder is scanned once. */
  g_assert_cmpuint (ladle_workspace_get_n_files (f->workspace), ==, 1);
  names = child_names (child_at (ladle_workspace_get_root (f->workspace), 0));
  g_assert_cmpstr (names, ==, "r.http");
}

static gboolean
changed_has (Fixture    *f,
             const char *relative)
{
  g_autofree char *path = g_build_filename (f->dir, relative, NULL);

  for (guint i = 0; i < f->changed->len; i++)
    if (strcmp (g_ptr_array_index (f->changed, i), path) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
root_names_are (Fixture    *f,
                const char *expected)
{
  g_autofree char *names = child_names (ladle_workspace_get_root (f->workspace));

  return strcmp (names, expected) == 0;
}

static void
test_external_change (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *a_path = g_build_filename (f->dir, "a.http", NULL);
  LadleWorkspaceNode *a;
  LadleHttpFile *before;

  write_file (f, "a.http", "GET http://127.0.0.1/a\n");
  load (f, 0, 0);
  g_assert_true (root_names_are (f, "a.http"));
  a = ladle_workspace_find_file (f->workspace, a_path);
  before = ladle_workspace_node_get_file (a);

  /* A new file appears, a new folder with a file appears, a file changes: within 5 s. */
  write_file (f, "b.http", "GET http://127.0.0.1/b\n");
  write_file (f, "sub/c.http", "GET http://127.0.0.1/c\n");
  LADLE_TEST_WAIT_UNTIL (root_names_are (f, "sub,a.http,b.http"), 5000);
  g_assert_true (changed_has (f, "b.http"));

  write_file (f, "a.http", "GET http://127.0.0.1/a-changed-and-longer\n");
  LADLE_TEST_WAIT_UNTIL (changed_has (f, "a.http"), 5000);
  /* The node stays (the view keeps its place), with the new text. */
  g_assert_true (ladle_workspace_find_file (f->workspace, a_path) == a);
  g_assert_true (ladle_workspace_node_get_file (a) != before);
  {
    GBytes *text = ladle_http_file_get_text (ladle_workspace_node_get_file (a));

    g_assert_cmpuint (g_bytes_get_size (text), ==, strlen ("GET http://127.0.0.1/a-changed-and-longer\n"));
  }

  /* A file goes away. */
  g_ptr_array_set_size (f->changed, 0);
  g_assert_cmpint (g_unlink (a_path), ==, 0);
  LADLE_TEST_WAIT_UNTIL (root_names_are (f, "sub,b.http"), 5000);
  g_assert_true (changed_has (f, "a.http"));
  g_assert_cmpuint (ladle_workspace_get_n_files (f->workspace), ==, 2);

  /* A change inside the new folder is seen too (its monitor was set up). */
  write_file (f, "sub/d.http", "GET http://127.0.0.1/d\n");
  LADLE_TEST_WAIT_UNTIL (ladle_workspace_get_n_files (f->workspace) == 3, 5000);
}

static void
test_new_file (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LadleWorkspaceNode *node;
  g_autofree char *path = g_build_filename (f->dir, "new.http", NULL);

  write_file (f, "z.http", "GET http://127.0.0.1/z\n");
  load (f, 0, 0);
  node = ladle_workspace_new_file (f->workspace, NULL, "new", &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_assert_cmpstr (ladle_workspace_node_get_path (node), ==, path);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_true (root_names_are (f, "new.http,z.http"));

  /* Not twice, and no odd names. */
  g_assert_null (ladle_workspace_new_file (f->workspace, NULL, "new.http", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_null (ladle_workspace_new_file (f->workspace, NULL, "../x", &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
}

#define THREE \
  "@host = http://127.0.0.1\n" \
  "\n" \
  "### first\n" \
  "GET {{host}}/one\n" \
  "X-A: 1\n" \
  "\n" \
  "### second\n" \
  "# a comment the model does not keep\n" \
  "POST {{host}}/two\n" \
  "Content-Type: application/json\n" \
  "\n" \
  "{\"x\": 1}\n" \
  "\n" \
  "### third\n" \
  "GET {{host}}/three\n"

/* The bytes of @text outside [@start, @end) and those of @other outside [@ostart, @oend) are
 * the same. */
static void
assert_same_outside (const char *text,
                     gsize       start,
                     gsize       end,
                     const char *other,
                     gsize       other_start,
                     gsize       other_end)
{
  g_assert_cmpuint (start, ==, other_start);
  g_assert_cmpint (memcmp (text, other, start), ==, 0);
  g_assert_cmpuint (strlen (text) - end, ==, strlen (other) - other_end);
  g_assert_cmpstr (text + end, ==, other + other_end);
}

static void
test_operations (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LadleWorkspaceNode *file_node;
  LadleWorkspaceNode *other_node;
  g_autofree char *path = g_build_filename (f->dir, "three.http", NULL);
  g_autofree char *removed = NULL;
  GPtrArray *entries;
  gsize second_start, second_end;

  if (!parser_reads_requests ())
    {
      g_test_skip ("the .http parser of this build reads no requests");
      return;
    }

  write_file (f, "three.http", THREE);
  write_file (f, "other.http", "GET http://127.0.0.1/other\n");
  load (f, 0, 0);
  file_node = ladle_workspace_find_file (f->workspace, path);
  g_assert_nonnull (file_node);
  g_assert_cmpuint (g_list_model_get_n_items (ladle_workspace_node_get_children (file_node)), ==, 3);
  entries = ladle_http_file_get_entries (ladle_workspace_node_get_file (file_node));
  second_start = ((LadleHttpEntry *) g_ptr_array_index (entries, 1))->start;
  second_end = ((LadleHttpEntry *) g_ptr_array_index (entries, 1))->end;

  /* Rename: only the second request's bytes change. */
  g_assert_true (ladle_workspace_rename_request (f->workspace, child_at (file_node, 1), "renamed",
                                                 &error));
  g_assert_no_error (error);
  {
    g_autofree char *text = read_file (f, "three.http");
    LadleHttpEntry *entry;

    entries = ladle_http_file_get_entries (ladle_workspace_node_get_file (file_node));
    entry = g_ptr_array_index (entries, 1);
    g_assert_cmpstr (entry->name, ==, "renamed");
    g_assert_cmpstr (ladle_workspace_node_get_name (child_at (file_node, 1)), ==, "renamed");
    assert_same_outside (THREE, second_start, second_end, text, entry->start, entry->end);
    g_assert_nonnull (strstr (text, "POST {{host}}/two"));
  }

  /* Duplicate: a copy after it, the others untouched. */
  g_assert_true (ladle_workspace_duplicate_request (f->workspace, child_at (file_node, 1), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (ladle_workspace_node_get_children (file_node)), ==, 4);
  g_assert_cmpstr (ladle_workspace_node_get_name (child_at (file_node, 2)), ==, "renamed copy");
  g_assert_cmpstr (ladle_workspace_node_get_url (child_at (file_node, 2)), ==, "{{host}}/two");

  /* Delete and undo: the file comes back byte for byte. */
  {
    g_autofree char *before = read_file (f, "three.http");
    g_autofree char *after = NULL;
    g_autofree char *restored = NULL;

    removed = ladle_workspace_delete_request (f->workspace, child_at (file_node, 2), &error);
    g_assert_no_error (error);
    g_assert_nonnull (removed);
    g_assert_cmpuint (g_list_model_get_n_items (ladle_workspace_node_get_children (file_node)), ==, 3);
    after = read_file (f, "three.http");
    g_assert_null (strstr (after, "renamed copy"));
    g_assert_true (ladle_workspace_insert_text (f->workspace, file_node, 2, removed, &error));
    g_assert_no_error (error);
    restored = read_file (f, "three.http");
    g_assert_cmpstr (restored, ==, before);
  }

  /* Move within the file: third to first; the bytes of each request move whole. */
  {
    g_autofree char *third = ladle_workspace_dup_entry_text (ladle_workspace_node_get_file (file_node), 3);
    g_autofree char *text = NULL;

    g_assert_true (ladle_workspace_move_request (f->workspace, child_at (file_node, 3), file_node,
                                                 0, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (ladle_workspace_node_get_name (child_at (file_node, 0)), ==, "third");
    text = read_file (f, "three.http");
    g_assert_nonnull (strstr (text, third));
  }

  /* Move across files. */
  other_node = ladle_workspace_find_file (f->workspace,
                                          ladle_workspace_node_get_path (child_at (ladle_workspace_get_root (f->workspace), 0)));
  g_assert_true (ladle_workspace_move_request (f->workspace, child_at (file_node, 0), other_node,
                                               1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (ladle_workspace_node_get_children (file_node)), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (ladle_workspace_node_get_children (other_node)), ==, 2);
  g_assert_cmpstr (ladle_workspace_node_get_name (child_at (other_node, 1)), ==, "third");
  {
    g_autofree char *text = read_file (f, "other.http");

    g_assert_true (g_str_has_prefix (text, "GET http://127.0.0.1/other\n"));
  }

  /* Append a new request. */
  {
    g_autoptr(LadleHttpEntry) entry = ladle_http_entry_new ();
    int index;

    g_free (entry->url);
    entry->url = g_strdup ("{{host}}/new");
    index = ladle_workspace_append_entry (f->workspace, file_node, entry, &error);
    g_assert_no_error (error);
    g_assert_cmpint (index, ==, 3);
    g_assert_cmpstr (ladle_workspace_node_get_url (child_at (file_node, 3)), ==, "{{host}}/new");
  }

  /* None of these writes came back as an external change. */
  {
    gint64 deadline = g_get_monotonic_time () + 300 * 1000;

    while (g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
    g_assert_cmpuint (f->changed->len, ==, 0);
  }
}

/* A file whose last line has no line break: an appended request starts on a line of its own,
 * and the old bytes stay. */
static void
test_append_no_newline (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "a.http", NULL);
  g_autoptr(LadleHttpEntry) entry = ladle_http_entry_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  LadleWorkspaceNode *file_node;

  if (!parser_reads_requests ())
    {
      g_test_skip ("the .http parser of this build reads no requests");
      return;
    }
  write_file (f, "a.http", "GET http://127.0.0.1/x");
  load (f, 0, 0);
  file_node = ladle_workspace_find_file (f->workspace, path);
  g_free (entry->url);
  entry->url = g_strdup ("http://127.0.0.1/y");
  entry->name = g_strdup ("y");
  g_assert_cmpint (ladle_workspace_append_entry (f->workspace, file_node, entry, &error), ==, 1);
  g_assert_no_error (error);
  text = read_file (f, "a.http");
  g_assert_true (g_str_has_prefix (text, "GET http://127.0.0.1/x\n### y\n"));
  g_assert_cmpstr (ladle_workspace_node_get_url (child_at (file_node, 1)), ==, "http://127.0.0.1/y");
}

/* What a tab shows of a request of a file: issue 14's directives on the Options page, the Digest
 * and OAuth 2.0 shorthands on the Auth page (not as headers), each as written; saved unedited it
 * sends the same request, and edits on those pages are what is written. */
static void
test_entry_to_request (Fixture       *f,
                       gconstpointer  data)
{
  static const char text[] =
    "@oauth2_usePkce = true\n"
    "# @proxy http://{{proxyHost}}\n"
    "# @proxy-user me:{{proxyPass}}\n"
    "# @no-proxy localhost,.internal\n"
    "# @http1.1\n"
    "# @cert certs/client.pem\n"
    "# @key certs/client.key\n"
    "# @cert-passphrase {{certPass}}\n"
    "# @cacert ca.pem\n"
    "# @insecure\n"
    "GET https://api.example.com/\n"
    "X-Api-Key: {{key}}\n"
    "Authorization: oauth2 code job\n";
  g_autofree char *path = g_build_filename (f->dir, "api.http", NULL);
  g_autofree char *cert = g_build_filename (f->dir, "certs", "client.pem", NULL);
  g_autoptr(LadleHttpFile) file = ladle_http_file_parse (path, text, -1);
  g_autoptr(LadleHttpScope) scope = ladle_http_scope_new (NULL, NULL);
  const LadleHttpEntry *entry;
  g_autoptr(LadleRequest) request = NULL;
  g_autoptr(LadleRequest) direct = NULL;
  g_autoptr(LadleRequest) sent = NULL;
  g_autoptr(LadleHttpEntry) saved = NULL;
  g_autoptr(LadleHttpEntry) edited = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *edited_text = NULL;
  GListModel *headers;

  if (!parser_reads_requests ())
    {
      g_test_skip ("the .http parser of this build reads no requests");
      return;
    }
  g_assert_cmpuint (ladle_http_file_get_entries (file)->len, ==, 1);
  entry = g_ptr_array_index (ladle_http_file_get_entries (file), 0);

  request = ladle_workspace_entry_to_request (entry);
  g_assert_cmpint (ladle_request_get_proxy_mode (request), ==, LADLE_PROXY_MANUAL);
  g_assert_cmpstr (ladle_request_get_proxy_url (request), ==, "http://{{proxyHost}}");
  g_assert_cmpstr (ladle_request_get_proxy_username (request), ==, "me");
  g_assert_cmpstr (ladle_request_get_proxy_password (request), ==, "{{proxyPass}}");
  g_assert_cmpstr (ladle_request_get_no_proxy (request), ==, "localhost,.internal");
  g_assert_cmpint (ladle_request_get_http_version (request), ==, LADLE_HTTP_VERSION_1_1);
  g_assert_cmpstr (ladle_request_get_tls_cert_file (request), ==, "certs/client.pem");
  g_assert_cmpstr (ladle_request_get_tls_key_file (request), ==, "certs/client.key");
  g_assert_cmpstr (ladle_request_get_tls_cert_password (request), ==, "{{certPass}}");
  g_assert_cmpstr (ladle_request_get_tls_ca_file (request), ==, "ca.pem");
  g_assert_false (ladle_request_get_verify_tls (request));
  g_assert_cmpint (ladle_request_get_auth_kind (request), ==, LADLE_AUTH_OAUTH2);
  g_assert_cmpint (ladle_request_get_oauth2_grant (request), ==,
                   LADLE_OAUTH2_GRANT_AUTHORIZATION_CODE);
  g_assert_cmpstr (ladle_request_get_oauth2_token_url (request), ==, "{{job_tokenEndpoint}}");
  g_assert_cmpstr (ladle_request_get_oauth2_auth_url (request), ==,
                   "{{job_authorizationEndpoint}}");
  g_assert_cmpstr (ladle_request_get_oauth2_client_secret (request), ==, "{{job_clientSecret}}");
  g_assert_true (ladle_request_get_oauth2_pkce (request));
  headers = G_LIST_MODEL (ladle_request_get_headers (request));
  g_assert_cmpuint (g_list_model_get_n_items (headers), ==, 1);

  /* Saved unedited, it sends what the file sends */
  ladle_http_scope_set_override (scope, "proxyHost", "127.0.0.1:3128");
  ladle_http_scope_set_override (scope, "proxyPass", "pp");
  ladle_http_scope_set_override (scope, "certPass", "cp");
  ladle_http_scope_set_override (scope, "key", "k");
  ladle_http_scope_set_override (scope, "job_tokenEndpoint", "http://127.0.0.1:9/token");
  ladle_http_scope_set_override (scope, "oauth2_authorizationEndpoint", "http://127.0.0.1:9/auth");
  ladle_http_scope_set_override (scope, "job_clientId", "job-app");
  ladle_http_scope_set_override (scope, "oauth2_clientSecret", "s3cret");
  saved = ladle_workspace_entry_from_request (request, entry, NULL);
  sent = ladle_http_scope_build_request (scope, file, saved, &error);
  g_assert_no_error (error);
  direct = ladle_http_scope_build_request (scope, file, entry, &error);
  g_assert_no_error (error);
  {
    g_autoptr(JsonNode) a = ladle_request_to_json (sent);
    g_autoptr(JsonNode) b = ladle_request_to_json (direct);
    g_autofree char *ja = json_to_string (a, FALSE);
    g_autofree char *jb = json_to_string (b, FALSE);

    g_assert_cmpstr (ja, ==, jb);
  }
  g_assert_cmpstr (ladle_request_get_oauth2_auth_url (sent), ==, "http://127.0.0.1:9/auth");
  g_assert_cmpstr (ladle_request_get_oauth2_client_id (sent), ==, "job-app");
  g_assert_cmpstr (ladle_request_get_tls_cert_file (sent), ==, cert);

  /* Edited on the Options and Auth pages: what is written */
  ladle_request_set_proxy_mode (request, LADLE_PROXY_NONE);
  ladle_request_set_verify_tls (request, TRUE);
  ladle_request_set_tls_ca_file (request, NULL);
  ladle_request_set_oauth2_pkce (request, FALSE);
  ladle_request_set_oauth2_client_id (request, "other");
  edited = ladle_workspace_entry_from_request (request, entry, NULL);
  edited_text = ladle_http_entry_format_checked (edited, "\n", &error);
  g_assert_no_error (error);
  g_test_message ("%s", edited_text);
  g_assert_null (strstr (edited_text, "@proxy "));
  g_assert_null (strstr (edited_text, "@proxy-user"));
  g_assert_null (strstr (edited_text, "@insecure"));
  g_assert_null (strstr (edited_text, "@cacert"));
  g_assert_null (strstr (edited_text, "usePkce"));
  g_assert_nonnull (strstr (edited_text, "# @no-proxy\n"));
  g_assert_nonnull (strstr (edited_text, "@job_clientId = other\n"));
  g_assert_nonnull (strstr (edited_text, "Authorization: oauth2 authorization_code job\n"));
  g_assert_null (strstr (edited_text, "s3cret"));

  /* @key without @cert (an error when sent) is kept as written, not dropped */
  {
    g_autoptr(LadleHttpFile) alone = ladle_http_file_parse (path, "# @key k.pem\n"
                                                            "GET http://127.0.0.1/\n", -1);
    const LadleHttpEntry *first = g_ptr_array_index (ladle_http_file_get_entries (alone), 0);
    g_autoptr(LadleRequest) shown = ladle_workspace_entry_to_request (first);
    g_autoptr(LadleHttpEntry) back = ladle_workspace_entry_from_request (shown, first, NULL);

    g_assert_cmpstr (ladle_http_entry_get_directive (back, "key"), ==, "k.pem");
  }

  /* Digest as the Auth page's */
  {
    g_autoptr(LadleHttpFile) digest = ladle_http_file_parse (path, "GET http://127.0.0.1/\n"
                                                             "Authorization: Digest {{u}} {{p}}\n",
                                                             -1);
    g_autoptr(LadleRequest) shown = NULL;

    shown = ladle_workspace_entry_to_request (g_ptr_array_index (ladle_http_file_get_entries (digest), 0));
    g_assert_cmpint (ladle_request_get_auth_kind (shown), ==, LADLE_AUTH_DIGEST);
    g_assert_cmpstr (ladle_request_get_auth_username (shown), ==, "{{u}}");
    g_assert_cmpstr (ladle_request_get_auth_password (shown), ==, "{{p}}");
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ladle_request_get_headers (shown))),
                      ==, 0);
  }
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/ladle/workspace/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("scan", test_scan);
  ADD ("not-a-folder", test_not_a_folder);
  ADD ("limits", test_limits);
  ADD ("symlink-loop", test_symlink_loop);
  ADD ("external-change", test_external_change);
  ADD ("new-file", test_new_file);
  ADD ("operations", test_operations);
  ADD ("append-no-newline", test_append_no_newline);
  ADD ("entry-to-request", test_entry_to_request);
#undef ADD

  return ladle_test_run ();
}
