import { get } from '../../kube/values.ts';
import { replicaCount } from '../../kube/replicas.ts';
import { relatedResources } from '../../kube/workloads.ts';
import { exampleWorkload } from '../../kube/examples.ts';
import { defineRule } from '../../check/contract.ts';

export default defineRule({
  meta: {
    id: 'rolling-update-strategy',
    description: 'A Deployment with 2 or more replicas rolls out with RollingUpdate, not Recreate.',
    defaultSeverity: 'warning',
    category: 'reliability',
    scope: 'resource',
    kinds: ['Deployment'],
    reach: 'scope',
    docs: {
      why: `\`strategy.type: Recreate\` stops every pod before it starts the new ones: each rollout (every image
bump a pull request promotes) is an outage as long as the new pods take to become ready. It is meant
for a single pod that holds a ReadWriteOnce volume; a Deployment with two or more replicas (or an HPA
whose \`minReplicas\` is two or more) runs several pods at once, so it can roll.

A warning: an application that cannot run two versions side by side needs Recreate, and says why in
an ignore annotation.`,
      fix: `Remove \`strategy\` (RollingUpdate is the default) or set \`type: RollingUpdate\` with
\`maxUnavailable: 0\` and \`maxSurge: 1\`.`,
    },
    examples: {
      bad: exampleWorkload({ spec: 'replicas: 3\nstrategy: {type: Recreate}' }),
      good: exampleWorkload({
        spec: 'replicas: 3\nstrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: 1}}',
      }),
    },
  },
  check({ repo, app, resource, report }) {
    if (resource.object.kind !== 'Deployment' || get(resource.object, 'spec', 'strategy', 'type') !== 'Recreate')
      return;
    const count = replicaCount(resource, relatedResources(repo.apps, app));
    if (count.min < 2) return;
    report({
      resource,
      path: ['spec', 'strategy', 'type'],
      message: `Deployment "${resource.object.metadata?.name ?? '?'}" runs ${count.min} replicas but rolls out with Recreate: every rollout stops them all first.`,
    });
  },
});
