// Tests of OSCAL 1.1.2 catalog import/export (on the real NIST SP 800-53 rev 5 LOW baseline) and of the component-definition export.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CatalogError,
  exportOscalCatalog,
  exportOscalComponentDefinition,
  importOscalCatalog,
  loadBuiltInCatalogs,
  toOscalId,
  type Catalog,
  type Requirement,
} from './index';

const NIST_FILE = path.join(__dirname, '../fixtures/oscal/NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog-min.json');
const nistText = readFileSync(NIST_FILE, 'utf8');
const FIXED = { now: new Date('2025-01-02T03:04:05.000Z') };

/** a deterministic uuid source: 00000000-0000-4000-8000-000000000001, ...02, ... */
function counter(): () => string {
  let n = 0;
  return () => `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}`;
}

type Json = Record<string, unknown>;
function obj(v: unknown): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`not an object: ${JSON.stringify(v)}`);
  return v as Json;
}
function arr(v: unknown): unknown[] {
  if (!Array.isArray(v)) throw new Error(`not an array: ${JSON.stringify(v)}`);
  return v as unknown[];
}
function parse(text: string): Json {
  return obj(JSON.parse(text));
}

function refused(fn: () => unknown): CatalogError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CatalogError) return err;
    throw err;
  }
  throw new Error('expected a CatalogError, nothing was thrown');
}

function req(c: Catalog, ref: string): Requirement {
  const r = c.requirements.find((x) => x.ref === ref);
  if (!r) throw new Error(`no ${ref}`);
  return r;
}

describe('OSCAL import of NIST SP 800-53 rev 5 LOW baseline', () => {
  const nist = importOscalCatalog(nistText, { fileName: 'nist-low.json' });

  it('imports every group, control and enhancement', () => {
    expect(nist.name).toBe('NIST Special Publication 800-53 Revision 5.1.1 LOW IMPACT BASELINE');
    expect(nist.version).toBe('5.1.1+u4');
    expect(nist.key).toBe('nist-special-publication-800-53-revision-5-1-1-low-impact');
    expect(arr(nist.oscal?.groups)).toHaveLength(18);
    expect(new Set(nist.requirements.map((r) => r.group)).size).toBe(18);
    expect(nist.requirements).toHaveLength(149);
    expect(nist.requirements.filter((r) => r.parent === undefined)).toHaveLength(131);
    expect(nist.requirements.filter((r) => r.parent !== undefined).map((r) => r.ref)).toEqual([
      'at-2.2', 'ca-7.4', 'ia-2.1', 'ia-2.2', 'ia-2.8', 'ia-2.12', 'ia-5.1', 'ia-8.1', 'ia-8.2', 'ia-8.4',
      'pl-4.1', 'ra-3.1', 'ra-5.2', 'ra-5.11', 'sa-4.10', 'sr-2.1', 'sr-11.1', 'sr-11.2',
    ]);
  });

  it('maps control fields and keeps the OSCAL structure', () => {
    const ac1 = req(nist, 'ac-1');
    expect(ac1.title).toBe('Policy and Procedures');
    expect(ac1.group).toBe('Access Control');
    expect(ac1.parent).toBeUndefined();
    expect(ac1.guidance).toMatch(/^Access control policy and procedures address/);
    expect(ac1.guidance?.length).toBeLessThanOrEqual(1000);
    expect(ac1.oscal?.class).toBe('SP800-53');
    expect(arr(ac1.oscal?.params).map((p) => obj(p).id)).toContain('ac-01_odp.01');
    expect(arr(ac1.oscal?.parts).map((p) => obj(p).name)).toEqual(['statement', 'guidance', 'assessment-objective', 'assessment-method', 'assessment-method']);
    expect(ac1.oscal?.controls).toBeUndefined();

    const ia21 = req(nist, 'ia-2.1');
    expect(ia21.parent).toBe('ia-2');
    expect(ia21.group).toBe('Identification and Authentication');
    expect(ia21.title).toBe('Multi-factor Authentication to Privileged Accounts');
    expect(nist.oscal?.['back-matter']).toBeDefined();
    expect(obj(nist.oscal?.metadata)['oscal-version']).toBe('1.1.2');
  });

  it('round-trips: import → export → re-import gives the same requirements', () => {
    const exported = exportOscalCatalog(nist, { ...FIXED, uuid: counter() });
    const doc = obj(parse(exported).catalog);
    expect(doc.uuid).toBe('00000000-0000-4000-8000-000000000001');
    const metadata = obj(doc.metadata);
    expect(metadata['oscal-version']).toBe('1.1.2');
    expect(metadata['last-modified']).toBe('2025-01-02T03:04:05.000Z');
    expect(metadata.title).toBe(nist.name);
    expect(metadata.version).toBe(nist.version);
    expect(arr(doc.groups)).toHaveLength(18);

    const again = importOscalCatalog(exported, { fileName: 'exported.json' });
    expect(again.key).toBe(nist.key);
    expect(again.name).toBe(nist.name);
    expect(again.version).toBe(nist.version);
    expect(again.requirements.map((r) => r.ref)).toEqual(nist.requirements.map((r) => r.ref));
    const essentials = (c: Catalog) => c.requirements.map((r) => ({ ref: r.ref, title: r.title, group: r.group, parent: r.parent, guidance: r.guidance, params: r.oscal?.params, parts: r.oscal?.parts, props: r.oscal?.props, links: r.oscal?.links, class: r.oscal?.class }));
    expect(essentials(again)).toEqual(essentials(nist));
    expect(again.requirements).toEqual(nist.requirements);
    expect(again.oscal?.groups).toEqual(nist.oscal?.groups);
    expect(again.oscal?.['back-matter']).toEqual(nist.oscal?.['back-matter']);
  });

  it('exports the original document content, enhancements nested under their controls', () => {
    const original = obj(parse(nistText).catalog);
    const exported = obj(parse(exportOscalCatalog(nist, { ...FIXED, uuid: counter() })).catalog);
    expect(exported.groups).toEqual(original.groups);
    expect(exported['back-matter']).toEqual(original['back-matter']);
  });

  it('is deterministic given the time and uuids', () => {
    const a = exportOscalCatalog(nist, { ...FIXED, uuid: counter() });
    const b = exportOscalCatalog(nist, { ...FIXED, uuid: counter() });
    expect(a).toBe(b);
  });
});

describe('OSCAL import refuses broken documents', () => {
  const doc = (): Json => parse(nistText);
  const group = (d: Json, i: number): Json => obj(arr(obj(d.catalog).groups)[i]);
  const control = (d: Json, g: number, c: number): Json => obj(arr(group(d, g).controls)[c]);

  it('a control without id, naming the JSON path', () => {
    const d = doc();
    delete control(d, 3, 2).id;
    const err = refused(() => importOscalCatalog(JSON.stringify(d, null, 1), { fileName: 'broken.json' }));
    expect(err.path).toBe('catalog.groups[3].controls[2]');
    expect(err.reason).toBe('missing id');
    expect(err.message).toMatch(/^broken\.json:\d+:\d+: catalog\.groups\[3\]\.controls\[2\]: missing id$/);
  });

  it('a duplicate control id, naming both paths', () => {
    const d = doc();
    control(d, 5, 1).id = 'ac-2';
    const err = refused(() => importOscalCatalog(JSON.stringify(d)));
    expect(err.path).toBe('catalog.groups[5].controls[1].id');
    expect(err.reason).toBe('duplicate control id "ac-2" (first defined at catalog.groups[0].controls[1])');
  });

  it('a duplicate enhancement id', () => {
    const d = doc();
    const ia2 = arr(group(d, 6).controls).map(obj).find((c) => c.id === 'ia-2');
    obj(arr(ia2?.controls)[1]).id = 'ia-2.1';
    const err = refused(() => importOscalCatalog(JSON.stringify(d)));
    expect(err.path).toMatch(/^catalog\.groups\[6\]\.controls\[\d+\]\.controls\[1\]\.id$/);
    expect(err.reason).toContain('duplicate control id "ia-2.1"');
  });

  it('a wrong root', () => {
    expect(refused(() => importOscalCatalog(JSON.stringify({ profile: { uuid: 'x' } }))).reason).toBe('wrong root: this is an OSCAL profile, not a catalog (resolve the profile into a catalog first)');
    expect(refused(() => importOscalCatalog(JSON.stringify({ controls: [] }))).reason).toBe('wrong root: expected a "catalog" property');
    expect(refused(() => importOscalCatalog('[1, 2]')).path).toBe('(root)');
  });

  it('a missing title, bad part, missing metadata and bad oscal-version', () => {
    const d1 = doc();
    delete control(d1, 0, 0).title;
    expect(refused(() => importOscalCatalog(JSON.stringify(d1))).message).toContain('catalog.groups[0].controls[0]: missing title');

    const d2 = doc();
    delete obj(arr(control(d2, 0, 0).parts)[1]).name;
    expect(refused(() => importOscalCatalog(JSON.stringify(d2))).message).toContain('catalog.groups[0].controls[0].parts[1]: missing name');

    const d3 = doc();
    delete obj(d3.catalog).metadata;
    expect(refused(() => importOscalCatalog(JSON.stringify(d3))).message).toContain('catalog.metadata: expected a JSON object');

    const d4 = doc();
    obj(obj(d4.catalog).metadata)['oscal-version'] = '2.0.0';
    expect(refused(() => importOscalCatalog(JSON.stringify(d4))).reason).toContain('unsupported oscal-version');

    const d5 = doc();
    obj(arr(control(d5, 0, 0).params)[0]).id = 'not a token';
    expect(refused(() => importOscalCatalog(JSON.stringify(d5))).path).toBe('catalog.groups[0].controls[0].params[0].id');
  });

  it('invalid JSON, with line and column', () => {
    const err = refused(() => importOscalCatalog('{\n  "catalog": {\n    "uuid": "x",,\n  }\n}', { fileName: 'bad.json' }));
    expect(err.line).toBe(3);
    expect(err.column).toBe(17);
    expect(err.message).toMatch(/^bad\.json:3:17: invalid JSON: /);
  });
});

describe('OSCAL export of the built-in catalogues', () => {
  const catalogs = loadBuiltInCatalogs();
  const TOKEN = /^(?:\p{L}|_)(?:\p{L}|\p{N}|[.\-_])*$/u;

  it('derives lowercase OSCAL ids from refs', () => {
    expect(toOscalId('CC1.1')).toBe('cc1.1');
    expect(toOscalId('A.5.1')).toBe('a.5.1');
    expect(toOscalId('Art.33')).toBe('art.33');
    expect(toOscalId('S.8(6)')).toBe('s.8.6');
    expect(toOscalId('6.1.2')).toBe('r-6.1.2');
    expect(toOscalId('ac-2.1')).toBe('ac-2.1');
  });

  it('produces groups, valid unique ids, label props and statement parts', () => {
    for (const catalog of catalogs) {
      const doc = obj(parse(exportOscalCatalog(catalog, { ...FIXED, uuid: counter() })).catalog);
      const metadata = obj(doc.metadata);
      expect(metadata['oscal-version']).toBe('1.1.2');
      expect(metadata.title).toBe(catalog.name);
      expect(metadata.version).toBe(catalog.version);
      const groups = arr(doc.groups).map(obj);
      expect(groups.map((g) => g.title)).toEqual([...new Set(catalog.requirements.map((r) => r.group))]);
      const controls = groups.flatMap((g) => arr(g.controls).map(obj));
      expect(controls).toHaveLength(catalog.requirements.length);
      const ids = controls.map((c) => String(c.id));
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(id, id).toMatch(TOKEN);
      for (const id of ids) expect(id).toBe(id.toLowerCase());
      catalog.requirements.forEach((r, i) => {
        const c = controls[i];
        expect(c?.title).toBe(r.title);
        expect(arr(c?.props).map(obj)).toContainEqual({ name: 'label', value: r.ref });
        expect(arr(c?.parts).map(obj)).toEqual([{ id: `${toOscalId(r.ref)}_smt`, name: 'statement', prose: r.guidance }]);
      });
    }
  });

  it('re-imports an exported built-in catalogue with its key, groups and titles', () => {
    const soc2 = catalogs[0];
    if (!soc2) throw new Error('no soc2');
    const again = importOscalCatalog(exportOscalCatalog(soc2, FIXED));
    expect(again.key).toBe('soc2');
    expect(again.requirements).toHaveLength(61);
    expect(again.requirements.map((r) => r.ref)).toEqual(soc2.requirements.map((r) => toOscalId(r.ref)));
    expect(again.requirements.map((r) => [r.title, r.group])).toEqual(soc2.requirements.map((r) => [r.title, r.group]));
    expect(req(again, 'cc6.1').oscal?.props).toContainEqual({ name: 'label', value: 'CC6.1' });
  });

  it('records the ISO kind and publisher', () => {
    const iso = catalogs[1];
    if (!iso) throw new Error('no iso');
    const doc = obj(parse(exportOscalCatalog(iso, { ...FIXED, uuid: counter() })).catalog);
    const metadata = obj(doc.metadata);
    expect(arr(metadata.parties).map(obj)[0]?.name).toBe(iso.publisher);
    expect(arr(metadata['responsible-parties']).map(obj)[0]?.['party-uuids']).toEqual(['00000000-0000-4000-8000-000000000002']);
    const clause = obj(arr(obj(arr(doc.groups)[0]).controls)[0]);
    expect(clause.id).toBe('r-4.1');
    expect(arr(clause.props)).toContainEqual({ name: 'kind', ns: 'urn:packets:oscal', value: 'clause' });
  });
});

describe('OSCAL component-definition export', () => {
  const catalogs = loadBuiltInCatalogs();
  const input = {
    orgName: 'Acme Ltd',
    controls: [
      {
        id: 'ctl-mfa',
        title: 'Multi-factor authentication',
        description: 'MFA is enforced for all workforce accounts.',
        status: 'implemented',
        implementationNotes: 'Enforced in the identity provider.',
        mappings: [
          { frameworkKey: 'soc2', ref: 'CC6.1' },
          { frameworkKey: 'iso27001', ref: 'A.8.5' },
          { frameworkKey: 'dpdp', ref: 'S.8(5)' },
        ],
      },
      {
        id: 'ctl-breach',
        title: 'Breach notification',
        description: 'Breaches are assessed and notified within legal deadlines.',
        status: 'planned',
        implementationNotes: null,
        mappings: [
          { frameworkKey: 'gdpr', ref: 'Art.33' },
          { frameworkKey: 'soc2', ref: 'CC7.4' },
          { frameworkKey: 'soc2', ref: 'CC7.4' },
        ],
      },
    ],
  };

  it('has one component with a control-implementation per framework', () => {
    const text = exportOscalComponentDefinition(input, { ...FIXED, uuid: counter(), catalogs });
    const cd = obj(parse(text)['component-definition']);
    expect(cd.uuid).toBe('00000000-0000-4000-8000-000000000001');
    expect(obj(cd.metadata)).toEqual({ title: 'Acme Ltd control implementations', 'last-modified': '2025-01-02T03:04:05.000Z', version: '2025-01-02', 'oscal-version': '1.1.2' });
    const components = arr(cd.components).map(obj);
    expect(components).toHaveLength(1);
    const component = components[0] ?? {};
    expect(component.title).toBe('Acme Ltd');
    expect(component.type).toBe('this-system');
    const impls = arr(component['control-implementations']).map(obj);
    expect(impls.map((i) => i.source)).toEqual(['packets:catalog:dpdp', 'packets:catalog:gdpr', 'packets:catalog:iso27001', 'packets:catalog:soc2']);
    for (const impl of impls) expect(impl.description).toEqual(expect.any(String));

    const soc2 = arr(impls[3]?.['implemented-requirements']).map(obj);
    expect(soc2.map((r) => r['control-id'])).toEqual(['cc6.1', 'cc7.4']);
    expect(soc2[0]?.description).toBe('MFA is enforced for all workforce accounts.');
    expect(soc2[0]?.remarks).toBe('Enforced in the identity provider.');
    expect(soc2[1]?.remarks).toBeUndefined();
    expect(arr(soc2[0]?.props)).toEqual(expect.arrayContaining([
      { name: 'status', ns: 'urn:packets:oscal', value: 'implemented' },
      { name: 'org-control', ns: 'urn:packets:oscal', value: 'ctl-mfa' },
      { name: 'framework-ref', ns: 'urn:packets:oscal', value: 'CC6.1' },
    ]));
    expect(arr(soc2[1]?.props)).toContainEqual({ name: 'status', ns: 'urn:packets:oscal', value: 'planned' });
    expect(obj(arr(impls[0]?.['implemented-requirements'])[0])['control-id']).toBe('s.8.5');

    const uuids = text.match(/"uuid": "[^"]+"/g) ?? [];
    expect(new Set(uuids).size).toBe(uuids.length);
    expect(uuids).toHaveLength(2 + 4 + 5);
  });

  it('is deterministic and refuses refs the catalogues do not have', () => {
    expect(exportOscalComponentDefinition(input, { ...FIXED, uuid: counter() })).toBe(exportOscalComponentDefinition(input, { ...FIXED, uuid: counter() }));
    const bad = { ...input, controls: [{ ...input.controls[0], id: 'x', title: 'X', description: 'd', status: 's', mappings: [{ frameworkKey: 'soc2', ref: 'CC42' }] }] };
    const err = refused(() => exportOscalComponentDefinition(bad, { catalogs }));
    expect(err.path).toBe('controls[0].mappings[0]');
    expect(err.reason).toContain('"CC42" does not exist in the soc2 catalogue');
  });
});
