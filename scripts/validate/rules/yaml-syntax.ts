import { defineRule } from '../../check/contract.ts';
import { reportLoadProblems } from '../load-problems.ts';

export default defineRule({
  meta: {
    id: 'yaml-syntax',
    description: 'the file is not valid YAML',
    defaultSeverity: 'error',
    category: 'files',
    scope: 'repository',
    docs: {
      why: `The file cannot be parsed, so neither kustomize nor Argo CD can read it. The finding points at the
line where the parser gave up. In an Argo CD directory source, a file that does not look like a manifest
(it lacks \`apiVersion:\`, \`kind:\` or \`metadata:\`) is skipped by Argo CD instead of failing the app:
the finding is a warning there.`,
      fix: `Usually an indentation mistake, a tab, or an unquoted value starting with a special character
(\`*\`, \`&\`, \`{\`, \`:\`): correct it at the line shown.`,
    },
    examples: {
      bad: `apiVersion: v1
kind: ConfigMap
metadata:
  name: web
   labels: {}`,
      good: `apiVersion: v1
kind: ConfigMap
metadata:
  name: web
  labels: {}`,
    },
  },
  check: (context) => reportLoadProblems('yaml-syntax', context),
});
