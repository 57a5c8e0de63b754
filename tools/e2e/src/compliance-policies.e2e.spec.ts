// CO-5: versioned markdown policies: draft, approve (by someone other than the
// author when the org requires it), publish, acknowledge; coverage lists who has
// and has not acknowledged the version in force; a new version needs new
// acknowledgements. Another org's policies are out of reach.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, gql, signUp, type SignedUp } from '@packets/testing';
import type { Stack } from '@packets/tool-dev';
import { addMember, adminQuery, appClient } from './harness';
import { addMemberWithRole, ok, startComplianceStack } from './compliance-harness';

const CREATE = 'mutation($i: PolicyInput!) { createPolicy(input: $i) { id title versions { id version status author { id } } } }';
const APPROVE = 'mutation($v: ID!) { approvePolicy(versionId: $v) { id status approvedBy { id } } }';
const PUBLISH = 'mutation($id: ID!) { publishPolicy(id: $id) { id version status publishedBy { id } } }';
const ACK = 'mutation($v: ID!) { acknowledgePolicy(versionId: $v) { id policyVersionId user { id } acknowledgedAt } }';
const DRAFT = 'mutation($p: ID!, $b: String!) { draftPolicyVersion(policyId: $p, body: $b) { id version status } }';
const COVERAGE = 'query($p: ID!) { policyCoverage(policyId: $p) { total coveredCount ratio covered { user { id } at } uncovered { id } policyVersion { id version } } }';
const EDIT = 'mutation($v: ID!, $b: String!) { updatePolicyDraft(versionId: $v, body: $b) { id status } }';
const SETTINGS = 'mutation($v: Boolean) { updateComplianceSettings(input: { requirePolicyApprovalByOther: $v }) { requirePolicyApprovalByOther } }';

interface Coverage { total: number; coveredCount: number; ratio: number; covered: { user: { id: string } }[]; uncovered: { id: string }[]; policyVersion: { id: string; version: number } | null }

describe('policies through the gateway', () => {
  let stack: Stack;
  let a: SignedUp;
  let b: SignedUp;
  let admin: { userId: string; token: string };
  let admin2: { userId: string; token: string };
  let m1: { userId: string; token: string };
  let m2: { userId: string; token: string };
  let policyId: string;
  let v1: string;

  const coverage = async (token = a.token) => ok(await gql<{ policyCoverage: Coverage }>(stack.gatewayUrl, COVERAGE, { p: policyId }, token)).policyCoverage;

  beforeAll(async () => {
    ({ stack } = await startComplianceStack());
    [a, b] = await Promise.all([signUp(stack.gatewayUrl, 'Policy A'), signUp(stack.gatewayUrl, 'Policy B')]);
    admin = await addMemberWithRole(stack.gatewayUrl, a, 'Admin', 'Approver');
    admin2 = await addMemberWithRole(stack.gatewayUrl, a, 'Admin', 'Second approver');
    m1 = await addMemberWithRole(stack.gatewayUrl, a, 'Member', 'Member One');
    m2 = await addMemberWithRole(stack.gatewayUrl, a, 'Member', 'Member Two');
    // members own controls, so compliance knows them (see apps/compliance/src/shared/members.ts)
    for (const m of [m1, m2]) {
      ok(await gql(stack.gatewayUrl, 'mutation($o: ID) { createControl(input: { title: "Owned", ownerId: $o }) { id } }', { o: m.userId }, a.token));
    }
  });
  afterAll(() => stack?.stop());

  it('drafts a policy; with the org rule on, its author cannot approve it, someone else can', async () => {
    expect(ok(await gql<{ updateComplianceSettings: { requirePolicyApprovalByOther: boolean } }>(stack.gatewayUrl, SETTINGS, { v: true }, a.token))
      .updateComplianceSettings.requirePolicyApprovalByOther).toBe(true);
    const policy = ok(await gql<{ createPolicy: { id: string; versions: { id: string; version: number; status: string; author: { id: string } }[] } }>(stack.gatewayUrl, CREATE,
      { i: { title: 'Acceptable use', body: '# Acceptable use\n\nBe careful.' } }, a.token)).createPolicy;
    policyId = policy.id;
    expect(policy.versions).toEqual([{ id: expect.any(String) as unknown, version: 1, status: 'DRAFT', author: { id: a.userId } }]);
    v1 = policy.versions[0]!.id;
    // publishing unapproved, and approving one's own, are refused
    expect(codes(await gql(stack.gatewayUrl, PUBLISH, { id: policyId }, a.token))).toEqual(['CONFLICT']);
    expect(codes(await gql(stack.gatewayUrl, APPROVE, { v: v1 }, a.token))).toEqual(['FORBIDDEN']);
    // members may not approve at all
    expect(codes(await gql(stack.gatewayUrl, APPROVE, { v: v1 }, m1.token))).toEqual(['FORBIDDEN']);
    const approved = ok(await gql<{ approvePolicy: { status: string; approvedBy: { id: string } } }>(stack.gatewayUrl, APPROVE, { v: v1 }, admin.token)).approvePolicy;
    expect(approved).toMatchObject({ status: 'APPROVED', approvedBy: { id: admin.userId } });
    const published = ok(await gql<{ publishPolicy: { version: number; status: string } }>(stack.gatewayUrl, PUBLISH, { id: policyId }, a.token)).publishPolicy;
    expect(published).toMatchObject({ version: 1, status: 'PUBLISHED' });
  });

  it('members acknowledge the published version; coverage shows who has and who has not', async () => {
    const ack = ok(await gql<{ acknowledgePolicy: { user: { id: string }; policyVersionId: string } }>(stack.gatewayUrl, ACK, { v: v1 }, m1.token)).acknowledgePolicy;
    expect(ack).toMatchObject({ user: { id: m1.userId }, policyVersionId: v1 });
    // acknowledging twice keeps the first
    const again = ok(await gql<{ acknowledgePolicy: { id: string } }>(stack.gatewayUrl, ACK, { v: v1 }, m1.token)).acknowledgePolicy;
    expect(again.id).toBe((ack as unknown as { id: string }).id);
    // a member who has never touched compliance data counts too (identity lists the members)
    const quiet = (await addMember(stack.gatewayUrl, a)).userId;
    const cov = await coverage();
    expect(cov.uncovered.map((u) => u.id)).toContain(quiet);
    expect(cov.policyVersion?.version).toBe(1);
    expect(cov.covered.map((c) => c.user.id)).toEqual([m1.userId]);
    expect(cov.uncovered.map((u) => u.id)).toEqual(expect.arrayContaining([m2.userId, a.userId, admin.userId]));
    expect(cov.uncovered.map((u) => u.id)).not.toContain(m1.userId);
    expect(cov.total).toBe(cov.covered.length + cov.uncovered.length);
    expect(cov.ratio).toBeCloseTo(1 / cov.total);
    // a member sees only their own acknowledgement, not the coverage report
    expect(codes(await gql(stack.gatewayUrl, COVERAGE, { p: policyId }, m2.token))).toEqual(['FORBIDDEN']);
    const mine = ok(await gql<{ policies: { currentVersion: { myAcknowledgement: { user: { id: string } } | null } }[] }>(stack.gatewayUrl,
      '{ policies { currentVersion { myAcknowledgement { user { id } } } } }', {}, m1.token)).policies;
    expect(mine[0]!.currentVersion.myAcknowledgement?.user.id).toBe(m1.userId);
  });

  it('a new version supersedes the old one and needs new acknowledgements', async () => {
    const v2 = ok(await gql<{ draftPolicyVersion: { id: string; version: number; status: string } }>(stack.gatewayUrl, DRAFT, { p: policyId, b: '# Acceptable use\n\nBe more careful.' }, admin.token)).draftPolicyVersion;
    expect(v2).toMatchObject({ version: 2, status: 'DRAFT' });
    expect(codes(await gql(stack.gatewayUrl, DRAFT, { p: policyId, b: 'another' }, admin.token))).toEqual(['CONFLICT']);
    // the draft's author (the admin) cannot approve it; the owner can
    expect(codes(await gql(stack.gatewayUrl, APPROVE, { v: v2.id }, admin.token))).toEqual(['FORBIDDEN']);
    ok(await gql(stack.gatewayUrl, APPROVE, { v: v2.id }, a.token));
    // until v2 is published, v1 coverage stands
    expect((await coverage()).coveredCount).toBe(1);
    ok(await gql(stack.gatewayUrl, PUBLISH, { id: policyId }, admin.token));
    const cov = await coverage();
    expect(cov.policyVersion?.version).toBe(2);
    expect(cov.coveredCount).toBe(0);
    expect(cov.uncovered.map((u) => u.id)).toContain(m1.userId);
    // the old version can no longer be acknowledged; the new one can
    expect(codes(await gql(stack.gatewayUrl, ACK, { v: v1 }, m2.token))).toEqual(['CONFLICT']);
    ok(await gql(stack.gatewayUrl, ACK, { v: v2.id }, m2.token));
    expect((await coverage()).covered.map((c) => c.user.id)).toEqual([m2.userId]);
    const versions = await adminQuery<{ version: number; status: string }>('select version, status from compliance.policy_versions where policy_id = $1 order by version', [policyId]);
    expect(versions).toEqual([{ version: 1, status: 'SUPERSEDED' }, { version: 2, status: 'PUBLISHED' }]);
  });

  it('with the org rule on, nobody who edited a version may approve it; someone who never touched it may', async () => {
    const p = ok(await gql<{ createPolicy: { id: string; versions: { id: string }[] } }>(stack.gatewayUrl, CREATE,
      { i: { title: 'Editors', body: 'First text by the owner.' } }, a.token)).createPolicy;
    const v = p.versions[0]!.id;
    // the admin edits the owner's draft, then tries to approve the text they wrote
    ok(await gql(stack.gatewayUrl, EDIT, { v, b: 'Text rewritten by the admin.' }, admin.token));
    const own = await gql(stack.gatewayUrl, APPROVE, { v }, admin.token);
    expect(codes(own)).toEqual(['FORBIDDEN']);
    expect(own.errors![0]!.message).toContain('did not write or edit it');
    // nor may the author
    expect(codes(await gql(stack.gatewayUrl, APPROVE, { v }, a.token))).toEqual(['FORBIDDEN']);
    let [row] = await adminQuery<{ status: string; approved_by: string | null }>('select status, approved_by from compliance.policy_versions where id = $1', [v]);
    expect(row).toEqual({ status: 'DRAFT', approved_by: null });
    const editors = await adminQuery<{ actor_id: string }>('select actor_id from compliance.policy_version_editors where policy_version_id = $1 ', [v]);
    expect(editors.map((e) => e.actor_id).sort()).toEqual([a.userId, admin.userId].sort());
    // the editors table is a tenant table: as the services' role, org B sees none of A's rows; A sees its own
    const db = await appClient();
    try {
      const seen = async (orgId: string) => {
        await db.query('begin');
        await db.query(`select set_config('app.org_id', $1, true)`, [orgId]);
        const rows = (await db.query('select actor_id from compliance.policy_version_editors where policy_version_id = $1', [v])).rows;
        await db.query('rollback');
        return rows.length;
      };
      expect(await seen(b.orgId)).toBe(0);
      expect(await seen(a.orgId)).toBe(2);
    } finally {
      await db.end();
    }
    // a second admin who never edited it approves; an edit by that approver sends it back to DRAFT and they can no longer approve
    expect(ok(await gql<{ approvePolicy: { status: string; approvedBy: { id: string } } }>(stack.gatewayUrl, APPROVE, { v }, admin2.token)).approvePolicy)
      .toMatchObject({ status: 'APPROVED', approvedBy: { id: admin2.userId } });
    ok(await gql(stack.gatewayUrl, EDIT, { v, b: 'Touched after approval.' }, admin2.token));
    expect(codes(await gql(stack.gatewayUrl, APPROVE, { v }, admin2.token))).toEqual(['FORBIDDEN']);
    expect(codes(await gql(stack.gatewayUrl, PUBLISH, { id: p.id }, a.token))).toEqual(['CONFLICT']);
    [row] = await adminQuery<{ status: string; approved_by: string | null }>('select status, approved_by from compliance.policy_versions where id = $1', [v]);
    expect(row).toEqual({ status: 'DRAFT', approved_by: null });
  });

  it("with the org rule on, text written through a member's API key counts as theirs: they may not approve it", async () => {
    const roles = ok(await gql<{ roles: { id: string; name: string }[] }>(stack.gatewayUrl, '{ roles { id name } }', {}, admin.token)).roles;
    const adminRole = roles.find((r) => r.name === 'Admin')!.id;
    const key = ok(await gql<{ createApiKey: { key: string } }>(stack.gatewayUrl,
      'mutation($r: ID!) { createApiKey(input: { name: "policy bot", roleId: $r }) { key } }', { r: adminRole }, admin.token)).createApiKey.key;
    // the admin's key writes a draft (a new policy, and an edit of the owner's draft)
    const viaKey = ok(await gql<{ createPolicy: { versions: { id: string }[] } }>(stack.gatewayUrl, CREATE,
      { i: { title: 'Written by a key', body: 'Text the admin wrote through their key.' } }, key)).createPolicy.versions[0]!.id;
    const owners = ok(await gql<{ createPolicy: { versions: { id: string }[] } }>(stack.gatewayUrl, CREATE,
      { i: { title: 'Edited by a key', body: 'First text by the owner.' } }, a.token)).createPolicy.versions[0]!.id;
    ok(await gql(stack.gatewayUrl, EDIT, { v: owners, b: 'Rewritten through the admin key.' }, key));
    for (const v of [viaKey, owners]) {
      const own = await gql(stack.gatewayUrl, APPROVE, { v }, admin.token);
      expect(codes(own), v).toEqual(['FORBIDDEN']);
      const [row] = await adminQuery<{ status: string }>('select status from compliance.policy_versions where id = $1', [v]);
      expect(row).toEqual({ status: 'DRAFT' });
    }
    // someone who wrote none of it still may
    expect(ok(await gql<{ approvePolicy: { status: string } }>(stack.gatewayUrl, APPROVE, { v: viaKey }, admin2.token)).approvePolicy.status).toBe('APPROVED');
  });

  it('without the org rule, the author may publish a draft directly', async () => {
    ok(await gql(stack.gatewayUrl, SETTINGS, { v: false }, a.token));
    const p = ok(await gql<{ createPolicy: { id: string } }>(stack.gatewayUrl, CREATE, { i: { title: 'Clean desk', body: 'Tidy up.' } }, a.token)).createPolicy;
    const published = ok(await gql<{ publishPolicy: { status: string; publishedBy: { id: string } } }>(stack.gatewayUrl, PUBLISH, { id: p.id }, a.token)).publishPolicy;
    expect(published).toMatchObject({ status: 'PUBLISHED', publishedBy: { id: a.userId } });
  });

  it("cannot see or touch another org's policies", async () => {
    const list = ok(await gql<{ policies: unknown[] }>(stack.gatewayUrl, '{ policies { id } }', {}, b.token));
    expect(list.policies).toEqual([]);
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const [q, v] of [[COVERAGE, { p: policyId }], [PUBLISH, { id: policyId }], [DRAFT, { p: policyId, b: 'x' }]] as const) {
      const foreign = await gql(stack.gatewayUrl, q, v, b.token);
      expect(codes(foreign), q).toEqual(['NOT_FOUND']);
    }
    const [current] = await adminQuery<{ id: string }>(`select id from compliance.policy_versions where policy_id = $1 and status = 'PUBLISHED'`, [policyId]);
    for (const q of [ACK, APPROVE]) {
      const foreign = await gql(stack.gatewayUrl, q, { v: current!.id }, b.token);
      const none = await gql(stack.gatewayUrl, q, { v: missing }, b.token);
      expect(codes(foreign), q).toEqual(['NOT_FOUND']);
      expect(foreign.errors![0]!.message).toBe(none.errors![0]!.message);
    }
    const acks = await adminQuery('select id from compliance.policy_acknowledgements where org_id = $1', [b.orgId]);
    expect(acks).toEqual([]);
  });
});
