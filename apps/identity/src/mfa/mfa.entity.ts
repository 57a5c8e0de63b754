import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A member's TOTP factor in one organisation; the secret is sealed under the org's data key. */
@Entity({ tableName: 'mfa_factors' })
export class MfaFactorEntity {
  @PrimaryKey({ type: 'uuid' }) orgId!: string;
  @PrimaryKey({ type: 'uuid' }) userId!: string;
  @Property({ type: 'text', hidden: true }) secretEnc!: string;
  @Property({ type: 'timestamptz' }) createdAt!: Date;
  @Property({ type: 'timestamptz', nullable: true }) confirmedAt: Date | null = null;
  /** the last accepted 30-second step: a code of that step or earlier is refused (no replay) */
  @Property({ type: 'bigint' }) lastUsedStep: string = '0';
}

@Entity({ tableName: 'recovery_codes' })
export class RecoveryCodeEntity {
  @PrimaryKey({ type: 'uuid' }) id!: string;
  @Property({ type: 'uuid' }) orgId!: string;
  @Property({ type: 'uuid' }) userId!: string;
  @Property({ type: 'text', hidden: true }) codeHash!: string;
  @Property({ type: 'timestamptz', nullable: true }) usedAt: Date | null = null;
}

/** The second step of a sign-in with MFA; single use, five minutes. */
@Entity({ tableName: 'mfa_challenges' })
export class MfaChallengeEntity {
  @PrimaryKey({ type: 'uuid' }) id!: string;
  @Property({ type: 'uuid' }) orgId!: string;
  @Property({ type: 'uuid' }) userId!: string;
  @Property({ type: 'text', hidden: true }) tokenHash!: string;
  @Property({ type: 'timestamptz' }) createdAt!: Date;
  @Property({ type: 'timestamptz' }) expiresAt!: Date;
  @Property({ type: 'timestamptz', nullable: true }) usedAt: Date | null = null;
}
