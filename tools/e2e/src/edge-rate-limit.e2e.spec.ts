// Request rate limits at the gateway (issue 17), on both stores: PostgreSQL (the
// default, identity.rate_limits) and Redis (REDIS_URL, at 127.0.0.1:6379 unless set;
// skipped where none answers, a failure under CI=true). Small limits and a 2 s window:
// an anonymous burst from one IP is cut at its points with 429, Retry-After and
// RATE_LIMITED, and served again after the window; one session is limited while
// another of its org is not, until the org's points are spent; a second gateway
// replica on the same store shares the counts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gql, PASSWORD, reachable, signUp, type SignedUp } from '@packets/testing';
import { startGateway } from '@packets/gateway';
import { loadGatewayConfig } from '@packets/config';
import { appDatabaseUrl } from '@packets/db';
import { secretsEnv, type Stack } from '@packets/tool-dev';
import type { RunningServer } from '@packets/http';
import { inject, startTestStack } from './harness';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const WINDOW_SECONDS = 2;
const LIMITS = {
  RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
  RATE_LIMIT_ANON_POINTS: '60',
  RATE_LIMIT_CREDENTIAL_POINTS: '40',
  RATE_LIMIT_ORG_POINTS: '60',
  // counters of this file only: other files' gateways share the database (and Redis) and the client IP
  RATE_LIMIT_KEY_PREFIX: `edge-test-${process.pid}-${Date.now()}`,
};
const PING = '{ __typename }';
const VIEWER = '{ viewer { user { id } } }';
const SIGN_IN = 'mutation($i: SignInInput!) { signIn(input: $i) { ... on AuthPayload { token } } }';

interface Answer { status: number; retryAfter: string | null; code: string | undefined; retryAfterExt: unknown }

async function call(gatewayUrl: string, query: string, token?: string): Promise<Answer> {
  const res = await fetch(`${gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  const body = await res.json() as { errors?: { extensions?: { code?: string; retryAfter?: unknown } }[] };
  return { status: res.status, retryAfter: res.headers.get('retry-after'), code: body.errors?.[0]?.extensions?.code, retryAfterExt: body.errors?.[0]?.extensions?.retryAfter };
}

/** n calls at once, spread round-robin over the gateways */
async function burst(urls: string[], n: number, query: string, token?: string): Promise<Answer[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => call(urls[i % urls.length]!, query, token)));
}

const served = (answers: Answer[]) => answers.filter((a) => a.status === 200).length;

/** waits (bounded) for the positive signal of a 200; returns the ms it took */
async function recovery(url: string, query: string, token?: string): Promise<number> {
  const start = Date.now();
  for (;;) {
    const a = await call(url, query, token);
    if (a.status === 200) return Date.now() - start;
    expect(a.status).toBe(429);
    if (Date.now() - start > (WINDOW_SECONDS + 3) * 1000) throw new Error('no recovery within the window plus 3 s');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** the next call starts a fresh window for the key (every earlier window has run out) */
const freshWindow = () => new Promise((r) => setTimeout(r, WINDOW_SECONDS * 1000 + 200));

function contract(store: 'postgres' | 'redis') {
  describe(`gateway rate limits on ${store}`, () => {
    let up = store === 'postgres';
    let stack: Stack;
    let replica: RunningServer;
    let owner: SignedUp;
    let second: string;
    let third: string;

    beforeAll(async () => {
      if (store === 'redis') {
        up = await reachable(redisUrl);
        if (!up && process.env.CI === 'true') throw new Error('edge rate limit: Redis is not reachable in CI; start it (see .ci/run)');
        if (!up) { console.warn('edge rate limit: Redis is not reachable here; its tests are skipped'); return; }
      }
      const env = { ...LIMITS, ...(store === 'redis' ? { REDIS_URL: redisUrl } : {}) };
      stack = await startTestStack({ env });
      // a second replica: the same settings, the same store, its own process state and port
      replica = await startGateway(loadGatewayConfig({
        ...env, NODE_ENV: 'production', PORT: '0',
        GATEWAY_DATABASE_URL: appDatabaseUrl(inject('adminUrl'), inject('secrets').appDbPassword),
        ...secretsEnv(inject('secrets'), 'gateway'),
        IDENTITY_URL: stack.urls.identity, COMPLIANCE_URL: stack.urls.compliance, AUDIT_URL: stack.urls.audit, AI_URL: stack.urls.ai,
      }));
      owner = await signUp(stack.gatewayUrl, `Limits ${store}`);
      const signIn = async () => {
        const res = await gql<{ signIn: { token: string } }>(stack.gatewayUrl, SIGN_IN, { i: { email: owner.email, password: PASSWORD, organizationSlug: owner.slug } });
        if (!res.data) throw new Error(`signIn failed: ${res.raw}`);
        return res.data.signIn.token;
      };
      second = await signIn();
      third = await signIn();
    }, 60_000);
    beforeEach((ctx) => { if (!up) ctx.skip(); });
    afterAll(async () => {
      await replica?.stop();
      await stack?.stop();
    });

    it('cuts an anonymous burst from one IP with 429, Retry-After and RATE_LIMITED, and serves it again after the window', async () => {
      await freshWindow();
      const t0 = Date.now();
      const answers = await burst([stack.gatewayUrl], 100, PING);
      const ok = served(answers);
      const refused = answers.filter((a) => a.status === 429);
      expect(ok).toBe(60); // { __typename } costs 1 point
      expect(refused).toHaveLength(40);
      for (const a of refused) {
        expect(a.code).toBe('RATE_LIMITED');
        const seconds = Number(a.retryAfter);
        expect(seconds).toBeGreaterThanOrEqual(1);
        expect(seconds).toBeLessThanOrEqual(WINDOW_SECONDS);
        expect(a.retryAfterExt).toBe(seconds);
      }
      const waited = await recovery(stack.gatewayUrl, PING);
      console.log(`edge rate limit (${store}): anonymous burst ${ok} served of ${answers.length} (limit 60 points / ${WINDOW_SECONDS} s), served again ${waited} ms after the burst (${Date.now() - t0} ms from its start)`);
    });

    it('limits one session while another of its organisation is served, until the organisation is spent', async () => {
      await freshWindow();
      const first = await burst([stack.gatewayUrl], 30, VIEWER, owner.token);
      const cost = Math.floor(40 / served(first)); // the viewer query's points, seen through the credential limit
      expect(served(first)).toBeGreaterThan(0);
      expect(first.filter((a) => a.status === 429).every((a) => a.code === 'RATE_LIMITED')).toBe(true);
      expect(served(first)).toBeLessThan(30);
      // the same organisation, another session: served, until the org's 60 points are spent
      const other = await burst([stack.gatewayUrl], 30, VIEWER, second);
      expect(served(other)).toBeGreaterThan(0);
      expect(served(other)).toBeLessThan(served(first)); // the org's points ran out before this session's own
      // a third session of the org, untouched itself, is refused: the organisation's limit
      const third1 = await call(stack.gatewayUrl, VIEWER, third);
      expect(third1).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      console.log(`edge rate limit (${store}): viewer query ${cost} points; session A ${served(first)} of 30 served (credential 40 points), session B of the same org ${served(other)} of 30 (org 60 points), session C refused`);
      await recovery(stack.gatewayUrl, VIEWER, third);
    });

    it('shares the counts between two gateway replicas', async () => {
      await freshWindow();
      const answers = await burst([stack.gatewayUrl, replica.url], 100, PING);
      const byReplica = [0, 1].map((r) => answers.filter((a, i) => i % 2 === r && a.status === 200).length);
      expect(served(answers)).toBe(60); // one budget, not one each
      expect(byReplica[0]! + byReplica[1]!).toBe(60);
      expect(byReplica.every((n) => n > 0)).toBe(true);
      // after the burst both replicas refuse the IP
      expect(await call(stack.gatewayUrl, PING)).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      expect(await call(replica.url, PING)).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      console.log(`edge rate limit (${store}): two replicas, ${served(answers)} served of ${answers.length} (${byReplica.join(' + ')})`);
    });
  });
}

contract('postgres');
contract('redis');
