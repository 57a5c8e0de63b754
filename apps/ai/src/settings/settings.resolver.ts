import { Ctx, Query, Resolver } from 'type-graphql';
import { AiSettings } from './settings.type';
import { getAiSettings } from './settings.service';
import type { AiContext } from '../ai.context';

@Resolver()
export class AiSettingsResolver {
  @Query(() => AiSettings, { description: "The organisation's AI consent and provider" })
  aiSettings(@Ctx() ctx: AiContext): Promise<AiSettings> {
    return getAiSettings(ctx);
  }
}
