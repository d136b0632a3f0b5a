import { get, isRecord, type Json } from '../../kube/values.ts';
import type { Resource } from '../../types.ts';
import {
  containersOf,
  podTemplateOf,
  relatedResources,
  resourcesOfKind,
  WORKLOAD_KINDS,
} from '../../kube/workloads.ts';
import { containerDefaults, type ContainerDefaults } from '../../kube/limit-range.ts';
import { defineRule } from '../../check/contract.ts';

type Section = 'requests' | 'limits';

/** What every container must set, in the order a finding lists them (built once, not per container). */
const WITHOUT_CPU_LIMIT: readonly (readonly [Section, string])[] = [
  ['requests', 'cpu'],
  ['requests', 'memory'],
  ['limits', 'memory'],
];
const WITH_CPU_LIMIT: readonly (readonly [Section, string])[] = [...WITHOUT_CPU_LIMIT, ['limits', 'cpu']];

const NO_DEFAULTS: ContainerDefaults = Object.freeze({ requests: Object.freeze({}), limits: Object.freeze({}) });

/** The LimitRange defaults for a workload; most scopes have no LimitRange, and then nothing is merged. */
function defaultsFor(workload: Resource, related: Resource[]): ContainerDefaults {
  return resourcesOfKind(related, 'LimitRange').length === 0 ? NO_DEFAULTS : containerDefaults(workload, related);
}

export default defineRule({
  meta: {
    id: 'resources-set',
    description: 'Every container, including init containers and sidecars, sets CPU and memory requests and limits.',
    defaultSeverity: 'error',
    category: 'resources',
    scope: 'resource',
    kinds: WORKLOAD_KINDS,
    reach: 'scope',
    docs: {
      why: `Requests are what the scheduler reserves: without them a pod is placed on a node that cannot
run it, and it is the first to be evicted under pressure (BestEffort). Limits are what the kernel
enforces: without a memory limit one leaking container can take the whole node's memory and get
its neighbours OOM-killed. Init containers and sidecars count too: the pod's effective request is the
larger of the init containers' and the sum of the app containers and sidecars.

A LimitRange with \`type: Container\` defaults in the same namespace (in any app of the same
environment) fills in missing values at admission, so those containers pass. A limit with no
request is a request too: the API server copies the limit into the missing request (noobaa's
operator sets only limits and runs Guaranteed).

Options (\`lint.rules.resources-set.options\`): \`requireCpuLimit: false\` drops the CPU limit
requirement for teams that avoid CPU throttling on purpose.`,
      fix: `Set \`resources.requests\` and \`resources.limits\` for \`cpu\` and \`memory\` on every
container; keep requests at or below limits (see \`requests-within-limits\`).`,
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
          resources:
            requests: {cpu: 100m}`,
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
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {cpu: 500m, memory: 256Mi}`,
    },
    options: {
      type: 'object',
      additionalProperties: false,
      properties: {
        requireCpuLimit: {
          type: 'boolean',
          description: 'Whether a CPU limit is required too (default true).',
        },
      },
    },
  },
  check({ repo, resource, app, options, report }) {
    const template = podTemplateOf(resource.object);
    if (!template) return;
    const wanted = options.requireCpuLimit !== false ? WITH_CPU_LIMIT : WITHOUT_CPU_LIMIT;
    // The LimitRange defaults are looked up only when a container leaves a value out.
    let defaults: ContainerDefaults | undefined;
    const isSet = (container: Json, section: Section, name: string): boolean => {
      if (get(container, 'resources', section, name) !== undefined) return true;
      defaults ??= defaultsFor(resource, relatedResources(repo.apps, app));
      return defaults[section][name] !== undefined;
    };
    for (const { container, name, path, init, sidecar } of containersOf(template)) {
      let missing: string[] | undefined;
      for (const [section, resourceName] of wanted) {
        // The API server copies a limit to a request left out (the pod is Guaranteed): the request is set.
        if (isSet(container, section, resourceName)) continue;
        if (section === 'requests' && isSet(container, 'limits', resourceName)) continue;
        (missing ??= []).push(`${section}.${resourceName}`);
      }
      if (missing === undefined) continue;
      const what = sidecar ? 'Sidecar' : init ? 'Init container' : 'Container';
      const at = isRecord(container.resources) ? [...path, 'resources'] : [...path, 'name'];
      report({ resource, path: at, message: `${what} "${name}" sets no ${missing.join(', ')}.` });
    }
    return;
  },
});
