import { isRollout, refersTo, rolloutsBorrowing, targetRefOf } from '../../kube/rollouts.ts';
import { namedOfKind, relatedResources } from '../../kube/workloads.ts';
import { defineRule } from '../../check/contract.ts';

/** What scales pods: HPAs, KEDA ScaledObjects (which make an HPA) and VPAs. */
const SCALERS = ['HorizontalPodAutoscaler', 'ScaledObject', 'VerticalPodAutoscaler'];

export default defineRule({
  meta: {
    id: 'scaler-targets-rollout',
    description:
      'An HPA, KEDA ScaledObject or VPA scales the Rollout that runs the pods, not a Deployment whose template a Rollout borrows, and names the Rollout with the argoproj.io API group.',
    defaultSeverity: 'error',
    category: 'delivery',
    scope: 'resource',
    kinds: SCALERS,
    reach: 'scope',
    docs: {
      why: `When a Rollout takes over a Deployment's pods through \`workloadRef\`, the Deployment is scaled to zero
and the Rollout's ReplicaSets run the service. An autoscaler still pointing at the Deployment scales
nothing useful: the HPA reports "the replica count of the target is zero" and stops, so the service
runs at the Rollout's fixed count through its next peak; or, if the Deployment is not at zero, it
brings the old pods back beside the Rollout's. The autoscaler must target
\`{apiVersion: argoproj.io/v1alpha1, kind: Rollout}\`: with another API group the HPA cannot find the
Rollout's scale subresource.`,
      fix: `Point \`scaleTargetRef\` (\`targetRef\` for a VPA) at the Rollout: apiVersion argoproj.io/v1alpha1,
kind Rollout, its name.`,
    },
    examples: {
      bad: `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web, namespace: shop}
spec:
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
        - {name: web, image: ghcr.io/acme/web:1.4.2}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 6`,
      good: `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web, namespace: shop}
spec:
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
        - {name: web, image: ghcr.io/acme/web:1.4.2}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: web}
  minReplicas: 2
  maxReplicas: 6`,
    },
  },
  check({ repo, app, resource, report }) {
    if (!SCALERS.includes(resource.object.kind ?? '')) return;
    const ref = targetRefOf(resource.object);
    if (!ref) return;
    const what = `${resource.object.kind} "${resource.object.metadata?.name ?? '?'}"`;
    const related = relatedResources(repo.apps, app);
    if (ref.kind === 'Rollout') {
      if (ref.apiVersion && !ref.apiVersion.startsWith('argoproj.io/')) {
        const rollout = namedOfKind(related, 'Rollout', ref.name).find(
          (r) => isRollout(r.object) && refersTo(ref, resource.object, r.object),
        );
        if (rollout)
          report({
            resource,
            path: [...ref.path.slice(0, -1), 'apiVersion'],
            message: `${what} names Rollout "${ref.name}" with apiVersion ${ref.apiVersion}; the Rollout is argoproj.io/v1alpha1, so nothing is scaled.`,
          });
      }
      return;
    }
    // The scope's objects of that kind and name (indexed once per scope), not a walk of them per scaler.
    const target = namedOfKind(related, ref.kind, ref.name).find((r) => refersTo(ref, resource.object, r.object));
    if (!target) return;
    const [rollout] = rolloutsBorrowing(target, related);
    if (!rollout) return;
    report({
      resource,
      path: ref.path,
      message: `${what} scales ${ref.kind} "${ref.name}", whose pods Rollout "${rollout.object.metadata?.name ?? '?'}" runs now; point it at the Rollout.`,
      hint: 'scaleTargetRef: {apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: <rollout>}',
    });
    return;
  },
});
