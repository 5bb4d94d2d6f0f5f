/* ladle-websocket-format.c
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

#include <glib/gi18n.h>

#include "ladle-body-format.h"
#include "ladle-websocket-format.h"

/* Words for transcript events. Everything here reads at most LADLE_WEBSOCKET_DISPLAY_LIMIT bytes
 * of a payload (previews far less), so showing or filtering a huge message stays cheap. */

#define PREVIEW_TEXT_BYTES 240
#define PREVIEW_HEX_BYTES  8

const char *
ladle_websocket_format_kind (LadleWebsocketEventKind kind)
{
  switch (kind)
    {
    case LADLE_WEBSOCKET_EVENT_TEXT:
      return C_("websocket event", "Text");
    case LADLE_WEBSOCKET_EVENT_BINARY:
      return C_("websocket event", "Binary");
    case LADLE_WEBSOCKET_EVENT_PING:
      return C_("websocket event", "Ping");
    case LADLE_WEBSOCKET_EVENT_PONG:
      return C_("websocket event", "Pong");
    case LADLE_WEBSOCKET_EVENT_CLOSE:
      return C_("websocket event", "Close");
    case LADLE_WEBSOCKET_EVENT_OPEN:
      return C_("websocket event", "Open");
    case LADLE_WEBSOCKET_EVENT_ERROR:
      return C_("websocket event", "Error");
    case LADLE_WEBSOCKET_EVENT_STATE:
      return C_("websocket event", "Info");
    default:
      return "";
    }
}

/* Local time of day with milliseconds: 14:03:27.512 */
char *
ladle_websocket_format_time (gint64 timestamp)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (timestamp / G_USEC_PER_SEC);
  g_autofree char *hms = NULL;

  if (time == NULL)
    return g_strdup ("");

  hms = g_date_time_format (time, "%H:%M:%S");
  return g_strdup_printf ("%s.%03d", hms, (int) ((timestamp % G_USEC_PER_SEC) / 1000));
}

char *
ladle_websocket_format_size (guint64 size)
{
  return g_format_size_full (size, G_FORMAT_SIZE_DEFAULT);
}

/* The longest valid UTF-8 prefix of @data within @max bytes. */
static gsize
valid_prefix (const char *data,
              gsize       length,
              gsize       max)
{
  const char *end = NULL;

  g_utf8_validate_len (data, MIN (length, max), &end);
  return end - data;
}

static char *
one_line (const char *data,
          gsize       length,
          gsize       max)
{
  gsize valid = data != NULL ? valid_prefix (data, length, max) : 0;
  GString *line = g_string_sized_new (valid + 4);

  for (gsize i = 0; i < valid; i++)
    {
      char c = data[i];

      if (c == '\n' || c == '\r' || c == '\t')
        c = ' ';
      g_string_append_c (line, c);
    }
  if (valid < length)
    g_string_append (line, "…");

  return g_string_free (line, FALSE);
}

static char *
hex_bytes (const guint8 *data,
           gsize         length,
           gsize         max)
{
  GString *hex = g_string_new (NULL);

  for (gsize i = 0; i < MIN (length, max); i++)
    g_string_append_printf (hex, i == 0 ? "%02x" : " %02x", data[i]);
  if (length > max)
    g_string_append (hex, " …");

  return g_string_free (hex, FALSE);
}

static gboolean
is_printable_text (const char *data,
                   gsize       length)
{
  if (!g_utf8_validate_len (data, length, NULL))
    return FALSE;
  for (const char *p = data; p < data + length; p = g_utf8_next_char (p))
    if (!g_unichar_isprint (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

static const char *
close_code_name (guint code)
{
  switch (code)
    {
    case 1000: return _("Normal closure");
    case 1001: return _("Going away");
    case 1002: return _("Protocol error");
    case 1003: return _("Unsupported data");
    case 1005: return _("No code");
    case 1006: return _("Connection lost");
    case 1007: return _("Invalid data");
    case 1008: return _("Policy violation");
    case 1009: return _("Message too big");
    case 1010: return _("Extension missing");
    case 1011: return _("Server error");
    default: return NULL;
    }
}

static char *
format_close (LadleWebsocketEvent *event)
{
  guint code = ladle_websocket_event_get_close_code (event);
  const char *reason = ladle_websocket_event_get_close_reason (event);
  const char *name = close_code_name (code);
  GString *text = g_string_new (NULL);

  if (code == 0)
    g_string_append (text, _("No code"));
  else if (name != NULL)
    g_string_append_printf (text, "%u %s", code, name);
  else
    g_string_append_printf (text, "%u", code);

  if (reason != NULL && reason[0] != '\0')
    g_string_append_printf (text, " · “%s”", reason);

  return g_string_free (text, FALSE);
}

/**
 * ladle_websocket_format_preview:
 *
 * Returns: (transfer full): one line for the transcript row
 */
char *
ladle_websocket_format_preview (LadleWebsocketEvent *event)
{
  GBytes *payload = ladle_websocket_event_get_payload (event);
  const char *summary = ladle_websocket_event_get_summary (event);
  const char *data = NULL;
  gsize length = 0;

  if (payload != NULL)
    data = g_bytes_get_data (payload, &length);

  switch (ladle_websocket_event_get_kind (event))
    {
    case LADLE_WEBSOCKET_EVENT_TEXT:
      if (length == 0)
        return g_strdup (_("(empty)"));
      return one_line (data, length, PREVIEW_TEXT_BYTES);

    case LADLE_WEBSOCKET_EVENT_BINARY:
      {
        g_autofree char *size = ladle_websocket_format_size (length);
        g_autofree char *hex = hex_bytes ((const guint8 *) data, length, PREVIEW_HEX_BYTES);

        if (length == 0)
          return g_steal_pointer (&size);
        return g_strdup_printf ("%s · %s", size, hex);
      }

    case LADLE_WEBSOCKET_EVENT_PING:
    case LADLE_WEBSOCKET_EVENT_PONG:
      if (length == 0)
        return g_strdup (_("(empty)"));
      if (is_printable_text (data, length))
        return one_line (data, length, PREVIEW_TEXT_BYTES);
      return hex_bytes ((const guint8 *) data, length, PREVIEW_HEX_BYTES);

    case LADLE_WEBSOCKET_EVENT_CLOSE:
      return format_close (event);

    case LADLE_WEBSOCKET_EVENT_OPEN:
    case LADLE_WEBSOCKET_EVENT_ERROR:
    case LADLE_WEBSOCKET_EVENT_STATE:
    default:
      return one_line (summary != NULL ? summary : "", summary != NULL ? strlen (summary) : 0,
                       PREVIEW_TEXT_BYTES * 2);
    }
}

/**
 * ladle_websocket_format_title:
 *
 * Returns: (transfer full): "↑ Text · 13 bytes · 14:03:27.512", above the full payload
 */
char *
ladle_websocket_format_title (LadleWebsocketEvent *event)
{
  g_autofree char *size = ladle_websocket_format_size (ladle_websocket_event_get_size (event));
  g_autofree char *time = ladle_websocket_format_time (ladle_websocket_event_get_timestamp (event));
  const char *arrow;

  switch (ladle_websocket_event_get_direction (event))
    {
    case LADLE_WEBSOCKET_DIRECTION_IN:
      arrow = "↓ ";
      break;
    case LADLE_WEBSOCKET_DIRECTION_OUT:
      arrow = "↑ ";
      break;
    case LADLE_WEBSOCKET_DIRECTION_NONE:
    default:
      arrow = "";
      break;
    }

  return g_strdup_printf ("%s%s · %s · %s", arrow,
                          ladle_websocket_format_kind (ladle_websocket_event_get_kind (event)),
                          size, time);
}

/**
 * ladle_websocket_format_detail:
 * @truncated: (out): set when only the first LADLE_WEBSOCKET_DISPLAY_LIMIT bytes are shown
 *
 * Returns: (transfer full): valid UTF-8 for the payload view: the text, or a hex dump
 */
char *
ladle_websocket_format_detail (LadleWebsocketEvent *event,
                               gboolean            *truncated)
{
  GBytes *payload = ladle_websocket_event_get_payload (event);
  const char *summary = ladle_websocket_event_get_summary (event);
  const char *data = NULL;
  gsize length = 0;
  gsize shown;

  if (payload != NULL)
    data = g_bytes_get_data (payload, &length);
  shown = MIN (length, LADLE_WEBSOCKET_DISPLAY_LIMIT);
  *truncated = FALSE;

  switch (ladle_websocket_event_get_kind (event))
    {
    case LADLE_WEBSOCKET_EVENT_TEXT:
      *truncated = shown < length;
      if (length == 0)
        return g_strdup ("");
      if (g_utf8_validate_len (data, shown, NULL))
        return g_strndup (data, shown);
      /* Cut inside a character, or not UTF-8 at all. */
      return g_utf8_make_valid (data, shown);

    case LADLE_WEBSOCKET_EVENT_BINARY:
    case LADLE_WEBSOCKET_EVENT_PING:
    case LADLE_WEBSOCKET_EVENT_PONG:
      *truncated = shown < length;
      if (length == 0)
        return g_strdup (_("(empty)"));
      return ladle_body_hex_dump ((const guint8 *) data, shown);

    case LADLE_WEBSOCKET_EVENT_CLOSE:
      {
        const char *reason = ladle_websocket_event_get_close_reason (event);
        guint code = ladle_websocket_event_get_close_code (event);
        const char *name = close_code_name (code);
        g_autofree char *code_text = NULL;

        if (code == 0)
          code_text = g_strdup (_("No code"));
        else if (name != NULL)
          code_text = g_strdup_printf ("%u (%s)", code, name);
        else
          code_text = g_strdup_printf ("%u", code);

        /* Translators: the close code of a WebSocket connection, then the close reason. */
        return g_strdup_printf (_("Code: %s\nReason: %s"), code_text,
                                reason != NULL ? reason : "");
      }

    case LADLE_WEBSOCKET_EVENT_OPEN:
    case LADLE_WEBSOCKET_EVENT_ERROR:
    case LADLE_WEBSOCKET_EVENT_STATE:
    default:
      return g_strdup (summary != NULL ? summary : "");
    }
}

/* Case-insensitive search of an ASCII @needle without copying the haystack. */
static gboolean
ascii_contains (const char *haystack,
                gsize       length,
                const char *needle)
{
  gsize n = strlen (needle);

  if (n == 0)
    return TRUE;
  for (gsize i = 0; i + n <= length; i++)
    if (g_ascii_strncasecmp (haystack + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
is_ascii (const char *data,
          gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if ((guchar) data[i] >= 0x80)
      return FALSE;
  return TRUE;
}

static gboolean
text_contains (const char *haystack,
               gsize       length,
               const char *needle,
               gboolean    needle_is_ascii)
{
  g_autofree char *valid = NULL;
  g_autofree char *folded = NULL;

  if (haystack == NULL)
    return FALSE;
  length = MIN (length, LADLE_WEBSOCKET_DISPLAY_LIMIT);
  if (needle_is_ascii && ascii_contains (haystack, length, needle))
    return TRUE;
  /* Other characters fold to ASCII too ("ß" to "ss", the Kelvin sign to "k"): only ASCII text
   * can be left unfolded */
  if (needle_is_ascii && is_ascii (haystack, length))
    return FALSE;

  /* The text as the detail shows it: bytes that are not UTF-8 (or a character cut at the limit)
   * become U+FFFD instead of ending the search */
  valid = g_utf8_make_valid (haystack, length);
  folded = g_utf8_casefold (valid, -1);
  return strstr (folded, needle) != NULL;
}

/**
 * ladle_websocket_event_matches:
 * @casefolded_needle: the search text, already through g_utf8_casefold()
 *
 * Returns: whether the event's text (payload of text messages, pings and pongs; close reason;
 *   summary) contains the needle. Only the first LADLE_WEBSOCKET_DISPLAY_LIMIT bytes are searched.
 */
gboolean
ladle_websocket_event_matches (LadleWebsocketEvent *event,
                               const char          *casefolded_needle)
{
  GBytes *payload = ladle_websocket_event_get_payload (event);
  const char *summary = ladle_websocket_event_get_summary (event);
  const char *reason = ladle_websocket_event_get_close_reason (event);
  gboolean ascii = TRUE;

  if (casefolded_needle == NULL || casefolded_needle[0] == '\0')
    return TRUE;

  for (const char *p = casefolded_needle; *p != '\0'; p++)
    if ((guchar) *p >= 0x80)
      ascii = FALSE;

  if (payload != NULL && ladle_websocket_event_get_kind (event) != LADLE_WEBSOCKET_EVENT_BINARY)
    {
      gsize length;
      const char *data = g_bytes_get_data (payload, &length);

      if (text_contains (data, length, casefolded_needle, ascii))
        return TRUE;
    }
  if (summary != NULL && text_contains (summary, strlen (summary), casefolded_needle, ascii))
    return TRUE;
  if (reason != NULL && text_contains (reason, strlen (reason), casefolded_needle, ascii))
    return TRUE;

  return FALSE;
}
