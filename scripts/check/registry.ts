// The one registry: every rule module of every family, found by looking in the rules folders, so adding
// a rule is adding its file (plus its test). A file in a rules folder must be a rule module: its default
// export is `defineRule(...)` and its name is the rule's id; anything else fails the load (and the tests).
import { readdirSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RuleMeta } from '../types.ts';
import { InputError } from '../errors.ts';
import { ruleShapeProblems, type Rule } from './contract.ts';
import { codeExtension } from '../tool.ts';
import { appendAll } from '../lists.ts';
import { bundledRuleModules, type BundledRuleModule } from './bundled-rules.ts';

const SCRIPTS = fileURLToPath(new URL('..', import.meta.url));

/** The rules folders, one per family, relative to scripts/. Policy rules sit in category sub-folders. */
export const RULE_FOLDERS = [
  'rules', // policy rules: scripts/rules/<category>/<id>.ts
  'argocd/rules', // Argo CD: checks over the Applications Argo CD would create
  'schema/rules', // schemas, API versions, kustomization fields
  'validate/rules', // the pipeline's own findings: render and YAML
  'filter/rules', // ignore annotations and lint settings
  'check/rules', // the engine's internal-error
];

/** Every rule module under `folder` (recursively), sorted by id. Throws on a file that is not a rule module. */
export async function loadRuleFolder(folder: string): Promise<Rule[]> {
  const files = ruleFiles(folder);
  // All at once: one module graph the loader reads and links together (one import after another
  // waited on each file's read: about half the registry's 150 ms load was idle).
  const modules = (await Promise.all(files.map((file) => import(pathToFileURL(file).href)))) as { default?: unknown }[];
  return files.map((file, index) => ruleOf(relative(SCRIPTS, file), basename(file, codeExtension), modules[index]));
}

/** A rule file's rule: its default export, which must be a rule whose id is the file's name. */
function ruleOf(where: string, id: string, module: { default?: unknown }): Rule {
  const problems = ruleShapeProblems(module.default);
  if (problems.length > 0)
    throw new Error(`${where} is in a rules folder but is not a rule module: ${problems.join('; ')}`);
  const rule = module.default as Rule;
  if (rule.meta.id !== id) throw new Error(`${where}: the file name must be the rule id "${rule.meta.id}"`);
  return rule;
}

/** A folder's rules in a bundle, held to the same checks as the ones a scan loads. */
function bundledRules(folder: string, modules: ReadonlyMap<string, readonly BundledRuleModule[]>): Rule[] {
  const list = modules.get(folder);
  if (!list) throw new Error(`the bundle has no rules folder ${folder}: rebuild it (bin/checkout-build.js)`);
  return list.map(({ where, module }) => ruleOf(where, basename(where, '.ts'), module));
}

function ruleFiles(folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) appendAll(files, ruleFiles(path));
    // .ts in a checkout, .js in the package (beside its .d.ts, which is not a module).
    else if (entry.isFile() && entry.name.endsWith(codeExtension) && !entry.name.endsWith('.d.ts')) files.push(path);
  }
  return files.sort();
}

/** Rules from several sources as one list; the same id twice is an error naming both. */
export function combineRules(...lists: (readonly Rule[])[]): Rule[] {
  const byId = new Map<string, Rule>();
  for (const rule of lists.flat()) {
    // A plugin can clash with a built-in rule: bad input, not a crash.
    if (byId.has(rule.meta.id))
      throw new InputError(`two rules have the id "${rule.meta.id}"; rename the plugin's rule`);
    byId.set(rule.meta.id, rule);
  }
  return [...byId.values()].sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0));
}

const byFolder = new Map<string, Rule[]>(
  await Promise.all(
    RULE_FOLDERS.map(
      async (folder) =>
        [
          folder,
          bundledRuleModules ? bundledRules(folder, bundledRuleModules) : await loadRuleFolder(join(SCRIPTS, folder)),
        ] as const,
    ),
  ),
);

/** Every built-in rule, sorted by id. */
export const builtinRules: readonly Rule[] = combineRules(...byFolder.values());

/** The built-in rules of one family: its folder in RULE_FOLDERS. */
export function builtinRulesIn(folder: string): Rule[] {
  const rules = byFolder.get(folder);
  if (!rules) throw new Error(`no rules folder ${folder} (RULE_FOLDERS lists them)`);
  return combineRules(rules);
}

export function findRule(id: string, rules: readonly Rule[] = builtinRules): Rule | undefined {
  return rules.find((rule) => rule.meta.id === id);
}

export function ruleMetas(rules: readonly Rule[] = builtinRules): RuleMeta[] {
  return rules.map((rule) => rule.meta);
}
