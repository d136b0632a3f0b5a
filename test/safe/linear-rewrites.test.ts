// Each regex that test/integration/redos.test.ts found super-linear on repository text was rewritten;
// here each rewrite gives what the regex gave, on random short strings from an alphabet that steers
// the regex (fast-check, fixed seed), and reads the regex's attack string, made long, at once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  enclosedSpans,
  hasEnclosed,
  isLineTerminator,
  trimChar,
  trimEndChar,
  trimEndSpace,
} from '../../scripts/safe/text.ts';
import { isServiceAccountKey, urlWithPassword } from '../../scripts/kube/secret-detect.ts';
import { hasBraceList } from '../../scripts/argocd/generators.ts';
import { parseQuantity } from '../../scripts/kube/values.ts';
import { sprintf } from '../../scripts/argocd/gotemplate/functions.ts';
import { envsubst } from '../../scripts/units/helm.ts';
import { REDACTED, redact, withoutUrlCredentials } from '../../scripts/safe/redact.ts';
import { createdSecretNames } from '../../scripts/kube/secret-producers.ts';
import { klogBlock, transformationMatches, withoutWrapperPaths } from '../../scripts/render/wrapper.ts';

const RUNS = { seed: 20261203, numRuns: 5_000 };
const from = (pieces: string[], maxLength = 16) =>
  fc.array(fc.constantFrom(...pieces), { maxLength }).map((chosen) => chosen.join(''));
/** Compares `now` with `before` on random strings made of `pieces`. */
function same<T>(pieces: string[], now: (s: string) => T, before: (s: string) => T) {
  fc.assert(
    fc.property(from(pieces), (s) => assert.deepEqual(now(s), before(s), JSON.stringify(s))),
    RUNS,
  );
}
const LONG = 200_000; // the regexes took seconds at 20,000 and grew as the square: hours here

test('trimEndChar, trimChar, trimEndSpace: /x+$/, /^x+|x+$/g and /\\s+$/ replaced by nothing', () => {
  same(
    ['/', 'a', '=', ' ', '\t', '\r', '\u3000', '\u2028'],
    (s) => trimEndChar(s, '/'),
    (s) => s.replace(/\/+$/, ''),
  );
  same(
    ['/', 'a', '='],
    (s) => trimEndChar(s, '='),
    (s) => s.replace(/=+$/, ''),
  );
  same(
    ['/', 'a', '-'],
    (s) => trimChar(s, '/'),
    (s) => s.replace(/^\/+|\/+$/g, ''),
  );
  same([' ', '\t', '\r', '\n', '\u00a0', '\u2028', '\ufeff', 'a'], trimEndSpace, (s) => s.replace(/\s+$/, ''));
  assert.equal(trimEndChar(`${'/'.repeat(LONG)}x${'/'.repeat(LONG)}`, '/'), `${'/'.repeat(LONG)}x`);
  assert.equal(trimChar(`x${'/'.repeat(LONG)}x`, '/'), `x${'/'.repeat(LONG)}x`);
  assert.equal(trimEndSpace(`${'\t'.repeat(LONG)}x\t`), `${'\t'.repeat(LONG)}x`);
});

test('dirname by lastIndexOf: .replace(/\\/?[^/]*$/, "")', () => {
  const dirname = (file: string) => file.slice(0, Math.max(file.lastIndexOf('/'), 0)); // scripts/validate/load.ts
  same(['/', 'a', '.'], dirname, (s) => s.replace(/\/?[^/]*$/, ''));
  assert.equal(dirname(`${'a'.repeat(LONG)}/`), 'a'.repeat(LONG));
});

test('hasEnclosed and enclosedSpans: /\\{\\{.*\\}\\}/, /\\{\\{[^\\n]*\\}\\}/ and matchAll(/\\{\\{.*?\\}\\}/gs)', () => {
  const pieces = ['{', '}', '{{', '}}', 'a', '\n', '\r', '\u2028'];
  same(
    pieces,
    (s) => hasEnclosed(s, '{{', '}}', isLineTerminator),
    (s) => /\{\{.*\}\}/.test(s),
  );
  same(
    pieces,
    (s) => hasEnclosed(s, '{{', '}}', (code) => code === 0x0a),
    (s) => /\{\{[^\n]*\}\}/.test(s),
  );
  same(
    pieces,
    (s) => [...enclosedSpans(s, '{{', '}}')],
    (s) => [...s.matchAll(/\{\{.*?\}\}/gs)].map((m) => m[0]),
  );
  const attack = '}{{'.repeat(LONG / 3) + '}';
  assert.equal(hasEnclosed(attack, '{{', '}}', isLineTerminator), false);
  assert.equal(hasEnclosed(`${'{{\n'.repeat(LONG / 3)}}}`, '{{', '}}', isLineTerminator), false);
  assert.deepEqual([...enclosedSpans('{{'.repeat(LONG / 2), '{{', '}}')], []);
});

test('isServiceAccountKey: /"type"\\s*:\\s*"service_account"[\\s\\S]*"private_key"/', () => {
  same(['"type"', ':', ' ', '\n', '"service_account"', '"private_key"', 'x'], isServiceAccountKey, (s) =>
    /"type"\s*:\s*"service_account"[\s\S]*"private_key"/.test(s),
  );
  assert.equal(isServiceAccountKey('private_key"type":"service_account"v'.repeat(LONG / 36)), false);
});

test('hasBraceList: /\\{[^}]*,/', () => {
  same(['{', '}', ',', 'a', '/'], hasBraceList, (s) => /\{[^}]*,/.test(s));
  assert.equal(hasBraceList(`${'{'.repeat(LONG)}}{`), false);
});

test('\\d\\.\\d tests what \\d+\\.\\d+ tested (scripts/discover/environments.ts)', () => {
  same(
    ['1', '22', '.', 'a', '-'],
    (s) => /\d\.\d/.test(s),
    (s) => /\d+\.\d+/.test(s),
  );
});

test('parseQuantity: what its old regex parsed', () => {
  const OLD = /^([+-]?\d*\.?\d+(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;
  const NEW = /^([+-]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;
  const groups = (re: RegExp) => (s: string) => re.exec(s)?.slice(0, 3) ?? null;
  same(['1', '0', '.', '+', '-', 'e', 'E', 'i', 'K', 'M', 'm', 'n', ' '], groups(NEW), groups(OLD));
  assert.equal(parseQuantity('500m'), 0.5);
  assert.equal(parseQuantity(`+${'0'.repeat(LONG)}+`), undefined);
});

test('sprintf: the verbs its old format regex found', () => {
  const OLD = /%([-+# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/g;
  const NEW = /%([-+# 0]*)([1-9]\d*)?(?:\.(\d+))?([a-zA-Z%])/g;
  const all = (re: RegExp) => (s: string) => [...s.matchAll(re)].map((m) => [m.index, ...m]);
  same(['%', '0', '1', '9', '.', '-', '+', '#', ' ', 'd', 's', 'x'], all(NEW), all(OLD));
  assert.equal(sprintf('%05.1f|%-3d|%%', 3.14159, 7), '003.1|7  |%');
  assert.equal(sprintf(`%${'0'.repeat(LONG)}`).length, LONG + 1);
});

test('envsubst: what its old replace gave', () => {
  const env = { A: 'x', A_1: 'y', '': 'empty', a: 'z' };
  const old = (value: string) =>
    value.replace(/\$(\$|\{([^}]*)\}|[A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string, braced?: string) =>
      name === '$' ? '$' : ((env as Record<string, string>)[braced ?? name] ?? ''),
    );
  same(['$', '{', '}', 'A', '_', '1', 'a', '-', ' '], (s) => envsubst(s, env), old);
  assert.equal(envsubst(`${'0${'.repeat(LONG / 3)}$$`, env), `${'0${'.repeat(LONG / 3)}$`);
});

test('urlWithPassword: /\\b([a-z][a-z0-9+.-]*):\\/\\/([^\\s:/@]*):([^\\s/@]+)@[^\\s/]/i.exec', () => {
  const OLD = /\b([a-z][a-z0-9+.-]*):\/\/([^\s:/@]*):([^\s/@]+)@[^\s/]/i;
  same(
    ['a', 'Z', '1', '+', '.', '-', '_', ':', '/', '://', '@', ' ', '\n', '\u00a0', 'é', 'x:y@h', 'db://u:p@h'],
    (s) => {
      const url = urlWithPassword(s);
      return url ? [url.index, url.match, url.scheme, url.user, url.password] : null;
    },
    (s) => {
      const m = OLD.exec(s);
      return m ? [m.index, m[0], m[1], m[2], m[3]] : null;
    },
  );
  assert.equal(urlWithPassword('a.'.repeat(LONG / 2)), undefined); // 3.7 s at 80,000 characters
  assert.equal(urlWithPassword(`${'a.'.repeat(LONG / 2)}://`), undefined);
  assert.equal(urlWithPassword(`${'a://'.repeat(LONG / 4)}x:y@h`)?.index, LONG - 4);
});

test('redact: the URL userinfo and JWT patterns, scanned', () => {
  const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@"'<>]+@/gi;
  const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;
  const url = ['a', 'Z', '1', '+', '.', '-', '_', ':', '/', '://', '@', ' ', '"', "'", '<', '>', '\u00a0', 'é', 'x@'];
  same(url, withoutUrlCredentials, (s) => s.replace(USERINFO, '$1'));
  // no other shape of redact's in these pieces: what changes is what the pattern replaced
  same(url, redact, (s) => s.replace(USERINFO, `$1${REDACTED}@`));
  same(['eyJ', 'a', '0', '-', '_', '.', ' ', 'é', 'eyJaaaaaaaa', 'xeyJ', '01234567', '.eyJ'], redact, (s) =>
    s.replace(JWT, REDACTED),
  );
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
  assert.equal(redact(`token ${jwt}, ${jwt}`), `token ${REDACTED}, ${REDACTED}`);
  assert.equal(redact('eyJ0000000-'.repeat(LONG / 11)), 'eyJ0000000-'.repeat(LONG / 11)); // 41 s at 440,000
  assert.equal(withoutUrlCredentials('a.'.repeat(LONG / 2)), 'a.'.repeat(LONG / 2)); // 1.1 s at 40,000
  assert.equal(withoutUrlCredentials(`${'a'.repeat(LONG)}://x@h`), `${'a'.repeat(LONG)}://h`);
  assert.equal(withoutUrlCredentials(`https://${'x'.repeat(LONG)}`), `https://${'x'.repeat(LONG)}`);
});

test('createdSecretNames: matchAll(/\\b(?:kubectl|oc)\\b[^\\n;|&]*?\\bcreate\\s+secret\\s+(?:generic|tls|docker-registry)\\s+([a-z0-9][a-z0-9.-]*)/g)', () => {
  const OLD =
    /\b(?:kubectl|oc)\b[^\n;|&]*?\bcreate\s+secret\s+(?:generic|tls|docker-registry)\s+([a-z0-9][a-z0-9.-]*)/g;
  same(
    [
      'oc',
      'kubectl',
      ' ',
      '\n',
      ';',
      '|',
      '&',
      'x',
      '-',
      '.',
      'create',
      'secret',
      'tls',
      'generic',
      'docker-registry',
      ' a',
      'b',
      '\u00a0',
      'create secret tls ',
    ],
    createdSecretNames,
    (s) => [...s.matchAll(OLD)].map((m) => m[1]),
  );
  assert.deepEqual(
    createdSecretNames('kubectl -n x create secret generic db --from-literal=a=b; oc create secret tls t'),
    ['db', 't'],
  );
  assert.deepEqual(createdSecretNames('oc '.repeat(LONG / 3)), []);
  assert.deepEqual(createdSecretNames(`${'oc create '.repeat(LONG / 10)}secret`), []);
  assert.equal(createdSecretNames('oc create secret tls x '.repeat(8_000)).length, 8_000);
});

test("klogBlock, withoutWrapperPaths, transformationMatches: kustomize's messages and annotations", () => {
  const BLOCK = /"command failed" err=<\n([\s\S]*?)\n\s*>\s*$/;
  same(
    ['"command failed" err=<\n', '\n', ' ', '\t', '>', 'a', '\u2028', '\r', '<', '\u3000'],
    klogBlock,
    (s) => BLOCK.exec(s)?.[1],
  );
  const PATHS = /(?:\.\.\/)+(?:[\w.-]+\/)*gitops-render-\w+\/?/g;
  same(
    ['../', '.', '/', 'a', '-', '_', 'gitops-render-', 'x', ' ', 'é', 'gitops-render-a/', '..'],
    withoutWrapperPaths,
    (s) => s.replace(PATHS, ''),
  );
  const TRANSFORMATION = /configuredIn:\s*(.+)\n\s+configuredBy:\s*\n\s+apiVersion:\s*.+\n\s+kind:\s*(.+)/g;
  same(
    ['configuredIn:', 'configuredBy:', 'apiVersion:', 'kind:', ' ', '\n', '\t', '\r', '\u2028', 'x', '\n ', ' \n'],
    transformationMatches,
    (s) => [...s.matchAll(TRANSFORMATION)].map((m) => [m[1], m[2]]),
  );
  const header = '"command failed" err=<\n';
  assert.equal(klogBlock(`${header}\tline\n >\n`), '\tline');
  assert.equal(klogBlock(`${header}${' \n'.repeat(LONG / 2)}>x`), undefined);
  assert.equal(klogBlock(`${header}${'\n'.repeat(LONG)}`), undefined);
  assert.equal(withoutWrapperPaths('../../tmp/gitops-render-a1/x.yaml: bad'), 'x.yaml: bad');
  assert.equal(withoutWrapperPaths('../'.repeat(LONG / 3)), '../'.repeat(LONG / 3));
  assert.equal(
    withoutWrapperPaths(`${'../'.repeat(LONG / 3)}gitops-render-`),
    `${'../'.repeat(LONG / 3)}gitops-render-`,
  );
  assert.equal(withoutWrapperPaths(`${'../a/'.repeat(LONG / 5)}gitops-render-x/`), '');
  assert.deepEqual(
    transformationMatches(
      '- configuredIn: ../a/kustomization.yaml\n  configuredBy:\n    apiVersion: builtin\n    kind: PatchTransformer',
    ),
    [['../a/kustomization.yaml', 'PatchTransformer']],
  );
  assert.deepEqual(transformationMatches('configuredIn:'.repeat(LONG / 13)), []);
  assert.deepEqual(transformationMatches(`${'configuredIn:\n'.repeat(LONG / 14)}`), []);
  assert.deepEqual(transformationMatches(`configuredIn: a\n configuredBy:\n apiVersion:${' '.repeat(LONG)}`), []);
});
