import { describe, expect, it } from 'vitest';
import { RedactError, RedactErrorCode } from './errors';
import { KINDS } from './kinds';
import { MAX_INPUT_CHARS, redact } from './redact';
import * as gen from './testing/generate';

describe('redact', () => {
  it('replaces each value with a typed placeholder numbered per kind, the same value keeping its number', () => {
    const r = redact('Mail asha@example.com, then ravi@example.com, then asha@example.com again; call +91 98765 43210 or 9876543210.');
    expect(r.text).toBe('Mail [EMAIL_1], then [EMAIL_2], then [EMAIL_1] again; call [PHONE_1] or [PHONE_1].');
    expect(r.counts.EMAIL).toBe(3);
    expect(r.counts.PHONE).toBe(2);
  });

  it('reports every kind in counts and positions in the original text, never a value', () => {
    const text = 'PAN ABCPE1234F and card 4111 1111 1111 1111.';
    const r = redact(text);
    expect(Object.keys(r.counts).sort()).toEqual([...KINDS].sort());
    expect(r.findings).toEqual([
      { kind: 'PAN', start: 4, end: 14 },
      { kind: 'CARD', start: 24, end: 43 },
    ]);
    expect(text.slice(24, 43)).toBe('4111 1111 1111 1111');
    const meta = JSON.stringify({ counts: r.counts, findings: r.findings });
    expect(meta).not.toContain('ABCPE1234F');
    expect(meta).not.toContain('4111');
    expect(r.text).not.toMatch(/ABCPE1234F|4111/);
  });

  it('redacts a GSTIN once, not the PAN inside it', () => {
    const g = gen.gstin('27', 'ABCPE1234F');
    const r = redact(`GSTIN ${g}`);
    expect(r.text).toBe('GSTIN [GSTIN_1]');
    expect(r.counts.PAN).toBe(0);
  });

  it('redacts an IBAN once, not the card-like digits inside it', () => {
    const iban = gen.grouped(gen.iban('DE', '411111111111111100'));
    expect(redact('4111 1111 1111 1111').counts.CARD).toBe(1);
    const r = redact(`IBAN ${iban} please`);
    expect(r.text).toBe('IBAN [IBAN_1] please');
    expect(r.counts.CARD).toBe(0);
  });

  it('a JWT inside a URL, a bearer header or a password pair is a JWT', () => {
    const t = gen.jwt(gen.rng(7));
    expect(redact(`https://x.example.com/cb?token=${t}&s=1`).text).toBe('https://x.example.com/cb?token=[JWT_1]&s=1');
    expect(redact(`Authorization: Bearer ${t}`).text).toBe('Authorization: Bearer [JWT_1]');
    const r = redact(`password=${t}`);
    expect(r.text).toBe('password=[JWT_1]');
    expect(r.counts.SECRET).toBe(0);
  });

  it('tells a UPI id from an e-mail address', () => {
    expect(redact('pay rahul@okaxis or mail rahul@okaxis.com').text).toBe('pay [UPI_1] or mail [EMAIL_1]');
  });

  it('widens a span when two findings straddle, leaving nothing of either in the clear', () => {
    const key = gen.pem(gen.rng(8), 'PRIVATE KEY', 3, '\\n');
    const r = redact(`{"private_key":"${key}\\n","x":1}`);
    expect(r.text).toBe('{"private_key":"[PRIVATE_KEY_1]","x":1}');
    expect(r.findings).toHaveLength(1);
  });

  it('looks only for the kinds asked for', () => {
    const r = redact('asha@example.com ABCPE1234F', { kinds: ['PAN'] });
    expect(r.text).toBe('asha@example.com [PAN_1]');
    expect(() => redact('x', { kinds: ['NOPE' as never] })).toThrow(/unknown kind NOPE/);
  });

  it('leaves its own placeholders alone, so redacting twice changes nothing', () => {
    const once = redact('password=hunter22 ravi@example.com 9876543210 ABCPE1234F');
    const twice = redact(once.text);
    expect(twice.text).toBe(once.text);
    expect(twice.findings).toEqual([]);
  });

  it('refuses input over the limit with a coded error naming the sizes', () => {
    expect(redact('a'.repeat(10), { maxChars: 10 }).text).toBe('a'.repeat(10));
    let err: unknown;
    try {
      redact('a'.repeat(11), { maxChars: 10 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RedactError);
    expect((err as RedactError).code).toBe(RedactErrorCode.INPUT_TOO_LARGE);
    expect((err as RedactError).message).toBe('redact: the input is 11 characters, over the limit of 10; split it or raise opts.maxChars');
    expect(() => redact('x'.repeat(MAX_INPUT_CHARS + 1))).toThrow(RedactError);
    expect(() => redact(42 as unknown as string)).toThrow(/must be a string/);
  });

  it('finishes on hostile input without finding anything (timing is measured in src/measure.ts)', () => {
    for (const unit of ['1 ', 'a@', '-----BEGIN PRIVATE KEY-----', 'eyJ.', 'password: ', '+1 ', '4111 ']) {
      const r = redact(unit.repeat(Math.floor(50_000 / unit.length)));
      expect(r.findings.length, unit).toBeLessThan(5);
    }
  });

  it('redacts a realistic incident note end to end, keeping the prose', () => {
    const r = gen.rng(9);
    const a = gen.aadhaar(r);
    const g = gen.gstin('29', gen.pan(r, 'C'));
    const key = gen.awsKeyId(r);
    const tok = gen.packetsToken(r, 'pkk_');
    const note = [
      `Incident 2026-11-30: customer Asha Rao (asha.rao@example.in, +91 98450 12345) reported a failed refund to asha@okicici.`,
      `Her KYC record (Aadhaar ${gen.grouped(a)}) and the supplier GSTIN ${g} were attached to ticket #4471, build 2.14.4.`,
      `The CI log printed ${key} and API key ${tok}; DB_PASSWORD=Qx7!rT2p was in the same dump.`,
      `Refund went to IBAN ${gen.grouped(gen.iban('GB', 'WEST12345698765432'))} instead of card 4111 1111 1111 1111.`,
    ].join('\n');
    expect(redact(note).text).toBe(
      [
        'Incident 2026-11-30: customer Asha Rao ([EMAIL_1], [PHONE_1]) reported a failed refund to [UPI_1].',
        'Her KYC record (Aadhaar [AADHAAR_1]) and the supplier GSTIN [GSTIN_1] were attached to ticket #4471, build 2.14.4.',
        'The CI log printed [AWS_KEY_1] and API key [PACKETS_TOKEN_1]; DB_PASSWORD=[SECRET_1] was in the same dump.',
        'Refund went to IBAN [IBAN_1] instead of card [CARD_1].',
      ].join('\n'),
    );
  });

  it('returns empty text unchanged', () => {
    expect(redact('')).toEqual({ text: '', counts: Object.fromEntries(KINDS.map((k) => [k, 0])), findings: [] });
  });
});
