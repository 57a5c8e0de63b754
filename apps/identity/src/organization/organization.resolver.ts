import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { notFound } from '@packets/graphql';
import { Organization, toOrganization } from './organization.type';
import type { IdentityContext } from '../identity.context';
import { SecuritySettingsInput } from './organization.inputs';
import { updateSecuritySettings } from './organization.service';

@Resolver(() => Organization)
export class OrganizationResolver {
  @Query(() => Organization, { description: "The session's organisation" })
  async organization(@Ctx() ctx: IdentityContext): Promise<Organization> {
    ctx.authorize('read', 'Organization');
    const org = await ctx.loaders.organizationById.load(ctx.orgId);
    if (!org) throw notFound('Organization');
    return toOrganization(org);
  }

  @Mutation(() => Organization, { description: 'Admins only: session limits, MFA requirement, region' })
  async updateSecuritySettings(@Arg('input', () => SecuritySettingsInput) input: SecuritySettingsInput, @Ctx() ctx: IdentityContext): Promise<Organization> {
    return toOrganization(await updateSecuritySettings(ctx, input));
  }
}
