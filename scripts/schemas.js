// npm run schemas: writes the JSON Schemas of hand-written inputs from their declarations in src/,
// so editors check the same keys, types and documentation as the loaders do.

import { writeFileSync } from 'node:fs';
import { definitionsJsonSchema } from '../dist/measures/definitions.js';

const file = new URL('../analysis/measures.schema.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(definitionsJsonSchema(), null, 2)}\n`);
console.log(`wrote ${file.pathname}`);
