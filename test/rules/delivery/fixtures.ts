// YAML builders for the delivery rules' tests: a Rollout (own template or workloadRef), its Services,
// analysis templates and traffic routing, all in namespace shop.

import type { RepoContext } from '../../../scripts/types.ts';
import { single } from '../helpers.ts';

export function rollout(strategy: string, extra: { name?: string; spec?: string; labels?: string } = {}): string {
  const name = extra.name ?? 'web';
  const labels = extra.labels ?? `{app: ${name}}`;
  const template = extra.spec?.includes('workloadRef')
    ? ''
    : `  template:
    metadata: {labels: ${labels}}
    spec:
      containers:
        - {name: ${name}, image: ghcr.io/acme/web:1.4.2}
`;
  return `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {matchLabels: {app: ${name}}}
${extra.spec ? extra.spec.replace(/^/gm, '  ') + '\n' : ''}${template}  strategy:
${strategy.replace(/^/gm, '    ')}
`;
}

export function deploymentYaml(name = 'web', spec = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
${spec ? spec.replace(/^/gm, '  ') + '\n' : ''}  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
        - {name: ${name}, image: ghcr.io/acme/web:1.4.2}
`;
}

export function serviceYaml(name: string, selector = '{app: web}'): string {
  return `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: shop}
spec:
  selector: ${selector}
  ports:
    - {name: http, port: 80}
`;
}

export function analysisTemplate(name: string, args: string[] = []): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: ${name}, namespace: shop}
spec:
${args.length ? `  args:\n${args.map((arg) => `    - name: ${arg}`).join('\n')}\n` : ''}  metrics:
    - name: success-rate
      successCondition: result[0] >= 0.99
      provider: {prometheus: {address: http://prometheus:9090, query: up}}
`;
}

export const docs = (...documents: string[]) => documents.join('---\n');

/** One app of `yaml` whose render was partial (a remote base): existence rules must stay quiet in it. */
export function partialScope(yaml: string): RepoContext {
  const ctx = single(yaml);
  ctx.apps = ctx.apps.map((each) => ({ ...each, partial: 'remote-base' }));
  return ctx;
}

/** A Flagger Canary targeting Deployment `target`; `spec` is YAML appended under spec (two spaces in). */
export function flaggerCanary(spec = '', target = 'web'): string {
  return `apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: ${target}, namespace: shop}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: ${target}}
  service: {port: 80}
${spec ? spec.replace(/^/gm, '  ') + '\n' : ''}`;
}

/** An autoscaling/v2 HPA named `name` on Deployment `target`; `metrics` is YAML for spec.metrics. */
export function hpaYaml(name: string, target: string, metrics = ''): string {
  return `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: ${name}, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${target}}
  minReplicas: 2
  maxReplicas: 10
${metrics ? `  metrics:\n${metrics.replace(/^/gm, '    ')}\n` : ''}`;
}

/** A KEDA ScaledObject on Deployment `target` with a Kafka trigger; `extra` is YAML appended under spec. */
export function scaledObjectYaml(name: string, target: string, extra = '', annotations = ''): string {
  return `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: ${name}
  namespace: shop
${annotations ? `  annotations:\n${annotations.replace(/^/gm, '    ')}\n` : ''}spec:
  scaleTargetRef: {name: ${target}}
  triggers:
    - type: kafka
      metadata: {bootstrapServers: kafka:9092, consumerGroup: orders, topic: orders, lagThreshold: "50"}
${extra ? extra.replace(/^/gm, '  ') + '\n' : ''}`;
}
