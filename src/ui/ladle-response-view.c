/* ladle-response-view.c
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

#include "ladle-response-view.h"

#include "ladle-body-viewer.h"
#include "ladle-timing-view.h"

/* The response pane. Four states (empty, running, error, response); the response has sub-views
 * for the body, headers, timing waterfall and redirects.
 *
 * The body never blocks the main loop (doc/STACK.md §11): JSON is pretty-printed in a worker
 * thread, text goes into the buffer in pieces of about 512 KiB cut at newlines from an idle
 * callback, lines longer than LONG_LINE are broken, binary bodies a hex dump, images a picture.
 * Bodies above LADLE_BODY_VIEWER_THRESHOLD go whole to a LadleBodyViewer instead, whose cost does
 * not grow with the body (it only loses the highlighting). */

#define CHUNK_SIZE (512 * 1024)
#define LONG_LINE  (16 * 1024)
#define HEX_LIMIT  (64 * 1024)

struct _LadleResponseView
{
  AdwBin                  parent_instance;

  /* Template widgets */
  GtkSourceBuffer        *body_buffer;
  GtkLabel               *body_notice;
  LadleBodyViewer        *body_viewer;
  GtkStack               *body_stack;
  GtkSourceView          *body_view;
  GtkLabel               *error_label;
  GtkListBox             *headers_list;
  GtkPicture             *image_picture;
  GtkLabel               *phase_label;
  GtkProgressBar         *progress_bar;
  GtkLabel               *progress_label;
  GtkToggleButton        *raw_button;
  GtkListBox             *redirects_list;
  GtkSearchBar           *search_bar;
  GtkToggleButton        *search_button;
  GtkSearchEntry         *search_entry;
  GtkLabel               *search_label;
  GtkLabel               *size_label;
  GtkLabel               *sizes_label;
  GtkSpinner             *spinner;
  GtkStack               *state_stack;
  GtkLabel               *status_badge;
  GtkLabel               *time_label;
  LadleTimingView        *timing_view;
  GtkStack               *view_stack;
  GtkStackSwitcher       *view_switcher;

  /* Owned references */
  LadleExchange          *exchange;
  LadleResponse          *response;
  GCancellable           *cancellable;
  GtkSourceSearchContext *search;
  GBytes                 *head;           /* the body bytes shown (at most the display limit) */
  char                   *pending_text;   /* being inserted into body_buffer */
  gsize                   pending_len;
  gsize                   pending_offset;
  guint                   insert_id;
  gboolean                body_ready;
  gboolean                use_viewer;     /* the body is in body_viewer */
};

G_DEFINE_FINAL_TYPE (LadleResponseView, ladle_response_view, ADW_TYPE_BIN)

static void
on_dark_changed (GtkSourceBuffer *buffer,
                 GParamSpec      *pspec,
                 AdwStyleManager *manager)
{
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  const char *id = adw_style_manager_get_dark (manager) ? "Adwaita-dark" : "Adwaita";

  gtk_source_buffer_set_style_scheme (buffer,
                                      gtk_source_style_scheme_manager_get_scheme (schemes, id));
}

void
ladle_response_view_follow_style (GtkSourceBuffer *buffer)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();

  g_return_if_fail (GTK_SOURCE_IS_BUFFER (buffer));

  g_signal_connect_object (manager, "notify::dark", G_CALLBACK (on_dark_changed), buffer,
                           G_CONNECT_SWAPPED);
  on_dark_changed (buffer, NULL, manager);
}

/* GtkStackSwitcher makes its buttons as wide as the widest: tabs sized to their labels fit
 * narrow panes (360 px) better. */
void
ladle_response_view_compact_switcher (GtkStackSwitcher *switcher)
{
  GtkLayoutManager *layout;

  g_return_if_fail (GTK_IS_STACK_SWITCHER (switcher));

  layout = gtk_widget_get_layout_manager (GTK_WIDGET (switcher));
  if (GTK_IS_BOX_LAYOUT (layout))
    gtk_box_layout_set_homogeneous (GTK_BOX_LAYOUT (layout), FALSE);
}

static gboolean
is_json_type (const char *content_type)
{
  return content_type != NULL &&
         (g_str_has_prefix (content_type, "application/json") ||
          (g_str_has_prefix (content_type, "application/") && strstr (content_type, "+json")));
}

static char *
dup_mime_type (const char *content_type)
{
  const char *semi;

  if (content_type == NULL)
    return NULL;
  semi = strchr (content_type, ';');
  return g_strstrip (semi ? g_strndup (content_type, semi - content_type) : g_strdup (content_type));
}

static char *
format_duration (gint64 usec)
{
  if (usec < G_USEC_PER_SEC)
    /* Translators: a duration in milliseconds */
    return g_strdup_printf (_("%.0f ms"), usec / 1000.0);
  /* Translators: a duration in seconds */
  return g_strdup_printf (_("%.2f s"), usec / (double) G_USEC_PER_SEC);
}

static void
set_notice (LadleResponseView *self,
            const char        *text)
{
  g_assert (LADLE_IS_RESPONSE_VIEW (self));

  gtk_label_set_text (self->body_notice, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->body_notice), text != NULL);
}

/* ------------------------------------------------------------------------------------------------
 * Body text, inserted in pieces
 */

static void
stop_body (LadleResponseView *self)
{
  g_assert (LADLE_IS_RESPONSE_VIEW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_handle_id (&self->insert_id, g_source_remove);
  g_clear_pointer (&self->pending_text, g_free);
  self->pending_len = self->pending_offset = 0;
  self->body_ready = FALSE;
  if (self->use_viewer)
    ladle_body_viewer_clear (self->body_viewer);
  self->use_viewer = FALSE;
}

static gboolean
insert_chunk_cb (gpointer data)
{
  LadleResponseView *self = data;
  GtkTextIter end;
  gsize n = MIN (CHUNK_SIZE, self->pending_len - self->pending_offset);
  const char *start = self->pending_text + self->pending_offset;

  g_assert (LADLE_IS_RESPONSE_VIEW (self));

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
  self->body_ready = TRUE;
  {
    GtkTextIter begin;

    gtk_text_buffer_get_start_iter (GTK_TEXT_BUFFER (self->body_buffer), &begin);
    gtk_text_buffer_place_cursor (GTK_TEXT_BUFFER (self->body_buffer), &begin);
  }
  return G_SOURCE_REMOVE;
}

/* Breaks lines longer than LONG_LINE bytes (GtkTextView lays out whole lines: doc/STACK.md §11). */
static char *
break_long_lines (const char *text,
                  gsize       len,
                  gsize      *out_len,
                  gboolean   *out_broken)
{
  GString *out = NULL;
  const char *line = text;
  const char *end = text + len;

  *out_broken = FALSE;
  while (line < end)
    {
      const char *nl = memchr (line, '\n', end - line);
      const char *line_end = nl ? nl : end;

      if ((gsize) (line_end - line) > LONG_LINE)
        {
          if (out == NULL)
            out = g_string_new_len (text, line - text);
          while ((gsize) (line_end - line) > LONG_LINE)
            {
              const char *cut = g_utf8_find_prev_char (line, line + LONG_LINE);

              if (cut == NULL || cut == line)
                cut = line + LONG_LINE;
              g_string_append_len (out, line, cut - line);
              g_string_append_c (out, '\n');
              line = cut;
            }
          *out_broken = TRUE;
        }
      if (out != NULL)
        g_string_append_len (out, line, line_end - line + (nl ? 1 : 0));
      line = nl ? nl + 1 : end;
    }

  if (out == NULL)
    {
      *out_len = len;
      return g_strndup (text, len);
    }
  *out_len = out->len;
  return g_string_free (out, FALSE);
}

/* Takes @text (valid UTF-8 or not) and shows it with @language (nullable). */
static void
show_text (LadleResponseView *self,
           const char        *text,
           gsize              len,
           const char        *language_id,
           const char        *mime_type,
           const char        *notice)
{
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();
  GtkSourceLanguage *language = NULL;
  g_autofree char *valid = NULL;
  g_autoptr(GString) note = g_string_new (notice);
  gboolean broken = FALSE;

  g_assert (LADLE_IS_RESPONSE_VIEW (self));

  g_clear_handle_id (&self->insert_id, g_source_remove);
  g_clear_pointer (&self->pending_text, g_free);
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->body_buffer), "", 0);
  gtk_stack_set_visible_child_name (self->body_stack, "text");

  if (len > LADLE_RESPONSE_VIEW_DISPLAY_LIMIT)
    len = LADLE_RESPONSE_VIEW_DISPLAY_LIMIT;
  if (!g_utf8_validate_len (text, len, NULL))
    {
      valid = g_utf8_make_valid (text, len);
      text = valid;
      len = strlen (valid);
    }

  self->pending_text = break_long_lines (text, len, &self->pending_len, &broken);
  self->pending_offset = 0;
  if (broken)
    {
      if (note->len > 0)
        g_string_append (note, " ");
      g_string_append (note, _("Long lines are broken for display."));
    }
  set_notice (self, note->len > 0 ? note->str : NULL);

  if (language_id != NULL)
    language = gtk_source_language_manager_get_language (languages, language_id);
  else if (mime_type != NULL && !g_str_equal (mime_type, "text/plain"))
    language = gtk_source_language_manager_guess_language (languages, NULL, mime_type);
  gtk_source_buffer_set_language (self->body_buffer, language);
  gtk_source_buffer_set_highlight_syntax (self->body_buffer, language != NULL);

  if (self->pending_len == 0)
    {
      g_clear_pointer (&self->pending_text, g_free);
      self->body_ready = TRUE;
      return;
    }
  self->insert_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, insert_chunk_cb, self, NULL);
}

static char *
hex_dump (const guint8 *data,
          gsize         len)
{
  GString *out = g_string_sized_new (len / 16 * 80 + 80);

  for (gsize row = 0; row < len; row += 16)
    {
      g_string_append_printf (out, "%08" G_GSIZE_MODIFIER "x  ", row);
      for (gsize i = 0; i < 16; i++)
        {
          if (row + i < len)
            g_string_append_printf (out, "%02x ", data[row + i]);
          else
            g_string_append (out, "   ");
          if (i == 7)
            g_string_append_c (out, ' ');
        }
      g_string_append (out, " |");
      for (gsize i = 0; i < 16 && row + i < len; i++)
        g_string_append_c (out, g_ascii_isprint (data[row + i]) ? data[row + i] : '.');
      g_string_append (out, "|\n");
    }

  return g_string_free (out, FALSE);
}

static char *
dup_truncation_notice (LadleResponseView *self,
                       gsize              shown)
{
  guint64 size = ladle_response_get_body_size (self->response);
  g_autofree char *shown_text = NULL;
  g_autofree char *size_text = NULL;

  if (shown >= size)
    return NULL;
  shown_text = g_format_size (shown);
  size_text = g_format_size (size);
  /* Translators: "Showing the first 5.2 MB of 40.1 MB." */
  return g_strdup_printf (_("Showing the first %s of %s."), shown_text, size_text);
}

static void
show_head_raw (LadleResponseView *self)
{
  g_autofree char *mime_type = dup_mime_type (ladle_response_get_content_type (self->response));
  g_autofree char *notice = NULL;
  const guint8 *data;
  gsize len;

  g_assert (LADLE_IS_RESPONSE_VIEW (self));

  data = g_bytes_get_data (self->head, &len);

  if (ladle_response_looks_binary (self->response))
    {
      g_autofree char *dump = hex_dump (data, MIN (len, HEX_LIMIT));
      g_autofree char *size_text = g_format_size (ladle_response_get_body_size (self->response));

      if (ladle_response_get_body_size (self->response) > HEX_LIMIT)
        /* Translators: %s is a size such as "2.1 MB" */
        notice = g_strdup_printf (_("Binary body of %s: the first 64 KiB in hexadecimal."),
                                  size_text);
      else
        notice = g_strdup_printf (_("Binary body of %s, in hexadecimal."), size_text);
      show_text (self, dump, strlen (dump), NULL, NULL, notice);
      return;
    }

  notice = dup_truncation_notice (self, len);
  show_text (self, (const char *) data, len, is_json_type (mime_type) ? "json" : NULL, mime_type,
             notice);
}

static void
pretty_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(LadleResponseView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = ladle_response_pretty_json_finish (LADLE_RESPONSE (source), result,
                                                             &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      LADLE_RESPONSE (source) != self->response)
    return;

  if (text == NULL)
    {
      /* Not JSON after all: as it came, with a word why. */
      show_head_raw (self);
      set_notice (self, error->message);
      return;
    }

  show_text (self, text, strlen (text), "json", NULL,
             strlen (text) > LADLE_RESPONSE_VIEW_DISPLAY_LIMIT
             ? _("Only the first part of the formatted body is shown.") : NULL);
}

static void
render_body (LadleResponseView *self)
{
  g_autofree char *mime_type = NULL;
  gboolean pretty;

  g_assert (LADLE_IS_RESPONSE_VIEW (self));

  if (self->response == NULL || self->head == NULL)
    return;

  mime_type = dup_mime_type (ladle_response_get_content_type (self->response));
  pretty = is_json_type (mime_type) &&
           ladle_response_get_body_bytes (self->response) != NULL &&
           ladle_response_get_body_size (self->response) <= LADLE_RESPONSE_VIEW_DISPLAY_LIMIT;
  gtk_widget_set_visible (GTK_WIDGET (self->raw_button), pretty);

  if (mime_type != NULL && g_str_has_prefix (mime_type, "image/") &&
      g_bytes_get_size (self->head) == ladle_response_get_body_size (self->response))
    {
      g_autoptr(GdkTexture) texture = gdk_texture_new_from_bytes (self->head, NULL);

      if (texture != NULL)
        {
          g_autofree char *size = g_format_size (ladle_response_get_body_size (self->response));
          /* Translators: an image's width × height in pixels, and its size */
          g_autofree char *notice = g_strdup_printf (_("Image, %d × %d pixels, %s"),
                                                     gdk_texture_get_width (texture),
                                                     gdk_texture_get_height (texture), size);

          gtk_picture_set_paintable (self->image_picture, GDK_PAINTABLE (texture));
          gtk_stack_set_visible_child_name (self->body_stack, "image");
          gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->body_buffer), "", 0);
          set_notice (self, notice);
          self->body_ready = TRUE;
          return;
        }
    }

  if (pretty && !gtk_toggle_button_get_active (self->raw_button))
    {
      set_notice (self, NULL);
      ladle_response_pretty_json_async (self->response, self->cancellable, pretty_cb,
                                        g_object_ref (self));
      return;
    }

  show_head_raw (self);
}

static void
head_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(LadleResponseView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result,
                                                              &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (bytes == NULL)
    {
      set_notice (self, error->message);
      self->body_ready = TRUE;
      return;
    }

  self->head = g_steal_pointer (&bytes);
  render_body (self);
}

static void
file_opened_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(LadleResponseView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInputStream) in = g_file_read_finish (G_FILE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (in == NULL)
    {
      set_notice (self, error->message);
      self->body_ready = TRUE;
      return;
    }

  g_input_stream_read_bytes_async (G_INPUT_STREAM (in), LADLE_RESPONSE_VIEW_DISPLAY_LIMIT,
                                   G_PRIORITY_DEFAULT, self->cancellable, head_read_cb,
                                   g_object_ref (self));
}

static LadleBodyViewerMode
viewer_mode (LadleResponseView *self)
{
  g_assert (LADLE_IS_RESPONSE_VIEW (self));

  if (ladle_response_looks_binary (self->response))
    return LADLE_BODY_VIEWER_HEX;
  if (gtk_toggle_button_get_active (self->raw_button))
    return LADLE_BODY_VIEWER_RAW;
  return LADLE_BODY_VIEWER_PRETTY;
}

/* Large bodies, except pictures small enough to show as such, go whole to the viewer. */
static gboolean
load_body_in_viewer (LadleResponseView *self)
{
  GBytes *bytes = ladle_response_get_body_bytes (self->response);
  GFile *file = ladle_response_get_body_file (self->response);
  guint64 size = ladle_response_get_body_size (self->response);
  g_autofree char *mime_type = dup_mime_type (ladle_response_get_content_type (self->response));

  g_assert (LADLE_IS_RESPONSE_VIEW (self));

  if (size <= LADLE_BODY_VIEWER_THRESHOLD || (bytes == NULL && file == NULL))
    return FALSE;
  if (mime_type != NULL && g_str_has_prefix (mime_type, "image/") &&
      size <= LADLE_RESPONSE_VIEW_DISPLAY_LIMIT)
    return FALSE;

  self->use_viewer = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self->raw_button),
                          is_json_type (mime_type) &&
                          !ladle_response_looks_binary (self->response));
  ladle_body_viewer_set_mode (self->body_viewer, viewer_mode (self));
  if (bytes != NULL)
    ladle_body_viewer_set_bytes (self->body_viewer, bytes, mime_type);
  else
    ladle_body_viewer_set_file (self->body_viewer, file, mime_type);
  gtk_stack_set_visible_child_name (self->body_stack, "viewer");
  set_notice (self, _("Large body: highlighting is off."));
  return TRUE;
}

static void
on_viewer_busy (LadleResponseView *self)
{
  g_assert (LADLE_IS_RESPONSE_VIEW (self));

  if (self->use_viewer)
    self->body_ready = !ladle_body_viewer_get_busy (self->body_viewer);
}

static void
load_body (LadleResponseView *self)
{
  GBytes *bytes = ladle_response_get_body_bytes (self->response);
  GFile *file = ladle_response_get_body_file (self->response);

  g_assert (LADLE_IS_RESPONSE_VIEW (self));

  g_clear_pointer (&self->head, g_bytes_unref);
  set_notice (self, NULL);
  gtk_picture_set_paintable (self->image_picture, NULL);
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->body_buffer), "", 0);
  gtk_stack_set_visible_child_name (self->body_stack, "text");

  if (load_body_in_viewer (self))
    return;

  if (bytes != NULL)
    {
      gsize len = MIN (g_bytes_get_size (bytes), LADLE_RESPONSE_VIEW_DISPLAY_LIMIT);

      self->head = g_bytes_new_from_bytes (bytes, 0, len);
      render_body (self);
    }
  else if (file != NULL)
    {
      g_file_read_async (file, G_PRIORITY_DEFAULT, self->cancellable, file_opened_cb,
                         g_object_ref (self));
    }
  else
    {
      set_notice (self, _("The response has no body."));
      self->body_ready = TRUE;
    }
}

/* ------------------------------------------------------------------------------------------------
 * Headers, timing, redirects
 */

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static GtkWidget *
new_pair_row (const char *name,
              const char *value)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name_label = gtk_label_new (name);
  GtkWidget *value_label = gtk_label_new (value);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_add_css_class (name_label, "caption-heading");
  gtk_widget_add_css_class (name_label, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (name_label), 0);
  gtk_label_set_selectable (GTK_LABEL (name_label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (name_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (name_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (value_label), 0);
  gtk_label_set_selectable (GTK_LABEL (value_label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (value_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (value_label), PANGO_WRAP_WORD_CHAR);
  gtk_box_append (GTK_BOX (box), name_label);
  gtk_box_append (GTK_BOX (box), value_label);

  return box;
}

static void
show_details (LadleResponseView *self)
{
  LadleResponse *response = self->response;
  const LadleSizes *sizes = ladle_response_get_sizes (response);
  g_autofree char *sent_headers = g_format_size (sizes->request_header_bytes);
  g_autofree char *sent_body = g_format_size (sizes->request_body_bytes);
  g_autofree char *got_headers = g_format_size (sizes->response_header_bytes);
  g_autofree char *got_body = g_format_size (sizes->response_body_wire_bytes);
  g_autofree char *decoded = g_format_size (sizes->response_body_decoded_bytes);
  g_autofree char *sizes_text = NULL;
  guint n_redirects = ladle_response_get_n_redirects (response);

  g_assert (LADLE_IS_RESPONSE_VIEW (self));

  clear_list (self->headers_list);
  for (guint i = 0; i < ladle_response_get_n_headers (response); i++)
    gtk_list_box_append (self->headers_list,
                         new_pair_row (ladle_response_get_header_name (response, i),
                                       ladle_response_get_header_value (response, i)));

  ladle_timing_view_set_timing (self->timing_view, ladle_response_get_timing (response));
  /* Translators: sizes such as "312 bytes" or "1.2 kB" */
  sizes_text = g_strdup_printf (_("Sent %s of headers and %s of body; received %s of headers and "
                                  "%s of body (%s decoded)."),
                                sent_headers, sent_body, got_headers, got_body, decoded);
  gtk_label_set_text (self->sizes_label, sizes_text);

  clear_list (self->redirects_list);
  for (guint i = 0; i < n_redirects; i++)
    {
      g_autofree char *title = g_strdup_printf (_("Hop %u: %u"), i + 1,
                                                ladle_response_get_redirect_status (response, i));

      gtk_list_box_append (self->redirects_list,
                           new_pair_row (title, ladle_response_get_redirect_url (response, i)));
    }
  if (ladle_response_get_final_url (response) != NULL)
    {
      g_autofree char *title = n_redirects > 0
        ? g_strdup_printf (_("Final: %u"), ladle_response_get_status (response))
        : g_strdup (_("Not redirected"));

      gtk_list_box_append (self->redirects_list,
                           new_pair_row (title, ladle_response_get_final_url (response)));
    }
}

static void
show_status (LadleResponseView *self)
{
  static const char *classes[] = { "success", "redirect", "client-error", "server-error",
                                   "failed" };
  guint status = ladle_response_get_status (self->response);
  const char *reason = ladle_response_get_reason (self->response);
  const LadleTiming *timing = ladle_response_get_timing (self->response);
  g_autofree char *badge = NULL;
  g_autofree char *time = format_duration (timing->response_end);
  g_autofree char *size = g_format_size (ladle_response_get_body_size (self->response));

  g_assert (LADLE_IS_RESPONSE_VIEW (self));

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_badge), classes[i]);
  if (status >= 200 && status < 600)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_badge), classes[status / 100 - 2]);

  badge = reason != NULL && *reason != '\0' ? g_strdup_printf ("%u %s", status, reason)
                                            : g_strdup_printf ("%u", status);
  gtk_label_set_text (self->status_badge, badge);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_badge), badge);
  gtk_label_set_text (self->time_label, time);
  gtk_label_set_text (self->size_label, size);
}

/* ------------------------------------------------------------------------------------------------
 * Running exchange
 */

static const char *
phase_text (LadleExchangePhase phase)
{
  switch (phase)
    {
    case LADLE_EXCHANGE_PHASE_PENDING:
      return _("Starting…");
    case LADLE_EXCHANGE_PHASE_RESOLVING:
      return _("Resolving the host name…");
    case LADLE_EXCHANGE_PHASE_CONNECTING:
      return _("Connecting…");
    case LADLE_EXCHANGE_PHASE_TLS:
      return _("Securing the connection…");
    case LADLE_EXCHANGE_PHASE_SENDING:
      return _("Sending the request…");
    case LADLE_EXCHANGE_PHASE_WAITING:
      return _("Waiting for the answer…");
    case LADLE_EXCHANGE_PHASE_RECEIVING:
      return _("Receiving the answer…");
    case LADLE_EXCHANGE_PHASE_DONE:
    case LADLE_EXCHANGE_PHASE_FAILED:
    case LADLE_EXCHANGE_PHASE_CANCELLED:
    default:
      return _("Finishing…");
    }
}

static void
update_progress (LadleResponseView *self)
{
  LadleExchange *exchange = self->exchange;
  LadleExchangePhase phase;
  guint64 received, sent;
  gint64 expected;
  g_autofree char *text = NULL;
  g_autofree char *elapsed = NULL;

  g_assert (LADLE_IS_RESPONSE_VIEW (self));

  if (exchange == NULL)
    return;

  phase = ladle_exchange_get_phase (exchange);
  received = ladle_exchange_get_bytes_received (exchange);
  sent = ladle_exchange_get_bytes_sent (exchange);
  expected = ladle_exchange_get_expected_length (exchange);
  elapsed = format_duration ((gint64) (ladle_exchange_get_elapsed (exchange) * G_USEC_PER_SEC));

  gtk_label_set_text (self->phase_label, phase_text (phase));

  if (phase == LADLE_EXCHANGE_PHASE_RECEIVING && expected > 0)
    {
      g_autofree char *got = g_format_size (received);
      g_autofree char *total = g_format_size (expected);

      /* Translators: "1.2 MB of 4.0 MB · 0.8 s" */
      text = g_strdup_printf (_("%s of %s · %s"), got, total, elapsed);
      gtk_progress_bar_set_fraction (self->progress_bar, MIN (1.0, (double) received / expected));
      gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
    }
  else if (received > 0)
    {
      g_autofree char *got = g_format_size (received);

      /* Translators: "1.2 MB received · 0.8 s" */
      text = g_strdup_printf (_("%s received · %s"), got, elapsed);
      gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
    }
  else if (sent > 0)
    {
      g_autofree char *out = g_format_size (sent);

      /* Translators: "1.2 MB sent · 0.8 s" */
      text = g_strdup_printf (_("%s sent · %s"), out, elapsed);
      gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
    }
  else
    {
      text = g_steal_pointer (&elapsed);
      gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
    }

  gtk_label_set_text (self->progress_label, text);
}

static void
drop_exchange (LadleResponseView *self)
{
  g_assert (LADLE_IS_RESPONSE_VIEW (self));

  if (self->exchange != NULL)
    g_signal_handlers_disconnect_by_data (self->exchange, self);
  g_clear_object (&self->exchange);
  gtk_spinner_stop (self->spinner);
}

/* ------------------------------------------------------------------------------------------------
 * Search
 */

static void
update_search_label (LadleResponseView *self)
{
  int count;

  g_assert (LADLE_IS_RESPONSE_VIEW (self));

  count = gtk_source_search_context_get_occurrences_count (self->search);
  if (count < 0 || *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) == '\0')
    gtk_label_set_text (self->search_label, "");
  else
    {
      g_autofree char *text = g_strdup_printf (ngettext ("%d match", "%d matches", count), count);

      gtk_label_set_text (self->search_label, text);
    }
}

static void
on_search_changed (LadleResponseView *self)
{
  GtkSourceSearchSettings *settings;

  g_assert (LADLE_IS_RESPONSE_VIEW (self));

  settings = gtk_source_search_context_get_settings (self->search);
  gtk_source_search_settings_set_search_text (settings,
                                              gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
search_move (LadleResponseView *self,
             gboolean           forward)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->body_buffer);
  GtkTextIter sel_start, sel_end, match_start, match_end;
  gboolean wrapped;
  gboolean found;

  g_assert (LADLE_IS_RESPONSE_VIEW (self));

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
      gtk_text_view_scroll_to_iter (GTK_TEXT_VIEW (self->body_view), &match_start, 0.1, FALSE,
                                    0, 0);
    }
}

static void
on_search_next (LadleResponseView *self)
{
  search_move (self, TRUE);
}

static void
on_search_previous (LadleResponseView *self)
{
  search_move (self, FALSE);
}

static void
on_search_stop (LadleResponseView *self)
{
  gtk_toggle_button_set_active (self->search_button, FALSE);
}

static void
on_search_mode (LadleResponseView *self)
{
  gboolean enabled = gtk_search_bar_get_search_mode (self->search_bar);

  g_assert (LADLE_IS_RESPONSE_VIEW (self));

  gtk_source_search_context_set_highlight (self->search, enabled);
  if (enabled && self->use_viewer)
    {
      /* The viewer has a search bar of its own, over the whole body */
      gtk_stack_set_visible_child_name (self->view_stack, "body");
      gtk_search_bar_set_search_mode (self->search_bar, FALSE);
      ladle_body_viewer_begin_search (self->body_viewer);
    }
  else if (enabled)
    {
      gtk_stack_set_visible_child_name (self->view_stack, "body");
      gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
    }
}

static void
on_raw_toggled (LadleResponseView *self)
{
  g_assert (LADLE_IS_RESPONSE_VIEW (self));

  if (self->response == NULL)
    return;
  if (self->use_viewer)
    {
      ladle_body_viewer_set_mode (self->body_viewer, viewer_mode (self));
      on_viewer_busy (self);
      return;
    }
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->body_ready = FALSE;
  render_body (self);
}

static void
on_view_changed (LadleResponseView *self)
{
  g_assert (LADLE_IS_RESPONSE_VIEW (self));

  /* Search only applies to the body. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->search_button),
                            g_strcmp0 (gtk_stack_get_visible_child_name (self->view_stack),
                                       "body") == 0);
}

/* ------------------------------------------------------------------------------------------------
 * GObject
 */

static void
ladle_response_view_dispose (GObject *object)
{
  LadleResponseView *self = LADLE_RESPONSE_VIEW (object);

  drop_exchange (self);
  stop_body (self);
  g_clear_object (&self->cancellable);

  /* state_stack is the bin's child: let AdwBin drop it before the template does. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), LADLE_TYPE_RESPONSE_VIEW);

  g_clear_object (&self->search);
  g_clear_object (&self->response);
  g_clear_pointer (&self->head, g_bytes_unref);

  G_OBJECT_CLASS (ladle_response_view_parent_class)->dispose (object);
}

static void
ladle_response_view_class_init (LadleResponseViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ladle_response_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ladle/Ladle/ladle-response-view.ui");
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, body_buffer);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, body_notice);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, body_stack);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, body_viewer);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, body_view);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, error_label);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, headers_list);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, image_picture);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, phase_label);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, progress_label);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, raw_button);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, redirects_list);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, search_bar);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, search_button);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, search_label);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, size_label);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, sizes_label);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, spinner);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, state_stack);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, status_badge);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, time_label);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, timing_view);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, view_stack);
  gtk_widget_class_bind_template_child (widget_class, LadleResponseView, view_switcher);
  gtk_widget_class_bind_template_callback (widget_class, on_raw_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_mode);
  gtk_widget_class_bind_template_callback (widget_class, on_search_next);
  gtk_widget_class_bind_template_callback (widget_class, on_search_previous);
  gtk_widget_class_bind_template_callback (widget_class, on_search_stop);
  gtk_widget_class_bind_template_callback (widget_class, on_view_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_viewer_busy);

  gtk_source_init ();
  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  g_type_ensure (LADLE_TYPE_BODY_VIEWER);
  g_type_ensure (LADLE_TYPE_TIMING_VIEW);
}

static void
ladle_response_view_init (LadleResponseView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->search = gtk_source_search_context_new (self->body_buffer, NULL);
  gtk_source_search_context_set_highlight (self->search, FALSE);
  g_signal_connect_object (self->search, "notify::occurrences-count",
                           G_CALLBACK (update_search_label), self, G_CONNECT_SWAPPED);
  g_object_bind_property (self->search_button, "active", self->search_bar, "search-mode-enabled",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  ladle_response_view_follow_style (self->body_buffer);
  gtk_list_box_set_placeholder (self->redirects_list, gtk_label_new (NULL));
  ladle_response_view_compact_switcher (self->view_switcher);
}

void
ladle_response_view_show_empty (LadleResponseView *self)
{
  g_return_if_fail (LADLE_IS_RESPONSE_VIEW (self));

  drop_exchange (self);
  stop_body (self);
  g_clear_object (&self->response);
  gtk_stack_set_visible_child_name (self->state_stack, "empty");
}

/**
 * ladle_response_view_show_exchange:
 *
 * Shows a send in progress, following @exchange's phase and byte counts live.
 */
void
ladle_response_view_show_exchange (LadleResponseView *self,
                                   LadleExchange     *exchange)
{
  g_return_if_fail (LADLE_IS_RESPONSE_VIEW (self));
  g_return_if_fail (LADLE_IS_EXCHANGE (exchange));

  drop_exchange (self);
  self->exchange = g_object_ref (exchange);
  g_signal_connect_object (exchange, "notify", G_CALLBACK (update_progress), self,
                           G_CONNECT_SWAPPED);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  update_progress (self);
  gtk_spinner_start (self->spinner);
  gtk_stack_set_visible_child_name (self->state_stack, "running");
}

void
ladle_response_view_show_response (LadleResponseView *self,
                                   LadleResponse     *response)
{
  g_return_if_fail (LADLE_IS_RESPONSE_VIEW (self));
  g_return_if_fail (LADLE_IS_RESPONSE (response));

  drop_exchange (self);
  stop_body (self);
  g_set_object (&self->response, response);

  show_status (self);
  show_details (self);
  load_body (self);
  /* No crossfade into a large body: the fade draws the whole pane twice into offscreen groups on
   * every frame of its 200 ms, just when the viewer builds its first rows (10–20 ms a frame with
   * software rendering, the longest main-loop stalls of bench/body.sh) */
  gtk_stack_set_visible_child_full (self->state_stack, "response",
                                    self->use_viewer ? GTK_STACK_TRANSITION_TYPE_NONE
                                                     : GTK_STACK_TRANSITION_TYPE_CROSSFADE);
}

/* Errors are words in the pane, never dialogs. */
void
ladle_response_view_show_error (LadleResponseView *self,
                                const char        *message)
{
  g_return_if_fail (LADLE_IS_RESPONSE_VIEW (self));
  g_return_if_fail (message != NULL);

  drop_exchange (self);
  stop_body (self);
  g_clear_object (&self->response);
  gtk_label_set_text (self->error_label, message);
  gtk_stack_set_visible_child_name (self->state_stack, "error");
}

LadleResponse *
ladle_response_view_get_response (LadleResponseView *self)
{
  g_return_val_if_fail (LADLE_IS_RESPONSE_VIEW (self), NULL);
  return self->response;
}

gboolean
ladle_response_view_get_body_ready (LadleResponseView *self)
{
  g_return_val_if_fail (LADLE_IS_RESPONSE_VIEW (self), FALSE);
  return self->response != NULL && self->body_ready;
}

void
ladle_response_view_begin_search (LadleResponseView *self)
{
  g_return_if_fail (LADLE_IS_RESPONSE_VIEW (self));

  if (self->response == NULL)
    return;
  gtk_stack_set_visible_child_name (self->view_stack, "body");
  if (self->use_viewer)
    {
      ladle_body_viewer_begin_search (self->body_viewer);
      return;
    }
  gtk_toggle_button_set_active (self->search_button, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}
