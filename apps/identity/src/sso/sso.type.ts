import { Field, ID, ObjectType } from 'type-graphql';
import { txtRecordName, txtRecordValue, type SsoConnectionEntity, type SsoDomainEntity } from './sso.entity';

@ObjectType('SsoConnection', { description: "The organisation's OpenID Connect identity provider" })
export class SsoConnection {
  @Field(() => String) issuer!: string;
  @Field(() => String) clientId!: string;
  @Field(() => Boolean, { description: 'A client secret is stored (sealed; it is never returned)' }) clientSecretSet!: boolean;
  @Field(() => [String], { description: 'Only verified emails in these domains may sign in, and only once the domain is verified (ssoDomains)' }) allowedDomains!: string[];
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

@ObjectType('SsoDomain', { description: 'An email domain claimed for SSO; SSO matches people on it only once verified' })
export class SsoDomain {
  @Field(() => ID) id!: string;
  @Field(() => String) domain!: string;
  @Field(() => Boolean, { description: 'The TXT record was found: SSO matches people on this domain' }) verified!: boolean;
  @Field(() => Date, { nullable: true }) verifiedAt!: Date | null;
  @Field(() => String, { description: 'Publish a TXT record at this name...' }) txtRecordName!: string;
  @Field(() => String, { description: '...with this value, then call verifySsoDomain' }) txtRecordValue!: string;
  @Field(() => Date) createdAt!: Date;
}

export function toSsoDomain(e: SsoDomainEntity): SsoDomain {
  return {
    id: e.id, domain: e.domain, verified: e.verifiedAt !== null, verifiedAt: e.verifiedAt,
    txtRecordName: txtRecordName(e.domain), txtRecordValue: txtRecordValue(e.token), createdAt: e.createdAt,
  };
}
