import type { ArgoRule } from './rule.ts';

export const applicationsetExpands: ArgoRule = {
  meta: {
    id: 'applicationset-expands',
    description:
      'Every ApplicationSet expands offline into Applications: its generators run and its templates render for every parameter set.',
    defaultSeverity: 'error',
    category: 'argocd',
    docs: [
      'The validator expands each ApplicationSet the way the ApplicationSet controller does: list, git',
      'directories and files (read from this repository), clusters (the clusters gitops.yaml declares, plus',
      'in-cluster), matrix and merge generators; goTemplate (Go text/template with Sprig functions) and the',
      'older fasttemplate syntax; generator `template` overrides and `templatePatch`. A template that fails',
      'for one parameter set stops Argo CD from creating or updating any Application of the set.',
      '',
      'Findings: a template error (a missing key under `missingkey=error`, an unknown function, bad syntax),',
      'an empty Application name, a fasttemplate `{{tag}}` with no parameter (it stays in the output as text),',
      'a goTemplate without missingkey=error that renders `<no value>`, a git generator that matches nothing',
      '(warning), and, as info, generators that need a live system (scmProvider, pullRequest,',
      'clusterDecisionResource, plugin) or a repository other than this one.',
      '',
      '**How to fix:** correct the template or the generator at the line shown; prefer',
      '`goTemplate: true` with `goTemplateOptions: ["missingkey=error"]` so a missing key fails here, not in the cluster.',
    ].join('\n'),
    examples: {
      bad: [
        'spec:',
        '  goTemplate: true',
        '  goTemplateOptions: ["missingkey=error"]',
        '  generators:',
        '  - list: {elements: [{service: api}]}',
        '  template:',
        "    metadata: {name: '{{.service}}-{{.env}}'}   # no generator sets .env",
      ].join('\n'),
      good: [
        'spec:',
        '  goTemplate: true',
        '  goTemplateOptions: ["missingkey=error"]',
        '  generators:',
        '  - list: {elements: [{service: api, env: prod}]}',
        '  template:',
        "    metadata: {name: '{{.service}}-{{.env}}'}",
      ].join('\n'),
    },
  },
  check: (model) => model.expansionFindings,
};
