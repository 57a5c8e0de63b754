import DataLoader from 'dataloader';
import type { RequestContext } from '@packets/graphql';
import { ControlEntity } from './control.entity';

export function controlById(ctx: RequestContext): DataLoader<string, ControlEntity | null> {
  return new DataLoader(async (ids) => {
    const rows = await ctx.tx((em) => em.find(ControlEntity, { id: { $in: [...ids] } }));
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id) ?? null);
  });
}
