// The checker behind `analyse check`: every file under the paths named, each with its problems
// (it cannot be released as it is) and warnings (an output checker should look), and the totals.

import { checkFile, type CheckOptions, type FileReport } from './check-file.js';
import { findFiles } from './find-files.js';

export interface CheckReport {
  files: FileReport[];
  problems: number;
  warnings: number;
}

export async function checkPaths(paths: readonly string[], options: CheckOptions): Promise<CheckReport> {
  const files: FileReport[] = [];
  for (const file of await findFiles(paths)) files.push(await checkFile(file.path, file.shownAs, options));
  return {
    files,
    problems: files.reduce((n, f) => n + f.problems.length, 0),
    warnings: files.reduce((n, f) => n + f.warnings.length, 0),
  };
}

/** One line per problem and per warning, then a summary line. */
export function formatReport(report: CheckReport): string {
  const lines: string[] = [];
  for (const file of report.files) {
    for (const problem of file.problems) lines.push(`${file.path}: ${problem}`);
    for (const warning of file.warnings) lines.push(`${file.path}: warning: ${warning}`);
  }
  const failing = report.files.filter((f) => f.problems.length > 0).length;
  const count = (n: number, noun: string) => `${n.toLocaleString('en-GB')} ${noun}${n === 1 ? '' : 's'}`;
  const problems = report.problems === 0 ? 'no problems' : `${count(report.problems, 'problem')} in ${count(failing, 'file')}`;
  const verdict = report.problems === 0 ? 'releasable' : 'not releasable';
  lines.push(`check: ${count(report.files.length, 'file')}, ${problems}, ${count(report.warnings, 'warning')}: ${verdict}`);
  return `${lines.join('\n')}\n`;
}

/** The report as `--json` prints it. */
export function reportJson(report: CheckReport): string {
  const files = report.files.map(({ path, problems, warnings }) => ({ path, problems, warnings }));
  return `${JSON.stringify({ files, problems: report.problems, warnings: report.warnings }, null, 2)}\n`;
}
