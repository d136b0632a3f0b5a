import { imageContainersOf } from '../../kube/workloads.ts';
import { imageReferenceProblem, isParameterisedImage } from '../../kube/image-ref.ts';
import { exampleWorkload } from '../../kube/examples.ts';
import { defineRule } from '../../check/contract.ts';

/** At most this much of a bad image is quoted in a message (a hostile one may be a whole file). */
const QUOTE_LIMIT = 80;

function quote(image: string): string {
  const shown = image.length > QUOTE_LIMIT ? `${image.slice(0, QUOTE_LIMIT)}...` : image;
  return JSON.stringify(shown);
}

export default defineRule({
  meta: {
    id: 'image-reference-valid',
    description: 'Every image is a valid image reference ([registry/]name[:tag][@digest], no spaces).',
    defaultSeverity: 'error',
    category: 'images',
    scope: 'resource',
    reach: 'scope',
    docs: {
      why: `An image the container runtime cannot parse never starts: the pod sits in \`InvalidImageName\`
while the rollout waits and Argo CD reports the app Progressing, then Degraded. Spaces and line breaks
(a value pasted with its newline, a YAML block scalar), upper-case letters in the repository, a tag
with \`/\` or \`+\` or longer than 128 characters, and a digest that is not \`<algorithm>:<hex>\` all do it.
The grammar is the one of github.com/distribution/reference, which the generator also applies to
gitops.yaml's images.

An error: the pod cannot run. Parameterised images (\`$(params.image)\`, \`\${IMAGE}\`) are filled in
later and not checked.`,
      fix: `Write the image as \`registry/name:tag\` or \`registry/name@sha256:<64 hex digits>\`, lower-case, on
one line (in kustomize's \`images:\`, \`newName\` and \`newTag\` separately).`,
    },
    examples: {
      bad: exampleWorkload().replace('ghcr.io/acme/web:1.4.2', '"ghcr.io/Acme/web: 1.4.2"'),
      good: exampleWorkload(),
    },
  },
  check({ resource, report }) {
    for (const { container, name, path } of imageContainersOf(resource.object)) {
      if (typeof container.image !== 'string' || isParameterisedImage(container.image)) continue;
      const problem = imageReferenceProblem(container.image);
      if (!problem) continue;
      report({
        resource,
        path: [...path, 'image'],
        message: `Image ${quote(container.image)} of container "${name}" is not a valid image reference: it ${problem}.`,
      });
    }
  },
});
