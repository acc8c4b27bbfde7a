// Reads and checks project.yaml as OpenSAFELY's pipeline library does, collecting every problem so
// one run shows them all; any problem is a UserError (exit 2) and nothing is run.

import { readInputText } from '../input/read-input.js';
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { UserError, quote } from '../errors.js';
import { patternProblem, PRIVACY_LEVELS, type PrivacyLevel } from './patterns.js';
import { RUN_ALL, type ActionSpec, type OutputSpec, type Project } from './project.js';
import { TokenizeError, tokenize } from './tokenize.js';
import { findCycle } from './plan.js';

const ACTION_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const ACTION_KEYS = ['run', 'needs', 'outputs'];
/** More problems than this are summarised: the first ones are usually the cause of the rest. */
const MAX_SHOWN = 12;

interface Problem {
  line: number | undefined;
  text: string;
}

export async function loadProject(file: string): Promise<Project> {
  return parseProject(await readInputText(file, 'project', 'give its path with --project'), file);
}

export function parseProject(text: string, file: string): Project {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    const error = doc.errors[0]!;
    const line = lines.linePos(error.pos[0]).line;
    throw new UserError(`not valid YAML: ${error.message.split('\n')[0]}`, { file, line });
  }
  const problems: Problem[] = [];
  const lineOf = (path: Array<string | number>): number | undefined => {
    if (path.length === 0) return undefined;
    const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    return node?.range ? lines.linePos(node.range[0]).line : undefined;
  };
  const problem = (path: Array<string | number>, message: string) => problems.push({ line: lineOf(path), text: message });

  const root: unknown = doc.toJS();
  const top = isObject(root) ? root : {};
  if (!isObject(root)) problem([], 'expected a mapping with "version", "expectations" and "actions"');
  const populationSize = checkExpectations(top.expectations, problem);
  const actions = checkActions(doc, top.actions, problem);
  checkAcrossActions(actions, problem);

  if (problems.length > 0) throw projectError(file, problems);
  return { file, dir: dirname(resolve(file)), populationSize: populationSize!, actions };
}

function checkExpectations(expectations: unknown, problem: (path: Array<string | number>, message: string) => void): number | null {
  const size = isObject(expectations) ? expectations.population_size : undefined;
  if (size === undefined || size === null) {
    problem(isObject(expectations) ? ['expectations'] : [], 'no "expectations.population_size": add "expectations:" with "population_size: 1000" (the size of dummy populations)');
    return null;
  }
  const n = typeof size === 'string' && /^\d+$/.test(size.trim()) ? Number(size) : size;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    problem(['expectations', 'population_size'], `expectations.population_size must be a whole number of 1 or more, got ${quote(String(size))}`);
    return null;
  }
  return n;
}

function checkActions(doc: Document, value: unknown, problem: (path: Array<string | number>, message: string) => void): ActionSpec[] {
  const actionsNode = doc.get('actions', true);
  if (!isObject(value) || !isMap(actionsNode) || actionsNode.items.length === 0) {
    problem(value === undefined ? [] : ['actions'], 'no "actions": expected a mapping of action names to their run, needs and outputs');
    return [];
  }
  const actions: ActionSpec[] = [];
  for (const item of actionsNode.items) {
    const name = isScalar(item.key) ? String(item.key.value) : String(item.key);
    const at = (...path: Array<string | number>) => ['actions', name, ...path];
    const fail = (path: Array<string | number>, message: string) => problem(at(...path), `action ${quote(name)}: ${message}`);
    if (!ACTION_NAME.test(name)) fail([], 'an action name may hold only letters, digits, "_", "-" and "." (it names the log file)');
    if (name === RUN_ALL) fail([], `${quote(RUN_ALL)} is reserved: it means every action`);
    const spec = value[name];
    if (!isObject(spec)) {
      fail([], 'expected a mapping with "run", "needs" and "outputs"');
      continue;
    }
    for (const key of Object.keys(spec)) if (!ACTION_KEYS.includes(key)) fail([key], `unknown key ${quote(key)}; expected "run", "needs" and "outputs"`);
    const { run, command } = checkRun(spec.run, fail);
    actions.push({ name, run, command, needs: checkNeeds(spec.needs, fail), outputs: checkOutputs(spec.outputs, fail) });
  }
  return actions;
}

function checkRun(run: unknown, fail: (path: Array<string | number>, message: string) => void): { run: string; command: string[] } {
  if (run === undefined || run === null) {
    fail([], 'has no "run" line: the command to run');
    return { run: '', command: [] };
  }
  if (typeof run !== 'string' || run.trim() === '') {
    fail(['run'], `"run" must be a command line, got ${quote(JSON.stringify(run))}`);
    return { run: '', command: [] };
  }
  try {
    return { run, command: tokenize(run) };
  } catch (error) {
    if (!(error instanceof TokenizeError)) throw error;
    fail(['run'], `"run" line: ${error.message}`);
    return { run, command: [] };
  }
}

function checkNeeds(needs: unknown, fail: (path: Array<string | number>, message: string) => void): string[] {
  if (needs === undefined || needs === null) return [];
  if (!Array.isArray(needs) || !needs.every((n) => typeof n === 'string')) {
    fail(['needs'], `"needs" must be a list of action names, such as [generate_study_population], got ${quote(JSON.stringify(needs))}`);
    return [];
  }
  // "needs: [a b]" is one name with a space in it: say plainly what was meant.
  for (const need of needs as string[]) {
    if (/\s/.test(need.trim())) fail(['needs'], `needs ${quote(need)}: separate action names in "needs" with commas`);
  }
  return [...new Set(needs as string[])];
}

function checkOutputs(outputs: unknown, fail: (path: Array<string | number>, message: string) => void): OutputSpec[] {
  if (!isObject(outputs) || Object.keys(outputs).length === 0) {
    fail(outputs === undefined ? [] : ['outputs'], `has no "outputs": declare at least one of ${PRIVACY_LEVELS.join(', ')}`);
    return [];
  }
  const specs: OutputSpec[] = [];
  for (const [level, named] of Object.entries(outputs)) {
    if (!PRIVACY_LEVELS.includes(level as PrivacyLevel)) {
      fail(['outputs', level], `unknown privacy level ${quote(level)}; expected ${PRIVACY_LEVELS.join(', ')}`);
      continue;
    }
    if (!isObject(named) || Object.keys(named).length === 0) {
      fail(['outputs', level], `expected output names with file patterns under ${level}, such as "cohort: output/input_*.csv"`);
      continue;
    }
    for (const [name, pattern] of Object.entries(named)) {
      if (typeof pattern !== 'string' || pattern === '') {
        fail(['outputs', level, name], `output ${quote(name)} must be a file pattern, got ${quote(JSON.stringify(pattern))}`);
        continue;
      }
      const why = patternProblem(pattern, level as PrivacyLevel);
      if (why) fail(['outputs', level, name], `output pattern ${quote(pattern)} ${why}`);
      else specs.push({ level: level as PrivacyLevel, name, pattern });
    }
  }
  return specs;
}

function checkAcrossActions(actions: readonly ActionSpec[], problem: (path: Array<string | number>, message: string) => void): void {
  const names = new Set(actions.map((a) => a.name));
  for (const action of actions) {
    for (const need of action.needs) {
      if (!names.has(need) && !/\s/.test(need.trim())) {
        problem(['actions', action.name, 'needs'], `action ${quote(action.name)}: needs ${quote(need)}, which is not an action in this project`);
      }
    }
  }
  const declared = new Map<string, string>();
  for (const action of actions) {
    for (const output of action.outputs) {
      const other = declared.get(output.pattern);
      if (other !== undefined) {
        const by = other === action.name ? 'twice by this action' : `by action ${quote(other)} too`;
        problem(['actions', action.name, 'outputs'], `action ${quote(action.name)}: output path ${quote(output.pattern)} is declared ${by}; every output path must be unique`);
      }
      declared.set(output.pattern, action.name);
    }
  }
  const runs = new Map<string, string>();
  for (const action of actions) {
    const other = runs.get(action.command.join('\0'));
    if (action.command.length > 0 && other !== undefined) {
      problem(['actions', action.name, 'run'], `action ${quote(action.name)}: has the same "run" command as action ${quote(other)}`);
    }
    runs.set(action.command.join('\0'), action.name);
  }
  const cycle = findCycle(actions.filter((a) => a.needs.every((n) => names.has(n))));
  if (cycle) problem(['actions', cycle[0]!, 'needs'], `action ${quote(cycle[0]!)}: its needs form a cycle: ${cycle.join(' → ')}`);
}

function projectError(file: string, problems: readonly Problem[]): UserError {
  if (problems.length === 1) return new UserError(`${problems[0]!.text}; nothing was run`, { file, line: problems[0]!.line });
  const shown = problems.slice(0, MAX_SHOWN).map((p) => `  ${p.line === undefined ? '' : `line ${p.line}: `}${p.text}`);
  if (problems.length > MAX_SHOWN) shown.push(`  and ${problems.length - MAX_SHOWN} more`);
  return new UserError(`${problems.length} problems; nothing was run:\n${shown.join('\n')}`, { file });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
