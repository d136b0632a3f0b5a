// Our own regexes run on the repository's text (manifests, kustomizations, gitops.yaml, Helm values,
// ApplicationSet templates, what kustomize says about them), and JavaScript's RegExp backtracks: a
// pattern whose running time is super-linear in its input hangs `gitops validate` on a crafted file
// (no-secret-literals took 54 s on one ConfigMap line). Patterns the repository supplies go to RE2
// (scripts/safe/regex.ts); this test puts every regex literal under scripts/, found with the
// TypeScript scanner, and the `new RegExp`s listed below through recheck, a ReDoS checker (automata
// theory, fuzzing for large patterns; fixed seed, step limits instead of time limits: deterministic),
// and fails on any it calls vulnerable that ALLOWED does not list with the reason it is safe.
// recheck runs as its native agent (the recheck-linux-x64 package: 30 s of checks, 20 s two at a time);
// without it, as its pure-JavaScript build, the same analysis, about seven times slower. In
// integration/: it starts that agent process.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { IMAGE_REPOSITORY } from '../../scripts/config/image-reference.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Generated (rule metadata: text, no regex of ours) or benchmarks (they read only what they write). */
const SKIPPED = ['scripts/check/rule-metas.generated.ts', 'scripts/bench'];

/**
 * Patterns recheck calls vulnerable that are safe where they run, each with the reason. Keyed by
 * `/source/flags`; an entry no literal has any more fails the test, so the list cannot go stale.
 */
const ALLOWED: Record<string, string> = {
  // Our own text
  '/^# file: (\\S+)(?: -> (\\S+))?\\s*(?:#.*)?$/':
    "check/catalog.ts: reads the rules' own documentation examples (rule metadata in scripts/), never the repository",
  '/^\\s*static kind: /m':
    'schema/build.ts: `gitops schemas` reads the installed kubernetes-models packages, at build time, not the repository',
  '/export type \\{([^}]*)\\}/g': 'schema/build.ts: the installed kubernetes-models packages, at build time',
  '/(\\w+)\\.attributeTypeMap = (\\[[\\s\\S]*?\\]);/g':
    'schema/versions-build.ts: the installed @kubernetes/client-node models, at build time',
  '/(?:>|; \\})+$/': 'schema/versions-build.ts: the installed client models, at build time',
  // Input of bounded length
  '/^[-.]+|[-.]+$/g':
    'argocd/gotemplate/functions.ts (slugify): runs on the text after .slice(0, 253): at most 253² steps',
};

/**
 * Vulnerable on repository text and NOT fixed yet: each is quadratic (or cubic) on a crafted input and
 * waits for a linear rewrite like the ones in scripts/safe/text.ts. Listed so that the test keeps every
 * other pattern linear meanwhile; an entry that recheck no longer calls vulnerable fails the test.
 */
const NOT_YET_FIXED: Record<string, string> = {};

interface Found {
  source: string;
  flags: string;
  where: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    const rel = relative(root, path);
    if (SKIPPED.includes(rel)) return [];
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every regex literal under scripts/, by the TypeScript scanner (not a regex: no string or comment is taken for one). */
function regexLiterals(): Found[] {
  const found: Found[] = [];
  for (const file of sourceFiles(join(root, 'scripts'))) {
    const text = readFileSync(file, 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node) => {
      if (ts.isRegularExpressionLiteral(node)) {
        const slash = node.text.lastIndexOf('/');
        const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        found.push({
          source: node.text.slice(1, slash),
          flags: node.text.slice(slash + 1),
          where: `${relative(root, file)}:${line}`,
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

/**
 * The `new RegExp(...)` calls under scripts/, by file, with the patterns they build (their sources are
 * not literals). A new call fails the test until it is listed here.
 */
const DYNAMIC: Record<string, Found[]> = {
  'scripts/config/image-reference.ts': [{ source: IMAGE_REPOSITORY.source, flags: '', where: 'IMAGE_REPOSITORY' }],
  // one per key of the values path: the key is escaped, so a literal
  'scripts/render/helm-output.ts': [
    { source: `^\\s*(- )?["']?image\\.repository["']?\\s*:`, flags: '', where: 'a values key' },
  ],
  // the names it is called with
  'scripts/render/wrapper.ts': ['path', 'configuredIn', 'repo'].map((name) => ({
    source: `^${name}:\\s*(.+)$`,
    flags: 'm',
    where: `field(…, '${name}')`,
  })),
  // a secret's value or its base64, escaped: a literal between two one-character lookarounds
  'scripts/safe/redact.ts': [
    { source: '(?<![\\w./-])s3cr3t\\+Pa55(?![\\w/-])', flags: 'g', where: 'a redacted value' },
  ],
  // the `pattern`s of our own schemas/ (any other schema's go to RE2 only: schema/validator.ts)
  'scripts/schema/goRegExp.ts': [],
};

function dynamicCalls(): string[] {
  const files: string[] = [];
  for (const file of sourceFiles(join(root, 'scripts'))) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node) => {
      if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && node.expression.getText(source) === 'RegExp')
        files.push(relative(root, file));
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return [...new Set(files)].sort();
}

test('every new RegExp under scripts/ is listed with the patterns it builds', () => {
  assert.deepEqual(dynamicCalls(), Object.keys(DYNAMIC).sort());
});

test('no regex of ours backtracks super-linearly, but for the allowed ones and why', async () => {
  const { check } = await import('recheck');
  const patterns = new Map<string, Found[]>();
  for (const found of [...regexLiterals(), ...Object.values(DYNAMIC).flat()]) {
    const key = `/${found.source}/${found.flags}`;
    patterns.set(key, [...(patterns.get(key) ?? []), found]);
  }
  assert.ok(patterns.size > 200, `only ${patterns.size} patterns found: is the scan broken?`);
  const vulnerable: string[] = [];
  const unknown: string[] = [];
  const fixed: string[] = [];
  const options = {
    randomSeed: 0,
    timeout: null,
    incubationTimeout: null,
    attackTimeout: null,
    seedingTimeout: null,
    recallTimeout: -1,
  };
  // Two at a time (the machine's two cores); all at once is slower than one by one.
  const queue = [...patterns];
  const results: { key: string; found: Found[]; result: Awaited<ReturnType<typeof check>> }[] = [];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [key, found] = next;
      results.push({ key, found, result: await check(found[0].source, found[0].flags, options) });
    }
  };
  await Promise.all([worker(), worker()]);
  results.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const { key, found, result } of results) {
    const where = found.map((f) => f.where).join(', ');
    if (key in NOT_YET_FIXED) {
      if (result.status !== 'vulnerable') fixed.push(key);
    } else if (result.status === 'vulnerable' && !(key in ALLOWED))
      vulnerable.push(`${key} (${result.complexity.summary}, e.g. ${result.attack.pattern}) at ${where}`);
    if (result.status === 'unknown') unknown.push(`${key}: ${JSON.stringify(result.error)} at ${where}`);
  }
  assert.deepEqual(vulnerable, [], 'super-linear regexes on repository text: rewrite them (scripts/safe/text.ts)');
  assert.deepEqual(unknown, [], 'recheck could not decide');
  assert.deepEqual(fixed, [], 'no longer vulnerable: take them out of NOT_YET_FIXED');
  const stale = [...Object.keys(ALLOWED), ...Object.keys(NOT_YET_FIXED)].filter((key) => !patterns.has(key));
  assert.deepEqual(stale, [], 'ALLOWED lists patterns no code has any more');
});
