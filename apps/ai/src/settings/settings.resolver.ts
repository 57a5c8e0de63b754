import { Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '@packets/graphql';
import { can } from '@packets/authz';
import { AiSettings, OrganizationAi } from './settings.type';
import { getAiSettings } from './settings.service';
import type { AiLoaders } from '../ai.context';

@Resolver()
export class AiSettingsResolver {
  @Query(() => AiSettings, { description: "The organisation's AI consent and provider" })
  aiSettings(@Ctx() ctx: RequestContext<AiLoaders>): Promise<AiSettings> {
    return getAiSettings(ctx);
  }
}

@Resolver(() => OrganizationAi)
export class OrganizationAiResolver {
  /** null when the caller may not read it (an anonymous sign-up response, a role without AiSettings) */
  @FieldResolver(() => AiSettings, { nullable: true })
  async aiSettings(@Root() org: OrganizationAi, @Ctx() ctx: RequestContext<AiLoaders>): Promise<AiSettings | null> {
    if (!ctx.isAuthenticated || !can(ctx.ability, 'read', 'AiSettings')) return null;
    return getAiSettings(ctx, org.id);
  }
}

export const organizationReference = {
  __resolveReference(ref: { id: string }, ctx: RequestContext<AiLoaders>): OrganizationAi | null {
    return ctx.isAuthenticated && ref.id === ctx.orgId ? { id: ref.id } : null;
  },
};
