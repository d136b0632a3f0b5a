// Placeholder until the rules stage lands: it will export a Checker with the same name.
import type { Checker } from '../types.ts';

export const rulesChecker: Checker = { name: 'rules', rules: [], check: () => [] };
