// credentialPattern (scripts/kube/credential-patterns.ts): secretlint's patterns, answers remembered by text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { credentialPattern } from '../../scripts/kube/credential-patterns.ts';

test('credentialPattern: the same answer for a text every time, past the bound of remembered answers', () => {
  const token = 'ghp_R0tat3dTok3nZyXwVuTsRqPoNmLkJiHgFeDc';
  const plain = 'registry.example.com/shop/web:1.4.2';
  assert.equal(credentialPattern(token), 'a GitHub token');
  assert.equal(credentialPattern(plain), undefined);
  // More distinct texts than are remembered: the memory is forgotten, never wrong.
  for (let i = 0; i < 25_000; i++) credentialPattern(`svc-${i}`);
  assert.equal(credentialPattern(token), 'a GitHub token');
  assert.equal(credentialPattern(plain), undefined);
  // A long text is scanned every time (not remembered), with the same result.
  const long = `${'x'.repeat(300)} ${token}`;
  assert.equal(credentialPattern(long), 'a GitHub token');
  assert.equal(credentialPattern(long), 'a GitHub token');
});
