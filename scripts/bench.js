// npm run bench -- [patients per file] [months] [stages...]
// Stages: join, measures, describe, parse, m54 (default: all). Generates (or reuses) study-shaped
// synthetic cohorts in .bench/, then runs each job in a fresh process, our stage interleaved with
// its peer (DuckDB) and its floor (a plain read, a plain copy with fsync), so a busy machine slows
// all alike; prints medians, peak RSS and the ratios the goals are stated in, then a Markdown table.

import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBenchData, ensureDefinitions12, ensureDefinitions54 } from './bench/data.js';

const args = process.argv.slice(2);
const patients = Number(args[0] ?? 200_000);
const months = Number(args[1] ?? 25);
const STAGES = ['join', 'measures', 'describe', 'parse', 'm54'];
const stages = args.slice(2).length > 0 ? args.slice(2) : STAGES;
const runs = Number(process.env.BENCH_RUNS ?? 3);
const root = fileURLToPath(new URL('../.bench/', import.meta.url));
const child = fileURLToPath(new URL('./bench/child.js', import.meta.url));
const definitions12 = ensureDefinitions12(root);
const table = [];
/** Without the compiled paths (ANALYSE_NATIVE=0): how the JavaScript ones compare, where no compiler was at hand. */
const JS_ONLY = { ANALYSE_NATIVE: '0' };

const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
console.log(`bench: ${runs} runs of each job, interleaved; medians. Load average (1, 5, 15 min) at start: ${load()}`);

function runJob(job, options, env = {}) {
  const out = execFileSync(process.execPath, [child, job, JSON.stringify(options)], { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, ...env } });
  return JSON.parse(out.trim().split('\n').pop());
}

/** Runs the jobs round-robin `runs` times; per job the median wall time and the largest peak RSS. */
function compare(jobs, before = () => {}) {
  const samples = jobs.map(() => []);
  for (let run = 0; run < runs; run++) {
    jobs.forEach((job, j) => {
      before(job);
      samples[j].push(runJob(job.job, typeof job.options === 'function' ? job.options(run) : job.options, job.env));
    });
  }
  return jobs.map((job, j) => {
    const ms = samples[j].map((s) => s.ms).sort((a, b) => a - b);
    const cpuMs = samples[j].map((s) => s.cpuMs).sort((a, b) => a - b);
    return {
      label: job.label,
      ms: ms[Math.floor(ms.length / 2)],
      all: ms,
      cpuMs: cpuMs[Math.floor(cpuMs.length / 2)],
      maxRssKiB: Math.max(...samples[j].map((s) => s.maxRssKiB)),
      rows: samples[j][0].rows,
    };
  });
}

function line(result, note = '') {
  const seconds = (result.ms / 1000).toFixed(2).padStart(6);
  const spread = result.all.map((ms) => (ms / 1000).toFixed(2)).join(' ');
  const cpu = (result.cpuMs / 1000).toFixed(2).padStart(6);
  console.log(`  ${result.label.padEnd(22)} ${seconds} s  (${spread})  CPU ${cpu} s  peak ${String(Math.round(result.maxRssKiB / 1024)).padStart(4)} MiB  ${note}`);
}

/** The goal is on wall time; the ratio of CPU times is printed beside it, as a busy machine inflates it less. */
function ratio(name, ours, other, goal) {
  const value = ours.ms / other.ms;
  const cpu = ours.cpuMs / other.cpuMs;
  const verdict = value <= goal ? 'met' : 'MISSED';
  console.log(`  ${name}: ${value.toFixed(2)} (goal <= ${goal}: ${verdict}); CPU time ${cpu.toFixed(2)}`);
  table.push({ name, value, cpu, goal, verdict });
  return value;
}

function folderBytes(dir) {
  return readdirSync(dir).filter((n) => n.endsWith('.csv')).reduce((sum, n) => sum + statSync(join(dir, n)).size, 0);
}

const data = ensureBenchData(root, patients, months);
const joined = join(data.dir, 'joined');
const scratch = join(data.dir, 'scratch');
const measuresOut = join(data.dir, 'measures');
console.log(`data: ${data.files} files x ${patients.toLocaleString('en-GB')} patients, ${(data.bytes / 1e6).toFixed(0)} MB, in ${data.dir}`);
const ensureJoined = () => {
  rmSync(joined, { recursive: true, force: true });
  runJob('join', { cohort: data.cohortGlob, ethnicity: data.ethnicity, outputDir: joined });
};

if (stages.includes('join')) {
  console.log(`join-ethnicity (${data.files} files)`);
  const [ours, duck, copy, js] = compare(
    [
      { label: 'analyse join-ethnicity', job: 'join', options: { cohort: data.cohortGlob, ethnicity: data.ethnicity, outputDir: join(scratch, 'join') } },
      { label: 'DuckDB', job: 'duckdb-join', options: { cohort: data.cohortGlob, ethnicity: data.ethnicity, outputDir: join(scratch, 'duckdb') } },
      { label: 'copy + fsync per file', job: 'copy', options: { cohort: data.cohortGlob, outputDir: join(scratch, 'copy') } },
      { label: '  JavaScript path only', job: 'join', options: { cohort: data.cohortGlob, ethnicity: data.ethnicity, outputDir: join(scratch, 'join') }, env: JS_ONLY },
    ],
    () => rmSync(scratch, { recursive: true, force: true }),
  );
  [ours, duck, copy, js].forEach((r) => line(r));
  ratio('join / DuckDB', ours, duck, 0.25);
  ratio('join / copy + fsync', ours, copy, 1.5);
  rmSync(scratch, { recursive: true, force: true });
}

let measuresResult = null;
if (stages.includes('measures') || stages.includes('describe')) ensureJoined();
const joinedGlob = join(joined, 'input_*.csv');

if (stages.includes('measures')) {
  console.log(`measures (12 measures over the ${data.files} joined files, ${(folderBytes(joined) / 1e6).toFixed(0)} MB)`);
  // Each run writes its 312 files into a folder of its own, as a pipeline's first run does; the
  // folders go at the end. Rewriting the same folder run after run measures something else on a
  // file system without a journal: ext4 then skips every inode freed in the last minutes when it
  // makes a file, so each new file costs more the more files were just replaced (the last row).
  const runsDir = join(data.dir, 'measures-runs');
  const fresh = (name) => (run) => ({ definitions: definitions12, cohort: joinedGlob, outputDir: join(runsDir, `${name}-${run}`) });
  rmSync(runsDir, { recursive: true, force: true });
  const [ours, duck, read, js, again] = compare([
    { label: 'analyse measures', job: 'measures', options: fresh('ours') },
    { label: 'DuckDB', job: 'duckdb-measures', options: { definitions: JSON.parse(readFileSync(definitions12, 'utf8')), cohort: joinedGlob } },
    { label: 'plain read (readFile)', job: 'read', options: { cohort: joinedGlob } },
    { label: '  JavaScript path only', job: 'measures', options: fresh('js'), env: JS_ONLY },
    { label: '  rerun, same folder', job: 'measures', options: { definitions: definitions12, cohort: joinedGlob, outputDir: measuresOut } },
  ]);
  [ours, duck, read, js, again].forEach((r) => line(r));
  ratio('measures / DuckDB', ours, duck, 0.5);
  ratio('measures / plain read', ours, read, 2.5);
  rmSync(runsDir, { recursive: true, force: true });
  measuresResult = ours;
}

if (stages.includes('describe')) {
  console.log('describe (tables of the joined files, and one chart)');
  runJob('measures', { definitions: definitions12, cohort: joinedGlob, outputDir: measuresOut });
  const describeOptions = { cohort: joinedGlob, tablesDir: join(scratch, 'tables'), measures: join(measuresOut, 'measure_ad_prescribing_rate_all.csv'), graphsDir: join(scratch, 'graphs') };
  const jobs = [
    { label: 'analyse describe', job: 'describe', options: describeOptions },
    { label: '  JavaScript path only', job: 'describe', options: describeOptions, env: JS_ONLY },
  ];
  if (measuresResult === null) jobs.push({ label: 'analyse measures', job: 'measures', options: { definitions: definitions12, cohort: joinedGlob, outputDir: measuresOut } });
  const [ours, js, measures = measuresResult] = compare(jobs);
  line(ours);
  line(js);
  if (jobs.length > 2) line(measures);
  ratio('describe / measures', ours, measures, 2);
  rmSync(scratch, { recursive: true, force: true });
}

if (stages.includes('parse')) {
  if (!existsSync(joined)) ensureJoined();
  const file = join(joined, readdirSync(joined).filter((n) => n.endsWith('.csv')).sort()[0]);
  const results = runJob('parse', { file, definitions: definitions12 }).summary;
  console.log(`parse only: one joined file (${(results[0].bytes / 1e6).toFixed(1)} MB, ${results[0].rows.toLocaleString('en-GB')} rows) in memory, one thread, CPU time (median of 5)`);
  for (const r of results) console.log(`  ${r.name.padEnd(34)} ${r.ms.toFixed(1).padStart(7)} ms  ${(r.bytes / 1e3 / r.ms).toFixed(0).padStart(5)} MB/s  ${(r.rows / 1e3 / r.ms).toFixed(1).padStart(5)} M rows/s`);
}

if (stages.includes('m54')) {
  const big = ensureBenchData(root, 1_000_000, 11);
  const definitions54 = ensureDefinitions54(root);
  console.log(`54 measures over ${big.files} files x 1,000,000 patients (${(big.bytes / 1e6).toFixed(0)} MB)`);
  const [ours, duck, js] = compare([
    { label: 'analyse measures', job: 'measures', options: { definitions: definitions54, cohort: big.cohortGlob, outputDir: join(big.dir, 'measures54') } },
    { label: 'DuckDB', job: 'duckdb-measures', options: { definitions: JSON.parse(readFileSync(definitions54, 'utf8')), cohort: big.cohortGlob } },
    { label: '  JavaScript path only', job: 'measures', options: { definitions: definitions54, cohort: big.cohortGlob, outputDir: join(big.dir, 'measures54') }, env: JS_ONLY },
  ]);
  [ours, duck, js].forEach((r) => line(r));
  ratio('54 measures / DuckDB', ours, duck, 0.5);
}

console.log(`\nLoad average at the end: ${load()}\n`);
console.log('| ratio (medians) | wall time | goal | | CPU time |');
console.log('|---|---|---|---|---|');
for (const r of table) console.log(`| ${r.name} | ${r.value.toFixed(2)} | <= ${r.goal} | ${r.verdict} | ${r.cpu.toFixed(2)} |`);
