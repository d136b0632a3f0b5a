// What Argo CD applies for one Application: the resources its sources render, with what Argo CD adds
// on the way to the cluster: the destination namespace on namespaced resources that name none
// (gitops-engine's namespace modifier), and the tracking annotation and/or label of the tracking
// method (util/argo/resource_tracking.go SetAppInstance; annotation by default since 3.0).
import type { KubeObject, RepoContext, Resource } from '../types.ts';
import { ARGO_FACTS } from './facts.ts';
import { renderedResources, resolvedDestination, type ArgoApplication, type ArgoModel } from './model.ts';
import { clusterScopedCRDs, groupOf, isClusterScoped } from './project.ts';

export interface AppliedResource {
  object: KubeObject;
  /** The rendered resource it comes from (its origin and locate). */
  resource: Resource;
  /** Identity on the cluster: server, group/kind, namespace/name. */
  key: string;
}

const INSTANCE_LABEL = 'app.kubernetes.io/instance';

/** argo.AppInstanceName: the Application's name, prefixed by its namespace outside the control plane's. */
export function appInstanceName(app: ArgoApplication, controlPlaneNamespace = 'argocd'): string {
  const namespace = app.object.metadata?.namespace;
  return !namespace || namespace === controlPlaneNamespace ? app.name : `${namespace}_${app.name}`;
}

export function appliedResources(
  ctx: RepoContext,
  model: ArgoModel,
  app: ArgoApplication,
  crds: Set<string> = clusterScopedCRDs(ctx),
): AppliedResource[] {
  const destination = resolvedDestination(model, app.object);
  const method = model.settings.trackingMethod;
  const instance = appInstanceName(app);
  return renderedResources(ctx, model, app.object).map((resource) => {
    const object = structuredClone(resource.object);
    const group = groupOf(object.apiVersion);
    const kind = object.kind ?? '';
    const namespaced = !isClusterScoped({ group, kind }, crds);
    const metadata = (object.metadata ??= {});
    if (namespaced && !metadata.namespace && destination.namespace) metadata.namespace = destination.namespace;
    const namespace = metadata.namespace ?? destination.namespace;
    if (method !== 'label') {
      metadata.annotations = {
        ...metadata.annotations,
        [ARGO_FACTS.resourceTracking.annotation]: `${instance}:${group}/${kind}:${namespace}/${metadata.name ?? ''}`,
      };
    }
    if (method === 'label' || method === 'annotation+label')
      metadata.labels = { ...metadata.labels, [INSTANCE_LABEL]: instance };
    const key = `${destination.server ?? destination.name ?? ''} ${group}/${kind} ${namespaced ? (metadata.namespace ?? '') : ''}/${metadata.name ?? ''}`;
    return { object, resource, key };
  });
}
