// What one side of a diff contributes: the validate pipeline's result reduced to what the differ
// compares — every app's objects (secret values already masked), every Application Argo CD would
// create with what decides its fate on deletion, and the findings. Plain JSON, so the side of an
// immutable commit can be cached whole; it never holds a secret's value.
import { argoModel, type ArgoApplication, type ArgoModel } from '../argocd/index.ts';
import { cleanPath, localPathSources, renderedResources } from '../argocd/model.ts';
import type {
  App,
  Finding,
  JsonPath,
  KubeObject,
  RepoContext,
  Resource,
  ResourceRef,
  SourceLocation,
} from '../types.ts';
import { describeRef, resourceRef } from '../types.ts';
import { compareText } from '../finding-order.ts';
import { record } from '../kube/values.ts';
import { redact } from '../safe/redact.ts';
import { maskObject, secretPaths, type MaskedValue } from './mask.ts';

export const SNAPSHOT_FORMAT = 'gitops-diff-snapshot-v1';

export interface SnapshotObject {
  ref: ResourceRef;
  /** The source file the object came from, relative to the repository root. */
  file: string;
  /** The rendered object with every secret value replaced by a marker. */
  object: KubeObject;
  secrets: MaskedValue[];
  /** Where a person edits a field (the overlay line that sets it); only on a side validated in this run, never cached. */
  locate?: (path: JsonPath) => SourceLocation;
}

export interface SnapshotApp {
  id: string;
  kind: App['kind'];
  env?: string;
  renderError?: string;
  objects: SnapshotObject[];
}

/** Who deletes an Application or ApplicationSet written by hand: the Application that deploys it, if any. */
export interface ManagedBy {
  name: string;
  /** Its sync policy prunes automatically: removing the child from Git deletes it on the next sync. */
  prune: boolean;
}

export interface SnapshotApplication {
  name: string;
  namespace?: string;
  /** The ApplicationSet that generates it. */
  appSet?: string;
  /** Where it is written: its own file, or its ApplicationSet's. */
  file: string;
  line?: number;
  env?: string;
  /** The Application as Argo CD would create it, secret values masked. */
  object: KubeObject;
  secrets: MaskedValue[];
  finalizers: string[];
  /** Local source paths, as discovery names apps. */
  sourcePaths: string[];
  managedBy?: ManagedBy;
  /** "Deployment/shop/api" for each object it deploys, sorted. */
  resources: string[];
  /** Where a field of it is written (in the ApplicationSet for generated ones); never cached. */
  locate?: (path: JsonPath) => SourceLocation;
}

export interface SnapshotAppSet {
  name: string;
  namespace?: string;
  file: string;
  line?: number;
  /** spec.syncPolicy.applicationsSync as written (Argo CD's default is sync). */
  applicationsSync?: string;
  preserveResourcesOnDeletion: boolean;
  managedBy?: ManagedBy;
}

export interface SideSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  environments: string[];
  apps: SnapshotApp[];
  applications: SnapshotApplication[];
  appSets: SnapshotAppSet[];
  /** The validator's findings after gitops.yaml severities and ignore annotations (no baseline). */
  findings: Finding[];
  /** Internal faults of the validator (a checker crashed). */
  faults: string[];
  summary: { apps: number; resources: number; kustomize?: string };
}

export interface SnapshotInput {
  ctx: RepoContext;
  findings: Finding[];
  faults: string[];
  kustomize?: string;
  /** The Argo CD model of ctx; built when absent. */
  model?: ArgoModel;
}

/** Reduces a validate run to a snapshot. `hash` keys the secret markers (mask.ts). */
export function snapshotOf(input: SnapshotInput, hash: (value: string) => string): SideSnapshot {
  const { ctx } = input;
  const model = input.model ?? argoModel(ctx);
  const apps: SnapshotApp[] = ctx.apps.map((app) => ({
    id: app.id,
    kind: app.kind,
    ...(app.env ? { env: app.env } : {}),
    // kustomize's words can quote generator literals: the snapshot is cached, so it keeps them redacted.
    ...(app.renderError ? { renderError: redact(app.renderError) } : {}),
    objects: app.resources
      .map((resource): SnapshotObject => {
        const { object, masked } = maskObject(resource.object, secretPaths(resource, ctx, app), hash);
        return {
          ref: resourceRef(resource.object),
          file: resource.origin.file,
          // No line: reading origin.line parses the source file; the differ asks locate() for the objects it shows.
          object,
          secrets: masked,
          locate: (path: JsonPath) => resource.locate(path),
        };
      })
      .sort((a, b) => compareText(refKey(a.ref), refKey(b.ref))),
  }));
  const deployed = deployedBy(ctx, model);
  const managers = managersOf(model, deployed);
  const appOf = new Map(ctx.apps.flatMap((app) => app.resources.map((resource) => [resource, app] as const)));
  const applications = model.applications
    .map((application) => snapshotApplication(application, ctx, model, { managers, appOf, deployed, hash }))
    .sort((a, b) => compareText(applicationKey(a), applicationKey(b)));
  const appSets = model.appSets
    .map((resource): SnapshotAppSet => {
      const object = resource.object;
      const policy = record(record(object.spec).syncPolicy);
      const name = object.metadata?.name ?? '';
      const manager = managers.get(`ApplicationSet/${name}`);
      return {
        name,
        ...(object.metadata?.namespace ? { namespace: object.metadata.namespace } : {}),
        file: resource.origin.file,
        ...(resource.origin.line ? { line: resource.origin.line } : {}),
        ...(typeof policy.applicationsSync === 'string' ? { applicationsSync: policy.applicationsSync } : {}),
        preserveResourcesOnDeletion: policy.preserveResourcesOnDeletion === true,
        ...(manager ? { managedBy: manager } : {}),
      };
    })
    .sort((a, b) => compareText(a.name, b.name));
  return {
    format: SNAPSHOT_FORMAT,
    environments: [...ctx.environments],
    apps,
    applications,
    appSets,
    findings: input.findings,
    faults: input.faults,
    summary: {
      apps: ctx.apps.length,
      resources: ctx.apps.reduce((sum, app) => sum + app.resources.length, 0),
      ...(input.kustomize ? { kustomize: input.kustomize } : {}),
    },
  };
}

function snapshotApplication(
  application: ArgoApplication,
  ctx: RepoContext,
  model: ArgoModel,
  {
    managers,
    appOf,
    deployed,
    hash,
  }: {
    managers: Map<string, ManagedBy>;
    appOf: Map<Resource, App>;
    deployed: Map<ArgoApplication, Resource[]>;
    hash: (value: string) => string;
  },
): SnapshotApplication {
  const object = application.object;
  // A generated Application is not a rendered resource: mask it as one, with the ApplicationSet's app for lookups.
  const host = appOf.get(application.resource) ?? ctx.apps[0];
  const paths: JsonPath[] = host
    ? secretPaths({ object, origin: application.resource.origin, locate: application.locate }, ctx, host)
    : [];
  const masked = maskObject(object, paths, hash);
  const at = application.locate(['metadata', 'name']);
  const manager = application.appSet ? undefined : managers.get(`Application/${application.name}`);
  const resources = (deployed.get(application) ?? []).map((resource) => describeRef(resourceRef(resource.object)));
  return {
    name: application.name,
    ...(object.metadata?.namespace ? { namespace: object.metadata.namespace } : {}),
    ...(application.appSet ? { appSet: application.appSet } : {}),
    file: at.file,
    ...(at.line ? { line: at.line } : {}),
    ...(application.env ? { env: application.env } : {}),
    object: masked.object,
    secrets: masked.masked,
    finalizers: Array.isArray(object.metadata?.finalizers) ? object.metadata.finalizers.map(String) : [],
    sourcePaths: localPathSources(model, object).map((source) => cleanPath(source.path)),
    ...(manager ? { managedBy: manager } : {}),
    resources: [...new Set(resources)].sort(compareText),
    locate: (path: JsonPath) => application.locate(path),
  };
}

/**
 * The resources each Application deploys, once: a source path that names an app is a map lookup
 * (the usual case, and the model's own rule: that app alone); anything else asks the model.
 */
function deployedBy(ctx: RepoContext, model: ArgoModel): Map<ArgoApplication, Resource[]> {
  const byId = new Map(ctx.apps.map((app) => [app.id, app]));
  const out = new Map<ArgoApplication, Resource[]>();
  for (const application of model.applications) {
    const sources = localPathSources(model, application.object);
    const exact = sources.map((source) => byId.get(cleanPath(source.path)));
    out.set(
      application,
      exact.every((app) => app !== undefined)
        ? exact.flatMap((app) => app!.resources)
        : renderedResources(ctx, model, application.object),
    );
  }
  return out;
}

/**
 * Which Application deploys each Application and ApplicationSet written by hand (app of apps): the
 * parent's rendered resources include the child. Keyed "Application/<name>", "ApplicationSet/<name>".
 */
function managersOf(model: ArgoModel, deployed: Map<ArgoApplication, Resource[]>): Map<string, ManagedBy> {
  const out = new Map<string, ManagedBy>();
  for (const parent of model.applications) {
    for (const resource of deployed.get(parent) ?? []) {
      const kind = resource.object.kind;
      if (!(resource.object.apiVersion ?? '').startsWith('argoproj.io/')) continue;
      if (kind !== 'Application' && kind !== 'ApplicationSet') continue;
      const key = `${kind}/${resource.object.metadata?.name ?? ''}`;
      if (!out.has(key)) out.set(key, { name: parent.name, prune: prunes(parent.object) });
    }
  }
  return out;
}

/** The sync policy of an Application: automated (and not switched off with enabled: false), prune, selfHeal. */
export function syncPolicyOf(application: KubeObject): { automated: boolean; prune: boolean; selfHeal: boolean } {
  const policy = record(record(application.spec).syncPolicy);
  const automated = policy.automated;
  const on = automated !== null && typeof automated === 'object' && record(automated).enabled !== false;
  return {
    automated: on,
    prune: on && record(automated).prune === true,
    selfHeal: on && record(automated).selfHeal === true,
  };
}

function prunes(application: KubeObject): boolean {
  return syncPolicyOf(application).prune;
}

/**
 * An object's identity inside one app: API group (not version: a migration from v1beta1 to v1 is a
 * change of the same object), kind, namespace, name.
 */
export function refKey(ref: ResourceRef): string {
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.slice(0, ref.apiVersion.indexOf('/')) : '';
  return `${ref.kind}/${group}/${ref.namespace ?? ''}/${ref.name}`;
}

/** Applications are unique by namespace and name in Argo CD. */
export function applicationKey(application: { name: string; namespace?: string }): string {
  return `${application.namespace ?? ''}/${application.name}`;
}
