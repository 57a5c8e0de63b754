// Partner API keys: org-scoped, named, with their own role (never stronger than
// their creator's permissions, then or now), shown once, stored as SHA-256,
// expirable, revocable; resolved as bearer tokens for the gateway (session/).
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { abilityFromPacked, firstEscalation, interpolateRules, pack, type RawRule } from '@packets/authz';
import { randomToken, sha256Hex } from '@packets/crypto';
import { tenantTx } from '@packets/db';
import { badInput, notFound, runtimeNow, validate } from '@packets/graphql';
import { ApiKeyEntity } from './apikey.entity';
import { toApiKey, type ApiKey, type CreateApiKeyInput, type CreatedApiKey } from './apikey.type';
import { RoleEntity } from '../role/role.entity';
import { abilityRules, effectiveRules } from '../role/role.rules';
import { assertRolesGrantable } from '../role/role.service';
import { MembershipEntity } from '../membership/membership.entity';
import { auditedRefusal } from '../security/denied';
import type { Resolved } from '../session/session.service';
import type { IdentityContext, IdentityRuntime } from '../identity.context';

export const API_KEY_PREFIX = 'pkk_';
const MAX_DAYS = 366;
/** last_used_at is written at most this often (as a session's last_seen_at), so reads do not each cost a write */
const LAST_USED_RESOLUTION_MS = 15_000;

export async function listApiKeys(ctx: IdentityContext): Promise<ApiKey[]> {
  ctx.authorize('read', 'ApiKey');
  const rows = await ctx.tx((em) => em.find(ApiKeyEntity, { orgId: ctx.orgId }, { orderBy: { createdAt: 'desc' } }));
  return rows.map(toApiKey);
}

export async function createApiKey(ctx: IdentityContext, input: CreateApiKeyInput): Promise<CreatedApiKey> {
  ctx.authorize('create', 'ApiKey');
  if (!ctx.actor.userId) throw badInput('API keys are created by members, not by other keys');
  const name = validate.text(input.name, 'name', { max: 100 });
  if (!validate.isUuid(input.roleId)) throw badInput('roleId is not a valid id', 'roleId');
  const now = ctx.now();
  const expiresAt = input.expiresAt ?? null;
  if (expiresAt && (expiresAt <= now || expiresAt.getTime() - now.getTime() > MAX_DAYS * 86_400_000)) {
    throw badInput(`expiresAt must be in the future and within ${MAX_DAYS} days`, 'expiresAt');
  }
  const key = randomToken(API_KEY_PREFIX);
  const apiKey = await ctx.mutate(async (em) => {
    const role = await em.findOne(RoleEntity, { id: input.roleId });
    if (!role) throw badInput('roleId is not a role of this organisation', 'roleId');
    auditedRefusal(ctx, { action: 'apikey.create', subjectType: 'ApiKey', data: { name, role: role.name } }, () => assertRolesGrantable(ctx, [role]));
    const apiKey = em.create(ApiKeyEntity, {
      id: randomUUID(), orgId: ctx.orgId, name, roleId: role.id, keyHash: sha256Hex(key), prefix: key.slice(0, 10),
      createdBy: ctx.actor.userId!, createdAt: now, expiresAt, revokedAt: null, lastUsedAt: null,
    });
    return { result: apiKey, audit: { action: 'apikey.create', subjectType: 'ApiKey', subjectId: apiKey.id, data: { name, role: role.name, expiresAt } } };
  });
  return { key, apiKey: toApiKey(apiKey) };
}

export async function revokeApiKey(ctx: IdentityContext, id: string): Promise<boolean> {
  ctx.authorize('delete', 'ApiKey');
  if (!validate.isUuid(id)) throw notFound('API key');
  const now = ctx.now();
  return ctx.mutate(async (em) => {
    const apiKey = await em.findOne(ApiKeyEntity, { id });
    if (!apiKey) throw notFound('API key');
    apiKey.revokedAt ??= now;
    return { result: true, audit: { action: 'apikey.revoke', subjectType: 'ApiKey', subjectId: id, data: { name: apiKey.name } } };
  });
}

interface ApiKeyRow {
  id: string;
  role_id: string;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
  created_by: string;
}

/** Whether the key's creator is still a member whose current roles cover every rule of the key's role. */
async function creatorStandsBehind(tem: EntityManager, orgId: string, creatorId: string, keyRules: RawRule[]): Promise<boolean> {
  if (!(await tem.findOne(MembershipEntity, { orgId, userId: creatorId }))) return false;
  return firstEscalation(abilityFromPacked(await abilityRules(tem, orgId, creatorId)), keyRules) === null;
}

/** An API key's actor: its role's rules, while its creator still stands behind them. */
export async function resolveApiKey(runtime: IdentityRuntime, token: string): Promise<Resolved | null> {
  const em = runtime.orm.em.fork();
  const hash = sha256Hex(token);
  const found = await em.execute<{ api_key_id: string; org_id: string }[]>('select api_key_id, org_id from identity.api_key_by_hash(?)', [hash]);
  const orgId = found[0]?.org_id;
  if (!orgId) return null;
  const now = runtimeNow(runtime);
  return tenantTx(em, orgId, async (tem) => {
    const rows = await tem.execute<ApiKeyRow[]>(
      'select id, role_id, expires_at, revoked_at, last_used_at, created_by from identity.api_keys where key_hash = ?', [hash],
    );
    const k = rows[0];
    if (!k || k.revoked_at || (k.expires_at && new Date(k.expires_at) <= now)) return null;
    if (!k.last_used_at || now.getTime() - new Date(k.last_used_at).getTime() > LAST_USED_RESOLUTION_MS) {
      await tem.execute('update identity.api_keys set last_used_at = ? where id = ?', [now, k.id]);
    }
    const role = await tem.findOne(RoleEntity, { id: k.role_id });
    const rules: RawRule[] = role ? effectiveRules(role) : [];
    // a key is never stronger than its creator as they are now (as an invitation is re-checked
    // against its sender): once they leave, or lose a permission the key's role holds, it stops
    if (!(await creatorStandsBehind(tem, orgId, k.created_by, rules))) return null;
    return {
      actor: { kind: 'apiKey', orgId, userId: null, sessionId: null, apiKeyId: k.id, keyOwnerId: k.created_by, rules: [pack(interpolateRules(rules, { userId: null }))] },
      expiresAt: k.expires_at ? new Date(k.expires_at) : null,
    };
  });
}
