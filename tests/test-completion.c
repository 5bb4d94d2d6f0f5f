/* test-completion.c
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

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "ladle-test-utils.h"

/* data/completions/ladle.bash, driven the way bash drives it on Tab: a non-interactive bash
 * loads bash-completion and the script, sets COMP_WORDS, COMP_CWORD, COMP_LINE and COMP_POINT
 * as readline would for a line typed up to its end, and calls the function that `complete -p
 * ladle` names. Its COMPREPLY is compared with what is expected, as a set. The fish script is
 * asked with `complete -C`, the zsh one through a pseudo-terminal (below). The option lists of
 * each script are checked against `ladle COMMAND --help-all` (LADLE_BIN). */

#define BASH_COMPLETION "/usr/share/bash-completion/bash_completion"

static const char *const commands[] = { "send", "serve", "ws", "run", "import" };

/* $1 bash_completion, $2 the script, $3 the folder to complete in, $4 the line, then its words */
static const char driver[] =
  "source \"$1\" || exit 3\n"
  "source \"$2\" || exit 3\n"
  "spec=$(complete -p ladle) || exit 4\n"
  "func=${spec##*-F }\n"
  "func=${func%% *}\n"
  "cd \"$3\" || exit 3\n"
  "COMP_LINE=$4\n"
  "COMP_POINT=${#COMP_LINE}\n"
  "shift 4\n"
  "COMP_WORDS=(\"$@\")\n"
  "COMP_CWORD=$(($# - 1))\n"
  "COMPREPLY=()\n"
  "\"$func\" ladle \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD - 1]}\"\n"
  "((${#COMPREPLY[@]} == 0)) || printf '%s\\n' \"${COMPREPLY[@]}\"\n";

/* zsh: its completion runs in ZLE only, so the line is typed, with a Tab, into an interactive zsh
 * in a pseudo-terminal (the zsh/zpty module). That zsh loads the completion system with the
 * folder of _ladle first in $fpath, and its compadd is wrapped to print each match it adds,
 * between markers printed before and after the completion (compprefuncs, comppostfuncs). */
static const char zsh_setup[] =
  "PROMPT='' RPROMPT='' PS2=''\n"
  "fpath=($LADLE_ZSH_FPATH $fpath)\n"
  "autoload -Uz compinit && compinit -u -D\n"
  "bindkey '^I' complete-word\n"
  "zstyle ':completion:*' insert-tab false\n"
  "# Each match that completion adds, one a line, as it would be inserted\n"
  "compadd() {\n"
  "  local arg\n"
  "  for arg in \"$@\"; do\n"
  "    [[ $arg == (-|--) ]] && break\n"
  "    if [[ $arg == -[OAD]* ]]; then\n"
  "      builtin compadd \"$@\"\n"
  "      return\n"
  "    fi\n"
  "  done\n"
  "  local -a ladle_hits ladle_p ladle_pp\n"
  "  builtin compadd -A ladle_hits \"$@\"\n"
  "  zparseopts -E p:=ladle_p P:=ladle_pp 2>/dev/null\n"
  "  local hit\n"
  "  for hit in $ladle_hits; do\n"
  "    print -r -- \"<match>$IPREFIX${ladle_pp[2]}${ladle_p[2]}$hit\"\n"
  "  done\n"
  "  builtin compadd \"$@\"\n"
  "}\n"
  "# A line of its own for the first match: the typed text is echoed before it\n"
  "ladle_begin() { print -r -- '<begin>' }\n"
  "ladle_end() { print -r -- '<end>'; exit }\n"
  "compprefuncs=(ladle_begin)\n"
  "comppostfuncs=(ladle_end)\n";

/* $1 the folder of _ladle, $2 the folder to complete in, $3 the line; LADLE_ZSH_SETUP set */
static const char zsh_driver[] =
  "zmodload zsh/zpty || exit 3\n"
  "export LADLE_ZSH_FPATH=$1\n"
  "cd $2 || exit 3\n"
  "zpty ladle zsh -f -i || exit 3\n"
  "zpty -w ladle 'eval \"$LADLE_ZSH_SETUP\"'\n"
  "zpty -w -n ladle \"$3\"$'\\t'\n"
  "local out= chunk\n"
  "while [[ $out != *'<end>'* ]]; do\n"
  "  zpty -r ladle chunk || break\n"
  "  out+=$chunk\n"
  "done\n"
  "zpty -d ladle\n"
  "[[ $out == *'<end>'* ]] || exit 4\n"
  "for line in ${(f)out//$'\\r'}; do\n"
  "  if [[ $line == '<match>'* ]]; then\n"
  "    print -r -- ${line#'<match>'}\n"
  "  fi\n"
  "done\n";

static gboolean
have_bash_completion (void)
{
  if (g_file_test (BASH_COMPLETION, G_FILE_TEST_IS_REGULAR))
    return TRUE;
  g_test_skip ("bash-completion is not installed (" BASH_COMPLETION " is missing)");
  return FALSE;
}

/* The words of @line as readline splits them for completion: at blanks, and each run of
 * COMP_WORDBREAKS characters (", ', >, <, =, ;, |, &, (, :) is a word of its own. A line that
 * ends with a blank ends with an empty word. */
static GStrv
split_words (const char *line)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GString) word = g_string_new (NULL);
  const char *breaks = "\"'><=;|&(:";

  for (const char *p = line; *p != '\0'; p++)
    {
      if (*p == ' ' || strchr (breaks, *p) != NULL)
        {
          if (word->len > 0)
            g_strv_builder_add (builder, word->str);
          g_string_truncate (word, 0);
        }
      if (*p == ' ')
        continue;
      if (strchr (breaks, *p) != NULL)
        {
          while (p[0] != '\0' && strchr (breaks, p[0]) != NULL)
            g_string_append_c (word, *p++);
          g_strv_builder_add (builder, word->str);
          g_string_truncate (word, 0);
          p--;
          continue;
        }
      g_string_append_c (word, *p);
    }
  if (word->len > 0 || line[0] == '\0' || g_str_has_suffix (line, " "))
    g_strv_builder_add (builder, word->str);
  return g_strv_builder_end (builder);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The lines of @out, sorted, without what follows a tab on each (fish's descriptions) */
static char *
sorted_lines (const char *out)
{
  g_auto(GStrv) replies = NULL;
  guint n;

  if (out[0] == '\0')
    return g_strdup ("");
  replies = g_strsplit (out, "\n", -1);
  n = g_strv_length (replies);
  g_assert_cmpuint (n, >, 1);
  g_assert_cmpstr (replies[n - 1], ==, "");
  g_clear_pointer (&replies[n - 1], g_free);
  for (guint i = 0; i + 1 < n; i++)
    {
      char *tab = strchr (replies[i], '\t');

      if (tab != NULL)
        *tab = '\0';
    }
  qsort (replies, n - 1, sizeof (char *), compare_strings);
  /* Once each (zsh's _files may add a folder twice, once for each of its tags) */
  for (guint i = 1, kept = 1; i < n; i++)
    {
      if (replies[i] != NULL && g_str_equal (replies[i], replies[kept - 1]))
        {
          g_clear_pointer (&replies[i], g_free);
          continue;
        }
      if (i != kept)
        {
          replies[kept] = replies[i];
          replies[i] = NULL;
        }
      kept++;
    }
  return g_strjoinv ("\n", replies);
}

static char *
script_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", "completions", name, NULL);
}

/* What the bash completion offers for @line typed in @dir: sorted, one a line */
static char *
complete_bash (const char *dir,
               const char *line)
{
  g_autofree char *script = script_path ("ladle.bash");
  g_auto(GStrv) words = split_words (line);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *const env[] = { "BASH_ENV", NULL, "ENV", NULL, NULL };

  g_strv_builder_add_many (builder, "bash", "--norc", "--noprofile", "-c", driver, "bash",
                           BASH_COMPLETION, script, dir, line, NULL);
  g_strv_builder_addv (builder, (const char **) words);
  argv = g_strv_builder_end (builder);
  g_assert_cmpint (ladle_test_run_command ((const char * const *) argv, env, &out, &err), ==, 0);
  /* An error in the script (a bad substitution, a command not found…) shows on stderr */
  g_assert_cmpstr (err, ==, "");
  return sorted_lines (out);
}

/* The same with fish's `complete -C`, descriptions left out */
static char *
complete_fish (const char *dir,
               const char *line)
{
  g_autofree char *script = script_path ("ladle.fish");
  const char *argv[] = { "fish", "--no-config", "-c",
                         "source $argv[1]; or exit 3; cd $argv[2]; or exit 3; complete -C $argv[3]",
                         script, dir, line, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (ladle_test_run_command (argv, NULL, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  return sorted_lines (out);
}

/* The same with zsh, driven in a pseudo-terminal */
static char *
complete_zsh (const char *dir,
              const char *line)
{
  g_autofree char *script = script_path ("_ladle");
  g_autofree char *folder = g_path_get_dirname (script);
  const char *argv[] = { "zsh", "-f", "-c", zsh_driver, "zsh", folder, dir, line, NULL };
  const char *const env[] = { "LADLE_ZSH_SETUP", zsh_setup, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (ladle_test_run_command (argv, env, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  return sorted_lines (out);
}

typedef char *(*CompleteFunc) (const char *dir,
                               const char *line);

static void
assert_completes_valist (CompleteFunc  complete,
                         const char   *dir,
                         const char   *line,
                         va_list       args)
{
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();
  g_autofree char *expected_text = NULL;
  g_autofree char *got = complete (dir, line);
  const char *word;

  while ((word = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (expected, (gpointer) word);
  g_ptr_array_sort (expected, compare_strings);
  g_ptr_array_add (expected, NULL);
  expected_text = g_strjoinv ("\n", (char **) expected->pdata);

  if (g_strcmp0 (got, expected_text) != 0)
    g_test_message ("completing: %s", line);
  g_assert_cmpstr (got, ==, expected_text);
}

/* Asserts that @line completes to exactly the words that follow (NULL-terminated), in any order */
static void
assert_completes (const char *dir,
                  const char *line,
                  ...)
{
  va_list args;

  va_start (args, line);
  assert_completes_valist (complete_bash, dir, line, args);
  va_end (args);
}

static void
assert_zsh_completes (const char *dir,
                      const char *line,
                      ...)
{
  va_list args;

  va_start (args, line);
  assert_completes_valist (complete_zsh, dir, line, args);
  va_end (args);
}

static void
assert_fish_completes (const char *dir,
                       const char *line,
                       ...)
{
  va_list args;

  va_start (args, line);
  assert_completes_valist (complete_fish, dir, line, args);
  va_end (args);
}

static gboolean
strv_has (const char *const *strv,
          const char         *word)
{
  return g_strv_contains (strv, word);
}

/* A folder with a few files, one with a space in its name, a folder, and .http files */
static char *
make_files (void)
{
  char *dir = ladle_test_make_tmpdir ("ladle-completion-XXXXXX");
  const char *const files[] = { "body.json", "my file.txt", "notes.txt", "report.xml",
                                "CAPS.HTTP" };
  g_autofree char *sub = g_build_filename (dir, "sub", NULL);
  g_autofree char *api = g_build_filename (dir, "api.http", NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i], NULL);

      g_file_set_contents (path, "x\n", -1, &error);
      g_assert_no_error (error);
    }
  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  g_file_set_contents (api,
                       "### Get the list\n"
                       "GET http://127.0.0.1:8080/get\n"
                       "\n"
                       "###\n"
                       "# @name login\n"
                       "POST http://127.0.0.1:8080/post\r\n"
                       "\n"
                       "### renamed\n"
                       "// @name=logout\n"
                       "POST http://127.0.0.1:8080/post\n"
                       "\n"
                       "###\n"
                       "GET http://127.0.0.1:8080/unnamed\n",
                       -1, &error);
  g_assert_no_error (error);
  return dir;
}

static void
test_commands (void)
{
  g_autofree char *dir = NULL;

  if (!have_bash_completion ())
    return;
  dir = make_files ();

  assert_completes (dir, "ladle ", "help", "import", "run", "send", "serve", "ws", NULL);
  assert_completes (dir, "ladle se", "send", "serve", NULL);
  assert_completes (dir, "ladle w", "ws", NULL);
  assert_completes (dir, "ladle -", "--help", "--version", NULL);
  assert_completes (dir, "ladle --v", "--version", NULL);
  /* Not a command: nothing */
  assert_completes (dir, "ladle nope --", NULL);

  ladle_test_rm_rf (dir);
}

static void
test_options (void)
{
  g_autofree char *dir = NULL;

  if (!have_bash_completion ())
    return;
  dir = make_files ();

  assert_completes (dir, "ladle send --oauth2-c", "--oauth2-callback-port", "--oauth2-client-auth",
                    "--oauth2-client-id", "--oauth2-client-secret", NULL);
  assert_completes (dir, "ladle send --data", "--data", "--data-file", NULL);
  assert_completes (dir, "ladle send --h", "--header", "--help", "--help-all", "--help-auth",
                    "--help-oauth2", "--http1.1", NULL);
  assert_completes (dir, "ladle serve --tls", "--tls", "--tls-cert", "--tls-key", NULL);
  assert_completes (dir, "ladle serve --max-", "--max-body-memory", "--max-connections",
                    "--max-upload-size", "--max-ws-message", NULL);
  assert_completes (dir, "ladle ws --send", "--send", "--send-file", "--send-text-file", NULL);
  assert_completes (dir, "ladle ws --c", "--cacert", "--cert", "--close", "--connect-timeout",
                    "--cookie", NULL);
  assert_completes (dir, "ladle run --j", "--json", "--junit", NULL);
  assert_completes (dir, "ladle run --w", "--workspace-cookies", NULL);
  assert_completes (dir, "ladle import --", "--help", "--to", "--version", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *line = g_strdup_printf ("ladle %s --vers", commands[i]);

      assert_completes (dir, line, "--version", NULL);
    }

  ladle_test_rm_rf (dir);
}

static void
test_values (void)
{
  g_autofree char *dir = NULL;

  if (!have_bash_completion ())
    return;
  dir = make_files ();

  /* Methods, upper-cased as they are typed */
  assert_completes (dir, "ladle send -X P", "PATCH", "POST", "PUT", NULL);
  assert_completes (dir, "ladle send --request=d", "DELETE", NULL);
  assert_completes (dir, "ladle send http://127.0.0.1/ --request o", "OPTIONS", NULL);
  assert_completes (dir, "ladle send --oauth2-grant ", "authorization_code", "client_credentials",
                    "device_code", "password", NULL);
  assert_completes (dir, "ladle send --oauth2-client-auth=b", "basic", "body", NULL);
  assert_completes (dir, "ladle send --proxy s", "socks5://", "socks5h://", NULL);
  assert_completes (dir, "ladle serve --host 1", "127.0.0.1", NULL);
  /* Free values: no file names offered for them */
  assert_completes (dir, "ladle ws --protocol ", NULL);
  assert_completes (dir, "ladle send -H ", NULL);
  assert_completes (dir, "ladle send --user ", NULL);
  assert_completes (dir, "ladle run --timeout ", NULL);
  assert_completes (dir, "ladle serve -p ", NULL);

  ladle_test_rm_rf (dir);
}

static void
test_files (void)
{
  g_autofree char *dir = NULL;

  if (!have_bash_completion ())
    return;
  dir = make_files ();

  assert_completes (dir, "ladle send --data-file ", "CAPS.HTTP", "api.http", "body.json",
                    "my file.txt", "notes.txt", "report.xml", "sub", NULL);
  assert_completes (dir, "ladle send --data-file m", "my file.txt", NULL);
  assert_completes (dir, "ladle send --data-file=m", "my file.txt", NULL);
  assert_completes (dir, "ladle send -o n", "notes.txt", NULL);
  assert_completes (dir, "ladle send --output=my", "my file.txt", NULL);
  /* --file NAME=PATH: the path after the = */
  assert_completes (dir, "ladle send --file avatar=m", "my file.txt", NULL);
  assert_completes (dir, "ladle send -b n", "notes.txt", NULL);
  assert_completes (dir, "ladle run --cookie-jar n", "notes.txt", NULL);
  assert_completes (dir, "ladle send --cert m", "my file.txt", NULL);
  assert_completes (dir, "ladle ws --send-text-file n", "notes.txt", NULL);
  /* Typed files: their kind, and folders to go into */
  assert_completes (dir, "ladle serve --routes ", "body.json", "sub", NULL);
  assert_completes (dir, "ladle run --junit ", "report.xml", "sub", NULL);
  /* Folders only */
  assert_completes (dir, "ladle serve --uploads ", "sub", NULL);
  assert_completes (dir, "ladle import --to ", "sub", NULL);
  /* import reads any file: its kind is read from its content */
  assert_completes (dir, "ladle import --to sub n", "notes.txt", NULL);

  ladle_test_rm_rf (dir);
}

static void
test_http_files (void)
{
  g_autofree char *dir = NULL;

  if (!have_bash_completion ())
    return;
  dir = make_files ();

  /* .http files (any case) and folders */
  assert_completes (dir, "ladle run ", "CAPS.HTTP", "api.http", "sub", NULL);
  assert_completes (dir, "ladle run --bail a", "api.http", NULL);
  assert_completes (dir, "ladle send ", "CAPS.HTTP", "api.http", "sub", NULL);
  /* A URL is not a file name */
  assert_completes (dir, "ladle send http://127.0.0.1/", NULL);
  /* The requests of a file: `# @name`, `// @name=`, else the name after ### */
  assert_completes (dir, "ladle send api.http#", "api.http#Get\\ the\\ list", "api.http#login",
                    "api.http#logout", NULL);
  assert_completes (dir, "ladle send api.http#log", "api.http#login", "api.http#logout", NULL);
  assert_completes (dir, "ladle send missing.http#", NULL);
  assert_completes (dir, "ladle run api.http -r ", "Get\\ the\\ list", "login", "logout", NULL);
  assert_completes (dir, "ladle run api.http --request=logi", "login", NULL);

  ladle_test_rm_rf (dir);
}

/* A .http file of 10 MB in one line, with NUL bytes: its names are read from its first MiB, and
 * quickly (ladle_test_run_command() gives each completion 20 s) */
static void
test_hostile_http_file (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GString) text = g_string_new ("# @name early\nGET http://127.0.0.1/\n\n###\n");
  g_autoptr(GError) error = NULL;
  g_autofree char *fish = g_find_program_in_path ("fish");
  g_autofree char *zsh = g_find_program_in_path ("zsh");

  if (!have_bash_completion ())
    return;
  dir = ladle_test_make_tmpdir ("ladle-completion-XXXXXX");
  path = g_build_filename (dir, "huge.http", NULL);
  for (guint i = 0; i < 10 * 1024 * 1024; i++)
    g_string_append_c (text, i % 4096 == 0 ? '\0' : 'a');
  g_string_append (text, "\n# @name late\nGET http://127.0.0.1/\n");
  g_file_set_contents (path, text->str, text->len, &error);
  g_assert_no_error (error);

  assert_completes (dir, "ladle send huge.http#", "huge.http#early", NULL);
  assert_completes (dir, "ladle run huge.http -r ", "early", NULL);
  if (fish != NULL)
    assert_fish_completes (dir, "ladle send huge.http#", "huge.http#early", NULL);
  if (zsh != NULL)
    assert_zsh_completes (dir, "ladle send huge.http#", "huge.http#early", NULL);

  ladle_test_rm_rf (dir);
}

/* The long options of a `--help-all` text: those that begin a line (not those its descriptions
 * name) */
static GStrv
help_options (const char *help)
{
  g_autoptr(GRegex) regex = g_regex_new ("^ +(?:-[A-Za-z], )?(--[A-Za-z0-9.-]+)",
                                         G_REGEX_MULTILINE, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_regex_match (regex, help, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *option = g_match_info_fetch (match, 1);

      g_strv_builder_add (builder, option);
      g_match_info_next (match, NULL);
    }
  return g_strv_builder_end (builder);
}

/* Every option `ladle COMMAND --help-all` lists is offered, and the script offers none that
 * does not exist (--version aside: the commands accept it without listing it); and the commands
 * offered are those `ladle --help` lists, and help */
static void
check_drift (CompleteFunc complete)
{
  g_autofree char *dir = ladle_test_make_tmpdir ("ladle-completion-XXXXXX");

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      const char *argv[] = { g_getenv ("LADLE_BIN"), commands[i], "--help-all", NULL };
      g_autofree char *out = NULL;
      g_autofree char *line = g_strdup_printf ("ladle %s --", commands[i]);
      g_autofree char *offered_text = complete (dir, line);
      g_auto(GStrv) offered = g_strsplit (offered_text, "\n", -1);
      g_auto(GStrv) listed = NULL;

      g_assert_cmpint (ladle_test_run_command (argv, NULL, &out, NULL), ==, 0);
      listed = help_options (out);
      g_assert_cmpuint (g_strv_length (listed), >, 1);
      for (guint j = 0; listed[j] != NULL; j++)
        {
          if (!strv_has ((const char * const *) offered, listed[j]))
            g_test_message ("ladle %s: %s is not completed", commands[i], listed[j]);
          g_assert_true (strv_has ((const char * const *) offered, listed[j]));
        }
      for (guint j = 0; offered[j] != NULL; j++)
        {
          if (g_str_equal (offered[j], "--version"))
            continue;
          if (!strv_has ((const char * const *) listed, offered[j]))
            g_test_message ("ladle %s: %s is completed but not listed by --help-all",
                            commands[i], offered[j]);
          g_assert_true (strv_has ((const char * const *) listed, offered[j]));
        }
    }

  /* The commands `ladle --help` lists */
  {
    const char *argv[] = { g_getenv ("LADLE_BIN"), "--help", NULL };
    g_autofree char *out = NULL;
    g_autofree char *offered = complete (dir, "ladle ");
    g_autoptr(GString) listed = g_string_new ("help\n");
    g_autofree char *sorted = NULL;
    const char *section;
    g_auto(GStrv) lines = NULL;

    g_assert_cmpint (ladle_test_run_command (argv, NULL, &out, NULL), ==, 0);
    section = strstr (out, "\nCommands:\n");
    g_assert_nonnull (section);
    lines = g_strsplit (section + strlen ("\nCommands:\n"), "\n", -1);
    for (guint j = 0; lines[j] != NULL && g_str_has_prefix (lines[j], "  "); j++)
      {
        g_auto(GStrv) fields = g_strsplit (g_strchug (lines[j]), " ", 2);

        g_string_append_printf (listed, "%s\n", fields[0]);
      }
    sorted = sorted_lines (listed->str);
    g_assert_cmpstr (offered, ==, sorted);

    /* and its options */
    {
      g_autofree char *offered_text = complete (dir, "ladle --");
      g_auto(GStrv) offered_options = g_strsplit (offered_text, "\n", -1);
      g_auto(GStrv) listed_options = help_options (out);

      for (guint j = 0; listed_options[j] != NULL; j++)
        {
          if (!strv_has ((const char * const *) offered_options, listed_options[j]))
            g_test_message ("ladle: %s is not completed", listed_options[j]);
          g_assert_true (strv_has ((const char * const *) offered_options, listed_options[j]));
        }
    }
  }

  ladle_test_rm_rf (dir);
}

static void
test_drift (void)
{
  if (!have_bash_completion ())
    return;
  check_drift (complete_bash);
}

/* The fish completion: the same cases in short, and the same check against --help-all */
static void
test_fish (void)
{
  g_autofree char *dir = NULL;

  if (!ladle_test_have_program ("fish", "fish"))
    return;
  dir = make_files ();

  assert_fish_completes (dir, "ladle se", "send", "serve", NULL);
  assert_fish_completes (dir, "ladle -", "-h", "--help", "--version", NULL);
  assert_fish_completes (dir, "ladle serve --tls", "--tls", "--tls-cert", "--tls-key", NULL);
  assert_fish_completes (dir, "ladle import --", "--help", "--to", "--version", NULL);
  assert_fish_completes (dir, "ladle send -X P", "PATCH", "POST", "PUT", NULL);
  assert_fish_completes (dir, "ladle send --oauth2-grant ", "authorization_code",
                         "client_credentials", "device_code", "password", NULL);
  assert_fish_completes (dir, "ladle ws --protocol ", NULL);
  assert_fish_completes (dir, "ladle serve ", NULL);
  assert_fish_completes (dir, "ladle send --data-file m", "my file.txt", NULL);
  assert_fish_completes (dir, "ladle send -o n", "notes.txt", NULL);
  assert_fish_completes (dir, "ladle send --file avatar=m", "avatar=my file.txt", NULL);
  assert_fish_completes (dir, "ladle serve --routes ", "body.json", "sub/", NULL);
  assert_fish_completes (dir, "ladle import --to ", "sub/", NULL);
  assert_fish_completes (dir, "ladle run ", "CAPS.HTTP", "api.http", "sub/", NULL);
  assert_fish_completes (dir, "ladle send api.http#log", "api.http#login", "api.http#logout",
                         NULL);
  assert_fish_completes (dir, "ladle run api.http -r ", "Get the list", "login", "logout", NULL);
  check_drift (complete_fish);

  ladle_test_rm_rf (dir);
}

static gboolean
have_zsh_zpty (void)
{
  const char *argv[] = { "zsh", "-f", "-c", "zmodload zsh/zpty", NULL };
  if (!ladle_test_have_program ("zsh", "zsh"))
    return FALSE;
  g_assert_cmpint (ladle_test_run_command (argv, NULL, NULL, NULL), ==, 0);
  return TRUE;
}

/* The zsh completion: the same cases in short (zsh quotes what it inserts), and the same check
 * against --help-all */
static void
test_zsh (void)
{
  g_autofree char *dir = NULL;

  if (!have_zsh_zpty ())
    return;
  dir = make_files ();

  assert_zsh_completes (dir, "ladle se", "send", "serve", NULL);
  assert_zsh_completes (dir, "ladle -", "-h", "--help", "--version", NULL);
  assert_zsh_completes (dir, "ladle serve --tls", "--tls", "--tls-cert", "--tls-key", NULL);
  assert_zsh_completes (dir, "ladle import --", "--help", "--to", "--version", NULL);
  assert_zsh_completes (dir, "ladle send -X P", "PATCH", "POST", "PUT", NULL);
  assert_zsh_completes (dir, "ladle send --oauth2-grant ", "authorization_code",
                        "client_credentials", "device_code", "password", NULL);
  assert_zsh_completes (dir, "ladle ws --protocol ", NULL);
  assert_zsh_completes (dir, "ladle send --data-file m", "my\\ file.txt", NULL);
  assert_zsh_completes (dir, "ladle send --data-file=m", "--data-file=my\\ file.txt", NULL);
  assert_zsh_completes (dir, "ladle send -o n", "notes.txt", NULL);
  assert_zsh_completes (dir, "ladle send --file avatar=m", "avatar=my\\ file.txt", NULL);
  assert_zsh_completes (dir, "ladle serve --routes ", "body.json", "sub", NULL);
  assert_zsh_completes (dir, "ladle import --to ", "sub", NULL);
  assert_zsh_completes (dir, "ladle run ", "CAPS.HTTP", "api.http", "sub", NULL);
  assert_zsh_completes (dir, "ladle send api.http#log", "api.http#login", "api.http#logout",
                        NULL);
  assert_zsh_completes (dir, "ladle run api.http -r ", "Get\\ the\\ list", "login", "logout",
                        NULL);
  check_drift (complete_zsh);

  ladle_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  g_test_add_func ("/ladle/completion/commands", test_commands);
  g_test_add_func ("/ladle/completion/options", test_options);
  g_test_add_func ("/ladle/completion/values", test_values);
  g_test_add_func ("/ladle/completion/files", test_files);
  g_test_add_func ("/ladle/completion/http-files", test_http_files);
  g_test_add_func ("/ladle/completion/hostile-http-file", test_hostile_http_file);
  g_test_add_func ("/ladle/completion/drift", test_drift);
  g_test_add_func ("/ladle/completion/fish", test_fish);
  g_test_add_func ("/ladle/completion/zsh", test_zsh);

  return ladle_test_run ();
}
