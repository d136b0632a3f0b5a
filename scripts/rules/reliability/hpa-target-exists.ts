import type { App, Resource } from '../../types.ts';
import { get, str } from '../../kube/values.ts';
import {
  definedElsewhere,
  namedOfKind,
  relatedResources,
  sameNamespace,
  scopeIsComplete,
} from '../../kube/workloads.ts';
import { defineRule } from '../../check/contract.ts';

export default defineRule({
  meta: {
    id: 'hpa-target-exists',
    description:
      "A HorizontalPodAutoscaler's scaleTargetRef names a workload deployed in the same environment and namespace.",
    defaultSeverity: 'error',
    category: 'reliability',
    scope: 'resource',
    kinds: ['HorizontalPodAutoscaler'],
    docs: {
      why: `An HPA whose target does not exist scales nothing and says so only in its status
(\`FailedGetScale\`), so the service runs at its base replica count through the next traffic peak. It
happens when a Deployment is renamed, or when a \`namePrefix\`/\`nameSuffix\` in an overlay renames the
Deployment but the HPA's reference is not updated (kustomize updates it only when both are in the
same kustomization).

A target that another folder of the repository deploys (folders applied one after the other) is
information: the repository does not say they are applied together.`,
      fix: `Make \`scaleTargetRef\` name the workload's kind and rendered name.`,
    },
    examples: {
      bad: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web-v1}
  minReplicas: 2
  maxReplicas: 10`,
      good: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10`,
    },
  },
  check({ repo, resource, app, report }) {
    // Absence proves nothing where part of the scope could not be rendered.
    if (!scopeIsComplete(repo.apps, app)) return;
    if (resource.object.kind !== 'HorizontalPodAutoscaler') return;
    const kind = str(get(resource.object, 'spec', 'scaleTargetRef', 'kind'));
    const name = str(get(resource.object, 'spec', 'scaleTargetRef', 'name'));
    if (!kind || !name) return;
    const isTarget = (r: Resource) =>
      r.object.kind === kind && r.object.metadata?.name === name && sameNamespace(r.object, resource.object);
    const related = relatedResources(repo.apps, app);
    // The scope's objects of that kind and name (indexed once per scope), not a walk of the scope per HPA.
    if (namedOfKind(related, kind, name).some(isTarget)) return;
    const hpa = `HorizontalPodAutoscaler "${resource.object.metadata?.name ?? '?'}" targets ${kind} "${name}"`;
    const wrong = whatIsWrong(repo.apps, related, resource, kind, name);
    // A target another folder deploys is information, unless a namesake workload beside the HPA has
    // no autoscaler: then the HPA most likely names the wrong workload, and that is an error.
    const elsewhere = wrong.namesake ? undefined : definedElsewhere(repo.apps, app, isTarget);
    report({
      resource,
      path: ['spec', 'scaleTargetRef', 'name'],
      ...(elsewhere
        ? {
            severity: 'info' as const,
            message: `${hpa}, which only ${elsewhere.path ?? elsewhere.id} deploys (applied apart from this one); check the HPA scales the workload you mean.`,
          }
        : { message: `${hpa}, ${wrong.text}` }),
    });
    return;
  },
});

const place = (resource: Resource): string => {
  const at = resource.locate([]);
  return `${at.file}${at.line ? `:${at.line}` : ''}`;
};

/**
 * What is actually wrong with a target that is not deployed beside the HPA, naming both places: the
 * HPA points at the wrong workload (one of its kind here carries the HPA's name and no autoscaler), or
 * the workload is deployed, but by another unit (or in another namespace), or nowhere.
 */
function whatIsWrong(
  apps: App[],
  related: Resource[],
  hpa: Resource,
  kind: string,
  name: string,
): { text: string; namesake: boolean } {
  const hpaName = hpa.object.metadata?.name;
  const scaled = new Set(
    related
      .filter((r) => r.object.kind === 'HorizontalPodAutoscaler' && sameNamespace(r.object, hpa.object))
      .map(
        (r) =>
          `${str(get(r.object, 'spec', 'scaleTargetRef', 'kind'))}/${str(get(r.object, 'spec', 'scaleTargetRef', 'name'))}`,
      ),
  );
  const namesake = related.find(
    (r) =>
      r.object.kind === kind &&
      r.object.metadata?.name === hpaName &&
      sameNamespace(r.object, hpa.object) &&
      !scaled.has(`${kind}/${hpaName}`),
  );
  // The nearest one (the longest folder prefix shared with the HPA's file) is the one meant.
  const shared = (r: Resource) => {
    const a = r.origin.file.split('/');
    const b = hpa.origin.file.split('/');
    let n = 0;
    while (n < a.length && n < b.length && a[n] === b[n]) n++;
    return n;
  };
  const elsewhere = apps
    .flatMap((each) => each.resources)
    .filter((r) => r.object.kind === kind && r.object.metadata?.name === name)
    .sort((a, b) => shared(b) - shared(a))[0];
  const where = !elsewhere
    ? ''
    : related.includes(elsewhere)
      ? ` (there is one at ${place(elsewhere)}, in namespace "${elsewhere.object.metadata?.namespace ?? 'default'}")`
      : ` (there is one at ${place(elsewhere)}, which another unit deploys)`;
  if (namesake)
    return {
      text: `which is not deployed here${where}, while ${kind} "${hpaName}" here (${place(namesake)}) has no autoscaler: the wrong target?`,
      namesake: true,
    };
  return { text: `which is not deployed here${where}.`, namesake: false };
}
