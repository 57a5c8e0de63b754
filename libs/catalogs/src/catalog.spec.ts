// Tests of the built-in catalogue data (counts, refs, mappings) and of catalogue / starter-control validation.
import { describe, expect, it } from 'vitest';
import { CatalogError, loadBuiltInCatalogs, loadStarterControls, validateCatalog, validateStarterControls, type Catalog } from './index';

const catalogs = loadBuiltInCatalogs();
const byKey = new Map(catalogs.map((c) => [c.key, c]));
function catalog(key: string): Catalog {
  const c = byKey.get(key);
  if (!c) throw new Error(`no catalogue ${key}`);
  return c;
}
const refs = (key: string): string[] => catalog(key).requirements.map((r) => r.ref);
const range = (prefix: string, from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);

/** runs fn, expecting a CatalogError, and returns it */
function refused(fn: () => unknown): CatalogError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CatalogError) return err;
    throw err;
  }
  throw new Error('expected a CatalogError, nothing was thrown');
}

describe('built-in catalogues', () => {
  it('loads the four frameworks in order', () => {
    expect(catalogs.map((c) => c.key)).toEqual(['soc2', 'iso27001', 'gdpr', 'dpdp']);
    for (const c of catalogs) {
      expect(c.name).not.toBe('');
      expect(c.version).not.toBe('');
      expect(c.publisher).toBeTruthy();
      expect(c.source).toBeTruthy();
    }
  });

  it('has unique refs, a group and guidance everywhere, within the length limits', () => {
    for (const c of catalogs) {
      expect(new Set(refs(c.key)).size, c.key).toBe(c.requirements.length);
      for (const r of c.requirements) {
        expect(r.title.length, `${c.key} ${r.ref}`).toBeLessThanOrEqual(200);
        expect(r.guidance?.length ?? 0, `${c.key} ${r.ref}`).toBeGreaterThan(20);
        expect(r.guidance?.length ?? Infinity, `${c.key} ${r.ref}`).toBeLessThanOrEqual(1000);
        expect(r.group, `${c.key} ${r.ref}`).toBeTruthy();
      }
    }
  });

  it('SOC 2 has exactly the 61 Trust Services Criteria', () => {
    const expected = [
      ...range('CC1.', 1, 5), ...range('CC2.', 1, 3), ...range('CC3.', 1, 4), ...range('CC4.', 1, 2), ...range('CC5.', 1, 3),
      ...range('CC6.', 1, 8), ...range('CC7.', 1, 5), 'CC8.1', ...range('CC9.', 1, 2),
      ...range('A1.', 1, 3), ...range('C1.', 1, 2), ...range('PI1.', 1, 5),
      'P1.1', 'P2.1', ...range('P3.', 1, 2), ...range('P4.', 1, 3), ...range('P5.', 1, 2), ...range('P6.', 1, 7), 'P7.1', 'P8.1',
    ];
    expect(expected).toHaveLength(61);
    expect(refs('soc2')).toEqual(expected);
    expect(refs('soc2').filter((r) => r.startsWith('CC'))).toHaveLength(33);
    expect(refs('soc2').filter((r) => /^P\d/.test(r))).toHaveLength(18);
    expect(new Set(catalog('soc2').requirements.map((r) => r.group)).size).toBe(20);
  });

  it('ISO/IEC 27001:2022 has clauses 4 to 10 and exactly 93 Annex A controls', () => {
    const iso = catalog('iso27001').requirements;
    const annex = iso.filter((r) => r.kind === 'annex-a').map((r) => r.ref);
    const clauses = iso.filter((r) => r.kind === 'clause').map((r) => r.ref);
    expect(iso.every((r) => r.kind === 'clause' || r.kind === 'annex-a')).toBe(true);
    expect(annex).toHaveLength(93);
    expect(annex.filter((r) => r.startsWith('A.5.'))).toEqual(range('A.5.', 1, 37));
    expect(annex.filter((r) => r.startsWith('A.6.'))).toEqual(range('A.6.', 1, 8));
    expect(annex.filter((r) => r.startsWith('A.7.'))).toEqual(range('A.7.', 1, 14));
    expect(annex.filter((r) => r.startsWith('A.8.'))).toEqual(range('A.8.', 1, 34));
    expect(clauses).toEqual([
      '4.1', '4.2', '4.3', '4.4', '5.1', '5.2', '5.3', '6.1.1', '6.1.2', '6.1.3', '6.2', '6.3',
      '7.1', '7.2', '7.3', '7.4', '7.5', '8.1', '8.2', '8.3', '9.1', '9.2', '9.3', '10.1', '10.2',
    ]);
    for (let clause = 4; clause <= 10; clause++) expect(clauses.some((r) => r.startsWith(`${clause}.`)), `clause ${clause}`).toBe(true);
    const title = (ref: string): string | undefined => iso.find((r) => r.ref === ref)?.title;
    expect(title('A.5.1')).toBe('Policies for information security');
    expect(title('A.8.24')).toBe('Use of cryptography');
    expect(title('A.5.23')).toBe('Information security for use of cloud services');
    expect(title('A.8.34')).toBe('Protection of information systems during audit testing');
    expect(title('10.2')).toBe('Nonconformity and corrective action');
  });

  it('GDPR has the operational articles of chapters II to V', () => {
    const expected = ['Art.5', 'Art.6', 'Art.7', 'Art.9', ...range('Art.', 12, 22), ...range('Art.', 24, 39), ...range('Art.', 44, 49)];
    expect(refs('gdpr')).toEqual(expect.arrayContaining(expected));
    expect(refs('gdpr').every((r) => /^Art\.\d+$/.test(r))).toBe(true);
    const gdpr = catalog('gdpr').requirements;
    expect(gdpr.find((r) => r.ref === 'Art.33')?.title).toBe('Notification of a personal data breach to the supervisory authority');
    expect(gdpr.find((r) => r.ref === 'Art.33')?.guidance).toContain('72 hours');
    expect(gdpr.find((r) => r.ref === 'Art.34')?.title).toBe('Communication of a personal data breach to the data subject');
    expect(gdpr.find((r) => r.ref === 'Art.32')?.title).toBe('Security of processing');
  });

  it('DPDP has the Data Fiduciary sections with consistent refs', () => {
    const dpdp = refs('dpdp');
    expect(dpdp.every((r) => /^S\.\d+(\(\d+\))?$/.test(r))).toBe(true);
    expect(dpdp).toEqual(expect.arrayContaining(['S.4', 'S.5(1)', 'S.6(1)', 'S.6(4)', 'S.7', 'S.8(5)', 'S.8(6)', 'S.8(7)', 'S.8(10)', 'S.9(1)', 'S.10(2)', 'S.11', 'S.12', 'S.13', 'S.14', 'S.16']));
    const sections = new Set(dpdp.map((r) => Number(/^S\.(\d+)/.exec(r)?.[1])));
    for (let s = 4; s <= 14; s++) expect(sections.has(s), `section ${s}`).toBe(true);
    expect(catalog('dpdp').requirements.find((r) => r.ref === 'S.8(6)')?.guidance).toMatch(/Board and each affected Data Principal/);
  });
});

describe('starter controls', () => {
  const starter = loadStarterControls(catalogs);

  it('offers 25 to 40 controls with unique keys', () => {
    expect(starter.length).toBeGreaterThanOrEqual(25);
    expect(starter.length).toBeLessThanOrEqual(40);
    expect(new Set(starter.map((c) => c.key)).size).toBe(starter.length);
  });

  it('maps every control to existing refs, with at least one SOC 2 and one ISO ref each', () => {
    for (const control of starter) {
      expect(control.mappings.soc2?.length ?? 0, control.key).toBeGreaterThan(0);
      expect(control.mappings.iso27001?.length ?? 0, control.key).toBeGreaterThan(0);
      for (const [framework, list] of Object.entries(control.mappings)) {
        const known = new Set(refs(framework));
        for (const ref of list) expect(known.has(ref), `${control.key} → ${framework} ${ref}`).toBe(true);
      }
    }
  });

  it('uses all four frameworks and covers the expected topics', () => {
    for (const framework of ['soc2', 'iso27001', 'gdpr', 'dpdp']) {
      expect(starter.filter((c) => (c.mappings[framework]?.length ?? 0) > 0).length, framework).toBeGreaterThanOrEqual(25);
    }
    const keys = starter.map((c) => c.key);
    expect(keys).toEqual(expect.arrayContaining([
      'access-control-policy', 'multi-factor-authentication', 'joiner-mover-leaver', 'access-reviews', 'encryption-at-rest',
      'encryption-in-transit', 'key-management', 'logging-and-monitoring', 'incident-response', 'breach-notification',
      'vendor-management', 'risk-assessment', 'information-security-policy', 'security-awareness-training', 'secure-development',
      'change-management', 'vulnerability-management', 'backup-and-restore', 'business-continuity', 'asset-inventory',
      'data-retention-and-deletion', 'privacy-notice', 'consent-management', 'data-subject-rights', 'dpia',
      'cross-border-transfers', 'physical-security', 'hr-screening',
    ]));
    const breach = starter.find((c) => c.key === 'breach-notification');
    expect(breach?.mappings.gdpr).toEqual(expect.arrayContaining(['Art.33', 'Art.34']));
    expect(breach?.mappings.dpdp).toContain('S.8(6)');
  });

  it('refuses a mapping to a ref the catalogue does not have, naming the line', () => {
    const text = ['{', '  "controls": [', '    { "key": "x", "title": "X", "description": "d",', '      "mappings": { "soc2": ["CC6.1", "CC99.9"] } }', '  ]', '}'].join('\n');
    const err = refused(() => validateStarterControls(text, 'starter.json', catalogs));
    expect(err.line).toBe(4);
    expect(err.message).toMatch(/^starter\.json:4:\d+: controls\[0\]\.mappings\.soc2\[1\]: ref "CC99\.9" does not exist in the soc2 catalogue$/);
  });

  it('refuses an unknown framework key', () => {
    const err = refused(() => validateStarterControls({ controls: [{ key: 'x', title: 'X', description: 'd', mappings: { pci: ['1.1'] } }] }, 'starter.json', catalogs));
    expect(err.reason).toMatch(/unknown framework "pci"/);
  });
});

describe('validateCatalog', () => {
  const good = {
    key: 'demo',
    name: 'Demo',
    version: '1',
    requirements: [
      { ref: 'D.1', title: 'First', group: 'G', guidance: 'Do the first thing.' },
      { ref: 'D.2', title: 'Second', group: 'G', guidance: 'Do the second thing.' },
    ],
  };
  const text = (value: unknown): string => JSON.stringify(value, null, 2);

  it('accepts a well-formed catalogue', () => {
    const c = validateCatalog(text(good), 'demo.json');
    expect(c.requirements.map((r) => r.ref)).toEqual(['D.1', 'D.2']);
  });

  it('refuses a duplicate ref with the file, the line of the second occurrence and the reason', () => {
    const dup = { ...good, requirements: [...good.requirements, { ref: 'D.1', title: 'Again', group: 'G', guidance: 'x' }] };
    const json = text(dup);
    const expectedLine = json.split('\n').findIndex((l, i, all) => l.includes('"ref": "D.1"') && all.slice(0, i).some((p) => p.includes('"ref": "D.1"'))) + 1;
    expect(expectedLine).toBeGreaterThan(1);
    const err = refused(() => validateCatalog(json, 'demo.json'));
    expect(err.file).toBe('demo.json');
    expect(err.line).toBe(expectedLine);
    expect(err.message).toContain(`demo.json:${expectedLine}:`);
    expect(err.message).toContain('requirements[2].ref: duplicate ref "D.1" (first used at requirements[0], line 7)');
  });

  it('refuses malformed JSON with line and column', () => {
    const err = refused(() => validateCatalog('{\n  "key": "demo",\n  "name": "Demo"\n  "version": "1"\n}', 'broken.json'));
    expect(err.line).toBe(4);
    expect(err.column).toBe(3);
    expect(err.message).toBe('broken.json:4:3: invalid JSON: unexpected "\\"", expected \',\' or \'}\'');
    const eof = refused(() => validateCatalog('{"key": "demo", "requirements": [', 'eof.json'));
    expect(eof.line).toBe(1);
    expect(eof.column).toBe(34);
    expect(eof.reason).toMatch(/end of input/);
  });

  it('refuses duplicate JSON keys', () => {
    const err = refused(() => validateCatalog('{\n"key": "a",\n"key": "b"\n}', 'dupkey.json'));
    expect(err.line).toBe(3);
    expect(err.reason).toContain('duplicate key "key"');
  });

  it('refuses unknown keys, missing and oversized fields', () => {
    const unknown = refused(() => validateCatalog(text({ ...good, requirements: [{ ...good.requirements[0], severity: 'high' }] }), 'demo.json'));
    expect(unknown.message).toMatch(/^demo\.json:\d+:\d+: requirements\[0\]\.severity: unknown key "severity"/);

    const missing = refused(() => validateCatalog({ ...good, requirements: [{ ref: 'D.1' }] }, 'demo.json'));
    expect(missing.message).toBe('demo.json: requirements[0]: missing "title"');

    const long = refused(() => validateCatalog(text({ ...good, requirements: [{ ref: 'D.1', title: 'x'.repeat(201) }] }), 'demo.json'));
    expect(long.reason).toBe('"title" is 201 characters, the limit is 200');
    expect(long.line).toBe(8);

    const guidance = refused(() => validateCatalog({ ...good, requirements: [{ ref: 'D.1', title: 't', guidance: 'g'.repeat(1001) }] }, 'demo.json'));
    expect(guidance.reason).toContain('limit is 1000');

    const badKind = refused(() => validateCatalog({ ...good, requirements: [{ ref: 'D.1', title: 't', kind: 'annex' }] }, 'demo.json'));
    expect(badKind.path).toBe('requirements[0].kind');

    const noReqs = refused(() => validateCatalog({ ...good, requirements: [] }, 'demo.json'));
    expect(noReqs.reason).toContain('no requirements');

    const badKey = refused(() => validateCatalog({ ...good, key: 'Demo Key' }, 'demo.json'));
    expect(badKey.path).toBe('key');
  });

  it('requires publisher, source, group and guidance for built-in data', () => {
    const err = refused(() => validateCatalog(good, 'demo.json', { requireDescriptions: true }));
    expect(err.message).toBe('demo.json: (root): missing "publisher"');
  });

  it('refuses a dangling or looping parent', () => {
    const dangling = refused(() => validateCatalog({ ...good, requirements: [{ ref: 'a', title: 'A', parent: 'zz' }] }, 'p.json'));
    expect(dangling.reason).toContain('parent "zz" is not a ref');
    const loop = refused(() => validateCatalog({ ...good, requirements: [{ ref: 'a', title: 'A', parent: 'b' }, { ref: 'b', title: 'B', parent: 'a' }] }, 'p.json'));
    expect(loop.reason).toContain('loops');
  });
});
