// The describe config (--config): column types, which variables the summary shows, the words for
// columns, chart titles, subtitles and y scales, and the dashboard's panels, declared once with
// their defaults and documentation. Every mistake is a UserError naming the file and the key path.

import { readInputText } from '../input/read-input.js';
import { parseJson } from '../input/parse-json.js';
import { quote } from '../errors.js';
import {
  boolean, checkInput, convert, formatKeyPath, list, nullable, object, oneOf, optional, record, refine, required, text, withDefault, type Shape,
} from '../input/shapes.js';
import { MEASURE_ID } from '../layouts/measure-file.js';
import { COLUMN_TYPES, type ConfiguredType } from './column-types.js';
import { DEFAULT_Y_SCALE, Y_SCALES, type YScale } from './y-scale.js';

/** Settings for one measure's chart. */
export interface ChartSettings {
  /** Chart title; default derived from the measure id. */
  title?: string;
  /** Y axis title; default "<numerator> per <denominator> (%)", in the config's words. */
  yTitle?: string;
  /** Subtitle; default "<numerator> per <denominator>, by <group columns>", in the config's words. */
  subtitle?: string;
  /** How the value is shown; default `percent`. */
  y: YScale;
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
  /** Types set by the config, by column. */
  variables: ReadonlyMap<string, ConfiguredType>;
  /** Variables shown in the summary table; null for all. */
  summary: string[] | null;
  /** The words for column names (numerators, denominators, group columns) in chart text, by column. */
  labels: ReadonlyMap<string, string>;
  /** Chart settings by measure id. */
  charts: ReadonlyMap<string, ChartSettings>;
  dashboard: DashboardLayout | null;
}

export const DEFAULT_CONFIG: DescribeConfig = { file: null, key: 'patient_id', variables: new Map(), summary: null, labels: new Map(), charts: new Map(), dashboard: null };

/** A measure's chart settings: the config's, or the defaults. */
export function chartSettings(config: DescribeConfig, id: string): ChartSettings {
  return config.charts.get(id) ?? { y: DEFAULT_Y_SCALE };
}

const NAME = text({ nonEmpty: true, expected: 'a name (non-empty text)' });
const TITLE = text({ nonEmpty: true, expected: 'a title (non-empty text)' });
const MEASURE_ID_TEXT = text({ pattern: MEASURE_ID, expected: 'a measure id (letters, digits and underscores)' });

const CHART = convert(
  object({
    title: optional(TITLE, "The chart's title; by default one made from the measure id."),
    subtitle: optional(TITLE, 'The subtitle; by default "<numerator> per <denominator>, by <group columns>", in the words of "labels".'),
    y_title: optional(TITLE, 'The y axis title; by default "<numerator> per <denominator>" and the unit of "y", in the words of "labels".'),
    y: withDefault(
      oneOf(Y_SCALES),
      DEFAULT_Y_SCALE,
      'How the value (numerator / denominator) is shown: "percent" (the default), "per_1000", "per_100000", or "ratio" (for a count numerator, such as prescriptions per patient).',
    ),
  }),
  ({ title, subtitle, y_title, y }): ChartSettings => ({
    ...(title === undefined ? {} : { title }),
    ...(subtitle === undefined ? {} : { subtitle }),
    ...(y_title === undefined ? {} : { yTitle: y_title }),
    y,
  }),
);

const ROW = convert(
  object({
    title: optional(TITLE, "The row's heading."),
    charts: required(list(nullable(MEASURE_ID_TEXT), { expected: 'a list of measure ids (null for an empty panel)' }), 'Measure ids, one per panel from the left; null leaves a panel empty.'),
    share_y: withDefault(boolean(), true, "Whether the row's charts share one y scale and one colour per group."),
  }),
  ({ title, charts, share_y }): DashboardRow => ({ title: title ?? null, charts, shareY: share_y }),
);

const DASHBOARD: Shape<DashboardLayout> = convert(
  object({
    title: optional(TITLE, "The dashboard's heading."),
    columns: withDefault(list(text(), { expected: 'a list of headings' }), [], 'Headings above the panel columns, such as ["Care homes", "Control"].'),
    rows: required(list(ROW, { expected: 'a list of rows, each {"title": ..., "charts": [measure ids]}' }), 'The rows of panels, from the top.'),
  }),
  ({ title, columns, rows }, place) => {
    const placed = new Map<string, string>();
    rows.forEach((row, r) =>
      row.charts.forEach((id, c) => {
        if (id === null) return;
        const at = place.at('rows', r, 'charts', c);
        const other = placed.get(id);
        if (other !== undefined) at.fail(`${quote(id)} is already placed at ${other}; each chart appears once`);
        placed.set(id, formatKeyPath(at.path));
      }),
    );
    return { title: title ?? null, columns, rows };
  },
);

const CONFIG = refine(
  object({
    key: withDefault(NAME, 'patient_id', 'The patient key column, never described (patient_id never is either).'),
    variables: withDefault(record(oneOf(COLUMN_TYPES)), new Map<string, ConfiguredType>(), 'Column types that override the inferred ones; "ignore" leaves a column out.'),
    summary: optional(list(NAME, { expected: 'a list of column names' }), 'The variables the summary table shows, in order; all by default.'),
    labels: withDefault(
      record(TITLE),
      new Map<string, string>(),
      'Words for column names in chart subtitles, axis and legend titles and tables, such as {"antidepressent_ssri": "patients prescribed an SSRI", "population": "patients"}.',
    ),
    charts: withDefault(
      record(CHART, { keyProblem: (id) => (MEASURE_ID.test(id) ? undefined : 'a measure id has only letters, digits and underscores') }),
      new Map<string, ChartSettings>(),
      'Chart settings by measure id.',
    ),
    dashboard: optional(DASHBOARD, 'The panels of dashboard.html; by default one chart per row.'),
  }),
  ({ key, variables }, place) => {
    for (const name of variables.keys()) {
      if (name === key || name === 'patient_id') place.at('variables', name).fail('is the patient key, which is never described');
    }
  },
);

export async function loadDescribeConfig(file: string): Promise<DescribeConfig> {
  return parseDescribeConfig(await readInputText(file, 'config'), file);
}

export function parseDescribeConfig(text: string, file: string): DescribeConfig {
  const config = checkInput(parseJson(text, file, 'a JSON object of describe settings'), CONFIG, { file });
  return {
    file,
    key: config.key,
    variables: config.variables,
    summary: config.summary ?? null,
    labels: config.labels,
    charts: config.charts,
    dashboard: config.dashboard ?? null,
  };
}
