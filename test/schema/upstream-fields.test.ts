// The build's additions to the models packages' definitions (scripts/schema/upstream-fields.ts and
// upstream-crd-fields.json): each lands where it is meant to, and the lists cannot go stale silently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { crdPropertySchema } from '../../scripts/schema/crds.ts';
import {
  UPSTREAM_FIELDS,
  UPSTREAM_RELAXATIONS,
  withUpstreamFields,
  type UpstreamField,
} from '../../scripts/schema/upstream-fields.ts';

const field: UpstreamField = { definition: 'Source', property: 'tagPrefix', schema: { type: 'string' }, since: 'v9' };
const optional = (schema: Record<string, unknown>) => ({ ...schema, type: [schema.type, 'null'] });
const add = (definitions: Record<string, Record<string, unknown>>, fields: UpstreamField[], relaxations = []) =>
  withUpstreamFields(definitions, fields, relaxations, crdPropertySchema, optional);

test('an upstream field is converted as a CRD field is, and added to its definition as an optional one', () => {
  const definitions = { Source: { type: 'object', properties: { path: { type: 'string' } } } };
  add(definitions, [
    field,
    {
      definition: 'Source',
      property: 'window',
      schema: { type: 'object', properties: { cron: { type: 'string' } }, required: ['cron'] },
      since: 'v9',
    },
  ]);
  assert.deepEqual(definitions.Source.properties, {
    path: { type: 'string' },
    tagPrefix: { type: ['string', 'null'] },
    // Strict as a repository's CRD is: no field it does not list.
    window: {
      type: ['object', 'null'],
      properties: { cron: { type: ['string', 'null'] } },
      required: ['cron'],
      additionalProperties: false,
    },
  });
});

test('relaxations add enum values before the null an optional field allows, and drop requirements upstream dropped', () => {
  const definitions = {
    Target: { properties: { policy: { type: ['string', 'null'], enum: ['Owner', 'Merge', null] } } },
    Auth: { properties: { secretRef: {}, token: {} }, required: ['secretRef', 'token'] },
  };
  withUpstreamFields(
    definitions,
    [],
    [
      { definition: 'Target', enumValues: { property: 'policy', values: ['CreateOrMerge'] }, since: 'v2' },
      { definition: 'Auth', notRequired: ['secretRef'], since: 'v2' },
    ],
    crdPropertySchema,
    optional,
  );
  assert.deepEqual(definitions.Target.properties.policy.enum, ['Owner', 'Merge', 'CreateOrMerge', null]);
  assert.deepEqual(definitions.Auth.required, ['token']);
});

test('the build stops when a definition is gone or the package has caught up', () => {
  assert.throws(() => add({}, [field]), /no definition Source/);
  assert.throws(
    () => add({ Source: { properties: { tagPrefix: { type: 'string' } } } }, [field]),
    /declares tagPrefix now .* remove the entry/,
  );
  const relax = (
    definitions: Record<string, Record<string, unknown>>,
    relaxation: (typeof UPSTREAM_RELAXATIONS)[number],
  ) => withUpstreamFields(definitions, [], [relaxation], crdPropertySchema, optional);
  assert.throws(
    () =>
      relax(
        { T: { properties: { p: { enum: ['A', 'B'] } } } },
        { definition: 'T', enumValues: { property: 'p', values: ['B'] }, since: 'v2' },
      ),
    /allows B now/,
  );
  assert.throws(
    () => relax({ T: { properties: {}, required: ['a'] } }, { definition: 'T', notRequired: ['b'], since: 'v2' }),
    /no longer requires b now/,
  );
});

test('each entry names where upstream declares it, once per definition and property', () => {
  const crdFields = JSON.parse(
    readFileSync(new URL('../../scripts/schema/upstream-crd-fields.json', import.meta.url), 'utf8'),
  ) as UpstreamField[];
  const entries = [...UPSTREAM_FIELDS, ...crdFields];
  const keys = entries.map((entry) => `${entry.definition}.${entry.property}`);
  assert.equal(new Set(keys).size, keys.length);
  for (const entry of [...entries, ...UPSTREAM_RELAXATIONS]) assert.match(entry.since, / v\d+\.\d+\.\d+/);
});
