/* ladle-install.c
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

#include "ladle-install.h"

/* The prefix @exe runs from when it sits in @exe_dir (relative to a prefix) of one, else NULL */
static char *
running_prefix (const char *exe,
                const char *exe_dir)
{
  g_autofree char *exe_path = g_canonicalize_filename (exe, "/");
  g_autofree char *parent = g_path_get_dirname (exe_path);
  /* "bin" → "/bin": a suffix that can only match at a folder boundary ("/opt/xbin" has none) */
  g_autofree char *suffix = g_canonicalize_filename (exe_dir, "/");
  gsize parent_len = strlen (parent);
  gsize suffix_len = strlen (suffix);

  if (strcmp (suffix, "/") == 0)
    return g_steal_pointer (&parent);
  if (parent_len < suffix_len || strcmp (parent + parent_len - suffix_len, suffix) != 0)
    return NULL;
  if (parent_len == suffix_len)
    return g_strdup ("/");
  return g_strndup (parent, parent_len - suffix_len);
}

/**
 * ladle_install_locate:
 * @exe: (nullable) (type filename): the running executable's absolute path (/proc/self/exe)
 * @exe_dir: (nullable): the folder an installation puts that executable in, relative to the prefix
 *   ("bin" for `ladle`, "libexec" for `ladle-window`)
 * @prefix: the prefix the program was built for (absolute)
 * @dir: the folder wanted, relative to the prefix ("share/locale"), or absolute
 *
 * When @exe sits at P/@exe_dir/NAME, the copy is installed in the prefix P, wherever that is, and
 * its files are under P: P/@dir. Otherwise (a build tree, `_build/src/ladle`; no @exe) the prefix
 * it was built for: @prefix/@dir. An absolute @dir (configured outside the prefix) does not move.
 * Only names are compared, nothing is read from disk.
 *
 * Returns: (transfer full) (type filename): the absolute folder
 */
char *
ladle_install_locate (const char *exe,
                      const char *exe_dir,
                      const char *prefix,
                      const char *dir)
{
  g_autofree char *running = NULL;

  g_return_val_if_fail (prefix != NULL && g_path_is_absolute (prefix), NULL);
  g_return_val_if_fail (dir != NULL, NULL);

  if (g_path_is_absolute (dir))
    return g_canonicalize_filename (dir, NULL);
  if (exe != NULL && g_path_is_absolute (exe) && exe_dir != NULL && !g_path_is_absolute (exe_dir))
    running = running_prefix (exe, exe_dir);
  return g_canonicalize_filename (dir, running != NULL ? running : prefix);
}

/**
 * ladle_install_locate_self:
 * @exe_dir: where the running executable is installed, relative to the prefix (BINDIR_REL or
 *   LIBEXECDIR_REL of config.h)
 * @dir: the folder wanted, relative to the prefix (LOCALEDIR_REL…)
 *
 * ladle_install_locate() for this program, found from /proc/self/exe (symbolic links followed),
 * and the prefix it was built for (PREFIX).
 *
 * Returns: (transfer full) (type filename): the absolute folder
 */
char *
ladle_install_locate_self (const char *exe_dir,
                           const char *dir)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);

  return ladle_install_locate (self, exe_dir, PREFIX, dir);
}
