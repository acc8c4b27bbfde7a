// Runs one stage in a fresh process and prints its wall time and the process's peak RSS as JSON,
// so each figure is the stage's own (worker threads count towards the same RSS).

const [stage, optionsJson] = process.argv.slice(2);
const options = JSON.parse(optionsJson);
const modules = {
  join: ['../../dist/join/join-ethnicity.js', 'joinEthnicity'],
  measures: ['../../dist/measures/run-measures.js', 'runMeasures'],
};
const [path, name] = modules[stage];
const run = (await import(path))[name];
const started = performance.now();
const summary = await run({ ...options, progress: false });
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ ms, maxRssKiB: process.resourceUsage().maxRSS, rows: summary.rows }) + '\n');
