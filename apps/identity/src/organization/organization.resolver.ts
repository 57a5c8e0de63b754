import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { Organization } from './organization.type';
import type { IdentityContext } from '../identity.context';
import { SecuritySettingsInput } from './organization.inputs';
import { getOrganization, updateSecuritySettings } from './organization.service';

@Resolver(() => Organization)
export class OrganizationResolver {
  @Query(() => Organization, { description: "The session's organisation" })
  organization(@Ctx() ctx: IdentityContext): Promise<Organization> {
    return getOrganization(ctx);
  }

  @Mutation(() => Organization, { description: 'Admins only: session limits, MFA requirement, region' })
  updateSecuritySettings(@Arg('input', () => SecuritySettingsInput) input: SecuritySettingsInput, @Ctx() ctx: IdentityContext): Promise<Organization> {
    return updateSecuritySettings(ctx, input);
  }
}
