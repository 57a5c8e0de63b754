// Many generated values per checked kind, in varied sentences: each valid one is found
// exactly, and the same value with its check broken is not (the corpus holds a few
// hand-picked cases; this holds hundreds).
import { describe, expect, it } from 'vitest';
import type { Kind } from './kinds';
import { redact } from './redact';
import * as gen from './testing/generate';

const TEMPLATES = ['Value: {}', 'see ({}) above', '{}.', 'a, {}, b', '"{}"', 'x\n{}\ny', '| {} |', 'id={}&next=1'];

function check(kind: Kind, valid: string[], broken: string[]): void {
  let found = 0;
  let wrong = 0;
  valid.forEach((v, i) => {
    const text = TEMPLATES[i % TEMPLATES.length]!.replace('{}', v);
    const f = redact(text).findings;
    if (f.length === 1 && f[0]!.kind === kind && text.slice(f[0]!.start, f[0]!.end) === v) found++;
  });
  broken.forEach((v, i) => {
    const text = TEMPLATES[i % TEMPLATES.length]!.replace('{}', v);
    if (redact(text).findings.some((f) => f.kind === kind)) wrong++;
  });
  expect(found, `${kind}: ${found} of ${valid.length} found`).toBe(valid.length);
  expect(wrong, `${kind}: ${wrong} of ${broken.length} broken values found`).toBe(0);
}

const N = 200;
const many = <T>(f: (i: number) => T): T[] => Array.from({ length: N }, (_, i) => f(i));

describe('generated values', () => {
  it('Aadhaar: every Verhoeff-valid number, none with the last digit changed', () => {
    const r = gen.rng(21);
    const valid = many(() => gen.aadhaar(r));
    check('AADHAAR', valid.map((a, i) => (i % 3 === 0 ? a : gen.grouped(a, 4, i % 3 === 1 ? ' ' : '-'))), valid.map((a) => gen.grouped(gen.wrongLast(a))));
  });

  it('cards: every Luhn-valid number of a known issuer, none with the last digit changed', () => {
    const r = gen.rng(22);
    const issuers: [string, number][] = [['4', 16], ['51', 16], ['2221', 16], ['37', 15], ['6011', 16], ['6521', 16], ['60', 16], ['3530', 16]];
    const valid = many((i) => gen.card(r, ...issuers[i % issuers.length]!));
    const fmt = (c: string, i: number) => (i % 2 === 0 ? c : c.length === 15 ? `${c.slice(0, 4)} ${c.slice(4, 10)} ${c.slice(10)}` : gen.grouped(c));
    check('CARD', valid.map(fmt), valid.map((c, i) => fmt(gen.wrongLast(c), i)));
  });

  it('GSTIN: every mod-36-valid number, none with another check character', () => {
    const r = gen.rng(23);
    const valid = many((i) => gen.gstin(String(1 + (i % 38)).padStart(2, '0'), gen.pan(r, 'ABCFGHJLPT'[i % 10])));
    check('GSTIN', valid, valid.map((g) => g.slice(0, 14) + (g[14] === 'A' ? 'B' : 'A')));
  });

  it('IBAN: every mod-97-valid number, none with the check digits off by one', () => {
    const r = gen.rng(24);
    const valid = many((i) => (i % 2 ? gen.iban('DE', gen.pick(r, gen.DIGITS, 18)) : gen.iban('GB', `NWBK${gen.pick(r, gen.DIGITS, 14)}`)));
    const off = (s: string) => `${s.slice(0, 2)}${String((Number(s.slice(2, 4)) % 97) + 1).padStart(2, '0')}${s.slice(4)}`;
    check('IBAN', valid.map((v, i) => (i % 4 < 2 ? v : gen.grouped(v))), valid.map(off));
  });

  it("Packets tokens: every token the way libs/crypto mints them, none a character short", () => {
    const r = gen.rng(25);
    const valid = many((i) => gen.packetsToken(r, ['pks_', 'pkk_', 'pki_', 'pkm_', 'pkj_'][i % 5]));
    check('PACKETS_TOKEN', valid, valid.map((t) => t.slice(0, -1)));
  });

  it('JWTs: every token whose header names an alg, none whose header does not', () => {
    const r = gen.rng(26);
    const valid = many((i) => gen.jwt(r, { alg: ['HS256', 'RS256', 'ES384', 'EdDSA'][i % 4], typ: 'JWT' }, { sub: `u-${i}`, n: i }));
    check('JWT', valid, many((i) => gen.jwt(r, { typ: 'JWT', kid: `k${i}` }, { sub: `u-${i}` })));
  });
});
