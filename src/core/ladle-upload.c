/* ladle-upload.c
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
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ladle-error.h"
#include "ladle-filename.h"
#include "ladle-multipart-parser.h"
#include "ladle-stored-file.h"
#include "ladle-upload.h"

/* A multipart upload streamed to disk as it arrives (doc/STACK.md §1): every file part goes to a
 * hidden temporary file in the uploads folder, and only when the whole body has been parsed are the
 * files moved to their final, never-overwriting names. Anything that goes wrong before that
 * (disconnect, limit, bad body, full disk, server stop) removes every temporary file. Parsing and
 * writing run on the server's thread (plain write(2) in 256 KiB batches, which measured fastest);
 * ladle_upload_finish(), which moves the files, runs in a worker thread, since a folder can be
 * slow and an upload may carry up to LADLE_UPLOAD_MAX_FILES files.
 *
 * Temporary files are named ".ladle-upload-PID-XXXXXX.part": a server that was killed leaves
 * them behind, and the next start (ladle_upload_sweep()) removes those whose process is gone. */

#define WRITE_BUFFER_SIZE (256 * 1024)

typedef struct
{
  char    *field;
  char    *filename;     /* as sent, for the answer's "original" name */
  char    *safe_name;
  char    *temp_path;
  char    *final_name;
  char    *content_type; /* as sent, nullable */
  guint64  size;
} UploadFile;

struct _LadleUpload
{
  char                 *dir;
  LadleMultipartParser *parser;
  GPtrArray            *files;      /* UploadFile */
  UploadFile           *current;    /* borrowed from files, NULL for a non-file part */
  int                   fd;
  guint8               *buffer;
  gsize                 buffered;
  guint                 n_files;
  gboolean              finished;
  gint64                stored_time;  /* when the files got their names */
};

static void
upload_file_free (UploadFile *file)
{
  g_free (file->field);
  g_free (file->filename);
  g_free (file->safe_name);
  g_free (file->temp_path);
  g_free (file->final_name);
  g_free (file->content_type);
  g_free (file);
}

static gboolean
set_error_from_errno (GError     **error,
                      int          saved_errno,
                      const char  *dir)
{
  if (saved_errno == ENOSPC || saved_errno == EDQUOT || saved_errno == EFBIG)
    g_set_error (error, LADLE_ERROR, LADLE_ERROR_NO_SPACE,
                 _("No space left to store the upload in “%s”"), dir);
  else
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                 _("Could not write the upload to “%s”: %s"), dir, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
write_all (LadleUpload   *self,
           const guint8  *data,
           gsize          len,
           GError       **error)
{
  gsize done = 0;

  while (done < len)
    {
      gssize n = write (self->fd, data + done, len - done);

      if (n < 0)
        {
          int saved_errno = errno;

          if (saved_errno == EINTR)
            continue;
          return set_error_from_errno (error, saved_errno, self->dir);
        }
      done += n;
    }

  return TRUE;
}

static gboolean
flush_buffer (LadleUpload  *self,
              GError      **error)
{
  gsize len = self->buffered;

  self->buffered = 0;
  return write_all (self, self->buffer, len, error);
}

static gboolean
close_current (LadleUpload  *self,
               GError      **error)
{
  gboolean ret = TRUE;

  if (self->fd < 0)
    return TRUE;

  ret = flush_buffer (self, error);
  if (close (self->fd) != 0 && ret)
    ret = set_error_from_errno (error, errno, self->dir);
  self->fd = -1;

  return ret;
}

static gboolean
on_part_begin (SoupMessageHeaders  *headers,
               gpointer             user_data,
               GError             **error)
{
  LadleUpload *self = user_data;
  g_autofree char *field = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *template = NULL;
  UploadFile *file;
  int fd;

  ladle_multipart_part_get_names (headers, &field, &filename);
  self->current = NULL;

  /* A browser's file input with no file chosen sends filename="" and no bytes: not a file. */
  if (filename == NULL || *filename == '\0')
    return TRUE;

  /* Some clients (aiohttp's FormData) percent-encode non-ASCII names in a plain filename=
   * parameter; take the decoded form when it is UTF-8 text that is not plain ASCII. */
  if (strchr (filename, '%') != NULL)
    {
      g_autofree char *decoded = g_uri_unescape_string (filename, NULL);

      if (decoded != NULL && g_utf8_validate (decoded, -1, NULL) && !g_str_is_ascii (decoded))
        {
          g_free (filename);
          filename = g_steal_pointer (&decoded);
        }
    }

  if (++self->n_files > LADLE_UPLOAD_MAX_FILES)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_TOO_LARGE,
                   _("The upload has more than %u files; send them in several requests"),
                   LADLE_UPLOAD_MAX_FILES);
      return FALSE;
    }

  template = g_strdup_printf ("%s/.ladle-upload-%d-XXXXXX.part", self->dir, (int) getpid ());
  fd = g_mkstemp_full (template, O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0)
    return set_error_from_errno (error, errno, self->dir);

  file = g_new0 (UploadFile, 1);
  file->field = g_steal_pointer (&field);
  file->filename = g_strdup (filename);
  file->safe_name = ladle_filename_sanitize (filename, 0);
  file->temp_path = g_steal_pointer (&template);
  file->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  g_ptr_array_add (self->files, file);

  self->current = file;
  self->fd = fd;

  return TRUE;
}

static gboolean
on_part_data (const guint8  *data,
              gsize          len,
              gpointer       user_data,
              GError       **error)
{
  LadleUpload *self = user_data;

  if (self->current == NULL)
    return TRUE;

  self->current->size += len;

  if (self->buffered + len > WRITE_BUFFER_SIZE)
    {
      if (!flush_buffer (self, error))
        return FALSE;

      /* Large pieces go straight through. */
      if (len >= WRITE_BUFFER_SIZE)
        return write_all (self, data, len, error);
    }

  memcpy (self->buffer + self->buffered, data, len);
  self->buffered += len;

  return TRUE;
}

static gboolean
on_part_end (gpointer   user_data,
             GError   **error)
{
  LadleUpload *self = user_data;

  if (self->current == NULL)
    return TRUE;

  self->current = NULL;
  return close_current (self, error);
}

static const LadleMultipartCallbacks callbacks = {
  on_part_begin,
  on_part_data,
  on_part_end,
};

/**
 * ladle_upload_new:
 * @dir: the uploads folder (must exist)
 * @boundary: the multipart boundary of the request
 *
 * Returns: (transfer full): a new upload, or %NULL with @error set when the boundary is invalid
 */
LadleUpload *
ladle_upload_new (const char  *dir,
                  const char  *boundary,
                  GError     **error)
{
  g_autoptr(LadleUpload) self = g_new0 (LadleUpload, 1);

  g_return_val_if_fail (dir != NULL, NULL);

  self->dir = g_strdup (dir);
  self->fd = -1;
  self->files = g_ptr_array_new_with_free_func ((GDestroyNotify) upload_file_free);
  self->buffer = g_malloc (WRITE_BUFFER_SIZE);

  if (boundary == NULL || *boundary == '\0')
    {
      g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                           _("The upload is not multipart/form-data with a boundary"));
      return NULL;
    }

  self->parser = ladle_multipart_parser_new (boundary, &callbacks, self, error);
  if (self->parser == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

gboolean
ladle_upload_feed (LadleUpload   *self,
                   const guint8  *data,
                   gsize          len,
                   GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (!self->finished, FALSE);

  return ladle_multipart_parser_feed (self->parser, data, len, error);
}

/**
 * ladle_upload_finish:
 * @hints: (nullable): where to look first for free names, shared by the server's uploads
 *
 * Checks that the body was complete and moves every file to its final name. Blocking: call it from
 * a worker thread.
 *
 * Returns: (transfer full): the answer, `{"filename", "size", "files": [{"field", "filename",
 *   "size", "original"}]}`, or %NULL with @error set (every temporary file is then removed)
 */
JsonNode *
ladle_upload_finish (LadleUpload     *self,
                     LadleNameHints  *hints,
                     GError         **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  guint i;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (!self->finished, NULL);

  if (!ladle_multipart_parser_finish (self->parser, error) ||
      !close_current (self, error))
    {
      ladle_upload_abort (self);
      return NULL;
    }

  if (self->files->len == 0)
    {
      g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                           _("The upload has no file part (a part with a filename)"));
      ladle_upload_abort (self);
      return NULL;
    }

  for (i = 0; i < self->files->len; i++)
    {
      UploadFile *file = g_ptr_array_index (self->files, i);

      if (!ladle_filename_commit_hinted (self->dir, file->temp_path, file->safe_name, hints,
                                         &file->final_name, error))
        {
          guint j;

          /* Keep the all-or-nothing promise: take back what was already committed. */
          for (j = 0; j < i; j++)
            {
              UploadFile *done = g_ptr_array_index (self->files, j);
              g_autofree char *path = g_build_filename (self->dir, done->final_name, NULL);

              g_unlink (path);
            }
          ladle_upload_abort (self);
          return NULL;
        }

      g_clear_pointer (&file->temp_path, g_free);
    }

  self->finished = TRUE;
  self->stored_time = g_get_real_time ();

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "filename");
  json_builder_add_string_value (builder, ((UploadFile *) self->files->pdata[0])->final_name);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, ((UploadFile *) self->files->pdata[0])->size);
  json_builder_set_member_name (builder, "files");
  json_builder_begin_array (builder);
  for (i = 0; i < self->files->len; i++)
    {
      UploadFile *file = g_ptr_array_index (self->files, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "field");
      json_builder_add_string_value (builder, file->field ? file->field : "");
      json_builder_set_member_name (builder, "filename");
      json_builder_add_string_value (builder, file->final_name);
      json_builder_set_member_name (builder, "size");
      json_builder_add_int_value (builder, file->size);
      json_builder_set_member_name (builder, "original");
      json_builder_add_string_value (builder, file->filename);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * ladle_upload_list_stored:
 *
 * What a successful ladle_upload_finish() stored: one #LadleStoredFile per file part, in the order
 * of the parts, with its final name, size and content type. Empty before that, or after a failure.
 *
 * Returns: (transfer full): a list of #LadleStoredFile
 */
GListModel *
ladle_upload_list_stored (LadleUpload *self)
{
  GListStore *stored = g_list_store_new (LADLE_TYPE_STORED_FILE);

  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->files->len && self->stored_time != 0; i++)
    {
      UploadFile *file = g_ptr_array_index (self->files, i);
      g_autofree char *path = g_build_filename (self->dir, file->final_name, NULL);
      g_autoptr(LadleStoredFile) item = NULL;

      item = ladle_stored_file_new (path, file->filename, file->field, file->size,
                                    file->content_type, self->stored_time);
      g_list_store_append (stored, item);
    }

  return G_LIST_MODEL (stored);
}

/**
 * ladle_upload_abort:
 *
 * Removes every temporary file. Safe to call more than once.
 */
void
ladle_upload_abort (LadleUpload *self)
{
  guint i;

  g_return_if_fail (self != NULL);

  if (self->fd >= 0)
    {
      close (self->fd);
      self->fd = -1;
    }
  self->buffered = 0;
  self->current = NULL;

  for (i = 0; i < self->files->len; i++)
    {
      UploadFile *file = g_ptr_array_index (self->files, i);

      if (file->temp_path != NULL)
        {
          g_unlink (file->temp_path);
          g_clear_pointer (&file->temp_path, g_free);
        }
    }

  self->finished = TRUE;
}

void
ladle_upload_free (LadleUpload *self)
{
  if (self == NULL)
    return;

  if (self->files != NULL)
    ladle_upload_abort (self);

  g_clear_pointer (&self->parser, ladle_multipart_parser_free);
  g_clear_pointer (&self->files, g_ptr_array_unref);
  g_clear_pointer (&self->buffer, g_free);
  g_clear_pointer (&self->dir, g_free);
  g_free (self);
}

/**
 * ladle_upload_status_for_error:
 *
 * Returns: the HTTP status that answers an upload that failed with @error
 */
guint
ladle_upload_status_for_error (const GError *error)
{
  if (error == NULL)
    return SOUP_STATUS_INTERNAL_SERVER_ERROR;
  if (g_error_matches (error, LADLE_ERROR, LADLE_ERROR_PARSE) ||
      g_error_matches (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT))
    return SOUP_STATUS_BAD_REQUEST;
  if (g_error_matches (error, LADLE_ERROR, LADLE_ERROR_TOO_LARGE))
    return SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE;
  if (g_error_matches (error, LADLE_ERROR, LADLE_ERROR_NO_SPACE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
    return SOUP_STATUS_INSUFFICIENT_STORAGE;
  return SOUP_STATUS_INTERNAL_SERVER_ERROR;
}

/* A process is alive when signal 0 can reach it, or when it exists but is not ours to signal */
static gboolean
process_alive (pid_t pid)
{
  return pid > 0 && (kill (pid, 0) == 0 || errno == EPERM);
}

/**
 * ladle_upload_sweep:
 * @dir: an uploads folder
 *
 * Removes the temporary files that uploads of servers no longer running left in @dir (a server
 * that was killed): ".ladle-upload-PID-*.part" of a process that is gone, and older files of that
 * kind without a process number that are more than a day old. Files of live servers, this one
 * included, stay.
 *
 * Returns: how many files were removed
 */
guint
ladle_upload_sweep (const char *dir)
{
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  const char *name;
  guint removed = 0;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (folder == NULL)
    return 0;

  while ((name = g_dir_read_name (folder)) != NULL)
    {
      g_autofree char *path = NULL;
      const char *rest;
      char *end = NULL;
      gint64 pid;

      if (g_str_has_prefix (name, ".ladle-upload-") && g_str_has_suffix (name, ".part"))
        rest = name + strlen (".ladle-upload-");
      else if (g_str_has_prefix (name, ".ladle-probe-"))
        rest = NULL;
      else
        continue;

      path = g_build_filename (dir, name, NULL);
      pid = rest != NULL ? g_ascii_strtoll (rest, &end, 10) : 0;
      if (rest != NULL && end != rest && *end == '-' && pid > 0 && pid <= G_MAXINT)
        {
          if (pid == getpid () || process_alive ((pid_t) pid))
            continue;
        }
      else
        {
          GStatBuf st;

          /* Without a process number: only when plainly abandoned */
          if (g_lstat (path, &st) != 0 || !S_ISREG (st.st_mode) ||
              now - st.st_mtime < (rest != NULL ? 24 * 3600 : 60))
            continue;
        }

      if (g_unlink (path) == 0)
        removed++;
    }

  return removed;
}
