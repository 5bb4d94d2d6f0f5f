/* test-filename.c
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

#include "ladle-filename.h"

#include "ladle-test-utils.h"

#include <glib/gstdio.h>

#include <string.h>
#include <unistd.h>

#define CYRILLIC_NAME "отчёт за май.txt"

static void
test_sanitize_cases (void)
{
  struct {
    const char *in;
    const char *out;
  } cases[] = {
    { "report.txt", "report.txt" },
    { CYRILLIC_NAME, CYRILLIC_NAME },
    { "日本語 ファイル.pdf", "日本語 ファイル.pdf" },
    { "../../etc/passwd", "passwd" },
    { "/etc/shadow", "shadow" },
    { "C:\\x\\evil.txt", "evil.txt" },
    { "..\\..\\boot.ini", "boot.ini" },
    { "a/b/", "b" },
    { "a\\b\\\\", "b" },
    { "/", "upload" },
    { "//", "upload" },
    { "\\", "upload" },
    { "", "upload" },
    { ".", "upload" },
    { "..", "upload" },
    { "...", "upload" },
    { "../..", "upload" },
    { "a/..", "upload" },
    { "  name  ", "name" },
    { "\tname.txt\t", "name.txt" },
    { "  .  ", "upload" },
    { "a\r\nb.txt", "ab.txt" },
    { "evil\r\nContent-Type: x.txt", "evilContent-Type: x.txt" },
    { "\r\n", "upload" },
    { "del\x7f.txt", "del.txt" },
    { "bell\a\b\x1b[31m.txt", "bell[31m.txt" },
    { "c1\xc2\x85\xc2\x9f.txt", "c1.txt" },                 /* U+0085, U+009F */
    { "dir/\x01\x02", "upload" },
    { ".bashrc", "_bashrc" },
    { "..foo", "_.foo" },
    { " .hidden", "_hidden" },
    { "dir/.ssh", "_ssh" },
    { "bad\xff\xfe.txt", "bad\xef\xbf\xbd\xef\xbf\xbd.txt" }, /* U+FFFD for invalid bytes */
    { "invoice\xe2\x80\xaetxt.exe", "invoicetxt.exe" },       /* U+202E RIGHT-TO-LEFT OVERRIDE */
    { "name.txt.", "name.txt." },
    { "a:b*c?.txt", "a:b*c?.txt" },
    { "\xe3\x80\x80wide space\xe3\x80\x80", "wide space" },   /* U+3000 around */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = ladle_filename_sanitize (cases[i].in, 0);

      g_test_message ("case %u", i);
      g_assert_cmpstr (out, ==, cases[i].out);
      g_assert_true (g_utf8_validate (out, -1, NULL));
    }

  {
    g_autofree char *out = ladle_filename_sanitize (NULL, 0);

    g_assert_cmpstr (out, ==, "upload");
  }
}

static void
assert_safe (const char *name,
             gsize       max_bytes)
{
  g_assert_nonnull (name);
  g_assert_cmpuint (strlen (name), >, 0);
  g_assert_cmpuint (strlen (name), <=, max_bytes);
  g_assert_true (g_utf8_validate (name, -1, NULL));
  g_assert_null (strchr (name, '/'));
  g_assert_cmpint (name[0], !=, '.');
}

static void
test_sanitize_long (void)
{
  g_autoptr(GString) ascii = g_string_new (NULL);
  g_autoptr(GString) cyrillic = g_string_new (NULL);
  g_autoptr(GString) long_ext = g_string_new (NULL);
  g_autoptr(GString) no_ext = g_string_new (NULL);
  g_autofree char *out = NULL;

  /* Long ASCII: cut to 255 with the extension kept */
  for (guint i = 0; i < 300; i++)
    g_string_append_c (ascii, 'a');
  g_string_append (ascii, ".txt");
  out = ladle_filename_sanitize (ascii->str, 0);
  assert_safe (out, 255);
  g_assert_cmpuint (strlen (out), ==, 255);
  g_assert_true (g_str_has_suffix (out, ".txt"));
  g_assert_cmpuint (strspn (out, "a"), ==, 251);
  g_clear_pointer (&out, g_free);

  /* Long Cyrillic (2 bytes a letter): cut between letters, never inside one */
  for (guint i = 0; i < 200; i++)
    g_string_append (cyrillic, "ж");
  g_string_append (cyrillic, ".pdf");
  out = ladle_filename_sanitize (cyrillic->str, 0);
  assert_safe (out, 255);
  g_assert_true (g_str_has_suffix (out, ".pdf"));
  g_assert_cmpuint (strlen (out), ==, 125 * 2 + 4);
  g_assert_cmpuint (g_utf8_strlen (out, -1), ==, 125 + 4);
  g_assert_true (strncmp (out, cyrillic->str, 250) == 0);
  g_clear_pointer (&out, g_free);

  /* An extension longer than 16 bytes is not worth keeping: a plain cut */
  for (guint i = 0; i < 250; i++)
    g_string_append_c (long_ext, 'n');
  g_string_append (long_ext, ".this-is-no-extension");
  out = ladle_filename_sanitize (long_ext->str, 0);
  assert_safe (out, 255);
  g_assert_cmpuint (strlen (out), ==, 255);
  g_assert_true (strncmp (out, long_ext->str, 255) == 0);
  g_clear_pointer (&out, g_free);

  /* Odd lengths of 3-byte characters, with no extension */
  for (guint i = 0; i < 100; i++)
    g_string_append (no_ext, "語");
  out = ladle_filename_sanitize (no_ext->str, 0);
  assert_safe (out, 255);
  g_assert_cmpuint (strlen (out), ==, 255);
  g_clear_pointer (&out, g_free);
  out = ladle_filename_sanitize (no_ext->str, 10);
  g_assert_cmpstr (out, ==, "語語語");
  g_clear_pointer (&out, g_free);
}

static void
test_sanitize_max_bytes (void)
{
  struct {
    const char *in;
    gsize       max;
    const char *out;
  } cases[] = {
    { CYRILLIC_NAME, 10, "отч.txt" },
    { CYRILLIC_NAME, 11, "отч.txt" },
    { CYRILLIC_NAME, 12, "отчё.txt" },
    { "aaaa bbbb.txt", 9, "aaaa.txt" },            /* no space left before the extension */
    /* a letter is never separated from its combining accent (e + U+0301) */
    { "e\xcc\x81" "e\xcc\x81" "e\xcc\x81", 4, "e\xcc\x81" },
    { "e\xcc\x81" "e\xcc\x81" "e\xcc\x81", 6, "e\xcc\x81" "e\xcc\x81" },
    { "abcdef.txt", 4, "abcd" },                   /* the extension does not fit */
    { "ж", 1, "u" },                               /* nothing fits: the fallback, cut */
    { "", 3, "upl" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = ladle_filename_sanitize (cases[i].in, cases[i].max);

      g_test_message ("case %u", i);
      g_assert_cmpstr (out, ==, cases[i].out);
      assert_safe (out, cases[i].max);
    }
}

/* Random bytes never give a dangerous name. */
static void
test_sanitize_fuzz (void)
{
  for (guint round = 0; round < 2000; round++)
    {
      guint8 buf[400];
      gsize len = g_test_rand_int_range (0, sizeof buf - 1);
      gsize max = g_test_rand_int_range (0, 2) == 0 ? 0 : (gsize) g_test_rand_int_range (1, 40);
      g_autofree char *out = NULL;

      for (gsize i = 0; i < len; i++)
        {
          /* plenty of separators, dots and controls */
          static const char specials[] = "/\\.. \r\n\x7f";
          buf[i] = g_test_rand_int_range (0, 4) == 0
                   ? (guint8) specials[g_test_rand_int_range (0, sizeof specials - 1)]
                   : (guint8) g_test_rand_int_range (1, 256);
        }
      buf[len] = '\0';

      out = ladle_filename_sanitize ((const char *) buf, max);
      assert_safe (out, max == 0 ? 255 : max);
      g_assert_cmpstr (out, !=, "..");
      for (const char *p = out; *p != '\0'; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);

          g_assert_false (c < 0x20 || (c >= 0x7f && c <= 0x9f));
          g_assert_cmpint (c, !=, '\\');
        }
    }
}

/* ------------------------------------------------------------------------------------------- */

typedef struct
{
  char *dir;
  guint n_temps;
} CommitFixture;

static void
commit_setup (CommitFixture *f,
              gconstpointer  data)
{
  f->dir = ladle_test_make_tmpdir ("ladle-filename-XXXXXX");
}

static void
commit_teardown (CommitFixture *f,
                 gconstpointer  data)
{
  ladle_test_rm_rf (f->dir);
  g_clear_pointer (&f->dir, g_free);
}

/* A complete upload in a hidden temp file in the folder, as the server writes it */
static char *
make_temp (CommitFixture *f,
           const char    *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf (".ladle-upload-%u.part", f->n_temps++);
  char *path = g_build_filename (f->dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
assert_file_contents (const char *dir,
                      const char *name,
                      const char *expected)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, expected);
}

static char *
commit_ok (CommitFixture *f,
           const char    *safe_name,
           const char    *contents)
{
  g_autofree char *temp = make_temp (f, contents);
  g_autoptr(GError) error = NULL;
  char *final_name = NULL;

  g_assert_true (ladle_filename_commit (f->dir, temp, safe_name, &final_name, &error));
  g_assert_no_error (error);
  g_assert_nonnull (final_name);
  g_assert_false (g_file_test (temp, G_FILE_TEST_EXISTS));
  assert_file_contents (f->dir, final_name, contents);
  return final_name;
}

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
test_commit_numbering (CommitFixture *f,
                       gconstpointer  data)
{
  g_autofree char *first = commit_ok (f, "report.txt", "one");
  g_autofree char *second = commit_ok (f, "report.txt", "two");
  g_autofree char *third = commit_ok (f, "report.txt", "three");

  g_assert_cmpstr (first, ==, "report.txt");
  g_assert_cmpstr (second, ==, "report (1).txt");
  g_assert_cmpstr (third, ==, "report (2).txt");

  /* Earlier files are untouched, and no temp file is left */
  assert_file_contents (f->dir, "report.txt", "one");
  assert_file_contents (f->dir, "report (1).txt", "two");
  assert_file_contents (f->dir, "report (2).txt", "three");
  g_assert_cmpuint (count_entries (f->dir), ==, 3);
}

static void
test_commit_names (CommitFixture *f,
                   gconstpointer  data)
{
  struct {
    const char *name;
    const char *second;
  } cases[] = {
    { "archive.tar.gz", "archive (1).tar.gz" },
    { "README", "README (1)" },
    { CYRILLIC_NAME, "отчёт за май (1).txt" },
    { "v1.2.3.zip", "v1.2.3 (1).zip" },
    { "_bashrc", "_bashrc (1)" },
    { "x.tar.GZ", "x (1).tar.GZ" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *first = commit_ok (f, cases[i].name, "a");
      g_autofree char *second = commit_ok (f, cases[i].name, "b");

      g_assert_cmpstr (first, ==, cases[i].name);
      g_assert_cmpstr (second, ==, cases[i].second);
      assert_file_contents (f->dir, cases[i].name, "a");
    }
}

static void
test_commit_long_name (CommitFixture *f,
                       gconstpointer  data)
{
  g_autoptr(GString) long_name = g_string_new (NULL);
  g_autofree char *safe = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;

  for (guint i = 0; i < 200; i++)
    g_string_append (long_name, "ж");
  g_string_append (long_name, ".txt");
  safe = ladle_filename_sanitize (long_name->str, 0);

  first = commit_ok (f, safe, "1");
  second = commit_ok (f, safe, "2");
  third = commit_ok (f, safe, "3");

  g_assert_cmpstr (first, ==, safe);
  for (const char *name = second; name != NULL; name = name == second ? third : NULL)
    {
      assert_safe (name, 255);
      g_assert_true (g_str_has_suffix (name, name == second ? " (1).txt" : " (2).txt"));
      g_assert_true (g_str_has_prefix (name, "жжж"));
    }
  assert_file_contents (f->dir, safe, "1");
}

/* An existing directory or symlink (even dangling) counts as taken, and a symlink is never
 * followed to write somewhere else. */
static void
test_commit_existing_entries (CommitFixture *f,
                              gconstpointer  data)
{
  g_autofree char *subdir = g_build_filename (f->dir, "photo.jpg", NULL);
  g_autofree char *outside = g_build_filename (f->dir, "outside-target", NULL);
  g_autofree char *link = g_build_filename (f->dir, "evil.txt", NULL);
  g_autofree char *photo = NULL;
  g_autofree char *evil = NULL;

  g_assert_cmpint (g_mkdir (subdir, 0700), ==, 0);
  g_assert_cmpint (symlink (outside, link), ==, 0);

  photo = commit_ok (f, "photo.jpg", "jpeg");
  evil = commit_ok (f, "evil.txt", "payload");

  g_assert_cmpstr (photo, ==, "photo (1).jpg");
  g_assert_cmpstr (evil, ==, "evil (1).txt");
  g_assert_true (g_file_test (subdir, G_FILE_TEST_IS_DIR));
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  g_assert_false (g_file_test (outside, G_FILE_TEST_EXISTS));
}

static void
test_commit_errors (CommitFixture *f,
                    gconstpointer  data)
{
  g_autofree char *temp = make_temp (f, "keep me");
  g_autofree char *missing_dir = g_build_filename (f->dir, "no-such-folder", NULL);
  g_autofree char *missing_temp = g_build_filename (f->dir, "no-such-temp", NULL);
  const char *bad_names[] = { "", ".", "..", "a/b", "../x" };
  char *final_name = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad_names); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (ladle_filename_commit (f->dir, temp, bad_names[i], &final_name, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME);
      g_assert_null (final_name);
    }

  {
    g_autoptr(GError) error = NULL;

    g_assert_false (ladle_filename_commit (missing_dir, temp, "x.txt", &final_name, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, "no-such-folder"));
    g_assert_null (final_name);
  }

  {
    g_autoptr(GError) error = NULL;

    g_assert_false (ladle_filename_commit (f->dir, missing_temp, "x.txt", &final_name, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, f->dir));
    g_assert_null (final_name);
  }

  {
    g_autoptr(GError) error = NULL;

    /* A file where the folder should be */
    g_assert_false (ladle_filename_commit (temp, temp, "x.txt", &final_name, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY);
    g_assert_null (final_name);
  }

  /* After every failure the temp file is still there for the caller to remove */
  g_assert_true (g_file_test (temp, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (count_entries (f->dir), ==, 1);
}

static void
test_commit_read_only (CommitFixture *f,
                       gconstpointer  data)
{
  g_autofree char *temp = make_temp (f, "data");
  g_autoptr(GError) error = NULL;
  char *final_name = NULL;

  if (geteuid () == 0)
    {
      g_test_skip ("root ignores folder permissions");
      return;
    }

  g_assert_cmpint (g_chmod (f->dir, 0500), ==, 0);
  g_assert_false (ladle_filename_commit (f->dir, temp, "x.txt", &final_name, &error));
  g_assert_cmpint (g_chmod (f->dir, 0700), ==, 0);

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, f->dir));
  g_assert_true (g_file_test (temp, G_FILE_TEST_IS_REGULAR));
}

/* Hostile names end up as plain, visible files inside the folder. */
static void
test_commit_sanitized_roundtrip (CommitFixture *f,
                                 gconstpointer  data)
{
  const char *hostile[] = { "../../etc/passwd", ".bashrc", "C:\\x\\evil.txt", "..", "a\r\nb" };

  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autofree char *safe = ladle_filename_sanitize (hostile[i], 0);
      g_autofree char *final_name = commit_ok (f, safe, hostile[i]);
      g_autofree char *path = g_build_filename (f->dir, final_name, NULL);
      g_autofree char *parent = g_path_get_dirname (path);

      g_assert_cmpstr (parent, ==, f->dir);
      g_assert_cmpint (final_name[0], !=, '.');
    }
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  g_test_add_func ("/ladle/filename/sanitize/cases", test_sanitize_cases);
  g_test_add_func ("/ladle/filename/sanitize/long", test_sanitize_long);
  g_test_add_func ("/ladle/filename/sanitize/max-bytes", test_sanitize_max_bytes);
  g_test_add_func ("/ladle/filename/sanitize/fuzz", test_sanitize_fuzz);
  g_test_add ("/ladle/filename/commit/numbering", CommitFixture, NULL,
              commit_setup, test_commit_numbering, commit_teardown);
  g_test_add ("/ladle/filename/commit/names", CommitFixture, NULL,
              commit_setup, test_commit_names, commit_teardown);
  g_test_add ("/ladle/filename/commit/long-name", CommitFixture, NULL,
              commit_setup, test_commit_long_name, commit_teardown);
  g_test_add ("/ladle/filename/commit/existing-entries", CommitFixture, NULL,
              commit_setup, test_commit_existing_entries, commit_teardown);
  g_test_add ("/ladle/filename/commit/errors", CommitFixture, NULL,
              commit_setup, test_commit_errors, commit_teardown);
  g_test_add ("/ladle/filename/commit/read-only", CommitFixture, NULL,
              commit_setup, test_commit_read_only, commit_teardown);
  g_test_add ("/ladle/filename/commit/sanitized", CommitFixture, NULL,
              commit_setup, test_commit_sanitized_roundtrip, commit_teardown);

  return ladle_test_run ();
}
