// The measures' count path in C: the same work as the JavaScript count path (the scanner's
// column-selective mode, CountRows and FileCounter), for the rows that need nothing more. It reads
// whole rows from a buffer, locates only the wanted cells, parses the counts, gives each group
// value and group an id and adds every measure's sums. It reports no errors of its own: at the
// first row that is anything but plain (a ragged row, a malformed quote, a cell that is not a
// count, and the like) it stops and says so, and the caller reads the file again in JavaScript,
// whose messages name the file, line and column. Memory grows with distinct groups, never with
// rows. Built by node-gyp when the package is installed (binding.gyp); optional.

#include "napi.h"
#include "rows.h"
#include "values.h"

/* Tallies: rows of 0/1 counts are tallied per grouping by (group, pattern id); at most this many cells per grouping. */
#define MAX_FLAGS 16
#define MAX_CELLS (1u << 20)
#define MAX_SAFE 9007199254740991.0



typedef struct {
  /* Tuples of `width` value ids -> id, for groupings of several columns. */
  int32_t *table;
  uint32_t mask;
  int32_t *keys; /* count * width */
  int32_t count, capacity, width;
} Tuples;

typedef struct {
  int32_t columns; /* group column indexes */
  int32_t ncolumns;
  Tuples tuples;
  int32_t groups;
  /* Per group: rows, then per measure of the grouping its numerator and denominator sums. */
  double *sums;
  int32_t sumsCapacity; /* groups */
  int32_t width;
  int32_t *measureNumSlot, *measureDenSlot; /* per measure of the grouping */
  int32_t nmeasures;
  /* Tallies: tally[gid * patternCap + pid]; NULL when this grouping adds every row directly. */
  uint32_t *tally;
  int32_t groupCap;
  int tallied;
} Grouping;

typedef struct {
  BlockState block;      /* first: the rows read, and whether memory ran out */
  int32_t columns;       /* fields per row */
  int32_t nwanted;       /* wanted fields, ascending */
  int32_t *wanted;
  int32_t ncount;        /* count columns; slot ncount is population (always 1) */
  int32_t *countAt;      /* per count column: its index among the wanted fields */
  int32_t ngroupcols;
  int32_t *groupAt;      /* per group column: its index among the wanted fields */
  Values *values;        /* per group column */
  int32_t ngroupings;
  Grouping *groupings;
  int32_t *groupingColumns; /* flattened */
  /* Pattern ids, shared by the groupings. */
  int32_t *patternIds; /* 2^ncount entries: id + 1 */
  int32_t *patterns;
  int32_t patternCount, patternCap;
  uint32_t tallyRows;
  uint8_t *overOne;
  double rows;
  /* Per row scratch */
  int32_t *starts, *ends;
  uint8_t *quoted;
  double *counts;
  double *flushCounts; /* a tally's counts as flushTallies adds them: not `counts`, which holds the row being added */
  int32_t *valueIds;
  Scratch scratch;
} Counter;

/* ---------- hashing ---------- */

static inline uint32_t hashIds(const int32_t *ids, int32_t n) {
  uint64_t h = 0x9e3779b97f4a7c15ull;
  for (int32_t i = 0; i < n; i++) {
    h = (h ^ (uint32_t)ids[i]) * 0xff51afd7ed558ccdull;
    h ^= h >> 32;
  }
  return (uint32_t)h;
}

/* ---------- group tuples ---------- */

static int tuplesInit(Tuples *t, int32_t width) {
  memset(t, 0, sizeof *t);
  t->width = width;
  t->table = calloc(64, sizeof(int32_t));
  t->mask = 63;
  t->capacity = 16;
  t->keys = malloc((size_t)16 * width * sizeof(int32_t));
  return t->table && t->keys;
}

static int32_t tupleId(Counter *c, Tuples *t, const int32_t *ids) {
  uint32_t h = hashIds(ids, t->width);
  size_t bytes = (size_t)t->width * sizeof(int32_t);
  for (uint32_t slot = h & t->mask;; slot = (slot + 1) & t->mask) {
    int32_t entry = t->table[slot];
    if (entry == 0) {
      int32_t id = t->count;
      if (id == t->capacity) {
        t->capacity *= 2;
        t->keys = grow(t->keys, (size_t)t->capacity * bytes, &c->block.failed);
        if (c->block.failed) return -1;
      }
      memcpy(t->keys + (size_t)id * t->width, ids, bytes);
      t->table[slot] = id + 1;
      t->count++;
      if (2u * (uint32_t)t->count > t->mask) {
        uint32_t size = (t->mask + 1) * 2;
        int32_t *table = calloc(size, sizeof(int32_t));
        if (table == NULL) {
          c->block.failed = 1;
          return -1;
        }
        for (int32_t i = 0; i < t->count; i++) {
          uint32_t s = hashIds(t->keys + (size_t)i * t->width, t->width) & (size - 1);
          while (table[s] != 0) s = (s + 1) & (size - 1);
          table[s] = i + 1;
        }
        free(t->table);
        t->table = table;
        t->mask = size - 1;
      }
      return id;
    }
    const int32_t *key = t->keys + (size_t)(entry - 1) * t->width;
    int32_t same = 1;
    for (int32_t i = 0; i < t->width; i++) same &= key[i] == ids[i];
    if (same) return entry - 1;
  }
}

/* ---------- sums ---------- */

/* Makes room for group `gid`'s sums. */
static double *groupSums(Counter *c, Grouping *g, int32_t gid) {
  if (gid >= g->sumsCapacity) {
    int32_t capacity = g->sumsCapacity * 2;
    while (capacity <= gid) capacity *= 2;
    g->sums = grow(g->sums, (size_t)capacity * g->width * sizeof(double), &c->block.failed);
    if (c->block.failed) return NULL;
    memset(g->sums + (size_t)g->sumsCapacity * g->width, 0, (size_t)(capacity - g->sumsCapacity) * g->width * sizeof(double));
    g->sumsCapacity = capacity;
  }
  if (gid >= g->groups) g->groups = gid + 1;
  return g->sums + (size_t)gid * g->width;
}

/* Adds `weight` rows of these counts to a group's sums: a numerator only where its denominator is above 0. */
static void addRows(Grouping *g, double *sums, const double *counts, double weight) {
  sums[0] += weight;
  for (int32_t m = 0; m < g->nmeasures; m++) {
    double den = counts[g->measureDenSlot[m]];
    if (den > 0) {
      sums[1 + 2 * m] += weight * counts[g->measureNumSlot[m]];
      sums[2 + 2 * m] += weight * den;
    }
  }
}

/* Adds every tally to the sums and sets them to 0. */
static int flushTallies(Counter *c) {
  double *counts = c->flushCounts;
  for (int32_t i = 0; i < c->ngroupings; i++) {
    Grouping *g = &c->groupings[i];
    if (g->tally == NULL) continue;
    for (int32_t gid = 0; gid < g->groups && gid < g->groupCap; gid++) {
      uint32_t *row = g->tally + (size_t)gid * c->patternCap;
      for (int32_t pid = 0; pid < c->patternCount; pid++) {
        if (row[pid] == 0) continue;
        int32_t pattern = c->patterns[pid];
        for (int32_t k = 0; k < c->ncount; k++) counts[k] = (pattern >> k) & 1;
        counts[c->ncount] = 1;
        double *sums = groupSums(c, g, gid);
        if (sums == NULL) return 0;
        addRows(g, sums, counts, row[pid]);
        row[pid] = 0;
      }
    }
  }
  c->tallyRows = 0;
  return 1;
}

/* Lays the tallies out for twice the groups and patterns seen so far; a grouping too large for them adds its rows directly. */
static int layoutTallies(Counter *c) {
  int32_t patternCap = 16;
  while (patternCap < 2 * c->patternCount) patternCap *= 2;
  c->patternCap = patternCap;
  for (int32_t i = 0; i < c->ngroupings; i++) {
    Grouping *g = &c->groupings[i];
    if (!g->tallied) continue;
    int32_t groupCap = 16;
    while (groupCap < 2 * g->groups) groupCap *= 2;
    free(g->tally);
    g->tally = NULL;
    g->groupCap = groupCap;
    if ((size_t)groupCap * patternCap > MAX_CELLS) {
      g->tallied = 0;
      continue;
    }
    g->tally = calloc((size_t)groupCap * patternCap, sizeof(uint32_t));
    if (g->tally == NULL) {
      c->block.failed = 1;
      return 0;
    }
  }
  return 1;
}

/* ---------- one row ---------- */

/* Parses the count in p[0, n); -1 if it is not a whole number 0 or more that adds exactly. */
static inline double parseCount(const uint8_t *p, size_t n) {
  if (n == 1) {
    unsigned d = (unsigned)p[0] - '0';
    return d <= 9 ? (double)d : -1;
  }
  if (n > 16) return -1;
  uint64_t v = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned d = (unsigned)p[i] - '0';
    if (d > 9) return -1;
    v = v * 10 + d;
  }
  return (double)v > MAX_SAFE ? -1 : (double)v;
}

/* Adds the row whose wanted cells are in starts/ends/quoted; 0 to bail. */
static inline __attribute__((always_inline)) int addRow(void *state, const uint8_t *buf, const uint8_t *end) {
  Counter *c = state;
  double *counts = c->counts;
  int32_t pattern = 0;
  for (int32_t k = 0; k < c->ncount; k++) {
    int32_t w = c->countAt[k];
    int32_t s = c->starts[w], e = c->ends[w];
    if (c->quoted[w]) {
      s++;
      e--;
    }
    double v = parseCount(buf + s, (size_t)(e - s));
    if (v < 0) return 0;
    counts[k] = v;
    if (v > 1) pattern = -1;
    /* Past MAX_FLAGS counts there are no tallies and the pattern is not used: the mask keeps the shift defined. */
    else if (pattern >= 0) pattern |= (int32_t)v << (k & (MAX_FLAGS - 1));
  }
  counts[c->ncount] = 1;
  for (int32_t j = 0; j < c->ngroupcols; j++) {
    int32_t w = c->groupAt[j];
    const uint8_t *p = buf + c->starts[w];
    const uint8_t *limit = end;
    size_t n = (size_t)(c->ends[w] - c->starts[w]);
    if (c->quoted[w]) {
      p++;
      n -= 2;
      if (!unquoted(&p, &n, &limit, &c->scratch, &c->block.failed)) return 0;
    }
    int32_t id = valueId(&c->block.failed, &c->values[j], p, n, limit, 0);
    if (id < 0) return 0;
    c->valueIds[j] = id;
  }
  c->rows += 1;
  int32_t pid = -1;
  if (pattern >= 0 && c->patternIds != NULL) {
    pid = c->patternIds[pattern] - 1;
    if (pid < 0) {
      if (c->patternCount == c->patternCap) {
        if (!flushTallies(c)) return 0;
        c->patterns[c->patternCount++] = pattern;
        c->patternIds[pattern] = c->patternCount;
        if (!layoutTallies(c)) return 0;
      } else {
        c->patterns[c->patternCount++] = pattern;
        c->patternIds[pattern] = c->patternCount;
      }
      pid = c->patternCount - 1;
    }
    if (++c->tallyRows == 0x7fffffff && !flushTallies(c)) return 0;
  } else {
    for (int32_t k = 0; k < c->ncount; k++)
      if (counts[k] > 1) c->overOne[k] = 1;
  }
  for (int32_t i = 0; i < c->ngroupings; i++) {
    Grouping *g = &c->groupings[i];
    int32_t gid;
    if (g->ncolumns == 0) gid = 0;
    else if (g->ncolumns == 1) gid = c->valueIds[c->groupingColumns[g->columns]];
    else {
      int32_t ids[16];
      for (int32_t k = 0; k < g->ncolumns; k++) ids[k] = c->valueIds[c->groupingColumns[g->columns + k]];
      gid = tupleId(c, &g->tuples, ids);
      if (gid < 0) return 0;
    }
    if (pid >= 0 && g->tally != NULL) {
      if (gid < g->groupCap) {
        if (gid >= g->groups) g->groups = gid + 1;
        g->tally[(size_t)gid * c->patternCap + pid]++;
        continue;
      }
      /* A group past the layout: the tallies so far, then a layout with room for it. */
      if (gid >= g->groups) g->groups = gid + 1;
      if (!flushTallies(c) || !layoutTallies(c)) return 0;
      if (g->tally != NULL) {
        g->tally[(size_t)gid * c->patternCap + pid]++;
        continue;
      }
    }
    double *sums = groupSums(c, g, gid);
    if (sums == NULL) return 0;
    addRows(g, sums, counts, 1);
  }
  return 1;
}

static void freeCounter(Counter *c);

static void finalizeCounter(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  freeCounter((Counter *)data);
}

/*
 * Frees what a counter holds and leaves it empty, as if out of memory: any later call gives up.
 * `result` does this once it has copied the sums out: V8 does not see this memory, so left to
 * the finalizer it piled up over the files a thread counts (7 MB a file with a grouping of 3,000
 * groups) until a full garbage collection, which may not come for hundreds of files.
 */
static void releaseCounter(Counter *c) {
  if (c->values)
    for (int32_t j = 0; j < c->ngroupcols; j++) valuesFree(&c->values[j]);
  if (c->groupings)
    for (int32_t i = 0; i < c->ngroupings; i++) {
      Grouping *g = &c->groupings[i];
      free(g->tuples.table);
      free(g->tuples.keys);
      free(g->sums);
      free(g->measureNumSlot);
      free(g->measureDenSlot);
      free(g->tally);
    }
  free(c->values);
  free(c->groupings);
  free(c->groupingColumns);
  free(c->wanted);
  free(c->countAt);
  free(c->groupAt);
  free(c->patternIds);
  free(c->patterns);
  free(c->overOne);
  free(c->starts);
  free(c->ends);
  free(c->quoted);
  free(c->counts);
  free(c->flushCounts);
  free(c->valueIds);
  free(c->scratch.bytes);
  memset(c, 0, sizeof *c);
  c->block.failed = 1;
}

static void freeCounter(Counter *c) {
  if (c == NULL) return;
  releaseCounter(c);
  free(c);
}

/* ---------- N-API ---------- */

/*
 * create(columns, wanted, countAt, groupAt, groupingStart, groupingColumns, measures): a counter.
 * wanted: the fields read, ascending; countAt/groupAt: per count/group column its index in wanted;
 * groupingStart (groupings + 1 entries) and groupingColumns: each grouping's group columns;
 * measures: per measure its grouping, numerator slot and denominator slot.
 */
static napi_value create(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 7) return NULL;
  Counter *c = calloc(1, sizeof(Counter));
  if (c == NULL) return NULL;
  size_t n = 0, ngs = 0, ngc = 0, nm = 0;
  napi_get_value_int32(env, argv[0], &c->columns);
  c->wanted = int32Array(env, argv[1], &n);
  c->nwanted = (int32_t)n;
  c->countAt = int32Array(env, argv[2], &n);
  c->ncount = (int32_t)n;
  c->groupAt = int32Array(env, argv[3], &n);
  c->ngroupcols = (int32_t)n;
  int32_t *groupingStart = int32Array(env, argv[4], &ngs);
  c->groupingColumns = int32Array(env, argv[5], &ngc);
  int32_t *measures = int32Array(env, argv[6], &nm);
  int ok = c->wanted && c->countAt && c->groupAt && groupingStart && c->groupingColumns && measures && ngs >= 1;
  if (ok) {
    c->ngroupings = (int32_t)ngs - 1;
    c->values = calloc(c->ngroupcols + 1, sizeof(Values));
    c->groupings = calloc(c->ngroupings + 1, sizeof(Grouping));
    c->overOne = calloc(c->ncount + 1, 1);
    c->starts = calloc(c->nwanted + 1, sizeof(int32_t));
    c->ends = calloc(c->nwanted + 1, sizeof(int32_t));
    c->quoted = calloc(c->nwanted + 1, 1);
    c->counts = calloc(c->ncount + 1, sizeof(double));
    c->flushCounts = calloc(c->ncount + 1, sizeof(double));
    c->valueIds = calloc(c->ngroupcols + 1, sizeof(int32_t));
    ok = c->values && c->groupings && c->overOne && c->starts && c->ends && c->quoted && c->counts && c->flushCounts && c->valueIds;
  }
  if (ok) c->block.spec = (RowSpec){c->columns, c->nwanted, c->wanted, c->starts, c->ends, c->quoted, 0, 0};
  for (int32_t j = 0; ok && j < c->ngroupcols; j++) ok = valuesInit(&c->values[j]);
  for (int32_t i = 0; ok && i < c->ngroupings; i++) {
    Grouping *g = &c->groupings[i];
    g->columns = groupingStart[i];
    g->ncolumns = groupingStart[i + 1] - groupingStart[i];
    if (g->ncolumns > 16) ok = 0;
    if (ok && g->ncolumns > 1) ok = tuplesInit(&g->tuples, g->ncolumns);
    int32_t count = 0;
    for (size_t m = 0; m + 2 < nm; m += 3)
      if (measures[m] == i) count++;
    g->nmeasures = count;
    g->width = 1 + 2 * count;
    g->measureNumSlot = malloc((count + 1) * sizeof(int32_t));
    g->measureDenSlot = malloc((count + 1) * sizeof(int32_t));
    g->sumsCapacity = 16;
    g->sums = calloc((size_t)16 * g->width, sizeof(double));
    g->tallied = c->ncount <= MAX_FLAGS;
    ok = ok && g->measureNumSlot && g->measureDenSlot && g->sums;
    count = 0;
    for (size_t m = 0; ok && m + 2 < nm; m += 3)
      if (measures[m] == i) {
        g->measureNumSlot[count] = measures[m + 1];
        g->measureDenSlot[count] = measures[m + 2];
        count++;
      }
  }
  if (ok && c->ncount <= MAX_FLAGS) {
    c->patternIds = calloc((size_t)1 << c->ncount, sizeof(int32_t));
    c->patterns = calloc((size_t)1 << c->ncount, sizeof(int32_t));
    ok = c->patternIds && c->patterns && layoutTallies(c);
  }
  free(groupingStart);
  free(measures);
  if (!ok || c->block.failed) {
    freeCounter(c);
    return NULL;
  }
  napi_value external;
  if (napi_create_external(env, c, finalizeCounter, NULL, &external) != napi_ok) {
    freeCounter(c);
    return NULL;
  }
  return external;
}


/* read(counter, buffer, from, to, final, limit, out: Float64Array(4)): out = [status, next, rows, lines]. */
static napi_value readBlock(napi_env env, napi_callback_info info) {
  return readBlocks(env, info, addRow);
}

/*
 * result(counter): { rows, overOne: Uint8Array, values: [{ bytes: Uint8Array, offsets: Uint32Array }]
 * per group column, groupings: [{ groups, tuples: Int32Array | null, sums: Float64Array }] }; sums
 * per group: rows, then per measure of the grouping (in order) numerator and denominator. Null
 * when the counter ran out of memory, or its result was taken already (it is then released).
 */
static napi_value result(napi_env env, napi_callback_info info) {
  Counter *c = handleArg(env, info, NULL);
  if (c == NULL) return NULL;
  napi_value nul;
  napi_get_null(env, &nul);
  /* Out of memory: a grow that failed may have left sums or tallies NULL, so nothing is flushed. */
  if (c->block.failed || (c->patternIds != NULL && !flushTallies(c))) return nul;
  napi_value out, value, list;
  CHECK(napi_create_object(env, &out));
  CHECK(napi_create_double(env, c->rows, &value));
  CHECK(napi_set_named_property(env, out, "rows", value));
  CHECK(napi_set_named_property(env, out, "overOne", typed(env, napi_uint8_array, c->ncount, 1, c->overOne)));
  CHECK(napi_create_array_with_length(env, c->ngroupcols, &list));
  for (int32_t j = 0; j < c->ngroupcols; j++) {
    Values *v = &c->values[j];
    napi_value entry;
    CHECK(napi_create_object(env, &entry));
    CHECK(napi_set_named_property(env, entry, "bytes", typed(env, napi_uint8_array, v->offsets[v->count], 1, v->arena)));
    CHECK(napi_set_named_property(env, entry, "offsets", typed(env, napi_uint32_array, (size_t)v->count + 1, sizeof(uint32_t), v->offsets)));
    CHECK(napi_set_element(env, list, j, entry));
  }
  CHECK(napi_set_named_property(env, out, "values", list));
  CHECK(napi_create_array_with_length(env, c->ngroupings, &list));
  for (int32_t i = 0; i < c->ngroupings; i++) {
    Grouping *g = &c->groupings[i];
    int32_t groups = g->ncolumns == 0 ? (c->rows > 0 ? 1 : 0) : g->ncolumns == 1 ? c->values[c->groupingColumns[g->columns]].count : g->tuples.count;
    /* Groups seen only in tallies that were never flushed have no sums yet: room for every group. */
    if (groups > 0 && groupSums(c, g, groups - 1) == NULL) return nul;
    napi_value entry;
    CHECK(napi_create_object(env, &entry));
    CHECK(napi_create_int32(env, groups, &value));
    CHECK(napi_set_named_property(env, entry, "groups", value));
    if (g->ncolumns > 1) {
      CHECK(napi_set_named_property(env, entry, "tuples", typed(env, napi_int32_array, (size_t)g->tuples.count * g->ncolumns, sizeof(int32_t), g->tuples.keys)));
    } else {
      CHECK(napi_set_named_property(env, entry, "tuples", nul));
    }
    CHECK(napi_set_named_property(env, entry, "sums", typed(env, napi_float64_array, (size_t)groups * g->width, sizeof(double), g->sums)));
    CHECK(napi_set_element(env, list, i, entry));
  }
  CHECK(napi_set_named_property(env, out, "groupings", list));
  releaseCounter(c); /* the result holds copies */
  return out;
}

/* The counting functions, as properties of the addon's exports. */
int registerCount(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
      {"create", NULL, create, NULL, NULL, NULL, napi_default, NULL},
      {"read", NULL, readBlock, NULL, NULL, NULL, napi_default, NULL},
      {"result", NULL, result, NULL, NULL, NULL, napi_default, NULL},
  };
  return napi_define_properties(env, exports, 3, properties) == napi_ok;
}
