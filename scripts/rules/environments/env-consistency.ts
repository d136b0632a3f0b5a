import type { App, RepoContext, Resource } from '../../types.ts';
import { replicaCount } from '../../kube/replicas.ts';
import { imageRepository } from '../../kube/image-ref.ts';
import { containersOf, isWorkload, podTemplateOf, REPLICATED_KINDS } from '../../kube/workloads.ts';
import { families, groupServices } from '../../kube/env-services.ts';
import { defineRule, type Problem } from '../../check/contract.ts';

const PROD = /^(prod|production|prd)$/;
const STAGING = /^(staging|stage|stg|preprod|pre-prod)$/;

export default defineRule({
  meta: {
    id: 'env-consistency',
    description:
      'Every service is in every environment, prod runs at least as many replicas as staging, and all environments use the same image repository.',
    defaultSeverity: 'warning',
    category: 'environments',
    scope: 'repository',
    docs: {
      why: `Environments exist so that what reaches prod was tried before. That only holds when they differ in
size and version, not in shape:

- **every service in every environment**: a service missing from staging is promoted to prod
  untested; one missing from prod breaks the services that call it;
- **prod replicas at least staging's**: staging sized above prod usually means an overlay edit went
  to the wrong folder (an HPA's \`minReplicas\` counts as the replica count);
- **the same image repository**: an image promoted between environments changes its tag, never its
  repository; a different repository means prod runs a build nobody tested.

A service is an app whose path is the same in each environment except for the environment's name
(\`overlays/dev/web\` and \`overlays/prod/web\`). It should be in every environment gitops.yaml
configures, or in those its \`services[].environments\` lists when it does; without gitops.yaml, in every environment most of its sibling services
(\`overlays/*/api\`, \`overlays/*/cart\`...) are in. Prod and staging are recognised by name (prod,
production, prd; staging, stage, stg, preprod).`,
      fix: `Add the missing overlay, raise prod's replicas, or point the overlay's \`images:\`
\`newName\` at the same repository as the other environments.`,
    },
    examples: {
      bad: `# file: overlays/staging/web/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
# file: overlays/prod/web/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2`,
      good: `# file: overlays/staging/web/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
# file: overlays/prod/web/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2`,
    },
  },
  check({ repo, report }) {
    const services = groupServices(repo.apps);
    const envs = orderedEnvs(repo);
    const familyOf = families([...services.keys()]);
    // The services of each family, in the map's order, gathered once (not a walk of every service per service).
    const siblingsOf = new Map<string | undefined, Map<string, App>[]>();
    for (const [key, apps] of services) {
      const family = familyOf.get(key);
      const list = siblingsOf.get(family);
      if (list) list.push(apps);
      else siblingsOf.set(family, [apps]);
    }
    for (const [service, byEnv] of [...services.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const siblings = siblingsOf.get(familyOf.get(service))!;
      missingEnvironments(service, byEnv, expectedEnvironments(repo, envs, siblings, service)).forEach(report);
      replicasBelowStaging(service, byEnv).forEach(report);
      imageRepositories(byEnv, envs).forEach(report);
    }
  },
});

function orderedEnvs(repo: RepoContext): string[] {
  const withApps = new Set(repo.apps.map((a) => a.env).filter((e): e is string => !!e));
  const ordered = repo.environments.filter((e) => withApps.has(e));
  for (const env of [...withApps].sort()) if (!ordered.includes(env)) ordered.push(env);
  return ordered;
}

/**
 * The environments a service should be in. With gitops.yaml, every configured environment that has
 * apps, or the service's own `environments` when gitops.yaml lists them. Without, the environments
 * that most services of its family are in (a repository of unrelated examples has no common set,
 * and then nothing is expected).
 */
function expectedEnvironments(
  repo: RepoContext,
  envs: string[],
  siblings: Map<string, App>[],
  service: string,
): string[] {
  const configured = repo.config?.environments?.map((e) => e.name);
  if (configured?.length) {
    // a service gitops.yaml limits to some environments (overlays/<env>/<name>) is expected there only
    const name = service.split('/').pop();
    const limited = repo.config?.services?.find((s) => s.name === name)?.environments;
    return envs.filter((env) => configured.includes(env) && (!Array.isArray(limited) || limited.includes(env)));
  }
  if (siblings.length < 2) return [];
  return envs.filter((env) => siblings.filter((s) => s.has(env)).length * 2 > siblings.length);
}

function missingEnvironments(service: string, byEnv: Map<string, App>, envs: string[]): Problem[] {
  const missing = envs.filter((env) => !byEnv.has(env));
  const present = envs.filter((env) => byEnv.has(env));
  if (missing.length === 0 || present.length === 0) return [];
  const anchor = byEnv.get(present[0])!.resources[0];
  if (!anchor) return [];
  return missing.map((env) => ({
    resource: anchor,
    path: ['metadata', 'name'],
    message: `Service ${service} is deployed to ${present.join(', ')} but not to ${env}.`,
    env,
  }));
}

/** Workloads of a service in one environment, by kind and name. */
function workloads(app: App): Map<string, Resource> {
  const out = new Map<string, Resource>();
  for (const r of app.resources)
    if (isWorkload(r.object)) out.set(`${r.object.kind}/${r.object.metadata?.name ?? ''}`, r);
  return out;
}

function replicasBelowStaging(service: string, byEnv: Map<string, App>): Problem[] {
  const prodEnv = [...byEnv.keys()].find((e) => PROD.test(e));
  const stagingEnv = [...byEnv.keys()].find((e) => STAGING.test(e));
  if (!prodEnv || !stagingEnv) return [];
  const prodApp = byEnv.get(prodEnv)!;
  const stagingApp = byEnv.get(stagingEnv)!;
  const staging = workloads(stagingApp);
  const findings: Problem[] = [];
  for (const [key, prodWorkload] of workloads(prodApp)) {
    const stagingWorkload = staging.get(key);
    if (!stagingWorkload || !REPLICATED_KINDS.includes(prodWorkload.object.kind ?? '')) continue;
    const prod = replicaCount(prodWorkload, prodApp.resources);
    const stage = replicaCount(stagingWorkload, stagingApp.resources);
    if (prod.min < stage.min) {
      findings.push({
        resource: prod.source,
        path: prod.path,
        message: `${key} of ${service} runs ${prod.min} replica(s) in ${prodEnv} but ${stage.min} in ${stagingEnv}; prod should run at least as many.`,
      });
    }
  }
  return findings;
}

function imageRepositories(byEnv: Map<string, App>, envs: string[]): Problem[] {
  // A service in one environment has nothing to differ from.
  if (byEnv.size < 2) return [];
  // container key -> env -> {repository, resource, path}
  const seen = new Map<
    string,
    { env: string; repository: string; resource: Resource; path: (string | number)[]; image: string }[]
  >();
  for (const env of envs) {
    const app = byEnv.get(env);
    if (!app) continue;
    for (const [key, workload] of workloads(app)) {
      const template = podTemplateOf(workload.object);
      if (!template) continue;
      for (const c of containersOf(template)) {
        if (typeof c.container.image !== 'string') continue;
        const list = seen.get(`${key}/${c.name}`) ?? [];
        list.push({
          env,
          repository: imageRepository(c.container.image),
          resource: workload,
          path: [...c.path, 'image'],
          image: c.container.image,
        });
        seen.set(`${key}/${c.name}`, list);
      }
    }
  }
  const findings: Problem[] = [];
  for (const [key, list] of seen) {
    if (new Set(list.map((l) => l.repository)).size < 2) continue;
    // The repository most environments use is the reference; ties go to the earliest environment.
    const counts = new Map<string, number>();
    for (const l of list) counts.set(l.repository, (counts.get(l.repository) ?? 0) + 1);
    const reference = [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
    const referenceEnvs = list.filter((l) => l.repository === reference).map((l) => l.env);
    for (const l of list) {
      if (l.repository === reference) continue;
      findings.push({
        resource: l.resource,
        path: l.path,
        message: `${key.split('/').slice(0, 2).join('/')} container "${key.split('/')[2]}" uses image repository ${l.repository} in ${l.env} but ${reference} in ${referenceEnvs.join(', ')}.`,
      });
    }
  }
  return findings;
}
