// Tests of the catalogue command line on the shipped data and the NIST OSCAL fixture.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateCatalog } from '@packets/catalogs';
import { runCatalogs } from './cli';

const NIST = join(__dirname, '../../../libs/catalogs/fixtures/oscal/NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog-min.json');

function run(...argv: string[]): { code: number; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const code = runCatalogs(argv, { log: (l) => out.push(l), error: (l) => err.push(l) });
  return { code, out, err };
}

describe('catalogs check', () => {
  it('accepts the shipped catalogues and starter controls', () => {
    const r = run('check');
    expect(r.code).toBe(0);
    expect(r.out).toEqual([
      'soc2.json: 61 requirements', expect.stringMatching(/^iso27001\.json: 118 requirements$/),
      expect.stringMatching(/^gdpr\.json: \d+ requirements$/), expect.stringMatching(/^dpdp\.json: \d+ requirements$/),
      expect.stringMatching(/^starter-controls\.json: \d+ controls$/),
    ]);
  });

  it('refuses a file with the line and reason, exit 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalogs-cli-'));
    const file = join(dir, 'demo.json');
    writeFileSync(file, '{\n  "key": "demo",\n  "name": "Demo",\n  "version": "1",\n  "requirements": [{ "ref": "D.1", "title": "t" }]\n}\n');
    const r = run('check', file);
    expect(r.code).toBe(1);
    expect(r.err).toEqual(['demo.json:1:1: (root): missing "publisher"']);
  });

  it('answers a usage error with exit 2', () => {
    expect(run().code).toBe(2);
    expect(run('import-oscal').code).toBe(2);
    expect(run('import-oscal', NIST, '--colour').code).toBe(2);
  });
});

describe('catalogs import-oscal', () => {
  it('writes a catalogue file that reads back with every control', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'catalogs-cli-')), 'nist-low.json');
    const r = run('import-oscal', NIST, '--key', 'nist-low', '--publisher', 'NIST', '--source', 'https://csrc.nist.gov', '--out', out);
    expect(r.code).toBe(0);
    expect(r.out).toEqual([`${out}: 149 requirements (key nist-low)`]);
    const c = validateCatalog(readFileSync(out, 'utf8'), 'nist-low.json');
    expect([c.key, c.publisher, c.source, c.requirements.length]).toEqual(['nist-low', 'NIST', 'https://csrc.nist.gov', 149]);
    expect(c.requirements.find((x) => x.ref === 'ia-2.1')?.parent).toBe('ia-2');
  });

  it('refuses a broken OSCAL document with exit 1', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'catalogs-cli-')), 'profile.json');
    writeFileSync(file, JSON.stringify({ profile: { uuid: 'x' } }));
    const r = run('import-oscal', file);
    expect(r.code).toBe(1);
    expect(r.err[0]).toContain('wrong root: this is an OSCAL profile');
  });
});
