import { defineRule } from '../contract.ts';

// The engine's own finding: it reports a rule that threw (engine.ts). Its check has nothing to look at.
export default defineRule({
  meta: {
    id: 'internal-error',
    description: 'a check crashed; its findings are missing',
    defaultSeverity: 'error',
    category: 'render',
    scope: 'repository',
    docs: {
      why: `A bug in the tool (or in a plugin rule), not in your repository: one rule threw an exception, so its
findings are incomplete in this run. The finding names the rule and the resource it was checking; every
other rule still reported. The run exits 2.`,
      fix: `Please report it with the message (run with --debug for the stack). For a plugin rule, tell its author.`,
    },
  },
  check() {},
});
