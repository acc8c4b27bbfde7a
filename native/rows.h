// Reading whole rows of a CSV buffer in C, for the compiled paths of measures (count.c) and
// describe (profile.c): RFC 4180 as the JavaScript scanner reads it, for plain rows only. Each
// row's wanted cells are located and handed to a row function; at the first row that is
// anything but plain (a ragged row, a malformed or unclosed quote) reading stops with BAIL, and
// the caller reads the file again with the JavaScript reader, which reports it.

#ifndef ANALYSE_ROWS_H
#define ANALYSE_ROWS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define LF 0x0a
#define CR 0x0d
#define QUOTE 0x22
#define COMMA 0x2c

/* read statuses */
#define DONE 0    /* every complete row read; `next` is where the incomplete one starts */
#define STOPPED 1 /* stopped before the first row at or after the limit */
#define BAIL 2    /* a row that needs the JavaScript reader: read the file again there */

/* Not found: the row is read field by field. */
#define NONE ((size_t)-1)

/* What rows are read: rows of `columns` fields, of which `wanted` (ascending) are located into starts/ends/quoted (by index in wanted). */
typedef struct {
  int32_t columns;
  int32_t nwanted;
  int32_t *wanted;
  int32_t *starts, *ends;
  uint8_t *quoted;
  /* Set for the row function: where the row starts, and where the row after it starts (past its line end). */
  size_t rowStart, rowAfter;
} RowSpec;

/* What every compiled reader starts with: the rows it reads, and whether it ran out of memory. */
typedef struct {
  RowSpec spec;
  int failed;
} BlockState;

/* Takes one row whose wanted cells are located; `end` is how far the buffer may be read. 0 to bail. */
typedef int (*RowFn)(void *state, const uint8_t *buf, const uint8_t *end);

/* The first quote in buf[from, to), or NULL: a quoted cell is mostly short, so a loop first, then memchr. */
static inline const uint8_t *findQuote(const uint8_t *buf, size_t from, size_t to) {
  size_t near = to - from < 32 ? to : from + 32;
  for (size_t j = from; j < near; j++)
    if (buf[j] == QUOTE) return buf + j;
  return near == to ? NULL : memchr(buf + near, QUOTE, to - near);
}

/*
 * Masks of the commas and line feeds (and of the quotes) in the 64 bytes at an offset that is a
 * multiple of 64, computed once for all the rows that meet those bytes. A row with no quote, its
 * line end in the buffer and exactly the header's number of fields has its delimiters listed from
 * them, a few instructions each (plainRow); any other row is read field by field, finding each
 * delimiter in the same masks (nextDelimiter), which is what decides what it is.
 */
typedef struct {
  const uint8_t *buf;
  size_t to;
  size_t block; /* the offset the masks start at */
  uint64_t delims, lfs, quotes;
} Masks;

static inline void masksOf(Masks *m, size_t block) {
  m->block = block;
  uint64_t d = 0, l = 0, q = 0;
  if (block + 64 <= m->to) {
#ifdef __SSE2__
    const __m128i comma = _mm_set1_epi8(COMMA), lf = _mm_set1_epi8(LF), quote = _mm_set1_epi8(QUOTE);
    __m128i anyQuote = _mm_setzero_si128();
    for (int i = 0; i < 4; i++) {
      __m128i v = _mm_loadu_si128((const __m128i *)(m->buf + block + 16 * i));
      __m128i isLf = _mm_cmpeq_epi8(v, lf);
      d |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, comma), isLf)) << (16 * i);
      l |= (uint64_t)(uint16_t)_mm_movemask_epi8(isLf) << (16 * i);
      anyQuote = _mm_or_si128(anyQuote, _mm_cmpeq_epi8(v, quote));
    }
    /* Quotes are rare: their mask is only worked out where there is one. */
    if (_mm_movemask_epi8(anyQuote) != 0)
      for (int i = 0; i < 4; i++)
        q |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(m->buf + block + 16 * i)), quote)) << (16 * i);
    m->delims = d, m->lfs = l, m->quotes = q;
    return;
#endif
  }
  size_t n = block >= m->to ? 0 : m->to - block < 64 ? m->to - block : 64;
  for (size_t i = 0; i < n; i++) {
    uint8_t ch = m->buf[block + i];
    d |= (uint64_t)(ch == COMMA || ch == LF) << i;
    l |= (uint64_t)(ch == LF) << i;
    q |= (uint64_t)(ch == QUOTE) << i;
  }
  m->delims = d, m->lfs = l, m->quotes = q;
}

/*
 * The row at `at` when it is plain: no quote, its line feed before `to` and `lastField` commas
 * before that. Lists the offsets of its delimiters in pos (room for lastField + 66; the last is
 * the line feed) and returns the line feed's offset; NONE for any other row.
 */
static inline size_t plainRow(Masks *m, size_t at, int32_t lastField, int32_t *pos) {
  size_t block = at & ~(size_t)63;
  if (block != m->block) masksOf(m, block);
  uint64_t live = ~0ull << (at - block);
  int32_t k = 0;
  for (;;) {
    uint64_t d = m->delims & live, l = m->lfs & live;
    uint64_t upTo = l != 0 ? (l & -l) * 2 - 1 : ~0ull; /* up to the line feed; all 64 when it is bit 63 */
    if ((m->quotes & live & upTo) != 0) return NONE;
    d &= upTo;
    while (d != 0) {
      pos[k++] = (int32_t)(m->block + (size_t)__builtin_ctzll(d));
      d &= d - 1;
    }
    if (k > lastField + 1) return NONE;
    if (l != 0) return k == lastField + 1 ? (size_t)pos[lastField] : NONE;
    if (m->block + 64 >= m->to) return NONE;
    masksOf(m, m->block + 64);
    live = ~0ull;
  }
}

/*
 * The first comma or line feed at or after `at`, or `to` when there is none: for the rows that
 * are not plain, read field by field with the same masks.
 */
static inline size_t nextDelimiter(Masks *m, size_t at) {
  if (at >= m->to) return m->to;
  size_t block = at & ~(size_t)63;
  if (block != m->block) masksOf(m, block);
  uint64_t d = m->delims & (~0ull << (at - block));
  while (d == 0) {
    if (m->block + 64 >= m->to) return m->to;
    masksOf(m, m->block + 64);
    d = m->delims;
  }
  return m->block + (size_t)__builtin_ctzll(d);
}

/*
 * Reads the rows of buf[from, to): `final` when the input ends at `to`; rows starting at or after
 * `limit` are not read. Sets *next to where reading stopped, and adds the rows and physical lines
 * read.
 */
static inline __attribute__((always_inline)) int readRows(RowSpec *spec, RowFn fn, void *state, const uint8_t *buf, size_t length, size_t from, size_t to, int final, double limit, size_t *next, double *rows, double *lines) {
  const int32_t *wanted = spec->wanted;
  const int32_t nwanted = spec->nwanted;
  const int32_t lastField = spec->columns - 1;
  int32_t *starts = spec->starts, *ends = spec->ends;
  uint8_t *quoted = spec->quoted;
  /* Rows start at whole offsets: the first at or after `limit`. */
  const size_t limitAt = limit <= 0 ? 0 : limit >= 9e15 ? (size_t)-1 : (size_t)limit + ((double)(size_t)limit < limit);
  double nrows = 0, nlines = 0;
  int status;
  size_t i = from, rowStart;
  Masks masks = {buf, to, (size_t)-1, 0, 0, 0};
  /* The plain rows' delimiters: on the stack for up to about 1,000 columns. */
  int32_t onStack[1024];
  int plain = 1;
  for (int32_t w = 0; w < nwanted; w++) plain &= wanted[w] >= 0 && wanted[w] <= lastField; /* always so; else only the field-by-field reading */
  int32_t *pos = !plain ? NULL : (size_t)lastField + 66 <= 1024 ? onStack : malloc(((size_t)lastField + 66) * sizeof(int32_t));
  for (;;) {
    rowStart = i;
    if (i >= to) {
      status = DONE;
      break;
    }
    if (rowStart >= limitAt) {
      status = STOPPED;
      break;
    }
    uint8_t ch = buf[i];
    if (ch == LF || (ch == CR && i + 1 < to && buf[i + 1] == LF)) {
      /* A blank line: no row in a file of several columns. */
      i += ch == LF ? 1 : 2;
      nlines += 1;
      continue;
    }
    if (ch == CR && i + 1 >= to && !final) { status = DONE; goto out; }
    if (pos != NULL && ch != QUOTE) {
      size_t lf = plainRow(&masks, i, lastField, pos);
      if (lf != NONE) {
        for (int32_t w = 0; w < nwanted; w++) {
          int32_t f = wanted[w];
          size_t s = f == 0 ? i : (size_t)pos[f - 1] + 1, e = (size_t)pos[f];
          if (f == lastField && e > s && buf[e - 1] == CR) e--;
          starts[w] = (int32_t)s;
          ends[w] = (int32_t)e;
          quoted[w] = 0;
        }
        spec->rowStart = rowStart;
        spec->rowAfter = lf + 1;
        if (!fn(state, buf, buf + length)) { status = BAIL; goto out; }
        nrows += 1;
        nlines += 1;
        i = lf + 1;
        continue;
      }
    }
    int32_t field = 0, w = 0;
    int32_t target = nwanted > 0 ? wanted[0] : 0x7fffffff;
    size_t newlines = 0;
    size_t after; /* first byte after the row's line ending */
    for (;;) {
      if (i < to && buf[i] == QUOTE) {
        size_t fieldStart = i;
        i++;
        for (;;) {
          const uint8_t *q = findQuote(buf, i, to);
          if (q == NULL) { status = final ? BAIL : DONE; goto out; } /* an unclosed quote, or the rest of the row to come */
          size_t at = (size_t)(q - buf);
          for (size_t j = i; j < at; j++) newlines += buf[j] == LF;
          if (at + 1 >= to) {
            if (!final) { status = DONE; goto out; }
            i = at + 1;
            break;
          }
          if (buf[at + 1] == QUOTE) {
            i = at + 2;
            continue;
          }
          i = at + 1;
          break;
        }
        if (field == target) {
          starts[w] = (int32_t)fieldStart;
          ends[w] = (int32_t)i;
          quoted[w] = 1;
          target = ++w < nwanted ? wanted[w] : 0x7fffffff;
        }
        if (i >= to) {
          after = to; /* final: the last row, with no line ending */
          break;
        }
        ch = buf[i];
        if (ch == COMMA) {
          field++;
          i++;
          continue;
        }
        if (ch == LF) {
          after = i + 1;
          break;
        }
        if (ch == CR) {
          if (i + 1 >= to && !final) { status = DONE; goto out; }
          if (i + 1 < to && buf[i + 1] == LF) {
            after = i + 2;
            break;
          }
        }
        { status = BAIL; goto out; } /* text after a closing quote */
      }
      size_t d = nextDelimiter(&masks, i);
      if (d >= to && !final) { status = DONE; goto out; }
      if (field == target) {
        size_t end = d;
        if (d < to && buf[d] == LF && d > i && buf[d - 1] == CR) end = d - 1;
        starts[w] = (int32_t)i;
        ends[w] = (int32_t)end;
        quoted[w] = 0;
        target = ++w < nwanted ? wanted[w] : 0x7fffffff;
      }
      if (d >= to) {
        after = to;
        break;
      }
      if (buf[d] == COMMA) {
        field++;
        i = d + 1;
        continue;
      }
      after = d + 1;
      break;
    }
    if (field != lastField) { status = BAIL; goto out; } /* a ragged row */
    spec->rowStart = rowStart;
    spec->rowAfter = after;
    if (!fn(state, buf, buf + length)) { status = BAIL; goto out; }
    nrows += 1;
    nlines += 1 + (double)newlines;
    i = after;
  }
out:
  if (pos != onStack) free(pos); /* NULL, or from malloc */
  *next = rowStart;
  *rows += nrows;
  *lines += nlines;
  return status;
}

#endif
