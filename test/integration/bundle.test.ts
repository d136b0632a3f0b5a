// The bundle `node bin/gitops.js` runs (bin/checkout-build.js; the package's dist/ is built by the same
// function): a bundle cannot scan the rules folders, so its registry is a list generated at build time.
// It must hold the very rules the scan finds, in the same order, and nothing of ours may be left as an
// import outside the bundle (a module the command would load one by one, or not find in the package).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RULE_FOLDERS, builtinRules } from '../../scripts/check/registry.ts';
import type { Rule } from '../../scripts/check/contract.ts';

interface CheckoutBuild {
  compiledTree(): Promise<string>;
  ruleFolders(): string[];
}
const checkoutBuild: string = '../../bin/checkout-build.js'; // plain JavaScript, untyped
const build = (await import(checkoutBuild)) as CheckoutBuild;

test("the bundle's rules are the ones the registry's folder scan finds, with the same metas, in the same order", async () => {
  assert.deepEqual(build.ruleFolders(), RULE_FOLDERS, "the builder reads registry.ts's RULE_FOLDERS");
  const bundle = join(await build.compiledTree(), 'bundle');
  const library = (await import(pathToFileURL(join(bundle, 'index.mjs')).href)) as { builtinRules: readonly Rule[] };
  assert.ok(library.builtinRules.length > 100);
  assert.deepEqual(
    library.builtinRules.map((rule) => rule.meta),
    builtinRules.map((rule) => rule.meta),
  );
});

test('the bundle imports only its own chunks and packages: none of our modules is left outside it', async () => {
  const bundle = join(await build.compiledTree(), 'bundle');
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.mjs')) files.push(path);
    }
  };
  walk(bundle);
  assert.ok(files.length > 2 && files.length < 200, `${files.length} modules`);
  const outside: string[] = [];
  let imports = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:from\s*|import\s*\(\s*|import\s+)"(\.\.?\/[^"]+)"/g)) {
      imports++;
      const target = resolve(dirname(file), match[1]);
      if (relative(bundle, target).startsWith('..') || !files.includes(target))
        outside.push(`${relative(bundle, file)} -> ${match[1]}`);
    }
  }
  assert.ok(imports > files.length, `${imports} imports between the bundle's modules were read`);
  assert.deepEqual(outside, []);
});
