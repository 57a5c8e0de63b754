import { describe, expect, it } from 'vitest';
import { CryptoError, decrypt, encrypt, newDataKey, unwrapDataKey, wrapDataKey } from './envelope';

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

  it('wraps data keys per organisation', () => {
    const dk = newDataKey();
    const wrapped = wrapDataKey(master, dk, 'org-1');
    expect(unwrapDataKey(master, wrapped, 'org-1').equals(dk)).toBe(true);
    expect(() => unwrapDataKey(master, wrapped, 'org-2')).toThrow(CryptoError);
  });
});
