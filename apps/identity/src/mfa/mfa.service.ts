// TOTP multi-factor authentication (ID-4). The secret is sealed with AES-256-GCM
// under the org's data key; recovery codes are stored as SHA-256; a code is
// accepted once (its step must be later than the last accepted one).
import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { decrypt, encrypt, randomToken, sha256Hex } from '@packets/crypto';
import { tenantTx } from '@packets/db';
import { appError, badInput, ErrorCode, unauthenticated } from '@packets/graphql';
import { MfaChallengeEntity, MfaFactorEntity, RecoveryCodeEntity } from './mfa.entity';
import { matchTotp, newTotpSecret, otpauthUrl } from './totp';
import type { RecoveryCodes, TotpEnrollment } from './mfa.type';
import { OrganizationEntity } from '../organization/organization.entity';
import { toOrganization } from '../organization/organization.type';
import { UserEntity } from '../user/user.entity';
import { toUser } from '../user/user.type';
import { SessionEntity } from '../session/session.entity';
import { createSession } from '../session/session.service';
import type { IdentityContext, IdentityRuntime } from '../identity.context';
import type { AuthPayload } from '../auth/auth.types';

export const CHALLENGE_PREFIX = 'pkm_';
const CHALLENGE_MINUTES = 5;
const RECOVERY_CODES = 10;

const secretAad = (orgId: string, userId: string) => `totp:${orgId}:${userId}`;

/** A signed-in member (including one whose session may only enrol). */
function member(ctx: IdentityContext): { orgId: string; userId: string } {
  if (ctx.actor.kind !== 'user' || !ctx.actor.orgId || !ctx.actor.userId) throw unauthenticated();
  return { orgId: ctx.actor.orgId, userId: ctx.actor.userId };
}

export async function enrollTotp(ctx: IdentityContext): Promise<TotpEnrollment> {
  // Any member may protect their own account.
  const { orgId, userId } = member(ctx);
  const secret = newTotpSecret();
  const now = ctx.now();
  return ctx.mutate(async (em) => {
    const existing = await em.findOne(MfaFactorEntity, { orgId, userId });
    if (existing?.confirmedAt) throw appError(ErrorCode.CONFLICT, 'MFA is already on for this account');
    const key = await ctx.runtime.keyring.dataKey(em, orgId);
    const sealed = encrypt(key, secret, secretAad(orgId, userId));
    if (existing) Object.assign(existing, { secretEnc: sealed, createdAt: now });
    else em.create(MfaFactorEntity, { orgId, userId, secretEnc: sealed, createdAt: now, confirmedAt: null, lastUsedStep: '0' });
    const user = await em.findOneOrFail(UserEntity, { id: userId });
    const org = await em.findOneOrFail(OrganizationEntity, { id: orgId });
    return { result: { secret, otpauthUrl: otpauthUrl(secret, user.email, org.name) }, audit: { action: 'mfa.enroll.start', subjectType: 'User', subjectId: userId } };
  }, orgId);
}

async function newRecoveryCodes(em: EntityManager, orgId: string, userId: string): Promise<string[]> {
  await em.nativeDelete(RecoveryCodeEntity, { orgId, userId });
  const codes = Array.from({ length: RECOVERY_CODES }, () => {
    const raw = randomBytes(10).toString('hex'); // 80 bits
    return `${raw.slice(0, 5)}-${raw.slice(5, 10)}-${raw.slice(10, 15)}-${raw.slice(15)}`;
  });
  for (const code of codes) {
    em.create(RecoveryCodeEntity, { id: randomUUID(), orgId, userId, codeHash: sha256Hex(code.replace(/-/g, '')), usedAt: null });
  }
  return codes;
}

/** Checks a TOTP code against the factor and consumes its step; false when wrong or replayed. */
async function consumeTotp(runtime: IdentityRuntime, em: EntityManager, factor: MfaFactorEntity, code: string, now: Date): Promise<boolean> {
  const key = await runtime.keyring.dataKey(em, factor.orgId);
  const secret = decrypt(key, factor.secretEnc, secretAad(factor.orgId, factor.userId)).toString();
  const step = matchTotp(secret, code, now);
  if (step === null || step <= Number(factor.lastUsedStep)) return false;
  // conditional update: two concurrent uses of one code cannot both succeed
  const updated = await em.nativeUpdate(MfaFactorEntity,
    { orgId: factor.orgId, userId: factor.userId, lastUsedStep: { $lt: String(step) } }, { lastUsedStep: String(step) });
  return updated === 1;
}

export async function confirmTotp(ctx: IdentityContext, code: string): Promise<RecoveryCodes> {
  const { orgId, userId } = member(ctx);
  if (!/^\d{6}$/.test(code.trim())) throw badInput('code must be the 6 digits your authenticator app shows', 'code');
  const now = ctx.now();
  const result = await ctx.mutate(async (em) => {
    const factor = await em.findOne(MfaFactorEntity, { orgId, userId });
    if (!factor) throw badInput('Start with enrollTotp', 'code');
    if (factor.confirmedAt) throw appError(ErrorCode.CONFLICT, 'MFA is already on for this account');
    if (!(await consumeTotp(ctx.runtime, em, factor, code.trim(), now))) {
      return { result: null, audit: { action: 'mfa.enroll.confirm', subjectType: 'User', subjectId: userId, outcome: 'failure' as const } };
    }
    factor.confirmedAt = now; // its step was consumed by consumeTotp: the confirming code cannot sign in
    const codes = await newRecoveryCodes(em, orgId, userId);
    // a session that could only enrol becomes a full one
    // and, having just proved the factor, it counts as a session that used MFA
    if (ctx.actor.sessionId) await em.nativeUpdate(SessionEntity, { id: ctx.actor.sessionId }, { mfaEnrollmentRequired: false, mfaVerified: true });
    return { result: codes, audit: { action: 'mfa.enroll.confirm', subjectType: 'User', subjectId: userId } };
  }, orgId);
  if (!result) throw badInput('The code is not valid: check the time on your device and try the next code', 'code');
  return { codes: result };
}

export async function hasConfirmedFactor(em: EntityManager, orgId: string, userId: string): Promise<boolean> {
  return (await em.count(MfaFactorEntity, { orgId, userId, confirmedAt: { $ne: null } })) > 0;
}

/** Inside signIn's transaction: the first factor passed, issue the challenge for the second. */
export function createChallenge(em: EntityManager, orgId: string, userId: string, now: Date): { challengeToken: string; expiresAt: Date } {
  const challengeToken = randomToken(CHALLENGE_PREFIX);
  const expiresAt = new Date(now.getTime() + CHALLENGE_MINUTES * 60_000);
  em.create(MfaChallengeEntity, { id: randomUUID(), orgId, userId, tokenHash: sha256Hex(challengeToken), createdAt: now, expiresAt, usedAt: null });
  return { challengeToken, expiresAt };
}

export async function completeMfaSignIn(
  ctx: IdentityContext, input: { challengeToken: string; code?: string | null; recoveryCode?: string | null },
): Promise<AuthPayload> {
  // Public: the challenge token from signIn plus the second factor.
  const invalid = () => unauthenticated('The sign-in challenge is invalid or expired, or the code is wrong');
  const code = input.code?.trim() ?? null;
  const recovery = input.recoveryCode?.replace(/[\s-]/g, '').toLowerCase() ?? null;
  if ((code === null) === (recovery === null)) throw badInput('Give either code or recoveryCode');
  if (code !== null && !/^\d{6}$/.test(code)) throw badInput('code must be 6 digits', 'code');
  if (recovery !== null && !/^[0-9a-f]{20}$/.test(recovery)) throw badInput('recoveryCode is not in the expected format', 'recoveryCode');
  const token = input.challengeToken.trim();
  if (!token.startsWith(CHALLENGE_PREFIX) || token.length > 200) throw invalid();
  const hash = sha256Hex(token);
  const found = await ctx.em.execute<{ challenge_id: string; org_id: string }[]>('select challenge_id, org_id from identity.mfa_challenge_by_token(?)', [hash]);
  const orgId = found[0]?.org_id;
  if (!orgId) throw invalid();
  const now = ctx.now();
  const challenge = await tenantTx(ctx.em, orgId, (em) => em.findOne(MfaChallengeEntity, { tokenHash: hash }));
  if (!challenge || challenge.usedAt || challenge.expiresAt <= now) throw invalid();
  const guardKey = `mfa:${orgId}:${challenge.userId}`;
  // counted before the code is checked (atomically), given back only on success: concurrent guesses cannot all be evaluated
  const attempt = await ctx.runtime.guard.attempt(guardKey, ctx.meta.ip);
  let sessionToken = '';
  const result = await ctx.mutate(async (em) => {
    const factor = await em.findOne(MfaFactorEntity, { orgId, userId: challenge.userId, confirmedAt: { $ne: null } });
    let ok = false;
    if (factor && code !== null) ok = await consumeTotp(ctx.runtime, em, factor, code, now);
    if (factor && recovery !== null) {
      ok = (await em.nativeUpdate(RecoveryCodeEntity, { orgId, userId: challenge.userId, codeHash: sha256Hex(recovery), usedAt: null }, { usedAt: now })) === 1;
    }
    const method = recovery !== null ? 'recovery code' : 'totp';
    if (!ok) {
      return { result: null, audit: { action: 'auth.mfa', subjectType: 'User', subjectId: challenge.userId, actorId: challenge.userId, outcome: 'failure' as const, data: { method } } };
    }
    const used = await em.nativeUpdate(MfaChallengeEntity, { id: challenge.id, usedAt: null }, { usedAt: now });
    if (used !== 1) throw invalid();
    const org = await em.findOneOrFail(OrganizationEntity, { id: orgId });
    const user = await em.findOneOrFail(UserEntity, { id: challenge.userId });
    const { token: t, session } = createSession(em, org, user.id, ctx.meta, now, { method: 'mfa' });
    sessionToken = t;
    return {
      result: { expiresAt: session.expiresAt, user: toUser(user), organization: toOrganization(org) },
      audit: { action: 'auth.mfa', subjectType: 'Session', subjectId: session.id, actorId: user.id, data: { method } },
    };
  }, orgId);
  if (!result) {
    await attempt.failed();
    throw invalid();
  }
  await attempt.succeeded();
  return { token: sessionToken, ...result };
}
