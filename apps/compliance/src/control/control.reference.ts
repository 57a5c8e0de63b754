import { can } from '@packets/authz';
import { toControl, type Control } from './control.type';
import type { ComplianceContext } from '../compliance.context';

export const controlReference = {
  async __resolveReference(ref: { id: string }, ctx: ComplianceContext): Promise<Control | null> {
    if (!ctx.isAuthenticated) return null;
    const control = await ctx.loaders.controlById.load(ref.id);
    if (!control || !can(ctx.ability, 'read', 'Control', { ...control })) return null;
    return toControl(control);
  },
};
