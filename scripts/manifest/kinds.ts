// Files that carry `apiVersion` and `kind` without being Kubernetes objects: tool configurations
// written in Kubernetes' style. Nobody applies them to a cluster, so they are not checked as objects.
// They are recognised by API group (a tool owns its group), never by file name.
import type { KubeObject } from '../types.ts';

/** API groups of configuration formats, not of cluster APIs. */
const CONFIG_GROUPS = new Set([
  'kustomize.config.k8s.io', // Kustomization, Component (read by kustomize, not applied)
  'config.kubernetes.io', // KRM function ResourceList and friends
  'kpt.dev', // Kptfile
  'fn.kpt.dev',
  'kind.x-k8s.io', // kind's Cluster config
  'k3d.io', // k3d's Simple config
  'ctlptl.dev',
  'schema.plugin.fluxcd.io', // the flux CLI's schema plugin config (.fluxschema.yml)
  'kubeadm.k8s.io',
  'kubelet.config.k8s.io', // the kubelet's own config file (OpenShift's KubeletConfig is machineconfiguration.openshift.io)
  'kubeproxy.config.k8s.io',
  'kubescheduler.config.k8s.io',
  'apiserver.config.k8s.io',
  'audit.k8s.io', // an API server audit policy file
  'client.authentication.k8s.io',
  'eksctl.io', // eksctl's ClusterConfig
]);

/** apiVersions without a group that belong to tools: kustomize's builtin plugin configs, Skaffold. */
const CONFIG_API_VERSIONS = [/^builtin$/, /^skaffold\/v\d/];

/** The group of an apiVersion ("" for the core group). */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/**
 * Whether an object with apiVersion and kind is one a cluster serves. A kubeconfig (`v1` Config) is
 * the one core-group impostor.
 */
export function isKubernetesObject(object: KubeObject): boolean {
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion.trim() : '';
  if (!apiVersion || typeof object.kind !== 'string') return false;
  if (CONFIG_API_VERSIONS.some((pattern) => pattern.test(apiVersion))) return false;
  if (apiVersion === 'v1' && object.kind === 'Config') return false;
  return !CONFIG_GROUPS.has(apiGroup(apiVersion));
}
