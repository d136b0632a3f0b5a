// Builds RepoContexts from YAML fixtures for rule tests, and runs one rule over them.
import assert from 'node:assert/strict';
import { resourcesFromYaml } from '../../scripts/manifest/source.ts';
import { runRulesSync } from '../../scripts/check/engine.ts';
import { findRule } from '../../scripts/check/registry.ts';
import type { Rule } from '../../scripts/check/contract.ts';
import type { App, Finding, LintConfig, RepoContext } from '../../scripts/types.ts';

/** The rule without its meta.kinds: the engine calls it on every object (to hold a rule to its kinds). */
export function calledOnEveryObject(rule: Rule): Rule {
  const { kinds: _kinds, ...meta } = rule.meta;
  return { meta, check: rule.check };
}

export interface AppFixture {
  /** The app id (kustomization root); defaults to the file's folder. */
  app?: string;
  env?: string;
  /** A loose manifest file rather than a kustomization root. */
  manifests?: boolean;
  /** file path -> YAML text; every file's resources belong to the app. */
  files: Record<string, string>;
  /** Why only part of the unit could be rendered (App.partial): a remote base, helmCharts... */
  partial?: string;
  /** Names of the Argo CD Applications that deploy it (App.applications). */
  applications?: string[];
}

export function app(fixture: AppFixture): App {
  const files = Object.keys(fixture.files);
  const id = fixture.app ?? (fixture.manifests ? files[0] : files[0].split('/').slice(0, -1).join('/'));
  const resources = files.flatMap((file) =>
    resourcesFromYaml(fixture.files[file], file, { app: id, ...(fixture.env ? { env: fixture.env } : {}) }),
  );
  return {
    id,
    kind: fixture.manifests ? 'manifests' : 'kustomization',
    ...(fixture.env ? { env: fixture.env } : {}),
    ...(fixture.partial ? { partial: fixture.partial } : {}),
    ...(fixture.applications ? { applications: fixture.applications } : {}),
    resources,
  };
}

export function context(apps: App[], config?: LintConfig): RepoContext {
  const environments = [...new Set(apps.map((a) => a.env).filter((e): e is string => !!e))];
  return {
    root: '/repo',
    kubernetesVersion: '1.32',
    apps,
    environments,
    kustomizations: [],
    ...(config ? { config } : {}),
  };
}

/** One YAML file in one app: the common case. */
export function single(yaml: string, file = 'app/resources.yaml', env?: string): RepoContext {
  return context([app({ files: { [file]: yaml }, ...(env ? { env } : {}) })]);
}

export function runRule(id: string, ctx: RepoContext): Finding[] {
  const rule = findRule(id);
  assert.ok(rule, `rule ${id} exists`);
  const { findings, faults } = runRulesSync(ctx, { rules: [rule] });
  assert.deepEqual(faults, [], `${id} does not crash`);
  return findings;
}

/** [ruleId, file, line] of each finding, for exact assertions. */
export function where(findings: Finding[]): [string, string, number | undefined][] {
  return findings.map((f) => [f.ruleId, f.file, f.line]);
}

export function assertNoLeak(findings: Finding[], ...secrets: string[]): void {
  const text = JSON.stringify(findings);
  for (const secret of secrets) assert.ok(!text.includes(secret), `a finding leaks "${secret}"`);
}

/** A Deployment with one container; `container` is YAML indented for the containers list item body. */
export function deployment(
  container: string,
  extra: { name?: string; labels?: string; podSpec?: string; spec?: string } = {},
): string {
  const name = extra.name ?? 'web';
  const labels = extra.labels ?? `app: ${name}`;
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
${indent(extra.spec ?? 'replicas: 2', 2)}
  selector:
    matchLabels:
${indent(labels, 6)}
  template:
    metadata:
      labels:
${indent(labels, 8)}
    spec:
${extra.podSpec ? indent(extra.podSpec, 6) + '\n' : ''}      containers:
        - name: app
${indent(container, 10)}
`;
}

export function indent(text: string, spaces: number): string {
  return text
    .trim()
    .split('\n')
    .map((line) => ' '.repeat(spaces) + line)
    .join('\n');
}

/** The 1-based line of the `nth` (1-based) line containing `needle`: tests say which line a finding must be on. */
export function lineOf(text: string, needle: string, nth = 1): number {
  let seen = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].includes(needle) && ++seen === nth) return i + 1;
  }
  throw new Error(`"${needle}" (#${nth}) not in fixture`);
}
