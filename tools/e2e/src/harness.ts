// Boots the whole graph for one test file against the run's database.
import { inject } from 'vitest';
import { startStack, type Stack, type StackOptions } from '@packets/tool-dev';

export async function startTestStack(
  opts: { now?: () => Date; env?: Record<string, string>; ports?: StackOptions['ports']; resolveTxt?: StackOptions['resolveTxt'] } = {},
): Promise<Stack> {
  return startStack({
    adminUrl: inject('adminUrl'), secrets: inject('secrets'), nodeEnv: 'production', relayIntervalMs: 100, now: opts.now, env: opts.env,
    ports: opts.ports, resolveTxt: opts.resolveTxt,
  });
}

export { inject };

import { Client } from 'pg';
import { appDatabaseUrl } from '@packets/db';

/** Runs SQL as the administrator (superuser): for set-up and for checking what the app cannot see. */
export async function adminQuery<T extends Record<string, unknown> = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: inject('adminUrl') });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** A connection as the services' role (packets_app), for row-level security checks. */
export async function appClient(): Promise<Client> {
  const client = new Client({ connectionString: appDatabaseUrl(inject('adminUrl'), inject('secrets').appDbPassword) });
  await client.connect();
  return client;
}
