// Rows tallied by group and flag pattern before their sums. In most cohort files every count
// column is a 0/1 flag, so a row's counts form a pattern of bits; per grouping, the rows of each
// group and pattern are tallied (one increment a grouping), and the sums of each tally are added
// when the tallies are flushed, instead of each measure's sums once per row (the 54-measure
// shape adds 66 sums a row). The counter adds rows with a count above 1 directly.

/** Flag patterns are looked up in a table of 2^flags entries: more count columns than this are not tallied. */
const MAX_FLAGS = 16;
/** At most this many tallies (4 MiB of Int32 per thread, so memory stays well under its limit), beyond which rows are added directly. */
const MAX_CELLS = 1 << 20;
/** Tallies are 32-bit: flushed before any can overflow. */
const MAX_ROWS = 2 ** 31 - 1;

export class FlagTallies {
  /** Per group column: the first value id past its bits. */
  readonly limits: Int32Array;
  private readonly bits: Int32Array;
  /** Pattern → its id + 1 (0: not seen yet); ids by order of first appearance. */
  private readonly patternIds: Int32Array;
  private patterns = new Int32Array(16);
  private patternCount = 0;
  /** log2 of the patterns a tally has room for. */
  private patternBits = 0;
  /** Every grouping's tallies: group index i, pattern id p at `offsets[g] + (i << patternBits) + p`. */
  private tally = new Int32Array(0);
  private readonly offsets: Int32Array;
  /** Per grouping: its columns, as `columns[columnStart[g] ..]`, and each one's shift in a group index. */
  private readonly columns: Int32Array;
  private readonly columnStart: Int32Array;
  private readonly shifts: Int32Array;
  /** Per grouping: its one column, or -1 for none, -2 for several. */
  private readonly single: Int32Array;
  private rows = 0;

  /** Null when the files' counts have too many columns to tally as patterns. */
  static create(groupings: readonly (readonly number[])[], groupColumns: number, flags: number): FlagTallies | null {
    return flags > MAX_FLAGS ? null : new FlagTallies(groupings, groupColumns, flags);
  }

  private constructor(groupings: readonly (readonly number[])[], groupColumns: number, flags: number) {
    this.limits = new Int32Array(groupColumns);
    this.bits = new Int32Array(groupColumns);
    this.patternIds = new Int32Array(1 << flags);
    this.offsets = new Int32Array(groupings.length + 1);
    this.columns = Int32Array.from(groupings.flat());
    this.columnStart = Int32Array.from([0, ...groupings.map((_, g) => groupings.slice(0, g + 1).flat().length)]);
    this.shifts = new Int32Array(this.columns.length);
    this.single = Int32Array.from(groupings, (columns) => (columns.length === 1 ? columns[0]! : columns.length === 0 ? -1 : -2));
  }

  /**
   * Lays the tallies out for columns with these numbers of distinct values so far, and for the
   * patterns seen, each with room for twice as many; false when that would be too large. Only
   * when empty (new, or just flushed).
   */
  layout(valueCounts: ArrayLike<number>): boolean {
    for (let j = 0; j < this.bits.length; j++) {
      this.bits[j] = Math.max(this.bits[j]!, bitsFor(valueCounts[j]!));
      this.limits[j] = 2 ** this.bits[j]!;
    }
    this.patternBits = Math.max(this.patternBits, bitsFor(this.patternCount));
    let cells = 0;
    for (let g = 0; g + 1 < this.columnStart.length; g++) {
      this.offsets[g] = cells;
      let shift = 0;
      for (let c = this.columnStart[g]!; c < this.columnStart[g + 1]!; c++) {
        this.shifts[c] = shift;
        shift += this.bits[this.columns[c]!]!;
      }
      cells += 2 ** (shift + this.patternBits);
      if (cells > MAX_CELLS) return false;
    }
    this.offsets[this.offsets.length - 1] = cells;
    if (this.tally.length < cells) this.tally = new Int32Array(cells);
    return true;
  }

  /**
   * Tallies a row of these value ids and flag pattern; false when its ids or pattern do not fit
   * the layout (the caller flushes, lays out anew and adds the row itself).
   */
  add(valueIds: Int32Array, pattern: number): boolean {
    const limits = this.limits;
    for (let j = 0; j < valueIds.length; j++) if (valueIds[j]! >= limits[j]!) return false;
    let id = this.patternIds[pattern]! - 1;
    if (id < 0) {
      if (this.patternCount >= 2 ** this.patternBits) {
        this.addPattern(pattern);
        return false;
      }
      id = this.addPattern(pattern);
    }
    if (++this.rows === MAX_ROWS) return false;
    const tally = this.tally;
    const offsets = this.offsets;
    const single = this.single;
    const patternBits = this.patternBits;
    for (let g = 0; g < single.length; g++) {
      const column = single[g]!;
      let index = 0;
      if (column >= 0) index = valueIds[column]!;
      else if (column === -2) {
        const columns = this.columns;
        const shifts = this.shifts;
        for (let c = this.columnStart[g]!, end = this.columnStart[g + 1]!; c < end; c++) index |= valueIds[columns[c]!]! << shifts[c]!;
      }
      tally[offsets[g]! + (index << patternBits) + id]!++;
    }
    return true;
  }

  /**
   * Calls `each` with every tally that is not 0: its grouping, the value ids of its group (in
   * `valueIds`, by group column; only the grouping's columns are set), its pattern and its rows;
   * then sets them all to 0.
   */
  flush(valueIds: Int32Array, each: (grouping: number, pattern: number, rows: number) => void): void {
    const tally = this.tally;
    const patternBits = this.patternBits;
    for (let g = 0; g + 1 < this.offsets.length; g++) {
      for (let cell = this.offsets[g]!, end = this.offsets[g + 1]!; cell < end; cell++) {
        const rows = tally[cell]!;
        if (rows === 0) continue;
        const index = (cell - this.offsets[g]!) >>> patternBits;
        for (let c = this.columnStart[g]!; c < this.columnStart[g + 1]!; c++) {
          const column = this.columns[c]!;
          valueIds[column] = (index >>> this.shifts[c]!) & (this.limits[column]! - 1);
        }
        each(g, this.patterns[(cell - this.offsets[g]!) & (2 ** patternBits - 1)]!, rows);
      }
    }
    tally.fill(0, 0, this.offsets[this.offsets.length - 1]);
    this.rows = 0;
  }

  private addPattern(pattern: number): number {
    const id = this.patternCount++;
    if (id === this.patterns.length) {
      const bigger = new Int32Array(2 * id);
      bigger.set(this.patterns);
      this.patterns = bigger;
    }
    this.patterns[id] = pattern;
    this.patternIds[pattern] = id + 1;
    return id;
  }
}

/** Bits for ids up to twice `count` (at least 1). */
function bitsFor(count: number): number {
  return 33 - Math.clz32(Math.max(1, count));
}
