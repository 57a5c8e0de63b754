import { Field, ID, ObjectType } from 'type-graphql';
import type { SsoConnectionEntity } from './sso.entity';

@ObjectType('SsoConnection', { description: "The organisation's OpenID Connect identity provider" })
export class SsoConnection {
  @Field(() => String) issuer!: string;
  @Field(() => String) clientId!: string;
  @Field(() => Boolean, { description: 'A client secret is stored (sealed; it is never returned)' }) clientSecretSet!: boolean;
  @Field(() => [String], { description: 'Only verified emails in these domains may sign in' }) allowedDomains!: string[];
  @Field(() => Boolean, { description: 'Unknown people in an allowed domain become members on first sign-in' }) jitEnabled!: boolean;
  @Field(() => ID, { nullable: true, description: 'Role given to just-in-time members; null = the Member system role' })
  defaultRoleId!: string | null;
  @Field(() => String, { description: 'Register this redirect URI with the identity provider' }) redirectUri!: string;
  @Field(() => Date) updatedAt!: Date;
}

export function toSsoConnection(e: SsoConnectionEntity, publicUrl: string): SsoConnection {
  return {
    issuer: e.issuer, clientId: e.clientId, clientSecretSet: e.clientSecretEnc.length > 0, allowedDomains: e.allowedDomains,
    jitEnabled: e.jitEnabled, defaultRoleId: e.defaultRoleId, redirectUri: ssoRedirectUri(publicUrl), updatedAt: e.updatedAt,
  };
}

/** The one callback the gateway serves for every organisation. */
export function ssoRedirectUri(publicUrl: string): string {
  return `${publicUrl}/auth/sso/callback`;
}
