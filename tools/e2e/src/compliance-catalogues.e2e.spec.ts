// CO-1: catalogues as data (built-in, from the migration) and OSCAL: the real NIST
// SP 800-53 LOW baseline imported whole through the gateway, exported, re-imported
// and compared; broken documents refused with line and reason; imported catalogues
// are the importing org's alone.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, gql, signUp, type SignedUp } from '@packets/testing';
import type { Stack } from '@packets/tool-dev';
import { adminQuery, appClient } from './harness';
import { NIST_FILE, ok, rawRequest, startComplianceStack } from './compliance-harness';

interface Fw { id: string; key: string; version: string; name: string; builtIn: boolean; requirements: { id: string; ref: string; title: string; group: string | null; parentRef: string | null; kind: string | null }[] }
const FRAMEWORKS = '{ frameworks { id key version name builtIn requirements { id ref title group parentRef kind } } }';
const IMPORT = 'mutation($d: String!, $k: String) { importOscalCatalog(document: $d, key: $k) { id key version name builtIn } }';
const EXPORT = 'query($k: String!) { exportFrameworkOscal(frameworkKey: $k) }';

const nistText = readFileSync(NIST_FILE, 'utf8');

function importRoute(gatewayUrl: string, token: string, body: string, key?: string) {
  return rawRequest(`${gatewayUrl}/oscal/catalog/import${key ? `?key=${key}` : ''}`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
    body: Buffer.from(body),
  });
}

function json(body: Buffer): { framework?: { id: string; key: string; version: string; builtIn: boolean }; errors?: { message: string; extensions: Record<string, unknown> }[] } {
  return JSON.parse(body.toString('utf8')) as ReturnType<typeof json>;
}

/** a small OSCAL catalog */
function smallCatalog(controls: unknown[], title = 'Small Test Catalogue'): string {
  return JSON.stringify({
    catalog: {
      uuid: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
      metadata: { title, 'last-modified': '2025-01-01T00:00:00Z', version: '1.0', 'oscal-version': '1.1.2' },
      groups: [{ id: 'g1', title: 'Group one', controls }],
    },
  }, null, 2);
}

describe('catalogues and OSCAL through the gateway', () => {
  let stack: Stack;
  let a: SignedUp;
  let b: SignedUp;
  let nistId: string;

  beforeAll(async () => {
    ({ stack } = await startComplianceStack());
    [a, b] = await Promise.all([signUp(stack.gatewayUrl, 'Catalogue A'), signUp(stack.gatewayUrl, 'Catalogue B')]);
  });
  afterAll(() => stack?.stop());

  it('ships the four built-in catalogues as global, read-only data', async () => {
    const fws = ok(await gql<{ frameworks: Fw[] }>(stack.gatewayUrl, FRAMEWORKS, {}, a.token)).frameworks;
    const builtIn = fws.filter((f) => f.builtIn);
    expect(builtIn.map((f) => f.key)).toEqual(['soc2', 'iso27001', 'gdpr', 'dpdp']);
    const count = (key: string) => builtIn.find((f) => f.key === key)!.requirements.length;
    expect(count('soc2')).toBe(61);
    const iso = builtIn.find((f) => f.key === 'iso27001')!.requirements;
    expect(iso.filter((r) => r.kind === 'annex-a')).toHaveLength(93);
    expect(iso.filter((r) => r.kind === 'clause').length).toBeGreaterThan(0);
    expect(count('gdpr')).toBeGreaterThan(30);
    expect(count('dpdp')).toBeGreaterThan(20);
    for (const f of builtIn) expect(new Set(f.requirements.map((r) => r.ref)).size).toBe(f.requirements.length);
    // global tables: no org_id; the app role may read but not write them
    const cols = await adminQuery<{ column_name: string }>(
      `select column_name from information_schema.columns where table_schema = 'compliance' and table_name in ('frameworks', 'requirements')`);
    expect(cols.map((c) => c.column_name)).not.toContain('org_id');
    const grants = await adminQuery<{ privilege_type: string }>(
      `select privilege_type from information_schema.role_table_grants where grantee = 'packets_app' and table_schema = 'compliance' and table_name = 'frameworks'`);
    expect(grants.map((g) => g.privilege_type)).toEqual(['SELECT']);
    const db = await appClient();
    try {
      await expect(db.query(`insert into compliance.frameworks (key, version, name) values ('evil', '1', 'Evil')`)).rejects.toThrow(/permission denied/);
    } finally {
      await db.end();
    }
  });

  it('imports the NIST SP 800-53 LOW baseline (1.2 MB) whole through the gateway upload route', async () => {
    expect(Buffer.byteLength(nistText)).toBeGreaterThan(1_000_000);
    // the GraphQL endpoint keeps its 1 MB body limit
    const viaGraphql = await rawRequest(`${stack.gatewayUrl}/graphql`, {
      method: 'POST', headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/json' },
      body: Buffer.from(JSON.stringify({ query: IMPORT, variables: { d: nistText } })),
    });
    expect(viaGraphql.status).toBe(413);

    const res = await importRoute(stack.gatewayUrl, a.token, nistText);
    expect(res.status, res.body.toString()).toBe(201);
    const framework = json(res.body).framework!;
    expect(framework.builtIn).toBe(false);
    nistId = framework.id;
    const fws = ok(await gql<{ frameworks: Fw[] }>(stack.gatewayUrl, FRAMEWORKS, {}, a.token)).frameworks;
    const nist = fws.find((f) => f.id === nistId)!;
    expect(nist.key).toBe('nist-special-publication-800-53-revision-5-1-1-low-impact');
    expect(nist.requirements).toHaveLength(149);
    expect(new Set(nist.requirements.map((r) => r.group)).size).toBe(18);
    expect(nist.requirements.filter((r) => r.parentRef !== null)).toHaveLength(18);
    expect(nist.requirements.find((r) => r.ref === 'ia-2.1')?.parentRef).toBe('ia-2');
  });

  it('exports it, re-imports the export elsewhere, and the two are the same catalogue', async () => {
    const exported = ok(await gql<{ exportFrameworkOscal: string }>(stack.gatewayUrl, EXPORT, { k: 'nist-special-publication-800-53-revision-5-1-1-low-impact' }, a.token)).exportFrameworkOscal;
    const doc = JSON.parse(exported) as { catalog: { groups: { controls?: unknown[] }[]; metadata: Record<string, unknown> } };
    expect(doc.catalog.groups).toHaveLength(18);
    expect(doc.catalog.metadata['oscal-version']).toBe('1.1.2');
    const original = JSON.parse(nistText) as { catalog: { groups: unknown[] } };
    // the OSCAL structure survives: groups with their controls, params, parts (key order aside)
    expect(doc.catalog.groups).toEqual(original.catalog.groups);

    const res = await importRoute(stack.gatewayUrl, b.token, exported);
    expect(res.status, res.body.toString()).toBe(201);
    const again = json(res.body).framework!;
    const [fa, fb] = await Promise.all([a, b].map(async (org) =>
      ok(await gql<{ frameworks: Fw[] }>(stack.gatewayUrl, FRAMEWORKS, {}, org.token)).frameworks.find((f) => !f.builtIn)!));
    expect(again.key).toBe(fa!.key);
    const strip = (f: Fw) => ({ key: f.key, version: f.version, name: f.name, requirements: f.requirements.map(({ id: _id, ...r }) => r) });
    expect(strip(fb!)).toEqual(strip(fa!));
    const [ea, eb] = await Promise.all([a, b].map(async (org) =>
      JSON.parse(ok(await gql<{ exportFrameworkOscal: string }>(stack.gatewayUrl, EXPORT, { k: fa!.key }, org.token)).exportFrameworkOscal) as { catalog: { groups: unknown[]; params?: unknown } }));
    expect(eb!.catalog.groups).toEqual(ea!.catalog.groups);
  });

  it('refuses the same key and version twice, and a built-in key', async () => {
    const res = await importRoute(stack.gatewayUrl, a.token, nistText);
    expect(res.status).toBe(409);
    expect(json(res.body).errors![0]!.extensions.code).toBe('CONFLICT');
    const builtInKey = await gql(stack.gatewayUrl, IMPORT, { d: smallCatalog([{ id: 'x-1', title: 'X' }]), k: 'soc2' }, a.token);
    expect(codes(builtInKey)).toEqual(['CONFLICT']);
  });

  it('imports a small catalogue with the GraphQL mutation', async () => {
    const res = ok(await gql<{ importOscalCatalog: { key: string; builtIn: boolean } }>(stack.gatewayUrl, IMPORT,
      { d: smallCatalog([{ id: 'sm-1', title: 'First' }, { id: 'sm-2', title: 'Second', controls: [{ id: 'sm-2.1', title: 'Enhancement' }] }]) }, a.token));
    expect(res.importOscalCatalog).toMatchObject({ key: 'small-test-catalogue', builtIn: false });
  });

  it('refuses duplicate control ids and broken documents with the line and the reason', async () => {
    const dupText = smallCatalog([{ id: 'dup-1', title: 'One' }, { id: 'dup-1', title: 'Again' }], 'Duplicates');
    const dupLine = dupText.split('\n').findIndex((l, i, all) => l.includes('"id": "dup-1"') && all.slice(0, i).some((p) => p.includes('"id": "dup-1"'))) + 1;
    const dup = await gql(stack.gatewayUrl, IMPORT, { d: dupText }, a.token);
    expect(codes(dup)).toEqual(['BAD_USER_INPUT']);
    expect(dup.errors![0]!.extensions).toMatchObject({ line: dupLine, reason: expect.stringContaining('duplicate control id "dup-1"') as unknown });
    expect(dup.errors![0]!.message).toContain(`OSCAL document:${dupLine}:`);

    const broken = '{\n  "catalog": {\n    "uuid": "3f2504e0-4f89-41d3-9a0c-0305e82c3301"\n    "metadata": {}\n  }\n}';
    const viaMutation = await gql(stack.gatewayUrl, IMPORT, { d: broken }, a.token);
    expect(codes(viaMutation)).toEqual(['BAD_USER_INPUT']);
    expect(viaMutation.errors![0]!.extensions).toMatchObject({ line: 4, reason: expect.stringMatching(/invalid JSON/) as unknown });

    const viaRoute = await importRoute(stack.gatewayUrl, a.token, broken);
    expect(viaRoute.status).toBe(400);
    expect(json(viaRoute.body).errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', line: 4 });

    const profile = await gql(stack.gatewayUrl, IMPORT, { d: JSON.stringify({ profile: { uuid: 'x' } }) }, a.token);
    expect(profile.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: expect.stringContaining('not a catalog') as unknown });
  });

  it("keeps an org's imported catalogue to itself", async () => {
    const other = await signUp(stack.gatewayUrl, 'Catalogue C');
    const list = ok(await gql<{ frameworks: Fw[] }>(stack.gatewayUrl, FRAMEWORKS, {}, other.token)).frameworks;
    expect(list.every((f) => f.builtIn)).toBe(true);
    const exported = await gql(stack.gatewayUrl, EXPORT, { k: 'small-test-catalogue' }, other.token);
    expect(codes(exported)).toEqual(['NOT_FOUND']);
    const missing = await gql(stack.gatewayUrl, EXPORT, { k: 'no-such-catalogue' }, other.token);
    expect(exported.errors![0]!.message).toBe(missing.errors![0]!.message);
    const adopt = await gql(stack.gatewayUrl, 'mutation($k: String!) { adoptFramework(frameworkKey: $k) { id } }', { k: 'small-test-catalogue' }, other.token);
    expect(codes(adopt)).toEqual(['NOT_FOUND']);
    // mapping a control to another org's imported requirement is refused like an unknown id
    const reqId = (await adminQuery<{ id: string }>(`select id from compliance.org_requirements where framework_id = $1 limit 1`, [nistId]))[0]!.id;
    const control = ok(await gql<{ createControl: { id: string } }>(stack.gatewayUrl, 'mutation { createControl(input: { title: "C" }) { id } }', {}, other.token)).createControl;
    const map = await gql(stack.gatewayUrl, 'mutation($c: ID!, $r: [ID!]!) { mapControl(controlId: $c, requirementIds: $r) { id } }', { c: control.id, r: [reqId] }, other.token);
    expect(codes(map)).toEqual(['BAD_USER_INPUT']);
    // the import route needs a session
    const anonymous = await rawRequest(`${stack.gatewayUrl}/oscal/catalog/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.from('{}') });
    expect(anonymous.status).toBe(401);
  });

  it('exports the org controls with mappings and status as a component definition', async () => {
    const nist = ok(await gql<{ frameworks: Fw[] }>(stack.gatewayUrl, FRAMEWORKS, {}, a.token)).frameworks;
    const soc2 = nist.find((f) => f.key === 'soc2')!.requirements.find((r) => r.ref === 'CC6.1')!;
    const ac2 = nist.find((f) => f.id === nistId)!.requirements.find((r) => r.ref === 'ac-2')!;
    const c = ok(await gql<{ createControl: { id: string } }>(stack.gatewayUrl,
      'mutation { createControl(input: { title: "Access reviews", description: "Quarterly", status: IMPLEMENTED, implementationNotes: "Done in the IdP" }) { id } }', {}, a.token)).createControl;
    ok(await gql(stack.gatewayUrl, 'mutation($c: ID!, $r: [ID!]!) { mapControl(controlId: $c, requirementIds: $r) { id } }', { c: c.id, r: [soc2.id, ac2.id] }, a.token));
    const text = ok(await gql<{ exportControlsOscal: string }>(stack.gatewayUrl, 'query { exportControlsOscal(organizationName: "Catalogue A") }', {}, a.token)).exportControlsOscal;
    const doc = JSON.parse(text) as { 'component-definition': { components: { title: string; 'control-implementations': { source: string; 'implemented-requirements': { 'control-id': string; props: { name: string; value: string }[]; remarks?: string }[] }[] }[] } };
    const component = doc['component-definition'].components[0]!;
    expect(component.title).toBe('Catalogue A');
    const bySource = new Map(component['control-implementations'].map((ci) => [ci.source, ci['implemented-requirements']]));
    const soc2Impl = bySource.get('packets:catalog:soc2')!.find((r) => r.props.some((p) => p.name === 'org-control' && p.value === c.id))!;
    expect(soc2Impl['control-id']).toBe('cc6.1');
    expect(soc2Impl.props).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'status', value: 'implemented' })]));
    expect(soc2Impl.remarks).toBe('Done in the IdP');
    const nistImpl = bySource.get(`packets:catalog:nist-special-publication-800-53-revision-5-1-1-low-impact`)!;
    expect(nistImpl.map((r) => r['control-id'])).toEqual(['ac-2']);
  });
});
