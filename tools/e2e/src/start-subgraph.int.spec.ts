// startSubgraph (libs/graphql) undoes what it started, in reverse: at stop(), and when
// a later start-up step fails. Seen from PostgreSQL: the ORM's and the outbox relay's
// connections are gone afterwards.
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSubgraphConfig } from '@packets/config';
import { appDatabaseUrl } from '@packets/db';
import { startAi } from '@packets/ai';
import { eventually } from '@packets/testing';
import { secretsEnv } from '@packets/tool-dev';
import { adminQuery, inject } from './harness';

// every pg connection this test process opens carries this name (each test file runs in its own process)
const APP_NAME = `start-subgraph-spec-${process.pid}`;
process.env.PGAPPNAME = APP_NAME;

/** This process's connections as the services' role: the subgraph's own. */
async function appConnections(): Promise<number> {
  const [row] = await adminQuery<{ n: string }>(
    `select count(*) as n from pg_stat_activity where usename = 'packets_app' and application_name = $1`, [APP_NAME]);
  return Number(row!.n);
}

const config = (port: number) => loadSubgraphConfig('ai', {
  NODE_ENV: 'production', PORT: String(port), ...secretsEnv(inject('secrets'), 'ai'),
  APP_DATABASE_URL: appDatabaseUrl(inject('adminUrl'), inject('secrets').appDbPassword),
  // nothing is delivered: the ai outbox is empty
  AUDIT_URL: 'http://127.0.0.1:9', IDENTITY_URL: 'http://127.0.0.1:9', AUDIT_RELAY_INTERVAL_MS: '50',
});

describe('startSubgraph', () => {
  const taken = createServer();
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    port = (taken.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

  it('stop() closes the ORM and the relay (control case: they were connected)', async () => {
    expect(await appConnections()).toBe(0);
    const ai = await startAi(config(0));
    // the ORM connected at start, the relay on its first look at the outbox
    expect(await eventually(appConnections, (n) => n >= 2)).toBeGreaterThanOrEqual(2);
    const res = await fetch(`${ai.url}/ready`);
    expect(res.status).toBe(200);
    await ai.stop();
    expect(await eventually(appConnections, (n) => n === 0, 5000)).toBe(0);
  });

  it('a subgraph whose port is taken rejects, and leaves no connection behind', async () => {
    await expect(startAi(config(port))).rejects.toThrow(/EADDRINUSE/);
    expect(await eventually(appConnections, (n) => n === 0, 5000)).toBe(0);
  });
});
