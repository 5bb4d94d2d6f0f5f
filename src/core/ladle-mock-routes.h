/* ladle-mock-routes.h
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

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "ladle-json-store.h"

G_BEGIN_DECLS

#define LADLE_MOCK_ROUTES_VERSION 1

/* The largest routes file read: hand-written routes are far smaller, and big bodies belong in
 * body files, which are streamed. */
#define LADLE_MOCK_ROUTES_MAX_FILE_SIZE (16 * 1024 * 1024)

/* The statuses a mock route may answer with: final ones (libsoup sends a 1xx as an interim
 * answer and then waits for the real one, forever). */
#define LADLE_MOCK_ROUTE_MIN_STATUS 200
#define LADLE_MOCK_ROUTE_MAX_STATUS 599

/**
 * LadleMockRoutesLoadFlags:
 * @LADLE_MOCK_ROUTES_LOAD_DEFAULT: body files must lie in the routes file's folder
 * @LADLE_MOCK_ROUTES_LOAD_ANY_BODY_FILE: body files may be anywhere (the user's explicit choice;
 *   a routes file cannot ask for it)
 */
typedef enum
{
  LADLE_MOCK_ROUTES_LOAD_DEFAULT       = 0,
  LADLE_MOCK_ROUTES_LOAD_ANY_BODY_FILE = 1 << 0,
} LadleMockRoutesLoadFlags;

#define LADLE_TYPE_MOCK_ROUTE (ladle_mock_route_get_type ())

G_DECLARE_FINAL_TYPE (LadleMockRoute, ladle_mock_route, LADLE, MOCK_ROUTE, GObject)

LadleMockRoute     *ladle_mock_route_new              (const char          *method,
                                                       const char          *path);
LadleMockRoute     *ladle_mock_route_copy             (LadleMockRoute      *self);
const char         *ladle_mock_route_get_method       (LadleMockRoute      *self);
void                ladle_mock_route_set_method       (LadleMockRoute      *self,
                                                       const char          *method);
const char         *ladle_mock_route_get_path         (LadleMockRoute      *self);
void                ladle_mock_route_set_path         (LadleMockRoute      *self,
                                                       const char          *path);
guint               ladle_mock_route_get_status       (LadleMockRoute      *self);
void                ladle_mock_route_set_status       (LadleMockRoute      *self,
                                                       guint                status);
const char * const *ladle_mock_route_get_headers      (LadleMockRoute      *self);
void                ladle_mock_route_set_headers      (LadleMockRoute      *self,
                                                       const char * const  *headers);
const char         *ladle_mock_route_get_body         (LadleMockRoute      *self);
void                ladle_mock_route_set_body         (LadleMockRoute      *self,
                                                       const char          *body);
const char         *ladle_mock_route_get_body_file    (LadleMockRoute      *self);
void                ladle_mock_route_set_body_file    (LadleMockRoute      *self,
                                                       const char          *body_file);
const char         *ladle_mock_route_get_body_folder  (LadleMockRoute      *self);
void                ladle_mock_route_set_body_folder  (LadleMockRoute      *self,
                                                       const char          *folder);
double              ladle_mock_route_get_delay        (LadleMockRoute      *self);
void                ladle_mock_route_set_delay        (LadleMockRoute      *self,
                                                       double               delay);
const char         *ladle_mock_route_get_content_type (LadleMockRoute      *self);
void                ladle_mock_route_set_content_type (LadleMockRoute      *self,
                                                       const char          *content_type);
gboolean            ladle_mock_route_get_cors         (LadleMockRoute      *self);
void                ladle_mock_route_set_cors         (LadleMockRoute      *self,
                                                       gboolean             cors);
gboolean            ladle_mock_route_check_status     (gint64               status,
                                                       GError             **error);
gboolean            ladle_mock_route_validate         (LadleMockRoute      *self,
                                                       GError             **error);
gboolean            ladle_mock_route_check_body_file  (LadleMockRoute      *self,
                                                       GError             **error);
gboolean            ladle_mock_route_equal            (LadleMockRoute      *a,
                                                       LadleMockRoute      *b);

GListStore         *ladle_mock_routes_load_file       (const char          *path,
                                                       GError             **error);
GListStore         *ladle_mock_routes_load_file_full  (const char          *path,
                                                       LadleMockRoutesLoadFlags flags,
                                                       GError             **error);
GListStore         *ladle_mock_routes_load_data       (const char          *data,
                                                       gssize               len,
                                                       const char          *display_name,
                                                       const char          *base_dir,
                                                       GError             **error);
GListStore         *ladle_mock_routes_load_data_full  (const char          *data,
                                                       gssize               len,
                                                       const char          *display_name,
                                                       const char          *base_dir,
                                                       LadleMockRoutesLoadFlags flags,
                                                       GError             **error);
gboolean            ladle_mock_routes_save_file       (GListModel          *routes,
                                                       const char          *path,
                                                       GError             **error);
char               *ladle_mock_routes_to_data         (GListModel          *routes,
                                                       gsize               *len);

/* A routes file read and written by a LadleJsonStore, in its worker thread */
LadleJsonStore     *ladle_mock_routes_store_new       (const char          *path);
void                ladle_mock_routes_load_async      (LadleJsonStore      *store,
                                                       LadleMockRoutesLoadFlags flags,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
GListStore         *ladle_mock_routes_load_finish     (LadleJsonStore      *store,
                                                       GAsyncResult        *result,
                                                       GError             **error);
void                ladle_mock_routes_save_async      (LadleJsonStore      *store,
                                                       GListModel          *routes,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean            ladle_mock_routes_save_finish     (LadleJsonStore      *store,
                                                       GAsyncResult        *result,
                                                       char               **out_set_aside,
                                                       GError             **error);
void                ladle_mock_routes_find_free_path_async  (const char          *folder,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
char               *ladle_mock_routes_find_free_path_finish (GAsyncResult        *result,
                                                             GError             **error);

typedef struct _LadleMockRouter LadleMockRouter;

LadleMockRouter    *ladle_mock_router_new             (GListModel          *routes);
LadleMockRouter    *ladle_mock_router_ref             (LadleMockRouter     *self);
void                ladle_mock_router_unref           (LadleMockRouter     *self);
gboolean            ladle_mock_router_match           (LadleMockRouter     *self,
                                                       const char          *method,
                                                       const char          *path,
                                                       guint               *out_route_index);
gboolean            ladle_mock_router_respond         (LadleMockRouter     *self,
                                                       SoupServerMessage   *msg,
                                                       const char          *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LadleMockRouter, ladle_mock_router_unref)

G_END_DECLS
