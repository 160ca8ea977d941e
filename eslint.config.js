// One lint policy for the whole monorepo. Type-aware rules catch the bugs that matter in a controller
// (floating promises, non-exhaustive switches); import rules keep package boundaries honest.
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';

export default tseslint.config(
  {
    ignores: [
      '**/gen/**',
      '**/dist/**',
      '**/node_modules/**',
      'charts/**',
      '**/*.js',
      '**/*.mjs',
      'test/e2e/lint-fixtures/**',
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: {
      // no-cycle parses each imported file; without a TypeScript parser here it silently sees nothing.
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/extensions': ['.ts', '.js'],
      'import-x/resolver-next': [
        createNodeResolver({
          extensions: ['.ts', '.js', '.json'],
          conditionNames: ['@capstan/source', 'import', 'default'],
        }),
      ],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: false, requireDefaultForNonUnion: false },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/only-throw-error': 'error',
      // Handlers implement promise-returning interfaces; an async body without await is normal there.
      '@typescript-eslint/require-await': 'off',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-relative-packages': 'error',
      'import-x/no-self-import': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@capstan/[^/]+/.+',
              message: 'Import a package through its index (its exports map), never its internals.',
            },
            {
              regex: '^(\\.\\./)+(packages|services)/',
              message: 'Cross-package imports go through the package name, not a relative path.',
            },
          ],
        },
      ],
      'no-console': 'error',
      'max-params': ['error', 4],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['**/*.test.ts', '**/testkit/**', 'bench/**', 'test/**', '**/cli/**'],
    rules: {
      'no-console': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // vitest's asymmetric matchers (expect.stringContaining…) are typed `any` by design.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
);
