#!/usr/bin/env node
// The `gitops` command. The tool is TypeScript run through tsx, so it works the same from a
// clone (`npx gitops`), from npm scripts and after a global install, with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../scripts/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
