// `npm run lint`: type-aware rules over every package's src and test (after the build: cross-package
// types come from the packages' dist/*.d.ts). Formatting is Prettier's (`npm run format:check`), not ESLint's.
import tseslint from 'typescript-eslint';

const DIST_DEEP_IMPORTS = {
  group: ['@wanxin/*/dist', '@wanxin/*/dist/**'],
  message: "Import the package's public entry point (its exports map), not its build output.",
};
// The custodian-bank simulator is another system: subgraph code talks to it over the wire protocol only.
const SIMULATOR_IMPORTS = {
  group: [
    '**/bank',
    '**/bank/**',
    '**/infra/simulators',
    '**/infra/simulators/**',
    '**/simulators/*',
    '**/simulators/*/**',
    '@wanxin/bank',
    '@wanxin/bank/**',
    '@wanxin/*simulator*',
    '@wanxin/*simulator*/**',
  ],
  message: 'Subgraph code must not import a simulator (infra/simulators/*, the bank): use the wire protocol.',
};

// Roles are checked with the platform's requireRole(), which reference resolvers can call too.
const AUTHORIZED_DECORATOR = {
  name: 'type-graphql',
  importNames: ['Authorized'],
  message: "Check roles with requireRole() from '@wanxin/platform', first thing in the resolver.",
};

const NODE_TEST_REGISTRARS = ['describe', 'suite', 'it', 'test', 'before', 'after', 'beforeEach', 'afterEach'];

const SUBGRAPH_SOURCE = ['subgraphs/*/src/**/*.ts'];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.data/**', '**/.turbo/**'] },
  {
    // Every workspace's src and test, including those still to come under infra/ (launcher, simulators).
    files: ['{infra/*,infra/simulators/*,gateway,subgraphs/*}/{src,test}/**/*.ts', 'test/src/**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test runs what these register and reports their failures; their promises need no handler.
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: NODE_TEST_REGISTRARS }] },
      ],
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      'no-restricted-imports': ['error', { patterns: [DIST_DEEP_IMPORTS] }],
    },
  },
  // The scripts beside the packages: import boundaries only (no type information for .mjs).
  {
    files: ['schema/*.mjs', 'test/*.mjs'],
    rules: { 'no-restricted-imports': ['error', { patterns: [DIST_DEEP_IMPORTS] }] },
  },
  {
    files: SUBGRAPH_SOURCE,
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [AUTHORIZED_DECORATOR], patterns: [DIST_DEEP_IMPORTS, SIMULATOR_IMPORTS] },
      ],
    },
  },
);
