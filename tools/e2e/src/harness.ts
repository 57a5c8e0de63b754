// Boots the whole graph for one test file against the run's database, and makes
// members through the real mutations (addMember).
import { randomUUID } from 'node:crypto';
import { afterAll, inject } from 'vitest';
import { eventually, gql, PASSWORD, uniqueEmail } from '@packets/testing';
import { startSmtp, type TestSmtp } from '@packets/testing/smtp';
import { startStack, type Stack, type StackOptions } from '@packets/tool-dev';

/**
 * Every test stack's gateway rate limits: far above what one spec file drives, and
 * counted under this test process's own key prefix, since all stacks of a run share
 * one database (and Redis) and 127.0.0.1 (edge-rate-limit sets its own limits).
 */
export const GENEROUS_RATE_LIMITS: Record<string, string> = {
  RATE_LIMIT_ANON_POINTS: '10000000', RATE_LIMIT_CREDENTIAL_POINTS: '10000000', RATE_LIMIT_ORG_POINTS: '10000000',
  RATE_LIMIT_KEY_PREFIX: `edge-test-${process.pid}`,
};

export async function startTestStack(
  opts: { now?: () => Date; env?: Record<string, string>; ports?: StackOptions['ports']; resolveTxt?: StackOptions['resolveTxt'] } = {},
): Promise<Stack> {
  return startStack({
    adminUrl: inject('adminUrl'), secrets: inject('secrets'), nodeEnv: 'production', relayIntervalMs: 100, now: opts.now,
    env: await withMailbox({ ...GENEROUS_RATE_LIMITS, ...opts.env }), ports: opts.ports, resolveTxt: opts.resolveTxt,
  });
}

let shared: Promise<TestSmtp> | null = null;
/** One loopback SMTP server per test file, where stacks send their mail unless a test sets SMTP_URL itself. */
export function mailbox(): Promise<TestSmtp> {
  shared ??= startSmtp();
  return shared;
}
// registered when a spec file imports the harness: the file's mailbox closes with it
afterAll(async () => {
  if (shared) await (await shared).close();
});

/**
 * Test stack settings: the generous rate limits, the stack's own job queues (stacks share
 * the run's database: another stack's audit must not take this one's webhook deliveries),
 * and SMTP_URL pointing at this file's mailbox, unless they name their own.
 */
export async function withMailbox(env: Record<string, string> = {}): Promise<Record<string, string>> {
  const withLimits = { ...GENEROUS_RATE_LIMITS, JOBS_NAMESPACE: `test-${randomUUID().slice(0, 8)}`, ...env };
  return env.SMTP_URL ? withLimits : { ...withLimits, SMTP_URL: (await mailbox()).url };
}

export interface Member {
  userId: string;
  email: string;
  token: string;
  roleIds: string[];
}

const ROLES = '{ roles { id name } }';
const CREATE_ROLE = 'mutation($i: RoleInput!) { createRole(input: $i) { id } }';
const INVITE = 'mutation($i: InviteMemberInput!) { inviteMember(input: $i) { id } }';
const ACCEPT = 'mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { token user { id } } }';

/**
 * A new member of the org, signed in, made the way a customer makes one: the owner
 * (or any member allowed to) creates the custom role through `createRole` when given
 * rules (validated against the registry, no escalation), invites through
 * `inviteMember`, and the invitee accepts with the mailed token. `role` is a system
 * role name, several names, or `{ rules }`. The mail goes to `opts.mail`, by default
 * this file's mailbox (stacks from startTestStack and the audit and compliance
 * harnesses send there).
 */
export async function addMember(
  gatewayUrl: string,
  inviter: { token: string; email?: string; slug?: string },
  role: string | string[] | { rules: unknown[]; name?: string } = 'Member',
  opts: { name?: string; email?: string; mail?: TestSmtp; headers?: Record<string, string> } = {},
): Promise<Member> {
  let token = inviter.token;
  // as the inviter; a test that moved its clock past the inviter's session signs them in again (password sign-in)
  const asInviter = async <T>(query: string, variables: Record<string, unknown>, what: string): Promise<T> => {
    let res = await gql<T>(gatewayUrl, query, variables, token);
    if (res.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED' && inviter.email && inviter.slug) {
      const signIn = await gql<{ signIn: { token?: string } }>(gatewayUrl, 'mutation($i: SignInInput!) { signIn(input: $i) { ... on AuthPayload { token } } }',
        { i: { email: inviter.email, password: PASSWORD, organizationSlug: inviter.slug } });
      if (signIn.data?.signIn.token) {
        token = signIn.data.signIn.token;
        res = await gql<T>(gatewayUrl, query, variables, token);
      }
    }
    if (res.errors || !res.data) throw new Error(`${what} failed: ${res.raw}`);
    return res.data;
  };
  let roleIds: string[];
  if (typeof role === 'string' || Array.isArray(role)) {
    const names = typeof role === 'string' ? [role] : role;
    const { roles } = await asInviter<{ roles: { id: string; name: string }[] }>(ROLES, {}, 'roles');
    roleIds = names.map((n) => {
      const found = roles.find((r) => r.name === n);
      if (!found) throw new Error(`no role ${n}`);
      return found.id;
    });
  } else {
    const name = role.name ?? `Custom ${randomUUID().slice(0, 8)}`;
    roleIds = [(await asInviter<{ createRole: { id: string } }>(CREATE_ROLE, { i: { name, rules: role.rules } }, 'createRole')).createRole.id];
  }
  const email = opts.email ?? uniqueEmail('member');
  await asInviter(INVITE, { i: { email, roleIds } }, 'inviteMember');
  const mail = await (opts.mail ?? (await mailbox())).waitFor(email);
  const invitation = /Invitation token: (pki_[A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
  if (!invitation) throw new Error(`no invitation token in the mail to ${email}:\n${mail.text}`);
  const accepted = await gql<{ acceptInvitation: { token: string; user: { id: string } } }>(gatewayUrl, ACCEPT,
    { i: { token: invitation, name: opts.name ?? 'Member', password: PASSWORD } }, undefined, opts.headers);
  if (!accepted.data) throw new Error(`acceptInvitation failed: ${accepted.raw}`);
  return { userId: accepted.data.acceptInvitation.user.id, email, token: accepted.data.acceptInvitation.token, roleIds };
}

export { inject };

import { Client } from 'pg';
import { appDatabaseUrl } from '@packets/db';

/** Runs SQL as the administrator (superuser): for set-up and for checking what the app cannot see. */
export async function adminQuery<T extends Record<string, unknown> = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: inject('adminUrl') });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** A connection as the services' role (packets_app), for row-level security checks. */
export async function appClient(): Promise<Client> {
  const client = new Client({ connectionString: appDatabaseUrl(inject('adminUrl'), inject('secrets').appDbPassword) });
  await client.connect();
  return client;
}

/**
 * Runs `n` requests that each insert into `table` while the administrator holds a
 * SHARE lock on it: every one passes its "not there yet" checks and waits at its
 * insert (the positive signal: `n` ungranted locks on the table), then they race on
 * the table's unique constraints. Answers the requests' results in order.
 */
export async function raceAtInsert<T>(table: string, n: number, run: () => Promise<T>): Promise<T[]> {
  const admin = new Client({ connectionString: inject('adminUrl') });
  await admin.connect();
  try {
    await admin.query('begin');
    await admin.query(`lock table ${table} in share mode`);
    const answers = Promise.all(Array.from({ length: n }, run));
    const waiting = await eventually(async () => (await admin.query<{ n: number }>(
      'select count(*)::int as n from pg_locks where relation = $1::regclass and not granted', [table])).rows[0]!.n, (w) => w >= n);
    await admin.query('commit');
    const results = await answers;
    if (waiting !== n) throw new Error(`${waiting} of ${n} requests reached the insert into ${table}`);
    return results;
  } finally {
    await admin.end();
  }
}

