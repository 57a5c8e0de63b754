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
