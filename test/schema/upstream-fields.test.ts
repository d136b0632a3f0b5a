// The build's additions to the models packages' definitions (scripts/schema/upstream-fields.ts): each
// lands where it is meant to, and the list cannot go stale silently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UPSTREAM_FIELDS, withUpstreamFields, type UpstreamField } from '../../scripts/schema/upstream-fields.ts';

const field: UpstreamField = { definition: 'Source', property: 'tagPrefix', schema: { type: 'string' }, since: 'v9' };
const optional = (schema: Record<string, unknown>) => ({ ...schema, type: [schema.type, 'null'] });

test('an upstream field is added to its definition, through the same optional-field treatment as the others', () => {
  const definitions = { Source: { type: 'object', properties: { path: { type: 'string' } } } };
  withUpstreamFields(definitions, [field], optional);
  assert.deepEqual(definitions.Source.properties, {
    path: { type: 'string' },
    tagPrefix: { type: ['string', 'null'] },
  });
});

test('the build stops when a definition is gone or the package declares the field itself', () => {
  assert.throws(() => withUpstreamFields({}, [field], optional), /no definition Source/);
  assert.throws(
    () => withUpstreamFields({ Source: { properties: { tagPrefix: { type: 'string' } } } }, [field], optional),
    /declares tagPrefix now .* remove the entry/,
  );
});

test('each entry names where upstream declares it, once per definition and property', () => {
  const keys = UPSTREAM_FIELDS.map((entry) => `${entry.definition}.${entry.property}`);
  assert.equal(new Set(keys).size, keys.length);
  for (const entry of UPSTREAM_FIELDS) assert.match(entry.since, /^Argo CD v\d+\.\d+\.\d+/);
});
