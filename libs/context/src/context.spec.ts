import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { generateSigningKeyPair, importPrivateKey, importPublicKey } from '@packets/crypto';
import { ANONYMOUS, ContextVerificationError, serviceKeys, signRequestContext, signServiceCall, verifyRequestContext, verifyServiceCall } from './index';

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
    const senders = serviceKeys({ compliance: pub }, 'compliance');
    await expect(verifyServiceCall(token, 'audit:ingest', '{"a":1}', senders)).resolves.toEqual({ service: 'compliance' });
    await expect(verifyServiceCall(token, 'audit:ingest', '{"a":2}', senders)).rejects.toBeInstanceOf(ContextVerificationError);
  });

  it('are verified with the key of the sender they name, and only senders the receiver accepts', async () => {
    const o = generateSigningKeyPair();
    const other = { privateKey: importPrivateKey(o.privateKey), publicKey: importPublicKey(o.publicKey) };
    // signed with compliance's key but claiming to be identity: identity's key does not verify it
    const claimed = await signServiceCall('identity', 'audit:ingest', '{}', priv);
    const senders = serviceKeys({ compliance: pub, identity: other.publicKey }, 'compliance', 'identity');
    await expect(verifyServiceCall(claimed, 'audit:ingest', '{}', senders)).rejects.toBeInstanceOf(ContextVerificationError);
    const byIdentity = await signServiceCall('identity', 'audit:ingest', '{}', other.privateKey);
    await expect(verifyServiceCall(byIdentity, 'audit:ingest', '{}', senders)).resolves.toEqual({ service: 'identity' });
    // a sender the receiver does not accept, whatever its key
    await expect(verifyServiceCall(byIdentity, 'audit:ingest', '{}', serviceKeys({ compliance: pub }, 'compliance')))
      .rejects.toThrow('service not accepted here');
  });
});
