import type { JsonPath } from '../../types.ts';
import { get, isRecord, stringMap, str } from '../../kube/values.ts';
import { findNamed, isRollout, rolloutPodLabels, rolloutStrategy } from '../../kube/rollouts.ts';
import { relatedResources, scopeIsComplete } from '../../kube/workloads.ts';
import { defineRule } from '../../check/contract.ts';

/** The label the controller adds to each Service's selector itself (DefaultRolloutUniqueLabelKey). */
const HASH_LABEL = 'rollouts-pod-template-hash';

/** Routers for which the controller requires both canaryService and stableService (requireCanaryStableServices). */
function needsBothServices(canary: Record<string, unknown>): boolean {
  const routing = canary.trafficRouting;
  if (!isRecord(routing)) return false;
  if (isRecord(routing.istio)) return !isRecord(routing.istio.destinationRule) && canary.pingPong === undefined;
  if (isRecord(routing.alb)) return canary.pingPong === undefined;
  return ['smi', 'apisix', 'ambassador', 'nginx', 'appMesh', 'traefik'].some((key) => isRecord(routing[key]));
}

export default defineRule({
  meta: {
    id: 'rollout-services-exist',
    description:
      "The Services a Rollout names (canary and stable, active and preview) exist, are two different ones, and select the Rollout's pods.",
    defaultSeverity: 'error',
    category: 'delivery',
    scope: 'resource',
    kinds: ['Rollout'],
    reach: 'scope',
    docs: {
      why: `Argo Rollouts steers traffic by rewriting the selectors of the Services a Rollout names: the stable
and canary Services of a canary, the active and preview Services of a blue-green. The controller
refuses a Rollout (\`InvalidSpec\`, nothing rolls out) when a named Service does not exist, when both
names are the same Service, or when a Service's selector has a label the pods do not carry
("Service has unmatch label"). With traffic routing through NGINX, SMI, ALB or Istio without a
DestinationRule, both canaryService and stableService are required. The pods' labels are the Rollout's
template's, or those of the Deployment its \`workloadRef\` borrows.`,
      fix: `Deploy the Services in the Rollout's namespace with selectors the pod template satisfies (the
controller adds \`rollouts-pod-template-hash\` itself), and give canary and stable (or active and
preview) their own Service.`,
    },
    examples: {
      bad: `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - {name: web, image: ghcr.io/acme/web:1.4.2}
  strategy:
    blueGreen:
      activeService: web
      previewService: web-preview
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports:
    - {name: http, port: 80}`,
      good: `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - {name: web, image: ghcr.io/acme/web:1.4.2}
  strategy:
    blueGreen:
      activeService: web
      previewService: web-preview
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports:
    - {name: http, port: 80}
---
apiVersion: v1
kind: Service
metadata: {name: web-preview, namespace: shop}
spec:
  selector: {app: web}
  ports:
    - {name: http, port: 80}`,
    },
  },
  check({ repo, app, resource, report }) {
    if (!isRollout(resource.object)) return;
    const strategy = rolloutStrategy(resource.object);
    if (!strategy) return;
    const related = relatedResources(repo.apps, app);
    const name = resource.object.metadata?.name ?? '?';
    const [first, second] =
      strategy.kind === 'canary' ? ['stableService', 'canaryService'] : ['activeService', 'previewService'];
    const problem = (path: JsonPath, message: string) =>
      report({ resource, path: [...strategy.path, ...path], message: `Rollout "${name}": ${message}` });

    if (strategy.kind === 'canary' && needsBothServices(strategy.spec)) {
      for (const key of [first, second])
        if (!str(strategy.spec[key]))
          problem(['trafficRouting'], `traffic routing needs ${key}; the controller rejects the Rollout without it.`);
    }
    const names = [first, second].map((key) => str(strategy.spec[key]));
    if (names[0] && names[0] === names[1])
      problem([second], `${first} and ${second} are both "${names[0]}"; they must be two Services.`);
    const labels = rolloutPodLabels(resource, related);
    [first, second].forEach((key, index) => {
      const serviceName = names[index];
      if (!serviceName) return;
      const service = findNamed(related, ['Service'], serviceName, resource.object);
      if (!service) {
        // Absence proves nothing where part of the scope could not be rendered.
        if (scopeIsComplete(repo.apps, app))
          problem(
            [key],
            `${key} "${serviceName}" is not deployed in its namespace; the controller rejects the Rollout.`,
          );
        return;
      }
      if (!labels) return;
      const selector = stringMap(get(service.object, 'spec', 'selector'));
      const unmatched = Object.entries(selector).filter(
        ([label, value]) => label !== HASH_LABEL && labels[label] !== value,
      );
      if (unmatched.length > 0)
        problem(
          [key],
          `Service "${serviceName}" selects ${unmatched.map(([label, value]) => `${label}=${value}`).join(', ')}, which the Rollout's pods do not carry; the controller rejects the Rollout.`,
        );
    });
    return;
  },
});
