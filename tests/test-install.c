/* test-install.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Where an installed copy finds its files (ladle-install.c). The installed copy itself is run by
 * test-installed.c. */

#include "config.h"

#include <unistd.h>

#include "ladle-install.h"
#include "ladle-test-utils.h"

static void
assert_locate (const char *exe,
               const char *exe_dir,
               const char *prefix,
               const char *dir,
               const char *expected)
{
  g_autofree char *found = ladle_install_locate (exe, exe_dir, prefix, dir);

  g_assert_cmpstr (found, ==, expected);
}

/* Installed where it was built for, or anywhere else: the files are in the prefix it runs from */
static void
test_relocated (void)
{
  assert_locate ("/usr/local/bin/ladle", "bin", "/usr/local", "share/locale",
                 "/usr/local/share/locale");
  /* DESTDIR */
  assert_locate ("/tmp/d/usr/local/bin/ladle", "bin", "/usr/local", "share/locale",
                 "/tmp/d/usr/local/share/locale");
  assert_locate ("/tmp/d/usr/local/bin/ladle", "bin", "/usr/local", "libexec",
                 "/tmp/d/usr/local/libexec");
  /* Moved to another prefix; the window's executable is in libexecdir */
  assert_locate ("/opt/ladle/libexec/ladle-window", "libexec", "/usr", "share/locale",
                 "/opt/ladle/share/locale");
  /* A libexecdir of several levels (Debian's lib/ARCH), given untidy */
  assert_locate ("/usr/lib/x86_64-linux-gnu/ladle-window", "./lib//x86_64-linux-gnu/", "/usr/local",
                 "share/locale", "/usr/share/locale");
  /* The root as prefix, and a bindir that is the prefix itself */
  assert_locate ("/bin/ladle", "bin", "/usr", "share/locale", "/share/locale");
  assert_locate ("/opt/ladle/ladle", ".", "/usr", "share/locale", "/opt/ladle/share/locale");
  /* Untidy names from /proc/self/exe or the build options */
  assert_locate ("/opt//ladle/./bin/ladle", "bin/", "/usr/", "share/locale/",
                 "/opt/ladle/share/locale");
}

/* Not in an installed layout: the compiled-in prefix */
static void
test_not_installed (void)
{
  /* A build tree */
  assert_locate ("/home/u/ladle/_build/src/ladle", "bin", "/usr/local", "share/locale",
                 "/usr/local/share/locale");
  assert_locate ("/home/u/ladle/_build/src/ladle-window", "libexec", "/usr/local", "share/locale",
                 "/usr/local/share/locale");
  /* A folder that only ends like the bindir is not it */
  assert_locate ("/opt/xbin/ladle", "bin", "/usr", "share/locale", "/usr/share/locale");
  assert_locate ("/opt/bin/sub/ladle", "bin", "/usr", "share/locale", "/usr/share/locale");
  /* Unknown executable, or an installation folder configured outside the prefix */
  assert_locate (NULL, "bin", "/usr", "share/locale", "/usr/share/locale");
  assert_locate ("relative/bin/ladle", "bin", "/usr", "share/locale", "/usr/share/locale");
  assert_locate ("/opt/bin/ladle", "/opt/bin", "/usr", "share/locale", "/usr/share/locale");
  assert_locate ("/opt/bin/ladle", NULL, "/usr", "share/locale", "/usr/share/locale");
  /* A folder configured outside the prefix does not move */
  assert_locate ("/opt/ladle/bin/ladle", "bin", "/usr", "/var/lib/locale", "/var/lib/locale");
}

/* This test program runs from the build tree: the compiled-in folders */
static void
test_self (void)
{
  g_autofree char *localedir = ladle_install_locate_self (BINDIR_REL, LOCALEDIR_REL);
  g_autofree char *expected = g_canonicalize_filename (LOCALEDIR_REL, PREFIX);
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *self_dir = g_path_get_dirname (self);

  g_assert_true (g_str_has_suffix (self_dir, "/tests"));
  g_assert_cmpstr (localedir, ==, expected);
  g_assert_cmpstr (localedir, ==, LOCALEDIR);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  g_test_add_func ("/ladle/install/relocated", test_relocated);
  g_test_add_func ("/ladle/install/not-installed", test_not_installed);
  g_test_add_func ("/ladle/install/self", test_self);

  return ladle_test_run ();
}
