// Sign-up, sign-in, sign-out, and another organisation for a signed-in user.
// Sign-up and sign-in are public entry points by design (no ability yet); both are
// counted by the brute-force guard before any password work, and everything they
// write is in a tenant transaction with its audit event. Sign-up never tells a
// password apart for an email that has an account (see signUpWithExistingEmail).
import { randomBytes, randomUUID } from 'node:crypto';
import bcrypt from 'bcrypt';
import type { EntityManager } from '@mikro-orm/postgresql';
import { uniqueViolation } from '@packets/db';
import { appError, ErrorCode, unauthenticated, validate } from '@packets/graphql';
import { OrganizationEntity } from '../organization/organization.entity';
import { toOrganization } from '../organization/organization.type';
import { UserEntity } from '../user/user.entity';
import { toUser } from '../user/user.type';
import { addMember } from '../membership/membership.service';
import { MembershipEntity } from '../membership/membership.entity';
import { seedSystemRoles } from '../role/role.service';
import { rolesOf } from '../role/role.rules';
import { toRole } from '../role/role.type';
import { createSession } from '../session/session.service';
import { SessionEntity } from '../session/session.entity';
import type { IdentityContext } from '../identity.context';
import type { AuthPayload, MfaChallenge, Viewer } from './auth.types';
import { createChallenge, hasConfirmedFactor } from '../mfa/mfa.service';
import { newPassword } from '../security/password-policy';
import type { Attempt } from '../security/brute-force';
import type { SignInInput, SignUpInput } from './auth.inputs';

const INVALID_CREDENTIALS = 'Invalid email, password or organisation';

let dummyHash: Promise<string> | null = null;
/** Compared against when the account does not exist, so both answers take the same time. */
function dummyPasswordHash(cost: number): Promise<string> {
  dummyHash ??= bcrypt.hash(randomBytes(16).toString('hex'), cost);
  return dummyHash;
}

/** Who is asking: the signed-in user in their current organisation, with their roles; null when anonymous. */
export async function viewer(ctx: IdentityContext): Promise<Viewer | null> {
  // Everyone may ask who they are; anonymous callers (and API keys) get null.
  if (!ctx.isAuthenticated || !ctx.actor.userId) return null;
  const userId = ctx.actor.userId;
  const [user, org, roles] = await Promise.all([
    ctx.loaders.userById.load(userId),
    ctx.loaders.organizationById.load(ctx.orgId),
    ctx.tx((em) => rolesOf(em, ctx.orgId, userId)),
  ]);
  if (!user || !org) throw unauthenticated();
  return { user, organization: org, roles: roles.map(toRole), permissions: ctx.actor.rules };
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

/** Creates the organisation, its system roles and the Owner's membership and session (inside a tenant transaction). */
async function foundOrganization(
  ctx: IdentityContext, em: EntityManager, o: { orgId: string; orgName: string; slug: string; userId: string; now: Date; method?: SessionEntity['method'] },
): Promise<{ org: OrganizationEntity; token: string; session: SessionEntity }> {
  const org = em.create(OrganizationEntity, {
    id: o.orgId, name: o.orgName, slug: o.slug, region: 'IN', sessionIdleTimeoutMinutes: 30, sessionAbsoluteLifetimeMinutes: 720,
    mfaRequired: false, createdAt: o.now,
  });
  await em.flush();
  const roles = seedSystemRoles(em, o.orgId);
  await em.flush();
  await addMember(em, o.orgId, o.userId, [roles.get('Owner')!]);
  await em.flush();
  const { token, session } = createSession(em, org, o.userId, ctx.meta, o.now, { method: o.method });
  return { org, token, session };
}

export const ACCOUNT_EXISTS = 'ACCOUNT_EXISTS';
const accountExists = () => appError(ErrorCode.CONFLICT,
  'An account with this email already exists: sign in, then create the organisation with createOrganization', { reason: ACCOUNT_EXISTS });

/**
 * An existing email: the password is never looked at, the answer is the same
 * whatever was sent (CONFLICT, reason ACCOUNT_EXISTS: sign in, then createOrganization),
 * each of the account's organisations gets the attempt in its audit log, and the
 * address gets a mail saying someone tried.
 */
async function signUpWithExistingEmail(ctx: IdentityContext, userId: string, email: string, reason: 'account_exists' | 'rate_limited'): Promise<void> {
  const orgs = await ctx.em.execute<{ org_id: string }[]>('select org_id from identity.org_ids_of_user(?) limit 20', [userId]);
  for (const { org_id: orgId } of orgs) {
    await ctx.mutate(() => ({ result: null, audit: {
      action: 'auth.sign_up', outcome: 'denied' as const, subjectType: 'User', subjectId: userId, data: { email, reason },
    } }), orgId);
  }
  if (reason !== 'account_exists') return;
  // not awaited: the answer must not wait for the mail server (its timing would tell the email is known)
  void ctx.runtime.mailer.send({
    to: email,
    subject: 'Someone tried to create a Packets account with your email address',
    text: 'Someone tried to sign up to Packets with this email address, which already has an account. '
      + 'Nothing was changed and no password was checked.\n\n'
      + `If it was you: sign in at ${ctx.runtime.publicUrl} and create the new organisation from there.\n`
      + 'If it was not you: you can ignore this mail; if you think someone knows your password, change it.\n',
  }).catch((err: unknown) => console.warn(`sign-up notice to ${email} failed: ${String(err)}`));
}

export async function signUp(ctx: IdentityContext, input: SignUpInput): Promise<AuthPayload> {
  // Public: anyone may create an organisation; they become its Owner. Every input is
  // checked before the email is looked up, and the new password is hashed before it
  // too, so a known and an unknown email answer a bad input alike and take the same time.
  const orgName = validate.text(input.organizationName, 'organizationName', { max: 200 });
  const name = validate.text(input.name, 'name', { max: 200 });
  const email = validate.email(input.email);
  const password = newPassword(input.password);
  const now = ctx.now();

  let attempt: Attempt;
  try {
    attempt = await ctx.runtime.guard.attempt(`signup:${email}`, ctx.meta.ip);
  } catch (err) {
    const known = await credentials(ctx.em, email);
    if (known) await signUpWithExistingEmail(ctx, known.user_id, email, 'rate_limited');
    throw err;
  }
  const passwordHash = await bcrypt.hash(password, ctx.runtime.bcryptCost);
  const existing = await credentials(ctx.em, email);
  if (existing) {
    await attempt.failed();
    await signUpWithExistingEmail(ctx, existing.user_id, email, 'account_exists');
    throw accountExists();
  }

  const orgId = randomUUID();
  const userId = randomUUID();
  let created: Awaited<ReturnType<typeof foundOrganization>> & { user: UserEntity } | undefined;
  // A concurrent sign-up can take the email or the slug between the checks above and
  // this insert: PostgreSQL's unique constraints settle it. Losing the email is the
  // known-email answer; losing the slug is retried with another one.
  for (let tries = 0; !created; tries++) {
    const slug = await freeSlug(ctx.em, orgName);
    try {
      created = await ctx.mutate(async (em) => {
        // organisation and user, then roles, then the membership: inserts follow the foreign keys
        em.create(UserEntity, { id: userId, email, name, passwordHash, createdAt: now });
        const out = await foundOrganization(ctx, em, { orgId, orgName, slug, userId, now });
        const user = await em.findOneOrFail(UserEntity, { id: userId });
        return {
          result: { ...out, user },
          audit: {
            action: 'organization.sign_up', subjectType: 'Organization', subjectId: orgId, actorId: userId,
            data: { organizationName: orgName, slug, email },
          },
        };
      }, orgId);
    } catch (err) {
      const constraint = uniqueViolation(err);
      if (constraint === undefined) throw err;
      const winner = await credentials(ctx.em, email);
      if (winner) {
        await attempt.failed();
        await signUpWithExistingEmail(ctx, winner.user_id, email, 'account_exists');
        throw accountExists();
      }
      if (constraint !== 'organizations_slug_key' || tries >= 3) throw err;
    }
  }
  await attempt.succeeded();
  return { token: created.token, expiresAt: created.session.expiresAt, user: toUser(created.user), organization: toOrganization(created.org) };
}

/** A signed-in user founds another organisation and becomes its Owner; the answer carries a session in it. */
export async function createOrganization(ctx: IdentityContext, input: { name: string }): Promise<AuthPayload> {
  const userId = ctx.actor.userId;
  if (!ctx.isAuthenticated || ctx.actor.kind !== 'user' || !userId) throw unauthenticated();
  if (ctx.actor.restriction) throw appError(ErrorCode.FORBIDDEN, 'Set up MFA first: this session may only enrol');
  const orgName = validate.text(input.name, 'name', { max: 200 });
  const now = ctx.now();
  const orgId = randomUUID();
  const slug = await freeSlug(ctx.em, orgName);
  const created = await ctx.mutate(async (em) => {
    const out = await foundOrganization(ctx, em, { orgId, orgName, slug, userId, now });
    const user = await em.findOneOrFail(UserEntity, { id: userId });
    return {
      result: { ...out, user },
      audit: { action: 'organization.create', subjectType: 'Organization', subjectId: orgId, actorId: userId,
        data: { organizationName: orgName, slug, fromOrganizationId: ctx.orgId } },
    };
  }, orgId);
  return { token: created.token, expiresAt: created.session.expiresAt, user: toUser(created.user), organization: toOrganization(created.org) };
}

export async function signIn(ctx: IdentityContext, input: SignInInput): Promise<AuthPayload | MfaChallenge> {
  // Public. Unknown email, wrong password, unknown org and non-member all answer the
  // same, after the same bcrypt work. The attempt is counted (atomically) before
  // that work, and given back only on success.
  const email = validate.email(input.email);
  const password = validate.text(input.password, 'password', { max: 128 });
  const slug = validate.text(input.organizationSlug, 'organizationSlug', { max: 63 }).toLowerCase();
  const now = ctx.now();
  const guardKey = `acct:${slug}:${email}`;
  const orgRows = await ctx.em.execute<{ id: string | null }[]>('select identity.org_id_by_slug(?) as id', [slug]);
  const orgId = orgRows[0]?.id ?? null;
  let attempt: Attempt;
  try {
    attempt = await ctx.runtime.guard.attempt(guardKey, ctx.meta.ip);
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
    await attempt.failed();
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
    await attempt.failed();
    throw unauthenticated(INVALID_CREDENTIALS);
  }
  await attempt.succeeded();
  return result;
}

export async function signOut(ctx: IdentityContext): Promise<boolean> {
  // Any signed-in user may end their own session.
  const sessionId = ctx.actor.sessionId;
  if (!ctx.isAuthenticated || !sessionId) throw unauthenticated();
  const now = ctx.now();
  return ctx.mutate(async (em) => {
    const session = await em.findOneOrFail(SessionEntity, { id: sessionId });
    session.revokedAt = now;
    return { result: true, audit: { action: 'auth.sign_out', subjectType: 'Session', subjectId: sessionId } };
  });
}
