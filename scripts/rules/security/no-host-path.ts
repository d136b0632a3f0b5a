import { array, get, isRecord, str } from '../../kube/values.ts';
import { podTemplateOf, WORKLOAD_KINDS } from '../../kube/workloads.ts';
import { defineRule } from '../../check/contract.ts';

export default defineRule({
  meta: {
    id: 'no-host-path',
    description: 'Pods do not mount hostPath volumes.',
    defaultSeverity: 'error',
    category: 'security',
    scope: 'resource',
    kinds: WORKLOAD_KINDS,
    reach: 'scope',
    docs: {
      why: `A \`hostPath\` volume mounts a directory of the node into the pod. Mounting \`/\`, \`/var/run/docker.sock\`,
\`/var/lib/kubelet\` or \`/etc\` is root on the node; even a harmless-looking path ties the pod to one
node's disk, whose data vanishes when the pod is rescheduled elsewhere.`,
      fix: `Use an \`emptyDir\` for scratch space, a PersistentVolumeClaim for data, a ConfigMap or
Secret for files. Node agents that truly need host paths belong to the platform's own charts; exempt
them with the ignore annotation and a reason.`,
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
      volumes: [{name: data, hostPath: {path: /var/lib/app}}]
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
          volumeMounts: [{name: data, mountPath: /data}]`,
      good: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      volumes: [{name: data, persistentVolumeClaim: {claimName: app-data}}]
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
          volumeMounts: [{name: data, mountPath: /data}]`,
    },
  },
  check({ resource, report }) {
    const template = podTemplateOf(resource.object);
    if (!template) return;
    array(template.spec.volumes).forEach((volume, index) => {
      if (!isRecord(get(volume, 'hostPath'))) return;
      report({
        resource,
        path: [...template.specPath, 'volumes', index, 'hostPath'],
        message: `Volume "${str(get(volume, 'name')) ?? index}" mounts the node's path ${str(get(volume, 'hostPath', 'path')) ?? '(unset)'} (hostPath).`,
      });
    });
    return;
  },
});
