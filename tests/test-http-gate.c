/* test-http-gate.c
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

#include "ladle-http-gate.h"
#include "ladle-test-utils.h"

typedef struct
{
  GString            *passed;
  guint               status;
  gboolean            in_body;
  char               *message;
  LadleHttpGateState  state;
  guint               n_requests;
} Run;

static void
run_clear (Run *run)
{
  if (run->passed != NULL)
    g_string_free (run->passed, TRUE);
  g_free (run->message);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Feeds @input to a gate @piece bytes at a time, as the connection does, and collects what it
 * lets through; stops at a refusal or when it waits for an upgrade's answer. */
static void
run_gate (const char *input,
          gssize      len,
          gsize       piece,
          Run        *run)
{
  g_autoptr(LadleHttpGate) gate = ladle_http_gate_new ();
  g_autoptr(GByteArray) pending = g_byte_array_new ();
  gsize passable = 0;
  gsize offset = 0;
  const char *message = NULL;

  if (len < 0)
    len = strlen (input);

  memset (run, 0, sizeof *run);
  run->passed = g_string_new (NULL);

  for (;;)
    {
      run->state = ladle_http_gate_advance (gate, pending, &passable);
      g_string_append_len (run->passed, (const char *) pending->data, passable);
      g_byte_array_remove_range (pending, 0, passable);
      passable = 0;

      if (run->state != LADLE_HTTP_GATE_NEED_MORE || offset >= (gsize) len)
        break;

      g_byte_array_append (pending, (const guint8 *) input + offset, MIN (piece, len - offset));
      offset += MIN (piece, len - offset);
    }

  run->status = ladle_http_gate_get_refusal (gate, &message, &run->in_body, NULL);
  run->message = g_strdup (message);
  run->n_requests = ladle_http_gate_get_n_requests (gate);
}

/* The same verdict and the same bytes let through, whatever the pieces the input comes in */
static void
assert_passes (const char *input,
               const char *expected,
               guint       n_requests)
{
  gsize len = strlen (input);

  for (gsize piece = 1; piece <= len; piece = piece < 8 ? piece + 1 : piece * 2)
    {
      g_auto(Run) run = { 0 };

      run_gate (input, len, piece, &run);
      g_assert_cmpuint (run.status, ==, 0);
      g_assert_cmpstr (run.passed->str, ==, expected);
      g_assert_cmpuint (run.n_requests, ==, n_requests);
    }
}

static void
assert_refused (const char *input,
                guint       status,
                gboolean    in_body,
                const char *passed,
                const char *message_part)
{
  gsize len = strlen (input);

  for (gsize piece = 1; piece <= len; piece = piece < 8 ? piece + 1 : piece * 2)
    {
      g_auto(Run) run = { 0 };

      run_gate (input, len, piece, &run);
      if (run.status != status)
        g_error ("“%s” in pieces of %" G_GSIZE_FORMAT ": status %u, expected %u (%s)",
                 input, piece, run.status, status, run.message ? run.message : "");
      g_assert_cmpint (run.state, ==, LADLE_HTTP_GATE_REFUSED);
      g_assert_cmpint (run.in_body, ==, in_body);
      g_assert_cmpstr (run.passed->str, ==, passed);
      if (message_part != NULL && strstr (run.message, message_part) == NULL)
        g_error ("“%s” does not say “%s”", run.message, message_part);
    }
}

#define GET "GET /get HTTP/1.1\r\nHost: a\r\n\r\n"

static void
test_pass (void)
{
  assert_passes (GET, GET, 1);
  assert_passes (GET GET GET, GET GET GET, 3);
  assert_passes ("POST /post HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello" GET,
                 "POST /post HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello" GET, 2);
  /* Identical Content-Lengths are one */
  assert_passes ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nhi",
                 "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nhi", 1);
  /* Chunked, with an extension and upper-case digits, then a pipelined GET */
  assert_passes ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n"
                 "5;name=value\r\nhello\r\nA\r\n0123456789\r\n0\r\n\r\n" GET,
                 "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n"
                 "5;name=value\r\nhello\r\nA\r\n0123456789\r\n0\r\n\r\n" GET, 2);
  /* Bare LF heads, as libsoup reads them; empty lines before a request line */
  assert_passes ("GET / HTTP/1.1\nHost: a\n\n", "GET / HTTP/1.1\nHost: a\n\n", 1);
  assert_passes ("\r\n" GET, "\r\n" GET, 1);
  /* HTTP/1.0, methods of every token character, obs-text in a value */
  assert_passes ("M-SEARCH! * HTTP/1.0\r\nX: caf\xc3\xa9\t\r\n\r\n",
                 "M-SEARCH! * HTTP/1.0\r\nX: caf\xc3\xa9\t\r\n\r\n", 1);
}

/* Trailer fields are checked and dropped: libsoup would read the first as the end of the body
 * and the rest as a new request. */
static void
test_trailers_dropped (void)
{
  assert_passes ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                 "3\r\nabc\r\n0\r\nX-Sum: 1\r\nX-Other: two\r\n\r\n" GET,
                 "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                 "3\r\nabc\r\n0\r\n\r\n" GET, 2);
  assert_refused ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "0\r\nGET /admin HTTP/1.1\r\n\r\n",
                  400, TRUE,
                  "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n",
                  "trailer");
}

/* The cases of the report, each a way two readers could cut the stream differently */
static void
test_smuggling (void)
{
  assert_refused ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\n"
                  "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nX",
                  400, FALSE, "", "both Content-Length and Transfer-Encoding");
  assert_refused ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
                  400, FALSE, "", "two different Content-Length");
  assert_refused ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n",
                  501, FALSE, "", "xchunked");
  assert_refused ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -5\r\n\r\n",
                  400, FALSE, "", "not a number");
  assert_refused ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n",
                  400, FALSE, "", "too large");
  assert_refused ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
                  400, FALSE, "", "more than one Host");
  /* Pipelined: the good request passes, the bad one does not */
  assert_refused (GET "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
                  400, FALSE, GET, "more than one Host");

  /* Transfer codings */
  assert_refused ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
                  501, FALSE, "", "gzip");
  assert_refused ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n",
                  400, FALSE, "", "chunked must be the only");
  assert_refused ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
                  "Transfer-Encoding: chunked\r\n\r\n",
                  400, FALSE, "", "chunked must be the only");
  assert_refused ("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
                  400, FALSE, "", "HTTP/1.0");
  assert_refused ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n\r\n",
                  400, FALSE, "", "empty Transfer-Encoding");
}

static void
test_head_syntax (void)
{
  assert_refused ("GE(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400, FALSE, "", "method");
  assert_refused ("GET / HTTP/1.1\r\nHost: a\r\nX-Long: a\r\n b\r\n\r\n", 400, FALSE, "", "folded");
  assert_refused ("GET / HTTP/1.1\r\nHost: a\r\nno colon here\r\n\r\n", 400, FALSE, "", "no colon");
  assert_refused ("GET / HTTP/1.1\r\nHost: a\r\nContent-Length : 5\r\n\r\nhello",
                  400, FALSE, "", "not a valid header name");
  assert_refused ("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\rc\r\n\r\n", 400, FALSE, "", "carriage return");
  assert_refused ("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\007c\r\n\r\n", 400, FALSE, "", "\\x07");

  {
    static const char nul[] = "GET / HTTP/1.1\r\nHost: a\r\nContent-\0Length: 5\r\n\r\nhello";
    g_auto(Run) run = { 0 };

    run_gate (nul, sizeof nul - 1, 7, &run);
    g_assert_cmpuint (run.status, ==, 400);
    g_assert_cmpstr (run.passed->str, ==, "");
  }
}

static void
test_head_too_big (void)
{
  g_autoptr(GString) head = g_string_new ("GET / HTTP/1.1\r\nHost: a\r\n");
  g_auto(Run) run = { 0 };
  g_auto(Run) endless = { 0 };
  g_autofree char *line = g_strnfill (LADLE_HTTP_GATE_MAX_HEAD + 10, 'a');

  while (head->len <= LADLE_HTTP_GATE_MAX_HEAD)
    g_string_append (head, "X-Filler: 0123456789012345678901234567890123456789\r\n");
  g_string_append (head, "\r\n");
  run_gate (head->str, head->len, 4096, &run);
  g_assert_cmpuint (run.status, ==, 431);
  g_assert_cmpstr (run.passed->str, ==, "");

  /* A line that never ends */
  run_gate (line, -1, 1000, &endless);
  g_assert_cmpuint (endless.status, ==, 431);
}

static void
test_chunk_syntax (void)
{
  const char *head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
  const char *bad_sizes[] = {
    "zz\r\n", "-1\r\n", "0x10\r\nabcdefghijklmnop\r\n0\r\n\r\n", "+5\r\nhello\r\n",
    " 5\r\nhello\r\n", "10000000000000000\r\n", "\r\n", "5\nhello\r\n", "5;\001\r\nhello\r\n",
    "5 x\r\nhello\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad_sizes); i++)
    {
      g_autofree char *input = g_strconcat (head, bad_sizes[i], GET, NULL);

      g_test_message ("chunk line %s", bad_sizes[i]);
      assert_refused (input, 400, TRUE, head, NULL);
    }

  /* After a chunk's data comes CRLF, nothing else */
  {
    g_autofree char *input = g_strconcat (head, "5\r\nhelloXX\r\n0\r\n\r\n", NULL);
    g_autofree char *passed = g_strconcat (head, "5\r\nhello", NULL);

    assert_refused (input, 400, TRUE, passed, "not followed by CRLF");
  }

  /* A chunk line longer than libsoup reads */
  {
    g_autofree char *zeros = g_strnfill (LADLE_HTTP_GATE_MAX_CHUNK_LINE, '0');
    g_autofree char *input = g_strconcat (head, zeros, "5\r\nhello\r\n", NULL);

    assert_refused (input, 400, TRUE, head, "longer than");
  }
}

/* After a request asking for an upgrade, nothing is judged until the answer is known */
static void
test_upgrade (void)
{
  const char *head = "GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
  g_autofree char *input = g_strconcat (head, "\x81\x85\x00\x00\x00\x00hello", NULL);
  g_autoptr(LadleHttpGate) gate = ladle_http_gate_new ();
  g_autoptr(GByteArray) pending = g_byte_array_new ();
  gsize passable = 0;

  g_byte_array_append (pending, (const guint8 *) input, strlen (input));
  g_assert_cmpint (ladle_http_gate_advance (gate, pending, &passable), ==, LADLE_HTTP_GATE_WAITING);
  g_assert_cmpuint (passable, ==, strlen (head));

  /* Switched protocols: the frame passes as it is */
  ladle_http_gate_set_passthrough (gate);
  g_assert_cmpint (ladle_http_gate_advance (gate, pending, &passable), ==, LADLE_HTTP_GATE_NEED_MORE);
  g_assert_cmpuint (passable, ==, strlen (input));
  g_assert_cmpuint (ladle_http_gate_body_remaining (gate), ==, G_MAXUINT64);

  /* Not switched: what follows is judged as a request */
  {
    g_autoptr(LadleHttpGate) other = ladle_http_gate_new ();

    passable = 0;
    g_assert_cmpint (ladle_http_gate_advance (other, pending, &passable), ==,
                     LADLE_HTTP_GATE_WAITING);
    ladle_http_gate_resume (other);
    g_assert_cmpint (ladle_http_gate_advance (other, pending, &passable), ==,
                     LADLE_HTTP_GATE_NEED_MORE);
    g_byte_array_append (pending, (const guint8 *) "\r\n\r\n", 4);
    g_assert_cmpint (ladle_http_gate_advance (other, pending, &passable), ==,
                     LADLE_HTTP_GATE_REFUSED);
    g_assert_cmpuint (passable, ==, strlen (head));
  }
}

/* Body bytes read straight into the reader's buffer, as the connection does */
static void
test_body_direct (void)
{
  g_autoptr(LadleHttpGate) gate = ladle_http_gate_new ();
  g_autoptr(GByteArray) pending = g_byte_array_new ();
  const char *head = "PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n";
  gsize passable = 0;

  g_byte_array_append (pending, (const guint8 *) head, strlen (head));
  g_assert_cmpint (ladle_http_gate_advance (gate, pending, &passable), ==, LADLE_HTTP_GATE_NEED_MORE);
  g_assert_cmpuint (passable, ==, strlen (head));
  g_assert_cmpuint (ladle_http_gate_body_remaining (gate), ==, 1000);
  ladle_http_gate_consume_body (gate, 600);
  g_assert_cmpuint (ladle_http_gate_body_remaining (gate), ==, 400);
  ladle_http_gate_consume_body (gate, 400);
  g_assert_cmpuint (ladle_http_gate_body_remaining (gate), ==, 0);

  /* The next head is judged again */
  g_byte_array_remove_range (pending, 0, passable);
  passable = 0;
  g_byte_array_append (pending, (const guint8 *) GET, strlen (GET));
  g_assert_cmpint (ladle_http_gate_advance (gate, pending, &passable), ==, LADLE_HTTP_GATE_NEED_MORE);
  g_assert_cmpuint (passable, ==, strlen (GET));
  g_assert_cmpuint (ladle_http_gate_get_n_requests (gate), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);

  g_test_add_func ("/http-gate/pass", test_pass);
  g_test_add_func ("/http-gate/trailers-dropped", test_trailers_dropped);
  g_test_add_func ("/http-gate/smuggling", test_smuggling);
  g_test_add_func ("/http-gate/head-syntax", test_head_syntax);
  g_test_add_func ("/http-gate/head-too-big", test_head_too_big);
  g_test_add_func ("/http-gate/chunk-syntax", test_chunk_syntax);
  g_test_add_func ("/http-gate/upgrade", test_upgrade);
  g_test_add_func ("/http-gate/body-direct", test_body_direct);

  return ladle_test_run ();
}
