// The browser login by SSO (ID-5), driven by the gateway's /auth/sso routes through
// identity's internal endpoints. `start` stores a single-use login state (state as
// SHA-256, nonce, PKCE verifier sealed) and answers the provider's authorization URL;
// `callback` consumes that state, exchanges the code, and signs in the member whose
// verified email is in an allowed domain the org has proved it owns (adding them
// first when JIT is on; a person with an account elsewhere only after they confirm).
// Every outcome that can be tied to an organisation is audited as `auth.sso`.
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import bcrypt from 'bcrypt';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ANONYMOUS, type Actor, type RequestMeta } from '@packets/context';
import { buildEvent, writeAuditEvent, type AuditEntry } from '@packets/audit-log';
import { decrypt, encrypt, sha256Hex } from '@packets/crypto';
import { tenantTx, uniqueViolation } from '@packets/db';
import { runtimeNow, validate } from '@packets/graphql';
import { SsoConnectionEntity, SsoStateEntity } from './sso.entity';
import { authorizationUrl, exchangeCode, IdpError, newLoginSecrets, type IdpSettings, type IdTokenClaims } from './sso.oidc';
import { clientSecretOf, jitRole } from './sso.service';
import { domainVerified } from './sso.domains';
import { createJoinRequest, mailJoinRequest } from './sso.join';
import { ssoRedirectUri } from './sso.type';
import { OrganizationEntity } from '../organization/organization.entity';
import { UserEntity } from '../user/user.entity';
import { MembershipEntity } from '../membership/membership.entity';
import { addMember } from '../membership/membership.service';
import { createSession } from '../session/session.service';
import { createChallenge, hasConfirmedFactor } from '../mfa/mfa.service';
import type { IdentityRuntime } from '../identity.context';

/** What the browser is told (as `?sso_error=`); the audit log keeps the finer reason. */
export type SsoErrorCode =
  | 'invalid_request' | 'sso_unavailable' | 'idp_unavailable' | 'invalid_state' | 'access_denied' | 'login_failed'
  | 'email_not_verified' | 'domain_not_allowed' | 'domain_not_verified' | 'not_a_member' | 'confirmation_required';

export type StartResult = { ok: true; url: string; state: string } | { ok: false; error: SsoErrorCode };
export type CallbackResult =
  | { ok: true; token: string; expiresAt: string; returnTo: string | null }
  | { ok: true; mfaChallenge: string; returnTo: string | null }
  | { ok: false; error: SsoErrorCode };

const STATE_MINUTES = 10;
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// a path on our own origin: one leading slash (not "//", not "/\"), no fragment, no spaces or controls
const RETURN_TO = /^\/(?![/\\])[^\s#\\\p{Cc}]{0,499}$/u;

const verifierAad = (orgId: string, stateId: string) => `sso-verifier:${orgId}:${stateId}`;

export function cleanReturnTo(value: string | null | undefined): string | null | undefined {
  if (value === null || value === undefined || value === '') return null;
  return RETURN_TO.test(value) ? value : undefined;
}

async function audited(runtime: IdentityRuntime, em: EntityManager, orgId: string, meta: RequestMeta,
  entry: AuditEntry, sessionId: string | null = null): Promise<void> {
  const actor: Actor = { ...ANONYMOUS, orgId, userId: entry.actorId ?? null, sessionId };
  await writeAuditEvent(em, runtime.name, buildEvent(runtime.name, actor, meta, { orgId, ...entry }));
}

/** A refusal that names an org: recorded in its own transaction (nothing else is written). */
async function refuse(runtime: IdentityRuntime, orgId: string, meta: RequestMeta, error: SsoErrorCode,
  data: Record<string, unknown>): Promise<{ ok: false; error: SsoErrorCode }> {
  await tenantTx(runtime.orm.em.fork(), orgId, (em) => audited(runtime, em, orgId, meta, {
    action: 'auth.sso', outcome: 'failure', subjectType: 'SsoConnection', subjectId: orgId, data: { error, ...data },
  }));
  runtime.relay?.kick();
  return { ok: false, error };
}

function settings(runtime: IdentityRuntime, c: SsoConnectionEntity, clientSecret: string): IdpSettings {
  return {
    issuer: c.issuer, clientId: c.clientId, clientSecret,
    allowInsecure: runtime.ssoAllowInsecureIssuers ?? false, allowPrivate: runtime.ssoAllowPrivateIssuers ?? false,
  };
}

export async function startSsoLogin(runtime: IdentityRuntime, input: {
  orgSlug: string; returnTo: string | null; meta: RequestMeta;
}): Promise<StartResult> {
  const slug = input.orgSlug.toLowerCase();
  const returnTo = cleanReturnTo(input.returnTo);
  if (returnTo === undefined) return { ok: false, error: 'invalid_request' };
  // an unknown org and an org without SSO answer alike
  if (!SLUG.test(slug)) return { ok: false, error: 'sso_unavailable' };
  const em = runtime.orm.em.fork();
  const rows = await em.execute<{ id: string | null }[]>('select identity.org_id_by_slug(?) as id', [slug]);
  const orgId = rows[0]?.id;
  if (!orgId) return { ok: false, error: 'sso_unavailable' };
  const found = await tenantTx(em, orgId, async (tem) => {
    const c = await tem.findOne(SsoConnectionEntity, { orgId });
    return c ? { c, secret: await clientSecretOf(runtime, tem, c) } : null;
  });
  if (!found) return { ok: false, error: 'sso_unavailable' };

  const secrets = await newLoginSecrets();
  let url: string;
  try {
    // outside any transaction: this is a network call to the provider
    url = await authorizationUrl(settings(runtime, found.c, found.secret), ssoRedirectUri(runtime.publicUrl), secrets);
  } catch (err) {
    if (!(err instanceof IdpError)) throw err;
    return refuse(runtime, orgId, input.meta, 'idp_unavailable', { stage: 'start', issuer: found.c.issuer });
  }
  const now = runtimeNow(runtime);
  await tenantTx(em, orgId, async (tem) => {
    // finished and abandoned logins are of no further use
    await tem.nativeDelete(SsoStateEntity, { orgId, expiresAt: { $lt: now } });
    const id = randomUUID();
    const key = await runtime.keyring.dataKey(tem, orgId);
    tem.create(SsoStateEntity, {
      id, orgId, stateHash: sha256Hex(secrets.state), nonce: secrets.nonce,
      codeVerifierEnc: encrypt(key, secrets.codeVerifier, verifierAad(orgId, id)),
      createdAt: now, expiresAt: new Date(now.getTime() + STATE_MINUTES * 60_000), usedAt: null, returnTo,
    });
    await tem.flush();
  });
  return { ok: true, url, state: secrets.state };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(sha256Hex(a), 'hex');
  const y = Buffer.from(sha256Hex(b), 'hex');
  return timingSafeEqual(x, y);
}

/**
 * A string the provider sent, as far as it may be stored: the provider is the org's
 * choice and what it says is input like any other. Null when it is not a string or
 * holds U+0000 or an unpaired surrogate (PostgreSQL cannot store them); cut to `max` UTF-16 units.
 */
function providerText(value: unknown, max: number): string | null {
  if (typeof value !== 'string' || !validate.isWellFormed(value)) return null;
  const cut = value.slice(0, max);
  return /[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut; // never half a surrogate pair
}

/** A verified email address from the ID token, or why there is none. */
function verifiedEmail(claims: IdTokenClaims, issuer: string): { email: string } | { reason: 'email_not_verified' | 'invalid_email' } {
  const raw = claims.email;
  if (typeof raw !== 'string') return { reason: 'email_not_verified' };
  // Microsoft Entra ID sends no email_verified; its optional claim xms_edov says the domain owner verified it
  const entraVerified = new URL(issuer).hostname === 'login.microsoftonline.com' && claims.xms_edov === true;
  if (claims.email_verified !== true && claims.email_verified !== 'true' && !entraVerified) return { reason: 'email_not_verified' };
  try {
    return { email: validate.email(raw) };
  } catch {
    return { reason: 'invalid_email' };
  }
}

async function requestConfirmation(runtime: IdentityRuntime, orgId: string, c: SsoConnectionEntity, userId: string, email: string,
  meta: RequestMeta, subject: { issuer: string; idpSubject: string }, now: Date): Promise<{ ok: false; error: SsoErrorCode }> {
  const error: SsoErrorCode = 'confirmation_required';
  const { token, request, orgName } = await tenantTx(runtime.orm.em.fork(), orgId, async (tem) => {
    const role = await jitRole(tem, orgId, c.defaultRoleId);
    if (!role) throw new Error(`sso: organisation ${orgId} has no role for just-in-time members`);
    const org = await tem.findOneOrFail(OrganizationEntity, { id: orgId });
    const made = await createJoinRequest(tem, orgId, userId, email, role, now);
    await audited(runtime, tem, orgId, meta, {
      action: 'auth.sso', outcome: 'failure', subjectType: 'User', subjectId: userId,
      data: { error, ...subject, email, joinRequestId: made.request.id, role: role.name },
    });
    return { ...made, orgName: org.name };
  });
  runtime.relay?.kick();
  await mailJoinRequest(runtime, email, orgName, token, request.expiresAt);
  return { ok: false, error };
}

export async function finishSsoLogin(runtime: IdentityRuntime, input: {
  query: string; browserState: string | null; meta: RequestMeta;
}): Promise<CallbackResult> {
  const { meta } = input;
  const state = new URLSearchParams(input.query).get('state');
  if (!state || state.length > 200) return { ok: false, error: 'invalid_state' };
  const hash = sha256Hex(state);
  const em = runtime.orm.em.fork();
  const found = await em.execute<{ state_id: string; org_id: string }[]>('select state_id, org_id from identity.sso_state_by_hash(?)', [hash]);
  const orgId = found[0]?.org_id;
  // a state we never issued names no organisation: there is no org's log to write to
  if (!orgId) return { ok: false, error: 'invalid_state' };
  const now = runtimeNow(runtime);

  // Consume the state first, whatever happens next: it is single use, and a state
  // presented by another browser (login CSRF) is burnt rather than left for later.
  const consumed = await tenantTx(em, orgId, async (tem) => {
    const row = await tem.findOne(SsoStateEntity, { stateHash: hash });
    if (!row) return { reason: 'unknown_state' as const };
    const claimed = await tem.nativeUpdate(SsoStateEntity, { id: row.id, usedAt: null }, { usedAt: now });
    if (claimed !== 1) return { reason: 'state_replayed' as const };
    if (row.expiresAt <= now) return { reason: 'state_expired' as const };
    // the gateway's state cookie: the browser that finishes the login is the one that started it
    if (!input.browserState || !sameSecret(input.browserState, state)) return { reason: 'browser_mismatch' as const };
    const c = await tem.findOne(SsoConnectionEntity, { orgId });
    if (!c) return { reason: 'sso_removed' as const };
    const key = await runtime.keyring.dataKey(tem, orgId);
    return {
      c, secret: await clientSecretOf(runtime, tem, c), nonce: row.nonce, returnTo: row.returnTo,
      codeVerifier: decrypt(key, row.codeVerifierEnc, verifierAad(orgId, row.id)).toString('utf8'),
    };
  });
  if ('reason' in consumed) {
    return refuse(runtime, orgId, meta, consumed.reason === 'sso_removed' ? 'sso_unavailable' : 'invalid_state', { reason: consumed.reason });
  }
  const { c, returnTo } = consumed;

  let claims: IdTokenClaims;
  try {
    claims = await exchangeCode(settings(runtime, c, consumed.secret), ssoRedirectUri(runtime.publicUrl), input.query,
      { state, nonce: consumed.nonce, codeVerifier: consumed.codeVerifier });
  } catch (err) {
    if (!(err instanceof IdpError)) throw err;
    return refuse(runtime, orgId, meta, err.reason, { issuer: c.issuer, idpError: providerText(err.idpError, 200) });
  }
  // the subject is stored in the audit log: one PostgreSQL cannot hold (see providerText) ends the login
  if (providerText(claims.sub, 255) !== claims.sub) return refuse(runtime, orgId, meta, 'login_failed', { issuer: c.issuer, reason: 'invalid_subject' });
  const subject = { issuer: c.issuer, idpSubject: claims.sub };
  const verified = verifiedEmail(claims, c.issuer);
  if ('reason' in verified) {
    return refuse(runtime, orgId, meta, verified.reason === 'invalid_email' ? 'login_failed' : 'email_not_verified',
      { ...subject, reason: verified.reason, email: providerText(claims.email, 254) });
  }
  const { email } = verified;
  const domain = email.slice(email.lastIndexOf('@') + 1);
  if (!c.allowedDomains.includes(domain)) return refuse(runtime, orgId, meta, 'domain_not_allowed', { ...subject, email });
  // the org must have proved it owns the domain (DNS TXT) before SSO matches anyone on it
  if (!(await tenantTx(em, orgId, (tem) => domainVerified(tem, orgId, domain)))) {
    return refuse(runtime, orgId, meta, 'domain_not_verified', { ...subject, email });
  }

  // Two first logins of one newcomer at the same moment both find no account and both
  // create it: the users' unique email settles it, and the loser matches again, finding
  // the account and the membership the winner made (it signs in as that member).
  const matchAndSignIn = async (): Promise<CallbackResult> => {
    // people are matched by verified email; an account of another org is the same person
    const existing = (await em.execute<{ user_id: string }[]>('select user_id from identity.credentials_by_email(?)', [email]))[0];
    const member = existing
      ? await tenantTx(em, orgId, (tem) => tem.findOne(MembershipEntity, { orgId, userId: existing.user_id }))
      : null;
    if (!member && !c.jitEnabled) return refuse(runtime, orgId, meta, 'not_a_member', { ...subject, email });
    // JIT never adopts someone who already has an account: they confirm it themselves
    if (!member && existing) return requestConfirmation(runtime, orgId, c, existing.user_id, email, meta, subject, now);
    // a new account signs in by SSO only: its password is random and never told to anyone
    const passwordHash = existing ? null : await bcrypt.hash(randomBytes(32).toString('base64url'), runtime.bcryptCost);

    return tenantTx(em, orgId, async (tem): Promise<CallbackResult> => {
      const org = await tem.findOneOrFail(OrganizationEntity, { id: orgId });
      const userId = existing?.user_id ?? randomUUID();
      let jit = false;
      if (!member) {
        const role = await jitRole(tem, orgId, c.defaultRoleId);
        if (!role) throw new Error(`sso: organisation ${orgId} has no role for just-in-time members`);
        if (passwordHash) {
          const name = providerText(claims.name, 200)?.trim() || email.slice(0, email.indexOf('@'));
          tem.create(UserEntity, { id: userId, email, name, passwordHash, createdAt: now });
          await tem.flush();
        }
        await addMember(tem, orgId, userId, [role]);
        await tem.flush();
        jit = true;
        await audited(runtime, tem, orgId, meta, {
          action: 'member.join', subjectType: 'Membership', subjectId: userId, actorId: userId,
          data: { via: 'sso', email, newAccount: !existing, roles: [role.name] },
        });
      }
      // SSO is a first factor like a password: a local TOTP factor is still asked for,
      // and an org that requires MFA still makes a member without it enrol first
      if (await hasConfirmedFactor(tem, orgId, userId)) {
        const challenge = createChallenge(tem, orgId, userId, now);
        await tem.flush();
        await audited(runtime, tem, orgId, meta, {
          action: 'auth.sso', subjectType: 'User', subjectId: userId, actorId: userId, data: { ...subject, email, jit, next: 'mfa' },
        });
        return { ok: true, mfaChallenge: challenge.challengeToken, returnTo };
      }
      const { token, session } = createSession(tem, org, userId, meta, now, { method: 'sso', mfaEnrollmentRequired: org.mfaRequired });
      await tem.flush();
      await audited(runtime, tem, orgId, meta, {
        action: 'auth.sso', subjectType: 'Session', subjectId: session.id, actorId: userId,
        data: { ...subject, email, jit, mfaEnrollmentRequired: org.mfaRequired },
      }, session.id);
      return { ok: true, token, expiresAt: session.expiresAt.toISOString(), returnTo };
    });
  };
  let result: CallbackResult;
  try {
    result = await matchAndSignIn();
  } catch (err) {
    if (uniqueViolation(err) === undefined) throw err;
    result = await matchAndSignIn();
  }
  runtime.relay?.kick();
  return result;
}
