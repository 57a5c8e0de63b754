// Test helpers that talk to a running graph over HTTP, as a client would.
import { randomUUID } from 'node:crypto';
import { createConnection } from 'node:net';
export interface GqlResponse<T = Record<string, unknown>> {
  status: number;
  data: T | null;
  errors: { message: string; extensions?: { code?: string; [k: string]: unknown }; path?: unknown[] }[] | undefined;
  raw: string;
}

export async function gql<T = Record<string, unknown>>(
  url: string, query: string, variables: Record<string, unknown> = {}, token?: string, headers: Record<string, string> = {},
): Promise<GqlResponse<T>> {
  const res = await fetch(url.endsWith('/graphql') ? url : `${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const raw = await res.text();
  const body = JSON.parse(raw) as { data?: T | null; errors?: GqlResponse['errors'] };
  return { status: res.status, data: body.data ?? null, errors: body.errors, raw };
}

/** The codes of a response's errors, for assertions. */
export function codes(res: GqlResponse): (string | undefined)[] {
  return (res.errors ?? []).map((e) => e.extensions?.code);
}

export const PASSWORD = 'correct horse battery staple';

let counter = 0;
export function uniqueEmail(tag: string): string {
  counter += 1;
  return `${tag}-${process.pid}-${Date.now()}-${counter}@example.test`;
}

export interface SignedUp {
  token: string;
  userId: string;
  orgId: string;
  slug: string;
  email: string;
}

export async function signUp(gatewayUrl: string, organizationName: string, email = uniqueEmail('owner')): Promise<SignedUp> {
  const res = await gql<{ signUp: { token: string; user: { id: string }; organization: { id: string; slug: string } } }>(
    gatewayUrl,
    `mutation($input: SignUpInput!) { signUp(input: $input) { token user { id } organization { id slug } } }`,
    { input: { organizationName, name: 'Test Owner', email, password: PASSWORD } },
  );
  if (!res.data) throw new Error(`signUp failed: ${res.raw}`);
  const s = res.data.signUp;
  return { token: s.token, userId: s.user.id, orgId: s.organization.id, slug: s.organization.slug, email };
}

/** Polls until check passes or the deadline passes (for asynchronous delivery such as the audit relay). */
export async function eventually<T>(fn: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (check(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export type AdminQuery = <T extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;

/**
 * Adds Member users straight into the database, for benchmarks only (many owners,
 * no mail). Tests make members through the real mutations instead: addMember in
 * tools/e2e/src/harness.ts (createRole, inviteMember, acceptInvitation), so a role
 * they hold has passed the same validation as a customer's. `admin` runs SQL as a superuser.
 */
export async function addMembers(admin: AdminQuery, orgId: string, count: number): Promise<string[]> {
  const [memberRole] = await admin<{ id: string }>(`select id from identity.roles where org_id = $1 and name = 'Member'`, [orgId]);
  if (!memberRole) throw new Error('organisation has no Member role');
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    const membershipId = randomUUID();
    await admin(`insert into identity.users (id, email, name, password_hash) values ($1, $2, $3, 'not-a-bcrypt-hash')`,
      [id, `member-${id}@example.test`, `Member ${i}`]);
    await admin(`insert into identity.memberships (id, org_id, user_id) values ($1, $2, $3)`, [membershipId, orgId, id]);
    await admin(`insert into identity.membership_roles (membership_id, role_id, org_id) values ($1, $2, $3)`, [membershipId, memberRole.id, orgId]);
    ids.push(id);
  }
  return ids;
}

/** Whether a TCP server answers at the URL's host and port (Redis's 6379 when none): a contract test's precondition. */
export function reachable(url: string): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: u.hostname, port: Number(u.port || 6379) });
    socket.once('connect', () => { socket.end(); resolve(true); });
    socket.once('error', () => resolve(false));
    socket.setTimeout(500, () => { socket.destroy(); resolve(false); });
  });
}
