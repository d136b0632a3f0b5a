// Lists whose length the repository decides: no call may spread one into its arguments (past about
// 120,000 V8 throws "Maximum call stack size exceeded"), and the places that crashed that way do not.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { appendAll, largest, smallest } from '../scripts/lists.ts';
import { loadRepoContext } from '../scripts/validate/index.ts';
import { runRule, single } from './rules/helpers.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const MANY = 200_000;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.generated.ts') ? [path] : [];
  });
}

/** The text without comments, so a comment may name what it avoids. Strings stay: none holds the pattern. */
const withoutComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');

/** A call that spreads a list into its arguments, where lists grow or are compared. */
const LIST_SPREAD = /\b(push|unshift|max|min|fromCharCode)\(\s*\.\.\./;

test('no code under scripts/ spreads a list into push, unshift, Math.max, Math.min or fromCharCode', () => {
  const offenders = sourceFiles(join(root, 'scripts')).flatMap((file) => {
    const code = withoutComments(readFileSync(file, 'utf8'));
    return [...code.matchAll(new RegExp(LIST_SPREAD, 'g'))].map(
      (match) => `${relative(root, file)}:${code.slice(0, match.index).split('\n').length}: ${match[0]}`,
    );
  });
  assert.deepEqual(offenders, [], 'use appendAll, largest or smallest from scripts/lists.ts');
});

test('the guard sees a spread written over two lines', () => {
  assert.match(withoutComments('out.push(\n  ...more,\n);'), LIST_SPREAD);
  assert.doesNotMatch(withoutComments('// not push(...): a unit may hold 100,000s'), LIST_SPREAD);
});

test('appendAll, largest and smallest take lists far past the argument limit', () => {
  const items = Array.from({ length: MANY }, (_, i) => i);
  assert.throws(() => [].push(...(items as never[])), RangeError, 'the limit this guards against');
  const target = [-1];
  assert.equal(appendAll(target, items), target);
  assert.equal(target.length, MANY + 1);
  assert.deepEqual([target[0], target[1], target[MANY]], [-1, 0, MANY - 1]);
  assert.equal(largest(items), MANY - 1);
  assert.equal(smallest(items), 0);
  assert.equal(largest([]), Math.max());
  assert.equal(smallest([]), Math.min());
  assert.ok(Number.isNaN(largest([1, NaN, 3])) && Number.isNaN(smallest([1, NaN, 3])));
  assert.equal(largest(new Set([3, 9, 4])), 9);
});

test('a loose file of 150,000 documents loads (it overflowed the stack)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gitops-many-documents-'));
  try {
    const count = 150_000;
    let text = '';
    for (let i = 0; i < count; i++) text += `---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}}\n`;
    writeFileSync(join(dir, 'many.yaml'), text);
    const { ctx } = await loadRepoContext(dir);
    assert.equal(ctx.apps.length, 1);
    assert.equal(ctx.apps[0].resources.length, count);
    assert.equal(ctx.apps[0].resources[count - 1].object.metadata?.name, `c${count - 1}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('no-secret-literals reads a ConfigMap value of 200,000 lines and a container of 200,000 args', () => {
  const lines = Array.from({ length: MANY }, (_, i) => `key${i}=value${i}`);
  lines[MANY - 1] = 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  const configMap = `apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: shop}
data:
  app.properties: ${JSON.stringify(lines.join('\n'))}
`;
  const found = runRule('no-secret-literals', single(configMap));
  assert.equal(found.length, 1, 'the secret on the last line is found');
  assert.doesNotMatch(JSON.stringify(found), /wJalrXUtnFEMI/);

  const args = Array.from({ length: MANY }, (_, i) => `--flag${i}=x`);
  const pod = `apiVersion: v1
kind: Pod
metadata: {name: busy, namespace: shop}
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      args: ${JSON.stringify(args)}
`;
  assert.deepEqual(runRule('no-secret-literals', single(pod)), []);
});
