import { array, get, isRecord, str } from '../../kube/values.ts';
import { podTemplateOf, WORKLOAD_KINDS } from '../../kube/workloads.ts';
import { exampleWorkload } from '../../kube/examples.ts';
import { defineRule } from '../../check/contract.ts';
import { trimEndChar } from '../../safe/text.ts';

/** Node folders whose mount is root on the node (or reads its credentials), mounted as themselves. */
const SENSITIVE_ROOTS = new Set([
  '/',
  '/boot',
  '/dev',
  '/etc',
  '/lib',
  '/proc',
  '/root',
  '/run',
  '/sys',
  '/usr',
  '/var/run',
  '/var/lib/docker',
  '/var/lib/containerd',
]);
/** Folders whose every subfolder is sensitive too: the kubelet's and etcd's state, cluster certificates. */
const SENSITIVE_TREES = ['/etc/kubernetes', '/var/lib/kubelet', '/var/lib/etcd', '/etc/ssh', '/root'];
/** A container runtime's API socket: whoever can write to it starts privileged containers. */
const RUNTIME_SOCKET = /(^|\/)(docker|containerd|crio|cri-dockerd|podman)\.sock$/;

/** Why mounting `path` is dangerous, or undefined. */
function sensitivity(path: string): string | undefined {
  const normal = path.length > 1 ? trimEndChar(path, '/') : path;
  if (RUNTIME_SOCKET.test(normal)) return 'the container runtime socket, which starts privileged containers';
  if (SENSITIVE_ROOTS.has(normal)) return normal === '/' ? "the node's whole filesystem" : `the node's ${normal}`;
  const tree = SENSITIVE_TREES.find((root) => normal.startsWith(`${root}/`) || normal === root);
  if (tree) return `the node's ${tree} (credentials and state)`;
  return undefined;
}

export default defineRule({
  meta: {
    id: 'sensitive-host-mount',
    description:
      "Pods never mount the node's system folders or container runtime socket (/, /etc, /proc, docker.sock...).",
    defaultSeverity: 'error',
    category: 'security',
    scope: 'resource',
    kinds: WORKLOAD_KINDS,
    reach: 'scope',
    docs: {
      why: `Some host paths are a container escape by themselves, whatever else the pod does: the container
runtime's socket (\`/var/run/docker.sock\`, \`containerd.sock\`, \`crio.sock\`) lets the pod start a
privileged container on the node, \`/\`, \`/etc\`, \`/root\` and \`/etc/kubernetes\` hold the node's and the
cluster's credentials, \`/proc\`, \`/sys\` and \`/dev\` control the kernel and the devices, and
\`/var/lib/kubelet\` holds every pod's Secrets. A read-only mount does not help: a socket is written
to through a read-only mount, and credentials only need reading.

This is separate from no-host-path on purpose: a team that allows host paths (a log collector
reading \`/var/log\`) still gets an error for these.`,
      fix: `Remove the volume. Build images with a rootless builder (Kaniko, Buildah) instead of the
Docker socket; read logs from \`/var/log\` only; get node metrics from the kubelet's API.`,
    },
    examples: {
      bad: exampleWorkload({
        pod: 'volumes: [{name: docker, hostPath: {path: /var/run/docker.sock}}]',
        container: 'volumeMounts: [{name: docker, mountPath: /var/run/docker.sock}]',
      }),
      good: exampleWorkload({
        pod: 'volumes: [{name: logs, hostPath: {path: /var/log}}]',
        container: 'volumeMounts: [{name: logs, mountPath: /var/log, readOnly: true}]',
      }),
    },
  },
  check({ resource, report }) {
    const template = podTemplateOf(resource.object);
    if (!template) return;
    array(template.spec.volumes).forEach((volume, index) => {
      const hostPath = get(volume, 'hostPath');
      const path = isRecord(hostPath) ? str(hostPath.path) : undefined;
      const why = path ? sensitivity(path) : undefined;
      if (!why) return;
      report({
        resource,
        path: [...template.specPath, 'volumes', index, 'hostPath', 'path'],
        message: `Volume "${str(get(volume, 'name')) ?? index}" mounts ${path}: ${why}.`,
      });
    });
  },
});
