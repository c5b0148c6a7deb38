// npm run schema:print — writes schema.graphql at the repository root from the Pothos schema.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { printedSchema } from './schema.js';

const target = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../schema.graphql');
writeFileSync(target, printedSchema());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
