// The organisation's SSO connection (ID-5): one OpenID Connect issuer per org, its
// client secret sealed under the org's data key, the email domains allowed in, and
// just-in-time membership (off unless turned on, with a role the configurer could grant).
// Whoever configures SSO decides who signs in as whom, so they need every permission
// of every member it could sign in as (assertMayConfigureSso; in practice the Owner).
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { decrypt, encrypt } from '@packets/crypto';
import { appError, badInput, ErrorCode, validate } from '@packets/graphql';
import { firstEscalation, type SystemRoleName } from '@packets/authz';
import type { AuditEntry } from '@packets/audit-log';
import { isPublicAddress } from '@packets/net';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SsoConnectionEntity, SsoJoinRequestEntity, SsoStateEntity } from './sso.entity';
import { SsoPreset, type SsoConnectionInput } from './sso.inputs';
import { toSsoConnection, type SsoConnection } from './sso.type';
import { RoleEntity } from '../role/role.entity';
import { effectiveRules } from '../role/role.rules';
import { auditedRefusal } from '../security/denied';
import type { IdentityContext, IdentityRuntime } from '../identity.context';

export const GOOGLE_ISSUER = 'https://accounts.google.com';
export const microsoftIssuer = (tenant: string): string => `https://login.microsoftonline.com/${tenant}/v2.0`;
const MICROSOFT_DEFAULT_TENANT = 'organizations';
const MAX_DOMAINS = 50;

/** Mailbox providers anyone can sign up with: never a door into an org by just-in-time membership. */
const PUBLIC_MAIL_DOMAINS = new Set([
  'gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'yahoo.com', 'icloud.com',
  'me.com', 'aol.com', 'proton.me', 'protonmail.com', 'gmx.com', 'mail.com', 'yandex.com', 'zoho.com',
]);

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const TENANT = /^[a-z0-9][a-z0-9.-]{0,99}$/i;

export const secretAad = (orgId: string): string => `sso-secret:${orgId}`;

/** An issuer URL: https (http only when the deployment allows it, for tests), no credentials, query or fragment. */
export function cleanIssuer(value: string, allowInsecure: boolean): string {
  const raw = validate.text(value, 'issuer', { max: 500 });
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badInput('issuer must be a URL such as https://idp.example.com', 'issuer');
  }
  const schemeOk = url.protocol === 'https:' || (allowInsecure && url.protocol === 'http:');
  if (!schemeOk) throw badInput('issuer must be an https:// URL', 'issuer');
  if (url.username || url.password || url.search || url.hash) throw badInput('issuer must not carry credentials, a query or a fragment', 'issuer');
  return raw.replace(/\/+$/, '');
}

/** One domain name, lower-cased, without a leading "@". */
export function cleanDomain(value: string, field: string): string {
  const d = validate.text(value, field, { max: 300 }).toLowerCase().replace(/^@/, '');
  if (!DOMAIN.test(d)) throw badInput(`"${d.slice(0, 100)}" is not a domain name`, field);
  return d;
}

export function cleanDomains(values: string[], jitEnabled: boolean): string[] {
  const domains = [...new Set(values.map((d) => d.trim().toLowerCase().replace(/^@/, '')))];
  if (domains.length === 0 || domains.every((d) => d === '')) throw badInput('allowedDomains needs at least one domain', 'allowedDomains');
  if (domains.length > MAX_DOMAINS) throw badInput(`allowedDomains takes at most ${MAX_DOMAINS} domains`, 'allowedDomains');
  for (const d of domains) {
    if (!DOMAIN.test(d)) throw badInput(`"${d.slice(0, 100)}" is not a domain name`, 'allowedDomains');
    if (jitEnabled && PUBLIC_MAIL_DOMAINS.has(d)) {
      throw badInput(`${d} is a public mail provider: anyone could join by just-in-time membership`, 'allowedDomains');
    }
  }
  return domains.sort();
}

function issuerOf(input: SsoConnectionInput, allowInsecure: boolean): string {
  const custom = input.issuer?.trim() ? input.issuer : null;
  if ((input.preset ? 1 : 0) + (custom ? 1 : 0) !== 1) throw badInput('Give either preset or issuer', 'issuer');
  if (input.preset !== SsoPreset.MICROSOFT && input.microsoftTenant) throw badInput('microsoftTenant applies to the MICROSOFT preset only', 'microsoftTenant');
  switch (input.preset) {
    case SsoPreset.GOOGLE: return GOOGLE_ISSUER;
    case SsoPreset.MICROSOFT: {
      const tenant = input.microsoftTenant?.trim() || MICROSOFT_DEFAULT_TENANT;
      if (!TENANT.test(tenant)) throw badInput('microsoftTenant must be a tenant id (GUID), a domain, or "organizations"', 'microsoftTenant');
      return microsoftIssuer(tenant.toLowerCase());
    }
    case null:
    case undefined:
      return cleanIssuer(custom!, allowInsecure);
  }
}

/**
 * An admin-chosen issuer must not point inside the platform (SSRF): its host may not be,
 * or resolve to, a private, loopback, link-local or otherwise reserved address (IPv4-mapped
 * and NAT64 forms included), unless SSO_ALLOW_PRIVATE_ISSUERS (tests). Discovery and every
 * later request go through the same check (sso.oidc.ts); this one answers the admin early.
 */
export async function assertIssuerReachable(ctx: IdentityContext, issuer: string): Promise<void> {
  if (ctx.runtime.ssoAllowPrivateIssuers) return;
  const host = new URL(issuer).hostname.replace(/^\[|\]$/g, '');
  const refuse = () => badInput('issuer must be on a public address', 'issuer');
  if (host === 'localhost' || host.endsWith('.localhost')) throw refuse();
  if (isIP(host)) {
    if (!isPublicAddress(host)) throw refuse();
    return;
  }
  let answers: { address: string }[];
  try {
    answers = await lookup(host, { all: true, verbatim: true });
  } catch {
    return; // a name that does not resolve (yet) fails at sign-in, through the same guard
  }
  if (answers.some((a) => !isPublicAddress(a.address))) throw refuse();
}

/** The role just-in-time members receive: the chosen one, else the Member system role. */
export async function jitRole(em: EntityManager, orgId: string, defaultRoleId: string | null): Promise<RoleEntity | null> {
  if (defaultRoleId) return em.findOne(RoleEntity, { id: defaultRoleId, orgId });
  return em.findOne(RoleEntity, { orgId, system: true, name: 'Member' satisfies SystemRoleName });
}

/**
 * SSO can sign in as any member (issuer and domains are what the editor changes) and
 * gives JIT members `extra` roles: the editor must hold every permission of each of
 * those roles, compared by the same no-escalation check as role grants. Refused
 * FORBIDDEN, recorded under the operation's own action.
 */
export async function assertMayConfigureSso(ctx: IdentityContext, entry: AuditEntry, extra: RoleEntity[] = []): Promise<void> {
  const orgId = ctx.orgId;
  const held = await ctx.tx(async (em) => {
    const rows = await em.execute<{ role_id: string }[]>('select distinct role_id from identity.membership_roles where org_id = ?', [orgId]);
    return rows.length ? em.find(RoleEntity, { orgId, id: { $in: rows.map((r) => r.role_id) } }) : [];
  });
  auditedRefusal(ctx, entry, () => {
    for (const role of [...held, ...extra]) {
      const excess = firstEscalation(ctx.ability, effectiveRules(role));
      if (excess) {
        throw appError(ErrorCode.FORBIDDEN,
          `Configuring SSO needs every permission of the people it could sign in as (role ${role.name}); you lack: ${excess}`,
          { escalation: excess });
      }
    }
  });
}

export async function getSsoConnection(ctx: IdentityContext): Promise<SsoConnection | null> {
  ctx.authorize('read', 'SsoConnection');
  const row = await ctx.tx((em) => em.findOne(SsoConnectionEntity, { orgId: ctx.orgId }));
  return row ? toSsoConnection(row, ctx.runtime.publicUrl) : null;
}

export async function configureSso(ctx: IdentityContext, input: SsoConnectionInput): Promise<SsoConnection> {
  // Configuring replaces the org's one connection: update on SsoConnection (Owner and Admin by default).
  ctx.authorize('update', 'SsoConnection');
  const orgId = ctx.orgId;
  const allowInsecure = ctx.runtime.ssoAllowInsecureIssuers ?? false;
  const issuer = issuerOf(input, allowInsecure);
  const clientId = validate.text(input.clientId, 'clientId', { max: 255 });
  const clientSecret = input.clientSecret === null || input.clientSecret === undefined
    ? null : validate.text(input.clientSecret, 'clientSecret', { max: 1000 });
  const jitEnabled = input.jitEnabled ?? false;
  const allowedDomains = cleanDomains(input.allowedDomains, jitEnabled);
  const defaultRoleId = input.defaultRoleId ?? null;
  if (defaultRoleId !== null && !validate.isUuid(defaultRoleId)) throw badInput('defaultRoleId is not a role of this organisation', 'defaultRoleId');
  const now = ctx.now();

  // the role a JIT member gets is granted by whoever turns JIT on: no escalation through SSO;
  // and the editor must hold every permission of every member SSO could sign in as
  const role = await ctx.tx((em) => jitRole(em, orgId, defaultRoleId));
  if (defaultRoleId && !role) throw badInput('defaultRoleId is not a role of this organisation', 'defaultRoleId');
  await assertMayConfigureSso(ctx, { action: 'sso.configure', subjectType: 'SsoConnection', subjectId: orgId, data: { issuer, allowedDomains, jitEnabled, defaultRole: role?.name ?? null } },
    role && (jitEnabled || defaultRoleId) ? [role] : []);
  if (!input.preset) await assertIssuerReachable(ctx, issuer);

  const connection = await ctx.mutate(async (em) => {
    const existing = await em.findOne(SsoConnectionEntity, { orgId });
    const key = await ctx.runtime.keyring.dataKey(em, orgId);
    const sameClient = existing !== null && existing.issuer === issuer && existing.clientId === clientId;
    if (clientSecret === null && !sameClient) throw badInput('clientSecret is required for a new issuer or client id', 'clientSecret');
    const clientSecretEnc = clientSecret === null ? existing!.clientSecretEnc : encrypt(key, clientSecret, secretAad(orgId));
    const before = existing
      ? { issuer: existing.issuer, clientId: existing.clientId, allowedDomains: existing.allowedDomains, jitEnabled: existing.jitEnabled, defaultRoleId: existing.defaultRoleId }
      : null;
    const values = { issuer, clientId, clientSecretEnc, allowedDomains, jitEnabled, defaultRoleId, updatedAt: now };
    const connection = existing ? Object.assign(existing, values) : em.create(SsoConnectionEntity, { orgId, ...values });
    return {
      result: connection,
      audit: {
        action: 'sso.configure', subjectType: 'SsoConnection', subjectId: orgId,
        // the secret never leaves the row; only whether it changed
        data: { before, after: { issuer, clientId, allowedDomains, jitEnabled, defaultRoleId }, defaultRole: role?.name ?? null, newClientSecret: clientSecret !== null },
      },
    };
  });
  return toSsoConnection(connection, ctx.runtime.publicUrl);
}

/**
 * Turns SSO off: the connection, logins in flight and unconfirmed join requests go;
 * verified domains stay verified. Guarded like configuring (it decides who can sign in).
 */
export async function removeSso(ctx: IdentityContext): Promise<boolean> {
  ctx.authorize('delete', 'SsoConnection');
  const orgId = ctx.orgId;
  await assertMayConfigureSso(ctx, { action: 'sso.remove', subjectType: 'SsoConnection', subjectId: orgId });
  return ctx.mutate(async (em) => {
    const existing = await em.findOne(SsoConnectionEntity, { orgId });
    if (!existing) throw appError(ErrorCode.NOT_FOUND, 'SSO is not configured');
    const before = { issuer: existing.issuer, clientId: existing.clientId, allowedDomains: existing.allowedDomains, jitEnabled: existing.jitEnabled };
    em.remove(existing);
    const states = await em.nativeDelete(SsoStateEntity, { orgId });
    const joins = await em.nativeDelete(SsoJoinRequestEntity, { orgId, confirmedAt: null });
    return { result: true, audit: { action: 'sso.remove', subjectType: 'SsoConnection', subjectId: orgId, data: { before, loginsCancelled: states, joinRequestsLapsed: joins } } };
  });
}

/** The connection's client secret, in clear, for the code exchange (inside the org's tenant transaction). */
export async function clientSecretOf(runtime: IdentityRuntime, em: EntityManager, c: SsoConnectionEntity): Promise<string> {
  return decrypt(await runtime.keyring.dataKey(em, c.orgId), c.clientSecretEnc, secretAad(c.orgId)).toString('utf8');
}
