// The config stage: gitops.yaml, checked, in the shape the generator and the validator read.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LintConfig } from '../types.ts';
import { loadConfigFile } from './load.ts';
import type { GitopsConfig } from './types.ts';

export { loadConfigFile, parseConfig, schemaPath } from './load.ts';
export type * from './types.ts';

/**
 * The lint-relevant part of `<root>/gitops.yaml`, or undefined when the repository has none (any folder
 * can be validated). A gitops.yaml that is not valid throws InputError (file:line:column, what to do).
 */
export function loadLintConfig(root: string): LintConfig | undefined {
  const file = join(root, 'gitops.yaml');
  if (!existsSync(file)) return undefined;
  return toLintConfig(loadConfigFile(file, undefined, { readConfigFiles: false }));
}

export function toLintConfig(config: GitopsConfig): LintConfig {
  return {
    project: { name: config.project.name, repoURL: config.project.repoURL },
    kubernetesVersion: config.kubernetesVersion,
    environments: config.environments.map((env) => ({
      name: env.name,
      cluster: env.cluster,
      syncPolicy: env.syncPolicy,
    })),
    ...(config.lint ? { lint: config.lint } : {}),
  };
}
