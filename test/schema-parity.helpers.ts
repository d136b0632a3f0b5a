// Parity of our schemas/ with kubeconform's verdicts on real repositories: every object of the shared
// corpus and the built-in example (rendered once by test/integration/corpus.test.ts), validated with
// schemas/ and with the reference schemas (../shared/schemas, kubeconform's layouts); where the
// valid/invalid verdicts differ.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expandLists, SchemaValidator, type SchemaVerdict } from '../scripts/schema/index.ts';
import type { KubeObject, RepoContext } from '../scripts/types.ts';

export const repoRoot = path.resolve(import.meta.dirname, '..');
export const sharedDir = process.env.GITOPS_SHARED_DIR ?? path.resolve(repoRoot, '..', 'shared');

export interface ParityObject {
  /** `<corpus>/<app>|<apiVersion>|<kind>|<namespace>/<name>`: stable across runs. */
  id: string;
  ours: SchemaVerdict;
  reference: SchemaVerdict;
}

export interface ParityRun {
  objects: ParityObject[];
  /** Apps that could not render offline, with kustomize's first line. */
  skipped: { app: string; reason: string }[];
  rendered: number;
}

/** Unpacks the reference schemas once per process into a temp folder. */
export function unpackReferenceSchemas(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reference-schemas-'));
  for (const archive of ['kubernetes-v1.32.2-standalone-strict.tgz', 'crds-catalog-subset.tgz']) {
    execFileSync('tar', ['xzf', path.join(sharedDir, 'schemas', archive), '-C', dir]);
  }
  return dir;
}

/** kubeconform's locations for the reference: the Kubernetes folder, then the CRDs-catalog layout. */
export function referenceValidator(dir: string): SchemaValidator {
  return new SchemaValidator({
    builtin: false,
    locations: [
      `${dir}/{{.ResourceKind}}{{.KindSuffix}}.json`,
      `${dir}/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json`,
    ],
  });
}

/** Both verdicts for every object of already loaded repositories (the corpus test loads them once for all its checks). */
export function parityOf(loaded: { repo: string; ctx: RepoContext }[]): ParityRun {
  const referenceDir = unpackReferenceSchemas();
  try {
    const ours = new SchemaValidator();
    const reference = referenceValidator(referenceDir);
    const objects: ParityObject[] = [];
    const skipped: ParityRun['skipped'] = [];
    let rendered = 0;
    for (const { repo, ctx } of loaded) {
      for (const app of ctx.apps) {
        const appId = `${repo}/${app.id}`;
        if (app.renderError !== undefined) {
          skipped.push({ app: appId, reason: app.renderError.split('\n')[0] });
          continue;
        }
        rendered++;
        for (const object of expandLists(app.resources.map((resource) => resource.object))) {
          if (!object || typeof object !== 'object' || !object.kind) continue;
          objects.push({
            id: objectId(appId, object),
            ours: ours.validateObject(object),
            reference: reference.validateObject(object),
          });
          // The corpus is almost all valid; mutants check that both sides also reject the same things.
          for (const [name, mutant] of mutants(object)) {
            objects.push({
              id: `${objectId(appId, object)}#${name}`,
              ours: ours.validateObject(mutant),
              reference: reference.validateObject(mutant),
            });
          }
        }
      }
    }
    objects.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { objects, skipped, rendered };
  } finally {
    fs.rmSync(referenceDir, { recursive: true, force: true });
  }
}

/**
 * Broken copies of an object that kubeconform -strict rejects: an unknown field, a probe typo, a
 * string replica count. The unknown field goes into `spec` when there is one: the CRDs-catalog
 * schemas leave a CRD's top level open (kubeconform accepts `foo:` beside `spec:` there) while
 * everything below is closed, so `spec` is where both sides are strict.
 */
export function mutants(object: KubeObject): [string, KubeObject][] {
  const unknown = structuredClone(object);
  const spec = unknown.spec;
  if (spec && typeof spec === 'object' && !Array.isArray(spec))
    (spec as Record<string, unknown>).unknownFieldForParity = true;
  else unknown.unknownFieldForParity = true;
  const out: [string, KubeObject][] = [['unknown-field', unknown]];
  const podSpec = (object.spec as { template?: { spec?: { containers?: Record<string, unknown>[] } } } | undefined)
    ?.template?.spec;
  if (podSpec?.containers?.[0]) {
    const typo = structuredClone(object);
    const container = (typo.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec
      .containers[0];
    container.readinesProbe = { tcpSocket: { port: 8080 } };
    out.push(['probe-typo', typo]);
  }
  if (typeof (object.spec as { replicas?: unknown } | undefined)?.replicas === 'number') {
    const replicas = structuredClone(object);
    (replicas.spec as { replicas: unknown }).replicas = 'three';
    out.push(['replicas-string', replicas]);
  }
  return out;
}

export function objectId(app: string, object: KubeObject): string {
  return `${app}|${object.apiVersion}|${object.kind}|${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
}

const decided = (verdict: SchemaVerdict) => verdict.status === 'valid' || verdict.status === 'invalid';

/** Objects both sides have a schema for, whose verdicts differ. */
export function differences(run: ParityRun): ParityObject[] {
  return run.objects.filter((o) => decided(o.ours) && decided(o.reference) && o.ours.status !== o.reference.status);
}
