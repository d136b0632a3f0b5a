// ESLint flat config: typescript-eslint's recommended rules for the tool and its tests. Formatting is
// Prettier's (`npm run format`); ESLint checks what a formatter cannot.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** scripts/check/registry.ts's RULE_FOLDERS (test/check/engine.test.ts keeps the two lists equal). */
export const RULE_FOLDERS = ['rules', 'argocd/rules', 'schema/rules', 'validate/rules', 'filter/rules', 'check/rules'];

/** Layering: the command line is the last stage; nothing below it imports from it. */
const NO_CLI_IMPORTS = {
  group: ['**/cli/*', '../cli/*'],
  message: 'No stage imports from cli/: InputError and UsageError are in scripts/errors.ts.',
};

export default tseslint.config(
  { ignores: ['node_modules/', 'schemas/', 'test/fixtures/', 'dist/', 'base/', 'overlays/', 'argocd/', 'examples/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', performance: 'readonly', URL: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // The code reads untyped YAML: `unknown` narrowed by guards is the norm, but casts through any stay visible.
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='localeCompare']",
          message: 'localeCompare depends on the machine locale: use compareText from scripts/finding-order.ts.',
        },
      ],
    },
  },
  {
    // Layering: the command line is the last stage; nothing below it imports from it.
    files: ['scripts/**/*.ts'],
    ignores: ['scripts/cli/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [NO_CLI_IMPORTS],
        },
      ],
    },
  },
  {
    // The stages that read the repository under check read its files through safe/files.ts only (inside
    // the root, regular files, size-capped): a direct read of a path the repository names has hung a run
    // on /dev/zero and quoted a file outside the checkout (docs/architecture.md, "Threat model"). A read
    // of the tool's own files or the user's cache says so where it is made (an eslint-disable with why).
    files: ['discover', 'manifest', 'render', 'validate', 'argocd', 'units', 'schema', 'config', 'kube', 'filter'].map(
      (folder) => `scripts/${folder}/**/*.ts`,
    ),
    ignores: RULE_FOLDERS.map((folder) => `scripts/${folder}/**/*.ts`),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [NO_CLI_IMPORTS],
          paths: ['node:fs', 'fs'].map((name) => ({
            name,
            importNames: ['readFileSync', 'openSync', 'createReadStream', 'readFile', 'default'],
            message: "Read the repository's files through safe/files.ts (readRepoFile, RepoReader).",
          })),
        },
      ],
    },
  },
  {
    // The rule contract (issue 10): a check reports through its context, never builds a Finding (the
    // engine does, with severity from meta and gitops.yaml), and reads the repository only through
    // RepoContext, never the disk or a program behind its back.
    files: RULE_FOLDERS.map((folder) => `scripts/${folder}/**/*.ts`),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            NO_CLI_IMPORTS,
            {
              group: ['**/check/finding.ts', './finding.ts'],
              message: 'A rule reports through report(); the engine builds the Finding.',
            },
            {
              group: ['**/safe/files.ts', '**/safe/run.ts', '**/safe/git.ts'],
              message: 'A rule reads the repository through RepoContext, not the disk or a program.',
            },
          ],
          paths: ['node:fs', 'fs', 'node:fs/promises', 'node:child_process', 'child_process'].map((name) => ({
            name,
            message: 'A rule reads the repository through RepoContext, not the disk or a program.',
          })),
        },
      ],
    },
  },
  {
    // Tests match terminal escapes and control characters on purpose.
    files: ['test/**/*.ts'],
    rules: { 'no-control-regex': 'off' },
  },
);
