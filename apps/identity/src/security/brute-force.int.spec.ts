// The brute-force guard on both of its stores: PostgreSQL (default) and Redis
// (REDIS_URL), so that several replicas share the counts. Redis runs where a server
// answers at REDIS_URL or 127.0.0.1:6379 (CI machines have one); elsewhere that
// block is reported as skipped.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createConnection } from 'node:net';
import { inject } from 'vitest';
import { appDatabaseUrl } from '@packets/db';
import { BruteForceGuard, postgresStore, redisStore } from './brute-force';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function reachable(url: string): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: u.hostname, port: Number(u.port || 6379) });
    socket.once('connect', () => { socket.end(); resolve(true); });
    socket.once('error', () => resolve(false));
    socket.setTimeout(500, () => { socket.destroy(); resolve(false); });
  });
}

function contract(name: string, make: (scope: string) => BruteForceGuard, available: () => Promise<boolean> = () => Promise.resolve(true)) {
  describe(`brute-force guard on ${name}`, () => {
    const guards: BruteForceGuard[] = [];
    let up = false;
    beforeAll(async () => {
      up = await available();
      if (!up) console.warn(`brute-force guard: ${name} is not reachable here; its tests are skipped`);
    });
    beforeEach((ctx) => { if (!up) ctx.skip(); });
    afterAll(async () => { for (const g of guards) await g.close(); });
    const scope = `t${randomUUID().slice(0, 8)}`;
    const guard = () => { const g = make(scope); guards.push(g); return g; };

    it('allows five failures, then blocks with a doubling retry-after', async () => {
      const g = guard();
      const key = `acct:test:${randomUUID()}`;
      for (let i = 0; i < 5; i++) expect(await g.fail(key, null)).toBe(0);
      await expect(g.check(key, null)).resolves.toBeUndefined();
      expect(await g.fail(key, null)).toBe(30);
      await expect(g.check(key, null)).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
      expect(await g.fail(key, null)).toBe(60);
      expect(await g.fail(key, null)).toBe(120);
    });

    it('shares counts between replicas (two guards, one store)', async () => {
      const key = `acct:test:${randomUUID()}`;
      const [a, b] = [guard(), guard()];
      for (let i = 0; i < 3; i++) await a.fail(key, null);
      for (let i = 0; i < 2; i++) await b.fail(key, null);
      expect(await a.fail(key, null)).toBe(30);
      await expect(b.check(key, null)).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    });

    it('a success clears the account', async () => {
      const g = guard();
      const key = `acct:test:${randomUUID()}`;
      for (let i = 0; i < 6; i++) await g.fail(key, null);
      await g.succeed(key);
      await expect(g.check(key, null)).resolves.toBeUndefined();
    });

    it('blocks an IP after 50 failures across accounts', async () => {
      const g = guard();
      const ip = `198.51.100.${Math.floor(Math.random() * 250)}-${randomUUID()}`;
      for (let i = 0; i < 50; i++) await g.fail(`acct:test:${randomUUID()}`, ip);
      await expect(g.check(`acct:test:${randomUUID()}`, ip)).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    });
  });
}

contract('PostgreSQL', (scope) => new BruteForceGuard(postgresStore(appDatabaseUrl(inject('adminUrl'), inject('secrets').appDbPassword)), scope));
contract('Redis', (scope) => new BruteForceGuard(redisStore(redisUrl), scope), () => reachable(redisUrl));
