// A LimitRange with Container defaults fills in requests and limits at admission, so a container
// without them is not a finding when its namespace has one (in any app of the same environment).
import type { Resource } from '../types.ts';
import { array, get, record } from './values.ts';
import { resourcesOfKind, sameNamespace } from './workloads.ts';

export interface ContainerDefaults {
  requests: Record<string, unknown>;
  limits: Record<string, unknown>;
}

export function containerDefaults(workload: Resource, related: Resource[]): ContainerDefaults {
  const defaults: ContainerDefaults = { requests: {}, limits: {} };
  const ranges = resourcesOfKind(related, 'LimitRange').filter((range) => sameNamespace(range.object, workload.object));
  for (const range of ranges) {
    for (const limit of array(get(range.object, 'spec', 'limits'))) {
      if (get(limit, 'type') !== 'Container') continue;
      Object.assign(defaults.limits, record(get(limit, 'default')));
      // defaultRequest falls back to default when absent, as the API server does.
      Object.assign(defaults.requests, record(get(limit, 'default')), record(get(limit, 'defaultRequest')));
    }
  }
  return defaults;
}
