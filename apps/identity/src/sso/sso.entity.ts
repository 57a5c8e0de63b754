import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

@Entity({ tableName: 'sso_connections' })
export class SsoConnectionEntity {
  @PrimaryKey({ type: 'uuid' }) orgId!: string;
  @Property({ type: 'text' }) issuer!: string;
  @Property({ type: 'text' }) clientId!: string;
  /** sealed under the org's data key */
  @Property({ type: 'text', hidden: true }) clientSecretEnc!: string;
  @Property({ type: 'text[]' }) allowedDomains!: string[];
  @Property({ type: 'boolean' }) jitEnabled: boolean = false;
  @Property({ type: 'uuid', nullable: true }) defaultRoleId: string | null = null;
  @Property({ type: 'timestamptz' }) updatedAt!: Date;
}

/** One browser login in flight: state (hashed), nonce and PKCE verifier (sealed); single use. */
@Entity({ tableName: 'sso_states' })
export class SsoStateEntity {
  @PrimaryKey({ type: 'uuid' }) id!: string;
  @Property({ type: 'uuid' }) orgId!: string;
  @Property({ type: 'text', hidden: true }) stateHash!: string;
  @Property({ type: 'text', hidden: true }) nonce!: string;
  @Property({ type: 'text', hidden: true }) codeVerifierEnc!: string;
  @Property({ type: 'timestamptz' }) createdAt!: Date;
  @Property({ type: 'timestamptz' }) expiresAt!: Date;
  @Property({ type: 'timestamptz', nullable: true }) usedAt: Date | null = null;
  /** same-origin path to land on after login */
  @Property({ type: 'text', nullable: true }) returnTo: string | null = null;
}

/**
 * An email domain the org claims for SSO. SSO matches people on it only once the org
 * has proved it owns it (verifiedAt: a DNS TXT record carried `packets-verify=<token>`);
 * a domain is verified by one org at most (a unique index over verified rows).
 */
@Entity({ tableName: 'sso_domains' })
export class SsoDomainEntity {
  @PrimaryKey({ type: 'uuid' }) id!: string;
  @Property({ type: 'uuid' }) orgId!: string;
  @Property({ type: 'text' }) domain!: string;
  /** published in DNS by the org, so not a secret; random so that nobody can guess it before the org asks */
  @Property({ type: 'text' }) token!: string;
  @Property({ type: 'timestamptz' }) createdAt!: Date;
  @Property({ type: 'timestamptz', nullable: true }) verifiedAt: Date | null = null;
}

/** The DNS TXT record that proves a claim: `<TXT_LABEL>.<domain>` holding `<TXT_VALUE_PREFIX><token>`. */
export const TXT_LABEL = '_packets-verification';
export const TXT_VALUE_PREFIX = 'packets-verify=';
export const txtRecordName = (domain: string): string => `${TXT_LABEL}.${domain}`;
export const txtRecordValue = (token: string): string => `${TXT_VALUE_PREFIX}${token}`;

/**
 * Just-in-time membership for a person who already has an account (a member of
 * another org): it waits here until that person confirms it while signed in with
 * their own credentials. Only the SHA-256 of the mailed token is stored; single use.
 */
@Entity({ tableName: 'sso_join_requests' })
export class SsoJoinRequestEntity {
  @PrimaryKey({ type: 'uuid' }) id!: string;
  @Property({ type: 'uuid' }) orgId!: string;
  @Property({ type: 'uuid' }) userId!: string;
  @Property({ type: 'text' }) email!: string;
  @Property({ type: 'uuid' }) roleId!: string;
  @Property({ type: 'text', hidden: true }) tokenHash!: string;
  @Property({ type: 'timestamptz' }) createdAt!: Date;
  @Property({ type: 'timestamptz' }) expiresAt!: Date;
  @Property({ type: 'timestamptz', nullable: true }) confirmedAt: Date | null = null;
}
