import { int, record } from '../../kube/values.ts';
import { relatedResources } from '../../kube/workloads.ts';
import { replicaCount } from '../../kube/replicas.ts';
import { rolloutsBorrowing } from '../../kube/rollouts.ts';
import { defineRule } from '../../check/contract.ts';

/**
 * Stateless kinds only: a StatefulSet's replica count is its application's clustering (a single
 * PostgreSQL becomes two unrelated databases at replicas: 2), so raising it is not the fix.
 */
const STATELESS_KINDS = ['Deployment', 'ReplicaSet', 'Rollout'];

/** By default production-like environments need two pods, so one node drain or crash is not an outage. */
const DEFAULT_MINIMUM: Record<string, number> = { prod: 2, production: 2, prd: 2 };

export default defineRule({
  meta: {
    id: 'replicas-minimum',
    description: 'Replicated workloads run at least the minimum number of pods set for their environment.',
    defaultSeverity: 'warning',
    category: 'reliability',
    scope: 'resource',
    kinds: STATELESS_KINDS,
    reach: 'scope',
    docs: {
      why: `A single pod is a single point of failure: a node drain, an eviction or a crash takes the service
down until the replacement is ready, and every rollout of a one-replica Deployment with \`maxSurge: 0\`
is an outage. Environments serving users need at least two pods.

The minimum is per environment. By default \`prod\`, \`production\` and \`prd\` need 2 and other
environments have no minimum; set your own with
\`lint.rules.replicas-minimum.options.minimum: {prod: 3, staging: 2}\`, or \`default: 2\` inside it for every
environment. When an HPA scales the workload, its \`minReplicas\` counts.

Deployments, ReplicaSets and Rollouts are checked; StatefulSets are not: their replica count is the
application's own clustering (two replicas of a single-instance PostgreSQL are two unrelated
databases), so raising it is not the fix. Make such a database highly available with its operator
or a managed service instead.`,
      fix: `Raise \`replicas\` in the environment's overlay (or the HPA's \`minReplicas\`).`,
    },
    examples: {
      bad: `# file: overlays/prod/web/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2`,
      good: `# file: overlays/prod/web/deployment.yaml
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
        - name: web
          image: ghcr.io/acme/web:1.4.2`,
    },
    options: {
      type: 'object',
      additionalProperties: false,
      properties: {
        minimum: {
          type: 'object',
          additionalProperties: { type: 'integer', minimum: 0 },
          description: 'The minimum replicas per environment name; `default` for every environment not named.',
        },
      },
    },
  },
  check({ repo, resource, app, options, report }) {
    if (!STATELESS_KINDS.includes(resource.object.kind ?? '') || !resource.origin.env) return;
    const configured = record(options.minimum);
    const minimum = Object.keys(configured).length
      ? (int(configured[resource.origin.env]) ?? int(configured.default))
      : DEFAULT_MINIMUM[resource.origin.env];
    if (minimum === undefined) return;
    const related = relatedResources(repo.apps, app);
    // A Deployment lending its template to a Rollout (workloadRef) is checked as the Rollout.
    if (rolloutsBorrowing(resource, related).length > 0) return;
    const count = replicaCount(resource, related);
    if (count.min >= minimum) return;
    const what =
      count.source === resource
        ? `${count.min} replica${count.min === 1 ? '' : 's'}`
        : count.source.object.kind === 'ScaledObject'
          ? `a ScaledObject with minReplicaCount ${count.min}`
          : `an HPA with minReplicas ${count.min}`;
    report({
      resource: count.source,
      path: count.path,
      message: `${resource.object.kind} "${resource.object.metadata?.name ?? '?'}" runs ${what} in ${resource.origin.env}; the minimum there is ${minimum}.`,
    });
    return;
  },
});
