// Preloaded into a production process by tests (node --import): loading a development-only package, or any
// TypeScript file, throws. A production install (`npm ci --omit=dev`) has none of them, so a process that
// starts and serves under this hook runs from the build alone (ADR 0067).
//
// Refused: every devDependency of the workspaces that run in production (root, server, web, packages/shared)
// that is not also a dependency of one of them, plus tsx and vite by name. Both ESM imports (a module hook)
// and CommonJS require calls (Module._resolveFilename) are checked: some dependencies are CommonJS.
import { readFileSync } from 'node:fs';
import Module, { register } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifests = ['package.json', 'server/package.json', 'web/package.json', 'packages/shared/package.json'].map(
  (file) => JSON.parse(readFileSync(path.join(root, file), 'utf8')),
);
const production = new Set(manifests.flatMap((manifest) => Object.keys(manifest.dependencies ?? {})));
const refused = [
  ...new Set([...manifests.flatMap((manifest) => Object.keys(manifest.devDependencies ?? {})), 'tsx', 'vite']),
].filter((name) => !production.has(name));

const hooks = `
const refused = new Set(${JSON.stringify(refused)});
function packageOf(specifier) {
  if (/^(node:|data:|file:|\\.|\\/|#)/.test(specifier)) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}
export async function resolve(specifier, context, next) {
  const name = packageOf(specifier);
  if (name && refused.has(name)) throw new Error('refused import of a development dependency: ' + name);
  const resolved = await next(specifier, context);
  if (/\\.(c|m)?tsx?$/.test(new URL(resolved.url).pathname)) throw new Error('refused import of TypeScript: ' + resolved.url);
  return resolved;
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);

// Module hooks of Node 20 do not see require(): check it where CommonJS resolves names.
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const name = /^(node:|\.|\/)/.test(request)
    ? null
    : request.startsWith('@')
      ? request.split('/').slice(0, 2).join('/')
      : request.split('/')[0];
  if (name && refused.includes(name)) throw new Error(`refused require of a development dependency: ${name}`);
  return resolveFilename.call(this, request, ...rest);
};
