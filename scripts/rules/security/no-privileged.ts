import { get } from '../values.ts';
import { containerRule } from './security-context.ts';

export const noPrivileged = containerRule(
  {
    id: 'no-privileged',
    description: 'No container runs privileged.',
    defaultSeverity: 'error',
    category: 'security',
    docs: `A privileged container has every capability and every device of the node: it *is* root on the
node. Only node-level system components (CNI, storage drivers) need it, and those come from their
vendors' charts, not from a service's manifests.

**How to fix:** remove \`privileged: true\`; add the one capability the process needs instead.`,
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
