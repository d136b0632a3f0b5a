// Policy rules benchmark: every rule over 10,000 rendered resources (5,000 Deployments with their
// Services, one environment, so cross-resource lookups see all of them). Baseline in the same run:
// parsing the same stream with js-yaml, the hot path design.md names; the table gives the ratio.
import { parseRenderedYaml } from '../manifest/rendered.ts';
import { runRulesSync } from '../check/engine.ts';
import { builtinRulesIn } from '../check/registry.ts';
import type { App, RepoContext, Resource } from '../types.ts';
import { renderedStream } from './schema.ts';
import type { BenchSection } from './sections.ts';
import { msSince, type BenchTable } from './table.ts';

function contextOf(text: string): RepoContext {
  const resources: Resource[] = parseRenderedYaml(text).map((object) => ({
    object,
    origin: { app: 'overlays/prod/shop', env: 'prod', file: 'base/shop.yaml' },
    locate: () => ({ file: 'base/shop.yaml', line: 1 }),
  }));
  const app: App = { id: 'overlays/prod/shop', kind: 'kustomization', env: 'prod', resources };
  return { root: '/bench', kubernetesVersion: '1.32', apps: [app], environments: ['prod'], kustomizations: [] };
}

const rules = builtinRulesIn('rules');

/**
 * What a service brings besides its Deployment and Service in a platform's environment: the objects
 * the cross-resource rules look each other up by (an HPA and a PDB for the workload, a Secret and a
 * ConfigMap it reads, a ServiceAccount with its Role and RoleBinding, a NetworkPolicy, an Ingress).
 */
function companions(services: number): string {
  const docs: string[] = [];
  for (let i = 0; i < services; i++) {
    const name = `svc-${String(i).padStart(5, '0')}`;
    const meta = `{name: ${name}, namespace: microservices}`;
    docs.push(
      `apiVersion: v1\nkind: Secret\nmetadata: {name: ${name}-db, namespace: microservices}\ntype: Opaque\nstringData: {password: x}`,
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}-cfg, namespace: microservices}\ndata: {a: b}`,
      `apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: ${meta}\nspec: {minAvailable: 1, selector: {matchLabels: {app.kubernetes.io/name: ${name}}}}`,
      `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: ${meta}\nspec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${name}}, minReplicas: 2, maxReplicas: 4}`,
      `apiVersion: v1\nkind: ServiceAccount\nmetadata: ${meta}`,
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: ${meta}\nrules: [{apiGroups: [''], resources: [configmaps], verbs: [get]}]`,
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: ${meta}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: ${name}}\nsubjects: [{kind: ServiceAccount, name: ${name}}]`,
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: ${meta}\nspec: {podSelector: {matchLabels: {app.kubernetes.io/name: ${name}}}, policyTypes: [Ingress]}`,
      `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: ${meta}\nspec: {rules: [{host: ${name}.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: ${name}, port: {name: http}}}}]}}]}`,
    );
  }
  return docs.map((doc) => `---\n${doc}\n`).join('');
}

/**
 * The shape that made selections quadratic: `count` Deployments, as many Services and as many
 * PodDisruptionBudgets, all with one selector in one namespace (5,000 each took 101 s before the
 * selection caches of kube/workloads.ts, 3,000 budgets 164 s and 3.5 GB).
 */
function oneSelector(count: number): string {
  const docs: string[] = [];
  for (let i = 0; i < count; i++) {
    const meta = `{name: web-${i}, namespace: shop}`;
    docs.push(
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: ${meta}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: registry.example.com/web:1.0.0, ports: [{name: http, containerPort: 8080}]}]}`,
      `apiVersion: v1\nkind: Service\nmetadata: ${meta}\nspec: {selector: {app: web}, ports: [{port: 80, targetPort: http}]}`,
      `apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: ${meta}\nspec: {minAvailable: 1, selector: {matchLabels: {app: web}}}`,
    );
  }
  return docs.map((doc) => `---\n${doc}\n`).join('');
}

/** Every rule on a context of `text`: milliseconds. */
function everyRule(text: string): { ms: number; resources: number } {
  const ctx = contextOf(text);
  const started = performance.now();
  runRulesSync(ctx, { rules });
  return { ms: msSince(started), resources: ctx.apps[0].resources.length };
}

/**
 * Every rule on the text `write(n)` gives at n and 2n (a warm-up at n/2 first, so both sizes run
 * compiled), with the ratio: at most 2.5 for twice the size, or a step is quadratic.
 */
function doublingTable(
  title: string,
  sizeName: string,
  n: number,
  write: (size: number) => string,
  meaning: string,
): BenchTable {
  everyRule(write(n / 2));
  const sizes = [n, 2 * n].map((size) => ({ size, ...everyRule(write(size)) }));
  const growth = sizes[1].ms / Math.max(sizes[0].ms, 1);
  return {
    title,
    columns: [sizeName, 'resources', 'ms', 'vs the smaller'],
    rows: sizes.map(({ size, resources, ms }, i) => [
      size.toLocaleString('en-US'),
      resources.toLocaleString('en-US'),
      ms,
      i === 0 ? '1.00' : growth.toFixed(2),
    ]),
    notes: [`Target: twice the ${sizeName} at most 2.5 times the time (${meaning}): ${growth.toFixed(2)}x.`],
  };
}

export const section: BenchSection = {
  name: 'rules',
  async run({ quick }) {
    const count = quick ? 2_000 : 10_000;
    const text = renderedStream(count);
    let start = performance.now();
    parseRenderedYaml(text);
    const parseMs = msSince(start);
    const ctx = contextOf(text);
    start = performance.now();
    const { findings } = runRulesSync(ctx, { rules });
    const allMs = msSince(start);
    // the slowest rules, each alone on a fresh context (their caches are per context)
    const perRule = rules
      .map((rule) => {
        const fresh = contextOf(text);
        const t = performance.now();
        runRulesSync(fresh, { rules: [rule] });
        return [rule.meta.id, msSince(t)] as [string, number];
      })
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5);
    const table: BenchTable = {
      title: `Policy rules over ${count.toLocaleString('en-US')} resources (${rules.length} rules)`,
      columns: ['what', 'ms', 'vs js-yaml parse'],
      rows: [
        ['js-yaml parse of the stream (baseline)', parseMs, '1.00'],
        ['every rule', allMs, (allMs / Math.max(parseMs, 1)).toFixed(2)],
        ...perRule.map(([id, ms]) => [`  ${id} alone`, ms, (ms / Math.max(parseMs, 1)).toFixed(2)]),
      ],
      notes: [`${findings.length} findings. Target: the rules cost no more than parsing the rendered output.`],
    };
    // A rule that looks a workload's HPA, PDB, Secret or ServiceAccount up by walking the environment
    // is quadratic; doubling the services shows it.
    const small = quick ? 250 : 1_000;
    const lookups = doublingTable(
      'Cross-resource lookups: every rule on one environment, each service with its HPA, PDB, Secret, ConfigMap, ServiceAccount, Role, RoleBinding, NetworkPolicy and Ingress',
      'services',
      small,
      (services) => renderedStream(2 * services) + companions(services),
      'no quadratic lookup',
    );
    // The same doubling on one selector shared by every Deployment, Service and budget.
    const oneSelectorTable = doublingTable(
      'One selector for all: every rule on N Deployments, N Services and N PodDisruptionBudgets that all select app: web in one namespace',
      'N',
      quick ? 250 : 1_000,
      oneSelector,
      'each selection answered once, not per pair',
    );
    return [table, lookups, oneSelectorTable];
  },
};
