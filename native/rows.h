// Reading whole rows of a CSV buffer in C, for the compiled paths of measures (count.c) and
// describe (profile.c): RFC 4180 as the JavaScript scanner reads it, for plain rows only. Each
// row's wanted cells are located and handed to a row function; at the first row that is
// anything but plain (a ragged row, a malformed or unclosed quote) reading stops with BAIL, and
// the caller reads the file again with the JavaScript reader, which reports it.

#ifndef ANALYSE_ROWS_H
#define ANALYSE_ROWS_H

#include <stdint.h>
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

/* Positions of commas and line feeds in the 64 bytes (or fewer, up to `to`) from `p`. */
static inline uint64_t delimiters(const uint8_t *buf, size_t at, size_t to) {
  if (at + 64 <= to) {
#ifdef __SSE2__
    const __m128i comma = _mm_set1_epi8(COMMA), lf = _mm_set1_epi8(LF);
    uint64_t m = 0;
    for (int i = 0; i < 4; i++) {
      __m128i v = _mm_loadu_si128((const __m128i *)(buf + at + 16 * i));
      __m128i d = _mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, lf));
      m |= (uint64_t)(uint16_t)_mm_movemask_epi8(d) << (16 * i);
    }
    return m;
#endif
  }
  uint64_t m = 0;
  size_t n = to - at < 64 ? to - at : 64;
  for (size_t i = 0; i < n; i++) {
    uint8_t ch = buf[at + i];
    if (ch == COMMA || ch == LF) m |= 1ull << i;
  }
  return m;
}

/* The first quote in buf[from, to), or NULL: a quoted cell is mostly short, so a loop first, then memchr. */
static inline const uint8_t *findQuote(const uint8_t *buf, size_t from, size_t to) {
  size_t near = to - from < 32 ? to : from + 32;
  for (size_t j = from; j < near; j++)
    if (buf[j] == QUOTE) return buf + j;
  return near == to ? NULL : memchr(buf + near, QUOTE, to - near);
}

typedef struct {
  const uint8_t *buf;
  size_t to;
  size_t block;  /* first byte the mask covers */
  uint64_t mask; /* the block's delimiters not yet returned */
  size_t expect; /* one past the delimiter last returned: where the next call usually starts */
} Cursor;

/*
 * The first comma or line feed at or after `at`, or `to` when there is none. Fields follow one
 * another, so a call usually starts just past the delimiter the last one returned, and that
 * delimiter's bit has been cleared: the next one is the mask's lowest bit.
 */
static inline size_t nextDelimiter(Cursor *k, size_t at) {
  if (at != k->expect) {
    if (at < k->block || at >= k->block + 64) {
      k->block = at;
      k->mask = delimiters(k->buf, at, k->to);
    } else {
      k->mask &= ~0ull << (at - k->block);
    }
  }
  while (k->mask == 0) {
    if (k->block + 64 >= k->to) {
      k->expect = (size_t)-1;
      return k->to;
    }
    k->block += 64;
    k->mask = delimiters(k->buf, k->block, k->to);
  }
  size_t d = k->block + (size_t)__builtin_ctzll(k->mask);
  k->mask &= k->mask - 1;
  k->expect = d + 1;
  return d;
}

/*
 * Reads the rows of buf[from, to): `final` when the input ends at `to`; rows starting at or after
 * `limit` are not read. Sets *next to where reading stopped, and adds the rows and physical lines
 * read.
 */
static inline __attribute__((always_inline)) int readRows(RowSpec *spec, RowFn fn, void *state, const uint8_t *buf, size_t length, size_t from, size_t to, int final, double limit, size_t *next, double *rows, double *lines) {
  Cursor k = {buf, to, (size_t)-1, 0, (size_t)-1};
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
      size_t d = nextDelimiter(&k, i);
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
  *next = rowStart;
  *rows += nrows;
  *lines += nlines;
  return status;
}

#endif
