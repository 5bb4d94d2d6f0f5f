/* ladle-cookies-view.h
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

#include <adwaita.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define LADLE_TYPE_COOKIES_VIEW (ladle_cookies_view_get_type ())

G_DECLARE_FINAL_TYPE (LadleCookiesView, ladle_cookies_view, LADLE, COOKIES_VIEW, AdwWindow)

/* The cookies of @jar, live: each with its domain, path, value, expiry and flags, to edit (value,
 * expiry) or delete, and Delete All (both undoable from a toast). */
LadleCookiesView *ladle_cookies_view_new         (GtkWindow        *parent,
                                                  SoupCookieJar    *jar);
SoupCookieJar    *ladle_cookies_view_get_jar     (LadleCookiesView *self);
void              ladle_cookies_view_set_jar     (LadleCookiesView *self,
                                                  SoupCookieJar    *jar,
                                                  const char       *owner);
void              ladle_cookies_view_set_problem (LadleCookiesView *self,
                                                  const char       *problem);
/* (transfer none) (nullable): the row of the cookie @name of @domain (as the jar spells it, a
 * leading dot for a domain cookie) and @path. */
AdwExpanderRow   *ladle_cookies_view_find_row    (LadleCookiesView *self,
                                                  const char       *domain,
                                                  const char       *path,
                                                  const char       *name);

G_END_DECLS
