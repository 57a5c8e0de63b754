// The identity subgraph's per-request DataLoaders, assembled from its features'
// (x.loaders.ts): every reference and relation resolves through one of these, one
// SQL statement per batch whatever the size of the list.
import type { RequestContext } from '@packets/graphql';
import { userLoaders, type UserLoaders } from './user/user.loaders';
import { organizationLoaders, type OrganizationLoaders } from './organization/organization.loaders';
import { membershipLoaders, type MembershipLoaders } from './membership/membership.loaders';

export type IdentityLoaders = UserLoaders & OrganizationLoaders & MembershipLoaders;

export function identityLoaders(ctx: RequestContext<IdentityLoaders>): IdentityLoaders {
  return { ...userLoaders(ctx), ...organizationLoaders(ctx), ...membershipLoaders(ctx) };
}
