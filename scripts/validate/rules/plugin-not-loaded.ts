import { defineRule } from '../../check/contract.ts';
import { reportLoadProblems } from '../load-problems.ts';

export default defineRule({
  meta: {
    id: 'plugin-not-loaded',
    description: 'gitops.yaml names custom rule plugins that this run did not load',
    defaultSeverity: 'warning',
    category: 'files',
    scope: 'repository',
    docs: {
      why: `Loading a plugin runs its code with the permissions of whoever runs the tool. The repository under
check may be a pull request nobody has reviewed yet, so the tool never loads code because the repository
asks for it: the plugins \`lint.plugins\` names are loaded only with \`--allow-plugins\`. Without it their
rules did not run, and this finding says so instead of passing silently.`,
      fix: `For a repository you trust (your own checkout, the default branch), pass \`--allow-plugins\`. In CI on
pull requests, check out the plugin files from the trusted default branch into a separate folder and pass
them with \`--plugin <path>\`; never \`--allow-plugins\` (a pull request can change the plugin itself).`,
    },
    examples: {
      bad: '# file: gitops.yaml\nlint:\n  plugins: [lint/acme-rules.ts]   # validate without --allow-plugins',
      good: '# file: gitops.yaml\nlint:\n  rules: {}',
    },
  },
  check: (context) => reportLoadProblems('plugin-not-loaded', context),
});
