// Who makes a Secret or ConfigMap exist in the cluster, as data: each producer is an object of the
// repository (a Secret, a SealedSecret, an operator's custom resource, an annotated Service, a Job that
// runs `kubectl create secret`) and the names (and keys, when knowable) of what it makes. References
// are checked against these (rules/secrets/secret-ref-exists.ts).
import type { KubeObject, Resource } from '../types.ts';
import { skipSpace, wordStartsAt } from '../safe/text.ts';
import { array, get, isRecord, record, str } from './values.ts';
import { containersOf, podTemplateOf } from './workloads.ts';

export type ProducedKind = 'Secret' | 'ConfigMap';

/** Something in the repository that makes a Secret or ConfigMap exist in the cluster. */
export interface Produced {
  kind: ProducedKind;
  name: string;
  namespace: string;
  /** The keys it will hold, or undefined when they cannot be known from the repository. */
  keys?: string[];
  /** What makes it, for messages: 'ExternalSecret "db"'. */
  via: string;
}

interface Producer {
  /** The object's group ('' for the core group) and kind, or a predicate for kinds defined by a field. */
  group: string;
  kind: string;
  produces(object: KubeObject, name: string): Omit<Produced, 'namespace' | 'via'>[];
  /** What to call it in messages, when not `<kind> "<name>"`. */
  describe?: (object: KubeObject, name: string) => string;
}

const keysOf = (...maps: unknown[]) => maps.flatMap((m) => Object.keys(record(m)));
const secret = (name: string | undefined, keys?: string[]) =>
  name ? [{ kind: 'Secret' as const, name, ...(keys ? { keys } : {}) }] : [];
const TLS_KEYS = ['tls.crt', 'tls.key'];

/** The OpenShift service CA writes a serving certificate for a Service that asks with this annotation. */
const SERVING_CERT_ANNOTATIONS = [
  'service.beta.openshift.io/serving-cert-secret-name',
  'service.alpha.openshift.io/serving-cert-secret-name',
];

const SECRET_TYPES = ['generic', 'tls', 'docker-registry'];
const isNameStart = (code: number) => (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39);
const isNameChar = (code: number) => isNameStart(code) || code === 0x2e || code === 0x2d;
/** `\n`, `;`, `|`, `&`: where a command ends. */
const isCommandEnd = (code: number) => code === 0x0a || code === 0x3b || code === 0x7c || code === 0x26;

/** `create\s+secret\s+(?:generic|tls|docker-registry)\s+([a-z0-9][a-z0-9.-]*)` at `at`: the name and its end. */
function createSecretAt(text: string, at: number): { name: string; end: number } | undefined {
  if (!wordStartsAt(text, at)) return undefined;
  let from = at + 'create'.length;
  let to = skipSpace(text, from);
  if (to === from || !text.startsWith('secret', to)) return undefined;
  from = to + 'secret'.length;
  to = skipSpace(text, from);
  const type = to > from ? SECRET_TYPES.find((t) => text.startsWith(t, to)) : undefined;
  if (!type) return undefined;
  from = to + type.length;
  to = skipSpace(text, from);
  if (to === from || !isNameStart(text.charCodeAt(to))) return undefined;
  let end = to + 1;
  while (end < text.length && isNameChar(text.charCodeAt(end))) end++;
  return { name: text.slice(to, end), end };
}

/**
 * The names `kubectl create secret generic NAME` / `oc create secret tls NAME` create in a container's
 * command or args: the captures of
 * `/\b(?:kubectl|oc)\b[^\n;|&]*?\bcreate\s+secret\s+(?:generic|tls|docker-registry)\s+([a-z0-9][a-z0-9.-]*)/g`,
 * in linear time. The regex read from every `oc` word to the end of its command looking for `create`
 * (quadratic in a line of `oc`s); here the first `create secret …` after a command word and the end of
 * that command are found once and kept for the next command words, which lie before them.
 */
export function createdSecretNames(text: string): string[] {
  const names: string[] = [];
  const command = /\b(?:kubectl|oc)\b/g; // fixed words: one step per position
  let commandEnd = -1; // the first \n ; | & at or after the last command word (text.length: none)
  let create: { at: number; name: string; end: number } | undefined; // the first after it
  let noCreate = false; // none after the last command word looked from
  for (let word = command.exec(text); word; word = command.exec(text)) {
    const after = word.index + word[0].length;
    if (commandEnd < after) {
      commandEnd = after;
      while (commandEnd < text.length && !isCommandEnd(text.charCodeAt(commandEnd))) commandEnd++;
    }
    if (!noCreate && (!create || create.at < after)) {
      create = undefined;
      for (let at = text.indexOf('create', after); at >= 0; at = text.indexOf('create', at + 1)) {
        const found = createSecretAt(text, at);
        if (found) {
          create = { at, ...found };
          break;
        }
      }
      noCreate = !create;
    }
    if (create && create.at < commandEnd) {
      names.push(create.name);
      command.lastIndex = create.end;
    }
  }
  return names;
}

const PRODUCERS: Producer[] = [
  {
    group: '',
    kind: 'Secret',
    // a Secret the cluster fills in (service account tokens) or with no data yet: keys unknown
    produces: (o, name) => {
      const keys = keysOf(o.data, o.stringData);
      return secret(name, keys.length ? keys : undefined);
    },
  },
  {
    group: '',
    kind: 'ConfigMap',
    produces: (o, name) => [{ kind: 'ConfigMap', name, keys: keysOf(o.data, o.binaryData) }],
  },
  {
    group: 'bitnami.com',
    kind: 'SealedSecret',
    produces: (o, name) =>
      secret(
        str(get(o, 'spec', 'template', 'metadata', 'name')) ?? name,
        keysOf(get(o, 'spec', 'encryptedData'), get(o, 'spec', 'template', 'data')),
      ),
  },
  {
    group: 'external-secrets.io',
    kind: 'ExternalSecret',
    produces: (o, name) => {
      const spec = record(o.spec);
      const knowable = !spec.dataFrom && !isRecord(get(spec, 'target', 'template'));
      const keys = array(spec.data)
        .map((d) => str(get(d, 'secretKey')))
        .filter((k): k is string => !!k);
      return secret(str(get(spec, 'target', 'name')) ?? name, knowable ? keys : undefined);
    },
  },
  {
    // the retired kubernetes-external-secrets (GoDaddy): data[].name are the keys
    group: 'kubernetes-client.io',
    kind: 'ExternalSecret',
    produces: (o, name) =>
      secret(
        name,
        array(get(o, 'spec', 'data'))
          .map((d) => str(get(d, 'name')))
          .filter((k): k is string => !!k),
      ),
  },
  {
    group: 'cert-manager.io',
    kind: 'Certificate',
    produces: (o) => secret(str(get(o, 'spec', 'secretName')), [...TLS_KEYS, 'ca.crt']),
  },
  {
    group: '',
    kind: 'Service',
    produces: (o) =>
      SERVING_CERT_ANNOTATIONS.flatMap((annotation) => secret(str(o.metadata?.annotations?.[annotation]), TLS_KEYS)),
    describe: (_, name) => `the OpenShift service CA (serving-cert annotation of Service "${name}")`,
  },
  // Operators' documented outputs, made when their custom resource is deployed.
  {
    group: 'kafka.strimzi.io',
    kind: 'Kafka',
    produces: (_, name) => [
      ...secret(`${name}-cluster-ca-cert`, ['ca.crt', 'ca.p12', 'ca.password']),
      ...secret(`${name}-clients-ca-cert`, ['ca.crt', 'ca.p12', 'ca.password']),
    ],
  },
  {
    group: 'kafka.strimzi.io',
    kind: 'KafkaUser',
    produces: (o, name) => secret(str(get(o, 'spec', 'template', 'secret', 'metadata', 'name')) ?? name),
  },
  {
    group: 'postgresql.cnpg.io',
    kind: 'Cluster',
    produces: (_, name) =>
      ['app', 'superuser', 'ca', 'server', 'replication'].flatMap((suffix) => secret(`${name}-${suffix}`)),
  },
  {
    group: 'postgres-operator.crunchydata.com',
    kind: 'PostgresCluster',
    produces: (o, name) => {
      const users = array(get(o, 'spec', 'users'))
        .map((u) => str(get(u, 'name')))
        .filter((u): u is string => !!u);
      return (users.length ? users : [name]).flatMap((user) => secret(`${name}-pguser-${user}`));
    },
  },
  {
    group: 'rabbitmq.com',
    kind: 'RabbitmqCluster',
    produces: (_, name) => [...secret(`${name}-default-user`), ...secret(`${name}-erlang-cookie`)],
  },
  {
    group: 'elasticsearch.k8s.elastic.co',
    kind: 'Elasticsearch',
    produces: (_, name) => [...secret(`${name}-es-elastic-user`), ...secret(`${name}-es-http-certs-public`)],
  },
  {
    group: 'k8s.keycloak.org',
    kind: 'Keycloak',
    produces: (_, name) => secret(`${name}-initial-admin`, ['username', 'password']),
  },
  {
    group: 'platform.stackrox.io',
    kind: 'Central',
    produces: () => [...secret('central-htpasswd', ['password', 'htpasswd']), ...secret('central-tls')],
  },
  {
    group: 'argoproj.io',
    kind: 'ArgoCD',
    produces: (_, name) => [...secret(`${name}-cluster`, ['admin.password']), ...secret(`${name}-ca`)],
  },
];

/**
 * Secrets an operator or an installation creates by a fixed name in its own namespace, for references
 * to them from apps that do not deploy the operator's resource (it sits in another app, often a remote
 * base): the reference is to the platform, not a typo.
 */
export const WELL_KNOWN_OPERATOR_SECRETS: Record<string, string> = {
  'central-htpasswd': "the StackRox (RHACS) operator's Central",
  'argocd-initial-admin-secret': 'the Argo CD installation',
  'argocd-secret': 'the Argo CD installation',
};

function groupOf(object: KubeObject): string {
  const apiVersion = object.apiVersion ?? '';
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

/** What one object produces: by its kind, and by the Jobs and pods whose commands create Secrets. */
export function producedBy(resource: Resource): Produced[] {
  const object = resource.object;
  const namespace = object.metadata?.namespace ?? '';
  const name = object.metadata?.name ?? '';
  const out: Produced[] = [];
  const group = groupOf(object);
  for (const producer of PRODUCERS) {
    if (producer.kind !== object.kind || producer.group !== group) continue;
    const via = producer.describe ? producer.describe(object, name) : `${object.kind} "${name}"`;
    for (const made of producer.produces(object, name)) out.push({ ...made, namespace, via });
  }
  const template = podTemplateOf(object);
  if (template) {
    for (const { container } of containersOf(template)) {
      const text = [...array(container.command), ...array(container.args)]
        .filter((a) => typeof a === 'string')
        .join('\n');
      for (const secretName of createdSecretNames(text))
        out.push({
          kind: 'Secret',
          name: secretName,
          namespace,
          via: `${object.kind} "${name}" (its command creates it)`,
        });
    }
  }
  return out;
}
