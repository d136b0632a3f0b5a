import { array, get } from '../../kube/values.ts';
import { replicaCount } from '../../kube/replicas.ts';
import { podTemplateOf, relatedResources, REPLICATED_KINDS } from '../../kube/workloads.ts';
import { exampleWorkload } from '../../kube/examples.ts';
import { defineRule } from '../../check/contract.ts';

const SPREAD = `topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: kubernetes.io/hostname
    whenUnsatisfiable: ScheduleAnyway
    labelSelector: {matchLabels: {app: web}}`;

export default defineRule({
  meta: {
    id: 'replicas-spread',
    description: 'A workload with 2 or more replicas spreads them over nodes (pod anti-affinity or topology spread).',
    defaultSeverity: 'warning',
    category: 'reliability',
    scope: 'resource',
    kinds: REPLICATED_KINDS,
    reach: 'scope',
    docs: {
      why: `Replicas exist to survive the loss of one node. Without \`podAntiAffinity\` or
\`topologySpreadConstraints\` the scheduler may put every replica on the same node (its default
spreading is only a soft preference among many), and one node failure or drain takes the whole service
down despite its replica count. When an HPA scales the workload, its \`minReplicas\` counts.

A warning: the default spreading often works out, and small clusters may not have room to spread.
StatefulSets are included (their replicas are the members of one clustered system: losing all at once
loses quorum); DaemonSets run one pod per node anyway.`,
      fix: `Add a \`topologySpreadConstraints\` entry over \`kubernetes.io/hostname\` (and
\`topology.kubernetes.io/zone\`) with the pods' labels, or a preferred \`podAntiAffinity\` on them.`,
    },
    examples: {
      bad: exampleWorkload({ spec: 'replicas: 3' }),
      good: exampleWorkload({ spec: 'replicas: 3', pod: SPREAD }),
    },
  },
  check({ repo, app, resource, report }) {
    if (!REPLICATED_KINDS.includes(resource.object.kind ?? '')) return;
    const template = podTemplateOf(resource.object);
    if (!template) return;
    const count = replicaCount(resource, relatedResources(repo.apps, app));
    if (count.min < 2) return;
    const spec = template.spec;
    if (array(spec.topologySpreadConstraints).length > 0) return;
    const antiAffinity = get(spec, 'affinity', 'podAntiAffinity');
    // Any required or preferred term (no joined copy of the two lists to count).
    if (
      array(get(antiAffinity, 'requiredDuringSchedulingIgnoredDuringExecution')).length > 0 ||
      array(get(antiAffinity, 'preferredDuringSchedulingIgnoredDuringExecution')).length > 0
    )
      return;
    report({
      resource,
      path: template.specPath,
      message: `${resource.object.kind} "${resource.object.metadata?.name ?? '?'}" runs ${count.min} replicas with no pod anti-affinity or topology spread: they may all land on one node.`,
    });
  },
});
