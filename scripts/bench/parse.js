// Parse-only figures on one file held in memory, one thread: what reading the rows costs in our
// reader (every field located, or only the measures' columns), in papaparse, and in the measures'
// count paths, JavaScript and compiled (rows read and counted). Median of a few passes after one
// to warm up; each pass is fed 1 MiB chunks. CPU time of the process, so a busy machine counts less than in wall time.

import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { CsvReader } from '../../dist/csv/reader.js';
import { FileCounter } from '../../dist/measures/file-counter.js';
import { countReader } from '../../dist/measures/count-file.js';
import { CountRows } from '../../dist/measures/count-rows.js';
import { compiledPaths } from '../../dist/csv/compiled.js';
import { planMeasures } from '../../dist/measures/plan.js';
import { loadDefinitions } from '../../dist/measures/load-definitions.js';

const CHUNK = 1 << 20;

function feed(reader, bytes) {
  for (let at = 0; at < bytes.length; at += CHUNK) reader.push(bytes.subarray(at, Math.min(bytes.length, at + CHUNK)));
  const rows = reader.end().rows;
  reader.release();
  return rows;
}

export async function parseRows({ file, definitions, passes = 5 }) {
  const bytes = readFileSync(file);
  const { measures } = await loadDefinitions(definitions);
  const plan = planMeasures(measures);
  const readers = {
    'our reader, every field': () => feed(new CsvReader(file, { header() {}, row() {} }, CHUNK), bytes),
    'our reader, measures columns': () =>
      feed(
        new CsvReader(file, { header: (names, _row, _bom, control) => control.readOnly([...plan.groupColumns, ...plan.countColumns].map((c) => names.indexOf(c))), row() {} }, CHUNK),
        bytes,
      ),
    'JavaScript count path (12 measures)': () => {
      const counter = new FileCounter(plan, file);
      const reader = countReader(file, measures, plan, counter, CHUNK);
      for (let at = 0; at < bytes.length; at += CHUNK) reader.push(bytes.subarray(at, Math.min(bytes.length, at + CHUNK)));
      reader.end();
      reader.release();
      return counter.result().rows;
    },
    ...(compiledPaths() !== null
      ? {
          'compiled count path (12 measures)': () => {
            const rows = new CountRows(file, measures, plan, new FileCounter(plan, file), true);
            feed(new CsvReader(file, rows, CHUNK), bytes);
            return rows.result().rows;
          },
        }
      : {}),
    'papaparse (string in, rows out)': () => {
      let rows = -1;
      Papa.parse(bytes.toString('utf8'), { step: () => rows++ });
      return rows;
    },
  };
  const results = [];
  for (const [name, read] of Object.entries(readers)) {
    const times = [];
    let rows = read(); // a pass to warm up: the figures are of optimised code
    for (let pass = 0; pass < passes; pass++) {
      const started = process.cpuUsage();
      rows = read();
      const used = process.cpuUsage(started);
      times.push((used.user + used.system) / 1000);
    }
    times.sort((a, b) => a - b);
    results.push({ name, ms: times[Math.floor(times.length / 2)], rows, bytes: bytes.length });
  }
  return results;
}
