// Batched policy reads: versions by policy and the caller's own acknowledgement of
// each version.
import DataLoader from 'dataloader';
import { accessibleFilter } from '@packets/authz';
import type { RequestContext } from '@packets/graphql';
import { PolicyAcknowledgementEntity, PolicyVersionEntity } from './policy.entity';
import { toAcknowledgement, toPolicyVersion, type PolicyAcknowledgement, type PolicyVersion } from './policy.type';

export interface PolicyLoaders {
  /** each policy's versions the caller may read, newest first */
  versionsByPolicy: DataLoader<string, PolicyVersion[]>;
  myAcknowledgementByVersion: DataLoader<string, PolicyAcknowledgement | null>;
}

export function policyLoaders(ctx: RequestContext): PolicyLoaders {
  return { versionsByPolicy: versionsByPolicy(ctx), myAcknowledgementByVersion: myAcknowledgementByVersion(ctx) };
}

function versionsByPolicy(ctx: RequestContext): DataLoader<string, PolicyVersion[]> {
  return new DataLoader(async (ids) => {
    const allowed = accessibleFilter(ctx.ability, 'read', 'PolicyVersion');
    if (!allowed) return ids.map(() => []);
    const rows = await ctx.tx((em) => em.find(
      PolicyVersionEntity, { $and: [allowed, { policyId: { $in: [...ids] } }] }, { orderBy: { version: 'desc' } },
    ));
    const map = new Map<string, PolicyVersion[]>();
    for (const r of rows) map.set(r.policyId, [...(map.get(r.policyId) ?? []), toPolicyVersion(r)]);
    return ids.map((id) => map.get(id) ?? []);
  });
}

function myAcknowledgementByVersion(ctx: RequestContext): DataLoader<string, PolicyAcknowledgement | null> {
  return new DataLoader(async (ids) => {
    const userId = ctx.actor.userId;
    if (!userId) return ids.map(() => null);
    const rows = await ctx.tx((em) => em.find(PolicyAcknowledgementEntity, { userId, policyVersionId: { $in: [...ids] } }));
    const map = new Map(rows.map((r) => [r.policyVersionId, toAcknowledgement(r)]));
    return ids.map((id) => map.get(id) ?? null);
  });
}
