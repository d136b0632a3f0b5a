import type { JsonPath, Resource } from '../../types.ts';
import { array, get, isRecord, record, str } from '../../kube/values.ts';
import { containersOf, podTemplateOf } from '../../kube/workloads.ts';
import { detectSecret } from '../../kube/secret-detect.ts';
import { assignmentLine } from '../../kube/assignment-line.ts';
import { defineRule } from '../../check/contract.ts';

/** Annotations that tools write with a copy of the object: scanning them would double-report. */
const COPY_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

/** Objects whose whole purpose is to hold (encrypted or referenced) secrets: other rules own them. */
const SECRET_HOLDERS = new Set([
  'Secret',
  'SealedSecret',
  'ExternalSecret',
  'ClusterExternalSecret',
  'PushSecret',
  'SecretStore',
  'ClusterSecretStore',
]);

interface Candidate {
  path: JsonPath;
  value: string;
  /** The name the value sits under, when there is one. */
  name?: string;
  /** Where the value is, for the message: 'env var "DB_URL"'. */
  where: string;
  /** Read from a line of a script or embedded config file (an assignment in code, not a field). */
  inCode?: boolean;
}

export default defineRule({
  meta: {
    id: 'no-secret-literals',
    description: 'No credentials in env values, args, ConfigMaps, annotations or connection strings.',
    defaultSeverity: 'error',
    category: 'secrets',
    scope: 'resource',
    reach: 'scope',
    everyTrackedFile: true,
    docs: {
      why: `A credential written into a manifest is as public as a plaintext Secret, and harder to spot:
a \`postgresql://app:s3cret@db:5432/shop\` URL in an env var, a \`--password=...\` argument, an API token in
a ConfigMap or an annotation. This rule looks in container env values, command and args, ConfigMap
data (including \`key=value\` and \`key: value\` lines of embedded config files), annotations, and
Argo CD Applications' Helm values and parameters for:

- connection strings with a password (\`scheme://user:password@host\`);
- the credential formats of secretlint's recommended rule preset (GitHub, GitLab, Slack, npm,
  SendGrid, Shopify, OpenAI, Anthropic, Hugging Face, Vault, Docker and cloud providers' tokens and
  keys), plus private key blocks, AWS access key ids, GCP service account keys and Google API keys;
- the same formats inside a value that is base64-encoded (an annotation, a ConfigMap entry);
- literal values under password-like names, and high-entropy values under secret-looking names
  (\`*_TOKEN\`, \`*_SECRET\`, \`API_KEY\`...).

Placeholders (\`\${DB_PASSWORD}\`, \`$(DB_PASSWORD)\`, \`{{ .password }}\`, \`<password>\`, \`changeme\`) and
names that only point at a credential (\`*_FILE\`, \`*_PATH\`, \`*_URL\` without a password) pass. Shell code
is not a literal: a value computed when the script runs (\`PASSWORD=$(oc get secret ...)\`, backticks,
\`\${VAR:-}\`, \`$TOKEN\`) passes, and so does prose assigned in a script or config file
(\`PASSWORD="not set"\`); a credential pattern (a token, a key, a URL with a password) is still found
inside code. Findings never print the value.`,
      fix: `Put the credential in a SealedSecret or ExternalSecret and reference it with
\`valueFrom.secretKeyRef\`; build connection strings from env references (\`$(DB_PASSWORD)\`). Rotate the
credential: it is in the Git history.`,
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
            - name: DATABASE_URL
              value: postgresql://shop:s3cr3t-pa55@postgres:5432/shop`,
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
              valueFrom: {secretKeyRef: {name: postgres, key: password}}
            - name: DATABASE_URL
              value: postgresql://shop:$(DB_PASSWORD)@postgres:5432/shop`,
    },
  },
  check({ resource, report }) {
    if (SECRET_HOLDERS.has(resource.object.kind ?? '')) return;
    // Made when the first credential is found: most objects have none.
    let reported: Set<string> | undefined;
    for (const candidate of candidates(resource)) {
      const kind = detectSecret(candidate.value, candidate.name, { inCode: candidate.inCode });
      if (!kind) continue;
      const key = candidate.path.join('\0');
      // A config file in one ConfigMap key is scanned whole and line by line: one finding per field.
      reported ??= new Set();
      if (reported.has(key)) continue;
      reported.add(key);
      report({
        resource,
        path: candidate.path,
        message: `${candidate.where} holds ${kind}; the value is not shown.`,
        hint: 'Move it into a SealedSecret or ExternalSecret, reference it with secretKeyRef, and rotate it: it is in the Git history.',
      });
    }
    return;
  },
});

/** `command` and `args`: hoisted, so no list is made for each container. */
const ARGUMENT_FIELDS = ['command', 'args'] as const;

function candidates(resource: Resource): Candidate[] {
  const object = resource.object;
  const out: Candidate[] = [];
  const annotations = object.metadata?.annotations;
  if (isRecord(annotations))
    for (const [key, value] of Object.entries(annotations)) {
      if (typeof value === 'string' && !COPY_ANNOTATIONS.has(key))
        textCandidates(out, ['metadata', 'annotations', key], value, key, `Annotation "${key}"`);
    }
  if (object.kind === 'ConfigMap') {
    for (const [key, value] of Object.entries(record(object.data))) {
      if (typeof value === 'string') textCandidates(out, ['data', key], value, key, `ConfigMap key "${key}"`);
    }
  }
  if (object.kind === 'Application' && (object.apiVersion ?? '').startsWith('argoproj.io/')) {
    for (const [index, source] of [get(object, 'spec', 'source'), ...array(get(object, 'spec', 'sources'))].entries()) {
      const base: JsonPath = index === 0 ? ['spec', 'source'] : ['spec', 'sources', index - 1];
      const values = str(get(source, 'helm', 'values'));
      if (values) textCandidates(out, [...base, 'helm', 'values'], values, undefined, 'Helm values');
      array(get(source, 'helm', 'parameters')).forEach((parameter, i) => {
        const value = get(parameter, 'value');
        const name = str(get(parameter, 'name'));
        if (typeof value === 'string')
          out.push({
            path: [...base, 'helm', 'parameters', i, 'value'],
            value,
            name,
            where: `Helm parameter "${name ?? i}"`,
          });
      });
    }
  }
  const template = podTemplateOf(object);
  if (template) {
    for (const { container, name, path } of containersOf(template)) {
      array(container.env).forEach((variable, i) => {
        const value = get(variable, 'value');
        const variableName = str(get(variable, 'name'));
        if (typeof value === 'string')
          out.push({
            path: [...path, 'env', i, 'value'],
            value,
            name: variableName,
            where: `Env var "${variableName ?? i}" of container "${name}"`,
          });
      });
      for (const field of ARGUMENT_FIELDS) {
        const items = container[field];
        // Most containers have no command or args: no path or label is made for them.
        if (!Array.isArray(items) || items.length === 0) continue;
        argumentCandidates(
          out,
          items,
          [...path, field],
          `${field === 'args' ? 'An argument' : 'The command'} of container "${name}"`,
        );
      }
    }
  }
  return out;
}

/**
 * A value, and for multi-line text (an embedded config file) each `key=value` or `key: value` line,
 * appended to `out` (no list of its own for each value).
 */
function textCandidates(out: Candidate[], path: JsonPath, text: string, name: string | undefined, where: string): void {
  if (!text.includes('\n')) {
    out.push({ path, value: text, name, where });
    return;
  }
  out.push({ path, value: text, where });
  for (const line of text.split('\n')) {
    const assignment = assignmentLine(line);
    if (assignment?.value) out.push({ path, value: assignment.value, name: assignment.name, where, inCode: true });
  }
}

// Module constants: a regex literal in a function is a new RegExp object each time it runs.
const FLAG_WITH_VALUE = /^--?([A-Za-z0-9_.-]+)=(.*)$/s;
const FLAG = /^--?[A-Za-z]/;

/** `--db-password=x` and `--db-password x` give the flag as the name of the value. */
function argumentCandidates(out: Candidate[], items: unknown[], path: JsonPath, where: string): void {
  items.forEach((item, i) => {
    if (typeof item !== 'string') return;
    const flag = FLAG_WITH_VALUE.exec(item);
    if (flag) {
      out.push({ path: [...path, i], value: flag[2], name: flag[1], where });
      return;
    }
    const previous = items[i - 1];
    const name =
      typeof previous === 'string' && FLAG.test(previous) && !previous.includes('=')
        ? previous.replace(/^-+/, '')
        : undefined;
    textCandidates(out, [...path, i], item, name, where);
  });
}
