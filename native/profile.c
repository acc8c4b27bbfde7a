// Describe's profile path in C: per described column of a cohort file, its present and missing
// cells and, while there are few, the rows of each distinct value, as ColumnProfile counts them
// (src/describe/column-profile.ts), which keeps everything else. A value's key is its unescaped
// bytes, with short unquoted values apart from the rest as ColumnProfile keeps them, so the
// values come out in the same order with the same counts. Once a column has more distinct values
// than the limit, its cells are recorded, row by row, for ColumnProfile to read after each block
// (running numeric statistics, years), until it says the column needs nothing but its presence.
// No errors of its own: at a row that is not plain, reading stops (BAIL) and the file is read
// again by the JavaScript path.

#include "napi.h"
#include "rows.h"
#include "values.h"

#define LEVELS 0   /* count each distinct value */
#define PRESENCE 1 /* count present and missing cells only */
#define RECORD 2   /* past the limit: record each present cell for ColumnProfile */

/* ColumnProfile keys unquoted values of up to this many bytes apart from the others. */
#define SHORT_UNQUOTED 6
/*
 * The sign bit, which no cell's length has (a read takes under 2^31 bytes, napi.h). With 1 << 30,
 * a cell of 2^30 + 1 to 6 bytes whose hash equalled a short value's bytes had that value's key,
 * and was compared with memcmp far past the value's bytes in the arena.
 */
#define SHORT_TAG INT32_MIN

typedef struct {
  int mode;
  Values values;
  double *counts; /* per value id */
  int32_t countCap;
  double present, missing;
  int overflowed; /* 1: passed the limit since ColumnProfile was last told */
  int32_t *cells; /* RECORD: (start, end, quoted) of each present cell since the last take */
  size_t ncells, cellsCap;
} Column;

typedef struct {
  BlockState block; /* first: the rows read, and whether memory ran out */
  int32_t limit;
  Column *cols; /* per wanted field */
  Scratch scratch;
} Profiler;

/* Frees what a profiler holds and leaves it empty, as if out of memory, as releaseCounter does (count.c), once its result is taken. */
static void releaseProfiler(Profiler *p) {
  if (p->cols != NULL)
    for (int32_t w = 0; w < p->block.spec.nwanted; w++) {
      valuesFree(&p->cols[w].values);
      free(p->cols[w].counts);
      free(p->cols[w].cells);
    }
  free(p->cols);
  free(p->block.spec.wanted);
  free(p->block.spec.starts);
  free(p->block.spec.ends);
  free(p->block.spec.quoted);
  free(p->scratch.bytes);
  memset(p, 0, sizeof *p);
  p->block.failed = 1;
}

static void freeProfiler(Profiler *p) {
  if (p == NULL) return;
  releaseProfiler(p);
  free(p);
}

static void finalizeProfiler(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  freeProfiler((Profiler *)data);
}

static inline __attribute__((always_inline)) int profileRow(void *state, const uint8_t *buf, const uint8_t *end) {
  Profiler *p = state;
  const int32_t n = p->block.spec.nwanted;
  const int32_t *starts = p->block.spec.starts, *ends = p->block.spec.ends;
  const uint8_t *quoted = p->block.spec.quoted;
  for (int32_t w = 0; w < n; w++) {
    Column *col = &p->cols[w];
    int32_t s = starts[w], e = ends[w];
    int q = quoted[w];
    if (s == e || (q && e - s == 2)) {
      col->missing += 1;
      continue;
    }
    col->present += 1;
    if (col->mode == PRESENCE) continue;
    if (col->mode == RECORD) {
      if (col->ncells + 3 > col->cellsCap) {
        col->cellsCap = col->cellsCap == 0 ? 3 * 4096 : 2 * col->cellsCap;
        col->cells = grow(col->cells, col->cellsCap * sizeof(int32_t), &p->block.failed);
        if (p->block.failed) return 0;
      }
      col->cells[col->ncells++] = s;
      col->cells[col->ncells++] = e;
      col->cells[col->ncells++] = q;
      continue;
    }
    const uint8_t *v = buf + s;
    size_t len = (size_t)(e - s);
    const uint8_t *limit = end;
    int32_t tag = 0;
    if (q) {
      v++;
      len -= 2;
      if (!unquoted(&v, &len, &limit, &p->scratch, &p->block.failed)) return 0;
    } else if (len <= SHORT_UNQUOTED) {
      tag = SHORT_TAG;
    }
    int32_t id = valueId(&p->block.failed, &col->values, v, len, limit, tag);
    if (id < 0) return 0;
    if (id >= col->countCap) {
      int32_t cap = col->countCap == 0 ? 64 : 2 * col->countCap;
      col->counts = grow(col->counts, (size_t)cap * sizeof(double), &p->block.failed);
      if (p->block.failed) return 0;
      for (int32_t i = col->countCap; i < cap; i++) col->counts[i] = 0;
      col->countCap = cap;
    }
    col->counts[id] += 1;
    if (col->values.count > p->limit) {
      /* ColumnProfile takes it from here: the values so far, then each cell in turn. */
      col->mode = RECORD;
      col->overflowed = 1;
    }
  }
  return 1;
}

/* profileCreate(columns, wanted: Int32Array, modes: Int32Array, limit): a profiler of the wanted fields, LEVELS (0) or PRESENCE (1) each. */
static napi_value profileCreate(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 4) return NULL;
  Profiler *p = calloc(1, sizeof(Profiler));
  if (p == NULL) return NULL;
  size_t n = 0, nmodes = 0;
  napi_get_value_int32(env, argv[0], &p->block.spec.columns);
  napi_get_value_int32(env, argv[3], &p->limit);
  p->block.spec.wanted = int32Array(env, argv[1], &n);
  int32_t *modes = int32Array(env, argv[2], &nmodes);
  p->block.spec.nwanted = (int32_t)n;
  int ok = p->block.spec.wanted != NULL && modes != NULL && nmodes == n;
  if (ok) {
    p->block.spec.starts = calloc(n + 1, sizeof(int32_t));
    p->block.spec.ends = calloc(n + 1, sizeof(int32_t));
    p->block.spec.quoted = calloc(n + 1, 1);
    p->cols = calloc(n + 1, sizeof(Column));
    ok = p->block.spec.starts && p->block.spec.ends && p->block.spec.quoted && p->cols;
  }
  for (size_t w = 0; ok && w < n; w++) {
    ok = valuesInit(&p->cols[w].values);
    p->cols[w].mode = modes[w] == PRESENCE ? PRESENCE : LEVELS;
  }
  free(modes);
  napi_value external;
  if (!ok || napi_create_external(env, p, finalizeProfiler, NULL, &external) != napi_ok) {
    freeProfiler(p);
    return NULL;
  }
  return external;
}

/* profileRead(profiler, buffer, from, to, final, limit, out: Float64Array(4)): out = [status, next, rows, lines]. */
static napi_value profileRead(napi_env env, napi_callback_info info) {
  return readBlocks(env, info, profileRow);
}

/* A column's values so far: { bytes, offsets, counts, present, missing }. */
static napi_value columnValues(napi_env env, Column *col) {
  napi_value entry, value;
  Values *v = &col->values;
  if (napi_create_object(env, &entry) != napi_ok) return NULL;
  napi_set_named_property(env, entry, "bytes", typed(env, napi_uint8_array, v->offsets[v->count], 1, v->arena));
  napi_set_named_property(env, entry, "offsets", typed(env, napi_uint32_array, (size_t)v->count + 1, sizeof(uint32_t), v->offsets));
  napi_set_named_property(env, entry, "counts", typed(env, napi_float64_array, (size_t)v->count, sizeof(double), col->counts));
  napi_create_double(env, col->present, &value);
  napi_set_named_property(env, entry, "present", value);
  napi_create_double(env, col->missing, &value);
  napi_set_named_property(env, entry, "missing", value);
  napi_create_int32(env, col->mode, &value);
  napi_set_named_property(env, entry, "mode", value);
  return entry;
}

/*
 * profileTake(profiler): per wanted field, null, or what ColumnProfile must read now:
 * { values } when the column has just passed the limit (its values up to then), and
 * { cells: Int32Array } of (start, end, quoted) for the cells recorded since; then forgets them.
 */
static napi_value profileTake(napi_env env, napi_callback_info info) {
  Profiler *p = handleArg(env, info, NULL);
  if (p == NULL) return NULL;
  napi_value list, nul;
  napi_get_null(env, &nul);
  CHECK(napi_create_array_with_length(env, p->block.spec.nwanted, &list));
  for (int32_t w = 0; w < p->block.spec.nwanted; w++) {
    Column *col = &p->cols[w];
    if (!col->overflowed && col->ncells == 0) {
      napi_set_element(env, list, w, nul);
      continue;
    }
    napi_value entry;
    CHECK(napi_create_object(env, &entry));
    napi_set_named_property(env, entry, "values", col->overflowed ? columnValues(env, col) : nul);
    napi_set_named_property(env, entry, "cells", typed(env, napi_int32_array, col->ncells, sizeof(int32_t), col->cells));
    col->overflowed = 0;
    col->ncells = 0;
    napi_set_element(env, list, w, entry);
  }
  return list;
}

/* profilePresenceOnly(profiler, w): from now on, field w's present and missing cells are counted, nothing more. */
static napi_value profilePresenceOnly(napi_env env, napi_callback_info info) {
  napi_value field = NULL;
  Profiler *p = handleArg(env, info, &field);
  int32_t w = -1;
  if (field != NULL) napi_get_value_int32(env, field, &w);
  if (p != NULL && w >= 0 && w < p->block.spec.nwanted) {
    p->cols[w].mode = PRESENCE;
    p->cols[w].ncells = 0;
  }
  return NULL;
}

/* profileResult(profiler): per wanted field { bytes, offsets, counts, present, missing, mode }; null when out of memory or taken already. */
static napi_value profileResult(napi_env env, napi_callback_info info) {
  Profiler *p = handleArg(env, info, NULL);
  if (p == NULL) return NULL;
  napi_value list, nul;
  napi_get_null(env, &nul);
  if (p->block.failed) return nul;
  CHECK(napi_create_array_with_length(env, p->block.spec.nwanted, &list));
  for (int32_t w = 0; w < p->block.spec.nwanted; w++) {
    napi_value entry = columnValues(env, &p->cols[w]);
    if (entry == NULL) return nul;
    napi_set_element(env, list, w, entry);
  }
  releaseProfiler(p); /* the result holds copies */
  return list;
}

int registerProfile(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
      {"profileCreate", NULL, profileCreate, NULL, NULL, NULL, napi_default, NULL},
      {"profileRead", NULL, profileRead, NULL, NULL, NULL, napi_default, NULL},
      {"profileTake", NULL, profileTake, NULL, NULL, NULL, napi_default, NULL},
      {"profilePresenceOnly", NULL, profilePresenceOnly, NULL, NULL, NULL, napi_default, NULL},
      {"profileResult", NULL, profileResult, NULL, NULL, NULL, napi_default, NULL},
  };
  return napi_define_properties(env, exports, 5, properties) == napi_ok;
}
