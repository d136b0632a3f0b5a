// The one engine: scopes, isolation of a throwing rule, the finding builder, timing, and the registry
// that finds rule modules by looking in the rules folders (a throwing rule of every family through the
// whole pipeline: test/integration/engine-families.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { defineRule, type Rule, type RuleDefinition } from '../../scripts/check/contract.ts';
import { runRules, runRulesSync } from '../../scripts/check/engine.ts';
import { RULE_FOLDERS, builtinRules, builtinRulesIn, loadRuleFolder } from '../../scripts/check/registry.ts';
import { codeExtension } from '../../scripts/tool.ts';
import type { Resource } from '../../scripts/types.ts';
import { app, context, deployment } from '../rules/helpers.ts';

const scripts = fileURLToPath(new URL('../../scripts/', import.meta.url));
const contractUrl = pathToFileURL(join(scripts, 'check', 'contract.ts')).href;

const docs = { why: 'Because a test needs a rule.', fix: 'Nothing to fix.' };

/** A resource rule for a test: the meta every test here needs, with its own id, severity and check. */
function resourceRule(
  id: string,
  description: string,
  defaultSeverity: 'error' | 'warning',
  check: RuleDefinition<'resource'>['check'],
): Rule {
  return defineRule({ meta: { id, description, defaultSeverity, category: 'files', scope: 'resource', docs }, check });
}
const two = context([
  app({ files: { 'apps/web/a.yaml': deployment('image: a:1', { name: 'web' }) } }),
  app({ files: { 'apps/api/a.yaml': deployment('image: a:1', { name: 'api' }) } }),
]);

test('each scope is called once per thing in it, and findings come back in the one order', () => {
  const calls: string[] = [];
  const rule = (scope: 'resource' | 'app' | 'repository') =>
    defineRule({
      meta: {
        id: `count-${scope}`,
        description: 'counts calls',
        defaultSeverity: 'info',
        category: 'files',
        scope,
        docs,
      },
      check(context) {
        const { app: unit, resource } = context as { app?: { id: string }; resource?: { object: { kind?: string } } };
        calls.push(`${scope}:${unit?.id ?? ''}:${resource?.object.kind ?? ''}`);
        context.report({ message: `${scope} call`, location: { file: unit?.id ?? 'z', line: calls.length } });
      },
    });
  const { findings, faults } = runRulesSync(two, { rules: [rule('repository'), rule('app'), rule('resource')] });
  assert.deepEqual(faults, []);
  assert.deepEqual(calls.sort(), [
    'app:apps/api:',
    'app:apps/web:',
    'repository::',
    'resource:apps/api:Deployment',
    'resource:apps/web:Deployment',
  ]);
  const files = findings.map((f) => f.file);
  assert.deepEqual(files, [...files].sort(), 'sorted by file');
  assert.ok(
    findings.every((f) => f.severity === 'info'),
    'severity comes from meta',
  );
});

test('the repository rules and the rules that read across scopes run first; the scope rules after them', () => {
  const calls: string[] = [];
  const rule = (id: string, scope: 'resource' | 'app' | 'repository', reach?: 'scope') =>
    defineRule({
      meta: {
        id,
        description: 'logs',
        defaultSeverity: 'info',
        category: 'files',
        scope,
        ...(reach ? { reach } : {}),
        docs,
      },
      check(context) {
        const { app: unit, resource } = context as { app?: { id: string }; resource?: Resource };
        calls.push(`${id} ${unit?.id ?? ''}${resource ? ` ${resource.object.kind}` : ''}`);
      },
    });
  const rules = [
    rule('local', 'resource', 'scope'),
    rule('local-app', 'app', 'scope'),
    rule('wide', 'resource'),
    rule('repo', 'repository'),
  ];
  runRulesSync(two, { rules });
  assert.deepEqual(calls, [
    'repo ',
    'wide apps/web Deployment',
    'wide apps/api Deployment',
    'local-app apps/web',
    'local apps/web Deployment',
    'local-app apps/api',
    'local apps/api Deployment',
  ]);
});

test('hundreds of thousands of findings from one rule on one file come back whole, and every format prints them', async () => {
  // push(...findings) with ~175,000 findings was "Maximum call stack size exceeded" (issue 14).
  const count = 200_000;
  const flood = resourceRule('flood', 'many findings', 'warning', ({ resource, report }) => {
    for (let i = 0; i < count / 2; i++)
      report({ resource, message: `finding ${i}`, location: { file: 'a.yaml', line: i + 1 } });
  });
  const { findings, faults } = runRulesSync(two, { rules: [flood] });
  assert.deepEqual(faults, []);
  assert.equal(findings.length, count);
  const { formatReport } = await import('../../scripts/report/index.ts');
  const report = {
    findings,
    summary: {
      errors: 0,
      warnings: count,
      infos: 0,
      suppressed: 0,
      apps: 2,
      partlyChecked: 0,
      environments: [],
      resources: 2,
      durationMs: 0,
    },
    rules: [flood.meta],
    tool: { name: 'gitops', version: 'test' },
  };
  for (const format of ['stylish', 'json', 'junit'] as const)
    assert.ok(formatReport(format, report as never).includes('finding 99999'), format);
  // markdown is a pull-request comment: cut to its budget, saying so
  assert.match(formatReport('markdown', report as never), /more findings not shown here/);
});

test('the finding builder: location, env, app and resource from the resource; severity from meta', () => {
  const rule = resourceRule('on-the-field', 'reports a field', 'warning', ({ resource, report }) => {
    report({ resource, path: ['spec', 'replicas'], message: 'replicas', hint: 'lower it' });
  });
  const ctx = context([app({ env: 'prod', files: { 'overlays/prod/web/d.yaml': deployment('image: a:1') } })]);
  const [finding] = runRulesSync(ctx, { rules: [rule] }).findings;
  assert.deepEqual(finding, {
    ruleId: 'on-the-field',
    severity: 'warning',
    message: 'replicas',
    file: 'overlays/prod/web/d.yaml',
    line: 6,
    column: 3,
    env: 'prod',
    app: 'overlays/prod/web',
    resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    path: ['spec', 'replicas'],
    hint: 'lower it',
  });
});

test('one copy per run of each repeated path and text: exact, frozen, keys of different types kept apart', () => {
  const rule = resourceRule('on-each-container', 'reports every container', 'warning', ({ resource, report }) => {
    const base = ['spec', 'template', 'spec', 'containers'];
    // Built fresh per report, as rules do ([...base, index] keeps spare room).
    report({ resource, path: [...base, 0], message: `one ${'message'}`, hint: ['the', 'hint'].join(' ') });
    report({ resource, path: [...base, '0'], message: `one ${'message'}`, hint: ['the', 'hint'].join(' ') });
    report({ resource, path: [...base, 0], message: 'another', hint: ['the', 'hint'].join(' ') });
  });
  const ctx = context([
    app({ files: { 'a/d.yaml': deployment('image: a:1') } }),
    app({ files: { 'b/d.yaml': deployment('image: b:1') } }),
  ]);
  const findings = runRulesSync(ctx, { rules: [rule] }).findings;
  assert.equal(findings.length, 6);
  const byIndex = findings.filter((finding) => finding.path?.at(-1) === 0);
  const byName = findings.filter((finding) => finding.path?.at(-1) === '0');
  assert.equal(byIndex.length, 4);
  assert.equal(byName.length, 2, 'index 0 and key "0" are different paths');
  assert.ok(
    byIndex.every((finding) => finding.path === byIndex[0].path),
    'one shared path',
  );
  assert.notEqual(byName[0].path, byIndex[0].path);
  assert.ok(Object.isFrozen(byIndex[0].path));
  assert.deepEqual(byIndex[0].path, ['spec', 'template', 'spec', 'containers', 0]);
  assert.deepEqual([...new Set(findings.map((finding) => finding.hint))], ['the hint']);
  assert.deepEqual([...new Set(findings.map((finding) => finding.message))].sort(), ['another', 'one message']);
});

test('a rule that throws is one internal-error naming the rule and the resource; its other findings and every other rule stay', () => {
  const flaky = resourceRule('flaky', 'throws on web', 'error', ({ resource, report }) => {
    if (resource.object.metadata?.name === 'web') throw new Error('boom');
    report({ resource, message: 'checked' });
  });
  const steady = builtinRules.find((rule) => rule.meta.id === 'run-as-non-root')!;
  const { findings, faults } = runRulesSync(two, { rules: [flaky, steady] });
  const internal = findings.filter((f) => f.ruleId === 'internal-error');
  assert.equal(internal.length, 1);
  assert.equal(
    internal[0].message,
    'the flaky rule crashed on Deployment/web in apps/web: boom; its findings are incomplete, please report it',
  );
  assert.deepEqual([internal[0].file, internal[0].line, internal[0].resource?.name], ['apps/web/a.yaml', 1, 'web']);
  assert.deepEqual(
    findings.filter((f) => f.ruleId === 'flaky').map((f) => f.resource?.name),
    ['api'],
  );
  assert.equal(findings.filter((f) => f.ruleId === 'run-as-non-root').length, 2);
  assert.deepEqual(
    faults.map((f) => [f.ruleId, (f.error as Error).message]),
    [['flaky', 'boom']],
  );
  // The same rule throwing everywhere is still one finding, counting the rest.
  const broken = defineRule({
    ...flaky,
    meta: { ...flaky.meta, id: 'broken' },
    check: () => Promise.reject(new Error('async boom')),
  });
  return runRules(two, { rules: [broken] }).then(({ findings: only }) => {
    assert.deepEqual(
      only.map((f) => f.message),
      [
        'the broken rule crashed on Deployment/web in apps/web (and on 1 more): async boom; its findings are incomplete, please report it',
      ],
    );
  });
});

test('--timing: one entry per rule with its number of calls, slowest first', () => {
  const rules = builtinRulesIn('rules').slice(0, 3);
  const { timings } = runRulesSync(two, { rules, timing: true });
  assert.equal(timings.length, 3);
  for (const timing of timings) {
    const rule = rules.find((r) => r.meta.id === timing.ruleId)!;
    // Two apps of one Deployment each: a resource rule of other kinds (meta.kinds) is never called.
    const onDeployments = !rule.meta.kinds || rule.meta.kinds.includes('Deployment');
    assert.equal(
      timing.calls,
      rule.meta.scope === 'resource' ? (onDeployments ? 2 : 0) : rule.meta.scope === 'app' ? 2 : 1,
    );
  }
  assert.deepEqual(
    timings.map((t) => t.ms),
    timings.map((t) => t.ms).sort((a, b) => b - a),
  );
  assert.deepEqual(runRulesSync(two, { rules }).timings, []);
});

test('the registry picks up a new rule file, and refuses a helper or a misnamed file in a rules folder', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'rules-folder-'));
  // The registry reads modules of its own extension: .ts under tsx, .mjs in the compiled tree (npm test).
  const file = (name: string) => join(folder, 'reliability', `${name}${codeExtension}`);
  try {
    mkdirSync(join(folder, 'reliability'));
    const module = (id: string) =>
      `import { defineRule } from ${JSON.stringify(contractUrl)};\nexport default defineRule({ meta: { id: ${JSON.stringify(id)}, description: 'a new rule', defaultSeverity: 'warning', category: 'reliability', scope: 'resource', docs: { why: 'w', fix: 'f' } }, check() {} });\n`;
    writeFileSync(file('brand-new'), module('brand-new'));
    assert.deepEqual(
      (await loadRuleFolder(folder)).map((rule: Rule) => rule.meta.id),
      ['brand-new'],
    );
    writeFileSync(file('helpers'), 'export const x = 1;\n');
    await assert.rejects(
      loadRuleFolder(folder),
      new RegExp(`helpers\\${codeExtension} is in a rules folder but is not a rule module`),
    );
    rmSync(file('helpers'));
    writeFileSync(file('other-name'), module('not-the-file-name'));
    await assert.rejects(loadRuleFolder(folder), /the file name must be the rule id "not-the-file-name"/);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('ESLint holds every rules folder to the contract: no Finding built by hand, no disk or program behind RepoContext', async () => {
  const config = (await import(pathToFileURL(join(scripts, '..', 'eslint.config.js')).href)) as {
    RULE_FOLDERS: string[];
    default: { files?: string[]; rules?: Record<string, unknown> }[];
  };
  assert.deepEqual(config.RULE_FOLDERS, RULE_FOLDERS);
  const block = config.default.find((entry) => entry.files?.includes('scripts/rules/**/*.ts'));
  assert.deepEqual(
    block?.files,
    RULE_FOLDERS.map((folder) => `scripts/${folder}/**/*.ts`),
  );
  const text = JSON.stringify(block?.rules?.['no-restricted-imports']);
  for (const banned of ['check/finding.ts', 'node:fs', 'node:child_process', 'safe/files.ts', 'cli/*'])
    assert.ok(text.includes(banned), banned);
});

test('every file in the rules folders is a built-in rule, and ids are unique', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? files(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [entry.name.slice(0, -3)] : [],
    );
  const onDisk = RULE_FOLDERS.flatMap((folder) => files(join(scripts, folder))).sort();
  assert.deepEqual(
    builtinRules.map((rule) => rule.meta.id),
    onDisk,
  );
  assert.equal(new Set(onDisk).size, onDisk.length);
  assert.ok(builtinRules.length >= 62);
});

test('defineRule refuses incomplete meta', () => {
  assert.throws(
    () =>
      defineRule({
        meta: { id: 'Bad Id', description: '', defaultSeverity: 'error', category: 'x', scope: 'resource', docs },
        check() {},
      }),
    /meta\.id must be lower-case words[\s\S]*meta\.description is missing/,
  );
  // A repository rule reads everything: it has no reach to declare.
  assert.throws(
    () =>
      defineRule({
        meta: {
          id: 'wide',
          description: 'x',
          defaultSeverity: 'error',
          category: 'x',
          scope: 'repository',
          reach: 'scope',
          docs,
        },
        check() {},
      }),
    /meta\.reach is 'scope'/,
  );
});

test('every rule has its own test file, at the path of its module under test/', () => {
  const tests = fileURLToPath(new URL('../', import.meta.url));
  const missing: string[] = [];
  for (const folder of RULE_FOLDERS) {
    const walk = (rel: string): void => {
      for (const entry of readdirSync(join(scripts, folder, rel), { withFileTypes: true })) {
        const child = rel ? `${rel}/${entry.name}` : entry.name;
        if (entry.isDirectory()) walk(child);
        else if (entry.name.endsWith('.ts')) {
          const testFile = join(tests, folder, child.replace(/\.ts$/, '.test.ts'));
          if (!existsSync(testFile)) missing.push(`test/${folder}/${child.replace(/\.ts$/, '.test.ts')}`);
        }
      }
    };
    walk('');
  }
  assert.deepEqual(missing, []);
});

test('meta.kinds: a resource rule is called on objects of its kinds only, in the order the rules were given', () => {
  const calls: string[] = [];
  const rule = (id: string, kinds?: string[]) =>
    defineRule({
      meta: {
        id,
        description: id,
        defaultSeverity: 'error',
        category: 'files',
        scope: 'resource',
        ...(kinds ? { kinds } : {}),
        docs,
      },
      check({ resource, report }) {
        calls.push(`${id}:${resource.object.kind}`);
        report({ resource, message: `${id} on ${resource.object.kind}` });
      },
    });
  const mixed = context([
    app({
      files: {
        'apps/web/a.yaml': `${deployment('image: a:1')}---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web, namespace: shop}
---
apiVersion: v1
metadata: {name: kindless}
`,
      },
    }),
  ]);
  const result = runRulesSync(mixed, {
    rules: [rule('every'), rule('workloads', ['Deployment', 'StatefulSet']), rule('services', ['Service'])],
  });
  assert.deepEqual(calls, [
    'every:Deployment',
    'workloads:Deployment',
    'every:Service',
    'services:Service',
    'every:ConfigMap',
  ]);
  assert.deepEqual(
    result.findings.map((finding) => finding.message),
    ['every on Deployment', 'workloads on Deployment', 'every on Service', 'services on Service', 'every on ConfigMap'],
  );
});

test('defineRule refuses meta.kinds that is not a list of kinds of a resource rule', () => {
  const withKinds = (scope: 'resource' | 'app', kinds: unknown) => () =>
    defineRule({
      meta: {
        id: 'k',
        description: 'x',
        defaultSeverity: 'error',
        category: 'x',
        scope,
        kinds: kinds as string[],
        docs,
      },
      check() {},
    });
  for (const kinds of [[], [''], 'Deployment', [3]]) assert.throws(withKinds('resource', kinds), /meta\.kinds/);
  assert.throws(withKinds('app', ['Deployment']), /meta\.kinds/);
  assert.doesNotThrow(withKinds('resource', ['Deployment']));
});
