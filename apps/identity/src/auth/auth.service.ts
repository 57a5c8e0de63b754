// Sign-up, sign-in and sign-out. Public entry points by design (no ability yet);
// everything they write is in a tenant transaction with its audit event.
import { randomBytes, randomUUID } from 'node:crypto';
import bcrypt from 'bcrypt';
import type { EntityManager } from '@mikro-orm/postgresql';
import { appError, ErrorCode, unauthenticated, validate } from '@packets/graphql';
import { OrganizationEntity } from '../organization/organization.entity';
import { toOrganization } from '../organization/organization.type';
import { UserEntity } from '../user/user.entity';
import { toUser } from '../user/user.type';
import { addMember, seedSystemRoles } from '../membership/membership.service';
import { MembershipEntity } from '../membership/membership.entity';
import { createSession } from '../session/session.service';
import { SessionEntity } from '../session/session.entity';
import { clock, type IdentityContext } from '../identity.context';
import type { AuthPayload, MfaChallenge } from './auth.types';
import { createChallenge, hasConfirmedFactor } from '../mfa/mfa.service';
import { newPassword } from '../security/password-policy';
import type { SignInInput, SignUpInput } from './auth.inputs';

const INVALID_CREDENTIALS = 'Invalid email, password or organisation';

let dummyHash: Promise<string> | null = null;
/** Compared against when the account does not exist, so both answers take the same time. */
function dummyPasswordHash(cost: number): Promise<string> {
  dummyHash ??= bcrypt.hash(randomBytes(16).toString('hex'), cost);
  return dummyHash;
}

export function slugify(name: string): string {
  const base = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  return base.length >= 2 ? base : `org-${base}`.replace(/-+$/, '');
}

async function credentials(em: EntityManager, email: string): Promise<{ user_id: string; password_hash: string } | undefined> {
  const rows = await em.execute<{ user_id: string; password_hash: string }[]>(
    'select user_id, password_hash from identity.credentials_by_email(?)', [email],
  );
  return rows[0];
}

async function freeSlug(em: EntityManager, name: string): Promise<string> {
  const base = slugify(name);
  for (let i = 0; i < 8; i++) {
    const slug = i === 0 ? base : `${base}-${randomBytes(3).toString('hex')}`;
    const rows = await em.execute<{ id: string | null }[]>('select identity.org_id_by_slug(?) as id', [slug]);
    if (!rows[0]?.id) return slug;
  }
  throw appError(ErrorCode.CONFLICT, 'Could not find a free slug for this organisation name');
}

export async function signUp(ctx: IdentityContext, input: SignUpInput): Promise<AuthPayload> {
  // Public: anyone may create an organisation; they become its Owner.
  const orgName = validate.text(input.organizationName, 'organizationName', { max: 200 });
  const name = validate.text(input.name, 'name', { max: 200 });
  const email = validate.email(input.email);
  const password = input.password;
  const now = clock(ctx);

  const existing = await credentials(ctx.em, email);
  // a new account needs a new password that passes the policy; an existing one proves it is theirs
  const passwordHash = existing
    ? await bcrypt.compare(validate.text(password, 'password', { max: 128 }), existing.password_hash).then((ok) => (ok ? existing.password_hash : null))
    : await bcrypt.hash(newPassword(password), ctx.runtime.bcryptCost);
  // An existing account may found another organisation, but only with its own password.
  if (!passwordHash) throw unauthenticated('Invalid credentials');

  const orgId = randomUUID();
  const slug = await freeSlug(ctx.em, orgName);
  let token = '';
  let session: SessionEntity | undefined;
  const { org, user } = await ctx.mutate(async (em) => {
    const org = em.create(OrganizationEntity, {
      id: orgId, name: orgName, slug, region: 'IN', sessionIdleTimeoutMinutes: 30, sessionAbsoluteLifetimeMinutes: 720,
      mfaRequired: false, createdAt: now,
    });
    // organisation and user, then roles, then the membership: inserts follow the foreign keys
    const userId = existing?.user_id ?? randomUUID();
    if (!existing) em.create(UserEntity, { id: userId, email, name, passwordHash, createdAt: now });
    await em.flush();
    const roles = seedSystemRoles(em, orgId);
    await em.flush();
    await addMember(em, orgId, userId, [roles.get('Owner')!]);
    await em.flush();
    const user = await em.findOneOrFail(UserEntity, { id: userId });
    const created = createSession(em, org, userId, ctx.meta, now);
    token = created.token;
    session = created.session;
    return {
      result: { org, user },
      audit: {
        action: 'organization.sign_up', subjectType: 'Organization', subjectId: orgId, actorId: userId,
        data: { organizationName: orgName, slug, email, existingAccount: Boolean(existing) },
      },
    };
  }, orgId);
  return { token, expiresAt: session!.expiresAt, user: toUser(user), organization: toOrganization(org) };
}

export async function signIn(ctx: IdentityContext, input: SignInInput): Promise<AuthPayload | MfaChallenge> {
  // Public. Unknown email, wrong password, unknown org and non-member all answer the
  // same, after the same bcrypt work; failures count towards the brute-force limits.
  const email = validate.email(input.email);
  const password = validate.text(input.password, 'password', { max: 128 });
  const slug = validate.text(input.organizationSlug, 'organizationSlug', { max: 63 }).toLowerCase();
  const now = clock(ctx);
  const guardKey = `acct:${slug}:${email}`;
  const orgRows = await ctx.em.execute<{ id: string | null }[]>('select identity.org_id_by_slug(?) as id', [slug]);
  const orgId = orgRows[0]?.id ?? null;
  try {
    await ctx.runtime.guard.check(guardKey, ctx.meta.ip);
  } catch (err) {
    if (orgId) {
      await ctx.mutate(() => ({ result: null, audit: {
        action: 'auth.sign_in', outcome: 'denied' as const, subjectType: 'User', data: { email, reason: 'rate_limited' },
      } }), orgId);
    }
    throw err;
  }

  const found = await credentials(ctx.em, email);
  const ok = await bcrypt.compare(password, found?.password_hash ?? await dummyPasswordHash(ctx.runtime.bcryptCost));
  if (!orgId) {
    await ctx.runtime.guard.fail(guardKey, ctx.meta.ip);
    throw unauthenticated(INVALID_CREDENTIALS);
  }

  const result = await ctx.mutate<AuthPayload | MfaChallenge | null>(async (em) => {
    const member = found && ok ? await em.findOne(MembershipEntity, { orgId, userId: found.user_id }) : null;
    if (!member) {
      return { result: null, audit: {
        action: 'auth.sign_in', outcome: 'failure' as const, subjectType: 'User', subjectId: found?.user_id,
        data: { email, reason: 'invalid_credentials' },
      } };
    }
    const org = await em.findOneOrFail(OrganizationEntity, { id: orgId });
    const user = await em.findOneOrFail(UserEntity, { id: member.userId });
    if (await hasConfirmedFactor(em, orgId, user.id)) {
      const challenge = createChallenge(em, orgId, user.id, now);
      return { result: challenge, audit: { action: 'auth.sign_in', subjectType: 'User', subjectId: user.id, actorId: user.id, data: { step: 'password', next: 'mfa' } } };
    }
    // an org that requires MFA: a member without it gets a session that can only enrol
    const { token, session } = createSession(em, org, user.id, ctx.meta, now, { mfaEnrollmentRequired: org.mfaRequired });
    return {
      result: { token, expiresAt: session.expiresAt, user: toUser(user), organization: toOrganization(org) },
      audit: { action: 'auth.sign_in', subjectType: 'Session', subjectId: session.id, actorId: user.id, data: { mfaEnrollmentRequired: org.mfaRequired } },
    };
  }, orgId);
  if (!result) {
    await ctx.runtime.guard.fail(guardKey, ctx.meta.ip);
    throw unauthenticated(INVALID_CREDENTIALS);
  }
  await ctx.runtime.guard.succeed(guardKey);
  return result;
}

export async function signOut(ctx: IdentityContext): Promise<boolean> {
  // Any signed-in user may end their own session.
  const sessionId = ctx.actor.sessionId;
  if (!ctx.isAuthenticated || !sessionId) throw unauthenticated();
  const now = clock(ctx);
  return ctx.mutate(async (em) => {
    const session = await em.findOneOrFail(SessionEntity, { id: sessionId });
    session.revokedAt = now;
    return { result: true, audit: { action: 'auth.sign_out', subjectType: 'Session', subjectId: sessionId } };
  });
}
