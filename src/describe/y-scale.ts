// How a chart shows a measure's value (numerator / denominator) on its y axis, in its table and
// in its tooltips: as a percentage (the default, for a 0/1 numerator over patients), per 1,000 or
// per 100,000 (rare events), or as the ratio itself (a count numerator, such as prescriptions
// per patient, which as a percentage would read "120%").

export type YScale = 'percent' | 'per_1000' | 'per_100000' | 'ratio';
export const Y_SCALES: readonly YScale[] = ['percent', 'per_1000', 'per_100000', 'ratio'];
export const DEFAULT_Y_SCALE: YScale = 'percent';

interface ScaleRule {
  /** What the value is multiplied by before it is drawn. */
  factor: number;
  /** The axis labels' d3 format. */
  axisFormat: string;
  /** Added to the default y title and the table caption, e.g. "(%)". */
  unit: string;
  /** The value in a table cell or a tooltip. */
  format(value: number): string;
}

const RULES: ReadonlyMap<YScale, ScaleRule> = new Map<YScale, ScaleRule>([
  // Vega's percent format multiplies by 100 itself.
  ['percent', { factor: 1, axisFormat: '.1~%', unit: '(%)', format: (v) => `${(v * 100).toFixed(2)}%` }],
  ['per_1000', { factor: 1000, axisFormat: ',.4~g', unit: '(per 1,000)', format: (v) => (v * 1000).toFixed(2) }],
  ['per_100000', { factor: 100_000, axisFormat: ',.4~g', unit: '(per 100,000)', format: (v) => (v * 100_000).toFixed(1) }],
  ['ratio', { factor: 1, axisFormat: ',.4~g', unit: '(ratio)', format: (v) => String(Number(v.toPrecision(4))) }],
]);

export function scaleRule(scale: YScale): ScaleRule {
  return RULES.get(scale)!;
}

/** The value as the chart draws it. */
export function scaledValue(value: number, scale: YScale): number {
  return value * scaleRule(scale).factor;
}

/** The value as a table cell or tooltip shows it: "12.35%", "123.45" (per 1,000), "0.8333". */
export function formatScaled(value: number, scale: YScale): string {
  return scaleRule(scale).format(value);
}

/** A 95% interval as a table cell or tooltip shows it: "5.52% to 17.44%". */
export function formatInterval(lower: number, upper: number, scale: YScale): string {
  return `${formatScaled(lower, scale)} to ${formatScaled(upper, scale)}`;
}
