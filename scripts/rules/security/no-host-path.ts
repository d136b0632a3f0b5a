import type { Finding } from '../../types.ts';
import type { ResourceRule } from '../rule.ts';
import { findingAt } from '../rule.ts';
import { array, get, isRecord, str } from '../values.ts';
import { podTemplateOf } from '../workloads.ts';

export const noHostPath: ResourceRule = {
  scope: 'resource',
  meta: {
    id: 'no-host-path',
    description: 'Pods do not mount hostPath volumes.',
    defaultSeverity: 'error',
    category: 'security',
    docs: `A \`hostPath\` volume mounts a directory of the node into the pod. Mounting \`/\`, \`/var/run/docker.sock\`,
\`/var/lib/kubelet\` or \`/etc\` is root on the node; even a harmless-looking path ties the pod to one
node's disk, whose data vanishes when the pod is rescheduled elsewhere.

**How to fix:** use an \`emptyDir\` for scratch space, a PersistentVolumeClaim for data, a ConfigMap or
Secret for files. Node agents that truly need host paths belong to the platform's own charts; exempt
them with the ignore annotation and a reason.`,
    examples: {
      bad: `volumes:
  - name: data
    hostPath: {path: /var/lib/app}`,
      good: `volumes:
  - name: data
    persistentVolumeClaim: {claimName: app-data}`,
    },
  },
  check(_ctx, resource) {
    const template = podTemplateOf(resource.object);
    if (!template) return [];
    const findings: Finding[] = [];
    array(template.spec.volumes).forEach((volume, index) => {
      if (!isRecord(get(volume, 'hostPath'))) return;
      findings.push(
        findingAt(
          this.meta,
          resource,
          [...template.specPath, 'volumes', index, 'hostPath'],
          `Volume "${str(get(volume, 'name')) ?? index}" mounts the node's path ${str(get(volume, 'hostPath', 'path')) ?? '(unset)'} (hostPath).`,
        ),
      );
    });
    return findings;
  },
};
