// The run stage: checks project.yaml, plans the requested actions and what they need, runs each
// in turn as its own process (skipping dependencies that are up to date), checks its outputs, and
// returns every planned action's status. An action whose needs failed is not run.

import { rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { UserError, listNames } from '../errors.js';
import { logFooter, logPath, openActionLog } from './action-log.js';
import { checkOutputs, outputsPresent, type OutputCheck } from './check-outputs.js';
import { execute, type Execution } from './execute.js';
import { loadProject } from './load-project.js';
import { checkOutputPaths } from './output-paths.js';
import { lockProject } from './project-lock.js';
import { RunStopper } from './run-stopper.js';
import { readManifest, writeManifest, type Manifest } from './manifest.js';
import { planActions, rerunReason, type PlannedAction } from './plan.js';
import { RUN_ALL, type ActionSpec, type Project } from './project.js';

export interface RunPipelineOptions {
  /** The project file. Default `project.yaml` in the working folder. */
  project?: string;
  /** Actions to run, with what they need. */
  actions?: readonly string[];
  /** Run every action. */
  all?: boolean;
  /** Run the actions needed again even when they are up to date. */
  forceRunDependencies?: boolean;
  /** Told as each action starts and ends (for progress lines). */
  onStart?(action: ActionSpec, reason: string, index: number, total: number): void;
  onEnd?(result: ActionResult, index: number, total: number): void;
}

export type ActionStatus = 'succeeded' | 'failed' | 'killed' | 'skipped' | 'not run';

export interface ActionResult {
  name: string;
  status: ActionStatus;
  /** Why it ran, failed, was skipped or was not run. */
  reason: string;
  durationMs: number | null;
  /** Its log (relative to the project folder), when it ran. */
  log: string | null;
  outputs: number;
  excluded: OutputCheck['excluded'];
  undeclared: string[];
  /** Outputs of its earlier run that it did not write again, removed. */
  obsolete: string[];
  /** The end of what a failed action printed. */
  tail: string;
}

export interface RunSummary {
  project: Project;
  results: ActionResult[];
  /** Every action succeeded or was up to date, and no output was excluded from release. */
  ok: boolean;
  /** The signal that stopped the run (its running action was killed, later ones not run), or null. */
  stoppedBy: NodeJS.Signals | null;
  /** The dashboard among the outputs (absolute path), if any. */
  dashboard: string | null;
  elapsedMs: number;
}

export async function runPipeline(options: RunPipelineOptions): Promise<RunSummary> {
  const started = performance.now();
  const project = await loadProject(options.project ?? 'project.yaml');
  const requested = requestedActions(project, options);
  const plan = planActions(project.actions, requested);
  await checkOutputPaths(project, plan.map((p) => p.action));
  const lock = await lockProject(project.dir);
  const stopper = new RunStopper();
  try {
    const manifest = await readManifest(project.dir);
    const results = new Map<string, ActionResult>();
    const ran = new Set<string>();

    for (const [index, planned] of plan.entries()) {
      const { action } = planned;
      const blocked = action.needs.find((need) => results.get(need)!.status !== 'succeeded' && results.get(need)!.status !== 'skipped');
      let result: ActionResult;
      if (stopper.stoppedBy !== null) {
        result = emptyResult(action.name, 'not run', `analyse run was stopped by ${stopper.stoppedBy}`);
      } else if (blocked !== undefined) {
        const why = results.get(blocked)!.status === 'not run' ? 'was not run' : results.get(blocked)!.status === 'killed' ? 'was killed' : 'failed';
        result = emptyResult(action.name, 'not run', `needs ${blocked}, which ${why}`);
      } else {
        const reason = await whyRun(planned, project, manifest, options, action.needs.some((n) => ran.has(n)));
        if (reason === null) {
          result = emptyResult(action.name, 'skipped', 'up to date: it succeeded before and its outputs are present');
        } else {
          options.onStart?.(action, reason, index, plan.length);
          result = await runAction(planned, project, manifest, reason, stopper);
          ran.add(action.name);
        }
      }
      results.set(action.name, result);
      options.onEnd?.(result, index, plan.length);
    }

    const ordered = plan.map((p) => results.get(p.action.name)!);
    return {
      project,
      results: ordered,
      ok: stopper.stoppedBy === null && ordered.every((r) => (r.status === 'succeeded' || r.status === 'skipped') && r.excluded.length === 0),
      stoppedBy: stopper.stoppedBy,
      dashboard: findDashboard(project, manifest, ordered),
      elapsedMs: performance.now() - started,
    };
  } finally {
    lock.release();
    stopper.finish();
  }
}

function requestedActions(project: Project, options: RunPipelineOptions): string[] {
  const names = project.actions.map((a) => a.name);
  const asked = options.actions ?? [];
  if (options.all || asked.includes(RUN_ALL)) return names;
  if (asked.length === 0) throw new UserError(`name the actions to run, or give --all; the actions are ${listNames(names)}`, { file: project.file });
  const unknown = asked.filter((name) => !names.includes(name));
  if (unknown.length > 0) {
    throw new UserError(`no action ${listNames(unknown)} in this project; nothing was run. The actions are ${listNames(names)}`, { file: project.file });
  }
  return [...new Set(asked)];
}

async function whyRun(planned: PlannedAction, project: Project, manifest: Manifest, options: RunPipelineOptions, needRuns: boolean): Promise<string | null> {
  const last = manifest.actions.get(planned.action.name);
  return rerunReason(planned, {
    forceDependencies: options.forceRunDependencies === true,
    lastSucceededRun: last?.status === 'succeeded' ? last.run : undefined,
    // Only looked at when it could decide the matter.
    outputsPresent: planned.requested ? true : await outputsPresent(planned.action, project.dir, Object.keys(last?.outputs ?? {})),
    needRuns,
  });
}

async function runAction(planned: PlannedAction, project: Project, manifest: Manifest, reason: string, stopper: RunStopper): Promise<ActionResult> {
  const { action } = planned;
  const earlier = manifest.actions.get(action.name)?.outputs ?? {};
  const log = await openActionLog(project.dir, action, reason);
  let execution: Execution;
  let check: OutputCheck | null = null;
  let failure: string | null;
  let killed: string | null = null;
  try {
    // Whole milliseconds, as file times are compared with it; a little early rather than late.
    const startedMs = Math.floor(Date.now());
    execution = await execute(action.command, project.dir, log, (child) => stopper.running(child));
    stopper.running(null);
    // Stopped with the run: its outputs are as it left them (whole or as before), and not checked.
    if (stopper.stoppedBy !== null && execution.startError === null && execution.exitCode !== 0) killed = `killed by ${stopper.stoppedBy}: analyse run was stopped`;
    if (execution.startError === null && killed === null) check = await checkOutputs(action, project.dir, startedMs, new Set(Object.keys(earlier)));
    failure = killed ?? failureOf(execution, check);
    if (check && failure === null) await Promise.all(check.obsolete.map((path) => rm(join(project.dir, path), { force: true })));
    else if (check) check.obsolete = [];
    await log.write(logFooter(execution, check, killed));
    await log.commit();
  } catch (error) {
    await log.abort();
    throw error;
  }

  const status = killed !== null ? 'killed' : failure === null ? 'succeeded' : 'failed';
  manifest.actions.set(action.name, {
    status,
    run: action.run,
    finished: new Date().toISOString(),
    durationMs: Math.round(execution.durationMs),
    // A run that did not succeed keeps the record of earlier outputs, so they are still known as this action's.
    outputs: { ...(status !== 'succeeded' ? earlier : {}), ...Object.fromEntries(check?.outputs ?? []) },
  });
  await writeManifest(project.dir, manifest);
  return {
    name: action.name,
    status,
    reason: failure ?? reason,
    durationMs: execution.durationMs,
    log: logPath(action),
    outputs: check?.outputs.size ?? 0,
    excluded: check?.excluded ?? [],
    undeclared: check?.undeclared ?? [],
    obsolete: check?.obsolete ?? [],
    tail: status !== 'succeeded' ? execution.tail : '',
  };
}

/** Why the action failed, or null: it could not start, exited badly, or a declared output matched nothing. */
function failureOf(execution: Execution, check: OutputCheck | null): string | null {
  if (execution.startError !== null) return execution.startError;
  if (execution.exitCode === null) return `killed by ${execution.signal}`;
  if (execution.exitCode !== 0) return `exited with code ${execution.exitCode}`;
  const unmatched = check?.unmatched ?? [];
  if (unmatched.length > 0) return `declared output${unmatched.length === 1 ? '' : 's'} ${listNames(unmatched.map((u) => u.pattern))} matched no file`;
  return null;
}

function emptyResult(name: string, status: ActionStatus, reason: string): ActionResult {
  return { name, status, reason, durationMs: null, log: null, outputs: 0, excluded: [], undeclared: [], obsolete: [], tail: '' };
}

/** A `dashboard.html` among the outputs of the actions that succeeded or were up to date. */
function findDashboard(project: Project, manifest: Manifest, results: readonly ActionResult[]): string | null {
  for (const result of results) {
    if (result.status !== 'succeeded' && result.status !== 'skipped') continue;
    const outputs = Object.keys(manifest.actions.get(result.name)?.outputs ?? {});
    const dashboard = outputs.find((path) => basename(path) === 'dashboard.html');
    if (dashboard) return join(project.dir, dashboard);
  }
  return null;
}
