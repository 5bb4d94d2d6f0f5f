/* ladle-filename.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* renameat2() and RENAME_NOREPLACE (glibc 2.28+) are GNU extensions. */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif

#include "config.h"

#include "ladle-filename.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define NAME_MAX_BYTES 255
/* An extension this long or shorter (dot included) survives cutting and renaming. */
#define EXTENSION_MAX_BYTES 16
/* "name (9999).ext" is the last name tried before giving up. */
#define COMMIT_MAX_ATTEMPTS 9999
#define FALLBACK_NAME "upload"

static gboolean
unichar_is_removed (gunichar c)
{
  /* C0 controls, DEL and C1 controls */
  if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
    return TRUE;

  /* Bidirectional embeddings, overrides and isolates: invisible, and used to disguise an
   * extension ("invoice\u202Etxt.exe" shows as "invoiceexe.txt"). */
  if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
    return TRUE;

  return FALSE;
}

/* The length of the longest prefix of the valid UTF-8 @s (@len bytes) that is at most @max bytes
 * long, ends on a character boundary and does not separate a character from its combining
 * marks. */
static gsize
utf8_prefix_len (const char *s,
                 gsize       len,
                 gsize       max)
{
  const char *end;

  if (len <= max)
    return len;

  end = s + max;
  while (end > s && ((guchar) *end & 0xc0) == 0x80)
    end--;

  while (end > s && g_unichar_ismark (g_utf8_get_char (end)))
    end = g_utf8_prev_char (end);

  return end - s;
}

static gsize
trailing_space_len (const char *s,
                    gsize       len)
{
  const char *end = s + len;
  gsize n = 0;

  while (end > s)
    {
      const char *prev = g_utf8_prev_char (end);

      if (!g_unichar_isspace (g_utf8_get_char (prev)))
        break;
      n += end - prev;
      end = prev;
    }

  return n;
}

/* Where the extension of @name starts ("report.txt" → ".txt"), or %NULL when it has none worth
 * keeping: none at all, a leading dot only, or longer than EXTENSION_MAX_BYTES. With
 * @allow_double, "archive.tar.gz" gives ".tar.gz". */
static const char *
find_extension (const char *name,
                gboolean    allow_double)
{
  const char *dot = strrchr (name, '.');

  if (dot == NULL || dot == name || strlen (dot) > EXTENSION_MAX_BYTES)
    return NULL;

  if (allow_double && dot - name > 4 && g_ascii_strncasecmp (dot - 4, ".tar", 4) == 0)
    return dot - 4;

  return dot;
}

/* Cuts @str (valid UTF-8) to at most @max_bytes, keeping its extension when it is short. */
static void
cut_to_length (GString *str,
               gsize    max_bytes)
{
  const char *ext;
  gsize ext_len;
  gsize stem_len;

  if (str->len <= max_bytes)
    return;

  ext = find_extension (str->str, FALSE);
  ext_len = ext != NULL ? strlen (ext) : 0;

  if (ext != NULL && ext_len < max_bytes)
    {
      stem_len = utf8_prefix_len (str->str, ext - str->str, max_bytes - ext_len);
      stem_len -= trailing_space_len (str->str, stem_len);

      if (stem_len > 0)
        {
          memmove (str->str + stem_len, ext, ext_len);
          g_string_truncate (str, stem_len + ext_len);
          return;
        }
    }

  stem_len = utf8_prefix_len (str->str, str->len, max_bytes);
  stem_len -= trailing_space_len (str->str, stem_len);
  g_string_truncate (str, stem_len);
}

/**
 * ladle_filename_sanitize:
 * @name: (nullable): a file name from an untrusted source, in any encoding
 * @max_bytes: the longest result in bytes, or 0 for 255
 *
 * Makes a safe base name for a file created in a folder of our choosing: it keeps only the last
 * path component ('/' and '\\' both separate), removes control characters (C0, DEL, C1) and
 * bidirectional overrides, replaces invalid UTF-8, trims surrounding white space, turns a leading
 * '.' into '_' (so no dotfiles are created) and cuts the name on a character boundary, keeping a
 * short extension. Names that end up empty or made only of dots become "upload". Other
 * characters, non-ASCII ones included, are kept as they are.
 *
 * Returns: (transfer full) (not nullable): a valid UTF-8 file name of 1 to @max_bytes bytes
 */
char *
ladle_filename_sanitize (const char *name,
                         gsize       max_bytes)
{
  g_autofree char *valid = NULL;
  g_autoptr(GString) out = NULL;
  const char *start;
  const char *end;
  const char *p;

  if (max_bytes == 0)
    max_bytes = NAME_MAX_BYTES;
  if (name == NULL)
    name = "";

  valid = g_utf8_make_valid (name, -1);

  /* The last path component: "a/b/" is "b", "C:\\x\\evil.txt" is "evil.txt". */
  end = valid + strlen (valid);
  while (end > valid && (end[-1] == '/' || end[-1] == '\\'))
    end--;
  start = end;
  while (start > valid && start[-1] != '/' && start[-1] != '\\')
    start--;

  out = g_string_sized_new (end - start + 1);
  for (p = start; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!unichar_is_removed (c))
        g_string_append_unichar (out, c);
    }

  /* Surrounding white space */
  g_string_truncate (out, out->len - trailing_space_len (out->str, out->len));
  p = out->str;
  while (*p != '\0' && g_unichar_isspace (g_utf8_get_char (p)))
    p = g_utf8_next_char (p);
  g_string_erase (out, 0, p - out->str);

  if (out->len > 0 && strspn (out->str, ".") == out->len)
    g_string_truncate (out, 0);

  if (out->len == 0)
    g_string_assign (out, FALLBACK_NAME);
  else if (out->str[0] == '.')
    out->str[0] = '_';

  cut_to_length (out, max_bytes);

  /* Only reachable with a tiny max_bytes (a name of one multi-byte character, say). */
  if (out->len == 0)
    {
      g_string_assign (out, FALLBACK_NAME);
      g_string_truncate (out, MIN (out->len, max_bytes));
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

typedef enum
{
  PLACE_RENAME_NOREPLACE,
  PLACE_LINK,
  PLACE_EXCLUSIVE_CREATE,
} PlaceMethod;

/* Moves @temp_path to @name in @dir_fd unless @name exists. Returns 0 or an errno value; EEXIST
 * means "try another name". @method starts at the best method and falls back to the next one
 * when the filesystem does not support it. */
static int
place_file (int          dir_fd,
            const char  *temp_path,
            const char  *name,
            PlaceMethod *method)
{
  int fd;
  int saved_errno;

  if (*method == PLACE_RENAME_NOREPLACE)
    {
      if (renameat2 (AT_FDCWD, temp_path, dir_fd, name, RENAME_NOREPLACE) == 0)
        return 0;
      /* EINVAL: this filesystem cannot do RENAME_NOREPLACE (some network and FUSE ones) */
      if (errno != EINVAL && errno != ENOSYS)
        return errno;
      *method = PLACE_LINK;
    }

  if (*method == PLACE_LINK)
    {
      /* link() never replaces an existing name. */
      if (linkat (AT_FDCWD, temp_path, dir_fd, name, 0) == 0)
        {
          if (g_unlink (temp_path) != 0)
            g_debug ("Could not remove “%s” after linking it: %s",
                     temp_path, g_strerror (errno));
          return 0;
        }
      /* EPERM: no hard links on this filesystem (FAT, exFAT) */
      if (errno != EPERM && errno != ENOTSUP && errno != EOPNOTSUPP && errno != ENOSYS)
        return errno;
      *method = PLACE_EXCLUSIVE_CREATE;
    }

  /* Last resort: claim the name with O_EXCL, then rename over our own placeholder. */
  fd = openat (dir_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    return errno;
  close (fd);

  if (renameat (AT_FDCWD, temp_path, dir_fd, name) == 0)
    return 0;

  saved_errno = errno;
  unlinkat (dir_fd, name, 0);
  return saved_errno;
}

/* "report.txt", 2 → "report (2).txt", cut so that it stays within NAME_MAX_BYTES. */
static char *
make_candidate (const char *name,
                guint       n)
{
  const char *ext = find_extension (name, TRUE);
  gsize ext_len = ext != NULL ? strlen (ext) : 0;
  gsize stem_len = ext != NULL ? (gsize) (ext - name) : strlen (name);
  g_autofree char *suffix = g_strdup_printf (" (%u)", n);
  gsize suffix_len = strlen (suffix);

  if (stem_len + suffix_len + ext_len > NAME_MAX_BYTES)
    stem_len = utf8_prefix_len (name, stem_len, NAME_MAX_BYTES - suffix_len - ext_len);

  return g_strdup_printf ("%.*s%s%s", (int) stem_len, name, suffix, ext != NULL ? ext : "");
}

static gboolean
name_is_plain (const char *name)
{
  return name[0] != '\0' &&
         strchr (name, '/') == NULL &&
         strcmp (name, ".") != 0 &&
         strcmp (name, "..") != 0 &&
         strlen (name) <= NAME_MAX_BYTES &&
         g_utf8_validate (name, -1, NULL);
}

static void
set_error_from_errno (GError     **error,
                      int          saved_errno,
                      const char  *dir,
                      const char  *name)
{
  g_autofree char *display_dir = g_filename_display_name (dir);

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Could not save “%s” in the folder “%s”: %s"),
               name, display_dir, g_strerror (saved_errno));
}

/**
 * ladle_filename_commit:
 * @dir: the folder to save in
 * @temp_path: a complete file on the same filesystem as @dir (usually inside it)
 * @safe_name: a name from ladle_filename_sanitize()
 * @out_final_name: (out) (optional) (transfer full): the base name used
 * @error: return location for a #GError
 *
 * Moves @temp_path to @dir/@safe_name atomically and without ever replacing a file: if the name
 * is taken, "name (1).ext", "name (2).ext"… are tried ("archive (1).tar.gz" for double
 * extensions), each within the 255-byte name limit. Uses renameat2(RENAME_NOREPLACE), falling
 * back to link() + unlink() and then to an O_EXCL placeholder on filesystems without them.
 *
 * Blocking; call it from a worker thread when @dir may be slow.
 *
 * Returns: %TRUE on success. On failure @temp_path is left in place for the caller to remove and
 *   @error is a %G_IO_ERROR that names the folder.
 */
gboolean
ladle_filename_commit (const char  *dir,
                       const char  *temp_path,
                       const char  *safe_name,
                       char       **out_final_name,
                       GError     **error)
{
  return ladle_filename_commit_hinted (dir, temp_path, safe_name, NULL, out_final_name, error);
}

/* Hints: a name's next suffix to try, so that the thousandth "report.txt" is not found free only
 * after a thousand probes (6 000 parts of one name in one upload took 40 s of renameat2() calls,
 * quadratic). A hint only says where to start: every name is still claimed with a call that never
 * replaces a file, so a stale hint costs a probe, never a file. */

#define HINTS_MAX 4096

struct _LadleNameHints
{
  GMutex      mutex;
  GHashTable *next;     /* "dir/name" -> next suffix (GUINT_TO_POINTER) */
  guint64     probes;
};

LadleNameHints *
ladle_name_hints_new (void)
{
  LadleNameHints *hints = g_new0 (LadleNameHints, 1);

  g_mutex_init (&hints->mutex);
  hints->next = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  return hints;
}

void
ladle_name_hints_free (LadleNameHints *hints)
{
  if (hints == NULL)
    return;

  g_hash_table_unref (hints->next);
  g_mutex_clear (&hints->mutex);
  g_free (hints);
}

/**
 * ladle_name_hints_get_probes:
 *
 * Returns: how many names the commits that used @hints tried, for tests
 */
guint64
ladle_name_hints_get_probes (LadleNameHints *hints)
{
  guint64 probes;

  g_mutex_lock (&hints->mutex);
  probes = hints->probes;
  g_mutex_unlock (&hints->mutex);

  return probes;
}

static guint
hints_lookup (LadleNameHints *hints,
              const char     *key)
{
  guint n;

  if (hints == NULL)
    return 1;

  g_mutex_lock (&hints->mutex);
  n = GPOINTER_TO_UINT (g_hash_table_lookup (hints->next, key));
  g_mutex_unlock (&hints->mutex);

  return MAX (n, 1);
}

static void
hints_update (LadleNameHints *hints,
              const char     *key,
              guint           used,
              guint           probes)
{
  if (hints == NULL)
    return;

  g_mutex_lock (&hints->mutex);
  hints->probes += probes;
  if (used > 0)
    {
      if (g_hash_table_size (hints->next) >= HINTS_MAX)
        g_hash_table_remove_all (hints->next);
      if (used + 1 > GPOINTER_TO_UINT (g_hash_table_lookup (hints->next, key)))
        g_hash_table_insert (hints->next, g_strdup (key), GUINT_TO_POINTER (used + 1));
    }
  g_mutex_unlock (&hints->mutex);
}

/**
 * ladle_filename_commit_hinted:
 * @hints: (nullable): where to look first for a free suffix, updated with what was used
 *
 * ladle_filename_commit(), trying the name itself first, then the suffixes from the one @hints
 * remembers for this name in @dir: a run of uploads of one name costs one or two probes each.
 */
gboolean
ladle_filename_commit_hinted (const char      *dir,
                              const char      *temp_path,
                              const char      *safe_name,
                              LadleNameHints  *hints,
                              char           **out_final_name,
                              GError         **error)
{
  PlaceMethod method = PLACE_RENAME_NOREPLACE;
  g_autofree char *key = NULL;
  guint probes = 0;
  guint start;
  int dir_fd;

  g_return_val_if_fail (dir != NULL, FALSE);
  g_return_val_if_fail (temp_path != NULL, FALSE);
  g_return_val_if_fail (safe_name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!name_is_plain (safe_name))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
                   _("“%s” is not a valid file name"), safe_name);
      return FALSE;
    }

  dir_fd = open (dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0)
    {
      set_error_from_errno (error, errno, dir, safe_name);
      return FALSE;
    }

  key = g_build_filename (dir, safe_name, NULL);
  start = MIN (hints_lookup (hints, key), COMMIT_MAX_ATTEMPTS);

  /* The name itself, then "name (start)", "name (start + 1)"… */
  for (guint n = 0; n <= COMMIT_MAX_ATTEMPTS; n = n == 0 ? start : n + 1)
    {
      g_autofree char *candidate = n == 0 ? g_strdup (safe_name) : make_candidate (safe_name, n);
      int result = place_file (dir_fd, temp_path, candidate, &method);

      probes++;
      if (result == 0)
        {
          close (dir_fd);
          hints_update (hints, key, n, probes);
          if (out_final_name != NULL)
            *out_final_name = g_steal_pointer (&candidate);
          return TRUE;
        }

      if (result != EEXIST)
        {
          close (dir_fd);
          hints_update (hints, key, 0, probes);
          set_error_from_errno (error, result, dir, safe_name);
          return FALSE;
        }
    }

  close (dir_fd);
  hints_update (hints, key, 0, probes);

  {
    g_autofree char *display_dir = g_filename_display_name (dir);

    g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                 _("Could not save “%s” in the folder “%s”: too many files with that name"),
                 safe_name, display_dir);
  }

  return FALSE;
}
