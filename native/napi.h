// Node-API helpers shared by the compiled paths.

#ifndef ANALYSE_NAPI_H
#define ANALYSE_NAPI_H

#include <node_api.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "rows.h"

#define CHECK(call) \
  if ((call) != napi_ok) return NULL

static inline int32_t *int32Array(napi_env env, napi_value value, size_t *length) {
  napi_typedarray_type type;
  size_t n;
  void *data;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, value, &type, &n, &data, &buffer, &offset) != napi_ok || type != napi_int32_array) return NULL;
  *length = n;
  int32_t *copy = malloc((n + 1) * sizeof(int32_t));
  /* An empty array's data may be NULL, which memcpy must not be given even for 0 bytes. */
  if (copy != NULL && n > 0) memcpy(copy, data, n * sizeof(int32_t));
  return copy;
}

static inline napi_value typed(napi_env env, napi_typedarray_type type, size_t count, size_t size, const void *data) {
  void *target;
  napi_value ab, array;
  if (napi_create_arraybuffer(env, count * size, &target, &ab) != napi_ok) return NULL;
  if (count > 0) memcpy(target, data, count * size);
  if (napi_create_typedarray(env, type, count, ab, 0, &array) != napi_ok) return NULL;
  return array;
}

/*
 * Reads the arguments of read(handle, buffer, from, to, final, limit, out: Float64Array(4)); 0 when
 * they are not those. `out` is found first: when it is there and the rest is not (a buffer past
 * the 2 GiB that int32 cell bounds hold), the caller says BAIL in it rather than leave the last
 * call's status and counts there for the reader to add again.
 */
static inline int readArgs(napi_env env, napi_callback_info info, void **handle, uint8_t **data, size_t *length, size_t *from, size_t *to, int *final, double *limit, double **out) {
  size_t argc = 7;
  napi_value argv[7];
  *out = NULL;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 7) return 0;
  napi_typedarray_type type;
  size_t n;
  void *outData;
  napi_value ab;
  size_t offset;
  if (napi_get_typedarray_info(env, argv[6], &type, &n, &outData, &ab, &offset) != napi_ok || type != napi_float64_array || n < 4) return 0;
  *out = outData;
  if (napi_get_value_external(env, argv[0], handle) != napi_ok || *handle == NULL) return 0;
  void *bytes;
  if (napi_get_buffer_info(env, argv[1], &bytes, length) != napi_ok) return 0;
  *data = bytes;
  int64_t f, t;
  bool fin;
  if (napi_get_value_int64(env, argv[2], &f) != napi_ok || napi_get_value_int64(env, argv[3], &t) != napi_ok) return 0;
  if (napi_get_value_bool(env, argv[4], &fin) != napi_ok || napi_get_value_double(env, argv[5], limit) != napi_ok) return 0;
  if (f < 0 || t < f || (size_t)t > *length || t > 0x7fffffff) return 0;
  *from = (size_t)f;
  *to = (size_t)t;
  *final = fin;
  return 1;
}

/*
 * A compiled reader's own part of a read: `before` takes the arguments after the first seven (0:
 * refused) and `after` finishes the block (it may turn the status into BAIL). NULL: none.
 */
typedef int (*BlockBefore)(napi_env env, napi_callback_info info, void *handle, size_t from, double *out);
typedef int (*BlockAfter)(void *handle, const uint8_t *data, size_t next, int status, double *out);

/*
 * read(handle, buffer, from, to, final, limit, out: Float64Array, ...) of a compiled reader whose
 * state begins with a BlockState: reads the rows of buffer[from, to) with `fn`, and sets
 * out = [status, next, rows, lines] (and what `after` adds).
 */
static inline __attribute__((always_inline)) napi_value readBlocksWith(napi_env env, napi_callback_info info, RowFn fn, BlockBefore before, BlockAfter after) {
  void *handle;
  uint8_t *data;
  size_t length, from, to, next;
  int final;
  double limit, *out, rows = 0, lines = 0;
  if (!readArgs(env, info, &handle, &data, &length, &from, &to, &final, &limit, &out) || (before != NULL && !before(env, info, handle, from, out))) {
    if (out != NULL) {
      out[0] = BAIL;
      out[1] = out[2] = out[3] = 0;
    }
    return NULL;
  }
  BlockState *state = handle;
  next = from;
  int status = state->failed ? BAIL : readRows(&state->spec, fn, handle, data, length, from, to, final, limit, &next, &rows, &lines);
  if (state->failed) status = BAIL;
  if (after != NULL) status = after(handle, data, next, status, out);
  out[0] = status;
  out[1] = (double)next;
  out[2] = rows;
  out[3] = lines;
  return NULL;
}

static inline __attribute__((always_inline)) napi_value readBlocks(napi_env env, napi_callback_info info, RowFn fn) {
  return readBlocksWith(env, info, fn, NULL, NULL);
}

/* The external value that is a call's first argument, or NULL. */
static inline void *handleArg(napi_env env, napi_callback_info info, napi_value *second) {
  size_t argc = 2;
  napi_value argv[2];
  void *data = NULL;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1) return NULL;
  if (napi_get_value_external(env, argv[0], &data) != napi_ok) return NULL;
  if (second != NULL) *second = argc > 1 ? argv[1] : NULL;
  return data;
}

#endif
