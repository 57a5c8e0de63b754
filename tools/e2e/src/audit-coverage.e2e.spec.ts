// Every mutation of the composed graph leaves an audit event (AU-1).
//
// HOW TO ADD AN ENTRY (one per Mutation field of apps/gateway/supergraph.graphql):
//   { mutation: 'createRisk', action: 'risk.create', run: async (h) => {
//       const d = await h.gql<{ createRisk: { id: string } }>('mutation { createRisk(input: { title: "R" }) { id } }');
//       return { subjectId: d.createRisk.id };
//   } },
// - `run` performs the mutation once, successfully, in a fresh organisation whose
//   Owner is `h.owner` (h.gql sends the Owner's token and throws on any error);
// - it may return `subjectId` (the event must name it) and `token` (when the event
//   lands in another org than h.owner's, e.g. signUp: a token that reads that log);
// - `action` is the `action` the mutation writes into its audit event.
// The last test fails when the graph has a mutation without an entry here (or an
// entry for a mutation that no longer exists): that is its purpose.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse } from 'graphql';
import { gql, PASSWORD, signUp, uniqueEmail, type SignedUp } from '@packets/testing';
import { startSmtp, type TestSmtp } from '@packets/testing/smtp';
import { authenticator } from 'otplib';
import type { Stack } from '@packets/tool-dev';
import { addMember, adminQuery } from './harness';
import { startAuditStack, waitForEvents } from './audit-support';

interface Harness {
  stack: Stack;
  owner: SignedUp;
  /** runs an operation as the Owner (or with `token`); throws on errors */
  gql: <T>(query: string, variables?: Record<string, unknown>, token?: string) => Promise<T>;
}

interface CoverageEntry {
  mutation: string;
  action: string;
  run: (h: Harness) => Promise<{ subjectId?: string; token?: string } | void>;
}

const SIGN_IN = 'mutation($i: SignInInput!) { signIn(input: $i) { ... on AuthPayload { token } } }';

/** SSO domain verification answers from this DNS (TXT name -> records), injected into identity. */
const COVERAGE_TXT = new Map<string, string[][]>();
const coverageResolveTxt = (name: string): Promise<string[][]> =>
  COVERAGE_TXT.has(name) ? Promise.resolve(COVERAGE_TXT.get(name)!) : Promise.reject(Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' }));
const coverageDomain = () => `cov-${randomBytes(6).toString('hex')}.test`;
const ADD_SSO_DOMAIN = 'mutation($d: String!) { addSsoDomain(domain: $d) { id txtRecordName txtRecordValue } }';
type AddedSsoDomain = { addSsoDomain: { id: string; txtRecordName: string; txtRecordValue: string } };

const ENTRIES: CoverageEntry[] = [
  {
    mutation: 'signUp', action: 'organization.sign_up',
    run: async (h) => {
      const org = await signUp(h.stack.gatewayUrl, 'Coverage Sign-up Org');
      return { subjectId: org.orgId, token: org.token };
    },
  },
  {
    mutation: 'signIn', action: 'auth.sign_in',
    run: async (h) => {
      await h.gql(SIGN_IN, { i: { email: h.owner.email, password: PASSWORD, organizationSlug: h.owner.slug } }, '');
    },
  },
  {
    mutation: 'signOut', action: 'auth.sign_out',
    run: async (h) => {
      const d = await h.gql<{ signIn: { token: string } }>(SIGN_IN, { i: { email: h.owner.email, password: PASSWORD, organizationSlug: h.owner.slug } }, '');
      await h.gql('mutation { signOut }', {}, d.signIn.token);
    },
  },
  {
    mutation: 'createControl', action: 'control.create',
    run: async (h) => {
      const d = await h.gql<{ createControl: { id: string } }>('mutation { createControl(input: { title: "Covered" }) { id } }');
      return { subjectId: d.createControl.id };
    },
  },
  {
    mutation: 'updateControl', action: 'control.update',
    run: async (h) => {
      const d = await h.gql<{ createControl: { id: string } }>('mutation { createControl(input: { title: "Before" }) { id } }');
      await h.gql('mutation($id: ID!) { updateControl(id: $id, input: { title: "After" }) { id } }', { id: d.createControl.id });
      return { subjectId: d.createControl.id };
    },
  },
  // compliance core (issue 5)
  {
    mutation: 'importOscalCatalog', action: 'framework.import',
    run: async (h) => {
      const document = JSON.stringify({ catalog: {
        uuid: '3f2504e0-4f89-41d3-9a0c-0305e82c3302',
        metadata: { title: 'Coverage Catalogue', 'last-modified': '2025-01-01T00:00:00Z', version: '1', 'oscal-version': '1.1.2' },
        controls: [{ id: 'cov-1', title: 'Covered' }],
      } });
      const d = await h.gql<{ importOscalCatalog: { id: string } }>('mutation($d: String!) { importOscalCatalog(document: $d) { id } }', { d: document });
      return { subjectId: d.importOscalCatalog.id };
    },
  },
  {
    mutation: 'adoptFramework', action: 'programme.adopt',
    run: async (h) => {
      const d = await h.gql<{ adoptFramework: { id: string } }>('mutation { adoptFramework(frameworkKey: "gdpr", includeStarterControls: false) { id } }');
      return { subjectId: d.adoptFramework.id };
    },
  },
  {
    mutation: 'updateProgramme', action: 'programme.update',
    run: async (h) => {
      const d = await h.gql<{ adoptFramework: { id: string } }>('mutation { adoptFramework(frameworkKey: "dpdp", includeStarterControls: false) { id } }');
      await h.gql('mutation($id: ID!) { updateProgramme(id: $id, input: { status: IN_PROGRESS }) { id } }', { id: d.adoptFramework.id });
      return { subjectId: d.adoptFramework.id };
    },
  },
  {
    mutation: 'mapControl', action: 'control.map',
    run: async (h) => {
      const f = await h.gql<{ frameworks: { requirements: { id: string }[] }[] }>('{ frameworks { requirements { id } } }');
      const c = await h.gql<{ createControl: { id: string } }>('mutation { createControl(input: { title: "Mapped" }) { id } }');
      await h.gql('mutation($c: ID!, $r: [ID!]!) { mapControl(controlId: $c, requirementIds: $r) { id } }', { c: c.createControl.id, r: [f.frameworks[0]!.requirements[0]!.id] });
      return { subjectId: c.createControl.id };
    },
  },
  {
    mutation: 'addEvidence', action: 'evidence.add',
    run: async (h) => {
      const c = await h.gql<{ createControl: { id: string } }>('mutation { createControl(input: { title: "Evidenced" }) { id } }');
      const d = await h.gql<{ addEvidence: { id: string } }>('mutation($c: ID!) { addEvidence(input: { controlId: $c, kind: TEXT, title: "T", text: "done" }) { id } }', { c: c.createControl.id });
      return { subjectId: d.addEvidence.id };
    },
  },
  {
    mutation: 'createPolicy', action: 'policy.create',
    run: async (h) => {
      const d = await h.gql<{ createPolicy: { id: string } }>('mutation { createPolicy(input: { title: "P", body: "Text" }) { id } }');
      return { subjectId: d.createPolicy.id };
    },
  },
  {
    mutation: 'draftPolicyVersion', action: 'policy.draft',
    run: async (h) => {
      const p = await h.gql<{ createPolicy: { id: string } }>('mutation { createPolicy(input: { title: "P", body: "Text" }) { id } }');
      await h.gql('mutation($id: ID!) { publishPolicy(id: $id) { id } }', { id: p.createPolicy.id });
      const d = await h.gql<{ draftPolicyVersion: { id: string } }>('mutation($p: ID!) { draftPolicyVersion(policyId: $p, body: "v2") { id } }', { p: p.createPolicy.id });
      return { subjectId: d.draftPolicyVersion.id };
    },
  },
  {
    mutation: 'updatePolicyDraft', action: 'policy.edit',
    run: async (h) => {
      const p = await h.gql<{ createPolicy: { versions: { id: string }[] } }>('mutation { createPolicy(input: { title: "P", body: "Text" }) { versions { id } } }');
      const v = p.createPolicy.versions[0]!.id;
      await h.gql('mutation($v: ID!) { updatePolicyDraft(versionId: $v, body: "Edited") { id } }', { v });
      return { subjectId: v };
    },
  },
  {
    mutation: 'approvePolicy', action: 'policy.approve',
    run: async (h) => {
      const p = await h.gql<{ createPolicy: { versions: { id: string }[] } }>('mutation { createPolicy(input: { title: "P", body: "Text" }) { versions { id } } }');
      const v = p.createPolicy.versions[0]!.id;
      await h.gql('mutation($v: ID!) { approvePolicy(versionId: $v) { id } }', { v });
      return { subjectId: v };
    },
  },
  {
    mutation: 'publishPolicy', action: 'policy.publish',
    run: async (h) => {
      const p = await h.gql<{ createPolicy: { id: string } }>('mutation { createPolicy(input: { title: "P", body: "Text" }) { id } }');
      const d = await h.gql<{ publishPolicy: { id: string } }>('mutation($id: ID!) { publishPolicy(id: $id) { id } }', { id: p.createPolicy.id });
      return { subjectId: d.publishPolicy.id };
    },
  },
  {
    mutation: 'acknowledgePolicy', action: 'policy.acknowledge',
    run: async (h) => {
      const p = await h.gql<{ createPolicy: { id: string } }>('mutation { createPolicy(input: { title: "P", body: "Text" }) { id } }');
      const v = await h.gql<{ publishPolicy: { id: string } }>('mutation($id: ID!) { publishPolicy(id: $id) { id } }', { id: p.createPolicy.id });
      await h.gql('mutation($v: ID!) { acknowledgePolicy(versionId: $v) { id } }', { v: v.publishPolicy.id });
      return { subjectId: v.publishPolicy.id };
    },
  },
  {
    mutation: 'updateComplianceSettings', action: 'compliance.settings.update',
    run: async (h) => {
      await h.gql('mutation { updateComplianceSettings(input: { requirePolicyApprovalByOther: true }) { requirePolicyApprovalByOther } }');
      return { subjectId: h.owner.orgId };
    },
  },
  {
    mutation: 'exportAuditEvents', action: 'audit.export',
    run: async (h) => {
      const d = await h.gql<{ exportAuditEvents: { id: string } }>('mutation { exportAuditEvents(format: CSV) { id } }');
      return { subjectId: d.exportAuditEvents.id };
    },
  },
  {
    mutation: 'acknowledgeAuditAlert', action: 'audit.alert_acknowledge',
    run: async (h) => {
      // an alert to acknowledge: a first export raises unusual_export
      await h.gql('mutation { exportAuditEvents(format: JSONL) { id } }');
      const alertId = await waitForAlert(h);
      await h.gql('mutation($id: ID!) { acknowledgeAuditAlert(id: $id) { id } }', { id: alertId });
      return { subjectId: alertId };
    },
  },
  {
    mutation: 'setAuditRetention', action: 'audit.retention_set',
    run: async (h) => {
      await h.gql('mutation { setAuditRetention(days: 1500) { retentionDays } }');
      return { subjectId: h.owner.orgId };
    },
  },
  {
    mutation: 'configureAuditWebhook', action: 'audit.webhook_configure',
    run: async (h) => {
      await h.gql('mutation($i: AuditWebhookInput!) { configureAuditWebhook(input: $i) { url } }',
        { i: { url: 'http://127.0.0.1:9/hook', secret: 'a-webhook-secret-of-enough-length', enabled: false } });
      return { subjectId: h.owner.orgId };
    },
  },
  {
    mutation: 'configureSso', action: 'sso.configure',
    run: async (h) => {
      await h.gql('mutation($i: SsoConnectionInput!) { configureSso(input: $i) { issuer } }',
        { i: { preset: 'GOOGLE', clientId: 'coverage-client', clientSecret: 'coverage-client-secret', allowedDomains: ['example.test'] } });
      return { subjectId: h.owner.orgId };
    },
  },
  {
    mutation: 'removeSso', action: 'sso.remove',
    run: async (h) => {
      await h.gql('mutation($i: SsoConnectionInput!) { configureSso(input: $i) { issuer } }',
        { i: { preset: 'GOOGLE', clientId: 'coverage-client', clientSecret: 'coverage-client-secret', allowedDomains: ['example.test'] } });
      await h.gql('mutation { removeSso }');
      return { subjectId: h.owner.orgId };
    },
  },
  {
    mutation: 'addSsoDomain', action: 'sso.domain.add',
    run: async (h) => {
      const d = await h.gql<AddedSsoDomain>(ADD_SSO_DOMAIN, { d: coverageDomain() });
      return { subjectId: d.addSsoDomain.id };
    },
  },
  {
    mutation: 'verifySsoDomain', action: 'sso.domain.verify',
    run: async (h) => {
      const domain = coverageDomain();
      const d = await h.gql<AddedSsoDomain>(ADD_SSO_DOMAIN, { d: domain });
      COVERAGE_TXT.set(d.addSsoDomain.txtRecordName, [[d.addSsoDomain.txtRecordValue]]);
      await h.gql('mutation($d: String!) { verifySsoDomain(domain: $d) { verified } }', { d: domain });
      return { subjectId: d.addSsoDomain.id };
    },
  },
  {
    mutation: 'removeSsoDomain', action: 'sso.domain.remove',
    run: async (h) => {
      const domain = coverageDomain();
      const d = await h.gql<AddedSsoDomain>(ADD_SSO_DOMAIN, { d: domain });
      await h.gql('mutation($d: String!) { removeSsoDomain(domain: $d) }', { d: domain });
      return { subjectId: d.addSsoDomain.id };
    },
  },
  {
    mutation: 'confirmSsoJoin', action: 'member.join',
    run: async (h) => {
      // the join request an SSO sign-in leaves for someone with an account elsewhere (that sign-in: identity-sso.e2e.spec.ts)
      const domain = coverageDomain();
      await h.gql('mutation($i: SsoConnectionInput!) { configureSso(input: $i) { issuer } }',
        { i: { preset: 'GOOGLE', clientId: 'coverage-client', clientSecret: 'coverage-client-secret', allowedDomains: [domain], jitEnabled: true } });
      await adminQuery(`insert into identity.sso_domains (id, org_id, domain, token, created_at, verified_at) values ($1, $2, $3, 't', now(), now())`,
        [randomUUID(), h.owner.orgId, domain]);
      const joiner = await signUp(h.stack.gatewayUrl, 'Coverage Joiner Org', `joiner@${domain}`);
      const [role] = await adminQuery<{ id: string }>(`select id from identity.roles where org_id = $1 and name = 'Member'`, [h.owner.orgId]);
      const token = `pkj_${randomBytes(32).toString('base64url')}`;
      await adminQuery(`insert into identity.sso_join_requests (id, org_id, user_id, email, role_id, token_hash, created_at, expires_at)
        values ($1, $2, $3, $4, $5, $6, now(), now() + interval '1 hour')`,
        [randomUUID(), h.owner.orgId, joiner.userId, joiner.email, role!.id, createHash('sha256').update(token).digest('hex')]);
      await h.gql('mutation($t: String!) { confirmSsoJoin(token: $t) }', { t: token }, joiner.token);
      return { subjectId: joiner.userId };
    },
  },
  {
    mutation: 'updateSecuritySettings', action: 'organization.security_settings.update',
    run: async (h) => {
      await h.gql('mutation { updateSecuritySettings(input: { sessionIdleTimeoutMinutes: 20 }) { id } }');
      return { subjectId: h.owner.orgId };
    },
  },
  {
    mutation: 'createRole', action: 'role.create',
    run: async (h) => {
      const d = await h.gql<{ createRole: { id: string } }>('mutation { createRole(input: { name: "Readers", rules: [{ action: "read", subject: "Control" }] }) { id } }');
      return { subjectId: d.createRole.id };
    },
  },
  {
    mutation: 'updateRole', action: 'role.update',
    run: async (h) => {
      const d = await h.gql<{ createRole: { id: string } }>('mutation { createRole(input: { name: "Readers", rules: [{ action: "read", subject: "Control" }] }) { id } }');
      await h.gql('mutation($id: ID!) { updateRole(id: $id, input: { name: "Readers", rules: [] }) { id } }', { id: d.createRole.id });
      return { subjectId: d.createRole.id };
    },
  },
  {
    mutation: 'deleteRole', action: 'role.delete',
    run: async (h) => {
      const d = await h.gql<{ createRole: { id: string } }>('mutation { createRole(input: { name: "Temporary", rules: [] }) { id } }');
      await h.gql('mutation($id: ID!) { deleteRole(id: $id) }', { id: d.createRole.id });
      return { subjectId: d.createRole.id };
    },
  },
  {
    mutation: 'assignRoles', action: 'member.roles.assign',
    run: async (h) => {
      const { userId } = await addMember(h.stack.gatewayUrl, h.owner, 'Member', { mail: smtp });
      const roles = await h.gql<{ roles: { id: string; name: string }[] }>('{ roles { id name } }');
      await h.gql('mutation($u: ID!, $r: [ID!]!) { assignRoles(userId: $u, roleIds: $r) { id } }', { u: userId, r: [roles.roles.find((r) => r.name === 'Viewer')!.id] });
      return { subjectId: userId };
    },
  },
  {
    mutation: 'removeMember', action: 'member.remove',
    run: async (h) => {
      const { userId } = await addMember(h.stack.gatewayUrl, h.owner, 'Member', { mail: smtp });
      await h.gql('mutation($u: ID!) { removeMember(userId: $u) }', { u: userId });
      return { subjectId: userId };
    },
  },
  {
    mutation: 'inviteMember', action: 'member.invite',
    run: async (h) => {
      const d = await h.gql<{ inviteMember: { id: string } }>('mutation($e: String!) { inviteMember(input: { email: $e }) { id } }', { e: uniqueEmail('invited') });
      return { subjectId: d.inviteMember.id };
    },
  },
  {
    mutation: 'acceptInvitation', action: 'member.join',
    run: async (h) => {
      const email = uniqueEmail('joining');
      await h.gql('mutation($e: String!) { inviteMember(input: { email: $e }) { id } }', { e: email });
      const token = /Invitation token: (pki_[A-Za-z0-9_-]+)/.exec((await smtp.waitFor(email)).text)![1]!;
      const d = await h.gql<{ acceptInvitation: { user: { id: string } } }>('mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { user { id } } }',
        { i: { token, name: 'Joiner', password: PASSWORD } }, '');
      return { subjectId: d.acceptInvitation.user.id };
    },
  },
  {
    mutation: 'revokeInvitation', action: 'invitation.revoke',
    run: async (h) => {
      const d = await h.gql<{ inviteMember: { id: string } }>('mutation($e: String!) { inviteMember(input: { email: $e }) { id } }', { e: uniqueEmail('revoked') });
      await h.gql('mutation($id: ID!) { revokeInvitation(id: $id) }', { id: d.inviteMember.id });
      return { subjectId: d.inviteMember.id };
    },
  },
  {
    mutation: 'createOrganization', action: 'organization.create',
    run: async (h) => {
      const d = await h.gql<{ createOrganization: { token: string; organization: { id: string } } }>(
        'mutation { createOrganization(input: { name: "Coverage Second Org" }) { token organization { id } } }');
      return { subjectId: d.createOrganization.organization.id, token: d.createOrganization.token };
    },
  },
  {
    mutation: 'revokeSession', action: 'session.revoke',
    run: async (h) => {
      await h.gql(SIGN_IN, { i: { email: h.owner.email, password: PASSWORD, organizationSlug: h.owner.slug } }, '');
      const d = await h.gql<{ sessions: { id: string; current: boolean }[] }>('{ sessions { id current } }');
      const other = d.sessions.find((s) => !s.current)!;
      await h.gql('mutation($id: ID!) { revokeSession(id: $id) }', { id: other.id });
      return { subjectId: other.id };
    },
  },
  {
    mutation: 'createApiKey', action: 'apikey.create',
    run: async (h) => {
      const roles = await h.gql<{ roles: { id: string; name: string }[] }>('{ roles { id name } }');
      const d = await h.gql<{ createApiKey: { apiKey: { id: string } } }>('mutation($r: ID!) { createApiKey(input: { name: "k", roleId: $r }) { apiKey { id } } }',
        { r: roles.roles.find((r) => r.name === 'Viewer')!.id });
      return { subjectId: d.createApiKey.apiKey.id };
    },
  },
  {
    mutation: 'revokeApiKey', action: 'apikey.revoke',
    run: async (h) => {
      const roles = await h.gql<{ roles: { id: string; name: string }[] }>('{ roles { id name } }');
      const d = await h.gql<{ createApiKey: { apiKey: { id: string } } }>('mutation($r: ID!) { createApiKey(input: { name: "k", roleId: $r }) { apiKey { id } } }',
        { r: roles.roles.find((r) => r.name === 'Viewer')!.id });
      await h.gql('mutation($id: ID!) { revokeApiKey(id: $id) }', { id: d.createApiKey.apiKey.id });
      return { subjectId: d.createApiKey.apiKey.id };
    },
  },
  {
    mutation: 'enrollTotp', action: 'mfa.enroll.start',
    run: async (h) => {
      await h.gql('mutation { enrollTotp { secret } }');
      return { subjectId: h.owner.userId };
    },
  },
  {
    mutation: 'confirmTotp', action: 'mfa.enroll.confirm',
    run: async (h) => {
      const d = await h.gql<{ enrollTotp: { secret: string } }>('mutation { enrollTotp { secret } }');
      await h.gql('mutation($c: String!) { confirmTotp(code: $c) { codes } }', { c: authenticator.generate(d.enrollTotp.secret) });
      return { subjectId: h.owner.userId };
    },
  },
  {
    mutation: 'completeMfaSignIn', action: 'auth.mfa',
    run: async (h) => {
      const d = await h.gql<{ enrollTotp: { secret: string } }>('mutation { enrollTotp { secret } }');
      const codes = await h.gql<{ confirmTotp: { codes: string[] } }>('mutation($c: String!) { confirmTotp(code: $c) { codes } }', { c: authenticator.generate(d.enrollTotp.secret) });
      const challenge = await h.gql<{ signIn: { challengeToken: string } }>('mutation($i: SignInInput!) { signIn(input: $i) { ... on MfaChallenge { challengeToken } } }',
        { i: { email: h.owner.email, password: PASSWORD, organizationSlug: h.owner.slug } }, '');
      await h.gql('mutation($i: CompleteMfaInput!) { completeMfaSignIn(input: $i) { token } }',
        { i: { challengeToken: challenge.signIn.challengeToken, recoveryCode: codes.confirmTotp.codes[0] } }, '');
    },
  },
];

async function waitForAlert(h: Harness): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const d = await h.gql<{ auditAlerts: { edges: { node: { id: string } }[] } }>('{ auditAlerts(first: 1) { edges { node { id } } } }');
    if (d.auditAlerts.edges[0]) return d.auditAlerts.edges[0].node.id;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no alert was raised');
}

function supergraphMutations(): string[] {
  const sdl = readFileSync(join(__dirname, '../../../apps/gateway/supergraph.graphql'), 'utf8');
  const fields: string[] = [];
  for (const def of parse(sdl).definitions) {
    if ((def.kind === Kind.OBJECT_TYPE_DEFINITION || def.kind === Kind.OBJECT_TYPE_EXTENSION) && def.name.value === 'Mutation') {
      fields.push(...(def.fields ?? []).map((f) => f.name.value));
    }
  }
  return fields;
}

let smtp: TestSmtp;

describe('every mutation is audited', () => {
  let stack: Stack;

  beforeAll(async () => {
    smtp = await startSmtp();
    stack = await startAuditStack({ env: { SMTP_URL: smtp.url }, resolveTxt: coverageResolveTxt });
  });
  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
  });

  for (const entry of ENTRIES) {
    it(`${entry.mutation} records ${entry.action}`, async () => {
      const owner = await signUp(stack.gatewayUrl, `Coverage ${entry.mutation}`, uniqueEmail(entry.mutation.toLowerCase()));
      const h: Harness = {
        stack, owner,
        gql: async <T,>(query: string, variables: Record<string, unknown> = {}, token: string = owner.token) => {
          const res = await gql<T>(stack.gatewayUrl, query, variables, token || undefined);
          if (res.errors || !res.data) throw new Error(`${entry.mutation}: ${res.raw}`);
          return res.data;
        },
      };
      const started = new Date(Date.now() - 1000);
      const out = (await entry.run(h)) ?? {};
      const filter = { action: entry.action, from: started.toISOString(), ...(out.subjectId ? { subjectId: out.subjectId } : {}) };
      const events = await waitForEvents(stack.gatewayUrl, out.token ?? owner.token, filter);
      expect(events.length, `no ${entry.action} event after ${entry.mutation}`).toBeGreaterThan(0);
      expect(events[0]).toMatchObject({ action: entry.action, outcome: 'success' });
      // it is in the chain too
      const [row] = await adminQuery<{ hash: string }>('select hash from audit.events where id = $1', [events[0]!.id]);
      expect(row!.hash).toMatch(/^[0-9a-f]{64}$/);
    });
  }

  it('has an entry for each Mutation field of the composed supergraph, and no other', () => {
    const entries = ENTRIES.map((e) => e.mutation).sort();
    const mutations = supergraphMutations().sort();
    expect(new Set(entries).size, 'duplicate entries').toBe(entries.length);
    expect(mutations.filter((m) => !entries.includes(m)), 'mutations without a coverage entry').toEqual([]);
    expect(entries.filter((m) => !mutations.includes(m)), 'entries for mutations that do not exist').toEqual([]);
  });
});
