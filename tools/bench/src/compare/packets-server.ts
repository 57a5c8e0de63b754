// The Packets stack's process for `npm run bench:compare` (see child.ts): the whole
// graph in one process as `npm run bench` runs it, seeding the bench org when asked.
import 'reflect-metadata';
import { Client } from 'pg';
import { sqlStatements } from '@packets/db';
import type { AdminQuery } from '@packets/testing';
import { startStack, type DevSecrets } from '@packets/tool-dev';
import { BENCH_STACK_ENV, seedControls } from '../controls';
import { serveStack } from './child';

export interface PacketsConfig {
  adminUrl: string;
  secrets: DevSecrets;
  first: number;
  /** the org seeded by an earlier start; absent: seed one */
  seeded?: { token: string; orgId: string };
}

serveStack<PacketsConfig>(async (config) => {
  const stack = await startStack({ adminUrl: config.adminUrl, secrets: config.secrets, nodeEnv: 'production', ports: { gateway: 0, identity: 0, compliance: 0, audit: 0, ai: 0 }, env: BENCH_STACK_ENV });
  let seeded = config.seeded;
  if (!seeded) {
    const admin = new Client({ connectionString: config.adminUrl });
    await admin.connect();
    const adminQuery: AdminQuery = async (sql, params = []) => (await admin.query(sql, params)).rows as never;
    try {
      seeded = await seedControls(stack.gatewayUrl, adminQuery, config.first);
    } finally {
      await admin.end();
    }
  }
  return { ready: { url: stack.gatewayUrl, ...seeded }, statements: () => sqlStatements.count, stop: stack.stop };
});
