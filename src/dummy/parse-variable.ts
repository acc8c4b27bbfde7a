// Reads one variable of a dummy-data schema: exactly one kind key (category, int, code, date,
// bool, previous, derived, bands) and the expectations that kind accepts.

import { quote } from '../errors.js';
import type { DateBound, DateFormat, Incidence, IntDistribution, VariableKind, VariableSpec } from './schema.js';
import { SchemaChecks, shown, type JsonObject } from './schema-checks.js';

const KINDS: readonly VariableKind[] = ['category', 'int', 'code', 'date', 'bool', 'previous', 'derived', 'bands'];
/** Extra keys each kind accepts beside its own. */
const EXTRA_KEYS: Record<VariableKind, readonly string[]> = {
  category: ['incidence', 'rate'],
  int: ['incidence', 'rate'],
  code: ['incidence', 'rate'],
  date: ['incidence', 'rate', 'date_format'],
  bool: ['incidence', 'rate', 'persistence'],
  previous: [],
  derived: [],
  bands: [],
};
const DATE_FORMATS: readonly DateFormat[] = ['YYYY', 'YYYY-MM', 'YYYY-MM-DD'];
const DEFAULT_PERSISTENCE = 0.8;

export function parseVariable(name: string, value: unknown, check: SchemaChecks): VariableSpec {
  const where = `variable ${quote(name)}`;
  const spec = check.object(value, where);
  const kinds = KINDS.filter((kind) => kind in spec);
  if (kinds.length !== 1) {
    const got = kinds.length === 0 ? 'none' : kinds.map((k) => quote(k)).join(' and ');
    check.fail(where, `expected exactly one of ${KINDS.map((k) => quote(k)).join(', ')} to say what kind of value it is; got ${got}`);
  }
  const kind = kinds[0]!;
  check.keys(spec, [kind, ...EXTRA_KEYS[kind], 'description'], where);
  const body = spec[kind];
  const incidence = () => parseIncidence(spec, kind, where, check);

  switch (kind) {
    case 'category': {
      const ratios = check.object(check.object(body, `${where}, "category"`).ratios, `${where}, "category.ratios"`);
      const labels = Object.keys(ratios);
      if (labels.length === 0) check.fail(where, 'category ratios name no category');
      const shares = labels.map((label) => check.number(ratios[label], `${where}, ratio of ${quote(label)}`, { min: 0, max: 1 }));
      const total = shares.reduce((a, b) => a + b, 0);
      if (Math.abs(total - 1) > 1e-6) check.fail(where, `category ratios add up to ${round(total)}, expected 1`);
      return { name, kind, labels, ratios: shares, incidence: incidence() };
    }
    case 'int':
      return { name, kind, int: parseInt(check.object(body, `${where}, "int"`), `${where}, "int"`, check), incidence: incidence() };
    case 'code': {
      const code = check.object(body, `${where}, "code"`);
      check.keys(code, ['prefix', 'min', 'max', 'digits'], `${where}, "code"`);
      const min = check.number(code.min, `${where}, "code.min"`, { integer: true, min: 0 });
      const max = check.number(code.max, `${where}, "code.max"`, { integer: true, min });
      const digits = check.number(code.digits ?? String(max).length, `${where}, "code.digits"`, { integer: true, min: 1, max: 15 });
      return { name, kind, prefix: check.string(code.prefix ?? '', `${where}, "code.prefix"`), min, max, digits, incidence: incidence() };
    }
    case 'date': {
      const date = check.object(body, `${where}, "date"`);
      check.keys(date, ['earliest', 'latest'], `${where}, "date"`);
      const earliest = dateBound(date.earliest, `${where}, "date.earliest"`, check);
      const latest = dateBound(date.latest, `${where}, "date.latest"`, check);
      if (typeof earliest === 'number' && typeof latest === 'number' && earliest > latest) check.fail(where, 'date.earliest is after date.latest');
      if (earliest === 'index_date' && latest === 'index_date') check.fail(where, 'date.earliest and date.latest cannot both be "index_date"');
      const format = spec.date_format ?? 'YYYY-MM-DD';
      if (!DATE_FORMATS.includes(format as DateFormat)) check.fail(where, `date_format ${shown(format)}: expected one of ${DATE_FORMATS.map((f) => quote(f)).join(', ')}`);
      const rate = spec.rate ?? 'uniform';
      if (rate !== 'uniform' && rate !== 'exponential_increase' && rate !== 'universal') {
        check.fail(where, `rate ${shown(rate)}: expected "uniform", "exponential_increase" or "universal"`);
      }
      return { name, kind, earliest, latest, rate: rate === 'exponential_increase' ? rate : 'uniform', format: format as DateFormat, incidence: incidence() };
    }
    case 'bool': {
      if (body !== true) check.fail(where, `"bool" must be true, got ${shown(body)}`);
      if (spec.incidence === undefined && spec.rate !== 'universal') check.fail(where, 'a 0/1 flag needs an "incidence": the share of 1s');
      const persistence = check.number(spec.persistence ?? DEFAULT_PERSISTENCE, `${where}, "persistence"`, { min: 0, max: 1 });
      return { name, kind, incidence: incidence(), persistence };
    }
    case 'previous': {
      const previous = check.object(body, `${where}, "previous"`);
      check.keys(previous, ['of', 'months'], `${where}, "previous"`);
      const months = Array.isArray(previous.months) ? previous.months : [previous.months];
      return {
        name,
        kind,
        of: check.string(previous.of, `${where}, "previous.of"`),
        months: months.map((m) => check.number(m, `${where}, "previous.months"`, { integer: true, min: 1, max: 1200 })),
      };
    }
    case 'derived': {
      const derived = check.object(body, `${where}, "derived"`);
      check.keys(derived, ['all_of', 'none_of'], `${where}, "derived"`);
      const allOf = derived.all_of === undefined ? [] : check.stringList(derived.all_of, `${where}, "derived.all_of"`);
      const noneOf = derived.none_of === undefined ? [] : check.stringList(derived.none_of, `${where}, "derived.none_of"`);
      if (allOf.length + noneOf.length === 0) check.fail(where, '"derived" needs "all_of" or "none_of" (flags that must be 1, or 0)');
      return { name, kind, allOf, noneOf };
    }
    case 'bands':
      return parseBands(name, check.object(body, `${where}, "bands"`), where, check);
  }
}

function parseInt(int: JsonObject, where: string, check: SchemaChecks): IntDistribution {
  const distribution = int.distribution;
  const keys = (...names: string[]) => check.keys(int, ['distribution', ...names], where);
  switch (distribution) {
    case 'population_ages':
      keys();
      return { distribution };
    case 'normal':
      keys('mean', 'stddev');
      return { distribution, mean: check.number(int.mean, `${where}.mean`), stddev: check.number(int.stddev, `${where}.stddev`, { min: 0 }) };
    case 'uniform': {
      keys('min', 'max');
      const min = check.number(int.min, `${where}.min`, { integer: true });
      return { distribution, min, max: check.number(int.max, `${where}.max`, { integer: true, min }) };
    }
    case 'poisson':
      keys('mean');
      return { distribution, mean: check.number(int.mean, `${where}.mean`, { min: 0, max: 1e6 }) };
    default:
      return check.fail(where, `distribution ${shown(distribution)}: expected "population_ages", "normal", "uniform" or "poisson"`);
  }
}

function parseBands(name: string, body: JsonObject, where: string, check: SchemaChecks): VariableSpec {
  check.keys(body, ['of', 'bands', 'otherwise'], `${where}, "bands"`);
  const ranges = check.object(body.bands, `${where}, "bands.bands"`);
  const bands = Object.entries(ranges).map(([label, range]) => {
    const at = `${where}, band ${quote(label)}`;
    if (!Array.isArray(range) || range.length !== 2) check.fail(at, `expected [lowest, highest] (highest may be null), got ${shown(range)}`);
    const [low, high] = range as unknown[];
    const min = check.number(low, at, { integer: true });
    const max = high === null ? Infinity : check.number(high, at, { integer: true, min });
    return { label, min, max };
  });
  if (bands.length === 0) check.fail(where, '"bands.bands" names no band');
  return { name, kind: 'bands', of: check.string(body.of, `${where}, "bands.of"`), bands, otherwise: check.string(body.otherwise ?? '', `${where}, "bands.otherwise"`) };
}

function dateBound(value: unknown, where: string, check: SchemaChecks): DateBound {
  return value === 'index_date' ? 'index_date' : check.day(value, where);
}

/** `incidence`: a share, or {date: share} changing linearly between the dates; "universal" rate means 1. */
function parseIncidence(spec: JsonObject, kind: VariableKind, where: string, check: SchemaChecks): Incidence {
  const rate = spec.rate;
  if (rate !== undefined && kind !== 'date' && rate !== 'universal') check.fail(where, `rate ${shown(rate)}: only "universal" (every row has a value) applies here`);
  if (rate === 'universal') {
    if (spec.incidence !== undefined) check.fail(where, 'give either rate "universal" or an incidence, not both');
    return { days: [0], values: [1] };
  }
  const value = spec.incidence ?? 1;
  if (typeof value === 'number') return { days: [0], values: [check.number(value, `${where}, "incidence"`, { min: 0, max: 1 })] };
  const points = Object.entries(check.object(value, `${where}, "incidence"`)).map(([date, share]) => ({
    day: check.day(date, `${where}, "incidence" date`),
    share: check.number(share, `${where}, "incidence" on ${date}`, { min: 0, max: 1 }),
  }));
  if (points.length === 0) check.fail(where, '"incidence" names no date');
  points.sort((a, b) => a.day - b.day);
  return { days: points.map((p) => p.day), values: points.map((p) => p.share) };
}

function round(n: number): string {
  return String(Math.round(n * 1e6) / 1e6);
}
