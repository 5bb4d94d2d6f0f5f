/* test-json-store.c
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
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ladle-error.h"
#include "ladle-json-store-private.h"
#include "ladle-test-utils.h"

typedef struct
{
  char           *dir;
  LadleJsonStore *store;
  mode_t          umask;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  /* Modes are checked: the usual umask, whatever the runner's. */
  f->umask = umask (022);
  f->dir = ladle_test_make_tmpdir ("ladle-json-store-XXXXXX");
  f->store = ladle_json_store_new (f->dir, "file.json", 2, LADLE_JSON_STORE_DEFAULT);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->store);
  g_chmod (f->dir, 0700);
  ladle_test_rm_rf (f->dir);
  g_free (f->dir);
  umask (f->umask);
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **result)
{
  LADLE_TEST_WAIT_UNTIL (*result != NULL, 5000);
  return g_steal_pointer (result);
}

static JsonNode *
document (guint       version,
          const char *text)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, version);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static char **
list_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

static char *
read_text (const char *path)
{
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return contents;
}

static gboolean
save (LadleJsonStore  *store,
      JsonNode        *root,
      char           **set_aside,
      GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  ladle_json_store_save_async (store, root, NULL, result_cb, &slot);
  result = wait_result (&slot);
  return ladle_json_store_save_finish (store, result, set_aside, error);
}

static gpointer
load (LadleJsonStore          *store,
      LadleJsonStoreParseFunc  parse,
      gpointer                 user_data,
      char                   **set_aside,
      GError                 **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  ladle_json_store_load_async (store, parse, user_data, NULL,
                               parse != NULL ? g_free : NULL, NULL, result_cb, &slot);
  result = wait_result (&slot);
  return ladle_json_store_load_finish (store, result, set_aside, error);
}

static const char *
text_member (JsonObject *object)
{
  return json_object_get_string_member (object, "text");
}

/* Saved and loaded back; folder and file modes; nothing else in the folder. */
static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *nested = g_build_filename (f->dir, "a", "b", NULL);
  g_autoptr(LadleJsonStore) store = ladle_json_store_new (nested, "file.json", 2,
                                                          LADLE_JSON_STORE_DEFAULT);
  g_autoptr(JsonNode) root = document (2, "привет");
  g_autoptr(JsonObject) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *set_aside = NULL;
  g_autofree char *text = NULL;
  g_autofree char *parent = g_build_filename (f->dir, "a", NULL);
  g_auto(GStrv) names = NULL;
  GStatBuf st;

  g_assert_cmpstr (ladle_json_store_get_folder (store), ==, nested);
  g_assert_true (g_str_has_suffix (ladle_json_store_get_path (store), "/a/b/file.json"));
  g_assert_cmpuint (ladle_json_store_get_version (store), ==, 2);

  /* Nothing yet: no value, no error, nothing made. */
  g_assert_null (load (store, NULL, NULL, &set_aside, &error));
  g_assert_no_error (error);
  g_assert_null (set_aside);
  g_assert_false (g_file_test (nested, G_FILE_TEST_EXISTS));

  g_assert_true (save (store, root, &set_aside, &error));
  g_assert_no_error (error);
  g_assert_null (set_aside);

  g_assert_cmpint (g_stat (parent, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (nested, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (ladle_json_store_get_path (store), &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, 0600);
  names = list_dir (nested);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, "file.json");
  text = read_text (ladle_json_store_get_path (store));
  g_assert_true (g_str_has_prefix (text, "{\n  \"version\" : 2,"));
  g_assert_true (g_str_has_suffix (text, "}\n"));

  loaded = load (store, NULL, NULL, &set_aside, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpstr (text_member (loaded), ==, "привет");

  /* An older version loads too. */
  g_clear_pointer (&loaded, json_object_unref);
  g_clear_pointer (&root, json_node_unref);
  root = document (1, "old");
  g_assert_true (ladle_json_store_save (store, root, NULL, &error));
  loaded = load (store, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text_member (loaded), ==, "old");
}

/* A save replaces the file by renaming a new one over it: never a half-written old one. */
static void
test_atomic (Fixture       *f,
             gconstpointer  data)
{
  const char *path = ladle_json_store_get_path (f->store);
  g_autoptr(JsonNode) root = document (2, "new");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) names = NULL;
  GStatBuf before, after;

  g_assert_true (g_file_set_contents (path, "{\"version\": 1, \"text\": \"old\"}", -1, NULL));
  g_assert_cmpint (g_stat (path, &before), ==, 0);
  g_assert_nonnull (load (f->store, NULL, NULL, NULL, &error));
  g_assert_true (save (f->store, root, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &after), ==, 0);
  g_assert_cmpuint (before.st_ino, !=, after.st_ino);
  text = read_text (path);
  g_assert_nonnull (strstr (text, "\"new\""));
  names = list_dir (f->dir);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
}

/* A build function that counts its calls and can be held until the test lets it go. */
typedef struct
{
  GMutex    mutex;
  GCond     cond;
  gboolean  hold;
  gboolean  held;      /* a worker is waiting in build */
  guint     builds;
} Gate;

typedef struct
{
  Gate     *gate;
  char     *text;
} Snapshot;

static void
snapshot_free (Snapshot *snapshot)
{
  g_free (snapshot->text);
  g_free (snapshot);
}

static JsonNode *
gated_build (gpointer data)
{
  Snapshot *snapshot = data;
  Gate *gate = snapshot->gate;

  g_mutex_lock (&gate->mutex);
  gate->builds++;
  gate->held = gate->hold;
  g_cond_broadcast (&gate->cond);
  while (gate->hold)
    g_cond_wait (&gate->cond, &gate->mutex);
  gate->held = FALSE;
  g_mutex_unlock (&gate->mutex);

  return document (2, snapshot->text);
}

static void
save_gated (LadleJsonStore *store,
            Gate           *gate,
            const char     *text,
            GAsyncResult  **slot)
{
  Snapshot *snapshot = g_new0 (Snapshot, 1);

  snapshot->gate = gate;
  snapshot->text = g_strdup (text);
  ladle_json_store_save_snapshot_async (store, snapshot, gated_build,
                                        (GDestroyNotify) snapshot_free, NULL, result_cb, slot);
}

static void
gate_wait_held (Gate *gate)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  g_mutex_lock (&gate->mutex);
  while (!gate->held)
    g_assert_true (g_cond_wait_until (&gate->cond, &gate->mutex, deadline));
  g_mutex_unlock (&gate->mutex);
}

static void
gate_open (Gate *gate)
{
  g_mutex_lock (&gate->mutex);
  gate->hold = FALSE;
  g_cond_broadcast (&gate->cond);
  g_mutex_unlock (&gate->mutex);
}

/* Saves asked for while one is written: one more write, of the newest; all of them succeed. */
static void
test_coalesce (Fixture       *f,
               gconstpointer  data)
{
  static const char *texts[] = { "first", "second", "third", "fourth" };
  GAsyncResult *slots[G_N_ELEMENTS (texts)] = { NULL, };
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  Gate gate = { .hold = TRUE };

  g_mutex_init (&gate.mutex);
  g_cond_init (&gate.cond);

  save_gated (f->store, &gate, texts[0], &slots[0]);
  gate_wait_held (&gate);
  for (guint i = 1; i < G_N_ELEMENTS (texts); i++)
    save_gated (f->store, &gate, texts[i], &slots[i]);
  gate_open (&gate);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GAsyncResult) result = wait_result (&slots[i]);

      g_assert_true (ladle_json_store_save_finish (f->store, result, NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (gate.builds, ==, 2);
  text = read_text (ladle_json_store_get_path (f->store));
  g_assert_nonnull (strstr (text, "\"fourth\""));

  g_mutex_clear (&gate.mutex);
  g_cond_clear (&gate.cond);
}

/* The blocking calls for shutdown: a flush writes the newest content asked for, and a blocking
 * save wins over earlier saves. */
static void
test_flush (Fixture       *f,
            gconstpointer  data)
{
  const char *path = ladle_json_store_get_path (f->store);
  GAsyncResult *first = NULL;
  GAsyncResult *second = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  Gate gate = { .hold = TRUE };

  g_mutex_init (&gate.mutex);
  g_cond_init (&gate.cond);

  /* Nothing asked for: nothing to do. */
  g_assert_true (ladle_json_store_flush (f->store, &error));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  save_gated (f->store, &gate, "written by the worker", &first);
  gate_wait_held (&gate);
  save_gated (f->store, &gate, "written by the flush", &second);
  gate_open (&gate);
  g_assert_true (ladle_json_store_flush (f->store, &error));
  g_assert_no_error (error);
  text = read_text (path);
  g_assert_nonnull (strstr (text, "written by the flush"));
  result = wait_result (&first);
  g_assert_true (ladle_json_store_save_finish (f->store, result, NULL, &error));
  g_clear_object (&result);
  result = wait_result (&second);
  g_assert_true (ladle_json_store_save_finish (f->store, result, NULL, &error));
  g_clear_object (&result);
  /* The second write was overtaken by the flush: built once, by it. */
  g_assert_cmpuint (gate.builds, ==, 2);
  g_clear_pointer (&text, g_free);
  text = read_text (path);
  g_assert_nonnull (strstr (text, "written by the flush"));

  /* An earlier save that reaches a worker after a blocking one writes nothing. */
  save_gated (f->store, &gate, "earlier", &first);
  root = document (2, "blocking");
  g_assert_true (ladle_json_store_save (f->store, root, NULL, &error));
  g_assert_no_error (error);
  result = wait_result (&first);
  g_assert_true (ladle_json_store_save_finish (f->store, result, NULL, &error));
  g_clear_pointer (&text, g_free);
  text = read_text (path);
  g_assert_nonnull (strstr (text, "\"blocking\""));

  g_mutex_clear (&gate.mutex);
  g_cond_clear (&gate.cond);
}

/* @contents in the file: the load fails with a message containing @reason, and the file is set
 * aside whole under NAME.corrupt-STAMP, a name of its own each time. */
static void
check_set_aside (Fixture    *f,
                 const char *contents,
                 gssize      length,
                 const char *reason)
{
  const char *path = ladle_json_store_get_path (f->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = document (2, "after");
  g_autofree char *set_aside = NULL;
  g_autofree char *second = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *expected = g_strconcat (path, ".corrupt-", NULL);
  g_auto(GStrv) names = NULL;
  gsize kept_length = 0;

  if (length < 0)
    length = strlen (contents);
  g_assert_true (g_file_set_contents (path, contents, length, NULL));
  g_assert_null (load (f->store, NULL, NULL, &set_aside, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, reason));
  g_assert_nonnull (set_aside);
  g_assert_true (g_str_has_prefix (set_aside, expected));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (set_aside, &kept, &kept_length, NULL));
  g_assert_cmpmem (kept, kept_length, contents, length);
  g_clear_error (&error);

  /* Saving afterwards writes a new file and leaves the set-aside one alone. */
  g_assert_true (save (f->store, root, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&kept, g_free);
  g_assert_true (g_file_get_contents (set_aside, &kept, &kept_length, NULL));
  g_assert_cmpmem (kept, kept_length, contents, length);

  /* Damaged again, in the same second: another name. */
  g_assert_true (g_file_set_contents (path, contents, length, NULL));
  g_clear_error (&error);
  g_assert_null (load (f->store, NULL, NULL, &second, &error));
  g_assert_nonnull (second);
  g_assert_cmpstr (second, !=, set_aside);
  names = list_dir (f->dir);
  g_assert_cmpuint (g_strv_length (names), ==, 2);

  g_assert_cmpint (g_unlink (set_aside), ==, 0);
  g_assert_cmpint (g_unlink (second), ==, 0);
}

static char *
deep_file (void)
{
  GString *s = g_string_new ("{\"version\": 1, \"text\": ");

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (s, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (s, ']');
  g_string_append (s, "}");
  return g_string_free (s, FALSE);
}

static gpointer
refuse_parse (JsonObject  *root,
              guint        version,
              gpointer     user_data,
              GError     **error)
{
  g_assert_cmpuint (version, ==, 1);
  g_assert_cmpstr (user_data, ==, "data");
  g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, "Entry %d is not valid", 3);
  return NULL;
}

static void
test_set_aside (Fixture       *f,
                gconstpointer  data)
{
  static const char binary[] = "{\"version\": 1, \xff\xfe\0 \"text\": 1}";
  g_autofree char *deep = deep_file ();

  check_set_aside (f, "{\"version\": 1, \"text\": [ not json", -1, "");
  check_set_aside (f, binary, sizeof binary - 1, "");
  check_set_aside (f, deep, -1, "nest more than 512 levels deep");
  check_set_aside (f, "[1, 2]", -1, "Not a Ladle file");
  check_set_aside (f, "", -1, "Not a Ladle file");
  check_set_aside (f, "{\"text\": \"no version\"}", -1, "No version");
  check_set_aside (f, "{\"version\": \"1\"}", -1, "No version");
  check_set_aside (f, "{\"version\": 0}", -1, "Unknown version 0");
  /* Written by a newer Ladle: not read, not overwritten either. */
  check_set_aside (f, "{\"version\": 3, \"text\": \"from the future\"}", -1,
                   "Written by a newer version of Ladle (file version 3)");
  check_set_aside (f, "{\"version\": 99999999999, \"text\": \"x\"}", -1, "file version 99999999999");

  /* The parse function's own refusal. */
  {
    const char *path = ladle_json_store_get_path (f->store);
    g_autoptr(GError) error = NULL;
    g_autofree char *set_aside = NULL;

    g_assert_true (g_file_set_contents (path, "{\"version\": 1}", -1, NULL));
    g_assert_null (load (f->store, refuse_parse, (gpointer) "data", &set_aside, &error));
    g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
    g_assert_cmpstr (error->message, ==, "Entry 3 is not valid");
    g_assert_nonnull (set_aside);
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    g_assert_true (g_file_test (set_aside, G_FILE_TEST_IS_REGULAR));
  }
}

/* A FIFO or a folder where the file should be is refused without blocking, and set aside. */
static void
test_not_regular (Fixture       *f,
                  gconstpointer  data)
{
  const char *path = ladle_json_store_get_path (f->store);
  g_autoptr(GError) error = NULL;
  g_autofree char *set_aside = NULL;
  GStatBuf st;

  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  g_assert_null (load (f->store, NULL, NULL, &set_aside, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "not a regular file"));
  g_assert_nonnull (set_aside);
  g_assert_cmpint (g_lstat (set_aside, &st), ==, 0);
  g_assert_true (S_ISFIFO (st.st_mode));
}

/* Above the store's size limit: refused before it is read, and set aside. */
static void
test_max_size (Fixture       *f,
               gconstpointer  data)
{
  const char *path = ladle_json_store_get_path (f->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) loaded = NULL;
  g_autofree char *set_aside = NULL;
  static const char text[] = "{\"version\": 1, \"text\": \"0123456789\"}";

  ladle_json_store_set_max_size (f->store, sizeof text - 1);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  loaded = load (f->store, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);

  ladle_json_store_set_max_size (f->store, sizeof text - 2);
  g_assert_null (load (f->store, NULL, NULL, &set_aside, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_TOO_LARGE);
  g_assert_nonnull (set_aside);
}

/* A store for a file the user edits: a file that does not load stays, to be mended and loaded
 * again, until a save sets it aside and says so. */
static void
test_set_aside_on_save (Fixture       *f,
                        gconstpointer  data)
{
  static const char broken[] = "{\"version\": 1, \"text\": ";
  g_autoptr(LadleJsonStore) store = ladle_json_store_new (f->dir, "edited.json", 1,
                                                          LADLE_JSON_STORE_SET_ASIDE_ON_SAVE);
  const char *path = ladle_json_store_get_path (store);
  g_autoptr(JsonNode) root = document (1, "saved");
  g_autoptr(JsonObject) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *set_aside = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *text = NULL;

  g_assert_true (g_file_set_contents (path, broken, -1, NULL));
  g_assert_null (load (store, NULL, NULL, &set_aside, &error));
  g_assert_nonnull (error);
  g_assert_null (set_aside);
  kept = read_text (path);
  g_assert_cmpstr (kept, ==, broken);
  g_clear_pointer (&kept, g_free);

  /* Mended and loaded again: a save then replaces it. */
  g_assert_true (g_file_set_contents (path, "{\"version\": 1, \"text\": \"mended\"}", -1, NULL));
  g_clear_error (&error);
  loaded = load (store, NULL, NULL, &set_aside, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text_member (loaded), ==, "mended");

  /* Broken again, and saved over: set aside first, and the save says where. */
  g_assert_true (g_file_set_contents (path, broken, -1, NULL));
  g_assert_null (load (store, NULL, NULL, NULL, &error));
  g_clear_error (&error);
  g_assert_true (save (store, root, &set_aside, &error));
  g_assert_no_error (error);
  g_assert_nonnull (set_aside);
  g_assert_true (g_str_has_prefix (set_aside, path));
  kept = read_text (set_aside);
  g_assert_cmpstr (kept, ==, broken);
  text = read_text (path);
  g_assert_nonnull (strstr (text, "\"saved\""));

  /* The next save has nothing to set aside. */
  g_clear_pointer (&set_aside, g_free);
  g_assert_true (save (store, root, &set_aside, &error));
  g_assert_null (set_aside);
}

/* A file no load looked at is checked before it is first replaced. */
static void
test_check_before_write (Fixture       *f,
                         gconstpointer  data)
{
  static const struct
  {
    const char *contents;
    gboolean    kept;
  } cases[] = {
    { "not json at all", TRUE },
    { "{\"version\": 3, \"text\": \"newer\"}", TRUE },
    { "{\"version\": 2, \"text\": \"ours\"}", FALSE },
    { "[\"some JSON\"]", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LadleJsonStore) store = ladle_json_store_new (f->dir, "file.json", 2,
                                                              LADLE_JSON_STORE_DEFAULT);
      const char *path = ladle_json_store_get_path (store);
      g_autoptr(JsonNode) root = document (2, "replacement");
      g_autoptr(GError) error = NULL;
      g_autofree char *set_aside = NULL;
      g_auto(GStrv) names = NULL;

      g_assert_true (g_file_set_contents (path, cases[i].contents, -1, NULL));
      g_assert_true (save (store, root, &set_aside, &error));
      g_assert_no_error (error);
      names = list_dir (f->dir);
      if (cases[i].kept)
        {
          g_autofree char *kept = NULL;

          g_assert_nonnull (set_aside);
          kept = read_text (set_aside);
          g_assert_cmpstr (kept, ==, cases[i].contents);
          g_assert_cmpuint (g_strv_length (names), ==, 2);
          g_assert_cmpint (g_unlink (set_aside), ==, 0);
        }
      else
        {
          g_assert_null (set_aside);
          g_assert_cmpuint (g_strv_length (names), ==, 1);
        }
    }
}

/* A write that fails says why, leaves the old file as it was and nothing else in the folder. */
static void
test_write_fails (Fixture       *f,
                  gconstpointer  data)
{
  const char *path = ladle_json_store_get_path (f->store);
  g_autoptr(JsonNode) root = document (2, "new");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) names = NULL;

  /* A file where the folder should be. */
  {
    g_autofree char *file = g_build_filename (f->dir, "file", NULL);
    g_autofree char *below = g_build_filename (file, "folder", NULL);
    g_autoptr(LadleJsonStore) store = ladle_json_store_new (below, "x.json", 1,
                                                            LADLE_JSON_STORE_DEFAULT);

    g_assert_true (g_file_set_contents (file, "", -1, NULL));
    g_assert_false (save (store, root, NULL, &error));
    g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR);
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, "Could not create the folder"));
    g_clear_error (&error);
    g_assert_cmpint (g_unlink (file), ==, 0);
  }

  if (geteuid () == 0)
    {
      g_test_skip ("Running as root: a read-only folder does not stop root from writing");
      return;
    }

  g_assert_true (g_file_set_contents (path, "{\"version\": 2, \"text\": \"old\"}", -1, NULL));
  g_assert_nonnull (load (f->store, NULL, NULL, NULL, &error));
  g_assert_cmpint (g_chmod (f->dir, 0500), ==, 0);
  g_assert_false (save (f->store, root, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_ACCES);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_false (ladle_json_store_save (f->store, root, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_ACCES);
  g_assert_cmpint (g_chmod (f->dir, 0700), ==, 0);

  names = list_dir (f->dir);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, "file.json");
  text = read_text (path);
  g_assert_nonnull (strstr (text, "\"old\""));
}

/* A damaged file that cannot be set aside is never written over. */
static void
test_set_aside_fails (Fixture       *f,
                      gconstpointer  data)
{
  const char *path = ladle_json_store_get_path (f->store);
  g_autoptr(JsonNode) root = document (2, "new");
  g_autoptr(GError) error = NULL;
  g_autofree char *set_aside = NULL;
  g_autofree char *text = NULL;

  if (geteuid () == 0)
    {
      g_test_skip ("Running as root: a read-only folder does not stop root from renaming");
      return;
    }

  g_assert_true (g_file_set_contents (path, "damaged", -1, NULL));
  g_assert_cmpint (g_chmod (f->dir, 0500), ==, 0);
  g_assert_null (load (f->store, NULL, NULL, &set_aside, &error));
  g_assert_nonnull (error);
  g_assert_null (set_aside);
  g_clear_error (&error);
  g_assert_cmpint (g_chmod (f->dir, 0700), ==, 0);
  /* Now writable, the folder lets the damaged file go aside before the write. */
  g_assert_true (save (f->store, root, &set_aside, &error));
  g_assert_no_error (error);
  g_assert_nonnull (set_aside);
  text = read_text (set_aside);
  g_assert_cmpstr (text, ==, "damaged");
}

/* A file the store reads itself: no file is no error; its refusal is a damaged file. */
static gpointer
read_upper (const char  *path,
            gpointer     user_data,
            GError     **error)
{
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  if (g_str_has_prefix (contents, "bad"))
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT, "%s:1:1: bad", path);
      return NULL;
    }
  return g_ascii_strup (contents, -1);
}

static void
test_load_file (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(LadleJsonStore) store = ladle_json_store_new (f->dir, "own.txt", 1,
                                                          LADLE_JSON_STORE_SET_ASIDE_ON_SAVE);
  const char *path = ladle_json_store_get_path (store);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  GAsyncResult *slot = NULL;

  ladle_json_store_load_file_async (store, read_upper, NULL, NULL, g_free, NULL, result_cb,
                                    &slot);
  result = wait_result (&slot);
  g_assert_null (ladle_json_store_load_finish (store, result, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  g_assert_true (g_file_set_contents (path, "fine", -1, NULL));
  ladle_json_store_load_file_async (store, read_upper, NULL, NULL, g_free, NULL, result_cb,
                                    &slot);
  result = wait_result (&slot);
  value = ladle_json_store_load_finish (store, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "FINE");
  g_clear_object (&result);

  g_assert_true (g_file_set_contents (path, "bad", -1, NULL));
  ladle_json_store_load_file_async (store, read_upper, NULL, NULL, g_free, NULL, result_cb,
                                    &slot);
  result = wait_result (&slot);
  g_assert_null (ladle_json_store_load_finish (store, result, NULL, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* Removal, ordered with the saves. */
static void
test_remove (Fixture       *f,
             gconstpointer  data)
{
  const char *path = ladle_json_store_get_path (f->store);
  g_autoptr(JsonNode) root = document (2, "x");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;

  /* No file: no error. */
  g_assert_true (ladle_json_store_remove (f->store, &error));
  g_assert_no_error (error);

  g_assert_true (save (f->store, root, NULL, &error));
  ladle_json_store_remove_async (f->store, NULL, result_cb, &slot);
  result = wait_result (&slot);
  g_assert_true (ladle_json_store_remove_finish (f->store, result, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  g_assert_true (save (f->store, root, NULL, &error));
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (ladle_json_store_remove (f->store, &error));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* The text-only entry point the owners' fuzzers use. */
static void
test_parse_versioned (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = NULL;
  guint version = 0;

  object = _ladle_json_store_parse_versioned ("{\"version\": 2}", 14, 3, &version, &error);
  g_assert_no_error (error);
  g_assert_nonnull (object);
  g_assert_cmpuint (version, ==, 2);
  g_assert_null (_ladle_json_store_parse_versioned ("{\"version\": 4}", 14, 3, NULL, &error));
  g_assert_error (error, LADLE_ERROR, LADLE_ERROR_PARSE);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/ladle/json-store/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("round-trip", test_round_trip);
  ADD ("atomic", test_atomic);
  ADD ("coalesce", test_coalesce);
  ADD ("flush", test_flush);
  ADD ("set-aside", test_set_aside);
  ADD ("not-regular", test_not_regular);
  ADD ("max-size", test_max_size);
  ADD ("set-aside-on-save", test_set_aside_on_save);
  ADD ("check-before-write", test_check_before_write);
  ADD ("write-fails", test_write_fails);
  ADD ("set-aside-fails", test_set_aside_fails);
  ADD ("load-file", test_load_file);
  ADD ("remove", test_remove);
#undef ADD
  g_test_add_func ("/ladle/json-store/parse-versioned", test_parse_versioned);

  return ladle_test_run ();
}
