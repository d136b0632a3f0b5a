// Custom rules from plugin modules: a module whose default export is a rule, a list of rules, or
// { rules: [...] }, each on the same contract as the built-in rules (contract.ts). Loading a module runs
// its code, so the tool loads only what the person running it names (docs/custom-rules.md, "Plugins
// and untrusted repositories"): never because a repository under check says so.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError } from '../errors.ts';
import { ruleShapeProblems, type Rule } from './contract.ts';

/** The rules of each plugin module, in the order given. Bad modules are InputErrors (exit 2) naming the file. */
export async function loadPlugins(paths: readonly string[], baseDir = process.cwd()): Promise<Rule[]> {
  const rules: Rule[] = [];
  for (const path of paths) {
    const file = resolve(baseDir, path);
    if (!existsSync(file)) throw new InputError(`plugin ${path} does not exist`, path);
    let module: { default?: unknown };
    try {
      module = (await import(pathToFileURL(file).href)) as { default?: unknown };
    } catch (error) {
      throw new InputError(`plugin ${path} failed to load: ${(error as Error)?.message ?? String(error)}`, path);
    }
    // A .ts module outside an ESM package loads as CommonJS: its `export default` arrives one level down.
    let exported = module.default;
    if (exported && typeof exported === 'object' && !('meta' in exported) && 'default' in exported)
      exported = (exported as { default: unknown }).default;
    const candidates = Array.isArray(exported)
      ? exported
      : exported && typeof exported === 'object' && Array.isArray((exported as { rules?: unknown }).rules)
        ? (exported as { rules: unknown[] }).rules
        : [exported];
    candidates.forEach((candidate, index) => {
      const problems = ruleShapeProblems(candidate);
      if (problems.length > 0)
        throw new InputError(
          `plugin ${path}: export ${Array.isArray(exported) || candidates.length > 1 ? `#${index} ` : ''}is not a rule: ${problems.join('; ')}`,
          path,
        );
      rules.push(Object.freeze({ ...(candidate as Rule) }));
    });
  }
  return rules;
}
