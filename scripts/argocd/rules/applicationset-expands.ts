import { defineRule } from '../../check/contract.ts';
import { argoModel } from '../model.ts';

export default defineRule({
  meta: {
    id: 'applicationset-expands',
    description:
      'Every ApplicationSet expands offline into Applications: its generators run and its templates render for every parameter set.',
    defaultSeverity: 'error',
    category: 'argocd',
    scope: 'repository',
    docs: {
      why: `The validator expands each ApplicationSet the way Argo CD's ApplicationSet controller code does: list,
git directories (Go path.Match) and files (git ls-files pathspecs), read from this repository, clusters
(the clusters gitops.yaml declares, with their labels, plus in-cluster), matrix and merge generators;
goTemplate (Go text/template with Sprig functions) and the older fasttemplate syntax; generator
\`template\` overrides, \`templatePatch\`, the resources finalizer and the ApplicationSet namespace. Any
generator or template error stops Argo CD from creating or updating any Application of the set, so
the set then has no Applications here either.

Findings: a generator error as Argo CD reports it (a non-string list value without goTemplate,
conflicting matrix keys, merge keys that are not unique), a template error (a missing key under
\`missingkey=error\`, an unknown function, bad syntax), an empty Application name, an expansion past
its budget (more than 10,000 Applications or parameter sets, a million loop iterations, 32 MiB of
template output), a fasttemplate \`{{tag}}\` with no string parameter (it stays in the output as text),
a goTemplate without missingkey=error that renders \`<no value>\`, a template namespace or templatePatch
project that Argo CD overrides, a git generator that matches nothing (warning), and, as info,
generators that need a live system (scmProvider, pullRequest, clusterDecisionResource, plugin) or a
repository other than this one.`,
      fix: `Correct the template or the generator at the line shown; prefer
\`goTemplate: true\` with \`goTemplateOptions: ["missingkey=error"]\` so a missing key fails here, not in the cluster.`,
    },
    examples: {
      bad: `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: services, namespace: argocd}
spec:
  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
    - list: {elements: [{service: api}]}
  template:
    metadata: {name: '{{.service}}-{{.env}}'}
    spec:
      project: shop
      source: {repoURL: https://github.com/acme/gitops.git, path: 'overlays/{{.env}}/{{.service}}', targetRevision: main}
      destination: {server: https://kubernetes.default.svc, namespace: 'shop-{{.env}}'}   # no generator sets .env`,
      good: `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: services, namespace: argocd}
spec:
  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
    - list: {elements: [{service: api, env: prod}]}
  template:
    metadata: {name: '{{.service}}-{{.env}}'}
    spec:
      project: shop
      source: {repoURL: https://github.com/acme/gitops.git, path: 'overlays/{{.env}}/{{.service}}', targetRevision: main}
      destination: {server: https://kubernetes.default.svc, namespace: 'shop-{{.env}}'}`,
    },
  },
  check({ repo, report }) {
    argoModel(repo).expansionProblems.forEach(report);
  },
});
