import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';
import swc from 'unplugin-swc';

const require = createRequire(import.meta.url);

export default defineConfig({
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
    include: ['{apps,libs,tools}/**/*.spec.ts'],
    setupFiles: ['./vitest.setup.ts'],
    globalSetup: ['./tools/e2e/src/global-setup.ts'],
    env: { TZ: 'UTC' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
