// The Go text/template subset ApplicationSets use: Go's output for each case, as text/template prints it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderGoTemplate, TemplateError } from '../scripts/argocd/gotemplate/exec.ts';

const data = {
  path: {
    path: 'apps/api/envs/prod',
    basename: 'prod',
    basenameNormalized: 'prod',
    segments: ['apps', 'api', 'envs', 'prod'],
  },
  name: 'Order_Service',
  replicas: 3,
  tags: ['a', 'b'],
  labels: { tier: 'web', app: 'api' },
  empty: '',
};
const render = (source: string, options = {}) => renderGoTemplate(source, data, options);

test('fields, index, and pipelines with Sprig argument order', () => {
  assert.equal(render('{{ .path.basename }}'), 'prod');
  assert.equal(render('{{index .path.segments 1}}-{{index .path.segments 3}}'), 'api-prod');
  assert.equal(render('{{ .name | lower | replace "_" "-" }}'), 'order-service');
  assert.equal(render('{{ .path.path | trimPrefix "apps/" | trimSuffix "/prod" }}'), 'api/envs');
  assert.equal(render('{{ normalize .name }}'), 'order-service');
  assert.equal(render('{{ splitList "/" .path.path | join "." }}'), 'apps.api.envs.prod');
  assert.equal(render('{{ .empty | default "fallback" }}|{{ .name | default "x" }}'), 'fallback|Order_Service');
  assert.equal(render('{{ .path.basename | quote }} {{ upper "x" }}'), '"prod" X');
  assert.equal(render('{{ (index .path.segments 1) | printf "svc-%s" }}'), 'svc-api');
  assert.equal(render('{{ printf "%s-%d-%05.1f-%v" .path.basename .replicas 2.5 .tags }}'), 'prod-3-002.5-[a b]');
});

test('if / else if / else, and/or/not/eq/ne with lazy and/or', () => {
  const t =
    '{{ if eq .path.basename "dev" }}d{{ else if and (ne .path.basename "qa") (gt .replicas 2) }}big{{ else }}z{{ end }}';
  assert.equal(render(t), 'big');
  assert.equal(render('{{ if not .empty }}yes{{ end }}{{ if or .empty .name }}-or{{ end }}'), 'yes-or');
  // `and` stops at the first false value: the index out of range is never evaluated, as in Go 1.18+.
  assert.equal(render('{{ if and .empty (index .tags 9) }}x{{ else }}ok{{ end }}'), 'ok');
  assert.equal(render('{{ eq .replicas 3 1 }} {{ eq "a" "b" "a" }}'), 'true true');
});

test('range (with index, over maps in key order, else), with, variables and $', () => {
  assert.equal(render('{{ range $i, $t := .tags }}{{ $i }}={{ $t }};{{ end }}'), '0=a;1=b;');
  assert.equal(render('{{ range $k, $v := .labels }}{{ $k }}:{{ $v }},{{ end }}'), 'app:api,tier:web,');
  assert.equal(render('{{ range .missing }}x{{ else }}none{{ end }}'), 'none');
  assert.equal(render('{{ with .labels }}{{ .tier }}/{{ $.name }}{{ end }}'), 'web/Order_Service');
  assert.equal(render('{{ $env := .path.basename }}{{ range .tags }}{{ . }}-{{ $env }} {{ end }}'), 'a-prod b-prod ');
});

test('trim markers and comments', () => {
  assert.equal(render('a  {{- .path.basename -}}  b {{/* a comment */}}c'), 'aprodb c');
});

test('printing: lists, maps, and a missing key as <no value> (missingkey=default)', () => {
  assert.equal(render('{{ .tags }} {{ .labels }}'), '[a b] map[app:api tier:web]');
  assert.equal(render('{{ .nope }}'), '<no value>');
  assert.equal(render('{{ toYaml .labels }}'), 'app: api\ntier: web');
});

test('missingkey=error: an unknown key is an error naming the key', () => {
  assert.throws(
    () => render('{{ .path.nope }}', { missingKey: 'error' }),
    (error: Error) => error instanceof TemplateError && /no entry for key "nope"/.test(error.message),
  );
  assert.throws(() => render('{{ .cluster.name }}', { missingKey: 'error' }), /no entry for key "cluster"/);
  // `index` on a map returns the zero value for a missing key, even under missingkey=error (as in Go).
  assert.equal(render('{{ index .labels "nope" }}', { missingKey: 'error' }), '<no value>');
});

test('syntax and call errors are TemplateErrors, not crashes', () => {
  assert.throws(() => render('{{ if .name }}x'), /missing \{\{end\}\}/);
  assert.throws(() => render('{{ .name | nosuchfn }}'), /function "nosuchfn" not defined/);
  assert.throws(() => render('{{ index .tags 5 }}'), /index out of range/);
  assert.throws(() => render('{{ .name.first }}'), /can't evaluate field first in type string/);
  assert.throws(() => render('{{ "unterminated }}'), TemplateError);
  assert.throws(() => render('{{ required "env is required" .empty }}'), /env is required/);
});

test('break and continue outside a range body are TemplateErrors, as Go parses them (the fuzz test found a crash)', () => {
  for (const source of [
    '{{ break }}',
    'a{{ if .name }}{{ continue }}{{ end }}',
    '{{ range .tags }}{{ else }}{{ break }}{{ end }}',
  ])
    assert.throws(
      () => render(source),
      (error: unknown) => error instanceof TemplateError && /outside \{\{range\}\}/.test(error.message),
      source,
    );
  assert.equal(render('{{ range .tags }}{{ if eq . "b" }}{{ break }}{{ end }}{{ . }}{{ end }}'), 'a');
  assert.equal(render('{{ range .tags }}{{ if eq . "a" }}{{ continue }}{{ end }}{{ . }}{{ end }}'), 'b');
});
