// Once per test run: a PostgreSQL (DATABASE_URL when set, embedded otherwise),
// roles, schemas and migrations. Test files then boot the graph against it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { generateSecrets, migrate, startEmbeddedPostgres, type DevSecrets, type ProvisionedPostgres } from '@packets/tool-dev';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    secrets: DevSecrets;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const secrets = generateSecrets();
  let pg: ProvisionedPostgres;
  let dir: string | null = null;
  if (process.env.DATABASE_URL) {
    pg = { adminUrl: process.env.DATABASE_URL, embedded: false, stop: async () => undefined };
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
