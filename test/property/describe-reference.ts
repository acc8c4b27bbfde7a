// What the README's describe section says each descriptive-statistics row must hold, computed
// the slow and obvious way from the raw cells (read with papaparse), independently of src/describe:
// types inferred in the README's order, counts rounded or blanked, percentages from the released
// counts, mean and sd only over 100 values and only when no one value dominates them, quartiles by
// nearest rank only where 8 patients share them.

/** One cohort file as papaparse reads it: the header and the cells by column. */
export interface RawFile {
  rows: number;
  columns: Map<string, string[]>;
}

export type Row = { variable: string; type: string; level: string; statistic: string; value: string };

const DATE = /^(\d{4})-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The README's inference order over all files: flag, date, codes (whole numbers, ≤ 12 values: categorical), numeric, categorical (≤ 50 values), text. */
export function expectedType(files: readonly RawFile[], column: string): string {
  const values = files.flatMap((f) => f.columns.get(column) ?? []).filter((v) => v !== '');
  if (values.length === 0) return 'text';
  if (values.every((v) => v === '0' || v === '1')) return 'flag';
  if (values.every((v) => DATE.test(v))) return 'date';
  if (values.every((v) => /^[+-]?\d+$/.test(v)) && new Set(values).size <= 12) return 'categorical';
  if (values.every((v) => NUMBER.test(v))) return 'numeric';
  return new Set(values).size <= 50 ? 'categorical' : 'text';
}

/** The "round" rule as a released cell: 7 or less blank, else the nearest multiple of 5. */
export function releasedCount(raw: number): string {
  return raw <= 7 ? '' : String(Math.round(raw / 5) * 5);
}

function yearOf(value: string): string {
  return DATE.exec(value)?.[1] ?? '';
}

/** The raw number of patients a count or missing row stands for. */
export function rawCount(file: RawFile, row: Row): number {
  if (row.variable === 'population') return file.rows;
  const cells = file.columns.get(row.variable) ?? [];
  const present = cells.filter((v) => v !== '');
  if (row.statistic === 'missing') return cells.length - present.length;
  if (row.type === 'flag' || row.type === 'categorical') return cells.filter((v) => v === row.level).length;
  if (row.type === 'date' && row.level !== '') return present.filter((v) => yearOf(v) === row.level).length;
  return present.length;
}

/**
 * Levels every month lists: flags 0 and 1; every category or year that at least 8 patients hold
 * in some month (so it is shown there). A value fewer share in every month could be one
 * patient's, and is never listed.
 */
export function expectedLevels(files: readonly RawFile[], column: string, type: string): string[] {
  if (type === 'flag') return ['0', '1'];
  if (type !== 'date' && type !== 'categorical') return [];
  const key = type === 'date' ? yearOf : (value: string) => value;
  const shared = new Set<string>();
  for (const file of files) {
    const counts = new Map<string, number>();
    for (const value of file.columns.get(column) ?? []) if (value !== '') counts.set(key(value), (counts.get(key(value)) ?? 0) + 1);
    for (const [value, patients] of counts) if (patients >= 8) shared.add(value);
  }
  const values = [...shared];
  return type === 'date' ? values.sort((a, b) => Number(a) - Number(b)) : values.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The dominance rule, as the README states it: mean and sd are held back when the value farthest
 * from the mean accounts for more than min(1/8, 2/√n) of the sum of squared deviations.
 */
export function dominated(values: readonly number[]): boolean {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const squares = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  const farthest = Math.max(...values.map((v) => (v - mean) ** 2));
  return squares > 0 && farthest / squares > Math.min(1 / 8, 2 / Math.sqrt(n));
}

/** Mean, sd and quartiles as the disclosure rules release them. */
export function expectedSummary(cells: readonly string[]): Record<'mean' | 'sd' | 'p25' | 'median' | 'p75', number | string> {
  const values = cells.filter((v) => v !== '').map(Number);
  const n = values.length;
  if (Number(releasedCount(n) || 0) < 100) return { mean: '', sd: '', p25: '', median: '', p75: '' };
  const held = dominated(values);
  const mean = held ? '' : values.reduce((a, b) => a + b, 0) / n;
  const sd = held ? '' : Math.sqrt(values.reduce((a, v) => a + (v - (mean as number)) ** 2, 0) / (n - 1));
  const sorted = [...values].sort((a, b) => a - b);
  const quartile = (q: number): string => {
    const value = sorted[Math.max(1, Math.ceil(q * n)) - 1]!;
    const shared = values.filter((v) => v === value).length;
    return shared >= 8 ? String(value) : '';
  };
  return { mean, sd, p25: quartile(0.25), median: quartile(0.5), p75: quartile(0.75) };
}

/** The rows a file's table holds for one variable, in order, without values (statistic names per README table). */
export function expectedShape(type: string, levels: readonly string[], detail: 'full' | 'summary'): Array<[string, string]> {
  const counted = (level: string, statistic: string): Array<[string, string]> => [[level, statistic], [level, 'percent']];
  switch (type) {
    case 'flag':
      return detail === 'full' ? [...counted('0', 'count'), ...counted('1', 'count'), ...counted('', 'missing')] : counted('1', 'count');
    case 'categorical':
      return [...levels.flatMap((l) => counted(l, 'count')), ...counted('', 'missing')];
    case 'date':
      return [['', 'count'], ['', 'missing'], ...(detail === 'full' ? levels.flatMap((l) => counted(l, 'count')) : [])];
    case 'numeric':
      return [['', 'count'], ['', 'missing'], ...(detail === 'full' ? ['mean', 'sd', 'p25', 'median', 'p75'] : ['mean', 'median']).map((s): [string, string] => ['', s])];
    default:
      return [['', 'count'], ['', 'missing']];
  }
}
