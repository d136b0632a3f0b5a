import { imageContainersOf } from '../../kube/workloads.ts';
import { isParameterisedImage, parseImage } from '../../kube/image-ref.ts';
import { defineRule } from '../../check/contract.ts';
import { trimEndChar } from '../../safe/text.ts';

/** No registries: one shared empty list, not a new one for each object. */
const NONE: readonly string[] = Object.freeze([]);

export default defineRule({
  meta: {
    id: 'image-registry-allowed',
    description: 'Images come from the registries gitops.yaml allows (lint.allowedRegistries).',
    defaultSeverity: 'error',
    category: 'images',
    scope: 'resource',
    reach: 'scope',
    docs: {
      why: `Images pulled from anywhere bypass the supply-chain controls a platform puts on its own
registry (vulnerability scanning, signing, retention), fail when a public registry rate-limits the
cluster (Docker Hub), and are a typo away from a typosquatted image.

List the allowed registries, or registry paths, in \`gitops.yaml\` under \`lint.allowedRegistries\`
(for example \`[ghcr.io/acme, registry.k8s.io]\`); images without a registry host are Docker Hub
(\`docker.io\`). Without a list the rule checks nothing.`,
      fix: `Mirror the image into an allowed registry and point the overlay's \`images:\`
\`newName\` at it, or add the registry to the list.`,
    },
    examples: {
      bad: `# file: gitops.yaml
lint:
  allowedRegistries: [ghcr.io/acme]
# file: web.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: docker.io/bitnami/redis:7.2`,
      good: `# file: gitops.yaml
lint:
  allowedRegistries: [ghcr.io/acme]
# file: web.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/mirror/redis:7.2`,
    },
    options: {
      type: 'object',
      additionalProperties: false,
      properties: {
        allowedRegistries: {
          type: 'array',
          items: { type: 'string' },
          description: 'More allowed registries or registry paths, added to lint.allowedRegistries.',
        },
      },
    },
  },
  check({ repo, resource, options, report }) {
    const fromConfig = repo.config?.lint?.allowedRegistries ?? NONE;
    const fromOptions = Array.isArray(options.allowedRegistries) ? (options.allowedRegistries as unknown[]) : NONE;
    // Without a list (the usual run) the rule checks nothing: return before any list is made.
    if (fromConfig.length === 0 && fromOptions.length === 0) return;
    const allowed = [...fromConfig, ...fromOptions.map(String)];
    for (const { container, name, path } of imageContainersOf(resource.object)) {
      if (typeof container.image !== 'string' || isParameterisedImage(container.image)) continue;
      const ref = parseImage(container.image);
      const full = `${ref.registry}/${ref.repository}`;
      const ok = allowed.some((entry) => {
        const prefix = trimEndChar(entry, '/');
        return full === prefix || full.startsWith(`${prefix}/`);
      });
      if (!ok)
        report({
          resource,
          path: [...path, 'image'],
          message: `Image "${container.image}" of container "${name}" comes from ${ref.registry}, which is not an allowed registry (${allowed.join(', ')}).`,
        });
    }
    return;
  },
});
