// The fast path for source files must read every file it accepts exactly as the `yaml` package does:
// the same documents, values, document lines and, for every field and for fields that are missing,
// the same line and column a finding lands on. Checked on every YAML file of the corpus, the
// fixtures and the built-in example, plus the hand-written cases below.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseDialectFile, parseSourceFile, parseWithYamlPackage } from '../scripts/manifest/source.ts';
import { pathsOf } from './manifest-paths.ts';

const repoRoot = join(import.meta.dirname, '..');

function yamlFiles(dir: string, out: string[] = []): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries) {
    if (entry.name === '.git' || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yamlFiles(path, out);
    else if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) out.push(path);
  }
  return out;
}

/** Asserts the fast read equals the `yaml` package's; returns whether the fast path took the file. */
function compare(text: string, name: string): boolean {
  const fast = parseDialectFile(text, name);
  if (!fast) return false;
  const reference = parseWithYamlPackage(text, name);
  assert.deepEqual(reference.problems, [], `${name}: the fast path took a file with problems`);
  assert.equal(fast.documents.length, reference.documents.length, `${name}: documents`);
  fast.documents.forEach((document, i) => {
    const expected = reference.documents[i];
    assert.deepStrictEqual(document.value, expected.value, `${name} #${i}: values`);
    assert.equal(document.line, expected.line, `${name} #${i}: document line`);
    for (const path of pathsOf(expected.value))
      assert.deepEqual(document.locate(path), expected.locate(path), `${name} #${i}: ${JSON.stringify(path)}`);
  });
  return true;
}

/** Plain scalars over several lines, in maps and lists, and what may sit around them and in them. */
const MULTI_LINE_PLAIN = `metadata:
  annotations:
    description: This is a long
      description that continues
      on more lines
    blank: first

      after a blank line


      after two
    spaces: a
        ${''}
      b
    numbers: 1
      2
    words: true
      x
    nulls: null
      ~
    trailing: a${'   '}
      b${'  '}
    commented: a
      b # a comment ends it
    ragged: a
          b
        c
    punctuation: it's a
      --flag=x y:z a#b [x] {y} "q" 'r' *s &t !u - v
    after: the blank lines

  # a comment after a scalar ends it, at any indent
      # deeper too
  name: x
spec:
  args:
    - --flag=a
      continued
    - one
     two
  list:
  - x
    y
  - name: a
    value: b
      c
    next: d
  after: z
top: a
 b
`;

test('the fast path reads hand-written block YAML (comments, blank lines, indented sequences) as the yaml package does', () => {
  const cases = [
    `# a header comment
apiVersion: apps/v1
kind: Deployment   
`.replace('   \n', '\n'),
    `---
# leading separator and comment
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm

  # a comment between keys, at any indent
      # deeper
  labels:
    app: web
data:
  script.sh: |
    #!/bin/sh
    # inside a block: content

    echo hi
  other: |-
    x
# after the block
list:
- a
- b: 1
  # inside an item
  c:
  - d
-
  e: f
nested:
    - deep: 1
      more: x
empty: []
obj: {}
quoted: "x: y"
single: 'it''s'
---
kind: Service
`,
    `# one-line flow sequences of scalars, and paths into them (items, missing items, keys)
spec:
  containers:
  - name: app
    command: ["sh", "-c", "echo a, b"]
    args: [--port=8080, -v]
    securityContext:
      capabilities:
        drop: [ALL]
        add: [ 'NET_BIND_SERVICE' ,  "it's" ]
  - [nested, 'it''s', 80]
  ports: [80,443]
  none: []
  labels: {app: web, tier: "a, b # c"} # flow maps, nested too
  selector: {matchLabels: {app: web}}
  endpoints: [{name: http, port: 80}, {name: https, ports: [443, 8443]}]
  empty: {a: [ ], b: { }}
  after: x
`,
    `# comments after values, keys, dashes and block headers, and paths through them
spec: # the spec
  replicas: 3 # prod has more
  name: "a # b" # the quotes hold a hash
  single: 'it''s # here'  # and so do these
  drop: [ALL, "x # y"] # every capability
  list: # items below
  - x # one
  - # an item on the next lines
    y: 1
  - name: app # a map in a list
    port: 80
  script: | # a block
    echo "hi"   # content, kept
  after: z # last
`,
    'a: |\n  x  \n  y\n', // trailing spaces inside a block are content, kept
    'kind: ClusterPolicy\nmetadata:\n  annotations:\n    description: >-\n      Folded lines join\n      with a space.\n\n      A blank line keeps a break.\n  name: x\n',
    // trailing spaces after keys, values, dashes and comments, and lines of spaces only
    'kind: Deployment  \nspec:  \n  replicas: 2 \n    \n  list:\n  - \n    a: "x"   \n  - b  \n  # note   \n  script: | \n    echo\n',
    MULTI_LINE_PLAIN,
    'a: x\n  y', // the last line without a newline
    '  a: x\n   y\n', // an indented root mapping
    '- x\n y\n- 1\n\n  2\n', // a root sequence
  ];
  for (const text of cases) assert.ok(compare(text, JSON.stringify(text.slice(0, 40))), 'took the fast path');
});

/**
 * Document markers: empty documents (a `---` with nothing, blank lines or comments after it, which the
 * yaml package reads as null, placed after the `---` and its spaces) and `...` ends.
 */
const MARKER_CASES = [
  'a: 1\n---\n', // a trailing separator
  'a: 1\n---', // without a newline
  'a: 1\n---\n---\nb: 2\n', // twice
  '---\n', // a file of one empty document
  '---\n---\n',
  '---\na: 1\n', // a leading separator: no document before it
  '# header\n\n---\na: 1\n---\n\n# only a comment\n  # indented\n---\nb: [x]\n',
  'a: 1\n--- \nb: 2\n--- \n', // trailing spaces
  'a: 1\n---   \n',
  'a: 1\n--- # next\nb: 2\n---   # an empty one\n', // a comment on the marker line
  'a: 1\n--- #\n',
  'a: 1\n...\n', // `...` ends a document
  'a: 1\n...',
  'a: 1\n... # end\n\n# after the end\n',
  'a: 1\n...   \n',
  'a: 1\n...\n---\nb: 2\n...\n',
  'a: 1\n...\n# between\n---\n', // and an empty one after it
  '---\n...\n', // an empty document ended
  'a: 1\n---\n# c\n...\n---\nb: 2\n',
  'a: |\n  x\n  ---\n  ...\n---\nb: |\n  y\n...\n', // indented in a block: content; at column 0: markers
  'a: |\n  x\n\n...\n',
  'a: >\n  x\n  y\n---\n',
  'a: x\n  y\n...\n',
  '- a\n- b\n---\n- c\n...\n',
];

test('empty documents and `...` document ends read as the yaml package reads them', () => {
  for (const text of MARKER_CASES)
    assert.ok(compare(text, JSON.stringify(text)), `took the fast path: ${JSON.stringify(text)}`);
});

test('a flow collection on a line of its own (a root, below a key or a dash) reads as the yaml package reads it', () => {
  for (const text of [
    '{}\n',
    '[]\n',
    '---\n{ }\n---\n[]\n...\n',
    '  {a: 1, b: [x, {c: d}]} # c\n\n',
    '[a, [b], {c: d}]\n',
    // Helm's values files: `annotations:` over `  {}`
    'ingress:\n  annotations:\n    {}\n    # kubernetes.io/ingress.class: nginx\n  hosts:\n    [a, {b: c}] # c\nlist:\n-\n  {d: e}\n- [f]\n',
  ])
    assert.ok(compare(text, JSON.stringify(text)), `took the fast path: ${JSON.stringify(text)}`);
});

test('a `:` inside a flow scalar is text when neither a space nor a flow indicator follows it, as in the yaml package', () => {
  for (const text of [
    'vault: { server: https://vault.dev.example.com, path: secret, role: shop-dev }\n',
    'hosts: [http://a:80/b, "c:d", a::b, 12:30]\n',
    'env:\n- {name: URL, value: postgres://db:5432/app}\n',
  ])
    assert.ok(compare(text, JSON.stringify(text)), `took the fast path: ${JSON.stringify(text)}`);
  // A `:` that could start a value (before a space, a flow indicator or the end) is the general parsers'.
  for (const text of [
    'a: [b:]\n',
    'a: [b: c]\n',
    'a: [b:, c]\n',
    'a: [:b]\n',
    'a: {b: c:}\n',
    'a: [b:{c}]\n',
    'a: [b:\tc]\n',
  ])
    assert.equal(parseDialectFile(text, 'x.yaml'), undefined, JSON.stringify(text));
});

test('files outside the dialect are left to the yaml package, whole', () => {
  for (const text of [
    "a: b 'c # d'\n", // a quote inside a plain scalar: the comment finder cannot tell
    // document markers the yaml package reads in ways not imitated, and content on a marker's line
    'a: 1\n...\nb: 2\n', // a bare document after `...`
    'a: 1\n...\n...\n', // `...` with no document to end: an empty document of its own there
    '...\n',
    '# c\n...\na: 1\n',
    '--- {}\n',
    '--- |\n  x\n',
    '--- a\n',
    'a: 1\n--- b: 1\n',
    'a: 1\n---#x\nb: 2\n', // no marker: a plain scalar, then an error
    'a: 1\n----\n',
    'a: 1\n...x\n',
    'a: 1\n---\t\n', // a tab
    'a: 1\n---\r\nb: 1\n', // a CR
    'a: 1\n--- # \x01\n', // a control character in the marker's comment
    '%YAML 1.2\n---\na: 1\n', // a directive
    '[a]: b\n', // a flow collection as a key
    '{a: 1}\nb: 2\n', // more after a root flow collection: an error
    '[a,\n  b]\n',
    'a:\n  [x]: y\n',
    'a:\n  {}\n  b: 1\n', // more after a flow collection below a key: an error
    'a:\n  {}\n    x\n',
    '- \n  []\n  - x\n',
    'a:  two spaces\n',
    'a:\n-\nb: 1\n', // an empty item
    'a: {b: 1, b: 2}\n', // a duplicate key
    'a: [b, {c: }]\n',
    'a: >\n  x\n    more indented\n  y\n',
    'a: [b, ]\n',
    'a: [b,\n  c]\n', // a flow sequence over two lines
    'a: |\n  x\n   \n  y\n',
    'a: 1\na: 2\n',
    'a: &x 1\nb: *x\n',
    'b: [\n',
    `${'k'.repeat(1030)}: 1\n`, // an implicit key over YAML's 1,024 characters: a syntax error there
    // multi-line plain scalars with a line that might be more than text, or that YAML refuses
    'a: x\n  - y\n', // text there, but it looks like an item
    '- x\n  - y\n',
    'a: x\n  y: z\n', // a key in a scalar: an error
    'a: x\n  y:\n',
    '- a: x\n  y\n', // not deeper than the key: an error
    'a: x\n  # c\n  y\n', // a comment between its lines: an error
    'a: x # c\n  y\n',
    'a: x\n  y # c\n  z\n',
    "a: x\n  say 'hi # there'\n", // a quote the comment finder opens: the comment is YAML's
    'a: "x"\n  y\n', // a quoted first line
    "a: 'x\n  y'\n", // a quoted scalar over two lines
    'a: [x]\n  y\n',
    'a: x\n  [y]\n', // an indicator first
    'a: x\n  &y\n',
    'a: x\n  -\n',
    'a:  x\n  y\n',
    'a:\n  x\n  y\n', // a plain scalar below its key
  ]) {
    assert.equal(parseDialectFile(text, 'x.yaml'), undefined, JSON.stringify(text));
    assert.deepEqual(
      JSON.stringify(parseSourceFile(text, 'x.yaml').documents.map((d) => d.value)),
      JSON.stringify(parseWithYamlPackage(text, 'x.yaml').documents.map((d) => d.value)),
    );
  }
});

test('every YAML file of the corpus, the fixtures and the example reads the same on the fast path, which takes most of them', (t) => {
  const roots = [
    join(repoRoot, '..', 'shared', 'corpus'),
    join(repoRoot, 'test', 'fixtures'),
    join(repoRoot, 'examples'),
  ];
  let files = 0;
  let fast = 0;
  for (const root of roots)
    for (const file of yamlFiles(root)) {
      files++;
      if (compare(readFileSync(file, 'utf8'), relative(repoRoot, file))) fast++;
    }
  t.diagnostic(`the fast path took ${fast} of ${files} files`);
  assert.ok(files > 500, `${files} YAML files`);
  assert.ok(fast / files > 0.7, `only ${fast} of ${files} files took the fast path`);
});
