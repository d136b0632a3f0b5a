import type { Finding } from '../../types.ts';
import type { ResourceRule } from '../rule.ts';
import { findingAt, ruleOptions } from '../rule.ts';
import { array } from '../values.ts';
import { imageContainersOf } from '../workloads.ts';
import { parseImage } from './image-ref.ts';

export const imageTagPinned: ResourceRule = {
  scope: 'resource',
  meta: {
    id: 'image-tag-pinned',
    description: 'Images name a fixed tag (not latest, not missing); environments can require digests.',
    defaultSeverity: 'error',
    category: 'images',
    docs: `\`latest\` (or no tag, which means \`latest\`) is whatever was pushed last. The rendered manifests
do not change when the image does, so Argo CD cannot show what is deployed, a node restart silently
upgrades pods, two pods of one Deployment run different code, and a rollback is impossible.

Tags are mutable too; a digest (\`@sha256:...\`) is not. Set
\`lint.rules.image-tag-pinned.options.requireDigestIn: [prod]\` to require digests in some environments.

**How to fix:** pin a version tag in the overlay's \`images:\` list (\`newTag\`), or a digest (\`digest\`).`,
    examples: {
      bad: `images:
  - name: ghcr.io/acme/web
    newTag: latest`,
      good: `images:
  - name: ghcr.io/acme/web
    newTag: 1.4.2
    # or, where digests are required:
    # digest: sha256:4b9f0c...`,
    },
  },
  check(ctx, resource) {
    const requireDigestIn = array(ruleOptions(ctx, this.meta.id).requireDigestIn).map(String);
    const digestRequired = resource.origin.env !== undefined && requireDigestIn.includes(resource.origin.env);
    const findings: Finding[] = [];
    for (const { container, name, path } of imageContainersOf(resource.object)) {
      // Tekton's $(params.x) and OpenShift Template's ${X} are filled in when the object is used.
      if (typeof container.image !== 'string' || /\$[({]/.test(container.image)) continue;
      const ref = parseImage(container.image);
      let problem: string | undefined;
      if (ref.digest) continue;
      if (ref.tag === undefined) problem = `has no tag, so it runs whatever "latest" is`;
      else if (ref.tag === 'latest') problem = 'uses the mutable "latest" tag';
      else if (digestRequired) problem = `is not pinned by digest, which ${resource.origin.env} requires`;
      if (problem)
        findings.push(
          findingAt(
            this.meta,
            resource,
            [...path, 'image'],
            `Image "${container.image}" of container "${name}" ${problem}.`,
          ),
        );
    }
    return findings;
  },
};
