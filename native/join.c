// join-ethnicity's compiled path: copies the plain rows of a cohort file to the output with the
// joined cells appended, as src/join/join-file.ts does when the file has none of the joined
// columns yet. Every byte of the input is copied through unchanged (blank lines and line ends
// included); a row's key is looked up in the index the JavaScript side built (key-index.ts: a
// dense array or an open-addressing table of canonical integer keys, over shared memory), and the
// bytes of its value tuple (or of none) go before its line end. A key that is not a canonical
// integer, and any row that is not plain, make it give up (BAIL): the file is joined again by the
// JavaScript path.

#include "napi.h"
#include "rows.h"

typedef struct {
  BlockState block; /* first: the rows read (only the key field), and whether memory ran out */
  int32_t keyField[1];
  int32_t starts[1], ends[1];
  uint8_t quoted[1];
  /* The index: dense (values[key - base]) or hashed (keys and values, `capacity` slots); a value is its tuple + 1, 0 for none. */
  int hashed;
  double base;
  const uint8_t *values;
  int valueSize; /* 1, 2 or 4 bytes */
  size_t length; /* values */
  const double *keys;
  /* Per tuple, then one for "no match": the bytes appended to a row. */
  uint8_t *suffixes;
  uint32_t *suffixAt; /* tuples + 2 offsets */
  int32_t tuples;
  /* The output of the current read: dest[destLength ..], room for destCapacity bytes. */
  uint8_t *dest;
  size_t destLength, destCapacity;
  size_t copiedTo;
  double matched;
} Joiner;

static void freeJoiner(Joiner *j) {
  if (j == NULL) return;
  free(j->suffixes);
  free(j->suffixAt);
  free(j);
}

static void finalizeJoiner(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  freeJoiner((Joiner *)data);
}

/* The integer a key's bytes spell canonically (no sign, no leading zero, at most 15 digits), or -1: as canonicalInteger in key-index.ts. */
static inline double canonicalInteger(const uint8_t *p, size_t n) {
  if (n == 0 || n > 15 || (p[0] == '0' && n > 1)) return -1;
  double value = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned d = (unsigned)p[i] - '0';
    if (d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

static inline uint32_t valueAt(const Joiner *j, size_t slot) {
  if (j->valueSize == 1) return j->values[slot];
  if (j->valueSize == 2) return ((const uint16_t *)j->values)[slot];
  return (uint32_t)((const int32_t *)j->values)[slot];
}

/* slotOf in key-index.ts, in 32-bit integer arithmetic as Math.imul does it. */
static inline size_t slotOf(double key, size_t capacity) {
  uint32_t low = (uint32_t)(uint64_t)key;
  uint32_t high = (uint32_t)((uint64_t)key >> 32);
  uint32_t h = (low ^ (high * 0x27d4eb2du)) * 0x9e3779b1u;
  h ^= h >> 15;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  return (size_t)(((uint64_t)(h >> 8) * capacity) >> 24);
}

/* The tuple of an integer key, or -1. */
static inline int32_t tupleOf(const Joiner *j, double key) {
  if (!j->hashed) {
    double slot = key - j->base;
    return slot >= 0 && slot < (double)j->length ? (int32_t)valueAt(j, (size_t)slot) - 1 : -1;
  }
  for (size_t slot = slotOf(key, j->length);; slot = slot + 1 == j->length ? 0 : slot + 1) {
    uint32_t v = valueAt(j, slot);
    if (v == 0) return -1;
    if (j->keys[slot] == key) return (int32_t)v - 1;
  }
}

static inline __attribute__((always_inline)) int joinRow(void *state, const uint8_t *buf, const uint8_t *end) {
  (void)end;
  Joiner *j = state;
  size_t start = j->block.spec.rowStart, after = j->block.spec.rowAfter;
  /* The row's content ends before its LF or CR LF (a last row without one ends at the input's end). */
  size_t rowEnd = after;
  if (after > start && buf[after - 1] == LF) rowEnd = after - 1 > start && buf[after - 2] == CR ? after - 2 : after - 1;
  const uint8_t *k = buf + j->starts[0];
  size_t n = (size_t)(j->ends[0] - j->starts[0]);
  if (j->quoted[0]) {
    k++;
    n -= 2;
  }
  int32_t tuple = -1;
  if (n > 0) {
    double key = canonicalInteger(k, n);
    if (key < 0) return 0; /* a text key: the JavaScript path's Map */
    tuple = tupleOf(j, key);
    if (tuple >= j->tuples) return 0;
  }
  int32_t t = tuple >= 0 ? tuple : j->tuples;
  size_t copy = rowEnd - j->copiedTo, suffix = j->suffixAt[t + 1] - j->suffixAt[t];
  /* Past the room given, only counted: the caller gives that much room and reads the block again. */
  if (j->destLength + copy + suffix <= j->destCapacity) {
    memcpy(j->dest + j->destLength, buf + j->copiedTo, copy);
    memcpy(j->dest + j->destLength + copy, j->suffixes + j->suffixAt[t], suffix);
  }
  j->destLength += copy + suffix;
  j->copiedTo = rowEnd;
  if (tuple >= 0) j->matched += 1;
  return 1;
}

static inline uint8_t *typedData(napi_env env, napi_value value, size_t *bytes, size_t *count, int *elementSize) {
  napi_typedarray_type type;
  size_t n, offset;
  void *data;
  napi_value ab;
  if (napi_get_typedarray_info(env, value, &type, &n, &data, &ab, &offset) != napi_ok) return NULL;
  int size = type == napi_uint8_array ? 1 : type == napi_uint16_array ? 2 : type == napi_int32_array || type == napi_uint32_array ? 4 : type == napi_float64_array ? 8 : 0;
  if (size == 0) return NULL;
  *count = n;
  *bytes = n * (size_t)size;
  if (elementSize != NULL) *elementSize = size;
  return data;
}

/*
 * joinCreate(columns, keyField, hashed, base, values, keys | null, suffixes: Uint8Array,
 * suffixAt: Uint32Array (tuples + 2 offsets)): a joiner. `values` and `keys` are read in place:
 * the caller keeps them alive while it joins.
 */
static napi_value joinCreate(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 8) return NULL;
  Joiner *j = calloc(1, sizeof(Joiner));
  if (j == NULL) return NULL;
  bool hashed = false;
  size_t bytes = 0, count = 0, keyCount = 0, suffixBytes = 0, suffixCount = 0, atBytes = 0, atCount = 0;
  int ok = napi_get_value_int32(env, argv[0], &j->block.spec.columns) == napi_ok && napi_get_value_int32(env, argv[1], &j->keyField[0]) == napi_ok &&
           napi_get_value_bool(env, argv[2], &hashed) == napi_ok && napi_get_value_double(env, argv[3], &j->base) == napi_ok;
  j->hashed = hashed;
  j->values = ok ? typedData(env, argv[4], &bytes, &count, &j->valueSize) : NULL;
  j->length = count;
  ok = ok && j->values != NULL && j->valueSize <= 4;
  if (ok && hashed) {
    int size = 0;
    j->keys = (const double *)typedData(env, argv[5], &bytes, &keyCount, &size);
    ok = j->keys != NULL && size == 8 && keyCount == count && count > 0;
  }
  int atSize = 0;
  const uint8_t *suffixes = ok ? typedData(env, argv[6], &suffixBytes, &suffixCount, NULL) : NULL;
  const uint32_t *suffixAt = ok ? (const uint32_t *)typedData(env, argv[7], &atBytes, &atCount, &atSize) : NULL;
  ok = ok && suffixes != NULL && suffixAt != NULL && atSize == 4 && atCount >= 2 && suffixAt[atCount - 1] <= suffixBytes;
  /* Offsets that go back would make a suffix's length wrap round: a read far past the suffixes. */
  for (size_t i = 1; ok && i < atCount; i++) ok = suffixAt[i - 1] <= suffixAt[i];
  if (ok) {
    j->tuples = (int32_t)atCount - 2;
    j->suffixes = malloc(suffixBytes + 1);
    j->suffixAt = malloc(atBytes);
    ok = j->suffixes != NULL && j->suffixAt != NULL;
    if (ok) {
      if (suffixBytes > 0) memcpy(j->suffixes, suffixes, suffixBytes);
      memcpy(j->suffixAt, suffixAt, atBytes);
    }
  }
  j->block.spec = (RowSpec){j->block.spec.columns, 1, j->keyField, j->starts, j->ends, j->quoted, 0, 0};
  napi_value external;
  if (!ok || j->keyField[0] < 0 || j->keyField[0] >= j->block.spec.columns || napi_create_external(env, j, finalizeJoiner, NULL, &external) != napi_ok) {
    freeJoiner(j);
    return NULL;
  }
  return external;
}

/* joinRead's own arguments: the output buffer, and how much of it is filled; `out` must have room for the two results it adds. */
static int joinBefore(napi_env env, napi_callback_info info, void *handle, size_t from, double *out) {
  size_t argc = 9;
  napi_value argv[9];
  void *dest;
  size_t destCapacity;
  int64_t destLength;
  napi_typedarray_type type;
  size_t outLength, offset;
  void *outData;
  napi_value ab;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 9 || napi_get_typedarray_info(env, argv[6], &type, &outLength, &outData, &ab, &offset) != napi_ok ||
      outLength < 6 || napi_get_buffer_info(env, argv[7], &dest, &destCapacity) != napi_ok || napi_get_value_int64(env, argv[8], &destLength) != napi_ok || destLength < 0 ||
      (size_t)destLength > destCapacity) {
    return 0;
  }
  Joiner *j = handle;
  j->dest = dest;
  j->destLength = (size_t)destLength;
  j->destCapacity = destCapacity;
  j->copiedTo = from;
  j->matched = 0;
  out[4] = (double)j->destLength;
  out[5] = 0;
  return 1;
}

/* After the rows: what follows the last row read, up to where reading stopped (its line end, blank lines). */
static int joinAfter(void *handle, const uint8_t *data, size_t next, int status, double *out) {
  Joiner *j = handle;
  if (status != BAIL) {
    size_t tail = next - j->copiedTo;
    if (j->destLength + tail <= j->destCapacity) memcpy(j->dest + j->destLength, data + j->copiedTo, tail);
    j->destLength += tail;
  }
  out[4] = (double)j->destLength;
  out[5] = j->matched;
  return status;
}

/*
 * joinRead(joiner, buffer, from, to, final, limit, out: Float64Array(6), dest: Buffer, destLength):
 * joins the rows of buffer[from, to) onto dest from destLength, copying the bytes after the last
 * row read (its line end, blank lines) too; out = [status, next, rows, lines, new destLength, rows matched].
 * A new destLength past dest's end is the room the block needs: what was written is incomplete.
 */
static napi_value joinRead(napi_env env, napi_callback_info info) {
  return readBlocksWith(env, info, joinRow, joinBefore, joinAfter);
}

int registerJoin(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
      {"joinCreate", NULL, joinCreate, NULL, NULL, NULL, napi_default, NULL},
      {"joinRead", NULL, joinRead, NULL, NULL, NULL, napi_default, NULL},
  };
  return napi_define_properties(env, exports, 2, properties) == napi_ok;
}
