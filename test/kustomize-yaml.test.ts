// The fast path for kustomize's YAML must give exactly what js-yaml (CORE_SCHEMA) gives, or step aside.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { parseKustomizeDocument } from '../scripts/manifest/kustomize-yaml.ts';
import { parseRenderedYaml } from '../scripts/manifest/rendered.ts';

function reference(text: string): unknown[] {
  const docs: unknown[] = [];
  loadAll(
    text,
    (doc) => {
      if (doc !== null && doc !== undefined) docs.push(doc);
    },
    { schema: CORE_SCHEMA },
  );
  return docs;
}

test('the fast path reads kustomize-style documents exactly as js-yaml does', () => {
  const text = `apiVersion: v1
kind: ConfigMap
metadata:
  annotations:
    config.kubernetes.io/origin: |
      path: base/cm.yaml
    quoted: "a: b"
    single: 'it''s'
  labels: {}
  name: cm
data:
  script.sh: |-
    #!/bin/sh

    echo "hi"   # not a comment here
  count: "3"
  empty: ""
  list: []
spec:
  replicas: 3
  negative: -2
  zero: -0
  ratio: 25%
  memory: 256Mi
  version: 1.4.2
  enabled: true
  nothing: null
  image: registry.example.com/shop/app:1.4.2
  containers:
  - args:
    - --port=8080
    - -v
    env:
    - name: A
      value: x
    name: app
  -
    name: bare
`;
  const fast = parseKustomizeDocument(text);
  assert.notEqual(fast, undefined, 'this document is inside the dialect');
  assert.deepEqual(fast, reference(text)[0]);
});

test('anything outside the dialect steps aside, and the stream result still equals js-yaml', () => {
  const outside = [
    'a: 1.5\n',
    'a: 0x1F\n',
    'a: 1e3\n',
    'a: True\n',
    'a: NULL\n',
    'a: .inf\n',
    'a: &x 1\nb: *x\n',
    'a: [1, 2]\n',
    'a: "tab\\tbed"\n',
    'a: b\n  c\n',
    'a: 1 # comment\n',
    'a:\n-\nb: 1\n',
    'a:  1\n',
    'a: >\n  folded\n',
    '"quoted key": 1\n',
    'a: 1\na: 2\n',
    '1: one\n',
    'a: 007\n',
    'a: +1\n',
  ];
  for (const text of outside) {
    assert.equal(parseKustomizeDocument(text), undefined, JSON.stringify(text));
    if (text === 'a: 1\na: 2\n') {
      assert.throws(() => parseRenderedYaml(text), /duplicated mapping key/);
      continue;
    }
    assert.deepEqual(parseRenderedYaml(text), reference(text), JSON.stringify(text));
  }
  assert.deepEqual(parseRenderedYaml('a: 1\n---\n---\nb: x\n'), [{ a: 1 }, { b: 'x' }]);
  // Whole-line comments and blank lines between the structure are inside the dialect (helm's `# Source:` lines).
  for (const text of ['# Source: chart/templates/a.yaml\na: 1\n', 'a:\n\n  # why\n  b: 1\n\nc: |\n  # content\n']) {
    assert.notEqual(parseKustomizeDocument(text), undefined, JSON.stringify(text));
    assert.deepEqual(parseRenderedYaml(text), reference(text), JSON.stringify(text));
  }
  // CORE_SCHEMA has no timestamps: a date stays the string kubeconform sees, on either path.
  assert.deepEqual(parseKustomizeDocument('a: 2024-01-02\n'), { a: '2024-01-02' });
});

// The same comparison on every stream the corpus and the built-in example render: test/integration/corpus.test.ts.
