import { get } from '../../kube/values.ts';
import { containerRule } from '../../kube/security-context.ts';

export default containerRule(
  {
    id: 'no-privileged',
    description: 'No container runs privileged.',
    defaultSeverity: 'error',
    category: 'security',
    docs: {
      why: `A privileged container has every capability and every device of the node: it *is* root on the
node. Only node-level system components (CNI, storage drivers) need it, and those come from their
vendors' charts, not from a service's manifests.`,
      fix: `Remove \`privileged: true\`; add the one capability the process needs instead.`,
    },
    examples: {
      bad: `securityContext:
  privileged: true`,
      good: `securityContext:
  privileged: false
  capabilities:
    drop: [ALL]`,
    },
  },
  (c) =>
    get(c.container, 'securityContext', 'privileged') === true
      ? { field: 'privileged', message: `Container "${c.name}" runs privileged: it has full control of the node.` }
      : undefined,
);
