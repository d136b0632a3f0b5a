// Complete manifests for rules' documented examples (meta.examples): the catalog test runs each one
// through the real pipeline, so an example is a whole object a person can copy, not a fragment.

/** YAML text indented by `spaces` (every line, the first included). */
function indented(text: string, spaces: number): string {
  return text
    .trim()
    .split('\n')
    .map((line) => (line ? ' '.repeat(spaces) + line : line))
    .join('\n');
}

export interface ExampleWorkload {
  kind?: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  name?: string;
  /** Lines of the workload's spec besides selector and template (replicas, strategy). */
  spec?: string;
  /** Lines of the pod spec besides containers. */
  pod?: string;
  /** Lines of the one container besides name and image. */
  container?: string;
}

/** A Deployment (or StatefulSet, DaemonSet) in namespace shop with one container. */
export function exampleWorkload(example: ExampleWorkload = {}): string {
  const name = example.name ?? 'web';
  const lines = [
    'apiVersion: apps/v1',
    `kind: ${example.kind ?? 'Deployment'}`,
    `metadata: {name: ${name}, namespace: shop}`,
    'spec:',
    ...(example.spec ? [indented(example.spec, 2)] : []),
    `  selector: {matchLabels: {app: ${name}}}`,
    '  template:',
    `    metadata: {labels: {app: ${name}}}`,
    '    spec:',
    ...(example.pod ? [indented(example.pod, 6)] : []),
    '      containers:',
    `        - name: ${name}`,
    '          image: ghcr.io/acme/web:1.4.2',
    ...(example.container ? [indented(example.container, 10)] : []),
  ];
  return lines.join('\n');
}
