import { can } from '@packets/authz';
import type { Organization } from './organization.type';
import type { IdentityContext } from '../identity.context';

/** Another subgraph named an Organization: only the caller's own, and only when readable. */
export const organizationReference = {
  async __resolveReference(ref: { id: string }, ctx: IdentityContext): Promise<Organization | null> {
    if (!ctx.isAuthenticated || ref.id !== ctx.orgId || !can(ctx.ability, 'read', 'Organization')) return null;
    return ctx.loaders.organizationById.load(ref.id);
  },
};
