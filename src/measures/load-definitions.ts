// Reads a definitions file (unreadable files and JSON syntax errors explained by src/input)
// and hands the parsed JSON to the checks in definitions.ts.

import { readJsonInput } from '../input/read-input.js';
import { checkDefinitions, type MeasureDefinitions } from './definitions.js';

export async function loadDefinitions(file: string): Promise<MeasureDefinitions> {
  return checkDefinitions(await readJsonInput(file, 'definitions', 'a JSON object with a "measures" list'), file);
}
