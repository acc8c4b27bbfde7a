// What a measure file holds, whichever layout writes it (cohort-extractor's files per measure, or
// ehrQL's one measures.csv): per date, one row per group with the released counts, their ratio and
// any further value columns. Both layouts write from a MeasureTable and read into MeasureSeries.

/** A 95% interval for the ratio (`confidence_interval`). */
export const INTERVAL_COLUMNS = ['lower', 'upper'] as const;
/** The directly standardised rate and its 95% interval (`standardise`). */
export const STANDARDISED_COLUMNS = ['standardised_value', 'standardised_lower', 'standardised_upper'] as const;

/**
 * Value columns that may follow the ratio: numbers worked out from a row's released counts, never
 * counts themselves, empty where the ratio is. Every layout writes them in this order: after
 * `value` in cohort-extractor files, after `denominator` in ehrQL's.
 */
export const EXTRA_VALUE_COLUMNS: readonly string[] = [...INTERVAL_COLUMNS, ...STANDARDISED_COLUMNS];

/** The extra value columns of a measure with an interval, a standardised rate, or both, in their order. */
export function extraValueColumns({ interval, standardised }: { interval: boolean; standardised: boolean }): string[] {
  return [...(interval ? INTERVAL_COLUMNS : []), ...(standardised ? STANDARDISED_COLUMNS : [])];
}

/** Whether `names` are the extra value columns of some measure (none, an interval, a standardised rate, or both), in their order. */
export function isExtraValueColumnList(names: readonly string[]): boolean {
  return [false, true].some((interval) => [false, true].some((standardised) => extraValueColumns({ interval, standardised }).join(',') === names.join(',')));
}

/** Field indexes of the extra value columns in `header`. */
export function extraFields(header: readonly string[]): number[] {
  return header.flatMap((name, i) => (EXTRA_VALUE_COLUMNS.includes(name) ? [i] : []));
}

/** A file's path and the text to write there. */
export interface OutputFile {
  path: string;
  content: string;
}

/** One group's row at one date, every cell as written. */
export interface MeasureRow {
  /** The group values, one per group column. */
  group: readonly string[];
  /** The released counts; empty where suppressed. */
  numerator: string;
  denominator: string;
  /** numerator / denominator; empty where undefined. */
  value: string;
  /** One cell per column of the table's `extraColumns`. */
  extra: readonly string[];
}

/** A measure's rows over every date: what the measures stage hands to a layout's writer. */
export interface MeasureTable {
  id: string;
  /** Group columns, in the declared order; empty for the whole population. */
  groupBy: readonly string[];
  /** The cohort columns counted (or `population`). */
  numerator: string;
  denominator: string;
  /** Value columns after the ratio, in EXTRA_VALUE_COLUMNS order; usually none. */
  extraColumns: readonly string[];
  /** Every date of the series, in order, with its rows; a date may have none. */
  dates: ReadonlyArray<{ date: string; rows: readonly MeasureRow[] }>;
}

/** The extra value columns of several tables, each once, in EXTRA_VALUE_COLUMNS order (others after, in order of first use). */
export function extraColumnsOf(tables: ReadonlyArray<Pick<MeasureTable, 'extraColumns'>>): string[] {
  const used = [...new Set(tables.flatMap((table) => table.extraColumns))];
  const rank = (name: string) => {
    const at = EXTRA_VALUE_COLUMNS.indexOf(name);
    return at < 0 ? EXTRA_VALUE_COLUMNS.length : at;
  };
  return used.map((name, i) => [name, i] as const).sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1]).map(([name]) => name);
}

/** One charted point read back from a measure file. */
export interface MeasurePoint {
  /** The row's group values, one per group column. */
  group: string[];
  /** YYYY-MM-DD (`date`, or ehrQL's `interval_start`). */
  date: string;
  /** numerator / denominator; null where the measure file leaves it blank. */
  value: number | null;
  /** The count cells as written (a reader checks them against the release patterns). */
  numerator: string;
  denominator: string;
  /** The extra value cells as written, one per column of the series' `extraColumns`. */
  extras: string[];
  /** The line the count cells are on. */
  line: number;
}

/** Where a measure's series was read from. */
export interface MeasureSource {
  id: string;
  path: string;
}

/** One measure read back from a file of either layout. */
export interface MeasureSeries extends MeasureSource {
  groupColumns: string[];
  /** The count columns' names (`numerator` and `denominator` in an ehrQL file). */
  numerator: string;
  denominator: string;
  /** The measure's extra value columns (intervals, standardised rates), in EXTRA_VALUE_COLUMNS order. */
  extraColumns: string[];
  points: MeasurePoint[];
}
