// Progress for long work on stderr: one line rewritten in place, only when stderr is a terminal,
// so logs and pipelines stay clean.

export interface ProgressOptions {
  /** What is being done, e.g. "join-ethnicity". */
  label: string;
  totalFiles: number;
  /** Where to draw; progress is shown only if it is a TTY. Default: process.stderr. */
  stream?: NodeJS.WriteStream;
  /** Minimum milliseconds between redraws. */
  interval?: number;
}

export interface Progress {
  /** Rows read so far across all files (monotonic), and files finished. */
  update(rows: number, filesDone: number): void;
  /** Clears the line. */
  stop(): void;
}

export function createProgress({ label, totalFiles, stream = process.stderr, interval = 200 }: ProgressOptions): Progress {
  if (!stream.isTTY) return { update() {}, stop() {} };
  const started = Date.now();
  let last = 0;
  let drawn = false;
  return {
    update(rows, filesDone) {
      const now = Date.now();
      if (now - last < interval && filesDone < totalFiles) return;
      last = now;
      const seconds = Math.max((now - started) / 1000, 1e-3);
      const rate = Math.round(rows / seconds);
      stream.write(`\r\x1b[K${label}: ${filesDone}/${totalFiles} files, ${formatCount(rows)} rows, ${formatCount(rate)} rows/s`);
      drawn = true;
    },
    stop() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}

/** 12345678 → "12,345,678". */
export function formatCount(n: number): string {
  // As toLocaleString('en-GB') writes it, without the ICU start-up that costs its first call 10 ms.
  const rounded = Math.round(n);
  if (!Number.isSafeInteger(rounded)) return rounded.toLocaleString('en-GB');
  const digits = String(Math.abs(rounded)).replace(/\B(?=(\d{3})+$)/g, ',');
  return rounded < 0 ? `-${digits}` : digits;
}

/** Milliseconds as "1.23 s" or "450 ms". */
export function formatDuration(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}
