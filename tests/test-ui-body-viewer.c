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

#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <string.h>
#include <unistd.h>
#include <utime.h>

#include <glib/gstdio.h>

#include "ladle-application.h"
#include "ladle-body-view.h"
#include "ladle-body-viewer.h"
#include "ladle-http-client.h"
#include "ladle-line-model.h"
#include "ladle-mock-routes.h"
#include "ladle-requests-page.h"
#include "ladle-response-view.h"
#include "ladle-server.h"
#include "ladle-test-input.h"
#include "ladle-test-ui.h"
#include "ladle-timing-view.h"
#include "ladle-window.h"

/* The large-body viewer on a 100 MB JSON file, as a user would meet it: the first screen, the
 * end, a search, go to line, copy, save as; then hex, invalid JSON, and a real response. Times
 * are reported (not asserted): first screen and the longest main-loop stall. */

#define MARKER     "LADLE-NEEDLE-7f3a91"
#define BIG_SIZE   (100 * 1000 * 1000)

static char *tmpdir;
static char *big_path;
static char *test_tmp;   /* TMPDIR of the whole test: Ladle's temporary files go here */

#ifndef LADLE_TIMING_VIEW_N_ROWS
#define LADLE_TIMING_VIEW_N_ROWS 6
#endif

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
    if (strstr (name, "ladle-") != NULL && strstr (name, "-pretty-") != NULL)
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

/* ------------------------------------------------------------------------------------------------
 * Issue 12: temporary files, memory, the empty body, one JSON style, centred hits, timing
 */

/* Whether @name is one of Ladle's temporary files, of any version: "ladle-body-…",
 * "[.]ladle-pretty-…", "[.]ladle-PID-…" */
static gboolean
is_ladle_temp_name (const char *name)
{
  const char *p = name;

  if (*p == '.')
    p++;
  if (!g_str_has_prefix (p, "ladle-"))
    return FALSE;
  p += strlen ("ladle-");
  return g_str_has_prefix (p, "body-") || g_str_has_prefix (p, "pretty-") ||
         g_ascii_isdigit (*p);
}

/* Ladle's temporary files in @dir; with @own_prefix, how many of them carry it */
static guint
count_temp_files (const char *dir,
                  const char *own_prefix,
                  guint      *out_own)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (listing);
  if (out_own != NULL)
    *out_own = 0;
  while ((name = g_dir_read_name (listing)) != NULL)
    if (is_ladle_temp_name (name))
      {
        n++;
        if (out_own != NULL && own_prefix != NULL &&
            g_str_has_prefix (name + (*name == '.'), own_prefix))
          (*out_own)++;
      }
  return n;
}

/* A JSON array of @n objects, compact: about 100 bytes each */
static char *
make_json (guint n)
{
  GString *text = g_string_sized_new ((gsize) n * 110);

  g_string_append_c (text, '[');
  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s{\"id\":%u,\"name\":\"item %u\",\"tags\":[\"a\",\"b\"],"
                            "\"text\":\"The quick brown fox jumps over the lazy dog\"}",
                            i > 0 ? "," : "", i, i);
  g_string_append_c (text, ']');
  return g_string_free (text, FALSE);
}

static glong
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "\nVmRSS:");
  g_assert_nonnull (line);
  return (glong) g_ascii_strtoll (line + strlen ("\nVmRSS:"), NULL, 10);
}

/* The viewer's copies of a body (the bytes written out, the pretty copy) carry this process's
 * number, and go when the viewer goes, which it does once its window is closed. */
static void
test_viewer_temp_files (void)
{
  g_autofree char *json = make_json (20000);
  gsize len = strlen (json);
  g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&json), len);
  g_autofree char *own = g_strdup_printf ("ladle-%d-", (int) getpid ());
  GtkWidget *viewer = ladle_body_viewer_new ();
  GtkWindow *window;
  guint n_own = 0;

  /* What the cases before left is deleted in worker threads */
  LADLE_TEST_WAIT_UNTIL (count_temp_files (g_get_tmp_dir (), NULL, NULL) == 0, 20000);

  window = open_window (viewer, 1100, 720);
  g_object_add_weak_pointer (G_OBJECT (viewer), (gpointer *) &viewer);
  ladle_body_viewer_set_bytes (LADLE_BODY_VIEWER (viewer), bytes, "application/json");
  LADLE_TEST_WAIT_UNTIL (n_rows (viewer) > 0 &&
                         !ladle_body_viewer_get_busy (LADLE_BODY_VIEWER (viewer)), 20000);
  g_assert_cmpuint (count_temp_files (g_get_tmp_dir (), own, &n_own), ==, 2);
  /* Named after this process, so that a sweep after a crash can tell whose they are */
  g_assert_cmpuint (n_own, ==, 2);

  close_window (window);
  LADLE_TEST_WAIT_UNTIL (viewer == NULL, 5000);
  LADLE_TEST_WAIT_UNTIL (count_temp_files (g_get_tmp_dir (), NULL, NULL) == 0, 5000);
}

/* Opening and closing tabs with a large body: the tab's viewer goes, its files go, and what the
 * process holds does not grow with each (the figures are reported, not asserted). */
static void
test_tab_memory (void)
{
  g_autofree char *mock = g_build_filename (tmpdir, "mock", NULL);
  g_autofree char *routes = g_build_filename (mock, "routes.json", NULL);
  g_autofree char *body = g_build_filename (mock, "big.json", NULL);
  g_autofree char *json = make_json (500000);   /* about 52 MB */
  g_autofree char *url = NULL;
  g_autofree char *uploads = g_build_filename (tmpdir, "uploads", NULL);
  const char *args[] = { "--routes", routes, "--quiet", NULL };
  LadleTestServe serve;
  LadleWindow *window;
  LadleRequestsPage *page;
  glong rss[5] = { 0, };
  guint cycles = 4;

  g_assert_cmpint (g_mkdir_with_parents (mock, 0700), ==, 0);
  g_assert_true (g_file_set_contents (body, json, -1, NULL));
  g_clear_pointer (&json, g_free);
  g_assert_true (g_file_set_contents (routes, "{ \"version\": 1, \"routes\": [\n"
                                      "  { \"path\": \"/big\", \"body_file\": \"big.json\","
                                      " \"content_type\": \"application/json\" }\n] }\n",
                                      -1, NULL));
  ladle_test_serve_start (&serve, uploads, args, NULL);
  url = g_strconcat (serve.url, "/big", NULL);

  window = ladle_window_new (NULL);
  ladle_test_ui_show (GTK_WINDOW (window), 1100, 720);
  page = LADLE_REQUESTS_PAGE (ladle_window_get_page (window, "requests"));
  ladle_test_ui_spin (300);
  rss[0] = rss_kib ();

  for (guint i = 1; i <= cycles; i++)
    {
      GtkWidget *viewer = NULL;
      GtkWidget *tab;

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-tab", NULL));
      tab = GTK_WIDGET (ladle_requests_page_get_current_tab (page));
      ladle_request_set_url (ladle_requests_page_get_request (page), url);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "request.send", NULL));
      LADLE_TEST_WAIT_UNTIL (!ladle_requests_page_get_busy (page), 60000);
      viewer = ladle_test_ui_find_by_type (tab, LADLE_TYPE_BODY_VIEWER);
      g_assert_nonnull (viewer);
      LADLE_TEST_WAIT_UNTIL (n_rows (viewer) > 0 &&
                             !ladle_body_viewer_get_busy (LADLE_BODY_VIEWER (viewer)), 60000);
      /* The spilled body and its pretty copy */
      g_assert_cmpuint (count_temp_files (g_get_tmp_dir (), NULL, NULL), ==, 2);

      g_object_add_weak_pointer (G_OBJECT (viewer), (gpointer *) &viewer);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL));
      LADLE_TEST_WAIT_UNTIL (viewer == NULL, 10000);
      LADLE_TEST_WAIT_UNTIL (count_temp_files (g_get_tmp_dir (), NULL, NULL) == 0, 10000);
      ladle_test_ui_spin (500);
      rss[i] = rss_kib ();
      g_test_message ("RSS after %u open/close cycles of a 52 MB body: %ld MiB (%+ld MiB)", i,
                      rss[i] / 1024, (rss[i] - rss[0]) / 1024);
    }
  g_test_message ("RSS before: %ld MiB; after 1 cycle %ld MiB, after %u cycles %ld MiB",
                  rss[0] / 1024, rss[1] / 1024, cycles, rss[cycles] / 1024);

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  LADLE_TEST_WAIT_UNTIL (window == NULL, 5000);
  ladle_test_serve_stop (&serve, SIGTERM);
  g_unlink (body);
}

/* The whole application, quit with Ctrl+Q (real key events) while a large body is shown:
 * nothing of it stays in the temporary folder. */
typedef struct
{
  GApplication *app;
  char         *url;
  guint         files_seen;
  gboolean      driven;
} QuitRun;

static void
quit_drive (gpointer data)
{
  QuitRun *run = data;
  GtkWindow *window = NULL;
  LadleRequestsPage *page;
  GtkWidget *viewer = NULL;

  LADLE_TEST_WAIT_UNTIL ((window = gtk_application_get_active_window (GTK_APPLICATION (run->app)))
                         != NULL, 10000);
  ladle_test_ui_wait_for_draw (GTK_WIDGET (window));
  page = LADLE_REQUESTS_PAGE (ladle_window_get_page (LADLE_WINDOW (window), "requests"));
  ladle_request_set_url (ladle_requests_page_get_request (page), run->url);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "request.send", NULL));
  LADLE_TEST_WAIT_UNTIL (!ladle_requests_page_get_busy (page), 60000);
  LADLE_TEST_WAIT_UNTIL ((viewer = ladle_test_ui_find_by_type (GTK_WIDGET (window),
                                                               LADLE_TYPE_BODY_VIEWER)) != NULL &&
                         n_rows (viewer) > 0, 60000);
  run->files_seen = count_temp_files (g_get_tmp_dir (), NULL, NULL);
  run->driven = TRUE;

  if (ladle_test_input_available ())
    {
      ladle_test_input_focus_window (window);
      ladle_test_input_key ("ctrl+q");
    }
  else
    g_action_group_activate_action (G_ACTION_GROUP (run->app), "quit", NULL);
}

static void
quit_activated_cb (GApplication *app,
                   QuitRun      *run)
{
  if (!run->driven)
    g_idle_add_once (quit_drive, run);
}

static void
test_app_quit (void)
{
  g_autofree char *mock = g_build_filename (tmpdir, "mock-quit", NULL);
  g_autofree char *routes = g_build_filename (mock, "routes.json", NULL);
  g_autofree char *body = g_build_filename (mock, "big.json", NULL);
  g_autofree char *json = make_json (120000);   /* about 12 MB: spilled to a file */
  g_autofree char *uploads = g_build_filename (tmpdir, "uploads", NULL);
  const char *args[] = { "--routes", routes, "--quiet", NULL };
  LadleTestServe serve;
  QuitRun run = { 0, };
  GList *toplevels;
  int status;

  g_assert_cmpint (g_mkdir_with_parents (mock, 0700), ==, 0);
  g_assert_true (g_file_set_contents (body, json, -1, NULL));
  g_assert_true (g_file_set_contents (routes, "{ \"version\": 1, \"routes\": [\n"
                                      "  { \"path\": \"/big\", \"body_file\": \"big.json\","
                                      " \"content_type\": \"application/json\" }\n] }\n",
                                      -1, NULL));
  ladle_test_serve_start (&serve, uploads, args, NULL);
  run.url = g_strconcat (serve.url, "/big", NULL);
  g_assert_cmpuint (count_temp_files (g_get_tmp_dir (), NULL, NULL), ==, 0);

  run.app = g_object_new (LADLE_TYPE_APPLICATION,
                          "application-id", APP_ID,
                          "resource-base-path", "/io/github/ladle/Ladle",
                          "flags", G_APPLICATION_NON_UNIQUE,
                          NULL);
  g_signal_connect_after (run.app, "activate", G_CALLBACK (quit_activated_cb), &run);
  status = g_application_run (run.app, 0, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (run.driven);
  /* The spilled response and the viewer's pretty copy were there… */
  g_assert_cmpuint (run.files_seen, >=, 2);
  /* …and went with the application */
  g_assert_cmpuint (count_temp_files (g_get_tmp_dir (), NULL, NULL), ==, 0);

  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (LADLE_IS_WINDOW (l->data))
      gtk_window_destroy (l->data);
  g_list_free (toplevels);
  ladle_test_ui_spin (200);
  g_object_unref (run.app);
  ladle_test_serve_stop (&serve, SIGTERM);
  g_free (run.url);
}

/* `ladle-window` itself: at start it sweeps what killed runs left in the temporary folder (and
 * nothing else), and SIGTERM quits it cleanly, its own files gone. */
static void
write_file (const char *dir,
            const char *name,
            time_t      mtime)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, "left over", -1, NULL));
  if (mtime != 0)
    {
      struct utimbuf times = { mtime, mtime };

      g_assert_cmpint (utime (path, &times), ==, 0);
    }
}

static gboolean
exists_in (const char *dir,
           const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK);
}

static void
test_window_sweep_and_sigterm (void)
{
  g_autofree char *dir = g_build_filename (tmpdir, "window-tmp", NULL);
  g_autofree char *bin_dir = g_path_get_dirname (g_getenv ("LADLE_BIN"));
  g_autofree char *window_bin = g_build_filename (bin_dir, "ladle-window", NULL);
  g_autofree char *dead = NULL;
  g_autofree char *dead_pretty = NULL;
  g_autofree char *dead_other = NULL;
  g_autofree char *dead_link = NULL;
  g_autofree char *live = NULL;
  g_autofree char *child_file = NULL;
  g_autofree char *link_path = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { window_bin, NULL };
  time_t now = time (NULL);
  guint dead_pid;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);

  /* A process number that is no one's any more */
  {
    pid_t child = fork ();
    int child_status = 0;

    if (child == 0)
      _exit (0);
    g_assert_cmpint (child, >, 0);
    g_assert_cmpint (waitpid (child, &child_status, 0), ==, child);
    dead_pid = (guint) child;
  }

  dead = g_strdup_printf ("ladle-%u-body-a1b2c3", dead_pid);
  dead_pretty = g_strdup_printf (".ladle-%u-pretty-d4e5f6.json", dead_pid);
  dead_other = g_strdup_printf ("ladle-%u-notes-a1b2c3", dead_pid);      /* not a kind of ours */
  dead_link = g_strdup_printf ("ladle-%u-body-linked", dead_pid);        /* not a regular file */
  live = g_strdup_printf ("ladle-%d-body-g7h8i9", (int) getpid ());      /* this test's: alive */
  write_file (dir, dead, 0);
  write_file (dir, dead_pretty, 0);
  write_file (dir, dead_other, 0);
  write_file (dir, live, 0);
  write_file (dir, "ladle-body-Xy12Ab", 0);                   /* legacy, fresh: may be in use */
  write_file (dir, ".ladle-pretty-Zz98Yy.json", now - 3 * 24 * 3600);   /* legacy, old */
  write_file (dir, "ladle-1-body-reused", 1000);   /* pid 1 started long after 1970: reused */
  link_path = g_build_filename (dir, dead_link, NULL);
  g_assert_cmpint (symlink (big_path, link_path), ==, 0);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_setenv (launcher, "TMPDIR", dir, TRUE);
  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);

  /* The sweep runs at start */
  LADLE_TEST_WAIT_UNTIL (!exists_in (dir, dead), 20000);
  LADLE_TEST_WAIT_UNTIL (!exists_in (dir, dead_pretty), 5000);
  LADLE_TEST_WAIT_UNTIL (!exists_in (dir, ".ladle-pretty-Zz98Yy.json"), 5000);
  LADLE_TEST_WAIT_UNTIL (!exists_in (dir, "ladle-1-body-reused"), 5000);
  g_assert_true (exists_in (dir, live));
  g_assert_true (exists_in (dir, dead_other));
  g_assert_true (exists_in (dir, dead_link));
  g_assert_true (exists_in (dir, "ladle-body-Xy12Ab"));
  g_assert_true (g_file_test (big_path, G_FILE_TEST_IS_REGULAR));

  /* A file of the window's own, then SIGTERM: a clean exit, the file gone */
  child_file = g_strdup_printf ("ladle-%s-body-j0k1l2", g_subprocess_get_identifier (proc));
  write_file (dir, child_file, 0);
  g_subprocess_send_signal (proc, SIGTERM);
  g_assert_true (g_subprocess_wait (proc, NULL, &error));
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  g_assert_false (exists_in (dir, child_file));
  g_assert_true (exists_in (dir, live));

  ladle_test_rm_rf (dir);
}

/* An empty body says so, and why when the response tells */
static void
test_no_body (void)
{
  static const char * const languages[] = { NULL, "ru" };
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    for (guint dark = 0; dark <= 1; dark++)
      {
        GtkWidget *view;
        GtkWindow *window;
        GtkWidget *page;
        g_autofree char *name = NULL;

        ladle_test_ui_set_language (languages[l]);
        ladle_test_ui_set_dark (dark);
        view = ladle_body_view_new ();
        window = open_window (view, 1100, 720);
        ladle_body_view_set_bytes (LADLE_BODY_VIEW (view), empty, NULL, 0);
        ladle_test_ui_spin (100);
        g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (find (view, "body_stack"))),
                         ==, "empty");
        page = find (view, "empty_page");
        g_assert_true (gtk_widget_get_mapped (page));
        if (languages[l] == NULL)
          g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (page)), ==, "No body");
        g_assert_true (ladle_body_view_get_ready (LADLE_BODY_VIEW (view)));

        name = g_strdup_printf ("body-view-no-body-wide-%s-%s", dark ? "dark" : "light",
                                languages[l] != NULL ? languages[l] : "en");
        g_free (ladle_test_ui_screenshot (GTK_WIDGET (window), name));

        /* Why: HEAD, 204, 304 */
        ladle_body_view_set_empty_reason (LADLE_BODY_VIEW (view), "HEAD", 200);
        ladle_body_view_set_bytes (LADLE_BODY_VIEW (view), empty, NULL, 0);
        ladle_test_ui_spin (100);
        if (languages[l] == NULL)
          g_assert_cmpstr (adw_status_page_get_description (ADW_STATUS_PAGE (page)), ==,
                           "A response to HEAD has headers only.");
        ladle_body_view_set_empty_reason (LADLE_BODY_VIEW (view), "GET", 304);
        ladle_body_view_set_bytes (LADLE_BODY_VIEW (view), empty, NULL, 0);
        gtk_window_set_default_size (window, 360, 640);
        ladle_test_ui_spin (300);
        if (languages[l] == NULL)
          g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (page)),
                                    "304"));
        g_free (name);
        name = g_strdup_printf ("body-view-no-body-narrow-%s-%s", dark ? "dark" : "light",
                                languages[l] != NULL ? languages[l] : "en");
        g_free (ladle_test_ui_screenshot (GTK_WIDGET (window), name));

        /* A body again: no placeholder */
        {
          g_autoptr(GBytes) text = g_bytes_new_static ("hello", 5);

          ladle_body_view_set_empty_reason (LADLE_BODY_VIEW (view), NULL, 0);
          ladle_body_view_set_bytes (LADLE_BODY_VIEW (view), text, "text/plain", 0);
          LADLE_TEST_WAIT_UNTIL (ladle_body_view_get_ready (LADLE_BODY_VIEW (view)), 5000);
          g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (find (view, "body_stack"))),
                           ==, "text");
        }
        close_window (window);
      }
  ladle_test_ui_set_language (NULL);
  ladle_test_ui_set_dark (FALSE);
}

static char *
text_view_text (GtkWidget *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (find (view, "body_view")));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* Small JSON (the text view) and large JSON (the viewer) come out in one style: "a": 1 */
static void
test_one_json_style (void)
{
  static const char small[] = "{\"a\":1,\"b\":[true,null],\"c\":{},\"d\":\"x\"}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (small, strlen (small));
  g_autofree char *large = make_json (15000);
  gsize large_len = strlen (large);
  g_autoptr(GBytes) large_bytes = g_bytes_new_take (g_steal_pointer (&large), large_len);
  g_autofree char *text = NULL;
  g_autofree char *row = NULL;
  GtkWidget *view = ladle_body_view_new ();
  GtkWindow *window = open_window (view, 1100, 720);
  GtkWidget *viewer;

  ladle_body_view_set_bytes (LADLE_BODY_VIEW (view), bytes, "application/json", 0);
  LADLE_TEST_WAIT_UNTIL (ladle_body_view_get_ready (LADLE_BODY_VIEW (view)), 5000);
  text = text_view_text (view);
  g_assert_cmpstr (text, ==,
                   "{\n"
                   "  \"a\": 1,\n"
                   "  \"b\": [\n"
                   "    true,\n"
                   "    null\n"
                   "  ],\n"
                   "  \"c\": {},\n"
                   "  \"d\": \"x\"\n"
                   "}");

  ladle_body_view_set_bytes (LADLE_BODY_VIEW (view), large_bytes, "application/json", 0);
  g_assert_true (ladle_body_view_get_in_viewer (LADLE_BODY_VIEW (view)));
  viewer = find (view, "body_viewer");
  LADLE_TEST_WAIT_UNTIL (ladle_body_view_get_ready (LADLE_BODY_VIEW (view)) && n_rows (viewer) > 3,
                         20000);
  row = model_text (viewer, 2);
  g_assert_cmpstr (row, ==, "    \"id\": 0,");
  close_window (window);
}

/* Where a row or a character is, as a fraction of the height shown (0 top, 1 bottom) */
static double
row_place (GtkWidget *viewer,
           GtkWidget *box)
{
  GtkWidget *scroller = find (viewer, "scroller");
  graphene_point_t p;

  g_assert_true (gtk_widget_compute_point (box, scroller, &GRAPHENE_POINT_INIT (0, 0), &p));
  return (p.y + gtk_widget_get_height (box) / 2.0) / gtk_widget_get_height (scroller);
}

static double
cursor_place (GtkWidget *view)
{
  GtkTextView *text_view = GTK_TEXT_VIEW (find (view, "body_view"));
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (text_view);
  GdkRectangle visible, location;
  GtkTextIter iter;

  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  gtk_text_view_get_visible_rect (text_view, &visible);
  gtk_text_view_get_iter_location (text_view, &iter, &location);
  return (location.y + location.height / 2.0 - visible.y) / visible.height;
}

/* A search hit, or the line gone to, is in the middle of the view, not at its bottom edge */
static void
test_hits_centred (void)
{
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autoptr(GBytes) small = NULL;
  g_autoptr(GBytes) large = NULL;
  GtkWidget *view = ladle_body_view_new ();
  GtkWindow *window = open_window (view, 1100, 720);
  GtkWidget *viewer;
  GtkWidget *row = NULL;
  double place;

  /* The text view: 600 lines, the hit on line 400 */
  for (guint i = 1; i <= 600; i++)
    g_string_append_printf (lines, "line %u%s\n", i, i == 400 ? " needle-small" : "");
  small = g_bytes_new (lines->str, lines->len);
  ladle_body_view_set_bytes (LADLE_BODY_VIEW (view), small, "text/plain", 0);
  LADLE_TEST_WAIT_UNTIL (ladle_body_view_get_ready (LADLE_BODY_VIEW (view)), 5000);
  ladle_test_ui_wait_for_draw (view);
  ladle_body_view_begin_search (LADLE_BODY_VIEW (view));
  gtk_editable_set_text (GTK_EDITABLE (find (view, "search_entry")), "needle-small");
  g_signal_emit_by_name (find (view, "search_entry"), "search-changed");
  ladle_test_ui_spin (500);
  ladle_test_ui_wait_for_draw (view);
  place = cursor_place (view);
  g_test_message ("text view: the hit at %.2f of the height", place);
  g_assert_cmpfloat (place, >, 0.35);
  g_assert_cmpfloat (place, <, 0.65);

  /* The viewer (over 1 MiB): 150 000 lines, the hit on line 100 000, then line 50 000 */
  g_string_truncate (lines, 0);
  for (guint i = 1; i <= 150000; i++)
    g_string_append_printf (lines, "row %u%s\n", i, i == 100000 ? " needle-large" : "");
  large = g_bytes_new (lines->str, lines->len);
  ladle_body_view_set_bytes (LADLE_BODY_VIEW (view), large, "text/plain", 0);
  g_assert_true (ladle_body_view_get_in_viewer (LADLE_BODY_VIEW (view)));
  viewer = find (view, "body_viewer");
  LADLE_TEST_WAIT_UNTIL (ladle_body_view_get_ready (LADLE_BODY_VIEW (view)) &&
                         n_rows (viewer) == 150000, 20000);
  ladle_test_ui_wait_for_draw (viewer);
  ladle_body_viewer_search (LADLE_BODY_VIEWER (viewer), "needle-large");
  LADLE_TEST_WAIT_UNTIL ((row = visible_row_with (viewer, "needle-large")) != NULL, 10000);
  ladle_test_ui_spin (300);
  ladle_test_ui_wait_for_draw (viewer);
  row = visible_row_with (viewer, "needle-large");
  g_assert_nonnull (row);
  place = row_place (viewer, row);
  g_test_message ("viewer: the hit at %.2f of the height", place);
  g_assert_cmpfloat (place, >, 0.35);
  g_assert_cmpfloat (place, <, 0.65);
  gtk_search_bar_set_search_mode (GTK_SEARCH_BAR (find (viewer, "search_bar")), FALSE);

  ladle_body_viewer_go_to_line (LADLE_BODY_VIEWER (viewer), 50000);
  LADLE_TEST_WAIT_UNTIL (visible_row_with (viewer, "row 50000") != NULL, 10000);
  ladle_test_ui_spin (300);
  ladle_test_ui_wait_for_draw (viewer);
  row = visible_row_with (viewer, "row 50000");
  g_assert_nonnull (row);
  g_assert_true (row_selected (row));
  place = row_place (viewer, row);
  g_test_message ("viewer: line 50000 at %.2f of the height", place);
  g_assert_cmpfloat (place, >, 0.35);
  g_assert_cmpfloat (place, <, 0.65);

  close_window (window);
}

/* Every phase of the waterfall has a name, the first one "Prepare" */
static void
test_timing_prepare (void)
{
  static const char * const languages[] = { NULL, "ru" };
  /* A reused connection: no DNS, connect or TLS; 0.3 ms before the request went out */
  const LadleTiming timing = { 0, 0, 0, 0, 0, 300, 1500, 4000 };

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    for (guint dark = 0; dark <= 1; dark++)
      for (guint narrow = 0; narrow <= 1; narrow++)
        {
          GtkWidget *view;
          GtkWindow *window;
          g_autofree char *first = NULL;
          g_autofree char *last = NULL;
          g_autofree char *name = NULL;

          ladle_test_ui_set_language (languages[l]);
          ladle_test_ui_set_dark (dark);
          view = ladle_timing_view_new ();
          gtk_widget_set_margin_start (view, 12);
          gtk_widget_set_margin_end (view, 12);
          gtk_widget_set_margin_top (view, 12);
          gtk_widget_set_valign (view, GTK_ALIGN_START);
          window = open_window (view, narrow ? 360 : 800, narrow ? 640 : 300);
          ladle_timing_view_set_timing (LADLE_TIMING_VIEW (view), &timing);
          ladle_test_ui_wait_for_draw (view);

          first = ladle_timing_view_dup_row (LADLE_TIMING_VIEW (view), 0);
          last = ladle_timing_view_dup_row (LADLE_TIMING_VIEW (view), LADLE_TIMING_VIEW_N_ROWS - 1);
          if (languages[l] == NULL)
            {
              g_assert_cmpstr (first, ==, "Prepare 0.3 ms");
              g_assert_cmpstr (last, ==, "Total 4.0 ms");
            }
          for (guint i = 0; i < LADLE_TIMING_VIEW_N_ROWS; i++)
            {
              g_autofree char *row = ladle_timing_view_dup_row (LADLE_TIMING_VIEW (view), i);

              g_assert_nonnull (row);
              g_assert_false (g_str_has_prefix (row, " "));
            }

          name = g_strdup_printf ("timing-prepare-%s-%s-%s", narrow ? "narrow" : "wide",
                                  dark ? "dark" : "light",
                                  languages[l] != NULL ? languages[l] : "en");
          g_free (ladle_test_ui_screenshot (GTK_WIDGET (window), name));
          close_window (window);
        }
  ladle_test_ui_set_language (NULL);
  ladle_test_ui_set_dark (FALSE);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* Ladle's temporary files go to a folder of the test's own, where they can be counted */
  {
    const char *system_tmp = g_getenv ("TMPDIR");

    test_tmp = g_strdup_printf ("%s/ladle-ui-body-viewer-tmp-XXXXXX",
                                system_tmp != NULL && *system_tmp != '\0' ? system_tmp : "/tmp");
    g_assert_nonnull (g_mkdtemp (test_tmp));
    g_setenv ("TMPDIR", test_tmp, TRUE);
  }

  if (!ladle_test_ui_init (&argc, &argv))
    {
      g_test_add_func ("/ladle/ui-body-viewer/no-display", (GTestFunc) g_test_incomplete);
      status = ladle_test_run ();
      ladle_test_rm_rf (test_tmp);
      g_free (test_tmp);
      return status;
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
  g_test_add_func ("/ladle/ui-body-viewer/viewer-temp-files", test_viewer_temp_files);
  g_test_add_func ("/ladle/ui-body-viewer/no-body", test_no_body);
  g_test_add_func ("/ladle/ui-body-viewer/one-json-style", test_one_json_style);
  g_test_add_func ("/ladle/ui-body-viewer/hits-centred", test_hits_centred);
  g_test_add_func ("/ladle/ui-body-viewer/timing-prepare", test_timing_prepare);
  g_test_add_func ("/ladle/ui-body-viewer/tab-memory", test_tab_memory);
  g_test_add_func ("/ladle/ui-body-viewer/window-sweep-and-sigterm",
                   test_window_sweep_and_sigterm);
  /* Last: the application's shutdown ends the temporary files of the process */
  g_test_add_func ("/ladle/ui-body-viewer/app-quit", test_app_quit);

  status = g_test_run ();
  ladle_test_rm_rf (tmpdir);
  g_free (big_path);
  g_free (tmpdir);
  ladle_test_rm_rf (test_tmp);
  g_free (test_tmp);
  return status;
}
