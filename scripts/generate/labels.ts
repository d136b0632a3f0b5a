// The labels every generated object carries. The selector is the smallest stable subset: labels
// added later (part-of, environment) must never change a Deployment's immutable selector.
import type { ServiceConfig } from '../config/types.ts';

export const NAME_LABEL = 'app.kubernetes.io/name';

export function selectorLabels(service: Pick<ServiceConfig, 'name'>): Record<string, string> {
  return { [NAME_LABEL]: service.name };
}

export function serviceLabels(project: string, service: Pick<ServiceConfig, 'name'>): Record<string, string> {
  return {
    ...selectorLabels(service),
    'app.kubernetes.io/part-of': project,
    'app.kubernetes.io/managed-by': 'gitops-generate',
  };
}
