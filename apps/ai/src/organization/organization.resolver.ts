import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { OrganizationAi } from './organization.type';
import { AiSettings } from '../settings/settings.type';
import { aiSettingsOf } from '../settings/settings.service';
import type { AiContext } from '../ai.context';

@Resolver(() => OrganizationAi)
export class OrganizationAiResolver {
  /** null when the caller may not read it (an anonymous sign-up response, a role without AiSettings) */
  @FieldResolver(() => AiSettings, { nullable: true })
  aiSettings(@Root() org: OrganizationAi, @Ctx() ctx: AiContext): Promise<AiSettings | null> {
    return aiSettingsOf(ctx, org.id);
  }
}
