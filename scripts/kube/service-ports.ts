// Which port of the selected pods a Service's targetPort reaches, for the two rules that check it: a
// named targetPort must be a port name the pods declare (else no endpoints), a number is routed
// whether declared or not (declaring container ports is optional), so a mismatch is only a doubt.
import type { JsonPath, Resource } from '../types.ts';
import { array, get, stringMap } from './values.ts';
import {
  containersOf,
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

/**
 * Adds a workload's declared port names and numbers (its long-running containers') to the sets;
 * whether it declares a port number.
 */
function addPortsOf(workload: Resource, names: Set<string>, numbers: Set<number>): boolean {
  let declaresNumber = false;
  const template = podTemplateOf(workload.object);
  if (!template) return false;
  for (const { container, init, sidecar } of containersOf(template)) {
    if (init && !sidecar) continue; // longRunningContainers, without its filtered copy
    for (const port of array(container.ports)) {
      const name = get(port, 'name');
      const number = get(port, 'containerPort');
      if (typeof name === 'string') names.add(name);
      if (typeof number === 'number') {
        numbers.add(number);
        declaresNumber = true;
      }
    }
  }
  return declaresNumber;
}

/**
 * The last answer per scope, for the other rule: service-target-port-exists and
 * service-target-port-declared ask the same of each Service one after the other (the engine runs
 * every rule on a resource before the next resource). One entry per scope's list, which releaseScope
 * replaces: nothing is held past its scope.
 */
const lastAnswer = new WeakMap<Resource[], { app: App; service: Resource; mismatches: TargetPortMismatch[] }>();

/** The ports of a Service whose targetPort the selected pods do not declare (none when it selects no pods). */
export function targetPortMismatches(repo: RepoContext, app: App, service: Resource): TargetPortMismatch[] {
  if (service.object.kind !== 'Service') return [];
  const related = relatedResources(repo.apps, app);
  const last = lastAnswer.get(related);
  if (last && last.service === service && last.app === app) return last.mismatches;
  const mismatches = findMismatches(repo, app, service, related);
  lastAnswer.set(related, { app, service, mismatches });
  return mismatches;
}

function findMismatches(repo: RepoContext, app: App, service: Resource, related: Resource[]): TargetPortMismatch[] {
  // Absence proves nothing where part of the scope could not be rendered.
  if (!scopeIsComplete(repo.apps, app)) return [];
  const selector = stringMap(get(service.object, 'spec', 'selector'));
  if (Object.keys(selector).length === 0) return [];
  const selected = workloadsSelectedBy(selector, service.object, related);
  if (selected.length === 0) return []; // service-selects-pods reports it
  const declared = selectedPorts(selected);
  const out: TargetPortMismatch[] = [];
  // Sorted only for a number mismatch's message (most Services target a name): once per Service.
  let sortedNumbers: number[] | undefined;
  const ports = array(get(service.object, 'spec', 'ports'));
  for (let index = 0; index < ports.length; index++) {
    const targetPort = get(ports[index], 'targetPort');
    const target = targetPort ?? get(ports[index], 'port');
    const field = targetPort !== undefined ? 'targetPort' : 'port';
    if (typeof target === 'string' && !/^\d+$/.test(target)) {
      if (!declared.names.has(target))
        out.push({ kind: 'name', target, declared: [], path: ['spec', 'ports', index, field] });
    } else if (typeof target === 'number' || typeof target === 'string') {
      const number = Number(target);
      // A number is a doubt only when every selected workload declares ports and none this one.
      if (declared.everyDeclaresNumbers && !declared.numbers.has(number)) {
        sortedNumbers ??= [...declared.numbers].sort((a, b) => a - b);
        out.push({ kind: 'number', target: number, declared: sortedNumbers, path: ['spec', 'ports', index, field] });
      }
    }
  }
  return out;
}

/** What the selected workloads declare, together: the questions above ask only this. */
interface SelectedPorts {
  names: Set<string>;
  numbers: Set<number>;
  /** Whether every selected workload declares at least one port number. */
  everyDeclaresNumbers: boolean;
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
  for (const { workload } of selected) if (!addPortsOf(workload, names, numbers)) everyDeclaresNumbers = false;
  return { names, numbers, everyDeclaresNumbers };
}
