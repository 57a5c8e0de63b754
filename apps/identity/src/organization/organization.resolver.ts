import { Ctx, Query, Resolver } from 'type-graphql';
import { notFound } from '@packets/graphql';
import { Organization, toOrganization } from './organization.type';
import type { IdentityContext } from '../identity.context';

@Resolver(() => Organization)
export class OrganizationResolver {
  @Query(() => Organization, { description: "The session's organisation" })
  async organization(@Ctx() ctx: IdentityContext): Promise<Organization> {
    ctx.authorize('read', 'Organization');
    const org = await ctx.loaders.organizationById.load(ctx.orgId);
    if (!org) throw notFound('Organization');
    return toOrganization(org);
  }
}
