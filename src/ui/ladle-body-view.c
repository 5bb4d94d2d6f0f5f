/* ladle-body-view.c
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
#include "ladle-body-view.h"
#include "ladle-body-viewer.h"
#include "ladle-json.h"
#include "ladle-ui-util.h"

/* One way to show a body, wherever Ladle shows one: a response, a request the server received, a
 * WebSocket message. Given bytes or a file, a content type and the whole size (a server keeps
 * only the head of a large body), it picks how (ladle_body_sniff()):
 *
 * - a body up to LADLE_BODY_INLINE_LIMIT is text in a GtkSourceView, highlighted by its type,
 *   inserted in pieces of about 512 KiB cut at newlines from an idle callback, its long lines
 *   broken (doc/STACK.md §11): JSON pretty-printed in a worker thread (Raw shows it as it came);
 * - binary bytes are a hexadecimal dump (`hexdump -C`), up to LADLE_BODY_HEX_LIMIT as text;
 * - an image small enough is a picture;
 * - anything larger goes whole to a LadleBodyViewer, whose cost does not grow with the body
 *   (it only loses the highlighting).
 *
 * A head of a longer body says so and is never pretty-printed (cut JSON is not JSON). The main
 * loop is never blocked: files are read, and JSON parsed, off it. */

#define CHUNK_SIZE (512 * 1024)

struct _LadleBodyView
{
  AdwBin                  parent_instance;

  /* Template widgets */
  GtkSourceBuffer        *body_buffer;
  GtkLabel               *body_notice;
  AdwStatusPage          *empty_page;
  GtkStack               *body_stack;
  GtkSourceView          *body_view;
  LadleBodyViewer        *body_viewer;
  GtkPicture             *image_picture;
  GtkSearchBar           *search_bar;
  GtkSearchEntry         *search_entry;
  GtkLabel               *search_label;

  /* Owned references */
  GBytes                 *bytes;          /* the body in memory, or… */
  GFile                  *file;           /* …in this file */
  GBytes                 *head;           /* its first bytes, what the text view shows */
  char                   *content_type;
  GCancellable           *cancellable;    /* of the reads and the formatting under way */
  GtkSourceSearchContext *search;
  char                   *pending_text;   /* being inserted into body_buffer */
  char                   *empty_method;   /* what an empty body answered, to say why */
  guint                   empty_status;

  guint64                 size;           /* of the whole body, even when only a head is here */
  gsize                   pending_len;
  gsize                   pending_offset;
  guint                   insert_id;
  LadleBodySniff          sniff;
  gboolean                has_body;
  gboolean                raw;
  gboolean                ready;
  gboolean                in_viewer;
};

G_DEFINE_FINAL_TYPE (LadleBodyView, ladle_body_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_READY,
  PROP_RAW,
  PROP_CAN_PRETTY,
  PROP_IN_VIEWER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void render (LadleBodyView *self);

/* ------------------------------------------------------------------------------------------------
 * State
 */

static void
set_ready (LadleBodyView *self,
           gboolean       ready)
{
  if (self->ready == ready)
    return;
  self->ready = ready;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

static void
set_in_viewer (LadleBodyView *self,
               gboolean       in_viewer)
{
  if (self->in_viewer == in_viewer)
    return;
  self->in_viewer = in_viewer;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IN_VIEWER]);
}

static void
set_notice (LadleBodyView *self,
            const char    *text)
{
  gtk_label_set_text (self->body_notice, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->body_notice), text != NULL && *text != '\0');
}

/* Whether the body is all here (not the head of a longer one) */
static gboolean
is_complete (LadleBodyView *self)
{
  gsize len = self->bytes != NULL ? g_bytes_get_size (self->bytes) : 0;

  return self->file != NULL || len >= self->size;
}

/* Stops whatever is being read, formatted or inserted, and empties the views. */
static void
stop (LadleBodyView *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_handle_id (&self->insert_id, g_source_remove);
  g_clear_pointer (&self->pending_text, g_free);
  self->pending_len = self->pending_offset = 0;
  if (self->in_viewer)
    ladle_body_viewer_clear (self->body_viewer);
  set_in_viewer (self, FALSE);
  set_ready (self, FALSE);
  gtk_picture_set_paintable (self->image_picture, NULL);
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->body_buffer), "", 0);
  gtk_stack_set_visible_child_name (self->body_stack, "text");
  set_notice (self, NULL);
}

/* ------------------------------------------------------------------------------------------------
 * Text, inserted in pieces
 */

static gboolean
insert_chunk_cb (gpointer data)
{
  LadleBodyView *self = data;
  GtkTextIter end;
  gsize n = MIN (CHUNK_SIZE, self->pending_len - self->pending_offset);
  const char *start = self->pending_text + self->pending_offset;

  /* Cut after a newline when there is one in the piece, else at a character boundary. */
  if (self->pending_offset + n < self->pending_len)
    {
      const char *nl = g_strrstr_len (start, n, "\n");

      if (nl != NULL)
        n = nl - start + 1;
      else
        n = g_utf8_find_prev_char (start, start + n) - start;
    }

  gtk_text_buffer_get_end_iter (GTK_TEXT_BUFFER (self->body_buffer), &end);
  gtk_text_buffer_insert (GTK_TEXT_BUFFER (self->body_buffer), &end, start, n);
  self->pending_offset += n;

  if (self->pending_offset < self->pending_len)
    return G_SOURCE_CONTINUE;

  g_clear_pointer (&self->pending_text, g_free);
  self->insert_id = 0;
  {
    GtkTextIter begin;

    gtk_text_buffer_get_start_iter (GTK_TEXT_BUFFER (self->body_buffer), &begin);
    gtk_text_buffer_place_cursor (GTK_TEXT_BUFFER (self->body_buffer), &begin);
  }
  set_ready (self, TRUE);
  return G_SOURCE_REMOVE;
}

/* Shows @text (any bytes: made valid UTF-8) in the text view, highlighted as @language_id or
 * @mime_type (both nullable), with @notice over it. */
static void
show_text (LadleBodyView *self,
           const char    *text,
           gsize          len,
           const char    *language_id,
           const char    *mime_type,
           const char    *notice)
{
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();
  GtkSourceLanguage *language = NULL;
  g_autoptr(GString) note = g_string_new (notice);
  g_autofree char *valid = NULL;
  gsize valid_len = 0;
  gboolean broken = FALSE;

  g_clear_handle_id (&self->insert_id, g_source_remove);
  g_clear_pointer (&self->pending_text, g_free);
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->body_buffer), "", 0);
  gtk_stack_set_visible_child_name (self->body_stack, "text");

  valid = ladle_body_dup_valid_text ((const guint8 *) text, len, &valid_len);
  self->pending_text = ladle_body_break_long_lines (valid, valid_len, LADLE_BODY_LONG_LINE,
                                                   &self->pending_len, &broken);
  self->pending_offset = 0;
  if (broken)
    {
      if (note->len > 0)
        g_string_append_c (note, ' ');
      g_string_append (note, _("Long lines are broken for display."));
    }
  set_notice (self, note->str);

  if (language_id != NULL)
    language = gtk_source_language_manager_get_language (languages, language_id);
  else if (mime_type != NULL && !g_str_equal (mime_type, "text/plain"))
    language = gtk_source_language_manager_guess_language (languages, NULL, mime_type);
  gtk_source_buffer_set_language (self->body_buffer, language);
  gtk_source_buffer_set_highlight_syntax (self->body_buffer, language != NULL);

  if (self->pending_len == 0)
    {
      g_clear_pointer (&self->pending_text, g_free);
      set_ready (self, TRUE);
      return;
    }
  self->insert_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, insert_chunk_cb, self, NULL);
}

/* ------------------------------------------------------------------------------------------------
 * Choosing how
 */

static void
show_hex (LadleBodyView *self)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (self->head, &len);
  g_autofree char *dump = ladle_body_hex_dump (data, MIN (len, LADLE_BODY_HEX_LIMIT));
  g_autofree char *size_text = g_format_size (self->size);
  g_autofree char *shown_text = g_format_size (MIN (len, LADLE_BODY_HEX_LIMIT));
  g_autofree char *notice = NULL;

  if (self->size > MIN (len, LADLE_BODY_HEX_LIMIT))
    /* Translators: "Binary body of 2.1 MB: the first 64.0 kB in hexadecimal." */
    notice = g_strdup_printf (_("Binary body of %s: the first %s in hexadecimal."), size_text,
                              shown_text);
  else
    /* Translators: %s is a size such as "2.1 kB" */
    notice = g_strdup_printf (_("Binary body of %s, in hexadecimal."), size_text);
  show_text (self, dump, strlen (dump), NULL, NULL, notice);
}

static void
show_head_raw (LadleBodyView *self)
{
  g_autofree char *mime_type = ladle_body_dup_mime_type (self->content_type);
  g_autofree char *notice = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (self->head, &len);

  if (self->sniff == LADLE_BODY_SNIFF_BINARY)
    {
      show_hex (self);
      return;
    }

  notice = ladle_body_dup_partial_notice (len, self->size);
  show_text (self, data, len, self->sniff == LADLE_BODY_SNIFF_JSON ? "json" : NULL, mime_type,
             notice);
}

static void
pretty_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(LadleBodyView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = ladle_json_pretty_finish (result, &error);
  gsize len;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    return;

  if (text == NULL)
    {
      /* Not JSON after all: as it came, with a word why. */
      show_head_raw (self);
      set_notice (self, error->message);
      return;
    }

  len = strlen (text);
  show_text (self, text, MIN (len, LADLE_BODY_VIEW_PRETTY_LIMIT), "json", NULL,
             len > LADLE_BODY_VIEW_PRETTY_LIMIT
             ? _("Only the first part of the formatted body is shown.") : NULL);
}

static gboolean
show_image (LadleBodyView *self)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *size = NULL;
  g_autofree char *notice = NULL;

  if (g_bytes_get_size (self->head) != self->size)
    return FALSE;
  texture = gdk_texture_new_from_bytes (self->head, NULL);
  if (texture == NULL)
    return FALSE;

  size = g_format_size (self->size);
  /* Translators: an image's width × height in pixels, and its size */
  notice = g_strdup_printf (_("Image, %d × %d pixels, %s"), gdk_texture_get_width (texture),
                            gdk_texture_get_height (texture), size);
  gtk_picture_set_paintable (self->image_picture, GDK_PAINTABLE (texture));
  gtk_stack_set_visible_child_name (self->body_stack, "image");
  set_notice (self, notice);
  set_ready (self, TRUE);
  return TRUE;
}

/* With the head read: the text view, a picture or pretty JSON. */
static void
render (LadleBodyView *self)
{
  if (self->head == NULL)
    return;

  if (self->sniff == LADLE_BODY_SNIFF_IMAGE)
    {
      gsize len = 0;
      const guint8 *data = g_bytes_get_data (self->head, &len);

      if (show_image (self))
        return;
      /* Not a picture GTK can read: what the bytes look like */
      self->sniff = ladle_body_sniff (NULL, data, len, len >= self->size);
    }

  if (ladle_body_view_get_can_pretty (self) && !self->raw)
    {
      set_notice (self, NULL);
      ladle_json_pretty_async (self, self->head, NULL, self->cancellable, pretty_cb,
                               g_object_ref (self));
      return;
    }

  show_head_raw (self);
}

static LadleBodyViewerMode
viewer_mode (LadleBodyView *self)
{
  if (self->sniff == LADLE_BODY_SNIFF_BINARY)
    return LADLE_BODY_VIEWER_HEX;
  if (self->raw || !ladle_body_view_get_can_pretty (self))
    return LADLE_BODY_VIEWER_RAW;
  return LADLE_BODY_VIEWER_PRETTY;
}

/* Large bodies, and binary ones beyond the hexadecimal text, go whole to the viewer (except
 * pictures small enough to show as such). */
static gboolean
wants_viewer (LadleBodyView *self)
{
  gsize len = self->bytes != NULL ? g_bytes_get_size (self->bytes) : self->size;

  if (self->sniff == LADLE_BODY_SNIFF_IMAGE && self->size <= LADLE_BODY_VIEW_PRETTY_LIMIT &&
      is_complete (self))
    return FALSE;
  if (self->sniff == LADLE_BODY_SNIFF_BINARY)
    return len > LADLE_BODY_HEX_LIMIT;
  return len > LADLE_BODY_INLINE_LIMIT;
}

static void
show_in_viewer (LadleBodyView *self)
{
  g_autoptr(GString) notice = g_string_new (NULL);
  g_autofree char *partial = NULL;
  /* The viewer formats what it is told is JSON: a head cut short is not */
  const char *type = self->sniff == LADLE_BODY_SNIFF_JSON && is_complete (self)
                     ? "application/json" : "text/plain";

  set_in_viewer (self, TRUE);
  ladle_body_viewer_set_mode (self->body_viewer, viewer_mode (self));
  if (self->bytes != NULL)
    ladle_body_viewer_set_bytes (self->body_viewer, self->bytes, type);
  else
    ladle_body_viewer_set_file (self->body_viewer, self->file, type);
  gtk_stack_set_visible_child_name (self->body_stack, "viewer");

  if (self->sniff != LADLE_BODY_SNIFF_BINARY)
    g_string_append (notice, _("Large body: highlighting is off."));
  if (self->bytes != NULL)
    partial = ladle_body_dup_partial_notice (g_bytes_get_size (self->bytes), self->size);
  if (partial != NULL)
    {
      if (notice->len > 0)
        g_string_append_c (notice, ' ');
      g_string_append (notice, partial);
    }
  set_notice (self, notice->str);
  set_ready (self, !ladle_body_viewer_get_busy (self->body_viewer));
}

static void
file_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(LadleBodyView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_file_load_bytes_finish (G_FILE (source), result, NULL, &error);
  const guint8 *data;
  gsize len = 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (bytes == NULL)
    {
      set_notice (self, error->message);
      set_ready (self, TRUE);
      return;
    }

  /* Now all of it is known */
  g_clear_pointer (&self->head, g_bytes_unref);
  self->head = g_steal_pointer (&bytes);
  data = g_bytes_get_data (self->head, &len);
  self->size = len;
  self->sniff = ladle_body_sniff (self->content_type, data, len, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_PRETTY]);
  render (self);
}

/* Why a body is empty, when the exchange it came from tells (HEAD, 204, 304) */
static char *
dup_empty_reason (LadleBodyView *self)
{
  if (g_strcmp0 (self->empty_method, "HEAD") == 0)
    return g_strdup (_("A response to HEAD has headers only."));
  switch (self->empty_status)
    {
    case 204:
      return g_strdup (_("204 No Content: the server answers without a body."));
    case 205:
      return g_strdup (_("205 Reset Content: the server answers without a body."));
    case 304:
      return g_strdup (_("304 Not Modified: no body is sent; the client uses the copy it has."));
    default:
      return NULL;
    }
}

/* Shows the body set last, from the start. */
static void
show (LadleBodyView *self)
{
  stop (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_PRETTY]);

  if (!self->has_body)
    return;

  if (self->size == 0)
    {
      g_autofree char *why = dup_empty_reason (self);

      /* Not a blank pane: a placeholder that says so */
      adw_status_page_set_description (self->empty_page, why);
      gtk_stack_set_visible_child_name (self->body_stack, "empty");
      set_ready (self, TRUE);
      return;
    }

  if (wants_viewer (self))
    {
      show_in_viewer (self);
      return;
    }

  if (self->bytes != NULL)
    {
      gsize len = MIN (g_bytes_get_size (self->bytes), LADLE_BODY_VIEW_PRETTY_LIMIT);

      g_clear_pointer (&self->head, g_bytes_unref);
      self->head = g_bytes_new_from_bytes (self->bytes, 0, len);
      render (self);
    }
  else
    /* Small enough for the text view (or a picture): read whole */
    g_file_load_bytes_async (self->file, self->cancellable, file_loaded_cb, g_object_ref (self));
}

static void
take_body (LadleBodyView *self,
           GBytes        *bytes,
           GFile         *file,
           const char    *content_type,
           guint64        size,
           GBytes        *head)
{
  const guint8 *data;
  gsize len = 0;

  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_object (&self->file);
  g_clear_pointer (&self->head, g_bytes_unref);
  g_clear_pointer (&self->content_type, g_free);

  self->bytes = bytes != NULL ? g_bytes_ref (bytes) : NULL;
  self->file = file != NULL ? g_object_ref (file) : NULL;
  self->content_type = g_strdup (content_type);
  self->size = size;
  self->has_body = TRUE;
  if (head != NULL)
    self->head = g_bytes_ref (head);
  else if (bytes != NULL)
    self->head = g_bytes_ref (bytes);

  data = self->head != NULL ? g_bytes_get_data (self->head, &len) : NULL;
  self->sniff = ladle_body_sniff (content_type, data, len,
                                  self->head != NULL && g_bytes_get_size (self->head) >= size);
}

/* ------------------------------------------------------------------------------------------------
 * Search
 */

static void
update_search_label (LadleBodyView *self)
{
  int count = gtk_source_search_context_get_occurrences_count (self->search);

  if (count < 0 || *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) == '\0')
    gtk_label_set_text (self->search_label, "");
  else
    {
      g_autofree char *text = g_strdup_printf (ngettext ("%d match", "%d matches", count), count);

      gtk_label_set_text (self->search_label, text);
    }
}

static void search_move (LadleBodyView *self,
                         gboolean       forward);

/* Finds as the user types: from the start, the first match is selected and scrolled to */
static void
on_search_changed (LadleBodyView *self)
{
  GtkSourceSearchSettings *settings = gtk_source_search_context_get_settings (self->search);
  GtkTextIter start;

  gtk_source_search_settings_set_search_text (settings,
                                              gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  gtk_text_buffer_get_start_iter (GTK_TEXT_BUFFER (self->body_buffer), &start);
  gtk_text_buffer_place_cursor (GTK_TEXT_BUFFER (self->body_buffer), &start);
  search_move (self, TRUE);
}

static void
search_move (LadleBodyView *self,
             gboolean       forward)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->body_buffer);
  GtkTextIter sel_start, sel_end, match_start, match_end;
  gboolean wrapped;
  gboolean found;

  gtk_text_buffer_get_selection_bounds (buffer, &sel_start, &sel_end);
  if (forward)
    found = gtk_source_search_context_forward (self->search, &sel_end, &match_start, &match_end,
                                               &wrapped);
  else
    found = gtk_source_search_context_backward (self->search, &sel_start, &match_start,
                                                &match_end, &wrapped);
  if (found)
    {
      gtk_text_buffer_select_range (buffer, &match_start, &match_end);
      /* In the middle of the view, as editors show a hit; through the insert mark, so that it
       * waits for the lines to be measured */
      gtk_text_view_scroll_to_mark (GTK_TEXT_VIEW (self->body_view),
                                    gtk_text_buffer_get_insert (buffer), 0, TRUE, 0.0, 0.5);
    }
}

static void
on_search_next (LadleBodyView *self)
{
  search_move (self, TRUE);
}

static void
on_search_previous (LadleBodyView *self)
{
  search_move (self, FALSE);
}

static void
on_search_stop (LadleBodyView *self)
{
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

static void
on_search_mode (LadleBodyView *self)
{
  gboolean enabled = gtk_search_bar_get_search_mode (self->search_bar);

  gtk_source_search_context_set_highlight (self->search, enabled);
  if (enabled && self->in_viewer)
    {
      /* The viewer has a search bar of its own, over the whole body */
      gtk_search_bar_set_search_mode (self->search_bar, FALSE);
      ladle_body_viewer_begin_search (self->body_viewer);
    }
  else if (enabled)
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
on_viewer_busy (LadleBodyView *self)
{
  if (self->in_viewer)
    set_ready (self, !ladle_body_viewer_get_busy (self->body_viewer));
}

/* ------------------------------------------------------------------------------------------------
 * GObject
 */

static void
ladle_body_view_dispose (GObject *object)
{
  LadleBodyView *self = LADLE_BODY_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->insert_id, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), LADLE_TYPE_BODY_VIEW);

  g_clear_object (&self->search);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->file);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->head, g_bytes_unref);
  g_clear_pointer (&self->content_type, g_free);
  g_clear_pointer (&self->pending_text, g_free);
  g_clear_pointer (&self->empty_method, g_free);

  G_OBJECT_CLASS (ladle_body_view_parent_class)->dispose (object);
}

static void
ladle_body_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  LadleBodyView *self = LADLE_BODY_VIEW (object);

  switch (prop_id)
    {
    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;

    case PROP_RAW:
      g_value_set_boolean (value, self->raw);
      break;

    case PROP_CAN_PRETTY:
      g_value_set_boolean (value, ladle_body_view_get_can_pretty (self));
      break;

    case PROP_IN_VIEWER:
      g_value_set_boolean (value, self->in_viewer);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_body_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  LadleBodyView *self = LADLE_BODY_VIEW (object);

  switch (prop_id)
    {
    case PROP_RAW:
      ladle_body_view_set_raw (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_body_view_class_init (LadleBodyViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ladle_body_view_dispose;
  object_class->get_property = ladle_body_view_get_property;
  object_class->set_property = ladle_body_view_set_property;

  /* Everything the view will show is on it (the text inserted, the viewer formatted). */
  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Show JSON as it came rather than pretty-printed. */
  properties[PROP_RAW] =
    g_param_spec_boolean ("raw", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The body has a pretty form (whole JSON): a Raw switch for it makes sense. */
  properties[PROP_CAN_PRETTY] =
    g_param_spec_boolean ("can-pretty", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The body is in the virtualised viewer (it has its own search). */
  properties[PROP_IN_VIEWER] =
    g_param_spec_boolean ("in-viewer", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ladle/Ladle/ladle-body-view.ui");
  gtk_widget_class_bind_template_child (widget_class, LadleBodyView, body_buffer);
  gtk_widget_class_bind_template_child (widget_class, LadleBodyView, body_notice);
  gtk_widget_class_bind_template_child (widget_class, LadleBodyView, body_stack);
  gtk_widget_class_bind_template_child (widget_class, LadleBodyView, body_view);
  gtk_widget_class_bind_template_child (widget_class, LadleBodyView, body_viewer);
  gtk_widget_class_bind_template_child (widget_class, LadleBodyView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, LadleBodyView, image_picture);
  gtk_widget_class_bind_template_child (widget_class, LadleBodyView, search_bar);
  gtk_widget_class_bind_template_child (widget_class, LadleBodyView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, LadleBodyView, search_label);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_mode);
  gtk_widget_class_bind_template_callback (widget_class, on_search_next);
  gtk_widget_class_bind_template_callback (widget_class, on_search_previous);
  gtk_widget_class_bind_template_callback (widget_class, on_search_stop);
  gtk_widget_class_bind_template_callback (widget_class, on_viewer_busy);

  gtk_source_init ();
  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  g_type_ensure (LADLE_TYPE_BODY_VIEWER);
}

static void
ladle_body_view_init (LadleBodyView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->search = gtk_source_search_context_new (self->body_buffer, NULL);
  gtk_source_search_context_set_highlight (self->search, FALSE);
  g_signal_connect_object (self->search, "notify::occurrences-count",
                           G_CALLBACK (update_search_label), self, G_CONNECT_SWAPPED);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  ladle_ui_follow_style (self->body_buffer);
}

GtkWidget *
ladle_body_view_new (void)
{
  return g_object_new (LADLE_TYPE_BODY_VIEW, NULL);
}

/**
 * ladle_body_view_set_bytes:
 * @bytes: the body, or its first bytes when @total_size is larger
 * @content_type: (nullable): its Content-Type
 * @total_size: the size of the whole body (a smaller value counts as the size of @bytes)
 *
 * Shows @bytes, from the start.
 */
void
ladle_body_view_set_bytes (LadleBodyView *self,
                           GBytes        *bytes,
                           const char    *content_type,
                           guint64        total_size)
{
  g_return_if_fail (LADLE_IS_BODY_VIEW (self));
  g_return_if_fail (bytes != NULL);

  take_body (self, bytes, NULL, content_type, MAX (total_size, g_bytes_get_size (bytes)), NULL);
  show (self);
}

/**
 * ladle_body_view_set_file:
 * @file: the whole body
 * @content_type: (nullable): its Content-Type
 * @size: its size
 * @head: (nullable): its first bytes, if known, to tell at once what it is
 *
 * Shows the body in @file, from the start. The file is read in the background, whole only when
 * it is small enough for the text view.
 */
void
ladle_body_view_set_file (LadleBodyView *self,
                          GFile         *file,
                          const char    *content_type,
                          guint64        size,
                          GBytes        *head)
{
  g_return_if_fail (LADLE_IS_BODY_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));

  take_body (self, NULL, file, content_type, size, head);
  show (self);
}

/**
 * ladle_body_view_set_empty_reason:
 * @method: (nullable): the method of the request the next body answers
 * @status: its status, 0 if none
 *
 * Tells what the next bodies answer, so that an empty one can say why it is empty (a response to
 * HEAD, 204, 304); %NULL and 0 for a body that is no response.
 */
void
ladle_body_view_set_empty_reason (LadleBodyView *self,
                                  const char    *method,
                                  guint          status)
{
  g_return_if_fail (LADLE_IS_BODY_VIEW (self));

  g_free (self->empty_method);
  self->empty_method = g_strdup (method);
  self->empty_status = status;
}

/* Shows nothing. */
void
ladle_body_view_clear (LadleBodyView *self)
{
  g_return_if_fail (LADLE_IS_BODY_VIEW (self));

  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_object (&self->file);
  g_clear_pointer (&self->head, g_bytes_unref);
  g_clear_pointer (&self->content_type, g_free);
  self->has_body = FALSE;
  self->size = 0;
  self->sniff = LADLE_BODY_SNIFF_TEXT;
  show (self);
}

/* TRUE once the view holds everything it will show of the body set last. */
gboolean
ladle_body_view_get_ready (LadleBodyView *self)
{
  g_return_val_if_fail (LADLE_IS_BODY_VIEW (self), FALSE);
  return self->has_body && self->ready;
}

gboolean
ladle_body_view_get_raw (LadleBodyView *self)
{
  g_return_val_if_fail (LADLE_IS_BODY_VIEW (self), FALSE);
  return self->raw;
}

void
ladle_body_view_set_raw (LadleBodyView *self,
                         gboolean       raw)
{
  g_return_if_fail (LADLE_IS_BODY_VIEW (self));

  raw = !!raw;
  if (self->raw == raw)
    return;
  self->raw = raw;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RAW]);

  if (!self->has_body || !ladle_body_view_get_can_pretty (self))
    return;
  if (self->in_viewer)
    {
      ladle_body_viewer_set_mode (self->body_viewer, viewer_mode (self));
      set_ready (self, !ladle_body_viewer_get_busy (self->body_viewer));
      return;
    }

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_ready (self, FALSE);
  render (self);
}

/* Whether the body has a pretty form: JSON, all of it. */
gboolean
ladle_body_view_get_can_pretty (LadleBodyView *self)
{
  g_return_val_if_fail (LADLE_IS_BODY_VIEW (self), FALSE);
  return self->has_body && self->sniff == LADLE_BODY_SNIFF_JSON && is_complete (self);
}

gboolean
ladle_body_view_get_in_viewer (LadleBodyView *self)
{
  g_return_val_if_fail (LADLE_IS_BODY_VIEW (self), FALSE);
  return self->in_viewer;
}

/* Opens the search of the text view, or of the viewer when the body is there. */
void
ladle_body_view_begin_search (LadleBodyView *self)
{
  g_return_if_fail (LADLE_IS_BODY_VIEW (self));

  if (!self->has_body)
    return;
  if (self->in_viewer)
    {
      ladle_body_viewer_begin_search (self->body_viewer);
      return;
    }
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}
