// Partner API keys: org-scoped, named, with their own role (never stronger than
// their creator's permissions), shown once, stored as SHA-256, expirable, revocable.
import { randomUUID } from 'node:crypto';
import { randomToken, sha256Hex } from '@packets/crypto';
import { badInput, notFound, validate } from '@packets/graphql';
import { ApiKeyEntity } from './apikey.entity';
import { RoleEntity } from '../membership/membership.entity';
import { API_KEY_PREFIX } from '../session/session.service';
import { assertRolesGrantable } from '../role/role.service';
import { auditedRefusal } from '../security/denied';
import type { IdentityContext } from '../identity.context';
import type { CreateApiKeyInput } from './apikey.type';

const MAX_DAYS = 366;

export async function listApiKeys(ctx: IdentityContext): Promise<ApiKeyEntity[]> {
  ctx.authorize('read', 'ApiKey');
  return ctx.tx((em) => em.find(ApiKeyEntity, { orgId: ctx.orgId }, { orderBy: { createdAt: 'desc' } }));
}

export async function createApiKey(ctx: IdentityContext, input: CreateApiKeyInput): Promise<{ key: string; apiKey: ApiKeyEntity }> {
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
  return { key, apiKey };
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
