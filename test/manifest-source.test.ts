import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseDialectFile,
  parseSourceFile,
  parseWithYamlPackage,
  resourcesFromSource,
  resourcesFromYaml,
} from '../scripts/manifest/source.ts';
import { originAt, type OriginBase } from '../scripts/types.ts';

const text = `# a comment
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx:latest
---
---
apiVersion: v1
kind: Service
metadata: {name: web}
`;

test('resources locate fields on the line a person edits', () => {
  const [deployment, service] = resourcesFromYaml(text, 'base/web.yaml');
  assert.equal(deployment.object.kind, 'Deployment');
  assert.equal(deployment.origin.line, 2);
  assert.deepEqual(deployment.locate(['spec', 'template', 'spec', 'containers', 0, 'image']), {
    file: 'base/web.yaml',
    line: 11,
    column: 11,
  });
  // a missing field points at its deepest existing parent
  assert.equal(deployment.locate(['spec', 'template', 'spec', 'containers', 0, 'resources', 'limits']).line, 10);
  assert.equal(service.object.kind, 'Service');
  assert.equal(service.origin.line, 14);
});

test('empty documents and `...` ends on the fast path give the resources, origins and lines the yaml package gives', () => {
  const stream = `---
apiVersion: v1
kind: ConfigMap
metadata:
  name: a
...
# between
--- # an empty document
---
apiVersion: v1
kind: List
items:
- kind: Secret
  metadata:
    name: b
--- \n\n# nothing here\n---
kind: Service
metadata: {name: c}
...
`;
  const fast = parseDialectFile(stream, 'all.yaml');
  assert.ok(fast, 'the fast path takes it');
  const reference = parseWithYamlPackage(stream, 'all.yaml');
  assert.deepEqual(fast.problems, reference.problems);
  assert.deepEqual(
    fast.documents.map((d) => [d.value, d.line, d.locate(['metadata', 'name'])]),
    reference.documents.map((d) => [d.value, d.line, d.locate(['metadata', 'name'])]),
  );
  assert.deepEqual(
    fast.documents.map((d) => d.value === null),
    [false, true, false, true, false],
    'the null documents count, as in the yaml package',
  );
  const located = (source: typeof fast) =>
    resourcesFromSource(source, { app: 'apps' }).map((r) => [r.object.kind, r.origin, r.locate(['metadata', 'name'])]);
  assert.deepEqual(located(fast), located(reference));
  assert.deepEqual(
    located(fast).map(([kind, origin]) => [kind, (origin as { line: number }).line]),
    [
      ['ConfigMap', 2],
      ['Secret', 13],
      ['Service', 20],
    ],
  );
});

test('duplicate keys and syntax errors are problems with lines, not exceptions', () => {
  const parsed = parseSourceFile('a: 1\na: 2\n---\nb: [\n', 'x.yaml');
  assert.ok(parsed.problems.some((p) => p.kind === 'duplicate-key' && p.line === 2));
  assert.ok(parsed.problems.some((p) => p.kind === 'syntax'));
});

test('a carriage return alone is a line break, as in YAML, kustomize and Argo CD: the values and lines of the same file with line feeds', () => {
  const lf = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "b"\n  c: [d]\n  e: {}\n';
  for (const variant of [lf.replaceAll('\n', '\r'), `${lf.slice(0, -1)}\r`, lf.replaceAll('\n', '\r\n')]) {
    const parsed = parseSourceFile(variant, 'cm.yaml');
    assert.deepEqual(parsed.problems, [], JSON.stringify(variant));
    assert.deepEqual(
      parsed.documents.map((document) => document.value),
      parseSourceFile(lf, 'cm.yaml').documents.map((document) => document.value),
    );
    for (const path of [
      ['data', 'a'],
      ['data', 'e'],
      ['metadata', 'name'],
    ])
      assert.deepEqual(parsed.documents[0].locate(path), parseSourceFile(lf, 'cm.yaml').documents[0].locate(path));
  }
});

test('originAt is the spread of its base with file and line, whatever keys the base has', () => {
  const bases: OriginBase[] = [
    { app: 'a.yaml' },
    { app: 'overlays/dev', env: 'dev' },
    { app: 'x', column: 3 },
    { env: 'prod', app: 'y' },
  ];
  for (const base of bases)
    for (const line of [7, undefined]) {
      const made = originAt(base, 'f.yaml', line);
      assert.deepEqual(made, { ...base, file: 'f.yaml', line });
      assert.deepEqual(Object.keys(made).sort(), Object.keys({ ...base, file: 'f.yaml', line }).sort());
    }
  const [resource] = resourcesFromYaml('kind: ConfigMap\nmetadata:\n  name: a\n', 'cm.yaml', {
    app: 'cm.yaml',
    env: 'dev',
  });
  assert.deepEqual(resource.origin, { app: 'cm.yaml', env: 'dev', file: 'cm.yaml', line: 1 });
});
