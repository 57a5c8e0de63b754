import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { SsoConnection, toSsoConnection } from './sso.type';
import { SsoConnectionInput } from './sso.inputs';
import { configureSso, getSsoConnection } from './sso.service';
import type { IdentityContext } from '../identity.context';

@Resolver()
export class SsoResolver {
  @Query(() => SsoConnection, { nullable: true, description: "The organisation's SSO connection; null when none is configured" })
  async ssoConnection(@Ctx() ctx: IdentityContext): Promise<SsoConnection | null> {
    const c = await getSsoConnection(ctx);
    return c ? toSsoConnection(c, ctx.runtime.publicUrl) : null;
  }

  @Mutation(() => SsoConnection, { description: 'Sets the OpenID Connect provider members sign in with (GET /auth/sso/:orgSlug/start)' })
  async configureSso(@Arg('input', () => SsoConnectionInput) input: SsoConnectionInput, @Ctx() ctx: IdentityContext): Promise<SsoConnection> {
    return toSsoConnection(await configureSso(ctx, input), ctx.runtime.publicUrl);
  }
}
