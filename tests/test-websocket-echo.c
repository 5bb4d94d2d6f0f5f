/* test-websocket-echo.c
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

#include "ladle-mock-routes.h"
#include "ladle-server.h"
#include "ladle-test-utils.h"

/* Server settings for a case; NULL means the defaults. */
typedef struct
{
  guint64 max_message;
  guint   ping_interval;
} Config;

static const Config limit_1m = { 1024 * 1024, 0 };
static const Config ping_1s = { LADLE_SERVER_DEFAULT_MAX_WS_MESSAGE, 1 };

typedef struct
{
  LadleServer             *server;
  char                    *uploads;
  guint                    port;
  SoupSession             *session;
  SoupWebsocketConnection *conn;
  GPtrArray               *received;   /* GBytes */
  GPtrArray               *kinds;      /* GINT_TO_POINTER (type) */
  GPtrArray               *events;
  gboolean                 closed;
} Fixture;

static void
on_request_logged (LadleServer      *server,
                   LadleServerEvent *event,
                   gpointer          user_data)
{
  Fixture *f = user_data;

  g_ptr_array_add (f->events, g_object_ref (event));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->uploads = ladle_test_make_tmpdir ("ladle-ws-XXXXXX");
  f->server = ladle_server_new ();
  ladle_server_set_port (f->server, 0);
  ladle_server_set_uploads_dir (f->server, f->uploads);
  f->events = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (f->server, "request-logged", G_CALLBACK (on_request_logged), f);
  if (data != NULL)
    {
      const Config *config = data;

      ladle_server_set_max_ws_message_size (f->server, config->max_message);
      ladle_server_set_ws_ping_interval (f->server, config->ping_interval);
    }
  g_assert_true (ladle_server_start (f->server, &error));
  f->port = ladle_server_get_bound_port (f->server);
  f->session = soup_session_new ();
  f->received = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  f->kinds = g_ptr_array_new ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->conn);
  g_clear_object (&f->session);
  ladle_server_stop (f->server);
  g_assert_finalize_object (f->server);
  g_ptr_array_unref (f->received);
  g_ptr_array_unref (f->kinds);
  g_ptr_array_unref (f->events);
  ladle_test_rm_rf (f->uploads);
  g_free (f->uploads);
}

static void
on_message (SoupWebsocketConnection *conn,
            gint                     type,
            GBytes                  *message,
            gpointer                 user_data)
{
  Fixture *f = user_data;

  g_ptr_array_add (f->received, g_bytes_ref (message));
  g_ptr_array_add (f->kinds, GINT_TO_POINTER (type));
}

static void
on_closed (SoupWebsocketConnection *conn,
           gpointer                 user_data)
{
  Fixture *f = user_data;

  f->closed = TRUE;
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Fixture *f = user_data;
  g_autoptr(GError) error = NULL;

  f->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
}

static void
connect_to (Fixture    *f,
            const char *path)
{
  g_autofree char *url = g_strdup_printf ("ws://127.0.0.1:%u%s", f->port, path);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);

  soup_session_websocket_connect_async (f->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        connected_cb, f);
  LADLE_TEST_WAIT_UNTIL (f->conn != NULL, 5000);
  soup_websocket_connection_set_max_incoming_payload_size (f->conn, 32 * 1024 * 1024);
  g_signal_connect (f->conn, "message", G_CALLBACK (on_message), f);
  g_signal_connect (f->conn, "closed", G_CALLBACK (on_closed), f);
}

static void
assert_text (GBytes     *bytes,
             const char *expected)
{
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   expected, strlen (expected));
}

/* The tutorial's story: "Hello, server" → "Message received: Hello, server". */
static void
test_seed_echo (Fixture       *f,
                gconstpointer  data)
{
  LadleServerEvent *event;

  connect_to (f, "/ws");
  soup_websocket_connection_send_text (f->conn, "Hello, server");
  LADLE_TEST_WAIT_UNTIL (f->received->len == 1, 5000);
  assert_text (g_ptr_array_index (f->received, 0), "Message received: Hello, server");
  g_assert_cmpint (GPOINTER_TO_INT (g_ptr_array_index (f->kinds, 0)), ==,
                   SOUP_WEBSOCKET_DATA_TEXT);

  soup_websocket_connection_send_text (f->conn, "Привет");
  LADLE_TEST_WAIT_UNTIL (f->received->len == 2, 5000);
  assert_text (g_ptr_array_index (f->received, 1), "Message received: Привет");

  LADLE_TEST_WAIT_UNTIL (f->events->len >= 1, 5000);
  event = g_ptr_array_index (f->events, 0);
  g_assert_cmpint (ladle_server_event_get_kind (event), ==, LADLE_SERVER_EVENT_WEBSOCKET);
  g_assert_cmpuint (ladle_server_event_get_status (event), ==, 101);
  g_assert_cmpstr (ladle_server_event_get_path (event), ==, "/ws");
}

static void
test_plain_echo_and_binary (Fixture       *f,
                            gconstpointer  data)
{
  static const guint8 blob[] = { 0, 1, 2, 0xff, 0xfe, '\n' };

  connect_to (f, "/websocket/echo");
  soup_websocket_connection_send_text (f->conn, "as is");
  soup_websocket_connection_send_binary (f->conn, blob, sizeof blob);
  LADLE_TEST_WAIT_UNTIL (f->received->len == 2, 5000);
  assert_text (g_ptr_array_index (f->received, 0), "as is");
  g_assert_cmpint (GPOINTER_TO_INT (g_ptr_array_index (f->kinds, 1)), ==,
                   SOUP_WEBSOCKET_DATA_BINARY);
  g_assert_cmpmem (g_bytes_get_data (g_ptr_array_index (f->received, 1), NULL),
                   g_bytes_get_size (g_ptr_array_index (f->received, 1)), blob, sizeof blob);
}

/* libsoup's default per-frame cap is 128 KiB; Ladle accepts up to 16 MiB. */
static void
test_large_message (Fixture       *f,
                    gconstpointer  data)
{
  gsize size = 8 * 1024 * 1024;
  g_autofree guint8 *payload = g_malloc (size);
  GBytes *echo;

  for (gsize i = 0; i < size; i++)
    payload[i] = i * 7;

  connect_to (f, "/ws");
  soup_websocket_connection_send_binary (f->conn, payload, size);
  LADLE_TEST_WAIT_UNTIL (f->received->len == 1 || f->closed, 20000);
  g_assert_false (f->closed);
  echo = g_ptr_array_index (f->received, 0);
  g_assert_cmpmem (g_bytes_get_data (echo, NULL), g_bytes_get_size (echo), payload, size);
}

/* A client's close code and reason are honoured: the server answers with the same code. */
static void
test_close_code (Fixture       *f,
                 gconstpointer  data)
{
  connect_to (f, "/ws");
  soup_websocket_connection_close (f->conn, 4000, "bye now");
  LADLE_TEST_WAIT_UNTIL (f->closed, 5000);
  g_assert_cmpuint (soup_websocket_connection_get_close_code (f->conn), ==, 4000);
}

static void
test_ping_answered (Fixture       *f,
                    gconstpointer  data)
{
  guint pongs = 0;

  connect_to (f, "/ws");
  g_signal_connect_swapped (f->conn, "pong", G_CALLBACK (g_atomic_int_inc), &pongs);
  /* libsoup's keepalive sends a ping every second; the server must answer each. */
  soup_websocket_connection_set_keepalive_interval (f->conn, 1);
  LADLE_TEST_WAIT_UNTIL (pongs >= 1, 5000);
  soup_websocket_connection_set_keepalive_interval (f->conn, 0);
}

static void
test_server_stop_closes (Fixture       *f,
                         gconstpointer  data)
{
  connect_to (f, "/ws");
  ladle_server_stop (f->server);
  LADLE_TEST_WAIT_UNTIL (f->closed, 5000);
  g_assert_cmpuint (soup_websocket_connection_get_close_code (f->conn), ==,
                    SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
}

/* ------------------------------------------------------------------------------------------------
 * A raw client that speaks the handshake and writes frames by hand, to send what libsoup's client
 * cannot (fragments, bad frames, compressed bombs) and to see the exact close frames.
 */

typedef struct
{
  GSocketConnection *conn;
  GInputStream      *in;
  GOutputStream     *out;
  char              *response;   /* the handshake response head */
} RawClient;

static void
raw_client_free (RawClient *c)
{
  g_clear_object (&c->conn);
  g_free (c->response);
  g_free (c);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RawClient, raw_client_free)

/* Connects and completes the handshake; @early bytes go out in the same write as the request,
 * as a client that does not wait for the 101 sends them. */
static RawClient *
raw_connect_early (Fixture      *f,
                   const char   *path,
                   const char   *extensions,
                   const guint8 *early,
                   gsize         early_len)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) request = g_string_new (NULL);
  g_autoptr(GString) head = g_string_new (NULL);
  RawClient *c = g_new0 (RawClient, 1);

  c->conn = g_socket_client_connect_to_host (client, "127.0.0.1", f->port, NULL, &error);
  g_assert_no_error (error);
  g_socket_set_timeout (g_socket_connection_get_socket (c->conn), 20);
  c->in = g_io_stream_get_input_stream (G_IO_STREAM (c->conn));
  c->out = g_io_stream_get_output_stream (G_IO_STREAM (c->conn));

  g_string_append_printf (request,
                          "GET %s HTTP/1.1\r\n"
                          "Host: 127.0.0.1:%u\r\n"
                          "Upgrade: websocket\r\n"
                          "Connection: Upgrade\r\n"
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                          "Sec-WebSocket-Version: 13\r\n",
                          path, f->port);
  if (extensions != NULL)
    g_string_append_printf (request, "Sec-WebSocket-Extensions: %s\r\n", extensions);
  g_string_append (request, "\r\n");
  if (early_len > 0)
    g_string_append_len (request, (const char *) early, early_len);
  g_output_stream_write_all (c->out, request->str, request->len, NULL, NULL, &error);
  g_assert_no_error (error);

  /* Byte by byte, so that nothing after the head is consumed. */
  while (!g_str_has_suffix (head->str, "\r\n\r\n"))
    {
      char ch;
      gssize n = g_input_stream_read (c->in, &ch, 1, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (n, ==, 1);
      g_string_append_c (head, ch);
    }
  g_assert_true (g_str_has_prefix (head->str, "HTTP/1.1 101"));
  c->response = g_string_free (g_steal_pointer (&head), FALSE);

  return c;
}

static RawClient *
raw_connect (Fixture    *f,
             const char *path,
             const char *extensions)
{
  return raw_connect_early (f, path, extensions, NULL, 0);
}

static void
raw_send_frame (RawClient    *c,
                guint8        b0,
                const guint8 *payload,
                gsize         len,
                gboolean      masked)
{
  static const guint8 key[4] = { 0x37, 0xfa, 0x21, 0x3d };
  g_autoptr(GByteArray) frame = g_byte_array_sized_new (len + 14);
  g_autoptr(GError) error = NULL;
  guint8 mask_bit = masked ? 0x80 : 0;
  gsize start;

  g_byte_array_append (frame, &b0, 1);
  if (len < 126)
    {
      guint8 b1 = mask_bit | len;
      g_byte_array_append (frame, &b1, 1);
    }
  else if (len <= G_MAXUINT16)
    {
      guint8 ext[3] = { mask_bit | 126, len >> 8, len & 0xff };
      g_byte_array_append (frame, ext, 3);
    }
  else
    {
      guint8 ext[9] = { mask_bit | 127 };
      for (guint k = 0; k < 8; k++)
        ext[1 + k] = ((guint64) len >> (56 - 8 * k)) & 0xff;
      g_byte_array_append (frame, ext, 9);
    }
  if (masked)
    g_byte_array_append (frame, key, 4);

  start = frame->len;
  g_byte_array_append (frame, payload, len);
  if (masked)
    for (gsize k = 0; k < len; k++)
      frame->data[start + k] ^= key[k & 3];

  g_output_stream_write_all (c->out, frame->data, frame->len, NULL, NULL, &error);
  g_assert_no_error (error);
}

/* Returns the next frame's payload (the server's frames are not masked), or NULL at the end of
 * the connection. */
static GBytes *
raw_read_frame (RawClient *c,
                guint8    *out_b0)
{
  guint8 h[2];
  guint64 len;
  gsize got = 0;
  g_autofree guint8 *payload = NULL;

  if (!g_input_stream_read_all (c->in, h, 2, &got, NULL, NULL) || got < 2)
    return NULL;

  len = h[1] & 0x7f;
  if (len >= 126)
    {
      guint8 ext[8];
      gsize n = len == 126 ? 2 : 8;

      if (!g_input_stream_read_all (c->in, ext, n, &got, NULL, NULL) || got < n)
        return NULL;
      len = 0;
      for (gsize k = 0; k < n; k++)
        len = (len << 8) | ext[k];
    }
  g_assert_false (h[1] & 0x80);

  payload = g_malloc (MAX (len, 1));
  if (!g_input_stream_read_all (c->in, payload, len, &got, NULL, NULL) || got < len)
    return NULL;

  *out_b0 = h[0];
  return g_bytes_new_take (g_steal_pointer (&payload), len);
}

/* Reads up to the server's close frame; returns its code (0 when the connection ended first). */
static guint
raw_read_close_code (RawClient *c,
                     guint     *n_data_frames)
{
  for (;;)
    {
      guint8 b0 = 0;
      g_autoptr(GBytes) payload = raw_read_frame (c, &b0);
      const guint8 *data;
      gsize len;

      if (payload == NULL)
        return 0;

      if ((b0 & 0x0f) != 0x8)
        {
          if (n_data_frames != NULL && (b0 & 0x08) == 0)
            (*n_data_frames)++;
          continue;
        }

      data = g_bytes_get_data (payload, &len);
      g_assert_cmpuint (len, >=, 2);
      return (guint) data[0] << 8 | data[1];
    }
}

/* After our close reply, the server must drop the connection (it does not linger 5 s). */
static void
raw_finish_close (RawClient *c,
                  guint      code)
{
  guint8 reply[2] = { code >> 8, code & 0xff };
  gint64 start = g_get_monotonic_time ();
  guint8 b0;
  g_autoptr(GBytes) extra = NULL;

  raw_send_frame (c, 0x88, reply, 2, TRUE);
  while ((extra = raw_read_frame (c, &b0)) != NULL)
    g_clear_pointer (&extra, g_bytes_unref);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
}

static void
test_fragmented_too_big (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(RawClient) c = raw_connect (f, "/websocket/echo", NULL);
  g_autofree guint8 *chunk = g_malloc0 (100 * 1024);
  guint n_data = 0;

  /* 40 × 100 KiB against a 1 MiB limit; libsoup alone would deliver all 4,096,000 bytes. */
  for (guint i = 0; i < 40; i++)
    raw_send_frame (c, (i == 0 ? 0x2 : 0x0) | (i == 39 ? 0x80 : 0), chunk, 100 * 1024, TRUE);

  g_assert_cmpuint (raw_read_close_code (c, &n_data), ==, SOUP_WEBSOCKET_CLOSE_TOO_BIG);
  g_assert_cmpuint (n_data, ==, 0);
  raw_finish_close (c, SOUP_WEBSOCKET_CLOSE_TOO_BIG);
}

static void
test_fragmented_under_limit (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(RawClient) c = raw_connect (f, "/websocket/echo", NULL);
  g_autofree guint8 *chunk = g_malloc (100 * 1024);
  g_autoptr(GBytes) echo = NULL;
  guint8 b0 = 0;
  guint8 ping[] = "in between";

  for (gsize k = 0; k < 100 * 1024; k++)
    chunk[k] = k % 251;

  /* 5 × 100 KiB with a ping in the middle: one 500 KiB message, echoed whole. */
  for (guint i = 0; i < 5; i++)
    {
      raw_send_frame (c, (i == 0 ? 0x2 : 0x0) | (i == 4 ? 0x80 : 0), chunk, 100 * 1024, TRUE);
      if (i == 2)
        raw_send_frame (c, 0x89, ping, sizeof ping - 1, TRUE);
    }

  echo = raw_read_frame (c, &b0);
  g_assert_nonnull (echo);
  g_assert_cmphex (b0, ==, 0x8a);
  g_assert_cmpmem (g_bytes_get_data (echo, NULL), g_bytes_get_size (echo), ping, sizeof ping - 1);
  g_clear_pointer (&echo, g_bytes_unref);

  echo = raw_read_frame (c, &b0);
  g_assert_nonnull (echo);
  g_assert_cmphex (b0, ==, 0x82);
  g_assert_cmpuint (g_bytes_get_size (echo), ==, 5 * 100 * 1024);
  g_assert_cmpmem ((const guint8 *) g_bytes_get_data (echo, NULL) + 400 * 1024, 100 * 1024,
                   chunk, 100 * 1024);
}

static void
test_single_frame_too_big (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(RawClient) c = raw_connect (f, "/ws", NULL);
  gsize size = 2 * 1024 * 1024;
  g_autofree guint8 *payload = g_malloc0 (size);
  guint n_data = 0;

  raw_send_frame (c, 0x82, payload, size, TRUE);
  g_assert_cmpuint (raw_read_close_code (c, &n_data), ==, SOUP_WEBSOCKET_CLOSE_TOO_BIG);
  g_assert_cmpuint (n_data, ==, 0);
  raw_finish_close (c, SOUP_WEBSOCKET_CLOSE_TOO_BIG);
}

static GBytes *
deflate_raw (const guint8 *data,
             gsize         len)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW, 9);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize done = 0;

  for (;;)
    {
      guint8 buf[16384];
      gsize bytes_read = 0, bytes_written = 0;
      g_autoptr(GError) error = NULL;
      GConverterResult res;

      res = g_converter_convert (G_CONVERTER (compressor), data + done, len - done,
                                 buf, sizeof buf, G_CONVERTER_FLUSH,
                                 &bytes_read, &bytes_written, &error);
      g_assert_no_error (error);
      done += bytes_read;
      g_byte_array_append (out, buf, bytes_written);
      if (res == G_CONVERTER_FLUSHED && done == len)
        break;
    }

  /* RFC 7692: a message drops the sync flush's 00 00 ff ff. */
  g_assert_cmpuint (out->len, >=, 4);
  g_assert_cmpmem (out->data + out->len - 4, 4, "\x00\x00\xff\xff", 4);
  g_byte_array_set_size (out, out->len - 4);

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static GBytes *
inflate_raw (GBytes *compressed)
{
  g_autoptr(GZlibDecompressor) decompressor =
    g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW);
  g_autoptr(GByteArray) in = g_byte_array_new ();
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize done = 0;

  g_byte_array_append (in, g_bytes_get_data (compressed, NULL), g_bytes_get_size (compressed));
  g_byte_array_append (in, (const guint8 *) "\x00\x00\xff\xff", 4);

  while (done < in->len)
    {
      guint8 buf[16384];
      gsize bytes_read = 0, bytes_written = 0;
      g_autoptr(GError) error = NULL;

      g_converter_convert (G_CONVERTER (decompressor), in->data + done, in->len - done,
                           buf, sizeof buf, G_CONVERTER_NO_FLAGS,
                           &bytes_read, &bytes_written, &error);
      g_assert_no_error (error);
      done += bytes_read;
      g_byte_array_append (out, buf, bytes_written);
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* Compression still works through the filter: a compressed message is echoed. */
static void
test_deflate_echo (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(RawClient) c = raw_connect (f, "/websocket/echo", "permessage-deflate");
  const char *text = "hello hello hello hello, compressed world";
  g_autoptr(GBytes) compressed = deflate_raw ((const guint8 *) text, strlen (text));
  g_autoptr(GBytes) echo = NULL;
  g_autoptr(GBytes) plain = NULL;
  guint8 b0 = 0;

  g_assert_nonnull (strstr (c->response, "permessage-deflate"));
  raw_send_frame (c, 0xc1, g_bytes_get_data (compressed, NULL), g_bytes_get_size (compressed),
                  TRUE);
  echo = raw_read_frame (c, &b0);
  g_assert_nonnull (echo);
  g_assert_cmphex (b0 & 0x0f, ==, 0x1);
  plain = (b0 & 0x40) ? inflate_raw (echo) : g_bytes_ref (echo);
  g_assert_cmpmem (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain), text, strlen (text));
}

/* 10 MiB of zeros deflate to a few KiB: the limit applies to the inflated size. */
static void
test_deflate_bomb (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(RawClient) c = raw_connect (f, "/websocket/echo", "permessage-deflate");
  gsize size = 10 * 1024 * 1024;
  g_autofree guint8 *zeros = g_malloc0 (size);
  g_autoptr(GBytes) bomb = deflate_raw (zeros, size);
  guint n_data = 0;

  g_assert_nonnull (strstr (c->response, "permessage-deflate"));
  g_assert_cmpuint (g_bytes_get_size (bomb), <, 64 * 1024);
  raw_send_frame (c, 0xc2, g_bytes_get_data (bomb, NULL), g_bytes_get_size (bomb), TRUE);
  g_assert_cmpuint (raw_read_close_code (c, &n_data), ==, SOUP_WEBSOCKET_CLOSE_TOO_BIG);
  g_assert_cmpuint (n_data, ==, 0);
  raw_finish_close (c, SOUP_WEBSOCKET_CLOSE_TOO_BIG);
}

static void
test_invalid_utf8 (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(RawClient) c = raw_connect (f, "/ws", NULL);
  static const guint8 bad[] = { 'o', 'k', 0xff, 0xfe };

  raw_send_frame (c, 0x81, bad, sizeof bad, TRUE);
  g_assert_cmpuint (raw_read_close_code (c, NULL), ==, SOUP_WEBSOCKET_CLOSE_BAD_DATA);
}

static void
test_unmasked_frame (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(RawClient) c = raw_connect (f, "/ws", NULL);

  raw_send_frame (c, 0x81, (const guint8 *) "hi", 2, FALSE);
  g_assert_cmpuint (raw_read_close_code (c, NULL), ==, SOUP_WEBSOCKET_CLOSE_PROTOCOL_ERROR);
}

static void
test_reserved_opcode (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(RawClient) c = raw_connect (f, "/ws", NULL);

  raw_send_frame (c, 0x83, (const guint8 *) "hi", 2, TRUE);
  g_assert_cmpuint (raw_read_close_code (c, NULL), ==, SOUP_WEBSOCKET_CLOSE_PROTOCOL_ERROR);
}

static void
test_ping_payload (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(RawClient) c = raw_connect (f, "/ws", NULL);
  static const guint8 ping[] = { 'p', 0, 'i', 0xff, 'n', 'g' };
  g_autoptr(GBytes) pong = NULL;
  guint8 b0 = 0;

  raw_send_frame (c, 0x89, ping, sizeof ping, TRUE);
  pong = raw_read_frame (c, &b0);
  g_assert_nonnull (pong);
  g_assert_cmphex (b0, ==, 0x8a);
  g_assert_cmpmem (g_bytes_get_data (pong, NULL), g_bytes_get_size (pong), ping, sizeof ping);
}

/* A peer that never answers pings is dropped: no close handshake, the connection just ends. */
static void
test_silent_peer_dropped (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(RawClient) c = raw_connect (f, "/ws", NULL);
  gint64 start = g_get_monotonic_time ();
  guint n_pings = 0;

  for (;;)
    {
      guint8 b0 = 0;
      g_autoptr(GBytes) frame = raw_read_frame (c, &b0);

      if (frame == NULL)
        break;
      g_assert_cmphex (b0, ==, 0x89);
      n_pings++;
    }

  g_assert_cmpuint (n_pings, >=, 1);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 8 * G_USEC_PER_SEC);
}

/* libsoup's client answers pings: it stays connected past the timeout, and still echoes. */
static void
test_answering_peer_kept (Fixture       *f,
                          gconstpointer  data)
{
  gint64 until;

  connect_to (f, "/ws");
  until = g_get_monotonic_time () + 4500 * 1000;
  while (!f->closed && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE), g_usleep (10000);
  g_assert_false (f->closed);
  soup_websocket_connection_send_text (f->conn, "still here");
  LADLE_TEST_WAIT_UNTIL (f->received->len == 1, 5000);
  assert_text (g_ptr_array_index (f->received, 0), "Message received: still here");
}

static void
test_many_connections (Fixture       *f,
                       gconstpointer  data)
{
  enum { N = 300 };
  RawClient *clients[N];

  for (guint i = 0; i < N; i++)
    clients[i] = raw_connect (f, "/websocket/echo", NULL);

  for (guint i = 0; i < N; i++)
    {
      g_autofree char *text = g_strdup_printf ("client %u", i);

      raw_send_frame (clients[i], 0x81, (const guint8 *) text, strlen (text), TRUE);
    }

  for (guint i = 0; i < N; i++)
    {
      g_autofree char *text = g_strdup_printf ("client %u", i);
      g_autoptr(GBytes) echo = NULL;
      guint8 b0 = 0;

      echo = raw_read_frame (clients[i], &b0);
      g_assert_nonnull (echo);
      g_assert_cmphex (b0, ==, 0x81);
      g_assert_cmpmem (g_bytes_get_data (echo, NULL), g_bytes_get_size (echo),
                       text, strlen (text));
      raw_client_free (clients[i]);
    }
}

/* Only the exact WebSocket paths upgrade: libsoup matches handlers by prefix, so "/ws" would
 * otherwise swallow "/ws-page" and "/wsx", and mock routes must still come first. */
static void
test_exact_paths (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GListStore) routes = g_list_store_new (LADLE_TYPE_MOCK_ROUTE);
  g_autoptr(LadleMockRoute) page = ladle_mock_route_new ("GET", "/ws-page");
  g_autoptr(SoupSession) session = soup_session_new ();
  struct { const char *path; guint status; } cases[] = {
    { "/ws-page", 200 },
    { "/wsx", 404 },
    { "/websocket/echo/more", 404 },
    { "/ws", 400 },   /* not a handshake */
  };

  ladle_mock_route_set_body (page, "a page");
  g_list_store_append (routes, page);
  ladle_server_set_routes (f->server, G_LIST_MODEL (routes));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s", f->port, cases[i].path);
      g_autoptr(GBytes) body = NULL;
      guint status;

      body = ladle_test_fetch (session, "GET", url, NULL, NULL, &status, NULL);
      g_assert_cmpuint (status, ==, cases[i].status);
      if (cases[i].status == 200)
        g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "a page", 6);
    }
}

/* ------------------------------------------------------------------------------------------------
 * Ladle's own frame codec (peers without permessage-deflate): what a hand-written parser could get
 * wrong.
 */

/* Builds a masked client frame (as raw_send_frame() writes it) without sending it. */
static void
append_frame (GByteArray   *out,
              guint8        b0,
              const guint8 *payload,
              gsize         len)
{
  static const guint8 key[4] = { 0xa1, 0x02, 0x7e, 0xf3 };
  gsize start;

  g_byte_array_append (out, &b0, 1);
  if (len < 126)
    {
      guint8 b1 = 0x80 | len;
      g_byte_array_append (out, &b1, 1);
    }
  else if (len <= G_MAXUINT16)
    {
      guint8 ext[3] = { 0x80 | 126, len >> 8, len & 0xff };
      g_byte_array_append (out, ext, 3);
    }
  else
    {
      guint8 ext[9] = { 0x80 | 127 };
      for (guint k = 0; k < 8; k++)
        ext[1 + k] = ((guint64) len >> (56 - 8 * k)) & 0xff;
      g_byte_array_append (out, ext, 9);
    }
  g_byte_array_append (out, key, 4);
  start = out->len;
  g_byte_array_append (out, payload, len);
  for (gsize k = 0; k < len; k++)
    out->data[start + k] ^= key[k & 3];
}

static void
raw_write (RawClient    *c,
           const guint8 *data,
           gsize         len)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (c->out, data, len, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
assert_frame (RawClient    *c,
              guint8        b0,
              const guint8 *payload,
              gsize         len)
{
  guint8 got_b0 = 0;
  g_autoptr(GBytes) frame = raw_read_frame (c, &got_b0);

  g_assert_nonnull (frame);
  g_assert_cmphex (got_b0, ==, b0);
  g_assert_cmpmem (g_bytes_get_data (frame, NULL), g_bytes_get_size (frame), payload, len);
}

/* Two frames (a 16-bit length, then a 7-bit one) written in two parts, split at every byte: the
 * server sees each part in its own read (a short pause between them) and must still echo both. */
static void
test_codec_every_split (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(RawClient) c = raw_connect (f, "/websocket/echo", NULL);
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  guint8 blob[300];
  static const char text[] = "split me";

  for (guint k = 0; k < sizeof blob; k++)
    blob[k] = k * 13;
  append_frame (stream, 0x82, blob, sizeof blob);
  append_frame (stream, 0x81, (const guint8 *) text, strlen (text));

  for (gsize split = 1; split < stream->len; split++)
    {
      raw_write (c, stream->data, split);
      g_usleep (split % 16 == 0 ? 2000 : 200);
      raw_write (c, stream->data + split, stream->len - split);
      assert_frame (c, 0x82, blob, sizeof blob);
      assert_frame (c, 0x81, (const guint8 *) text, strlen (text));
    }
}

/* Frames sent along with the handshake request, before the 101: they wait in libsoup's buffered
 * input stream when the connection is stolen, where the codec must find them before it waits on
 * the socket itself. */
static void
test_codec_frames_with_handshake (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GByteArray) early = g_byte_array_new ();
  g_autoptr(RawClient) c = NULL;
  static const char one[] = "one";
  static const char two[] = "sent before the 101";

  append_frame (early, 0x81, (const guint8 *) one, strlen (one));
  append_frame (early, 0x81, (const guint8 *) two, strlen (two));
  c = raw_connect_early (f, "/websocket/echo", NULL, early->data, early->len);

  assert_frame (c, 0x81, (const guint8 *) one, strlen (one));
  assert_frame (c, 0x81, (const guint8 *) two, strlen (two));

  /* And the connection goes on from the socket. */
  raw_send_frame (c, 0x81, (const guint8 *) one, strlen (one), TRUE);
  assert_frame (c, 0x81, (const guint8 *) one, strlen (one));
}

/* Lengths at the edges of the 7-bit, 16-bit and 64-bit encodings, both ways. */
static void
test_codec_lengths (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(RawClient) c = raw_connect (f, "/websocket/echo", NULL);
  static const gsize sizes[] = { 0, 1, 125, 126, 127, 65535, 65536, 70000, 3 * 1024 * 1024 + 7 };
  g_autofree guint8 *payload = g_malloc (sizes[G_N_ELEMENTS (sizes) - 1]);

  for (gsize k = 0; k < sizes[G_N_ELEMENTS (sizes) - 1]; k++)
    payload[k] = (k * 31) ^ (k >> 8);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      raw_send_frame (c, 0x82, payload, sizes[i], TRUE);
      assert_frame (c, 0x82, payload, sizes[i]);
    }
}

typedef struct
{
  const char   *name;
  guint8        b0;
  const guint8 *payload;
  gsize         len;
  guint         code;
} BadFrame;

static void
test_codec_bad_frames (Fixture       *f,
                       gconstpointer  data)
{
  static const guint8 long_ping[126] = { 0 };
  static const guint8 bad_utf8_reason[] = { 0x03, 0xe8, 'o', 0xc0, 0xaf };
  static const guint8 overlong[] = { 'a', 0xc0, 0x80 };
  static const guint8 surrogate[] = { 0xed, 0xa0, 0x80 };
  static const guint8 too_high[] = { 0xf4, 0x90, 0x80, 0x80 };
  const BadFrame cases[] = {
    { "rsv1 without deflate", 0xc1, (const guint8 *) "hi", 2, 1002 },
    { "rsv2", 0xa1, (const guint8 *) "hi", 2, 1002 },
    { "rsv3", 0x91, (const guint8 *) "hi", 2, 1002 },
    { "reserved data opcode", 0x87, (const guint8 *) "hi", 2, 1002 },
    { "reserved control opcode", 0x8b, (const guint8 *) "hi", 2, 1002 },
    { "control frame over 125", 0x89, long_ping, sizeof long_ping, 1002 },
    { "fragmented control frame", 0x09, (const guint8 *) "hi", 2, 1002 },
    { "continuation first", 0x80, (const guint8 *) "hi", 2, 1002 },
    { "close with 1 byte", 0x88, (const guint8 *) "\x03", 1, 1002 },
    { "close code 1005", 0x88, (const guint8 *) "\x03\xed", 2, 1002 },
    { "close code 999", 0x88, (const guint8 *) "\x03\xe7", 2, 1002 },
    { "close code 2000", 0x88, (const guint8 *) "\x07\xd0", 2, 1002 },
    { "close reason not UTF-8", 0x88, bad_utf8_reason, sizeof bad_utf8_reason, 1007 },
    { "overlong UTF-8", 0x81, overlong, sizeof overlong, 1007 },
    { "UTF-16 surrogate", 0x81, surrogate, sizeof surrogate, 1007 },
    { "over U+10FFFF", 0x81, too_high, sizeof too_high, 1007 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RawClient) c = raw_connect (f, "/ws", NULL);

      g_test_message ("case: %s", cases[i].name);
      raw_send_frame (c, cases[i].b0, cases[i].payload, cases[i].len, TRUE);
      g_assert_cmpuint (raw_read_close_code (c, NULL), ==, cases[i].code);
    }
}

/* A data frame inside a fragmented message that is not a continuation. */
static void
test_codec_new_message_inside (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(RawClient) c = raw_connect (f, "/ws", NULL);

  raw_send_frame (c, 0x01, (const guint8 *) "one", 3, TRUE);
  raw_send_frame (c, 0x81, (const guint8 *) "two", 3, TRUE);
  g_assert_cmpuint (raw_read_close_code (c, NULL), ==, SOUP_WEBSOCKET_CLOSE_PROTOCOL_ERROR);
  raw_finish_close (c, SOUP_WEBSOCKET_CLOSE_PROTOCOL_ERROR);
}

/* UTF-8 characters cut between fragments are fine once the message is whole, with a ping (and a
 * NUL, valid UTF-8) in between; a message ending inside a character is not. */
static void
test_codec_utf8_fragments (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(RawClient) c = raw_connect (f, "/ws", NULL);
  static const char text[] = "Привет\0мир €𝄞";
  gsize len = sizeof text - 1;
  g_autofree char *expected = NULL;
  gsize expected_len;

  /* Cut inside "П" (2 bytes), then inside "€" (3 bytes), then inside "𝄞" (4 bytes). */
  raw_send_frame (c, 0x01, (const guint8 *) text, 1, TRUE);
  raw_send_frame (c, 0x00, (const guint8 *) text + 1, 20, TRUE);
  raw_send_frame (c, 0x89, (const guint8 *) "mid", 3, TRUE);
  raw_send_frame (c, 0x00, (const guint8 *) text + 21, len - 21 - 2, TRUE);
  raw_send_frame (c, 0x80, (const guint8 *) text + len - 2, 2, TRUE);

  assert_frame (c, 0x8a, (const guint8 *) "mid", 3);
  expected_len = strlen ("Message received: ") + len;
  expected = g_malloc (expected_len);
  memcpy (expected, "Message received: ", strlen ("Message received: "));
  memcpy (expected + strlen ("Message received: "), text, len);
  assert_frame (c, 0x81, (const guint8 *) expected, expected_len);

  /* Now a message whose last fragment stops inside "€". */
  raw_send_frame (c, 0x01, (const guint8 *) "ok ", 3, TRUE);
  raw_send_frame (c, 0x80, (const guint8 *) "\xe2\x82", 2, TRUE);
  g_assert_cmpuint (raw_read_close_code (c, NULL), ==, SOUP_WEBSOCKET_CLOSE_BAD_DATA);
  raw_finish_close (c, SOUP_WEBSOCKET_CLOSE_BAD_DATA);
}

/* A close frame without a code is answered with one without a code, and the server then ends
 * the connection. */
static void
test_codec_empty_close (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(RawClient) c = raw_connect (f, "/ws", NULL);
  g_autoptr(GBytes) frame = NULL;
  g_autoptr(GBytes) after = NULL;
  guint8 b0 = 0;

  raw_send_frame (c, 0x88, NULL, 0, TRUE);
  frame = raw_read_frame (c, &b0);
  g_assert_nonnull (frame);
  g_assert_cmphex (b0, ==, 0x88);
  g_assert_cmpuint (g_bytes_get_size (frame), ==, 0);
  after = raw_read_frame (c, &b0);
  g_assert_null (after);
}

/* ------------------------------------------------------------------------------------------------
 * Closing: once both close frames went, the server ends the TCP connection at once (RFC 6455
 * §7.1.1), also when the client's close frame was invalid; text is checked as it arrives.
 */

/* Reads until the server ends the connection, which must come soon: without a deadline of its own
 * the server would keep the connection for its 5 s close timeout. */
static void
raw_expect_end (RawClient *c)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GBytes) extra = NULL;
  guint8 b0;

  while ((extra = raw_read_frame (c, &b0)) != NULL)
    g_clear_pointer (&extra, g_bytes_unref);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
}

typedef struct
{
  const char   *name;
  const guint8 *payload;
  gsize         len;
  guint         code;     /* the server's answer */
} CloseCase;

/* Each invalid close frame is answered with a close frame (1002, or 1007 for a reason that is
 * not UTF-8) and the connection then ends at once: the client's close frame, however broken,
 * was its half of the closing handshake. A valid close handshake does not linger either. */
static void
check_close_cases (Fixture    *f,
                   const char *extensions)
{
  static const guint8 bad_reason[] = { 0x03, 0xe8, 'b', 'y', 0xff };
  const CloseCase cases[] = {
    { "1-byte payload", (const guint8 *) "\x03", 1, 1002 },
    { "code 1005", (const guint8 *) "\x03\xed", 2, 1002 },
    { "code 1006", (const guint8 *) "\x03\xee", 2, 1002 },
    { "code 1015", (const guint8 *) "\x03\xf7", 2, 1002 },
    { "code 999", (const guint8 *) "\x03\xe7", 2, 1002 },
    { "code 1004", (const guint8 *) "\x03\xec", 2, 1002 },
    { "code 5000", (const guint8 *) "\x13\x88", 2, 1002 },
    { "reason not UTF-8", bad_reason, sizeof bad_reason, extensions != NULL ? 1002 : 1007 },
    { "valid 1000", (const guint8 *) "\x03\xe8" "bye", 5, 1000 },
    { "valid 4001", (const guint8 *) "\x0f\xa1", 2, 4001 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RawClient) c = raw_connect (f, "/websocket/echo", extensions);

      g_test_message ("case: %s", cases[i].name);
      if (extensions != NULL)
        g_assert_nonnull (strstr (c->response, "permessage-deflate"));
      raw_send_frame (c, 0x88, cases[i].payload, cases[i].len, TRUE);
      g_assert_cmpuint (raw_read_close_code (c, NULL), ==, cases[i].code);
      raw_expect_end (c);
    }
}

/* Ladle's codec, then libsoup's connection (with compression) */
static void
test_invalid_close_ends (Fixture       *f,
                         gconstpointer  data)
{
  check_close_cases (f, NULL);
  check_close_cases (f, "permessage-deflate");
}

typedef struct
{
  const char *name;
  const char *first;    /* the first fragment (text, not final) */
  const char *second;   /* (nullable) a second fragment (not final either) */
} BadFragments;

/* Invalid UTF-8 fails the connection with 1007 at the fragment where the text can no longer
 * become valid, without waiting for the message's last fragment (which never comes here). A
 * character cut at the end of a fragment is fine until the next one proves it wrong. */
static void
check_bad_fragments (Fixture    *f,
                     const char *extensions)
{
  const BadFragments cases[] = {
    { "invalid byte", "ok \xff more", NULL },
    { "stray continuation byte", "ok \x80", NULL },
    { "overlong 2-byte form", "\xc0\xaf", NULL },
    { "cut, then ASCII", "euro \xe2\x82", "A" },
    { "cut, then a surrogate", "\xed", "\xa0\x80" },
    { "cut, then an overlong 4-byte form", "\xf0", "\x8f\xbf\xbf" },
    { "cut, then over U+10FFFF", "ok \xf4", "\x90" },
    { "cut, then a new lead byte", "\xf0\x9d", "\xf0" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RawClient) c = raw_connect (f, "/ws", extensions);
      static const guint8 ping[] = "still there?";
      g_autoptr(GBytes) pong = NULL;
      guint8 b0 = 0;

      g_test_message ("case: %s", cases[i].name);
      /* Not 20 s: without the fix the server waits for the last fragment forever. */
      g_socket_set_timeout (g_socket_connection_get_socket (c->conn), 5);
      raw_send_frame (c, 0x01, (const guint8 *) cases[i].first, strlen (cases[i].first), TRUE);
      if (cases[i].second != NULL)
        {
          /* The cut character alone is no reason to fail: a ping is still answered. */
          raw_send_frame (c, 0x89, ping, sizeof ping - 1, TRUE);
          pong = raw_read_frame (c, &b0);
          g_assert_nonnull (pong);
          g_assert_cmphex (b0, ==, 0x8a);
          raw_send_frame (c, 0x00, (const guint8 *) cases[i].second, strlen (cases[i].second),
                          TRUE);
        }
      g_assert_cmpuint (raw_read_close_code (c, NULL), ==, SOUP_WEBSOCKET_CLOSE_BAD_DATA);
      raw_finish_close (c, SOUP_WEBSOCKET_CLOSE_BAD_DATA);
    }
}

static void
test_codec_utf8_bad_fragment (Fixture       *f,
                              gconstpointer  data)
{
  check_bad_fragments (f, NULL);
}

static void
test_deflate_utf8_bad_fragment (Fixture       *f,
                                gconstpointer  data)
{
  check_bad_fragments (f, "permessage-deflate");
}

/* Compresses @pieces as consecutive flushes of one deflate stream (RFC 7692 §7.2.1), one frame
 * payload each; the last loses its 00 00 ff ff. */
static GPtrArray *
deflate_pieces (const char * const *pieces)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW, 9);
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  for (guint i = 0; pieces[i] != NULL; i++)
    {
      g_autoptr(GByteArray) piece = g_byte_array_new ();
      gsize len = strlen (pieces[i]);
      gsize done = 0;

      for (;;)
        {
          guint8 buf[4096];
          gsize bytes_read = 0, bytes_written = 0;
          g_autoptr(GError) error = NULL;
          GConverterResult res;

          res = g_converter_convert (G_CONVERTER (compressor), pieces[i] + done, len - done,
                                     buf, sizeof buf, G_CONVERTER_FLUSH,
                                     &bytes_read, &bytes_written, &error);
          g_assert_no_error (error);
          done += bytes_read;
          g_byte_array_append (piece, buf, bytes_written);
          if (res == G_CONVERTER_FLUSHED && done == len)
            break;
        }
      if (pieces[i + 1] == NULL)
        {
          g_assert_cmpmem (piece->data + piece->len - 4, 4, "\x00\x00\xff\xff", 4);
          g_byte_array_set_size (piece, piece->len - 4);
        }
      g_ptr_array_add (out, g_byte_array_free_to_bytes (g_steal_pointer (&piece)));
    }

  return out;
}

/* The same through compression: the first fragment of a compressed text message inflates to
 * invalid UTF-8, and the server does not wait for the rest. A valid compressed message in
 * fragments, cut inside a character, is still echoed. */
static void
test_deflate_utf8_compressed_fragments (Fixture       *f,
                                        gconstpointer  data)
{
  const char *good[] = { "compressed \xe2\x82", "\xac and more", NULL };
  const char *bad[] = { "compressed \xe2\x82" "A", "the rest", NULL };
  g_autoptr(GPtrArray) good_frames = deflate_pieces (good);
  g_autoptr(GPtrArray) bad_frames = deflate_pieces (bad);
  g_autoptr(RawClient) c = raw_connect (f, "/websocket/echo", "permessage-deflate");
  g_autoptr(RawClient) c2 = NULL;
  g_autoptr(GBytes) echo = NULL;
  g_autoptr(GBytes) plain = NULL;
  const char *expected = "compressed \xe2\x82\xac and more";
  guint8 b0 = 0;

  g_assert_nonnull (strstr (c->response, "permessage-deflate"));
  raw_send_frame (c, 0x41, g_bytes_get_data (good_frames->pdata[0], NULL),
                  g_bytes_get_size (good_frames->pdata[0]), TRUE);
  raw_send_frame (c, 0x80, g_bytes_get_data (good_frames->pdata[1], NULL),
                  g_bytes_get_size (good_frames->pdata[1]), TRUE);
  echo = raw_read_frame (c, &b0);
  g_assert_nonnull (echo);
  g_assert_cmphex (b0 & 0x0f, ==, 0x1);
  plain = (b0 & 0x40) ? inflate_raw (echo) : g_bytes_ref (echo);
  g_assert_cmpmem (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain),
                   expected, strlen (expected));

  c2 = raw_connect (f, "/websocket/echo", "permessage-deflate");
  g_socket_set_timeout (g_socket_connection_get_socket (c2->conn), 5);
  raw_send_frame (c2, 0x41, g_bytes_get_data (bad_frames->pdata[0], NULL),
                  g_bytes_get_size (bad_frames->pdata[0]), TRUE);
  g_assert_cmpuint (raw_read_close_code (c2, NULL), ==, SOUP_WEBSOCKET_CLOSE_BAD_DATA);
  raw_finish_close (c2, SOUP_WEBSOCKET_CLOSE_BAD_DATA);
}

/* ------------------------------------------------------------------------------------------------
 * The handshake: several permessage-deflate offers (RFC 7692 §5) get exactly one answer.
 */

static guint
count_substrings (const char *haystack,
                  const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* Returns the value of the response's Sec-WebSocket-Extensions header, or NULL. */
static char *
response_extensions (RawClient *c)
{
  const char *line = strstr (c->response, "\r\nSec-WebSocket-Extensions: ");

  if (line == NULL)
    return NULL;
  line += strlen ("\r\nSec-WebSocket-Extensions: ");
  return g_strndup (line, strcspn (line, "\r"));
}

static void
test_deflate_several_offers (Fixture       *f,
                             gconstpointer  data)
{
  const struct
  {
    const char *offers;
    const char *answer;   /* NULL: no extension */
  } cases[] = {
    /* A browser's fallback: the first acceptable offer wins, and only it is answered. */
    { "permessage-deflate; client_max_window_bits, permessage-deflate",
      "permessage-deflate; client_max_window_bits=15" },
    { "permessage-deflate, permessage-deflate; client_no_context_takeover",
      "permessage-deflate" },
    /* An offer that cannot be accepted is declined, not the whole handshake. */
    { "permessage-deflate; server_max_window_bits=20, permessage-deflate; "
      "client_no_context_takeover, permessage-deflate",
      "permessage-deflate; client_no_context_takeover" },
    { "x-webkit-deflate-frame, permessage-deflate; foo=1, permessage-deflate; "
      "server_no_context_takeover; server_no_context_takeover, permessage-deflate",
      "permessage-deflate" },
    { "permessage-deflate; server_max_window_bits", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RawClient) c = NULL;
      g_autofree char *answer = NULL;
      const char *text = "hello hello hello, once compressed";
      g_autoptr(GBytes) compressed = deflate_raw ((const guint8 *) text, strlen (text));
      g_autoptr(GBytes) echo = NULL;
      g_autoptr(GBytes) plain = NULL;
      guint8 b0 = 0;

      g_test_message ("offers: %s", cases[i].offers);
      c = raw_connect (f, "/websocket/echo", cases[i].offers);
      answer = response_extensions (c);
      g_assert_cmpstr (answer, ==, cases[i].answer);
      g_assert_cmpuint (count_substrings (c->response, "permessage-deflate"), ==,
                        cases[i].answer != NULL ? 1 : 0);

      /* And the connection works as negotiated. */
      if (cases[i].answer != NULL)
        raw_send_frame (c, 0xc1, g_bytes_get_data (compressed, NULL),
                        g_bytes_get_size (compressed), TRUE);
      else
        raw_send_frame (c, 0x81, (const guint8 *) text, strlen (text), TRUE);
      echo = raw_read_frame (c, &b0);
      g_assert_nonnull (echo);
      g_assert_cmphex (b0 & 0x0f, ==, 0x1);
      plain = (b0 & 0x40) ? inflate_raw (echo) : g_bytes_ref (echo);
      g_assert_cmpmem (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain), text,
                       strlen (text));
    }
}

static gsize
read_vm_hwm_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmHWM:");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen ("VmHWM:"), NULL, 10);
}

/* 64 MiB in 1 MiB fragments against a 1 MiB limit: closed with 1009, the rest read and dropped,
 * and the process's peak memory does not grow by anything like 64 MiB. */
static void
test_codec_too_big_memory (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(RawClient) c = raw_connect (f, "/websocket/echo", NULL);
  gsize chunk_size = 1024 * 1024;
  g_autofree guint8 *chunk = g_malloc0 (chunk_size);
  g_autoptr(GByteArray) frame = g_byte_array_sized_new (chunk_size + 14);
  gsize before;
  guint n_data = 0;

  append_frame (frame, 0x00, chunk, chunk_size);
  before = read_vm_hwm_kib ();

  raw_send_frame (c, 0x01, chunk, 16, TRUE);
  for (guint i = 0; i < 64; i++)
    {
      if (i == 63)
        frame->data[0] = 0x80;
      raw_write (c, frame->data, frame->len);
    }

  g_assert_cmpuint (raw_read_close_code (c, &n_data), ==, SOUP_WEBSOCKET_CLOSE_TOO_BIG);
  g_assert_cmpuint (n_data, ==, 0);
  raw_finish_close (c, SOUP_WEBSOCKET_CLOSE_TOO_BIG);
  g_assert_cmpuint (read_vm_hwm_kib () - before, <, 16 * 1024);
}

/* A peer that sends without reading: the server stops reading it rather than queueing replies
 * without bound, and once the peer reads again every reply arrives, in order. */
typedef struct
{
  GOutputStream *out;
  const guint8  *data;
  gsize          len;
} WriteJob;

static gpointer
write_rest (gpointer data)
{
  WriteJob *job = data;

  g_output_stream_write_all (job->out, job->data, job->len, NULL, NULL, NULL);
  return NULL;
}

static void
test_codec_backpressure (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(RawClient) c = raw_connect (f, "/websocket/echo", NULL);
  gsize size = 1024 * 1024;
  guint n = 48;
  g_autofree guint8 *payload = g_malloc (size);
  g_autoptr(GByteArray) burst = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  GSocket *socket = g_socket_connection_get_socket (c->conn);
  gsize written = 0;
  WriteJob job;
  GThread *writer;

  for (gsize k = 0; k < size; k++)
    payload[k] = k % 7;
  for (guint i = 0; i < n; i++)
    {
      payload[0] = i;
      append_frame (burst, 0x82, payload, size);
    }

  /* 48 MiB: more than the socket buffers of both sides hold, so writing must stall once the
   * server stops reading; were it to queue its replies instead, all of it would go through. */
  g_socket_set_blocking (socket, FALSE);
  for (;;)
    {
      gssize w = g_socket_send (socket, (const char *) burst->data + written,
                                burst->len - written, NULL, &error);
      if (w < 0)
        {
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
          g_clear_error (&error);
          /* Give the server time to read what it will, then try once more. */
          g_usleep (200 * 1000);
          w = g_socket_send (socket, (const char *) burst->data + written,
                             burst->len - written, NULL, &error);
          if (w < 0)
            break;
        }
      written += w;
      g_assert_cmpuint (written, <, burst->len);
    }
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  g_socket_set_blocking (socket, TRUE);

  job = (WriteJob) { c->out, burst->data + written, burst->len - written };
  writer = g_thread_new ("writer", write_rest, &job);
  for (guint i = 0; i < n; i++)
    {
      payload[0] = i;
      assert_frame (c, 0x82, payload, size);
    }
  g_thread_join (writer);
}

int
main (int   argc,
      char *argv[])
{
  ladle_test_init (&argc, &argv);
  /* Some cases send libsoup close reasons that are not UTF-8, which it logs as they are. */
  ladle_test_log_valid_utf8 ("libsoup");

  g_test_add ("/ladle/websocket-echo/exact-paths", Fixture, NULL,
              fixture_setup, test_exact_paths, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/seed", Fixture, NULL,
              fixture_setup, test_seed_echo, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/plain-and-binary", Fixture, NULL,
              fixture_setup, test_plain_echo_and_binary, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/large-message", Fixture, NULL,
              fixture_setup, test_large_message, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/close-code", Fixture, NULL,
              fixture_setup, test_close_code, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/ping-answered", Fixture, NULL,
              fixture_setup, test_ping_answered, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/server-stop-closes", Fixture, NULL,
              fixture_setup, test_server_stop_closes, fixture_teardown);

  g_test_add ("/ladle/websocket-echo/fragmented-too-big", Fixture, &limit_1m,
              fixture_setup, test_fragmented_too_big, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/fragmented-under-limit", Fixture, &limit_1m,
              fixture_setup, test_fragmented_under_limit, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/single-frame-too-big", Fixture, &limit_1m,
              fixture_setup, test_single_frame_too_big, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/deflate-echo", Fixture, &limit_1m,
              fixture_setup, test_deflate_echo, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/deflate-bomb", Fixture, &limit_1m,
              fixture_setup, test_deflate_bomb, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/invalid-utf8", Fixture, NULL,
              fixture_setup, test_invalid_utf8, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/unmasked-frame", Fixture, NULL,
              fixture_setup, test_unmasked_frame, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/reserved-opcode", Fixture, NULL,
              fixture_setup, test_reserved_opcode, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/ping-payload", Fixture, NULL,
              fixture_setup, test_ping_payload, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/silent-peer-dropped", Fixture, &ping_1s,
              fixture_setup, test_silent_peer_dropped, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/answering-peer-kept", Fixture, &ping_1s,
              fixture_setup, test_answering_peer_kept, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/codec/every-split", Fixture, NULL,
              fixture_setup, test_codec_every_split, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/codec/frames-with-handshake", Fixture, NULL,
              fixture_setup, test_codec_frames_with_handshake, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/codec/lengths", Fixture, NULL,
              fixture_setup, test_codec_lengths, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/codec/bad-frames", Fixture, NULL,
              fixture_setup, test_codec_bad_frames, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/codec/new-message-inside", Fixture, NULL,
              fixture_setup, test_codec_new_message_inside, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/codec/utf8-fragments", Fixture, NULL,
              fixture_setup, test_codec_utf8_fragments, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/codec/empty-close", Fixture, NULL,
              fixture_setup, test_codec_empty_close, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/codec/too-big-memory", Fixture, &limit_1m,
              fixture_setup, test_codec_too_big_memory, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/codec/backpressure", Fixture, NULL,
              fixture_setup, test_codec_backpressure, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/invalid-close-ends", Fixture, NULL,
              fixture_setup, test_invalid_close_ends, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/codec/utf8-bad-fragment", Fixture, NULL,
              fixture_setup, test_codec_utf8_bad_fragment, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/deflate/utf8-bad-fragment", Fixture, NULL,
              fixture_setup, test_deflate_utf8_bad_fragment, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/deflate/utf8-compressed-fragments", Fixture, NULL,
              fixture_setup, test_deflate_utf8_compressed_fragments, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/deflate/several-offers", Fixture, NULL,
              fixture_setup, test_deflate_several_offers, fixture_teardown);
  g_test_add ("/ladle/websocket-echo/many-connections", Fixture, NULL,
              fixture_setup, test_many_connections, fixture_teardown);

  return ladle_test_run ();
}
