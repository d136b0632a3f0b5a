#!/usr/bin/env node
// The `gitops` command. The installed package runs the JavaScript that `npm run build` compiled into
// dist/ (npm pack runs it through `prepack`): no compiler at run time. A checkout of the tool runs its
// TypeScript compiled by esbuild into a folder named by a hash of the sources (bin/checkout-build.js),
// so what you edit is what runs and a start pays no compiler; tsx (a development dependency) is the
// fallback when that folder cannot be written.
import { existsSync } from 'node:fs';

const source = new URL('../scripts/cli/entry.ts', import.meta.url);
if (!existsSync(source)) {
  await import('../dist/cli/entry.js');
} else {
  // --debug prints stack traces: point them at the TypeScript lines.
  if (process.argv.includes('--debug')) process.setSourceMapsEnabled(true);
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
