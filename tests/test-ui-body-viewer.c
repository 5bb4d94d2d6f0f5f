/* test-ui-body-viewer.c
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

#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "ladle-body-viewer.h"
#include "ladle-http-client.h"
#include "ladle-line-model.h"
#include "ladle-mock-routes.h"
#include "ladle-response-view.h"
#include "ladle-server.h"
#include "ladle-test-ui.h"

/* The large-body viewer on a 100 MB JSON file, as a user would meet it: the first screen, the
 * end, a search, go to line, copy, save as; then hex, invalid JSON, and a real response. Times
 * are reported (not asserted): first screen and the longest main-loop stall. */

#define MARKER     "LADLE-NEEDLE-7f3a91"
#define BIG_SIZE   (100 * 1000 * 1000)

static char *tmpdir;
static char *big_path;

/* ------------------------------------------------------------------------------------------------
 * Helpers
 */

/* A 100 MB JSON array of objects, compact (one line), written in big blocks, with MARKER in
 * one object near the end. */
static void
make_big_json (const char *path)
{
  g_autoptr(GString) block = g_string_new (NULL);
  FILE *out = fopen (path, "wb");
  gsize written = 0;
  guint n = 0;

  g_assert_nonnull (out);
  for (guint i = 0; i < 400; i++)
    g_string_append_printf (block,
                            "{\"id\":%u,\"name\":\"item number %u with a longish name\","
                            "\"description\":\"The quick brown fox jumps over the lazy dog, "
                            "then rests in the shade of an old oak tree by the river.\","
                            "\"tags\":[\"alpha\",\"beta\",\"gamma\"],\"price\":12.5,"
                            "\"ok\":true,\"none\":null},", i, i);

  fputs ("[", out);
  while (written + block->len < BIG_SIZE - 1000)
    {
      g_assert_cmpuint (fwrite (block->str, 1, block->len, out), ==, block->len);
      written += block->len;
      n++;
    }
  fputs ("{\"id\":-1,\"marker\":\"" MARKER "\"},", out);
  fputs ("{\"id\":-2,\"last\":\"the end\"}]", out);
  g_assert_cmpint (fclose (out), ==, 0);
}

static GtkWidget *
find (gpointer    root,
      const char *name)
{
  GtkWidget *widget = ladle_test_ui_find (GTK_WIDGET (root), name);

  g_assert_nonnull (widget);
  return widget;
}

typedef struct
{
  GtkWidget *box;   /* the row's GtkInscription: line number, then text */
  double     y;
} Row;

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const Row *ra = a, *rb = b;

  return ra->y < rb->y ? -1 : ra->y > rb->y;
}

/* The rows that are on screen in @viewer's list, top to bottom. */
static GArray *
visible_rows (GtkWidget *viewer)
{
  GtkWidget *list = find (viewer, "list_view");
  GtkWidget *scroller = find (viewer, "scroller");
  int height = gtk_widget_get_height (scroller);
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (Row));

  for (GtkWidget *child = gtk_widget_get_first_child (list); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *box = gtk_widget_get_first_child (child);
      graphene_point_t p;

      if (!GTK_IS_INSCRIPTION (box) || !gtk_widget_get_mapped (box) ||
          !gtk_widget_compute_point (box, scroller, &GRAPHENE_POINT_INIT (0, 0), &p))
        continue;
      if (p.y + gtk_widget_get_height (box) <= 0 || p.y >= height)
        continue;
      g_array_append_val (rows, ((Row) { box, p.y }));
    }
  g_array_sort (rows, compare_rows);
  return rows;
}

static guint
count_visible (GtkWidget *viewer)
{
  g_autoptr(GArray) rows = visible_rows (viewer);

  return rows->len;
}

/* Whether a row has an attribute of @type, and where it starts and ends */
static gboolean
row_has_attribute (GtkWidget      *box,
                   PangoAttrType   type,
                   guint          *out_start,
                   guint          *out_end)
{
  PangoAttrList *attrs = gtk_inscription_get_attributes (GTK_INSCRIPTION (box));
  GSList *list = attrs != NULL ? pango_attr_list_get_attributes (attrs) : NULL;
  gboolean found = FALSE;

  for (GSList *l = list; l != NULL && !found; l = l->next)
    {
      PangoAttribute *attr = l->data;

      if (attr->klass->type == type)
        {
          found = TRUE;
          if (out_start != NULL)
            *out_start = attr->start_index;
          if (out_end != NULL)
            *out_end = attr->end_index;
        }
    }
  g_slist_free_full (list, (GDestroyNotify) pango_attribute_destroy);
  return found;
}

/* The length of a row's gutter: the line number, dimmed, and the space after it (none in hex) */
static gsize
row_gutter (GtkWidget *box)
{
  guint start = 0, end = 0;

  if (!row_has_attribute (box, PANGO_ATTR_FOREGROUND_ALPHA, &start, &end))
    return 0;
  g_assert_cmpuint (start, ==, 0);
  return end;
}

static const char *
row_text (GtkWidget *box)
{
  return gtk_inscription_get_text (GTK_INSCRIPTION (box)) + row_gutter (box);
}

static const char *
row_number (GtkWidget *box)
{
  static char number[64];
  gsize gutter = row_gutter (box);

  g_assert_cmpuint (gutter, <, sizeof number);
  memcpy (number, gtk_inscription_get_text (GTK_INSCRIPTION (box)), gutter);
  number[gutter] = '\0';
  return g_strstrip (number);
}

static gboolean
row_selected (GtkWidget *box)
{
  return (gtk_widget_get_state_flags (gtk_widget_get_parent (box)) &
          GTK_STATE_FLAG_SELECTED) != 0;
}

static GListModel *
list_model (GtkWidget *viewer)
{
  return G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (find (viewer, "list_view"))));
}

static guint
n_rows (GtkWidget *viewer)
{
  GListModel *model = list_model (viewer);

  return model != NULL ? g_list_model_get_n_items (model) : 0;
}

static char *
model_text (GtkWidget *viewer,
            guint      position)
{
  g_autoptr(LadleBodyLine) line = g_list_model_get_item (list_model (viewer), position);

  g_assert_nonnull (line);
  return g_strdup (ladle_body_line_get_text (line));
}

/* A visible row whose text contains @needle, or NULL. */
static GtkWidget *
visible_row_with (GtkWidget  *viewer,
                  const char *needle)
{
  g_autoptr(GArray) rows = visible_rows (viewer);

  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *box = g_array_index (rows, Row, i).box;

      if (strstr (row_text (box), needle) != NULL)
        return box;
    }
  return NULL;
}

static GtkWindow *
open_window (GtkWidget *child,
             int        width,
             int        height)
{
  GtkWindow *window = GTK_WINDOW (adw_window_new ());

  adw_window_set_content (ADW_WINDOW (window), child);
  ladle_test_ui_show (window, width, height);
  return window;
}

static void
close_window (GtkWindow *window)
{
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (window);
  LADLE_TEST_WAIT_UNTIL (window == NULL, 5000);
}

static guint
count_pretty_copies (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    if (strstr (name, "ladle-pretty-") != NULL)
      n++;
  return n;
}

static void
clipboard_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static void
assert_same_files (const char *a,
                   const char *b)
{
  FILE *fa = fopen (a, "rb");
  FILE *fb = fopen (b, "rb");
  g_autofree char *ba = g_malloc (1 << 20);
  g_autofree char *bb = g_malloc (1 << 20);

  g_assert_nonnull (fa);
  g_assert_nonnull (fb);
  for (;;)
    {
      size_t na = fread (ba, 1, 1 << 20, fa);
      size_t nb = fread (bb, 1, 1 << 20, fb);

      g_assert_cmpuint (na, ==, nb);
      g_assert_true (memcmp (ba, bb, na) == 0);
      if (na == 0)
        break;
    }
  fclose (fa);
  fclose (fb);
}

/* ------------------------------------------------------------------------------------------------
 * Cases
 */

static void
test_big_json (void)
{
  g_autoptr(GFile) file = g_file_new_for_path (big_path);
  g_autofree char *saved = g_build_filename (tmpdir, "saved.json", NULL);
  g_autofree char *clip = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GFile) target = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rows = NULL;
  GtkWidget *viewer = ladle_body_viewer_new ();
  GtkWindow *window;
  GtkWidget *match;
  GtkLabel *search_label;
  GtkSelectionModel *selection;
  gint64 start, first_screen, formatted;
  LadleTestStall stall;
  guint n;

  window = open_window (viewer, 1100, 720);

  /* First screen */
  ladle_test_ui_stall_start (&stall, 5);
  start = g_get_monotonic_time ();
  ladle_body_viewer_set_file (LADLE_BODY_VIEWER (viewer), file, "application/json");
  g_assert_true (ladle_body_viewer_get_busy (LADLE_BODY_VIEWER (viewer)));
  LADLE_TEST_WAIT_UNTIL (n_rows (viewer) >= 40, 10000);
  ladle_test_ui_wait_for_draw (viewer);
  LADLE_TEST_WAIT_UNTIL (count_visible (viewer) >= 20, 5000);
  rows = visible_rows (viewer);
  first_screen = g_get_monotonic_time () - start;
  g_test_message ("100 MB JSON: first screen after %.0f ms", first_screen / 1000.0);

  /* Pretty: indented, numbered, while the rest is formatted */
  g_assert_cmpstr (row_text (g_array_index (rows, Row, 0).box), ==, "[");
  g_assert_cmpstr (row_number (g_array_index (rows, Row, 0).box), ==, "1");
  g_assert_cmpstr (row_text (g_array_index (rows, Row, 1).box), ==, "  {");
  g_assert_cmpstr (row_text (g_array_index (rows, Row, 2).box), ==, "    \"id\": 0,");
  g_assert_cmpstr (row_text (g_array_index (rows, Row, 3).box), ==,
                   "    \"name\": \"item number 0 with a longish name\",");
  g_assert_cmpstr (row_number (g_array_index (rows, Row, 3).box), ==, "4");
  if (ladle_body_viewer_get_busy (LADLE_BODY_VIEWER (viewer)))
    g_assert_true (gtk_widget_get_visible (find (viewer, "progress_label")));
  g_assert_cmpuint (count_pretty_copies (tmpdir), ==, 1);
  /* The screenshot's own rendering is not the viewer's stall */
  g_free (ladle_test_ui_screenshot (GTK_WIDGET (window), "body-viewer-pretty-wide-light"));
  stall.last = 0;

  LADLE_TEST_WAIT_UNTIL (!ladle_body_viewer_get_busy (LADLE_BODY_VIEWER (viewer)), 120000);
  formatted = g_get_monotonic_time () - start;
  g_test_message ("100 MB JSON: formatted in the background in %.0f ms; longest main-loop "
                  "stall %.0f ms", formatted / 1000.0, ladle_test_ui_stall_stop (&stall) / 1000.0);
  g_assert_false (gtk_widget_get_visible (find (viewer, "progress_label")));

  /* Scroll to the end: the whole body is reachable */
  ladle_test_ui_stall_start (&stall, 5);
  n = n_rows (viewer);
  g_assert_cmpuint (n, >, 1000000);
  gtk_widget_activate_action (find (viewer, "list_view"), "list.scroll-to-item", "u", n - 1);
  LADLE_TEST_WAIT_UNTIL (visible_row_with (viewer, "\"the end\"") != NULL, 5000);
  ladle_test_ui_spin (200);
  g_clear_pointer (&rows, g_array_unref);
  rows = visible_rows (viewer);
  g_assert_cmpstr (row_text (g_array_index (rows, Row, rows->len - 1).box), ==, "]");
  expected = model_text (viewer, n - 1);
  g_assert_cmpstr (expected, ==, "]");
  g_clear_pointer (&expected, g_free);
  g_test_message ("scroll to the end: longest stall %.0f ms", ladle_test_ui_stall_stop (&stall) / 1000.0);

  /* Search: count, scroll to the match, highlight it */
  gtk_widget_activate_action (find (viewer, "list_view"), "list.scroll-to-item", "u", 0);
  ladle_test_ui_spin (100);
  ladle_test_ui_stall_start (&stall, 5);
  start = g_get_monotonic_time ();
  g_assert_true (gtk_widget_activate_action (viewer, "viewer.search", NULL));
  g_assert_true (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (find (viewer, "search_bar"))));
  search_label = GTK_LABEL (find (viewer, "search_label"));
  gtk_editable_set_text (GTK_EDITABLE (find (viewer, "search_entry")), MARKER);
  LADLE_TEST_WAIT_UNTIL (g_strcmp0 (gtk_label_get_text (search_label), "1 match") == 0, 20000);
  LADLE_TEST_WAIT_UNTIL ((match = visible_row_with (viewer, MARKER)) != NULL, 20000);
  g_test_message ("search near the end of the pretty copy: %.0f ms, longest stall %.0f ms",
                  (g_get_monotonic_time () - start) / 1000.0, ladle_test_ui_stall_stop (&stall) / 1000.0);
  ladle_test_ui_spin (200);
  match = visible_row_with (viewer, MARKER);
  g_assert_nonnull (match);
  g_assert_true (row_selected (match));
  {
    guint from = 0, to = 0;

    /* The match is highlighted, in the text after the gutter */
    g_assert_true (row_has_attribute (match, PANGO_ATTR_BACKGROUND, &from, &to));
    g_assert_cmpuint (from, >=, row_gutter (match));
    g_assert_cmpuint (to - from, ==, strlen (MARKER));
    g_assert_true (strncmp (gtk_inscription_get_text (GTK_INSCRIPTION (match)) + from, MARKER,
                            strlen (MARKER)) == 0);
  }
  g_free (ladle_test_ui_screenshot (GTK_WIDGET (window), "body-viewer-search-wide-light"));

  /* Next finds nothing further: the match stays */
  g_signal_emit_by_name (find (viewer, "search_entry"), "activate");
  ladle_test_ui_spin (500);
  g_assert_true (row_selected (visible_row_with (viewer, MARKER)));
  gtk_search_bar_set_search_mode (GTK_SEARCH_BAR (find (viewer, "search_bar")), FALSE);

  /* Go to line, through the popover */
  g_assert_true (gtk_widget_activate_action (viewer, "viewer.goto-line", NULL));
  ladle_test_ui_spin (100);
  g_assert_true (gtk_widget_get_visible (find (viewer, "goto_popover")));
  gtk_editable_set_text (GTK_EDITABLE (find (viewer, "goto_entry")), "123456");
  g_signal_emit_by_name (find (viewer, "goto_entry"), "activate");
  LADLE_TEST_WAIT_UNTIL (visible_row_with (viewer, "") != NULL, 1000);
  ladle_test_ui_spin (300);
  {
    g_autoptr(GArray) shown = visible_rows (viewer);
    GtkWidget *found = NULL;

    for (guint i = 0; i < shown->len; i++)
      if (g_str_equal (row_number (g_array_index (shown, Row, i).box), "123456"))
        found = g_array_index (shown, Row, i).box;
    g_assert_nonnull (found);
    g_assert_true (row_selected (found));
    expected = model_text (viewer, 123455);
    g_assert_cmpstr (row_text (found), ==, expected);
    g_clear_pointer (&expected, g_free);
  }

  /* Copy rows 2 to 4: read from the file, lines joined */
  selection = GTK_SELECTION_MODEL (list_model (viewer));
  gtk_selection_model_select_range (selection, 1, 3, TRUE);
  g_assert_true (gtk_widget_activate_action (viewer, "viewer.copy", NULL));
  ladle_test_ui_spin (300);
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (viewer), NULL, clipboard_cb, &clip);
  LADLE_TEST_WAIT_UNTIL (clip != NULL, 5000);
  g_assert_cmpstr (clip, ==,
                   "  {\n"
                   "    \"id\": 0,\n"
                   "    \"name\": \"item number 0 with a longish name\",");

  /* Save as copies the body as it came, under a temporary name first */
  target = g_file_new_for_path (saved);
  ladle_body_viewer_save_to_async (LADLE_BODY_VIEWER (viewer), target, NULL,
                                   ladle_test_async_done, &result);
  LADLE_TEST_WAIT_UNTIL (result != NULL, 60000);
  g_assert_true (ladle_body_viewer_save_to_finish (LADLE_BODY_VIEWER (viewer), result, &error));
  g_assert_no_error (error);
  assert_same_files (big_path, saved);
  g_assert_cmpuint (ladle_test_count_entries (tmpdir), ==, 3);   /* big, pretty, saved */
  g_unlink (saved);
  g_clear_object (&result);

  /* Raw: the one 100 MB line is cut into marked rows */
  ladle_body_viewer_set_mode (LADLE_BODY_VIEWER (viewer), LADLE_BODY_VIEWER_RAW);
  LADLE_TEST_WAIT_UNTIL (n_rows (viewer) >= 2, 10000);
  ladle_test_ui_spin (200);
  g_clear_pointer (&rows, g_array_unref);
  rows = visible_rows (viewer);
  g_assert_cmpuint (rows->len, >=, 2);
  g_assert_true (g_str_has_prefix (row_text (g_array_index (rows, Row, 0).box), "[{\"id\":0,"));
  g_assert_cmpstr (row_number (g_array_index (rows, Row, 0).box), ==, "1");
  g_assert_cmpstr (row_number (g_array_index (rows, Row, 1).box), ==, "↪");
  g_free (ladle_test_ui_screenshot (GTK_WIDGET (window), "body-viewer-raw-wide-light"));
  LADLE_TEST_WAIT_UNTIL (!ladle_body_viewer_get_busy (LADLE_BODY_VIEWER (viewer)), 60000);
  {
    GStatBuf st;

    g_assert_cmpint (g_stat (big_path, &st), ==, 0);
    g_assert_cmpuint (n_rows (viewer), ==, (st.st_size - 1) / LADLE_BODY_VIEWER_MAX_LINE + 1);
  }

  /* Screenshots of the pretty body: narrow, dark */
  ladle_body_viewer_set_mode (LADLE_BODY_VIEWER (viewer), LADLE_BODY_VIEWER_PRETTY);
  ladle_test_ui_spin (200);
  ladle_test_ui_set_dark (TRUE);
  ladle_test_ui_spin (200);
  g_free (ladle_test_ui_screenshot (GTK_WIDGET (window), "body-viewer-pretty-wide-dark"));
  gtk_window_set_default_size (window, 360, 640);
  ladle_test_ui_spin (300);
  g_free (ladle_test_ui_screenshot (GTK_WIDGET (window), "body-viewer-pretty-narrow-dark"));
  ladle_test_ui_set_dark (FALSE);
  ladle_body_viewer_begin_search (LADLE_BODY_VIEWER (viewer));
  ladle_test_ui_spin (300);
  g_free (ladle_test_ui_screenshot (GTK_WIDGET (window), "body-viewer-search-narrow-light"));

  /* The pretty copy goes with the body */
  ladle_body_viewer_clear (LADLE_BODY_VIEWER (viewer));
  LADLE_TEST_WAIT_UNTIL (count_pretty_copies (tmpdir) == 0, 5000);
  g_assert_cmpuint (n_rows (viewer), ==, 0);
  close_window (window);
}

/* A search started while the pretty copy is still being written counts what is there, then
 * counts and finds again once formatting ends: MARKER is near the end of the body. */
static void
test_search_while_formatting (void)
{
  g_autoptr(GFile) file = g_file_new_for_path (big_path);
  GtkWidget *viewer = ladle_body_viewer_new ();
  GtkWindow *window = open_window (viewer, 1100, 720);
  GtkLabel *search_label;
  guint64 offset = 0;

  ladle_body_viewer_set_file (LADLE_BODY_VIEWER (viewer), file, "application/json");
  LADLE_TEST_WAIT_UNTIL (n_rows (viewer) >= 40, 10000);
  g_assert_true (ladle_body_viewer_get_busy (LADLE_BODY_VIEWER (viewer)));

  ladle_body_viewer_search (LADLE_BODY_VIEWER (viewer), MARKER);
  search_label = GTK_LABEL (find (viewer, "search_label"));
  g_assert_true (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (find (viewer, "search_bar"))));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find (viewer, "search_entry"))), ==,
                   MARKER);
  g_assert_true (ladle_body_viewer_get_busy (LADLE_BODY_VIEWER (viewer)));
  g_assert_false (ladle_body_viewer_get_match (LADLE_BODY_VIEWER (viewer), NULL));

  LADLE_TEST_WAIT_UNTIL (!ladle_body_viewer_get_busy (LADLE_BODY_VIEWER (viewer)), 120000);
  LADLE_TEST_WAIT_UNTIL (g_strcmp0 (gtk_label_get_text (search_label), "1 match") == 0, 20000);
  LADLE_TEST_WAIT_UNTIL (ladle_body_viewer_get_match (LADLE_BODY_VIEWER (viewer), &offset), 20000);
  LADLE_TEST_WAIT_UNTIL (visible_row_with (viewer, MARKER) != NULL, 5000);
  g_assert_cmpuint (offset, >, BIG_SIZE);

  close_window (window);
}

static void
test_hex (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "binary.bin", NULL);
  g_autofree guint8 *data = g_malloc (100000);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  GtkWidget *viewer = ladle_body_viewer_new ();
  g_autoptr(GArray) rows = NULL;
  GtkWindow *window;

  for (guint i = 0; i < 100000; i++)
    data[i] = (guint8) (i * 7 + 3);
  memcpy (data, "Ladle\0\1\2", 8);
  g_assert_true (g_file_set_contents (path, (const char *) data, 100000, NULL));

  window = open_window (viewer, 1100, 720);
  ladle_body_viewer_set_mode (LADLE_BODY_VIEWER (viewer), LADLE_BODY_VIEWER_HEX);
  ladle_body_viewer_set_file (LADLE_BODY_VIEWER (viewer), file, "application/octet-stream");
  LADLE_TEST_WAIT_UNTIL (n_rows (viewer) > 0, 5000);
  g_assert_cmpuint (n_rows (viewer), ==, 6250);
  ladle_test_ui_spin (200);

  rows = visible_rows (viewer);
  g_assert_cmpuint (rows->len, >=, 10);
  g_assert_cmpstr (row_text (g_array_index (rows, Row, 0).box), ==,
                   "00000000  4c 61 64 6c 65 00 01 02  3b 42 49 50 57 5e 65 6c  |Ladle...;BIPW^el|");
  /* No line numbers in hex */
  g_assert_cmpuint (row_gutter (g_array_index (rows, Row, 0).box), ==, 0);
  last = model_text (viewer, 6249);
  g_assert_true (g_str_has_prefix (last, "00018690  "));
  g_free (ladle_test_ui_screenshot (GTK_WIDGET (window), "body-viewer-hex-wide-light"));
  gtk_window_set_default_size (window, 360, 640);
  ladle_test_ui_set_dark (TRUE);
  ladle_test_ui_spin (300);
  g_free (ladle_test_ui_screenshot (GTK_WIDGET (window), "body-viewer-hex-narrow-dark"));
  ladle_test_ui_set_dark (FALSE);
  close_window (window);
}

static void
test_invalid_json (void)
{
  static const char text[] = "{\"a\": [1, 2,, 3],\n \"b\": true}";
  g_autofree char *path = g_build_filename (tmpdir, "invalid.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GArray) rows = NULL;
  GtkWidget *viewer = ladle_body_viewer_new ();
  GtkWindow *window;

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  window = open_window (viewer, 1100, 720);
  ladle_body_viewer_set_file (LADLE_BODY_VIEWER (viewer), file, "application/json");
  LADLE_TEST_WAIT_UNTIL (!ladle_body_viewer_get_busy (LADLE_BODY_VIEWER (viewer)), 5000);
  ladle_test_ui_spin (200);

  /* Raw, with where and why */
  g_assert_nonnull (ladle_body_viewer_get_notice (LADLE_BODY_VIEWER (viewer)));
  g_assert_true (g_str_has_prefix (ladle_body_viewer_get_notice (LADLE_BODY_VIEWER (viewer)),
                                   "Not valid JSON at line 1, column 13: "));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find (viewer, "notice_label"))), ==,
                   ladle_body_viewer_get_notice (LADLE_BODY_VIEWER (viewer)));
  rows = visible_rows (viewer);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpstr (row_text (g_array_index (rows, Row, 0).box), ==, "{\"a\": [1, 2,, 3],");
  g_assert_cmpstr (row_text (g_array_index (rows, Row, 1).box), ==, " \"b\": true}");
  g_assert_cmpuint (count_pretty_copies (tmpdir), ==, 0);
  close_window (window);
}

static void
test_bytes (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static ("{\"k\": [1, {\"x\": \"y\"}]}", 22);
  GtkWidget *viewer = ladle_body_viewer_new ();
  GtkWindow *window = open_window (viewer, 1100, 720);
  g_autofree char *row = NULL;

  ladle_body_viewer_set_bytes (LADLE_BODY_VIEWER (viewer), bytes, "application/json");
  LADLE_TEST_WAIT_UNTIL (n_rows (viewer) > 0 &&
                         !ladle_body_viewer_get_busy (LADLE_BODY_VIEWER (viewer)), 5000);
  g_assert_cmpuint (n_rows (viewer), ==, 8);
  row = model_text (viewer, 3);
  g_assert_cmpstr (row, ==, "    {");
  close_window (window);
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  LadleResponse **response = user_data;
  g_autoptr(GError) error = NULL;

  *response = ladle_http_client_send_finish (LADLE_HTTP_CLIENT (source), result, &error);
  g_assert_no_error (error);
}

/* A real response from Ladle's own server (a mock route with the 100 MB file as its body). */
static void
test_response_view (void)
{
  g_autoptr(LadleServer) server = ladle_server_new ();
  g_autoptr(GListStore) routes = g_list_store_new (LADLE_TYPE_MOCK_ROUTE);
  g_autoptr(LadleMockRoute) route = ladle_mock_route_new ("GET", "/big");
  g_autoptr(LadleHttpClient) client = ladle_http_client_new ();
  g_autoptr(LadleRequest) request = ladle_request_new ();
  g_autoptr(LadleResponse) response = NULL;
  g_autoptr(LadleExchange) exchange = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  LadleResponseView *view = g_object_new (LADLE_TYPE_RESPONSE_VIEW, NULL);
  GtkWidget *viewer;
  GtkWindow *window;
  gint64 start;
  LadleTestStall stall;

  ladle_mock_route_set_body_file (route, big_path);
  ladle_mock_route_set_content_type (route, "application/json");
  g_list_store_append (routes, route);
  ladle_server_set_port (server, 0);
  ladle_server_set_routes (server, G_LIST_MODEL (routes));
  g_assert_true (ladle_server_start (server, &error));
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u/big", ladle_server_get_bound_port (server));
  ladle_request_set_url (request, url);

  exchange = g_object_ref (ladle_http_client_send_async (client, request, NULL, NULL, send_cb,
                                                         &response));
  LADLE_TEST_WAIT_UNTIL (response != NULL, 60000);
  g_assert_cmpuint (ladle_response_get_body_size (response), >, BIG_SIZE - 100000);
  g_assert_nonnull (ladle_response_get_body_file (response));

  window = open_window (GTK_WIDGET (view), 1100, 720);
  ladle_test_ui_stall_start (&stall, 5);
  start = g_get_monotonic_time ();
  ladle_response_view_set_exchange (view, exchange);
  viewer = find (view, "body_viewer");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (find (view, "body_stack"))), ==,
                   "viewer");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find (view, "body_notice"))), ==,
                   "Large body: highlighting is off.");
  LADLE_TEST_WAIT_UNTIL (visible_row_with (viewer, "\"id\": 0,") != NULL, 10000);
  g_test_message ("100 MB response in LadleResponseView: first screen after %.0f ms",
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_true (gtk_widget_get_visible (find (view, "raw_button")));
  LADLE_TEST_WAIT_UNTIL (ladle_response_view_get_body_ready (view), 120000);
  g_test_message ("100 MB response: formatted after %.0f ms, longest stall %.0f ms",
                  (g_get_monotonic_time () - start) / 1000.0, ladle_test_ui_stall_stop (&stall) / 1000.0);
  g_free (ladle_test_ui_screenshot (GTK_WIDGET (window), "body-viewer-response-wide-light"));

  /* Raw through the pane's own button */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find (view, "raw_button")), TRUE);
  g_assert_cmpint (ladle_body_viewer_get_mode (LADLE_BODY_VIEWER (viewer)), ==,
                   LADLE_BODY_VIEWER_RAW);
  LADLE_TEST_WAIT_UNTIL (visible_row_with (viewer, "[{\"id\":0,") != NULL, 10000);

  close_window (window);
  ladle_server_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (!ladle_test_ui_init (&argc, &argv))
    {
      g_test_add_func ("/ladle/ui-body-viewer/no-display", (GTestFunc) g_test_incomplete);
      return ladle_test_run ();
    }

  tmpdir = ladle_test_make_tmpdir ("ladle-ui-body-viewer-XXXXXX");
  big_path = g_build_filename (tmpdir, "big.json", NULL);
  make_big_json (big_path);

  g_test_add_func ("/ladle/ui-body-viewer/big-json", test_big_json);
  g_test_add_func ("/ladle/ui-body-viewer/search-while-formatting",
                   test_search_while_formatting);
  g_test_add_func ("/ladle/ui-body-viewer/hex", test_hex);
  g_test_add_func ("/ladle/ui-body-viewer/invalid-json", test_invalid_json);
  g_test_add_func ("/ladle/ui-body-viewer/bytes", test_bytes);
  g_test_add_func ("/ladle/ui-body-viewer/response-view", test_response_view);

  status = g_test_run ();
  ladle_test_rm_rf (tmpdir);
  g_free (big_path);
  g_free (tmpdir);
  return status;
}
