// Runs one job in a fresh process and prints its wall time, CPU time and peak RSS as JSON,
// so each figure is the job's own (worker threads count towards the same RSS).

const [job, optionsJson] = process.argv.slice(2);
const options = JSON.parse(optionsJson);
const jobs = {
  join: ['../../dist/join/join-ethnicity.js', 'joinEthnicity'],
  measures: ['../../dist/measures/run-measures.js', 'runMeasures'],
  describe: ['../../dist/describe/describe.js', 'runDescribe'],
  'duckdb-join': ['./duckdb.js', 'duckdbJoin'],
  'duckdb-measures': ['./duckdb.js', 'duckdbMeasures'],
  read: ['./floors.js', 'plainRead'],
  copy: ['./floors.js', 'plainCopy'],
  parse: ['./parse.js', 'parseRows'],
};
const [path, name] = jobs[job];
const run = (await import(path))[name];
const started = performance.now();
const cpuBefore = process.cpuUsage();
const summary = await run({ ...options, progress: false });
const ms = performance.now() - started;
// CPU time of every thread of the process (workers, DuckDB's threads): what a busy machine does not inflate.
const cpu = process.cpuUsage(cpuBefore);
const cpuMs = (cpu.user + cpu.system) / 1000;
process.stdout.write(JSON.stringify({ ms, cpuMs, maxRssKiB: process.resourceUsage().maxRSS, rows: summary.rows ?? summary.cohortFiles, summary }) + '\n');
