import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { ApiKey, CreateApiKeyInput, CreatedApiKey } from './apikey.type';
import { createApiKey, listApiKeys, revokeApiKey } from './apikey.service';
import type { IdentityContext } from '../identity.context';

@Resolver()
export class ApiKeyResolver {
  @Query(() => [ApiKey])
  apiKeys(@Ctx() ctx: IdentityContext): Promise<ApiKey[]> {
    return listApiKeys(ctx);
  }

  @Mutation(() => CreatedApiKey)
  createApiKey(@Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput, @Ctx() ctx: IdentityContext): Promise<CreatedApiKey> {
    return createApiKey(ctx, input);
  }

  @Mutation(() => Boolean)
  revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: IdentityContext): Promise<boolean> {
    return revokeApiKey(ctx, id);
  }
}
