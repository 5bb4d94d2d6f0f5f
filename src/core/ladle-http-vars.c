/* ladle-http-vars.c
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

#include <errno.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ladle-error.h"
#include "ladle-http-vars-private.h"
#include "ladle-json.h"

/* {{…}} as JetBrains' HTTP Client, VS Code REST Client and httpyac read it.
 *
 * - A name is looked up in the order of LadleHttpSource: overrides, the request's `@name = value`
 *   lines, the file's, the private environment file (the environment, then $shared), the shared
 *   one, then .env. The last definition of a name in a region wins.
 * - A value found in the .http file or in an environment file is expanded in turn, where it was
 *   written: a request variable sees the request's variables, a file variable the file's, an
 *   environment value only overrides and environments. Overrides, .env values, dynamic values and
 *   responses are taken as they are (a response that contains "{{" is never expanded).
 * - Within one expansion (one request built) a variable is expanded once and its value reused:
 *   `@id = {{$uuid}}` is the same in the URL and the body, and a chain of variables that each use
 *   the next twice stays linear. A variable in the middle of its own expansion is a cycle; more
 *   than MAX_DEPTH nested variables, or a value over LADLE_HTTP_MAX_BODY, is an error.
 * - A name that is no variable and whose first segment names a request of the file refers to that
 *   request's response: httpyac's {{login.token}} (a property path into the JSON body; {{login}} is
 *   the whole body) and REST Client's {{login.response.body.$.token}} (JSONPath),
 *   {{login.response.body.*}}, {{login.response.headers.Location}}. */

#define MAX_DEPTH 32
#define MAX_FOLDER_LEVELS 256
#define MAX_RANDOM_LENGTH 65536

#define ENV_FILE "http-client.env.json"
#define PRIVATE_ENV_FILE "http-client.private.env.json"
#define DOTENV_FILE ".env"
#define SHARED "$shared"

/* Environments */

typedef struct
{
  char     *name;
  char     *text;       /* what {{name}} gives */
  JsonNode *node;       /* as read, for values that are not strings; NULL once set */
} EnvVar;

typedef struct
{
  char      *name;
  GPtrArray *vars;      /* EnvVar */
} Env;

typedef struct
{
  GPtrArray *envs;      /* Env */
  gboolean   dirty;
  gboolean   existed;
} EnvFile;

struct _LadleHttpEnvironments
{
  char       *folder;
  EnvFile     files[2]; /* 0: private, 1: shared */
  GHashTable *dotenv;   /* name → value */
};

G_DEFINE_BOXED_TYPE (LadleHttpEnvironments, ladle_http_environments,
                     ladle_http_environments_ref, ladle_http_environments_unref)

static void
env_var_free (gpointer data)
{
  EnvVar *var = data;

  g_free (var->name);
  g_free (var->text);
  if (var->node != NULL)
    json_node_unref (var->node);
  g_free (var);
}

static void
env_free (gpointer data)
{
  Env *env = data;

  g_free (env->name);
  g_ptr_array_unref (env->vars);
  g_free (env);
}

static Env *
env_new (const char *name)
{
  Env *env = g_new0 (Env, 1);

  env->name = g_strdup (name);
  env->vars = g_ptr_array_new_with_free_func (env_var_free);
  return env;
}

static Env *
env_file_find (EnvFile    *file,
               const char *name)
{
  for (guint i = 0; file->envs != NULL && i < file->envs->len; i++)
    {
      Env *env = g_ptr_array_index (file->envs, i);

      if (g_strcmp0 (env->name, name) == 0)
        return env;
    }

  return NULL;
}

static EnvVar *
env_find_var (Env        *env,
              const char *name,
              guint      *out_index)
{
  if (env == NULL)
    return NULL;

  for (guint i = 0; i < env->vars->len; i++)
    {
      EnvVar *var = g_ptr_array_index (env->vars, i);

      if (g_strcmp0 (var->name, name) == 0)
        {
          if (out_index != NULL)
            *out_index = i;
          return var;
        }
    }

  return NULL;
}

char *
_ladle_http_json_text (JsonNode *node)
{
  if (node == NULL)
    return g_strdup ("");
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));

  return json_to_string (node, FALSE);
}

/* LINE:COL (characters) of byte @offset in @text */
static void
text_position (const char *text,
               gsize       offset,
               guint       base_line,
               guint       base_column,
               guint      *out_line,
               guint      *out_column)
{
  guint line = base_line;
  guint column = base_column;

  for (const char *p = text; p < text + offset && *p != '\0'; p = g_utf8_next_char (p))
    {
      if (*p == '\n')
        {
          line++;
          column = 1;
        }
      else
        column++;
    }

  *out_line = line;
  *out_column = column;
}

/* Reads @path (at most LADLE_HTTP_MAX_BODY bytes). A missing file gives TRUE and NULL. */
static gboolean
read_optional (const char  *path,
               char       **out_text,
               gsize       *out_length,
               GError     **error)
{
  GStatBuf st;
  g_autoptr(GError) local_error = NULL;

  *out_text = NULL;
  *out_length = 0;
  if (g_stat (path, &st) != 0)
    {
      int saved = errno;

      if (saved == ENOENT || saved == ENOTDIR)
        return TRUE;
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_FAILED, _("Cannot read “%s”: %s"), path,
                   g_strerror (saved));
      return FALSE;
    }
  if (st.st_size > LADLE_HTTP_MAX_BODY)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_TOO_LARGE,
                   _("Cannot read “%s”: it is larger than %u MiB"), path,
                   LADLE_HTTP_MAX_BODY / (1024 * 1024));
      return FALSE;
    }
  if (!g_file_get_contents (path, out_text, out_length, &local_error))
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_FAILED, "%s", local_error->message);
      return FALSE;
    }

  return TRUE;
}

/* json-glib's "<data>:LINE:COL: message" with the file's path in place of <data> */
static void
set_json_error (GError     **error,
                const char  *path,
                const GError *json_error)
{
  /* json-glib quotes the token it stopped at, cut at a byte count that may split a character */
  g_autofree char *valid = g_utf8_make_valid (json_error->message, -1);
  const char *message = valid;

  if (g_str_has_prefix (message, "<data>:"))
    g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, "%s%s", path, message + strlen ("<data>"));
  else
    g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, "%s: %s", path, message);
}

/* The position of the first `"name"` in @text, for messages about a member */
static void
member_position (const char *text,
                 const char *name,
                 guint      *out_line,
                 guint      *out_column)
{
  g_autofree char *quoted = g_strdup_printf ("\"%s\"", name);
  const char *found = strstr (text, quoted);

  text_position (text, found != NULL ? (gsize) (found - text) : 0, 1, 1, out_line, out_column);
}

static gboolean
load_env_file (EnvFile     *file,
               const char  *path,
               GError     **error)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) json_error = NULL;
  gsize length = 0;
  JsonObjectIter iter;
  const char *env_name;
  JsonNode *env_node;

  file->envs = g_ptr_array_new_with_free_func (env_free);
  if (!read_optional (path, &text, &length, error))
    return FALSE;
  if (text == NULL)
    return TRUE;
  file->existed = TRUE;

  if (!g_utf8_validate (text, length, NULL) || memchr (text, '\0', length) != NULL)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, _("%s:1:1: the file is not UTF-8 text"),
                   path);
      return FALSE;
    }
  {
    gboolean blank = TRUE;

    for (gsize i = 0; i < length && blank; i++)
      blank = g_ascii_isspace (text[i]);
    if (blank)
      return TRUE;
  }

  root = ladle_json_parse (text, -1, &json_error);
  if (root == NULL)
    {
      set_json_error (error, path, json_error);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                   _("%s:1:1: environments must be a JSON object, as {\"dev\": {\"host\": \"…\"}}"),
                   path);
      return FALSE;
    }

  json_object_iter_init_ordered (&iter, json_node_get_object (root));
  while (json_object_iter_next_ordered (&iter, &env_name, &env_node))
    {
      Env *env;
      JsonObjectIter var_iter;
      const char *var_name;
      JsonNode *var_node;

      if (!JSON_NODE_HOLDS_OBJECT (env_node))
        {
          guint line, column;

          member_position (text, env_name, &line, &column);
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                       _("%s:%u:%u: the environment “%s” is not an object of variables"),
                       path, line, column, env_name);
          return FALSE;
        }

      env = env_file_find (file, env_name);
      if (env == NULL)
        {
          env = env_new (env_name);
          g_ptr_array_add (file->envs, env);
        }

      json_object_iter_init_ordered (&var_iter, json_node_get_object (env_node));
      while (json_object_iter_next_ordered (&var_iter, &var_name, &var_node))
        {
          EnvVar *var = env_find_var (env, var_name, NULL);

          if (var == NULL)
            {
              var = g_new0 (EnvVar, 1);
              var->name = g_strdup (var_name);
              g_ptr_array_add (env->vars, var);
            }
          g_free (var->text);
          var->text = _ladle_http_json_text (var_node);
          if (var->node != NULL)
            json_node_unref (var->node);
          var->node = JSON_NODE_HOLDS_VALUE (var_node) &&
                      json_node_get_value_type (var_node) == G_TYPE_STRING
                        ? NULL : json_node_copy (var_node);
        }
    }

  return TRUE;
}

static gboolean
is_dotenv_name (const char *name,
                gsize       length)
{
  if (length == 0)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (name[i]) && name[i] != '_' && name[i] != '.' && name[i] != '-')
      return FALSE;

  return TRUE;
}

/* NAME=value lines: `export ` prefixes, # comments, 'literal' and "escaped" values (which may
 * span lines), unquoted values up to a ` #` comment. */
static gboolean
parse_dotenv (GHashTable  *table,
              const char  *path,
              const char  *text,
              gsize        length,
              GError     **error)
{
  const char *p = text;
  const char *end = text + length;
  guint line = 1;

  while (p < end)
    {
      const char *line_end = memchr (p, '\n', end - p);
      const char *q = p;
      const char *name_start;
      const char *eq;
      g_autofree char *name = NULL;
      GString *value;
      guint this_line = line;

      if (line_end == NULL)
        line_end = end;

      while (q < line_end && (*q == ' ' || *q == '\t' || *q == '\r'))
        q++;
      if (q == line_end || *q == '#')
        {
          p = line_end + 1;
          line++;
          continue;
        }
      if ((gsize) (line_end - q) > 7 && strncmp (q, "export", 6) == 0 && (q[6] == ' ' || q[6] == '\t'))
        {
          q += 7;
          while (q < line_end && (*q == ' ' || *q == '\t'))
            q++;
        }

      name_start = q;
      eq = memchr (q, '=', line_end - q);
      if (eq == NULL)
        {
          guint unused, column;

          text_position (p, q - p, 1, 1, &unused, &column);
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, _("%s:%u:%u: expected NAME=value"),
                       path, this_line, column);
          return FALSE;
        }
      q = eq;
      while (q > name_start && (q[-1] == ' ' || q[-1] == '\t'))
        q--;
      if (!is_dotenv_name (name_start, q - name_start))
        {
          guint unused, column;

          text_position (p, name_start - p, 1, 1, &unused, &column);
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                       _("%s:%u:%u: “%.*s” is not a variable name"), path, this_line, column,
                       (int) (q - name_start), name_start);
          return FALSE;
        }
      name = g_strndup (name_start, q - name_start);

      q = eq + 1;
      while (q < line_end && (*q == ' ' || *q == '\t'))
        q++;

      value = g_string_new (NULL);
      if (q < end && (*q == '"' || *q == '\''))
        {
          char quote = *q++;
          gboolean closed = FALSE;

          while (q < end)
            {
              if (*q == quote)
                {
                  closed = TRUE;
                  q++;
                  break;
                }
              if (*q == '\n')
                line++;
              if (quote == '"' && *q == '\\' && q + 1 < end)
                {
                  q++;
                  switch (*q)
                    {
                    case 'n': g_string_append_c (value, '\n'); break;
                    case 'r': g_string_append_c (value, '\r'); break;
                    case 't': g_string_append_c (value, '\t'); break;
                    default: g_string_append_c (value, *q); break;
                    }
                  q++;
                  continue;
                }
              if (*q != '\r' || (q + 1 < end && q[1] != '\n'))
                g_string_append_c (value, *q);
              q++;
            }
          if (!closed)
            {
              g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                           _("%s:%u:%u: the quoted value of %s is not closed"), path, this_line,
                           (guint) g_utf8_strlen (p, eq + 1 - p) + 1, name);
              g_string_free (value, TRUE);
              return FALSE;
            }
          line_end = memchr (q, '\n', end - q);
          if (line_end == NULL)
            line_end = end;
        }
      else
        {
          const char *v_end = line_end;

          for (const char *c = q; c < line_end; c++)
            if (*c == '#' && (c == q || c[-1] == ' ' || c[-1] == '\t'))
              {
                v_end = c;
                break;
              }
          while (v_end > q && (v_end[-1] == ' ' || v_end[-1] == '\t' || v_end[-1] == '\r'))
            v_end--;
          g_string_append_len (value, q, v_end - q);
        }

      g_hash_table_replace (table, g_steal_pointer (&name), g_string_free (value, FALSE));
      p = line_end + 1;
      line++;
    }

  return TRUE;
}

LadleHttpEnvironments *
ladle_http_environments_new (const char *folder)
{
  LadleHttpEnvironments *self = g_atomic_rc_box_new0 (LadleHttpEnvironments);

  self->folder = g_strdup (folder != NULL ? folder : ".");
  for (guint i = 0; i < G_N_ELEMENTS (self->files); i++)
    self->files[i].envs = g_ptr_array_new_with_free_func (env_free);
  self->dotenv = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

LadleHttpEnvironments *
ladle_http_environments_load (const char  *folder,
                              GError     **error)
{
  g_autoptr(LadleHttpEnvironments) self = ladle_http_environments_new (folder);
  g_autofree char *private_path = g_build_filename (self->folder, PRIVATE_ENV_FILE, NULL);
  g_autofree char *shared_path = g_build_filename (self->folder, ENV_FILE, NULL);
  g_autofree char *dotenv_path = g_build_filename (self->folder, DOTENV_FILE, NULL);
  g_autofree char *text = NULL;
  gsize length = 0;

  g_clear_pointer (&self->files[0].envs, g_ptr_array_unref);
  g_clear_pointer (&self->files[1].envs, g_ptr_array_unref);
  if (!load_env_file (&self->files[0], private_path, error) ||
      !load_env_file (&self->files[1], shared_path, error))
    return NULL;

  if (!read_optional (dotenv_path, &text, &length, error))
    return NULL;
  if (text != NULL)
    {
      if (!g_utf8_validate (text, length, NULL))
        {
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                       _("%s:1:1: the file is not UTF-8 text"), dotenv_path);
          return NULL;
        }
      if (!parse_dotenv (self->dotenv, dotenv_path, text, length, error))
        return NULL;
    }

  return g_steal_pointer (&self);
}

static gboolean
folder_has_env_files (const char *folder)
{
  static const char * const names[] = { ENV_FILE, PRIVATE_ENV_FILE, DOTENV_FILE };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (folder, names[i], NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return TRUE;
    }

  return FALSE;
}

static gboolean
is_within (const char *path,
           const char *root)
{
  gsize len = strlen (root);

  if (g_strcmp0 (path, root) == 0)
    return TRUE;
  if (strncmp (path, root, len) != 0)
    return FALSE;

  return path[len] == G_DIR_SEPARATOR || (len > 0 && root[len - 1] == G_DIR_SEPARATOR);
}

char *
ladle_http_environments_find_folder (const char *http_file,
                                     const char *root)
{
  g_autofree char *absolute = g_canonicalize_filename (http_file, NULL);
  g_autofree char *own = g_path_get_dirname (absolute);
  g_autofree char *root_abs = root != NULL ? g_canonicalize_filename (root, NULL) : NULL;
  g_autofree char *dir = g_strdup (own);

  for (guint level = 0; level < MAX_FOLDER_LEVELS; level++)
    {
      g_autofree char *parent = NULL;

      if (root_abs != NULL && !is_within (dir, root_abs))
        break;
      if (folder_has_env_files (dir))
        return g_steal_pointer (&dir);
      if (root_abs != NULL && g_strcmp0 (dir, root_abs) == 0)
        break;
      parent = g_path_get_dirname (dir);
      if (g_strcmp0 (parent, dir) == 0)
        break;
      g_free (dir);
      dir = g_steal_pointer (&parent);
    }

  return g_steal_pointer (&own);
}

LadleHttpEnvironments *
ladle_http_environments_ref (LadleHttpEnvironments *self)
{
  return g_atomic_rc_box_acquire (self);
}

static void
environments_clear (LadleHttpEnvironments *self)
{
  g_free (self->folder);
  for (guint i = 0; i < G_N_ELEMENTS (self->files); i++)
    g_clear_pointer (&self->files[i].envs, g_ptr_array_unref);
  g_hash_table_unref (self->dotenv);
}

void
ladle_http_environments_unref (LadleHttpEnvironments *self)
{
  g_atomic_rc_box_release_full (self, (GDestroyNotify) environments_clear);
}

const char *
ladle_http_environments_get_folder (LadleHttpEnvironments *self)
{
  return self->folder;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static GStrv
sorted_strv (GHashTable *set)
{
  g_autofree gpointer *keys = g_hash_table_get_keys_as_array (set, NULL);
  guint n = g_hash_table_size (set);
  GStrv result = g_new0 (char *, n + 1);

  qsort (keys, n, sizeof (gpointer), compare_strings);
  for (guint i = 0; i < n; i++)
    result[i] = g_strdup (keys[i]);

  return result;
}

GStrv
ladle_http_environments_dup_names (LadleHttpEnvironments *self)
{
  g_autoptr(GHashTable) set = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint f = 0; f < G_N_ELEMENTS (self->files); f++)
    for (guint i = 0; i < self->files[f].envs->len; i++)
      {
        Env *env = g_ptr_array_index (self->files[f].envs, i);

        if (g_strcmp0 (env->name, SHARED) != 0)
          g_hash_table_add (set, env->name);
      }

  return sorted_strv (set);
}

gboolean
ladle_http_environments_has (LadleHttpEnvironments *self,
                             const char            *env)
{
  return env != NULL && (env_file_find (&self->files[0], env) != NULL ||
                         env_file_find (&self->files[1], env) != NULL);
}

const char *
ladle_http_environments_lookup (LadleHttpEnvironments *self,
                                const char            *env,
                                const char            *name,
                                LadleHttpSource       *out_source)
{
  const char *order[2] = { env, SHARED };
  const char *value;

  for (guint e = 0; e < G_N_ELEMENTS (order); e++)
    {
      if (order[e] == NULL || (e == 1 && g_strcmp0 (env, SHARED) == 0))
        continue;
      for (guint f = 0; f < G_N_ELEMENTS (self->files); f++)
        {
          EnvVar *var = env_find_var (env_file_find (&self->files[f], order[e]), name, NULL);

          if (var != NULL)
            {
              if (out_source != NULL)
                *out_source = f == 0 ? LADLE_HTTP_SOURCE_PRIVATE_ENV : LADLE_HTTP_SOURCE_ENV;
              return var->text;
            }
        }
    }

  value = g_hash_table_lookup (self->dotenv, name);
  if (value != NULL && out_source != NULL)
    *out_source = LADLE_HTTP_SOURCE_DOTENV;

  return value;
}

GStrv
ladle_http_environments_dup_variables (LadleHttpEnvironments *self,
                                       const char            *env)
{
  g_autoptr(GHashTable) set = g_hash_table_new (g_str_hash, g_str_equal);
  const char *order[2] = { env, SHARED };
  GHashTableIter iter;
  gpointer key;

  for (guint e = 0; e < G_N_ELEMENTS (order); e++)
    for (guint f = 0; order[e] != NULL && f < G_N_ELEMENTS (self->files); f++)
      {
        Env *found = env_file_find (&self->files[f], order[e]);

        for (guint i = 0; found != NULL && i < found->vars->len; i++)
          g_hash_table_add (set, ((EnvVar *) g_ptr_array_index (found->vars, i))->name);
      }

  g_hash_table_iter_init (&iter, self->dotenv);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (set, key);

  return sorted_strv (set);
}

static gboolean
env_file_remove (EnvFile    *file,
                 const char *env,
                 const char *name)
{
  Env *found = env_file_find (file, env);
  guint index;

  if (env_find_var (found, name, &index) == NULL)
    return FALSE;
  g_ptr_array_remove_index (found->vars, index);
  file->dirty = TRUE;
  return TRUE;
}

void
ladle_http_environments_set (LadleHttpEnvironments *self,
                             const char            *env,
                             const char            *name,
                             const char            *value,
                             gboolean               secret)
{
  EnvFile *target = &self->files[secret ? 0 : 1];
  EnvFile *other = &self->files[secret ? 1 : 0];
  Env *found;
  EnvVar *var;

  g_return_if_fail (name != NULL);

  if (env == NULL)
    env = SHARED;

  if (value == NULL)
    {
      env_file_remove (target, env, name);
      env_file_remove (other, env, name);
      return;
    }

  env_file_remove (other, env, name);
  found = env_file_find (target, env);
  if (found == NULL)
    {
      found = env_new (env);
      g_ptr_array_add (target->envs, found);
    }
  var = env_find_var (found, name, NULL);
  if (var == NULL)
    {
      var = g_new0 (EnvVar, 1);
      var->name = g_strdup (name);
      g_ptr_array_add (found->vars, var);
    }
  else if (var->node == NULL && g_strcmp0 (var->text, value) == 0)
    return;

  g_free (var->text);
  var->text = g_strdup (value);
  g_clear_pointer (&var->node, json_node_unref);
  target->dirty = TRUE;
}

gboolean
ladle_http_environments_is_secret (LadleHttpEnvironments *self,
                                   const char            *env,
                                   const char            *name)
{
  return env_find_var (env_file_find (&self->files[0], env != NULL ? env : SHARED), name,
                       NULL) != NULL;
}

void
ladle_http_environments_add_env (LadleHttpEnvironments *self,
                                 const char            *env)
{
  g_return_if_fail (env != NULL);

  if (ladle_http_environments_has (self, env))
    return;
  g_ptr_array_add (self->files[1].envs, env_new (env));
  self->files[1].dirty = TRUE;
}

/* JSON as people and JSON.stringify (…, 2) write it: `"key": value`, two spaces a level, so that
 * saving an edited file changes only the lines that changed. */
static void
append_json_string (GString    *out,
                    const char *text)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), text);
  g_autofree char *quoted = json_to_string (node, FALSE);

  g_string_append (out, quoted);
}

static void
append_indent (GString *out,
               guint    level)
{
  g_string_append_c (out, '\n');
  for (guint i = 0; i < level; i++)
    g_string_append (out, "  ");
}

static void
append_json_node (GString  *out,
                  JsonNode *node,
                  guint     level)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;
      gboolean first = TRUE;

      g_string_append_c (out, '{');
      json_object_iter_init_ordered (&iter, json_node_get_object (node));
      while (json_object_iter_next_ordered (&iter, &name, &member))
        {
          g_string_append (out, first ? "" : ",");
          append_indent (out, level + 1);
          append_json_string (out, name);
          g_string_append (out, ": ");
          append_json_node (out, member, level + 1);
          first = FALSE;
        }
      if (!first)
        append_indent (out, level);
      g_string_append_c (out, '}');
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);

      g_string_append_c (out, '[');
      for (guint i = 0; i < n; i++)
        {
          g_string_append (out, i > 0 ? "," : "");
          append_indent (out, level + 1);
          append_json_node (out, json_array_get_element (array, i), level + 1);
        }
      if (n > 0)
        append_indent (out, level);
      g_string_append_c (out, ']');
    }
  else
    {
      g_autofree char *text = json_to_string (node, FALSE);

      g_string_append (out, text);
    }
}

static char *
env_file_to_json (EnvFile *file,
                  gsize   *out_length)
{
  GString *out = g_string_new ("{");

  for (guint i = 0; i < file->envs->len; i++)
    {
      Env *env = g_ptr_array_index (file->envs, i);

      g_string_append (out, i > 0 ? ",\n  " : "\n  ");
      append_json_string (out, env->name);
      g_string_append (out, ": {");
      for (guint j = 0; j < env->vars->len; j++)
        {
          EnvVar *var = g_ptr_array_index (env->vars, j);

          g_string_append (out, j > 0 ? ",\n    " : "\n    ");
          append_json_string (out, var->name);
          g_string_append (out, ": ");
          if (var->node != NULL)
            append_json_node (out, var->node, 2);
          else
            append_json_string (out, var->text);
        }
      g_string_append (out, env->vars->len > 0 ? "\n  }" : "}");
    }
  g_string_append (out, file->envs->len > 0 ? "\n}\n" : "}\n");

  *out_length = out->len;
  return g_string_free (out, FALSE);
}

gboolean
ladle_http_environments_save (LadleHttpEnvironments  *self,
                              GError                **error)
{
  static const char * const names[] = { PRIVATE_ENV_FILE, ENV_FILE };

  for (guint f = 0; f < G_N_ELEMENTS (self->files); f++)
    {
      EnvFile *file = &self->files[f];
      g_autofree char *path = NULL;
      g_autofree char *data = NULL;
      g_autoptr(GError) local_error = NULL;
      gsize length = 0;

      if (!file->dirty)
        continue;
      if (file->envs->len == 0 && !file->existed)
        {
          file->dirty = FALSE;
          continue;
        }

      path = g_build_filename (self->folder, names[f], NULL);
      data = env_file_to_json (file, &length);
      /* The private file holds secrets: readable by its owner only. */
      if (!g_file_set_contents_full (path, data, length, G_FILE_SET_CONTENTS_CONSISTENT,
                                     f == 0 ? 0600 : 0666, &local_error))
        {
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_NOT_WRITABLE, "%s", local_error->message);
          return FALSE;
        }
      file->dirty = FALSE;
      file->existed = TRUE;
    }

  return TRUE;
}

/* Scope */

typedef struct
{
  LadleHttpFile *file;      /* (nullable) */
  LadleResponse *response;
  GBytes        *body;      /* read on first use */
  JsonNode      *json;
  gboolean       json_tried;
} Record;

struct _LadleHttpScope
{
  LadleHttpEnvironments *environments;
  char                  *env;
  GHashTable            *overrides;
  GHashTable            *responses;   /* "FILE\x1fNAME" → Record */
  Record                *last;        /* the body read for an assertion */
  GHashTable            *httpyac_dirs;    /* folder → its .httpyac.json's path, "" when none */
  GHashTable            *httpyac_configs; /* path → HostCerts */
};

G_DEFINE_BOXED_TYPE (LadleHttpScope, ladle_http_scope, ladle_http_scope_ref, ladle_http_scope_unref)

static void
record_free (gpointer data)
{
  Record *record = data;

  if (record == NULL)
    return;
  if (record->file != NULL)
    ladle_http_file_unref (record->file);
  g_clear_object (&record->response);
  g_clear_pointer (&record->body, g_bytes_unref);
  g_clear_pointer (&record->json, json_node_unref);
  g_free (record);
}

/* httpyac's clientCertificates of a .httpyac.json, read once per scope */
typedef struct
{
  char     *cert;        /* cert or pfx, {{…}} not yet expanded */
  char     *key;         /* (nullable) */
  char     *passphrase;  /* (nullable) */
  char     *host;        /* as written, to find it again for a message */
  gboolean  pfx;
} HostCert;

typedef struct
{
  char       *path;
  char       *folder;
  char       *text;   /* the file, for the places of messages */
  GHashTable *hosts;  /* host or host:port, lower case → HostCert */
  GError     *error;  /* the file cannot be used */
} HostCerts;

static void
host_cert_free (gpointer data)
{
  HostCert *cert = data;

  g_free (cert->cert);
  g_free (cert->key);
  if (cert->passphrase != NULL)
    memset (cert->passphrase, 0, strlen (cert->passphrase));
  g_free (cert->passphrase);
  g_free (cert->host);
  g_free (cert);
}

static void
host_certs_free (gpointer data)
{
  HostCerts *certs = data;

  g_free (certs->path);
  g_free (certs->folder);
  if (certs->text != NULL)
    memset (certs->text, 0, strlen (certs->text));  /* it may hold passphrases */
  g_free (certs->text);
  g_clear_pointer (&certs->hosts, g_hash_table_unref);
  g_clear_error (&certs->error);
  g_free (certs);
}

static char *
record_key (LadleHttpFile *file,
            const char    *name)
{
  return g_strdup_printf ("%p\x1f%s", (gpointer) file, name);
}

LadleHttpScope *
ladle_http_scope_new (LadleHttpEnvironments *environments,
                      const char            *env)
{
  LadleHttpScope *self = g_atomic_rc_box_new0 (LadleHttpScope);

  self->environments = environments != NULL ? ladle_http_environments_ref (environments) : NULL;
  self->env = g_strdup (env);
  self->overrides = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->responses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, record_free);
  self->httpyac_dirs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->httpyac_configs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 host_certs_free);
  return self;
}

LadleHttpScope *
ladle_http_scope_ref (LadleHttpScope *self)
{
  return g_atomic_rc_box_acquire (self);
}

static void
scope_clear (LadleHttpScope *self)
{
  g_clear_pointer (&self->environments, ladle_http_environments_unref);
  g_free (self->env);
  g_hash_table_unref (self->overrides);
  g_hash_table_unref (self->responses);
  g_hash_table_unref (self->httpyac_dirs);
  g_hash_table_unref (self->httpyac_configs);
  record_free (self->last);
}

void
ladle_http_scope_unref (LadleHttpScope *self)
{
  g_atomic_rc_box_release_full (self, (GDestroyNotify) scope_clear);
}

void
ladle_http_scope_set_override (LadleHttpScope *self,
                               const char     *name,
                               const char     *value)
{
  g_return_if_fail (name != NULL);

  if (value == NULL)
    g_hash_table_remove (self->overrides, name);
  else
    g_hash_table_replace (self->overrides, g_strdup (name), g_strdup (value));
}

void
ladle_http_scope_set_response (LadleHttpScope *self,
                               LadleHttpFile  *file,
                               const char     *request_name,
                               LadleResponse  *response)
{
  Record *record;

  g_return_if_fail (request_name != NULL);

  if (response == NULL)
    {
      g_autofree char *key = record_key (file, request_name);

      g_hash_table_remove (self->responses, key);
      return;
    }

  record = g_new0 (Record, 1);
  record->file = file != NULL ? ladle_http_file_ref (file) : NULL;
  record->response = g_object_ref (response);
  g_hash_table_replace (self->responses, record_key (file, request_name), record);
}

static Record *
scope_find_record (LadleHttpScope *self,
                   LadleHttpFile  *file,
                   const char     *name)
{
  g_autofree char *key = record_key (file, name);

  return g_hash_table_lookup (self->responses, key);
}

LadleResponse *
ladle_http_scope_get_response (LadleHttpScope *self,
                               LadleHttpFile  *file,
                               const char     *request_name)
{
  Record *record = scope_find_record (self, file, request_name);

  return record != NULL ? record->response : NULL;
}

/* The body of @response, at most LADLE_HTTP_MAX_BODY bytes, from memory or its file */
static GBytes *
read_response_body (LadleResponse  *response,
                    GError        **error)
{
  GBytes *bytes = ladle_response_get_body_bytes (response);
  GFile *file = ladle_response_get_body_file (response);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autofree guint8 *buffer = NULL;
  gsize read = 0;

  if (ladle_response_get_body_size (response) > LADLE_HTTP_MAX_BODY)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_TOO_LARGE,
                   _("the response body is larger than %u MiB"), LADLE_HTTP_MAX_BODY / (1024 * 1024));
      return NULL;
    }
  if (bytes != NULL)
    return g_bytes_ref (bytes);
  if (file == NULL)
    return g_bytes_new (NULL, 0);

  stream = g_file_read (file, NULL, error);
  if (stream == NULL)
    return NULL;
  buffer = g_malloc (LADLE_HTTP_MAX_BODY + 1);
  if (!g_input_stream_read_all (G_INPUT_STREAM (stream), buffer, LADLE_HTTP_MAX_BODY + 1, &read,
                                NULL, error))
    return NULL;
  if (read > LADLE_HTTP_MAX_BODY)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_TOO_LARGE,
                   _("the response body is larger than %u MiB"), LADLE_HTTP_MAX_BODY / (1024 * 1024));
      return NULL;
    }

  return g_bytes_new_take (g_realloc (g_steal_pointer (&buffer), MAX (read, 1)), read);
}

static gboolean
record_load (Record  *record,
             GError **error)
{
  if (record->body == NULL)
    {
      record->body = read_response_body (record->response, error);
      if (record->body == NULL)
        return FALSE;
    }
  if (!record->json_tried)
    {
      gsize size = 0;
      const char *data = g_bytes_get_data (record->body, &size);

      record->json_tried = TRUE;
      if (size > 0)
        record->json = ladle_json_parse (data, size, NULL);
    }

  return TRUE;
}

gboolean
_ladle_http_scope_get_body (LadleHttpScope  *self,
                            LadleResponse   *response,
                            GBytes         **out_body,
                            JsonNode       **out_json,
                            GError         **error)
{
  Record *found = NULL;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->responses);
  while (found == NULL && g_hash_table_iter_next (&iter, NULL, &value))
    if (((Record *) value)->response == response)
      found = value;

  if (found == NULL)
    {
      if (self->last == NULL || self->last->response != response)
        {
          g_clear_pointer (&self->last, record_free);
          self->last = g_new0 (Record, 1);
          self->last->response = g_object_ref (response);
        }
      found = self->last;
    }

  if (!record_load (found, error))
    return FALSE;

  *out_body = found->body;
  *out_json = found->json;
  return TRUE;
}

/* Property paths */

static gboolean
is_path_char (const char *p)
{
  return *p != '\0' && *p != '.' && *p != '[' && *p != ']' && !g_ascii_isspace (*p);
}

JsonNode *
_ladle_http_json_select (JsonNode    *root,
                         const char  *path,
                         JsonNode   **out_owned,
                         gboolean    *out_valid)
{
  JsonNode *node = root;
  const char *p = path;

  *out_owned = NULL;
  *out_valid = TRUE;

  while (*p != '\0')
    {
      g_autofree char *key = NULL;
      gint64 index = -1;

      if (*p == '.')
        {
          p++;
          if (!is_path_char (p))
            {
              *out_valid = FALSE;
              return NULL;
            }
        }

      if (*p == '[')
        {
          p++;
          if (*p == '"' || *p == '\'')
            {
              char quote = *p++;
              GString *text = g_string_new (NULL);

              while (*p != '\0' && *p != quote)
                {
                  if (*p == '\\' && p[1] != '\0')
                    p++;
                  g_string_append_c (text, *p++);
                }
              if (*p != quote || p[1] != ']')
                {
                  g_string_free (text, TRUE);
                  *out_valid = FALSE;
                  return NULL;
                }
              p += 2;
              key = g_string_free (text, FALSE);
            }
          else
            {
              char *end = NULL;

              if (!g_ascii_isdigit (*p))
                {
                  *out_valid = FALSE;
                  return NULL;
                }
              index = g_ascii_strtoll (p, &end, 10);
              if (end == NULL || *end != ']' || index < 0)
                {
                  *out_valid = FALSE;
                  return NULL;
                }
              p = end + 1;
            }
        }
      else
        {
          const char *start = p;

          while (is_path_char (p))
            p = g_utf8_next_char (p);
          if (p == start)
            {
              *out_valid = FALSE;
              return NULL;
            }
          key = g_strndup (start, p - start);
        }

      if (node == NULL)
        return NULL;

      if (key != NULL && JSON_NODE_HOLDS_OBJECT (node) &&
          json_object_has_member (json_node_get_object (node), key))
        node = json_object_get_member (json_node_get_object (node), key);
      else if (key != NULL && JSON_NODE_HOLDS_ARRAY (node) && strcmp (key, "length") == 0)
        {
          g_clear_pointer (out_owned, json_node_unref);
          *out_owned = json_node_init_int (json_node_alloc (),
                                           json_array_get_length (json_node_get_array (node)));
          node = *out_owned;
        }
      else if (key != NULL && JSON_NODE_HOLDS_VALUE (node) &&
               json_node_get_value_type (node) == G_TYPE_STRING && strcmp (key, "length") == 0)
        {
          glong length = g_utf8_strlen (json_node_get_string (node), -1);

          g_clear_pointer (out_owned, json_node_unref);
          *out_owned = json_node_init_int (json_node_alloc (), length);
          node = *out_owned;
        }
      else if (key != NULL && JSON_NODE_HOLDS_ARRAY (node))
        {
          char *end = NULL;
          gint64 i = g_ascii_strtoll (key, &end, 10);
          JsonArray *array = json_node_get_array (node);

          if (end != NULL && *end == '\0' && end != key && i >= 0 && i < json_array_get_length (array))
            node = json_array_get_element (array, i);
          else
            node = NULL;
        }
      else if (index >= 0 && JSON_NODE_HOLDS_ARRAY (node) &&
               index < json_array_get_length (json_node_get_array (node)))
        node = json_array_get_element (json_node_get_array (node), index);
      else if (index >= 0 && JSON_NODE_HOLDS_OBJECT (node))
        {
          g_autofree char *name = g_strdup_printf ("%" G_GINT64_FORMAT, index);
          JsonObject *object = json_node_get_object (node);

          node = json_object_has_member (object, name) ? json_object_get_member (object, name)
                                                       : NULL;
        }
      else
        node = NULL;
    }

  return node;
}

/* Expansion */

typedef struct
{
  LadleHttpScope *scope;
  GHashTable     *memo;        /* context + name → expanded value */
  GPtrArray      *stack;       /* names being expanded */
  GPtrArray      *deps;        /* when collecting dependencies, else NULL */
  guint           depth;
  gboolean        nested;      /* the error comes from a variable's value */
  gboolean        cycle;
} Expander;

static void
expander_init (Expander       *ex,
               LadleHttpScope *scope)
{
  memset (ex, 0, sizeof *ex);
  ex->scope = scope;
  ex->memo = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  ex->stack = g_ptr_array_new ();
}

static void
expander_clear (Expander *ex)
{
  g_hash_table_unref (ex->memo);
  g_ptr_array_unref (ex->stack);
  if (ex->deps != NULL)
    g_ptr_array_unref (ex->deps);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Expander, expander_clear)

static char *expand_raw (Expander             *ex,
                         LadleHttpFile        *file,
                         const LadleHttpEntry *entry,
                         const char           *text,
                         gsize                *out_offset,
                         GError              **error);

static char *resolve_expr (Expander             *ex,
                           LadleHttpFile        *file,
                           const LadleHttpEntry *entry,
                           const char           *expr,
                           LadleHttpSource      *out_source,
                           GError              **error);

/* The value of a variable, expanded where it was defined */
static char *
expand_value (Expander             *ex,
              LadleHttpFile        *file,
              const LadleHttpEntry *entry,
              const char           *name,
              const char           *value,
              GError              **error)
{
  g_autofree char *key = g_strdup_printf ("%p\x1f%p\x1f%s", (gpointer) file, (gconstpointer) entry,
                                          name);
  const char *memo = g_hash_table_lookup (ex->memo, key);
  char *result;
  gsize offset = 0;

  if (memo != NULL)
    return g_strdup (memo);
  if (strstr (value, "{{") == NULL)
    return g_strdup (value);

  for (guint i = 0; i < ex->stack->len; i++)
    if (strcmp (g_ptr_array_index (ex->stack, i), name) == 0)
      {
        GString *chain = g_string_new (NULL);

        for (guint j = i; j < ex->stack->len; j++)
          g_string_append_printf (chain, "%s → ", (const char *) g_ptr_array_index (ex->stack, j));
        g_string_append (chain, name);
        g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, _("{{%s}} refers to itself (%s)"),
                     name, chain->str);
        g_string_free (chain, TRUE);
        ex->cycle = TRUE;
        return NULL;
      }
  if (ex->stack->len >= MAX_DEPTH)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                   _("{{%s}}: variables nest more than %u levels deep"), name, MAX_DEPTH);
      ex->cycle = TRUE;
      return NULL;
    }

  g_ptr_array_add (ex->stack, (gpointer) name);
  ex->depth++;
  result = expand_raw (ex, file, entry, value, &offset, error);
  ex->depth--;
  g_ptr_array_remove_index (ex->stack, ex->stack->len - 1);
  if (result == NULL)
    {
      ex->nested = TRUE;
      return NULL;
    }

  g_hash_table_insert (ex->memo, g_steal_pointer (&key), g_strdup (result));
  return result;
}

static const LadleHttpVariable *
find_last_variable (GPtrArray  *variables,
                    const char *name)
{
  for (guint i = variables != NULL ? variables->len : 0; i > 0; i--)
    {
      const LadleHttpVariable *variable = g_ptr_array_index (variables, i - 1);

      if (g_strcmp0 (variable->name, name) == 0)
        return variable;
    }

  return NULL;
}

typedef enum
{
  LOOKUP_FOUND,
  LOOKUP_MISSING,
  LOOKUP_FAILED,
} Lookup;

static Lookup
lookup_variable (Expander             *ex,
                 LadleHttpFile        *file,
                 const LadleHttpEntry *entry,
                 const char           *name,
                 char                **out_value,
                 LadleHttpSource      *out_source,
                 GError              **error)
{
  LadleHttpScope *scope = ex->scope;
  const LadleHttpVariable *variable;
  const char *value;
  LadleHttpSource source = LADLE_HTTP_SOURCE_ENV;

  value = g_hash_table_lookup (scope->overrides, name);
  if (value != NULL)
    {
      *out_source = LADLE_HTTP_SOURCE_OVERRIDE;
      *out_value = g_strdup (value);
      return LOOKUP_FOUND;
    }

  if (entry != NULL && (variable = find_last_variable (entry->variables, name)) != NULL)
    {
      *out_source = LADLE_HTTP_SOURCE_REQUEST;
      *out_value = expand_value (ex, file, entry, name, variable->value, error);
      return *out_value != NULL ? LOOKUP_FOUND : LOOKUP_FAILED;
    }

  /* A variable a request above defines holds for the requests below it too, as in JetBrains'
   * client and httpyac (which set it when that request runs): the nearest one wins. */
  if (entry != NULL && file != NULL)
    {
      GPtrArray *entries = ladle_http_file_get_entries (file);

      for (guint i = entries->len; i > 0; i--)
        {
          const LadleHttpEntry *above = g_ptr_array_index (entries, i - 1);

          if (above == entry || above->start >= entry->start)
            continue;
          if ((variable = find_last_variable (above->variables, name)) != NULL)
            {
              *out_source = LADLE_HTTP_SOURCE_REQUEST;
              *out_value = expand_value (ex, file, above, name, variable->value, error);
              return *out_value != NULL ? LOOKUP_FOUND : LOOKUP_FAILED;
            }
        }
    }

  if (file != NULL &&
      (variable = find_last_variable (ladle_http_file_get_variables (file), name)) != NULL)
    {
      *out_source = LADLE_HTTP_SOURCE_FILE;
      *out_value = expand_value (ex, file, NULL, name, variable->value, error);
      return *out_value != NULL ? LOOKUP_FOUND : LOOKUP_FAILED;
    }

  if (scope->environments != NULL &&
      (value = ladle_http_environments_lookup (scope->environments, scope->env, name,
                                               &source)) != NULL)
    {
      *out_source = source;
      if (source == LADLE_HTTP_SOURCE_DOTENV)
        *out_value = g_strdup (value);
      else
        *out_value = expand_value (ex, NULL, NULL, name, value, error);
      return *out_value != NULL ? LOOKUP_FOUND : LOOKUP_FAILED;
    }

  return LOOKUP_MISSING;
}

/* Dynamic variables */

static const char * const day_names[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
static const char * const month_names[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
                                            "Aug", "Sep", "Oct", "Nov", "Dec" };

/* "-1 d": REST Client's offsets (y M w d h m s ms) */
static GDateTime *
apply_offset_unit (GDateTime  *now,
                   gint64      amount,
                   const char *unit)
{
  if (strcmp (unit, "y") == 0)
    return g_date_time_add_years (now, (int) amount);
  if (strcmp (unit, "M") == 0)
    return g_date_time_add_months (now, (int) amount);
  if (strcmp (unit, "w") == 0)
    return g_date_time_add_weeks (now, (int) amount);
  if (strcmp (unit, "d") == 0)
    return g_date_time_add_days (now, (int) amount);
  if (strcmp (unit, "h") == 0)
    return g_date_time_add_hours (now, (int) amount);
  if (strcmp (unit, "m") == 0)
    return g_date_time_add_minutes (now, (int) amount);
  if (strcmp (unit, "s") == 0)
    return g_date_time_add_seconds (now, (double) amount);
  if (strcmp (unit, "ms") == 0)
    return g_date_time_add (now, amount * 1000);

  return NULL;
}

static GDateTime *
apply_offset (GDateTime   *now,
              char       **args,
              guint        n_args,
              const char  *expr,
              GError     **error)
{
  char *end = NULL;
  gint64 amount;
  GDateTime *result;

  if (n_args == 0)
    return g_date_time_ref (now);

  amount = g_ascii_strtoll (args[0], &end, 10);
  if (n_args != 2 || end == NULL || *end != '\0' || end == args[0] ||
      amount < -100000 || amount > 100000)
    goto bad;

  result = apply_offset_unit (now, amount, args[1]);
  if (result != NULL)
    return result;

bad:
  g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
               _("{{%s}}: an offset is a whole number and a unit (y, M, w, d, h, m, s or ms), "
                 "as in “-1 d”"), expr);
  return NULL;
}

static char *
format_iso (GDateTime *time,
            gboolean   utc)
{
  g_autofree char *base = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S");
  int ms = g_date_time_get_microsecond (time) / 1000;

  if (utc)
    return g_strdup_printf ("%s.%03dZ", base, ms);
  else
    {
      g_autofree char *zone = g_date_time_format (time, "%:z");

      return g_strdup_printf ("%s%s", base, zone);
    }
}

static char *
format_rfc1123 (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

  return g_strdup_printf ("%s, %02d %s %04d %02d:%02d:%02d GMT",
                          day_names[g_date_time_get_day_of_week (utc) - 1],
                          g_date_time_get_day_of_month (utc),
                          month_names[g_date_time_get_month (utc) - 1],
                          g_date_time_get_year (utc), g_date_time_get_hour (utc),
                          g_date_time_get_minute (utc), g_date_time_get_second (utc));
}

/* A day.js format, as REST Client's {{$datetime "DD-MM-YYYY"}}: YYYY YY M MM D DD H HH h hh
 * m mm s ss SSS A a Z ZZ X x and [literal text] */
static char *
format_custom (GDateTime  *time,
               const char *format)
{
  static const char * const tokens[] = { "YYYY", "YY", "MM", "M", "DD", "D", "HH", "H", "hh", "h",
                                         "mm", "m", "ss", "s", "SSS", "A", "a", "ZZ", "Z", "X",
                                         "x" };
  GString *out = g_string_new (NULL);
  const char *p = format;

  while (*p != '\0')
    {
      const char *token = NULL;
      int hour12 = g_date_time_get_hour (time) % 12 == 0 ? 12 : g_date_time_get_hour (time) % 12;

      if (*p == '[')
        {
          const char *close = strchr (p, ']');

          if (close != NULL)
            {
              g_string_append_len (out, p + 1, close - p - 1);
              p = close + 1;
              continue;
            }
        }

      for (guint i = 0; i < G_N_ELEMENTS (tokens) && token == NULL; i++)
        if (strncmp (p, tokens[i], strlen (tokens[i])) == 0)
          token = tokens[i];

      if (token == NULL)
        {
          const char *next = g_utf8_next_char (p);

          g_string_append_len (out, p, next - p);
          p = next;
          continue;
        }

      if (strcmp (token, "YYYY") == 0)
        g_string_append_printf (out, "%04d", g_date_time_get_year (time));
      else if (strcmp (token, "YY") == 0)
        g_string_append_printf (out, "%02d", g_date_time_get_year (time) % 100);
      else if (strcmp (token, "MM") == 0)
        g_string_append_printf (out, "%02d", g_date_time_get_month (time));
      else if (strcmp (token, "M") == 0)
        g_string_append_printf (out, "%d", g_date_time_get_month (time));
      else if (strcmp (token, "DD") == 0)
        g_string_append_printf (out, "%02d", g_date_time_get_day_of_month (time));
      else if (strcmp (token, "D") == 0)
        g_string_append_printf (out, "%d", g_date_time_get_day_of_month (time));
      else if (strcmp (token, "HH") == 0)
        g_string_append_printf (out, "%02d", g_date_time_get_hour (time));
      else if (strcmp (token, "H") == 0)
        g_string_append_printf (out, "%d", g_date_time_get_hour (time));
      else if (strcmp (token, "hh") == 0)
        g_string_append_printf (out, "%02d", hour12);
      else if (strcmp (token, "h") == 0)
        g_string_append_printf (out, "%d", hour12);
      else if (strcmp (token, "mm") == 0)
        g_string_append_printf (out, "%02d", g_date_time_get_minute (time));
      else if (strcmp (token, "m") == 0)
        g_string_append_printf (out, "%d", g_date_time_get_minute (time));
      else if (strcmp (token, "ss") == 0)
        g_string_append_printf (out, "%02d", g_date_time_get_second (time));
      else if (strcmp (token, "s") == 0)
        g_string_append_printf (out, "%d", g_date_time_get_second (time));
      else if (strcmp (token, "SSS") == 0)
        g_string_append_printf (out, "%03d", g_date_time_get_microsecond (time) / 1000);
      else if (strcmp (token, "A") == 0)
        g_string_append (out, g_date_time_get_hour (time) < 12 ? "AM" : "PM");
      else if (strcmp (token, "a") == 0)
        g_string_append (out, g_date_time_get_hour (time) < 12 ? "am" : "pm");
      else if (strcmp (token, "ZZ") == 0)
        {
          g_autofree char *zone = g_date_time_format (time, "%z");

          g_string_append (out, zone);
        }
      else if (strcmp (token, "Z") == 0)
        {
          g_autofree char *zone = g_date_time_format (time, "%:z");

          g_string_append (out, zone);
        }
      else if (strcmp (token, "X") == 0)
        g_string_append_printf (out, "%" G_GINT64_FORMAT, g_date_time_to_unix (time));
      else if (strcmp (token, "x") == 0)
        g_string_append_printf (out, "%" G_GINT64_FORMAT,
                                g_date_time_to_unix (time) * 1000 +
                                g_date_time_get_microsecond (time) / 1000);
      p += strlen (token);
    }

  return g_string_free (out, FALSE);
}

/* Splits on blanks; "…" and '…' are one argument without their quotes */
static GPtrArray *
split_args (const char *text)
{
  GPtrArray *args = g_ptr_array_new_with_free_func (g_free);
  const char *p = text;

  while (*p != '\0')
    {
      const char *start;

      while (g_ascii_isspace (*p))
        p++;
      if (*p == '\0')
        break;
      if (*p == '"' || *p == '\'')
        {
          char quote = *p++;

          start = p;
          while (*p != '\0' && *p != quote)
            p++;
          g_ptr_array_add (args, g_strndup (start, p - start));
          if (*p == quote)
            p++;
          continue;
        }
      start = p;
      while (*p != '\0' && !g_ascii_isspace (*p))
        p++;
      g_ptr_array_add (args, g_strndup (start, p - start));
    }

  g_ptr_array_add (args, NULL);
  return args;
}

static gboolean
parse_int (const char *text,
           gint64     *out)
{
  char *end = NULL;

  errno = 0;
  *out = g_ascii_strtoll (text, &end, 10);
  return text[0] != '\0' && end != NULL && *end == '\0' && errno == 0;
}

static gboolean
parse_number (const char *text,
              double     *out)
{
  char *end = NULL;

  *out = g_ascii_strtod (text, &end);
  return text[0] != '\0' && end != NULL && *end == '\0' && isfinite (*out);
}

/* "(1, 10)" after a JetBrains $random.x: the numbers inside */
static GPtrArray *
call_args (const char *expr)
{
  const char *open = strchr (expr, '(');
  const char *close;
  g_autofree char *inside = NULL;
  g_auto(GStrv) parts = NULL;
  GPtrArray *args = g_ptr_array_new_with_free_func (g_free);

  if (open == NULL)
    return args;
  close = strrchr (expr, ')');
  if (close == NULL || close < open)
    {
      g_ptr_array_unref (args);
      return NULL;
    }
  inside = g_strndup (open + 1, close - open - 1);
  if (g_strstrip (inside)[0] == '\0')
    return args;
  parts = g_strsplit (inside, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    g_ptr_array_add (args, g_strdup (g_strstrip (parts[i])));

  return args;
}

static char *
random_string (const char *alphabet,
               gint64      length)
{
  gsize n = strlen (alphabet);
  GString *out = g_string_sized_new (length);

  for (gint64 i = 0; i < length; i++)
    g_string_append_c (out, alphabet[g_random_int_range (0, (gint32) n)]);

  return g_string_free (out, FALSE);
}

static gint64
random_between (gint64 min,
                gint64 max)
{
  /* [min, max) */
  if (max - min <= G_MAXINT32 && min >= G_MININT32 && max <= G_MAXINT32)
    return g_random_int_range ((gint32) min, (gint32) max);

  return min + (gint64) (g_random_double () * (double) (max - min));
}

static char *
dynamic_value (Expander             *ex,
               LadleHttpFile        *file,
               const LadleHttpEntry *entry,
               const char           *expr,
               GError              **error)
{
  g_autoptr(GPtrArray) split = split_args (expr);
  char **args = (char **) split->pdata;
  guint n_args = split->len - 2;
  const char *name = args[0];
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  if (strcmp (name, "$uuid") == 0 || strcmp (name, "$random.uuid") == 0 ||
      strcmp (name, "$guid") == 0)
    return g_uuid_string_random ();

  if (strcmp (name, "$timestamp") == 0)
    {
      g_autoptr(GDateTime) time = apply_offset (now, args + 1, n_args, expr, error);

      return time != NULL ? g_strdup_printf ("%" G_GINT64_FORMAT, g_date_time_to_unix (time))
                          : NULL;
    }

  if (strcmp (name, "$isoTimestamp") == 0 && n_args == 0)
    return format_iso (now, TRUE);

  if (strcmp (name, "$datetime") == 0 || strcmp (name, "$localDatetime") == 0)
    {
      gboolean local = strcmp (name, "$localDatetime") == 0;
      g_autoptr(GDateTime) time = NULL;
      g_autoptr(GDateTime) shown = NULL;

      if (n_args < 1)
        {
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                       _("{{%s}}: a format is missing (iso8601, rfc1123 or \"…\")"), expr);
          return NULL;
        }
      time = apply_offset (now, args + 2, n_args - 1, expr, error);
      if (time == NULL)
        return NULL;
      shown = local ? g_date_time_to_local (time) : g_date_time_ref (time);
      if (strcmp (args[1], "iso8601") == 0)
        return format_iso (shown, !local);
      if (strcmp (args[1], "rfc1123") == 0)
        return format_rfc1123 (shown);
      return format_custom (shown, args[1]);
    }

  if (strcmp (name, "$randomInt") == 0)
    {
      gint64 min = 0, max = 1001;

      if (n_args == 2 && parse_int (args[1], &min) && parse_int (args[2], &max) && max > min)
        return g_strdup_printf ("%" G_GINT64_FORMAT, random_between (min, max));
      if (n_args == 0)
        return g_strdup_printf ("%" G_GINT64_FORMAT, random_between (min, max));

      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                   _("{{%s}}: expected two whole numbers MIN MAX with MIN < MAX"), expr);
      return NULL;
    }

  if (g_str_has_prefix (name, "$random."))
    {
      g_autoptr(GPtrArray) cargs = call_args (expr);
      g_autofree char *base = g_strndup (name, strcspn (name, "("));
      gint64 a = 0, b = 0;
      double fa = 0, fb = 0;

      if (cargs == NULL)
        goto bad_call;

      if (strcmp (base, "$random.integer") == 0)
        {
          if (cargs->len == 0)
            return g_strdup_printf ("%" G_GINT64_FORMAT, random_between (0, 1001));
          if (cargs->len == 2 && parse_int (cargs->pdata[0], &a) && parse_int (cargs->pdata[1], &b) &&
              b > a)
            return g_strdup_printf ("%" G_GINT64_FORMAT, random_between (a, b));
          goto bad_call;
        }
      if (strcmp (base, "$random.float") == 0)
        {
          char buffer[G_ASCII_DTOSTR_BUF_SIZE];

          if (cargs->len == 0)
            fb = 1000;
          else if (!(cargs->len == 2 && parse_number (cargs->pdata[0], &fa) &&
                     parse_number (cargs->pdata[1], &fb) && fb > fa))
            goto bad_call;
          return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, g_random_double_range (fa, fb)));
        }
      if (strcmp (base, "$random.alphabetic") == 0 || strcmp (base, "$random.alphanumeric") == 0 ||
          strcmp (base, "$random.hexadecimal") == 0)
        {
          const char *alphabet =
            strcmp (base, "$random.alphabetic") == 0
              ? "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
              : strcmp (base, "$random.alphanumeric") == 0
                  ? "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"
                  : "0123456789abcdef";

          if (cargs->len == 1 && parse_int (cargs->pdata[0], &a) && a >= 0 &&
              a <= MAX_RANDOM_LENGTH)
            return random_string (alphabet, a);
          goto bad_call;
        }
      if (strcmp (base, "$random.email") == 0 && cargs->len == 0)
        {
          g_autofree char *user = random_string ("abcdefghijklmnopqrstuvwxyz", 10);

          return g_strdup_printf ("%s@example.com", user);
        }

    bad_call:
      if (cargs == NULL || g_str_has_prefix (base, "$random.integer") ||
          g_str_has_prefix (base, "$random.float") || g_str_has_prefix (base, "$random.alpha") ||
          g_str_has_prefix (base, "$random.hexadecimal"))
        {
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                       _("{{%s}}: the arguments are not right"), expr);
          return NULL;
        }
    }

  if (strcmp (name, "$processEnv") == 0 || strcmp (name, "$dotenv") == 0)
    {
      gboolean dotenv = strcmp (name, "$dotenv") == 0;
      g_autofree char *indirect = NULL;
      const char *variable;
      const char *value;

      if (n_args != 1)
        {
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, _("{{%s}}: expected one name"), expr);
          return NULL;
        }
      variable = args[1];
      if (variable[0] == '%')
        {
          LadleHttpSource source;
          Lookup found = lookup_variable (ex, file, entry, variable + 1, &indirect, &source, error);

          if (found == LOOKUP_FAILED)
            return NULL;
          if (found == LOOKUP_MISSING)
            {
              g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, _("{{%s}} is not defined"),
                           variable + 1);
              return NULL;
            }
          variable = indirect;
        }

      if (dotenv)
        value = ex->scope->environments != NULL
                  ? g_hash_table_lookup (ex->scope->environments->dotenv, variable) : NULL;
      else
        value = g_getenv (variable);

      if (value == NULL)
        {
          if (dotenv)
            g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                         _("{{%s}}: %s is not in the .env file"), expr, variable);
          else
            g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                         _("{{%s}}: the environment variable %s is not set"), expr, variable);
          return NULL;
        }
      return g_strdup (value);
    }

  g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, _("{{%s}}: %s is not a dynamic variable"),
               expr, name);
  return NULL;
}

/* Responses */

static char *
select_json_path (JsonNode    *root,
                  const char  *name,
                  const char  *path,
                  GError     **error)
{
  g_autoptr(GError) path_error = NULL;
  g_autoptr(JsonNode) matches = json_path_query (path, root, &path_error);
  JsonArray *array;

  if (matches == NULL)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, _("{{%s}}: %s is not a JSONPath: %s"),
                   name, path, path_error->message);
      return NULL;
    }
  array = json_node_get_array (matches);
  if (json_array_get_length (array) == 0)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                   _("{{%s}}: the response body has nothing at %s"), name, path);
      return NULL;
    }
  if (json_array_get_length (array) == 1)
    return _ladle_http_json_text (json_array_get_element (array, 0));

  return json_to_string (matches, FALSE);
}

static char *
body_text (Record      *record,
           const char  *name,
           const char  *request,
           GError     **error)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (record->body, &size);

  if (!g_utf8_validate (data, size, NULL) || (size > 0 && memchr (data, '\0', size) != NULL))
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                   _("{{%s}}: the response body of “%s” is not text"), name, request);
      return NULL;
    }

  /* An empty body has no data (and g_strndup (NULL, 0) is NULL): it is the empty text */
  return g_strndup (data != NULL ? data : "", size);
}

static char *
response_value (Record      *record,
                const char  *name,
                const char  *request,
                const char  *rest,
                GError     **error)
{
  g_autoptr(GError) read_error = NULL;

  if (!record_load (record, &read_error))
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_FAILED, "{{%s}}: %s", name, read_error->message);
      return NULL;
    }

  if (g_str_has_prefix (rest, ".response."))
    {
      const char *part = rest + strlen (".response.");

      if (g_str_has_prefix (part, "body."))
        {
          const char *selector = part + strlen ("body.");

          if (strcmp (selector, "*") == 0)
            return body_text (record, name, request, error);
          if (selector[0] == '$')
            {
              if (record->json == NULL)
                {
                  g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                               _("{{%s}}: the response body of “%s” is not JSON"), name, request);
                  return NULL;
                }
              return select_json_path (record->json, name, selector, error);
            }
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                       _("{{%s}}: a body is read with * or a JSONPath ($.…); XPath is not supported"),
                       name);
          return NULL;
        }
      if (g_str_has_prefix (part, "headers."))
        {
          const char *header = part + strlen ("headers.");
          const char *value = ladle_response_get_header (record->response, header);

          if (value == NULL)
            {
              g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                           _("{{%s}}: the response of “%s” has no %s header"), name, request,
                           header);
              return NULL;
            }
          return g_strdup (value);
        }
    }
  else if (g_str_has_prefix (rest, ".request."))
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                   _("{{%s}}: values of the request sent are not kept; use its variables"), name);
      return NULL;
    }
  else if (rest[0] == '\0')
    {
      if (record->json != NULL)
        return _ladle_http_json_text (record->json);
      return body_text (record, name, request, error);
    }
  else
    {
      g_autoptr(JsonNode) owned = NULL;
      gboolean valid = TRUE;
      JsonNode *node;
      const char *path = rest[0] == '.' ? rest + 1 : rest;

      if (record->json == NULL)
        {
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                       _("{{%s}}: the response body of “%s” is not JSON"), name, request);
          return NULL;
        }
      node = _ladle_http_json_select (record->json, path, &owned, &valid);
      if (!valid)
        {
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                       _("{{%s}}: “%s” is not a property path"), name, path);
          return NULL;
        }
      if (node == NULL)
        {
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                       _("{{%s}}: the response body of “%s” has no %s"), name, request, path);
          return NULL;
        }
      return _ladle_http_json_text (node);
    }

  g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
               _("{{%s}}: expected %s.response.body.…, %s.response.headers.… or a property path"),
               name, request, request);
  return NULL;
}

/* The leading name of a reference, up to the first `.` or `[` */
static char *
first_segment (const char *name)
{
  return g_strndup (name, strcspn (name, ".["));
}

static gboolean
is_name (const char *expr)
{
  const char *p = expr;
  gunichar c = g_utf8_get_char (p);
  g_autofree char *head = NULL;
  const char *rest;

  if (!(g_unichar_isalpha (c) || c == '_'))
    return FALSE;

  head = first_segment (expr);
  rest = expr + strlen (head);
  /* REST Client's selectors after .response.body. are JSONPath, which may hold anything. */
  if (g_str_has_prefix (rest, ".response.") || g_str_has_prefix (rest, ".request."))
    return TRUE;

  for (; *p != '\0'; p = g_utf8_next_char (p))
    {
      c = g_utf8_get_char (p);
      if (g_unichar_isspace (c) || c == '{' || c == '}')
        return FALSE;
    }

  return TRUE;
}

static char *
resolve_expr (Expander             *ex,
              LadleHttpFile        *file,
              const LadleHttpEntry *entry,
              const char           *expr,
              LadleHttpSource      *out_source,
              GError              **error)
{
  g_autofree char *value = NULL;
  g_autofree char *head = NULL;
  LadleHttpSource source = LADLE_HTTP_SOURCE_DYNAMIC;
  Lookup found;
  Record *record;

  if (expr[0] == '\0')
    {
      g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_PARSE, _("“{{}}” names no variable"));
      return NULL;
    }

  if (expr[0] == '$')
    {
      *out_source = LADLE_HTTP_SOURCE_DYNAMIC;
      if (ex->deps != NULL)
        return g_strdup ("");
      return dynamic_value (ex, file, entry, expr, error);
    }

  if (!is_name (expr))
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, _("“{{%s}}” is not a variable name"),
                   expr);
      return NULL;
    }

  found = lookup_variable (ex, file, entry, expr, &value, &source, error);
  if (found == LOOKUP_FAILED)
    return NULL;
  if (found == LOOKUP_FOUND)
    {
      *out_source = source;
      return g_steal_pointer (&value);
    }

  head = first_segment (expr);
  if (file != NULL && ladle_http_file_find_entry (file, head) != NULL)
    {
      *out_source = LADLE_HTTP_SOURCE_RESPONSE;
      if (ex->deps != NULL)
        {
          gboolean seen = FALSE;

          for (guint i = 0; i < ex->deps->len && !seen; i++)
            seen = strcmp (g_ptr_array_index (ex->deps, i), head) == 0;
          if (!seen)
            g_ptr_array_add (ex->deps, g_strdup (head));
          return g_strdup ("");
        }

      record = scope_find_record (ex->scope, file, head);
      if (record == NULL)
        {
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                       _("{{%s}}: the request “%s” has not run"), expr, head);
          return NULL;
        }
      return response_value (record, expr, head, expr + strlen (head), error);
    }

  g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, _("{{%s}} is not defined"), expr);
  return NULL;
}

/* The first @c@c in [@p, @end) (memchr-based: memmem is checked over its whole range by the
 * sanitizers, which makes a scan of many pairs quadratic there) */
static const char *
find_pair (const char *p,
           const char *end,
           char        c)
{
  while (p + 1 < end)
    {
      const char *found = memchr (p, c, end - p - 1);

      if (found == NULL)
        return NULL;
      if (found[1] == c)
        return found;
      p = found + 1;
    }

  return NULL;
}

static gboolean
find_braces (const char  *from,
             const char  *end,
             const char **out_open,
             const char **out_close)
{
  const char *open = find_pair (from, end, '{');

  if (open == NULL)
    return FALSE;
  *out_open = open;
  *out_close = find_pair (open + 2, end, '}');
  return TRUE;
}

static char *
expand_raw (Expander             *ex,
            LadleHttpFile        *file,
            const LadleHttpEntry *entry,
            const char           *text,
            gsize                *out_offset,
            GError              **error)
{
  GString *out = g_string_new (NULL);
  const char *p = text;
  const char *end = text + strlen (text);
  const char *open;
  const char *close;

  while (find_braces (p, end, &open, &close))
    {
      g_autofree char *expr = NULL;
      g_autofree char *value = NULL;
      g_autoptr(GError) local_error = NULL;
      LadleHttpSource source;

      g_string_append_len (out, p, open - p);
      if (close == NULL)
        {
          if (ex->deps != NULL)
            {
              p = end;
              break;
            }
          *out_offset = open - text;
          g_set_error_literal (error, LADLE_ERROR, LADLE_ERROR_PARSE, _("“{{” is not closed"));
          g_string_free (out, TRUE);
          return NULL;
        }

      expr = g_strndup (open + 2, close - open - 2);
      g_strstrip (expr);
      value = resolve_expr (ex, file, entry, expr, &source, &local_error);
      if (value == NULL)
        {
          if (ex->deps != NULL)
            {
              p = close + 2;
              continue;
            }
          *out_offset = open - text;
          if (ex->depth == 0 && ex->nested && !ex->cycle)
            g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, _("%s (in {{%s}})"),
                         local_error->message, expr);
          else
            g_propagate_error (error, g_steal_pointer (&local_error));
          g_string_free (out, TRUE);
          return NULL;
        }

      if (out->len + strlen (value) > LADLE_HTTP_MAX_BODY)
        {
          *out_offset = open - text;
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_TOO_LARGE,
                       _("{{%s}}: the text grows beyond %u MiB"), expr,
                       LADLE_HTTP_MAX_BODY / (1024 * 1024));
          ex->cycle = TRUE;
          g_string_free (out, TRUE);
          return NULL;
        }
      g_string_append (out, value);
      p = close + 2;
    }

  g_string_append (out, p);
  return g_string_free (out, FALSE);
}

static const char *
file_path_or_dash (LadleHttpFile *file)
{
  const char *path = file != NULL ? ladle_http_file_get_path (file) : NULL;

  return path != NULL ? path : "-";
}

/* Prefixes @error (from expand_raw at byte @offset of @text) with PATH:LINE:COL */
static void
locate_error (GError     **error,
              GError      *inner,
              const char  *path,
              const char  *text,
              gsize        offset,
              guint        line,
              guint        column)
{
  guint at_line, at_column;

  text_position (text, offset, line, column, &at_line, &at_column);
  g_set_error (error, LADLE_ERROR, inner->domain == LADLE_ERROR ? inner->code : LADLE_ERROR_PARSE,
               "%s:%u:%u: %s", path, at_line, at_column, inner->message);
  g_error_free (inner);
}

static char *
expand_at (Expander             *ex,
           LadleHttpFile        *file,
           const LadleHttpEntry *entry,
           const char           *path,
           const char           *text,
           guint                 line,
           guint                 column,
           GError              **error)
{
  GError *inner = NULL;
  gsize offset = 0;
  char *result;

  ex->nested = FALSE;
  ex->cycle = FALSE;
  result = expand_raw (ex, file, entry, text != NULL ? text : "", &offset, &inner);
  if (result == NULL)
    locate_error (error, inner, path, text, offset, line, column);

  return result;
}

char *
ladle_http_scope_expand (LadleHttpScope        *self,
                         LadleHttpFile         *file,
                         const LadleHttpEntry  *entry,
                         const char            *text,
                         guint                  line,
                         guint                  column,
                         GError               **error)
{
  g_auto(Expander) ex = { 0 };

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  expander_init (&ex, self);
  return expand_at (&ex, file, entry, file_path_or_dash (file), text, MAX (line, 1),
                    MAX (column, 1), error);
}

char *
ladle_http_scope_resolve (LadleHttpScope        *self,
                          LadleHttpFile         *file,
                          const LadleHttpEntry  *entry,
                          const char            *name,
                          LadleHttpSource       *out_source,
                          GError               **error)
{
  g_auto(Expander) ex = { 0 };
  g_autofree char *trimmed = g_strstrip (g_strdup (name));
  LadleHttpSource source = LADLE_HTTP_SOURCE_DYNAMIC;
  GError *inner = NULL;
  char *value;

  expander_init (&ex, self);
  value = resolve_expr (&ex, file, entry, trimmed, &source, &inner);
  if (value == NULL)
    {
      if (ex.nested && !ex.cycle)
        {
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, _("%s (in {{%s}})"), inner->message,
                       trimmed);
          g_error_free (inner);
        }
      else
        g_propagate_error (error, inner);
      return NULL;
    }
  if (out_source != NULL)
    *out_source = source;

  return value;
}

GStrv
ladle_http_scope_dup_dependencies (LadleHttpScope       *self,
                                   LadleHttpFile        *file,
                                   const LadleHttpEntry *entry)
{
  g_auto(Expander) ex = { 0 };
  gsize offset = 0;

  expander_init (&ex, self);
  ex.deps = g_ptr_array_new_with_free_func (g_free);

#define SCAN(text) g_free (expand_raw (&ex, file, entry, (text) != NULL ? (text) : "", &offset, NULL))
  SCAN (entry->url);
  for (guint i = 0; i < entry->headers->len; i++)
    {
      const LadleHttpHeader *header = g_ptr_array_index (entry->headers, i);

      SCAN (header->name);
      SCAN (header->value);
    }
  for (guint i = 0; i < entry->body->len; i++)
    {
      const LadleHttpBodyPart *part = g_ptr_array_index (entry->body, i);

      SCAN (part->text);  /* the text, or the path of a file */
    }
  for (guint i = 0; i < entry->variables->len; i++)
    {
      const LadleHttpVariable *variable = g_ptr_array_index (entry->variables, i);

      SCAN (variable->value);
    }
#undef SCAN

  g_ptr_array_add (ex.deps, NULL);
  return (GStrv) g_ptr_array_steal (ex.deps, NULL);
}

/* Building a request */

/* The text of line @line (1-based) of @file, or NULL */
static char *
file_line (LadleHttpFile *file,
           guint          line)
{
  GBytes *bytes = file != NULL ? ladle_http_file_get_text (file) : NULL;
  const char *data;
  const char *end;
  gsize size = 0;

  if (bytes == NULL || line == 0)
    return NULL;
  data = g_bytes_get_data (bytes, &size);
  end = data + size;
  for (guint i = 1; i < line && data < end; i++)
    {
      const char *nl = memchr (data, '\n', end - data);

      if (nl == NULL)
        return NULL;
      data = nl + 1;
    }
  if (data >= end)
    return NULL;
  {
    const char *nl = memchr (data, '\n', end - data);
    const char *stop = nl != NULL ? nl : end;

    if (stop > data && stop[-1] == '\r')
      stop--;
    return g_strndup (data, stop - data);
  }
}

/* The column (characters) where @text starts on line @line of @file, searched from the first
 * occurrence of @after (when not NULL); @fallback when not found. */
static guint
column_of (LadleHttpFile *file,
           guint          line,
           const char    *after,
           const char    *text,
           guint          fallback)
{
  g_autofree char *content = file_line (file, line);
  const char *from;
  const char *found;

  if (content == NULL || text == NULL || text[0] == '\0' || !g_utf8_validate (content, -1, NULL))
    return fallback;
  from = content;
  if (after != NULL && (found = strstr (content, after)) != NULL)
    from = found + strlen (after);
  found = strstr (from, text);
  if (found == NULL)
    return fallback;

  return (guint) g_utf8_strlen (content, found - content) + 1;
}

/* JetBrains' timeouts: seconds by default, or with a unit ms, s or m ("500 ms", "2 m", "5s") */
static gboolean
parse_timeout (const char *text,
               double     *out_seconds)
{
  g_autofree char *copy = g_strstrip (g_strdup (text != NULL ? text : ""));
  char *end = NULL;
  double value;
  const char *unit;

  if (!(g_ascii_isdigit (copy[0]) || copy[0] == '.') || strpbrk (copy, "xX") != NULL)
    return FALSE;
  value = g_ascii_strtod (copy, &end);
  if (end == copy || !isfinite (value) || value < 0)
    return FALSE;
  unit = end;
  while (*unit == ' ' || *unit == '\t')
    unit++;

  if (*unit == '\0' || strcmp (unit, "s") == 0)
    *out_seconds = value;
  else if (strcmp (unit, "ms") == 0)
    *out_seconds = value / 1000.0;
  else if (strcmp (unit, "m") == 0)
    *out_seconds = value * 60.0;
  else
    return FALSE;

  return *out_seconds <= 365.0 * 24 * 3600;
}

static const LadleHttpDirective *
find_directive (const LadleHttpEntry *entry,
                const char           *name)
{
  for (guint i = entry->directives->len; i > 0; i--)
    {
      const LadleHttpDirective *directive = g_ptr_array_index (entry->directives, i - 1);

      if (g_ascii_strcasecmp (directive->name, name) == 0)
        return directive;
    }

  return NULL;
}

static gboolean
apply_directives (Expander             *ex,
                  LadleHttpFile        *file,
                  const LadleHttpEntry *entry,
                  LadleRequest         *request,
                  GError              **error)
{
  static const char * const timeouts[] = { "timeout", "connection-timeout", "total-timeout" };
  const char *path = file_path_or_dash (file);

  if (find_directive (entry, "no-redirect") != NULL)
    ladle_request_set_follow_redirects (request, FALSE);
  if (find_directive (entry, "no-cookie-jar") != NULL)
    ladle_request_set_use_cookies (request, FALSE);
  /* httpyac's name for it too */
  if (find_directive (entry, "insecure") != NULL ||
      find_directive (entry, "no-reject-unauthorized") != NULL)
    ladle_request_set_verify_tls (request, FALSE);

  /* Ladle's own: neither JetBrains' client nor httpyac has a per-request limit */
  {
    const LadleHttpDirective *directive = find_directive (entry, "max-redirects");

    if (directive != NULL)
      {
        g_autofree char *argument = NULL;
        g_autofree char *at = g_strconcat ("@", directive->name, NULL);
        guint column = column_of (file, directive->line, at, directive->argument, 1);
        guint64 n = 0;

        argument = expand_at (ex, file, entry, path,
                              directive->argument != NULL ? directive->argument : "",
                              directive->line, column, error);
        if (argument == NULL)
          return FALSE;
        g_strstrip (argument);
        if (!g_ascii_string_to_unsigned (argument, 10, 0, G_MAXUINT, &n, NULL))
          {
            g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                         _("%s:%u:%u: @%s wants a number of redirects, such as 0 or 30, not “%s”"),
                         path, directive->line, column, directive->name, argument);
            return FALSE;
          }
        ladle_request_set_max_redirects (request, (guint) n);
      }
  }

  for (guint i = 0; i < G_N_ELEMENTS (timeouts); i++)
    {
      const LadleHttpDirective *directive = find_directive (entry, timeouts[i]);
      g_autofree char *argument = NULL;
      g_autofree char *at = NULL;
      guint column;
      double seconds = 0;

      if (directive == NULL)
        continue;

      at = g_strconcat ("@", directive->name, NULL);
      column = column_of (file, directive->line, at, directive->argument, 1);
      argument = expand_at (ex, file, entry, path, directive->argument != NULL ? directive->argument : "",
                            directive->line, column, error);
      if (argument == NULL)
        return FALSE;
      if (!parse_timeout (argument, &seconds))
        {
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                       _("%s:%u:%u: @%s wants a duration in seconds, or with a unit (“500 ms”, "
                         "“30 s”, “2 m”), not “%s”"),
                       path, directive->line, column, directive->name, argument);
          return FALSE;
        }

      if (i == 0)
        ladle_request_set_idle_timeout (request, seconds);
      else if (i == 1)
        ladle_request_set_connect_timeout (request, seconds);
      else
        ladle_request_set_total_timeout (request, seconds);
    }

  return TRUE;
}

/* `Authorization: Basic user:password` or `Basic user password` (JetBrains, httpyac) → base64.
 * With a ':' the text is user:password as it is (the password may hold blanks); else the first
 * blank parts user from password. One word without ':' is taken as already encoded. */
static char *
encode_basic (const char *value)
{
  const char *p;
  g_autofree char *credentials = NULL;
  g_autofree char *encoded = NULL;
  const char *space;

  if (g_ascii_strncasecmp (value, "Basic", 5) != 0 || (value[5] != ' ' && value[5] != '\t'))
    return NULL;
  p = value + 5;
  while (*p == ' ' || *p == '\t')
    p++;
  if (*p == '\0')
    return NULL;

  space = strpbrk (p, " \t");
  if (strchr (p, ':') != NULL)
    credentials = g_strdup (p);
  else if (space != NULL)
    {
      const char *password = space;

      while (*password == ' ' || *password == '\t')
        password++;
      credentials = g_strdup_printf ("%.*s:%s", (int) (space - p), p, password);
    }
  else
    return NULL;

  encoded = g_base64_encode ((const guchar *) credentials, strlen (credentials));
  return g_strconcat ("Basic ", encoded, NULL);
}

/* `Authorization: Digest user password` (JetBrains, httpyac) or `Digest user:password`
 * (httpyac): the request's Digest auth, answered to the server's challenge when sent. A first word
 * with ':' is user:password (the password is all after the first ':'); else the first blank parts
 * user from password. Anything else (a whole Digest answer, `username="..."`) stays a header. */
gboolean
_ladle_http_parse_digest (const char  *value,
                          char       **out_user,
                          char       **out_password)
{
  const char *p;
  const char *space;
  const char *colon;

  if (g_ascii_strncasecmp (value, "Digest", 6) != 0 || (value[6] != ' ' && value[6] != '\t'))
    return FALSE;
  p = value + 6;
  while (*p == ' ' || *p == '\t')
    p++;
  if (*p == '\0' || strstr (p, "username=") != NULL)
    return FALSE;

  space = strpbrk (p, " \t");
  colon = strchr (p, ':');
  if (colon != NULL && (space == NULL || colon < space))
    {
      *out_user = g_strndup (p, colon - p);
      *out_password = g_strdup (colon + 1);
    }
  else if (space != NULL)
    {
      *out_user = g_strndup (p, space - p);
      while (*space == ' ' || *space == '\t')
        space++;
      *out_password = g_strdup (space);
    }
  else
    return FALSE;
  return TRUE;
}

static gboolean
take_digest (LadleRequest *request,
             const char   *value)
{
  g_autofree char *user = NULL;
  g_autofree char *password = NULL;

  if (!_ladle_http_parse_digest (value, &user, &password))
    return FALSE;
  ladle_request_set_auth_kind (request, LADLE_AUTH_DIGEST);
  ladle_request_set_auth_username (request, user);
  ladle_request_set_auth_password (request, password);
  memset (password, 0, strlen (password));
  return TRUE;
}

static const struct
{
  const char       *name;
  LadleOauth2Grant  grant;
} oauth2_grants[] = {
  { "client_credentials", LADLE_OAUTH2_GRANT_CLIENT_CREDENTIALS },
  { "client", LADLE_OAUTH2_GRANT_CLIENT_CREDENTIALS },
  { "password", LADLE_OAUTH2_GRANT_PASSWORD },
  { "authorization_code", LADLE_OAUTH2_GRANT_AUTHORIZATION_CODE },
  { "code", LADLE_OAUTH2_GRANT_AUTHORIZATION_CODE },
  { "device_code", LADLE_OAUTH2_GRANT_DEVICE_CODE },
  { "device", LADLE_OAUTH2_GRANT_DEVICE_CODE },
};

static gboolean
is_prefix_word (const char *word,
                gsize       length)
{
  if (length == 0 || length > 256)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (word[i]) && word[i] != '_' && word[i] != '-' && word[i] != '.')
      return FALSE;
  return TRUE;
}

int
_ladle_http_parse_oauth2 (const char        *value,
                          LadleOauth2Grant  *out_grant,
                          char             **out_prefix,
                          gsize             *out_offset,
                          GError           **error)
{
  const char *p = value;
  const char *words[3] = { NULL, NULL, NULL };
  gsize lengths[3] = { 0, 0, 0 };
  guint n = 0;
  gsize keyword;

  while (*p == ' ' || *p == '\t')
    p++;
  if (g_ascii_strncasecmp (p, "oauth2", 6) == 0)
    keyword = 6;
  else if (g_ascii_strncasecmp (p, "openid", 6) == 0)
    keyword = 6;
  else
    return 0;
  if (p[keyword] != '\0' && p[keyword] != ' ' && p[keyword] != '\t')
    return 0;
  p += keyword;

  *out_offset = 0;
  while (*p != '\0')
    {
      const char *start;

      while (*p == ' ' || *p == '\t')
        p++;
      if (*p == '\0')
        break;
      start = p;
      while (*p != '\0' && *p != ' ' && *p != '\t')
        p++;
      if (n == G_N_ELEMENTS (words))
        break;
      words[n] = start;
      lengths[n] = p - start;
      n++;
    }

  *out_grant = LADLE_OAUTH2_GRANT_CLIENT_CREDENTIALS;
  if (n >= 1)
    {
      guint i;

      for (i = 0; i < G_N_ELEMENTS (oauth2_grants); i++)
        if (strlen (oauth2_grants[i].name) == lengths[0] &&
            g_ascii_strncasecmp (words[0], oauth2_grants[i].name, lengths[0]) == 0)
          break;
      if (i == G_N_ELEMENTS (oauth2_grants))
        {
          g_autofree char *word = g_utf8_make_valid (words[0], MIN (lengths[0], 200));

          *out_offset = words[0] - value;
          if (lengths[0] == 8 && g_ascii_strncasecmp (words[0], "implicit", 8) == 0)
            g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                         _("OAuth 2.0: Ladle does not do the implicit grant; use "
                           "authorization_code (with PKCE) instead"));
          else
            g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                         _("OAuth 2.0: unknown grant “%s”; Ladle knows client_credentials, "
                           "password, authorization_code and device_code"),
                         word);
          return -1;
        }
      *out_grant = oauth2_grants[i].grant;
    }
  if (n >= 2 && !is_prefix_word (words[1], lengths[1]))
    {
      g_autofree char *word = g_utf8_make_valid (words[1], MIN (lengths[1], 200));

      *out_offset = words[1] - value;
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                   _("OAuth 2.0: “%s” is not a variable prefix (letters, digits, “_”, “-”, “.”)"),
                   word);
      return -1;
    }
  if (n >= 3)
    {
      g_autofree char *word = g_utf8_make_valid (words[2], MIN (lengths[2], 200));

      *out_offset = words[2] - value;
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                   _("OAuth 2.0: “%s” is not understood here: write “oauth2 GRANT PREFIX” "
                     "(Ladle does not do httpyac’s token exchange)"),
                   word);
      return -1;
    }
  *out_prefix = n >= 2 ? g_strndup (words[1], lengths[1]) : g_strdup ("oauth2");
  return 1;
}

/* PREFIX_name, else oauth2_name (httpyac's fallback); NULL in @out_value when neither is
 * defined. FALSE with an error (no place) when one is defined but cannot be expanded. */
static gboolean
oauth2_setting (Expander             *ex,
                LadleHttpFile        *file,
                const LadleHttpEntry *entry,
                const char           *prefix,
                const char           *name,
                char                **out_value,
                GError              **error)
{
  const char *prefixes[2] = { prefix, "oauth2" };

  *out_value = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      g_autofree char *full = g_strconcat (prefixes[i], "_", name, NULL);
      LadleHttpSource source;
      GError *inner = NULL;

      if (i > 0 && strcmp (prefix, "oauth2") == 0)
        break;
      switch (lookup_variable (ex, file, entry, full, out_value, &source, &inner))
        {
        case LOOKUP_FOUND:
          g_strstrip (*out_value);
          return TRUE;
        case LOOKUP_FAILED:
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, _("%s (in {{%s}})"),
                       inner->message, full);
          g_error_free (inner);
          return FALSE;
        case LOOKUP_MISSING:
        default:
          break;
        }
    }
  return TRUE;
}

static void
clear_secret (char **secret)
{
  if (*secret != NULL)
    memset (*secret, 0, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

/* `Authorization: oauth2 GRANT [PREFIX]` (httpyac): the request's OAuth 2.0 auth, its settings
 * from the variables (environment files, .env, `@name = value`), never sent as a header. 1 when
 * taken, 0 when @value is not one, -1 with an error at @line and the word at fault. */
static int
take_oauth2 (Expander               *ex,
             LadleHttpFile          *file,
             const LadleHttpEntry   *entry,
             const LadleHttpHeader  *header,
             LadleRequest           *request,
             const char             *value,
             guint                   column,
             GError                **error)
{
  static const char * const names[] = { "tokenEndpoint", "authorizationEndpoint",
                                        "deviceCodeEndpoint", "clientId", "clientSecret",
                                        "scope", "username", "password", "usePkce" };
  enum { TOKEN, AUTHORIZE, DEVICE, CLIENT_ID, SECRET, SCOPE, USER, PASSWORD, PKCE };
  char *values[G_N_ELEMENTS (names)] = { NULL };
  const char *path = file_path_or_dash (file);
  g_autofree char *prefix = NULL;
  LadleOauth2Grant grant = LADLE_OAUTH2_GRANT_CLIENT_CREDENTIALS;
  GError *inner = NULL;
  gsize offset = 0;
  const char *missing = NULL;
  int result;

  result = _ladle_http_parse_oauth2 (value, &grant, &prefix, &offset, &inner);
  if (result <= 0)
    {
      if (result < 0)
        {
          /* The word's own column when the header is written without {{…}} */
          guint at = column;

          if (strstr (header->value, "{{") == NULL)
            at += (guint) g_utf8_strlen (value, offset);
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, "%s:%u:%u: %s", path,
                       header->line, at, inner->message);
          g_error_free (inner);
        }
      return result;
    }

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (!oauth2_setting (ex, file, entry, prefix, names[i], &values[i], &inner))
      {
        g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, "%s:%u:%u: %s", path, header->line,
                     column, inner->message);
        g_error_free (inner);
        result = -1;
        goto out;
      }

  if (values[TOKEN] == NULL || values[TOKEN][0] == '\0')
    missing = names[TOKEN];
  else if (grant == LADLE_OAUTH2_GRANT_AUTHORIZATION_CODE &&
           (values[AUTHORIZE] == NULL || values[AUTHORIZE][0] == '\0'))
    missing = names[AUTHORIZE];
  else if (grant == LADLE_OAUTH2_GRANT_DEVICE_CODE &&
           (values[DEVICE] == NULL || values[DEVICE][0] == '\0'))
    missing = names[DEVICE];
  if (missing != NULL)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                   _("%s:%u:%u: OAuth 2.0: no %s_%s defined (in the environment, .env or "
                     "@%s_%s = …)"),
                   path, header->line, column, prefix, missing, prefix, missing);
      result = -1;
      goto out;
    }

  ladle_request_set_auth_kind (request, LADLE_AUTH_OAUTH2);
  ladle_request_set_oauth2_grant (request, grant);
  ladle_request_set_oauth2_token_url (request, values[TOKEN]);
  ladle_request_set_oauth2_auth_url (request, values[AUTHORIZE]);
  ladle_request_set_oauth2_device_url (request, values[DEVICE]);
  ladle_request_set_oauth2_client_id (request, values[CLIENT_ID]);
  ladle_request_set_oauth2_client_secret (request, values[SECRET]);
  ladle_request_set_oauth2_scope (request, values[SCOPE]);
  /* httpyac uses PKCE only when PREFIX_usePkce is true */
  ladle_request_set_oauth2_pkce (request, values[PKCE] != NULL &&
                                          (g_ascii_strcasecmp (values[PKCE], "true") == 0 ||
                                           strcmp (values[PKCE], "1") == 0));
  if (grant == LADLE_OAUTH2_GRANT_PASSWORD)
    {
      ladle_request_set_auth_username (request, values[USER]);
      ladle_request_set_auth_password (request, values[PASSWORD]);
    }

out:
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    clear_secret (&values[i]);
  return result;
}

static char *
resolve_body_path (LadleHttpFile *file,
                   const char    *path)
{
  const char *file_path = file != NULL ? ladle_http_file_get_path (file) : NULL;
  g_autofree char *folder = NULL;

  if (g_path_is_absolute (path))
    return g_strdup (path);
  if (g_str_has_prefix (path, "~/"))
    return g_build_filename (g_get_home_dir (), path + 2, NULL);
  if (file_path != NULL)
    {
      /* a relative file path is relative to the current folder */
      g_autofree char *absolute = g_canonicalize_filename (file_path, NULL);

      folder = g_path_get_dirname (absolute);
    }
  else
    folder = g_get_current_dir ();

  return g_canonicalize_filename (path, folder);
}

/* A transport directive's argument, {{…}} expanded and trimmed; NULL with @error set */
static char *
expand_directive (Expander                 *ex,
                  LadleHttpFile            *file,
                  const LadleHttpEntry     *entry,
                  const LadleHttpDirective *directive,
                  guint                    *out_column,
                  GError                  **error)
{
  g_autofree char *at = g_strconcat ("@", directive->name, NULL);
  guint column = column_of (file, directive->line, at, directive->argument, 1);
  char *argument;

  argument = expand_at (ex, file, entry, file_path_or_dash (file),
                        directive->argument != NULL ? directive->argument : "", directive->line,
                        column, error);
  if (argument != NULL)
    g_strstrip (argument);
  if (out_column != NULL)
    *out_column = column;
  return argument;
}

/* A file name of @cert, @key or @cacert: relative to the .http file's folder (as httpyac
 * reads its certificates), "~/" the home folder */
static gboolean
directive_file (Expander                 *ex,
                LadleHttpFile            *file,
                const LadleHttpEntry     *entry,
                const LadleHttpDirective *directive,
                char                    **out_path,
                GError                  **error)
{
  g_autofree char *argument = NULL;
  guint column = 0;

  argument = expand_directive (ex, file, entry, directive, &column, error);
  if (argument == NULL)
    return FALSE;
  if (*argument == '\0')
    {
      g_autofree char *at = g_strconcat ("@", directive->name, NULL);

      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                   _("%s:%u:%u: @%s wants a file name"), file_path_or_dash (file),
                   directive->line, column_of (file, directive->line, NULL, at, column),
                   directive->name);
      return FALSE;
    }
  *out_path = resolve_body_path (file, argument);
  return TRUE;
}

/* The transport settings of issue 14, in httpyac's words where it has them (@proxy, @no-proxy,
 * @no-reject-unauthorized, applied above) and in curl's otherwise (@proxy-user, @http1.1, @cert,
 * @key, @cacert; @cert-passphrase for --cert's ":PASSPHRASE"). Each argument may use {{…}}, so
 * that a passphrase or a proxy password can come from the environment. */
static gboolean
apply_transport_directives (Expander             *ex,
                            LadleHttpFile        *file,
                            const LadleHttpEntry *entry,
                            LadleRequest         *request,
                            GError              **error)
{
  const char *path = file_path_or_dash (file);
  const LadleHttpDirective *directive;

  if ((directive = find_directive (entry, "proxy")) != NULL)
    {
      g_autofree char *url = expand_directive (ex, file, entry, directive, NULL, error);

      if (url == NULL)
        return FALSE;
      /* curl: an empty proxy means none */
      ladle_request_set_proxy_mode (request, *url == '\0' ? LADLE_PROXY_NONE
                                                           : LADLE_PROXY_MANUAL);
      ladle_request_set_proxy_url (request, *url == '\0' ? NULL : url);
    }
  if ((directive = find_directive (entry, "proxy-user")) != NULL)
    {
      g_autofree char *user = expand_directive (ex, file, entry, directive, NULL, error);
      char *colon;

      if (user == NULL)
        return FALSE;
      colon = strchr (user, ':');
      if (colon != NULL)
        *colon = '\0';
      ladle_request_set_proxy_username (request, user);
      ladle_request_set_proxy_password (request, colon != NULL ? colon + 1 : NULL);
      if (colon != NULL)
        memset (colon + 1, 0, strlen (colon + 1));
    }
  /* httpyac's @no-proxy alone goes straight; with hosts, it is curl's --noproxy list (also
   * spelt @noproxy) */
  if ((directive = find_directive (entry, "no-proxy")) != NULL ||
      (directive = find_directive (entry, "noproxy")) != NULL)
    {
      g_autofree char *hosts = expand_directive (ex, file, entry, directive, NULL, error);

      if (hosts == NULL)
        return FALSE;
      if (*hosts == '\0')
        ladle_request_set_proxy_mode (request, LADLE_PROXY_NONE);
      else
        ladle_request_set_no_proxy (request, hosts);
    }
  if (find_directive (entry, "http1.1") != NULL)
    ladle_request_set_http_version (request, LADLE_HTTP_VERSION_1_1);

  if ((directive = find_directive (entry, "cert")) != NULL)
    {
      g_autofree char *cert = NULL;

      if (!directive_file (ex, file, entry, directive, &cert, error))
        return FALSE;
      ladle_request_set_tls_cert_file (request, cert);
    }
  if ((directive = find_directive (entry, "key")) != NULL)
    {
      g_autofree char *key = NULL;

      if (find_directive (entry, "cert") == NULL)
        {
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                       _("%s:%u:%u: @key goes with @cert (the client certificate)"), path,
                       directive->line, column_of (file, directive->line, NULL, "@key", 1));
          return FALSE;
        }
      if (!directive_file (ex, file, entry, directive, &key, error))
        return FALSE;
      ladle_request_set_tls_key_file (request, key);
    }
  if ((directive = find_directive (entry, "cert-passphrase")) != NULL)
    {
      g_autofree char *passphrase = expand_directive (ex, file, entry, directive, NULL, error);

      if (passphrase == NULL)
        return FALSE;
      ladle_request_set_tls_cert_password (request, passphrase);
      memset (passphrase, 0, strlen (passphrase));
    }
  if ((directive = find_directive (entry, "cacert")) != NULL)
    {
      g_autofree char *ca = NULL;

      if (!directive_file (ex, file, entry, directive, &ca, error))
        return FALSE;
      ladle_request_set_tls_ca_file (request, ca);
    }
  return TRUE;
}

/* httpyac's (X-)ClientCert header, "cert: FILE key: FILE passphrase: P" or "pfx: FILE
 * passphrase: P" (files relative to the .http file): the request's client certificate, and the
 * header is not sent (1). A value that does not start with one of these words stays a header, as
 * in httpyac (0); one that does but cannot be read is refused (-1) rather than sent with its
 * passphrase. */
static int
take_client_cert (LadleHttpFile *file,
                  LadleRequest  *request,
                  const char    *value)
{
  static const char * const keys[] = { "cert:", "key:", "pfx:", "passphrase:" };
  char *found[G_N_ELEMENTS (keys)] = { NULL, NULL, NULL, NULL };
  gsize len = strlen (value);
  g_autofree char *copy = g_strndup (value, len);
  char *p = copy;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  int taken = -1;

  while (g_ascii_isspace (*p))
    p++;
  taken = 0;
  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    if (g_ascii_strncasecmp (p, keys[k], strlen (keys[k])) == 0)
      taken = -1;
  if (taken == 0)
    goto out;

  while (*p != '\0')
    {
      guint k;
      char *start;

      while (g_ascii_isspace (*p))
        p++;
      if (*p == '\0')
        break;
      for (k = 0; k < G_N_ELEMENTS (keys); k++)
        if (g_ascii_strncasecmp (p, keys[k], strlen (keys[k])) == 0)
          break;
      if (k == G_N_ELEMENTS (keys) || found[k] != NULL)
        goto out;
      p += strlen (keys[k]);
      while (g_ascii_isspace (*p))
        p++;
      start = p;
      while (*p != '\0' && !g_ascii_isspace (*p))
        p++;
      if (p == start)
        goto out;
      if (*p != '\0')
        *p++ = '\0';
      found[k] = start;
    }
  if ((found[0] == NULL) == (found[2] == NULL) || (found[1] != NULL && found[0] == NULL))
    goto out;

  cert = resolve_body_path (file, found[0] != NULL ? found[0] : found[2]);
  key = found[1] != NULL ? resolve_body_path (file, found[1]) : NULL;
  ladle_request_set_tls_cert_file (request, cert);
  ladle_request_set_tls_key_file (request, key);
  ladle_request_set_tls_cert_password (request, found[3]);
  taken = 1;

out:
  memset (copy, 0, len);
  return taken;
}

static gboolean
add_body_part (Expander             *ex,
               LadleHttpFile        *file,
               const LadleHttpEntry *entry,
               const LadleHttpBodyPart *part,
               GListStore           *form,
               GError              **error)
{
  const char *path = file_path_or_dash (file);
  g_autofree char *expanded = NULL;
  g_autofree char *full = NULL;
  g_autoptr(LadleKeyValue) kv = NULL;
  GStatBuf st;
  guint column;

  if (part->kind == LADLE_HTTP_PART_TEXT)
    {
      expanded = expand_at (ex, file, entry, path, part->text, part->line, 1, error);
      if (expanded == NULL)
        return FALSE;
      kv = ladle_key_value_new (NULL, expanded);
      g_list_store_append (form, kv);
      return TRUE;
    }

  column = column_of (file, part->line, part->kind == LADLE_HTTP_PART_FILE ? "<" : "<@",
                      part->text, 1);
  expanded = expand_at (ex, file, entry, path, part->text, part->line, column, error);
  if (expanded == NULL)
    return FALSE;
  g_strstrip (expanded);
  full = resolve_body_path (file, expanded);

  if (g_stat (full, &st) != 0)
    {
      int saved = errno;

      g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                   _("%s:%u:%u: cannot read the body file “%s”: %s"), path, part->line, column,
                   full, g_strerror (saved));
      return FALSE;
    }
  if (S_ISDIR (st.st_mode))
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                   _("%s:%u:%u: the body file “%s” is a folder"), path, part->line, column, full);
      return FALSE;
    }

  if (part->kind == LADLE_HTTP_PART_FILE)
    {
      kv = ladle_key_value_new_file (NULL, full);
      g_list_store_append (form, kv);
      return TRUE;
    }
  else
    {
      g_autofree char *contents = NULL;
      g_autofree char *result = NULL;
      g_autoptr(GError) local_error = NULL;
      gsize length = 0;

      if (st.st_size > LADLE_HTTP_MAX_BODY)
        {
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_TOO_LARGE,
                       _("%s:%u:%u: the body file “%s” is larger than %u MiB; send it with “<” "
                         "instead of “<@”"),
                       path, part->line, column, full, LADLE_HTTP_MAX_BODY / (1024 * 1024));
          return FALSE;
        }
      if (!g_file_get_contents (full, &contents, &length, &local_error))
        {
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT, "%s:%u:%u: %s", path,
                       part->line, column, local_error->message);
          return FALSE;
        }
      /* `<@latin1 path` (httpyac): the file's text in that encoding, sent as UTF-8 */
      if (part->encoding != NULL && part->encoding[0] != '\0' &&
          g_ascii_strcasecmp (part->encoding, "utf8") != 0 &&
          g_ascii_strcasecmp (part->encoding, "utf-8") != 0)
        {
          const char *from = g_ascii_strcasecmp (part->encoding, "latin1") == 0 ||
                             g_ascii_strcasecmp (part->encoding, "binary") == 0
                             ? "ISO-8859-1" : part->encoding;
          gsize converted_length = 0;
          char *converted = g_convert (contents, length, "UTF-8", from, NULL, &converted_length,
                                       &local_error);

          if (converted == NULL)
            {
              g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                           _("%s:%u:%u: the body file “%s” cannot be read as %s: %s"),
                           path, part->line, column, full, part->encoding, local_error->message);
              return FALSE;
            }
          g_free (contents);
          contents = converted;
          length = converted_length;
        }
      if (!g_utf8_validate (contents, length, NULL) || strlen (contents) != length)
        {
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_INVALID_ARGUMENT,
                       _("%s:%u:%u: the body file “%s” is not UTF-8 text; send it with “<” "
                         "instead of “<@”"),
                       path, part->line, column, full);
          return FALSE;
        }
      /* Its {{…}} errors point into the file itself. */
      result = expand_at (ex, file, entry, full, contents, 1, 1, error);
      if (result == NULL)
        return FALSE;
      kv = ladle_key_value_new (NULL, result);
      g_list_store_append (form, kv);
      return TRUE;
    }
}

/* Per-host client certificates, as httpyac reads them from the project's .httpyac.json:
 * {"clientCertificates": {"example.com": {"cert": "client.crt", "key": "client.key"},
 * "example.com:8443": {"pfx": "client.p12", "passphrase": "{{p12Pass}}"}}}. The nearest
 * .httpyac.json in the .http file's folder or above is the project's (httpyac's root); its
 * relative paths are relative to its own folder; each value may use {{…}}. */

#define HTTPYAC_CONFIG ".httpyac.json"

/* Where the value of the first `"name"` at or after byte @from of @text starts */
static void
value_position (const char *text,
                gsize       from,
                const char *name,
                guint      *out_line,
                guint      *out_column)
{
  g_autofree char *quoted = g_strdup_printf ("\"%s\"", name);
  const char *found = strstr (text + from, quoted);
  gsize offset = from;

  if (found != NULL)
    {
      const char *p = found + strlen (quoted);

      while (*p != '\0' && (g_ascii_isspace (*p) || *p == ':'))
        p++;
      if (*p == '"')
        p++;
      offset = p - text;
    }
  text_position (text, offset, 1, 1, out_line, out_column);
}

static gboolean
read_host_cert (const char  *path,
                const char  *text,
                const char  *host,
                JsonNode    *node,
                HostCert   **out_cert,
                GError     **error)
{
  static const char * const names[] = { "cert", "key", "pfx", "passphrase" };
  const char *values[G_N_ELEMENTS (names)] = { NULL, };
  g_autofree char *quoted = g_strdup_printf ("\"%s\"", host);
  const char *at = NULL;
  gsize from = 0;
  guint line = 1, column = 1;
  HostCert *cert;
  gboolean valid = JSON_NODE_HOLDS_OBJECT (node);

  /* the place, only for a message (a search per host would make a file of many hosts slow) */
  if (valid)
    {
      for (guint i = 0; i < G_N_ELEMENTS (names) && valid; i++)
        {
          JsonNode *member = json_object_get_member (json_node_get_object (node), names[i]);

          if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
            valid = JSON_NODE_HOLDS_VALUE (member) &&
                    json_node_get_value_type (member) == G_TYPE_STRING;
          if (valid && member != NULL && !JSON_NODE_HOLDS_NULL (member))
            values[i] = json_node_get_string (member);
        }
      valid = valid &&
              !((values[0] == NULL) == (values[2] == NULL) ||
                (values[1] != NULL && values[0] == NULL));
    }
  if (!valid)
    {
      at = strstr (text, quoted);
      from = at != NULL ? (gsize) (at - text) : 0;
      text_position (text, from, 1, 1, &line, &column);
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                   _("%s:%u:%u: the client certificate of “%s” is not an object such as "
                     "{\"cert\": \"client.crt\", \"key\": \"client.key\"}"),
                   path, line, column, host);
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      JsonNode *member = json_object_get_member (json_node_get_object (node), names[i]);

      if (member == NULL || JSON_NODE_HOLDS_NULL (member))
        continue;
      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_STRING)
        {
          guint member_line, member_column;

          value_position (text, from, names[i], &member_line, &member_column);
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                       _("%s:%u:%u: “%s” of “%s” must be a string"), path, member_line,
                       member_column, names[i], host);
          return FALSE;
        }
      values[i] = json_node_get_string (member);
    }
  if ((values[0] == NULL) == (values[2] == NULL) || (values[1] != NULL && values[0] == NULL))
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                   _("%s:%u:%u: the client certificate of “%s” wants “cert” (and “key” if the "
                     "certificate file has no key) or “pfx”, not both"),
                   path, line, column, host);
      return FALSE;
    }

  cert = g_new0 (HostCert, 1);
  cert->cert = g_strdup (values[0] != NULL ? values[0] : values[2]);
  cert->pfx = values[0] == NULL;
  cert->key = g_strdup (values[1]);
  cert->passphrase = g_strdup (values[3]);
  cert->host = g_strdup (host);
  *out_cert = cert;
  return TRUE;
}

static gboolean
load_host_certs (HostCerts   *certs,
                 GError     **error)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) json_error = NULL;
  gsize length = 0;
  JsonNode *node;
  JsonObjectIter iter;
  const char *host;
  JsonNode *host_node;

  if (!read_optional (certs->path, &text, &length, error))
    return FALSE;
  if (text == NULL)
    return TRUE;
  if (!g_utf8_validate (text, length, NULL) || memchr (text, '\0', length) != NULL)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE, _("%s:1:1: the file is not UTF-8 text"),
                   certs->path);
      return FALSE;
    }
  root = ladle_json_parse (text, -1, &json_error);
  if (root == NULL)
    {
      set_json_error (error, certs->path, json_error);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                   _("%s:1:1: httpyac's settings must be a JSON object"), certs->path);
      return FALSE;
    }
  node = json_object_get_member (json_node_get_object (root), "clientCertificates");
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      guint line, column;

      member_position (text, "clientCertificates", &line, &column);
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                   _("%s:%u:%u: “clientCertificates” must be an object of hosts, as "
                     "{\"example.com\": {\"cert\": \"client.crt\", \"key\": \"client.key\"}}"),
                   certs->path, line, column);
      return FALSE;
    }

  json_object_iter_init_ordered (&iter, json_node_get_object (node));
  while (json_object_iter_next_ordered (&iter, &host, &host_node))
    {
      HostCert *cert = NULL;

      if (!read_host_cert (certs->path, text, host, host_node, &cert, error))
        return FALSE;
      g_hash_table_replace (certs->hosts, g_ascii_strdown (host, -1), cert);
    }
  certs->text = g_steal_pointer (&text);
  return TRUE;
}

/* The .httpyac.json that applies to @file (NULL when none), read once per scope */
static HostCerts *
scope_host_certs (LadleHttpScope *self,
                  LadleHttpFile  *file)
{
  const char *file_path = file != NULL ? ladle_http_file_get_path (file) : NULL;
  g_autofree char *start = NULL;
  g_autofree char *folder = NULL;
  const char *path;
  HostCerts *certs;

  if (file_path != NULL)
    {
      g_autofree char *absolute = g_canonicalize_filename (file_path, NULL);

      start = g_path_get_dirname (absolute);
    }
  else
    start = g_get_current_dir ();

  path = g_hash_table_lookup (self->httpyac_dirs, start);
  if (path == NULL)
    {
      g_autofree char *found = NULL;

      folder = g_strdup (start);
      for (guint level = 0; level < MAX_FOLDER_LEVELS && found == NULL; level++)
        {
          g_autofree char *candidate = g_build_filename (folder, HTTPYAC_CONFIG, NULL);
          g_autofree char *parent = NULL;

          if (g_file_test (candidate, G_FILE_TEST_EXISTS))
            {
              found = g_steal_pointer (&candidate);
              break;
            }
          parent = g_path_get_dirname (folder);
          if (strcmp (parent, folder) == 0)
            break;
          g_free (folder);
          folder = g_steal_pointer (&parent);
        }
      path = found != NULL ? found : "";
      g_hash_table_insert (self->httpyac_dirs, g_strdup (start), g_strdup (path));
      path = g_hash_table_lookup (self->httpyac_dirs, start);
    }
  if (*path == '\0')
    return NULL;

  certs = g_hash_table_lookup (self->httpyac_configs, path);
  if (certs == NULL)
    {
      certs = g_new0 (HostCerts, 1);
      certs->path = g_strdup (path);
      certs->folder = g_path_get_dirname (path);
      certs->hosts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, host_cert_free);
      if (!load_host_certs (certs, &certs->error))
        g_hash_table_remove_all (certs->hosts);
      g_hash_table_insert (self->httpyac_configs, g_strdup (path), certs);
    }
  return certs;
}

/* A file of a host's certificate: {{…}} expanded, relative to the .httpyac.json's folder */
/* A value of a host's certificate, {{…}} expanded; a message points into the .httpyac.json */
static char *
host_cert_expand (Expander             *ex,
                  LadleHttpFile        *file,
                  const LadleHttpEntry *entry,
                  HostCerts            *certs,
                  const HostCert       *cert,
                  const char           *member,
                  const char           *value,
                  GError              **error)
{
  g_autofree char *quoted = NULL;
  const char *at;
  guint line = 1, column = 1;

  if (strstr (value, "{{") == NULL)
    return g_strdup (value);
  quoted = g_strdup_printf ("\"%s\"", cert->host);
  at = certs->text != NULL ? strstr (certs->text, quoted) : NULL;
  if (at != NULL)
    value_position (certs->text, at - certs->text, member, &line, &column);
  return expand_at (ex, file, entry, certs->path, value, line, column, error);
}

static char *
host_cert_file (Expander             *ex,
                LadleHttpFile        *file,
                const LadleHttpEntry *entry,
                HostCerts            *certs,
                const HostCert       *cert,
                const char           *member,
                const char           *value,
                GError              **error)
{
  g_autofree char *expanded = host_cert_expand (ex, file, entry, certs, cert, member, value,
                                                error);

  if (expanded == NULL)
    return NULL;
  if (g_path_is_absolute (expanded))
    return g_steal_pointer (&expanded);
  if (g_str_has_prefix (expanded, "~/"))
    return g_build_filename (g_get_home_dir (), expanded + 2, NULL);
  return g_canonicalize_filename (expanded, certs->folder);
}

/* JetBrains' SSLConfiguration of the selected environment: {"clientCertificate": "dev.pem" (or
 * {"path": …, "format": …}), "clientCertificateKey": …, "hasCertificatePassphrase": true,
 * "verifyHostCertificate": false}. Files relative to the environment files' folder. JetBrains asks
 * for the passphrase in a dialog; Ladle takes the request's # @cert-passphrase. */

/* "PATH:LINE:COL: " of the environment's SSLConfiguration (or of the file) for messages */
static char *
ssl_configuration_place (LadleHttpScope  *self,
                         LadleHttpSource  source)
{
  const char *folder = ladle_http_environments_get_folder (self->environments);
  g_autofree char *path = g_build_filename (folder, source == LADLE_HTTP_SOURCE_PRIVATE_ENV
                                                      ? PRIVATE_ENV_FILE : ENV_FILE, NULL);
  g_autofree char *text = NULL;
  gsize length = 0;
  guint line = 1, column = 1;

  if (read_optional (path, &text, &length, NULL) && text != NULL &&
      g_utf8_validate (text, length, NULL))
    {
      g_autofree char *quoted = g_strdup_printf ("\"%s\"", self->env != NULL ? self->env
                                                                              : SHARED);
      const char *env_at = strstr (text, quoted);
      const char *at = strstr (env_at != NULL ? env_at : text, "\"SSLConfiguration\"");

      if (at == NULL)
        at = strstr (text, "\"SSLConfiguration\"");
      text_position (text, at != NULL ? (gsize) (at - text) : 0, 1, 1, &line, &column);
    }
  return g_strdup_printf ("%s:%u:%u", path, line, column);
}

/* A file of SSLConfiguration: a string, or an object with "path"; NULL in @out_path when absent */
static gboolean
ssl_configuration_file (JsonObject  *object,
                        const char  *name,
                        const char  *place,
                        const char  *folder,
                        char       **out_path,
                        GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  const char *value = NULL;

  *out_path = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    value = json_node_get_string (node);
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonNode *path = json_object_get_member (json_node_get_object (node), "path");

      if (path != NULL && JSON_NODE_HOLDS_VALUE (path) &&
          json_node_get_value_type (path) == G_TYPE_STRING)
        value = json_node_get_string (path);
    }
  if (value == NULL || *value == '\0')
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                   _("%s: SSLConfiguration's “%s” must be a file name, or an object with its "
                     "“path”"), place, name);
      return FALSE;
    }
  if (g_path_is_absolute (value))
    *out_path = g_strdup (value);
  else if (g_str_has_prefix (value, "~/"))
    *out_path = g_build_filename (g_get_home_dir (), value + 2, NULL);
  else
    *out_path = g_canonicalize_filename (value, folder);
  return TRUE;
}

static gboolean
apply_ssl_configuration (LadleHttpScope  *self,
                         LadleRequest    *request,
                         gboolean         wants_cert,
                         GError         **error)
{
  LadleHttpSource source = LADLE_HTTP_SOURCE_ENV;
  const char *text;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *place = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  JsonObject *object;
  JsonNode *verify;

  if (self->environments == NULL)
    return TRUE;
  text = ladle_http_environments_lookup (self->environments, self->env, "SSLConfiguration",
                                         &source);
  if (text == NULL ||
      (source != LADLE_HTTP_SOURCE_ENV && source != LADLE_HTTP_SOURCE_PRIVATE_ENV))
    return TRUE;
  place = ssl_configuration_place (self, source);
  root = ladle_json_parse (text, -1, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                   _("%s: SSLConfiguration must be an object, as {\"clientCertificate\": "
                     "\"client.pem\", \"clientCertificateKey\": \"client.key\"}"), place);
      return FALSE;
    }
  object = json_node_get_object (root);

  verify = json_object_get_member (object, "verifyHostCertificate");
  if (verify != NULL && !JSON_NODE_HOLDS_NULL (verify))
    {
      if (!JSON_NODE_HOLDS_VALUE (verify) || json_node_get_value_type (verify) != G_TYPE_BOOLEAN)
        {
          g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                       _("%s: SSLConfiguration's “%s” must be true or false"), place,
                       "verifyHostCertificate");
          return FALSE;
        }
      if (!json_node_get_boolean (verify))
        ladle_request_set_verify_tls (request, FALSE);
    }
  if (!wants_cert)
    return TRUE;

  if (!ssl_configuration_file (object, "clientCertificate", place,
                               ladle_http_environments_get_folder (self->environments), &cert,
                               error) ||
      !ssl_configuration_file (object, "clientCertificateKey", place,
                               ladle_http_environments_get_folder (self->environments), &key,
                               error))
    return FALSE;
  if (cert == NULL && key != NULL)
    {
      g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                   _("%s: SSLConfiguration's “clientCertificateKey” goes with “clientCertificate”"),
                   place);
      return FALSE;
    }
  if (cert != NULL)
    {
      ladle_request_set_tls_cert_file (request, cert);
      ladle_request_set_tls_key_file (request, key);
    }
  return TRUE;
}

/* A request with no client certificate of its own (@cert, a ClientCert header) to an https://
 * URL gets its host's from the .httpyac.json: HOST:PORT first, then HOST; else the environment's
 * SSLConfiguration (JetBrains'), whose verifyHostCertificate applies to every https:// request. */
static gboolean
apply_host_cert (Expander             *ex,
                 LadleHttpFile        *file,
                 const LadleHttpEntry *entry,
                 LadleRequest         *request,
                 GError              **error)
{
  const char *own = ladle_request_get_tls_cert_file (request);
  const char *url = ladle_request_get_url (request);
  g_autoptr(GUri) uri = NULL;
  g_autofree char *host = NULL;
  g_autofree char *host_port = NULL;
  g_autofree char *cert_file = NULL;
  g_autofree char *key_file = NULL;
  HostCerts *certs;
  const HostCert *cert;
  int port;

  if (url == NULL || (uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL)) == NULL ||
      g_uri_get_host (uri) == NULL || g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0)
    return TRUE;
  if (own != NULL && *own != '\0')
    return apply_ssl_configuration (ex->scope, request, FALSE, error);
  certs = scope_host_certs (ex->scope, file);
  if (certs == NULL)
    return apply_ssl_configuration (ex->scope, request, TRUE, error);
  if (certs->error != NULL)
    {
      g_propagate_error (error, g_error_copy (certs->error));
      return FALSE;
    }

  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  port = g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 443;
  host_port = strchr (host, ':') != NULL ? g_strdup_printf ("[%s]:%d", host, port)
                                         : g_strdup_printf ("%s:%d", host, port);
  cert = g_hash_table_lookup (certs->hosts, host_port);
  if (cert == NULL)
    cert = g_hash_table_lookup (certs->hosts, host);
  if (cert == NULL)
    return apply_ssl_configuration (ex->scope, request, TRUE, error);
  if (!apply_ssl_configuration (ex->scope, request, FALSE, error))
    return FALSE;

  cert_file = host_cert_file (ex, file, entry, certs, cert, cert->pfx ? "pfx" : "cert",
                              cert->cert, error);
  if (cert_file == NULL)
    return FALSE;
  if (cert->key != NULL)
    {
      key_file = host_cert_file (ex, file, entry, certs, cert, "key", cert->key, error);
      if (key_file == NULL)
        return FALSE;
    }
  if (cert->passphrase != NULL)
    {
      g_autofree char *passphrase = host_cert_expand (ex, file, entry, certs, cert, "passphrase",
                                                      cert->passphrase, error);

      if (passphrase == NULL)
        return FALSE;
      ladle_request_set_tls_cert_password (request, passphrase);
      memset (passphrase, 0, strlen (passphrase));
    }
  ladle_request_set_tls_cert_file (request, cert_file);
  ladle_request_set_tls_key_file (request, key_file);
  return TRUE;
}

LadleRequest *
ladle_http_scope_build_request (LadleHttpScope        *self,
                                LadleHttpFile         *file,
                                const LadleHttpEntry  *entry,
                                GError               **error)
{
  g_auto(Expander) ex = { 0 };
  g_autoptr(LadleRequest) request = ladle_request_new ();
  g_autofree char *url = NULL;
  const char *path = file_path_or_dash (file);
  GListStore *headers = ladle_request_get_headers (request);
  guint column;

  g_return_val_if_fail (entry != NULL, NULL);

  expander_init (&ex, self);

  ladle_request_set_method (request, entry->method != NULL ? entry->method : "GET");

  column = column_of (file, entry->request_line, entry->method, entry->url,
                      entry->method != NULL ? (guint) g_utf8_strlen (entry->method, -1) + 2 : 1);
  url = expand_at (&ex, file, entry, path, entry->url, entry->request_line, column, error);
  if (url == NULL)
    return NULL;
  g_strstrip (url);
  ladle_request_set_url (request, url);

  for (guint i = 0; i < entry->headers->len; i++)
    {
      const LadleHttpHeader *header = g_ptr_array_index (entry->headers, i);
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;
      g_autofree char *basic = NULL;
      g_autoptr(LadleKeyValue) kv = NULL;

      name = expand_at (&ex, file, entry, path, header->name, header->line, 1, error);
      if (name == NULL)
        return NULL;
      column = header->value_column > 0
                 ? header->value_column
                 : column_of (file, header->line, ":", header->value,
                              (guint) g_utf8_strlen (header->name, -1) + 3);
      value = expand_at (&ex, file, entry, path, header->value, header->line, column, error);
      if (value == NULL)
        return NULL;
      if (g_ascii_strcasecmp (name, "Authorization") == 0 && take_digest (request, value))
        continue;
      if (g_ascii_strcasecmp (name, "Authorization") == 0)
        {
          int taken = take_oauth2 (&ex, file, entry, header, request, value, column, error);

          if (taken < 0)
            return NULL;
          if (taken > 0)
            continue;
        }
      if (g_ascii_strcasecmp (name, "X-ClientCert") == 0 ||
          g_ascii_strcasecmp (name, "ClientCert") == 0)
        {
          int taken = take_client_cert (file, request, value);

          if (taken > 0)
            continue;
          if (taken < 0)
            {
              g_set_error (error, LADLE_ERROR, LADLE_ERROR_PARSE,
                           _("%s:%u:%u: the %s header is read as httpyac does: “cert: FILE key: "
                             "FILE passphrase: WORD” or “pfx: FILE passphrase: WORD”, each "
                             "value one word; this one is not sent"),
                           path, header->line, column, name);
              return NULL;
            }
        }
      if (g_ascii_strcasecmp (name, "Authorization") == 0)
        basic = encode_basic (value);
      kv = ladle_key_value_new (name, basic != NULL ? basic : value);
      g_list_store_append (headers, kv);
    }

  if (entry->body->len > 0)
    {
      GListStore *form = ladle_request_get_form (request);

      ladle_request_set_body_kind (request, LADLE_BODY_PARTS);
      /* No default type: only what the headers say. */
      ladle_request_set_body_content_type (request, "");
      for (guint i = 0; i < entry->body->len; i++)
        if (!add_body_part (&ex, file, entry, g_ptr_array_index (entry->body, i), form, error))
          return NULL;
    }

  if (!apply_directives (&ex, file, entry, request, error) ||
      !apply_transport_directives (&ex, file, entry, request, error) ||
      !apply_host_cert (&ex, file, entry, request, error))
    return NULL;

  return g_steal_pointer (&request);
}

/* Highlighting */

static void
span_clear (gpointer data)
{
  LadleHttpVarSpan *span = data;

  g_free (span->name);
}

GArray *
ladle_http_find_variables (const char *text,
                           gssize      length)
{
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (LadleHttpVarSpan));
  const char *end;
  const char *p = text;

  g_array_set_clear_func (spans, span_clear);
  if (text == NULL)
    return spans;
  end = text + (length < 0 ? strlen (text) : (gsize) length);

  while (p + 1 < end)
    {
      const char *open = find_pair (p, end, '{');
      const char *close;
      LadleHttpVarSpan span;

      if (open == NULL)
        break;
      close = find_pair (open + 2, end, '}');
      if (close == NULL)
        break;  /* no `}}` further on closes any later `{{` either */
      span.start = open - text;
      span.end = close + 2 - text;
      span.name = g_strndup (open + 2, close - open - 2);
      g_strstrip (span.name);
      g_array_append_val (spans, span);
      p = close + 2;
    }

  return spans;
}
