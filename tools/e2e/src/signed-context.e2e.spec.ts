// Subgraphs trust only a context signed by the gateway, for them, recently.
// Called directly without one, they answer UNAUTHENTICATED and yield no data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { CONTEXT_HEADER, SERVICE_HEADER, signRequestContext, signServiceCall, type RequestContextClaims } from '@packets/context';
import { generateSigningKeyPair, importPrivateKey } from '@packets/crypto';
import { codes, gql, signUp, type SignedUp } from '@packets/testing';
import type { Stack } from '@packets/tool-dev';
import { adminQuery, inject, startTestStack } from './harness';

const QUERY = '{ controls(first: 5) { edges { node { id title } } } }';

describe('signed request context', () => {
  let stack: Stack;
  let owner: SignedUp;
  let claims: RequestContextClaims;
  const contextKey = () => importPrivateKey(inject('secrets').contextPrivateKey);

  beforeAll(async () => {
    stack = await startTestStack();
    owner = await signUp(stack.gatewayUrl, 'Context Org');
    const created = await gql(stack.gatewayUrl, 'mutation { createControl(input: { title: "Secret control" }) { id } }', {}, owner.token);
    expect(created.errors).toBeUndefined();
    claims = {
      actor: { kind: 'user', orgId: owner.orgId, userId: owner.userId, sessionId: null, apiKeyId: null, rules: [['manage', 'all']] },
      meta: { requestId: randomUUID(), ip: null, userAgent: null },
    };
  });
  afterAll(() => stack?.stop());

  const direct = (headers: Record<string, string>) => gql<{ controls: { edges: unknown[] } }>(stack.urls.compliance, QUERY, {}, undefined, headers);

  it('accepts a context signed by the gateway key for this subgraph (control case)', async () => {
    const token = await signRequestContext(claims, 'compliance', contextKey());
    const res = await direct({ [CONTEXT_HEADER]: token });
    expect(res.errors).toBeUndefined();
    expect(res.data!.controls.edges).toHaveLength(1);
  });

  it('refuses a request with no context', async () => {
    const res = await direct({});
    expect(res.status).toBe(401);
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    expect(res.data).toBeNull();
  });

  it('refuses an expired context', async () => {
    const token = await signRequestContext(claims, 'compliance', contextKey(), new Date(Date.now() - 5 * 60_000));
    const res = await direct({ [CONTEXT_HEADER]: token });
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    expect(res.data).toBeNull();
  });

  it('refuses a context signed with another key', async () => {
    const other = importPrivateKey(generateSigningKeyPair().privateKey);
    const res = await direct({ [CONTEXT_HEADER]: await signRequestContext(claims, 'compliance', other) });
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    expect(res.data).toBeNull();
  });

  it('refuses a tampered context (payload changed after signing)', async () => {
    const token = await signRequestContext({ ...claims, actor: { ...claims.actor, rules: [] } }, 'compliance', contextKey());
    const [header, payload, signature] = token.split('.');
    const decoded = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as { act: { rules: unknown[] } };
    decoded.act.rules = [['manage', 'all']];
    const forged = `${header}.${Buffer.from(JSON.stringify(decoded)).toString('base64url')}.${signature}`;
    const res = await direct({ [CONTEXT_HEADER]: forged });
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    expect(res.data).toBeNull();
  });

  it('refuses a context signed for another subgraph', async () => {
    const res = await direct({ [CONTEXT_HEADER]: await signRequestContext(claims, 'identity', contextKey()) });
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses an unsigned (alg none) token', async () => {
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const none = `${enc({ alg: 'none', typ: 'packets-ctx+jwt' })}.${enc({ act: claims.actor, meta: claims.meta, aud: 'compliance', iss: 'packets-gateway', iat: now, exp: now + 60, jti: 'x' })}.`;
    const res = await direct({ [CONTEXT_HEADER]: none });
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
  });

  const serviceKey = (name: 'gateway' | 'identity' | 'compliance' | 'audit' | 'ai') => importPrivateKey(inject('secrets').serviceKeys[name].privateKey);

  it('internal endpoints refuse unsigned and wrongly signed calls', async () => {
    const body = JSON.stringify({ token: owner.token });
    const post = (url: string, headers: Record<string, string>, b = body) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: b });
    expect((await post(`${stack.urls.identity}/internal/session`, {})).status).toBe(401);
    // another service's key may not resolve sessions, under its own name or the gateway's
    const bySvc = await signServiceCall('compliance', 'identity:session', body, serviceKey('compliance'));
    expect((await post(`${stack.urls.identity}/internal/session`, { [SERVICE_HEADER]: bySvc })).status).toBe(401);
    const posing = await signServiceCall('gateway', 'identity:session', body, serviceKey('compliance'));
    expect((await post(`${stack.urls.identity}/internal/session`, { [SERVICE_HEADER]: posing })).status).toBe(401);
    // the context key signs request contexts only, not service calls
    const byContextKey = await signServiceCall('gateway', 'identity:session', body, contextKey());
    expect((await post(`${stack.urls.identity}/internal/session`, { [SERVICE_HEADER]: byContextKey })).status).toBe(401);
    // a signature over another body does not transfer
    const forOther = await signServiceCall('gateway', 'identity:session', '{"token":"x"}', serviceKey('gateway'));
    expect((await post(`${stack.urls.identity}/internal/session`, { [SERVICE_HEADER]: forOther })).status).toBe(401);
    // the gateway's own call works (control case)
    const good = await signServiceCall('gateway', 'identity:session', body, serviceKey('gateway'));
    const ok = await post(`${stack.urls.identity}/internal/session`, { [SERVICE_HEADER]: good });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { actor: { orgId: string } }).actor.orgId).toBe(owner.orgId);
    // audit ingestion refuses an unsigned batch
    const ingest = await post(`${stack.urls.audit}/internal/events`, {}, JSON.stringify({ events: [] }));
    expect(ingest.status).toBe(401);
  });

  it('a protocol refuses a sender it does not list, and a payload of the wrong shape, in the REST envelope', async () => {
    const post = async (url: string, signAs: string, key: ReturnType<typeof serviceKey>, audience: string, body: string) =>
      fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', [SERVICE_HEADER]: await signServiceCall(signAs, audience, body, key) } });
    const envelope = async (res: Response) => ({ status: res.status, codes: codes((await res.json()) as Parameters<typeof codes>[0]) });
    // audit holds compliance's key (its relay posts events), but export pages are the gateway's alone
    const page = JSON.stringify({ token: 'x', cursor: null, client: null });
    expect(await envelope(await post(`${stack.urls.audit}/internal/exports/page`, 'compliance', serviceKey('compliance'), 'audit:export', page)))
      .toEqual({ status: 401, codes: ['UNAUTHENTICATED'] });
    // identity holds compliance's key (member checks), but sessions are looked up by the gateway alone
    const lookup = JSON.stringify({ token: owner.token });
    expect(await envelope(await post(`${stack.urls.identity}/internal/session`, 'compliance', serviceKey('compliance'), 'identity:session', lookup)))
      .toEqual({ status: 401, codes: ['UNAUTHENTICATED'] });
    // a well-signed call whose body is not the payload
    for (const bad of [{ token: 5 }, [owner.token], 'text']) {
      const body = JSON.stringify(bad);
      expect(await envelope(await post(`${stack.urls.identity}/internal/session`, 'gateway', serviceKey('gateway'), 'identity:session', body)))
        .toEqual({ status: 400, codes: ['BAD_USER_INPUT'] });
    }
    const members = JSON.stringify({ orgId: owner.orgId, userIds: ['not-a-uuid'] });
    expect(await envelope(await post(`${stack.urls.identity}/internal/members`, 'compliance', serviceKey('compliance'), 'identity:members', members)))
      .toEqual({ status: 400, codes: ['BAD_USER_INPUT'] });
  });

  it("audit ingest accepts an event only from the service it names as its source", async () => {
    const event = (source: string) => ({
      id: randomUUID(), orgId: owner.orgId, occurredAt: new Date().toISOString(), actorType: 'user', actorId: owner.userId,
      sessionId: null, apiKeyId: null, action: 'member.role_granted', subjectType: 'Membership', subjectId: null, outcome: 'success',
      requestId: randomUUID(), ip: null, userAgent: null, data: {}, source,
    });
    const ingest = async (signAs: string, key: ReturnType<typeof serviceKey>, events: unknown[]) => {
      const body = JSON.stringify({ events });
      return fetch(`${stack.urls.audit}/internal/events`, {
        method: 'POST', body, headers: { 'content-type': 'application/json', [SERVICE_HEADER]: await signServiceCall(signAs, 'audit:ingest', body, key) },
      });
    };
    const forged = event('identity');
    // compliance's key, compliance's name, an identity event: refused
    expect((await ingest('compliance', serviceKey('compliance'), [forged])).status).toBe(403);
    // compliance's key under identity's name: the signature does not verify
    expect((await ingest('identity', serviceKey('compliance'), [forged])).status).toBe(401);
    // one forged event spoils the batch
    expect((await ingest('compliance', serviceKey('compliance'), [event('compliance'), forged])).status).toBe(403);
    // the gateway posts no events (its access log is gone: reads are recorded by the subgraphs)
    expect((await ingest('gateway', serviceKey('gateway'), [event('gateway')])).status).toBe(401);
    const stored = await adminQuery('select id from audit.events where id = $1', [forged.id]);
    expect(stored).toEqual([]);
    // identity's own key for identity's event is accepted (control case)
    const own = event('identity');
    const accepted = await ingest('identity', serviceKey('identity'), [own]);
    expect(accepted.status).toBe(200);
    expect(await adminQuery('select source from audit.events where id = $1', [own.id])).toEqual([{ source: 'identity' }]);
  });
});
