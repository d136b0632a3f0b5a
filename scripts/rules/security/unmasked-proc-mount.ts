import { get } from '../../kube/values.ts';
import { containerRule } from '../../kube/security-context.ts';
import { exampleWorkload } from '../../kube/examples.ts';

export default containerRule(
  {
    id: 'unmasked-proc-mount',
    description: 'Containers keep the default masked /proc (no procMount: Unmasked).',
    defaultSeverity: 'error',
    category: 'security',
    docs: {
      why: `The runtime masks and makes read-only the parts of \`/proc\` and \`/sys\` that expose or control the
node (\`/proc/kcore\`, \`/proc/sysrq-trigger\`, \`/proc/sys\`...). \`procMount: Unmasked\` removes that
protection: it exists for nested container runtimes inside user-namespaced pods, and anywhere else it
hands the container ways to read kernel memory and change the node's kernel settings. The Pod Security
Standards' baseline profile forbids it.

An error: outside a user-namespaced build sandbox (\`hostUsers: false\`), nothing legitimate needs it.`,
      fix: `Remove \`procMount\` (or set it to \`Default\`). Nested builds can use rootless builders (Buildah,
Kaniko) that need no unmasked \`/proc\`.`,
    },
    examples: {
      bad: exampleWorkload({ container: 'securityContext: {procMount: Unmasked}' }),
      good: exampleWorkload({ container: 'securityContext: {procMount: Default}' }),
    },
  },
  (c) =>
    get(c.container, 'securityContext', 'procMount') === 'Unmasked'
      ? { field: 'procMount', message: `Container "${c.name}" mounts /proc unmasked (procMount: Unmasked).` }
      : undefined,
);
