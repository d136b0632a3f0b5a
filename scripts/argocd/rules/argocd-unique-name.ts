import type { ArgoApplication } from '../model.ts';
import { applicationSubject, describeApplication } from '../describe.ts';
import { defineRule } from '../../check/contract.ts';
import { argoModel } from '../model.ts';

export default defineRule({
  meta: {
    id: 'argocd-unique-name',
    description: 'No two Applications (written by hand or generated) share a name in the same namespace.',
    defaultSeverity: 'error',
    category: 'argocd',
    scope: 'repository',
    docs: {
      why: `An Application is identified by its namespace and name. Two definitions of the same name overwrite
each other in turn (every sync flips the Application between them), and when an ApplicationSet's
template gives two parameter sets the same name, Argo CD creates the first and reports the second.`,
      fix: `Rename one of them; in an ApplicationSet put every parameter that varies (service and
environment, usually) into \`metadata.name\`.`,
    },
    examples: {
      bad: "template:\n  metadata:\n    name: '{{.service}}'   # the same service in two environments collides",
      good: "template:\n  metadata:\n    name: '{{.service}}-{{.env}}'",
    },
  },
  check({ repo, report }) {
    const model = argoModel(repo);
    const byName = new Map<string, ArgoApplication[]>();
    for (const app of model.applications) {
      const key = `${app.object.metadata?.namespace ?? 'argocd'}/${app.name}`;
      byName.set(key, [...(byName.get(key) ?? []), app]);
    }
    for (const apps of byName.values()) {
      if (apps.length < 2) continue;
      const first = apps[0];
      const firstAt = first.locate(['metadata', 'name']);
      for (const other of apps.slice(1)) {
        report({
          resource: applicationSubject(other),
          path: ['metadata', 'name'],
          message: `${describeApplication(other)} has the same name as ${describeApplication(first)} at ${firstAt.file}${firstAt.line ? `:${firstAt.line}` : ''}`,
        });
      }
    }
    return;
  },
});
