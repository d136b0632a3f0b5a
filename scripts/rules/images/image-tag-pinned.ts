import { array } from '../../kube/values.ts';
import { imageContainersOf } from '../../kube/workloads.ts';
import {
  imageReferenceProblem,
  isChannelTag,
  isFloatingTag,
  isParameterisedImage,
  parseImage,
} from '../../kube/image-ref.ts';
import { defineRule } from '../../check/contract.ts';

export default defineRule({
  meta: {
    id: 'image-tag-pinned',
    description:
      'Images name a version tag or a digest (not latest, not a word like stable or main, not missing); environments can require digests.',
    defaultSeverity: 'error',
    category: 'images',
    scope: 'resource',
    reach: 'scope',
    docs: {
      why: `\`latest\` (or no tag, which means \`latest\`) is whatever was pushed last. The rendered manifests
do not change when the image does, so Argo CD cannot show what is deployed, a node restart silently
upgrades pods, two pods of one Deployment run different code, and a rollback is impossible.

The same holds for the channel tags publishers move on every release: \`alpine\`, \`stable\`, \`main\`,
\`edge\`, \`nightly\` (an error). Another tag that names no version (\`blue\`, \`secure-port\`) may have been
pushed once and never moved, so it is a warning: only a version or a digest says which build runs. A tag with a version number in it (\`1.4.2\`, \`v2\`, \`3.19-alpine\`, \`4.10-1\`) or a
commit id passes. Version tags are mutable too; a digest (\`@sha256:...\`) is not. Set
\`lint.rules.image-tag-pinned.options.requireDigestIn: [prod]\` to require digests in some environments.`,
      fix: `Pin a version tag in the overlay's \`images:\` list (\`newTag\`), or a digest (\`digest\`).`,
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
          image: ghcr.io/acme/web:latest`,
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
          image: ghcr.io/acme/web:1.4.2`,
    },
    options: {
      type: 'object',
      additionalProperties: false,
      properties: {
        requireDigestIn: {
          type: 'array',
          items: { type: 'string' },
          description: 'Environments whose images must name a digest (@sha256:...), not only a tag.',
        },
      },
    },
  },
  check({ resource, options, report }) {
    for (const { container, name, path } of imageContainersOf(resource.object)) {
      if (typeof container.image !== 'string' || isParameterisedImage(container.image)) continue;
      const ref = parseImage(container.image);
      let problem: string | undefined;
      let doubt = false;
      if (ref.digest) continue;
      if (ref.tag === undefined) problem = `has no tag, so it runs whatever "latest" is`;
      else if (ref.tag === 'latest') problem = 'uses the mutable "latest" tag';
      else if (isChannelTag(ref.tag))
        problem = `uses the tag "${ref.tag}", a channel its publisher moves with every release`;
      else if (isFloatingTag(ref.tag)) {
        problem = `uses the tag "${ref.tag}", which names no version: nothing says which build runs`;
        doubt = true;
      } else if (digestRequiredIn(resource.origin.env, options.requireDigestIn))
        problem = `is not pinned by digest, which ${resource.origin.env} requires`;
      // An image that is not a reference at all is image-reference-valid's; asked only of an image this
      // rule would report, since most images pass and the grammar check is the costly part.
      if (problem && !imageReferenceProblem(container.image))
        report({
          resource,
          path: [...path, 'image'],
          message: `Image "${container.image}" of container "${name}" ${problem}.`,
          ...(doubt ? { severity: 'warning' as const } : {}),
        });
    }
    return;
  },
});

/**
 * Whether the environment is one of requireDigestIn's: asked only of an image pinned by a tag, without
 * making a list of the option's values for every object.
 */
function digestRequiredIn(env: string | undefined, requireDigestIn: unknown): boolean {
  return env !== undefined && array(requireDigestIn).some((name) => String(name) === env);
}
