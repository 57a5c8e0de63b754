// The brute-force guard on both of its stores: PostgreSQL (default) and Redis
// (REDIS_URL), so that several replicas share the counts. Redis runs where a server
// answers at REDIS_URL or 127.0.0.1:6379 (CI machines have one); elsewhere that
// block is reported as skipped (in CI, CI=true, it fails instead).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { appDatabaseUrl } from '@packets/db';
import { reachable } from '@packets/testing';
import { postgresStore, redisStore } from '@packets/rate-limit';
import { blockSecondsAfter, BruteForceGuard } from './brute-force';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function contract(name: string, make: (scope: string) => BruteForceGuard, available: () => Promise<boolean> = () => Promise.resolve(true)) {
  describe(`brute-force guard on ${name}`, () => {
    const guards: BruteForceGuard[] = [];
    let up = false;
    beforeAll(async () => {
      up = await available();
      // CI must run every store's contract (.ci/run starts Redis): there, unreachable is a failure
      if (!up && process.env.CI === 'true') throw new Error(`brute-force guard: ${name} is not reachable in CI; start it (see .ci/run)`);
      if (!up) console.warn(`brute-force guard: ${name} is not reachable here; its tests are skipped`);
    });
    beforeEach((ctx) => { if (!up) ctx.skip(); });
    afterAll(async () => { for (const g of guards) await g.close(); });
    const scope = `t${randomUUID().slice(0, 8)}`;
    const guard = () => { const g = make(scope); guards.push(g); return g; };

    const fail = async (g: BruteForceGuard, key: string, ip: string | null = null) => (await g.attempt(key, ip)).failed();

    it('allows five failures, then one attempt per block window, and refuses the rest', async () => {
      const g = guard();
      const key = `acct:test:${randomUUID()}`;
      for (let i = 0; i < 5; i++) expect(await fail(g, key)).toBe(0);
      expect(await fail(g, key)).toBe(30); // the sixth attempt is evaluated and opens a 30 s block
      const refused = g.attempt(key, null);
      await expect(refused).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
      const retryAfter = (await refused.catch((e: { extensions: { retryAfter: number } }) => e)) as { extensions: { retryAfter: number } };
      expect(retryAfter.extensions.retryAfter).toBeGreaterThan(0);
      expect(retryAfter.extensions.retryAfter).toBeLessThanOrEqual(30);
    });

    it('doubles the block with each further failure, capped at an hour', () => {
      expect([5, 6, 7, 8, 20].map(blockSecondsAfter)).toEqual([0, 30, 60, 120, 3600]);
    });

    it('counts before the work: of 30 concurrent attempts on one account only six are admitted', async () => {
      const g = guard();
      const key = `acct:test:${randomUUID()}`;
      const results = await Promise.allSettled(Array.from({ length: 30 }, () => g.attempt(key, null)));
      const admitted = results.filter((r) => r.status === 'fulfilled');
      expect(admitted).toHaveLength(6);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
      for (const r of admitted) await r.value.failed();
      await expect(g.attempt(key, null)).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    });

    it('shares counts between replicas (two guards, one store)', async () => {
      const key = `acct:test:${randomUUID()}`;
      const [a, b] = [guard(), guard()];
      for (let i = 0; i < 3; i++) await fail(a, key);
      for (let i = 0; i < 2; i++) await fail(b, key);
      expect(await fail(a, key)).toBe(30);
      await expect(b.attempt(key, null)).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    });

    it('a success clears the account', async () => {
      const g = guard();
      const key = `acct:test:${randomUUID()}`;
      for (let i = 0; i < 5; i++) await fail(g, key);
      await (await g.attempt(key, null)).succeeded();
      for (let i = 0; i < 5; i++) expect(await fail(g, key)).toBe(0);
    });

    it('blocks an IP after 50 failures across accounts, and a success gives its point back', async () => {
      const g = guard();
      const ip = `198.51.100.${Math.floor(Math.random() * 250)}-${randomUUID()}`;
      await (await g.attempt(`acct:test:${randomUUID()}`, ip)).succeeded();
      await Promise.all(Array.from({ length: 50 }, () => fail(g, `acct:test:${randomUUID()}`, ip)));
      await expect(g.attempt(`acct:test:${randomUUID()}`, ip)).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    });
  });
}

contract('PostgreSQL', (scope) => new BruteForceGuard(postgresStore(appDatabaseUrl(inject('adminUrl'), inject('secrets').appDbPassword), { poolMax: 2, clearExpired: false }), scope));
contract('Redis', (scope) => new BruteForceGuard(redisStore(redisUrl), scope), () => reachable(redisUrl));
