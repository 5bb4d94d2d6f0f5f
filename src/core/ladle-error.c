/* ladle-error.c
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

#include <glib/gi18n.h>

#include "ladle-error.h"
#include "ladle-error-private.h"

/* A Ladle error may carry its "form": what it says, as a kind and arguments that do not depend
 * on the language (["timeout-connect", "10"], ["refused", "127.0.0.1", "8080"]). Words made from
 * the form can be made again later in another language: the history keeps forms, so an error
 * recorded under LANGUAGE=ru reads in English once the user switches. The form rides in the
 * GError itself (an extended error domain), so it survives g_error_copy() and GTask. */
typedef struct
{
  char **form;
} LadleErrorPrivate;

static void
ladle_error_private_init (LadleErrorPrivate *priv)
{
  priv->form = NULL;
}

static void
ladle_error_private_copy (const LadleErrorPrivate *src,
                          LadleErrorPrivate       *dest)
{
  dest->form = g_strdupv (src->form);
}

static void
ladle_error_private_clear (LadleErrorPrivate *priv)
{
  g_clear_pointer (&priv->form, g_strfreev);
}

G_DEFINE_EXTENDED_ERROR (LadleError, ladle_error)

/* The @i-th item of @form, or NULL when the form is shorter (for the units' formatters too) */
const char *
_ladle_error_form_arg (const char * const *form,
                       guint               i)
{
  for (guint n = 0; n <= i; n++)
    if (form[n] == NULL)
      return NULL;
  return form[i];
}

/* The kinds of other modules (digest-, oauth2-, proxy-, tls-client-), which word their own
 * errors: each adds its formatter when its object file is loaded (_LADLE_ERROR_FORMS), so this
 * file knows none of them. A module a program does not link makes no such error, and a saved
 * one is then shown in its saved words. */
static struct
{
  const char            *prefix;   /* set last, atomically: the entry is complete once it is */
  LadleErrorFormatForm   format;
} formatters[8];

void
_ladle_error_add_forms (const char           *prefix,
                        LadleErrorFormatForm  format)
{
  static GMutex lock;

  g_mutex_lock (&lock);
  for (guint i = 0; i < G_N_ELEMENTS (formatters); i++)
    if (formatters[i].prefix == NULL || g_str_equal (formatters[i].prefix, prefix))
      {
        formatters[i].format = format;
        g_atomic_pointer_set (&formatters[i].prefix, prefix);
        g_mutex_unlock (&lock);
        return;
      }
  g_mutex_unlock (&lock);
  g_assert_not_reached ();
}

/**
 * ladle_error_format_form:
 * @form: a kind and its arguments, as ladle_error_get_form() gives them
 *
 * Returns: (transfer full) (nullable): the message in the current language, or %NULL when the
 *   kind is not known (a form saved by a newer Ladle) or its arguments do not fit it
 */
char *
ladle_error_format_form (const char * const *form)
{
  const char *kind;
  const char *a, *b;

  if (form == NULL || (kind = form[0]) == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (formatters); i++)
    {
      const char *prefix = g_atomic_pointer_get (&formatters[i].prefix);

      if (prefix != NULL && g_str_has_prefix (kind, prefix))
        return formatters[i].format (form);
    }
  a = _ladle_error_form_arg (form, 1);
  b = a != NULL ? _ladle_error_form_arg (form, 2) : NULL;

  if (g_str_equal (kind, "truncated"))
    return g_strdup (_("The connection closed before the whole body arrived"));
  if (a == NULL)
    return NULL;
  if (g_str_equal (kind, "cancelled"))
    {
      double seconds = g_ascii_strtod (a, NULL);
      g_autofree char *duration = seconds < 1
                                  /* Translators: a duration in milliseconds */
                                  ? g_strdup_printf (_("%.0f ms"), seconds * 1000)
                                  /* Translators: a duration in seconds */
                                  : g_strdup_printf (_("%.2f s"), seconds);

      /* Translators: the user stopped a request; %s is how long it had run ("1.20 s") */
      return g_strdup_printf (_("Cancelled after %s"), duration);
    }
  if (g_str_equal (kind, "timeout-connect"))
    return g_strdup_printf (_("Timed out after %g s (connect)"), g_ascii_strtod (a, NULL));
  if (g_str_equal (kind, "timeout-idle"))
    return g_strdup_printf (_("Timed out after %g s (idle)"), g_ascii_strtod (a, NULL));
  if (g_str_equal (kind, "timeout-total"))
    return g_strdup_printf (_("Timed out after %g s (total)"), g_ascii_strtod (a, NULL));
  if (g_str_equal (kind, "redirects"))
    return g_strdup_printf (_("Too many redirects (more than %u)"),
                            (guint) g_ascii_strtoull (a, NULL, 10));
  if (g_str_equal (kind, "tls"))
    return g_strdup_printf (_("TLS certificate problem: %s"),
                            ladle_error_describe_tls ((GTlsCertificateFlags)
                                                      g_ascii_strtoull (a, NULL, 10)));
  if (g_str_equal (kind, "tls-message"))
    /* the words are GIO's, in the language they were recorded in */
    return g_strdup_printf (_("TLS certificate problem: %s"), a);
  if (g_str_equal (kind, "resolve"))
    return g_strdup_printf (_("Could not resolve host “%s”"), a);
  if (b == NULL)
    return NULL;
  if (g_str_equal (kind, "refused"))
    return g_strdup_printf (_("Connection refused by %s:%u"), a,
                            (guint) g_ascii_strtoull (b, NULL, 10));
  if (g_str_equal (kind, "reset"))
    return g_strdup_printf (_("The connection to %s:%u was reset"), a,
                            (guint) g_ascii_strtoull (b, NULL, 10));
  return NULL;
}

/**
 * ladle_error_new_form:
 * @code: the #LadleError code
 * @kind: the form's kind (see ladle_error_format_form()), then its arguments, then %NULL
 *
 * Returns: (transfer full): an error worded from its form, which it carries
 */
GError *
ladle_error_new_form (LadleError  code,
                      const char *kind,
                      ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) form = NULL;
  g_autofree char *message = NULL;
  GError *error;
  va_list args;

  g_strv_builder_add (builder, kind);
  va_start (args, kind);
  for (const char *arg = va_arg (args, const char *); arg != NULL;
       arg = va_arg (args, const char *))
    g_strv_builder_add (builder, arg);
  va_end (args);
  form = g_strv_builder_end (builder);

  message = ladle_error_format_form ((const char * const *) form);
  g_assert (message != NULL);
  error = g_error_new_literal (LADLE_ERROR, code, message);
  ladle_error_get_private (error)->form = g_steal_pointer (&form);
  return error;
}

/**
 * ladle_error_get_form:
 *
 * Returns: (transfer none) (nullable): the form of a Ladle error made by ladle_error_new_form(),
 *   or %NULL (other errors, other domains)
 */
const char * const *
ladle_error_get_form (const GError *error)
{
  if (error == NULL || error->domain != LADLE_ERROR)
    return NULL;
  return (const char * const *) ladle_error_get_private (error)->form;
}

/**
 * ladle_error_describe_tls:
 * @flags: what was wrong with a peer's certificate
 *
 * Returns: the main problem in words, for "TLS certificate problem: …" messages
 */
const char *
ladle_error_describe_tls (GTlsCertificateFlags flags)
{
  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    return _("the certificate is not signed by a trusted authority (self-signed?)");
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    return _("the certificate does not match the host name");
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    return _("the certificate is not valid yet");
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    return _("the certificate has expired");
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    return _("the certificate has been revoked");
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    return _("the certificate uses an insecure algorithm");

  return _("the certificate could not be verified");
}

/**
 * ladle_error_classify_network:
 * @error: what GIO or libsoup reported
 * @tls_errors: the certificate problems seen by accept-certificate, or 0
 * @host: the host that was being reached, for the message
 * @port: its port
 *
 * Words the network failures that every client reports alike: TLS, name resolution, refused
 * and reset connections.
 *
 * Returns: (transfer full) (nullable): a %LADLE_ERROR, or %NULL when @error is none of these
 */
GError *
ladle_error_classify_network (const GError         *error,
                              GTlsCertificateFlags  tls_errors,
                              const char           *host,
                              guint                 port)
{
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  if (tls_errors != 0)
    {
      g_snprintf (number, sizeof number, "%u", (guint) tls_errors);
      return ladle_error_new_form (LADLE_ERROR_TLS, "tls", number, NULL);
    }
  if (error->domain == G_TLS_ERROR)
    return ladle_error_new_form (LADLE_ERROR_TLS, "tls-message", error->message, NULL);

  if (error->domain == G_RESOLVER_ERROR)
    return ladle_error_new_form (LADLE_ERROR_RESOLVE, "resolve", host, NULL);

  g_snprintf (number, sizeof number, "%u", port);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return ladle_error_new_form (LADLE_ERROR_CONNECTION_REFUSED, "refused", host, number, NULL);

  /* G_IO_ERROR_BROKEN_PIPE is the same code as G_IO_ERROR_CONNECTION_CLOSED (ECONNRESET). */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED))
    return ladle_error_new_form (LADLE_ERROR_CONNECTION_RESET, "reset", host, number, NULL);

  return NULL;
}
