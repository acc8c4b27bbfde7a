// Distinct values of a column, given small ids in order of first appearance, straight from their
// bytes: an open-addressing table whose keys are a value's bytes when it has at most 16 (two
// 64-bit words, no hashing of bytes and no memcmp), a hash of them otherwise.

#ifndef ANALYSE_VALUES_H
#define ANALYSE_VALUES_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static inline void *grow(void *p, size_t size, int *failed) {
  void *q = realloc(p, size);
  if (q == NULL) *failed = 1;
  return q;
}

/* A slot of a group column's table: a value of up to 16 bytes is its key (its bytes, zero-padded); a longer one's key is a hash of its bytes, compared in full with the arena. */
typedef struct {
  uint64_t a, b;
  int32_t n; /* the length, with the tag's bit (one no length has) */
  int32_t id; /* -1: free */
} Slot;

typedef struct {
  /* Open addressing; size a power of two. */
  Slot *table;
  uint32_t mask;
  /* Per id: its bytes, at arena[offsets[id], offsets[id + 1]). */
  uint32_t *offsets;
  int32_t count, capacity;
  uint8_t *arena;
  size_t arenaSize;
  /* The ids of one-byte values (flags, codes), by tag (0 or not) and byte, or -1: most cells are such, and need no hashing. */
  int32_t byteIds[2][256];
} Values;

/* ---------- group values ---------- */

#define SHORT 16

static Slot *newTable(uint32_t size) {
  Slot *table = malloc(size * sizeof(Slot));
  if (table != NULL)
    for (uint32_t i = 0; i < size; i++) table[i].id = -1;
  return table;
}

static int valuesInit(Values *v) {
  memset(v, 0, sizeof *v);
  v->table = newTable(64);
  v->mask = 63;
  v->capacity = 16;
  v->offsets = calloc(17, sizeof(uint32_t));
  v->arenaSize = 256;
  v->arena = malloc(256);
  memset(v->byteIds, 0xff, sizeof v->byteIds);
  return v->table && v->offsets && v->arena;
}

static void valuesFree(Values *v) {
  free(v->table);
  free(v->offsets);
  free(v->arena);
}

/* The key of p[0, n): up to 16 bytes, the bytes themselves; longer, a hash. `end`: how far p may be read past n. */
static inline void keyOf(const uint8_t *p, size_t n, const uint8_t *end, uint64_t *a, uint64_t *b) {
  if (n > SHORT) {
    uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      uint64_t w;
      memcpy(&w, p + i, 8);
      h = (h ^ w) * 0xff51afd7ed558ccdull;
      h ^= h >> 32;
    }
    uint64_t w = 0;
    memcpy(&w, p + i, n - i);
    *a = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
    *b = 0;
    return;
  }
  uint64_t x = 0, y = 0;
  if (p + SHORT <= end) {
    memcpy(&x, p, 8);
    memcpy(&y, p + 8, 8);
    if (n < 8) {
      x = n == 0 ? 0 : x & (~0ull >> (64 - 8 * n));
      y = 0;
    } else if (n < 16) {
      y = n == 8 ? 0 : y & (~0ull >> (128 - 8 * n));
    }
  } else {
    memcpy(&x, p, n < 8 ? n : 8);
    if (n > 8) memcpy(&y, p + 8, n - 8);
  }
  *a = x;
  *b = y;
}

static inline uint32_t slotHash(uint64_t a, uint64_t b, size_t n) {
  uint64_t h = (a ^ (b * 0x9e3779b97f4a7c15ull) ^ n) * 0xff51afd7ed558ccdull;
  return (uint32_t)(h >> 32);
}

/* The id of the value p[0, n) (with `tag` in its key: values of different tags are different), added when new; -1 when out of memory. */
static int32_t addValue(int *failed, Values *v, const uint8_t *p, size_t n, uint64_t a, uint64_t b, int32_t key);

static inline __attribute__((always_inline)) int32_t hashedValueId(int *failed, Values *v, const uint8_t *p, size_t n, const uint8_t *end, int32_t tag) {
  uint64_t a, b;
  keyOf(p, n, end, &a, &b);
  const int32_t key = (int32_t)n | tag;
  for (uint32_t slot = slotHash(a, b, (size_t)key) & v->mask;; slot = (slot + 1) & v->mask) {
    Slot *s = &v->table[slot];
    if (s->id < 0) break;
    if (s->a == a && s->b == b && s->n == key && (n <= SHORT || memcmp(v->arena + v->offsets[s->id], p, n) == 0)) return s->id;
  }
  return addValue(failed, v, p, n, a, b, key);
}

static inline __attribute__((always_inline)) int32_t valueId(int *failed, Values *v, const uint8_t *p, size_t n, const uint8_t *end, int32_t tag) {
  if (n != 1) return hashedValueId(failed, v, p, n, end, tag);
  int32_t *known = &v->byteIds[tag != 0][p[0]];
  if (*known < 0) *known = hashedValueId(failed, v, p, n, end, tag);
  return *known;
}

/* Adds a value not in the table yet. */
static __attribute__((noinline)) int32_t addValue(int *failed, Values *v, const uint8_t *p, size_t n, uint64_t a, uint64_t b, int32_t key) {
  int32_t id = v->count;
  if (id + 1 >= v->capacity) {
    v->capacity *= 2;
    v->offsets = grow(v->offsets, (v->capacity + 1) * sizeof(uint32_t), failed);
    if (*failed) return -1;
  }
  size_t from = v->offsets[id];
  if (from + n > 0x3fffffff) {
    *failed = 1;
    return -1;
  }
  if (from + n > v->arenaSize) {
    while (from + n > v->arenaSize) v->arenaSize *= 2;
    v->arena = grow(v->arena, v->arenaSize, failed);
    if (*failed) return -1;
  }
  memcpy(v->arena + from, p, n);
  v->offsets[id + 1] = (uint32_t)(from + n);
  v->count++;
  if (2u * (uint32_t)v->count > v->mask) {
    uint32_t size = (v->mask + 1) * 2;
    Slot *table = newTable(size);
    if (table == NULL) {
      *failed = 1;
      return -1;
    }
    for (uint32_t i = 0; i <= v->mask; i++) {
      Slot *s = &v->table[i];
      if (s->id < 0) continue;
      uint32_t t = slotHash(s->a, s->b, (size_t)s->n) & (size - 1);
      while (table[t].id >= 0) t = (t + 1) & (size - 1);
      table[t] = *s;
    }
    free(v->table);
    v->table = table;
    v->mask = size - 1;
  }
  uint32_t slot = slotHash(a, b, (size_t)key) & v->mask;
  while (v->table[slot].id >= 0) slot = (slot + 1) & v->mask;
  v->table[slot] = (Slot){a, b, key, id};
  return id;
}

/* Room to unescape quoted cells into. */
typedef struct {
  uint8_t *bytes;
  size_t size;
} Scratch;

/*
 * The text of a quoted cell whose inside is p[0, n): itself, or, when it holds a quote, a copy in
 * `scratch` with each doubled quote as one. Updates p, n and `limit` (how far p may be read).
 * 0 when out of memory.
 */
static inline int unquoted(const uint8_t **p, size_t *n, const uint8_t **limit, Scratch *scratch, int *failed) {
  const uint8_t *v = *p;
  size_t len = *n;
  /* Most quoted cells are short and hold no quote: a loop here costs less than a call. */
  size_t at = 0;
  while (at < len && v[at] != '"') at++;
  if (at == len) return 1;
  if (len + SHORT > scratch->size) {
    scratch->size = 2 * len + SHORT;
    scratch->bytes = grow(scratch->bytes, scratch->size, failed);
    if (*failed) return 0;
  }
  size_t m = 0;
  for (size_t i = 0; i < len; i++) {
    scratch->bytes[m++] = v[i];
    if (v[i] == '"') i++;
  }
  *p = scratch->bytes;
  *n = m;
  *limit = scratch->bytes + scratch->size;
  return 1;
}

#endif
