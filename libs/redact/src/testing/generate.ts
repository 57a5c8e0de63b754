// Made-up identifiers for the specs, built with each format's own check algorithm from a
// seeded generator: valid by construction, reproducible, and nobody's real number.
// The secrets are assembled at run time so the sources hold no key-shaped literal.
import { gstinCheckChar } from '../checks';

export { gstinCheckChar };

/** mulberry32: a small seeded PRNG, so every run builds the same corpus */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick(r: () => number, alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)]!;
  return s;
}

export const DIGITS = '0123456789';
export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const ALNUM = `${UPPER}abcdefghijklmnopqrstuvwxyz${DIGITS}`;
export const BASE64URL = `${ALNUM}-_`;

// Verhoeff (dihedral group D5), written out here independently of validator's copy
const D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6], [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1], [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2], [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1], [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

export function verhoeffDigit(body: string): string {
  let c = 0;
  const rev = body.split('').reverse().map(Number);
  for (let i = 0; i < rev.length; i++) c = D[c]![P[(i + 1) % 8]![rev[i]!]!]!;
  return String(INV[c]);
}

export function luhnDigit(body: string): string {
  let sum = 0;
  const rev = body.split('').reverse().map(Number);
  for (let i = 0; i < rev.length; i++) {
    let d = rev[i]!;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** the same number with its last digit changed: a near miss for any check digit */
export function wrongLast(s: string): string {
  const last = s[s.length - 1]!;
  return s.slice(0, -1) + String((Number(last) + 1) % 10);
}

export function aadhaar(r: () => number): string {
  const body = pick(r, '23456789', 1) + pick(r, DIGITS, 10);
  return body + verhoeffDigit(body);
}

export function card(r: () => number, prefix: string, length: number): string {
  const body = prefix + pick(r, DIGITS, length - prefix.length - 1);
  return body + luhnDigit(body);
}

export function pan(r: () => number, holder = 'P'): string {
  return pick(r, UPPER, 3) + holder + pick(r, UPPER, 1) + pick(r, DIGITS, 4) + pick(r, UPPER, 1);
}

export function gstin(state: string, panValue: string, entity = '1'): string {
  const first14 = `${state}${panValue}${entity}Z`;
  return first14 + gstinCheckChar(first14)!;
}

/** ISO 13616 check digits: 98 - (BBAN + country + "00", letters as 10-35) mod 97 */
export function iban(country: string, bban: string): string {
  const numeric = `${bban}${country}00`.replace(/[A-Z]/g, (ch) => String(ch.charCodeAt(0) - 55));
  let rem = 0;
  for (const ch of numeric) rem = (rem * 10 + Number(ch)) % 97;
  return `${country}${String(98 - rem).padStart(2, '0')}${bban}`;
}

export function grouped(s: string, size = 4, sep = ' '): string {
  return s.match(new RegExp(`.{1,${size}}`, 'g'))!.join(sep);
}

const b64url = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');

export function jwt(r: () => number, header: object = { alg: 'HS256', typ: 'JWT' }, claims: object = { sub: 'u-1', iat: 1767225600 }): string {
  return `${b64url(header)}.${b64url(claims)}.${pick(r, BASE64URL, 43)}`;
}

/** 32 random bytes in base64url after a pk?_ prefix, as libs/crypto randomToken makes them */
export function packetsToken(r: () => number, prefix = 'pks_'): string {
  const bytes = Buffer.from(Array.from({ length: 32 }, () => Math.floor(r() * 256)));
  return prefix + bytes.toString('base64url');
}

export function awsKeyId(r: () => number, prefix = ['AK', 'IA'].join('')): string {
  return prefix + pick(r, `${UPPER}234567`, 16);
}

export function awsSecret(r: () => number): string {
  return pick(r, `${ALNUM}+/`, 40);
}

export function githubToken(r: () => number, kind = 'p'): string {
  return `gh${kind}_${pick(r, ALNUM, 36)}`;
}

export function slackToken(r: () => number, kind = 'b'): string {
  return `xox${kind}-${pick(r, DIGITS, 11)}-${pick(r, DIGITS, 13)}-${pick(r, ALNUM, 24)}`;
}

export function googleApiKey(r: () => number): string {
  return ['AI', 'za'].join('') + pick(r, `${ALNUM}-_`, 35);
}

export function stripeKey(r: () => number): string {
  return ['sk', 'live', ''].join('_') + pick(r, ALNUM, 24);
}

/** a PEM block with random base64 (not a real key), in the given armour */
export function pem(r: () => number, label = 'PRIVATE KEY', lines = 6, eol = '\n'): string {
  const body = Array.from({ length: lines }, () => pick(r, `${ALNUM}+/`, 64)).join(eol);
  const dash = '-'.repeat(5);
  return `${dash}BEGIN ${label}${dash}${eol}${body}${eol}${dash}END ${label}${dash}`;
}
