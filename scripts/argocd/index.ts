// Placeholder until the argocd stage lands: it will export a Checker with the same name.
import type { Checker } from '../types.ts';

export const argocdChecker: Checker = { name: 'argocd', rules: [], check: () => [] };
