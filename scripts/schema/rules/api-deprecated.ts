import { defineRule, type Problem } from '../../check/contract.ts';
import type { Resource } from '../../types.ts';
import { apiVersionProblem, expandListResource } from '../check.ts';

export default defineRule({
  meta: {
    id: 'api-deprecated',
    description: 'The apiVersion of a resource is deprecated in the target Kubernetes version and will be removed.',
    defaultSeverity: 'warning',
    category: 'api',
    scope: 'resource',
    reach: 'scope',
    docs: {
      why: `A deprecated apiVersion still works, but a later Kubernetes release removes it, and then the resource
no longer applies.`,
      fix: `Move to the replacement the finding names before upgrading the cluster.`,
    },
    examples: {
      bad: `apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10`,
      good: `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10`,
    },
  },
  check({ repo, resource, report }) {
    // Most objects are not a List: checked as they are, with no list of one made for them.
    if (resource.object.kind !== 'List') return reportIfDeprecated(resource, repo.kubernetesVersion, report);
    for (const item of expandListResource(resource)) reportIfDeprecated(item, repo.kubernetesVersion, report);
  },
});

function reportIfDeprecated(resource: Resource, kubernetesVersion: string, report: (problem: Problem) => void): void {
  const found = apiVersionProblem(resource, kubernetesVersion);
  if (found?.status === 'deprecated') report(found.problem);
}
