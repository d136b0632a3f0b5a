// Argo CD benchmark: ApplicationSet expansion and the Argo CD checks on a synthetic repository of N
// services x 3 environments. The baseline in the same run is fasttemplate on the same generator: the
// ratio says what Go templates cost over plain substitution.
import { expandApplicationSet } from '../argocd/expand.ts';
import { runArgocdRules } from '../argocd/index.ts';
import { repoViewFromFiles } from '../argocd/repo-view.ts';
import { resourcesFromYaml } from '../manifest/source.ts';
import type { App, KubeObject, RepoContext } from '../types.ts';
import type { BenchSection } from './sections.ts';
import { msSince, type BenchTable } from './table.ts';

const ENVS = ['dev', 'staging', 'prod'];
const REPO = 'https://github.com/acme/shop.git';

function appSet(goTemplate: boolean): KubeObject {
  const t = goTemplate ? (expr: string) => `{{ ${expr} }}` : (expr: string) => `{{${expr}}}`;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: 'services', namespace: 'argocd' },
    spec: {
      ...(goTemplate ? { goTemplate: true, goTemplateOptions: ['missingkey=error'] } : {}),
      generators: [{ git: { repoURL: REPO, revision: 'main', directories: [{ path: 'overlays/*/*' }] } }],
      template: {
        metadata: {
          name: goTemplate
            ? `${t('.path.basename')}-${t('index .path.segments 1')}`
            : `${t('path.basename')}-${t('path[1]')}`,
          labels: { env: goTemplate ? t('index .path.segments 1') : t('path[1]') },
        },
        spec: {
          project: 'shop',
          source: { repoURL: REPO, targetRevision: 'main', path: goTemplate ? t('.path.path') : t('path') },
          destination: {
            server: 'https://kubernetes.default.svc',
            namespace: goTemplate ? `shop-${t('index .path.segments 1 | lower')}` : `shop-${t('path[1]')}`,
          },
          syncPolicy: {
            automated: { prune: true, selfHeal: true },
            syncOptions: ['CreateNamespace=true', 'PruneLast=true'],
          },
        },
      },
    },
  };
}

function files(services: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const env of ENVS)
    for (let i = 0; i < services; i++) out[`overlays/${env}/svc-${String(i).padStart(3, '0')}/kustomization.yaml`] = '';
  return out;
}

const PROJECT = `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {name: shop, namespace: argocd}
spec:
  sourceRepos: [${REPO}]
  destinations: [${ENVS.map((env) => `{server: https://kubernetes.default.svc, namespace: shop-${env}}`).join(', ')}]
  clusterResourceWhitelist: [{group: '', kind: Namespace}]
`;

export const section: BenchSection = {
  name: 'argocd',
  async run({ quick }) {
    const sizes = quick ? [30] : [30, 300];
    const expansion: BenchTable = {
      title: 'Argo CD: git-directories ApplicationSet expansion (N services x 3 envs)',
      columns: ['services', 'Applications', 'fasttemplate ms', 'goTemplate ms', 'goTemplate / fasttemplate'],
      rows: [],
    };
    const checks: BenchTable = {
      title: 'Argo CD: every rule on the expanded Applications (no rendering)',
      columns: ['services', 'Applications', 'findings', 'ms', 'ms per Application'],
      rows: [],
    };
    for (const services of sizes) {
      const repo = repoViewFromFiles(files(services));
      const options = { repo, clusters: [], isLocalRepo: () => true };
      const time = (goTemplate: boolean) => {
        expandApplicationSet(appSet(goTemplate), options); // warm-up: parse caches, JIT
        const start = performance.now();
        const result = expandApplicationSet(appSet(goTemplate), options);
        return { ms: Math.max(1, msSince(start)), count: result.applications.length };
      };
      const fast = time(false);
      const go = time(true);
      expansion.rows.push([services, go.count, fast.ms, go.ms, (go.ms / fast.ms).toFixed(2)]);

      const ctx: RepoContext = {
        root: process.cwd(),
        kubernetesVersion: '1.32',
        environments: ENVS,
        kustomizations: [],
        apps: [
          {
            id: 'argocd/project.yaml',
            kind: 'manifests',
            resources: resourcesFromYaml(PROJECT, 'argocd/project.yaml'),
          },
          {
            id: 'argocd/appset.yaml',
            kind: 'manifests',
            resources: [
              {
                object: appSet(true),
                origin: { app: 'argocd/appset.yaml', file: 'argocd/appset.yaml', line: 1 },
                locate: () => ({ file: 'argocd/appset.yaml', line: 1 }),
              },
            ],
          },
        ] satisfies App[],
      };
      const start = performance.now();
      const findings = runArgocdRules(ctx, undefined, repo);
      const ms = Math.max(1, msSince(start));
      checks.rows.push([services, go.count, findings.length, ms, (ms / Math.max(1, go.count)).toFixed(3)]);
    }
    expansion.notes = ['Baseline: fasttemplate expansion of the same generator in the same run.'];
    checks.notes = [
      'The findings are argocd-path-renders, one per Application: the synthetic folders exist only in memory, not on disk.',
    ];
    return [expansion, checks];
  },
};
