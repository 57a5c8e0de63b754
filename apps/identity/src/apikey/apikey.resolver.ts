import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { ApiKey, CreateApiKeyInput, CreatedApiKey, toApiKey } from './apikey.type';
import { createApiKey, listApiKeys, revokeApiKey } from './apikey.service';
import type { IdentityContext } from '../identity.context';

@Resolver()
export class ApiKeyResolver {
  @Query(() => [ApiKey])
  async apiKeys(@Ctx() ctx: IdentityContext): Promise<ApiKey[]> {
    return (await listApiKeys(ctx)).map(toApiKey);
  }

  @Mutation(() => CreatedApiKey)
  async createApiKey(@Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput, @Ctx() ctx: IdentityContext): Promise<CreatedApiKey> {
    const { key, apiKey } = await createApiKey(ctx, input);
    return { key, apiKey: toApiKey(apiKey) };
  }

  @Mutation(() => Boolean)
  revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: IdentityContext): Promise<boolean> {
    return revokeApiKey(ctx, id);
  }
}
