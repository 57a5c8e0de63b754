import { describe, expect, it } from 'vitest';
import { commonPasswordCount, newPassword } from './password-policy';

describe('password policy', () => {
  it('ships a list of at least 10,000 common passwords', () => {
    expect(commonPasswordCount()).toBeGreaterThanOrEqual(10_000);
  });

  it.each(['123qweasdzxc', 'Password1234', 'qwertyuiop123'])('refuses the common password %s, whatever its case', (pw) => {
    expect(() => newPassword(pw)).toThrowError(/too common/);
  });

  it('refuses short and overlong passwords, accepts a long uncommon one', () => {
    expect(() => newPassword('short')).toThrowError('password must be at least 12 characters');
    expect(() => newPassword('x'.repeat(129))).toThrowError('password must be at most 128 characters');
    expect(newPassword('correct horse battery staple')).toBe('correct horse battery staple');
  });
});
