// Once per run of the integration project (*.int.spec.ts, *.e2e.spec.ts; see
// vitest.config.mts): a PostgreSQL (DATABASE_URL when set, embedded otherwise), roles,
// schemas and migrations. Test files then boot the graph against it. Unit specs
// (*.spec.ts) run without it: inject('adminUrl') is undefined there.
import { generateSecrets, migrate, provisionPostgres, type DevSecrets } from '@packets/tool-dev';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    secrets: DevSecrets;
  }
}

/** the part of vitest's TestProject used here */
interface Project {
  provide<K extends keyof import('vitest').ProvidedContext>(key: K, value: import('vitest').ProvidedContext[K]): void;
}

export default async function setup(project: Project): Promise<() => Promise<void>> {
  const secrets = generateSecrets();
  const pg = await provisionPostgres({ databaseUrl: process.env.DATABASE_URL, password: secrets.embeddedPgPassword, folderPrefix: 'packets-test-' });
  await migrate(pg.adminUrl, secrets.appDbPassword);
  console.log(`tests use ${pg.embedded ? 'an embedded' : "DATABASE_URL's"} PostgreSQL`);
  project.provide('adminUrl', pg.adminUrl);
  project.provide('secrets', secrets);
  return async () => {
    await pg.stop();
  };
}
