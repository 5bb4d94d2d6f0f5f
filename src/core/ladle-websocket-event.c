/* ladle-websocket-event.c
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

#include "ladle-websocket-event.h"

G_DEFINE_ENUM_TYPE (LadleWebsocketDirection, ladle_websocket_direction,
  G_DEFINE_ENUM_VALUE (LADLE_WEBSOCKET_DIRECTION_NONE, "none"),
  G_DEFINE_ENUM_VALUE (LADLE_WEBSOCKET_DIRECTION_IN, "in"),
  G_DEFINE_ENUM_VALUE (LADLE_WEBSOCKET_DIRECTION_OUT, "out"))

G_DEFINE_ENUM_TYPE (LadleWebsocketEventKind, ladle_websocket_event_kind,
  G_DEFINE_ENUM_VALUE (LADLE_WEBSOCKET_EVENT_TEXT, "text"),
  G_DEFINE_ENUM_VALUE (LADLE_WEBSOCKET_EVENT_BINARY, "binary"),
  G_DEFINE_ENUM_VALUE (LADLE_WEBSOCKET_EVENT_PING, "ping"),
  G_DEFINE_ENUM_VALUE (LADLE_WEBSOCKET_EVENT_PONG, "pong"),
  G_DEFINE_ENUM_VALUE (LADLE_WEBSOCKET_EVENT_CLOSE, "close"),
  G_DEFINE_ENUM_VALUE (LADLE_WEBSOCKET_EVENT_OPEN, "open"),
  G_DEFINE_ENUM_VALUE (LADLE_WEBSOCKET_EVENT_ERROR, "error"),
  G_DEFINE_ENUM_VALUE (LADLE_WEBSOCKET_EVENT_STATE, "state"))

struct _LadleWebsocketEvent
{
  GObject                  parent_instance;

  LadleWebsocketDirection  direction;
  LadleWebsocketEventKind  kind;
  gint64                   timestamp;
  GBytes                  *payload;       /* shared with the sender or libsoup, never copied */
  guint64                  size;
  guint                    close_code;
  char                    *close_reason;
  char                    *summary;
};

G_DEFINE_FINAL_TYPE (LadleWebsocketEvent, ladle_websocket_event, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DIRECTION,
  PROP_KIND,
  PROP_SIZE,
  PROP_TIMESTAMP,
  PROP_PAYLOAD,
  PROP_CLOSE_CODE,
  PROP_CLOSE_REASON,
  PROP_SUMMARY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ladle_websocket_event_finalize (GObject *object)
{
  LadleWebsocketEvent *self = (LadleWebsocketEvent *) object;

  g_clear_pointer (&self->payload, g_bytes_unref);
  g_clear_pointer (&self->close_reason, g_free);
  g_clear_pointer (&self->summary, g_free);

  G_OBJECT_CLASS (ladle_websocket_event_parent_class)->finalize (object);
}

static void
ladle_websocket_event_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  LadleWebsocketEvent *self = LADLE_WEBSOCKET_EVENT (object);

  switch (prop_id)
    {
    case PROP_DIRECTION:
      g_value_set_enum (value, self->direction);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_SIZE:
      g_value_set_uint64 (value, self->size);
      break;
    case PROP_TIMESTAMP:
      g_value_set_int64 (value, self->timestamp);
      break;
    case PROP_PAYLOAD:
      g_value_set_boxed (value, self->payload);
      break;
    case PROP_CLOSE_CODE:
      g_value_set_uint (value, self->close_code);
      break;
    case PROP_CLOSE_REASON:
      g_value_set_string (value, self->close_reason);
      break;
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_websocket_event_class_init (LadleWebsocketEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = ladle_websocket_event_finalize;
  object_class->get_property = ladle_websocket_event_get_property;

  properties[PROP_DIRECTION] =
    g_param_spec_enum ("direction", NULL, NULL, LADLE_TYPE_WEBSOCKET_DIRECTION,
                       LADLE_WEBSOCKET_DIRECTION_NONE, flags);
  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, LADLE_TYPE_WEBSOCKET_EVENT_KIND,
                       LADLE_WEBSOCKET_EVENT_TEXT, flags);
  properties[PROP_SIZE] =
    g_param_spec_uint64 ("size", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_TIMESTAMP] =
    g_param_spec_int64 ("timestamp", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_PAYLOAD] =
    g_param_spec_boxed ("payload", NULL, NULL, G_TYPE_BYTES, flags);
  properties[PROP_CLOSE_CODE] =
    g_param_spec_uint ("close-code", NULL, NULL, 0, G_MAXUINT16, 0, flags);
  properties[PROP_CLOSE_REASON] =
    g_param_spec_string ("close-reason", NULL, NULL, NULL, flags);
  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ladle_websocket_event_init (LadleWebsocketEvent *self)
{
  self->timestamp = g_get_real_time ();
}

/**
 * ladle_websocket_event_new:
 * @payload: (nullable): the message, kept by reference (text as UTF-8 bytes)
 * @summary: (nullable): a short text, e.g. an error message
 *
 * Returns: (transfer full): a new event stamped with the current real time (µs)
 */
LadleWebsocketEvent *
ladle_websocket_event_new (LadleWebsocketDirection  direction,
                           LadleWebsocketEventKind  kind,
                           GBytes                  *payload,
                           const char              *summary)
{
  LadleWebsocketEvent *self = g_object_new (LADLE_TYPE_WEBSOCKET_EVENT, NULL);

  self->direction = direction;
  self->kind = kind;
  if (payload != NULL)
    {
      self->payload = g_bytes_ref (payload);
      self->size = g_bytes_get_size (payload);
    }
  self->summary = g_strdup (summary);

  return self;
}

/**
 * ladle_websocket_event_new_close:
 * @code: the close code, 0 when none was received
 * @reason: (nullable): the close reason
 *
 * Returns: (transfer full): a close event; its size is that of the close frame's payload
 */
LadleWebsocketEvent *
ladle_websocket_event_new_close (LadleWebsocketDirection  direction,
                                 guint                    code,
                                 const char              *reason)
{
  LadleWebsocketEvent *self = ladle_websocket_event_new (direction, LADLE_WEBSOCKET_EVENT_CLOSE,
                                                         NULL, NULL);

  self->close_code = code;
  self->close_reason = g_strdup (reason != NULL ? reason : "");
  self->size = code != 0 ? 2 + strlen (self->close_reason) : 0;
  self->summary = code != 0 ? g_strdup_printf ("%u %s", code, self->close_reason) : NULL;

  return self;
}

LadleWebsocketDirection
ladle_websocket_event_get_direction (LadleWebsocketEvent *self)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_EVENT (self), LADLE_WEBSOCKET_DIRECTION_NONE);

  return self->direction;
}

LadleWebsocketEventKind
ladle_websocket_event_get_kind (LadleWebsocketEvent *self)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_EVENT (self), LADLE_WEBSOCKET_EVENT_TEXT);

  return self->kind;
}

guint64
ladle_websocket_event_get_size (LadleWebsocketEvent *self)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_EVENT (self), 0);

  return self->size;
}

/**
 * ladle_websocket_event_get_timestamp:
 *
 * Returns: when the event happened, in µs of real time (g_get_real_time())
 */
gint64
ladle_websocket_event_get_timestamp (LadleWebsocketEvent *self)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_EVENT (self), 0);

  return self->timestamp;
}

/**
 * ladle_websocket_event_get_payload:
 *
 * Returns: (transfer none) (nullable): the message payload
 */
GBytes *
ladle_websocket_event_get_payload (LadleWebsocketEvent *self)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_EVENT (self), NULL);

  return self->payload;
}

guint
ladle_websocket_event_get_close_code (LadleWebsocketEvent *self)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_EVENT (self), 0);

  return self->close_code;
}

const char *
ladle_websocket_event_get_close_reason (LadleWebsocketEvent *self)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_EVENT (self), NULL);

  return self->close_reason;
}

const char *
ladle_websocket_event_get_summary (LadleWebsocketEvent *self)
{
  g_return_val_if_fail (LADLE_IS_WEBSOCKET_EVENT (self), NULL);

  return self->summary;
}
