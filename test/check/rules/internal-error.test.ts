// internal-error: its valid and invalid cases (scripts/check/rules/internal-error.ts).
import { ruleTester } from '../../check/rule-tester.ts';

// The engine reports internal-error (test/check/engine.test.ts and test/integration/engine-families.test.ts make rules crash); the rule itself finds nothing.
ruleTester('internal-error', {
  valid: [{ name: 'nothing to look at', yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n' }],
  invalid: [],
});
