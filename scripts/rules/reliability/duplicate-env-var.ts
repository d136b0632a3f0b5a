import { array, get, str } from '../../kube/values.ts';
import { containersOf, podTemplateOf, WORKLOAD_KINDS } from '../../kube/workloads.ts';
import { defineRule } from '../../check/contract.ts';

export default defineRule({
  meta: {
    id: 'duplicate-env-var',
    description: 'A container does not define the same environment variable twice.',
    defaultSeverity: 'warning',
    category: 'reliability',
    scope: 'resource',
    kinds: WORKLOAD_KINDS,
    reach: 'scope',
    docs: {
      why: `When \`env\` lists a name twice, the last one silently wins, and strategic-merge patches and
\`kubectl apply\` treat the list as keyed by name, so a later patch may update the "wrong" one. The
reader of the base sees one value, the pod runs with another.`,
      fix: `Keep one entry per name; change the value in the environment's overlay patch.`,
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
          env:
            - {name: LOG_LEVEL, value: info}
            - {name: LOG_LEVEL, value: debug}`,
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
          env:
            - {name: LOG_LEVEL, value: debug}`,
    },
  },
  check({ resource, report }) {
    const template = podTemplateOf(resource.object);
    if (!template) return;
    for (const { container, name, path } of containersOf(template)) {
      const env = array(container.env);
      if (env.length < 2) continue; // one variable cannot repeat: no Set for most containers
      const seen = new Set<string>();
      env.forEach((variable, index) => {
        const variableName = str(get(variable, 'name'));
        if (variableName === undefined) return;
        if (seen.has(variableName)) {
          report({
            resource,
            path: [...path, 'env', index, 'name'],
            message: `Container "${name}" defines env var "${variableName}" more than once; the last one wins.`,
          });
        }
        seen.add(variableName);
      });
    }
    return;
  },
});
