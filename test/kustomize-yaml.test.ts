// The fast path for kustomize's YAML must give exactly what js-yaml (CORE_SCHEMA) gives, or step aside.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { locateInDocument, parseKustomizeDocument } from '../scripts/manifest/kustomize-yaml.ts';
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

test('one-line flow collections (sequences and maps, nested too) and folded blocks are inside the dialect, read as js-yaml reads them', () => {
  const text = `spec:
  drop: [ALL]
  command: ["sh", "-c", "echo a, b"]
  quoted: ['it''s', "x]"]
  ports: [80,443 , 8080]
  words: [a b, -v, true, null, ~, "007"]
  containers:
  - [nested, item]
  - name: app
    args: [--port=8080]
  labels: {app: web, tier: "a, b # c"}
  selector: {matchLabels: {app: web}}
  endpoints: [{name: http, port: 80}, {name: https, port: 443}]
  more:
  - {a: [1, [2, { }]], b: [ ]}
  description: >-
    folded lines
    join with a space

    and a blank line
    keeps a break
  note: >
    clipped  
    with spaces kept
`;
  const fast = parseKustomizeDocument(text);
  assert.notEqual(fast, undefined, 'this document is inside the dialect');
  assert.deepEqual(fast, reference(text)[0]);
});

test('comments after a value, a key, a dash or a block header are inside the dialect, as js-yaml reads them', () => {
  const text = `spec: # the spec
  replicas: 3 # prod has more
  name: "a # b" # the quotes hold a hash
  single: 'it''s # here'  # and so do these
  plain: a#b # a hash after no space is text
  drop: [ALL] # every capability
  list: # items below
  - x # one
  - # an item on the next lines
    y: 1
  script: | # a block
    echo "hi"   # content, kept
    trailing spaces kept   
  after: z
`;
  const fast = parseKustomizeDocument(text);
  assert.notEqual(fast, undefined, 'this document is inside the dialect');
  assert.deepEqual(fast, reference(text)[0]);
});

test('plain scalars over several lines are inside the dialect, folded as js-yaml folds them', () => {
  const text = `metadata:
  annotations:
    description: This is a long
      description that continues
      on more lines
    blank: first

      after a blank line


      after two
    numbers: 1
      2
    words: true
      null
    commented: a
      b # a comment ends it
    ragged: a
          b
        c
    punctuation: it's a
      --flag=x y:z a#b [x] {y} "q" 'r' *s - v
spec:
  args:
    - --flag=a
      continued
  list:
  - x
    y
  - name: a
    value: b
      c
    next: d
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
    'a: [1, 2, ]\n',
    'a: [x: 1]\n',
    'a: {"b": 1}\n',
    'a: {b:1}\n',
    'a: {b: }\n',
    'a: [x#y]\n',
    'a: ["a\\"b"]\n',
    'a: [1.5]\n',
    'a: [1,\n  2]\n',
    'a: "tab\\tbed"\n',
    'a: b\n  - c\n', // a plain scalar's line that looks like an item
    'a: b\n  *c\n',
    "a: b 'c # d'\n", // a quote inside a plain scalar: the comment finder cannot tell
    'a:\n-\nb: 1\n',
    'a:  1\n',
    'a: >\n  x\n    more indented\n  y\n',
    'a: >+\n  kept\n\n',
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
  // Flow collections and plain scalars js-yaml refuses: outside the dialect too, so the general parser reports them.
  for (const text of [
    'a: [x #y]\n',
    'a: ["a" b]\n',
    'a: [1, 2\n',
    'a: {b: 1, b: 2}\n',
    'a: {b: [1, 2}\n',
    'a: b\n  # c\n  d\n', // a comment between a plain scalar's lines
    'a: b # c\n  d\n',
    'a: b\n  c: d\n', // a key inside a plain scalar
    'a: "b"\n  c\n', // text after a quoted scalar
  ])
    assert.equal(parseKustomizeDocument(text), undefined, JSON.stringify(text));
  assert.deepEqual(parseRenderedYaml('a: 1\n---\n---\nb: x\n'), [{ a: 1 }, { b: 'x' }]);
  // Content on a marker's line and a flow collection that is not its whole line: outside, at the root too.
  for (const text of [
    '--- {}\n',
    '--- a: 1\n',
    '[a]: b\n',
    '{a: 1}: x\n',
    '{a: 1}\nb: 2\n',
    '[a]\n  b\n',
    'a:\n  [x]: y\n',
    'a:\n  {}\n  b: 1\n',
  ])
    assert.equal(parseKustomizeDocument(text), undefined, JSON.stringify(text));
  // Whole-line comments and blank lines between the structure are inside the dialect (helm's `# Source:` lines).
  for (const text of ['# Source: chart/templates/a.yaml\na: 1\n', 'a:\n\n  # why\n  b: 1\n\nc: |\n  # content\n']) {
    assert.notEqual(parseKustomizeDocument(text), undefined, JSON.stringify(text));
    assert.deepEqual(parseRenderedYaml(text), reference(text), JSON.stringify(text));
  }
  // CORE_SCHEMA has no timestamps: a date stays the string kubeconform sees, on either path.
  assert.deepEqual(parseKustomizeDocument('a: 2024-01-02\n'), { a: '2024-01-02' });
});

test('a flow collection on a line of its own (a root, below a key or a dash) is inside the dialect, read as js-yaml reads it', () => {
  for (const text of [
    '{}\n',
    '[]\n',
    '{ }\n',
    '  [a, b] # c\n\n',
    '{app: web, ports: [80, {name: x}]}\n',
    'annotations:\n  {}\n  # c\nlist:\n-\n  [a, {b: c}]\n',
  ]) {
    const fast = parseKustomizeDocument(text);
    assert.notEqual(fast, undefined, JSON.stringify(text));
    assert.deepEqual(fast, reference(text)[0], JSON.stringify(text));
  }
});

test('rendered streams with empty documents and `...` ends give what js-yaml gives', () => {
  // The stream is cut at bare `---` lines; a piece holding any other marker line (`...`, `--- # x`)
  // is outside the dialect and js-yaml reads that piece, markers included.
  for (const text of [
    'a: 1\n---\n',
    '---\n---\na: 1\n---\n# c\n---\n',
    'a: 1\n...\n',
    'a: 1\n...\n---\nb: 2\n...\n',
    'a: 1\n--- # x\nb: 2\n---   \n',
    'a: |\n  x\n  ---\n...\n',
    '---\n{}\n---\n[]\n',
  ])
    assert.deepEqual(parseRenderedYaml(text), reference(text), JSON.stringify(text));
});

// The same comparison on every stream the corpus and the built-in example render: test/integration/corpus.test.ts.

test('a locate that follows another in the same document lands where a first locate would', () => {
  const doc = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: a
          securityContext:
            runAsNonRoot: true
        - name: b
          image: b:1
`;
  assert.notEqual(parseKustomizeDocument(doc), undefined, 'a document of the dialect, which this locator reads');
  const paths: (string | number)[][] = [
    ['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'runAsNonRoot'],
    ['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'capabilities'], // missing: its parent
    ['spec', 'template', 'spec', 'containers', 1, 'name'],
    ['spec', 'template', 'spec', 'containers', 1, 'image'],
    ['spec', 'template', 'spec', 'containers', 0, 'name'],
    ['spec', 'template', 'spec', 'containers', '0'], // a key on a sequence: stays on the sequence
    ['spec', 'template', 'spec', 'containers', 0],
    ['metadata', 'name', 'deeper'], // past a scalar
    [],
    ['spec', 'template', 'spec', 'containers', 1, 'image'],
  ];
  const inSequence = paths.map((path) => locateInDocument(doc, path));
  const eachFirst = paths.map((path) => {
    locateInDocument('other: document\n', ['other']); // another document: this one's walk starts over
    return locateInDocument(doc, path);
  });
  assert.deepEqual(inSequence, eachFirst);
  assert.deepEqual(inSequence[1], { line: 9, column: 10 }, 'a missing field lands on its parent');
  assert.deepEqual(inSequence[3], { line: 12, column: 10 });
  assert.deepEqual(inSequence[5], { line: 7, column: 6 }, 'the string "0" is no index: the containers key');
  assert.deepEqual(inSequence[7], { line: 3, column: 2 });
});
