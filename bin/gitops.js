#!/usr/bin/env node
// The `gitops` command. The installed package runs the JavaScript that `npm run build` compiled into
// dist/ (npm pack runs it through `prepack`): no TypeScript compiler at run time. A checkout of the tool
// runs its TypeScript through tsx instead (a development dependency), so what you edit is what runs.
import { existsSync } from 'node:fs';

const source = new URL('../scripts/cli/entry.ts', import.meta.url);
const register = existsSync(source)
  ? await import('tsx/esm/api').then(
      (tsx) => tsx.register,
      () => undefined,
    )
  : undefined;
if (register) {
  register();
  await import(source.href);
} else {
  await import('../dist/cli/entry.js');
}
