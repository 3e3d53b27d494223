import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { configReference } from './config-docs.js';
import { configJsonSchema } from './json-schema.js';
import { PROJECT_ROOT } from './load.js';

// npm run schema: regenerates config/schema.json and docs/config.md from the zod schema.
const file = path.join(PROJECT_ROOT, 'config', 'schema.json');
writeFileSync(file, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${file}\n`);
const docs = path.join(PROJECT_ROOT, 'docs', 'config.md');
mkdirSync(path.dirname(docs), { recursive: true });
writeFileSync(docs, configReference());
process.stdout.write(`wrote ${docs}\n`);
