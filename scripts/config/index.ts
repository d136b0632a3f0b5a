// The config stage: gitops.yaml, checked, in the shape the generator and the validator read.
import { statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { LintConfig } from '../types.ts';
import { parseAnyConfig } from './load.ts';
import { readConfigText, repositoryTop } from './read.ts';
import type { GitopsConfig } from './types.ts';

export {
  loadConfigFile,
  parseAnyConfig,
  parseConfig,
  schemaPath,
  LINT_ONLY_KEYS,
  type LintOnlyConfig,
} from './load.ts';
export type * from './types.ts';

export const CONFIG_FILE = 'gitops.yaml';

/**
 * The gitops.yaml that applies to `dir`: the nearest one from `dir` up to the repository's top folder
 * (the first folder above holding `.git`), as ESLint and Prettier find theirs, so `gitops validate
 * deploy/` reads the one at the top. Without a `.git` above, only `dir` itself is looked at: a folder
 * outside any repository takes nothing from its parents.
 */
export function findConfigFile(dir: string): string | undefined {
  const start = resolve(dir);
  const top = repositoryTop(start);
  for (let current = start; ; current = dirname(current)) {
    const file = join(current, CONFIG_FILE);
    if (isFile(file)) return file;
    if (!top || current === top || dirname(current) === current) return undefined;
  }
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The lint-relevant part of the gitops.yaml that applies to `dir` (findConfigFile), or of `file` when
 * given (--config); undefined when there is none (any folder can be validated). The file may be a
 * complete gitops.yaml or a lint-only one. A file that is not valid throws InputError listing every
 * schema problem (file:line:column, what to do).
 */
export function loadLintConfig(dir: string, options: { file?: string } = {}): LintConfig | undefined {
  const file = options.file ? resolve(options.file) : findConfigFile(dir);
  if (!file) return undefined;
  const display = relative(process.cwd(), file) || file;
  const text = readConfigText(file, display, 'cannot read the config file. Check the path given to --config.');
  const config = parseAnyConfig(text, display);
  if ('lintOnly' in config) {
    return {
      file,
      ...(config.kubernetesVersion ? { kubernetesVersion: config.kubernetesVersion } : {}),
      ...(config.lint ? { lint: config.lint } : {}),
    };
  }
  return { file, ...toLintConfig(config) };
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
