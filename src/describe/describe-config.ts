// The describe config (--config): column types, which variables the summary shows, chart titles
// and the dashboard's panels. Every mistake is a UserError naming the file and the key.

import { readInputText } from '../input/read-input.js';
import { parseJson } from '../input/parse-json.js';
import { UserError, listNames, quote } from '../errors.js';
import { COLUMN_TYPES, type ConfiguredType } from './column-types.js';

/** Settings for one measure's chart. */
export interface ChartSettings {
  /** Chart title; default derived from the measure id. */
  title?: string;
  /** Y axis title; default "<numerator> per <denominator> (%)". */
  yTitle?: string;
}

export interface DashboardRow {
  title: string | null;
  /** Measure ids, one per panel from the left; null leaves a panel empty. */
  charts: Array<string | null>;
  /** Whether the row's charts share one y scale (and one colour per group). Default true. */
  shareY: boolean;
}

export interface DashboardLayout {
  title: string | null;
  /** Headings above the panel columns, e.g. ["Care homes", "Control"]. */
  columns: string[];
  rows: DashboardRow[];
}

export interface DescribeConfig {
  /** Where the config came from, for messages. */
  file: string | null;
  /** The patient key, never described (patient_id is never described either). */
  key: string;
  /** Types the config sets, by column name (a Map: a column may be called "constructor"). */
  variables: Map<string, ConfiguredType>;
  /** Variables shown in the summary table; null for all. */
  summary: string[] | null;
  /** By measure id. */
  charts: Map<string, ChartSettings>;
  dashboard: DashboardLayout | null;
}

export const DEFAULT_CONFIG: DescribeConfig = { file: null, key: 'patient_id', variables: new Map(), summary: null, charts: new Map(), dashboard: null };

const MEASURE_ID = /^[A-Za-z0-9_]+$/;

export async function loadDescribeConfig(file: string): Promise<DescribeConfig> {
  return parseDescribeConfig(await readInputText(file, 'config'), file);
}

export function parseDescribeConfig(text: string, file: string): DescribeConfig {
  const json = parseJson(text, file, 'a JSON object of describe settings');
  const at = new KeyReader(file);
  const top = at.object(json, '', ['key', 'variables', 'summary', 'charts', 'dashboard']);
  const key = top.key === undefined ? 'patient_id' : at.name(top.key, 'key');
  const variables = new Map<string, ConfiguredType>();
  for (const [name, type] of Object.entries(top.variables === undefined ? {} : at.object(top.variables, 'variables'))) {
    if (typeof type !== 'string' || !COLUMN_TYPES.includes(type as ConfiguredType)) {
      at.fail(`variables.${name}`, `expected one of ${listNames(COLUMN_TYPES)}, found ${show(type)}`);
    }
    if (name === key || name === 'patient_id') at.fail(`variables.${name}`, 'is the patient key, which is never described');
    variables.set(name, type as ConfiguredType);
  }
  const summary = top.summary === undefined ? null : at.list(top.summary, 'summary').map((v, i) => at.name(v, `summary[${i}]`));
  const charts = new Map<string, ChartSettings>();
  for (const [id, settings] of Object.entries(top.charts === undefined ? {} : at.object(top.charts, 'charts'))) {
    if (!MEASURE_ID.test(id)) at.fail(`charts.${id}`, 'a measure id has only letters, digits and underscores');
    const fields = at.object(settings, `charts.${id}`, ['title', 'y_title']);
    const chart: ChartSettings = {};
    if (fields.title !== undefined) chart.title = at.name(fields.title, `charts.${id}.title`);
    if (fields.y_title !== undefined) chart.yTitle = at.name(fields.y_title, `charts.${id}.y_title`);
    charts.set(id, chart);
  }
  const dashboard = top.dashboard === undefined ? null : readDashboard(at, top.dashboard);
  return { file, key, variables, summary, charts, dashboard };
}

function readDashboard(at: KeyReader, value: unknown): DashboardLayout {
  const fields = at.object(value, 'dashboard', ['title', 'columns', 'rows']);
  const title = fields.title === undefined ? null : at.name(fields.title, 'dashboard.title');
  const columns = fields.columns === undefined ? [] : at.list(fields.columns, 'dashboard.columns').map((v, i) => at.text(v, `dashboard.columns[${i}]`));
  if (fields.rows === undefined) at.fail('dashboard', 'expected "rows": a list of rows, each {"title": ..., "charts": [measure ids]}');
  const placed = new Map<string, string>();
  const rows = at.list(fields.rows, 'dashboard.rows').map((rowValue, r): DashboardRow => {
    const where = `dashboard.rows[${r}]`;
    const row = at.object(rowValue, where, ['title', 'charts', 'share_y']);
    if (row.charts === undefined) at.fail(where, 'expected "charts": a list of measure ids (null for an empty panel)');
    const charts = at.list(row.charts, `${where}.charts`).map((id, c) => {
      const key = `${where}.charts[${c}]`;
      if (id === null) return null;
      const name = at.name(id, key);
      if (!MEASURE_ID.test(name)) at.fail(key, `${quote(name)} is not a measure id (letters, digits and underscores)`);
      const other = placed.get(name);
      if (other !== undefined) at.fail(key, `${quote(name)} is already placed at ${other}; each chart appears once`);
      placed.set(name, key);
      return name;
    });
    if (row.share_y !== undefined && typeof row.share_y !== 'boolean') at.fail(`${where}.share_y`, `expected true or false, found ${show(row.share_y)}`);
    return { title: row.title === undefined ? null : at.name(row.title, `${where}.title`), charts, shareY: row.share_y !== false };
  });
  return { title, columns, rows };
}

/** Reads typed values out of parsed JSON, failing with the file and the key's path. */
class KeyReader {
  constructor(private readonly file: string) {}

  fail(key: string, problem: string): never {
    throw new UserError(`key ${quote(key || '(top level)')}: ${problem}`, { file: this.file });
  }

  object(value: unknown, key: string, allowed?: readonly string[]): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(key, `expected an object {...}, found ${show(value)}`);
    const record = value as Record<string, unknown>;
    if (allowed) {
      for (const name of Object.keys(record)) {
        if (!allowed.includes(name)) this.fail(key ? `${key}.${name}` : name, `unknown key; expected ${listNames(allowed)}`);
      }
    }
    return record;
  }

  list(value: unknown, key: string): unknown[] {
    if (!Array.isArray(value)) this.fail(key, `expected a list [...], found ${show(value)}`);
    return value;
  }

  text(value: unknown, key: string): string {
    if (typeof value !== 'string') this.fail(key, `expected a string, found ${show(value)}`);
    return value;
  }

  /** A string that must not be empty. */
  name(value: unknown, key: string): string {
    const text = this.text(value, key);
    if (text.trim() === '') this.fail(key, 'must not be empty');
    return text;
  }
}

/** A JSON value for a message, shortened so a large one cannot flood the terminal. */
function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
