// Placeholder: reads the lint-relevant part of gitops.yaml without validating it.
// The config stage replaces this with the validated loader (same export).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { LintConfig } from '../types.ts';

export function loadLintConfig(root: string): LintConfig | undefined {
  const file = join(root, 'gitops.yaml');
  if (!existsSync(file)) return undefined;
  return parse(readFileSync(file, 'utf8')) as LintConfig;
}
