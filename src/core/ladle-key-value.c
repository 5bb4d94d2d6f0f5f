/* ladle-key-value.c
 *
 * Copyright 2026 The Ladle authors
 *
 * This program is free software: you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation, either version 3 of the
 * License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* LadleKeyValue: one row of a table of names and values (headers, query parameters, form fields,
 * multipart parts with their files), with the properties the editors bind to. */

#include "config.h"

#include "ladle-http-syntax.h"
#include "ladle-key-value.h"

/* Replaces *dest with a copy of @src; TRUE when the value changed. */
static gboolean
set_string (char       **dest,
            const char  *src)
{
  if (g_strcmp0 (*dest, src) == 0)
    return FALSE;

  g_free (*dest);
  *dest = g_strdup (src);
  return TRUE;
}

struct _LadleKeyValue
{
  GObject   parent_instance;

  char     *name;
  char     *value;
  char     *content_type;
  gboolean  enabled;
  gboolean  is_file;
};

G_DEFINE_FINAL_TYPE (LadleKeyValue, ladle_key_value, G_TYPE_OBJECT)

enum {
  KV_PROP_0,
  KV_PROP_NAME,
  KV_PROP_VALUE,
  KV_PROP_ENABLED,
  KV_PROP_IS_FILE,
  KV_PROP_CONTENT_TYPE,
  KV_N_PROPS
};

static GParamSpec *kv_properties[KV_N_PROPS];

static void
ladle_key_value_finalize (GObject *object)
{
  LadleKeyValue *self = LADLE_KEY_VALUE (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->value, g_free);
  g_clear_pointer (&self->content_type, g_free);

  G_OBJECT_CLASS (ladle_key_value_parent_class)->finalize (object);
}

static void
ladle_key_value_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  LadleKeyValue *self = LADLE_KEY_VALUE (object);

  switch (prop_id)
    {
    case KV_PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case KV_PROP_VALUE:
      g_value_set_string (value, self->value);
      break;

    case KV_PROP_ENABLED:
      g_value_set_boolean (value, self->enabled);
      break;

    case KV_PROP_IS_FILE:
      g_value_set_boolean (value, self->is_file);
      break;

    case KV_PROP_CONTENT_TYPE:
      g_value_set_string (value, self->content_type);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_key_value_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  LadleKeyValue *self = LADLE_KEY_VALUE (object);

  switch (prop_id)
    {
    case KV_PROP_NAME:
      ladle_key_value_set_name (self, g_value_get_string (value));
      break;

    case KV_PROP_VALUE:
      ladle_key_value_set_value (self, g_value_get_string (value));
      break;

    case KV_PROP_ENABLED:
      ladle_key_value_set_enabled (self, g_value_get_boolean (value));
      break;

    case KV_PROP_IS_FILE:
      ladle_key_value_set_is_file (self, g_value_get_boolean (value));
      break;

    case KV_PROP_CONTENT_TYPE:
      ladle_key_value_set_content_type (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ladle_key_value_class_init (LadleKeyValueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ladle_key_value_finalize;
  object_class->get_property = ladle_key_value_get_property;
  object_class->set_property = ladle_key_value_set_property;

  kv_properties[KV_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  kv_properties[KV_PROP_VALUE] =
    g_param_spec_string ("value", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  kv_properties[KV_PROP_ENABLED] =
    g_param_spec_boolean ("enabled", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  kv_properties[KV_PROP_IS_FILE] =
    g_param_spec_boolean ("is-file", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  kv_properties[KV_PROP_CONTENT_TYPE] =
    g_param_spec_string ("content-type", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, KV_N_PROPS, kv_properties);
}

static void
ladle_key_value_init (LadleKeyValue *self)
{
  self->name = g_strdup ("");
  self->value = g_strdup ("");
  self->enabled = TRUE;
}

/**
 * ladle_key_value_new:
 * @name: (nullable): the name, %NULL for ""
 * @value: (nullable): the value, %NULL for ""
 *
 * Returns: (transfer full): a new enabled text row
 */
LadleKeyValue *
ladle_key_value_new (const char *name,
                     const char *value)
{
  LadleKeyValue *self = g_object_new (LADLE_TYPE_KEY_VALUE, NULL);

  set_string (&self->name, name != NULL ? name : "");
  set_string (&self->value, value != NULL ? value : "");
  return self;
}

/**
 * ladle_key_value_new_file:
 * @name: (nullable): the field name
 * @path: (type filename): the file to send
 *
 * Returns: (transfer full): a new enabled multipart file row
 */
LadleKeyValue *
ladle_key_value_new_file (const char *name,
                          const char *path)
{
  LadleKeyValue *self = ladle_key_value_new (name, path);

  self->is_file = TRUE;
  return self;
}

const char *
ladle_key_value_get_name (LadleKeyValue *self)
{
  g_return_val_if_fail (LADLE_IS_KEY_VALUE (self), NULL);

  return self->name;
}

void
ladle_key_value_set_name (LadleKeyValue *self,
                          const char    *name)
{
  g_return_if_fail (LADLE_IS_KEY_VALUE (self));

  if (set_string (&self->name, name != NULL ? name : ""))
    g_object_notify_by_pspec (G_OBJECT (self), kv_properties[KV_PROP_NAME]);
}

const char *
ladle_key_value_get_value (LadleKeyValue *self)
{
  g_return_val_if_fail (LADLE_IS_KEY_VALUE (self), NULL);

  return self->value;
}

void
ladle_key_value_set_value (LadleKeyValue *self,
                           const char    *value)
{
  g_return_if_fail (LADLE_IS_KEY_VALUE (self));

  if (set_string (&self->value, value != NULL ? value : ""))
    g_object_notify_by_pspec (G_OBJECT (self), kv_properties[KV_PROP_VALUE]);
}

gboolean
ladle_key_value_get_enabled (LadleKeyValue *self)
{
  g_return_val_if_fail (LADLE_IS_KEY_VALUE (self), FALSE);

  return self->enabled;
}

void
ladle_key_value_set_enabled (LadleKeyValue *self,
                             gboolean       enabled)
{
  g_return_if_fail (LADLE_IS_KEY_VALUE (self));

  enabled = !!enabled;
  if (self->enabled == enabled)
    return;

  self->enabled = enabled;
  g_object_notify_by_pspec (G_OBJECT (self), kv_properties[KV_PROP_ENABLED]);
}

gboolean
ladle_key_value_get_is_file (LadleKeyValue *self)
{
  g_return_val_if_fail (LADLE_IS_KEY_VALUE (self), FALSE);

  return self->is_file;
}

void
ladle_key_value_set_is_file (LadleKeyValue *self,
                             gboolean       is_file)
{
  g_return_if_fail (LADLE_IS_KEY_VALUE (self));

  is_file = !!is_file;
  if (self->is_file == is_file)
    return;

  self->is_file = is_file;
  g_object_notify_by_pspec (G_OBJECT (self), kv_properties[KV_PROP_IS_FILE]);
}

/**
 * ladle_key_value_get_content_type:
 *
 * Returns: (nullable): the part's Content-Type, %NULL to guess it from the file name
 */
const char *
ladle_key_value_get_content_type (LadleKeyValue *self)
{
  g_return_val_if_fail (LADLE_IS_KEY_VALUE (self), NULL);

  return self->content_type;
}

void
ladle_key_value_set_content_type (LadleKeyValue *self,
                                  const char    *content_type)
{
  g_return_if_fail (LADLE_IS_KEY_VALUE (self));

  if (set_string (&self->content_type, content_type))
    g_object_notify_by_pspec (G_OBJECT (self), kv_properties[KV_PROP_CONTENT_TYPE]);
}

/**
 * ladle_key_value_copy:
 *
 * Returns: (transfer full): a new row with @kv's name, value, content type and flags
 */
LadleKeyValue *
ladle_key_value_copy (LadleKeyValue *kv)
{
  g_return_val_if_fail (LADLE_IS_KEY_VALUE (kv), NULL);

  LadleKeyValue *copy = ladle_key_value_new (kv->name, kv->value);

  copy->enabled = kv->enabled;
  copy->is_file = kv->is_file;
  copy->content_type = g_strdup (kv->content_type);
  return copy;
}

/**
 * ladle_key_value_check_header:
 *
 * Returns: %TRUE when the row is not sent (disabled, or without a name) or is a valid header;
 *   else %FALSE with a %LADLE_ERROR_INVALID_ARGUMENT error that names it
 */
gboolean
ladle_key_value_check_header (LadleKeyValue  *self,
                              GError        **error)
{
  g_return_val_if_fail (LADLE_IS_KEY_VALUE (self), FALSE);

  if (!self->enabled || *self->name == '\0')
    return TRUE;

  return ladle_http_check_header (self->name, self->value, error);
}
