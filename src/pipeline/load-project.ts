// Reads and checks project.yaml as OpenSAFELY's pipeline library does, collecting every problem so
// one run shows them all; any problem is a UserError (exit 2) and nothing is run. generate-dummy
// reads its default population from the same parse, with the same rule for population_size.

import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { UserError, quote } from '../errors.js';
import { readInputText, readOptionalInputText } from '../input/read-input.js';
import {
  checkInput, convert, isPlainObject, list, number, object, optional, record, refine, required, shape, text, withDefault, type CheckOptions, type KeyPath, type Place,
} from '../input/shapes.js';
import { patternProblem, PRIVACY_LEVELS, type PrivacyLevel } from './patterns.js';
import { RUN_ALL, type ActionSpec, type OutputSpec, type Project } from './project.js';
import { TokenizeError, tokenize } from './tokenize.js';
import { findCycle } from './plan.js';

const ACTION_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** The one rule for `expectations.population_size`, for run and generate-dummy alike. */
const POPULATION_SIZE = number({ integer: true, min: 1, digitsAsText: true, expected: 'a whole number of 1 or more, such as 1000 (the size of dummy populations)' });

const EXPECTATIONS = object(
  { population_size: required(POPULATION_SIZE, 'People in each dummy population (generate-dummy --population by default).') },
  { otherKeys: 'ignore', expected: 'a mapping with "population_size"' },
);

const COMMAND = convert(text({ nonEmpty: true, expected: 'a command line' }), (run, place) => {
  try {
    return { run, command: tokenize(run) };
  } catch (error) {
    if (!(error instanceof TokenizeError)) throw error;
    return place.fail(error.message);
  }
});

const NEED = refine(text({ nonEmpty: true, expected: 'an action name' }), (need, place) => {
  // "needs: [a b]" is one name with a space in it: say plainly what was meant.
  if (/\s/.test(need.trim())) place.fail(`${quote(need)}: separate action names in "needs" with commas`);
});

const OUTPUT_NAMES = record(text({ nonEmpty: true, expected: 'a file pattern' }), { nonEmpty: true, expected: 'output names with file patterns, such as "cohort: output/input_*.csv"' });
const OUTPUTS_EXPECTED = `a mapping with at least one of ${PRIVACY_LEVELS.join(', ')}`;
const OUTPUT_LEVELS = object(
  {
    highly_sensitive: optional(OUTPUT_NAMES, 'Outputs that never leave the server, such as patient-level cohort files.'),
    moderately_sensitive: optional(OUTPUT_NAMES, 'Outputs that may be released after output checking.'),
    minimally_sensitive: optional(OUTPUT_NAMES, 'Outputs with little or no risk.'),
  },
  { keyNoun: 'privacy level', expected: OUTPUTS_EXPECTED },
);
const OUTPUTS = shape(OUTPUTS_EXPECTED, { ...OUTPUT_LEVELS.jsonSchema(), minProperties: 1 }, (value, place) => {
  if (isPlainObject(value) && Object.keys(value).length === 0) place.expected(OUTPUTS_EXPECTED, value);
  return OUTPUT_LEVELS.read(value, place);
});

const ACTION = object(
  {
    run: required(COMMAND, 'The command to run, split into words as a shell would (without one); "analyse" means this program.'),
    needs: withDefault(list(NEED, { expected: 'a list of action names, such as [generate_study_population]' }), [], 'Actions that must run first.'),
    outputs: required(OUTPUTS, 'The files the action writes, by privacy level and name.'),
  },
  { expected: 'a mapping with "run", "needs" and "outputs"' },
);

const ACTIONS = record(ACTION, {
  nonEmpty: true,
  expected: 'a mapping of action names to their run, needs and outputs',
  keyProblem: (name) =>
    name === RUN_ALL
      ? `${quote(RUN_ALL)} is reserved: it means every action`
      : ACTION_NAME.test(name)
        ? undefined
        : 'an action name may hold only letters, digits, "_", "-" and "." (it names the log file)',
});

const PROJECT = convert(
  object(
    {
      expectations: {
        ...required(EXPECTATIONS, 'What dummy data the pipeline expects.'),
        // Without the mapping, the problem is reported where the missing number belongs.
        read: (value, place) => EXPECTATIONS.read(value ?? {}, place),
      },
      actions: required(ACTIONS, 'The actions, in the order they are listed.'),
    },
    { otherKeys: 'ignore', expected: 'a mapping with "version", "expectations" and "actions"' },
  ),
  ({ expectations, actions }, place) => {
    const specs = [...actions].map(([name, action]) => actionSpec(name, action, place.at('actions', name)));
    checkAcrossActions(specs, place.at('actions'));
    return { populationSize: expectations.population_size, actions: specs };
  },
);

export async function loadProject(file: string): Promise<Project> {
  return parseProject(await readInputText(file, 'project', 'give its path with --project'), file);
}

export function parseProject(text: string, file: string): Project {
  const { root, lineOf } = parseYaml(text, file);
  const { populationSize, actions } = checkInput(root, PROJECT, { ...PROJECT_CHECK, file, lineOf });
  return { file, dir: dirname(resolve(file)), populationSize, actions };
}

/**
 * `expectations.population_size` of the project.yaml at `file`, or null when there is no such
 * file or it sets none (generate-dummy then uses its own default). The file is parsed as for
 * run and the value checked by the same rule, but problems elsewhere in it do not matter here.
 */
export async function loadPopulationSize(file: string): Promise<number | null> {
  const text = await readOptionalInputText(file, 'project');
  if (text === null) return null;
  const { root, lineOf } = parseYaml(text, file);
  const expectations = isPlainObject(root) ? root.expectations : undefined;
  const size = isPlainObject(expectations) ? expectations.population_size : undefined;
  if (size === undefined || size === null) return null;
  return checkInput(size, POPULATION_SIZE, { file, lineOf, path: ['expectations', 'population_size'], outcome: 'it sets the default --population' });
}

/** project.yaml shows every problem at once; `needs:` with nothing after it means no needs. */
const PROJECT_CHECK: Omit<CheckOptions, 'file'> = { collect: true, nullIsAbsent: true, outcome: 'nothing was run' };

/** The YAML as plain values, and the line of each value; a syntax error or a duplicate key is a UserError. */
function parseYaml(text: string, file: string): { root: unknown; lineOf: (path: KeyPath) => number | undefined } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const [error] = doc.errors;
  if (error !== undefined) throw new UserError(`not valid YAML: ${error.message.split('\n')[0]}`, { file, line: lines.linePos(error.pos[0]).line });
  const lineOf = (path: KeyPath): number | undefined => {
    // The value itself, or the nearest one holding it when it is absent.
    for (let length = path.length; length > 0; length--) {
      const node = doc.getIn(path.slice(0, length), true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return lines.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return { root: doc.toJS(), lineOf };
}

type ActionFields = ReturnType<typeof ACTION.read>;

/** One action, its outputs checked against the patterns OpenSAFELY allows (a bad one is left out). */
function actionSpec(name: string, { run: { run, command }, needs, outputs }: ActionFields, place: Place): ActionSpec {
  const specs: OutputSpec[] = [];
  for (const level of PRIVACY_LEVELS) {
    for (const [output, pattern] of outputs[level] ?? []) {
      const why = patternProblem(pattern, level as PrivacyLevel);
      if (why) place.at('outputs', level, output).report(`the pattern ${quote(pattern)} ${why}`);
      else specs.push({ level, name: output, pattern });
    }
  }
  return { name, run, command, needs: [...new Set(needs)], outputs: specs };
}

function checkAcrossActions(actions: readonly ActionSpec[], place: Place): void {
  const names = new Set(actions.map((a) => a.name));
  for (const action of actions) {
    for (const need of action.needs) {
      if (!names.has(need)) place.at(action.name, 'needs').report(`${quote(need)} is not an action in this project`);
    }
  }
  const declared = new Map<string, string>();
  for (const action of actions) {
    for (const output of action.outputs) {
      const other = declared.get(output.pattern);
      if (other !== undefined) {
        const by = other === action.name ? 'twice by this action' : `by action ${quote(other)} too`;
        place.at(action.name, 'outputs', output.level, output.name).report(`the output path ${quote(output.pattern)} is declared ${by}; every output path must be unique`);
      }
      declared.set(output.pattern, action.name);
    }
  }
  const runs = new Map<string, string>();
  for (const action of actions) {
    const other = runs.get(action.command.join('\0'));
    if (other !== undefined) place.at(action.name, 'run').report(`the same command as action ${quote(other)}`);
    runs.set(action.command.join('\0'), action.name);
  }
  const cycle = findCycle(actions.filter((a) => a.needs.every((n) => names.has(n))));
  if (cycle) place.at(cycle[0]!, 'needs').report(`the needs form a cycle: ${cycle.join(' → ')}`);
}
