// Placeholder until the schema stage lands: it will export a Checker with the same name.
import type { Checker } from '../types.ts';

export const schemaChecker: Checker = { name: 'schema', rules: [], check: () => [] };
