/* fuzz-http-vars.c
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
#include "ladle-http-file.h"
#include "ladle-http-vars.h"

/* libFuzzer harness for {{…}} expansion (ladle-http-vars). An input (up to 256 KiB) is three texts
 * separated by NUL bytes:
 *
 *   .http text \0 http-client.env.json \0 .env
 *
 * A part that is missing (fewer NUL bytes) is a file that does not exist; a NUL after the third
 * part ends the input. The two files are written into a private folder, made once and removed at
 * exit, and read with ladle_http_environments_load(); the .http text is parsed as FOLDER/fuzz.http
 * and run in the first environment (when there is one), with one override "over". For every entry
 * (up to MAX_ENTRIES): ladle_http_scope_dup_dependencies(), ladle_http_scope_build_request(), and
 * ladle_http_scope_expand() on its URL, header values and variable values.
 *
 * Checked:
 * - nothing crashes, hangs or leaks; every error is a LADLE_ERROR with a UTF-8 message;
 * - ladle_http_find_variables() gives spans in order, inside the text, each from a "{{" to a "}}";
 * - a successful expansion is exactly the text with each of those spans replaced by what
 *   ladle_http_scope_resolve() gives for its name (which must succeed): no {{…}} is left as it was
 *   or dropped. A "{{" may still be in the result when a value holds one (a .env value is taken
 *   as it is; "{{o}}{x}}" with o = "{" is "{{x}}"), so when no value holds a brace the result must
 *   hold no "{{" at all. Dynamic values ({{$uuid}}…) differ from one call to the next: texts that
 *   can reach one (a "$" in the .http text or in the environments other than "$shared") are not
 *   compared.
 *
 * Files: the library reads `<@ path` bodies and the environment files with g_file_get_contents(),
 * which this harness provides (see below): while the library runs, it reads only files inside the
 * private folder and refuses every other path, so `<@ /etc/passwd`, `<@ ../../x` or `~/x` read
 * nothing (HOME is the private folder as well). `< path` bodies are only named in the request,
 * never read; the library looks at a body file's metadata (stat) before reading it, which is the
 * only thing it may learn about a path outside the folder. Nothing is written by these calls.
 *
 * A run that crashes (an abort: nothing runs after it) leaves its folder, fuzz-http-vars-XXXXXX, in
 * the temporary folder. */

#define MAX_INPUT_SIZE (256 * 1024)
#define MAX_ENTRIES 64

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static char *folder;            /* the private folder, canonical */
static gboolean sandboxed;      /* the library is running: reads stay inside @folder */

static gboolean
is_inside_folder (const char *path)
{
  g_autofree char *canonical = g_canonicalize_filename (path, folder);
  gsize length = strlen (folder);

  return strncmp (canonical, folder, length) == 0 && canonical[length] == G_DIR_SEPARATOR;
}

typedef gboolean (*GetContentsFunc) (const char  *filename,
                                     char       **contents,
                                     gsize       *length,
                                     GError     **error);

gboolean
g_file_get_contents (const char  *filename,
                     char       **contents,
                     gsize       *length,
                     GError     **error)
{
  static GetContentsFunc real;

  if (sandboxed && !is_inside_folder (filename))
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

static void
remove_folder (void)
{
  const char *names[] = { "http-client.env.json", ".env", NULL };

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (folder, names[i], NULL);

      g_unlink (path);
    }
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
  g_autofree char *made = g_dir_make_tmp ("fuzz-http-vars-XXXXXX", &error);
  g_autofree char *module_dir = NULL;

  g_assert_no_error (error);
  signal (SIGTRAP, on_trap);
  folder = g_canonicalize_filename (made, NULL);
  atexit (remove_folder);

  /* GIO loads no module (no GVfs, no D-Bus): they would come from an empty folder. `~/` is the
   * private folder. */
  module_dir = g_build_filename (folder, "modules", NULL);
  g_mkdir (module_dir, 0700);
  g_setenv ("GIO_USE_VFS", "local", TRUE);
  g_setenv ("GIO_MODULE_DIR", module_dir, TRUE);
  g_setenv ("HOME", folder, TRUE);
  g_vfs_get_default ();
  g_rmdir (module_dir);
  return 0;
}

static void
check_error (const GError *error,
             const char   *what)
{
  if (error == NULL)
    {
      fprintf (stderr, "fuzz-http-vars: %s failed without an error\n", what);
      abort ();
    }
  if (error->domain != LADLE_ERROR)
    {
      fprintf (stderr, "fuzz-http-vars: %s failed with a %s error: %s\n", what,
               g_quark_to_string (error->domain), error->message);
      abort ();
    }
  if (!g_utf8_validate (error->message, -1, NULL))
    {
      fprintf (stderr, "fuzz-http-vars: %s failed with a message that is not UTF-8\n", what);
      abort ();
    }
}

static void
check_spans (const char *text,
             gsize       length,
             GArray     *spans)
{
  gsize previous = 0;

  for (guint i = 0; i < spans->len; i++)
    {
      const LadleHttpVarSpan *span = &g_array_index (spans, LadleHttpVarSpan, i);

      g_assert_cmpuint (span->start, >=, previous);
      g_assert_cmpuint (span->start + 4, <=, span->end);
      g_assert_cmpuint (span->end, <=, length);
      g_assert_true (memcmp (text + span->start, "{{", 2) == 0);
      g_assert_true (memcmp (text + span->end - 2, "}}", 2) == 0);
      g_assert_nonnull (span->name);
      previous = span->end;
    }
}

/* Expands @text and checks the result as the comment at the top says */
static void
check_expand (LadleHttpScope       *scope,
              LadleHttpFile        *file,
              const LadleHttpEntry *entry,
              const char           *text,
              guint                 line,
              guint                 column,
              gboolean              deterministic)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *result = NULL;
  g_autoptr(GArray) spans = NULL;
  g_autoptr(GString) expected = NULL;
  gboolean braces = FALSE;
  gsize done = 0;

  if (text == NULL)
    return;

  result = ladle_http_scope_expand (scope, file, entry, text, line, column, &error);
  if (result == NULL)
    {
      check_error (error, "an expansion");
      return;
    }
  g_assert_true (g_utf8_validate (result, -1, NULL));

  spans = ladle_http_find_variables (text, -1);
  check_spans (text, strlen (text), spans);
  expected = g_string_new (NULL);
  for (guint i = 0; i < spans->len; i++)
    {
      const LadleHttpVarSpan *span = &g_array_index (spans, LadleHttpVarSpan, i);
      g_autofree char *value = NULL;

      value = ladle_http_scope_resolve (scope, file, entry, span->name, NULL, &error);
      if (value == NULL)
        {
          fprintf (stderr, "fuzz-http-vars: “%s” expands, but {{%s}} in it does not: %s\n", text,
                   span->name, error->message);
          abort ();
        }
      braces = braces || strpbrk (value, "{}") != NULL;
      g_string_append_len (expected, text + done, span->start - done);
      g_string_append (expected, value);
      done = span->end;
    }
  g_string_append (expected, text + done);

  if (!deterministic)
    return;
  if (strcmp (expected->str, result) != 0)
    {
      fprintf (stderr, "fuzz-http-vars: “%s” expands to “%s”, its variables one by one to “%s”\n",
               text, result, expected->str);
      abort ();
    }
  if (!braces && strstr (result, "{{") != NULL)
    {
      fprintf (stderr, "fuzz-http-vars: “%s” expands to “%s”, which holds a {{\n", text, result);
      abort ();
    }
}

static void
check_entry (LadleHttpScope       *scope,
             LadleHttpFile        *file,
             const LadleHttpEntry *entry,
             gboolean              deterministic)
{
  g_auto(GStrv) dependencies = ladle_http_scope_dup_dependencies (scope, file, entry);
  g_autoptr(LadleRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (dependencies);
  for (guint i = 0; dependencies[i] != NULL; i++)
    g_assert_nonnull (ladle_http_file_find_entry (file, dependencies[i]));

  request = ladle_http_scope_build_request (scope, file, entry, &error);
  if (request == NULL)
    check_error (error, "building a request");

  check_expand (scope, file, entry, entry->url, entry->request_line, entry->url_column,
                deterministic);
  for (guint i = 0; i < entry->headers->len; i++)
    {
      const LadleHttpHeader *header = g_ptr_array_index (entry->headers, i);

      check_expand (scope, file, entry, header->value, header->line, header->value_column,
                    deterministic);
    }
  for (guint i = 0; i < entry->variables->len; i++)
    {
      const LadleHttpVariable *variable = g_ptr_array_index (entry->variables, i);

      check_expand (scope, file, entry, variable->value, variable->line, 1, deterministic);
    }
}

/* Writes @part (NULL: no file) to FOLDER/@name */
static void
put_file (const char *name,
          const char *part,
          gsize       length)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);
  g_autoptr(GError) error = NULL;

  g_unlink (path);
  if (part != NULL && !g_file_set_contents (path, part, length, &error))
    g_error ("%s", error->message);
}

/* Whether a dynamic value can be reached: a "$" in the .http text, or one in the environment file
 * other than "$shared"'s (or a \u escape, which may write one). */
static gboolean
has_dynamic (const char *http,
             const char *env)
{
  const char *p;

  if (strchr (http, '$') != NULL)
    return TRUE;
  if (env == NULL)
    return FALSE;
  if (strstr (env, "\\u") != NULL)
    return TRUE;
  for (p = strchr (env, '$'); p != NULL; p = strchr (p + 1, '$'))
    if (p == env || p[-1] != '"' || !g_str_has_prefix (p, "$shared\""))
      return TRUE;

  return FALSE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *copy = NULL;
  g_autofree char *http_path = NULL;
  g_autoptr(LadleHttpEnvironments) environments = NULL;
  g_autoptr(LadleHttpScope) scope = NULL;
  g_autoptr(LadleHttpFile) file = NULL;
  g_autoptr(GArray) spans = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  const char *parts[3] = { NULL, NULL, NULL };
  gsize lengths[3] = { 0, 0, 0 };
  const char *p;
  const char *end;
  GPtrArray *entries;
  gboolean deterministic;

  if (size > MAX_INPUT_SIZE)
    return 0;

  /* Split at the NUL bytes; each part becomes a NUL-terminated string of the copy */
  copy = g_malloc (size + 1);
  memcpy (copy, data, size);
  copy[size] = '\0';
  p = copy;
  end = copy + size;
  for (guint i = 0; i < 3; i++)
    {
      parts[i] = p;
      lengths[i] = strlen (p);
      p += lengths[i];
      if (p >= end)
        break;
      p++;
    }

  put_file ("http-client.env.json", parts[1], lengths[1]);
  put_file (".env", parts[2], lengths[2]);

  sandboxed = TRUE;

  environments = ladle_http_environments_load (folder, &error);
  if (environments == NULL)
    {
      check_error (error, "loading the environments");
      g_clear_error (&error);
      environments = ladle_http_environments_new (folder);
    }
  names = ladle_http_environments_dup_names (environments);
  scope = ladle_http_scope_new (environments, names[0]);
  ladle_http_scope_set_override (scope, "over", "ridden");

  http_path = g_build_filename (folder, "fuzz.http", NULL);
  file = ladle_http_file_parse (http_path, parts[0], lengths[0]);

  spans = ladle_http_find_variables (parts[0], lengths[0]);
  check_spans (parts[0], lengths[0], spans);

  deterministic = !has_dynamic (parts[0], parts[1]);
  entries = ladle_http_file_get_entries (file);
  for (guint i = 0; i < entries->len && i < MAX_ENTRIES; i++)
    check_entry (scope, file, g_ptr_array_index (entries, i), deterministic);

  /* File-level variables, as the window's hover shows them */
  {
    GPtrArray *variables = ladle_http_file_get_variables (file);

    for (guint i = 0; i < variables->len && i < MAX_ENTRIES; i++)
      {
        const LadleHttpVariable *variable = g_ptr_array_index (variables, i);

        check_expand (scope, file, NULL, variable->value, variable->line, 1, deterministic);
      }
  }

  sandboxed = FALSE;
  return 0;
}
