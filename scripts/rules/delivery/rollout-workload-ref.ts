import { get, isRecord } from '../../kube/values.ts';
import { borrowedStillRuns, borrowedWorkload, isRollout, workloadRefOf } from '../../kube/rollouts.ts';
import { labelSelectorMatches, podTemplateOf, relatedResources, scopeIsComplete } from '../../kube/workloads.ts';
import { defineRule } from '../../check/contract.ts';

/** The kinds a workloadRef may name (argo-rollouts rollout/templateref.go infoByGroupKind). */
const REFERABLE = ['Deployment', 'ReplicaSet', 'PodTemplate'];

export default defineRule({
  meta: {
    id: 'rollout-workload-ref',
    description:
      "A Rollout's workloadRef names a Deployment (or ReplicaSet, PodTemplate) deployed beside it, scaled to zero or scaled down by the controller, whose pods its selector matches.",
    defaultSeverity: 'error',
    category: 'delivery',
    scope: 'resource',
    kinds: ['Rollout'],
    reach: 'scope',
    docs: {
      why: `A Rollout with \`workloadRef\` borrows the pod template of an existing Deployment, which is how a
service moves to Argo Rollouts without rewriting its Deployment (argo-rollouts docs/migrating.md).
It goes wrong in three ways: the Deployment is not deployed (the Rollout has no template and runs
nothing); the Deployment keeps its own pods (neither \`replicas: 0\` on it nor \`scaleDown: onsuccess\` or
\`progressively\` on the reference), so every pod runs twice, the old version beside the canary, and
Services spread traffic over both; or the Rollout's own \`selector\` does not match the borrowed
template's labels, which the controller refuses. A Rollout may not carry a template of its own as
well, and only Deployments, ReplicaSets and PodTemplates can be referenced.`,
      fix: `Point \`workloadRef\` at the Deployment's kind and name, and set \`scaleDown: progressively\` (the
controller scales the Deployment down as the Rollout comes up) or \`replicas: 0\` on the Deployment.`,
    },
    examples: {
      bad: `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  strategy:
    canary:
      steps:
        - setWeight: 20
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - {name: web, image: ghcr.io/acme/web:1.4.2}`,
      good: `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: web, scaleDown: progressively}
  strategy:
    canary:
      steps:
        - setWeight: 20
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - {name: web, image: ghcr.io/acme/web:1.4.2}`,
    },
  },
  check({ repo, app, resource, report }) {
    if (!isRollout(resource.object)) return;
    const ref = workloadRefOf(resource.object);
    if (!ref?.kind || !ref.name) return;
    const name = resource.object.metadata?.name ?? '?';
    if (isRecord(get(resource.object, 'spec', 'template', 'spec'))) {
      report({
        resource,
        path: ['spec', 'workloadRef'],
        message: `Rollout "${name}" has both a template and a workloadRef; the controller accepts one of them.`,
      });
      return;
    }
    if (!REFERABLE.includes(ref.kind)) {
      report({
        resource,
        path: ['spec', 'workloadRef', 'kind'],
        message: `Rollout "${name}": workloadRef names a ${ref.kind}; only a Deployment, ReplicaSet or PodTemplate can lend its template.`,
      });
      return;
    }
    const related = relatedResources(repo.apps, app);
    const workload = borrowedWorkload(resource, related);
    if (!workload) {
      // Absence proves nothing where part of the scope could not be rendered.
      if (!scopeIsComplete(repo.apps, app)) return;
      report({
        resource,
        path: ['spec', 'workloadRef', 'name'],
        message: `Rollout "${name}" borrows the template of ${ref.kind} "${ref.name}", which is not deployed in its namespace; the Rollout runs nothing.`,
      });
      return;
    }
    if (ref.kind !== 'PodTemplate' && borrowedStillRuns(workload, resource)) {
      const replicas = get(workload.object, 'spec', 'replicas');
      report({
        resource: workload,
        path: ['spec', 'replicas'],
        message: `${ref.kind} "${ref.name}" keeps ${replicas === undefined ? 'its default 1 replica' : `${String(replicas)} replicas`} beside Rollout "${name}", which borrows its template; both sets of pods serve.`,
        hint: 'Set scaleDown: progressively (or onsuccess) on the workloadRef, or replicas: 0 on the Deployment.',
      });
    }
    const selector = get(resource.object, 'spec', 'selector');
    const template = podTemplateOf(workload.object);
    if (isRecord(selector) && template && !labelSelectorMatches(selector, template.labels))
      report({
        resource,
        path: ['spec', 'selector'],
        message: `Rollout "${name}": spec.selector does not match the labels of ${ref.kind} "${ref.name}"'s template; the controller rejects it.`,
      });
    return;
  },
});
