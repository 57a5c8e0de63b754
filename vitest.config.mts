import { createRequire } from 'node:module';
import { configDefaults, defineConfig } from 'vitest/config';
import swc from 'unplugin-swc';

const require = createRequire(import.meta.url);

/**
 * Two projects, split by file name:
 * - `unit`: `*.spec.ts`, no global setup, so no PostgreSQL is started or needed;
 * - `integration`: `*.int.spec.ts` and `*.e2e.spec.ts`, with the global setup (a PostgreSQL:
 *   DATABASE_URL when set, embedded otherwise; roles and migrations; `inject('adminUrl')`).
 * One project holds both kinds that need the database: a project's global setup runs once
 * per project, and two provisioning the same DATABASE_URL would race.
 * `specs` is the folder glob; .ci/known-failing reuses this with its own folder.
 */
export function testConfig(specs: string) {
  const needsDatabase = [`${specs}/**/*.int.spec.ts`, `${specs}/**/*.e2e.spec.ts`];
  return defineConfig({
    plugins: [
      // type-graphql and MikroORM need legacy decorators with emitted metadata
      swc.vite({
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          target: 'es2022',
        },
      }),
    ],
    resolve: {
      // one copy of graphql for Vite and for Apollo/type-graphql (see STACK.md)
      alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
    },
    test: {
      setupFiles: ['./vitest.setup.ts'],
      env: { TZ: 'UTC' },
      testTimeout: 30_000,
      hookTimeout: 60_000,
      pool: 'forks',
      // projects inherit the options above (extends: true), not each other's
      projects: [
        {
          extends: true,
          test: { name: 'unit', include: [`${specs}/**/*.spec.ts`], exclude: [...configDefaults.exclude, ...needsDatabase] },
        },
        {
          extends: true,
          test: { name: 'integration', include: needsDatabase, globalSetup: ['./tools/e2e/src/global-setup.ts'] },
        },
      ],
    },
  });
}

export default testConfig('{apps,libs,tools}');
