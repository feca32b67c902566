// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const capabilities = [
  'identity', 'catalog', 'masking', 'policy', 'gateway', 'ledger', 'detect', 'trace', 'cases', 'sim', 'store',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'console/**', 'coverage/**', 'bin/**', '.tmp/**', 'scripts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  // A capability is used only through its index.ts (STYLE.md): no reaching into another's internals.
  ...[...capabilities, 'server', 'cli'].map((area) => {
    const others = capabilities.filter((c) => c !== area).join('|');
    return {
      files: [`src/${area}/**/*.ts`],
      rules: {
        'no-restricted-imports': ['error', {
          patterns: [{
            regex: `^(\\.\\./)+(${others})/(?!index\\.js$).+`,
            message: 'Import another capability only through its index.ts (STYLE.md).',
          }],
        }],
      },
    };
  }),
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
