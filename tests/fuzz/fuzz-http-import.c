/* fuzz-http-import.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "config.h"

#include <dlfcn.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "ladle-error.h"
#include "ladle-http-import.h"

/* libFuzzer harness for ladle_http_import() (Postman, HAR, curl). Each input (up to 256 KiB) is a
 * file's bytes: ladle_http_import_detect() reads it, then ladle_http_import() imports it as
 * FOLDER/src/collection.json into FOLDER/out, a private folder made once (removed at exit) whose
 * "out" is emptied after every input, so that nothing accumulates and every import starts from an
 * empty folder.
 *
 * Checked: no crash, hang or leak; the import returns TRUE without an error, or FALSE with a
 * LADLE_ERROR; the files it says it wrote are exactly the files now in FOLDER/out (no temporary
 * file left, nothing unlisted), all inside it; when it returns FALSE, no file was written;
 * nothing else appears in FOLDER; every written file and every warning is UTF-8.
 *
 * Reads: a Postman "src" or a curl `-d @file` is only named in the written file, never read, but
 * curl's `-F name=<file` reads the file (ladle-curl.c asks g_file_query_info() first, then
 * g_file_load_contents()), and the import reads an http-client.env.json already in the folder
 * (g_file_get_contents()). This harness provides both g_file_query_info() and
 * g_file_get_contents(): while the library runs they refuse every path outside the private folder,
 * so no input makes the fuzzer read a file of the machine.
 *
 * A run that crashes (an abort: nothing runs after it) leaves its folder, fuzz-http-import-XXXXXX, in
 * the temporary folder. */

#define MAX_INPUT_SIZE (256 * 1024)

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static char *folder;            /* the private folder, canonical */
static char *out_folder;        /* FOLDER/out, where imports go */
static gboolean sandboxed;      /* the library is running: reads stay inside @folder */

static gboolean
is_inside (const char *path,
           const char *dir)
{
  g_autofree char *canonical = g_canonicalize_filename (path, NULL);
  gsize length = strlen (dir);

  return strncmp (canonical, dir, length) == 0 && canonical[length] == G_DIR_SEPARATOR;
}

typedef gboolean (*GetContentsFunc) (const char  *filename,
                                     char       **contents,
                                     gsize       *length,
                                     GError     **error);
typedef GFileInfo *(*QueryInfoFunc) (GFile                *file,
                                     const char           *attributes,
                                     GFileQueryInfoFlags   flags,
                                     GCancellable         *cancellable,
                                     GError              **error);

gboolean
g_file_get_contents (const char  *filename,
                     char       **contents,
                     gsize       *length,
                     GError     **error)
{
  static GetContentsFunc real;

  if (sandboxed && !is_inside (filename, folder))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ACCES,
                   "the fuzzing harness reads no file outside its folder");
      return FALSE;
    }

  if (real == NULL)
    real = (GetContentsFunc) dlsym (RTLD_NEXT, "g_file_get_contents");
  g_assert (real != NULL);
  return real (filename, contents, length, error);
}

GFileInfo *
g_file_query_info (GFile                *file,
                   const char           *attributes,
                   GFileQueryInfoFlags   flags,
                   GCancellable         *cancellable,
                   GError              **error)
{
  static QueryInfoFunc real;
  g_autofree char *path = g_file_get_path (file);

  if (sandboxed && (path == NULL || !is_inside (path, folder)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                           "the fuzzing harness reads no file outside its folder");
      return NULL;
    }

  if (real == NULL)
    real = (QueryInfoFunc) dlsym (RTLD_NEXT, "g_file_query_info");
  g_assert (real != NULL);
  return real (file, attributes, flags, cancellable, error);
}

/* Lists the files under @dir (depth first, paths in @files) and, when @remove, removes them and
 * the folders (but not @dir itself). Folders are not followed through links. */
static void
walk (const char *dir,
      GPtrArray  *files,
      gboolean    remove,
      guint       depth)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_cmpuint (depth, <, 64);
  if (handle == NULL)
    return;
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        {
          walk (path, files, remove, depth + 1);
          if (remove && g_rmdir (path) != 0)
            g_error ("cannot remove %s", path);
        }
      else
        {
          if (files != NULL)
            g_ptr_array_add (files, g_strdup (path));
          if (remove && g_unlink (path) != 0)
            g_error ("cannot remove %s", path);
        }
    }
}

static void
remove_folder (void)
{
  walk (folder, NULL, TRUE, 0);
  g_rmdir (folder);
}

/* G_DEBUG=fatal-warnings turns a critical into a SIGTRAP, which libFuzzer does not catch: abort
 * instead, so that it saves the input. */
static void
on_trap (int signum)
{
  abort ();
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *made = g_dir_make_tmp ("fuzz-http-import-XXXXXX", &error);
  g_autofree char *module_dir = NULL;

  g_assert_no_error (error);
  signal (SIGTRAP, on_trap);
  folder = g_canonicalize_filename (made, NULL);
  out_folder = g_build_filename (folder, "out", NULL);
  atexit (remove_folder);

  /* GIO loads no module (no GVfs, no D-Bus): they would come from an empty folder */
  module_dir = g_build_filename (folder, "modules", NULL);
  g_mkdir (module_dir, 0700);
  g_setenv ("GIO_USE_VFS", "local", TRUE);
  g_setenv ("GIO_MODULE_DIR", module_dir, TRUE);
  g_setenv ("HOME", folder, TRUE);
  g_vfs_get_default ();
  g_rmdir (module_dir);
  return 0;
}

static void G_GNUC_NORETURN
fail (const char *what,
      const char *detail)
{
  fprintf (stderr, "fuzz-http-import: %s%s%s\n", what, detail != NULL ? ": " : "",
           detail != NULL ? detail : "");
  abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *source = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) written = NULL;
  g_auto(GStrv) warnings = NULL;
  LadleImportKind kind;
  gboolean ok;

  if (size > MAX_INPUT_SIZE)
    return 0;

  source = g_build_filename (folder, "src", "collection.json", NULL);

  sandboxed = TRUE;
  kind = ladle_http_import_detect ((const char *) data, size);
  g_assert_cmpint (kind, >=, LADLE_IMPORT_UNKNOWN);
  g_assert_cmpint (kind, <=, LADLE_IMPORT_CURL);
  ok = ladle_http_import ((const char *) data, size, source, out_folder, &written, &warnings,
                          &error);
  sandboxed = FALSE;

  walk (out_folder, found, FALSE, 0);

  if (ok)
    {
      if (error != NULL)
        fail ("the import succeeded with an error", error->message);
      if (kind == LADLE_IMPORT_UNKNOWN)
        fail ("an import of an unknown kind succeeded", NULL);
      g_assert_nonnull (written);
      g_assert_nonnull (warnings);
      if (g_strv_length (written) != found->len)
        {
          g_autofree char *listed = g_strjoinv ("\n", written);

          fail ("the files written are not the files listed", listed);
        }
      for (guint i = 0; written[i] != NULL; i++)
        {
          g_autofree char *contents = NULL;
          gsize length = 0;

          if (!is_inside (written[i], out_folder))
            fail ("a file was written outside the folder", written[i]);
          if (!g_file_get_contents (written[i], &contents, &length, NULL))
            fail ("a file listed was not written", written[i]);
          if (!g_utf8_validate (contents, length, NULL))
            fail ("a file written is not UTF-8", written[i]);
        }
      for (guint i = 0; warnings[i] != NULL; i++)
        if (!g_utf8_validate (warnings[i], -1, NULL))
          fail ("a warning is not UTF-8", NULL);
    }
  else
    {
      if (error == NULL)
        fail ("the import failed without an error", NULL);
      if (error->domain != LADLE_ERROR)
        fail ("the import failed without a LADLE_ERROR", error->message);
      if (!g_utf8_validate (error->message, -1, NULL))
        fail ("the error is not UTF-8", NULL);
      if (found->len > 0)
        fail ("the import failed, yet wrote", g_ptr_array_index (found, 0));
    }

  /* Nothing but "out" in the folder */
  {
    g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
    const char *name;

    g_assert_nonnull (dir);
    while ((name = g_dir_read_name (dir)) != NULL)
      if (strcmp (name, "out") != 0)
        fail ("the import wrote outside its folder", name);
  }

  walk (out_folder, NULL, TRUE, 0);
  return 0;
}
