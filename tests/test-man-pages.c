/* test-man-pages.c
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

#include "ladle-test-utils.h"

/* The manual pages (doc/man) against the real executable (LADLE_BIN): every command that
 * `ladle --help` lists has a page, named in ladle(1); every option that `ladle COMMAND --help-all`
 * lists is an item of that command's page, and every option item of a page is one the command
 * has (--version aside); and each page renders without a warning.
 *
 * The pages are read as built (LADLE_MAN_DIR: the roff files scdoc wrote), the text a reader
 * gets. An option counts only as the term of a definition ("-X, --request=METHOD", the line
 * before an indented block), not as a mention in passing. */

/* Options documented before the executable has them: another change brings `--version` after a
 * command. */
static const char * const not_yet_in_help[] = { "--version", NULL };

/* ladle(1) documents the window's GApplication options, which only the window (and a display)
 * can list. */
static const char * const window_options[] = {
  "--help-all", "--help-gapplication", "--gapplication-service", NULL
};

/* Fails the test with every problem found, one a line, rather than at the first */
static void
check_no_problems (GString *problems)
{
  if (problems->len == 0)
    return;
  g_test_message ("%s", problems->str);
  g_test_fail ();
}

static char *
man_dir (void)
{
  const char *dir = g_getenv ("LADLE_MAN_DIR");

  if (dir != NULL)
    return g_strdup (dir);
  return g_test_build_filename (G_TEST_BUILT, "..", "doc", "man", NULL);
}

static char *
page_path (const char *page)
{
  g_autofree char *dir = man_dir ();
  g_autofree char *name = g_strconcat (page, ".1", NULL);

  return g_build_filename (dir, name, NULL);
}

/* The text of a roff line without its escapes: fonts, \& and \- (a hyphen some writers escape),
 * \e (a backslash). */
static char *
unroff (const char *line)
{
  GString *text = g_string_new (NULL);

  for (const char *p = line; *p != '\0'; p++)
    {
      if (p[0] != '\\' || p[1] == '\0')
        {
          g_string_append_c (text, *p);
          continue;
        }
      p++;
      switch (*p)
        {
        case 'f':           /* \fB \fI \fR \fP, and \f(XX */
          if (p[1] == '(' && p[2] != '\0' && p[3] != '\0')
            p += 3;
          else if (p[1] != '\0')
            p++;
          break;
        case '&':
          break;
        case '-':
          g_string_append_c (text, '-');
          break;
        case 'e':
        case '\\':
          g_string_append_c (text, '\\');
          break;
        default:
          g_string_append_c (text, '\\');
          g_string_append_c (text, *p);
          break;
        }
    }
  return g_string_free (text, FALSE);
}

/* A built page: its roff lines. Fails unless it exists, is not empty and is the page of @page. */
static char **
read_page (const char *page)
{
  g_autofree char *path = page_path (page);
  g_autofree char *contents = NULL;
  g_autofree char *title = g_strdup_printf (".TH \"%s\" \"1\"", page);
  g_autoptr(GError) error = NULL;

  if (!g_file_get_contents (path, &contents, NULL, &error))
    g_error ("the manual page %s was not built: %s", path, error->message);
  g_assert_true (g_utf8_validate (contents, -1, NULL));
  g_assert_nonnull (strstr (contents, title));
  return g_strsplit (contents, "\n", -1);
}

/* The option names of each definition term of a page that starts with an option: "-X, --request"
 * for "\fB-X\fR, \fB--request\fR=\fIMETHOD\fR" followed by ".RS 4". One string per term, the
 * names separated by one space. */
static GPtrArray *
page_option_terms (char **lines)
{
  GPtrArray *terms = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; lines[i] != NULL && lines[i + 1] != NULL; i++)
    {
      g_autofree char *text = NULL;
      g_autofree char *names_part = NULL;
      g_auto(GStrv) names = NULL;
      GString *term;
      char *equals;

      if (!g_str_has_prefix (lines[i + 1], ".RS"))
        continue;
      text = unroff (lines[i]);
      if (text[0] != '-')
        continue;

      /* The names come before the argument: "--var=NAME=VALUE", "-E, --cert=FILE[:PASS]" */
      names_part = g_strdup (text);
      equals = strchr (names_part, '=');
      if (equals != NULL)
        *equals = '\0';
      names = g_strsplit (names_part, ",", -1);
      term = g_string_new (NULL);
      for (guint j = 0; names[j] != NULL; j++)
        {
          char *name = g_strstrip (names[j]);

          if (name[0] != '-')
            continue;           /* "-h, --help, help" */
          if (term->len > 0)
            g_string_append_c (term, ' ');
          g_string_append (term, name);
        }
      g_ptr_array_add (terms, g_string_free (term, FALSE));
    }
  return terms;
}

static char *
run_ladle (const char *command,
           const char *option)
{
  const char *argv[] = { g_getenv ("LADLE_BIN"), command, option, NULL };
  /* English, whatever the machine's language */
  const char *env[] = { "LC_ALL", "C.UTF-8", "LANGUAGE", NULL, "LANG", NULL, NULL };
  g_autofree char *err = NULL;
  char *out = NULL;
  int status;

  g_assert_nonnull (argv[0]);
  if (command == NULL)
    {
      argv[1] = option;
      argv[2] = NULL;
    }
  status = ladle_test_run_command (argv, env, &out, &err);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (status, ==, 0);
  return out;
}

/* The commands of `ladle --help`: the lines "  send     Send one HTTP request…" after
 * "Commands:". */
static GPtrArray *
help_commands (void)
{
  g_autofree char *help = run_ladle (NULL, "--help");
  g_auto(GStrv) lines = g_strsplit (help, "\n", -1);
  g_autoptr(GRegex) regex = g_regex_new ("^  ([a-z][a-z0-9-]*)  +\\S", 0, 0, NULL);
  GPtrArray *commands = g_ptr_array_new_with_free_func (g_free);
  gboolean in_commands = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GMatchInfo) match = NULL;

      if (g_str_equal (lines[i], "Commands:"))
        {
          in_commands = TRUE;
          continue;
        }
      if (in_commands && lines[i][0] == '\0')
        break;
      if (in_commands && g_regex_match (regex, lines[i], 0, &match))
        g_ptr_array_add (commands, g_match_info_fetch (match, 1));
    }
  return commands;
}

/* The options of `ladle COMMAND --help-all`, as terms: "-X --request", "--json". */
static GPtrArray *
help_option_terms (const char *command)
{
  g_autofree char *help = run_ladle (command, "--help-all");
  g_auto(GStrv) lines = g_strsplit (help, "\n", -1);
  g_autoptr(GRegex) regex =
    g_regex_new ("^\\s+(?:(-[A-Za-z0-9?]), )?(--[A-Za-z0-9][A-Za-z0-9.-]*|-[A-Za-z0-9?])[= ]",
                 0, 0, NULL);
  GPtrArray *terms = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GMatchInfo) match = NULL;
      g_autofree char *short_name = NULL;
      g_autofree char *name = NULL;

      if (!g_regex_match (regex, lines[i], 0, &match))
        continue;
      short_name = g_match_info_fetch (match, 1);
      name = g_match_info_fetch (match, 2);
      if (short_name != NULL && short_name[0] != '\0')
        g_ptr_array_add (terms, g_strdup_printf ("%s %s", short_name, name));
      else
        g_ptr_array_add (terms, g_strdup (name));
    }
  return terms;
}

/* Whether one term of @terms has every name of @term (in any order, perhaps with others) */
static gboolean
terms_have (GPtrArray  *terms,
            const char *term)
{
  g_auto(GStrv) wanted = g_strsplit (term, " ", -1);

  for (guint i = 0; i < terms->len; i++)
    {
      g_auto(GStrv) names = g_strsplit (g_ptr_array_index (terms, i), " ", -1);
      gboolean all = TRUE;

      for (guint j = 0; wanted[j] != NULL && all; j++)
        all = g_strv_contains ((const char * const *) names, wanted[j]);
      if (all)
        return TRUE;
    }
  return FALSE;
}

static void
test_commands (void)
{
  g_autoptr(GPtrArray) commands = help_commands ();
  g_auto(GStrv) ladle_lines = read_page ("ladle");
  g_autofree char *ladle_text = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autoptr(GDir) dir = NULL;
  g_autofree char *dir_path = man_dir ();
  const char *name;

  /* send, serve, ws, run, import today: a parser that finds none would prove nothing */
  g_assert_cmpuint (commands->len, >=, 5);

  {
    GString *text = g_string_new (NULL);

    for (guint i = 0; ladle_lines[i] != NULL; i++)
      {
        g_autofree char *line = unroff (ladle_lines[i]);

        g_string_append (text, line);
        g_string_append_c (text, '\n');
      }
    ladle_text = g_string_free (text, FALSE);
  }

  for (guint i = 0; i < commands->len; i++)
    {
      const char *command = g_ptr_array_index (commands, i);
      g_autofree char *page = g_strconcat ("ladle-", command, NULL);
      g_autofree char *reference = g_strconcat (page, "(1)", NULL);
      g_autofree char *item = g_strdup_printf ("\n%s\n.RS", command);
      g_autofree char *path = page_path (page);
      g_auto(GStrv) lines = NULL;

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          g_string_append_printf (problems, "\"ladle %s\" has no manual page %s\n", command,
                                  path);
          continue;
        }
      lines = read_page (page);
      if (g_strv_length (lines) < 20)
        g_string_append_printf (problems, "%s is nearly empty\n", path);
      /* In ladle(1): an item of COMMANDS, and the page's name */
      if (strstr (ladle_text, item) == NULL)
        g_string_append_printf (problems, "ladle(1) has no item for the command \"%s\"\n",
                                command);
      if (strstr (ladle_text, reference) == NULL)
        g_string_append_printf (problems, "ladle(1) does not refer to %s\n", reference);
    }

  /* And no page of a command that is gone */
  dir = g_dir_open (dir_path, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *command = NULL;
      gboolean found = FALSE;

      if (!g_str_has_prefix (name, "ladle-") || !g_str_has_suffix (name, ".1"))
        continue;
      command = g_strndup (name + strlen ("ladle-"), strlen (name) - strlen ("ladle-.1"));
      for (guint i = 0; i < commands->len && !found; i++)
        found = g_str_equal (g_ptr_array_index (commands, i), command);
      if (!found)
        g_string_append_printf (problems, "%s documents \"ladle %s\", which \"ladle --help\" does "
                                "not list\n", name, command);
    }

  check_no_problems (problems);
}

static void
check_command_options (const char *command,
                       GString    *problems)
{
  g_autofree char *page = g_strconcat ("ladle-", command, NULL);
  g_auto(GStrv) lines = read_page (page);
  g_autoptr(GPtrArray) documented = page_option_terms (lines);
  g_autoptr(GPtrArray) listed = help_option_terms (command);

  /* Every command has --help, and at least one option of its own */
  if (listed->len < 2)
    g_string_append_printf (problems, "\"ladle %s --help-all\" lists %u options: the parser is "
                            "wrong\n", command, listed->len);

  for (guint i = 0; i < listed->len; i++)
    {
      const char *term = g_ptr_array_index (listed, i);

      if (!terms_have (documented, term))
        g_string_append_printf (problems, "%s(1) has no item for \"%s\", which \"ladle %s "
                                "--help-all\" lists\n", page, term, command);
    }

  /* The other way: an option item of the page that the command does not have (a typo, an option
   * since removed) */
  for (guint i = 0; i < documented->len; i++)
    {
      g_auto(GStrv) names = g_strsplit (g_ptr_array_index (documented, i), " ", -1);

      for (guint j = 0; names[j] != NULL; j++)
        if (!g_strv_contains (not_yet_in_help, names[j]) && !terms_have (listed, names[j]))
          g_string_append_printf (problems, "%s(1) documents \"%s\", which \"ladle %s --help-all\" "
                                  "does not list\n", page, names[j], command);
    }
}

static void
test_options (void)
{
  g_autoptr(GPtrArray) commands = help_commands ();
  g_autoptr(GString) problems = g_string_new (NULL);

  g_assert_cmpuint (commands->len, >=, 5);
  for (guint i = 0; i < commands->len; i++)
    check_command_options (g_ptr_array_index (commands, i), problems);

  check_no_problems (problems);
}

/* ladle(1): `ladle --help`, and the window's options, which the window lists */
static void
test_ladle_options (void)
{
  g_auto(GStrv) lines = read_page ("ladle");
  g_autoptr(GPtrArray) documented = page_option_terms (lines);
  g_autoptr(GString) problems = g_string_new (NULL);
  const char * const wanted[] = { "-h --help", "--version", "--help-all", "--help-gapplication",
                                  "--gapplication-service", NULL };

  for (guint i = 0; wanted[i] != NULL; i++)
    if (!terms_have (documented, wanted[i]))
      g_string_append_printf (problems, "ladle(1) has no item for \"%s\"\n", wanted[i]);
  for (guint i = 0; i < documented->len; i++)
    {
      g_auto(GStrv) names = g_strsplit (g_ptr_array_index (documented, i), " ", -1);

      for (guint j = 0; names[j] != NULL; j++)
        if (!g_str_equal (names[j], "-h") && !g_str_equal (names[j], "--help") &&
            !g_strv_contains (not_yet_in_help, names[j]) &&
            !g_strv_contains (window_options, names[j]))
          g_string_append_printf (problems, "ladle(1) documents \"%s\", an option neither "
                                  "\"ladle\" nor its window has\n", names[j]);
    }

  /* `ladle -h` is the same as --help */
  {
    g_autofree char *help = run_ladle (NULL, "--help");
    g_autofree char *h = run_ladle (NULL, "-h");

    g_assert_cmpstr (h, ==, help);
  }

  check_no_problems (problems);
}

/* man(1) (else groff) formats each page without a warning, as lintian runs it (its check
 * groff-message), and lexgrog, when there, reads the NAME line as mandb will (bad-whatis-entry) */
static void
test_render (void)
{
  g_autofree char *man = g_find_program_in_path ("man");
  g_autofree char *groff = g_find_program_in_path ("groff");
  g_autofree char *lexgrog = g_find_program_in_path ("lexgrog");
  g_autoptr(GPtrArray) commands = help_commands ();
  g_autoptr(GString) problems = g_string_new (NULL);

  if (man == NULL && groff == NULL)
    {
      g_test_skip ("neither man nor groff is installed");
      return;
    }

  g_ptr_array_insert (commands, 0, g_strdup (""));
  for (guint i = 0; i < commands->len; i++)
    {
      const char *command = g_ptr_array_index (commands, i);
      g_autofree char *page = command[0] != '\0' ? g_strconcat ("ladle-", command, NULL)
                                                 : g_strdup ("ladle");
      g_autofree char *path = page_path (page);
      const char *man_argv[] = { man, "--warnings", "-E", "UTF-8", "-l", "-Tutf8", "-Z", path,
                                 NULL };
      const char *groff_argv[] = { groff, "-man", "-ww", "-z", path, NULL };
      const char *lexgrog_argv[] = { lexgrog, path, NULL };
      const char *env[] = { "LC_ALL", "C.UTF-8", "MANWIDTH", "120", "MANROFFSEQ", "",
                            "MANPAGER", "cat", "PAGER", "cat", NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status;

      status = ladle_test_run_command (man != NULL ? man_argv : groff_argv, env, &out, &err);
      if (status != 0 || err[0] != '\0')
        g_string_append_printf (problems, "%s: exit status %d\n%s", path, status, err);

      if (lexgrog != NULL)
        {
          g_autofree char *whatis = NULL;
          g_autofree char *whatis_err = NULL;
          g_autofree char *wanted = g_strdup_printf ("%s: \"%s - ", path, page);

          status = ladle_test_run_command (lexgrog_argv, env, &whatis, &whatis_err);
          if (status != 0 || !g_str_has_prefix (whatis, wanted))
            g_string_append_printf (problems, "%s: lexgrog exit status %d: %s%s", path, status,
                                    whatis, whatis_err);
        }
    }

  check_no_problems (problems);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  g_test_add_func ("/man-pages/commands", test_commands);
  g_test_add_func ("/man-pages/options", test_options);
  g_test_add_func ("/man-pages/ladle-options", test_ladle_options);
  g_test_add_func ("/man-pages/render", test_render);

  return ladle_test_run ();
}
