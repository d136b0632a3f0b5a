import { defineRule } from '../../check/contract.ts';
import { reportLoadProblems } from '../load-problems.ts';

export default defineRule({
  meta: {
    id: 'yaml-duplicate-key',
    description: 'a mapping has the same key twice',
    defaultSeverity: 'error',
    category: 'files',
    scope: 'repository',
    docs: {
      why: `Two equal keys in one mapping: some tools keep the first value, others the last, and kustomize
refuses the file.`,
      fix: `Keep one of them.`,
    },
    examples: {
      bad: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2`,
      good: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2`,
    },
  },
  check: (context) => reportLoadProblems('yaml-duplicate-key', context),
});
