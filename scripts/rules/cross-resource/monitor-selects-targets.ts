import type { KubeObject, Resource } from '../../types.ts';
import { array, get, stringMap } from '../../kube/values.ts';
import {
  labelSelectorMatches,
  podTemplateOf,
  relatedResources,
  resourcesOfKind,
  scopeIsComplete,
} from '../../kube/workloads.ts';
import { describeSelector } from '../../kube/selection.ts';
import { defineRule } from '../../check/contract.ts';

/** Whether a monitor (in `monitor`'s namespace, with its namespaceSelector) looks at `target`'s namespace. */
function watchesNamespaceOf(monitor: KubeObject, target: KubeObject): boolean {
  const own = monitor.metadata?.namespace;
  const theirs = target.metadata?.namespace;
  if (get(monitor, 'spec', 'namespaceSelector', 'any') === true) return true;
  const names = array(get(monitor, 'spec', 'namespaceSelector', 'matchNames')).map(String);
  if (names.length > 0) return !theirs || names.includes(theirs);
  return !own || !theirs || own === theirs;
}

/** The objects a monitor selects among: Services for a ServiceMonitor, pod templates for a PodMonitor. */
function targetsOf(monitor: Resource, resources: Resource[]): { object: KubeObject; labels: Record<string, string> }[] {
  if (monitor.object.kind === 'ServiceMonitor')
    return resourcesOfKind(resources, 'Service').map((service) => ({
      object: service.object,
      labels: stringMap(service.object.metadata?.labels),
    }));
  return resources.flatMap((workload) => {
    const template = podTemplateOf(workload.object);
    return template ? [{ object: workload.object, labels: template.labels }] : [];
  });
}

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
  labels: {app: web}
spec:
  selector: {app: web}
  ports: [{name: metrics, port: 9090}]`;
const monitor = (app: string) => `apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: ${app}}}
  endpoints: [{port: metrics}]`;

export default defineRule({
  meta: {
    id: 'monitor-selects-targets',
    description: 'A ServiceMonitor selects a Service, and a PodMonitor pods, in the namespaces it watches.',
    defaultSeverity: 'warning',
    category: 'cross-resource',
    scope: 'resource',
    kinds: ['ServiceMonitor', 'PodMonitor'],
    reach: 'scope',
    docs: {
      why: `The Prometheus Operator scrapes what a ServiceMonitor's selector matches among Services (a
PodMonitor's among pods), in its own namespace unless \`namespaceSelector\` says otherwise. A monitor
that matches nothing scrapes nothing: the service has no metrics and its alerts never fire, with no
error anywhere. It happens when the Service's labels (not its selector) lack the label the monitor
asks for.

Only monitors that watch a namespace where the environment has Services (or pods) are judged.`,
      fix: `Label the Service (\`metadata.labels\`) with what the monitor's \`selector\` asks for, or fix the
selector or \`namespaceSelector\`.`,
    },
    examples: {
      bad: `${SERVICE}\n---\n${monitor('web-metrics')}`,
      good: `${SERVICE}\n---\n${monitor('web')}`,
    },
  },
  check({ repo, app, resource, report }) {
    // Absence proves nothing where part of the scope could not be rendered (the pods may come from there).
    if (!scopeIsComplete(repo.apps, app)) return;
    const kind = resource.object.kind;
    if (
      (kind !== 'ServiceMonitor' && kind !== 'PodMonitor') ||
      !(resource.object.apiVersion ?? '').startsWith('monitoring.coreos.com/')
    )
      return;
    const selector = get(resource.object, 'spec', 'selector');
    const watched = targetsOf(resource, relatedResources(repo.apps, app)).filter((target) =>
      watchesNamespaceOf(resource.object, target.object),
    );
    if (watched.length === 0) return;
    if (watched.some((target) => labelSelectorMatches(selector, target.labels))) return;
    report({
      resource,
      path: ['spec', 'selector'],
      message: `${kind} "${resource.object.metadata?.name ?? '?'}" selects ${describeSelector(selector)}, which no ${kind === 'ServiceMonitor' ? 'Service' : 'pod'} in the namespaces it watches carries; it scrapes nothing.`,
    });
  },
});
