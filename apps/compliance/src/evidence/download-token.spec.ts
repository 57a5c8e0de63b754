import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signDownloadToken, verifyDownloadToken } from './download-token';

describe('evidence download tokens', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const claims = { evidenceId: 'e1', orgId: 'o1', actorKind: 'user' as const, actorId: 'u1' };
  const t0 = new Date('2026-01-01T00:00:00Z');

  it('verify until they expire, then not', async () => {
    const { token, expiresAt } = await signDownloadToken(privateKey, claims, t0, 300);
    expect(expiresAt.toISOString()).toBe('2026-01-01T00:05:00.000Z');
    expect(await verifyDownloadToken(publicKey, token, new Date('2026-01-01T00:04:59Z'))).toEqual(claims);
    expect(await verifyDownloadToken(publicKey, token, new Date('2026-01-01T00:05:01Z'))).toBeNull();
  });

  it('refuse another key and any altered token', async () => {
    const { token } = await signDownloadToken(privateKey, claims, t0, 300);
    const other = generateKeyPairSync('ed25519').publicKey;
    expect(await verifyDownloadToken(other, token, t0)).toBeNull();
    const [h, p, s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), sub: 'e2' })).toString('base64url');
    expect(await verifyDownloadToken(publicKey, `${h}.${forged}.${s}`, t0)).toBeNull();
    expect(await verifyDownloadToken(publicKey, 'not-a-token', t0)).toBeNull();
  });
});
