import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', '.tmp/**', 'test-results/**', 'demo/workspace/**', 'test/fixtures/**', '**/*.mjs', '**/*.js'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      curly: ['error', 'multi-line'],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // The core is pure: no editor API, no database driver, no file system or network.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'vscode', message: 'src/core is pure: convert to VS Code types in src/providers.' },
          { name: 'pg', message: 'src/core is pure: only src/db talks to PostgreSQL.' },
          { name: 'fs', message: 'src/core is pure: read files at the edge and pass text in.' },
          { name: 'node:fs', message: 'src/core is pure: read files at the edge and pass text in.' },
          { name: 'fs/promises', message: 'src/core is pure.' },
          { name: 'node:fs/promises', message: 'src/core is pure.' },
          { name: 'net', message: 'src/core is pure.' },
          { name: 'node:net', message: 'src/core is pure.' },
        ],
        patterns: [{ regex: '^pg[-/]', message: 'src/core is pure: only src/db talks to PostgreSQL.' }],
      }],
    },
  },
  {
    // Only the database layer may import the driver.
    files: ['src/**/*.ts'],
    ignores: ['src/db/**/*.ts', 'src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'pg', message: 'Only src/db imports pg: go through the safe runner.' }],
      }],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
