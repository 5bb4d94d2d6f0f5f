/* test-metainfo.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The AppStream metainfo that software centres show, against the files it must agree with:
 *
 *  - its releases are NEWS's versions, in the same order, with the same dates, and each release's
 *    notes are the "Release notes:" block of that version in NEWS, word for word (paragraphs and
 *    "* " items; whitespace and line wrapping aside), each translated into Russian;
 *  - the newest release is the project's version (meson.build), and so is debian/changelog's;
 *  - its keywords are the desktop file's;
 *  - `appstreamcli validate --pedantic` reports nothing but the one hint the application id
 *    earns by design (see the note at check_validator_pedantic()).
 *
 * The built metainfo (translations merged) comes from LADLE_METAINFO, NEWS from the source tree.
 */

#include "config.h"

#include <string.h>

#include "ladle-test-utils.h"

typedef struct
{
  char *version;
  char *date;      /* YYYY-MM-DD, or NULL for "(unreleased)" in NEWS */
  char *type;      /* the metainfo's type attribute, NULL when absent */
  GPtrArray *notes; /* "p:TEXT" and "li:TEXT", whitespace collapsed */
  guint translated; /* metainfo only: notes with an xml:lang="ru" twin */
} Release;

static void
release_free (gpointer data)
{
  Release *r = data;

  g_free (r->version);
  g_free (r->date);
  g_free (r->type);
  g_ptr_array_unref (r->notes);
  g_free (r);
}

static Release *
release_new (void)
{
  Release *r = g_new0 (Release, 1);

  r->notes = g_ptr_array_new_with_free_func (g_free);
  return r;
}

/* Collapses runs of white space into one space and trims the ends. */
static char *
collapse_space (const char *text)
{
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static char *
source_path (const char *name)
{
  return g_build_filename (g_getenv ("G_TEST_SRCDIR"), "..", name, NULL);
}

/* --- NEWS ---------------------------------------------------------------------------------- */

/* Adds the paragraph or item gathered in @text (if any) to @r. */
static void
flush_note (Release  *r,
            GString  *text,
            gboolean  item)
{
  if (text->len == 0)
    return;
  {
    g_autofree char *collapsed = collapse_space (text->str);

    g_ptr_array_add (r->notes, g_strconcat (item ? "li:" : "p:", collapsed, NULL));
  }
  g_string_truncate (text, 0);
}

/* NEWS: "Ladle VERSION (YYYY-MM-DD|unreleased)" over a line of "=", then "Release notes:", the
 * notes (paragraphs, "* " items whose wrapped lines are indented), then "Changes in detail:". */
static GPtrArray *
parse_news (const char *contents)
{
  g_autoptr(GRegex) heading = g_regex_new ("^Ladle ([0-9][0-9.]*) \\((unreleased|[0-9]{4}-[0-9]{2}-[0-9]{2})\\)$",
                                           0, 0, NULL);
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);
  GPtrArray *releases = g_ptr_array_new_with_free_func (release_free);
  g_autoptr(GString) text = g_string_new (NULL);
  Release *current = NULL;
  enum { OUTSIDE, NOTES, DETAILS } state = OUTSIDE;
  gboolean item = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      g_autoptr(GMatchInfo) match = NULL;

      if (g_regex_match (heading, line, 0, &match))
        {
          if (current != NULL)
            flush_note (current, text, item);
          current = release_new ();
          current->version = g_match_info_fetch (match, 1);
          current->date = g_match_info_fetch (match, 2);
          if (g_str_equal (current->date, "unreleased"))
            g_clear_pointer (&current->date, g_free);
          g_ptr_array_add (releases, current);
          state = OUTSIDE;
          continue;
        }
      if (current == NULL)
        continue;
      if (g_str_equal (line, "Release notes:"))
        {
          state = NOTES;
          continue;
        }
      if (g_str_equal (line, "Changes in detail:"))
        {
          flush_note (current, text, item);
          state = DETAILS;
          continue;
        }
      if (state != NOTES)
        continue;

      if (line[0] == '\0')
        {
          flush_note (current, text, item);
          item = FALSE;
        }
      else if (g_str_has_prefix (line, "* "))
        {
          flush_note (current, text, item);
          item = TRUE;
          g_string_append (text, line + 2);
        }
      else
        {
          if (text->len == 0)
            item = FALSE;
          g_string_append_c (text, ' ');
          g_string_append (text, line);
        }
    }
  if (current != NULL)
    flush_note (current, text, item);

  return releases;
}

/* --- metainfo ------------------------------------------------------------------------------ */

typedef struct
{
  GPtrArray *releases;
  GPtrArray *keywords;  /* untranslated <keyword>s */
  gboolean content_rating_oars;
  Release *release;     /* inside <release> */
  gboolean in_description;
  gboolean in_keywords;
  const char *collect;  /* "p:" or "li:" while collecting an untranslated note */
  gboolean collect_ru;  /* collecting a Russian twin */
  gboolean collect_keyword;
  GString *text;
} MetainfoParse;

static void
meta_start (GMarkupParseContext  *context,
            const char           *element,
            const char          **names,
            const char          **values,
            gpointer              user_data,
            GError              **error)
{
  MetainfoParse *mp = user_data;
  const char *lang = NULL;

  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_equal (names[i], "xml:lang"))
      lang = values[i];

  if (g_str_equal (element, "release"))
    {
      mp->release = release_new ();
      for (guint i = 0; names[i] != NULL; i++)
        {
          if (g_str_equal (names[i], "version"))
            mp->release->version = g_strdup (values[i]);
          else if (g_str_equal (names[i], "date"))
            mp->release->date = g_strdup (values[i]);
          else if (g_str_equal (names[i], "type"))
            mp->release->type = g_strdup (values[i]);
        }
      g_ptr_array_add (mp->releases, mp->release);
    }
  else if (g_str_equal (element, "description") && mp->release != NULL)
    mp->in_description = TRUE;
  else if (mp->in_description && (g_str_equal (element, "p") || g_str_equal (element, "li")))
    {
      g_string_truncate (mp->text, 0);
      mp->collect = g_str_equal (element, "p") ? "p:" : "li:";
      mp->collect_ru = g_strcmp0 (lang, "ru") == 0;
      if (lang != NULL && !mp->collect_ru)
        mp->collect = NULL;
    }
  else if (g_str_equal (element, "keywords"))
    mp->in_keywords = TRUE;
  else if (mp->in_keywords && g_str_equal (element, "keyword") && lang == NULL)
    {
      g_string_truncate (mp->text, 0);
      mp->collect_keyword = TRUE;
    }
  else if (g_str_equal (element, "content_rating"))
    {
      for (guint i = 0; names[i] != NULL; i++)
        if (g_str_equal (names[i], "type") && g_str_equal (values[i], "oars-1.1"))
          mp->content_rating_oars = TRUE;
    }
}

static void
meta_end (GMarkupParseContext  *context,
          const char           *element,
          gpointer              user_data,
          GError              **error)
{
  MetainfoParse *mp = user_data;

  if (g_str_equal (element, "release"))
    mp->release = NULL;
  else if (g_str_equal (element, "description"))
    mp->in_description = FALSE;
  else if (g_str_equal (element, "keywords"))
    mp->in_keywords = FALSE;
  else if (mp->collect_keyword && g_str_equal (element, "keyword"))
    {
      g_ptr_array_add (mp->keywords, collapse_space (mp->text->str));
      mp->collect_keyword = FALSE;
    }
  else if (mp->collect != NULL && (g_str_equal (element, "p") || g_str_equal (element, "li")))
    {
      if (mp->collect_ru)
        mp->release->translated++;
      else
        {
          g_autofree char *collapsed = collapse_space (mp->text->str);

          g_ptr_array_add (mp->release->notes, g_strconcat (mp->collect, collapsed, NULL));
        }
      mp->collect = NULL;
    }
}

static void
meta_text (GMarkupParseContext  *context,
           const char           *text,
           gsize                 len,
           gpointer              user_data,
           GError              **error)
{
  MetainfoParse *mp = user_data;

  if (mp->collect != NULL || mp->collect_keyword)
    g_string_append_len (mp->text, text, len);
}

static void
parse_metainfo (MetainfoParse *mp)
{
  static const GMarkupParser parser = { meta_start, meta_end, meta_text, NULL, NULL };
  const char *path = g_getenv ("LADLE_METAINFO");
  g_autofree char *contents = NULL;
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (path);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  mp->releases = g_ptr_array_new_with_free_func (release_free);
  mp->keywords = g_ptr_array_new_with_free_func (g_free);
  mp->text = g_string_new (NULL);
  context = g_markup_parse_context_new (&parser, 0, mp, NULL);
  g_markup_parse_context_parse (context, contents, -1, &error);
  g_assert_no_error (error);
  g_markup_parse_context_end_parse (context, &error);
  g_assert_no_error (error);
}

static void
metainfo_parse_clear (MetainfoParse *mp)
{
  g_ptr_array_unref (mp->releases);
  g_ptr_array_unref (mp->keywords);
  g_string_free (mp->text, TRUE);
}

static GPtrArray *
read_news (void)
{
  g_autofree char *path = source_path ("NEWS");
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return parse_news (contents);
}

/* --- tests --------------------------------------------------------------------------------- */

/* The parser itself, on a NEWS of two versions, so that a parser that finds nothing cannot make
 * the comparison below pass on an empty list. */
static void
test_news_parser (void)
{
  const char *news =
    "Ladle 0.2.0 (unreleased)\n"
    "========================\n"
    "\n"
    "Release notes:\n"
    "\n"
    "A paragraph that is\n"
    "wrapped.\n"
    "\n"
    "* One item\n"
    "* Two items, the second\n"
    "  wrapped\n"
    "\n"
    "Changes in detail:\n"
    "\n"
    "- a detail that is not a note\n"
    "\n"
    "Ladle 0.1.0 (2026-12-06)\n"
    "========================\n"
    "\n"
    "Release notes:\n"
    "\n"
    "Only this.\n"
    "\n"
    "Changes in detail:\n"
    "- detail\n";
  g_autoptr(GPtrArray) releases = parse_news (news);
  Release *r;

  g_assert_cmpuint (releases->len, ==, 2);
  r = releases->pdata[0];
  g_assert_cmpstr (r->version, ==, "0.2.0");
  g_assert_null (r->date);
  g_assert_cmpuint (r->notes->len, ==, 3);
  g_assert_cmpstr (r->notes->pdata[0], ==, "p:A paragraph that is wrapped.");
  g_assert_cmpstr (r->notes->pdata[1], ==, "li:One item");
  g_assert_cmpstr (r->notes->pdata[2], ==, "li:Two items, the second wrapped");
  r = releases->pdata[1];
  g_assert_cmpstr (r->version, ==, "0.1.0");
  g_assert_cmpstr (r->date, ==, "2026-12-06");
  g_assert_cmpuint (r->notes->len, ==, 1);
  g_assert_cmpstr (r->notes->pdata[0], ==, "p:Only this.");
}

static void
test_releases_match_news (void)
{
  g_autoptr(GPtrArray) news = read_news ();
  MetainfoParse mp = { 0 };

  parse_metainfo (&mp);

  g_assert_cmpuint (news->len, >, 0);
  for (guint i = 0; i < MAX (news->len, mp.releases->len); i++)
    {
      Release *n = i < news->len ? news->pdata[i] : NULL;
      Release *m = i < mp.releases->len ? mp.releases->pdata[i] : NULL;

      if (n == NULL)
        g_error ("the metainfo has release %s, NEWS does not", m->version);
      if (m == NULL)
        g_error ("NEWS has version %s, the metainfo's <releases> does not", n->version);
      g_test_message ("release %s: %u notes", n->version, n->notes->len);
      g_assert_cmpstr (m->version, ==, n->version);
      if (n->date != NULL)
        {
          g_assert_cmpstr (m->date, ==, n->date);
          g_assert_cmpstr (m->type, !=, "development");
        }
      else if (g_strcmp0 (m->type, "development") != 0)
        g_error ("NEWS says %s is unreleased: its metainfo release needs type=\"development\"",
                 n->version);

      g_assert_cmpuint (n->notes->len, >, 0);
      for (guint k = 0; k < MAX (n->notes->len, m->notes->len); k++)
        {
          const char *want = k < n->notes->len ? n->notes->pdata[k] : "(nothing)";
          const char *got = k < m->notes->len ? m->notes->pdata[k] : "(nothing)";

          if (!g_str_equal (want, got))
            g_error ("release %s, note %u:\n  NEWS:     %s\n  metainfo: %s", n->version, k + 1,
                     want, got);
        }
      /* Every note reaches Russian readers too. */
      g_assert_cmpuint (m->translated, ==, m->notes->len);
    }
  metainfo_parse_clear (&mp);
}

static void
test_version_is_project_version (void)
{
  g_autoptr(GPtrArray) news = read_news ();
  const char *project = g_getenv ("LADLE_PROJECT_VERSION");
  Release *top;

  g_assert_nonnull (project);
  g_assert_cmpuint (news->len, >, 0);
  top = news->pdata[0];
  g_assert_cmpstr (top->version, ==, project);
}

/* The Debian package's version is the project's with a Debian revision: "ladle (VERSION-N)". */
static void
test_debian_changelog_version (void)
{
  g_autofree char *path = source_path ("debian/changelog");
  g_autofree char *contents = NULL;
  g_autofree char *want = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  want = g_strdup_printf ("ladle (%s-", g_getenv ("LADLE_PROJECT_VERSION"));
  if (!g_str_has_prefix (contents, want))
    g_error ("debian/changelog's first entry is not version %s-N of ladle: %.40s",
             g_getenv ("LADLE_PROJECT_VERSION"), contents);
}

static GPtrArray *
desktop_keywords (void)
{
  g_autofree char *path = source_path ("data/io.github.ladle.Ladle.desktop.in");
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) list = NULL;
  GPtrArray *keywords = g_ptr_array_new_with_free_func (g_free);

  g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  list = g_key_file_get_string_list (keyfile, "Desktop Entry", "Keywords", NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; list[i] != NULL; i++)
    g_ptr_array_add (keywords, g_strdup (list[i]));
  return keywords;
}

static void
test_keywords_and_rating (void)
{
  g_autoptr(GPtrArray) desktop = desktop_keywords ();
  MetainfoParse mp = { 0 };

  parse_metainfo (&mp);
  g_assert_true (mp.content_rating_oars);
  g_assert_cmpuint (mp.keywords->len, >, 0);
  for (guint i = 0; i < desktop->len; i++)
    if (!g_ptr_array_find_with_equal_func (mp.keywords, desktop->pdata[i], g_str_equal, NULL))
      g_error ("desktop keyword “%s” is not among the metainfo's <keywords>",
               (char *) desktop->pdata[i]);
  for (guint i = 0; i < mp.keywords->len; i++)
    if (!g_ptr_array_find_with_equal_func (desktop, mp.keywords->pdata[i], g_str_equal, NULL))
      g_error ("metainfo keyword “%s” is not among the desktop file's Keywords",
               (char *) mp.keywords->pdata[i]);
  metainfo_parse_clear (&mp);
}

/* `appstreamcli validate --pedantic`: every error, warning, info and pedantic hint fails the
 * test except one. AppStream 0.16 (Debian 12) hints "cid-contains-uppercase-letter" for any
 * component id with a capital letter, io.github.ladle.Ladle included. The id follows the
 * reverse-DNS form GNOME applications use (the last part is the application's name), it is the
 * GApplication id, the desktop file's and icon's name, the settings schema's id and the name of
 * the user's data folder: renaming it would move every user's data and settings. AppStream 1.0
 * dropped the hint (only the domain part must be lowercase there). */
static void
check_validator_pedantic (const char *path)
{
  const char *argv[] = { "appstreamcli", "validate", "--no-net", "--pedantic", "--explain",
                         path, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  int status = 0;
  guint allowed = 0;

  if (!ladle_test_have_program ("appstreamcli", "appstream"))
    return;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                &status, &error);
  g_assert_no_error (error);
  g_test_message ("%s%s", out, err);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (strlen (line) < 3 || line[1] != ':' || line[2] != ' ' || strchr ("EWIP", line[0]) == NULL)
        continue;
      if (line[0] == 'P' && strstr (line, " cid-contains-uppercase-letter ") != NULL)
        {
          allowed++;
          continue;
        }
      g_error ("appstreamcli validate --pedantic: %s", line);
    }
  g_assert_cmpuint (allowed, <=, 1);
}

static void
test_validate_pedantic (void)
{
  check_validator_pedantic (g_getenv ("LADLE_METAINFO"));
}

/* The check above fails on a hint it does not expect (a metainfo with no <releases> earns one). */
static void
test_validate_pedantic_can_fail (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *dir = ladle_test_make_tmpdir ("metainfo-XXXXXX");
      g_autofree char *path = g_build_filename (dir, "io.github.ladle.Ladle.metainfo.xml", NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GString) broken = NULL;
      g_autoptr(GError) error = NULL;
      gssize start, end;

      g_file_get_contents (g_getenv ("LADLE_METAINFO"), &contents, NULL, &error);
      g_assert_no_error (error);
      broken = g_string_new (contents);
      start = strstr (broken->str, "<releases>") - broken->str;
      end = strstr (broken->str, "</releases>") - broken->str + strlen ("</releases>");
      g_string_erase (broken, start, end - start);
      g_file_set_contents (path, broken->str, -1, &error);
      g_assert_no_error (error);
      check_validator_pedantic (path);
      ladle_test_rm_rf (dir);
      return;
    }
  if (!ladle_test_have_program ("appstreamcli", "appstream"))
    return;
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*appstreamcli validate --pedantic:*");
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  g_test_add_func ("/metainfo/news-parser", test_news_parser);
  g_test_add_func ("/metainfo/releases-match-news", test_releases_match_news);
  g_test_add_func ("/metainfo/version-is-project-version", test_version_is_project_version);
  g_test_add_func ("/metainfo/debian-changelog-version", test_debian_changelog_version);
  g_test_add_func ("/metainfo/keywords-and-rating", test_keywords_and_rating);
  g_test_add_func ("/metainfo/validate-pedantic", test_validate_pedantic);
  g_test_add_func ("/metainfo/validate-pedantic-can-fail", test_validate_pedantic_can_fail);

  return ladle_test_run ();
}
