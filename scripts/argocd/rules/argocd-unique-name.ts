import type { Finding } from '../../types.ts';
import type { ArgoApplication } from '../model.ts';
import { applicationFinding, describeApplication, type ArgoRule } from './rule.ts';

export const argocdUniqueName: ArgoRule = {
  meta: {
    id: 'argocd-unique-name',
    description: 'No two Applications (written by hand or generated) share a name in the same namespace.',
    defaultSeverity: 'error',
    category: 'argocd',
    docs: [
      'An Application is identified by its namespace and name. Two definitions of the same name overwrite',
      'each other in turn (every sync flips the Application between them), and an ApplicationSet whose',
      'template gives two parameter sets the same name fails as a whole.',
      '',
      '**How to fix:** rename one of them; in an ApplicationSet put every parameter that varies (service and',
      'environment, usually) into `metadata.name`.',
    ].join('\n'),
    examples: {
      bad: "template:\n  metadata:\n    name: '{{.service}}'   # the same service in two environments collides",
      good: "template:\n  metadata:\n    name: '{{.service}}-{{.env}}'",
    },
  },
  check(model) {
    const byName = new Map<string, ArgoApplication[]>();
    for (const app of model.applications) {
      const key = `${app.object.metadata?.namespace ?? 'argocd'}/${app.name}`;
      byName.set(key, [...(byName.get(key) ?? []), app]);
    }
    const findings: Finding[] = [];
    for (const apps of byName.values()) {
      if (apps.length < 2) continue;
      const first = apps[0];
      const firstAt = first.locate(['metadata', 'name']);
      for (const other of apps.slice(1)) {
        findings.push(
          applicationFinding(
            this.meta,
            other,
            ['metadata', 'name'],
            `${describeApplication(other)} has the same name as ${describeApplication(first)} at ${firstAt.file}${firstAt.line ? `:${firstAt.line}` : ''}`,
          ),
        );
      }
    }
    return findings;
  },
};
