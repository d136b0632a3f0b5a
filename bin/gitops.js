#!/usr/bin/env node
// The `gitops` command. The installed package runs the compiled bundle (dist/gitops.js, made by
// `npm run build`, which `npm ci` and `npm pack` run through `prepare`). A checkout of the tool runs its
// TypeScript through tsx instead, so what you edit is what runs, with no build step in between.
import { existsSync } from 'node:fs';

const source = new URL('../scripts/cli/entry.ts', import.meta.url);
let register;
if (existsSync(source)) {
  // tsx is a development dependency: present in a checkout, absent where the package is installed from git.
  register = await import('tsx/esm/api').then(
    (tsx) => tsx.register,
    () => undefined,
  );
}
if (register) {
  register();
  await import(source.href);
} else {
  await import('../dist/gitops.js');
}
