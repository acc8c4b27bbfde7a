// Ids for combinations of group values, for measures grouped by more than one column: each
// combination seen gets the next id, and its value ids are kept to write the group out later.

/** Value ids are below 2^26 (67 million distinct values), so a pair packs into one safe integer. */
const PACK = 2 ** 26;

export class GroupTuples {
  /** One map per column after the first: (prefix id, value id) → id of the longer prefix. */
  private readonly levels: Array<Map<number, number>>;
  /** Value ids of each full combination, `width` per id. */
  private members: number[] = [];

  constructor(private readonly columns: readonly number[]) {
    this.levels = columns.slice(1).map(() => new Map());
  }

  get count(): number {
    return this.levels.length === 0 ? 0 : this.levels[this.levels.length - 1]!.size;
  }

  /** The id of the combination of `valueIds[columns[0]], valueIds[columns[1]], ...`. */
  idOf(valueIds: Int32Array): number {
    const columns = this.columns;
    let id = valueIds[columns[0]!]!;
    const last = columns.length - 1;
    for (let level = 0; level < last; level++) {
      const map = this.levels[level]!;
      const key = id * PACK + valueIds[columns[level + 1]!]!;
      let next = map.get(key);
      if (next === undefined) {
        next = map.size;
        map.set(key, next);
        if (level === last - 1) for (const column of columns) this.members.push(valueIds[column]!);
      }
      id = next;
    }
    return id;
  }

  /** The value ids of combination `id`, in column order. */
  valueIdsOf(id: number): number[] {
    const width = this.columns.length;
    return this.members.slice(id * width, (id + 1) * width);
  }
}
