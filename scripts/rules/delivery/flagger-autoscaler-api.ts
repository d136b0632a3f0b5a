import { get, str } from '../../kube/values.ts';
import { isFlaggerCanary } from '../../kube/rollouts.ts';
import { apiVersionStatus } from '../../schema/apiVersions.ts';
import { defineRule } from '../../check/contract.ts';

export default defineRule({
  meta: {
    id: 'flagger-autoscaler-api',
    description:
      "A Flagger Canary's autoscalerRef names its HorizontalPodAutoscaler with an API version the cluster still serves.",
    defaultSeverity: 'warning',
    category: 'delivery',
    scope: 'resource',
    kinds: ['Canary'],
    reach: 'scope',
    docs: {
      why: `The schema and removed-API checks read an object's own \`apiVersion\`, not the ones nested in
references, so a Canary copied from Flagger's older documentation keeps
\`autoscalerRef: {apiVersion: autoscaling/v2beta2}\`, which Kubernetes stopped serving in 1.26 (and
v2beta1 in 1.25). Flagger itself reads the HPA as \`autoscaling/v2\` whatever the reference says (it
dropped its v2beta2 fallback in v1.44), so the release still works: the reference is a stale copy that
misleads the next person who writes the HPA after it. A warning, then, at the repository's Kubernetes
version (\`--kubernetes-version\`).`,
      fix: 'Write `autoscalerRef: {apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, name: ...}`.',
    },
    examples: {
      bad: `apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: web, namespace: shop}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  autoscalerRef: {apiVersion: autoscaling/v2beta2, kind: HorizontalPodAutoscaler, name: web}
  service: {port: 80}`,
      good: `apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: web, namespace: shop}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  autoscalerRef: {apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, name: web}
  service: {port: 80}`,
    },
  },
  check({ repo, resource, report }) {
    if (!isFlaggerCanary(resource.object)) return;
    const apiVersion = str(get(resource.object, 'spec', 'autoscalerRef', 'apiVersion'));
    const kind = str(get(resource.object, 'spec', 'autoscalerRef', 'kind'));
    if (!apiVersion || !kind) return;
    const status = apiVersionStatus(apiVersion, kind, repo.kubernetesVersion);
    if (status?.status !== 'removed') return;
    report({
      resource,
      path: ['spec', 'autoscalerRef', 'apiVersion'],
      message: `Canary "${resource.object.metadata?.name ?? '?'}" names its ${kind} as ${apiVersion}, which Kubernetes ${repo.kubernetesVersion} no longer serves (removed in ${status.fact.removedIn ?? '?'}).`,
      hint: `Use ${status.fact.replacement}.`,
    });
    return;
  },
});
