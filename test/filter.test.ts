// The filter stage: per-environment severities, ignore annotations, baseline, quiet and the exit code.
// Every behaviour has a case where it applies and one where it must not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { InputError } from '../scripts/errors.ts';
import { runRulesSync } from '../scripts/check/engine.ts';
import { builtinRules, builtinRulesIn } from '../scripts/check/registry.ts';
import { applyFilters, exitCode, writeBaseline } from '../scripts/filter/index.ts';
import { resourcesFromYaml } from '../scripts/manifest/source.ts';
import type { Finding, LintConfig, RepoContext, ResourceRef } from '../scripts/types.ts';

const root = fileURLToPath(new URL('./fixtures/report/filter/', import.meta.url));
const manifest = 'overlays/dev/api/deployment.yaml';
const config = parse(readFileSync(join(root, 'gitops.yaml'), 'utf8')) as LintConfig;

function context(overrides: Partial<RepoContext> = {}): RepoContext {
  const resources = resourcesFromYaml(readFileSync(join(root, manifest), 'utf8'), manifest, {
    app: 'overlays/dev/api',
    env: 'dev',
  });
  return {
    root,
    config,
    kubernetesVersion: '1.32',
    environments: ['dev', 'prod'],
    kustomizations: ['overlays/dev/api/kustomization.yaml'],
    apps: [{ id: 'overlays/dev/api', kind: 'kustomization', env: 'dev', resources }],
    ...overrides,
  };
}

const api: ResourceRef = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'api' };
const web: ResourceRef = { ...api, name: 'web' };

function finding(ruleId: string, extra: Partial<Finding> = {}): Finding {
  return {
    ruleId,
    severity: 'warning',
    message: `${ruleId} finding`,
    file: manifest,
    line: 12,
    env: 'dev',
    app: 'overlays/dev/api',
    resource: api,
    ...extra,
  };
}

const filterRules = builtinRulesIn('filter/rules');

/**
 * The filter's rules (about the fixture's deliberate mistakes in settings and annotations) plus
 * applyFilters, as validate runs them; `kept` is without the filter rules' own findings.
 * `ruleIds`: the rule ids of the run (default: the built-in rules').
 */
function filtered(findings: Finding[], ctx = context(), options: { ruleIds?: string[]; quiet?: boolean } = {}) {
  const ruleIds = options.ruleIds ?? builtinRules.map((rule) => rule.meta.id);
  const ownFindings = runRulesSync(ctx, { rules: filterRules, ruleIds }).findings;
  const result = applyFilters([...findings, ...ownFindings], ctx, { quiet: options.quiet ?? false });
  const own = new Set(filterRules.map((rule) => rule.meta.id));
  return {
    ...result,
    kept: result.findings.filter((f) => !own.has(f.ruleId)),
    own: result.findings.filter((f) => own.has(f.ruleId)),
  };
}

test('severities: a plain value, a per-environment value, and untouched rules', () => {
  const { kept } = filtered([
    finding('image-tag-pinned', { env: 'prod', severity: 'info' }),
    finding('image-tag-pinned', { env: 'dev', severity: 'info' }),
    finding('replicas-minimum', { severity: 'error' }),
    finding('no-privileged', { severity: 'error' }),
    finding('no-host-path', { env: 'prod' }),
    finding('no-host-path', { env: 'staging' }),
    finding('no-host-path', { env: undefined }),
  ]);
  const severityOf = (ruleId: string, env = 'dev') => kept.find((f) => f.ruleId === ruleId && f.env === env)?.severity;
  assert.equal(severityOf('image-tag-pinned', 'prod'), 'error', 'env wins over severity');
  assert.equal(severityOf('image-tag-pinned', 'dev'), 'warning', 'severity applies to other environments');
  assert.equal(severityOf('replicas-minimum'), 'info');
  assert.equal(severityOf('no-privileged'), 'error', 'a rule without a setting keeps its severity');
  assert.equal(severityOf('no-host-path', 'prod'), 'error', 'a named environment wins over env.default');
  assert.equal(severityOf('no-host-path', 'staging'), 'info', 'env.default wins over severity');
  assert.equal(
    kept.find((f) => f.ruleId === 'no-host-path' && f.env === undefined)?.severity,
    'info',
    'env.default applies outside environments',
  );
});

test('severities: off with a reason suppresses and counts; off without a reason stays on and is reported on its line', () => {
  const { kept, own, suppressed } = filtered([
    finding('pdb-present'),
    finding('probes-present', { severity: 'error' }),
    finding('resources-set', { env: 'dev' }),
    finding('resources-set', { env: 'prod' }),
  ]);
  assert.ok(!kept.some((f) => f.ruleId === 'pdb-present'));
  assert.equal(suppressed, 1, 'pdb-present');
  assert.equal(
    kept.find((f) => f.ruleId === 'probes-present')?.severity,
    'error',
    'an unexplained off does not turn the rule off',
  );
  assert.equal(kept.filter((f) => f.ruleId === 'resources-set').length, 2);
  const reasonMissing = own.filter((f) => f.file === 'gitops.yaml' && f.ruleId === 'ignore-reason-missing');
  assert.deepEqual(
    reasonMissing.map((f) => [f.line, f.severity]),
    [
      [17, 'error'],
      [20, 'error'],
    ],
  );
  assert.match(reasonMissing[0].message, /lint\.rules\.probes-present is off without a reason/);
  assert.match(reasonMissing[1].message, /lint\.rules\.resources-set\.env\.dev is off without a reason/);
});

test('severities: a value that is not a severity is reported on its line and ignored', () => {
  const { kept, own } = filtered([finding('read-only-root-fs', { severity: 'error' })]);
  assert.equal(kept[0].severity, 'error');
  const invalid = own.find((f) => f.ruleId === 'lint-config-invalid');
  assert.deepEqual([invalid?.file, invalid?.line], ['gitops.yaml', 21]);
  assert.match(invalid!.message, /lint\.rules\.read-only-root-fs is "warn"; use one of error, warning, info, off/);
});

test('severities: no gitops.yaml means no settings and no problems', () => {
  const { findings, suppressed } = applyFilters([finding('probes-present')], context({ config: undefined, apps: [] }));
  assert.deepEqual(findings, [finding('probes-present')]);
  assert.equal(suppressed, 0);
});

test('filters: a list they keep whole is handed on as it is; one they change is copied and the argument stays', () => {
  const untouched = [finding('probes-present', { line: 3 }), finding('probes-present', { line: 4 })];
  const kept = applyFilters(untouched, context({ config: undefined, apps: [] }));
  assert.equal(kept.findings, untouched, 'no copy of 275,000 findings when no setting applies');
  // image-tag-pinned is an error in prod (the fixture's gitops.yaml): the second finding changes.
  const mixed = [
    finding('probes-present', { line: 1, env: 'prod' }),
    finding('image-tag-pinned', { line: 2, env: 'prod', severity: 'info' }),
    finding('probes-present', { line: 3, env: 'prod' }),
  ];
  const before = structuredClone(mixed);
  const changed = applyFilters(mixed, context()).findings;
  assert.notEqual(changed, mixed);
  assert.deepEqual(
    changed.map((f) => [f.line, f.severity]),
    [
      [1, 'warning'],
      [2, 'error'],
      [3, 'warning'],
    ],
  );
  assert.deepEqual(mixed, before, 'the argument is not changed');
});

test('ignore annotation: with a reason it suppresses that rule on that resource in that app only', () => {
  const { kept } = filtered([
    finding('run-as-non-root'),
    finding('run-as-non-root', { resource: web }),
    finding('run-as-non-root', { app: 'overlays/prod/api', env: 'prod' }),
    finding('read-only-root-fs-x'),
    finding('run-as-non-root', { app: undefined }),
  ]);
  assert.deepEqual(
    kept.map((f) => [f.ruleId, f.resource?.name, f.app]),
    [
      ['read-only-root-fs-x', 'api', 'overlays/dev/api'],
      ['run-as-non-root', 'web', 'overlays/dev/api'],
      ['run-as-non-root', 'api', 'overlays/prod/api'],
    ],
    'the annotated resource in its app, and a cross-app finding about it, are suppressed; other resources, apps and rules are not',
  );
});

test('ignore annotation: a copy with the same identity cannot switch a rule off for the other object', () => {
  // A directory source with two files defining Deployment shop/web: Argo CD deploys one of them, so the
  // harmless annotated copy must not hide the privileged one's finding.
  const twoFiles = (annotateBoth: boolean) => {
    const doc = (file: string, annotated: boolean) =>
      resourcesFromYaml(
        `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n` +
          (annotated ? `  annotations:\n    ignore-check.gitops.dev/no-privileged: "reviewed"\n` : ''),
        file,
        { app: 'apps/web' },
      );
    const resources = [...doc('apps/web/a.yaml', true), ...doc('apps/web/b.yaml', annotateBoth)];
    return context({ apps: [{ id: 'apps/web', kind: 'directory', resources }] });
  };
  const privileged = finding('no-privileged', {
    file: 'apps/web/b.yaml',
    app: 'apps/web',
    env: undefined,
    resource: { ...web, apiVersion: 'apps/v1' },
  });
  for (const app of ['apps/web', undefined]) {
    const one = { ...privileged, app };
    assert.equal(applyFilters([one], twoFiles(false)).findings.length, 1, `one copy annotated (app ${app})`);
    assert.equal(applyFilters([one], twoFiles(true)).findings.length, 0, `both copies annotated (app ${app})`);
  }
});

test('ignore annotation: an empty reason suppresses nothing and is an error on the annotation line', () => {
  const { kept, own } = filtered([finding('no-privilege-escalation')]);
  assert.equal(kept.length, 1);
  const missing = own.find((f) => f.ruleId === 'ignore-reason-missing' && f.file === manifest);
  assert.ok(missing);
  assert.deepEqual(
    [missing.line, missing.column, missing.severity, missing.env, missing.app],
    [8, 5, 'error', 'dev', 'overlays/dev/api'],
  );
  assert.deepEqual(missing.resource, api);
  assert.match(missing.message, /ignore-check\.gitops\.dev\/no-privilege-escalation has no reason/);
});

test('ignore annotation: "all" is not supported, and an annotation naming no rule of the run is reported', () => {
  const { own, kept } = filtered([finding('probes-present-x')]);
  const invalid = own.filter((f) => f.ruleId === 'ignore-annotation-invalid');
  assert.deepEqual(
    invalid.map((f) => f.line),
    [9, 10],
  );
  assert.match(invalid[0].message, /ignore-check\.gitops\.dev\/all is not supported/);
  assert.match(invalid[1].message, /no-such-rule names no known rule/);
  assert.equal(kept.length, 1, '"all" suppresses nothing');
  const withPlugin = filtered([], context(), {
    ruleIds: [...builtinRules.map((rule) => rule.meta.id), 'no-such-rule'],
  });
  assert.deepEqual(
    withPlugin.own.filter((f) => f.ruleId === 'ignore-annotation-invalid').map((f) => f.line),
    [9],
    'a rule the run has (a plugin rule) is a known rule',
  );
});

test('baseline: written deterministically, then only new findings are kept, even when lines move', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gitops-baseline-'));
  try {
    const ctx = context({ root: dir, config: undefined, apps: [] });
    const old = [
      finding('probes-present', { severity: 'error' }),
      finding('resources-set'),
      finding('resources-set', { line: 30, message: 'resources-set finding' }),
    ];
    writeBaseline('ci/baseline.json', old, dir);
    const first = readFileSync(join(dir, 'ci/baseline.json'), 'utf8');
    writeBaseline('ci/baseline.json', [...old].reverse(), dir);
    assert.equal(readFileSync(join(dir, 'ci/baseline.json'), 'utf8'), first, 'byte-identical whatever the order');
    const written = JSON.parse(first);
    assert.equal(written.version, 1);
    assert.deepEqual(
      written.findings.map((e: { ruleId: string; count: number }) => [e.ruleId, e.count]),
      [
        ['probes-present', 1],
        ['resources-set', 2],
      ],
    );
    assert.doesNotMatch(first, /"line"/, 'no line numbers in the baseline');

    const moved = old.map((f) => ({ ...f, line: (f.line ?? 0) + 5 }));
    const fresh = finding('image-tag-pinned');
    const third = finding('resources-set', { line: 50 });
    const { findings, suppressed } = applyFilters([...moved, fresh, third], ctx, { baselineFile: 'ci/baseline.json' });
    assert.deepEqual(findings, [fresh, third], 'a new rule and a third resources-set are new; moved ones are known');
    assert.equal(suppressed, 3);
    const changed = applyFilters(
      [finding('probes-present', { severity: 'error', message: 'a different problem' })],
      ctx,
      { baselineFile: 'ci/baseline.json' },
    );
    assert.equal(changed.findings.length, 1, 'a different message is a different finding');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('baseline: a missing or malformed file is a clear input error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gitops-baseline-'));
  try {
    const ctx = context({ root: dir, config: undefined, apps: [] });
    assert.throws(
      () => applyFilters([], ctx, { baselineFile: 'nope.json' }),
      (error: unknown) =>
        error instanceof InputError &&
        /nope\.json: baseline file not found; create it with --update-baseline/.test(error.format()),
    );
    writeFileSync(join(dir, 'bad.json'), '{ "version": 1, ');
    assert.throws(
      () => applyFilters([], ctx, { baselineFile: 'bad.json' }),
      (error: unknown) => error instanceof InputError && /bad\.json: baseline is not valid JSON/.test(error.format()),
    );
    writeFileSync(join(dir, 'old.json'), '{ "version": 7, "findings": [] }');
    assert.throws(() => applyFilters([], ctx, { baselineFile: 'old.json' }), /not a version 1 baseline/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('quiet keeps errors only, after severities are applied', () => {
  const ctx = context({ apps: [] });
  const { kept } = filtered(
    [
      finding('image-tag-pinned', { env: 'prod' }),
      finding('image-tag-pinned', { env: 'dev' }),
      finding('x', { severity: 'info' }),
    ],
    ctx,
    { quiet: true },
  );
  assert.deepEqual(
    kept.map((f) => [f.ruleId, f.env, f.severity]),
    [['image-tag-pinned', 'prod', 'error']],
  );
  assert.equal(filtered([finding('x', { severity: 'warning' })], ctx, { quiet: false }).kept.length, 1);
});

test('exit code: 1 on any error or on more warnings than allowed, else 0', () => {
  const warning = finding('w');
  const error = finding('e', { severity: 'error' });
  const info = finding('i', { severity: 'info' });
  assert.equal(exitCode([]), 0);
  assert.equal(exitCode([warning, warning, info]), 0, 'warnings alone pass without --max-warnings');
  assert.equal(exitCode([error]), 1);
  assert.equal(exitCode([warning, warning], 2), 0);
  assert.equal(exitCode([warning, warning, warning], 2), 1);
  assert.equal(exitCode([warning], 0), 1);
  assert.equal(exitCode([info, info], 0), 0, 'infos never fail');
});

test('output is sorted whatever the input order', () => {
  const ctx = context({ config: undefined, apps: [] });
  const input = [
    finding('b', { file: 'z.yaml' }),
    finding('a', { file: 'a.yaml', line: 9 }),
    finding('a', { file: 'a.yaml', line: 2 }),
  ];
  const { findings } = applyFilters(input, ctx);
  assert.deepEqual(
    findings.map((f) => `${f.file}:${f.line}`),
    ['a.yaml:2', 'a.yaml:9', 'z.yaml:12'],
  );
});
