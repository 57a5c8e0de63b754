// Batched policy reads: versions by policy, a version by id, and the caller's own
// acknowledgement of each version.
import DataLoader from 'dataloader';
import { accessibleFilter } from '@packets/authz';
import type { RequestContext } from '@packets/graphql';
import { PolicyAcknowledgementEntity, PolicyVersionEntity } from './policy.entity';

export function versionsByPolicy(ctx: RequestContext): DataLoader<string, PolicyVersionEntity[]> {
  return new DataLoader(async (ids) => {
    const allowed = accessibleFilter(ctx.ability, 'read', 'PolicyVersion');
    if (!allowed) return ids.map(() => []);
    const rows = await ctx.tx((em) => em.find(
      PolicyVersionEntity, { $and: [allowed, { policyId: { $in: [...ids] } }] }, { orderBy: { version: 'desc' } },
    ));
    const map = new Map<string, PolicyVersionEntity[]>();
    for (const r of rows) map.set(r.policyId, [...(map.get(r.policyId) ?? []), r]);
    return ids.map((id) => map.get(id) ?? []);
  });
}

export function policyVersionById(ctx: RequestContext): DataLoader<string, PolicyVersionEntity | null> {
  return new DataLoader(async (ids) => {
    const rows = await ctx.tx((em) => em.find(PolicyVersionEntity, { id: { $in: [...ids] } }));
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id) ?? null);
  });
}

export function myAcknowledgementByVersion(ctx: RequestContext): DataLoader<string, PolicyAcknowledgementEntity | null> {
  return new DataLoader(async (ids) => {
    const userId = ctx.actor.userId;
    if (!userId) return ids.map(() => null);
    const rows = await ctx.tx((em) => em.find(PolicyAcknowledgementEntity, { userId, policyVersionId: { $in: [...ids] } }));
    const map = new Map(rows.map((r) => [r.policyVersionId, r]));
    return ids.map((id) => map.get(id) ?? null);
  });
}
