// typescript-eslint's recommended rules, with formatting left to Prettier
// (eslint-config-prettier turns off every rule Prettier owns).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'dist/**',
      '.bench-dist/**',
      'coverage/**',
      'test-artifacts/**',
      'test/docs/.snippets/**',
      'test/consumers/templates/**',
      'sample/dist/**',
      '**/*.py',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
      // Nest injects by the constructor's emitted parameter types: an import used only in a
      // constructor signature is a value import, and the type-import rule must know it.
      parserOptions: { emitDecoratorMetadata: true, experimentalDecorators: true },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // No consistent-type-imports: Nest injects by the constructor's emitted parameter types, and
      // the rule turns such imports into type imports, which erases them (DI then fails at start-up).
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // Cookie, header and JSON parsing match control characters on purpose.
      'no-control-regex': 'off',
      'no-console': 'off',
    },
  },
  {
    // The library: no `any`, no non-null assertions outside what the code proves.
    files: ['lib/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  prettier,
);
