// Which port of the selected pods a Service's targetPort reaches, for the two rules that check it: a
// named targetPort must be a port name the pods declare (else no endpoints), a number is routed
// whether declared or not (declaring container ports is optional), so a mismatch is only a doubt.
import type { JsonPath, Resource } from '../types.ts';
import { array, get, stringMap } from './values.ts';
import {
  longRunningContainers,
  podTemplateOf,
  relatedResources,
  scopeIsComplete,
  workloadsSelectedBy,
  type PodsOf,
  FEW,
} from './workloads.ts';
import type { App, RepoContext } from '../types.ts';

export interface TargetPortMismatch {
  /** A name no selected container declares, or a number none declares while they declare others. */
  kind: 'name' | 'number';
  target: string | number;
  /** The numbers the selected containers declare (for messages about a number). */
  declared: number[];
  path: JsonPath;
}

function portsOf(workload: Resource): { names: Set<string>; numbers: Set<number> } {
  const names = new Set<string>();
  const numbers = new Set<number>();
  const template = podTemplateOf(workload.object);
  for (const { container } of template ? longRunningContainers(template) : []) {
    for (const port of array(container.ports)) {
      const name = get(port, 'name');
      const number = get(port, 'containerPort');
      if (typeof name === 'string') names.add(name);
      if (typeof number === 'number') numbers.add(number);
    }
  }
  return { names, numbers };
}

/** The ports of a Service whose targetPort the selected pods do not declare (none when it selects no pods). */
export function targetPortMismatches(repo: RepoContext, app: App, service: Resource): TargetPortMismatch[] {
  if (service.object.kind !== 'Service') return [];
  // Absence proves nothing where part of the scope could not be rendered.
  if (!scopeIsComplete(repo.apps, app)) return [];
  const selector = stringMap(get(service.object, 'spec', 'selector'));
  if (Object.keys(selector).length === 0) return [];
  const selected = workloadsSelectedBy(selector, service.object, relatedResources(repo.apps, app));
  if (selected.length === 0) return []; // service-selects-pods reports it
  const declared = selectedPorts(selected);
  const out: TargetPortMismatch[] = [];
  array(get(service.object, 'spec', 'ports')).forEach((port, index) => {
    const target = get(port, 'targetPort') ?? get(port, 'port');
    const path: JsonPath = ['spec', 'ports', index, get(port, 'targetPort') !== undefined ? 'targetPort' : 'port'];
    if (typeof target === 'string' && !/^\d+$/.test(target)) {
      if (!declared.names.has(target)) out.push({ kind: 'name', target, declared: [], path });
    } else if (typeof target === 'number' || typeof target === 'string') {
      const number = Number(target);
      // A number is a doubt only when every selected workload declares ports and none this one.
      if (declared.everyDeclaresNumbers && !declared.numbers.has(number))
        out.push({ kind: 'number', target: number, declared: declared.sortedNumbers, path });
    }
  });
  return out;
}

/** What the selected workloads declare, together: the questions above ask only this. */
interface SelectedPorts {
  names: Set<string>;
  numbers: Set<number>;
  /** Whether every selected workload declares at least one port number. */
  everyDeclaresNumbers: boolean;
  sortedNumbers: number[];
}

/**
 * Worked out once per selection: Services with one selector share their list (kube/workloads.ts), so
 * 5,000 of them over 5,000 Deployments read each workload's ports once, not 25 million times.
 */
const selectedPortsCache = new WeakMap<PodsOf[], SelectedPorts>();

function selectedPorts(selected: PodsOf[]): SelectedPorts {
  let ports = selectedPortsCache.get(selected);
  if (ports) return ports;
  ports = portsOfAll(selected);
  if (selected.length > FEW) selectedPortsCache.set(selected, ports);
  return ports;
}

function portsOfAll(selected: PodsOf[]): SelectedPorts {
  const names = new Set<string>();
  const numbers = new Set<number>();
  let everyDeclaresNumbers = true;
  for (const { workload } of selected) {
    const own = portsOf(workload);
    for (const name of own.names) names.add(name);
    for (const number of own.numbers) numbers.add(number);
    if (own.numbers.size === 0) everyDeclaresNumbers = false;
  }
  return { names, numbers, everyDeclaresNumbers, sortedNumbers: [...numbers].sort((a, b) => a - b) };
}
