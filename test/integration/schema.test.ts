import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { resourcesFromYaml } from '../../scripts/manifest/source.ts';
import {
  apiVersionStatus,
  crdSchemasOf,
  SchemaValidator,
  checkSchemas,
  schemaRules,
  validateYamlStream,
} from '../../scripts/schema/index.ts';
import { expandTemplate, templateValues } from '../../scripts/schema/locations.ts';
import { GENERATED_RESOURCE_FILES } from '../../scripts/schema/build.ts';
import { objectMetaRef, PRECOMPILED_DIR, PRECOMPILED_TARGET } from '../../scripts/schema/validator.ts';
import { DEFAULT_KUBERNETES_VERSION } from '../../scripts/validate/load.ts';
import type { App, Finding, LintConfig, RepoContext } from '../../scripts/types.ts';

const fixtures = path.resolve(import.meta.dirname, '..', 'fixtures', 'schema');
const builtinSchemas = path.resolve(import.meta.dirname, '..', '..', 'schemas');
const read = (file: string) => fs.readFileSync(path.join(fixtures, file), 'utf8');
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-test-cache-'));
after(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

function context(
  files: string[],
  options: { kubernetesVersion?: string; config?: LintConfig; kustomizations?: string[] } = {},
): RepoContext {
  const apps: App[] = files.map((file) => ({
    id: path.dirname(file),
    kind: 'manifests',
    resources: resourcesFromYaml(read(file), `test/fixtures/schema/${file}`, { app: path.dirname(file), env: 'dev' }),
  }));
  return {
    root: path.resolve(fixtures, '..', '..', '..'),
    config: options.config,
    kubernetesVersion: options.kubernetesVersion ?? '1.32',
    apps,
    environments: ['dev'],
    kustomizations: options.kustomizations ?? [],
  };
}

async function check(ctx: RepoContext): Promise<Finding[]> {
  process.env.GITOPS_CACHE_DIR = cacheDir;
  return checkSchemas(ctx);
}

const validator = () => new SchemaValidator({ cacheDir });

describe('schema-valid', () => {
  it('passes a valid Deployment and Service (int-or-string and quantities in both forms)', async () => {
    const findings = await check(context(['good/deployment.yaml']));
    assert.deepEqual(findings, []);
  });

  it('passes the fields of current upstream releases the models packages lack (Argo CD 3.5, External Secrets 2.9, Flux), and still catches a typo inside them', async () => {
    assert.deepEqual(await check(context(['good/upstream-fields.yaml'])), []);
    const typo = read('good/upstream-fields.yaml').replace('mode: strict', 'mode: strict\n            mdoe: strict');
    const ctx = context([]);
    ctx.apps = [{ id: 'x', kind: 'manifests', resources: resourcesFromYaml(typo, 'x.yaml', { app: 'x', env: 'dev' }) }];
    const findings = await check(ctx);
    assert.deepEqual(
      findings.map((finding) => `${finding.ruleId} ${finding.line}`),
      [`schema-valid ${typo.split('\n').findIndex((line) => line.includes('mdoe')) + 1}`],
    );
  });

  it('catches a readinesProbe typo, int32 as string, int32 range, int-or-string and quantity types, with lines', async () => {
    const findings = await check(context(['bad/deployment.yaml']));
    const byField = new Map(findings.map((f) => [f.path?.join('.'), f]));
    const typo = byField.get('spec.template.spec.containers.0.readinesProbe');
    assert.ok(typo, JSON.stringify(findings, null, 2));
    assert.equal(typo.ruleId, 'schema-valid');
    assert.equal(typo.severity, 'error');
    assert.equal(typo.file, 'test/fixtures/schema/bad/deployment.yaml');
    assert.equal(typo.line, 24);
    assert.match(
      typo.message,
      /Deployment\/shop\/web: spec\.template\.spec\.containers\[0\]\.readinesProbe: unknown field "readinesProbe"/,
    );
    assert.match(byField.get('spec.replicas')!.message, /expected integer, got string/);
    assert.equal(byField.get('spec.replicas')!.line, 7);
    assert.match(byField.get('spec.template.spec.containers.0.ports.0.containerPort')!.message, /int32/);
    assert.match(
      byField.get('spec.strategy.rollingUpdate.maxSurge')!.message,
      /expected string or integer, got boolean/,
    );
    assert.match(
      byField.get('spec.template.spec.containers.0.resources.limits.cpu')!.message,
      /expected string or number, got array/,
    );
    assert.equal(findings.length, 5, JSON.stringify(findings, null, 2));
  });

  it('reports a missing schema with where it looked, and says nothing for a skipped kind', async () => {
    const yaml = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n';
    fs.mkdirSync(path.join(cacheDir, 'fx'), { recursive: true });
    fs.writeFileSync(path.join(cacheDir, 'fx', 'widget.yaml'), yaml);
    const ctx = context([]);
    ctx.apps = [{ id: 'w', kind: 'manifests', resources: resourcesFromYaml(yaml, 'w/widget.yaml') }];
    const missing = await check(ctx);
    assert.equal(missing.length, 1);
    assert.equal(missing[0].ruleId, 'missing-schema');
    assert.equal(missing[0].severity, 'warning');
    assert.match(
      missing[0].message,
      /no schema for kind Widget \(example\.com\/v1\): Widget\/w is not checked; looked in the repository's CRDs, schemas\/widget-example-v1\.json/,
    );
    assert.match(missing[0].hint ?? '', /skipKinds/);
    ctx.config = { lint: { skipKinds: ['Widget'] } };
    assert.deepEqual(await check(ctx), []);
  });

  it('expands kind: List into its items and locates errors inside the list', async () => {
    const findings = await check(context(['good/list.yaml']));
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /ConfigMap\/broken: extra: unknown field "extra"/);
    assert.equal(findings[0].line, 16);
  });

  it('fails a YAML stream with a duplicate key, ignores empty documents', () => {
    const duplicate = validateYamlStream(
      validator(),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n',
    );
    assert.equal(duplicate.length, 1);
    assert.equal(duplicate[0].verdict.status, 'error');
    assert.match(duplicate[0].verdict.reason ?? '', /duplicated mapping key/);
    const empty = validateYamlStream(
      validator(),
      '---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n',
    );
    assert.deepEqual(
      empty.map((r) => r.verdict.status),
      ['valid'],
    );
  });

  it('reads unquoted timestamps as the strings kubeconform sees', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  creationTimestamp: 2024-01-02T03:04:05Z\ndata:\n  since: 2024-01-02\n';
    assert.deepEqual(
      validateYamlStream(validator(), text).map((r) => r.verdict.status),
      ['valid'],
    );
    const bad = validateYamlStream(validator(), `${text}  count: 3\n`);
    assert.deepEqual(
      bad[0].verdict.errors.map((e) => e.message),
      ['expected string, got integer'],
    );
  });

  it('reads YAML 1.1 numbers with underscores as Kubernetes does: replicas: 1_000 is 1000, in rendered and source files', () => {
    const text = (replicas: string) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: ${replicas}\n  selector: {}\n  template: {}\n`;
    const rendered = (replicas: string) => validateYamlStream(validator(), text(replicas))[0];
    assert.equal((rendered('1_000').object as { spec: { replicas: unknown } }).spec.replicas, 1000);
    assert.equal(rendered('1_000').verdict.status, 'valid');
    assert.equal(rendered('0x_1F').verdict.status, 'valid');
    // Quoted, or not a number once the underscores go: a string, as for kubectl.
    assert.deepEqual(
      rendered('"1_000"').verdict.errors.map((e) => e.message),
      ['expected integer, got string'],
    );
    assert.deepEqual(
      rendered('1_a').verdict.errors.map((e) => e.message),
      ['expected integer, got string'],
    );
    const [source] = resourcesFromYaml(text('1_000'), 'deployment.yaml');
    assert.equal((source.object.spec as { replicas: unknown }).replicas, 1000);
  });

  it('compiles Go-syntax patterns such as (?i) and draft-04 exclusiveMinimum from a CRD schema location', () => {
    const crds = new SchemaValidator({
      cacheDir,
      builtin: false,
      locations: [`${fixtures}/crd-schemas/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json`],
    });
    const widget = (spec: object) =>
      crds.validateObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec });
    assert.equal(widget({ color: 'RED', size: 2 }).status, 'valid');
    const bad = widget({ color: 'blue', size: 1 });
    assert.equal(bad.status, 'invalid');
    assert.deepEqual(bad.errors.map((e) => e.path.join('.')).sort(), ['spec.color', 'spec.size']);
  });
});

describe("the repository's CRDs", () => {
  it('check their custom resources strictly, with the line of the typo, and no missing-schema finding', async () => {
    const findings = await check(context(['crd/gadgets-crd.yaml', 'crd/gadget.yaml']));
    assert.deepEqual(
      findings.map((f) => `${f.ruleId} ${f.file}:${f.line} ${f.message}`),
      [
        'schema-valid test/fixtures/schema/crd/gadget.yaml:10 Gadget/shop/g: spec.lables: unknown field "lables" (strict schema: check the spelling and the indentation)',
      ],
    );
  });

  it('honour preserve-unknown-fields, int-or-string, embedded resources, nullable and the root ObjectMeta', () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'jobs.example.com' },
      spec: {
        group: 'example.com',
        names: { kind: 'Job' },
        versions: [
          { name: 'v1alpha1', served: false, schema: { openAPIV3Schema: { type: 'object' } } },
          {
            name: 'v1',
            served: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: {
                    type: 'object',
                    required: ['size'],
                    properties: {
                      size: { 'x-kubernetes-int-or-string': true },
                      note: { type: 'string', nullable: true },
                      values: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                      anything: { 'x-kubernetes-preserve-unknown-fields': true },
                      template: {
                        type: 'object',
                        'x-kubernetes-embedded-resource': true,
                        properties: { spec: { type: 'object', properties: { image: { type: 'string' } } } },
                      },
                      choice: {
                        type: 'object',
                        properties: { a: { type: 'string' }, b: { type: 'string' } },
                        oneOf: [{ required: ['a'] }, { required: ['b'] }],
                      },
                    },
                  },
                },
              },
            },
          },
        ],
      },
    };
    const resource = resourcesFromYaml(JSON.stringify(crd), 'crds.yaml')[0];
    const crds = crdSchemasOf([{ resource }], objectMetaRef);
    assert.deepEqual(
      crds.map((c) => `${c.apiVersion} ${c.kind}`),
      ['example.com/v1 Job'],
      'an unserved version gives no schema',
    );
    const v = new SchemaValidator({ cacheDir, crds });
    const job = (spec: object, metadata: Record<string, unknown> = { name: 'j' }) =>
      v.validateObject({ apiVersion: 'example.com/v1', kind: 'Job', metadata, spec });
    const good = {
      size: '50%',
      note: null,
      values: { deep: { any: ['thing'] } },
      anything: 7,
      template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { image: 'x' } },
      choice: { a: 'x' },
    };
    assert.deepEqual(job(good).errors, []);
    assert.equal(job({ ...good, size: 3 }).status, 'valid');
    // The API server drops a null field that is not nullable before validating: not an error.
    assert.equal(job({ ...good, values: null, template: null }).status, 'valid');
    const messages = (spec: object, metadata?: Record<string, unknown>) =>
      job(spec, metadata).errors.map((e) => `${e.path.join('.')}: ${e.message}`);
    assert.deepEqual(messages({ ...good, size: true }), ['spec.size: expected integer or string, got boolean']);
    assert.deepEqual(messages({ ...good, template: { ...good.template, spec: { imag: 'x' } } }), [
      'spec.template.spec.imag: unknown field "imag" (strict schema: check the spelling and the indentation)',
    ]);
    assert.deepEqual(messages({ ...good, choice: { a: 'x', b: 'y' } }), [
      'spec.choice: must match exactly one schema in oneOf',
    ]);
    assert.deepEqual(messages(good, { name: 'j', lables: {} }), [
      'metadata.lables: unknown field "lables" (strict schema: check the spelling and the indentation)',
    ]);
    assert.deepEqual(messages({ note: 'n' }), ['spec: missing required field "size"']);
  });

  it('win over a built-in schema of the same group, version and kind', () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'applications.argoproj.io' },
      spec: {
        group: 'argoproj.io',
        names: { kind: 'Application' },
        versions: [
          {
            name: 'v1alpha1',
            served: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: { spec: { type: 'object', properties: { only: { type: 'string' } } } },
              },
            },
          },
        ],
      },
    };
    const crds = crdSchemasOf([{ resource: resourcesFromYaml(JSON.stringify(crd), 'crds.yaml')[0] }], objectMetaRef);
    const app = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'a' },
      spec: { only: 'x' },
    };
    assert.equal(new SchemaValidator({ cacheDir }).validateObject(app).status, 'invalid');
    const verdict = new SchemaValidator({ cacheDir, crds }).validateObject(app);
    assert.equal(verdict.status, 'valid');
    assert.match(verdict.schema ?? '', /crds\.yaml:1 \(CustomResourceDefinition applications\.argoproj\.io\)/);
  });

  it('compile their patterns with RE2 (Go syntax, linear time)', { timeout: 120_000 }, () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'ws.example.com' },
      spec: {
        group: 'example.com',
        names: { kind: 'W' },
        versions: [
          {
            name: 'v1',
            served: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: {
                    type: 'object',
                    properties: {
                      a: { type: 'string', pattern: '^(a+)+$' },
                      b: { type: 'string', pattern: '(?i)^on$' },
                    },
                  },
                },
              },
            },
          },
        ],
      },
    };
    const crds = crdSchemasOf([{ resource: resourcesFromYaml(JSON.stringify(crd), 'crds.yaml')[0] }], objectMetaRef);
    const v = new SchemaValidator({ cacheDir, crds });
    const w = (spec: object) => {
      const verdict = v.validateObject({ apiVersion: 'example.com/v1', kind: 'W', spec });
      return verdict.errors.map((e) => `${e.path.join('.')}: ${e.message}`);
    };
    assert.deepEqual(w({ a: `${'a'.repeat(40)}b` }), ['spec.a: expected a string matching ^(a+)+$']);
    assert.deepEqual(w({ a: 'aa', b: 'ON' }), []);
  });
});

describe('CustomResourceDefinition schema (JSONSchemaProps)', () => {
  const validateFixture = (file: string) => validateYamlStream(validator(), read(file)).map((r) => r.verdict);

  it('accepts enum, default and example of any JSON type, additionalProperties and items in both forms', () => {
    assert.deepEqual(validateFixture('crd/gadgets-crd.yaml'), [
      {
        status: 'valid',
        errors: [],
        schema: path.join(builtinSchemas, 'customresourcedefinition-apiextensions-v1.json'),
      },
    ]);
  });

  it('rejects what the API server rejects, one error per mistake', () => {
    const [verdict] = validateFixture('crd/gadgets-crd-broken.yaml');
    const spec = 'spec.versions.0.schema.openAPIV3Schema.properties.spec';
    assert.deepEqual(
      verdict.errors.map((e) => `${e.path.join('.')}: ${e.message}`),
      [
        `${spec}.additionalProperties: expected object, got string`,
        `${spec}.properties.tags.items: expected object, got integer`,
        `${spec}.properties.billing.dependencies.card.0: expected string, got integer`,
        `${spec}.properties.mode.descripton: unknown field "descripton" (strict schema: check the spelling and the indentation)`,
      ],
    );
  });
});

describe('schemas/ build', () => {
  it('is deterministic and the committed folder is what the pinned packages produce', async () => {
    const { buildSchemas, staleSchemaFiles } = await import('../../scripts/schema/build.ts');
    const result = buildSchemas(path.resolve(import.meta.dirname, '..', '..'));
    assert.deepEqual(
      staleSchemaFiles(result, path.resolve(import.meta.dirname, '..', '..', 'schemas')),
      [],
      'run `npm run schemas` and commit schemas/',
    );
    const manifest = JSON.parse(result.files.get('manifest.json')!) as {
      kubernetesVersion: string;
      packages: Record<string, string>;
    };
    assert.equal(manifest.packages['kubernetes-models'], '5.1.0');
    assert.equal(manifest.kubernetesVersion, '1.36');
    const definitions = JSON.parse(result.files.get('_definitions.json')!).definitions;
    const port = definitions.IoK8sApiCoreV1ContainerPort;
    assert.deepEqual(port.properties.containerPort, { type: 'integer', format: 'int32' });
    assert.equal(port.additionalProperties, false);
    assert.deepEqual(definitions.IoK8sApimachineryPkgApisMetaV1ObjectMeta.properties.labels.additionalProperties, {
      type: 'string',
    });
  });
});

describe('Kubernetes versions (schemas/kubernetes-versions.json)', () => {
  it('records where the facts of each minor come from, and the fields and kinds older minors lack', async () => {
    const { versionTable } = await import('../../scripts/schema/versions.ts');
    const table = versionTable(builtinSchemas)!;
    assert.equal(table.newest, '1.36');
    assert.equal(table.oldest, '1.28');
    for (const minor of ['1.28', '1.29', '1.30', '1.32', '1.33', '1.34', '1.36'])
      assert.match(
        table.sources[minor],
        /^@kubernetes\/client-node@[\d.]+, generated from the Kubernetes 1\.\d+ OpenAPI spec \(sha512-/,
      );
    assert.equal(table.fields.IoK8sApiCoreV1LifecycleHandler.sleep, '1.29');
    assert.equal(table.fields.IoK8sApiCoreV1SecurityContext.appArmorProfile, '1.30');
    assert.equal(table.kinds['resource.k8s.io/v1 DeviceClass'], '1.34');
    // Fields every minor from 1.28 has are not listed (Container.restartPolicy arrived in 1.28).
    assert.equal(table.fields.IoK8sApiCoreV1Container?.restartPolicy, undefined);
  });

  it('takes a field first seen after a minor with no facts as introduced in that minor (never a false error)', async () => {
    const { buildVersionTable } = await import('../../scripts/schema/versions-build.ts');
    const definitions = {
      Thing: { properties: { apiVersion: {}, kind: {}, a: {}, b: {}, c: {} } },
    };
    const models = (...fields: string[]) =>
      new Map([['V1Thing', ['apiVersion', 'kind', ...fields].map((baseName) => ({ baseName, type: 'string' }))]]);
    const table = buildVersionTable(
      definitions,
      [{ apiVersion: 'example.com/v1', kind: 'Thing', definition: 'Thing' }],
      [
        { minor: '1.28', source: 'a', models: models() },
        { minor: '1.30', source: 'b', models: models('a') },
        { minor: '1.32', source: 'c', models: models('a', 'b') },
      ],
    );
    assert.deepEqual(table.fields, { Thing: { a: '1.29', b: '1.31', c: '1.33' } });
  });
});

describe('schema locations', () => {
  it('expands every kubeconform template variable', () => {
    const values = templateValues('HorizontalPodAutoscaler', 'autoscaling/v2', '1.32.2');
    assert.equal(
      expandTemplate(
        '{{ .NormalizedKubernetesVersion }}-standalone{{.StrictSuffix}}/{{.ResourceKind}}{{.KindSuffix}}.json|{{.Group}}|{{.ResourceAPIVersion}}',
        values,
      ),
      'v1.32.2-standalone-strict/horizontalpodautoscaler-autoscaling-v2.json|autoscaling|v2',
    );
    const core = templateValues('Service', 'v1', '1.32');
    assert.equal(expandTemplate('{{.ResourceKind}}{{.KindSuffix}}.json', core), 'service-v1.json');
    assert.equal(
      expandTemplate('{{.ResourceKind}}{{.KindSuffix}}', templateValues('Rollout', 'argoproj.io/v1alpha1', '1.32')),
      'rollout-argoproj-v1alpha1',
    );
  });

  it('tries locations in order: schemas/ first, then the configured ones; a file:// template works', () => {
    const ordered = new SchemaValidator({
      cacheDir,
      locations: [
        path.join(fixtures, 'first'),
        pathToFileURL(path.join(fixtures, 'second')).href + '/{{.ResourceKind}}{{.KindSuffix}}.json',
      ],
    });
    const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: {} };
    const verdict = ordered.validateObject(widget);
    assert.equal(verdict.status, 'invalid');
    assert.match(verdict.errors[0].message, /fromFirst/);
    assert.equal(
      ordered.candidates('Widget', 'example.com/v1')[0],
      path.resolve(import.meta.dirname, '..', '..', 'schemas', 'widget-example-v1.json'),
    );
    const reversed = new SchemaValidator({
      cacheDir,
      locations: [path.join(fixtures, 'second'), path.join(fixtures, 'first')],
    });
    assert.match(reversed.validateObject(widget).errors[0].message, /fromSecond/);
    // schemas/ wins over a location that also has the kind.
    const deployment = new SchemaValidator({ cacheDir, locations: [path.join(fixtures, 'first')] }).validateObject({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
    });
    assert.match(deployment.schema ?? '', /schemas\/deployment-apps-v1\.json$/);
  });

  describe('URL templates', () => {
    let server: http.Server;
    let base = '';
    let requests = 0;
    before(async () => {
      server = http.createServer((req, res) => {
        requests++;
        const file = path.join(fixtures, 'second', path.basename(req.url ?? ''));
        if (fs.existsSync(file)) res.end(fs.readFileSync(file));
        else res.writeHead(404).end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    });
    after(() => server.close());

    it('downloads once into the on-disk cache, then validates offline', async () => {
      const urlCache = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-url-cache-'));
      try {
        const location = `${base}/{{.ResourceKind}}{{.KindSuffix}}.json`;
        const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: {} };
        const online = new SchemaValidator({ cacheDir: urlCache, locations: [location] });
        assert.deepEqual(await online.prefetch([widget, { apiVersion: 'example.com/v1', kind: 'Gadget' }]), []);
        assert.match(online.validateObject(widget).errors[0].message, /fromSecond/);
        assert.equal(online.validateObject({ apiVersion: 'example.com/v1', kind: 'Gadget' }).status, 'missing-schema');
        const before = requests;
        await new Promise<void>((resolve) => server.close(() => resolve()));
        const offline = new SchemaValidator({ cacheDir: urlCache, locations: [location] });
        assert.deepEqual(await offline.prefetch([widget]), []);
        assert.match(offline.validateObject(widget).errors[0].message, /fromSecond/);
        assert.equal(requests, before);
      } finally {
        fs.rmSync(urlCache, { recursive: true, force: true });
      }
    });
  });

  it('precompiled validators (schemas/compiled/) give the verdicts and errors of compiling in memory, for the default target only', () => {
    assert.equal(PRECOMPILED_TARGET, DEFAULT_KUBERNETES_VERSION, 'precompile the target a run gets by default');
    const container = { name: 'app', image: 'registry.example.com/app:1.0' };
    const podSpec = (extra: Record<string, unknown> = {}) => ({ containers: [{ ...container }], ...extra });
    const deployment = (spec: Record<string, unknown>) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec },
        ...{},
      },
    });
    const objects: Record<string, unknown>[] = [
      deployment(podSpec()),
      { ...deployment(podSpec()), spec: { ...deployment(podSpec()).spec, replicas: '2' } },
      deployment(podSpec({ containers: [{ ...container, imag: 'typo', ports: [{ containerPort: 99999999999 }] }] })),
      // A field Kubernetes 1.34 added: against 1.32 it fails, naming the version (the introducedIn keyword).
      deployment(podSpec({ hostnameOverride: 'web-0' })),
      deployment(podSpec({ containers: [{ ...container, resources: { limits: { cpu: 'lots' } } }] })),
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 's' },
        spec: { ports: [{ port: 80, targetPort: 'http' }] },
      },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'Nope', ports: [{ port: '80' }] } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', lables: {} }, data: { a: 1 } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'not base64!' } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i' }, spec: { rules: [{ host: 1 }] } },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'j' }, spec: { schedule: 1, jobTemplate: {} } },
      // Custom resources the generator writes (GENERATED_RESOURCE_FILES) are precompiled too.
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        metadata: { name: 'r' },
        spec: { replicas: '2', strategy: { canary: { steps: [{ setWeight: 'half' }] } }, template: podSpec() },
      },
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'a' },
        spec: { project: 1, destination: { server: 'https://kubernetes.default.svc' }, sources: {} },
      },
      {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: 'e' },
        spec: { secretStoreRef: { name: 's', kind: 'SecretStore' }, data: [{ secretKey: 'k' }] },
      },
    ];
    const compiled = fs.readdirSync(path.join(builtinSchemas, PRECOMPILED_DIR));
    for (const file of [
      ...['deployment-apps-v1', 'service-v1', 'configmap-v1', 'secret-v1', 'ingress-networking-v1'],
      ...GENERATED_RESOURCE_FILES.map((name) => name.replace(/\.json$/, '')),
    ])
      assert.ok(compiled.includes(`${file}.cjs`), `${file} is precompiled`);
    for (const kubernetesVersion of [PRECOMPILED_TARGET, '1.28']) {
      const fast = new SchemaValidator({ cacheDir, kubernetesVersion });
      const memory = new SchemaValidator({ cacheDir, kubernetesVersion, precompiled: false });
      for (const object of objects) assert.deepEqual(fast.validateObject(object), memory.validateObject(object));
    }
    const versions = new SchemaValidator({ cacheDir, kubernetesVersion: PRECOMPILED_TARGET });
    assert.match(
      versions
        .validateObject(objects[3])
        .errors.map((e) => e.message)
        .join('\n'),
      /field "hostnameOverride" is not in Kubernetes 1\.32 \(the target\): it was added in 1\.34/,
    );
    assert.equal(versions.validateObject(objects[1]).errors[0].message, 'expected integer, got string');
  });

  it('compiles in memory: writes nothing to the cache folder, and an unusable one is no finding', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-compiled-'));
    try {
      const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 1 } };
      const first = new SchemaValidator({ cacheDir: dir }).validateObject(object);
      assert.equal(first.status, 'invalid');
      assert.deepEqual(fs.readdirSync(dir), [], 'no compiled code is kept on disk');
      // A cache "folder" below a file cannot be created (root ignores modes, so this is the portable way).
      fs.writeFileSync(path.join(dir, 'file'), '');
      const unusable = new SchemaValidator({ cacheDir: path.join(dir, 'file', 'cache') });
      assert.deepEqual(unusable.validateObject(object), first);
      assert.equal(unusable.validateObject({ ...object, data: { a: '1' } }).status, 'valid');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it(
    'compiles the patterns of a schema folder with RE2: a catastrophic pattern stays linear',
    { timeout: 120_000 },
    () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-redos-'));
      try {
        const schema = {
          type: 'object',
          properties: { spec: { type: 'object', properties: { name: { type: 'string', pattern: '^(a+)+$' } } } },
        };
        fs.writeFileSync(path.join(dir, 'widget-example-v1.json'), JSON.stringify(schema));
        const folder = new SchemaValidator({ cacheDir, builtin: false, locations: [dir] });
        const widget = (name: string) =>
          folder.validateObject({ apiVersion: 'example.com/v1', kind: 'Widget', spec: { name } });
        // Native RegExp backtracks for minutes on this input; RE2 answers at once.
        assert.equal(widget(`${'a'.repeat(40)}b`).status, 'invalid');
        assert.equal(widget('aaaa').status, 'valid');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describe('api-removed and api-deprecated', () => {
  const hpa =
    'apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef: { kind: Deployment, name: web }\n  maxReplicas: 3\n';
  const facts: [string, string, string, 'removed' | 'deprecated' | undefined][] = [
    ['autoscaling/v2beta2', 'HorizontalPodAutoscaler', '1.22', undefined],
    ['autoscaling/v2beta2', 'HorizontalPodAutoscaler', '1.25', 'deprecated'],
    ['autoscaling/v2beta2', 'HorizontalPodAutoscaler', '1.26', 'removed'],
    ['policy/v1beta1', 'PodDisruptionBudget', '1.24', 'deprecated'],
    ['policy/v1beta1', 'PodDisruptionBudget', '1.25', 'removed'],
    ['networking.k8s.io/v1beta1', 'Ingress', '1.22', 'removed'],
    ['batch/v1beta1', 'CronJob', '1.25', 'removed'],
    ['extensions/v1beta1', 'Deployment', '1.16', 'removed'],
    ['batch/v1', 'CronJob', '1.36', undefined],
  ];
  for (const [apiVersion, kind, target, expected] of facts) {
    it(`${apiVersion} ${kind} at ${target}: ${expected ?? 'fine'}`, () => {
      assert.equal(apiVersionStatus(apiVersion, kind, target)?.status, expected);
    });
  }

  it('names the replacement and the line, per target version', async () => {
    const ctx = (version: string): RepoContext => {
      const c = context([], { kubernetesVersion: version });
      c.apps = [{ id: 'a', kind: 'manifests', resources: resourcesFromYaml(hpa, 'a/hpa.yaml') }];
      c.config = { lint: { skipKinds: ['HorizontalPodAutoscaler'] } };
      return c;
    };
    const removed = await check(ctx('1.26'));
    assert.equal(removed.length, 1);
    assert.equal(removed[0].ruleId, 'api-removed');
    assert.equal(removed[0].line, 1);
    assert.match(removed[0].message, /removed in Kubernetes 1\.26 .*use autoscaling\/v2/);
    const deprecated = await check(ctx('1.24'));
    assert.deepEqual(
      deprecated.map((f) => [f.ruleId, f.severity]),
      [['api-deprecated', 'warning']],
    );
    assert.deepEqual(await check(ctx('1.20')), []);
  });
});

describe('kustomization checks', () => {
  const root = path.resolve(fixtures, '..', '..', '..');
  const kustomizationContext = (file: string): RepoContext => ({ ...context([]), root, kustomizations: [file] });
  it('flags deprecated fields and unknown fields with their lines', async () => {
    const findings = await check(kustomizationContext('test/fixtures/schema/kustomize-old/kustomization.yaml'));
    const summary = findings.map((f) => `${f.ruleId}:${f.line}:${f.path?.join('.')}`);
    assert.deepEqual(summary, [
      'kustomize-deprecated-fields:3:bases',
      'kustomize-deprecated-fields:5:commonLabels',
      'kustomize-deprecated-fields:7:patchesStrategicMerge',
      'kustomize-deprecated-fields:9:patchesJson6902',
      'kustomize-deprecated-fields:12:vars',
      'kustomization-valid:15:resource',
      'kustomization-valid:19:patches.0.tagret',
    ]);
    assert.match(findings.find((f) => f.path?.[0] === 'resource')!.message, /did you mean "resources"/);
    assert.equal(findings.find((f) => f.path?.[0] === 'bases')!.severity, 'warning');
  });

  it('passes a kustomize v5 kustomization', async () => {
    assert.deepEqual(await check(kustomizationContext('test/fixtures/schema/kustomize-new/kustomization.yaml')), []);
  });

  it('declares metadata for every rule it emits', () => {
    assert.deepEqual(schemaRules.map((r) => r.meta.id).sort(), [
      'api-deprecated',
      'api-removed',
      'kustomization-valid',
      'kustomize-deprecated-fields',
      'missing-schema',
      'schema-valid',
    ]);
  });
});
