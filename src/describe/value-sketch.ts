// A bounded summary of many distinct numbers for quartiles: values fall into buckets whose
// bounds grow by a fixed ratio (as in DDSketch), so any quantile is known to within 1% of its
// value, and memory depends on the range of the values, never on how many there are.

/** A quantile read from the sketch is within this fraction of a true value. */
export const RELATIVE_ACCURACY = 0.01;

const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);
/** Magnitudes below this count as zero; above the largest they share the top bucket. */
const SMALLEST = 1e-9;
const MIN_INDEX = Math.ceil(Math.log(SMALLEST) / LOG_GAMMA);
const MAX_INDEX = Math.ceil(Math.log(1e15) / LOG_GAMMA);

export class ValueSketch {
  private readonly positive = new Map<number, number>();
  private readonly negative = new Map<number, number>();
  private zeros = 0;

  add(value: number, count = 1): void {
    const magnitude = Math.abs(value);
    if (magnitude < SMALLEST) {
      this.zeros += count;
      return;
    }
    const index = Math.min(MAX_INDEX, Math.max(MIN_INDEX, Math.ceil(Math.log(magnitude) / LOG_GAMMA)));
    const store = value > 0 ? this.positive : this.negative;
    store.set(index, (store.get(index) ?? 0) + count);
  }

  /** Buckets as [representative value, count], in increasing value. */
  distribution(): Array<[number, number]> {
    const negative = [...this.negative].sort((a, b) => b[0] - a[0]).map(([i, n]): [number, number] => [-representative(i), n]);
    const positive = [...this.positive].sort((a, b) => a[0] - b[0]).map(([i, n]): [number, number] => [representative(i), n]);
    return [...negative, ...(this.zeros > 0 ? [[0, this.zeros] as [number, number]] : []), ...positive];
  }
}

/** The value a bucket stands for: within RELATIVE_ACCURACY of everything in it. */
function representative(index: number): number {
  return (2 * GAMMA ** index) / (GAMMA + 1);
}
