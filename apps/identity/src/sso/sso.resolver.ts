import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { SsoConnection, SsoDomain } from './sso.type';
import { SsoConnectionInput } from './sso.inputs';
import { configureSso, getSsoConnection, removeSso } from './sso.service';
import { addSsoDomain, listSsoDomains, removeSsoDomain, verifySsoDomain } from './sso.domains';
import { confirmSsoJoin } from './sso.join';
import type { IdentityContext } from '../identity.context';

@Resolver()
export class SsoResolver {
  @Query(() => SsoConnection, { nullable: true, description: "The organisation's SSO connection; null when none is configured" })
  ssoConnection(@Ctx() ctx: IdentityContext): Promise<SsoConnection | null> {
    return getSsoConnection(ctx);
  }

  @Query(() => [SsoDomain], { description: 'The email domains claimed for SSO, verified or not' })
  ssoDomains(@Ctx() ctx: IdentityContext): Promise<SsoDomain[]> {
    return listSsoDomains(ctx);
  }

  @Mutation(() => SsoConnection, {
    description: 'Sets the OpenID Connect provider members sign in with (GET /auth/sso/:orgSlug/start). '
      + 'Needs every permission of every member SSO could sign in as (in practice the Owner).',
  })
  configureSso(@Arg('input', () => SsoConnectionInput) input: SsoConnectionInput, @Ctx() ctx: IdentityContext): Promise<SsoConnection> {
    return configureSso(ctx, input);
  }

  @Mutation(() => Boolean, { description: 'Turns SSO off (verified domains stay verified); guarded like configureSso' })
  removeSso(@Ctx() ctx: IdentityContext): Promise<boolean> {
    return removeSso(ctx);
  }

  @Mutation(() => SsoDomain, { description: 'Claims an email domain for SSO: answers the DNS TXT record that proves ownership' })
  addSsoDomain(@Arg('domain', () => String) domain: string, @Ctx() ctx: IdentityContext): Promise<SsoDomain> {
    return addSsoDomain(ctx, domain);
  }

  @Mutation(() => SsoDomain, { description: 'DNS TXT proof before SSO matches users on the domain; CONFLICT when another org verified it' })
  verifySsoDomain(@Arg('domain', () => String) domain: string, @Ctx() ctx: IdentityContext): Promise<SsoDomain> {
    return verifySsoDomain(ctx, domain);
  }

  @Mutation(() => Boolean, { description: 'Gives a claimed domain up: SSO no longer matches people on it' })
  removeSsoDomain(@Arg('domain', () => String) domain: string, @Ctx() ctx: IdentityContext): Promise<boolean> {
    return removeSsoDomain(ctx, domain);
  }

  @Mutation(() => Boolean, {
    description: 'Signed in with your own account: accept the mailed request of an SSO sign-in to join another organisation',
  })
  confirmSsoJoin(@Arg('token', () => String) token: string, @Ctx() ctx: IdentityContext): Promise<boolean> {
    return confirmSsoJoin(ctx, token);
  }
}
