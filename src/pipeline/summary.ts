// What `analyse run` prints: a line as each action starts and ends, then a table of every action
// with its status and duration, what was excluded from release or left undeclared, and where to
// look next.

import { formatDuration } from '../progress.js';
import type { ActionSpec } from './project.js';
import type { ActionResult, RunSummary } from './run-pipeline.js';

/** Lines of a failed action's output shown on the terminal; the rest is in its log. */
const TAIL_LINES = 12;

export function formatStart(action: ActionSpec, reason: string, index: number, total: number): string {
  return `[${index + 1}/${total}] ${action.name} (${reason}): ${action.run}\n`;
}

export function formatEnd(result: ActionResult, index: number, total: number): string {
  const step = `[${index + 1}/${total}]`;
  switch (result.status) {
    case 'succeeded': {
      const excluded = result.excluded.length > 0 ? `, ${result.excluded.length} excluded from release` : '';
      return `${' '.repeat(step.length)} succeeded in ${formatDuration(result.durationMs!)}: ${result.outputs} output file${result.outputs === 1 ? '' : 's'}${excluded}\n`;
    }
    case 'failed':
    case 'killed':
      return `${' '.repeat(step.length)} ${result.status} after ${formatDuration(result.durationMs!)}: ${result.reason} (log: ${result.log})\n`;
    default:
      return `${step} ${result.name} ${result.status}: ${result.reason}\n`;
  }
}

/** The end of a failed action's output, indented, for stderr. */
export function formatTail(result: ActionResult): string {
  const lines = result.tail.replace(/\s+$/, '').split('\n').slice(-TAIL_LINES);
  if (lines.length === 1 && lines[0] === '') return '';
  return `  last lines of ${result.log}:\n${lines.map((line) => `  | ${line}`).join('\n')}\n`;
}

export function formatSummary(summary: RunSummary): string {
  const { results } = summary;
  const width = Math.max(6, ...results.map((r) => r.name.length));
  const out: string[] = ['', `run: ${results.length} action${results.length === 1 ? '' : 's'} in ${formatDuration(summary.elapsedMs)}`];
  out.push(`  ${'action'.padEnd(width)}  ${'status'.padEnd(9)}  ${'time'.padStart(9)}`);
  for (const r of results) {
    const time = r.durationMs === null ? '-' : formatDuration(r.durationMs);
    const note = r.status === 'succeeded' ? '' : `  ${r.reason}`;
    out.push(`  ${r.name.padEnd(width)}  ${r.status.padEnd(9)}  ${time.padStart(9)}${note}`);
  }
  for (const r of results) {
    for (const { path, reason } of r.excluded) out.push(`excluded from release (${r.name}): ${path}: ${reason}`);
  }
  for (const r of results) {
    if (r.undeclared.length === 0) continue;
    const shown = r.undeclared.slice(0, 10).join(', ') + (r.undeclared.length > 10 ? ` and ${r.undeclared.length - 10} more` : '');
    out.push(`undeclared (${r.name}): wrote ${r.undeclared.length} file${r.undeclared.length === 1 ? '' : 's'} no output pattern of it declares: ${shown}`);
  }
  for (const r of results) {
    if (r.obsolete.length === 0) continue;
    const shown = r.obsolete.slice(0, 10).join(', ') + (r.obsolete.length > 10 ? ` and ${r.obsolete.length - 10} more` : '');
    out.push(`removed (${r.name}): ${r.obsolete.length} obsolete output${r.obsolete.length === 1 ? '' : 's'} of an earlier run: ${shown}`);
  }
  const failed = results.filter((r) => r.status === 'failed' || r.status === 'killed' || r.status === 'not run').length;
  const excluded = results.reduce((n, r) => n + r.excluded.length, 0);
  if (summary.stoppedBy !== null) {
    out.push(`run stopped by ${summary.stoppedBy}: the running action was killed and recorded so; no further action was started. Logs are in metadata/.`);
  } else if (failed > 0 || excluded > 0) {
    const parts = [failed > 0 ? `${failed} action${failed === 1 ? '' : 's'} failed or not run` : '', excluded > 0 ? `${excluded} file${excluded === 1 ? '' : 's'} excluded from release` : ''];
    out.push(`run failed: ${parts.filter(Boolean).join('; ')}. Logs are in metadata/.`);
  }
  if (summary.dashboard) out.push(`Dashboard: ${summary.dashboard}`);
  return `${out.join('\n')}\n`;
}
