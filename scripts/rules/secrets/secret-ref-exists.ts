import type { JsonPath, Resource } from '../../types.ts';
import { array, get, isRecord, str } from '../../kube/values.ts';
import {
  producedBy,
  WELL_KNOWN_OPERATOR_SECRETS,
  type Produced,
  type ProducedKind,
} from '../../kube/secret-producers.ts';
import { podTemplateOf, relatedResources, scopeIsComplete, WORKLOAD_KINDS } from '../../kube/workloads.ts';
import { defineRule } from '../../check/contract.ts';

type RefKind = ProducedKind;

interface Reference {
  kind: RefKind;
  name: string;
  key?: string;
  /** Where the name is written, and where the key is (when there is one). */
  namePath: JsonPath;
  keyPath?: JsonPath;
  where: string;
}

export default defineRule({
  meta: {
    id: 'secret-ref-exists',
    description:
      'secretKeyRef, configMapKeyRef, envFrom and volumes name a Secret or ConfigMap the environment defines, and a key it holds.',
    defaultSeverity: 'error',
    category: 'secrets',
    scope: 'resource',
    kinds: WORKLOAD_KINDS,
    reach: 'scope',
    docs: {
      why: `A pod that references a missing Secret or ConfigMap (or a missing key in one) does not start:
it sits in \`CreateContainerConfigError\` (env) or \`ContainerCreating\` (volumes) while the rollout waits.
Typos, a renamed generator, or an ExternalSecret whose \`target.name\` differs from the reference cause it.

A reference is satisfied by anything in the same environment and namespace that makes the object
exist (\`kube/secret-producers.ts\` lists them as data): a Secret or ConfigMap, a kustomize generator
(generated names carry a hash suffix: \`app-config-5f7h9g2k8m\` satisfies \`app-config\`), a SealedSecret
(its template's name), an ExternalSecret (its \`target.name\`, else its name), a cert-manager Certificate
(\`secretName\`), a Service with OpenShift's \`service.beta.openshift.io/serving-cert-secret-name\`
annotation, a Job or pod whose command runs \`kubectl\`/\`oc create secret <type> <name>\`, and the
documented outputs of operators' resources (Strimzi Kafka and KafkaUser, CloudNativePG Cluster,
Crunchy PostgresCluster, RabbitmqCluster, Elasticsearch, Keycloak, StackRox Central, the Argo CD
operator's ArgoCD). Keys are checked when they are knowable: a Secret's or ConfigMap's data, a
SealedSecret's \`encryptedData\`, an ExternalSecret's \`data[].secretKey\` (not with \`dataFrom\` or a
template), a certificate's \`tls.crt\`/\`tls.key\`. References marked \`optional: true\` pass. A reference
to a Secret an operator or installation creates by a fixed name (\`central-htpasswd\`,
\`argocd-initial-admin-secret\`) from an app that does not deploy it is reported as info only.

Secrets created outside the repository (by hand, by an operator) are reported: exempt the workload
with \`ignore-check.gitops.dev/secret-ref-exists: "<who creates it>"\`, or turn the rule down for the
environment in gitops.yaml.`,
      fix: `Correct the name or key, or add the SealedSecret/ExternalSecret that provides it.`,
    },
    examples: {
      bad: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
          env:
            - name: DB_PASSWORD
              valueFrom: {secretKeyRef: {name: postgres-credentials, key: pasword}}
---
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: postgres-credentials, namespace: shop}
spec:
  secretStoreRef: {name: vault, kind: ClusterSecretStore}
  target: {name: postgres-credentials}
  data:
    - secretKey: password
      remoteRef: {key: shop/postgres, property: password}`,
      good: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
          env:
            - name: DB_PASSWORD
              valueFrom: {secretKeyRef: {name: postgres-credentials, key: password}}
---
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: postgres-credentials, namespace: shop}
spec:
  secretStoreRef: {name: vault, kind: ClusterSecretStore}
  target: {name: postgres-credentials}
  data:
    - secretKey: password
      remoteRef: {key: shop/postgres, property: password}`,
    },
  },
  check({ repo, resource, app, report }) {
    const template = podTemplateOf(resource.object);
    if (!template) return;
    const references = referencesOf(template.spec, template.specPath);
    if (references.length === 0) return;
    // Absence proves nothing where part of the scope could not be rendered.
    if (!scopeIsComplete(repo.apps, app)) return;
    const namespace = resource.object.metadata?.namespace ?? '';
    const byName = providersIn(relatedResources(repo.apps, app));
    const missing = new Set<string>();
    for (const reference of references) {
      // an absent namespace on either side may be the same (Argo CD's destination namespace)
      const matches = (byName.get(reference.name) ?? []).filter(
        (p) =>
          p.kind === reference.kind &&
          namesMatch(p.name, reference.name) &&
          (!p.namespace || !namespace || p.namespace === namespace),
      );
      if (matches.length === 0) {
        // a volume's items repeat its name: one finding per missing name
        const at = reference.namePath.join('\0');
        if (missing.has(at)) continue;
        missing.add(at);
        const operator = reference.kind === 'Secret' ? WELL_KNOWN_OPERATOR_SECRETS[reference.name] : undefined;
        report({
          resource,
          path: reference.namePath,
          ...(operator
            ? {
                severity: 'info' as const,
                message: `${reference.where} references Secret "${reference.name}", which ${operator} creates; it is not deployed with this app, so the reference is not checked.`,
              }
            : {
                message: `${reference.where} references ${reference.kind} "${reference.name}", which nothing in this environment defines.`,
              }),
        });
        continue;
      }
      if (reference.key === undefined || matches.some((p) => p.keys === undefined || p.keys.includes(reference.key!)))
        continue;
      const known = [...new Set(matches.flatMap((p) => p.keys ?? []))].sort();
      report({
        resource,
        path: reference.keyPath ?? reference.namePath,
        message: `${reference.where} references key "${reference.key}" of ${reference.kind} "${reference.name}", which has no such key (${known.length ? `keys: ${known.join(', ')}` : 'it has no keys'}; defined by ${matches[0].via}).`,
      });
    }
    return;
  },
});

/** kustomize generators append "-<10 character hash>" to names; references may use the bare name. */
function namesMatch(defined: string, referenced: string): boolean {
  return defined === referenced || generatorBareName(defined) === referenced;
}

/** A generated name's bare name ("web-config" of "web-config-5f7h9g2k8m"), or undefined. */
function generatorBareName(name: string): string | undefined {
  return GENERATED_NAME.exec(name)?.[1];
}

/** A module constant: a regex literal in a function is a new RegExp object each time it runs. */
const GENERATED_NAME = /^(.+)-[a-z0-9]{10}$/;

const providerCache = new WeakMap<Resource[], Map<string, Produced[]>>();

/**
 * Every provider among the related resources by the names a reference may use (its own, and the bare
 * name of a generated one), each list in the order of the resources: worked out once per scope, so
 * each reference looks at the providers of its name, not at every provider of the scope.
 */
function providersIn(resources: Resource[]): Map<string, Produced[]> {
  let byName = providerCache.get(resources);
  if (!byName) {
    byName = new Map();
    const add = (name: string, provider: Produced) => {
      const list = byName!.get(name);
      if (list) list.push(provider);
      else byName!.set(name, [provider]);
    };
    for (const resource of resources)
      for (const provider of producedBy(resource)) {
        add(provider.name, provider);
        const bare = generatorBareName(provider.name);
        if (bare !== undefined) add(bare, provider);
      }
    providerCache.set(resources, byName);
  }
  return byName;
}

function referencesOf(spec: Record<string, unknown>, specPath: JsonPath): Reference[] {
  const out: Reference[] = [];
  const add = (kind: RefKind, ref: unknown, nameField: string, path: JsonPath, where: string, keyField?: string) => {
    const name = str(get(ref, nameField));
    if (!name || get(ref, 'optional') === true) return;
    const key = keyField ? str(get(ref, keyField)) : undefined;
    out.push({
      kind,
      name,
      key,
      namePath: [...path, nameField],
      ...(keyField ? { keyPath: [...path, keyField] } : {}),
      where,
    });
  };
  for (const field of ['initContainers', 'containers'] as const) {
    array(spec[field]).forEach((container, c) => {
      const env = array(get(container, 'env'));
      const envFrom = array(get(container, 'envFrom'));
      // Most containers read no Secret or ConfigMap: no path or name is made for them.
      if (env.length === 0 && envFrom.length === 0) return;
      const containerPath: JsonPath = [...specPath, field, c];
      const containerName = str(get(container, 'name')) ?? `#${c}`;
      env.forEach((variable, i) => {
        const where = `Env var "${str(get(variable, 'name')) ?? i}" of container "${containerName}"`;
        add(
          'Secret',
          get(variable, 'valueFrom', 'secretKeyRef'),
          'name',
          [...containerPath, 'env', i, 'valueFrom', 'secretKeyRef'],
          where,
          'key',
        );
        add(
          'ConfigMap',
          get(variable, 'valueFrom', 'configMapKeyRef'),
          'name',
          [...containerPath, 'env', i, 'valueFrom', 'configMapKeyRef'],
          where,
          'key',
        );
      });
      envFrom.forEach((source, i) => {
        const where = `envFrom of container "${containerName}"`;
        add('Secret', get(source, 'secretRef'), 'name', [...containerPath, 'envFrom', i, 'secretRef'], where);
        add('ConfigMap', get(source, 'configMapRef'), 'name', [...containerPath, 'envFrom', i, 'configMapRef'], where);
      });
    });
  }
  array(spec.volumes).forEach((volume, v) => {
    const volumePath: JsonPath = [...specPath, 'volumes', v];
    const where = `Volume "${str(get(volume, 'name')) ?? v}"`;
    const withItems = (kind: RefKind, ref: unknown, nameField: string, path: JsonPath) => {
      add(kind, ref, nameField, path, where);
      if (!str(get(ref, nameField)) || get(ref, 'optional') === true) return;
      array(get(ref, 'items')).forEach((item, i) => {
        const key = str(get(item, 'key'));
        if (key)
          out.push({
            kind,
            name: String(get(ref, nameField)),
            key,
            namePath: [...path, nameField],
            keyPath: [...path, 'items', i, 'key'],
            where,
          });
      });
    };
    const secret = get(volume, 'secret');
    if (isRecord(secret)) withItems('Secret', secret, 'secretName', [...volumePath, 'secret']);
    const configMap = get(volume, 'configMap');
    if (isRecord(configMap)) withItems('ConfigMap', configMap, 'name', [...volumePath, 'configMap']);
    array(get(volume, 'projected', 'sources')).forEach((source, s) => {
      const sourcePath: JsonPath = [...volumePath, 'projected', 'sources', s];
      if (isRecord(get(source, 'secret')))
        withItems('Secret', get(source, 'secret'), 'name', [...sourcePath, 'secret']);
      if (isRecord(get(source, 'configMap')))
        withItems('ConfigMap', get(source, 'configMap'), 'name', [...sourcePath, 'configMap']);
    });
  });
  return out;
}
