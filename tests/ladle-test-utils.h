/* ladle-test-utils.h
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Spin the thread-default main context until @cond holds or @timeout_ms passes; asserts on
 * timeout. */
#define LADLE_TEST_WAIT_UNTIL(cond, timeout_ms)                                           \
  G_STMT_START {                                                                          \
    gint64 _deadline = g_get_monotonic_time () + (gint64) (timeout_ms) * 1000;            \
    while (!(cond))                                                                       \
      {                                                                                   \
        if (g_get_monotonic_time () > _deadline)                                          \
          g_error ("%s:%d: timed out waiting for %s", __FILE__, __LINE__, #cond);         \
        g_main_context_iteration (g_main_context_get_thread_default (), FALSE);           \
        g_usleep (1000);                                                                  \
      }                                                                                   \
  } G_STMT_END

typedef void (*LadleTestServerSetup) (SoupServer *server,
                                      gpointer    user_data);

typedef struct _LadleTestServer LadleTestServer;

void             ladle_test_init              (int                  *argc,
                                               char               ***argv);
void             ladle_test_explain_fatal_logs (void);
void             ladle_test_log_valid_utf8    (const char           *log_domain);
int              ladle_test_run               (void);
LadleTestServer *ladle_test_server_new        (LadleTestServerSetup  setup,
                                               gpointer              user_data);
const char      *ladle_test_server_get_url    (LadleTestServer      *self);
guint            ladle_test_server_get_port   (LadleTestServer      *self);
void             ladle_test_server_free       (LadleTestServer      *self);
guint            ladle_test_server_listen_mtls (SoupServer          *server,
                                               const char          *cert_file,
                                               const char          *key_file,
                                               const char          *client_ca_file);
void             ladle_test_whoami_handler    (SoupServer           *server,
                                               SoupServerMessage    *msg,
                                               const char           *path,
                                               GHashTable           *query,
                                               gpointer              user_data);
GBytes          *ladle_test_fetch             (SoupSession          *session,
                                               const char           *method,
                                               const char           *url,
                                               const char           *content_type,
                                               GBytes               *body,
                                               guint                *out_status,
                                               SoupMessageHeaders  **out_headers);
guint            ladle_test_count_open_fds    (void);
guint            ladle_test_unused_port       (void);
char            *ladle_test_make_tmpdir       (const char           *template_name);
void             ladle_test_rm_rf             (const char           *path);
const char      *ladle_test_get_python        (void);

/* A `ladle serve` child process; see ladle_test_serve_start(). */
typedef struct
{
  GSubprocess      *proc;
  GDataInputStream *out;
  char             *first_line;
  char             *url;
  guint             port;
} LadleTestServe;

void                 ladle_test_async_done   (GObject             *source,
                                              GAsyncResult        *result,
                                              gpointer             data);
GSubprocessLauncher *ladle_test_new_launcher (GSubprocessFlags     flags,
                                              const char * const  *env);
char                *ladle_test_read_line    (GDataInputStream    *in);
int                  ladle_test_wait_exit    (GSubprocess         *proc);
int                  ladle_test_wait_exit_full (GSubprocess       *proc,
                                                const char        *err_text);
void                 ladle_test_serve_start  (LadleTestServe      *serve,
                                              const char          *uploads,
                                              const char * const  *extra_args,
                                              const char * const  *env);
void                 ladle_test_serve_stop   (LadleTestServe      *serve,
                                              int                  signum);
int                  ladle_test_run_command  (const char * const  *argv,
                                              const char * const  *env,
                                              char               **out_stdout,
                                              char               **out_stderr);
guint                ladle_test_count_entries (const char         *dir_path);
void                 ladle_test_set_child_nofile (guint                soft,
                                                  guint                hard);
guint                ladle_test_json_glib_reach (const char          *data,
                                                 gssize               len);
int                  ladle_test_raw_connect   (guint                port);
gboolean             ladle_test_port_open     (guint                port);
GSubprocess         *ladle_test_start_peer    (guint                port,
                                               const char * const  *argv);
void                 ladle_test_stop_peer     (GSubprocess         *proc);
GSubprocess         *ladle_test_start_tinyproxy (const char        *dir,
                                                 const char        *name,
                                                 guint              port,
                                                 const char        *extra);
GSubprocess         *ladle_test_start_dante   (const char          *dir,
                                               guint                port,
                                               gboolean             username,
                                               const char          *log_path);
gboolean             ladle_test_have_program  (const char          *program,
                                               const char          *package);
guint                ladle_test_count_in_file (const char          *path,
                                               const char          *needle);

/* A WebSocket server that completes the handshake by hand, sends the bytes it was given (if any),
 * then reads the client's frames and ignores them: it never answers a ping or a close frame, and
 * keeps its end of the connection open until it is freed, even once the client shut its end
 * down. One connection, on its own thread. */
typedef struct
{
  GSocketListener *listener;
  guint            port;
  GThread         *thread;
  gint             handshakes;
  GBytes          *script;
  gint             close_code;   /* of the client's first close frame; -1 before, 0 without code */
  GMutex           mutex;
  GCond            cond;
  gboolean         released;
} LadleTestRawWsServer;

char                 *ladle_test_websocket_accept        (const char           *key);
LadleTestRawWsServer *ladle_test_raw_ws_server_new       (void);
LadleTestRawWsServer *ladle_test_raw_ws_server_new_full  (const guint8         *script,
                                                          gsize                 script_len);
void                  ladle_test_raw_ws_server_free      (LadleTestRawWsServer *raw);

typedef struct _LadleTestCanned LadleTestCanned;

LadleTestCanned      *ladle_test_canned_new          (const char           *answer,
                                                      gboolean              keep_open);
const char           *ladle_test_canned_get_url      (LadleTestCanned      *canned);
void                  ladle_test_canned_free         (LadleTestCanned      *canned);

/* A listening socket on 127.0.0.1 that never answers: it only records what reaches it, to prove
 * that nothing did. ladle_test_raw_listener_poll() accepts the connections waiting in its backlog
 * and reads what they sent so far, without blocking. */
typedef struct
{
  GSocket   *socket;
  GPtrArray *connections;   /* GSocket */
  GString   *received;
  guint      port;
} LadleTestRawListener;

LadleTestRawListener *ladle_test_raw_listener_new   (void);
void                  ladle_test_raw_listener_poll  (LadleTestRawListener *self);
char                 *ladle_test_raw_listener_dup_url (LadleTestRawListener *self,
                                                     const char           *path);
void                  ladle_test_raw_listener_free  (LadleTestRawListener *self);

/* Ladle's own server (LadleServer) in this process, on 127.0.0.1 and a free port, keeping what
 * reached it: for tests that compare what clients put on the wire. */
typedef struct
{
  char               *method;
  char               *path;      /* with the query, as the request line had it */
  guint               status;
  SoupMessageHeaders *headers;
  GBytes             *body;      /* the first LADLE_SERVER_EVENT_BODY_HEAD_MAX bytes */
  gint64              time;      /* µs, real time it came */
  gint64              duration;  /* µs */
} LadleTestLogged;

typedef struct _LadleTestLogServer LadleTestLogServer;

/* @idle_timeout: the server's (ladle_server_set_idle_timeout; its keep-alive timeout is twice
 * that below the default), 0 for the default */
LadleTestLogServer *ladle_test_log_server_new     (const char          *uploads,
                                                   double               idle_timeout);
const char         *ladle_test_log_server_get_url (LadleTestLogServer  *self);
/* (element-type LadleTestLogged): what came, in order; the caller may empty it. */
GPtrArray          *ladle_test_log_server_get_log (LadleTestLogServer  *self);
/* Turns the main context until no request was logged for 50 ms (2 s at the most): the server
 * reports in batches, after a client has its answer. */
void                ladle_test_log_server_settle  (LadleTestLogServer  *self);
void                ladle_test_log_server_free    (LadleTestLogServer  *self);
/* "METHOD PATH STATUS" */
char               *ladle_test_logged_line        (const LadleTestLogged *logged);
/* "name: value\n" for each header, names in lower case, sorted, without those in @ignored
 * (lower case, NULL-terminated) */
char               *ladle_test_logged_headers     (const LadleTestLogged *logged,
                                                   const char * const  *ignored);
/* Bytes as C string text ("\\r\\n", "\\x00"), so that a difference in line breaks shows. */
char               *ladle_test_escape_bytes       (const char          *data,
                                                   gsize                size);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LadleTestLogServer, ladle_test_log_server_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LadleTestServer, ladle_test_server_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LadleTestRawListener, ladle_test_raw_listener_free)

G_END_DECLS
