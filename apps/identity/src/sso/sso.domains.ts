// Domain verification for SSO (issue 8): an org proves it owns an email domain before
// SSO matches anyone on it. `addSsoDomain` hands out a TXT record with a random token,
// `verifySsoDomain` looks it up through Node's resolver (injectable for tests) and
// records the proof. One org at most holds a domain verified (a unique index over
// verified rows, checked across tenants); another org's claim answers CONFLICT.
import { randomBytes, randomUUID } from 'node:crypto';
import { resolveTxt as systemResolveTxt } from 'node:dns/promises';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { appError, badInput, ErrorCode, notFound } from '@packets/graphql';
import { SsoDomainEntity, SsoJoinRequestEntity, txtRecordName, txtRecordValue } from './sso.entity';
import { toSsoDomain, type SsoDomain } from './sso.type';
import { assertMayConfigureSso, cleanDomain } from './sso.service';
import type { IdentityContext } from '../identity.context';

const claimedElsewhere = () => appError(ErrorCode.CONFLICT, 'This domain is verified by another organisation');

async function verifiedElsewhere(em: EntityManager, domain: string, orgId: string): Promise<boolean> {
  const rows = await em.execute<{ taken: boolean }[]>('select identity.sso_domain_verified_elsewhere(?, ?) as taken', [domain, orgId]);
  return rows[0]?.taken === true;
}

export async function listSsoDomains(ctx: IdentityContext): Promise<SsoDomain[]> {
  ctx.authorize('read', 'SsoConnection');
  const rows = await ctx.tx((em) => em.find(SsoDomainEntity, { orgId: ctx.orgId }, { orderBy: { domain: 'asc' } }));
  return rows.map(toSsoDomain);
}

/** Starts (or repeats) a claim: the TXT record the org must publish. Verified or pending rows are kept as they are. */
export async function addSsoDomain(ctx: IdentityContext, value: string): Promise<SsoDomain> {
  ctx.authorize('update', 'SsoConnection');
  const domain = cleanDomain(value, 'domain');
  await assertMayConfigureSso(ctx, { action: 'sso.domain.add', subjectType: 'SsoDomain', data: { domain } });
  const now = ctx.now();
  const claimed = await ctx.mutate(async (em) => {
    if (await verifiedElsewhere(em, domain, ctx.orgId)) throw claimedElsewhere();
    const existing = await em.findOne(SsoDomainEntity, { orgId: ctx.orgId, domain });
    const row = existing ?? em.create(SsoDomainEntity, {
      id: randomUUID(), orgId: ctx.orgId, domain, token: randomBytes(32).toString('base64url'), createdAt: now, verifiedAt: null,
    });
    return {
      result: row,
      audit: { action: 'sso.domain.add', subjectType: 'SsoDomain', subjectId: row.id, data: { domain, txtRecord: txtRecordName(domain), existing: existing !== null } },
    };
  });
  return toSsoDomain(claimed);
}

/** The TXT strings at `name`; none when the name or the record does not exist. */
async function txtRecords(ctx: IdentityContext, name: string): Promise<string[]> {
  try {
    const records = await (ctx.runtime.resolveTxt ?? systemResolveTxt)(name);
    // a long TXT value arrives in 255-byte chunks: one record is their concatenation
    return records.map((chunks) => chunks.join(''));
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'ENOTFOUND' || code === 'ENODATA') return [];
    throw badInput(`The DNS look-up of ${name} failed; try again later`, 'domain');
  }
}

export async function verifySsoDomain(ctx: IdentityContext, value: string): Promise<SsoDomain> {
  ctx.authorize('update', 'SsoConnection');
  const domain = cleanDomain(value, 'domain');
  await assertMayConfigureSso(ctx, { action: 'sso.domain.verify', subjectType: 'SsoDomain', data: { domain } });
  const claim = await ctx.tx((em) => em.findOne(SsoDomainEntity, { orgId: ctx.orgId, domain }));
  if (!claim) throw notFound('SSO domain (add it first)');
  // outside any transaction: a network look-up
  const name = txtRecordName(domain);
  const expected = txtRecordValue(claim.token);
  if (!(await txtRecords(ctx, name)).includes(expected)) {
    throw badInput(`No TXT record ${name} with the value ${expected} was found`, 'domain');
  }
  const now = ctx.now();
  const verified = await ctx.mutate(async (em) => {
    const row = await em.findOne(SsoDomainEntity, { id: claim.id });
    if (!row || row.token !== claim.token) throw notFound('SSO domain (add it first)');
    if (await verifiedElsewhere(em, domain, ctx.orgId)) throw claimedElsewhere();
    const first = row.verifiedAt === null;
    row.verifiedAt ??= now;
    try {
      await em.flush();
    } catch (err) {
      // another org verified it at the same moment: the index decides
      if (err instanceof UniqueConstraintViolationException) throw claimedElsewhere();
      throw err;
    }
    return {
      result: row,
      audit: { action: 'sso.domain.verify', subjectType: 'SsoDomain', subjectId: row.id, data: { domain, txtRecord: name, firstVerification: first } },
    };
  });
  return toSsoDomain(verified);
}

/** Gives a domain up: SSO stops matching people on it, and pending joins through it lapse. */
export async function removeSsoDomain(ctx: IdentityContext, value: string): Promise<boolean> {
  ctx.authorize('update', 'SsoConnection');
  const domain = cleanDomain(value, 'domain');
  await assertMayConfigureSso(ctx, { action: 'sso.domain.remove', subjectType: 'SsoDomain', data: { domain } });
  return ctx.mutate(async (em) => {
    const row = await em.findOne(SsoDomainEntity, { orgId: ctx.orgId, domain });
    if (!row) throw notFound('SSO domain');
    em.remove(row);
    const lapsed = await em.nativeDelete(SsoJoinRequestEntity, { orgId: ctx.orgId, email: { $like: `%@${domain}` }, confirmedAt: null });
    return { result: true, audit: { action: 'sso.domain.remove', subjectType: 'SsoDomain', subjectId: row.id, data: { domain, wasVerified: row.verifiedAt !== null, joinRequestsLapsed: lapsed } } };
  });
}

/** Whether `orgId` has proved it owns `domain` (inside that org's tenant transaction). */
export async function domainVerified(em: EntityManager, orgId: string, domain: string): Promise<boolean> {
  return (await em.count(SsoDomainEntity, { orgId, domain, verifiedAt: { $ne: null } })) > 0;
}
