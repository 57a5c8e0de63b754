// Who counts as "the organisation's members" for coverage reports: identity owns
// memberships and lists them over its service-signed internal route.
import type { ComplianceContext } from '../compliance.context';

/** Every current member of the caller's organisation, sorted. Call outside a transaction. */
export async function organisationMembers(ctx: ComplianceContext): Promise<string[]> {
  return (await ctx.runtime.identity.listMembers(ctx.orgId)).sort();
}
