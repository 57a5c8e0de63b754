import { describe, expect, it } from 'vitest';
import { createCipheriv, randomBytes } from 'node:crypto';
import { CryptoError, decrypt, encrypt, fileCipher, fileDecipher, newDataKey, unwrapDataKey, wrapDataKey } from './envelope';

describe('envelope encryption', () => {
  const master = newDataKey();

  it('round-trips and binds the value to its context', () => {
    const key = newDataKey();
    const sealed = encrypt(key, 'JBSWY3DPEHPK3PXP', 'totp:org-1:user-1');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(decrypt(key, sealed, 'totp:org-1:user-1').toString()).toBe('JBSWY3DPEHPK3PXP');
    expect(() => decrypt(key, sealed, 'totp:org-2:user-1')).toThrow(CryptoError);
    expect(() => decrypt(newDataKey(), sealed, 'totp:org-1:user-1')).toThrow(CryptoError);
  });

  it('detects a flipped bit', () => {
    const key = newDataKey();
    const parts = encrypt(key, 'secret', 'a').split('.');
    const ct = Buffer.from(parts[3]!, 'base64url');
    ct[0] = ct[0]! ^ 1;
    parts[3] = ct.toString('base64url');
    expect(() => decrypt(key, parts.join('.'), 'a')).toThrow(CryptoError);
  });

  it('refuses a truncated authentication tag (GCM would otherwise check only its first bytes)', () => {
    const key = newDataKey();
    const parts = encrypt(key, 'secret', 'a').split('.');
    parts[2] = Buffer.from(parts[2]!, 'base64url').subarray(0, 4).toString('base64url');
    expect(() => decrypt(key, parts.join('.'), 'a')).toThrow(CryptoError);
    // a value sealed with a genuine 4-byte tag (what an attacker forges by brute force) is refused too
    const iv = randomBytes(12);
    const short = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 4 });
    short.setAAD(Buffer.from('a'));
    const ct = Buffer.concat([short.update('forged'), short.final()]);
    const forged = ['v1', iv.toString('base64url'), short.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
    expect(() => decrypt(key, forged, 'a')).toThrow(CryptoError);
    // files: same rule
    const file = fileCipher(key, 'f');
    file.cipher.update('data');
    file.cipher.final();
    expect(() => fileDecipher(key, file.iv, file.cipher.getAuthTag().subarray(0, 4), 'f')).toThrow(CryptoError);
    expect(() => fileDecipher(key, file.iv, file.cipher.getAuthTag(), 'f')).not.toThrow();
  });

  it('wraps data keys per organisation', () => {
    const dk = newDataKey();
    const wrapped = wrapDataKey(master, dk, 'org-1');
    expect(unwrapDataKey(master, wrapped, 'org-1').equals(dk)).toBe(true);
    expect(() => unwrapDataKey(master, wrapped, 'org-2')).toThrow(CryptoError);
  });
});
