// Running statistics of a numeric column: count, mean and variance (Welford's method, weighted
// so that a value seen n times is added once), the smallest and largest value (for the dominance
// rule only: never released), and the distribution for quartiles: exact value counts while there
// are few distinct values, a ValueSketch once there are many.

import { ValueSketch } from './value-sketch.js';

/** Distinct values counted exactly before switching to the sketch. */
export const MAX_EXACT_VALUES = 10_000;

/** A numeric column's summary, as sent from a worker (plain data). */
export interface NumericData {
  count: number;
  mean: number;
  /** Sum of squared deviations from the mean. */
  m2: number;
  /** Extremes, for the dominance rule; never released. */
  min: number;
  max: number;
  /** [value, patients] in increasing value: exact values, or sketch buckets when `exact` is false. */
  distribution: Array<[number, number]>;
  exact: boolean;
}

export class NumericAccumulator {
  private count = 0;
  private mean = 0;
  private m2 = 0;
  private min = Infinity;
  private max = -Infinity;
  private exact: Map<number, number> | null = new Map();
  private sketch: ValueSketch | null = null;

  add(value: number, weight = 1): void {
    this.count += weight;
    const delta = value - this.mean;
    this.mean += (delta * weight) / this.count;
    this.m2 += weight * delta * (value - this.mean);
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    if (this.exact !== null) {
      this.exact.set(value, (this.exact.get(value) ?? 0) + weight);
      if (this.exact.size > MAX_EXACT_VALUES) this.switchToSketch();
    } else this.sketch!.add(value, weight);
  }

  toData(): NumericData {
    const distribution = this.exact !== null ? [...this.exact].sort((a, b) => a[0] - b[0]) : this.sketch!.distribution();
    return { count: this.count, mean: this.mean, m2: this.m2, min: this.min, max: this.max, distribution, exact: this.exact !== null };
  }

  private switchToSketch(): void {
    const sketch = new ValueSketch();
    for (const [value, weight] of this.exact!) sketch.add(value, weight);
    this.sketch = sketch;
    this.exact = null;
  }
}
