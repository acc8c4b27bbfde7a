// npm run bench -- [patients per file] [months] [stages...]
// Generates (or reuses) study-shaped synthetic cohorts in .bench/ and prints, per stage, wall
// time, throughput and peak RSS, each the best of a few runs in a fresh process.

import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBenchData } from './bench/data.js';

const args = process.argv.slice(2);
const patients = Number(args[0] ?? 200_000);
const months = Number(args[1] ?? 25);
const stages = args.slice(2).length > 0 ? args.slice(2) : ['join', 'measures'];
const runs = Number(process.env.BENCH_RUNS ?? 3);
const root = fileURLToPath(new URL('../.bench/', import.meta.url));
const child = fileURLToPath(new URL('./bench/child.js', import.meta.url));

console.log(`bench: ${months} files x ${patients.toLocaleString('en-GB')} patients`);
let started = performance.now();
const data = ensureBenchData(root, patients, months);
console.log(`data: ${(data.bytes / 1e6).toFixed(0)} MB of cohort files in ${data.dir} (${((performance.now() - started) / 1000).toFixed(1)} s to prepare)`);

const joined = join(data.dir, 'joined');

function measure(stage, options) {
  let best = null;
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, [child, stage, JSON.stringify(options)], { encoding: 'utf8' });
    const result = JSON.parse(out.trim().split('\n').pop());
    if (best === null || result.ms < best.ms) best = { ...result, maxRssKiB: Math.max(result.maxRssKiB, best?.maxRssKiB ?? 0) };
    else best.maxRssKiB = Math.max(best.maxRssKiB, result.maxRssKiB);
  }
  return best;
}

function report(stage, result, bytes) {
  const seconds = result.ms / 1000;
  console.log(
    `${stage.padEnd(9)} ${seconds.toFixed(2)} s wall (best of ${runs}), ${(bytes / 1e6 / seconds).toFixed(0)} MB/s, ` +
      `${(result.rows / seconds / 1e6).toFixed(1)} M rows/s, peak RSS ${(result.maxRssKiB / 1024).toFixed(0)} MiB`,
  );
}

if (stages.includes('join')) {
  rmSync(joined, { recursive: true, force: true });
  const result = measure('join', { cohort: data.cohortGlob, ethnicity: data.ethnicity, outputDir: joined });
  report('join', result, data.bytes);
}

if (stages.includes('measures')) {
  started = performance.now();
  execFileSync(process.execPath, [child, 'join', JSON.stringify({ cohort: data.cohortGlob, ethnicity: data.ethnicity, outputDir: joined })]);
  const definitions = fileURLToPath(new URL('../analysis/measures.json', import.meta.url));
  const result = measure('measures', { definitions, cohort: join(joined, 'input_*.csv'), outputDir: join(data.dir, 'measures') });
  // Throughput over the joined files it reads (the cohort files plus the ethnicity column).
  const joinedBytes = readdirSync(joined).filter((n) => n.endsWith('.csv')).reduce((sum, n) => sum + statSync(join(joined, n)).size, 0);
  report('measures', result, joinedBytes);
}
