// RFC 6238 Appendix B test vectors, with the erratum applied: the SHA-256 seed is
// 32 bytes and the SHA-512 seed 64 bytes (the appendix's table was computed so).
import { describe, expect, it } from 'vitest';
import { totp } from 'otplib';
import { HashAlgorithms, KeyEncodings } from '@otplib/core';
import { matchTotp, newTotpSecret, totpNow } from './totp';

const SEEDS = {
  [HashAlgorithms.SHA1]: '12345678901234567890',
  [HashAlgorithms.SHA256]: '12345678901234567890123456789012',
  [HashAlgorithms.SHA512]: '1234567890123456789012345678901234567890123456789012345678901234',
};

const VECTORS: [number, string, string, string][] = [
  // time (s), SHA1, SHA256, SHA512
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

describe('TOTP: RFC 6238 Appendix B', () => {
  for (const [time, sha1, sha256, sha512] of VECTORS) {
    it(`T = ${time}`, () => {
      const expected = { [HashAlgorithms.SHA1]: sha1, [HashAlgorithms.SHA256]: sha256, [HashAlgorithms.SHA512]: sha512 };
      for (const algorithm of [HashAlgorithms.SHA1, HashAlgorithms.SHA256, HashAlgorithms.SHA512]) {
        const generator = totp.clone({ algorithm, digits: 8, step: 30, epoch: time * 1000, encoding: KeyEncodings.ASCII });
        expect(generator.generate(SEEDS[algorithm]), algorithm).toBe(expected[algorithm]);
      }
    });
  }
});

describe('matchTotp', () => {
  const secret = newTotpSecret();
  const now = new Date('2026-11-27T10:00:15Z');

  it('matches the current code and reports its step', () => {
    expect(matchTotp(secret, totpNow(secret, now), now)).toBe(Math.floor(now.getTime() / 30_000));
  });

  it('accepts one step of drift, not two', () => {
    const earlier = new Date(now.getTime() - 30_000);
    const muchEarlier = new Date(now.getTime() - 90_000);
    expect(matchTotp(secret, totpNow(secret, earlier), now)).toBe(Math.floor(now.getTime() / 30_000) - 1);
    expect(matchTotp(secret, totpNow(secret, muchEarlier), now)).toBeNull();
  });

  it('refuses malformed codes', () => {
    for (const code of ['', '12345', '1234567', 'abcdef', '12 345']) expect(matchTotp(secret, code, now)).toBeNull();
  });
});
