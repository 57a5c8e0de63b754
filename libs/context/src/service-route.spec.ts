import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { generateSigningKeyPair, importPrivateKey, importPublicKey } from '@packets/crypto';
import {
  auditIngest, callService, memberCheck, serviceKeys, serviceRoute, sessionLookup, signServiceCall, routeKey,
  SERVICE_HEADER, type FetchLike, type ServiceName, type ServiceProtocol, type VerifiedCall,
} from './index';

const pairs = Object.fromEntries((['gateway', 'compliance', 'identity'] as const).map((n) => {
  const p = generateSigningKeyPair();
  return [n, { priv: importPrivateKey(p.privateKey), pub: importPublicKey(p.publicKey) }];
})) as Record<'gateway' | 'compliance' | 'identity', { priv: ReturnType<typeof importPrivateKey>; pub: ReturnType<typeof importPublicKey> }>;

// identity holds the gateway's key (sessions, SSO) and compliance's (member checks)
const identityHolds = serviceKeys({ gateway: pairs.gateway.pub, compliance: pairs.compliance.pub }, 'gateway', 'compliance');
// audit holds the keys of the subgraphs whose relays post events
const auditHolds = serviceKeys({ identity: pairs.identity.pub, compliance: pairs.compliance.pub }, 'identity', 'compliance');

function serve<P, R>(p: ServiceProtocol<P, R>, keys = identityHolds) {
  const calls: { input: P; call: VerifiedCall }[] = [];
  const route = serviceRoute(p, keys, (input, call) => {
    calls.push({ input, call });
    return Promise.resolve({ status: 200, json: { ok: true } });
  })[routeKey(p)]!;
  const post = async (body: string, token: string | undefined) => {
    const req = { headers: token ? { [SERVICE_HEADER]: token } : {} } as unknown as IncomingMessage;
    return route(req, body);
  };
  return { calls, post };
}

const code = (json: unknown) => (json as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code;

describe('serviceRoute', () => {
  const body = JSON.stringify({ token: 'pks_x', ip: '10.0.0.1', userAgent: 'UA' });

  it('hands the handler the checked payload and the verified caller', async () => {
    const { calls, post } = serve(sessionLookup);
    const out = await post(body, await signServiceCall('gateway', sessionLookup.audience, body, pairs.gateway.priv));
    expect(out.status).toBe(200);
    expect(calls.map((c) => ({ input: c.input, caller: c.call.caller }))).toEqual([{ input: { token: 'pks_x', ip: '10.0.0.1', userAgent: 'UA' }, caller: 'gateway' }]);
  });

  it("refuses a token signed with one service's key that names another as its source", async () => {
    const { calls, post } = serve(auditIngest, auditHolds);
    const batch = JSON.stringify({ events: [{ source: 'identity' }] });
    // compliance's valid signature, both keys held by audit and both senders of the protocol, but the token claims identity
    const posing = await signServiceCall('identity', auditIngest.audience, batch, pairs.compliance.priv);
    const out = await post(batch, posing);
    expect(out.status).toBe(401);
    expect(code(out.json)).toBe('UNAUTHENTICATED');
    expect(calls).toEqual([]);
    // each under its own name passes, and the handler learns which one signed
    await post(batch, await signServiceCall('identity', auditIngest.audience, batch, pairs.identity.priv));
    await post(batch, await signServiceCall('compliance', auditIngest.audience, batch, pairs.compliance.priv));
    expect(calls.map((c) => c.call.caller)).toEqual(['identity', 'compliance']);
  });

  it('refuses a sender the protocol does not list, though the receiver holds its key for another protocol', async () => {
    const { calls, post } = serve(sessionLookup);
    const own = await signServiceCall('compliance', sessionLookup.audience, body, pairs.compliance.priv);
    const out = await post(body, own);
    expect(out.status).toBe(401);
    expect(code(out.json)).toBe('UNAUTHENTICATED');
    // the same key opens the protocol it is listed for
    const check = serve(memberCheck);
    const q = JSON.stringify({ orgId: '00000000-0000-4000-8000-000000000001', userIds: [] });
    expect((await check.post(q, await signServiceCall('compliance', memberCheck.audience, q, pairs.compliance.priv))).status).toBe(200);
    expect(calls).toEqual([]);
  });

  it('refuses another audience, another typ, an unsigned call and a token for another body', async () => {
    const { calls, post } = serve(sessionLookup);
    const key = pairs.gateway.priv;
    expect((await post(body, await signServiceCall('gateway', 'identity:sso-start', body, key))).status).toBe(401);
    expect((await post(body, await signServiceCall('gateway', sessionLookup.audience, body, key, new Date(), 'packets-evidence+jwt'))).status).toBe(401);
    expect((await post(body, undefined)).status).toBe(401);
    expect((await post(body, await signServiceCall('gateway', sessionLookup.audience, '{"token":"other"}', key))).status).toBe(401);
    const old = await signServiceCall('gateway', sessionLookup.audience, body, key, new Date(Date.now() - 61_000));
    expect((await post(body, old)).status).toBe(401);
    expect(calls).toEqual([]);
  });

  it('answers a payload of the wrong shape 400 in the envelope, before the handler', async () => {
    const { calls, post } = serve(memberCheck);
    const signed = async (b: string) => post(b, await signServiceCall('compliance', memberCheck.audience, b, pairs.compliance.priv));
    for (const bad of [{ orgId: 'not-a-uuid', userIds: [] }, { orgId: '00000000-0000-4000-8000-000000000001', userIds: ['x'] }, [1, 2], 'text']) {
      const out = await signed(JSON.stringify(bad));
      expect(out.status).toBe(400);
      const [error, ...more] = (out.json as { errors: { message: unknown; extensions: unknown }[] }).errors;
      expect(more).toEqual([]);
      expect(error!.extensions).toEqual({ code: 'BAD_USER_INPUT' });
      expect(typeof error!.message).toBe('string');
    }
    const notJson = await signed('{');
    expect(notJson).toEqual({ status: 400, json: { errors: [{ message: 'The body must be JSON', extensions: { code: 'BAD_USER_INPUT' } }] } });
    expect(calls).toEqual([]);
  });

  it('is refused at start-up when the receiver holds no key of any sender', () => {
    expect(() => serviceRoute(auditIngest, serviceKeys({ gateway: pairs.gateway.pub }, 'gateway'), () => Promise.resolve({ status: 200, json: {} })))
      .toThrow(/no key of a sender of audit ingest/);
  });
});

describe('callService', () => {
  // the receiver's route behind a fetch, as it would be over HTTP
  function fetchTo<P, R>(p: ServiceProtocol<P, R>, answer: (input: P) => { status: number; json: unknown }): FetchLike {
    const route = serviceRoute(p, identityHolds, (input) => Promise.resolve(answer(input)))[routeKey(p)]!;
    return async (url, init) => {
      expect(url).toBe(`http://identity${p.path}`);
      const out = await route({ headers: { [SERVICE_HEADER]: init.headers[SERVICE_HEADER] } } as unknown as IncomingMessage, init.body);
      return { status: out.status, ok: out.status < 300, json: () => Promise.resolve(out.json) };
    };
  }

  it('signs for the protocol and returns the typed answer, or the refusal of the envelope', async () => {
    const fetch = fetchTo(sessionLookup, (input) => (input.token === 'good'
      ? { status: 200, json: { actor: { kind: 'anonymous' }, expiresAt: null } }
      : { status: 401, json: { errors: [{ message: 'invalid session', extensions: { code: 'UNAUTHENTICATED' } }] } }));
    const gateway = { service: 'gateway' as ServiceName, key: pairs.gateway.priv, fetch };
    const ok = await callService(sessionLookup, gateway, 'http://identity', { token: 'good', ip: null, userAgent: null });
    expect(ok).toEqual({ ok: true, status: 200, answer: { actor: { kind: 'anonymous' }, expiresAt: null } });
    const refused = await callService(sessionLookup, gateway, 'http://identity', { token: 'bad', ip: null, userAgent: null });
    expect(refused).toEqual({ ok: false, status: 401, error: { code: 'UNAUTHENTICATED', message: 'invalid session' } });
  });

  it('will not sign for a protocol its service is not a sender of', async () => {
    const fetch: FetchLike = () => Promise.reject(new Error('never sent'));
    await expect(callService(sessionLookup, { service: 'compliance', key: pairs.compliance.priv, fetch }, 'http://identity', { token: 'x', ip: null, userAgent: null }))
      .rejects.toThrow(/compliance may not call session look-up/);
  });
});
