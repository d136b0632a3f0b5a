#!/usr/bin/env node
// The `gitops` command. The installed package runs the bundle that `npm run build` wrote into dist/
// (npm pack runs it through `prepack`): no compiler at run time. A checkout of the tool runs the same
// bundle of its TypeScript, built by esbuild into a folder named by a hash of the sources
// (bin/checkout-build.js), so what you edit is what runs and a start pays no compiler; tsx (a
// development dependency) is the fallback when that folder cannot be written.
import { existsSync } from 'node:fs';

const source = new URL('../scripts/cli/entry.ts', import.meta.url);
// --debug prints stack traces: point them at the TypeScript lines (both bundles carry source maps).
if (process.argv.includes('--debug')) process.setSourceMapsEnabled(true);
if (!existsSync(source)) {
  await import('../dist/cli/entry.js');
} else {
  // Any failure to compile (a read-only checkout, a syntax error) falls back to tsx, which then reports it.
  const compiled = await import('./checkout-build.js').then((build) => build.compiledEntry()).catch(() => undefined);
  if (compiled) {
    await import(compiled);
  } else {
    const tsx = await import('tsx/esm/api');
    tsx.register();
    await import(source.href);
  }
}
