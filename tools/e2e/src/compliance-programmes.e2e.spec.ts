// CO-2 and CO-3: adopting frameworks (with the starter controls, mapped across all
// four built-in frameworks, created once), programme status, readiness computed in
// SQL from implemented controls with current evidence, and mapping one control to
// requirements of several frameworks. Every operation refuses another org's records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, gql, signUp, type SignedUp } from '@packets/testing';
import type { Stack } from '@packets/tool-dev';
import { adminQuery } from './harness';
import { addMemberWithRole, ok, pdfBytes, startComplianceStack, upload } from './compliance-harness';

const ADOPT = 'mutation($k: String!, $s: Boolean) { adoptFramework(frameworkKey: $k, includeStarterControls: $s) { id frameworkKey status framework { key builtIn } readiness { requirementCount coveredCount ratio percent } } }';
const PROGRAMMES = '{ programmes { id frameworkKey status readiness { requirementCount coveredCount ratio percent } } }';
const MAP = 'mutation($c: ID!, $r: [ID!]!) { mapControl(controlId: $c, requirementIds: $r) { id requirements { id ref framework { key } } } }';
const CONTROL = 'query($id: ID!) { control(id: $id) { id title status requirements { ref framework { key } } evidence { id } } }';
const UPDATE = 'mutation($id: ID!, $i: ControlInput!) { updateControl(id: $id, input: $i) { id status } }';
const ADD = 'mutation($i: EvidenceInput!) { addEvidence(input: $i) { id expired } }';

interface Readiness { requirementCount: number; coveredCount: number; ratio: number; percent: number }
interface Programme { id: string; frameworkKey: string; status: string; readiness: Readiness }

describe('programmes, readiness and cross-mapped controls', () => {
  let stack: Stack;
  let a: SignedUp;
  let b: SignedUp;
  let reqs: Map<string, string>;

  const programmes = async (org: { token: string }) => new Map(ok(await gql<{ programmes: Programme[] }>(stack.gatewayUrl, PROGRAMMES, {}, org.token)).programmes.map((p) => [p.frameworkKey, p]));
  const starterControls = async (orgId: string) => (await adminQuery<{ id: string; starter_key: string; title: string }>(
    'select id, starter_key, title from compliance.controls where org_id = $1 and starter_key is not null order by starter_key', [orgId]));

  beforeAll(async () => {
    ({ stack } = await startComplianceStack());
    [a, b] = await Promise.all([signUp(stack.gatewayUrl, 'Programme A'), signUp(stack.gatewayUrl, 'Programme B')]);
    const fws = ok(await gql<{ frameworks: { key: string; requirements: { id: string; ref: string }[] }[] }>(stack.gatewayUrl,
      '{ frameworks { key requirements { id ref } } }', {}, a.token)).frameworks;
    reqs = new Map(fws.flatMap((f) => f.requirements.map((r) => [`${f.key}|${r.ref}`, r.id] as const)));
  });
  afterAll(() => stack?.stop());

  it('adopts SOC 2 with the starter controls, already mapped across all four frameworks', async () => {
    const p = ok(await gql<{ adoptFramework: Programme & { framework: { key: string } } }>(stack.gatewayUrl, ADOPT, { k: 'soc2' }, a.token)).adoptFramework;
    expect(p).toMatchObject({ frameworkKey: 'soc2', status: 'NOT_STARTED', framework: { key: 'soc2' } });
    expect(p.readiness).toEqual({ requirementCount: 61, coveredCount: 0, ratio: 0, percent: 0 });
    const starter = await starterControls(a.orgId);
    expect(starter.length).toBeGreaterThanOrEqual(25);
    const mfa = starter.find((c) => c.starter_key === 'multi-factor-authentication')!;
    const mapped = ok(await gql<{ control: { requirements: { ref: string; framework: { key: string } }[] } }>(stack.gatewayUrl, CONTROL, { id: mfa.id }, a.token)).control;
    expect(new Set(mapped.requirements.map((r) => r.framework.key))).toEqual(new Set(['soc2', 'iso27001', 'gdpr', 'dpdp']));
  });

  it('creates the starter set once: a second framework reuses it, and a framework is adopted once', async () => {
    const before = await starterControls(a.orgId);
    ok(await gql(stack.gatewayUrl, ADOPT, { k: 'iso27001' }, a.token));
    expect(await starterControls(a.orgId)).toEqual(before);
    const again = await gql(stack.gatewayUrl, ADOPT, { k: 'soc2' }, a.token);
    expect(codes(again)).toEqual(['CONFLICT']);
    const unknown = await gql(stack.gatewayUrl, ADOPT, { k: 'pci-dss' }, a.token);
    expect(codes(unknown)).toEqual(['NOT_FOUND']);
    // without the starter set
    ok(await gql(stack.gatewayUrl, ADOPT, { k: 'gdpr', s: false }, b.token));
    expect(await starterControls(b.orgId)).toEqual([]);
  });

  it('one control counts for SOC 2 and ISO 27001 at once: readiness follows implemented controls with current evidence', async () => {
    const soc2 = reqs.get('soc2|CC6.1')!;
    const iso = reqs.get('iso27001|A.5.15')!;
    const c = ok(await gql<{ createControl: { id: string } }>(stack.gatewayUrl, 'mutation { createControl(input: { title: "Least privilege" }) { id } }', {}, a.token)).createControl.id;
    const mapped = ok(await gql<{ mapControl: { requirements: { ref: string; framework: { key: string } }[] } }>(stack.gatewayUrl, MAP, { c, r: [soc2, iso] }, a.token)).mapControl;
    expect(mapped.requirements.map((r) => `${r.framework.key} ${r.ref}`).sort()).toEqual(['iso27001 A.5.15', 'soc2 CC6.1']);

    const covered = async () => { const p = await programmes(a); return [p.get('soc2')!.readiness.coveredCount, p.get('iso27001')!.readiness.coveredCount]; };
    const base = await covered();
    // implemented, but no evidence yet: does not count
    ok(await gql(stack.gatewayUrl, UPDATE, { id: c, i: { title: 'Least privilege', status: 'IMPLEMENTED' } }, a.token));
    expect(await covered()).toEqual(base);
    // only expired evidence: does not count
    ok(await gql(stack.gatewayUrl, ADD, { i: { controlId: c, kind: 'TEXT', title: 'Old review', text: 'ok', collectedAt: '2020-01-01T00:00:00Z', expiresAt: '2021-01-01T00:00:00Z' } }, a.token));
    expect(await covered()).toEqual(base);
    // current evidence: counts for both frameworks at once
    const up = await upload(stack.gatewayUrl, a.token, { controlId: c, fileName: 'review.pdf', expiresAt: '2999-01-01T00:00:00Z' }, 'application/pdf', pdfBytes());
    expect(up.status).toBe(201);
    expect(await covered()).toEqual([base[0]! + 1, base[1]! + 1]);
    const soc2Readiness = (await programmes(a)).get('soc2')!.readiness;
    expect(soc2Readiness.ratio).toBeCloseTo(soc2Readiness.coveredCount / 61);
    // the same value as a direct count over the tables
    const [direct] = await adminQuery<{ n: number }>(`
      select count(distinct cr.requirement_id)::int as n from compliance.control_requirements cr
        join compliance.controls c on c.id = cr.control_id and c.status = 'IMPLEMENTED'
        join compliance.requirements r on r.id = cr.requirement_id
        join compliance.frameworks f on f.id = r.framework_id and f.key = 'soc2'
       where cr.org_id = $1 and exists (select 1 from compliance.evidence e where e.control_id = c.id and (e.expires_at is null or e.expires_at > now()))`, [a.orgId]);
    expect(soc2Readiness.coveredCount).toBe(direct!.n);
    // a control going back to in progress stops counting
    ok(await gql(stack.gatewayUrl, UPDATE, { id: c, i: { title: 'Least privilege', status: 'IN_PROGRESS' } }, a.token));
    expect(await covered()).toEqual(base);
    // remapping replaces the mappings
    const remapped = ok(await gql<{ mapControl: { requirements: unknown[] } }>(stack.gatewayUrl, MAP, { c, r: [soc2] }, a.token)).mapControl;
    expect(remapped.requirements).toHaveLength(1);
  });

  it('tracks programme status', async () => {
    const soc2 = (await programmes(a)).get('soc2')!;
    const res = ok(await gql<{ updateProgramme: { status: string } }>(stack.gatewayUrl, 'mutation($id: ID!) { updateProgramme(id: $id, input: { status: IN_PROGRESS }) { status } }', { id: soc2.id }, a.token));
    expect(res.updateProgramme.status).toBe('IN_PROGRESS');
    ok(await gql(stack.gatewayUrl, 'mutation($id: ID!) { updateProgramme(id: $id, input: { status: CERTIFIED }) { status } }', { id: soc2.id }, a.token));
    expect((await programmes(a)).get('soc2')!.status).toBe('CERTIFIED');
    // a Member reads programmes but cannot change them
    const member = await addMemberWithRole(stack.gatewayUrl, a, 'Member');
    expect((await programmes(member)).size).toBe(2);
    const denied = await gql(stack.gatewayUrl, 'mutation($id: ID!) { updateProgramme(id: $id, input: { status: COMPLIANT }) { status } }', { id: soc2.id }, member.token);
    expect(codes(denied)).toEqual(['FORBIDDEN']);
    expect(codes(await gql(stack.gatewayUrl, ADOPT, { k: 'dpdp' }, member.token))).toEqual(['FORBIDDEN']);
  });

  it("adds programmes to identity's Organization", async () => {
    const viaOrg = ok(await gql<{ organization: { id: string; programmes: { frameworkKey: string; readiness: Readiness }[] } }>(stack.gatewayUrl,
      '{ organization { id programmes { frameworkKey readiness { requirementCount coveredCount ratio percent } } } }', {}, a.token)).organization;
    expect(viaOrg.id).toBe(a.orgId);
    expect(viaOrg.programmes.map((p) => p.frameworkKey)).toEqual(['soc2', 'iso27001']);
    expect(viaOrg.programmes[0]!.readiness).toEqual((await programmes(a)).get('soc2')!.readiness);
  });

  it("refuses another org's programmes and controls, by list, by id and by mapping", async () => {
    const aSoc2 = (await programmes(a)).get('soc2')!;
    expect([...(await programmes(b)).keys()]).toEqual(['gdpr']);
    const update = await gql(stack.gatewayUrl, 'mutation($id: ID!) { updateProgramme(id: $id, input: { status: COMPLIANT }) { id } }', { id: aSoc2.id }, b.token);
    expect(codes(update)).toEqual(['NOT_FOUND']);
    const [aControl] = await starterControls(a.orgId);
    const map = await gql(stack.gatewayUrl, MAP, { c: aControl!.id, r: [reqs.get('soc2|CC1.1')!] }, b.token);
    expect(codes(map)).toEqual(['NOT_FOUND']);
    const missing = await gql(stack.gatewayUrl, MAP, { c: '00000000-0000-4000-8000-000000000000', r: [] }, b.token);
    expect(map.errors![0]!.message).toBe(missing.errors![0]!.message);
    const read = await gql(stack.gatewayUrl, CONTROL, { id: aControl!.id }, b.token);
    expect(codes(read)).toEqual(['NOT_FOUND']);
    const list = ok(await gql<{ controls: { edges: unknown[] } }>(stack.gatewayUrl, '{ controls(first: 100) { edges { node { id } } } }', {}, b.token));
    expect(list.controls.edges).toEqual([]);
    // A's mapping was not touched
    const still = ok(await gql<{ control: { requirements: unknown[] } }>(stack.gatewayUrl, CONTROL, { id: aControl!.id }, a.token));
    expect(still.control.requirements.length).toBeGreaterThan(0);
    // an unknown requirement id is refused
    const bControl = ok(await gql<{ createControl: { id: string } }>(stack.gatewayUrl, 'mutation { createControl(input: { title: "B" }) { id } }', {}, b.token)).createControl.id;
    expect(codes(await gql(stack.gatewayUrl, MAP, { c: bControl, r: ['00000000-0000-4000-8000-000000000000'] }, b.token))).toEqual(['BAD_USER_INPUT']);
  });
});
