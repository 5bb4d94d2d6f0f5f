/* ladle-version.c
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

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <gnutls/gnutls.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "ladle-version.h"

/* The versions the process runs with, asked of each library (GLib's variables, libsoup's and
 * GnuTLS's functions), since a library can be upgraded under a built Ladle. json-glib 1.6 has no
 * such function, only the macros of the headers Ladle was built with, and says so. */
char *
ladle_version_describe (void)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "ladle %s\n", PACKAGE_VERSION);
  g_string_append_printf (text, "GLib %u.%u.%u\n", glib_major_version, glib_minor_version,
                          glib_micro_version);
  g_string_append_printf (text, "libsoup %u.%u.%u\n", soup_get_major_version (),
                          soup_get_minor_version (), soup_get_micro_version ());
  /* Translators: after a library's version that is the one Ladle was compiled with (the library
   * cannot tell the one it runs with) */
  g_string_append_printf (text, "json-glib %s (%s)\n", JSON_VERSION_S, _("built with"));
  g_string_append_printf (text, "GnuTLS %s\n", gnutls_check_version (NULL));
  return g_string_free (text, FALSE);
}

/* Beyond this, the window's answer is not a version */
#define MAX_ANSWER 65536

typedef struct
{
  GBytes   *out;
  GBytes   *err;
  GError   *error;
  gboolean  done;
  gboolean  timed_out;
} Asking;

static void
communicated_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Asking *asking = user_data;

  g_subprocess_communicate_finish (G_SUBPROCESS (source), result, &asking->out, &asking->err,
                                   &asking->error);
  asking->done = TRUE;
}

static gboolean
timed_out_cb (gpointer user_data)
{
  Asking *asking = user_data;

  asking->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Some bytes of a process's output as one line of valid UTF-8, at most 200 characters */
static char *
first_line (GBytes *bytes)
{
  gsize size = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &size) : NULL;
  g_autofree char *valid = NULL;
  const char *end;
  char *line;

  if (data == NULL)
    return g_strdup ("");
  valid = g_utf8_make_valid (data, MIN (size, 4096));
  end = strchr (valid, '\n');
  line = g_strstrip (g_strndup (valid, end != NULL ? (gsize) (end - valid) : strlen (valid)));
  if (g_utf8_strlen (line, -1) > 200)
    {
      char *cut = g_utf8_substring (line, 0, 200);

      g_free (line);
      line = g_strconcat (cut, "…", NULL);
      g_free (cut);
    }
  return line;
}

/* Why the window's executable said nothing of use, from how it ended and what it wrote to its
 * standard error */
static char *
describe_failure (GSubprocess *proc,
                  const char  *window,
                  GBytes      *err)
{
  g_autofree char *line = first_line (err);
  g_autofree char *how = NULL;

  if (g_subprocess_get_if_signaled (proc))
    /* Translators: %s is a program's path, %d a signal number */
    how = g_strdup_printf (_("%s was killed by signal %d"), window,
                           g_subprocess_get_term_sig (proc));
  else
    /* Translators: %s is a program's path, %d its exit status */
    how = g_strdup_printf (_("%s exited with status %d"), window,
                           g_subprocess_get_exit_status (proc));
  if (*line == '\0')
    return g_steal_pointer (&how);
  return g_strdup_printf ("%s: %s", how, line);
}

/* The lines of @answer (the window's whole --version text) that @own has not */
static char *
window_lines (const char  *window,
              const char  *own,
              GBytes      *answer,
              char       **out_reason)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (answer, &size);
  g_autofree char *valid = g_utf8_make_valid (data != NULL ? data : "", data != NULL ? size : 0);
  g_auto(GStrv) lines = g_strsplit (valid, "\n", -1);
  g_auto(GStrv) own_lines = g_strsplit (own, "\n", -1);
  GString *added = g_string_new (NULL);

  /* A window of another Ladle (one installed elsewhere) would run with other libraries */
  if (g_strcmp0 (lines[0], own_lines[0]) != 0)
    {
      /* Translators: the first %s is a program's path, the second the first line of its
       * --version, such as “ladle 0.1.0” */
      *out_reason = g_strdup_printf (_("%s is “%s”"), window, lines[0]);
      return g_string_free (added, TRUE);
    }
  for (guint i = 1; lines[i] != NULL; i++)
    if (*lines[i] != '\0' && !g_strv_contains ((const char * const *) own_lines, lines[i]))
      g_string_append_printf (added, "%s\n", lines[i]);
  if (added->len == 0)
    {
      /* Translators: %s is a program's path */
      *out_reason = g_strdup_printf (_("%s printed no GTK version"), window);
      return g_string_free (added, TRUE);
    }
  return g_string_free (added, FALSE);
}

char *
ladle_version_ask_window (const char *window,
                          guint       timeout_ms)
{
  const char *argv[] = { window, "--version", NULL };
  g_autofree char *own = ladle_version_describe ();
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSource) timeout = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *lines = NULL;
  Asking asking = { 0 };

  g_return_val_if_fail (window != NULL, NULL);

  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &asking.error);
  if (proc != NULL)
    {
      g_main_context_push_thread_default (context);
      timeout = g_timeout_source_new (timeout_ms);
      g_source_set_callback (timeout, timed_out_cb, &asking, NULL);
      g_source_attach (timeout, context);
      g_subprocess_communicate_async (proc, NULL, cancellable, communicated_cb, &asking);
      while (!asking.done)
        {
          g_main_context_iteration (context, TRUE);
          if (asking.timed_out && !g_cancellable_is_cancelled (cancellable))
            {
              g_subprocess_force_exit (proc);
              g_cancellable_cancel (cancellable);
            }
        }
      g_source_destroy (timeout);
      if (asking.timed_out)
        g_subprocess_wait (proc, NULL, NULL);
      g_main_context_pop_thread_default (context);
    }

  if (asking.timed_out)
    /* Translators: %s is a program's path, %u a number of seconds */
    reason = g_strdup_printf (_("%s did not answer within %u s"), window,
                              (timeout_ms + 999) / 1000);
  else if (asking.error != NULL)
    reason = g_strdup (asking.error->message);
  else if (!g_subprocess_get_successful (proc))
    reason = describe_failure (proc, window, asking.err);
  else if (g_bytes_get_size (asking.out) > MAX_ANSWER)
    /* Translators: %s is a program's path */
    reason = g_strdup_printf (_("%s printed too much"), window);
  else
    lines = window_lines (window, own, asking.out, &reason);

  g_clear_error (&asking.error);
  g_clear_pointer (&asking.out, g_bytes_unref);
  g_clear_pointer (&asking.err, g_bytes_unref);
  if (reason != NULL)
    {
      /* Translators: %s says why, such as “/usr/libexec/ladle-window exited with status 1” */
      g_autofree char *line = g_strdup_printf (_("GTK: not available (%s)"), reason);

      return g_strconcat (line, "\n", NULL);
    }
  return g_steal_pointer (&lines);
}
