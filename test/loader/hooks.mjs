// The resolve and load hooks of test/loader/register.mjs (they run on Node's loader thread). No source
// maps (they cost every load): a failing test's stack is best read by rerunning its file with tsx.
import { readFile } from 'node:fs/promises';
import { transform } from 'esbuild';

let scripts = '';
let tree = '';

export function initialize(data) {
  scripts = `${data.root}scripts/`;
  tree = data.tree;
}

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (resolved.url.startsWith(scripts) && resolved.url.endsWith('.ts'))
    return {
      url: `${tree}${resolved.url.slice(scripts.length, -'.ts'.length)}.mjs`,
      format: 'module',
      shortCircuit: true,
    };
  return resolved;
}

export async function load(url, context, next) {
  if (url.startsWith('file:') && /\.m?ts$/.test(url) && !url.includes('/node_modules/')) {
    const source = await readFile(new URL(url), 'utf8');
    const { code } = await transform(source, {
      loader: 'ts',
      format: 'esm',
      target: 'node20',
      sourcefile: url,
    });
    return { format: 'module', source: code, shortCircuit: true };
  }
  // JSON imported without `with { type: 'json' }` (@actions/workflow-parser does), as tsx allows it.
  if (url.endsWith('.json') && context.importAttributes?.type === undefined)
    return next(url, { ...context, importAttributes: { ...context.importAttributes, type: 'json' } });
  return next(url, context);
}
