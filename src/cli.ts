// The only module that knows commander: parses arguments, calls a stage, prints its summary,
// and maps errors to exit codes (2 for anything the user can fix, 1 for a failure of the machine
// or a bug; 130/143 when stopped by a signal).

import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { isMachineError, isUserError } from './errors.js';
import { forgetCreatedFolders } from './io/folders.js';
import { asMachineError } from './io/fs-errors.js';
import { installSignalHandlers, runCleanups, whenStopped } from './io/interrupt.js';
import { formatCount, formatDuration } from './progress.js';

export const EXIT_OK = 0;
export const EXIT_BUG = 1;
/** No space left, permission denied, too many open files: one line, no stack. */
export const EXIT_MACHINE = 1;
export const EXIT_USAGE = 2;
/** `run`: an action failed, or an output was excluded from release. */
export const EXIT_RUN_FAILED = 1;
/** `check`: a file cannot be released as it is. */
export const EXIT_NOT_RELEASABLE = 1;

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

const processIO: CliIO = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Runs the CLI on `argv` (as process.argv: node, script, args...) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  if (io === processIO) {
    endQuietlyWhenOutputIsClosed();
    installSignalHandlers({ onSignal: (signal) => io.err(`analyse: stopped by ${signal}; removing temporary files\n`) });
  }
  // A command that ran but did not fully succeed (`run` with a failed action) sets this.
  const status = { exitCode: EXIT_OK };
  const program = buildProgram(io, status);
  forgetCreatedFolders();
  try {
    await program.parseAsync([...argv]);
    forgetCreatedFolders();
    return status.exitCode;
  } catch (error) {
    // Stopped by a signal: the handler removes what the command made and ends the process.
    const stopped = whenStopped();
    if (stopped !== null) return stopped;
    // Temporaries, locks and folders the command made; its own outputs are whole or untouched.
    runCleanups();
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: CliIO): number {
  if (error instanceof CommanderError) {
    // Help and version are "errors" to commander; usage mistakes were already printed by it.
    return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  }
  if (isUserError(error)) {
    io.err(`analyse: error: ${error.message}\n`);
    return EXIT_USAGE;
  }
  const machine = isMachineError(error) ? error : asMachineError(error);
  if (machine !== null) {
    io.err(`analyse: error: ${machine.message}\n`);
    return EXIT_MACHINE;
  }
  io.err(`analyse: internal error (a bug; please report it with the command you ran):\n${(error as Error)?.stack ?? String(error)}\n`);
  return EXIT_BUG;
}

/** `analyse --help | head` closes our stdout early: that is the reader's choice, not an error. */
function endQuietlyWhenOutputIsClosed(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT_OK);
      throw error;
    });
  }
}

function buildProgram(io: CliIO, status: { exitCode: number }): Command {
  const program = new Command('analyse')
    .description('Disclosure-safe analysis of monthly patient-level cohort CSVs for OpenSAFELY-style studies.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({
      writeOut: io.out,
      writeErr: io.err,
      outputError: (text, write) => write(`analyse: ${withGlobHint(text)}`),
    })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Exit codes: 0 success; 2 a problem with the input or the command line (the message says
which file, line and column); 1 a failure of the machine (no space left, permission denied:
the message names the path) or an internal error; 130 or 143 stopped by Ctrl-C or SIGTERM
(temporary files removed, outputs as they were or complete).

Run "analyse <command> --help" for a command's options and an example.`,
    );

  program
    .command('join-ethnicity')
    .description(
      'Left-join columns of the ethnicity file onto every cohort file by patient key. Each file is rewritten ' +
        'atomically (in place, or into --output-dir); every row is kept in order with its fields unchanged. ' +
        'Running it twice gives the same bytes as running it once.',
    )
    .requiredOption('--cohort <glob>', 'cohort files to join onto (.csv or .csv.gz), e.g. "output/inputs/input_*.csv"')
    .requiredOption('--ethnicity <file>', 'the file holding the key and the columns to join')
    .option('--key <column>', 'key column in both files (compared as text)', 'patient_id')
    .option('--columns <names>', 'comma-separated columns of the ethnicity file to join', 'ethnicity')
    .option('--output-dir <dir>', 'write joined files here under the same names (default: replace in place)')
    .addOption(jobsOption())
    .addHelpText('after', '\nExample:\n  analyse join-ethnicity --cohort "output/inputs/input_*.csv" --ethnicity output/inputs/input_ethnicity.csv')
    .action(async (opts: { cohort: string; ethnicity: string; key: string; columns: string; outputDir?: string; jobs?: number }) => {
      const { joinEthnicity } = await import('./join/join-ethnicity.js');
      const summary = await joinEthnicity({
        cohort: opts.cohort,
        ethnicity: opts.ethnicity,
        key: opts.key,
        columns: opts.columns.split(',').map((c) => c.trim()),
        outputDir: opts.outputDir,
        jobs: opts.jobs,
      });
      for (const file of summary.files) {
        io.out(`${file.output}: ${formatCount(file.rows)} rows, ${formatCount(file.matched)} matched (${percent(file.matched, file.rows)})\n`);
      }
      const where = summary.inPlace ? 'in place' : `into ${opts.outputDir}`;
      io.out(
        `join-ethnicity: ${summary.files.length} files, ${formatCount(summary.rows)} rows, ${percent(summary.matched, summary.rows)} matched ` +
          `(${formatCount(summary.ethnicityKeys)} keys in ${opts.ethnicity}), written ${where} in ${formatDuration(summary.elapsedMs)}\n`,
      );
    });

  program
    .command('measures')
    .description(
      'Compute measures (numerator / denominator per group) for every dated cohort file, with disclosure ' +
        'control, writing measure_<id>_<date>.csv per date and measure_<id>.csv for all dates (or, with ' +
        '--format ehrql, one measures.csv as ehrQL writes it). Nothing is written unless every file is read without error; ' +
        'measure files of an earlier run that this run does not write again are then removed.',
    )
    .requiredOption('--definitions <file.json>', 'the measures to compute (see analysis/measures.schema.json)')
    .requiredOption('--cohort <glob>', 'cohort files (.csv or .csv.gz) named <anything>_YYYY-MM-DD.csv, e.g. "output/inputs/input_*.csv"')
    .requiredOption('--output-dir <dir>', 'folder for the measure files (created if needed)')
    .addOption(
      new Option('--format <format>', "cohort-extractor: measure_<id>_<date>.csv and measure_<id>.csv; ehrql: one measures.csv, as ehrQL's generate-measures writes it")
        .choices(['cohort-extractor', 'ehrql'])
        .default('cohort-extractor'),
    )
    .option('--combined-only', 'cohort-extractor format: write only the combined measure_<id>.csv files, not the per-date ones')
    .addOption(jobsOption())
    .addHelpText(
      'after',
      '\nExample:\n  analyse measures --definitions analysis/measures.json --cohort "output/inputs/input_*.csv" --output-dir output/measures' +
        '\n  analyse measures --definitions analysis/measures.json --cohort "output/inputs/input_*.csv" --output-dir output/measures --combined-only' +
        '\n  analyse measures --definitions analysis/measures.json --cohort "output/inputs/input_*.csv" --output-dir output/ehrql --format ehrql',
    )
    .action(async (opts: { definitions: string; cohort: string; outputDir: string; format: 'cohort-extractor' | 'ehrql'; combinedOnly?: boolean; jobs?: number }) => {
      const { runMeasures } = await import('./measures/run-measures.js');
      const summary = await runMeasures({
        definitions: opts.definitions,
        cohort: opts.cohort,
        outputDir: opts.outputDir,
        format: opts.format,
        combinedOnly: opts.combinedOnly === true,
        jobs: opts.jobs,
      });
      for (const warning of summary.warnings) io.err(`analyse: warning: ${warning}\n`);
      for (const file of summary.files) io.out(`${file.path} (${file.date}): ${formatCount(file.rows)} ${file.rows === 1 ? 'row' : 'rows'}\n`);
      for (const path of summary.removed) io.out(`${path}: removed, no longer written by these definitions\n`);
      for (const path of summary.skipped) io.out(`${path}: skipped, no date in its name (<anything>_YYYY-MM-DD.csv), so not a monthly cohort file\n`);
      for (const { id, groups, minGroupSize } of summary.leftOut) {
        io.out(`${id}: ${plural(groups, 'group')} left out of every file, shared by fewer than ${minGroupSize} cohort rows on every date (min_group_size)\n`);
      }
      if (summary.removed.length > 0) {
        const shown = summary.removed.slice(0, 5).join(', ') + (summary.removed.length > 5 ? ` and ${summary.removed.length - 5} more` : '');
        io.out(`removed ${plural(summary.removed.length, 'measure file')} of an earlier run, not written again: ${shown}\n`);
      }
      io.out(
        `measures: ${plural(summary.files.length, 'cohort file')}, ${formatCount(summary.rows)} rows, ${plural(summary.measures, 'measure')}, ` +
          `${plural(summary.written.length, 'file')} written to ${opts.outputDir}` +
          `${summary.removed.length > 0 ? ` (${plural(summary.removed.length, 'file')} of measures no longer defined removed)` : ''} in ${formatDuration(summary.elapsedMs)}\n`,
      );
    });

  program
    .command('describe')
    .description(
      'Disclosure-safe descriptive statistics of every dated cohort file (counts rounded, small counts blanked; --cohort with --tables-dir), ' +
        'and a self-contained line chart per measure, plus dashboard.html holding them all (--measures with --graphs-dir); either pair, or both.',
    )
    .option('--cohort <glob>', 'cohort files to describe (those named <anything>_YYYY-MM-DD.csv[.gz]), e.g. "output/inputs/input_*.csv"; with --tables-dir')
    .option('--tables-dir <dir>', 'where to write descriptive_statistics_<stem>.csv and descriptive_statistics_summary.csv')
    .option('--measures <glob>', 'measure files to chart (combined measure_<id>.csv files, or an ehrQL measures.csv), e.g. "output/measures/measure_*.csv"; with --graphs-dir')
    .option('--graphs-dir <dir>', 'where to write <id>.html, <id>.vl.json, <id>.svg and dashboard.html')
    .option('--config <file.json>', 'column types, summary variables, chart titles and dashboard layout (see README)')
    .option('--not-for-release', 'chart measure files whose counts were not disclosure-controlled (refused otherwise), marking every page, spec and SVG NOT FOR RELEASE')
    .addOption(jobsOption())
    .addHelpText(
      'after',
      '\nExamples:\n  analyse describe --cohort "output/inputs/input_*.csv" --measures "output/measures/measure_*.csv" \\\n' +
        '    --tables-dir output/describe/tables --graphs-dir output/describe/graphs --config analysis/describe.json\n' +
        '  analyse describe --cohort "output/inputs/input_*.csv" --tables-dir output/describe/tables\n' +
        '  analyse describe --measures output/ehrql/measures.csv --graphs-dir output/describe/graphs',
    )
    .action(async (opts: { cohort?: string; measures?: string; tablesDir?: string; graphsDir?: string; config?: string; jobs?: number; notForRelease?: boolean }) => {
      const { runDescribe } = await import('./describe/describe.js');
      const summary = await runDescribe({ ...opts });
      for (const warning of summary.warnings) io.err(`analyse: warning: ${warning}\n`);
      const done: string[] = [];
      if (opts.tablesDir !== undefined) {
        const types = summary.variables.map((v) => `${v.name} (${v.type})`).join(', ');
        io.out(`described ${summary.variables.length} variables: ${types}\n`);
        done.push(`${plural(summary.cohortFiles, 'cohort file')} -> ${plural(summary.tables.length, 'table')} in ${opts.tablesDir}`);
      }
      if (opts.graphsDir !== undefined) done.push(`${plural(summary.charts, 'chart')} -> ${plural(summary.graphs.length, 'file')} in ${opts.graphsDir}`);
      io.out(`describe: ${done.join('; ')}, in ${formatDuration(summary.elapsedMs)}\n`);
    });

  program
    .command('check')
    .description(
      'Check files, or every file under folders, as an output checker would before release: file types and sizes, ' +
        'patient_id columns and row limits, counts that break the disclosure rule in measure files and descriptive ' +
        'statistics tables, and pages that load anything or run script (problems); small numbers, identifier-like ' +
        'columns and spreadsheet formulas in other CSVs (warnings).',
    )
    .argument('<paths...>', 'files or folders to check')
    .addOption(new Option('--rule <rule>', 'the rule counts must fit').choices(['round', 'midpoint6']).default('round'))
    .option('--json', 'print one JSON object instead of lines')
    .option('--output <file>', 'also write the report to this file (written whole, releasable or not), for a pipeline action')
    .addHelpText(
      'after',
      '\nExit codes: 0 every file is releasable; 1 a problem was found; 2 a path does not exist.\n\nExamples:\n' +
        '  analyse check output/measures output/graphs --rule midpoint6\n' +
        '  analyse check output/measures --json --output output/release_check.json',
    )
    .action(async (paths: string[], opts: { rule: 'round' | 'midpoint6'; json?: boolean; output?: string }) => {
      const { checkPaths, formatReport, reportJson } = await import('./release/check/check-paths.js');
      const report = await checkPaths(paths, { rule: opts.rule });
      const text = opts.json ? reportJson(report) : formatReport(report);
      if (opts.output !== undefined) {
        const { writeFileAtomic } = await import('./io/atomic-file.js');
        await writeFileAtomic(opts.output, text);
      }
      io.out(text);
      if (report.problems > 0) status.exitCode = EXIT_NOT_RELEASABLE;
    });

  program
    .command('generate-dummy')
    .description(
      'Write dummy cohort files from a schema (analysis/*.json), drawn from one simulated population of people aged 65+ ' +
        'followed over time (stable ids; people age, move into care homes, die, register), so that files of different ' +
        'dates and schemas join. The same arguments give the same bytes.',
    )
    .requiredOption('--schema <file.json>', 'the schema: columns and their expected values, e.g. analysis/dummy_study.json')
    .requiredOption('--output-dir <dir>', 'folder for input<suffix>_<date>.csv files (created if missing)')
    .option('--index-date-range <range>', 'e.g. "2019-03-01 to 2021-03-01 by month" (or "by week", or one date); without it one file for the schema\'s index_date')
    .option('--population <n>', "people in the simulated population on any date (default: project.yaml's expectations.population_size, else 1000)", positiveInteger)
    .option('--seed <n>', 'seed of the simulation (default 1)', nonNegativeInteger)
    .addHelpText('after', '\nExample:\n  analyse generate-dummy --schema analysis/dummy_study.json --output-dir output/inputs --index-date-range "2019-03-01 to 2021-03-01 by month"')
    .action(async (opts: { schema: string; outputDir: string; indexDateRange?: string; population?: number; seed?: number }) => {
      const { generateDummy } = await import('./dummy/generate-dummy.js');
      const summary = await generateDummy(opts);
      for (const warning of summary.warnings) io.err(`analyse: warning: ${warning}\n`);
      for (const file of summary.files) io.out(`${file.path}: ${formatCount(file.rows)} rows\n`);
      const from = { option: '--population', project: 'project.yaml', default: 'default' }[summary.populationFrom];
      const shared = summary.sharedWithFirst === null ? '' : `; ${percent(summary.sharedWithFirst, 1)} of the last file's patients are in the first`;
      io.out(
        `generate-dummy: ${summary.files.length} file${summary.files.length === 1 ? '' : 's'}, ${formatCount(summary.rows)} rows from a population of ` +
          `${formatCount(summary.population)} (${from}; ${formatCount(summary.simulatedPeople)} people simulated over 2010-2034, seed ${summary.seed})` +
          `${shared}, in ${formatDuration(summary.elapsedMs)}\n`,
      );
    });

  program
    .command('run')
    .description(
      "Run actions of project.yaml, and what they need, each as its own process in the project's folder, logging " +
        'to metadata/<action>.log. Dependencies that succeeded before and whose outputs exist are not run again. ' +
        'After each action its declared outputs are checked as the OpenSAFELY job runner checks them.',
    )
    .argument('[actions...]', 'actions to run (with the actions they need)')
    .option('--all', 'run every action')
    .option('--project <file>', 'the project file', 'project.yaml')
    .option('--force-run-dependencies', 'run the actions needed again even when they are up to date')
    .addHelpText('after', '\nExit codes: 0 every action succeeded; 1 an action failed or an output was excluded from release;\n2 project.yaml is invalid or names no such action (nothing run).\n\nExample:\n  analyse run --all\n  analyse run join_ethnicity --force-run-dependencies')
    .action(async (actions: string[], opts: { all?: boolean; project: string; forceRunDependencies?: boolean }) => {
      const { runPipeline } = await import('./pipeline/run-pipeline.js');
      const { formatEnd, formatStart, formatSummary, formatTail } = await import('./pipeline/summary.js');
      const summary = await runPipeline({
        project: opts.project,
        actions,
        all: opts.all,
        forceRunDependencies: opts.forceRunDependencies,
        onStart: (action, reason, index, total) => io.out(formatStart(action, reason, index, total)),
        onEnd: (result, index, total) => {
          io.out(formatEnd(result, index, total));
          if (result.status === 'failed' || result.status === 'killed') io.err(formatTail(result));
        },
      });
      io.out(formatSummary(summary));
      if (!summary.ok) status.exitCode = EXIT_RUN_FAILED;
    });

  for (const command of program.commands) reportUnknownOptionsFirst(command);
  return program;
}

/**
 * Commander checks for missing required options before unknown ones, so a misspelt
 * `--definition` was reported as a missing `--definitions`. Required options are checked here
 * instead, just before the action, after commander has named any unknown option (with its
 * suggestion) and any extra argument.
 */
function reportUnknownOptionsFirst(command: Command): void {
  const required = command.options.filter((option) => option.mandatory);
  for (const option of required) option.mandatory = false;
  command.hook('preAction', (cmd) => {
    for (const option of required) {
      if (cmd.getOptionValue(option.attributeName()) === undefined) {
        cmd.error(`error: required option '${option.flags}' not specified`, { code: 'commander.missingMandatoryOptionValue' });
      }
    }
  });
}

/** Extra arguments are nearly always a glob the shell expanded into many names: say how to keep it whole. */
function withGlobHint(text: string): string {
  if (!/too many arguments/.test(text)) return text;
  return (
    `${text.replace(/\s*$/, '')}\n` +
    'analyse: a glob such as output/input_*.csv must be quoted, as in --cohort "output/input_*.csv": unquoted, the shell expands it into many file names.\n'
  );
}

function jobsOption(): Option {
  return new Option('--jobs <n>', 'files processed at once (default: the number of CPUs)').argParser(positiveInteger);
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of 1 or more.');
  return n;
}

function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected a whole number of 0 or more.');
  return n;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '0%' : `${((100 * part) / whole).toFixed(1)}%`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
