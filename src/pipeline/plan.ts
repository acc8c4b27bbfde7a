// Which actions a run needs and in what order, and whether an already-run dependency is run again.
//
// As OpenSAFELY's job runner decides it: the actions asked for always run; an action they need
// (directly or not) runs again only when --force-run-dependencies is given, when it has not
// succeeded before with the same run line (metadata/manifest.json), when one of its declared
// output patterns now matches no file, or, unlike the job runner, when an action it needs runs
// again in this run (its inputs are about to change, so its outputs would be stale).

import type { ActionSpec } from './project.js';

export interface PlannedAction {
  action: ActionSpec;
  /** Asked for by name or by --all. */
  requested: boolean;
}

/** The requested actions and everything they need, in an order where needs come first (file order otherwise). */
export function planActions(actions: readonly ActionSpec[], requested: readonly string[]): PlannedAction[] {
  const byName = new Map(actions.map((a) => [a.name, a]));
  const wanted = new Set<string>();
  const add = (name: string) => {
    if (wanted.has(name)) return;
    wanted.add(name);
    for (const need of byName.get(name)!.needs) add(need);
  };
  for (const name of requested) add(name);
  const asked = new Set(requested);
  return topologicalOrder(actions.filter((a) => wanted.has(a.name))).map((action) => ({ action, requested: asked.has(action.name) }));
}

/** Kahn's algorithm, taking the earliest action in file order whenever there is a choice. */
export function topologicalOrder(actions: readonly ActionSpec[]): ActionSpec[] {
  const remaining = new Set(actions.map((a) => a.name));
  const order: ActionSpec[] = [];
  while (remaining.size > 0) {
    const next = actions.find((a) => remaining.has(a.name) && a.needs.every((n) => !remaining.has(n)));
    if (!next) throw new Error('topologicalOrder: the needs form a cycle (the project should have been rejected)');
    order.push(next);
    remaining.delete(next.name);
  }
  return order;
}

/** A cycle among the actions' needs as a path of names ending where it starts, or null. */
export function findCycle(actions: readonly ActionSpec[]): string[] | null {
  const byName = new Map(actions.map((a) => [a.name, a]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | null => {
    if (state.get(name) === 'done') return null;
    if (state.get(name) === 'visiting') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'visiting');
    stack.push(name);
    for (const need of byName.get(name)?.needs ?? []) {
      const cycle = visit(need);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(name, 'done');
    return null;
  };
  for (const action of actions) {
    const cycle = visit(action.name);
    if (cycle) return cycle;
  }
  return null;
}

export interface RerunFacts {
  forceDependencies: boolean;
  /** The run line it last succeeded with, or undefined if it never has (per the manifest). */
  lastSucceededRun: string | undefined;
  /** Whether every declared output pattern matches at least one file now. */
  outputsPresent: boolean;
  /** Whether an action it needs runs in this run. */
  needRuns: boolean;
}

/** Why a dependency must run again, or null when its earlier outputs can be used. */
export function rerunReason(planned: PlannedAction, facts: RerunFacts): string | null {
  if (planned.requested) return 'requested';
  if (facts.forceDependencies) return '--force-run-dependencies';
  if (facts.lastSucceededRun === undefined) return 'it has not succeeded before';
  if (facts.lastSucceededRun !== planned.action.run) return 'its run line changed';
  if (!facts.outputsPresent) return 'some of its outputs are missing';
  if (facts.needRuns) return 'an action it needs runs again';
  return null;
}
