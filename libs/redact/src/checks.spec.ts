import { randomToken } from '@packets/crypto';
import { describe, expect, it } from 'vitest';
import { gstinCheckChar, isAadhaar, isCardNumber, isEmailAddress, isGstin, isIban, isJwtHeader, isPacketsToken, isPan } from './checks';
import * as gen from './testing/generate';

const b64 = (s: string) => Buffer.from(s).toString('base64url');

describe('Verhoeff (Aadhaar)', () => {
  it('computes the textbook check digit', () => {
    expect(gen.verhoeffDigit('236')).toBe('3'); // Verhoeff's worked example: 2363
    expect(gen.verhoeffDigit('12345')).toBe('1');
  });

  it('agrees with validator on generated numbers and refuses every single-digit change', () => {
    const r = gen.rng(1);
    for (let i = 0; i < 500; i++) {
      const a = gen.aadhaar(r);
      expect(isAadhaar(a)).toBe(true);
      expect(isAadhaar(gen.wrongLast(a))).toBe(false);
      const pos = i % 11; // Verhoeff catches every single-digit error
      const changed = a.slice(0, pos) + String((Number(a[pos]) + 1 + (i % 8)) % 10) + a.slice(pos + 1);
      if (changed !== a && /^[2-9]/.test(changed)) expect(isAadhaar(changed)).toBe(false);
    }
  });

  it('refuses a first digit 0 or 1 and a wrong length', () => {
    const body = '12345678901';
    expect(isAadhaar(body + gen.verhoeffDigit(body))).toBe(false);
    const a = gen.aadhaar(gen.rng(2));
    expect(isAadhaar(a.slice(1))).toBe(false);
    expect(isAadhaar(`${a}0`)).toBe(false);
  });
});

describe('Luhn and issuer ranges (cards)', () => {
  it('accepts known test numbers and generated ones', () => {
    expect(gen.luhnDigit('7992739871')).toBe('3'); // Luhn's worked example: 79927398713
    for (const n of ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '3530111333300000', '30569309025904']) {
      expect(isCardNumber(n)).toBe(true);
    }
    const r = gen.rng(3);
    for (const [prefix, len] of [['4', 16], ['51', 16], ['2720', 16], ['34', 15], ['6521', 16], ['6070', 16], ['508', 16], ['81', 16]] as const) {
      const c = gen.card(r, prefix, len);
      expect(isCardNumber(c), c).toBe(true);
      expect(isCardNumber(gen.wrongLast(c)), c).toBe(false);
    }
  });

  it('refuses a Luhn-valid number outside every issuer range, and Mastercard of the wrong length', () => {
    const r = gen.rng(4);
    expect(isCardNumber(gen.card(r, '9', 16))).toBe(false);
    expect(isCardNumber(gen.card(r, '1', 16))).toBe(false);
    expect(isCardNumber(gen.card(r, '53', 15))).toBe(false);
    expect(isCardNumber(gen.card(r, '53', 19))).toBe(false);
    expect(isCardNumber('4111111111111112')).toBe(false);
    expect(isCardNumber('411111111111')).toBe(false);
  });
});

describe('GSTIN mod 36', () => {
  it('computes the check character of published sample GSTINs', () => {
    expect(gstinCheckChar('27AAPFU0939F1Z')).toBe('V');
    expect(gstinCheckChar('29AAGCB7383J1Z')).toBe('4');
    expect(isGstin('27AAPFU0939F1ZV')).toBe(true);
    expect(isGstin('27AAPFU0939F1ZW')).toBe(false);
  });

  it('refuses a bad state code, a PAN with a bad holder type, a missing Z', () => {
    const withCheck = (first14: string) => first14 + gstinCheckChar(first14)!;
    expect(isGstin(withCheck('00AAPFU0939F1Z'))).toBe(false);
    expect(isGstin(withCheck('39AAPFU0939F1Z'))).toBe(false);
    expect(isGstin(withCheck('99AAPFU0939F1Z'))).toBe(true);
    expect(isGstin(withCheck('27AAPDU0939F1Z'))).toBe(false); // D is no holder type
    expect(isGstin(withCheck('27AAPFU0939F1Y'))).toBe(false);
    expect(isGstin(withCheck('27AAPFU0939F0Z'))).toBe(false);
    expect(gstinCheckChar('27aapfu0939f1z')).toBeNull();
  });

  it('catches every single-character change of generated GSTINs', () => {
    const r = gen.rng(5);
    for (let i = 0; i < 200; i++) {
      const g = gen.gstin('27', gen.pan(r, 'C'));
      expect(isGstin(g)).toBe(true);
      const pos = 7 + (i % 4); // a digit of the PAN
      const changed = g.slice(0, pos) + String((Number(g[pos]) + 1) % 10) + g.slice(pos + 1);
      expect(isGstin(changed)).toBe(false);
    }
  });
});

describe('PAN', () => {
  it('knows the holder types', () => {
    for (const h of 'ABCFGHJLPT') expect(isPan(`ABC${h}E1234F`)).toBe(true);
    for (const h of 'DEIKMNOQRSUVWXYZ') expect(isPan(`ABC${h}E1234F`)).toBe(false);
    expect(isPan('ABCPE1234')).toBe(false);
  });
});

describe('IBAN mod 97 (ibantools)', () => {
  it('accepts the published examples and generated ones, refuses changed check digits', () => {
    expect(isIban('DE89 3704 0044 0532 0130 00')).toBe(true);
    expect(isIban('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(isIban('GB82 WEST 1234 5698 7654 33')).toBe(false);
    expect(isIban('DE98 3704 0044 0532 0130 00')).toBe(false);
    const r = gen.rng(6);
    for (let i = 0; i < 100; i++) {
      const iban = gen.iban('DE', gen.pick(r, gen.DIGITS, 18));
      expect(isIban(iban)).toBe(true);
      expect(isIban(iban.slice(0, 21) + String((Number(iban[21]) + 1) % 10))).toBe(false);
    }
  });
});

describe('e-mail, JWT header, Packets tokens', () => {
  it('e-mail needs a real top-level domain', () => {
    expect(isEmailAddress('a.b@example.co.in')).toBe(true);
    expect(isEmailAddress('icon@2x.png')).toBe(false);
    expect(isEmailAddress('user@localhost')).toBe(false);
    expect(isEmailAddress('lodash@4.17.21')).toBe(false);
  });

  it('a JWT header is a JSON object with a string alg', () => {
    expect(isJwtHeader(b64('{"alg":"HS256","typ":"JWT"}'))).toBe(true);
    expect(isJwtHeader(b64('{ "alg": "none" }'))).toBe(true);
    expect(isJwtHeader(b64('{"typ":"JWT"}'))).toBe(false);
    expect(isJwtHeader(b64('{"alg":5}'))).toBe(false);
    expect(isJwtHeader(b64('["alg"]'))).toBe(false);
    expect(isJwtHeader(b64('{"alg":"HS256"'))).toBe(false);
  });

  it('recognises the tokens libs/crypto mints, and nothing a character off', () => {
    for (const prefix of ['pks_', 'pkk_', 'pki_', 'pkm_', 'pkj_']) {
      for (let i = 0; i < 50; i++) expect(isPacketsToken(randomToken(prefix))).toBe(true);
    }
    const t = randomToken('pks_');
    expect(isPacketsToken(t.slice(0, -1))).toBe(false);
    expect(isPacketsToken(`${t}A`)).toBe(false);
    expect(isPacketsToken(`pkx_${t.slice(4)}`)).toBe(false);
    expect(isPacketsToken(`${t.slice(0, -1)}${t.endsWith('B') ? 'C' : 'B'}`)).toBe(false); // not the end of 32 bytes
  });
});
