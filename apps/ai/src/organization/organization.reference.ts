import type { OrganizationAi } from './organization.type';
import type { AiContext } from '../ai.context';

/** identity's Organization as ai extends it: the caller's own only. */
export const organizationReference = {
  __resolveReference(ref: { id: string }, ctx: AiContext): OrganizationAi | null {
    return ctx.isAuthenticated && ref.id === ctx.orgId ? { id: ref.id } : null;
  },
};
