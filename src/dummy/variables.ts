// Turns a schema's variables into value generators over the simulated population. Every value is
// a pure function of (seed, variable name, person, date): attributes such as sex or region are
// fixed per person, 0/1 flags change between dates with the declared persistence, and derived
// columns are computed from the flags at the index date or at earlier dates.

import { addMonths, isoDateOfDay } from '../dates.js';
import { ageOn } from './dates.js';
import { hashString, uniform3 } from './random.js';
import type { SimulatedPopulation } from './population.js';
import { csvField } from './csv-field.js';
import type { DateFormat, Incidence, IntDistribution, VariableSpec } from './schema.js';

/** The date a file is generated for. */
export interface IndexDate {
  day: number;
  /** The same date as YYYYMMDD, for ages. */
  ymd: number;
}

export interface Column {
  name: string;
  /** The cell for person `p` (an index into the population) at the index date, quoted for CSV where needed. */
  value(p: number, at: IndexDate): string;
}

interface Flag {
  flag(p: number, day: number): boolean;
}

interface IntSource {
  number(p: number, at: IndexDate): number;
}

// Salts keep the draws for one variable independent of each other.
const PRESENT = 1;
const VALUE = 2;
const SECOND = 3;
const USER = 4;

export function compileColumns(variables: readonly VariableSpec[], population: SimulatedPopulation): Column[] {
  const { ids, birthYmd, seed } = population;
  const flags = new Map<string, Flag>();
  const ints = new Map<string, IntSource>();
  const specs = new Map(variables.map((v) => [v.name, v]));

  const flagOf = (name: string): Flag => {
    let flag = flags.get(name);
    if (flag) return flag;
    const spec = specs.get(name)!;
    const key = hashString(name, seed);
    if (spec.kind === 'bool') {
      const share = incidenceAt(spec.incidence);
      const persistence = spec.persistence;
      flag = {
        flag(p, day) {
          // Users are the people most likely to have the flag; the share of users follows incidence,
          // and persistence sets how much more likely users are than others, keeping the overall share.
          const pt = share(day);
          const id = ids[p]!;
          const user = uniform3(key, id, USER) < pt;
          const chance = user ? pt + persistence * (1 - pt) : pt * (1 - persistence);
          return uniform3(key, id, day) < chance;
        },
      };
    } else if (spec.kind === 'previous') {
      const of = flagOf(spec.of);
      const months = spec.months;
      const earlier = new Map<number, number[]>();
      flag = {
        flag(p, day) {
          let days = earlier.get(day);
          if (!days) earlier.set(day, (days = months.map((m) => addMonths(day, -m))));
          for (const d of days) if (of.flag(p, d)) return true;
          return false;
        },
      };
    } else if (spec.kind === 'derived') {
      const allOf = spec.allOf.map(flagOf);
      const noneOf = spec.noneOf.map(flagOf);
      flag = { flag: (p, day) => allOf.every((f) => f.flag(p, day)) && !noneOf.some((f) => f.flag(p, day)) };
    } else {
      throw new Error(`${name} is not a flag`);
    }
    flags.set(name, flag);
    return flag;
  };

  const intOf = (spec: VariableSpec & { kind: 'int' }): IntSource => {
    let source = ints.get(spec.name);
    if (source) return source;
    const key = hashString(spec.name, seed);
    const present = presence(key, spec.incidence, ids);
    const draw = intDraw(spec.int, key, ids, birthYmd);
    source = { number: (p, at) => (present(p, at.day) ? draw(p, at) : 0) };
    ints.set(spec.name, source);
    return source;
  };

  return variables.map((spec): Column => {
    const name = spec.name;
    const key = hashString(name, seed);
    switch (spec.kind) {
      case 'bool':
      case 'previous':
      case 'derived': {
        const source = flagOf(name);
        return { name, value: (p, at) => (source.flag(p, at.day) ? '1' : '0') };
      }
      case 'int': {
        const source = intOf(spec);
        return { name, value: (p, at) => String(source.number(p, at)) };
      }
      case 'bands': {
        const source = intOf(specs.get(spec.of) as VariableSpec & { kind: 'int' });
        const bands = spec.bands.map((band) => ({ ...band, label: csvField(band.label) }));
        const otherwise = csvField(spec.otherwise);
        return {
          name,
          value(p, at) {
            const n = source.number(p, at);
            for (const band of bands) if (n >= band.min && n <= band.max) return band.label;
            return otherwise;
          },
        };
      }
      case 'category': {
        const present = presence(key, spec.incidence, ids);
        const cumulative: number[] = [];
        let sum = 0;
        for (const ratio of spec.ratios) cumulative.push((sum += ratio));
        const labels = spec.labels.map(csvField);
        return {
          name,
          value(p, at) {
            if (!present(p, at.day)) return '';
            const u = uniform3(key, ids[p]!, VALUE) * cumulative[cumulative.length - 1]!;
            for (let i = 0; i < cumulative.length - 1; i++) if (u < cumulative[i]!) return labels[i]!;
            return labels[labels.length - 1]!;
          },
        };
      }
      case 'code': {
        const present = presence(key, spec.incidence, ids);
        const { prefix, min, max, digits } = spec;
        // A prefix that needs quoting makes every code need it; otherwise digits never do.
        const field = csvField(prefix) === prefix ? (text: string) => text : csvField;
        return {
          name,
          value: (p, at) => (present(p, at.day) ? field(prefix + String(min + Math.floor(uniform3(key, ids[p]!, VALUE) * (max - min + 1))).padStart(digits, '0')) : ''),
        };
      }
      case 'date': {
        const present = presence(key, spec.incidence, ids);
        const { earliest, latest, rate } = spec;
        // Fixed bounds give each person one date for good; a bound at the index date draws afresh per date.
        const perDate = earliest === 'index_date' || latest === 'index_date';
        const format = dateFormatter(spec.format);
        return {
          name,
          value(p, at) {
            if (!present(p, at.day)) return '';
            const low = earliest === 'index_date' ? at.day : earliest;
            const high = latest === 'index_date' ? at.day : latest;
            if (low > high) return '';
            const u = uniform3(key, ids[p]!, perDate ? at.day : VALUE);
            const span = high - low;
            const offset = rate === 'uniform' ? low + Math.floor(u * (span + 1)) : high - Math.floor(truncatedExponential(u) * span);
            return format(offset);
          },
        };
      }
    }
  });
}

/** Whether a person has a value at all: fixed per person, following a changing incidence. */
function presence(key: number, incidence: Incidence, ids: Int32Array): (p: number, day: number) => boolean {
  if (incidence.values.length === 1 && incidence.values[0] === 1) return () => true;
  const share = incidenceAt(incidence);
  return (p, day) => uniform3(key, ids[p]!, PRESENT) < share(day);
}

/** The incidence on a day: linear between the dated points, constant beyond them. */
export function incidenceAt({ days, values }: Incidence): (day: number) => number {
  if (values.length === 1) {
    const constant = values[0]!;
    return () => constant;
  }
  const cache = new Map<number, number>();
  return (day) => {
    let value = cache.get(day);
    if (value !== undefined) return value;
    if (day <= days[0]!) value = values[0]!;
    else if (day >= days[days.length - 1]!) value = values[values.length - 1]!;
    else {
      let i = 1;
      while (days[i]! < day) i++;
      const t = (day - days[i - 1]!) / (days[i]! - days[i - 1]!);
      value = values[i - 1]! + t * (values[i]! - values[i - 1]!);
    }
    cache.set(day, value);
    return value;
  };
}

function intDraw(int: IntDistribution, key: number, ids: Int32Array, birthYmd: Int32Array): (p: number, at: IndexDate) => number {
  switch (int.distribution) {
    case 'population_ages':
      return (p, at) => ageOn(birthYmd[p]!, at.ymd);
    case 'uniform':
      return (p) => int.min + Math.floor(uniform3(key, ids[p]!, VALUE) * (int.max - int.min + 1));
    case 'normal':
      // Box–Muller; truncated towards zero as cohort-extractor's astype(int) does.
      return (p) => {
        const u1 = 1 - uniform3(key, ids[p]!, VALUE);
        const u2 = uniform3(key, ids[p]!, SECOND);
        return Math.trunc(int.mean + int.stddev * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
      };
    case 'poisson':
      return (p) => poisson(int.mean, uniform3(key, ids[p]!, VALUE));
  }
}

/** Inverse-CDF Poisson draw from one uniform (a normal approximation for large means). */
function poisson(mean: number, u: number): number {
  if (mean > 500) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normalQuantile(u)));
  let k = 0;
  let term = Math.exp(-mean);
  let cumulative = term;
  while (u > cumulative && k < 10_000) {
    k++;
    term *= mean / k;
    cumulative += term;
  }
  return k;
}

/** The standard normal quantile (Abramowitz and Stegun 26.2.23), good enough for dummy counts. */
function normalQuantile(u: number): number {
  const x = Math.min(Math.max(u, 1e-12), 1 - 1e-12);
  const t = Math.sqrt(-2 * Math.log(x < 0.5 ? x : 1 - x));
  const z = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
  return x < 0.5 ? -z : z;
}

/** cohort-extractor's exponential_increase: dates crowd towards the latest (scale a tenth of the span). */
function truncatedExponential(u: number): number {
  return -0.1 * Math.log(1 - u * (1 - Math.exp(-10)));
}

function dateFormatter(format: DateFormat): (day: number) => string {
  const length = format.length;
  const cache = new Map<number, string>();
  return (day) => {
    let text = cache.get(day);
    if (text === undefined) cache.set(day, (text = isoDateOfDay(day).slice(0, length)));
    return text;
  };
}
