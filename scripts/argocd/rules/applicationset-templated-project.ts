import { get, isRecord, str } from '../../kube/values.ts';
import { defineRule } from '../../check/contract.ts';

/** Generators whose parameters come from outside the repository: pull requests, SCM organisations, plugins. */
const OUTSIDE_PARAMETERS = ['pullRequest', 'scmProvider', 'plugin'];

function generatorKinds(generators: unknown, depth = 0): string[] {
  if (!Array.isArray(generators) || depth > 2) return [];
  return generators.flatMap((generator) => {
    if (!isRecord(generator)) return [];
    return Object.keys(generator).flatMap((kind) =>
      kind === 'matrix' || kind === 'merge'
        ? [kind, ...generatorKinds(get(generator, kind, 'generators'), depth + 1)]
        : [kind],
    );
  });
}

const appSet = (project: string) => `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: teams, namespace: argocd}
spec:
  goTemplate: true
  generators:
    - git:
        repoURL: https://github.com/acme/gitops.git
        revision: HEAD
        files: [{path: "teams/*/config.json"}]
  template:
    metadata: {name: "{{.team}}"}
    spec:
      project: ${project}
      source: {repoURL: https://github.com/acme/gitops.git, targetRevision: HEAD, path: "teams/{{.team}}"}
      destination: {server: https://kubernetes.default.svc, namespace: "{{.team}}"}`;

export default defineRule({
  meta: {
    id: 'applicationset-templated-project',
    description: "An ApplicationSet's template names a fixed AppProject, not one its generators' parameters choose.",
    defaultSeverity: 'warning',
    category: 'argocd',
    scope: 'resource',
    kinds: ['ApplicationSet'],
    reach: 'scope',
    docs: {
      why: `The AppProject is what limits an Application: its source repositories, destinations and kinds. When
\`spec.template.spec.project\` is a template expression (\`{{.project}}\`, \`{{ .values.project }}\`),
whoever writes the generator's input chooses the project: a line in a git generator's config file, a
pull request's branch or label, a repository in an SCM organisation. Anyone who can write there can put
an Application in a more permissive project (Argo CD's ApplicationSet security documentation warns
about templated project fields). A \`templatePatch\` cannot change the project (Argo CD restores it).

A warning, and the message says when the parameters come from outside the repository (pull request,
SCM provider or plugin generators), where the risk is highest.`,
      fix: `Write the project name in the template (one ApplicationSet per project), or constrain the
generator's input and say why with the ignore annotation.`,
    },
    examples: { bad: appSet('"{{.project}}"'), good: appSet('teams') },
  },
  check({ resource, report }) {
    if (resource.object.kind !== 'ApplicationSet' || !(resource.object.apiVersion ?? '').startsWith('argoproj.io/'))
      return;
    const project = str(get(resource.object, 'spec', 'template', 'spec', 'project'));
    if (!project || !/\{\{/.test(project)) return;
    const outside = [...new Set(generatorKinds(get(resource.object, 'spec', 'generators')))].filter((kind) =>
      OUTSIDE_PARAMETERS.includes(kind),
    );
    report({
      resource,
      path: ['spec', 'template', 'spec', 'project'],
      message: `ApplicationSet "${resource.object.metadata?.name ?? '?'}" takes its AppProject from a template (${project})${outside.length ? `, filled in by ${outside.join(', ')} generators whose input comes from outside the repository` : ''}: whoever writes the generator's input chooses the project.`,
    });
  },
});
