// Preloaded into a child process (node --import): importing any package named in REFUSED_IMPORTS
// (comma-separated) fails, so a test can prove that a code path never loads it.
import { register } from 'node:module';

const refused = (process.env.REFUSED_IMPORTS ?? '').split(',').filter(Boolean);
const hooks = `
const refused = new Set(${JSON.stringify(refused)});
export async function resolve(specifier, context, next) {
  if (refused.has(specifier)) throw new Error('refused import: ' + specifier);
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
