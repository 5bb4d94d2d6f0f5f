/* ladle-cookies-view.c
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

#include "ladle-cookies-view.h"

/* The Cookies window: the cookies of one SoupCookieJar (the Requests bench's, shared by its
 * tabs), one expander row each, sorted by domain, path and name. The jar's "changed" signal keeps
 * the rows live: a response that sets, replaces or expires a cookie shows at once, and so does an
 * edit made here (it goes through the jar like a server's Set-Cookie: a copy of the cookie with
 * the new value or expiry replaces the old one; a past expiry removes it). Deleting, one or all,
 * can be undone from the toast that follows. */

struct _LadleCookiesView
{
  AdwWindow        parent_instance;

  /* Template children */
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle  *window_title;
  GtkLabel        *owner_label;
  GtkLabel        *problem_label;
  GtkButton       *delete_all_button;
  GtkStack        *stack;
  GtkListBox      *list;

  SoupCookieJar   *jar;
  char            *owner;  /* whose jar it is: a workspace's, or the session's */
  AdwToast        *toast; /* the last one shown, until dismissed (not owned) */
  GHashTable      *rows; /* "domain\npath\nname" -> AdwExpanderRow (the list owns it) */
};

G_DEFINE_FINAL_TYPE (LadleCookiesView, ladle_cookies_view, ADW_TYPE_WINDOW)

#define COOKIE_KEY "ladle-cookie"

static char *
key_for (SoupCookie *cookie)
{
  return g_strdup_printf ("%s\n%s\n%s", soup_cookie_get_domain (cookie),
                          soup_cookie_get_path (cookie), soup_cookie_get_name (cookie));
}

static SoupCookie *
row_cookie (GtkWidget *row)
{
  return g_object_get_data (G_OBJECT (row), COOKIE_KEY);
}

static const char *
bare_domain (SoupCookie *cookie)
{
  const char *domain = soup_cookie_get_domain (cookie);

  while (domain[0] == '.')
    domain++;
  return domain;
}

static char *
format_expiry (SoupCookie *cookie)
{
  GDateTime *expires = soup_cookie_get_expires (cookie);
  g_autoptr(GDateTime) local = NULL;

  if (expires == NULL)
    return g_strdup ("");
  local = g_date_time_to_local (expires);
  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
}

/* Secure, HttpOnly, SameSite; @all FALSE leaves out "SameSite=None" (no restriction, and the
 * policy of every cookie read from a cookie file) */
static char *
describe_flags (SoupCookie *cookie,
                gboolean    all)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = NULL;

  if (soup_cookie_get_secure (cookie))
    g_strv_builder_add (builder, "Secure");
  if (soup_cookie_get_http_only (cookie))
    g_strv_builder_add (builder, "HttpOnly");
  switch (soup_cookie_get_same_site_policy (cookie))
    {
    case SOUP_SAME_SITE_POLICY_LAX:
      g_strv_builder_add (builder, "SameSite=Lax");
      break;
    case SOUP_SAME_SITE_POLICY_STRICT:
      g_strv_builder_add (builder, "SameSite=Strict");
      break;
    case SOUP_SAME_SITE_POLICY_NONE:
    default:
      if (all)
        g_strv_builder_add (builder, "SameSite=None");
      break;
    }
  parts = g_strv_builder_end (builder);
  return g_strjoinv (" · ", parts);
}

/* "example.com and subdomains · /api · until 2026-12-31 23:59:59 · Secure · HttpOnly" */
static char *
describe (SoupCookie *cookie)
{
  g_autofree char *where = NULL;
  g_autofree char *when = NULL;
  g_autofree char *expiry = format_expiry (cookie);
  g_autofree char *flags = describe_flags (cookie, FALSE);
  g_autofree char *text = NULL;

  if (soup_cookie_get_domain (cookie)[0] == '.')
    /* Translators: %s is a host name such as example.com */
    where = g_strdup_printf (_("%s and subdomains"), bare_domain (cookie));
  else
    where = g_strdup (soup_cookie_get_domain (cookie));

  if (expiry[0] == '\0')
    when = g_strdup (_("session"));
  else
    /* Translators: %s is a local date and time such as 2026-12-31 23:59:59 */
    when = g_strdup_printf (_("until %s"), expiry);

  text = g_strdup_printf ("%s · %s · %s%s%s", where, soup_cookie_get_path (cookie), when,
                          flags[0] != '\0' ? " · " : "", flags);
  return g_markup_escape_text (text, -1);
}

static void
update_state (LadleCookiesView *self)
{
  guint n = g_hash_table_size (self->rows);
  g_autofree char *subtitle = NULL;

  if (n > 0)
    subtitle = g_strdup_printf (ngettext ("%u cookie", "%u cookies", n), n);
  gtk_label_set_label (self->owner_label, self->owner != NULL ? self->owner : "");
  gtk_widget_set_visible (GTK_WIDGET (self->owner_label), self->owner != NULL);
  adw_window_title_set_subtitle (self->window_title, subtitle != NULL ? subtitle : "");
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");
  gtk_widget_set_visible (GTK_WIDGET (self->delete_all_button), n > 0);
}

static void
toast_dismissed (AdwToast         *toast,
                 LadleCookiesView *self)
{
  if (self->toast == toast)
    self->toast = NULL;
}

/* --- Undo ------------------------------------------------------------------------------------ */

static void
free_cookie_list (gpointer list)
{
  g_slist_free_full (list, (GDestroyNotify) soup_cookie_free);
}

static void
undo_clicked (AdwToast         *toast,
              LadleCookiesView *self)
{
  for (GSList *l = g_object_get_data (G_OBJECT (toast), "ladle-cookies"); l != NULL; l = l->next)
    soup_cookie_jar_add_cookie (self->jar, soup_cookie_copy (l->data));
}

/* One toast at a time, so that "Undo" always undoes the last deletion (a queued toast would
 * offer an older one first). While one is shown, the next message takes its place in it (title,
 * button, the cookies to put back) rather than dismissing it for a new one: libadwaita 1.2's
 * overlay frees a toast dismissed during its show animation and then touches it again when the
 * animation is skipped (seen as a crash in ui-cookies with MALLOC_PERTURB_). @cookies: (transfer
 * full) (nullable): what "Undo" puts back; without them the toast has no button. */
static void
show_toast (LadleCookiesView *self,
            const char       *title,
            GSList           *cookies)
{
  AdwToast *toast = self->toast;

  if (toast == NULL)
    {
      toast = adw_toast_new (title);
      adw_toast_set_timeout (toast, 10);
      g_signal_connect_object (toast, "dismissed", G_CALLBACK (toast_dismissed), self, 0);
      g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_clicked), self, 0);
    }
  else
    adw_toast_set_title (toast, title);

  adw_toast_set_button_label (toast, cookies != NULL ? _("_Undo") : NULL);
  g_object_set_data_full (G_OBJECT (toast), "ladle-cookies", cookies,
                          cookies != NULL ? free_cookie_list : NULL);
  if (self->toast == NULL)
    {
      self->toast = toast;
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
    }
}

static void
show_message (LadleCookiesView *self,
              const char       *message)
{
  /* Toast titles are markup */
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  show_toast (self, escaped, NULL);
}

/* Deletes @cookies (copies, taken) from the jar and offers to put them back. */
static void
delete_cookies (LadleCookiesView *self,
                GSList           *cookies)
{
  guint n = g_slist_length (cookies);
  g_autofree char *title = NULL;

  if (n == 0)
    return;

  for (GSList *l = cookies; l != NULL; l = l->next)
    soup_cookie_jar_delete_cookie (self->jar, l->data);

  if (n == 1)
    {
      /* The toast's title is markup */
      g_autofree char *name = g_markup_escape_text (soup_cookie_get_name (cookies->data), -1);

      /* Translators: %s is a cookie's name */
      title = g_strdup_printf (_("Cookie “%s” deleted"), name);
    }
  else
    title = g_strdup_printf (ngettext ("%u cookie deleted", "%u cookies deleted", n), n);
  show_toast (self, title, cookies);
}

static void
on_delete_clicked (GtkButton        *button,
                   LadleCookiesView *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (button), "ladle-cookie-row");

  delete_cookies (self, g_slist_prepend (NULL, soup_cookie_copy (row_cookie (row))));
}

static void
on_delete_all (LadleCookiesView *self)
{
  delete_cookies (self, soup_cookie_jar_all_cookies (self->jar));
}

/* --- Edits ----------------------------------------------------------------------------------- */

static gboolean
is_cookie_value (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f || *p == ';')
      return FALSE;
  return TRUE;
}

static void
set_error (GtkWidget *entry_row,
           gboolean   error)
{
  if (error)
    gtk_widget_add_css_class (entry_row, "error");
  else
    gtk_widget_remove_css_class (entry_row, "error");
}

static void
on_value_apply (AdwEntryRow      *entry_row,
                LadleCookiesView *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (entry_row), "ladle-cookie-row");
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry_row));
  SoupCookie *copy;

  if (!is_cookie_value (text))
    {
      set_error (GTK_WIDGET (entry_row), TRUE);
      show_message (self, _("A cookie value cannot hold “;” or control characters"));
      return;
    }
  set_error (GTK_WIDGET (entry_row), FALSE);
  copy = soup_cookie_copy (row_cookie (row));
  soup_cookie_set_value (copy, text);
  soup_cookie_jar_add_cookie (self->jar, copy);
}

/* "2026-12-31 23:59:59", "2026-12-31 23:59", "2026-12-31" (local time) or ISO 8601 with a zone;
 * "" is no expiry (a session cookie). */
static gboolean
parse_expiry (const char  *text,
              GDateTime  **out)
{
  g_autofree char *iso = g_strstrip (g_strdup (text));
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  char *space;

  *out = NULL;
  if (iso[0] == '\0')
    return TRUE;
  if ((space = strchr (iso, ' ')) != NULL)
    *space = 'T';
  if (strchr (iso, 'T') == NULL)
    {
      char *with_time = g_strconcat (iso, "T00:00:00", NULL);

      g_free (iso);
      iso = with_time;
    }
  else
    {
      /* GLib wants the seconds: "T23:59" is "T23:59:00" */
      const char *time = strchr (iso, 'T') + 1;
      gsize digits = strspn (time, "0123456789:");

      if (digits == 5 && time[2] == ':')
        {
          char *with_seconds = g_strdup_printf ("%.*s:00%s", (int) (time - iso + 5), iso,
                                                time + 5);

          g_free (iso);
          iso = with_seconds;
        }
    }
  *out = g_date_time_new_from_iso8601 (iso, local);
  return *out != NULL;
}

static void
on_expiry_apply (AdwEntryRow      *entry_row,
                 LadleCookiesView *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (entry_row), "ladle-cookie-row");
  g_autoptr(GDateTime) when = NULL;
  SoupCookie *copy;

  if (!parse_expiry (gtk_editable_get_text (GTK_EDITABLE (entry_row)), &when))
    {
      g_autofree char *message = NULL;

      set_error (GTK_WIDGET (entry_row), TRUE);
      message = g_strdup_printf (_("“%s” is not a date: write it as 2026-12-31 23:59, or leave it "
                                   "empty for a session cookie"),
                                 gtk_editable_get_text (GTK_EDITABLE (entry_row)));
      show_message (self, message);
      return;
    }
  set_error (GTK_WIDGET (entry_row), FALSE);
  copy = soup_cookie_copy (row_cookie (row));
  if (when != NULL)
    soup_cookie_set_expires (copy, when);
  else
    soup_cookie_set_max_age (copy, -1);
  soup_cookie_jar_add_cookie (self->jar, copy);
}

/* --- Rows ------------------------------------------------------------------------------------ */

static void
set_entry_text (GtkWidget  *entry_row,
                const char *text)
{
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (entry_row)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (entry_row), text);
  set_error (entry_row, FALSE);
}

/* Shows @cookie (a copy is kept) in @row. */
static void
update_row (GtkWidget  *row,
            SoupCookie *cookie)
{
  g_autofree char *title = g_markup_escape_text (soup_cookie_get_name (cookie), -1);
  g_autofree char *subtitle = describe (cookie);
  g_autofree char *expiry = format_expiry (cookie);
  g_autofree char *flags = describe_flags (cookie, TRUE);

  g_object_set_data_full (G_OBJECT (row), COOKIE_KEY, soup_cookie_copy (cookie),
                          (GDestroyNotify) soup_cookie_free);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  set_entry_text (g_object_get_data (G_OBJECT (row), "value-row"), soup_cookie_get_value (cookie));
  set_entry_text (g_object_get_data (G_OBJECT (row), "expiry-row"), expiry);
  adw_action_row_set_subtitle (g_object_get_data (G_OBJECT (row), "flags-row"), flags);
  gtk_list_box_row_changed (GTK_LIST_BOX_ROW (row));
}

static GtkWidget *
new_row (LadleCookiesView *self,
         SoupCookie       *cookie)
{
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *value_row = adw_entry_row_new ();
  GtkWidget *expiry_row = adw_entry_row_new ();
  GtkWidget *flags_row = adw_action_row_new ();
  GtkWidget *delete_button = gtk_button_new_from_icon_name ("user-trash-symbolic");

  gtk_widget_set_name (row, "cookie_row");

  gtk_widget_set_name (delete_button, "delete_button");
  gtk_widget_set_valign (delete_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (delete_button, "flat");
  gtk_widget_set_tooltip_text (delete_button, _("Delete the Cookie"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (delete_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Delete the Cookie"), -1);
  g_object_set_data (G_OBJECT (delete_button), "ladle-cookie-row", row);
  g_signal_connect_object (delete_button, "clicked", G_CALLBACK (on_delete_clicked), self, 0);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), delete_button);

  gtk_widget_set_name (value_row, "value_row");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (value_row), _("Value"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (value_row), TRUE);
  g_object_set_data (G_OBJECT (value_row), "ladle-cookie-row", row);
  g_signal_connect_object (value_row, "apply", G_CALLBACK (on_value_apply), self, 0);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), value_row);

  gtk_widget_set_name (expiry_row, "expiry_row");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expiry_row), _("Expires (empty: session)"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (expiry_row), TRUE);
  g_object_set_data (G_OBJECT (expiry_row), "ladle-cookie-row", row);
  g_signal_connect_object (expiry_row, "apply", G_CALLBACK (on_expiry_apply), self, 0);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), expiry_row);

  gtk_widget_set_name (flags_row, "flags_row");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (flags_row), _("Flags"));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), flags_row);

  g_object_set_data (G_OBJECT (row), "value-row", value_row);
  g_object_set_data (G_OBJECT (row), "expiry-row", expiry_row);
  g_object_set_data (G_OBJECT (row), "flags-row", flags_row);
  update_row (row, cookie);
  return row;
}

static void
add_cookie_row (LadleCookiesView *self,
                SoupCookie       *cookie)
{
  char *key = key_for (cookie);
  GtkWidget *row = g_hash_table_lookup (self->rows, key);

  if (row != NULL)
    {
      update_row (row, cookie);
      g_free (key);
      return;
    }
  row = new_row (self, cookie);
  g_hash_table_insert (self->rows, key, row);
  gtk_list_box_append (self->list, row);
}

static void
remove_cookie_row (LadleCookiesView *self,
                   SoupCookie       *cookie)
{
  g_autofree char *key = key_for (cookie);
  GtkWidget *row = g_hash_table_lookup (self->rows, key);

  if (row == NULL)
    return;
  g_hash_table_remove (self->rows, key);
  gtk_list_box_remove (self->list, row);
}

static void
jar_changed_cb (SoupCookieJar    *jar,
                SoupCookie       *old_cookie,
                SoupCookie       *new_cookie,
                LadleCookiesView *self)
{
  if (old_cookie != NULL && new_cookie == NULL)
    remove_cookie_row (self, old_cookie);
  else if (new_cookie != NULL)
    add_cookie_row (self, new_cookie);
  update_state (self);
}

static int
sort_rows (GtkListBoxRow *a,
           GtkListBoxRow *b,
           gpointer       user_data)
{
  SoupCookie *ca = row_cookie (GTK_WIDGET (a));
  SoupCookie *cb = row_cookie (GTK_WIDGET (b));
  int cmp;

  if ((cmp = g_strcmp0 (bare_domain (ca), bare_domain (cb))) != 0)
    return cmp;
  if ((cmp = g_strcmp0 (soup_cookie_get_path (ca), soup_cookie_get_path (cb))) != 0)
    return cmp;
  return g_strcmp0 (soup_cookie_get_name (ca), soup_cookie_get_name (cb));
}

/* --- The window ------------------------------------------------------------------------------ */

static void
ladle_cookies_view_dispose (GObject *object)
{
  LadleCookiesView *self = LADLE_COOKIES_VIEW (object);

  if (self->jar != NULL)
    g_signal_handlers_disconnect_by_data (self->jar, self);
  g_clear_object (&self->jar);
  g_clear_pointer (&self->owner, g_free);
  self->toast = NULL;
  g_clear_pointer (&self->rows, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), LADLE_TYPE_COOKIES_VIEW);

  G_OBJECT_CLASS (ladle_cookies_view_parent_class)->dispose (object);
}

static void
ladle_cookies_view_class_init (LadleCookiesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ladle_cookies_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ladle/Ladle/ladle-cookies-view.ui");
  gtk_widget_class_bind_template_child (widget_class, LadleCookiesView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LadleCookiesView, window_title);
  gtk_widget_class_bind_template_child (widget_class, LadleCookiesView, owner_label);
  gtk_widget_class_bind_template_child (widget_class, LadleCookiesView, problem_label);
  gtk_widget_class_bind_template_child (widget_class, LadleCookiesView, delete_all_button);
  gtk_widget_class_bind_template_child (widget_class, LadleCookiesView, stack);
  gtk_widget_class_bind_template_child (widget_class, LadleCookiesView, list);
  gtk_widget_class_bind_template_callback (widget_class, on_delete_all);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ladle_cookies_view_init (LadleCookiesView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_list_box_set_sort_func (self->list, sort_rows, NULL, NULL);
}

LadleCookiesView *
ladle_cookies_view_new (GtkWindow     *parent,
                        SoupCookieJar *jar)
{
  LadleCookiesView *self;

  g_return_val_if_fail (SOUP_IS_COOKIE_JAR (jar), NULL);

  self = g_object_new (LADLE_TYPE_COOKIES_VIEW, "transient-for", parent, NULL);
  ladle_cookies_view_set_jar (self, jar, NULL);
  return self;
}

/**
 * ladle_cookies_view_set_jar:
 * @jar: the jar to show from now on (the window's switched workspace's)
 * @owner: (nullable): whose jar it is, shown above the cookies
 *
 * Shows @jar's cookies instead of the previous jar's. An Undo offered for the previous jar is
 * withdrawn (it would restore its cookies into this one).
 */
void
ladle_cookies_view_set_jar (LadleCookiesView *self,
                            SoupCookieJar    *jar,
                            const char       *owner)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GtkWidget *child;
  GSList *cookies;

  g_return_if_fail (LADLE_IS_COOKIES_VIEW (self));
  g_return_if_fail (SOUP_IS_COOKIE_JAR (jar));

  g_free (self->owner);
  self->owner = g_strdup (owner);
  if (self->jar == jar)
    {
      update_state (self);
      return;
    }

  if (self->jar != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->jar, self);
      if (self->toast != NULL)
        adw_toast_dismiss (self->toast);
      self->toast = NULL;
    }
  g_set_object (&self->jar, jar);
  g_hash_table_remove_all (self->rows);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);

  cookies = soup_cookie_jar_all_cookies (jar);
  for (GSList *l = cookies; l != NULL; l = l->next)
    {
      GDateTime *expires = soup_cookie_get_expires (l->data);

      if (expires == NULL || g_date_time_compare (expires, now) > 0)
        add_cookie_row (self, l->data);
    }
  g_slist_free_full (cookies, (GDestroyNotify) soup_cookie_free);
  g_signal_connect (jar, "changed", G_CALLBACK (jar_changed_cb), self);
  update_state (self);
}

SoupCookieJar *
ladle_cookies_view_get_jar (LadleCookiesView *self)
{
  g_return_val_if_fail (LADLE_IS_COOKIES_VIEW (self), NULL);

  return self->jar;
}

/**
 * ladle_cookies_view_set_problem:
 * @problem: (nullable): what is wrong with the jar's file (it did not read whole, or could not be
 *   saved), shown under whose jar it is; %NULL hides it
 */
void
ladle_cookies_view_set_problem (LadleCookiesView *self,
                                const char       *problem)
{
  g_return_if_fail (LADLE_IS_COOKIES_VIEW (self));

  gtk_label_set_label (self->problem_label, problem != NULL ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), problem != NULL);
}

AdwExpanderRow *
ladle_cookies_view_find_row (LadleCookiesView *self,
                             const char       *domain,
                             const char       *path,
                             const char       *name)
{
  g_autofree char *key = g_strdup_printf ("%s\n%s\n%s", domain, path, name);

  g_return_val_if_fail (LADLE_IS_COOKIES_VIEW (self), NULL);

  return g_hash_table_lookup (self->rows, key);
}
