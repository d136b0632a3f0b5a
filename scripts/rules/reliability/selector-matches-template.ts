import { get, isRecord } from '../../kube/values.ts';
import { labelSelectorMatches, podTemplateOf } from '../../kube/workloads.ts';
import { defineRule } from '../../check/contract.ts';

const KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Rollout'];

export default defineRule({
  meta: {
    id: 'selector-matches-template',
    description: "A workload's spec.selector matches its own pod template's labels.",
    defaultSeverity: 'error',
    category: 'reliability',
    scope: 'resource',
    kinds: KINDS,
    reach: 'scope',
    docs: {
      why: `The API server rejects a Deployment, StatefulSet, DaemonSet or ReplicaSet whose selector does not
match its template's labels ("selector does not match template labels"), so the sync fails. It
usually happens when an overlay patches the template's labels, or when \`labels\` with
\`includeSelectors: false\` (or a replaced \`commonLabels\`) changes one side only. Selectors are
immutable after creation, so fix it before the first sync.`,
      fix: `Make every \`matchLabels\` pair (and \`matchExpressions\`) true of \`spec.template.metadata.labels\`.`,
    },
    examples: {
      bad: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web-v2}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2`,
      good: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, version: v2}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2`,
    },
  },
  check({ resource, report }) {
    if (!KINDS.includes(resource.object.kind ?? '')) return;
    const template = podTemplateOf(resource.object);
    const selector = get(resource.object, 'spec', 'selector');
    if (!template || !isRecord(selector)) return;
    if (labelSelectorMatches(selector, template.labels)) return;
    report({
      resource,
      path: ['spec', 'selector'],
      message: `${resource.object.kind} "${resource.object.metadata?.name ?? '?'}": spec.selector does not match the pod template's labels; the API server rejects it.`,
    });
    return;
  },
});
