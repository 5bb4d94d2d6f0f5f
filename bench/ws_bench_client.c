/* ws_bench_client.c — the C load client of bench/ws.sh: one WebSocket connection, plain blocking
 * sockets, no library. bench/ws.sh compiles it with `cc -O2` (it needs nothing but libc).
 *
 *   ws_bench_client HOST PORT PATH COUNT SIZE PREFIX [WINDOW]
 *
 * Sends COUNT text messages of SIZE bytes ("m123 xxx…"), one at a time: send, wait for the reply,
 * check that it is PREFIX + the message, then the next; 50 untimed messages warm up first.
 * With WINDOW > 1 (small messages only: the socket is blocking), up to WINDOW messages are in
 * flight: the server's throughput rather than the round-trip time; each message's latency then
 * includes its wait in the queue. Frames
 * are masked as RFC 6455 requires of clients (a fresh key per frame, unmasked a 64-bit word at a
 * time). Prints one JSON object, the same fields as ws_client.py's seq mode: seconds, msgs_per_s,
 * mib_per_s (of messages sent), lat_avg_us, lat_p50_us, lat_p99_us.
 *
 * Copyright 2026 The Ladle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static int fd = -1;
static unsigned char *rbuf;      /* received bytes not consumed yet: [rpos, rlen) */
static size_t rpos, rlen, rcap;

static void
die (const char *what)
{
  fprintf (stderr, "ws_bench_client: %s\n", what);
  exit (1);
}

static double
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void
write_all (const struct iovec *iov_in, int n_iov)
{
  struct iovec iov[4];
  int i = 0;

  memcpy (iov, iov_in, n_iov * sizeof *iov);
  while (i < n_iov)
    {
      ssize_t n = writev (fd, iov + i, n_iov - i);

      if (n < 0)
        die ("write failed");
      while (i < n_iov && (size_t) n >= iov[i].iov_len)
        n -= iov[i++].iov_len;
      if (i < n_iov)
        {
          iov[i].iov_base = (char *) iov[i].iov_base + n;
          iov[i].iov_len -= n;
        }
    }
}

/* Makes sure [rpos, rpos + need) is in rbuf; reads 256 KiB or more at a time. */
static void
fill (size_t need)
{
  if (rlen - rpos >= need)
    return;
  if (rpos > 0)
    {
      memmove (rbuf, rbuf + rpos, rlen - rpos);
      rlen -= rpos;
      rpos = 0;
    }
  if (need + 256 * 1024 > rcap)
    {
      rcap = need + 256 * 1024;
      rbuf = realloc (rbuf, rcap);
      if (rbuf == NULL)
        die ("out of memory");
    }
  while (rlen < need)
    {
      ssize_t n = read (fd, rbuf + rlen, rcap - rlen - 1);

      if (n <= 0)
        die ("connection closed");
      rlen += n;
    }
}

static void
mask (unsigned char *data, size_t len, const unsigned char key[4])
{
  uint64_t word;
  size_t i = 0;

  memcpy (&word, key, 4);
  memcpy ((char *) &word + 4, key, 4);
  for (; i + 8 <= len; i += 8)
    {
      uint64_t d;

      memcpy (&d, data + i, 8);
      d ^= word;
      memcpy (data + i, &d, 8);
    }
  for (; i < len; i++)
    data[i] ^= key[i & 3];
}

static void
send_text (unsigned char *masked, const char *text, size_t len)
{
  unsigned char header[14];
  size_t h = 0;
  uint32_t r = (uint32_t) random () ^ ((uint32_t) random () << 16);
  struct iovec iov[2];

  header[h++] = 0x81;
  if (len < 126)
    {
      header[h++] = 0x80 | len;
    }
  else if (len <= 0xffff)
    {
      header[h++] = 0x80 | 126;
      header[h++] = len >> 8;
      header[h++] = len & 0xff;
    }
  else
    {
      header[h++] = 0x80 | 127;
      for (int k = 0; k < 8; k++)
        header[h++] = ((uint64_t) len >> (56 - 8 * k)) & 0xff;
    }
  memcpy (header + h, &r, 4);
  memcpy (masked, text, len);
  mask (masked, len, header + h);
  h += 4;

  iov[0] = (struct iovec) { header, h };
  iov[1] = (struct iovec) { masked, len };
  write_all (iov, 2);
}

/* Reads one text frame and checks it is prefix + text. */
static void
receive_check (const char *prefix, size_t prefix_len, const char *text, size_t len)
{
  uint64_t plen;
  size_t h = 2;

  for (;;)
    {
      fill (2);
      plen = rbuf[rpos + 1] & 0x7f;
      h = 2;
      if (plen == 126)
        h = 4;
      else if (plen == 127)
        h = 10;
      fill (h);
      if (plen >= 126)
        {
          plen = 0;
          for (size_t k = 2; k < h; k++)
            plen = plen << 8 | rbuf[rpos + k];
        }
      fill (h + plen);
      if ((rbuf[rpos] & 0x0f) == 0x9 || (rbuf[rpos] & 0x0f) == 0xa)
        {
          rpos += h + plen;    /* a ping from the server (none with the defaults): skip */
          continue;
        }
      break;
    }

  if (rbuf[rpos] != 0x81 || rbuf[rpos + 1] & 0x80)
    die ("unexpected frame");
  if (plen != prefix_len + len ||
      memcmp (rbuf + rpos + h, prefix, prefix_len) != 0 ||
      memcmp (rbuf + rpos + h + prefix_len, text, len) != 0)
    die ("unexpected reply");
  rpos += h + plen;
}

static void
connect_to (const char *host, const char *port, const char *path)
{
  struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
  struct addrinfo *ai;
  char request[1024];
  int one = 1;
  struct iovec iov;
  char *end;

  if (getaddrinfo (host, port, &hints, &ai) != 0)
    die ("cannot resolve the host");
  fd = socket (ai->ai_family, SOCK_STREAM, 0);
  if (fd < 0 || connect (fd, ai->ai_addr, ai->ai_addrlen) != 0)
    die ("cannot connect");
  freeaddrinfo (ai);
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

  snprintf (request, sizeof request,
            "GET %s HTTP/1.1\r\nHost: %s:%s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
            path, host, port);
  iov = (struct iovec) { request, strlen (request) };
  write_all (&iov, 1);

  for (;;)
    {
      fill (rlen - rpos + 1);
      rbuf[rlen] = 0;   /* fill() always leaves a byte spare */
      end = strstr ((char *) rbuf + rpos, "\r\n\r\n");
      if (end != NULL)
        break;
    }
  if (strncmp ((char *) rbuf + rpos, "HTTP/1.1 101", 12) != 0)
    die ("the handshake was refused");
  rpos = end + 4 - (char *) rbuf;
}

static int
compare (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (int argc, char *argv[])
{
  long count, size;
  const char *prefix;
  size_t prefix_len;
  char **texts;
  unsigned char *masked;
  double *rtts, start, seconds, sum = 0;
  int warm;
  long window;

  if (argc != 7 && argc != 8)
    {
      fprintf (stderr, "usage: ws_bench_client HOST PORT PATH COUNT SIZE PREFIX [WINDOW]\n");
      return 2;
    }
  window = argc == 8 ? atol (argv[7]) : 1;
  if (window < 1)
    die ("WINDOW must be 1 or more");
  count = atol (argv[4]);
  size = atol (argv[5]);
  prefix = argv[6];
  prefix_len = strlen (prefix);
  if (count < 1 || size < 8)
    die ("COUNT must be 1 or more and SIZE 8 or more");

  srandom (getpid ());
  texts = calloc (count, sizeof *texts);
  rtts = calloc (count, sizeof *rtts);
  masked = malloc (size);
  for (long i = 0; i < count; i++)
    {
      texts[i] = malloc (size + 1);
      memset (texts[i], 'x', size);
      texts[i][size] = 0;
      {
        char head[32];
        int n = snprintf (head, sizeof head, "m%ld ", i);

        memcpy (texts[i], head, n < size ? n : size);
      }
    }

  connect_to (argv[1], argv[2], argv[3]);

  warm = count < 50 ? count : 50;
  for (int i = 0; i < warm; i++)
    {
      send_text (masked, texts[i], size);
      receive_check (prefix, prefix_len, texts[i], size);
    }

  start = now_ns ();
  if (window == 1)
    {
      for (long i = 0; i < count; i++)
        {
          double t0 = now_ns ();

          send_text (masked, texts[i], size);
          receive_check (prefix, prefix_len, texts[i], size);
          rtts[i] = now_ns () - t0;
        }
    }
  else
    {
      long sent = 0;

      /* rtts[i] holds the send time until the reply comes. */
      for (; sent < count && sent < window; sent++)
        {
          rtts[sent] = now_ns ();
          send_text (masked, texts[sent], size);
        }
      for (long i = 0; i < count; i++)
        {
          receive_check (prefix, prefix_len, texts[i], size);
          rtts[i] = now_ns () - rtts[i];
          if (sent < count)
            {
              rtts[sent] = now_ns ();
              send_text (masked, texts[sent], size);
              sent++;
            }
        }
    }
  seconds = (now_ns () - start) / 1e9;

  for (long i = 0; i < count; i++)
    sum += rtts[i];
  qsort (rtts, count, sizeof *rtts, compare);
  printf ("{\"seconds\": %.6f, \"msgs_per_s\": %.3f, \"mib_per_s\": %.3f, "
          "\"lat_avg_us\": %.3f, \"lat_p50_us\": %.3f, \"lat_p99_us\": %.3f}\n",
          seconds, count / seconds, count * (double) size / seconds / (1024 * 1024),
          sum / count / 1000, rtts[count / 2] / 1000,
          rtts[(count * 99 / 100) < count - 1 ? count * 99 / 100 : count - 1] / 1000);

  /* A clean close: code 1000, masked. */
  {
    unsigned char frame[8] = { 0x88, 0x82, 0, 0, 0, 0, 0x03, 0xe8 };
    struct iovec iov = { frame, sizeof frame };

    write_all (&iov, 1);
  }
  close (fd);

  return 0;
}
