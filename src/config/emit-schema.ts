import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { configJsonSchema } from './json-schema.js';
import { PROJECT_ROOT } from './load.js';

// npm run schema: regenerates config/schema.json from the zod schema.
const file = path.join(PROJECT_ROOT, 'config', 'schema.json');
writeFileSync(file, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${file}\n`);
