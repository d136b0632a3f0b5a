import { defineRule, type Problem } from '../../check/contract.ts';
import type { Resource } from '../../types.ts';
import { apiVersionProblem, expandListResource } from '../check.ts';

export default defineRule({
  meta: {
    id: 'api-removed',
    description: 'The apiVersion of a resource is no longer served by the target Kubernetes version.',
    defaultSeverity: 'error',
    category: 'api',
    scope: 'resource',
    reach: 'scope',
    docs: {
      why: `Kubernetes removes beta APIs a few releases after their replacement is stable. A resource with a removed
apiVersion fails to apply, so Argo CD cannot sync it. The target version is \`kubernetesVersion\` in gitops.yaml.`,
      fix: `Move the resource to the replacement apiVersion the finding names (its fields may differ: read the
Kubernetes deprecation guide for the kind).`,
    },
    examples: {
      bad: `apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata: {name: web, namespace: shop}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: web}}`,
      good: `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: shop}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: web}}`,
    },
  },
  check({ repo, resource, report }) {
    // Most objects are not a List: checked as they are, with no list of one made for them.
    if (resource.object.kind !== 'List') return reportIfRemoved(resource, repo.kubernetesVersion, report);
    for (const item of expandListResource(resource)) reportIfRemoved(item, repo.kubernetesVersion, report);
  },
});

function reportIfRemoved(resource: Resource, kubernetesVersion: string, report: (problem: Problem) => void): void {
  const found = apiVersionProblem(resource, kubernetesVersion);
  if (found?.status === 'removed') report(found.problem);
}
