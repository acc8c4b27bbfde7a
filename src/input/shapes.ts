// The shape checker for hand-written inputs (measure definitions, the describe config, dummy-data
// schemas, project.yaml), in one import. A shape is declared once, with its documentation, and
// gives both the checked value and every message, in one style: `<key path>: expected <what>,
// got <value>`, such as `measures[2].group_by: expected a column name, or a list of them, got
// the number 3`.

export { checkInput, inputError, InputChecker, Place, type CheckOptions, type JsonSchema, type Problem, type Shape } from './checker.js';
export { formatKeyPath, type KeyPath } from './key-path.js';
export { showValue } from './show-value.js';
export { boolean, convert, either, isoDay, nullable, number, oneOf, refine, shape, text, type ValueOf } from './values.js';
export { isPlainObject, list, oneOrList, record } from './lists.js';
export { object, optional, required, withDefault, type Field, type Fields, type ObjectOf } from './object.js';
