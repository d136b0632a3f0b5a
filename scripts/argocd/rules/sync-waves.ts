import type { Finding, Resource } from '../../types.ts';
import { describeResource } from '../../types.ts';
import { isMap } from '../gotemplate/values.ts';
import { renderedResources, syncWave, type ArgoApplication } from '../model.ts';
import { groupOf } from '../project.ts';
import { applicationFinding, describeApplication, resourceFinding, type ArgoRule } from './rule.ts';

const WAVE: string[] = ['metadata', 'annotations', 'argocd.argoproj.io/sync-wave'];

function hasCreateNamespace(app: ArgoApplication): boolean {
  const spec = isMap(app.object.spec) ? app.object.spec : {};
  const policy = isMap(spec.syncPolicy) ? spec.syncPolicy : {};
  return Array.isArray(policy.syncOptions) && policy.syncOptions.includes('CreateNamespace=true');
}

function destinationNamespace(app: ArgoApplication): string | undefined {
  const spec = isMap(app.object.spec) ? app.object.spec : {};
  const destination = isMap(spec.destination) ? spec.destination : {};
  return typeof destination.namespace === 'string' && destination.namespace ? destination.namespace : undefined;
}

export const syncWaves: ArgoRule = {
  meta: {
    id: 'sync-waves',
    description: 'Sync waves create Namespaces and CRDs before what needs them, within an Application and across the Applications of an environment.',
    defaultSeverity: 'warning',
    category: 'argocd',
    docs: [
      'Argo CD applies lower `argocd.argoproj.io/sync-wave` values first. Within a wave it already puts',
      'Namespaces and CRDs first, so trouble comes from explicit waves: a Namespace or CRD in a later wave',
      'than a resource that lives in it or is an instance of it fails that resource\'s sync.',
      '',
      'Across Applications: when one Application renders the Namespace another deploys into (an',
      'environment\'s `namespaces` app and its services), the namespaces Application must sync first — a lower',
      'sync wave on the Application, in an app of apps — unless the service Application creates the namespace',
      'itself with the `CreateNamespace=true` sync option.',
      '',
      '**How to fix:** give the Namespace or CRD (or the Application that renders it) a lower sync wave, or',
      'add `CreateNamespace=true` to the dependent Application\'s syncOptions.',
    ].join('\n'),
    examples: {
      bad: "kind: Namespace\nmetadata:\n  name: shop\n  annotations: {argocd.argoproj.io/sync-wave: '2'}\n---\nkind: Deployment\nmetadata:\n  namespace: shop\n  annotations: {argocd.argoproj.io/sync-wave: '1'}",
      good: "kind: Namespace\nmetadata:\n  name: shop\n  annotations: {argocd.argoproj.io/sync-wave: '-1'}\n---\nkind: Deployment\nmetadata:\n  namespace: shop",
    },
  },
  check(model, ctx) {
    const findings: Finding[] = [];
    const rendered = new Map<ArgoApplication, Resource[]>();
    for (const app of model.applications) rendered.set(app, renderedResources(ctx, model, app.object));

    // Within one Application: dependents in an earlier wave than their Namespace or CRD.
    const seen = new Set<Resource>();
    for (const [app, resources] of rendered) {
      const namespaces = new Map<string, number>();
      const crds = new Map<string, number>();
      for (const resource of resources) {
        const object = resource.object;
        if (object.kind === 'Namespace' && object.metadata?.name) namespaces.set(object.metadata.name, syncWave(object));
        if (object.kind === 'CustomResourceDefinition' && isMap(object.spec) && isMap(object.spec.names)) {
          crds.set(`${String(object.spec.group ?? '')}/${String(object.spec.names.kind ?? '')}`, syncWave(object));
        }
      }
      for (const resource of resources) {
        if (seen.has(resource)) continue;
        const object = resource.object;
        const wave = syncWave(object);
        const namespace = object.metadata?.namespace;
        const nsWave = namespace !== undefined ? namespaces.get(namespace) : undefined;
        const crdWave = crds.get(`${groupOf(object.apiVersion)}/${object.kind ?? ''}`);
        if (object.kind !== 'Namespace' && nsWave !== undefined && nsWave > wave) {
          seen.add(resource);
          findings.push(resourceFinding(this.meta, resource, WAVE, `${describeResource(object)} syncs in wave ${wave}, before its Namespace ${namespace} (wave ${nsWave}), in ${describeApplication(app)}`, undefined, app.env));
        } else if (crdWave !== undefined && crdWave > wave) {
          seen.add(resource);
          findings.push(resourceFinding(this.meta, resource, WAVE, `${describeResource(object)} syncs in wave ${wave}, before the CustomResourceDefinition of ${object.kind} (wave ${crdWave}), in ${describeApplication(app)}`, undefined, app.env));
        }
      }
    }

    // Across Applications of one environment: the namespaces Application first.
    const namespaceOwners = new Map<string, ArgoApplication>();
    for (const [app, resources] of rendered) {
      for (const resource of resources) {
        if (resource.object.kind !== 'Namespace' || !resource.object.metadata?.name) continue;
        const key = `${app.env ?? ''}/${resource.object.metadata.name}`;
        if (!namespaceOwners.has(key)) namespaceOwners.set(key, app);
      }
    }
    for (const app of model.applications) {
      const namespace = destinationNamespace(app);
      if (!namespace || hasCreateNamespace(app)) continue;
      const owner = namespaceOwners.get(`${app.env ?? ''}/${namespace}`);
      if (!owner || owner === app) continue;
      const ownerWave = syncWave(owner.object);
      const wave = syncWave(app.object);
      if (ownerWave < wave) continue;
      findings.push(
        applicationFinding(
          this.meta,
          app,
          ['spec', 'destination', 'namespace'],
          `${describeApplication(app)} deploys into namespace ${namespace}, which ${describeApplication(owner)} creates, but not in an earlier sync wave (${ownerWave} vs ${wave})`,
          `Give ${owner.name} a lower argocd.argoproj.io/sync-wave than ${app.name}, or add CreateNamespace=true to ${app.name}'s syncOptions.`,
        ),
      );
    }
    return findings;
  },
};
