import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { generateSigningKeyPair, importPrivateKey, importPublicKey } from '@packets/crypto';
import { ANONYMOUS, ContextVerificationError, signRequestContext, signServiceCall, verifyRequestContext, verifyServiceCall } from './index';

const pair = generateSigningKeyPair();
const priv = importPrivateKey(pair.privateKey);
const pub = importPublicKey(pair.publicKey);
const claims = { actor: ANONYMOUS, meta: { requestId: randomUUID(), ip: null, userAgent: null } };

describe('request context', () => {
  it('round-trips for the named audience', async () => {
    const token = await signRequestContext(claims, 'compliance', priv);
    expect(await verifyRequestContext(token, 'compliance', pub)).toEqual(claims);
  });

  it('refuses another audience, an expired token and a missing one', async () => {
    const token = await signRequestContext(claims, 'compliance', priv);
    await expect(verifyRequestContext(token, 'audit', pub)).rejects.toBeInstanceOf(ContextVerificationError);
    const now = new Date();
    const old = await signRequestContext(claims, 'compliance', priv, new Date(now.getTime() - 61_000));
    await expect(verifyRequestContext(old, 'compliance', pub, now)).rejects.toBeInstanceOf(ContextVerificationError);
    await expect(verifyRequestContext(undefined, 'compliance', pub)).rejects.toBeInstanceOf(ContextVerificationError);
  });

  it('refuses a token from the future-dated clock skew beyond its lifetime', async () => {
    const now = new Date();
    const future = await signRequestContext(claims, 'compliance', priv, new Date(now.getTime() + 120_000));
    await expect(verifyRequestContext(future, 'compliance', pub, now)).rejects.toBeInstanceOf(ContextVerificationError);
  });
});

describe('service calls', () => {
  it('bind the body', async () => {
    const token = await signServiceCall('compliance', 'audit:ingest', '{"a":1}', priv);
    await expect(verifyServiceCall(token, 'audit:ingest', '{"a":1}', pub)).resolves.toEqual({ service: 'compliance' });
    await expect(verifyServiceCall(token, 'audit:ingest', '{"a":2}', pub)).rejects.toBeInstanceOf(ContextVerificationError);
  });
});
