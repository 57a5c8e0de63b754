// Once per test run: a PostgreSQL (DATABASE_URL when set, embedded otherwise),
// roles, schemas and migrations. Test files then boot the graph against it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSecrets, migrate, startEmbeddedPostgres, type DevSecrets, type ProvisionedPostgres } from '@packets/tool-dev';

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
  let pg: ProvisionedPostgres;
  let dir: string | null = null;
  if (process.env.DATABASE_URL) {
    pg = { adminUrl: process.env.DATABASE_URL, embedded: false, stop: () => Promise.resolve() };
  } else {
    dir = mkdtempSync(join(tmpdir(), 'packets-test-'));
    pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pgdata'), password: secrets.embeddedPgPassword, persistent: false });
  }
  await migrate(pg.adminUrl, secrets.appDbPassword);
  console.log(`tests use ${pg.embedded ? 'an embedded' : "DATABASE_URL's"} PostgreSQL`);
  project.provide('adminUrl', pg.adminUrl);
  project.provide('secrets', secrets);
  return async () => {
    await pg.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}
