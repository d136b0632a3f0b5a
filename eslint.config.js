// ESLint flat config: typescript-eslint's recommended rules for the tool and its tests. Formatting is
// Prettier's (`npm run format`); ESLint checks what a formatter cannot.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
          patterns: [
            {
              group: ['**/cli/*', '../cli/*'],
              message: 'No stage imports from cli/: InputError and UsageError are in scripts/errors.ts.',
            },
          ],
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
