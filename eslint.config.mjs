// Lint for async correctness and for the workspace's boundaries (tools/lint/src/
// boundaries.spec.ts proves the refusals):
// - type: apps depend on libs only, libs on libs only, the test lib (libs/testing)
//   only from spec files and tools; tools may use anything (they boot the graph).
// - scope: a project of scope X depends on scope:shared and scope X only, so a
//   compliance-only lib (libs/catalogs) cannot be reached from identity.
// - deep imports: a package is imported by its name or by a subpath its package.json
//   "exports" declares, never by its files (the nx rule does not look at those).
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';

const APP_SCOPES = ['gateway', 'identity', 'compliance', 'audit', 'ai'];

function depConstraints({ specs }) {
  // a spec file may use the test helpers; the code it tests may not
  const testLib = specs ? ['type:test-lib'] : [];
  const testScope = specs ? ['scope:test'] : [];
  return [
    { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', ...testLib] },
    { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib', ...testLib] },
    { sourceTag: 'type:test-lib', onlyDependOnLibsWithTags: ['type:lib', 'type:test-lib'] },
    { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:test-lib', 'type:app', 'type:tool'] },
    { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared', ...testScope] },
    ...APP_SCOPES.map((s) => ({ sourceTag: `scope:${s}`, onlyDependOnLibsWithTags: ['scope:shared', `scope:${s}`, ...testScope] })),
    { sourceTag: 'scope:test', onlyDependOnLibsWithTags: ['scope:shared', 'scope:test'] },
    { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['*'] },
  ];
}

function boundaries(specs) {
  return ['error', { enforceBuildableLibDependency: false, allow: [], depConstraints: depConstraints({ specs }) }];
}

// The declared second entry points, e.g. @packets/testing/smtp, read from each
// workspace package's "exports".
function declaredSubpaths() {
  const out = [];
  for (const dir of ['apps', 'libs', 'tools']) {
    for (const name of readdirSync(join(import.meta.dirname, dir))) {
      const file = join(import.meta.dirname, dir, name, 'package.json');
      if (!existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, 'utf8'));
      for (const key of Object.keys(pkg.exports ?? {})) if (key.startsWith('./')) out.push(`${pkg.name}${key.slice(1)}`);
    }
  }
  return out;
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const allowed = declaredSubpaths().map(escape).join('|');
const DEEP_IMPORT = {
  regex: allowed ? `^(?!(?:${allowed})$)@packets/[^/]+/` : '^@packets/[^/]+/',
  message: 'Deep import: use the package name or a subpath its package.json "exports" declares (e.g. @packets/testing/smtp); export what you need from the package\'s index.',
};

export default tseslint.config(
  { ignores: ['**/node_modules/**', '.packets/**', 'dist/**', '**/*.js', '**/*.cjs', '**/*.mjs', '**/*.mts'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': boundaries(false),
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [DEEP_IMPORT] }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.spec.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(true) },
  },
  {
    // type-graphql and MikroORM read decorator metadata: a class used only as a
    // decorated parameter type must stay a value import.
    files: ['apps/**/*.resolver.ts', 'apps/**/*.type.ts', 'apps/**/*.inputs.ts', 'apps/**/*.entity.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
);
