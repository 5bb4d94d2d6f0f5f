/* test-websocket-format.c
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

#include "ladle-body-format.h"
#include "ladle-test-utils.h"
#include "ladle-websocket-event.h"
#include "ladle-websocket-format.h"

/* The words of the WebSocket transcript: kinds, times, sizes, one-line previews, titles, payload
 * views and the filter. Times are local: main() sets a fixed zone 5:30 east of UTC, without
 * daylight saving time. */

#define LIMIT LADLE_WEBSOCKET_DISPLAY_LIMIT
#define ELLIPSIS "…"
#define REPLACEMENT "\xef\xbf\xbd"

static LadleWebsocketEvent *
event_new (LadleWebsocketDirection  direction,
           LadleWebsocketEventKind  kind,
           const char              *data,
           gssize                   len,
           const char              *summary)
{
  g_autoptr(GBytes) payload = NULL;

  if (data != NULL)
    payload = g_bytes_new (data, len < 0 ? strlen (data) : (gsize) len);
  return ladle_websocket_event_new (direction, kind, payload, summary);
}

static LadleWebsocketEvent *
text_new (const char *text)
{
  return event_new (LADLE_WEBSOCKET_DIRECTION_IN, LADLE_WEBSOCKET_EVENT_TEXT, text, -1, NULL);
}

/* @n bytes: @fill repeated, then @tail */
static char *
filled (gsize       n,
        char        fill,
        const char *tail)
{
  GString *text = g_string_new (NULL);

  for (gsize i = 0; i < n; i++)
    g_string_append_c (text, fill);
  g_string_append (text, tail);
  return g_string_free (text, FALSE);
}

static void
assert_preview (LadleWebsocketEvent *event,
                const char          *expected)
{
  g_autofree char *preview = ladle_websocket_format_preview (event);

  g_assert_true (g_utf8_validate (preview, -1, NULL));
  g_assert_cmpstr (preview, ==, expected);
}

static void
assert_detail (LadleWebsocketEvent *event,
               const char          *expected,
               gboolean             expected_truncated)
{
  gboolean truncated = !expected_truncated;
  g_autofree char *detail = ladle_websocket_format_detail (event, &truncated);

  g_assert_true (g_utf8_validate (detail, -1, NULL));
  g_assert_cmpstr (detail, ==, expected);
  g_assert_cmpint (truncated, ==, expected_truncated);
}

/* ladle_websocket_event_matches() with the needle as the page makes it: casefolded */
static gboolean
matches (LadleWebsocketEvent *event,
         const char          *needle)
{
  g_autofree char *folded = needle != NULL ? g_utf8_casefold (needle, -1) : NULL;

  return ladle_websocket_event_matches (event, folded);
}

static void
test_kind (void)
{
  g_assert_cmpstr (ladle_websocket_format_kind (LADLE_WEBSOCKET_EVENT_TEXT), ==, "Text");
  g_assert_cmpstr (ladle_websocket_format_kind (LADLE_WEBSOCKET_EVENT_BINARY), ==, "Binary");
  g_assert_cmpstr (ladle_websocket_format_kind (LADLE_WEBSOCKET_EVENT_PING), ==, "Ping");
  g_assert_cmpstr (ladle_websocket_format_kind (LADLE_WEBSOCKET_EVENT_PONG), ==, "Pong");
  g_assert_cmpstr (ladle_websocket_format_kind (LADLE_WEBSOCKET_EVENT_CLOSE), ==, "Close");
  g_assert_cmpstr (ladle_websocket_format_kind (LADLE_WEBSOCKET_EVENT_OPEN), ==, "Open");
  g_assert_cmpstr (ladle_websocket_format_kind (LADLE_WEBSOCKET_EVENT_ERROR), ==, "Error");
  g_assert_cmpstr (ladle_websocket_format_kind (LADLE_WEBSOCKET_EVENT_STATE), ==, "Info");
  g_assert_cmpstr (ladle_websocket_format_kind ((LadleWebsocketEventKind) 99), ==, "");
}

/* The expected time, made the same way from GDateTime */
static char *
expected_time (gint64 timestamp)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (timestamp / G_USEC_PER_SEC);
  g_autofree char *hms = g_date_time_format (time, "%H:%M:%S");

  return g_strdup_printf ("%s.%03d", hms, (int) (timestamp % G_USEC_PER_SEC / 1000));
}

static void
test_time (void)
{
  /* 2023-11-14 22:13:20.123456 UTC */
  const gint64 stamp = G_GINT64_CONSTANT (1700000000123456);
  const struct
  {
    gint64 timestamp;
    const char *expected;
  } cases[] = {
    { stamp, "03:43:20.123" },
    { 0, "05:30:00.000" },
    { 999, "05:30:00.000" },
    /* Milliseconds are cut, not rounded */
    { G_GINT64_CONSTANT (1700000000999999), "03:43:20.999" },
    { G_GINT64_CONSTANT (1700000001000000), "03:43:21.000" },
    { stamp + 42 * 1000, "03:43:20.165" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *time = ladle_websocket_format_time (cases[i].timestamp);
      g_autofree char *same = expected_time (cases[i].timestamp);

      g_assert_cmpstr (time, ==, cases[i].expected);
      g_assert_cmpstr (time, ==, same);
    }

  /* Out of GDateTime's range: empty rather than wrong */
  {
    g_autofree char *time = ladle_websocket_format_time (G_MAXINT64);

    g_assert_cmpstr (time, ==, "");
  }
}

static void
test_size (void)
{
  const struct
  {
    guint64 size;
    const char *expected;
  } cases[] = {
    { 0, "0 bytes" },
    { 1, "1 byte" },
    { 13, "13 bytes" },
    { 999, "999 bytes" },
    /* GLib puts a no-break space before a unit other than bytes */
    { 1000, "1.0\xc2\xa0kB" },
    { 1500, "1.5\xc2\xa0kB" },
    { 64 * 1000 * 1000, "64.0\xc2\xa0MB" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *size = ladle_websocket_format_size (cases[i].size);

      g_assert_cmpstr (size, ==, cases[i].expected);
    }
}

static void
test_preview_text (void)
{
  g_autoptr(LadleWebsocketEvent) plain = text_new ("hello, мир ✓");
  g_autoptr(LadleWebsocketEvent) lines = text_new ("one\ntwo\r\nthree\tfour");
  g_autoptr(LadleWebsocketEvent) empty = text_new ("");
  g_autoptr(LadleWebsocketEvent) none = event_new (LADLE_WEBSOCKET_DIRECTION_OUT,
                                                   LADLE_WEBSOCKET_EVENT_TEXT, NULL, 0, NULL);
  g_autoptr(LadleWebsocketEvent) invalid = text_new ("ab\xff" "cd");
  g_autofree char *a240 = filled (240, 'a', "");
  g_autofree char *a241 = filled (241, 'a', "");
  g_autofree char *a239 = filled (239, 'a', "");
  g_autofree char *a239_e = filled (239, 'a', "é and more");
  g_autoptr(LadleWebsocketEvent) exact = text_new (a240);
  g_autoptr(LadleWebsocketEvent) longer = text_new (a241);
  g_autoptr(LadleWebsocketEvent) cut_char = text_new (a239_e);
  g_autofree char *a240_more = g_strconcat (a240, ELLIPSIS, NULL);
  g_autofree char *a239_more = g_strconcat (a239, ELLIPSIS, NULL);

  assert_preview (plain, "hello, мир ✓");
  /* One line: line breaks and tabs become spaces */
  assert_preview (lines, "one two  three four");
  assert_preview (empty, "(empty)");
  assert_preview (none, "(empty)");
  /* Up to the first byte that is not UTF-8 */
  assert_preview (invalid, "ab" ELLIPSIS);
  /* 240 bytes at most, and never half a character */
  assert_preview (exact, a240);
  assert_preview (longer, a240_more);
  assert_preview (cut_char, a239_more);
}

static void
test_preview_binary (void)
{
  static const guint8 nine[] = { 0x00, 0x01, 0x7f, 0x80, 0xff, 0x10, 0x20, 0x41, 0x0a };
  g_autoptr(LadleWebsocketEvent) three = event_new (LADLE_WEBSOCKET_DIRECTION_IN,
                                                    LADLE_WEBSOCKET_EVENT_BINARY,
                                                    (const char *) nine, 3, NULL);
  g_autoptr(LadleWebsocketEvent) eight = event_new (LADLE_WEBSOCKET_DIRECTION_IN,
                                                    LADLE_WEBSOCKET_EVENT_BINARY,
                                                    (const char *) nine, 8, NULL);
  g_autoptr(LadleWebsocketEvent) all = event_new (LADLE_WEBSOCKET_DIRECTION_IN,
                                                  LADLE_WEBSOCKET_EVENT_BINARY,
                                                  (const char *) nine, 9, NULL);
  g_autoptr(LadleWebsocketEvent) empty = event_new (LADLE_WEBSOCKET_DIRECTION_IN,
                                                    LADLE_WEBSOCKET_EVENT_BINARY, "", 0, NULL);
  g_autoptr(LadleWebsocketEvent) text = event_new (LADLE_WEBSOCKET_DIRECTION_IN,
                                                   LADLE_WEBSOCKET_EVENT_BINARY, "Hi", -1, NULL);

  assert_preview (three, "3 bytes · 00 01 7f");
  assert_preview (eight, "8 bytes · 00 01 7f 80 ff 10 20 41");
  assert_preview (all, "9 bytes · 00 01 7f 80 ff 10 20 41 " ELLIPSIS);
  assert_preview (empty, "0 bytes");
  /* Binary stays binary even when it reads as text */
  assert_preview (text, "2 bytes · 48 69");
}

static void
test_preview_control (void)
{
  static const guint8 bytes[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
  g_autoptr(LadleWebsocketEvent) ping_text = event_new (LADLE_WEBSOCKET_DIRECTION_OUT,
                                                        LADLE_WEBSOCKET_EVENT_PING,
                                                        "are you there?", -1, NULL);
  g_autoptr(LadleWebsocketEvent) ping_bytes = event_new (LADLE_WEBSOCKET_DIRECTION_OUT,
                                                         LADLE_WEBSOCKET_EVENT_PING,
                                                         (const char *) bytes, 9, NULL);
  g_autoptr(LadleWebsocketEvent) pong_newline = event_new (LADLE_WEBSOCKET_DIRECTION_IN,
                                                           LADLE_WEBSOCKET_EVENT_PONG,
                                                           "a\nb", -1, NULL);
  g_autoptr(LadleWebsocketEvent) pong_empty = event_new (LADLE_WEBSOCKET_DIRECTION_IN,
                                                         LADLE_WEBSOCKET_EVENT_PONG,
                                                         NULL, 0, NULL);
  g_autoptr(LadleWebsocketEvent) pong_utf8 = event_new (LADLE_WEBSOCKET_DIRECTION_IN,
                                                        LADLE_WEBSOCKET_EVENT_PONG,
                                                        "пинг ✓", -1, NULL);
  g_autoptr(LadleWebsocketEvent) normal = ladle_websocket_event_new_close (
    LADLE_WEBSOCKET_DIRECTION_IN, 1000, "bye");
  g_autoptr(LadleWebsocketEvent) named = ladle_websocket_event_new_close (
    LADLE_WEBSOCKET_DIRECTION_OUT, 1011, NULL);
  g_autoptr(LadleWebsocketEvent) unnamed = ladle_websocket_event_new_close (
    LADLE_WEBSOCKET_DIRECTION_IN, 4001, "custom «reason»");
  g_autoptr(LadleWebsocketEvent) unnamed_bare = ladle_websocket_event_new_close (
    LADLE_WEBSOCKET_DIRECTION_IN, 1004, "");
  g_autoptr(LadleWebsocketEvent) no_code = ladle_websocket_event_new_close (
    LADLE_WEBSOCKET_DIRECTION_IN, 0, NULL);
  g_autoptr(LadleWebsocketEvent) open = event_new (LADLE_WEBSOCKET_DIRECTION_NONE,
                                                   LADLE_WEBSOCKET_EVENT_OPEN, NULL, 0,
                                                   "Connected to ws://localhost/\nchat");
  g_autoptr(LadleWebsocketEvent) error = event_new (LADLE_WEBSOCKET_DIRECTION_NONE,
                                                    LADLE_WEBSOCKET_EVENT_ERROR, NULL, 0, NULL);
  g_autofree char *s480 = filled (480, 's', "");
  g_autofree char *s481 = filled (481, 's', "");
  g_autofree char *s480_more = g_strconcat (s480, ELLIPSIS, NULL);
  g_autoptr(LadleWebsocketEvent) state_480 = event_new (LADLE_WEBSOCKET_DIRECTION_NONE,
                                                        LADLE_WEBSOCKET_EVENT_STATE,
                                                        NULL, 0, s480);
  g_autoptr(LadleWebsocketEvent) state_481 = event_new (LADLE_WEBSOCKET_DIRECTION_NONE,
                                                        LADLE_WEBSOCKET_EVENT_STATE,
                                                        NULL, 0, s481);

  /* Pings and pongs: printable text as text, anything else as hex bytes */
  assert_preview (ping_text, "are you there?");
  assert_preview (ping_bytes, "01 02 03 04 05 06 07 08 " ELLIPSIS);
  assert_preview (pong_newline, "61 0a 62");
  assert_preview (pong_empty, "(empty)");
  assert_preview (pong_utf8, "пинг ✓");

  /* Close: the code, its name when it has one, and the reason when there is one */
  assert_preview (normal, "1000 Normal closure · “bye”");
  assert_preview (named, "1011 Server error");
  assert_preview (unnamed, "4001 · “custom «reason»”");
  assert_preview (unnamed_bare, "1004");
  assert_preview (no_code, "No code");

  /* The others: their summary on one line, 480 bytes at most */
  assert_preview (open, "Connected to ws://localhost/ chat");
  assert_preview (error, "");
  assert_preview (state_480, s480);
  assert_preview (state_481, s480_more);
}

static void
test_title (void)
{
  g_autoptr(LadleWebsocketEvent) in = text_new ("Hello, World!");
  g_autoptr(LadleWebsocketEvent) out = event_new (LADLE_WEBSOCKET_DIRECTION_OUT,
                                                  LADLE_WEBSOCKET_EVENT_BINARY, "\x01", 1, NULL);
  g_autoptr(LadleWebsocketEvent) state = event_new (LADLE_WEBSOCKET_DIRECTION_NONE,
                                                    LADLE_WEBSOCKET_EVENT_STATE, NULL, 0,
                                                    "Reconnecting");
  g_autoptr(LadleWebsocketEvent) close = ladle_websocket_event_new_close (
    LADLE_WEBSOCKET_DIRECTION_IN, 1000, "bye");
  const struct
  {
    LadleWebsocketEvent *event;
    const char *head;
  } cases[] = {
    { in, "↓ Text · 13 bytes · " },
    { out, "↑ Binary · 1 byte · " },
    { state, "Info · 0 bytes · " },
    /* A close frame's payload: the code's two bytes and the reason */
    { close, "↓ Close · 5 bytes · " },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *title = ladle_websocket_format_title (cases[i].event);
      g_autofree char *time =
        expected_time (ladle_websocket_event_get_timestamp (cases[i].event));
      g_autofree char *expected = g_strconcat (cases[i].head, time, NULL);

      g_assert_cmpstr (title, ==, expected);
    }
}

static void
test_detail_text (void)
{
  g_autoptr(LadleWebsocketEvent) plain = text_new ("line one\nline two\tтекст\n");
  g_autoptr(LadleWebsocketEvent) empty = text_new ("");
  g_autoptr(LadleWebsocketEvent) none = event_new (LADLE_WEBSOCKET_DIRECTION_IN,
                                                   LADLE_WEBSOCKET_EVENT_TEXT, NULL, 0, NULL);
  g_autoptr(LadleWebsocketEvent) invalid = text_new ("ab\xff\xfe" "cd");
  g_autofree char *x_limit = filled (LIMIT, 'x', "");
  g_autofree char *x_more = filled (LIMIT + 10, 'x', "");
  g_autofree char *x_cut = filled (LIMIT - 1, 'x', "é and more");
  g_autofree char *x_cut_shown = filled (LIMIT - 1, 'x', REPLACEMENT);
  g_autoptr(LadleWebsocketEvent) at_limit = text_new (x_limit);
  g_autoptr(LadleWebsocketEvent) past_limit = text_new (x_more);
  g_autoptr(LadleWebsocketEvent) cut_char = text_new (x_cut);

  assert_detail (plain, "line one\nline two\tтекст\n", FALSE);
  assert_detail (empty, "", FALSE);
  assert_detail (none, "", FALSE);
  /* Each byte that is not UTF-8 becomes U+FFFD */
  assert_detail (invalid, "ab" REPLACEMENT REPLACEMENT "cd", FALSE);
  assert_detail (at_limit, x_limit, FALSE);
  assert_detail (past_limit, x_limit, TRUE);
  /* Cut inside "é": the half character shows as U+FFFD */
  assert_detail (cut_char, x_cut_shown, TRUE);
}

static void
test_detail_binary (void)
{
  static const char bytes[] = "Ladle\0\001\177\377 hex dump\n!";
  g_autoptr(LadleWebsocketEvent) binary = event_new (LADLE_WEBSOCKET_DIRECTION_IN,
                                                     LADLE_WEBSOCKET_EVENT_BINARY,
                                                     bytes, sizeof bytes - 1, NULL);
  g_autoptr(LadleWebsocketEvent) ping = event_new (LADLE_WEBSOCKET_DIRECTION_OUT,
                                                   LADLE_WEBSOCKET_EVENT_PING, "hi", -1, NULL);
  g_autoptr(LadleWebsocketEvent) pong = event_new (LADLE_WEBSOCKET_DIRECTION_IN,
                                                   LADLE_WEBSOCKET_EVENT_PONG, NULL, 0, NULL);
  g_autoptr(LadleWebsocketEvent) empty = event_new (LADLE_WEBSOCKET_DIRECTION_IN,
                                                    LADLE_WEBSOCKET_EVENT_BINARY, "", 0, NULL);
  g_autofree guint8 *big = g_malloc (LIMIT + 1);
  g_autoptr(LadleWebsocketEvent) big_event = NULL;
  g_autofree char *big_dump = NULL;
  g_autofree char *dump = NULL;
  gboolean truncated = FALSE;
  const char *last_row;

  /* As `hexdump -C` prints it, a newline after each row */
  assert_detail (binary,
                 "00000000  4c 61 64 6c 65 00 01 7f  ff 20 68 65 78 20 64 75  |Ladle.... hex du|\n"
                 "00000010  6d 70 0a 21                                       |mp.!|\n",
                 FALSE);
  /* Pings and pongs too, even printable */
  assert_detail (ping,
                 "00000000  68 69                                             |hi|\n", FALSE);
  assert_detail (pong, "(empty)", FALSE);
  assert_detail (empty, "(empty)", FALSE);

  /* The first LIMIT bytes only */
  for (gsize i = 0; i < LIMIT + 1; i++)
    big[i] = (guint8) (i * 13);
  big_event = event_new (LADLE_WEBSOCKET_DIRECTION_IN, LADLE_WEBSOCKET_EVENT_BINARY,
                         (const char *) big, LIMIT + 1, NULL);
  dump = ladle_websocket_format_detail (big_event, &truncated);
  big_dump = ladle_body_hex_dump (big, LIMIT);
  g_assert_true (truncated);
  g_assert_cmpstr (dump, ==, big_dump);
  g_assert_cmpuint (strlen (dump), ==, LIMIT / 16 * strlen (
    "00000000  4c 61 64 6c 65 00 01 7f  ff 20 68 65 78 20 64 75  |Ladle.... hex du|\n"));
  last_row = strrchr (dump, '\n');
  g_assert_nonnull (last_row);
  g_assert_cmpuint (last_row[1], ==, '\0');
  g_assert_true (g_str_has_prefix (g_strrstr_len (dump, last_row - dump, "\n") + 1,
                                   "0000fff0  "));
}

static void
test_detail_close (void)
{
  g_autoptr(LadleWebsocketEvent) normal = ladle_websocket_event_new_close (
    LADLE_WEBSOCKET_DIRECTION_IN, 1000, "bye");
  g_autoptr(LadleWebsocketEvent) named = ladle_websocket_event_new_close (
    LADLE_WEBSOCKET_DIRECTION_IN, 1001, NULL);
  g_autoptr(LadleWebsocketEvent) unnamed = ladle_websocket_event_new_close (
    LADLE_WEBSOCKET_DIRECTION_OUT, 4000, "app: done ✓");
  g_autoptr(LadleWebsocketEvent) no_code = ladle_websocket_event_new_close (
    LADLE_WEBSOCKET_DIRECTION_IN, 0, NULL);
  g_autoptr(LadleWebsocketEvent) error = event_new (LADLE_WEBSOCKET_DIRECTION_NONE,
                                                    LADLE_WEBSOCKET_EVENT_ERROR, NULL, 0,
                                                    "Connection refused\nretrying");
  g_autoptr(LadleWebsocketEvent) open = event_new (LADLE_WEBSOCKET_DIRECTION_NONE,
                                                   LADLE_WEBSOCKET_EVENT_OPEN, NULL, 0, NULL);

  assert_detail (normal, "Code: 1000 (Normal closure)\nReason: bye", FALSE);
  assert_detail (named, "Code: 1001 (Going away)\nReason: ", FALSE);
  assert_detail (unnamed, "Code: 4000\nReason: app: done ✓", FALSE);
  assert_detail (no_code, "Code: No code\nReason: ", FALSE);
  /* The other events: their summary, whole */
  assert_detail (error, "Connection refused\nretrying", FALSE);
  assert_detail (open, "", FALSE);
}

/* Every code that has a name, in the preview and the detail */
static void
test_close_names (void)
{
  const struct
  {
    guint code;
    const char *name;
  } names[] = {
    { 1000, "Normal closure" }, { 1001, "Going away" }, { 1002, "Protocol error" },
    { 1003, "Unsupported data" }, { 1005, "No code" }, { 1006, "Connection lost" },
    { 1007, "Invalid data" }, { 1008, "Policy violation" }, { 1009, "Message too big" },
    { 1010, "Extension missing" }, { 1011, "Server error" }, { 1004, NULL }, { 1012, NULL },
    { 999, NULL }, { 3000, NULL }, { 65535, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(LadleWebsocketEvent) event = ladle_websocket_event_new_close (
        LADLE_WEBSOCKET_DIRECTION_IN, names[i].code, "r");
      g_autofree char *preview = NULL;
      g_autofree char *detail = NULL;

      if (names[i].name != NULL)
        {
          preview = g_strdup_printf ("%u %s · “r”", names[i].code, names[i].name);
          detail = g_strdup_printf ("Code: %u (%s)\nReason: r", names[i].code, names[i].name);
        }
      else
        {
          preview = g_strdup_printf ("%u · “r”", names[i].code);
          detail = g_strdup_printf ("Code: %u\nReason: r", names[i].code);
        }
      assert_preview (event, preview);
      assert_detail (event, detail, FALSE);
    }
}

static void
test_matches (void)
{
  g_autoptr(LadleWebsocketEvent) hello = text_new ("Hello, World! école");
  g_autoptr(LadleWebsocketEvent) russian = text_new ("Привет, Мир");
  g_autoptr(LadleWebsocketEvent) empty = text_new ("");
  g_autoptr(LadleWebsocketEvent) shout = text_new ("PING Pong");
  g_autoptr(LadleWebsocketEvent) ping = event_new (LADLE_WEBSOCKET_DIRECTION_OUT,
                                                   LADLE_WEBSOCKET_EVENT_PING,
                                                   "heartbeat 42", -1, NULL);
  g_autoptr(LadleWebsocketEvent) binary = event_new (LADLE_WEBSOCKET_DIRECTION_IN,
                                                     LADLE_WEBSOCKET_EVENT_BINARY,
                                                     "secret Мир", -1, NULL);
  g_autoptr(LadleWebsocketEvent) binary_summary = event_new (LADLE_WEBSOCKET_DIRECTION_IN,
                                                             LADLE_WEBSOCKET_EVENT_BINARY,
                                                             "\x01\x02", 2, "Uploaded Файл");
  g_autoptr(LadleWebsocketEvent) error = event_new (LADLE_WEBSOCKET_DIRECTION_NONE,
                                                    LADLE_WEBSOCKET_EVENT_ERROR, NULL, 0,
                                                    "Connection refused");
  g_autoptr(LadleWebsocketEvent) close = ladle_websocket_event_new_close (
    LADLE_WEBSOCKET_DIRECTION_IN, 4000, "Going Home Über");
  g_autoptr(LadleWebsocketEvent) no_code = ladle_websocket_event_new_close (
    LADLE_WEBSOCKET_DIRECTION_IN, 0, NULL);
  /* Without a code there is no summary: only the reason holds the words */
  g_autoptr(LadleWebsocketEvent) reason_only = ladle_websocket_event_new_close (
    LADLE_WEBSOCKET_DIRECTION_IN, 0, "Odd Ёлка");

  /* No needle: everything */
  g_assert_true (ladle_websocket_event_matches (hello, NULL));
  g_assert_true (ladle_websocket_event_matches (hello, ""));
  g_assert_true (ladle_websocket_event_matches (empty, ""));
  g_assert_true (ladle_websocket_event_matches (binary, NULL));

  /* ASCII needles, any case */
  g_assert_true (matches (hello, "hello"));
  g_assert_true (matches (hello, "WORLD!"));
  g_assert_true (matches (hello, "o, w"));
  g_assert_true (matches (hello, "Hello, World! école"));
  g_assert_false (matches (hello, "worlds"));
  g_assert_true (matches (shout, "ping pong"));
  g_assert_true (matches (shout, "G p"));
  g_assert_false (matches (empty, "a"));

  /* Other needles, through case folding */
  g_assert_true (matches (hello, "ÉCOLE"));
  g_assert_true (matches (hello, "école"));
  g_assert_true (matches (russian, "мир"));
  g_assert_true (matches (russian, "ПРИВЕТ, мир"));
  g_assert_false (matches (russian, "мира"));
  g_assert_false (matches (hello, "ecolé"));

  /* Pings are searched; binary payloads are not, their summary is */
  g_assert_true (matches (ping, "Heartbeat"));
  g_assert_false (matches (binary, "secret"));
  g_assert_false (matches (binary, "мир"));
  g_assert_true (matches (binary_summary, "uploaded"));
  g_assert_true (matches (binary_summary, "файл"));

  /* Summaries, close reasons, and the close code (in the summary) */
  g_assert_true (matches (error, "REFUSED"));
  g_assert_false (matches (error, "accepted"));
  g_assert_true (matches (close, "going home"));
  g_assert_true (matches (close, "über"));
  g_assert_true (matches (close, "4000"));
  g_assert_false (matches (close, "1000"));
  g_assert_false (matches (no_code, "code"));
  g_assert_null (ladle_websocket_event_get_summary (reason_only));
  g_assert_true (matches (reason_only, "odd"));
  g_assert_true (matches (reason_only, "ёлка"));
}

/* Only the first LIMIT bytes are searched, with either kind of needle */
static void
test_matches_limit (void)
{
  g_autofree char *ascii_in = filled (LIMIT - 6, '.', "Needle and more");
  g_autofree char *ascii_across = filled (LIMIT - 5, '.', "Needle");
  g_autofree char *ascii_after = filled (LIMIT, '.', "needle");
  /* "ключ" is 8 bytes */
  g_autofree char *utf8_in = filled (LIMIT - 8, '.', "КЛЮЧ and more");
  g_autofree char *utf8_across = filled (LIMIT - 7, '.', "ключ");
  g_autofree char *utf8_after = filled (LIMIT, '.', "ключ");
  g_autoptr(LadleWebsocketEvent) e_ascii_in = text_new (ascii_in);
  g_autoptr(LadleWebsocketEvent) e_ascii_across = text_new (ascii_across);
  g_autoptr(LadleWebsocketEvent) e_ascii_after = text_new (ascii_after);
  g_autoptr(LadleWebsocketEvent) e_utf8_in = text_new (utf8_in);
  g_autoptr(LadleWebsocketEvent) e_utf8_across = text_new (utf8_across);
  g_autoptr(LadleWebsocketEvent) e_utf8_after = text_new (utf8_after);
  g_autoptr(LadleWebsocketEvent) summary = event_new (LADLE_WEBSOCKET_DIRECTION_NONE,
                                                      LADLE_WEBSOCKET_EVENT_STATE, NULL, 0,
                                                      ascii_after);

  g_assert_true (matches (e_ascii_in, "needle"));
  g_assert_false (matches (e_ascii_across, "needle"));
  g_assert_true (matches (e_ascii_across, "needl"));
  g_assert_false (matches (e_ascii_after, "needle"));
  g_assert_true (matches (e_utf8_in, "ключ"));
  g_assert_false (matches (e_utf8_across, "ключ"));
  g_assert_true (matches (e_utf8_across, "клю"));
  g_assert_false (matches (e_utf8_after, "ключ"));
  /* Summaries too */
  g_assert_false (matches (summary, "needle"));
  g_assert_true (matches (summary, "..."));
}

/* The filter finds what the detail shows */
static void
test_matches_shown_text (void)
{
  g_autoptr(LadleWebsocketEvent) invalid = text_new ("\xff" " café \xfe" " naïve");
  g_autoptr(LadleWebsocketEvent) nul = event_new (LADLE_WEBSOCKET_DIRECTION_IN,
                                                  LADLE_WEBSOCKET_EVENT_TEXT,
                                                  "a\0 Ärger", 9, NULL);
  g_autoptr(LadleWebsocketEvent) german = text_new ("Grüße aus der Straße");
  g_autoptr(LadleWebsocketEvent) kelvin = text_new ("300 \xe2\x84\xaa");

  /* Bytes that are not UTF-8 do not hide the text after them */
  g_assert_false (matches (invalid, "cafe"));
  g_assert_true (matches (invalid, "CAFÉ"));
  g_assert_true (matches (invalid, "naïve"));
  g_assert_false (matches (invalid, "naive"));
  g_assert_true (matches (nul, "ärger"));
  g_assert_true (matches (nul, "rger"));

  /* A needle that folds to ASCII: "straße" folds to "strasse", as "Straße" does */
  g_assert_true (matches (german, "straße"));
  g_assert_true (matches (german, "STRASSE"));
  g_assert_true (matches (german, "grüße"));
  g_assert_false (matches (german, "strase"));
  /* The Kelvin sign folds to "k" */
  g_assert_true (matches (kelvin, "300 k"));
}

int
main (int   argc,
      char *argv[])
{
  /* Before any time call: local time is 5:30 east of UTC, all year */
  g_setenv ("TZ", "LDL-5:30", TRUE);

  ladle_test_init (&argc, &argv);

  g_test_add_func ("/ladle/websocket-format/kind", test_kind);
  g_test_add_func ("/ladle/websocket-format/time", test_time);
  g_test_add_func ("/ladle/websocket-format/size", test_size);
  g_test_add_func ("/ladle/websocket-format/preview-text", test_preview_text);
  g_test_add_func ("/ladle/websocket-format/preview-binary", test_preview_binary);
  g_test_add_func ("/ladle/websocket-format/preview-control", test_preview_control);
  g_test_add_func ("/ladle/websocket-format/title", test_title);
  g_test_add_func ("/ladle/websocket-format/detail-text", test_detail_text);
  g_test_add_func ("/ladle/websocket-format/detail-binary", test_detail_binary);
  g_test_add_func ("/ladle/websocket-format/detail-close", test_detail_close);
  g_test_add_func ("/ladle/websocket-format/close-names", test_close_names);
  g_test_add_func ("/ladle/websocket-format/matches", test_matches);
  g_test_add_func ("/ladle/websocket-format/matches-limit", test_matches_limit);
  g_test_add_func ("/ladle/websocket-format/matches-shown-text", test_matches_shown_text);

  return ladle_test_run ();
}
