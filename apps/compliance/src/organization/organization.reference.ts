import type { OrganizationCompliance } from './organization.type';
import type { ComplianceContext } from '../compliance.context';

/** identity's Organization as compliance extends it: the caller's own only. */
export const organizationReference = {
  __resolveReference(ref: { id: string }, ctx: ComplianceContext): OrganizationCompliance | null {
    return ctx.isAuthenticated && ref.id === ctx.orgId ? { id: ref.id } : null;
  },
};
